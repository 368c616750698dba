// SPDX-License-Identifier: MIT OR Apache-2.0
//! The ucvisor paravirtualization ABI, the single source of truth shared by the
//! microkernel, the user-level servers and the guests: system-call numbers,
//! `#[repr(C)]` fixed-width structures, error codes, the ABI version and the
//! guest-side C-callable functions (`pv_*`). `include/paravirt.h` is generated from
//! this crate by cbindgen; nothing here uses C enums, only fixed-width integers.
//!
//! # Calling convention
//! A system call is `svc #0` with the call number in `r12`. Arguments travel in
//! `r0`..`r11`; the kernel writes the result code to `r0` and results to `r1`...
//! For IPC, `r0` is the destination, `r1` the receive specifier, `r2` the packed
//! timeouts, `r3` the message tag and `r4`..`r11` the message registers MR0..MR7;
//! longer messages continue in the sender's UTCB (`PvUtcb::mr[8..]`).
#![no_std]
#![deny(unsafe_op_in_unsafe_fn)]

#[cfg(target_os = "none")]
pub mod guest;
/// cbindgen:ignore
pub mod hypercalls;
pub mod protocol;
pub mod tick;

pub use protocol::*;

/// Version of the ABI described by this crate; bumped on every incompatible change.
pub const PV_ABI_VERSION: u32 = 3;

// ---------------------------------------------------------------------------
// Thread identifiers
// ---------------------------------------------------------------------------

/// A global thread identifier: thread index in bits 0..12, version above.
pub type PvThreadId = u32;

/// The nil thread: "nobody" (send-only IPC uses it as receive specifier).
pub const PV_NIL_THREAD: PvThreadId = 0;
/// Receive specifier accepting a message from any thread or interrupt.
pub const PV_ANY_THREAD: PvThreadId = 0xFFFF_FFFF_u32;
/// Interrupt pseudo-threads are `PV_IRQ_THREAD_BASE | irq`.
pub const PV_IRQ_THREAD_BASE: PvThreadId = 0x8000_0000_u32;
/// Bits of a thread ID that hold the thread index.
pub const PV_THREAD_INDEX_MASK: u32 = 0xFFF;
/// Shift of the version field in a thread ID.
pub const PV_THREAD_VERSION_SHIFT: u32 = 12;

/// Thread ID of interrupt `irq`'s pseudo-thread.
pub const fn pv_irq_thread(irq: u32) -> PvThreadId {
    PV_IRQ_THREAD_BASE | irq
}

// ---------------------------------------------------------------------------
// System-call numbers (r12)
// ---------------------------------------------------------------------------

/// IPC: send and/or receive (call, send, receive, reply-and-wait).
pub const PV_SYS_IPC: u32 = 1;
/// Give up the processor: donate the rest of the timeslice to r0, a ready
/// thread of the caller's own space, or (nil) yield to the caller's peers.
pub const PV_SYS_THREAD_SWITCH: u32 = 2;
/// Read/write another thread's SP, IP, flags; halt, resume, abort IPC.
pub const PV_SYS_EXCHANGE_REGISTERS: u32 = 3;
/// Create or delete a thread (root only).
pub const PV_SYS_THREAD_CONTROL: u32 = 4;
/// Create or delete an address space (root only).
pub const PV_SYS_SPACE_CONTROL: u32 = 5;
/// Map physical memory sections into a space (root only).
pub const PV_SYS_MAP: u32 = 6;
/// Unmap sections from a space (root only).
pub const PV_SYS_UNMAP: u32 = 7;
/// Associate an interrupt with a handler thread (root only).
pub const PV_SYS_INTERRUPT_CONTROL: u32 = 8;
/// Read the system clock: microseconds since boot in r1 (low), r2 (high).
pub const PV_SYS_SYSTEM_CLOCK: u32 = 9;
/// Kernel debug output: r0 pointer, r1 length (at most `PV_DEBUG_WRITE_MAX`).
pub const PV_SYS_DEBUG_WRITE: u32 = 10;
/// Stop the machine with an exit code (root only).
pub const PV_SYS_SHUTDOWN: u32 = 11;
/// Own thread ID (r1), space ID (r2) and UTCB address (r3).
pub const PV_SYS_THREAD_SELF: u32 = 12;
/// Change a thread's priority (root only): r0 thread, r1 priority.
pub const PV_SYS_SET_PRIORITY: u32 = 13;
/// Resume the caller from a `PvContextFrame` in its own memory (r0: its
/// address); returns only on error (r0 = `PV_ERR_BAD_ADDRESS`).
pub const PV_SYS_CONTEXT_RESUME: u32 = 14;
/// Notify: OR r1 (bits) into thread r0's notification word, never blocking;
/// a thread waiting in an open receive gets them at once as a
/// `PV_LABEL_NOTIFICATION` message.
pub const PV_SYS_NOTIFY: u32 = 15;
/// The kernel's resource counters (root only): threads, spaces, second-level
/// page tables and interrupt lines in use, each with its capacity
/// (`PvKernelInfo`).
pub const PV_SYS_KERNEL_INFO: u32 = 16;
/// Bind thread r0 of the caller's own space to its guest's virtual-interrupt
/// words at r1 (mask, then pending; with `PV_VIRQ_WORDS_TICK_COUNT` ORed in,
/// a third word, the tick count) and entry r2: notifications to it become
/// virtual interrupts the kernel injects itself. r1 = 0 unbinds.
pub const PV_SYS_VIRQ_BIND: u32 = 17;
/// The kernel's tick schedules (only a space granted the timer,
/// `PV_SPACE_TIMER_ACCESS`): r0 `PV_TICK_*` operation, r1 the thread, r2 the
/// rate, r3/r4 the start counter value; the kernel notifies the thread
/// `PV_NOTIFY_TIMER_TICK` at every deadline itself. r1 out: the ticks it
/// generated for the thread.
pub const PV_SYS_TICK_SCHEDULE: u32 = 18;
/// One past the highest system-call number.
pub const PV_SYS_COUNT: u32 = 19;

// ---------------------------------------------------------------------------
// Error codes (r0 after every call)
// ---------------------------------------------------------------------------

/// Success.
pub const PV_OK: u32 = 0;
/// Unknown system-call number.
pub const PV_ERR_INVALID_SYSCALL: u32 = 1;
/// The thread ID names no existing thread (or a stale version).
pub const PV_ERR_INVALID_THREAD: u32 = 2;
/// An argument is out of range or inconsistent.
pub const PV_ERR_INVALID_ARGUMENT: u32 = 3;
/// A pointer/length does not lie in memory the caller may access.
pub const PV_ERR_BAD_ADDRESS: u32 = 4;
/// Only the root task may do this.
pub const PV_ERR_NO_PRIVILEGE: u32 = 5;
/// An IPC timeout expired.
pub const PV_ERR_TIMEOUT: u32 = 6;
/// The IPC was aborted by ExchangeRegisters.
pub const PV_ERR_ABORTED: u32 = 7;
/// The IPC partner was deleted while this thread was blocked on it.
pub const PV_ERR_PARTNER_DELETED: u32 = 8;
/// No physical memory, TCB, space or ASID left.
pub const PV_ERR_NO_RESOURCES: u32 = 9;
/// The space ID names no existing address space.
pub const PV_ERR_INVALID_SPACE: u32 = 10;
/// Part of the range is already mapped.
pub const PV_ERR_ALREADY_MAPPED: u32 = 11;
/// Part of the range is not mapped.
pub const PV_ERR_NOT_MAPPED: u32 = 12;
/// A length exceeds its maximum (message words, debug output).
pub const PV_ERR_TOO_LONG: u32 = 13;
/// The resource is in use (interrupt already associated, space not empty).
pub const PV_ERR_BUSY: u32 = 14;
/// Set in the result of an IPC that failed in its receive phase.
pub const PV_ERR_RECEIVE_PHASE: u32 = 0x100;

// ---------------------------------------------------------------------------
// IPC: tags, timeouts, labels
// ---------------------------------------------------------------------------

/// Message words carried in registers (MR0..MR7).
pub const PV_REGISTER_WORDS: u32 = 8;
/// Largest message, in words (MR8.. travel through the UTCB).
pub const PV_MAX_MESSAGE_WORDS: u32 = 64;
/// Mask of the word count in a message tag (bits 0..6).
pub const PV_TAG_WORDS_MASK: u32 = 0x7F;
/// Shift of the 16-bit label in a message tag.
pub const PV_TAG_LABEL_SHIFT: u32 = 16;

/// Builds a message tag from a label and a word count.
pub const fn pv_tag(label: u32, words: u32) -> u32 {
    (label << PV_TAG_LABEL_SHIFT) | (words & PV_TAG_WORDS_MASK)
}

/// Timeout value: do not wait at all.
pub const PV_TIMEOUT_ZERO: u32 = 0;
/// Timeout value: wait forever.
pub const PV_TIMEOUT_NEVER: u32 = 0xFFFF;

/// Packs send and receive timeouts (each milliseconds, or ZERO/NEVER).
pub const fn pv_timeouts(send: u32, receive: u32) -> u32 {
    ((send & 0xFFFF) << 16) | (receive & 0xFFFF)
}

/// First label of the range only the kernel sends (`PV_LABEL_KERNEL_BASE`
/// ..=0xFFFF): a user thread's send to a thread with such a label fails with
/// `PV_ERR_INVALID_ARGUMENT`, so a receiver can trust a message with one of
/// these labels (an interrupt, an exception report) to come from the kernel.
pub const PV_LABEL_KERNEL_BASE: u32 = 0xFF00;
/// Label of a message sent by an interrupt pseudo-thread (MR0 = IRQ number).
/// Kernel-reserved (see `PV_LABEL_KERNEL_BASE`).
pub const PV_LABEL_INTERRUPT: u32 = 0xFFF0;
/// Label of an exception IPC (MR0 kind, MR1 address, MR2 PC, MR3 status, MR4 SP).
/// Kernel-reserved (see `PV_LABEL_KERNEL_BASE`): no user thread can forge one.
pub const PV_LABEL_EXCEPTION: u32 = 0xFFE0;

/// Label of a notification (`PV_SYS_NOTIFY`): MR0 the bits OR-ed into the
/// receiver's notification word since it last collected them (the word is
/// cleared), sender `PV_NIL_THREAD`, sender space 0 (bits from several
/// notifiers merge). Only an open receive (`PV_ANY_THREAD`) collects them.
/// Kernel-reserved (see `PV_LABEL_KERNEL_BASE`): no user thread can forge one.
pub const PV_LABEL_NOTIFICATION: u32 = 0xFFD0;

/// Exception kind: data abort.
pub const PV_FAULT_DATA_ABORT: u32 = 1;
/// Exception kind: prefetch abort.
pub const PV_FAULT_PREFETCH_ABORT: u32 = 2;
/// Exception kind: undefined instruction.
pub const PV_FAULT_UNDEFINED: u32 = 3;

// ---------------------------------------------------------------------------
// ExchangeRegisters
// ---------------------------------------------------------------------------

/// Write the stack pointer.
pub const PV_EXREG_SET_SP: u32 = 1 << 0;
/// Write the instruction pointer.
pub const PV_EXREG_SET_IP: u32 = 1 << 1;
/// Write the CPSR flags `PV_USER_WRITABLE_FLAGS` (N Z C V Q, IT, GE, E; never
/// T, which bit 0 of the new IP selects).
pub const PV_EXREG_SET_FLAGS: u32 = 1 << 2;
/// Stop the thread (takes effect before it next runs user code).
pub const PV_EXREG_HALT: u32 = 1 << 3;
/// Let a halted thread run again.
pub const PV_EXREG_RESUME: u32 = 1 << 4;
/// Abort a pending IPC (the thread sees `PV_ERR_ABORTED`).
pub const PV_EXREG_ABORT_IPC: u32 = 1 << 5;
/// Start_SpIp: set SP and IP and resume.
pub const PV_EXREG_START: u32 = PV_EXREG_SET_SP | PV_EXREG_SET_IP | PV_EXREG_RESUME;

/// Returned state bit: the thread was halted.
pub const PV_STATE_HALTED: u32 = 1 << 0;
/// Returned state bit: the thread was blocked sending.
pub const PV_STATE_SENDING: u32 = 1 << 1;
/// Returned state bit: the thread was blocked receiving.
pub const PV_STATE_RECEIVING: u32 = 1 << 2;
/// Returned state bit: the thread is waiting on its exception handler.
pub const PV_STATE_FAULTED: u32 = 1 << 3;

/// Every CPSR bit user mode can observe, as ExchangeRegisters reports it and
/// `PV_SYS_CONTEXT_RESUME` takes it: N Z C V Q (31:27), IT[1:0] (26:25),
/// GE[3:0] (19:16), IT[7:2] (15:10), E (9, big-endian data) and T (5, Thumb).
/// Writes take all of them except T, which bit 0 of the new IP selects; the
/// mode, the A/I/F masks and J are never writable from user mode.
pub const PV_USER_FLAGS_MASK: u32 = 0xFE0F_FE20_u32;
/// The Thumb bit (T) of the CPSR flags.
pub const PV_FLAGS_THUMB: u32 = 1 << 5;
/// The CPSR flags `PV_EXREG_SET_FLAGS` and `PV_SYS_CONTEXT_RESUME` write:
/// `PV_USER_FLAGS_MASK` without T (N Z C V Q, IT, GE, E).
pub const PV_USER_WRITABLE_FLAGS: u32 = PV_USER_FLAGS_MASK & !PV_FLAGS_THUMB;
/// The data-endianness bit (E) of the CPSR flags: set while `setend be` is in effect.
pub const PV_FLAGS_BIG_ENDIAN: u32 = 1 << 9;
/// The IT-block state bits of the CPSR flags (IT[1:0] at 26:25, IT[7:2] at 15:10).
/// They mean something only in Thumb state; the kernel clears them in ARM state.
pub const PV_FLAGS_IT_MASK: u32 = 0x0600_FC00_u32;

// ---------------------------------------------------------------------------
// Thread, space and memory control
// ---------------------------------------------------------------------------

/// ThreadControl operation: create a thread (r1 space, r2 priority, r3 exception handler).
pub const PV_THREAD_CREATE: u32 = 1;
/// ThreadControl operation: delete thread r1.
pub const PV_THREAD_DELETE: u32 = 2;
/// SpaceControl operation: create a space (new ID in r1).
pub const PV_SPACE_CREATE: u32 = 1;
/// SpaceControl operation: delete space r1 (it must have no threads).
pub const PV_SPACE_DELETE: u32 = 2;
/// SpaceControl operation: set space r1's authority: r2 the spaces its threads
/// may name (send to, receive from; bit n: space n, `PV_MAX_SPACES` bits), r3
/// its maximum controlled priority (no thread of it is created or set above
/// it: `PV_ERR_NO_PRIVILEGE`, never clamped), r4 `PV_SPACE_*` flags. A new
/// space may name only the root task's space and itself, has the maximum
/// priority `PV_SPACE_DEFAULT_MAX_PRIORITY` and no flags. A thread of the
/// space already above the new maximum: `PV_ERR_BUSY`, nothing changes.
pub const PV_SPACE_CONFIGURE: u32 = 3;
/// `PV_SPACE_CONFIGURE` flag: threads of the space may program the generic
/// timer's virtual timer (CNTV_CTL, CNTV_CVAL, CNTV_TVAL); for any other space
/// those registers are undefined instructions. The counters (CNTVCT, CNTPCT,
/// CNTFRQ) stay readable by every space.
pub const PV_SPACE_TIMER_ACCESS: u32 = 1 << 0;
/// TickSchedule operation: tick thread r1 (bound to virtual-interrupt words,
/// `PV_SYS_VIRQ_BIND`) `r2` times a second from counter value r3 (low), r4
/// (high): tick `n` falls due at `start + ceil(n × CNTFRQ / rate)` (the
/// schedule of `paravirt_api::tick::TickSchedule`), and at each deadline the
/// kernel notifies the thread `PV_NOTIFY_TIMER_TICK` itself. A thread that
/// has a schedule gets the new one and keeps its count of ticks generated.
pub const PV_TICK_START: u32 = 1;
/// TickSchedule operation: thread r1 gets no more ticks from the kernel (no
/// schedule: nothing changes). r1 out: the ticks generated for it.
pub const PV_TICK_STOP: u32 = 2;
/// TickSchedule operation: r1 out: the ticks the kernel generated for thread
/// r1 (the ticks due by its schedule at the kernel's timer interrupts).
pub const PV_TICK_COUNT: u32 = 3;
/// `PV_SYS_VIRQ_BIND` flag, ORed into the words' address (r1): the block has
/// a third word after the pending word, the tick count, and is 16-byte
/// aligned (so all three words lie in one page). The kernel writes the
/// thread's count of ticks generated (`PV_TICK_COUNT`) there at each tick it
/// delivers, before it sets `PV_NOTIFY_TIMER_TICK` in the pending word, and
/// when `PV_TICK_START` gives the thread a schedule: the guest takes the
/// ticks due as the difference from the count it saw last, without a copy of
/// the schedule or a read of the counter. Without the flag the words are two,
/// 8-byte aligned, and the kernel writes no count.
pub const PV_VIRQ_WORDS_TICK_COUNT: u32 = 1;
/// Tick schedules the kernel holds at once (`PV_TICK_START` beyond them:
/// `PV_ERR_NO_RESOURCES`).
pub const PV_TICK_SCHEDULES_MAX: u32 = 16;
/// Address spaces the kernel holds (space 0 is its own): the width of a
/// `PV_SPACE_CONFIGURE` send mask.
pub const PV_MAX_SPACES: u32 = 16;
/// Thread slots the kernel holds (slot 0 is the nil thread and never used).
pub const PV_MAX_THREADS: u32 = 64;
/// The maximum controlled priority of a space nobody configured: below the
/// root task's priority (100).
pub const PV_SPACE_DEFAULT_MAX_PRIORITY: u32 = 99;

/// Highest thread priority.
pub const PV_PRIORITY_MAX: u32 = 255;

/// Mapping right: user read.
pub const PV_MAP_READ: u32 = 1 << 0;
/// Mapping right: user write.
pub const PV_MAP_WRITE: u32 = 1 << 1;
/// Mapping right: user execute.
pub const PV_MAP_EXECUTE: u32 = 1 << 2;
/// Mapping attribute: device memory (uncached, never executable).
pub const PV_MAP_DEVICE: u32 = 1 << 3;

/// A section: 1 MiB, the unit of memory sections (a whole aligned section is
/// mapped with one first-level entry).
pub const PV_SECTION_SIZE: u32 = 0x0010_0000;
/// Mapping granule: 4 KiB pages (Map and Unmap take page-aligned addresses
/// and sizes; device registers are granted page by page).
pub const PV_PAGE_SIZE: u32 = 0x1000;
/// Lowest user virtual address that may be mapped.
pub const PV_USER_BASE: u32 = 0x0010_0000;
/// Address space top for user mappings (the kernel owns everything above).
pub const PV_USER_TOP: u32 = 0x4000_0000;
/// Virtual address of the UTCB section in every space.
pub const PV_UTCB_AREA: u32 = 0x3FF0_0000;
/// Virtual address where the kernel maps the boot information for the root task.
pub const PV_BOOT_INFO_ADDRESS: u32 = 0x3FE0_0000;

/// Largest single debug-output write.
pub const PV_DEBUG_WRITE_MAX: u32 = 256;

// ---------------------------------------------------------------------------
// Structures shared with user mode
// ---------------------------------------------------------------------------

/// A thread's user-level thread control block: message registers beyond the
/// register-borne ones and the thread's identity. One per thread at
/// `PV_UTCB_AREA + index * size_of::<PvUtcb>()`; user mode reads its address
/// from TPIDRURO.
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct PvUtcb {
    /// Message registers MR0..MR63 (MR0..MR7 also travel in registers).
    pub mr: [u32; 64],
    /// This thread's ID.
    pub thread_id: PvThreadId,
    /// This thread's space ID.
    pub space_id: u32,
    /// Free for the user-level runtime (e.g. the guest's virtual-IRQ state).
    pub user_defined: [u32; 6],
    /// Reserved, zero.
    pub reserved: [u32; 56],
}

/// Size of [`PvUtcb`].
pub const PV_UTCB_SIZE: u32 = 512;
const _: () = assert!(core::mem::size_of::<PvUtcb>() == PV_UTCB_SIZE as usize);

/// Registers of another thread as ExchangeRegisters reports them.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct PvRegisters {
    /// Stack pointer.
    pub sp: u32,
    /// Instruction pointer.
    pub ip: u32,
    /// CPSR flags (`PV_USER_FLAGS_MASK` bits).
    pub flags: u32,
    /// `PV_STATE_*` bits.
    pub state: u32,
}

/// A short message as the register-only IPC functions (`pv_ipc_registers`,
/// `pv_call_registers`, `pv_reply_wait_registers`) take it: the tag and MR0..MR7,
/// which travel in registers r3..r11, and the sender and its space as the
/// kernel reports them on receipt. 44 bytes instead of `PvMessage`'s 260: no
/// 65-word structure on the stack, nothing to zero or copy. Words MR8.. of a
/// longer message stay in the caller's UTCB (`pv_utcb()->mr[8..]`), sent from
/// and received into it.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct PvRegisterMessage {
    /// Sender of the received message (written on receipt).
    pub sender: PvThreadId,
    /// The sender's space, its domain (written on receipt; 0 for an interrupt).
    pub sender_space: u32,
    /// Label and word count (`pv_tag`).
    pub tag: u32,
    /// Message words MR0..MR7 (zero beyond the received message).
    pub mr: [u32; 8],
}

impl PvRegisterMessage {
    /// A message with `label` and `words` (at most 8; more are cut).
    pub fn new(label: u32, words: &[u32]) -> Self {
        let count = words.len().min(8);
        let mut message = Self { tag: pv_tag(label, count as u32), ..Self::default() };
        message.mr[..count].copy_from_slice(&words[..count]);
        message
    }
}

/// The register frame `PV_SYS_CONTEXT_RESUME` resumes the calling thread from:
/// 16 words, word aligned, in RAM the caller may read in its own space. The
/// thread continues at `pc` (bit 0 selects Thumb) with r0..r12 and lr from the
/// frame, sp just above the frame (its address + `PV_CONTEXT_FRAME_SIZE`) and
/// the `PV_USER_FLAGS_MASK` bits of `cpsr` except T (IT and E included, which
/// user mode cannot restore by itself).
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct PvContextFrame {
    /// r0..r12.
    pub r: [u32; 13],
    /// Link register.
    pub lr: u32,
    /// CPSR flags to resume with (`PV_USER_FLAGS_MASK` bits; T is ignored).
    pub cpsr: u32,
    /// Address to resume at; bit 0 set for Thumb.
    pub pc: u32,
}

/// Size of [`PvContextFrame`] in bytes; sp after a resume is the frame's address plus this.
pub const PV_CONTEXT_FRAME_SIZE: u32 = 64;
const _: () = assert!(core::mem::size_of::<PvContextFrame>() == PV_CONTEXT_FRAME_SIZE as usize);

/// What the kernel has allocated of its fixed pools (`PV_SYS_KERNEL_INFO`),
/// each count with the pool's capacity. The kernel allocates nothing else at
/// run time: a thread's UTCB lives in its space's UTCB section (one per
/// thread), and a space's first-level table is one of a fixed set (one per
/// space), so threads and spaces count those too.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct PvKernelInfo {
    /// Threads in use (the root server's, the device servers', the guests').
    pub threads_used: u32,
    /// Threads the kernel can hold.
    pub threads_max: u32,
    /// Address spaces in use (the kernel's own not counted).
    pub spaces_used: u32,
    /// Address spaces the kernel can hold (the kernel's own not counted).
    pub spaces_max: u32,
    /// Second-level page tables (4 KiB mappings) in use, the kernel's own included.
    pub l2_tables_used: u32,
    /// Second-level page tables in the kernel's pool.
    pub l2_tables_max: u32,
    /// Interrupt lines associated with a handler thread.
    pub interrupts_used: u32,
    /// Interrupt lines the kernel manages.
    pub interrupts_max: u32,
}

impl PvKernelInfo {
    /// The counters as `PV_SYS_KERNEL_INFO` returns them in r1..r4: each
    /// register one pool, its count in the low half and its capacity in the
    /// high half (threads, spaces, second-level tables, interrupt lines).
    pub const fn to_registers(&self) -> [u32; 4] {
        const fn pack(used: u32, max: u32) -> u32 {
            (used & 0xFFFF) | (max << 16)
        }
        [
            pack(self.threads_used, self.threads_max),
            pack(self.spaces_used, self.spaces_max),
            pack(self.l2_tables_used, self.l2_tables_max),
            pack(self.interrupts_used, self.interrupts_max),
        ]
    }

    /// The counters from r1..r4 of `PV_SYS_KERNEL_INFO` (see [`Self::to_registers`]).
    pub const fn from_registers(registers: [u32; 4]) -> Self {
        Self {
            threads_used: registers[0] & 0xFFFF,
            threads_max: registers[0] >> 16,
            spaces_used: registers[1] & 0xFFFF,
            spaces_max: registers[1] >> 16,
            l2_tables_used: registers[2] & 0xFFFF,
            l2_tables_max: registers[2] >> 16,
            interrupts_used: registers[3] & 0xFFFF,
            interrupts_max: registers[3] >> 16,
        }
    }
}

/// A message as the C functions take it: tag plus words.
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct PvMessage {
    /// Label and word count (`pv_tag`).
    pub tag: u32,
    /// Message words MR0..MR63; only `tag & PV_TAG_WORDS_MASK` are used.
    pub mr: [u32; 64],
}

impl PvMessage {
    /// A message with `label` and `words` (at most `PV_MAX_MESSAGE_WORDS`; more are cut).
    pub fn new(label: u32, words: &[u32]) -> Self {
        let count = words.len().min(PV_MAX_MESSAGE_WORDS as usize);
        let mut message = Self { tag: pv_tag(label, count as u32), mr: [0; 64] };
        message.mr[..count].copy_from_slice(&words[..count]);
        message
    }
}

/// One module of the boot image, as the kernel describes it to the root task.
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct PvBootModule {
    /// Virtual address of the module bytes in the root task's space (read-only).
    pub address: u32,
    /// Size in bytes.
    pub size: u32,
    /// NUL-terminated name.
    pub name: [u8; 24],
}

/// Maximum number of boot modules.
pub const PV_MAX_BOOT_MODULES: u32 = 8;

/// Boot information the kernel maps read-only at `PV_BOOT_INFO_ADDRESS` in the root task.
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct PvBootInfo {
    /// `PV_BOOT_INFO_MAGIC`.
    pub magic: u32,
    /// `PV_ABI_VERSION` of the kernel.
    pub abi_version: u32,
    /// First physical address of RAM free for the root task to hand out.
    pub free_memory_base: u32,
    /// Size of that free RAM in bytes.
    pub free_memory_size: u32,
    /// Physical base of the console UART (a section the root may map for `v_serial`).
    pub uart_base: u32,
    /// Interrupt number of the console UART.
    pub uart_irq: u32,
    /// Interrupt number of the virtual timer (for `v_timer`).
    pub timer_irq: u32,
    /// Generic-timer counter frequency in Hz.
    pub timer_frequency: u32,
    /// Virtual address where the root task's image (code, data, bss) starts.
    pub root_image_virtual: u32,
    /// Physical address backing it (contiguous).
    pub root_image_physical: u32,
    /// Size of the root image mapping in bytes (whole sections).
    pub root_image_size: u32,
    /// Virtual address of the top of the root task's initial stack.
    pub root_stack_top: u32,
    /// Number of valid entries in `modules`.
    pub module_count: u32,
    /// Boot modules (guests, servers).
    pub modules: [PvBootModule; 8],
}

/// Magic number at the start of [`PvBootInfo`] ("UCVB").
pub const PV_BOOT_INFO_MAGIC: u32 = 0x5543_5642;
