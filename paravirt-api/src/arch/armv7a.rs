// SPDX-License-Identifier: MIT OR Apache-2.0
//! The ARMv7-A architecture layer of `paravirt-api`'s user side: the `svc`
//! stubs of the system-call ABI, the UTCB register read and the generic-timer
//! registers user mode may use. Every ARM instruction of this crate is here.

use core::arch::global_asm;

global_asm!(
    r#"
    .section .text.pv_trap, "ax"
    .arm
    .global pv_trap_registers
    .type pv_trap_registers, %function
    @ void pv_trap_registers(uint32_t regs[12], uint32_t number)
    @ Loads r0..r11 from regs, traps with r12 = number, stores r0..r11 back.
pv_trap_registers:
    push {{r0, r4-r11, lr}}
    mov r12, r1
    ldm r0, {{r0-r11}}
    svc #0
    ldr r12, [sp]
    stm r12, {{r0-r11}}
    pop {{r0, r4-r11, pc}}

    .global pv_trap_utcb
    .type pv_trap_utcb, %function
    @ void pv_trap_utcb(uint32_t io[4]): IPC with r0..r3 = io[0..3] (to, from,
    @ timeouts, tag) whose message words MR0..MR7 travel from and back to the
    @ caller's UTCB (MR8.. are there already), so the caller needs no message
    @ or register array on its stack. io[0..3] receive r0..r3 (result, sender,
    @ timeouts, received tag).
pv_trap_utcb:
    push {{r0, r4-r11, lr}}
    ldm r0, {{r0-r3}}
    mrc p15, 0, r12, c13, c0, 3
    ldm r12, {{r4-r11}}
    mov r12, #{ipc}
    svc #0
    mrc p15, 0, r12, c13, c0, 3
    stm r12, {{r4-r11}}
    ldr r12, [sp]
    stm r12, {{r0-r3}}
    pop {{r0, r4-r11, pc}}

    .global pv_trap_message
    .type pv_trap_message, %function
    @ uint64_t pv_trap_message(to, from, timeouts, uint32_t m[9]): IPC with
    @ r3..r11 = m[0..8] (the tag and MR0..MR7 of a PvMessage, which starts so),
    @ stored back after the trap; returns r0 (result) and r1 (sender) as r0:r1.
    @ Nothing on the stack but the callee-saved registers and the pointer.
pv_trap_message:
    push {{r3-r11, lr}}
    ldm r3, {{r3-r11}}
    mov r12, #{ipc}
    svc #0
    ldr r12, [sp]
    stm r12, {{r3-r11}}
    pop {{r3-r11, pc}}

    .global pv_trap_register_message
    .type pv_trap_register_message, %function
    @ uint32_t pv_trap_register_message(to, from, timeouts, PvRegisterMessage *m):
    @ IPC with r3..r11 = m->tag, m->mr[0..7]; afterwards m->sender,
    @ m->sender_space, m->tag, m->mr[0..7] = r1..r11; returns r0.
pv_trap_register_message:
    push {{r3-r11, lr}}
    add r12, r3, #8
    ldm r12, {{r3-r11}}
    mov r12, #{ipc}
    svc #0
    ldr r12, [sp]
    stm r12, {{r1-r11}}
    pop {{r3-r11, pc}}

    .global pv_trap_notify_wait
    .type pv_trap_notify_wait, %function
    @ uint32_t pv_trap_notify_wait(to, bits, acknowledge, PvRegisterMessage *message):
    @ Notify with a receive phase (r2 = PV_ANY_THREAD, r3 = acknowledge); on
    @ PV_OK *message holds r1..r11 (sender, its space, tag, words). Returns r0.
pv_trap_notify_wait:
    push {{r3-r11, lr}}
    mov r3, r2
    mvn r2, #0
    mov r12, #{notify}
    svc #0
    cmp r0, #0
    ldreq r12, [sp]
    stmeq r12, {{r1-r11}}
    pop {{r3-r11, pc}}

    .global pv_trap_pair
    .type pv_trap_pair, %function
    @ uint64_t pv_trap_pair(a0, a1, a2, number): as pv_trap_short, returning
    @ r0 and r1 as r0:r1 (a call's result code and first result).
pv_trap_pair:

    .global pv_trap_short
    .type pv_trap_short, %function
    @ uint32_t pv_trap_short(a0, a1, a2, number): r0..r2 in, r0 out. The kernel
    @ may write results to r1..r4; r4 is callee-saved, so keep it.
pv_trap_short:
    push {{r4, lr}}
    mov r12, r3
    svc #0
    pop {{r4, pc}}
"#,
    ipc = const crate::PV_SYS_IPC,
    notify = const crate::PV_SYS_NOTIFY,
);

unsafe extern "C" {
    fn pv_trap_registers(registers: *mut [u32; 12], number: u32);
    fn pv_trap_short(a0: u32, a1: u32, a2: u32, number: u32) -> u32;
    fn pv_trap_utcb(io: *mut [u32; 4]);
    fn pv_trap_message(to: u32, from: u32, timeouts: u32, message: *mut [u32; 9]) -> u64;
    fn pv_trap_register_message(to: u32, from: u32, timeouts: u32, message: *mut crate::PvRegisterMessage) -> u32;
    fn pv_trap_pair(a0: u32, a1: u32, a2: u32, number: u32) -> u64;
    fn pv_trap_notify_wait(to: u32, bits: u32, acknowledge: u32, message: *mut crate::PvRegisterMessage) -> u32;
}

/// IPC with the tag and MR0..MR7 in `message[0..9]` (a `PvMessage`'s first
/// nine words), moved through r3..r11 and written back from them after the
/// trap (the kernel leaves them as they were unless a message arrives);
/// returns (result, sender).
pub fn trap_message(to: u32, from: u32, timeouts: u32, message: &mut [u32; 9]) -> (u32, u32) {
    // SAFETY: the stub moves the nine words through r3..r11 and traps; it
    // preserves every callee-saved register.
    let pair = unsafe { pv_trap_message(to, from, timeouts, message) };
    (pair as u32, (pair >> 32) as u32)
}

/// IPC with a [`crate::PvRegisterMessage`]: its tag and words go in r3..r11;
/// afterwards it holds r1..r11 (sender, its space, tag, words). Returns r0.
pub fn trap_register_message(to: u32, from: u32, timeouts: u32, message: &mut crate::PvRegisterMessage) -> u32 {
    // SAFETY: as for `trap_message`, over the structure's eleven words.
    unsafe { pv_trap_register_message(to, from, timeouts, message) }
}

/// `PV_SYS_NOTIFY` with a receive phase from anyone (`PV_ANY_THREAD`) and
/// interrupt `acknowledge` (nil: none); on `PV_OK` `message` holds r1..r11
/// (sender, its space, tag, words), else it is untouched. Returns r0.
pub fn trap_notify_wait(to: u32, bits: u32, acknowledge: u32, message: &mut crate::PvRegisterMessage) -> u32 {
    // SAFETY: the stub moves the arguments through r0..r3, traps and writes
    // the structure's eleven words (a valid `&mut`) only on success; it
    // preserves every callee-saved register.
    unsafe { pv_trap_notify_wait(to, bits, acknowledge, message) }
}

/// System call with at most three arguments; returns r0 and r1.
pub fn trap_pair(number: u32, a0: u32, a1: u32, a2: u32) -> (u32, u32) {
    // SAFETY: as for `trap_short` (the same stub).
    let pair = unsafe { pv_trap_pair(a0, a1, a2, number) };
    (pair as u32, (pair >> 32) as u32)
}

/// IPC with the message in the caller's UTCB: `io` holds r0..r3 (to, from,
/// timeouts, tag) in and out (result, sender, timeouts, received tag);
/// MR0..MR(words-1) are read from the UTCB and the received message is left
/// there (MR0..MR7 included).
pub fn trap_utcb(io: &mut [u32; 4]) {
    // SAFETY: the stub moves `io` through r0..r3 and MR0..MR7 between the
    // caller's own UTCB (TPIDRURO, mapped in its space) and r4..r11, and traps;
    // it preserves every callee-saved register.
    unsafe { pv_trap_utcb(io) }
}

/// Performs system call `number` with `registers` as r0..r11, returning the
/// kernel's r0..r11 in place.
pub fn trap(number: u32, registers: &mut [u32; 12]) {
    // SAFETY: the stub only moves the array through registers and traps; the
    // kernel validates every argument and touches no user memory but what the
    // arguments name after checking them.
    unsafe { pv_trap_registers(registers, number) }
}

/// System call with at most three arguments and only a result code back.
pub fn trap_short(number: u32, a0: u32, a1: u32, a2: u32) -> u32 {
    // SAFETY: as for `trap`; r1..r11 are not results of calls made through this
    // stub, and the stub preserves every callee-saved register.
    unsafe { pv_trap_short(a0, a1, a2, number) }
}

/// Address of the calling thread's UTCB (TPIDRURO, written by the kernel).
pub fn utcb_address() -> usize {
    let value: usize;
    // SAFETY: reading TPIDRURO is allowed from user mode and has no side effect.
    unsafe { core::arch::asm!("mrc p15, 0, {}, c13, c0, 3", out(reg) value, options(nomem, nostack)) };
    value
}

/// Virtual counter (CNTVCT), readable from user mode once the kernel allows it.
pub fn virtual_counter() -> u64 {
    let (low, high): (u32, u32);
    // SAFETY: reading CNTVCT has no side effect; the kernel sets CNTKCTL.PL0VCTEN.
    unsafe {
        core::arch::asm!("isb", "mrrc p15, 1, {}, {}, c14", out(reg) low, out(reg) high, options(nomem, nostack))
    };
    (u64::from(high) << 32) | u64::from(low)
}

/// Frequency of the counters in Hz (CNTFRQ), readable from user mode once the
/// kernel allows a counter read.
pub fn counter_frequency() -> u32 {
    let value: u32;
    // SAFETY: reading CNTFRQ has no side effect; the kernel sets CNTKCTL.PL0VCTEN,
    // which also makes CNTFRQ readable at PL0.
    unsafe { core::arch::asm!("mrc p15, 0, {}, c14, c0, 0", out(reg) value, options(nomem, nostack)) };
    value
}

/// Arms the virtual timer `ticks` counter ticks from now with its interrupt
/// enabled; `None` stops it.
pub fn set_virtual_timer(ticks: Option<u32>) {
    match ticks {
        // SAFETY: CNTV_TVAL/CNTV_CTL are user-accessible once the kernel sets
        // CNTKCTL.PL0VTEN; they only control the virtual timer's interrupt line.
        Some(ticks) => unsafe {
            core::arch::asm!("mcr p15, 0, {}, c14, c3, 0", "mcr p15, 0, {}, c14, c3, 1", "isb",
                in(reg) ticks, in(reg) 1u32, options(nomem, nostack))
        },
        // SAFETY: as above.
        None => unsafe { core::arch::asm!("mcr p15, 0, {}, c14, c3, 1", "isb", in(reg) 0u32, options(nomem, nostack)) },
    }
}

/// Arms the virtual timer to fire when the virtual count reaches `deadline`
/// (CNTV_CVAL), interrupt enabled.
pub fn set_virtual_timer_deadline(deadline: u64) {
    // SAFETY: CNTV_CVAL/CNTV_CTL are user-accessible once the kernel sets
    // CNTKCTL.PL0VTEN; they only control the virtual timer's interrupt line.
    unsafe {
        core::arch::asm!("mcrr p15, 3, {}, {}, c14", "mcr p15, 0, {}, c14, c3, 1", "isb",
            in(reg) deadline as u32, in(reg) (deadline >> 32) as u32, in(reg) 1u32, options(nomem, nostack));
    }
}
