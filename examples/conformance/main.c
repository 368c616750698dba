/* SPDX-License-Identifier: MIT OR Apache-2.0 */
/*
 * conformance — runs the µC/OS-II conformance suite as a ucvisor guest.
 *
 * The suite itself is ucos-ii-c/tests/conformance/{conformance.c,
 * conf_tests_task.c, conf_tests_sync.c, conf_tests_misc.c} (everything there but
 * host_main.c, which is the host version of this file); the build adds it. Its
 * entry point ucos_conformance_run() is called from a task at CONF_MAIN_PRIO. The
 * suite prints one line per case, a line per failing check and ends with
 * "N passed, M failed"; the guest then exits with exit(M ? 1 : 0).
 */
#include <stdio.h>
#include <stdlib.h>

#include "ucos_ii.h"
#include "ucos_conformance.h"

#define MAIN_STK_SIZE 16384u

static OS_STK main_stk[MAIN_STK_SIZE];

static void main_task(void *p_arg)
{
    int failed;

    (void)p_arg;
    failed = ucos_conformance_run();
    (void)fflush(stdout);
    exit((failed == 0) ? 0 : 1);
}

int main(void)
{
    INT8U err;

    OSInit();
    err = OSTaskCreateExt(main_task, (void *)0, &main_stk[MAIN_STK_SIZE - 1u], CONF_MAIN_PRIO, CONF_MAIN_PRIO,
                          &main_stk[0], MAIN_STK_SIZE, (void *)0, OS_TASK_OPT_STK_CHK | OS_TASK_OPT_STK_CLR);
    if (err != OS_ERR_NONE) {
        printf("cannot create the main task: %u\n", (unsigned)err);
        return 2;
    }
    OSStart(); /* does not return */
    printf("OSStart returned\n");
    return 2;
}

/* Application hooks, called by the port (OS_APP_HOOKS_EN is 1 in the default
 * configuration the suite needs). Nothing to do in any of them. */
#if OS_APP_HOOKS_EN > 0u
void App_TaskCreateHook(OS_TCB *ptcb)
{
    (void)ptcb;
}

void App_TaskDelHook(OS_TCB *ptcb)
{
    (void)ptcb;
}

void App_TaskIdleHook(void)
{
}

void App_TaskReturnHook(OS_TCB *ptcb)
{
    (void)ptcb;
}

void App_TaskStatHook(void)
{
}

#if OS_TASK_SW_HOOK_EN > 0u
void App_TaskSwHook(void)
{
}
#endif

void App_TCBInitHook(OS_TCB *ptcb)
{
    (void)ptcb;
}

#if OS_TIME_TICK_HOOK_EN > 0u
void App_TimeTickHook(void)
{
}
#endif
#endif
