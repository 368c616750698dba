//! Bootable images that exist only for the QEMU tests: a kernel that panics on
//! purpose, one that hangs, and (with the microkernel core) kernels whose root
//! task is a test program.
#![no_std]
