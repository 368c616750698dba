// SPDX-License-Identifier: MIT OR Apache-2.0
//! Platform facts: every physical address, interrupt number and clock of the board
//! the kernel runs on lives here and nowhere else. Today the one platform is QEMU
//! `virt` with a Cortex-A15; a new board is a new submodule re-exported below.

mod qemu_virt;

pub use qemu_virt::*;
