/* SPDX-License-Identifier: MIT OR Apache-2.0 */
/*
 * app_cfg.h — tick_restart example: task priority and stack sizes.
 */
#ifndef APP_CFG_H
#define APP_CFG_H

#define OS_TASK_TMR_PRIO    (OS_LOWEST_PRIO - 2u)

#define APP_TASK_RESTART_PRIO 10u

#define APP_TASK_STK_SIZE  2048u    /* calls printf() */
#define APP_HELPER_STK_WORDS 512u   /* the second thread's stack: paravirt calls only */

#define APP_TICKS_BEFORE     20u    /* ticks before the schedule is taken away */
#define APP_TICKS_AFTER      50u    /* ticks delayed after it is taken back */

#endif /* APP_CFG_H */
