// SPDX-License-Identifier: MIT OR Apache-2.0
//! The root server (the paper's Iguana_Server): the first user program. It reads
//! the system description (the `system` boot module), loads the driver domain
//! and every guest into protection domains of their own — each guest into the
//! RAM the description gives it —, starts them, serves their requests and
//! applies each guest's fault policy (stop, restart, shutdown). The decisions
//! and checks are `servers::{system, memory, policy, report}`, tested on the
//! host; this file is their glue to the system calls.
#![cfg_attr(target_os = "none", no_std, no_main)]

/// On the host the root server is only a stub: it is an ARM user program, and
/// the workspace builds this crate on the host to test the servers' library.
#[cfg(not(target_os = "none"))]
fn main() {
    eprintln!("the root server is an ARM user program: build it with `--target armv7a-none-eabi`");
}

#[cfg(target_os = "none")]
mod root {
    use core::fmt;
    use paravirt_api::guest::*;
    use paravirt_api::*;
    use servers::log_limit::{LeftOut, LogLimit};
    use servers::memory::{Ram, Region, STACK_BASE};
    use servers::policy::*;
    use servers::report::{FaultReport, KernelPools, TASK_NAME_BYTES, Task, ThreadRole};
    use servers::system::{self, DRIVERS_MODULE, FALLBACK_MEMORY_KIB, FALLBACK_PRIORITY, guest_name};
    use servers::{name_text, name_words};
    use ucvisor_elf as elf;
    use user_rt::{boot_info, my_space, println};

    const SECTION: u32 = PV_SECTION_SIZE;
    /// Where the root server sees the free RAM in its own space: guest memory
    /// is cleared, loaded and read (for fault reports) through this view.
    const RAM_VIEW: u32 = 0x2000_0000;
    /// End of the view (the kernel maps the boot modules from 0x3000_0000).
    const RAM_VIEW_END: u32 = 0x3000_0000;
    /// Where the driver domain sees the UART.
    const DRIVER_UART_ADDRESS: u32 = 0x1000_0000;
    const DRIVER_PRIORITY_TIMER: u32 = 200;
    const DRIVER_PRIORITY_SERIAL: u32 = 190;
    /// A restarting guest's region is cleared and reloaded this many bytes at a
    /// time. The root server runs above every guest, so each step delays the
    /// others' ticks: measured under `-icount shift=0` (1 ns an instruction),
    /// a 64 KiB step takes about 30 µs to clear (`zero_bytes`, half an
    /// instruction a byte) and 76 µs where the image is copied in as well —
    /// under a tenth of a 1 kHz tick; the restart report prints the longest
    /// step. (With the compiler's memset, a word per four instructions, and
    /// 256 KiB steps, the longest step took 254 µs.)
    const RELOAD_STEP: u32 = 64 * 1024;
    /// Between two steps the root server waits this long (ms), serving
    /// requests, while the guests run.
    const RELOAD_PAUSE_MS: u32 = 1;

    /// What the root server knows of a guest's image.
    #[derive(Clone, Copy)]
    struct ImageInfo {
        /// Virtual base (section aligned) and size (whole sections).
        base: u32,
        size: u32,
        /// `_Start` (the ELF entry if the symbol table was stripped).
        entry: u32,
        /// Addresses of the runtime's `ucvisor_current_task_prio` and
        /// `ucvisor_current_task_name` words, if the symbol table has them.
        task_priority: Option<u32>,
        task_name: Option<u32>,
    }

    /// A restart under way.
    #[derive(Clone, Copy, Default)]
    struct Reload {
        /// Region bytes cleared and reloaded so far.
        offset: u32,
        steps: u32,
        longest_counts: u64,
        restart: u32,
    }

    struct Guest {
        config: PvGuestConfig,
        module: &'static [u8],
        image: Option<ImageInfo>,
        region: Region,
        /// Its space (0: none).
        space: u32,
        /// Its threads; the first is its Interrupt_loop.
        threads: [PvThreadId; GUEST_MAX_THREADS],
        state: GuestState,
        history: RestartHistory,
        reload: Reload,
        /// Its budget of refusal messages (a hostile guest cannot flood the console).
        log_limit: LogLimit,
    }

    impl Guest {
        fn name(&self) -> &str {
            guest_name(&self.config)
        }
    }

    struct Root {
        ram: Ram,
        /// Physical address of the first byte of the view, and the view's size.
        ram_base: u32,
        ram_view_size: u32,
        v_timer: PvThreadId,
        v_serial: PvThreadId,
        drivers: [PvThreadId; 2],
        /// The driver domain's space (0: not yet created).
        driver_space: u32,
        guests: [Option<Guest>; PV_MAX_GUESTS as usize],
        console_input: u32,
        exit: ExitCode,
        last_step_us: u64,
        counter_frequency: u64,
    }

    /// Why a guest (or the drivers) could not be loaded or started.
    enum Refusal {
        Text(&'static str),
        Memory { needed_kib: u32, memory_kib: u32 },
        Ram { left_kib: u32 },
        Code(&'static str, u32),
    }

    impl fmt::Display for Refusal {
        fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            match self {
                Self::Text(text) => f.write_str(text),
                Self::Memory { needed_kib, memory_kib } => {
                    write!(f, "its image and first stack need {needed_kib} KiB, more than its memory_kib {memory_kib}")
                }
                Self::Ram { left_kib } => write!(f, "not enough RAM left for its memory_kib: {left_kib} KiB left"),
                Self::Code(what, code) => write!(f, "{what} (error {code})"),
            }
        }
    }

    /// Zeroes `length` bytes at `target`, eight words a loop where aligned.
    /// Volatile stores, so that the compiler keeps this loop rather than
    /// calling its word-at-a-time memset.
    ///
    /// # Safety
    /// `target` must be valid for writes of `length` bytes.
    unsafe fn zero_bytes(target: *mut u8, length: usize) {
        let head = target.align_offset(4).min(length);
        let words = (length - head) / 4;
        // SAFETY: every write below stays within `target..target + length`,
        // which the caller guarantees writable; `body` is word aligned.
        unsafe {
            for index in 0..head {
                target.add(index).write_volatile(0);
            }
            let body = target.add(head).cast::<u32>();
            let mut word = 0;
            // Written out: the servers are built for size (opt-level "s"),
            // which does not unroll loops.
            while word + 8 <= words {
                let eight = body.add(word);
                eight.write_volatile(0);
                eight.add(1).write_volatile(0);
                eight.add(2).write_volatile(0);
                eight.add(3).write_volatile(0);
                eight.add(4).write_volatile(0);
                eight.add(5).write_volatile(0);
                eight.add(6).write_volatile(0);
                eight.add(7).write_volatile(0);
                word += 8;
            }
            while word < words {
                body.add(word).write_volatile(0);
                word += 1;
            }
            for index in head + 4 * words..length {
                target.add(index).write_volatile(0);
            }
        }
    }

    /// Copies `length` bytes from `source` to `target`, eight words a loop when
    /// both have the same alignment (an ELF segment's file offset and address
    /// agree modulo its alignment), else bytewise.
    ///
    /// # Safety
    /// `source` must be valid for reads and `target` for writes of `length`
    /// bytes, and the two must not overlap.
    unsafe fn copy_bytes(target: *mut u8, source: *const u8, length: usize) {
        let head =
            if (target as usize ^ source as usize) & 3 == 0 { target.align_offset(4).min(length) } else { length };
        let words = (length - head) / 4;
        // SAFETY: every access stays within the two ranges the caller
        // guarantees; after `head` bytes both pointers are word aligned.
        unsafe {
            for index in 0..head {
                target.add(index).write_volatile(source.add(index).read());
            }
            let (to, from) = (target.add(head).cast::<u32>(), source.add(head).cast::<u32>());
            let mut word = 0;
            while word + 8 <= words {
                let (to, from) = (to.add(word), from.add(word));
                to.write_volatile(from.read());
                to.add(1).write_volatile(from.add(1).read());
                to.add(2).write_volatile(from.add(2).read());
                to.add(3).write_volatile(from.add(3).read());
                to.add(4).write_volatile(from.add(4).read());
                to.add(5).write_volatile(from.add(5).read());
                to.add(6).write_volatile(from.add(6).read());
                to.add(7).write_volatile(from.add(7).read());
                word += 8;
            }
            while word < words {
                to.add(word).write_volatile(from.add(word).read());
                word += 1;
            }
            for index in head + 4 * words..length {
                target.add(index).write_volatile(source.add(index).read());
            }
        }
    }

    fn check(result: u32, what: &'static str) -> Result<(), Refusal> {
        if result == PV_OK { Ok(()) } else { Err(Refusal::Code(what, result)) }
    }

    fn module_bytes(module: &PvBootModule) -> &'static [u8] {
        // SAFETY: the kernel maps each boot module read-only at `address` for
        // `size` bytes in the root task's space for its whole life.
        unsafe { core::slice::from_raw_parts(module.address as usize as *const u8, module.size as usize) }
    }

    fn call(to: PvThreadId, label: u32, words: &[u32]) -> u32 {
        let mut message = PvMessage::new(label, words);
        // SAFETY: `message` is a valid local.
        let result = unsafe { pv_call(to, &mut message) };
        if result == PV_OK { message.mr[0] } else { result }
    }

    fn send(to: PvThreadId, label: u32, words: &[u32]) -> u32 {
        let mut message = PvMessage::new(label, words);
        // SAFETY: `message` is a valid local.
        unsafe { pv_send(to, &mut message, 1000) }
    }

    /// Checks an ELF image for loading at its link address: its extent in
    /// whole sections and the symbols the root server uses.
    fn inspect(bytes: &[u8]) -> Result<ImageInfo, Refusal> {
        let image = elf::Image::parse(bytes).map_err(|_| Refusal::Text("not a loadable ARM ELF image"))?;
        let (low, high) = image.extent().map_err(|_| Refusal::Text("corrupt program headers"))?;
        if image.segments().any(|segment| segment.is_err()) {
            return Err(Refusal::Text("corrupt program headers"));
        }
        let base = low & !(SECTION - 1);
        if base < PV_USER_BASE || high > STACK_BASE {
            return Err(Refusal::Text("image outside the user program window"));
        }
        let size = (high - base).div_ceil(SECTION) * SECTION;
        if image.page_runs(base, size).any(|run| run.is_err()) {
            return Err(Refusal::Text("a page of the image is both writable and executable (code and data share it)"));
        }
        Ok(ImageInfo {
            base,
            size,
            entry: image.symbol("_Start").unwrap_or(image.entry),
            task_priority: image.symbol("ucvisor_current_task_prio"),
            task_name: image.symbol("ucvisor_current_task_name"),
        })
    }

    /// Maps the image `bytes` (checked by [`inspect`] into `info`), loaded at
    /// `physical`, into `space` W^X, page by page where the segments need it:
    /// code read-only and executable, read-only data read-only, data,
    /// `.bss` and the rest of the image read/write and never executable. (The
    /// kernel makes the code visible to instruction fetch as it maps it.)
    fn map_image(space: u32, bytes: &[u8], info: &ImageInfo, physical: u32) -> Result<(), Refusal> {
        let image = elf::Image::parse(bytes).map_err(|_| Refusal::Text("not a loadable ARM ELF image"))?;
        for run in image.page_runs(info.base, info.size) {
            let run = run.map_err(|_| Refusal::Text("a page of the image is both writable and executable"))?;
            let mut rights = PV_MAP_READ;
            if run.writable {
                rights |= PV_MAP_WRITE;
            }
            if run.executable {
                rights |= PV_MAP_EXECUTE;
            }
            let (virtual_address, physical) = (info.base + run.offset, physical + run.offset);
            check(pv_map(space, virtual_address, physical, run.size, rights), "cannot map the image")?;
        }
        Ok(())
    }

    /// Second-level page tables the kernel takes to map the image `bytes`
    /// (checked by [`inspect`] into `info`) and the first stack of a guest.
    fn l2_tables_needed(bytes: &[u8], info: &ImageInfo) -> u32 {
        let runs = elf::Image::parse(bytes).ok().map(|image| {
            servers::memory::l2_tables_for(image.page_runs(info.base, info.size).flatten().map(|r| (r.offset, r.size)))
        });
        runs.unwrap_or(0) + servers::memory::STACK_L2_TABLES
    }

    /// The kernel's counters, or all zeros if the kernel refused (it never
    /// refuses the root server).
    fn kernel_info() -> PvKernelInfo {
        let mut info = PvKernelInfo::default();
        // SAFETY: `info` is a valid local.
        unsafe { pv_kernel_info(&mut info) };
        info
    }

    impl Root {
        /// Address of physical `physical..+size` in the RAM view, if it lies there.
        fn view(&self, physical: u32, size: u32) -> Option<*mut u8> {
            let offset = physical.checked_sub(self.ram_base)?;
            (offset.checked_add(size)? <= self.ram_view_size).then_some((RAM_VIEW + offset) as usize as *mut u8)
        }

        fn zero(&self, physical: u32, size: u32) {
            if let Some(target) = self.view(physical, size) {
                // SAFETY: `view` checked that the range lies in the RAM view,
                // mapped read/write in this space since boot; the root server
                // is single-threaded and holds no reference into the view.
                unsafe { zero_bytes(target, size as usize) };
            }
        }

        fn copy_in(&self, physical: u32, bytes: &[u8]) {
            if let Some(target) = self.view(physical, bytes.len() as u32) {
                // SAFETY: as in `zero`; `bytes` is a boot module, which lies
                // outside the free RAM the view shows.
                unsafe { copy_bytes(target, bytes.as_ptr(), bytes.len()) };
            }
        }

        /// Reads `buffer.len()` bytes of guest memory at region offset `offset`.
        fn read_region(&self, region: &Region, offset: u32, buffer: &mut [u8]) -> bool {
            let Some(source) = self.view(region.base + offset, buffer.len() as u32) else { return false };
            for (index, byte) in buffer.iter_mut().enumerate() {
                // SAFETY: as in `zero`; volatile, because the guest may be
                // writing the memory (from its own space) meanwhile.
                *byte = unsafe { core::ptr::read_volatile(source.add(index)) };
            }
            true
        }

        /// Reads the word at guest address `address`.
        fn read_guest_word(&self, region: &Region, address: u32) -> Option<u32> {
            let offset = region.offset_of(address, 4)?;
            let mut bytes = [0u8; 4];
            self.read_region(region, offset, &mut bytes).then(|| u32::from_le_bytes(bytes))
        }

        /// The µC/OS-II task the guest was running, from the runtime's two words.
        fn running_task(&self, guest: &Guest) -> Option<Task> {
            let image = guest.image?;
            let priority = self.read_guest_word(&guest.region, image.task_priority?)?;
            let pointer = image.task_name.and_then(|address| self.read_guest_word(&guest.region, address));
            let mut bytes = [0u8; TASK_NAME_BYTES];
            let name = pointer.and_then(|pointer| {
                let length = guest.region.mapped_after(pointer).min(TASK_NAME_BYTES as u32) as usize;
                let offset = guest.region.offset_of(pointer, length as u32).filter(|_| length > 0)?;
                self.read_region(&guest.region, offset, &mut bytes[..length]).then_some(&bytes[..length])
            });
            Task::from_guest(priority, name)
        }

        /// Clears one step of `region` from `offset` and copies into it what
        /// the image `module` (`info`, checked by [`inspect`]) has there, the
        /// image at the start of the region; returns the offset after the step.
        fn reload_step(&self, region: &Region, module: &[u8], info: &ImageInfo, offset: u32) -> u32 {
            let end = offset.saturating_add(RELOAD_STEP).min(region.size);
            self.zero(region.base + offset, end - offset);
            let Ok(image) = elf::Image::parse(module) else { return end };
            for segment in image.segments().flatten() {
                let data = image.segment_bytes(&segment);
                let start = segment.virtual_address - info.base;
                let (from, to) = (start.max(offset), (start + data.len() as u32).min(end));
                if from < to {
                    let piece = &data[(from - start) as usize..(to - start) as usize];
                    self.copy_in(region.base + from, piece);
                }
            }
            end
        }

        /// Clears all of `region` and loads the image into it.
        fn load(&self, region: &Region, module: &[u8], info: &ImageInfo) {
            let mut offset = 0;
            while offset < region.size {
                offset = self.reload_step(region, module, info, offset);
            }
        }

        fn microseconds(&self, counts: u64) -> u64 {
            counts * 1_000_000 / self.counter_frequency.max(1)
        }

        /// Loads the driver domain and starts v_timer and v_serial.
        fn start_drivers(&mut self, bytes: &'static [u8], info: &PvBootInfo) -> Result<(), Refusal> {
            let image = inspect(bytes)?;
            let physical = self.ram.take(image.size + SECTION).map_err(|_| Refusal::Text("out of RAM"))?;
            let mut region = Region::new(physical, image.size + SECTION);
            self.load(&region, bytes, &image);
            let mut space = 0;
            // SAFETY: `space` is a valid local.
            check(unsafe { pv_space_create(&mut space) }, "no space")?;
            // The driver domain owns the virtual timer (v_timer) and may name the
            // root server, itself and, as each is created, every guest.
            self.driver_space = space;
            check(
                pv_space_configure(
                    space,
                    driver_send_mask(my_space(), space, []),
                    DRIVER_PRIORITY_TIMER,
                    PV_SPACE_TIMER_ACCESS,
                ),
                "cannot configure the driver domain",
            )?;
            let image_physical = region.take_image(image.base, image.size).map_err(|_| Refusal::Text("out of RAM"))?;
            let stack = region.take_stack().map_err(|_| Refusal::Text("out of RAM"))?;
            map_image(space, bytes, &image, image_physical)?;
            // Two stacks in the stack section, each with an unmapped guard
            // page below it: v_serial's from the top, v_timer's from below
            // v_serial's guard page.
            let data = PV_MAP_READ | PV_MAP_WRITE;
            let half = SECTION / 2;
            let timer_stack = half - 2 * PV_PAGE_SIZE;
            check(pv_map(space, STACK_BASE + PV_PAGE_SIZE, stack + PV_PAGE_SIZE, timer_stack, data), "no stack")?;
            check(pv_map(space, STACK_BASE + half, stack + half, half, data), "cannot map the stack")?;
            // Exactly the UART's register page: its section also holds the
            // RTC, GPIO and fw_cfg (whose DMA can write any physical address).
            let uart_page = info.uart_base & !(PV_PAGE_SIZE - 1);
            let device = PV_MAP_READ | PV_MAP_WRITE | PV_MAP_DEVICE;
            check(pv_map(space, DRIVER_UART_ADDRESS, uart_page, PV_PAGE_SIZE, device), "cannot map the UART")?;
            let mut timer = 0;
            let mut serial = 0;
            // SAFETY: `timer` and `serial` are valid locals.
            unsafe {
                check(pv_thread_create(space, DRIVER_PRIORITY_TIMER, pv_thread_self(), &mut timer), "no thread")?;
                check(pv_thread_create(space, DRIVER_PRIORITY_SERIAL, pv_thread_self(), &mut serial), "no thread")?;
            }
            self.drivers = [timer, serial];
            check(pv_interrupt_control(info.timer_irq, timer), "cannot associate the timer interrupt")?;
            check(pv_interrupt_control(info.uart_irq, serial), "cannot associate the UART interrupt")?;
            // Both threads start at the program's entry; the startup message names the role.
            for (thread, stack_top) in [(timer, STACK_BASE + half - PV_PAGE_SIZE), (serial, STACK_BASE + SECTION)] {
                check(pv_start_sp_ip(thread, stack_top, image.entry), "cannot start a driver thread")?;
            }
            let uart_address = DRIVER_UART_ADDRESS + (info.uart_base - uart_page);
            let started = send(timer, PV_LABEL_STARTUP, &[0, info.timer_irq, info.timer_frequency]) == PV_OK
                && send(serial, PV_LABEL_STARTUP, &[1, info.uart_irq, uart_address]) == PV_OK;
            if !started {
                return Err(Refusal::Text("the drivers did not take their startup message"));
            }
            self.v_timer = timer;
            self.v_serial = serial;
            println!(
                "[root] domain `drivers`: space {space}, image {:#010x}..{:#010x} -> RAM {image_physical:#010x}, \
                 stack {STACK_BASE:#010x} -> RAM {stack:#010x}",
                image.base,
                image.base + image.size
            );
            println!(
                "[root]   device: UART {uart_page:#010x} mapped at {DRIVER_UART_ADDRESS:#010x} (4 KiB, device memory)"
            );
            println!(
                "[root]   thread {timer:#x} v_timer at priority {DRIVER_PRIORITY_TIMER}, interrupt {}",
                info.timer_irq
            );
            println!(
                "[root]   thread {serial:#x} v_serial at priority {DRIVER_PRIORITY_SERIAL}, interrupt {}",
                info.uart_irq
            );
            println!("[root] driver domain up: v_timer {timer:#x}, v_serial {serial:#x}");
            Ok(())
        }

        /// Defines guest `number`'s console domain at v_serial (which also
        /// writes out its unfinished line and forgets its old threads).
        fn console_domain(&self, number: usize) {
            let Some(guest) = &self.guests[number] else { return };
            let flags = if self.console_input == number as u32 { PV_SERIAL_DOMAIN_INPUT } else { 0 };
            let mut words = [0u32; PV_SERIAL_DOMAIN_WORDS as usize];
            words[0] = number as u32;
            words[1] = flags;
            words[2..].copy_from_slice(&name_words(&guest.config.name));
            let code = call(self.v_serial, PV_SERIAL_DOMAIN, &words);
            if code != PV_OK {
                println!("[root] v_serial refused the console of guest `{}` (error {code})", guest.name());
            }
        }

        /// Creates a thread of guest `number` at `priority` and registers it with v_serial.
        fn guest_thread(&mut self, number: usize, priority: u32) -> Result<PvThreadId, u32> {
            let v_serial = self.v_serial;
            let guest = self.guests[number].as_mut().ok_or(PV_ERR_INVALID_SPACE)?;
            // Its quota from the description: no guest takes another's threads.
            thread_allowed(guest.threads.iter().filter(|&&t| t != PV_NIL_THREAD).count(), guest.config.threads)?;
            let slot = guest.threads.iter().position(|&t| t == PV_NIL_THREAD).ok_or(PV_ERR_NO_RESOURCES)?;
            let mut thread = 0;
            // SAFETY: `thread` is a valid local.
            let result = unsafe { pv_thread_create(guest.space, priority, pv_thread_self(), &mut thread) };
            if result != PV_OK {
                return Err(result);
            }
            guest.threads[slot] = thread;
            let code = call(v_serial, PV_SERIAL_THREAD, &[thread, number as u32]);
            if code != PV_OK {
                println!("[root] v_serial refused thread {thread:#x} of guest `{}` (error {code})", guest.name());
            }
            Ok(thread)
        }

        /// Maps guest `number`'s loaded region into a fresh space and starts
        /// its first thread at `_Start` with its startup message.
        fn start_guest(&mut self, number: usize, log: bool) -> Result<(), Refusal> {
            let (v_timer, v_serial) = (self.v_timer, self.v_serial);
            let guest = self.guests[number].as_mut().ok_or(Refusal::Text("no guest"))?;
            let image = guest.image.ok_or(Refusal::Text("no image"))?;
            guest.region.reset();
            let image_physical =
                guest.region.take_image(image.base, image.size).map_err(|_| Refusal::Text("too big"))?;
            let stack = guest.region.take_stack().map_err(|_| Refusal::Text("too big"))?;
            let mut space = 0;
            // SAFETY: `space` is a valid local.
            check(unsafe { pv_space_create(&mut space) }, "no space left")?;
            guest.space = space;
            // Its threads may name the root server, the drivers and its own
            // threads, none above its band's ceiling; the drivers may name it.
            let max_priority = guest_max_priority(guest.config.priority);
            check(
                pv_space_configure(space, guest_send_mask(my_space(), self.driver_space, space), max_priority, 0),
                "cannot configure its space",
            )?;
            let guest_spaces = self.guests.iter().flatten().map(|g| g.space);
            let drivers = driver_send_mask(my_space(), self.driver_space, guest_spaces);
            check(
                pv_space_configure(self.driver_space, drivers, DRIVER_PRIORITY_TIMER, PV_SPACE_TIMER_ACCESS),
                "cannot grant it to the drivers",
            )?;
            let guest = self.guests[number].as_mut().ok_or(Refusal::Text("no guest"))?;
            map_image(space, guest.module, &image, image_physical)?;
            // Interrupt_loop's stack: the section but its lowest page, an
            // unmapped guard page (running off the stack is a data abort).
            let (guarded, size) = (STACK_BASE + PV_PAGE_SIZE, SECTION - PV_PAGE_SIZE);
            let data = PV_MAP_READ | PV_MAP_WRITE;
            check(pv_map(space, guarded, stack + PV_PAGE_SIZE, size, data), "cannot map the stack")?;
            let priority = guest.config.priority;
            let virq = guest.config.virq;
            if log {
                let policy =
                    ["stop", "restart", "shutdown"].get(guest.config.on_fault as usize).copied().unwrap_or("?");
                println!(
                    "[root] domain `{}`: space {space}, priority {priority}, RAM {:#010x}..{:#010x} ({} KiB), \
                     on_fault {policy}",
                    guest.name(),
                    guest.region.base,
                    guest.region.base + guest.region.size,
                    guest.config.memory_kib
                );
                println!(
                    "[root]   image {:#010x}..{:#010x} -> RAM {image_physical:#010x}, stack {STACK_BASE:#010x} -> RAM \
                     {stack:#010x}",
                    image.base,
                    image.base + image.size
                );
            }
            self.console_domain(number);
            let thread = self.guest_thread(number, priority + 1).map_err(|code| Refusal::Code("no thread", code))?;
            check(pv_start_sp_ip(thread, STACK_BASE + SECTION, image.entry), "cannot start the guest")?;
            let startup = [v_timer, v_serial, number as u32, STACK_BASE + SECTION, priority, virq];
            if send(thread, PV_LABEL_STARTUP, &startup) != PV_OK {
                return Err(Refusal::Text("the guest did not take its startup message"));
            }
            let guest = self.guests[number].as_mut().ok_or(Refusal::Text("no guest"))?;
            guest.state = GuestState::Running;
            if log {
                println!("[root]   thread {thread:#x} (Interrupt_loop) at priority {}", priority + 1);
                println!("[root] guest `{}` started in space {space} at _Start {:#x}", guest.name(), image.entry);
            }
            Ok(())
        }

        /// Deletes guest `number`'s threads (and its space, if `delete_space`)
        /// and closes its console domain, writing out its unfinished line.
        fn end_guest(&mut self, number: usize, delete_space: bool) {
            let Some(guest) = self.guests[number].as_mut() else { return };
            for thread in guest.threads.iter_mut().filter(|t| **t != PV_NIL_THREAD) {
                pv_thread_delete(*thread);
                *thread = PV_NIL_THREAD;
            }
            if delete_space && guest.space != 0 {
                pv_space_delete(guest.space);
                guest.space = 0;
            }
            self.console_domain(number);
        }

        /// A guest that could not be (re)started: it counts as failed.
        fn not_started(&mut self, number: usize, why: &Refusal) {
            self.end_guest(number, true);
            if let Some(guest) = self.guests[number].as_mut() {
                println!("[root] guest `{}` not started: {why}", guest.name());
                guest.state = GuestState::Stopped;
            }
            self.exit.stopped();
        }

        /// Applies guest `number`'s fault policy; `Some(code)` ends the system.
        fn fault(&mut self, number: usize) -> Option<u32> {
            let now = pv_system_clock();
            let guest = self.guests[number].as_mut()?;
            let action = guest.history.on_fault(guest.config.on_fault, guest.config.restart_limit, now);
            match action {
                FaultAction::Stop | FaultAction::LimitReached { .. } => {
                    self.end_guest(number, false);
                    let guest = self.guests[number].as_mut()?;
                    guest.state = GuestState::Stopped;
                    self.exit.stopped();
                    match action {
                        FaultAction::LimitReached { restarts } => println!(
                            "[root] guest `{}` stopped: it restarted {restarts} times within 60 s, its restart_limit",
                            guest.name()
                        ),
                        _ => println!("[root] guest `{}` stopped (on_fault stop)", guest.name()),
                    }
                    None
                }
                FaultAction::Restart { restart } => {
                    guest.state = GuestState::Restarting;
                    guest.reload = Reload { restart, ..Reload::default() };
                    println!("[root] guest `{}`: on_fault restart: clearing and reloading its RAM", guest.name());
                    self.end_guest(number, true);
                    None
                }
                FaultAction::Shutdown => {
                    println!("[root] guest `{}` has on_fault shutdown: the system ends", guest.name());
                    self.exit.stopped();
                    Some(EXIT_FAULT)
                }
            }
        }

        /// One reload step for each restarting guest, at most one per
        /// `RELOAD_PAUSE_MS`; a guest whose region is reloaded starts again.
        fn reload_steps(&mut self) {
            let now = pv_system_clock();
            if now.saturating_sub(self.last_step_us) < u64::from(RELOAD_PAUSE_MS) * 1000 {
                return;
            }
            self.last_step_us = now;
            for number in 0..self.guests.len() {
                let Some(guest) = &self.guests[number] else { continue };
                if guest.state != GuestState::Restarting {
                    continue;
                }
                let Some(image) = guest.image else { continue };
                let before = virtual_counter();
                let offset = self.reload_step(&guest.region, guest.module, &image, guest.reload.offset);
                let took = virtual_counter().wrapping_sub(before);
                let Some(guest) = self.guests[number].as_mut() else { continue };
                guest.reload.offset = offset;
                guest.reload.steps += 1;
                guest.reload.longest_counts = guest.reload.longest_counts.max(took);
                if offset < guest.region.size {
                    continue;
                }
                let reload = guest.reload;
                match self.start_guest(number, false) {
                    Ok(()) => {
                        let guest = self.guests[number].as_ref().expect("started");
                        println!(
                            "[root] guest `{}` restarted (restart {}): {} KiB cleared and reloaded in {} steps, the \
                             longest {} us",
                            guest.name(),
                            reload.restart,
                            guest.config.memory_kib,
                            reload.steps,
                            self.microseconds(reload.longest_counts)
                        );
                    }
                    Err(why) => self.not_started(number, &why),
                }
            }
        }

        fn guest_of(&self, thread: PvThreadId) -> Option<usize> {
            if thread == PV_NIL_THREAD {
                return None;
            }
            self.guests.iter().position(|g| g.as_ref().is_some_and(|g| g.threads.contains(&thread)))
        }

        /// Handles one message from guest `number`'s thread `sender`: the
        /// reply, `Err(Some(code))` to end the system, `Err(None)` for no reply.
        fn request(&mut self, number: usize, sender: PvThreadId, message: &PvMessage) -> Result<[u32; 2], Option<u32>> {
            let label = message.tag >> PV_TAG_LABEL_SHIFT;
            let count = ((message.tag & PV_TAG_WORDS_MASK) as usize).min(message.mr.len());
            let words = &message.mr[..count];
            if count < request_words(label) {
                return Ok([PV_ERR_INVALID_ARGUMENT, 0]);
            }
            let guest = self.guests[number].as_mut().ok_or(None)?;
            match label {
                PV_ROOT_THREAD_CREATE => {
                    let ceiling = guest.config.priority + 1;
                    let priority = match thread_priority(words, ceiling) {
                        Ok(priority) => priority,
                        Err(code) => {
                            let asked = words.first().copied().unwrap_or(0);
                            if let Some(left_out) = guest.log_limit.admit(pv_system_clock()) {
                                println!(
                                    "[root] guest `{}`: thread at priority {asked:#x} refused (error {code}): its \
                                     ceiling is {ceiling}{}",
                                    guest.name(),
                                    LeftOut(left_out)
                                );
                            }
                            return Ok([code, 0]);
                        }
                    };
                    match self.guest_thread(number, priority) {
                        Ok(thread) => {
                            let name = self.guests[number].as_ref().map_or("?", |g| g.name());
                            println!("[root] guest `{name}`: thread {thread:#x} at priority {priority}");
                            Ok([PV_OK, thread])
                        }
                        Err(code) => Ok([code, 0]),
                    }
                }
                PV_ROOT_MEMSECTION_CREATE => match guest.region.take_memsection(words[0]) {
                    Ok((address, physical, size)) => {
                        let code = pv_map(guest.space, address, physical, size, PV_MAP_READ | PV_MAP_WRITE);
                        if code != PV_OK {
                            return Ok([code, 0]);
                        }
                        println!(
                            "[root] guest `{}`: memory section {address:#010x}..{:#010x} -> RAM {physical:#010x}",
                            guest.name(),
                            address + size
                        );
                        Ok([PV_OK, address])
                    }
                    Err(code) => {
                        if let Some(left_out) = guest.log_limit.admit(pv_system_clock()) {
                            println!(
                                "[root] guest `{}`: memory section of {} bytes refused (error {code}): {} KiB of its {} \
                                 KiB left{}",
                                guest.name(),
                                words[0],
                                guest.region.left() / 1024,
                                guest.config.memory_kib,
                                LeftOut(left_out)
                            );
                        }
                        Ok([code, 0])
                    }
                },
                PV_ROOT_INTERRUPT_ASSOCIATE => {
                    let info = boot_info();
                    let (irq, thread) = (words[0], words[1]);
                    // Only a line its description grants, to a thread of its own
                    // (never PV_NIL_THREAD, which fills its free slots and would
                    // unbind the line).
                    let granted = interrupt_allowed(&guest.config.interrupts, irq, &[info.timer_irq, info.uart_irq]);
                    let allowed = granted && thread != PV_NIL_THREAD && guest.threads.contains(&thread);
                    let code = if allowed { pv_interrupt_control(irq, thread) } else { PV_ERR_NO_PRIVILEGE };
                    // Asked again and again, the same binding is granted again and
                    // again: its line is reported within the guest's message budget.
                    if code == PV_OK
                        && let Some(left_out) = guest.log_limit.admit(pv_system_clock())
                    {
                        println!(
                            "[root] guest `{}`: interrupt {irq} -> thread {thread:#x}{}",
                            guest.name(),
                            LeftOut(left_out)
                        );
                    }
                    Ok([code, 0])
                }
                PV_ROOT_EXIT => {
                    let code = words[0];
                    guest.state = GuestState::Exited(code);
                    self.exit.exited(code);
                    self.end_guest(number, false);
                    let name = self.guests[number].as_ref().map_or("?", |g| g.name());
                    println!("[root] guest `{name}` exited with code {code}");
                    Err(None)
                }
                PV_ROOT_GUEST_ERROR => {
                    let mut name = [0u8; 4 * PV_GUEST_ERROR_NAME_WORDS as usize];
                    for (index, byte) in name.iter_mut().enumerate() {
                        *byte = words.get(4 + index / 4).map_or(0, |word| (word >> (8 * (index % 4))) as u8);
                    }
                    let task = Task::from_guest(words[1], Some(&name));
                    match words[0] {
                        PV_GUEST_ERROR_STACK_OVERFLOW => println!(
                            "[root] guest `{}`: task {} `{}` overflowed its stack (sp {:#x}, stack bottom {:#x})",
                            guest.name(),
                            words[1],
                            task.as_ref().map_or("?", |t| t.name()),
                            words[2],
                            words[3]
                        ),
                        kind => println!("[root] guest `{}`: runtime error {kind}", guest.name()),
                    }
                    Err(self.fault(number))
                }
                // Only the kernel sends this label (user sends with a label of
                // `PV_LABEL_KERNEL_BASE..` are refused): a real fault of `sender`.
                PV_LABEL_EXCEPTION => {
                    let mut registers = PvRegisters::default();
                    // SAFETY: `registers` is a valid local; control 0 only reads.
                    let read = unsafe { pv_exchange_registers(sender, 0, 0, 0, 0, &mut registers) };
                    let role =
                        if guest.threads[0] == sender { ThreadRole::InterruptLoop } else { ThreadRole::Requested };
                    let guest = self.guests[number].as_ref().ok_or(None)?;
                    let task = if role == ThreadRole::Requested { self.running_task(guest) } else { None };
                    let pc = words.get(2).copied().unwrap_or(0);
                    // The function at the pc, from the function symbols the
                    // embedded image keeps (the image build strips the rest).
                    let function = elf::Image::parse(guest.module).ok().and_then(|image| image.function_at(pc));
                    let report = FaultReport {
                        guest: guest.name(),
                        thread: sender,
                        role,
                        kind: words.first().copied().unwrap_or(0),
                        address: words.get(1).copied().unwrap_or(0),
                        pc,
                        thumb: read == PV_OK && registers.flags & PV_FLAGS_THUMB != 0,
                        function,
                        task,
                    };
                    println!("[root] {report}");
                    Err(self.fault(number))
                }
                _ => Ok([PV_ERR_INVALID_ARGUMENT, 0]),
            }
        }

        /// Writes out every guest's unfinished console line.
        fn close_consoles(&mut self) {
            for number in 0..self.guests.len() {
                if self.guests[number].is_some() {
                    self.console_domain(number);
                }
            }
        }

        /// Serves requests until every guest has finished (or one's fault
        /// policy ends the system); returns the system's exit code.
        fn serve(&mut self) -> u32 {
            let mut reply_to = PV_NIL_THREAD;
            let mut message = PvMessage::new(0, &[]);
            loop {
                let reloading = self.guests.iter().flatten().any(|g| g.state == GuestState::Restarting);
                let receive = if reloading { RELOAD_PAUSE_MS } else { PV_TIMEOUT_NEVER };
                let mut sender = 0;
                // SAFETY: `message` and `sender` are valid locals.
                let result = unsafe {
                    pv_ipc(reply_to, PV_ANY_THREAD, pv_timeouts(PV_TIMEOUT_ZERO, receive), &mut message, &mut sender)
                };
                reply_to = PV_NIL_THREAD;
                if reloading {
                    self.reload_steps();
                }
                if result == PV_OK {
                    let label = message.tag >> PV_TAG_LABEL_SHIFT;
                    match self.guest_of(sender) {
                        Some(number) => match self.request(number, sender, &message) {
                            Ok(answer) => {
                                message = PvMessage::new(0, &answer);
                                reply_to = sender;
                            }
                            Err(Some(code)) => {
                                self.close_consoles();
                                println!("[root] shutting down with exit code {code}");
                                return code;
                            }
                            Err(None) => {}
                        },
                        None if label == PV_LABEL_EXCEPTION => {
                            // Not a guest's thread: a driver thread (or a thread the
                            // root server no longer knows). It stays stopped.
                            let role = if self.drivers.contains(&sender) { "driver" } else { "unknown" };
                            println!(
                                "[root] {role} thread {sender:#x} faulted: {} at {:#x}, pc {:#x}; left stopped",
                                servers::report::fault_kind(message.mr[0]),
                                message.mr[1],
                                message.mr[2]
                            );
                        }
                        None => {
                            message = PvMessage::new(0, &[PV_ERR_NO_PRIVILEGE]);
                            reply_to = sender;
                        }
                    }
                }
                if all_finished(self.guests.iter().flatten().map(|g| g.state)) {
                    if reply_to != PV_NIL_THREAD {
                        // SAFETY: `message` is a valid local.
                        unsafe { pv_send(reply_to, &mut message, PV_TIMEOUT_ZERO) };
                    }
                    self.close_consoles();
                    let code = self.exit.code();
                    println!("[root] all guests finished; shutting down with exit code {code}");
                    return code;
                }
            }
        }
    }

    #[unsafe(no_mangle)]
    extern "C" fn main() -> i32 {
        let info = boot_info();
        if info.magic != PV_BOOT_INFO_MAGIC || info.abi_version != PV_ABI_VERSION {
            println!("[root] boot information is not from a matching kernel");
            return 2;
        }
        println!(
            "[root] ucvisor root server: {} boot modules, {} MiB free",
            info.module_count,
            info.free_memory_size / SECTION
        );
        let view_size = info.free_memory_size.min(RAM_VIEW_END - RAM_VIEW);
        if pv_map(my_space(), RAM_VIEW, info.free_memory_base, view_size, PV_MAP_READ | PV_MAP_WRITE) != PV_OK {
            println!("[root] cannot map the free RAM into the root server's space");
            return 2;
        }
        let modules = &info.modules[..info.module_count.min(PV_MAX_BOOT_MODULES) as usize];
        let mut names = [""; PV_MAX_BOOT_MODULES as usize];
        for (name, module) in names.iter_mut().zip(modules) {
            *name = name_text(&module.name).unwrap_or("?");
        }
        let names = &names[..modules.len()];
        let module = |name: &str| modules.iter().find(|m| name_text(&m.name) == Some(name));

        // The system description.
        let config = match module(PV_SYSTEM_MODULE) {
            Some(description) => {
                let config = system::decode(module_bytes(description));
                match config.and_then(|config| system::validate(&config, names).map(|()| config)) {
                    Ok(config) => {
                        let name = name_text(&config.name).unwrap_or("?");
                        let plural = if config.guest_count == 1 { "" } else { "s" };
                        println!(
                            "[root] system `{name}`: {} guest{plural}, from the `system` module",
                            config.guest_count
                        );
                        config
                    }
                    Err(error) => {
                        println!("[root] bad `system` module: {error}");
                        return 2;
                    }
                }
            }
            None => {
                // The fallback exists for images built without a description
                // (until the image build writes a `system` module for every
                // image): every boot module after `drivers` is a guest.
                let fallback = system::fallback("", names);
                println!(
                    "[root] no `system` module: every boot module after `drivers` is a guest (priority \
                     {FALLBACK_PRIORITY}, {FALLBACK_MEMORY_KIB} KiB, on_fault stop), console input to the first"
                );
                if fallback.left_out > 0 {
                    println!("[root] {} boot modules left out: at most {PV_MAX_GUESTS} guests", fallback.left_out);
                }
                if let Err(error) = system::validate(&fallback.config, names) {
                    println!("[root] cannot run the boot modules as guests: {error}");
                    return 2;
                }
                fallback.config
            }
        };

        let mut root = Root {
            ram: Ram::new(info.free_memory_base, view_size),
            ram_base: info.free_memory_base,
            ram_view_size: view_size,
            v_timer: PV_NIL_THREAD,
            v_serial: PV_NIL_THREAD,
            drivers: [PV_NIL_THREAD; 2],
            driver_space: 0,
            guests: [const { None }; PV_MAX_GUESTS as usize],
            console_input: config.console_input,
            exit: ExitCode::new(),
            last_step_us: 0,
            counter_frequency: u64::from(counter_frequency()),
        };

        // The driver domain: v_timer and v_serial, two threads of the `drivers` program.
        let Some(drivers) = module(DRIVERS_MODULE) else {
            println!("[root] no `drivers` module in the boot image");
            return 2;
        };
        if let Err(why) = root.start_drivers(module_bytes(drivers), info) {
            println!("[root] cannot start the drivers: {why}");
            return 2;
        }

        // Every guest's image is checked and its RAM reserved (a region of its
        // own), then every region is cleared and loaded, then the guests are
        // started: no guest runs while another is loaded.
        // What the guests take of the kernel's pools, all running at once,
        // must fit what is left of them now that the root server and the
        // drivers run: no guest can then find a pool empty because of another.
        let boot = kernel_info();
        let mut demand = Demand::default();
        for guest in &config.guests[..config.guest_count as usize] {
            let bytes = module(system::module_name(guest)).map_or(&[][..], module_bytes);
            demand.threads += guest.threads;
            demand.spaces += 1;
            demand.l2_tables += inspect(bytes).map_or(0, |image| l2_tables_needed(bytes, &image));
        }
        if let Err(shortage) = pools_fit(&boot, demand) {
            println!("[root] bad `system` module: {shortage}");
            return 2;
        }
        println!("[root] kernel pools after boot: {}", KernelPools(&boot));
        for (number, guest) in config.guests[..config.guest_count as usize].iter().enumerate() {
            let bytes = module(system::module_name(guest)).map_or(&[][..], module_bytes);
            let size = guest.memory_kib * 1024;
            let reserved = inspect(bytes).and_then(|image| {
                let needed = image.size + SECTION;
                if needed > size {
                    return Err(Refusal::Memory { needed_kib: needed / 1024, memory_kib: guest.memory_kib });
                }
                let base = root.ram.take(size).map_err(|out| Refusal::Ram { left_kib: out.left / 1024 })?;
                Ok((image, Region::new(base, size)))
            });
            root.guests[number] = Some(Guest {
                config: *guest,
                module: bytes,
                image: reserved.as_ref().ok().map(|(image, _)| *image),
                region: reserved.as_ref().map_or(Region::new(0, 0), |(_, region)| *region),
                space: 0,
                threads: [PV_NIL_THREAD; GUEST_MAX_THREADS],
                state: GuestState::Running,
                history: RestartHistory::new(),
                reload: Reload::default(),
                log_limit: LogLimit::new(),
            });
            if let Err(why) = reserved {
                root.not_started(number, &why);
            }
        }
        for guest in root.guests.iter().flatten() {
            if let (GuestState::Running, Some(image)) = (guest.state, &guest.image) {
                root.load(&guest.region, guest.module, image);
            }
        }
        for number in 0..root.guests.len() {
            if root.guests[number].as_ref().is_some_and(|g| g.state == GuestState::Running)
                && let Err(why) = root.start_guest(number, true)
            {
                root.not_started(number, &why);
            }
        }
        if !root.guests.iter().flatten().any(|g| g.state == GuestState::Running) {
            println!("[root] no guest to run");
            return 2;
        }
        let code = root.serve();
        // Every guest's threads and space go back to the kernel: its pools
        // must then hold exactly what they held before the first guest
        // started, whatever the guests did (a failed request that kept
        // something would show here).
        for number in 0..root.guests.len() {
            if root.guests[number].is_some() {
                root.end_guest(number, true);
            }
        }
        let end = kernel_info();
        let verdict = if end == boot { "as after boot" } else { "LEAKED: not as after boot" };
        println!("[root] kernel pools at the end: {} ({verdict})", KernelPools(&end));
        code as i32
    }
}
