// SPDX-License-Identifier: MIT OR Apache-2.0
//! Bootable image of `examples/tickrate` at 1024 ticks per second (16,384 ticks):
//! `cargo run --target armv7a-none-eabi --example tickrate_1024`.
#![cfg_attr(target_os = "none", no_std, no_main)]

ucvisor::system_image!();
