//! Kernel test image: the user program `thread_registers` as root task.
#![cfg_attr(target_os = "none", no_std, no_main)]

#[cfg(target_os = "none")]
hypervisor::boot_config!(hypervisor::BootConfig {
    name: "thread_registers",
    boot_hook: None,
    root_task: Some(test_images::user_program!("thread_registers")),
    modules: &[],
});

#[cfg(not(target_os = "none"))]
fn main() {}
