/* SPDX-License-Identifier: MIT OR Apache-2.0 */
/*
 * soak_parameters.h — the parameters of one soak run, shared by the soak's
 * guests.
 *
 * The image is built with the defaults of system.toml (the short soak of
 * `cargo test`); `cargo xtask soak --ticks N --calls N --seed S` copies the
 * built image and overwrites the four words after the two magic words
 * "SOAK" "PRMS" in every guest's read-only data, so that one build serves
 * every run. The block is `volatile const`: the compiler must read it, never
 * fold the defaults into the code.
 */
#ifndef SOAK_PARAMETERS_H
#define SOAK_PARAMETERS_H

#include <stdint.h>

#define SOAK_MAGIC_0 0x4B414F53u /* "SOAK" in memory order */
#define SOAK_MAGIC_1 0x534D5250u /* "PRMS" */

/* The workload guests' tick rate (OS_TICKS_PER_SEC of workload/os_cfg.h). */
#define SOAK_TICK_HZ 10000u

#ifndef SOAK_FLAGS
#define SOAK_FLAGS 0u
#endif

/* SOAK_FLAGS: the hostile guest never makes one of its own threads v_timer's
 * client in place of its Interrupt_loop (`cargo xtask soak --spare-timer`).
 * Such a client never receives its ticks; while v_timer delivers events with
 * a blocking send (issue 10 §4, being replaced by asynchronous
 * notification), it delays every other guest's ticks. */
#define SOAK_SPARE_TIMER 1u

/* { magic 0, magic 1, ticks, calls, seed, flags } */
#define SOAK_PARAMETER_BLOCK                                                                                          \
    volatile const uint32_t soak_parameters[6] = {SOAK_MAGIC_0, SOAK_MAGIC_1, SOAK_TICKS,                           \
                                                  SOAK_CALLS,   SOAK_SEED,    SOAK_FLAGS}

extern volatile const uint32_t soak_parameters[6];

/* Ticks each workload guest runs for. */
#define SOAK_PARAMETER_TICKS (soak_parameters[2])
/* Random calls and messages the hostile guest makes. */
#define SOAK_PARAMETER_CALLS (soak_parameters[3])
/* Seed of the hostile guest's generator. */
#define SOAK_PARAMETER_SEED (soak_parameters[4])
/* SOAK_SPARE_TIMER or 0. */
#define SOAK_PARAMETER_FLAGS (soak_parameters[5])

#endif /* SOAK_PARAMETERS_H */
