// SPDX-License-Identifier: MIT OR Apache-2.0
//! The synchronous IPC state machine: send and receive phases, send queues,
//! message transfer, interrupt delivery, the exception protocol and cancellation.
//!
//! A send finds its partner either waiting in a receive that accepts it (the
//! message is copied at once) or not: then the sender blocks in the partner's
//! send queue, unless its timeout is zero. A receive first takes a pending
//! interrupt, then (an open receive) pending notification bits (`notify`),
//! then a queued sender that it accepts, else blocks. A thread whose send
//! phase completes runs its receive phase next (`then_receive`), which is what
//! makes Call and ReplyWait atomic.

use super::*;

impl Kernel {
    /// True if thread `receiver` is blocked in a receive that accepts `source`.
    pub(super) fn accepts(&self, receiver: usize, source: Source) -> bool {
        match self.threads[receiver].state {
            State::Receiving { from: Source::Any } => true,
            State::Receiving { from } => from == source,
            _ => false,
        }
    }

    pub(super) fn set_result(&mut self, index: usize, code: u32) {
        self.threads[index].context.r[0] = code;
    }

    /// Gives the interrupt message for `irq` to its waiting `handler`; with
    /// `run` (from the interrupt itself) the handler becomes the running
    /// thread at once if the scheduler would pick it ([`Kernel::wake_to_run`]).
    pub(super) fn deliver_interrupt(&mut self, irq: u32, handler: usize, run: bool) {
        self.threads[handler].context.kernel_message(pv_irq_thread(irq), pv_tag(PV_LABEL_INTERRUPT, 1), irq);
        self.threads[handler].then_receive = None;
        self.wake(handler, run);
    }

    /// Copies the message of `sender` (blocked or current) to the waiting `receiver`.
    fn transfer<M: Machine + ?Sized>(&mut self, sender: usize, receiver: usize, machine: &mut M) {
        let from = &self.threads[sender];
        let (tag, registers) = match from.fault {
            Some(fault) => (pv_tag(PV_LABEL_EXCEPTION, 5), [fault[0], fault[1], fault[2], fault[3], fault[4], 0, 0, 0]),
            None => {
                let mut words = [0u32; 8];
                words.copy_from_slice(&from.context.r[4..12]);
                (from.context.r[3], words)
            }
        };
        let count = ((tag & PV_TAG_WORDS_MASK) as usize).min(PV_MAX_MESSAGE_WORDS as usize);
        let in_exception = from.fault.is_some();
        let sender_id = self.thread_id(sender);
        let sender_space = self.threads[sender].space as u32;

        // A faulted thread waiting for its handler's reply: the reply says how to go on.
        if self.threads[receiver].fault.is_some() {
            let tcb = &mut self.threads[receiver];
            tcb.fault = None;
            tcb.then_receive = None;
            if count >= 1 {
                tcb.context.redirect(registers[0]);
                if count >= 2 {
                    tcb.context.sp = registers[1];
                }
            } else {
                tcb.halted = true;
            }
            self.make_ready(receiver);
            return;
        }

        let context = &mut self.threads[receiver].context;
        context.r[0] = PV_OK;
        context.r[1] = sender_id;
        // The sender's domain, which servers bind their state to.
        context.r[2] = sender_space;
        context.r[3] = tag;
        // All eight words, then zeros beyond the message: never leak the
        // sender's stale registers (fixed-size copies, no memcpy/memset).
        let [w0, w1, w2, w3, w4, w5, w6, w7] = registers;
        [context.r[4], context.r[5], context.r[6], context.r[7]] = [w0, w1, w2, w3];
        [context.r[8], context.r[9], context.r[10], context.r[11]] = [w4, w5, w6, w7];
        super::fastpath::zero_beyond(&mut context.r, count.min(8) as u32);
        if count > 8 && !in_exception {
            for word in 8..count {
                if let (Some(source), Some(destination)) =
                    (self.utcb_word(sender, word), self.utcb_word(receiver, word))
                {
                    let value = machine.read_word(source);
                    machine.write_word(destination, value);
                }
            }
        }
        self.threads[receiver].then_receive = None;
        self.make_ready(receiver);
    }

    /// Send phase of `sender` to the live thread `destination` (not itself).
    pub(super) fn send<M: Machine + ?Sized>(
        &mut self,
        sender: usize,
        destination: usize,
        timeout_ms: u32,
        machine: &mut M,
    ) {
        if self.accepts(destination, Source::Thread(self.thread_id(sender))) {
            self.transfer(sender, destination, machine);
            self.after_send(sender, machine);
        } else if timeout_ms == PV_TIMEOUT_ZERO {
            self.threads[sender].then_receive = None;
            self.set_result(sender, PV_ERR_TIMEOUT);
        } else {
            let to = self.thread_id(destination);
            self.block(sender, State::Sending { to }, timeout_ms, machine);
            let link = sender as u8;
            let tail = self.threads[destination].send_queue_tail;
            if tail == NO_THREAD {
                self.threads[destination].send_queue_head = link;
            } else {
                self.threads[usize::from(tail)].send_next = link;
            }
            self.threads[destination].send_queue_tail = link;
            self.threads[sender].send_next = NO_THREAD;
        }
    }

    /// The send phase of `sender` completed: run its receive phase, if any.
    fn after_send<M: Machine + ?Sized>(&mut self, sender: usize, machine: &mut M) {
        match self.threads[sender].then_receive.take() {
            Some((source, timeout)) => self.receive(sender, source, timeout, machine),
            None => {
                self.set_result(sender, PV_OK);
                self.make_ready(sender);
            }
        }
    }

    /// Receive phase of `receiver` from `source`. A source thread that no
    /// longer exists (deleted during the send phase: its slot may even hold a
    /// new thread by now) ends the phase with `PV_ERR_PARTNER_DELETED`.
    pub(super) fn receive<M: Machine + ?Sized>(
        &mut self,
        receiver: usize,
        source: Source,
        timeout_ms: u32,
        machine: &mut M,
    ) {
        if let Source::Thread(id) = source
            && self.lookup(id).is_err()
        {
            self.set_result(receiver, PV_ERR_PARTNER_DELETED | PV_ERR_RECEIVE_PHASE);
            self.make_ready(receiver);
            return;
        }
        let receiver_id = self.thread_id(receiver);
        // Pending interrupts first: they are already masked and waiting.
        if matches!(source, Source::Any | Source::Irq(_)) && self.threads[receiver].pending_irqs > 0 {
            let found = (0..IRQ_LIMIT).find(|&irq| {
                let entry = self.irqs[irq];
                entry.pending
                    && entry.handler == receiver_id
                    && (source == Source::Any || source == Source::Irq(irq as u32))
            });
            if let Some(irq) = found {
                self.irqs[irq].pending = false;
                self.threads[receiver].pending_irqs -= 1;
                self.threads[receiver].state = State::Receiving { from: source };
                self.deliver_interrupt(irq as u32, receiver, false);
                return;
            }
        }
        if self.take_notification(receiver, source) {
            return;
        }
        if matches!(source, Source::Any | Source::Thread(_)) {
            let mut previous = NO_THREAD;
            let mut cursor = self.threads[receiver].send_queue_head;
            while cursor != NO_THREAD {
                let candidate = usize::from(cursor);
                if source == Source::Any || source == Source::Thread(self.thread_id(candidate)) {
                    self.unlink_sender(receiver, previous, candidate);
                    self.threads[receiver].state = State::Receiving { from: source };
                    self.threads[candidate].state = State::Ready;
                    self.transfer(candidate, receiver, machine);
                    self.after_send(candidate, machine);
                    return;
                }
                previous = cursor;
                cursor = self.threads[candidate].send_next;
            }
        }
        if timeout_ms == PV_TIMEOUT_ZERO {
            self.set_result(receiver, PV_ERR_TIMEOUT | PV_ERR_RECEIVE_PHASE);
            self.make_ready(receiver);
        } else {
            self.block(receiver, State::Receiving { from: source }, timeout_ms, machine);
        }
    }

    fn unlink_sender(&mut self, receiver: usize, previous: u8, sender: usize) {
        let next = self.threads[sender].send_next;
        if previous == NO_THREAD {
            self.threads[receiver].send_queue_head = next;
        } else {
            self.threads[usize::from(previous)].send_next = next;
        }
        if usize::from(self.threads[receiver].send_queue_tail) == sender {
            self.threads[receiver].send_queue_tail = previous;
        }
        self.threads[sender].send_next = NO_THREAD;
    }

    /// Ends a blocked IPC of `index` with `error` (timeout, abort, partner gone).
    pub(super) fn cancel_ipc(&mut self, index: usize, error: u32) {
        let code = match self.threads[index].state {
            State::Sending { to } => {
                // A destination is never deleted before its queued senders
                // are cancelled, so `to` is live here.
                let to = self.lookup(to).unwrap_or(0);
                let mut previous = NO_THREAD;
                let mut cursor = self.threads[to].send_queue_head;
                while cursor != NO_THREAD && usize::from(cursor) != index {
                    previous = cursor;
                    cursor = self.threads[usize::from(cursor)].send_next;
                }
                if cursor != NO_THREAD {
                    self.unlink_sender(to, previous, index);
                }
                error
            }
            State::Receiving { .. } => error | PV_ERR_RECEIVE_PHASE,
            State::Free | State::Ready => return,
        };
        let tcb = &mut self.threads[index];
        tcb.then_receive = None;
        if tcb.fault.take().is_some() {
            // The exception protocol cannot finish: the thread stays stopped.
            tcb.halted = true;
        }
        tcb.context.r[0] = code;
        self.make_ready(index);
    }
}
