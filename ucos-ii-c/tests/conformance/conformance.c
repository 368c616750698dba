/* SPDX-License-Identifier: MIT OR Apache-2.0 */
/*
 * ucvisor bundled µC/OS-II-compatible kernel — written for this project from the
 * documented V2.93.01 API.
 *
 * conformance.c — harness, helper tasks and the suite's entry point.
 */
#include "conf_internal.h"

static unsigned conf_passed;
static unsigned conf_failed;

static OS_STK conf_stk[CONF_MAX_PRIO + 1u][CONF_STK_SIZE];

void conf_case(const char *name)
{
    printf("[case] %s\n", name);
}

void conf_check(int ok, const char *file, int line, const char *expr)
{
    if (ok) {
        conf_passed++;
    } else {
        conf_failed++;
        printf("FAIL %s:%d: %s\n", file, line, expr);
    }
}

void conf_check_eq(unsigned long got, unsigned long want, const char *file, int line, const char *expr)
{
    if (got == want) {
        conf_passed++;
    } else {
        conf_failed++;
        printf("FAIL %s:%d: %s (got %lu, want %lu)\n", file, line, expr, got, want);
    }
}

int conf_streq(const INT8U *a, const char *b)
{
    if (a == (INT8U *)0) {
        return 0;
    }
    while ((*a != 0u) && (*a == (INT8U)*b)) {
        a++;
        b++;
    }
    return *a == (INT8U)*b;
}

INT8U conf_spawn(INT8U prio, void (*fn)(void *p_arg), void *arg)
{
    return OSTaskCreateExt(fn, arg, &conf_stk[prio][CONF_STK_SIZE - 1u], prio, (INT16U)(100u + prio),
                           &conf_stk[prio][0], CONF_STK_SIZE, (void *)0, OS_TASK_OPT_STK_CHK | OS_TASK_OPT_STK_CLR);
}

INT8U conf_spawn_plain(INT8U prio, void (*fn)(void *p_arg), void *arg)
{
    return OSTaskCreate(fn, arg, &conf_stk[prio][CONF_STK_SIZE - 1u], prio);
}

int conf_task_exists(INT8U prio)
{
    OS_TCB tcb;

    return OSTaskQuery(prio, &tcb) == OS_ERR_NONE;
}

void conf_wait_gone(INT8U prio)
{
    int i;

    for (i = 0; (i < 1000) && conf_task_exists(prio); i++) {
        OSTimeDly(1u);
    }
}

void conf_job_reset(conf_job_t *job)
{
    unsigned i;

    job->ev = (OS_EVENT *)0;
    job->grp = (OS_FLAG_GRP *)0;
    job->evs = (OS_EVENT **)0;
    for (i = 0u; i < 4u; i++) {
        job->rdy[i] = (OS_EVENT *)0x1;
        job->msgs[i] = (void *)0x1;
    }
    job->timeout = 0u;
    job->flags = 0u;
    job->wait_type = 0u;
    job->err = 0xEEu;
    job->err2 = 0xEEu;
    job->msg = (void *)0x1;
    job->result = 0u;
    job->count = 0u;
    job->t_end = 0u;
    job->prio_seen = 0u;
    job->state = 0;
}

/* ---------------------------------------------------------------------------
 * Helper task bodies. Each returns when done, so the kernel deletes it
 * (OS_TaskReturn).
 * ------------------------------------------------------------------------- */
void job_sem_pend(void *p_arg)
{
    conf_job_t *job = (conf_job_t *)p_arg;

    job->state = 1;
    OSSemPend(job->ev, job->timeout, &job->err);
    job->t_end = OSTimeGet();
    job->state = 2;
}

void job_mbox_pend(void *p_arg)
{
    conf_job_t *job = (conf_job_t *)p_arg;

    job->state = 1;
    job->msg = OSMboxPend(job->ev, job->timeout, &job->err);
    job->t_end = OSTimeGet();
    job->state = 2;
}

void job_q_pend(void *p_arg)
{
    conf_job_t *job = (conf_job_t *)p_arg;

    job->state = 1;
    job->msg = OSQPend(job->ev, job->timeout, &job->err);
    job->t_end = OSTimeGet();
    job->state = 2;
}

void job_mutex_pend(void *p_arg)
{
    conf_job_t *job = (conf_job_t *)p_arg;

    job->state = 1;
    OSMutexPend(job->ev, job->timeout, &job->err);
    job->prio_seen = OSTCBCur->OSTCBPrio;
    if (job->err == OS_ERR_NONE) {
        job->err2 = OSMutexPost(job->ev);
    }
    job->t_end = OSTimeGet();
    job->state = 2;
}

void job_mutex_pend_hold(void *p_arg)
{
    conf_job_t *job = (conf_job_t *)p_arg;

    job->state = 1;
    OSMutexPend(job->ev, job->timeout, &job->err);
    job->prio_seen = OSTCBCur->OSTCBPrio;
    job->state = 2;
    /* Keep the mutex until asked to go. */
    while (OSTaskDelReq(OS_PRIO_SELF) != OS_ERR_TASK_DEL_REQ) {
        OSTimeDly(1u);
    }
    job->err2 = OSMutexPost(job->ev);
    job->state = 3;
}

void job_flag_pend(void *p_arg)
{
    conf_job_t *job = (conf_job_t *)p_arg;

    job->state = 1;
    job->result = OSFlagPend(job->grp, job->flags, job->wait_type, job->timeout, &job->err);
    job->flags = OSFlagPendGetFlagsRdy();
    job->t_end = OSTimeGet();
    job->state = 2;
}

void job_multi_pend(void *p_arg)
{
    conf_job_t *job = (conf_job_t *)p_arg;

    job->state = 1;
    job->count = OSEventPendMulti(job->evs, job->rdy, job->msgs, job->timeout, &job->err);
    job->t_end = OSTimeGet();
    job->state = 2;
}

void job_delay(void *p_arg)
{
    conf_job_t *job = (conf_job_t *)p_arg;

    job->state = 1;
    OSTimeDly(job->timeout);
    job->t_end = OSTimeGet();
    job->state = 2;
}

/* ---------------------------------------------------------------------------
 * Entry point
 * ------------------------------------------------------------------------- */
int ucos_conformance_run(void)
{
    conf_passed = 0u;
    conf_failed = 0u;

    printf("uC/OS-II conformance suite (kernel version %u)\n", (unsigned)OSVersion());
    if (OSStatRdy == OS_FALSE) {
        OSStatInit(); /* before any other task exists */
    }

    conf_test_core();
    conf_test_time();
    conf_test_task();
    conf_test_sem();
    conf_test_mbox();
    conf_test_q();
    conf_test_mutex();
    conf_test_multi();
    conf_test_event_names();
    conf_test_flag();
    conf_test_mem();
    conf_test_tmr();
    conf_test_stat();

    printf("%u passed, %u failed\n", conf_passed, conf_failed);
    return (int)conf_failed;
}
