/* SPDX-License-Identifier: MIT OR Apache-2.0 */
/*
 * ucvisor bundled µC/OS-II-compatible kernel — written for this project from the
 * documented V2.93.01 API.
 *
 * os_task.c: task creation and deletion, priority change, suspend/resume,
 * queries, stack checking, names and task registers.
 */
#include "ucos_ii.h"

#define OS_NAME_UNKNOWN ((INT8U *)(void *)"?")

#if (OS_TASK_CHANGE_PRIO_EN > 0u) || (OS_TASK_DEL_EN > 0u) || (OS_TASK_SUSPEND_EN > 0u)
static void os_task_rdy_remove(OS_TCB *ptcb)
{
    OSRdyTbl[ptcb->OSTCBY] &= (OS_PRIO)~ptcb->OSTCBBitX;
    if (OSRdyTbl[ptcb->OSTCBY] == 0u) {
        OSRdyGrp &= (OS_PRIO)~ptcb->OSTCBBitY;
    }
}

#endif

#if OS_TASK_SUSPEND_EN > 0u
static void os_task_rdy_insert(OS_TCB *ptcb)
{
    OSRdyGrp |= ptcb->OSTCBBitY;
    OSRdyTbl[ptcb->OSTCBY] |= ptcb->OSTCBBitX;
}
#endif

/* ---------------------------------------------------------------------------
 * Priority change
 * ------------------------------------------------------------------------- */
#if OS_TASK_CHANGE_PRIO_EN > 0u
INT8U OSTaskChangePrio(INT8U oldprio, INT8U newprio)
{
    OS_TCB *ptcb;
    INT8U y_new;
    INT8U x_new;
    OS_PRIO bity_new;
    OS_PRIO bitx_new;
    BOOLEAN was_ready;
#if (OS_EVENT_EN)
    OS_EVENT *pevent;
#if (OS_EVENT_MULTI_EN > 0u)
    OS_EVENT **pevents;
#endif
#endif
#if OS_CRITICAL_METHOD == 3u
    OS_CPU_SR cpu_sr = 0u;
#endif

#if OS_ARG_CHK_EN > 0u
    if ((oldprio >= OS_LOWEST_PRIO) && (oldprio != OS_PRIO_SELF)) {
        return OS_ERR_PRIO_INVALID;
    }
    if (newprio >= OS_LOWEST_PRIO) {
        return OS_ERR_PRIO_INVALID;
    }
#endif

    OS_ENTER_CRITICAL();
    if (OSTCBPrioTbl[newprio] != (OS_TCB *)0) {
        OS_EXIT_CRITICAL();
        return OS_ERR_PRIO_EXIST;
    }
    if (oldprio == OS_PRIO_SELF) {
        oldprio = OSTCBCur->OSTCBPrio;
    }
    ptcb = OSTCBPrioTbl[oldprio];
    if (ptcb == (OS_TCB *)0) {
        OS_EXIT_CRITICAL();
        return OS_ERR_PRIO;
    }
    if (ptcb == OS_TCB_RESERVED) {
        OS_EXIT_CRITICAL();
        return OS_ERR_TASK_NOT_EXIST;
    }

#if OS_LOWEST_PRIO <= 63u
    y_new = (INT8U)(newprio >> 3u);
    x_new = (INT8U)(newprio & 0x07u);
#else
    y_new = (INT8U)((INT8U)(newprio >> 4u) & 0x0Fu);
    x_new = (INT8U)(newprio & 0x0Fu);
#endif
    bity_new = (OS_PRIO)(1uL << y_new);
    bitx_new = (OS_PRIO)(1uL << x_new);

    OSTCBPrioTbl[oldprio] = (OS_TCB *)0;
    OSTCBPrioTbl[newprio] = ptcb;

    was_ready = ((OSRdyTbl[ptcb->OSTCBY] & ptcb->OSTCBBitX) != 0u) ? OS_TRUE : OS_FALSE;
    if (was_ready == OS_TRUE) {
        os_task_rdy_remove(ptcb);
        OSRdyGrp |= bity_new;
        OSRdyTbl[y_new] |= bitx_new;
    }

#if (OS_EVENT_EN)
    pevent = ptcb->OSTCBEventPtr;
    if (pevent != (OS_EVENT *)0) {
        OS_EventTaskRemove(ptcb, pevent);
        pevent->OSEventTbl[y_new] |= bitx_new;
        pevent->OSEventGrp |= bity_new;
    }
#if (OS_EVENT_MULTI_EN > 0u)
    if (ptcb->OSTCBEventMultiPtr != (OS_EVENT **)0) {
        for (pevents = ptcb->OSTCBEventMultiPtr; *pevents != (OS_EVENT *)0; pevents++) {
            OS_EventTaskRemove(ptcb, *pevents);
            (*pevents)->OSEventTbl[y_new] |= bitx_new;
            (*pevents)->OSEventGrp |= bity_new;
        }
    }
#endif
#endif

    ptcb->OSTCBPrio = newprio;
    ptcb->OSTCBY = y_new;
    ptcb->OSTCBX = x_new;
    ptcb->OSTCBBitY = bity_new;
    ptcb->OSTCBBitX = bitx_new;
    OS_TRACE_TASK_PRIO_CHANGE(ptcb, newprio);
    OS_EXIT_CRITICAL();
    if (OSRunning == OS_TRUE) {
        OS_Sched();
    }
    return OS_ERR_NONE;
}
#endif

/* ---------------------------------------------------------------------------
 * Creation
 * ------------------------------------------------------------------------- */
#if OS_TASK_CREATE_EN > 0u
INT8U OSTaskCreate(void (*task)(void *p_arg), void *p_arg, OS_STK *ptos, INT8U prio)
{
    OS_STK *psp;
    INT8U err;
#if OS_CRITICAL_METHOD == 3u
    OS_CPU_SR cpu_sr = 0u;
#endif

#ifdef OS_SAFETY_CRITICAL_IEC61508
    if (OSSafetyCriticalStartFlag == OS_TRUE) {
        return OS_ERR_ILLEGAL_CREATE_RUN_TIME;
    }
#endif
#if OS_ARG_CHK_EN > 0u
    if (prio > OS_LOWEST_PRIO) {
        return OS_ERR_PRIO_INVALID;
    }
#endif
    OS_ENTER_CRITICAL();
    if (OSIntNesting > 0u) {
        OS_EXIT_CRITICAL();
        return OS_ERR_TASK_CREATE_ISR;
    }
    if (OSTCBPrioTbl[prio] != (OS_TCB *)0) {
        OS_EXIT_CRITICAL();
        return OS_ERR_PRIO_EXIST;
    }
    OSTCBPrioTbl[prio] = OS_TCB_RESERVED; /* claim the priority while we build the task */
    OS_EXIT_CRITICAL();

    psp = OSTaskStkInit(task, p_arg, ptos, 0u);
    err = OS_TCBInit(prio, psp, (OS_STK *)0, 0u, 0u, (void *)0, 0u);
    if (err == OS_ERR_NONE) {
        OS_TRACE_TASK_CREATE(OSTCBPrioTbl[prio]);
        if (OSRunning == OS_TRUE) {
            OS_Sched();
        }
    } else {
        OS_ENTER_CRITICAL();
        OSTCBPrioTbl[prio] = (OS_TCB *)0;
        OS_EXIT_CRITICAL();
    }
    return err;
}
#endif

#if OS_TASK_CREATE_EXT_EN > 0u
INT8U OSTaskCreateExt(void (*task)(void *p_arg), void *p_arg, OS_STK *ptos, INT8U prio, INT16U id, OS_STK *pbos,
                      INT32U stk_size, void *pext, INT16U opt)
{
    OS_STK *psp;
    INT8U err;
#if OS_CRITICAL_METHOD == 3u
    OS_CPU_SR cpu_sr = 0u;
#endif

#ifdef OS_SAFETY_CRITICAL_IEC61508
    if (OSSafetyCriticalStartFlag == OS_TRUE) {
        return OS_ERR_ILLEGAL_CREATE_RUN_TIME;
    }
#endif
#if OS_ARG_CHK_EN > 0u
    if (prio > OS_LOWEST_PRIO) {
        return OS_ERR_PRIO_INVALID;
    }
#endif
    OS_ENTER_CRITICAL();
    if (OSIntNesting > 0u) {
        OS_EXIT_CRITICAL();
        return OS_ERR_TASK_CREATE_ISR;
    }
    if (OSTCBPrioTbl[prio] != (OS_TCB *)0) {
        OS_EXIT_CRITICAL();
        return OS_ERR_PRIO_EXIST;
    }
    OSTCBPrioTbl[prio] = OS_TCB_RESERVED;
    OS_EXIT_CRITICAL();

    OS_TaskStkClr(pbos, stk_size, opt);
    psp = OSTaskStkInit(task, p_arg, ptos, opt);
    err = OS_TCBInit(prio, psp, pbos, id, stk_size, pext, opt);
    if (err == OS_ERR_NONE) {
        OS_TRACE_TASK_CREATE(OSTCBPrioTbl[prio]);
        if (OSRunning == OS_TRUE) {
            OS_Sched();
        }
    } else {
        OS_ENTER_CRITICAL();
        OSTCBPrioTbl[prio] = (OS_TCB *)0;
        OS_EXIT_CRITICAL();
    }
    return err;
}
#endif

/* ---------------------------------------------------------------------------
 * Deletion
 * ------------------------------------------------------------------------- */
#if OS_TASK_DEL_EN > 0u
INT8U OSTaskDel(INT8U prio)
{
    OS_TCB *ptcb;
#if (OS_FLAG_EN > 0u) && (OS_MAX_FLAGS > 0u)
    OS_FLAG_NODE *pnode;
#endif
#if OS_CRITICAL_METHOD == 3u
    OS_CPU_SR cpu_sr = 0u;
#endif

    if (OSIntNesting > 0u) {
        return OS_ERR_TASK_DEL_ISR;
    }
    if (prio == OS_TASK_IDLE_PRIO) {
        return OS_ERR_TASK_DEL_IDLE;
    }
#if OS_ARG_CHK_EN > 0u
    if ((prio >= OS_LOWEST_PRIO) && (prio != OS_PRIO_SELF)) {
        return OS_ERR_PRIO_INVALID;
    }
#endif

    OS_ENTER_CRITICAL();
    if (prio == OS_PRIO_SELF) {
        prio = OSTCBCur->OSTCBPrio;
    }
    ptcb = OSTCBPrioTbl[prio];
    if (ptcb == (OS_TCB *)0) {
        OS_EXIT_CRITICAL();
        return OS_ERR_TASK_NOT_EXIST;
    }
    if (ptcb == OS_TCB_RESERVED) {
        OS_EXIT_CRITICAL();
        return OS_ERR_TASK_DEL;
    }

    os_task_rdy_remove(ptcb);

#if (OS_EVENT_EN)
    if (ptcb->OSTCBEventPtr != (OS_EVENT *)0) {
        OS_EventTaskRemove(ptcb, ptcb->OSTCBEventPtr);
    }
#if (OS_EVENT_MULTI_EN > 0u)
    if (ptcb->OSTCBEventMultiPtr != (OS_EVENT **)0) {
        OS_EventTaskRemoveMulti(ptcb, ptcb->OSTCBEventMultiPtr);
    }
#endif
#endif

#if (OS_FLAG_EN > 0u) && (OS_MAX_FLAGS > 0u)
    pnode = ptcb->OSTCBFlagNode;
    if (pnode != (OS_FLAG_NODE *)0) {
        OS_FlagUnlink(pnode);
    }
#endif

    ptcb->OSTCBDly = 0u;
    ptcb->OSTCBStat = OS_STAT_RDY;
    ptcb->OSTCBStatPend = OS_STAT_PEND_OK;

    /* Let pending interrupts in without allowing a reschedule. */
    if (OSLockNesting < 255u) {
        OSLockNesting++;
    }
    OS_EXIT_CRITICAL();
    OS_Dummy();
    OS_ENTER_CRITICAL();
    if (OSLockNesting > 0u) {
        OSLockNesting--;
    }

    OSTaskDelHook(ptcb);
#if OS_TLS_EN > 0u
    OS_TLS_TaskDel(ptcb);
#endif

    OSTaskCtr--;
    OSTCBPrioTbl[prio] = (OS_TCB *)0;
    if (ptcb->OSTCBPrev == (OS_TCB *)0) {
        ptcb->OSTCBNext->OSTCBPrev = (OS_TCB *)0;
        OSTCBList = ptcb->OSTCBNext;
    } else {
        ptcb->OSTCBPrev->OSTCBNext = ptcb->OSTCBNext;
        ptcb->OSTCBNext->OSTCBPrev = ptcb->OSTCBPrev;
    }
    ptcb->OSTCBNext = OSTCBFreeList;
    OSTCBFreeList = ptcb;
#if OS_TASK_NAME_EN > 0u
    ptcb->OSTCBTaskName = OS_NAME_UNKNOWN;
#endif
    OS_TRACE_TASK_DEL(ptcb);
    OS_EXIT_CRITICAL();
    if (OSRunning == OS_TRUE) {
        OS_Sched();
    }
    return OS_ERR_NONE;
}

INT8U OSTaskDelReq(INT8U prio)
{
    INT8U stat;
    OS_TCB *ptcb;
#if OS_CRITICAL_METHOD == 3u
    OS_CPU_SR cpu_sr = 0u;
#endif

    if (prio == OS_TASK_IDLE_PRIO) {
        return OS_ERR_TASK_DEL_IDLE;
    }
#if OS_ARG_CHK_EN > 0u
    if ((prio >= OS_LOWEST_PRIO) && (prio != OS_PRIO_SELF)) {
        return OS_ERR_PRIO_INVALID;
    }
#endif
    if (prio == OS_PRIO_SELF) {
        OS_ENTER_CRITICAL();
        stat = OSTCBCur->OSTCBDelReq;
        OS_EXIT_CRITICAL();
        return stat;
    }
    OS_ENTER_CRITICAL();
    ptcb = OSTCBPrioTbl[prio];
    if (ptcb == (OS_TCB *)0) {
        OS_EXIT_CRITICAL();
        return OS_ERR_TASK_NOT_EXIST;
    }
    if (ptcb == OS_TCB_RESERVED) {
        OS_EXIT_CRITICAL();
        return OS_ERR_TASK_DEL;
    }
    ptcb->OSTCBDelReq = OS_ERR_TASK_DEL_REQ;
    OS_EXIT_CRITICAL();
    return OS_ERR_NONE;
}
#endif

/* ---------------------------------------------------------------------------
 * Names
 * ------------------------------------------------------------------------- */
#if OS_TASK_NAME_EN > 0u
INT8U OSTaskNameGet(INT8U prio, INT8U **pname, INT8U *perr)
{
    OS_TCB *ptcb;
    INT8U len;
#if OS_CRITICAL_METHOD == 3u
    OS_CPU_SR cpu_sr = 0u;
#endif

#if OS_ARG_CHK_EN > 0u
    if ((prio > OS_LOWEST_PRIO) && (prio != OS_PRIO_SELF)) {
        *perr = OS_ERR_PRIO_INVALID;
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
    OS_ENTER_CRITICAL();
    if (prio == OS_PRIO_SELF) {
        prio = OSTCBCur->OSTCBPrio;
    }
    ptcb = OSTCBPrioTbl[prio];
    if ((ptcb == (OS_TCB *)0) || (ptcb == OS_TCB_RESERVED)) {
        OS_EXIT_CRITICAL();
        *perr = OS_ERR_TASK_NOT_EXIST;
        return 0u;
    }
    *pname = ptcb->OSTCBTaskName;
    len = OS_StrLen(*pname);
    OS_EXIT_CRITICAL();
    *perr = OS_ERR_NONE;
    return len;
}

void OSTaskNameSet(INT8U prio, INT8U *pname, INT8U *perr)
{
    OS_TCB *ptcb;
#if OS_CRITICAL_METHOD == 3u
    OS_CPU_SR cpu_sr = 0u;
#endif

#if OS_ARG_CHK_EN > 0u
    if ((prio > OS_LOWEST_PRIO) && (prio != OS_PRIO_SELF)) {
        *perr = OS_ERR_PRIO_INVALID;
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
    OS_ENTER_CRITICAL();
    if (prio == OS_PRIO_SELF) {
        prio = OSTCBCur->OSTCBPrio;
    }
    ptcb = OSTCBPrioTbl[prio];
    if ((ptcb == (OS_TCB *)0) || (ptcb == OS_TCB_RESERVED)) {
        OS_EXIT_CRITICAL();
        *perr = OS_ERR_TASK_NOT_EXIST;
        return;
    }
    ptcb->OSTCBTaskName = pname;
    OS_TRACE_TASK_NAME_SET(ptcb);
    OS_EXIT_CRITICAL();
    *perr = OS_ERR_NONE;
}
#endif

/* ---------------------------------------------------------------------------
 * Suspend / resume
 * ------------------------------------------------------------------------- */
#if OS_TASK_SUSPEND_EN > 0u
INT8U OSTaskResume(INT8U prio)
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
    if (ptcb == (OS_TCB *)0) {
        OS_EXIT_CRITICAL();
        return OS_ERR_TASK_RESUME_PRIO;
    }
    if (ptcb == OS_TCB_RESERVED) {
        OS_EXIT_CRITICAL();
        return OS_ERR_TASK_NOT_EXIST;
    }
    if ((ptcb->OSTCBStat & OS_STAT_SUSPEND) == OS_STAT_RDY) {
        OS_EXIT_CRITICAL();
        return OS_ERR_TASK_NOT_SUSPENDED;
    }
    ptcb->OSTCBStat &= (INT8U)~(INT8U)OS_STAT_SUSPEND;
    OS_TRACE_TASK_RESUME(ptcb);
    if (((ptcb->OSTCBStat & OS_STAT_PEND_ANY) == OS_STAT_RDY) && (ptcb->OSTCBDly == 0u)) {
        os_task_rdy_insert(ptcb);
        OS_TRACE_TASK_READY(ptcb);
        OS_EXIT_CRITICAL();
        if (OSRunning == OS_TRUE) {
            OS_Sched();
        }
    } else {
        OS_EXIT_CRITICAL();
    }
    return OS_ERR_NONE;
}

INT8U OSTaskSuspend(INT8U prio)
{
    BOOLEAN self;
    OS_TCB *ptcb;
#if OS_CRITICAL_METHOD == 3u
    OS_CPU_SR cpu_sr = 0u;
#endif

#if OS_ARG_CHK_EN > 0u
    if (prio == OS_TASK_IDLE_PRIO) {
        return OS_ERR_TASK_SUSPEND_IDLE;
    }
    if ((prio >= OS_LOWEST_PRIO) && (prio != OS_PRIO_SELF)) {
        return OS_ERR_PRIO_INVALID;
    }
#endif
    OS_ENTER_CRITICAL();
    if (prio == OS_PRIO_SELF) {
        prio = OSTCBCur->OSTCBPrio;
        self = OS_TRUE;
    } else if (prio == OSTCBCur->OSTCBPrio) {
        self = OS_TRUE;
    } else {
        self = OS_FALSE;
    }
    ptcb = OSTCBPrioTbl[prio];
    if (ptcb == (OS_TCB *)0) {
        OS_EXIT_CRITICAL();
        return OS_ERR_TASK_SUSPEND_PRIO;
    }
    if (ptcb == OS_TCB_RESERVED) {
        OS_EXIT_CRITICAL();
        return OS_ERR_TASK_NOT_EXIST;
    }
    os_task_rdy_remove(ptcb);
    ptcb->OSTCBStat |= OS_STAT_SUSPEND;
    OS_TRACE_TASK_SUSPEND(ptcb);
    OS_EXIT_CRITICAL();
    if (self == OS_TRUE) {
        OS_Sched();
    }
    return OS_ERR_NONE;
}
#endif

/* ---------------------------------------------------------------------------
 * Stack checking
 * ------------------------------------------------------------------------- */
#if (OS_TASK_STAT_STK_CHK_EN > 0u) && (OS_TASK_CREATE_EXT_EN > 0u)
INT8U OSTaskStkChk(INT8U prio, OS_STK_DATA *p_stk_data)
{
    OS_TCB *ptcb;
    OS_STK *pchk;
    INT32U nfree;
    INT32U size;
#if OS_CRITICAL_METHOD == 3u
    OS_CPU_SR cpu_sr = 0u;
#endif

#if OS_ARG_CHK_EN > 0u
    if ((prio > OS_LOWEST_PRIO) && (prio != OS_PRIO_SELF)) {
        return OS_ERR_PRIO_INVALID;
    }
    if (p_stk_data == (OS_STK_DATA *)0) {
        return OS_ERR_PDATA_NULL;
    }
#endif
    p_stk_data->OSFree = 0u;
    p_stk_data->OSUsed = 0u;
    OS_ENTER_CRITICAL();
    if (prio == OS_PRIO_SELF) {
        prio = OSTCBCur->OSTCBPrio;
    }
    ptcb = OSTCBPrioTbl[prio];
    if ((ptcb == (OS_TCB *)0) || (ptcb == OS_TCB_RESERVED)) {
        OS_EXIT_CRITICAL();
        return OS_ERR_TASK_NOT_EXIST;
    }
    if ((ptcb->OSTCBOpt & OS_TASK_OPT_STK_CHK) == 0u) {
        OS_EXIT_CRITICAL();
        return OS_ERR_TASK_OPT;
    }
    size = ptcb->OSTCBStkSize;
    pchk = ptcb->OSTCBStkBottom;
    OS_EXIT_CRITICAL();

    /* Count the never-written (zero) entries from the far end of the stack. */
    nfree = 0u;
#if OS_STK_GROWTH == 1u
    while ((nfree < size) && (*pchk++ == (OS_STK)0)) {
        nfree++;
    }
#else
    while ((nfree < size) && (*pchk-- == (OS_STK)0)) {
        nfree++;
    }
#endif
    p_stk_data->OSFree = nfree;        /* in OS_STK entries, not bytes */
    p_stk_data->OSUsed = size - nfree;
    return OS_ERR_NONE;
}
#endif

/* ---------------------------------------------------------------------------
 * Query
 * ------------------------------------------------------------------------- */
#if OS_TASK_QUERY_EN > 0u
INT8U OSTaskQuery(INT8U prio, OS_TCB *p_task_data)
{
    OS_TCB *ptcb;
#if OS_CRITICAL_METHOD == 3u
    OS_CPU_SR cpu_sr = 0u;
#endif

#if OS_ARG_CHK_EN > 0u
    if ((prio > OS_LOWEST_PRIO) && (prio != OS_PRIO_SELF)) {
        return OS_ERR_PRIO_INVALID;
    }
    if (p_task_data == (OS_TCB *)0) {
        return OS_ERR_PDATA_NULL;
    }
#endif
    OS_ENTER_CRITICAL();
    if (prio == OS_PRIO_SELF) {
        prio = OSTCBCur->OSTCBPrio;
    }
    ptcb = OSTCBPrioTbl[prio];
    if (ptcb == (OS_TCB *)0) {
        OS_EXIT_CRITICAL();
        return OS_ERR_PRIO;
    }
    if (ptcb == OS_TCB_RESERVED) {
        OS_EXIT_CRITICAL();
        return OS_ERR_TASK_NOT_EXIST;
    }
    OS_MemCopy((INT8U *)p_task_data, (INT8U *)ptcb, (INT16U)sizeof(OS_TCB));
    OS_EXIT_CRITICAL();
    return OS_ERR_NONE;
}
#endif

/* ---------------------------------------------------------------------------
 * Task registers
 * ------------------------------------------------------------------------- */
#if OS_TASK_REG_TBL_SIZE > 0u
INT32U OSTaskRegGet(INT8U prio, INT8U id, INT8U *perr)
{
    OS_TCB *ptcb;
    INT32U value;
#if OS_CRITICAL_METHOD == 3u
    OS_CPU_SR cpu_sr = 0u;
#endif

#if OS_ARG_CHK_EN > 0u
    if ((prio >= OS_LOWEST_PRIO) && (prio != OS_PRIO_SELF)) {
        *perr = OS_ERR_PRIO_INVALID;
        return 0u;
    }
    if (id >= OS_TASK_REG_TBL_SIZE) {
        *perr = OS_ERR_ID_INVALID;
        return 0u;
    }
#endif
    OS_ENTER_CRITICAL();
    if (prio == OS_PRIO_SELF) {
        ptcb = OSTCBCur;
    } else {
        ptcb = OSTCBPrioTbl[prio];
    }
    if ((ptcb == (OS_TCB *)0) || (ptcb == OS_TCB_RESERVED)) {
        OS_EXIT_CRITICAL();
        *perr = OS_ERR_TASK_NOT_EXIST;
        return 0u;
    }
    value = ptcb->OSTCBRegTbl[id];
    OS_EXIT_CRITICAL();
    *perr = OS_ERR_NONE;
    return value;
}

INT8U OSTaskRegGetID(INT8U *perr)
{
    INT8U id;
#if OS_CRITICAL_METHOD == 3u
    OS_CPU_SR cpu_sr = 0u;
#endif

    OS_ENTER_CRITICAL();
    if (OSTaskRegNextAvailID >= OS_TASK_REG_TBL_SIZE) {
        OS_EXIT_CRITICAL();
        *perr = OS_ERR_NO_MORE_ID_AVAIL;
        return (INT8U)OS_TASK_REG_TBL_SIZE;
    }
    id = OSTaskRegNextAvailID;
    OSTaskRegNextAvailID++;
    OS_EXIT_CRITICAL();
    *perr = OS_ERR_NONE;
    return id;
}

void OSTaskRegSet(INT8U prio, INT8U id, INT32U value, INT8U *perr)
{
    OS_TCB *ptcb;
#if OS_CRITICAL_METHOD == 3u
    OS_CPU_SR cpu_sr = 0u;
#endif

#if OS_ARG_CHK_EN > 0u
    if ((prio >= OS_LOWEST_PRIO) && (prio != OS_PRIO_SELF)) {
        *perr = OS_ERR_PRIO_INVALID;
        return;
    }
    if (id >= OS_TASK_REG_TBL_SIZE) {
        *perr = OS_ERR_ID_INVALID;
        return;
    }
#endif
    OS_ENTER_CRITICAL();
    if (prio == OS_PRIO_SELF) {
        ptcb = OSTCBCur;
    } else {
        ptcb = OSTCBPrioTbl[prio];
    }
    if ((ptcb == (OS_TCB *)0) || (ptcb == OS_TCB_RESERVED)) {
        OS_EXIT_CRITICAL();
        *perr = OS_ERR_TASK_NOT_EXIST;
        return;
    }
    ptcb->OSTCBRegTbl[id] = value;
    OS_EXIT_CRITICAL();
    *perr = OS_ERR_NONE;
}
#endif
