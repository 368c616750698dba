// SPDX-License-Identifier: MIT OR Apache-2.0
//! An interrupt delivered as IPC: the virtual timer (PPI 27) is associated with
//! a user thread, which programs the timer, receives each interrupt as a message
//! from the interrupt's pseudo-thread, and acknowledges it by replying.
#![no_std]
#![no_main]

use core::sync::atomic::{AtomicU32, Ordering};
use paravirt_api::*;
use user_programs::*;

static CHECKS: Checks = Checks::new();
static HANDLER_STACK: Stack<8192> = Stack::new();
static GOOD: AtomicU32 = AtomicU32::new(0);
static BAD: AtomicU32 = AtomicU32::new(0);
static ROOT: AtomicU32 = AtomicU32::new(0);

extern "C" fn handler() -> ! {
    let irq = boot_info().timer_irq;
    let period = boot_info().timer_frequency / 100;
    for _ in 0..3 {
        set_virtual_timer(Some(period));
        let (result, sender, message) = receive(pv_irq_thread(irq), PV_TIMEOUT_NEVER);
        // The line stays masked until acknowledged; quiet the timer before that.
        set_virtual_timer(None);
        let good = result == PV_OK
            && sender == pv_irq_thread(irq)
            && message.tag == pv_tag(PV_LABEL_INTERRUPT, 1)
            && message.mr[0] == irq;
        if good { &GOOD } else { &BAD }.fetch_add(1, Ordering::SeqCst);
        let mut acknowledge = user_programs::message(0, &[]);
        // SAFETY: `acknowledge` is a valid local.
        unsafe { pv_send(pv_irq_thread(irq), &mut acknowledge, PV_TIMEOUT_ZERO) };
    }
    send(ROOT.load(Ordering::SeqCst), &[GOOD.load(Ordering::SeqCst)]);
    user_rt::block_forever()
}

#[unsafe(no_mangle)]
extern "C" fn main() -> i32 {
    ROOT.store(pv_thread_self(), Ordering::SeqCst);
    let irq = boot_info().timer_irq;
    // The handler programs the virtual timer: the root task grants its own
    // space the timer's registers (no space has them by default).
    let access = pv_space_configure(my_space(), (1 << PV_MAX_SPACES) - 1, PV_PRIORITY_MAX, PV_SPACE_TIMER_ACCESS);
    check!(CHECKS, access == PV_OK, "the root's space granted the virtual timer");
    let mut thread = 0;
    // SAFETY: `thread` is a valid local.
    let result = unsafe { pv_thread_create(my_space(), 200, PV_NIL_THREAD, &mut thread) };
    check!(CHECKS, result == PV_OK, "handler thread created");
    check!(CHECKS, pv_interrupt_control(irq, thread) == PV_OK, "IRQ {irq} associated with the handler");
    check!(
        CHECKS,
        pv_interrupt_control(irq, pv_thread_self()) == PV_ERR_BUSY,
        "a second handler for the same IRQ is refused"
    );
    check!(
        CHECKS,
        pv_start_sp_ip(thread, HANDLER_STACK.top(), handler as *const () as usize as u32) == PV_OK,
        "handler started"
    );
    let (result, sender, message) = receive(thread, 5_000);
    check!(CHECKS, result == PV_OK && sender == thread, "the handler reported back ({result:#x})");
    check!(
        CHECKS,
        message.mr[0] == 3 && BAD.load(Ordering::SeqCst) == 0,
        "3 timer interrupts arrived as IPC from pseudo-thread {:#x} with label and IRQ number, each acknowledged",
        pv_irq_thread(irq)
    );
    check!(CHECKS, pv_interrupt_control(irq, PV_NIL_THREAD) == PV_OK, "IRQ detached");
    CHECKS.finish()
}
