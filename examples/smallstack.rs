//! Bootable image of the `smallstack` test application (`examples/smallstack/`): printf from tasks with 256-entry stacks and from a timer callback.
//! `cargo run --target armv7a-none-eabi --example smallstack`.
#![cfg_attr(target_os = "none", no_std, no_main)]

#[cfg(target_os = "none")]
ucvisor::image!("smallstack");

#[cfg(not(target_os = "none"))]
fn main() {}
