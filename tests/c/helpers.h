/* SPDX-License-Identifier: MIT OR Apache-2.0 */
/*
 * helpers.h: shared helpers of the C-side unit tests in tests/c.
 *
 * The test program is the root task of its image, so it may create threads,
 * spaces and mappings. Helper threads run in the root's own space (sharing its
 * memory) on static stacks, and are deleted by the case that started them.
 */
#ifndef TESTS_C_HELPERS_H
#define TESTS_C_HELPERS_H

#include "paravirt.h"
#include "paravirt_macros.h"
#include "l4.h"
#include "iguana/thread.h"
#include "iguana/memsection.h"
#include "iguana/pd.h"
#include "ucvisor_test.h"

/* Priority of the root task; helpers at ROOT_PRIORITY + 1 preempt it as soon as
 * they are started, so they are blocked in their first IPC when it runs again. */
#define ROOT_PRIORITY 100u
#define HELPER_PRIORITY (ROOT_PRIORITY + 1u)

/* Bound on IPC waits in tests: a kernel bug fails the case instead of hanging. */
#define TEST_TIMEOUT_MS 1000u

/* A space ID no kernel hands out in a test image. */
#define UNKNOWN_SPACE 999u

/* An IRQ number no device of the test image raises (SPI, below 128). */
#define SPARE_IRQ 100u

/* The caller's own space. */
uint32_t own_space(void);

/* A thread ID whose index is not in use (index 0xFFF). */
PvThreadId unused_thread_id(void);

/* `id` with its version field incremented (stale). */
PvThreadId stale_version_of(PvThreadId id);

/* Creates a halted thread in the root's space (never started; delete it). */
uint32_t helper_create_halted(uint32_t priority, PvThreadId *id);

/* Creates a thread in the root's space at `priority` and starts it at `entry`
 * on a free static stack. Entry functions must never return. */
uint32_t helper_start(void (*entry)(void), uint32_t priority, PvThreadId *id);

/* Deletes a helper thread and frees its stack. */
uint32_t helper_delete(PvThreadId id);

/* Yields until `*flag` is nonzero or `rounds` yields have passed; returns *flag. */
uint32_t wait_for_flag(volatile uint32_t *flag, unsigned rounds);

/* The root task's thread ID (set by helper_start, for helpers to send to). */
extern volatile PvThreadId test_root_thread;

/* --- helper thread bodies --------------------------------------------------------------- */

/* Blocks in receive forever (never returns). */
void helper_park(void);

/* pv_* echo server: replies to each message with label + 1, the same word
 * count, every word + 1. Records what it received. */
void echo_server(void);
extern volatile uint32_t echo_count;
extern volatile uint32_t echo_last_tag;
extern volatile PvThreadId echo_last_sender;

/* The same server written with the L4 API (L4_Wait / L4_ReplyWait). */
void l4_echo_server(void);

/* Sets helper_flag to 1, then parks. */
void helper_set_flag(void);
extern volatile uint32_t helper_flag;

/* Sends one message (label 0x77, words 1..10) to test_root_thread, then parks. */
void helper_send_to_root(void);
#define SENDER_LABEL 0x77u
#define SENDER_WORDS 10u

#endif /* TESTS_C_HELPERS_H */
