/* SPDX-License-Identifier: MIT OR Apache-2.0 */
/*
 * iguana/thread.h: Iguana-style thread calls, for the root task's boot flow.
 *
 * In Iguana these are requests to the Iguana server. In ucvisor most map
 * directly on kernel calls, which only threads of the root space may make
 * (PV_ERR_NO_PRIVILEGE otherwise): thread creation, start and deletion.
 * thread_create_from asks the root server over IPC instead (for guests and
 * drivers); the other calls move there as the root server grows.
 *
 * Returns: thread_ref_t functions give 0 on failure; int functions give the
 * PV_ERR_* code (PV_OK = 0 on success). L4_ErrorCode() holds the last code.
 */
#ifndef IGUANA_THREAD_H
#define IGUANA_THREAD_H

#include "../l4/types.h"
#include "../l4/thread.h"

/* A thread reference: here the raw L4 thread ID (never 0). */
typedef L4_Word_t thread_ref_t;

/* Priority of threads created without one (the root task's priority). */
#define IGUANA_DEFAULT_PRIORITY 100

/* Creates a halted thread in address space `space` with `priority`; its
 * exceptions go to `exception_handler` (L4_nilthread: the kernel logs the fault
 * and halts the thread). Start it with thread_start. (Kernel call.) */
static inline thread_ref_t thread_create_in_space(L4_Word_t space, int priority, L4_ThreadId_t exception_handler,
                                                  L4_ThreadId_t *thrd)
{
    PvThreadId id = PV_NIL_THREAD;
    if (L4_PvSetErrorCode(pv_thread_create(space, (uint32_t)priority, exception_handler.raw, &id)) != PV_OK) {
        return 0;
    }
    if (thrd != NULL) {
        thrd->raw = id;
    }
    return id;
}

/* Asks the root server over IPC (PV_ROOT_THREAD_CREATE) for a halted thread in
 * the caller's space with `priority` (at most the caller's): the way for
 * threads outside the root space, e.g. a guest's bootstrap. */
static inline thread_ref_t thread_create_from(L4_ThreadId_t root_server, int priority, L4_ThreadId_t *thrd)
{
    PvThreadId id = PV_NIL_THREAD;
    if (L4_PvSetErrorCode(pv_root_thread_create(root_server.raw, (uint32_t)priority, &id)) != PV_OK) {
        return 0;
    }
    if (thrd != NULL) {
        thrd->raw = id;
    }
    return id;
}

/* Creates a halted thread in the caller's own space. (Kernel call.) */
static inline thread_ref_t thread_create_priority(int priority, L4_ThreadId_t *thrd)
{
    return thread_create_in_space(L4_MySpace(), priority, L4_nilthread, thrd);
}

static inline thread_ref_t thread_create(L4_ThreadId_t *thrd)
{
    return thread_create_priority(IGUANA_DEFAULT_PRIORITY, thrd);
}

/* Starts a created thread at `ip` with stack pointer `sp` (8-byte aligned top
 * of its stack). (Kernel call: Start_SpIp.) */
static inline int thread_start(thread_ref_t thread, uintptr_t ip, uintptr_t sp)
{
    return (int)L4_PvSetErrorCode(pv_start_sp_ip(thread, (uint32_t)sp, (uint32_t)ip));
}

/* Creates a thread in the caller's space running `fn` on the stack whose top
 * is `stack_top`. `fn` must never return (it has no caller to return to).
 * Unlike Iguana's, this variant takes the stack from the caller and passes no
 * arguments. (Kernel calls.) */
static inline thread_ref_t thread_create_simple(void (*fn)(void), void *stack_top, int priority)
{
    L4_ThreadId_t tid;
    thread_ref_t thread = thread_create_priority(priority, &tid);
    if (thread == 0) {
        return 0;
    }
    if (thread_start(thread, (uintptr_t)fn, (uintptr_t)stack_top) != PV_OK) {
        L4_Word_t error = L4_ErrorCode();
        (void)pv_thread_delete(thread);
        L4_PvSetErrorCode(error);
        return 0;
    }
    return thread;
}

/* Deletes a thread; partners blocked on it see PV_ERR_PARTNER_DELETED. (Kernel call.) */
static inline int thread_delete(thread_ref_t thread)
{
    return (int)L4_PvSetErrorCode(pv_thread_delete(thread));
}

static inline L4_ThreadId_t thread_l4tid(thread_ref_t thread)
{
    return L4_ThreadIdFromRaw(thread);
}

static inline thread_ref_t thread_myself(void)
{
    return L4_Myself().raw;
}

#endif /* IGUANA_THREAD_H */
