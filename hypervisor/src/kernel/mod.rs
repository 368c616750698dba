// SPDX-License-Identifier: MIT OR Apache-2.0
//! The portable microkernel: threads, address spaces, scheduling, IPC,
//! interrupts as IPC, ExchangeRegisters and user faults, written against the
//! [`Machine`] trait so that all of it builds and is unit-tested on the host.
//!
//! The arch layer saves a trapping thread's registers into its TCB's
//! [`UserContext`], calls one of [`Kernel::system_call`], [`Kernel::interrupt`]
//! or [`Kernel::user_fault`], then resumes whichever thread [`Kernel::current`]
//! names afterwards. Nothing user mode passes in is trusted: every argument is
//! checked and a bad one becomes an error code in `r0`.
//!
//! No unsafe code here: the only memory the kernel reaches through the
//! [`Machine`] is named by [`RamWord`] and [`RamRange`], which exist only for
//! user RAM and the UTCB pool of the [`MemoryLayout`].

#![forbid(unsafe_code)]

mod fastpath;
mod ipc;
mod notify;
pub mod sched;
mod syscall;
#[cfg(test)]
mod tests;
mod ticks;

use crate::memory::page_table::{L1Table, L2Pool, MapError};
use crate::memory::spaces::SpaceTables;
use crate::table::Table;
pub use fastpath::FastPath;
pub use notify::VirqBinding;
use paravirt_api::*;
use sched::ReadyQueues;
pub use ticks::MAX_TICK_SCHEDULES;

/// Threads the kernel can hold (index 0 is the nil thread and never used).
pub const MAX_THREADS: usize = 64;
/// Address spaces (index 0 is the kernel's own, holding only global mappings).
pub const MAX_SPACES: usize = 16;
/// Interrupt lines the kernel manages.
pub const IRQ_LIMIT: usize = 128;
/// Kernel tick rate: resolution of IPC timeouts and of the timeslice.
pub const KERNEL_TICK_HZ: u32 = 1000;
/// Timeslice in kernel ticks (round-robin within a priority).
///
/// Each thread has its own (L4 style, see [`Kernel::tick`]): a thread runs
/// until it has used `TIMESLICE_TICKS` ticks of CPU time, however often a
/// higher priority preempts it in between; then it goes to the back of its
/// priority's queue with a fresh timeslice.
pub const TIMESLICE_TICKS: u32 = 10;
/// Priority of the root task.
pub const ROOT_PRIORITY: u8 = 100;

/// CPSR mode bits of user mode.
pub const CPSR_USER_MODE: u32 = 0x10;
/// CPSR Thumb bit.
pub const CPSR_THUMB: u32 = PV_FLAGS_THUMB;

/// The CPSR a user thread resumes with, made from any value: only the
/// user-visible bits (`PV_USER_FLAGS_MASK`) survive, the IT bits only in Thumb
/// state (in ARM state they must be zero), and the mode is USR. The A, I, F
/// masks, J and the reserved bits are always clear.
pub const fn user_cpsr(cpsr: u32) -> u32 {
    let mut cpsr = cpsr & PV_USER_FLAGS_MASK;
    if cpsr & CPSR_THUMB == 0 {
        cpsr &= !PV_FLAGS_IT_MASK;
    }
    cpsr | CPSR_USER_MODE
}

/// A user thread's registers as the trap entry saves them (layout shared with
/// the arch entry code).
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct UserContext {
    /// r0..r12.
    pub r: [u32; 13],
    /// User stack pointer.
    pub sp: u32,
    /// User link register.
    pub lr: u32,
    /// Address to resume at.
    pub pc: u32,
    /// Program status to resume with (always user mode).
    pub cpsr: u32,
}

impl UserContext {
    /// Points the thread at `ip`, bit 0 selecting Thumb state. A new IP starts
    /// outside any IT block, so the IT bits are cleared.
    pub fn redirect(&mut self, ip: u32) {
        self.pc = ip & !1;
        self.cpsr = user_cpsr((self.cpsr & !(CPSR_THUMB | PV_FLAGS_IT_MASK)) | ((ip & 1) << 5));
    }

    /// The result registers of a receive the kernel completes with a
    /// one-word message of its own (an interrupt, a notification): r0
    /// `PV_OK`, r1 `sender`, r2 0 (no space), r3 `tag`, r4 `word`, r5..r11
    /// zero. Word by word: a slice fill is a memset call (some 80
    /// instructions for these 7 words, on every such delivery).
    pub fn kernel_message(&mut self, sender: u32, tag: u32, word: u32) {
        let zero = core::hint::black_box(0);
        let r = &mut self.r;
        r[0] = PV_OK;
        r[1] = sender;
        r[2] = zero;
        r[3] = tag;
        r[4] = word;
        r[5] = zero;
        r[6] = zero;
        r[7] = zero;
        r[8] = zero;
        r[9] = zero;
        r[10] = zero;
        r[11] = zero;
    }

    /// Writes the user-writable CPSR bits (`PV_USER_WRITABLE_FLAGS`: every
    /// `PV_USER_FLAGS_MASK` bit except T) from `flags`.
    pub fn set_flags(&mut self, flags: u32) {
        self.cpsr = user_cpsr((self.cpsr & !PV_USER_WRITABLE_FLAGS) | (flags & PV_USER_WRITABLE_FLAGS));
    }
}

/// What the kernel needs from the hardware; the arch glue implements it on the
/// target and the unit tests with a model.
///
/// Every kernel operation is generic over it (`M: Machine + ?Sized`), never
/// a `dyn Machine`: the target build has one machine, so each operation is
/// compiled once, for it, with its accessors called directly (a `dyn` call
/// path beside the generic one of the interrupt paths doubled the shared
/// code, 984 bytes of `.text`).
pub trait Machine {
    /// Current counter value: the virtual count (CNTVCT), which v_timer and
    /// the guests' tick schedules follow.
    fn now(&self) -> u64;
    /// Arms the kernel's timer to interrupt `ticks` counter ticks from now
    /// (at least 1); it replaces the previous setting and lowers its
    /// interrupt line until then. The interrupt comes to
    /// [`Kernel::timer_interrupt`].
    fn arm_timer(&mut self, ticks: u32);
    /// Counter ticks per second.
    fn counter_frequency(&self) -> u64;
    /// Unmasks or masks an interrupt line at the interrupt controller.
    fn set_irq_enabled(&mut self, irq: u32, enabled: bool);
    /// Writes kernel debug output.
    fn console_write(&mut self, bytes: &[u8]);
    /// Reads a word of user RAM or of the UTCB pool.
    fn read_word(&self, word: RamWord) -> u32;
    /// Writes a word of user RAM or of the UTCB pool.
    fn write_word(&mut self, word: RamWord, value: u32);
    /// Writes `values` to `first` and the word after it, which the kernel
    /// made from the same translation (a bound thread's pending word and its
    /// tick count): one store each, one check of the eight bytes.
    fn write_word_pair(&mut self, first: RamWord, values: [u32; 2]);
    /// Zeros a range of user RAM or of the UTCB pool.
    fn zero(&mut self, range: RamRange);
    /// Drops TLB entries tagged with `asid`.
    fn flush_asid(&mut self, asid: u8);
    /// Makes what was written to physical `physical..+length` through a data
    /// mapping visible to instruction fetch: cleans the data cache to the
    /// point of unification, invalidates the instruction cache and the branch
    /// predictor. The kernel calls it whenever it maps memory executable for
    /// user mode: the root server loads code through its own data mapping,
    /// and ARMv7 gives user mode no cache maintenance by address (at PL0 it
    /// is undefined), so without this a core with separate, non-coherent
    /// instruction and data caches (every Cortex-A) could execute stale
    /// bytes. QEMU models no caches: no test can see the difference there.
    fn sync_instruction_fetch(&mut self, physical: usize, length: usize);
    /// Reads the user read/write thread register (TPIDRURW).
    fn user_rw_thread_register(&self) -> u32;
    /// Writes the user read/write thread register (TPIDRURW).
    fn set_user_rw_thread_register(&mut self, value: u32);
    /// Turns user access to the FPU (VFP/Advanced SIMD, FPEXC.EN) on or off.
    fn set_fpu_enabled(&mut self, enabled: bool);
    /// Turns the FPU on, saves its registers (d0..d31, FPSCR) into the save
    /// area of thread slot `save` (if any), then loads those of slot `load`, or
    /// zeros when `None`.
    fn switch_fpu(&mut self, save: Option<usize>, load: Option<usize>);
    /// Opens or closes the generic timer's virtual timer registers (CNTV_CTL,
    /// CNTV_CVAL, CNTV_TVAL) to user mode; the counters stay readable either way.
    fn set_user_timer_access(&mut self, enabled: bool);
}

/// Physical memory facts the kernel checks mappings against.
#[derive(Clone, Copy, Debug)]
pub struct MemoryLayout {
    /// First physical address of RAM user mappings may use (kernel memory lies below).
    pub user_ram_base: usize,
    /// One past the last RAM address.
    pub ram_end: usize,
    /// Device pages the root may map for user mode (4 KiB each); those marked
    /// DMA-capable it may not.
    pub devices: &'static [crate::memory::DevicePage],
    /// Physical base of the kernel's pool of UTCB sections (`MAX_SPACES` sections).
    pub utcb_pool_base: usize,
    /// Interrupt lines the kernel keeps for itself.
    pub reserved_irqs: [u32; 1],
}

impl MemoryLayout {
    /// True if the `length` bytes at `physical` lie in user RAM or in the UTCB
    /// pool (never kernel memory below `user_ram_base`, never a device).
    fn is_ram(&self, physical: usize, length: usize) -> bool {
        let Some(end) = physical.checked_add(length) else { return false };
        let pool_end = self.utcb_pool_base.saturating_add(MAX_SPACES * PV_SECTION_SIZE as usize);
        (physical >= self.user_ram_base && end <= self.ram_end) || (physical >= self.utcb_pool_base && end <= pool_end)
    }

    /// The word at `physical`, if it is word aligned and lies in user RAM or
    /// in the UTCB pool.
    pub fn ram_word(&self, physical: usize) -> Option<RamWord> {
        (physical.is_multiple_of(4) && self.is_ram(physical, 4)).then_some(RamWord(physical))
    }

    /// The `length` bytes at `physical`, if both are word aligned and the
    /// range lies in user RAM or in the UTCB pool.
    pub fn ram_range(&self, physical: usize, length: usize) -> Option<RamRange> {
        let aligned = physical.is_multiple_of(4) && length.is_multiple_of(4);
        (aligned && self.is_ram(physical, length)).then_some(RamRange { physical, length })
    }
}

/// A word-aligned physical address in user RAM or the UTCB pool of the
/// kernel's [`MemoryLayout`]: the only memory the portable kernel reads or
/// writes through the [`Machine`]. Only [`MemoryLayout::ram_word`] makes one,
/// so a `Machine` may access it without trusting its caller; never device
/// memory (a read can have side effects), never the kernel's own memory.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RamWord(usize);

impl RamWord {
    /// The physical address.
    pub fn physical(self) -> usize {
        self.0
    }
}

/// A word-aligned range of user RAM or of the UTCB pool (see [`RamWord`]);
/// only [`MemoryLayout::ram_range`] makes one.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RamRange {
    physical: usize,
    length: usize,
}

impl RamRange {
    /// The empty range: no pair lies in it.
    pub const EMPTY: Self = Self { physical: 0, length: 0 };

    /// The physical address of its first byte.
    pub fn physical(self) -> usize {
        self.physical
    }

    /// Its length in bytes (a multiple of 4).
    pub fn length(self) -> usize {
        self.length
    }

    /// The two adjacent words `offset` bytes into the range, if both lie in it
    /// and `offset` is word aligned.
    #[inline]
    pub fn pair_at(self, offset: usize) -> Option<(RamWord, RamWord)> {
        (offset.is_multiple_of(4) && self.length >= 8 && offset <= self.length - 8)
            .then_some((RamWord(self.physical + offset), RamWord(self.physical + offset + 4)))
    }
}

/// Whom a receive accepts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Source {
    /// Any thread or interrupt.
    Any,
    /// One thread, by ID and version: a thread that takes the slot of a
    /// deleted one never matches.
    Thread(PvThreadId),
    /// One interrupt pseudo-thread.
    Irq(u32),
}

/// Scheduling state of a thread.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum State {
    /// The TCB is unused.
    Free,
    /// Runnable (queued unless halted).
    Ready,
    /// Blocked in thread `to`'s send queue.
    Sending {
        /// Destination thread, by ID and version.
        to: PvThreadId,
    },
    /// Blocked waiting for a message.
    Receiving {
        /// Whom it accepts.
        from: Source,
    },
}

const NO_THREAD: u8 = u8::MAX;

/// A thread control block.
///
/// Aligned, and so sized, to 256 bytes (224 used): a slot's address is then
/// the table's plus the index shifted, one instruction on every path that
/// names a thread by slot, where 224 took two (a multiply by 7 and a shift).
/// It costs 2 KiB of kernel RAM for the 64 slots; it saved 10 instructions per
/// IPC round trip, 20 per paper-path tick and 372 bytes of `.text`.
#[derive(Clone, Copy, Debug)]
#[repr(align(256))]
pub struct Tcb {
    /// Saved user registers (must stay valid while the thread exists).
    pub context: UserContext,
    state: State,
    halted: bool,
    version: u32,
    space: usize,
    priority: u8,
    exception_handler: PvThreadId,
    deadline: Option<u64>,
    /// Receive phase still to run after the send phase completes: source, timeout.
    /// A source thread deleted meanwhile makes that phase fail with
    /// `PV_ERR_PARTNER_DELETED` when it starts.
    then_receive: Option<(Source, u32)>,
    send_queue_head: u8,
    send_queue_tail: u8,
    send_next: u8,
    /// Exception message (kind, address, pc, status, sp) while in the exception protocol.
    fault: Option<[u32; 5]>,
    /// Number of its interrupts pending delivery.
    pending_irqs: u32,
    /// Its notification word: bits notified and not yet collected (`notify`).
    notify_bits: u32,
    /// Its guest's virtual-interrupt words and entry (`PV_SYS_VIRQ_BIND`),
    /// with the translations the kernel keeps of them: notifications go
    /// there instead of into `notify_bits`.
    virq: Option<notify::BoundVirq>,
    /// Its TPIDRURW while another thread's value is in the CPU.
    user_rw_thread_register: u32,
    /// Its FPU registers are in its slot's save area (else it starts from zeros).
    fpu_saved: bool,
    /// Kernel ticks left of its timeslice (see [`Kernel::tick`]).
    timeslice: u32,
    /// The tick period (`Kernel::tick_period_number`) in which it last
    /// left the CPU still ready (`Kernel::note_left_cpu`): a preempted head
    /// is charged a tick only for a period in which it ran (see
    /// `Kernel::charge_preempted_heads`).
    left_cpu_in: u32,
}

// One slot is 256 bytes on the 32-bit target (a field that outgrows it would
// double the table): see [`Tcb`].
#[cfg(target_pointer_width = "32")]
const _: () = assert!(core::mem::size_of::<Tcb>() == 256);

impl Tcb {
    const fn free() -> Self {
        Self {
            context: UserContext { r: [0; 13], sp: 0, lr: 0, pc: 0, cpsr: CPSR_USER_MODE },
            state: State::Free,
            halted: false,
            version: 0,
            space: 0,
            priority: 0,
            exception_handler: PV_NIL_THREAD,
            deadline: None,
            then_receive: None,
            send_queue_head: NO_THREAD,
            send_queue_tail: NO_THREAD,
            send_next: NO_THREAD,
            fault: None,
            pending_irqs: 0,
            notify_bits: 0,
            virq: None,
            user_rw_thread_register: 0,
            fpu_saved: false,
            timeslice: TIMESLICE_TICKS,
            left_cpu_in: u32::MAX,
        }
    }

    /// The thread's scheduling state.
    pub fn state(&self) -> State {
        self.state
    }

    /// True if the thread is halted.
    pub fn is_halted(&self) -> bool {
        self.halted
    }

    /// The thread's space index.
    pub fn space(&self) -> usize {
        self.space
    }
}

/// An address space (protection domain) and the authority the root task gave
/// it (`PV_SPACE_CONFIGURE`).
#[derive(Clone, Copy, Debug)]
struct Space {
    used: bool,
    threads: u32,
    /// The spaces its threads may name in IPC, receive specifiers,
    /// ExchangeRegisters and ThreadSwitch (bit n: space n).
    send_mask: u32,
    /// Its maximum controlled priority: no thread of it is above this one.
    max_priority: u8,
    /// `PV_SPACE_*` flags.
    flags: u32,
}

impl Space {
    const UNUSED: Self = Self { used: false, threads: 0, send_mask: 0, max_priority: 0, flags: 0 };
}

/// Every space bit of a send mask.
const ALL_SPACES: u32 = (1 << MAX_SPACES) - 1;
/// No space: what `Kernel::installed_space` holds once the installed space
/// must be looked at again.
const NO_SPACE: usize = usize::MAX;
const _: () = assert!(MAX_SPACES == PV_MAX_SPACES as usize && MAX_SPACES <= 32);
const _: () = assert!(MAX_THREADS == PV_MAX_THREADS as usize);

#[derive(Clone, Copy, Debug)]
struct IrqEntry {
    /// The handler thread by ID and version (nil: none); deleting the thread
    /// also clears the entry.
    handler: PvThreadId,
    pending: bool,
    masked: bool,
}

/// The whole kernel state.
///
/// Laid out in declaration order (`repr(C)`), the thread table last: every
/// other field then lies within 4 KiB of the start, where one `ldr` with an
/// immediate offset reaches it (past the 16 KiB table each access took a
/// `movw` of the offset first), and a TCB's fields lie within 4 KiB of the
/// table's start as well.
#[repr(C)]
pub struct Kernel {
    spaces: Table<Space, MAX_SPACES>,
    /// `MAX_SPACES` tables and the pool of second-level tables for every
    /// space's (and the kernel's) page mappings once attached (see
    /// [`Kernel::attach`]), none before; every change of a table goes
    /// through [`SpaceTables::edit`], which dates it (the generation that
    /// cached translations are checked against).
    tables: SpaceTables<MAX_SPACES>,
    ready: ReadyQueues<MAX_THREADS>,
    irqs: Table<IrqEntry, IRQ_LIMIT>,
    current: usize,
    /// The counter value of the timer interrupt whose guest ticks
    /// [`Kernel::deliver_ticks`] delivers (see `Kernel::last_tick_delivery`).
    ticks_now: u64,
    /// Test worlds that model the general path: every wake-up queues
    /// (no [`Kernel::wake_to_run`]), to compare the lazy switch against.
    #[cfg(test)]
    eager_wakes: bool,
    root_space: usize,
    layout: MemoryLayout,
    shutdown: Option<u32>,
    faults_reported: u32,
    /// The thread slot whose TPIDRURW value is in the CPU (0, the nil
    /// thread's: nobody's). A slot, not an ID: deleting the thread clears it
    /// (`delete_thread`), so the hot path compares indices.
    user_rw_thread_register_holder: usize,
    /// The FPU can be handed to user threads (the arch layer found it usable).
    fpu_available: bool,
    /// The thread slot whose registers are in the FPU (0: nobody's; cleared
    /// when the thread is deleted, as the TPIDRURW holder).
    fpu_owner: usize,
    /// FPEXC.EN as the kernel last set it (only the kernel can write it).
    fpu_enabled: bool,
    /// A ThreadSwitch donation in force: the rest of the donor's timeslice
    /// belongs to this thread (see [`Kernel::schedule`]).
    donation: Option<Donation>,
    /// User access to the virtual timer registers as the kernel last set it
    /// (closed at boot; open only while a `PV_SPACE_TIMER_ACCESS` space runs).
    timer_access: bool,
    /// The space whose tables the MMU holds, as the runtime last installed
    /// them ([`Kernel::space_to_install`]; 0, the kernel's own, at boot;
    /// `NO_SPACE` once a space's flags changed: the next switch installs
    /// again).
    installed_space: usize,
    /// No IPC deadline is earlier than this (counter value; `u64::MAX`: none
    /// pending). It may be earlier than every deadline still set (a thread
    /// woke before its deadline): that costs one scan at that time, which
    /// recomputes it. So the tick scans the TCBs only when a timeout may be
    /// due, at most once per deadline set, and is O(1) otherwise.
    earliest_deadline: u64,
    /// The periodic ticks the kernel delivers itself (`PV_SYS_TICK_SCHEDULE`).
    ticks: ticks::TickSchedules,
    /// Counter value at which the kernel's own tick is due next; `u64::MAX`
    /// while it is stopped (nothing needs it: [`Kernel::tick_needed`]).
    next_kernel_tick: u64,
    /// `next_kernel_tick` is `u64::MAX` (one byte to test on every choice;
    /// both set by `set_next_kernel_tick`).
    tick_stopped: bool,
    /// The earlier of `next_kernel_tick` and `earliest_deadline`: when the
    /// timer interrupt has kernel work (one comparison on its path).
    kernel_deadline: u64,
    /// The timer must fire earlier than it is armed for (the tick restarted,
    /// an IPC deadline before the armed time): [`Kernel::sync_timer`] arms
    /// it again before the next thread runs.
    timer_stale: bool,
    /// Counter ticks between kernel ticks ([`Kernel::set_counter_frequency`]).
    kernel_tick_period: u64,
    /// The counter frequency as whole counts per millisecond and the rest
    /// (`frequency / 1000`, `frequency % 1000`), for timeouts and the system
    /// clock without a 64-bit division ([`Kernel::counts_in_ms`]).
    counts_per_ms: u32,
    counts_per_ms_rest: u32,
    /// Kernel ticks taken so far (wrapping): the number of the tick period
    /// now under way, for `Tcb::left_cpu_in`.
    tick_period_number: u32,
    /// The thread slots (last: see above).
    threads: Table<Tcb, MAX_THREADS>,
}

/// The rest of a timeslice, given by ThreadSwitch to a ready thread of the
/// donor's own space.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Donation {
    /// The thread that runs on the donated time (by ID: a deleted thread's
    /// slot reused by a new thread does not inherit it).
    to: PvThreadId,
    /// The donor's priority: the donation lasts while no thread of a higher
    /// priority than this is ready.
    priority: u8,
    /// Kernel ticks left of the donated timeslice (the donor went to the
    /// back of its queue with a fresh one of its own).
    left: u32,
}

/// Result of a kernel operation for user mode: `Err` carries a `PV_ERR_*` code.
pub type KernelResult<T> = Result<T, u32>;

fn map_error(error: MapError) -> u32 {
    match error {
        MapError::Misaligned => PV_ERR_INVALID_ARGUMENT,
        MapError::KernelRange => PV_ERR_BAD_ADDRESS,
        MapError::AlreadyMapped => PV_ERR_ALREADY_MAPPED,
        MapError::NotMapped => PV_ERR_NOT_MAPPED,
        MapError::PartOfSection => PV_ERR_INVALID_ARGUMENT,
        MapError::NoTables => PV_ERR_NO_RESOURCES,
    }
}

impl Kernel {
    /// A kernel with no threads, made by moving one from [`Kernel::empty`]
    /// (a host's convenience: see there). `tables[0]` must already hold the
    /// kernel's own (global) mappings, its second-level tables taken from
    /// `l2`; every new space starts from a copy of them.
    pub fn new(tables: &'static mut [L1Table; MAX_SPACES], l2: &'static mut L2Pool, layout: MemoryLayout) -> Self {
        let mut kernel = Self::empty();
        kernel.attach(tables, l2, layout);
        kernel
    }

    /// A kernel with no threads, no translation tables and no memory, for a
    /// static's initializer: the kernel is several KiB, and built at run time
    /// and moved into its static it would take several copies of that on
    /// the kernel stack (at opt-level 0 they are not optimised away). Give it
    /// its tables and memory with [`Kernel::attach`] before anything else.
    pub const fn empty() -> Self {
        let mut spaces = [Space::UNUSED; MAX_SPACES];
        spaces[0].used = true;
        Self {
            threads: Table([Tcb::free(); MAX_THREADS]),
            spaces: Table(spaces),
            tables: SpaceTables::empty(),
            ready: ReadyQueues::new(),
            irqs: Table([IrqEntry { handler: PV_NIL_THREAD, pending: false, masked: true }; IRQ_LIMIT]),
            current: 0,
            root_space: 0,
            // No memory at all: no `RamWord` can be made.
            layout: MemoryLayout {
                user_ram_base: usize::MAX,
                ram_end: 0,
                devices: &[],
                utcb_pool_base: usize::MAX,
                reserved_irqs: [u32::MAX],
            },
            ticks_now: 0,
            #[cfg(test)]
            eager_wakes: false,
            shutdown: None,
            faults_reported: 0,
            user_rw_thread_register_holder: 0,
            fpu_available: false,
            fpu_owner: 0,
            fpu_enabled: false,
            donation: None,
            timer_access: false,
            installed_space: 0,
            earliest_deadline: u64::MAX,
            ticks: ticks::TickSchedules::new(),
            next_kernel_tick: 0,
            tick_stopped: false,
            kernel_deadline: 0,
            timer_stale: false,
            kernel_tick_period: 1,
            counts_per_ms: 0,
            counts_per_ms_rest: 0,
            tick_period_number: 0,
        }
    }

    /// Gives a kernel made by [`Kernel::empty`] its translation tables and its
    /// memory. `tables[0]` must already hold the kernel's own (global)
    /// mappings; every new space starts from a copy of them.
    pub fn attach(
        &mut self,
        tables: &'static mut [L1Table; MAX_SPACES],
        l2: &'static mut L2Pool,
        layout: MemoryLayout,
    ) {
        self.tables.attach(tables, l2);
        self.layout = layout;
    }

    // ----- identity -------------------------------------------------------------

    /// The global ID of thread `index`.
    pub fn thread_id(&self, index: usize) -> PvThreadId {
        ((self.threads[index].version) << PV_THREAD_VERSION_SHIFT) | index as u32
    }

    /// Resolves a thread ID to a live thread index.
    pub fn lookup(&self, id: PvThreadId) -> KernelResult<usize> {
        let index = (id & PV_THREAD_INDEX_MASK) as usize;
        if id & PV_IRQ_THREAD_BASE != 0 || index == 0 || index >= MAX_THREADS {
            return Err(PV_ERR_INVALID_THREAD);
        }
        let tcb = &self.threads[index];
        if tcb.state == State::Free || tcb.version != id >> PV_THREAD_VERSION_SHIFT {
            return Err(PV_ERR_INVALID_THREAD);
        }
        Ok(index)
    }

    /// Index of the running thread (0 when idle).
    pub fn current(&self) -> usize {
        self.current
    }

    /// The TCB of thread `index`.
    pub fn thread(&self, index: usize) -> &Tcb {
        &self.threads[index]
    }

    /// Where the arch layer saves and restores thread `index`'s registers.
    pub fn context_pointer(&mut self, index: usize) -> *mut UserContext {
        &mut self.threads[index].context
    }

    /// Translation table of `space`.
    pub fn table(&self, space: usize) -> &L1Table {
        self.tables.table(space)
    }

    /// Second-level tables not in use (a kernel memory counter).
    pub fn free_l2_tables(&self) -> usize {
        self.tables.pool().free_tables()
    }

    /// The kernel's resource counters (`PV_SYS_KERNEL_INFO`): what is in use
    /// of each fixed pool, and its size. Thread slot 0 (the nil thread) and
    /// space 0 (the kernel's) are never handed out and not counted.
    pub fn kernel_info(&self) -> PvKernelInfo {
        let count = |n: usize| n as u32;
        let l2_max = self.tables.pools().iter().map(|pool| pool.capacity()).sum::<usize>();
        PvKernelInfo {
            threads_used: count(self.threads.iter().skip(1).filter(|tcb| tcb.state != State::Free).count()),
            threads_max: count(MAX_THREADS - 1),
            spaces_used: count(self.spaces.iter().skip(1).filter(|space| space.used).count()),
            spaces_max: count(MAX_SPACES - 1),
            l2_tables_used: count(l2_max - self.tables.pools().iter().map(|pool| pool.free_tables()).sum::<usize>()),
            l2_tables_max: count(l2_max),
            interrupts_used: count(self.irqs.iter().filter(|entry| entry.handler != PV_NIL_THREAD).count()),
            interrupts_max: count(IRQ_LIMIT),
        }
    }

    /// ASID of `space` (its index; 0 is the kernel's).
    pub fn asid(space: usize) -> u8 {
        space as u8
    }

    /// Thread `next` is about to run: its space, if that is not the one the
    /// MMU holds (the runtime then installs it), recorded as installed. Kept
    /// in the kernel object, beside the rest of what the CPU holds for the
    /// running thread (`timer_access`, `fpu_enabled`), so that the switch
    /// reaches it from the same base register.
    ///
    /// User access to the virtual timer belongs to the space (its
    /// `PV_SPACE_TIMER_ACCESS` flag), so it is looked at only here, when the
    /// space changes: a switch within a space leaves it as it is. A change
    /// of a space's flags forgets the installed space (`space_configure`),
    /// so that the next switch looks again.
    #[inline(always)]
    pub fn space_to_install<M: Machine + ?Sized>(&mut self, next: usize, machine: &mut M) -> Option<usize> {
        let space = self.threads[next].space;
        if space == self.installed_space {
            return None;
        }
        self.installed_space = space;
        let timer_access = self.spaces[space].flags & PV_SPACE_TIMER_ACCESS != 0;
        if timer_access != self.timer_access {
            machine.set_user_timer_access(timer_access);
            self.timer_access = timer_access;
        }
        Some(space)
    }

    /// User virtual address of thread `index`'s UTCB.
    pub fn utcb_address(index: usize) -> u32 {
        PV_UTCB_AREA + index as u32 * PV_UTCB_SIZE
    }

    fn utcb_physical(&self, index: usize) -> usize {
        self.layout.utcb_pool_base
            + self.threads[index].space * PV_SECTION_SIZE as usize
            + index * PV_UTCB_SIZE as usize
    }

    /// Word `word` of thread `index`'s UTCB (always in the UTCB pool).
    fn utcb_word(&self, index: usize, word: usize) -> Option<RamWord> {
        self.layout.ram_word(self.utcb_physical(index) + word * 4)
    }

    /// Exit code once the root task asked to shut down.
    pub fn shutdown_requested(&self) -> Option<u32> {
        self.shutdown
    }

    /// Number of user faults the kernel reported (no handler).
    pub fn faults_reported(&self) -> u32 {
        self.faults_reported
    }

    fn is_privileged(&self, index: usize) -> bool {
        self.root_space != 0 && self.threads[index].space == self.root_space
    }

    /// True if thread `caller`'s space was granted thread `target`'s space:
    /// only then may `caller` name `target` at all.
    #[inline]
    fn may_name(&self, caller: usize, target: usize) -> bool {
        // The root task names every thread: it makes the grants. (The
        // grant is looked at first: every call but the root task's has it.)
        self.spaces[self.threads[caller].space].send_mask & (1 << self.threads[target].space) != 0
            || self.is_privileged(caller)
    }

    /// Resolves a thread ID that `caller` names: a thread of a space it was
    /// not granted is `PV_ERR_INVALID_THREAD`, exactly as a thread that does
    /// not exist, so that errors reveal nothing about other domains.
    fn lookup_named(&self, caller: usize, id: PvThreadId) -> KernelResult<usize> {
        let target = self.lookup(id)?;
        if !self.may_name(caller, target) {
            return Err(PV_ERR_INVALID_THREAD);
        }
        Ok(target)
    }

    // ----- scheduling -----------------------------------------------------------

    /// An interrupt's only wake-up of thread `index` (its message given,
    /// its wait over; nothing changes the queues after it before the
    /// interrupt's exit) when the scheduler would then pick it: nothing it
    /// looks at changed yet in this kernel entry, no donation is in force,
    /// the thread is not halted, and its priority is above every runnable
    /// thread's (the interrupted one's too, queued or standing for the head
    /// of its queue). It gets what [`Kernel::make_ready`] gives, a fresh
    /// timeslice included, but no queue: it becomes the running thread,
    /// standing for the head of its queue (lazy scheduling, as the
    /// fastpaths' partners), and the interrupted thread is left as the
    /// scheduler's choice leaves it (queued at the head of its priority,
    /// marked as having left the CPU ready). So the interrupt's exit runs it
    /// without the enqueue and the choice. False, nothing changed,
    /// otherwise: the caller makes it ready the general way.
    fn wake_to_run(&mut self, index: usize) -> bool {
        #[cfg(test)]
        if self.eager_wakes {
            return false;
        }
        let interrupted = self.current;
        let tcb = &self.threads[index];
        if interrupted == 0 || self.ready.is_changed() || self.donation.is_some() || tcb.halted {
            return false;
        }
        let priority = tcb.priority;
        if self.threads[interrupted].priority >= priority
            || self.ready.highest_priority().is_some_and(|highest| highest >= priority)
        {
            return false;
        }
        let tcb = &mut self.threads[index];
        tcb.state = State::Ready;
        tcb.deadline = None;
        tcb.timeslice = TIMESLICE_TICKS;
        self.current = index;
        // `restore_current` for the interrupted thread, without its
        // runnable check (it was running in user mode), which costs the paper
        // tick 15 instructions; the only change, so the choice's to take.
        if !self.ready.contains(interrupted) {
            self.ready.push_front(interrupted, self.threads[interrupted].priority);
            self.ready.take_changed();
        }
        self.note_left_cpu(interrupted);
        true
    }

    /// Thread `index`'s wait is over: ready the general way, or, with `run`
    /// (an interrupt's wake-up that may switch), running at once if the
    /// scheduler would pick it ([`Kernel::wake_to_run`]).
    fn wake(&mut self, index: usize, run: bool) {
        if !(run && self.wake_to_run(index)) {
            self.make_ready(index);
        }
    }

    fn make_ready(&mut self, index: usize) {
        let tcb = &mut self.threads[index];
        tcb.state = State::Ready;
        tcb.deadline = None;
        if !tcb.halted {
            self.enqueue(index);
        }
    }

    /// Queues thread `index` (not queued yet) at the back of its priority's
    /// queue, with a fresh timeslice.
    ///
    /// Every way to the back of a queue comes with a fresh timeslice: the end
    /// of a timeslice, a yield, and a wake-up (the end of a blocking IPC, a
    /// resume, a new priority). A thread that wakes does not keep what was left
    /// of its old timeslice, because it queues behind every ready peer anyway:
    /// each peer runs a whole timeslice before it, so a full one for it is its
    /// fair turn, and what it used before it blocked was already a turn that
    /// its peers' timeslices paid for in full. So within one priority each
    /// thread runs at most one timeslice per round, and blocking often buys no
    /// more CPU time than spinning. Only preemption by a higher priority keeps
    /// a thread at the head of its queue, with the rest of its timeslice (less
    /// the ticks that end a period in which it ran and then waited there with
    /// a peer behind it: see `Kernel::charge_preempted_heads`).
    pub(super) fn enqueue(&mut self, index: usize) {
        if !self.ready.contains(index) {
            self.threads[index].timeslice = TIMESLICE_TICKS;
            self.ready.enqueue(index, self.threads[index].priority);
        }
    }

    /// Moves the ready thread `index` to the back of its priority's queue with
    /// a fresh timeslice (timeslice end, yield).
    pub(super) fn requeue(&mut self, index: usize) {
        self.ready.remove(index);
        self.enqueue(index);
    }

    fn block<M: Machine + ?Sized>(&mut self, index: usize, state: State, timeout_ms: u32, machine: &M) {
        let deadline = if timeout_ms == PV_TIMEOUT_NEVER {
            None
        } else {
            let deadline = machine.now() + self.counts_in_ms(timeout_ms);
            // The timer is armed for `timer_deadline` (every interrupt and
            // every `sync_timer` arm it for that): earlier, it must move.
            if deadline < self.timer_deadline() {
                self.timer_stale = true;
            }
            self.earliest_deadline = self.earliest_deadline.min(deadline);
            self.kernel_deadline = self.kernel_deadline.min(deadline);
            Some(deadline)
        };
        let tcb = &mut self.threads[index];
        tcb.state = state;
        tcb.deadline = deadline;
        self.ready.remove(index);
    }

    /// True if thread `index` can run: ready and not halted.
    fn is_runnable(&self, index: usize) -> bool {
        let tcb = &self.threads[index];
        tcb.state == State::Ready && !tcb.halted
    }

    /// Puts the running thread back at the head of its priority's queue if
    /// the IPC fastpath left it out of the queues (see [`Kernel::fast_ipc`]);
    /// every kernel entry but the fastpath calls it first, so the rest of the
    /// kernel sees the plain invariant: every runnable thread is queued, the
    /// running one at the head of its priority's queue.
    #[inline]
    fn restore_current(&mut self) {
        let current = self.current;
        if current != 0 && !self.ready.contains(current) && self.is_runnable(current) {
            self.ready.push_front(current, self.threads[current].priority);
        }
    }

    /// Picks the thread to run next; `None` means idle.
    ///
    /// The head of the highest non-empty priority runs, unless a ThreadSwitch
    /// donation is in force: then its thread runs, on the rest of the donor's
    /// timeslice, for as long as it stays ready, that time lasts and no thread
    /// of a higher priority than the donor's is ready. So a donation never
    /// delays any thread more than the donor itself would have by running on.
    /// Choosing a thread never refills a timeslice (see [`Kernel::tick`]).
    ///
    /// When nothing that decides the choice changed since the last call (no
    /// queue changed, no donation began or ended, the running thread is still
    /// runnable) the running thread goes on without a look at the queues.
    #[inline]
    pub fn schedule(&mut self) -> Option<usize> {
        if !self.ready.take_changed() && self.current != 0 && self.is_runnable(self.current) {
            return Some(self.current);
        }
        self.choose()
    }

    /// After an interrupt taken from user mode: true when the current
    /// thread — the one it interrupted, or the one it woke to run
    /// (`Kernel::wake_to_run`) — runs with the timer as it is: nothing the
    /// scheduler looks at changed, so [`Kernel::schedule`] would return it,
    /// and no new timer deadline is due. That thread is runnable — the
    /// interrupted one was running in user mode, and an interrupt never
    /// blocks, halts or faults the thread it interrupts — so, unlike
    /// `schedule`, this does not look at its state (the lean IRQ exit's
    /// check).
    #[inline(always)]
    pub fn interrupted_thread_runs_on(&self) -> bool {
        debug_assert!(self.current == 0 || self.is_runnable(self.current));
        !self.ready.is_changed() && !self.timer_stale
    }

    /// [`Kernel::schedule`] when something changed: the choice itself.
    #[inline(never)]
    fn choose(&mut self) -> Option<usize> {
        self.restore_current();
        self.ready.take_changed();
        let outgoing = self.current;
        if let Some(donation) = self.donation {
            let donee = self.lookup(donation.to).ok().filter(|&thread| {
                self.ready.contains(thread) && self.ready.highest_priority().is_some_and(|p| p <= donation.priority)
            });
            match donee {
                Some(donee) => {
                    self.current = donee;
                    self.note_left_cpu(outgoing);
                    // A donation lasts a number of ticks: the tick must run.
                    if self.tick_stopped {
                        self.timer_stale = true;
                    }
                    return Some(donee);
                }
                None => self.donation = None,
            }
        }
        let next = self.ready.highest();
        self.current = next.unwrap_or(0);
        self.note_left_cpu(outgoing);
        // The stopped tick is needed again if the chosen thread has a peer
        // ([`Kernel::tick_needed`]; every runnable thread is queued here, the
        // chosen one at the head of its priority's queue).
        if self.tick_stopped
            && let Some(next) = next
            && self.ready.has_peer(self.threads[next].priority)
        {
            self.timer_stale = true;
        }
        next
    }

    /// Thread `outgoing`, which ran until the choice just made, leaves the
    /// CPU still ready (preempted, or behind its peers): it ran in this tick
    /// period (see `Kernel::charge_preempted_heads`). A thread that leaves
    /// it blocked needs no mark (it comes back behind its peers), so the IPC
    /// fastpath, whose caller blocks, leaves the same state as this path.
    #[inline(always)]
    fn note_left_cpu(&mut self, outgoing: usize) {
        if outgoing != self.current && self.ready.contains(outgoing) {
            self.threads[outgoing].left_cpu_in = self.tick_period_number;
        }
    }

    /// True while the kernel's own tick has work: a ThreadSwitch donation is
    /// in force (it lasts a number of ticks), or another runnable thread
    /// shares the running thread's priority (the timeslices share it out).
    /// A thread that runs alone at the top loses nothing by the tick
    /// stopping: a used-up timeslice would only give it a fresh one behind
    /// nobody. IPC timeouts need no tick: the timer is armed for the
    /// earliest deadline itself.
    pub fn tick_needed(&self) -> bool {
        let current = self.current;
        if self.donation.is_some() {
            return true;
        }
        if current == 0 {
            return false;
        }
        let priority = self.threads[current].priority;
        if self.ready.contains(current) { self.ready.has_peer(priority) } else { self.ready.head(priority).is_some() }
    }

    /// Gives the CPU's per-thread user state to thread `next`, which is about
    /// to run (call it on every way back to user mode, after
    /// [`Kernel::schedule`]). On a switch between threads the outgoing thread's
    /// TPIDRURW is saved into its TCB (if it still exists: the holder is kept
    /// by ID and version) and the incoming thread's is loaded, so no value
    /// travels from one thread or space to another; a new thread starts with 0.
    /// The FPU is on only if `next` owns it (see
    /// [`Kernel::undefined_instruction`]). Returning to the thread that trapped
    /// costs nothing.
    ///
    /// Inline, so that the trap exit path calls the CPU's register accessors
    /// directly.
    #[inline]
    pub fn prepare_to_run<M: Machine + ?Sized>(&mut self, next: usize, machine: &mut M) {
        let holder = self.user_rw_thread_register_holder;
        if holder != next {
            // The holder is nobody (0) or a live thread: deleting the holder
            // makes it nobody (`delete_thread`).
            if holder != 0 {
                self.threads[holder].user_rw_thread_register = machine.user_rw_thread_register();
            }
            machine.set_user_rw_thread_register(self.threads[next].user_rw_thread_register);
            self.user_rw_thread_register_holder = next;
        }
        // The FPU is off and `next` does not own it (the common switch): it
        // stays off, decided with two loads.
        if self.fpu_enabled || self.fpu_owner == next {
            let fpu_enabled = self.fpu_available && self.fpu_owner == next;
            if fpu_enabled != self.fpu_enabled {
                machine.set_fpu_enabled(fpu_enabled);
                self.fpu_enabled = fpu_enabled;
            }
        }
    }

    /// The counter runs at `frequency` Hz (the generic timer's CNTFRQ, a
    /// 32-bit value): the kernel's tick comes every `frequency /
    /// KERNEL_TICK_HZ` counts (set before the first timer interrupt and the
    /// first timeout).
    pub fn set_counter_frequency(&mut self, frequency: u64) {
        // 32-bit divisions by constants compile to multiplications; a 64-bit
        // division would bring compiler_builtins' general routine (1.2 KiB).
        let frequency = frequency.min(u64::from(u32::MAX)) as u32;
        self.kernel_tick_period = u64::from((frequency / KERNEL_TICK_HZ).max(1));
        self.counts_per_ms = frequency / 1000;
        self.counts_per_ms_rest = frequency % 1000;
    }

    /// Counter counts in `ms` milliseconds, rounded down: exactly
    /// `ms × frequency / 1000`, as `ms × (frequency / 1000)` plus the rest's
    /// share, each part in 32 bits (no 64-bit division).
    fn counts_in_ms(&self, ms: u32) -> u64 {
        let rest = u64::from(ms / 1000) * u64::from(self.counts_per_ms_rest)
            + u64::from((ms % 1000) * self.counts_per_ms_rest / 1000);
        u64::from(ms) * u64::from(self.counts_per_ms) + rest
    }

    /// Microseconds since the counter started: `now × 1000 / (frequency /
    /// 1000)` (as before; the counts per millisecond are at least 1).
    ///
    /// No 64-bit division routine in the kernel: see [`paravirt_api::tick::divide`].
    fn system_clock_us(&self, now: u64) -> u64 {
        paravirt_api::tick::divide(now.wrapping_mul(1000), self.counts_per_ms.max(1))
    }

    /// Lets user threads use the FPU (the arch layer found it usable and turned
    /// it off); without this every FPU instruction is an undefined-instruction fault.
    pub fn set_fpu_available(&mut self, available: bool) {
        self.fpu_available = available;
    }

    // ----- boot -----------------------------------------------------------------

    /// Creates a space for the root task (the privileged space); returns its
    /// index. It may name every space and has the highest maximum priority.
    pub fn create_root_space<M: Machine + ?Sized>(&mut self, machine: &mut M) -> KernelResult<usize> {
        let space = self.space_create(machine)?;
        self.root_space = space;
        self.spaces[space].send_mask = ALL_SPACES;
        self.spaces[space].max_priority = PV_PRIORITY_MAX as u8;
        Ok(space)
    }

    /// Maps memory into `space` on the kernel's behalf (boot: root image, stack, boot info).
    pub fn boot_map(
        &mut self,
        space: usize,
        virtual_address: usize,
        physical: usize,
        size: usize,
        access: crate::memory::page_table::Access,
    ) -> KernelResult<()> {
        let (table, pool) = self.edit_tables(space);
        table
            .map(pool, virtual_address, physical, size, crate::memory::page_table::MemoryKind::Normal, access)
            .map_err(map_error)
    }

    /// Sets where RAM that user mappings may use starts (after the boot allocations).
    pub fn set_user_ram_base(&mut self, base: usize) {
        self.layout.user_ram_base = base;
    }

    /// Creates and starts the root task's first thread.
    pub fn start_root_thread<M: Machine + ?Sized>(
        &mut self,
        space: usize,
        entry: u32,
        stack_top: u32,
        machine: &mut M,
    ) -> KernelResult<usize> {
        let index = self.thread_create(space, ROOT_PRIORITY, PV_NIL_THREAD, machine)?;
        self.exchange_registers(index, PV_EXREG_START, stack_top, entry, 0);
        Ok(index)
    }

    // ----- spaces and threads -----------------------------------------------------

    /// Space `space`'s table and the pool, to change: the kernel's one way to
    /// [`SpaceTables::edit`]. First every translation the kernel keeps of the
    /// space's tables is dropped (the bound threads' virtual-interrupt words
    /// and stack pages: [`Kernel::drop_kept_translations`]), so the interrupt
    /// path tests a flag instead of comparing 64-bit generations.
    pub(super) fn edit_tables(&mut self, space: usize) -> (&mut L1Table, &mut L2Pool) {
        self.drop_kept_translations(space);
        self.tables.edit(space)
    }

    /// Marks every translation kept of space `space`'s tables as stale: the
    /// next virtual interrupt of each of its bound threads translates its
    /// words again (a walk per thread and change: changes are rare, ticks
    /// are not).
    fn drop_kept_translations(&mut self, space: usize) {
        for tcb in self.threads.iter_mut().filter(|tcb| tcb.space == space) {
            if let Some(bound) = tcb.virq.as_mut() {
                bound.drop_translations();
            }
        }
    }

    fn space_create<M: Machine + ?Sized>(&mut self, machine: &mut M) -> KernelResult<usize> {
        let space = (1..MAX_SPACES).find(|&s| !self.spaces[s].used).ok_or(PV_ERR_NO_RESOURCES)?;
        self.drop_kept_translations(space);
        let (kernel, table, pool) = self.tables.edit_from_kernel(space);
        table.clear(pool);
        table.copy_kernel_entries(kernel);
        let utcb = self.layout.utcb_pool_base + space * PV_SECTION_SIZE as usize;
        // The whole section is mapped writable in the space: a previous owner
        // of the index may have written anywhere in it, not just in the UTCBs
        // of its threads (each thread_create clears only its own).
        let section = self.layout.ram_range(utcb, PV_SECTION_SIZE as usize).ok_or(PV_ERR_NO_RESOURCES)?;
        machine.zero(section);
        table
            .map(
                pool,
                PV_UTCB_AREA as usize,
                utcb,
                PV_SECTION_SIZE as usize,
                crate::memory::page_table::MemoryKind::Normal,
                crate::memory::page_table::Access::UserData,
            )
            .map_err(map_error)?;
        machine.flush_asid(Self::asid(space));
        // By default a space may name only the root task's space and itself.
        self.spaces[space] = Space {
            used: true,
            threads: 0,
            send_mask: (1 << self.root_space) | (1 << space),
            max_priority: PV_SPACE_DEFAULT_MAX_PRIORITY as u8,
            flags: 0,
        };
        Ok(space)
    }

    fn space_delete<M: Machine + ?Sized>(&mut self, space: usize, machine: &mut M) -> KernelResult<()> {
        if space == 0 || space >= MAX_SPACES || !self.spaces[space].used {
            return Err(PV_ERR_INVALID_SPACE);
        }
        if space == self.root_space {
            return Err(PV_ERR_INVALID_ARGUMENT);
        }
        if self.spaces[space].threads != 0 {
            return Err(PV_ERR_BUSY);
        }
        let (table, pool) = self.edit_tables(space);
        table.clear(pool);
        self.spaces[space] = Space::UNUSED;
        // Grants of the deleted space do not pass to a space that reuses its
        // index. (The root task names every space whatever its mask: `may_name`.)
        for other in self.spaces.iter_mut() {
            other.send_mask &= !(1 << space);
        }
        machine.flush_asid(Self::asid(space));
        Ok(())
    }

    /// `PV_SPACE_CONFIGURE`: sets `space`'s send mask, maximum controlled
    /// priority and flags (see the constant).
    fn space_configure(&mut self, space: usize, send_mask: u32, max_priority: u32, flags: u32) -> KernelResult<()> {
        if send_mask & !ALL_SPACES != 0 || max_priority > PV_PRIORITY_MAX || flags & !PV_SPACE_TIMER_ACCESS != 0 {
            return Err(PV_ERR_INVALID_ARGUMENT);
        }
        let above = (1..MAX_THREADS).any(|index| {
            let tcb = &self.threads[index];
            tcb.state != State::Free && tcb.space == space && u32::from(tcb.priority) > max_priority
        });
        if above {
            return Err(PV_ERR_BUSY);
        }
        let config = &mut self.spaces[space];
        config.send_mask = send_mask;
        config.max_priority = max_priority as u8;
        config.flags = flags;
        // Its timer access is looked at again when one of its threads runs
        // next (see `space_to_install`), even with its tables in place.
        self.installed_space = NO_SPACE;
        Ok(())
    }

    /// The maximum controlled priority of `space`.
    fn max_priority_of_space(&self, space: usize) -> u32 {
        u32::from(self.spaces[space].max_priority)
    }

    fn check_space(&self, space: u32) -> KernelResult<usize> {
        let space = space as usize;
        if space == 0 || space >= MAX_SPACES || !self.spaces[space].used {
            return Err(PV_ERR_INVALID_SPACE);
        }
        Ok(space)
    }

    fn thread_create<M: Machine + ?Sized>(
        &mut self,
        space: usize,
        priority: u8,
        exception_handler: PvThreadId,
        machine: &mut M,
    ) -> KernelResult<usize> {
        let index = (1..MAX_THREADS).find(|&i| self.threads[i].state == State::Free).ok_or(PV_ERR_NO_RESOURCES)?;
        let version = (self.threads[index].version + 1) & 0x7_FFFF;
        self.threads[index] = Tcb {
            version: version.max(1),
            space,
            priority,
            exception_handler,
            halted: true,
            state: State::Ready,
            ..Tcb::free()
        };
        self.spaces[space].threads += 1;
        if let Some(utcb) = self.layout.ram_range(self.utcb_physical(index), PV_UTCB_SIZE as usize) {
            machine.zero(utcb);
        }
        for (word, value) in [(64, self.thread_id(index)), (65, space as u32)] {
            if let Some(word) = self.utcb_word(index, word) {
                machine.write_word(word, value);
            }
        }
        Ok(index)
    }

    fn thread_delete<M: Machine + ?Sized>(&mut self, index: usize, machine: &mut M) {
        let id = self.thread_id(index);
        self.cancel_ipc(index, PV_ERR_ABORTED);
        // Everyone blocked on this thread learns that it is gone. (A thread
        // still in the send phase of an IPC whose receive phase names this
        // thread learns it when that phase starts: see `Kernel::receive`.)
        for other in 1..MAX_THREADS {
            let blocked_on_it = match self.threads[other].state {
                State::Sending { to } => to == id,
                State::Receiving { from: Source::Thread(from) } => from == id,
                _ => false,
            };
            if blocked_on_it {
                self.cancel_ipc(other, PV_ERR_PARTNER_DELETED);
            }
        }
        for irq in 0..IRQ_LIMIT {
            if self.irqs[irq].handler == id {
                self.irqs[irq] = IrqEntry { handler: PV_NIL_THREAD, pending: false, masked: true };
                machine.set_irq_enabled(irq as u32, false);
            }
        }
        self.ready.remove(index);
        self.drop_tick_schedule(index);
        if self.fpu_owner == index {
            // Its registers stay in the FPU until the next owner's are loaded,
            // but they are nobody's: they are neither saved nor given back.
            self.fpu_owner = 0;
        }
        if self.user_rw_thread_register_holder == index {
            // Its value in the CPU is nobody's now: not saved into the slot.
            self.user_rw_thread_register_holder = 0;
        }
        let space = self.threads[index].space;
        self.spaces[space].threads -= 1;
        let version = self.threads[index].version;
        self.threads[index] = Tcb { version, ..Tcb::free() };
        if self.current == index {
            self.current = 0;
        }
    }

    // ----- ExchangeRegisters ------------------------------------------------------

    /// Applies `control` to thread `index`; returns (old sp, ip, flags, state).
    fn exchange_registers(&mut self, index: usize, control: u32, sp: u32, ip: u32, flags: u32) -> [u32; 4] {
        let tcb = &self.threads[index];
        let mut state = 0;
        if tcb.halted {
            state |= PV_STATE_HALTED;
        }
        match tcb.state {
            State::Sending { .. } => state |= PV_STATE_SENDING,
            State::Receiving { .. } => state |= PV_STATE_RECEIVING,
            _ => {}
        }
        if tcb.fault.is_some() {
            state |= PV_STATE_FAULTED;
        }
        let old = [
            tcb.context.sp,
            tcb.context.pc | ((tcb.context.cpsr & CPSR_THUMB) >> 5),
            tcb.context.cpsr & PV_USER_FLAGS_MASK,
            state,
        ];
        if control & PV_EXREG_ABORT_IPC != 0 {
            self.cancel_ipc(index, PV_ERR_ABORTED);
        }
        let tcb = &mut self.threads[index];
        if control & PV_EXREG_SET_SP != 0 {
            tcb.context.sp = sp;
        }
        // IP first: it clears the IT bits, which new flags may then set again.
        if control & PV_EXREG_SET_IP != 0 {
            tcb.context.redirect(ip);
        }
        if control & PV_EXREG_SET_FLAGS != 0 {
            tcb.context.set_flags(flags);
        }
        if control & PV_EXREG_HALT != 0 && !tcb.halted {
            tcb.halted = true;
            self.ready.remove(index);
        }
        if control & PV_EXREG_RESUME != 0 && self.threads[index].halted {
            self.threads[index].halted = false;
            if self.threads[index].state == State::Ready {
                self.enqueue(index);
            }
        }
        old
    }

    // ----- interrupts and time ------------------------------------------------------

    /// An interrupt arrived (already acknowledged at the controller by the caller,
    /// which ends it after this returns). The kernel-reserved line, its timer's,
    /// is handled by [`Kernel::timer_interrupt`].
    pub fn interrupt<M: Machine + ?Sized>(&mut self, irq: u32, machine: &mut M) {
        self.restore_current();
        let Some(entry) = self.irqs.get(irq as usize).copied() else {
            return;
        };
        let Ok(handler) = self.lookup(entry.handler) else {
            machine.set_irq_enabled(irq, false);
            return;
        };
        // Masked until the handler's reply acknowledges it.
        machine.set_irq_enabled(irq, false);
        self.irqs[irq as usize].masked = true;
        if self.accepts(handler, Source::Irq(irq)) {
            self.deliver_interrupt(irq, handler, true);
        } else if !entry.pending {
            self.irqs[irq as usize].pending = true;
            self.threads[handler].pending_irqs += 1;
        }
    }

    /// The kernel tick: expires IPC timeouts and charges the tick to the
    /// thread that was running.
    ///
    /// Timeslices are per thread: the running thread's own shrinks by one
    /// tick (or the donated rest of a timeslice it runs on, see
    /// [`Kernel::schedule`]). Used up, the thread goes to the back of its
    /// priority's queue with a fresh one (a donation just ends). A thread
    /// preempted by a higher priority stays at the head of its queue and
    /// keeps the rest, so a device server that preempts every tick cannot
    /// make a spinning thread's timeslice last forever and starve its peers.
    ///
    /// IPC timeouts cost nothing until the earliest one may be due (see
    /// `earliest_deadline`); then one scan expires every due one and finds
    /// the next.
    ///
    /// On the target the tick runs only while [`Kernel::tick_needed`]
    /// (see [`Kernel::timer_interrupt`]); the timeouts come at their own
    /// deadlines.
    pub fn tick<M: Machine + ?Sized>(&mut self, machine: &mut M) {
        self.restore_current();
        self.tick_at(machine.now());
    }

    /// [`Kernel::tick`] at counter value `now` (the running thread restored).
    fn tick_at(&mut self, now: u64) {
        if now >= self.earliest_deadline {
            self.expire_timeouts(now);
        }
        let current = self.current;
        if current == 0 {
            return;
        }
        self.charge_preempted_heads(self.threads[current].priority);
        self.tick_period_number = self.tick_period_number.wrapping_add(1);
        let current_id = self.thread_id(current);
        if let Some(donation) = self.donation.as_mut()
            && donation.to == current_id
        {
            donation.left = donation.left.saturating_sub(1);
            if donation.left == 0 {
                self.donation = None;
                self.ready.mark_changed();
            }
            return;
        }
        let tcb = &mut self.threads[current];
        tcb.timeslice = tcb.timeslice.saturating_sub(1);
        if tcb.timeslice == 0 {
            if self.ready.contains(current) {
                self.requeue(current);
            } else {
                self.threads[current].timeslice = TIMESLICE_TICKS;
            }
        }
    }

    /// The tick's charge to the threads it did not interrupt: the head of
    /// every other priority's queue that has a peer behind it and that ran
    /// in the period this tick ends loses a tick of its timeslice too, and
    /// at its end goes behind its peers.
    ///
    /// A tick charges whoever it finds running, so without this a thread
    /// could dodge every charge and starve its peers: just before each tick
    /// it wakes a thread of a higher priority (its own, with a send that
    /// does not block it), which takes the tick, and it keeps its place at
    /// the head of its queue with its timeslice untouched. As the head it
    /// is the one that runs when its priority next does, and being preempted
    /// does not take that place away; so it pays for the tick instead.
    /// Every other way out of the head — blocking, yielding, halting, a new
    /// priority — puts it behind its peers when it comes back.
    ///
    /// A head that did not run at all in the period keeps its slice, as
    /// every preempted thread did before this charge: charged, a victim
    /// could be made to lose its whole turn without running (a hostile peer
    /// wakes two helpers above the victim just as the victim's turn begins,
    /// they spin through it, and the peer runs next: see the host test
    /// `attack_helpers_that_preempt_the_victims_turn_make_the_charge_take_its_timeslice`).
    /// A head that ran only a little of the period is still charged the
    /// whole tick: timeslices are sampled at the tick, not measured.
    ///
    /// The levels below the running thread's with a peer are found through
    /// the ready bitmap, from the highest down: one step per priority with
    /// ready threads. (Above it nothing is ready; at its own level the head
    /// is the running thread, or the donor of a donation the tick charges.)
    #[inline(never)]
    fn charge_preempted_heads(&mut self, priority: u8) {
        let mut level = self.ready.next_priority_below(priority);
        while let Some(priority) = level {
            if self.ready.has_peer(priority)
                && let Some(head) = self.ready.head(priority)
                && self.threads[head].left_cpu_in == self.tick_period_number
            {
                let tcb = &mut self.threads[head];
                tcb.timeslice = tcb.timeslice.saturating_sub(1);
                if tcb.timeslice == 0 {
                    self.requeue(head);
                }
            }
            level = self.ready.next_priority_below(priority);
        }
    }

    /// Ends every IPC whose deadline is `now` or earlier with
    /// `PV_ERR_TIMEOUT` and finds the next deadline: one scan of the TCBs,
    /// at most once per deadline set.
    #[inline(never)]
    fn expire_timeouts(&mut self, now: u64) {
        let mut earliest = u64::MAX;
        for index in 1..MAX_THREADS {
            match self.threads[index].deadline {
                Some(deadline) if deadline <= now => self.cancel_ipc(index, PV_ERR_TIMEOUT),
                Some(deadline) => earliest = earliest.min(deadline),
                None => {}
            }
        }
        self.earliest_deadline = earliest;
        self.kernel_deadline = self.next_kernel_tick.min(earliest);
    }

    // ----- faults ---------------------------------------------------------------------

    /// The current thread executed an undefined instruction; its saved pc is
    /// the instruction's address in ARM state and 2 bytes short of it in Thumb
    /// state (the trap entry subtracts ARM's offset; it cannot tell Thumb). With
    /// the FPU off this is its first FPU instruction since it
    /// was switched in, so it gets the FPU: the owner's registers are saved into
    /// the owner's save area, the thread's own are loaded (zeros if it never
    /// used the FPU, or if its slot belonged to a deleted thread), the FPU is
    /// turned on and the instruction runs again, unreported. An undefined
    /// instruction with the FPU on (or no usable FPU) is a fault.
    pub fn undefined_instruction<M: Machine + ?Sized>(&mut self, machine: &mut M) {
        self.restore_current();
        let index = self.current;
        if index == 0 {
            return;
        }
        let context = &mut self.threads[index].context;
        if context.cpsr & CPSR_THUMB != 0 {
            // Thumb's return address is 2 bytes past the instruction, not 4.
            context.pc += 2;
        }
        let pc = context.pc;
        if self.fpu_available && !self.fpu_enabled {
            if self.fpu_owner != index {
                // Nobody (0) or a live thread (`delete_thread` clears it).
                let save = (self.fpu_owner != 0).then_some(self.fpu_owner);
                if let Some(previous) = save {
                    self.threads[previous].fpu_saved = true;
                }
                let load = self.threads[index].fpu_saved.then_some(index);
                machine.switch_fpu(save, load);
                self.fpu_owner = index;
            } else {
                machine.set_fpu_enabled(true);
            }
            self.fpu_enabled = true;
            return;
        }
        self.user_fault(PV_FAULT_UNDEFINED, pc, 0, machine);
    }

    /// The current thread took a fault of `kind` (`PV_FAULT_*`) at `address` with
    /// fault status `status`. Its exception handler gets an exception IPC; without
    /// one, the fault is logged and the thread halted.
    pub fn user_fault<M: Machine + ?Sized>(&mut self, kind: u32, address: u32, status: u32, machine: &mut M) {
        self.restore_current();
        let index = self.current;
        if index == 0 {
            return;
        }
        let tcb = &self.threads[index];
        let message = [kind, address, tcb.context.pc, status, tcb.context.sp];
        let exception_handler = tcb.exception_handler;
        let handler = self.lookup(exception_handler).ok().filter(|&h| h != index);
        let id = self.thread_id(index);
        match handler {
            Some(handler) => {
                self.threads[index].fault = Some(message);
                self.threads[index].then_receive = Some((Source::Thread(exception_handler), PV_TIMEOUT_NEVER));
                self.send(index, handler, PV_TIMEOUT_NEVER, machine);
            }
            None => {
                self.faults_reported += 1;
                let name = match kind {
                    PV_FAULT_DATA_ABORT => "data abort",
                    PV_FAULT_PREFETCH_ABORT => "prefetch abort",
                    _ => "undefined instruction",
                };
                let mut line = crate::text::Line::new();
                line.push_str("[kernel] thread ");
                line.push_hex(id);
                line.push_str(" faulted: ");
                line.push_str(name);
                line.push_str(" at address ");
                line.push_hex(address);
                line.push_str(", pc ");
                line.push_hex(message[2]);
                line.push_str(" (status ");
                line.push_hex(status);
                line.push_str("); no exception handler, thread halted\n");
                machine.console_write(line.as_bytes());
                let tcb = &mut self.threads[index];
                tcb.halted = true;
                self.ready.remove(index);
            }
        }
    }
}
