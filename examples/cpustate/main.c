/* SPDX-License-Identifier: MIT OR Apache-2.0 */
/*
 * cpustate — no user-visible CPU state is lost when a virtual interrupt lands
 * on any instruction. Run under QEMU -icount shift=0, where interrupts arrive
 * at exact instruction boundaries (at OS_TICKS_PER_SEC 1000, about 1,000 per
 * check), and with a higher-priority task woken by every tick, so that half the
 * interrupted contexts come back through a task switch.
 *
 *   thumb-it  a Thumb-2 loop full of IT blocks against the same code in ARM
 *             (the IT state of an interrupted block must survive)
 *   endian    loads between `setend be` and `setend le` (the E bit)
 *   ge        GE flags between UADD8 and SEL
 *   q         the sticky saturation flag Q after QADD
 *   tpidrurw  the user read/write thread register
 *
 * Prints one line per check and `cpustate: N passed, N failed`; exits with the
 * number of failed checks.
 */
#include <stdio.h>
#include <stdlib.h>

#include "ucos_ii.h"
#include "app_cfg.h"

#define BODY unsigned a = 0u, b = 0x9e3779b9u, i; \
    for (i = 0u; i < n; i++) { if ((i ^ b) & 1u) { a += i; b ^= a; } else { a ^= b; b += 3u; } } return a ^ b;
__attribute__((target("thumb"), noinline)) static unsigned mix_t(unsigned n) { BODY }
__attribute__((target("arm"), noinline)) static unsigned mix_a(unsigned n) { BODY }

static OS_STK check_stk[APP_STK_SIZE];
static OS_STK noise_stk[APP_STK_SIZE];
static unsigned passed;
static unsigned failed;

static void report(const char *name, unsigned bad, unsigned runs)
{
    if (bad == 0u && runs > 0u) {
        passed++;
    } else {
        failed++;
    }
    printf("cpustate: %s: %s: %u of %u runs wrong\n", name, (bad == 0u && runs > 0u) ? "PASS" : "FAIL", bad, runs);
}

static void check_thumb_it(INT32U ticks)
{
    unsigned ref = mix_a(20000u), runs = 0u, bad = 0u;
    INT32U end = OSTimeGet() + ticks;
    while (OSTimeGet() < end) {
        bad += mix_t(20000u) != ref;
        runs++;
    }
    report("thumb-it", bad, runs);
}

static volatile unsigned word = 0x11223344u;

__attribute__((target("arm"), noinline)) static void endian_once(unsigned *first, unsigned *second)
{
    unsigned a, b;
    __asm__ volatile("setend be\n\t"
                     "ldr %0, [%2]\n\t"
                     "nop\n\tnop\n\tnop\n\tnop\n\t"
                     "ldr %1, [%2]\n\t"
                     "setend le"
                     : "=&r"(a), "=&r"(b)
                     : "r"(&word)
                     : "memory");
    *first = a;
    *second = b;
}

static void check_endian(INT32U ticks)
{
    unsigned runs = 0u, bad = 0u, a, b;
    INT32U end = OSTimeGet() + ticks;
    while (OSTimeGet() < end) {
        endian_once(&a, &b);
        bad += (a != 0x44332211u || b != 0x44332211u);
        runs++;
    }
    report("endian", bad, runs);
}

__attribute__((target("arm"), noinline)) static unsigned ge_once(void)
{
    unsigned sum, picked;
    __asm__ volatile("uadd8 %0, %2, %3\n\t"
                     "nop\n\tnop\n\tnop\n\tnop\n\tnop\n\tnop\n\t"
                     "sel %1, %4, %5"
                     : "=&r"(sum), "=&r"(picked)
                     : "r"(0xFF00FF00u), "r"(0x01000100u), "r"(0xAAAAAAAAu), "r"(0x55555555u)
                     : "cc");
    (void)sum;
    return picked;
}

__attribute__((target("arm"), noinline)) static unsigned q_once(void)
{
    unsigned result, apsr;
    __asm__ volatile("msr APSR_nzcvq, #0\n\t"
                     "qadd %0, %2, %3\n\t"
                     "nop\n\tnop\n\tnop\n\tnop\n\tnop\n\tnop\n\t"
                     "mrs %1, APSR"
                     : "=&r"(result), "=&r"(apsr)
                     : "r"(0x7FFFFFFFu), "r"(1u)
                     : "cc");
    return (result == 0x7FFFFFFFu) && ((apsr >> 27) & 1u);
}

static void check_flags(INT32U ticks)
{
    unsigned runs = 0u, bad_ge = 0u, bad_q = 0u, bad_tls = 0u, value;
    INT32U end = OSTimeGet() + ticks;
    __asm__ volatile("mcr p15, 0, %0, c13, c0, 2" : : "r"(0xC0FFEE42u));
    while (OSTimeGet() < end) {
        bad_ge += ge_once() != 0xAA55AA55u;
        bad_q += !q_once();
        __asm__ volatile("mrc p15, 0, %0, c13, c0, 2" : "=r"(value));
        bad_tls += value != 0xC0FFEE42u;
        runs++;
    }
    report("ge", bad_ge, runs);
    report("q", bad_q, runs);
    report("tpidrurw", bad_tls, runs);
}

static void noise(void *p_arg)
{
    (void)p_arg;
    for (;;) {
        OSTimeDly(1u);
    }
}

static void check(void *p_arg)
{
    (void)p_arg;
    OSTaskCreate(noise, (void *)0, &noise_stk[APP_STK_SIZE - 1u], APP_NOISE_PRIO);
    check_thumb_it(1000u);
    check_endian(500u);
    check_flags(500u);
    printf("cpustate: %u passed, %u failed\n", passed, failed);
    exit((int)failed);
}

int main(void)
{
    OSInit();
    OSTaskCreate(check, (void *)0, &check_stk[APP_STK_SIZE - 1u], APP_CHECK_PRIO);
    OSStart();
    return 1;
}
