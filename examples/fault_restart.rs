//! A faulting guest beside a healthy one, as a system description says:
//! `ticks` (priority 40) counts 10,000 ticks and checks that none was lost;
//! `crash` faults after 50 ticks and is restarted (`on_fault restart`, at
//! most 2 restarts a minute): reloaded into a fresh domain twice, then stopped at
//! its third fault. `ticks` keeps its exact tick count throughout; exit code 3.
//! `cargo run --target armv7a-none-eabi --example fault_restart`
#![cfg_attr(target_os = "none", no_std, no_main)]

#[cfg(target_os = "none")]
use ucvisor::paravirt_api::{PV_ON_FAULT_RESTART, PvGuestConfig, PvSystemConfig};

#[cfg(target_os = "none")]
const SYSTEM: PvSystemConfig = PvSystemConfig::new(
    "fault_restart",
    &[
        PvGuestConfig::new("ticks", "ticks", 40, 8192),
        PvGuestConfig::new("crash", "crash", 60, 6144).on_fault(PV_ON_FAULT_RESTART, 2),
    ],
    0,
);

#[cfg(target_os = "none")]
ucvisor::system_image!("fault_restart", SYSTEM, ["ticks", "crash"]);

#[cfg(not(target_os = "none"))]
fn main() {}
