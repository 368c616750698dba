// SPDX-License-Identifier: MIT OR Apache-2.0
//! IPC ping-pong between threads in different address spaces: 10,000 calls with
//! eight words each, every reply's values and sequence number checked, plus one
//! long (40-word) message through the UTCBs.
#![no_std]
#![no_main]

use paravirt_api::*;
use user_programs::*;

static CHECKS: Checks = Checks::new();
static MEMORY: FreeMemory = FreeMemory::new();

fn transform(word: u32) -> u32 {
    word.wrapping_mul(3).wrapping_add(1)
}

/// Runs in the child space: answers each call with the words transformed and the
/// label incremented.
extern "C" fn echo_server() -> ! {
    let mut message = message(0, &[]);
    let mut sender = 0;
    // SAFETY: `message` and `sender` are valid locals (on this thread's stack).
    let mut result = unsafe { pv_receive(PV_ANY_THREAD, &mut message, PV_TIMEOUT_NEVER, &mut sender) };
    loop {
        if result != PV_OK {
            // SAFETY: as above.
            result = unsafe { pv_receive(PV_ANY_THREAD, &mut message, PV_TIMEOUT_NEVER, &mut sender) };
            continue;
        }
        let words = message.tag & PV_TAG_WORDS_MASK;
        for word in message.mr.iter_mut().take(words as usize) {
            *word = transform(*word);
        }
        message.tag = pv_tag((message.tag >> PV_TAG_LABEL_SHIFT) + 1, words);
        // SAFETY: as above.
        result = unsafe { pv_reply_wait(sender, &mut message, &mut sender) };
    }
}

/// Runs in a second child space: the same answers through the register-only
/// stubs (`pv_reply_wait_registers`), for the register round-trip figures.
extern "C" fn register_echo_server() -> ! {
    let mut message = PvRegisterMessage::default();
    let mut result = reply_wait_registers(PV_NIL_THREAD, &mut message);
    loop {
        if result != PV_OK {
            result = reply_wait_registers(PV_NIL_THREAD, &mut message);
            continue;
        }
        let words = (message.tag & PV_TAG_WORDS_MASK).min(8);
        for word in message.mr.iter_mut().take(words as usize) {
            *word = transform(*word);
        }
        message.tag = pv_tag((message.tag >> PV_TAG_LABEL_SHIFT) + 1, words);
        // SAFETY: `message` is a valid local.
        result = unsafe { pv_reply_wait_registers(message.sender, &mut message) };
    }
}

/// Round trips of `words` words (0 or 8) with `pv_call_registers` to the
/// register echo server: instructions per round trip, stub, loop and the
/// server's work included; every reply checked.
fn register_round_trips(server: PvThreadId, words: u32, rounds: u32) -> (u64, u32) {
    let frequency = u64::from(boot_info().timer_frequency.max(1));
    let mut bad = 0;
    let mut message = PvRegisterMessage::default();
    let start = virtual_counter();
    for round in 0..rounds {
        message.tag = pv_tag(round & 0xFF, words);
        for (index, word) in message.mr.iter_mut().enumerate().take(words as usize) {
            *word = round + index as u32;
        }
        // SAFETY: `message` is a valid local.
        let result = unsafe { pv_call_registers(server, &mut message) };
        let good =
            result == PV_OK
                && message.tag == pv_tag((round & 0xFF) + 1, words)
                && message.mr.iter().enumerate().all(|(index, &word)| {
                    word == if (index as u32) < words { transform(round + index as u32) } else { 0 }
                });
        bad += u32::from(!good);
    }
    let elapsed = virtual_counter() - start;
    (elapsed * 1_000_000_000 / frequency / u64::from(rounds), bad)
}

#[unsafe(no_mangle)]
extern "C" fn main() -> i32 {
    println!("ipc_pingpong: root thread {:#x}", pv_thread_self());
    let (space, stack) = child_space(&MEMORY);
    let server = spawn(space, 100, PV_NIL_THREAD, echo_server, stack);
    check!(CHECKS, space != my_space(), "the echo server runs in another space ({space})");
    let mut seed = 0x2545_F491u32;
    let mut bad_rounds = 0;
    let mut first_bad = None;
    const ROUNDS: u32 = 10_000;
    let frequency = u64::from(boot_info().timer_frequency.max(1));
    let start = virtual_counter();
    for _ in 0..ROUNDS {
        core::hint::black_box(pv_thread_self());
    }
    let null_call = (virtual_counter() - start) * 1_000_000_000 / frequency / u64::from(ROUNDS);
    println!("ipc_pingpong: null system call (thread_self): {null_call} ns each (instructions under -icount shift=0)");
    // One message buffer for all rounds: only the tag and eight words change.
    let mut request = message(0, &[]);
    let start = virtual_counter();
    for round in 0..ROUNDS {
        let mut words = [0u32; 8];
        for word in words.iter_mut() {
            seed ^= seed << 13;
            seed ^= seed >> 17;
            seed ^= seed << 5;
            *word = seed;
        }
        let label = round % 20_000;
        request.tag = pv_tag(label, 8);
        request.mr[..8].copy_from_slice(&words);
        // SAFETY: `request` is a valid local.
        let result = unsafe { pv_call(server, &mut request) };
        let good = result == PV_OK
            && request.tag == pv_tag(label + 1, 8)
            && words.iter().zip(request.mr.iter()).all(|(&sent, &got)| got == transform(sent));
        if !good {
            bad_rounds += 1;
            first_bad.get_or_insert((round, result, request.tag));
        }
    }
    let elapsed = virtual_counter() - start;
    // Under `-icount shift=0` one instruction takes 1 ns and the counter runs at
    // the boot info's frequency: this is instructions per round trip, loop,
    // message set-up and the server's work included.
    let per_round = elapsed * 1_000_000_000 / frequency / u64::from(ROUNDS);
    println!(
        "ipc_pingpong: {ROUNDS} calls took {elapsed} counter ticks: {per_round} ns per round trip (instructions under -icount shift=0)"
    );
    check!(
        CHECKS,
        bad_rounds == 0,
        "{ROUNDS} round trips with 8 words: values and order correct (bad: {bad_rounds}, first {first_bad:?})"
    );
    let (space, stack) = child_space(&MEMORY);
    let register_server = spawn(space, 100, PV_NIL_THREAD, register_echo_server, stack);
    for words in [0, 8] {
        let (per_round, bad) = register_round_trips(register_server, words, ROUNDS);
        println!(
            "ipc_pingpong: register stubs, {words} words: {per_round} ns per register round trip (instructions under -icount shift=0)"
        );
        check!(CHECKS, bad == 0, "{ROUNDS} register round trips with {words} words: replies correct (bad: {bad})");
    }
    let long: [u32; 40] = core::array::from_fn(|i| 0x1000 + i as u32);
    let mut request = message(7, &long);
    // SAFETY: `request` is a valid local.
    let result = unsafe { pv_call(server, &mut request) };
    let good = long.iter().zip(request.mr.iter()).all(|(&sent, &got)| got == transform(sent));
    check!(
        CHECKS,
        result == PV_OK && request.tag == pv_tag(8, 40) && good,
        "a 40-word message travels through the UTCBs and back"
    );
    CHECKS.finish()
}
