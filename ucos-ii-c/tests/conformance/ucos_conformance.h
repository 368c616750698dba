/* SPDX-License-Identifier: MIT OR Apache-2.0 */
/*
 * ucvisor bundled µC/OS-II-compatible kernel — written for this project from the
 * documented V2.93.01 API.
 *
 * ucos_conformance.h — entry point of the portable µC/OS-II conformance suite.
 *
 * The suite uses only the µC/OS-II API and printf. It expects the default
 * configuration (every service on, OS_TICKS_PER_SEC 1000, OS_TMR_CFG_TICKS_PER_SEC
 * 10, OS_MAX_EVENTS 10, ...), a port whose tick hook drives OSTmrSignal(), and a
 * clock tick that keeps running while tasks are blocked.
 *
 * Call ucos_conformance_run() from a task of priority CONF_MAIN_PRIO, before any
 * other application task exists (the suite calls OSStatInit() itself). Priorities
 * 1..CONF_MAIN_PRIO+25 other than CONF_MAIN_PRIO must be free. It prints one line
 * per case, one line per failing check (file, line, expression) and ends with
 * exactly one line "N passed, M failed". It returns M.
 */
#ifndef UCOS_CONFORMANCE_H
#define UCOS_CONFORMANCE_H

#define CONF_MAIN_PRIO 10u

int ucos_conformance_run(void);

#endif /* UCOS_CONFORMANCE_H */
