/* SPDX-License-Identifier: MIT OR Apache-2.0 */
/*
 * app_cfg.h — application configuration of the hello example.
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

/* Application tasks: the faster a task, the higher its priority (rate monotonic). */
#define APP_TASK_A_PRIO     10u   /* every 100 ms */
#define APP_TASK_B_PRIO     11u   /* every 250 ms */
#define APP_TASK_C_PRIO     12u   /* every 500 ms */

#define APP_TASK_STK_SIZE 2048u   /* every task calls printf() */

/* How long the example runs before it exits with code 0 (0 = forever). */
#define APP_RUN_SECONDS  5u

#endif /* APP_CFG_H */
