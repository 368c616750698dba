/*
 * average.c — see average.h.
 */
#include "average.h"

void average_init(struct average *a)
{
    uint32_t i;
    for (i = 0u; i < AVERAGE_WINDOW; i++) {
        a->samples[i] = 0;
    }
    a->count = 0u;
    a->sum = 0;
}

int32_t average_add(struct average *a, int32_t sample)
{
    uint32_t slot = a->count % AVERAGE_WINDOW;
    uint32_t used;
    a->sum += sample - a->samples[slot];
    a->samples[slot] = sample;
    a->count++;
    used = a->count < AVERAGE_WINDOW ? a->count : AVERAGE_WINDOW;
    return a->sum / (int32_t)used;
}
