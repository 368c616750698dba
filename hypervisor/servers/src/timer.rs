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

use paravirt_api::tick::TickSchedule;
use paravirt_api::*;

/// One client: the thread v_timer notifies and its tick accounting.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Client {
    /// The thread that receives `PV_LABEL_TIMER_TICK` messages.
    pub notify: PvThreadId,
    /// The domain (space) that registered it.
    pub space: u32,
    /// When its ticks fall due.
    pub schedule: TickSchedule,
    /// Ticks generated for it so far.
    pub generated: u32,
    /// Ticks generated but not yet delivered.
    pub owed: u32,
}

/// `PV_TIMER_REQUEST_RATE` from thread `sender` of domain `sender_space`:
/// ticks on `schedule` for `notify`. `notify` must be the sender itself or a
/// client the sender's domain registered (its schedule is replaced, its owed
/// ticks kept); anything else is `PV_ERR_INVALID_THREAD`. A domain has at
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
    let fresh = Client { notify, space: sender_space, schedule, generated: 0, owed: 0 };
    if let Some(slot) = clients.iter_mut().find(|c| c.is_some_and(|c| c.space == sender_space)) {
        *slot = Some(fresh);
        return Ok(());
    }
    let slot = clients.iter_mut().find(|c| c.is_none()).ok_or(PV_ERR_NO_RESOURCES)?;
    *slot = Some(fresh);
    Ok(())
}

/// `PV_TIMER_QUERY` from domain `sender_space` for client `notify`: (ticks
/// generated, not yet delivered), only for a client of the sender's own
/// domain; anything else (another domain's client, no client) is
/// `PV_ERR_INVALID_THREAD`.
pub fn query(clients: &[Option<Client>], sender_space: u32, notify: PvThreadId) -> Result<(u32, u32), u32> {
    clients
        .iter()
        .flatten()
        .find(|c| c.notify == notify && c.space == sender_space)
        .map(|c| (c.generated, c.owed))
        .ok_or(PV_ERR_INVALID_THREAD)
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
        assert_eq!(query(&clients, VICTIM_SPACE, VICTIM_LOOP), Ok((42, 0)));
        assert_eq!(request(&mut clients, VICTIM_OS, VICTIM_SPACE, VICTIM_LOOP, schedule(100)), Ok(()));
        assert_eq!(clients[0].unwrap().schedule, schedule(100));
        assert_eq!(clients[0].unwrap().generated, 42, "ticks counted so far are kept");
        // A thread of the domain that is not a client yet registers only itself.
        assert_eq!(request(&mut clients, VICTIM_OS, VICTIM_SPACE, 0x1009, schedule(100)), Err(PV_ERR_INVALID_THREAD));
        assert_eq!(request(&mut clients, ATTACKER, ATTACKER_SPACE, ATTACKER, schedule(100)), Ok(()));
        assert_eq!(query(&clients, ATTACKER_SPACE, ATTACKER), Ok((0, 0)));
    }

    #[test]
    fn a_domain_holds_one_slot_whatever_its_threads_ask() {
        let mut clients = [None; 4];
        for thread in 0..10 {
            let sender = 0x1010 + thread;
            assert_eq!(request(&mut clients, sender, ATTACKER_SPACE, sender, schedule(100)), Ok(()));
        }
        assert_eq!(clients.iter().flatten().count(), 1, "{clients:?}");
        assert_eq!(query(&clients, ATTACKER_SPACE, 0x1019), Ok((0, 0)), "the newest registration holds it");
        // The other domains still find free slots.
        assert_eq!(request(&mut clients, VICTIM_LOOP, VICTIM_SPACE, VICTIM_LOOP, schedule(1000)), Ok(()));
    }

    #[test]
    fn clients_are_limited_by_the_slots() {
        let mut clients = [None; 1];
        assert_eq!(request(&mut clients, 0x1001, 2, 0x1001, schedule(10)), Ok(()));
        assert_eq!(request(&mut clients, 0x1002, 3, 0x1002, schedule(10)), Err(PV_ERR_NO_RESOURCES));
    }
}
