// SPDX-License-Identifier: MIT OR Apache-2.0
//! The system calls, one definition each: number, registers in and out, who may
//! make the call, the error codes it returns and the C functions that make it.
//!
//! Everything else is derived from this table or checked against it:
//! - the kernel's decoder (`hypervisor/src/kernel/syscall.rs`) refuses the
//!   root-only calls of [`PV_SYS_ROOT_ONLY`] centrally, and a host test walks the
//!   table through the kernel model: every number is handled, every root-only
//!   call refuses a non-root caller with `PV_ERR_NO_PRIVILEGE`, and the kernel
//!   returns no error code that the table does not list;
//! - `paravirt-api/tests/hypercalls.rs` checks that every C function below is
//!   declared in `include/paravirt.h` with exactly this prototype, that its
//!   user-side stub in `guest.rs` traps with this call's number, that the
//!   `PV_SYS_*`/`PV_ERR_*` constants of `lib.rs` are the ones named here, and
//!   regenerates the call tables of `doc/hypercalls.md` from this table
//!   (`UCVISOR_BLESS=1` rewrites them).
//!
//! Numbers and error codes themselves stay `PV_*` constants in `lib.rs`, which
//! cbindgen turns into `#define`s; this module only refers to them. It is a
//! `const` table: nothing of it reaches a binary unless code reads it at run
//! time (the kernel reads only the compile-time [`PV_SYS_ROOT_ONLY`] mask).

use crate::*;

/// Who may make a system call.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Caller {
    /// Any thread; the call acts only on the caller or on what the caller owns.
    Anyone,
    /// Any thread on a thread of its own address space; threads of the root
    /// task's space on any thread. Another space's thread is
    /// `PV_ERR_INVALID_THREAD`, exactly as a thread that does not exist.
    OwnSpaceOrRoot,
    /// Only threads of the root task's address space; every other caller gets
    /// `PV_ERR_NO_PRIVILEGE` and nothing happens.
    Root,
    /// Only threads of a space granted the timer (`PV_SPACE_TIMER_ACCESS`, the
    /// driver domain's v_timer); every other caller, the root task's threads
    /// included unless their space has the flag, gets `PV_ERR_NO_PRIVILEGE`
    /// and nothing happens.
    TimerOwner,
}

impl Caller {
    /// How `doc/hypercalls.md` says it.
    pub const fn describe(self) -> &'static str {
        match self {
            Caller::Anyone => "anyone",
            Caller::OwnSpaceOrRoot => "own space (others' threads: as if none); root for any thread",
            Caller::Root => "root only",
            Caller::TimerOwner => "a space granted the timer (`PV_SPACE_TIMER_ACCESS`) only",
        }
    }
}

/// One register of a call's arguments or results.
#[derive(Clone, Copy, Debug)]
pub struct Register {
    /// `r0`..`r11` (or a range such as `r4..r11`).
    pub register: &'static str,
    /// Name of the value (as the C functions call it, where they take it).
    pub name: &'static str,
    /// What it holds.
    pub meaning: &'static str,
}

const fn reg(register: &'static str, name: &'static str, meaning: &'static str) -> Register {
    Register { register, name, meaning }
}

/// The result code every call returns in `r0` (ContextResume only on failure).
const RESULT: Register = reg("r0", "result", "`PV_OK` or a `PV_ERR_*` code");

/// A C function of `include/paravirt.h` that makes the call.
#[derive(Clone, Copy, Debug)]
pub struct CFunction {
    /// The prototype as `paravirt.h` declares it (struct types without the
    /// `struct` keyword, one space between tokens, no trailing semicolon).
    pub prototype: &'static str,
    /// What it does beyond passing its arguments through, if anything.
    pub note: &'static str,
}

const fn c(prototype: &'static str, note: &'static str) -> CFunction {
    CFunction { prototype, note }
}

impl CFunction {
    /// The function's name.
    pub fn name(&self) -> &'static str {
        let before_parenthesis = self.prototype.split('(').next().unwrap_or("");
        before_parenthesis.rsplit([' ', '*']).next().unwrap_or("")
    }
}

/// One system call.
#[derive(Clone, Copy, Debug)]
pub struct Hypercall {
    /// Its number, passed in `r12`.
    pub number: u32,
    /// Name of the `PV_SYS_*` constant holding the number.
    pub constant: &'static str,
    /// The L4-style name.
    pub name: &'static str,
    /// What it does, in one sentence.
    pub summary: &'static str,
    /// Argument registers (registers not listed are ignored).
    pub arguments: &'static [Register],
    /// Result registers (`r0` first; registers not listed may be clobbered).
    pub results: &'static [Register],
    /// Who may make it.
    pub caller: Caller,
    /// Every `PV_ERR_*` code it can return (IPC receive-phase errors also carry
    /// `PV_ERR_RECEIVE_PHASE`); `PV_OK` is not listed.
    pub errors: &'static [u32],
    /// The C functions of `paravirt.h` that make it.
    pub c_functions: &'static [CFunction],
}

/// Every system call, in number order: `HYPERCALLS[i].number == i + 1`.
pub const HYPERCALLS: &[Hypercall] = &[
    Hypercall {
        number: PV_SYS_IPC,
        constant: "PV_SYS_IPC",
        name: "Ipc",
        summary: "Send a message and/or receive one: call, send, receive, reply-and-wait.",
        arguments: &[
            reg(
                "r0",
                "to",
                "destination thread (of a space the caller's space was granted) or interrupt pseudo-thread; nil: no \
                 send phase",
            ),
            reg(
                "r1",
                "from_specifier",
                "receive from this thread (of a granted space), `PV_ANY_THREAD` or an interrupt pseudo-thread; nil: \
                 no receive phase",
            ),
            reg(
                "r2",
                "timeouts",
                "`pv_timeouts(send, receive)`: milliseconds, `PV_TIMEOUT_ZERO` or `PV_TIMEOUT_NEVER`",
            ),
            reg(
                "r3",
                "tag",
                "message tag `pv_tag(label, words)`, at most `PV_MAX_MESSAGE_WORDS` words, label below \
                 `PV_LABEL_KERNEL_BASE`",
            ),
            reg("r4..r11", "mr[0..7]", "message words MR0..MR7; MR8.. are in the sender's UTCB `mr[8..]`"),
        ],
        results: &[
            RESULT,
            reg("r1", "sender", "sender of the received message"),
            reg("r2", "sender_space", "the sender's space (its domain), set by the kernel; 0 for an interrupt"),
            reg("r3", "tag", "received tag"),
            reg(
                "r4..r11",
                "mr[0..7]",
                "received MR0..MR7 (zero beyond the message); MR8.. land in the receiver's UTCB `mr[8..]`",
            ),
        ],
        caller: Caller::Anyone,
        errors: &[
            PV_ERR_INVALID_THREAD,
            PV_ERR_INVALID_ARGUMENT,
            PV_ERR_TOO_LONG,
            PV_ERR_TIMEOUT,
            PV_ERR_ABORTED,
            PV_ERR_PARTNER_DELETED,
        ],
        c_functions: &[
            c(
                "uint32_t pv_ipc(PvThreadId to, PvThreadId from_specifier, uint32_t timeouts, PvMessage *message, PvThreadId *sender)",
                "sends `*message` and overwrites it with the received one",
            ),
            c(
                "uint32_t pv_ipc_utcb(PvThreadId to, PvThreadId from_specifier, uint32_t timeouts, uint32_t *tag, PvThreadId *sender)",
                "the message words are the caller's UTCB `mr[]`, sent from and received into it (no copy)",
            ),
            c(
                "uint32_t pv_call(PvThreadId to, PvMessage *message)",
                "send to `to`, then receive from `to`; no timeouts",
            ),
            c("uint32_t pv_send(PvThreadId to, PvMessage *message, uint32_t timeout)", "send only"),
            c(
                "uint32_t pv_receive(PvThreadId from, PvMessage *message, uint32_t timeout, PvThreadId *sender)",
                "receive only",
            ),
            c(
                "uint32_t pv_reply_wait(PvThreadId reply_to, PvMessage *message, PvThreadId *sender)",
                "send without waiting, then receive from anyone",
            ),
            c(
                "uint32_t pv_ipc_registers(PvThreadId to, PvThreadId from_specifier, uint32_t timeouts, PvRegisterMessage *message)",
                "tag and MR0..MR7 straight between `*message` and r3..r11, sender and its space into it (no 65-word \
                 structure); MR8.. in the caller's UTCB",
            ),
            c(
                "uint32_t pv_call_registers(PvThreadId to, PvRegisterMessage *message)",
                "`pv_call` with a register message",
            ),
            c(
                "uint32_t pv_reply_wait_registers(PvThreadId reply_to, PvRegisterMessage *message)",
                "`pv_reply_wait` with a register message",
            ),
        ],
    },
    Hypercall {
        number: PV_SYS_THREAD_SWITCH,
        constant: "PV_SYS_THREAD_SWITCH",
        name: "ThreadSwitch",
        summary: "Give up the processor: donate the rest of the timeslice to a ready thread of the caller's own \
                  space, or yield to the caller's peers.",
        arguments: &[reg(
            "r0",
            "to",
            "thread of the caller's own space to donate to; nil (or a thread that is not ready, or the caller): yield",
        )],
        results: &[RESULT],
        caller: Caller::Anyone,
        errors: &[PV_ERR_INVALID_THREAD],
        c_functions: &[c("uint32_t pv_thread_switch(PvThreadId to)", "")],
    },
    Hypercall {
        number: PV_SYS_EXCHANGE_REGISTERS,
        constant: "PV_SYS_EXCHANGE_REGISTERS",
        name: "ExchangeRegisters",
        summary: "Read and write a thread's sp, ip and flags; halt, resume it or abort its IPC.",
        arguments: &[
            reg("r0", "thread", "the thread"),
            reg("r1", "control", "`PV_EXREG_*` bits (0: read only)"),
            reg("r2", "sp", "new sp (with `PV_EXREG_SET_SP`)"),
            reg("r3", "ip", "new ip, bit 0 selects Thumb (with `PV_EXREG_SET_IP`)"),
            reg(
                "r4",
                "flags",
                "new CPSR flags: the `PV_USER_WRITABLE_FLAGS` bits are written (with `PV_EXREG_SET_FLAGS`)",
            ),
        ],
        results: &[
            RESULT,
            reg("r1", "sp", "old sp"),
            reg("r2", "ip", "old ip (bit 0 set in Thumb state)"),
            reg("r3", "flags", "old CPSR flags (`PV_USER_FLAGS_MASK` bits, T included)"),
            reg("r4", "state", "`PV_STATE_*` bits"),
        ],
        caller: Caller::OwnSpaceOrRoot,
        errors: &[PV_ERR_INVALID_THREAD, PV_ERR_INVALID_ARGUMENT],
        c_functions: &[
            c(
                "uint32_t pv_exchange_registers(PvThreadId thread, uint32_t control, uint32_t sp, uint32_t ip, uint32_t flags, PvRegisters *old)",
                "old values into `*old`",
            ),
            c("uint32_t pv_start_sp_ip(PvThreadId thread, uint32_t sp, uint32_t ip)", "control `PV_EXREG_START`"),
        ],
    },
    Hypercall {
        number: PV_SYS_THREAD_CONTROL,
        constant: "PV_SYS_THREAD_CONTROL",
        name: "ThreadControl",
        summary: "Create a halted thread in a space, or delete a thread.",
        arguments: &[
            reg("r0", "operation", "`PV_THREAD_CREATE` or `PV_THREAD_DELETE`"),
            reg("r1", "space / thread", "create: the space; delete: the thread"),
            reg(
                "r2",
                "priority",
                "create: 0..`PV_PRIORITY_MAX`, higher runs first, at most the space's maximum controlled priority",
            ),
            reg("r3", "exception_handler", "create: thread that receives its exception IPC, or nil"),
        ],
        results: &[RESULT, reg("r1", "thread", "create: the new thread's ID")],
        caller: Caller::Root,
        errors: &[
            PV_ERR_INVALID_THREAD,
            PV_ERR_INVALID_ARGUMENT,
            PV_ERR_NO_PRIVILEGE,
            PV_ERR_NO_RESOURCES,
            PV_ERR_INVALID_SPACE,
        ],
        c_functions: &[
            c(
                "uint32_t pv_thread_create(uint32_t space, uint32_t priority, PvThreadId exception_handler, PvThreadId *thread)",
                "",
            ),
            c("uint32_t pv_thread_delete(PvThreadId thread)", ""),
        ],
    },
    Hypercall {
        number: PV_SYS_SPACE_CONTROL,
        constant: "PV_SYS_SPACE_CONTROL",
        name: "SpaceControl",
        summary: "Create an empty address space, delete one that has no threads left, or set a space's authority.",
        arguments: &[
            reg("r0", "operation", "`PV_SPACE_CREATE`, `PV_SPACE_DELETE` or `PV_SPACE_CONFIGURE`"),
            reg("r1", "space", "delete, configure: the space"),
            reg("r2", "send_mask", "configure: spaces its threads may name (bit n: space n, `PV_MAX_SPACES` bits)"),
            reg("r3", "max_priority", "configure: its maximum controlled priority, 0..`PV_PRIORITY_MAX`"),
            reg("r4", "flags", "configure: `PV_SPACE_*` flags (`PV_SPACE_TIMER_ACCESS`)"),
        ],
        results: &[RESULT, reg("r1", "space", "create: the new space's ID")],
        caller: Caller::Root,
        errors: &[PV_ERR_INVALID_ARGUMENT, PV_ERR_NO_PRIVILEGE, PV_ERR_NO_RESOURCES, PV_ERR_INVALID_SPACE, PV_ERR_BUSY],
        c_functions: &[
            c("uint32_t pv_space_create(uint32_t *space)", ""),
            c("uint32_t pv_space_delete(uint32_t space)", ""),
            c(
                "uint32_t pv_space_configure(uint32_t space, uint32_t send_mask, uint32_t max_priority, uint32_t flags)",
                "",
            ),
        ],
    },
    Hypercall {
        number: PV_SYS_MAP,
        constant: "PV_SYS_MAP",
        name: "Map",
        summary: "Map physical RAM or device pages into a space, in 4 KiB pages (whole aligned sections as sections).",
        arguments: &[
            reg("r0", "space", "the space"),
            reg("r1", "virtual_address", "page aligned, in [`PV_USER_BASE`, `PV_BOOT_INFO_ADDRESS`)"),
            reg(
                "r2",
                "physical",
                "page aligned: free RAM, or device pages the platform lists (never a DMA-capable one)",
            ),
            reg("r3", "size", "bytes, a non-zero multiple of `PV_PAGE_SIZE`"),
            reg("r4", "rights", "`PV_MAP_READ`/`WRITE`/`EXECUTE` (at least one), plus `PV_MAP_DEVICE` for a device"),
        ],
        results: &[RESULT],
        caller: Caller::Root,
        errors: &[
            PV_ERR_INVALID_ARGUMENT,
            PV_ERR_BAD_ADDRESS,
            PV_ERR_NO_PRIVILEGE,
            PV_ERR_INVALID_SPACE,
            PV_ERR_ALREADY_MAPPED,
            PV_ERR_NO_RESOURCES,
        ],
        c_functions: &[c(
            "uint32_t pv_map(uint32_t space, uint32_t virtual_address, uint32_t physical, uint32_t size, uint32_t rights)",
            "",
        )],
    },
    Hypercall {
        number: PV_SYS_UNMAP,
        constant: "PV_SYS_UNMAP",
        name: "Unmap",
        summary: "Unmap pages from a space (a section mapping only whole).",
        arguments: &[
            reg("r0", "space", "the space"),
            reg("r1", "virtual_address", "page aligned, as for Map"),
            reg("r2", "size", "bytes, a non-zero multiple of `PV_PAGE_SIZE`"),
        ],
        results: &[RESULT],
        caller: Caller::Root,
        errors: &[
            PV_ERR_INVALID_ARGUMENT,
            PV_ERR_BAD_ADDRESS,
            PV_ERR_NO_PRIVILEGE,
            PV_ERR_INVALID_SPACE,
            PV_ERR_NOT_MAPPED,
        ],
        c_functions: &[c("uint32_t pv_unmap(uint32_t space, uint32_t virtual_address, uint32_t size)", "")],
    },
    Hypercall {
        number: PV_SYS_INTERRUPT_CONTROL,
        constant: "PV_SYS_INTERRUPT_CONTROL",
        name: "InterruptControl",
        summary: "Associate an interrupt with the thread that receives it as IPC, or detach it.",
        arguments: &[
            reg("r0", "irq", "interrupt number, below 128, not one the kernel keeps"),
            reg("r1", "handler", "the handler thread; nil detaches"),
        ],
        results: &[RESULT],
        caller: Caller::Root,
        errors: &[PV_ERR_INVALID_THREAD, PV_ERR_INVALID_ARGUMENT, PV_ERR_NO_PRIVILEGE, PV_ERR_BUSY],
        c_functions: &[c("uint32_t pv_interrupt_control(uint32_t irq, PvThreadId handler)", "")],
    },
    Hypercall {
        number: PV_SYS_SYSTEM_CLOCK,
        constant: "PV_SYS_SYSTEM_CLOCK",
        name: "SystemClock",
        summary: "Read the microseconds since boot.",
        arguments: &[],
        results: &[RESULT, reg("r1", "low", "low word of the microseconds"), reg("r2", "high", "high word")],
        caller: Caller::Anyone,
        errors: &[],
        c_functions: &[c("uint64_t pv_system_clock(void)", "returns the microseconds")],
    },
    Hypercall {
        number: PV_SYS_DEBUG_WRITE,
        constant: "PV_SYS_DEBUG_WRITE",
        name: "DebugWrite",
        summary: "Write bytes of the caller's memory to the kernel console.",
        arguments: &[
            reg("r0", "text", "address of the bytes, readable RAM of the caller"),
            reg("r1", "length", "at most `PV_DEBUG_WRITE_MAX`"),
        ],
        results: &[RESULT],
        caller: Caller::Anyone,
        errors: &[PV_ERR_BAD_ADDRESS, PV_ERR_TOO_LONG],
        c_functions: &[c("uint32_t pv_debug_write(const char *text, uint32_t length)", "")],
    },
    Hypercall {
        number: PV_SYS_SHUTDOWN,
        constant: "PV_SYS_SHUTDOWN",
        name: "Shutdown",
        summary: "Stop the machine with an exit code.",
        arguments: &[reg("r0", "code", "exit code (QEMU's exit status)")],
        results: &[RESULT],
        caller: Caller::Root,
        errors: &[PV_ERR_NO_PRIVILEGE],
        c_functions: &[c("uint32_t pv_shutdown(uint32_t code)", "")],
    },
    Hypercall {
        number: PV_SYS_THREAD_SELF,
        constant: "PV_SYS_THREAD_SELF",
        name: "ThreadSelf",
        summary: "The caller's own thread ID, space ID and UTCB address.",
        arguments: &[],
        results: &[
            RESULT,
            reg("r1", "thread", "own thread ID"),
            reg("r2", "space", "own space ID"),
            reg("r3", "utcb", "own UTCB address"),
        ],
        caller: Caller::Anyone,
        errors: &[],
        c_functions: &[c("PvThreadId pv_thread_self(void)", "returns the thread ID")],
    },
    Hypercall {
        number: PV_SYS_SET_PRIORITY,
        constant: "PV_SYS_SET_PRIORITY",
        name: "SetPriority",
        summary: "Change a thread's priority.",
        arguments: &[
            reg("r0", "thread", "the thread"),
            reg("r1", "priority", "0..`PV_PRIORITY_MAX`, at most its space's maximum controlled priority"),
        ],
        results: &[RESULT],
        caller: Caller::Root,
        errors: &[PV_ERR_INVALID_THREAD, PV_ERR_INVALID_ARGUMENT, PV_ERR_NO_PRIVILEGE],
        c_functions: &[c("uint32_t pv_set_priority(PvThreadId thread, uint32_t priority)", "")],
    },
    Hypercall {
        number: PV_SYS_CONTEXT_RESUME,
        constant: "PV_SYS_CONTEXT_RESUME",
        name: "ContextResume",
        summary: "Continue the caller from a `PvContextFrame` in its own memory: every register and flag from it.",
        arguments: &[reg("r0", "frame", "address of the frame: word aligned, readable RAM of the caller")],
        results: &[reg(
            "r0",
            "result",
            "only on failure: `PV_ERR_BAD_ADDRESS`; on success every register is the frame's",
        )],
        caller: Caller::Anyone,
        errors: &[PV_ERR_BAD_ADDRESS],
        c_functions: &[c("uint32_t pv_context_resume(const PvContextFrame *frame)", "returns only on failure")],
    },
    Hypercall {
        number: PV_SYS_NOTIFY,
        constant: "PV_SYS_NOTIFY",
        name: "Notify",
        summary: "OR bits into a thread's notification word without ever blocking; a thread waiting in an open \
                  receive collects them at once as a `PV_LABEL_NOTIFICATION` message, any other later. Optionally \
                  then, in the same call, acknowledge an interrupt and receive (an event loop in one kernel entry).",
        arguments: &[
            reg(
                "r0",
                "to",
                "thread to notify, of a space the caller's space was granted (as for an IPC send; others: as if \
                 none)",
            ),
            reg("r1", "bits", "OR-ed into its notification word (0: nothing changes)"),
            reg(
                "r2",
                "from_specifier",
                "then receive as `PV_SYS_IPC`'s receive phase with timeout never (thread of a granted space, \
                 `PV_ANY_THREAD` or the caller's interrupt); nil: return at once",
            ),
            reg(
                "r3",
                "acknowledge",
                "with a receive phase only (else ignored): first acknowledge this interrupt pseudo-thread (the \
                 caller must be its handler, as for an acknowledgement by IPC); nil: none",
            ),
        ],
        results: &[
            RESULT,
            reg("r1", "sender", "with a receive phase: sender of the received message"),
            reg(
                "r2",
                "sender_space",
                "with a receive phase: the sender's space (0 for an interrupt or a notification)",
            ),
            reg("r3", "tag", "with a receive phase: received tag"),
            reg("r4..r11", "mr[0..7]", "with a receive phase: received MR0..MR7 (zero beyond the message)"),
        ],
        caller: Caller::Anyone,
        errors: &[PV_ERR_INVALID_THREAD, PV_ERR_INVALID_ARGUMENT, PV_ERR_ABORTED, PV_ERR_PARTNER_DELETED],
        c_functions: &[c("uint32_t pv_notify(PvThreadId to, uint32_t bits)", "returns at once (r2 nil)")],
    },
    Hypercall {
        number: PV_SYS_KERNEL_INFO,
        constant: "PV_SYS_KERNEL_INFO",
        name: "KernelInfo",
        summary: "Read the kernel's resource counters: threads, spaces, second-level page tables and interrupt lines \
                  in use, each with its capacity.",
        arguments: &[],
        results: &[
            RESULT,
            reg("r1", "threads", "threads in use (low 16 bits) and the most the kernel holds (high 16 bits)"),
            reg("r2", "spaces", "address spaces in use and the most (the kernel's own not counted)"),
            reg("r3", "l2_tables", "second-level page tables in use (the kernel's own included) and the pool's size"),
            reg("r4", "interrupts", "interrupt lines associated with a handler and the lines the kernel manages"),
        ],
        caller: Caller::Root,
        errors: &[PV_ERR_NO_PRIVILEGE],
        c_functions: &[c("uint32_t pv_kernel_info(PvKernelInfo *info)", "the counters into `*info`")],
    },
    Hypercall {
        number: PV_SYS_VIRQ_BIND,
        constant: "PV_SYS_VIRQ_BIND",
        name: "VirqBind",
        summary: "Bind a thread to its guest's virtual-interrupt words and entry: notifications to it set pending \
                  bits there, complete its open receive, or (ready in user mode, mask 0) redirect it to the entry \
                  with flags and pc pushed below its sp and the mask set.",
        arguments: &[
            reg("r0", "thread", "the thread to bind, of the caller's own space"),
            reg(
                "r1",
                "words",
                "address of the mask word, the pending word after it: 8-byte aligned, both writable RAM of the \
                 thread's space; with `PV_VIRQ_WORDS_TICK_COUNT` ORed in, a third word after them, the tick count \
                 the kernel writes as it delivers the thread's ticks (the block then 16-byte aligned); 0 unbinds",
            ),
            reg("r2", "entry", "the virtual IRQ entry, ARM code (word aligned)"),
        ],
        results: &[RESULT],
        caller: Caller::OwnSpaceOrRoot,
        errors: &[PV_ERR_INVALID_THREAD, PV_ERR_INVALID_ARGUMENT, PV_ERR_BAD_ADDRESS],
        c_functions: &[c(
            "uint32_t pv_virq_bind(PvThreadId thread, uint32_t words, uint32_t entry)",
            "returns at once; the kernel checks the words at every notification again",
        )],
    },
    Hypercall {
        number: PV_SYS_TICK_SCHEDULE,
        constant: "PV_SYS_TICK_SCHEDULE",
        name: "TickSchedule",
        summary: "Give the kernel a bound thread's periodic tick (start counter value and rate, the schedule of \
                  `TickSchedule`): at each deadline the kernel sets `PV_NOTIFY_TIMER_TICK` for it as a notification \
                  does, without the timer server; stop it, or read the ticks generated.",
        arguments: &[
            reg("r0", "op", "`PV_TICK_START`, `PV_TICK_STOP` or `PV_TICK_COUNT`"),
            reg(
                "r1",
                "thread",
                "the thread ticked, of a space the caller's space was granted (others: as if none); for \
                 `PV_TICK_START` bound to virtual-interrupt words",
            ),
            reg("r2", "rate", "start: ticks per second, 1 up to the highest rate the counter allows"),
            reg("r3", "start_low", "start: counter value (CNTVCT) of tick 0, low word"),
            reg("r4", "start_high", "start: its high word"),
        ],
        results: &[RESULT, reg("r1", "ticks", "ticks the kernel generated for the thread so far (stop: in all)")],
        caller: Caller::TimerOwner,
        errors: &[PV_ERR_NO_PRIVILEGE, PV_ERR_INVALID_ARGUMENT, PV_ERR_INVALID_THREAD, PV_ERR_NO_RESOURCES],
        c_functions: &[
            c(
                "uint32_t pv_tick_start(PvThreadId thread, uint32_t rate, uint64_t start)",
                "replaces the thread's schedule if it has one (its count is kept)",
            ),
            c(
                "uint32_t pv_tick_stop(PvThreadId thread, uint32_t *ticks)",
                "the final count into `*ticks` (NULL allowed); no schedule: `PV_OK`, 0",
            ),
            c("uint32_t pv_tick_count(PvThreadId thread, uint32_t *ticks)", "the count into `*ticks` (NULL allowed)"),
        ],
    },
];

/// Every `PV_ERR_*` code with its name, in value order (for tables and reports).
pub const ERROR_NAMES: &[(u32, &str)] = &[
    (PV_ERR_INVALID_SYSCALL, "PV_ERR_INVALID_SYSCALL"),
    (PV_ERR_INVALID_THREAD, "PV_ERR_INVALID_THREAD"),
    (PV_ERR_INVALID_ARGUMENT, "PV_ERR_INVALID_ARGUMENT"),
    (PV_ERR_BAD_ADDRESS, "PV_ERR_BAD_ADDRESS"),
    (PV_ERR_NO_PRIVILEGE, "PV_ERR_NO_PRIVILEGE"),
    (PV_ERR_TIMEOUT, "PV_ERR_TIMEOUT"),
    (PV_ERR_ABORTED, "PV_ERR_ABORTED"),
    (PV_ERR_PARTNER_DELETED, "PV_ERR_PARTNER_DELETED"),
    (PV_ERR_NO_RESOURCES, "PV_ERR_NO_RESOURCES"),
    (PV_ERR_INVALID_SPACE, "PV_ERR_INVALID_SPACE"),
    (PV_ERR_ALREADY_MAPPED, "PV_ERR_ALREADY_MAPPED"),
    (PV_ERR_NOT_MAPPED, "PV_ERR_NOT_MAPPED"),
    (PV_ERR_TOO_LONG, "PV_ERR_TOO_LONG"),
    (PV_ERR_BUSY, "PV_ERR_BUSY"),
    (PV_ERR_RECEIVE_PHASE, "PV_ERR_RECEIVE_PHASE"),
];

/// The call with `number`, if there is one.
pub const fn hypercall(number: u32) -> Option<&'static Hypercall> {
    let mut index = 0;
    while index < HYPERCALLS.len() {
        if HYPERCALLS[index].number == number {
            return Some(&HYPERCALLS[index]);
        }
        index += 1;
    }
    None
}

/// Name of the `PV_ERR_*` code `code` (without `PV_ERR_RECEIVE_PHASE`), if known.
pub const fn error_name(code: u32) -> Option<&'static str> {
    let mut index = 0;
    while index < ERROR_NAMES.len() {
        if ERROR_NAMES[index].0 == code {
            return Some(ERROR_NAMES[index].1);
        }
        index += 1;
    }
    None
}

/// Bit `n` set: call `n` is root only ([`Caller::Root`]). Computed from
/// [`HYPERCALLS`] at compile time; the kernel's decoder refuses these calls
/// from any other caller with `PV_ERR_NO_PRIVILEGE` before decoding arguments.
pub const PV_SYS_ROOT_ONLY: u32 = {
    let mut mask = 0u32;
    let mut index = 0;
    while index < HYPERCALLS.len() {
        if matches!(HYPERCALLS[index].caller, Caller::Root) {
            mask |= 1 << HYPERCALLS[index].number;
        }
        index += 1;
    }
    mask
};

/// True if call `number` is root only.
pub const fn is_root_only(number: u32) -> bool {
    number < 32 && PV_SYS_ROOT_ONLY & (1 << number) != 0
}

/// Bit `n` set: call `n` is for a space granted the timer only
/// ([`Caller::TimerOwner`]). The kernel's handler of such a call refuses any
/// other caller with `PV_ERR_NO_PRIVILEGE` before it decodes arguments.
pub const PV_SYS_TIMER_ONLY: u32 = {
    let mut mask = 0u32;
    let mut index = 0;
    while index < HYPERCALLS.len() {
        if matches!(HYPERCALLS[index].caller, Caller::TimerOwner) {
            mask |= 1 << HYPERCALLS[index].number;
        }
        index += 1;
    }
    mask
};

// The table is complete and in order: call `i + 1` at index `i`, up to `PV_SYS_COUNT`.
const _: () = {
    assert!(HYPERCALLS.len() == PV_SYS_COUNT as usize - 1);
    assert!(PV_SYS_COUNT <= 32);
    let mut index = 0;
    while index < HYPERCALLS.len() {
        assert!(HYPERCALLS[index].number == index as u32 + 1);
        index += 1;
    }
};
