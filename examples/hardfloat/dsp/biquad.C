/* SPDX-License-Identifier: MIT OR Apache-2.0 */
/*
 * biquad.C — C with an upper-case extension, as older projects name their C
 * files. gcc would compile it as C++ by the extension; the guest build compiles
 * it as C, which this file needs: malloc's void * converts without a cast.
 */
#include <math.h>
#include <stdlib.h>

#include "biquad.h"

struct biquad *biquad_low_pass(double cutoff, double sample_rate)
{
    struct biquad *filter = malloc(sizeof *filter); /* C, not C++: no cast */
    double w0 = 2.0 * M_PI * cutoff / sample_rate;
    double alpha = sin(w0) / (2.0 * M_SQRT1_2);
    double a0 = 1.0 + alpha;

    if (filter == NULL) {
        return NULL;
    }
    filter->b0 = (1.0 - cos(w0)) / 2.0 / a0;
    filter->b1 = (1.0 - cos(w0)) / a0;
    filter->b2 = filter->b0;
    filter->a1 = -2.0 * cos(w0) / a0;
    filter->a2 = (1.0 - alpha) / a0;
    filter->x1 = filter->x2 = filter->y1 = filter->y2 = 0.0;
    return filter;
}

double biquad_step(struct biquad *filter, double x)
{
    double y = filter->b0 * x + filter->b1 * filter->x1 + filter->b2 * filter->x2 - filter->a1 * filter->y1 -
               filter->a2 * filter->y2;
    filter->x2 = filter->x1;
    filter->x1 = x;
    filter->y2 = filter->y1;
    filter->y1 = y;
    return y;
}
