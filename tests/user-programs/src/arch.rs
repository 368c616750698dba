//! The ARM instructions the kernel test programs need and Rust cannot express:
//! code entered with a chosen Thumb IT state or data endianness (the
//! ContextResume probes) and the user read/write thread register. Everything
//! here is only built for the target.

use core::arch::{asm, global_asm};

/// Reads TPIDRURW, the user read/write thread register.
pub fn user_rw_thread_register() -> u32 {
    let value: u32;
    // SAFETY: TPIDRURW is readable from user mode and reading it has no side effect.
    unsafe { asm!("mrc p15, 0, {}, c13, c0, 2", out(reg) value, options(nomem, nostack, preserves_flags)) };
    value
}

/// Writes TPIDRURW, the user read/write thread register.
pub fn set_user_rw_thread_register(value: u32) {
    // SAFETY: TPIDRURW is writable from user mode and only this thread's.
    unsafe { asm!("mcr p15, 0, {}, c13, c0, 2", in(reg) value, options(nomem, nostack, preserves_flags)) };
}

/// Words a probe reports through r8: r0..r7, APSR, r11, r12, lr, sp.
pub const PROBE_REPORT_WORDS: usize = 13;

global_asm!(
    r#"
    .syntax unified
    .section .text.user_programs_probes, "ax"

    @ Thumb: an ITTTT EQ block of four 16-bit moves to r4..r7. A frame enters it
    @ after the IT instruction (+2, +4, +6, +8 for one to four moves left) with
    @ the matching IT state in its flags; the moves then run only if EQ holds.
    .thumb
    .balign 4
    .global probe_itttt
    .type probe_itttt, %function
    .thumb_func
probe_itttt:
    itttt eq
    moveq.n r4, #1
    moveq.n r5, #1
    moveq.n r6, #1
    moveq.n r7, #1
    b probe_report_thumb

    @ Thumb: ITE GE; the second move (+4) runs under LT.
    .balign 4
    .global probe_ite
    .type probe_ite, %function
    .thumb_func
probe_ite:
    ite ge
    movge.n r4, #1
    movlt.n r5, #1
    @ fall through
    .thumb_func
probe_report_thumb:
    stm r8, {{r0-r7}}
    mrs r0, apsr
    str r0, [r8, #32]
    str r11, [r8, #36]
    str r12, [r8, #40]
    str lr, [r8, #44]
    str sp, [r8, #48]
    bx r9

    @ ARM: loads the word at r10 into r4 with the data endianness of the frame,
    @ then goes back to little-endian and reports.
    .arm
    .balign 4
    .global probe_endian
    .type probe_endian, %function
probe_endian:
    ldr r4, [r10]
    setend le
    stm r8, {{r0-r7}}
    mrs r0, apsr
    str r0, [r8, #32]
    str r11, [r8, #36]
    str r12, [r8, #40]
    str lr, [r8, #44]
    str sp, [r8, #48]
    bx r9
"#
);

unsafe extern "C" {
    /// Thumb ITTTT EQ probe (never call it: enter it through a context frame).
    pub fn probe_itttt();
    /// Thumb ITE GE probe (never call it: enter it through a context frame).
    pub fn probe_ite();
    /// ARM endianness probe (never call it: enter it through a context frame).
    pub fn probe_endian();
}
