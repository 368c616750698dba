/* SPDX-License-Identifier: MIT OR Apache-2.0 */
/*
 * app_cfg.h — virq example: task priorities and stack sizes.
 */
#ifndef APP_CFG_H
#define APP_CFG_H

#define OS_TASK_TMR_PRIO    (OS_LOWEST_PRIO - 2u)

#define APP_TASK_WAITER_PRIO  5u    /* readied by the virtual interrupt handler */
#define APP_TASK_RAISER_PRIO 10u

#define APP_TASK_STK_SIZE  2048u    /* calls printf() */

#define APP_VIRQ_NUMBER       5u
#define APP_VIRQ_NESTED       6u
#define APP_ROUNDS           10u

#endif /* APP_CFG_H */
