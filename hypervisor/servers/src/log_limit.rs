// SPDX-License-Identifier: MIT OR Apache-2.0
//! A rate limit for the servers' messages about refused requests.
//!
//! The root server and v_timer say why they refused a guest's request (a
//! thread above its ceiling, memory beyond its quota, a tick rate too high):
//! useful once, but a hostile guest can ask a million times, and every line
//! costs the server time at its priority (above every guest) and fills the
//! console. So each guest gets a token bucket: [`BURST`] lines at once, then
//! one every `1 / PER_SECOND` s; a refused request beyond that is still
//! refused, only not reported, and the next line reported says how many were
//! left out. The refusal itself never depends on the limit.
//!
//! Time is the system clock in microseconds (`pv_system_clock`); the fraction
//! of a token earned is kept, so the rate holds in the long run.

/// Lines a guest may cause at once.
pub const BURST: u32 = 8;
/// Lines per second after the burst.
pub const PER_SECOND: u64 = 4;
const MICROSECONDS_PER_TOKEN: u64 = 1_000_000 / PER_SECOND;

/// One guest's budget of refusal messages.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LogLimit {
    tokens: u32,
    /// System clock (µs) up to which tokens have been earned.
    earned_to_us: u64,
    left_out: u32,
}

impl Default for LogLimit {
    fn default() -> Self {
        Self::new()
    }
}

impl LogLimit {
    /// A full bucket.
    pub const fn new() -> Self {
        Self { tokens: BURST, earned_to_us: 0, left_out: 0 }
    }

    /// Whether a message may be printed at system clock `now_us`: `Some(n)`,
    /// with `n` the messages left out since the last one printed (to be said
    /// in this one), or `None` (counted, not printed).
    pub fn admit(&mut self, now_us: u64) -> Option<u32> {
        let earned = now_us.saturating_sub(self.earned_to_us) / MICROSECONDS_PER_TOKEN;
        if earned > 0 {
            self.tokens = (u64::from(self.tokens) + earned).min(u64::from(BURST)) as u32;
            self.earned_to_us =
                if self.tokens == BURST { now_us } else { self.earned_to_us + earned * MICROSECONDS_PER_TOKEN };
        }
        if self.tokens == 0 {
            self.left_out = self.left_out.saturating_add(1);
            return None;
        }
        self.tokens -= 1;
        Some(core::mem::take(&mut self.left_out))
    }
}

/// The words appended to a printed line when `left_out` messages before it
/// were not printed ("" when none were).
pub struct LeftOut(pub u32);

impl core::fmt::Display for LeftOut {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match self.0 {
            0 => Ok(()),
            1 => f.write_str(" (1 such message before this one left out)"),
            n => write!(f, " ({n} such messages before this one left out)"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_burst_then_the_rate_and_the_count_of_what_was_left_out() {
        let mut limit = LogLimit::new();
        let start = 5_000_000;
        for _ in 0..BURST {
            assert_eq!(limit.admit(start), Some(0));
        }
        // A million more in the same instant: none printed, all counted.
        for _ in 0..1_000_000 {
            assert_eq!(limit.admit(start), None);
        }
        // Just before a token is earned: still nothing.
        assert_eq!(limit.admit(start + MICROSECONDS_PER_TOKEN - 1), None);
        // One token: one line, saying how many were left out.
        assert_eq!(limit.admit(start + MICROSECONDS_PER_TOKEN), Some(1_000_001));
        assert_eq!(limit.admit(start + MICROSECONDS_PER_TOKEN), None);
        // The fraction is kept: 1.5 tokens later one more, half a token on.
        assert_eq!(limit.admit(start + MICROSECONDS_PER_TOKEN * 5 / 2), Some(1));
        assert_eq!(limit.admit(start + MICROSECONDS_PER_TOKEN * 3), Some(0));
    }

    #[test]
    fn a_quiet_guest_gets_its_burst_back_and_never_more() {
        let mut limit = LogLimit::new();
        for _ in 0..BURST {
            assert!(limit.admit(0).is_some());
        }
        assert_eq!(limit.admit(0), None);
        let later = 3600 * 1_000_000;
        for _ in 0..BURST {
            assert!(limit.admit(later).is_some());
        }
        assert_eq!(limit.admit(later), None);
    }

    #[test]
    fn over_a_long_run_the_rate_holds() {
        let mut limit = LogLimit::new();
        let printed = (0..10_000_000u64).step_by(1_000).filter(|&t| limit.admit(t).is_some()).count() as u64;
        // 10 s: the burst plus PER_SECOND a second.
        assert_eq!(printed, u64::from(BURST) + 10 * PER_SECOND - 1);
    }

    #[test]
    fn the_note_says_how_many() {
        assert_eq!(format!("x{}", LeftOut(0)), "x");
        assert_eq!(format!("x{}", LeftOut(1)), "x (1 such message before this one left out)");
        assert_eq!(format!("x{}", LeftOut(7)), "x (7 such messages before this one left out)");
    }
}
