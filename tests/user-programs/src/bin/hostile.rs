// SPDX-License-Identifier: MIT OR Apache-2.0
//! A hostile program: a thread in its own space issues 100,000 system calls with
//! random numbers and arguments (seeded, reproducible) while a watchdog thread
//! keeps ticking. The kernel must answer every call with a defined code and stay up.
#![no_std]
#![no_main]

use core::sync::atomic::{AtomicU32, Ordering};
use paravirt_api::*;
use user_programs::*;

static CHECKS: Checks = Checks::new();
static MEMORY: FreeMemory = FreeMemory::new();
static WATCHDOG_STACK: Stack<8192> = Stack::new();
static WATCHDOG_TICKS: AtomicU32 = AtomicU32::new(0);
const CALLS: u32 = 100_000;
const SEED: u32 = 0x0BAD_5EED;
const DONE: u32 = 0x4D0E;

extern "C" fn watchdog() -> ! {
    loop {
        sleep(5);
        WATCHDOG_TICKS.fetch_add(1, Ordering::SeqCst);
    }
}

fn known_result(code: u32) -> bool {
    (code & !PV_ERR_RECEIVE_PHASE) <= PV_ERR_BUSY
}

/// Runs in its own space with no privileges.
extern "C" fn hostile() -> ! {
    let (_, root, go) = receive(PV_ANY_THREAD, PV_TIMEOUT_NEVER);
    let watchdog = go.mr[1];
    let mut seed = go.mr[0];
    let mut random = move || {
        seed ^= seed << 13;
        seed ^= seed >> 17;
        seed ^= seed << 5;
        seed
    };
    let me = pv_thread_self();
    let mut unknown = 0u32;
    let mut successes = 0u32;
    for _ in 0..CALLS {
        let number = random() % (PV_SYS_COUNT + 4);
        let mut registers = [0u32; 12];
        for register in registers.iter_mut() {
            *register = match random() % 6 {
                0 => random(),
                1 => random() % 64,
                2 => [me, root, watchdog, PV_ANY_THREAD, pv_irq_thread(27)][(random() % 5) as usize],
                3 => random() & 0xFFF0_0000,
                4 => 0x0010_0000 + (random() % 0x2000),
                _ => 0,
            };
        }
        // Keep the program itself alive: no long blocking, no halting or moving itself.
        if number == PV_SYS_IPC {
            registers[2] = pv_timeouts(random() % 2, random() % 2);
        }
        if number == PV_SYS_NOTIFY && [me, root, watchdog, PV_ANY_THREAD, pv_irq_thread(27)].contains(&registers[2]) {
            // A receive phase the kernel allows waits without timeout: keep
            // the plain notify instead (random, invalid specifiers stay).
            registers[2] = PV_NIL_THREAD;
        }
        if number == PV_SYS_DEBUG_WRITE && (0x0010_0000..0x0020_0000).contains(&registers[0]) {
            // A valid buffer would print the program's own machine code: keep the console readable.
            registers[1] = 0;
        }
        if number == PV_SYS_EXCHANGE_REGISTERS {
            registers[1] &= PV_EXREG_SET_FLAGS | PV_EXREG_RESUME | PV_EXREG_ABORT_IPC | (1 << 20);
            // E on itself would make its own data big-endian, as `setend be` would.
            registers[4] &= !PV_FLAGS_BIG_ENDIAN;
        }
        if number == PV_SYS_CONTEXT_RESUME {
            // A usable frame would send the program itself somewhere random.
            registers[0] |= 2;
        }
        // SAFETY: `registers` is a valid local array of 12 words.
        unsafe { pv_raw_syscall(number, &mut registers) };
        if !known_result(registers[0]) {
            unknown += 1;
        }
        if registers[0] == PV_OK {
            successes += 1;
        }
    }
    let mut report = message(DONE, &[CALLS, unknown, successes]);
    // SAFETY: `report` is a valid local.
    unsafe { pv_send(root, &mut report, PV_TIMEOUT_NEVER) };
    user_rt::block_forever()
}

#[unsafe(no_mangle)]
extern "C" fn main() -> i32 {
    let watchdog_thread = spawn(my_space(), 150, PV_NIL_THREAD, watchdog, WATCHDOG_STACK.top());
    let (space, stack) = child_space(&MEMORY);
    let hostile_thread = spawn(space, 100, PV_NIL_THREAD, hostile, stack);
    println!("hostile: {CALLS} random system calls, seed {SEED:#x}");
    let start = pv_system_clock();
    let ticks_before = WATCHDOG_TICKS.load(Ordering::SeqCst);
    send(hostile_thread, &[SEED, watchdog_thread]);
    let report = loop {
        let (result, sender, message) = receive(hostile_thread, PV_TIMEOUT_NEVER);
        if result == PV_OK && sender == hostile_thread && message.tag >> PV_TAG_LABEL_SHIFT == DONE {
            break message;
        }
    };
    let elapsed = pv_system_clock() - start;
    let ticks_during = WATCHDOG_TICKS.load(Ordering::SeqCst) - ticks_before;
    check!(
        CHECKS,
        report.mr[0] == CALLS,
        "the hostile thread completed {} system calls in {} ms",
        report.mr[0],
        elapsed / 1000
    );
    check!(
        CHECKS,
        report.mr[1] == 0,
        "every call returned a defined result code ({} unknown, {} succeeded)",
        report.mr[1],
        report.mr[2]
    );
    check!(CHECKS, ticks_during > 0, "the watchdog kept running during the storm ({ticks_during} ticks)");
    let ticks = WATCHDOG_TICKS.load(Ordering::SeqCst);
    sleep(30);
    check!(CHECKS, WATCHDOG_TICKS.load(Ordering::SeqCst) > ticks, "and keeps running after it");
    CHECKS.finish()
}
