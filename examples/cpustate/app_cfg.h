/* SPDX-License-Identifier: MIT OR Apache-2.0 */
/*
 * app_cfg.h — application configuration of the cpustate test application.
 */
#ifndef APP_CFG_H
#define APP_CFG_H

#define OS_TASK_TMR_PRIO (OS_LOWEST_PRIO - 2u)

#define APP_CHECK_PRIO   10u    /* runs the checks, CPU-bound             */
#define APP_NOISE_PRIO    5u    /* wakes every tick: a switch on top      */
#define APP_STK_SIZE   2048u

#endif /* APP_CFG_H */
