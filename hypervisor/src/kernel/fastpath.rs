// SPDX-License-Identifier: MIT OR Apache-2.0
//! The system-call fastpaths: the IPC fastpath, the notify-and-wait
//! fastpath, and the null call and the lone yield answered in place.
//!
//! The IPC fastpath: Call and ReplyWait with the message in registers (0 to 8
//! words) to a partner that already waits for this sender, when there is
//! nothing else to do, done in one pass and switched to directly.
//!
//! It takes the IPC only when the general path ([`Kernel::system_call_slow`])
//! would end in exactly the same state, and checks exactly what that path
//! checks: the destination by ID and version and the caller's right to name
//! it (`may_name`, the send mask), the message length, the label (kernel-
//! reserved labels are refused: such an IPC goes to the general path, which
//! returns the error). Anything else (a fault reply, a halted or timing-out
//! partner, a pending interrupt or queued sender the receive phase would
//! take, a receive timeout, a ThreadSwitch donation, a ready thread that the
//! scheduler would pick instead of the partner) leaves the IPC to the
//! general path untouched.
//!
//! Lazy scheduling. The general path keeps every runnable thread in its
//! priority's ready queue, the running one at the head. The fastpath touches
//! no queue: the caller, which blocks, is taken out only if it is still
//! queued (the first IPC after a slow-path entry), and the partner, which
//! becomes the running thread, is not queued at all. The invariant is:
//!
//! > every runnable thread except the running one is queued; the running
//! > one is either at the head of its priority's queue or in no queue, and
//! > then stands for that head.
//!
//! The general path's entries first put an unqueued running thread back at
//! the head of its queue (`Kernel::restore_current`); the fastpaths and the
//! timer interrupt's guest ticks work with the relaxed form, and an
//! interrupt that wakes the thread to run next makes it too
//! (`Kernel::wake_to_run`). A ping-pong between two threads thus never
//! touches a queue. The partner runs exactly when the general path's
//! scheduler would pick it: no other runnable thread has its priority or a
//! higher one (the general path would queue it at the tail of its priority,
//! behind any peer), and it gets a fresh timeslice as a wake-up does.
//!
//! The notify-and-wait fastpath. `PV_SYS_NOTIFY` with an open receive phase
//! is a device server's or Interrupt_loop's event-loop step: notify a
//! thread, perhaps acknowledge an interrupt, wait for anyone. When the
//! general path (`Kernel::sys_notify_wait`) would end with the caller
//! blocked and the notified thread running — it waits in an open receive
//! that the bits complete, or it is ready (a bound thread is redirected to
//! its virtual-interrupt entry), and it is then alone at the highest ready
//! priority — the fastpath makes the general path's checks, does the same
//! notification, acknowledgement and block, and switches to the thread
//! without the general trap path, the receive's search or the scheduler.
//! A thread it wakes is not queued: it runs, standing for the head of its
//! queue, as the IPC fastpath's partner does. Anything else is declined
//! untouched.
//!
//! The null call and the lone yield. `PV_SYS_THREAD_SELF` and
//! `PV_SYS_THREAD_SWITCH` to nil when no other thread of the caller's
//! priority or a higher one is ready change nothing the scheduler looks at:
//! the general path would write the same result registers, give a yielding
//! caller a fresh timeslice, and pick the caller again. The fastpath does
//! exactly that much ([`FastPath::Answered`]) and the trap exit path resumes
//! the caller at once: no scheduler, no space, thread-register, FPU or timer
//! switch (none is due: the caller was prepared to run when it last left
//! the kernel, and nothing ran in the kernel since). Anything else — a
//! ThreadSwitch donation in force (the general path ends it), another thread
//! the scheduler would pick — goes to the general path untouched.

use super::*;

/// What the fastpath did with the system call the current thread made.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FastPath {
    /// Nothing: the general path ([`Kernel::system_call_slow`]) must do it.
    Declined,
    /// Answered in the caller's registers; the caller runs on, and the CPU's
    /// per-thread state (space, thread registers, FPU, timer access) stays.
    Answered,
    /// An IPC or a notify-and-wait done: [`Kernel::current`] is now the
    /// partner or the notified thread, a thread other than the caller, to
    /// switch to.
    Switched,
}

impl Kernel {
    /// Tries the fastpath for the system call the current thread just made:
    /// [`FastPath::Switched`] after an IPC or a notify-and-wait, and then
    /// [`Kernel::current`] is the thread to run next, exactly what [`Kernel::schedule`] would return
    /// now (the trap exit path switches to it without asking the scheduler);
    /// [`FastPath::Answered`] when the caller runs on (the null call, a lone
    /// yield); [`FastPath::Declined`], with nothing changed, when
    /// [`Kernel::system_call_slow`] must do the call.
    #[inline]
    pub fn fast_system_call<M: Machine + ?Sized>(&mut self, machine: &mut M) -> FastPath {
        let caller = self.current;
        if caller == 0 {
            return FastPath::Declined;
        }
        let number = self.threads[caller].context.r[12];
        match number {
            PV_SYS_IPC if self.fast_ipc(caller) => FastPath::Switched,
            PV_SYS_THREAD_SELF => self.fast_thread_self(caller),
            PV_SYS_THREAD_SWITCH => self.fast_yield(caller),
            // Asked last, out of line (it tests the number itself), so that
            // the calls above are told apart as before.
            _ if self.fast_notify_wait(caller, number, machine) => FastPath::Switched,
            _ => FastPath::Declined,
        }
    }

    /// `PV_SYS_THREAD_SELF` when the scheduler would let the caller run on
    /// without a look at the queues (as [`Kernel::schedule`] does: no change
    /// recorded since it chose the caller, the caller runnable) and no
    /// donation is in force: the general path's answer, r0 `PV_OK`, r1 the
    /// caller's ID, r2 its space, r3 its UTCB address, r4 zero. (A caller the
    /// IPC fastpath left out of the queues is the scheduler's choice too: it
    /// stands for the head of its priority, and that IPC took the change.)
    #[inline(always)]
    fn fast_thread_self(&mut self, caller: usize) -> FastPath {
        if self.ready.is_changed() || self.donation.is_some() || !self.is_runnable(caller) {
            return FastPath::Declined;
        }
        let tcb = &self.threads[caller];
        let (id, space, utcb) = (self.thread_id(caller), tcb.space as u32, Self::utcb_address(caller));
        let r = &mut self.threads[caller].context.r;
        r[0] = PV_OK;
        r[1] = id;
        r[2] = space;
        r[3] = utcb;
        r[4] = 0;
        FastPath::Answered
    }

    /// `PV_SYS_THREAD_SWITCH` to nil with no donation in force and no other
    /// thread ready at the caller's priority or above: the general path
    /// would requeue the caller behind nobody with a fresh timeslice and pick
    /// it again. Its answer: r0 `PV_OK`, r1..r4 zero.
    #[inline(never)]
    fn fast_yield(&mut self, caller: usize) -> FastPath {
        let tcb = &self.threads[caller];
        if tcb.context.r[0] != PV_NIL_THREAD
            || self.donation.is_some()
            || !self.is_runnable(caller)
            || !self.ready.alone_at_or_above(caller, tcb.priority)
        {
            return FastPath::Declined;
        }
        let tcb = &mut self.threads[caller];
        tcb.timeslice = TIMESLICE_TICKS;
        // Four stores of a register: four stores of a known zero become a
        // call of memset (the release build optimises for size).
        let zero = core::hint::black_box(0);
        let r = &mut tcb.context.r;
        r[0] = PV_OK;
        r[1] = zero;
        r[2] = zero;
        r[3] = zero;
        r[4] = zero;
        self.ready.take_changed();
        FastPath::Answered
    }

    /// Tries the fastpath for the IPC the current thread `caller` just made;
    /// false (and nothing changed) when the general path must do it.
    ///
    /// Kept out of line, and the general path too, so that neither pays for
    /// the other's stack frame and saved registers.
    #[inline(never)]
    pub(super) fn fast_ipc(&mut self, caller: usize) -> bool {
        let r = &self.threads[caller].context.r;
        let (to, from, timeouts, tag) = (r[0], r[1], r[2], r[3]);
        let words = tag & PV_TAG_WORDS_MASK;
        // Call (receive from the destination) or ReplyWait (from anyone),
        // waiting without timeout, with a register message and a user label.
        if (from != PV_ANY_THREAD && from != to)
            || timeouts & 0xFFFF != PV_TIMEOUT_NEVER
            || words > 8
            || tag >> PV_TAG_LABEL_SHIFT >= PV_LABEL_KERNEL_BASE
            || self.donation.is_some()
        {
            return false;
        }
        // `lookup` refuses nil, interrupt IDs and stale versions.
        let Ok(destination) = self.lookup(to) else { return false };
        if destination == caller || !self.may_name(caller, destination) {
            return false;
        }
        let caller_id = self.thread_id(caller);
        let partner = &self.threads[destination];
        let waits_for_caller = match partner.state {
            State::Receiving { from: Source::Any } => true,
            State::Receiving { from: Source::Thread(id) } => id == caller_id,
            _ => false,
        };
        if !waits_for_caller || partner.halted || partner.fault.is_some() || partner.deadline.is_some() {
            return false;
        }
        let priority = partner.priority;
        let me = &self.threads[caller];
        // ReplyWait's receive phase would take a pending interrupt, a
        // pending notification or a queued sender at once. (A Call's receives
        // only from the destination, which is waiting, so it is in no send
        // queue, and a closed receive never collects notifications.)
        if from == PV_ANY_THREAD && (me.pending_irqs != 0 || me.notify_bits != 0 || me.send_queue_head != NO_THREAD) {
            return false;
        }
        let my_priority = me.priority;
        let queued = self.ready.contains(caller);
        if queued && self.ready.head(my_priority) != Some(caller) {
            return false;
        }
        // Would the scheduler pick the partner? Only if no other runnable
        // thread has its priority or a higher one.
        if queued {
            self.ready.remove(caller);
        }
        if self.ready.any_at_or_above(priority) {
            if queued {
                // It was the head: put back exactly where it was.
                self.ready.push_front(caller, my_priority);
            }
            return false;
        }

        // Committed. The partner gets what `transfer` gives: result, sender,
        // the sender's space, tag, the message words and zeros after them.
        // Straight from register file to register file: all eight words
        // copied (two load-multiple/store-multiple pairs), then the words
        // beyond the message zeroed by one jump into a run of stores (the
        // ABI's promise): no per-word test, loop or memcpy/memset call.
        let space = self.threads[caller].space as u32;
        let r = &self.threads[caller].context.r;
        let message = [r[4], r[5], r[6], r[7], r[8], r[9], r[10], r[11]];
        let partner = &mut self.threads[destination];
        let target = &mut partner.context.r;
        target[0] = PV_OK;
        target[1] = caller_id;
        target[2] = space;
        target[3] = tag;
        let [m0, m1, m2, m3, m4, m5, m6, m7] = message;
        target[4] = m0;
        target[5] = m1;
        target[6] = m2;
        target[7] = m3;
        target[8] = m4;
        target[9] = m5;
        target[10] = m6;
        target[11] = m7;
        zero_beyond(target, words);
        partner.then_receive = None;
        partner.state = State::Ready;
        partner.timeslice = TIMESLICE_TICKS;
        // The caller waits for the reply (Call) or the next message (ReplyWait).
        // A Call names the partner by the ID `lookup` matched: its ID exactly.
        let source = if from == PV_ANY_THREAD { Source::Any } else { Source::Thread(to) };
        let me = &mut self.threads[caller];
        me.state = State::Receiving { from: source };
        me.then_receive = None;
        self.current = destination;
        // The partner is the scheduler's choice (checked above): taking the
        // caller out of its queue changed nothing the scheduler must redo.
        self.ready.take_changed();
        true
    }
}

impl Kernel {
    /// Tries the fastpath for `PV_SYS_NOTIFY` with an open receive phase
    /// (a device server's or Interrupt_loop's event loop: notify a thread,
    /// perhaps acknowledge an interrupt, wait for the next event) by the
    /// current thread `caller`: false, and nothing changed, when the general
    /// path (`Kernel::sys_notify_wait`) must do it.
    ///
    /// It takes the call when the general path would end with the caller
    /// blocked in its receive and the notified thread running: the call's
    /// checks pass (the target by ID and version and the caller's right to
    /// name it, the acknowledged interrupt's handler), nothing waits for the
    /// caller's receive (a pending interrupt or notification, a queued
    /// sender), the target is neither halted nor faulted, and it either waits
    /// in an open receive that the notification completes or is ready; and
    /// afterwards it runs alone at the highest priority with a ready thread.
    /// Then it does what the general path does — the same notification
    /// (wake-up, virtual interrupt and all), the same acknowledgement, the
    /// same block — and switches to the target without the scheduler, whose
    /// choice it is (no donation in force, no other ready thread at its
    /// priority or above once the caller blocks).
    #[inline(never)]
    fn fast_notify_wait<M: Machine + ?Sized>(&mut self, caller: usize, number: u32, machine: &mut M) -> bool {
        let r = &self.threads[caller].context.r;
        let (to, bits, from, acknowledge) = (r[0], r[1], r[2], r[3]);
        if number != PV_SYS_NOTIFY || from != PV_ANY_THREAD || self.donation.is_some() {
            return false;
        }
        // The general path's checks (its receive specifier, any, needs
        // none): `lookup` refuses nil, interrupt IDs and stale versions.
        let Ok(target) = self.lookup(to) else { return false };
        if target == caller || !self.may_name(caller, target) {
            return false;
        }
        let irq = match acknowledge {
            PV_NIL_THREAD => None,
            id if id & PV_IRQ_THREAD_BASE != 0 => match self.handled_irq(caller, id) {
                Ok(irq) => Some(irq),
                Err(_) => return false,
            },
            _ => return false,
        };
        let me = &self.threads[caller];
        if me.pending_irqs != 0 || me.notify_bits != 0 || me.send_queue_head != NO_THREAD {
            return false;
        }
        let target_tcb = &self.threads[target];
        if target_tcb.halted || target_tcb.fault.is_some() {
            return false;
        }
        let priority = target_tcb.priority;
        // Whether the notification wakes the target: it completes the open
        // receive of a thread with no virtual-interrupt words whenever bits
        // are pending after it; a ready target stays ready (a bound one may
        // be redirected to its virtual-interrupt entry, which moves no
        // queue). A bound thread that waits is left to the general path (its
        // words, translated or not, decide), and so is any other state.
        let wakes = match target_tcb.state {
            State::Receiving { from: Source::Any } if target_tcb.virq.is_none() => {
                if (target_tcb.notify_bits | bits) == 0 {
                    return false;
                }
                true
            }
            State::Ready => false,
            _ => return false,
        };
        let my_priority = me.priority;
        let queued = self.ready.contains(caller);
        if queued && self.ready.head(my_priority) != Some(caller) {
            return false;
        }
        // Would the scheduler pick the target once the caller blocks? Only
        // if it is then alone at the highest priority with a ready thread:
        // a woken target queues behind nobody, a ready one is the only one
        // at its priority.
        if queued {
            self.ready.remove(caller);
        }
        // (A target to wake is in no queue yet: none may be at its priority
        // or above. A ready one must head the highest queue, without a peer.)
        let alone = if wakes {
            !self.ready.any_at_or_above(priority)
        } else {
            self.ready.highest() == Some(target) && !self.ready.has_peer(priority)
        };
        if !alone {
            if queued {
                // It was the head: put back exactly where it was.
                self.ready.push_front(caller, my_priority);
            }
            return false;
        }

        // Committed: what `sys_notify_wait` does, in its order. A woken
        // target gets the notification message, the state and the fresh
        // timeslice the general path's wake-up gives it, but no queue: it
        // runs, standing for the head of its queue (lazy scheduling, as the
        // IPC fastpath's partner).
        if wakes {
            let tcb = &mut self.threads[target];
            let bits = core::mem::take(&mut tcb.notify_bits) | bits;
            tcb.context.kernel_message(PV_NIL_THREAD, pv_tag(PV_LABEL_NOTIFICATION, 1), bits);
            tcb.then_receive = None;
            tcb.state = State::Ready;
            tcb.deadline = None;
            tcb.timeslice = TIMESLICE_TICKS;
        } else {
            self.notify(target, bits, machine);
        }
        if let Some(irq) = irq {
            self.acknowledge_irq(irq, machine);
        }
        let me = &mut self.threads[caller];
        me.state = State::Receiving { from: Source::Any };
        me.deadline = None;
        self.current = target;
        // The target is the scheduler's choice (checked above): the queue
        // changes made nothing the scheduler must redo.
        self.ready.take_changed();
        true
    }
}

/// Zeroes the message registers (r4..r11) of `target` beyond the first
/// `words` (at most 8): one dispatch on `words` and a straight run of stores,
/// each arm falling through to the next (a register holding zero, so that the
/// size-optimised build makes no memset call of the stores).
#[inline(always)]
pub(super) fn zero_beyond(target: &mut [u32; 13], words: u32) {
    let zero = core::hint::black_box(0);
    let [.., w4, w5, w6, w7, w8, w9, w10, w11, _] = target;
    match words {
        0 => [*w4, *w5, *w6, *w7, *w8, *w9, *w10, *w11] = [zero; 8],
        1 => [*w5, *w6, *w7, *w8, *w9, *w10, *w11] = [zero; 7],
        2 => [*w6, *w7, *w8, *w9, *w10, *w11] = [zero; 6],
        3 => [*w7, *w8, *w9, *w10, *w11] = [zero; 5],
        4 => [*w8, *w9, *w10, *w11] = [zero; 4],
        5 => [*w9, *w10, *w11] = [zero; 3],
        6 => [*w10, *w11] = [zero; 2],
        7 => *w11 = zero,
        _ => {}
    }
}
