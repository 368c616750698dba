//! Bootable image of the `conformance` example (`examples/conformance/`):
//! `cargo run --target armv7a-none-eabi --example conformance`.
#![cfg_attr(target_os = "none", no_std, no_main)]

#[cfg(target_os = "none")]
ucvisor::image!("conformance");

#[cfg(not(target_os = "none"))]
fn main() {}
