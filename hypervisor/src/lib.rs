// SPDX-License-Identifier: MIT OR Apache-2.0
//! The ucvisor microkernel: an L4-style kernel for ARMv7-A that runs in SVC mode
//! and hosts everything else in user mode: threads with global IDs and
//! priorities, address spaces with their own translation tables, synchronous
//! IPC, interrupts delivered as IPC, ExchangeRegisters, and user faults turned
//! into exception IPC. The crate also holds the user-level servers' shared logic.
//!
//! Portable logic (scheduling, IPC state, argument checks, page-table building)
//! builds and is unit-tested on the host; `arch/` holds every ARM instruction and
//! `plat/` every platform address.
#![cfg_attr(not(test), no_std)]
#![deny(unsafe_op_in_unsafe_fn)]

pub mod arch;
pub use ucvisor_elf as elf;
pub mod kernel;
pub mod memory;
pub mod plat;
pub mod table;
pub mod text;

#[cfg(target_os = "none")]
pub mod drivers;
#[cfg(target_os = "none")]
mod runtime;

pub use ucvisor_boot::{BootConfig, boot_config};
