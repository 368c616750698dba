/* SPDX-License-Identifier: MIT OR Apache-2.0 */
/*
 * newlib — the C library is reentrant across µC/OS-II tasks.
 *
 *   errno     a task's errno survives a switch to a task that sets its own
 *             (the program from the issue: strtol's ERANGE against read()'s EBADF)
 *   heap      three tasks at different priorities malloc, fill, check and free
 *             blocks of varying sizes while ticks preempt them; every block must
 *             keep its pattern and malloc must never return NULL spuriously
 *   stdio     the heap tasks print progress lines concurrently; the test on the
 *             host checks every line arrived whole
 *   strtok    each task tokenizes its own string with strtok (state per task)
 *   ctors     C constructors ran before main, those with a priority first, in
 *             its order
 *   time      gettimeofday, time, clock and times count from boot by the
 *             counter; sleep and usleep wait at least as long, in a task (by
 *             ticks) and before OSStart (on the counter)
 *
 * Prints `newlib: N passed, N failed` and exits with the number of failures.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/time.h>
#include <sys/times.h>
#include <time.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ucos_ii.h"
#include "app_cfg.h"

static OS_STK main_stk[APP_STK_SIZE];
static OS_STK other_stk[APP_STK_SIZE];
static OS_STK heap_stk[APP_HEAP_TASKS][APP_STK_SIZE];

/* Set by the constructors, each to its place in the order they ran (1, 2, 3). */
static volatile unsigned constructed[3];
static volatile unsigned constructed_count;
static volatile unsigned main_ran;

__attribute__((constructor)) static void construct_plain(void)
{
    constructed[2] = ++constructed_count + main_ran * 100u;
}

__attribute__((constructor(102))) static void construct_second(void)
{
    constructed[1] = ++constructed_count + main_ran * 100u;
}

__attribute__((constructor(101))) static void construct_first(void)
{
    constructed[0] = ++constructed_count + main_ran * 100u;
}

/* Microseconds since boot by gettimeofday. */
static uint64_t now_us(void)
{
    struct timeval tv;
    gettimeofday(&tv, NULL);
    return (uint64_t)tv.tv_sec * 1000000u + (uint64_t)tv.tv_usec;
}

/* usleep(2000) before OSStart, as main() measured it. */
static uint64_t usleep_before_start_us;

/* The time functions in a task: sleep and usleep wait at least what they
 * are asked and not much more; the clocks agree. */
static unsigned time_checks_fail(void)
{
    unsigned fail = 0u;
    uint64_t before = now_us(), slept, usleeped;
    time_t seconds = time(NULL);
    clock_t clocks = clock();
    INT32U ticks = OSTimeGet();
    struct tms tms;

    sleep(1u);
    slept = now_us() - before;
    fail += slept < 1000000u || slept > 1010000u;
    fail += time(NULL) - seconds < 1 || time(NULL) - seconds > 2;
    fail += (uint64_t)(clock() - clocks) * 1000u / CLOCKS_PER_SEC + 3u < slept / 1000u;
    fail += OSTimeGet() - ticks < OS_TICKS_PER_SEC;
    clocks = times(&tms);
    fail += clocks != tms.tms_utime || tms.tms_stime != 0;
    before = now_us();
    usleep(2500u);
    usleeped = now_us() - before;
    /* At least what was asked; at most two ticks (1 ms each) and some slack more. */
    fail += usleeped < 2500u || usleeped > 5500u;
    fail += usleep_before_start_us < 2000u || usleep_before_start_us > 3000u;
    printf("newlib: %s: sleep(1) %lu us, usleep(2500) %lu us, usleep(2000) before OSStart %lu us\n",
           fail == 0u ? "PASS" : "FAIL", (unsigned long)slept, (unsigned long)usleeped,
           (unsigned long)usleep_before_start_us);
    return fail;
}

static volatile unsigned heap_bad[APP_HEAP_TASKS];
static volatile unsigned heap_rounds[APP_HEAP_TASKS];
static volatile unsigned heap_done;

static void other(void *p_arg)
{
    char c;
    (void)p_arg;
    for (;;) {
        (void)read(42, &c, 1);
        OSTimeDly(1u);
    }
}

static void heap_worker(void *p_arg)
{
    unsigned id = (unsigned)(INT32U)p_arg;
    unsigned seed = 12345u + id * 7919u;
    unsigned round;
    char text[32];
    char *token;
    unsigned tokens;

    for (round = 0u; round < 300u; round++) {
        unsigned char *blocks[8];
        size_t sizes[8];
        unsigned i, j;
        for (i = 0u; i < 8u; i++) {
            seed = seed * 1103515245u + 12345u;
            sizes[i] = 16u + (seed >> 16) % 1500u;
            blocks[i] = malloc(sizes[i]);
            if (blocks[i] == NULL) {
                heap_bad[id]++;
                continue;
            }
            memset(blocks[i], (int)(id * 16u + i), sizes[i]);
        }
        for (i = 0u; i < 8u; i++) {
            if (blocks[i] == NULL) {
                continue;
            }
            for (j = 0u; j < sizes[i]; j++) {
                if (blocks[i][j] != (unsigned char)(id * 16u + i)) {
                    heap_bad[id]++;
                    break;
                }
            }
            free(blocks[i]);
        }
        /* strtok keeps its position in the task's reentrancy structure. */
        snprintf(text, sizeof text, "t%u a b c d e", id);
        tokens = 0u;
        for (token = strtok(text, " "); token != NULL; token = strtok(NULL, " ")) {
            tokens++;
            OSTimeDly(0u);
        }
        if (tokens != 6u) {
            heap_bad[id]++;
        }
        if (round % 50u == 0u) {
            printf("newlib: worker %u round %u: a line that must arrive whole, not mixed with another\n", id, round);
        }
        heap_rounds[id]++;
        if ((round & 7u) == 0u) {
            OSTimeDly(1u);
        }
    }
    heap_done++;
    OSTaskDel(OS_PRIO_SELF);
}

static void main_task(void *p_arg)
{
    int e;
    unsigned failed = 0u, passed = 0u, i;
    (void)p_arg;

    OSTaskCreate(other, (void *)0, &other_stk[APP_STK_SIZE - 1u], APP_OTHER_PRIO);
    errno = 0;
    (void)strtol("99999999999999999999", 0, 10);
    OSTimeDly(2u);
    e = errno;
    printf("newlib: %s: errno after a task switch = %d\n", e == ERANGE ? "PASS" : "FAIL", e);
    e == ERANGE ? passed++ : failed++;

    i = constructed[0] == 1u && constructed[1] == 2u && constructed[2] == 3u;
    printf("newlib: %s: constructors before main, in order: %u %u %u\n", i ? "PASS" : "FAIL", constructed[0],
           constructed[1], constructed[2]);
    i ? passed++ : failed++;

    time_checks_fail() == 0u ? passed++ : failed++;

    for (i = 0u; i < APP_HEAP_TASKS; i++) {
        OSTaskCreate(heap_worker, (void *)(INT32U)i, &heap_stk[i][APP_STK_SIZE - 1u], (INT8U)(APP_HEAP_PRIO + i));
    }
    while (heap_done < APP_HEAP_TASKS) {
        OSTimeDly(10u);
    }
    for (i = 0u; i < APP_HEAP_TASKS; i++) {
        printf("newlib: %s: heap worker %u: %u rounds, %u errors\n", heap_bad[i] == 0u ? "PASS" : "FAIL", i,
               heap_rounds[i], heap_bad[i]);
        heap_bad[i] == 0u ? passed++ : failed++;
    }
    printf("newlib: %u passed, %u failed\n", passed, failed);
    exit((int)failed);
}

int main(void)
{
    uint64_t before;

    main_ran = 1u;
    before = now_us();
    usleep(2000u);
    usleep_before_start_us = now_us() - before;
    OSInit();
    OSTaskCreate(main_task, (void *)0, &main_stk[APP_STK_SIZE - 1u], APP_MAIN_PRIO);
    OSStart();
    return 1;
}
