/* SPDX-License-Identifier: MIT OR Apache-2.0 */
/*
 * bench_ucos — µC/OS-II's own figures, in exact instructions (the PMU cycle
 * counter, one per instruction under QEMU's -icount shift=0). The same file
 * runs in a ucvisor guest (this folder: bench_platform.c) and natively in SVC
 * mode (tests/native-ucos), so every ratio compares the same code:
 *
 *   ucos_switch_oneway   a task posts a semaphore that a higher-priority task
 *                        pends on: counter read just before OSSemPost, and by
 *                        the woken task just after its OSSemPend returns;
 *   critical_section     OS_ENTER_CRITICAL() + OS_EXIT_CRITICAL();
 *   the whole tick       a task spins reading the counter; a gap between two
 *                        reads in which OSTimeTick ran is the whole tick
 *                        (timer interrupt to the interrupted task resumed),
 *                        minus the loop's own step;
 *   IRQ -> OSTimeTick    from the spinning task's last counter read before
 *                        the interrupt to App_TimeTickHook, which OSTimeTick
 *                        calls first (through OSTimeTickHook): so it includes
 *                        up to one loop step and OSTimeTick's entry.
 *
 * Every figure is measured SAMPLES times (after WARM_UP untimed rounds) minus
 * the count of two back-to-back counter reads, and printed as
 *     bench: KEY median M min A max B samples N
 * (cargo xtask bench and tests/bench.rs read these lines).
 */
#include "ucos_ii.h"
#include "app_cfg.h"
#include "bench.h"

#define SAMPLES 1000u
#define WARM_UP 16u
/* A gap between two reads of the spinning task longer than this means
 * something else ran. */
#define GAP 64u

static OS_STK high_stk[APP_TASK_STK_SIZE];
static OS_STK main_stk[APP_TASK_STK_SIZE];
static OS_STK spin_stk[APP_TASK_STK_SIZE];

static OS_EVENT *wake;       /* the high task pends here; main posts         */
static OS_EVENT *spin_done;  /* main pends here until the spinner is done    */

static INT32U overhead;      /* two back-to-back counter reads               */
static INT32U samples[SAMPLES];
static INT32U irq_samples[SAMPLES];
static volatile INT32U posted_at;
static volatile INT32U switch_count;

static volatile INT32U spin_last;   /* the spinner's latest counter read     */
static volatile INT32U tick_count;  /* App_TimeTickHook's calls              */
static volatile INT32U tick_at;     /* counter at the latest App_TimeTickHook */
static volatile INT32U tick_spin_last; /* spin_last then                     */
static INT32U other_gaps;           /* gaps without a tick (other interrupts) */

static int failures;

static void put_number(INT32U value)
{
    char text[12];
    int at = 11;

    text[at] = '\0';
    do {
        text[--at] = (char)('0' + value % 10u);
        value /= 10u;
    } while (value != 0u);
    bench_write(&text[at]);
}

static void sort(INT32U *values, INT32U count)
{
    INT32U i;
    INT32U j;

    for (i = 1u; i < count; i++) {
        INT32U value = values[i];
        for (j = i; j > 0u && values[j - 1u] > value; j--) {
            values[j] = values[j - 1u];
        }
        values[j] = value;
    }
}

/* Sorts the samples and prints the figure's line. */
static void report(const char *prefix, const char *key, INT32U *values, INT32U count)
{
    sort(values, count);
    bench_write("bench: ");
    bench_write(prefix);
    bench_write(key);
    bench_write(" median ");
    put_number(values[count / 2u]);
    bench_write(" min ");
    put_number(values[0]);
    bench_write(" max ");
    put_number(values[count - 1u]);
    bench_write(" samples ");
    put_number(count);
    bench_write("\n");
}

static void check(int condition, const char *what)
{
    bench_write(condition ? "[ OK ] " : "[FAIL] ");
    bench_write(what);
    bench_write("\n");
    if (!condition) {
        failures++;
    }
}

/* Woken by every post: notes when it got the processor back. */
static void high_task(void *p_arg)
{
    INT8U err;
    INT32U now;

    (void)p_arg;
    for (;;) {
        OSSemPend(wake, 0u, &err);
        now = bench_cycles();
        if (switch_count >= WARM_UP && switch_count < WARM_UP + SAMPLES) {
            samples[switch_count - WARM_UP] = now - posted_at - overhead;
        }
        switch_count++;
    }
}

/* Spins on the counter until SAMPLES ticks came by, then wakes main. A gap
 * is the time between two reads; the loop's own step (the least difference
 * between two reads) comes off every gap at the end. */
static void spin_task(void *p_arg)
{
    INT32U prev;
    INT32U now;
    INT32U step = 0xFFFFFFFFu;
    INT32U ticks_seen;
    INT32U found = 0u;
    INT32U i;

    (void)p_arg;
    ticks_seen = tick_count;
    prev = bench_cycles();
    while (found < WARM_UP + SAMPLES) {
        now = bench_cycles();
        spin_last = now;
        if (now - prev > GAP) {
            if (tick_count == ticks_seen + 1u) {
                if (found >= WARM_UP) {
                    samples[found - WARM_UP] = now - prev;
                    irq_samples[found - WARM_UP] = tick_at - tick_spin_last;
                }
                found++;
            } else if (tick_count == ticks_seen) {
                other_gaps++;
            }
            ticks_seen = tick_count;
            prev = bench_cycles();
            spin_last = prev;
        } else {
            if (now - prev < step) {
                step = now - prev;
            }
            prev = now;
        }
    }
    for (i = 0u; i < SAMPLES; i++) {
        samples[i] -= step;
    }
    (void)OSSemPost(spin_done);
    for (;;) {
        (void)OSTaskSuspend(OS_PRIO_SELF);
    }
}

static void main_task(void *p_arg)
{
    INT8U err;
    INT32U i;
    INT32U start;
    INT32U end;
#if OS_CRITICAL_METHOD == 3u
    OS_CPU_SR cpu_sr = 0u;
#endif

    (void)p_arg;
    bench_tick_start();
    bench_write(bench_name);
    bench_write(": µC/OS-II, ");
    put_number(SAMPLES);
    bench_write(" samples per figure, instructions (PMCCNTR under -icount shift=0)\n");

    {
        INT32U empty_start;
        INT32U empty_end;
        __asm__ volatile("mrc p15, 0, %0, c9, c13, 0\n"
                         "mrc p15, 0, %1, c9, c13, 0\n"
                         "mrc p15, 0, %2, c9, c13, 0\n"
                         ".rept 100\n add r0, r0, #0\n .endr\n"
                         "mrc p15, 0, %3, c9, c13, 0"
                         : "=&r"(empty_start), "=&r"(empty_end), "=&r"(start), "=&r"(end)
                         :
                         : "r0");
        check(empty_end - empty_start == 1u && end - start == 101u,
              "PMCCNTR counts one per instruction (two reads in a row: 1, around 100 adds: 101)");
    }

    for (i = 0u; i < SAMPLES; i++) {
        start = bench_cycles();
        end = bench_cycles();
        samples[i] = end - start;
    }
    sort(samples, SAMPLES);
    overhead = samples[SAMPLES / 2u];

    /* One-way switch: the post wakes the high task, which runs at once. */
    for (i = 0u; i < WARM_UP + SAMPLES; i++) {
        posted_at = bench_cycles();
        (void)OSSemPost(wake);
    }
    check(switch_count == WARM_UP + SAMPLES, "every post woke the high task at once");
    report(bench_prefix, "ucos_switch_oneway", samples, SAMPLES);

    for (i = 0u; i < WARM_UP + SAMPLES; i++) {
        start = bench_cycles();
        OS_ENTER_CRITICAL();
        OS_EXIT_CRITICAL();
        end = bench_cycles();
        if (i >= WARM_UP) {
            samples[i - WARM_UP] = end - start - overhead;
        }
    }
    report(bench_prefix, "critical_section", samples, SAMPLES);

    /* The tick, seen by a task below this one that spins. */
    OSSemPend(spin_done, 0u, &err);
    check(err == OS_ERR_NONE, "the spinning task saw its ticks");
    report("", bench_key_tick, samples, SAMPLES);
    report("", bench_key_irq, irq_samples, SAMPLES);
    bench_write(bench_name);
    bench_write(": gaps without a tick (other interrupts): ");
    put_number(other_gaps);
    bench_write("\n");

    bench_write(bench_name);
    bench_write(failures == 0 ? ": PASS\n" : ": FAIL\n");
    bench_exit(failures == 0 ? 0 : 1);
    for (;;) {
        OSTimeDly(OS_TICKS_PER_SEC);
    }
}

int main(void)
{
    OSInit();
    wake = OSSemCreate(0u);
    spin_done = OSSemCreate(0u);
    (void)OSTaskCreate(high_task, (void *)0, &high_stk[APP_TASK_STK_SIZE - 1u], APP_TASK_HIGH_PRIO);
    (void)OSTaskCreate(main_task, (void *)0, &main_stk[APP_TASK_STK_SIZE - 1u], APP_TASK_MAIN_PRIO);
    (void)OSTaskCreate(spin_task, (void *)0, &spin_stk[APP_TASK_STK_SIZE - 1u], APP_TASK_SPIN_PRIO);
    OSStart();
    return 0;
}

/* The application hooks (OS_APP_HOOKS_EN): only the tick's is used. */
void App_TimeTickHook(void)
{
    tick_at = bench_cycles();
    tick_spin_last = spin_last;
    tick_count++;
}

void App_TaskCreateHook(OS_TCB *ptcb) { (void)ptcb; }
void App_TaskDelHook(OS_TCB *ptcb) { (void)ptcb; }
void App_TaskIdleHook(void) {}
void App_TaskReturnHook(OS_TCB *ptcb) { (void)ptcb; }
void App_TaskStatHook(void) {}
void App_TaskSwHook(void) {}
void App_TCBInitHook(OS_TCB *ptcb) { (void)ptcb; }
