// SPDX-License-Identifier: MIT OR Apache-2.0
//! Bootable image of `examples/tickrate` asking for 32,769 ticks per second, one
//! more than v_timer serves (built without the build-time check): the guest
//! runtime reports the refusal and ends the guest before it starts, exit code 78.
//! `cargo run --target armv7a-none-eabi --example tickrate_refused`.
#![cfg_attr(target_os = "none", no_std, no_main)]

ucvisor::system_image!();
