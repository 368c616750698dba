//! Bootable image of the `overflow` test application (`examples/overflow/`): a task that overflows its stack is reported, not run on.
//! `cargo run --target armv7a-none-eabi --example overflow`.
#![cfg_attr(target_os = "none", no_std, no_main)]

#[cfg(target_os = "none")]
ucvisor::image!("overflow");

#[cfg(not(target_os = "none"))]
fn main() {}
