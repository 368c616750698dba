/* SPDX-License-Identifier: MIT OR Apache-2.0 */
/*
 * workload — a workload guest of the soak: a µC/OS-II application that keeps
 * two tasks busy exchanging messages at every tick, and a third that checks
 * that µC/OS-II counted every tick it was given, exactly, like the `ticks`
 * example.
 *
 * Built twice (system.toml): with SOAK_WORKLOAD_PINGPONG, ping posts a round
 * number to pong's mailbox and pends on pong's acknowledge semaphore (as the
 * `pingpong` example); with SOAK_WORKLOAD_QUEUE, a producer posts numbered
 * messages to an 8-entry queue and a consumer checks they arrive in order
 * (as the `queue` example). Either runs a round every tick.
 *
 * The tick checker waits until OSTimeGet() has advanced by the soak's tick
 * count (soak_parameters.h), printing "NAME: progress N of M ticks" every
 * 10,000 ticks, then compares, with interrupts masked, OSTimeGet() with the
 * ticks the virtual timer delivered and with the time the generic timer's
 * counter says passed (see examples/ticks), and the workload's own counts.
 * At 10 kHz a tick lasts 100 µs, less than a tick can take to reach a task
 * when three guests share the processor, so the counter check takes 16
 * samples right after 16 consecutive ticks: a late tick makes one sample a
 * tick short, a lost tick makes every sample short; one sample must agree
 * (as in examples/ticks: OSTimeGet advanced by what the counter says, or one
 * more when the start sample came a tick late):
 *
 *     pingpong: OSTimeGet=20001 delivered=20001
 *     pingpong: counter says 20000 ticks passed, OSTimeGet advanced 20000
 *     pingpong: 19998 rounds, 0 errors
 *     pingpong: MATCH                          -> exit(0)
 * or MISMATCH                                  -> exit(1)
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "ucos_ii.h"
#include "app_cfg.h"
#include "soak_parameters.h"

/* SDK (ucvisor_guest.h). */
INT32U ucvisor_ticks_delivered(void);
uint64_t ucvisor_counter(void);
uint32_t ucvisor_counter_frequency(void);

SOAK_PARAMETER_BLOCK;

#if defined(SOAK_WORKLOAD_PINGPONG)
#define NAME "pingpong"
#elif defined(SOAK_WORKLOAD_QUEUE)
#define NAME "queue"
#else
#error "define SOAK_WORKLOAD_PINGPONG or SOAK_WORKLOAD_QUEUE"
#endif

#define CHUNK    100u     /* ticks per OSTimeDly() of the checker */
#define PROGRESS 10000u   /* ticks between two progress lines     */

static OS_STK ticks_stk[APP_TASK_STK_SIZE];
static OS_STK a_stk[APP_TASK_STK_SIZE];
static OS_STK b_stk[APP_TASK_STK_SIZE];

static volatile INT32U rounds; /* completed rounds of the workload */
static volatile INT32U errors; /* anything the workload did not expect */

#if defined(SOAK_WORKLOAD_PINGPONG)
static OS_EVENT *ping_mbox; /* ping -> pong: the round number */
static OS_EVENT *ack_sem;   /* pong -> ping: round handled    */
static INT32U round_number; /* pong reads it through the mailbox */

static void task_a(void *p_arg) /* pong */
{
    INT32U expected = 1u;
    INT32U *pround;
    INT8U err;

    (void)p_arg;
    for (;;) {
        pround = (INT32U *)OSMboxPend(ping_mbox, 0u, &err);
        if (err != OS_ERR_NONE || *pround != expected) {
            errors++;
        }
        expected = *pround + 1u;
        (void)OSSemPost(ack_sem);
    }
}

static void task_b(void *p_arg) /* ping */
{
    INT8U err;

    (void)p_arg;
    for (;;) {
        round_number++;
        if (OSMboxPost(ping_mbox, (void *)&round_number) != OS_ERR_NONE) {
            errors++;
        }
        OSSemPend(ack_sem, SOAK_TICK_HZ, &err); /* at most a second */
        if (err != OS_ERR_NONE) {
            errors++;
        }
        rounds++;
        OSTimeDly(1u);
    }
}

static INT8U create_events(void)
{
    ping_mbox = OSMboxCreate((void *)0);
    ack_sem = OSSemCreate(0u);
    return (ping_mbox != (OS_EVENT *)0 && ack_sem != (OS_EVENT *)0) ? OS_ERR_NONE : OS_ERR_PEVENT_NULL;
}
#else
#define BURST 4u /* messages per tick */
static OS_EVENT *queue;
static void *queue_storage[APP_Q_SIZE];
static INT32U slots[APP_Q_SIZE * 2u]; /* the messages point here, reused round robin */

static void task_a(void *p_arg) /* consumer */
{
    INT32U expected = 1u;
    INT32U *pvalue;
    INT8U err;

    (void)p_arg;
    for (;;) {
        pvalue = (INT32U *)OSQPend(queue, SOAK_TICK_HZ, &err); /* at most a second */
        if (err != OS_ERR_NONE) {
            errors++;
            continue;
        }
        if (*pvalue != expected) {
            errors++;
        }
        expected = *pvalue + 1u;
        if (expected % BURST == 1u) {
            rounds++;
        }
    }
}

static void task_b(void *p_arg) /* producer */
{
    INT32U next = 1u;
    INT32U i;

    (void)p_arg;
    for (;;) {
        for (i = 0u; i < BURST; i++) {
            INT32U *slot = &slots[next % (APP_Q_SIZE * 2u)];
            *slot = next;
            if (OSQPost(queue, (void *)slot) != OS_ERR_NONE) {
                errors++;
            }
            next++;
        }
        OSTimeDly(1u);
    }
}

static INT8U create_events(void)
{
    queue = OSQCreate(&queue_storage[0], APP_Q_SIZE);
    return queue != (OS_EVENT *)0 ? OS_ERR_NONE : OS_ERR_PEVENT_NULL;
}
#endif

/* The samples taken at the end, right after consecutive ticks: a tick that
 * is handled late makes one sample look a tick short, a lost tick makes
 * every sample short. */
#define END_SAMPLES 16u

static void ticks_task(void *p_arg)
{
#if OS_CRITICAL_METHOD == 3u
    OS_CPU_SR cpu_sr = 0u;
#endif
    INT32U target = SOAK_PARAMETER_TICKS;
    INT32U now;
    INT32U reported;
    INT32U os_time = 0u;
    INT32U delivered = 0u;
    INT32U start_time;
    INT32U derived;
    INT32U advanced;
    INT32U best_derived = 0u;
    INT32U best_advanced = 0u;
    INT32U done_rounds;
    INT32U done_errors;
    INT32U sample;
    int exact = 1;
    int close = 0;
    int32_t behind;
    int32_t most_behind = 0;
    uint64_t start_counter;
    uint64_t end_counter;

    (void)p_arg;
    OSTimeDly(1u); /* both samples are taken right after a tick */
    OS_ENTER_CRITICAL();
    start_counter = ucvisor_counter();
    start_time = OSTimeGet();
    OS_EXIT_CRITICAL();
    now = start_time;
    reported = 0u;
    while (now - start_time < target) {
        OSTimeDly(CHUNK);
        now = OSTimeGet();
        if ((now - start_time) / PROGRESS != reported / PROGRESS) {
            reported = now - start_time;
            printf(NAME ": progress %lu of %lu ticks, %lu rounds\n", (unsigned long)reported, (unsigned long)target,
                   (unsigned long)rounds);
            (void)fflush(stdout);
        }
    }

    for (sample = 0u; sample < END_SAMPLES; sample++) {
        OSTimeDly(1u);
        OS_ENTER_CRITICAL(); /* no tick between the reads */
        os_time = OSTimeGet();
        delivered = ucvisor_ticks_delivered();
        end_counter = ucvisor_counter();
        OS_EXIT_CRITICAL();
        if (os_time != delivered) {
            exact = 0;
        }
        derived = (INT32U)(((end_counter - start_counter) * (uint64_t)OS_TICKS_PER_SEC) / ucvisor_counter_frequency());
        advanced = os_time - start_time;
        behind = (int32_t)(derived - advanced);
        if (behind > most_behind) {
            most_behind = behind;
        }
        /* The start sample may come a tick later than the end one, never more. */
        if (!close && (behind == 0 || behind == -1)) {
            close = 1;
            best_derived = derived;
            best_advanced = advanced;
        }
    }
    done_rounds = rounds;
    done_errors = errors;

    printf(NAME ": OSTimeGet=%lu delivered=%lu\n", (unsigned long)os_time, (unsigned long)delivered);
    if (close) {
        printf(NAME ": counter says %lu ticks passed, OSTimeGet advanced %lu (the closest of %u samples; the latest "
                    "tick came %ld ticks late)\n",
               (unsigned long)best_derived, (unsigned long)best_advanced, END_SAMPLES, (long)most_behind);
    } else {
        printf(NAME ": counter and OSTimeGet disagree in all %u samples: up to %ld ticks\n", END_SAMPLES,
               (long)most_behind);
    }
    printf(NAME ": %lu rounds, %lu errors\n", (unsigned long)done_rounds, (unsigned long)done_errors);
    /* The workload ran a round at (nearly) every tick. */
    if (exact && close && done_errors == 0u && done_rounds >= target / 2u) {
        printf(NAME ": MATCH\n");
        (void)fflush(stdout);
        exit(0);
    }
    printf(NAME ": MISMATCH\n");
    (void)fflush(stdout);
    exit(1);
}

int main(void)
{
    INT8U err;

    OSInit();
    printf(NAME ": %lu ticks at %u Hz\n", (unsigned long)SOAK_PARAMETER_TICKS, (unsigned)OS_TICKS_PER_SEC);
    (void)fflush(stdout);
    err = create_events();
    if (err == OS_ERR_NONE) {
        err = OSTaskCreateExt(ticks_task, (void *)0, &ticks_stk[APP_TASK_STK_SIZE - 1u], APP_TASK_TICKS_PRIO,
                              APP_TASK_TICKS_PRIO, &ticks_stk[0], APP_TASK_STK_SIZE, (void *)0,
                              OS_TASK_OPT_STK_CHK | OS_TASK_OPT_STK_CLR);
    }
    if (err == OS_ERR_NONE) {
        err = OSTaskCreateExt(task_a, (void *)0, &a_stk[APP_TASK_STK_SIZE - 1u], APP_TASK_A_PRIO, APP_TASK_A_PRIO,
                              &a_stk[0], APP_TASK_STK_SIZE, (void *)0, OS_TASK_OPT_STK_CHK | OS_TASK_OPT_STK_CLR);
    }
    if (err == OS_ERR_NONE) {
        err = OSTaskCreateExt(task_b, (void *)0, &b_stk[APP_TASK_STK_SIZE - 1u], APP_TASK_B_PRIO, APP_TASK_B_PRIO,
                              &b_stk[0], APP_TASK_STK_SIZE, (void *)0, OS_TASK_OPT_STK_CHK | OS_TASK_OPT_STK_CLR);
    }
    if (err != OS_ERR_NONE) {
        printf(NAME ": cannot create the events or tasks: error %u\n", (unsigned)err);
        return 1;
    }
    OSStart(); /* does not return */
    return 1;
}
