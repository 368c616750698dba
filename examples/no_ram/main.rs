// SPDX-License-Identifier: MIT OR Apache-2.0
//! Two guests of one program, one of which asks for more RAM than the board
//! has: the root server says so and does not start it (`big`, 1 GiB); `hello`
//! runs and exits, and the run fails (exit code 3: a guest could not start).
//! `cargo run --target armv7a-none-eabi --example no_ram`
//!
//! A description cannot state this (the build checks module names and the
//! board's RAM), so `system.toml` describes the image's one program, `hello`,
//! and this file replaces the `system` module the build wrote with one made
//! here that gives a second guest, `big` (the `hello` program again), 1 GiB of RAM.
#![cfg_attr(target_os = "none", no_std, no_main)]

#[cfg(target_os = "none")]
use ucvisor::paravirt_api::{PV_SYSTEM_CONFIG_SIZE, PvGuestConfig, PvSystemConfig};

/// The `system` module this image embeds instead of its description's.
#[cfg(target_os = "none")]
const SYSTEM: [u8; PV_SYSTEM_CONFIG_SIZE as usize] = PvSystemConfig::new(
    "no_ram",
    &[PvGuestConfig::new("hello", "hello", 40, 8192), PvGuestConfig::new("big", "hello", 41, 1024 * 1024)],
    0,
)
.to_bytes();

ucvisor::system_image!(replace "system" with &SYSTEM);
