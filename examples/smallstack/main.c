/* SPDX-License-Identifier: MIT OR Apache-2.0 */
/*
 * smallstack — an application as they are written for bare boards: 256-entry
 * (1 KiB) task stacks, printf with integer and string conversions from two tasks
 * and from a software-timer callback (on the timer task's default stack), the
 * SDK's default os_cfg.h (OS_APP_HOOKS_EN 0: no App_* hooks), and OSStatInit in
 * the start task. It reports the stack each task used (OSTaskStkChk) and
 * OSCPUUsage, and exits 0 when every check holds.
 */
#include <stdio.h>
#include <stdlib.h>

#include "ucos_ii.h"
#include "app_cfg.h"

static OS_STK start_stk[APP_STK_SIZE];
static OS_STK print_stk[2][APP_STK_SIZE];
static volatile INT32U timer_calls;

static void timer_callback(void *p_tmr, void *p_arg)
{
    (void)p_tmr;
    timer_calls++;
    printf("smallstack: timer %s call %lu at OSTime %lu\n", (const char *)p_arg, (unsigned long)timer_calls,
           (unsigned long)OSTimeGet());
}

static void printer(void *p_arg)
{
    unsigned id = (unsigned)(INT32U)p_arg;
    unsigned n;
    for (n = 1u; n <= 5u; n++) {
        printf("smallstack: task %u line %u: %s %d %5u %-6s|%x\n", id, n, "text", -(int)n, n * 1000u, "left",
               0xBEEFu + n);
        OSTimeDly((INT16U)(20u + id * 7u));
    }
    for (;;) {
        OSTimeDly(1000u);
    }
}

static unsigned stack_used(INT8U prio)
{
    OS_STK_DATA data;
    return OSTaskStkChk(prio, &data) == OS_ERR_NONE ? (unsigned)data.OSUsed : 0u;
}

static void start(void *p_arg)
{
    INT8U err;
    OS_TMR *tmr;
    unsigned i, failed = 0u;
    (void)p_arg;

    OSStatInit();
    tmr = OSTmrCreate(1u, 1u, OS_TMR_OPT_PERIODIC, timer_callback, "periodic", (INT8U *)"tick", &err);
    if (tmr == (OS_TMR *)0 || !OSTmrStart(tmr, &err)) {
        printf("smallstack: FAIL: timer not started (%u)\n", err);
        exit(1);
    }
    for (i = 0u; i < 2u; i++) {
        OSTaskCreateExt(printer, (void *)(INT32U)i, &print_stk[i][APP_STK_SIZE - 1u], (INT8U)(APP_PRINT_PRIO + i),
                        (INT16U)(APP_PRINT_PRIO + i), &print_stk[i][0], APP_STK_SIZE, (void *)0,
                        OS_TASK_OPT_STK_CHK | OS_TASK_OPT_STK_CLR);
    }
    OSTimeDly(OS_TICKS_PER_SEC / 2u);
    (void)OSTmrStop(tmr, OS_TMR_OPT_NONE, (void *)0, &err);
    printf("smallstack: stack used (entries): printing tasks %u and %u of %u, timer task %u of %u, "
           "idle task %u of %u, statistics task %u of %u\n",
           stack_used(APP_PRINT_PRIO), stack_used(APP_PRINT_PRIO + 1u), APP_STK_SIZE, stack_used(OS_TASK_TMR_PRIO),
           OS_TASK_TMR_STK_SIZE, stack_used(OS_TASK_IDLE_PRIO), OS_TASK_IDLE_STK_SIZE, stack_used(OS_TASK_STAT_PRIO),
           OS_TASK_STAT_STK_SIZE);
    if (timer_calls < 3u) {
        printf("smallstack: FAIL: the timer callback ran %lu times\n", (unsigned long)timer_calls);
        failed++;
    }
    printf("smallstack: OSCPUUsage %u %%\n", OSCPUUsage);
    printf("smallstack: %s\n", failed == 0u ? "done" : "FAIL");
    exit((int)failed);
}

int main(void)
{
    OSInit();
    OSTaskCreateExt(start, (void *)0, &start_stk[APP_STK_SIZE - 1u], APP_START_PRIO, APP_START_PRIO, &start_stk[0],
                    APP_STK_SIZE, (void *)0, OS_TASK_OPT_STK_CHK | OS_TASK_OPT_STK_CLR);
    OSStart();
    return 1;
}
