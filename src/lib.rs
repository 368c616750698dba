//! ucvisor, the paravirtualization SDK: an L4-style Rust microkernel
//! (`hypervisor`) hosting unmodified µC/OS-II guests in ARM user mode, the
//! paravirtual C ABI (`paravirt_api`, `include/paravirt.h`), the µC/OS-II port
//! and guest runtime (`port`) and the bundled µC/OS-II-compatible kernel
//! (`ucos-ii-c`). This crate's binary and examples are the bootable images.
#![no_std]

pub use hypervisor;
pub use paravirt_api;

/// Defines a bootable image: the microkernel, the root server, the driver
/// domain (v_timer, v_serial) and the guest `$guest` (a program built by this
/// package's build script, e.g. one of the examples).
#[macro_export]
macro_rules! image {
    ($guest:literal) => {
        $crate::hypervisor::boot_config!($crate::hypervisor::BootConfig {
            name: $guest,
            boot_hook: None,
            root_task: Some(include_bytes!(concat!(env!("OUT_DIR"), "/root_server"))),
            modules: &[
                ("drivers", include_bytes!(concat!(env!("OUT_DIR"), "/drivers"))),
                ($guest, include_bytes!(concat!(env!("OUT_DIR"), "/", $guest))),
            ],
        });
    };
}
