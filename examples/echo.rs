//! Bootable image of the `echo` example (`examples/echo/`):
//! `cargo run --target armv7a-none-eabi --example echo`.
#![cfg_attr(target_os = "none", no_std, no_main)]

#[cfg(target_os = "none")]
ucvisor::image!("echo");

#[cfg(not(target_os = "none"))]
fn main() {}
