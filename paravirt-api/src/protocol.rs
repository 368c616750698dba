// SPDX-License-Identifier: MIT OR Apache-2.0
//! The protocols of the user-level servers, beside but apart from the kernel's
//! ABI (`lib.rs`, `hypercalls.rs`): what the root server, v_timer and v_serial
//! understand — message labels, request and reply words, error codes of each
//! request — and the `system` boot module the root server reads (the system
//! description as the image build writes it).
//!
//! The kernel knows none of this: to it these are ordinary IPC messages
//! (labels below `PV_LABEL_KERNEL_BASE`). The servers bind every request to
//! the sender's domain, as the kernel reports it with each message (see
//! `doc/security.md`). Re-exported at the crate root, so that
//! `paravirt_api::PV_TIMER_REQUEST_RATE` and the C names in `paravirt.h` stay
//! as they are.

// ---------------------------------------------------------------------------
// Server protocols (message labels). Requests are IPC calls; every reply
// carries a PV_* result code in MR0.
// ---------------------------------------------------------------------------

/// Root server to a newly started guest thread: MR0 v_timer, MR1 v_serial, MR2
/// guest number, MR3 stack top, MR4 priority of the guest's µC/OS-II thread (the
/// guest's `priority`; the guest runtime asks for exactly this one, and the
/// thread receiving the message runs one above it), MR5 its virtual-interrupt
/// path (`PV_VIRQ_DIRECT` or `PV_VIRQ_PAPER`); the sender is the root
/// server. (The driver domain's threads get a startup message of their own
/// with this label: MR0 role, MR1 interrupt, MR2 frequency or UART address.)
pub const PV_LABEL_STARTUP: u32 = 0x0100;
/// Words of a guest's `PV_LABEL_STARTUP` message.
pub const PV_STARTUP_WORDS: u32 = 6;
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
/// v_timer (the paper's `request_time`): tick MR0 times per second for thread
/// MR1, from now on. MR1 is the sender itself, or a client its own domain
/// registered (then its rate changes); anything else — another domain's
/// thread above all — is `PV_ERR_INVALID_THREAD` (v_timer binds each client to
/// the domain that registered it, as the kernel reports the sender's space). A
/// domain has one client: a thread registering itself replaces its domain's
/// other client, and no free client slot is `PV_ERR_NO_RESOURCES`. Tick `n` is
/// due at the first counter value at or after `start + n × frequency / MR0`
/// (the `tick` module), so the long-run rate is exact at every rate. Ticks
/// travel as notifications (`PV_SYS_NOTIFY` with `PV_NOTIFY_TIMER_TICK`),
/// which never block v_timer: at each timer interrupt with a tick of the
/// client due, v_timer sets the bit; the client, woken, runs the ticks its
/// own copy of the schedule says are due by the counter
/// (`paravirt_api::tick::TickSchedule::new(start, frequency, MR0)` then
/// `advance(counter)`), so a client that was late gets every tick at once.
/// A client bound to virtual-interrupt words (`PV_SYS_VIRQ_BIND`: a direct
/// guest's µC/OS-II thread) is ticked by the kernel instead: once the request
/// is accepted, v_timer hands the same schedule to it (`PV_SYS_TICK_SCHEDULE`),
/// and the kernel sets the bit at each deadline without v_timer.
/// Reply: MR0 result (`PV_ERR_INVALID_ARGUMENT` for a rate of 0 or above the
/// highest served), MR1 the highest rate served (always), and on success MR2,
/// MR3 the schedule's `start` (counter value, low and high word) and MR4 the
/// counter frequency in Hz. Asking again for the same thread restarts its
/// schedule at the new rate (from the new `start`); its count of ticks
/// generated is kept. (ABI 1 had `PV_TIMER_REQUEST_TIME` 0x0201 with a period
/// in microseconds; v_timer now refuses that label.)
pub const PV_TIMER_REQUEST_RATE: u32 = 0x0203;
/// The highest tick rate v_timer serves, in ticks per second (lower only if the
/// counter itself is slower). A virtual tick costs about 6,900 instructions, so
/// at this rate it takes over a fifth of a busy guest's processor time (see
/// doc/porting.md, "Tick rates").
pub const PV_TIMER_RATE_MAX: u32 = 32_768;
/// v_timer: report for client thread MR0: MR1 ticks generated (due by the
/// counter at v_timer's last timer interrupt; for a client the kernel ticks,
/// the kernel's count of the ticks due at its timer interrupts,
/// `PV_TICK_COUNT`, plus v_timer's own from before the handoff), MR2 0 (it was the count of ticks
/// not yet delivered, when ticks travelled in messages; now nothing is owed); only for a client of the sender's own domain:
/// `PV_ERR_INVALID_THREAD` for any other thread, registered or not.
pub const PV_TIMER_QUERY: u32 = 0x0202;
/// Notification bit v_timer sets in a client's notification word when one of
/// its ticks fell due (see `PV_TIMER_REQUEST_RATE`).
pub const PV_NOTIFY_TIMER_TICK: u32 = 1 << 0;
/// v_serial: write MR0 bytes packed little-endian into MR1... v_serial writes
/// whole lines only, each prefixed with the writer's console tag (`[name] `):
/// it keeps a domain's unfinished line until its newline (a line longer than
/// its buffer goes out in pieces, each tagged and ended), so the lines of
/// different guests never mix. Only threads the root server registered
/// (`PV_SERIAL_THREAD`) may write: `PV_ERR_NO_PRIVILEGE` for anyone else.
pub const PV_SERIAL_WRITE: u32 = 0x0301;
/// v_serial: notify thread MR0 (a thread of the caller's own domain) of
/// console input from now on (`PV_NOTIFY_SERIAL_INPUT`; it takes the bytes
/// with `PV_SERIAL_READ_INPUT`). Only the domain the system description gives console
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
/// v_serial: take up to `PV_SERIAL_CHUNK` bytes of console input. Reply: MR0
/// result, MR1 byte count (0: nothing is waiting), MR2.. the bytes packed
/// little-endian. Only a thread of the domain input is attached to; anyone
/// else `PV_ERR_NO_PRIVILEGE`. Input waits in v_serial (up to 1 KiB; more is
/// dropped) until its domain takes it: v_serial only notifies the attached
/// thread (`PV_NOTIFY_SERIAL_INPUT`), so a guest that never reads delays
/// nobody.
pub const PV_SERIAL_READ_INPUT: u32 = 0x0305;
/// Notification bit v_serial sets in the input thread's notification word
/// when console input is waiting (see `PV_SERIAL_READ_INPUT`).
pub const PV_NOTIFY_SERIAL_INPUT: u32 = 1 << 1;
/// Largest single v_serial write or input read, in bytes.
pub const PV_SERIAL_CHUNK: u32 = 248;

// ---------------------------------------------------------------------------
// The system description as the root server reads it
// ---------------------------------------------------------------------------

/// Name of the boot module holding a [`PvSystemConfig`] (written by the image
/// build from the system description, `system.toml`).
pub const PV_SYSTEM_MODULE: &str = "system";
/// `PvSystemConfig::magic`: "UCVS".
pub const PV_SYSTEM_MAGIC: u32 = 0x5356_4355;
/// `PvSystemConfig::version` this ABI defines (2: `PvGuestConfig::threads`;
/// 3: `PvGuestConfig::virq`).
pub const PV_SYSTEM_VERSION: u32 = 3;
/// `PvGuestConfig::virq`: the kernel-direct virtual-interrupt path (the
/// default): the guest's µC/OS-II thread is v_timer's client and v_serial's
/// input thread itself, bound with `PV_SYS_VIRQ_BIND`, and the kernel injects
/// its virtual interrupts.
pub const PV_VIRQ_DIRECT: u32 = 0;
/// `PvGuestConfig::virq`: the paper's path: the guest's Interrupt_loop thread
/// takes the device servers' notifications and injects them into the
/// µC/OS-II thread with ExchangeRegisters.
pub const PV_VIRQ_PAPER: u32 = 1;
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
/// Fewest threads a guest may be given (`PvGuestConfig::threads`): its
/// Interrupt_loop and its µC/OS-II thread.
pub const PV_GUEST_THREADS_MIN: u32 = 2;
/// Most threads a guest may be given (`PvGuestConfig::threads`).
pub const PV_GUEST_THREADS_MAX: u32 = 16;
/// Threads a guest gets when its description does not say.
pub const PV_GUEST_THREADS_DEFAULT: u32 = 4;
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

// ---------------------------------------------------------------------------
// Link addresses: where each user program of an image is linked
// ---------------------------------------------------------------------------
//
// Each program of an image runs in its own address space, but is linked at an
// address of its own, so that their symbols never collide in a debugger or a
// trace: the root server and the driver domain at fixed addresses, guests
// from `PV_GUEST_LINK_BASE` upwards (one `PV_GUEST_LINK_STRIDE` apart in the
// description's order, or where the description's `link_address` says).
// Every image ends below `PV_IMAGE_WINDOW_END`, where a domain's first stack
// section and its memory sections lie.

/// Link address of the root server (the root task; the kernel's test images'
/// root tasks too): the first user address.
pub const PV_ROOT_SERVER_LINK_ADDRESS: u32 = 0x0010_0000;
/// Link address of the driver domain (v_timer and v_serial).
pub const PV_DRIVERS_LINK_ADDRESS: u32 = 0x0100_0000;
/// Link address of an image's first guest; the lowest a description may give.
pub const PV_GUEST_LINK_BASE: u32 = 0x0200_0000;
/// Distance between the link addresses the build gives guests (the most a
/// guest's image may span unless the description places it).
pub const PV_GUEST_LINK_STRIDE: u32 = 0x0100_0000;
/// End of the window user programs are linked in (a domain's first stack
/// section starts here, its memory sections above).
pub const PV_IMAGE_WINDOW_END: u32 = 0x2000_0000;

/// Size of a [`PvSystemConfig`] in bytes: the size of a version 3 `system` module.
pub const PV_SYSTEM_CONFIG_SIZE: u32 = 568;

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
    /// Threads the guest may have at once, its Interrupt_loop and µC/OS-II
    /// thread included (`PV_GUEST_THREADS_MIN..=PV_GUEST_THREADS_MAX`): the
    /// root server refuses `PV_ROOT_THREAD_CREATE` beyond them with
    /// `PV_ERR_NO_RESOURCES`.
    pub threads: u32,
    /// The guest's virtual-interrupt path: `PV_VIRQ_DIRECT` or `PV_VIRQ_PAPER`
    /// (the root server passes it on in the startup message, MR5).
    pub virq: u32,
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

const _: () = assert!(core::mem::size_of::<PvGuestConfig>() == 88);
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
            threads: PV_GUEST_THREADS_DEFAULT,
            virq: PV_VIRQ_DIRECT,
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
            threads: 0,
            virq: 0,
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
            offset = put_word(&mut bytes, offset, guest.threads);
            offset = put_word(&mut bytes, offset, guest.virq);
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
            guest.threads = get_word(bytes, &mut offset);
            guest.virq = get_word(bytes, &mut offset);
        }
        Self { magic, version, guest_count, console_input, name, guests }
    }
}

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
        assert_eq!(word(second + offset_of!(PvGuestConfig, threads)), PV_GUEST_THREADS_DEFAULT);
        assert!(bytes[second + core::mem::size_of::<PvGuestConfig>()..].iter().all(|&b| b == 0));
    }

    #[test]
    fn system_bytes_read_back() {
        assert_eq!(PvSystemConfig::from_bytes(&SYSTEM.to_bytes()), SYSTEM);
        let mut odd = SYSTEM;
        odd.guests[5].interrupts = [1, 2, 3];
        odd.guests[5].tick_hz = 0xDEAD_BEEF;
        odd.guests[5].threads = 0xFEED_F00D;
        assert_eq!(PvSystemConfig::from_bytes(&odd.to_bytes()), odd);
    }

    #[test]
    fn names_are_nul_padded() {
        assert_eq!(&pv_name("abc")[..4], b"abc\0");
        assert_eq!(pv_name("123456789012345678901234"), *b"123456789012345678901234");
    }
}
