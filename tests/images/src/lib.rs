//! Bootable images that exist only for the QEMU tests: a kernel that panics on
//! purpose, one that hangs, and (with the microkernel core) kernels whose root
//! task is a test program.
#![no_std]

/// The ELF bytes of user test program `$name`, built by this package's build script.
#[macro_export]
macro_rules! user_program {
    ($name:literal) => {
        include_bytes!(concat!(env!("OUT_DIR"), "/", $name))
    };
}
