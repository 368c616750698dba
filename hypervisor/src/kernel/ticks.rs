// SPDX-License-Identifier: MIT OR Apache-2.0
//! The kernel's timer: its own tick and the periodic ticks it delivers to
//! direct guests itself (`PV_SYS_TICK_SCHEDULE`).
//!
//! The kernel owns one hardware timer (the generic timer's physical timer on
//! the target, its interrupt reserved: see [`MemoryLayout::reserved_irqs`]).
//! It is armed for the earliest of three things: the kernel's own tick
//! ([`Kernel::tick`], every `counter_frequency / KERNEL_TICK_HZ` counts,
//! while it is needed), the earliest IPC deadline and the earliest deadline
//! of the tick schedules below. At its interrupt
//! ([`Kernel::timer_interrupt`]) the kernel runs its tick if that is due
//! (else expires the IPC timeouts that are), delivers every guest tick that
//! is due and arms the timer again.
//!
//! ## A tick only when needed
//!
//! The kernel's tick charges timeslices and donations: it has work only
//! while the running thread shares its priority with another runnable
//! thread, or a ThreadSwitch donation is in force ([`Kernel::tick_needed`]).
//! A tick that finds neither stops the tick (`next_kernel_tick` =
//! `u64::MAX`); a scheduling choice that makes it needed again flags the
//! timer ([`Kernel::timer_stale`]) and the runtime restarts it a period
//! later ([`Kernel::sync_timer`]), as it re-arms the timer for a new IPC
//! deadline that comes before the armed one. A thread alone at the top
//! priority thus runs without kernel interrupts (what Linux calls a
//! tickless, `nohz_full`, CPU), and a direct guest sees only its own ticks.
//!
//! ## Tick schedules
//!
//! v_timer decides whether a thread may have a tick and at what rate (its
//! checks: the rate limits, one client per domain, requests bound to the
//! sender's domain). For a thread bound to virtual-interrupt words
//! (`PV_SYS_VIRQ_BIND`, a direct guest's µC/OS-II thread) it then hands the
//! schedule — the counter value of tick 0 and the rate — to the kernel with
//! `PV_TICK_START`, a call only a space granted the timer
//! (`PV_SPACE_TIMER_ACCESS`) may make. The kernel follows exactly the
//! schedule the guest follows ([`TickSchedule`], on the same counter and
//! frequency): tick `n` falls due at `start + ceil(n × frequency / rate)`.
//! At a deadline it passes every tick due by the counter then, counts them
//! (the thread's *generated* count, `PV_TICK_COUNT`, which v_timer reports as
//! its own for that client) and notifies the thread `PV_NOTIFY_TIMER_TICK`
//! exactly as `PV_SYS_NOTIFY` would: the bit goes into the pending word and
//! the thread is redirected to its entry, its idle wait completed, or (masked,
//! in a system call, halted) the bit only waits. A thread bound with
//! `PV_VIRQ_WORDS_TICK_COUNT` gets the count too, in the word after pending,
//! written with it in one checked pair (and at `PV_TICK_START`): the guest
//! takes the ticks due as the difference from the count it took last, so a
//! late delivery brings every tick owed and a spurious one none, with no copy
//! of the schedule and no read of the counter. Nothing of v_timer runs per
//! tick.
//!
//! The schedules are kept sorted by their next deadline (at most
//! [`MAX_TICK_SCHEDULES`], one per thread): the interrupt looks at the first
//! only, and a schedule that passed a deadline moves back to its place among
//! the others — no scan of the threads or of every schedule per tick. A
//! thread's schedule ends with `PV_TICK_STOP` and when the thread is deleted
//! (its guest stopped, exited or restarted: [`Kernel::drop_tick_schedule`]).
//!
//! The counter is the virtual count (CNTVCT, [`Machine::now`]), the one
//! v_timer and the guests read.

use super::*;
use crate::table::Table;
use paravirt_api::tick::{TickSchedule, highest_rate};

/// Tick schedules the kernel holds at once.
pub const MAX_TICK_SCHEDULES: usize = PV_TICK_SCHEDULES_MAX as usize;

/// One thread's tick schedule.
#[derive(Clone, Copy, Debug)]
struct TickEntry {
    /// The thread ticked (an index: deleting the thread removes the entry).
    thread: u8,
    /// Ticks passed at the kernel's interrupts so far.
    generated: u32,
    /// Its schedule (the one the guest follows too), which holds the next
    /// deadline the entries are sorted by.
    schedule: TickSchedule,
}

impl TickEntry {
    /// The next deadline.
    #[inline(always)]
    fn deadline(&self) -> u64 {
        self.schedule.next_deadline()
    }
}

/// What every slot past the last schedule holds: never due (see
/// [`TickSchedules`]).
const UNUSED_ENTRY: TickEntry = TickEntry { thread: 0, schedule: TickSchedule::never(), generated: 0 };

/// The schedules, `entries[..count]` sorted by deadline, earliest first;
/// every entry past them is [`UNUSED_ENTRY`], never due. So the first entry's
/// deadline is the earliest of all (`u64::MAX` with none), and the hot path's
/// "is a tick due?" is one comparison, with no look at `count`.
#[derive(Clone, Copy, Debug)]
pub(super) struct TickSchedules {
    entries: Table<TickEntry, MAX_TICK_SCHEDULES>,
    count: usize,
}

impl TickSchedules {
    /// No schedule.
    pub(super) const fn new() -> Self {
        Self { entries: Table([UNUSED_ENTRY; MAX_TICK_SCHEDULES]), count: 0 }
    }

    fn position(&self, thread: usize) -> Option<usize> {
        self.entries.iter().take(self.count).position(|entry| usize::from(entry.thread) == thread)
    }

    /// The earliest deadline (`u64::MAX`: none).
    #[inline(always)]
    fn earliest(&self) -> u64 {
        self.entries[0].deadline()
    }

    /// Removes entry `position`; returns it.
    ///
    /// The entries after it move down one by one (at most
    /// [`MAX_TICK_SCHEDULES`]): a plain loop, where `copy_within` would
    /// bring `memmove` and a formatted range check into the kernel.
    fn remove(&mut self, position: usize) -> TickEntry {
        let entry = self.entries[position];
        for index in position..self.count - 1 {
            self.entries[index] = self.entries[index + 1];
        }
        self.count -= 1;
        self.entries[self.count] = UNUSED_ENTRY;
        entry
    }

    /// Inserts `entry` (room checked by the caller) at its place by deadline,
    /// after the entries with the same deadline: the later ones move up one
    /// by one from the end (a plain loop, as in [`TickSchedules::remove`]).
    fn insert(&mut self, entry: TickEntry) {
        let mut position = self.count;
        while position > 0 && self.entries[position - 1].deadline() > entry.deadline() {
            self.entries[position] = self.entries[position - 1];
            position -= 1;
        }
        self.entries[position] = entry;
        self.count += 1;
    }

    /// The first entry's deadline moved on: moves it back to its place. With
    /// one schedule, or the next deadline still the earliest, nothing moves
    /// (one comparison).
    #[inline]
    fn resort_first(&mut self) {
        if self.count > 1 && self.entries[1].deadline() <= self.entries[0].deadline() {
            self.move_first_back();
        }
    }

    /// [`TickSchedules::resort_first`] when the first entry is no longer the earliest.
    #[inline(never)]
    fn move_first_back(&mut self) {
        let first = self.entries[0];
        let mut position = 0;
        while position + 1 < self.count && self.entries[position + 1].deadline() <= first.deadline() {
            self.entries[position] = self.entries[position + 1];
            position += 1;
        }
        self.entries[position] = first;
    }
}

impl Kernel {
    /// `PV_SYS_TICK_SCHEDULE` by `caller` (see the module documentation):
    /// r0 the operation, r1 the thread, r2 the rate, r3/r4 the start.
    pub(super) fn sys_tick_schedule<M: Machine + ?Sized>(
        &mut self,
        caller: usize,
        r: [u32; 13],
        machine: &mut M,
    ) -> KernelResult<[u32; 4]> {
        // Authority first: nothing of the arguments is looked at for anyone else.
        if self.spaces[self.threads[caller].space].flags & PV_SPACE_TIMER_ACCESS == 0 {
            return Err(PV_ERR_NO_PRIVILEGE);
        }
        let (operation, thread) = (r[0], r[1]);
        if !matches!(operation, PV_TICK_START | PV_TICK_STOP | PV_TICK_COUNT) {
            return Err(PV_ERR_INVALID_ARGUMENT);
        }
        let target = self.lookup_named(caller, thread)?;
        let position = self.ticks.position(target);
        match operation {
            PV_TICK_START => {
                let (rate, start) = (r[2], u64::from(r[3]) | (u64::from(r[4]) << 32));
                let frequency = machine.counter_frequency().min(u64::from(u32::MAX)) as u32;
                // Tick 0 is not in the future (v_timer reads the counter, then
                // calls), which also keeps every deadline far from overflowing.
                let late = start > machine.now();
                if self.threads[target].virq.is_none() || rate == 0 || rate > highest_rate(frequency) || late {
                    return Err(PV_ERR_INVALID_ARGUMENT);
                }
                let schedule = TickSchedule::new(start, frequency, rate).ok_or(PV_ERR_INVALID_ARGUMENT)?;
                let generated = match position {
                    Some(position) => self.ticks.remove(position).generated,
                    None if self.ticks.count == MAX_TICK_SCHEDULES => return Err(PV_ERR_NO_RESOURCES),
                    None => 0,
                };
                self.ticks.insert(TickEntry { thread: target as u8, generated, schedule });
                self.write_tick_count(target, generated, machine);
                // The timer armed for the earliest deadline, which may be its first.
                self.sync_timer(machine);
                Ok([generated, 0, 0, 0])
            }
            PV_TICK_STOP => {
                // The timer stays armed: an interrupt with nothing due only re-arms it.
                let generated = position.map_or(0, |position| self.ticks.remove(position).generated);
                Ok([generated, 0, 0, 0])
            }
            _ => match position {
                Some(position) => Ok([self.ticks.entries[position].generated, 0, 0, 0]),
                None => Err(PV_ERR_INVALID_ARGUMENT),
            },
        }
    }

    /// Thread `index` is being deleted: its tick schedule ends.
    pub(super) fn drop_tick_schedule(&mut self, index: usize) {
        if let Some(position) = self.ticks.position(index) {
            self.ticks.remove(position);
        }
    }

    /// The kernel's timer interrupt (the arch layer acknowledged it at the
    /// controller and ends it after this returns): the kernel tick if it is
    /// due (else the IPC timeouts if one is), every guest tick that is due,
    /// and the timer armed for the next of the three. The thread that was
    /// running was interrupted in user mode, so it may be redirected to its
    /// virtual-interrupt entry like any other.
    ///
    /// `now` is the counter's value ([`Machine::now`], read by the caller);
    /// returns how many counter ticks from now the timer must fire again,
    /// which the caller programs (the arch layer does it inline: this is the
    /// path of every tick).
    #[inline]
    pub fn timer_interrupt<M: Machine + ?Sized>(&mut self, now: u64, machine: &mut M) -> u32 {
        // No `restore_current` here, on the path of every guest tick: a
        // delivery only queues other threads (a woken receiver), redirects
        // one, or runs the one it wakes at once when the scheduler would
        // (`Kernel::wake_to_run`, with one schedule), which the relaxed
        // invariant allows (an unqueued running thread stands for the head of
        // its queue, ahead of anyone queued there meanwhile; a queue change
        // sends the exit to `choose`, which restores it first). The kernel's
        // own work restores it.
        if now >= self.kernel_deadline {
            self.kernel_timer_work(now);
        }
        if self.ticks.earliest() <= now {
            self.deliver_ticks(now, machine);
        }
        Self::timer_interval(self.timer_deadline(), now)
    }

    /// The kernel's own part of a timer interrupt at `now`: its tick if that
    /// is due, else the IPC timeouts that are.
    #[inline(never)]
    fn kernel_timer_work(&mut self, now: u64) {
        self.restore_current();
        if now >= self.next_kernel_tick {
            self.kernel_tick(now);
        } else {
            self.expire_timeouts(now);
        }
    }

    /// The kernel's own tick at `now`, and the next one a period later if
    /// the tick is still needed ([`Kernel::tick_needed`]); else it stops
    /// until a scheduling change needs it again ([`Kernel::sync_timer`]).
    /// So a thread that runs alone at the top sees no kernel interrupt at
    /// all, and a direct guest's µC/OS-II thread only its own ticks.
    fn kernel_tick(&mut self, now: u64) {
        self.tick_at(now);
        let next = if self.tick_needed() { now + self.kernel_tick_period } else { u64::MAX };
        self.set_next_kernel_tick(next);
    }

    /// The kernel's own tick is due next at counter value `at` (`u64::MAX`:
    /// stopped); `tick_stopped` and `kernel_deadline`, which the hot paths
    /// test instead, follow it here and nowhere else.
    fn set_next_kernel_tick(&mut self, at: u64) {
        self.next_kernel_tick = at;
        self.tick_stopped = at == u64::MAX;
        self.kernel_deadline = at.min(self.earliest_deadline);
    }

    /// Arms the timer for [`Kernel::timer_deadline`] after what it waits for
    /// moved earlier: the tick restarted (a peer became ready beside the
    /// running thread, a donation began; it restarts here, a period on) or an
    /// IPC deadline comes before the armed time. The runtime calls it after a
    /// scheduling choice that flagged it ([`Kernel::timer_stale`]);
    /// `PV_TICK_START` calls it itself.
    #[inline(never)]
    pub fn sync_timer<M: Machine + ?Sized>(&mut self, machine: &mut M) {
        self.timer_stale = false;
        let now = machine.now();
        if self.tick_stopped && self.tick_needed() {
            self.set_next_kernel_tick(now + self.kernel_tick_period);
        }
        machine.arm_timer(Self::timer_interval(self.timer_deadline(), now));
    }

    /// True when [`Kernel::sync_timer`] must run before the next thread does.
    #[inline(always)]
    pub fn timer_stale(&self) -> bool {
        self.timer_stale
    }

    /// Passes every guest tick due at `now` and notifies the threads. The
    /// caller found the first schedule due (so the check is not made twice
    /// on the path of every tick); delivering changes no schedule's count.
    #[inline(never)]
    fn deliver_ticks<M: Machine + ?Sized>(&mut self, now: u64, machine: &mut M) {
        // For `last_tick_delivery`, off the path of every tick.
        self.ticks_now = now;
        loop {
            let first = &mut self.ticks.entries[0];
            // Due: the caller found it so, and so did the loop's test below.
            let due = first.schedule.pass_due(now);
            first.generated = first.generated.wrapping_add(due);
            let generated = first.generated;
            let thread = usize::from(first.thread);
            self.ticks.resort_first();
            self.notify_ticked(thread, generated, machine);
            if self.ticks.entries[0].deadline() > now {
                return;
            }
        }
    }

    /// During [`Kernel::deliver_ticks`]: the tick being delivered is the
    /// timer interrupt's last (no other schedule is due at its counter
    /// value), so a wake-up it makes is the last change the interrupt makes
    /// to the queues. Looked at only when a tick wakes a thread.
    #[inline(always)]
    pub(super) fn last_tick_delivery(&self) -> bool {
        self.ticks.earliest() > self.ticks_now
    }

    /// Counter ticks from `now` to `deadline`: at least 1, and at most the
    /// timer's 31 bits (with nothing due for that long — no tick, no
    /// timeout, no guest — the timer fires once with nothing to do and is
    /// armed again).
    #[inline(always)]
    fn timer_interval(deadline: u64, now: u64) -> u32 {
        if deadline <= now { 1 } else { (deadline - now).min(i32::MAX as u64) as u32 }
    }

    /// The ticks the kernel generated for thread `index` so far, if it has a
    /// tick schedule.
    pub fn ticks_generated(&self, index: usize) -> Option<u32> {
        self.ticks.position(index).map(|position| self.ticks.entries[position].generated)
    }

    /// The counter value the kernel's timer must fire at: the earliest of
    /// the kernel's tick (if running), the IPC deadlines and the guest
    /// deadlines (`u64::MAX`: nothing). After a `PV_TICK_STOP` the timer may
    /// be armed for an earlier time: the interrupt then finds nothing to do.
    #[inline(always)]
    pub fn timer_deadline(&self) -> u64 {
        self.kernel_deadline.min(self.ticks.earliest())
    }
}
