// SPDX-License-Identifier: MIT OR Apache-2.0
//! Bootable image of the `stats` test application (this folder; `system.toml` describes the image): µC/OS-II statistics (OSCPUUsage) and application-defined OS*Hook functions.
//! `cargo run --target armv7a-none-eabi --example stats`.
#![cfg_attr(target_os = "none", no_std, no_main)]

ucvisor::system_image!();
