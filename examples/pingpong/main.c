/* SPDX-License-Identifier: MIT OR Apache-2.0 */
/*
 * pingpong — two µC/OS-II tasks exchanging messages.
 *
 * ping prints "ping: N" and posts the round number N to pong's mailbox. pong
 * (the higher priority task) pends on the mailbox, prints "pong: got N" and
 * posts the acknowledge semaphore back; ping pends on that semaphore before the
 * next round. After 10 rounds ping prints "pingpong: 10 rounds done" and goes
 * on forever at one round per second.
 */
#include <stdio.h>

#include "ucos_ii.h"
#include "app_cfg.h"

#define FAST_ROUNDS 10u

static OS_STK ping_stk[APP_TASK_STK_SIZE];
static OS_STK pong_stk[APP_TASK_STK_SIZE];

static OS_EVENT *ping_mbox;   /* ping -> pong: pointer to the round number */
static OS_EVENT *ack_sem;     /* pong -> ping: round handled               */

static void pong_task(void *p_arg)
{
    INT32U *pround;
    INT8U err;

    (void)p_arg;
    for (;;) {
        pround = (INT32U *)OSMboxPend(ping_mbox, 0u, &err);
        if (err != OS_ERR_NONE) {
            printf("pong: OSMboxPend error %u\n", (unsigned)err);
            (void)fflush(stdout);
            (void)OSTimeDlyHMSM(0u, 0u, 1u, 0u);
            continue;
        }
        printf("pong: got %lu\n", (unsigned long)*pround);
        (void)fflush(stdout);
        (void)OSSemPost(ack_sem);
    }
}

static void ping_task(void *p_arg)
{
    static INT32U round; /* pong reads it through the mailbox: not on the stack */
    INT8U err;

    (void)p_arg;
    for (;;) {
        round++;
        printf("ping: %lu\n", (unsigned long)round);
        (void)fflush(stdout);
        err = OSMboxPost(ping_mbox, (void *)&round);
        if (err != OS_ERR_NONE) {
            printf("ping: OSMboxPost error %u\n", (unsigned)err);
        }
        /* Wait at most one second for pong's answer. */
        OSSemPend(ack_sem, OS_TICKS_PER_SEC, &err);
        if (err != OS_ERR_NONE) {
            printf("ping: no answer to %lu (error %u)\n", (unsigned long)round, (unsigned)err);
            (void)fflush(stdout);
        }
        if (round == FAST_ROUNDS) {
            printf("pingpong: %u rounds done\n", FAST_ROUNDS);
            (void)fflush(stdout);
        }
        if (round >= FAST_ROUNDS) {
            (void)OSTimeDlyHMSM(0u, 0u, 1u, 0u); /* slower from now on */
        }
    }
}

int main(void)
{
    INT8U err;

    OSInit();
    printf("pingpong: starting\n");
    (void)fflush(stdout);

    ping_mbox = OSMboxCreate((void *)0);
    ack_sem = OSSemCreate(0u);
    if ((ping_mbox == (OS_EVENT *)0) || (ack_sem == (OS_EVENT *)0)) {
        printf("pingpong: cannot create the mailbox or the semaphore\n");
        return 1;
    }
    err = OSTaskCreateExt(pong_task, (void *)0, &pong_stk[APP_TASK_STK_SIZE - 1u], APP_TASK_PONG_PRIO,
                          APP_TASK_PONG_PRIO, &pong_stk[0], APP_TASK_STK_SIZE, (void *)0,
                          OS_TASK_OPT_STK_CHK | OS_TASK_OPT_STK_CLR);
    if (err == OS_ERR_NONE) {
        err = OSTaskCreateExt(ping_task, (void *)0, &ping_stk[APP_TASK_STK_SIZE - 1u], APP_TASK_PING_PRIO,
                              APP_TASK_PING_PRIO, &ping_stk[0], APP_TASK_STK_SIZE, (void *)0,
                              OS_TASK_OPT_STK_CHK | OS_TASK_OPT_STK_CLR);
    }
    if (err != OS_ERR_NONE) {
        printf("pingpong: cannot create the tasks: error %u\n", (unsigned)err);
        return 1;
    }

    OSStart(); /* does not return */
    return 1;
}
