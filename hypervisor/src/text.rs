// SPDX-License-Identifier: MIT OR Apache-2.0
//! Fixed-size text lines for kernel messages built without an allocator.

use core::fmt;

/// A line of at most 160 bytes; longer text is cut.
pub struct Line {
    bytes: [u8; 160],
    length: usize,
}

impl Default for Line {
    fn default() -> Self {
        Self::new()
    }
}

impl Line {
    /// An empty line.
    pub const fn new() -> Self {
        Self { bytes: [0; 160], length: 0 }
    }

    /// Appends text.
    pub fn push_str(&mut self, text: &str) {
        for &byte in text.as_bytes() {
            if self.length == self.bytes.len() {
                return;
            }
            self.bytes[self.length] = byte;
            self.length += 1;
        }
    }

    /// Appends `value` as `0x` and eight hex digits.
    pub fn push_hex(&mut self, value: u32) {
        let mut digits = [0u8; 10];
        digits[0] = b'0';
        digits[1] = b'x';
        for (position, digit) in digits[2..].iter_mut().enumerate() {
            let nibble = (value >> (28 - 4 * position)) & 0xF;
            *digit = b"0123456789abcdef"[nibble as usize];
        }
        self.push_str(core::str::from_utf8(&digits).unwrap_or(""));
    }

    /// The text so far.
    pub fn as_bytes(&self) -> &[u8] {
        &self.bytes[..self.length]
    }
}

impl fmt::Write for Line {
    fn write_str(&mut self, text: &str) -> fmt::Result {
        self.push_str(text);
        Ok(())
    }
}
