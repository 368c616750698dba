// SPDX-License-Identifier: MIT OR Apache-2.0
//! Bootable image of `examples/tickrate` at 32,768 ticks per second, the highest
//! rate v_timer serves (32,768 ticks):
//! `cargo run --target armv7a-none-eabi --example tickrate_32768`.
#![cfg_attr(target_os = "none", no_std, no_main)]

ucvisor::system_image!();
