/* SPDX-License-Identifier: MIT OR Apache-2.0 */
/*
 * app_cfg.h — application configuration of the littlefs example.
 *
 * Starts from the SDK default (ucos-ii-c/cfg/app_cfg.h): the kernel needs only
 * OS_TASK_TMR_PRIO from here; the rest are this application's task
 * priorities, the priority ceiling of the file-system mutex and stack sizes
 * (OS_STK entries, 4 bytes each on ARMv7-A).
 */
#ifndef APP_CFG_H
#define APP_CFG_H

/* Priority of the software-timer task (OS_TMR_EN > 0). Just above the statistics
 * task (OS_LOWEST_PRIO - 1) and the idle task (OS_LOWEST_PRIO). */
#define OS_TASK_TMR_PRIO (OS_LOWEST_PRIO - 2u)

/* The file-system mutex's priority ceiling: above every task that uses it. */
#define APP_FS_MUTEX_PRIO    5u
#define APP_TASK_START_PRIO  8u
#define APP_TASK_WRITER_PRIO 10u /* writers 10 and 11: they preempt each other's */
                                 /* file operations only between them            */

#define APP_TASK_STK_SIZE 2048u  /* littlefs and printf() */

#endif /* APP_CFG_H */
