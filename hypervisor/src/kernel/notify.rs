// SPDX-License-Identifier: MIT OR Apache-2.0
//! Asynchronous notification (L4/seL4 style): events that must never block
//! their sender.
//!
//! Every thread has a notification word. `PV_SYS_NOTIFY` ORs bits into the
//! destination's word and returns at once: whatever the destination does (it
//! may never receive again), the notifier never waits, so a device server
//! that notifies its clients of ticks or input cannot be delayed by any of
//! them. Authority is that of an IPC send: only a thread of a space the
//! caller's space was granted (`may_name`), by ID and version; anything else
//! is `PV_ERR_INVALID_THREAD`, exactly as for a send.
//!
//! The bits are collected by an *open* receive (`PV_ANY_THREAD`), the one
//! that takes whatever comes: a thread already waiting in one is woken at
//! once, otherwise its next open receive returns them without blocking. A
//! closed receive (from one thread or interrupt) never sees them, so a call's
//! reply is never confused with an event. The message is the kernel's:
//! label `PV_LABEL_NOTIFICATION` (in the kernel-reserved range, so no user
//! thread can forge one), MR0 the collected bits, sender `PV_NIL_THREAD`
//! and sender space 0 (bits from several notifiers merge into one word, so
//! there is no single sender). Collecting clears the word: each bit set is
//! reported once however often it was set. A receive takes pending
//! interrupts first, then notifications, then queued senders.
//!
//! Everything is O(1): one OR, one state check, at most one wake-up. A
//! deleted thread's word goes with its TCB (thread deletion resets it).

use super::*;

impl Kernel {
    /// `PV_SYS_NOTIFY` by `caller`: ORs `bits` into thread `to`'s word.
    pub(super) fn sys_notify(&mut self, caller: usize, to: PvThreadId, bits: u32) -> KernelResult<[u32; 4]> {
        let target = self.lookup_named(caller, to)?;
        self.notify(target, bits);
        Ok([0; 4])
    }

    /// ORs `bits` into thread `target`'s word and wakes it if it waits in an
    /// open receive. Never blocks anyone.
    pub(super) fn notify(&mut self, target: usize, bits: u32) {
        self.threads[target].notify_bits |= bits;
        if self.threads[target].notify_bits != 0
            && self.threads[target].fault.is_none()
            && self.threads[target].state == (State::Receiving { from: Source::Any })
        {
            self.deliver_notification(target);
        }
    }

    /// Receive hook: `receiver` starts a receive from `source`; if that is an
    /// open receive and bits are pending, they are delivered now and the
    /// receive is complete (true).
    /// Inline and cheap when nothing is pending: it is on every receive's path.
    #[inline(always)]
    pub(super) fn take_notification(&mut self, receiver: usize, source: Source) -> bool {
        if !matches!(source, Source::Any) || self.threads[receiver].notify_bits == 0 {
            return false;
        }
        self.threads[receiver].state = State::Receiving { from: source };
        self.deliver_notification(receiver);
        true
    }

    /// The notification message with the collected bits to `receiver`.
    #[inline(never)]
    fn deliver_notification(&mut self, receiver: usize) {
        let tcb = &mut self.threads[receiver];
        let bits = core::mem::take(&mut tcb.notify_bits);
        let context = &mut tcb.context;
        context.r[0] = PV_OK;
        context.r[1] = PV_NIL_THREAD;
        context.r[2] = 0;
        context.r[3] = pv_tag(PV_LABEL_NOTIFICATION, 1);
        context.r[4] = bits;
        context.r[5..12].fill(0);
        tcb.then_receive = None;
        self.make_ready(receiver);
    }

    /// Bits pending in thread `index`'s notification word.
    pub fn notification_bits(&self, index: usize) -> u32 {
        self.threads[index].notify_bits
    }
}
