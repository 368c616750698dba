// SPDX-License-Identifier: MIT OR Apache-2.0
//! Bootable image of `examples/tickrate` at 100 ticks per second (1,000 ticks):
//! `cargo run --target armv7a-none-eabi --example tickrate_100`.
#![cfg_attr(target_os = "none", no_std, no_main)]

ucvisor::system_image!();
