// SPDX-License-Identifier: MIT OR Apache-2.0
//! v_serial's console: which thread writes for which guest, whole tagged
//! lines, and who may take console input.
//!
//! The root server defines one console domain per guest (`PV_SERIAL_DOMAIN`:
//! its tag, and whether it may take console input) and registers each of the
//! guest's threads with it (`PV_SERIAL_THREAD`); v_serial takes these from the
//! root server's thread only. A write (`PV_SERIAL_WRITE`) from a registered
//! thread goes into its domain's line buffer; each finished line goes out as
//! `[tag] line\n` in one piece, so lines of different guests never mix. A line
//! longer than the buffer goes out in pieces, each tagged and ended. Console
//! input may be attached only by the domain the root server marked for input,
//! and only to one of its own threads.
//!
//! Console input waits here until the input domain takes it
//! (`PV_SERIAL_READ_INPUT`, [`Console::read_input`]): v_serial only notifies
//! the attached thread that input is waiting (`PV_NOTIFY_SERIAL_INPUT`, which
//! never blocks), so a guest that never reads delays nobody and its input
//! stays queued for it, also across a restart of the guest.

use paravirt_api::*;

/// Bytes of a line kept before it goes out as a piece.
pub const LINE_BYTES: usize = 200;
/// Threads one console domain may have: as many as a guest may have
/// (`PV_GUEST_THREADS_MAX`).
pub const DOMAIN_THREADS: usize = PV_GUEST_THREADS_MAX as usize;
/// Console domains (one per guest).
pub const DOMAINS: usize = PV_MAX_GUESTS as usize;
/// Bytes of console input kept until the input domain takes them (more are dropped).
pub const INPUT_BYTES: usize = 1024;

#[derive(Clone, Copy)]
struct Domain {
    defined: bool,
    tag: [u8; 24],
    tag_length: usize,
    may_input: bool,
    threads: [PvThreadId; DOMAIN_THREADS],
    line: [u8; LINE_BYTES],
    line_length: usize,
}

impl Domain {
    const EMPTY: Self = Self {
        defined: false,
        tag: [0; 24],
        tag_length: 0,
        may_input: false,
        threads: [PV_NIL_THREAD; DOMAIN_THREADS],
        line: [0; LINE_BYTES],
        line_length: 0,
    };

    /// Writes the kept line, tagged and ended, and empties the buffer.
    fn flush(&mut self, out: &mut dyn FnMut(&[u8])) {
        out(b"[");
        out(&self.tag[..self.tag_length]);
        out(b"] ");
        out(&self.line[..self.line_length]);
        out(b"\n");
        self.line_length = 0;
    }
}

/// v_serial's state, all of it bound to the sender's domain.
pub struct Console {
    root: PvThreadId,
    domains: [Domain; DOMAINS],
    input: Option<(PvThreadId, usize)>,
    pending: [u8; INPUT_BYTES],
    pending_length: usize,
}

impl Console {
    /// A console that takes domain definitions from thread `root` (the root
    /// server) only.
    pub const fn new(root: PvThreadId) -> Self {
        Self { root, domains: [Domain::EMPTY; DOMAINS], input: None, pending: [0; INPUT_BYTES], pending_length: 0 }
    }

    fn domain_of(&self, thread: PvThreadId) -> Option<usize> {
        if thread == PV_NIL_THREAD {
            return None;
        }
        self.domains.iter().position(|d| d.defined && d.threads.contains(&thread))
    }

    /// `PV_SERIAL_DOMAIN` from `sender` with message `words`: (re)defines a
    /// domain; its unfinished line goes to `out` first. Returns a `PV_*` code.
    pub fn define(&mut self, sender: PvThreadId, words: &[u32], out: &mut dyn FnMut(&[u8])) -> u32 {
        if sender != self.root {
            return PV_ERR_NO_PRIVILEGE;
        }
        if words.len() < PV_SERIAL_DOMAIN_WORDS as usize {
            return PV_ERR_INVALID_ARGUMENT;
        }
        let (number, flags) = (words[0], words[1]);
        if number as usize >= DOMAINS || flags & !PV_SERIAL_DOMAIN_INPUT != 0 {
            return PV_ERR_INVALID_ARGUMENT;
        }
        let tag = crate::words_name(&words[2..8]);
        let tag_length = tag.iter().position(|&b| b == 0).unwrap_or(tag.len());
        let domain = &mut self.domains[number as usize];
        if domain.defined && domain.line_length > 0 {
            domain.flush(out);
        }
        *domain =
            Domain { defined: true, tag, tag_length, may_input: flags & PV_SERIAL_DOMAIN_INPUT != 0, ..Domain::EMPTY };
        if self.input.is_some_and(|(_, owner)| owner == number as usize) {
            self.input = None;
        }
        PV_OK
    }

    /// `PV_SERIAL_THREAD` from `sender` with message `words`: thread MR0 writes
    /// for domain MR1.
    pub fn add_thread(&mut self, sender: PvThreadId, words: &[u32]) -> u32 {
        if sender != self.root {
            return PV_ERR_NO_PRIVILEGE;
        }
        let (Some(&thread), Some(&number)) = (words.first(), words.get(1)) else {
            return PV_ERR_INVALID_ARGUMENT;
        };
        let defined = self.domains.get(number as usize).is_some_and(|d| d.defined);
        if !defined || thread == PV_NIL_THREAD || thread & PV_IRQ_THREAD_BASE != 0 || self.domain_of(thread).is_some() {
            return PV_ERR_INVALID_ARGUMENT;
        }
        let domain = &mut self.domains[number as usize];
        match domain.threads.iter_mut().find(|t| **t == PV_NIL_THREAD) {
            Some(slot) => {
                *slot = thread;
                PV_OK
            }
            None => PV_ERR_NO_RESOURCES,
        }
    }

    /// `PV_SERIAL_WRITE` of `bytes` by `sender`: whole lines to `out`, the rest kept.
    pub fn write(&mut self, sender: PvThreadId, bytes: &[u8], out: &mut dyn FnMut(&[u8])) -> u32 {
        let Some(number) = self.domain_of(sender) else {
            return PV_ERR_NO_PRIVILEGE;
        };
        let domain = &mut self.domains[number];
        for &byte in bytes {
            if byte == b'\n' {
                domain.flush(out);
                continue;
            }
            if domain.line_length == LINE_BYTES {
                domain.flush(out);
            }
            domain.line[domain.line_length] = byte;
            domain.line_length += 1;
        }
        PV_OK
    }

    /// `PV_SERIAL_ATTACH_INPUT` by `sender` for thread `notify`: only the input
    /// domain, only to one of its own threads.
    pub fn attach_input(&mut self, sender: PvThreadId, notify: PvThreadId) -> u32 {
        match self.domain_of(sender) {
            Some(number) if self.domains[number].may_input && self.domain_of(notify) == Some(number) => {
                self.input = Some((notify, number));
                PV_OK
            }
            _ => PV_ERR_NO_PRIVILEGE,
        }
    }

    /// The thread console input goes to, if any.
    pub fn input_client(&self) -> Option<PvThreadId> {
        self.input.map(|(thread, _)| thread)
    }

    /// The input thread no longer exists (a notification found no such thread).
    pub fn input_gone(&mut self) {
        self.input = None;
    }

    /// Console input arrived: kept for the input domain (false: no room, dropped).
    pub fn push_input(&mut self, byte: u8) -> bool {
        if self.pending_length == INPUT_BYTES {
            return false;
        }
        self.pending[self.pending_length] = byte;
        self.pending_length += 1;
        true
    }

    /// Takes every byte the receiver holds after its receive interrupt:
    /// clears the interrupt first, then reads until the receiver is empty;
    /// true if any byte came.
    ///
    /// The order is what keeps input flowing. The PL011 raises its receive
    /// interrupt when a byte arrives (QEMU's with its FIFO off holds one byte
    /// and takes no more until it is read). Read to the end and then clear,
    /// and a byte that arrives in between is cleared with the interrupt: it
    /// sits unsignalled, blocks every byte behind it, and console input stops
    /// for good. Cleared first, a byte that arrives at any point is either
    /// read by the loop or raises the interrupt again.
    pub fn take_receiver(&mut self, receiver: &mut impl Receiver) -> bool {
        receiver.clear_receive_interrupt();
        let mut any = false;
        while let Some(byte) = receiver.read_byte() {
            self.push_input(byte);
            any = true;
        }
        any
    }

    /// True if input waits to be taken.
    pub fn input_waiting(&self) -> bool {
        self.pending_length > 0
    }

    /// `PV_SERIAL_READ_INPUT` by `sender`: moves up to `buffer.len()` waiting
    /// bytes into `buffer` and returns how many (0: none waiting). Only a
    /// thread of the domain input is attached to: anyone else
    /// `PV_ERR_NO_PRIVILEGE`, and the input stays.
    pub fn read_input(&mut self, sender: PvThreadId, buffer: &mut [u8]) -> Result<usize, u32> {
        match (self.input, self.domain_of(sender)) {
            (Some((_, owner)), Some(number)) if owner == number => {}
            _ => return Err(PV_ERR_NO_PRIVILEGE),
        }
        let count = self.pending_length.min(buffer.len());
        buffer[..count].copy_from_slice(&self.pending[..count]);
        self.pending.copy_within(count..self.pending_length, 0);
        self.pending_length -= count;
        Ok(count)
    }
}

/// The console's receiver, as [`Console::take_receiver`] drains it (the
/// PL011 in v_serial, a model in the tests).
pub trait Receiver {
    /// Clears the receive (and receive-timeout) interrupt.
    fn clear_receive_interrupt(&mut self);
    /// The next byte received, if any.
    fn read_byte(&mut self) -> Option<u8>;
}

#[cfg(test)]
mod tests {
    use super::*;

    /// QEMU's PL011 with its FIFO off: one byte held, the receive interrupt
    /// raised when it arrives and lowered when it is read or cleared. The
    /// next of `incoming` arrives at the read that finds the receiver empty:
    /// the moment between a drain's last read and what follows it.
    struct ModelUart {
        held: Option<u8>,
        interrupt: bool,
        incoming: Vec<u8>,
    }

    impl ModelUart {
        fn arrive(&mut self) {
            if self.held.is_none()
                && let Some(byte) = self.incoming.pop()
            {
                self.held = Some(byte);
                self.interrupt = true;
            }
        }
    }

    impl Receiver for ModelUart {
        fn clear_receive_interrupt(&mut self) {
            self.interrupt = false;
        }
        fn read_byte(&mut self) -> Option<u8> {
            match self.held.take() {
                Some(byte) => {
                    self.interrupt = false;
                    Some(byte)
                }
                None => {
                    // Found empty: the next byte comes in right now.
                    self.arrive();
                    None
                }
            }
        }
    }

    #[test]
    fn a_byte_arriving_as_the_receiver_is_drained_is_read_or_signalled() {
        let mut console = Console::new(ROOT);
        let mut uart = ModelUart { held: Some(b'a'), interrupt: true, incoming: vec![b'c', b'b'] };
        // Each interrupt v_serial takes drains the receiver; a byte the drain
        // leaves behind must have its interrupt raised, or input stops.
        let mut interrupts = 0;
        while uart.interrupt || uart.held.is_some() {
            assert!(uart.interrupt, "a byte is held with no interrupt raised: console input stopped");
            assert!(console.take_receiver(&mut uart) || uart.held.is_some());
            interrupts += 1;
            assert!(interrupts < 10);
        }
        assert_eq!(&console.pending[..console.pending_length], b"abc", "every byte taken, in order");
    }

    const ROOT: PvThreadId = 0x1002;

    fn domain_words(number: u32, flags: u32, tag: &str) -> Vec<u32> {
        let mut words = vec![number, flags];
        words.extend(crate::name_words(&paravirt_api::pv_name(tag)));
        words
    }

    /// A console with `hello` (domain 0, input, threads 0x2005/0x3006) and
    /// `ticks` (domain 1, threads 0x2007/0x2008).
    fn console() -> Console {
        let mut console = Console::new(ROOT);
        let mut out = |_: &[u8]| panic!("nothing to write yet");
        assert_eq!(console.define(ROOT, &domain_words(0, PV_SERIAL_DOMAIN_INPUT, "hello"), &mut out), PV_OK);
        assert_eq!(console.define(ROOT, &domain_words(1, 0, "ticks"), &mut out), PV_OK);
        for (thread, domain) in [(0x2005, 0), (0x3006, 0), (0x2007, 1), (0x2008, 1)] {
            assert_eq!(console.add_thread(ROOT, &[thread, domain]), PV_OK);
        }
        console
    }

    fn write(console: &mut Console, sender: PvThreadId, text: &str, output: &mut String) -> u32 {
        console.write(sender, text.as_bytes(), &mut |bytes| output.push_str(core::str::from_utf8(bytes).unwrap()))
    }

    #[test]
    fn lines_are_tagged_and_never_mixed() {
        let mut console = console();
        let mut output = String::new();
        assert_eq!(write(&mut console, 0x2005, "hello: task A ", &mut output), PV_OK);
        assert_eq!(write(&mut console, 0x2007, "ticks: progress", &mut output), PV_OK);
        assert_eq!(output, "", "unfinished lines are kept");
        write(&mut console, 0x3006, "tick 1\nhello: task B tick 1\nhel", &mut output);
        write(&mut console, 0x2008, " 1000 of 10000\n", &mut output);
        assert_eq!(
            output,
            "[hello] hello: task A tick 1\n[hello] hello: task B tick 1\n[ticks] ticks: progress 1000 of 10000\n"
        );
        output.clear();
        write(&mut console, 0x2005, "lo\n\n", &mut output);
        assert_eq!(output, "[hello] hello\n[hello] \n");
    }

    #[test]
    fn a_line_longer_than_the_buffer_goes_out_in_tagged_pieces() {
        let mut console = console();
        let mut output = String::new();
        let long = "x".repeat(2 * LINE_BYTES + 10);
        write(&mut console, 0x2007, &long, &mut output);
        write(&mut console, 0x2007, "\n", &mut output);
        let lines: Vec<&str> = output.lines().collect();
        assert_eq!(lines.len(), 3, "{output}");
        for (line, length) in lines.iter().zip([LINE_BYTES, LINE_BYTES, 10]) {
            assert_eq!(*line, format!("[ticks] {}", "x".repeat(length)));
        }
    }

    #[test]
    fn only_registered_threads_write_and_only_the_root_registers() {
        let mut console = console();
        let mut output = String::new();
        assert_eq!(write(&mut console, 0x2099, "intruder\n", &mut output), PV_ERR_NO_PRIVILEGE);
        assert_eq!(write(&mut console, PV_NIL_THREAD, "nobody\n", &mut output), PV_ERR_NO_PRIVILEGE);
        assert_eq!(output, "");
        let mut out = |_: &[u8]| {};
        assert_eq!(console.define(0x2005, &domain_words(1, 0, "stolen"), &mut out), PV_ERR_NO_PRIVILEGE);
        assert_eq!(console.add_thread(0x2005, &[0x2099, 0]), PV_ERR_NO_PRIVILEGE);
        // Bad requests from the root server itself.
        assert_eq!(console.add_thread(ROOT, &[0x2099]), PV_ERR_INVALID_ARGUMENT);
        assert_eq!(console.add_thread(ROOT, &[0x2099, 5]), PV_ERR_INVALID_ARGUMENT, "domain 5 is not defined");
        assert_eq!(console.add_thread(ROOT, &[0x2099, 6]), PV_ERR_INVALID_ARGUMENT);
        assert_eq!(console.add_thread(ROOT, &[0x2007, 0]), PV_ERR_INVALID_ARGUMENT, "already in domain 1");
        assert_eq!(console.add_thread(ROOT, &[PV_NIL_THREAD, 0]), PV_ERR_INVALID_ARGUMENT);
        assert_eq!(console.define(ROOT, &domain_words(6, 0, "x"), &mut out), PV_ERR_INVALID_ARGUMENT);
        assert_eq!(console.define(ROOT, &domain_words(1, 2, "x"), &mut out), PV_ERR_INVALID_ARGUMENT);
        assert_eq!(console.define(ROOT, &[1, 0], &mut out), PV_ERR_INVALID_ARGUMENT);
        assert_eq!(console.define(ROOT, &[], &mut out), PV_ERR_INVALID_ARGUMENT);
        // A domain holds as many threads as a guest may have, and no more.
        for thread in 0..DOMAIN_THREADS as u32 - 2 {
            assert_eq!(console.add_thread(ROOT, &[0x2100 + thread, 1]), PV_OK);
        }
        assert_eq!(console.add_thread(ROOT, &[0x2200, 1]), PV_ERR_NO_RESOURCES);
    }

    #[test]
    fn redefining_a_domain_writes_its_unfinished_line_and_forgets_its_threads() {
        let mut console = console();
        let mut output = String::new();
        write(&mut console, 0x2007, "ticks: no newline", &mut output);
        let mut out = |bytes: &[u8]| output.push_str(core::str::from_utf8(bytes).unwrap());
        assert_eq!(console.define(ROOT, &domain_words(1, 0, "ticks"), &mut out), PV_OK);
        assert_eq!(output, "[ticks] ticks: no newline\n");
        output.clear();
        assert_eq!(write(&mut console, 0x2007, "old thread\n", &mut output), PV_ERR_NO_PRIVILEGE);
        assert_eq!(console.add_thread(ROOT, &[0x4007, 1]), PV_OK);
        write(&mut console, 0x4007, "restarted\n", &mut output);
        assert_eq!(output, "[ticks] restarted\n");
    }

    #[test]
    fn console_input_goes_only_to_the_input_domain() {
        let mut console = console();
        assert_eq!(console.input_client(), None);
        assert_eq!(console.attach_input(0x2007, 0x2007), PV_ERR_NO_PRIVILEGE, "ticks is not the input guest");
        assert_eq!(console.attach_input(0x2005, 0x2007), PV_ERR_NO_PRIVILEGE, "not to another guest's thread");
        assert_eq!(console.attach_input(0x2099, 0x2005), PV_ERR_NO_PRIVILEGE, "not from an unknown thread");
        assert_eq!(console.attach_input(0x3006, 0x2005), PV_OK);
        assert_eq!(console.input_client(), Some(0x2005));
        console.input_gone();
        assert_eq!(console.input_client(), None);
        assert_eq!(console.attach_input(0x2005, 0x2005), PV_OK);
        // The input guest restarts: its attachment goes with its old threads.
        let mut out = |_: &[u8]| {};
        assert_eq!(console.define(ROOT, &domain_words(0, PV_SERIAL_DOMAIN_INPUT, "hello"), &mut out), PV_OK);
        assert_eq!(console.input_client(), None);
        // Redefining another domain leaves it alone.
        assert_eq!(console.add_thread(ROOT, &[0x5005, 0]), PV_OK);
        assert_eq!(console.attach_input(0x5005, 0x5005), PV_OK);
        assert_eq!(console.define(ROOT, &domain_words(1, 0, "ticks"), &mut out), PV_OK);
        assert_eq!(console.input_client(), Some(0x5005));
    }

    #[test]
    fn input_waits_for_its_domain_and_only_its_domain_takes_it() {
        let mut console = console();
        for &byte in b"ls\n" {
            assert!(console.push_input(byte));
        }
        let mut buffer = [0u8; 2];
        // Not attached yet: nobody takes it, and it stays.
        assert_eq!(console.read_input(0x2005, &mut buffer), Err(PV_ERR_NO_PRIVILEGE));
        assert_eq!(console.attach_input(0x2005, 0x2005), PV_OK);
        assert!(console.input_waiting());
        // Another guest's thread, an unknown thread: refused, nothing taken.
        assert_eq!(console.read_input(0x2007, &mut buffer), Err(PV_ERR_NO_PRIVILEGE));
        assert_eq!(console.read_input(0x2099, &mut buffer), Err(PV_ERR_NO_PRIVILEGE));
        // Any thread of the input domain takes it, in order, a buffer at a time.
        assert_eq!(console.read_input(0x3006, &mut buffer), Ok(2));
        assert_eq!(&buffer, b"ls");
        assert_eq!(console.read_input(0x2005, &mut buffer), Ok(1));
        assert_eq!(buffer[0], b'\n');
        assert_eq!(console.read_input(0x2005, &mut buffer), Ok(0));
        assert!(!console.input_waiting());
        // Input nobody reads is kept up to the buffer, never blocking the writer.
        for _ in 0..INPUT_BYTES {
            assert!(console.push_input(b'x'));
        }
        assert!(!console.push_input(b'y'), "full: dropped");
        let mut all = [0u8; INPUT_BYTES + 8];
        assert_eq!(console.read_input(0x2005, &mut all), Ok(INPUT_BYTES));
    }
}
