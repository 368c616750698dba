// SPDX-License-Identifier: MIT OR Apache-2.0
//! A kernel image that never finishes booting: the harness must time it out.
#![cfg_attr(target_os = "none", no_std, no_main)]

#[cfg(target_os = "none")]
hypervisor::boot_config!(hypervisor::BootConfig {
    name: "hang",
    boot_hook: Some(|| {
        hypervisor::drivers::console::log("WARN", "hanging on purpose");
        #[allow(clippy::empty_loop)]
        loop {}
    }),
    root_task: None,
    modules: &[],
});

#[cfg(not(target_os = "none"))]
fn main() {}
