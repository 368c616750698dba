// SPDX-License-Identifier: MIT OR Apache-2.0
//! Fixed-size text lines for kernel messages built without an allocator and
//! without `core::fmt`: text pieces, decimal and hexadecimal integers. The
//! kernel prints everything through these (its console lines, its fault
//! reports, its panics), so the formatting machinery of `core` stays out of
//! the kernel image.

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
    ///
    /// Out of line, like the `push_*` methods: lines are built on cold paths
    /// (boot, faults, refusals), where a call is cheaper in `.text` than the
    /// code at every site.
    #[inline(never)]
    pub const fn new() -> Self {
        Self { bytes: [0; 160], length: 0 }
    }

    /// Appends one byte (nothing once the line is full).
    fn push_byte(&mut self, byte: u8) -> &mut Self {
        if let Some(slot) = self.bytes.get_mut(self.length) {
            *slot = byte;
            self.length += 1;
        }
        self
    }

    /// Appends text.
    #[inline(never)]
    pub fn push_str(&mut self, text: &str) -> &mut Self {
        for &byte in text.as_bytes() {
            self.push_byte(byte);
        }
        self
    }

    /// Appends `value` as `0x` and eight hex digits (`{:#010x}`).
    pub fn push_hex(&mut self, value: u32) -> &mut Self {
        self.push_hex_digits(value, 8)
    }

    /// Appends `value` as `0x` and as many hex digits as it needs (`{:#x}`).
    pub fn push_hex_short(&mut self, value: u32) -> &mut Self {
        let digits = (32 - value.leading_zeros()).div_ceil(4).max(1);
        self.push_hex_digits(value, digits)
    }

    #[inline(never)]
    fn push_hex_digits(&mut self, value: u32, digits: u32) -> &mut Self {
        self.push_str("0x");
        for position in (0..digits).rev() {
            self.push_byte(b"0123456789abcdef"[(value >> (4 * position)) as usize & 0xF]);
        }
        self
    }

    /// Appends `value` in decimal (`{}`).
    ///
    /// Digits are taken from the low end (division by the constant 10, which
    /// compiles to a multiplication: no call to the division routine) into a
    /// buffer, then appended most significant first.
    #[inline(never)]
    pub fn push_dec(&mut self, value: u32) -> &mut Self {
        let mut digits = [0u8; 10];
        let mut count = 0;
        let mut rest = value;
        for digit in digits.iter_mut() {
            *digit = b'0' + (rest % 10) as u8;
            count += 1;
            rest /= 10;
            if rest == 0 {
                break;
            }
        }
        for &digit in digits.iter().take(count).rev() {
            self.push_byte(digit);
        }
        self
    }

    /// The text so far.
    pub fn as_bytes(&self) -> &[u8] {
        // `length` never passes the buffer's end (`push_byte`); `get` keeps
        // the slice's bounds check, and its formatting, out of the kernel.
        self.bytes.get(..self.length).unwrap_or(&self.bytes)
    }
}

#[cfg(test)]
mod tests {
    use super::Line;

    fn text(line: &Line) -> &str {
        core::str::from_utf8(line.as_bytes()).unwrap()
    }

    #[test]
    fn numbers_read_as_core_fmt_writes_them() {
        for value in [0, 1, 9, 10, 15, 16, 99, 100, 255, 4096, 65_535, 999_999_999, 1_000_000_000, u32::MAX] {
            let mut line = Line::new();
            line.push_dec(value).push_str(" ").push_hex(value).push_str(" ").push_hex_short(value);
            assert_eq!(text(&line), format!("{value} {value:#010x} {value:#x}"));
        }
    }

    #[test]
    fn a_long_line_is_cut_at_160_bytes() {
        let mut line = Line::new();
        for _ in 0..40 {
            line.push_str("abcde").push_dec(12_345);
        }
        assert_eq!(line.as_bytes().len(), 160);
        assert_eq!(&text(&line)[..15], "abcde12345abcde");
    }
}
