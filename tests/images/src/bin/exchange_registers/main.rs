// SPDX-License-Identifier: MIT OR Apache-2.0
//! Kernel test image: the user program `exchange_registers` (`tests/user-programs/src/bin/exchange_registers.rs`) as root task.
#![cfg_attr(target_os = "none", no_std, no_main)]

test_images::kernel_test_image!();
