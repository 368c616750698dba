// SPDX-License-Identifier: MIT OR Apache-2.0
//! VFP/Advanced SIMD registers belong to each thread, switched lazily: threads
//! in different spaces each load their own values into d0..d31 and FPSCR and
//! find them intact after hundreds of switches (IPC round trips, the idle
//! thread, timer preemption in the middle of FPU code); a new thread starts with
//! zeros and FPSCR 0, also in the slot of a deleted thread that owned the FPU;
//! an undefined instruction that is not an FPU instruction is still a fault,
//! whether or not the thread already has the FPU.
#![no_std]
#![no_main]

use core::sync::atomic::{AtomicU32, Ordering};
use paravirt_api::*;
use user_programs::arch::{self, FpuState, Isa, fpu_load_state, fpu_store_state};
use user_programs::*;

static CHECKS: Checks = Checks::new();
static MEMORY: FreeMemory = FreeMemory::new();
/// Set by the root when the spinner should report (read through the read-only image).
static STOP: AtomicU32 = AtomicU32::new(0);
const ROUNDS: u32 = 300;
/// N, DN, FZ, round towards +infinity, IXC, IOC.
const ROOT_FPSCR: u32 = 0x8340_0011;
/// Z, C, QC, round towards -infinity, OFC, DZC.
const PEER_FPSCR: u32 = 0x6880_0006;
/// V, round towards zero, UFC.
const SPINNER_FPSCR: u32 = 0x10C0_0008;

/// A recognizable value in every register.
fn pattern(tag: u64, fpscr: u32) -> FpuState {
    let mut state = FpuState { d: [0; 32], fpscr };
    for (index, register) in state.d.iter_mut().enumerate() {
        let index = index as u64;
        *register = (tag << 48) | (index << 40) | (0x0101_0101 * (index + 1));
    }
    state
}

/// In another space, Thumb code: loads its own values, then checks them each
/// time the root calls, and replies (lost, rounds).
extern "C" fn peer() -> ! {
    let (mut result, mut root, _) = receive(PV_ANY_THREAD, PV_TIMEOUT_NEVER);
    let mine = pattern(0xB0B0, PEER_FPSCR);
    fpu_load_state(&mine, Isa::Thumb);
    let (mut lost, mut rounds) = (0, 0);
    while result == PV_OK {
        if fpu_store_state(Isa::Thumb) != mine {
            lost += 1;
            fpu_load_state(&mine, Isa::Thumb);
        }
        rounds += 1;
        let mut reply = message(0, &[lost, rounds]);
        // SAFETY: `reply` and `root` are valid locals.
        result = unsafe { pv_reply_wait(root, &mut reply, &mut root) };
    }
    user_rt::block_forever()
}

/// In a third space at a lower priority: checks its values in a loop while the
/// others preempt it, until the root says stop; then sends (checks, lost).
extern "C" fn spinner() -> ! {
    let (_, root, _) = receive(PV_ANY_THREAD, PV_TIMEOUT_NEVER);
    let mine = pattern(0x5151, SPINNER_FPSCR);
    fpu_load_state(&mine, Isa::Arm);
    let (mut checks, mut lost) = (0u32, 0u32);
    while STOP.load(Ordering::SeqCst) == 0 {
        checks += 1;
        if fpu_store_state(Isa::Arm) != mine {
            lost += 1;
            fpu_load_state(&mine, Isa::Arm);
        }
    }
    send(root, &[checks, lost]);
    user_rt::block_forever()
}

/// A thread that never used the FPU reads it and sends (all zero?, FPSCR, d0).
extern "C" fn fresh() -> ! {
    let (_, root, _) = receive(PV_ANY_THREAD, PV_TIMEOUT_NEVER);
    let seen = fpu_store_state(Isa::Arm);
    send(root, &[u32::from(seen == FpuState::ZERO), seen.fpscr, seen.d[0] as u32]);
    user_rt::block_forever()
}

extern "C" fn undefined_after_fpu() -> ! {
    fpu_load_state(&pattern(0xCCCC, 0), Isa::Arm);
    arch::undefined_instruction();
    user_rt::block_forever()
}

extern "C" fn undefined_without_fpu() -> ! {
    arch::undefined_instruction();
    user_rt::block_forever()
}

/// Starts `entry` in `space` (its stack at `stack`) and returns what it sends after a go message.
fn fresh_report(space: u32, stack: u32) -> (PvThreadId, [u32; 3]) {
    let thread = spawn(space, 100, PV_NIL_THREAD, fresh, stack);
    send(thread, &[]);
    let (result, _, report) = receive(thread, 2_000);
    let words = if result == PV_OK { [report.mr[0], report.mr[1], report.mr[2]] } else { [0, 0xFFFF_FFFF, 0] };
    (thread, words)
}

fn expect_undefined(thread: PvThreadId, what: &str) {
    let (result, _, message) = receive(thread, 2_000);
    let address = arch::undefined_instruction_address();
    check!(
        CHECKS,
        result == PV_OK
            && message.tag == pv_tag(PV_LABEL_EXCEPTION, 5)
            && message.mr[0] == PV_FAULT_UNDEFINED
            && message.mr[1] == address
            && message.mr[2] == address,
        "{what}: exception IPC kind {} address {:#x} pc {:#x} (udf at {address:#x}; {result:#x})",
        message.mr[0],
        message.mr[1],
        message.mr[2]
    );
    let mut reply = user_programs::message(0, &[]);
    // SAFETY: `reply` is a valid local.
    unsafe { pv_send(thread, &mut reply, PV_TIMEOUT_ZERO) };
}

#[unsafe(no_mangle)]
extern "C" fn main() -> i32 {
    let root = pv_thread_self();
    let mine = pattern(0xA1A1, ROOT_FPSCR);
    fpu_load_state(&mine, Isa::Arm);
    let back = fpu_store_state(Isa::Arm);
    check!(
        CHECKS,
        back == mine,
        "the root loads d0..d31 and FPSCR {ROOT_FPSCR:#x} and reads them back (FPSCR {:#x})",
        back.fpscr
    );

    let (peer_space, peer_stack) = child_space(&MEMORY);
    let peer_thread = spawn(peer_space, 100, PV_NIL_THREAD, peer, peer_stack);
    let (spinner_space, spinner_stack) = child_space(&MEMORY);
    let spinner_thread = spawn(spinner_space, 50, PV_NIL_THREAD, spinner, spinner_stack);
    send(spinner_thread, &[]);
    let (mut root_lost, mut peer_report) = (0, [u32::MAX, 0]);
    for round in 0..ROUNDS {
        let (result, reply) = call(peer_thread, &[round]);
        if result == PV_OK {
            peer_report = [reply.mr[0], reply.mr[1]];
        }
        if fpu_store_state(Isa::Arm) != mine {
            root_lost += 1;
            fpu_load_state(&mine, Isa::Arm);
        }
        if round % 16 == 0 {
            // Let the spinner run, and be woken by the timer in the middle of its FPU code.
            sleep(2);
        }
    }
    check!(CHECKS, root_lost == 0, "the root's registers survived {ROUNDS} round trips ({root_lost} lost)");
    check!(
        CHECKS,
        peer_report == [0, ROUNDS],
        "the peer (another space, Thumb) found its registers after each of {} round trips ({} lost)",
        peer_report[1],
        peer_report[0]
    );
    STOP.store(1, Ordering::SeqCst);
    let (result, _, report) = receive(spinner_thread, 2_000);
    check!(
        CHECKS,
        result == PV_OK && report.mr[0] > 100 && report.mr[1] == 0,
        "the preempted spinner (a third space) checked its registers {} times, {} lost",
        report.mr[0],
        report.mr[1]
    );

    let (fresh_space, fresh_stack) = child_space(&MEMORY);
    let (_, seen) = fresh_report(fresh_space, fresh_stack);
    check!(
        CHECKS,
        seen[0] == 1,
        "a new thread starts with zeros and FPSCR 0 (FPSCR {:#x}, d0 {:#x})",
        seen[1],
        seen[2]
    );

    // The peer takes the FPU last, is deleted, and a new thread gets its slot.
    call(peer_thread, &[ROUNDS]);
    pv_thread_delete(peer_thread);
    let (reused, seen) = fresh_report(peer_space, peer_stack);
    check!(
        CHECKS,
        seen[0] == 1 && reused & PV_THREAD_INDEX_MASK == peer_thread & PV_THREAD_INDEX_MASK,
        "a new thread in a deleted owner's slot ({reused:#x} after {peer_thread:#x}) gets zeros, not its registers (FPSCR {:#x})",
        seen[1]
    );

    let undefined = spawn(fresh_space, 100, root, undefined_after_fpu, fresh_stack);
    expect_undefined(undefined, "udf after using the FPU");
    let undefined = spawn(fresh_space, 100, root, undefined_without_fpu, fresh_stack);
    expect_undefined(undefined, "udf before ever using the FPU");

    check!(CHECKS, fpu_store_state(Isa::Arm) == mine, "and the root still has its own registers");
    CHECKS.finish()
}
