// SPDX-License-Identifier: MIT OR Apache-2.0
//! A kernel image whose boot hook (kernel mode, on the kernel stack) recurses
//! far deeper than the kernel stack: the guard page below the stack must stop
//! it with a data abort that the kernel reports as a kernel stack overflow.
#![cfg_attr(target_os = "none", no_std, no_main)]

/// Recurses `depth` times with a 1 KiB frame each.
#[cfg(target_os = "none")]
#[inline(never)]
fn dive(depth: u32) -> u32 {
    let mut frame = [0u8; 1024];
    frame[depth as usize % 1024] = depth as u8;
    let frame = core::hint::black_box(frame);
    if depth == 0 {
        return 0;
    }
    dive(depth - 1).wrapping_add(u32::from(frame[depth as usize % 1024]))
}

#[cfg(target_os = "none")]
hypervisor::boot_config!(hypervisor::BootConfig {
    name: "stack_overflow",
    boot_hook: Some(|| {
        let result = dive(256);
        panic!("recursed 256 KiB deep without a fault ({result})");
    }),
    root_task: None,
    modules: &[],
});

#[cfg(not(target_os = "none"))]
fn main() {}
