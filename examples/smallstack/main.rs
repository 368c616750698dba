// SPDX-License-Identifier: MIT OR Apache-2.0
//! Bootable image of the `smallstack` test application (this folder; `system.toml` describes the image): printf from tasks with 256-entry stacks and from a timer callback.
//! `cargo run --target armv7a-none-eabi --example smallstack`.
#![cfg_attr(target_os = "none", no_std, no_main)]

ucvisor::system_image!();
