// SPDX-License-Identifier: MIT OR Apache-2.0
//! Host tests of the portable kernel against a model machine.

use super::*;
use crate::memory::page_table::{Access, L1Table, L2Pool, MemoryKind, build_kernel_table};
use std::collections::HashMap;

const SECTION: usize = PV_SECTION_SIZE as usize;

#[derive(Default)]
struct Model {
    now: u64,
    memory: HashMap<usize, u32>,
    enabled: HashMap<u32, bool>,
    console: Vec<u8>,
    /// The CPU's TPIDRURW and how often the kernel read or wrote it.
    tpidrurw: u32,
    tpidrurw_accesses: u32,
    /// The FPU: FPEXC.EN, the register file (one word stands for d0..d31 and
    /// FPSCR), the per-slot save areas and every switch the kernel asked for.
    fpu_on: bool,
    fpu_registers: u64,
    fpu_areas: HashMap<usize, u64>,
    fpu_switches: Vec<(Option<usize>, Option<usize>)>,
    /// CNTKCTL.PL0VTEN (user access to the virtual timer) and how often the
    /// kernel wrote it.
    timer_access: bool,
    timer_access_writes: u32,
    /// Every range made visible to instruction fetch.
    instruction_syncs: Vec<(usize, usize)>,
    /// The counter value the kernel's timer fires at (armed relative to `now`).
    timer_fires_at: Option<u64>,
}

impl Machine for Model {
    fn now(&self) -> u64 {
        self.now
    }
    fn arm_timer(&mut self, ticks: u32) {
        assert!(ticks >= 1 && ticks <= i32::MAX as u32, "the timer is armed 1..=2^31-1 ticks ahead, not {ticks}");
        self.timer_fires_at = Some(self.now + u64::from(ticks));
    }
    fn counter_frequency(&self) -> u64 {
        1_000_000
    }
    fn set_irq_enabled(&mut self, irq: u32, enabled: bool) {
        self.enabled.insert(irq, enabled);
    }
    fn console_write(&mut self, bytes: &[u8]) {
        self.console.extend_from_slice(bytes);
    }
    fn read_word(&self, word: RamWord) -> u32 {
        self.peek(word.physical())
    }
    fn write_word(&mut self, word: RamWord, value: u32) {
        self.poke(word.physical(), value);
    }
    fn write_word_pair(&mut self, first: RamWord, values: [u32; 2]) {
        self.poke(first.physical(), values[0]);
        self.poke(first.physical() + 4, values[1]);
    }
    fn zero(&mut self, range: RamRange) {
        let range = range.physical()..range.physical() + range.length();
        self.memory.retain(|address, _| !range.contains(address));
    }
    fn flush_asid(&mut self, _asid: u8) {}
    fn sync_instruction_fetch(&mut self, physical: usize, length: usize) {
        self.instruction_syncs.push((physical, length));
    }
    fn user_rw_thread_register(&self) -> u32 {
        self.tpidrurw
    }
    fn set_user_rw_thread_register(&mut self, value: u32) {
        self.tpidrurw_accesses += 1;
        self.tpidrurw = value;
    }
    fn set_fpu_enabled(&mut self, enabled: bool) {
        self.fpu_on = enabled;
    }
    fn switch_fpu(&mut self, save: Option<usize>, load: Option<usize>) {
        if let Some(slot) = save {
            self.fpu_areas.insert(slot, self.fpu_registers);
        }
        self.fpu_registers = load.map_or(0, |slot| self.fpu_areas[&slot]);
        self.fpu_on = true;
        self.fpu_switches.push((save, load));
    }
    fn set_user_timer_access(&mut self, enabled: bool) {
        self.timer_access = enabled;
        self.timer_access_writes += 1;
    }
}

impl Model {
    /// The word at any physical address (what a test or user thread sees).
    fn peek(&self, physical: usize) -> u32 {
        *self.memory.get(&physical).unwrap_or(&0)
    }

    /// Writes the word at any physical address (as a test or user thread may).
    fn poke(&mut self, physical: usize, value: u32) {
        self.memory.insert(physical, value);
    }
}

struct World {
    kernel: Kernel,
    machine: Model,
    root: usize,
    root_space: usize,
}

const ROOT_IMAGE_PHYSICAL: usize = 0x4200_0000;

/// The platform's device pages as `qemu_virt` lists them: a UART, an RTC, a
/// DMA-capable fw_cfg.
const TEST_DEVICES: [crate::memory::DevicePage; 3] = [
    crate::memory::DevicePage { name: "uart", base: 0x0900_0000, dma_capable: false },
    crate::memory::DevicePage { name: "rtc", base: 0x0901_0000, dma_capable: false },
    crate::memory::DevicePage { name: "fw_cfg", base: 0x0902_0000, dma_capable: true },
];

fn world() -> World {
    let tables: &'static mut [L1Table; MAX_SPACES] = Box::leak(Box::new(std::array::from_fn(|_| L1Table::new())));
    let l2: &'static mut L2Pool = Box::leak(Box::new(L2Pool::new()));
    build_kernel_table(&mut tables[0], l2, 0x4000_0000, 128 << 20, 0x4010_0000, &[(0x0800_0000, SECTION)], &[])
        .unwrap();
    let layout = MemoryLayout {
        user_ram_base: 0x4110_0000,
        ram_end: 0x4800_0000,
        devices: &TEST_DEVICES,
        utcb_pool_base: 0x4010_0000,
        reserved_irqs: [30],
    };
    let mut kernel = Kernel::new(tables, l2, layout);
    let mut machine = Model::default();
    kernel.set_counter_frequency(machine.counter_frequency());
    let root_space = kernel.create_root_space(&mut machine).unwrap();
    kernel.boot_map(root_space, 0x0010_0000, ROOT_IMAGE_PHYSICAL, SECTION, Access::UserAll).unwrap();
    let root = kernel.start_root_thread(root_space, 0x0010_0000, 0x0020_0000, &mut machine).unwrap();
    assert_eq!(kernel.schedule(), Some(root));
    World { kernel, machine, root, root_space }
}

impl World {
    /// Makes `thread` current and performs a system call with `registers`.
    fn call(&mut self, thread: usize, number: u32, registers: &[u32]) -> [u32; 13] {
        self.kernel.current = thread;
        // The test picks who runs: the scheduler must look again.
        self.kernel.ready.mark_changed();
        let context = &mut self.kernel.threads[thread].context;
        context.r = [0; 13];
        context.r[..registers.len()].copy_from_slice(registers);
        context.r[12] = number;
        self.kernel.system_call(&mut self.machine);
        self.kernel.schedule();
        // As the runtime does after a choice.
        if self.kernel.timer_stale() {
            self.kernel.sync_timer(&mut self.machine);
        }
        self.kernel.threads[thread].context.r
    }

    fn id(&self, thread: usize) -> u32 {
        self.kernel.thread_id(thread)
    }

    /// Creates and starts a thread in `space` with `priority`.
    fn spawn(&mut self, space: usize, priority: u32, handler: u32) -> usize {
        let r = self.call(self.root, PV_SYS_THREAD_CONTROL, &[PV_THREAD_CREATE, space as u32, priority, handler]);
        assert_eq!(r[0], PV_OK);
        let thread = self.kernel.lookup(r[1]).unwrap();
        let r = self.call(self.root, PV_SYS_EXCHANGE_REGISTERS, &[r[1], PV_EXREG_START, 0x1000, 0x0010_0000]);
        assert_eq!(r[0], PV_OK);
        thread
    }

    /// A new space as the kernel creates it: it may name the root's space and
    /// itself, and its maximum priority is `PV_SPACE_DEFAULT_MAX_PRIORITY`.
    fn default_space(&mut self) -> usize {
        let r = self.call(self.root, PV_SYS_SPACE_CONTROL, &[PV_SPACE_CREATE]);
        assert_eq!(r[0], PV_OK);
        r[1] as usize
    }

    /// A new space whose threads may have any priority (the tests of other
    /// things than authority need not care about the ceiling).
    fn new_space(&mut self) -> usize {
        let space = self.default_space();
        self.configure(space, (1 << self.root_space) | (1 << space), PV_PRIORITY_MAX, 0);
        space
    }

    /// `PV_SPACE_CONFIGURE` from the root; must succeed.
    fn configure(&mut self, space: usize, send_mask: u32, max_priority: u32, flags: u32) {
        let r = self.call(
            self.root,
            PV_SYS_SPACE_CONTROL,
            &[PV_SPACE_CONFIGURE, space as u32, send_mask, max_priority, flags],
        );
        assert_eq!(r[0], PV_OK, "configure space {space}");
    }

    fn ipc(&mut self, thread: usize, to: u32, from: u32, timeouts: u32, tag: u32, words: &[u32]) -> [u32; 13] {
        let mut registers = [to, from, timeouts, tag, 0, 0, 0, 0, 0, 0, 0, 0];
        registers[4..4 + words.len()].copy_from_slice(words);
        self.call(thread, PV_SYS_IPC, &registers)
    }
}

const NEVER: u32 = PV_TIMEOUT_NEVER;

#[test]
fn call_and_reply_between_spaces() {
    let mut w = world();
    let space = w.new_space();
    let server = w.spawn(space, 100, 0);
    // The server waits for anyone.
    w.ipc(server, PV_NIL_THREAD, PV_ANY_THREAD, pv_timeouts(0, NEVER), 0, &[]);
    assert_eq!(w.kernel.thread(server).state(), State::Receiving { from: Source::Any });
    // Root calls it with three words.
    let server_id = w.id(server);
    let root_id = w.id(w.root);
    w.ipc(w.root, server_id, server_id, pv_timeouts(NEVER, NEVER), pv_tag(7, 3), &[10, 20, 30]);
    assert_eq!(w.kernel.thread(w.root).state(), State::Receiving { from: Source::Thread(server_id) });
    let got = w.kernel.thread(server).context.r;
    assert_eq!(got[0], PV_OK);
    assert_eq!(got[1], root_id);
    assert_eq!(got[3], pv_tag(7, 3));
    assert_eq!(&got[4..8], &[10, 20, 30, 0]);
    // Reply and wait.
    w.ipc(server, root_id, PV_ANY_THREAD, pv_timeouts(0, NEVER), pv_tag(0, 1), &[60]);
    let reply = w.kernel.thread(w.root).context.r;
    assert_eq!((reply[0], reply[1], reply[4]), (PV_OK, server_id, 60));
    assert_eq!(w.kernel.thread(w.root).state(), State::Ready);
    assert_eq!(w.kernel.thread(server).state(), State::Receiving { from: Source::Any });
}

#[test]
fn long_messages_travel_through_the_utcb() {
    let mut w = world();
    let peer = w.spawn(w.root_space, 100, 0);
    w.ipc(peer, PV_NIL_THREAD, PV_ANY_THREAD, pv_timeouts(0, NEVER), 0, &[]);
    let utcb = w.kernel.utcb_physical(w.root);
    for word in 8..20 {
        w.machine.poke(utcb + word * 4, 1000 + word as u32);
    }
    let id = w.id(peer);
    let r = w.ipc(w.root, id, PV_NIL_THREAD, pv_timeouts(NEVER, 0), pv_tag(1, 20), &[1, 2, 3, 4, 5, 6, 7, 8]);
    assert_eq!(r[0], PV_OK);
    let peer_utcb = w.kernel.utcb_physical(peer);
    for word in 8..20 {
        assert_eq!(w.machine.peek(peer_utcb + word * 4), 1000 + word as u32);
    }
    assert_eq!(&w.kernel.thread(peer).context.r[4..12], &[1, 2, 3, 4, 5, 6, 7, 8]);
}

#[test]
fn argument_errors() {
    let mut w = world();
    let root_id = w.id(w.root);
    // Unknown thread, stale version, self, nil with nothing else, too long.
    assert_eq!(w.ipc(w.root, 0x3F, PV_NIL_THREAD, 0, 0, &[])[0], PV_ERR_INVALID_THREAD);
    assert_eq!(w.ipc(w.root, root_id + (1 << 12), PV_NIL_THREAD, 0, 0, &[])[0], PV_ERR_INVALID_THREAD);
    assert_eq!(w.ipc(w.root, root_id, PV_NIL_THREAD, 0, 0, &[])[0], PV_ERR_INVALID_ARGUMENT);
    assert_eq!(w.ipc(w.root, PV_NIL_THREAD, PV_NIL_THREAD, 0, 0, &[])[0], PV_OK);
    let peer = w.spawn(w.root_space, 100, 0);
    let peer_id = w.id(peer);
    assert_eq!(w.ipc(w.root, peer_id, PV_NIL_THREAD, 0, pv_tag(0, 65), &[])[0], PV_ERR_TOO_LONG);
    assert_eq!(w.ipc(w.root, PV_NIL_THREAD, 0x3E, 0, 0, &[])[0], PV_ERR_INVALID_THREAD | PV_ERR_RECEIVE_PHASE);
    assert_eq!(w.call(w.root, 200, &[])[0], PV_ERR_INVALID_SYSCALL);
    assert_eq!(w.call(w.root, PV_SYS_EXCHANGE_REGISTERS, &[peer_id, 1 << 20])[0], PV_ERR_INVALID_ARGUMENT);
    assert_eq!(w.call(w.root, PV_SYS_THREAD_CONTROL, &[PV_THREAD_CREATE, 999, 1, 0])[0], PV_ERR_INVALID_SPACE);
    assert_eq!(w.call(w.root, PV_SYS_THREAD_CONTROL, &[PV_THREAD_CREATE, 1, 256, 0])[0], PV_ERR_INVALID_ARGUMENT);
    assert_eq!(w.call(w.root, PV_SYS_SET_PRIORITY, &[peer_id, 300])[0], PV_ERR_INVALID_ARGUMENT);
    assert_eq!(w.call(w.root, PV_SYS_INTERRUPT_CONTROL, &[30, peer_id])[0], PV_ERR_INVALID_ARGUMENT);
    assert_eq!(w.call(w.root, PV_SYS_INTERRUPT_CONTROL, &[128, peer_id])[0], PV_ERR_INVALID_ARGUMENT);
    assert_eq!(w.call(w.root, PV_SYS_INTERRUPT_CONTROL, &[40, 0x3D])[0], PV_ERR_INVALID_THREAD);
}

#[test]
fn map_checks_every_argument() {
    let mut w = world();
    let space = w.new_space() as u32;
    let ok = [space, 0x0100_0000, 0x4200_0000, PV_SECTION_SIZE, PV_MAP_READ | PV_MAP_WRITE];
    assert_eq!(w.call(w.root, PV_SYS_MAP, &ok)[0], PV_OK);
    assert_eq!(w.call(w.root, PV_SYS_MAP, &ok)[0], PV_ERR_ALREADY_MAPPED);
    let cases: [([u32; 5], u32); 9] = [
        ([space, 0x0100_0001, 0x4200_0000, PV_SECTION_SIZE, PV_MAP_READ], PV_ERR_INVALID_ARGUMENT),
        ([space, 0x0200_0000, 0x4200_0000, 0, PV_MAP_READ], PV_ERR_INVALID_ARGUMENT),
        ([space, 0x0000_0000, 0x4200_0000, PV_SECTION_SIZE, PV_MAP_READ], PV_ERR_BAD_ADDRESS),
        ([space, PV_UTCB_AREA, 0x4200_0000, PV_SECTION_SIZE, PV_MAP_READ], PV_ERR_BAD_ADDRESS),
        ([space, 0x0200_0000, 0x4000_0000, PV_SECTION_SIZE, PV_MAP_READ], PV_ERR_BAD_ADDRESS),
        ([space, 0x0200_0000, 0x4800_0000, PV_SECTION_SIZE, PV_MAP_READ], PV_ERR_BAD_ADDRESS),
        ([space, 0x0200_0000, 0x4200_0000, PV_SECTION_SIZE, 0], PV_ERR_INVALID_ARGUMENT),
        ([space, 0x0200_0000, 0x0900_0000, PV_PAGE_SIZE, PV_MAP_READ], PV_ERR_INVALID_ARGUMENT),
        ([99, 0x0200_0000, 0x4200_0000, PV_SECTION_SIZE, PV_MAP_READ], PV_ERR_INVALID_SPACE),
    ];
    for (arguments, expected) in cases {
        assert_eq!(w.call(w.root, PV_SYS_MAP, &arguments)[0], expected, "map {arguments:x?}");
    }
    let device = [space, 0x0200_0000, 0x0900_0000, PV_PAGE_SIZE, PV_MAP_READ | PV_MAP_WRITE | PV_MAP_DEVICE];
    assert_eq!(w.call(w.root, PV_SYS_MAP, &device)[0], PV_OK);
    assert_eq!(w.call(w.root, PV_SYS_UNMAP, &[space, 0x0300_0000, PV_SECTION_SIZE])[0], PV_ERR_NOT_MAPPED);
    assert_eq!(w.call(w.root, PV_SYS_UNMAP, &[space, 0x0100_0000, PV_SECTION_SIZE])[0], PV_OK);
}

#[test]
fn devices_are_granted_page_by_page_and_dma_to_nobody() {
    let mut w = world();
    let space = w.new_space() as u32;
    let device = PV_MAP_READ | PV_MAP_WRITE | PV_MAP_DEVICE;
    let cases: [([u32; 5], u32, &str); 6] = [
        ([space, 0x0200_0000, 0x0900_0000, PV_SECTION_SIZE, device], PV_ERR_BAD_ADDRESS, "the UART's whole section"),
        ([space, 0x0200_0000, 0x0900_1000, PV_PAGE_SIZE, device], PV_ERR_BAD_ADDRESS, "a page nobody lists"),
        ([space, 0x0200_0000, 0x0902_0000, PV_PAGE_SIZE, device], PV_ERR_NO_PRIVILEGE, "fw_cfg: DMA-capable"),
        ([space, 0x0200_0000, 0x0901_0000, 2 * PV_PAGE_SIZE, device], PV_ERR_BAD_ADDRESS, "the RTC and the next page"),
        ([space, 0x0200_0800, 0x0900_0000, PV_PAGE_SIZE, device], PV_ERR_INVALID_ARGUMENT, "half a page"),
        ([space, 0x0200_0000, 0x0900_0000, PV_PAGE_SIZE, PV_MAP_READ], PV_ERR_INVALID_ARGUMENT, "as RAM"),
    ];
    for (arguments, expected, what) in cases {
        assert_eq!(w.call(w.root, PV_SYS_MAP, &arguments)[0], expected, "{what}");
    }
    assert_eq!(w.call(w.root, PV_SYS_MAP, &[space, 0x0200_0000, 0x0900_0000, PV_PAGE_SIZE, device])[0], PV_OK);
    assert_eq!(w.call(w.root, PV_SYS_MAP, &[space, 0x0200_1000, 0x0901_0000, PV_PAGE_SIZE, device])[0], PV_OK);
    let table = w.kernel.table(space as usize);
    let uart = table.translate(w.kernel.tables.pool(), 0x0200_0018).unwrap();
    assert_eq!((uart.physical, uart.kind), (0x0900_0018, MemoryKind::Device));
    assert!(uart.user_write && !uart.user_execute);
    assert_eq!(table.translate(w.kernel.tables.pool(), 0x0200_2000), None, "nothing beyond the two pages");
    assert_eq!(w.call(w.root, PV_SYS_UNMAP, &[space, 0x0200_0000, 2 * PV_PAGE_SIZE])[0], PV_OK);
    assert_eq!(w.kernel.free_l2_tables(), crate::memory::page_table::L2_POOL_TABLES, "the table went back");
}

#[test]
fn a_mapping_that_needs_a_table_when_none_is_left_is_refused() {
    let mut w = world();
    let space = w.new_space() as u32;
    let data = PV_MAP_READ | PV_MAP_WRITE;
    let tables = w.kernel.free_l2_tables() as u32;
    for section in 0..tables {
        let address = 0x0100_0000 + section * PV_SECTION_SIZE;
        assert_eq!(w.call(w.root, PV_SYS_MAP, &[space, address, 0x4200_0000, PV_PAGE_SIZE, data])[0], PV_OK);
    }
    let one_more = [space, 0x1000_0000, 0x4200_0000, PV_PAGE_SIZE, data];
    assert_eq!(w.call(w.root, PV_SYS_MAP, &one_more)[0], PV_ERR_NO_RESOURCES);
    let section = [space, 0x1000_0000, 0x4200_0000, PV_SECTION_SIZE, data];
    assert_eq!(w.call(w.root, PV_SYS_MAP, &section)[0], PV_OK, "a whole section needs no table");
    // Deleting the space gives every table back.
    assert_eq!(w.call(w.root, PV_SYS_SPACE_CONTROL, &[PV_SPACE_DELETE, space])[0], PV_OK);
    assert_eq!(w.kernel.free_l2_tables(), tables as usize);
}

#[test]
fn executable_mappings_are_made_visible_to_instruction_fetch() {
    let mut w = world();
    let space = w.new_space() as u32;
    let code = [space, 0x0010_0000, 0x4200_0000, 3 * PV_PAGE_SIZE, PV_MAP_READ | PV_MAP_EXECUTE];
    assert_eq!(w.call(w.root, PV_SYS_MAP, &code)[0], PV_OK);
    let data = [space, 0x0010_3000, 0x4200_3000, PV_PAGE_SIZE, PV_MAP_READ | PV_MAP_WRITE];
    assert_eq!(w.call(w.root, PV_SYS_MAP, &data)[0], PV_OK);
    assert_eq!(w.machine.instruction_syncs, [(0x4200_0000, 0x3000)], "code only, exactly its range");
    let table = w.kernel.table(space as usize);
    let code = table.translate(w.kernel.tables.pool(), 0x0010_0000).unwrap();
    assert!(code.user_execute && !code.user_write);
    let data = table.translate(w.kernel.tables.pool(), 0x0010_3000).unwrap();
    assert!(data.user_write && !data.user_execute);
}

#[test]
fn timeouts_and_the_system_clock_are_exact_without_a_64_bit_division() {
    for frequency in [1_000u64, 62_500_000, 24_000_000, 19_200_000, 1_000_999, 4_294_967_295] {
        let mut kernel = Kernel::empty();
        kernel.set_counter_frequency(frequency);
        for ms in [0u32, 1, 5, 999, 1_000, 1_001, 65_535, 123_456_789, u32::MAX] {
            assert_eq!(kernel.counts_in_ms(ms), u64::from(ms) * frequency / 1000, "{ms} ms at {frequency} Hz");
        }
        for now in [0u64, 1, 62_499, 62_500, 1 << 40, (1 << 54) - 1, u64::MAX / 1000] {
            assert_eq!(kernel.system_clock_us(now), now * 1000 / (frequency / 1000), "{now} at {frequency} Hz");
        }
    }
}

#[test]
fn timeouts_zero_finite_never() {
    let mut w = world();
    let peer = w.spawn(w.root_space, 50, 0);
    let peer_id = w.id(peer);
    // Send with zero timeout to a thread that is not receiving.
    assert_eq!(w.ipc(w.root, peer_id, PV_NIL_THREAD, pv_timeouts(0, 0), 0, &[])[0], PV_ERR_TIMEOUT);
    // Receive with zero timeout and nobody sending.
    assert_eq!(w.ipc(w.root, PV_NIL_THREAD, PV_ANY_THREAD, 0, 0, &[])[0], PV_ERR_TIMEOUT | PV_ERR_RECEIVE_PHASE);
    // Finite: 5 ms.
    w.ipc(w.root, PV_NIL_THREAD, PV_ANY_THREAD, pv_timeouts(0, 5), 0, &[]);
    assert!(matches!(w.kernel.thread(w.root).state(), State::Receiving { .. }));
    w.machine.now = 4_000;
    w.kernel.tick(&mut w.machine);
    assert!(matches!(w.kernel.thread(w.root).state(), State::Receiving { .. }));
    w.machine.now = 5_000;
    w.kernel.tick(&mut w.machine);
    assert_eq!(w.kernel.thread(w.root).state(), State::Ready);
    assert_eq!(w.kernel.thread(w.root).context.r[0], PV_ERR_TIMEOUT | PV_ERR_RECEIVE_PHASE);
    // Never: still blocked much later.
    w.ipc(w.root, PV_NIL_THREAD, PV_ANY_THREAD, pv_timeouts(0, NEVER), 0, &[]);
    w.machine.now = 10_000_000_000;
    w.kernel.tick(&mut w.machine);
    assert!(matches!(w.kernel.thread(w.root).state(), State::Receiving { .. }));
}

#[test]
fn deleting_a_partner_wakes_the_blocked_thread() {
    let mut w = world();
    let a = w.spawn(w.root_space, 100, 0);
    let b = w.spawn(w.root_space, 100, 0);
    let b_id = w.id(b);
    w.ipc(a, b_id, b_id, pv_timeouts(NEVER, NEVER), 0, &[]);
    assert_eq!(w.kernel.thread(a).state(), State::Sending { to: b_id });
    assert_eq!(w.call(w.root, PV_SYS_THREAD_CONTROL, &[PV_THREAD_DELETE, b_id])[0], PV_OK);
    assert_eq!(w.kernel.thread(a).context.r[0], PV_ERR_PARTNER_DELETED);
    assert_eq!(w.kernel.thread(a).state(), State::Ready);
    assert_eq!(w.ipc(w.root, b_id, PV_NIL_THREAD, 0, 0, &[])[0], PV_ERR_INVALID_THREAD);
}

#[test]
fn only_the_root_space_is_privileged() {
    let mut w = world();
    let space = w.new_space();
    let other = w.spawn(space, 100, 0);
    assert_eq!(w.call(other, PV_SYS_THREAD_CONTROL, &[PV_THREAD_CREATE, space as u32, 1, 0])[0], PV_ERR_NO_PRIVILEGE);
    assert_eq!(w.call(other, PV_SYS_SPACE_CONTROL, &[PV_SPACE_CREATE])[0], PV_ERR_NO_PRIVILEGE);
    assert_eq!(
        w.call(other, PV_SYS_MAP, &[space as u32, 0x0100_0000, 0x4200_0000, PV_SECTION_SIZE, 1])[0],
        PV_ERR_NO_PRIVILEGE
    );
    assert_eq!(w.call(other, PV_SYS_SHUTDOWN, &[0])[0], PV_ERR_NO_PRIVILEGE);
    let root_id = w.id(w.root);
    // Another space's thread is no thread at all to it.
    assert_eq!(w.call(other, PV_SYS_EXCHANGE_REGISTERS, &[root_id, PV_EXREG_HALT])[0], PV_ERR_INVALID_THREAD);
    assert_eq!(w.call(w.root, PV_SYS_SHUTDOWN, &[3])[0], PV_OK);
    assert_eq!(w.kernel.shutdown_requested(), Some(3));
}

#[test]
fn interrupts_become_ipc_and_stay_masked_until_acknowledged() {
    let mut w = world();
    let handler = w.spawn(w.root_space, 200, 0);
    let handler_id = w.id(handler);
    assert_eq!(w.call(w.root, PV_SYS_INTERRUPT_CONTROL, &[27, handler_id])[0], PV_OK);
    assert_eq!(w.machine.enabled.get(&27), Some(&true));
    let other = w.spawn(w.root_space, 10, 0);
    assert_eq!(w.call(w.root, PV_SYS_INTERRUPT_CONTROL, &[27, w.id(other)])[0], PV_ERR_BUSY);
    // Interrupt while the handler is not waiting: pending, line masked.
    w.interrupt(27);
    assert_eq!(w.machine.enabled.get(&27), Some(&false));
    let r = w.ipc(handler, PV_NIL_THREAD, PV_ANY_THREAD, pv_timeouts(0, NEVER), 0, &[]);
    assert_eq!((r[0], r[1], r[3], r[4]), (PV_OK, pv_irq_thread(27), pv_tag(PV_LABEL_INTERRUPT, 1), 27));
    // Acknowledge and wait: unmasked, then the next interrupt is delivered at once.
    w.ipc(handler, pv_irq_thread(27), PV_ANY_THREAD, pv_timeouts(0, NEVER), 0, &[]);
    assert_eq!(w.machine.enabled.get(&27), Some(&true));
    assert!(matches!(w.kernel.thread(handler).state(), State::Receiving { .. }));
    w.interrupt(27);
    assert_eq!(w.kernel.thread(handler).state(), State::Ready);
    assert_eq!(w.kernel.schedule(), Some(handler), "the higher-priority handler preempts");
    // Someone else cannot acknowledge it.
    assert_eq!(w.ipc(other, pv_irq_thread(27), PV_NIL_THREAD, 0, 0, &[])[0], PV_ERR_INVALID_THREAD);
}

#[test]
fn exchange_registers_halts_redirects_and_aborts() {
    let mut w = world();
    let peer = w.spawn(w.root_space, 100, 0);
    let id = w.id(peer);
    let r = w.call(w.root, PV_SYS_EXCHANGE_REGISTERS, &[id, PV_EXREG_HALT]);
    assert_eq!((r[0], r[1], r[2]), (PV_OK, 0x1000, 0x0010_0000));
    assert!(w.kernel.thread(peer).is_halted());
    let r = w.call(
        w.root,
        PV_SYS_EXCHANGE_REGISTERS,
        &[
            id,
            PV_EXREG_SET_IP | PV_EXREG_SET_SP | PV_EXREG_SET_FLAGS | PV_EXREG_RESUME,
            0x2000,
            0x0010_0101,
            0xF000_001F,
        ],
    );
    assert_eq!(r[4], PV_STATE_HALTED);
    let context = w.kernel.thread(peer).context;
    assert_eq!((context.sp, context.pc), (0x2000, 0x0010_0100));
    assert_eq!(
        context.cpsr,
        0xF000_0000 | CPSR_THUMB | CPSR_USER_MODE,
        "flags set, Thumb from IP, mode forced to user, A/I/F ignored"
    );
    assert!(!w.kernel.thread(peer).is_halted());
    // Abort a blocked receive.
    w.ipc(peer, PV_NIL_THREAD, PV_ANY_THREAD, pv_timeouts(0, NEVER), 0, &[]);
    let r = w.call(w.root, PV_SYS_EXCHANGE_REGISTERS, &[id, PV_EXREG_ABORT_IPC]);
    assert_eq!(r[4], PV_STATE_RECEIVING);
    assert_eq!(w.kernel.thread(peer).context.r[0], PV_ERR_ABORTED | PV_ERR_RECEIVE_PHASE);
    assert_eq!(w.kernel.thread(peer).state(), State::Ready);
}

/// ExchangeRegisters on `thread` from the root: returns (result, old flags).
fn exregs_flags(w: &mut World, thread: usize, control: u32, ip: u32, flags: u32) -> (u32, u32) {
    let id = w.id(thread);
    let r = w.call(w.root, PV_SYS_EXCHANGE_REGISTERS, &[id, control, 0, ip, flags]);
    (r[0], r[3])
}

#[test]
fn exchange_registers_reports_and_writes_every_user_visible_cpsr_bit() {
    let mut w = world();
    let peer = w.spawn(w.root_space, 100, 0);
    // The thread was interrupted in a Thumb IT block with big-endian data: the
    // trap saved the whole user CPSR, and every user-visible bit is reported.
    let interrupted = 0xFE0F_FE20 | CPSR_USER_MODE;
    w.kernel.threads[peer].context.cpsr = interrupted;
    assert_eq!(PV_USER_FLAGS_MASK, 0xFE0F_FE20);
    assert_eq!(exregs_flags(&mut w, peer, 0, 0, 0), (PV_OK, 0xFE0F_FE20));
    // Reading changes nothing.
    assert_eq!(w.kernel.thread(peer).context.cpsr, interrupted);

    // SET_FLAGS writes N Z C V Q, IT, GE and E; never T, the mode, A/I/F or J.
    w.kernel.threads[peer].context.cpsr = CPSR_USER_MODE | CPSR_THUMB;
    assert_eq!(exregs_flags(&mut w, peer, PV_EXREG_SET_FLAGS, 0, 0xFFFF_FFFF).0, PV_OK);
    assert_eq!(w.kernel.thread(peer).context.cpsr, 0xFE0F_FE20 | CPSR_USER_MODE);
    assert_eq!(exregs_flags(&mut w, peer, PV_EXREG_SET_FLAGS, 0, 0x01F0_01DF).0, PV_OK);
    assert_eq!(
        w.kernel.thread(peer).context.cpsr,
        CPSR_USER_MODE | CPSR_THUMB,
        "J, reserved bits, A/I/F and the mode are not writable; T stays"
    );
    // Only bit 0 of the IP selects Thumb, whatever the flags say.
    w.kernel.threads[peer].context.cpsr = CPSR_USER_MODE;
    assert_eq!(exregs_flags(&mut w, peer, PV_EXREG_SET_FLAGS, 0, CPSR_THUMB | PV_FLAGS_BIG_ENDIAN).0, PV_OK);
    assert_eq!(w.kernel.thread(peer).context.cpsr, CPSR_USER_MODE | PV_FLAGS_BIG_ENDIAN);

    // IP and flags together: the IT state given with the flags is kept in Thumb state...
    let control = PV_EXREG_SET_IP | PV_EXREG_SET_FLAGS;
    assert_eq!(exregs_flags(&mut w, peer, control, 0x0010_0201, 0x4000_0800).0, PV_OK);
    assert_eq!(w.kernel.thread(peer).context.cpsr, 0x4000_0800 | CPSR_THUMB | CPSR_USER_MODE);
    assert_eq!(w.kernel.thread(peer).context.pc, 0x0010_0200);
    // ...and dropped in ARM state, where it must be zero.
    assert_eq!(exregs_flags(&mut w, peer, control, 0x0010_0200, 0x4600_FE00).0, PV_OK);
    assert_eq!(w.kernel.thread(peer).context.cpsr, 0x4000_0200 | CPSR_USER_MODE);
    // A new IP alone starts outside any IT block; the other flags stay.
    w.kernel.threads[peer].context.cpsr = 0x2200_0C20 | PV_FLAGS_BIG_ENDIAN | CPSR_USER_MODE;
    assert_eq!(exregs_flags(&mut w, peer, PV_EXREG_SET_IP, 0x0010_0301, 0).0, PV_OK);
    assert_eq!(w.kernel.thread(peer).context.cpsr, 0x2000_0220 | CPSR_USER_MODE);
}

#[test]
fn user_cpsr_keeps_only_what_user_mode_may_set() {
    assert_eq!(user_cpsr(0xFFFF_FFFF), 0xFE0F_FE30);
    assert_eq!(user_cpsr(0xFFFF_FFDF), 0xF80F_0210, "no IT state in ARM state");
    assert_eq!(user_cpsr(0x0000_01D3), CPSR_USER_MODE, "SVC mode, A/I/F: never");
    assert_eq!(user_cpsr(0x0100_0000), CPSR_USER_MODE, "J: never");
}

#[test]
fn faults_go_to_the_handler_or_halt_the_thread() {
    let mut w = world();
    let handler = w.spawn(w.root_space, 150, 0);
    let handler_id = w.id(handler);
    let faulty = w.spawn(w.root_space, 100, handler_id);
    w.ipc(handler, PV_NIL_THREAD, PV_ANY_THREAD, pv_timeouts(0, NEVER), 0, &[]);
    w.kernel.current = faulty;
    w.kernel.threads[faulty].context.pc = 0x0010_0040;
    w.kernel.user_fault(PV_FAULT_DATA_ABORT, 0x4000_0000, 0x805, &mut w.machine);
    let r = w.kernel.thread(handler).context.r;
    assert_eq!((r[1], r[3]), (w.id(faulty), pv_tag(PV_LABEL_EXCEPTION, 5)));
    assert_eq!(&r[4..9], &[PV_FAULT_DATA_ABORT, 0x4000_0000, 0x0010_0040, 0x805, 0x1000]);
    assert!(matches!(w.kernel.thread(faulty).state(), State::Receiving { .. }));
    // The handler's reply resumes the thread elsewhere.
    let faulty_id = w.id(faulty);
    w.ipc(handler, faulty_id, PV_NIL_THREAD, pv_timeouts(0, 0), pv_tag(0, 1), &[0x0010_0080]);
    assert_eq!(w.kernel.thread(faulty).state(), State::Ready);
    assert_eq!(w.kernel.thread(faulty).context.pc, 0x0010_0080);
    // Without a handler: logged and halted; the kernel carries on.
    let lonely = w.spawn(w.root_space, 100, 0);
    w.kernel.current = lonely;
    w.kernel.user_fault(PV_FAULT_UNDEFINED, 0, 0, &mut w.machine);
    assert!(w.kernel.thread(lonely).is_halted());
    assert!(String::from_utf8_lossy(&w.machine.console).contains("undefined instruction"));
    assert_eq!(w.kernel.faults_reported(), 1);
}

#[test]
fn debug_write_checks_the_buffer() {
    let mut w = world();
    let image = ROOT_IMAGE_PHYSICAL;
    w.machine.poke(image, u32::from_le_bytes(*b"hi!\n"));
    assert_eq!(w.call(w.root, PV_SYS_DEBUG_WRITE, &[0x0010_0000, 4])[0], PV_OK);
    assert_eq!(w.machine.console, b"hi!\n");
    assert_eq!(w.call(w.root, PV_SYS_DEBUG_WRITE, &[0x0010_0000, 0])[0], PV_OK);
    assert_eq!(w.call(w.root, PV_SYS_DEBUG_WRITE, &[0x0010_0000, 257])[0], PV_ERR_TOO_LONG);
    assert_eq!(w.call(w.root, PV_SYS_DEBUG_WRITE, &[0, 4])[0], PV_ERR_BAD_ADDRESS);
    assert_eq!(w.call(w.root, PV_SYS_DEBUG_WRITE, &[0x4000_0000, 4])[0], PV_ERR_BAD_ADDRESS);
    assert_eq!(w.call(w.root, PV_SYS_DEBUG_WRITE, &[0x001F_FFFE, 4])[0], PV_ERR_BAD_ADDRESS);
    assert_eq!(w.call(w.root, PV_SYS_DEBUG_WRITE, &[0xFFFF_FFFE, 4])[0], PV_ERR_BAD_ADDRESS);
    // A device the caller may touch itself is still never read on its behalf.
    let device = [w.root_space as u32, 0x0300_0000, 0x0900_0000, PV_PAGE_SIZE, PV_MAP_READ | PV_MAP_DEVICE];
    assert_eq!(w.call(w.root, PV_SYS_MAP, &device)[0], PV_OK);
    assert_eq!(w.call(w.root, PV_SYS_DEBUG_WRITE, &[0x0300_0000, 4])[0], PV_ERR_BAD_ADDRESS);
    assert_eq!(w.machine.console, b"hi!\n", "nothing more was written");
}

/// Writes `words` at the physical address behind the root image's `virtual_address`.
fn write_root_words(w: &mut World, virtual_address: u32, words: &[u32]) {
    for (index, &word) in words.iter().enumerate() {
        let physical = ROOT_IMAGE_PHYSICAL + (virtual_address as usize - 0x0010_0000) + index * 4;
        w.machine.poke(physical, word);
    }
}

/// A context frame: r0..r12 = 0x100 + n, lr, cpsr, pc.
fn frame(cpsr: u32, pc: u32) -> [u32; 16] {
    let mut words: [u32; 16] = std::array::from_fn(|n| 0x100 + n as u32);
    words[13] = 0x0010_0451;
    words[14] = cpsr;
    words[15] = pc;
    words
}

#[test]
fn context_resume_restores_every_register_and_flag() {
    let mut w = world();
    let address = 0x0010_0F00;
    // Thumb, in an IT block, big-endian data; mode, A/I/F and J bits in the frame are ignored.
    write_root_words(&mut w, address, &frame(0xFFFF_FFFF, 0x0010_0203));
    let r = w.call(w.root, PV_SYS_CONTEXT_RESUME, &[address, 7, 7, 7]);
    assert_eq!(&r[..], &frame(0, 0)[..13], "r0..r12 from the frame, no result code");
    let context = w.kernel.thread(w.root).context;
    assert_eq!((context.lr, context.sp, context.pc), (0x0010_0451, address + 64, 0x0010_0202));
    assert_eq!(context.cpsr, 0xFE0F_FE20 | CPSR_USER_MODE, "every user-visible bit, IT and E included; mode USR");

    // ARM: the T bit of the frame's cpsr is ignored, and so is IT state there.
    write_root_words(&mut w, address, &frame(0x5600_FE20 | 0x1D3, 0x0010_0300));
    w.call(w.root, PV_SYS_CONTEXT_RESUME, &[address]);
    let context = w.kernel.thread(w.root).context;
    assert_eq!(context.pc, 0x0010_0300);
    assert_eq!(context.cpsr, 0x5000_0200 | CPSR_USER_MODE, "flags and E kept; T, IT, A/I/F, SVC mode dropped");

    // Any thread may resume itself, in its own space only: the same address in
    // another space holds nothing, and the frame may end exactly at a section end.
    let space = w.new_space();
    let other = w.spawn(space, 100, 0);
    assert_eq!(w.call(other, PV_SYS_CONTEXT_RESUME, &[address])[0], PV_ERR_BAD_ADDRESS);
    let last = 0x0020_0000 - 64;
    write_root_words(&mut w, last, &frame(0x2000_0000, 0x0010_0401));
    let r = w.call(w.root, PV_SYS_CONTEXT_RESUME, &[last]);
    assert_eq!(r[0], 0x100);
    assert_eq!(w.kernel.thread(w.root).context.sp, 0x0020_0000);
}

#[test]
fn context_resume_refuses_bad_frames_and_changes_nothing() {
    let mut w = world();
    let device = [w.root_space as u32, 0x0300_0000, 0x0900_0000, PV_PAGE_SIZE, PV_MAP_READ | PV_MAP_DEVICE];
    assert_eq!(w.call(w.root, PV_SYS_MAP, &device)[0], PV_OK);
    let bad = [
        (0x0010_0F02, "unaligned"),
        (0x0050_0000, "unmapped"),
        (0x0020_0000 - 32, "runs into an unmapped section"),
        (0x4000_0000, "kernel memory"),
        (PV_USER_TOP - 32, "crosses the top of user space"),
        (0xFFFF_FFF0, "wraps around"),
        (0x0300_0000, "device memory the caller may read itself"),
    ];
    for (address, what) in bad {
        w.kernel.threads[w.root].context.sp = 0x1234;
        w.kernel.threads[w.root].context.lr = 0x5678;
        w.kernel.threads[w.root].context.pc = 0x0010_0020;
        w.kernel.threads[w.root].context.cpsr = CPSR_USER_MODE | PV_FLAGS_BIG_ENDIAN;
        let arguments: Vec<u32> = (0..12).map(|n| if n == 0 { address } else { 0xA0 + n }).collect();
        let r = w.call(w.root, PV_SYS_CONTEXT_RESUME, &arguments);
        assert_eq!(r[0], PV_ERR_BAD_ADDRESS, "{what}");
        assert_eq!(&r[1..12], &arguments[1..12], "{what}: other registers unchanged");
        assert_eq!(r[12], PV_SYS_CONTEXT_RESUME);
        let context = w.kernel.thread(w.root).context;
        assert_eq!(
            (context.sp, context.lr, context.pc, context.cpsr),
            (0x1234, 0x5678, 0x0010_0020, CPSR_USER_MODE | PV_FLAGS_BIG_ENDIAN),
            "{what}: the thread continues after its svc"
        );
        assert_eq!(w.kernel.thread(w.root).state(), State::Ready);
    }
}

#[test]
fn every_thread_has_its_own_user_rw_thread_register() {
    let mut w = world();
    let space = w.new_space();
    let (a, b) = (w.root, w.spawn(space, 100, 0));
    // Whatever the CPU held before is nobody's: the first thread starts with 0.
    w.machine.tpidrurw = 0xDEAD;
    w.kernel.prepare_to_run(a, &mut w.machine);
    assert_eq!(w.machine.tpidrurw, 0);
    w.machine.tpidrurw = 0xA; // a writes it in user mode
    let accesses = w.machine.tpidrurw_accesses;
    w.kernel.prepare_to_run(a, &mut w.machine);
    assert_eq!((w.machine.tpidrurw, w.machine.tpidrurw_accesses), (0xA, accesses), "same thread: untouched");
    w.kernel.prepare_to_run(b, &mut w.machine);
    assert_eq!(w.machine.tpidrurw, 0, "a's value does not reach another space");
    w.machine.tpidrurw = 0xB;
    w.kernel.prepare_to_run(a, &mut w.machine);
    assert_eq!(w.machine.tpidrurw, 0xA, "a gets its own back");
    w.kernel.prepare_to_run(b, &mut w.machine);
    assert_eq!(w.machine.tpidrurw, 0xB);
    w.machine.tpidrurw = 0xB2;
    // b is deleted while its value is in the CPU; a new thread takes its slot.
    let b_id = w.id(b);
    assert_eq!(w.call(a, PV_SYS_THREAD_CONTROL, &[PV_THREAD_DELETE, b_id])[0], PV_OK);
    let c = w.spawn(space, 100, 0);
    assert_eq!(c, b, "the slot is reused");
    w.kernel.prepare_to_run(c, &mut w.machine);
    assert_eq!(w.machine.tpidrurw, 0, "a reused slot starts with 0, not the deleted thread's value");
    assert_eq!(w.kernel.thread(c).user_rw_thread_register, 0, "and nothing was saved into it");
    w.kernel.prepare_to_run(a, &mut w.machine);
    assert_eq!(w.machine.tpidrurw, 0xA);
}

impl World {
    /// Runs `thread` (as the exit path would) and lets it execute an undefined
    /// instruction at ARM address `pc` (the trap entry saves pc + 4 - 4 = pc).
    fn undefined_at(&mut self, thread: usize, pc: u32) {
        self.kernel.current = thread;
        self.kernel.prepare_to_run(thread, &mut self.machine);
        self.kernel.threads[thread].context.pc = pc;
        self.kernel.undefined_instruction(&mut self.machine);
    }
}

#[test]
fn the_fpu_follows_its_users_lazily() {
    let mut w = world();
    w.kernel.set_fpu_available(true);
    let space = w.new_space();
    let (a, b) = (w.root, w.spawn(space, 100, 0));
    w.kernel.prepare_to_run(a, &mut w.machine);
    assert!(!w.machine.fpu_on, "nobody owns the FPU: it is off");
    // a's first FPU instruction: the FPU is handed over with zeros, and the
    // instruction runs again (same pc, no fault).
    w.machine.fpu_registers = 0xDEAD;
    w.undefined_at(a, 0x0010_0040);
    assert_eq!(w.machine.fpu_switches, [(None, None)]);
    assert_eq!((w.machine.fpu_on, w.machine.fpu_registers), (true, 0), "nothing left over reaches a");
    assert_eq!(w.kernel.thread(a).context.pc, 0x0010_0040, "retried, not skipped");
    assert_eq!(w.kernel.faults_reported(), 0);
    w.machine.fpu_registers = 0xA;
    // Switching to b turns it off; switching back to a turns it on again without a trap.
    w.kernel.prepare_to_run(b, &mut w.machine);
    assert!(!w.machine.fpu_on);
    w.kernel.prepare_to_run(a, &mut w.machine);
    assert!(w.machine.fpu_on);
    // b's first FPU instruction saves a's registers and gives b zeros.
    w.undefined_at(b, 0x0010_0080);
    assert_eq!(w.machine.fpu_switches.last(), Some(&(Some(a), None)));
    assert_eq!(w.machine.fpu_registers, 0);
    w.machine.fpu_registers = 0xB;
    // a uses it again: b's are saved, a's come back.
    w.undefined_at(a, 0x0010_0044);
    assert_eq!(w.machine.fpu_switches.last(), Some(&(Some(b), Some(a))));
    assert_eq!(w.machine.fpu_registers, 0xA);
    w.undefined_at(b, 0x0010_0084);
    assert_eq!((w.machine.fpu_registers, w.machine.fpu_areas[&a]), (0xB, 0xA));
    assert_eq!(w.kernel.faults_reported(), 0);
    assert_eq!(w.machine.fpu_switches.len(), 4, "one switch per change of user, none in between");
}

#[test]
fn an_undefined_instruction_with_the_fpu_on_is_a_fault() {
    let mut w = world();
    w.kernel.set_fpu_available(true);
    let a = w.spawn(w.root_space, 100, 0);
    w.undefined_at(a, 0x0010_0040);
    assert!(w.machine.fpu_on);
    // Same thread, FPU on: a real undefined instruction, reported at its address.
    w.undefined_at(a, 0x0010_0048);
    assert_eq!(w.kernel.faults_reported(), 1);
    assert!(w.kernel.thread(a).is_halted());
    assert!(String::from_utf8_lossy(&w.machine.console).contains("undefined instruction at address 0x00100048"));
    assert_eq!(w.machine.fpu_switches.len(), 1);
    // Thumb: the saved pc is 2 short of the instruction; retry and report use the right one.
    let t = w.spawn(w.root_space, 100, 0);
    w.kernel.threads[t].context.cpsr |= CPSR_THUMB;
    w.undefined_at(t, 0x0010_0100 - 2);
    assert_eq!(w.kernel.thread(t).context.pc, 0x0010_0100, "the Thumb FPU instruction runs again");
    w.undefined_at(t, 0x0010_0200 - 2);
    assert!(String::from_utf8_lossy(&w.machine.console).contains("pc 0x00100200"));
    // Without a usable FPU every undefined instruction is a fault.
    let mut w = world();
    let c = w.spawn(w.root_space, 100, 0);
    w.undefined_at(c, 0x0010_0040);
    assert_eq!((w.kernel.faults_reported(), w.machine.fpu_switches.len()), (1, 0));
}

#[test]
fn a_deleted_owner_loses_the_fpu_and_its_slot_starts_clean() {
    let mut w = world();
    w.kernel.set_fpu_available(true);
    let space = w.new_space();
    let (a, b) = (w.root, w.spawn(space, 100, 0));
    w.undefined_at(b, 0x0010_0040);
    w.machine.fpu_registers = 0xB;
    w.undefined_at(a, 0x0010_0040);
    w.machine.fpu_registers = 0xA;
    w.undefined_at(b, 0x0010_0044);
    assert_eq!(w.machine.fpu_registers, 0xB, "b's registers came back");
    // b owns the FPU and has a save area; it is deleted, a new thread takes its slot.
    let b_id = w.id(b);
    assert_eq!(w.call(a, PV_SYS_THREAD_CONTROL, &[PV_THREAD_DELETE, b_id])[0], PV_OK);
    let c = w.spawn(space, 100, 0);
    assert_eq!(c, b, "the slot is reused");
    w.kernel.prepare_to_run(c, &mut w.machine);
    assert!(!w.machine.fpu_on, "c does not inherit b's ownership");
    w.undefined_at(c, 0x0010_0040);
    assert_eq!(w.machine.fpu_switches.last(), Some(&(None, None)), "b's registers are neither saved nor loaded");
    assert_eq!(w.machine.fpu_registers, 0);
    w.undefined_at(a, 0x0010_0048);
    assert_eq!(w.machine.fpu_registers, 0xA, "a still gets its own");
}

#[test]
fn preemption_and_round_robin() {
    let mut w = world();
    let low = w.spawn(w.root_space, 100, 0);
    assert_eq!(w.kernel.schedule(), Some(w.root), "equal priority: root keeps running");
    for _ in 0..TIMESLICE_TICKS {
        w.kernel.tick(&mut w.machine);
    }
    assert_eq!(w.kernel.schedule(), Some(low), "timeslice over: round robin");
    let high = w.spawn(w.root_space, 200, 0);
    assert_eq!(w.kernel.schedule(), Some(high), "a higher priority preempts at once");
    let r = w.call(high, PV_SYS_THREAD_SWITCH, &[0]);
    assert_eq!(r[0], PV_OK);
    assert_eq!(w.kernel.current(), high, "yield with no peer keeps running");
}

/// A xorshift32 generator from `seed` (not 0): the tests' repeatable randomness.
fn xorshift(mut seed: u32) -> impl FnMut() -> u32 {
    move || {
        seed ^= seed << 13;
        seed ^= seed >> 17;
        seed ^= seed << 5;
        seed
    }
}

#[test]
fn random_system_calls_never_break_the_kernel() {
    let mut w = world();
    let mut next = xorshift(0x1234_5678u32);
    let space = w.new_space();
    let victim = w.spawn(space, 100, 0);
    for _ in 0..20_000 {
        let number = next() % 20;
        let mut registers = [0u32; 12];
        for register in registers.iter_mut() {
            *register = match next() % 4 {
                0 => next(),
                1 => next() % 64,
                2 => w.id(victim),
                _ => next() & 0xFFF0_0000,
            };
        }
        // Random calls from a non-root thread in its own space.
        if w.kernel.thread(victim).state() != State::Free {
            w.kernel.threads[victim].halted = false;
            w.kernel.threads[victim].state = State::Ready;
            w.call(victim, number, &registers);
        }
        w.machine.now += 1000;
        w.kernel.tick(&mut w.machine);
    }
    assert!(w.kernel.shutdown_requested().is_none());
    assert_ne!(w.kernel.thread(w.root).state(), State::Free);
}

// ----- ThreadSwitch ------------------------------------------------------------------

#[test]
fn thread_switch_donates_the_timeslice_to_a_ready_thread_of_its_space() {
    let mut w = world();
    let space = w.new_space();
    let donor = w.spawn(space, 60, 0);
    let donee = w.spawn(space, 20, 0);
    let stranger = w.spawn(w.root_space, 40, 0);
    // The root (100) waits, so the donor (60) runs: the highest ready thread.
    w.ipc(w.root, PV_NIL_THREAD, PV_ANY_THREAD, pv_timeouts(0, NEVER), 0, &[]);
    assert_eq!(w.kernel.schedule(), Some(donor));
    let donee_id = w.id(donee);
    for _ in 0..3 {
        w.kernel.tick(&mut w.machine);
    }
    // Donation: the low-priority donee runs ahead of the stranger (40) ...
    let r = w.call(donor, PV_SYS_THREAD_SWITCH, &[donee_id]);
    assert_eq!(r[0], PV_OK);
    assert_eq!(w.kernel.current(), donee);
    // ... for the rest of the donor's timeslice (10 ticks, 3 of them used) ...
    for tick in 4..TIMESLICE_TICKS {
        w.kernel.tick(&mut w.machine);
        assert_eq!(w.kernel.schedule(), Some(donee), "tick {tick}: still the donated timeslice");
    }
    w.kernel.tick(&mut w.machine);
    // ... then the priorities rule again.
    assert_eq!(w.kernel.schedule(), Some(donor), "timeslice over: the donor's priority runs");
    // A thread above the donor's priority ends a donation at once.
    assert_eq!(w.call(donor, PV_SYS_THREAD_SWITCH, &[donee_id])[0], PV_OK);
    assert_eq!(w.kernel.current(), donee);
    let root_id = w.id(w.root);
    w.ipc(stranger, root_id, PV_NIL_THREAD, pv_timeouts(NEVER, 0), 0, &[]);
    assert_eq!(w.kernel.schedule(), Some(w.root), "the root (100) preempts the donated time");
    w.ipc(w.root, PV_NIL_THREAD, PV_ANY_THREAD, pv_timeouts(0, NEVER), 0, &[]);
    assert_eq!(w.kernel.schedule(), Some(donor), "the donation ended with the preemption");
    // A donee that blocks ends the donation too.
    assert_eq!(w.call(donor, PV_SYS_THREAD_SWITCH, &[donee_id])[0], PV_OK);
    assert_eq!(w.kernel.current(), donee);
    w.ipc(donee, PV_NIL_THREAD, PV_ANY_THREAD, pv_timeouts(0, NEVER), 0, &[]);
    assert_eq!(w.kernel.schedule(), Some(donor));
}

#[test]
fn thread_switch_yields_or_refuses_what_it_cannot_donate_to() {
    let mut w = world();
    let space = w.new_space();
    let a = w.spawn(space, 60, 0);
    let peer = w.spawn(space, 60, 0);
    let blocked = w.spawn(space, 30, 0);
    let elsewhere = w.spawn(w.root_space, 30, 0);
    w.ipc(blocked, PV_NIL_THREAD, PV_ANY_THREAD, pv_timeouts(0, NEVER), 0, &[]);
    w.ipc(w.root, PV_NIL_THREAD, PV_ANY_THREAD, pv_timeouts(0, NEVER), 0, &[]);
    assert_eq!(w.kernel.schedule(), Some(a));
    // Nil, the caller itself, a thread that is not ready: a plain yield to the peer.
    for target in [PV_NIL_THREAD, w.id(a), w.id(blocked)] {
        let current = w.kernel.current();
        assert_eq!(w.call(current, PV_SYS_THREAD_SWITCH, &[target])[0], PV_OK);
        assert_ne!(w.kernel.current(), current, "yielded to the peer of the same priority");
        assert!([a, peer].contains(&w.kernel.current()));
    }
    // Another space's thread, an unknown or stale ID: refused, nothing happens.
    let current = w.kernel.current();
    let stale = w.id(peer) + (1 << PV_THREAD_VERSION_SHIFT);
    for (target, error) in [
        (w.id(elsewhere), PV_ERR_INVALID_THREAD),
        (stale, PV_ERR_INVALID_THREAD),
        (0x3F, PV_ERR_INVALID_THREAD),
        (PV_ANY_THREAD, PV_ERR_INVALID_THREAD),
        (pv_irq_thread(27), PV_ERR_INVALID_THREAD),
    ] {
        assert_eq!(w.call(current, PV_SYS_THREAD_SWITCH, &[target])[0], error, "target {target:#x}");
        assert_eq!(w.kernel.current(), current);
    }
    // A deleted donee ends the donation; its slot reused by a new thread does not inherit it.
    let late = w.spawn(space, 10, 0);
    let late_id = w.id(late);
    assert_eq!(w.call(current, PV_SYS_THREAD_SWITCH, &[late_id])[0], PV_OK);
    assert_eq!(w.kernel.current(), late);
    assert_eq!(w.call(w.root, PV_SYS_THREAD_CONTROL, &[PV_THREAD_DELETE, late_id])[0], PV_OK);
    let reused = w.spawn(space, 10, 0);
    assert_eq!(reused, late);
    assert_ne!(w.kernel.schedule(), Some(reused));
}

// ----- the hypercall table (paravirt-api/src/hypercalls.rs) against the decoder ---------

/// A world with the root, two threads `a`, `b` of a second space and `c` of a
/// third, all below the root's priority.
fn table_world() -> (World, [usize; 4]) {
    let mut w = world();
    let first = w.new_space();
    let second = w.new_space();
    let a = w.spawn(first, 90, 0);
    let b = w.spawn(first, 90, 0);
    let c = w.spawn(second, 80, 0);
    let root = w.root;
    (w, [root, a, b, c])
}

fn live_threads(w: &World) -> usize {
    (1..MAX_THREADS).filter(|&index| w.kernel.thread(index).state() != State::Free).count()
}

#[test]
fn the_decoder_handles_every_call_of_the_table_and_nothing_else() {
    use paravirt_api::hypercalls::{Caller, HYPERCALLS, hypercall};
    for number in (0..64).chain([PV_SYS_COUNT, 255, 0x8000_0000, u32::MAX]) {
        let (mut w, [root, a, _, c]) = table_world();
        let threads = live_threads(&w);
        match hypercall(number) {
            None => {
                for caller in [root, a] {
                    assert_eq!(w.call(caller, number, &[])[0], PV_ERR_INVALID_SYSCALL, "call {number} from {caller}");
                }
            }
            Some(call) => {
                // A non-root caller with all-zero arguments.
                let from_a = w.call(a, number, &[])[0];
                assert_ne!(from_a, PV_ERR_INVALID_SYSCALL, "{} is not decoded", call.constant);
                match call.caller {
                    Caller::Root => {
                        assert_eq!(from_a, PV_ERR_NO_PRIVILEGE, "{} must refuse a non-root caller", call.constant);
                        assert_eq!(live_threads(&w), threads, "{}: a refused call changes nothing", call.constant);
                        assert_eq!(w.kernel.shutdown_requested(), None);
                        // Refused whatever the arguments say: before decoding them.
                        let arguments = [PV_THREAD_CREATE, 1, 1, 0, PV_MAP_READ];
                        assert_eq!(w.call(a, number, &arguments)[0], PV_ERR_NO_PRIVILEGE, "{}", call.constant);
                        assert_ne!(w.call(root, number, &[])[0], PV_ERR_NO_PRIVILEGE, "{}", call.constant);
                    }
                    Caller::OwnSpaceOrRoot => {
                        assert_ne!(from_a, PV_ERR_NO_PRIVILEGE, "{}", call.constant);
                        let (own, other) = (w.id(a), w.id(c));
                        assert_eq!(w.call(a, number, &[own])[0], PV_OK, "{} on its own thread", call.constant);
                        // Another space's live thread: exactly what no thread gives.
                        assert_eq!(w.call(a, number, &[other])[0], PV_ERR_INVALID_THREAD, "{}", call.constant);
                        assert_eq!(w.call(root, number, &[other])[0], PV_OK, "{} from the root", call.constant);
                    }
                    Caller::TimerOwner => {
                        assert_eq!(
                            from_a, PV_ERR_NO_PRIVILEGE,
                            "{} must refuse a space without the timer",
                            call.constant
                        );
                        let arguments = [PV_TICK_START, w.id(a), 1000, 0, 0];
                        assert_eq!(w.call(a, number, &arguments)[0], PV_ERR_NO_PRIVILEGE, "{}", call.constant);
                        assert_eq!(w.call(root, number, &arguments)[0], PV_ERR_NO_PRIVILEGE, "{}", call.constant);
                        assert_eq!(live_threads(&w), threads, "{}: a refused call changes nothing", call.constant);
                        // Granted the timer, the same caller gets past the check.
                        let space = w.kernel.thread(c).space();
                        w.configure(space, (1 << w.root_space) | (1 << space), PV_PRIORITY_MAX, PV_SPACE_TIMER_ACCESS);
                        assert_ne!(w.call(c, number, &[])[0], PV_ERR_NO_PRIVILEGE, "{}", call.constant);
                    }
                    Caller::Anyone => {
                        assert_ne!(from_a, PV_ERR_NO_PRIVILEGE, "{} is open to anyone", call.constant);
                        if call.errors.is_empty() {
                            assert_eq!(from_a, PV_OK, "{} has no error to return", call.constant);
                        }
                    }
                }
            }
        }
    }
    assert_eq!(HYPERCALLS.len() as u32, PV_SYS_COUNT - 1);
}

/// Arguments a hostile or confused caller might pass, drawn around the values
/// that mean something to each call.
fn table_argument(w: &World, threads: &[usize; 4], mut next: impl FnMut() -> u32) -> u32 {
    let thread = threads[(next() % 4) as usize];
    match next() % 12 {
        0 => 0,
        1 => next() % 8,
        2 => w.id(thread),
        3 => w.id(thread) + (1 << PV_THREAD_VERSION_SHIFT),
        4 => [PV_ANY_THREAD, pv_irq_thread(27), pv_irq_thread(next() % 140), 0x3F][(next() % 4) as usize],
        5 => pv_timeouts([0, 1, 3, NEVER][(next() % 4) as usize], [0, 1, 3, NEVER][(next() % 4) as usize]),
        6 => pv_tag(next() % 4, next() % 70),
        7 => next() & 0x4FF0_0000,
        8 => PV_SECTION_SIZE * (next() % 3),
        9 => next() % 300,
        10 => 0x0010_0000 + (next() % 0x40) * 4,
        _ => next(),
    }
}

#[test]
fn the_kernel_returns_only_the_error_codes_the_table_lists() {
    use paravirt_api::hypercalls::{HYPERCALLS, error_name, hypercall};
    use std::collections::BTreeSet;
    let (mut w, mut threads) = table_world();
    let spaces = [w.kernel.thread(threads[1]).space(), w.kernel.thread(threads[3]).space()];
    // The second space is granted the timer (`PV_SYS_TICK_SCHEDULE`).
    w.configure(spaces[1], (1 << w.root_space) | (1 << spaces[1]), PV_PRIORITY_MAX, PV_SPACE_TIMER_ACCESS);
    let mut next = xorshift(0x9E37_79B9u32);
    let mut observed = BTreeSet::new();
    // Threads blocked in a call: its result arrives when they wake up.
    let mut waiting = [false; MAX_THREADS];
    let mut calls = 0;
    let record = |observed: &mut BTreeSet<(u32, u32)>, number: u32, result: u32| {
        let code = result & !PV_ERR_RECEIVE_PHASE;
        if code != PV_OK {
            let call = hypercall(number).expect("only calls of the table are made");
            assert!(
                call.errors.contains(&code),
                "{} returned {} ({result:#x}), which the table does not list for it",
                call.constant,
                error_name(code).unwrap_or("an unknown code"),
            );
            observed.insert((number, code));
        }
        if result & PV_ERR_RECEIVE_PHASE != 0 {
            assert!(matches!(number, PV_SYS_IPC | PV_SYS_NOTIFY), "only IPC and Notify have a receive phase");
        }
    };
    for _ in 0..40_000 {
        // Replace deleted threads (the root may delete them) and resume halted ones.
        for slot in 1..4 {
            if w.kernel.lookup(w.id(threads[slot])).is_err() {
                threads[slot] = w.spawn(spaces[slot / 3], 90 - slot as u32, 0);
                waiting[threads[slot]] = false;
            }
        }
        for &thread in &threads {
            if w.kernel.thread(thread).is_halted() {
                w.kernel.exchange_registers(thread, PV_EXREG_RESUME, 0, 0, 0);
            }
        }
        let ready: Vec<usize> = threads
            .iter()
            .copied()
            .filter(|&thread| w.kernel.thread(thread).state() == State::Ready && !w.kernel.thread(thread).is_halted())
            .collect();
        if ready.is_empty() {
            // Everyone waits (for ever, maybe): the root's ExchangeRegisters aborts one.
            let stuck = threads[(next() % 4) as usize];
            w.kernel.exchange_registers(stuck, PV_EXREG_ABORT_IPC, 0, 0, 0);
        }
        if let Some(&caller) = ready.get((next() % 4) as usize % ready.len().max(1)) {
            // Root only: no shutdown, no deleting the test's own spaces under it.
            let number = 1 + next() % (PV_SYS_COUNT - 1);
            let mut registers = [0u32; 12];
            for register in registers.iter_mut() {
                *register = table_argument(&w, &threads, &mut next);
            }
            // Half of the time, arguments that get past the first checks.
            if next().is_multiple_of(2) {
                let thread = w.id(threads[(next() % 4) as usize]);
                let section = |n: u32| n * PV_SECTION_SIZE;
                match number {
                    PV_SYS_IPC => {
                        registers[..4].copy_from_slice(&[
                            [thread, PV_NIL_THREAD][(next() % 2) as usize],
                            [thread, PV_ANY_THREAD, PV_NIL_THREAD][(next() % 3) as usize],
                            pv_timeouts([1, 2, NEVER][(next() % 3) as usize], [1, 2, NEVER][(next() % 3) as usize]),
                            pv_tag(1, next() % 12),
                        ]);
                    }
                    PV_SYS_THREAD_CONTROL => {
                        registers[..4].copy_from_slice(&[
                            1 + next() % 2,
                            [thread, 1 + next() % 16][(next() % 2) as usize],
                            next() % 90,
                            PV_NIL_THREAD,
                        ]);
                    }
                    PV_SYS_SPACE_CONTROL => registers[..2].copy_from_slice(&[1 + next() % 2, 1 + next() % 20]),
                    // Two lines that several threads compete for (`PV_ERR_BUSY`).
                    PV_SYS_INTERRUPT_CONTROL => registers[..2].copy_from_slice(&[27 + next() % 2, thread]),
                    // With a receive phase from the thread it notifies (r3 stays random).
                    PV_SYS_NOTIFY => registers[..3].copy_from_slice(&[thread, 1 << (next() % 32), thread]),
                    PV_SYS_TICK_SCHEDULE => {
                        let rate = [0, 1000, 32_769][(next() % 3) as usize];
                        registers[..5].copy_from_slice(&[1 + next() % 4, thread, rate, next() % 2000, 0]);
                    }
                    PV_SYS_MAP | PV_SYS_UNMAP => {
                        let space = 1 + next() % 6;
                        let virtual_address = section(next() % 8);
                        let physical = [section(0x420 + next() % 4), 0x0900_0000][(next() % 2) as usize];
                        let size = section(1 + next() % 2);
                        let rights = 1 + next() % 15;
                        if number == PV_SYS_MAP {
                            registers[..5].copy_from_slice(&[space, virtual_address, physical, size, rights]);
                        } else {
                            registers[..3].copy_from_slice(&[space, virtual_address, size]);
                        }
                    }
                    _ => {}
                }
            }
            // Never delete the spaces of the test's own threads.
            if number == PV_SYS_SPACE_CONTROL && registers[0] == PV_SPACE_DELETE && registers[1] < 4 {
                registers[1] += 4;
            }
            let r = w.call(caller, number, &registers);
            calls += 1;
            if w.kernel.thread(caller).state() == State::Ready {
                // A ContextResume that worked took r0 from the frame, and sp above it.
                let resumed = number == PV_SYS_CONTEXT_RESUME
                    && w.kernel.thread(caller).context.sp == registers[0].wrapping_add(PV_CONTEXT_FRAME_SIZE);
                if !resumed {
                    record(&mut observed, number, r[0]);
                }
            } else {
                waiting[caller] = true;
            }
        }
        w.machine.now += 1000;
        w.kernel.tick(&mut w.machine);
        w.kernel.schedule();
        for &thread in &threads {
            if waiting[thread] && w.kernel.thread(thread).state() == State::Ready {
                waiting[thread] = false;
                let context = w.kernel.thread(thread).context;
                record(&mut observed, context.r[12], context.r[0]);
            }
        }
    }
    // Exhaustion, which the walk does not reach: thread slots run out.
    let result = loop {
        let r = w.call(w.root, PV_SYS_THREAD_CONTROL, &[PV_THREAD_CREATE, spaces[0] as u32, 1, 0]);
        if r[0] != PV_OK {
            break r[0];
        }
    };
    record(&mut observed, PV_SYS_THREAD_CONTROL, result);
    // And second-level tables run out: a 4 KiB page in section after section.
    let space = spaces[0] as u32;
    let result = (0..PV_SECTION_SIZE / 4)
        .map(|n| {
            let page = [space, 0x0100_0000 + n * PV_SECTION_SIZE, 0x4200_0000, PV_PAGE_SIZE, PV_MAP_READ];
            w.call(w.root, PV_SYS_MAP, &page)[0]
        })
        .find(|&code| code != PV_OK);
    record(&mut observed, PV_SYS_MAP, result.expect("the pool of second-level tables runs out"));
    // And the kernel's tick schedules run out (bound threads, which the walk
    // does not make): in a world of their own.
    let mut t = tick_world(1);
    let (guest, v_timer, now) = (t.guests[0], t.v_timer, t.w.machine.now);
    let result = loop {
        let thread = t.w.spawn(guest.space, 50, 0);
        let id = t.w.id(thread);
        assert_eq!(t.w.call(thread, PV_SYS_VIRQ_BIND, &[id, VIRQ_WORDS, VIRQ_ENTRY])[0], PV_OK);
        let code = t.schedule(v_timer, PV_TICK_START, id, 1000, now)[0];
        if code != PV_OK {
            break code;
        }
    };
    record(&mut observed, PV_SYS_TICK_SCHEDULE, result);
    // The walk must have reached everything the table documents, or it proves little.
    let documented: BTreeSet<(u32, u32)> =
        HYPERCALLS.iter().flat_map(|call| call.errors.iter().map(|&code| (call.number, code))).collect();
    let missed: Vec<String> = documented
        .difference(&observed)
        .map(|&(number, code)| format!("{} {}", hypercall(number).unwrap().constant, error_name(code).unwrap()))
        .collect();
    assert!(calls > 30_000, "only {calls} calls were made: the threads got stuck");
    assert!(missed.is_empty(), "documented but never returned in {calls} calls: {missed:?}");
}

// ----- round robin under preemption ----------------------------------------------------

/// A world with two threads spinning at priority 50 in a space of their own
/// and a "device server" at 200 that handles interrupt 40 (the root waits).
fn spinners_and_server() -> (World, usize, usize, usize) {
    let mut w = world();
    let space = w.new_space();
    let a = w.spawn(space, 50, 0);
    let b = w.spawn(space, 50, 0);
    let server = w.spawn(w.root_space, 200, 0);
    let server_id = w.id(server);
    assert_eq!(w.call(w.root, PV_SYS_INTERRUPT_CONTROL, &[40, server_id])[0], PV_OK);
    w.ipc(server, PV_NIL_THREAD, pv_irq_thread(40), pv_timeouts(0, NEVER), 0, &[]);
    w.ipc(w.root, PV_NIL_THREAD, PV_ANY_THREAD, pv_timeouts(0, NEVER), 0, &[]);
    assert_eq!(w.kernel.schedule(), Some(a));
    (w, a, b, server)
}

impl World {
    /// One kernel tick followed by interrupt 40, which the server takes,
    /// acknowledges and waits for again; returns who runs afterwards.
    fn tick_with_device_interrupt(&mut self, server: usize) -> Option<usize> {
        self.machine.now += 1000;
        self.kernel.tick(&mut self.machine);
        self.interrupt(40);
        assert_eq!(self.kernel.schedule(), Some(server), "the device server preempts");
        let irq = pv_irq_thread(40);
        self.ipc(server, irq, irq, pv_timeouts(0, NEVER), 0, &[]);
        self.kernel.schedule()
    }
}

#[test]
fn round_robin_holds_while_a_device_server_preempts_every_tick() {
    let (mut w, a, b, server) = spinners_and_server();
    let mut ran = [0u32; 2];
    for _ in 0..1000 {
        match w.tick_with_device_interrupt(server) {
            Some(thread) if thread == a => ran[0] += 1,
            Some(thread) if thread == b => ran[1] += 1,
            other => panic!("unexpected thread {other:?} runs"),
        }
    }
    // Each spinner gets its share: 10 ticks each, in turn.
    assert!(ran[0] >= 400 && ran[1] >= 400, "CPU shares of the two spinners over 1000 ticks: {ran:?}");
}

#[test]
fn a_preempted_thread_keeps_the_rest_of_its_timeslice() {
    let (mut w, a, b, server) = spinners_and_server();
    for _ in 0..4 {
        w.machine.now += 1000;
        w.kernel.tick(&mut w.machine);
        assert_eq!(w.kernel.schedule(), Some(a));
    }
    // Preempted after 4 of its 10 ticks, `a` resumes with 6 left, not 10.
    for tick in 5..=TIMESLICE_TICKS {
        assert_eq!(w.tick_with_device_interrupt(server), if tick < TIMESLICE_TICKS { Some(a) } else { Some(b) });
    }
    // `b` runs a whole timeslice of its own, then `a` again.
    for tick in 1..=TIMESLICE_TICKS {
        assert_eq!(w.tick_with_device_interrupt(server), if tick < TIMESLICE_TICKS { Some(b) } else { Some(a) });
    }
}

#[test]
fn a_thread_that_blocks_and_wakes_queues_behind_its_peer_with_a_fresh_timeslice() {
    let (mut w, a, b, _server) = spinners_and_server();
    for _ in 0..3 {
        w.machine.now += 1000;
        w.kernel.tick(&mut w.machine);
    }
    // After 3 ticks `a` sleeps 2 ms (a receive that times out); `b` runs.
    let b_id = w.id(b);
    w.ipc(a, PV_NIL_THREAD, b_id, pv_timeouts(0, 2), 0, &[]);
    assert_eq!(w.kernel.schedule(), Some(b));
    let mut trace = Vec::new();
    for _ in 0..2 * TIMESLICE_TICKS {
        w.machine.now += 1000;
        w.kernel.tick(&mut w.machine);
        trace.push(if w.kernel.schedule() == Some(a) { 'a' } else { 'b' });
    }
    // Awake after 2 ticks, `a` waits behind `b` for the rest of b's timeslice,
    // then runs a whole fresh timeslice (not the 7 ticks it had left).
    let expected: String = "bbbbbbbbbaaaaaaaaaab".into();
    assert_eq!(trace.iter().collect::<String>(), expected);
}

// ----- IPC partners by ID and version, never by slot -------------------------------------

#[test]
fn a_deleted_receive_partner_whose_slot_is_reused_is_partner_deleted() {
    let mut w = world();
    let space = w.new_space();
    let server = w.spawn(space, 50, 0);
    let partner = w.spawn(space, 50, 0);
    let caller = w.spawn(space, 50, 0);
    let (server_id, partner_id, caller_id) = (w.id(server), w.id(partner), w.id(caller));
    // Send to the server (not receiving yet), then receive from `partner`.
    w.ipc(caller, server_id, partner_id, pv_timeouts(NEVER, NEVER), pv_tag(1, 1), &[5]);
    assert!(matches!(w.kernel.thread(caller).state(), State::Sending { .. }));
    // `partner` is deleted while the caller is still in its send phase; a new
    // thread gets its slot and sends to the caller.
    assert_eq!(w.call(w.root, PV_SYS_THREAD_CONTROL, &[PV_THREAD_DELETE, partner_id])[0], PV_OK);
    let impostor = w.spawn(space, 50, 0);
    assert_eq!(impostor, partner, "the slot is reused");
    w.ipc(impostor, caller_id, PV_NIL_THREAD, pv_timeouts(NEVER, 0), pv_tag(9, 1), &[666]);
    // The server takes the message: the caller's receive phase starts, from
    // a partner that no longer exists.
    let r = w.ipc(server, PV_NIL_THREAD, PV_ANY_THREAD, pv_timeouts(0, NEVER), 0, &[]);
    assert_eq!((r[0], r[1], r[4]), (PV_OK, caller_id, 5));
    let r = w.kernel.thread(caller).context.r;
    assert_eq!(r[0], PV_ERR_PARTNER_DELETED | PV_ERR_RECEIVE_PHASE, "not the impostor's message: {r:?}");
    assert_ne!(r[4], 666);
    assert_eq!(w.kernel.thread(caller).state(), State::Ready);
    assert!(matches!(w.kernel.thread(impostor).state(), State::Sending { .. }), "the impostor still waits");
}

#[test]
fn a_partner_deleted_in_any_phase_is_partner_deleted() {
    let mut w = world();
    let space = w.new_space();
    let a = w.spawn(space, 50, 0);
    let b = w.spawn(space, 50, 0);
    let c = w.spawn(space, 50, 0);
    let (a_id, b_id, c_id) = (w.id(a), w.id(b), w.id(c));
    // Receive phase: `a` waits for `b`; `b` deleted.
    w.ipc(a, PV_NIL_THREAD, b_id, pv_timeouts(0, NEVER), 0, &[]);
    assert_eq!(w.call(w.root, PV_SYS_THREAD_CONTROL, &[PV_THREAD_DELETE, b_id])[0], PV_OK);
    assert_eq!(w.kernel.thread(a).context.r[0], PV_ERR_PARTNER_DELETED | PV_ERR_RECEIVE_PHASE);
    // Send phase: `a` sends to `c` (waiting in c's queue); `c` deleted.
    w.ipc(a, c_id, c_id, pv_timeouts(NEVER, NEVER), 0, &[]);
    assert_eq!(w.call(w.root, PV_SYS_THREAD_CONTROL, &[PV_THREAD_DELETE, c_id])[0], PV_OK);
    assert_eq!(w.kernel.thread(a).context.r[0], PV_ERR_PARTNER_DELETED);
    // A receive from a stale ID is refused at once, even when its slot lives again.
    let d = w.spawn(space, 50, 0);
    assert_eq!(d, b);
    let r = w.ipc(a, PV_NIL_THREAD, b_id, pv_timeouts(0, NEVER), 0, &[]);
    assert_eq!(r[0], PV_ERR_INVALID_THREAD | PV_ERR_RECEIVE_PHASE);
    let _ = a_id;
}

#[test]
fn an_interrupt_never_reaches_a_new_thread_in_its_deleted_handler_s_slot() {
    let mut w = world();
    let handler = w.spawn(w.root_space, 200, 0);
    let handler_id = w.id(handler);
    assert_eq!(w.call(w.root, PV_SYS_INTERRUPT_CONTROL, &[41, handler_id])[0], PV_OK);
    w.interrupt(41);
    assert_eq!(w.call(w.root, PV_SYS_THREAD_CONTROL, &[PV_THREAD_DELETE, handler_id])[0], PV_OK);
    assert_eq!(w.machine.enabled.get(&41), Some(&false), "the line is masked with its handler gone");
    let reused = w.spawn(w.root_space, 200, 0);
    assert_eq!(reused, handler, "the slot is reused");
    // Neither the pending interrupt nor a new one reaches it; it may neither
    // receive from nor acknowledge the line.
    let r = w.ipc(reused, PV_NIL_THREAD, PV_ANY_THREAD, pv_timeouts(0, 0), 0, &[]);
    assert_eq!(r[0], PV_ERR_TIMEOUT | PV_ERR_RECEIVE_PHASE);
    w.ipc(reused, PV_NIL_THREAD, PV_ANY_THREAD, pv_timeouts(0, NEVER), 0, &[]);
    w.interrupt(41);
    assert!(matches!(w.kernel.thread(reused).state(), State::Receiving { .. }));
    let irq = pv_irq_thread(41);
    assert_eq!(w.ipc(reused, PV_NIL_THREAD, irq, 0, 0, &[])[0], PV_ERR_INVALID_THREAD | PV_ERR_RECEIVE_PHASE);
    assert_eq!(w.ipc(reused, irq, PV_NIL_THREAD, 0, 0, &[])[0], PV_ERR_INVALID_THREAD);
    // The line is free for a new association.
    let reused_id = w.id(reused);
    assert_eq!(w.call(w.root, PV_SYS_INTERRUPT_CONTROL, &[41, reused_id])[0], PV_OK);
}

// ----- UTCB sections -------------------------------------------------------------------

#[test]
fn a_reused_space_starts_with_a_clean_utcb_section() {
    let mut w = world();
    let first = w.new_space();
    let thread = w.spawn(first, 50, 0);
    let section = w.kernel.layout.utcb_pool_base + first * SECTION;
    // Its thread writes its own UTCB and, as the whole section is mapped
    // writable, the UTCBs of threads not created yet and the section's end.
    let own = w.kernel.utcb_physical(thread);
    let elsewhere = [own + 4, own + 50 * 4, section + 40 * PV_UTCB_SIZE as usize, section + SECTION - 4];
    for (n, &address) in elsewhere.iter().enumerate() {
        w.machine.poke(address, 0xD00D_0000 + n as u32);
    }
    let thread_id = w.id(thread);
    assert_eq!(w.call(w.root, PV_SYS_THREAD_CONTROL, &[PV_THREAD_DELETE, thread_id])[0], PV_OK);
    assert_eq!(w.call(w.root, PV_SYS_SPACE_CONTROL, &[PV_SPACE_DELETE, first as u32])[0], PV_OK);
    // A filler takes the old thread's slot, so the new space's thread gets another.
    let filler = w.spawn(w.root_space, 50, 0);
    assert_eq!(filler, thread);
    let second = w.new_space();
    assert_eq!(second, first, "the space index is reused");
    let newcomer = w.spawn(second, 50, 0);
    assert_ne!(newcomer, thread);
    for &address in &elsewhere {
        assert_eq!(w.machine.peek(address), 0, "word at {address:#x} of the reused UTCB section");
    }
}

#[test]
fn the_kernel_reaches_only_user_ram_and_the_utcb_pool() {
    let w = world();
    let layout = w.kernel.layout;
    let pool_end = layout.utcb_pool_base + MAX_SPACES * SECTION;
    // User RAM and the UTCB pool, word aligned.
    for physical in [layout.user_ram_base, layout.ram_end - 4, layout.utcb_pool_base, pool_end - 4] {
        assert_eq!(layout.ram_word(physical).map(RamWord::physical), Some(physical), "{physical:#x}");
    }
    assert!(layout.ram_range(layout.utcb_pool_base, SECTION).is_some());
    assert!(layout.ram_range(layout.user_ram_base, layout.ram_end - layout.user_ram_base).is_some());
    // Never a device, kernel memory, memory past RAM, a misaligned word or a
    // range that runs out of RAM or wraps around.
    // (Here the pool ends where user RAM starts.)
    for physical in [0x0900_0000, 0x0800_0000, 0x4000_0000, 0x4000_8000, layout.ram_end, usize::MAX - 3, 0] {
        assert_eq!(layout.ram_word(physical), None, "{physical:#x}");
    }
    assert_eq!(layout.ram_word(layout.user_ram_base + 2), None);
    assert_eq!(layout.ram_range(layout.ram_end - 4, 8), None);
    assert_eq!(layout.ram_range(layout.utcb_pool_base - SECTION, 2 * SECTION), None);
    assert_eq!(layout.ram_range(layout.user_ram_base, usize::MAX - 3), None);
    assert_eq!(layout.ram_range(0x0900_0000, 4), None);
    assert_eq!(layout.ram_range(layout.user_ram_base, 6), None);
}

// ----- authority: send grants, uniform errors, kernel labels, ceilings, timer -----

#[test]
fn a_new_space_may_name_only_the_root_and_itself_until_granted() {
    let mut w = world();
    let (guest, victim_space) = (w.default_space(), w.default_space());
    let attacker = w.spawn(guest, 50, 0);
    let peer = w.spawn(guest, 50, 0);
    let victim = w.spawn(victim_space, 50, 0);
    w.ipc(victim, PV_NIL_THREAD, PV_ANY_THREAD, pv_timeouts(0, NEVER), 0, &[]);
    w.ipc(peer, PV_NIL_THREAD, PV_ANY_THREAD, pv_timeouts(0, NEVER), 0, &[]);
    let (victim_id, nobody) = (w.id(victim), w.id(victim) + (1 << PV_THREAD_VERSION_SHIFT));
    // A live thread of a space not granted and a thread that does not exist:
    // the same error, and the victim receives nothing.
    let send = |w: &mut World, to| w.ipc(attacker, to, PV_NIL_THREAD, pv_timeouts(0, 0), pv_tag(1, 1), &[7])[0];
    assert_eq!(send(&mut w, victim_id), PV_ERR_INVALID_THREAD);
    assert_eq!(send(&mut w, nobody), PV_ERR_INVALID_THREAD);
    assert_eq!(w.kernel.thread(victim).state(), State::Receiving { from: Source::Any });
    // Receiving from one of them: the same, in the receive phase.
    let receive = |w: &mut World, from| w.ipc(attacker, PV_NIL_THREAD, from, pv_timeouts(0, 0), 0, &[])[0];
    assert_eq!(receive(&mut w, victim_id), PV_ERR_INVALID_THREAD | PV_ERR_RECEIVE_PHASE);
    assert_eq!(receive(&mut w, nobody), PV_ERR_INVALID_THREAD | PV_ERR_RECEIVE_PHASE);
    // Its own space and the root's are granted by default.
    let peer_id = w.id(peer);
    assert_eq!(send(&mut w, peer_id), PV_OK);
    w.ipc(w.root, PV_NIL_THREAD, PV_ANY_THREAD, pv_timeouts(0, NEVER), 0, &[]);
    let root_id = w.id(w.root);
    assert_eq!(send(&mut w, root_id), PV_OK);
    // The receiver learns the sender's space from the kernel (r2).
    assert_eq!(w.kernel.thread(w.root).context.r[2], guest as u32);
    // The root grants the victim's space: now the send goes through.
    w.configure(guest, (1 << w.root_space) | (1 << guest) | (1 << victim_space), PV_SPACE_DEFAULT_MAX_PRIORITY, 0);
    assert_eq!(send(&mut w, victim_id), PV_OK);
    assert_eq!(w.kernel.thread(victim).context.r[1], w.id(attacker));
    // A grant does not outlive the space: a space reusing its index is not granted.
    assert_eq!(w.call(w.root, PV_SYS_THREAD_CONTROL, &[PV_THREAD_DELETE, victim_id])[0], PV_OK);
    assert_eq!(w.call(w.root, PV_SYS_SPACE_CONTROL, &[PV_SPACE_DELETE, victim_space as u32])[0], PV_OK);
    let reused = w.default_space();
    assert_eq!(reused, victim_space);
    let newcomer = w.spawn(reused, 50, 0);
    w.ipc(newcomer, PV_NIL_THREAD, PV_ANY_THREAD, pv_timeouts(0, NEVER), 0, &[]);
    let newcomer_id = w.id(newcomer);
    assert_eq!(send(&mut w, newcomer_id), PV_ERR_INVALID_THREAD);
    // The root task still names every space, the reused one included.
    let r = w.ipc(w.root, newcomer_id, PV_NIL_THREAD, pv_timeouts(0, 0), pv_tag(1, 0), &[]);
    assert_eq!(r[0], PV_OK, "the root reaches a thread of a reused space");
}

#[test]
fn exchange_registers_and_thread_switch_answer_alike_for_foreign_and_missing_threads() {
    let mut w = world();
    let (guest, other) = (w.new_space(), w.new_space());
    let attacker = w.spawn(guest, 50, 0);
    let foreign = w.spawn(other, 50, 0);
    let halted = w.kernel.thread(foreign).is_halted();
    let foreign_id = w.id(foreign);
    let stale = foreign_id + (1 << PV_THREAD_VERSION_SHIFT);
    let missing = (MAX_THREADS as u32 - 1) | (1 << PV_THREAD_VERSION_SHIFT);
    for control in [0, PV_EXREG_HALT, PV_EXREG_HALT | PV_EXREG_RESUME, 1 << 20] {
        let answers: Vec<u32> = [foreign_id, stale, missing]
            .iter()
            .map(|&id| w.call(attacker, PV_SYS_EXCHANGE_REGISTERS, &[id, control])[0])
            .collect();
        assert_eq!(answers, [PV_ERR_INVALID_THREAD; 3], "control {control:#x}");
    }
    assert_eq!(w.kernel.thread(foreign).is_halted(), halted, "nothing happened to it");
    for id in [foreign_id, stale, missing] {
        assert_eq!(w.call(attacker, PV_SYS_THREAD_SWITCH, &[id])[0], PV_ERR_INVALID_THREAD);
    }
}

#[test]
fn kernel_labels_cannot_be_sent_by_user_threads() {
    let mut w = world();
    let guest = w.new_space();
    let forger = w.spawn(guest, 50, 0);
    let root_id = w.id(w.root);
    w.ipc(w.root, PV_NIL_THREAD, PV_ANY_THREAD, pv_timeouts(0, NEVER), 0, &[]);
    for label in [PV_LABEL_EXCEPTION, PV_LABEL_INTERRUPT, PV_LABEL_KERNEL_BASE, 0xFFFF] {
        let r = w.ipc(forger, root_id, PV_NIL_THREAD, pv_timeouts(0, 0), pv_tag(label, 5), &[1, 0, 0x100, 0, 0]);
        assert_eq!(r[0], PV_ERR_INVALID_ARGUMENT, "label {label:#x}");
        assert_eq!(w.kernel.thread(w.root).state(), State::Receiving { from: Source::Any });
    }
    // Even the root cannot: the mark means "from the kernel", whoever receives it.
    let peer = w.spawn(w.root_space, 50, 0);
    w.ipc(peer, PV_NIL_THREAD, PV_ANY_THREAD, pv_timeouts(0, NEVER), 0, &[]);
    let peer_id = w.id(peer);
    assert_eq!(
        w.ipc(w.root, peer_id, PV_NIL_THREAD, 0, pv_tag(PV_LABEL_EXCEPTION, 0), &[])[0],
        PV_ERR_INVALID_ARGUMENT
    );
    // The label below the range goes through; a real fault still carries the mark.
    let r = w.ipc(forger, root_id, PV_NIL_THREAD, pv_timeouts(0, 0), pv_tag(PV_LABEL_KERNEL_BASE - 1, 0), &[]);
    assert_eq!(r[0], PV_OK);
    assert_eq!(w.kernel.thread(w.root).context.r[3], pv_tag(PV_LABEL_KERNEL_BASE - 1, 0));
    let handler = w.spawn(w.root_space, 150, 0);
    let faulty = w.spawn(guest, 50, w.id(handler));
    w.ipc(handler, PV_NIL_THREAD, PV_ANY_THREAD, pv_timeouts(0, NEVER), 0, &[]);
    w.kernel.current = faulty;
    w.kernel.user_fault(PV_FAULT_DATA_ABORT, 0, 0, &mut w.machine);
    assert_eq!(w.kernel.thread(handler).context.r[3], pv_tag(PV_LABEL_EXCEPTION, 5));
}

#[test]
fn no_thread_of_a_space_is_created_or_set_above_its_ceiling() {
    let mut w = world();
    let guest = w.default_space();
    let create = |w: &mut World, priority: u32| {
        w.call(w.root, PV_SYS_THREAD_CONTROL, &[PV_THREAD_CREATE, guest as u32, priority, 0])
    };
    // The default ceiling is below the root task.
    assert_eq!(create(&mut w, PV_SPACE_DEFAULT_MAX_PRIORITY + 1)[0], PV_ERR_NO_PRIVILEGE);
    w.configure(guest, (1 << w.root_space) | (1 << guest), 51, 0);
    let before = live_threads(&w);
    for priority in [52, 150, PV_PRIORITY_MAX] {
        assert_eq!(create(&mut w, priority)[0], PV_ERR_NO_PRIVILEGE, "priority {priority}: refused, not clamped");
    }
    assert_eq!(live_threads(&w), before);
    let r = create(&mut w, 51);
    assert_eq!(r[0], PV_OK);
    let thread = r[1];
    for priority in [52, 149, PV_PRIORITY_MAX] {
        assert_eq!(w.call(w.root, PV_SYS_SET_PRIORITY, &[thread, priority])[0], PV_ERR_NO_PRIVILEGE);
    }
    assert_eq!(w.kernel.thread(w.kernel.lookup(thread).unwrap()).priority, 51);
    assert_eq!(w.call(w.root, PV_SYS_SET_PRIORITY, &[thread, 10])[0], PV_OK);
    // A ceiling below a live thread's priority is refused; a bad configuration changes nothing.
    assert_eq!(w.call(w.root, PV_SYS_SET_PRIORITY, &[thread, 51])[0], PV_OK);
    let configure = |w: &mut World, mask: u32, priority: u32, flags: u32| {
        w.call(w.root, PV_SYS_SPACE_CONTROL, &[PV_SPACE_CONFIGURE, guest as u32, mask, priority, flags])[0]
    };
    assert_eq!(configure(&mut w, 1 << guest, 50, 0), PV_ERR_BUSY);
    assert_eq!(configure(&mut w, 1 << PV_MAX_SPACES, 51, 0), PV_ERR_INVALID_ARGUMENT);
    assert_eq!(configure(&mut w, 1 << guest, 256, 0), PV_ERR_INVALID_ARGUMENT);
    assert_eq!(configure(&mut w, 1 << guest, 51, 1 << 7), PV_ERR_INVALID_ARGUMENT);
    assert_eq!(w.call(w.root, PV_SYS_SPACE_CONTROL, &[PV_SPACE_CONFIGURE, 15, 0, 0, 0])[0], PV_ERR_INVALID_SPACE);
    assert_eq!(create(&mut w, 52)[0], PV_ERR_NO_PRIVILEGE, "the ceiling stayed 51");
    // Only the root configures.
    let inside = w.kernel.lookup(thread).unwrap();
    assert_eq!(
        w.call(inside, PV_SYS_SPACE_CONTROL, &[PV_SPACE_CONFIGURE, guest as u32, ALL_SPACES, 255, 1])[0],
        PV_ERR_NO_PRIVILEGE
    );
}

#[test]
fn only_a_space_granted_the_timer_gets_its_registers() {
    let mut w = world();
    let (drivers, guest) = (w.new_space(), w.new_space());
    w.configure(drivers, ALL_SPACES, PV_PRIORITY_MAX, PV_SPACE_TIMER_ACCESS);
    let v_timer = w.spawn(drivers, 200, 0);
    let v_serial = w.spawn(drivers, 190, 0);
    let app = w.spawn(guest, 50, 0);
    let other_app = w.spawn(guest, 40, 0);
    assert!(!w.machine.timer_access, "closed at boot");
    // The switch to `thread` as the runtime makes it: its space, then the
    // rest of the CPU's per-thread state.
    let run = |w: &mut World, thread| {
        w.kernel.space_to_install(thread, &mut w.machine);
        w.kernel.prepare_to_run(thread, &mut w.machine);
        w.machine.timer_access
    };
    assert!(!run(&mut w, app));
    let root = w.root;
    assert!(!run(&mut w, root), "not even the root task's");
    assert!(run(&mut w, v_timer));
    let writes = w.machine.timer_access_writes;
    assert!(run(&mut w, v_serial), "the same space: no switch");
    assert_eq!(w.machine.timer_access_writes, writes);
    assert!(!run(&mut w, other_app));
    assert!(!run(&mut w, app));
    assert_eq!(w.machine.timer_access_writes, writes + 1, "switched only when the flag differs");
    // Revoking it closes the registers the next time a thread of the space runs.
    w.configure(drivers, ALL_SPACES, PV_PRIORITY_MAX, 0);
    assert!(!run(&mut w, v_timer));
    // A grant while the space's tables stay installed (the switch looks at
    // the flag only when the space changes) still opens them at the next
    // switch: a change of flags forgets the installed space.
    w.configure(drivers, ALL_SPACES, PV_PRIORITY_MAX, PV_SPACE_TIMER_ACCESS);
    assert!(run(&mut w, v_serial), "granted, though v_serial's space was in place");
    w.configure(drivers, ALL_SPACES, PV_PRIORITY_MAX, 0);
    assert!(!run(&mut w, v_timer), "and revoked the same way");
}

#[test]
fn the_root_names_a_thread_of_a_space_that_reuses_a_deleted_ones_index() {
    // A restarted guest: its space deleted, a new one created at the same
    // index. Deleting a space takes its bit out of every send mask (a grant to
    // the old domain must not pass to the new one), the root's included; the
    // root still names the new space's threads, as it makes every grant.
    let mut w = world();
    let space = w.new_space();
    assert_eq!(w.call(w.root, PV_SYS_SPACE_CONTROL, &[PV_SPACE_DELETE, space as u32])[0], PV_OK);
    let again = w.new_space();
    assert_eq!(again, space, "the index is reused");
    let thread = w.spawn(again, 50, 0);
    // Not receiving: a zero-timeout send times out, it does not find no thread.
    let r = w.call(w.root, PV_SYS_IPC, &[w.id(thread), PV_NIL_THREAD, pv_timeouts(0, 0), pv_tag(1, 0)]);
    assert_eq!(r[0], PV_ERR_TIMEOUT);
}

/// A server's space granted its client's, the client, and a notifier of a
/// space that was not granted the client's.
fn notify_world() -> (World, usize, usize, usize) {
    let mut w = world();
    let (client_space, server_space, attacker_space) = (w.new_space(), w.default_space(), w.default_space());
    w.configure(
        server_space,
        (1 << w.root_space) | (1 << server_space) | (1 << client_space),
        PV_SPACE_DEFAULT_MAX_PRIORITY,
        0,
    );
    let client = w.spawn(client_space, 120, 0);
    let server = w.spawn(server_space, 50, 0);
    let attacker = w.spawn(attacker_space, 50, 0);
    (w, client, server, attacker)
}

fn notify(w: &mut World, notifier: usize, to: u32, bits: u32) -> u32 {
    w.call(notifier, PV_SYS_NOTIFY, &[to, bits])[0]
}

#[test]
fn notifications_accumulate_and_are_collected_once_by_an_open_receive() {
    let (mut w, client, server, _) = notify_world();
    let client_id = w.id(client);
    // The client is busy (not receiving): the notifier returns at once.
    for bits in [1, 2, 1] {
        assert_eq!(notify(&mut w, server, client_id, bits), PV_OK);
        assert_eq!(w.kernel.thread(server).state(), State::Ready, "the notifier never blocks");
    }
    assert_eq!(w.kernel.notification_bits(client), 3);
    // A closed receive does not collect them (a call's reply is never an event).
    let root_id = w.id(w.root);
    let r = w.ipc(client, PV_NIL_THREAD, root_id, pv_timeouts(0, 0), 0, &[]);
    assert_eq!(r[0], PV_ERR_TIMEOUT | PV_ERR_RECEIVE_PHASE);
    assert_eq!(w.kernel.notification_bits(client), 3);
    // The next open receive returns them at once, from the kernel, and clears the word.
    let r = w.ipc(client, PV_NIL_THREAD, PV_ANY_THREAD, pv_timeouts(0, NEVER), 0, &[]);
    assert_eq!((r[0], r[1], r[2], r[3], r[4], r[5]), (PV_OK, PV_NIL_THREAD, 0, pv_tag(PV_LABEL_NOTIFICATION, 1), 3, 0));
    assert_eq!(w.kernel.thread(client).state(), State::Ready);
    assert_eq!(w.kernel.notification_bits(client), 0);
    // Delivered once: nothing more to collect.
    let r = w.ipc(client, PV_NIL_THREAD, PV_ANY_THREAD, pv_timeouts(0, 0), 0, &[]);
    assert_eq!(r[0], PV_ERR_TIMEOUT | PV_ERR_RECEIVE_PHASE);
    // Zero bits change nothing.
    assert_eq!(notify(&mut w, server, client_id, 0), PV_OK);
    assert_eq!(w.ipc(client, PV_NIL_THREAD, PV_ANY_THREAD, pv_timeouts(0, 0), 0, &[])[0], PV_ERR_TIMEOUT | 0x100);
    // Nobody can forge the kernel's message.
    w.ipc(client, PV_NIL_THREAD, PV_ANY_THREAD, pv_timeouts(0, NEVER), 0, &[]);
    let r = w.ipc(server, client_id, PV_NIL_THREAD, pv_timeouts(0, 0), pv_tag(PV_LABEL_NOTIFICATION, 1), &[1]);
    assert_eq!(r[0], PV_ERR_INVALID_ARGUMENT);
}

#[test]
fn a_notification_wakes_a_thread_waiting_in_an_open_receive() {
    let (mut w, client, server, _) = notify_world();
    let client_id = w.id(client);
    w.ipc(client, PV_NIL_THREAD, PV_ANY_THREAD, pv_timeouts(0, NEVER), 0, &[]);
    assert_eq!(w.kernel.thread(client).state(), State::Receiving { from: Source::Any });
    assert_eq!(notify(&mut w, server, client_id, 1 << 7), PV_OK);
    let r = w.kernel.thread(client).context.r;
    assert_eq!((r[0], r[3], r[4]), (PV_OK, pv_tag(PV_LABEL_NOTIFICATION, 1), 1 << 7));
    assert_eq!(w.kernel.thread(client).state(), State::Ready);
    assert_eq!(w.kernel.notification_bits(client), 0);
    assert_eq!(w.kernel.schedule(), Some(client), "the higher-priority client runs next");
    // A thread waiting for one partner (here the root) is not woken: the bits wait.
    let root_id = w.id(w.root);
    w.ipc(client, PV_NIL_THREAD, root_id, pv_timeouts(0, NEVER), 0, &[]);
    assert_eq!(notify(&mut w, server, client_id, 4), PV_OK);
    assert_eq!(w.kernel.thread(client).state(), State::Receiving { from: Source::Thread(root_id) });
    // Its partner's message still arrives as usual, then the bits.
    let root = w.root;
    w.ipc(root, client_id, PV_NIL_THREAD, pv_timeouts(0, 0), pv_tag(5, 1), &[42]);
    let r = w.kernel.thread(client).context.r;
    assert_eq!((r[1], r[3], r[4]), (root_id, pv_tag(5, 1), 42));
    let r = w.ipc(client, PV_NIL_THREAD, PV_ANY_THREAD, pv_timeouts(0, NEVER), 0, &[]);
    assert_eq!((r[3], r[4]), (pv_tag(PV_LABEL_NOTIFICATION, 1), 4));
}

#[test]
fn notify_needs_the_authority_of_a_send_and_a_live_thread() {
    let (mut w, client, server, attacker) = notify_world();
    let client_id = w.id(client);
    w.ipc(client, PV_NIL_THREAD, PV_ANY_THREAD, pv_timeouts(0, NEVER), 0, &[]);
    // A space not granted the client's: exactly what a missing thread gets, and nothing happens.
    let stale = client_id + (1 << PV_THREAD_VERSION_SHIFT);
    let missing = (MAX_THREADS as u32 - 1) | (1 << PV_THREAD_VERSION_SHIFT);
    for id in [client_id, stale, missing, PV_NIL_THREAD, PV_ANY_THREAD, pv_irq_thread(27)] {
        assert_eq!(notify(&mut w, attacker, id, 1), PV_ERR_INVALID_THREAD, "{id:#x}");
    }
    assert_eq!(w.kernel.thread(client).state(), State::Receiving { from: Source::Any });
    assert_eq!(w.kernel.notification_bits(client), 0);
    // The granted server with a stale version: refused as well.
    assert_eq!(notify(&mut w, server, stale, 1), PV_ERR_INVALID_THREAD);
    assert_eq!(w.kernel.notification_bits(client), 0);
    // The root names everyone.
    let root = w.root;
    assert_eq!(notify(&mut w, root, client_id, 1), PV_OK);
    assert_eq!(w.kernel.thread(client).context.r[4], 1);
}

/// `PV_SYS_NOTIFY` with its receive phase (r2) and an interrupt to acknowledge (r3).
fn notify_wait(w: &mut World, notifier: usize, to: u32, bits: u32, from: u32, acknowledge: u32) -> [u32; 13] {
    w.call(notifier, PV_SYS_NOTIFY, &[to, bits, from, acknowledge])
}

#[test]
fn notify_acknowledge_and_receive_in_one_call_do_what_the_three_calls_do() {
    let (mut w, client, server, _) = notify_world();
    let (client_id, server_id) = (w.id(client), w.id(server));
    assert_eq!(w.call(w.root, PV_SYS_INTERRUPT_CONTROL, &[27, server_id])[0], PV_OK);
    w.interrupt(27);
    let r = w.ipc(server, PV_NIL_THREAD, PV_ANY_THREAD, pv_timeouts(0, NEVER), 0, &[]);
    assert_eq!((r[1], w.machine.enabled.get(&27)), (pv_irq_thread(27), Some(&false)));
    w.ipc(client, PV_NIL_THREAD, PV_ANY_THREAD, pv_timeouts(0, NEVER), 0, &[]);
    // The server's event loop: notify its client, acknowledge the line, wait.
    notify_wait(&mut w, server, client_id, 1 << 3, PV_ANY_THREAD, pv_irq_thread(27));
    let c = w.kernel.thread(client).context.r;
    assert_eq!((c[0], c[1], c[3], c[4]), (PV_OK, PV_NIL_THREAD, pv_tag(PV_LABEL_NOTIFICATION, 1), 1 << 3));
    assert_eq!(w.machine.enabled.get(&27), Some(&true), "acknowledged");
    assert_eq!(w.kernel.thread(server).state(), State::Receiving { from: Source::Any });
    // The next interrupt completes its receive.
    w.interrupt(27);
    let r = w.kernel.thread(server).context.r;
    assert_eq!((r[0], r[1], r[3], r[4]), (PV_OK, pv_irq_thread(27), pv_tag(PV_LABEL_INTERRUPT, 1), 27));
    assert_eq!(w.kernel.thread(server).state(), State::Ready);
    // Bits already waiting for the caller: its receive returns them at once.
    let root = w.root;
    assert_eq!(notify(&mut w, root, server_id, 8), PV_OK);
    let r = notify_wait(&mut w, server, client_id, 1, PV_ANY_THREAD, PV_NIL_THREAD);
    assert_eq!((r[0], r[3], r[4], r[5]), (PV_OK, pv_tag(PV_LABEL_NOTIFICATION, 1), 8, 0));
    assert_eq!(w.kernel.thread(server).state(), State::Ready);
    assert_eq!(w.kernel.notification_bits(client), 1, "the client, not receiving, keeps its bit");
    // Without a receive phase it is a plain notify: r3 is not read (`pv_notify`'s
    // stub leaves the call number there), the line stays masked.
    w.interrupt(27);
    assert_eq!(w.machine.enabled.get(&27), Some(&false));
    for acknowledge in [pv_irq_thread(27), PV_SYS_NOTIFY] {
        let r = notify_wait(&mut w, server, client_id, 2, PV_NIL_THREAD, acknowledge);
        assert_eq!((r[0], w.kernel.notification_bits(client)), (PV_OK, 3));
        assert_eq!(w.kernel.thread(server).state(), State::Ready);
        assert_eq!(w.machine.enabled.get(&27), Some(&false));
    }
}

#[test]
fn notify_wait_holds_each_part_to_its_own_authority_and_does_nothing_unless_all_hold() {
    let (mut w, client, server, attacker) = notify_world();
    let (client_id, server_id, attacker_id) = (w.id(client), w.id(server), w.id(attacker));
    assert_eq!(w.call(w.root, PV_SYS_INTERRUPT_CONTROL, &[27, server_id])[0], PV_OK);
    w.interrupt(27);
    assert_eq!(w.machine.enabled.get(&27), Some(&false));
    w.ipc(client, PV_NIL_THREAD, PV_ANY_THREAD, pv_timeouts(0, NEVER), 0, &[]);
    let stale = client_id + (1 << PV_THREAD_VERSION_SHIFT);
    let untouched = |w: &World| {
        assert_eq!(w.kernel.thread(client).state(), State::Receiving { from: Source::Any });
        assert_eq!(w.kernel.notification_bits(client), 0);
        assert_eq!(w.kernel.notification_bits(attacker), 0);
        assert_eq!(w.machine.enabled.get(&27), Some(&false), "the line stays masked");
        assert_eq!(w.kernel.thread(attacker).state(), State::Ready, "a refused call never waits");
    };
    // A destination of a space not granted, stale, or no thread: as for a send.
    for to in [client_id, stale, PV_ANY_THREAD, pv_irq_thread(27), PV_NIL_THREAD] {
        let r = notify_wait(&mut w, attacker, to, 1, PV_ANY_THREAD, pv_irq_thread(27));
        assert_eq!(r[0], PV_ERR_INVALID_THREAD, "{to:#x}");
        untouched(&w);
    }
    // Acknowledging a line it does not handle (or something that is no line).
    for (acknowledge, code) in [
        (pv_irq_thread(27), PV_ERR_INVALID_THREAD),
        (pv_irq_thread(30), PV_ERR_INVALID_THREAD),
        (PV_ANY_THREAD, PV_ERR_INVALID_THREAD),
        (server_id, PV_ERR_INVALID_ARGUMENT),
    ] {
        let r = notify_wait(&mut w, attacker, attacker_id, 1, PV_ANY_THREAD, acknowledge);
        assert_eq!(r[0], code, "{acknowledge:#x}");
        untouched(&w);
    }
    // Receiving from a thread it may not name, or from another's interrupt.
    for from in [client_id, stale, pv_irq_thread(27)] {
        let r = notify_wait(&mut w, attacker, attacker_id, 1, from, PV_NIL_THREAD);
        assert_eq!(r[0], PV_ERR_INVALID_THREAD | PV_ERR_RECEIVE_PHASE, "{from:#x}");
        untouched(&w);
    }
    // Its own thread, its own open receive: allowed, and that is all it reaches.
    let r = notify_wait(&mut w, attacker, attacker_id, 4, PV_ANY_THREAD, PV_NIL_THREAD);
    assert_eq!((r[0], r[3], r[4]), (PV_OK, pv_tag(PV_LABEL_NOTIFICATION, 1), 4));
    assert_eq!(w.kernel.thread(client).state(), State::Receiving { from: Source::Any });
    assert_eq!(w.machine.enabled.get(&27), Some(&false));
}

#[test]
fn a_deleted_thread_takes_its_notifications_with_it() {
    let (mut w, client, server, _) = notify_world();
    let client_id = w.id(client);
    let space = w.kernel.thread(client).space();
    // A client that never receives: the notifier is never held up.
    w.kernel.exchange_registers(client, PV_EXREG_HALT, 0, 0, 0);
    for _ in 0..1000 {
        assert_eq!(notify(&mut w, server, client_id, 1), PV_OK);
        assert_eq!(w.kernel.thread(server).state(), State::Ready);
    }
    assert_eq!(w.kernel.notification_bits(client), 1);
    assert_eq!(w.call(w.root, PV_SYS_THREAD_CONTROL, &[PV_THREAD_DELETE, client_id])[0], PV_OK);
    assert_eq!(notify(&mut w, server, client_id, 1), PV_ERR_INVALID_THREAD, "the stale ID");
    let newcomer = w.spawn(space, 120, 0);
    assert_eq!(newcomer, client, "the slot is reused");
    assert_eq!(w.kernel.notification_bits(newcomer), 0);
    let r = w.ipc(newcomer, PV_NIL_THREAD, PV_ANY_THREAD, pv_timeouts(0, 0), 0, &[]);
    assert_eq!(r[0], PV_ERR_TIMEOUT | PV_ERR_RECEIVE_PHASE, "the old thread's bits do not reach the new one");
}

// ----- IPC fastpath ------------------------------------------------------------------

impl World {
    /// Device interrupt `irq` taken while the current thread runs (or in the
    /// idle window, nobody current), and the runtime's exit from it
    /// ([`irq_exit`]).
    fn interrupt(&mut self, irq: u32) {
        let interrupted = self.kernel.current;
        self.kernel.interrupt(irq, &mut self.machine);
        irq_exit(self, interrupted);
    }

    /// Everything the fastpath may change, as the general path would leave it:
    /// every TCB, the ready queues (a running thread the fastpath left out
    /// of them counted at the head of its priority's, where it stands, see
    /// `fastpath.rs`), the running thread and the interrupt table.
    fn snapshot(&self) -> String {
        let k = &self.kernel;
        let mut queues = Vec::new();
        for priority in (0..=255u8).rev() {
            let mut queue = k.ready.queue(priority);
            let current = k.current;
            if current != 0
                && k.threads[current].priority == priority
                && k.is_runnable(current)
                && !k.ready.contains(current)
            {
                queue.insert(0, current);
            }
            if !queue.is_empty() {
                queues.push((priority, queue));
            }
        }
        let irqs: Vec<_> = k.irqs.iter().map(|entry| (entry.handler, entry.pending, entry.masked)).collect();
        format!("{:?}\n{queues:?}\ncurrent {}\n{:?}\n{irqs:?}", k.threads, k.current, k.donation)
    }

    /// The system call `registers` (r0..r12) of the running thread, through
    /// a fastpath when one takes it (`fast`) or always the general path;
    /// then schedules. What the fastpath did.
    fn trap_path(&mut self, fast: bool, registers: [u32; 13]) -> FastPath {
        let caller = self.kernel.current;
        self.kernel.threads[caller].context.r = registers;
        let path = if fast { self.kernel.fast_system_call(&mut self.machine) } else { FastPath::Declined };
        if path == FastPath::Declined {
            self.kernel.system_call_slow(&mut self.machine);
        }
        let chosen = self.kernel.current;
        let scheduled = self.kernel.schedule();
        // The trap exit path runs `current` without asking the scheduler.
        match path {
            FastPath::Declined => {}
            FastPath::Switched => {
                assert_eq!(scheduled, Some(chosen), "the fastpath's choice is the scheduler's");
                assert_ne!(chosen, caller, "a fastpath that switches switches to another thread");
            }
            FastPath::Answered => {
                assert_eq!(scheduled, Some(caller), "an answered call leaves the caller running");
                assert_eq!(chosen, caller, "an answered call leaves the caller running");
            }
        }
        path
    }

    /// [`World::trap_path`]: true if the IPC fastpath did it.
    fn trap(&mut self, fast: bool, registers: [u32; 13]) -> bool {
        self.trap_path(fast, registers) == FastPath::Switched
    }
}

/// Two identical systems run the same random steps, one through the IPC
/// fastpath, one through the general path only; after every step the two
/// must be in the same state, so the fastpath is exactly the general path
/// where it applies (authority checks included: foreign and stale IDs,
/// kernel labels, too long messages come up all the time).
#[test]
fn the_ipc_fastpath_ends_exactly_where_the_general_path_does() {
    let mut worlds = [world(), world()];
    // The general path's world: every wake-up queues (no lazy switch).
    worlds[1].kernel.eager_wakes = true;
    let mut threads = Vec::new();
    for w in worlds.iter_mut() {
        let shared = w.new_space();
        let closed = w.new_space();
        // `closed` names only itself and the root: never `shared`.
        w.configure(closed, (1 << w.root_space) | (1 << closed), PV_PRIORITY_MAX, 0);
        w.configure(shared, (1 << w.root_space) | (1 << shared) | (1 << closed), PV_PRIORITY_MAX, 0);
        let mut list = vec![w.root];
        for (space, priority) in [(shared, 100), (shared, 120), (closed, 100), (closed, 80), (w.root_space, 100)] {
            list.push(w.spawn(space, priority, 0));
        }
        let handler = w.id(list[2]);
        assert_eq!(w.call(w.root, PV_SYS_INTERRUPT_CONTROL, &[40, handler])[0], PV_OK);
        w.kernel.current = w.root;
        w.kernel.ready.mark_changed();
        w.kernel.schedule();
        threads = list;
    }
    let mut next = xorshift(0x0BAD_5EEDu32);
    let mut fast_steps = 0;
    let mut fast_words = [0u32; 9];
    let mut answered = [0u32; 2];
    let mut notify_waits = 0;
    for step in 0..9_000 {
        let choice = next();
        let id = |w: &World, slot: u32| match slot % 12 {
            // Mostly a thread that waits (as a client's server or a server's
            // client does), so that the fastpath has its chances.
            9..12 => {
                let waiting = (0..threads.len())
                    .map(|offset| threads[(offset + slot as usize) % threads.len()])
                    .find(|&thread| matches!(w.kernel.threads[thread].state, State::Receiving { .. }));
                waiting.map_or(PV_ANY_THREAD, |thread| w.id(thread))
            }
            7 => PV_ANY_THREAD,
            8 => w.id(threads[1]) ^ (1 << PV_THREAD_VERSION_SHIFT),
            slot => w.id(threads[slot as usize % threads.len()]),
        };
        let (to, from) = (next(), next());
        let timeouts = [
            pv_timeouts(NEVER, NEVER),
            pv_timeouts(NEVER, NEVER),
            pv_timeouts(NEVER, NEVER),
            pv_timeouts(PV_TIMEOUT_ZERO, NEVER),
            pv_timeouts(PV_TIMEOUT_ZERO, NEVER),
            pv_timeouts(NEVER, 3),
            pv_timeouts(2, PV_TIMEOUT_ZERO),
        ][next() as usize % 7];
        let label = [1, 7, 1, 7, 0xFFF, PV_LABEL_KERNEL_BASE - 1, PV_LABEL_KERNEL_BASE, PV_LABEL_INTERRUPT]
            [next() as usize % 8];
        let words = next() % 10;
        let message: [u32; 8] = core::array::from_fn(|_| next());
        let pattern = next();
        for (index, w) in worlds.iter_mut().enumerate() {
            let fast = index == 0;
            if w.kernel.current == 0 {
                // Idle: time passes; now and then an interrupt or an abort
                // wakes someone.
                match choice % 3 {
                    0 => w.interrupt(40),
                    1 => {
                        let victim = threads[(choice >> 8) as usize % threads.len()];
                        w.kernel.exchange_registers(victim, PV_EXREG_ABORT_IPC, 0, 0, 0);
                    }
                    _ => {
                        w.machine.now += 1000;
                        w.kernel.tick(&mut w.machine);
                    }
                }
                w.kernel.schedule();
                continue;
            }
            let mut r = [0u32; 13];
            match choice % 16 {
                0 => {
                    w.machine.now += 1000;
                    w.kernel.tick(&mut w.machine);
                    w.kernel.schedule();
                    continue;
                }
                1 => {
                    w.interrupt(40);
                    w.kernel.schedule();
                    continue;
                }
                // A yield (mostly), or a donation to a thread of any space.
                2 => {
                    r[0] = if pattern.is_multiple_of(3) { id(w, to) } else { PV_NIL_THREAD };
                    r[12] = PV_SYS_THREAD_SWITCH;
                }
                3 => r[12] = PV_SYS_THREAD_SELF,
                // A notification: a ReplyWait of its receiver then has bits to collect.
                4 => {
                    r[..2].copy_from_slice(&[id(w, to), 1 << (pattern % 32)]);
                    r[12] = PV_SYS_NOTIFY;
                }
                // A device server's or Interrupt_loop's step: notify (no bits
                // now and then), acknowledge interrupt 40 or not (its handler
                // or anyone else), wait for anyone (mostly).
                5 | 6 => {
                    let bits = if pattern.is_multiple_of(5) { 0 } else { 1 << (pattern % 32) };
                    let acknowledge = match (pattern >> 5) % 4 {
                        0 | 1 => PV_NIL_THREAD,
                        2 => pv_irq_thread(40),
                        _ => pv_irq_thread(41),
                    };
                    let from = if (pattern >> 7).is_multiple_of(8) { id(w, from) } else { PV_ANY_THREAD };
                    // Mostly a thread that waits for anyone (an event loop's
                    // partner), so that the fastpath has its chances.
                    let waiting = threads
                        .iter()
                        .copied()
                        .filter(|&thread| w.kernel.threads[thread].state == (State::Receiving { from: Source::Any }))
                        .nth((to % 3) as usize);
                    let to = match waiting {
                        Some(thread) if !pattern.is_multiple_of(4) => w.id(thread),
                        _ => id(w, to),
                    };
                    r[..4].copy_from_slice(&[to, bits, from, acknowledge]);
                    r[12] = PV_SYS_NOTIFY;
                }
                _ => {
                    // Call, ReplyWait, or anything else.
                    let to = id(w, to);
                    let from = match from % 4 {
                        0 | 1 => to,
                        2 => PV_ANY_THREAD,
                        _ => id(w, from >> 4),
                    };
                    r[..4].copy_from_slice(&[to, from, timeouts, pv_tag(label, words)]);
                    r[4..12].copy_from_slice(&message);
                    r[12] = PV_SYS_IPC;
                    if pattern.is_multiple_of(7) {
                        r[0] = PV_NIL_THREAD;
                    }
                }
            }
            match w.trap_path(fast, r) {
                FastPath::Switched if r[12] == PV_SYS_NOTIFY => notify_waits += 1,
                FastPath::Switched => {
                    fast_steps += 1;
                    fast_words[words as usize] += 1;
                }
                FastPath::Answered => answered[(r[12] == PV_SYS_THREAD_SELF) as usize] += 1,
                FastPath::Declined => {}
            }
        }
        assert_eq!(worlds[0].snapshot(), worlds[1].snapshot(), "step {step}");
    }
    // The fastpath did its share, for every length it takes (and never more than 8 words).
    assert!(fast_steps > 50, "the fastpath took {fast_steps} steps {fast_words:?}");
    assert!(fast_words[..9].iter().all(|&count| count > 0), "{fast_words:?}");
    // And answered yields and null calls in place (yields, null calls).
    assert!(answered.iter().all(|&count| count > 20), "answered in place: {answered:?}");
    // And switched straight to the notified thread after a notify-and-wait.
    assert!(notify_waits > 5, "the notify-wait fastpath took {notify_waits} steps");
}

/// A client and a server in two spaces call and reply with 0 to 8 words, at
/// equal priorities and either one higher: after the first exchange every
/// Call and ReplyWait takes the fastpath, and each ends where the general
/// path ends, with the message, the sender and its space in the partner's
/// registers and zeros after the message.
#[test]
fn call_and_reply_wait_take_the_fastpath_with_up_to_eight_words() {
    for (client_priority, server_priority) in [(100, 100), (100, 150), (150, 100)] {
        for words in 0..=8u32 {
            let mut worlds = [world(), world()];
            // The general path's world: every wake-up queues (no lazy switch).
            worlds[1].kernel.eager_wakes = true;
            let mut pair = (0, 0);
            for w in worlds.iter_mut() {
                let client_space = w.new_space();
                let server_space = w.new_space();
                // Each may name the other (a server needs it to reply).
                let both = (1 << client_space) | (1 << server_space);
                w.configure(client_space, both, PV_PRIORITY_MAX, 0);
                w.configure(server_space, both, PV_PRIORITY_MAX, 0);
                let server = w.spawn(server_space, server_priority, 0);
                let client = w.spawn(client_space, client_priority, 0);
                // The root waits for good: only the two run.
                let root = w.id(w.root);
                w.ipc(w.root, PV_NIL_THREAD, root, pv_timeouts(0, NEVER), 0, &[]);
                pair = (client, server);
            }
            let (client, server) = pair;
            let message: [u32; 8] = core::array::from_fn(|i| 0x100 * (i as u32 + 1) + words);
            let mut calls = 0;
            for turn in 0..12u32 {
                let mut taken = [false; 2];
                let (mut ran, mut sent) = (0, false);
                for (index, w) in worlds.iter_mut().enumerate() {
                    let current = w.kernel.schedule().expect("the client or the server runs");
                    let mut r = [0u32; 13];
                    r[12] = PV_SYS_IPC;
                    r[4..12].copy_from_slice(&message);
                    if current == client {
                        let to = w.id(server);
                        r[..4].copy_from_slice(&[to, to, pv_timeouts(NEVER, NEVER), pv_tag(5, words)]);
                    } else if w.kernel.threads[server].context.r[1] == w.id(client) {
                        let to = w.id(client);
                        r[..4].copy_from_slice(&[to, PV_ANY_THREAD, pv_timeouts(0, NEVER), pv_tag(9, words)]);
                    } else {
                        r[1] = PV_ANY_THREAD;
                        r[2] = pv_timeouts(0, NEVER);
                    }
                    taken[index] = w.trap(index == 0, r);
                    (ran, sent) = (current, r[0] != PV_NIL_THREAD);
                }
                let case = format!("priorities {client_priority}/{server_priority}, {words} words, turn {turn}");
                assert_eq!(worlds[0].snapshot(), worlds[1].snapshot(), "{case}");
                assert!(!taken[1]);
                // From the third turn on, both partners wait in the kernel
                // for each other: every IPC is a fastpath one.
                assert!(taken[0] || turn < 2, "{case}");
                let w = &worlds[0];
                let (receiver, sender, label) = if ran == client { (server, client, 5) } else { (client, server, 9) };
                // A message that went (not one queued in a send queue).
                if !sent || !matches!(w.kernel.threads[sender].state, State::Receiving { .. }) {
                    continue;
                }
                calls += 1;
                let received = w.kernel.threads[receiver].context.r;
                let count = words as usize;
                let space = w.kernel.threads[sender].space as u32;
                assert_eq!(received[..4], [PV_OK, w.id(sender), space, pv_tag(label, words)], "{case}");
                assert_eq!(received[4..4 + count], message[..count], "{case}");
                assert!(received[4 + count..12].iter().all(|&word| word == 0), "{case}");
            }
            assert!(calls >= 9);
        }
    }
}

/// `PV_SYS_THREAD_SELF` and a yield to nil are answered in place exactly
/// when the general path would answer them and run the caller on (no
/// donation in force; for a yield, no other thread ready at the caller's
/// priority or above), and leave everything as the general path does: the
/// result registers, a yielder's fresh timeslice, the queues. A caller left
/// out of the queues by the IPC fastpath counts as the head of its queue.
#[test]
fn the_null_call_and_a_lone_yield_are_answered_where_the_general_path_would_run_the_caller_on() {
    let mut worlds = [world(), world()];
    // The general path's world: every wake-up queues (no lazy switch).
    worlds[1].kernel.eager_wakes = true;
    let (mut a, mut b, mut c, mut space) = (0, 0, 0, 0);
    for w in worlds.iter_mut() {
        space = w.new_space();
        w.configure(space, (1 << w.root_space) | (1 << space), PV_PRIORITY_MAX, 0);
        a = w.spawn(space, 100, 0);
        b = w.spawn(space, 100, 0);
        c = w.spawn(space, 120, 0);
        // The root waits for good.
        let root = w.id(w.root);
        w.ipc(w.root, PV_NIL_THREAD, root, pv_timeouts(0, NEVER), 0, &[]);
        assert_eq!(w.kernel.current, c);
    }
    // (the thread that runs, its call, what the fastpath does, who runs next)
    type Call = fn(&World, usize, usize, usize) -> [u32; 13];
    let steps: [(usize, Call, FastPath, usize); 12] = [
        // c alone at 120 (a and b ready below): answered in place.
        (c, |w, _, _, _| self_call_registers(w), FastPath::Answered, c),
        (c, |_, _, _, _| yield_registers(PV_NIL_THREAD), FastPath::Answered, c),
        // c waits for anyone: a and b share 100.
        (c, |_, _, _, _| receive_any_registers(), FastPath::Declined, a),
        (a, |_, _, _, _| yield_registers(PV_NIL_THREAD), FastPath::Declined, b),
        (b, |w, _, _, _| self_call_registers(w), FastPath::Answered, b),
        // A stale ID: the general path's error.
        (b, |w, a, _, _| yield_registers(w.id(a) ^ (1 << PV_THREAD_VERSION_SHIFT)), FastPath::Declined, b),
        // b donates to a: while the donation is in force, a's calls go the general path.
        (b, |w, a, _, _| yield_registers(w.id(a)), FastPath::Declined, a),
        (a, |w, _, _, _| self_call_registers(w), FastPath::Declined, a),
        // a's yield ends the donation: b, now first at 100, runs.
        (a, |_, _, _, _| yield_registers(PV_NIL_THREAD), FastPath::Declined, b),
        // b calls c, which waits for anyone: the IPC fastpath leaves c out of the queues.
        (
            b,
            |w, _, _, c| {
                let to = w.id(c);
                [to, to, pv_timeouts(NEVER, NEVER), pv_tag(1, 0), 0, 0, 0, 0, 0, 0, 0, 0, PV_SYS_IPC]
            },
            FastPath::Switched,
            c,
        ),
        (c, |w, _, _, _| self_call_registers(w), FastPath::Answered, c),
        (c, |_, _, _, _| yield_registers(PV_NIL_THREAD), FastPath::Answered, c),
    ];
    for (step, &(runner, call, expected, next)) in steps.iter().enumerate() {
        for (index, w) in worlds.iter_mut().enumerate() {
            assert_eq!(w.kernel.current, runner, "step {step}");
            // A used timeslice, which a yield renews.
            w.kernel.threads[runner].timeslice = 3;
            let path = w.trap_path(index == 0, call(w, a, b, c));
            assert_eq!(path, if index == 0 { expected } else { FastPath::Declined }, "step {step}");
            assert_eq!(w.kernel.current, next, "step {step}");
        }
        assert_eq!(worlds[0].snapshot(), worlds[1].snapshot(), "step {step}");
        let w = &worlds[0];
        let r = w.kernel.threads[runner].context.r;
        match (expected, r[12]) {
            (FastPath::Answered, PV_SYS_THREAD_SELF) => {
                let answer = [PV_OK, w.id(runner), space as u32, Kernel::utcb_address(runner), 0];
                assert_eq!(r[..5], answer, "step {step}");
            }
            (FastPath::Answered, _) => {
                assert_eq!(r[..5], [PV_OK, 0, 0, 0, 0], "step {step}");
                assert_eq!(w.kernel.threads[runner].timeslice, TIMESLICE_TICKS, "step {step}");
            }
            _ => {}
        }
    }
}

fn self_call_registers(_: &World) -> [u32; 13] {
    let mut r = [0xEEu32; 13];
    r[12] = PV_SYS_THREAD_SELF;
    r
}

fn yield_registers(to: u32) -> [u32; 13] {
    let mut r = [0xEEu32; 13];
    r[0] = to;
    r[12] = PV_SYS_THREAD_SWITCH;
    r
}

fn receive_any_registers() -> [u32; 13] {
    [PV_NIL_THREAD, PV_ANY_THREAD, pv_timeouts(0, NEVER), 0, 0, 0, 0, 0, 0, 0, 0, 0, PV_SYS_IPC]
}

/// The fastpath checks what the general path checks: a partner in a space
/// the caller was not granted, a stale ID, a kernel-reserved label, a too long
/// message go to the general path, which refuses them, and the waiting
/// partner learns nothing.
#[test]
fn the_fastpath_refuses_what_the_general_path_refuses() {
    let mut w = world();
    let open = w.new_space();
    let closed = w.new_space();
    w.configure(closed, (1 << w.root_space) | (1 << closed), PV_PRIORITY_MAX, 0);
    let server = w.spawn(open, 150, 0);
    // Each caller alone at its priority, at the head of its queue, the
    // root asleep: nothing but the checks stops the fastpath.
    let stranger = w.spawn(closed, 110, 0);
    let friend = w.spawn(open, 120, 0);
    assert_eq!(w.ipc(server, PV_NIL_THREAD, PV_ANY_THREAD, pv_timeouts(0, NEVER), 0, &[])[0], 0);
    let root = w.id(w.root);
    w.ipc(w.root, PV_NIL_THREAD, root, pv_timeouts(0, NEVER), 0, &[]);
    let waiting = w.kernel.threads[server].context.r;
    let server_id = w.id(server);
    let stale = server_id ^ (1 << PV_THREAD_VERSION_SHIFT);
    let cases = [
        (stranger, server_id, pv_tag(1, 2), PV_ERR_INVALID_THREAD),
        (friend, stale, pv_tag(1, 2), PV_ERR_INVALID_THREAD),
        (friend, server_id, pv_tag(PV_LABEL_KERNEL_BASE, 2), PV_ERR_INVALID_ARGUMENT),
        (friend, server_id, pv_tag(PV_LABEL_EXCEPTION, 5), PV_ERR_INVALID_ARGUMENT),
        (friend, server_id, pv_tag(1, PV_MAX_MESSAGE_WORDS + 1), PV_ERR_TOO_LONG),
    ];
    for (caller, to, tag, error) in cases {
        w.kernel.current = caller;
        assert_eq!(w.kernel.ready.head(w.kernel.threads[caller].priority), Some(caller));
        let mut r = [to, to, pv_timeouts(NEVER, NEVER), tag, 1, 2, 0, 0, 0, 0, 0, 0, PV_SYS_IPC];
        w.kernel.threads[caller].context.r = r;
        assert!(!w.kernel.fast_ipc(caller), "{tag:#x} to {to:#x}");
        w.kernel.system_call(&mut w.machine);
        r[0] = error;
        assert_eq!(w.kernel.threads[caller].context.r, r, "{tag:#x} to {to:#x}");
        assert_eq!(w.kernel.thread(server).state(), State::Receiving { from: Source::Any });
        assert_eq!(w.kernel.threads[server].context.r, waiting, "the server heard nothing");
    }
    // And the same IPC done right does take it.
    w.kernel.current = friend;
    w.kernel.threads[friend].context.r =
        [server_id, server_id, pv_timeouts(NEVER, NEVER), pv_tag(1, 2), 1, 2, 0, 0, 0, 0, 0, 0, PV_SYS_IPC];
    assert!(w.kernel.fast_ipc(friend));
    assert_eq!(w.kernel.threads[server].context.r[..6], [PV_OK, w.id(friend), open as u32, pv_tag(1, 2), 1, 2]);
}

// ----- kernel memory counters ------------------------------------------------------------

impl World {
    /// `PV_SYS_KERNEL_INFO` from the root; must succeed.
    fn kernel_info(&mut self) -> PvKernelInfo {
        let r = self.call(self.root, PV_SYS_KERNEL_INFO, &[]);
        assert_eq!(r[0], PV_OK);
        PvKernelInfo::from_registers([r[1], r[2], r[3], r[4]])
    }
}

#[test]
fn kernel_info_counts_every_pool_and_only_the_root_reads_it() {
    let mut w = world();
    let boot = w.kernel_info();
    let l2_boot = (crate::memory::page_table::L2_POOL_TABLES - w.kernel.free_l2_tables()) as u32;
    assert_eq!(
        boot,
        PvKernelInfo {
            threads_used: 1,
            threads_max: MAX_THREADS as u32 - 1,
            spaces_used: 1,
            spaces_max: MAX_SPACES as u32 - 1,
            l2_tables_used: l2_boot,
            l2_tables_max: crate::memory::page_table::L2_POOL_TABLES as u32,
            interrupts_used: 0,
            interrupts_max: IRQ_LIMIT as u32,
        }
    );
    let space = w.new_space();
    let thread = w.spawn(space, 50, 0);
    let data = PV_MAP_READ | PV_MAP_WRITE;
    assert_eq!(w.call(w.root, PV_SYS_MAP, &[space as u32, 0x0100_0000, 0x4200_0000, PV_PAGE_SIZE, data])[0], PV_OK);
    let id = w.id(thread);
    assert_eq!(w.call(w.root, PV_SYS_INTERRUPT_CONTROL, &[40, id])[0], PV_OK);
    let busy = w.kernel_info();
    assert_eq!(
        (busy.threads_used, busy.spaces_used, busy.l2_tables_used, busy.interrupts_used),
        (2, 2, l2_boot + 1, 1)
    );
    // Anyone else: refused, and nothing is written.
    let r = w.call(thread, PV_SYS_KERNEL_INFO, &[]);
    assert_eq!((r[0], r[1], r[2], r[3], r[4]), (PV_ERR_NO_PRIVILEGE, 0, 0, 0, 0));
    // Deleting the thread frees its slot and its interrupt line; deleting the
    // space gives its second-level table back.
    assert_eq!(w.call(w.root, PV_SYS_THREAD_CONTROL, &[PV_THREAD_DELETE, id])[0], PV_OK);
    assert_eq!(w.call(w.root, PV_SYS_SPACE_CONTROL, &[PV_SPACE_DELETE, space as u32])[0], PV_OK);
    assert_eq!(w.kernel_info(), boot);
}

#[test]
fn failed_requests_leak_nothing_from_the_kernel_pools() {
    let mut w = world();
    let space = w.new_space();
    let a = w.spawn(space, 50, 0);
    let before = w.kernel_info();
    let mut next = xorshift(0x2545_F491u32);
    // A guest thread's every call, with random numbers and registers: every
    // one fails or acts only on the caller, and no pool changes.
    for _ in 0..20_000 {
        let number = next() % (PV_SYS_COUNT + 4);
        if number == PV_SYS_IPC || number == PV_SYS_CONTEXT_RESUME || number == PV_SYS_EXCHANGE_REGISTERS {
            continue;
        }
        let registers: Vec<u32> =
            (0..12).map(|_| if next().is_multiple_of(2) { next() % 64 } else { next() }).collect();
        w.call(a, number, &registers);
        assert!(w.kernel.thread(a).state() == State::Ready && !w.kernel.thread(a).is_halted());
    }
    assert_eq!(w.kernel_info(), before);
    // The root's own failed creations: out of threads, a space that is not one.
    let mut created = Vec::new();
    loop {
        let r = w.call(w.root, PV_SYS_THREAD_CONTROL, &[PV_THREAD_CREATE, space as u32, 1, 0]);
        if r[0] != PV_OK {
            assert_eq!(r[0], PV_ERR_NO_RESOURCES);
            break;
        }
        created.push(r[1]);
    }
    let full = w.kernel_info();
    assert_eq!(full.threads_used, full.threads_max);
    assert_eq!(w.call(w.root, PV_SYS_THREAD_CONTROL, &[PV_THREAD_CREATE, space as u32, 1, 0])[0], PV_ERR_NO_RESOURCES);
    assert_eq!(w.call(w.root, PV_SYS_THREAD_CONTROL, &[PV_THREAD_CREATE, 99, 1, 0])[0], PV_ERR_INVALID_SPACE);
    assert_eq!(w.kernel_info(), full);
    for id in created {
        assert_eq!(w.call(w.root, PV_SYS_THREAD_CONTROL, &[PV_THREAD_DELETE, id])[0], PV_OK);
    }
    assert_eq!(w.kernel_info(), before);
}

// ----- virtual interrupts the kernel delivers (PV_SYS_VIRQ_BIND) ---------------------

/// The guest's RAM (read-write) and a read-only section, virtual and physical.
const GUEST_RAM: u32 = 0x0100_0000;
const GUEST_RAM_PHYSICAL: usize = 0x4300_0000;
const GUEST_READ_ONLY: u32 = 0x0200_0000;
/// The virtual-interrupt words (mask, pending) and entry in the guest's RAM.
const VIRQ_WORDS: u32 = GUEST_RAM + 0x100;
const VIRQ_ENTRY: u32 = 0x0010_0800;
/// The µC/OS-II thread's stack pointer.
const GUEST_SP: u32 = GUEST_RAM + 0x8000;

struct VirqWorld {
    w: World,
    /// The guest's µC/OS-II thread and its Interrupt_loop, which binds it.
    ucos: usize,
    binder: usize,
    /// A device server granted the guest's space, and one of a space that is not.
    server: usize,
    attacker: usize,
}

impl VirqWorld {
    fn guest_word(&self, address: u32) -> u32 {
        self.w.machine.peek(GUEST_RAM_PHYSICAL + (address - GUEST_RAM) as usize)
    }
    fn set_guest_word(&mut self, address: u32, value: u32) {
        self.w.machine.poke(GUEST_RAM_PHYSICAL + (address - GUEST_RAM) as usize, value);
    }
    fn mask(&self) -> u32 {
        self.guest_word(VIRQ_WORDS)
    }
    fn pending(&self) -> u32 {
        self.guest_word(VIRQ_WORDS + 4)
    }
    fn notify(&mut self, notifier: usize, bits: u32) -> u32 {
        let id = self.w.id(self.ucos);
        notify(&mut self.w, notifier, id, bits)
    }
    fn bind(&mut self, caller: usize, thread: usize, words: u32, entry: u32) -> u32 {
        let id = self.w.id(thread);
        self.w.call(caller, PV_SYS_VIRQ_BIND, &[id, words, entry])[0]
    }
}

/// A guest space with RAM, its two threads (the µC/OS-II thread ready in user
/// mode at a Thumb pc with N and C set, unmasked), a granted server and an attacker.
fn virq_world(bind: bool) -> VirqWorld {
    let (mut w, _, server, attacker) = notify_world();
    let server_space = w.kernel.thread(server).space();
    let guest = w.new_space();
    w.configure(
        server_space,
        (1 << w.root_space) | (1 << server_space) | (1 << guest),
        PV_SPACE_DEFAULT_MAX_PRIORITY,
        0,
    );
    let rw = [guest as u32, GUEST_RAM, GUEST_RAM_PHYSICAL as u32, PV_SECTION_SIZE, PV_MAP_READ | PV_MAP_WRITE];
    assert_eq!(w.call(w.root, PV_SYS_MAP, &rw)[0], PV_OK);
    let ro = [guest as u32, GUEST_READ_ONLY, 0x4400_0000, PV_SECTION_SIZE, PV_MAP_READ];
    assert_eq!(w.call(w.root, PV_SYS_MAP, &ro)[0], PV_OK);
    let ucos = w.spawn(guest, 60, 0);
    let binder = w.spawn(guest, 61, 0);
    let context = &mut w.kernel.threads[ucos].context;
    context.sp = GUEST_SP;
    context.pc = 0x0010_1234;
    context.cpsr = user_cpsr(0xA000_0000 | CPSR_THUMB);
    let mut v = VirqWorld { w, ucos, binder, server, attacker };
    if bind {
        assert_eq!(v.bind(binder, ucos, VIRQ_WORDS, VIRQ_ENTRY), PV_OK);
    }
    v
}

#[test]
fn only_a_thread_of_the_own_space_is_bound_and_only_to_writable_ram() {
    let mut v = virq_world(false);
    let (ucos, binder, server, attacker) = (v.ucos, v.binder, v.server, v.attacker);
    // Another space's thread: exactly what no thread gives, even for a granted server.
    for caller in [server, attacker] {
        assert_eq!(v.bind(caller, ucos, VIRQ_WORDS, VIRQ_ENTRY), PV_ERR_INVALID_THREAD);
    }
    let cases = [
        (GUEST_READ_ONLY + 0x100, VIRQ_ENTRY, PV_ERR_BAD_ADDRESS, "read-only words"),
        (0x0300_0000, VIRQ_ENTRY, PV_ERR_BAD_ADDRESS, "unmapped words"),
        (GUEST_RAM + PV_SECTION_SIZE - 8 + 8, VIRQ_ENTRY, PV_ERR_BAD_ADDRESS, "words past the RAM"),
        (0xFFFF_FFF8, VIRQ_ENTRY, PV_ERR_BAD_ADDRESS, "kernel addresses"),
        (VIRQ_WORDS + 4, VIRQ_ENTRY, PV_ERR_INVALID_ARGUMENT, "words not 8-byte aligned"),
        (VIRQ_WORDS, VIRQ_ENTRY + 1, PV_ERR_INVALID_ARGUMENT, "a Thumb entry"),
        (VIRQ_WORDS | 2, VIRQ_ENTRY, PV_ERR_INVALID_ARGUMENT, "an unknown flag"),
        (PV_VIRQ_WORDS_TICK_COUNT, VIRQ_ENTRY, PV_ERR_INVALID_ARGUMENT, "the tick count flag without words"),
        (
            (VIRQ_WORDS + 8) | PV_VIRQ_WORDS_TICK_COUNT,
            VIRQ_ENTRY,
            PV_ERR_INVALID_ARGUMENT,
            "three words not 16-byte aligned",
        ),
        ((GUEST_READ_ONLY + 0x100) | PV_VIRQ_WORDS_TICK_COUNT, VIRQ_ENTRY, PV_ERR_BAD_ADDRESS, "three read-only words"),
        (
            (GUEST_RAM + PV_SECTION_SIZE - 16 + 16) | PV_VIRQ_WORDS_TICK_COUNT,
            VIRQ_ENTRY,
            PV_ERR_BAD_ADDRESS,
            "three words past the RAM",
        ),
    ];
    for (words, entry, expected, what) in cases {
        assert_eq!(v.bind(binder, ucos, words, entry), expected, "{what}");
        assert_eq!(v.w.kernel.virq_binding(ucos), None, "{what}");
    }
    assert_eq!(v.w.call(binder, PV_SYS_VIRQ_BIND, &[PV_NIL_THREAD, VIRQ_WORDS, VIRQ_ENTRY])[0], PV_ERR_INVALID_THREAD);
    assert_eq!(v.bind(binder, ucos, VIRQ_WORDS, VIRQ_ENTRY), PV_OK);
    assert_eq!(
        v.w.kernel.virq_binding(ucos),
        Some(VirqBinding { words: VIRQ_WORDS, entry: VIRQ_ENTRY, tick_count: false })
    );
    assert_eq!(v.bind(binder, ucos, VIRQ_WORDS | PV_VIRQ_WORDS_TICK_COUNT, VIRQ_ENTRY), PV_OK);
    assert_eq!(
        v.w.kernel.virq_binding(ucos),
        Some(VirqBinding { words: VIRQ_WORDS, entry: VIRQ_ENTRY, tick_count: true })
    );
    // Unbound again: notifications are ordinary ones.
    assert_eq!(v.bind(binder, ucos, 0, 0), PV_OK);
    assert_eq!(v.notify(server, 1), PV_OK);
    assert_eq!((v.pending(), v.w.kernel.notification_bits(ucos)), (0, 1));
}

#[test]
fn a_notification_redirects_a_ready_unmasked_bound_thread_to_its_entry() {
    let mut v = virq_world(true);
    let (ucos, server) = (v.ucos, v.server);
    assert_eq!(v.notify(server, PV_NOTIFY_TIMER_TICK), PV_OK);
    assert_eq!((v.pending(), v.mask()), (PV_NOTIFY_TIMER_TICK, 1));
    assert_eq!(v.w.kernel.notification_bits(ucos), 0, "not an ordinary notification");
    // The frame Interrupt_loop's ExchangeRegisters builds: flags, then pc with the Thumb bit.
    assert_eq!(v.guest_word(GUEST_SP - 8), 0xA000_0000 | CPSR_THUMB);
    assert_eq!(v.guest_word(GUEST_SP - 4), 0x0010_1235);
    let context = v.w.kernel.thread(ucos).context;
    assert_eq!((context.sp, context.pc, context.cpsr), (GUEST_SP - 8, VIRQ_ENTRY, CPSR_USER_MODE));
    assert_eq!(v.w.kernel.thread(ucos).state(), State::Ready);
    // Now masked (the entry runs): the next one only waits in the pending word.
    assert_eq!(v.notify(server, PV_NOTIFY_SERIAL_INPUT), PV_OK);
    assert_eq!(v.pending(), PV_NOTIFY_TIMER_TICK | PV_NOTIFY_SERIAL_INPUT);
    assert_eq!(v.w.kernel.thread(ucos).context, context, "a masked thread is not redirected again");
}

#[test]
fn a_masked_halted_or_busy_bound_thread_only_gets_the_pending_bits() {
    // Masked.
    let mut v = virq_world(true);
    let (ucos, server) = (v.ucos, v.server);
    v.set_guest_word(VIRQ_WORDS, 1);
    let before = v.w.kernel.thread(ucos).context;
    assert_eq!(v.notify(server, 1), PV_OK);
    assert_eq!((v.pending(), v.mask(), v.w.kernel.thread(ucos).context), (1, 1, before));
    // Halted.
    let mut v = virq_world(true);
    v.w.kernel.exchange_registers(ucos, PV_EXREG_HALT, 0, 0, 0);
    assert_eq!(v.notify(server, 2), PV_OK);
    assert_eq!((v.pending(), v.mask(), v.w.kernel.thread(ucos).context), (2, 0, before));
    // In a system call: blocked in a call to the root, whose reply still arrives as usual.
    let mut v = virq_world(true);
    let root_id = v.w.id(v.w.root);
    v.w.ipc(ucos, root_id, root_id, pv_timeouts(NEVER, NEVER), 0, &[]);
    let blocked = v.w.kernel.thread(ucos);
    assert_eq!(blocked.state(), State::Sending { to: root_id });
    let blocked = blocked.context;
    assert_eq!(v.notify(server, 1), PV_OK);
    assert_eq!((v.pending(), v.mask()), (1, 0));
    assert_eq!(v.w.kernel.thread(ucos).context, blocked);
    assert_eq!(v.w.kernel.thread(ucos).state(), State::Sending { to: root_id });
    // Notifying itself is a system call too.
    let mut v = virq_world(true);
    let ucos_id = v.w.id(ucos);
    assert_eq!(notify(&mut v.w, ucos, ucos_id, 4), PV_OK);
    assert_eq!((v.pending(), v.mask(), v.w.kernel.thread(ucos).context.pc), (4, 0, 0x0010_1234));
}

#[test]
fn a_notification_completes_the_idle_wait_of_a_bound_thread() {
    let mut v = virq_world(true);
    let (ucos, server) = (v.ucos, v.server);
    v.w.ipc(ucos, PV_NIL_THREAD, PV_ANY_THREAD, pv_timeouts(0, NEVER), 0, &[]);
    let waiting = v.w.kernel.thread(ucos).context;
    assert_eq!(v.notify(server, PV_NOTIFY_TIMER_TICK), PV_OK);
    let tcb = v.w.kernel.thread(ucos);
    assert_eq!(tcb.state(), State::Ready);
    let r = tcb.context.r;
    assert_eq!((r[0], r[3], r[4]), (PV_OK, pv_tag(PV_LABEL_NOTIFICATION, 1), PV_NOTIFY_TIMER_TICK));
    assert_eq!((tcb.context.pc, tcb.context.sp), (waiting.pc, waiting.sp), "the receive returns, no redirect");
    assert_eq!((v.pending(), v.mask()), (PV_NOTIFY_TIMER_TICK, 0), "the runtime takes it from the pending word");
    assert_eq!(v.w.kernel.notification_bits(ucos), 0);
    // A closed receive (a call's reply) is not completed.
    let root_id = v.w.id(v.w.root);
    v.w.ipc(ucos, PV_NIL_THREAD, root_id, pv_timeouts(0, NEVER), 0, &[]);
    assert_eq!(v.notify(server, 2), PV_OK);
    assert_eq!(v.w.kernel.thread(ucos).state(), State::Receiving { from: Source::Thread(root_id) });
}

#[test]
fn a_bad_stack_or_unmapped_words_never_fault_the_kernel_and_lose_no_bit() {
    for sp in [GUEST_READ_ONLY + 0x100, 0x0300_0004, 4, GUEST_RAM + 4, 0x4000_0004, 0xFFFF_FFF0] {
        let mut v = virq_world(true);
        let (ucos, server) = (v.ucos, v.server);
        v.w.kernel.threads[ucos].context.sp = sp;
        let before = v.w.kernel.thread(ucos).context;
        assert_eq!(v.notify(server, 1), PV_OK, "sp {sp:#x}");
        assert_eq!((v.pending(), v.mask()), (1, 0), "sp {sp:#x}: the bit waits, the thread is untouched");
        assert_eq!(v.w.kernel.thread(ucos).context, before, "sp {sp:#x}");
        assert_eq!(v.w.kernel.faults_reported(), 0);
    }
    // The words unmapped after binding: the bits become an ordinary notification.
    let mut v = virq_world(true);
    let (ucos, server) = (v.ucos, v.server);
    let space = v.w.kernel.thread(ucos).space() as u32;
    assert_eq!(v.w.call(v.w.root, PV_SYS_UNMAP, &[space, GUEST_RAM, PV_SECTION_SIZE])[0], PV_OK);
    assert_eq!(v.notify(server, 3), PV_OK);
    assert_eq!(v.w.kernel.notification_bits(ucos), 3);
    assert_eq!(v.w.kernel.thread(ucos).context.pc, 0x0010_1234);
}

#[test]
fn an_unauthorised_notifier_raises_no_virtual_interrupt() {
    let mut v = virq_world(true);
    let (ucos, attacker) = (v.ucos, v.attacker);
    let before = v.w.kernel.thread(ucos).context;
    assert_eq!(v.notify(attacker, 1), PV_ERR_INVALID_THREAD);
    assert_eq!((v.pending(), v.mask(), v.w.kernel.thread(ucos).context), (0, 0, before));
}

/// A second RAM section of the guest for the µC/OS-II thread's stack, and
/// the frames it is mapped to in the tests of the kept translations.
const GUEST_STACK: u32 = 0x0300_0000;
const STACK_FRAME: usize = 0x4500_0000;
const OTHER_FRAME: usize = 0x4600_0000;

impl VirqWorld {
    /// Maps the guest's section at `virtual_address` to `physical` with `rights`.
    fn map(&mut self, virtual_address: u32, physical: usize, rights: u32) {
        let space = self.w.kernel.thread(self.ucos).space() as u32;
        let arguments = [space, virtual_address, physical as u32, PV_SECTION_SIZE, rights];
        assert_eq!(self.w.call(self.w.root, PV_SYS_MAP, &arguments)[0], PV_OK);
    }
    fn unmap(&mut self, virtual_address: u32) {
        let space = self.w.kernel.thread(self.ucos).space() as u32;
        assert_eq!(self.w.call(self.w.root, PV_SYS_UNMAP, &[space, virtual_address, PV_SECTION_SIZE])[0], PV_OK);
    }
    /// The thread back where it was before a redirect, unmasked, nothing pending.
    fn rewind(&mut self, context: UserContext) {
        self.w.kernel.threads[self.ucos].context = context;
        self.set_guest_word(VIRQ_WORDS, 0);
        self.set_guest_word(VIRQ_WORDS + 4, 0);
    }
}

/// The kept translations are trusted on a flag that `Kernel::edit_tables`
/// clears: no change of a space's tables may reach `SpaceTables` around it.
/// In the kernel's sources, the only other way to a mutable table is space
/// creation, right after it drops the space's kept translations itself.
#[test]
fn every_change_of_a_space_s_tables_drops_the_kept_translations_first() {
    let sources = [
        ("mod.rs", include_str!("mod.rs")),
        ("syscall.rs", include_str!("syscall.rs")),
        ("ipc.rs", include_str!("ipc.rs")),
        ("notify.rs", include_str!("notify.rs")),
        ("ticks.rs", include_str!("ticks.rs")),
        ("sched.rs", include_str!("sched.rs")),
        ("fastpath.rs", include_str!("fastpath.rs")),
        ("runtime.rs", include_str!("../runtime.rs")),
    ];
    let mut edits = Vec::new();
    for (file, source) in sources {
        for (number, line) in source.lines().enumerate() {
            if line.contains("tables.edit(") || line.contains("tables.edit_from_kernel(") {
                edits.push(format!("{file}:{}: {}", number + 1, line.trim()));
            }
        }
    }
    assert_eq!(edits.len(), 2, "SpaceTables reached for a change outside Kernel::edit_tables: {edits:#?}");
    // Each of the two comes right after the drop of the space's kept translations.
    let source = include_str!("mod.rs");
    for accessor in ["self.tables.edit(space)", "let (kernel, table, pool) = self.tables.edit_from_kernel(space);"] {
        let at = source.find(accessor).expect("the accessor is used");
        assert!(
            source[..at].trim_end().ends_with("self.drop_kept_translations(space);"),
            "`{accessor}` without the kept translations dropped first"
        );
    }
}

#[test]
fn kept_translations_of_the_words_follow_every_unmap_and_remap() {
    let mut v = virq_world(true);
    let (ucos, server) = (v.ucos, v.server);
    let start = v.w.kernel.thread(ucos).context;
    // The first interrupt after binding uses (and keeps) the translations.
    assert_eq!(v.notify(server, 1), PV_OK);
    assert_eq!((v.pending(), v.mask()), (1, 1));
    v.rewind(start);
    v.set_guest_word(GUEST_SP - 4, 0xDEAD);
    // The words' section moved to another frame: the next interrupt writes
    // there, never to the old frame.
    v.unmap(GUEST_RAM);
    v.map(GUEST_RAM, OTHER_FRAME, PV_MAP_READ | PV_MAP_WRITE);
    let old = |v: &VirqWorld, address: u32| v.guest_word(address);
    let new = |v: &VirqWorld, address: u32| v.w.machine.peek(OTHER_FRAME + (address - GUEST_RAM) as usize);
    assert_eq!(v.notify(server, 2), PV_OK);
    assert_eq!((old(&v, VIRQ_WORDS), old(&v, VIRQ_WORDS + 4)), (0, 0), "the old frame is not written");
    assert_eq!((new(&v, VIRQ_WORDS), new(&v, VIRQ_WORDS + 4)), (1, 2), "the new frame is");
    assert_eq!(new(&v, GUEST_SP - 4), 0x0010_1235, "the stack moved with the section");
    assert_eq!(old(&v, GUEST_SP - 4), 0xDEAD, "nor the old stack");
    // Read-only now (the same frame again): nothing is written at all.
    v.w.kernel.threads[ucos].context = start;
    v.unmap(GUEST_RAM);
    v.map(GUEST_RAM, OTHER_FRAME, PV_MAP_READ);
    assert_eq!(v.notify(server, 4), PV_OK);
    assert_eq!((new(&v, VIRQ_WORDS), new(&v, VIRQ_WORDS + 4)), (1, 2), "a read-only frame is not written");
    assert_eq!(v.w.kernel.notification_bits(ucos), 4, "the bit became an ordinary notification");
    assert_eq!(v.w.kernel.thread(ucos).context, start);
    // Unmapped: the same.
    v.unmap(GUEST_RAM);
    assert_eq!(v.notify(server, 8), PV_OK);
    assert_eq!(v.w.kernel.notification_bits(ucos), 12);
    assert_eq!(v.w.kernel.faults_reported(), 0);
}

#[test]
fn the_kept_stack_page_follows_every_unmap_and_remap() {
    let mut v = virq_world(true);
    let (ucos, server) = (v.ucos, v.server);
    v.map(GUEST_STACK, STACK_FRAME, PV_MAP_READ | PV_MAP_WRITE);
    v.w.kernel.threads[ucos].context.sp = GUEST_STACK + 0x8000;
    let start = v.w.kernel.thread(ucos).context;
    let frame_word = |v: &VirqWorld, frame: usize| v.w.machine.peek(frame + 0x8000 - 4);
    assert_eq!(v.notify(server, 1), PV_OK);
    assert_eq!(frame_word(&v, STACK_FRAME), 0x0010_1235);
    assert_eq!(v.w.kernel.thread(ucos).context.pc, VIRQ_ENTRY);
    // Another sp in the same page uses the kept page.
    v.rewind(start);
    v.w.kernel.threads[ucos].context.sp = GUEST_STACK + 0x4000;
    assert_eq!(v.notify(server, 1), PV_OK);
    assert_eq!(v.w.machine.peek(STACK_FRAME + 0x4000 - 4), 0x0010_1235);
    // The stack's section made read-only (the same frame): no redirect, no write.
    v.rewind(start);
    v.w.machine.poke(STACK_FRAME + 0x8000 - 4, 0xDEAD);
    v.unmap(GUEST_STACK);
    v.map(GUEST_STACK, STACK_FRAME, PV_MAP_READ);
    assert_eq!(v.notify(server, 1), PV_OK);
    assert_eq!(frame_word(&v, STACK_FRAME), 0xDEAD, "a read-only stack is not written");
    assert_eq!(v.w.kernel.thread(ucos).context, start, "the thread is untouched");
    assert_eq!((v.pending(), v.mask()), (1, 0), "the bit waits");
    // Moved to another frame: written there, never to the old one.
    v.rewind(start);
    v.unmap(GUEST_STACK);
    v.map(GUEST_STACK, OTHER_FRAME, PV_MAP_READ | PV_MAP_WRITE);
    assert_eq!(v.notify(server, 1), PV_OK);
    assert_eq!(frame_word(&v, STACK_FRAME), 0xDEAD, "the old frame is not written");
    assert_eq!(frame_word(&v, OTHER_FRAME), 0x0010_1235);
    // Unmapped: nothing.
    v.rewind(start);
    v.w.machine.poke(OTHER_FRAME + 0x8000 - 4, 0xBEEF);
    v.unmap(GUEST_STACK);
    assert_eq!(v.notify(server, 1), PV_OK);
    assert_eq!(frame_word(&v, OTHER_FRAME), 0xBEEF, "an unmapped stack is not written");
    assert_eq!(v.w.kernel.thread(ucos).context, start);
    assert_eq!(v.w.kernel.faults_reported(), 0);
}

#[test]
fn a_deleted_and_recreated_space_keeps_no_translation_of_the_old_one() {
    // Every change of a table moves its space's generation on, creation and
    // deletion included, so nothing kept for a thread of the old space can
    // match the new one's tables.
    let mut w = world();
    let space = w.new_space();
    let before = w.kernel.tables.generation(space);
    let rw = [space as u32, GUEST_RAM, GUEST_RAM_PHYSICAL as u32, PV_SECTION_SIZE, PV_MAP_READ | PV_MAP_WRITE];
    assert_eq!(w.call(w.root, PV_SYS_MAP, &rw)[0], PV_OK);
    let mapped = w.kernel.tables.generation(space);
    assert!(mapped > before);
    assert_eq!(w.call(w.root, PV_SYS_UNMAP, &[space as u32, GUEST_RAM, PV_SECTION_SIZE])[0], PV_OK);
    let unmapped = w.kernel.tables.generation(space);
    assert!(unmapped > mapped);
    assert_eq!(w.call(w.root, PV_SYS_SPACE_CONTROL, &[PV_SPACE_DELETE, space as u32])[0], PV_OK);
    let deleted = w.kernel.tables.generation(space);
    assert!(deleted > unmapped);
    assert_eq!(w.new_space(), space, "the index is reused");
    assert!(w.kernel.tables.generation(space) > deleted);
}

// ----- ticks the kernel delivers itself (PV_SYS_TICK_SCHEDULE) -------------------------

/// The model's counter frequency (1 MHz): 1000 counts per tick at 1000 Hz.
const MODEL_FREQUENCY: u64 = 1_000_000;

/// A guest of a tick world: its space, its bound µC/OS-II thread and the
/// physical address of its RAM.
#[derive(Clone, Copy)]
struct TickGuest {
    space: usize,
    ucos: usize,
    ram: usize,
}

struct TickWorld {
    w: World,
    /// v_timer, in the driver domain (granted the timer and every space).
    v_timer: usize,
    guests: Vec<TickGuest>,
}

impl TickWorld {
    fn word(&self, guest: TickGuest, address: u32) -> u32 {
        self.w.machine.peek(guest.ram + (address - GUEST_RAM) as usize)
    }
    fn set_word(&mut self, guest: TickGuest, address: u32, value: u32) {
        self.w.machine.poke(guest.ram + (address - GUEST_RAM) as usize, value);
    }
    fn pending(&self, guest: TickGuest) -> u32 {
        self.word(guest, VIRQ_WORDS + 4)
    }
    fn mask(&self, guest: TickGuest) -> u32 {
        self.word(guest, VIRQ_WORDS)
    }
    /// The guest took its virtual interrupt: pending cleared, unmasked, back
    /// at its task's pc with its stack as before.
    fn take(&mut self, guest: TickGuest) {
        self.set_word(guest, VIRQ_WORDS + 4, 0);
        self.set_word(guest, VIRQ_WORDS, 0);
        let context = &mut self.w.kernel.threads[guest.ucos].context;
        context.sp = GUEST_SP;
        context.pc = 0x0010_1234;
    }
    /// `PV_SYS_TICK_SCHEDULE` from `caller`.
    fn schedule(&mut self, caller: usize, operation: u32, thread: u32, rate: u32, start: u64) -> [u32; 13] {
        let registers = [operation, thread, rate, start as u32, (start >> 32) as u32];
        self.w.call(caller, PV_SYS_TICK_SCHEDULE, &registers)
    }
    fn start(&mut self, guest: TickGuest, rate: u32, start: u64) -> u32 {
        let (v_timer, id) = (self.v_timer, self.w.id(guest.ucos));
        self.schedule(v_timer, PV_TICK_START, id, rate, start)[0]
    }
    /// The kernel's timer interrupt at counter value `now`.
    fn interrupt_at(&mut self, now: u64) {
        self.w.machine.now = now;
        let ticks = self.w.kernel.timer_interrupt(now, &mut self.w.machine);
        self.w.machine.arm_timer(ticks);
    }
    fn generated(&self, guest: TickGuest) -> Option<u32> {
        self.w.kernel.ticks_generated(guest.ucos)
    }
}

/// The driver domain with v_timer and `guests` guest spaces, each with RAM
/// and its µC/OS-II thread bound to its virtual-interrupt words, ready in
/// user mode and unmasked (not running: the root is current).
fn tick_world(guests: usize) -> TickWorld {
    let mut w = world();
    w.machine.now = 5_000_000;
    let drivers = w.new_space();
    let v_timer = w.spawn(drivers, 200, 0);
    let mut list = Vec::new();
    for number in 0..guests {
        let space = w.new_space();
        let ram = GUEST_RAM_PHYSICAL + number * SECTION;
        let rw = [space as u32, GUEST_RAM, ram as u32, PV_SECTION_SIZE, PV_MAP_READ | PV_MAP_WRITE];
        assert_eq!(w.call(w.root, PV_SYS_MAP, &rw)[0], PV_OK);
        let ucos = w.spawn(space, 60, 0);
        let context = &mut w.kernel.threads[ucos].context;
        context.sp = GUEST_SP;
        context.pc = 0x0010_1234;
        context.cpsr = user_cpsr(0);
        let id = w.id(ucos);
        assert_eq!(w.call(ucos, PV_SYS_VIRQ_BIND, &[id, VIRQ_WORDS, VIRQ_ENTRY])[0], PV_OK);
        list.push(TickGuest { space, ucos, ram });
    }
    w.configure(drivers, ALL_SPACES, PV_PRIORITY_MAX, PV_SPACE_TIMER_ACCESS);
    w.kernel.current = w.root;
    TickWorld { w, v_timer, guests: list }
}

#[test]
fn the_kernel_ticks_a_bound_thread_at_its_deadlines_without_v_timer() {
    let mut t = tick_world(1);
    let guest = t.guests[0];
    let start = t.w.machine.now;
    assert_eq!(t.start(guest, 1000, start), PV_OK);
    assert_eq!(t.generated(guest), Some(0));
    assert_eq!(t.w.kernel.timer_deadline(), 0, "armed at once: the kernel's own tick has not run yet");
    // The kernel's own tick; no guest tick is due yet.
    t.interrupt_at(start + 10);
    assert_eq!((t.pending(guest), t.generated(guest)), (0, Some(0)));
    assert_eq!(t.w.kernel.timer_deadline(), start + 1000, "the guest's first deadline");
    assert_eq!(t.w.machine.timer_fires_at, Some(start + 1000));
    // One count early: nothing.
    t.interrupt_at(start + 999);
    assert_eq!((t.pending(guest), t.generated(guest)), (0, Some(0)));
    // At the deadline: the bit, the redirect, one tick counted.
    t.interrupt_at(start + 1000);
    assert_eq!((t.pending(guest), t.mask(guest), t.generated(guest)), (PV_NOTIFY_TIMER_TICK, 1, Some(1)));
    let context = t.w.kernel.thread(guest.ucos).context;
    assert_eq!((context.pc, context.sp), (VIRQ_ENTRY, GUEST_SP - 8));
    assert_eq!(t.word(guest, GUEST_SP - 4), 0x0010_1234, "the interrupted pc in the frame");
    assert_eq!(t.w.kernel.notification_bits(guest.ucos), 0);
    // The kernel's own tick ran once (at start + 10) and stopped: the root
    // runs alone at its priority, so the next interrupt is the guest's.
    assert_eq!(t.w.machine.timer_fires_at, Some(start + 2000), "no kernel tick while nothing needs it");
    // A late interrupt: every tick due counted, one notification.
    t.take(guest);
    t.interrupt_at(start + 4_500);
    assert_eq!((t.pending(guest), t.generated(guest)), (PV_NOTIFY_TIMER_TICK, Some(4)));
    assert_eq!(t.w.kernel.timer_deadline(), start + 5_000);
    // A spurious interrupt (nothing due): nothing.
    t.take(guest);
    t.interrupt_at(start + 4_600);
    assert_eq!((t.pending(guest), t.generated(guest)), (0, Some(4)));
    // v_timer reads the count; nothing of v_timer ran per tick.
    let id = t.w.id(guest.ucos);
    let v_timer = t.v_timer;
    let r = t.schedule(v_timer, PV_TICK_COUNT, id, 0, 0);
    assert_eq!((r[0], r[1]), (PV_OK, 4));
}

/// `PV_VIRQ_WORDS_TICK_COUNT`: the kernel writes the thread's count of ticks
/// generated to the word after pending, at the start of its schedule and with
/// each tick it delivers (several at once in a late interrupt, masked or
/// not); a rate change keeps the count; without the flag the word is the
/// guest's own and never written; an ordinary notification writes no count.
#[test]
fn the_kernel_writes_the_tick_count_word_of_a_binding_that_has_one() {
    const COUNT: u32 = VIRQ_WORDS + 8;
    let mut t = tick_world(2);
    let (counted, plain) = (t.guests[0], t.guests[1]);
    let id = t.w.id(counted.ucos);
    let words = VIRQ_WORDS | PV_VIRQ_WORDS_TICK_COUNT;
    assert_eq!(t.w.call(counted.ucos, PV_SYS_VIRQ_BIND, &[id, words, VIRQ_ENTRY])[0], PV_OK);
    t.set_word(counted, COUNT, 0xDEAD);
    t.set_word(plain, COUNT, 0xBEEF);
    let start = t.w.machine.now;
    assert_eq!(t.start(counted, 1000, start), PV_OK);
    assert_eq!(t.start(plain, 1000, start), PV_OK);
    assert_eq!(t.word(counted, COUNT), 0, "the count starts with the schedule");
    t.interrupt_at(start + 1000);
    assert_eq!((t.word(counted, COUNT), t.generated(counted)), (1, Some(1)));
    assert_eq!(t.pending(counted), PV_NOTIFY_TIMER_TICK);
    // Masked now (it took nothing): three ticks late, the count moves by three.
    t.interrupt_at(start + 4000);
    assert_eq!((t.word(counted, COUNT), t.generated(counted)), (4, Some(4)));
    t.take(counted);
    // A new rate keeps the count, and so does the word.
    assert_eq!(t.start(counted, 500, start + 4000), PV_OK);
    assert_eq!(t.word(counted, COUNT), 4);
    t.interrupt_at(start + 6000);
    assert_eq!((t.word(counted, COUNT), t.generated(counted)), (5, Some(5)));
    // Another notification of the tick bit writes no count.
    let server = t.v_timer;
    assert_eq!(notify(&mut t.w, server, id, PV_NOTIFY_TIMER_TICK), PV_OK);
    assert_eq!(t.word(counted, COUNT), 5);
    // Without the flag the kernel never writes the word after pending.
    assert_eq!(t.generated(plain), Some(6));
    assert_eq!(t.word(plain, COUNT), 0xBEEF);
}

#[test]
fn the_kernel_tick_keeps_its_period_beside_the_guest_ticks() {
    let mut t = tick_world(1);
    let guest = t.guests[0];
    // A receive that times out after 3 kernel ticks' worth of time.
    let root = t.w.root;
    t.w.ipc(root, PV_NIL_THREAD, PV_ANY_THREAD, pv_timeouts(0, 3), 0, &[]);
    let start = t.w.machine.now;
    assert_eq!(t.start(guest, 4000, start), PV_OK);
    let mut interrupts = 0;
    // Follow the timer as the hardware would, for 10 ms.
    t.interrupt_at(start);
    while t.w.machine.now < start + 10_000 {
        let at = t.w.machine.timer_fires_at.unwrap();
        assert!(at > t.w.machine.now, "armed in the future");
        t.interrupt_at(at);
        t.take(guest);
        interrupts += 1;
    }
    assert_eq!(t.w.kernel.thread(root).state(), State::Ready, "the timeout expired");
    assert_eq!(t.w.kernel.thread(root).context.r[0], PV_ERR_TIMEOUT | PV_ERR_RECEIVE_PHASE);
    // 40 guest ticks and 10 kernel ticks, some at the same interrupt.
    assert!((40..=50).contains(&interrupts), "{interrupts} interrupts");
    assert_eq!(t.generated(guest), Some(40));
}

#[test]
fn the_kernel_redirects_the_thread_its_timer_interrupted() {
    let mut t = tick_world(1);
    let guest = t.guests[0];
    let start = t.w.machine.now;
    assert_eq!(t.start(guest, 1000, start), PV_OK);
    // The guest's thread runs (in user mode) when the timer interrupts it.
    t.w.kernel.current = guest.ucos;
    t.interrupt_at(start + 1000);
    assert_eq!(t.w.kernel.thread(guest.ucos).context.pc, VIRQ_ENTRY);
    assert_eq!(t.w.kernel.schedule(), Some(guest.ucos), "it goes on, at its entry");
}

#[test]
fn a_masked_guest_only_gets_the_pending_bit_and_an_idle_one_is_woken() {
    let mut t = tick_world(1);
    let guest = t.guests[0];
    let start = t.w.machine.now;
    assert_eq!(t.start(guest, 1000, start), PV_OK);
    t.set_word(guest, VIRQ_WORDS, 1);
    let before = t.w.kernel.thread(guest.ucos).context;
    t.interrupt_at(start + 2000);
    assert_eq!((t.pending(guest), t.mask(guest), t.generated(guest)), (PV_NOTIFY_TIMER_TICK, 1, Some(2)));
    assert_eq!(t.w.kernel.thread(guest.ucos).context, before, "masked: not redirected");
    // Idle: its open receive completes with the notification.
    t.take(guest);
    let ucos = guest.ucos;
    t.w.ipc(ucos, PV_NIL_THREAD, PV_ANY_THREAD, pv_timeouts(0, NEVER), 0, &[]);
    assert_eq!(t.w.kernel.thread(ucos).state(), State::Receiving { from: Source::Any });
    t.w.kernel.current = t.w.root;
    t.interrupt_at(start + 3000);
    let tcb = t.w.kernel.thread(ucos);
    assert_eq!(tcb.state(), State::Ready);
    assert_eq!((tcb.context.r[3], tcb.context.r[4]), (pv_tag(PV_LABEL_NOTIFICATION, 1), PV_NOTIFY_TIMER_TICK));
    assert_eq!(t.generated(guest), Some(3));
}

#[test]
fn several_guests_each_get_exactly_the_ticks_their_schedule_says() {
    let mut t = tick_world(3);
    let now = t.w.machine.now;
    let plans = [(1000u32, now - 123), (1024, now - 7), (32_768, now)];
    for (guest, &(rate, start)) in t.guests.clone().iter().zip(&plans) {
        assert_eq!(t.start(*guest, rate, start), PV_OK);
    }
    t.interrupt_at(now);
    let mut notified = [0u32; 3];
    let mut previous_due = [0u64; 3];
    while t.w.machine.now < now + 2 * MODEL_FREQUENCY {
        let at = t.w.machine.timer_fires_at.unwrap();
        t.interrupt_at(at);
        for (index, guest) in t.guests.clone().into_iter().enumerate() {
            let (rate, start) = plans[index];
            // The reference: the ticks due by the counter now, by the definition.
            let due = (u128::from(at - start) * u128::from(rate) / u128::from(MODEL_FREQUENCY)) as u64;
            assert_eq!(t.generated(guest), Some(due as u32), "guest {index} at {at}");
            let raised = t.pending(guest) != 0;
            assert_eq!(
                raised,
                due > previous_due[index],
                "guest {index} at {at}: notified exactly when a tick fell due"
            );
            notified[index] += u32::from(raised);
            previous_due[index] = due;
            t.take(guest);
        }
    }
    // Every tick came at its own interrupt (none late, none merged), over two seconds.
    assert_eq!(notified, [2000, 2048, 65_536]);
}

#[test]
fn a_deleted_or_restarted_guest_loses_its_schedule_and_a_reused_slot_gets_no_tick() {
    let mut t = tick_world(2);
    let (victim, other) = (t.guests[0], t.guests[1]);
    let start = t.w.machine.now;
    assert_eq!(t.start(victim, 1000, start), PV_OK);
    assert_eq!(t.start(other, 1000, start), PV_OK);
    t.interrupt_at(start + 1000);
    t.take(victim);
    t.take(other);
    // The guest restarts: its thread is deleted, and a new thread of a new
    // space takes the slot.
    let id = t.w.id(victim.ucos);
    let root = t.w.root;
    assert_eq!(t.w.call(root, PV_SYS_THREAD_CONTROL, &[PV_THREAD_DELETE, id])[0], PV_OK);
    assert_eq!(t.generated(victim), None);
    let space = t.w.new_space();
    let reused = t.w.spawn(space, 60, 0);
    assert_eq!(reused, victim.ucos, "the slot is reused");
    t.w.kernel.threads[reused].context.sp = GUEST_SP;
    let before = t.w.kernel.thread(reused).context;
    t.interrupt_at(start + 5000);
    assert_eq!(t.w.kernel.thread(reused).context, before, "no tick reaches the slot's new thread");
    assert_eq!(t.w.kernel.notification_bits(reused), 0);
    assert_eq!(t.pending(victim), 0);
    assert_eq!((t.pending(other), t.generated(other)), (PV_NOTIFY_TIMER_TICK, Some(5)), "the other guest goes on");
    // Stopped by v_timer: no more ticks, the count returned.
    let other_id = t.w.id(other.ucos);
    let v_timer = t.v_timer;
    let r = t.schedule(v_timer, PV_TICK_STOP, other_id, 0, 0);
    assert_eq!((r[0], r[1]), (PV_OK, 5));
    t.take(other);
    t.interrupt_at(start + 9000);
    assert_eq!((t.pending(other), t.generated(other)), (0, None));
    let r = t.schedule(v_timer, PV_TICK_STOP, other_id, 0, 0);
    assert_eq!((r[0], r[1]), (PV_OK, 0), "stopping nothing changes nothing");
}

#[test]
fn only_a_space_granted_the_timer_may_schedule_ticks() {
    let mut t = tick_world(2);
    let (victim, attacker) = (t.guests[0], t.guests[1]);
    let start = t.w.machine.now;
    assert_eq!(t.start(victim, 1000, start), PV_OK);
    let (victim_id, attacker_id) = (t.w.id(victim.ucos), t.w.id(attacker.ucos));
    // The attacker (a bound guest thread), the root, the victim itself: no
    // privilege, whatever they name and ask.
    let root = t.w.root;
    for caller in [attacker.ucos, root, victim.ucos] {
        for (operation, thread, rate) in [
            (PV_TICK_START, attacker_id, 32_768),
            (PV_TICK_START, victim_id, 1),
            (PV_TICK_STOP, victim_id, 0),
            (PV_TICK_COUNT, victim_id, 0),
            (0, 0, 0),
        ] {
            let r = t.schedule(caller, operation, thread, rate, start);
            assert_eq!(r[0], PV_ERR_NO_PRIVILEGE, "caller {caller}, operation {operation}");
            assert_eq!(r[1], thread, "nothing is returned");
        }
    }
    t.interrupt_at(start + 3000);
    assert_eq!(t.generated(victim), Some(3), "the victim's schedule is as v_timer set it");
    assert_eq!(t.generated(attacker), None);
}

#[test]
fn bad_tick_schedule_arguments_are_errors() {
    let mut t = tick_world(1);
    let guest = t.guests[0];
    let v_timer = t.v_timer;
    let id = t.w.id(guest.ucos);
    let now = t.w.machine.now;
    let cases = [
        ([0, id, 1000, 0, 0], PV_ERR_INVALID_ARGUMENT, "no operation"),
        ([4, id, 1000, 0, 0], PV_ERR_INVALID_ARGUMENT, "an unknown operation"),
        ([PV_TICK_START, id, 0, 0, 0], PV_ERR_INVALID_ARGUMENT, "rate 0"),
        ([PV_TICK_START, id, 32_769, 0, 0], PV_ERR_INVALID_ARGUMENT, "above the highest rate"),
        ([PV_TICK_START, id, u32::MAX, 0, 0], PV_ERR_INVALID_ARGUMENT, "a huge rate"),
        ([PV_TICK_START, id, 1000, (now + 1) as u32, 0], PV_ERR_INVALID_ARGUMENT, "tick 0 in the future"),
        ([PV_TICK_START, id, 1000, 0, u32::MAX], PV_ERR_INVALID_ARGUMENT, "tick 0 at the end of time"),
        ([PV_TICK_START, PV_NIL_THREAD, 1000, 0, 0], PV_ERR_INVALID_THREAD, "no thread"),
        ([PV_TICK_START, id + (1 << PV_THREAD_VERSION_SHIFT), 1000, 0, 0], PV_ERR_INVALID_THREAD, "a stale id"),
        ([PV_TICK_START, PV_ANY_THREAD, 1000, 0, 0], PV_ERR_INVALID_THREAD, "any thread"),
        ([PV_TICK_START, pv_irq_thread(27), 1000, 0, 0], PV_ERR_INVALID_THREAD, "an interrupt"),
        ([PV_TICK_COUNT, id, 0, 0, 0], PV_ERR_INVALID_ARGUMENT, "the count of no schedule"),
    ];
    for (registers, expected, what) in cases {
        assert_eq!(t.w.call(v_timer, PV_SYS_TICK_SCHEDULE, &registers)[0], expected, "{what}");
        assert_eq!(t.generated(guest), None, "{what}");
    }
    // An unbound thread (the paper path's Interrupt_loop): v_timer ticks it itself.
    let unbound = t.w.spawn(guest.space, 61, 0);
    let unbound_id = t.w.id(unbound);
    assert_eq!(t.schedule(v_timer, PV_TICK_START, unbound_id, 1000, now)[0], PV_ERR_INVALID_ARGUMENT);
    // A thread of a space v_timer's space was not granted: as if none.
    let drivers = t.w.kernel.thread(v_timer).space();
    let mask = (1 << t.w.root_space) | (1 << drivers);
    t.w.configure(drivers, mask, PV_PRIORITY_MAX, PV_SPACE_TIMER_ACCESS);
    assert_eq!(t.schedule(v_timer, PV_TICK_START, id, 1000, now)[0], PV_ERR_INVALID_THREAD);
    assert_eq!(t.generated(guest), None);
}

#[test]
fn the_kernel_holds_a_bounded_number_of_tick_schedules() {
    let mut t = tick_world(1);
    let guest = t.guests[0];
    let v_timer = t.v_timer;
    let now = t.w.machine.now;
    let mut threads = vec![guest.ucos];
    while threads.len() <= MAX_TICK_SCHEDULES {
        let thread = t.w.spawn(guest.space, 50, 0);
        let id = t.w.id(thread);
        assert_eq!(t.w.call(thread, PV_SYS_VIRQ_BIND, &[id, VIRQ_WORDS, VIRQ_ENTRY])[0], PV_OK);
        threads.push(thread);
    }
    for (number, &thread) in threads.iter().enumerate() {
        let id = t.w.id(thread);
        let expected = if number < MAX_TICK_SCHEDULES { PV_OK } else { PV_ERR_NO_RESOURCES };
        assert_eq!(t.schedule(v_timer, PV_TICK_START, id, 100 + number as u32, now)[0], expected, "{number}");
    }
    // A thread that has one gets a new one (no new entry); after a stop there is room.
    let first = t.w.id(threads[0]);
    assert_eq!(t.schedule(v_timer, PV_TICK_START, first, 50, now)[0], PV_OK);
    assert_eq!(t.schedule(v_timer, PV_TICK_STOP, first, 0, 0)[0], PV_OK);
    let last = t.w.id(threads[MAX_TICK_SCHEDULES]);
    assert_eq!(t.schedule(v_timer, PV_TICK_START, last, 50, now)[0], PV_OK);
}

#[test]
fn a_new_schedule_keeps_the_count_and_an_earlier_deadline_rearms_the_timer() {
    let mut t = tick_world(1);
    let guest = t.guests[0];
    let start = t.w.machine.now;
    assert_eq!(t.start(guest, 100, start), PV_OK);
    t.interrupt_at(start + 1);
    assert_eq!(t.w.kernel.timer_deadline(), start + 10_000, "the kernel's tick stopped: the guest's deadline");
    t.interrupt_at(start + 10_000);
    assert_eq!(t.generated(guest), Some(1));
    t.take(guest);
    // Retuned to 32,768 Hz: its first deadline is before the armed one.
    let now = t.w.machine.now;
    let v_timer = t.v_timer;
    let id = t.w.id(guest.ucos);
    let r = t.schedule(v_timer, PV_TICK_START, id, 32_768, now);
    assert_eq!((r[0], r[1]), (PV_OK, 1), "the count so far is kept");
    assert_eq!(t.w.kernel.timer_deadline(), now + 31, "armed again for ceil(10^6 / 32768) counts");
    assert_eq!(t.w.machine.timer_fires_at, Some(now + 31));
    t.interrupt_at(now + 31);
    assert_eq!(t.generated(guest), Some(2));
}

// ----- attacks on the tick count word and the kept translations -----------------------

impl World {
    /// `PV_SYS_MAP` by the root; must succeed.
    fn root_map(&mut self, space: usize, virtual_address: u32, physical: usize, size: u32, rights: u32) {
        let arguments = [space as u32, virtual_address, physical as u32, size, rights];
        assert_eq!(self.call(self.root, PV_SYS_MAP, &arguments)[0], PV_OK, "map {virtual_address:#x}");
    }
    /// `PV_SYS_UNMAP` by the root; must succeed.
    fn root_unmap(&mut self, space: usize, virtual_address: u32, size: u32) {
        let arguments = [space as u32, virtual_address, size];
        assert_eq!(self.call(self.root, PV_SYS_UNMAP, &arguments)[0], PV_OK, "unmap {virtual_address:#x}");
    }
}

impl TickWorld {
    /// `PV_SYS_VIRQ_BIND` of `guest`'s µC/OS-II thread by itself.
    fn bind(&mut self, guest: TickGuest, words: u32) -> u32 {
        let id = self.w.id(guest.ucos);
        self.w.call(guest.ucos, PV_SYS_VIRQ_BIND, &[id, words, VIRQ_ENTRY])[0]
    }
    /// The victim got exactly its tick `n` (its count word, its pending bit
    /// and the kernel's count all say so), and takes it.
    fn assert_ticked(&mut self, victim: TickGuest, n: u32, what: &str) {
        assert_eq!(self.generated(victim), Some(n), "{what}: the victim's ticks");
        let words = (self.pending(victim), self.word(victim, VIRQ_WORDS + 8));
        assert_eq!(words, (PV_NOTIFY_TIMER_TICK, n), "{what}: the victim's pending bit and count word");
        self.take(victim);
    }
}

/// Marks `words` words from `physical` with values a test recognises.
fn mark(w: &mut World, physical: usize, words: usize) -> Vec<u32> {
    (0..words)
        .map(|index| {
            let value = 0x5EC0_0000 | (physical as u32 & 0xFFFF) | index as u32;
            w.machine.poke(physical + 4 * index, value);
            value
        })
        .collect()
}

/// The words from `physical`, as many as `marks`.
fn marked(w: &World, physical: usize, marks: &[u32]) -> Vec<u32> {
    (0..marks.len()).map(|index| w.machine.peek(physical + 4 * index)).collect()
}

/// Attack: a hostile guest binds a block with the tick count, then has the
/// mappings under it changed: its memory taken back and handed to a victim
/// (its section, whose translation the kernel keeps, then a page whose
/// second-level table goes back to the pool), the block's page mapped
/// read-only onto the victim's frame, the block in the very last bytes of its
/// RAM, right before the victim's, and rebound without the flag. The kernel
/// writes the hostile count only where the hostile space maps its block
/// writable at that moment; every victim word stays as the victim left it,
/// and the victim's own ticks and count word are exact throughout.
#[test]
fn attack_a_hostile_guest_s_tick_count_reaches_only_ram_its_space_maps_writable() {
    const BLOCK: u32 = VIRQ_WORDS + 0x40;
    const OFFSET: usize = (BLOCK - GUEST_RAM) as usize;
    const VICTIM_SHARED: u32 = 0x0500_0000;
    const VICTIM_PAGE: u32 = 0x0600_0000;
    const RW: u32 = PV_MAP_READ | PV_MAP_WRITE;
    let mut t = tick_world(2);
    let (hostile, victim) = (t.guests[0], t.guests[1]);
    assert_eq!(hostile.ram + SECTION, victim.ram, "the victim's RAM follows the hostile's");
    assert_eq!(t.bind(hostile, BLOCK | PV_VIRQ_WORDS_TICK_COUNT), PV_OK);
    assert_eq!(t.bind(victim, VIRQ_WORDS | PV_VIRQ_WORDS_TICK_COUNT), PV_OK);
    // The hostile thread is never redirected (its stack is nowhere): only its words are written.
    t.w.kernel.threads[hostile.ucos].context.sp = 0x0700_0000;
    let start = t.w.machine.now;
    assert_eq!(t.start(victim, 1000, start), PV_OK);
    // 500 ticks ahead of the victim: its count is never the victim's.
    assert_eq!(t.start(hostile, 1000, start - 500_000), PV_OK);
    let hostile_count = |t: &TickWorld, frame: usize| t.w.machine.peek(frame + OFFSET + 8);

    // Its own RAM: the count is written beside its pending word, and the
    // translation kept.
    t.interrupt_at(start + 1000);
    t.assert_ticked(victim, 1, "tick 1");
    assert_eq!(hostile_count(&t, hostile.ram), 501);
    // Its section taken back and handed to the victim, who keeps data where
    // the hostile block was: nothing of it is written any more.
    t.w.root_unmap(hostile.space, GUEST_RAM, PV_SECTION_SIZE);
    t.w.root_map(victim.space, VICTIM_SHARED, hostile.ram, PV_SECTION_SIZE, RW);
    let section = mark(&mut t.w, hostile.ram + OFFSET, 4);
    t.interrupt_at(start + 2000);
    t.assert_ticked(victim, 2, "tick 2");
    assert_eq!(marked(&t.w, hostile.ram + OFFSET, &section), section, "the victim's data in the section it was handed");
    assert_eq!(t.w.kernel.notification_bits(hostile.ucos), PV_NOTIFY_TIMER_TICK, "the bit is an ordinary one");
    assert_eq!(t.generated(hostile), Some(502), "the hostile's ticks go on");

    // A page of another frame (a second-level table): written there (the
    // kernel follows the new mapping).
    t.w.root_map(hostile.space, GUEST_RAM, OTHER_FRAME, PV_PAGE_SIZE, RW);
    t.interrupt_at(start + 3000);
    t.assert_ticked(victim, 3, "tick 3");
    assert_eq!(hostile_count(&t, OTHER_FRAME), 503);
    // The page taken back (its table returns to the pool) and handed to the
    // victim, whose new mapping takes a table from the pool.
    t.w.root_unmap(hostile.space, GUEST_RAM, PV_PAGE_SIZE);
    t.w.root_map(victim.space, VICTIM_PAGE, OTHER_FRAME, PV_PAGE_SIZE, RW);
    let page = mark(&mut t.w, OTHER_FRAME + OFFSET, 4);
    t.interrupt_at(start + 4000);
    t.assert_ticked(victim, 4, "tick 4");
    assert_eq!(marked(&t.w, OTHER_FRAME + OFFSET, &page), page, "the victim's data in the page it was handed");

    // The block's page mapped read-only onto the victim's own frame.
    t.w.root_map(hostile.space, GUEST_RAM, victim.ram, PV_PAGE_SIZE, PV_MAP_READ);
    let victim_data = mark(&mut t.w, victim.ram + OFFSET, 4);
    t.interrupt_at(start + 5000);
    t.assert_ticked(victim, 5, "tick 5");
    assert_eq!(marked(&t.w, victim.ram + OFFSET, &victim_data), victim_data, "a read-only page is not written");
    t.w.root_unmap(hostile.space, GUEST_RAM, PV_PAGE_SIZE);

    // Its own section back from the victim, the block in its last 16 bytes,
    // right before the victim's first word: the count is in its 12th byte,
    // nothing past it is written.
    t.w.root_unmap(victim.space, VICTIM_SHARED, PV_SECTION_SIZE);
    t.w.root_map(hostile.space, GUEST_RAM, hostile.ram, PV_SECTION_SIZE, RW);
    let last = GUEST_RAM + PV_SECTION_SIZE - 16;
    let flag = PV_VIRQ_WORDS_TICK_COUNT;
    assert_eq!(t.bind(hostile, (last + 8) | flag), PV_ERR_INVALID_ARGUMENT, "across the section's end");
    assert_eq!(t.bind(hostile, (last + 16) | flag), PV_ERR_BAD_ADDRESS, "past its RAM");
    assert_eq!(t.bind(hostile, last | flag), PV_OK);
    let after = mark(&mut t.w, hostile.ram + SECTION - 4, 2);
    t.interrupt_at(start + 6000);
    t.assert_ticked(victim, 6, "tick 6");
    assert_eq!(t.w.machine.peek(hostile.ram + SECTION - 8), 506, "the count at the end of the section");
    assert_eq!(marked(&t.w, hostile.ram + SECTION - 4, &after), after, "nothing past the block");

    // Rebound without the flag: the word after pending is the guest's own again.
    assert_eq!(t.bind(hostile, BLOCK), PV_OK);
    let word = mark(&mut t.w, hostile.ram + OFFSET + 8, 1);
    t.interrupt_at(start + 7000);
    t.assert_ticked(victim, 7, "tick 7");
    assert_eq!(t.w.machine.peek(hostile.ram + OFFSET + 4) & PV_NOTIFY_TIMER_TICK, PV_NOTIFY_TIMER_TICK);
    assert_eq!(marked(&t.w, hostile.ram + OFFSET + 8, &word), word, "no count without the flag");
    // Every victim word the hostile aimed at is as the victim left it.
    assert_eq!(marked(&t.w, OTHER_FRAME + OFFSET, &page), page);
    assert_eq!(marked(&t.w, victim.ram + OFFSET, &victim_data), victim_data);
    assert_eq!(marked(&t.w, victim.ram, &after[1..]), after[1..]);
    assert_eq!(t.w.kernel.faults_reported(), 0);
}

/// Attack: a hostile thread whose block translation the kernel keeps is
/// deleted with its space; the frame goes to a victim, and a thread of a new
/// space (with the space's index too) takes the thread's slot. The slot's new
/// thread inherits no binding (no tick schedule for it, an ordinary
/// notification); bound anew, its count goes to its own block; the victim's
/// data and ticks are untouched.
#[test]
fn attack_a_reused_thread_slot_and_space_keep_no_tick_count_translation() {
    const VICTIM_SHARED: u32 = 0x0500_0000;
    let mut t = tick_world(2);
    let (hostile, victim) = (t.guests[0], t.guests[1]);
    assert_eq!(t.bind(hostile, VIRQ_WORDS | PV_VIRQ_WORDS_TICK_COUNT), PV_OK);
    assert_eq!(t.bind(victim, VIRQ_WORDS | PV_VIRQ_WORDS_TICK_COUNT), PV_OK);
    let start = t.w.machine.now;
    assert_eq!(t.start(victim, 1000, start), PV_OK);
    assert_eq!(t.start(hostile, 1000, start), PV_OK);
    t.interrupt_at(start + 1000);
    t.assert_ticked(victim, 1, "tick 1");
    assert_eq!(t.word(hostile, VIRQ_WORDS + 8), 1, "the hostile translation is kept");
    // The hostile thread and space deleted; the frame handed to the victim.
    let root = t.w.root;
    let hostile_id = t.w.id(hostile.ucos);
    assert_eq!(t.w.call(root, PV_SYS_THREAD_CONTROL, &[PV_THREAD_DELETE, hostile_id])[0], PV_OK);
    let space = hostile.space as u32;
    assert_eq!(t.w.call(root, PV_SYS_SPACE_CONTROL, &[PV_SPACE_DELETE, space])[0], PV_OK);
    t.w.root_map(victim.space, VICTIM_SHARED, hostile.ram, PV_SECTION_SIZE, PV_MAP_READ | PV_MAP_WRITE);
    let data = mark(&mut t.w, hostile.ram + 0x100, 4);
    // A new space at the same index, its RAM elsewhere, a thread in the same slot.
    let fresh = t.w.new_space();
    assert_eq!(fresh, hostile.space, "the space's index is reused");
    t.w.root_map(fresh, GUEST_RAM, OTHER_FRAME, PV_SECTION_SIZE, PV_MAP_READ | PV_MAP_WRITE);
    let reused = t.w.spawn(fresh, 60, 0);
    assert_eq!(reused, hostile.ucos, "the slot is reused");
    let newcomer = TickGuest { space: fresh, ucos: reused, ram: OTHER_FRAME };
    t.w.kernel.threads[reused].context.sp = GUEST_SP;
    assert_eq!(t.w.kernel.virq_binding(reused), None, "no binding is inherited");
    // v_timer's grant of the deleted space did not pass to the new one; granted again:
    assert_eq!(t.start(newcomer, 1000, start), PV_ERR_INVALID_THREAD, "the grant went with the space");
    let drivers = t.w.kernel.thread(t.v_timer).space();
    t.w.configure(drivers, ALL_SPACES, PV_PRIORITY_MAX, PV_SPACE_TIMER_ACCESS);
    assert_eq!(t.start(newcomer, 1000, start), PV_ERR_INVALID_ARGUMENT, "an unbound thread gets no schedule");
    let (v_timer, id) = (t.v_timer, t.w.id(reused));
    assert_eq!(notify(&mut t.w, v_timer, id, PV_NOTIFY_TIMER_TICK), PV_OK);
    assert_eq!(t.w.kernel.notification_bits(reused), PV_NOTIFY_TIMER_TICK, "an ordinary notification");
    t.interrupt_at(start + 2000);
    t.assert_ticked(victim, 2, "tick 2");
    assert_eq!(marked(&t.w, hostile.ram + 0x100, &data), data, "the old frame is the victim's");
    // Bound anew with the count: its own block, from 0.
    assert_eq!(t.bind(newcomer, VIRQ_WORDS | PV_VIRQ_WORDS_TICK_COUNT), PV_OK);
    t.set_word(newcomer, VIRQ_WORDS + 8, 0xDEAD);
    assert_eq!(t.start(newcomer, 1000, start + 2000), PV_OK);
    assert_eq!(t.word(newcomer, VIRQ_WORDS + 8), 0);
    t.interrupt_at(start + 3000);
    t.assert_ticked(victim, 3, "tick 3");
    assert_eq!((t.word(newcomer, VIRQ_WORDS + 8), t.generated(newcomer)), (1, Some(1)));
    assert_eq!(marked(&t.w, hostile.ram + 0x100, &data), data, "the old frame is the victim's");
}

/// A rebind moves the count to the new block at once (the kept translation
/// is the new one); a `PV_TICK_START` that finds the block unmapped writes
/// nothing and is not refused; once mapped again, the next tick writes the
/// whole count, none lost.
#[test]
fn the_tick_count_follows_a_rebind_and_survives_a_start_with_the_block_unmapped() {
    const MOVED: u32 = VIRQ_WORDS + 0x40;
    let mut t = tick_world(1);
    let guest = t.guests[0];
    t.w.kernel.threads[guest.ucos].context.sp = 0x0700_0000;
    assert_eq!(t.bind(guest, VIRQ_WORDS | PV_VIRQ_WORDS_TICK_COUNT), PV_OK);
    let start = t.w.machine.now;
    assert_eq!(t.start(guest, 1000, start), PV_OK);
    t.interrupt_at(start + 1000);
    assert_eq!(t.word(guest, VIRQ_WORDS + 8), 1);
    t.set_word(guest, VIRQ_WORDS + 4, 0);
    assert_eq!(t.bind(guest, MOVED | PV_VIRQ_WORDS_TICK_COUNT), PV_OK);
    t.interrupt_at(start + 2000);
    assert_eq!((t.word(guest, MOVED + 4), t.word(guest, MOVED + 8)), (PV_NOTIFY_TIMER_TICK, 2));
    assert_eq!((t.word(guest, VIRQ_WORDS + 4), t.word(guest, VIRQ_WORDS + 8)), (0, 1), "the old block is left");
    // Unmapped, then a new rate: accepted, nothing written anywhere.
    t.w.root_unmap(guest.space, GUEST_RAM, PV_SECTION_SIZE);
    let r = t.schedule(t.v_timer, PV_TICK_START, t.w.id(guest.ucos), 500, start + 2000);
    assert_eq!((r[0], r[1]), (PV_OK, 2));
    assert_eq!(t.word(guest, MOVED + 8), 2);
    t.interrupt_at(start + 6000);
    assert_eq!(t.generated(guest), Some(4));
    assert_eq!(t.word(guest, MOVED + 8), 2, "unmapped: not written");
    assert_eq!(t.w.kernel.notification_bits(guest.ucos), PV_NOTIFY_TIMER_TICK);
    // Mapped again: the next tick writes the count of every tick generated.
    t.w.root_map(guest.space, GUEST_RAM, guest.ram, PV_SECTION_SIZE, PV_MAP_READ | PV_MAP_WRITE);
    t.interrupt_at(start + 8000);
    assert_eq!((t.generated(guest), t.word(guest, MOVED + 8)), (Some(5), 5));
}

/// Attack on the schedules' never-due entry and on `pass_due`: 17 bound
/// threads (one more than the table holds) get random `PV_TICK_START`s (rates
/// and starts chosen so that deadlines often coincide), `PV_TICK_STOP`s,
/// masks, and timer interrupts early, on time and seconds late. Against a
/// model of every schedule, after every step: the kernel's count of each
/// thread, its count word, its pending bit (set exactly when a tick fell due),
/// the results of the calls, and the timer's deadline; a thread without a
/// schedule never gets a tick or a count.
#[test]
fn attack_random_starts_stops_and_interrupts_keep_every_tick_count_exact() {
    use paravirt_api::tick::TickSchedule;
    const THREADS: usize = MAX_TICK_SCHEDULES + 1;
    const RATES: [u32; 7] = [1000, 1000, 500, 2000, 1024, 32_768, 1];
    let mut t = tick_world(1);
    let guest = t.guests[0];
    let mut threads = vec![guest.ucos];
    while threads.len() < THREADS {
        threads.push(t.w.spawn(guest.space, 50, 0));
    }
    let block = |index: usize| VIRQ_WORDS + 16 * index as u32;
    for (index, &thread) in threads.iter().enumerate() {
        let id = t.w.id(thread);
        let words = block(index) | PV_VIRQ_WORDS_TICK_COUNT;
        assert_eq!(t.w.call(thread, PV_SYS_VIRQ_BIND, &[id, words, VIRQ_ENTRY])[0], PV_OK);
        t.set_word(guest, block(index) + 8, 0xC0DE);
        let context = &mut t.w.kernel.threads[thread].context;
        context.sp = GUEST_SP - 0x400 * index as u32;
        context.pc = 0x0010_1234;
        context.cpsr = user_cpsr(0);
    }
    let mut model: [Option<(TickSchedule, u32)>; THREADS] = [None; THREADS];
    // The count each thread's word holds (it is written only with a schedule).
    let mut words = [0xC0DEu32; THREADS];
    let mut random = xorshift(0x2545_F491u32);
    let v_timer = t.v_timer;
    let (mut empty, mut full) = (0, 0);
    for step in 0..6000 {
        let now = t.w.machine.now;
        let index = random() as usize % THREADS;
        let thread = threads[index];
        let id = t.w.id(thread);
        // Phases of 300 steps: balanced, mostly stops (down to no schedule at
        // all), mostly starts (up to a full table).
        let operation = match ((step / 300) % 3, random() % 10) {
            (1, 0..=6) => 2,
            (1, 7) => 0,
            (2, 0..=3) => 0,
            (_, operation) => operation,
        };
        match operation {
            0 | 1 => {
                let rate = RATES[random() as usize % RATES.len()];
                let start = now - u64::from(random() % 4) * 1000 - u64::from(random() % 2) * u64::from(random() % 3000);
                let r = t.schedule(v_timer, PV_TICK_START, id, rate, start);
                let held = model.iter().filter(|entry| entry.is_some()).count();
                if model[index].is_none() && held == MAX_TICK_SCHEDULES {
                    assert_eq!(r[0], PV_ERR_NO_RESOURCES, "step {step}: a 17th schedule");
                } else {
                    let generated = model[index].map_or(0, |(_, generated)| generated);
                    assert_eq!((r[0], r[1]), (PV_OK, generated), "step {step}: start {index}");
                    let schedule = TickSchedule::new(start, MODEL_FREQUENCY as u32, rate).unwrap();
                    model[index] = Some((schedule, generated));
                    words[index] = generated;
                }
            }
            2 => {
                let r = t.schedule(v_timer, PV_TICK_STOP, id, 0, 0);
                let generated = model[index].take().map_or(0, |(_, generated)| generated);
                assert_eq!((r[0], r[1]), (PV_OK, generated), "step {step}: stop {index}");
            }
            3 => {
                // Masked, or the virtual interrupt taken and the thread unmasked.
                let masked = random() % 2;
                t.set_word(guest, block(index), masked);
                if masked == 0 {
                    let context = &mut t.w.kernel.threads[thread].context;
                    context.sp = GUEST_SP - 0x400 * index as u32;
                    context.pc = 0x0010_1234;
                }
            }
            kind => {
                let at = match kind {
                    4 | 5 => t.w.machine.timer_fires_at.filter(|&at| at > now).unwrap_or(now + 1),
                    6 => now + 1 + u64::from(random() % 3000),
                    7 => now + u64::from(random() % 3) * MODEL_FREQUENCY + u64::from(random() % 1000),
                    _ => now,
                };
                t.interrupt_at(at);
                for (index, entry) in model.iter_mut().enumerate() {
                    let pending = t.word(guest, block(index) + 4);
                    let due = match entry {
                        Some((schedule, generated)) => {
                            let due = schedule.advance(at);
                            *generated = generated.wrapping_add(due);
                            if due > 0 {
                                words[index] = *generated;
                            }
                            due
                        }
                        None => 0,
                    };
                    assert_eq!(pending != 0, due > 0, "step {step} at {at}: thread {index} ticked exactly when due");
                    t.set_word(guest, block(index) + 4, 0);
                }
            }
        }
        for (index, &thread) in threads.iter().enumerate() {
            let expected = model[index].map(|(_, generated)| generated);
            assert_eq!(t.w.kernel.ticks_generated(thread), expected, "step {step}: thread {index}'s count");
            assert_eq!(t.word(guest, block(index) + 8), words[index], "step {step}: thread {index}'s count word");
            assert_eq!(t.w.kernel.notification_bits(thread), 0, "step {step}: thread {index}");
        }
        match model.iter().flatten().count() {
            0 => empty += 1,
            MAX_TICK_SCHEDULES => full += 1,
            _ => {}
        }
        let earliest = model.iter().flatten().map(|(schedule, _)| schedule.next_deadline()).min();
        let expected = t.w.kernel.kernel_deadline.min(earliest.unwrap_or(u64::MAX));
        assert_eq!(t.w.kernel.timer_deadline(), expected, "step {step}: the timer's deadline");
    }
    assert!(empty > 100 && full > 100, "the table was empty {empty} and full {full} steps: both are tried");
    assert_eq!(t.w.kernel.faults_reported(), 0);
}

// ----- the kernel's tick only when needed ------------------------------------------

/// The paper path's event loops through the notify-wait fastpath, beside
/// the general path: v_timer (driver domain, interrupt 40) is woken by its
/// interrupt and notifies the guest's Interrupt_loop, acknowledging the
/// interrupt and waiting, in one call; Interrupt_loop notifies the bound,
/// unmasked µC/OS-II thread (a virtual interrupt: the kernel redirects it)
/// and waits. Both calls take the fastpath straight to the notified thread,
/// and after each step the two systems are in the same state, memory
/// included. A peer of the µC/OS-II thread at its priority sends the same
/// call to the general path (the scheduler would not pick the thread alone).
#[test]
fn the_paper_paths_event_loops_take_the_notify_wait_fastpath_where_the_general_path_ends_the_same() {
    for with_peer in [false, true] {
        let mut worlds = [tick_world(1), tick_world(1)];
        // The general path's world: every wake-up queues (no lazy switch).
        worlds[1].w.kernel.eager_wakes = true;
        let mut threads = (0, 0, 0);
        for t in worlds.iter_mut() {
            let guest = t.guests[0];
            let interrupt_loop = t.w.spawn(guest.space, 61, 0);
            if with_peer {
                t.w.spawn(guest.space, 60, 0);
            }
            let handler = t.w.id(t.v_timer);
            assert_eq!(t.w.call(t.w.root, PV_SYS_INTERRUPT_CONTROL, &[40, handler])[0], PV_OK);
            // v_timer, Interrupt_loop and the root wait for anyone; the
            // µC/OS-II thread runs.
            for waiter in [t.v_timer, interrupt_loop, t.w.root] {
                t.w.ipc(waiter, PV_NIL_THREAD, PV_ANY_THREAD, pv_timeouts(NEVER, NEVER), 0, &[]);
            }
            assert_eq!(t.w.kernel.current, guest.ucos);
            t.w.interrupt(40);
            t.w.kernel.schedule();
            assert_eq!(t.w.kernel.current, t.v_timer);
            threads = (t.v_timer, interrupt_loop, guest.ucos);
        }
        let (v_timer, interrupt_loop, ucos) = threads;
        let same = |worlds: &[TickWorld; 2], step: &str| {
            assert_eq!(worlds[0].w.snapshot(), worlds[1].w.snapshot(), "{step}");
            assert_eq!(worlds[0].w.machine.memory, worlds[1].w.machine.memory, "{step}: memory");
        };
        same(&worlds, "the interrupt");
        let mut taken = Vec::new();
        for (index, t) in worlds.iter_mut().enumerate() {
            let fast = index == 0;
            let to = t.w.id(interrupt_loop);
            let step =
                [to, PV_NOTIFY_TIMER_TICK, PV_ANY_THREAD, pv_irq_thread(40), 0, 0, 0, 0, 0, 0, 0, 0, PV_SYS_NOTIFY];
            taken.push(t.w.trap_path(fast, step));
            assert_eq!(t.w.kernel.current, interrupt_loop, "v_timer's notification runs Interrupt_loop");
        }
        assert_eq!(taken[0], FastPath::Switched, "v_timer's step takes the fastpath");
        same(&worlds, "v_timer's notify, acknowledge and wait");
        assert!(!worlds[0].w.kernel.irqs[40].masked, "the acknowledgement unmasked the line");
        taken.clear();
        for (index, t) in worlds.iter_mut().enumerate() {
            let fast = index == 0;
            let to = t.w.id(ucos);
            let step = [to, PV_NOTIFY_TIMER_TICK, PV_ANY_THREAD, PV_NIL_THREAD, 0, 0, 0, 0, 0, 0, 0, 0, PV_SYS_NOTIFY];
            taken.push(t.w.trap_path(fast, step));
            assert_eq!(t.w.kernel.thread(ucos).context.pc, VIRQ_ENTRY, "redirected to its virtual IRQ entry");
        }
        let expected = if with_peer { FastPath::Declined } else { FastPath::Switched };
        assert_eq!(taken[0], expected, "Interrupt_loop's step (a peer beside the µC/OS-II thread: {with_peer})");
        same(&worlds, "Interrupt_loop's notify and wait");
        for t in &worlds {
            assert_eq!(t.w.kernel.thread(v_timer).state, State::Receiving { from: Source::Any });
            assert_eq!(t.w.kernel.thread(interrupt_loop).state, State::Receiving { from: Source::Any });
        }
    }
}

/// The timer interrupt as the runtime takes it at `now` (the counter at the
/// armed time): the kernel's interrupt, the timer armed again, the
/// scheduler's choice and the timer synchronised with it.
fn timer_at(w: &mut World, now: u64) {
    let interrupted = take_timer_interrupt(w, now);
    irq_exit(w, interrupted);
}

/// In every world, guest `which` masks its virtual interrupts (`mask`) or
/// takes the one it was redirected to ([`TickWorld::take`]).
fn mask_or_take(worlds: &mut [TickWorld; 2], which: usize, mask: bool) {
    for t in worlds.iter_mut() {
        let guest = t.guests[which];
        if mask {
            t.set_word(guest, VIRQ_WORDS, 1);
        } else {
            t.take(guest);
        }
    }
}

/// The kernel's timer interrupt at `now` and the timer armed again, as the
/// runtime takes it, before the exit; the thread it stopped (0: none).
fn take_timer_interrupt(w: &mut World, now: u64) -> usize {
    w.machine.now = now;
    let interrupted = w.kernel.current();
    let ticks = w.kernel.timer_interrupt(now, &mut w.machine);
    w.machine.arm_timer(ticks);
    interrupted
}

/// The runtime's way back to user mode after an interrupt that stopped
/// `interrupted` (`handle_irq`; 0: taken in the idle window): its lean exit
/// ([`lean_irq_exit`]), and after a lean exit the scheduler, asked afresh
/// (every queue looked at), must pick the same thread.
fn irq_exit(w: &mut World, interrupted: usize) {
    let lean = interrupted != 0 && w.kernel.interrupted_thread_runs_on();
    lean_irq_exit(w, interrupted);
    if lean {
        let next = w.kernel.current();
        w.kernel.ready.mark_changed();
        assert_eq!(w.kernel.schedule(), Some(next), "the lean IRQ exit runs a thread the scheduler does not pick");
        assert!(!w.kernel.timer_stale(), "the lean IRQ exit left the timer behind");
    }
}

/// Follows the timer as the hardware would until `until`; the number of
/// interrupts taken.
fn run_timer_until(w: &mut World, until: u64) -> u32 {
    let mut interrupts = 0;
    while let Some(at) = w.machine.timer_fires_at.filter(|&at| at <= until) {
        assert!(at > w.machine.now, "the timer is armed in the future");
        timer_at(w, at);
        interrupts += 1;
    }
    w.machine.now = until;
    interrupts
}

const TICK_PERIOD: u64 = 1_000_000 / KERNEL_TICK_HZ as u64;

#[test]
fn the_kernel_tick_stops_while_the_running_thread_is_alone_and_restarts_for_a_peer() {
    let mut w = world();
    w.machine.now = 1_000_000;
    // The first tick finds the root alone at its priority: no tick after it.
    timer_at(&mut w, 1_000_000);
    assert!(!w.kernel.tick_needed());
    assert_eq!(w.kernel.timer_deadline(), u64::MAX, "nothing due: no tick, no timeout, no guest");
    assert_eq!(run_timer_until(&mut w, 1_000_000 + 100 * TICK_PERIOD), 0, "no interrupt in 100 periods");
    // A lower priority does not need it either.
    let space = w.new_space();
    let low = w.spawn(space, 50, 0);
    assert_eq!(w.kernel.current(), w.root);
    assert_eq!(w.kernel.timer_deadline(), u64::MAX);
    // A peer at the root's priority: the tick starts again a period later ...
    let now = w.machine.now;
    let peer = w.spawn(space, 100, 0);
    assert_eq!(w.kernel.current(), w.root);
    assert!(w.kernel.tick_needed());
    assert_eq!(w.machine.timer_fires_at, Some(now + TICK_PERIOD), "restarted by the choice");
    // ... and shares the priority out: the root's timeslice ends after
    // TIMESLICE_TICKS ticks, then the peer runs its own.
    let interrupts = run_timer_until(&mut w, now + u64::from(TIMESLICE_TICKS) * TICK_PERIOD);
    assert_eq!(interrupts, TIMESLICE_TICKS);
    assert_eq!(w.kernel.current(), peer, "round robin within the priority");
    run_timer_until(&mut w, now + u64::from(2 * TIMESLICE_TICKS) * TICK_PERIOD);
    assert_eq!(w.kernel.current(), w.root, "and back");
    // The peer blocks: the next tick finds the root alone and stops.
    w.ipc(peer, PV_NIL_THREAD, PV_ANY_THREAD, pv_timeouts(0, NEVER), 0, &[]);
    assert_eq!(w.kernel.current(), w.root);
    let now = w.machine.now;
    assert_eq!(run_timer_until(&mut w, now + 50 * TICK_PERIOD), 1, "one tick, which stops it");
    assert_eq!(w.kernel.timer_deadline(), u64::MAX);
    assert_ne!(w.kernel.thread(low).state(), State::Free);
}

#[test]
fn an_ipc_timeout_comes_at_its_deadline_with_the_tick_stopped() {
    let mut w = world();
    timer_at(&mut w, 1_000_000);
    assert_eq!(w.kernel.timer_deadline(), u64::MAX);
    // A receive with a 3 ms timeout: the CPU idles, the timer is armed for it.
    let now = w.machine.now;
    w.ipc(w.root, PV_NIL_THREAD, PV_ANY_THREAD, pv_timeouts(0, 3), 0, &[]);
    assert_eq!(w.kernel.current(), 0, "idle");
    assert_eq!(w.machine.timer_fires_at, Some(now + 3_000), "armed for the deadline itself");
    // One interrupt, exactly then, ends the receive.
    assert_eq!(run_timer_until(&mut w, now + 2_999), 0);
    assert_eq!(w.kernel.thread(w.root).state(), State::Receiving { from: Source::Any });
    assert_eq!(run_timer_until(&mut w, now + 3_000), 1);
    assert_eq!(w.kernel.thread(w.root).state(), State::Ready);
    assert_eq!(w.kernel.thread(w.root).context.r[0], PV_ERR_TIMEOUT | PV_ERR_RECEIVE_PHASE);
    assert_eq!(w.kernel.current(), w.root);
    assert_eq!(w.kernel.timer_deadline(), u64::MAX, "nothing left to wait for");
}

#[test]
fn a_donation_keeps_the_tick_until_its_time_is_used() {
    let mut w = world();
    timer_at(&mut w, 1_000_000);
    let space = w.new_space();
    let donor = w.spawn(space, 60, 0);
    let donee = w.spawn(space, 20, 0);
    // The root waits: the donor runs alone at its priority, without a tick.
    w.ipc(w.root, PV_NIL_THREAD, PV_ANY_THREAD, pv_timeouts(0, NEVER), 0, &[]);
    assert_eq!(w.kernel.current(), donor);
    let now = w.machine.now;
    assert_eq!(run_timer_until(&mut w, now + 20 * TICK_PERIOD), 0);
    // The donation restarts it; the donee runs the donor's timeslice (a
    // full one: the donor's was not charged while it ran alone), then the
    // donor's priority rules again and the tick stops with that last one.
    let now = w.machine.now;
    let donee_id = w.id(donee);
    assert_eq!(w.call(donor, PV_SYS_THREAD_SWITCH, &[donee_id])[0], PV_OK);
    assert_eq!(w.kernel.current(), donee);
    assert_eq!(w.machine.timer_fires_at, Some(now + TICK_PERIOD));
    run_timer_until(&mut w, now + u64::from(TIMESLICE_TICKS - 1) * TICK_PERIOD);
    assert_eq!(w.kernel.current(), donee, "still the donated time");
    run_timer_until(&mut w, now + u64::from(TIMESLICE_TICKS) * TICK_PERIOD);
    assert_eq!(w.kernel.current(), donor, "the donation is used up");
    assert_eq!(w.kernel.timer_deadline(), u64::MAX, "and the tick stopped");
    let now = w.machine.now;
    assert_eq!(run_timer_until(&mut w, now + 20 * TICK_PERIOD), 0);
}

// ----- attacks on the tick only when needed -------------------------------------------

/// Attack (found in the review of the tickless tick, but older than it: the
/// periodic tick had it too). A tick charges the thread it interrupts. A
/// hostile domain with a spinner at the victim's priority and a helper above
/// it has the spinner wake the helper, with a send that does not block the
/// spinner (so it keeps its place at the head of its queue), just before
/// each tick: the spinner reads the counter and knows when the tick comes.
/// The helper runs across the tick, then waits again. Charged only by
/// sampling, the spinner was never charged, its timeslice never ended, and
/// the victim, a thread of another domain at the same priority, never ran.
/// Now a tick also charges the head of every other queue with a peer
/// (`Kernel::charge_preempted_heads`), so the spinner's slice ends after as
/// many ticks as if it had been interrupted itself, and the victim runs.
#[test]
fn attack_a_spinner_that_wakes_a_helper_before_every_tick_starves_its_peer() {
    let mut w = world();
    timer_at(&mut w, 1_000_000);
    let attacker = w.new_space();
    let victim_space = w.new_space();
    let spinner = w.spawn(attacker, 50, 0);
    let helper = w.spawn(attacker, 70, 0);
    let victim = w.spawn(victim_space, 50, 0);
    let (spinner_id, helper_id) = (w.id(spinner), w.id(helper));
    w.ipc(helper, PV_NIL_THREAD, spinner_id, pv_timeouts(0, NEVER), 0, &[]);
    w.ipc(w.root, PV_NIL_THREAD, PV_ANY_THREAD, pv_timeouts(0, NEVER), 0, &[]);
    assert_eq!(w.kernel.current(), spinner);
    let start = w.machine.now;
    let mut victim_ran = false;
    for _ in 0..4 * TIMESLICE_TICKS {
        // The tick runs: the spinner has a peer.
        let tick = w.machine.timer_fires_at.expect("the timer is armed");
        assert!(!w.kernel.tick_stopped && w.kernel.next_kernel_tick == tick);
        // The spinner runs until just before it, then wakes the helper.
        w.machine.now = tick - 1;
        assert_eq!(w.kernel.current(), spinner);
        w.ipc(spinner, helper_id, PV_NIL_THREAD, pv_timeouts(NEVER, 0), 0, &[]);
        assert_eq!(w.kernel.current(), helper);
        // The tick interrupts the helper; just after it the helper waits again.
        timer_at(&mut w, tick);
        w.machine.now = tick + 1;
        w.ipc(helper, PV_NIL_THREAD, spinner_id, pv_timeouts(0, NEVER), 0, &[]);
        if w.kernel.current() == victim {
            victim_ran = true;
            break;
        }
    }
    let spent = (w.machine.now - start) / TICK_PERIOD;
    assert!(victim_ran, "the victim never ran in {spent} periods beside a spinner never charged a tick");
}

/// The runtime's way back to user mode after a general-path entry
/// (`switch_to_next`, and `handle_irq` when it does not return at once):
/// the scheduler's choice, then the timer if the choice flagged it.
fn runtime_exit(w: &mut World) {
    w.kernel.schedule();
    if w.kernel.timer_stale() {
        w.kernel.sync_timer(&mut w.machine);
    }
}

/// The running thread's system call `registers` exactly as the runtime takes
/// it (`handle_system_call`): after a fastpath straight back to user mode,
/// with neither the scheduler nor the timer looked at again; else the
/// general path and [`runtime_exit`]. (`World::call` always schedules and
/// synchronises the timer, so it would hide a fastpath that left the timer
/// behind the scheduler.)
fn runtime_system_call(w: &mut World, registers: [u32; 13]) -> FastPath {
    let caller = w.kernel.current();
    w.kernel.threads[caller].context.r = registers;
    let path = w.kernel.fast_system_call(&mut w.machine);
    if path == FastPath::Declined {
        w.kernel.system_call_slow(&mut w.machine);
        runtime_exit(w);
    }
    path
}

/// Attack: hostile threads (two spinners and a helper in one domain, a
/// victim domain with threads at the same priorities, one of them a device
/// server) do random things at random times through exactly the runtime's
/// paths: the IPC fastpath and the answered yield (no timer work after
/// them), the general path, device and timer interrupts, timeouts of a few
/// milliseconds, donations, notifications, aborts. After every step the
/// kernel's timer must follow its scheduler: nothing left stale, the tick
/// running whenever the running thread has a peer or a donation is in
/// force, the timer armed no later than the earliest thing due, and no
/// timeout overdue.
#[test]
fn attack_random_hostile_steps_never_leave_a_peer_or_a_timeout_without_the_timer() {
    let mut w = world();
    timer_at(&mut w, 1_000_000);
    let attacker = w.new_space();
    let victim_space = w.new_space();
    let everyone = (1 << w.root_space) | (1 << attacker) | (1 << victim_space);
    w.configure(attacker, everyone, PV_PRIORITY_MAX, 0);
    w.configure(victim_space, everyone, PV_PRIORITY_MAX, 0);
    let mut threads = Vec::new();
    for (space, priority) in [(attacker, 50), (attacker, 50), (attacker, 70), (victim_space, 50), (victim_space, 60)] {
        threads.push(w.spawn(space, priority, 0));
    }
    let server = threads[3];
    let server_id = w.id(server);
    assert_eq!(w.call(w.root, PV_SYS_INTERRUPT_CONTROL, &[40, server_id])[0], PV_OK);
    w.ipc(w.root, PV_NIL_THREAD, PV_ANY_THREAD, pv_timeouts(0, NEVER), 0, &[]);
    let mut next = xorshift(0x7153_C0DEu32);
    let (mut restarts, mut timeouts, mut switched, mut answered, mut interrupts) = (0u32, 0u32, 0u32, 0u32, 0u32);
    for step in 0..30_000 {
        let choice = next();
        let current = w.kernel.current();
        let deadlines: Vec<_> = threads.iter().map(|&t| w.kernel.threads[t].deadline).collect();
        let was_stopped = w.kernel.tick_stopped;
        let thread = |w: &World, pick: u32| w.id(threads[pick as usize % threads.len()]);
        // Time passes (up to 3 periods), or up to the timer, which then fires.
        let advance = |w: &mut World, counts: u64| -> bool {
            let until = w.machine.now + counts;
            match w.machine.timer_fires_at.filter(|&at| at <= until) {
                Some(at) => {
                    timer_at(w, at);
                    true
                }
                None => {
                    w.machine.now = until;
                    false
                }
            }
        };
        if current == 0 {
            // Idle: the timer fires, or the device interrupts, or the root
            // aborts someone's IPC.
            match choice % 4 {
                0 | 1 => interrupts += u32::from(advance(&mut w, 3 * TICK_PERIOD)),
                2 => {
                    w.interrupt(40);
                    runtime_exit(&mut w);
                }
                _ => {
                    let target = threads[(choice >> 8) as usize % threads.len()];
                    w.kernel.exchange_registers(target, PV_EXREG_ABORT_IPC, 0, 0, 0);
                    runtime_exit(&mut w);
                }
            }
        } else {
            let mut r = [0u32; 13];
            match choice % 16 {
                0 | 1 => interrupts += u32::from(advance(&mut w, u64::from(next()) % (3 * TICK_PERIOD))),
                2 => {
                    // A device interrupt while a thread runs: the runtime's
                    // lean exit when the kernel says the thread runs on.
                    w.interrupt(40);
                }
                3 => {
                    r[0] = if choice & 0x100 != 0 { thread(&w, next()) } else { PV_NIL_THREAD };
                    r[12] = PV_SYS_THREAD_SWITCH;
                }
                4 => r[12] = PV_SYS_THREAD_SELF,
                5 => {
                    r[..2].copy_from_slice(&[thread(&w, next()), 1 << (next() % 32)]);
                    r[12] = PV_SYS_NOTIFY;
                }
                6 => {
                    r[..2].copy_from_slice(&[thread(&w, next()), PV_EXREG_ABORT_IPC]);
                    r[12] = PV_SYS_EXCHANGE_REGISTERS;
                }
                _ => {
                    // Mostly a thread that waits, as a client's server or a
                    // server's client does: the fastpath gets its chances.
                    let pick = next();
                    let waiting = (0..threads.len())
                        .map(|offset| threads[(offset + pick as usize) % threads.len()])
                        .find(|&t| t != current && matches!(w.kernel.threads[t].state, State::Receiving { .. }));
                    let to = match (pick % 4, waiting) {
                        (0, _) => PV_NIL_THREAD,
                        (1 | 2, Some(waiting)) => w.id(waiting),
                        _ => thread(&w, next()),
                    };
                    let from = match next() % 8 {
                        0..3 => to,
                        3..6 => PV_ANY_THREAD,
                        6 if to != PV_NIL_THREAD => PV_NIL_THREAD,
                        _ => thread(&w, next()),
                    };
                    let timeouts = [
                        pv_timeouts(NEVER, NEVER),
                        pv_timeouts(NEVER, NEVER),
                        pv_timeouts(NEVER, NEVER),
                        pv_timeouts(NEVER, 1),
                        pv_timeouts(NEVER, 2),
                        pv_timeouts(3, 5),
                        pv_timeouts(PV_TIMEOUT_ZERO, NEVER),
                    ][next() as usize % 7];
                    r[..4].copy_from_slice(&[to, from, timeouts, pv_tag(1, next() % 9)]);
                    r[12] = PV_SYS_IPC;
                }
            }
            if r[12] != 0 {
                match runtime_system_call(&mut w, r) {
                    FastPath::Switched => switched += 1,
                    FastPath::Answered => answered += 1,
                    FastPath::Declined => {}
                }
            }
        }
        restarts += u32::from(was_stopped && !w.kernel.tick_stopped);
        let k = &w.kernel;
        let now = w.machine.now;
        assert!(!k.timer_stale(), "step {step}: the timer is left stale");
        assert!(
            !(k.tick_stopped && k.tick_needed()),
            "step {step}: thread {} runs beside a peer or on a donation with the tick stopped",
            k.current()
        );
        let armed = w.machine.timer_fires_at.expect("the timer is armed");
        assert!(armed <= k.timer_deadline(), "step {step}: armed for {armed}, due at {}", k.timer_deadline());
        for &t in &threads {
            if let Some(deadline) = k.threads[t].deadline {
                assert!(deadline > now, "step {step}: thread {t}'s timeout at {deadline} overdue at {now}");
            }
        }
        for (&t, &before) in threads.iter().zip(&deadlines) {
            let code = k.threads[t].context.r[0] & !PV_ERR_RECEIVE_PHASE;
            if before.is_some_and(|deadline| deadline == now) && code == PV_ERR_TIMEOUT {
                // Expired exactly at its deadline (the timer fired then).
                timeouts += 1;
            }
        }
    }
    // Every part of the attack happened, many times.
    let counts = [restarts, switched, answered, interrupts, timeouts];
    println!("tick restarts, IPC fastpaths, answered calls, timer interrupts, timeouts: {counts:?}");
    assert!(counts.iter().all(|&count| count > 100), "{counts:?}");
}

/// Attack: a hostile domain beside a direct guest restarts and stops the
/// kernel's tick (a spinner pair at the guest thread's priority), sets IPC
/// deadlines between the guest's ticks and donates, all through the
/// runtime's paths. The guest's count at every interrupt must be exactly
/// the ticks its schedule says are due, and every tick must come at an
/// interrupt of its own (none late, none merged).
#[test]
fn attack_a_hostile_domain_cannot_move_a_guest_tick() {
    let mut t = tick_world(1);
    let guest = t.guests[0];
    let hostile = t.w.new_space();
    let spinners = [t.w.spawn(hostile, 60, 0), t.w.spawn(hostile, 60, 0), t.w.spawn(hostile, 61, 0)];
    let start = t.w.machine.now;
    assert_eq!(t.start(guest, 1000, start), PV_OK);
    let root = t.w.root;
    t.w.ipc(root, PV_NIL_THREAD, PV_ANY_THREAD, pv_timeouts(0, NEVER), 0, &[]);
    let v_timer = t.v_timer;
    t.w.ipc(v_timer, PV_NIL_THREAD, PV_ANY_THREAD, pv_timeouts(0, NEVER), 0, &[]);
    let mut next = xorshift(0x0DD_BA11u32);
    let (mut notified, mut previous_due, mut step) = (0u64, 0u64, 0u32);
    while t.w.machine.now < start + 200 * TICK_PERIOD {
        let seed = next();
        step += 1;
        let current = t.w.kernel.current();
        let armed = t.w.machine.timer_fires_at.expect("armed");
        // A hostile step at a random time before the timer fires.
        let at = t.w.machine.now + u64::from(seed % 700);
        if current != 0 && spinners.contains(&current) && at < armed {
            t.w.machine.now = at;
            let other = t.w.id(spinners[(seed >> 8) as usize % 3]);
            let registers = match seed % 5 {
                0 => [PV_NIL_THREAD, other, pv_timeouts(0, 1 + seed % 3), 0, 0, 0, 0, 0, 0, 0, 0, 0, PV_SYS_IPC],
                1 => [other, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, PV_SYS_THREAD_SWITCH],
                2 => [PV_NIL_THREAD, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, PV_SYS_THREAD_SWITCH],
                _ => [other, PV_EXREG_ABORT_IPC, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, PV_SYS_EXCHANGE_REGISTERS],
            };
            runtime_system_call(&mut t.w, registers);
            continue;
        }
        // The timer interrupt, as the runtime takes it.
        timer_at(&mut t.w, armed);
        let due = (armed - start) * 1000 / MODEL_FREQUENCY;
        assert_eq!(t.generated(guest), Some(due as u32), "step {step} at {armed}");
        if t.pending(guest) != 0 {
            assert!(due > previous_due, "step {step}: notified with no tick due");
            notified += 1;
            t.take(guest);
        }
        previous_due = due;
    }
    assert_eq!(notified, 200, "every tick at an interrupt of its own");
}

/// The timer interrupt does not put a running thread that the IPC fastpath
/// left out of the queues back first (`timer_interrupt` skips
/// `restore_current` on the path of every guest tick). A guest tick that
/// wakes an idle guest of the same priority queues the guest meanwhile; the
/// running thread must still run on, and the guest come after it, exactly as
/// when the thread was queued at the head all along.
#[test]
fn a_guest_tick_beside_an_unqueued_running_thread_keeps_the_queue_order() {
    let mut t = tick_world(1);
    let guest = t.guests[0];
    let space = t.w.new_space();
    let client = t.w.spawn(space, 60, 0);
    let server = t.w.spawn(space, 60, 0);
    // The guest's tick at 1 kHz; then v_timer, the guest (idle: an open
    // receive), the server and the root wait, so the client runs alone at
    // 60 and calls the server on the fastpath, which leaves the server
    // running and out of the queues.
    let start = t.w.machine.now;
    // The kernel's first tick, with the root alone at its priority: it stops.
    t.interrupt_at(start);
    assert!(t.w.kernel.tick_stopped);
    assert_eq!(t.start(guest, 1000, start - 500), PV_OK);
    for thread in [t.v_timer, guest.ucos, server, t.w.root] {
        t.w.ipc(thread, PV_NIL_THREAD, PV_ANY_THREAD, pv_timeouts(0, NEVER), 0, &[]);
    }
    assert_eq!(t.w.kernel.current(), client);
    let to = t.w.id(server);
    let call = [to, to, pv_timeouts(NEVER, NEVER), pv_tag(1, 0), 0, 0, 0, 0, 0, 0, 0, 0, PV_SYS_IPC];
    assert_eq!(runtime_system_call(&mut t.w, call), FastPath::Switched);
    assert_eq!(t.w.kernel.current(), server);
    assert!(!t.w.kernel.ready.contains(server), "the fastpath left the server out of the queues");
    // The guest's tick wakes the guest (priority 60, like the server), with
    // no work of the kernel's own due (which would restore the server).
    assert!(t.w.kernel.kernel_deadline > start + 500);
    t.interrupt_at(start + 500);
    assert_eq!(t.w.kernel.threads[guest.ucos].state, State::Ready, "the tick woke the idle guest");
    assert!(!t.w.kernel.interrupted_thread_runs_on(), "a queue changed: the exit must choose");
    assert_eq!(t.w.kernel.schedule(), Some(server), "the running thread runs on");
    assert_eq!(t.w.kernel.ready.queue(60), [server, guest.ucos], "the woken guest queues behind it");
    // The server's yield hands over to the guest.
    assert_eq!(t.w.call(server, PV_SYS_THREAD_SWITCH, &[PV_NIL_THREAD])[0], PV_OK);
    assert_eq!(t.w.kernel.current(), guest.ucos);
}

// ----- attacks on the charge of preempted heads ---------------------------------------

/// The IPC registers of a system call through the runtime (`runtime_system_call`).
fn ipc_registers(to: u32, from: u32, timeouts: u32) -> [u32; 13] {
    [to, from, timeouts, 0, 0, 0, 0, 0, 0, 0, 0, 0, PV_SYS_IPC]
}

/// Attack on `Kernel::charge_preempted_heads` (found in its review). The
/// rule charges the head of a lower queue for every tick it waits through
/// there, whoever holds the CPU. A hostile domain with a thread (the peer)
/// at the victim's priority and two helpers above it turns that against the
/// victim: the peer runs its timeslice and, just before its last tick, wakes
/// the helpers. That tick ends the peer's slice (it is charged as the
/// preempted head) and puts the victim at the head. The two helpers share
/// their priority, so the tick keeps running while they spin, and each of the
/// next TIMESLICE_TICKS ticks charges the victim, which never runs: its slice
/// ends and it goes behind the peer. Then the helpers wait again and the peer
/// runs a whole fresh slice. Round after round the helpers take half of the
/// processor (which their priority allows them), the peer all the rest, and
/// the victim nothing, where a fair round robin at its priority would give it
/// half of what the helpers leave. Before the rule the victim kept its slice
/// through the preemption and ran as soon as the helpers waited. Now a head
/// is charged only for a tick period in which it ran (`Tcb::left_cpu_in`):
/// the peer still pays for the tick that ends its slice, the victim keeps
/// its slice and runs when the helpers wait.
#[test]
fn attack_helpers_that_preempt_the_victims_turn_make_the_charge_take_its_timeslice() {
    let mut w = world();
    timer_at(&mut w, 1_000_000);
    let attacker = w.new_space();
    let victim_space = w.new_space();
    let peer = w.spawn(attacker, 50, 0);
    let victim = w.spawn(victim_space, 50, 0);
    let helpers = [w.spawn(attacker, 70, 0), w.spawn(attacker, 70, 0)];
    let (peer_id, first_id, second_id) = (w.id(peer), w.id(helpers[0]), w.id(helpers[1]));
    // The first helper waits for the peer, the second for the first.
    w.ipc(helpers[0], PV_NIL_THREAD, peer_id, pv_timeouts(0, NEVER), 0, &[]);
    w.ipc(helpers[1], PV_NIL_THREAD, first_id, pv_timeouts(0, NEVER), 0, &[]);
    w.ipc(w.root, PV_NIL_THREAD, PV_ANY_THREAD, pv_timeouts(0, NEVER), 0, &[]);
    assert_eq!(w.kernel.current(), peer);
    // Ticks taken by the peer, the victim and the helpers.
    let (mut peer_ticks, mut victim_ticks, mut helper_ticks) = (0u32, 0u32, 0u32);
    let mut tick = |w: &mut World| {
        let at = w.machine.timer_fires_at.expect("the timer is armed");
        assert!(!w.kernel.tick_stopped && w.kernel.next_kernel_tick == at, "the tick runs");
        match w.kernel.current() {
            c if c == peer => peer_ticks += 1,
            c if c == victim => victim_ticks += 1,
            _ => helper_ticks += 1,
        }
        timer_at(w, at);
    };
    let mut victim_ran = false;
    'rounds: for _ in 0..6 {
        // The peer runs all but the last tick of its slice ...
        for _ in 0..TIMESLICE_TICKS - 1 {
            tick(&mut w);
            if w.kernel.current() == victim {
                victim_ran = true;
                break 'rounds;
            }
        }
        assert_eq!(w.kernel.current(), peer);
        // ... and just before that tick wakes the first helper, which wakes
        // the second (sends that block neither).
        w.machine.now = w.machine.timer_fires_at.expect("armed") - 1;
        runtime_system_call(&mut w, ipc_registers(first_id, PV_NIL_THREAD, pv_timeouts(NEVER, 0)));
        assert_eq!(w.kernel.current(), helpers[0]);
        runtime_system_call(&mut w, ipc_registers(second_id, PV_NIL_THREAD, pv_timeouts(NEVER, 0)));
        assert_eq!(w.kernel.current(), helpers[0]);
        // The helpers spin across that tick and the victim's whole slice.
        for _ in 0..=TIMESLICE_TICKS {
            tick(&mut w);
        }
        // Then they wait again, just after the last of those ticks.
        w.machine.now += 1;
        for _ in 0..2 {
            let helper = w.kernel.current();
            let waker = if helper == helpers[0] { peer_id } else { first_id };
            assert!(helpers.contains(&helper));
            runtime_system_call(&mut w, ipc_registers(PV_NIL_THREAD, waker, pv_timeouts(0, NEVER)));
        }
        if w.kernel.current() == victim {
            victim_ran = true;
            break;
        }
    }
    assert!(
        victim_ran,
        "the victim, ready throughout, never ran: ticks of the peer {peer_ticks}, the helpers {helper_ticks}, \
         the victim {victim_ticks}"
    );
}

/// Attack on `Kernel::charge_preempted_heads` (holds): the charge skips the
/// running thread's own level, so a spinner might try to keep the head of
/// its queue while an accomplice of its own space at its priority takes the
/// ticks there. It donates the rest of its slice to the accomplice
/// (ThreadSwitch), which donates it straight back, and so on before every
/// tick. A donor goes behind its peers, and a donation only passes the time
/// left on, so the pair shares one slice and the victim, at the head once the
/// spinner donated, runs when that slice is used up. (Fails if ThreadSwitch
/// leaves the donor at the head of its queue.)
#[test]
fn attack_a_spinner_that_bounces_its_slice_with_an_accomplice_cannot_starve_its_peer() {
    let mut w = world();
    timer_at(&mut w, 1_000_000);
    let attacker = w.new_space();
    let victim_space = w.new_space();
    let spinner = w.spawn(attacker, 50, 0);
    let victim = w.spawn(victim_space, 50, 0);
    let accomplice = w.spawn(attacker, 50, 0);
    w.ipc(w.root, PV_NIL_THREAD, PV_ANY_THREAD, pv_timeouts(0, NEVER), 0, &[]);
    assert_eq!(w.kernel.current(), spinner);
    let (spinner_id, accomplice_id) = (w.id(spinner), w.id(accomplice));
    let mut switch = [0u32; 13];
    switch[12] = PV_SYS_THREAD_SWITCH;
    let start = w.machine.now;
    let mut victim_ran = false;
    for _ in 0..5 * TIMESLICE_TICKS {
        let tick = w.machine.timer_fires_at.expect("the timer is armed");
        // Just before each tick the running attacker thread hands the time
        // to the other one.
        w.machine.now = tick - 1;
        let current = w.kernel.current();
        assert!(current == spinner || current == accomplice, "thread {current} runs");
        switch[0] = if current == spinner { accomplice_id } else { spinner_id };
        runtime_system_call(&mut w, switch);
        timer_at(&mut w, tick);
        if w.kernel.current() == victim {
            victim_ran = true;
            break;
        }
    }
    let spent = (w.machine.now - start) / TICK_PERIOD;
    assert!(victim_ran, "the victim never ran in {spent} periods");
    assert!(spent <= u64::from(2 * TIMESLICE_TICKS), "the victim waited {spent} periods");
}

// ----- attacks on the notify-and-wait fastpath ------------------------------------------

impl World {
    /// [`World::snapshot`] and everything else a system call or an interrupt
    /// may change that the comparisons of the fastpath must see too: the
    /// kernel's tick and timer state, the tick schedules, the ready queues'
    /// change mark, the interrupt lines at the controller and the timer as
    /// the machine has it armed.
    fn full_snapshot(&self) -> String {
        let k = &self.kernel;
        let mut lines: Vec<_> = self.machine.enabled.iter().map(|(&irq, &on)| (irq, on)).collect();
        lines.sort_unstable();
        format!(
            "{}\nstale {} stopped {} next tick {} kernel deadline {} earliest {} period {} changed {}\n{:?}\n{lines:?}\n\
             timer {:?}",
            self.snapshot(),
            k.timer_stale,
            k.tick_stopped,
            k.next_kernel_tick,
            k.kernel_deadline,
            k.earliest_deadline,
            k.tick_period_number,
            k.ready.is_changed(),
            k.ticks,
            self.machine.timer_fires_at,
        )
    }
}

/// The running thread's system call `registers` through the general path
/// only, as the runtime takes it when every fastpath declines:
/// [`Kernel::system_call_slow`], then [`runtime_exit`].
fn runtime_general_call(w: &mut World, registers: [u32; 13]) {
    let caller = w.kernel.current();
    w.kernel.threads[caller].context.r = registers;
    w.kernel.system_call_slow(&mut w.machine);
    runtime_exit(w);
}

/// The kernel's timer invariants after a step through the runtime's paths:
/// nothing stale, the tick running whenever the running thread has a peer
/// or a donation is in force, the timer armed no later than anything due,
/// no IPC timeout overdue.
fn assert_timer_follows_the_scheduler(w: &World, step: u32) {
    let k = &w.kernel;
    assert!(!k.timer_stale(), "step {step}: the timer is left stale");
    assert!(!(k.tick_stopped && k.tick_needed()), "step {step}: thread {} has a peer, the tick stopped", k.current());
    let armed = w.machine.timer_fires_at.expect("the timer is armed");
    assert!(armed <= k.timer_deadline(), "step {step}: armed for {armed}, due at {}", k.timer_deadline());
    for index in 1..MAX_THREADS {
        if let Some(deadline) = k.threads[index].deadline {
            assert!(deadline > w.machine.now, "step {step}: thread {index}'s timeout overdue");
        }
    }
}

/// What a notify-and-wait the fastpath took found its target in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
enum NotifyWaitCase {
    /// Waiting in an open receive, woken by the bits.
    Woken,
    /// Ready and bound, redirected to its virtual-interrupt entry.
    Redirected,
    /// Ready and bound, its bits only pending (masked).
    BoundPending,
    /// Ready and bound, its words unmapped since it was bound: the bits go
    /// to its notification word.
    Unmapped,
    /// Ready, not bound: the bits wait in its word.
    Ready,
}

/// Two identical systems of direct guests (bound µC/OS-II threads with
/// kernel tick schedules, their Interrupt_loops, a peer beside one of them),
/// v_timer as a device server, a hostile domain granted only one guest and
/// the root, run the same random steps through exactly the runtime's paths:
/// one with every fastpath, one through the general path only. The steps
/// are mostly event-loop steps (notify, perhaps acknowledge, wait for
/// anyone) to threads that wait, to bound threads that are ready (masked or
/// not, their words mapped or not), to foreign, stale and own IDs, with
/// interrupts acknowledged by their handlers and by others, zero bits, and
/// between them kernel and guest ticks at the timer's times, device
/// interrupts, IPC timeouts, yields and donations, guests taking or masking
/// their virtual interrupts, and the root unmapping and remapping a guest's
/// RAM, halting and resuming threads and moving priorities. After every step
/// the two must be in the same state, memory, interrupt lines and timer
/// included, and the timer must follow the scheduler in both.
#[test]
fn the_notify_wait_fastpath_ends_where_the_general_path_does_among_guests_ticks_and_unmaps() {
    let mut worlds = [tick_world(2), tick_world(2)];
    // The general path's world: every wake-up queues (no lazy switch).
    worlds[1].w.kernel.eager_wakes = true;
    let mut cast = Vec::new();
    for t in worlds.iter_mut() {
        let (g0, g1) = (t.guests[0], t.guests[1]);
        let loops = [t.w.spawn(g0.space, 61, 0), t.w.spawn(g1.space, 61, 0)];
        let peer = t.w.spawn(g1.space, 60, 0);
        let hostile = t.w.new_space();
        t.w.configure(hostile, (1 << t.w.root_space) | (1 << hostile) | (1 << g0.space), PV_PRIORITY_MAX, 0);
        let hostiles = [t.w.spawn(hostile, 60, 0), t.w.spawn(hostile, 61, 0), t.w.spawn(hostile, 50, 0)];
        for (irq, handler) in [(40, t.v_timer), (41, hostiles[1]), (42, loops[0]), (43, loops[1])] {
            let id = t.w.id(handler);
            assert_eq!(t.w.call(t.w.root, PV_SYS_INTERRUPT_CONTROL, &[irq, id])[0], PV_OK);
        }
        let start = t.w.machine.now;
        assert_eq!(t.start(g0, 250, start), PV_OK);
        assert_eq!(t.start(g1, 150, start - 77), PV_OK);
        // v_timer, the Interrupt_loops and the root wait for anyone.
        for waiter in [t.v_timer, loops[0], loops[1], t.w.root] {
            t.w.ipc(waiter, PV_NIL_THREAD, PV_ANY_THREAD, pv_timeouts(NEVER, NEVER), 0, &[]);
        }
        timer_at(&mut t.w, start + 1);
        let mut list = vec![t.w.root, t.v_timer, g0.ucos, g1.ucos, loops[0], loops[1], peer];
        list.extend(hostiles);
        cast = list;
    }
    let guests = worlds[0].guests.clone();
    let ucos = [guests[0].ucos, guests[1].ucos];
    let mut mapped = [true, true];
    let mut next = xorshift(0x005E_ED0F_u32);
    let mut taken: HashMap<(NotifyWaitCase, bool), u32> = HashMap::new();
    let (mut declined, mut switched_ipc, mut ticks) = (0u32, 0u32, 0u32);
    let mut donated = 0u32;
    for step in 0..6_000u32 {
        let choice = next();
        let (a, b, c) = (next(), next(), next());
        let current = worlds[0].w.kernel.current();
        assert_eq!(current, worlds[1].w.kernel.current(), "step {step}");
        // The system call the running thread makes, if any (the same in both).
        let mut call: Option<[u32; 13]> = None;
        // Picks a thread ID as the caller may mean it: mostly a thread
        // waiting for anyone (the fastpath's chance), a bound guest, anyone,
        // or an ID that names nobody.
        let pick = |w: &World, value: u32| -> u32 {
            let waiting: Vec<_> = cast
                .iter()
                .copied()
                .filter(|&t| t != current && w.kernel.threads[t].state == (State::Receiving { from: Source::Any }))
                .collect();
            match value % 10 {
                0..4 if !waiting.is_empty() => w.id(waiting[(value >> 4) as usize % waiting.len()]),
                4 | 5 => w.id(ucos[(value >> 4) as usize % 2]),
                6 => w.id(cast[1]) ^ (1 << PV_THREAD_VERSION_SHIFT),
                7 if current != 0 => w.id(current),
                _ => w.id(cast[(value >> 4) as usize % cast.len()]),
            }
        };
        if current == 0 {
            // Idle: the timer fires, or a device interrupts, or an IPC is
            // aborted (as the root would).
            match choice % 3 {
                0 => {
                    for t in worlds.iter_mut() {
                        let at = t.w.machine.timer_fires_at.expect("armed");
                        timer_at(&mut t.w, at);
                    }
                    ticks += 1;
                }
                1 => {
                    for t in worlds.iter_mut() {
                        t.w.interrupt(40 + a % 4);
                        runtime_exit(&mut t.w);
                    }
                }
                _ => {
                    let target = cast[b as usize % cast.len()];
                    for t in worlds.iter_mut() {
                        t.w.kernel.exchange_registers(target, PV_EXREG_ABORT_IPC, 0, 0, 0);
                        runtime_exit(&mut t.w);
                    }
                }
            }
        } else if current == cast[0] && !choice.is_multiple_of(4) {
            // The root: something of its own, then (mostly) its wait.
            match a % 5 {
                0 => {
                    // Unmaps or maps back a guest's RAM (its virtual-interrupt
                    // words and its stack).
                    let which = (b % 2) as usize;
                    let guest = guests[which];
                    let registers = if mapped[which] {
                        [guest.space as u32, GUEST_RAM, PV_SECTION_SIZE, 0, 0, 0, 0, 0, 0, 0, 0, 0, PV_SYS_UNMAP]
                    } else {
                        let rights = PV_MAP_READ | PV_MAP_WRITE;
                        let (space, ram) = (guest.space as u32, guest.ram as u32);
                        [space, GUEST_RAM, ram, PV_SECTION_SIZE, rights, 0, 0, 0, 0, 0, 0, 0, PV_SYS_MAP]
                    };
                    mapped[which] = !mapped[which];
                    call = Some(registers);
                }
                1 => {
                    // Halts a thread now and then, resumes a halted one mostly.
                    let w = &worlds[0].w;
                    let halted: Vec<_> = cast.iter().copied().filter(|&t| w.kernel.threads[t].halted).collect();
                    let (target, control) = match halted.len() {
                        0 => (cast[1 + (b as usize % (cast.len() - 1))], PV_EXREG_HALT),
                        n if c % 3 != 0 => (halted[b as usize % n], PV_EXREG_RESUME),
                        _ => (cast[1 + (b as usize % (cast.len() - 1))], PV_EXREG_HALT | PV_EXREG_ABORT_IPC),
                    };
                    let mut r = [0; 13];
                    r[..2].copy_from_slice(&[w.id(target), control]);
                    r[12] = PV_SYS_EXCHANGE_REGISTERS;
                    call = Some(r);
                }
                2 => {
                    // Moves a thread's priority (a peer appears or goes).
                    let w = &worlds[0].w;
                    let target = cast[[2, 3, 6, 7, 8, 9][b as usize % 6]];
                    let priority = [50, 60, 61, 70][c as usize % 4];
                    let mut r = [0; 13];
                    r[..2].copy_from_slice(&[w.id(target), priority]);
                    r[12] = PV_SYS_SET_PRIORITY;
                    call = Some(r);
                }
                _ => {
                    let w = &worlds[0].w;
                    let bits = if b % 6 == 0 { 0 } else { 1 << (b % 32) };
                    let mut r = [0; 13];
                    r[..4].copy_from_slice(&[pick(w, c), bits, PV_ANY_THREAD, PV_NIL_THREAD]);
                    r[12] = PV_SYS_NOTIFY;
                    call = Some(r);
                }
            }
        } else {
            let w = &worlds[0].w;
            let mut r = [0u32; 13];
            // Event loops (v_timer, the Interrupt_loops, the hostile
            // threads) mostly take their step.
            let event_loop = (cast[1] == current || cast[4..6].contains(&current) || cast[7..].contains(&current))
                && !choice.is_multiple_of(8);
            // A guest mostly takes a virtual interrupt it finds masked at once.
            let guest = ucos.iter().position(|&t| t == current);
            let handles = guest.is_some_and(|which| worlds[0].mask(guests[which]) != 0 && choice.is_multiple_of(2));
            match if event_loop {
                19
            } else if handles {
                4
            } else {
                choice % 20
            } {
                // Time passes, perhaps to the timer.
                0..3 => {
                    let counts = u64::from(a) % (3 * TICK_PERIOD);
                    for t in worlds.iter_mut() {
                        let until = t.w.machine.now + counts;
                        match t.w.machine.timer_fires_at.filter(|&at| at <= until) {
                            Some(at) => timer_at(&mut t.w, at),
                            None => t.w.machine.now = until,
                        }
                    }
                    ticks += 1;
                }
                // A device interrupt, through the lean exit when the kernel says so.
                3 => {
                    for t in worlds.iter_mut() {
                        t.w.interrupt(40 + a % 4);
                    }
                }
                // A guest takes its virtual interrupt (unmasks, nothing
                // pending) or masks them, in its own memory.
                4 if ucos.contains(&current) => {
                    let which = (current == ucos[1]) as usize;
                    if mapped[which] {
                        mask_or_take(&mut worlds, which, a % 3 == 0);
                    }
                }
                5 => {
                    // A yield, or a donation (mostly to a thread of its own space).
                    let space = w.kernel.threads[current].space;
                    let mates: Vec<_> =
                        cast.iter().copied().filter(|&t| t != current && w.kernel.threads[t].space == space).collect();
                    r[0] = match (a % 3, mates.len()) {
                        (0, _) => PV_NIL_THREAD,
                        (1, n) if n > 0 => w.id(mates[b as usize % n]),
                        _ => w.id(cast[(b >> 3) as usize % cast.len()]),
                    };
                    r[12] = PV_SYS_THREAD_SWITCH;
                }
                6 => {
                    r[..2].copy_from_slice(&[pick(w, a), 1 << (b % 32)]);
                    r[12] = PV_SYS_NOTIFY;
                }
                // An idle wait or a wait with a timeout of a few milliseconds.
                7 => {
                    let timeout = [NEVER, NEVER, 1, 3, 5][b as usize % 5];
                    r[..4].copy_from_slice(&[PV_NIL_THREAD, PV_ANY_THREAD, pv_timeouts(0, timeout), 0]);
                    r[12] = PV_SYS_IPC;
                }
                // A send or a call.
                8 | 9 => {
                    let to = pick(w, a);
                    let from = if b % 2 == 0 { to } else { PV_NIL_THREAD };
                    let timeouts = [pv_timeouts(PV_TIMEOUT_ZERO, 2), pv_timeouts(3, 5), pv_timeouts(NEVER, 4), NEVER];
                    r[..4].copy_from_slice(&[to, from, timeouts[c as usize % 4], pv_tag(1, b % 3)]);
                    r[12] = PV_SYS_IPC;
                }
                // The event-loop step.
                _ => {
                    let bits = match b % 8 {
                        0 => 0,
                        1..4 => PV_NOTIFY_TIMER_TICK,
                        bit => 1 << (bit * 3),
                    };
                    // Its own line (if it handles one), or anyone's, or no line.
                    let handlers = [(cast[1], 40), (cast[8], 41), (cast[4], 42), (cast[5], 43)];
                    let own = handlers.iter().find(|&&(t, _)| t == current).map(|&(_, irq)| irq);
                    let acknowledge = match ((b >> 8) % 16, own) {
                        (0..7, _) => PV_NIL_THREAD,
                        (7..13, Some(irq)) => pv_irq_thread(irq),
                        (13, _) => w.id(cast[0]),
                        (line, _) => pv_irq_thread(40 + line % 4),
                    };
                    let from = if (b >> 12) % 10 == 0 { pick(w, c) } else { PV_ANY_THREAD };
                    // An Interrupt_loop mostly notifies its own guest.
                    let guest = [cast[4], cast[5]].iter().position(|&t| t == current);
                    let to = match guest {
                        Some(which) if a % 2 == 0 => w.id(ucos[which]),
                        _ => pick(w, a),
                    };
                    r[..4].copy_from_slice(&[to, bits, from, acknowledge]);
                    r[12] = PV_SYS_NOTIFY;
                }
            }
            if r[12] != 0 {
                call = Some(r);
            }
        }
        if let Some(r) = call {
            // What the fastpath will find, for the counts.
            let w = &worlds[0].w;
            let case = w.kernel.lookup(r[0]).ok().map(|target| {
                let tcb = &w.kernel.threads[target];
                match (tcb.state, tcb.virq) {
                    (State::Receiving { .. }, _) => NotifyWaitCase::Woken,
                    (_, None) => NotifyWaitCase::Ready,
                    (_, Some(_)) if mapped[(target == ucos[1]) as usize] => NotifyWaitCase::BoundPending,
                    (_, Some(_)) => NotifyWaitCase::Unmapped,
                }
            });
            donated += u32::from(r[12] == PV_SYS_NOTIFY && w.kernel.donation.is_some());
            let pc_before = case.map(|_| w.kernel.threads[w.kernel.lookup(r[0]).unwrap()].context.pc);
            let path = runtime_system_call(&mut worlds[0].w, r);
            runtime_general_call(&mut worlds[1].w, r);
            if [PV_SYS_MAP, PV_SYS_UNMAP, PV_SYS_EXCHANGE_REGISTERS, PV_SYS_SET_PRIORITY].contains(&r[12]) {
                assert_eq!(worlds[1].w.kernel.threads[current].context.r[0], PV_OK, "step {step}: the root's call");
            }
            match path {
                FastPath::Switched if r[12] == PV_SYS_NOTIFY => {
                    let w = &worlds[0].w;
                    let target = w.kernel.current();
                    assert_ne!(target, current);
                    let mut case = case.expect("a live target");
                    if case == NotifyWaitCase::BoundPending && Some(w.kernel.threads[target].context.pc) != pc_before {
                        case = NotifyWaitCase::Redirected;
                    }
                    *taken.entry((case, r[3] != PV_NIL_THREAD)).or_default() += 1;
                }
                FastPath::Switched => switched_ipc += 1,
                FastPath::Declined if r[12] == PV_SYS_NOTIFY && r[2] == PV_ANY_THREAD => declined += 1,
                _ => {}
            }
        }
        assert_eq!(worlds[0].w.full_snapshot(), worlds[1].w.full_snapshot(), "step {step}");
        assert!(worlds[0].w.machine.memory == worlds[1].w.machine.memory, "step {step}: memory");
        for t in &worlds {
            assert_timer_follows_the_scheduler(&t.w, step);
        }
    }
    let mut counts: Vec<_> = taken.iter().map(|(&case, &count)| (case, count)).collect();
    counts.sort_unstable();
    println!(
        "notify-wait fastpaths {counts:?}, declined {declined}, with a donation {donated}, IPC fastpaths \
         {switched_ipc}, timer steps {ticks}"
    );
    // Every case of the fastpath, with and without an acknowledgement, many times.
    let cases =
        [NotifyWaitCase::Woken, NotifyWaitCase::Redirected, NotifyWaitCase::BoundPending, NotifyWaitCase::Unmapped];
    for case in cases {
        for acknowledged in [false, true] {
            let count = taken.get(&(case, acknowledged)).copied().unwrap_or(0);
            assert!(count >= 3, "{case:?} (acknowledged: {acknowledged}) taken {count} times: {counts:?}");
        }
    }
    assert!(declined > 1000 && switched_ipc > 2 && ticks > 300, "{declined} {switched_ipc} {ticks}");
    assert!(donated >= 5, "notify-waits with a donation in force: {donated}");
}

/// Attack: a hostile domain uses the notify-and-wait fastpath against a
/// victim domain. One of its spaces is not granted the victim's (a spinner
/// at the victims' priority and an event loop above everyone's, woken by its
/// own device); the other is (a client of the victim's device server, at the
/// same priority). They notify the victim's threads they may not name — its
/// idle thread above them all, which the fastpath would switch to at once if
/// it took such a request, a ready worker, stale IDs — acknowledge the
/// victim's interrupt line, alone or with a request they may make, and, as
/// the client, notify a ready victim worker that is not next in its queue
/// (the fastpath must not run it out of turn). Meanwhile the victim's
/// device server takes its own line's interrupts with notify-and-wait steps
/// that the fastpath takes. Three identical systems run the same steps: with
/// every fastpath, through the general path only, and without the hostile
/// requests that the kernel refuses. After every step the first two are in
/// the same state; every thread runs at the same steps and is charged exactly
/// the same ticks in all three, so the refused requests changed nothing
/// anyone can see but their own error codes; the victim's line is never
/// unmasked but by its handler, no refused request took the fastpath, and
/// the victim's server's steps did.
#[test]
fn attack_a_hostile_domain_cannot_move_a_victim_with_notify_wait_requests_it_may_not_make() {
    let mut worlds = [world(), world(), world()];
    // The general path's worlds: every wake-up queues (no lazy switch).
    worlds[1].kernel.eager_wakes = true;
    worlds[2].kernel.eager_wakes = true;
    let mut cast = [0usize; 8];
    for w in worlds.iter_mut() {
        timer_at(w, 1_000_000);
        let (victim, hostile, client_space) = (w.new_space(), w.new_space(), w.new_space());
        let root = 1 << w.root_space;
        w.configure(victim, root | (1 << victim), PV_PRIORITY_MAX, 0);
        w.configure(hostile, root | (1 << hostile) | (1 << client_space), PV_PRIORITY_MAX, 0);
        w.configure(client_space, root | (1 << client_space) | (1 << victim) | (1 << hostile), PV_PRIORITY_MAX, 0);
        // The victim: its device server, its idle thread above everyone but
        // the hostile event loop, two workers; then the hostile spinner, its
        // event loop and the client.
        let (server, idle) = (w.spawn(victim, 70, 0), w.spawn(victim, 80, 0));
        let workers = [w.spawn(victim, 50, 0), w.spawn(victim, 50, 0)];
        let (spinner, event_loop) = (w.spawn(hostile, 50, 0), w.spawn(hostile, 90, 0));
        let client = w.spawn(client_space, 50, 0);
        for (irq, handler) in [(44, server), (45, event_loop)] {
            let id = w.id(handler);
            assert_eq!(w.call(w.root, PV_SYS_INTERRUPT_CONTROL, &[irq, id])[0], PV_OK);
        }
        for waiter in [server, idle, event_loop, w.root] {
            w.ipc(waiter, PV_NIL_THREAD, PV_ANY_THREAD, pv_timeouts(0, NEVER), 0, &[]);
        }
        runtime_exit(w);
        cast = [server, idle, workers[0], workers[1], spinner, event_loop, client, w.root];
    }
    let [server, idle, worker, behind, spinner, event_loop, client, _] = cast;
    let victims = [server, idle, worker, behind];
    let mut next = xorshift(0xA77A_C4EDu32);
    let mut charged = [[0u32; MAX_THREADS]; 3];
    let (mut refused, mut server_fast, mut out_of_turn) = (0u32, 0u32, 0u32);
    let notify_wait = |to: u32, bits: u32, acknowledge: u32| {
        [to, bits, PV_ANY_THREAD, acknowledge, 0, 0, 0, 0, 0, 0, 0, 0, PV_SYS_NOTIFY]
    };
    for step in 0..4_000u32 {
        let (choice, pick) = (next(), next());
        let current = worlds[0].kernel.current();
        for w in &worlds[1..] {
            assert_eq!(w.kernel.current(), current, "step {step}: the scheduler's order");
        }
        let w = &worlds[0];
        let armed = w.machine.timer_fires_at.expect("armed");
        let stale = w.id(idle) ^ (1 << PV_THREAD_VERSION_SHIFT);
        // A request the kernel refuses, from a hostile thread, at a random
        // time before the timer fires.
        let refusal = match current {
            c if (c == spinner || c == event_loop) && choice % 2 == 0 => Some(match pick % 6 {
                // The idle victim above them all: the fastpath's best case.
                0 => notify_wait(w.id(idle), 1, PV_NIL_THREAD),
                1 => notify_wait(w.id(behind), 1, PV_NIL_THREAD),
                2 => notify_wait(stale, 1, PV_NIL_THREAD),
                // Its own thread, with the victim's line acknowledged.
                3 => notify_wait(w.id(if c == spinner { event_loop } else { spinner }), 1, pv_irq_thread(44)),
                4 => notify_wait(w.id(server), 1, pv_irq_thread(45)),
                _ => notify_wait(w.id(idle), 0, pv_irq_thread(44)),
            }),
            // The client may name the victim, but not acknowledge its line.
            c if c == client && choice % 4 == 0 => Some(notify_wait(w.id(server), 1, pv_irq_thread(44))),
            _ => None,
        };
        let at = w.machine.now + u64::from(pick % 700);
        if let Some(registers) = refusal
            && at < armed
        {
            let masked = w.kernel.irqs[44].masked;
            for (index, w) in worlds.iter_mut().enumerate() {
                w.machine.now = at;
                match index {
                    0 => assert_eq!(runtime_system_call(w, registers), FastPath::Declined, "step {step}"),
                    1 => runtime_general_call(w, registers),
                    _ => continue,
                }
                assert_eq!(w.kernel.current(), current, "step {step}: a refused request runs on");
                let code = w.kernel.threads[current].context.r[0];
                assert!(code == PV_ERR_INVALID_THREAD, "step {step}: {code:#x}");
                assert_eq!(w.kernel.irqs[44].masked, masked, "step {step}: the victim's line");
            }
            refused += 1;
        } else {
            // What the thread does otherwise: the victim's server and the
            // hostile event loop take their event-loop steps, the idle
            // victim waits, the client notifies the worker behind the head
            // of its queue and waits, the rest spin until the timer fires
            // (a device interrupting before it now and then).
            let registers = match current {
                c if c == server => Some(notify_wait(w.id(idle), 1 << (pick % 8), pv_irq_thread(44))),
                c if c == event_loop => Some(notify_wait(w.id(client), 2, pv_irq_thread(45))),
                c if c == idle => Some(ipc_registers(PV_NIL_THREAD, PV_ANY_THREAD, pv_timeouts(0, NEVER))),
                c if c == client && choice % 4 == 1 => {
                    let last = *w.kernel.ready.queue(50).last().expect("ready at 50");
                    out_of_turn += u32::from(last == behind);
                    Some(notify_wait(w.id(last), 4, PV_NIL_THREAD))
                }
                _ => None,
            };
            match registers {
                Some(registers) => {
                    for (index, w) in worlds.iter_mut().enumerate() {
                        if index == 0 {
                            let path = runtime_system_call(w, registers);
                            server_fast += u32::from(current == server && path == FastPath::Switched);
                        } else {
                            runtime_general_call(w, registers);
                        }
                    }
                }
                None => {
                    let irq = [Some(44), Some(45), None, None][pick as usize % 4];
                    for (index, w) in worlds.iter_mut().enumerate() {
                        if let Some(irq) = irq
                            && choice % 3 == 0
                        {
                            w.machine.now = at.min(armed - 1);
                            w.interrupt(irq);
                            runtime_exit(w);
                        } else {
                            charged[index][w.kernel.current()] += 1;
                            timer_at(w, armed);
                        }
                    }
                }
            }
        }
        assert_eq!(worlds[0].full_snapshot(), worlds[1].full_snapshot(), "step {step}");
        assert!(worlds[0].machine.memory == worlds[1].machine.memory, "step {step}: memory");
        for w in &worlds {
            assert_timer_follows_the_scheduler(w, step);
        }
    }
    // Every thread charged the same ticks with and without the refused
    // requests, through either path.
    assert_eq!(charged[0], charged[1], "fastpath against general path");
    assert_eq!(charged[0], charged[2], "with the refused requests against without them");
    let victim_ticks: Vec<_> = victims.iter().map(|&t| charged[0][t]).collect();
    println!("refused {refused}, server fastpaths {server_fast}, out of turn {out_of_turn}, victims {victim_ticks:?}");
    assert!(refused > 300 && server_fast > 20 && out_of_turn > 20, "{refused} {server_fast} {out_of_turn}");
    assert!(charged[0][worker] > 100 && charged[0][behind] > 100, "{victim_ticks:?}");
}

/// The threads of [`notify_wait_world`].
#[derive(Clone, Copy)]
struct NotifyWaitCast {
    /// The event loop (priority 60, space A, which may name B), running,
    /// the handler of line 40 (masked: it just took an interrupt).
    caller: usize,
    /// Waiting for anyone in space B: above the caller (70, the handler of
    /// line 41) and below it (40).
    above: usize,
    below: usize,
    /// Halted until a case resumes them, at the caller's priority: a peer
    /// in its space, and a thread of B bound to its virtual-interrupt words
    /// (unmasked, at a Thumb pc).
    peer: usize,
    bound: usize,
    /// Waiting for anyone above them all, in a space the caller may not name.
    foreign: usize,
}

/// A world for the notify-and-wait fastpath's cases (see [`NotifyWaitCast`]),
/// with the kernel's tick stopped (the caller runs alone at its priority).
fn notify_wait_world() -> (World, NotifyWaitCast) {
    let mut w = world();
    timer_at(&mut w, 1_000_000);
    let (a, b, f) = (w.new_space(), w.new_space(), w.new_space());
    let root = 1 << w.root_space;
    w.configure(a, root | (1 << a) | (1 << b), PV_PRIORITY_MAX, 0);
    w.configure(f, root | (1 << f), PV_PRIORITY_MAX, 0);
    let rw = [b as u32, GUEST_RAM, GUEST_RAM_PHYSICAL as u32, PV_SECTION_SIZE, PV_MAP_READ | PV_MAP_WRITE];
    assert_eq!(w.call(w.root, PV_SYS_MAP, &rw)[0], PV_OK);
    let cast = NotifyWaitCast {
        caller: w.spawn(a, 60, 0),
        above: w.spawn(b, 70, 0),
        below: w.spawn(b, 40, 0),
        peer: w.spawn(a, 60, 0),
        bound: w.spawn(b, 60, 0),
        foreign: w.spawn(f, 80, 0),
    };
    let context = &mut w.kernel.threads[cast.bound].context;
    (context.sp, context.pc, context.cpsr) = (GUEST_SP, 0x0010_1234, user_cpsr(0xA000_0000 | CPSR_THUMB));
    let id = w.id(cast.bound);
    assert_eq!(w.call(w.root, PV_SYS_VIRQ_BIND, &[id, VIRQ_WORDS, VIRQ_ENTRY])[0], PV_OK);
    for (irq, handler) in [(40, cast.caller), (41, cast.above)] {
        let id = w.id(handler);
        assert_eq!(w.call(w.root, PV_SYS_INTERRUPT_CONTROL, &[irq, id])[0], PV_OK);
    }
    for thread in [cast.peer, cast.bound] {
        w.kernel.exchange_registers(thread, PV_EXREG_HALT, 0, 0, 0);
    }
    for waiter in [cast.above, cast.below, cast.foreign, cast.caller, w.root] {
        w.ipc(waiter, PV_NIL_THREAD, PV_ANY_THREAD, pv_timeouts(0, NEVER), 0, &[]);
    }
    w.interrupt(40);
    runtime_exit(&mut w);
    assert_eq!((w.kernel.current(), w.kernel.irqs[40].masked), (cast.caller, true));
    timer_at(&mut w, 1_001_000);
    assert!(w.kernel.tick_stopped && w.machine.timer_fires_at.is_none_or(|at| at > 1_001_000));
    (w, cast)
}

/// The notify-and-wait fastpath case by case, each in two identical worlds,
/// one through the runtime's fastpaths and one through the general path
/// only: after the same preparation (the general path's way) the running
/// thread makes the same `PV_SYS_NOTIFY` with a receive phase, and the two
/// must end in the same state, memory, interrupt lines and timer included,
/// with the fastpath taken exactly where the general path ends with the
/// caller blocked and the notified thread alone at the top: a woken thread
/// above the caller (after an IPC fastpath left the caller out of its queue
/// too, with a timeout pending, with a line acknowledged, masked or not), a
/// ready peer behind the caller, a ready bound thread (redirected, masked, its
/// words unmapped), and nowhere else: a waiting thread below a peer of the
/// caller, zero bits, the caller itself, a halted thread, a thread not
/// first in its queue, a foreign or stale thread, a line the caller does not
/// handle, something that is no line, a closed receive, a donation in force,
/// bits or an interrupt waiting for the caller.
#[test]
fn the_notify_wait_fastpath_case_by_case_ends_where_the_general_path_does() {
    type Prepare = fn(&mut World, NotifyWaitCast);
    type Registers = fn(&World, NotifyWaitCast) -> [u32; 4];
    let nothing: Prepare = |_, _| {};
    let resume_bound: Prepare = |w, c| {
        w.kernel.exchange_registers(c.bound, PV_EXREG_RESUME, 0, 0, 0);
        runtime_exit(w);
    };
    let cases: [(&str, Prepare, Registers, FastPath); 25] = [
        ("a waiting thread above", nothing, |w, c| [w.id(c.above), 1, PV_ANY_THREAD, 0], FastPath::Switched),
        (
            "the same, the caller left out of its queue by an IPC fastpath",
            |w, c| {
                w.kernel.ready.remove(c.caller);
                w.kernel.ready.take_changed();
            },
            |w, c| [w.id(c.above), 1, PV_ANY_THREAD, 0],
            FastPath::Switched,
        ),
        (
            "the same, its own masked line acknowledged",
            nothing,
            |w, c| [w.id(c.above), 1, PV_ANY_THREAD, pv_irq_thread(40)],
            FastPath::Switched,
        ),
        (
            "the same, its own line already unmasked",
            |w, _| {
                w.kernel.irqs[40].masked = false;
                w.machine.enabled.insert(40, true);
            },
            |w, c| [w.id(c.above), 1, PV_ANY_THREAD, pv_irq_thread(40)],
            FastPath::Switched,
        ),
        (
            "the same, its receive with a timeout pending",
            |w, c| {
                let deadline = w.machine.now + 5_000;
                w.kernel.threads[c.above].deadline = Some(deadline);
                w.kernel.earliest_deadline = deadline;
                w.kernel.kernel_deadline = deadline;
                w.kernel.sync_timer(&mut w.machine);
            },
            |w, c| [w.id(c.above), 1, PV_ANY_THREAD, 0],
            FastPath::Switched,
        ),
        (
            "a waiting thread below, the caller's peer ready",
            resume_peer,
            |w, c| [w.id(c.below), 1, PV_ANY_THREAD, 0],
            FastPath::Declined,
        ),
        (
            "a waiting thread at the caller's priority, the caller's peer ready",
            |w, c| {
                // (What PV_SYS_SET_PRIORITY does to a thread in no queue.)
                w.kernel.threads[c.below].priority = 60;
                resume_peer(w, c);
            },
            |w, c| [w.id(c.below), 1, PV_ANY_THREAD, 0],
            FastPath::Declined,
        ),
        (
            "a waiting thread below, nobody else ready",
            nothing,
            |w, c| [w.id(c.below), 1, PV_ANY_THREAD, 0],
            FastPath::Switched,
        ),
        (
            "the ready peer behind the caller",
            resume_peer,
            |w, c| [w.id(c.peer), 1, PV_ANY_THREAD, 0],
            FastPath::Switched,
        ),
        (
            "a waiting thread above, the caller's peer ready (the tick runs)",
            resume_peer,
            |w, c| [w.id(c.above), 1, PV_ANY_THREAD, 0],
            FastPath::Switched,
        ),
        (
            "a ready bound thread, unmasked: redirected",
            resume_bound,
            |w, c| [w.id(c.bound), PV_NOTIFY_TIMER_TICK, PV_ANY_THREAD, pv_irq_thread(40)],
            FastPath::Switched,
        ),
        (
            "a ready bound thread, masked: the bits pend",
            |w, c| {
                w.machine.poke(GUEST_RAM_PHYSICAL + 0x100, 1);
                w.kernel.exchange_registers(c.bound, PV_EXREG_RESUME, 0, 0, 0);
                runtime_exit(w);
            },
            |w, c| [w.id(c.bound), PV_NOTIFY_TIMER_TICK, PV_ANY_THREAD, 0],
            FastPath::Switched,
        ),
        (
            "a ready bound thread whose words the root unmapped: its notification word",
            |w, c| {
                let space = w.kernel.threads[c.bound].space;
                let (table, pool) = w.kernel.edit_tables(space);
                table.unmap(pool, GUEST_RAM as usize, SECTION).unwrap();
                w.kernel.exchange_registers(c.bound, PV_EXREG_RESUME, 0, 0, 0);
                runtime_exit(w);
            },
            |w, c| [w.id(c.bound), PV_NOTIFY_TIMER_TICK, PV_ANY_THREAD, 0],
            FastPath::Switched,
        ),
        (
            "a ready bound thread behind the caller's peer",
            |w, c| {
                for thread in [c.peer, c.bound] {
                    w.kernel.exchange_registers(thread, PV_EXREG_RESUME, 0, 0, 0);
                }
                runtime_exit(w);
            },
            |w, c| [w.id(c.bound), PV_NOTIFY_TIMER_TICK, PV_ANY_THREAD, 0],
            FastPath::Declined,
        ),
        ("zero bits", nothing, |w, c| [w.id(c.above), 0, PV_ANY_THREAD, 0], FastPath::Declined),
        ("the caller itself", nothing, |w, c| [w.id(c.caller), 1, PV_ANY_THREAD, 0], FastPath::Declined),
        (
            "a halted waiting thread",
            |w, c| {
                w.kernel.exchange_registers(c.above, PV_EXREG_HALT, 0, 0, 0);
            },
            |w, c| [w.id(c.above), 1, PV_ANY_THREAD, 0],
            FastPath::Declined,
        ),
        ("a foreign thread", nothing, |w, c| [w.id(c.foreign), 1, PV_ANY_THREAD, 0], FastPath::Declined),
        (
            "a stale ID",
            nothing,
            |w, c| [w.id(c.above) ^ (1 << PV_THREAD_VERSION_SHIFT), 1, PV_ANY_THREAD, 0],
            FastPath::Declined,
        ),
        (
            "another handler's line",
            nothing,
            |w, c| [w.id(c.above), 1, PV_ANY_THREAD, pv_irq_thread(41)],
            FastPath::Declined,
        ),
        ("no line", nothing, |w, c| [w.id(c.above), 1, PV_ANY_THREAD, w.id(c.above)], FastPath::Declined),
        ("a closed receive", nothing, |w, c| [w.id(c.above), 1, w.id(c.above), 0], FastPath::Declined),
        (
            "a donation in force (the peer runs on the caller's time)",
            resume_peer_for_donation,
            |w, c| [w.id(c.above), 1, PV_ANY_THREAD, 0],
            FastPath::Declined,
        ),
        (
            "bits waiting for the caller",
            |w, c| w.kernel.notify(c.caller, 8, &mut w.machine),
            |w, c| [w.id(c.above), 1, PV_ANY_THREAD, 0],
            FastPath::Declined,
        ),
        (
            "an interrupt waiting for the caller",
            |w, _| {
                w.kernel.irqs[40].masked = false;
                w.interrupt(40);
                runtime_exit(w);
            },
            |w, c| [w.id(c.above), 1, PV_ANY_THREAD, pv_irq_thread(40)],
            FastPath::Declined,
        ),
    ];
    for (what, prepare, registers, expected) in cases {
        let mut worlds = [notify_wait_world(), notify_wait_world()];
        // The general path's world: every wake-up queues (no lazy switch).
        worlds[1].0.kernel.eager_wakes = true;
        for (w, cast) in worlds.iter_mut() {
            prepare(w, *cast);
        }
        assert_eq!(worlds[0].0.full_snapshot(), worlds[1].0.full_snapshot(), "{what}: prepared alike");
        let caller = worlds[0].0.kernel.current();
        let [to, bits, from, acknowledge] = registers(&worlds[0].0, worlds[0].1);
        let call = [to, bits, from, acknowledge, 0, 0, 0, 0, 0, 0, 0, 0, PV_SYS_NOTIFY];
        let path = runtime_system_call(&mut worlds[0].0, call);
        runtime_general_call(&mut worlds[1].0, call);
        assert_eq!(path, expected, "{what}");
        let (fast, general) = (&worlds[0].0, &worlds[1].0);
        assert_eq!(fast.full_snapshot(), general.full_snapshot(), "{what}");
        assert!(fast.machine.memory == general.machine.memory, "{what}: memory");
        for w in [fast, general] {
            assert_timer_follows_the_scheduler(w, 0);
        }
        if path == FastPath::Switched {
            let target = fast.kernel.lookup(to).unwrap();
            assert_eq!(fast.kernel.current(), target, "{what}");
            assert_eq!(fast.kernel.threads[caller].state, State::Receiving { from: Source::Any }, "{what}");
        }
    }
}

/// The peer resumed and the caller's ThreadSwitch to it: the peer runs on
/// the rest of the caller's timeslice (a donation in force).
fn resume_peer_for_donation(w: &mut World, c: NotifyWaitCast) {
    w.kernel.exchange_registers(c.peer, PV_EXREG_RESUME, 0, 0, 0);
    runtime_exit(w);
    let id = w.id(c.peer);
    runtime_general_call(w, [id, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, PV_SYS_THREAD_SWITCH]);
    assert_eq!(w.kernel.current(), c.peer);
    assert!(w.kernel.donation.is_some());
}

/// The caller's peer resumed (the general path's way): it queues behind the
/// caller, and the kernel's tick restarts.
fn resume_peer(w: &mut World, c: NotifyWaitCast) {
    w.kernel.exchange_registers(c.peer, PV_EXREG_RESUME, 0, 0, 0);
    runtime_exit(w);
}

// ----- an interrupt's lazy switch --------------------------------------------------

/// An interrupt that wakes a thread above every runnable one switches to it
/// lazily ([`Kernel::wake_to_run`]): the woken thread is current in no queue,
/// the interrupted one waits at the head of its queue marked as having left
/// the CPU ready, nothing is left for the scheduler, and the exit runs the
/// woken thread at once; the world that queues every wake-up (the general
/// path's) ends in the same state after its choice. A wake-up that is not
/// the scheduler's next choice (a handler at the interrupted thread's
/// priority, or below a ready thread), and the first of two guest ticks
/// delivered by one timer interrupt, queue as before. Fails without the lazy
/// switch (the woken thread would be queued, the choice left to do).
#[test]
fn an_interrupt_switches_lazily_to_the_thread_it_wakes_above_everyone() {
    for handler_priority in [200, 100] {
        let mut worlds = [world(), world()];
        worlds[1].kernel.eager_wakes = true;
        let mut cast = (0, 0);
        for w in worlds.iter_mut() {
            let space = w.new_space();
            let (handler, spinner) = (w.spawn(space, handler_priority, 0), w.spawn(space, 100, 0));
            let id = w.id(handler);
            assert_eq!(w.call(w.root, PV_SYS_INTERRUPT_CONTROL, &[40, id])[0], PV_OK);
            for waiter in [handler, w.root] {
                w.ipc(waiter, PV_NIL_THREAD, PV_ANY_THREAD, pv_timeouts(NEVER, NEVER), 0, &[]);
            }
            w.kernel.current = spinner;
            w.kernel.ready.mark_changed();
            assert_eq!(w.kernel.schedule(), Some(spinner));
            w.kernel.interrupt(40, &mut w.machine);
            cast = (handler, spinner);
        }
        let (handler, spinner) = cast;
        let lazy = &worlds[0].kernel;
        if handler_priority > 100 {
            assert_eq!(lazy.current, handler, "the woken handler runs at once");
            assert!(!lazy.ready.contains(handler), "in no queue: it stands for the head of its own");
            assert_eq!(lazy.ready.queue(100).first(), Some(&spinner), "the interrupted thread heads its queue");
            assert_eq!(lazy.threads[spinner].left_cpu_in, lazy.tick_period_number, "it left the CPU ready");
            assert_eq!(lazy.threads[handler].timeslice, TIMESLICE_TICKS, "a wake-up's fresh timeslice");
            assert!(lazy.interrupted_thread_runs_on(), "nothing left for the scheduler: the lean exit runs it");
        } else {
            assert_eq!(lazy.current, spinner, "a peer of the interrupted thread is queued behind it");
            assert!(lazy.ready.contains(handler));
            assert!(!lazy.interrupted_thread_runs_on());
        }
        for w in worlds.iter_mut() {
            irq_exit(w, spinner);
        }
        assert_eq!(worlds[0].full_snapshot(), worlds[1].full_snapshot(), "handler at {handler_priority}");
    }

    // A timer interrupt that delivers two guest ticks wakes two bound
    // µC/OS-II threads idling in an open receive: only the interrupt's last
    // wake-up may switch lazily, so whichever comes first is queued, and the
    // ends are the same as the general path's (the first one is not marked
    // as having left a CPU it never had).
    for priorities in [[60, 70], [70, 60]] {
        let mut worlds = [tick_world(2), tick_world(2)];
        worlds[1].w.kernel.eager_wakes = true;
        for t in worlds.iter_mut() {
            let running = t.w.spawn(t.guests[0].space, 50, 0);
            for waiter in [t.v_timer, t.w.root] {
                t.w.ipc(waiter, PV_NIL_THREAD, PV_ANY_THREAD, pv_timeouts(NEVER, NEVER), 0, &[]);
            }
            let start = t.w.machine.now;
            for (guest, priority) in t.guests.clone().into_iter().zip(priorities) {
                assert_eq!(t.start(guest, 250, start), PV_OK);
                t.w.kernel.threads[guest.ucos].priority = priority;
                t.w.ipc(guest.ucos, PV_NIL_THREAD, PV_ANY_THREAD, pv_timeouts(NEVER, NEVER), 0, &[]);
            }
            t.w.kernel.current = running;
            t.w.kernel.ready.mark_changed();
            runtime_exit(&mut t.w);
            assert_eq!(t.w.kernel.current, running);
            // The timer's interrupts until the guests' first ticks (the
            // kernel's own may come first).
            let ucos = [t.guests[0].ucos, t.guests[1].ucos];
            for _ in 0..8 {
                if ucos.iter().any(|&thread| t.w.kernel.threads[thread].state == State::Ready) {
                    break;
                }
                let due = t.w.kernel.timer_deadline();
                timer_at(&mut t.w, due);
            }
            for guest in t.guests.clone() {
                assert_eq!(t.w.kernel.threads[guest.ucos].state, State::Ready, "both ticks delivered");
            }
            let higher = if priorities[0] > priorities[1] { t.guests[0].ucos } else { t.guests[1].ucos };
            assert_eq!(t.w.kernel.current, higher, "the higher of the two runs");
        }
        assert_eq!(worlds[0].w.full_snapshot(), worlds[1].w.full_snapshot(), "priorities {priorities:?}");
    }
}

// ----- the lazy switch against the general path, through the runtime's exits ---------

/// The runtime's exit from an interrupt that stopped `interrupted` exactly
/// as `handle_irq` takes it: when the kernel says the current thread runs
/// as it is, straight to it — the interrupted thread, or the one the
/// interrupt woke to run — with nothing normalised (unlike [`irq_exit`],
/// which asks the scheduler again and so puts an unqueued thread back in
/// its queue before the next entry sees it); else [`runtime_exit`]. True
/// if the interrupt switched lazily to the thread it woke.
fn lean_irq_exit(w: &mut World, interrupted: usize) -> bool {
    if interrupted != 0 && w.kernel.interrupted_thread_runs_on() {
        let next = w.kernel.current();
        assert!(w.kernel.is_runnable(next), "the lean IRQ exit runs thread {next}, which cannot run");
        if next != interrupted {
            assert!(!w.kernel.ready.contains(next), "a thread woken to run is in no queue");
            assert!(w.kernel.ready.contains(interrupted), "the interrupted thread waits in its queue");
            return true;
        }
        return false;
    }
    runtime_exit(w);
    false
}

/// The timer interrupt at `now` through [`lean_irq_exit`].
fn lean_timer_at(w: &mut World, now: u64) -> bool {
    let interrupted = take_timer_interrupt(w, now);
    lean_irq_exit(w, interrupted)
}

/// Device interrupt `irq` through [`lean_irq_exit`] (in the idle window
/// when nobody is current).
fn lean_interrupt(w: &mut World, irq: u32) -> bool {
    let interrupted = w.kernel.current();
    w.kernel.interrupt(irq, &mut w.machine);
    lean_irq_exit(w, interrupted)
}

/// The scheduler's invariant in its relaxed form (`fastpath.rs`): the
/// running thread can run; every other runnable thread is queued and only
/// runnable threads are; the running thread heads its priority's queue or
/// is in no queue and stands for that head (never under a donation); and,
/// with no donation in force, nothing queued is above it.
fn assert_relaxed_invariant(w: &World, step: u32) {
    let k = &w.kernel;
    let current = k.current;
    assert!(current == 0 || k.is_runnable(current), "step {step}: thread {current} runs but cannot");
    for index in 1..MAX_THREADS {
        let queued = k.ready.contains(index);
        assert!(!queued || k.is_runnable(index), "step {step}: thread {index} is queued but cannot run");
        assert!(
            queued || index == current || !k.is_runnable(index),
            "step {step}: thread {index} can run but is neither queued nor running"
        );
    }
    if current == 0 {
        assert_eq!(k.ready.highest(), None, "step {step}: idle beside a ready thread");
        return;
    }
    let priority = k.threads[current].priority;
    if !k.ready.contains(current) {
        assert!(k.donation.is_none(), "step {step}: an unqueued thread runs under a donation");
    }
    if k.donation.is_none() {
        assert!(
            !k.ready.contains(current) || k.ready.head(priority) == Some(current),
            "step {step}: thread {current} runs queued behind another"
        );
        assert!(
            k.ready.highest_priority().is_none_or(|highest| highest <= priority),
            "step {step}: thread {current} runs below a ready thread"
        );
    }
}

/// The cast of [`lazy_switch_worlds`] (thread indices, the same in both).
#[derive(Clone, Debug, PartialEq, Eq)]
struct LazyCast {
    root: usize,
    v_timer: usize,
    manager: usize,
    ucos: [usize; 2],
    /// Every thread but the root, the manager and v_timer: the handlers
    /// (with their lines), then the spinners.
    others: Vec<usize>,
    /// Interrupt line to handler (index into `others`); 44 is the
    /// manager's, 45 v_timer's.
    lines: Vec<(u32, usize)>,
    spaces: [usize; 2],
}

impl LazyCast {
    fn everyone(&self) -> Vec<usize> {
        let mut list = vec![self.root, self.v_timer, self.manager, self.ucos[0], self.ucos[1]];
        list.extend(&self.others);
        list
    }
}

/// Two identical systems for the lazy switch's comparison: direct guests
/// (bound µC/OS-II threads idling in open receives, woken by their kernel
/// ticks), device servers above, beside and below the spinners that run
/// (some of them with the manager as exception handler), the manager (a
/// root-space thread that handles a line and halts, resumes, moves,
/// deletes and re-creates threads) and v_timer above everyone, handling a
/// line too. The second world queues every wake-up (`eager_wakes`).
fn lazy_switch_worlds() -> ([TickWorld; 2], LazyCast) {
    let mut worlds = [tick_world(2), tick_world(2)];
    worlds[1].w.kernel.eager_wakes = true;
    let mut casts = Vec::new();
    for t in worlds.iter_mut() {
        let manager = t.w.spawn(t.w.root_space, 150, 0);
        let m = t.w.id(manager);
        let spaces = [t.w.new_space(), t.w.new_space()];
        for space in spaces.iter().copied().chain(t.guests.iter().map(|g| g.space)) {
            t.w.configure(space, ALL_SPACES, PV_PRIORITY_MAX, 0);
        }
        let (a, b) = (spaces[0], spaces[1]);
        let others = vec![
            t.w.spawn(a, 110, m),
            t.w.spawn(b, 60, 0),
            t.w.spawn(a, 70, m),
            t.w.spawn(b, 50, m),
            t.w.spawn(a, 60, m),
            t.w.spawn(a, 60, 0),
            t.w.spawn(b, 50, m),
            t.w.spawn(b, 70, 0),
            t.w.spawn(a, 61, 0),
        ];
        let lines = vec![(40, 0), (41, 1), (42, 2), (43, 3)];
        for &(irq, handler) in &lines {
            let id = t.w.id(others[handler]);
            assert_eq!(t.w.call(t.w.root, PV_SYS_INTERRUPT_CONTROL, &[irq, id])[0], PV_OK);
        }
        let v_timer = t.v_timer;
        for (irq, handler) in [(44, manager), (45, v_timer)] {
            let id = t.w.id(handler);
            assert_eq!(t.w.call(t.w.root, PV_SYS_INTERRUPT_CONTROL, &[irq, id])[0], PV_OK);
        }
        let start = t.w.machine.now;
        let guests = t.guests.clone();
        assert_eq!(t.start(guests[0], 250, start), PV_OK);
        assert_eq!(t.start(guests[1], 150, start - 77), PV_OK);
        let mut waiters = vec![v_timer, manager, t.w.root, guests[0].ucos, guests[1].ucos];
        waiters.extend(&others[..4]);
        for waiter in waiters {
            t.w.ipc(waiter, PV_NIL_THREAD, PV_ANY_THREAD, pv_timeouts(NEVER, NEVER), 0, &[]);
        }
        timer_at(&mut t.w, start + 1);
        let ucos = [guests[0].ucos, guests[1].ucos];
        // The guests above the spinners: their ticks preempt them.
        for (thread, priority) in ucos.into_iter().zip([90, 65]) {
            let id = t.w.id(thread);
            assert_eq!(t.w.call(t.w.root, PV_SYS_SET_PRIORITY, &[id, priority])[0], PV_OK);
        }
        runtime_exit(&mut t.w);
        casts.push(LazyCast { root: t.w.root, v_timer, manager, ucos, others, lines, spaces });
    }
    assert_eq!(casts[0], casts[1]);
    assert_eq!(worlds[0].w.full_snapshot(), worlds[1].w.full_snapshot());
    (worlds, casts.remove(0))
}

/// What the lazy switch comparison saw, for its closing checks.
#[derive(Debug, Default)]
struct LazyCounts {
    /// Lazy switches by a device interrupt and by a guest tick.
    device: u32,
    timer: u32,
    /// Lazy switches that found the interrupted thread out of the queues
    /// (a fastpath's partner, or an earlier lazy switch's thread).
    from_unqueued: u32,
    /// What the next entry after a lazy switch was: a fastpath it took,
    /// a general system call, an interrupt, a fault.
    then_fastpath: u32,
    then_general: u32,
    then_interrupt: u32,
    then_fault: u32,
    /// Manager's operations that succeeded, and faults taken.
    managed: u32,
    faults: u32,
    /// Interrupts from a running thread that woke several threads and
    /// preempted it, and interrupts that woke a thread and preempted a
    /// donation.
    several_woken: u32,
    under_donation: u32,
    /// IPC and notify-and-wait fastpaths taken (their partners run unqueued).
    fastpaths: u32,
}

/// The lazy switch ends where the general path does, whatever comes before
/// and after it: two identical systems ([`lazy_switch_worlds`]) run the
/// same random steps through exactly the runtime's paths — the first with
/// every fastpath and the lean IRQ exit that runs a lazily woken thread
/// as it is ([`lean_irq_exit`], nothing normalised for the next entry), the
/// second through the general path only with every wake-up queued. Steps:
/// time passing to the timer (kernel ticks, IPC timeouts, guest ticks that
/// wake idle guests), device interrupts to handlers above, beside and
/// below the running thread (waiting, halted, busy), yields, donations,
/// idle waits with and without timeouts, calls and sends (the IPC
/// fastpath's chances), notifications and notify-and-wait steps with and
/// without acknowledgements, faults (to the manager or halting), guests
/// taking or masking their virtual interrupts, and the manager halting,
/// resuming, moving, deleting and re-creating threads. After every step the
/// two must be in the same state (every TCB with its timeslice and
/// `left_cpu_in`, the queues, the donation, the tick and timer state, the
/// lines, the memory), the relaxed invariant must hold in both, and the
/// timer must follow the scheduler.
fn lazy_switch_comparison(seed: u32, steps: u32) -> LazyCounts {
    let (mut worlds, mut cast) = lazy_switch_worlds();
    let mut next = xorshift(seed);
    let mut counts = LazyCounts::default();
    // The last step ended with a lazy switch (its thread still running).
    let mut after_lazy = false;
    for step in 0..steps {
        let (choice, a, b, c) = (next(), next(), next(), next());
        let current = worlds[0].w.kernel.current();
        assert_eq!(current, worlds[1].w.kernel.current(), "step {step}");
        let everyone = cast.everyone();
        let pick = |w: &World, value: u32| -> u32 {
            let waiting: Vec<_> = everyone
                .iter()
                .copied()
                .filter(|&t| t != current && matches!(w.kernel.threads[t].state, State::Receiving { .. }))
                .collect();
            match value % 10 {
                0..5 if !waiting.is_empty() => w.id(waiting[(value >> 4) as usize % waiting.len()]),
                5 => w.id(everyone[(value >> 4) as usize % everyone.len()]) ^ (1 << PV_THREAD_VERSION_SHIFT),
                6 if current != 0 => w.id(current),
                _ => w.id(everyone[(value >> 4) as usize % everyone.len()]),
            }
        };
        // A device's line: mostly one whose handler waits for it.
        let line = |w: &World, value: u32| -> u32 {
            let handler = |irq: u32| match irq {
                44 => cast.manager,
                45 => cast.v_timer,
                _ => cast.lines.iter().find(|&&(line, _)| line == irq).map_or(0, |&(_, h)| cast.others[h]),
            };
            let waiting: Vec<u32> = (40..46)
                .filter(|&irq| {
                    let h = handler(irq);
                    h != 0 && w.kernel.accepts(h, Source::Irq(irq)) && !w.kernel.irqs[irq as usize].masked
                })
                .collect();
            match value % 3 {
                0 | 1 if !waiting.is_empty() => waiting[(value >> 4) as usize % waiting.len()],
                _ => 40 + (value >> 4) % 6,
            }
        };
        let lazy_before = after_lazy;
        after_lazy = false;
        let mut calls: Vec<[u32; 13]> = Vec::new();
        let mut interrupt = None;
        let mut fault = false;
        let mut time = None;
        if current == 0 {
            match choice % 4 {
                0 | 1 => time = Some(u64::from(a) % (4 * TICK_PERIOD)),
                2 => interrupt = Some(line(&worlds[0].w, a)),
                _ => {
                    // Idle: the root (as it would, woken) ends a blocked
                    // IPC or resumes a halted thread.
                    let target = everyone[b as usize % everyone.len()];
                    let control = if worlds[0].w.kernel.threads[target].halted && c % 2 == 0 {
                        PV_EXREG_RESUME
                    } else {
                        PV_EXREG_ABORT_IPC
                    };
                    for t in worlds.iter_mut() {
                        t.w.kernel.exchange_registers(target, control, 0, 0, 0);
                        runtime_exit(&mut t.w);
                    }
                }
            }
        } else {
            let w = &worlds[0].w;
            let handler_line = cast.lines.iter().find(|&&(_, h)| cast.others[h] == current).map(|&(irq, _)| irq).or(
                if current == cast.manager {
                    Some(44)
                } else if current == cast.v_timer {
                    Some(45)
                } else {
                    None
                },
            );
            let guest = cast.ucos.iter().position(|&t| t == current);
            let mut r = [0u32; 13];
            let k = &w.kernel;
            let menu = if lazy_before && choice % 6 == 0 && (cast.others.contains(&current) || guest.is_some()) {
                // The thread an interrupt switched to faults at once.
                18
            } else if k.donation.is_some() && choice % 3 == 0 {
                // A donation in force: an interrupt may wake a thread above it.
                4
            } else if !k.ready.contains(current) && choice % 3 == 0 {
                // A thread a fastpath or an interrupt switched to runs out of
                // the queues: the timer's next interrupt (a guest's tick,
                // perhaps with no kernel work) finds it so.
                time = w.machine.timer_fires_at.map(|at| at.saturating_sub(w.machine.now));
                1000
            } else if choice % 5 == 0
                && everyone
                    .iter()
                    .any(|&t| t != current && k.threads[t].space == k.threads[current].space && k.ready.contains(t))
            {
                // A donation to a ready thread of its own space.
                let space = k.threads[current].space;
                let mates: Vec<_> = everyone
                    .iter()
                    .copied()
                    .filter(|&t| t != current && k.threads[t].space == space && k.ready.contains(t))
                    .collect();
                r[0] = w.id(mates[b as usize % mates.len()]);
                r[12] = PV_SYS_THREAD_SWITCH;
                1000
            } else if current == cast.manager && choice % 3 != 0 {
                100
            } else if handler_line.is_some() && choice % 3 != 0 {
                // A handler mostly acknowledges and waits again.
                101
            } else if guest.is_some() && choice % 4 != 0 {
                // A guest mostly idles (its kernel tick wakes it) or takes
                // its virtual interrupt.
                [9, 10, 19][(choice >> 8) as usize % 3]
            } else {
                choice % 24
            };
            match menu {
                0..4 => time = Some(u64::from(a) % (3 * TICK_PERIOD)),
                4..7 => interrupt = Some(line(w, a)),
                7 | 8 => {
                    // A yield or a donation (mostly to a thread of its own space).
                    let space = w.kernel.threads[current].space;
                    let mates: Vec<_> = everyone
                        .iter()
                        .copied()
                        .filter(|&t| t != current && w.kernel.threads[t].space == space)
                        .collect();
                    r[0] = match (b % 3, mates.len()) {
                        (0, _) => PV_NIL_THREAD,
                        (1, n) if n > 0 => w.id(mates[c as usize % n]),
                        _ => pick(w, c),
                    };
                    r[12] = PV_SYS_THREAD_SWITCH;
                }
                9..12 => {
                    // An idle wait, perhaps with a timeout.
                    let timeout = [NEVER, NEVER, 1, 3, PV_TIMEOUT_ZERO][b as usize % 5];
                    r[..4].copy_from_slice(&[PV_NIL_THREAD, PV_ANY_THREAD, pv_timeouts(0, timeout), 0]);
                    r[12] = PV_SYS_IPC;
                }
                12..15 | 21..24 => {
                    // A call, a send, a ReplyWait.
                    let to = pick(w, a);
                    let from = [to, to, PV_ANY_THREAD, PV_NIL_THREAD][b as usize % 4];
                    let timeouts =
                        [NEVER, NEVER, pv_timeouts(PV_TIMEOUT_ZERO, 2), pv_timeouts(3, 5), pv_timeouts(NEVER, 4)];
                    r[..4].copy_from_slice(&[to, from, timeouts[c as usize % 5], pv_tag(1, b % 9)]);
                    r[12] = PV_SYS_IPC;
                }
                15 => {
                    r[..2].copy_from_slice(&[pick(w, a), 1 << (b % 32)]);
                    r[12] = PV_SYS_NOTIFY;
                }
                16 => {
                    // A notify-and-wait step.
                    let bits = if b % 5 == 0 { 0 } else { 1 << (b % 32) };
                    let acknowledge = match (c % 4, handler_line) {
                        (0 | 1, Some(irq)) => pv_irq_thread(irq),
                        (2, _) => pv_irq_thread(40 + c % 6),
                        _ => PV_NIL_THREAD,
                    };
                    r[..4].copy_from_slice(&[pick(w, a), bits, PV_ANY_THREAD, acknowledge]);
                    r[12] = PV_SYS_NOTIFY;
                }
                17 => r[12] = PV_SYS_THREAD_SELF,
                // A fault (the manager's, v_timer's and the root's would
                // halt the cast's keepers).
                18 if cast.others.contains(&current) || guest.is_some() => fault = true,
                19 | 20 if guest.is_some() => {
                    // A guest takes its virtual interrupt or masks them.
                    let which = guest.unwrap_or(0);
                    mask_or_take(&mut worlds, which, b % 3 == 0);
                }
                100 => {
                    // The manager: one of its operations, then its wait.
                    let targets: Vec<_> = everyone
                        .iter()
                        .copied()
                        .filter(|&t| t != cast.root && t != cast.manager && t != cast.v_timer)
                        .collect();
                    let target = targets[b as usize % targets.len()];
                    let ex = |control: u32| {
                        let mut r = [0u32; 13];
                        r[..2].copy_from_slice(&[w.id(target), control]);
                        r[12] = PV_SYS_EXCHANGE_REGISTERS;
                        r
                    };
                    let halted: Vec<_> = targets.iter().copied().filter(|&t| w.kernel.threads[t].halted).collect();
                    let faulted: Vec<_> =
                        targets.iter().copied().filter(|&t| w.kernel.threads[t].fault.is_some()).collect();
                    match a % 10 {
                        0 => calls.push(ex(PV_EXREG_HALT)),
                        1 => calls.push(ex(PV_EXREG_HALT | PV_EXREG_ABORT_IPC)),
                        2..5 if !halted.is_empty() => {
                            let mut r = ex(PV_EXREG_RESUME);
                            r[0] = w.id(halted[c as usize % halted.len()]);
                            calls.push(r);
                        }
                        5 if !faulted.is_empty() => {
                            // A faulted thread's exception IPC ends: it stays
                            // halted until resumed.
                            let mut r = ex(PV_EXREG_ABORT_IPC);
                            r[0] = w.id(faulted[c as usize % faulted.len()]);
                            calls.push(r);
                        }
                        4 | 5 => calls.push(ex(PV_EXREG_ABORT_IPC)),
                        7 => {
                            // The guests stay above the spinners (their ticks
                            // preempt them), in either order.
                            let priority = if cast.ucos.contains(&target) {
                                [65, 90, 120][c as usize % 3]
                            } else {
                                [50, 60, 61, 70, 110, 160][c as usize % 6]
                            };
                            let mut r = [0u32; 13];
                            r[..2].copy_from_slice(&[w.id(target), priority]);
                            r[12] = PV_SYS_SET_PRIORITY;
                            calls.push(r);
                        }
                        8 => {
                            // Deletes a handler or spinner and creates one in
                            // its place (the calls that follow are made below).
                            let victim = cast.others[c as usize % cast.others.len()];
                            let mut r = [0u32; 13];
                            r[..2].copy_from_slice(&[PV_THREAD_DELETE, w.id(victim)]);
                            r[12] = PV_SYS_THREAD_CONTROL;
                            calls.push(r);
                        }
                        _ => {}
                    }
                    // Its wait: acknowledge its line and wait for anyone.
                    calls.push(ipc_registers(pv_irq_thread(44), PV_ANY_THREAD, NEVER));
                }
                101 => {
                    let irq = handler_line.unwrap_or(40);
                    match b % 4 {
                        0 | 1 => r[..4].copy_from_slice(&[pv_irq_thread(irq), PV_ANY_THREAD, NEVER, 0]),
                        2 => r[..4].copy_from_slice(&[pv_irq_thread(irq), pv_irq_thread(irq), NEVER, 0]),
                        _ => {
                            let bits = 1 << (c % 32);
                            r[..4].copy_from_slice(&[pick(w, a), bits, PV_ANY_THREAD, pv_irq_thread(irq)]);
                            r[12] = PV_SYS_NOTIFY;
                        }
                    }
                    if r[12] == 0 {
                        r[12] = PV_SYS_IPC;
                    }
                }
                1000 => {}
                _ => r[12] = PV_SYS_THREAD_SELF,
            }
            if r[12] != 0 {
                calls.insert(0, r);
            }
        }
        // What an interrupt found: a donation in force, how many threads it
        // woke (in the general path's world), whether it switched lazily.
        let woken_before: Vec<_> = everyone.iter().map(|&t| worlds[1].w.kernel.is_runnable(t)).collect();
        let donation = worlds[1].w.kernel.donation.is_some();
        let mut lazy = false;
        let mut interrupted = false;
        if let Some(counts_of_time) = time {
            // Now and then the interrupt comes late (interrupts masked a
            // while): several guest ticks are due at once.
            let late = (c >> 20) % 3 == 0;
            for t in worlds.iter_mut() {
                let until = t.w.machine.now + counts_of_time;
                match t.w.machine.timer_fires_at.filter(|&at| at <= until) {
                    Some(at) => {
                        let unqueued = current != 0 && !t.w.kernel.ready.contains(current);
                        let switched = lean_timer_at(&mut t.w, if late { until } else { at });
                        interrupted = true;
                        if t.w.kernel.eager_wakes {
                            assert!(!switched, "step {step}: the general path's world switched lazily");
                        } else if switched {
                            lazy = true;
                            counts.timer += 1;
                            counts.from_unqueued += u32::from(unqueued);
                        }
                    }
                    None => t.w.machine.now = until,
                }
            }
        }
        if let Some(irq) = interrupt {
            interrupted = true;
            for t in worlds.iter_mut() {
                let unqueued = current != 0 && !t.w.kernel.ready.contains(current);
                let switched = lean_interrupt(&mut t.w, irq);
                if t.w.kernel.eager_wakes {
                    assert!(!switched, "step {step}: the general path's world switched lazily");
                } else if switched {
                    lazy = true;
                    counts.device += 1;
                    counts.from_unqueued += u32::from(unqueued);
                }
            }
        }
        if interrupted {
            let k = &worlds[1].w.kernel;
            let woken = everyone.iter().zip(&woken_before).filter(|&(&t, &before)| !before && k.is_runnable(t)).count();
            let above = current != 0 && k.current() != current;
            counts.several_woken += u32::from(woken >= 2 && above);
            counts.under_donation += u32::from(donation && woken >= 1 && above);
            counts.then_interrupt += u32::from(lazy_before);
            after_lazy = lazy;
        }
        if fault {
            counts.faults += 1;
            counts.then_fault += u32::from(lazy_before);
            for t in worlds.iter_mut() {
                t.w.kernel.user_fault(PV_FAULT_DATA_ABORT, 0xDEAD_0000, 0x805, &mut t.w.machine);
                runtime_exit(&mut t.w);
            }
        }
        let mut first = true;
        for r in calls {
            let caller = worlds[0].w.kernel.current();
            if caller == 0 || (!first && caller != current) {
                break;
            }
            first = false;
            let path = runtime_system_call(&mut worlds[0].w, r);
            runtime_general_call(&mut worlds[1].w, r);
            counts.fastpaths += u32::from(path == FastPath::Switched);
            if lazy_before {
                if path == FastPath::Declined {
                    counts.then_general += 1;
                } else {
                    counts.then_fastpath += 1;
                }
            }
            let result = worlds[1].w.kernel.threads[caller].context.r;
            if caller == cast.manager && r[12] != PV_SYS_IPC && result[0] == PV_OK {
                counts.managed += 1;
            }
            assert_eq!(worlds[0].w.full_snapshot(), worlds[1].w.full_snapshot(), "step {step}: call {r:x?}");
            if r[12] == PV_SYS_THREAD_CONTROL && r[0] == PV_THREAD_DELETE && result[0] == PV_OK {
                // The deleted thread's place: a new thread of the same
                // space and priority, started, handling its lines again.
                let victim = cast.others.iter().position(|&t| worlds[1].w.kernel.threads[t].state == State::Free);
                let Some(victim) = victim else { continue };
                let old = cast.others[victim];
                let (space, priority) = if old % 2 == 0 { (cast.spaces[0], 60) } else { (cast.spaces[1], 70) };
                let handler = if b % 2 == 0 { worlds[0].w.id(cast.manager) } else { PV_NIL_THREAD };
                let mut create = [PV_THREAD_CREATE, space as u32, priority, handler, 0, 0, 0, 0, 0, 0, 0, 0, 0];
                create[12] = PV_SYS_THREAD_CONTROL;
                if worlds[0].w.kernel.current() != caller {
                    // The deletion woke a thread above the manager.
                    continue;
                }
                for t in worlds.iter_mut() {
                    assert_eq!(runtime_system_call(&mut t.w, create), FastPath::Declined);
                }
                let [result, id, ..] = worlds[1].w.kernel.threads[caller].context.r;
                assert_eq!(result, PV_OK, "step {step}: the re-creation");
                let new = worlds[1].w.kernel.lookup(id).unwrap();
                cast.others[victim] = new;
                let mut start = [id, PV_EXREG_START, 0x1000, 0x0010_0000, 0, 0, 0, 0, 0, 0, 0, 0, 0];
                start[12] = PV_SYS_EXCHANGE_REGISTERS;
                for t in worlds.iter_mut() {
                    if t.w.kernel.current() == caller {
                        runtime_system_call(&mut t.w, start);
                    }
                }
                for &(irq, h) in cast.lines.clone().iter() {
                    if h == victim {
                        let mut control = [irq, id, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0];
                        control[12] = PV_SYS_INTERRUPT_CONTROL;
                        for t in worlds.iter_mut() {
                            if t.w.kernel.current() == caller {
                                runtime_system_call(&mut t.w, control);
                            }
                        }
                    }
                }
                assert_eq!(worlds[0].w.full_snapshot(), worlds[1].w.full_snapshot(), "step {step}: re-created");
            }
        }
        assert_eq!(worlds[0].w.full_snapshot(), worlds[1].w.full_snapshot(), "step {step}");
        assert!(worlds[0].w.machine.memory == worlds[1].w.machine.memory, "step {step}: memory");
        for t in &worlds {
            assert_relaxed_invariant(&t.w, step);
            assert_timer_follows_the_scheduler(&t.w, step);
        }
    }
    counts
}

#[test]
fn the_lazy_switch_ends_where_the_general_path_does_through_the_runtime_s_exits() {
    let mut total = LazyCounts::default();
    for seed in [0x1A2B_3C4D, 0x0BAD_F00D, 0x7E57_CA5E, 0x5EED_1234] {
        let counts = lazy_switch_comparison(seed, 4_000);
        println!("seed {seed:#x}: {counts:?}");
        total.device += counts.device;
        total.timer += counts.timer;
        total.from_unqueued += counts.from_unqueued;
        total.then_fastpath += counts.then_fastpath;
        total.then_general += counts.then_general;
        total.then_interrupt += counts.then_interrupt;
        total.then_fault += counts.then_fault;
        total.managed += counts.managed;
        total.faults += counts.faults;
        total.several_woken += counts.several_woken;
        total.under_donation += counts.under_donation;
        total.fastpaths += counts.fastpaths;
    }
    println!("total: {total:?}");
    // Every kind of lazy switch and of entry after one, many times.
    let LazyCounts {
        device,
        timer,
        from_unqueued,
        then_fastpath,
        then_general,
        then_interrupt,
        then_fault,
        managed,
        faults,
        several_woken,
        under_donation,
        fastpaths,
    } = total;
    for (what, count, least) in [
        ("lazy switches by a device interrupt", device, 150),
        ("lazy switches by a guest tick", timer, 40),
        ("lazy switches from an unqueued thread", from_unqueued, 5),
        ("fastpaths after a lazy switch", then_fastpath, 4),
        ("general calls after a lazy switch", then_general, 120),
        ("interrupts after a lazy switch", then_interrupt, 50),
        ("faults after a lazy switch", then_fault, 10),
        ("manager's operations", managed, 200),
        ("faults", faults, 80),
        ("interrupts that woke several threads above the running one", several_woken, 20),
        ("interrupts that woke a thread above a donation", under_donation, 40),
        ("fastpath switches", fastpaths, 120),
    ] {
        assert!(count >= least, "{what}: {count} (at least {least} expected)");
    }
}

/// The lazy switch's boundaries through the runtime's exits (nothing
/// normalised), beside a running kernel tick — two spinners share
/// priority 50, so the tick numbers every period and `left_cpu_in` tells
/// a thread that left the CPU in this period from one that never ran:
/// 0. one late timer interrupt delivers two guest ticks, the lower guest's
///    first: only the last wake-up may switch (the first guest never ran);
/// 1. a guest tick at the priority of a thread that an IPC fastpath left
///    running out of the queues queues the guest behind it;
/// 2. a handler above a donation in force ends the donation (general path);
/// 3. a handler halted while it waits for its line is not run;
/// 4. a handler above a spinner that an IPC fastpath left out of the
///    queues (the interrupt queues it first: no lazy switch), then a guest
///    tick above such a spinner, and the higher guest's tick above the
///    lower guest the first switch left running out of the queues: two
///    lazy switches in a row.
///
/// After each, the next entries — kernel ticks, the woken threads' waits,
/// yields — end where the general path's do.
#[test]
fn the_lazy_switch_s_boundaries_beside_a_running_tick_end_where_the_general_path_does() {
    for case in 0..5 {
        let mut worlds = [tick_world(2), tick_world(2)];
        worlds[1].w.kernel.eager_wakes = true;
        let mut cast = (0, [0; 2], [0; 2]);
        for t in worlds.iter_mut() {
            let space = t.w.new_space();
            for guest in t.guests.clone() {
                t.w.configure(guest.space, ALL_SPACES, PV_PRIORITY_MAX, 0);
            }
            t.w.configure(space, ALL_SPACES, PV_PRIORITY_MAX, 0);
            let spinners = [t.w.spawn(space, 50, 0), t.w.spawn(space, 50, 0)];
            let handler = t.w.spawn(space, 80, 0);
            let id = t.w.id(handler);
            assert_eq!(t.w.call(t.w.root, PV_SYS_INTERRUPT_CONTROL, &[40, id])[0], PV_OK);
            let ucos = [t.guests[0].ucos, t.guests[1].ucos];
            for (thread, priority) in ucos.into_iter().zip([90, if case == 1 { 50 } else { 70 }]) {
                let id = t.w.id(thread);
                assert_eq!(t.w.call(t.w.root, PV_SYS_SET_PRIORITY, &[id, priority])[0], PV_OK);
            }
            let start = t.w.machine.now;
            let guests = t.guests.clone();
            assert_eq!(t.start(guests[0], 250, start), PV_OK);
            assert_eq!(t.start(guests[1], 250, start - 77), PV_OK);
            for waiter in [t.v_timer, t.w.root, ucos[0], ucos[1], handler] {
                t.w.ipc(waiter, PV_NIL_THREAD, PV_ANY_THREAD, pv_timeouts(NEVER, NEVER), 0, &[]);
            }
            if case == 3 {
                let id = t.w.id(handler);
                assert_eq!(t.w.call(t.w.root, PV_SYS_EXCHANGE_REGISTERS, &[id, PV_EXREG_HALT])[0], PV_OK);
            }
            assert_eq!(t.w.kernel.current(), spinners[0]);
            assert!(!t.w.kernel.tick_stopped, "two spinners share the CPU: the tick runs");
            cast = (handler, spinners, ucos);
        }
        let (handler, spinners, ucos) = cast;
        let start = worlds[0].w.machine.now;
        let compare = |worlds: &[TickWorld; 2], what: &str| {
            assert_eq!(worlds[0].w.full_snapshot(), worlds[1].w.full_snapshot(), "case {case}: {what}");
            for t in worlds {
                assert_relaxed_invariant(&t.w, 0);
                assert_timer_follows_the_scheduler(&t.w, 0);
            }
        };
        // The running thread's system call in both worlds (the first with
        // its fastpaths).
        let call = |worlds: &mut [TickWorld; 2], registers: [u32; 13]| -> FastPath {
            let path = runtime_system_call(&mut worlds[0].w, registers);
            runtime_general_call(&mut worlds[1].w, registers);
            path
        };
        // The kernel's ticks (and the guests' tick 0) until just before the
        // guests' tick 1; a guest its tick woke waits again at once.
        loop {
            let current = worlds[0].w.kernel.current();
            if ucos.contains(&current) {
                call(&mut worlds, receive_any_registers());
            } else {
                let at = worlds[0].w.machine.timer_fires_at.expect("armed");
                if at >= start + 3_900 {
                    break;
                }
                for t in worlds.iter_mut() {
                    lean_timer_at(&mut t.w, at);
                }
            }
            compare(&worlds, "the ticks before");
        }
        assert!(spinners.contains(&worlds[0].w.kernel.current()));
        let lazy = match case {
            0 => {
                // Late: both guests' tick 1 (the lower guest's due first) and
                // the kernel's tick.
                let switched = lean_timer_at(&mut worlds[0].w, start + 4_010);
                lean_timer_at(&mut worlds[1].w, start + 4_010);
                assert_eq!(worlds[0].w.kernel.current(), ucos[0], "the higher guest runs");
                assert!(worlds[0].w.kernel.ready.contains(ucos[1]), "the first guest woken is queued");
                switched
            }
            2 => {
                // The running spinner donates to its peer; the handler's line
                // interrupts the donation.
                let to = worlds[0].w.id(spinners[1]);
                let donor = worlds[0].w.kernel.current();
                let to = if donor == spinners[1] { worlds[0].w.id(spinners[0]) } else { to };
                call(&mut worlds, yield_registers(to));
                assert!(worlds[0].w.kernel.donation.is_some());
                compare(&worlds, "the donation");
                let switched = lean_interrupt(&mut worlds[0].w, 40);
                lean_interrupt(&mut worlds[1].w, 40);
                assert_eq!(worlds[0].w.kernel.current(), handler);
                switched
            }
            4 => {
                // The running spinner calls its peer waiting in a ReplyWait:
                // the fastpath runs the peer out of the queues.
                let (caller, peer) = if worlds[0].w.kernel.current() == spinners[0] {
                    (spinners[0], spinners[1])
                } else {
                    (spinners[1], spinners[0])
                };
                let id = worlds[0].w.id(peer);
                // The peer first waits for anyone (it is the head's peer: it
                // runs after a yield).
                call(&mut worlds, yield_registers(PV_NIL_THREAD));
                assert_eq!(worlds[0].w.kernel.current(), peer);
                call(&mut worlds, receive_any_registers());
                compare(&worlds, "the peer waits");
                let caller_id = worlds[0].w.id(worlds[0].w.kernel.current());
                assert_ne!(caller_id, id);
                assert_eq!(call(&mut worlds, ipc_registers(id, id, NEVER)), FastPath::Switched);
                assert!(!worlds[0].w.kernel.ready.contains(peer), "the fastpath's partner runs unqueued");
                compare(&worlds, "the fastpath");
                let switched = lean_interrupt(&mut worlds[0].w, 40);
                lean_interrupt(&mut worlds[1].w, 40);
                assert!(!switched, "a device interrupt puts an unqueued thread back first: it queues");
                compare(&worlds, "the handler above the fastpath's partner");
                // The handler waits again: the peer runs, out of the queues
                // again only after another fastpath; take the guest tick
                // from the partner the fastpath left running instead.
                call(&mut worlds, ipc_registers(pv_irq_thread(40), PV_ANY_THREAD, NEVER));
                assert_eq!(worlds[0].w.kernel.current(), peer);
                // The peer's reply (a ReplyWait) runs the caller, unqueued.
                let caller_id = worlds[0].w.id(caller);
                let path = call(&mut worlds, ipc_registers(caller_id, PV_ANY_THREAD, NEVER));
                assert_eq!(path, FastPath::Switched);
                assert_eq!(worlds[0].w.kernel.current(), caller);
                assert!(!worlds[0].w.kernel.ready.contains(caller));
                compare(&worlds, "the second fastpath");
                // The guests' tick 1, on time (the lower guest's), with no
                // kernel work due then.
                let at = start + 3_923;
                assert!(worlds[0].w.kernel.kernel_deadline > at, "the caller alone at 50: the tick stopped");
                let switched = lean_timer_at(&mut worlds[0].w, at);
                lean_timer_at(&mut worlds[1].w, at);
                assert_eq!(worlds[0].w.kernel.current(), ucos[1]);
                assert!(switched, "a guest tick above an unqueued thread switches lazily");
                compare(&worlds, "the lower guest's tick");
                // The higher guest's tick, while the lower one runs as the
                // lazy switch left it (out of the queues).
                assert!(worlds[0].w.kernel.kernel_deadline > start + 4_000);
                let switched = lean_timer_at(&mut worlds[0].w, start + 4_000);
                lean_timer_at(&mut worlds[1].w, start + 4_000);
                assert_eq!(worlds[0].w.kernel.current(), ucos[0]);
                switched
            }
            1 => {
                // A spinner calls its peer waiting for anyone: the fastpath
                // runs the peer out of the queues, alone at 50. The lower
                // guest's tick (no kernel work due then), at 50 too, queues
                // the guest behind it.
                let peer = if worlds[0].w.kernel.current() == spinners[0] { spinners[1] } else { spinners[0] };
                call(&mut worlds, yield_registers(PV_NIL_THREAD));
                assert_eq!(worlds[0].w.kernel.current(), peer);
                call(&mut worlds, receive_any_registers());
                let id = worlds[0].w.id(peer);
                assert_eq!(call(&mut worlds, ipc_registers(id, id, NEVER)), FastPath::Switched);
                assert!(!worlds[0].w.kernel.ready.contains(peer));
                compare(&worlds, "the fastpath");
                while let Some(at) = worlds[0].w.machine.timer_fires_at.filter(|&at| at < start + 3_900) {
                    for t in worlds.iter_mut() {
                        lean_timer_at(&mut t.w, at);
                    }
                    compare(&worlds, "the ticks before the guest's");
                }
                assert!(worlds[0].w.kernel.kernel_deadline > start + 3_923, "no kernel work at the guest's tick");
                assert!(!worlds[0].w.kernel.ready.contains(peer), "the ticks left the peer out of the queues");
                let switched = lean_timer_at(&mut worlds[0].w, start + 3_923);
                lean_timer_at(&mut worlds[1].w, start + 3_923);
                assert_eq!(worlds[0].w.kernel.current(), peer, "the guest queues behind its peer");
                switched
            }
            _ => {
                let switched = lean_interrupt(&mut worlds[0].w, 40);
                lean_interrupt(&mut worlds[1].w, 40);
                switched
            }
        };
        // (Case 0: the first guest's wake-up queued it, so the last one
        // finds a queue changed and leaves the choice to the scheduler.)
        assert_eq!(lazy, case == 4, "case {case}: the lazy switch");
        compare(&worlds, "the interrupt");
        // The next entries: the woken threads wait again, the spinners take
        // ticks and yield, up to the guests' next ticks.
        for step in 0..40 {
            let current = worlds[0].w.kernel.current();
            if current == handler {
                call(&mut worlds, ipc_registers(pv_irq_thread(40), PV_ANY_THREAD, NEVER));
            } else if ucos.contains(&current) || step % 5 == 4 {
                let registers =
                    if ucos.contains(&current) { receive_any_registers() } else { yield_registers(PV_NIL_THREAD) };
                call(&mut worlds, registers);
            } else {
                let at = worlds[0].w.machine.timer_fires_at.expect("armed");
                for t in worlds.iter_mut() {
                    lean_timer_at(&mut t.w, at);
                }
            }
            compare(&worlds, &format!("step {step} after"));
        }
    }
}
