// SPDX-License-Identifier: MIT OR Apache-2.0
//! The ARM half of the paravirtual µC/OS-II port: task context switches, the
//! virtual-interrupt critical sections and the virtual IRQ entry, all in ARM
//! user mode without a kernel entry: the port's architecture layer (every ARM
//! instruction of the `port` crate is here).
//!
//! A switched-out or interrupted task's context is one frame on its own stack,
//! lowest address first:
//!
//! ```text
//!   (hard-float guests only, `ucvisor_cfg_vfp` != 0: 136 bytes)
//!   +0  FPSCR, a padding word, d0 .. d15
//!   (every guest: 68 bytes)
//!   +0  virtual-interrupt mask to restore (0 = interrupts enabled, any
//!       other value masked)
//!   +4  r0 .. r12 (in a task-level switch's frame the r12 slot holds the
//!       task's record instead: see `SWITCH` below)
//!  +56  lr
//!  +60  CPSR user bits (N Z C V Q, IT, GE, E, T as ExchangeRegisters reports them)
//!  +64  pc (bit 0 set for Thumb; `pop {pc}` interworks)
//! ```
//!
//! A virtual interrupt is injected by writing the CPSR and pc words (the top
//! two of a frame) below the µC/OS-II thread's stack pointer, setting the mask
//! and redirecting the thread to `ucvisor_virq_entry_*` with all CPSR user bits
//! cleared (ARM state, no IT block, little-endian), which pushes the rest: the
//! kernel does it when a notification reaches the bound thread
//! (`PV_SYS_VIRQ_BIND`), sent by the device servers on the direct path and by
//! the guest's Interrupt_loop on the paper path. Unmasking (`OS_CPU_SR_Restore`, or
//! restoring a frame with mask 0) re-checks the pending word and dispatches at
//! once, with the frame already in place. The dispatch itself (the ISR count, the
//! handlers, OSIntExit) runs on a private interrupt stack.
//!
//! Why a resumed task sees exactly the state it was interrupted in: r0-r12, sp
//! and lr are saved and restored as they are; N Z C V Q and GE are restored with
//! `msr APSR_nzcvqg`; the Thumb bit travels in bit 0 of the pc and `pop {pc}`
//! interworks; VFP registers d0-d15 and FPSCR are saved for hard-float guests;
//! TPIDRURW is never touched by the port and the kernel keeps it per L4 thread.
//! The IT state (a Thumb-2 IT block interrupted half-way) and the E bit (after
//! `setend be`) cannot be written from user mode: a frame that carries either
//! is resumed through the kernel (`PV_SYS_CONTEXT_RESUME`), whose exception
//! return restores the whole CPSR. Frames without them (nearly all) resume
//! without a kernel entry.
//!
//! A task-level switch (OSCtxSw, OS_Sched's call) is a function call, so it
//! needs neither the caller-saved registers nor the flags back, and it is
//! made masked: its frame is saved and resumed without the pending check,
//! the flags or the kernel, and without C: the running task's record (its
//! newlib state, stack bounds and name, `UCVISOR_TASK` in the C half) rides
//! in the frame's r12 slot, so switching to it needs no lookup. The C half
//! picks the variant of the switch for its configuration (VFP area, switch
//! hook), so the switch tests neither at run time.

use core::arch::global_asm;

/// Size of a task context frame in bytes (17 words), VFP area excluded.
pub const FRAME_SIZE: usize = 68;
/// Size of the VFP area below the frame of a hard-float guest: FPSCR, padding,
/// d0-d15. Hard-float guests are built for VFPv3-D16 (the guest build checks
/// that no C uses d16-d31), so d16-d31 are never guest state.
pub const VFP_AREA_SIZE: usize = 8 + 16 * 8;

global_asm!(
    r#"
    .section .text.ucvisor_port, "ax"
    .arm
    .fpu neon
    .balign 4

    @ The virtual IRQ path, one copy per frame layout (`soft`: no VFP area,
    @ `vfp`: hard-float guests), so that no step of it tests the configuration:
    @ the runtime binds the entry of its guest's layout, and the task switch
    @ of each layout resumes through the restore of the same.
    .macro VIRQ_PATH name, vfp
    @ Entry of an injected virtual interrupt: flags and pc are at [sp], [sp+4];
    @ the mask is already set.
    .global ucvisor_virq_entry_\name
    .type ucvisor_virq_entry_\name, %function
ucvisor_virq_entry_\name:
    push {{r0-r12, lr}}
    mov r0, #0
    push {{r0}}
    .if \vfp
    vpush {{d0-d15}}
    vmrs r0, fpscr
    push {{r0, r1}}
    .endif
    @ sp = a complete frame of the interrupted task.
    .global ucvisor_virq_dispatch_frame_\name
ucvisor_virq_dispatch_frame_\name:
    @ The ISR runs on its own stack, as on a real core: task stacks only hold
    @ the frame (µC/OS-II's default idle and statistics stacks are small). A
    @ nested ISR (a handler unmasked) stays on it, below the frame of the
    @ ISR it interrupted.
    mov r4, sp
    @ The ISR protocol's `OSIntNesting++` in place of the call to OSIntEnter
    @ (the same count: only while OSRunning, at most 255).
    ldr r0, =OSRunning
    ldrb r0, [r0]
    cmp r0, #1
    bne 6f
    ldr r1, =OSIntNesting
    ldrb r0, [r1]
    cmp r0, #255
    addne r0, r0, #1
    strbne r0, [r1]
    cmp r0, #1
    bne 7f
    @ An interrupted task (not a nested ISR): its frame goes into its TCB,
    @ and the stack check of the task-level switch runs inline on it (the
    @ running task's record: the frame lies above its bottom and its guard
    @ holds); the C half reports a failure (and does not return if the
    @ task overflowed).
    ldr sp, =ucvisor_isr_stack_top
    ldr r1, =OSTCBCur
    ldr r0, [r1]
    str r4, [r0]
    ldr r12, =ucvisor_virq
    ldr r12, [r12, #-4]
    ldmdb r12, {{r6, r7, r8}}       @ bottom, guard_at, guard
    cmp r4, r6
    ldrhs r7, [r7]
    cmphs r7, r8
    movne r1, r4
    blne ucvisor_cfg_check_stack
1:  bl ucvisor_virq_dispatch
    bl OSIntExit
    mov sp, r4
    @ Restores the frame at sp. Runs with the mask set (1).
    .global ucvisor_restore_frame_\name
    .type ucvisor_restore_frame_\name, %function
ucvisor_restore_frame_\name:
    .if \vfp
    ldr r0, [sp, #{vfp_area}]
    .else
    ldr r0, [sp]
    .endif
    ldr r1, =ucvisor_virq
    str r0, [r1]                    @ the frame's mask
    cmp r0, #0
    bne 3f
    @ Unmasked with an interrupt pending (it came while masked, so the kernel
    @ only marked it): mask again and take it now, the frame in place. One
    @ that comes after this check the kernel injects as usual.
    ldr r3, [r1, #4]                @ ucvisor_virq_pending
    cmp r3, #0
    movne r3, #1
    strne r3, [r1]
    bne ucvisor_virq_dispatch_frame_\name
3:
    .if \vfp
    pop {{r0, r1}}
    vmsr fpscr, r0
    vpop {{d0-d15}}
    .endif
    add sp, sp, #4
    ldr r0, [sp, #56]
    ldr r1, =0x0600FE00
    tst r0, r1
    bne 5f
    msr APSR_nzcvqg, r0
    pop {{r0-r12, lr}}
    add sp, sp, #4
    pop {{pc}}
    @ IT state or big-endian data: only an exception return restores them.
5:  mov r0, sp
    mov r12, #{context_resume}
    svc #0
    b ucvisor_resume_failed
    @ (The dispatch frame's cold cases.) Before µC/OS-II runs (no count):
    @ the interrupt stack, unless the frame is on it already (a nested one).
6:  ldr r0, =ucvisor_isr_stack
    ldr r1, =ucvisor_isr_stack_top
    cmp r4, r0
    cmphs r1, r4
    movls sp, r1
    bls 1b
    @ Nested: on the interrupt stack below the frame, 8-byte aligned.
7:  bic sp, r4, #7
    b 1b
    .ltorg
    .endm

    VIRQ_PATH soft, 0
    VIRQ_PATH vfp, 1

    @ The port's words, one block reached from one base (`ucvisor_virq`):
    @ -4 the running task's record (`UCVISOR_TASK` in os_cpu_cfg.c: the
    @ address of its newlib state, its stack bounds and name below that), then
    @ the virtual-interrupt words, adjacent and 16-byte aligned as
    @ PV_SYS_VIRQ_BIND takes them with PV_VIRQ_WORDS_TICK_COUNT: the mask
    @ (nonzero = masked; the guest starts masked), the pending bits and the
    @ tick count the kernel writes on the direct path; then the running task's
    @ priority and name for the root server's fault reports.
    .section .data.ucvisor_virq_words, "aw"
    .balign 16
    .space 12
    .global ucvisor_current_record
    .type ucvisor_current_record, %object
ucvisor_current_record:
    .word ucvisor_no_record
    .global ucvisor_virq
    .type ucvisor_virq, %object
    .global ucvisor_virq_mask
    .type ucvisor_virq_mask, %object
ucvisor_virq:
ucvisor_virq_mask:
    .word 1
    .global ucvisor_virq_pending
    .type ucvisor_virq_pending, %object
ucvisor_virq_pending:
    .word 0
    .global ucvisor_virq_ticks
    .type ucvisor_virq_ticks, %object
ucvisor_virq_ticks:
    .word 0
    .global ucvisor_current_task_prio
    .type ucvisor_current_task_prio, %object
ucvisor_current_task_prio:
    .word 0xFFFFFFFF
    .global ucvisor_current_task_name
    .type ucvisor_current_task_name, %object
ucvisor_current_task_name:
    .word 0

    @ The record of no task (the running one before the first task starts):
    @ no bounds, no newlib state, no name.
    .word ucvisor_no_name, 0, ucvisor_no_record - 4, 0
ucvisor_no_record:
    .word 0
ucvisor_no_name:
    .word 0

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
    @ The frame's pc (the return address) and flags, as the kernel writes
    @ them for an injected interrupt; the entry of this guest's frame layout
    @ pushes the rest (r0-r3 and r12 are the caller's to lose).
    push {{lr}}
    mrs r12, APSR
    push {{r12}}
    ldr r0, =ucvisor_cfg_vfp
    ldr r0, [r0]
    cmp r0, #0
    beq ucvisor_virq_entry_soft
    b ucvisor_virq_entry_vfp

    @ The context switches, one set per configuration: with or without the
    @ VFP area (hard-float guests), with or without the switch hook. The
    @ port's C half, compiled with the application, defines OSCtxSw,
    @ OSIntCtxSw and OSStartHighRdy as a branch to its configuration's.
    @
    @ ucvisor_ctxsw_*: OSCtxSw, the task-level switch, called by OS_Sched
    @ inside its critical section, so the frame's mask is nonzero (any nonzero
    @ value means masked: the frame keeps the words' address). A function
    @ call: r0-r3, r12, lr and the flags are the caller's to lose (AAPCS), so
    @ the r12 slot keeps the task's record and the resume restores neither the
    @ flags nor the mask; ARM or Thumb code running little-endian outside an IT
    @ block called it, so the frame never needs the kernel to resume.
    @ ucvisor_switch_in_*: OSTCBCur/OSPrioCur from OSTCBHighRdy/OSPrioHighRdy
    @ and the new task's frame: a task-level switch's resumes here, any
    @ other (an interrupt's, a new task's) through the port's C half (which
    @ finds the task's record) and the general restore.
    .macro SWITCH name, vfp, hook
    .global ucvisor_ctxsw_\name
    .type ucvisor_ctxsw_\name, %function
ucvisor_ctxsw_\name:
    mrs r12, APSR
    push {{r12, lr}}                @ CPSR, pc
    ldr r3, =ucvisor_virq
    ldr r12, [r3, #-4]              @ the running task's record
    push {{r0-r12, lr}}
    str r3, [sp, #-4]!              @ mask: nonzero
    .if \vfp
    vpush {{d0-d15}}
    vmrs r0, fpscr
    push {{r0, r1}}
    .endif
    ldr r5, =OSTCBCur
    ldr r0, [r5]
    str sp, [r0]                    @ OSTCBCur->OSTCBStkPtr
    @ The stack check: the frame lies above the task's bottom, and the word
    @ at guard_at still holds guard (exact bounds; else guard_at = &guard).
    ldmdb r12, {{r6, r7, r8}}       @ bottom, guard_at, guard
    cmp sp, r6
    ldrhs r7, [r7]
    cmphs r7, r8
    bne 3f
2:  mov r4, r3
    .if \hook
    sub sp, sp, #4                  @ 8-byte aligned (the frame is 68 or 204 bytes)
    bl ucvisor_cfg_sw_hook
    .endif
    @ r4 = ucvisor_virq, r5 = &OSTCBCur
ucvisor_switch_in_\name:
    ldr r1, =OSTCBHighRdy
    ldr r1, [r1]
    str r1, [r5]                    @ OSTCBCur = OSTCBHighRdy
    ldr r0, =OSPrioHighRdy
    ldrb r0, [r0]
    ldr r2, =OSPrioCur
    strb r0, [r2]                   @ OSPrioCur = OSPrioHighRdy
    ldr sp, [r1]
    .if \vfp
    ldr r3, [sp, #{vfp_area}]       @ the frame's mask
    .else
    ldr r3, [sp]
    .endif
    cmp r3, #0
    beq 4f
    .if \vfp
    pop {{r2, r3}}
    vmsr fpscr, r2
    vpop {{d0-d15}}
    .endif
    ldr r12, [sp, #52]              @ r12 slot: the task's record
    str r12, [r4, #-4]              @ ucvisor_current_record
    str r0, [r4, #12]               @ ucvisor_current_task_prio
    ldr r7, =_impure_ptr
    str r12, [r7]                   @ the record is its newlib state
    ldr r6, [r12, #-16]             @ name_at
    ldr r6, [r6]
    str r6, [r4, #16]               @ ucvisor_current_task_name
    ldmib sp, {{r0-r12, lr}}        @ lr = the pc slot's return address
    add sp, sp, #{frame}
    bx lr
    @ An interrupted task's frame (or a new task's).
4:  mov r4, sp
    bic sp, sp, #7
    bl ucvisor_cfg_task_in
    mov sp, r4
    .if \vfp
    b ucvisor_restore_frame_vfp
    .else
    b ucvisor_restore_frame_soft
    .endif
    @ The stack check failed: the C half reports it (and does not return if
    @ the task overflowed).
3:  mov r6, sp
    mov r1, sp
    ldr r0, [r5]
    bic sp, sp, #7
    bl ucvisor_cfg_check_stack
    mov sp, r6
    ldr r3, =ucvisor_virq
    b 2b

    @ OSIntCtxSw: the switch at the end of an ISR (called by OSIntExit on
    @ the interrupt stack); the interrupted task's frame was saved, and its
    @ stack checked, by the virtual IRQ entry. Never returns.
    .global ucvisor_intctxsw_\name
    .type ucvisor_intctxsw_\name, %function
ucvisor_intctxsw_\name:
    ldr r4, =ucvisor_virq
    ldr r5, =OSTCBCur
    .if \hook
    bl ucvisor_cfg_sw_hook
    .endif
    b ucvisor_switch_in_\name

    @ OSStartHighRdy: run the highest-priority task for the first time.
    .global ucvisor_start_\name
    .type ucvisor_start_\name, %function
ucvisor_start_\name:
    bic sp, sp, #7
    bl ucvisor_cfg_start
    ldr r0, =OSRunning
    mov r1, #1
    strb r1, [r0]
    ldr r4, =ucvisor_virq
    ldr r5, =OSTCBCur
    b ucvisor_switch_in_\name
    .ltorg
    .endm

    SWITCH soft, 0, 0
    SWITCH soft_hook, 0, 1
    SWITCH vfp, 1, 0
    SWITCH vfp_hook, 1, 1
"#,
    vfp_area = const VFP_AREA_SIZE,
    frame = const FRAME_SIZE,
    context_resume = const paravirt_api::PV_SYS_CONTEXT_RESUME,
);
