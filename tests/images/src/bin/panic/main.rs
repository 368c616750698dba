// SPDX-License-Identifier: MIT OR Apache-2.0
//! A kernel image that panics during boot: the harness must report it as failed.
#![cfg_attr(target_os = "none", no_std, no_main)]

#[cfg(target_os = "none")]
hypervisor::boot_config!(hypervisor::BootConfig {
    name: "panic",
    boot_hook: Some(|| panic!("deliberate panic from the boot hook")),
    root_task: None,
    modules: &[],
});

#[cfg(not(target_os = "none"))]
fn main() {}
