// SPDX-License-Identifier: MIT OR Apache-2.0
//! A faulting guest beside a healthy one, as a system description says:
//! `ticks` (priority 40) counts 10,000 ticks and checks that none was lost;
//! `crash` faults after 50 ticks and ends the whole system (`on_fault
//! shutdown`) with exit code 3, before `ticks` finishes.
//! `cargo run --target armv7a-none-eabi --example fault_shutdown`
#![cfg_attr(target_os = "none", no_std, no_main)]

ucvisor::system_image!();
