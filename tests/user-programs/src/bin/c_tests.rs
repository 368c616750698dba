// SPDX-License-Identifier: MIT OR Apache-2.0
//! The C-side unit tests (`tests/c/*.c`, through the SDK headers) as a root task.
#![no_std]
#![no_main]

use user_programs as _;

unsafe extern "C" {
    /// `main` of `tests/c/main.c`, renamed by the build script.
    fn c_tests_main() -> i32;
}

#[unsafe(no_mangle)]
extern "C" fn main() -> i32 {
    // SAFETY: the C test program's entry takes no arguments.
    unsafe { c_tests_main() }
}
