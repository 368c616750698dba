/* SPDX-License-Identifier: MIT OR Apache-2.0 */
/*
 * tickrate — test application: is the long-run tick rate exact?
 *
 * Built once per rate: the guest build passes -DAPP_TICK_RATE=... (os_cfg.h
 * makes it OS_TICKS_PER_SEC) and -DAPP_TICK_COUNT=... (app_cfg.h). A task waits
 * for a tick (OSTimeDly(1)) and notes the counter C0 and OSTimeGet() T0 in one
 * critical section; then it delays until APP_TICK_COUNT ticks have passed and
 * notes C1 and T1 the same way. The generic timer's virtual counter (CNTVCT, at
 * CNTFRQ Hz, through ucvisor_counter()) says
 *
 *     floor((C1 - C0) * OS_TICKS_PER_SEC / CNTFRQ)
 *
 * ticks passed; µC/OS-II says T1 - T0. A hardware timer would make them agree to
 * within one tick, however long the run. The task also checks that µC/OS-II
 * counted every tick v_timer generated (ucvisor_ticks_delivered()), and reports
 * what the tick costs a guest that is busy (a task spinning on the counter for
 * an eighth of a second loses that share of its time):
 *
 *     tickrate: 1024 Hz, counter 62500000 Hz: OSTimeGet advanced 16384, counter says 16384 (difference 0: 0 ppm)
 *     tickrate: OSTimeGet=16385 delivered=16385
 *     tickrate: the tick took 0.3% of a busy guest's time: 3000 ns per tick (...)
 *     tickrate: PASS                    -> exit(0)
 * or
 *     tickrate: FAIL ...                -> exit(1)
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "ucos_ii.h"
#include "app_cfg.h"
#include "ucvisor_guest.h"

#define CHUNK (OS_TICKS_PER_SEC / 4u) /* ticks per OSTimeDly(): a quarter second */
/* Length of the tick-cost window: an eighth of a second, at least one tick. */
#define COST_TICKS ((OS_TICKS_PER_SEC / 8u) > 0u ? (OS_TICKS_PER_SEC / 8u) : 1u)
/* A gap between two counter reads of the busy task longer than this (counts)
 * means something else ran: the tick. */
#define GAP_COUNTS 64u

static OS_STK rate_stk[APP_TASK_STK_SIZE];
static OS_STK busy_stk[APP_TASK_STK_SIZE];

/* Written by the busy task, read by the rate task once the busy task stopped. */
static volatile uint64_t busy_window;  /* counts the busy task measured over  */
static volatile uint64_t busy_stolen;  /* counts of them something else ran  */
static volatile INT32U   busy_stop;    /* set by the rate task to end the run */

/* Spins reading the counter until told to stop: every gap between two reads
 * longer than GAP_COUNTS is time the tick (or anything else) took. */
static void busy_task(void *p_arg)
{
    uint64_t first, previous, now, stolen = 0u;

    (void)p_arg;
    first = previous = ucvisor_counter();
    while (!busy_stop) {
        now = ucvisor_counter();
        if (now - previous > GAP_COUNTS) {
            stolen += now - previous;
        }
        previous = now;
    }
    busy_window = previous - first;
    busy_stolen = stolen;
    (void)OSTaskSuspend(OS_PRIO_SELF);
}

/* What the tick costs a busy guest: run a busy task below this one for
 * COST_TICKS ticks and report the share of the time it lost. Under QEMU's
 * -icount shift=0 one instruction takes one nanosecond, so the time per tick is
 * the instructions per tick: v_timer, the IPC to Interrupt_loop, the injection
 * and OSTimeTick() with the task switches around it. */
static void report_tick_cost(uint32_t frequency)
{
    INT8U err;
    uint64_t window, stolen;
    unsigned long per_tick_ns, share_permille;

    err = OSTaskCreateExt(busy_task, (void *)0, &busy_stk[APP_TASK_STK_SIZE - 1u], APP_TASK_BUSY_PRIO,
                          APP_TASK_BUSY_PRIO, &busy_stk[0], APP_TASK_STK_SIZE, (void *)0, OS_TASK_OPT_STK_CHK);
    if (err != OS_ERR_NONE) {
        printf("tickrate: cannot create the busy task: error %u\n", (unsigned)err);
        return;
    }
    OSTimeDly((INT16U)COST_TICKS);
    busy_stop = 1u;
    while (busy_window == 0u) {
        OSTimeDly(1u);
    }
    window = busy_window;
    stolen = busy_stolen;
    per_tick_ns = (unsigned long)((stolen * 1000000000u / frequency) / COST_TICKS);
    share_permille = (unsigned long)(stolen * 1000u / window);
    printf("tickrate: the tick took %lu.%lu%% of a busy guest's time: %lu ns per tick "
           "(instructions under -icount shift=0)\n",
           share_permille / 10u, share_permille % 10u, per_tick_ns);
}

/* The counter and OSTimeGet() read together, with no tick in between. */
static void sample(uint64_t *counter, INT32U *os_time)
{
#if OS_CRITICAL_METHOD == 3u
    OS_CPU_SR cpu_sr = 0u;
#endif

    OS_ENTER_CRITICAL();
    *counter = ucvisor_counter();
    *os_time = OSTimeGet();
    OS_EXIT_CRITICAL();
}

static void finish(int pass, const char *why)
{
    printf("tickrate: %s%s\n", pass ? "PASS" : "FAIL: ", pass ? "" : why);
    (void)fflush(stdout);
    exit(pass ? 0 : 1);
}

static void rate_task(void *p_arg)
{
#if OS_CRITICAL_METHOD == 3u
    OS_CPU_SR cpu_sr = 0u;
#endif
    const uint32_t frequency = ucvisor_counter_frequency();
    uint64_t c0, c1;
    INT32U t0, t1, os_time, delivered, elapsed, derived, left;
    long difference, ppm;

    (void)p_arg;
    OSTimeDly(1u); /* start right after a tick */
    sample(&c0, &t0);
    do {
        left = APP_TICK_COUNT - (OSTimeGet() - t0);
        OSTimeDly((INT16U)(left < CHUNK ? left : CHUNK));
    } while (OSTimeGet() - t0 < APP_TICK_COUNT);
    sample(&c1, &t1);

    elapsed = t1 - t0;
    derived = (INT32U)(((c1 - c0) * (uint64_t)OS_TICKS_PER_SEC) / frequency);
    difference = (long)elapsed - (long)derived;
    ppm = (long)(((int64_t)difference * 1000000) / (int64_t)derived);
    printf("tickrate: %lu Hz, counter %lu Hz: OSTimeGet advanced %lu, counter says %lu (difference %ld: %ld ppm)\n",
           (unsigned long)OS_TICKS_PER_SEC, (unsigned long)frequency, (unsigned long)elapsed,
           (unsigned long)derived, difference, ppm);

    OS_ENTER_CRITICAL(); /* no tick between the two reads */
    os_time = OSTimeGet();
    delivered = ucvisor_ticks_delivered();
    OS_EXIT_CRITICAL();
    printf("tickrate: OSTimeGet=%lu delivered=%lu\n", (unsigned long)os_time, (unsigned long)delivered);

    report_tick_cost(frequency);

    if (difference < -1 || difference > 1) {
        finish(0, "µC/OS-II time and the counter differ by more than one tick");
    }
    if (os_time != delivered) {
        finish(0, "µC/OS-II did not count every tick v_timer generated");
    }
    finish(1, "");
}

int main(void)
{
    INT8U err;

    OSInit();
    printf("tickrate: %lu ticks at %lu Hz\n", (unsigned long)APP_TICK_COUNT, (unsigned long)OS_TICKS_PER_SEC);
    (void)fflush(stdout);

    err = OSTaskCreateExt(rate_task, (void *)0, &rate_stk[APP_TASK_STK_SIZE - 1u], APP_TASK_RATE_PRIO,
                          APP_TASK_RATE_PRIO, &rate_stk[0], APP_TASK_STK_SIZE, (void *)0,
                          OS_TASK_OPT_STK_CHK | OS_TASK_OPT_STK_CLR);
    if (err != OS_ERR_NONE) {
        printf("tickrate: cannot create the task: error %u\n", (unsigned)err);
        return 1;
    }

    OSStart(); /* does not return */
    return 1;
}
