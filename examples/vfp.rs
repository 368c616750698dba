//! Bootable image of the `vfp` test application (`examples/vfp/`): a hard-float guest: VFP registers per task under preemption.
//! `cargo run --target armv7a-none-eabi --example vfp`.
#![cfg_attr(target_os = "none", no_std, no_main)]

#[cfg(target_os = "none")]
ucvisor::image!("vfp");

#[cfg(not(target_os = "none"))]
fn main() {}
