//! The root server (the paper's Iguana_Server): the first user program. It loads
//! the driver domain and every guest found in the boot image into protection
//! domains of their own, starts them, and serves their requests.
#![cfg_attr(target_os = "none", no_std, no_main)]

/// On the host the root server is only a stub: it is an ARM user program, and the
/// workspace builds this crate on the host to test the servers' library.
#[cfg(not(target_os = "none"))]
fn main() {
    eprintln!("the root server is an ARM user program: build it with `--target armv7a-none-eabi`");
}

#[cfg(target_os = "none")]
mod root {

    use paravirt_api::guest::*;
    use paravirt_api::*;
    use ucvisor_elf as elf;
    use user_rt::{boot_info, my_space, println};

    const SECTION: u32 = PV_SECTION_SIZE;
    /// Stack section of a domain's first thread(s).
    const STACK_BASE: u32 = 0x2000_0000;
    /// Memory sections handed out on request start here in each domain.
    const MEMSECTION_BASE: u32 = 0x2100_0000;
    /// Where the driver domain sees the UART.
    const DRIVER_UART_ADDRESS: u32 = 0x1000_0000;
    /// A window in the root's own space for filling memory before handing it out.
    const LOADER_WINDOW: u32 = 0x2800_0000;
    const MAX_DOMAINS: usize = 8;
    const MAX_THREADS: usize = 32;

    const DRIVER_PRIORITY_TIMER: u32 = 200;
    const DRIVER_PRIORITY_SERIAL: u32 = 190;
    /// A guest's first thread becomes its Interrupt_loop.
    const GUEST_FIRST_PRIORITY: u32 = 150;
    /// Highest priority a guest may ask for its further threads.
    const GUEST_MAX_PRIORITY: u32 = 149;

    #[derive(Clone, Copy)]
    struct Domain {
        space: u32,
        name: [u8; 24],
        next_address: u32,
        guest: bool,
        exited: Option<u32>,
        faulted: bool,
    }

    struct Root {
        free_next: u32,
        free_end: u32,
        domains: [Option<Domain>; MAX_DOMAINS],
        threads: [(PvThreadId, usize); MAX_THREADS],
    }

    fn name_of(name: &[u8; 24]) -> &str {
        let end = name.iter().position(|&b| b == 0).unwrap_or(name.len());
        core::str::from_utf8(&name[..end]).unwrap_or("?")
    }

    impl Root {
        fn take_sections(&mut self, count: u32) -> Option<u32> {
            let size = count.checked_mul(SECTION)?;
            if self.free_end - self.free_next < size {
                return None;
            }
            let base = self.free_next;
            self.free_next += size;
            Some(base)
        }

        /// Maps `count` sections at `physical` into the loader window, runs `fill`
        /// on them, and unmaps them again.
        fn fill(&mut self, physical: u32, count: u32, fill: impl FnOnce(&mut [u8])) -> bool {
            let size = count * SECTION;
            let me = my_space();
            if pv_map(me, LOADER_WINDOW, physical, size, PV_MAP_READ | PV_MAP_WRITE) != PV_OK {
                return false;
            }
            // SAFETY: the window was just mapped read/write for `size` bytes in this
            // space and nothing else refers to it until it is unmapped below.
            let window = unsafe { core::slice::from_raw_parts_mut(LOADER_WINDOW as usize as *mut u8, size as usize) };
            window.fill(0);
            fill(window);
            pv_unmap(me, LOADER_WINDOW, size) == PV_OK
        }

        /// Loads an ELF image into `space`; returns the image for symbol lookups.
        fn load<'a>(&mut self, space: u32, bytes: &'a [u8]) -> Result<elf::Image<'a>, &'static str> {
            let image = elf::Image::parse(bytes).map_err(|_| "not a loadable ARM ELF image")?;
            let (low, high) = image.extent().map_err(|_| "corrupt program headers")?;
            let base = low & !(SECTION - 1);
            if base < PV_USER_BASE || high > STACK_BASE {
                return Err("image outside the user program window");
            }
            let count = (high - base).div_ceil(SECTION);
            let physical = self.take_sections(count).ok_or("out of memory")?;
            let mut ok = true;
            self.fill(physical, count, |window| {
                for segment in image.segments().flatten() {
                    let offset = (segment.virtual_address - base) as usize;
                    let data = image.segment_bytes(&segment);
                    match window.get_mut(offset..offset + data.len()) {
                        Some(target) => target.copy_from_slice(data),
                        None => ok = false,
                    }
                }
            });
            if !ok {
                return Err("segment outside its mapping");
            }
            if pv_map(space, base, physical, count * SECTION, PV_MAP_READ | PV_MAP_WRITE | PV_MAP_EXECUTE) != PV_OK {
                return Err("cannot map the image");
            }
            Ok(image)
        }

        fn new_domain(&mut self, name: &str, guest: bool) -> Option<usize> {
            let slot = self.domains.iter().position(|d| d.is_none())?;
            let mut space = 0;
            // SAFETY: `space` is a valid local.
            if unsafe { pv_space_create(&mut space) } != PV_OK {
                return None;
            }
            let stack = self.take_sections(1)?;
            self.fill(stack, 1, |_| {});
            if pv_map(space, STACK_BASE, stack, SECTION, PV_MAP_READ | PV_MAP_WRITE) != PV_OK {
                return None;
            }
            let mut stored = [0u8; 24];
            let length = name.len().min(23);
            stored[..length].copy_from_slice(&name.as_bytes()[..length]);
            self.domains[slot] = Some(Domain {
                space,
                name: stored,
                next_address: MEMSECTION_BASE,
                guest,
                exited: None,
                faulted: false,
            });
            Some(slot)
        }

        fn create_thread(&mut self, domain: usize, priority: u32) -> Result<PvThreadId, u32> {
            let Some(space) = self.domains[domain].map(|d| d.space) else {
                return Err(PV_ERR_INVALID_SPACE);
            };
            let slot = self.threads.iter().position(|&(id, _)| id == PV_NIL_THREAD).ok_or(PV_ERR_NO_RESOURCES)?;
            let mut thread = 0;
            // SAFETY: `thread` is a valid local.
            let result = unsafe { pv_thread_create(space, priority, pv_thread_self(), &mut thread) };
            if result != PV_OK {
                return Err(result);
            }
            self.threads[slot] = (thread, domain);
            Ok(thread)
        }

        fn domain_of(&self, thread: PvThreadId) -> Option<usize> {
            self.threads.iter().find(|&&(id, _)| id == thread && id != PV_NIL_THREAD).map(|&(_, domain)| domain)
        }

        fn memsection(&mut self, domain: usize, size: u32) -> Result<u32, u32> {
            if size == 0 || size > 16 * SECTION {
                return Err(PV_ERR_INVALID_ARGUMENT);
            }
            let count = size.div_ceil(SECTION);
            let Some(mut record) = self.domains[domain] else {
                return Err(PV_ERR_INVALID_SPACE);
            };
            if record.next_address + count * SECTION > LOADER_WINDOW {
                return Err(PV_ERR_NO_RESOURCES);
            }
            let physical = self.take_sections(count).ok_or(PV_ERR_NO_RESOURCES)?;
            self.fill(physical, count, |_| {});
            let address = record.next_address;
            let result = pv_map(record.space, address, physical, count * SECTION, PV_MAP_READ | PV_MAP_WRITE);
            if result != PV_OK {
                return Err(result);
            }
            record.next_address += count * SECTION;
            self.domains[domain] = Some(record);
            Ok(address)
        }
    }

    fn send(to: PvThreadId, label: u32, words: &[u32]) -> u32 {
        let mut message = PvMessage::new(label, words);
        // SAFETY: `message` is a valid local.
        unsafe { pv_send(to, &mut message, 1000) }
    }

    fn module_bytes(module: &PvBootModule) -> &'static [u8] {
        // SAFETY: the kernel maps each boot module read-only at `address` for `size`
        // bytes in the root task's space for its whole life.
        unsafe { core::slice::from_raw_parts(module.address as usize as *const u8, module.size as usize) }
    }

    #[unsafe(no_mangle)]
    extern "C" fn main() -> i32 {
        let info = boot_info();
        if info.magic != PV_BOOT_INFO_MAGIC || info.abi_version != PV_ABI_VERSION {
            println!("[root] boot information is not from a matching kernel");
            return 2;
        }
        let mut root = Root {
            free_next: info.free_memory_base,
            free_end: info.free_memory_base + info.free_memory_size,
            domains: [None; MAX_DOMAINS],
            threads: [(PV_NIL_THREAD, 0); MAX_THREADS],
        };
        println!(
            "[root] ucvisor root server: {} boot modules, {} MiB free",
            info.module_count,
            info.free_memory_size / SECTION
        );
        let modules = &info.modules[..info.module_count.min(PV_MAX_BOOT_MODULES) as usize];

        // The driver domain: v_timer and v_serial, two threads of the `drivers` program.
        let Some(drivers) = modules.iter().find(|m| name_of(&m.name) == "drivers") else {
            println!("[root] no `drivers` module in the boot image");
            return 2;
        };
        let (v_timer, v_serial) = match start_drivers(&mut root, module_bytes(drivers), info) {
            Ok(threads) => threads,
            Err(why) => {
                println!("[root] cannot start the drivers: {why}");
                return 2;
            }
        };

        let mut guests = 0u32;
        for module in modules.iter().filter(|m| name_of(&m.name) != "drivers") {
            let name = name_of(&module.name);
            match start_guest(&mut root, name, module_bytes(module), v_timer, v_serial, guests) {
                Ok(()) => guests += 1,
                Err(why) => println!("[root] guest `{name}` not started: {why}"),
            }
        }
        if guests == 0 {
            println!("[root] no guest to run");
            return 2;
        }
        serve(&mut root)
    }

    fn start_drivers(
        root: &mut Root,
        bytes: &[u8],
        info: &PvBootInfo,
    ) -> Result<(PvThreadId, PvThreadId), &'static str> {
        let domain = root.new_domain("drivers", false).ok_or("no domain")?;
        let space = root.domains[domain].map(|d| d.space).ok_or("no domain")?;
        let image = root.load(space, bytes)?;
        let uart_section = info.uart_base & !(SECTION - 1);
        if pv_map(space, DRIVER_UART_ADDRESS, uart_section, SECTION, PV_MAP_READ | PV_MAP_WRITE | PV_MAP_DEVICE)
            != PV_OK
        {
            return Err("cannot map the UART");
        }
        let timer = root.create_thread(domain, DRIVER_PRIORITY_TIMER).map_err(|_| "thread")?;
        let serial = root.create_thread(domain, DRIVER_PRIORITY_SERIAL).map_err(|_| "thread")?;
        if pv_interrupt_control(info.timer_irq, timer) != PV_OK || pv_interrupt_control(info.uart_irq, serial) != PV_OK
        {
            return Err("cannot associate the device interrupts");
        }
        // Both threads start at the program's entry; the startup message names the role.
        for (thread, stack_top) in [(timer, STACK_BASE + SECTION / 2), (serial, STACK_BASE + SECTION)] {
            if pv_start_sp_ip(thread, stack_top, image.entry) != PV_OK {
                return Err("cannot start a driver thread");
            }
        }
        let uart_address = DRIVER_UART_ADDRESS + (info.uart_base - uart_section);
        if send(timer, PV_LABEL_STARTUP, &[0, info.timer_irq, info.timer_frequency]) != PV_OK
            || send(serial, PV_LABEL_STARTUP, &[1, info.uart_irq, uart_address]) != PV_OK
        {
            return Err("the drivers did not take their startup message");
        }
        println!("[root] driver domain up: v_timer {timer:#x}, v_serial {serial:#x}");
        Ok((timer, serial))
    }

    fn start_guest(
        root: &mut Root,
        name: &str,
        bytes: &[u8],
        v_timer: PvThreadId,
        v_serial: PvThreadId,
        number: u32,
    ) -> Result<(), &'static str> {
        let domain = root.new_domain(name, true).ok_or("no domain left")?;
        let started = load_and_start(root, domain, bytes, v_timer, v_serial, number);
        if started.is_err() {
            // The guest counts as failed: the run cannot end as a success.
            if let Some(record) = root.domains[domain].as_mut() {
                record.faulted = true;
            }
        }
        started
    }

    fn load_and_start(
        root: &mut Root,
        domain: usize,
        bytes: &[u8],
        v_timer: PvThreadId,
        v_serial: PvThreadId,
        number: u32,
    ) -> Result<(), &'static str> {
        let record = root.domains[domain].ok_or("no domain")?;
        let space = record.space;
        let image = root.load(space, bytes)?;
        let entry = image.symbol("_Start").unwrap_or(image.entry);
        let thread = root.create_thread(domain, GUEST_FIRST_PRIORITY).map_err(|_| "no thread")?;
        if pv_start_sp_ip(thread, STACK_BASE + SECTION, entry) != PV_OK {
            return Err("cannot start the guest");
        }
        if send(thread, PV_LABEL_STARTUP, &[v_timer, v_serial, number, STACK_BASE + SECTION]) != PV_OK {
            return Err("the guest did not take its startup message");
        }
        println!("[root] guest `{}` started in space {space} at _Start {entry:#x}", name_of(&record.name));
        Ok(())
    }

    /// Serves requests until every guest has exited, then shuts the machine down.
    fn serve(root: &mut Root) -> i32 {
        let mut reply_to = PV_NIL_THREAD;
        let mut reply = PvMessage::new(0, &[]);
        loop {
            let mut sender = 0;
            // SAFETY: `reply` and `sender` are valid locals.
            let result = unsafe { pv_reply_wait(reply_to, &mut reply, &mut sender) };
            reply_to = PV_NIL_THREAD;
            if result != PV_OK {
                continue;
            }
            let label = reply.tag >> PV_TAG_LABEL_SHIFT;
            let words = reply.mr;
            let Some(domain) = root.domain_of(sender) else {
                // Not a thread of a domain the root server made (an exception IPC
                // from such a thread is left unanswered: it stays stopped).
                if label != PV_LABEL_EXCEPTION {
                    reply = PvMessage::new(0, &[PV_ERR_NO_PRIVILEGE]);
                    reply_to = sender;
                }
                continue;
            };
            let answer: Option<[u32; 2]> = match label {
                PV_ROOT_THREAD_CREATE => Some(match root.create_thread(domain, words[0].min(GUEST_MAX_PRIORITY)) {
                    Ok(thread) => [PV_OK, thread],
                    Err(code) => [code, 0],
                }),
                PV_ROOT_MEMSECTION_CREATE => Some(match root.memsection(domain, words[0]) {
                    Ok(address) => [PV_OK, address],
                    Err(code) => [code, 0],
                }),
                PV_ROOT_INTERRUPT_ASSOCIATE => {
                    let info = boot_info();
                    let allowed = words[0] != info.timer_irq
                        && words[0] != info.uart_irq
                        && root.domain_of(words[1]) == Some(domain);
                    let code = if allowed { pv_interrupt_control(words[0], words[1]) } else { PV_ERR_NO_PRIVILEGE };
                    Some([code, 0])
                }
                PV_ROOT_EXIT => {
                    if let Some(record) = root.domains[domain].as_mut() {
                        record.exited = Some(words[0]);
                        println!("[root] guest `{}` exited with code {}", name_of(&record.name), words[0]);
                    }
                    Some([PV_OK, 0])
                }
                PV_ROOT_GUEST_ERROR => {
                    if let Some(record) = root.domains[domain].as_mut() {
                        record.faulted = true;
                        let mut name = [0u8; 4 * PV_GUEST_ERROR_NAME_WORDS as usize];
                        for (index, byte) in name.iter_mut().enumerate() {
                            *byte = (words[4 + index / 4] >> (8 * (index % 4))) as u8;
                        }
                        let length = name.iter().position(|&b| b == 0).unwrap_or(name.len());
                        let task = core::str::from_utf8(&name[..length]).unwrap_or("?");
                        match words[0] {
                            PV_GUEST_ERROR_STACK_OVERFLOW => println!(
                                "[root] guest `{}`: task {} `{task}` overflowed its stack (sp {:#x}, stack bottom {:#x}); guest stopped",
                                name_of(&record.name),
                                words[1],
                                words[2],
                                words[3]
                            ),
                            kind => {
                                println!(
                                    "[root] guest `{}`: runtime error {kind}; guest stopped",
                                    name_of(&record.name)
                                )
                            }
                        }
                    }
                    // No reply: the reporting thread stays stopped.
                    None
                }
                PV_LABEL_EXCEPTION => {
                    if let Some(record) = root.domains[domain].as_mut() {
                        record.faulted = true;
                        let kind = match words[0] {
                            PV_FAULT_DATA_ABORT => "data abort",
                            PV_FAULT_PREFETCH_ABORT => "prefetch abort",
                            _ => "undefined instruction",
                        };
                        println!(
                            "[root] guest `{}` thread {sender:#x} faulted: {kind} at {:#x}, pc {:#x}; thread stopped",
                            name_of(&record.name),
                            words[1],
                            words[2]
                        );
                    }
                    // No reply: the faulting thread stays stopped.
                    None
                }
                _ => Some([PV_ERR_INVALID_ARGUMENT, 0]),
            };
            if let Some(answer) = answer {
                reply = PvMessage::new(0, &answer);
                reply_to = sender;
            }
            let guests = root.domains.iter().flatten().filter(|d| d.guest);
            let all_done = guests.clone().all(|d| d.exited.is_some() || d.faulted);
            if all_done {
                let failed = root.domains.iter().flatten().any(|d| d.guest && d.faulted);
                let code = guests.filter_map(|d| d.exited).find(|&c| c != 0).unwrap_or(if failed { 3 } else { 0 });
                if reply_to != PV_NIL_THREAD {
                    // SAFETY: `reply` is a valid local.
                    unsafe { pv_send(reply_to, &mut reply, PV_TIMEOUT_ZERO) };
                }
                println!("[root] all guests finished; shutting down with exit code {code}");
                return code as i32;
            }
        }
    }
}
