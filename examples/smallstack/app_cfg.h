/* SPDX-License-Identifier: MIT OR Apache-2.0 */
/*
 * app_cfg.h — application configuration of the smallstack test application.
 */
#ifndef APP_CFG_H
#define APP_CFG_H

#define OS_TASK_TMR_PRIO (OS_LOWEST_PRIO - 2u)

#define APP_START_PRIO  10u
#define APP_PRINT_PRIO  11u   /* first of two printing tasks */
#define APP_STK_SIZE   256u   /* 1 KiB: what real applications give a printing task */

#endif /* APP_CFG_H */
