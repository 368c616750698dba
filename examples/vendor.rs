//! Bootable image of the `vendor` example (`examples/vendor/`):
//! `cargo run --target armv7a-none-eabi --example vendor`.
#![cfg_attr(target_os = "none", no_std, no_main)]

#[cfg(target_os = "none")]
ucvisor::image!("vendor");

#[cfg(not(target_os = "none"))]
fn main() {}
