// SPDX-License-Identifier: MIT OR Apache-2.0
//! ucvisor, the paravirtualization SDK: an L4-style Rust microkernel
//! (`hypervisor`) hosting unmodified µC/OS-II guests in ARM user mode, the
//! paravirtual C ABI (`paravirt_api`, `include/paravirt.h`), the µC/OS-II port
//! and guest runtime (`port`) and the bundled µC/OS-II-compatible kernel
//! (`ucos-ii-c`). This crate's binary and examples are the bootable images.
//!
//! An image crate (this package's binary and examples, or a package of your
//! own) holds only data: [`system_image!`] defines its [`BootConfig`] from the
//! modules its build script built (`xtask::build_system`). The kernel is
//! linked into it as an object prebuilt with the SDK's settings
//! (`xtask::Sdk::link_images`), not as a dependency.
#![no_std]

pub use paravirt_api;
pub use ucvisor_boot::{BootConfig, boot_config, system_image};
