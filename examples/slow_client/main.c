/* SPDX-License-Identifier: MIT OR Apache-2.0 */
/*
 * slow_client — one program, two guests of the slow_client image (APP_ROLE,
 * from system.toml):
 *
 *  stall (APP_ROLE_STALL): a hostile v_timer client. Its µC/OS-II thread
 *      registers itself as its domain's tick client (1000 Hz), then waits in a
 *      receive from v_serial, which never sends to it: a client that never
 *      receives from v_timer again. After 20 s it gives up and exits, so that
 *      the image ends.
 *
 *      stall: its µC/OS-II thread is now its domain's tick client: 0
 *
 *  probe (APP_ROLE_PROBE): the victim that measures. After 100 ticks (the
 *      stall is in place by then) it waits APP_PROBE_TICKS single ticks and
 *      notes the longest gap between two of them by the generic timer's
 *      counter. A tick server that waited for the stalled client would make
 *      that gap its send timeout longer than the tick period.
 *
 *      probe: worst gap between two ticks 1012 us (period 1000 us) over 3000 ticks
 *      probe: PASS                 (the worst gap under 1.5 periods) -> exit(0)
 *      probe: FAIL                 -> exit(1)
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "ucos_ii.h"
#include "app_cfg.h"
#include <paravirt.h>
#include <ucvisor_guest.h>

/* How long the stalled thread waits before the guest exits (ms). */
#define STALL_MS 20000u

static OS_STK app_stk[APP_TASK_STK_SIZE];

#if APP_ROLE == APP_ROLE_STALL
static void app_task(void *p_arg)
{
    PvMessage message;
    PvThreadId sender;
    uint32_t highest = 0u;
    uint32_t result;

    (void)p_arg;
    /* Replaces its Interrupt_loop as the domain's client: this thread now
     * gets the ticks, and it never takes them. */
    result = pv_request_tick_rate(ucvisor_v_timer(), OS_TICKS_PER_SEC, pv_thread_self(), &highest);
    printf("stall: its µC/OS-II thread is now its domain's tick client: %lu\n", (unsigned long)result);
    (void)fflush(stdout);
    /* A receive from v_serial, which never sends to it (the timeout only ends the image). */
    result = pv_receive(ucvisor_v_serial(), &message, STALL_MS, &sender);
    printf("stall: gave up waiting (%#lx)\n", (unsigned long)result);
    (void)fflush(stdout);
    exit(0);
}
#else
static void app_task(void *p_arg)
{
#if OS_CRITICAL_METHOD == 3u
    OS_CPU_SR cpu_sr = 0u;
#endif
    const uint64_t period = ucvisor_counter_frequency() / OS_TICKS_PER_SEC;
    uint64_t previous, now, gap, worst = 0u;
    INT32U n;

    (void)p_arg;
    OSTimeDly(100u);
    OS_ENTER_CRITICAL();
    previous = ucvisor_counter();
    OS_EXIT_CRITICAL();
    for (n = 0u; n < APP_PROBE_TICKS; n++) {
        OSTimeDly(1u);
        OS_ENTER_CRITICAL();
        now = ucvisor_counter();
        OS_EXIT_CRITICAL();
        gap = now - previous;
        if (gap > worst) {
            worst = gap;
        }
        previous = now;
    }
    printf("probe: worst gap between two ticks %lu us (period %lu us) over %lu ticks\n",
           (unsigned long)(worst * 1000000u / ucvisor_counter_frequency()),
           (unsigned long)(period * 1000000u / ucvisor_counter_frequency()), (unsigned long)APP_PROBE_TICKS);
    if (worst * 2u < period * 3u) {
        printf("probe: PASS\n");
        (void)fflush(stdout);
        exit(0);
    }
    printf("probe: FAIL: a tick came more than half a period late\n");
    (void)fflush(stdout);
    exit(1);
}
#endif

int main(void)
{
    INT8U err;

    OSInit();
    err = OSTaskCreateExt(app_task, (void *)0, &app_stk[APP_TASK_STK_SIZE - 1u], APP_TASK_PRIO, APP_TASK_PRIO,
                          &app_stk[0], APP_TASK_STK_SIZE, (void *)0, OS_TASK_OPT_STK_CHK | OS_TASK_OPT_STK_CLR);
    if (err != OS_ERR_NONE) {
        printf("slow_client: cannot create the task: error %u\n", (unsigned)err);
        return 1;
    }
    OSStart(); /* does not return */
    return 1;
}
