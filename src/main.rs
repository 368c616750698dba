// SPDX-License-Identifier: MIT OR Apache-2.0
//! The bootable ucvisor image: the microkernel, the root server, the driver
//! domain and the guest of `examples/hello/system.toml`. Build it with
//! `cargo build --target armv7a-none-eabi` and boot it with
//! `cargo run --target armv7a-none-eabi` (QEMU through the cargo runner).
#![cfg_attr(target_os = "none", no_std, no_main)]

ucvisor::system_image!("hello");
