/* SPDX-License-Identifier: MIT OR Apache-2.0 */
/*
 * hardfloat — a guest whose C is compiled for the hard-float ABI
 * (GuestBuild::hard_float: -mfloat-abi=hard -mfpu=vfpv3-d16, hard-float newlib
 * and libgcc) beside the soft-float Rust runtime. A task low-pass filters a
 * step with a biquad (dsp/biquad.C), takes a dot product in assembly
 * (dsp/dot3.s) and prints the results.
 *
 * Built, not run, until the kernel enables and switches the VFP for guests:
 * tests/guests.rs checks the ELF (attributes, VFP code, d0-d15 only).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "ucos_ii.h"
#include "app_cfg.h"
#include "dsp/biquad.h"

static OS_STK main_stk[APP_TASK_STK_SIZE];

static void main_task(void *p_arg)
{
    static const float a[3] = {1.0f, 2.0f, 3.0f};
    static const float b[3] = {4.0f, 5.0f, 6.0f};
    struct biquad *filter = biquad_low_pass(100.0, 1000.0);
    double y = 0.0;
    int n;

    (void)p_arg;
    if (filter == NULL) {
        printf("hardfloat: out of memory\n");
        exit(1);
    }
    for (n = 0; n < 50; n++) {
        y = biquad_step(filter, 1.0);
    }
    printf("hardfloat: step response after 50 samples %.6f, sqrt(2) %.15f, dot3 %.1f\n", y, sqrt(2.0),
           (double)dot3(a, b));
    (void)fflush(stdout);
    exit(fabs(y - 1.0) < 0.01 && dot3(a, b) == 32.0f ? 0 : 1);
}

int main(void)
{
    OSInit();
    (void)OSTaskCreate(main_task, (void *)0, &main_stk[APP_TASK_STK_SIZE - 1u], APP_TASK_MAIN_PRIO);
    OSStart();
    return 1;
}
