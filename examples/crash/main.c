/* SPDX-License-Identifier: MIT OR Apache-2.0 */
/*
 * crash — a guest with a bug: after a few ticks its task writes through a NULL
 * pointer. The root server reports the fault (naming the task, `crasher`) and
 * applies the guest's fault policy: stop, restart or shutdown; other guests
 * keep running with their exact tick (see the `isolation` and `fault_*` images).
 */
#include <stdio.h>

#include "ucos_ii.h"
#include "app_cfg.h"

static OS_STK crash_stk[APP_TASK_STK_SIZE];

static void crash_task(void *p_arg)
{
    volatile INT32U *nowhere = (volatile INT32U *)p_arg;

    OSTimeDly(50u);
    printf("crash: writing through a NULL pointer at OSTime %lu\n", (unsigned long)OSTimeGet());
    (void)fflush(stdout);
    *nowhere = 0xDEADu;
    printf("crash: still running (the write did not fault)\n");
    for (;;) {
        OSTimeDly(1000u);
    }
}

int main(void)
{
    INT8U err;

    OSInit();
    (void)OSTaskCreate(crash_task, (void *)0, &crash_stk[APP_TASK_STK_SIZE - 1u], APP_TASK_CRASH_PRIO);
    /* The root server's fault report names the running task. */
    OSTaskNameSet(APP_TASK_CRASH_PRIO, (INT8U *)"crasher", &err);
    OSStart();
    return 1;
}
