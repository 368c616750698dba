//! Guest image of `examples/hardfloat`: the application's C code, compiled for
//! the hard-float ABI (linked by the build script), on the soft-float ucvisor
//! µC/OS-II port and guest runtime.
#![no_std]
#![no_main]

use port as _;
