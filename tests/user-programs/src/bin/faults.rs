// SPDX-License-Identifier: MIT OR Apache-2.0
//! User faults: a thread that reads kernel memory, one that writes another
//! space's memory and one that executes an undefined instruction are each
//! reported (exception IPC to the handler, or a kernel log line without one)
//! while the rest of the system keeps running.
#![no_std]
#![no_main]

use paravirt_api::*;
use user_programs::*;

static CHECKS: Checks = Checks::new();
static MEMORY: FreeMemory = FreeMemory::new();
/// `udf #0` in ARM state, kept in the read-only image that child spaces map executable.
static UNDEFINED_INSTRUCTION: [u32; 2] = [0xE7F0_00F0, 0xE7F0_00F0];
/// A word in the root's data; child spaces see the image read-only.
static SECRET: core::sync::atomic::AtomicU32 = core::sync::atomic::AtomicU32::new(0x005E_C2E7);
const KERNEL_ADDRESS: u32 = 0x4000_0000;
/// The PL011's registers: a device this program was never given.
const DEVICE_ADDRESS: u32 = 0x0900_0000;
/// The root's stack section, mapped in the root space only.
const ROOT_ONLY_ADDRESS: u32 = PV_BOOT_INFO_ADDRESS - 0x1000;

extern "C" fn read_kernel() -> ! {
    // SAFETY: deliberately invalid: the kernel is mapped privileged-only.
    let value = unsafe { core::ptr::read_volatile(KERNEL_ADDRESS as *const u32) };
    core::hint::black_box(value);
    user_rt::block_forever()
}

extern "C" fn read_device() -> ! {
    // SAFETY: deliberately invalid: the UART is mapped for the kernel only.
    let value = unsafe { core::ptr::read_volatile(DEVICE_ADDRESS as *const u32) };
    core::hint::black_box(value);
    user_rt::block_forever()
}

extern "C" fn write_root_memory() -> ! {
    // SAFETY: deliberately invalid: the root's stack is not mapped in this space.
    unsafe { core::ptr::write_volatile(ROOT_ONLY_ADDRESS as *mut u32, 0xBAD) };
    user_rt::block_forever()
}

extern "C" fn write_root_data() -> ! {
    // SAFETY: deliberately invalid: the root's image is read-only in this space.
    unsafe { core::ptr::write_volatile(SECRET.as_ptr(), 0xBAD) };
    user_rt::block_forever()
}

extern "C" fn undefined() -> ! {
    // SAFETY: deliberately invalid: jumps to an undefined instruction.
    let function: extern "C" fn() = unsafe { core::mem::transmute(UNDEFINED_INSTRUCTION.as_ptr()) };
    function();
    user_rt::block_forever()
}

/// Reads the PMU's cycle counter, which only benchmark images open to user mode.
extern "C" fn read_cycle_counter() -> ! {
    core::hint::black_box(user_programs::arch::cycle_counter());
    user_rt::block_forever()
}

extern "C" fn echo_once() -> ! {
    let (result, sender, message) = receive(PV_ANY_THREAD, PV_TIMEOUT_NEVER);
    if result == PV_OK {
        send(sender, &[message.mr[0] + 1]);
    }
    user_rt::block_forever()
}

fn expect_exception(thread: PvThreadId, kind: u32, address: Option<u32>, what: &str) {
    let (result, sender, message) = receive(thread, 2_000);
    let good = result == PV_OK
        && sender == thread
        && message.tag == pv_tag(PV_LABEL_EXCEPTION, 5)
        && message.mr[0] == kind
        && address.is_none_or(|address| message.mr[1] == address);
    check!(
        CHECKS,
        good,
        "{what}: exception IPC kind {} address {:#x} pc {:#x} status {:#x} ({result:#x})",
        message.mr[0],
        message.mr[1],
        message.mr[2],
        message.mr[3]
    );
    // Reply with no words: the thread stays stopped.
    let mut reply = user_programs::message(0, &[]);
    // SAFETY: `reply` is a valid local.
    unsafe { pv_send(thread, &mut reply, PV_TIMEOUT_ZERO) };
}

fn halted(thread: PvThreadId) -> bool {
    let mut old = PvRegisters::default();
    // SAFETY: `old` is a valid local.
    let result = unsafe { pv_exchange_registers(thread, 0, 0, 0, 0, &mut old) };
    result == PV_OK && old.state & PV_STATE_HALTED != 0
}

#[unsafe(no_mangle)]
extern "C" fn main() -> i32 {
    let root = pv_thread_self();
    let (space, stack) = child_space(&MEMORY);
    let reader = spawn(space, 100, root, read_kernel, stack);
    expect_exception(reader, PV_FAULT_DATA_ABORT, Some(KERNEL_ADDRESS), "read of kernel memory");
    let device_reader = spawn(space, 100, root, read_device, stack);
    expect_exception(device_reader, PV_FAULT_DATA_ABORT, Some(DEVICE_ADDRESS), "read of a device not given");
    let writer = spawn(space, 100, root, write_root_memory, stack);
    expect_exception(writer, PV_FAULT_DATA_ABORT, Some(ROOT_ONLY_ADDRESS), "write to another space's memory");
    let data_writer = spawn(space, 100, root, write_root_data, stack);
    expect_exception(
        data_writer,
        PV_FAULT_DATA_ABORT,
        Some(SECRET.as_ptr() as u32),
        "write to memory mapped read-only",
    );
    let undefined_thread = spawn(space, 100, root, undefined, stack);
    expect_exception(
        undefined_thread,
        PV_FAULT_UNDEFINED,
        Some(UNDEFINED_INSTRUCTION.as_ptr() as u32),
        "undefined instruction",
    );
    let counter_reader = spawn(space, 100, root, read_cycle_counter, stack);
    expect_exception(
        counter_reader,
        PV_FAULT_UNDEFINED,
        None,
        "reading the PMU cycle counter (PMUSERENR off outside benchmark images)",
    );
    sleep(5);
    check!(CHECKS, halted(reader) && halted(undefined_thread), "faulted threads stay stopped after a zero-word reply");

    // Without a handler: the kernel logs the fault and halts the thread.
    let lonely = spawn(space, 100, PV_NIL_THREAD, undefined, stack);
    sleep(10);
    check!(CHECKS, halted(lonely), "a fault without a handler halts the thread");
    check!(CHECKS, SECRET.load(core::sync::atomic::Ordering::SeqCst) == 0x005E_C2E7, "the root's memory is untouched");

    // The system keeps working: a fresh thread in the same space answers a call.
    let echo = spawn(space, 100, root, echo_once, stack);
    let (result, reply) = call(echo, &[41]);
    check!(
        CHECKS,
        result == PV_OK && reply.mr[0] == 42,
        "IPC with a fresh thread in the faulting space still works ({result:#x})"
    );
    CHECKS.finish()
}
