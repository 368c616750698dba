/* SPDX-License-Identifier: MIT OR Apache-2.0 */
/*
 * vendor — a guest linking vendor middleware from a static library: a task
 * computes CRC-32 of "123456789" with the vendor's vendor_crc32() and checks the
 * standard check value 0xCBF43926. The vendor's BSP brings its own clock
 * (`_gettimeofday`, as from a real-time clock), which the port's own (weak)
 * gives way to: time() is the vendor's.
 */
#include <stdio.h>
#include <stdlib.h>
#include <sys/time.h>
#include <time.h>

#include "ucos_ii.h"
#include "app_cfg.h"
#include "vendor_crc.h"

static OS_STK main_stk[APP_TASK_STK_SIZE];

/* The vendor BSP's clock: 2026-01-01 00:00:00 UTC, as its RTC would say. */
#define VENDOR_RTC_SECONDS 1767225600

int _gettimeofday(struct timeval *tv, void *tz)
{
    (void)tz;
    tv->tv_sec = VENDOR_RTC_SECONDS;
    tv->tv_usec = 0;
    return 0;
}

static void main_task(void *p_arg)
{
    static const char check[] = "123456789";
    uint32_t crc;

    (void)p_arg;
    OSTimeDly(1u);
    crc = vendor_crc32(check, sizeof check - 1u);
    printf("vendor: crc32(\"%s\") = 0x%08lX from libvendor_crc.a\n", check, (unsigned long)crc);
    printf("vendor: time() = %lu from the vendor's clock\n", (unsigned long)time(NULL));
    crc ^= time(NULL) == VENDOR_RTC_SECONDS ? 0u : 1u;
    printf("vendor: %s\n", crc == 0xCBF43926u ? "PASS" : "FAIL");
    (void)fflush(stdout);
    exit(crc == 0xCBF43926u ? 0 : 1);
}

int main(void)
{
    OSInit();
    (void)OSTaskCreate(main_task, (void *)0, &main_stk[APP_TASK_STK_SIZE - 1u], APP_TASK_MAIN_PRIO);
    OSStart();
    return 1;
}
