// SPDX-License-Identifier: MIT OR Apache-2.0
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

pub mod benchmark;

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

/// Defines a bootable image from the modules that the calling package's build
/// script built with `xtask::build_system` (or `xtask::build_examples`): the
/// microkernel, the root server, the driver domain (v_timer, v_serial), the
/// `system` module and every guest of the system description.
///
/// `system_image!()` takes the image whose key is the calling crate's name
/// (`CARGO_CRATE_NAME`: an example's name, a package's name with `_` for
/// `-`); `system_image!("hello")` names it. Use it once, at the top level of
/// the image's `main.rs` under `#![cfg_attr(target_os = "none", no_std, no_main)]`:
/// on other targets it defines a `main` that says the image is bare-metal.
///
/// `system_image!(benchmark)` is a benchmark image: its boot hook lets user
/// mode read the PMU's cycle counter ([`benchmark`]); product images never use it.
///
/// For tests, `system_image!(replace "NAME" with BYTES)` (or
/// `system_image!("image", replace "NAME" with BYTES)`) embeds `BYTES` as the
/// boot module `NAME` instead of what the build made (the `isolation` example
/// boots a guest whose module is no loadable image this way).
#[macro_export]
macro_rules! system_image {
    (replace $module:literal with $bytes:expr) => {
        $crate::system_image!(env!("CARGO_CRATE_NAME"), replace $module with $bytes);
    };
    ($image:expr, replace $module:literal with $bytes:expr) => {
        $crate::system_image!(@define $image, &$crate::replace_module(ucvisor_image::MODULES, $module, $bytes));
    };
    () => {
        $crate::system_image!(env!("CARGO_CRATE_NAME"));
    };
    (benchmark) => {
        $crate::system_image!(@define env!("CARGO_CRATE_NAME"), &ucvisor_image::MODULES, Some($crate::benchmark::open_cycle_counter));
    };
    ($image:expr) => {
        $crate::system_image!(@define $image, &ucvisor_image::MODULES);
    };
    (@define $image:expr, $modules:expr) => {
        $crate::system_image!(@define $image, $modules, None);
    };
    (@define $image:expr, $modules:expr, $hook:expr) => {
        #[cfg(target_os = "none")]
        mod ucvisor_image {
            include!(concat!(env!("OUT_DIR"), "/ucvisor/images/", $image, ".rs"));
        }
        /// The image crate's panic handler, which rustc requires in every
        /// `no_std` binary. The kernel object has its own (it reports and exits
        /// 101); the image crate's own code is its boot configuration, data that
        /// cannot panic.
        #[cfg(target_os = "none")]
        #[panic_handler]
        fn image_panic(_: &core::panic::PanicInfo<'_>) -> ! {
            loop {
                core::hint::spin_loop();
            }
        }
        #[cfg(target_os = "none")]
        $crate::boot_config!($crate::BootConfig {
            name: ucvisor_image::NAME,
            boot_hook: $hook,
            root_task: Some(ucvisor_image::ROOT_TASK),
            modules: $modules,
        });
        #[cfg(not(target_os = "none"))]
        fn main() {
            eprintln!("a ucvisor image is bare-metal: build or run it with `--target armv7a-none-eabi`.");
            std::process::exit(2);
        }
    };
}

/// `modules` with the bytes of module `name` replaced by `bytes`, for
/// [`system_image!`]`(replace ...)`. Naming no module of the image is a
/// compile-time error.
#[doc(hidden)]
pub const fn replace_module<const N: usize>(
    mut modules: [(&'static str, &'static [u8]); N],
    name: &str,
    bytes: &'static [u8],
) -> [(&'static str, &'static [u8]); N] {
    let mut index = 0;
    let mut found = false;
    while index < N {
        if same_bytes(modules[index].0.as_bytes(), name.as_bytes()) {
            modules[index].1 = bytes;
            found = true;
        }
        index += 1;
    }
    assert!(found, "system_image!(replace ...): the image has no boot module of that name");
    modules
}

/// `a == b` for byte strings, in a `const fn`.
const fn same_bytes(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    let mut index = 0;
    while index < a.len() {
        if a[index] != b[index] {
            return false;
        }
        index += 1;
    }
    true
}
