/* SPDX-License-Identifier: MIT OR Apache-2.0 */
/*
 * app_cfg.h — application configuration of the ticks test application.
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

/* Application task. */
#define APP_TASK_TICKS_PRIO 10u

#define APP_TASK_STK_SIZE 2048u   /* calls printf() */

#ifndef APP_TICKS_TARGET
#define APP_TICKS_TARGET 10000u   /* run until OSTimeGet() reaches this */
#endif

#endif /* APP_CFG_H */
