//! Two guests of one program, one of which asks for more RAM than the board
//! has: the root server says so and does not start it (`big`, 1 GiB); `hello`
//! runs and exits, and the run fails (exit code 3: a guest could not start).
//! `cargo run --target armv7a-none-eabi --example no_ram`
#![cfg_attr(target_os = "none", no_std, no_main)]

#[cfg(target_os = "none")]
use ucvisor::paravirt_api::{PvGuestConfig, PvSystemConfig};

#[cfg(target_os = "none")]
const SYSTEM: PvSystemConfig = PvSystemConfig::new(
    "no_ram",
    &[PvGuestConfig::new("hello", "hello", 40, 8192), PvGuestConfig::new("big", "hello", 41, 1024 * 1024)],
    0,
);

#[cfg(target_os = "none")]
ucvisor::system_image!("no_ram", SYSTEM, ["hello"]);

#[cfg(not(target_os = "none"))]
fn main() {}
