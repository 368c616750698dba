/* SPDX-License-Identifier: MIT OR Apache-2.0 */
/*
 * timers — µC/OS-II software timers with callbacks.
 *
 * With OS_TMR_CFG_TICKS_PER_SEC 10 one timer tick is 100 ms. The main task
 * creates a periodic timer of 2 timer ticks and a one-shot timer of 5 timer
 * ticks and starts both. The callbacks run in the timer task:
 *
 *     timers: periodic fired 1        (200 ms)
 *     timers: periodic fired 2        (400 ms)
 *     timers: one-shot fired          (500 ms)
 *     timers: periodic fired 3 .. 5   (600, 800, 1000 ms)
 *
 * The periodic callback posts a semaphore; after the fifth post the main task
 * stops and deletes the periodic timer (and the completed one-shot timer) and
 * prints "timers: done". It then checks for one second that the periodic timer
 * stays quiet and idles forever.
 */
#include <stdio.h>

#include "ucos_ii.h"
#include "app_cfg.h"

#define PERIODIC_TICKS 2u   /* timer ticks (100 ms each) */
#define ONE_SHOT_TICKS 5u
#define PERIODIC_RUNS  5u   /* firings before the main task stops it */

static OS_STK main_stk[APP_TASK_STK_SIZE];

static OS_EVENT *fired_sem;              /* posted by each periodic firing */
static volatile INT32U periodic_count;   /* periodic firings so far        */

/* Callbacks run in the timer task, with the scheduler locked. */
static void periodic_cb(void *ptmr, void *parg)
{
    (void)ptmr;
    (void)parg;
    periodic_count++;
    printf("timers: periodic fired %lu\n", (unsigned long)periodic_count);
    (void)fflush(stdout);
    (void)OSSemPost(fired_sem);
}

static void one_shot_cb(void *ptmr, void *parg)
{
    (void)ptmr;
    (void)parg;
    printf("timers: one-shot fired\n");
    (void)fflush(stdout);
}

static void fail(const char *what, INT8U err)
{
    printf("timers: %s failed: error %u\n", what, (unsigned)err);
    (void)fflush(stdout);
}

static void main_task(void *p_arg)
{
    OS_TMR *periodic;
    OS_TMR *one_shot;
    INT32U n;
    INT8U err;

    (void)p_arg;
    periodic = OSTmrCreate(0u, PERIODIC_TICKS, OS_TMR_OPT_PERIODIC, periodic_cb, (void *)0,
                           (INT8U *)(void *)"periodic", &err);
    if (err != OS_ERR_NONE) {
        fail("OSTmrCreate(periodic)", err);
        return;
    }
    one_shot = OSTmrCreate(ONE_SHOT_TICKS, 0u, OS_TMR_OPT_ONE_SHOT, one_shot_cb, (void *)0,
                           (INT8U *)(void *)"one-shot", &err);
    if (err != OS_ERR_NONE) {
        fail("OSTmrCreate(one-shot)", err);
        return;
    }
    printf("timers: periodic every %u timer ticks, one-shot after %u, %u timer ticks per second\n", PERIODIC_TICKS,
           ONE_SHOT_TICKS, (unsigned)OS_TMR_CFG_TICKS_PER_SEC);
    (void)fflush(stdout);

    (void)OSTmrStart(periodic, &err);
    if (err != OS_ERR_NONE) {
        fail("OSTmrStart(periodic)", err);
    }
    (void)OSTmrStart(one_shot, &err);
    if (err != OS_ERR_NONE) {
        fail("OSTmrStart(one-shot)", err);
    }

    /* Each firing of the periodic timer posts fired_sem; give up after 5 s. */
    for (n = 0u; n < PERIODIC_RUNS; n++) {
        OSSemPend(fired_sem, 5u * OS_TICKS_PER_SEC, &err);
        if (err != OS_ERR_NONE) {
            fail("waiting for the periodic timer", err);
            break;
        }
    }

    (void)OSTmrStop(periodic, OS_TMR_OPT_NONE, (void *)0, &err);
    if (err != OS_ERR_NONE) {
        fail("OSTmrStop(periodic)", err);
    }
    (void)OSTmrDel(periodic, &err);
    if (err != OS_ERR_NONE) {
        fail("OSTmrDel(periodic)", err);
    }
    if (OSTmrStateGet(one_shot, &err) != OS_TMR_STATE_COMPLETED) {
        printf("timers: the one-shot timer has not completed\n");
    }
    (void)OSTmrDel(one_shot, &err);
    if (err != OS_ERR_NONE) {
        fail("OSTmrDel(one-shot)", err);
    }
    printf("timers: done\n");
    (void)fflush(stdout);

    /* The deleted timer must stay quiet. */
    (void)OSTimeDlyHMSM(0u, 0u, 1u, 0u);
    if (periodic_count != PERIODIC_RUNS) {
        printf("timers: periodic timer fired %lu times\n", (unsigned long)periodic_count);
        (void)fflush(stdout);
    }
    for (;;) {
        (void)OSTimeDlyHMSM(0u, 1u, 0u, 0u);
    }
}

int main(void)
{
    INT8U err;

    OSInit();
    printf("timers: starting\n");
    (void)fflush(stdout);

    fired_sem = OSSemCreate(0u);
    if (fired_sem == (OS_EVENT *)0) {
        printf("timers: cannot create the semaphore\n");
        return 1;
    }
    err = OSTaskCreateExt(main_task, (void *)0, &main_stk[APP_TASK_STK_SIZE - 1u], APP_TASK_MAIN_PRIO,
                          APP_TASK_MAIN_PRIO, &main_stk[0], APP_TASK_STK_SIZE, (void *)0,
                          OS_TASK_OPT_STK_CHK | OS_TASK_OPT_STK_CLR);
    if (err != OS_ERR_NONE) {
        printf("timers: cannot create the main task: error %u\n", (unsigned)err);
        return 1;
    }

    OSStart(); /* does not return */
    return 1;
}
