/* SPDX-License-Identifier: MIT OR Apache-2.0 */
/*
 * app_cfg.h — application configuration of the vfp test application.
 */
#ifndef APP_CFG_H
#define APP_CFG_H

#define OS_TASK_TMR_PRIO (OS_LOWEST_PRIO - 2u)

#define APP_MAIN_PRIO    5u
#define APP_WORK_PRIO   10u   /* first of APP_WORKERS workers, one priority each */
#define APP_WORKERS      3u
#define APP_STK_SIZE  1024u

#endif /* APP_CFG_H */
