// SPDX-License-Identifier: MIT OR Apache-2.0
//! Bootable image of the `tick_restart` example (this folder; `system.toml` describes the image):
//! `cargo run --target armv7a-none-eabi --example tick_restart`.
#![cfg_attr(target_os = "none", no_std, no_main)]

ucvisor::system_image!();
