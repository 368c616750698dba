// SPDX-License-Identifier: MIT OR Apache-2.0
//! Kernel test image: the user program `interrupt_ipc` (`tests/user-programs/src/bin/interrupt_ipc.rs`) as root task.
#![cfg_attr(target_os = "none", no_std, no_main)]

test_images::kernel_test_image!();
