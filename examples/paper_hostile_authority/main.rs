// SPDX-License-Identifier: MIT OR Apache-2.0
//! The `hostile_authority` image: the `attacker` guest (this folder) tries every
//! kind of authority it was never given while the `ticks` victim keeps its exact
//! tick; see `system.toml` and `main.c`.
//! `cargo run --target armv7a-none-eabi --example hostile_authority`
#![cfg_attr(target_os = "none", no_std, no_main)]

ucvisor::system_image!();
