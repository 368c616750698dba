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
pub mod tick;

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
/// One past the highest system-call number.
pub const PV_SYS_COUNT: u32 = 15;

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
/// Address spaces the kernel holds (space 0 is its own): the width of a
/// `PV_SPACE_CONFIGURE` send mask.
pub const PV_MAX_SPACES: u32 = 16;
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
// Server protocols (message labels). Requests are IPC calls; every reply
// carries a PV_* result code in MR0.
// ---------------------------------------------------------------------------

/// Root server to a newly started guest thread: MR0 v_timer, MR1 v_serial, MR2
/// guest number, MR3 stack top, MR4 priority of the guest's µC/OS-II thread (the
/// guest's `priority`; the guest runtime asks for exactly this one, and the
/// thread receiving the message runs one above it); the sender is the root
/// server. (The driver domain's threads get a startup message of their own
/// with this label: MR0 role, MR1 interrupt, MR2 frequency or UART address.)
pub const PV_LABEL_STARTUP: u32 = 0x0100;
/// Words of a guest's `PV_LABEL_STARTUP` message.
pub const PV_STARTUP_WORDS: u32 = 5;
/// Root server: create a thread in the caller's space with priority MR0, at
/// most the caller's ceiling (its µC/OS-II priority + 1, the priority of its
/// first thread); reply MR1 = thread ID. The new thread is halted: start it
/// with `pv_start_sp_ip`. Errors: a priority above the ceiling
/// `PV_ERR_NO_PRIVILEGE` (never clamped), no MR0 `PV_ERR_INVALID_ARGUMENT`,
/// no thread left for the guest `PV_ERR_NO_RESOURCES`.
pub const PV_ROOT_THREAD_CREATE: u32 = 0x0101;
/// Root server: create a zeroed read/write memory section of MR0 bytes (rounded
/// up to whole `PV_SECTION_SIZE` sections) in the caller's space, from the RAM
/// the system description gives the guest (`memory_kib`, which also holds its
/// image and first stack); reply MR1 = virtual address (each memory section
/// lies above an unmapped guard section: a stack in it that overflows faults). Errors: more than is
/// left of the guest's memory `PV_ERR_NO_RESOURCES`, size 0 or no MR0
/// `PV_ERR_INVALID_ARGUMENT`.
pub const PV_ROOT_MEMSECTION_CREATE: u32 = 0x0102;
/// Root server: associate interrupt MR0 with thread MR1 of the caller's space.
pub const PV_ROOT_INTERRUPT_ASSOCIATE: u32 = 0x0103;
/// Root server: the calling guest has finished with exit code MR0.
pub const PV_ROOT_EXIT: u32 = 0x0104;
/// Root server: the calling guest's runtime found an error it cannot recover
/// from: MR0 kind (`PV_GUEST_ERROR_*`), MR1 µC/OS-II task priority, MR2 address
/// (the stack pointer), MR3 bound (the stack bottom), MR4.. task name (up to
/// `PV_GUEST_ERROR_NAME_WORDS` words, NUL-padded). The root server reports it and
/// applies the guest's fault policy (`PvGuestConfig::on_fault`): no reply.
pub const PV_ROOT_GUEST_ERROR: u32 = 0x0105;
/// `PV_ROOT_GUEST_ERROR` kind: a µC/OS-II task ran past the bottom of its stack.
pub const PV_GUEST_ERROR_STACK_OVERFLOW: u32 = 1;
/// Words of task name in a `PV_ROOT_GUEST_ERROR` request (4 bytes each).
pub const PV_GUEST_ERROR_NAME_WORDS: u32 = 8;
/// v_timer (the paper's `request_time`): deliver MR0 ticks per second to thread
/// MR1, from now on. MR1 is the sender itself, or a client its own domain
/// registered (then its rate changes); anything else — another domain's
/// thread above all — is `PV_ERR_INVALID_THREAD` (v_timer binds each client to
/// the domain that registered it, as the kernel reports the sender's space). Tick `n` is due at the first counter value at or after
/// `start + n × frequency / MR0` (the `tick` module), so the long-run rate is exact at
/// every rate. Reply: MR0 result (`PV_ERR_INVALID_ARGUMENT` for a rate of 0 or
/// above the highest served), MR1 the highest rate served (always). Asking again
/// for the same thread restarts its schedule at the new rate; ticks owed so far
/// are kept. (ABI 1 had `PV_TIMER_REQUEST_TIME` 0x0201 with a period in
/// microseconds; v_timer now refuses that label.)
pub const PV_TIMER_REQUEST_RATE: u32 = 0x0203;
/// The highest tick rate v_timer serves, in ticks per second (lower only if the
/// counter itself is slower). A virtual tick costs about 6,900 instructions, so
/// at this rate it takes over a fifth of a busy guest's processor time (see
/// doc/porting.md, "Tick rates").
pub const PV_TIMER_RATE_MAX: u32 = 32_768;
/// v_timer: report for client thread MR0: MR1 ticks generated, MR2 not yet
/// delivered; only for a client of the sender's own domain:
/// `PV_ERR_INVALID_THREAD` for any other thread, registered or not.
pub const PV_TIMER_QUERY: u32 = 0x0202;
/// v_timer to a client: MR0 ticks elapsed since the last notification, MR1 ticks generated so far.
pub const PV_LABEL_TIMER_TICK: u32 = 0x0210;
/// v_serial: write MR0 bytes packed little-endian into MR1... v_serial writes
/// whole lines only, each prefixed with the writer's console tag (`[name] `):
/// it keeps a domain's unfinished line until its newline (a line longer than
/// its buffer goes out in pieces, each tagged and ended), so the lines of
/// different guests never mix. Only threads the root server registered
/// (`PV_SERIAL_THREAD`) may write: `PV_ERR_NO_PRIVILEGE` for anyone else.
pub const PV_SERIAL_WRITE: u32 = 0x0301;
/// v_serial: send console input to thread MR0 (a thread of the caller's own
/// domain) from now on. Only the domain the system description gives console
/// input (`PvSystemConfig::console_input`) may: `PV_ERR_NO_PRIVILEGE` for any
/// other (and for a thread of another domain).
pub const PV_SERIAL_ATTACH_INPUT: u32 = 0x0302;
/// v_serial, from the root server's thread only (the sender of v_serial's
/// startup message; `PV_ERR_NO_PRIVILEGE` for anyone else): (re)defines console
/// domain MR0 (below `PV_MAX_GUESTS`; the guest's index in the system
/// description) with flags MR1 (`PV_SERIAL_DOMAIN_INPUT`) and tag MR2..MR7 (the
/// guest's name, 24 bytes NUL-padded, packed little-endian). Writes out the
/// domain's unfinished line, if any, and forgets its threads and its input
/// attachment: the root server sends it when a guest starts, restarts, stops
/// or exits.
pub const PV_SERIAL_DOMAIN: u32 = 0x0303;
/// `PV_SERIAL_DOMAIN` flag: the domain may take console input.
pub const PV_SERIAL_DOMAIN_INPUT: u32 = 1 << 0;
/// Words of a `PV_SERIAL_DOMAIN` request.
pub const PV_SERIAL_DOMAIN_WORDS: u32 = 8;
/// v_serial, from the root server's thread only: thread MR0 belongs to console
/// domain MR1 (defined with `PV_SERIAL_DOMAIN`): its writes carry the domain's
/// tag, and it may attach input if the domain may. `PV_ERR_NO_RESOURCES` when
/// the domain has no room for another thread.
pub const PV_SERIAL_THREAD: u32 = 0x0304;
/// v_serial to the input thread: MR0 bytes packed into MR1...
pub const PV_LABEL_SERIAL_INPUT: u32 = 0x0310;
/// Largest single v_serial write or input message, in bytes.
pub const PV_SERIAL_CHUNK: u32 = 248;

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

// ---------------------------------------------------------------------------
// The system description as the root server reads it
// ---------------------------------------------------------------------------

/// Name of the boot module holding a [`PvSystemConfig`] (written by the image
/// build from the system description, `system.toml`).
pub const PV_SYSTEM_MODULE: &str = "system";
/// `PvSystemConfig::magic`: "UCVS".
pub const PV_SYSTEM_MAGIC: u32 = 0x5356_4355;
/// `PvSystemConfig::version` this ABI defines.
pub const PV_SYSTEM_VERSION: u32 = 1;
/// Most guests one image can describe.
pub const PV_MAX_GUESTS: u32 = 6;
/// Lowest priority a guest's µC/OS-II thread may have.
pub const PV_GUEST_PRIORITY_MIN: u32 = 1;
/// Highest priority a guest's µC/OS-II thread may have (its Interrupt_loop runs
/// one above; the root server and device servers run above every guest).
pub const PV_GUEST_PRIORITY_MAX: u32 = 98;
/// `PvGuestConfig::on_fault`: leave the guest stopped and reported.
pub const PV_ON_FAULT_STOP: u32 = 0;
/// `PvGuestConfig::on_fault`: reload the guest from its image into a fresh domain.
pub const PV_ON_FAULT_RESTART: u32 = 1;
/// `PvGuestConfig::on_fault`: end the whole system with a failure exit code.
pub const PV_ON_FAULT_SHUTDOWN: u32 = 2;
/// `PvSystemConfig::console_input` when no guest takes console input.
pub const PV_NO_GUEST: u32 = 0xFFFF_FFFF;
/// Highest `PvGuestConfig::restart_limit` (restarts per minute) the root server keeps count of.
pub const PV_RESTART_LIMIT_MAX: u32 = 32;
/// Lowest interrupt line a guest may be granted (the first shared peripheral
/// interrupt: SGIs 0..15 and PPIs 16..31 are per-CPU and never a guest's).
pub const PV_GUEST_INTERRUPT_FIRST: u32 = 32;
/// Highest interrupt line a guest may be granted (the kernel manages 128).
pub const PV_GUEST_INTERRUPT_LAST: u32 = 127;

/// True if `interrupts` (a [`PvGuestConfig::interrupts`] set) grants line `irq`.
pub const fn pv_guest_interrupt_granted(interrupts: &[u32; 3], irq: u32) -> bool {
    if irq < PV_GUEST_INTERRUPT_FIRST || irq > PV_GUEST_INTERRUPT_LAST {
        return false;
    }
    let bit = irq - PV_GUEST_INTERRUPT_FIRST;
    interrupts[(bit / 32) as usize] & (1 << (bit % 32)) != 0
}

/// Size of a [`PvSystemConfig`] in bytes: the size of a version 1 `system` module.
pub const PV_SYSTEM_CONFIG_SIZE: u32 = 520;

/// One guest of a [`PvSystemConfig`].
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct PvGuestConfig {
    /// Guest name, NUL-padded (identity, console tag, fault reports).
    pub name: [u8; 24],
    /// Name of the boot module holding the guest's ELF image, NUL-padded.
    pub module: [u8; 24],
    /// Priority of the guest's µC/OS-II thread
    /// (`PV_GUEST_PRIORITY_MIN..=PV_GUEST_PRIORITY_MAX`).
    pub priority: u32,
    /// RAM for the guest (code, data, heap, stacks), KiB, a multiple of 1024.
    pub memory_kib: u32,
    /// `PV_ON_FAULT_*`.
    pub on_fault: u32,
    /// Restarts allowed per minute before a restarting guest is stopped.
    pub restart_limit: u32,
    /// Tick rate the guest's µC/OS-II was built with (`OS_TICKS_PER_SEC`), Hz.
    pub tick_hz: u32,
    /// Interrupt lines the guest may associate with its threads
    /// (`PV_ROOT_INTERRUPT_ASSOCIATE`): shared peripheral interrupts only, bit
    /// `n % 32` of word `(n - 32) / 32` for INTID `n` in
    /// `PV_GUEST_INTERRUPT_FIRST..=PV_GUEST_INTERRUPT_LAST` (see
    /// [`pv_guest_interrupt_granted`]). Never an SGI or PPI, never a line a
    /// device server owns.
    pub interrupts: [u32; 3],
}

/// The system description the root server follows: which guests to start from
/// which boot modules, with what priority, memory, tick and fault policy.
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PvSystemConfig {
    /// `PV_SYSTEM_MAGIC`.
    pub magic: u32,
    /// `PV_SYSTEM_VERSION`.
    pub version: u32,
    /// Guests used in `guests`.
    pub guest_count: u32,
    /// Index of the guest that receives console input, or `PV_NO_GUEST`.
    pub console_input: u32,
    /// Image name, NUL-padded (boot log).
    pub name: [u8; 24],
    /// The guests, in start order.
    pub guests: [PvGuestConfig; PV_MAX_GUESTS as usize],
}

const _: () = assert!(core::mem::size_of::<PvGuestConfig>() == 80);
const _: () = assert!(core::mem::size_of::<PvSystemConfig>() == PV_SYSTEM_CONFIG_SIZE as usize);

/// A name as the ABI's 24-byte name fields hold it: the bytes of `text`,
/// NUL-padded. For `const` descriptions; a name longer than 24 bytes fails to
/// compile (or panics, outside `const`).
pub const fn pv_name(text: &str) -> [u8; 24] {
    let bytes = text.as_bytes();
    assert!(bytes.len() <= 24, "a name has at most 24 bytes");
    let mut name = [0u8; 24];
    let mut index = 0;
    while index < bytes.len() {
        name[index] = bytes[index];
        index += 1;
    }
    name
}

/// Writes `value` little-endian at `offset` of `bytes`; returns the next offset.
const fn put_word(bytes: &mut [u8; PV_SYSTEM_CONFIG_SIZE as usize], offset: usize, value: u32) -> usize {
    let le = value.to_le_bytes();
    let mut index = 0;
    while index < 4 {
        bytes[offset + index] = le[index];
        index += 1;
    }
    offset + 4
}

/// Copies `name` to `offset` of `bytes`; returns the next offset.
const fn put_name(bytes: &mut [u8; PV_SYSTEM_CONFIG_SIZE as usize], offset: usize, name: &[u8; 24]) -> usize {
    let mut index = 0;
    while index < 24 {
        bytes[offset + index] = name[index];
        index += 1;
    }
    offset + 24
}

fn get_word(bytes: &[u8; PV_SYSTEM_CONFIG_SIZE as usize], offset: &mut usize) -> u32 {
    let word = u32::from_le_bytes([bytes[*offset], bytes[*offset + 1], bytes[*offset + 2], bytes[*offset + 3]]);
    *offset += 4;
    word
}

fn get_name(bytes: &[u8; PV_SYSTEM_CONFIG_SIZE as usize], offset: &mut usize) -> [u8; 24] {
    let mut name = [0u8; 24];
    name.copy_from_slice(&bytes[*offset..*offset + 24]);
    *offset += 24;
    name
}

impl PvGuestConfig {
    /// A guest named `name`, started from boot module `module`, with
    /// `priority` and `memory_kib`; on a fault it is stopped (`PV_ON_FAULT_STOP`),
    /// its tick rate is left to the application (0).
    pub const fn new(name: &str, module: &str, priority: u32, memory_kib: u32) -> Self {
        Self {
            name: pv_name(name),
            module: pv_name(module),
            priority,
            memory_kib,
            on_fault: PV_ON_FAULT_STOP,
            restart_limit: 0,
            tick_hz: 0,
            interrupts: [0; 3],
        }
    }

    /// The same guest with fault policy `on_fault` (`PV_ON_FAULT_*`) and `restart_limit`.
    pub const fn on_fault(mut self, on_fault: u32, restart_limit: u32) -> Self {
        self.on_fault = on_fault;
        self.restart_limit = restart_limit;
        self
    }
}

impl PvSystemConfig {
    /// A description named `name` of `guests` (at most `PV_MAX_GUESTS`; more
    /// fail to compile in `const`), console input to guest `console_input`
    /// (an index into `guests`, or `PV_NO_GUEST`).
    pub const fn new(name: &str, guests: &[PvGuestConfig], console_input: u32) -> Self {
        assert!(guests.len() <= PV_MAX_GUESTS as usize, "at most PV_MAX_GUESTS guests");
        let mut all = [PvGuestConfig {
            name: [0; 24],
            module: [0; 24],
            priority: 0,
            memory_kib: 0,
            on_fault: 0,
            restart_limit: 0,
            tick_hz: 0,
            interrupts: [0; 3],
        }; PV_MAX_GUESTS as usize];
        let mut index = 0;
        while index < guests.len() {
            all[index] = guests[index];
            index += 1;
        }
        Self {
            magic: PV_SYSTEM_MAGIC,
            version: PV_SYSTEM_VERSION,
            guest_count: guests.len() as u32,
            console_input,
            name: pv_name(name),
            guests: all,
        }
    }

    /// The description as the `system` boot module holds it: the `repr(C)`
    /// layout, little-endian (what the ARM root server reads).
    pub const fn to_bytes(&self) -> [u8; PV_SYSTEM_CONFIG_SIZE as usize] {
        let mut bytes = [0u8; PV_SYSTEM_CONFIG_SIZE as usize];
        let mut offset = put_word(&mut bytes, 0, self.magic);
        offset = put_word(&mut bytes, offset, self.version);
        offset = put_word(&mut bytes, offset, self.guest_count);
        offset = put_word(&mut bytes, offset, self.console_input);
        offset = put_name(&mut bytes, offset, &self.name);
        let mut index = 0;
        while index < PV_MAX_GUESTS as usize {
            let guest = &self.guests[index];
            offset = put_name(&mut bytes, offset, &guest.name);
            offset = put_name(&mut bytes, offset, &guest.module);
            offset = put_word(&mut bytes, offset, guest.priority);
            offset = put_word(&mut bytes, offset, guest.memory_kib);
            offset = put_word(&mut bytes, offset, guest.on_fault);
            offset = put_word(&mut bytes, offset, guest.restart_limit);
            offset = put_word(&mut bytes, offset, guest.tick_hz);
            let mut word = 0;
            while word < 3 {
                offset = put_word(&mut bytes, offset, guest.interrupts[word]);
                word += 1;
            }
            index += 1;
        }
        bytes
    }

    /// Reads a description from the bytes of a `system` module (any alignment);
    /// checks nothing (the root server validates what it reads).
    pub fn from_bytes(bytes: &[u8; PV_SYSTEM_CONFIG_SIZE as usize]) -> Self {
        let mut offset = 0;
        let magic = get_word(bytes, &mut offset);
        let version = get_word(bytes, &mut offset);
        let guest_count = get_word(bytes, &mut offset);
        let console_input = get_word(bytes, &mut offset);
        let name = get_name(bytes, &mut offset);
        let mut guests = [PvGuestConfig::default(); PV_MAX_GUESTS as usize];
        for guest in guests.iter_mut() {
            guest.name = get_name(bytes, &mut offset);
            guest.module = get_name(bytes, &mut offset);
            guest.priority = get_word(bytes, &mut offset);
            guest.memory_kib = get_word(bytes, &mut offset);
            guest.on_fault = get_word(bytes, &mut offset);
            guest.restart_limit = get_word(bytes, &mut offset);
            guest.tick_hz = get_word(bytes, &mut offset);
            for word in guest.interrupts.iter_mut() {
                *word = get_word(bytes, &mut offset);
            }
        }
        Self { magic, version, guest_count, console_input, name, guests }
    }
}

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

#[cfg(test)]
mod tests {
    use super::*;
    use core::mem::offset_of;

    const SYSTEM: PvSystemConfig = PvSystemConfig::new(
        "two",
        &[
            PvGuestConfig::new("ticks", "ticks", 40, 8192),
            PvGuestConfig::new("crash", "crash_module", 60, 4096).on_fault(PV_ON_FAULT_RESTART, 3),
        ],
        1,
    );

    #[test]
    fn system_bytes_follow_the_repr_c_layout() {
        let bytes = SYSTEM.to_bytes();
        let word = |offset: usize| u32::from_le_bytes(bytes[offset..offset + 4].try_into().unwrap());
        assert_eq!(word(offset_of!(PvSystemConfig, magic)), PV_SYSTEM_MAGIC);
        assert_eq!(word(offset_of!(PvSystemConfig, version)), PV_SYSTEM_VERSION);
        assert_eq!(word(offset_of!(PvSystemConfig, guest_count)), 2);
        assert_eq!(word(offset_of!(PvSystemConfig, console_input)), 1);
        assert_eq!(&bytes[offset_of!(PvSystemConfig, name)..][..4], b"two\0");
        let second = offset_of!(PvSystemConfig, guests) + core::mem::size_of::<PvGuestConfig>();
        assert_eq!(&bytes[second + offset_of!(PvGuestConfig, name)..][..6], b"crash\0");
        assert_eq!(&bytes[second + offset_of!(PvGuestConfig, module)..][..13], b"crash_module\0");
        assert_eq!(word(second + offset_of!(PvGuestConfig, priority)), 60);
        assert_eq!(word(second + offset_of!(PvGuestConfig, memory_kib)), 4096);
        assert_eq!(word(second + offset_of!(PvGuestConfig, on_fault)), PV_ON_FAULT_RESTART);
        assert_eq!(word(second + offset_of!(PvGuestConfig, restart_limit)), 3);
        assert!(bytes[second + core::mem::size_of::<PvGuestConfig>()..].iter().all(|&b| b == 0));
    }

    #[test]
    fn system_bytes_read_back() {
        assert_eq!(PvSystemConfig::from_bytes(&SYSTEM.to_bytes()), SYSTEM);
        let mut odd = SYSTEM;
        odd.guests[5].interrupts = [1, 2, 3];
        odd.guests[5].tick_hz = 0xDEAD_BEEF;
        assert_eq!(PvSystemConfig::from_bytes(&odd.to_bytes()), odd);
    }

    #[test]
    fn names_are_nul_padded() {
        assert_eq!(&pv_name("abc")[..4], b"abc\0");
        assert_eq!(pv_name("123456789012345678901234"), *b"123456789012345678901234");
    }
}
