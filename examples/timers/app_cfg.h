/* SPDX-License-Identifier: MIT OR Apache-2.0 */
/*
 * app_cfg.h — application configuration of the timers example.
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

/* Application task (creates, waits for and deletes the timers). The timer
 * callbacks run in the timer task at OS_TASK_TMR_PRIO, whose stack
 * (OS_TASK_TMR_STK_SIZE in os_cfg.h) is enlarged because they call printf(). */
#define APP_TASK_MAIN_PRIO  10u

#define APP_TASK_STK_SIZE 2048u

#endif /* APP_CFG_H */
