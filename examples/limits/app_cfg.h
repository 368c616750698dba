/* SPDX-License-Identifier: MIT OR Apache-2.0 */
/*
 * app_cfg.h — limits test application: task priority and stack size.
 */
#ifndef APP_CFG_H
#define APP_CFG_H

#define OS_TASK_TMR_PRIO (OS_LOWEST_PRIO - 2u)

#define APP_TASK_LIMITS_PRIO 10u
#define APP_TASK_STK_SIZE  2048u   /* calls printf() */

#endif /* APP_CFG_H */
