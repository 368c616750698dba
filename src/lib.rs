//! ucvisor, the paravirtualization SDK: an L4-style Rust microkernel
//! (`hypervisor`) hosting unmodified µC/OS-II guests in ARM user mode, the
//! paravirtual C ABI (`paravirt_api`, `include/paravirt.h`), the µC/OS-II port
//! and guest runtime (`port`) and the bundled µC/OS-II-compatible kernel
//! (`ucos-ii-c`). This crate's binary and examples are the bootable images.
//!
//! An image crate (this package's binary and examples, or a package of your
//! own) holds only data: [`system_image!`] defines its [`BootConfig`] from the
//! modules its build script built (`xtask::build_system`). The kernel is
//! linked into it as an object prebuilt with the SDK's settings
//! (`xtask::Sdk::link_images`), not as a dependency.
#![no_std]

pub use paravirt_api;
pub use ucvisor_boot::{BootConfig, boot_config};

/// The image crate's panic handler, which rustc requires in every `no_std`
/// binary. The kernel object has its own (it reports and exits 101); the
/// image crate's own code is its boot configuration, data that cannot panic.
#[cfg(target_os = "none")]
#[panic_handler]
fn image_panic(_: &core::panic::PanicInfo<'_>) -> ! {
    loop {
        core::hint::spin_loop();
    }
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
    ($image:expr) => {
        $crate::system_image!(@define $image, &ucvisor_image::MODULES);
    };
    (@define $image:expr, $modules:expr) => {
        #[cfg(target_os = "none")]
        mod ucvisor_image {
            include!(concat!(env!("OUT_DIR"), "/ucvisor/images/", $image, ".rs"));
        }
        #[cfg(target_os = "none")]
        $crate::boot_config!($crate::BootConfig {
            name: ucvisor_image::NAME,
            boot_hook: None,
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
