/* SPDX-License-Identifier: MIT OR Apache-2.0 */
/*
 * ucvisor bundled µC/OS-II-compatible kernel — written for this project from the
 * documented V2.93.01 API.
 *
 * os_mbox.c: single-message mailboxes.
 */
#include "ucos_ii.h"

#if OS_MBOX_EN > 0u

#define OS_NAME_UNKNOWN ((INT8U *)(void *)"?")

#if OS_MBOX_ACCEPT_EN > 0u
void *OSMboxAccept(OS_EVENT *pevent)
{
    void *pmsg;
#if OS_CRITICAL_METHOD == 3u
    OS_CPU_SR cpu_sr = 0u;
#endif

#if OS_ARG_CHK_EN > 0u
    if (pevent == (OS_EVENT *)0) {
        return (void *)0;
    }
#endif
    if (pevent->OSEventType != OS_EVENT_TYPE_MBOX) {
        return (void *)0;
    }
    OS_ENTER_CRITICAL();
    pmsg = pevent->OSEventPtr;
    pevent->OSEventPtr = (void *)0;
    OS_EXIT_CRITICAL();
    return pmsg;
}
#endif

OS_EVENT *OSMboxCreate(void *pmsg)
{
    OS_EVENT *pevent;
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
    if (pevent != (OS_EVENT *)0) {
        pevent->OSEventType = OS_EVENT_TYPE_MBOX;
        pevent->OSEventCnt = 0u;
        pevent->OSEventPtr = pmsg;
#if OS_EVENT_NAME_EN > 0u
        pevent->OSEventName = OS_NAME_UNKNOWN;
#endif
        OS_EventWaitListInit(pevent);
        OS_TRACE_MBOX_CREATE(pevent, pevent->OSEventName);
    }
    return pevent;
}

#if OS_MBOX_DEL_EN > 0u
OS_EVENT *OSMboxDel(OS_EVENT *pevent, INT8U opt, INT8U *perr)
{
    BOOLEAN tasks_waiting;
#if OS_CRITICAL_METHOD == 3u
    OS_CPU_SR cpu_sr = 0u;
#endif

#if OS_ARG_CHK_EN > 0u
    if (pevent == (OS_EVENT *)0) {
        *perr = OS_ERR_PEVENT_NULL;
        return pevent;
    }
#endif
    if (pevent->OSEventType != OS_EVENT_TYPE_MBOX) {
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
            (void)OS_EventTaskRdy(pevent, (void *)0, OS_STAT_MBOX, OS_STAT_PEND_ABORT);
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
    pevent->OSEventType = OS_EVENT_TYPE_UNUSED;
    pevent->OSEventPtr = OSEventFreeList;
    pevent->OSEventCnt = 0u;
    OSEventFreeList = pevent;
    OS_EXIT_CRITICAL();
    if (tasks_waiting == OS_TRUE) {
        OS_Sched();
    }
    *perr = OS_ERR_NONE;
    return (OS_EVENT *)0;
}
#endif

void *OSMboxPend(OS_EVENT *pevent, INT32U timeout, INT8U *perr)
{
    void *pmsg;
#if OS_CRITICAL_METHOD == 3u
    OS_CPU_SR cpu_sr = 0u;
#endif

#if OS_ARG_CHK_EN > 0u
    if (pevent == (OS_EVENT *)0) {
        *perr = OS_ERR_PEVENT_NULL;
        return (void *)0;
    }
#endif
    if (pevent->OSEventType != OS_EVENT_TYPE_MBOX) {
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
    pmsg = pevent->OSEventPtr;
    if (pmsg != (void *)0) {
        pevent->OSEventPtr = (void *)0;
        OS_EXIT_CRITICAL();
        *perr = OS_ERR_NONE;
        return pmsg;
    }
    OSTCBCur->OSTCBStat |= OS_STAT_MBOX;
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

#if OS_MBOX_PEND_ABORT_EN > 0u
INT8U OSMboxPendAbort(OS_EVENT *pevent, INT8U opt, INT8U *perr)
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
    if (pevent->OSEventType != OS_EVENT_TYPE_MBOX) {
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
            (void)OS_EventTaskRdy(pevent, (void *)0, OS_STAT_MBOX, OS_STAT_PEND_ABORT);
            nbr_tasks++;
        }
    } else {
        (void)OS_EventTaskRdy(pevent, (void *)0, OS_STAT_MBOX, OS_STAT_PEND_ABORT);
        nbr_tasks++;
    }
    OS_EXIT_CRITICAL();
    OS_Sched();
    *perr = OS_ERR_PEND_ABORT;
    return nbr_tasks;
}
#endif

#if OS_MBOX_POST_EN > 0u
INT8U OSMboxPost(OS_EVENT *pevent, void *pmsg)
{
#if OS_CRITICAL_METHOD == 3u
    OS_CPU_SR cpu_sr = 0u;
#endif

#if OS_ARG_CHK_EN > 0u
    if (pevent == (OS_EVENT *)0) {
        return OS_ERR_PEVENT_NULL;
    }
    if (pmsg == (void *)0) {
        return OS_ERR_POST_NULL_PTR;
    }
#endif
    if (pevent->OSEventType != OS_EVENT_TYPE_MBOX) {
        return OS_ERR_EVENT_TYPE;
    }
    OS_ENTER_CRITICAL();
    if (pevent->OSEventGrp != 0u) {
        (void)OS_EventTaskRdy(pevent, pmsg, OS_STAT_MBOX, OS_STAT_PEND_OK);
        OS_EXIT_CRITICAL();
        OS_Sched();
        return OS_ERR_NONE;
    }
    if (pevent->OSEventPtr != (void *)0) {
        OS_EXIT_CRITICAL();
        return OS_ERR_MBOX_FULL;
    }
    pevent->OSEventPtr = pmsg;
    OS_EXIT_CRITICAL();
    return OS_ERR_NONE;
}
#endif

#if OS_MBOX_POST_OPT_EN > 0u
INT8U OSMboxPostOpt(OS_EVENT *pevent, void *pmsg, INT8U opt)
{
#if OS_CRITICAL_METHOD == 3u
    OS_CPU_SR cpu_sr = 0u;
#endif

#if OS_ARG_CHK_EN > 0u
    if (pevent == (OS_EVENT *)0) {
        return OS_ERR_PEVENT_NULL;
    }
    if (pmsg == (void *)0) {
        return OS_ERR_POST_NULL_PTR;
    }
#endif
    if (pevent->OSEventType != OS_EVENT_TYPE_MBOX) {
        return OS_ERR_EVENT_TYPE;
    }
    OS_ENTER_CRITICAL();
    if (pevent->OSEventGrp != 0u) {
        if ((opt & OS_POST_OPT_BROADCAST) != 0u) {
            while (pevent->OSEventGrp != 0u) {
                (void)OS_EventTaskRdy(pevent, pmsg, OS_STAT_MBOX, OS_STAT_PEND_OK);
            }
        } else {
            (void)OS_EventTaskRdy(pevent, pmsg, OS_STAT_MBOX, OS_STAT_PEND_OK);
        }
        OS_EXIT_CRITICAL();
        if ((opt & OS_POST_OPT_NO_SCHED) == 0u) {
            OS_Sched();
        }
        return OS_ERR_NONE;
    }
    if (pevent->OSEventPtr != (void *)0) {
        OS_EXIT_CRITICAL();
        return OS_ERR_MBOX_FULL;
    }
    pevent->OSEventPtr = pmsg;
    OS_EXIT_CRITICAL();
    return OS_ERR_NONE;
}
#endif

#if OS_MBOX_QUERY_EN > 0u
INT8U OSMboxQuery(OS_EVENT *pevent, OS_MBOX_DATA *p_mbox_data)
{
    INT8U i;
#if OS_CRITICAL_METHOD == 3u
    OS_CPU_SR cpu_sr = 0u;
#endif

#if OS_ARG_CHK_EN > 0u
    if (pevent == (OS_EVENT *)0) {
        return OS_ERR_PEVENT_NULL;
    }
    if (p_mbox_data == (OS_MBOX_DATA *)0) {
        return OS_ERR_PDATA_NULL;
    }
#endif
    if (pevent->OSEventType != OS_EVENT_TYPE_MBOX) {
        return OS_ERR_EVENT_TYPE;
    }
    OS_ENTER_CRITICAL();
    p_mbox_data->OSEventGrp = pevent->OSEventGrp;
    for (i = 0u; i < OS_EVENT_TBL_SIZE; i++) {
        p_mbox_data->OSEventTbl[i] = pevent->OSEventTbl[i];
    }
    p_mbox_data->OSMsg = pevent->OSEventPtr;
    OS_EXIT_CRITICAL();
    return OS_ERR_NONE;
}
#endif

#endif /* OS_MBOX_EN */
