// SPDX-License-Identifier: MIT OR Apache-2.0
//! An image whose system description names a guest module the image does not
//! have: the root server refuses the description with one clear line and the
//! run fails (exit code 2) before any guest starts.
//! `cargo run --target armv7a-none-eabi --example bad_system`
//!
//! A description cannot state this (the build checks module names and the
//! board's RAM), so `system.toml` describes the image's one program, `hello`,
//! and this file replaces the `system` module the build wrote with one made
//! here that names a guest module, `ghost`, that the image does not have.
#![cfg_attr(target_os = "none", no_std, no_main)]

#[cfg(target_os = "none")]
use ucvisor::paravirt_api::{PV_SYSTEM_CONFIG_SIZE, PvGuestConfig, PvSystemConfig};

/// The `system` module this image embeds instead of its description's.
#[cfg(target_os = "none")]
const SYSTEM: [u8; PV_SYSTEM_CONFIG_SIZE as usize] = PvSystemConfig::new(
    "bad_system",
    &[PvGuestConfig::new("hello", "hello", 40, 8192), PvGuestConfig::new("ghost", "ghost", 41, 8192)],
    0,
)
.to_bytes();

ucvisor::system_image!(replace "system" with &SYSTEM);
