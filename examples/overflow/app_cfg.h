/* SPDX-License-Identifier: MIT OR Apache-2.0 */
/*
 * app_cfg.h — application configuration of the overflow test application.
 */
#ifndef APP_CFG_H
#define APP_CFG_H

#define OS_TASK_TMR_PRIO (OS_LOWEST_PRIO - 2u)

#define APP_QUIET_PRIO  10u   /* sleeps; its stack lies just below the digger's */
#define APP_DIG_PRIO    11u   /* digs ever deeper into its stack                */
#define APP_STK_SIZE   256u

#endif /* APP_CFG_H */
