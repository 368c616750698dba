/* SPDX-License-Identifier: MIT OR Apache-2.0 */
/*
 * app_cfg.h — application configuration of the preempt test application.
 *
 * Starts from the SDK default (ucos-ii-c/cfg/app_cfg.h): the kernel needs only
 * OS_TASK_TMR_PRIO from here; the rest are this application's task priorities
 * and stack sizes (OS_STK entries, 4 bytes each on ARMv7-A).
 */
#ifndef APP_CFG_H
#define APP_CFG_H

/* Priority of the software-timer task (OS_TMR_EN > 0). Just above the statistics
 * task (OS_LOWEST_PRIO - 1) and the idle task (OS_LOWEST_PRIO). */
#define OS_TASK_TMR_PRIO (OS_LOWEST_PRIO - 2u)

/* Application tasks. The high task waits one tick at a time; the low task
 * never blocks, so the idle, statistics and timer tasks do not run during
 * the experiment. */
#define APP_TASK_HIGH_PRIO   5u
#define APP_TASK_LOW_PRIO   20u

#define APP_TASK_STK_SIZE 2048u   /* the high task calls printf() */

#define APP_WAKEUPS         20u   /* wakeups of the high task in the experiment */
#define APP_TRACE_SIZE     256u   /* trace ring entries (more than 3 per wakeup) */

#endif /* APP_CFG_H */
