// SPDX-License-Identifier: MIT OR Apache-2.0
//! Fixed-priority preemption and round-robin: a higher-priority receiver runs
//! before its sender continues, a lower-priority thread runs only when the root
//! blocks, and an equal-priority spinner gets the CPU when the timeslice ends,
//! also while a higher-priority thread preempts every millisecond (a preempted
//! thread keeps only the rest of its timeslice).
#![no_std]
#![no_main]

use core::sync::atomic::{AtomicU32, Ordering};
use paravirt_api::*;
use user_programs::*;

static CHECKS: Checks = Checks::new();
static TRACE: [AtomicU32; 8] = [const { AtomicU32::new(0) }; 8];
static TRACE_LENGTH: AtomicU32 = AtomicU32::new(0);
static LOW_COUNT: AtomicU32 = AtomicU32::new(0);
static PEER_COUNT: AtomicU32 = AtomicU32::new(0);
static HIGH_STACK: Stack<8192> = Stack::new();
static LOW_STACK: Stack<8192> = Stack::new();
static PEER_STACK: Stack<8192> = Stack::new();
static LATE_PEER_COUNT: AtomicU32 = AtomicU32::new(0);
static TICKER_COUNT: AtomicU32 = AtomicU32::new(0);
static LATE_PEER_STACK: Stack<8192> = Stack::new();
static TICKER_STACK: Stack<8192> = Stack::new();

fn trace(event: u32) {
    let slot = TRACE_LENGTH.fetch_add(1, Ordering::SeqCst) as usize;
    if let Some(entry) = TRACE.get(slot) {
        entry.store(event, Ordering::SeqCst);
    }
}

extern "C" fn high() -> ! {
    loop {
        let (result, _, _) = receive(PV_ANY_THREAD, PV_TIMEOUT_NEVER);
        if result == PV_OK {
            trace(2);
        }
    }
}

extern "C" fn low() -> ! {
    loop {
        LOW_COUNT.fetch_add(1, Ordering::Relaxed);
    }
}

extern "C" fn peer() -> ! {
    loop {
        PEER_COUNT.fetch_add(1, Ordering::Relaxed);
    }
}

extern "C" fn late_peer() -> ! {
    loop {
        LATE_PEER_COUNT.fetch_add(1, Ordering::Relaxed);
    }
}

/// Wakes every kernel tick (1 ms), like a device server taking its interrupt.
extern "C" fn ticker() -> ! {
    loop {
        sleep(1);
        TICKER_COUNT.fetch_add(1, Ordering::Relaxed);
    }
}

#[unsafe(no_mangle)]
extern "C" fn main() -> i32 {
    let high = spawn(my_space(), 150, PV_NIL_THREAD, high, HIGH_STACK.top());
    spawn(my_space(), 50, PV_NIL_THREAD, low, LOW_STACK.top());
    trace(1);
    let result = send(high, &[42]);
    trace(3);
    let order: [u32; 3] = core::array::from_fn(|i| TRACE[i].load(Ordering::SeqCst));
    check!(
        CHECKS,
        result == PV_OK && order == [1, 2, 3],
        "ordered trace {order:?}: the higher-priority receiver ran before the sender continued"
    );

    let mut spins = 0u32;
    for _ in 0..200_000 {
        spins = core::hint::black_box(spins + 1);
    }
    check!(
        CHECKS,
        LOW_COUNT.load(Ordering::Relaxed) == 0,
        "a priority-50 thread does not run while the priority-100 root is ready"
    );
    sleep(20);
    check!(
        CHECKS,
        LOW_COUNT.load(Ordering::Relaxed) > 0,
        "it runs once the root blocks (count {})",
        LOW_COUNT.load(Ordering::Relaxed)
    );

    spawn(my_space(), 100, PV_NIL_THREAD, peer, PEER_STACK.top());
    let start = pv_system_clock();
    while PEER_COUNT.load(Ordering::Relaxed) == 0 && pv_system_clock() - start < 2_000_000 {}
    let waited = pv_system_clock() - start;
    check!(
        CHECKS,
        PEER_COUNT.load(Ordering::Relaxed) > 0,
        "round robin: the equal-priority spinner ran after {waited} us of root spinning"
    );

    // A priority-200 thread now preempts every millisecond; the root and the
    // first spinner still spin at 100; a second spinner there must get its turn.
    spawn(my_space(), 200, PV_NIL_THREAD, ticker, TICKER_STACK.top());
    spawn(my_space(), 100, PV_NIL_THREAD, late_peer, LATE_PEER_STACK.top());
    let start = pv_system_clock();
    while LATE_PEER_COUNT.load(Ordering::Relaxed) == 0 && pv_system_clock() - start < 1_000_000 {}
    let waited = pv_system_clock() - start;
    let ticks = TICKER_COUNT.load(Ordering::Relaxed);
    check!(
        CHECKS,
        LATE_PEER_COUNT.load(Ordering::Relaxed) > 0 && ticks > 0 && waited < 100_000,
        "round robin under preemption: the new spinner ran after {waited} us while a priority-200 thread woke {ticks} times"
    );
    CHECKS.finish()
}
