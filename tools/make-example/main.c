/* SPDX-License-Identifier: MIT OR Apache-2.0 */
/*
 * The make example's guest, `counter`: built with make and arm-none-eabi-gcc
 * against an SDK folder exported by `cargo xtask sdk` (see the Makefile).
 *
 * A producer task sends APP_MESSAGES numbers through a µC/OS-II mailbox, one
 * every 10 ms; the consumer prints each as it arrives:
 *
 *     counter: got 3 at OSTime 30
 *
 * Then the consumer fills the kernel's task table, creating tasks until
 * OSTaskCreate() says there is no TCB left, and checks that the table holds
 * OS_MAX_TASKS + OS_N_SYS_TASKS tasks as this file's compilation sees them
 * (os_cfg.h): µC/OS-II was compiled with the same os_cfg.h. It prints
 *
 *     counter: task table full at 10 tasks (os_cfg.h: OS_MAX_TASKS 8 + 2 system tasks)
 *     counter: sum 15, kernel configuration MATCH
 *
 * and exits with code 0 (the system's exit code), or 3 when something differs.
 */
#include <stdio.h>
#include <stdlib.h>

#include "ucos_ii.h"
#include "app_cfg.h"

#define MAX_FILLERS 32u

static OS_STK producer_stk[APP_TASK_STK_SIZE];
static OS_STK consumer_stk[APP_TASK_STK_SIZE];
static OS_STK filler_stk[MAX_FILLERS][APP_FILLER_STK_SIZE];

static OS_EVENT *mailbox;

static void producer(void *p_arg)
{
    INT32U n;

    (void)p_arg;
    for (n = 1u; n <= APP_MESSAGES; n++) {
        OSTimeDly(OS_TICKS_PER_SEC / 100u);
        (void)OSMboxPost(mailbox, (void *)n);
    }
    for (;;) {
        (void)OSTaskSuspend(OS_PRIO_SELF);
    }
}

static void filler(void *p_arg)
{
    (void)p_arg;
    for (;;) {
        (void)OSTaskSuspend(OS_PRIO_SELF);
    }
}

/* Creates tasks until the kernel's task table is full; returns OSTaskCtr then. */
static unsigned fill_task_table(void)
{
    INT8U i;
    INT8U err = OS_ERR_NONE;

    for (i = 0u; i < MAX_FILLERS && err == OS_ERR_NONE; i++) {
        err = OSTaskCreate(filler, (void *)0, &filler_stk[i][APP_FILLER_STK_SIZE - 1u], (INT8U)(APP_FILLER_PRIO + i));
    }
    if (err != OS_ERR_TASK_NO_MORE_TCB) {
        printf("counter: creating tasks ended with error %u, not OS_ERR_TASK_NO_MORE_TCB\n", (unsigned)err);
        return 0u;
    }
    return (unsigned)OSTaskCtr;
}

static void consumer(void *p_arg)
{
    INT32U sum = 0u;
    INT32U n;
    INT8U err;
    unsigned full;
    int ok;

    (void)p_arg;
    for (n = 0u; n < APP_MESSAGES; n++) {
        INT32U value = (INT32U)OSMboxPend(mailbox, 0u, &err);
        if (err != OS_ERR_NONE) {
            printf("counter: OSMboxPend error %u\n", (unsigned)err);
        }
        sum += value;
        printf("counter: got %lu at OSTime %lu\n", (unsigned long)value, (unsigned long)OSTimeGet());
    }
    full = fill_task_table();
    printf("counter: task table full at %u tasks (os_cfg.h: OS_MAX_TASKS %u + %u system tasks)\n", full,
           (unsigned)OS_MAX_TASKS, (unsigned)OS_N_SYS_TASKS);
    ok = full == OS_MAX_TASKS + OS_N_SYS_TASKS && sum == APP_MESSAGES * (APP_MESSAGES + 1u) / 2u;
    printf("counter: sum %lu, kernel configuration %s\n", (unsigned long)sum, ok ? "MATCH" : "DIFFERS");
    (void)fflush(stdout);
    exit(ok ? 0 : 3);
}

int main(void)
{
    OSInit();
    printf("counter: built with make, µC/OS-II V%u\n", (unsigned)OSVersion());
    mailbox = OSMboxCreate((void *)0);
    if (mailbox == (OS_EVENT *)0) {
        printf("counter: cannot create the mailbox\n");
        return 3;
    }
    (void)OSTaskCreate(producer, (void *)0, &producer_stk[APP_TASK_STK_SIZE - 1u], APP_PRODUCER_PRIO);
    (void)OSTaskCreate(consumer, (void *)0, &consumer_stk[APP_TASK_STK_SIZE - 1u], APP_CONSUMER_PRIO);
    OSStart(); /* does not return */
    return 3;
}
