// SPDX-License-Identifier: MIT OR Apache-2.0
//! The benchmarks' native baseline: µC/OS-II on the bare QEMU `virt` machine,
//! every task in SVC mode, the generic timer's interrupt through the GICv2
//! straight into `OSIntEnter`/`OSTimeTick`/`OSIntExit` — what the guest's
//! figures are compared with (`cargo xtask bench`). It runs
//! `examples/bench_ucos/main.c`, the same benchmark the guest runs, and is no
//! part of ucvisor: not the kernel, not its user mode.
//!
//! `arch` holds the vectors, the context switch and the register accesses,
//! `plat` the addresses; the C half of the port is `os_cpu_c.c`.
#![cfg_attr(target_os = "none", no_std, no_main)]

#[cfg(target_os = "none")]
mod arch;
#[cfg(target_os = "none")]
mod plat;

#[cfg(target_os = "none")]
mod target {
    use crate::{arch, plat};
    use core::sync::atomic::{AtomicU32, Ordering};

    /// µC/OS-II ticks per second (`OS_TICKS_PER_SEC` of the benchmark).
    const TICKS_PER_SECOND: u32 = 1000;
    /// Counter ticks between two µC/OS-II ticks.
    static PERIOD: AtomicU32 = AtomicU32::new(0);

    unsafe extern "C" {
        fn main() -> i32;
        fn OSTimeTick();
    }

    /// Output keys and name of the run (`bench.h`).
    #[unsafe(no_mangle)]
    static bench_prefix: [u8; 8] = *b"native_\0";
    #[unsafe(no_mangle)]
    static bench_key_tick: [u8; 12] = *b"native_tick\0";
    #[unsafe(no_mangle)]
    static bench_key_irq: [u8; 25] = *b"native_irq_to_ostimetick\0";
    #[unsafe(no_mangle)]
    static bench_name: [u8; 12] = *b"native_ucos\0";

    /// First Rust code: the reset code set the stacks and cleared the BSS.
    #[unsafe(no_mangle)]
    extern "C" fn native_start() -> ! {
        arch::gic_init(plat::VIRTUAL_TIMER_IRQ);
        // SAFETY: the benchmark's C `main`, which starts µC/OS-II and does not return.
        let code = unsafe { main() };
        arch::exit(code as u32)
    }

    /// Writes the NUL-terminated `text` to the UART.
    #[unsafe(no_mangle)]
    extern "C" fn bench_write(text: *const core::ffi::c_char) {
        // SAFETY: the C caller passes a NUL-terminated string.
        let text = unsafe { core::ffi::CStr::from_ptr(text) };
        for &byte in text.to_bytes() {
            arch::uart_write(byte);
        }
    }

    /// Starts the tick: the virtual timer every `1 / TICKS_PER_SECOND` s.
    #[unsafe(no_mangle)]
    extern "C" fn bench_tick_start() {
        let period = arch::counter_frequency() / TICKS_PER_SECOND;
        PERIOD.store(period, Ordering::Relaxed);
        arch::timer_start(period);
    }

    /// Ends the run (semihosting exit with `code`).
    #[unsafe(no_mangle)]
    extern "C" fn bench_exit(code: i32) {
        arch::exit(code as u32)
    }

    /// The IRQ's work between `OSIntEnter` and `OSIntExit` (called by the
    /// vector in `arch`): the timer's interrupt re-arms the timer one period
    /// on (no drift) and runs `OSTimeTick`.
    #[unsafe(no_mangle)]
    extern "C" fn native_irq() {
        let interrupt = arch::gic_acknowledge();
        if interrupt & 0x3FF == plat::VIRTUAL_TIMER_IRQ {
            arch::timer_rearm(PERIOD.load(Ordering::Relaxed));
            arch::gic_end(interrupt);
            // SAFETY: µC/OS-II's tick, in ISR context (between OSIntEnter and OSIntExit).
            unsafe { OSTimeTick() };
        } else {
            arch::gic_end(interrupt);
        }
    }

    #[panic_handler]
    fn panic(_: &core::panic::PanicInfo<'_>) -> ! {
        arch::exit(101)
    }
}

#[cfg(not(target_os = "none"))]
fn main() {
    eprintln!("native_ucos is bare-metal: build it with `--target armv7a-none-eabi`.");
    std::process::exit(2);
}
