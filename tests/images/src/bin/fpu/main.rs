// SPDX-License-Identifier: MIT OR Apache-2.0
//! Kernel test image: the user program `fpu` (`tests/user-programs/src/bin/fpu.rs`) as root task.
#![cfg_attr(target_os = "none", no_std, no_main)]

test_images::kernel_test_image!();
