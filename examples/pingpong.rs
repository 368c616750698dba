//! Bootable image of the `pingpong` example (`examples/pingpong/`):
//! `cargo run --target armv7a-none-eabi --example pingpong`.
#![cfg_attr(target_os = "none", no_std, no_main)]

#[cfg(target_os = "none")]
ucvisor::image!("pingpong");

#[cfg(not(target_os = "none"))]
fn main() {}
