// SPDX-License-Identifier: MIT OR Apache-2.0
//! Runtime for user programs written in Rust: the `_start` entry that calls the
//! program's C-ABI `main` and reports its result, a panic handler, and console
//! output through the kernel's debug-output call. The layout every user program
//! links with is `user.ld` beside this crate (build scripts pass it with `-T`).
//!
//! A root task that returns from `main` shuts the machine down with `main`'s
//! return value as exit code; any other thread that returns blocks forever.
#![no_std]

use core::fmt::{self, Write};
#[cfg(target_os = "none")]
use paravirt_api::*;

#[cfg(target_os = "none")]
pub use paravirt_api::guest as sys;

/// Path of the user-program linker script, for build scripts.
pub const LINKER_SCRIPT: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/user.ld");

/// Console writer over the kernel's debug-output call (lines of at most 256 bytes).
pub struct Console;

impl Write for Console {
    fn write_str(&mut self, text: &str) -> fmt::Result {
        write_bytes(text.as_bytes());
        Ok(())
    }
}

/// Writes bytes to the kernel console in chunks the kernel accepts.
pub fn write_bytes(bytes: &[u8]) {
    #[cfg(target_os = "none")]
    for chunk in bytes.chunks(PV_DEBUG_WRITE_MAX as usize) {
        paravirt_api::guest::pv_debug_write(chunk.as_ptr().cast(), chunk.len() as u32);
    }
    #[cfg(not(target_os = "none"))]
    let _ = bytes;
}

/// Formatted output, formatted on the stack (no allocator, no globals).
pub fn print(args: fmt::Arguments<'_>) {
    struct Buffered {
        bytes: [u8; 256],
        length: usize,
    }
    impl Write for Buffered {
        fn write_str(&mut self, text: &str) -> fmt::Result {
            for &byte in text.as_bytes() {
                if self.length == self.bytes.len() {
                    write_bytes(&self.bytes);
                    self.length = 0;
                }
                self.bytes[self.length] = byte;
                self.length += 1;
            }
            Ok(())
        }
    }
    let mut buffer = Buffered { bytes: [0; 256], length: 0 };
    let _ = buffer.write_fmt(args);
    write_bytes(&buffer.bytes[..buffer.length]);
}

/// Prints to the kernel console.
#[macro_export]
macro_rules! print {
    ($($arg:tt)*) => { $crate::print(format_args!($($arg)*)) };
}

/// Prints a line to the kernel console.
#[macro_export]
macro_rules! println {
    () => { $crate::print(format_args!("\n")) };
    ($($arg:tt)*) => { $crate::print(format_args!("{}\n", format_args!($($arg)*))) };
}

#[cfg(target_os = "none")]
pub use paravirt_api::guest::block_forever;

/// Host stand-in, so the crate builds for host checks.
#[cfg(not(target_os = "none"))]
pub fn block_forever() -> ! {
    loop {
        core::hint::spin_loop();
    }
}

/// The boot information the kernel maps for the root task (only the root
/// task's space has it).
pub fn boot_info() -> &'static paravirt_api::PvBootInfo {
    // SAFETY: the kernel maps a PvBootInfo read-only at this address in the root
    // task's space for its whole life.
    unsafe { &*(paravirt_api::PV_BOOT_INFO_ADDRESS as usize as *const paravirt_api::PvBootInfo) }
}

/// The calling thread's space.
#[cfg(target_os = "none")]
pub fn my_space() -> u32 {
    // SAFETY: TPIDRURO points at the caller's UTCB.
    unsafe { (*paravirt_api::guest::pv_utcb()).space_id }
}

/// Ends the program: the root task shuts the machine down with `code`; other
/// threads cannot, and block instead.
pub fn exit(code: u32) -> ! {
    #[cfg(target_os = "none")]
    paravirt_api::guest::pv_shutdown(code);
    let _ = code;
    block_forever()
}

#[cfg(target_os = "none")]
mod entry {
    unsafe extern "C" {
        /// The program's entry, C ABI (a Rust `extern "C" fn main` or a C `main`).
        fn main() -> i32;
    }

    /// First instruction of a user program; the kernel (or the loader) set SP.
    #[unsafe(no_mangle)]
    #[unsafe(link_section = ".text._start")]
    extern "C" fn _start() -> ! {
        // SAFETY: every user program defines `main` with this signature.
        let code = unsafe { main() };
        super::exit(code as u32)
    }

    #[panic_handler]
    fn panic(info: &core::panic::PanicInfo<'_>) -> ! {
        crate::println!("*** user panic: {}", info.message());
        if let Some(location) = info.location() {
            crate::println!("*** at {}:{}", location.file(), location.line());
        }
        super::exit(101)
    }
}
