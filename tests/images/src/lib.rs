// SPDX-License-Identifier: MIT OR Apache-2.0
//! Bootable images that exist only for the QEMU tests: a kernel that panics on
//! purpose, one that hangs, and kernels whose root task is a user test program.
//!
//! Each image is a folder `src/bin/<name>/` with its `main.rs` and the
//! `expect.toml` the generic test driver (`tests/expectations.rs`) checks it
//! against. A kernel test image's `main.rs` is [`kernel_test_image!`]: its root
//! task is the user program of the same name, `tests/user-programs/src/bin/<name>.rs`.
//! Adding a kernel test is adding that program and that folder.
#![no_std]

/// The body of a kernel test image: the kernel, with the user test program
/// named like this binary as its root task (built by this package's build
/// script) and no other module. Use it after
/// `#![cfg_attr(target_os = "none", no_std, no_main)]`.
///
/// `kernel_test_image!(benchmark)` also lets user mode read the PMU's cycle
/// counter (`ucvisor_boot::benchmark`), for the benchmark images only.
#[macro_export]
macro_rules! kernel_test_image {
    () => {
        $crate::kernel_test_image!(@hook None);
    };
    (benchmark) => {
        $crate::kernel_test_image!(@hook Some(ucvisor_boot::benchmark::open_cycle_counter));
    };
    (@hook $hook:expr) => {
        #[cfg(target_os = "none")]
        hypervisor::boot_config!(hypervisor::BootConfig {
            name: env!("CARGO_BIN_NAME"),
            boot_hook: $hook,
            root_task: Some(include_bytes!(concat!(env!("OUT_DIR"), "/", env!("CARGO_BIN_NAME")))),
            modules: &[],
        });

        #[cfg(not(target_os = "none"))]
        fn main() {}
    };
}
