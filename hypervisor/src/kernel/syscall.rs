// SPDX-License-Identifier: MIT OR Apache-2.0
//! System-call dispatch and argument checking. The caller's registers are in its
//! TCB; each call reads its arguments from there, checks every one of them, and
//! writes a `PV_*` result code into `r0` (results into `r1`...).

use super::*;
use crate::memory::page_table::{Access, MemoryKind};

impl Kernel {
    /// Handles the system call the current thread just made: what a
    /// fastpath can do entirely ([`Kernel::fast_system_call`]) there,
    /// everything else in [`Kernel::system_call_slow`].
    #[inline]
    pub fn system_call<M: Machine + ?Sized>(&mut self, machine: &mut M) {
        if self.fast_system_call(machine) == FastPath::Declined {
            self.system_call_slow(machine);
        }
    }

    /// Handles the system call the current thread just made, every call by
    /// the general path (the IPC fastpath's tests compare against it; the
    /// trap path calls it when [`Kernel::fast_system_call`] declined).
    #[inline(never)]
    pub fn system_call_slow<M: Machine + ?Sized>(&mut self, machine: &mut M) {
        self.restore_current();
        let caller = self.current;
        if caller == 0 {
            return;
        }
        // The register file is copied only for the calls that take it whole.
        let number = self.threads[caller].context.r[12];
        let r = |kernel: &Self| kernel.threads[caller].context.r;
        let r0 = self.threads[caller].context.r[0];
        // Who may make which call is defined once, in paravirt-api's hypercall
        // table: a root-only call from anyone else fails before its arguments
        // are looked at.
        if hypercalls::is_root_only(number) && !self.is_privileged(caller) {
            return self.set_result(caller, PV_ERR_NO_PRIVILEGE);
        }
        let outcome: KernelResult<[u32; 4]> = match number {
            PV_SYS_IPC => {
                self.sys_ipc(caller, machine);
                return;
            }
            PV_SYS_THREAD_SWITCH => self.sys_thread_switch(caller, r0),
            PV_SYS_EXCHANGE_REGISTERS => self.sys_exchange_registers(caller, r(self)),
            PV_SYS_THREAD_CONTROL => self.sys_thread_control(caller, r(self), machine),
            PV_SYS_SPACE_CONTROL => self.sys_space_control(r(self), machine),
            PV_SYS_MAP => self.sys_map(r(self), machine),
            PV_SYS_UNMAP => self.sys_unmap(r(self), machine),
            PV_SYS_INTERRUPT_CONTROL => self.sys_interrupt_control(r(self), machine),
            PV_SYS_SYSTEM_CLOCK => {
                let microseconds = self.system_clock_us(machine.now());
                Ok([microseconds as u32, (microseconds >> 32) as u32, 0, 0])
            }
            PV_SYS_DEBUG_WRITE => {
                let length = self.threads[caller].context.r[1];
                self.sys_debug_write(caller, r0, length, machine)
            }
            PV_SYS_SHUTDOWN => {
                self.shutdown = Some(r0);
                Ok([0; 4])
            }
            PV_SYS_THREAD_SELF => {
                Ok([self.thread_id(caller), self.threads[caller].space as u32, Self::utcb_address(caller), 0])
            }
            PV_SYS_SET_PRIORITY => self.sys_set_priority(r(self)),
            PV_SYS_NOTIFY => {
                // r3 only counts with a receive phase: `pv_notify`'s stub
                // leaves the call number there.
                let [_, bits, from, acknowledge, ..] = r(self);
                if from == PV_NIL_THREAD {
                    self.sys_notify(caller, r0, bits, machine)
                } else {
                    self.sys_notify_wait(caller, r0, bits, from, acknowledge, machine);
                    return;
                }
            }
            PV_SYS_VIRQ_BIND => self.sys_virq_bind(caller, r(self)),
            PV_SYS_TICK_SCHEDULE => self.sys_tick_schedule(caller, r(self), machine),
            PV_SYS_KERNEL_INFO => Ok(self.kernel_info().to_registers()),
            PV_SYS_CONTEXT_RESUME => match self.sys_context_resume(caller, r0, machine) {
                // Every register now comes from the frame: no result code.
                Ok(()) => return,
                Err(code) => Err(code),
            },
            _ => Err(PV_ERR_INVALID_SYSCALL),
        };
        let context = &mut self.threads[caller].context;
        match outcome {
            Ok([a, b, c, d]) => {
                // Word by word: a slice copy would be a memcpy call.
                context.r[0] = PV_OK;
                context.r[1] = a;
                context.r[2] = b;
                context.r[3] = c;
                context.r[4] = d;
            }
            Err(code) => context.r[0] = code,
        }
    }

    /// The line of interrupt pseudo-thread `id` (`PV_IRQ_THREAD_BASE` set) if
    /// `caller` is its handler; `PV_ERR_INVALID_THREAD` otherwise (no such
    /// line, or another thread's). The one check of every use of an
    /// interrupt ID: as a destination, a receive source, an acknowledgement.
    pub(super) fn handled_irq(&self, caller: usize, id: PvThreadId) -> KernelResult<u32> {
        let irq = id & !PV_IRQ_THREAD_BASE;
        match self.irqs.get(irq as usize) {
            Some(entry) if entry.handler == self.thread_id(caller) => Ok(irq),
            _ => Err(PV_ERR_INVALID_THREAD),
        }
    }

    /// Acknowledges interrupt `irq` (its handler checked by
    /// [`Kernel::handled_irq`]): unmasks its line if it is masked.
    pub(super) fn acknowledge_irq<M: Machine + ?Sized>(&mut self, irq: u32, machine: &mut M) {
        if self.irqs[irq as usize].masked {
            self.irqs[irq as usize].masked = false;
            machine.set_irq_enabled(irq, true);
        }
    }

    fn receive_source(&self, caller: usize, from: PvThreadId) -> KernelResult<Option<Source>> {
        match from {
            PV_NIL_THREAD => Ok(None),
            PV_ANY_THREAD => Ok(Some(Source::Any)),
            id if id & PV_IRQ_THREAD_BASE != 0 => match self.handled_irq(caller, id) {
                Ok(irq) => Ok(Some(Source::Irq(irq))),
                Err(code) => Err(code | PV_ERR_RECEIVE_PHASE),
            },
            id => match self.lookup_named(caller, id) {
                Ok(index) => Ok(Some(Source::Thread(self.thread_id(index)))),
                Err(code) => Err(code | PV_ERR_RECEIVE_PHASE),
            },
        }
    }

    fn sys_ipc<M: Machine + ?Sized>(&mut self, caller: usize, machine: &mut M) {
        let r = &self.threads[caller].context.r;
        let (to, from, timeouts, tag) = (r[0], r[1], r[2], r[3]);
        let (send_timeout, receive_timeout) = (timeouts >> 16, timeouts & 0xFFFF);
        // The send phase is checked first (destination, then message), then the
        // receive specifier; nothing happens unless both are valid.
        let destination = match to {
            PV_NIL_THREAD => None,
            id if id & PV_IRQ_THREAD_BASE != 0 => match self.handled_irq(caller, id) {
                Ok(irq) => Some(Err(irq)),
                Err(code) => return self.set_result(caller, code),
            },
            id => match self.lookup_named(caller, id) {
                Ok(destination) if destination == caller => {
                    return self.set_result(caller, PV_ERR_INVALID_ARGUMENT);
                }
                Ok(destination) => Some(Ok(destination)),
                Err(code) => return self.set_result(caller, code),
            },
        };
        if destination.is_some() && tag & PV_TAG_WORDS_MASK > PV_MAX_MESSAGE_WORDS {
            return self.set_result(caller, PV_ERR_TOO_LONG);
        }
        // Kernel-reserved labels mark what only the kernel sends (interrupts,
        // exception reports): no user thread may send one to a thread.
        if matches!(destination, Some(Ok(_))) && tag >> PV_TAG_LABEL_SHIFT >= PV_LABEL_KERNEL_BASE {
            return self.set_result(caller, PV_ERR_INVALID_ARGUMENT);
        }
        let source = match self.receive_source(caller, from) {
            Ok(source) => source,
            Err(code) => return self.set_result(caller, code),
        };
        match destination {
            Some(Ok(destination)) => {
                self.threads[caller].then_receive = source.map(|source| (source, receive_timeout));
                return self.send(caller, destination, send_timeout, machine);
            }
            Some(Err(irq)) => self.acknowledge_irq(irq, machine),
            None => {}
        }
        match source {
            Some(source) => self.receive(caller, source, receive_timeout, machine),
            None => self.set_result(caller, PV_OK),
        }
    }

    /// `PV_SYS_NOTIFY` with a receive phase, in the same kernel entry: notify
    /// `to` (the authority of [`Kernel::sys_notify`], an IPC send's), then
    /// acknowledge interrupt `acknowledge` (nil: none; the caller must be its
    /// handler, as for an acknowledgement by IPC), then receive from `from`
    /// (as the receive phase of `PV_SYS_IPC`, timeout never, the message in
    /// r0..r11). Exactly what the three calls would do one after
    /// the other, with the same checks: all three are checked first and
    /// nothing happens unless all are valid (a receive specifier's error
    /// carries `PV_ERR_RECEIVE_PHASE`). A device server's or Interrupt_loop's
    /// event loop in one kernel entry instead of two.
    fn sys_notify_wait<M: Machine + ?Sized>(
        &mut self,
        caller: usize,
        to: PvThreadId,
        bits: u32,
        from: PvThreadId,
        acknowledge: PvThreadId,
        machine: &mut M,
    ) {
        let target = match self.lookup_named(caller, to) {
            Ok(target) => target,
            Err(code) => return self.set_result(caller, code),
        };
        let irq = match acknowledge {
            PV_NIL_THREAD => None,
            id if id & PV_IRQ_THREAD_BASE != 0 => match self.handled_irq(caller, id) {
                Ok(irq) => Some(irq),
                Err(code) => return self.set_result(caller, code),
            },
            _ => return self.set_result(caller, PV_ERR_INVALID_ARGUMENT),
        };
        let source = match self.receive_source(caller, from) {
            Ok(source) => source,
            Err(code) => return self.set_result(caller, code),
        };
        self.notify(target, bits, machine);
        if let Some(irq) = irq {
            self.acknowledge_irq(irq, machine);
        }
        match source {
            Some(source) => self.receive(caller, source, PV_TIMEOUT_NEVER, machine),
            // Not reached: a nil specifier is a plain notify.
            None => self.set_result(caller, PV_OK),
        }
    }

    /// ThreadSwitch: `to` nil, the caller itself or a thread of its space that
    /// is not ready: yield (to the back of its priority's queue with a fresh
    /// timeslice, if a peer is ready). A ready thread of its own space: also
    /// donate the rest of the caller's timeslice to it (see
    /// [`Kernel::schedule`]). A thread of another space is refused as if it
    /// did not exist (`PV_ERR_INVALID_THREAD`): a domain never decides when
    /// another domain's thread runs, nor learns it exists.
    fn sys_thread_switch(&mut self, caller: usize, to: PvThreadId) -> KernelResult<[u32; 4]> {
        let donee = match to {
            PV_NIL_THREAD => None,
            id => {
                let target = self.lookup(id)?;
                if self.threads[target].space != self.threads[caller].space {
                    return Err(PV_ERR_INVALID_THREAD);
                }
                (target != caller && self.ready.contains(target)).then_some(target)
            }
        };
        // A donee switching on passes the donor's priority and time along.
        let (priority, left) = match self.donation {
            Some(donation) if donation.to == self.thread_id(caller) => (donation.priority, donation.left),
            _ => (self.threads[caller].priority, self.threads[caller].timeslice),
        };
        if self.ready.highest() == Some(caller) {
            self.requeue(caller);
        }
        self.donation = donee.map(|donee| Donation { to: self.thread_id(donee), priority, left });
        self.ready.mark_changed();
        Ok([0; 4])
    }

    /// Checks that `caller` may act on thread `target`: same space, or privileged.
    pub(super) fn may_control(&self, caller: usize, target: usize) -> bool {
        self.threads[caller].space == self.threads[target].space || self.is_privileged(caller)
    }

    /// ExchangeRegisters. A thread the caller may not control (another
    /// space's, unless the caller is privileged) is `PV_ERR_INVALID_THREAD`
    /// before anything else is looked at, exactly as a thread that does not
    /// exist: no answer tells a live foreign thread from none.
    fn sys_exchange_registers(&mut self, caller: usize, r: [u32; 13]) -> KernelResult<[u32; 4]> {
        let target = self.lookup(r[0])?;
        if !self.may_control(caller, target) {
            return Err(PV_ERR_INVALID_THREAD);
        }
        let known = PV_EXREG_SET_SP
            | PV_EXREG_SET_IP
            | PV_EXREG_SET_FLAGS
            | PV_EXREG_HALT
            | PV_EXREG_RESUME
            | PV_EXREG_ABORT_IPC;
        if r[1] & !known != 0 || (r[1] & PV_EXREG_HALT != 0 && r[1] & PV_EXREG_RESUME != 0) {
            return Err(PV_ERR_INVALID_ARGUMENT);
        }
        Ok(self.exchange_registers(target, r[1], r[2], r[3], r[4]))
    }

    fn sys_thread_control<M: Machine + ?Sized>(
        &mut self,
        caller: usize,
        r: [u32; 13],
        machine: &mut M,
    ) -> KernelResult<[u32; 4]> {
        match r[0] {
            PV_THREAD_CREATE => {
                let space = self.check_space(r[1])?;
                if r[2] > PV_PRIORITY_MAX {
                    return Err(PV_ERR_INVALID_ARGUMENT);
                }
                // The space's maximum controlled priority: refused, never clamped.
                if r[2] > self.max_priority_of_space(space) {
                    return Err(PV_ERR_NO_PRIVILEGE);
                }
                if r[3] != PV_NIL_THREAD {
                    self.lookup(r[3])?;
                }
                let index = self.thread_create(space, r[2] as u8, r[3], machine)?;
                Ok([self.thread_id(index), 0, 0, 0])
            }
            PV_THREAD_DELETE => {
                let target = self.lookup(r[1])?;
                if target == caller {
                    return Err(PV_ERR_INVALID_ARGUMENT);
                }
                self.thread_delete(target, machine);
                Ok([0; 4])
            }
            _ => Err(PV_ERR_INVALID_ARGUMENT),
        }
    }

    fn sys_space_control<M: Machine + ?Sized>(&mut self, r: [u32; 13], machine: &mut M) -> KernelResult<[u32; 4]> {
        match r[0] {
            PV_SPACE_CREATE => Ok([self.space_create(machine)? as u32, 0, 0, 0]),
            PV_SPACE_DELETE => {
                if r[1] as usize >= MAX_SPACES {
                    return Err(PV_ERR_INVALID_SPACE);
                }
                self.space_delete(r[1] as usize, machine)?;
                Ok([0; 4])
            }
            PV_SPACE_CONFIGURE => {
                let space = self.check_space(r[1])?;
                self.space_configure(space, r[2], r[3], r[4])?;
                Ok([0; 4])
            }
            _ => Err(PV_ERR_INVALID_ARGUMENT),
        }
    }

    /// Checks a user virtual range for map/unmap: page aligned, non-empty,
    /// inside the user window and clear of the kernel-managed areas.
    fn check_user_range(virtual_address: u32, size: u32) -> KernelResult<()> {
        if !virtual_address.is_multiple_of(PV_PAGE_SIZE) || !size.is_multiple_of(PV_PAGE_SIZE) || size == 0 {
            return Err(PV_ERR_INVALID_ARGUMENT);
        }
        let end = virtual_address.checked_add(size).ok_or(PV_ERR_BAD_ADDRESS)?;
        // The boot-info and UTCB sections at the top belong to the kernel.
        if virtual_address < PV_USER_BASE || end > PV_BOOT_INFO_ADDRESS {
            return Err(PV_ERR_BAD_ADDRESS);
        }
        Ok(())
    }

    /// What physical `physical..end` is: free RAM (normal memory), or device
    /// pages the platform lists, each of them, none DMA-capable. A device page
    /// that can reach memory by DMA would let its holder write anywhere, the
    /// kernel's own text included: nobody gets it (`PV_ERR_NO_PRIVILEGE`).
    fn physical_kind(&self, physical: usize, end: usize, device: bool) -> KernelResult<MemoryKind> {
        if physical >= self.layout.user_ram_base && end <= self.layout.ram_end {
            return if device { Err(PV_ERR_INVALID_ARGUMENT) } else { Ok(MemoryKind::Normal) };
        }
        let devices = self.layout.devices;
        if end - physical > devices.len() * PV_PAGE_SIZE as usize {
            return Err(PV_ERR_BAD_ADDRESS);
        }
        let mut dma = false;
        for page in (physical..end).step_by(PV_PAGE_SIZE as usize) {
            let listed = devices.iter().find(|listed| listed.base == page).ok_or(PV_ERR_BAD_ADDRESS)?;
            dma |= listed.dma_capable;
        }
        match (device, dma) {
            (false, _) => Err(PV_ERR_INVALID_ARGUMENT),
            (true, true) => Err(PV_ERR_NO_PRIVILEGE),
            (true, false) => Ok(MemoryKind::Device),
        }
    }

    fn sys_map<M: Machine + ?Sized>(&mut self, r: [u32; 13], machine: &mut M) -> KernelResult<[u32; 4]> {
        let (space, virtual_address, physical, size, rights) = (r[0], r[1], r[2], r[3], r[4]);
        let space = self.check_space(space)?;
        Self::check_user_range(virtual_address, size)?;
        let known = PV_MAP_READ | PV_MAP_WRITE | PV_MAP_EXECUTE | PV_MAP_DEVICE;
        if rights & !known != 0 || rights & (PV_MAP_READ | PV_MAP_WRITE | PV_MAP_EXECUTE) == 0 {
            return Err(PV_ERR_INVALID_ARGUMENT);
        }
        if !physical.is_multiple_of(PV_PAGE_SIZE) {
            return Err(PV_ERR_INVALID_ARGUMENT);
        }
        let (physical, size) = (physical as usize, size as usize);
        let end = physical.checked_add(size).ok_or(PV_ERR_BAD_ADDRESS)?;
        let kind = self.physical_kind(physical, end, rights & PV_MAP_DEVICE != 0)?;
        let access = match (rights & PV_MAP_WRITE != 0, rights & PV_MAP_EXECUTE != 0) {
            (true, true) => Access::UserAll,
            (true, false) => Access::UserData,
            (false, true) => Access::UserCode,
            (false, false) => Access::UserReadOnly,
        };
        let access =
            if kind == MemoryKind::Device && access != Access::UserReadOnly { Access::UserData } else { access };
        let (table, pool) = self.edit_tables(space);
        table.map(pool, virtual_address as usize, physical, size, kind, access).map_err(map_error)?;
        if matches!(access, Access::UserCode | Access::UserAll) {
            machine.sync_instruction_fetch(physical, size);
        }
        machine.flush_asid(Self::asid(space));
        Ok([0; 4])
    }

    fn sys_unmap<M: Machine + ?Sized>(&mut self, r: [u32; 13], machine: &mut M) -> KernelResult<[u32; 4]> {
        let space = self.check_space(r[0])?;
        Self::check_user_range(r[1], r[2])?;
        let (table, pool) = self.edit_tables(space);
        table.unmap(pool, r[1] as usize, r[2] as usize).map_err(map_error)?;
        machine.flush_asid(Self::asid(space));
        Ok([0; 4])
    }

    fn sys_interrupt_control<M: Machine + ?Sized>(&mut self, r: [u32; 13], machine: &mut M) -> KernelResult<[u32; 4]> {
        let irq = r[0];
        if irq as usize >= IRQ_LIMIT || self.layout.reserved_irqs.contains(&irq) {
            return Err(PV_ERR_INVALID_ARGUMENT);
        }
        let entry = self.irqs[irq as usize];
        // Deleting a thread clears its entries, so a handler is always live.
        let current = self.lookup(entry.handler).ok();
        if r[1] == PV_NIL_THREAD {
            if let Some(handler) = current {
                if entry.pending {
                    self.threads[handler].pending_irqs -= 1;
                }
                self.irqs[irq as usize] = IrqEntry { handler: PV_NIL_THREAD, pending: false, masked: true };
                machine.set_irq_enabled(irq, false);
            }
            return Ok([0; 4]);
        }
        let handler = self.thread_id(self.lookup(r[1])?);
        match current {
            Some(_) if entry.handler != handler => return Err(PV_ERR_BUSY),
            Some(_) => {}
            None => {
                self.irqs[irq as usize] = IrqEntry { handler, pending: false, masked: false };
                machine.set_irq_enabled(irq, true);
            }
        }
        Ok([0; 4])
    }

    fn sys_debug_write<M: Machine + ?Sized>(
        &mut self,
        caller: usize,
        address: u32,
        length: u32,
        machine: &mut M,
    ) -> KernelResult<[u32; 4]> {
        if length > PV_DEBUG_WRITE_MAX {
            return Err(PV_ERR_TOO_LONG);
        }
        let mut buffer = [0u8; PV_DEBUG_WRITE_MAX as usize];
        self.copy_from_user(caller, address, &mut buffer[..length as usize], machine)?;
        machine.console_write(&buffer[..length as usize]);
        Ok([0; 4])
    }

    /// Copies `buffer.len()` bytes from the caller's virtual `address`, checking
    /// every page against the caller's translation table: readable by the
    /// caller and ordinary memory, never a device.
    fn copy_from_user<M: Machine + ?Sized>(
        &self,
        caller: usize,
        address: u32,
        buffer: &mut [u8],
        machine: &M,
    ) -> KernelResult<()> {
        let length = buffer.len() as u32;
        let end = address.checked_add(length).ok_or(PV_ERR_BAD_ADDRESS)?;
        if length > 0 && end > PV_USER_TOP {
            return Err(PV_ERR_BAD_ADDRESS);
        }
        let mut physical = 0;
        for (offset, byte) in buffer.iter_mut().enumerate() {
            let virtual_address = address + offset as u32;
            if offset == 0 || virtual_address.is_multiple_of(PV_PAGE_SIZE) {
                physical = self.user_readable(caller, virtual_address)?;
            } else {
                physical += 1;
            }
            let word = machine.read_word(self.layout.ram_word(physical & !3).ok_or(PV_ERR_BAD_ADDRESS)?);
            *byte = (word >> ((physical & 3) * 8)) as u8;
        }
        Ok(())
    }

    /// The physical address behind the caller's `virtual_address` if the
    /// caller may read it and it is ordinary memory: the kernel never reads a
    /// device for a user (a read can have side effects, and an unbacked device
    /// address faults), whatever the caller may touch itself.
    fn user_readable(&self, caller: usize, virtual_address: u32) -> KernelResult<usize> {
        match self.tables.translate(self.threads[caller].space, virtual_address as usize) {
            Some(translation) if translation.user_read && translation.kind == MemoryKind::Normal => {
                Ok(translation.physical)
            }
            _ => Err(PV_ERR_BAD_ADDRESS),
        }
    }

    /// `PV_SYS_CONTEXT_RESUME`: the caller continues from the `PvContextFrame` at
    /// `address` in its own space. Nothing changes unless the whole frame is
    /// readable RAM; the exception return then restores everything, the IT and E
    /// bits included.
    fn sys_context_resume<M: Machine + ?Sized>(
        &mut self,
        caller: usize,
        address: u32,
        machine: &M,
    ) -> KernelResult<()> {
        let mut frame = [0u32; PV_CONTEXT_FRAME_SIZE as usize / 4];
        self.read_user_words(caller, address, &mut frame, machine)?;
        let context = &mut self.threads[caller].context;
        context.r.copy_from_slice(&frame[..13]);
        context.lr = frame[13];
        context.sp = address + PV_CONTEXT_FRAME_SIZE;
        // Thumb from bit 0 of pc, then the flags (IT included) from the frame.
        context.redirect(frame[15]);
        context.set_flags(frame[14]);
        Ok(())
    }

    /// Reads `words.len()` words at the caller's virtual `address`: word aligned,
    /// below `PV_USER_TOP`, readable by the caller in its own space and ordinary
    /// memory (never a device); one translation per page.
    fn read_user_words<M: Machine + ?Sized>(
        &self,
        caller: usize,
        address: u32,
        words: &mut [u32],
        machine: &M,
    ) -> KernelResult<()> {
        if !address.is_multiple_of(4) {
            return Err(PV_ERR_BAD_ADDRESS);
        }
        let length = u32::try_from(words.len() * 4).map_err(|_| PV_ERR_BAD_ADDRESS)?;
        let end = address.checked_add(length).ok_or(PV_ERR_BAD_ADDRESS)?;
        if end > PV_USER_TOP {
            return Err(PV_ERR_BAD_ADDRESS);
        }
        let mut physical = 0;
        for (index, word) in words.iter_mut().enumerate() {
            let virtual_address = address + index as u32 * 4;
            if index == 0 || virtual_address.is_multiple_of(PV_PAGE_SIZE) {
                physical = self.user_readable(caller, virtual_address)?;
            } else {
                physical += 4;
            }
            *word = machine.read_word(self.layout.ram_word(physical).ok_or(PV_ERR_BAD_ADDRESS)?);
        }
        Ok(())
    }

    fn sys_set_priority(&mut self, r: [u32; 13]) -> KernelResult<[u32; 4]> {
        let target = self.lookup(r[0])?;
        if r[1] > PV_PRIORITY_MAX {
            return Err(PV_ERR_INVALID_ARGUMENT);
        }
        // The space's maximum controlled priority: refused, never clamped.
        if r[1] > self.max_priority_of_space(self.threads[target].space) {
            return Err(PV_ERR_NO_PRIVILEGE);
        }
        let queued = self.ready.contains(target);
        self.ready.remove(target);
        self.threads[target].priority = r[1] as u8;
        if queued {
            self.enqueue(target);
        }
        Ok([0; 4])
    }
}
