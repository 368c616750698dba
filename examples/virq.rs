//! Bootable image of the `virq` example (`examples/virq/`):
//! `cargo run --target armv7a-none-eabi --example virq`.
#![cfg_attr(target_os = "none", no_std, no_main)]

#[cfg(target_os = "none")]
ucvisor::image!("virq");

#[cfg(not(target_os = "none"))]
fn main() {}
