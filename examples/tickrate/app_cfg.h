/* SPDX-License-Identifier: MIT OR Apache-2.0 */
/*
 * app_cfg.h — application configuration of the tickrate test application.
 *
 * Starts from the SDK default (ucos-ii-c/cfg/app_cfg.h): the kernel needs only
 * OS_TASK_TMR_PRIO from here; the rest are this application's task priorities,
 * stack size and run length.
 */
#ifndef APP_CFG_H
#define APP_CFG_H

/* Priority of the software-timer task (OS_TMR_EN > 0). Just above the statistics
 * task (OS_LOWEST_PRIO - 1) and the idle task (OS_LOWEST_PRIO). */
#define OS_TASK_TMR_PRIO (OS_LOWEST_PRIO - 2u)

#define APP_TASK_RATE_PRIO 10u
#define APP_TASK_BUSY_PRIO 20u /* above the statistics and timer tasks */

#define APP_TASK_STK_SIZE 2048u /* calls printf() */

/* Ticks to measure over; the guest build passes -DAPP_TICK_COUNT=... with the
 * rate. */
#ifndef APP_TICK_COUNT
#define APP_TICK_COUNT 10000u
#endif

#endif /* APP_CFG_H */
