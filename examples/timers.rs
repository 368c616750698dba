//! Bootable image of the `timers` example (`examples/timers/`):
//! `cargo run --target armv7a-none-eabi --example timers`.
#![cfg_attr(target_os = "none", no_std, no_main)]

#[cfg(target_os = "none")]
ucvisor::image!("timers");

#[cfg(not(target_os = "none"))]
fn main() {}
