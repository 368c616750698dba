// SPDX-License-Identifier: MIT OR Apache-2.0
//! The `limits` test application as the only guest of a described system
//! (priority 30, 6144 KiB, no console input): it checks that the root server
//! refuses threads above its ceiling and memory beyond its 6144 KiB, and that
//! v_serial refuses it the console input.
//! `cargo run --target armv7a-none-eabi --example limits`
#![cfg_attr(target_os = "none", no_std, no_main)]

ucvisor::system_image!();
