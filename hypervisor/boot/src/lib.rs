//! What a bootable image tells the kernel: its name, an optional boot hook and
//! its boot modules. Each image binary defines exactly one configuration with
//! [`boot_config!`]; the kernel reads it by its symbol, `UCVISOR_BOOT_CONFIG`.
//!
//! A crate of its own so that an image crate can name the configuration
//! without linking the kernel: the SDK's images link the kernel as an object
//! prebuilt with the SDK's settings (`xtask::Sdk`), whatever the image crate's
//! profile, while the kernel's own test images link the `hypervisor` crate
//! (which re-exports these items).
//!
//! # Layout across separate compilations
//!
//! The kernel object and the image crate are compiled separately, by the same
//! rustc: the image's build script runs the kernel's nested `cargo build` with
//! the `RUSTC` cargo gave it. `#[repr(C)]` fixes the order and offsets of the
//! fields; the field types (references, slices, `Option<fn()>`, tuples) have
//! the one layout that rustc gives them.
#![no_std]

/// A bootable image's configuration, read by the kernel at boot.
#[repr(C)]
pub struct BootConfig {
    /// Image name, printed in the boot banner.
    pub name: &'static str,
    /// Called in kernel context once the drivers and the MMU are up, before any
    /// user thread exists (board bring-up; tests use it to inject failures).
    pub boot_hook: Option<fn()>,
    /// ELF image of the root task, the first user program. `None` boots the
    /// kernel alone, which checks its timer interrupts and exits 0.
    pub root_task: Option<&'static [u8]>,
    /// Further boot modules (name, ELF bytes) handed to the root task read-only.
    pub modules: &'static [(&'static str, &'static [u8])],
}

/// Defines the image's [`BootConfig`]; use once in the image's binary crate.
#[macro_export]
macro_rules! boot_config {
    ($config:expr) => {
        #[unsafe(no_mangle)]
        static UCVISOR_BOOT_CONFIG: $crate::BootConfig = $config;
    };
}
