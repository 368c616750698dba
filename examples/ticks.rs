//! Bootable image of the `ticks` example (`examples/ticks/`):
//! `cargo run --target armv7a-none-eabi --example ticks`.
#![cfg_attr(target_os = "none", no_std, no_main)]

#[cfg(target_os = "none")]
ucvisor::image!("ticks");

#[cfg(not(target_os = "none"))]
fn main() {}
