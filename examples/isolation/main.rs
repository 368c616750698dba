// SPDX-License-Identifier: MIT OR Apache-2.0
//! Fault isolation: one image with three guests — `ticks` (healthy, checks that
//! none of its 10,000 ticks is lost), `crash` (faults after 50 ticks) and
//! `corrupt` (a module that is not a loadable image). The root server refuses the
//! corrupt one with a clear message, stops the faulting one, and the healthy
//! guest finishes with its exact tick. `cargo run --target armv7a-none-eabi --example isolation`
//!
//! `system.toml` describes the three guests; the `corrupt` guest is built like
//! any other (from `examples/crash`) and its boot module is then replaced here
//! by bytes that are no loadable image, to test the root server's refusal.
#![cfg_attr(target_os = "none", no_std, no_main)]

ucvisor::system_image!(replace "corrupt" with b"\x7fELF\x01\x01\x01 this is no image: truncated headers");
