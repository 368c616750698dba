//! ucvisor, the paravirtualization SDK: an L4-style Rust microkernel
//! (`hypervisor`) hosting unmodified µC/OS-II guests in ARM user mode, the
//! paravirtual C ABI (`paravirt_api`, `include/paravirt.h`), the µC/OS-II port
//! (`port`) and the bundled µC/OS-II-compatible kernel (`ucos-ii-c`). This crate
//! is what applications depend on; its binary is the bootable image.
#![no_std]

pub use paravirt_api;
