// SPDX-License-Identifier: MIT OR Apache-2.0
//! Installing translation tables and switching address spaces. Table contents
//! are built by the portable `memory::page_table` module.

use crate::memory::page_table::L1Table;
use core::arch::asm;

/// TTBR0 walk attributes: inner/outer write-back write-allocate (IRGN=01, RGN=01).
const TTBR_WALK_ATTRIBUTES: u32 = (1 << 6) | (1 << 3);

const SCTLR_M: u32 = 1 << 0;
const SCTLR_A: u32 = 1 << 1;
const SCTLR_C: u32 = 1 << 2;
const SCTLR_Z: u32 = 1 << 11;
const SCTLR_I: u32 = 1 << 12;
const SCTLR_V: u32 = 1 << 13;
const SCTLR_TRE: u32 = 1 << 28;
const SCTLR_AFE: u32 = 1 << 29;

/// Invalidates TLBs, instruction cache and branch predictor, installs `table` in
/// TTBR0 with ASID 0 and turns on the MMU and the caches.
pub fn enable(table: &L1Table) {
    let ttbr = table.base_address() as u32 | TTBR_WALK_ATTRIBUTES;
    // SAFETY: `table` (the kernel's, kept in a static for good) identity-maps the running kernel (built by
    // `build_kernel_table`), so the instruction stream continues at the same
    // address once translation is on. TTBCR=0 selects short descriptors and TTBR0
    // only; DACR makes every domain a client so the AP bits are checked.
    unsafe {
        asm!(
            "mcr p15, 0, {zero}, c8, c7, 0",   // TLBIALL
            "mcr p15, 0, {zero}, c7, c5, 0",   // ICIALLU
            "mcr p15, 0, {zero}, c7, c5, 6",   // BPIALL
            "mcr p15, 0, {zero}, c2, c0, 2",   // TTBCR
            "mcr p15, 0, {ttbr}, c2, c0, 0",   // TTBR0
            "mcr p15, 0, {zero}, c13, c0, 1",  // CONTEXTIDR: ASID 0
            "mcr p15, 0, {dacr}, c3, c0, 0",   // DACR
            "dsb",
            "isb",
            zero = in(reg) 0u32,
            ttbr = in(reg) ttbr,
            dacr = in(reg) 0x5555_5555u32,
            options(nostack),
        );
    }
    let sctlr = (super::cpu::system_control() | SCTLR_M | SCTLR_C | SCTLR_I | SCTLR_Z)
        & !(SCTLR_A | SCTLR_V | SCTLR_TRE | SCTLR_AFE);
    // SAFETY: see above; the barrier makes the new translation regime visible.
    unsafe { asm!("mcr p15, 0, {}, c1, c0, 0", "isb", in(reg) sctlr, options(nostack)) };
}

/// True once the MMU is on.
pub fn is_enabled() -> bool {
    super::cpu::system_control() & SCTLR_M != 0
}

/// Switches to the address space whose table is `table`, tagged `asid`.
///
/// ARM's sequence for changing ASID and TTBR0 together without a window in
/// which a walk pairs the new ASID with the old table: first point TTBR0 at
/// `global_only` (the kernel table, whose entries are all global), then change
/// the ASID, then install the new table. No TLB maintenance: entries are
/// tagged with their space's ASID (an ASID is flushed when its space's
/// mappings change or the space is reused, [`flush_asid`]).
///
/// The last TTBR0 write needs no barrier of its own: until the exception
/// return the kernel runs on its global mappings, the same in every table,
/// and the exception return (`rfe`) is a context synchronization event, so
/// user mode starts with the new table and ASID in force.
pub fn switch_space(global_only: &L1Table, table: &L1Table, asid: u8) {
    let reserved = global_only.base_address() as u32 | TTBR_WALK_ATTRIBUTES;
    let ttbr = table.base_address() as u32 | TTBR_WALK_ATTRIBUTES;
    // SAFETY: every table the kernel installs carries the kernel's global
    // mappings, so the running code stays mapped across each step.
    unsafe {
        asm!(
            "mcr p15, 0, {reserved}, c2, c0, 0",
            "isb",
            "mcr p15, 0, {asid}, c13, c0, 1",
            "isb",
            "mcr p15, 0, {ttbr}, c2, c0, 0",
            reserved = in(reg) reserved,
            ttbr = in(reg) ttbr,
            asid = in(reg) u32::from(asid),
            options(nostack),
        );
    }
}

/// Drops every TLB entry tagged with `asid` (after unmapping or reusing an ASID).
pub fn flush_asid(asid: u8) {
    // SAFETY: TLBIASID only discards cached translations.
    unsafe { asm!("dsb", "mcr p15, 0, {}, c8, c7, 2", "dsb", "isb", in(reg) u32::from(asid), options(nostack)) };
}
