//! Bootable image of the `queue` example (`examples/queue/`):
//! `cargo run --target armv7a-none-eabi --example queue`.
#![cfg_attr(target_os = "none", no_std, no_main)]

#[cfg(target_os = "none")]
ucvisor::image!("queue");

#[cfg(not(target_os = "none"))]
fn main() {}
