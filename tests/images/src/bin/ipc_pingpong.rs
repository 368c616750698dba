//! Kernel test image: the user program `ipc_pingpong` as root task.
#![cfg_attr(target_os = "none", no_std, no_main)]

#[cfg(target_os = "none")]
hypervisor::boot_config!(hypervisor::BootConfig {
    name: "ipc_pingpong",
    boot_hook: None,
    root_task: Some(test_images::user_program!("ipc_pingpong")),
    modules: &[],
});

#[cfg(not(target_os = "none"))]
fn main() {}
