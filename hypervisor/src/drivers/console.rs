// SPDX-License-Identifier: MIT OR Apache-2.0
//! Kernel console: the PL011 and the kernel's log lines (`[kernel INFO] ...`).
//! Output is polled (the kernel runs with interrupts masked). Messages are
//! built with [`Line`](crate::text::Line), never with `core::fmt`, which keeps
//! the formatting machinery out of the kernel image.

use crate::plat;
use crate::text::Line;
use arm_pl011_uart::{DataBits, LineConfig, Parity, StopBits, Uart, UniqueMmioPointer};
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

/// Writes one kernel log line: `[kernel LEVEL] text` and a line break.
pub fn log(level: &str, text: &str) {
    log_bytes(level, text.as_bytes());
}

/// Writes `line` as a kernel log line at level `INFO`.
pub(crate) fn info(line: &Line) {
    log_bytes("INFO", line.as_bytes());
}

fn log_bytes(level: &str, text: &[u8]) {
    write_bytes(b"[kernel ");
    write_bytes(level.as_bytes());
    write_bytes(b"] ");
    write_bytes(text);
    write_bytes(b"\n");
}

/// Breaks a lock held by code that panicked, so the panic message gets out.
pub fn force_unlock() {
    if UART.is_locked() {
        // SAFETY: only called on the panic path of a single-core kernel with
        // interrupts masked: the holder will never run again.
        unsafe { UART.force_unlock() };
    }
}
