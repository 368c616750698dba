// SPDX-License-Identifier: MIT OR Apache-2.0
//! Attacks on a guest's own memory layout beside a healthy guest: each
//! attacker guest (built from this folder with its own `HOSTILE_ATTACK`)
//! writes into its own code, executes its data, executes its stack, or runs
//! off its stack; each faults once and is stopped, and `ticks` keeps its exact
//! tick count. `cargo run --target armv7a-none-eabi --example hostile_memory`
#![cfg_attr(target_os = "none", no_std, no_main)]

ucvisor::system_image!();
