/* SPDX-License-Identifier: MIT OR Apache-2.0 */
/*
 * os_cfg.h — µC/OS-II configuration of the tick_restart example.
 *
 * A copy of the SDK default (ucos-ii-c/cfg/os_cfg.h) with these changes:
 *   OS_APP_HOOKS_EN 0 (no App_*Hook() functions in this application)
 * Every macro must stay defined: ucos_ii.h stops with #error naming a missing one.
 */
#ifndef OS_CFG_H
#define OS_CFG_H

/* ---------------------- MISCELLANEOUS ----------------------- */
#define OS_APP_HOOKS_EN           0u   /* Changed: no App_*Hook() functions in this application         */
#define OS_ARG_CHK_EN             1u   /* Check service arguments (NULL pointers, ranges, options)      */
#define OS_CPU_HOOKS_EN           1u   /* The port file defines the OS*Hook() functions                 */
#define OS_DEBUG_EN               1u   /* Debug constants and OSDebugInit()                             */
#define OS_EVENT_MULTI_EN         1u   /* OSEventPendMulti()                                            */
#define OS_EVENT_NAME_EN          1u   /* OSEventNameGet()/OSEventNameSet()                             */
#define OS_LOWEST_PRIO           63u   /* Lowest priority (idle task); at most 254                      */
#define OS_MAX_EVENTS            10u   /* Event control blocks (semaphores, mutexes, mailboxes, queues) */
#define OS_MAX_FLAGS              5u   /* Event flag groups                                             */
#define OS_MAX_MEM_PART           5u   /* Memory partitions                                             */
#define OS_MAX_QS                 4u   /* Queue control blocks                                          */
#define OS_MAX_TASKS             20u   /* Application tasks (at least 2)                                */
#define OS_SCHED_LOCK_EN          1u   /* OSSchedLock()/OSSchedUnlock()                                 */
#define OS_TICK_STEP_EN           1u   /* Tick stepping for kernel-aware debuggers (OSTickStepState)    */
#define OS_TICKS_PER_SEC       1000u   /* Clock ticks per second                                        */
#define OS_TLS_TBL_SIZE           0u   /* Task-local storage slots (needs a TLS module when > 0)        */

/* ---------------------- TASK STACK SIZES (OS_STK entries) ---------------------- */
#define OS_TASK_TMR_STK_SIZE    128u   /* Timer task                                                    */
#define OS_TASK_STAT_STK_SIZE   128u   /* Statistics task                                               */
#define OS_TASK_IDLE_STK_SIZE   128u   /* Idle task                                                     */

/* ---------------------- TASK MANAGEMENT ---------------------- */
#define OS_TASK_CHANGE_PRIO_EN    1u   /* OSTaskChangePrio()                                            */
#define OS_TASK_CREATE_EN         1u   /* OSTaskCreate()                                                */
#define OS_TASK_CREATE_EXT_EN     1u   /* OSTaskCreateExt() (needed for stack checking)                 */
#define OS_TASK_DEL_EN            1u   /* OSTaskDel()/OSTaskDelReq()                                    */
#define OS_TASK_NAME_EN           1u   /* OSTaskNameGet()/OSTaskNameSet()                               */
#define OS_TASK_PROFILE_EN        1u   /* Per-task profiling fields in OS_TCB                           */
#define OS_TASK_QUERY_EN          1u   /* OSTaskQuery()                                                 */
#define OS_TASK_REG_TBL_SIZE      1u   /* Task registers per task (OSTaskRegGet/Set), 0 = none          */
#define OS_TASK_STAT_EN           1u   /* Statistics task and OSStatInit()                              */
#define OS_TASK_STAT_STK_CHK_EN   1u   /* OSTaskStkChk() and stack checking by the statistics task      */
#define OS_TASK_SUSPEND_EN        1u   /* OSTaskSuspend()/OSTaskResume()                                */
#define OS_TASK_SW_HOOK_EN        1u   /* OSTaskSwHook() (called by the port on each context switch)    */

/* ---------------------- EVENT FLAGS ---------------------- */
#define OS_FLAG_EN                1u   /* Event flags                                                   */
#define OS_FLAG_ACCEPT_EN         1u   /* OSFlagAccept()                                                */
#define OS_FLAG_DEL_EN            1u   /* OSFlagDel()                                                   */
#define OS_FLAG_NAME_EN           1u   /* OSFlagNameGet()/OSFlagNameSet()                               */
#define OS_FLAG_QUERY_EN          1u   /* OSFlagQuery()                                                 */
#define OS_FLAG_WAIT_CLR_EN       1u   /* Waiting for cleared flags (OS_FLAG_WAIT_CLR_*)                */
#define OS_FLAGS_NBITS           16u   /* Width of OS_FLAGS: 8, 16 or 32                                */

/* ---------------------- MESSAGE MAILBOXES ---------------------- */
#define OS_MBOX_EN                1u   /* Mailboxes                                                     */
#define OS_MBOX_ACCEPT_EN         1u   /* OSMboxAccept()                                                */
#define OS_MBOX_DEL_EN            1u   /* OSMboxDel()                                                   */
#define OS_MBOX_PEND_ABORT_EN     1u   /* OSMboxPendAbort()                                             */
#define OS_MBOX_POST_EN           1u   /* OSMboxPost()                                                  */
#define OS_MBOX_POST_OPT_EN       1u   /* OSMboxPostOpt()                                               */
#define OS_MBOX_QUERY_EN          1u   /* OSMboxQuery()                                                 */

/* ---------------------- MEMORY MANAGEMENT ---------------------- */
#define OS_MEM_EN                 1u   /* Fixed-size memory partitions                                  */
#define OS_MEM_NAME_EN            1u   /* OSMemNameGet()/OSMemNameSet()                                 */
#define OS_MEM_QUERY_EN           1u   /* OSMemQuery()                                                  */

/* ---------------------- MUTUAL EXCLUSION SEMAPHORES ---------------------- */
#define OS_MUTEX_EN               1u   /* Mutexes (priority ceiling protocol)                           */
#define OS_MUTEX_ACCEPT_EN        1u   /* OSMutexAccept()                                               */
#define OS_MUTEX_DEL_EN           1u   /* OSMutexDel()                                                  */
#define OS_MUTEX_QUERY_EN         1u   /* OSMutexQuery()                                                */

/* ---------------------- MESSAGE QUEUES ---------------------- */
#define OS_Q_EN                   1u   /* Message queues                                                */
#define OS_Q_ACCEPT_EN            1u   /* OSQAccept()                                                   */
#define OS_Q_DEL_EN               1u   /* OSQDel()                                                      */
#define OS_Q_FLUSH_EN             1u   /* OSQFlush()                                                    */
#define OS_Q_PEND_ABORT_EN        1u   /* OSQPendAbort()                                                */
#define OS_Q_POST_EN              1u   /* OSQPost()                                                     */
#define OS_Q_POST_FRONT_EN        1u   /* OSQPostFront()                                                */
#define OS_Q_POST_OPT_EN          1u   /* OSQPostOpt()                                                  */
#define OS_Q_QUERY_EN             1u   /* OSQQuery()                                                    */

/* ---------------------- SEMAPHORES ---------------------- */
#define OS_SEM_EN                 1u   /* Counting semaphores                                           */
#define OS_SEM_ACCEPT_EN          1u   /* OSSemAccept()                                                 */
#define OS_SEM_DEL_EN             1u   /* OSSemDel()                                                    */
#define OS_SEM_PEND_ABORT_EN      1u   /* OSSemPendAbort()                                              */
#define OS_SEM_QUERY_EN           1u   /* OSSemQuery()                                                  */
#define OS_SEM_SET_EN             1u   /* OSSemSet()                                                    */

/* ---------------------- TIME MANAGEMENT ---------------------- */
#define OS_TIME_DLY_HMSM_EN       1u   /* OSTimeDlyHMSM()                                               */
#define OS_TIME_DLY_RESUME_EN     1u   /* OSTimeDlyResume()                                             */
#define OS_TIME_GET_SET_EN        1u   /* OSTimeGet()/OSTimeSet() and OSTime                            */
#define OS_TIME_TICK_HOOK_EN      1u   /* OSTimeTickHook() called first in OSTimeTick()                 */

/* ---------------------- TIMER MANAGEMENT ---------------------- */
#define OS_TMR_EN                 1u   /* Software timers (needs OS_SEM_EN; OS_TASK_TMR_PRIO in app_cfg.h) */
#define OS_TMR_CFG_MAX           16u   /* Timers                                                        */
#define OS_TMR_CFG_NAME_EN        1u   /* Timer names (OSTmrNameGet())                                  */
#define OS_TMR_CFG_WHEEL_SIZE     7u   /* Spokes of the timer wheel                                     */
#define OS_TMR_CFG_TICKS_PER_SEC 10u   /* Timer rate: the port calls OSTmrSignal() at this rate         */

/* ---------------------- TRACE RECORDER ---------------------- */
#define OS_TRACE_EN               0u   /* Trace hooks (needs os_trace_events.h when > 0)                */
#define OS_TRACE_API_ENTER_EN     0u   /* Trace API entry                                               */
#define OS_TRACE_API_EXIT_EN      0u   /* Trace API exit                                                */

#endif /* OS_CFG_H */
