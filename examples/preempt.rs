//! Bootable image of the `preempt` example (`examples/preempt/`):
//! `cargo run --target armv7a-none-eabi --example preempt`.
#![cfg_attr(target_os = "none", no_std, no_main)]

#[cfg(target_os = "none")]
ucvisor::image!("preempt");

#[cfg(not(target_os = "none"))]
fn main() {}
