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
    use servers::console::Console;
    use servers::timer::{self, Client};
    use user_rt::println;

    /// A notification waits at most this long (ms) for the client to receive.
    const NOTIFY_TIMEOUT_MS: u32 = 2;
    /// Console input its client did not take is offered again after at most
    /// this long (ms), event or not.
    const INPUT_RETRY_MS: u32 = 1;
    const MAX_CLIENTS: usize = 8;

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
    /// every client that reached its deadline is owed the number of ticks that fell
    /// due, and the owed count travels in the next notification that gets through,
    /// so a client that falls behind loses no tick. Clients are bound to the
    /// domain that registered them (`servers::timer`): a request names only the
    /// sender's own thread or its own domain's clients.
    fn v_timer(irq: u32, frequency: u32) -> ! {
        let mut clients: [Option<Client>; MAX_CLIENTS] = [None; MAX_CLIENTS];
        let mut reply_to = PV_NIL_THREAD;
        // Register messages only (`pv_*_registers`): no 65-word structure to
        // build, zero or copy per tick.
        let mut buffer = PvRegisterMessage::default();
        let highest = highest_rate(frequency);
        println!("[v_timer] up: IRQ {irq}, counter at {frequency} Hz, rates 1..={highest} Hz");
        loop {
            match clients.iter().flatten().map(|c| c.schedule.next_deadline()).min() {
                Some(deadline) => set_virtual_timer_deadline(deadline),
                None => set_virtual_timer(None),
            }
            // The kernel says which domain sent: the state each request reaches is bound to it.
            let result = reply_wait_registers(reply_to, &mut buffer);
            let (sender, sender_space) = (buffer.sender, buffer.sender_space);
            reply_to = PV_NIL_THREAD;
            if result != PV_OK {
                continue;
            }
            let label = buffer.tag >> PV_TAG_LABEL_SHIFT;
            let words = buffer.mr;
            if sender == pv_irq_thread(irq) {
                let now = virtual_counter();
                for client in clients.iter_mut().flatten() {
                    let due = client.schedule.advance(now);
                    client.generated = client.generated.wrapping_add(due);
                    client.owed = client.owed.saturating_add(due);
                }
                // Re-arm past `now` (lowers the line), then acknowledge the interrupt.
                if let Some(deadline) = clients.iter().flatten().map(|c| c.schedule.next_deadline()).min() {
                    set_virtual_timer_deadline(deadline);
                }
                let mut acknowledge = PvRegisterMessage::default();
                let send_only = |timeout| pv_timeouts(timeout, PV_TIMEOUT_ZERO);
                // SAFETY: `acknowledge` is a valid local.
                unsafe {
                    pv_ipc_registers(pv_irq_thread(irq), PV_NIL_THREAD, send_only(PV_TIMEOUT_ZERO), &mut acknowledge)
                };
                for slot in clients.iter_mut() {
                    let Some(client) = slot.as_mut().filter(|c| c.owed > 0) else { continue };
                    let mut tick = PvRegisterMessage::new(PV_LABEL_TIMER_TICK, &[client.owed, client.generated]);
                    // SAFETY: `tick` is a valid local.
                    match unsafe {
                        pv_ipc_registers(client.notify, PV_NIL_THREAD, send_only(NOTIFY_TIMEOUT_MS), &mut tick)
                    } {
                        PV_OK => client.owed = 0,
                        // The client's thread was deleted (its guest stopped, exited
                        // or restarts): its slot is free again.
                        PV_ERR_INVALID_THREAD => *slot = None,
                        _ => {}
                    }
                }
                continue;
            }
            let answer = match label {
                PV_TIMER_REQUEST_RATE => match TickSchedule::new(virtual_counter(), frequency, words[0]) {
                    None => {
                        println!("[v_timer] refused {} ticks per second: the highest rate is {highest}", words[0]);
                        [PV_ERR_INVALID_ARGUMENT, highest, 0]
                    }
                    Some(schedule) => match timer::request(&mut clients, sender, sender_space, words[1], schedule) {
                        Ok(()) => [PV_OK, highest, 0],
                        Err(code) => [code, highest, 0],
                    },
                },
                PV_TIMER_QUERY => match timer::query(&clients, sender_space, words[0]) {
                    Ok((generated, owed)) => [PV_OK, generated, owed],
                    Err(code) => [code, 0, 0],
                },
                _ => [PV_ERR_INVALID_ARGUMENT, 0, 0],
            };
            buffer = PvRegisterMessage::new(0, &answer);
            reply_to = sender;
        }
    }

    /// v_serial: console output for every guest, tagged and a whole line at a
    /// time, and console input to the one guest the system description names, as
    /// `PV_LABEL_SERIAL_INPUT` messages (the guest turns them into a virtual RX
    /// interrupt). Which thread writes for which guest, and who may take input,
    /// comes from the root server (`root`, the sender of the startup message).
    /// Input that cannot be delivered yet is kept and sent with the next event.
    fn v_serial(irq: u32, uart_address: u32, root: PvThreadId) -> ! {
        let Some(registers) = NonNull::new(uart_address as usize as *mut _) else { user_rt::block_forever() };
        // SAFETY: the root server mapped the PL011's registers at `uart_address` in this
        // space as device memory; this thread is their only user.
        let mut uart = Uart::new(unsafe { UniqueMmioPointer::new(registers) });
        uart.set_interrupt_masks(Interrupts::RXI | Interrupts::RTI);
        let mut console = Console::new(root);
        let mut pending = [0u8; 1024];
        let mut pending_length = 0usize;
        let mut reply_to = PV_NIL_THREAD;
        let mut buffer = PvMessage::new(0, &[]);
        println!("[v_serial] up: IRQ {irq}");
        loop {
            let mut sender = 0;
            // Input its client did not take (busy past the send timeout) is
            // tried again after at most INPUT_RETRY_MS, not only at the next
            // event: the last line typed may be the last event for a long time.
            let undelivered = pending_length > 0 && console.input_client().is_some();
            let receive_timeout = if undelivered { INPUT_RETRY_MS } else { PV_TIMEOUT_NEVER };
            let timeouts = pv_timeouts(PV_TIMEOUT_ZERO, receive_timeout);
            // SAFETY: `buffer` and `sender` are valid locals.
            let result = unsafe { pv_ipc(reply_to, PV_ANY_THREAD, timeouts, &mut buffer, &mut sender) };
            reply_to = PV_NIL_THREAD;
            if result == PV_OK {
                let label = buffer.tag >> PV_TAG_LABEL_SHIFT;
                let count = ((buffer.tag & PV_TAG_WORDS_MASK) as usize).min(buffer.mr.len());
                if sender == pv_irq_thread(irq) {
                    while let Ok(Some(byte)) = uart.read_word() {
                        if pending_length < pending.len() {
                            pending[pending_length] = byte;
                            pending_length += 1;
                        }
                    }
                    uart.clear_interrupts(Interrupts::RXI | Interrupts::RTI);
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
                    let code = match label {
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
                        PV_SERIAL_ATTACH_INPUT => match words.first() {
                            Some(&notify) => console.attach_input(sender, notify),
                            None => PV_ERR_INVALID_ARGUMENT,
                        },
                        PV_SERIAL_DOMAIN => console.define(sender, words, &mut out),
                        PV_SERIAL_THREAD => console.add_thread(sender, words),
                        _ => PV_ERR_INVALID_ARGUMENT,
                    };
                    buffer = PvMessage::new(0, &[code]);
                    reply_to = sender;
                }
            }
            if let Some(input_client) = console.input_client().filter(|_| pending_length > 0) {
                let chunk = pending_length.min(PV_SERIAL_CHUNK as usize);
                let mut words = [0u32; 1 + PV_SERIAL_CHUNK as usize / 4];
                words[0] = chunk as u32;
                for (index, byte) in pending[..chunk].iter().enumerate() {
                    words[1 + index / 4] |= u32::from(*byte) << (8 * (index % 4));
                }
                let mut input = PvMessage::new(PV_LABEL_SERIAL_INPUT, &words[..1 + chunk.div_ceil(4)]);
                // SAFETY: `input` is a valid local.
                match unsafe { pv_send(input_client, &mut input, NOTIFY_TIMEOUT_MS) } {
                    PV_OK => {
                        pending.copy_within(chunk..pending_length, 0);
                        pending_length -= chunk;
                    }
                    // The input guest's thread is gone (it restarts): keep the input
                    // for its next attachment.
                    PV_ERR_INVALID_THREAD => console.input_gone(),
                    _ => {}
                }
            }
        }
    }
}
