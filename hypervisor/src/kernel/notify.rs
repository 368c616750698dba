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
//!
//! ## Virtual interrupts delivered by the kernel (`PV_SYS_VIRQ_BIND`)
//!
//! A guest runtime may bind a thread of its own space (the µC/OS-II thread)
//! to its virtual-interrupt words: two adjacent words of its memory, the
//! *mask* (non-zero: virtual interrupts masked) and the *pending* bits, and
//! the address of its virtual IRQ entry. Notifications to a bound thread
//! are virtual interrupts: the kernel ORs the bits into the pending word
//! (never into the notification word), then
//! - if the thread waits in an open receive (an idle guest), completes that
//!   receive with the notification message, as for any thread;
//! - if it is ready in user mode (preempted, or its system call finished),
//!   not halted, not faulted, not the notifier itself (the kernel's timer
//!   interrupt redirects the thread it interrupted), and its mask word is
//!   0: sets the mask to 1, pushes its CPSR user bits and its pc (bit 0 set
//!   for Thumb) below its stack pointer, the top two words of the port's
//!   context frame, and continues it at the entry in ARM state with all CPSR
//!   user bits cleared, exactly the frame and state the paper path's
//!   Interrupt_loop builds with ExchangeRegisters;
//! - otherwise (masked, blocked in a system call, halted, faulted) the bits
//!   only wait in the pending word: the runtime takes them when it unmasks,
//!   and the next notification that finds the thread ready retries.
//!
//! The kernel reaches the words only through checked [`RamWord`]s: binding
//! is refused unless both words are writable RAM of the bound thread's
//! space; a notification that finds them unmapped since falls back to the
//! notification word; a redirect whose stack words are not writable RAM
//! of the thread's space leaves the bits pending and the thread untouched
//! (it is not faulted: its own next memory access shows the bad stack).
//! Nothing a guest does with its memory can make the kernel fault.
//!
//! Walking the tables at every interrupt cost more than the rest of the
//! delivery, so the kernel keeps, per bound thread ([`BoundVirq`]), the
//! translation of its words and of the page (or section) of its stack that
//! the last redirect wrote to, marked current. Every change of a space's
//! tables goes through [`Kernel::edit_tables`], which first marks the kept
//! translations of every thread of that space stale (and the generation of
//! the space's tables, `memory::spaces`, which they also keep, moves on: a
//! test build checks at every use that a current translation is of the
//! current generation). So the kept translations are used only while the
//! mappings they came from still stand, at the cost of one flag test per
//! interrupt; otherwise the words are
//! translated again (the checks above applied) and the stack page is
//! dropped, to be translated again at the next redirect. An unmap or a remap is
//! therefore seen at the very next interrupt: the kernel never writes a frame
//! the thread's space no longer maps writable.

use super::*;
use crate::memory::page_table::{MemoryKind, Translation};

impl Kernel {
    /// `PV_SYS_NOTIFY` by `caller`: ORs `bits` into thread `to`'s word.
    pub(super) fn sys_notify<M: Machine + ?Sized>(
        &mut self,
        caller: usize,
        to: PvThreadId,
        bits: u32,
        machine: &mut M,
    ) -> KernelResult<[u32; 4]> {
        let target = self.lookup_named(caller, to)?;
        self.notify(target, bits, machine);
        Ok([0; 4])
    }

    /// ORs `bits` into thread `target`'s word and wakes it if it waits in an
    /// open receive; a thread bound to virtual-interrupt words gets them as
    /// virtual interrupts instead ([`Kernel::raise_virq`]). Never blocks anyone.
    ///
    /// Out of line: the system calls' one copy. The timer interrupt's path has
    /// its own, inline, in [`Kernel::notify_ticked`].
    #[inline(never)]
    pub(super) fn notify<M: Machine + ?Sized>(&mut self, target: usize, bits: u32, machine: &mut M) {
        self.notify_from(target, bits, Origin::SystemCall, machine);
    }

    /// [`Kernel::notify`] of `PV_NOTIFY_TIMER_TICK` for a tick the timer
    /// interrupt delivers: the running thread was interrupted in user mode,
    /// not in a system call, so it too may be redirected to its
    /// virtual-interrupt entry; and `count`, the thread's count of ticks
    /// generated, goes to its tick count word, if its binding has one
    /// (`PV_VIRQ_WORDS_TICK_COUNT`), in one write with the pending word.
    ///
    /// Inline, with the whole virtual-interrupt raise, so that the timer
    /// interrupt's path makes no call for it.
    /// A thread it wakes may become the running thread at once
    /// ([`Kernel::wake_to_run`]) if this is the interrupt's last tick
    /// (several due at once wake their threads one after another: only the
    /// last may switch, as a lazy switch is made only by the last change an
    /// interrupt makes to the queues).
    #[inline(always)]
    pub(super) fn notify_ticked<M: Machine + ?Sized>(&mut self, target: usize, count: u32, machine: &mut M) {
        self.notify_from(target, PV_NOTIFY_TIMER_TICK, Origin::Tick(count), machine);
    }

    /// Writes `count` to bound thread `target`'s tick count word, if its
    /// binding has one (`PV_TICK_START`: the word starts from the count the
    /// thread's schedule keeps).
    /// (Rare: a fresh translation, no look at the kept one.)
    pub(super) fn write_tick_count<M: Machine + ?Sized>(&mut self, target: usize, count: u32, machine: &mut M) {
        if let Some(VirqWords { count: Some(word), .. }) = self.translate_virq_words(target) {
            machine.write_word(word, count);
        }
    }

    /// The notification of `bits` to `target` from `origin`.
    #[inline(always)]
    fn notify_from<M: Machine + ?Sized>(&mut self, target: usize, bits: u32, origin: Origin, machine: &mut M) {
        let interrupted = origin.interrupted();
        if self.threads[target].virq.is_some() && self.raise_virq(target, bits, origin, machine) {
            return;
        }
        self.threads[target].notify_bits |= bits;
        if self.threads[target].notify_bits != 0
            && self.threads[target].fault.is_none()
            && self.threads[target].state == (State::Receiving { from: Source::Any })
        {
            self.deliver_notification(target, interrupted && self.last_tick_delivery());
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
        self.deliver_notification(receiver, false);
        true
    }

    /// The notification message with the collected bits to `receiver`
    /// (switched to at once if `run` allows, see
    /// [`Kernel::deliver_notification_bits`]).
    #[inline(never)]
    fn deliver_notification(&mut self, receiver: usize, run: bool) {
        let bits = core::mem::take(&mut self.threads[receiver].notify_bits);
        self.deliver_notification_bits(receiver, bits, run);
    }

    /// The notification message with `bits` to `receiver`, whose receive it
    /// completes. With `run` (an interrupt's wake-up) the receiver
    /// becomes the running thread at once if the scheduler would pick it
    /// ([`Kernel::wake_to_run`]).
    fn deliver_notification_bits(&mut self, receiver: usize, bits: u32, run: bool) {
        let tcb = &mut self.threads[receiver];
        tcb.context.kernel_message(PV_NIL_THREAD, pv_tag(PV_LABEL_NOTIFICATION, 1), bits);
        tcb.then_receive = None;
        self.wake(receiver, run);
    }

    /// Bits pending in thread `index`'s notification word.
    pub fn notification_bits(&self, index: usize) -> u32 {
        self.threads[index].notify_bits
    }

    /// `PV_SYS_VIRQ_BIND` by `caller`: binds thread r0 (of the caller's own
    /// space; the root's: any) to the virtual-interrupt words at r1 (mask,
    /// then pending; 8-byte aligned, both writable RAM of the thread's space;
    /// with `PV_VIRQ_WORDS_TICK_COUNT` ORed in, a third word, the tick
    /// count, and 16-byte aligned) and the entry r2 (ARM code, word
    /// aligned). r1 = 0 unbinds.
    pub(super) fn sys_virq_bind(&mut self, caller: usize, r: [u32; 13]) -> KernelResult<[u32; 4]> {
        let target = self.lookup(r[0])?;
        if !self.may_control(caller, target) {
            return Err(PV_ERR_INVALID_THREAD);
        }
        let (entry, tick_count) = (r[2], r[1] & PV_VIRQ_WORDS_TICK_COUNT != 0);
        let words = r[1] & !PV_VIRQ_WORDS_TICK_COUNT;
        if r[1] == 0 {
            self.threads[target].virq = None;
            return Ok([0; 4]);
        }
        let alignment = if tick_count { 16 } else { 8 };
        if words == 0 || !words.is_multiple_of(alignment) || !entry.is_multiple_of(4) || entry >= PV_USER_TOP {
            return Err(PV_ERR_INVALID_ARGUMENT);
        }
        let binding = VirqBinding { words, entry, tick_count };
        let (mask, pending, count) = self.virq_block(target, binding)?;
        let generation = self.tables.generation(self.threads[target].space);
        self.threads[target].virq = Some(BoundVirq {
            binding,
            current: true,
            generation,
            mask,
            pending,
            count,
            stack_base: 0,
            stack: RamRange::EMPTY,
        });
        Ok([0; 4])
    }

    /// The words of `binding` in thread `target`'s space: mask and pending
    /// (both writable RAM), and the tick count if it has one. Its block is
    /// 16-byte aligned, so the count lies in the pending word's page (whose
    /// translation was just checked), as the RAM word right after it: the
    /// pair [`Machine::write_word_pair`] takes.
    fn virq_block(&self, target: usize, binding: VirqBinding) -> KernelResult<(RamWord, RamWord, Option<RamWord>)> {
        let (mask, pending) = self.user_writable_pair(target, binding.words)?;
        let count = match binding.tick_count {
            true => Some(self.layout.ram_word(pending.physical() + 4).ok_or(PV_ERR_BAD_ADDRESS)?),
            false => None,
        };
        Ok((mask, pending, count))
    }

    /// The RAM word behind thread `thread`'s virtual `address` if that thread
    /// may read and write it and it is ordinary memory, never a device.
    fn user_writable_word(&self, thread: usize, address: u32) -> KernelResult<RamWord> {
        self.user_writable_translation(thread, address).map(|(word, _)| word)
    }

    /// [`Kernel::user_writable_word`], and how many bytes from it on the same
    /// translation holds for (to the end of its page or section).
    fn user_writable_translation(&self, thread: usize, address: u32) -> KernelResult<(RamWord, usize)> {
        let translation = self.user_writable_page(thread, address)?;
        let word = self.layout.ram_word(translation.physical).ok_or(PV_ERR_BAD_ADDRESS)?;
        Ok((word, translation.extent))
    }

    /// The translation of thread `thread`'s virtual `address` if that thread
    /// may read and write it and it is ordinary memory.
    fn user_writable_page(&self, thread: usize, address: u32) -> KernelResult<Translation> {
        if !address.is_multiple_of(4) || address >= PV_USER_TOP {
            return Err(PV_ERR_BAD_ADDRESS);
        }
        match self.tables.translate(self.threads[thread].space, address as usize) {
            Some(translation)
                if translation.user_read && translation.user_write && translation.kind == MemoryKind::Normal =>
            {
                Ok(translation)
            }
            _ => Err(PV_ERR_BAD_ADDRESS),
        }
    }

    /// The two adjacent words at `address` as [`Kernel::user_writable_word`]
    /// checks each: one walk of the tables when both lie in one page or
    /// section (always for the virtual-interrupt words, 8-byte aligned), two
    /// otherwise.
    fn user_writable_pair(&self, thread: usize, address: u32) -> KernelResult<(RamWord, RamWord)> {
        let (first, extent) = self.user_writable_translation(thread, address)?;
        let second = if extent >= 8 {
            self.layout.ram_word(first.physical() + 4).ok_or(PV_ERR_BAD_ADDRESS)?
        } else {
            self.user_writable_word(thread, address.wrapping_add(4))?
        };
        Ok((first, second))
    }

    /// Raises the virtual interrupts `bits` in bound thread `target` (see the
    /// module documentation). False if its words are no longer writable RAM
    /// (the caller then uses the notification word).
    #[inline(always)]
    fn raise_virq<M: Machine + ?Sized>(&mut self, target: usize, bits: u32, origin: Origin, machine: &mut M) -> bool {
        let interrupted = origin.interrupted();
        let Some(words) = self.virq_words(target) else {
            return false;
        };
        if bits == 0 {
            return true;
        }
        let pending = machine.read_word(words.pending) | bits;
        match origin {
            // The tick count with the pending word, in one checked pair.
            Origin::Tick(count) if words.count.is_some() => machine.write_word_pair(words.pending, [pending, count]),
            _ => machine.write_word(words.pending, pending),
        }
        let tcb = &self.threads[target];
        if tcb.fault.is_some() || tcb.halted {
            return true;
        }
        match tcb.state {
            State::Receiving { from: Source::Any } => {
                self.deliver_notification_bits(target, bits, interrupted && self.last_tick_delivery());
            }
            // The running thread is in a system call (its own notify), unless
            // an interrupt stopped it in user mode.
            State::Ready if (interrupted || target != self.current) && machine.read_word(words.mask) == 0 => {
                self.redirect_to_virq_entry(target, words, machine);
            }
            _ => {}
        }
        true
    }

    /// Bound thread `target`'s words: the kept translation while its space's
    /// tables are unchanged since it was made, else a fresh one (`None` if
    /// they are no longer writable RAM of its space). Afterwards the kept
    /// stack page, if any, is of the current tables too (a fresh translation
    /// drops it): [`Kernel::virq_stack_pair`] relies on that.
    #[inline]
    fn virq_words(&mut self, target: usize) -> Option<VirqWords> {
        let bound = self.threads[target].virq.as_ref()?;
        if bound.current {
            // The generation witnesses what `current` says (a test build checks it).
            debug_assert_eq!(bound.generation, self.tables.generation(self.threads[target].space));
            return Some(VirqWords {
                mask: bound.mask,
                pending: bound.pending,
                count: bound.count,
                entry: bound.binding.entry,
            });
        }
        self.translate_virq_words(target)
    }

    /// [`Kernel::virq_words`] when the tables changed: one walk, kept for
    /// next time, and the kept stack page dropped (it was of older tables).
    #[inline(never)]
    fn translate_virq_words(&mut self, target: usize) -> Option<VirqWords> {
        let generation = self.tables.generation(self.threads[target].space);
        let binding = self.threads[target].virq.as_ref()?.binding;
        let (mask, pending, count) = self.virq_block(target, binding).ok()?;
        let bound = self.threads[target].virq.as_mut()?;
        (bound.generation, bound.mask, bound.pending, bound.count) = (generation, mask, pending, count);
        bound.current = true;
        bound.stack = RamRange::EMPTY;
        Some(VirqWords { mask, pending, count, entry: binding.entry })
    }

    /// The two words at `address` on bound thread `target`'s stack, if both
    /// are writable RAM of its space: through the page (or section) of its
    /// stack the kernel keeps, else a fresh walk, whose page is kept for next
    /// time. Only after [`Kernel::virq_words`] in the same kernel entry: the
    /// kept page is then of the current tables.
    #[inline]
    fn virq_stack_pair(&mut self, target: usize, address: u32) -> Option<(RamWord, RamWord)> {
        let bound = self.threads[target].virq.as_ref()?;
        if let Some(pair) = bound.stack.pair_at(address.wrapping_sub(bound.stack_base) as usize) {
            return Some(pair);
        }
        self.translate_virq_stack(target, address)
    }

    /// [`Kernel::virq_stack_pair`] outside the kept page (or with none kept).
    #[inline(never)]
    fn translate_virq_stack(&mut self, target: usize, address: u32) -> Option<(RamWord, RamWord)> {
        let pair = self.user_writable_pair(target, address).ok()?;
        // The whole page (or section) of the first word, if it is all RAM the
        // kernel may reach (a mapping of RAM always is).
        let translation = self.user_writable_page(target, address).ok()?;
        let page =
            self.layout.ram_range(translation.physical - translation.offset, translation.offset + translation.extent);
        if let (Some(page), Some(bound)) = (page, self.threads[target].virq.as_mut()) {
            bound.stack_base = address - translation.offset as u32;
            bound.stack = page;
        }
        Some(pair)
    }

    /// Injects a virtual interrupt into the ready, unmasked thread `target`
    /// whose `words` [`Kernel::virq_words`] just gave: flags and pc below its
    /// sp, the mask set, on to the entry. Nothing changes if the two stack
    /// words are not writable RAM of its space.
    #[inline(always)]
    fn redirect_to_virq_entry<M: Machine + ?Sized>(&mut self, target: usize, words: VirqWords, machine: &mut M) {
        let context = &self.threads[target].context;
        let (sp, pc, cpsr) = (context.sp.wrapping_sub(8), context.pc, context.cpsr);
        let Some((flags_word, pc_word)) = self.virq_stack_pair(target, sp) else {
            return;
        };
        machine.write_word(flags_word, cpsr & PV_USER_FLAGS_MASK);
        machine.write_word(pc_word, pc | ((cpsr & CPSR_THUMB) >> 5));
        machine.write_word(words.mask, 1);
        let context = &mut self.threads[target].context;
        context.sp = sp;
        // ARM state, outside any IT block, little-endian: every user bit clear.
        context.pc = words.entry;
        context.cpsr = user_cpsr(0);
    }

    /// Thread `index`'s virtual-interrupt binding, if any.
    pub fn virq_binding(&self, index: usize) -> Option<VirqBinding> {
        self.threads[index].virq.map(|bound| bound.binding)
    }
}

/// A thread's virtual-interrupt words and entry (`PV_SYS_VIRQ_BIND`), as
/// virtual addresses of its space: translated again whenever its space's
/// tables changed (see `BoundVirq`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct VirqBinding {
    /// The mask word; the pending word follows it.
    pub words: u32,
    /// The virtual IRQ entry (ARM code).
    pub entry: u32,
    /// The tick count follows the pending word (`PV_VIRQ_WORDS_TICK_COUNT`).
    pub tick_count: bool,
}

/// A bound thread's [`VirqBinding`] and the translations the kernel keeps of
/// the user memory it writes at every virtual interrupt: the words, and the
/// page (or section) of its stack that the last redirection wrote the flags
/// and pc to. Both are valid only while `current`: every change of the
/// thread's space's tables (map, unmap, clear, space creation and deletion)
/// goes through [`Kernel::edit_tables`], which clears it for every thread of
/// the space first, and `generation` witnesses it (`SpaceTables::generation`,
/// moved on by the same changes: a test build checks that the two agree at
/// every use). A new translation of the words drops the kept stack page. So
/// an unmap or remap is seen at the next interrupt, and the kernel never
/// writes a frame the thread's space no longer maps writable.
#[derive(Clone, Copy, Debug)]
pub(super) struct BoundVirq {
    /// What the thread bound.
    binding: VirqBinding,
    /// The translations are of the space's current tables: set when they are
    /// made, cleared by every change of the tables ([`Kernel::edit_tables`]).
    /// The hot path tests this flag, not the 64-bit generation.
    current: bool,
    /// The generation the translations were made at: while `current`, the
    /// space's generation still (checked in test builds).
    generation: u64,
    /// The mask word.
    mask: RamWord,
    /// The pending word.
    pending: RamWord,
    /// The tick count, if the binding has one.
    count: Option<RamWord>,
    /// Virtual address of the first byte of `stack`.
    stack_base: u32,
    /// The RAM behind one writable page or section of the thread's stack
    /// ([`RamRange::EMPTY`]: none kept).
    stack: RamRange,
}

impl BoundVirq {
    /// Its space's tables are about to change: the kept translations are void.
    pub(super) fn drop_translations(&mut self) {
        self.current = false;
    }
}

/// Where a notification comes from.
#[derive(Clone, Copy)]
enum Origin {
    /// A system call of the running thread (`PV_SYS_NOTIFY`), which is in
    /// the kernel, not in user mode.
    SystemCall,
    /// The timer interrupt's delivery of a tick: the running thread was
    /// interrupted in user mode; the thread's count of ticks generated.
    Tick(u32),
}

impl Origin {
    /// From an interrupt: the running thread was stopped in user mode.
    #[inline(always)]
    fn interrupted(self) -> bool {
        matches!(self, Origin::Tick(_))
    }
}

/// A bound thread's words as [`Kernel::virq_words`] checked them, and its entry.
#[derive(Clone, Copy)]
struct VirqWords {
    mask: RamWord,
    pending: RamWord,
    count: Option<RamWord>,
    entry: u32,
}
