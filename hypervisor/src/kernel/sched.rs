// SPDX-License-Identifier: MIT OR Apache-2.0
//! Fixed-priority preemptive ready queues with round-robin inside a priority.
//!
//! 256 priorities (higher number runs first), one doubly linked FIFO per
//! priority threaded through `next`/`previous` arrays indexed by thread, and a
//! two-level bitmap of non-empty priorities: 8 words of 32 bits and one word
//! saying which of them are non-zero. Every operation is O(1): enqueue at
//! either end, removal from anywhere, and the highest ready priority with two
//! leading-zero counts.
//!
//! The running thread is at the head of its queue, or (after an IPC fastpath,
//! see `Kernel::fast_ipc`) in no queue at all, standing for that head: the
//! kernel puts it back at the head before it looks at the queues.

use crate::table::Table;

/// Marks "no thread" in the links.
const NONE: u8 = u8::MAX;

/// Ready queues for up to `N` threads (N < 255).
pub struct ReadyQueues<const N: usize> {
    head: Table<u8, 256>,
    tail: Table<u8, 256>,
    next: Table<u8, N>,
    previous: Table<u8, N>,
    queued: Table<bool, N>,
    priority: Table<u8, N>,
    /// Bit `p % 32` of word `p / 32`: priority `p`'s queue is not empty.
    bitmap: Table<u32, 8>,
    /// Bit `w`: `bitmap[w]` is not zero.
    words: u32,
    /// A queue changed since [`ReadyQueues::take_changed`] last looked.
    changed: bool,
}

impl<const N: usize> Default for ReadyQueues<N> {
    fn default() -> Self {
        Self::new()
    }
}

impl<const N: usize> ReadyQueues<N> {
    /// Empty queues.
    pub const fn new() -> Self {
        Self {
            head: Table([NONE; 256]),
            tail: Table([NONE; 256]),
            next: Table([NONE; N]),
            previous: Table([NONE; N]),
            queued: Table([false; N]),
            priority: Table([0; N]),
            bitmap: Table([0; 8]),
            words: 0,
            changed: true,
        }
    }

    /// True if a queue changed (or [`ReadyQueues::mark_changed`] was called)
    /// since the last call; clears the mark.
    pub fn take_changed(&mut self) -> bool {
        core::mem::replace(&mut self.changed, false)
    }

    /// Marks a change that the scheduler must look at (a choice made outside
    /// the queues changed, such as a donation).
    pub fn mark_changed(&mut self) {
        self.changed = true;
    }

    /// True if `thread` is in a queue.
    pub fn contains(&self, thread: usize) -> bool {
        self.queued[thread]
    }

    fn mark(&mut self, p: usize) {
        self.bitmap[p / 32] |= 1 << (p % 32);
        self.words |= 1 << (p / 32);
    }

    /// Appends `thread` at the tail of the queue of `priority`.
    pub fn enqueue(&mut self, thread: usize, priority: u8) {
        if self.queued[thread] {
            return;
        }
        let p = usize::from(priority);
        self.changed = true;
        self.queued[thread] = true;
        self.priority[thread] = priority;
        self.next[thread] = NONE;
        self.previous[thread] = self.tail[p];
        if self.head[p] == NONE {
            self.head[p] = thread as u8;
            self.mark(p);
        } else {
            self.next[usize::from(self.tail[p])] = thread as u8;
        }
        self.tail[p] = thread as u8;
    }

    /// Puts `thread` at the head of the queue of `priority` (the running
    /// thread going back to where it stands).
    pub fn push_front(&mut self, thread: usize, priority: u8) {
        if self.queued[thread] {
            return;
        }
        let p = usize::from(priority);
        self.changed = true;
        self.queued[thread] = true;
        self.priority[thread] = priority;
        self.previous[thread] = NONE;
        self.next[thread] = self.head[p];
        if self.head[p] == NONE {
            self.tail[p] = thread as u8;
            self.mark(p);
        } else {
            self.previous[usize::from(self.head[p])] = thread as u8;
        }
        self.head[p] = thread as u8;
    }

    /// Removes `thread` from its queue (no effect if not queued).
    pub fn remove(&mut self, thread: usize) {
        if !self.queued[thread] {
            return;
        }
        let p = usize::from(self.priority[thread]);
        self.changed = true;
        let (previous, after) = (self.previous[thread], self.next[thread]);
        if previous == NONE {
            self.head[p] = after;
        } else {
            self.next[usize::from(previous)] = after;
        }
        if after == NONE {
            self.tail[p] = previous;
        } else {
            self.previous[usize::from(after)] = previous;
        }
        if self.head[p] == NONE {
            self.bitmap[p / 32] &= !(1 << (p % 32));
            if self.bitmap[p / 32] == 0 {
                self.words &= !(1 << (p / 32));
            }
        }
        self.queued[thread] = false;
        self.next[thread] = NONE;
        self.previous[thread] = NONE;
    }

    /// Moves the head of `priority`'s queue to its tail (timeslice end, yield).
    pub fn rotate(&mut self, priority: u8) {
        let head = self.head[usize::from(priority)];
        if head != NONE && self.tail[usize::from(priority)] != head {
            self.remove(usize::from(head));
            self.enqueue(usize::from(head), priority);
        }
    }

    /// The thread to run: the head of the highest non-empty priority.
    pub fn highest(&self) -> Option<usize> {
        self.highest_priority().map(|p| usize::from(self.head[usize::from(p)]))
    }

    /// The head of `priority`'s queue.
    pub fn head(&self, priority: u8) -> Option<usize> {
        let head = self.head[usize::from(priority)];
        (head != NONE).then_some(usize::from(head))
    }

    /// The highest priority with a ready thread: two leading-zero counts.
    pub fn highest_priority(&self) -> Option<u8> {
        self.highest_in(self.words)
    }

    /// The highest priority below `priority` with a ready thread: in
    /// `priority`'s bitmap word below it, else as
    /// [`ReadyQueues::highest_priority`] over the words below that one.
    pub fn next_priority_below(&self, priority: u8) -> Option<u8> {
        let (word, bit) = (usize::from(priority) / 32, u32::from(priority) % 32);
        let below = self.bitmap[word] & ((1u32 << bit) - 1);
        if below != 0 {
            return Some((word * 32 + 31 - below.leading_zeros() as usize) as u8);
        }
        self.highest_in(self.words & ((1u32 << word) - 1))
    }

    /// The highest priority with a ready thread in the bitmap words whose
    /// bits are set in `words` (a subset of [`ReadyQueues::words`]).
    #[inline(always)]
    fn highest_in(&self, words: u32) -> Option<u8> {
        if words == 0 {
            return None;
        }
        let word = 31 - words.leading_zeros() as usize;
        Some((word * 32 + 31 - self.bitmap[word & 7].leading_zeros() as usize) as u8)
    }

    /// The threads queued at `priority`, head first.
    #[cfg(test)]
    pub fn queue(&self, priority: u8) -> Vec<usize> {
        let mut threads = Vec::new();
        let mut cursor = self.head[usize::from(priority)];
        while cursor != NONE {
            threads.push(usize::from(cursor));
            cursor = self.next[usize::from(cursor)];
        }
        threads
    }

    /// True if no thread but `thread` (queued at `priority`, or in no queue)
    /// is queued at `priority` or above: a yield of `thread` would leave it
    /// running. O(1).
    pub fn alone_at_or_above(&self, thread: usize, priority: u8) -> bool {
        let (head, tail) = (self.head[usize::from(priority)], self.tail[usize::from(priority)]);
        !self.any_above(priority) && (head == NONE || (usize::from(head) == thread && tail == head))
    }

    /// True if a thread is queued at a priority above `priority`: a look at
    /// `priority`'s bitmap word and at the summary word, no search.
    fn any_above(&self, priority: u8) -> bool {
        let (word, bit) = (u32::from(priority) / 32, u32::from(priority) % 32);
        // The bits above `bit` in its word, and the words above `word`.
        self.bitmap[word as usize & 7] & bits_above(bit) != 0 || self.words & bits_above(word) != 0
    }

    /// True if a thread is queued at `priority` or above: as
    /// [`ReadyQueues::highest_priority`] compared with `priority`, without
    /// finding the highest (a look at `priority`'s bitmap word and at the
    /// summary word, no leading-zero count).
    pub fn any_at_or_above(&self, priority: u8) -> bool {
        // Empty queues first: a ping-pong between two threads leaves every
        // queue empty.
        let (word, bit) = (u32::from(priority) / 32, u32::from(priority) % 32);
        self.words != 0
            && (self.bitmap[word as usize & 7] & (u32::MAX << bit) != 0 || self.words & bits_above(word) != 0)
    }

    /// True if a change is recorded that [`ReadyQueues::take_changed`] has not
    /// taken yet.
    pub fn is_changed(&self) -> bool {
        self.changed
    }

    /// Number of threads queued at `priority` (for timeslice decisions).
    pub fn has_peer(&self, priority: u8) -> bool {
        let head = self.head[usize::from(priority)];
        head != NONE && self.tail[usize::from(priority)] != head
    }
}

/// The bits of a word above bit `position` (0 to 31): none above bit 31.
fn bits_above(position: u32) -> u32 {
    u32::MAX.checked_shl(position + 1).unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn highest_priority_first_and_fifo_within() {
        let mut queues = ReadyQueues::<8>::new();
        assert_eq!(queues.highest(), None);
        queues.enqueue(1, 10);
        queues.enqueue(2, 200);
        queues.enqueue(3, 10);
        queues.enqueue(4, 0);
        assert_eq!(queues.highest(), Some(2));
        queues.remove(2);
        assert_eq!(queues.highest(), Some(1));
        queues.rotate(10);
        assert_eq!(queues.highest(), Some(3));
        queues.rotate(10);
        assert_eq!(queues.highest(), Some(1));
        queues.remove(1);
        queues.remove(3);
        assert_eq!(queues.highest(), Some(4));
        assert_eq!(queues.highest_priority(), Some(0));
        queues.remove(4);
        assert_eq!(queues.highest(), None);
    }

    #[test]
    fn highest_priority_matches_a_scan_of_every_priority() {
        let mut queues = ReadyQueues::<64>::new();
        let mut seed = 0x2545_F491u32;
        let mut priorities = [None::<u8>; 64];
        for _ in 0..5_000 {
            seed ^= seed << 13;
            seed ^= seed >> 17;
            seed ^= seed << 5;
            let thread = 1 + (seed % 63) as usize;
            match priorities[thread] {
                Some(_) => {
                    queues.remove(thread);
                    priorities[thread] = None;
                }
                None => {
                    let priority = (seed >> 8) as u8;
                    if seed & 0x8000_0000 != 0 {
                        queues.push_front(thread, priority);
                        assert_eq!(queues.head(priority), Some(thread));
                    } else {
                        queues.enqueue(thread, priority);
                    }
                    priorities[thread] = Some(priority);
                }
            }
            let expected = priorities.iter().flatten().copied().max();
            assert_eq!(queues.highest_priority(), expected);
            let probe = (seed >> 16) as u8;
            assert_eq!(queues.any_at_or_above(probe), expected.is_some_and(|highest| highest >= probe), "{probe}");
            if let Some(highest) = expected {
                assert!(queues.any_at_or_above(highest), "at the highest, {highest}");
                if let Some(above) = highest.checked_add(1) {
                    assert!(!queues.any_at_or_above(above), "above the highest, {above}");
                }
            }
            // Each next level down, as a scan finds it.
            let mut level = expected;
            while let Some(p) = level {
                let below = priorities.iter().flatten().copied().filter(|&other| other < p).max();
                level = queues.next_priority_below(p);
                assert_eq!(level, below, "below {p}");
            }
            if let Some(p) = expected {
                assert_eq!(queues.highest().map(|t| priorities[t]), Some(Some(p)));
            }
        }
    }

    #[test]
    fn push_front_puts_a_thread_before_its_peers() {
        let mut queues = ReadyQueues::<8>::new();
        queues.enqueue(1, 5);
        queues.enqueue(2, 5);
        queues.push_front(3, 5);
        let mut order = Vec::new();
        while let Some(thread) = queues.highest() {
            order.push(thread);
            queues.remove(thread);
        }
        assert_eq!(order, vec![3, 1, 2]);
    }

    #[test]
    fn remove_from_middle_and_tail_keeps_links() {
        let mut queues = ReadyQueues::<8>::new();
        for thread in 1..6 {
            queues.enqueue(thread, 7);
        }
        queues.remove(3);
        queues.remove(5);
        queues.enqueue(6, 7);
        let mut order = Vec::new();
        while let Some(thread) = queues.highest() {
            order.push(thread);
            queues.remove(thread);
        }
        assert_eq!(order, vec![1, 2, 4, 6]);
        assert!(!queues.has_peer(7));
    }

    #[test]
    fn alone_at_or_above_follows_the_queues() {
        let mut queues = ReadyQueues::<8>::new();
        // Nothing queued: a running thread out of the queues is alone.
        assert!(queues.alone_at_or_above(1, 5));
        queues.enqueue(1, 5);
        assert!(queues.alone_at_or_above(1, 5));
        // A peer behind it or before it.
        queues.enqueue(2, 5);
        assert!(!queues.alone_at_or_above(1, 5) && !queues.alone_at_or_above(2, 5));
        // Out of the queue (after an IPC fastpath), with a peer queued.
        queues.remove(1);
        assert!(!queues.alone_at_or_above(1, 5));
        // Lower priorities do not count; a higher one does, in the same
        // bitmap word or another, and at the word's edges.
        queues.remove(2);
        queues.enqueue(3, 4);
        assert!(queues.alone_at_or_above(1, 5));
        queues.enqueue(4, 6);
        assert!(!queues.alone_at_or_above(1, 5) && queues.alone_at_or_above(4, 6));
        queues.remove(4);
        queues.remove(3);
        for (low, high) in [(31, 32), (0, 255), (30, 31), (32, 63), (63, 64), (254, 255)] {
            queues.enqueue(5, high);
            assert!(!queues.alone_at_or_above(1, low), "{low} below {high}");
            assert!(queues.alone_at_or_above(5, high), "{high}");
            assert!(high == 255 || queues.alone_at_or_above(1, high + 1), "above {high}");
            queues.remove(5);
            assert!(queues.alone_at_or_above(1, low), "{low}");
        }
    }

    #[test]
    fn double_enqueue_and_stray_remove_are_harmless() {
        let mut queues = ReadyQueues::<4>::new();
        queues.enqueue(1, 3);
        queues.enqueue(1, 3);
        queues.remove(2);
        assert!(queues.contains(1));
        assert!(!queues.has_peer(3));
        queues.remove(1);
        assert!(!queues.contains(1));
        assert_eq!(queues.highest(), None);
    }
}
