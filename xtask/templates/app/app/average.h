/*
 * average.h — a moving average over the last AVERAGE_WINDOW samples, in
 * integers: the kind of plain C module an application is made of, and that
 * its unit tests (tests/unit/) check without µC/OS-II running.
 */
#ifndef AVERAGE_H
#define AVERAGE_H

#include <stdint.h>

#define AVERAGE_WINDOW 4u

struct average {
    int32_t samples[AVERAGE_WINDOW];
    uint32_t count; /* samples taken so far */
    int32_t sum;    /* of the samples in the window */
};

/* Empties the window. */
void average_init(struct average *a);

/* Adds a sample; returns the mean of the samples in the window (the last
 * AVERAGE_WINDOW, or all of them before the window is full), rounded toward 0. */
int32_t average_add(struct average *a, int32_t sample);

#endif
