//! Kernel test image: the user program `context_resume` as root task.
#![cfg_attr(target_os = "none", no_std, no_main)]

#[cfg(target_os = "none")]
hypervisor::boot_config!(hypervisor::BootConfig {
    name: "context_resume",
    boot_hook: None,
    root_task: Some(test_images::user_program!("context_resume")),
    modules: &[],
});

#[cfg(not(target_os = "none"))]
fn main() {}
