/* SPDX-License-Identifier: MIT OR Apache-2.0 */
/*
 * app_cfg.h — application configuration of the newlib test application.
 */
#ifndef APP_CFG_H
#define APP_CFG_H

#define OS_TASK_TMR_PRIO (OS_LOWEST_PRIO - 2u)

#define APP_MAIN_PRIO     20u   /* errno check, then collects the results */
#define APP_OTHER_PRIO    10u   /* sets errno to EBADF every tick          */
#define APP_HEAP_PRIO     30u   /* first of APP_HEAP_TASKS heap workers    */
#define APP_HEAP_TASKS     3u
#define APP_STK_SIZE    1024u

#endif /* APP_CFG_H */
