// SPDX-License-Identifier: MIT OR Apache-2.0
//! The kernel on the target: bring-up, loading the root task, and the glue
//! between the trap entry (arch) and the portable [`Kernel`]. Everything here
//! runs with IRQs masked except the idle wait.

use crate::arch::armv7a::entry::{TrapFrame, TrapKind};
use crate::arch::armv7a::fpu::{self, FpuRegisters};
use crate::arch::armv7a::{cpu, entry, mmu, timer};
use crate::drivers::{console, gic};
use crate::elf;
use crate::kernel::{
    FastPath, KERNEL_TICK_HZ, Kernel, MAX_SPACES, MAX_THREADS, Machine, MemoryLayout, RamRange, RamWord,
};
use crate::memory::page_table::{self, Access, L1Table, L2Pool};
use crate::plat;
use crate::text::Line;
use core::cell::UnsafeCell;
use core::panic::Location;
use core::sync::atomic::{AtomicBool, AtomicU32, Ordering, compiler_fence};
use paravirt_api::*;
use spin::Mutex;

const SECTION: usize = PV_SECTION_SIZE as usize;
/// Where the boot modules appear (read-only) in the root task's space.
const BOOT_MODULES_VIRTUAL: usize = 0x3000_0000;
/// Root task stack: the section below the boot information.
const ROOT_STACK_VIRTUAL: usize = PV_BOOT_INFO_ADDRESS as usize - SECTION;

/// One translation table per space; table 0 is the kernel's own.
#[unsafe(link_section = ".bss.page_tables")]
static mut TABLES: [L1Table; MAX_SPACES] = [const { L1Table::new() }; MAX_SPACES];

/// The second-level tables of every space and of the kernel (`L2_POOL_TABLES`
/// of 1 KiB each).
static mut L2_TABLES: L2Pool = L2Pool::new();

/// The kernel, built in place (see [`Kernel::empty`]); it runs user threads
/// once `KERNEL_STARTED` is set.
static KERNEL: KernelCell = KernelCell { taken: AtomicBool::new(false), kernel: UnsafeCell::new(Kernel::empty()) };

/// The one kernel object, and who holds it: a lock without atomics, for one core.
///
/// Why no real lock is needed: the kernel runs on one core, and all kernel
/// code runs with IRQs masked (the exception entry masks them, nothing
/// unmasks them but the idle wait in `cpu::wait_for_interrupt`, which is
/// entered only with the kernel free, see [`next_thread`]). So at most one
/// context runs kernel code at a time, and a holder always gives the kernel
/// back before another takes it: `lock` can never meet a holder except
/// through a kernel bug (re-entry), which it catches with the `taken` flag
/// and a panic. A `spin::Mutex` gave the same exclusion with an exclusive
/// load/store loop and two barriers (`dmb`) on every trap, which only
/// another core would need; a port to several cores must put a real lock
/// back here (and make the kernel's record of the installed space per
/// core, `Kernel::space_to_install`).
///
/// Laid out in declaration order (`repr(C)`): the flag every trap tests
/// first, then the kernel, both reached from one base register.
#[repr(C)]
struct KernelCell {
    taken: AtomicBool,
    kernel: UnsafeCell<Kernel>,
}

// SAFETY: the kernel is reached only through `KernelCell::lock`, whose guard
// is exclusive (the `taken` flag), and on one core (see above).
unsafe impl Sync for KernelCell {}

impl KernelCell {
    /// Takes the kernel. Panics if it is already held: a kernel bug, never
    /// something user mode can cause (user mode cannot run kernel code).
    #[inline(always)]
    fn lock(&self) -> KernelGuard<'_> {
        // One core, so program order is all the ordering there is: plain
        // loads and stores, and compiler fences so that no access to the
        // kernel moves outside the guard.
        assert!(!self.taken.load(Ordering::Relaxed), "kernel re-entered");
        self.taken.store(true, Ordering::Relaxed);
        compiler_fence(Ordering::Acquire);
        KernelGuard { cell: self }
    }
}

/// The kernel while held (see [`KernelCell`]).
struct KernelGuard<'a> {
    cell: &'a KernelCell,
}

impl core::ops::Deref for KernelGuard<'_> {
    type Target = Kernel;
    #[inline(always)]
    fn deref(&self) -> &Kernel {
        // SAFETY: the guard is the only holder (`KernelCell::lock`).
        unsafe { &*self.cell.kernel.get() }
    }
}

impl core::ops::DerefMut for KernelGuard<'_> {
    #[inline(always)]
    fn deref_mut(&mut self) -> &mut Kernel {
        // SAFETY: as for `deref`; `&mut self` makes this borrow exclusive.
        unsafe { &mut *self.cell.kernel.get() }
    }
}

impl Drop for KernelGuard<'_> {
    #[inline(always)]
    fn drop(&mut self) {
        compiler_fence(Ordering::Release);
        self.cell.taken.store(false, Ordering::Relaxed);
    }
}
static KERNEL_STARTED: AtomicBool = AtomicBool::new(false);
static BOOT_TICKS: AtomicU32 = AtomicU32::new(0);
/// Each thread slot's FPU registers while another thread owns the FPU. The
/// kernel decides whose area is valid (a slot's area is ignored once its thread
/// is deleted); only `Target::switch_fpu` touches them, under the kernel lock.
static FPU_SAVE_AREAS: Mutex<[FpuRegisters; MAX_THREADS]> = Mutex::new([FpuRegisters::ZERO; MAX_THREADS]);

unsafe extern "C" {
    static __kernel_end: u8;
    static __exception_stack_guard: u8;
    static __kernel_stack_guard: u8;
}

/// The unmapped guard pages below the kernel's stacks (`kernel.ld`), with the
/// stack each one guards.
pub fn stack_guard_pages() -> [(usize, &'static str); 2] {
    [
        (&raw const __exception_stack_guard as usize, "exception (IRQ/abort/undefined) stack"),
        (&raw const __kernel_stack_guard as usize, "kernel (SVC) stack"),
    ]
}

unsafe extern "Rust" {
    /// Defined by the image binary through `boot_config!`.
    static UCVISOR_BOOT_CONFIG: crate::BootConfig;
}

fn boot_config() -> &'static crate::BootConfig {
    // SAFETY: every image defines this immutable static with `boot_config!`; it is
    // never written.
    unsafe { &UCVISOR_BOOT_CONFIG }
}

/// The hardware behind the portable kernel's [`Machine`] trait.
struct Target;

impl Machine for Target {
    fn now(&self) -> u64 {
        timer::virtual_counter()
    }

    fn arm_timer(&mut self, ticks: u32) {
        timer::arm_physical(ticks);
    }

    fn counter_frequency(&self) -> u64 {
        u64::from(timer::frequency())
    }

    fn set_irq_enabled(&mut self, irq: u32, enabled: bool) {
        gic::set_enabled(irq, enabled);
    }

    fn console_write(&mut self, bytes: &[u8]) {
        console::write_bytes(bytes);
    }

    #[inline(always)]
    fn read_word(&self, word: RamWord) -> u32 {
        let pointer = user_memory(word.physical(), 4) as *const u32;
        // SAFETY: a `RamWord` is an aligned word of user memory, RAM above the
        // kernel image (identity-mapped, never a Rust object of the kernel's):
        // see `user_memory`.
        unsafe { core::ptr::read_volatile(pointer) }
    }

    #[inline(always)]
    fn write_word(&mut self, word: RamWord, value: u32) {
        let pointer = user_memory(word.physical(), 4) as *mut u32;
        // SAFETY: as for `read_word`.
        unsafe { core::ptr::write_volatile(pointer, value) }
    }

    #[inline(always)]
    fn write_word_pair(&mut self, first: RamWord, values: [u32; 2]) {
        let pointer = user_memory(first.physical(), 8) as *mut u32;
        // SAFETY: as for `read_word`, for both words (checked together).
        unsafe {
            core::ptr::write_volatile(pointer, values[0]);
            core::ptr::write_volatile(pointer.wrapping_add(1), values[1]);
        }
    }

    fn zero(&mut self, range: RamRange) {
        let pointer = user_memory(range.physical(), range.length());
        // SAFETY: as for `read_word`, for the whole range.
        unsafe { core::ptr::write_bytes(pointer, 0, range.length()) };
    }

    fn flush_asid(&mut self, asid: u8) {
        mmu::flush_asid(asid);
    }

    fn sync_instruction_fetch(&mut self, physical: usize, length: usize) {
        cpu::sync_instruction_cache(physical, length);
    }

    fn user_rw_thread_register(&self) -> u32 {
        cpu::user_rw_thread_register()
    }

    fn set_user_rw_thread_register(&mut self, value: u32) {
        cpu::set_user_rw_thread_register(value);
    }

    fn set_fpu_enabled(&mut self, enabled: bool) {
        fpu::set_enabled(enabled);
    }

    /// Both areas are used in place, not copied (264 bytes: a copy would
    /// also link in `memcpy`). The kernel saves a live thread's registers
    /// and loads another's, two different slots; were they the same, the
    /// unit would keep the registers it has (stored, then loaded back). A
    /// slot out of range is as none.
    fn switch_fpu(&mut self, save: Option<usize>, load: Option<usize>) {
        let mut areas = FPU_SAVE_AREAS.lock();
        let slots = areas.len();
        let base = areas.as_mut_ptr();
        let save = save.filter(|&slot| slot < slots).map_or(core::ptr::null_mut(), |slot| base.wrapping_add(slot));
        let zeros: *const FpuRegisters = &FpuRegisters::ZERO;
        let load = load.filter(|&slot| slot < slots).map_or(zeros, |slot| base.wrapping_add(slot).cast_const());
        // SAFETY: `save` is NULL or an area and `load` an area or the static
        // zeros, all FpuRegisters (8-byte aligned); the areas are ours while
        // `areas` holds the lock, and the routine stores all of `save` before
        // it reads `load`, so the two may even be the same area.
        unsafe { fpu::switch_raw(save, load) };
        drop(areas);
    }

    fn set_user_timer_access(&mut self, enabled: bool) {
        timer::set_user_access(enabled);
    }
}

/// The identity-mapped pointer to the `length` bytes at `physical`, which the
/// portable kernel names with a [`RamWord`] or [`RamRange`] of its
/// [`MemoryLayout`] (user RAM or the UTCB pool).
///
/// Such a handle is the proof: only the layout's constructors make one, after
/// checking it against the layout, in the kernel core (no unsafe code,
/// host-tested), and boot checks once that the layout itself lies in user
/// memory, above the kernel image and within RAM ([`user_layout_checked`]).
/// So the release kernel does not check every access again (two comparisons
/// per word: some 30 instructions on each virtual-interrupt delivery). Debug
/// builds still do, against what this module knows itself.
#[inline(always)]
fn user_memory(physical: usize, length: usize) -> *mut u8 {
    if cfg!(debug_assertions) && !in_user_memory(physical, length) {
        outside_user_ram(physical, length);
    }
    physical as *mut u8
}

/// True if the `length` bytes at `physical` lie above the kernel image and
/// within RAM: user RAM or the UTCB pool, never the kernel image, its statics
/// or stacks, or a device.
fn in_user_memory(physical: usize, length: usize) -> bool {
    let kernel_end = &raw const __kernel_end as usize;
    let ram_end = plat::RAM_BASE + plat::RAM_SIZE;
    physical >= kernel_end && physical.checked_add(length).is_some_and(|end| end <= ram_end)
}

/// Boot's check of the kernel's [`MemoryLayout`] (`utcb_pool` sections of
/// UTCBs, user RAM from `user_ram_base` to the end of RAM): every handle
/// made from it lies in user memory, the fact [`user_memory`] relies on.
fn user_layout_checked(utcb_pool: usize, utcb_pool_length: usize, user_ram_base: usize) {
    let ram_end = plat::RAM_BASE + plat::RAM_SIZE;
    let user_ram = user_ram_base <= ram_end && in_user_memory(user_ram_base, ram_end - user_ram_base);
    if !(user_ram && in_user_memory(utcb_pool, utcb_pool_length)) {
        fatal(b"the kernel's memory layout reaches below the kernel's end or beyond RAM");
    }
}

/// [`user_memory`]'s refusal in a debug build: a kernel bug, reported (out
/// of line: the check is on every access to user memory).
#[cold]
#[inline(never)]
fn outside_user_ram(physical: usize, length: usize) -> ! {
    let mut message = Line::new();
    message.push_str("kernel reached for ").push_dec(length as u32).push_str(" bytes at ");
    message.push_hex_short(physical as u32).push_str(", outside user RAM");
    fatal(message.as_bytes())
}

/// Physical memory handed out at boot, one section at a time, from the end of the kernel.
struct BootAllocator {
    next: usize,
}

impl BootAllocator {
    fn take(&mut self, sections: usize) -> usize {
        let base = self.next;
        self.next += sections * SECTION;
        assert!(self.next <= plat::RAM_BASE + plat::RAM_SIZE, "boot image does not fit in RAM");
        base
    }
}

/// Copies `bytes` to physical `destination` (kernel identity mapping).
fn copy_to_physical(destination: usize, bytes: &[u8]) {
    // SAFETY: `destination` is RAM the boot allocator just took for this purpose,
    // identity-mapped for the kernel, and does not overlap `bytes` (kernel image).
    unsafe { core::ptr::copy_nonoverlapping(bytes.as_ptr(), destination as *mut u8, bytes.len()) };
}

fn zero_physical(destination: usize, length: usize) {
    // SAFETY: as for `copy_to_physical`.
    unsafe { core::ptr::write_bytes(destination as *mut u8, 0, length) };
}

/// First Rust code, called by the reset code on the kernel stack with IRQs masked.
#[unsafe(no_mangle)]
extern "C" fn kernel_start() -> ! {
    console::init();
    let mut banner = Line::new();
    banner.push_str(concat!("\nucvisor microkernel ", env!("CARGO_PKG_VERSION"), " (ABI ")).push_dec(PV_ABI_VERSION);
    banner.push_str(") on QEMU virt, Cortex-A15, image `").push_str(boot_config().name).push_str("`\n");
    console::write_bytes(banner.as_bytes());
    let kernel_end = &raw const __kernel_end as usize;
    let tables_pointer = &raw mut TABLES;
    // SAFETY: single-threaded boot with IRQs masked; from here on the tables are
    // reached only through the kernel object, which owns them.
    let tables: &'static mut [L1Table; MAX_SPACES] = unsafe { &mut *tables_pointer };
    let l2_pointer = &raw mut L2_TABLES;
    // SAFETY: as for `tables`.
    let l2: &'static mut L2Pool = unsafe { &mut *l2_pointer };
    page_table::build_kernel_table(
        &mut tables[0],
        l2,
        plat::RAM_BASE,
        plat::RAM_SIZE,
        kernel_end,
        &plat::KERNEL_DEVICE_REGIONS,
        &stack_guard_pages().map(|(page, _)| page),
    )
    .or_panic("kernel memory map is section aligned");
    mmu::enable(&tables[0]);
    console::info(
        Line::new()
            .push_str("MMU on (SCTLR ")
            .push_hex(cpu::system_control())
            .push_str("), caches enabled, kernel image ends at ")
            .push_hex_short(kernel_end as u32),
    );
    gic::init();
    // Counters open to everyone, the virtual timer to nobody until a thread of
    // a space granted it runs (`Kernel::space_to_install`).
    timer::set_user_access(false);
    console::info(Line::new().push_str("GICv2 up; generic timer at ").push_dec(timer::frequency()).push_str(" Hz"));
    let fpu_available = fpu::init();
    if fpu_available {
        console::log(
            "INFO",
            "VFP/Advanced SIMD granted to user mode (32 double registers), switched lazily between threads",
        );
    } else {
        console::log("INFO", "no usable VFP unit: user FPU instructions are undefined-instruction faults");
    }
    gic::set_enabled(plat::PHYSICAL_TIMER_IRQ, true);
    timer::start_physical(timer::frequency() / KERNEL_TICK_HZ);
    if let Some(hook) = boot_config().boot_hook {
        hook();
    }

    // Boot self-check: three kernel timer interrupts taken with the MMU on.
    while BOOT_TICKS.load(Ordering::Relaxed) < 3 {
        cpu::wait_for_interrupt();
    }
    console::info(
        Line::new()
            .push_str("boot self-check passed: ")
            .push_dec(BOOT_TICKS.load(Ordering::Relaxed))
            .push_str(" timer interrupts taken, MMU on"),
    );
    let Some(root_image) = boot_config().root_task else {
        console::log("INFO", "no root task in this image: done");
        cpu::exit(0)
    };

    let mut memory = BootAllocator { next: kernel_end.next_multiple_of(SECTION) };
    let layout_utcb_pool = memory.take(MAX_SPACES);
    let mut machine = Target;
    // IRQs stay masked until the first user thread runs: nobody else takes the lock.
    let mut guard = KERNEL.lock();
    let kernel = &mut *guard;
    kernel.attach(
        tables,
        l2,
        MemoryLayout {
            // Nothing until set below, once the boot allocations are done.
            user_ram_base: plat::RAM_BASE + plat::RAM_SIZE,
            ram_end: plat::RAM_BASE + plat::RAM_SIZE,
            devices: &plat::USER_DEVICE_PAGES,
            utcb_pool_base: layout_utcb_pool,
            reserved_irqs: [plat::PHYSICAL_TIMER_IRQ],
        },
    );
    kernel.set_fpu_available(fpu_available);
    kernel.set_counter_frequency(u64::from(timer::frequency()));
    let root_space = kernel.create_root_space(&mut machine).or_panic("space for the root task");
    let info = load_root_task(kernel, root_space, root_image, &mut memory);
    // The root owns everything from its own image up: it may share its image,
    // stack, boot info and modules with the spaces it creates. The UTCB pool
    // below stays the kernel's.
    kernel.set_user_ram_base(info.image_physical);
    user_layout_checked(layout_utcb_pool, MAX_SPACES * SECTION, info.image_physical);
    console::info(
        Line::new()
            .push_str("root task loaded: entry ")
            .push_hex_short(info.entry)
            .push_str(", ")
            .push_dec((info.image_size / 1024) as u32)
            .push_str(" KiB image; ")
            .push_dec(((plat::RAM_BASE + plat::RAM_SIZE - memory.next) / SECTION) as u32)
            .push_str(" MiB free for the root from ")
            .push_hex_short(memory.next as u32),
    );
    write_boot_info(&info, memory.next);
    kernel
        .start_root_thread(root_space, info.entry, ROOT_STACK_VIRTUAL as u32 + PV_SECTION_SIZE, &mut machine)
        .or_panic("root thread");
    drop(guard);
    KERNEL_STARTED.store(true, Ordering::Release);
    let frame = next_thread();
    // SAFETY: `next_thread` returns the context of a live thread in the static kernel.
    unsafe { entry::resume_user(frame) }
}

/// What loading the root task produced, for the boot information.
struct RootInfo {
    entry: u32,
    image_virtual: usize,
    image_physical: usize,
    image_size: usize,
    info_physical: usize,
    modules: [(usize, usize, &'static str); PV_MAX_BOOT_MODULES as usize],
    module_count: usize,
}

fn load_root_task(kernel: &mut Kernel, space: usize, image: &'static [u8], memory: &mut BootAllocator) -> RootInfo {
    let elf = elf::Image::parse(image).or_panic("root task image is not loadable");
    let (low, high) = elf.extent().or_panic("root task image is not loadable");
    let base = (low as usize) & !(SECTION - 1);
    let size = (high as usize - base).next_multiple_of(SECTION);
    if base < PV_USER_BASE as usize || base + size > BOOT_MODULES_VIRTUAL {
        let mut message = Line::new();
        message.push_str("root task image at ").push_hex_short(low).push_str("..").push_hex_short(high);
        fatal(message.push_str(" is outside the user window").as_bytes());
    }
    let physical = memory.take(size / SECTION);
    zero_physical(physical, size);
    for segment in elf.segments().flatten() {
        copy_to_physical(physical + (segment.virtual_address as usize - base), elf.segment_bytes(&segment));
    }
    cpu::sync_instruction_cache(physical, size);
    // W^X: code read-only and executable, everything else never executable.
    for run in elf.page_runs(base as u32, size as u32) {
        let run = run.or_panic("root task image cannot be mapped W^X");
        let access = match (run.writable, run.executable) {
            (_, true) => Access::UserCode,
            (true, false) => Access::UserData,
            (false, false) => Access::UserReadOnly,
        };
        let offset = run.offset as usize;
        kernel
            .boot_map(space, base + offset, physical + offset, run.size as usize, access)
            .or_panic("root image mapping");
    }

    let stack = memory.take(1);
    zero_physical(stack, SECTION);
    kernel.boot_map(space, ROOT_STACK_VIRTUAL, stack, SECTION, Access::UserData).or_panic("root stack mapping");

    let info_physical = memory.take(1);
    zero_physical(info_physical, SECTION);
    kernel
        .boot_map(space, PV_BOOT_INFO_ADDRESS as usize, info_physical, SECTION, Access::UserReadOnly)
        .or_panic("boot info mapping");

    let mut modules = [(0usize, 0usize, ""); PV_MAX_BOOT_MODULES as usize];
    let mut module_count = 0;
    let mut virtual_address = BOOT_MODULES_VIRTUAL;
    for (slot, (name, bytes)) in modules.iter_mut().zip(boot_config().modules.iter()) {
        let sections = bytes.len().div_ceil(SECTION).max(1);
        let module_physical = memory.take(sections);
        copy_to_physical(module_physical, bytes);
        kernel
            .boot_map(space, virtual_address, module_physical, sections * SECTION, Access::UserReadOnly)
            .or_panic("boot module mapping");
        *slot = (virtual_address, bytes.len(), name);
        virtual_address += sections * SECTION;
        module_count += 1;
    }
    RootInfo {
        entry: elf.entry,
        image_virtual: base,
        image_physical: physical,
        image_size: size,
        info_physical,
        modules,
        module_count,
    }
}

fn write_boot_info(root: &RootInfo, free_base: usize) {
    let mut modules = [PvBootModule { address: 0, size: 0, name: [0; 24] }; PV_MAX_BOOT_MODULES as usize];
    for (module, &(address, size, name)) in modules.iter_mut().zip(root.modules.iter()).take(root.module_count) {
        module.address = address as u32;
        module.size = size as u32;
        // At most 23 bytes: the last stays the terminating NUL.
        for (byte, &from) in module.name.iter_mut().zip(name.as_bytes()).take(23) {
            *byte = from;
        }
    }
    let info = PvBootInfo {
        magic: PV_BOOT_INFO_MAGIC,
        abi_version: PV_ABI_VERSION,
        free_memory_base: free_base as u32,
        free_memory_size: (plat::RAM_BASE + plat::RAM_SIZE - free_base) as u32,
        uart_base: plat::UART_BASE as u32,
        uart_irq: plat::UART_IRQ,
        timer_irq: plat::VIRTUAL_TIMER_IRQ,
        timer_frequency: timer::frequency(),
        root_image_virtual: root.image_virtual as u32,
        root_image_physical: root.image_physical as u32,
        root_image_size: root.image_size as u32,
        root_stack_top: ROOT_STACK_VIRTUAL as u32 + PV_SECTION_SIZE,
        module_count: root.module_count as u32,
        modules,
    };
    // SAFETY: `info_physical` is a zeroed section the kernel took for exactly this
    // structure, identity-mapped and large enough.
    unsafe { core::ptr::write(root.info_physical as *mut PvBootInfo, info) };
}

/// Handles every pending interrupt (IRQs masked).
#[inline(never)]
fn dispatch_irqs(kernel: Option<&mut Kernel>, machine: &mut Target) {
    let mut kernel = kernel;
    while let Some(irq) = gic::acknowledge() {
        if irq >= 1020 {
            break;
        }
        match kernel.as_deref_mut() {
            Some(kernel) => take_irq(kernel, irq, machine),
            // The boot self-check's ticks, before the kernel runs threads.
            None if irq == plat::PHYSICAL_TIMER_IRQ => {
                timer::arm_physical(timer::frequency() / KERNEL_TICK_HZ);
                let count = BOOT_TICKS.fetch_add(1, Ordering::Relaxed) + 1;
                let mut line = Line::new();
                line.push_str("timer interrupt ").push_dec(count).push_str(" (MMU ");
                console::info(line.push_str(if mmu::is_enabled() { "on)" } else { "off)" }));
            }
            None => gic::set_enabled(irq, false),
        }
        gic::end(irq);
    }
}

/// Interrupt `irq`, acknowledged at the GIC, handled by the running kernel:
/// the timer's is the kernel's tick and the direct guests' ticks (and
/// re-arms the timer), any other goes to its handler thread.
///
/// One copy for the user-mode and the idle entry (out of line: the timer
/// path inlined twice would cost the kernel's `.text` some 300 bytes).
#[inline(never)]
fn take_irq(kernel: &mut Kernel, irq: u32, machine: &mut Target) {
    if irq == plat::PHYSICAL_TIMER_IRQ {
        timer::arm_physical(kernel.timer_interrupt(timer::virtual_counter(), machine));
    } else {
        kernel.interrupt(irq, machine);
    }
}

/// IRQ taken in the idle window.
pub fn handle_irq_from_idle() {
    let mut guard = KERNEL.lock();
    let started = KERNEL_STARTED.load(Ordering::Acquire);
    dispatch_irqs(started.then_some(&mut *guard), &mut Target);
}

/// Picks the next thread; if there is one, installs it ([`switch_to`]: for
/// the thread that trapped too, which finds its space in place) and returns
/// its context for the exit path.
fn switch_to_next(kernel: &mut Kernel) -> Option<*mut TrapFrame> {
    if let Some(code) = kernel.shutdown_requested() {
        console::info(Line::new().push_str("root task requested shutdown with exit code ").push_dec(code));
        cpu::exit(code);
    }
    let next = kernel.schedule();
    // The choice may have restarted the kernel's tick or set an earlier IPC
    // deadline: the timer follows before anyone runs (or the CPU idles).
    if kernel.timer_stale() {
        kernel.sync_timer(&mut Target);
    }
    Some(switch_to(kernel, next?))
}

/// Installs thread `next`'s space (unless it is the one in place) and its
/// UTCB register.
#[inline(always)]
fn install_space(kernel: &mut Kernel, next: usize) {
    if let Some(space) = kernel.space_to_install(next, &mut Target) {
        mmu::switch_space(kernel.table(0), kernel.table(space), Kernel::asid(space));
    }
    cpu::set_user_thread_register(Kernel::utcb_address(next));
}

/// The switch to thread `next`: its space (unless in place) and CPU state,
/// and its context for the exit path. One copy for every path that runs
/// another thread than it found running or asks the scheduler (the thread
/// an interrupt woke to run, [`Kernel::wake_to_run`], and
/// [`switch_to_next`]); the system-call fastpaths have its body in line
/// ([`handle_system_call`]).
#[inline(never)]
fn switch_to(kernel: &mut Kernel, next: usize) -> *mut TrapFrame {
    install_space(kernel, next);
    finish(kernel, next)
}

/// The per-thread CPU state of `next` (its TPIDRURW and FPU access, on
/// every switch, within a space too), and its context for the exit path.
#[inline(always)]
fn finish(kernel: &mut Kernel, next: usize) -> *mut TrapFrame {
    kernel.prepare_to_run(next, &mut Target);
    kernel.context_pointer(next)
}

/// Picks the next thread (idling until there is one) and returns its context
/// for the exit path (see [`switch_to_next`]).
fn next_thread() -> *mut TrapFrame {
    loop {
        if let Some(frame) = switch_to_next(&mut KERNEL.lock()) {
            return frame;
        }
        // The idle thread: nothing is ready, wait for an interrupt with the kernel free.
        cpu::wait_for_interrupt();
    }
}

/// Trap from user mode: the current thread's registers are saved in its TCB.
///
/// One hold of the kernel covers the whole trap, the choice of the next
/// thread included (the kernel is given back only to idle).
pub fn handle_trap(kind: TrapKind, fault: (u32, u32)) -> *mut TrapFrame {
    general_trap(KERNEL.lock(), kind, fault)
}

/// [`handle_trap`] with the kernel already held.
#[inline(never)]
fn general_trap(mut guard: KernelGuard<'_>, kind: TrapKind, fault: (u32, u32)) -> *mut TrapFrame {
    let kernel = &mut *guard;
    let machine = &mut Target;
    match kind {
        TrapKind::SystemCall => kernel.system_call_slow(machine),
        TrapKind::Undefined => kernel.undefined_instruction(machine),
        TrapKind::PrefetchAbort => kernel.user_fault(PV_FAULT_PREFETCH_ABORT, fault.1, fault.0, machine),
        TrapKind::DataAbort => kernel.user_fault(PV_FAULT_DATA_ABORT, fault.1, fault.0, machine),
    }
    if let Some(frame) = switch_to_next(kernel) {
        return frame;
    }
    drop(guard);
    next_thread()
}

/// IRQ from user mode (the `irq` entry's own way in): one interrupt taken
/// and ended (another one pending raises the IRQ again as soon as the
/// thread runs), and when the thread it interrupted is still the one to run
/// and the timer needs no new deadline
/// ([`Kernel::interrupted_thread_runs_on`]), straight back to it. The
/// per-thread CPU state is already that thread's — an interrupt neither
/// deletes threads nor hands out the FPU or the timer — so neither the space
/// switch nor [`Kernel::prepare_to_run`] runs; no shutdown either (only
/// `PV_SYS_SHUTDOWN` asks for one).
/// Anything else leaves through the general path's choice.
#[inline(always)]
pub fn handle_irq() -> *mut TrapFrame {
    let mut guard = KERNEL.lock();
    let kernel = &mut *guard;
    let trapped = kernel.current();
    let machine = &mut Target;
    if let Some(irq) = gic::acknowledge()
        && irq < 1020
    {
        take_irq(kernel, irq, machine);
        gic::end(irq);
    }
    if trapped != 0 && kernel.interrupted_thread_runs_on() {
        let next = kernel.current();
        if next == trapped {
            return kernel.context_pointer(trapped);
        }
        // The thread the interrupt woke to run (`Kernel::wake_to_run`).
        return switch_to(kernel, next);
    }
    irq_switch(guard)
}

/// [`handle_irq`] when another thread runs next (or nobody).
#[inline(never)]
fn irq_switch(mut guard: KernelGuard<'_>) -> *mut TrapFrame {
    if let Some(frame) = switch_to_next(&mut guard) {
        return frame;
    }
    drop(guard);
    next_thread()
}

/// System call from user mode (the `svc` entry's own way in): the
/// fastpaths (see [`Kernel::fast_system_call`]). After an IPC or a
/// notify-and-wait it took, straight to the thread it chose (the
/// scheduler's choice: no `schedule`,
/// and no shutdown check, which only the general path's `PV_SYS_SHUTDOWN`
/// can make due); after a call it answered in place (the null call, a lone
/// yield), straight back to the caller, whose space, thread registers, FPU
/// and timer access are still in place; everything else as [`handle_trap`].
#[inline(always)]
pub fn handle_system_call() -> *mut TrapFrame {
    let mut guard = KERNEL.lock();
    let kernel = &mut *guard;
    match kernel.fast_system_call(&mut Target) {
        FastPath::Answered => kernel.context_pointer(kernel.current()),
        // The partner is never the caller: always a thread switch, here
        // [`switch_to`]'s body in line (the IPC and notify-and-wait
        // fastpaths' exit: 4 instructions of call and frame fewer each way,
        // for about 360 bytes of `.text`).
        FastPath::Switched => {
            let next = kernel.current();
            install_space(kernel, next);
            finish(kernel, next)
        }
        FastPath::Declined => general_trap(guard, TrapKind::SystemCall, (0, 0)),
    }
}

/// A boot error's name in a panic message (the name of the error variant).
trait ErrorText {
    fn push_to(&self, line: &mut Line);
}

impl ErrorText for u32 {
    fn push_to(&self, line: &mut Line) {
        line.push_dec(*self);
    }
}

impl ErrorText for page_table::MapError {
    fn push_to(&self, line: &mut Line) {
        use page_table::MapError::*;
        line.push_str(match self {
            Misaligned => "Misaligned",
            KernelRange => "KernelRange",
            AlreadyMapped => "AlreadyMapped",
            NotMapped => "NotMapped",
            PartOfSection => "PartOfSection",
            NoTables => "NoTables",
        });
    }
}

impl ErrorText for elf::ElfError {
    fn push_to(&self, line: &mut Line) {
        use elf::ElfError::*;
        line.push_str(match self {
            Truncated => "Truncated",
            NotElf => "NotElf",
            WrongKind => "WrongKind",
            BadSegment => "BadSegment",
            Empty => "Empty",
            WritableCode => "WritableCode",
        });
    }
}

/// `Result::expect` without `core::fmt`: a boot step that cannot fail unless
/// the image or the kernel is broken.
trait OrPanic<T> {
    /// The value, or a kernel panic `message: error` at the caller's place.
    fn or_panic(self, message: &str) -> T;
}

impl<T, E: ErrorText> OrPanic<T> for Result<T, E> {
    #[track_caller]
    fn or_panic(self, message: &str) -> T {
        match self {
            Ok(value) => value,
            Err(error) => {
                let mut line = Line::new();
                line.push_str(message).push_str(": ");
                error.push_to(&mut line);
                fatal(line.as_bytes())
            }
        }
    }
}

/// A kernel panic with a message built at run time (a [`Line`]), reported at
/// the caller's place exactly as the panic handler reports a `panic!`.
#[track_caller]
pub(crate) fn fatal(message: &[u8]) -> ! {
    report_panic(message, Some(Location::caller()))
}

/// Prints `*** KERNEL PANIC: message` and `*** at file:line:column` and exits
/// with code 101.
fn report_panic(message: &[u8], location: Option<&Location<'_>>) -> ! {
    console::force_unlock();
    console::write_bytes(b"\n*** KERNEL PANIC: ");
    console::write_bytes(message);
    console::write_bytes(b"\n");
    if let Some(location) = location {
        console::write_bytes(b"*** at ");
        console::write_bytes(location.file().as_bytes());
        let mut place = Line::new();
        place.push_str(":").push_dec(location.line()).push_str(":").push_dec(location.column()).push_str("\n");
        console::write_bytes(place.as_bytes());
    }
    cpu::exit(101)
}

/// The kernel's own messages never need formatting here: a `panic!` with a
/// literal message prints it; the kernel builds run-time values into a
/// [`Line`] and calls [`fatal`]. Only a panic inside `core` (a bounds check)
/// carries values this handler does not format (that would bring all of
/// `core::fmt` into the kernel): its place says where it happened.
#[panic_handler]
fn panic(info: &core::panic::PanicInfo<'_>) -> ! {
    let message = info.message().as_str().unwrap_or("a check in core failed (its values are not formatted)");
    report_panic(message.as_bytes(), info.location())
}
