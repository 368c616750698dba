// SPDX-License-Identifier: MIT OR Apache-2.0
//! Bootable image of the `soak` example (this folder; `system.toml` describes
//! the image): `cargo xtask soak` patches its parameters and boots it (see
//! README.md); `cargo test --test soak` boots it as built, the short soak.
#![cfg_attr(target_os = "none", no_std, no_main)]

ucvisor::system_image!();
