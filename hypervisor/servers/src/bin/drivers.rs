// SPDX-License-Identifier: MIT OR Apache-2.0
//! The driver domain: `v_timer` (owns the virtual timer) and `v_serial` (owns the
//! PL011). The root server starts two threads at this program's entry; the
//! startup message tells each which server it is. v_serial's console logic
//! (domains, tagged lines, input rights) is `servers::console`, tested on the host.
#![cfg_attr(target_os = "none", no_std, no_main)]

/// On the host the drivers are only a stub: they are an ARM user program, and
/// the workspace builds this crate on the host to test the servers' library.
#[cfg(not(target_os = "none"))]
fn main() {
    eprintln!("the driver domain is an ARM user program: build it with `--target armv7a-none-eabi`");
}

#[cfg(target_os = "none")]
mod drivers {
    use arm_pl011_uart::{Interrupts, Uart, UniqueMmioPointer};
    use core::ptr::NonNull;
    use paravirt_api::guest::*;
    use paravirt_api::tick::{TickSchedule, highest_rate};
    use paravirt_api::*;
    use servers::console::{Console, Receiver};
    use servers::log_limit::{LeftOut, LogLimit};
    use servers::timer::{self, Client, KernelTicks};
    use user_rt::println;

    const MAX_CLIENTS: usize = 8;

    /// The PL011's receiver, as the console drains it.
    struct Pl011Receiver<'a, 'u>(&'a mut Uart<'u>);

    impl Receiver for Pl011Receiver<'_, '_> {
        fn clear_receive_interrupt(&mut self) {
            self.0.clear_interrupts(Interrupts::RXI | Interrupts::RTI);
        }
        fn read_byte(&mut self) -> Option<u8> {
            // A receive error (framing, parity, break, overrun) ends the drain
            // like an empty receiver: the bytes before it are kept.
            self.0.read_word().ok().flatten()
        }
    }

    /// The kernel's tick schedules (`PV_SYS_TICK_SCHEDULE`; this space is
    /// granted the timer, so the kernel lets v_timer use them).
    struct Kernel;

    impl KernelTicks for Kernel {
        fn start(&mut self, thread: PvThreadId, rate: u32, start: u64) -> bool {
            pv_tick_start(thread, rate, start) == PV_OK
        }
        fn stop(&mut self, thread: PvThreadId) -> u32 {
            let mut ticks = 0;
            // SAFETY: `ticks` is a valid local.
            if unsafe { pv_tick_stop(thread, &mut ticks) } == PV_OK { ticks } else { 0 }
        }
        fn count(&mut self, thread: PvThreadId) -> Option<u32> {
            let mut ticks = 0;
            // SAFETY: `ticks` is a valid local.
            (unsafe { pv_tick_count(thread, &mut ticks) } == PV_OK).then_some(ticks)
        }
    }

    #[unsafe(no_mangle)]
    extern "C" fn main() -> i32 {
        let mut startup = PvMessage::new(0, &[]);
        let mut root = 0;
        // SAFETY: `startup` and `root` are valid locals.
        let result = unsafe { pv_receive(PV_ANY_THREAD, &mut startup, PV_TIMEOUT_NEVER, &mut root) };
        if result != PV_OK || startup.tag >> PV_TAG_LABEL_SHIFT != PV_LABEL_STARTUP {
            println!("[drivers] no startup message ({result:#x})");
            user_rt::block_forever();
        }
        match startup.mr[0] {
            0 => v_timer(startup.mr[1], startup.mr[2]),
            _ => v_serial(startup.mr[1], startup.mr[2], root),
        }
    }

    /// v_timer: one hardware timer multiplexed into periodic ticks for each client,
    /// each at the rate it asked for. Every client's deadlines come from its
    /// `TickSchedule` (tick `n` at `start + n × frequency / rate`, exact in the long
    /// run). The timer is armed for the earliest client deadline; at each interrupt
    /// every client that reached a deadline is notified (`pv_notify`, which never
    /// blocks: a client that never receives delays neither v_timer nor any other
    /// client, and requests are served between any two interrupts). The
    /// notification carries no count: the client keeps the same schedule (its
    /// start and frequency come in the reply to its request) and passes the
    /// ticks due by the counter itself, so a client that falls behind loses no
    /// tick. Clients are bound to the domain that registered them
    /// (`servers::timer`): a request names only the sender's own thread or its
    /// own domain's clients. A direct guest's client (bound to
    /// virtual-interrupt words) is handed to the kernel once accepted: the
    /// kernel ticks it itself, without v_timer (`servers::timer`).
    fn v_timer(irq: u32, frequency: u32) -> ! {
        let mut clients: [Option<Client>; MAX_CLIENTS] = [None; MAX_CLIENTS];
        // The slots up to the last one in use: a timer interrupt looks at no
        // others (kept up to date as clients change; a stale value only means
        // a longer look).
        let mut used = 0;
        // Register messages only (`pv_*_registers`): no 65-word structure to
        // build, zero or copy per tick.
        let mut buffer = PvRegisterMessage::default();
        let highest = highest_rate(frequency);
        // Each space's budget of refusal messages (a hostile guest cannot flood the console).
        let mut log_limits = [LogLimit::new(); PV_MAX_SPACES as usize];
        // The clients one interrupt finds due (the first `count`): made once,
        // not zeroed again at every interrupt.
        let mut due = [PV_NIL_THREAD; MAX_CLIENTS];
        let irq_thread = pv_irq_thread(irq);
        println!("[v_timer] up: IRQ {irq}, counter at {frequency} Hz, rates 1..={highest} Hz");
        // Every kernel call below receives the next message into `buffer`;
        // `result` is the last one's. The kernel says which domain sent: the
        // state each request reaches is bound to it.
        arm(None);
        let mut result = reply_wait_registers(PV_NIL_THREAD, &mut buffer);
        loop {
            let (sender, sender_space) = (buffer.sender, buffer.sender_space);
            if result != PV_OK {
                result = reply_wait_registers(PV_NIL_THREAD, &mut buffer);
                continue;
            }
            if sender == irq_thread {
                // The pass over the clients finds the earliest deadline left
                // as it notifies them.
                let mut count = 0;
                let deadline = timer::expire(&mut clients[..used], virtual_counter(), &mut |client| {
                    due[count] = client;
                    count += 1;
                    PV_OK
                });
                // Re-armed past `now` before the interrupt is acknowledged
                // (by the call below), so that the line is low again when the
                // kernel unmasks it.
                arm(deadline);
                // The kernel reads nothing of an acknowledgement but its word
                // count, here 0: no message built.
                buffer.tag = 0;
                // Every client due is notified at once but the last, whose
                // notification goes with the acknowledgement and the wait.
                let Some((&last, others)) = due[..count].split_last() else {
                    result = reply_wait_registers(sender, &mut buffer);
                    continue;
                };
                for &client in others {
                    if pv_notify(client, PV_NOTIFY_TIMER_TICK) == PV_ERR_INVALID_THREAD {
                        timer::forget(&mut clients, client);
                    }
                }
                result = notify_wait_registers(last, PV_NOTIFY_TIMER_TICK, sender, &mut buffer);
                if result == PV_ERR_INVALID_THREAD {
                    // Its thread is gone (and nothing happened): the interrupt
                    // is acknowledged by the reply-wait below. (The timer may
                    // fire once early, for its deadline: nothing is due then.)
                    timer::forget(&mut clients, last);
                    used = slots_used(&clients);
                    result = reply_wait_registers(sender, &mut buffer);
                }
                continue;
            }
            let (label, words) = (buffer.tag >> PV_TAG_LABEL_SHIFT, buffer.mr);
            // Replies go out with timeout zero (`reply_wait_with_space`): a
            // client that does not wait for its reply loses it, nobody waits.
            let answer = match label {
                PV_TIMER_REQUEST_RATE => {
                    let start = virtual_counter();
                    match TickSchedule::new(start, frequency, words[0]) {
                        None => {
                            let limit =
                                log_limits.get_mut(sender_space as usize).and_then(|l| l.admit(pv_system_clock()));
                            if let Some(left_out) = limit {
                                println!(
                                    "[v_timer] refused {} ticks per second: the highest rate is {highest}{}",
                                    words[0],
                                    LeftOut(left_out)
                                );
                            }
                            [PV_ERR_INVALID_ARGUMENT, highest, 0, 0, 0]
                        }
                        Some(schedule) => {
                            let (notify, kernel) = (words[1], &mut Kernel);
                            match timer::request_with_kernel(
                                &mut clients,
                                sender,
                                sender_space,
                                notify,
                                start,
                                schedule,
                                kernel,
                            ) {
                                Ok(()) => [PV_OK, highest, start as u32, (start >> 32) as u32, frequency],
                                Err(code) => [code, highest, 0, 0, 0],
                            }
                        }
                    }
                }
                PV_TIMER_QUERY => match timer::query(&clients, sender_space, words[0], &mut Kernel) {
                    Ok(generated) => [PV_OK, generated, 0, 0, 0],
                    Err(code) => [code, 0, 0, 0, 0],
                },
                _ => [PV_ERR_INVALID_ARGUMENT, 0, 0, 0, 0],
            };
            // A request may have added, retuned or replaced a client.
            used = slots_used(&clients);
            arm(timer::next_deadline(&clients));
            buffer = PvRegisterMessage::new(0, &answer);
            result = reply_wait_registers(sender, &mut buffer);
        }
    }

    /// Arms the virtual timer for `deadline`, or stops it.
    fn arm(deadline: Option<u64>) {
        match deadline {
            Some(deadline) => set_virtual_timer_deadline(deadline),
            None => set_virtual_timer(None),
        }
    }

    /// How many slots of `clients` a pass over them must look at: up to the
    /// last one in use.
    fn slots_used(clients: &[Option<Client>]) -> usize {
        clients.iter().rposition(Option::is_some).map_or(0, |last| last + 1)
    }

    /// v_serial: console output for every guest, tagged and a whole line at a
    /// time, and console input to the one guest the system description names:
    /// v_serial keeps the input and notifies that guest's input thread
    /// (`PV_NOTIFY_SERIAL_INPUT`, never blocking), which takes the bytes with
    /// `PV_SERIAL_READ_INPUT` (the guest turns them into a virtual RX
    /// interrupt). Which thread writes for which guest, and who may take input,
    /// comes from the root server (`root`, the sender of the startup message).
    fn v_serial(irq: u32, uart_address: u32, root: PvThreadId) -> ! {
        let Some(registers) = NonNull::new(uart_address as usize as *mut _) else { user_rt::block_forever() };
        // SAFETY: the root server mapped the PL011's registers at `uart_address` in this
        // space as device memory; this thread is their only user.
        let mut uart = Uart::new(unsafe { UniqueMmioPointer::new(registers) });
        uart.set_interrupt_masks(Interrupts::RXI | Interrupts::RTI);
        let mut console = Console::new(root);
        let mut reply_to = PV_NIL_THREAD;
        let mut buffer = PvMessage::new(0, &[]);
        println!("[v_serial] up: IRQ {irq}");
        loop {
            let mut sender = 0;
            // Replies go out with timeout zero: nobody delays v_serial.
            let timeouts = pv_timeouts(PV_TIMEOUT_ZERO, PV_TIMEOUT_NEVER);
            // SAFETY: `buffer` and `sender` are valid locals.
            let result = unsafe { pv_ipc(reply_to, PV_ANY_THREAD, timeouts, &mut buffer, &mut sender) };
            reply_to = PV_NIL_THREAD;
            // Input arrived, or an input thread was attached: tell it.
            let mut input_event = false;
            if result == PV_OK {
                let label = buffer.tag >> PV_TAG_LABEL_SHIFT;
                let count = ((buffer.tag & PV_TAG_WORDS_MASK) as usize).min(buffer.mr.len());
                if sender == pv_irq_thread(irq) {
                    // Interrupt cleared first, then drained (see `take_receiver`).
                    input_event |= console.take_receiver(&mut Pl011Receiver(&mut uart));
                    let mut acknowledge = PvMessage::new(0, &[]);
                    // SAFETY: `acknowledge` is a valid local.
                    unsafe { pv_send(pv_irq_thread(irq), &mut acknowledge, PV_TIMEOUT_ZERO) };
                } else {
                    let mut out = |bytes: &[u8]| {
                        for &byte in bytes {
                            while uart.is_tx_fifo_full() {}
                            if byte == b'\n' {
                                uart.write_word(b'\r');
                                while uart.is_tx_fifo_full() {}
                            }
                            uart.write_word(byte);
                        }
                    };
                    let words = &buffer.mr[..count];
                    // MR0 the result code; a read of input adds MR1 count, MR2.. bytes.
                    let mut reply = [0u32; 2 + PV_SERIAL_CHUNK as usize / 4];
                    let mut reply_words = 1;
                    reply[0] = match label {
                        PV_SERIAL_WRITE => {
                            let length = words.first().map_or(usize::MAX, |&length| length as usize);
                            if length > PV_SERIAL_CHUNK as usize || 1 + length.div_ceil(4) > count {
                                PV_ERR_INVALID_ARGUMENT
                            } else {
                                let mut bytes = [0u8; PV_SERIAL_CHUNK as usize];
                                for (index, byte) in bytes[..length].iter_mut().enumerate() {
                                    *byte = (words[1 + index / 4] >> (8 * (index % 4))) as u8;
                                }
                                console.write(sender, &bytes[..length], &mut out)
                            }
                        }
                        PV_SERIAL_READ_INPUT => {
                            let mut bytes = [0u8; PV_SERIAL_CHUNK as usize];
                            match console.read_input(sender, &mut bytes) {
                                Ok(taken) => {
                                    reply[1] = taken as u32;
                                    for (index, byte) in bytes[..taken].iter().enumerate() {
                                        reply[2 + index / 4] |= u32::from(*byte) << (8 * (index % 4));
                                    }
                                    reply_words = 2 + taken.div_ceil(4);
                                    PV_OK
                                }
                                Err(code) => code,
                            }
                        }
                        PV_SERIAL_ATTACH_INPUT => match words.first() {
                            Some(&notify) => {
                                input_event = true;
                                console.attach_input(sender, notify)
                            }
                            None => PV_ERR_INVALID_ARGUMENT,
                        },
                        PV_SERIAL_DOMAIN => console.define(sender, words, &mut out),
                        PV_SERIAL_THREAD => console.add_thread(sender, words),
                        _ => PV_ERR_INVALID_ARGUMENT,
                    };
                    buffer = PvMessage::new(0, &reply[..reply_words]);
                    reply_to = sender;
                }
            }
            if let Some(input_client) = console.input_client().filter(|_| input_event && console.input_waiting()) {
                // The input guest's thread is gone (it restarts): the input
                // stays for its next attachment.
                if pv_notify(input_client, PV_NOTIFY_SERIAL_INPUT) == PV_ERR_INVALID_THREAD {
                    console.input_gone();
                }
            }
        }
    }
}
