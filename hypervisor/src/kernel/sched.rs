// SPDX-License-Identifier: MIT OR Apache-2.0
//! Fixed-priority preemptive ready queues with round-robin inside a priority.
//!
//! 256 priorities (higher number runs first), one FIFO per priority threaded
//! through a `next` array indexed by thread, and a 256-bit bitmap of non-empty
//! priorities so the highest ready thread is found with a few leading-zero counts.
//! The running thread stays at the head of its queue; a timeslice end or a yield
//! rotates it to the tail.

/// Marks "no thread" in the links.
const NONE: u8 = u8::MAX;

/// Ready queues for up to `N` threads (N < 255).
pub struct ReadyQueues<const N: usize> {
    head: [u8; 256],
    tail: [u8; 256],
    next: [u8; N],
    queued: [bool; N],
    priority: [u8; N],
    bitmap: [u32; 8],
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
            head: [NONE; 256],
            tail: [NONE; 256],
            next: [NONE; N],
            queued: [false; N],
            priority: [0; N],
            bitmap: [0; 8],
        }
    }

    /// True if `thread` is in a queue.
    pub fn contains(&self, thread: usize) -> bool {
        self.queued[thread]
    }

    /// Appends `thread` at the tail of the queue of `priority`.
    pub fn enqueue(&mut self, thread: usize, priority: u8) {
        if self.queued[thread] {
            return;
        }
        let p = usize::from(priority);
        self.queued[thread] = true;
        self.priority[thread] = priority;
        self.next[thread] = NONE;
        if self.head[p] == NONE {
            self.head[p] = thread as u8;
        } else {
            self.next[usize::from(self.tail[p])] = thread as u8;
        }
        self.tail[p] = thread as u8;
        self.bitmap[p / 32] |= 1 << (p % 32);
    }

    /// Removes `thread` from its queue (no effect if not queued).
    pub fn remove(&mut self, thread: usize) {
        if !self.queued[thread] {
            return;
        }
        let p = usize::from(self.priority[thread]);
        let mut previous = NONE;
        let mut cursor = self.head[p];
        while cursor != NONE && usize::from(cursor) != thread {
            previous = cursor;
            cursor = self.next[usize::from(cursor)];
        }
        let after = self.next[thread];
        if previous == NONE {
            self.head[p] = after;
        } else {
            self.next[usize::from(previous)] = after;
        }
        if self.tail[p] as usize == thread {
            self.tail[p] = previous;
        }
        if self.head[p] == NONE {
            self.bitmap[p / 32] &= !(1 << (p % 32));
        }
        self.queued[thread] = false;
        self.next[thread] = NONE;
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

    /// The highest priority with a ready thread.
    pub fn highest_priority(&self) -> Option<u8> {
        for word in (0..8).rev() {
            let bits = self.bitmap[word];
            if bits != 0 {
                return Some((word * 32 + 31 - bits.leading_zeros() as usize) as u8);
            }
        }
        None
    }

    /// Number of threads queued at `priority` (for timeslice decisions).
    pub fn has_peer(&self, priority: u8) -> bool {
        let head = self.head[usize::from(priority)];
        head != NONE && self.tail[usize::from(priority)] != head
    }
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
