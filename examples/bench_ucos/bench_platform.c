/* SPDX-License-Identifier: MIT OR Apache-2.0 */
/*
 * bench_platform.c — the µC/OS-II benchmark (main.c) in a ucvisor guest: the
 * console through newlib, the tick from v_timer (started by the guest runtime
 * before main), on the virtual-interrupt path the description chooses: the
 * paper's (v_timer -> Interrupt_loop -> redirection into the port's entry,
 * examples/bench_ucos) or the kernel-direct one (v_timer's notification
 * redirected by the kernel, examples/bench_ucos_direct, built with
 * BENCH_VIRQ_DIRECT so that its figures carry the direct path's keys).
 */
#include <stdio.h>
#include <stdlib.h>

#include "bench.h"

const char bench_prefix[] = "";
#ifdef BENCH_VIRQ_DIRECT
const char bench_key_tick[] = "virtual_tick_direct";
const char bench_key_irq[] = "irq_to_ostimetick_direct";
#else
const char bench_key_tick[] = "virtual_tick_paper";
const char bench_key_irq[] = "irq_to_ostimetick_paper";
#endif
const char bench_name[] = "bench_ucos";

void bench_write(const char *text)
{
    fputs(text, stdout);
    fflush(stdout);
}

void bench_tick_start(void) {}

void bench_exit(int code)
{
    exit(code);
}
