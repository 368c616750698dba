//! The bootable ucvisor image: the microkernel with its boot modules. Build it with
//! `cargo build --target armv7a-none-eabi` and boot it with
//! `cargo run --target armv7a-none-eabi` (QEMU through the cargo runner).
#![cfg_attr(target_os = "none", no_std, no_main)]

#[cfg(target_os = "none")]
hypervisor::boot_config!(hypervisor::BootConfig {
    name: "ucvisor",
    boot_hook: None,
    root_task: None,
    modules: &[],
});

#[cfg(not(target_os = "none"))]
fn main() {
    eprintln!("ucvisor is a bare-metal image: build or run it with `--target armv7a-none-eabi`.");
    std::process::exit(2);
}
