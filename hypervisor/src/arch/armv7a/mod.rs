// SPDX-License-Identifier: MIT OR Apache-2.0
//! ARMv7-A (Cortex-A15, short-descriptor MMU, GICv2, generic timer) support:
//! reset code and exception vectors (`entry`), CPU control (`cpu`), the lazily
//! switched VFP/Advanced SIMD unit (`fpu`), the MMU (`mmu`) and the generic
//! timer (`timer`). Each unsafe instruction is wrapped in
//! a safe function whose contract the kernel cannot break from safe code.

pub mod cpu;
pub mod entry;
pub mod fpu;
pub mod mmu;
pub mod timer;
