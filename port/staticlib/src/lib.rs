// SPDX-License-Identifier: MIT OR Apache-2.0
//! The guest runtime and µC/OS-II port (`port`, with the guest side of
//! `paravirt-api`, `core` and `compiler_builtins`) as one static library,
//! `libucvisor_guest.a`.
//!
//! The image build (`xtask::build_system`) builds this library once, in the
//! SDK's nested release build, and links every guest's ELF from it and the
//! guest's partially linked C object with rust-lld
//! (`xtask::GuestBuild::link_elf`): no cargo package per guest, and the
//! runtime is compiled with the SDK's settings whatever profile the image
//! crate uses. Built for `armv7a-none-eabi` only (not a default member).
#![no_std]

use port as _;
