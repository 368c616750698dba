/* SPDX-License-Identifier: MIT OR Apache-2.0 */
/*
 * app_cfg.h — application configuration of the soak's workload guests.
 */
#ifndef APP_CFG_H
#define APP_CFG_H

/* Priority of the software-timer task (OS_TMR_EN > 0). */
#define OS_TASK_TMR_PRIO (OS_LOWEST_PRIO - 2u)

/* The tick checker runs above the workload, so that it samples its counts
 * right after a tick. */
#define APP_TASK_TICKS_PRIO 10u
#define APP_TASK_A_PRIO     11u   /* pong / consumer */
#define APP_TASK_B_PRIO     12u   /* ping / producer */

#define APP_TASK_STK_SIZE 2048u   /* every task may call printf() */
#define APP_Q_SIZE 8u

#endif /* APP_CFG_H */
