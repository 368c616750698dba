/* SPDX-License-Identifier: MIT OR Apache-2.0 */
/*
 * app_cfg.h — the µC/OS-II benchmark (main.c), in a guest and natively
 * (tests/native-ucos builds the same main.c, os_cfg.h and app_cfg.h).
 */
#ifndef APP_CFG_H
#define APP_CFG_H

#define OS_TASK_TMR_PRIO (OS_LOWEST_PRIO - 2u)

#define APP_TASK_HIGH_PRIO 5u  /* woken by the post: the switch's other side   */
#define APP_TASK_MAIN_PRIO 10u /* posts, measures, reports                      */
#define APP_TASK_SPIN_PRIO 20u /* spins on the counter while the ticks come in  */

#define APP_TASK_STK_SIZE 1024u

#endif /* APP_CFG_H */
