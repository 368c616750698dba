// SPDX-License-Identifier: MIT OR Apache-2.0
//! Bootable image of the `newlib` test application (this folder; `system.toml` describes the image): newlib reentrant across µC/OS-II tasks.
//! `cargo run --target armv7a-none-eabi --example newlib`.
#![cfg_attr(target_os = "none", no_std, no_main)]

ucvisor::system_image!();
