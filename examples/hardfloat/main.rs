// SPDX-License-Identifier: MIT OR Apache-2.0
//! Bootable image of the `hardfloat` example (this folder; `system.toml` describes the image):
//! a hard-float guest, built and checked in its ELF by the tests rather than booted.
#![cfg_attr(target_os = "none", no_std, no_main)]

ucvisor::system_image!();
