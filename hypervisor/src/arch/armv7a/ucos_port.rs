//! The ARM half of the paravirtual µC/OS-II port: task context switches, the
//! virtual-interrupt critical sections and the virtual IRQ entry, all in ARM
//! user mode without a kernel entry. Compiled into the `port` crate through
//! `#[path]` so that every ARM instruction of the project stays in this folder.
//!
//! A switched-out or interrupted task's context is one frame on its own stack,
//! lowest address first:
//!
//! ```text
//!   +0  virtual-interrupt mask to restore (0 = interrupts enabled)
//!   +4  r0 .. r12
//!  +56  lr
//!  +60  APSR flags
//!  +64  pc (bit 0 set for Thumb; `pop {pc}` interworks)
//! ```
//!
//! The guest's Interrupt_loop thread injects a virtual interrupt by halting the
//! µC/OS-II thread, writing the flags and pc words (the top two of a frame)
//! below its stack pointer, setting the mask and redirecting it to
//! `ucvisor_virq_entry`, which pushes the rest. Unmasking (`OS_CPU_SR_Restore`,
//! or restoring a frame with mask 0) re-checks the pending word and dispatches
//! at once, with the frame already in place. The dispatch itself (OSIntEnter,
//! the handlers, OSIntExit) runs on a private interrupt stack.

use core::arch::global_asm;

/// Size of a task context frame in bytes (17 words).
pub const FRAME_SIZE: usize = 68;

global_asm!(
    r#"
    .section .text.ucvisor_port, "ax"
    .arm
    .balign 4

    @ Restores the frame at sp. Runs with the mask set (1).
    .global ucvisor_restore_frame
    .type ucvisor_restore_frame, %function
ucvisor_restore_frame:
    ldr r0, [sp]
    cmp r0, #0
    bne 2f
    @ Returning to unmasked code: take any pending interrupt first.
    ldr r1, =ucvisor_virq_pending
    ldr r1, [r1]
    cmp r1, #0
    bne ucvisor_virq_dispatch_frame
    ldr r1, =ucvisor_virq_mask
    str r0, [r1]
    @ Close the window between the check and the unmask.
    ldr r2, =ucvisor_virq_pending
    ldr r2, [r2]
    cmp r2, #0
    beq 3f
    mov r2, #1
    str r2, [r1]
    b ucvisor_virq_dispatch_frame
2:  ldr r1, =ucvisor_virq_mask
    str r0, [r1]
3:  add sp, sp, #4
    ldr r0, [sp, #56]
    msr APSR_nzcvqg, r0
    pop {{r0-r12, lr}}
    add sp, sp, #4
    pop {{pc}}

    @ Entry of an injected virtual interrupt: flags and pc are at [sp], [sp+4];
    @ the mask is already set.
    .global ucvisor_virq_entry
    .type ucvisor_virq_entry, %function
ucvisor_virq_entry:
    push {{r0-r12, lr}}
    mov r0, #0
    push {{r0}}
    @ sp = a complete frame of the interrupted task.
    .global ucvisor_virq_dispatch_frame
ucvisor_virq_dispatch_frame:
    @ The ISR runs on its own stack, as on a real core: task stacks only hold
    @ the frame (µC/OS-II's default idle and statistics stacks are small).
    mov r4, sp
    ldr sp, =ucvisor_isr_stack_top
    bl OSIntEnter
    ldr r0, =OSIntNesting
    ldrb r0, [r0]
    cmp r0, #1
    bne 1f
    ldr r0, =OSTCBCur
    ldr r0, [r0]
    str r4, [r0]
1:  bl ucvisor_virq_dispatch
    bl OSIntExit
    mov sp, r4
    b ucvisor_restore_frame

    .section .bss.ucvisor_isr_stack, "aw", %nobits
    .balign 8
ucvisor_isr_stack:
    .space 8192
ucvisor_isr_stack_top:

    .section .text.ucvisor_port, "ax"
    @ OS_CPU_SR OS_CPU_SR_Save(void): mask virtual interrupts, return the old mask.
    .global OS_CPU_SR_Save
    .type OS_CPU_SR_Save, %function
OS_CPU_SR_Save:
    ldr r1, =ucvisor_virq_mask
    ldr r0, [r1]
    mov r2, #1
    str r2, [r1]
    bx lr

    @ void OS_CPU_SR_Restore(OS_CPU_SR sr): restore the mask; unmasking with an
    @ interrupt pending takes it at once, as if it arrived at the return address.
    .global OS_CPU_SR_Restore
    .type OS_CPU_SR_Restore, %function
OS_CPU_SR_Restore:
    ldr r1, =ucvisor_virq_mask
    str r0, [r1]
    cmp r0, #0
    bxne lr
    ldr r2, =ucvisor_virq_pending
    ldr r2, [r2]
    cmp r2, #0
    bxeq lr
    mov r2, #1
    str r2, [r1]
    push {{lr}}
    mrs r12, APSR
    push {{r12}}
    push {{r0-r12, lr}}
    mov r0, #0
    push {{r0}}
    b ucvisor_virq_dispatch_frame

    @ void OSCtxSw(void): task-level switch, called inside a critical section.
    .global OSCtxSw
    .type OSCtxSw, %function
OSCtxSw:
    push {{lr}}
    mrs r12, APSR
    push {{r12}}
    push {{r0-r12, lr}}
    ldr r0, =ucvisor_virq_mask
    ldr r0, [r0]
    push {{r0}}
    ldr r0, =OSTCBCur
    ldr r0, [r0]
    str sp, [r0]
    @ fall through into the common switch
    .global ucvisor_switch_to_high_ready
ucvisor_switch_to_high_ready:
    mov r4, sp
    bic sp, sp, #7
    bl OSTaskSwHook
    mov sp, r4
    ldr r0, =OSPrioHighRdy
    ldrb r1, [r0]
    ldr r0, =OSPrioCur
    strb r1, [r0]
    ldr r0, =OSTCBHighRdy
    ldr r1, [r0]
    ldr r0, =OSTCBCur
    str r1, [r0]
    ldr sp, [r1]
    b ucvisor_restore_frame

    @ void OSIntCtxSw(void): switch at the end of an ISR; the interrupted task's
    @ frame was saved by the virtual IRQ entry. Never returns.
    .global OSIntCtxSw
    .type OSIntCtxSw, %function
OSIntCtxSw:
    b ucvisor_switch_to_high_ready

    @ void OSStartHighRdy(void): run the highest-priority task for the first time.
    .global OSStartHighRdy
    .type OSStartHighRdy, %function
OSStartHighRdy:
    bic sp, sp, #7
    bl OSTaskSwHook
    ldr r0, =OSRunning
    mov r1, #1
    strb r1, [r0]
    ldr r0, =OSTCBHighRdy
    ldr r0, [r0]
    ldr sp, [r0]
    b ucvisor_restore_frame
"#
);
