// SPDX-License-Identifier: MIT OR Apache-2.0
//! TPIDRURW, the user read/write thread register, belongs to each thread: a
//! value one thread writes never reaches a thread of another space (or a new
//! thread of its own space), and every thread finds its own value again after
//! any number of switches.
#![no_std]
#![no_main]

use core::sync::atomic::{AtomicU32, Ordering};
use paravirt_api::*;
use user_programs::arch::{set_user_rw_thread_register, user_rw_thread_register};
use user_programs::*;

static CHECKS: Checks = Checks::new();
static MEMORY: FreeMemory = FreeMemory::new();
static SIBLING_STACK: Stack<8192> = Stack::new();
static SIBLING_SAW: AtomicU32 = AtomicU32::new(0xFFFF_FFFF);
const ROUNDS: u32 = 200;
const ROOT_VALUE: u32 = 0xA11C_E000;
const PEER_VALUE: u32 = 0xB0B0_0000;

/// In another space: reports what it finds in TPIDRURW, then writes a new value
/// of its own, every round.
extern "C" fn peer() -> ! {
    let (mut result, mut root, _) = receive(PV_ANY_THREAD, PV_TIMEOUT_NEVER);
    let mut round = 0;
    while result == PV_OK {
        let seen = user_rw_thread_register();
        set_user_rw_thread_register(PEER_VALUE + round);
        round += 1;
        let mut reply = message(0, &[seen]);
        // SAFETY: `reply` and `root` are valid locals.
        result = unsafe { pv_reply_wait(root, &mut reply, &mut root) };
    }
    user_rt::block_forever()
}

/// A new thread in the root's own space.
extern "C" fn sibling() -> ! {
    SIBLING_SAW.store(user_rw_thread_register(), Ordering::SeqCst);
    user_rt::block_forever()
}

#[unsafe(no_mangle)]
extern "C" fn main() -> i32 {
    set_user_rw_thread_register(ROOT_VALUE);
    check!(CHECKS, user_rw_thread_register() == ROOT_VALUE, "the root wrote TPIDRURW = {ROOT_VALUE:#x}");
    let (space, stack) = child_space(&MEMORY);
    let peer_thread = spawn(space, 100, PV_NIL_THREAD, peer, stack);
    let mut first = None;
    let mut peer_lost = 0;
    let mut root_lost = 0;
    for round in 0..ROUNDS {
        let (result, reply) = call(peer_thread, &[round]);
        let seen = reply.mr[0];
        match round {
            0 => first = Some((result, seen)),
            _ if result != PV_OK || seen != PEER_VALUE + round - 1 => peer_lost += 1,
            _ => {}
        }
        if user_rw_thread_register() != ROOT_VALUE {
            root_lost += 1;
        }
        if round % 50 == 0 {
            // Go through the idle thread and the timer as well.
            sleep(2);
        }
    }
    check!(
        CHECKS,
        first == Some((PV_OK, 0)),
        "a new thread in another space starts with 0, not the root's value ({first:x?})"
    );
    check!(
        CHECKS,
        peer_lost == 0,
        "the peer found its own value after each of {ROUNDS} round trips ({peer_lost} lost)"
    );
    check!(CHECKS, root_lost == 0, "the root kept its value across every switch ({root_lost} lost)");
    spawn(my_space(), 100, PV_NIL_THREAD, sibling, SIBLING_STACK.top());
    sleep(5);
    let saw = SIBLING_SAW.load(Ordering::SeqCst);
    check!(CHECKS, saw == 0, "a new thread in the root's own space starts with 0 ({saw:#x})");
    check!(CHECKS, user_rw_thread_register() == ROOT_VALUE, "and the root still has {ROOT_VALUE:#x}");
    CHECKS.finish()
}
