//! Bootable image of the `stats` test application (`examples/stats/`): µC/OS-II statistics (OSCPUUsage) and application-defined OS*Hook functions.
//! `cargo run --target armv7a-none-eabi --example stats`.
#![cfg_attr(target_os = "none", no_std, no_main)]

#[cfg(target_os = "none")]
ucvisor::image!("stats");

#[cfg(not(target_os = "none"))]
fn main() {}
