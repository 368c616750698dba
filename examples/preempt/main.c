/* SPDX-License-Identifier: MIT OR Apache-2.0 */
/*
 * preempt — test application: a high-priority task made ready by an interrupt
 * runs before the interrupted low-priority task resumes.
 *
 * The low task busy-loops without kernel calls. The high task waits with
 * OSTimeDly(1), so every clock tick (a virtual interrupt) makes it ready. Three
 * places record into a trace ring, each entry with a sequence number:
 *
 *   I  App_TimeTickHook(), in the tick interrupt: whether it interrupted the low
 *      task (OSTCBCur) and whether this tick readies the high task (its
 *      OSTCBDly is 1);
 *   H  the high task, each time OSTimeDly(1) returns;
 *   L  the low task, each time it notices (through the volatile sequence
 *      counter) that something else ran since its last iteration.
 *
 * After APP_WAKEUPS wakeups the high task stops recording and checks that each
 * I that interrupted the low task and readied the high task is followed by H
 * before the next L (I, H, L, never I, L, H). It prints the trace and then
 *
 *     preempt: N interrupts of the low task, each followed by the high task before the low task resumed
 *     preempt: PASS                       -> exit(0)
 * or
 *     preempt: FAIL ...                   -> exit(1)
 *
 * Should the high task never run again (an interrupt exit that does not switch
 * tasks), the low task notices that 100 ticks found the high task ready and
 * itself ends the test with "preempt: FAIL ...".
 */
#include <stdio.h>
#include <stdlib.h>

#include "ucos_ii.h"
#include "app_cfg.h"

#if (OS_APP_HOOKS_EN == 0u) || (OS_TIME_TICK_HOOK_EN == 0u)
#error "preempt needs OS_APP_HOOKS_EN and OS_TIME_TICK_HOOK_EN (App_TimeTickHook traces the tick)"
#endif

typedef struct {
    INT32U  seq;          /* sequence number                         */
    char    kind;         /* 'I', 'H' or 'L'                         */
    BOOLEAN low_was_cur;  /* I: the tick interrupted the low task    */
    BOOLEAN wakes_high;   /* I: this tick makes the high task ready  */
} trace_entry_t;

static trace_entry_t trace[APP_TRACE_SIZE];
static volatile INT32U trace_seq;    /* entries recorded so far                */
static volatile BOOLEAN armed;       /* the experiment is running              */
static volatile INT32U low_loops;    /* iterations of the low task's busy loop */
static volatile INT32U high_starved; /* ticks that found the high task ready and the low task running */

/* The low task gives up after this many such ticks (an interrupt exit that
 * never switches tasks would otherwise keep it running forever). */
#define HIGH_STARVED_MAX 100u

static OS_STK high_stk[APP_TASK_STK_SIZE];
static OS_STK low_stk[APP_TASK_STK_SIZE];

/* Appends an entry; returns the sequence counter after it. */
static INT32U trace_record(char kind, BOOLEAN low_was_cur, BOOLEAN wakes_high)
{
#if OS_CRITICAL_METHOD == 3u
    OS_CPU_SR cpu_sr = 0u;
#endif
    trace_entry_t *e;
    INT32U seq;

    OS_ENTER_CRITICAL();
    seq = trace_seq;
    e = &trace[seq % APP_TRACE_SIZE];
    e->seq = seq;
    e->kind = kind;
    e->low_was_cur = low_was_cur;
    e->wakes_high = wakes_high;
    seq++;
    trace_seq = seq;
    OS_EXIT_CRITICAL();
    return seq;
}

/* The tick interrupt, before OSTimeTick() updates the delays. */
void App_TimeTickHook(void)
{
    OS_TCB *high;
    BOOLEAN low_was_cur;
    BOOLEAN wakes_high;

    if (OSRunning != OS_TRUE) {
        return;
    }
    low_was_cur = ((OSTCBCur != (OS_TCB *)0) && (OSTCBCur->OSTCBPrio == APP_TASK_LOW_PRIO)) ? OS_TRUE : OS_FALSE;
    high = OSTCBPrioTbl[APP_TASK_HIGH_PRIO];
    if ((low_was_cur == OS_TRUE) && (high != (OS_TCB *)0) && (high->OSTCBStat == OS_STAT_RDY) &&
        (high->OSTCBDly == 0u)) {
        /* A ready high task runs at once, so only a port that handles several
         * ticks in one interrupt gets here, and then only for a tick or two. */
        high_starved++;
    }
    if (armed == OS_FALSE) {
        return;
    }
    wakes_high = ((high != (OS_TCB *)0) && (high->OSTCBStat == OS_STAT_RDY) && (high->OSTCBDly == 1u))
                     ? OS_TRUE
                     : OS_FALSE;
    (void)trace_record('I', low_was_cur, wakes_high);
}

/* The other application hooks: nothing to do. */
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

static void finish(int pass)
{
    printf("preempt: %s\n", pass ? "PASS" : "FAIL");
    (void)fflush(stdout);
    exit(pass ? 0 : 1);
}

/* Never blocks and makes no kernel call: only an interrupt takes the CPU away. */
static void low_task(void *p_arg)
{
    INT32U seen = trace_seq;

    (void)p_arg;
    for (;;) {
        low_loops++;
        if (trace_seq != seen) {
            if (armed == OS_TRUE) {
                seen = trace_record('L', OS_FALSE, OS_FALSE);
            } else {
                seen = trace_seq;
            }
        }
        if (high_starved >= HIGH_STARVED_MAX) {
            armed = OS_FALSE;
            printf("preempt: FAIL %lu ticks found the high task ready and the low task running\n",
                   (unsigned long)high_starved);
            finish(0);
        }
    }
}

/* One character per entry; a tick that did not interrupt the low task is 'i'. */
static void print_trace(INT32U first, INT32U end)
{
    const trace_entry_t *e;
    INT32U i;

    printf("preempt: trace ");
    for (i = first; i < end; i++) {
        e = &trace[i % APP_TRACE_SIZE];
        putchar(((e->kind == 'I') && (e->low_was_cur == OS_FALSE)) ? 'i' : e->kind);
    }
    putchar('\n');
}

static void high_task(void *p_arg)
{
    INT32U n;
    INT32U end;
    INT32U first;
    INT32U i;
    INT32U j;
    INT32U n_int = 0u;       /* ticks                                           */
    INT32U n_high = 0u;      /* H entries                                       */
    INT32U n_low = 0u;       /* L entries                                       */
    INT32U n_checked = 0u;   /* ticks that interrupted low and readied high     */
    INT32U n_bad = 0u;       /* ... after which low resumed before high ran     */
    const trace_entry_t *e;

    (void)p_arg;
    OSTimeDly(10u); /* let the low task get going */

    armed = OS_TRUE;
    for (n = 0u; n < APP_WAKEUPS; n++) {
        OSTimeDly(1u);
        (void)trace_record('H', OS_FALSE, OS_FALSE);
    }
    armed = OS_FALSE;

    end = trace_seq;
    first = (end > APP_TRACE_SIZE) ? (end - APP_TRACE_SIZE) : 0u;
    for (i = first; i < end; i++) {
        e = &trace[i % APP_TRACE_SIZE];
        if (e->seq != i) {
            printf("preempt: FAIL trace entry %lu has sequence number %lu\n", (unsigned long)i,
                   (unsigned long)e->seq);
            finish(0);
        }
        if (e->kind == 'H') {
            n_high++;
        } else if (e->kind == 'L') {
            n_low++;
        } else {
            n_int++;
            if ((e->low_was_cur == OS_TRUE) && (e->wakes_high == OS_TRUE)) {
                n_checked++;
                /* The next H or L entry must be H. */
                for (j = i + 1u; j < end; j++) {
                    if (trace[j % APP_TRACE_SIZE].kind != 'I') {
                        break;
                    }
                }
                if ((j == end) || (trace[j % APP_TRACE_SIZE].kind != 'H')) {
                    n_bad++;
                    printf("preempt: the tick at trace entry %lu interrupted the low task, which resumed before "
                           "the high task ran\n",
                           (unsigned long)i);
                }
            }
        }
    }

    print_trace(first, end);
    printf("preempt: %lu ticks, %lu high-task wakeups, %lu low-task resumptions, %lu low-task loops\n",
           (unsigned long)n_int, (unsigned long)n_high, (unsigned long)n_low, (unsigned long)low_loops);
    if (n_bad != 0u) {
        printf("preempt: FAIL %lu of %lu interrupts of the low task resumed it before the high task ran\n",
               (unsigned long)n_bad, (unsigned long)n_checked);
        finish(0);
    }
    if ((n_high != APP_WAKEUPS) || (n_checked < (APP_WAKEUPS / 2u))) {
        printf("preempt: FAIL only %lu of %lu wakeups of the high task came from a tick that interrupted the low task\n",
               (unsigned long)n_checked, (unsigned long)n_high);
        finish(0);
    }
    printf("preempt: %lu interrupts of the low task, each followed by the high task before the low task resumed\n",
           (unsigned long)n_checked);
    finish(1);
}

int main(void)
{
    INT8U err;

    OSInit();
    printf("preempt: starting, %u wakeups of the high task\n", (unsigned)APP_WAKEUPS);
    (void)fflush(stdout);

    err = OSTaskCreateExt(high_task, (void *)0, &high_stk[APP_TASK_STK_SIZE - 1u], APP_TASK_HIGH_PRIO,
                          APP_TASK_HIGH_PRIO, &high_stk[0], APP_TASK_STK_SIZE, (void *)0,
                          OS_TASK_OPT_STK_CHK | OS_TASK_OPT_STK_CLR);
    if (err == OS_ERR_NONE) {
        err = OSTaskCreateExt(low_task, (void *)0, &low_stk[APP_TASK_STK_SIZE - 1u], APP_TASK_LOW_PRIO,
                              APP_TASK_LOW_PRIO, &low_stk[0], APP_TASK_STK_SIZE, (void *)0,
                              OS_TASK_OPT_STK_CHK | OS_TASK_OPT_STK_CLR);
    }
    if (err != OS_ERR_NONE) {
        printf("preempt: cannot create the tasks: error %u\n", (unsigned)err);
        return 1;
    }

    OSStart(); /* does not return */
    return 1;
}
