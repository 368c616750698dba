/* SPDX-License-Identifier: MIT OR Apache-2.0 */
/*
 * virq — a handler attached to a virtual interrupt from C.
 *
 * The raiser task raises virtual interrupt APP_VIRQ_NUMBER; the handler, running
 * in µC/OS-II ISR context, posts a semaphore; the higher-priority waiter task
 * pends on it and must run before the raiser continues (OSIntExit switches to it).
 * The handler also raises APP_VIRQ_NESTED and unmasks for a moment, as an ISR
 * that allows nesting does: the second handler runs right there, nested, on the
 * interrupt stack below the first one's frame, which must come back intact.
 * After APP_ROUNDS rounds it prints `virq: PASS` and exits 0.
 */
#include <stdio.h>
#include <stdlib.h>

#include "ucos_ii.h"
#include "app_cfg.h"
#include "ucvisor_guest.h"

static OS_STK waiter_stk[APP_TASK_STK_SIZE];
static OS_STK raiser_stk[APP_TASK_STK_SIZE];

static OS_EVENT *virq_sem;
static volatile INT32U handled;     /* handler runs */
static volatile INT32U woken;       /* waiter wake-ups */
static volatile INT32U nested;      /* nested handler runs */
static volatile INT32U intact;      /* first handler runs whose stack survived the nested one */

static void on_nested(uint32_t number)
{
    if (number == APP_VIRQ_NESTED && OSIntNesting > 1u) {
        nested++;
    }
}

static void on_virq(uint32_t number)
{
    volatile INT32U canary[4];
    INT32U i;

    if (number == APP_VIRQ_NUMBER && OSIntNesting > 0u) {
        handled++;
        for (i = 0u; i < 4u; i++) {
            canary[i] = 0x5A5A0000u + handled * 4u + i;
        }
        /* Pending while masked; unmasking takes it at once, nested. */
        (void)ucvisor_virq_raise(APP_VIRQ_NESTED);
        OS_CPU_SR_Restore(0u);
        (void)OS_CPU_SR_Save();
        for (i = 0u; i < 4u && canary[i] == 0x5A5A0000u + handled * 4u + i; i++) {
        }
        if (i == 4u) {
            intact++;
        }
        (void)OSSemPost(virq_sem);
    }
}

static void waiter_task(void *p_arg)
{
    INT8U err;

    (void)p_arg;
    for (;;) {
        OSSemPend(virq_sem, 0u, &err);
        if (err == OS_ERR_NONE) {
            woken++;
        }
    }
}

static void raiser_task(void *p_arg)
{
    INT32U round;
    INT32U in_order = 0u;
    BOOLEAN pass;

    (void)p_arg;
    if (ucvisor_virq_attach(APP_VIRQ_NUMBER, on_virq) != 0u || ucvisor_virq_attach(APP_VIRQ_NESTED, on_nested) != 0u ||
        ucvisor_virq_attach(1u, on_virq) == 0u) {
        printf("virq: attach did not behave\n");
        exit(1);
    }
    for (round = 1u; round <= APP_ROUNDS; round++) {
        (void)ucvisor_virq_raise(APP_VIRQ_NUMBER);
        /* The handler ran and the waiter (higher priority) ran before we got here. */
        if (handled == round && woken == round) {
            in_order++;
        }
        OSTimeDly(2u);
    }
    printf("virq: %lu raises, %lu handler runs, %lu waiter wake-ups, %lu in order\n", (unsigned long)APP_ROUNDS,
           (unsigned long)handled, (unsigned long)woken, (unsigned long)in_order);
    printf("virq: %lu nested interrupts inside the handler, %lu handler stacks intact\n", (unsigned long)nested,
           (unsigned long)intact);
    pass = in_order == APP_ROUNDS && nested == APP_ROUNDS && intact == APP_ROUNDS;
    printf("virq: %s\n", pass ? "PASS" : "FAIL");
    (void)fflush(stdout);
    exit(pass ? 0 : 1);
}

int main(void)
{
    OSInit();
    virq_sem = OSSemCreate(0u);
    (void)OSTaskCreate(waiter_task, (void *)0, &waiter_stk[APP_TASK_STK_SIZE - 1u], APP_TASK_WAITER_PRIO);
    (void)OSTaskCreate(raiser_task, (void *)0, &raiser_stk[APP_TASK_STK_SIZE - 1u], APP_TASK_RAISER_PRIO);
    OSStart();
    return 1;
}
