/* SPDX-License-Identifier: MIT OR Apache-2.0 */
/*
 * ucvisor bundled µC/OS-II-compatible kernel — written for this project from the
 * documented V2.93.01 API.
 *
 * os_mutex.c: mutual-exclusion semaphores with the priority ceiling protocol.
 *
 * OSEventCnt packs two priorities: the ceiling (PCP) in the upper byte
 * (OS_PRIO_MUTEX_CEIL_DIS when the ceiling is off) and, in the lower byte, the
 * owner's own priority or OS_MUTEX_AVAILABLE when free. OSEventPtr is the
 * owner's TCB. The ceiling priority is reserved in OSTCBPrioTbl[] while the
 * mutex exists, and holds the owner while it runs raised.
 */
#include "ucos_ii.h"

#if OS_MUTEX_EN > 0u

#define OS_NAME_UNKNOWN ((INT8U *)(void *)"?")

#define OS_MUTEX_KEEP_LOWER_8 ((INT16U)0x00FFu)
#define OS_MUTEX_KEEP_UPPER_8 ((INT16U)0xFF00u)
#define OS_MUTEX_AVAILABLE    ((INT16U)0x00FFu)

/* Position bits of a priority in the ready table and wait lists. */
static void os_mutex_set_prio(OS_TCB *ptcb, INT8U prio)
{
    ptcb->OSTCBPrio = prio;
#if OS_LOWEST_PRIO <= 63u
    ptcb->OSTCBY = (INT8U)((INT8U)(prio >> 3u) & 0x07u);
    ptcb->OSTCBX = (INT8U)(prio & 0x07u);
#else
    ptcb->OSTCBY = (INT8U)((INT8U)(prio >> 4u) & 0x0Fu);
    ptcb->OSTCBX = (INT8U)(prio & 0x0Fu);
#endif
    ptcb->OSTCBBitY = (OS_PRIO)(1uL << ptcb->OSTCBY);
    ptcb->OSTCBBitX = (OS_PRIO)(1uL << ptcb->OSTCBX);
}

/* Move the running owner back to its own priority (caller holds the critical
 * section). */
static void os_mutex_rdy_at_prio(OS_TCB *ptcb, INT8U prio)
{
    OSRdyTbl[ptcb->OSTCBY] &= (OS_PRIO)~ptcb->OSTCBBitX;
    if (OSRdyTbl[ptcb->OSTCBY] == 0u) {
        OSRdyGrp &= (OS_PRIO)~ptcb->OSTCBBitY;
    }
    OS_TRACE_MUTEX_TASK_PRIO_DISINHERIT(ptcb, prio);
    os_mutex_set_prio(ptcb, prio);
    OSPrioCur = prio;
    OSRdyGrp |= ptcb->OSTCBBitY;
    OSRdyTbl[ptcb->OSTCBY] |= ptcb->OSTCBBitX;
    OSTCBPrioTbl[prio] = ptcb;
}

#if OS_MUTEX_ACCEPT_EN > 0u
BOOLEAN OSMutexAccept(OS_EVENT *pevent, INT8U *perr)
{
    INT8U pcp;
#if OS_CRITICAL_METHOD == 3u
    OS_CPU_SR cpu_sr = 0u;
#endif

#if OS_ARG_CHK_EN > 0u
    if (pevent == (OS_EVENT *)0) {
        *perr = OS_ERR_PEVENT_NULL;
        return OS_FALSE;
    }
#endif
    if (pevent->OSEventType != OS_EVENT_TYPE_MUTEX) {
        *perr = OS_ERR_EVENT_TYPE;
        return OS_FALSE;
    }
    if (OSIntNesting > 0u) {
        *perr = OS_ERR_PEND_ISR;
        return OS_FALSE;
    }
    OS_ENTER_CRITICAL();
    pcp = (INT8U)(pevent->OSEventCnt >> 8u);
    if ((pevent->OSEventCnt & OS_MUTEX_KEEP_LOWER_8) == OS_MUTEX_AVAILABLE) {
        pevent->OSEventCnt &= OS_MUTEX_KEEP_UPPER_8;
        pevent->OSEventCnt |= OSTCBCur->OSTCBPrio;
        pevent->OSEventPtr = (void *)OSTCBCur;
        if ((pcp != OS_PRIO_MUTEX_CEIL_DIS) && (OSTCBCur->OSTCBPrio <= pcp)) {
            *perr = OS_ERR_PCP_LOWER; /* acquired, but the ceiling is not above us */
        } else {
            *perr = OS_ERR_NONE;
        }
        OS_EXIT_CRITICAL();
        return OS_TRUE;
    }
    OS_EXIT_CRITICAL();
    *perr = OS_ERR_NONE;
    return OS_FALSE;
}
#endif

OS_EVENT *OSMutexCreate(INT8U prio, INT8U *perr)
{
    OS_EVENT *pevent;
#if OS_CRITICAL_METHOD == 3u
    OS_CPU_SR cpu_sr = 0u;
#endif

#ifdef OS_SAFETY_CRITICAL_IEC61508
    if (OSSafetyCriticalStartFlag == OS_TRUE) {
        *perr = OS_ERR_ILLEGAL_CREATE_RUN_TIME;
        return (OS_EVENT *)0;
    }
#endif
#if OS_ARG_CHK_EN > 0u
    if ((prio != OS_PRIO_MUTEX_CEIL_DIS) && (prio >= OS_LOWEST_PRIO)) {
        *perr = OS_ERR_PRIO_INVALID;
        return (OS_EVENT *)0;
    }
#endif
    if (OSIntNesting > 0u) {
        *perr = OS_ERR_CREATE_ISR;
        return (OS_EVENT *)0;
    }
    OS_ENTER_CRITICAL();
    if (prio != OS_PRIO_MUTEX_CEIL_DIS) {
        if (OSTCBPrioTbl[prio] != (OS_TCB *)0) {
            OS_EXIT_CRITICAL();
            *perr = OS_ERR_PRIO_EXIST;
            return (OS_EVENT *)0;
        }
        OSTCBPrioTbl[prio] = OS_TCB_RESERVED;
    }
    pevent = OSEventFreeList;
    if (pevent == (OS_EVENT *)0) {
        if (prio != OS_PRIO_MUTEX_CEIL_DIS) {
            OSTCBPrioTbl[prio] = (OS_TCB *)0;
        }
        OS_EXIT_CRITICAL();
        *perr = OS_ERR_PEVENT_NULL;
        return (OS_EVENT *)0;
    }
    OSEventFreeList = (OS_EVENT *)OSEventFreeList->OSEventPtr;
    OS_EXIT_CRITICAL();
    pevent->OSEventType = OS_EVENT_TYPE_MUTEX;
    pevent->OSEventCnt = (INT16U)((INT16U)prio << 8u) | OS_MUTEX_AVAILABLE;
    pevent->OSEventPtr = (void *)0;
#if OS_EVENT_NAME_EN > 0u
    pevent->OSEventName = OS_NAME_UNKNOWN;
#endif
    OS_EventWaitListInit(pevent);
    OS_TRACE_MUTEX_CREATE(pevent, pevent->OSEventName);
    *perr = OS_ERR_NONE;
    return pevent;
}

#if OS_MUTEX_DEL_EN > 0u
OS_EVENT *OSMutexDel(OS_EVENT *pevent, INT8U opt, INT8U *perr)
{
    BOOLEAN tasks_waiting;
    INT8U pcp;
    INT8U prio;
    OS_TCB *ptcb;
#if OS_CRITICAL_METHOD == 3u
    OS_CPU_SR cpu_sr = 0u;
#endif

#if OS_ARG_CHK_EN > 0u
    if (pevent == (OS_EVENT *)0) {
        *perr = OS_ERR_PEVENT_NULL;
        return pevent;
    }
#endif
    if (pevent->OSEventType != OS_EVENT_TYPE_MUTEX) {
        *perr = OS_ERR_EVENT_TYPE;
        return pevent;
    }
    if (OSIntNesting > 0u) {
        *perr = OS_ERR_DEL_ISR;
        return pevent;
    }
    OS_ENTER_CRITICAL();
    tasks_waiting = (pevent->OSEventGrp != 0u) ? OS_TRUE : OS_FALSE;
    pcp = (INT8U)(pevent->OSEventCnt >> 8u);
    switch (opt) {
    case OS_DEL_NO_PEND:
        if (tasks_waiting == OS_TRUE) {
            OS_EXIT_CRITICAL();
            *perr = OS_ERR_TASK_WAITING;
            return pevent;
        }
        break;
    case OS_DEL_ALWAYS:
        if (pcp != OS_PRIO_MUTEX_CEIL_DIS) {
            prio = (INT8U)(pevent->OSEventCnt & OS_MUTEX_KEEP_LOWER_8);
            ptcb = (OS_TCB *)pevent->OSEventPtr;
            if ((ptcb != (OS_TCB *)0) && (ptcb->OSTCBPrio == pcp)) {
                os_mutex_rdy_at_prio(ptcb, prio); /* undo the owner's raise */
            }
        }
        while (pevent->OSEventGrp != 0u) {
            (void)OS_EventTaskRdy(pevent, (void *)0, OS_STAT_MUTEX, OS_STAT_PEND_ABORT);
        }
        break;
    default:
        OS_EXIT_CRITICAL();
        *perr = OS_ERR_INVALID_OPT;
        return pevent;
    }
    if (pcp != OS_PRIO_MUTEX_CEIL_DIS) {
        OSTCBPrioTbl[pcp] = (OS_TCB *)0; /* release the ceiling priority */
    }
#if OS_EVENT_NAME_EN > 0u
    pevent->OSEventName = OS_NAME_UNKNOWN;
#endif
    pevent->OSEventType = OS_EVENT_TYPE_UNUSED;
    pevent->OSEventPtr = OSEventFreeList;
    pevent->OSEventCnt = 0u;
    OSEventFreeList = pevent;
    OS_TRACE_MUTEX_DEL(pevent);
    OS_EXIT_CRITICAL();
    if (tasks_waiting == OS_TRUE) {
        OS_Sched();
    }
    *perr = OS_ERR_NONE;
    return (OS_EVENT *)0;
}
#endif

void OSMutexPend(OS_EVENT *pevent, INT32U timeout, INT8U *perr)
{
    INT8U pcp;
    OS_TCB *ptcb;
    OS_EVENT *pevent2;
    BOOLEAN rdy;
#if OS_CRITICAL_METHOD == 3u
    OS_CPU_SR cpu_sr = 0u;
#endif

#if OS_ARG_CHK_EN > 0u
    if (pevent == (OS_EVENT *)0) {
        *perr = OS_ERR_PEVENT_NULL;
        return;
    }
#endif
    if (pevent->OSEventType != OS_EVENT_TYPE_MUTEX) {
        *perr = OS_ERR_EVENT_TYPE;
        return;
    }
    if (OSIntNesting > 0u) {
        *perr = OS_ERR_PEND_ISR;
        return;
    }
    if (OSLockNesting > 0u) {
        *perr = OS_ERR_PEND_LOCKED;
        return;
    }
    OS_ENTER_CRITICAL();
    pcp = (INT8U)(pevent->OSEventCnt >> 8u);
    if ((pevent->OSEventCnt & OS_MUTEX_KEEP_LOWER_8) == OS_MUTEX_AVAILABLE) {
        pevent->OSEventCnt &= OS_MUTEX_KEEP_UPPER_8;
        pevent->OSEventCnt |= OSTCBCur->OSTCBPrio;
        pevent->OSEventPtr = (void *)OSTCBCur;
        OS_EXIT_CRITICAL();
        if ((pcp != OS_PRIO_MUTEX_CEIL_DIS) && (OSTCBCur->OSTCBPrio <= pcp)) {
            *perr = OS_ERR_PCP_LOWER; /* acquired, but the ceiling is not above us */
        } else {
            *perr = OS_ERR_NONE;
        }
        return;
    }

    if (pcp != OS_PRIO_MUTEX_CEIL_DIS) {
        ptcb = (OS_TCB *)pevent->OSEventPtr;
        if (ptcb->OSTCBPrio > pcp) {
            /* Raise the owner to the ceiling, wherever it currently is. */
            if ((OSRdyTbl[ptcb->OSTCBY] & ptcb->OSTCBBitX) != 0u) {
                OSRdyTbl[ptcb->OSTCBY] &= (OS_PRIO)~ptcb->OSTCBBitX;
                if (OSRdyTbl[ptcb->OSTCBY] == 0u) {
                    OSRdyGrp &= (OS_PRIO)~ptcb->OSTCBBitY;
                }
                rdy = OS_TRUE;
            } else {
                pevent2 = ptcb->OSTCBEventPtr;
                if (pevent2 != (OS_EVENT *)0) {
                    OS_EventTaskRemove(ptcb, pevent2);
                }
                rdy = OS_FALSE;
            }
            OS_TRACE_MUTEX_TASK_PRIO_INHERIT(ptcb, pcp);
            os_mutex_set_prio(ptcb, pcp);
            if (rdy == OS_TRUE) {
                OSRdyGrp |= ptcb->OSTCBBitY;
                OSRdyTbl[ptcb->OSTCBY] |= ptcb->OSTCBBitX;
            } else {
                pevent2 = ptcb->OSTCBEventPtr;
                if (pevent2 != (OS_EVENT *)0) {
                    pevent2->OSEventGrp |= ptcb->OSTCBBitY;
                    pevent2->OSEventTbl[ptcb->OSTCBY] |= ptcb->OSTCBBitX;
                }
            }
            OSTCBPrioTbl[pcp] = ptcb;
        }
    }

    OSTCBCur->OSTCBStat |= OS_STAT_MUTEX;
    OSTCBCur->OSTCBStatPend = OS_STAT_PEND_OK;
    OSTCBCur->OSTCBDly = timeout;
    OS_EventTaskWait(pevent);
    OS_EXIT_CRITICAL();
    OS_Sched();
    OS_ENTER_CRITICAL();
    switch (OSTCBCur->OSTCBStatPend) {
    case OS_STAT_PEND_OK:
        *perr = OS_ERR_NONE;
        break;
    case OS_STAT_PEND_ABORT:
        *perr = OS_ERR_PEND_ABORT;
        break;
    case OS_STAT_PEND_TO:
    default:
        OS_EventTaskRemove(OSTCBCur, pevent);
        *perr = OS_ERR_TIMEOUT;
        break;
    }
    OSTCBCur->OSTCBStat = OS_STAT_RDY;
    OSTCBCur->OSTCBStatPend = OS_STAT_PEND_OK;
    OSTCBCur->OSTCBEventPtr = (OS_EVENT *)0;
#if (OS_EVENT_MULTI_EN > 0u)
    OSTCBCur->OSTCBEventMultiPtr = (OS_EVENT **)0;
    OSTCBCur->OSTCBEventMultiRdy = (OS_EVENT *)0;
#endif
    OS_EXIT_CRITICAL();
}

INT8U OSMutexPost(OS_EVENT *pevent)
{
    INT8U pcp;
    INT8U prio;
#if OS_CRITICAL_METHOD == 3u
    OS_CPU_SR cpu_sr = 0u;
#endif

    if (OSIntNesting > 0u) {
        return OS_ERR_POST_ISR;
    }
#if OS_ARG_CHK_EN > 0u
    if (pevent == (OS_EVENT *)0) {
        return OS_ERR_PEVENT_NULL;
    }
#endif
    if (pevent->OSEventType != OS_EVENT_TYPE_MUTEX) {
        return OS_ERR_EVENT_TYPE;
    }
    OS_ENTER_CRITICAL();
    pcp = (INT8U)(pevent->OSEventCnt >> 8u);
    prio = (INT8U)(pevent->OSEventCnt & OS_MUTEX_KEEP_LOWER_8);
    if (OSTCBCur != (OS_TCB *)pevent->OSEventPtr) {
        OS_EXIT_CRITICAL();
        return OS_ERR_NOT_MUTEX_OWNER;
    }
    if (pcp != OS_PRIO_MUTEX_CEIL_DIS) {
        if (OSTCBCur->OSTCBPrio == pcp) {
            os_mutex_rdy_at_prio(OSTCBCur, prio); /* drop back from the ceiling */
        }
        OSTCBPrioTbl[pcp] = OS_TCB_RESERVED;
    }
    OS_TRACE_MUTEX_POST(pevent);
    if (pevent->OSEventGrp != 0u) {
        /* Hand the mutex straight to the highest-priority waiter. */
        prio = OS_EventTaskRdy(pevent, (void *)0, OS_STAT_MUTEX, OS_STAT_PEND_OK);
        pevent->OSEventCnt &= OS_MUTEX_KEEP_UPPER_8;
        pevent->OSEventCnt |= prio;
        pevent->OSEventPtr = OSTCBPrioTbl[prio];
        OS_EXIT_CRITICAL();
        OS_Sched();
        if ((pcp != OS_PRIO_MUTEX_CEIL_DIS) && (prio <= pcp)) {
            return OS_ERR_PCP_LOWER;
        }
        return OS_ERR_NONE;
    }
    pevent->OSEventCnt |= OS_MUTEX_AVAILABLE;
    pevent->OSEventPtr = (void *)0;
    OS_EXIT_CRITICAL();
    return OS_ERR_NONE;
}

#if OS_MUTEX_QUERY_EN > 0u
INT8U OSMutexQuery(OS_EVENT *pevent, OS_MUTEX_DATA *p_mutex_data)
{
    INT8U i;
#if OS_CRITICAL_METHOD == 3u
    OS_CPU_SR cpu_sr = 0u;
#endif

    if (OSIntNesting > 0u) {
        return OS_ERR_QUERY_ISR;
    }
#if OS_ARG_CHK_EN > 0u
    if (pevent == (OS_EVENT *)0) {
        return OS_ERR_PEVENT_NULL;
    }
    if (p_mutex_data == (OS_MUTEX_DATA *)0) {
        return OS_ERR_PDATA_NULL;
    }
#endif
    if (pevent->OSEventType != OS_EVENT_TYPE_MUTEX) {
        return OS_ERR_EVENT_TYPE;
    }
    OS_ENTER_CRITICAL();
    p_mutex_data->OSMutexPCP = (INT8U)(pevent->OSEventCnt >> 8u);
    p_mutex_data->OSOwnerPrio = (INT8U)(pevent->OSEventCnt & OS_MUTEX_KEEP_LOWER_8);
    p_mutex_data->OSValue = (p_mutex_data->OSOwnerPrio == 0xFFu) ? OS_TRUE : OS_FALSE;
    p_mutex_data->OSEventGrp = pevent->OSEventGrp;
    for (i = 0u; i < OS_EVENT_TBL_SIZE; i++) {
        p_mutex_data->OSEventTbl[i] = pevent->OSEventTbl[i];
    }
    OS_EXIT_CRITICAL();
    return OS_ERR_NONE;
}
#endif

#endif /* OS_MUTEX_EN */
