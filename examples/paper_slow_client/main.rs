// SPDX-License-Identifier: MIT OR Apache-2.0
//! The `slow_client` image: a guest registers a v_timer client that never
//! receives (`stall`, this folder) beside the `ticks` victim and a probe that
//! measures how late its ticks come (`probe`, this folder); see `system.toml`
//! and `main.c`.
//! `cargo run --target armv7a-none-eabi --example slow_client`
#![cfg_attr(target_os = "none", no_std, no_main)]

ucvisor::system_image!();
