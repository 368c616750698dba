//! A faulting guest beside a healthy one, as a system description says:
//! `ticks` (priority 40) counts 10,000 ticks and checks that none was lost;
//! `crash` faults after 50 ticks and is stopped (`on_fault stop`); `ticks`
//! finishes with its exact tick count, and the run ends with exit code 3 (the
//! last guest that failed faulted).
//! `cargo run --target armv7a-none-eabi --example fault_stop`
#![cfg_attr(target_os = "none", no_std, no_main)]

#[cfg(target_os = "none")]
use ucvisor::paravirt_api::{PV_ON_FAULT_STOP, PvGuestConfig, PvSystemConfig};

#[cfg(target_os = "none")]
const SYSTEM: PvSystemConfig = PvSystemConfig::new(
    "fault_stop",
    &[
        PvGuestConfig::new("ticks", "ticks", 40, 8192),
        PvGuestConfig::new("crash", "crash", 60, 6144).on_fault(PV_ON_FAULT_STOP, 0),
    ],
    0,
);

#[cfg(target_os = "none")]
ucvisor::system_image!("fault_stop", SYSTEM, ["ticks", "crash"]);

#[cfg(not(target_os = "none"))]
fn main() {}
