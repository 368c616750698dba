// SPDX-License-Identifier: MIT OR Apache-2.0
//! The ARM instructions the kernel test programs need and Rust cannot express:
//! code entered with a chosen Thumb IT state or data endianness (the
//! ContextResume probes), the user read/write thread register, and loads and
//! stores of the whole FPU register file (the programs are soft-float; these
//! routines are assembled with `.fpu neon-vfpv4`), and the benchmark's
//! register-only IPC sequences (an `svc` with the whole message in r0..r11,
//! timed by cycle-counter reads right around it). Everything here is only
//! built for the target.

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

/// Reads the PMU's cycle counter (PMCCNTR): one per instruction under QEMU's
/// `-icount shift=0`. Only in benchmark images (`kernel_test_image!(benchmark)`)
/// may user mode read it; elsewhere this is an undefined-instruction fault.
#[inline(always)]
pub fn cycle_counter() -> u32 {
    let value: u32;
    // SAFETY: reading PMCCNTR has no side effect (a fault if the kernel did not
    // open the PMU to user mode, which the kernel reports).
    unsafe { asm!("mrc p15, 0, {}, c9, c13, 0", out(reg) value, options(nomem, nostack, preserves_flags)) };
    value
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

/// The whole user-visible FPU state: d0..d31 and FPSCR.
#[repr(C, align(8))]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FpuState {
    /// d0..d31.
    pub d: [u64; 32],
    /// FPSCR.
    pub fpscr: u32,
}

impl FpuState {
    /// All zero.
    pub const ZERO: Self = Self { d: [0; 32], fpscr: 0 };
}

global_asm!(
    r#"
    .syntax unified
    .section .text.user_programs_fpu, "ax"
    .fpu neon-vfpv4

    @ void fpu_load(const FpuState *state): d0..d31 and FPSCR from state (ARM code).
    .arm
    .balign 4
    .global fpu_load
    .type fpu_load, %function
fpu_load:
    vldmia r0!, {{d0-d15}}
    vldmia r0!, {{d16-d31}}
    ldr r1, [r0]
    vmsr fpscr, r1
    bx lr

    @ void fpu_store(FpuState *state): d0..d31 and FPSCR into state (ARM code).
    .global fpu_store
    .type fpu_store, %function
fpu_store:
    vstmia r0!, {{d0-d15}}
    vstmia r0!, {{d16-d31}}
    vmrs r1, fpscr
    str r1, [r0]
    bx lr

    @ The same two in Thumb code (a Thumb FPU instruction that traps must run
    @ again at the same address).
    .thumb
    .balign 4
    .global fpu_load_thumb
    .type fpu_load_thumb, %function
    .thumb_func
fpu_load_thumb:
    vldmia r0!, {{d0-d15}}
    vldmia r0!, {{d16-d31}}
    ldr r1, [r0]
    vmsr fpscr, r1
    bx lr

    .global fpu_store_thumb
    .type fpu_store_thumb, %function
    .thumb_func
fpu_store_thumb:
    vstmia r0!, {{d0-d15}}
    vstmia r0!, {{d16-d31}}
    vmrs r1, fpscr
    str r1, [r0]
    bx lr
"#
);

/// Which instruction set the FPU routines run in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Isa {
    /// ARM state.
    Arm,
    /// Thumb state.
    Thumb,
}

/// Loads d0..d31 and FPSCR from `state`. Nothing in these soft-float programs
/// touches the FPU otherwise, so the values stay until the next load.
pub fn fpu_load_state(state: &FpuState, isa: Isa) {
    // SAFETY: the routines read exactly one FpuState; FPU registers belong to
    // no Rust code here (soft-float).
    unsafe {
        match isa {
            Isa::Arm => fpu_load(state),
            Isa::Thumb => fpu_load_thumb(state),
        }
    }
}

/// Reads d0..d31 and FPSCR.
pub fn fpu_store_state(isa: Isa) -> FpuState {
    let mut state = FpuState::ZERO;
    // SAFETY: the routines write exactly one FpuState.
    unsafe {
        match isa {
            Isa::Arm => fpu_store(&mut state),
            Isa::Thumb => fpu_store_thumb(&mut state),
        }
    }
    state
}

global_asm!(
    r#"
    .section .text.user_programs_undefined, "ax"
    .arm
    .balign 4
    .global user_programs_undefined
    .type user_programs_undefined, %function
user_programs_undefined:
    udf #0x42
    bx lr
"#
);

/// Executes an undefined instruction (`udf`, not an FPU instruction) in ARM state.
pub fn undefined_instruction() {
    // SAFETY: the routine only traps; if the kernel resumed it, it would return.
    unsafe { user_programs_undefined() }
}

/// Address of the `udf` instruction [`undefined_instruction`] executes.
pub fn undefined_instruction_address() -> u32 {
    user_programs_undefined as *const () as usize as u32
}

global_asm!(
    r#"
    .section .text.user_programs_bench_ipc, "ax"
    .arm
    .balign 4

    @ void bench_call_registers(to, uint32_t io[11]): an IPC Call to `to`
    @ (receive from it, both timeouts NEVER) with r3 = io[0] (tag) and
    @ r4..r11 = io[1..9] (MR0..MR7) loaded before and stored back after the
    @ trap; io[9] = r0 (result), io[10] = the cycle counter just after the
    @ trap minus just before it (the `svc` and everything until the reply
    @ returns, plus the one read; lr holds the start: the kernel keeps a
    @ thread's lr across the trap).
    .global bench_call_registers
    .type bench_call_registers, %function
bench_call_registers:
    push {{r1, r4-r11, lr}}
    ldr r3, [r1], #4
    ldm r1, {{r4-r11}}
    mov r1, r0
    mvn r2, #0
    mov r12, #{ipc}
    mrc p15, 0, lr, c9, c13, 0
    svc #0
    mrc p15, 0, r12, c9, c13, 0
    sub lr, r12, lr
    ldr r12, [sp]
    stm r12, {{r3-r11}}
    str r0, [r12, #36]
    str lr, [r12, #40]
    pop {{r1, r4-r11, pc}}

    @ bench_echo_registers: a thread's entry that never returns. Waits for a
    @ message from anyone and answers each with ReplyWait (reply timeout
    @ ZERO, receive NEVER), sending back the tag and words it received,
    @ untouched in r3..r11; after a failed receive it only receives again.
    .global bench_echo_registers
    .type bench_echo_registers, %function
bench_echo_registers:
    mov r0, #{nil}
1:  mvn r1, #0
    movw r2, #{never}
    mov r12, #{ipc}
    svc #0
    cmp r0, #{ok}
    movne r0, #{nil}
    moveq r0, r1
    b 1b
"#,
    ipc = const paravirt_api::PV_SYS_IPC,
    nil = const paravirt_api::PV_NIL_THREAD,
    never = const paravirt_api::PV_TIMEOUT_NEVER,
    ok = const paravirt_api::PV_OK,
);

/// One register-only IPC Call, as the benchmark times it (see
/// [`bench_call_registers`]'s assembly): the whole message in registers
/// r3..r11, no stub in the timed window.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
#[repr(C)]
pub struct RegisterCall {
    /// The tag sent; the reply's tag afterwards.
    pub tag: u32,
    /// MR0..MR7 sent; the reply's afterwards.
    pub words: [u32; 8],
    /// The kernel's result code (r0).
    pub result: u32,
    /// Cycle counter after the trap minus before it: instructions under
    /// `-icount shift=0`, one counter read included.
    pub cycles: u32,
}

/// Calls `to` with `call`'s tag and words in registers and times the trap.
pub fn call_registers(to: u32, call: &mut RegisterCall) {
    // SAFETY: the routine reads and writes exactly one `RegisterCall`
    // (`repr(C)`, eleven words) and preserves every callee-saved register.
    unsafe { bench_call_registers(to, call) }
}

/// The entry of a thread that echoes every message with register-only
/// ReplyWaits (for [`spawn`](crate::spawn)).
pub fn echo_registers_entry() -> extern "C" fn() -> ! {
    bench_echo_registers
}

unsafe extern "C" {
    fn bench_call_registers(to: u32, call: *mut RegisterCall);
    /// Safe: it only makes IPC system calls (with the kernel checking
    /// everything) on its own registers, forever.
    safe fn bench_echo_registers() -> !;
    fn user_programs_undefined();
    fn fpu_load(state: *const FpuState);
    fn fpu_store(state: *mut FpuState);
    fn fpu_load_thumb(state: *const FpuState);
    fn fpu_store_thumb(state: *mut FpuState);
    /// Thumb ITTTT EQ probe (never call it: enter it through a context frame).
    pub fn probe_itttt();
    /// Thumb ITE GE probe (never call it: enter it through a context frame).
    pub fn probe_ite();
    /// ARM endianness probe (never call it: enter it through a context frame).
    pub fn probe_endian();
}
