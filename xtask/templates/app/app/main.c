/*
 * main.c — a starting µC/OS-II application: a start task creates a second task
 * that "blinks" (prints) every 200 ms with a moving average of the tick counts
 * it saw (average.c, which tests/unit/ checks); after five blinks the
 * application exits with code 0, which ends the QEMU run. Replace it with your
 * own application.
 */
#include <stdio.h>
#include <stdlib.h>

#include "ucos_ii.h"
#include "app_cfg.h"
#include "average.h"

static OS_STK start_stk[APP_TASK_STK_SIZE];
static OS_STK blink_stk[APP_TASK_STK_SIZE];

static void blink(void *p_arg)
{
    INT32U n;
    struct average ticks;
    (void)p_arg;
    average_init(&ticks);
    for (n = 1u; n <= 5u; n++) {
        INT32U now = OSTimeGet();
        printf("blink %lu at OSTime %lu (average %ld)\n", (unsigned long)n, (unsigned long)now,
               (long)average_add(&ticks, (int32_t)now));
        OSTimeDlyHMSM(0u, 0u, 0u, 200u);
    }
    printf("done\n");
    exit(0);
}

static void start(void *p_arg)
{
    (void)p_arg;
#if OS_TASK_STAT_EN > 0u
    OSStatInit();
#endif
    OSTaskCreate(blink, (void *)0, &blink_stk[APP_TASK_STK_SIZE - 1u], APP_TASK_BLINK_PRIO);
    for (;;) {
        OSTimeDlyHMSM(0u, 0u, 1u, 0u);
    }
}

int main(void)
{
    OSInit();
    printf("starting µC/OS-II V%u\n", (unsigned)OSVersion());
    OSTaskCreate(start, (void *)0, &start_stk[APP_TASK_STK_SIZE - 1u], APP_TASK_START_PRIO);
    OSStart();
    return 1;
}
