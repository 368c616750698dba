// SPDX-License-Identifier: MIT OR Apache-2.0
//! IPC timeouts: zero (fail at once), finite (fail after at least the time), never
//! (wait until a partner comes).
#![no_std]
#![no_main]

use core::sync::atomic::{AtomicU32, Ordering};
use paravirt_api::*;
use user_programs::*;

static CHECKS: Checks = Checks::new();
static SLEEPER_STACK: Stack<8192> = Stack::new();
static WAITER_STACK: Stack<8192> = Stack::new();
static WAITER_GOT: AtomicU32 = AtomicU32::new(0);

extern "C" fn sleeper() -> ! {
    user_rt::block_forever()
}

extern "C" fn waiter() -> ! {
    let (result, _, message) = receive(PV_ANY_THREAD, PV_TIMEOUT_NEVER);
    if result == PV_OK {
        WAITER_GOT.store(message.mr[0], Ordering::SeqCst);
    }
    user_rt::block_forever()
}

#[unsafe(no_mangle)]
extern "C" fn main() -> i32 {
    let sleeper = spawn(my_space(), 100, PV_NIL_THREAD, sleeper, SLEEPER_STACK.top());
    sleep(1);

    let start = pv_system_clock();
    let (result, _, _) = receive(PV_ANY_THREAD, PV_TIMEOUT_ZERO);
    let elapsed = pv_system_clock() - start;
    check!(
        CHECKS,
        result == PV_ERR_TIMEOUT | PV_ERR_RECEIVE_PHASE && elapsed < 5_000,
        "zero receive timeout fails at once ({result:#x} after {elapsed} us)"
    );

    let mut message = message(0, &[1]);
    // SAFETY: `message` is a valid local.
    let result = unsafe { pv_send(sleeper, &mut message, PV_TIMEOUT_ZERO) };
    check!(CHECKS, result == PV_ERR_TIMEOUT, "zero send timeout to a thread not receiving fails at once ({result:#x})");

    let start = pv_system_clock();
    let (result, _, _) = receive(PV_ANY_THREAD, 30);
    let elapsed = pv_system_clock() - start;
    check!(
        CHECKS,
        result == PV_ERR_TIMEOUT | PV_ERR_RECEIVE_PHASE && (30_000..2_000_000).contains(&elapsed),
        "30 ms receive timeout expires after {elapsed} us ({result:#x})"
    );

    let start = pv_system_clock();
    // SAFETY: `message` is a valid local.
    let result = unsafe { pv_send(sleeper, &mut message, 25) };
    let elapsed = pv_system_clock() - start;
    check!(
        CHECKS,
        result == PV_ERR_TIMEOUT && (25_000..2_000_000).contains(&elapsed),
        "25 ms send timeout expires after {elapsed} us ({result:#x})"
    );

    let waiter = spawn(my_space(), 100, PV_NIL_THREAD, waiter, WAITER_STACK.top());
    sleep(60);
    let mut registers = PvRegisters::default();
    // SAFETY: `registers` is a valid local.
    let result = unsafe { pv_exchange_registers(waiter, 0, 0, 0, 0, &mut registers) };
    check!(
        CHECKS,
        result == PV_OK && registers.state & PV_STATE_RECEIVING != 0,
        "a never-timeout receive still waits after 60 ms (state {:#x})",
        registers.state
    );
    let result = send(waiter, &[0x5A5A]);
    // The waiter has the same priority: let it run.
    sleep(5);
    check!(CHECKS, result == PV_OK && WAITER_GOT.load(Ordering::SeqCst) == 0x5A5A, "and completes when a sender comes");
    CHECKS.finish()
}
