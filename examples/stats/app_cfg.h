/* SPDX-License-Identifier: MIT OR Apache-2.0 */
/*
 * app_cfg.h — application configuration of the stats test application.
 */
#ifndef APP_CFG_H
#define APP_CFG_H

#define OS_TASK_TMR_PRIO (OS_LOWEST_PRIO - 2u)

#define APP_START_PRIO  10u
#define APP_BUSY_PRIO   11u
#define APP_STK_SIZE   256u    /* 1 KiB, as real applications give printing tasks */

#endif /* APP_CFG_H */
