/* SPDX-License-Identifier: MIT OR Apache-2.0 */
/*
 * biquad.h — a second-order IIR filter section (direct form I) and a float dot
 * product, the DSP side of the hardfloat example.
 */
#ifndef BIQUAD_H
#define BIQUAD_H

struct biquad {
    double b0, b1, b2, a1, a2; /* coefficients, a0 normalised to 1 */
    double x1, x2, y1, y2;     /* state */
};

/* A low-pass section for cutoff/sample_rate (RBJ cookbook, Q = 1/sqrt(2)). */
struct biquad *biquad_low_pass(double cutoff, double sample_rate);
double biquad_step(struct biquad *filter, double x);

/* a[0]*b[0] + a[1]*b[1] + a[2]*b[2], in assembly (dot3.s). */
float dot3(const float *a, const float *b);

#endif /* BIQUAD_H */
