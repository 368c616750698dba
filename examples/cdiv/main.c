/* SPDX-License-Identifier: MIT OR Apache-2.0 */
/*
 * cdiv — C arithmetic in a guest has libgcc's semantics: integer division by
 * zero calls __aeabi_idiv0/__aeabi_ldiv0 and returns, 64-bit arithmetic and
 * soft-float give IEEE 754 results, all from libgcc (the guest's Rust runtime
 * keeps its own compiler-builtins; see xtask::GuestBuild).
 *
 * Built twice from this folder (examples/guests/build.rs):
 *
 *  - `cdiv`: overrides libgcc's weak __aeabi_idiv0/__aeabi_ldiv0 as bare-board
 *    applications do, with handlers that count their calls and return their
 *    argument. libgcc passes the quotient it wants returned (the saturated
 *    value: INT_MAX, INT_MIN, 0, UINT_MAX, ...) and returns the handler's
 *    result, so the quotients below are exactly those values.
 *  - `cdiv_default` (-DCDIV_WRAP_DIV0 and GuestBuild::wrap of both handlers):
 *    libgcc's own default handlers run; div0_wrap.S counts the calls on the way
 *    in without touching r0-r3, so every result here is what libgcc's default
 *    produces, the remainders included.
 *
 * Operands are volatile so that the compiler cannot fold the operations: each
 * one is a call into libgcc at run time. Expected values: expected.h, computed
 * on the host. Output ends with "<name>: N passed, N failed"; exit code 1 when
 * a check failed.
 */
#include <limits.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ucos_ii.h"
#include "app_cfg.h"
#include "expected.h"

#ifdef CDIV_WRAP_DIV0
#define NAME "cdiv_default"
#else
#define NAME "cdiv"
#endif

/* Calls of the division-by-zero handlers (also counted by div0_wrap.S). */
volatile unsigned cdiv_idiv0_calls;
volatile unsigned cdiv_ldiv0_calls;

#ifndef CDIV_WRAP_DIV0
/* The run-time ABI's handlers: the value returned becomes the quotient. */
int __aeabi_idiv0(int return_value);
long long __aeabi_ldiv0(long long return_value);

int __aeabi_idiv0(int return_value)
{
    cdiv_idiv0_calls++;
    return return_value;
}

long long __aeabi_ldiv0(long long return_value)
{
    cdiv_ldiv0_calls++;
    return return_value;
}
#endif

static unsigned passed;
static unsigned failed;

static void check(int line, const char *what, unsigned long long got, unsigned long long want)
{
    if (got == want) {
        passed++;
        return;
    }
    failed++;
    printf(NAME ": FAIL line %d: %s: got 0x%llx, want 0x%llx\n", line, what, got, want);
}

#define CHECK_EQ(got, want) check(__LINE__, #got, (unsigned long long)(got), (unsigned long long)(want))

static uint32_t f32_bits(float value)
{
    uint32_t bits;
    memcpy(&bits, &value, sizeof bits);
    return bits;
}

static uint64_t f64_bits(double value)
{
    uint64_t bits;
    memcpy(&bits, &value, sizeof bits);
    return bits;
}

static void int32_division_by_zero(void)
{
    volatile int zero = 0, seven = 7, minus_seven = -7, nothing = 0;
    volatile unsigned uzero = 0u, useven = 7u, unothing = 0u;
    unsigned calls = cdiv_idiv0_calls;
    int q_pos, q_neg, q_zero, r;
    unsigned uq, uq_zero, ur;

    q_pos = seven / zero;
    CHECK_EQ(cdiv_idiv0_calls - calls, 1u);
    q_neg = minus_seven / zero;
    q_zero = nothing / zero;
    r = seven % zero;
    CHECK_EQ(cdiv_idiv0_calls - calls, 4u);
    uq = useven / uzero;
    uq_zero = unothing / uzero;
    ur = useven % uzero;
    CHECK_EQ(cdiv_idiv0_calls - calls, 7u);
    CHECK_EQ(q_pos, INT_MAX);
    CHECK_EQ(q_neg, INT_MIN);
    CHECK_EQ(q_zero, 0);
    CHECK_EQ(uq, UINT_MAX);
    CHECK_EQ(uq_zero, 0u);
#ifdef CDIV_WRAP_DIV0
    /* libgcc's default handler returns at once: the remainder register still
     * holds the divisor, 0. (After an override it is whatever the override
     * left in r1.) */
    CHECK_EQ(r, 0);
    CHECK_EQ(ur, 0u);
#endif
    printf(NAME ": int 7/0=%d -7/0=%d 0/0=%d 7%%0=%d, unsigned 7/0=%u 0/0=%u 7%%0=%u, __aeabi_idiv0 calls %u\n",
           q_pos, q_neg, q_zero, r, uq, uq_zero, ur, cdiv_idiv0_calls - calls);
}

static void int32_division(void)
{
    volatile int minus_seven = -7, two = 2;
    volatile unsigned all_ones = 0xFFFFFFFFu, three = 3u, hundred = 100u, seven = 7u;
    unsigned calls = cdiv_idiv0_calls;

    CHECK_EQ(minus_seven / two, -3);
    CHECK_EQ(minus_seven % two, -1);
    CHECK_EQ(all_ones / three, CDIV_U32_DIV);
    CHECK_EQ(hundred % seven, CDIV_U32_MOD);
    CHECK_EQ(cdiv_idiv0_calls - calls, 0u);
}

static void soft_float(void)
{
    volatile float f11 = 1.1f, f22 = 2.2f, f1 = 1.0f, f3 = 3.0f, f2 = 2.0f;
    volatile double d01 = 0.1, d02 = 0.2, d11 = 1.1, d22 = 2.2, d1 = 1.0, d3 = 3.0, d2 = 2.0;
    volatile int big_int = 16777217;
    volatile unsigned long long u64_max = ULLONG_MAX;
    volatile long long odd_i64 = -9007199254740993ll;
    volatile float tenth_f = 0.1f, minus_2_75 = -2.75f, ten_to_19 = 1e19f;
    volatile double tenth = 0.1, three_99 = 3.99, minus_1e18 = -1e18;
    volatile float lo = 1.5f, hi = 2.5f, fzero = 0.0f;
    volatile double same_a = 2.5, same_b = 2.5, zero = 0.0, minus_zero = -0.0, one = 1.0;
    float fnan;
    double nan;

    CHECK_EQ(f32_bits(f11 + f22), CDIV_F32_ADD);
    CHECK_EQ(f32_bits(f11 * f22), CDIV_F32_MUL);
    CHECK_EQ(f32_bits(f1 / f3), CDIV_F32_DIV);
    CHECK_EQ(f32_bits(sqrtf(f2)), CDIV_F32_SQRT);
    CHECK_EQ(f64_bits(d01 + d02), CDIV_F64_ADD);
    CHECK_EQ(f64_bits(d11 * d22), CDIV_F64_MUL);
    CHECK_EQ(f64_bits(d1 / d3), CDIV_F64_DIV);
    CHECK_EQ(f64_bits(sqrt(d2)), CDIV_F64_SQRT);

    CHECK_EQ(f32_bits((float)big_int), CDIV_F32_FROM_I32);
    CHECK_EQ(f64_bits((double)u64_max), CDIV_F64_FROM_U64);
    CHECK_EQ(f64_bits((double)odd_i64), CDIV_F64_FROM_I64);
    CHECK_EQ(f64_bits((double)tenth_f), CDIV_F64_FROM_F32);
    CHECK_EQ(f32_bits((float)tenth), CDIV_F32_FROM_F64);
    CHECK_EQ((int)minus_2_75, CDIV_I32_FROM_F32);
    CHECK_EQ((unsigned)three_99, CDIV_U32_FROM_F64);
    CHECK_EQ((long long)minus_1e18, CDIV_I64_FROM_F64);
    CHECK_EQ((unsigned long long)ten_to_19, CDIV_U64_FROM_F32);

    fnan = fzero / fzero;
    nan = zero / zero;
    CHECK_EQ(lo < hi, 1);
    CHECK_EQ(lo > hi, 0);
    CHECK_EQ(same_a >= same_b, 1);
    CHECK_EQ(same_a < same_b, 0);
    CHECK_EQ(minus_zero == zero, 1);
    CHECK_EQ(fnan != fnan, 1);
    CHECK_EQ(nan == nan, 0);
    CHECK_EQ(nan < one, 0);
    CHECK_EQ(nan >= one, 0);
}

/* Last: before guests got libgcc, a 64-bit division by zero never returned. */
static void int64_division(void)
{
    volatile long long big = 0x0123456789ABCDEFll, minus_big = -0x0123456789ABCDEFll, seven = 7, zero = 0;
    volatile long long nothing = 0;
    volatile unsigned long long ubig = 0x0123456789ABCDEFull, thousand = 1000u, uzero = 0u, unothing = 0u;
    unsigned calls = cdiv_ldiv0_calls;
    long long q_pos, q_neg, q_zero, r;
    unsigned long long uq, uq_zero, ur;

    CHECK_EQ(ubig / thousand, CDIV_U64_DIV);
    CHECK_EQ(ubig % thousand, CDIV_U64_MOD);
    CHECK_EQ(minus_big / seven, CDIV_I64_DIV);
    CHECK_EQ(minus_big % seven, CDIV_I64_MOD);
    CHECK_EQ(cdiv_ldiv0_calls - calls, 0u);

    q_pos = big / zero;
    CHECK_EQ(cdiv_ldiv0_calls - calls, 1u);
    q_neg = minus_big / zero;
    q_zero = nothing / zero;
    r = big % zero;
    CHECK_EQ(cdiv_ldiv0_calls - calls, 4u);
    uq = ubig / uzero;
    uq_zero = unothing / uzero;
    ur = ubig % uzero;
    CHECK_EQ(cdiv_ldiv0_calls - calls, 7u);
    CHECK_EQ(q_pos, LLONG_MAX);
    CHECK_EQ(q_neg, LLONG_MIN);
    CHECK_EQ(q_zero, 0);
    CHECK_EQ(uq, ULLONG_MAX);
    CHECK_EQ(uq_zero, 0u);
#ifdef CDIV_WRAP_DIV0
    /* As for 32 bits: the remainder registers (r2:r3) still hold the divisor. */
    CHECK_EQ(r, 0);
    CHECK_EQ(ur, 0u);
#endif
    printf(NAME ": long long big/0=0x%llx -big/0=0x%llx 0/0=%lld big%%0=%lld, unsigned big/0=0x%llx 0/0=%llu "
                "big%%0=%llu, __aeabi_ldiv0 calls %u\n",
           (unsigned long long)q_pos, (unsigned long long)q_neg, q_zero, r, uq, uq_zero, ur,
           cdiv_ldiv0_calls - calls);
}

static OS_STK main_stk[APP_TASK_STK_SIZE];

static void main_task(void *p_arg)
{
    (void)p_arg;
    int32_division_by_zero();
    int32_division();
    soft_float();
    int64_division();
    printf(NAME ": %u passed, %u failed\n", passed, failed);
    (void)fflush(stdout);
    exit(failed == 0u ? 0 : 1);
}

int main(void)
{
    OSInit();
    (void)OSTaskCreate(main_task, (void *)0, &main_stk[APP_TASK_STK_SIZE - 1u], APP_TASK_MAIN_PRIO);
    OSStart();
    return 1;
}
