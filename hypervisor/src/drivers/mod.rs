// SPDX-License-Identifier: MIT OR Apache-2.0
//! Drivers for the devices the kernel itself owns: the GICv2 (through the
//! `arm-gic` crate) and the PL011 console used for kernel debug output (through
//! `arm-pl011-uart`). Both are plain MMIO, so nothing here is architecture code.

pub mod console;
pub mod gic;
