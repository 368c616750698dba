// SPDX-License-Identifier: MIT OR Apache-2.0
//! Bootable image of the `cpustate` test application (this folder; `system.toml` describes the image): no CPU state lost when virtual interrupts land anywhere.
//! `cargo run --target armv7a-none-eabi --example cpustate`.
#![cfg_attr(target_os = "none", no_std, no_main)]

ucvisor::system_image!();
