// SPDX-License-Identifier: MIT OR Apache-2.0
//! Benchmark image of `examples/bench_ucos` (µC/OS-II's own figures in a guest,
//! on the paper's virtual-interrupt path), with the PMU's cycle counter open to
//! user mode: `cargo xtask bench` boots it.
#![cfg_attr(target_os = "none", no_std, no_main)]

ucvisor::system_image!(benchmark);
