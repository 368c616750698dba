/* SPDX-License-Identifier: MIT OR Apache-2.0 */
/*
 * vfp — a hard-float guest (-mfloat-abi=hard, VFP/NEON): several µC/OS-II tasks
 * compute with doubles while ticks preempt them and switch between them, and
 * must get bit-identical results to the same computation done before OSStart.
 * A register check fills d0-d15 (all a VFPv3-D16 guest has) and FPSCR's flags
 * with task-specific values, waits for several ticks (and task switches) and
 * checks every bit came back.
 *
 * Prints `vfp: N passed, N failed` and exits with the number of failures.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ucos_ii.h"
#include "app_cfg.h"

#if !defined(__ARM_PCS_VFP)
#error "the vfp test application must be built hard-float"
#endif

static OS_STK main_stk[APP_STK_SIZE];
static OS_STK work_stk[APP_WORKERS][APP_STK_SIZE];
static double reference[APP_WORKERS];
static volatile unsigned bad[APP_WORKERS];
static volatile unsigned rounds[APP_WORKERS];
static volatile unsigned register_bad[APP_WORKERS];
static volatile unsigned done;

static double compute(unsigned seed)
{
    double x = 1.0 + seed * 0.25, y = 0.5, z = 3.0;
    unsigned i;
    for (i = 0u; i < 20000u; i++) {
        x = x * 1.0000001 + y / (z + i);
        y = x / (1.0 + y * y) - y * 0.5;
        z = z * 0.999999 + 1e-3 * x;
    }
    return x + y + z;
}

/* Fills d0-d15 and FPSCR's condition flags from `base`, spins `spins` loops,
 * returns how many registers changed meanwhile. */
static unsigned registers_survive(unsigned base, unsigned spins)
{
    double in[16], out[16];
    unsigned i, changed = 0u, fpscr_in = (base & 0xFu) << 28, fpscr_out;
    for (i = 0u; i < 16u; i++) {
        in[i] = base * 1000.0 + i + 0.5;
    }
    __asm__ volatile("vldmia %[in], {d0-d15}\n\t"
                     "vmsr fpscr, %[fi]\n\t"
                     "1: subs %[n], %[n], #1\n\t"
                     "bne 1b\n\t"
                     "vmrs %[fo], fpscr\n\t"
                     "vstmia %[out], {d0-d15}"
                     : [n] "+r"(spins), [fo] "=&r"(fpscr_out)
                     : [in] "r"(in), [out] "r"(out), [fi] "r"(fpscr_in)
                     : "memory", "cc", "d0", "d1", "d2", "d3", "d4", "d5", "d6", "d7", "d8", "d9", "d10", "d11",
                       "d12", "d13", "d14", "d15");
    for (i = 0u; i < 16u; i++) {
        changed += memcmp(&in[i], &out[i], sizeof in[i]) != 0;
    }
    changed += (fpscr_out & 0xF0000000u) != fpscr_in;
    return changed;
}

static void worker(void *p_arg)
{
    unsigned id = (unsigned)(INT32U)p_arg;
    unsigned r;
    for (r = 0u; r < 6u; r++) {
        double value = compute(id);
        if (memcmp(&value, &reference[id], sizeof value) != 0) {
            bad[id]++;
        }
        register_bad[id] += registers_survive(id + 1u, 3000000u);
        rounds[id]++;
        OSTimeDly(1u);
    }
    done++;
    OSTaskDel(OS_PRIO_SELF);
}

static void main_task(void *p_arg)
{
    unsigned i, passed = 0u, failed = 0u;
    (void)p_arg;
    for (i = 0u; i < APP_WORKERS; i++) {
        OSTaskCreate(worker, (void *)(INT32U)i, &work_stk[i][APP_STK_SIZE - 1u], (INT8U)(APP_WORK_PRIO + i));
    }
    while (done < APP_WORKERS) {
        OSTimeDly(5u);
    }
    for (i = 0u; i < APP_WORKERS; i++) {
        int ok = bad[i] == 0u && register_bad[i] == 0u && rounds[i] == 6u;
        ok ? passed++ : failed++;
        printf("vfp: %s: task %u: %u rounds, %u wrong results, %u registers changed\n", ok ? "PASS" : "FAIL", i,
               rounds[i], bad[i], register_bad[i]);
    }
    printf("vfp: %u passed, %u failed\n", passed, failed);
    exit((int)failed);
}

int main(void)
{
    unsigned i;
    for (i = 0u; i < APP_WORKERS; i++) {
        reference[i] = compute(i);
    }
    OSInit();
    OSTaskCreate(main_task, (void *)0, &main_stk[APP_STK_SIZE - 1u], APP_MAIN_PRIO);
    OSStart();
    return 1;
}
