// SPDX-License-Identifier: MIT OR Apache-2.0
//! The arithmetic of `v_timer`'s periodic tick, kept here (it builds and is
//! tested on the host) so that the server and the protocol share one definition.
//!
//! A client asks for a rate in ticks per second (`PV_TIMER_REQUEST_RATE`). The
//! generic-timer counter runs at `frequency` Hz, which a rate need not divide
//! (62.5 MHz / 1024 Hz = 61,035.156 25 counts per tick), so no whole-count period
//! is exact. Instead every deadline is computed from the tick number:
//!
//! ```text
//! deadline(n) = start + ceil(n × frequency / rate)        n = 1, 2, 3, ...
//! ```
//!
//! which is the first counter value at or after the exact instant of tick `n`.
//! Each deadline is off by less than one counter tick and the error never
//! accumulates: at any counter value `now` the ticks due are exactly
//! `floor((now - start) × rate / frequency)`, the count a hardware BSP would
//! see. The product `n × frequency` would overflow 64 bits after about 2³²
//! ticks, so the schedule carries the fraction instead (the quotient and
//! remainder of `frequency / rate`, added once per tick), which is the same
//! value for every `n` and needs no multiplication or division per tick.

use crate::PV_TIMER_RATE_MAX;

// The system serves the rate of a 32.768 kHz clock crystal.
const _: () = assert!(PV_TIMER_RATE_MAX >= 32_768, "v_timer must serve 32,768 ticks per second");

/// `dividend / divisor` (0 for a divisor of 0), by binary long division: 64
/// steps of shift, compare and subtract.
///
/// Hand-written because on a 32-bit target a `u64` division is a call into
/// compiler_builtins' general 64-bit routines (about 1.2 KiB), which the
/// microkernel would carry for two rare divisions only (a schedule far
/// behind, the system clock); this is a few dozen bytes and, where it runs,
/// a few hundred instructions.
#[inline(never)]
pub const fn divide(dividend: u64, divisor: u32) -> u64 {
    if divisor == 0 {
        return 0;
    }
    let divisor = divisor as u64;
    let (mut quotient, mut remainder) = (0u64, 0u64);
    let mut bit = 64;
    while bit > 0 {
        bit -= 1;
        // `remainder` < `divisor` < 2^32 before the shift: no bit is lost.
        remainder = (remainder << 1) | ((dividend >> bit) & 1);
        if remainder >= divisor {
            remainder -= divisor;
            quotient |= 1 << bit;
        }
    }
    quotient
}

/// The highest rate `v_timer` serves on a counter running at `frequency` Hz:
/// `PV_TIMER_RATE_MAX`, or the counter frequency if that is lower (a tick
/// period of at least one counter tick).
pub const fn highest_rate(frequency: u32) -> u32 {
    if frequency < PV_TIMER_RATE_MAX { frequency } else { PV_TIMER_RATE_MAX }
}

/// The deadlines of one client's periodic tick (see the module documentation).
///
/// It holds the next tick's deadline ready, so that the check made at every
/// interrupt — is a tick due? — is one comparison, and passing a tick is a
/// few additions: no multiplication and no division per tick.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TickSchedule {
    /// Ticks per second.
    rate: u32,
    /// Counter frequency in Hz.
    frequency: u32,
    /// `frequency / rate`: whole counts per tick.
    whole: u32,
    /// `frequency % rate`: the fraction of a count per tick, in 1/rate counts.
    remainder: u32,
    /// `(n × frequency) mod rate` for the next tick `n`: its floor lacks
    /// `fraction / rate` counts.
    fraction: u32,
    /// `start + floor(n × frequency / rate)` for the next tick `n`.
    floor: u64,
    /// The next tick's deadline: `floor`, plus one if `fraction` is not 0.
    deadline: u64,
}

impl TickSchedule {
    /// A schedule whose next deadline is `u64::MAX`, the counter value never
    /// reached: a placeholder that is never due (a holder of schedules sorted
    /// by deadline may keep it past its last one, so that "is the first one
    /// due?" needs no count). [`TickSchedule::advance`] on it returns 0.
    /// (A function, not an associated constant, which would put the type
    /// into the C header.)
    pub const fn never() -> Self {
        Self { rate: 1, frequency: 1, whole: 1, remainder: 0, fraction: 0, floor: u64::MAX, deadline: u64::MAX }
    }

    /// A schedule of `rate` ticks per second on a counter at `frequency` Hz whose
    /// tick 0 is at counter value `start`. `None` unless `1 <= rate <=
    /// highest_rate(frequency)`.
    pub const fn new(start: u64, frequency: u32, rate: u32) -> Option<Self> {
        if rate == 0 || rate > highest_rate(frequency) {
            return None;
        }
        // [`divide`]: no division routine in the kernel for this rare call.
        let whole = divide(frequency as u64, rate) as u32;
        let mut schedule = Self {
            rate,
            frequency,
            whole,
            remainder: frequency - whole * rate,
            fraction: 0,
            floor: start,
            deadline: start,
        };
        // Tick 0 is the start itself: the first deadline is tick 1's.
        schedule.step();
        Some(schedule)
    }

    /// Ticks per second.
    pub const fn rate(&self) -> u32 {
        self.rate
    }

    /// Passes the next tick: the one after it becomes the next.
    #[inline(always)]
    const fn step(&mut self) {
        self.floor += self.whole as u64;
        self.fraction += self.remainder;
        if self.fraction >= self.rate {
            self.floor += 1;
            self.fraction -= self.rate;
        }
        self.deadline = self.floor + (self.fraction != 0) as u64;
    }

    /// Counter value at which the next tick is due: the first value at or after
    /// its exact instant.
    #[inline(always)]
    pub const fn next_deadline(&self) -> u64 {
        self.deadline
    }

    /// Passes every tick due at counter value `now` and returns how many that
    /// was (saturating at `u32::MAX`); 0 before the next deadline. A caller that
    /// calls late gets every tick it missed, none lost and none doubled.
    #[inline]
    pub fn advance(&mut self, now: u64) -> u32 {
        if now < self.deadline {
            // Before the next deadline: the common case of a check, one comparison.
            return 0;
        }
        // The common case of a delivery: exactly one tick due, passed inline.
        self.pass_due(now)
    }

    /// [`TickSchedule::advance`] for a caller that knows a tick is due
    /// (`now >= next_deadline()`, which it has just compared): passes it and
    /// every further tick due at `now`, and returns how many that was (at
    /// least 1), without comparing again.
    #[inline(always)]
    pub fn pass_due(&mut self, now: u64) -> u32 {
        debug_assert!(now >= self.deadline, "pass_due before the next deadline");
        self.step();
        if now < self.deadline {
            return 1;
        }
        self.advance_due(now).saturating_add(1)
    }

    /// [`TickSchedule::advance`] when at least one more tick is due.
    #[inline(never)]
    fn advance_due(&mut self, now: u64) -> u32 {
        let mut due: u64 = 0;
        // Far behind: every `rate` ticks advance the schedule by exactly
        // `frequency` counts with the same fraction, so skip whole seconds at once.
        // (A division only then: a tick delivered a little late, the usual
        // case, costs none.) The next deadline stays at or before `now`.
        let behind = now - self.deadline;
        if behind >= u64::from(self.frequency) {
            let seconds = divide(behind, self.frequency);
            let counts = seconds * u64::from(self.frequency);
            self.floor += counts;
            self.deadline += counts;
            due += seconds * u64::from(self.rate);
        }
        // Each due tick passed once; the first one not due stays the next.
        loop {
            due += 1;
            self.step();
            if now < self.deadline {
                break;
            }
        }
        u32::try_from(due).unwrap_or(u32::MAX)
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn divide_is_the_u64_division() {
        let dividends = [0u64, 1, 999, 62_500_000, 62_500_001, 1 << 40, u64::MAX - 1, u64::MAX];
        for divisor in [1u32, 3, 1000, 32_768, 62_500, 62_500_000, u32::MAX] {
            for dividend in dividends {
                assert_eq!(super::divide(dividend, divisor), dividend / u64::from(divisor), "{dividend} / {divisor}");
            }
        }
        assert_eq!(super::divide(5, 0), 0);
    }

    extern crate std;
    use super::*;
    use std::vec::Vec;

    /// QEMU `virt`'s generic-timer frequency.
    const QEMU: u32 = 62_500_000;
    /// The rates the tick must be exact at.
    const RATES: [u32; 5] = [100, 1000, 1024, 10_000, 32_768];
    const MILLION: u64 = 1_000_000;

    /// The reference: ticks due by counter value `now`, by the definition
    /// (128-bit, so it cannot overflow).
    fn ticks_due(start: u64, frequency: u32, rate: u32, now: u64) -> u64 {
        ((u128::from(now - start) * u128::from(rate)) / u128::from(frequency)) as u64
    }

    /// Deadlines of the first `count` ticks.
    fn deadlines(schedule: &mut TickSchedule, count: u64) -> Vec<u64> {
        (0..count)
            .map(|_| {
                let deadline = schedule.next_deadline();
                assert_eq!(schedule.advance(deadline - 1), 0, "a tick came before its deadline {deadline}");
                assert_eq!(schedule.advance(deadline), 1, "the tick due at {deadline} did not come");
                deadline
            })
            .collect()
    }

    /// Over 10⁶ ticks at every required rate the counter-derived count equals
    /// the tick count exactly: at each deadline it is `n`, one count earlier
    /// `n - 1`. That is, the long-run rate is exact and no rounding accumulates.
    #[test]
    fn a_million_ticks_match_the_counter_at_every_rate() {
        for frequency in [QEMU, 24_000_000, 19_200_000, 1_000_000_000, 32_768] {
            for rate in RATES.into_iter().filter(|&r| r <= highest_rate(frequency)) {
                let start = 0x1234_5678_9ABC;
                let mut schedule = TickSchedule::new(start, frequency, rate).expect("served rate");
                let mut previous = start;
                for (index, deadline) in deadlines(&mut schedule, MILLION).into_iter().enumerate() {
                    let n = index as u64 + 1;
                    assert_eq!(ticks_due(start, frequency, rate, deadline), n, "{rate} Hz at {frequency} Hz");
                    assert_eq!(ticks_due(start, frequency, rate, deadline - 1), n - 1, "{rate} Hz at {frequency} Hz");
                    assert!(deadline > previous, "deadlines must increase");
                    previous = deadline;
                }
                let drift = drift_ppm(start, frequency, rate, previous, MILLION);
                assert_eq!(drift, 0.0, "{rate} Hz at {frequency} Hz");
            }
        }
    }

    /// How fast (positive) or slow a guest clock runs that counts `ticks` ticks
    /// by counter value `end`, against the counter, in parts per million.
    fn drift_ppm(start: u64, frequency: u32, rate: u32, end: u64, ticks: u64) -> f64 {
        let derived = ticks_due(start, frequency, rate, end);
        (ticks as f64 - derived as f64) / derived as f64 * 1e6
    }

    /// The old protocol (ABI 1) sent the period in whole microseconds, and
    /// v_timer refused periods under 100 µs. This is its arithmetic, for the
    /// comparison in `microsecond_periods_drifted`.
    fn old_period(frequency: u32, rate: u32) -> Option<u64> {
        let period_us = 1_000_000 / rate;
        let period = u64::from(period_us) * u64::from(frequency) / 1_000_000;
        (period_us >= 100 && period != 0).then_some(period)
    }

    /// The microsecond period drifted wherever the rate does not divide 10⁶
    /// (+576 ppm at 1024 Hz: 5.8 ticks early after 10⁴ ticks) and had no tick at
    /// all above 10 kHz; the same million-tick check that the exact schedule
    /// passes fails there. (The numbers are in the report printed with
    /// `cargo test -p paravirt-api -- --nocapture`.)
    #[test]
    fn microsecond_periods_drifted() {
        let mut report = std::string::String::new();
        for rate in RATES {
            let new = {
                let mut schedule = TickSchedule::new(0, QEMU, rate).unwrap();
                let end = *deadlines(&mut schedule, MILLION).last().unwrap();
                drift_ppm(0, QEMU, rate, end, MILLION)
            };
            let old = old_period(QEMU, rate).map(|period| drift_ppm(0, QEMU, rate, period * MILLION, MILLION));
            let old_text = match old {
                Some(ppm) => std::format!("{ppm:+.1} ppm"),
                None => "refused (no tick)".into(),
            };
            report += &std::format!("{rate:>6} Hz: µs period {old_text:>18}, exact schedule {new:+.1} ppm\n");
            assert_eq!(new, 0.0);
            match rate {
                1024 => assert!((old.unwrap() - 576.0).abs() < 1.0, "{old:?}"),
                32_768 => assert_eq!(old, None),
                _ => assert_eq!(old, Some(0.0)),
            }
        }
        // Had v_timer accepted 32,768 Hz, the 30 µs period would run 1.7 % fast.
        let unchecked = 30 * u64::from(QEMU) / 1_000_000;
        let ppm = drift_ppm(0, QEMU, 32_768, unchecked * MILLION, MILLION);
        report += &std::format!("32768 Hz with the 100 µs floor lifted: {ppm:+.1} ppm\n");
        assert!(ppm > 17_000.0, "{ppm}");
        std::println!("{report}");
    }

    #[test]
    fn a_late_caller_gets_every_tick_it_missed() {
        for rate in RATES {
            let start = 5_000;
            let mut schedule = TickSchedule::new(start, QEMU, rate).unwrap();
            let mut total = 0u64;
            // Irregular, sometimes long gaps between interrupts (up to 3.7 s).
            let mut now = start;
            for step in 0..2_000u64 {
                now += (step * 7_919 + 13) % 4_000_000 + if step % 97 == 0 { 230_000_000 } else { 0 };
                total += u64::from(schedule.advance(now));
                assert_eq!(total, ticks_due(start, QEMU, rate, now), "{rate} Hz at {now}");
                assert!(schedule.next_deadline() > now);
                assert_eq!(schedule.advance(now), 0, "a second call at the same instant owes nothing");
            }
        }
    }

    #[test]
    fn passing_what_is_due_equals_advancing() {
        for rate in RATES {
            let mut schedule = TickSchedule::new(5_000, QEMU, rate).unwrap();
            let mut now = 5_000;
            for step in 0..2_000u64 {
                now += (step * 7_919 + 13) % 4_000_000 + if step % 89 == 0 { 130_000_000 } else { 0 };
                let mut advanced = schedule;
                let due = advanced.advance(now);
                if due > 0 {
                    assert_eq!(schedule.pass_due(now), due, "{rate} Hz at {now}");
                }
                assert_eq!(schedule, advanced, "{rate} Hz at {now}");
            }
        }
    }

    #[test]
    fn skipping_whole_seconds_equals_stepping() {
        let start = 77;
        let mut jumped = TickSchedule::new(start, QEMU, 1024).unwrap();
        let mut stepped = jumped;
        let now = start + 10 * u64::from(QEMU) + 12_345;
        assert_eq!(u64::from(jumped.advance(now)), ticks_due(start, QEMU, 1024, now));
        let mut count = 0;
        while stepped.next_deadline() <= now {
            count += stepped.advance(stepped.next_deadline());
        }
        assert_eq!(count, 10 * 1024);
        assert_eq!(jumped, stepped);
    }

    #[test]
    fn rates_outside_the_served_range_are_refused() {
        assert_eq!(TickSchedule::new(0, QEMU, 0), None);
        assert_eq!(TickSchedule::new(0, QEMU, PV_TIMER_RATE_MAX + 1), None);
        assert!(TickSchedule::new(0, QEMU, PV_TIMER_RATE_MAX).is_some());
        assert!(TickSchedule::new(0, QEMU, 1).is_some());
        // A slow counter cannot tick faster than itself.
        assert_eq!(highest_rate(10_000), 10_000);
        assert_eq!(TickSchedule::new(0, 10_000, 10_001), None);
        assert_eq!(highest_rate(QEMU), PV_TIMER_RATE_MAX);
    }

    #[test]
    fn deadlines_are_the_first_count_at_or_after_the_exact_instant() {
        // 62.5 MHz / 1024 Hz = 61,035.156 25 counts: 61,036 for tick 1, ...
        let mut schedule = TickSchedule::new(0, QEMU, 1024).unwrap();
        assert_eq!(deadlines(&mut schedule, 4), [61_036, 122_071, 183_106, 244_141]);
        // ... and tick 64 is exactly at 3,906,250 counts (1/16 s).
        let mut schedule = TickSchedule::new(0, QEMU, 1024).unwrap();
        assert_eq!(deadlines(&mut schedule, 64)[63], 3_906_250);
        // A rate that divides the frequency has a whole-count period.
        let mut schedule = TickSchedule::new(10, QEMU, 1000).unwrap();
        assert_eq!(deadlines(&mut schedule, 3), [62_510, 125_010, 187_510]);
    }
}
