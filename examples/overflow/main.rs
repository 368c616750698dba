// SPDX-License-Identifier: MIT OR Apache-2.0
//! Bootable image of the `overflow` test application (this folder; `system.toml` describes the image): a task that overflows its stack is reported, not run on.
//! `cargo run --target armv7a-none-eabi --example overflow`.
#![cfg_attr(target_os = "none", no_std, no_main)]

ucvisor::system_image!();
