/* SPDX-License-Identifier: MIT OR Apache-2.0 */
/*
 * stats — µC/OS-II's statistics mean what they mean on a bare board, and an
 * application that defines the OS*Hook functions itself (OS_CPU_HOOKS_EN 0, as
 * Labrosse's examples do) builds and runs, without semaphores or timers.
 *
 * The start task calls OSStatInit(), then:
 *   idle      1 s with nothing to do: OSCPUUsage must be at most 2 %
 *   busy      a task busy-waits 30 ms of every 100 ms for 2 s: 25 to 35 %
 *   hook      OSTaskStatHook runs every 100 ms: 9 to 11 times a second
 * All tasks have 256-entry (1 KiB) stacks and call printf.
 * Prints `stats: N passed, N failed` and exits with the number of failures.
 */
#include <stdio.h>
#include <stdlib.h>

#include "ucos_ii.h"
#include "app_cfg.h"

static OS_STK start_stk[APP_STK_SIZE];
static OS_STK busy_stk[APP_STK_SIZE];
static volatile INT32U stat_hook_calls;
static unsigned passed;
static unsigned failed;

/* ----- the hooks, defined by the application (OS_CPU_HOOKS_EN 0) ----- */
void OSInitHookBegin(void) {}
void OSInitHookEnd(void) {}
void OSTaskCreateHook(OS_TCB *ptcb) { (void)ptcb; }
void OSTaskDelHook(OS_TCB *ptcb) { (void)ptcb; }
void OSTaskIdleHook(void) {}
void OSTaskReturnHook(OS_TCB *ptcb) { (void)ptcb; }
void OSTaskStatHook(void) { stat_hook_calls++; }
void OSTaskSwHook(void) {}
void OSTCBInitHook(OS_TCB *ptcb) { (void)ptcb; }
void OSTimeTickHook(void) {}

static unsigned long long counter(void)
{
    unsigned lo, hi;
    __asm__ volatile("isb\n\tmrrc p15, 1, %0, %1, c14" : "=r"(lo), "=r"(hi));
    return ((unsigned long long)hi << 32) | lo;
}

static unsigned frequency(void)
{
    unsigned f;
    __asm__ volatile("mrc p15, 0, %0, c14, c0, 0" : "=r"(f));
    return f;
}

static void busy(void *p_arg)
{
    unsigned long long spin = (unsigned long long)frequency() * 30u / 1000u;
    (void)p_arg;
    for (;;) {
        INT32U next = OSTimeGet() + OS_TICKS_PER_SEC / 10u;
        unsigned long long start = counter();
        while (counter() - start < spin) {
        }
        OSTimeDly((INT16U)(next - OSTimeGet()));
    }
}

static void check(const char *name, unsigned value, unsigned low, unsigned high)
{
    int ok = value >= low && value <= high;
    ok ? passed++ : failed++;
    printf("stats: %s: %s: %u (expected %u..%u)\n", name, ok ? "PASS" : "FAIL", value, low, high);
}

static void start(void *p_arg)
{
    INT32U calls;
    (void)p_arg;
    OSStatInit();
    printf("stats: OSIdleCtrMax %lu after OSStatInit\n", (unsigned long)OSIdleCtrMax);
    OSTimeDly(OS_TICKS_PER_SEC / 2u);
    calls = stat_hook_calls;
    OSTimeDly(OS_TICKS_PER_SEC);
    check("statistics hook calls in 1 s", (unsigned)(stat_hook_calls - calls), 9u, 11u);
    check("OSCPUUsage idle", OSCPUUsage, 0u, 2u);
    OSTaskCreate(busy, (void *)0, &busy_stk[APP_STK_SIZE - 1u], APP_BUSY_PRIO);
    OSTimeDly(2u * OS_TICKS_PER_SEC);
    check("OSCPUUsage with a task busy 30 %", OSCPUUsage, 25u, 35u);
    printf("stats: %u passed, %u failed\n", passed, failed);
    exit((int)failed);
}

int main(void)
{
    OSInit();
    OSTaskCreate(start, (void *)0, &start_stk[APP_STK_SIZE - 1u], APP_START_PRIO);
    OSStart();
    return 1;
}
