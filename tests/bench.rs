// SPDX-License-Identifier: MIT OR Apache-2.0
//! The benchmark regression gate: boots the kernel's and the guest's
//! benchmark images (`xtask::bench`, the same builds and QEMU runs as `cargo
//! xtask bench`, without the native baseline) and fails when a figure's median
//! exceeds its limit. The counts are exact instructions (PMCCNTR under
//! `-icount shift=0`), the same on every run, so a limit is a hard line.

use std::collections::BTreeMap;
use std::path::PathBuf;
use xtask::bench::{Image, Sample};

/// The limits, in instructions: today's medians (measured on 2026-12-01
/// after the trap entry into Rust, the one-core kernel cell, LTO, the
/// kernel-owned direct tick and the port's C-free task switch: null call 206,
/// yield 380, IPC 655 / 655, kernel tick 282, virtual tick paper 4,028 and
/// direct 1,469, IRQ → OSTimeTick paper 3,864 and direct 1,306; after kept
/// translations of the guest's words, the lean IRQ entry and the port's
/// leaner dispatch: kernel tick 187, virtual tick direct 631, IRQ →
/// OSTimeTick direct 469; the paper path with v_timer and Interrupt_loop one
/// kernel entry each per tick (`PV_SYS_NOTIFY`'s receive phase): 3,083 and
/// 2,919 before the lean IRQ entry) plus a small
/// margin (about 5 %), so that a regression fails. Where issue 12's target
/// (the second number) is met — the µC/OS-II switch (198) and the critical
/// section (8) — the limit is the target itself. Each other limit moves down
/// to its target as the remaining fast paths land (an assembly fastpath entry
/// and a leaner address-space switch for IPC, null call and yield; cached
/// translations of the guest's virtual-interrupt words and a cheaper guest
/// entry for the direct tick; the v_timer leg of the paper path).
const LIMITS: &[(&str, u64, u64)] = &[
    // (key, limit today, issue 12's target)
    // Answered in place on the system-call fastpath (84, 123): at the targets.
    ("null_syscall", 100, 100),
    ("yield", 200, 200),
    // Register-only trap sequences on both sides, as sel4bench (566 / 544).
    ("ipc_call_reply_0w", 591, 250),
    ("ipc_call_reply_8w", 571, 350),
    ("kernel_tick", 196, 100),
    ("ucos_switch_oneway", 200, 200),
    ("critical_section", 9, 9),
    ("virtual_tick_paper", 3237, 1500),
    ("irq_to_ostimetick_paper", 3065, 1000),
    // The kernel-direct path (examples/bench_ucos_direct).
    ("virtual_tick_direct", 663, 500),
    ("irq_to_ostimetick_direct", 492, 150),
];

/// Every figure of `figures` over its limit, one line each.
fn over_limits(figures: &BTreeMap<String, Sample>, limits: &[(&str, u64, u64)]) -> Vec<String> {
    limits
        .iter()
        .filter_map(|&(key, limit, target)| match figures.get(key) {
            None => Some(format!("{key}: not measured")),
            Some(sample) if sample.median > limit => {
                Some(format!("{key}: median {} instructions > limit {limit} (target {target})", sample.median))
            }
            Some(_) => None,
        })
        .collect()
}

#[test]
fn no_benchmark_figure_exceeds_its_limit() {
    let sdk = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let figures = xtask::bench::measure_images(&sdk, &[Image::Kernel, Image::GuestDirect, Image::Guest])
        .unwrap_or_else(|error| panic!("{error}"));
    for (key, sample) in &figures {
        println!("{key}: median {} min {} max {} ({} samples)", sample.median, sample.min, sample.max, sample.samples);
        assert!(sample.samples >= xtask::bench::SAMPLES, "{key}: only {} samples", sample.samples);
    }
    let over = over_limits(&figures, LIMITS);
    assert!(over.is_empty(), "benchmark figures over their limits:\n{}", over.join("\n"));
}

#[test]
fn the_gate_fails_a_figure_over_its_limit() {
    let sample = Sample { median: 401, min: 400, max: 900, samples: 1000 };
    let figures = BTreeMap::from([("null_syscall".to_owned(), sample)]);
    assert!(over_limits(&figures, &[("null_syscall", 401, 100)]).is_empty());
    assert_eq!(
        over_limits(&figures, &[("null_syscall", 400, 100)]),
        ["null_syscall: median 401 instructions > limit 400 (target 100)"]
    );
    assert_eq!(over_limits(&BTreeMap::new(), &[("yield", 1, 1)]), ["yield: not measured"]);
}
