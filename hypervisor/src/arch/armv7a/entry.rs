// SPDX-License-Identifier: MIT OR Apache-2.0
//! Reset code, the exception vector table and the trap entry/exit paths.
//!
//! Every thread runs in USR mode. While a thread runs, the SVC-mode stack pointer
//! points just past that thread's [`TrapFrame`] inside its TCB, so an exception
//! from user mode stores the interrupted state directly into the TCB: `srsdb`
//! pushes the return address and SPSR, `stmdb {r0-r14}^` the user registers.
//! Entry then switches to the kernel stack and calls [`trap_entry`] (safe Rust;
//! a system call enters through its own `svc_entry`, see `vector_svc`),
//! which returns the frame of the thread to run next; the exit path points the
//! SVC stack pointer past that frame and restores it with `ldm ^` + `rfe`.
//!
//! The kernel itself runs with IRQs masked. The only place an IRQ is taken from
//! SVC mode is the idle window in `cpu::wait_for_interrupt`; that path saves the
//! caller-saved registers on the kernel stack and calls [`irq_from_kernel`].
//! Exceptions other than IRQ taken from kernel mode are kernel bugs and panic.

use core::arch::global_asm;

pub use crate::kernel::UserContext as TrapFrame;

/// Size of [`TrapFrame`] in bytes; the asm below depends on it.
pub const TRAP_FRAME_SIZE: usize = 68;
const _: () = assert!(core::mem::size_of::<TrapFrame>() == TRAP_FRAME_SIZE);

/// Why the kernel was entered from user mode, for the general path. (An IRQ
/// from user mode has its own entry, [`irq_entry`], and so has a system
/// call, [`svc_entry`], which hands the calls its fastpaths decline on as
/// `SystemCall`; the numbers are the `SAVE_USER` kinds of the vectors.)
#[repr(u32)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TrapKind {
    /// `svc` instruction: a system call.
    SystemCall = 0,
    /// Undefined instruction.
    Undefined = 2,
    /// Prefetch abort (instruction fetch fault).
    PrefetchAbort = 3,
    /// Data abort.
    DataAbort = 4,
}

global_asm!(
    r#"
    .section .text.boot, "ax"
    .global _start
    .type _start, %function
    .arm
_start:
    cpsid aif
    @ Exception modes only need a scratch word for the mode check in their stubs.
    ldr r0, =__exception_stack_top
    cps #0x12
    mov sp, r0
    cps #0x17
    mov sp, r0
    cps #0x1b
    mov sp, r0
    cps #0x13
    ldr sp, =__kernel_stack_top
    ldr r0, =__bss_start
    ldr r1, =__bss_end
    mov r2, #0
1:  cmp r0, r1
    strlo r2, [r0], #4
    blo 1b
    ldr r0, =__vectors
    mcr p15, 0, r0, c12, c0, 0
    isb
    bl kernel_start
2:  wfi
    b 2b

    .section .text.vectors, "ax"
    .balign 32
    .global __vectors
__vectors:
    b vector_unexpected
    b vector_undefined
    b vector_svc
    b vector_prefetch_abort
    b vector_data_abort
    b vector_unexpected
    b vector_irq
    b vector_unexpected

    @ Saves a user thread's state into its TCB frame and enters Rust with the
    @ trap kind in r0. Expects: current mode's lr = resume address.
    .macro SAVE_USER kind
    srsdb sp!, #0x13
    cps #0x13
    stmdb sp, {{r0-r14}}^
    ldr sp, =__kernel_stack_top
    mov r0, #\kind
    b trap_common
    .endm

    @ Branches to \target when the exception came from a privileged mode.
    .macro IF_FROM_KERNEL target
    push {{r0}}
    mrs r0, spsr
    and r0, r0, #0x1f
    cmp r0, #0x10
    pop {{r0}}
    bne \target
    .endm

    .macro KERNEL_FAULT kind
    mov r0, #\kind
    mov r1, lr
    mrs r2, spsr
    cps #0x13
    ldr sp, =__kernel_stack_top
    bl kernel_fault
    .endm

    @ The system call entry, the hottest: the exception already runs in SVC
    @ mode, and the save needs no scratch register, so it saves first and
    @ checks the mode afterwards with r0 free (from kernel mode the save
    @ lands harmlessly on the kernel stack, and lr and SPSR are intact for the
    @ report), then enters Rust without a trap kind to decode.
vector_svc:
    srsdb sp!, #0x13
    stmdb sp, {{r0-r14}}^
    mrs r0, spsr
    and r0, r0, #0x1f
    cmp r0, #0x10
    bne svc_from_kernel
    ldr sp, =__kernel_stack_top
    bl svc_entry
    b return_to_user
svc_from_kernel:
    KERNEL_FAULT 0

    @ An IRQ from user mode enters Rust directly too (no trap kind to decode).
    @ The return state goes to the SVC stack first, whatever the mode was:
    @ the thread's frame, or in the idle window the kernel stack, where the
    @ kernel path wants it too. lr_irq is then free to test the mode with
    @ (no scratch register pushed and popped); `cps` keeps the flags.
vector_irq:
    sub lr, lr, #4
    srsdb sp!, #0x13
    mrs lr, spsr
    and lr, lr, #0x1f
    cmp lr, #0x10
    cps #0x13
    bne irq_kernel
    stmdb sp, {{r0-r14}}^
    ldr sp, =__kernel_stack_top
    bl irq_entry
    b return_to_user
irq_kernel:
    push {{r0-r3, r12, lr}}
    bl irq_from_kernel
    pop {{r0-r3, r12, lr}}
    rfeia sp!

vector_undefined:
    @ Report the faulting instruction: lr is 4 (ARM) or 2 (Thumb) past it; the
    @ Rust side adjusts for Thumb from the saved CPSR.T bit.
    sub lr, lr, #4
    IF_FROM_KERNEL undefined_kernel
    SAVE_USER 2
undefined_kernel:
    KERNEL_FAULT 2

vector_prefetch_abort:
    sub lr, lr, #4
    IF_FROM_KERNEL prefetch_kernel
    SAVE_USER 3
prefetch_kernel:
    KERNEL_FAULT 3

vector_data_abort:
    sub lr, lr, #8
    IF_FROM_KERNEL data_kernel
    SAVE_USER 4
data_kernel:
    KERNEL_FAULT 4

vector_unexpected:
    KERNEL_FAULT 5

trap_common:
    bl trap_entry
    @ r0 = frame of the thread to run next.
    .global return_to_user
return_to_user:
    mov lr, r0
    add sp, r0, #68
    ldmia lr, {{r0-r14}}^
    nop
    clrex
    add lr, lr, #60
    rfeia lr
"#
);

unsafe extern "C" {
    /// The exit path: restores `frame` and drops to user mode. Never returns.
    fn return_to_user(frame: *mut TrapFrame) -> !;
}

/// Starts running a user thread for the first time: restores `frame` into the
/// CPU and drops to user mode.
///
/// # Safety
/// `frame` must point to a TCB's context that stays valid while the thread runs
/// (the kernel keeps TCBs in a static), with a user-mode CPSR (checked here).
pub unsafe fn resume_user(frame: *mut TrapFrame) -> ! {
    // SAFETY: the caller guarantees `frame` is a live TCB context.
    let cpsr = unsafe { (*frame).cpsr };
    assert!(cpsr & 0x1f == 0x10, "a user frame must return to USR mode");
    // SAFETY: a live TCB context with a USR-mode CPSR, so `rfe` cannot enter a
    // privileged mode with user-controlled registers.
    unsafe { return_to_user(frame) }
}

/// Trap entry from user mode. The frame was saved into the current thread's TCB.
#[unsafe(no_mangle)]
extern "C" fn trap_entry(kind: u32) -> *mut TrapFrame {
    let kind = match kind {
        0 => TrapKind::SystemCall,
        2 => TrapKind::Undefined,
        3 => TrapKind::PrefetchAbort,
        _ => TrapKind::DataAbort,
    };
    let fault = match kind {
        TrapKind::DataAbort => super::cpu::data_fault_status(),
        TrapKind::PrefetchAbort => super::cpu::instruction_fault_status(),
        _ => (0, 0),
    };
    crate::runtime::handle_trap(kind, fault)
}

/// System call from user mode (`svc`). The frame was saved into the current
/// thread's TCB.
#[unsafe(no_mangle)]
extern "C" fn svc_entry() -> *mut TrapFrame {
    crate::runtime::handle_system_call()
}

/// IRQ from user mode. The frame was saved into the current thread's TCB.
#[unsafe(no_mangle)]
extern "C" fn irq_entry() -> *mut TrapFrame {
    crate::runtime::handle_irq()
}

/// IRQ taken from kernel mode (only in the idle window).
#[unsafe(no_mangle)]
extern "C" fn irq_from_kernel() {
    crate::runtime::handle_irq_from_idle();
}

/// Any non-IRQ exception taken from kernel mode: a kernel bug. A data abort
/// in the guard page below a kernel stack is that stack overflowing (the
/// entry code has moved to a fresh kernel stack to report it).
#[unsafe(no_mangle)]
extern "C" fn kernel_fault(kind: u32, pc: u32, spsr: u32) -> ! {
    let (dfsr, dfar) = super::cpu::data_fault_status();
    let (ifsr, ifar) = super::cpu::instruction_fault_status();
    if kind == TrapKind::DataAbort as u32 {
        let page = dfar as usize & !0xFFF;
        if let Some((_, stack)) = crate::runtime::stack_guard_pages().into_iter().find(|&(guard, _)| guard == page) {
            let mut message = crate::text::Line::new();
            message.push_str("kernel stack overflow: the ").push_str(stack).push_str(" ran into its guard page at ");
            message.push_hex(dfar).push_str(" (pc ").push_hex(pc).push_str(")");
            crate::runtime::fatal(message.as_bytes());
        }
    }
    let mut message = crate::text::Line::new();
    message.push_str("kernel exception ").push_dec(kind).push_str(" at pc ").push_hex(pc);
    message.push_str(" (spsr ").push_hex_short(spsr).push_str("; DFSR ").push_hex_short(dfsr);
    message.push_str(" DFAR ").push_hex_short(dfar).push_str("; IFSR ").push_hex_short(ifsr);
    message.push_str(" IFAR ").push_hex_short(ifar).push_str(")");
    crate::runtime::fatal(message.as_bytes())
}
