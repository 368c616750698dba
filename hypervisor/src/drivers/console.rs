// SPDX-License-Identifier: MIT OR Apache-2.0
//! Kernel console: the PL011 behind the `log` facade and the kernel debug-output
//! call. Output is polled (the kernel runs with interrupts masked).

use crate::plat;
use arm_pl011_uart::{DataBits, LineConfig, Parity, StopBits, Uart, UniqueMmioPointer};
use core::fmt::{self, Write};
use core::ptr::NonNull;
use spin::Mutex;

static UART: Mutex<Option<Uart<'static>>> = Mutex::new(None);

/// Brings up the PL011 at 115200 8N1.
pub fn init() {
    let registers = NonNull::new(plat::UART_BASE as *mut _).expect("UART base is not null");
    // SAFETY: UART_BASE is the PL011's MMIO block on this platform; the kernel maps it
    // as device memory, and this is the only driver instance that touches it.
    let mut uart = Uart::new(unsafe { UniqueMmioPointer::new(registers) });
    let config = LineConfig { data_bits: DataBits::Bits8, parity: Parity::None, stop_bits: StopBits::One };
    // QEMU's model ignores the divisor; a failure leaves the console usable as it was.
    let _ = uart.enable(config, 115_200, plat::UART_CLOCK_HZ);
    *UART.lock() = Some(uart);
    log::set_logger(&LOGGER).ok();
    log::set_max_level(log::LevelFilter::Info);
}

/// Writes bytes to the console, `\n` as CR LF.
pub fn write_bytes(bytes: &[u8]) {
    let mut guard = UART.lock();
    if let Some(uart) = guard.as_mut() {
        for &byte in bytes {
            if byte == b'\n' {
                uart.write_word(b'\r');
            }
            uart.write_word(byte);
        }
    }
}

/// Formatted console output for the kernel (`kprint!`).
pub fn write_fmt(args: fmt::Arguments<'_>) {
    struct Sink;
    impl Write for Sink {
        fn write_str(&mut self, text: &str) -> fmt::Result {
            write_bytes(text.as_bytes());
            Ok(())
        }
    }
    let _ = Sink.write_fmt(args);
}

/// Breaks a lock held by code that panicked, so the panic message gets out.
pub fn force_unlock() {
    if UART.is_locked() {
        // SAFETY: only called on the panic path of a single-core kernel with
        // interrupts masked: the holder will never run again.
        unsafe { UART.force_unlock() };
    }
}

struct Logger;
static LOGGER: Logger = Logger;

impl log::Log for Logger {
    fn enabled(&self, metadata: &log::Metadata<'_>) -> bool {
        metadata.level() <= log::max_level()
    }

    fn log(&self, record: &log::Record<'_>) {
        if self.enabled(record.metadata()) {
            write_fmt(format_args!("[kernel {}] {}\n", record.level(), record.args()));
        }
    }

    fn flush(&self) {}
}
