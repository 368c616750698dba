/* SPDX-License-Identifier: MIT OR Apache-2.0 */
/*
 * ucvisor bundled µC/OS-II-compatible kernel — written for this project from the
 * documented V2.93.01 API.
 *
 * conf_internal.h — harness shared by the conformance suite's files.
 */
#ifndef CONF_INTERNAL_H
#define CONF_INTERNAL_H

#include <stdio.h>
#include "ucos_ii.h"
#include "ucos_conformance.h"

#if (OS_SEM_EN == 0u) || (OS_MUTEX_EN == 0u) || (OS_MBOX_EN == 0u) || (OS_Q_EN == 0u) || (OS_FLAG_EN == 0u) || \
    (OS_MEM_EN == 0u) || (OS_TMR_EN == 0u) || (OS_TASK_STAT_EN == 0u) || (OS_EVENT_MULTI_EN == 0u)
#error "the conformance suite needs the default configuration (every service on)"
#endif

/* Checks */
void conf_check(int ok, const char *file, int line, const char *expr);
void conf_check_eq(unsigned long got, unsigned long want, const char *file, int line, const char *expr);
void conf_case(const char *name);

#define CHECK(expr)        conf_check((expr) ? 1 : 0, __FILE__, __LINE__, #expr)
#define CHECK_EQ(got, want) conf_check_eq((unsigned long)(got), (unsigned long)(want), __FILE__, __LINE__, #got " == " #want)
#define CHECK_ERR(err, code) CHECK_EQ(err, code)

int conf_streq(const INT8U *a, const char *b);

/* Helper tasks: one stack per priority. */
#define CONF_STK_SIZE 512u
#define CONF_MAX_PRIO (CONF_MAIN_PRIO + 25u)

INT8U conf_spawn(INT8U prio, void (*fn)(void *p_arg), void *arg);
INT8U conf_spawn_plain(INT8U prio, void (*fn)(void *p_arg), void *arg); /* OSTaskCreate */
int   conf_task_exists(INT8U prio);
void  conf_wait_gone(INT8U prio); /* delay until the task at prio is deleted */

/* Simulated interrupt context (the documented ISR protocol). Nothing of higher
 * priority than the caller may become ready in between. */
#define CONF_ISR_ENTER() OSIntEnter()
#define CONF_ISR_EXIT()  OSIntExit()

/* A job a helper task performs, with its outcome. */
typedef struct conf_job {
    OS_EVENT    *ev;
    OS_FLAG_GRP *grp;
    OS_EVENT   **evs;        /* PendMulti list                   */
    OS_EVENT    *rdy[4];     /* PendMulti ready list             */
    void        *msgs[4];    /* PendMulti messages               */
    INT32U       timeout;
    OS_FLAGS     flags;
    INT8U        wait_type;
    INT8U        err;
    INT8U        err2;
    void        *msg;
    OS_FLAGS     result;
    INT16U       count;
    INT32U       t_end;
    INT8U        prio_seen;
    volatile int state;      /* 0 idle, 1 started, 2 finished    */
} conf_job_t;

void conf_job_reset(conf_job_t *job);

/* Helper task bodies (arg is a conf_job_t*). */
void job_sem_pend(void *p_arg);
void job_mbox_pend(void *p_arg);
void job_q_pend(void *p_arg);
void job_mutex_pend(void *p_arg);       /* pend, record prio, post */
void job_mutex_pend_hold(void *p_arg);  /* pend, keep it; delete self later */
void job_flag_pend(void *p_arg);
void job_multi_pend(void *p_arg);
void job_delay(void *p_arg);            /* OSTimeDly(timeout) */

/* Test groups */
void conf_test_core(void);
void conf_test_task(void);
void conf_test_time(void);
void conf_test_sem(void);
void conf_test_mbox(void);
void conf_test_q(void);
void conf_test_mutex(void);
void conf_test_multi(void);
void conf_test_event_names(void);
void conf_test_flag(void);
void conf_test_mem(void);
void conf_test_tmr(void);
void conf_test_stat(void);

#endif /* CONF_INTERNAL_H */
