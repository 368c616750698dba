//! Guest image of `examples/cdiv` built with libgcc's own division-by-zero
//! handlers, wrapped to count their calls: the application's C code (linked by
//! the build script) on the ucvisor µC/OS-II port and guest runtime.
#![no_std]
#![no_main]

use port as _;
