/* SPDX-License-Identifier: MIT OR Apache-2.0 */
/*
 * app_cfg.h — application configuration of the make example: the timer
 * task's priority (the kernel needs it from here), the application's task
 * priorities and stack sizes (OS_STK entries, 4 bytes each on ARMv7-A).
 */
#ifndef APP_CFG_H
#define APP_CFG_H

#define OS_TASK_TMR_PRIO (OS_LOWEST_PRIO - 2u)

#define APP_PRODUCER_PRIO   10u
#define APP_CONSUMER_PRIO   11u
#define APP_FILLER_PRIO     20u   /* the first of the tasks that fill the task table */

#define APP_TASK_STK_SIZE 2048u   /* the producer and consumer call printf() */
#define APP_FILLER_STK_SIZE 128u

#define APP_MESSAGES        5u    /* messages the producer sends */

#endif /* APP_CFG_H */
