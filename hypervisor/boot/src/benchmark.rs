// SPDX-License-Identifier: MIT OR Apache-2.0
//! The benchmark images' one option: user mode may read the PMU's cycle
//! counter (PMCCNTR), which under QEMU's `-icount shift=0` counts exactly one
//! per instruction, so a benchmark reads exact instruction counts around what
//! it measures without a system call.
//!
//! Only an image that asks for it (`system_image!(benchmark)`,
//! `kernel_test_image!(benchmark)`) runs [`open_cycle_counter`] as its boot
//! hook; the kernel itself never opens the PMU, so in every other image a
//! user-mode read of PMCCNTR is an undefined-instruction fault (the `faults`
//! kernel test image checks that).

/// Boot hook of benchmark images (kernel context, before any user thread):
/// enables the cycle counter, resets it, and lets user mode read it
/// (PMUSERENR.EN).
pub fn open_cycle_counter() {
    arch::open_cycle_counter();
}

#[cfg(all(target_arch = "arm", target_os = "none"))]
mod arch {
    use core::arch::asm;

    /// PMCR.E (enable) and PMCR.C (reset the cycle counter); PMCR.D stays clear
    /// (count every cycle, not every 64th).
    const PMCR_ENABLE_AND_RESET_CYCLES: u32 = (1 << 0) | (1 << 2);
    /// PMCNTENSET.C: the cycle counter counts.
    const PMCNTENSET_CYCLES: u32 = 1 << 31;
    /// PMUSERENR.EN: user mode may read the counters.
    const PMUSERENR_EN: u32 = 1;

    pub fn open_cycle_counter() {
        // SAFETY: runs at PL1 (the kernel's boot hook); the PMU registers only
        // control counting and user access to the counters, nothing the kernel
        // relies on.
        unsafe {
            asm!(
                "mcr p15, 0, {pmcr}, c9, c12, 0",
                "mcr p15, 0, {enable}, c9, c12, 1",
                "mcr p15, 0, {user}, c9, c14, 0",
                "isb",
                pmcr = in(reg) PMCR_ENABLE_AND_RESET_CYCLES,
                enable = in(reg) PMCNTENSET_CYCLES,
                user = in(reg) PMUSERENR_EN,
                options(nostack, preserves_flags),
            );
        }
    }
}

#[cfg(not(all(target_arch = "arm", target_os = "none")))]
mod arch {
    /// No PMU off the target.
    pub fn open_cycle_counter() {}
}
