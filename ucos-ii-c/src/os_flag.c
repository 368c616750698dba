/* SPDX-License-Identifier: MIT OR Apache-2.0 */
/*
 * ucvisor bundled µC/OS-II-compatible kernel — written for this project from the
 * documented V2.93.01 API.
 *
 * os_flag.c: event flag groups. Waiting tasks hang off the group as a doubly
 * linked list of OS_FLAG_NODEs living on the waiters' stacks. Consumption
 * (OS_FLAG_CONSUME) is done by the woken task itself.
 */
#include "ucos_ii.h"

#if (OS_FLAG_EN > 0u) && (OS_MAX_FLAGS > 0u)

#define OS_NAME_UNKNOWN ((INT8U *)(void *)"?")

/* Flags of `flags` that satisfy `wait_type` given the group's current value,
 * and whether the wait is satisfied. Returns OS_FALSE for an unknown type. */
static BOOLEAN os_flag_eval(OS_FLAGS cur, OS_FLAGS flags, INT8U wait_type, OS_FLAGS *prdy, BOOLEAN *pmet)
{
    OS_FLAGS rdy;

    switch (wait_type) {
    case OS_FLAG_WAIT_SET_ALL:
        rdy = (OS_FLAGS)(cur & flags);
        *pmet = (rdy == flags) ? OS_TRUE : OS_FALSE;
        break;
    case OS_FLAG_WAIT_SET_ANY:
        rdy = (OS_FLAGS)(cur & flags);
        *pmet = (rdy != (OS_FLAGS)0) ? OS_TRUE : OS_FALSE;
        break;
#if OS_FLAG_WAIT_CLR_EN > 0u
    case OS_FLAG_WAIT_CLR_ALL:
        rdy = (OS_FLAGS)(~cur & flags);
        *pmet = (rdy == flags) ? OS_TRUE : OS_FALSE;
        break;
    case OS_FLAG_WAIT_CLR_ANY:
        rdy = (OS_FLAGS)(~cur & flags);
        *pmet = (rdy != (OS_FLAGS)0) ? OS_TRUE : OS_FALSE;
        break;
#endif
    default:
        *prdy = (OS_FLAGS)0;
        *pmet = OS_FALSE;
        return OS_FALSE;
    }
    *prdy = rdy;
    return OS_TRUE;
}

/* Apply consumption of `rdy` to the group for the given wait type. */
static void os_flag_consume(OS_FLAG_GRP *pgrp, OS_FLAGS rdy, INT8U wait_type)
{
    if ((wait_type == OS_FLAG_WAIT_SET_ALL) || (wait_type == OS_FLAG_WAIT_SET_ANY)) {
        pgrp->OSFlagFlags &= (OS_FLAGS)~rdy;
    } else {
        pgrp->OSFlagFlags |= rdy;
    }
}

/* Make the task of a node ready (caller holds the critical section). Returns
 * OS_TRUE when the task became ready to run. */
static BOOLEAN os_flag_task_rdy(OS_FLAG_NODE *pnode, OS_FLAGS flags_rdy, INT8U pend_stat)
{
    OS_TCB *ptcb = (OS_TCB *)pnode->OSFlagNodeTCB;
    BOOLEAN sched;

    ptcb->OSTCBDly = 0u;
    ptcb->OSTCBFlagsRdy = flags_rdy;
    ptcb->OSTCBStat &= (INT8U)~(INT8U)OS_STAT_FLAG;
    ptcb->OSTCBStatPend = pend_stat;
    if (ptcb->OSTCBStat == OS_STAT_RDY) {
        OSRdyGrp |= ptcb->OSTCBBitY;
        OSRdyTbl[ptcb->OSTCBY] |= ptcb->OSTCBBitX;
        OS_TRACE_TASK_READY(ptcb);
        sched = OS_TRUE;
    } else {
        sched = OS_FALSE;
    }
    OS_FlagUnlink(pnode);
    return sched;
}

#if OS_FLAG_ACCEPT_EN > 0u
OS_FLAGS OSFlagAccept(OS_FLAG_GRP *pgrp, OS_FLAGS flags, INT8U wait_type, INT8U *perr)
{
    OS_FLAGS flags_rdy;
    BOOLEAN consume;
    BOOLEAN met;
#if OS_CRITICAL_METHOD == 3u
    OS_CPU_SR cpu_sr = 0u;
#endif

#if OS_ARG_CHK_EN > 0u
    if (pgrp == (OS_FLAG_GRP *)0) {
        *perr = OS_ERR_FLAG_INVALID_PGRP;
        return (OS_FLAGS)0;
    }
#endif
    if (pgrp->OSFlagType != OS_EVENT_TYPE_FLAG) {
        *perr = OS_ERR_EVENT_TYPE;
        return (OS_FLAGS)0;
    }
    consume = ((wait_type & OS_FLAG_CONSUME) != 0u) ? OS_TRUE : OS_FALSE;
    wait_type &= (INT8U)~(INT8U)OS_FLAG_CONSUME;
    *perr = OS_ERR_NONE;
    OS_ENTER_CRITICAL();
    if (os_flag_eval(pgrp->OSFlagFlags, flags, wait_type, &flags_rdy, &met) == OS_FALSE) {
        OS_EXIT_CRITICAL();
        *perr = OS_ERR_FLAG_WAIT_TYPE;
        return (OS_FLAGS)0;
    }
    if (met == OS_TRUE) {
        if (consume == OS_TRUE) {
            os_flag_consume(pgrp, flags_rdy, wait_type);
        }
    } else {
        *perr = OS_ERR_FLAG_NOT_RDY;
    }
    OS_EXIT_CRITICAL();
    return flags_rdy;
}
#endif

OS_FLAG_GRP *OSFlagCreate(OS_FLAGS flags, INT8U *perr)
{
    OS_FLAG_GRP *pgrp;
#if OS_CRITICAL_METHOD == 3u
    OS_CPU_SR cpu_sr = 0u;
#endif

#ifdef OS_SAFETY_CRITICAL_IEC61508
    if (OSSafetyCriticalStartFlag == OS_TRUE) {
        *perr = OS_ERR_ILLEGAL_CREATE_RUN_TIME;
        return (OS_FLAG_GRP *)0;
    }
#endif
    if (OSIntNesting > 0u) {
        *perr = OS_ERR_CREATE_ISR;
        return (OS_FLAG_GRP *)0;
    }
    OS_ENTER_CRITICAL();
    pgrp = OSFlagFreeList;
    if (pgrp == (OS_FLAG_GRP *)0) {
        OS_EXIT_CRITICAL();
        *perr = OS_ERR_FLAG_GRP_DEPLETED;
        return (OS_FLAG_GRP *)0;
    }
    OSFlagFreeList = (OS_FLAG_GRP *)OSFlagFreeList->OSFlagWaitList;
    pgrp->OSFlagType = OS_EVENT_TYPE_FLAG;
    pgrp->OSFlagFlags = flags;
    pgrp->OSFlagWaitList = (void *)0;
#if OS_FLAG_NAME_EN > 0u
    pgrp->OSFlagName = OS_NAME_UNKNOWN;
#endif
    OS_TRACE_FLAG_CREATE(pgrp, pgrp->OSFlagName);
    OS_EXIT_CRITICAL();
    *perr = OS_ERR_NONE;
    return pgrp;
}

#if OS_FLAG_DEL_EN > 0u
OS_FLAG_GRP *OSFlagDel(OS_FLAG_GRP *pgrp, INT8U opt, INT8U *perr)
{
    BOOLEAN tasks_waiting;
    OS_FLAG_NODE *pnode;
    OS_FLAG_NODE *pnext;
#if OS_CRITICAL_METHOD == 3u
    OS_CPU_SR cpu_sr = 0u;
#endif

#if OS_ARG_CHK_EN > 0u
    if (pgrp == (OS_FLAG_GRP *)0) {
        *perr = OS_ERR_FLAG_INVALID_PGRP;
        return pgrp;
    }
#endif
    if (OSIntNesting > 0u) {
        *perr = OS_ERR_DEL_ISR;
        return pgrp;
    }
    if (pgrp->OSFlagType != OS_EVENT_TYPE_FLAG) {
        *perr = OS_ERR_EVENT_TYPE;
        return pgrp;
    }
    OS_ENTER_CRITICAL();
    tasks_waiting = (pgrp->OSFlagWaitList != (void *)0) ? OS_TRUE : OS_FALSE;
    switch (opt) {
    case OS_DEL_NO_PEND:
        if (tasks_waiting == OS_TRUE) {
            OS_EXIT_CRITICAL();
            *perr = OS_ERR_TASK_WAITING;
            return pgrp;
        }
        break;
    case OS_DEL_ALWAYS:
        pnode = (OS_FLAG_NODE *)pgrp->OSFlagWaitList;
        while (pnode != (OS_FLAG_NODE *)0) {
            pnext = (OS_FLAG_NODE *)pnode->OSFlagNodeNext;
            (void)os_flag_task_rdy(pnode, (OS_FLAGS)0, OS_STAT_PEND_ABORT);
            pnode = pnext;
        }
        break;
    default:
        OS_EXIT_CRITICAL();
        *perr = OS_ERR_INVALID_OPT;
        return pgrp;
    }
#if OS_FLAG_NAME_EN > 0u
    pgrp->OSFlagName = OS_NAME_UNKNOWN;
#endif
    pgrp->OSFlagType = OS_EVENT_TYPE_UNUSED;
    pgrp->OSFlagWaitList = (void *)OSFlagFreeList;
    pgrp->OSFlagFlags = (OS_FLAGS)0;
    OSFlagFreeList = pgrp;
    OS_TRACE_FLAG_DEL(pgrp);
    OS_EXIT_CRITICAL();
    if (tasks_waiting == OS_TRUE) {
        OS_Sched();
    }
    *perr = OS_ERR_NONE;
    return (OS_FLAG_GRP *)0;
}
#endif

#if OS_FLAG_NAME_EN > 0u
INT8U OSFlagNameGet(OS_FLAG_GRP *pgrp, INT8U **pname, INT8U *perr)
{
    INT8U len;
#if OS_CRITICAL_METHOD == 3u
    OS_CPU_SR cpu_sr = 0u;
#endif

#if OS_ARG_CHK_EN > 0u
    if (pgrp == (OS_FLAG_GRP *)0) {
        *perr = OS_ERR_FLAG_INVALID_PGRP;
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
    if (pgrp->OSFlagType != OS_EVENT_TYPE_FLAG) {
        OS_EXIT_CRITICAL();
        *perr = OS_ERR_EVENT_TYPE;
        return 0u;
    }
    *pname = pgrp->OSFlagName;
    len = OS_StrLen(*pname);
    OS_EXIT_CRITICAL();
    *perr = OS_ERR_NONE;
    return len;
}

void OSFlagNameSet(OS_FLAG_GRP *pgrp, INT8U *pname, INT8U *perr)
{
#if OS_CRITICAL_METHOD == 3u
    OS_CPU_SR cpu_sr = 0u;
#endif

#if OS_ARG_CHK_EN > 0u
    if (pgrp == (OS_FLAG_GRP *)0) {
        *perr = OS_ERR_FLAG_INVALID_PGRP;
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
    if (pgrp->OSFlagType != OS_EVENT_TYPE_FLAG) {
        OS_EXIT_CRITICAL();
        *perr = OS_ERR_EVENT_TYPE;
        return;
    }
    pgrp->OSFlagName = pname;
    OS_EXIT_CRITICAL();
    *perr = OS_ERR_NONE;
}
#endif

OS_FLAGS OSFlagPend(OS_FLAG_GRP *pgrp, OS_FLAGS flags, INT8U wait_type, INT32U timeout, INT8U *perr)
{
    OS_FLAG_NODE node;
    OS_FLAGS flags_rdy;
    BOOLEAN consume;
    BOOLEAN met;
    INT8U pend_stat;
#if OS_CRITICAL_METHOD == 3u
    OS_CPU_SR cpu_sr = 0u;
#endif

#if OS_ARG_CHK_EN > 0u
    if (pgrp == (OS_FLAG_GRP *)0) {
        *perr = OS_ERR_FLAG_INVALID_PGRP;
        return (OS_FLAGS)0;
    }
#endif
    if (OSIntNesting > 0u) {
        *perr = OS_ERR_PEND_ISR;
        return (OS_FLAGS)0;
    }
    if (OSLockNesting > 0u) {
        *perr = OS_ERR_PEND_LOCKED;
        return (OS_FLAGS)0;
    }
    if (pgrp->OSFlagType != OS_EVENT_TYPE_FLAG) {
        *perr = OS_ERR_EVENT_TYPE;
        return (OS_FLAGS)0;
    }
    consume = ((wait_type & OS_FLAG_CONSUME) != 0u) ? OS_TRUE : OS_FALSE;
    wait_type &= (INT8U)~(INT8U)OS_FLAG_CONSUME;

    OS_ENTER_CRITICAL();
    if (os_flag_eval(pgrp->OSFlagFlags, flags, wait_type, &flags_rdy, &met) == OS_FALSE) {
        OS_EXIT_CRITICAL();
        *perr = OS_ERR_FLAG_WAIT_TYPE;
        return (OS_FLAGS)0;
    }
    if (met == OS_TRUE) {
        if (consume == OS_TRUE) {
            os_flag_consume(pgrp, flags_rdy, wait_type);
        }
        OSTCBCur->OSTCBFlagsRdy = flags_rdy;
        OS_EXIT_CRITICAL();
        *perr = OS_ERR_NONE;
        return flags_rdy;
    }

    /* Block: link a node (on this stack) at the head of the group's wait list. */
    OSTCBCur->OSTCBStat |= OS_STAT_FLAG;
    OSTCBCur->OSTCBStatPend = OS_STAT_PEND_OK;
    OSTCBCur->OSTCBDly = timeout;
#if OS_TASK_DEL_EN > 0u
    OSTCBCur->OSTCBFlagNode = &node;
#endif
    node.OSFlagNodeFlags = flags;
    node.OSFlagNodeWaitType = wait_type;
    node.OSFlagNodeTCB = (void *)OSTCBCur;
    node.OSFlagNodeNext = pgrp->OSFlagWaitList;
    node.OSFlagNodePrev = (void *)0;
    node.OSFlagNodeFlagGrp = (void *)pgrp;
    if (pgrp->OSFlagWaitList != (void *)0) {
        ((OS_FLAG_NODE *)pgrp->OSFlagWaitList)->OSFlagNodePrev = (void *)&node;
    }
    pgrp->OSFlagWaitList = (void *)&node;
    OSRdyTbl[OSTCBCur->OSTCBY] &= (OS_PRIO)~OSTCBCur->OSTCBBitX;
    if (OSRdyTbl[OSTCBCur->OSTCBY] == 0u) {
        OSRdyGrp &= (OS_PRIO)~OSTCBCur->OSTCBBitY;
    }
    OS_EXIT_CRITICAL();
    OS_Sched();
    OS_ENTER_CRITICAL();

    if (OSTCBCur->OSTCBStatPend != OS_STAT_PEND_OK) {
        /* Timed out or aborted: still linked on timeout. */
        pend_stat = OSTCBCur->OSTCBStatPend;
        OSTCBCur->OSTCBStatPend = OS_STAT_PEND_OK;
        if (pend_stat == OS_STAT_PEND_TO) {
            OS_FlagUnlink(&node);
        }
        OSTCBCur->OSTCBStat = OS_STAT_RDY;
        OS_EXIT_CRITICAL();
        *perr = (pend_stat == OS_STAT_PEND_ABORT) ? OS_ERR_PEND_ABORT : OS_ERR_TIMEOUT;
        return (OS_FLAGS)0;
    }
    flags_rdy = OSTCBCur->OSTCBFlagsRdy;
    if (consume == OS_TRUE) {
        os_flag_consume(pgrp, flags_rdy, wait_type);
    }
    OS_EXIT_CRITICAL();
    *perr = OS_ERR_NONE;
    return flags_rdy;
}

OS_FLAGS OSFlagPendGetFlagsRdy(void)
{
    OS_FLAGS flags;
#if OS_CRITICAL_METHOD == 3u
    OS_CPU_SR cpu_sr = 0u;
#endif

    OS_ENTER_CRITICAL();
    flags = OSTCBCur->OSTCBFlagsRdy;
    OS_EXIT_CRITICAL();
    return flags;
}

OS_FLAGS OSFlagPost(OS_FLAG_GRP *pgrp, OS_FLAGS flags, INT8U opt, INT8U *perr)
{
    OS_FLAG_NODE *pnode;
    OS_FLAG_NODE *pnext;
    OS_FLAGS flags_rdy;
    OS_FLAGS flags_cur;
    BOOLEAN sched;
    BOOLEAN met;
#if OS_CRITICAL_METHOD == 3u
    OS_CPU_SR cpu_sr = 0u;
#endif

#if OS_ARG_CHK_EN > 0u
    if (pgrp == (OS_FLAG_GRP *)0) {
        *perr = OS_ERR_FLAG_INVALID_PGRP;
        return (OS_FLAGS)0;
    }
#endif
    if (pgrp->OSFlagType != OS_EVENT_TYPE_FLAG) {
        *perr = OS_ERR_EVENT_TYPE;
        return (OS_FLAGS)0;
    }
    OS_ENTER_CRITICAL();
    switch (opt) {
    case OS_FLAG_CLR:
        pgrp->OSFlagFlags &= (OS_FLAGS)~flags;
        break;
    case OS_FLAG_SET:
        pgrp->OSFlagFlags |= flags;
        break;
    default:
        OS_EXIT_CRITICAL();
        *perr = OS_ERR_FLAG_INVALID_OPT;
        return (OS_FLAGS)0;
    }
    OS_TRACE_FLAG_POST(pgrp);
    sched = OS_FALSE;
    pnode = (OS_FLAG_NODE *)pgrp->OSFlagWaitList;
    while (pnode != (OS_FLAG_NODE *)0) {
        pnext = (OS_FLAG_NODE *)pnode->OSFlagNodeNext;
        if (os_flag_eval(pgrp->OSFlagFlags, pnode->OSFlagNodeFlags, pnode->OSFlagNodeWaitType, &flags_rdy, &met) ==
            OS_FALSE) {
            OS_EXIT_CRITICAL();
            *perr = OS_ERR_FLAG_WAIT_TYPE;
            return (OS_FLAGS)0;
        }
        if (met == OS_TRUE) {
            if (os_flag_task_rdy(pnode, flags_rdy, OS_STAT_PEND_OK) == OS_TRUE) {
                sched = OS_TRUE;
            }
        }
        pnode = pnext;
    }
    OS_EXIT_CRITICAL();
    if (sched == OS_TRUE) {
        OS_Sched();
    }
    OS_ENTER_CRITICAL();
    flags_cur = pgrp->OSFlagFlags;
    OS_EXIT_CRITICAL();
    *perr = OS_ERR_NONE;
    return flags_cur;
}

#if OS_FLAG_QUERY_EN > 0u
OS_FLAGS OSFlagQuery(OS_FLAG_GRP *pgrp, INT8U *perr)
{
    OS_FLAGS flags;
#if OS_CRITICAL_METHOD == 3u
    OS_CPU_SR cpu_sr = 0u;
#endif

#if OS_ARG_CHK_EN > 0u
    if (pgrp == (OS_FLAG_GRP *)0) {
        *perr = OS_ERR_FLAG_INVALID_PGRP;
        return (OS_FLAGS)0;
    }
#endif
    if (pgrp->OSFlagType != OS_EVENT_TYPE_FLAG) {
        *perr = OS_ERR_EVENT_TYPE;
        return (OS_FLAGS)0;
    }
    OS_ENTER_CRITICAL();
    flags = pgrp->OSFlagFlags;
    OS_EXIT_CRITICAL();
    *perr = OS_ERR_NONE;
    return flags;
}
#endif

void OS_FlagInit(void)
{
    INT16U i;

    OS_MemClr((INT8U *)&OSFlagTbl[0], (INT16U)sizeof(OSFlagTbl));
    for (i = 0u; i < OS_MAX_FLAGS; i++) {
        OSFlagTbl[i].OSFlagType = OS_EVENT_TYPE_UNUSED;
        OSFlagTbl[i].OSFlagWaitList = (i + 1u < OS_MAX_FLAGS) ? (void *)&OSFlagTbl[i + 1u] : (void *)0;
#if OS_FLAG_NAME_EN > 0u
        OSFlagTbl[i].OSFlagName = OS_NAME_UNKNOWN;
#endif
    }
    OSFlagFreeList = &OSFlagTbl[0];
}

void OS_FlagUnlink(OS_FLAG_NODE *pnode)
{
    OS_FLAG_NODE *pprev = (OS_FLAG_NODE *)pnode->OSFlagNodePrev;
    OS_FLAG_NODE *pnext = (OS_FLAG_NODE *)pnode->OSFlagNodeNext;
    OS_FLAG_GRP *pgrp;
#if OS_TASK_DEL_EN > 0u
    OS_TCB *ptcb;
#endif

    if (pprev == (OS_FLAG_NODE *)0) {
        pgrp = (OS_FLAG_GRP *)pnode->OSFlagNodeFlagGrp;
        pgrp->OSFlagWaitList = (void *)pnext;
    } else {
        pprev->OSFlagNodeNext = (void *)pnext;
    }
    if (pnext != (OS_FLAG_NODE *)0) {
        pnext->OSFlagNodePrev = (void *)pprev;
    }
#if OS_TASK_DEL_EN > 0u
    ptcb = (OS_TCB *)pnode->OSFlagNodeTCB;
    ptcb->OSTCBFlagNode = (OS_FLAG_NODE *)0;
#endif
}

#endif /* OS_FLAG_EN */
