// SPDX-License-Identifier: MIT OR Apache-2.0
//! The root server's decisions: what a guest's fault leads to (its
//! `on_fault` policy and the restart-rate bound), when the system is finished
//! and with which exit code, which requests it refuses, and the authority each
//! domain gets from the kernel (`PV_SPACE_CONFIGURE`: whom its threads may
//! name, its priority ceiling, the timer).

use paravirt_api::*;

/// Exit code of a guest that faulted (or could not be started), and of a
/// system shut down by a guest's `on_fault` shutdown policy.
pub const EXIT_FAULT: u32 = 3;
/// The window over which restarts are counted against `restart_limit`, µs.
pub const RESTART_WINDOW_US: u64 = 60_000_000;
/// Most threads one guest may have: the largest `PvGuestConfig::threads`
/// (the root server's table of a guest's threads has this many slots; a
/// guest may use as many as its description's `threads` says).
pub const GUEST_MAX_THREADS: usize = PV_GUEST_THREADS_MAX as usize;

/// What the guests of a description take from the kernel's fixed pools at
/// most, all of them running at once.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Demand {
    /// Threads: the sum of the guests' `threads`.
    pub threads: u32,
    /// Address spaces: one per guest.
    pub spaces: u32,
    /// Second-level page tables: each guest's image and stack (see
    /// `memory::l2_tables_for`).
    pub l2_tables: u32,
}

/// A pool of the kernel too small for the guests of a description.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Shortage {
    /// The pool: "threads", "address spaces", "second-level page tables".
    pub pool: &'static str,
    /// What the guests take together.
    pub needed: u32,
    /// What the kernel has left of it for the guests.
    pub left: u32,
}

impl core::fmt::Display for Shortage {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        write!(
            f,
            "the guests together need {} {}, more than the kernel has left for them ({}): a guest could find the \
             kernel's pool empty because of another",
            self.needed, self.pool, self.left
        )
    }
}

/// Checks that the guests' `demand` fits what is left of the kernel's pools
/// (`info`, read once the root server and the device servers are up), so
/// that every guest can always have all its quota whatever the others do.
pub fn pools_fit(info: &PvKernelInfo, demand: Demand) -> Result<(), Shortage> {
    let pools = [
        ("threads", demand.threads, info.threads_max.saturating_sub(info.threads_used)),
        ("address spaces", demand.spaces, info.spaces_max.saturating_sub(info.spaces_used)),
        ("second-level page tables", demand.l2_tables, info.l2_tables_max.saturating_sub(info.l2_tables_used)),
    ];
    match pools.into_iter().find(|&(_, needed, left)| needed > left) {
        Some((pool, needed, left)) => Err(Shortage { pool, needed, left }),
        None => Ok(()),
    }
}

/// Whether a guest that has `threads` threads (and a quota of `quota`) may
/// have one more: `PV_ERR_NO_RESOURCES` when it is at its quota.
pub fn thread_allowed(threads: usize, quota: u32) -> Result<(), u32> {
    if threads >= (quota as usize).min(GUEST_MAX_THREADS) { Err(PV_ERR_NO_RESOURCES) } else { Ok(()) }
}

/// What the root server does about a guest's fault.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FaultAction {
    /// `on_fault` stop: report and leave the guest stopped.
    Stop,
    /// `on_fault` restart: reload and start it again; this is its restart
    /// number `restart` since boot.
    Restart {
        /// Restarts since boot, this one included.
        restart: u32,
    },
    /// `on_fault` restart, but it has already restarted `restarts` times
    /// within [`RESTART_WINDOW_US`], its `restart_limit`: stop it.
    LimitReached {
        /// Restarts within the window.
        restarts: u32,
    },
    /// `on_fault` shutdown: end the whole system with [`EXIT_FAULT`].
    Shutdown,
}

/// The restarts of one guest: when the recent ones happened (system clock,
/// µs) and how many there were since boot.
#[derive(Clone, Copy, Debug)]
pub struct RestartHistory {
    recent: [u64; PV_RESTART_LIMIT_MAX as usize],
    recent_count: usize,
    total: u32,
}

impl Default for RestartHistory {
    fn default() -> Self {
        Self::new()
    }
}

impl RestartHistory {
    /// No restart yet.
    pub const fn new() -> Self {
        Self { recent: [0; PV_RESTART_LIMIT_MAX as usize], recent_count: 0, total: 0 }
    }

    /// Restarts since boot.
    pub fn total(&self) -> u32 {
        self.total
    }

    /// Decides about a fault at `now_us` of a guest with `on_fault` and
    /// `restart_limit` (at most `PV_RESTART_LIMIT_MAX`, checked with the
    /// description) and records a restart it decides on. A guest may restart
    /// `restart_limit` times within any [`RESTART_WINDOW_US`]; at the next
    /// fault inside the window it is stopped.
    pub fn on_fault(&mut self, on_fault: u32, restart_limit: u32, now_us: u64) -> FaultAction {
        match on_fault {
            PV_ON_FAULT_RESTART => {}
            PV_ON_FAULT_SHUTDOWN => return FaultAction::Shutdown,
            _ => return FaultAction::Stop,
        }
        let mut kept = 0;
        for index in 0..self.recent_count {
            if now_us.saturating_sub(self.recent[index]) < RESTART_WINDOW_US {
                self.recent[kept] = self.recent[index];
                kept += 1;
            }
        }
        self.recent_count = kept;
        let limit = (restart_limit as usize).min(self.recent.len());
        if self.recent_count >= limit {
            return FaultAction::LimitReached { restarts: self.recent_count as u32 };
        }
        self.recent[self.recent_count] = now_us;
        self.recent_count += 1;
        self.total += 1;
        FaultAction::Restart { restart: self.total }
    }
}

/// Where a guest is in its life.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum GuestState {
    /// Running (or being started).
    Running,
    /// Being cleared and reloaded after a fault.
    Restarting,
    /// Ended with this exit code.
    Exited(u32),
    /// Stopped after a fault, or never started.
    Stopped,
}

impl GuestState {
    /// Exited or stopped: it will not run again.
    pub fn finished(self) -> bool {
        matches!(self, Self::Exited(_) | Self::Stopped)
    }
}

/// The system's exit code: that of the last guest that failed — a non-zero
/// exit code, or [`EXIT_FAULT`] for a guest stopped after a fault or never
/// started — or 0 when none failed.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ExitCode {
    last_failure: Option<u32>,
}

impl ExitCode {
    /// No guest has finished yet.
    pub const fn new() -> Self {
        Self { last_failure: None }
    }

    /// A guest exited with `code`.
    pub fn exited(&mut self, code: u32) {
        if code != 0 {
            self.last_failure = Some(code);
        }
    }

    /// A guest was stopped after a fault, or could not be started.
    pub fn stopped(&mut self) {
        self.last_failure = Some(EXIT_FAULT);
    }

    /// The exit code of the system as things stand.
    pub fn code(&self) -> u32 {
        self.last_failure.unwrap_or(0)
    }
}

/// True when every guest has finished: the system shuts down.
pub fn all_finished(states: impl IntoIterator<Item = GuestState>) -> bool {
    states.into_iter().all(GuestState::finished)
}

/// The least number of words (MR0..) a root-server request must carry.
pub fn request_words(label: u32) -> usize {
    match label {
        PV_ROOT_THREAD_CREATE | PV_ROOT_MEMSECTION_CREATE | PV_ROOT_EXIT => 1,
        PV_ROOT_INTERRUPT_ASSOCIATE => 2,
        PV_ROOT_GUEST_ERROR => 4,
        _ => 0,
    }
}

/// The priority of a thread a guest asks for (`PV_ROOT_THREAD_CREATE`, its
/// message words `words`), checked against its `ceiling` (its µC/OS-II
/// priority + 1): never clamped, `PV_ERR_NO_PRIVILEGE` above the ceiling,
/// `PV_ERR_INVALID_ARGUMENT` without a priority word.
pub fn thread_priority(words: &[u32], ceiling: u32) -> Result<u32, u32> {
    match words.first() {
        None => Err(PV_ERR_INVALID_ARGUMENT),
        Some(&priority) if priority > ceiling => Err(PV_ERR_NO_PRIVILEGE),
        Some(&priority) => Ok(priority),
    }
}

/// The spaces a guest's threads may name: the root server's, the driver
/// domain's (v_timer, v_serial) and its own; no other guest's.
pub fn guest_send_mask(root_space: u32, driver_space: u32, space: u32) -> u32 {
    (1 << root_space) | (1 << driver_space) | (1 << space)
}

/// The spaces the driver domain's threads may name: the root server's, its
/// own and those of the guests it serves (`guest_spaces`, 0 for a guest
/// without a space).
pub fn driver_send_mask(root_space: u32, driver_space: u32, guest_spaces: impl IntoIterator<Item = u32>) -> u32 {
    guest_spaces
        .into_iter()
        .filter(|&space| space != 0)
        .fold((1 << root_space) | (1 << driver_space), |mask, space| mask | (1 << space))
}

/// A guest's maximum controlled priority: its band's ceiling, the priority of
/// its Interrupt_loop (its µC/OS-II thread's `priority` + 1), below the root
/// server and the device servers.
pub fn guest_max_priority(priority: u32) -> u32 {
    priority + 1
}

/// Whether a guest may have interrupt line `irq` (`PV_ROOT_INTERRUPT_ASSOCIATE`):
/// only a line its description grants (`interrupts`, shared peripheral
/// interrupts only), and never one a device server owns (`device_lines`:
/// the timer's and the UART's).
pub fn interrupt_allowed(interrupts: &[u32; 3], irq: u32, device_lines: &[u32]) -> bool {
    pv_guest_interrupt_granted(interrupts, irq) && !device_lines.contains(&irq)
}

#[cfg(test)]
mod tests {
    use super::*;

    const SECOND: u64 = 1_000_000;

    #[test]
    fn stop_and_shutdown_are_what_they_say() {
        let mut history = RestartHistory::new();
        assert_eq!(history.on_fault(PV_ON_FAULT_STOP, 5, 0), FaultAction::Stop);
        assert_eq!(history.on_fault(PV_ON_FAULT_SHUTDOWN, 5, 0), FaultAction::Shutdown);
        assert_eq!(history.total(), 0);
    }

    #[test]
    fn restarts_are_bounded_per_minute() {
        let mut history = RestartHistory::new();
        let restart = |history: &mut RestartHistory, at| history.on_fault(PV_ON_FAULT_RESTART, 2, at);
        assert_eq!(restart(&mut history, SECOND), FaultAction::Restart { restart: 1 });
        assert_eq!(restart(&mut history, 2 * SECOND), FaultAction::Restart { restart: 2 });
        // A third within the minute would be more than two: stopped.
        assert_eq!(restart(&mut history, 3 * SECOND), FaultAction::LimitReached { restarts: 2 });
        // Once the first has left the window, one more is allowed.
        assert_eq!(restart(&mut history, 61 * SECOND - 1), FaultAction::LimitReached { restarts: 2 });
        assert_eq!(restart(&mut history, 61 * SECOND), FaultAction::Restart { restart: 3 });
        assert_eq!(restart(&mut history, 61 * SECOND + 500_000), FaultAction::LimitReached { restarts: 2 });
        assert_eq!(restart(&mut history, 200 * SECOND), FaultAction::Restart { restart: 4 });
        assert_eq!(history.total(), 4);
    }

    #[test]
    fn a_limit_of_zero_never_restarts_and_the_highest_limit_is_kept_exactly() {
        let mut history = RestartHistory::new();
        assert_eq!(history.on_fault(PV_ON_FAULT_RESTART, 0, 0), FaultAction::LimitReached { restarts: 0 });
        let mut history = RestartHistory::new();
        let limit = PV_RESTART_LIMIT_MAX;
        for restart in 1..=limit {
            assert_eq!(
                history.on_fault(PV_ON_FAULT_RESTART, limit, u64::from(restart)),
                FaultAction::Restart { restart }
            );
        }
        assert_eq!(history.on_fault(PV_ON_FAULT_RESTART, limit, 100), FaultAction::LimitReached { restarts: limit });
        // A limit above what is kept count of (refused with the description) is the highest kept.
        assert_eq!(history.on_fault(PV_ON_FAULT_RESTART, 1000, 100), FaultAction::LimitReached { restarts: limit });
    }

    #[test]
    fn the_exit_code_is_the_last_failure() {
        let mut code = ExitCode::new();
        assert_eq!(code.code(), 0);
        code.exited(0);
        assert_eq!(code.code(), 0);
        code.exited(7);
        assert_eq!(code.code(), 7);
        code.stopped();
        assert_eq!(code.code(), EXIT_FAULT);
        code.exited(0);
        assert_eq!(code.code(), EXIT_FAULT, "a later success does not hide a failure");
        code.exited(78);
        assert_eq!(code.code(), 78);
    }

    #[test]
    fn the_system_finishes_when_every_guest_has() {
        use GuestState::*;
        assert!(all_finished([Exited(0), Stopped, Exited(3)]));
        assert!(!all_finished([Exited(0), Running]));
        assert!(!all_finished([Stopped, Restarting]));
    }

    #[test]
    fn thread_requests_above_the_ceiling_are_refused_not_clamped() {
        assert_eq!(thread_priority(&[50], 51), Ok(50));
        assert_eq!(thread_priority(&[51], 51), Ok(51));
        assert_eq!(thread_priority(&[0], 51), Ok(0));
        assert_eq!(thread_priority(&[52], 51), Err(PV_ERR_NO_PRIVILEGE));
        assert_eq!(thread_priority(&[0xFFFF_FFFF], 51), Err(PV_ERR_NO_PRIVILEGE));
        assert_eq!(thread_priority(&[], 51), Err(PV_ERR_INVALID_ARGUMENT));
    }

    #[test]
    fn a_guest_may_name_the_root_the_drivers_and_itself_only() {
        let (root, drivers) = (1, 2);
        assert_eq!(guest_send_mask(root, drivers, 3), 0b1110);
        assert_eq!(guest_send_mask(root, drivers, 5) & (1 << 3), 0, "not another guest");
        assert_eq!(driver_send_mask(root, drivers, [3, 0, 5]), 0b10_1110);
        assert_eq!(driver_send_mask(root, drivers, []), 0b110);
        assert_eq!(guest_max_priority(50), 51);
        assert_eq!(guest_max_priority(PV_GUEST_PRIORITY_MAX), 99, "below the root server (100)");
    }

    #[test]
    fn only_granted_shared_peripheral_interrupts_are_associated() {
        let granted = [(1 << (40 - 32)) | (1 << (33 - 32)), 0, 1 << 31];
        let devices = [27, 33];
        assert!(interrupt_allowed(&granted, 40, &devices));
        assert!(interrupt_allowed(&granted, 127, &devices));
        // The UART's line, even if a description said so; SGIs, PPIs, lines not granted.
        for irq in [33, 27, 30, 0, 15, 16, 31, 41, 128, u32::MAX] {
            assert!(!interrupt_allowed(&granted, irq, &devices), "{irq}");
        }
        assert!(!interrupt_allowed(&[u32::MAX; 3], 27, &devices), "a PPI is never a guest's");
    }

    #[test]
    fn the_guests_quotas_must_fit_the_kernel_pools() {
        let info = PvKernelInfo {
            threads_used: 3,
            threads_max: 63,
            spaces_used: 2,
            spaces_max: 15,
            l2_tables_used: 5,
            l2_tables_max: 64,
            interrupts_used: 2,
            interrupts_max: 128,
        };
        let fits = Demand { threads: 60, spaces: 13, l2_tables: 59 };
        assert_eq!(pools_fit(&info, fits), Ok(()));
        let short = |pool, needed, left| Err(Shortage { pool, needed, left });
        assert_eq!(pools_fit(&info, Demand { threads: 61, ..fits }), short("threads", 61, 60));
        assert_eq!(pools_fit(&info, Demand { spaces: 14, ..fits }), short("address spaces", 14, 13));
        assert_eq!(pools_fit(&info, Demand { l2_tables: 60, ..fits }), short("second-level page tables", 60, 59));
        let text = Shortage { pool: "threads", needed: 61, left: 60 }.to_string();
        assert!(text.starts_with("the guests together need 61 threads, more than the kernel has left for them (60)"));
    }

    #[test]
    fn a_guest_gets_threads_up_to_its_quota() {
        assert_eq!(thread_allowed(0, 2), Ok(()));
        assert_eq!(thread_allowed(1, 2), Ok(()));
        assert_eq!(thread_allowed(2, 2), Err(PV_ERR_NO_RESOURCES));
        assert_eq!(thread_allowed(3, 4), Ok(()));
        assert_eq!(thread_allowed(4, 4), Err(PV_ERR_NO_RESOURCES));
        assert_eq!(thread_allowed(GUEST_MAX_THREADS, u32::MAX), Err(PV_ERR_NO_RESOURCES), "never past the table");
    }

    #[test]
    fn requests_need_their_words() {
        assert_eq!(request_words(PV_ROOT_THREAD_CREATE), 1);
        assert_eq!(request_words(PV_ROOT_MEMSECTION_CREATE), 1);
        assert_eq!(request_words(PV_ROOT_INTERRUPT_ASSOCIATE), 2);
        assert_eq!(request_words(PV_ROOT_EXIT), 1);
        assert_eq!(request_words(PV_ROOT_GUEST_ERROR), 4);
        assert_eq!(request_words(PV_LABEL_EXCEPTION), 0);
    }
}
