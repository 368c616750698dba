// SPDX-License-Identifier: MIT OR Apache-2.0
//! ExchangeRegisters: halt a running thread, read its SP/IP, redirect it to
//! another function with a new stack, and abort a blocked IPC.
#![no_std]
#![no_main]

use core::sync::atomic::{AtomicU32, Ordering};
use paravirt_api::*;
use user_programs::*;

static CHECKS: Checks = Checks::new();
static SPIN_STACK: Stack<8192> = Stack::new();
static REDIRECT_STACK: Stack<8192> = Stack::new();
static WAITER_STACK: Stack<8192> = Stack::new();
static SPINS: AtomicU32 = AtomicU32::new(0);
static REDIRECTED: AtomicU32 = AtomicU32::new(0);
static WAITER_RESULT: AtomicU32 = AtomicU32::new(0);

extern "C" fn spinner() -> ! {
    loop {
        SPINS.fetch_add(1, Ordering::Relaxed);
    }
}

extern "C" fn redirected() -> ! {
    let stack_marker = 0u32;
    REDIRECTED.store(&stack_marker as *const u32 as u32, Ordering::SeqCst);
    user_rt::block_forever()
}

extern "C" fn waiter() -> ! {
    let (result, _, _) = receive(PV_ANY_THREAD, PV_TIMEOUT_NEVER);
    WAITER_RESULT.store(result, Ordering::SeqCst);
    user_rt::block_forever()
}

#[unsafe(no_mangle)]
extern "C" fn main() -> i32 {
    let spinner_thread = spawn(my_space(), 100, PV_NIL_THREAD, spinner, SPIN_STACK.top());
    let start = pv_system_clock();
    while SPINS.load(Ordering::Relaxed) == 0 && pv_system_clock() - start < 2_000_000 {}
    check!(CHECKS, SPINS.load(Ordering::Relaxed) > 0, "the spinner runs");

    let mut old = PvRegisters::default();
    // SAFETY: `old` is a valid local.
    let result = unsafe { pv_exchange_registers(spinner_thread, PV_EXREG_HALT, 0, 0, 0, &mut old) };
    let spinner_address = spinner as *const () as usize as u32;
    check!(CHECKS, result == PV_OK && old.state & PV_STATE_HALTED == 0, "halted a running thread");
    check!(
        CHECKS,
        (spinner_address..spinner_address + 0x100).contains(&old.ip),
        "its IP {:#x} lies in the spin loop at {spinner_address:#x}",
        old.ip
    );
    check!(
        CHECKS,
        old.sp <= SPIN_STACK.top() && old.sp > SPIN_STACK.top() - 8192,
        "its SP {:#x} lies on its stack",
        old.sp
    );
    let count = SPINS.load(Ordering::Relaxed);
    sleep(20);
    check!(CHECKS, SPINS.load(Ordering::Relaxed) == count, "a halted thread does not run");

    let control = PV_EXREG_SET_SP | PV_EXREG_SET_IP | PV_EXREG_RESUME;
    // SAFETY: `old` is a valid local.
    let result = unsafe {
        pv_exchange_registers(
            spinner_thread,
            control,
            REDIRECT_STACK.top(),
            redirected as *const () as usize as u32,
            0,
            &mut old,
        )
    };
    check!(CHECKS, result == PV_OK && old.state & PV_STATE_HALTED != 0, "redirected and resumed it");
    sleep(20);
    let marker = REDIRECTED.load(Ordering::SeqCst);
    check!(
        CHECKS,
        marker != 0 && marker < REDIRECT_STACK.top() && marker > REDIRECT_STACK.top() - 8192,
        "it now runs the new function on the new stack (local at {marker:#x})"
    );

    let waiter_thread = spawn(my_space(), 100, PV_NIL_THREAD, waiter, WAITER_STACK.top());
    sleep(5);
    // SAFETY: `old` is a valid local.
    let result = unsafe { pv_exchange_registers(waiter_thread, PV_EXREG_ABORT_IPC, 0, 0, 0, &mut old) };
    check!(
        CHECKS,
        result == PV_OK && old.state & PV_STATE_RECEIVING != 0,
        "aborted a blocked receive (state {:#x})",
        old.state
    );
    sleep(5);
    let seen = WAITER_RESULT.load(Ordering::SeqCst);
    check!(
        CHECKS,
        seen == PV_ERR_ABORTED | PV_ERR_RECEIVE_PHASE,
        "the receiver saw PV_ERR_ABORTED in its receive phase ({seen:#x})"
    );
    // SAFETY: NULL is allowed for the out pointer.
    let result = unsafe { pv_exchange_registers(0x0FFF_0FFF, 0, 0, 0, 0, core::ptr::null_mut()) };
    check!(CHECKS, result == PV_ERR_INVALID_THREAD, "an unknown thread is refused");
    CHECKS.finish()
}
