//! The `limits` test application as the only guest of a described system
//! (priority 30, 6144 KiB, no console input): it checks that the root server
//! refuses threads above its ceiling and memory beyond its 6144 KiB, and that
//! v_serial refuses it the console input.
//! `cargo run --target armv7a-none-eabi --example limits`
#![cfg_attr(target_os = "none", no_std, no_main)]

#[cfg(target_os = "none")]
use ucvisor::paravirt_api::{PV_NO_GUEST, PvGuestConfig, PvSystemConfig};

#[cfg(target_os = "none")]
const SYSTEM: PvSystemConfig =
    PvSystemConfig::new("limits", &[PvGuestConfig::new("limits", "limits", 30, 6144)], PV_NO_GUEST);

#[cfg(target_os = "none")]
ucvisor::system_image!("limits", SYSTEM, ["limits"]);

#[cfg(not(target_os = "none"))]
fn main() {}
