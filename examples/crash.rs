//! Bootable image of the `crash` example (`examples/crash/`):
//! `cargo run --target armv7a-none-eabi --example crash`.
#![cfg_attr(target_os = "none", no_std, no_main)]

#[cfg(target_os = "none")]
ucvisor::image!("crash");

#[cfg(not(target_os = "none"))]
fn main() {}
