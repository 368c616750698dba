// SPDX-License-Identifier: MIT OR Apache-2.0
//! A faulting guest beside a healthy one, as a system description says:
//! `ticks` (priority 40) counts 10,000 ticks and checks that none was lost;
//! `crash` faults after 50 ticks and is restarted (`on_fault restart`, at
//! most 2 restarts a minute): reloaded into a fresh domain twice, then stopped at
//! its third fault. `ticks` keeps its exact tick count throughout; exit code 3.
//! `cargo run --target armv7a-none-eabi --example fault_restart`
#![cfg_attr(target_os = "none", no_std, no_main)]

ucvisor::system_image!();
