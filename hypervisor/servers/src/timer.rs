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
    /// timer interrupt).
    pub generated: u32,
}

/// `PV_TIMER_REQUEST_RATE` from thread `sender` of domain `sender_space`:
/// ticks on `schedule` for `notify`. `notify` must be the sender itself or a
/// client the sender's domain registered (its schedule is replaced, its
/// count of ticks generated kept); anything else is `PV_ERR_INVALID_THREAD`. A domain has at
/// most one client: the sender registering itself replaces its domain's
/// other client. No free slot: `PV_ERR_NO_RESOURCES`.
pub fn request(
    clients: &mut [Option<Client>],
    sender: PvThreadId,
    sender_space: u32,
    notify: PvThreadId,
    schedule: TickSchedule,
) -> Result<(), u32> {
    if let Some(client) = clients.iter_mut().flatten().find(|c| c.notify == notify && c.space == sender_space) {
        client.schedule = schedule;
        return Ok(());
    }
    if notify != sender {
        return Err(PV_ERR_INVALID_THREAD);
    }
    // One client per domain (a guest needs one: its Interrupt_loop): a new
    // thread of a domain that has one takes its place, so that no domain
    // holds more than one slot, and a restarted guest whose new domain got
    // the old one's index is not refused because of its previous life.
    let fresh = Client { notify, space: sender_space, schedule, generated: 0 };
    if let Some(slot) = clients.iter_mut().find(|c| c.is_some_and(|c| c.space == sender_space)) {
        *slot = Some(fresh);
        return Ok(());
    }
    let slot = clients.iter_mut().find(|c| c.is_none()).ok_or(PV_ERR_NO_RESOURCES)?;
    *slot = Some(fresh);
    Ok(())
}

/// `PV_TIMER_QUERY` from domain `sender_space` for client `notify`: the
/// ticks generated for it, only for a client of the sender's own domain;
/// anything else (another domain's client, no client) is
/// `PV_ERR_INVALID_THREAD`.
pub fn query(clients: &[Option<Client>], sender_space: u32, notify: PvThreadId) -> Result<u32, u32> {
    clients
        .iter()
        .flatten()
        .find(|c| c.notify == notify && c.space == sender_space)
        .map(|c| c.generated)
        .ok_or(PV_ERR_INVALID_THREAD)
}

/// A timer interrupt at counter value `now`: every client whose schedule
/// reached a deadline counts the ticks due and is notified through `notify`
/// (v_timer passes `pv_notify(thread, PV_NOTIFY_TIMER_TICK)`, which returns
/// at once whatever the client does). A client whose thread no longer exists
/// (`PV_ERR_INVALID_THREAD`: its guest stopped, exited or restarts) loses its
/// slot. O(clients), and nothing here waits for anyone.
pub fn expire(clients: &mut [Option<Client>], now: u64, notify: &mut dyn FnMut(PvThreadId) -> u32) {
    for slot in clients.iter_mut() {
        let Some(client) = slot.as_mut() else { continue };
        let due = client.schedule.advance(now);
        if due == 0 {
            continue;
        }
        client.generated = client.generated.wrapping_add(due);
        if notify(client.notify) == PV_ERR_INVALID_THREAD {
            *slot = None;
        }
    }
}

/// The counter value of the earliest deadline of any client, if there is one.
pub fn next_deadline(clients: &[Option<Client>]) -> Option<u64> {
    clients.iter().flatten().map(|c| c.schedule.next_deadline()).min()
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

    #[test]
    fn a_domain_cannot_retune_or_read_another_domains_client() {
        let mut clients = [None; 4];
        assert_eq!(request(&mut clients, VICTIM_LOOP, VICTIM_SPACE, VICTIM_LOOP, schedule(1000)), Ok(()));
        clients[0].as_mut().unwrap().generated = 42;
        // The attacker names the victim's Interrupt_loop: refused, nothing changes.
        for rate in [1, 10_000] {
            assert_eq!(
                request(&mut clients, ATTACKER, ATTACKER_SPACE, VICTIM_LOOP, schedule(rate)),
                Err(PV_ERR_INVALID_THREAD)
            );
        }
        assert_eq!(clients[0].unwrap().schedule, schedule(1000));
        assert_eq!(clients.iter().flatten().count(), 1, "no client was added for the victim's thread");
        // Its counters: the same answer as for a thread nobody registered.
        assert_eq!(query(&clients, ATTACKER_SPACE, VICTIM_LOOP), Err(PV_ERR_INVALID_THREAD));
        assert_eq!(query(&clients, ATTACKER_SPACE, 0x7777), Err(PV_ERR_INVALID_THREAD));
        // The victim's own µC/OS-II thread sees and retunes its domain's client.
        assert_eq!(query(&clients, VICTIM_SPACE, VICTIM_LOOP), Ok(42));
        assert_eq!(request(&mut clients, VICTIM_OS, VICTIM_SPACE, VICTIM_LOOP, schedule(100)), Ok(()));
        assert_eq!(clients[0].unwrap().schedule, schedule(100));
        assert_eq!(clients[0].unwrap().generated, 42, "ticks counted so far are kept");
        // A thread of the domain that is not a client yet registers only itself.
        assert_eq!(request(&mut clients, VICTIM_OS, VICTIM_SPACE, 0x1009, schedule(100)), Err(PV_ERR_INVALID_THREAD));
        assert_eq!(request(&mut clients, ATTACKER, ATTACKER_SPACE, ATTACKER, schedule(100)), Ok(()));
        assert_eq!(query(&clients, ATTACKER_SPACE, ATTACKER), Ok(0));
    }

    #[test]
    fn a_domain_holds_one_slot_whatever_its_threads_ask() {
        let mut clients = [None; 4];
        for thread in 0..10 {
            let sender = 0x1010 + thread;
            assert_eq!(request(&mut clients, sender, ATTACKER_SPACE, sender, schedule(100)), Ok(()));
        }
        assert_eq!(clients.iter().flatten().count(), 1, "{clients:?}");
        assert_eq!(query(&clients, ATTACKER_SPACE, 0x1019), Ok(0), "the newest registration holds it");
        // The other domains still find free slots.
        assert_eq!(request(&mut clients, VICTIM_LOOP, VICTIM_SPACE, VICTIM_LOOP, schedule(1000)), Ok(()));
    }

    #[test]
    fn clients_are_limited_by_the_slots() {
        let mut clients = [None; 1];
        assert_eq!(request(&mut clients, 0x1001, 2, 0x1001, schedule(10)), Ok(()));
        assert_eq!(request(&mut clients, 0x1002, 3, 0x1002, schedule(10)), Err(PV_ERR_NO_RESOURCES));
    }

    /// QEMU's counter: 62,500 counts per tick at 1000 Hz.
    const PERIOD: u64 = 62_500;

    #[test]
    fn a_client_that_never_receives_delays_nobody_and_loses_no_tick() {
        let mut clients = [None; 4];
        assert_eq!(request(&mut clients, VICTIM_LOOP, VICTIM_SPACE, VICTIM_LOOP, schedule(1000)), Ok(()));
        assert_eq!(request(&mut clients, ATTACKER, ATTACKER_SPACE, ATTACKER, schedule(1000)), Ok(()));
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
        assert_eq!(query(&clients, VICTIM_SPACE, VICTIM_LOOP), Ok(1000));
        // A late interrupt: all the ticks that fell due are counted, one notification.
        let mut calls = 0;
        expire(&mut clients, 1010 * PERIOD + 1, &mut |_| {
            calls += 1;
            PV_OK
        });
        assert_eq!((calls, query(&clients, VICTIM_SPACE, VICTIM_LOOP)), (2, Ok(1010)));
        // The client keeps the same schedule and counts the same ticks itself.
        let mut own = schedule(1000);
        assert_eq!(own.advance(1010 * PERIOD + 1), 1010);
        // Before the next deadline: nobody is notified.
        expire(&mut clients, 1010 * PERIOD + 2, &mut |_| panic!("no tick is due"));
    }

    #[test]
    fn a_client_whose_thread_is_gone_loses_its_slot() {
        let mut clients = [None; 4];
        assert_eq!(request(&mut clients, VICTIM_LOOP, VICTIM_SPACE, VICTIM_LOOP, schedule(1000)), Ok(()));
        assert_eq!(request(&mut clients, ATTACKER, ATTACKER_SPACE, ATTACKER, schedule(1000)), Ok(()));
        expire(&mut clients, PERIOD, &mut |thread| if thread == ATTACKER { PV_ERR_INVALID_THREAD } else { PV_OK });
        assert_eq!(query(&clients, ATTACKER_SPACE, ATTACKER), Err(PV_ERR_INVALID_THREAD));
        assert_eq!(query(&clients, VICTIM_SPACE, VICTIM_LOOP), Ok(1));
    }
}
