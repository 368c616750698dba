/* SPDX-License-Identifier: MIT OR Apache-2.0 */
/*
 * app_cfg.h — application configuration of the queue example.
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

/* Application tasks. The producer has the higher priority, so it fills the
 * queue before the consumer first runs. */
#define APP_TASK_PRODUCER_PRIO  10u
#define APP_TASK_CONSUMER_PRIO  11u

#define APP_TASK_STK_SIZE     2048u   /* both tasks call printf() */

#define APP_Q_SIZE               8u   /* entries of the message queue */
#define APP_N_MSGS              20u   /* messages the producer sends  */

#endif /* APP_CFG_H */
