// SPDX-License-Identifier: MIT OR Apache-2.0
//! The guest runtime on the target (see the crate documentation).

use crate::virq;
use core::fmt::Write;
use core::sync::atomic::{AtomicU32, AtomicUsize, Ordering, compiler_fence};
use paravirt_api::guest::*;
use paravirt_api::tick::TickSchedule;
use paravirt_api::*;

#[path = "arch/armv7a.rs"]
mod cpu;

#[allow(non_upper_case_globals, non_camel_case_types, non_snake_case, dead_code, missing_docs)]
#[allow(clippy::upper_case_acronyms)]
mod ucos {
    include!(concat!(env!("OUT_DIR"), "/ucos_ii.rs"));
}

use ucos::OS_STK;

// The virtual-interrupt words, adjacent (mask, pending, tick count; 16-byte
// aligned) as `PV_SYS_VIRQ_BIND` takes them with `PV_VIRQ_WORDS_TICK_COUNT`:
// defined in `arch/armv7a.rs`.
unsafe extern "C" {
    /// Virtual-interrupt mask shared with Interrupt_loop and the kernel: 1 =
    /// masked. The guest starts masked; the first task's frame unmasks it.
    safe static ucvisor_virq_mask: AtomicU32;
    /// Pending virtual interrupts, one bit each, claimed with an atomic swap
    /// (the kernel ORs bits in on the direct path).
    safe static ucvisor_virq_pending: AtomicU32;
    /// The ticks the kernel generated for the µC/OS-II thread (direct path):
    /// it writes the count here as it delivers each tick, and the dispatch
    /// takes the ticks due as the difference from the count it has counted.
    safe static ucvisor_virq_ticks: AtomicU32;
}

/// What the virtual-interrupt dispatch reads at every tick, in one block
/// (one base address for all of it).
#[repr(C)]
struct Dispatch {
    /// The guest's virtual-interrupt path (`PV_VIRQ_DIRECT` or
    /// `PV_VIRQ_PAPER`, from the startup message).
    path: AtomicU32,
    /// Ticks counted and not yet run through `OSTimeTick`.
    ticks_pending: AtomicU32,
    /// Ticks counted so far: on the paper path what Interrupt_loop's copy of
    /// v_timer's schedule says fell due, on the direct path the kernel's
    /// count as the µC/OS-II thread last took it (written by that thread only).
    ticks_counted: AtomicU32,
    /// `OS_TMR_CFG_TICKS_PER_SEC`, at most `OS_TICKS_PER_SEC` (0: no
    /// software timers), set before µC/OS-II starts.
    timer_rate: AtomicU32,
}

static DISPATCH: Dispatch = Dispatch {
    path: AtomicU32::new(PV_VIRQ_PAPER),
    ticks_pending: AtomicU32::new(0),
    ticks_counted: AtomicU32::new(0),
    timer_rate: AtomicU32::new(0),
};
/// v_timer's client: the µC/OS-II thread on the direct path, Interrupt_loop on
/// the paper path.
static TIMER_CLIENT: AtomicU32 = AtomicU32::new(0);

fn direct() -> bool {
    DISPATCH.path.load(Ordering::Relaxed) == PV_VIRQ_DIRECT
}
/// Phase of the software-timer rate within a tick period: grows by
/// `OS_TMR_CFG_TICKS_PER_SEC` each tick; each time it passes `OS_TICKS_PER_SEC`,
/// `OSTmrSignal` runs. Exact in the long run whether or not one rate divides the
/// other (1024 Hz ticks with 10 Hz timers: every 102.4 ticks on average).
static TIMER_PHASE: AtomicU32 = AtomicU32::new(0);

static ROOT_SERVER: AtomicU32 = AtomicU32::new(0);
/// Priority of the µC/OS-II thread, from the startup message (the guest's
/// `priority` in the system description; Interrupt_loop runs one above).
static UCOS_PRIORITY: AtomicU32 = AtomicU32::new(0);
static V_TIMER: AtomicU32 = AtomicU32::new(0);
static V_SERIAL: AtomicU32 = AtomicU32::new(0);
static UCOS_THREAD: AtomicU32 = AtomicU32::new(0);
/// Idle time not yet counted in `OSIdleCtr` (fraction of a microsecond, in
/// counter ticks × 10⁶).
static IDLE_REMAINDER: AtomicU32 = AtomicU32::new(0);

static HEAP_NEXT: AtomicUsize = AtomicUsize::new(0);
static HEAP_END: AtomicUsize = AtomicUsize::new(0);

/// Console input ring: Interrupt_loop produces, tasks consume.
static INPUT: [AtomicU32; 256] = [const { AtomicU32::new(0) }; 256];
static INPUT_HEAD: AtomicU32 = AtomicU32::new(0);
static INPUT_TAIL: AtomicU32 = AtomicU32::new(0);

/// Handlers attached to virtual interrupts from C.
static HANDLERS: [AtomicUsize; virq::COUNT as usize] = [const { AtomicUsize::new(0) }; virq::COUNT as usize];

/// Heap for newlib's malloc.
const HEAP_SIZE: u32 = 2 * PV_SECTION_SIZE;
/// Exit code of a guest whose tick rate v_timer refused (sysexits' EX_CONFIG).
const EXIT_TICK_REFUSED: i32 = 78;

unsafe extern "C" {
    fn main() -> i32;
    static ucvisor_cfg_ticks_per_sec: u32;
    static ucvisor_cfg_tmr_ticks_per_sec: u32;
    static ucvisor_cfg_vfp: u32;
    fn ucvisor_cfg_tmr_signal();
    fn ucvisor_cfg_task_start(ptos: *mut OS_STK);
    fn ucvisor_cfg_idle_account(microseconds: u32);
    fn ucvisor_cfg_input_wait();
    fn ucvisor_cfg_input_signal();
    /// The OSTaskIdleHook of the port's C file or of the application (`--wrap`).
    fn __real_OSTaskIdleHook();
    fn ucvisor_virq_entry_soft();
    fn ucvisor_virq_entry_vfp();
}

/// The runtime's own messages: through v_serial once the startup message
/// named it (so they carry the guest's console tag), the kernel console before.
fn debug(text: &str) {
    let v_serial = V_SERIAL.load(Ordering::Relaxed);
    // SAFETY: `text` is valid for reads of its length.
    if v_serial != PV_NIL_THREAD && unsafe { pv_serial_write(v_serial, text.as_ptr(), text.len() as u32) } == PV_OK {
        return;
    }
    for chunk in text.as_bytes().chunks(PV_DEBUG_WRITE_MAX as usize) {
        pv_debug_write(chunk.as_ptr().cast(), chunk.len() as u32);
    }
}

/// A line of text formatted on the stack (longer output is cut).
struct Text {
    bytes: [u8; 256],
    length: usize,
}

impl Text {
    fn new() -> Self {
        Self { bytes: [0; 256], length: 0 }
    }

    fn as_str(&self) -> &str {
        core::str::from_utf8(&self.bytes[..self.length]).unwrap_or("?\n")
    }
}

impl Write for Text {
    fn write_str(&mut self, text: &str) -> core::fmt::Result {
        let room = self.bytes.len() - self.length;
        let mut take = text.len().min(room);
        while !text.is_char_boundary(take) {
            take -= 1;
        }
        self.bytes[self.length..self.length + take].copy_from_slice(&text.as_bytes()[..take]);
        self.length += take;
        Ok(())
    }
}

// ----- boot flow -------------------------------------------------------------------

/// The guest's first instruction: the root server starts its first thread here.
#[unsafe(no_mangle)]
#[unsafe(link_section = ".text._Start")]
pub extern "C" fn _Start() -> ! {
    lib_init();
    bootstrap()
}

/// `Lib_Init`: the startup message (server IDs) and memory sections from the root server.
fn lib_init() {
    let mut startup = PvMessage::new(0, &[]);
    let mut root = 0;
    // SAFETY: `startup` and `root` are valid locals.
    let result = unsafe { pv_receive(PV_ANY_THREAD, &mut startup, PV_TIMEOUT_NEVER, &mut root) };
    let words = startup.tag & PV_TAG_WORDS_MASK;
    if result != PV_OK || startup.tag >> PV_TAG_LABEL_SHIFT != PV_LABEL_STARTUP || words < PV_STARTUP_WORDS {
        debug("[guest] no startup message from the root server\n");
        block_forever();
    }
    ROOT_SERVER.store(root, Ordering::Relaxed);
    V_TIMER.store(startup.mr[0], Ordering::Relaxed);
    V_SERIAL.store(startup.mr[1], Ordering::Relaxed);
    UCOS_PRIORITY.store(startup.mr[4], Ordering::Relaxed);
    DISPATCH.path.store(if startup.mr[5] == PV_VIRQ_PAPER { PV_VIRQ_PAPER } else { PV_VIRQ_DIRECT }, Ordering::Relaxed);
    let mut heap = 0;
    // SAFETY: `heap` is a valid local.
    let result = unsafe { pv_memsection_create(root, HEAP_SIZE, &mut heap) };
    if result != PV_OK {
        let mut text = Text::new();
        let _ = writeln!(text, "[guest] the root server refused the {} KiB heap (error {result})", HEAP_SIZE / 1024);
        debug(text.as_str());
        ucvisor_exit(EXIT_NO_MEMORY);
    }
    HEAP_NEXT.store(heap as usize, Ordering::Relaxed);
    HEAP_END.store((heap + HEAP_SIZE) as usize, Ordering::Relaxed);
}

/// Exit code of a guest the root server could not give the memory its runtime
/// needs (the heap, the µC/OS-II thread's stack).
const EXIT_NO_MEMORY: i32 = 79;

/// The paper's guest `main`: create the µC/OS-II thread, ask for the tick, start
/// it at `Start_kernel`, become Interrupt_loop.
fn bootstrap() -> ! {
    let root = ROOT_SERVER.load(Ordering::Relaxed);
    let me = pv_thread_self();
    let mut stack = 0;
    let mut thread = 0;
    let priority = UCOS_PRIORITY.load(Ordering::Relaxed);
    // SAFETY: `stack` and `thread` are valid locals.
    let (stack_result, thread_result) = unsafe {
        (pv_memsection_create(root, PV_SECTION_SIZE, &mut stack), pv_root_thread_create(root, priority, &mut thread))
    };
    if stack_result != PV_OK || thread_result != PV_OK {
        let mut text = Text::new();
        let _ = writeln!(
            text,
            "[guest] the root server refused the µC/OS-II thread's stack (error {stack_result}) or the thread at \
             priority {priority} (error {thread_result})"
        );
        debug(text.as_str());
        // Ends the guest (reported by the root server) rather than hang: the
        // usual cause is a `memory_kib` too small for the runtime's sections.
        ucvisor_exit(EXIT_NO_MEMORY);
    }
    UCOS_THREAD.store(thread, Ordering::Relaxed);
    // Both paths: the kernel injects the µC/OS-II thread's virtual interrupts
    // when it is notified (the same frame Interrupt_loop once built with two
    // ExchangeRegisters, in one kernel step).
    // The tick count word too: the kernel writes it on the direct path.
    let words = (&ucvisor_virq_mask as *const AtomicU32 as usize as u32) | PV_VIRQ_WORDS_TICK_COUNT;
    // The entry of this guest's frame layout (the path tests no configuration).
    // SAFETY: a constant of the port's C half.
    let vfp = unsafe { ucvisor_cfg_vfp } != 0;
    let entry = if vfp { ucvisor_virq_entry_vfp as *const () } else { ucvisor_virq_entry_soft as *const () };
    let entry = entry as usize as u32;
    let result = pv_virq_bind(thread, words, entry);
    if result != PV_OK {
        let mut text = Text::new();
        let _ = writeln!(text, "[guest] the kernel refused the virtual-interrupt binding (error {result})");
        debug(text.as_str());
        ucvisor_exit(EXIT_NO_VIRQ);
    }
    if direct() {
        // The device servers notify the µC/OS-II thread itself: it becomes
        // v_timer's client and v_serial's input thread (in `start_kernel`),
        // and Interrupt_loop has nothing left to do.
        pv_start_sp_ip(thread, stack + PV_SECTION_SIZE, start_kernel as *const () as usize as u32);
        block_forever()
    }
    // v_timer notifies Interrupt_loop when a tick falls due; the schedule it
    // follows comes with its answer, and Interrupt_loop counts the ticks due by it.
    let schedule = request_tick(me);
    pv_serial_attach_input(V_SERIAL.load(Ordering::Relaxed), me);
    pv_start_sp_ip(thread, stack + PV_SECTION_SIZE, start_kernel as *const () as usize as u32);
    interrupt_loop(thread, schedule)
}

/// Runs the C constructors (`__attribute__((constructor))`, `.init_array`)
/// of the application and its libraries, as a C start-up does before
/// `main()`: in the array's order, which the guests' linker script sorts
/// by priority (`.init_array.NNNNN`) before those without one. Here rather
/// than through newlib's `__libc_init_array`, which also walks
/// `.preinit_array`, whose bounds the guests' linker script does not define.
fn run_constructors() {
    let start = (&raw const __init_array_start).cast::<Constructor>();
    let end = (&raw const __init_array_end).cast::<Constructor>();
    let count = (end as usize - start as usize) / size_of::<Constructor>();
    for index in 0..count {
        // SAFETY: the linker script puts exactly the `.init_array` entries
        // between the two symbols, each a pointer to a C constructor, which
        // takes nothing and returns nothing.
        unsafe { (*start.add(index))() };
    }
}

/// A C constructor as `.init_array` holds it.
type Constructor = unsafe extern "C" fn();

unsafe extern "C" {
    /// The first entry of `.init_array` and one past its last (`port/guest.ld`).
    static __init_array_start: u8;
    static __init_array_end: u8;
}

/// Exit code of a guest whose virtual-interrupt binding the kernel refused.
const EXIT_NO_VIRQ: i32 = 80;

/// Asks v_timer for the application's tick rate for `client`, which it will
/// notify; ends the guest if v_timer refuses (never a guest without a tick).
fn request_tick(client: PvThreadId) -> TickSchedule {
    TIMER_CLIENT.store(client, Ordering::Relaxed);
    // SAFETY: a constant the application's os_cpu_cfg.c defines.
    let ticks_per_second = unsafe { ucvisor_cfg_ticks_per_sec };
    match request_tick_schedule(V_TIMER.load(Ordering::Relaxed), ticks_per_second, client) {
        Ok(schedule) => schedule,
        Err((result, highest)) => {
            // Say why and end the guest before it starts.
            let mut text = Text::new();
            let _ = writeln!(
                text,
                "[guest] v_timer refused OS_TICKS_PER_SEC {ticks_per_second} (error {result}): the highest rate \
                 served is {highest} ticks per second; the guest does not start"
            );
            debug(text.as_str());
            ucvisor_exit(EXIT_TICK_REFUSED);
        }
    }
}

/// Entry of the µC/OS-II thread: on the direct path it registers itself with
/// v_timer and v_serial first; then the application's ordinary `main()`.
extern "C" fn start_kernel() -> ! {
    // SAFETY: constants the application's os_cpu_cfg.c defines.
    let (ticks_per_second, timer_rate) = unsafe { (ucvisor_cfg_ticks_per_sec, ucvisor_cfg_tmr_ticks_per_sec) };
    DISPATCH.timer_rate.store(timer_rate.min(ticks_per_second), Ordering::Relaxed);
    if direct() {
        let me = pv_thread_self();
        // The kernel counts the ticks into `ucvisor_virq_ticks`: the thread
        // needs no copy of the schedule.
        request_tick(me);
        pv_serial_attach_input(V_SERIAL.load(Ordering::Relaxed), me);
    }
    run_constructors();
    // SAFETY: the application defines `int main(void)`.
    let code = unsafe { main() };
    ucvisor_exit(code)
}

/// Ends the guest: tells the root server, then stops.
#[unsafe(no_mangle)]
pub extern "C" fn ucvisor_exit(code: i32) -> ! {
    pv_root_exit(ROOT_SERVER.load(Ordering::Relaxed), code as u32);
    block_forever()
}

// ----- Interrupt_loop ---------------------------------------------------------------------

fn raise(number: u32) {
    ucvisor_virq_pending.fetch_or(1 << number, Ordering::AcqRel);
}

/// Interrupt_loop: turns the device servers' notifications into pending
/// virtual interrupts and delivers them. v_timer's (`PV_NOTIFY_TIMER_TICK`)
/// carries no count: the ticks due are what `schedule`, the same schedule
/// v_timer follows, says fell due by the counter now, so a notification that
/// comes late brings every tick missed and a spurious one none. v_serial's
/// (`PV_NOTIFY_SERIAL_INPUT`) says input waits: it is taken with
/// `PV_SERIAL_READ_INPUT` until none is left. A notification is the
/// kernel's message (its label no thread can send), and whoever could set
/// the bits gains nothing: ticks come from the counter, input from v_serial.
/// Delivering and waiting for the next event are one kernel call (notify
/// with a receive phase, `notify_wait_registers`).
fn interrupt_loop(ucos_thread: PvThreadId, mut schedule: TickSchedule) -> ! {
    let v_serial = V_SERIAL.load(Ordering::Relaxed);
    // One register message for every event: each receive overwrites it
    // whole, so nothing is built or zeroed per event.
    let mut event = PvRegisterMessage::default();
    let receive_only = pv_timeouts(PV_TIMEOUT_ZERO, PV_TIMEOUT_NEVER);
    // SAFETY: `event` is a valid local.
    let mut result = unsafe { pv_ipc_registers(PV_NIL_THREAD, PV_ANY_THREAD, receive_only, &mut event) };
    loop {
        let mut pending = 0;
        if result == PV_OK && event.tag >> PV_TAG_LABEL_SHIFT == PV_LABEL_NOTIFICATION {
            let bits = event.mr[0];
            if bits & PV_NOTIFY_TIMER_TICK != 0 && count_ticks(&mut schedule) > 0 {
                pending |= 1 << virq::TICK;
            }
            if bits & PV_NOTIFY_SERIAL_INPUT != 0 && take_input(v_serial) {
                pending |= 1 << virq::CONSOLE;
            }
            // With any still pending (see `deliver`).
            pending |= ucvisor_virq_pending.load(Ordering::Acquire);
        }
        result = if pending != 0 {
            // `deliver`, then the wait for the next event, in one kernel entry.
            notify_wait_registers(ucos_thread, pending, PV_NIL_THREAD, &mut event)
        } else {
            // SAFETY: `event` is a valid local.
            unsafe { pv_ipc_registers(PV_NIL_THREAD, PV_ANY_THREAD, receive_only, &mut event) }
        };
    }
}

/// Counts the ticks `schedule` says fell due by the counter now; returns how many.
fn count_ticks(schedule: &mut TickSchedule) -> u32 {
    let due = schedule.advance(virtual_counter());
    add_pending(due);
    due
}

/// Counts `due` more ticks and leaves them pending.
fn add_pending(due: u32) {
    if due > 0 {
        // Counted first, then pending: `ucvisor_ticks_delivered` relies on the
        // order. One core: its readers see the compiler's order. The counting
        // thread is the only writer of the count; the pending ticks are also
        // taken by the dispatch, so they change by an atomic add.
        add_counted(due);
        compiler_fence(Ordering::Release);
        DISPATCH.ticks_pending.fetch_add(due, Ordering::Relaxed);
    }
}

/// Adds `due` ticks to the count, written by the counting thread only (a
/// plain store), after everything before it in program order.
#[inline(always)]
fn add_counted(due: u32) {
    let counted = DISPATCH.ticks_counted.load(Ordering::Relaxed).wrapping_add(due);
    compiler_fence(Ordering::Release);
    DISPATCH.ticks_counted.store(counted, Ordering::Relaxed);
}

/// Direct path: counts the ticks the kernel generated since the µC/OS-II
/// thread last counted ([`kernel_ticks_due`]) and leaves them pending. Only in
/// the µC/OS-II thread with virtual interrupts masked (its dispatch,
/// `ucvisor_ticks_delivered`).
fn count_due_ticks() {
    add_pending(kernel_ticks_due());
}

/// Direct path: the ticks the kernel generated (its count in
/// `ucvisor_virq_ticks`) and the µC/OS-II thread has not counted yet. The
/// thread is the only writer of its count, the kernel of the word.
#[inline(always)]
fn kernel_ticks_due() -> u32 {
    let count = ucvisor_virq_ticks.load(Ordering::Relaxed);
    let due = count.wrapping_sub(DISPATCH.ticks_counted.load(Ordering::Relaxed));
    if (due as i32) < 0 {
        return restarted_count(count);
    }
    due
}

/// The kernel's count fell below the thread's: its schedule began anew (a
/// `PV_TICK_START` after a `PV_TICK_STOP`, which application code can cause
/// by asking v_timer for its tick again, unsupported), and counts from 0.
/// Its ticks are the count itself: the thread counts from 0 too, rather than
/// run some four billion ticks.
#[cold]
#[inline(never)]
fn restarted_count(count: u32) -> u32 {
    DISPATCH.ticks_counted.store(0, Ordering::Relaxed);
    count
}

/// Takes the console input waiting in v_serial into the input ring; true if any came.
fn take_input(v_serial: PvThreadId) -> bool {
    let mut bytes = [0u8; PV_SERIAL_CHUNK as usize];
    let mut any = false;
    while let Ok(count @ 1..) = serial_read_input(v_serial, &mut bytes) {
        any = true;
        for &byte in &bytes[..count] {
            let head = INPUT_HEAD.load(Ordering::Acquire);
            if head.wrapping_sub(INPUT_TAIL.load(Ordering::Acquire)) < INPUT.len() as u32 {
                INPUT[(head as usize) % INPUT.len()].store(u32::from(byte), Ordering::Relaxed);
                INPUT_HEAD.store(head.wrapping_add(1), Ordering::Release);
            }
        }
    }
    any
}

/// Raises the virtual interrupts `bits` in the µC/OS-II thread and injects
/// them, with any still pending, if it can take them now, in one kernel call:
/// a notification to the bound thread. The kernel ORs the bits into the
/// pending word, redirects it to the virtual IRQ entry if it is ready in user mode and
/// unmasked, completes its idle wait (an open receive), and otherwise leaves
/// the bits pending: the thread takes them when it unmasks or returns from its
/// system call.
fn deliver(thread: PvThreadId, bits: u32) {
    let pending = bits | ucvisor_virq_pending.load(Ordering::Acquire);
    if pending != 0 {
        pv_notify(thread, pending);
    }
}

// ----- virtual interrupt dispatch (µC/OS-II ISR context, masked) ---------------------------

// The device servers' notification bits are the port's virtual-interrupt
// numbers: on the direct path the kernel sets them in the pending word as they are.
const _: () = assert!(PV_NOTIFY_TIMER_TICK == 1 << virq::TICK && PV_NOTIFY_SERIAL_INPUT == 1 << virq::CONSOLE);

/// Runs the pending virtual interrupts; called by the virtual IRQ entry
/// between the ISR count (`OSIntNesting++`) and `OSIntExit` (the entry has
/// already checked the interrupted task's stack).
#[unsafe(no_mangle)]
pub extern "C" fn ucvisor_virq_dispatch() {
    // Relaxed, then a compiler fence: whoever sets a bit (the kernel, or a
    // thread of this guest before its notification or kernel entry) ran on this
    // core before the dispatch could, so the core needs no barrier; the fence
    // keeps the compiler from moving the handlers' accesses above the claim.
    let mut pending = ucvisor_virq_pending.swap(0, Ordering::Relaxed);
    compiler_fence(Ordering::Acquire);
    let ticks = if direct() {
        // The kernel set v_timer's and v_serial's bits (the same numbers as
        // virq::TICK and virq::CONSOLE): count the ticks due and take the
        // input here, in ISR context, masked.
        if pending & PV_NOTIFY_SERIAL_INPUT != 0 && !take_input(V_SERIAL.load(Ordering::Relaxed)) {
            pending &= !PV_NOTIFY_SERIAL_INPUT;
        }
        if pending & PV_NOTIFY_TIMER_TICK != 0 { take_due_ticks() } else { 0 }
    } else if pending & (1 << virq::TICK) != 0 {
        DISPATCH.ticks_pending.swap(0, Ordering::AcqRel)
    } else {
        0
    };
    if ticks != 0 {
        run_ticks(ticks);
    }
    if pending & !(1 << virq::TICK) != 0 {
        dispatch_others(pending);
    }
}

/// Direct path, in the dispatch: the ticks to run now — those the kernel
/// generated since the last count, counted, and any counted before and not
/// run yet (`ucvisor_ticks_delivered` counts too). The µC/OS-II thread is the
/// only writer of both counts on the direct path, and it is masked here, so
/// plain loads and stores do (other threads only read them).
fn take_due_ticks() -> u32 {
    let due = kernel_ticks_due();
    let waiting = DISPATCH.ticks_pending.load(Ordering::Relaxed);
    // Counted first, then taken from pending: `ucvisor_ticks_delivered`
    // relies on the order. Its readers run on this core, after this thread
    // was stopped in a kernel entry: the compiler's order is the order they see.
    if due != 0 {
        add_counted(due);
    }
    if waiting != 0 {
        compiler_fence(Ordering::Release);
        DISPATCH.ticks_pending.store(0, Ordering::Relaxed);
    }
    waiting.wrapping_add(due)
}

/// `OSTimeTick` `ticks` times, and `OSTmrSignal` at the timer rate.
fn run_ticks(ticks: u32) {
    let timer_rate = DISPATCH.timer_rate.load(Ordering::Relaxed);
    for _ in 0..ticks {
        // SAFETY: µC/OS-II's tick, called in ISR context as its contract requires.
        unsafe { ucos::OSTimeTick() };
        if timer_rate != 0 {
            timer_phase_step(timer_rate);
        }
    }
}

/// One tick's step of the software-timer phase: `OSTmrSignal` each time it
/// passes `OS_TICKS_PER_SEC` (out of line: most guests have no timers).
#[inline(never)]
fn timer_phase_step(timer_rate: u32) {
    // SAFETY: a constant the application's os_cpu_cfg.c defines.
    let ticks_per_second = unsafe { ucvisor_cfg_ticks_per_sec };
    let phase = TIMER_PHASE.load(Ordering::Relaxed) + timer_rate;
    if phase >= ticks_per_second {
        TIMER_PHASE.store(phase - ticks_per_second, Ordering::Relaxed);
        // SAFETY: calls OSTmrSignal when the application enabled timers.
        unsafe { ucvisor_cfg_tmr_signal() };
    } else {
        TIMER_PHASE.store(phase, Ordering::Relaxed);
    }
}

/// The virtual interrupts other than the tick in `pending`: console input,
/// then the attached handlers of the raised lines.
#[inline(never)]
fn dispatch_others(pending: u32) {
    if pending & (1 << virq::CONSOLE) != 0 {
        // SAFETY: the port's C half, called from ISR context as it expects.
        unsafe { ucvisor_cfg_input_signal() };
    }
    // Only the raised lines, lowest first: no scan of every handler.
    let mut raised = pending & !((1u32 << virq::FIRST_USER) - 1);
    while raised != 0 {
        let number = raised.trailing_zeros();
        raised &= raised - 1;
        let handler = HANDLERS.get(number as usize).map_or(0, |h| h.load(Ordering::Acquire));
        if handler != 0 {
            // SAFETY: only `ucvisor_virq_attach` stores handlers, as C function pointers.
            let handler: extern "C" fn(u32) = unsafe { core::mem::transmute(handler) };
            handler(number);
        }
    }
}

/// Attaches `handler` to virtual interrupt `number` (2..31); it runs in ISR
/// context (after the ISR count, before OSIntExit). Returns 0, or 1 for a bad number.
#[unsafe(no_mangle)]
pub extern "C" fn ucvisor_virq_attach(number: u32, handler: Option<extern "C" fn(u32)>) -> u32 {
    if !(virq::FIRST_USER..virq::COUNT).contains(&number) {
        return 1;
    }
    HANDLERS[number as usize].store(handler.map_or(0, |h| h as usize), Ordering::Release);
    0
}

/// Raises virtual interrupt `number` (2..31) from any thread of the guest.
#[unsafe(no_mangle)]
pub extern "C" fn ucvisor_virq_raise(number: u32) -> u32 {
    if !(virq::FIRST_USER..virq::COUNT).contains(&number) {
        return 1;
    }
    if pv_thread_self() == UCOS_THREAD.load(Ordering::Relaxed) {
        raise(number);
        poll_pending();
    } else if direct() {
        // The kernel sets the bit and injects it (this space may name its own threads).
        pv_notify(UCOS_THREAD.load(Ordering::Relaxed), 1 << number);
    } else {
        deliver(UCOS_THREAD.load(Ordering::Relaxed), 1 << number);
    }
    0
}

/// Takes pending interrupts now if virtual interrupts are enabled (after a
/// system call, during which they could not be injected).
fn poll_pending() {
    // SAFETY: the port's critical-section primitives; restoring the state just
    // saved delivers anything pending when it was unmasked.
    unsafe {
        let state = OS_CPU_SR_Save();
        OS_CPU_SR_Restore(state);
    }
}

unsafe extern "C" {
    fn OS_CPU_SR_Save() -> u32;
    fn OS_CPU_SR_Restore(state: u32);
}

/// The number of ticks v_timer generated for this guest that have reached
/// µC/OS-II's `OSTimeTick` — what `OSTimeGet()` must equal if no tick was lost
/// or doubled. The guest counts the ticks its copy of v_timer's schedule says
/// are due by the counter, never fewer than v_timer generated (it counts after
/// v_timer's notification, by a later counter value); so the ticks generated
/// are the larger of v_timer's count and the guest's, and a notification that
/// never arrived shows as v_timer being ahead. Read race-free: the guest's
/// count is read before and after v_timer's, and the reading is retried until
/// both agree.
///
/// On the paper path Interrupt_loop counts. On the direct path the µC/OS-II
/// thread counts, in its virtual-interrupt dispatch; a caller in that thread
/// (masked) counts the ticks due by now around each reading of v_timer's
/// count, so a tick v_timer generates between the readings is counted too
/// (and left pending, not yet in `OSTimeGet`) rather than make v_timer look
/// ahead. Taking the mask also takes, when the caller unmasks, whatever became
/// pending during these system calls.
#[unsafe(no_mangle)]
pub extern "C" fn ucvisor_ticks_delivered() -> u32 {
    let in_ucos = pv_thread_self() == UCOS_THREAD.load(Ordering::Relaxed);
    if !(in_ucos && direct()) {
        return ticks_delivered(|| {});
    }
    // SAFETY: the port's critical-section primitives, in the µC/OS-II thread.
    let state = unsafe { OS_CPU_SR_Save() };
    let delivered = ticks_delivered(count_due_ticks);
    if DISPATCH.ticks_pending.load(Ordering::Acquire) != 0 {
        raise(virq::TICK);
    }
    // SAFETY: as above; restoring an unmasked state takes what is pending.
    unsafe { OS_CPU_SR_Restore(state) };
    delivered
}

/// See `ucvisor_ticks_delivered`; `count` brings the guest's count up to date
/// where the caller may (the direct path's µC/OS-II thread, masked).
fn ticks_delivered(count: impl Fn()) -> u32 {
    let v_timer = V_TIMER.load(Ordering::Relaxed);
    let me = TIMER_CLIENT.load(Ordering::Relaxed);
    loop {
        let (mut generated, mut generated_again) = (0, 0);
        // SAFETY: the out pointers are valid locals or NULL.
        unsafe { pv_timer_query(v_timer, me, &mut generated, core::ptr::null_mut()) };
        count();
        let counted = DISPATCH.ticks_counted.load(Ordering::Acquire);
        let pending = DISPATCH.ticks_pending.load(Ordering::Acquire);
        // SAFETY: as above.
        unsafe { pv_timer_query(v_timer, me, &mut generated_again, core::ptr::null_mut()) };
        count();
        if generated == generated_again && counted == DISPATCH.ticks_counted.load(Ordering::Acquire) {
            let behind = (generated.wrapping_sub(counted) as i32) > 0;
            return if behind { generated } else { counted }.wrapping_sub(pending);
        }
    }
}

/// The root server's thread ID, for the `paravirt.h` requests that take it.
#[unsafe(no_mangle)]
pub extern "C" fn ucvisor_root_server() -> PvThreadId {
    ROOT_SERVER.load(Ordering::Relaxed)
}

/// v_serial's thread ID, for the `paravirt.h` requests that take it.
#[unsafe(no_mangle)]
pub extern "C" fn ucvisor_v_serial() -> PvThreadId {
    V_SERIAL.load(Ordering::Relaxed)
}

/// v_timer's thread ID, for the `paravirt.h` requests that take it.
#[unsafe(no_mangle)]
pub extern "C" fn ucvisor_v_timer() -> PvThreadId {
    V_TIMER.load(Ordering::Relaxed)
}

/// The priority of the guest's µC/OS-II thread (its `priority` in the system
/// description); its Interrupt_loop runs one above, the guest's ceiling.
#[unsafe(no_mangle)]
pub extern "C" fn ucvisor_priority() -> u32 {
    UCOS_PRIORITY.load(Ordering::Relaxed)
}

/// The virtual counter (CNTVCT): the generic timer's count, which v_timer's
/// tick follows. Readable from any thread without a system call.
#[unsafe(no_mangle)]
pub extern "C" fn ucvisor_counter() -> u64 {
    virtual_counter()
}

/// Frequency of [`ucvisor_counter`] in Hz (CNTFRQ).
#[unsafe(no_mangle)]
pub extern "C" fn ucvisor_counter_frequency() -> u32 {
    counter_frequency()
}

// ----- console and heap (newlib system calls) -------------------------------------------

/// `_write` for stdout/stderr: through v_serial.
#[unsafe(no_mangle)]
pub extern "C" fn ucvisor_console_write(buffer: *const u8, length: i32) -> i32 {
    if length <= 0 {
        return 0;
    }
    // Masked: the UTCB the message is built in belongs to the whole µC/OS-II
    // thread, and a line is never interleaved with another task's output.
    // Restoring the mask takes what arrived meanwhile.
    // SAFETY: the port's critical-section primitives; newlib passes a buffer of
    // `length` bytes.
    let result = unsafe {
        let state = OS_CPU_SR_Save();
        let result = pv_serial_write(V_SERIAL.load(Ordering::Relaxed), buffer, length as u32);
        OS_CPU_SR_Restore(state);
        result
    };
    if result == PV_OK { length } else { -1 }
}

/// `_read` for stdin: blocks the calling task (on a µC/OS-II semaphore posted by
/// the console's virtual interrupt) until at least one byte arrived.
#[unsafe(no_mangle)]
pub extern "C" fn ucvisor_console_read(buffer: *mut u8, length: i32) -> i32 {
    if length <= 0 {
        return 0;
    }
    loop {
        let mut count = 0;
        while count < length as usize {
            let tail = INPUT_TAIL.load(Ordering::Acquire);
            if tail == INPUT_HEAD.load(Ordering::Acquire) {
                break;
            }
            let byte = INPUT[(tail as usize) % INPUT.len()].load(Ordering::Relaxed) as u8;
            INPUT_TAIL.store(tail.wrapping_add(1), Ordering::Release);
            // SAFETY: newlib passes a buffer of `length` bytes.
            unsafe { *buffer.add(count) = byte };
            count += 1;
        }
        if count > 0 {
            return count as i32;
        }
        // SAFETY: the port's C half; blocks this task until console input.
        unsafe { ucvisor_cfg_input_wait() };
    }
}

/// `_sbrk`: the heap is the memory section Lib_Init obtained.
#[unsafe(no_mangle)]
pub extern "C" fn ucvisor_sbrk(increment: isize) -> *mut u8 {
    let previous = HEAP_NEXT.load(Ordering::Relaxed);
    let next = previous.wrapping_add_signed(increment);
    if previous == 0 || next > HEAP_END.load(Ordering::Relaxed) || next < previous.min(next) {
        return usize::MAX as *mut u8;
    }
    HEAP_NEXT.store(next, Ordering::Relaxed);
    previous as *mut u8
}

// ----- port functions and hooks ---------------------------------------------------------------

/// Builds a new task's first context frame (see `arch/armv7a.rs` for the layout):
/// the task starts in [`ucvisor_task_entry`] with virtual interrupts enabled.
///
/// # Safety
/// `ptos` must be the highest valid entry of a stack with room for a frame (and
/// the VFP area of a hard-float guest).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn OSTaskStkInit(
    task: Option<unsafe extern "C" fn(*mut core::ffi::c_void)>,
    p_arg: *mut core::ffi::c_void,
    ptos: *mut OS_STK,
    _opt: u16,
) -> *mut OS_STK {
    let top = (ptos as usize + 4) & !7;
    let frame = (top - cpu::FRAME_SIZE) as *mut u32;
    let task = task.map_or(0, |t| t as usize as u32);
    let mut words = [0u32; cpu::FRAME_SIZE / 4];
    words[0] = 0; // virtual interrupts enabled
    words[1] = p_arg as usize as u32; // r0
    words[2] = task; // r1
    words[3] = ptos as usize as u32; // r2
    for (register, word) in words[4..14].iter_mut().enumerate() {
        *word = 0x0101_0101 * (register as u32 + 3); // r3..r12, recognisable in a debugger
    }
    words[14] = ucos::OS_TaskReturn as *const () as usize as u32; // lr
    words[15] = 0; // CPSR user bits
    words[16] = ucvisor_task_entry as *const () as usize as u32; // pc
    // SAFETY: the caller guarantees the stack has room for the frame below `ptos`.
    unsafe { core::ptr::copy_nonoverlapping(words.as_ptr(), frame, words.len()) };
    // SAFETY: a constant of the port's C half.
    if unsafe { ucvisor_cfg_vfp } == 0 {
        return frame as *mut OS_STK;
    }
    // Hard-float guest: FPSCR 0 (round to nearest, no traps) and zeroed d0-d15.
    let vfp = (frame as usize - cpu::VFP_AREA_SIZE) as *mut u8;
    // SAFETY: as above, the stack has room for the VFP area below the frame.
    unsafe { core::ptr::write_bytes(vfp, 0, cpu::VFP_AREA_SIZE) };
    vfp as *mut OS_STK
}

/// Where every task starts (its frame from [`OSTaskStkInit`]): the port's
/// per-task setup on the task's own stack, then the task, then
/// `OS_TaskReturn` if it returns.
extern "C" fn ucvisor_task_entry(
    p_arg: *mut core::ffi::c_void,
    task: Option<unsafe extern "C" fn(*mut core::ffi::c_void)>,
    ptos: *mut OS_STK,
) -> ! {
    // SAFETY: the port's C half, in the new task's context; `task` is the
    // function µC/OS-II was given for this task.
    unsafe {
        ucvisor_cfg_task_start(ptos);
        if let Some(task) = task {
            task(p_arg);
        }
    }
    // OS_TaskReturn deletes the task (or, without OSTaskDel, delays it forever).
    loop {
        // SAFETY: µC/OS-II's end of a task that returned, in task context.
        unsafe { ucos::OS_TaskReturn() };
    }
}

/// A task's stack ran past its bottom (found by the port's checks on every
/// context switch and interrupt entry): report it to the root server, which
/// stops the guest, instead of running on in corrupted memory.
#[unsafe(no_mangle)]
pub extern "C" fn ucvisor_stack_overflow(prio: u32, name: *const u8, sp: u32, bottom: u32) -> ! {
    let mut words = [0u32; 4 + PV_GUEST_ERROR_NAME_WORDS as usize];
    words[0] = PV_GUEST_ERROR_STACK_OVERFLOW;
    words[1] = prio;
    words[2] = sp;
    words[3] = bottom;
    if !name.is_null() {
        for index in 0..(4 * PV_GUEST_ERROR_NAME_WORDS as usize - 1) {
            // SAFETY: a NUL-terminated task name (µC/OS-II's OSTCBTaskName or "?").
            let byte = unsafe { *name.add(index) };
            if byte == 0 {
                break;
            }
            words[4 + index / 4] |= u32::from(byte) << (8 * (index % 4));
        }
    }
    // SAFETY: `words` is a local array of `words.len()` words.
    unsafe { pv_root_guest_error(ROOT_SERVER.load(Ordering::Relaxed), words.as_ptr(), words.len() as u32) };
    block_forever()
}

/// Resuming a frame through the kernel failed (it cannot, for a frame on the
/// task's own stack): report and end the guest rather than run on wrongly.
#[unsafe(no_mangle)]
pub extern "C" fn ucvisor_resume_failed() -> ! {
    debug("[guest] the kernel refused to resume a task context\n");
    ucvisor_exit(102)
}

/// The idle task's hook, wrapped by the port (`--wrap=OSTaskIdleHook`, see the
/// guest build): after the port's or the application's own OSTaskIdleHook, wait
/// for the next virtual interrupt in an IPC receive (so an idle guest blocks
/// rather than spins), count the time waited as idle time, then take it.
#[unsafe(no_mangle)]
pub extern "C" fn __wrap_OSTaskIdleHook() {
    // SAFETY: the OSTaskIdleHook the application or the port's C half defines.
    unsafe { __real_OSTaskIdleHook() };
    if ucvisor_virq_pending.load(Ordering::Acquire) == 0 {
        let start = virtual_counter();
        // The kernel completes an open receive of the bound thread with the
        // notification that raises its virtual interrupts (one that comes
        // before the receive starts finds the task ready and unmasked and is
        // injected at once instead). No message buffer: the idle task's stack
        // is small (OS_TASK_IDLE_STK_SIZE).
        // SAFETY: NULL message and sender pointers are allowed.
        unsafe { pv_receive(PV_ANY_THREAD, core::ptr::null_mut(), PV_TIMEOUT_NEVER, core::ptr::null_mut()) };
        let waited = virtual_counter().wrapping_sub(start);
        let frequency = u64::from(counter_frequency()).max(1);
        let microseconds = IDLE_REMAINDER.load(Ordering::Relaxed) as u64 + waited * 1_000_000;
        IDLE_REMAINDER.store((microseconds % frequency) as u32, Ordering::Relaxed);
        // SAFETY: the port's C half, in the idle task.
        unsafe { ucvisor_cfg_idle_account((microseconds / frequency).min(u64::from(u32::MAX)) as u32) };
    }
    poll_pending();
}

#[panic_handler]
fn panic(info: &core::panic::PanicInfo<'_>) -> ! {
    debug("[guest] runtime panic");
    if let Some(location) = info.location() {
        debug(" at ");
        debug(location.file());
    }
    debug("\n");
    ucvisor_exit(101)
}
