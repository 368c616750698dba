//! Fault isolation: one image with three guests — `ticks` (healthy, checks that
//! none of its 10,000 ticks is lost), `crash` (faults after 50 ticks) and
//! `corrupt` (a module that is not a loadable image). The root server refuses the
//! corrupt one with a clear message, stops the faulting one, and the healthy
//! guest finishes with its exact tick. `cargo run --target armv7a-none-eabi --example isolation`
#![cfg_attr(target_os = "none", no_std, no_main)]

#[cfg(target_os = "none")]
ucvisor::hypervisor::boot_config!(ucvisor::hypervisor::BootConfig {
    name: "isolation",
    boot_hook: None,
    root_task: Some(include_bytes!(concat!(env!("OUT_DIR"), "/root_server"))),
    modules: &[
        ("drivers", include_bytes!(concat!(env!("OUT_DIR"), "/drivers"))),
        ("ticks", include_bytes!(concat!(env!("OUT_DIR"), "/ticks"))),
        ("crash", include_bytes!(concat!(env!("OUT_DIR"), "/crash"))),
        ("corrupt", b"\x7fELF\x01\x01\x01 this is no image: truncated headers"),
    ],
});

#[cfg(not(target_os = "none"))]
fn main() {}
