// SPDX-License-Identifier: MIT OR Apache-2.0
//! Guest-side system calls, callable from C (`include/paravirt.h`) and Rust.
//!
//! Every function returns a `PV_OK`/`PV_ERR_*` code; results go through out
//! pointers, which may be NULL when the caller does not want them. The kernel
//! checks every argument, so a bad one costs an error code, never a crash; the
//! only pointers dereferenced here are the caller's own out/in parameters.

use crate::*;

#[path = "arch/armv7a.rs"]
mod user_trap;

pub use user_trap::{counter_frequency, set_virtual_timer, set_virtual_timer_deadline, virtual_counter};

fn utcb() -> *mut PvUtcb {
    user_trap::utcb_address() as *mut PvUtcb
}

/// Blocks the calling thread for good: a receive from itself (a thread never
/// sends to itself) without timeout. A receive from the nil thread would return
/// at once. Rust-only (not part of the C ABI).
pub fn block_forever() -> ! {
    loop {
        // SAFETY: NULL message and sender pointers are allowed.
        unsafe { pv_receive(pv_thread_self(), core::ptr::null_mut(), PV_TIMEOUT_NEVER, core::ptr::null_mut()) };
    }
}

/// Full IPC: send to `to` (unless nil) then receive from `from_specifier` (unless
/// nil), with `timeouts` from `pv_timeouts`. `message` is sent and overwritten by
/// the received message; `sender` receives the sender's ID.
///
/// # Safety
/// `message` must be NULL or valid for reads and writes of a `PvMessage`;
/// `sender` must be NULL or valid for a write.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pv_ipc(
    to: PvThreadId,
    from_specifier: PvThreadId,
    timeouts: u32,
    message: *mut PvMessage,
    sender: *mut PvThreadId,
) -> u32 {
    // SAFETY: the caller guarantees `message` is NULL or valid.
    let (result, from) = ipc(to, from_specifier, timeouts, unsafe { message.as_mut() });
    // SAFETY: the caller guarantees `sender` is NULL or valid.
    if let Some(sender) = unsafe { sender.as_mut() } {
        *sender = from;
    }
    result
}

/// The IPC of [`pv_ipc`]; returns the kernel's r0 and r1 (result, sender).
/// The tag and MR0..MR7 go straight between `message` and r3..r11 (no
/// register array to fill or zero); MR8.. through the UTCB.
fn ipc(
    to: PvThreadId,
    from_specifier: PvThreadId,
    timeouts: u32,
    message: Option<&mut PvMessage>,
) -> (u32, PvThreadId) {
    let Some(message) = message else {
        return user_trap::trap_message(to, from_specifier, timeouts, &mut [0; 9]);
    };
    let words = (message.tag & PV_TAG_WORDS_MASK).min(PV_MAX_MESSAGE_WORDS) as usize;
    if to != PV_NIL_THREAD && words > 8 {
        // SAFETY: TPIDRURO points at this thread's UTCB, mapped in its space.
        let utcb = unsafe { &mut *utcb() };
        utcb.mr[8..words].copy_from_slice(&message.mr[8..words]);
    }
    // SAFETY: `PvMessage` is `repr(C)`: the tag, then the words, all `u32`,
    // so its first nine words are the tag and MR0..MR7.
    let head = unsafe { &mut *core::ptr::from_mut(message).cast::<[u32; 9]>() };
    // The kernel leaves r3..r11 as they were unless a message arrives, so
    // writing them back changes nothing then.
    let (result, sender) = user_trap::trap_message(to, from_specifier, timeouts, head);
    let words = (message.tag & PV_TAG_WORDS_MASK).min(PV_MAX_MESSAGE_WORDS) as usize;
    if from_specifier != PV_NIL_THREAD && words > 8 {
        // SAFETY: as above.
        let utcb = unsafe { &*utcb() };
        message.mr[8..words].copy_from_slice(&utcb.mr[8..words]);
    }
    (result, sender)
}

/// A server's [`pv_reply_wait`] that also says who sent: replies to
/// `reply_to` (not waiting if it is not ready), waits for the next message
/// from anyone into `message` and returns (result, sender, the sender's space).
/// The space is the kernel's word (0 for an interrupt): a server binds state
/// to it, as no client can claim another's. Rust-only (not part of the C ABI).
pub fn reply_wait_with_space(reply_to: PvThreadId, message: &mut PvMessage) -> (u32, PvThreadId, u32) {
    let mut short = PvRegisterMessage { tag: message.tag, ..PvRegisterMessage::default() };
    short.mr.copy_from_slice(&message.mr[..8]);
    let words = (message.tag & PV_TAG_WORDS_MASK).min(PV_MAX_MESSAGE_WORDS) as usize;
    if reply_to != PV_NIL_THREAD && words > 8 {
        // SAFETY: TPIDRURO points at this thread's UTCB, mapped in its space.
        let utcb = unsafe { &mut *utcb() };
        utcb.mr[8..words].copy_from_slice(&message.mr[8..words]);
    }
    let result = reply_wait_registers(reply_to, &mut short);
    message.tag = short.tag;
    message.mr[..8].copy_from_slice(&short.mr);
    let words = (short.tag & PV_TAG_WORDS_MASK).min(PV_MAX_MESSAGE_WORDS) as usize;
    if words > 8 {
        // SAFETY: as above.
        let utcb = unsafe { &*utcb() };
        message.mr[8..words].copy_from_slice(&utcb.mr[8..words]);
    }
    (result, short.sender, short.sender_space)
}

/// [`pv_reply_wait_registers`] for Rust: replies with `message` to `reply_to`
/// (not waiting if it is not ready; nil: no reply) and waits for the next
/// message from anyone into `message`, whose `sender` and `sender_space` the
/// kernel fills in. Rust-only (not part of the C ABI).
pub fn reply_wait_registers(reply_to: PvThreadId, message: &mut PvRegisterMessage) -> u32 {
    let timeouts = pv_timeouts(PV_TIMEOUT_ZERO, PV_TIMEOUT_NEVER);
    user_trap::trap_register_message(reply_to, PV_ANY_THREAD, timeouts, message)
}

/// An event loop's step in one kernel entry (`PV_SYS_NOTIFY` with r2 and
/// r3): notifies `to` with `bits` as [`pv_notify`], acknowledges interrupt
/// pseudo-thread `acknowledge` (nil: none) and waits for the next message
/// from anyone into `message` (sender, its space, tag, MR0..MR7), as
/// [`reply_wait_registers`] would receive it. Nothing happens unless all
/// three are allowed; `message` is written only when the result is
/// `PV_OK`. Rust-only (not part of the C ABI; C makes
/// the call with `pv_raw_syscall`).
pub fn notify_wait_registers(
    to: PvThreadId,
    bits: u32,
    acknowledge: PvThreadId,
    message: &mut PvRegisterMessage,
) -> u32 {
    // Registers only: no array to build or zero.
    user_trap::trap_notify_wait(to, bits, acknowledge, message)
}

/// Register-only IPC: as [`pv_ipc`], but the tag and MR0..MR7 travel between
/// `*message` and registers r3..r11 directly, and the kernel's sender and its
/// space land in `message->sender`/`message->sender_space` after a receive.
/// For messages of up to 8 words nothing else is touched; MR8.. of a longer
/// message are sent from and received into the caller's UTCB
/// (`pv_utcb()->mr[8..]`), which the caller fills and reads itself.
///
/// # Safety
/// `message` must be NULL or valid for reads and writes of a `PvRegisterMessage`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pv_ipc_registers(
    to: PvThreadId,
    from_specifier: PvThreadId,
    timeouts: u32,
    message: *mut PvRegisterMessage,
) -> u32 {
    // SAFETY: the caller guarantees `message` is NULL or valid.
    match unsafe { message.as_mut() } {
        Some(message) => user_trap::trap_register_message(to, from_specifier, timeouts, message),
        None => user_trap::trap_register_message(to, from_specifier, timeouts, &mut PvRegisterMessage::default()),
    }
}

/// L4 Call with a register message (see [`pv_ipc_registers`]): send to `to`,
/// then receive its reply into `*message`; no timeouts.
///
/// # Safety
/// As [`pv_ipc_registers`].
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pv_call_registers(to: PvThreadId, message: *mut PvRegisterMessage) -> u32 {
    // SAFETY: forwarded caller guarantee.
    unsafe { pv_ipc_registers(to, to, pv_timeouts(PV_TIMEOUT_NEVER, PV_TIMEOUT_NEVER), message) }
}

/// ReplyWait with a register message (see [`pv_ipc_registers`]): reply with
/// `*message` to `reply_to` (not waiting if it is not ready; nil: no reply),
/// then wait for the next message from anyone into `*message`.
///
/// # Safety
/// As [`pv_ipc_registers`].
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pv_reply_wait_registers(reply_to: PvThreadId, message: *mut PvRegisterMessage) -> u32 {
    // SAFETY: forwarded caller guarantee.
    unsafe { pv_ipc_registers(reply_to, PV_ANY_THREAD, pv_timeouts(PV_TIMEOUT_ZERO, PV_TIMEOUT_NEVER), message) }
}

/// Full IPC on the caller's UTCB, without a `PvMessage`: the message words are
/// the UTCB's `mr[]` in the ABI's numbering (MR0 = first word): the words of
/// `*tag` are sent from `pv_utcb()->mr[0..]`, and a received message is left
/// in the same words, so an L4-style message needs no copy. `*tag` is the tag
/// to send (ignored without a send phase) and receives the received tag (with
/// a receive phase that worked); `sender` receives the sender's ID. Either
/// pointer may be NULL (no tag: an empty message).
///
/// # Safety
/// `tag` must be NULL or valid for reads and writes; `sender` must be NULL or
/// valid for a write.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pv_ipc_utcb(
    to: PvThreadId,
    from_specifier: PvThreadId,
    timeouts: u32,
    tag: *mut u32,
    sender: *mut PvThreadId,
) -> u32 {
    // SAFETY: the caller guarantees `tag` is NULL or valid.
    let send_tag = unsafe { tag.as_ref() }.copied().unwrap_or(0);
    let mut io = [to, from_specifier, timeouts, send_tag];
    user_trap::trap_utcb(&mut io);
    if io[0] == PV_OK && from_specifier != PV_NIL_THREAD {
        // SAFETY: as above.
        if let Some(tag) = unsafe { tag.as_mut() } {
            *tag = io[3];
        }
        // SAFETY: the caller guarantees `sender` is NULL or valid.
        if let Some(sender) = unsafe { sender.as_mut() } {
            *sender = io[1];
        }
    }
    io[0]
}

/// L4 Call: send `message` to `to` and wait for its reply, without timeouts.
///
/// # Safety
/// As [`pv_ipc`].
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pv_call(to: PvThreadId, message: *mut PvMessage) -> u32 {
    // SAFETY: forwarded caller guarantee.
    unsafe { pv_ipc(to, to, pv_timeouts(PV_TIMEOUT_NEVER, PV_TIMEOUT_NEVER), message, core::ptr::null_mut()) }
}

/// Send only, waiting at most `timeout` (milliseconds, ZERO or NEVER).
///
/// # Safety
/// As [`pv_ipc`].
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pv_send(to: PvThreadId, message: *mut PvMessage, timeout: u32) -> u32 {
    // SAFETY: forwarded caller guarantee.
    unsafe { pv_ipc(to, PV_NIL_THREAD, pv_timeouts(timeout, PV_TIMEOUT_ZERO), message, core::ptr::null_mut()) }
}

/// Receive only, from `from` (a thread or `PV_ANY_THREAD`), waiting at most `timeout`.
///
/// # Safety
/// As [`pv_ipc`].
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pv_receive(
    from: PvThreadId,
    message: *mut PvMessage,
    timeout: u32,
    sender: *mut PvThreadId,
) -> u32 {
    // SAFETY: forwarded caller guarantee.
    unsafe { pv_ipc(PV_NIL_THREAD, from, pv_timeouts(PV_TIMEOUT_ZERO, timeout), message, sender) }
}

/// Reply to `reply_to` (not waiting if it is not ready) and wait for the next
/// message from anyone.
///
/// # Safety
/// As [`pv_ipc`].
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pv_reply_wait(reply_to: PvThreadId, message: *mut PvMessage, sender: *mut PvThreadId) -> u32 {
    // SAFETY: forwarded caller guarantee.
    unsafe { pv_ipc(reply_to, PV_ANY_THREAD, pv_timeouts(PV_TIMEOUT_ZERO, PV_TIMEOUT_NEVER), message, sender) }
}

/// Yields the processor (to `to` if it is ready, else to the scheduler's choice).
#[unsafe(no_mangle)]
pub extern "C" fn pv_thread_switch(to: PvThreadId) -> u32 {
    user_trap::trap_short(PV_SYS_THREAD_SWITCH, to, 0, 0)
}

/// ExchangeRegisters on `thread`: applies `control` (`PV_EXREG_*`) with the new
/// `sp`, `ip`, `flags`, and reports the previous values in `old`.
///
/// # Safety
/// `old` must be NULL or valid for a write.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pv_exchange_registers(
    thread: PvThreadId,
    control: u32,
    sp: u32,
    ip: u32,
    flags: u32,
    old: *mut PvRegisters,
) -> u32 {
    let mut registers = [0u32; 12];
    registers[..5].copy_from_slice(&[thread, control, sp, ip, flags]);
    user_trap::trap(PV_SYS_EXCHANGE_REGISTERS, &mut registers);
    // SAFETY: the caller guarantees `old` is NULL or valid.
    if let Some(old) = unsafe { old.as_mut() } {
        *old = PvRegisters { sp: registers[1], ip: registers[2], flags: registers[3], state: registers[4] };
    }
    registers[0]
}

/// Start_SpIp: starts a created (halted) thread at `ip` with stack `sp`.
#[unsafe(no_mangle)]
pub extern "C" fn pv_start_sp_ip(thread: PvThreadId, sp: u32, ip: u32) -> u32 {
    // SAFETY: NULL is allowed for `old`.
    unsafe { pv_exchange_registers(thread, PV_EXREG_START, sp, ip, 0, core::ptr::null_mut()) }
}

/// Creates a halted thread in `space` (root only); its ID goes to `thread`.
///
/// # Safety
/// `thread` must be NULL or valid for a write.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pv_thread_create(
    space: u32,
    priority: u32,
    exception_handler: PvThreadId,
    thread: *mut PvThreadId,
) -> u32 {
    let mut registers = [0u32; 12];
    registers[..4].copy_from_slice(&[PV_THREAD_CREATE, space, priority, exception_handler]);
    user_trap::trap(PV_SYS_THREAD_CONTROL, &mut registers);
    // SAFETY: the caller guarantees `thread` is NULL or valid.
    if let Some(thread) = unsafe { thread.as_mut() } {
        *thread = registers[1];
    }
    registers[0]
}

/// Deletes a thread (root only); partners blocked on it get `PV_ERR_PARTNER_DELETED`.
#[unsafe(no_mangle)]
pub extern "C" fn pv_thread_delete(thread: PvThreadId) -> u32 {
    user_trap::trap_short(PV_SYS_THREAD_CONTROL, PV_THREAD_DELETE, thread, 0)
}

/// Creates an empty address space (root only); its ID goes to `space`.
///
/// # Safety
/// `space` must be NULL or valid for a write.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pv_space_create(space: *mut u32) -> u32 {
    let mut registers = [0u32; 12];
    registers[0] = PV_SPACE_CREATE;
    user_trap::trap(PV_SYS_SPACE_CONTROL, &mut registers);
    // SAFETY: the caller guarantees `space` is NULL or valid.
    if let Some(space) = unsafe { space.as_mut() } {
        *space = registers[1];
    }
    registers[0]
}

/// Deletes an address space that has no threads left (root only).
#[unsafe(no_mangle)]
pub extern "C" fn pv_space_delete(space: u32) -> u32 {
    user_trap::trap_short(PV_SYS_SPACE_CONTROL, PV_SPACE_DELETE, space, 0)
}

/// Sets `space`'s authority (root only): the spaces its threads may name
/// (`send_mask`, bit n: space n), its maximum controlled priority and its
/// `PV_SPACE_*` flags (see `PV_SPACE_CONFIGURE`).
#[unsafe(no_mangle)]
pub extern "C" fn pv_space_configure(space: u32, send_mask: u32, max_priority: u32, flags: u32) -> u32 {
    let mut registers = [0u32; 12];
    registers[..5].copy_from_slice(&[PV_SPACE_CONFIGURE, space, send_mask, max_priority, flags]);
    user_trap::trap(PV_SYS_SPACE_CONTROL, &mut registers);
    registers[0]
}

/// Maps `size` bytes of physical memory at `physical` to `virtual_address` in
/// `space` with `rights` (`PV_MAP_*`); all section aligned (root only).
#[unsafe(no_mangle)]
pub extern "C" fn pv_map(space: u32, virtual_address: u32, physical: u32, size: u32, rights: u32) -> u32 {
    let mut registers = [0u32; 12];
    registers[..5].copy_from_slice(&[space, virtual_address, physical, size, rights]);
    user_trap::trap(PV_SYS_MAP, &mut registers);
    registers[0]
}

/// Unmaps `size` bytes at `virtual_address` in `space` (root only).
#[unsafe(no_mangle)]
pub extern "C" fn pv_unmap(space: u32, virtual_address: u32, size: u32) -> u32 {
    user_trap::trap_short(PV_SYS_UNMAP, space, virtual_address, size)
}

/// Associates interrupt `irq` with `handler` (nil detaches it) (root only).
#[unsafe(no_mangle)]
pub extern "C" fn pv_interrupt_control(irq: u32, handler: PvThreadId) -> u32 {
    user_trap::trap_short(PV_SYS_INTERRUPT_CONTROL, irq, handler, 0)
}

/// Microseconds since boot.
#[unsafe(no_mangle)]
pub extern "C" fn pv_system_clock() -> u64 {
    let mut registers = [0u32; 12];
    user_trap::trap(PV_SYS_SYSTEM_CLOCK, &mut registers);
    (u64::from(registers[2]) << 32) | u64::from(registers[1])
}

/// Writes `length` bytes at `text` to the kernel console (at most `PV_DEBUG_WRITE_MAX`).
#[unsafe(no_mangle)]
pub extern "C" fn pv_debug_write(text: *const core::ffi::c_char, length: u32) -> u32 {
    user_trap::trap_short(PV_SYS_DEBUG_WRITE, text as u32, length, 0)
}

/// Stops the machine with `code` as exit status (root only; others get an error).
#[unsafe(no_mangle)]
pub extern "C" fn pv_shutdown(code: u32) -> u32 {
    user_trap::trap_short(PV_SYS_SHUTDOWN, code, 0, 0)
}

/// The calling thread's ID.
#[unsafe(no_mangle)]
pub extern "C" fn pv_thread_self() -> PvThreadId {
    user_trap::trap_pair(PV_SYS_THREAD_SELF, 0, 0, 0).1
}

/// The calling thread's UTCB.
#[unsafe(no_mangle)]
pub extern "C" fn pv_utcb() -> *mut PvUtcb {
    utcb()
}

/// Changes `thread`'s priority (root only).
#[unsafe(no_mangle)]
pub extern "C" fn pv_set_priority(thread: PvThreadId, priority: u32) -> u32 {
    user_trap::trap_short(PV_SYS_SET_PRIORITY, thread, priority, 0)
}

/// Resumes the calling thread from the register frame at `frame`: all of r0..r12,
/// lr, pc and the CPSR flags (IT and E included) come from it, and sp becomes
/// `frame + PV_CONTEXT_FRAME_SIZE`. Returns only if the frame is unusable (not
/// word aligned, not readable RAM of the caller), with `PV_ERR_BAD_ADDRESS`.
///
/// # Safety
/// On success control never comes back: execution continues wherever the frame
/// says, with its registers, and whatever the caller's stack held is abandoned.
/// The frame must describe a context that is valid to resume.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pv_context_resume(frame: *const PvContextFrame) -> u32 {
    user_trap::trap_short(PV_SYS_CONTEXT_RESUME, frame as u32, 0, 0)
}

/// Notifies thread `to` (of a space the caller's space was granted): ORs `bits`
/// into its notification word and returns at once, never blocking. The thread
/// collects them in its next open receive (`PV_LABEL_NOTIFICATION`, MR0 the bits).
#[unsafe(no_mangle)]
pub extern "C" fn pv_notify(to: PvThreadId, bits: u32) -> u32 {
    user_trap::trap_short(PV_SYS_NOTIFY, to, bits, 0)
}

/// Binds `thread` (of the caller's own space) to the virtual-interrupt words at
/// `words` (mask, then pending) and the entry `entry`: notifications to it
/// become virtual interrupts the kernel injects itself. `words` = 0 unbinds.
#[unsafe(no_mangle)]
pub extern "C" fn pv_virq_bind(thread: PvThreadId, words: u32, entry: u32) -> u32 {
    user_trap::trap_short(PV_SYS_VIRQ_BIND, thread, words, entry)
}

/// Gives the kernel `thread`'s periodic tick: `rate` ticks a second from
/// counter value `start` (`PV_TICK_START`); at each deadline the kernel
/// notifies the thread `PV_NOTIFY_TIMER_TICK` itself. Only a space granted the
/// timer (v_timer's) may; the thread must be bound to virtual-interrupt words.
#[unsafe(no_mangle)]
pub extern "C" fn pv_tick_start(thread: PvThreadId, rate: u32, start: u64) -> u32 {
    let mut registers = [0u32; 12];
    registers[..5].copy_from_slice(&[PV_TICK_START, thread, rate, start as u32, (start >> 32) as u32]);
    user_trap::trap(PV_SYS_TICK_SCHEDULE, &mut registers);
    registers[0]
}

/// Ends the kernel's tick for `thread` (`PV_TICK_STOP`), the ticks it
/// generated for it into `*ticks`; `PV_OK` (and 0) also when it had none.
///
/// # Safety
/// `ticks` must be NULL or valid for a write.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pv_tick_stop(thread: PvThreadId, ticks: *mut u32) -> u32 {
    let mut registers = [0u32; 12];
    registers[..2].copy_from_slice(&[PV_TICK_STOP, thread]);
    user_trap::trap(PV_SYS_TICK_SCHEDULE, &mut registers);
    // SAFETY: the caller guarantees `ticks` is NULL or valid.
    unsafe { write_count(&registers, ticks) }
}

/// The ticks the kernel generated for `thread` into `*ticks` (`PV_TICK_COUNT`).
///
/// # Safety
/// `ticks` must be NULL or valid for a write.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pv_tick_count(thread: PvThreadId, ticks: *mut u32) -> u32 {
    let mut registers = [0u32; 12];
    registers[..2].copy_from_slice(&[PV_TICK_COUNT, thread]);
    user_trap::trap(PV_SYS_TICK_SCHEDULE, &mut registers);
    // SAFETY: the caller guarantees `ticks` is NULL or valid.
    unsafe { write_count(&registers, ticks) }
}

/// r1 of a successful call into `*ticks`; returns r0.
///
/// # Safety
/// `ticks` must be NULL or valid for a write.
unsafe fn write_count(registers: &[u32; 12], ticks: *mut u32) -> u32 {
    if registers[0] == PV_OK {
        // SAFETY: the caller guarantees `ticks` is NULL or valid.
        if let Some(ticks) = unsafe { ticks.as_mut() } {
            *ticks = registers[1];
        }
    }
    registers[0]
}

/// The kernel's resource counters into `*info` (root only; others get
/// `PV_ERR_NO_PRIVILEGE` and `*info` is left as it was).
///
/// # Safety
/// `info` must be NULL or valid for a write.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pv_kernel_info(info: *mut PvKernelInfo) -> u32 {
    let mut registers = [0u32; 12];
    user_trap::trap(PV_SYS_KERNEL_INFO, &mut registers);
    if registers[0] == PV_OK {
        // SAFETY: the caller guarantees `info` is NULL or valid.
        if let Some(info) = unsafe { info.as_mut() } {
            *info = PvKernelInfo::from_registers([registers[1], registers[2], registers[3], registers[4]]);
        }
    }
    registers[0]
}

/// Raw system call with r0..r11 in `registers` (results written back); for tests
/// and tools that need to pass arbitrary values.
///
/// # Safety
/// `registers` must be valid for reads and writes of 12 words.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pv_raw_syscall(number: u32, registers: *mut [u32; 12]) {
    // SAFETY: the caller guarantees `registers` is valid.
    if let Some(registers) = unsafe { registers.as_mut() } {
        user_trap::trap(number, registers);
    }
}

/// Calls `server` with `label` and `words` (at most 8); returns (result,
/// reply). A reply's MR0 is the server's result code, which becomes the
/// result when the IPC worked. Register-only: no message structure to zero.
fn server_call(server: PvThreadId, label: u32, words: &[u32]) -> (u32, PvRegisterMessage) {
    let mut message = PvRegisterMessage::new(label, words);
    // SAFETY: `message` is a valid local.
    let result = unsafe { pv_call_registers(server, &mut message) };
    if result != PV_OK {
        return (result, message);
    }
    (message.mr[0], message)
}

/// Asks the root server for a thread in the caller's space with `priority`.
///
/// # Safety
/// `thread` must be NULL or valid for a write.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pv_root_thread_create(root_server: PvThreadId, priority: u32, thread: *mut PvThreadId) -> u32 {
    let (result, reply) = server_call(root_server, PV_ROOT_THREAD_CREATE, &[priority]);
    // SAFETY: the caller guarantees `thread` is NULL or valid.
    if let Some(thread) = unsafe { thread.as_mut() } {
        *thread = reply.mr[1];
    }
    result
}

/// Asks the root server for a zeroed memory section of `size` bytes.
///
/// # Safety
/// `address` must be NULL or valid for a write.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pv_memsection_create(root_server: PvThreadId, size: u32, address: *mut u32) -> u32 {
    let (result, reply) = server_call(root_server, PV_ROOT_MEMSECTION_CREATE, &[size]);
    // SAFETY: the caller guarantees `address` is NULL or valid.
    if let Some(address) = unsafe { address.as_mut() } {
        *address = reply.mr[1];
    }
    result
}

/// Asks the root server to deliver interrupt `irq` to `thread` (of the caller's space).
#[unsafe(no_mangle)]
pub extern "C" fn pv_root_interrupt_associate(root_server: PvThreadId, irq: u32, thread: PvThreadId) -> u32 {
    server_call(root_server, PV_ROOT_INTERRUPT_ASSOCIATE, &[irq, thread]).0
}

/// Tells the root server this guest has finished with `code`.
#[unsafe(no_mangle)]
pub extern "C" fn pv_root_exit(root_server: PvThreadId, code: u32) -> u32 {
    server_call(root_server, PV_ROOT_EXIT, &[code]).0
}

/// v_timer `request_time`: `ticks_per_second` ticks per second (exact in the long
/// run), sent to `notify`. `highest_rate` receives the highest rate v_timer
/// serves, also when it refuses the request (`PV_ERR_INVALID_ARGUMENT`).
///
/// # Safety
/// `highest_rate` must be NULL or valid for a write.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pv_request_tick_rate(
    v_timer: PvThreadId,
    ticks_per_second: u32,
    notify: PvThreadId,
    highest_rate: *mut u32,
) -> u32 {
    let (result, reply) = server_call(v_timer, PV_TIMER_REQUEST_RATE, &[ticks_per_second, notify]);
    // SAFETY: the caller guarantees `highest_rate` is NULL or valid.
    if let Some(highest_rate) = unsafe { highest_rate.as_mut() } {
        *highest_rate = reply.mr[1];
    }
    result
}

/// `PV_TIMER_REQUEST_RATE` as a client that counts its own ticks makes it
/// (the guest runtime): on success, the [`TickSchedule`](crate::tick::TickSchedule)
/// v_timer follows for `notify` (from the reply's start and counter
/// frequency), whose `advance(counter)` after each `PV_NOTIFY_TIMER_TICK`
/// gives exactly the ticks v_timer counted as due; on failure (result, highest
/// rate served).
pub fn request_tick_schedule(
    v_timer: PvThreadId,
    ticks_per_second: u32,
    notify: PvThreadId,
) -> Result<crate::tick::TickSchedule, (u32, u32)> {
    let (result, reply) = server_call(v_timer, PV_TIMER_REQUEST_RATE, &[ticks_per_second, notify]);
    let start = u64::from(reply.mr[2]) | (u64::from(reply.mr[3]) << 32);
    match crate::tick::TickSchedule::new(start, reply.mr[4], ticks_per_second) {
        Some(schedule) if result == PV_OK => Ok(schedule),
        _ => Err((if result == PV_OK { PV_ERR_INVALID_ARGUMENT } else { result }, reply.mr[1])),
    }
}

/// `PV_SERIAL_READ_INPUT`: takes up to `PV_SERIAL_CHUNK` bytes of console
/// input waiting in v_serial into `bytes`; returns how many (0: none waiting)
/// or the error.
pub fn serial_read_input(v_serial: PvThreadId, bytes: &mut [u8; PV_SERIAL_CHUNK as usize]) -> Result<usize, u32> {
    let (result, reply) = server_call(v_serial, PV_SERIAL_READ_INPUT, &[]);
    if result != PV_OK {
        return Err(result);
    }
    let count = (reply.mr[1] as usize).min(bytes.len());
    for (index, byte) in bytes[..count].iter_mut().enumerate() {
        *byte = (reply.mr[2 + index / 4] >> (8 * (index % 4))) as u8;
    }
    Ok(count)
}

/// Asks v_timer how many ticks it generated for client `notify` (ticks due by
/// the counter at its last timer interrupt); `undelivered` receives 0 (ticks
/// travel as notifications, so v_timer owes none).
///
/// # Safety
/// `generated` and `undelivered` must each be NULL or valid for a write.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pv_timer_query(
    v_timer: PvThreadId,
    notify: PvThreadId,
    generated: *mut u32,
    undelivered: *mut u32,
) -> u32 {
    let (result, reply) = server_call(v_timer, PV_TIMER_QUERY, &[notify]);
    // SAFETY: the caller guarantees both pointers are NULL or valid.
    unsafe {
        if let Some(generated) = generated.as_mut() {
            *generated = reply.mr[1];
        }
        if let Some(undelivered) = undelivered.as_mut() {
            *undelivered = reply.mr[2];
        }
    }
    result
}

/// Writes `length` bytes to the console through v_serial (in chunks of
/// `PV_SERIAL_CHUNK`). Each chunk is built directly in the caller's UTCB and
/// registers, without a message structure on the stack (about 100 bytes of
/// stack in all), so a µC/OS-II task with a small stack can print; a guest
/// whose threads share a UTCB between tasks must not switch tasks during the
/// call (the guest runtime masks virtual interrupts around it).
///
/// # Safety
/// `bytes` must be valid for reads of `length` bytes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pv_serial_write(v_serial: PvThreadId, bytes: *const u8, length: u32) -> u32 {
    let utcb = utcb();
    let mut offset = 0;
    while offset < length {
        let count = (length - offset).min(PV_SERIAL_CHUNK);
        let words = 1 + count.div_ceil(4);
        // SAFETY: TPIDRURO points at this thread's UTCB, mapped in its space; the
        // caller guarantees `length` readable bytes.
        unsafe {
            (*utcb).mr[0] = count;
            for word in 1..words {
                let mut value = 0u32;
                for byte in 0..4 {
                    let index = (word - 1) * 4 + byte;
                    if index < count {
                        value |= u32::from(*bytes.add((offset + index) as usize)) << (8 * byte);
                    }
                }
                (*utcb).mr[word as usize] = value;
            }
        }
        let timeouts = pv_timeouts(PV_TIMEOUT_NEVER, PV_TIMEOUT_NEVER);
        let mut io = [v_serial, v_serial, timeouts, pv_tag(PV_SERIAL_WRITE, words)];
        user_trap::trap_utcb(&mut io);
        let mut result = io[0];
        if result == PV_OK {
            // SAFETY: as above; the reply's MR0 is v_serial's result code.
            result = unsafe { (*utcb).mr[0] };
        }
        if result != PV_OK {
            return result;
        }
        offset += count;
    }
    PV_OK
}

/// Reports an unrecoverable guest error to the root server (see
/// `PV_ROOT_GUEST_ERROR`): `words` (at most 12) are MR0..; the root server
/// does not reply, so this returns only if the IPC itself failed.
///
/// # Safety
/// `words` must be valid for reads of `count` words (at most 12 are read).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pv_root_guest_error(root_server: PvThreadId, words: *const u32, count: u32) -> u32 {
    let mut registers = [0u32; 12];
    let count = count.min(12);
    // SAFETY: the caller guarantees `count` readable words.
    let words = unsafe { core::slice::from_raw_parts(words, count as usize) };
    let utcb = utcb();
    for (index, word) in words.iter().enumerate() {
        if index < 8 {
            registers[4 + index] = *word;
        } else {
            // SAFETY: TPIDRURO points at this thread's UTCB, mapped in its space.
            unsafe { (*utcb).mr[index] = *word };
        }
    }
    registers[0] = root_server;
    registers[1] = root_server;
    registers[2] = pv_timeouts(PV_TIMEOUT_NEVER, PV_TIMEOUT_NEVER);
    registers[3] = pv_tag(PV_ROOT_GUEST_ERROR, count);
    user_trap::trap(PV_SYS_IPC, &mut registers);
    registers[0]
}

/// Asks v_serial to send console input to `notify`.
#[unsafe(no_mangle)]
pub extern "C" fn pv_serial_attach_input(v_serial: PvThreadId, notify: PvThreadId) -> u32 {
    server_call(v_serial, PV_SERIAL_ATTACH_INPUT, &[notify]).0
}
