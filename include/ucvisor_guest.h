/* SPDX-License-Identifier: MIT OR Apache-2.0 */
/*
 * ucvisor_guest.h — what a µC/OS-II guest application may call beyond the
 * µC/OS-II API and standard C stdio (printf, getchar, exit work as usual).
 *
 * Implemented by the guest runtime (port/src/runtime.rs). Include it from
 * application code that needs virtual interrupts, tick accounting or the
 * counter; ordinary applications need nothing from it.
 */
#ifndef UCVISOR_GUEST_H
#define UCVISOR_GUEST_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Virtual interrupts 0 (tick) and 1 (console input) belong to the runtime;
 * 2..31 are free for the application. */
#define UCVISOR_VIRQ_FIRST_USER 2u
#define UCVISOR_VIRQ_COUNT      32u

/* Attaches handler to virtual interrupt `number` (2..31), or detaches it with
 * NULL. The handler runs in µC/OS-II ISR context (OSIntNesting counted,
 * before OSIntExit), masked, so it may post to semaphores, mailboxes, queues
 * and flags; it may unmask (OS_CPU_SR_Restore(0)) to let others nest.
 * Returns 0, or 1 for a bad number. */
uint32_t ucvisor_virq_attach(uint32_t number, void (*handler)(uint32_t number));

/* Raises virtual interrupt `number` (2..31): it is delivered as soon as virtual
 * interrupts are enabled, exactly once however often it was raised before.
 * Returns 0, or 1 for a bad number. */
uint32_t ucvisor_virq_raise(uint32_t number);

/* The number of ticks v_timer generated for this guest that have reached
 * OSTimeTick(): equal to OSTimeGet() when no tick was lost or doubled (read both
 * inside one critical section). */
uint32_t ucvisor_ticks_delivered(void);

/* The generic timer's virtual count (CNTVCT), the clock v_timer's tick follows,
 * and its frequency in Hz (CNTFRQ; 62.5 MHz on QEMU virt). Read without a
 * system call, from any task or handler. */
uint64_t ucvisor_counter(void);
uint32_t ucvisor_counter_frequency(void);

/* The priority of the guest's µC/OS-II thread (its `priority` in the system
 * description, 1..98); its Interrupt_loop thread runs one above, which is also
 * the highest priority the root server gives the guest a thread at. */
uint32_t ucvisor_priority(void);

/* The root server's, v_serial's and v_timer's thread IDs, for the requests
 * of paravirt.h that take them (pv_root_thread_create, pv_memsection_create,
 * pv_serial_attach_input, pv_timer_query, ...). */
uint32_t ucvisor_root_server(void);
uint32_t ucvisor_v_serial(void);
uint32_t ucvisor_v_timer(void);

/* Ends the guest with `code` (what exit() does after flushing stdio). */
void ucvisor_exit(int code) __attribute__((noreturn));

#ifdef __cplusplus
}
#endif

#endif /* UCVISOR_GUEST_H */
