// SPDX-License-Identifier: MIT OR Apache-2.0
//! Bootable image of the `cdiv` example (this folder; `system.toml` describes the image): C division by zero,
//! 64-bit arithmetic and soft-float with libgcc's semantics.
//! `cargo run --target armv7a-none-eabi --example cdiv`.
#![cfg_attr(target_os = "none", no_std, no_main)]

ucvisor::system_image!();
