/* SPDX-License-Identifier: MIT OR Apache-2.0 */
/*
 * ucvisor bundled µC/OS-II-compatible kernel — written for this project from the
 * documented V2.93.01 API.
 *
 * os_core.c: kernel globals, initialisation, the scheduler, interrupt entry and
 * exit, the clock tick, event wait lists, the idle and statistics tasks and the
 * TCB set-up shared by both task-creation services.
 */
#define OS_GLOBALS
#include "ucos_ii.h"

/* Index of the lowest set bit for every byte value (0 for 0). */
INT8U const OSUnMapTbl[256] = {
    0u, 0u, 1u, 0u, 2u, 0u, 1u, 0u, 3u, 0u, 1u, 0u, 2u, 0u, 1u, 0u,
    4u, 0u, 1u, 0u, 2u, 0u, 1u, 0u, 3u, 0u, 1u, 0u, 2u, 0u, 1u, 0u,
    5u, 0u, 1u, 0u, 2u, 0u, 1u, 0u, 3u, 0u, 1u, 0u, 2u, 0u, 1u, 0u,
    4u, 0u, 1u, 0u, 2u, 0u, 1u, 0u, 3u, 0u, 1u, 0u, 2u, 0u, 1u, 0u,
    6u, 0u, 1u, 0u, 2u, 0u, 1u, 0u, 3u, 0u, 1u, 0u, 2u, 0u, 1u, 0u,
    4u, 0u, 1u, 0u, 2u, 0u, 1u, 0u, 3u, 0u, 1u, 0u, 2u, 0u, 1u, 0u,
    5u, 0u, 1u, 0u, 2u, 0u, 1u, 0u, 3u, 0u, 1u, 0u, 2u, 0u, 1u, 0u,
    4u, 0u, 1u, 0u, 2u, 0u, 1u, 0u, 3u, 0u, 1u, 0u, 2u, 0u, 1u, 0u,
    7u, 0u, 1u, 0u, 2u, 0u, 1u, 0u, 3u, 0u, 1u, 0u, 2u, 0u, 1u, 0u,
    4u, 0u, 1u, 0u, 2u, 0u, 1u, 0u, 3u, 0u, 1u, 0u, 2u, 0u, 1u, 0u,
    5u, 0u, 1u, 0u, 2u, 0u, 1u, 0u, 3u, 0u, 1u, 0u, 2u, 0u, 1u, 0u,
    4u, 0u, 1u, 0u, 2u, 0u, 1u, 0u, 3u, 0u, 1u, 0u, 2u, 0u, 1u, 0u,
    6u, 0u, 1u, 0u, 2u, 0u, 1u, 0u, 3u, 0u, 1u, 0u, 2u, 0u, 1u, 0u,
    4u, 0u, 1u, 0u, 2u, 0u, 1u, 0u, 3u, 0u, 1u, 0u, 2u, 0u, 1u, 0u,
    5u, 0u, 1u, 0u, 2u, 0u, 1u, 0u, 3u, 0u, 1u, 0u, 2u, 0u, 1u, 0u,
    4u, 0u, 1u, 0u, 2u, 0u, 1u, 0u, 3u, 0u, 1u, 0u, 2u, 0u, 1u, 0u
};

/* Name every kernel object starts with. */
#define OS_NAME_UNKNOWN ((INT8U *)(void *)"?")

static void os_init_misc(void);
static void os_init_rdy_list(void);
static void os_init_tcb_list(void);
#if (OS_EVENT_EN) && (OS_MAX_EVENTS > 0u)
static void os_init_event_list(void);
#endif
static void os_init_task_idle(void);
#if OS_TASK_STAT_EN > 0u
static void os_init_task_stat(void);
#endif
static void os_sched_new(void);

/* ---------------------------------------------------------------------------
 * Ready-list helpers (callers hold the critical section)
 * ------------------------------------------------------------------------- */
static void os_rdy_insert(OS_TCB *ptcb)
{
    OSRdyGrp |= ptcb->OSTCBBitY;
    OSRdyTbl[ptcb->OSTCBY] |= ptcb->OSTCBBitX;
}

#if (OS_EVENT_EN)
static void os_rdy_remove(OS_TCB *ptcb)
{
    OSRdyTbl[ptcb->OSTCBY] &= (OS_PRIO)~ptcb->OSTCBBitX;
    if (OSRdyTbl[ptcb->OSTCBY] == 0u) {
        OSRdyGrp &= (OS_PRIO)~ptcb->OSTCBBitY;
    }
}
#endif

/* ---------------------------------------------------------------------------
 * Event names
 * ------------------------------------------------------------------------- */
#if (OS_EVENT_EN) && (OS_EVENT_NAME_EN > 0u)
static BOOLEAN os_event_type_named(INT8U type)
{
    switch (type) {
    case OS_EVENT_TYPE_SEM:
    case OS_EVENT_TYPE_MUTEX:
    case OS_EVENT_TYPE_MBOX:
    case OS_EVENT_TYPE_Q:
        return OS_TRUE;
    default:
        return OS_FALSE;
    }
}

INT8U OSEventNameGet(OS_EVENT *pevent, INT8U **pname, INT8U *perr)
{
    INT8U len;
#if OS_CRITICAL_METHOD == 3u
    OS_CPU_SR cpu_sr = 0u;
#endif

#if OS_ARG_CHK_EN > 0u
    if (pevent == (OS_EVENT *)0) {
        *perr = OS_ERR_PEVENT_NULL;
        return 0u;
    }
    if (pname == (INT8U **)0) {
        *perr = OS_ERR_PNAME_NULL;
        return 0u;
    }
#endif
    if (OSIntNesting > 0u) {
        *perr = OS_ERR_NAME_GET_ISR;
        return 0u;
    }
    if (os_event_type_named(pevent->OSEventType) == OS_FALSE) {
        *perr = OS_ERR_EVENT_TYPE;
        return 0u;
    }
    OS_ENTER_CRITICAL();
    *pname = pevent->OSEventName;
    len = OS_StrLen(*pname);
    OS_EXIT_CRITICAL();
    *perr = OS_ERR_NONE;
    return len;
}

void OSEventNameSet(OS_EVENT *pevent, INT8U *pname, INT8U *perr)
{
#if OS_CRITICAL_METHOD == 3u
    OS_CPU_SR cpu_sr = 0u;
#endif

#if OS_ARG_CHK_EN > 0u
    if (pevent == (OS_EVENT *)0) {
        *perr = OS_ERR_PEVENT_NULL;
        return;
    }
    if (pname == (INT8U *)0) {
        *perr = OS_ERR_PNAME_NULL;
        return;
    }
#endif
    if (OSIntNesting > 0u) {
        *perr = OS_ERR_NAME_SET_ISR;
        return;
    }
    if (os_event_type_named(pevent->OSEventType) == OS_FALSE) {
        *perr = OS_ERR_EVENT_TYPE;
        return;
    }
    OS_ENTER_CRITICAL();
    pevent->OSEventName = pname;
    OS_TRACE_EVENT_NAME_SET(pevent, pname);
    OS_EXIT_CRITICAL();
    *perr = OS_ERR_NONE;
}
#endif

/* ---------------------------------------------------------------------------
 * Pending on several events at once
 * ------------------------------------------------------------------------- */
#if (OS_EVENT_EN) && (OS_EVENT_MULTI_EN > 0u)
static BOOLEAN os_event_multi_type_ok(INT8U type)
{
    switch (type) {
#if OS_SEM_EN > 0u
    case OS_EVENT_TYPE_SEM:
        return OS_TRUE;
#endif
#if OS_MBOX_EN > 0u
    case OS_EVENT_TYPE_MBOX:
        return OS_TRUE;
#endif
#if (OS_Q_EN > 0u) && (OS_MAX_QS > 0u)
    case OS_EVENT_TYPE_Q:
        return OS_TRUE;
#endif
    default:
        return OS_FALSE;
    }
}

INT16U OSEventPendMulti(OS_EVENT **pevents_pend, OS_EVENT **pevents_rdy, void **pmsgs_rdy, INT32U timeout,
                        INT8U *perr)
{
    OS_EVENT **pp;
    OS_EVENT *pevent;
    INT8U stat_bits;
    INT16U nbr_rdy;
#if (OS_Q_EN > 0u) && (OS_MAX_QS > 0u)
    OS_Q *pq;
#endif
#if OS_CRITICAL_METHOD == 3u
    OS_CPU_SR cpu_sr = 0u;
#endif

#if OS_ARG_CHK_EN > 0u
    if (pevents_pend == (OS_EVENT **)0) {
        *perr = OS_ERR_PEVENT_NULL;
        return 0u;
    }
    if (*pevents_pend == (OS_EVENT *)0) {
        *perr = OS_ERR_PEVENT_NULL;
        return 0u;
    }
    if (pevents_rdy == (OS_EVENT **)0) {
        *perr = OS_ERR_PEVENT_NULL;
        return 0u;
    }
    if (pmsgs_rdy == (void **)0) {
        *perr = OS_ERR_PEVENT_NULL;
        return 0u;
    }
#endif
    *pevents_rdy = (OS_EVENT *)0;

    for (pp = pevents_pend; *pp != (OS_EVENT *)0; pp++) {
        if (os_event_multi_type_ok((*pp)->OSEventType) == OS_FALSE) {
            *perr = OS_ERR_EVENT_TYPE;
            return 0u;
        }
    }
    if (OSIntNesting > 0u) {
        *perr = OS_ERR_PEND_ISR;
        return 0u;
    }
    if (OSLockNesting > 0u) {
        *perr = OS_ERR_PEND_LOCKED;
        return 0u;
    }

    OS_ENTER_CRITICAL();
    nbr_rdy = 0u;
    stat_bits = OS_STAT_RDY;
    for (pp = pevents_pend; *pp != (OS_EVENT *)0; pp++) {
        pevent = *pp;
        switch (pevent->OSEventType) {
#if OS_SEM_EN > 0u
        case OS_EVENT_TYPE_SEM:
            if (pevent->OSEventCnt > 0u) {
                pevent->OSEventCnt--;
                *pevents_rdy++ = pevent;
                *pmsgs_rdy++ = (void *)0;
                nbr_rdy++;
            } else {
                stat_bits |= OS_STAT_SEM;
            }
            break;
#endif
#if OS_MBOX_EN > 0u
        case OS_EVENT_TYPE_MBOX:
            if (pevent->OSEventPtr != (void *)0) {
                *pmsgs_rdy++ = pevent->OSEventPtr;
                pevent->OSEventPtr = (void *)0;
                *pevents_rdy++ = pevent;
                nbr_rdy++;
            } else {
                stat_bits |= OS_STAT_MBOX;
            }
            break;
#endif
#if (OS_Q_EN > 0u) && (OS_MAX_QS > 0u)
        case OS_EVENT_TYPE_Q:
            pq = (OS_Q *)pevent->OSEventPtr;
            if (pq->OSQEntries > 0u) {
                *pmsgs_rdy++ = *pq->OSQOut++;
                if (pq->OSQOut == pq->OSQEnd) {
                    pq->OSQOut = pq->OSQStart;
                }
                pq->OSQEntries--;
                *pevents_rdy++ = pevent;
                nbr_rdy++;
            } else {
                stat_bits |= OS_STAT_Q;
            }
            break;
#endif
        default:
            OS_EXIT_CRITICAL();
            *pevents_rdy = (OS_EVENT *)0;
            *perr = OS_ERR_EVENT_TYPE;
            return nbr_rdy;
        }
    }

    if (nbr_rdy > 0u) {
        *pevents_rdy = (OS_EVENT *)0;
        OS_EXIT_CRITICAL();
        *perr = OS_ERR_NONE;
        return nbr_rdy;
    }

    /* Nothing available: wait on all of them. */
    OSTCBCur->OSTCBStat |= (INT8U)(stat_bits | OS_STAT_MULTI);
    OSTCBCur->OSTCBStatPend = OS_STAT_PEND_OK;
    OSTCBCur->OSTCBDly = timeout;
    OS_EventTaskWaitMulti(pevents_pend);
    OS_EXIT_CRITICAL();
    OS_Sched();
    OS_ENTER_CRITICAL();

    pevent = (OS_EVENT *)0;
    switch (OSTCBCur->OSTCBStatPend) {
    case OS_STAT_PEND_OK:
    case OS_STAT_PEND_ABORT:
        pevent = OSTCBCur->OSTCBEventMultiRdy;
        if (pevent != (OS_EVENT *)0) {
            *pevents_rdy++ = pevent;
            *pevents_rdy = (OS_EVENT *)0;
            nbr_rdy++;
        } else {
            /* Readied without an event: treat as a timeout. */
            OSTCBCur->OSTCBStatPend = OS_STAT_PEND_TO;
            OS_EventTaskRemoveMulti(OSTCBCur, pevents_pend);
        }
        break;
    case OS_STAT_PEND_TO:
    default:
        OS_EventTaskRemoveMulti(OSTCBCur, pevents_pend);
        break;
    }

    switch (OSTCBCur->OSTCBStatPend) {
    case OS_STAT_PEND_OK:
        switch (pevent->OSEventType) {
#if OS_SEM_EN > 0u
        case OS_EVENT_TYPE_SEM:
            *pmsgs_rdy++ = (void *)0;
            break;
#endif
#if (OS_MBOX_EN > 0u) || ((OS_Q_EN > 0u) && (OS_MAX_QS > 0u))
#if OS_MBOX_EN > 0u
        case OS_EVENT_TYPE_MBOX:
#endif
#if (OS_Q_EN > 0u) && (OS_MAX_QS > 0u)
        case OS_EVENT_TYPE_Q:
#endif
            *pmsgs_rdy++ = OSTCBCur->OSTCBMsg;
            break;
#endif
        default:
            OS_EXIT_CRITICAL();
            *perr = OS_ERR_EVENT_TYPE;
            return nbr_rdy;
        }
        *perr = OS_ERR_NONE;
        break;
    case OS_STAT_PEND_ABORT:
        *pmsgs_rdy++ = (void *)0;
        *perr = OS_ERR_PEND_ABORT;
        break;
    case OS_STAT_PEND_TO:
    default:
        *pmsgs_rdy++ = (void *)0;
        *perr = OS_ERR_TIMEOUT;
        break;
    }

    OSTCBCur->OSTCBStat = OS_STAT_RDY;
    OSTCBCur->OSTCBStatPend = OS_STAT_PEND_OK;
    OSTCBCur->OSTCBEventPtr = (OS_EVENT *)0;
    OSTCBCur->OSTCBEventMultiPtr = (OS_EVENT **)0;
    OSTCBCur->OSTCBEventMultiRdy = (OS_EVENT *)0;
#if ((OS_Q_EN > 0u) && (OS_MAX_QS > 0u)) || (OS_MBOX_EN > 0u)
    OSTCBCur->OSTCBMsg = (void *)0;
#endif
    OS_EXIT_CRITICAL();
    return nbr_rdy;
}
#endif

/* ---------------------------------------------------------------------------
 * Initialisation and start
 * ------------------------------------------------------------------------- */
void OSInit(void)
{
#if OS_TLS_EN > 0u
    INT8U err;
#endif

    OSInitHookBegin();

    os_init_misc();
    os_init_rdy_list();
    os_init_tcb_list();
#if (OS_EVENT_EN) && (OS_MAX_EVENTS > 0u)
    os_init_event_list();
#endif
#if (OS_FLAG_EN > 0u) && (OS_MAX_FLAGS > 0u)
    OS_FlagInit();
#endif
#if (OS_MEM_EN > 0u) && (OS_MAX_MEM_PART > 0u)
    OS_MemInit();
#endif
#if (OS_Q_EN > 0u) && (OS_MAX_QS > 0u)
    OS_QInit();
#endif
#if OS_TLS_EN > 0u
    OS_TLS_Init(&err);
    (void)err;
#endif

    os_init_task_idle();
#if OS_TASK_STAT_EN > 0u
    os_init_task_stat();
#endif
#if OS_TMR_EN > 0u
    OSTmr_Init();
#endif

    OSInitHookEnd();

#if OS_DEBUG_EN > 0u
    OSDebugInit();
#endif
}

void OSStart(void)
{
    if (OSRunning == OS_FALSE) {
        os_sched_new();
        OSPrioCur = OSPrioHighRdy;
        OSTCBHighRdy = OSTCBPrioTbl[OSPrioHighRdy];
        OSTCBCur = OSTCBHighRdy;
        OSStartHighRdy();
    }
}

#ifdef OS_SAFETY_CRITICAL_IEC61508
void OSSafetyCriticalStart(void)
{
    OSSafetyCriticalStartFlag = OS_TRUE;
}
#endif

INT16U OSVersion(void)
{
    return OS_VERSION;
}

#if OS_TASK_DEL_EN > 0u
void OS_Dummy(void)
{
}
#endif

/* ---------------------------------------------------------------------------
 * Interrupts
 * ------------------------------------------------------------------------- */
void OSIntEnter(void)
{
    if (OSRunning == OS_TRUE) {
        if (OSIntNesting < 255u) {
            OSIntNesting++;
        }
        OS_TRACE_ISR_ENTER();
    }
}

void OSIntExit(void)
{
#if OS_CRITICAL_METHOD == 3u
    OS_CPU_SR cpu_sr = 0u;
#endif

    if (OSRunning == OS_TRUE) {
        OS_ENTER_CRITICAL();
        if (OSIntNesting > 0u) {
            OSIntNesting--;
        }
        if ((OSIntNesting == 0u) && (OSLockNesting == 0u)) {
            os_sched_new();
            OSTCBHighRdy = OSTCBPrioTbl[OSPrioHighRdy];
            if (OSPrioHighRdy != OSPrioCur) {
#if OS_TASK_PROFILE_EN > 0u
                OSTCBHighRdy->OSTCBCtxSwCtr++;
#endif
                OSCtxSwCtr++;
#if OS_TLS_EN > 0u
                OS_TLS_TaskSw();
#endif
                OS_TRACE_ISR_EXIT_TO_SCHEDULER();
                OSIntCtxSw();
            } else {
                OS_TRACE_ISR_EXIT();
            }
        } else {
            OS_TRACE_ISR_EXIT();
        }
        OS_EXIT_CRITICAL();
    }
}

/* ---------------------------------------------------------------------------
 * Scheduler lock
 * ------------------------------------------------------------------------- */
#if OS_SCHED_LOCK_EN > 0u
void OSSchedLock(void)
{
#if OS_CRITICAL_METHOD == 3u
    OS_CPU_SR cpu_sr = 0u;
#endif

    if (OSRunning == OS_TRUE) {
        OS_ENTER_CRITICAL();
        if ((OSIntNesting == 0u) && (OSLockNesting < 255u)) {
            OSLockNesting++;
        }
        OS_EXIT_CRITICAL();
    }
}

void OSSchedUnlock(void)
{
    BOOLEAN resched = OS_FALSE;
#if OS_CRITICAL_METHOD == 3u
    OS_CPU_SR cpu_sr = 0u;
#endif

    if (OSRunning == OS_TRUE) {
        OS_ENTER_CRITICAL();
        if ((OSIntNesting == 0u) && (OSLockNesting > 0u)) {
            OSLockNesting--;
            if (OSLockNesting == 0u) {
                resched = OS_TRUE;
            }
        }
        OS_EXIT_CRITICAL();
        if (resched == OS_TRUE) {
            OS_Sched();
        }
    }
}
#endif

/* ---------------------------------------------------------------------------
 * Statistics
 * ------------------------------------------------------------------------- */
#if OS_TASK_STAT_EN > 0u
void OSStatInit(void)
{
#if OS_CRITICAL_METHOD == 3u
    OS_CPU_SR cpu_sr = 0u;
#endif

    OSTimeDly(2u); /* start right after a tick */
    OS_ENTER_CRITICAL();
    OSIdleCtr = 0u;
    OS_EXIT_CRITICAL();
    OSTimeDly(OS_TICKS_PER_SEC / 10u); /* idle count of 1/10 s with nothing else running */
    OS_ENTER_CRITICAL();
    OSIdleCtrMax = OSIdleCtr;
    OSStatRdy = OS_TRUE;
    OS_EXIT_CRITICAL();
}

void OS_TaskStat(void *p_arg)
{
#if OS_CRITICAL_METHOD == 3u
    OS_CPU_SR cpu_sr = 0u;
#endif

    (void)p_arg;
    while (OSStatRdy == OS_FALSE) {
        OSTimeDly(2u * OS_TICKS_PER_SEC / 10u);
    }
    OSIdleCtrMax /= 100u;
    if (OSIdleCtrMax == 0u) {
        /* The idle task never ran during calibration: usage cannot be measured. */
        OSCPUUsage = 0u;
#if OS_TASK_SUSPEND_EN > 0u
        (void)OSTaskSuspend(OS_PRIO_SELF);
#else
        for (;;) {
            OSTimeDly(OS_TICKS_PER_SEC);
        }
#endif
    }
    OS_ENTER_CRITICAL();
    OSIdleCtr = OSIdleCtrMax * 100u;
    OS_EXIT_CRITICAL();
    for (;;) {
        OS_ENTER_CRITICAL();
        OSIdleCtrRun = OSIdleCtr;
        OSIdleCtr = 0u;
        OS_EXIT_CRITICAL();
        if (OSIdleCtrRun / OSIdleCtrMax >= 100u) {
            OSCPUUsage = 0u;
        } else {
            OSCPUUsage = (INT8U)(100u - OSIdleCtrRun / OSIdleCtrMax);
        }
        OSTaskStatHook();
#if (OS_TASK_STAT_STK_CHK_EN > 0u) && (OS_TASK_CREATE_EXT_EN > 0u)
        OS_TaskStatStkChk();
#endif
        OSTimeDly(OS_TICKS_PER_SEC / 10u);
    }
}
#endif

#if (OS_TASK_STAT_STK_CHK_EN > 0u) && (OS_TASK_CREATE_EXT_EN > 0u)
void OS_TaskStatStkChk(void)
{
    OS_STK_DATA stk_data;
    INT8U prio;
    INT8U err;
#if OS_TASK_PROFILE_EN > 0u
    OS_TCB *ptcb;
#endif

    for (prio = 0u; prio <= OS_TASK_IDLE_PRIO; prio++) {
        err = OSTaskStkChk(prio, &stk_data);
        if (err == OS_ERR_NONE) {
#if OS_TASK_PROFILE_EN > 0u
            ptcb = OSTCBPrioTbl[prio];
            if ((ptcb != (OS_TCB *)0) && (ptcb != OS_TCB_RESERVED)) {
#if OS_STK_GROWTH == 1u
                ptcb->OSTCBStkBase = ptcb->OSTCBStkBottom + ptcb->OSTCBStkSize;
#else
                ptcb->OSTCBStkBase = ptcb->OSTCBStkBottom - ptcb->OSTCBStkSize;
#endif
                ptcb->OSTCBStkUsed = stk_data.OSUsed;
            }
#endif
        }
    }
}
#endif

/* ---------------------------------------------------------------------------
 * Clock tick
 * ------------------------------------------------------------------------- */
void OSTimeTick(void)
{
    OS_TCB *ptcb;
#if OS_TICK_STEP_EN > 0u
    BOOLEAN step;
#endif
#if OS_CRITICAL_METHOD == 3u
    OS_CPU_SR cpu_sr = 0u;
#endif

#if OS_TIME_TICK_HOOK_EN > 0u
    OSTimeTickHook();
#endif
#if OS_TIME_GET_SET_EN > 0u
    OS_ENTER_CRITICAL();
    OSTime++;
    OS_TRACE_TICK_INCREMENT(OSTime);
    OS_EXIT_CRITICAL();
#endif
    if (OSRunning != OS_TRUE) {
        return;
    }
#if OS_TICK_STEP_EN > 0u
    switch (OSTickStepState) {
    case OS_TICK_STEP_DIS:
        step = OS_TRUE;
        break;
    case OS_TICK_STEP_WAIT:
        step = OS_FALSE;
        break;
    case OS_TICK_STEP_ONCE:
        step = OS_TRUE;
        OSTickStepState = OS_TICK_STEP_WAIT;
        break;
    default:
        step = OS_TRUE;
        OSTickStepState = OS_TICK_STEP_DIS;
        break;
    }
    if (step == OS_FALSE) {
        return;
    }
#endif
    ptcb = OSTCBList;
    while (ptcb->OSTCBPrio != OS_TASK_IDLE_PRIO) {
        OS_ENTER_CRITICAL();
        if (ptcb->OSTCBDly != 0u) {
            ptcb->OSTCBDly--;
            if (ptcb->OSTCBDly == 0u) {
                if ((ptcb->OSTCBStat & OS_STAT_PEND_ANY) != OS_STAT_RDY) {
                    ptcb->OSTCBStat &= (INT8U)~(INT8U)OS_STAT_PEND_ANY;
                    ptcb->OSTCBStatPend = OS_STAT_PEND_TO;
                } else {
                    ptcb->OSTCBStatPend = OS_STAT_PEND_OK;
                }
                if ((ptcb->OSTCBStat & OS_STAT_SUSPEND) == OS_STAT_RDY) {
                    os_rdy_insert(ptcb);
                    OS_TRACE_TASK_READY(ptcb);
                }
            }
        }
        ptcb = ptcb->OSTCBNext;
        OS_EXIT_CRITICAL();
    }
}

/* ---------------------------------------------------------------------------
 * Event wait lists (callers hold the critical section)
 * ------------------------------------------------------------------------- */
#if (OS_EVENT_EN)
INT8U OS_EventTaskRdy(OS_EVENT *pevent, void *pmsg, INT8U msk, INT8U pend_stat)
{
    OS_TCB *ptcb;
    INT8U y;
    INT8U x;
    INT8U prio;
#if OS_LOWEST_PRIO > 63u
    OS_PRIO *ptbl;
#endif

#if OS_LOWEST_PRIO <= 63u
    y = OSUnMapTbl[pevent->OSEventGrp];
    x = OSUnMapTbl[pevent->OSEventTbl[y]];
    prio = (INT8U)((y << 3u) + x);
#else
    if ((pevent->OSEventGrp & 0xFFu) != 0u) {
        y = OSUnMapTbl[pevent->OSEventGrp & 0xFFu];
    } else {
        y = (INT8U)(OSUnMapTbl[(OS_PRIO)(pevent->OSEventGrp >> 8u) & 0xFFu] + 8u);
    }
    ptbl = &pevent->OSEventTbl[y];
    if ((*ptbl & 0xFFu) != 0u) {
        x = OSUnMapTbl[*ptbl & 0xFFu];
    } else {
        x = (INT8U)(OSUnMapTbl[(OS_PRIO)(*ptbl >> 8u) & 0xFFu] + 8u);
    }
    prio = (INT8U)((y << 4u) + x);
#endif

    ptcb = OSTCBPrioTbl[prio];
    ptcb->OSTCBDly = 0u;
#if ((OS_Q_EN > 0u) && (OS_MAX_QS > 0u)) || (OS_MBOX_EN > 0u)
    ptcb->OSTCBMsg = pmsg;
#else
    (void)pmsg;
#endif
    ptcb->OSTCBStat &= (INT8U)~msk;
    ptcb->OSTCBStatPend = pend_stat;
    if ((ptcb->OSTCBStat & OS_STAT_SUSPEND) == OS_STAT_RDY) {
        os_rdy_insert(ptcb);
        OS_TRACE_TASK_READY(ptcb);
    }
    OS_EventTaskRemove(ptcb, pevent);
#if (OS_EVENT_MULTI_EN > 0u)
    if (ptcb->OSTCBEventMultiPtr != (OS_EVENT **)0) {
        OS_EventTaskRemoveMulti(ptcb, ptcb->OSTCBEventMultiPtr);
        ptcb->OSTCBEventPtr = pevent;
        ptcb->OSTCBEventMultiRdy = pevent;
    }
#endif
    return prio;
}

void OS_EventTaskWait(OS_EVENT *pevent)
{
    OSTCBCur->OSTCBEventPtr = pevent;
    pevent->OSEventTbl[OSTCBCur->OSTCBY] |= OSTCBCur->OSTCBBitX;
    pevent->OSEventGrp |= OSTCBCur->OSTCBBitY;
    os_rdy_remove(OSTCBCur);
}

void OS_EventTaskRemove(OS_TCB *ptcb, OS_EVENT *pevent)
{
    INT8U y = ptcb->OSTCBY;

    pevent->OSEventTbl[y] &= (OS_PRIO)~ptcb->OSTCBBitX;
    if (pevent->OSEventTbl[y] == 0u) {
        pevent->OSEventGrp &= (OS_PRIO)~ptcb->OSTCBBitY;
    }
}

#if (OS_EVENT_MULTI_EN > 0u)
void OS_EventTaskWaitMulti(OS_EVENT **pevents_wait)
{
    OS_EVENT **pp;

    OSTCBCur->OSTCBEventPtr = (OS_EVENT *)0;
    OSTCBCur->OSTCBEventMultiPtr = pevents_wait;
    OSTCBCur->OSTCBEventMultiRdy = (OS_EVENT *)0;
    for (pp = pevents_wait; *pp != (OS_EVENT *)0; pp++) {
        (*pp)->OSEventTbl[OSTCBCur->OSTCBY] |= OSTCBCur->OSTCBBitX;
        (*pp)->OSEventGrp |= OSTCBCur->OSTCBBitY;
    }
    os_rdy_remove(OSTCBCur);
}

void OS_EventTaskRemoveMulti(OS_TCB *ptcb, OS_EVENT **pevents_multi)
{
    OS_EVENT **pp;

    for (pp = pevents_multi; *pp != (OS_EVENT *)0; pp++) {
        OS_EventTaskRemove(ptcb, *pp);
    }
}
#endif

void OS_EventWaitListInit(OS_EVENT *pevent)
{
    INT8U i;

    pevent->OSEventGrp = 0u;
    for (i = 0u; i < OS_EVENT_TBL_SIZE; i++) {
        pevent->OSEventTbl[i] = 0u;
    }
}
#endif

/* ---------------------------------------------------------------------------
 * Initialisation helpers
 * ------------------------------------------------------------------------- */
#if (OS_EVENT_EN) && (OS_MAX_EVENTS > 0u)
static void os_init_event_list(void)
{
    INT16U i;

    OS_MemClr((INT8U *)&OSEventTbl[0], (INT16U)sizeof(OSEventTbl));
    for (i = 0u; i < OS_MAX_EVENTS; i++) {
        OSEventTbl[i].OSEventType = OS_EVENT_TYPE_UNUSED;
        OSEventTbl[i].OSEventPtr = (i + 1u < OS_MAX_EVENTS) ? (void *)&OSEventTbl[i + 1u] : (void *)0;
#if OS_EVENT_NAME_EN > 0u
        OSEventTbl[i].OSEventName = OS_NAME_UNKNOWN;
#endif
    }
    OSEventFreeList = &OSEventTbl[0];
}
#endif

static void os_init_misc(void)
{
#if OS_TIME_GET_SET_EN > 0u
    OSTime = 0u;
#endif
    OSIntNesting = 0u;
    OSLockNesting = 0u;
    OSTaskCtr = 0u;
    OSRunning = OS_FALSE;
    OSCtxSwCtr = 0u;
    OSIdleCtr = 0u;
#if OS_TASK_STAT_EN > 0u
    OSIdleCtrRun = 0u;
    OSIdleCtrMax = 0u;
    OSStatRdy = OS_FALSE;
    OSCPUUsage = 0u;
#endif
#if OS_TICK_STEP_EN > 0u
    OSTickStepState = OS_TICK_STEP_DIS;
#endif
#ifdef OS_SAFETY_CRITICAL_IEC61508
    OSSafetyCriticalStartFlag = OS_FALSE;
#endif
#if OS_TASK_REG_TBL_SIZE > 0u
    OSTaskRegNextAvailID = 0u;
#endif
}

static void os_init_rdy_list(void)
{
    INT8U i;

    OSRdyGrp = 0u;
    for (i = 0u; i < OS_RDY_TBL_SIZE; i++) {
        OSRdyTbl[i] = 0u;
    }
    OSPrioCur = 0u;
    OSPrioHighRdy = 0u;
    OSTCBHighRdy = (OS_TCB *)0;
    OSTCBCur = (OS_TCB *)0;
}

static void os_init_tcb_list(void)
{
    INT16U i;

    OS_MemClr((INT8U *)&OSTCBTbl[0], (INT16U)sizeof(OSTCBTbl));
    OS_MemClr((INT8U *)&OSTCBPrioTbl[0], (INT16U)sizeof(OSTCBPrioTbl));
    for (i = 0u; i < OS_MAX_TASKS + OS_N_SYS_TASKS; i++) {
        OSTCBTbl[i].OSTCBNext = (i + 1u < OS_MAX_TASKS + OS_N_SYS_TASKS) ? &OSTCBTbl[i + 1u] : (OS_TCB *)0;
#if OS_TASK_NAME_EN > 0u
        OSTCBTbl[i].OSTCBTaskName = OS_NAME_UNKNOWN;
#endif
    }
    OSTCBList = (OS_TCB *)0;
    OSTCBFreeList = &OSTCBTbl[0];
}

static void os_init_task_idle(void)
{
#if OS_TASK_NAME_EN > 0u
    INT8U err;
#endif

#if OS_TASK_CREATE_EXT_EN > 0u
#if OS_STK_GROWTH == 1u
    (void)OSTaskCreateExt(OS_TaskIdle, (void *)0, &OSTaskIdleStk[OS_TASK_IDLE_STK_SIZE - 1u], OS_TASK_IDLE_PRIO,
                          OS_TASK_IDLE_ID, &OSTaskIdleStk[0], OS_TASK_IDLE_STK_SIZE, (void *)0,
                          OS_TASK_OPT_STK_CHK | OS_TASK_OPT_STK_CLR);
#else
    (void)OSTaskCreateExt(OS_TaskIdle, (void *)0, &OSTaskIdleStk[0], OS_TASK_IDLE_PRIO, OS_TASK_IDLE_ID,
                          &OSTaskIdleStk[OS_TASK_IDLE_STK_SIZE - 1u], OS_TASK_IDLE_STK_SIZE, (void *)0,
                          OS_TASK_OPT_STK_CHK | OS_TASK_OPT_STK_CLR);
#endif
#else
#if OS_STK_GROWTH == 1u
    (void)OSTaskCreate(OS_TaskIdle, (void *)0, &OSTaskIdleStk[OS_TASK_IDLE_STK_SIZE - 1u], OS_TASK_IDLE_PRIO);
#else
    (void)OSTaskCreate(OS_TaskIdle, (void *)0, &OSTaskIdleStk[0], OS_TASK_IDLE_PRIO);
#endif
#endif
#if OS_TASK_NAME_EN > 0u
    OSTaskNameSet(OS_TASK_IDLE_PRIO, (INT8U *)(void *)"uC/OS-II Idle", &err);
    (void)err;
#endif
}

#if OS_TASK_STAT_EN > 0u
static void os_init_task_stat(void)
{
#if OS_TASK_NAME_EN > 0u
    INT8U err;
#endif

#if OS_TASK_CREATE_EXT_EN > 0u
#if OS_STK_GROWTH == 1u
    (void)OSTaskCreateExt(OS_TaskStat, (void *)0, &OSTaskStatStk[OS_TASK_STAT_STK_SIZE - 1u], OS_TASK_STAT_PRIO,
                          OS_TASK_STAT_ID, &OSTaskStatStk[0], OS_TASK_STAT_STK_SIZE, (void *)0,
                          OS_TASK_OPT_STK_CHK | OS_TASK_OPT_STK_CLR);
#else
    (void)OSTaskCreateExt(OS_TaskStat, (void *)0, &OSTaskStatStk[0], OS_TASK_STAT_PRIO, OS_TASK_STAT_ID,
                          &OSTaskStatStk[OS_TASK_STAT_STK_SIZE - 1u], OS_TASK_STAT_STK_SIZE, (void *)0,
                          OS_TASK_OPT_STK_CHK | OS_TASK_OPT_STK_CLR);
#endif
#else
#if OS_STK_GROWTH == 1u
    (void)OSTaskCreate(OS_TaskStat, (void *)0, &OSTaskStatStk[OS_TASK_STAT_STK_SIZE - 1u], OS_TASK_STAT_PRIO);
#else
    (void)OSTaskCreate(OS_TaskStat, (void *)0, &OSTaskStatStk[0], OS_TASK_STAT_PRIO);
#endif
#endif
#if OS_TASK_NAME_EN > 0u
    OSTaskNameSet(OS_TASK_STAT_PRIO, (INT8U *)(void *)"uC/OS-II Stat", &err);
    (void)err;
#endif
}
#endif

/* ---------------------------------------------------------------------------
 * Small memory and string helpers (no libc)
 * ------------------------------------------------------------------------- */
void OS_MemClr(INT8U *pdest, INT16U size)
{
    while (size > 0u) {
        *pdest++ = 0u;
        size--;
    }
}

void OS_MemCopy(INT8U *pdest, INT8U *psrc, INT16U size)
{
    while (size > 0u) {
        *pdest++ = *psrc++;
        size--;
    }
}

INT8U OS_StrLen(INT8U *psrc)
{
    INT8U len = 0u;

    if (psrc == (INT8U *)0) {
        return 0u;
    }
    while ((*psrc != OS_ASCII_NUL) && (len < 255u)) {
        psrc++;
        len++;
    }
    return len;
}

/* ---------------------------------------------------------------------------
 * Scheduler
 * ------------------------------------------------------------------------- */
void OS_Sched(void)
{
#if OS_CRITICAL_METHOD == 3u
    OS_CPU_SR cpu_sr = 0u;
#endif

    OS_ENTER_CRITICAL();
    if ((OSIntNesting == 0u) && (OSLockNesting == 0u)) {
        os_sched_new();
        OSTCBHighRdy = OSTCBPrioTbl[OSPrioHighRdy];
        if (OSPrioHighRdy != OSPrioCur) {
#if OS_TASK_PROFILE_EN > 0u
            OSTCBHighRdy->OSTCBCtxSwCtr++;
#endif
            OSCtxSwCtr++;
#if OS_TLS_EN > 0u
            OS_TLS_TaskSw();
#endif
            OS_TASK_SW();
        }
    }
    OS_EXIT_CRITICAL();
}

/* Highest ready priority into OSPrioHighRdy (caller holds the critical section). */
static void os_sched_new(void)
{
#if OS_LOWEST_PRIO <= 63u
    INT8U y = OSUnMapTbl[OSRdyGrp];

    OSPrioHighRdy = (INT8U)((y << 3u) + OSUnMapTbl[OSRdyTbl[y]]);
#else
    INT8U y;
    OS_PRIO row;

    if ((OSRdyGrp & 0xFFu) != 0u) {
        y = OSUnMapTbl[OSRdyGrp & 0xFFu];
    } else {
        y = (INT8U)(OSUnMapTbl[(OS_PRIO)(OSRdyGrp >> 8u) & 0xFFu] + 8u);
    }
    row = OSRdyTbl[y];
    if ((row & 0xFFu) != 0u) {
        OSPrioHighRdy = (INT8U)((y << 4u) + OSUnMapTbl[row & 0xFFu]);
    } else {
        OSPrioHighRdy = (INT8U)((y << 4u) + OSUnMapTbl[(OS_PRIO)(row >> 8u) & 0xFFu] + 8u);
    }
#endif
}

/* ---------------------------------------------------------------------------
 * Idle task and task return
 * ------------------------------------------------------------------------- */
void OS_TaskIdle(void *p_arg)
{
#if OS_CRITICAL_METHOD == 3u
    OS_CPU_SR cpu_sr = 0u;
#endif

    (void)p_arg;
    for (;;) {
        OS_ENTER_CRITICAL();
        OSIdleCtr++;
        OS_EXIT_CRITICAL();
        OSTaskIdleHook();
    }
}

void OS_TaskReturn(void)
{
    OSTaskReturnHook(OSTCBCur);
#if OS_TASK_DEL_EN > 0u
    (void)OSTaskDel(OS_PRIO_SELF);
#else
    for (;;) {
        OSTimeDly(OS_TICKS_PER_SEC);
    }
#endif
}

#if OS_TASK_CREATE_EXT_EN > 0u
void OS_TaskStkClr(OS_STK *pbos, INT32U size, INT16U opt)
{
    if (((opt & OS_TASK_OPT_STK_CHK) != 0u) && ((opt & OS_TASK_OPT_STK_CLR) != 0u)) {
        while (size > 0u) {
#if OS_STK_GROWTH == 1u
            *pbos++ = (OS_STK)0;
#else
            *pbos-- = (OS_STK)0;
#endif
            size--;
        }
    }
}
#endif

/* ---------------------------------------------------------------------------
 * TCB set-up, shared by OSTaskCreate() and OSTaskCreateExt()
 * ------------------------------------------------------------------------- */
INT8U OS_TCBInit(INT8U prio, OS_STK *ptos, OS_STK *pbos, INT16U id, INT32U stk_size, void *pext, INT16U opt)
{
    OS_TCB *ptcb;
#if OS_TASK_REG_TBL_SIZE > 0u
    INT8U i;
#endif
#if OS_CRITICAL_METHOD == 3u
    OS_CPU_SR cpu_sr = 0u;
#endif

    OS_ENTER_CRITICAL();
    ptcb = OSTCBFreeList;
    if (ptcb == (OS_TCB *)0) {
        OS_EXIT_CRITICAL();
        return OS_ERR_TASK_NO_MORE_TCB;
    }
    OSTCBFreeList = ptcb->OSTCBNext;
    OS_EXIT_CRITICAL();

    ptcb->OSTCBStkPtr = ptos;
    ptcb->OSTCBPrio = prio;
    ptcb->OSTCBStat = OS_STAT_RDY;
    ptcb->OSTCBStatPend = OS_STAT_PEND_OK;
    ptcb->OSTCBDly = 0u;

#if OS_TASK_CREATE_EXT_EN > 0u
    ptcb->OSTCBExtPtr = pext;
    ptcb->OSTCBStkSize = stk_size;
    ptcb->OSTCBStkBottom = pbos;
    ptcb->OSTCBOpt = opt;
    ptcb->OSTCBId = id;
#else
    (void)pext;
    (void)stk_size;
    (void)pbos;
    (void)opt;
    (void)id;
#endif

#if OS_TASK_DEL_EN > 0u
    ptcb->OSTCBDelReq = OS_ERR_NONE;
#endif

#if OS_LOWEST_PRIO <= 63u
    ptcb->OSTCBY = (INT8U)(prio >> 3u);
    ptcb->OSTCBX = (INT8U)(prio & 0x07u);
#else
    ptcb->OSTCBY = (INT8U)((INT8U)(prio >> 4u) & 0xFFu);
    ptcb->OSTCBX = (INT8U)(prio & 0x0Fu);
#endif
    ptcb->OSTCBBitY = (OS_PRIO)(1uL << ptcb->OSTCBY);
    ptcb->OSTCBBitX = (OS_PRIO)(1uL << ptcb->OSTCBX);

#if (OS_EVENT_EN) && (OS_MAX_EVENTS > 0u)
    ptcb->OSTCBEventPtr = (OS_EVENT *)0;
#endif
#if (OS_EVENT_EN) && (OS_EVENT_MULTI_EN > 0u)
    ptcb->OSTCBEventMultiPtr = (OS_EVENT **)0;
    ptcb->OSTCBEventMultiRdy = (OS_EVENT *)0;
#endif
#if ((OS_Q_EN > 0u) && (OS_MAX_QS > 0u)) || (OS_MBOX_EN > 0u)
    ptcb->OSTCBMsg = (void *)0;
#endif
#if (OS_FLAG_EN > 0u) && (OS_MAX_FLAGS > 0u)
#if OS_TASK_DEL_EN > 0u
    ptcb->OSTCBFlagNode = (OS_FLAG_NODE *)0;
#endif
    ptcb->OSTCBFlagsRdy = 0u;
#endif
#if OS_TASK_PROFILE_EN > 0u
    ptcb->OSTCBCtxSwCtr = 0u;
    ptcb->OSTCBCyclesStart = 0u;
    ptcb->OSTCBCyclesTot = 0u;
    ptcb->OSTCBStkBase = (OS_STK *)0;
    ptcb->OSTCBStkUsed = 0u;
#endif
#if OS_TASK_NAME_EN > 0u
    ptcb->OSTCBTaskName = OS_NAME_UNKNOWN;
#endif
#if OS_TASK_REG_TBL_SIZE > 0u
    for (i = 0u; i < OS_TASK_REG_TBL_SIZE; i++) {
        ptcb->OSTCBRegTbl[i] = 0u;
    }
#endif

    OSTCBInitHook(ptcb);

    OS_ENTER_CRITICAL();
    OSTCBPrioTbl[prio] = ptcb;
    OS_EXIT_CRITICAL();

    OSTaskCreateHook(ptcb);

#if OS_TLS_EN > 0u
    OS_TLS_TaskCreate(ptcb);
#endif

    OS_ENTER_CRITICAL();
    ptcb->OSTCBNext = OSTCBList;
    ptcb->OSTCBPrev = (OS_TCB *)0;
    if (OSTCBList != (OS_TCB *)0) {
        OSTCBList->OSTCBPrev = ptcb;
    }
    OSTCBList = ptcb;
    os_rdy_insert(ptcb);
    OSTaskCtr++;
    OS_TRACE_TASK_READY(ptcb);
    OS_EXIT_CRITICAL();
    return OS_ERR_NONE;
}
