/*
 * app_cfg.h — application configuration: task priorities and stack sizes.
 * µC/OS-II itself needs only OS_TASK_TMR_PRIO from here (when OS_TMR_EN is 1).
 */
#ifndef APP_CFG_H
#define APP_CFG_H

#define OS_TASK_TMR_PRIO   (OS_LOWEST_PRIO - 2u)

#define APP_TASK_START_PRIO   10u
#define APP_TASK_BLINK_PRIO   11u
#define APP_TASK_STK_SIZE    256u   /* OS_STK entries (4 bytes): enough for printf() */

#endif /* APP_CFG_H */
