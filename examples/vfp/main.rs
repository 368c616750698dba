// SPDX-License-Identifier: MIT OR Apache-2.0
//! Bootable image of the `vfp` test application (this folder; `system.toml` describes the image): a hard-float guest: VFP registers per task under preemption.
//! `cargo run --target armv7a-none-eabi --example vfp`.
#![cfg_attr(target_os = "none", no_std, no_main)]

ucvisor::system_image!();
