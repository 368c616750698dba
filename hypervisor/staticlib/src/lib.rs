// SPDX-License-Identifier: MIT OR Apache-2.0
//! The microkernel (`hypervisor`, with `core`, `compiler_builtins` and its
//! other dependencies) as one static library, `libucvisor_kernel.a`.
//!
//! The image build (`xtask::Sdk::build`) builds it in the SDK's nested
//! release build and turns it into one relocatable object, `kernel.o`, in
//! which every symbol but the entry `_start` is local; each image links that
//! object (`xtask::Sdk::link_images`). So the kernel is compiled with the
//! SDK's settings whatever profile the image crate uses, and the image
//! crate's own `core` cannot clash with the kernel's. Built for
//! `armv7a-none-eabi` only (not a default member).
#![no_std]

use hypervisor as _;
