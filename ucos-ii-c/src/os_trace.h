/* SPDX-License-Identifier: MIT OR Apache-2.0 */
/*
 * ucvisor bundled µC/OS-II-compatible kernel — written for this project from the
 * documented V2.93.01 API.
 *
 * os_trace.h: trace recorder hooks. Every hook expands to nothing unless the
 * configuration turns tracing on (OS_TRACE_EN > 0), in which case the application
 * supplies <os_trace_events.h> defining the hooks it wants; the rest stay empty.
 */
#ifndef OS_TRACE_H
#define OS_TRACE_H

#include <os_cfg.h>

#if defined(OS_TRACE_EN) && (OS_TRACE_EN > 0u)
#include <os_trace_events.h>
#endif

/* Recorder control. */
#ifndef OS_TRACE_INIT
#define OS_TRACE_INIT()
#endif
#ifndef OS_TRACE_START
#define OS_TRACE_START()
#endif
#ifndef OS_TRACE_STOP
#define OS_TRACE_STOP()
#endif
#ifndef OS_TRACE_CLEAR
#define OS_TRACE_CLEAR()
#endif

/* Interrupts and ticks. */
#ifndef OS_TRACE_ISR_REGISTER
#define OS_TRACE_ISR_REGISTER(isr_id, isr_name, isr_prio)
#endif
#ifndef OS_TRACE_ISR_BEGIN
#define OS_TRACE_ISR_BEGIN(isr_id)
#endif
#ifndef OS_TRACE_ISR_END
#define OS_TRACE_ISR_END()
#endif
#ifndef OS_TRACE_ISR_ENTER
#define OS_TRACE_ISR_ENTER()
#endif
#ifndef OS_TRACE_ISR_EXIT
#define OS_TRACE_ISR_EXIT()
#endif
#ifndef OS_TRACE_ISR_EXIT_TO_SCHEDULER
#define OS_TRACE_ISR_EXIT_TO_SCHEDULER()
#endif
#ifndef OS_TRACE_TICK_INCREMENT
#define OS_TRACE_TICK_INCREMENT(tick_ctr)
#endif

/* Tasks. */
#ifndef OS_TRACE_TASK_CREATE
#define OS_TRACE_TASK_CREATE(p_tcb)
#endif
#ifndef OS_TRACE_TASK_CREATE_FAILED
#define OS_TRACE_TASK_CREATE_FAILED(p_tcb)
#endif
#ifndef OS_TRACE_TASK_DEL
#define OS_TRACE_TASK_DEL(p_tcb)
#endif
#ifndef OS_TRACE_TASK_READY
#define OS_TRACE_TASK_READY(p_tcb)
#endif
#ifndef OS_TRACE_TASK_SWITCHED_IN
#define OS_TRACE_TASK_SWITCHED_IN(p_tcb)
#endif
#ifndef OS_TRACE_TASK_DLY
#define OS_TRACE_TASK_DLY(dly_ticks)
#endif
#ifndef OS_TRACE_TASK_SUSPEND
#define OS_TRACE_TASK_SUSPEND(p_tcb)
#endif
#ifndef OS_TRACE_TASK_SUSPENDED
#define OS_TRACE_TASK_SUSPENDED(p_tcb)
#endif
#ifndef OS_TRACE_TASK_RESUME
#define OS_TRACE_TASK_RESUME(p_tcb)
#endif
#ifndef OS_TRACE_TASK_PRIO_CHANGE
#define OS_TRACE_TASK_PRIO_CHANGE(p_tcb, prio)
#endif
#ifndef OS_TRACE_TASK_NAME_SET
#define OS_TRACE_TASK_NAME_SET(p_tcb)
#endif
#ifndef OS_TRACE_EVENT_NAME_SET
#define OS_TRACE_EVENT_NAME_SET(p_event, p_name)
#endif

/* Kernel objects: creation, deletion, posting and pending. */
#ifndef OS_TRACE_SEM_CREATE
#define OS_TRACE_SEM_CREATE(p_sem, p_name)
#endif
#ifndef OS_TRACE_SEM_DEL
#define OS_TRACE_SEM_DEL(p_sem)
#endif
#ifndef OS_TRACE_SEM_POST
#define OS_TRACE_SEM_POST(p_sem)
#endif
#ifndef OS_TRACE_SEM_PEND
#define OS_TRACE_SEM_PEND(p_sem)
#endif
#ifndef OS_TRACE_MUTEX_CREATE
#define OS_TRACE_MUTEX_CREATE(p_mutex, p_name)
#endif
#ifndef OS_TRACE_MUTEX_DEL
#define OS_TRACE_MUTEX_DEL(p_mutex)
#endif
#ifndef OS_TRACE_MUTEX_POST
#define OS_TRACE_MUTEX_POST(p_mutex)
#endif
#ifndef OS_TRACE_MUTEX_PEND
#define OS_TRACE_MUTEX_PEND(p_mutex)
#endif
#ifndef OS_TRACE_MUTEX_TASK_PRIO_INHERIT
#define OS_TRACE_MUTEX_TASK_PRIO_INHERIT(p_tcb, prio)
#endif
#ifndef OS_TRACE_MUTEX_TASK_PRIO_DISINHERIT
#define OS_TRACE_MUTEX_TASK_PRIO_DISINHERIT(p_tcb, prio)
#endif
#ifndef OS_TRACE_MBOX_CREATE
#define OS_TRACE_MBOX_CREATE(p_mbox, p_name)
#endif
#ifndef OS_TRACE_Q_CREATE
#define OS_TRACE_Q_CREATE(p_q, p_name)
#endif
#ifndef OS_TRACE_Q_DEL
#define OS_TRACE_Q_DEL(p_q)
#endif
#ifndef OS_TRACE_Q_POST
#define OS_TRACE_Q_POST(p_q)
#endif
#ifndef OS_TRACE_Q_PEND
#define OS_TRACE_Q_PEND(p_q)
#endif
#ifndef OS_TRACE_FLAG_CREATE
#define OS_TRACE_FLAG_CREATE(p_grp, p_name)
#endif
#ifndef OS_TRACE_FLAG_DEL
#define OS_TRACE_FLAG_DEL(p_grp)
#endif
#ifndef OS_TRACE_FLAG_POST
#define OS_TRACE_FLAG_POST(p_grp)
#endif
#ifndef OS_TRACE_FLAG_PEND
#define OS_TRACE_FLAG_PEND(p_grp)
#endif
#ifndef OS_TRACE_MEM_CREATE
#define OS_TRACE_MEM_CREATE(p_mem)
#endif
#ifndef OS_TRACE_MEM_GET
#define OS_TRACE_MEM_GET(p_mem)
#endif
#ifndef OS_TRACE_MEM_PUT
#define OS_TRACE_MEM_PUT(p_mem)
#endif
#ifndef OS_TRACE_TMR_CREATE
#define OS_TRACE_TMR_CREATE(p_tmr, p_name)
#endif
#ifndef OS_TRACE_TMR_EXPIRED
#define OS_TRACE_TMR_EXPIRED(p_tmr)
#endif

#endif /* OS_TRACE_H */
