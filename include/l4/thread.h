/* SPDX-License-Identifier: MIT OR Apache-2.0 */
/*
 * l4/thread.h: L4 thread operations over pv_exchange_registers,
 * pv_thread_switch, pv_system_clock and pv_set_priority.
 *
 * ExchangeRegisters takes the ucvisor control bits (L4_ExReg_* below are the
 * PV_EXREG_* values) and exchanges only SP, IP and flags: OKL4's
 * UserDefHandle and pager arguments do not exist. Functions that OKL4 declares
 * void return a word here: 1 on success, 0 on failure (then L4_ErrorCode()
 * says why); ignoring it is fine.
 */
#ifndef L4_THREAD_H
#define L4_THREAD_H

#include "types.h"

/* The calling thread (read from its UTCB, no system call). */
static inline L4_ThreadId_t L4_Myself(void)
{
    return L4_ThreadIdFromRaw(pv_utcb()->thread_id);
}

/* The calling thread's address-space ID (ucvisor addition). */
static inline L4_Word_t L4_MySpace(void)
{
    return pv_utcb()->space_id;
}

/* --- ExchangeRegisters ------------------------------------------------------------- */

#define L4_ExReg_sp PV_EXREG_SET_SP
#define L4_ExReg_ip PV_EXREG_SET_IP
#define L4_ExReg_sp_ip (PV_EXREG_SET_SP | PV_EXREG_SET_IP)
#define L4_ExReg_flags PV_EXREG_SET_FLAGS
#define L4_ExReg_sp_ip_flags (PV_EXREG_SET_SP | PV_EXREG_SET_IP | PV_EXREG_SET_FLAGS)
#define L4_ExReg_Halt PV_EXREG_HALT
#define L4_ExReg_Resume PV_EXREG_RESUME
#define L4_ExReg_AbortIPC PV_EXREG_ABORT_IPC
#define L4_ExReg_Start PV_EXREG_START

/* A thread's state as ExchangeRegisters reports it: PV_STATE_* bits. */
typedef struct {
    L4_Word_t raw;
} L4_ThreadState_t;

static inline L4_Bool_t L4_ThreadWasHalted(L4_ThreadState_t s)
{
    return (s.raw & PV_STATE_HALTED) != 0;
}

static inline L4_Bool_t L4_ThreadWasSending(L4_ThreadState_t s)
{
    return (s.raw & PV_STATE_SENDING) != 0;
}

static inline L4_Bool_t L4_ThreadWasReceiving(L4_ThreadState_t s)
{
    return (s.raw & PV_STATE_RECEIVING) != 0;
}

static inline L4_Bool_t L4_ThreadWasIpcing(L4_ThreadState_t s)
{
    return (s.raw & (PV_STATE_SENDING | PV_STATE_RECEIVING)) != 0;
}

/* Waiting on its exception handler (ucvisor addition). */
static inline L4_Bool_t L4_ThreadWasFaulted(L4_ThreadState_t s)
{
    return (s.raw & PV_STATE_FAULTED) != 0;
}

/* Applies `control` (L4_ExReg_*) with the new sp/ip/flags; the old values and
 * the state bits (PV_STATE_*) go to the out pointers, each may be NULL. Returns
 * `dest` on success, L4_nilthread on failure (L4_ErrorCode() says why:
 * PV_ERR_INVALID_THREAD, PV_ERR_INVALID_ARGUMENT, ...). */
static inline L4_ThreadId_t L4_ExchangeRegisters(L4_ThreadId_t dest, L4_Word_t control, L4_Word_t sp,
                                                 L4_Word_t ip, L4_Word_t flags, L4_Word_t *old_state,
                                                 L4_Word_t *old_sp, L4_Word_t *old_ip, L4_Word_t *old_flags)
{
    PvRegisters old = { 0, 0, 0, 0 };
    L4_Word_t result = pv_exchange_registers(dest.raw, control, sp, ip, flags, &old);
    if (L4_PvSetErrorCode(result) != PV_OK) {
        return L4_nilthread;
    }
    if (old_state != NULL) {
        *old_state = old.state;
    }
    if (old_sp != NULL) {
        *old_sp = old.sp;
    }
    if (old_ip != NULL) {
        *old_ip = old.ip;
    }
    if (old_flags != NULL) {
        *old_flags = old.flags;
    }
    return dest;
}

/* Internal: ExchangeRegisters returning the previous state (0 on failure). */
static inline L4_ThreadState_t L4_PvExregState(L4_ThreadId_t t, L4_Word_t control, L4_Word_t sp, L4_Word_t ip,
                                               L4_Word_t flags)
{
    L4_ThreadState_t s;
    s.raw = 0;
    (void)L4_ExchangeRegisters(t, control, sp, ip, flags, &s.raw, NULL, NULL, NULL);
    return s;
}

/* Starts a halted (e.g. newly created) thread at `ip` with stack `sp`. */
static inline L4_Word_t L4_Start_SpIp(L4_ThreadId_t t, L4_Word_t sp, L4_Word_t ip)
{
    return L4_PvSetErrorCode(pv_start_sp_ip(t.raw, sp, ip)) == PV_OK;
}

static inline L4_Word_t L4_Start_SpIpFlags(L4_ThreadId_t t, L4_Word_t sp, L4_Word_t ip, L4_Word_t flags)
{
    return !L4_IsNilThread(L4_ExchangeRegisters(t, L4_ExReg_Start | L4_ExReg_flags, sp, ip, flags, NULL, NULL,
                                                NULL, NULL));
}

/* Lets a halted thread run again where it stopped. */
static inline L4_Word_t L4_Start(L4_ThreadId_t t)
{
    return !L4_IsNilThread(L4_ExchangeRegisters(t, L4_ExReg_Resume, 0, 0, 0, NULL, NULL, NULL, NULL));
}

/* Halts a thread (before it next runs user code; an IPC it is blocked in is not
 * aborted); returns its previous state. */
static inline L4_ThreadState_t L4_Stop(L4_ThreadId_t t)
{
    return L4_PvExregState(t, L4_ExReg_Halt, 0, 0, 0);
}

/* Halts a thread and reads where it stopped. */
static inline L4_ThreadState_t L4_Stop_SpIpFlags(L4_ThreadId_t t, L4_Word_t *sp, L4_Word_t *ip,
                                                  L4_Word_t *flags)
{
    L4_ThreadState_t s;
    s.raw = 0;
    (void)L4_ExchangeRegisters(t, L4_ExReg_Halt, 0, 0, 0, &s.raw, sp, ip, flags);
    return s;
}

/* Aborts the thread's pending IPC (it sees PV_ERR_ABORTED) and halts it. */
static inline L4_ThreadState_t L4_AbortIpc_and_stop(L4_ThreadId_t t)
{
    return L4_PvExregState(t, L4_ExReg_AbortIPC | L4_ExReg_Halt, 0, 0, 0);
}

/* Reads a thread's state without changing it (ucvisor addition). */
static inline L4_ThreadState_t L4_ReadThreadState(L4_ThreadId_t t)
{
    return L4_PvExregState(t, 0, 0, 0, 0);
}

/* --- scheduling and time -------------------------------------------------------------- */

/* Donates the rest of the caller's timeslice to `dest`, a ready thread of the
 * caller's own space; with `dest` nil (or not ready) yields to the caller's
 * peers of the same priority. See doc/hypercalls.md, "ThreadSwitch". */
static inline void L4_ThreadSwitch(L4_ThreadId_t dest)
{
    (void)pv_thread_switch(dest.raw);
}

static inline void L4_Yield(void)
{
    L4_ThreadSwitch(L4_nilthread);
}

/* Changes a thread's priority (0..PV_PRIORITY_MAX; root space only). 1 on success. */
static inline L4_Word_t L4_Set_Priority(L4_ThreadId_t tid, L4_Word_t prio)
{
    return L4_PvSetErrorCode(pv_set_priority(tid.raw, prio)) == PV_OK;
}

/* Microseconds since boot. */
static inline L4_Clock_t L4_SystemClock(void)
{
    L4_Clock_t c;
    c.raw = pv_system_clock();
    return c;
}

#endif /* L4_THREAD_H */
