// SPDX-License-Identifier: MIT OR Apache-2.0
//! The VFP / Advanced SIMD unit (the FPU), switched lazily between user threads.
//!
//! The kernel is soft-float and never uses the FPU for itself. At boot
//! [`init`] grants coprocessors 10 and 11 to PL1 and PL0 in CPACR (on QEMU
//! `virt` there is no secure monitor, so NSACR withholds nothing; elsewhere
//! the read-back catches it) and turns the unit off (FPEXC.EN = 0). The unit is
//! then on only while its current owner runs: the first FPU instruction of
//! any other thread is an undefined-instruction trap, on which the kernel
//! saves the owner's d0..d31 and FPSCR, loads the new thread's ([`switch`]),
//! turns the unit on and retries the instruction. The portable kernel decides
//! who owns the unit (`Kernel::undefined_instruction`); this module only moves
//! registers. The instructions are assembled with `.fpu neon-vfpv4` inside the
//! assembly below; Rust code of the kernel stays soft-float.

use core::arch::{asm, global_asm};
use core::sync::atomic::{AtomicBool, Ordering};

/// One thread's FPU registers as the kernel keeps them: d0..d31, then FPSCR.
#[repr(C, align(8))]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FpuRegisters {
    /// d0..d31 (the q registers overlay them).
    pub d: [u64; 32],
    /// Floating-point status and control.
    pub fpscr: u32,
    padding: u32,
}

impl FpuRegisters {
    /// What a thread that never used the FPU starts with: all zero (FPSCR 0:
    /// round to nearest, no flush-to-zero, no default NaN).
    pub const ZERO: Self = Self { d: [0; 32], fpscr: 0, padding: 0 };
}

/// CPACR bits 20..23: cp10 and cp11 full access (PL1 and PL0).
const CPACR_CP10_CP11_FULL: u32 = 0xF << 20;
/// CPACR.ASEDIS: Advanced SIMD disabled (fixed to 1 on cores without it).
const CPACR_ASEDIS: u32 = 1 << 31;
/// CPACR.D32DIS: d16..d31 disabled.
const CPACR_D32DIS: u32 = 1 << 30;
/// MVFR0 bits 3..0: the size of the register file (2 = 32 double registers).
const MVFR0_REGISTERS_32: u32 = 2;

/// Set once [`init`] found a usable unit; nothing here touches the FPU before.
static AVAILABLE: AtomicBool = AtomicBool::new(false);

global_asm!(
    r#"
    .section .text.ucvisor_fpu, "ax"
    .arm
    .fpu neon-vfpv4

    @ uint32_t ucvisor_fpu_mvfr0(void): the media and VFP feature register 0.
    .global ucvisor_fpu_mvfr0
    .type ucvisor_fpu_mvfr0, %function
ucvisor_fpu_mvfr0:
    vmrs r0, mvfr0
    bx lr

    @ void ucvisor_fpu_set_enabled(uint32_t enabled): FPEXC.EN = enabled != 0.
    .global ucvisor_fpu_set_enabled
    .type ucvisor_fpu_set_enabled, %function
ucvisor_fpu_set_enabled:
    cmp r0, #0
    movne r0, #(1 << 30)
    vmsr fpexc, r0
    isb
    bx lr

    @ void ucvisor_fpu_switch(FpuRegisters *save, const FpuRegisters *load):
    @ turns the unit on, stores d0..d31 and FPSCR to save (unless NULL), loads
    @ them from load.
    .global ucvisor_fpu_switch
    .type ucvisor_fpu_switch, %function
ucvisor_fpu_switch:
    mov r2, #(1 << 30)
    vmsr fpexc, r2
    isb
    cmp r0, #0
    beq 1f
    vstmia r0!, {{d0-d15}}
    vstmia r0!, {{d16-d31}}
    vmrs r2, fpscr
    str r2, [r0]
1:  vldmia r1!, {{d0-d15}}
    vldmia r1!, {{d16-d31}}
    ldr r2, [r1]
    vmsr fpscr, r2
    bx lr
"#
);

unsafe extern "C" {
    fn ucvisor_fpu_mvfr0() -> u32;
    fn ucvisor_fpu_set_enabled(enabled: u32);
    fn ucvisor_fpu_switch(save: *mut FpuRegisters, load: *const FpuRegisters);
}

/// Grants the FPU to PL1 and PL0 and turns it off. Returns true if the unit
/// is there with all 32 double registers and the grant took; otherwise the FPU
/// stays unused and every FPU instruction is a fault.
pub fn init() -> bool {
    let mut cpacr: u32;
    // SAFETY: reading CPACR has no side effect.
    unsafe { asm!("mrc p15, 0, {}, c1, c0, 2", out(reg) cpacr, options(nomem, nostack, preserves_flags)) };
    cpacr = (cpacr | CPACR_CP10_CP11_FULL) & !(CPACR_ASEDIS | CPACR_D32DIS);
    // SAFETY: CPACR only controls access to coprocessors 10 and 11, which the
    // kernel itself does not use (it is soft-float); FPEXC.EN stays 0 below.
    unsafe {
        asm!("mcr p15, 0, {}, c1, c0, 2", "isb", in(reg) cpacr, options(nomem, nostack, preserves_flags));
        asm!("mrc p15, 0, {}, c1, c0, 2", out(reg) cpacr, options(nomem, nostack, preserves_flags));
    }
    if cpacr & CPACR_CP10_CP11_FULL != CPACR_CP10_CP11_FULL || cpacr & CPACR_D32DIS != 0 {
        return false;
    }
    // SAFETY: with cp10/cp11 granted, PL1 may read MVFR0 and write FPEXC
    // whatever FPEXC.EN is.
    let registers = unsafe { ucvisor_fpu_mvfr0() } & 0xF;
    if registers != MVFR0_REGISTERS_32 {
        return false;
    }
    // SAFETY: as above; EN = 0 makes every user FPU instruction trap.
    unsafe { ucvisor_fpu_set_enabled(0) };
    AVAILABLE.store(true, Ordering::Relaxed);
    true
}

/// Turns the FPU on or off for user mode (FPEXC.EN). Does nothing unless [`init`] succeeded.
pub fn set_enabled(enabled: bool) {
    if AVAILABLE.load(Ordering::Relaxed) {
        // SAFETY: the unit is granted to PL1 (`init`); FPEXC.EN only decides
        // whether FPU instructions trap.
        unsafe { ucvisor_fpu_set_enabled(u32::from(enabled)) };
    }
}

/// Turns the FPU on, saves its registers into `*save` (unless NULL) and loads
/// `*load`. Does nothing unless [`init`] succeeded. The routine stores all of
/// `*save` before it reads `*load`, so the two may be the same area.
///
/// # Safety
///
/// `save` is NULL or valid for writes, `load` valid for reads, both
/// 8-byte aligned FpuRegisters (exactly the 33 words the routine stores
/// and loads) that nothing else accesses during the call.
pub unsafe fn switch_raw(save: *mut FpuRegisters, load: *const FpuRegisters) {
    if AVAILABLE.load(Ordering::Relaxed) {
        // SAFETY: the unit is granted to PL1; the pointers as the caller
        // guarantees.
        unsafe { ucvisor_fpu_switch(save, load) };
    }
}
