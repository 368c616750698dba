/* SPDX-License-Identifier: MIT OR Apache-2.0 */
/*
 * bench.h — what the µC/OS-II benchmark (main.c) needs from where it runs: a
 * guest (bench_platform.c, beside it) or the native port (tests/native-ucos).
 */
#ifndef BENCH_H
#define BENCH_H

#include "ucos_ii.h"

/* The PMU's cycle counter (PMCCNTR): one per instruction under QEMU's
 * -icount shift=0. A guest may read it only in a benchmark image. */
static inline INT32U bench_cycles(void)
{
    INT32U value;
    __asm__ volatile("mrc p15, 0, %0, c9, c13, 0" : "=r"(value));
    return value;
}

/* Writes a NUL-terminated line fragment to the console. */
void bench_write(const char *text);
/* Starts the µC/OS-II tick (called once, by the first task). */
void bench_tick_start(void);
/* Ends the run with `code` (0: every check passed). */
void bench_exit(int code);

/* Output keys: "" or "native_" before the shared figures, and the names of
 * the two tick figures (e.g. "virtual_tick_paper" / "native_tick"). */
extern const char bench_prefix[];
extern const char bench_key_tick[];
extern const char bench_key_irq[];
/* Name in the run's own lines ("bench_ucos", "native_ucos"). */
extern const char bench_name[];

#endif /* BENCH_H */
