/* SPDX-License-Identifier: MIT OR Apache-2.0 */
/*
 * app_cfg.h — application configuration of the soak's hostile guest.
 */
#ifndef APP_CFG_H
#define APP_CFG_H

/* Priority of the software-timer task (OS_TMR_EN > 0). */
#define OS_TASK_TMR_PRIO (OS_LOWEST_PRIO - 2u)

#define APP_TASK_HOSTILE_PRIO 10u
#define APP_TASK_STK_SIZE 4096u   /* calls printf() */

#endif /* APP_CFG_H */
