//! Guest image of `examples/limits`: the application's C code (linked by the build
//! script) on the ucvisor µC/OS-II port and guest runtime.
#![no_std]
#![no_main]

use port as _;
