/* SPDX-License-Identifier: MIT OR Apache-2.0 */
/*
 * overflow — a task that runs past the bottom of its stack is reported by the
 * port (task priority and name, through the root server) and the guest stopped,
 * before the task it would corrupt runs again.
 *
 * Two tasks created with plain OSTaskCreate have adjacent stacks: `digger`'s lies
 * just above `quiet`'s. The digger recurses deeper on every round, waiting at the
 * bottom of each recursion until a tick interrupts it there.
 */
#include <stdio.h>
#include <stdlib.h>

#include "ucos_ii.h"
#include "app_cfg.h"

static OS_STK stacks[2][APP_STK_SIZE];   /* [0]: quiet, [1]: digger */

static void quiet(void *p_arg)
{
    (void)p_arg;
    for (;;) {
        OSTimeDly(100u);
        printf("overflow: quiet task woke up\n");
    }
}

static unsigned dig(unsigned depth)
{
    volatile unsigned char frame[64];
    frame[0] = (unsigned char)depth;
    if (depth > 0u) {
        return dig(depth - 1u) + frame[0];
    }
    INT32U until = OSTimeGet() + 2u;
    while (OSTimeGet() < until) {
    }
    return frame[0];
}

static void digger(void *p_arg)
{
    unsigned depth;
    (void)p_arg;
    for (depth = 1u; depth < 64u; depth++) {
        printf("overflow: digging %u frames deep\n", depth);
        (void)dig(depth);
    }
    printf("overflow: FAIL: never caught\n");
    exit(1);
}

int main(void)
{
    OSInit();
    OSTaskCreate(quiet, (void *)0, &stacks[0][APP_STK_SIZE - 1u], APP_QUIET_PRIO);
    OSTaskCreate(digger, (void *)0, &stacks[1][APP_STK_SIZE - 1u], APP_DIG_PRIO);
#if OS_TASK_NAME_EN > 0u
    {
        INT8U err;
        OSTaskNameSet(APP_DIG_PRIO, (INT8U *)"digger", &err);
    }
#endif
    OSStart();
    return 1;
}
