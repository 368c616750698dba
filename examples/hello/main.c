/* SPDX-License-Identifier: MIT OR Apache-2.0 */
/*
 * hello — three µC/OS-II tasks running at different rates.
 *
 * Task A runs every 100 ms, task B every 250 ms, task C every 500 ms
 * (OSTimeDlyHMSM). Each prints one line per period:
 *
 *     hello: task A tick 1 at OSTime 100
 *
 * The tasks share the console, so a semaphore keeps their lines whole. After
 * APP_RUN_SECONDS (app_cfg.h; 0 = forever) task C prints `hello: done` and the
 * guest exits with code 0, which ends the QEMU run.
 */
#include <stdio.h>
#include <stdlib.h>

#include "ucos_ii.h"
#include "app_cfg.h"

typedef struct {
    const char *name;   /* "A", "B", "C"       */
    INT16U      ms;     /* period, milliseconds */
} task_cfg_t;

static const task_cfg_t task_a = {"A", 100u};
static const task_cfg_t task_b = {"B", 250u};
static const task_cfg_t task_c = {"C", 500u};

static OS_STK task_a_stk[APP_TASK_STK_SIZE];
static OS_STK task_b_stk[APP_TASK_STK_SIZE];
static OS_STK task_c_stk[APP_TASK_STK_SIZE];

static OS_EVENT *console_sem;   /* one task on the console at a time */

static void console_lock(void)
{
    INT8U err;

    OSSemPend(console_sem, 0u, &err);
}

static void console_unlock(void)
{
    (void)fflush(stdout);
    (void)OSSemPost(console_sem);
}

static void periodic_task(void *p_arg)
{
    const task_cfg_t *cfg = (const task_cfg_t *)p_arg;
    INT32U n = 0u;
    INT8U err;

    for (;;) {
        err = OSTimeDlyHMSM(0u, 0u, 0u, cfg->ms);
        n++;
        console_lock();
        if (err != OS_ERR_NONE) {
            printf("hello: task %s: OSTimeDlyHMSM error %u\n", cfg->name, (unsigned)err);
        }
        printf("hello: task %s tick %lu at OSTime %lu\n", cfg->name, (unsigned long)n, (unsigned long)OSTimeGet());
        if (APP_RUN_SECONDS > 0u && cfg == &task_c && n * cfg->ms >= APP_RUN_SECONDS * 1000u) {
            printf("hello: done after %u seconds\n", (unsigned)APP_RUN_SECONDS);
            (void)fflush(stdout);
            exit(0);
        }
        console_unlock();
    }
}

static void create_task(const task_cfg_t *cfg, OS_STK *stk, INT8U prio)
{
    INT8U err;

    err = OSTaskCreateExt(periodic_task, (void *)cfg, &stk[APP_TASK_STK_SIZE - 1u], prio, prio, &stk[0],
                          APP_TASK_STK_SIZE, (void *)0, OS_TASK_OPT_STK_CHK | OS_TASK_OPT_STK_CLR);
    if (err != OS_ERR_NONE) {
        printf("hello: cannot create task %s: error %u\n", cfg->name, (unsigned)err);
    }
}

int main(void)
{
    OSInit();
    printf("hello: starting µC/OS-II V%u\n", (unsigned)OSVersion());
    (void)fflush(stdout);

    console_sem = OSSemCreate(1u);
    if (console_sem == (OS_EVENT *)0) {
        printf("hello: cannot create the console semaphore\n");
        return 1;
    }
    create_task(&task_a, task_a_stk, APP_TASK_A_PRIO);
    create_task(&task_b, task_b_stk, APP_TASK_B_PRIO);
    create_task(&task_c, task_c_stk, APP_TASK_C_PRIO);

    OSStart(); /* does not return */
    return 1;
}
