/* SPDX-License-Identifier: MIT OR Apache-2.0 */
/*
 * ucvisor bundled µC/OS-II-compatible kernel — written for this project from the
 * documented V2.93.01 API.
 *
 * os_time.c: delays, delay resume and the tick counter.
 */
#include "ucos_ii.h"

void OSTimeDly(INT32U ticks)
{
#if OS_CRITICAL_METHOD == 3u
    OS_CPU_SR cpu_sr = 0u;
#endif

    if (OSIntNesting > 0u) {
        return; /* ISRs cannot wait */
    }
    if (OSLockNesting > 0u) {
        return; /* the scheduler is locked: nothing else could run */
    }
    if (ticks > 0u) {
        OS_ENTER_CRITICAL();
        OSRdyTbl[OSTCBCur->OSTCBY] &= (OS_PRIO)~OSTCBCur->OSTCBBitX;
        if (OSRdyTbl[OSTCBCur->OSTCBY] == 0u) {
            OSRdyGrp &= (OS_PRIO)~OSTCBCur->OSTCBBitY;
        }
        OSTCBCur->OSTCBDly = ticks;
        OS_TRACE_TASK_DLY(ticks);
        OS_EXIT_CRITICAL();
        OS_Sched();
    }
}

#if OS_TIME_DLY_HMSM_EN > 0u
INT8U OSTimeDlyHMSM(INT8U hours, INT8U minutes, INT8U seconds, INT16U ms)
{
    INT32U ticks;

    if (OSIntNesting > 0u) {
        return OS_ERR_TIME_DLY_ISR;
    }
    if (OSLockNesting > 0u) {
        return OS_ERR_SCHED_LOCKED;
    }
#if OS_ARG_CHK_EN > 0u
    if ((hours == 0u) && (minutes == 0u) && (seconds == 0u) && (ms == 0u)) {
        return OS_ERR_TIME_ZERO_DLY;
    }
    if (minutes > 59u) {
        return OS_ERR_TIME_INVALID_MINUTES;
    }
    if (seconds > 59u) {
        return OS_ERR_TIME_INVALID_SECONDS;
    }
    if (ms > 999u) {
        return OS_ERR_TIME_INVALID_MS;
    }
#endif
    /* Whole seconds, plus the milliseconds rounded to the nearest tick. */
    ticks = ((INT32U)hours * 3600u + (INT32U)minutes * 60u + (INT32U)seconds) * OS_TICKS_PER_SEC +
            OS_TICKS_PER_SEC * ((INT32U)ms + 500u / OS_TICKS_PER_SEC) / 1000u;
    OSTimeDly(ticks);
    return OS_ERR_NONE;
}
#endif

#if OS_TIME_DLY_RESUME_EN > 0u
INT8U OSTimeDlyResume(INT8U prio)
{
    OS_TCB *ptcb;
#if OS_CRITICAL_METHOD == 3u
    OS_CPU_SR cpu_sr = 0u;
#endif

#if OS_ARG_CHK_EN > 0u
    if (prio >= OS_LOWEST_PRIO) {
        return OS_ERR_PRIO_INVALID;
    }
#endif
    OS_ENTER_CRITICAL();
    ptcb = OSTCBPrioTbl[prio];
    if ((ptcb == (OS_TCB *)0) || (ptcb == OS_TCB_RESERVED)) {
        OS_EXIT_CRITICAL();
        return OS_ERR_TASK_NOT_EXIST;
    }
    if (ptcb->OSTCBDly == 0u) {
        OS_EXIT_CRITICAL();
        return OS_ERR_TIME_NOT_DLY;
    }
    ptcb->OSTCBDly = 0u;
    if ((ptcb->OSTCBStat & OS_STAT_PEND_ANY) != OS_STAT_RDY) {
        /* A pend with timeout ends as if it timed out. */
        ptcb->OSTCBStat &= (INT8U)~(INT8U)OS_STAT_PEND_ANY;
        ptcb->OSTCBStatPend = OS_STAT_PEND_TO;
    } else {
        ptcb->OSTCBStatPend = OS_STAT_PEND_OK;
    }
    if ((ptcb->OSTCBStat & OS_STAT_SUSPEND) == OS_STAT_RDY) {
        OSRdyGrp |= ptcb->OSTCBBitY;
        OSRdyTbl[ptcb->OSTCBY] |= ptcb->OSTCBBitX;
        OS_TRACE_TASK_READY(ptcb);
        OS_EXIT_CRITICAL();
        OS_Sched();
    } else {
        OS_EXIT_CRITICAL();
    }
    return OS_ERR_NONE;
}
#endif

#if OS_TIME_GET_SET_EN > 0u
INT32U OSTimeGet(void)
{
    INT32U ticks;
#if OS_CRITICAL_METHOD == 3u
    OS_CPU_SR cpu_sr = 0u;
#endif

    OS_ENTER_CRITICAL();
    ticks = OSTime;
    OS_EXIT_CRITICAL();
    return ticks;
}

void OSTimeSet(INT32U ticks)
{
#if OS_CRITICAL_METHOD == 3u
    OS_CPU_SR cpu_sr = 0u;
#endif

    OS_ENTER_CRITICAL();
    OSTime = ticks;
    OS_EXIT_CRITICAL();
}
#endif
