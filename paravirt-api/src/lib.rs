//! The ucvisor paravirtualization ABI, the single source of truth shared by the
//! microkernel, the user-level servers and the guests: hypercall numbers,
//! `#[repr(C)]` fixed-width structures, error codes, the ABI version and the
//! guest-side C-callable functions (`pv_*`). `include/paravirt.h` is generated from
//! this crate by cbindgen; nothing here uses C enums, only fixed-width integers.
#![no_std]

/// Version of the ABI described by this crate; bumped on every incompatible change.
pub const PV_ABI_VERSION: u32 = 1;
