/* SPDX-License-Identifier: MIT OR Apache-2.0 */
/*
 * expected.h — results the cdiv example checks, computed on the host.
 *
 * Every value below is recomputed by the host test
 * `cdiv_expected_values_match_the_host` (tests/guests.rs) with Rust's f32/f64
 * and integer arithmetic (IEEE 754 binary32/binary64, round to nearest even;
 * float-to-integer conversions truncate toward zero, as in C), so a wrong
 * constant here fails that test before the guest ever runs. Floating-point
 * results are bit patterns (uint32_t for float, uint64_t for double).
 */
#ifndef CDIV_EXPECTED_H
#define CDIV_EXPECTED_H

/* float: 1.1f + 2.2f, 1.1f * 2.2f, 1.0f / 3.0f, sqrtf(2.0f) */
#define CDIV_F32_ADD  0x40533334u
#define CDIV_F32_MUL  0x401ae148u
#define CDIV_F32_DIV  0x3eaaaaabu
#define CDIV_F32_SQRT 0x3fb504f3u

/* double: 0.1 + 0.2, 1.1 * 2.2, 1.0 / 3.0, sqrt(2.0) */
#define CDIV_F64_ADD  0x3fd3333333333334ull
#define CDIV_F64_MUL  0x40035c28f5c28f5dull
#define CDIV_F64_DIV  0x3fd5555555555555ull
#define CDIV_F64_SQRT 0x3ff6a09e667f3bcdull

/* conversions to floating point: (float)16777217 (rounds to even),
 * (double)UINT64_MAX, (double)-9007199254740993LL (rounds to even),
 * (double)0.1f, (float)0.1 */
#define CDIV_F32_FROM_I32 0x4b800000u
#define CDIV_F64_FROM_U64 0x43f0000000000000ull
#define CDIV_F64_FROM_I64 0xc340000000000000ull
#define CDIV_F64_FROM_F32 0x3fb99999a0000000ull
#define CDIV_F32_FROM_F64 0x3dcccccdu

/* conversions from floating point: (int)-2.75f, (unsigned)3.99,
 * (long long)-1e18, (unsigned long long)1e19f */
#define CDIV_I32_FROM_F32 (-2)
#define CDIV_U32_FROM_F64 3u
#define CDIV_I64_FROM_F64 (-1000000000000000000ll)
#define CDIV_U64_FROM_F32 9999999980506447872ull

/* integer division by non-zero divisors:
 * 0xFFFFFFFFu / 3u, 100u % 7u, 0x0123456789ABCDEF / 1000 and % 1000,
 * -0x0123456789ABCDEF / 7 and % 7 (C truncates toward zero) */
#define CDIV_U32_DIV 0x55555555u
#define CDIV_U32_MOD 2u
#define CDIV_U64_DIV 81985529216486ull
#define CDIV_U64_MOD 895ull
#define CDIV_I64_DIV (-11712218459498127ll)
#define CDIV_I64_MOD (-6ll)

#endif /* CDIV_EXPECTED_H */
