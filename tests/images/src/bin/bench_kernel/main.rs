// SPDX-License-Identifier: MIT OR Apache-2.0
//! Benchmark image: the user program `bench_kernel` (`tests/user-programs/src/bin/bench_kernel.rs`)
//! as root task, with the PMU's cycle counter open to user mode.
#![cfg_attr(target_os = "none", no_std, no_main)]

test_images::kernel_test_image!(benchmark);
