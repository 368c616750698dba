// SPDX-License-Identifier: MIT OR Apache-2.0
//! Bootable image of the `cdiv` example (`examples/cdiv/`) built with libgcc's
//! own division-by-zero handlers, wrapped to count their calls:
//! `cargo run --target armv7a-none-eabi --example cdiv_default`.
#![cfg_attr(target_os = "none", no_std, no_main)]

ucvisor::system_image!();
