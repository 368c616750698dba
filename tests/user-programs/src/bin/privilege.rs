// SPDX-License-Identifier: MIT OR Apache-2.0
//! The privileged-thread rule: a thread outside the root space is refused every
//! root-only call with PV_ERR_NO_PRIVILEGE, and the system keeps running.
#![no_std]
#![no_main]

use paravirt_api::*;
use user_programs::*;

static CHECKS: Checks = Checks::new();
static MEMORY: FreeMemory = FreeMemory::new();

/// Runs in another space: tries every root-only call and reports the results.
extern "C" fn outsider() -> ! {
    let (_, root, _) = receive(PV_ANY_THREAD, PV_TIMEOUT_NEVER);
    let space = my_space();
    let mut thread = 0;
    let mut new_space = 0;
    // SAFETY: the out pointers are valid locals.
    let create = unsafe { pv_thread_create(space, 10, PV_NIL_THREAD, &mut thread) };
    // SAFETY: as above.
    let space_create = unsafe { pv_space_create(&mut new_space) };
    let map = pv_map(space, 0x0400_0000, boot_info_free(), PV_SECTION_SIZE, PV_MAP_READ);
    let interrupt = pv_interrupt_control(40, pv_thread_self());
    let priority = pv_set_priority(pv_thread_self(), 200);
    let shutdown = pv_shutdown(7);
    let delete = pv_thread_delete(root);
    send(root, &[create, space_create, map, interrupt, priority, shutdown, delete]);
    user_rt::block_forever()
}

/// The outsider cannot read the root's boot information; it passes a plausible
/// RAM address it was never given.
fn boot_info_free() -> u32 {
    0x4400_0000
}

#[unsafe(no_mangle)]
extern "C" fn main() -> i32 {
    let (space, stack) = child_space(&MEMORY);
    let outsider = spawn(space, 100, PV_NIL_THREAD, outsider, stack);
    send(outsider, &[]);
    let (result, sender, message) = receive(outsider, 5_000);
    check!(CHECKS, result == PV_OK && sender == outsider, "the outsider reported ({result:#x})");
    let names =
        ["thread create", "space create", "map", "interrupt control", "set priority", "shutdown", "thread delete"];
    for (name, &code) in names.iter().zip(message.mr.iter()) {
        check!(CHECKS, code == PV_ERR_NO_PRIVILEGE, "non-root {name} refused with PV_ERR_NO_PRIVILEGE (got {code:#x})");
    }
    let mut thread = 0;
    // SAFETY: `thread` is a valid local.
    let result = unsafe { pv_thread_create(my_space(), 10, PV_NIL_THREAD, &mut thread) };
    check!(CHECKS, result == PV_OK, "the root may create threads");
    check!(CHECKS, pv_thread_delete(thread) == PV_OK, "and delete them");
    CHECKS.finish()
}
