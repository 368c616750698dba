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

/// Defines a bootable image of several guests as the system description
/// `$system` (a `paravirt_api::PvSystemConfig` const, embedded as the image's
/// `system` boot module) says: the microkernel, the root server, the driver
/// domain and the guest programs `$guest`... (built by this package's build
/// script; the description names them as its guests' modules).
#[macro_export]
macro_rules! system_image {
    ($name:literal, $system:expr, [$($guest:literal),+ $(,)?]) => {
        const UCVISOR_SYSTEM_MODULE: [u8; $crate::paravirt_api::PV_SYSTEM_CONFIG_SIZE as usize] = $system.to_bytes();
        $crate::hypervisor::boot_config!($crate::hypervisor::BootConfig {
            name: $name,
            boot_hook: None,
            root_task: Some(include_bytes!(concat!(env!("OUT_DIR"), "/root_server"))),
            modules: &[
                ("drivers", include_bytes!(concat!(env!("OUT_DIR"), "/drivers"))),
                ($crate::paravirt_api::PV_SYSTEM_MODULE, &UCVISOR_SYSTEM_MODULE),
                $(($guest, include_bytes!(concat!(env!("OUT_DIR"), "/", $guest))),)+
            ],
        });
    };
}
