// SPDX-License-Identifier: MIT OR Apache-2.0
//! The short soak: the `soak` example as built (20,000 ticks at 10 kHz for
//! each workload guest, 10,000 seeded random calls and server messages of
//! the hostile guest), booted under `-icount` and judged by the same code as
//! `cargo xtask soak` (`xtask::soak::verdict`): exact ticks, no fault, no
//! kernel panic, kernel counters at the end as after boot.

mod harness;

use harness::expect::Expectation;

#[test]
fn the_short_soak_passes() {
    let outcome = Expectation::boot_example("soak");
    match xtask::soak::verdict(&outcome.output, outcome.exit_code, xtask::soak::SHORT) {
        Ok(figures) => {
            for line in figures.workloads.iter().chain(&figures.hostile).chain(&figures.kernel_pools) {
                println!("{line}");
            }
        }
        Err(problems) => panic!("{problems}\n{}", outcome.output),
    }
}
