//! Bootable image of the `hello` example (`examples/hello/`):
//! `cargo run --target armv7a-none-eabi --example hello`.
#![cfg_attr(target_os = "none", no_std, no_main)]

#[cfg(target_os = "none")]
ucvisor::image!("hello");

#[cfg(not(target_os = "none"))]
fn main() {}
