// SPDX-License-Identifier: MIT OR Apache-2.0
//! PV_SYS_CONTEXT_RESUME: a thread resumes from a register frame in its own
//! memory with every register and every user-visible CPSR bit, including the
//! Thumb IT state and the E bit, which user mode cannot restore by itself. Each
//! probe enters code whose result depends on that state (an instruction inside
//! an IT block runs unconditionally if the IT bits were dropped; a load returns
//! a byte-swapped word only with E set). Bad frames are refused with
//! PV_ERR_BAD_ADDRESS and the caller goes on with its registers unchanged.
#![no_std]
#![no_main]

use core::sync::atomic::{AtomicU32, Ordering};
use paravirt_api::*;
use user_programs::arch::{self, PROBE_REPORT_WORDS};
use user_programs::*;

static CHECKS: Checks = Checks::new();
static RUNNER_STACK: Stack<8192> = Stack::new();
/// The frame lies at the top of this stack; the probe's end runs below it.
static FRAME_STACK: Stack<8192> = Stack::new();
static REPORT: [AtomicU32; PROBE_REPORT_WORDS] = [const { AtomicU32::new(0) }; PROBE_REPORT_WORDS];
/// 0 running, 1 the probe reported, 2 the resume failed.
static FINISHED: AtomicU32 = AtomicU32::new(0);
static RESUME_RESULT: AtomicU32 = AtomicU32::new(0);
static FRAME_ADDRESS: AtomicU32 = AtomicU32::new(0);
static WORD: u32 = 0x1122_3344;

const Z: u32 = 1 << 30;
const N: u32 = 1 << 31;
/// Virtual address where the console UART's section is mapped (device memory).
const DEVICE_VIRTUAL: u32 = 0x2800_0000;

/// Where every probe ends (ARM code, little-endian again, on the frame's stack).
extern "C" fn probe_finished() -> ! {
    FINISHED.store(1, Ordering::SeqCst);
    user_rt::block_forever()
}

extern "C" fn runner() -> ! {
    let frame = FRAME_ADDRESS.load(Ordering::SeqCst) as usize as *const PvContextFrame;
    // SAFETY: the frame enters a probe, which reports and ends in `probe_finished`.
    let result = unsafe { pv_context_resume(frame) };
    RESUME_RESULT.store(result, Ordering::SeqCst);
    FINISHED.store(2, Ordering::SeqCst);
    user_rt::block_forever()
}

fn code_address(function: unsafe extern "C" fn()) -> u32 {
    function as *const () as usize as u32 & !1
}

/// What a probe saw.
struct Seen {
    r: [u32; 8],
    apsr: u32,
    r11: u32,
    r12: u32,
    lr: u32,
    sp: u32,
}

/// A fresh thread resumes from a frame entering `pc` with `cpsr`.
fn run_probe(pc: u32, cpsr: u32) -> Option<Seen> {
    for word in REPORT.iter() {
        word.store(0xDEAD_BEEF, Ordering::SeqCst);
    }
    let mut r = [0u32; 13];
    for (index, register) in r.iter_mut().enumerate().take(4) {
        *register = 0x1000 + index as u32;
    }
    r[8] = REPORT.as_ptr() as usize as u32;
    r[9] = probe_finished as *const () as usize as u32;
    r[10] = &raw const WORD as usize as u32;
    r[11] = 0xB11;
    r[12] = 0xC12;
    let frame = PvContextFrame { r, lr: 0x0E1E, cpsr, pc };
    let address = FRAME_STACK.top() - PV_CONTEXT_FRAME_SIZE;
    // SAFETY: the top of FRAME_STACK is this program's memory, used by no one
    // while no probe runs.
    unsafe { core::ptr::write_volatile(address as usize as *mut PvContextFrame, frame) };
    FRAME_ADDRESS.store(address, Ordering::SeqCst);
    FINISHED.store(0, Ordering::SeqCst);
    let thread = spawn(my_space(), 100, PV_NIL_THREAD, runner, RUNNER_STACK.top());
    for _ in 0..1000 {
        if FINISHED.load(Ordering::SeqCst) != 0 {
            break;
        }
        sleep(1);
    }
    let finished = FINISHED.load(Ordering::SeqCst);
    pv_thread_delete(thread);
    if finished != 1 {
        println!(
            "probe at {pc:#x} did not report (state {finished}, resume result {:#x})",
            RESUME_RESULT.load(Ordering::SeqCst)
        );
        return None;
    }
    let word = |index: usize| REPORT[index].load(Ordering::SeqCst);
    Some(Seen { r: core::array::from_fn(word), apsr: word(8), r11: word(9), r12: word(10), lr: word(11), sp: word(12) })
}

/// Runs the ITTTT EQ / ITE probes: returns r4..r7 after the block.
fn moves(pc: u32, cpsr: u32) -> Option<[u32; 4]> {
    run_probe(pc, cpsr).map(|seen| [seen.r[4], seen.r[5], seen.r[6], seen.r[7]])
}

#[unsafe(no_mangle)]
extern "C" fn main() -> i32 {
    // Every register comes from the frame, sp lies just above it, and the flags
    // (N Z C V Q GE) are the frame's.
    let endian = code_address(arch::probe_endian);
    let flags = 0xA800_0000 | (0b1010 << 16);
    let seen = run_probe(endian, flags);
    let frame_top = FRAME_STACK.top();
    check!(
        CHECKS,
        seen.as_ref().is_some_and(|s| s.r[..4] == [0x1000, 0x1001, 0x1002, 0x1003]
            && (s.r11, s.r12, s.lr, s.sp) == (0xB11, 0xC12, 0x0E1E, frame_top)),
        "r0..r12, lr from the frame, sp = frame + 64 ({:#x})",
        frame_top
    );
    check!(
        CHECKS,
        seen.as_ref().is_some_and(|s| s.apsr & 0xF80F_0000 == flags),
        "N Z C V Q GE restored (APSR {:#x}, frame {flags:#x})",
        seen.as_ref().map_or(0, |s| s.apsr)
    );

    // E: a big-endian load returns the word byte-swapped.
    let little = run_probe(endian, 0).map(|s| s.r[4]);
    let big = run_probe(endian, PV_FLAGS_BIG_ENDIAN).map(|s| s.r[4]);
    check!(CHECKS, little == Some(0x1122_3344), "E clear: little-endian load ({little:x?})");
    check!(CHECKS, big == Some(0x4433_2211), "E set: the load is big-endian ({big:x?})");

    // IT: ITTTT EQ entered with 4, 3, 2 and 1 moves left; IT[1:0] at CPSR 26:25,
    // IT[7:2] at 15:10. With Z clear nothing moves; without the IT state every
    // move would run as an ordinary instruction.
    let body = code_address(arch::probe_itttt) + 2;
    let it_cases: [(u32, u32, &str); 4] = [
        (0, 0x01 << 25, "4 left, IT 0x01"),
        (2, 0x02 << 25, "3 left, IT 0x02"),
        (4, 0x04 << 8, "2 left, IT 0x04"),
        (6, 0x08 << 8, "1 left, IT 0x08"),
    ];
    for (offset, it, what) in it_cases {
        let seen = moves((body + offset) | 1, it);
        check!(CHECKS, seen == Some([0; 4]), "ITTTT EQ {what}, Z clear: the moves are skipped ({seen:x?})");
    }
    let seen = moves(body | 1, (0x01 << 25) | Z);
    check!(CHECKS, seen == Some([1; 4]), "ITTTT EQ 4 left, Z set: all four moves run ({seen:x?})");
    let seen = moves((body + 6) | 1, (0x08 << 8) | Z);
    check!(CHECKS, seen == Some([0, 0, 0, 1]), "ITTTT EQ 1 left, Z set: only the last move runs ({seen:x?})");

    // ITE GE entered at its second instruction: IT state 0xB8 (LT, last).
    let lt = code_address(arch::probe_ite) + 4;
    let seen = moves(lt | 1, 0xB8 << 8);
    check!(CHECKS, seen == Some([0; 4]), "ITE GE, else part entered with GE true: skipped ({seen:x?})");
    let seen = moves(lt | 1, (0xB8 << 8) | N);
    check!(CHECKS, seen == Some([0, 1, 0, 0]), "ITE GE, else part entered with LT true: runs ({seen:x?})");

    // Bad frames: PV_ERR_BAD_ADDRESS, nothing else changes, the caller goes on.
    let info = boot_info();
    let device = pv_map(my_space(), DEVICE_VIRTUAL, info.uart_base, PV_PAGE_SIZE, PV_MAP_READ | PV_MAP_DEVICE);
    check!(CHECKS, device == PV_OK, "the console UART mapped as device memory ({device:#x})");
    let good = FRAME_STACK.top() - PV_CONTEXT_FRAME_SIZE;
    let bad: [(u32, &str); 5] = [
        (good + 2, "unaligned"),
        (0x0FF0_0000, "unmapped"),
        (0x4000_0000, "kernel memory"),
        (PV_USER_TOP - 32, "crossing the top of user space"),
        (DEVICE_VIRTUAL, "device memory"),
    ];
    for (address, what) in bad {
        let mut registers: [u32; 12] = core::array::from_fn(|index| 0x5A00 + index as u32);
        registers[0] = address;
        let before = registers;
        // SAFETY: `registers` is a valid local; the frame is refused, so the call returns.
        unsafe { pv_raw_syscall(PV_SYS_CONTEXT_RESUME, &mut registers) };
        check!(
            CHECKS,
            registers[0] == PV_ERR_BAD_ADDRESS && registers[1..] == before[1..],
            "{what} frame at {address:#x}: PV_ERR_BAD_ADDRESS, r1..r11 unchanged ({:#x})",
            registers[0]
        );
    }
    CHECKS.finish()
}
