/* SPDX-License-Identifier: MIT OR Apache-2.0 */
/*
 * ticks — test application: does µC/OS-II count every tick it is given?
 *
 * A task delays in chunks of 100 ticks until OSTimeGet() reaches 10000,
 * printing its progress every 1000 ticks ("ticks: progress 1000 of 10000").
 * Then, with interrupts masked so that
 * no tick comes in between, it reads OSTimeGet() and the number of ticks the
 * virtual timer delivered to this guest (ucvisor_ticks_delivered(), from the
 * SDK) and compares them; and it compares the ticks µC/OS-II counted with the
 * time that passed by the generic timer's counter (ucvisor_counter(), read
 * right after a tick at the start and at the end), which no other guest can
 * change: a tick that came late, early, twice or at another rate shows there.
 *
 *     ticks: OSTimeGet=10000 delivered=10000
 *     ticks: counter says 9999 ticks passed, OSTimeGet advanced 9999
 *     ticks: MATCH                           -> exit(0)
 * or
 *     ticks: MISMATCH                        -> exit(1)
 *
 * APP_TICKS_TARGET (app_cfg.h) can be given as a define in system.toml.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "ucos_ii.h"
#include "app_cfg.h"

/* SDK: the number of ticks the virtual timer delivered to this guest; the
 * generic timer's virtual counter and its frequency (ucvisor_guest.h). */
INT32U ucvisor_ticks_delivered(void);
uint64_t ucvisor_counter(void);
uint32_t ucvisor_counter_frequency(void);

#define CHUNK    100u    /* ticks per OSTimeDly()     */
#define PROGRESS 1000u   /* ticks between two reports */

static OS_STK ticks_stk[APP_TASK_STK_SIZE];

static void ticks_task(void *p_arg)
{
#if OS_CRITICAL_METHOD == 3u
    OS_CPU_SR cpu_sr = 0u;
#endif
    INT32U now;
    INT32U reported = 0u;
    INT32U os_time;
    INT32U delivered;
    INT32U start_time;
    INT32U derived;
    uint64_t start_counter;
    uint64_t end_counter;

    (void)p_arg;
    OSTimeDly(1u); /* both samples are taken right after a tick */
    OS_ENTER_CRITICAL();
    start_counter = ucvisor_counter();
    start_time = OSTimeGet();
    OS_EXIT_CRITICAL();
    now = start_time;
    while (now < APP_TICKS_TARGET) {
        OSTimeDly(CHUNK);
        now = OSTimeGet();
        if ((now / PROGRESS) != (reported / PROGRESS)) {
            reported = now;
            printf("ticks: progress %lu of %lu\n", (unsigned long)now, (unsigned long)APP_TICKS_TARGET);
            (void)fflush(stdout);
        }
    }

    OS_ENTER_CRITICAL(); /* no tick between the reads */
    os_time = OSTimeGet();
    delivered = ucvisor_ticks_delivered();
    end_counter = ucvisor_counter();
    OS_EXIT_CRITICAL();

    derived = (INT32U)(((end_counter - start_counter) * (uint64_t)OS_TICKS_PER_SEC) / ucvisor_counter_frequency());
    printf("ticks: OSTimeGet=%lu delivered=%lu\n", (unsigned long)os_time, (unsigned long)delivered);
    printf("ticks: counter says %lu ticks passed, OSTimeGet advanced %lu\n", (unsigned long)derived,
           (unsigned long)(os_time - start_time));
    /* The samples are taken right after a tick; the one at the end may come a
     * tick later than the one at the start, never more. */
    if (os_time == delivered && (os_time - start_time) - derived <= 1u) {
        printf("ticks: MATCH\n");
        (void)fflush(stdout);
        exit(0);
    }
    printf("ticks: MISMATCH\n");
    (void)fflush(stdout);
    exit(1);
}

int main(void)
{
    INT8U err;

    OSInit();
    printf("ticks: waiting for OSTimeGet() to reach %lu\n", (unsigned long)APP_TICKS_TARGET);
    (void)fflush(stdout);

    err = OSTaskCreateExt(ticks_task, (void *)0, &ticks_stk[APP_TASK_STK_SIZE - 1u], APP_TASK_TICKS_PRIO,
                          APP_TASK_TICKS_PRIO, &ticks_stk[0], APP_TASK_STK_SIZE, (void *)0,
                          OS_TASK_OPT_STK_CHK | OS_TASK_OPT_STK_CLR);
    if (err != OS_ERR_NONE) {
        printf("ticks: cannot create the task: error %u\n", (unsigned)err);
        return 1;
    }

    OSStart(); /* does not return */
    return 1;
}
