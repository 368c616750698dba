/* SPDX-License-Identifier: MIT OR Apache-2.0 */
/*
 * ucvisor bundled µC/OS-II-compatible kernel — written for this project from the
 * documented V2.93.01 API.
 *
 * os_q.c: message queues (a ring of void* slots supplied by the caller).
 */
#include "ucos_ii.h"

#if (OS_Q_EN > 0u) && (OS_MAX_QS > 0u)

#define OS_NAME_UNKNOWN ((INT8U *)(void *)"?")

/* Take the oldest message (caller holds the critical section, entries > 0). */
static void *os_q_take(OS_Q *pq)
{
    void *pmsg = *pq->OSQOut++;

    if (pq->OSQOut == pq->OSQEnd) {
        pq->OSQOut = pq->OSQStart;
    }
    pq->OSQEntries--;
    return pmsg;
}

#if (OS_Q_POST_EN > 0u) || (OS_Q_POST_FRONT_EN > 0u) || (OS_Q_POST_OPT_EN > 0u)
/* Append at the back (FIFO) or insert at the front (LIFO). */
static void os_q_put(OS_Q *pq, void *pmsg, BOOLEAN front)
{
    if (front == OS_TRUE) {
        if (pq->OSQOut == pq->OSQStart) {
            pq->OSQOut = pq->OSQEnd;
        }
        pq->OSQOut--;
        *pq->OSQOut = pmsg;
    } else {
        *pq->OSQIn++ = pmsg;
        if (pq->OSQIn == pq->OSQEnd) {
            pq->OSQIn = pq->OSQStart;
        }
    }
    pq->OSQEntries++;
}
#endif

#if OS_Q_ACCEPT_EN > 0u
void *OSQAccept(OS_EVENT *pevent, INT8U *perr)
{
    void *pmsg;
    OS_Q *pq;
#if OS_CRITICAL_METHOD == 3u
    OS_CPU_SR cpu_sr = 0u;
#endif

#if OS_ARG_CHK_EN > 0u
    if (pevent == (OS_EVENT *)0) {
        *perr = OS_ERR_PEVENT_NULL;
        return (void *)0;
    }
#endif
    if (pevent->OSEventType != OS_EVENT_TYPE_Q) {
        *perr = OS_ERR_EVENT_TYPE;
        return (void *)0;
    }
    OS_ENTER_CRITICAL();
    pq = (OS_Q *)pevent->OSEventPtr;
    if (pq->OSQEntries > 0u) {
        pmsg = os_q_take(pq);
        *perr = OS_ERR_NONE;
    } else {
        pmsg = (void *)0;
        *perr = OS_ERR_Q_EMPTY;
    }
    OS_EXIT_CRITICAL();
    return pmsg;
}
#endif

OS_EVENT *OSQCreate(void **start, INT16U size)
{
    OS_EVENT *pevent;
    OS_Q *pq;
#if OS_CRITICAL_METHOD == 3u
    OS_CPU_SR cpu_sr = 0u;
#endif

#ifdef OS_SAFETY_CRITICAL_IEC61508
    if (OSSafetyCriticalStartFlag == OS_TRUE) {
        return (OS_EVENT *)0;
    }
#endif
    if (OSIntNesting > 0u) {
        return (OS_EVENT *)0;
    }
    OS_ENTER_CRITICAL();
    pevent = OSEventFreeList;
    if (pevent != (OS_EVENT *)0) {
        OSEventFreeList = (OS_EVENT *)OSEventFreeList->OSEventPtr;
    }
    OS_EXIT_CRITICAL();
    if (pevent == (OS_EVENT *)0) {
        return (OS_EVENT *)0;
    }
    OS_ENTER_CRITICAL();
    pq = OSQFreeList;
    if (pq == (OS_Q *)0) {
        /* No queue control block: give the event block back. */
        pevent->OSEventPtr = (void *)OSEventFreeList;
        OSEventFreeList = pevent;
        OS_EXIT_CRITICAL();
        return (OS_EVENT *)0;
    }
    OSQFreeList = OSQFreeList->OSQPtr;
    OS_EXIT_CRITICAL();

    pq->OSQStart = start;
    pq->OSQEnd = &start[size];
    pq->OSQIn = start;
    pq->OSQOut = start;
    pq->OSQSize = size;
    pq->OSQEntries = 0u;
    pevent->OSEventType = OS_EVENT_TYPE_Q;
    pevent->OSEventCnt = 0u;
    pevent->OSEventPtr = pq;
#if OS_EVENT_NAME_EN > 0u
    pevent->OSEventName = OS_NAME_UNKNOWN;
#endif
    OS_EventWaitListInit(pevent);
    OS_TRACE_Q_CREATE(pevent, pevent->OSEventName);
    return pevent;
}

#if OS_Q_DEL_EN > 0u
OS_EVENT *OSQDel(OS_EVENT *pevent, INT8U opt, INT8U *perr)
{
    BOOLEAN tasks_waiting;
    OS_Q *pq;
#if OS_CRITICAL_METHOD == 3u
    OS_CPU_SR cpu_sr = 0u;
#endif

#if OS_ARG_CHK_EN > 0u
    if (pevent == (OS_EVENT *)0) {
        *perr = OS_ERR_PEVENT_NULL;
        return pevent;
    }
#endif
    if (pevent->OSEventType != OS_EVENT_TYPE_Q) {
        *perr = OS_ERR_EVENT_TYPE;
        return pevent;
    }
    if (OSIntNesting > 0u) {
        *perr = OS_ERR_DEL_ISR;
        return pevent;
    }
    OS_ENTER_CRITICAL();
    tasks_waiting = (pevent->OSEventGrp != 0u) ? OS_TRUE : OS_FALSE;
    switch (opt) {
    case OS_DEL_NO_PEND:
        if (tasks_waiting == OS_TRUE) {
            OS_EXIT_CRITICAL();
            *perr = OS_ERR_TASK_WAITING;
            return pevent;
        }
        break;
    case OS_DEL_ALWAYS:
        while (pevent->OSEventGrp != 0u) {
            (void)OS_EventTaskRdy(pevent, (void *)0, OS_STAT_Q, OS_STAT_PEND_ABORT);
        }
        break;
    default:
        OS_EXIT_CRITICAL();
        *perr = OS_ERR_INVALID_OPT;
        return pevent;
    }
#if OS_EVENT_NAME_EN > 0u
    pevent->OSEventName = OS_NAME_UNKNOWN;
#endif
    pq = (OS_Q *)pevent->OSEventPtr;
    pq->OSQPtr = OSQFreeList;
    OSQFreeList = pq;
    pevent->OSEventType = OS_EVENT_TYPE_UNUSED;
    pevent->OSEventPtr = OSEventFreeList;
    pevent->OSEventCnt = 0u;
    OSEventFreeList = pevent;
    OS_TRACE_Q_DEL(pevent);
    OS_EXIT_CRITICAL();
    if (tasks_waiting == OS_TRUE) {
        OS_Sched();
    }
    *perr = OS_ERR_NONE;
    return (OS_EVENT *)0;
}
#endif

#if OS_Q_FLUSH_EN > 0u
INT8U OSQFlush(OS_EVENT *pevent)
{
    OS_Q *pq;
#if OS_CRITICAL_METHOD == 3u
    OS_CPU_SR cpu_sr = 0u;
#endif

#if OS_ARG_CHK_EN > 0u
    if (pevent == (OS_EVENT *)0) {
        return OS_ERR_PEVENT_NULL;
    }
#endif
    if (pevent->OSEventType != OS_EVENT_TYPE_Q) {
        return OS_ERR_EVENT_TYPE;
    }
    OS_ENTER_CRITICAL();
    pq = (OS_Q *)pevent->OSEventPtr;
    pq->OSQIn = pq->OSQStart;
    pq->OSQOut = pq->OSQStart;
    pq->OSQEntries = 0u;
    OS_EXIT_CRITICAL();
    return OS_ERR_NONE;
}
#endif

void *OSQPend(OS_EVENT *pevent, INT32U timeout, INT8U *perr)
{
    void *pmsg;
    OS_Q *pq;
#if OS_CRITICAL_METHOD == 3u
    OS_CPU_SR cpu_sr = 0u;
#endif

#if OS_ARG_CHK_EN > 0u
    if (pevent == (OS_EVENT *)0) {
        *perr = OS_ERR_PEVENT_NULL;
        return (void *)0;
    }
#endif
    if (pevent->OSEventType != OS_EVENT_TYPE_Q) {
        *perr = OS_ERR_EVENT_TYPE;
        return (void *)0;
    }
    if (OSIntNesting > 0u) {
        *perr = OS_ERR_PEND_ISR;
        return (void *)0;
    }
    if (OSLockNesting > 0u) {
        *perr = OS_ERR_PEND_LOCKED;
        return (void *)0;
    }
    OS_ENTER_CRITICAL();
    pq = (OS_Q *)pevent->OSEventPtr;
    if (pq->OSQEntries > 0u) {
        pmsg = os_q_take(pq);
        OS_EXIT_CRITICAL();
        *perr = OS_ERR_NONE;
        return pmsg;
    }
    OSTCBCur->OSTCBStat |= OS_STAT_Q;
    OSTCBCur->OSTCBStatPend = OS_STAT_PEND_OK;
    OSTCBCur->OSTCBDly = timeout;
    OS_EventTaskWait(pevent);
    OS_EXIT_CRITICAL();
    OS_Sched();
    OS_ENTER_CRITICAL();
    switch (OSTCBCur->OSTCBStatPend) {
    case OS_STAT_PEND_OK:
        pmsg = OSTCBCur->OSTCBMsg;
        *perr = OS_ERR_NONE;
        break;
    case OS_STAT_PEND_ABORT:
        pmsg = (void *)0;
        *perr = OS_ERR_PEND_ABORT;
        break;
    case OS_STAT_PEND_TO:
    default:
        OS_EventTaskRemove(OSTCBCur, pevent);
        pmsg = (void *)0;
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
    OSTCBCur->OSTCBMsg = (void *)0;
    OS_EXIT_CRITICAL();
    return pmsg;
}

#if OS_Q_PEND_ABORT_EN > 0u
INT8U OSQPendAbort(OS_EVENT *pevent, INT8U opt, INT8U *perr)
{
    INT8U nbr_tasks;
#if OS_CRITICAL_METHOD == 3u
    OS_CPU_SR cpu_sr = 0u;
#endif

#if OS_ARG_CHK_EN > 0u
    if (pevent == (OS_EVENT *)0) {
        *perr = OS_ERR_PEVENT_NULL;
        return 0u;
    }
#endif
    if (pevent->OSEventType != OS_EVENT_TYPE_Q) {
        *perr = OS_ERR_EVENT_TYPE;
        return 0u;
    }
    OS_ENTER_CRITICAL();
    if (pevent->OSEventGrp == 0u) {
        OS_EXIT_CRITICAL();
        *perr = OS_ERR_NONE;
        return 0u;
    }
    nbr_tasks = 0u;
    if (opt == OS_PEND_OPT_BROADCAST) {
        while (pevent->OSEventGrp != 0u) {
            (void)OS_EventTaskRdy(pevent, (void *)0, OS_STAT_Q, OS_STAT_PEND_ABORT);
            nbr_tasks++;
        }
    } else {
        (void)OS_EventTaskRdy(pevent, (void *)0, OS_STAT_Q, OS_STAT_PEND_ABORT);
        nbr_tasks++;
    }
    OS_EXIT_CRITICAL();
    OS_Sched();
    *perr = OS_ERR_PEND_ABORT;
    return nbr_tasks;
}
#endif

#if (OS_Q_POST_EN > 0u) || (OS_Q_POST_FRONT_EN > 0u) || (OS_Q_POST_OPT_EN > 0u)
/* Common body of the three post services. */
static INT8U os_q_post(OS_EVENT *pevent, void *pmsg, INT8U opt)
{
    OS_Q *pq;
#if OS_CRITICAL_METHOD == 3u
    OS_CPU_SR cpu_sr = 0u;
#endif

#if OS_ARG_CHK_EN > 0u
    if (pevent == (OS_EVENT *)0) {
        return OS_ERR_PEVENT_NULL;
    }
#endif
    if (pevent->OSEventType != OS_EVENT_TYPE_Q) {
        return OS_ERR_EVENT_TYPE;
    }
    OS_ENTER_CRITICAL();
    if (pevent->OSEventGrp != 0u) {
        if ((opt & OS_POST_OPT_BROADCAST) != 0u) {
            while (pevent->OSEventGrp != 0u) {
                (void)OS_EventTaskRdy(pevent, pmsg, OS_STAT_Q, OS_STAT_PEND_OK);
            }
        } else {
            (void)OS_EventTaskRdy(pevent, pmsg, OS_STAT_Q, OS_STAT_PEND_OK);
        }
        OS_EXIT_CRITICAL();
        if ((opt & OS_POST_OPT_NO_SCHED) == 0u) {
            OS_Sched();
        }
        return OS_ERR_NONE;
    }
    pq = (OS_Q *)pevent->OSEventPtr;
    if (pq->OSQEntries >= pq->OSQSize) {
        OS_EXIT_CRITICAL();
        return OS_ERR_Q_FULL;
    }
    os_q_put(pq, pmsg, ((opt & OS_POST_OPT_FRONT) != 0u) ? OS_TRUE : OS_FALSE);
    OS_EXIT_CRITICAL();
    return OS_ERR_NONE;
}
#endif

#if OS_Q_POST_EN > 0u
INT8U OSQPost(OS_EVENT *pevent, void *pmsg)
{
    return os_q_post(pevent, pmsg, OS_POST_OPT_NONE);
}
#endif

#if OS_Q_POST_FRONT_EN > 0u
INT8U OSQPostFront(OS_EVENT *pevent, void *pmsg)
{
    return os_q_post(pevent, pmsg, OS_POST_OPT_FRONT);
}
#endif

#if OS_Q_POST_OPT_EN > 0u
INT8U OSQPostOpt(OS_EVENT *pevent, void *pmsg, INT8U opt)
{
    return os_q_post(pevent, pmsg, opt);
}
#endif

#if OS_Q_QUERY_EN > 0u
INT8U OSQQuery(OS_EVENT *pevent, OS_Q_DATA *p_q_data)
{
    OS_Q *pq;
    INT8U i;
#if OS_CRITICAL_METHOD == 3u
    OS_CPU_SR cpu_sr = 0u;
#endif

#if OS_ARG_CHK_EN > 0u
    if (pevent == (OS_EVENT *)0) {
        return OS_ERR_PEVENT_NULL;
    }
    if (p_q_data == (OS_Q_DATA *)0) {
        return OS_ERR_PDATA_NULL;
    }
#endif
    if (pevent->OSEventType != OS_EVENT_TYPE_Q) {
        return OS_ERR_EVENT_TYPE;
    }
    OS_ENTER_CRITICAL();
    p_q_data->OSEventGrp = pevent->OSEventGrp;
    for (i = 0u; i < OS_EVENT_TBL_SIZE; i++) {
        p_q_data->OSEventTbl[i] = pevent->OSEventTbl[i];
    }
    pq = (OS_Q *)pevent->OSEventPtr;
    p_q_data->OSMsg = (pq->OSQEntries > 0u) ? *pq->OSQOut : (void *)0;
    p_q_data->OSNMsgs = pq->OSQEntries;
    p_q_data->OSQSize = pq->OSQSize;
    OS_EXIT_CRITICAL();
    return OS_ERR_NONE;
}
#endif

void OS_QInit(void)
{
    INT16U i;

    OS_MemClr((INT8U *)&OSQTbl[0], (INT16U)sizeof(OSQTbl));
    for (i = 0u; i < OS_MAX_QS; i++) {
        OSQTbl[i].OSQPtr = (i + 1u < OS_MAX_QS) ? &OSQTbl[i + 1u] : (OS_Q *)0;
    }
    OSQFreeList = &OSQTbl[0];
}

#elif OS_Q_EN > 0u

/* Queues switched on but OS_MAX_QS is 0: nothing to initialise. */
void OS_QInit(void)
{
}

#endif /* OS_Q_EN */
