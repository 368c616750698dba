// SPDX-License-Identifier: MIT OR Apache-2.0
//! CPU control: interrupt masking, waiting for interrupts, barriers, exit.

use core::arch::asm;

/// Unmasks IRQs, waits for one to be taken, masks them again. The kernel runs
/// with IRQs masked everywhere else, so this is the only window in which an IRQ
/// is taken from kernel mode (the idle loop). The barrier first makes the
/// timer's latest arming (`timer::arm_physical` has none) take effect before
/// the wait.
pub fn wait_for_interrupt() {
    // SAFETY: the IRQ vector handles an interrupt taken from SVC mode by saving
    // the caller-saved registers on the kernel stack and returning here; no Rust
    // state is borrowed across this window.
    unsafe { asm!("isb", "cpsie i", "wfi", "cpsid i", options(nostack)) };
}

/// Data synchronization and instruction barriers.
pub fn barrier() {
    // SAFETY: barriers have no effect other than ordering.
    unsafe { asm!("dsb", "isb", options(nostack, preserves_flags)) };
}

/// Ends the emulated machine through semihosting SYS_EXIT_EXTENDED, carrying
/// `code` to the host as QEMU's exit status.
pub fn exit(code: u32) -> ! {
    semihosting::sys::arm_compat::sys_exit_extended(
        semihosting::sys::arm_compat::ExitReason::ADP_Stopped_ApplicationExit,
        code as usize,
    );
    // Without semihosting (real hardware) there is nothing to return to.
    loop {
        // SAFETY: masking interrupts and waiting has no memory effect.
        unsafe { asm!("cpsid if", "wfi", options(nomem, nostack)) };
    }
}

/// Current value of the system control register (SCTLR).
pub fn system_control() -> u32 {
    let value: u32;
    // SAFETY: reading SCTLR has no side effect.
    unsafe { asm!("mrc p15, 0, {}, c1, c0, 0", out(reg) value, options(nomem, nostack)) };
    value
}

/// Data fault status and address registers (DFSR, DFAR) of the last data abort.
pub fn data_fault_status() -> (u32, u32) {
    let (status, address): (u32, u32);
    // SAFETY: reading the fault registers has no side effect.
    unsafe {
        asm!("mrc p15, 0, {}, c5, c0, 0", "mrc p15, 0, {}, c6, c0, 0",
             out(reg) status, out(reg) address, options(nomem, nostack));
    }
    (status, address)
}

/// Instruction fault status and address registers (IFSR, IFAR) of the last prefetch abort.
pub fn instruction_fault_status() -> (u32, u32) {
    let (status, address): (u32, u32);
    // SAFETY: reading the fault registers has no side effect.
    unsafe {
        asm!("mrc p15, 0, {}, c5, c0, 1", "mrc p15, 0, {}, c6, c0, 2",
             out(reg) status, out(reg) address, options(nomem, nostack));
    }
    (status, address)
}

/// Sets TPIDRURO, the user-read-only thread register (the running thread's UTCB).
pub fn set_user_thread_register(value: u32) {
    // SAFETY: TPIDRURO is a plain register user mode can only read.
    unsafe { asm!("mcr p15, 0, {}, c13, c0, 3", in(reg) value, options(nomem, nostack, preserves_flags)) };
}

/// Reads TPIDRURW, the user read/write thread register (each thread's own; the
/// kernel saves and loads it on every switch between threads).
pub fn user_rw_thread_register() -> u32 {
    let value: u32;
    // SAFETY: reading TPIDRURW has no side effect.
    unsafe { asm!("mrc p15, 0, {}, c13, c0, 2", out(reg) value, options(nomem, nostack, preserves_flags)) };
    value
}

/// Sets TPIDRURW, the user read/write thread register.
pub fn set_user_rw_thread_register(value: u32) {
    // SAFETY: TPIDRURW is a plain register that user mode may also write.
    unsafe { asm!("mcr p15, 0, {}, c13, c0, 2", in(reg) value, options(nomem, nostack, preserves_flags)) };
}

/// Makes instructions just written at `start..start + length` (kernel
/// virtual = physical: RAM is identity-mapped for the kernel) visible to
/// instruction fetch: clean each data-cache line to the point of unification
/// (DCCMVAU), then invalidate the whole instruction cache (ICIALLU) and the
/// branch predictor (BPIALL), with the barriers between that ARMv7 requires.
/// The line size comes from CTR.DminLine (64 bytes on the Cortex-A15, 32 on
/// the A8/A9). Needed on real hardware whenever code reaches memory through a
/// data mapping (the root task's image, a guest image the root server loads);
/// user mode cannot do it itself at PL0.
pub fn sync_instruction_cache(start: usize, length: usize) {
    let ctr: u32;
    // SAFETY: reading CTR (cache type register) has no side effect.
    unsafe { asm!("mrc p15, 0, {}, c0, c0, 1", out(reg) ctr, options(nomem, nostack, preserves_flags)) };
    let line = 4usize << ((ctr >> 16) & 0xF);
    let mut address = start & !(line - 1);
    while address < start + length {
        // SAFETY: DCCMVAU on a mapped kernel address only writes back a cache line.
        unsafe { asm!("mcr p15, 0, {}, c7, c11, 1", in(reg) address, options(nostack, preserves_flags)) };
        address += line;
    }
    // SAFETY: barriers and whole-cache invalidation of the I-cache/predictors are harmless.
    unsafe {
        asm!("dsb", "mcr p15, 0, {zero}, c7, c5, 0", "mcr p15, 0, {zero}, c7, c5, 6", "dsb", "isb",
             zero = in(reg) 0u32, options(nostack, preserves_flags));
    }
}
