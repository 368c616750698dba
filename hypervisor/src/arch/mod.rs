// SPDX-License-Identifier: MIT OR Apache-2.0
//! Architecture support. Everything that needs an ARM instruction lives below
//! `armv7a/`; the rest of the kernel calls the safe functions it exports. On the
//! host (unit tests) no architecture module is built.

#[cfg(all(target_arch = "arm", target_os = "none"))]
pub mod armv7a;
