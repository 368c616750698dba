//! Bootable image of the `newlib` test application (`examples/newlib/`): newlib reentrant across µC/OS-II tasks.
//! `cargo run --target armv7a-none-eabi --example newlib`.
#![cfg_attr(target_os = "none", no_std, no_main)]

#[cfg(target_os = "none")]
ucvisor::image!("newlib");

#[cfg(not(target_os = "none"))]
fn main() {}
