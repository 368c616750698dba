// SPDX-License-Identifier: MIT OR Apache-2.0
//! Two µC/OS-II guests in one image, each in its own protection domain, as a
//! system description (the `system` boot module) says: `hello` (priority 40,
//! console input) and `smallstack` (priority 45). Every line on the console carries
//! its guest's tag (`[hello] hello: task A tick 1`), and lines never mix.
//! `cargo run --target armv7a-none-eabi --example two_guests`
#![cfg_attr(target_os = "none", no_std, no_main)]

ucvisor::system_image!();
