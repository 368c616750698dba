// SPDX-License-Identifier: MIT OR Apache-2.0
//! v_timer's clients, bound to their domains: which thread gets ticks at
//! which rate, and whose counters a request may see.
//!
//! Every piece of state belongs to the domain (address space) of the thread
//! that asked for it, as the kernel reports it with each message (the
//! sender's space, which no client can claim for another). A request names
//! only what its sender owns: `PV_TIMER_REQUEST_RATE` registers the sending
//! thread itself, or retunes a client its own domain registered;
//! `PV_TIMER_QUERY` shows only a client of the sender's own domain. Anything
//! else is `PV_ERR_INVALID_THREAD`, exactly what an unknown thread gets, so
//! that v_timer's answers reveal nothing about other domains.
//!
//! Ticks reach a client by asynchronous notification ([`expire`]): at each
//! timer interrupt v_timer ORs `PV_NOTIFY_TIMER_TICK` into the notification
//! word of every client with a tick due (`pv_notify`, which never blocks), so
//! no client — one that never receives, a halted thread — can delay v_timer
//! or any other client. The notification carries no count: the client keeps
//! the same [`TickSchedule`] as v_timer (its start, rate and counter
//! frequency come in the reply to `PV_TIMER_REQUEST_RATE`) and, woken, passes
//! the ticks due by the counter itself, so a late client still gets every
//! tick, none lost or doubled.
//!
//! ## Clients the kernel ticks
//!
//! A direct guest's client (a thread bound to virtual-interrupt words) need
//! not wait for v_timer at every tick: once v_timer has accepted its request
//! (the checks above), it hands the schedule to the kernel
//! (`PV_TICK_START`, a call only v_timer's space, granted the timer, may
//! make), which notifies the thread at each deadline itself
//! ([`request_with_kernel`]). Such a client is [`Client::kernel`]: [`expire`]
//! and [`next_deadline`] leave it out, and its count of ticks generated is
//! what v_timer counted before the handoff plus what the kernel counted since
//! (`PV_TICK_COUNT`, [`generated`]): the kernel's own count of the ticks due
//! by the schedule at its timer interrupts, the same witness v_timer's count
//! was. The kernel refuses a thread that is not bound (the paper path's
//! Interrupt_loop): v_timer then ticks it itself, as before. A client
//! replaced (another thread of its domain registered) or retuned to v_timer
//! has its kernel schedule stopped.

use paravirt_api::tick::TickSchedule;
use paravirt_api::*;

/// One client: the thread v_timer notifies and its tick accounting.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Client {
    /// The thread v_timer notifies (`PV_NOTIFY_TIMER_TICK`).
    pub notify: PvThreadId,
    /// The domain (space) that registered it.
    pub space: u32,
    /// When its ticks fall due.
    pub schedule: TickSchedule,
    /// Ticks that fell due for it so far (by the counter at v_timer's last
    /// timer interrupt); for a client the kernel ticks, those before the handoff.
    pub generated: u32,
    /// The kernel ticks it (`PV_TICK_START` accepted it), not v_timer.
    pub kernel: bool,
}

/// The kernel's tick schedules, as v_timer reaches them (`PV_SYS_TICK_SCHEDULE`;
/// a model in the host tests).
pub trait KernelTicks {
    /// `PV_TICK_START`: true if the kernel now ticks `thread` on this schedule.
    fn start(&mut self, thread: PvThreadId, rate: u32, start: u64) -> bool;
    /// `PV_TICK_STOP`: the ticks the kernel generated for `thread` (0 if none).
    fn stop(&mut self, thread: PvThreadId) -> u32;
    /// `PV_TICK_COUNT`: the ticks the kernel generated for `thread`, if it ticks it.
    fn count(&mut self, thread: PvThreadId) -> Option<u32>;
}

/// `PV_TIMER_REQUEST_RATE` from thread `sender` of domain `sender_space`:
/// ticks on `schedule` for `notify`. `notify` must be the sender itself or a
/// client the sender's domain registered (its schedule is replaced, its
/// count of ticks generated kept); anything else is `PV_ERR_INVALID_THREAD`. A domain has at
/// most one client: the sender registering itself replaces its domain's
/// other client. No free slot: `PV_ERR_NO_RESOURCES`. Returns the client
/// as it was before (the same thread's, or the one it replaced), if any.
pub fn request(
    clients: &mut [Option<Client>],
    sender: PvThreadId,
    sender_space: u32,
    notify: PvThreadId,
    schedule: TickSchedule,
) -> Result<Option<Client>, u32> {
    if let Some(client) = clients.iter_mut().flatten().find(|c| c.notify == notify && c.space == sender_space) {
        let before = *client;
        client.schedule = schedule;
        return Ok(Some(before));
    }
    if notify != sender {
        return Err(PV_ERR_INVALID_THREAD);
    }
    // One client per domain (a guest needs one: its Interrupt_loop): a new
    // thread of a domain that has one takes its place, so that no domain
    // holds more than one slot, and a restarted guest whose new domain got
    // the old one's index is not refused because of its previous life.
    let fresh = Client { notify, space: sender_space, schedule, generated: 0, kernel: false };
    if let Some(slot) = clients.iter_mut().find(|c| c.is_some_and(|c| c.space == sender_space)) {
        return Ok(slot.replace(fresh));
    }
    let slot = clients.iter_mut().find(|c| c.is_none()).ok_or(PV_ERR_NO_RESOURCES)?;
    *slot = Some(fresh);
    Ok(None)
}

/// [`request`], then the schedule (tick 0 at counter value `start`, `rate`
/// a second) offered to the kernel: if it accepts, the kernel ticks the
/// client from now on, else v_timer does. A kernel schedule that no longer
/// belongs to a client (its thread replaced by another of the domain, or
/// retuned to v_timer) is stopped, its ticks kept in the client's count if
/// the thread stays the client.
pub fn request_with_kernel(
    clients: &mut [Option<Client>],
    sender: PvThreadId,
    sender_space: u32,
    notify: PvThreadId,
    start: u64,
    schedule: TickSchedule,
    kernel: &mut dyn KernelTicks,
) -> Result<(), u32> {
    // v_timer never notifies the clients the kernel ticks, so it never hears
    // that one's thread is gone; the kernel dropped its schedule then: such a
    // client leaves its slot here, before a request may need it.
    for slot in clients.iter_mut() {
        if slot.is_some_and(|c| c.kernel && kernel.count(c.notify).is_none()) {
            *slot = None;
        }
    }
    let before = request(clients, sender, sender_space, notify, schedule)?;
    let ticked = kernel.start(notify, schedule.rate(), start);
    let client = clients.iter_mut().flatten().find(|c| c.notify == notify && c.space == sender_space);
    let Some(client) = client else { return Ok(()) };
    let mut stopped = 0;
    if let Some(before) = before
        && before.kernel
        && !(ticked && before.notify == notify)
    {
        stopped = kernel.stop(before.notify);
    }
    if before.is_some_and(|before| before.notify == notify) {
        // The same thread retuned: its count goes on. From v_timer to the
        // kernel, v_timer's count is kept as the base; from the kernel to
        // v_timer, what the kernel counted joins it.
        client.generated = client.generated.wrapping_add(stopped);
    }
    client.kernel = ticked;
    Ok(())
}

/// The ticks generated so far for `client`: v_timer's count, plus the
/// kernel's if the kernel ticks it.
pub fn generated(client: &Client, kernel: &mut dyn KernelTicks) -> u32 {
    let counted = if client.kernel { kernel.count(client.notify).unwrap_or(0) } else { 0 };
    client.generated.wrapping_add(counted)
}

/// `PV_TIMER_QUERY` from domain `sender_space` for client `notify`: the
/// ticks generated for it, only for a client of the sender's own domain;
/// anything else (another domain's client, no client) is
/// `PV_ERR_INVALID_THREAD`.
pub fn query(
    clients: &[Option<Client>],
    sender_space: u32,
    notify: PvThreadId,
    kernel: &mut dyn KernelTicks,
) -> Result<u32, u32> {
    clients
        .iter()
        .flatten()
        .find(|c| c.notify == notify && c.space == sender_space)
        .map(|c| generated(c, kernel))
        .ok_or(PV_ERR_INVALID_THREAD)
}

/// A timer interrupt at counter value `now`: every client whose schedule
/// reached a deadline counts the ticks due and is notified through `notify`
/// (v_timer passes `pv_notify(thread, PV_NOTIFY_TIMER_TICK)`, which returns
/// at once whatever the client does). A client whose thread no longer exists
/// (`PV_ERR_INVALID_THREAD`: its guest stopped, exited or restarts) loses its
/// slot. Returns the earliest deadline of the clients left, found in the same
/// pass ([`next_deadline`] after it, without a second scan). O(clients), and
/// nothing here waits for anyone.
pub fn expire(clients: &mut [Option<Client>], now: u64, notify: &mut dyn FnMut(PvThreadId) -> u32) -> Option<u64> {
    // `u64::MAX` for none yet: a plain minimum (no deadline is that late).
    let mut earliest = u64::MAX;
    for slot in clients.iter_mut() {
        let Some(client) = slot.as_mut().filter(|c| !c.kernel) else { continue };
        let due = client.schedule.advance(now);
        if due != 0 {
            client.generated = client.generated.wrapping_add(due);
            if notify(client.notify) == PV_ERR_INVALID_THREAD {
                *slot = None;
                continue;
            }
        }
        earliest = earliest.min(client.schedule.next_deadline());
    }
    (earliest != u64::MAX).then_some(earliest)
}

/// The client `thread` that v_timer ticks is gone (a notification found no
/// such thread): it loses its slot, as in [`expire`].
pub fn forget(clients: &mut [Option<Client>], thread: PvThreadId) {
    for slot in clients.iter_mut() {
        if slot.is_some_and(|c| !c.kernel && c.notify == thread) {
            *slot = None;
        }
    }
}

/// The counter value of the earliest deadline of any client, if there is one.
pub fn next_deadline(clients: &[Option<Client>]) -> Option<u64> {
    clients.iter().flatten().filter(|c| !c.kernel).map(|c| c.schedule.next_deadline()).min()
}

#[cfg(test)]
mod tests {
    use super::*;

    const VICTIM_LOOP: PvThreadId = 0x1005;
    const VICTIM_OS: PvThreadId = 0x1006;
    const ATTACKER: PvThreadId = 0x1008;
    const VICTIM_SPACE: u32 = 3;
    const ATTACKER_SPACE: u32 = 4;

    fn schedule(rate: u32) -> TickSchedule {
        TickSchedule::new(0, 62_500_000, rate).unwrap()
    }

    /// A kernel that ticks nobody (the paper path's clients are not bound).
    struct NoKernel;
    impl KernelTicks for NoKernel {
        fn start(&mut self, _: PvThreadId, _: u32, _: u64) -> bool {
            false
        }
        fn stop(&mut self, _: PvThreadId) -> u32 {
            0
        }
        fn count(&mut self, _: PvThreadId) -> Option<u32> {
            None
        }
    }

    fn req(
        clients: &mut [Option<Client>],
        sender: PvThreadId,
        space: u32,
        notify: PvThreadId,
        schedule: TickSchedule,
    ) -> Result<(), u32> {
        request(clients, sender, space, notify, schedule).map(|_| ())
    }

    fn q(clients: &[Option<Client>], space: u32, notify: PvThreadId) -> Result<u32, u32> {
        query(clients, space, notify, &mut NoKernel)
    }

    #[test]
    fn a_domain_cannot_retune_or_read_another_domains_client() {
        let mut clients = [None; 4];
        assert_eq!(req(&mut clients, VICTIM_LOOP, VICTIM_SPACE, VICTIM_LOOP, schedule(1000)), Ok(()));
        clients[0].as_mut().unwrap().generated = 42;
        // The attacker names the victim's Interrupt_loop: refused, nothing changes.
        for rate in [1, 10_000] {
            assert_eq!(
                req(&mut clients, ATTACKER, ATTACKER_SPACE, VICTIM_LOOP, schedule(rate)),
                Err(PV_ERR_INVALID_THREAD)
            );
        }
        assert_eq!(clients[0].unwrap().schedule, schedule(1000));
        assert_eq!(clients.iter().flatten().count(), 1, "no client was added for the victim's thread");
        // Its counters: the same answer as for a thread nobody registered.
        assert_eq!(q(&clients, ATTACKER_SPACE, VICTIM_LOOP), Err(PV_ERR_INVALID_THREAD));
        assert_eq!(q(&clients, ATTACKER_SPACE, 0x7777), Err(PV_ERR_INVALID_THREAD));
        // The victim's own µC/OS-II thread sees and retunes its domain's client.
        assert_eq!(q(&clients, VICTIM_SPACE, VICTIM_LOOP), Ok(42));
        assert_eq!(req(&mut clients, VICTIM_OS, VICTIM_SPACE, VICTIM_LOOP, schedule(100)), Ok(()));
        assert_eq!(clients[0].unwrap().schedule, schedule(100));
        assert_eq!(clients[0].unwrap().generated, 42, "ticks counted so far are kept");
        // A thread of the domain that is not a client yet registers only itself.
        assert_eq!(req(&mut clients, VICTIM_OS, VICTIM_SPACE, 0x1009, schedule(100)), Err(PV_ERR_INVALID_THREAD));
        assert_eq!(req(&mut clients, ATTACKER, ATTACKER_SPACE, ATTACKER, schedule(100)), Ok(()));
        assert_eq!(q(&clients, ATTACKER_SPACE, ATTACKER), Ok(0));
    }

    #[test]
    fn a_domain_holds_one_slot_whatever_its_threads_ask() {
        let mut clients = [None; 4];
        for thread in 0..10 {
            let sender = 0x1010 + thread;
            assert_eq!(req(&mut clients, sender, ATTACKER_SPACE, sender, schedule(100)), Ok(()));
        }
        assert_eq!(clients.iter().flatten().count(), 1, "{clients:?}");
        assert_eq!(q(&clients, ATTACKER_SPACE, 0x1019), Ok(0), "the newest registration holds it");
        // The other domains still find free slots.
        assert_eq!(req(&mut clients, VICTIM_LOOP, VICTIM_SPACE, VICTIM_LOOP, schedule(1000)), Ok(()));
    }

    #[test]
    fn clients_are_limited_by_the_slots() {
        let mut clients = [None; 1];
        assert_eq!(req(&mut clients, 0x1001, 2, 0x1001, schedule(10)), Ok(()));
        assert_eq!(req(&mut clients, 0x1002, 3, 0x1002, schedule(10)), Err(PV_ERR_NO_RESOURCES));
    }

    /// QEMU's counter: 62,500 counts per tick at 1000 Hz.
    const PERIOD: u64 = 62_500;

    #[test]
    fn a_client_that_never_receives_delays_nobody_and_loses_no_tick() {
        let mut clients = [None; 4];
        assert_eq!(req(&mut clients, VICTIM_LOOP, VICTIM_SPACE, VICTIM_LOOP, schedule(1000)), Ok(()));
        assert_eq!(req(&mut clients, ATTACKER, ATTACKER_SPACE, ATTACKER, schedule(1000)), Ok(()));
        let mut notified = Vec::new();
        // Every interrupt notifies both, once each, in one pass: the attacker's
        // thread never receives, and that changes nothing for the victim.
        for tick in 1..=1000u64 {
            let now = tick * PERIOD;
            assert_eq!(next_deadline(&clients), Some(now));
            expire(&mut clients, now, &mut |thread| {
                notified.push((tick, thread));
                PV_OK
            });
        }
        assert_eq!(notified.len(), 2000);
        assert!(
            notified
                .chunks(2)
                .enumerate()
                .all(|(i, pair)| pair == [(i as u64 + 1, VICTIM_LOOP), (i as u64 + 1, ATTACKER)])
        );
        assert_eq!(q(&clients, VICTIM_SPACE, VICTIM_LOOP), Ok(1000));
        // A late interrupt: all the ticks that fell due are counted, one notification.
        let mut calls = 0;
        expire(&mut clients, 1010 * PERIOD + 1, &mut |_| {
            calls += 1;
            PV_OK
        });
        assert_eq!((calls, q(&clients, VICTIM_SPACE, VICTIM_LOOP)), (2, Ok(1010)));
        // The client keeps the same schedule and counts the same ticks itself.
        let mut own = schedule(1000);
        assert_eq!(own.advance(1010 * PERIOD + 1), 1010);
        // Before the next deadline: nobody is notified.
        expire(&mut clients, 1010 * PERIOD + 2, &mut |_| panic!("no tick is due"));
    }

    #[test]
    fn a_client_whose_thread_is_gone_loses_its_slot() {
        let mut clients = [None; 4];
        assert_eq!(req(&mut clients, VICTIM_LOOP, VICTIM_SPACE, VICTIM_LOOP, schedule(1000)), Ok(()));
        assert_eq!(req(&mut clients, ATTACKER, ATTACKER_SPACE, ATTACKER, schedule(1000)), Ok(()));
        expire(&mut clients, PERIOD, &mut |thread| if thread == ATTACKER { PV_ERR_INVALID_THREAD } else { PV_OK });
        assert_eq!(q(&clients, ATTACKER_SPACE, ATTACKER), Err(PV_ERR_INVALID_THREAD));
        assert_eq!(q(&clients, VICTIM_SPACE, VICTIM_LOOP), Ok(1));
        // The same when v_timer learns it later (its notification deferred).
        forget(&mut clients, VICTIM_LOOP);
        assert_eq!(q(&clients, VICTIM_SPACE, VICTIM_LOOP), Err(PV_ERR_INVALID_THREAD));
        assert_eq!(clients.iter().flatten().count(), 0);
    }

    #[test]
    fn forget_leaves_a_kernel_client_to_the_kernel() {
        let mut clients = [None; 2];
        let mut kernel = ModelKernel { bound: vec![VICTIM_OS], ..Default::default() };
        assert_eq!(request_kernel(&mut clients, VICTIM_OS, VICTIM_SPACE, VICTIM_OS, 1000, &mut kernel), Ok(()));
        forget(&mut clients, VICTIM_OS);
        assert_eq!(query(&clients, VICTIM_SPACE, VICTIM_OS, &mut kernel), Ok(0));
    }

    #[test]
    fn expire_returns_the_earliest_deadline_left_as_a_second_scan_would() {
        let mut clients = [None; 4];
        let mut kernel = ModelKernel { bound: vec![VICTIM_OS], ..Default::default() };
        // A kernel client (left out), a 1000 Hz client that goes away, a 300 Hz one.
        assert_eq!(request_kernel(&mut clients, VICTIM_OS, VICTIM_SPACE, VICTIM_OS, 10_000, &mut kernel), Ok(()));
        assert_eq!(req(&mut clients, ATTACKER, ATTACKER_SPACE, ATTACKER, schedule(1000)), Ok(()));
        assert_eq!(req(&mut clients, 0x1020, 5, 0x1020, schedule(300)), Ok(()));
        let mut now = 0;
        for step in 1..=40u64 {
            now += step * 7_919;
            let gone = step == 30;
            let earliest =
                expire(&mut clients, now, &mut |t| if gone && t == ATTACKER { PV_ERR_INVALID_THREAD } else { PV_OK });
            assert_eq!(earliest, next_deadline(&clients), "at {now}");
            assert!(earliest.is_some_and(|deadline| deadline > now));
        }
        assert_eq!(q(&clients, ATTACKER_SPACE, ATTACKER), Err(PV_ERR_INVALID_THREAD));
        // No client left to v_timer: no deadline.
        let mut only_kernel = [clients[0], None];
        assert_eq!(expire(&mut only_kernel, now + 1, &mut |_| panic!("the kernel ticks it")), None);
    }

    /// The kernel's tick schedules as a model: which threads are bound, what
    /// each schedule is and how many ticks it generated, and every call.
    #[derive(Default)]
    struct ModelKernel {
        bound: Vec<PvThreadId>,
        schedules: std::collections::HashMap<PvThreadId, (u32, u64, u32)>,
        calls: Vec<(&'static str, PvThreadId)>,
    }

    impl KernelTicks for ModelKernel {
        fn start(&mut self, thread: PvThreadId, rate: u32, start: u64) -> bool {
            self.calls.push(("start", thread));
            if !self.bound.contains(&thread) {
                return false;
            }
            let count = self.schedules.get(&thread).map_or(0, |s| s.2);
            self.schedules.insert(thread, (rate, start, count));
            true
        }
        fn stop(&mut self, thread: PvThreadId) -> u32 {
            self.calls.push(("stop", thread));
            self.schedules.remove(&thread).map_or(0, |s| s.2)
        }
        fn count(&mut self, thread: PvThreadId) -> Option<u32> {
            self.schedules.get(&thread).map(|s| s.2)
        }
    }

    fn request_kernel(
        clients: &mut [Option<Client>],
        sender: PvThreadId,
        space: u32,
        notify: PvThreadId,
        rate: u32,
        kernel: &mut ModelKernel,
    ) -> Result<(), u32> {
        request_with_kernel(clients, sender, space, notify, 0, schedule(rate), kernel)
    }

    #[test]
    fn a_bound_client_is_ticked_by_the_kernel_and_an_unbound_one_by_v_timer() {
        let mut clients = [None; 4];
        let mut kernel = ModelKernel { bound: vec![VICTIM_OS], ..Default::default() };
        assert_eq!(request_kernel(&mut clients, VICTIM_OS, VICTIM_SPACE, VICTIM_OS, 1000, &mut kernel), Ok(()));
        assert_eq!(request_kernel(&mut clients, ATTACKER, ATTACKER_SPACE, ATTACKER, 100, &mut kernel), Ok(()));
        assert_eq!(kernel.schedules.get(&VICTIM_OS), Some(&(1000, 0, 0)));
        assert!(!kernel.schedules.contains_key(&ATTACKER), "not bound: v_timer ticks it");
        // v_timer arms its timer and notifies for the unbound client only.
        assert_eq!(next_deadline(&clients), Some(62_500_000 / 100));
        let mut notified = Vec::new();
        expire(&mut clients, 62_500_000, &mut |thread| {
            notified.push(thread);
            PV_OK
        });
        assert_eq!(notified, [ATTACKER]);
        // The count reported is the kernel's for the kernel's client.
        kernel.schedules.get_mut(&VICTIM_OS).unwrap().2 = 1000;
        assert_eq!(query(&clients, VICTIM_SPACE, VICTIM_OS, &mut kernel), Ok(1000));
        assert_eq!(query(&clients, ATTACKER_SPACE, ATTACKER, &mut kernel), Ok(100));
        // Another domain still sees nothing of it.
        assert_eq!(query(&clients, ATTACKER_SPACE, VICTIM_OS, &mut kernel), Err(PV_ERR_INVALID_THREAD));
    }

    #[test]
    fn another_domain_cannot_start_stop_or_retune_a_kernel_client() {
        let mut clients = [None; 4];
        let mut kernel = ModelKernel { bound: vec![VICTIM_OS, ATTACKER], ..Default::default() };
        assert_eq!(request_kernel(&mut clients, VICTIM_OS, VICTIM_SPACE, VICTIM_OS, 1000, &mut kernel), Ok(()));
        kernel.calls.clear();
        for rate in [1, 32_768] {
            assert_eq!(
                request_kernel(&mut clients, ATTACKER, ATTACKER_SPACE, VICTIM_OS, rate, &mut kernel),
                Err(PV_ERR_INVALID_THREAD)
            );
        }
        assert!(kernel.calls.is_empty(), "a refused request reaches the kernel not at all: {:?}", kernel.calls);
        assert_eq!(kernel.schedules.get(&VICTIM_OS), Some(&(1000, 0, 0)));
        // The attacker's own registration does not touch the victim's schedule either.
        assert_eq!(request_kernel(&mut clients, ATTACKER, ATTACKER_SPACE, ATTACKER, 1000, &mut kernel), Ok(()));
        assert_eq!(kernel.calls, [("start", ATTACKER)]);
        assert_eq!(kernel.schedules.get(&VICTIM_OS), Some(&(1000, 0, 0)));
    }

    #[test]
    fn a_replaced_or_retuned_kernel_client_has_its_kernel_schedule_stopped_and_keeps_its_count() {
        let mut clients = [None; 4];
        let mut kernel = ModelKernel { bound: vec![VICTIM_OS], ..Default::default() };
        assert_eq!(request_kernel(&mut clients, VICTIM_OS, VICTIM_SPACE, VICTIM_OS, 1000, &mut kernel), Ok(()));
        kernel.schedules.get_mut(&VICTIM_OS).unwrap().2 = 7;
        // Retuned, still bound: the kernel replaces the schedule, the count goes on.
        assert_eq!(request_kernel(&mut clients, VICTIM_OS, VICTIM_SPACE, VICTIM_OS, 100, &mut kernel), Ok(()));
        assert_eq!(kernel.schedules.get(&VICTIM_OS), Some(&(100, 0, 7)));
        assert!(!kernel.calls.contains(&("stop", VICTIM_OS)));
        assert_eq!(query(&clients, VICTIM_SPACE, VICTIM_OS, &mut kernel), Ok(7));
        // Unbound since and retuned: back to v_timer, the kernel's 7 ticks kept.
        kernel.bound.clear();
        assert_eq!(request_kernel(&mut clients, VICTIM_OS, VICTIM_SPACE, VICTIM_OS, 100, &mut kernel), Ok(()));
        assert!(kernel.schedules.is_empty());
        assert_eq!(query(&clients, VICTIM_SPACE, VICTIM_OS, &mut kernel), Ok(7));
        assert_eq!(next_deadline(&clients), Some(62_500_000 / 100));
        // Bound again; then another thread of the domain takes the slot: the
        // old thread's kernel schedule stops, the new client starts from 0.
        kernel.bound = vec![VICTIM_OS, VICTIM_LOOP];
        assert_eq!(request_kernel(&mut clients, VICTIM_OS, VICTIM_SPACE, VICTIM_OS, 100, &mut kernel), Ok(()));
        assert_eq!(query(&clients, VICTIM_SPACE, VICTIM_OS, &mut kernel), Ok(7));
        assert_eq!(request_kernel(&mut clients, VICTIM_LOOP, VICTIM_SPACE, VICTIM_LOOP, 100, &mut kernel), Ok(()));
        assert_eq!(kernel.calls.last(), Some(&("stop", VICTIM_OS)));
        assert!(!kernel.schedules.contains_key(&VICTIM_OS));
        assert_eq!(query(&clients, VICTIM_SPACE, VICTIM_LOOP, &mut kernel), Ok(0));
        assert_eq!(clients.iter().flatten().count(), 1);
    }

    #[test]
    fn a_kernel_client_whose_thread_is_gone_frees_its_slot_for_the_next_request() {
        let mut clients = [None; 1];
        let mut kernel = ModelKernel { bound: vec![VICTIM_OS, ATTACKER], ..Default::default() };
        assert_eq!(request_kernel(&mut clients, VICTIM_OS, VICTIM_SPACE, VICTIM_OS, 1000, &mut kernel), Ok(()));
        assert_eq!(
            request_kernel(&mut clients, ATTACKER, ATTACKER_SPACE, ATTACKER, 1000, &mut kernel),
            Err(PV_ERR_NO_RESOURCES)
        );
        // The victim's thread is deleted: the kernel dropped its schedule.
        kernel.schedules.remove(&VICTIM_OS);
        assert_eq!(request_kernel(&mut clients, ATTACKER, ATTACKER_SPACE, ATTACKER, 1000, &mut kernel), Ok(()));
        assert_eq!(q(&clients, VICTIM_SPACE, VICTIM_OS), Err(PV_ERR_INVALID_THREAD));
    }
}
