//! Bootable image of the `cpustate` test application (`examples/cpustate/`): no CPU state lost when virtual interrupts land anywhere.
//! `cargo run --target armv7a-none-eabi --example cpustate`.
#![cfg_attr(target_os = "none", no_std, no_main)]

#[cfg(target_os = "none")]
ucvisor::image!("cpustate");

#[cfg(not(target_os = "none"))]
fn main() {}
