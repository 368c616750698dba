/* SPDX-License-Identifier: MIT OR Apache-2.0 */
/*
 * ucvisor bundled µC/OS-II-compatible kernel — written for this project from the
 * documented V2.93.01 API.
 *
 * os_tmr.c: software timers. A timer task, woken by OSTmrSignal() at
 * OS_TMR_CFG_TICKS_PER_SEC (the port calls it from its tick hook), advances
 * OSTmrTime and fires the timers whose match time has come. Running timers sit
 * in a hashed wheel of OS_TMR_CFG_WHEEL_SIZE spokes, keyed by match time.
 * Timer services and callbacks run with the scheduler locked.
 */
#include "ucos_ii.h"

#if OS_TMR_EN > 0u

#define OS_NAME_UNKNOWN ((INT8U *)(void *)"?")

static void os_tmr_task(void *p_arg);

static OS_TMR *os_tmr_alloc(void)
{
    OS_TMR *ptmr = OSTmrFreeList;

    if (ptmr == (OS_TMR *)0) {
        return (OS_TMR *)0;
    }
    OSTmrFreeList = (OS_TMR *)ptmr->OSTmrNext;
    ptmr->OSTmrNext = (void *)0;
    ptmr->OSTmrPrev = (void *)0;
    OSTmrUsed++;
    OSTmrFree--;
    return ptmr;
}

static void os_tmr_free(OS_TMR *ptmr)
{
    ptmr->OSTmrState = OS_TMR_STATE_UNUSED;
    ptmr->OSTmrOpt = OS_TMR_OPT_NONE;
    ptmr->OSTmrPeriod = 0u;
    ptmr->OSTmrMatch = 0u;
    ptmr->OSTmrCallback = (OS_TMR_CALLBACK)0;
    ptmr->OSTmrCallbackArg = (void *)0;
#if OS_TMR_CFG_NAME_EN > 0u
    ptmr->OSTmrName = OS_NAME_UNKNOWN;
#endif
    ptmr->OSTmrPrev = (void *)0;
    ptmr->OSTmrNext = (void *)OSTmrFreeList;
    OSTmrFreeList = ptmr;
    OSTmrUsed--;
    OSTmrFree++;
}

/* Put a timer on the wheel; `type` says whether this is a (re)start or the
 * reload of a periodic timer. */
static void os_tmr_link(OS_TMR *ptmr, INT8U type)
{
    OS_TMR_WHEEL *spoke;
    OS_TMR *pfirst;

    ptmr->OSTmrState = OS_TMR_STATE_RUNNING;
    if ((type == OS_TMR_LINK_PERIODIC) || (ptmr->OSTmrDly == 0u)) {
        ptmr->OSTmrMatch = ptmr->OSTmrPeriod + OSTmrTime;
    } else {
        ptmr->OSTmrMatch = ptmr->OSTmrDly + OSTmrTime;
    }
    spoke = &OSTmrWheelTbl[ptmr->OSTmrMatch % OS_TMR_CFG_WHEEL_SIZE];
    pfirst = spoke->OSTmrFirst;
    ptmr->OSTmrPrev = (void *)0;
    ptmr->OSTmrNext = (void *)pfirst;
    if (pfirst != (OS_TMR *)0) {
        pfirst->OSTmrPrev = (void *)ptmr;
    }
    spoke->OSTmrFirst = ptmr;
    spoke->OSTmrEntries++;
}

static void os_tmr_unlink(OS_TMR *ptmr)
{
    OS_TMR_WHEEL *spoke = &OSTmrWheelTbl[ptmr->OSTmrMatch % OS_TMR_CFG_WHEEL_SIZE];
    OS_TMR *pprev = (OS_TMR *)ptmr->OSTmrPrev;
    OS_TMR *pnext = (OS_TMR *)ptmr->OSTmrNext;

    if (pprev == (OS_TMR *)0) {
        spoke->OSTmrFirst = pnext;
    } else {
        pprev->OSTmrNext = (void *)pnext;
    }
    if (pnext != (OS_TMR *)0) {
        pnext->OSTmrPrev = (void *)pprev;
    }
    ptmr->OSTmrState = OS_TMR_STATE_STOPPED;
    ptmr->OSTmrNext = (void *)0;
    ptmr->OSTmrPrev = (void *)0;
    spoke->OSTmrEntries--;
}

/* Shared argument checks; returns OS_TRUE when the timer may be used. */
static BOOLEAN os_tmr_check(OS_TMR *ptmr, INT8U isr_err, INT8U *perr)
{
#if OS_ARG_CHK_EN > 0u
    if (ptmr == (OS_TMR *)0) {
        *perr = OS_ERR_TMR_INVALID;
        return OS_FALSE;
    }
#endif
    if (ptmr->OSTmrType != OS_TMR_TYPE) {
        *perr = OS_ERR_TMR_INVALID_TYPE;
        return OS_FALSE;
    }
    if (OSIntNesting > 0u) {
        *perr = isr_err;
        return OS_FALSE;
    }
    return OS_TRUE;
}

OS_TMR *OSTmrCreate(INT32U dly, INT32U period, INT8U opt, OS_TMR_CALLBACK callback, void *callback_arg,
                    INT8U *pname, INT8U *perr)
{
    OS_TMR *ptmr;

#ifdef OS_SAFETY_CRITICAL_IEC61508
    if (OSSafetyCriticalStartFlag == OS_TRUE) {
        *perr = OS_ERR_ILLEGAL_CREATE_RUN_TIME;
        return (OS_TMR *)0;
    }
#endif
#if OS_ARG_CHK_EN > 0u
    switch (opt) {
    case OS_TMR_OPT_PERIODIC:
        if (period == 0u) {
            *perr = OS_ERR_TMR_INVALID_PERIOD;
            return (OS_TMR *)0;
        }
        break;
    case OS_TMR_OPT_ONE_SHOT:
        if (dly == 0u) {
            *perr = OS_ERR_TMR_INVALID_DLY;
            return (OS_TMR *)0;
        }
        break;
    default:
        *perr = OS_ERR_TMR_INVALID_OPT;
        return (OS_TMR *)0;
    }
#endif
    if (OSIntNesting > 0u) {
        *perr = OS_ERR_TMR_ISR;
        return (OS_TMR *)0;
    }
    OSSchedLock();
    ptmr = os_tmr_alloc();
    if (ptmr == (OS_TMR *)0) {
        OSSchedUnlock();
        *perr = OS_ERR_TMR_NON_AVAIL;
        return (OS_TMR *)0;
    }
    ptmr->OSTmrState = OS_TMR_STATE_STOPPED;
    ptmr->OSTmrDly = dly;
    ptmr->OSTmrPeriod = period;
    ptmr->OSTmrOpt = opt;
    ptmr->OSTmrCallback = callback;
    ptmr->OSTmrCallbackArg = callback_arg;
#if OS_TMR_CFG_NAME_EN > 0u
    ptmr->OSTmrName = (pname != (INT8U *)0) ? pname : OS_NAME_UNKNOWN;
#else
    (void)pname;
#endif
    OS_TRACE_TMR_CREATE(ptmr, pname);
    OSSchedUnlock();
    *perr = OS_ERR_NONE;
    return ptmr;
}

BOOLEAN OSTmrDel(OS_TMR *ptmr, INT8U *perr)
{
    BOOLEAN ok;

    if (os_tmr_check(ptmr, OS_ERR_TMR_ISR, perr) == OS_FALSE) {
        return OS_FALSE;
    }
    OSSchedLock();
    switch (ptmr->OSTmrState) {
    case OS_TMR_STATE_RUNNING:
        os_tmr_unlink(ptmr);
        os_tmr_free(ptmr);
        *perr = OS_ERR_NONE;
        ok = OS_TRUE;
        break;
    case OS_TMR_STATE_STOPPED:
    case OS_TMR_STATE_COMPLETED:
        os_tmr_free(ptmr);
        *perr = OS_ERR_NONE;
        ok = OS_TRUE;
        break;
    case OS_TMR_STATE_UNUSED:
        *perr = OS_ERR_TMR_INACTIVE;
        ok = OS_FALSE;
        break;
    default:
        *perr = OS_ERR_TMR_INVALID_STATE;
        ok = OS_FALSE;
        break;
    }
    OSSchedUnlock();
    return ok;
}

#if OS_TMR_CFG_NAME_EN > 0u
INT8U OSTmrNameGet(OS_TMR *ptmr, INT8U **pdest, INT8U *perr)
{
    INT8U len;

#if OS_ARG_CHK_EN > 0u
    if (pdest == (INT8U **)0) {
        *perr = OS_ERR_TMR_INVALID_DEST;
        return 0u;
    }
#endif
    if (os_tmr_check(ptmr, OS_ERR_NAME_GET_ISR, perr) == OS_FALSE) {
        return 0u;
    }
    OSSchedLock();
    switch (ptmr->OSTmrState) {
    case OS_TMR_STATE_RUNNING:
    case OS_TMR_STATE_STOPPED:
    case OS_TMR_STATE_COMPLETED:
        *pdest = ptmr->OSTmrName;
        len = OS_StrLen(*pdest);
        *perr = OS_ERR_NONE;
        break;
    case OS_TMR_STATE_UNUSED:
        *perr = OS_ERR_TMR_INACTIVE;
        len = 0u;
        break;
    default:
        *perr = OS_ERR_TMR_INVALID_STATE;
        len = 0u;
        break;
    }
    OSSchedUnlock();
    return len;
}
#endif

INT32U OSTmrRemainGet(OS_TMR *ptmr, INT8U *perr)
{
    INT32U remain;

    if (os_tmr_check(ptmr, OS_ERR_TMR_ISR, perr) == OS_FALSE) {
        return 0u;
    }
    OSSchedLock();
    switch (ptmr->OSTmrState) {
    case OS_TMR_STATE_RUNNING:
        remain = ptmr->OSTmrMatch - OSTmrTime;
        *perr = OS_ERR_NONE;
        break;
    case OS_TMR_STATE_STOPPED:
        /* What a start would wait for the first expiry. */
        if ((ptmr->OSTmrOpt == OS_TMR_OPT_PERIODIC) && (ptmr->OSTmrDly == 0u)) {
            remain = ptmr->OSTmrPeriod;
        } else {
            remain = ptmr->OSTmrDly;
        }
        *perr = OS_ERR_NONE;
        break;
    case OS_TMR_STATE_COMPLETED:
        remain = 0u;
        *perr = OS_ERR_NONE;
        break;
    case OS_TMR_STATE_UNUSED:
        remain = 0u;
        *perr = OS_ERR_TMR_INACTIVE;
        break;
    default:
        remain = 0u;
        *perr = OS_ERR_TMR_INVALID_STATE;
        break;
    }
    OSSchedUnlock();
    return remain;
}

INT8U OSTmrStateGet(OS_TMR *ptmr, INT8U *perr)
{
    INT8U state;

    if (os_tmr_check(ptmr, OS_ERR_TMR_ISR, perr) == OS_FALSE) {
        return 0u;
    }
    OSSchedLock();
    state = ptmr->OSTmrState;
    switch (state) {
    case OS_TMR_STATE_UNUSED:
    case OS_TMR_STATE_STOPPED:
    case OS_TMR_STATE_COMPLETED:
    case OS_TMR_STATE_RUNNING:
        *perr = OS_ERR_NONE;
        break;
    default:
        *perr = OS_ERR_TMR_INVALID_STATE;
        break;
    }
    OSSchedUnlock();
    return state;
}

BOOLEAN OSTmrStart(OS_TMR *ptmr, INT8U *perr)
{
    BOOLEAN ok;

    if (os_tmr_check(ptmr, OS_ERR_TMR_ISR, perr) == OS_FALSE) {
        return OS_FALSE;
    }
    OSSchedLock();
    switch (ptmr->OSTmrState) {
    case OS_TMR_STATE_RUNNING:
        os_tmr_unlink(ptmr); /* restart from now */
        os_tmr_link(ptmr, OS_TMR_LINK_DLY);
        *perr = OS_ERR_NONE;
        ok = OS_TRUE;
        break;
    case OS_TMR_STATE_STOPPED:
    case OS_TMR_STATE_COMPLETED:
        os_tmr_link(ptmr, OS_TMR_LINK_DLY);
        *perr = OS_ERR_NONE;
        ok = OS_TRUE;
        break;
    case OS_TMR_STATE_UNUSED:
        *perr = OS_ERR_TMR_INACTIVE;
        ok = OS_FALSE;
        break;
    default:
        *perr = OS_ERR_TMR_INVALID_STATE;
        ok = OS_FALSE;
        break;
    }
    OSSchedUnlock();
    return ok;
}

BOOLEAN OSTmrStop(OS_TMR *ptmr, INT8U opt, void *callback_arg, INT8U *perr)
{
    OS_TMR_CALLBACK pfnct;
    BOOLEAN ok;

    if (os_tmr_check(ptmr, OS_ERR_TMR_ISR, perr) == OS_FALSE) {
        return OS_FALSE;
    }
    OSSchedLock();
    switch (ptmr->OSTmrState) {
    case OS_TMR_STATE_RUNNING:
        os_tmr_unlink(ptmr);
        *perr = OS_ERR_NONE;
        pfnct = ptmr->OSTmrCallback;
        switch (opt) {
        case OS_TMR_OPT_CALLBACK:
            if (pfnct != (OS_TMR_CALLBACK)0) {
                (*pfnct)((void *)ptmr, ptmr->OSTmrCallbackArg);
            } else {
                *perr = OS_ERR_TMR_NO_CALLBACK;
            }
            break;
        case OS_TMR_OPT_CALLBACK_ARG:
            if (pfnct != (OS_TMR_CALLBACK)0) {
                (*pfnct)((void *)ptmr, callback_arg);
            } else {
                *perr = OS_ERR_TMR_NO_CALLBACK;
            }
            break;
        case OS_TMR_OPT_NONE:
            break;
        default:
            *perr = OS_ERR_TMR_INVALID_OPT;
            break;
        }
        ok = OS_TRUE;
        break;
    case OS_TMR_STATE_COMPLETED:
    case OS_TMR_STATE_STOPPED:
        *perr = OS_ERR_TMR_STOPPED;
        ok = OS_TRUE;
        break;
    case OS_TMR_STATE_UNUSED:
        *perr = OS_ERR_TMR_INACTIVE;
        ok = OS_FALSE;
        break;
    default:
        *perr = OS_ERR_TMR_INVALID_STATE;
        ok = OS_FALSE;
        break;
    }
    OSSchedUnlock();
    return ok;
}

INT8U OSTmrSignal(void)
{
    return OSSemPost(OSTmrSemSignal);
}

void OSTmr_Init(void)
{
    INT16U i;
#if OS_EVENT_NAME_EN > 0u
    INT8U err;
#endif

    OS_MemClr((INT8U *)&OSTmrTbl[0], (INT16U)sizeof(OSTmrTbl));
    OS_MemClr((INT8U *)&OSTmrWheelTbl[0], (INT16U)sizeof(OSTmrWheelTbl));
    for (i = 0u; i < OS_TMR_CFG_MAX; i++) {
        OSTmrTbl[i].OSTmrType = OS_TMR_TYPE;
        OSTmrTbl[i].OSTmrState = OS_TMR_STATE_UNUSED;
        OSTmrTbl[i].OSTmrNext = (i + 1u < OS_TMR_CFG_MAX) ? (void *)&OSTmrTbl[i + 1u] : (void *)0;
#if OS_TMR_CFG_NAME_EN > 0u
        OSTmrTbl[i].OSTmrName = OS_NAME_UNKNOWN;
#endif
    }
    OSTmrTime = 0u;
    OSTmrUsed = 0u;
    OSTmrFree = OS_TMR_CFG_MAX;
    OSTmrFreeList = &OSTmrTbl[0];
    OSTmrSem = OSSemCreate(1u);
    OSTmrSemSignal = OSSemCreate(0u);
#if OS_EVENT_NAME_EN > 0u
    OSEventNameSet(OSTmrSem, (INT8U *)(void *)"uC/OS-II TmrLock", &err);
    OSEventNameSet(OSTmrSemSignal, (INT8U *)(void *)"uC/OS-II TmrSignal", &err);
    (void)err;
#endif

    {
#if OS_TASK_NAME_EN > 0u
        INT8U terr;
#endif
#if OS_TASK_CREATE_EXT_EN > 0u
#if OS_STK_GROWTH == 1u
        (void)OSTaskCreateExt(os_tmr_task, (void *)0, &OSTmrTaskStk[OS_TASK_TMR_STK_SIZE - 1u], OS_TASK_TMR_PRIO,
                              OS_TASK_TMR_ID, &OSTmrTaskStk[0], OS_TASK_TMR_STK_SIZE, (void *)0,
                              OS_TASK_OPT_STK_CHK | OS_TASK_OPT_STK_CLR);
#else
        (void)OSTaskCreateExt(os_tmr_task, (void *)0, &OSTmrTaskStk[0], OS_TASK_TMR_PRIO, OS_TASK_TMR_ID,
                              &OSTmrTaskStk[OS_TASK_TMR_STK_SIZE - 1u], OS_TASK_TMR_STK_SIZE, (void *)0,
                              OS_TASK_OPT_STK_CHK | OS_TASK_OPT_STK_CLR);
#endif
#else
#if OS_STK_GROWTH == 1u
        (void)OSTaskCreate(os_tmr_task, (void *)0, &OSTmrTaskStk[OS_TASK_TMR_STK_SIZE - 1u], OS_TASK_TMR_PRIO);
#else
        (void)OSTaskCreate(os_tmr_task, (void *)0, &OSTmrTaskStk[0], OS_TASK_TMR_PRIO);
#endif
#endif
#if OS_TASK_NAME_EN > 0u
        OSTaskNameSet(OS_TASK_TMR_PRIO, (INT8U *)(void *)"uC/OS-II Tmr", &terr);
        (void)terr;
#endif
    }
}

/* The timer task: one wheel step per OSTmrSignal(). */
static void os_tmr_task(void *p_arg)
{
    INT8U err;
    OS_TMR *ptmr;
    OS_TMR *pnext;
    OS_TMR_CALLBACK pfnct;

    (void)p_arg;
    for (;;) {
        OSSemPend(OSTmrSemSignal, 0u, &err);
        OSSchedLock();
        OSTmrTime++;
        ptmr = OSTmrWheelTbl[OSTmrTime % OS_TMR_CFG_WHEEL_SIZE].OSTmrFirst;
        while (ptmr != (OS_TMR *)0) {
            pnext = (OS_TMR *)ptmr->OSTmrNext;
            if (ptmr->OSTmrMatch == OSTmrTime) {
                OS_TRACE_TMR_EXPIRED(ptmr);
                os_tmr_unlink(ptmr);
                if (ptmr->OSTmrOpt == OS_TMR_OPT_PERIODIC) {
                    os_tmr_link(ptmr, OS_TMR_LINK_PERIODIC);
                } else {
                    ptmr->OSTmrState = OS_TMR_STATE_COMPLETED;
                }
                pfnct = ptmr->OSTmrCallback;
                if (pfnct != (OS_TMR_CALLBACK)0) {
                    (*pfnct)((void *)ptmr, ptmr->OSTmrCallbackArg);
                }
            }
            ptmr = pnext;
        }
        OSSchedUnlock();
    }
}

#endif /* OS_TMR_EN */
