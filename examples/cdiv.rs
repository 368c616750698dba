//! Bootable image of the `cdiv` example (`examples/cdiv/`): C division by zero,
//! 64-bit arithmetic and soft-float with libgcc's semantics.
//! `cargo run --target armv7a-none-eabi --example cdiv`.
#![cfg_attr(target_os = "none", no_std, no_main)]

#[cfg(target_os = "none")]
ucvisor::image!("cdiv");

#[cfg(not(target_os = "none"))]
fn main() {}
