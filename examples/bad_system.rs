//! An image whose system description names a guest module the image does not
//! have: the root server refuses the description with one clear line and the
//! run fails (exit code 2) before any guest starts.
//! `cargo run --target armv7a-none-eabi --example bad_system`
#![cfg_attr(target_os = "none", no_std, no_main)]

#[cfg(target_os = "none")]
use ucvisor::paravirt_api::{PvGuestConfig, PvSystemConfig};

#[cfg(target_os = "none")]
const SYSTEM: PvSystemConfig = PvSystemConfig::new(
    "bad_system",
    &[PvGuestConfig::new("hello", "hello", 40, 8192), PvGuestConfig::new("ghost", "ghost", 41, 8192)],
    0,
);

#[cfg(target_os = "none")]
ucvisor::system_image!("bad_system", SYSTEM, ["hello"]);

#[cfg(not(target_os = "none"))]
fn main() {}
