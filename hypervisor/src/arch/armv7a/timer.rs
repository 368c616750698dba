// SPDX-License-Identifier: MIT OR Apache-2.0
//! The generic timer: the non-secure physical timer is the kernel's own (its
//! tick and the direct guests' ticks, `kernel::ticks`), armed relative to now
//! (CNTP_TVAL), so that it follows the virtual count the kernel reads even if
//! the two counters differ by a fixed offset; the
//! virtual timer is handed to user mode (`CNTKCTL.PL0VTEN`) only while a thread
//! of a space granted it (`PV_SPACE_TIMER_ACCESS`: the `v_timer` server's)
//! runs; the counters are readable from user mode by everyone.

use core::arch::asm;

/// Counter frequency in Hz (CNTFRQ, set by firmware; 62.5 MHz on QEMU `virt`).
pub fn frequency() -> u32 {
    let value: u32;
    // SAFETY: reading CNTFRQ has no side effect.
    unsafe { asm!("mrc p15, 0, {}, c14, c0, 0", out(reg) value, options(nomem, nostack)) };
    value
}

/// The virtual count (CNTVCT): the counter v_timer and the guests follow,
/// which the kernel's tick schedules and IPC timeouts use too.
pub fn virtual_counter() -> u64 {
    let (low, high): (u32, u32);
    // SAFETY: reading CNTVCT has no side effect.
    unsafe { asm!("isb", "mrrc p15, 1, {}, {}, c14", out(reg) low, out(reg) high, options(nomem, nostack)) };
    (u64::from(high) << 32) | u64::from(low)
}

/// Enables the physical timer, interrupt unmasked, to fire `ticks` counter
/// ticks from now: once, at boot. It stays enabled from then on, so that
/// re-arming it ([`arm_physical`]) is one register write.
pub fn start_physical(ticks: u32) {
    // SAFETY: CNTP_TVAL/CNTP_CTL only control the timer interrupt line.
    unsafe {
        asm!("mcr p15, 0, {}, c14, c2, 0", "mov {tmp}, #1", "mcr p15, 0, {tmp}, c14, c2, 1", "isb",
             in(reg) ticks, tmp = out(reg) _, options(nomem, nostack));
    }
}

/// Re-arms the physical timer (enabled since [`start_physical`]) to fire
/// `ticks` counter ticks from now; the write also lowers its interrupt line
/// until then. No barrier: the kernel runs with IRQs masked, and the
/// exception return that ends its entry synchronises the write.
pub fn arm_physical(ticks: u32) {
    // SAFETY: CNTP_TVAL only controls when the timer interrupt line rises.
    unsafe { asm!("mcr p15, 0, {}, c14, c2, 0", in(reg) ticks, options(nomem, nostack)) };
}

/// CNTKCTL.PL0PCTEN | PL0VCTEN: user mode may read CNTPCT, CNTVCT and CNTFRQ.
const CNTKCTL_COUNTERS: u32 = (1 << 0) | (1 << 1);
/// CNTKCTL.PL0VTEN: user mode may read and write CNTV_CTL, CNTV_CVAL, CNTV_TVAL.
const CNTKCTL_VIRTUAL_TIMER: u32 = 1 << 8;

/// Lets user mode read both counters, and program the virtual timer only if
/// `virtual_timer` (CNTKCTL: PL0PCTEN, PL0VCTEN, and PL0VTEN if asked). The
/// physical timer's registers (the kernel's tick) are never open to user mode.
pub fn set_user_access(virtual_timer: bool) {
    let value = CNTKCTL_COUNTERS | if virtual_timer { CNTKCTL_VIRTUAL_TIMER } else { 0 };
    // SAFETY: CNTKCTL only controls PL0 access to the generic timer registers.
    unsafe { asm!("mcr p15, 0, {}, c14, c1, 0", "isb", in(reg) value, options(nomem, nostack)) };
}
