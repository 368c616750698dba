// SPDX-License-Identifier: MIT OR Apache-2.0
//! ARMv7-A code of the native baseline: the reset code and vectors, the IRQ
//! vector that runs µC/OS-II's ISR protocol, the context switches
//! (`OSStartHighRdy`, `OSCtxSw`, `OSIntCtxSw`), the critical section, and the
//! GICv2, generic-timer, UART, PMU and semihosting accesses.
//!
//! Every task runs in SVC mode on its own stack. A context frame, from the
//! saved stack pointer up: r0-r12, lr, pc, cpsr (16 words); the IRQ vector
//! builds it with `srsdb` (pc and cpsr onto the SVC stack) and a push, a
//! task-level switch builds the same, and both leave it with a pop and `rfeia`.

use crate::plat;
use core::arch::{asm, global_asm};

global_asm!(
    r#"
    .syntax unified
    .arm
    .section .text.native_vectors, "ax"
    .balign 32
    .global _start
native_vectors:
    b _start
    b native_unexpected
    b native_unexpected
    b native_unexpected
    b native_unexpected
    b native_unexpected
    b native_irq_vector
    b native_unexpected

_start:
    cpsid if
    ldr r0, =native_vectors
    mcr p15, 0, r0, c12, c0, 0          @ VBAR
    mrc p15, 0, r0, c1, c0, 0
    bic r0, r0, #(1 << 13)              @ SCTLR.V = 0: vectors at VBAR
    mcr p15, 0, r0, c1, c0, 0
    isb
    cps #0x12
    ldr sp, =__irq_stack_top
    cps #0x13
    ldr sp, =__svc_stack_top
    ldr r0, =__bss_start
    ldr r1, =__bss_end
    mov r2, #0
1:  cmp r0, r1
    strlo r2, [r0], #4
    blo 1b
    mov r0, #5                          @ PMCR: E, C (reset the cycle counter)
    mcr p15, 0, r0, c9, c12, 0
    mov r0, #0x80000000                 @ PMCNTENSET: the cycle counter
    mcr p15, 0, r0, c9, c12, 1
    isb
    bl native_start
    b .

native_unexpected:
    mov r0, #102
    bl native_exit

    @ IRQ: the interrupted task's context onto its own (SVC) stack, then
    @ OSIntNesting++ (the task's stack pointer into its TCB at the outer
    @ level), the handler, OSIntExit (which may switch through OSIntCtxSw),
    @ and back to the task.
native_irq_vector:
    sub lr, lr, #4
    srsdb sp!, #0x13
    cps #0x13
    push {{r0-r12, lr}}
    ldr r0, =OSIntNesting
    ldrb r1, [r0]
    add r1, r1, #1
    strb r1, [r0]
    cmp r1, #1
    ldreq r0, =OSTCBCur
    ldreq r0, [r0]
    streq sp, [r0]
    bl native_irq
    bl OSIntExit
    pop {{r0-r12, lr}}
    rfeia sp!

    .section .text.native_port, "ax"
    .global OSStartHighRdy
OSStartHighRdy:
    bl OSTaskSwHook
    ldr r0, =OSRunning
    mov r1, #1
    strb r1, [r0]
    ldr r0, =OSTCBHighRdy
    ldr r2, [r0]
    ldr sp, [r2]
    pop {{r0-r12, lr}}
    rfeia sp!

    @ Task-level switch, called with IRQs masked (OS_Sched's critical
    @ section): the caller resumes at its return address with this CPSR.
    .global OSCtxSw
OSCtxSw:
    sub sp, sp, #8
    push {{r0-r12, lr}}
    str lr, [sp, #56]
    mrs r0, cpsr
    str r0, [sp, #60]
    ldr r0, =OSTCBCur
    ldr r1, [r0]
    str sp, [r1]
    @ fall through

    @ Switch from an ISR (OSIntExit): the interrupted context is saved.
    .global OSIntCtxSw
OSIntCtxSw:
    bl OSTaskSwHook
    ldr r0, =OSPrioHighRdy
    ldr r1, =OSPrioCur
    ldrb r2, [r0]
    strb r2, [r1]
    ldr r0, =OSTCBHighRdy
    ldr r1, =OSTCBCur
    ldr r2, [r0]
    str r2, [r1]
    ldr sp, [r2]
    pop {{r0-r12, lr}}
    rfeia sp!

    .global OS_CPU_SR_Save
OS_CPU_SR_Save:
    mrs r0, cpsr
    cpsid i
    bx lr

    .global OS_CPU_SR_Restore
OS_CPU_SR_Restore:
    msr cpsr_c, r0
    bx lr
"#
);

/// Called by the vectors on an unexpected exception.
#[unsafe(no_mangle)]
extern "C" fn native_exit(code: u32) -> ! {
    exit(code)
}

fn write_register(address: usize, value: u32) {
    // SAFETY: `address` is a register of the GIC or UART (`plat`), which the
    // MMU-off machine reaches at its physical address.
    unsafe { core::ptr::write_volatile(address as *mut u32, value) }
}

fn read_register(address: usize) -> u32 {
    // SAFETY: as for `write_register`.
    unsafe { core::ptr::read_volatile(address as *const u32) }
}

/// Enables the distributor and CPU interface and the one interrupt `irq`.
pub fn gic_init(irq: u32) {
    write_register(plat::GIC_DISTRIBUTOR, 1);
    let priority = plat::GIC_DISTRIBUTOR + 0x400 + (irq as usize & !3);
    let shift = (irq % 4) * 8;
    write_register(priority, (read_register(priority) & !(0xFF << shift)) | (0xA0 << shift));
    write_register(plat::GIC_DISTRIBUTOR + 0x100 + (irq as usize / 32) * 4, 1 << (irq % 32));
    write_register(plat::GIC_CPU_INTERFACE + 0x4, 0xF0);
    write_register(plat::GIC_CPU_INTERFACE, 1);
}

/// Acknowledges the highest-priority pending interrupt (GICC_IAR).
pub fn gic_acknowledge() -> u32 {
    read_register(plat::GIC_CPU_INTERFACE + 0xC)
}

/// Ends `interrupt` (GICC_EOIR with what `gic_acknowledge` returned).
pub fn gic_end(interrupt: u32) {
    write_register(plat::GIC_CPU_INTERFACE + 0x10, interrupt);
}

/// CNTFRQ.
pub fn counter_frequency() -> u32 {
    let value: u32;
    // SAFETY: reading CNTFRQ has no side effect.
    unsafe { asm!("mrc p15, 0, {}, c14, c0, 0", out(reg) value, options(nomem, nostack)) };
    value
}

/// Arms the virtual timer `period` counts from now.
pub fn timer_start(period: u32) {
    let (low, high): (u32, u32);
    // SAFETY: reading CNTVCT has no side effect.
    unsafe { asm!("isb", "mrrc p15, 1, {}, {}, c14", out(reg) low, out(reg) high, options(nomem, nostack)) };
    let compare = ((u64::from(high) << 32) | u64::from(low)) + u64::from(period);
    set_compare(compare);
    // SAFETY: CNTV_CTL = 1: enabled, interrupt not masked.
    unsafe { asm!("mcr p15, 0, {}, c14, c3, 1", "isb", in(reg) 1u32, options(nomem, nostack)) };
}

/// Moves the virtual timer's compare value `period` counts on.
pub fn timer_rearm(period: u32) {
    let (low, high): (u32, u32);
    // SAFETY: reading CNTV_CVAL has no side effect.
    unsafe { asm!("mrrc p15, 3, {}, {}, c14", out(reg) low, out(reg) high, options(nomem, nostack)) };
    set_compare(((u64::from(high) << 32) | u64::from(low)) + u64::from(period));
}

fn set_compare(compare: u64) {
    // SAFETY: CNTV_CVAL only sets when the virtual timer fires.
    unsafe {
        asm!("mcrr p15, 3, {}, {}, c14", "isb", in(reg) compare as u32, in(reg) (compare >> 32) as u32,
             options(nomem, nostack));
    }
}

/// Writes one byte to the UART.
pub fn uart_write(byte: u8) {
    write_register(plat::UART_DATA, u32::from(byte));
}

/// Semihosting SYS_EXIT_EXTENDED: QEMU exits with `code`.
pub fn exit(code: u32) -> ! {
    /// ADP_Stopped_ApplicationExit.
    const APPLICATION_EXIT: u32 = 0x2_0026;
    /// SYS_EXIT_EXTENDED.
    const EXIT_EXTENDED: u32 = 0x20;
    let block = [APPLICATION_EXIT, code];
    // SAFETY: the semihosting call reads the two words of `block`; QEMU ends
    // the machine there.
    unsafe { asm!("svc 0x123456", in("r0") EXIT_EXTENDED, in("r1") block.as_ptr(), options(nostack)) };
    loop {
        // SAFETY: masking interrupts and waiting has no memory effect.
        unsafe { asm!("cpsid if", "wfi", options(nomem, nostack)) };
    }
}
