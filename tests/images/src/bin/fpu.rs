//! Kernel test image: the user program `fpu` as root task.
#![cfg_attr(target_os = "none", no_std, no_main)]

#[cfg(target_os = "none")]
hypervisor::boot_config!(hypervisor::BootConfig {
    name: "fpu",
    boot_hook: None,
    root_task: Some(test_images::user_program!("fpu")),
    modules: &[],
});

#[cfg(not(target_os = "none"))]
fn main() {}
