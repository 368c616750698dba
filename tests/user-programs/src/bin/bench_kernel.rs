// SPDX-License-Identifier: MIT OR Apache-2.0
//! The kernel's benchmark figures, in exact instructions (the PMU cycle
//! counter, one per instruction under QEMU's `-icount shift=0`, which this
//! benchmark image lets user mode read): null system call, yield, IPC call +
//! reply-wait round trip between two spaces with 0 and 8 words, and the
//! kernel's own tick: per millisecond beside a thread alone at the top
//! priority (`kernel_tick`; the tick then stops), and one tick while a peer
//! shares the priority (`kernel_tick_shared`). The sel4bench way: the counter is read just
//! before the trap and just after the return, minus the same pair of reads
//! around nothing. The IPC round trips are measured twice:
//! `ipc_call_reply_{0,8}w` with register-only trap sequences on both sides
//! (the whole message in r0..r11 around one `svc`, `arch::call_registers`
//! against `arch::echo_registers_entry`), as sel4bench measures seL4's
//! fastpath; `ipc_call_reply_{0,8}w_pv` through the SDK's register-only stubs
//! (`pv_call_registers` against a `pv_reply_wait_registers` loop), stubs
//! included, as applications call them.
//! Each figure runs `SAMPLES` times and prints one line,
//! `bench: KEY median M min A max B samples N`, which `cargo xtask bench` and
//! `tests/bench.rs` read.
#![no_std]
#![no_main]

use paravirt_api::*;
use user_programs::arch::{RegisterCall, call_registers, cycle_counter, echo_registers_entry};
use user_programs::*;

static CHECKS: Checks = Checks::new();
static MEMORY: FreeMemory = FreeMemory::new();

/// Samples per figure.
const SAMPLES: usize = 1_000;
/// Untimed rounds before each figure (first-touch effects).
const WARM_UP: usize = 16;

/// Sorts `samples` and prints the figure's line.
fn report(key: &str, samples: &mut [u32]) {
    samples.sort_unstable();
    let (median, min, max) = (samples[samples.len() / 2], samples[0], samples[samples.len() - 1]);
    println!("bench: {key} median {median} min {min} max {max} samples {}", samples.len());
}

/// The median count between two counter reads in a row (one: the first read).
fn empty_pair() -> u32 {
    let mut empty = [0u32; SAMPLES];
    for sample in empty.iter_mut() {
        let start = cycle_counter();
        let end = cycle_counter();
        *sample = end.wrapping_sub(start);
    }
    empty.sort_unstable();
    empty[SAMPLES / 2]
}

/// Instructions of `f` alone: counter read, `f`, counter read, minus the
/// empty pair's count, `SAMPLES` times after a warm-up.
fn measure(mut f: impl FnMut()) -> [u32; SAMPLES] {
    let overhead = empty_pair();
    for _ in 0..WARM_UP {
        f();
    }
    let mut samples = [0u32; SAMPLES];
    for sample in samples.iter_mut() {
        let start = cycle_counter();
        f();
        let end = cycle_counter();
        *sample = end.wrapping_sub(start).wrapping_sub(overhead);
    }
    samples
}

/// The stub-inclusive IPC partner in the child space: replies to each call
/// with the message it got (same tag, same words), with one
/// `pv_reply_wait_registers` per round trip.
extern "C" fn echo_server() -> ! {
    let mut message = PvRegisterMessage::default();
    let mut reply_to = PV_NIL_THREAD;
    loop {
        // SAFETY: `message` is a valid local (on this thread's stack).
        let result = unsafe { pv_reply_wait_registers(reply_to, &mut message) };
        reply_to = if result == PV_OK { message.sender } else { PV_NIL_THREAD };
    }
}

/// Register-only round trips to `server` (an `echo_registers_entry` thread)
/// with `words` words, each timed around its `svc` minus `overhead` (the
/// empty pair of counter reads); counts the replies that are not the
/// message sent (result, tag, words) into `bad`.
fn register_round_trips(server: PvThreadId, words: u32, overhead: u32, bad: &mut u32) -> [u32; SAMPLES] {
    let tag = pv_tag(1, words);
    let sent: [u32; 8] = core::array::from_fn(|index| if (index as u32) < words { 0x5A00 + index as u32 } else { 0 });
    let mut samples = [0u32; SAMPLES];
    for round in 0..WARM_UP + SAMPLES {
        let mut call = RegisterCall { tag, words: sent, ..RegisterCall::default() };
        call_registers(server, &mut call);
        if call.result != PV_OK || call.tag != tag || call.words != sent {
            *bad += 1;
        }
        if round >= WARM_UP {
            samples[round - WARM_UP] = call.cycles.wrapping_sub(overhead);
        }
    }
    samples
}

/// The step of a loop that only reads the counter, without an interrupt: the
/// least difference of 64 reads in a row.
fn counter_loop_step() -> u32 {
    let mut step = u32::MAX;
    let mut last = cycle_counter();
    for _ in 0..64 {
        let now = cycle_counter();
        step = step.min(now.wrapping_sub(last));
        last = now;
    }
    step
}

/// Instructions counted in one millisecond: under `-icount shift=0` every
/// instruction takes one nanosecond of the machine's time.
const MILLISECOND: u32 = 1_000_000;

/// What the kernel's own tick takes from a thread that runs alone at the top
/// priority, per millisecond: in each of `SAMPLES` windows of a millisecond,
/// the sum of the gaps in a loop that only reads the counter, minus the
/// loop's own step. Nothing else runs and no timeout or guest tick is set,
/// so every gap is the kernel's tick (none once it stops: a thread alone
/// needs no timeslice).
fn kernel_tick() -> [u32; SAMPLES] {
    let step = counter_loop_step();
    let mut taken = [0u32; SAMPLES];
    for round in 0..WARM_UP + SAMPLES {
        let start = cycle_counter();
        let mut last = start;
        let mut sum = 0u32;
        while last.wrapping_sub(start) < MILLISECOND {
            let now = cycle_counter();
            let gap = now.wrapping_sub(last);
            if gap > step + 20 {
                sum += gap - step;
            }
            last = now;
        }
        if round >= WARM_UP {
            taken[round - WARM_UP] = sum;
        }
    }
    taken
}

/// A peer at the measuring thread's priority in `space`, which yields at
/// once whenever its timeslice comes, so that the two share the priority
/// and the kernel's tick runs.
extern "C" fn yielding_peer() -> ! {
    loop {
        pv_thread_switch(PV_NIL_THREAD);
    }
}

/// One kernel tick as a spinning thread sees it while a peer shares its
/// priority (so the tick runs): the gaps in a loop that only reads the
/// counter, minus the loop's own step, the median being a tick with no
/// switch (every `TIMESLICE` ticks the peer runs and yields back).
fn kernel_tick_shared() -> [u32; SAMPLES] {
    let mut gaps = [0u32; SAMPLES];
    let step = counter_loop_step();
    let mut found = 0;
    let mut last = cycle_counter();
    while found < SAMPLES + WARM_UP {
        let now = cycle_counter();
        let gap = now.wrapping_sub(last);
        if gap > step + 20 {
            if found >= WARM_UP {
                gaps[found - WARM_UP] = gap - step;
            }
            found += 1;
            // Restart the pair after the bookkeeping.
            last = cycle_counter();
        } else {
            last = now;
        }
    }
    gaps
}

/// Round trips to `server` (an [`echo_server`]) through `pv_call_registers`
/// with `words` words, the stub's call timed; counts the replies that are not
/// the message sent into `bad` (checked outside the timed window).
fn stub_round_trips(server: PvThreadId, words: u32, overhead: u32, bad: &mut u32) -> [u32; SAMPLES] {
    let tag = pv_tag(1, words);
    let sent: [u32; 8] = core::array::from_fn(|index| if (index as u32) < words { 0xA500 + index as u32 } else { 0 });
    let mut samples = [0u32; SAMPLES];
    for round in 0..WARM_UP + SAMPLES {
        let mut request = PvRegisterMessage { tag, mr: sent, ..PvRegisterMessage::default() };
        let start = cycle_counter();
        // SAFETY: `request` is a valid local.
        let result = unsafe { pv_call_registers(server, &mut request) };
        let end = cycle_counter();
        if result != PV_OK || request.tag != tag || request.mr != sent {
            *bad += 1;
        }
        if round >= WARM_UP {
            samples[round - WARM_UP] = end.wrapping_sub(start).wrapping_sub(overhead);
        }
    }
    samples
}

#[unsafe(no_mangle)]
extern "C" fn main() -> i32 {
    println!("bench_kernel: {SAMPLES} samples per figure, instructions (PMCCNTR under -icount shift=0)");
    // The counter counts instructions: two reads in a row differ by one, two
    // around a straight run of 100 adds by 101.
    let (start, end, empty_start, empty_end): (u32, u32, u32, u32);
    // SAFETY: counter reads and register-only `add`s, nothing else.
    unsafe {
        core::arch::asm!(
            "mrc p15, 0, {a}, c9, c13, 0",
            "mrc p15, 0, {b}, c9, c13, 0",
            "mrc p15, 0, {c}, c9, c13, 0",
            ".rept 100",
            "add {t}, {t}, #1",
            ".endr",
            "mrc p15, 0, {d}, c9, c13, 0",
            a = out(reg) empty_start, b = out(reg) empty_end, c = out(reg) start, d = out(reg) end,
            t = out(reg) _, options(nomem, nostack),
        );
    }
    let (empty, counted) = (empty_end.wrapping_sub(empty_start), end.wrapping_sub(start));
    check!(
        CHECKS,
        empty == 1 && counted == 101,
        "PMCCNTR counts one per instruction (two reads in a row: {empty}, around 100 adds: {counted})"
    );

    let mut null = measure(|| {
        core::hint::black_box(pv_thread_self());
    });
    report("null_syscall", &mut null);
    let mut yields = measure(|| {
        core::hint::black_box(pv_thread_switch(PV_NIL_THREAD));
    });
    report("yield", &mut yields);

    // Both servers in one child space, each on its own half of the stack section.
    let (space, stack) = child_space(&MEMORY);
    let register_server = spawn(space, 100, PV_NIL_THREAD, echo_registers_entry(), stack);
    let server = spawn(space, 100, PV_NIL_THREAD, echo_server, stack - PV_SECTION_SIZE / 2);
    let overhead = empty_pair();
    let mut bad = 0u32;
    for words in [0u32, 8] {
        let mut round_trips = register_round_trips(register_server, words, overhead, &mut bad);
        let key = if words == 0 { "ipc_call_reply_0w" } else { "ipc_call_reply_8w" };
        report(key, &mut round_trips);
    }
    check!(CHECKS, bad == 0, "every register-only IPC round trip returned PV_OK with its message (bad: {bad})");
    let mut bad = 0u32;
    for words in [0u32, 8] {
        let mut round_trips = stub_round_trips(server, words, overhead, &mut bad);
        let key = if words == 0 { "ipc_call_reply_0w_pv" } else { "ipc_call_reply_8w_pv" };
        report(key, &mut round_trips);
    }
    check!(
        CHECKS,
        bad == 0,
        "every IPC round trip through the pv_* stubs returned PV_OK with its message (bad: {bad})"
    );

    let mut alone = kernel_tick();
    report("kernel_tick", &mut alone);
    // The peer shares the root task's priority (100), on the last quarter of
    // the child's stack section.
    let peer = spawn(space, 100, PV_NIL_THREAD, yielding_peer, stack - 3 * PV_SECTION_SIZE / 4);
    let mut shared = kernel_tick_shared();
    report("kernel_tick_shared", &mut shared);
    check!(CHECKS, pv_thread_delete(peer) == PV_OK, "the yielding peer is deleted");
    CHECKS.finish()
}
