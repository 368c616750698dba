/* SPDX-License-Identifier: MIT OR Apache-2.0 */
/*
 * app_cfg.h — the slow_client image's guests: role, task priority and stack size.
 */
#ifndef APP_CFG_H
#define APP_CFG_H

#define OS_TASK_TMR_PRIO (OS_LOWEST_PRIO - 2u)

/* APP_ROLE_STALL: the hostile client; APP_ROLE_PROBE: the latency probe
 * (system.toml gives APP_ROLE to each guest). */
#define APP_ROLE_STALL 0u
#define APP_ROLE_PROBE 1u
#ifndef APP_ROLE
#define APP_ROLE APP_ROLE_PROBE
#endif

#define APP_TASK_PRIO     10u
#define APP_TASK_STK_SIZE 2048u   /* calls printf() */
/* Ticks the probe measures. */
#define APP_PROBE_TICKS   3000u

#endif /* APP_CFG_H */
