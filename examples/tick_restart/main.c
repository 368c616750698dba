/* SPDX-License-Identifier: MIT OR Apache-2.0 */
/*
 * tick_restart — the guest's tick schedule taken away and taken back.
 *
 * On the kernel-direct path the kernel counts the ticks it generates for the
 * µC/OS-II thread, and the port takes the ticks due as the difference from
 * the count it took last. Application code can make that count begin anew: a
 * second thread of the guest asks v_timer for the tick (it becomes the
 * domain's one client, and the kernel's schedule for the µC/OS-II thread
 * stops), then the µC/OS-II thread asks again (a new schedule, counted from
 * 0). The port must then count from 0 too: a difference taken against its old
 * count would be some four billion ticks.
 *
 * The task delays APP_TICKS_BEFORE ticks, has the second thread take the tick
 * and takes it back, then delays APP_TICKS_AFTER ticks: OSTimeGet() must have
 * advanced by exactly that much, in about that much time on the counter.
 * Prints `tick_restart: PASS` and exits 0.
 */
#include <stdio.h>
#include <stdlib.h>

#include "ucos_ii.h"
#include "app_cfg.h"
#include "paravirt.h"
#include "ucvisor_guest.h"

static OS_STK restart_stk[APP_TASK_STK_SIZE];

/* The second thread: not a µC/OS-II task (it runs beside the µC/OS-II thread,
 * at a higher priority), so it makes paravirt calls only. */
static uint32_t helper_stk[APP_HELPER_STK_WORDS] __attribute__((aligned(8)));
static volatile uint32_t helper_result = 0xFFFFFFFFu;
static volatile uint32_t helper_done;

static void helper_entry(void)
{
    PvMessage message;
    PvThreadId sender;

    helper_result = pv_request_tick_rate(ucvisor_v_timer(), OS_TICKS_PER_SEC, pv_thread_self(), (uint32_t *)0);
    helper_done = 1u;
    /* Nobody sends to it from the root server: it waits for good. */
    for (;;) {
        (void)pv_receive(ucvisor_root_server(), &message, PV_TIMEOUT_NEVER, &sender);
    }
}

static unsigned passed;
static unsigned failed;

static void check(BOOLEAN ok, const char *what)
{
    printf("tick_restart: [%s] %s\n", ok ? " OK " : "FAIL", what);
    if (ok) {
        passed++;
    } else {
        failed++;
    }
}

static void restart_task(void *p_arg)
{
    PvThreadId helper = PV_NIL_THREAD;
    uint32_t result;
    INT32U before;
    INT32U after;
    uint64_t start;
    uint64_t elapsed;
    uint64_t per_tick = ucvisor_counter_frequency() / OS_TICKS_PER_SEC;

    (void)p_arg;
    OSTimeDly(APP_TICKS_BEFORE);
    check(OSTimeGet() >= APP_TICKS_BEFORE, "ticks before the schedule is taken away");

    /* One above the guest's priority: it runs as soon as it is started. */
    result = pv_root_thread_create(ucvisor_root_server(), ucvisor_priority() + 1u, &helper);
    check(result == PV_OK, "a second thread from the root server");
    if (result == PV_OK) {
        result = pv_start_sp_ip(helper, (uint32_t)&helper_stk[APP_HELPER_STK_WORDS], (uint32_t)helper_entry);
        check(result == PV_OK, "the second thread started");
    }
    while (helper_done == 0u && result == PV_OK) {
        (void)pv_thread_switch(PV_NIL_THREAD);
    }
    check(helper_result == PV_OK, "the second thread took the tick");

    /* No tick comes now: take it back, on a schedule that begins anew. */
    result = pv_request_tick_rate(ucvisor_v_timer(), OS_TICKS_PER_SEC, pv_thread_self(), (uint32_t *)0);
    check(result == PV_OK, "the µC/OS-II thread took the tick back");

    before = OSTimeGet();
    start = ucvisor_counter();
    OSTimeDly(APP_TICKS_AFTER);
    elapsed = ucvisor_counter() - start;
    after = OSTimeGet();
    printf("tick_restart: %lu ticks in %lu counter ticks after the restart (%lu per tick)\n",
           (unsigned long)(after - before), (unsigned long)elapsed, (unsigned long)per_tick);
    check(after - before >= APP_TICKS_AFTER && after - before <= APP_TICKS_AFTER + 1u,
          "OSTimeGet() advanced by the ticks delayed, not by billions");
    check(elapsed >= (APP_TICKS_AFTER - 1u) * per_tick && elapsed <= (APP_TICKS_AFTER + 2u) * per_tick,
          "the delay took as long as its ticks");

    printf("tick_restart: %u passed, %u failed\n", passed, failed);
    printf("tick_restart: %s\n", failed == 0u ? "PASS" : "FAIL");
    (void)fflush(stdout);
    exit(failed == 0u ? 0 : 1);
}

int main(void)
{
    OSInit();
    (void)OSTaskCreate(restart_task, (void *)0, &restart_stk[APP_TASK_STK_SIZE - 1u], APP_TASK_RESTART_PRIO);
    OSStart();
    return 1;
}
