/* SPDX-License-Identifier: MIT OR Apache-2.0 */
/*
 * ucvisor bundled µC/OS-II-compatible kernel — written for this project from the
 * documented V2.93.01 API.
 *
 * conf_tests_sync.c — semaphores, mailboxes, queues, mutexes, multi-pend and
 * event names.
 */
#include "conf_internal.h"

static int msg_a = 1;
static int msg_b = 2;
static int msg_c = 3;
static int msg_d = 4;

/* ---------------------------------------------------------------------------
 * Semaphores
 * ------------------------------------------------------------------------- */
void conf_test_sem(void)
{
    OS_EVENT *sem;
    OS_EVENT *mbox;
    OS_EVENT *evs[OS_MAX_EVENTS];
    OS_SEM_DATA data;
    conf_job_t job1;
    conf_job_t job2;
    INT8U err;
    INT32U t0;
    unsigned n;
    unsigned i;

    conf_case("sem: create, accept, post, query");
    sem = OSSemCreate(2u);
    CHECK(sem != (OS_EVENT *)0);
    CHECK_EQ(sem->OSEventType, OS_EVENT_TYPE_SEM);
    CHECK_EQ(OSSemAccept(sem), 2u); /* count before taking one */
    CHECK_EQ(OSSemAccept(sem), 1u);
    CHECK_EQ(OSSemAccept(sem), 0u);
    CHECK_EQ(OSSemAccept(sem), 0u);
    CHECK_ERR(OSSemPost(sem), OS_ERR_NONE);
    CHECK_ERR(OSSemQuery(sem, &data), OS_ERR_NONE);
    CHECK_EQ(data.OSCnt, 1u);
    CHECK_EQ(data.OSEventGrp, 0u);
    OSSemPend(sem, 0u, &err);
    CHECK_ERR(err, OS_ERR_NONE);
    CHECK_ERR(OSSemQuery(sem, (OS_SEM_DATA *)0), OS_ERR_PDATA_NULL);
    CHECK_ERR(OSSemQuery((OS_EVENT *)0, &data), OS_ERR_PEVENT_NULL);

    conf_case("sem: overflow and OSSemSet");
    OSSemSet(sem, 65535u, &err);
    CHECK_ERR(err, OS_ERR_NONE);
    CHECK_ERR(OSSemPost(sem), OS_ERR_SEM_OVF);
    OSSemSet(sem, 0u, &err);
    CHECK_ERR(err, OS_ERR_NONE);
    CHECK_EQ(sem->OSEventCnt, 0u);

    conf_case("sem: timeout");
    t0 = OSTimeGet();
    OSSemPend(sem, 7u, &err);
    CHECK_ERR(err, OS_ERR_TIMEOUT);
    CHECK_EQ(OSTimeGet() - t0, 7u);
    CHECK_EQ(sem->OSEventGrp, 0u);
    CHECK_EQ(OSTCBCur->OSTCBStat, OS_STAT_RDY);
    CHECK(OSTCBCur->OSTCBEventPtr == (OS_EVENT *)0);

    conf_case("sem: waiters woken by priority");
    conf_job_reset(&job1);
    conf_job_reset(&job2);
    job1.ev = sem;
    job2.ev = sem;
    CHECK_ERR(conf_spawn(8u, job_sem_pend, &job1), OS_ERR_NONE);
    CHECK_ERR(conf_spawn(7u, job_sem_pend, &job2), OS_ERR_NONE);
    CHECK_ERR(OSSemQuery(sem, &data), OS_ERR_NONE);
    CHECK_EQ(data.OSEventGrp, 0x03u); /* priority 7 in row 0, 8 in row 1 */
    CHECK_EQ(data.OSEventTbl[0], 1u << 7);
    CHECK_EQ(data.OSEventTbl[1], 1u << 0);
    OSSemSet(sem, 3u, &err);
    CHECK_ERR(err, OS_ERR_TASK_WAITING);
    CHECK_ERR(OSSemPost(sem), OS_ERR_NONE);
    CHECK_EQ(job2.state, 2); /* priority 7 first */
    CHECK_EQ(job1.state, 1);
    CHECK_ERR(OSSemPost(sem), OS_ERR_NONE);
    CHECK_EQ(job1.state, 2);
    CHECK_ERR(job1.err, OS_ERR_NONE);
    CHECK_ERR(job2.err, OS_ERR_NONE);

    conf_case("sem: post from an ISR");
    conf_job_reset(&job1);
    job1.ev = sem;
    CHECK_ERR(conf_spawn(12u, job_sem_pend, &job1), OS_ERR_NONE);
    OSTimeDly(1u);
    CHECK_EQ(job1.state, 1);
    CONF_ISR_ENTER();
    CHECK_ERR(OSSemPost(sem), OS_ERR_NONE); /* readies a lower-priority task */
    OSSemPend(sem, 0u, &err);
    CHECK_ERR(err, OS_ERR_PEND_ISR);
    CHECK(OSSemCreate(1u) == (OS_EVENT *)0);
    (void)OSSemDel(sem, OS_DEL_ALWAYS, &err);
    CHECK_ERR(err, OS_ERR_DEL_ISR);
    CONF_ISR_EXIT();
    CHECK_EQ(job1.state, 1);
    OSTimeDly(1u);
    CHECK_EQ(job1.state, 2);
    CHECK_ERR(job1.err, OS_ERR_NONE);

    conf_case("sem: pend abort");
    CHECK_EQ(OSSemPendAbort(sem, OS_PEND_OPT_NONE, &err), 0u);
    CHECK_ERR(err, OS_ERR_NONE);
    conf_job_reset(&job1);
    conf_job_reset(&job2);
    job1.ev = sem;
    job2.ev = sem;
    CHECK_ERR(conf_spawn(8u, job_sem_pend, &job1), OS_ERR_NONE);
    CHECK_ERR(conf_spawn(7u, job_sem_pend, &job2), OS_ERR_NONE);
    CHECK_EQ(OSSemPendAbort(sem, OS_PEND_OPT_NONE, &err), 1u);
    CHECK_ERR(err, OS_ERR_PEND_ABORT);
    CHECK_EQ(job2.state, 2);
    CHECK_ERR(job2.err, OS_ERR_PEND_ABORT);
    CHECK_EQ(job1.state, 1);
    conf_job_reset(&job2);
    job2.ev = sem;
    CHECK_ERR(conf_spawn(7u, job_sem_pend, &job2), OS_ERR_NONE);
    CHECK_EQ(OSSemPendAbort(sem, OS_PEND_OPT_BROADCAST, &err), 2u);
    CHECK_ERR(err, OS_ERR_PEND_ABORT);
    CHECK_ERR(job1.err, OS_ERR_PEND_ABORT);
    CHECK_ERR(job2.err, OS_ERR_PEND_ABORT);
    CHECK_EQ(sem->OSEventCnt, 0u);

    conf_case("sem: wrong type and NULL");
    mbox = OSMboxCreate((void *)0);
    CHECK(mbox != (OS_EVENT *)0);
    OSSemPend(mbox, 1u, &err);
    CHECK_ERR(err, OS_ERR_EVENT_TYPE);
    CHECK_ERR(OSSemPost(mbox), OS_ERR_EVENT_TYPE);
    CHECK_EQ(OSSemAccept(mbox), 0u);
    CHECK_ERR(OSSemQuery(mbox, &data), OS_ERR_EVENT_TYPE);
    OSSemSet(mbox, 1u, &err);
    CHECK_ERR(err, OS_ERR_EVENT_TYPE);
    (void)OSSemPendAbort(mbox, OS_PEND_OPT_NONE, &err);
    CHECK_ERR(err, OS_ERR_EVENT_TYPE);
    CHECK(OSSemDel(mbox, OS_DEL_ALWAYS, &err) == mbox);
    CHECK_ERR(err, OS_ERR_EVENT_TYPE);
    OSSemPend((OS_EVENT *)0, 1u, &err);
    CHECK_ERR(err, OS_ERR_PEVENT_NULL);
    CHECK_ERR(OSSemPost((OS_EVENT *)0), OS_ERR_PEVENT_NULL);
    CHECK(OSMboxDel(mbox, OS_DEL_NO_PEND, &err) == (OS_EVENT *)0);

    conf_case("sem: delete");
    conf_job_reset(&job1);
    job1.ev = sem;
    CHECK_ERR(conf_spawn(8u, job_sem_pend, &job1), OS_ERR_NONE);
    CHECK(OSSemDel(sem, OS_DEL_NO_PEND, &err) == sem);
    CHECK_ERR(err, OS_ERR_TASK_WAITING);
    CHECK(OSSemDel(sem, 7u, &err) == sem);
    CHECK_ERR(err, OS_ERR_INVALID_OPT);
    CHECK(OSSemDel(sem, OS_DEL_ALWAYS, &err) == (OS_EVENT *)0);
    CHECK_ERR(err, OS_ERR_NONE);
    CHECK_EQ(job1.state, 2);
    CHECK_ERR(job1.err, OS_ERR_PEND_ABORT);
    CHECK_EQ(sem->OSEventType, OS_EVENT_TYPE_UNUSED);
    CHECK_ERR(OSSemPost(sem), OS_ERR_EVENT_TYPE);

    conf_case("sem: event control blocks run out");
    n = 0u;
    for (i = 0u; i < OS_MAX_EVENTS; i++) {
        evs[i] = OSSemCreate(0u);
        if (evs[i] != (OS_EVENT *)0) {
            n++;
        }
    }
    CHECK_EQ(n, OS_MAX_EVENTS - 2u); /* the timer manager holds two */
    CHECK(evs[OS_MAX_EVENTS - 1u] == (OS_EVENT *)0);
    CHECK(OSMboxCreate((void *)0) == (OS_EVENT *)0);
    for (i = 0u; i < n; i++) {
        CHECK(OSSemDel(evs[i], OS_DEL_NO_PEND, &err) == (OS_EVENT *)0);
    }
}

/* ---------------------------------------------------------------------------
 * Mailboxes
 * ------------------------------------------------------------------------- */
void conf_test_mbox(void)
{
    OS_EVENT *mbox;
    OS_EVENT *sem;
    OS_MBOX_DATA data;
    conf_job_t job1;
    conf_job_t job2;
    INT8U err;
    INT32U t0;
    void *msg;

    conf_case("mbox: post, accept, query");
    mbox = OSMboxCreate(&msg_a);
    CHECK(mbox != (OS_EVENT *)0);
    CHECK_EQ(mbox->OSEventType, OS_EVENT_TYPE_MBOX);
    CHECK_ERR(OSMboxQuery(mbox, &data), OS_ERR_NONE);
    CHECK(data.OSMsg == &msg_a);
    CHECK_ERR(OSMboxPost(mbox, &msg_b), OS_ERR_MBOX_FULL);
    CHECK(OSMboxAccept(mbox) == &msg_a);
    CHECK(OSMboxAccept(mbox) == (void *)0);
    CHECK_ERR(OSMboxPost(mbox, (void *)0), OS_ERR_POST_NULL_PTR);
    CHECK_ERR(OSMboxPost(mbox, &msg_b), OS_ERR_NONE);
    msg = OSMboxPend(mbox, 0u, &err);
    CHECK_ERR(err, OS_ERR_NONE);
    CHECK(msg == &msg_b);
    CHECK_ERR(OSMboxQuery(mbox, (OS_MBOX_DATA *)0), OS_ERR_PDATA_NULL);
    CHECK_ERR(OSMboxPostOpt(mbox, (void *)0, OS_POST_OPT_NONE), OS_ERR_POST_NULL_PTR);
    CHECK_ERR(OSMboxPostOpt(mbox, &msg_c, OS_POST_OPT_NONE), OS_ERR_NONE);
    CHECK_ERR(OSMboxPostOpt(mbox, &msg_d, OS_POST_OPT_NONE), OS_ERR_MBOX_FULL);
    CHECK(OSMboxAccept(mbox) == &msg_c);

    conf_case("mbox: timeout");
    t0 = OSTimeGet();
    msg = OSMboxPend(mbox, 4u, &err);
    CHECK_ERR(err, OS_ERR_TIMEOUT);
    CHECK(msg == (void *)0);
    CHECK_EQ(OSTimeGet() - t0, 4u);
    CHECK_EQ(mbox->OSEventGrp, 0u);

    conf_case("mbox: hand-over and broadcast");
    conf_job_reset(&job1);
    job1.ev = mbox;
    CHECK_ERR(conf_spawn(7u, job_mbox_pend, &job1), OS_ERR_NONE);
    CHECK_ERR(OSMboxPost(mbox, &msg_a), OS_ERR_NONE);
    CHECK_EQ(job1.state, 2);
    CHECK(job1.msg == &msg_a);
    CHECK(mbox->OSEventPtr == (void *)0); /* handed over, not stored */
    conf_job_reset(&job1);
    conf_job_reset(&job2);
    job1.ev = mbox;
    job2.ev = mbox;
    CHECK_ERR(conf_spawn(7u, job_mbox_pend, &job1), OS_ERR_NONE);
    CHECK_ERR(conf_spawn(8u, job_mbox_pend, &job2), OS_ERR_NONE);
    CHECK_ERR(OSMboxPostOpt(mbox, &msg_b, OS_POST_OPT_BROADCAST | OS_POST_OPT_NO_SCHED), OS_ERR_NONE);
    CHECK_EQ(job1.state, 1); /* readied but not scheduled yet */
    CHECK_EQ(job2.state, 1);
    OSTimeDly(1u);
    CHECK_EQ(job1.state, 2);
    CHECK_EQ(job2.state, 2);
    CHECK(job1.msg == &msg_b);
    CHECK(job2.msg == &msg_b);

    conf_case("mbox: pend abort and delete");
    CHECK_EQ(OSMboxPendAbort(mbox, OS_PEND_OPT_NONE, &err), 0u);
    CHECK_ERR(err, OS_ERR_NONE);
    conf_job_reset(&job1);
    job1.ev = mbox;
    CHECK_ERR(conf_spawn(7u, job_mbox_pend, &job1), OS_ERR_NONE);
    CHECK_EQ(OSMboxPendAbort(mbox, OS_PEND_OPT_BROADCAST, &err), 1u);
    CHECK_ERR(err, OS_ERR_PEND_ABORT);
    CHECK_ERR(job1.err, OS_ERR_PEND_ABORT);
    CHECK(job1.msg == (void *)0);
    conf_job_reset(&job1);
    job1.ev = mbox;
    CHECK_ERR(conf_spawn(7u, job_mbox_pend, &job1), OS_ERR_NONE);
    CHECK(OSMboxDel(mbox, OS_DEL_NO_PEND, &err) == mbox);
    CHECK_ERR(err, OS_ERR_TASK_WAITING);
    CHECK(OSMboxDel(mbox, OS_DEL_ALWAYS, &err) == (OS_EVENT *)0);
    CHECK_ERR(err, OS_ERR_NONE);
    CHECK_ERR(job1.err, OS_ERR_PEND_ABORT);

    conf_case("mbox: errors");
    sem = OSSemCreate(0u);
    (void)OSMboxPend(sem, 1u, &err);
    CHECK_ERR(err, OS_ERR_EVENT_TYPE);
    CHECK_ERR(OSMboxPost(sem, &msg_a), OS_ERR_EVENT_TYPE);
    CHECK(OSMboxAccept(sem) == (void *)0);
    CHECK_ERR(OSMboxPost((OS_EVENT *)0, &msg_a), OS_ERR_PEVENT_NULL);
    (void)OSMboxPend((OS_EVENT *)0, 1u, &err);
    CHECK_ERR(err, OS_ERR_PEVENT_NULL);
    mbox = OSMboxCreate((void *)0);
    CONF_ISR_ENTER();
    (void)OSMboxPend(mbox, 1u, &err);
    CHECK_ERR(err, OS_ERR_PEND_ISR);
    CHECK_ERR(OSMboxPost(mbox, &msg_a), OS_ERR_NONE);
    CHECK(OSMboxCreate((void *)0) == (OS_EVENT *)0);
    CONF_ISR_EXIT();
    OSSchedLock();
    (void)OSMboxPend(mbox, 1u, &err);
    CHECK_ERR(err, OS_ERR_PEND_LOCKED);
    OSSchedUnlock();
    CHECK(OSMboxDel(mbox, OS_DEL_NO_PEND, &err) == (OS_EVENT *)0);
    CHECK(OSSemDel(sem, OS_DEL_NO_PEND, &err) == (OS_EVENT *)0);
}

/* ---------------------------------------------------------------------------
 * Queues
 * ------------------------------------------------------------------------- */
void conf_test_q(void)
{
    void *slots[4];
    void *slots2[2];
    OS_EVENT *q;
    OS_EVENT *qs[OS_MAX_QS + 1u];
    OS_Q_DATA data;
    conf_job_t job1;
    conf_job_t job2;
    INT8U err;
    INT32U t0;
    void *msg;
    unsigned i;

    conf_case("q: FIFO, full, query");
    q = OSQCreate(&slots[0], 4u);
    CHECK(q != (OS_EVENT *)0);
    CHECK_EQ(q->OSEventType, OS_EVENT_TYPE_Q);
    CHECK(OSQAccept(q, &err) == (void *)0);
    CHECK_ERR(err, OS_ERR_Q_EMPTY);
    CHECK_ERR(OSQPost(q, &msg_a), OS_ERR_NONE);
    CHECK_ERR(OSQPost(q, &msg_b), OS_ERR_NONE);
    CHECK_ERR(OSQPost(q, &msg_c), OS_ERR_NONE);
    CHECK_ERR(OSQPost(q, &msg_d), OS_ERR_NONE);
    CHECK_ERR(OSQPost(q, &msg_a), OS_ERR_Q_FULL);
    CHECK_ERR(OSQPostFront(q, &msg_a), OS_ERR_Q_FULL);
    CHECK_ERR(OSQQuery(q, &data), OS_ERR_NONE);
    CHECK_EQ(data.OSNMsgs, 4u);
    CHECK_EQ(data.OSQSize, 4u);
    CHECK(data.OSMsg == &msg_a);
    CHECK(OSQAccept(q, &err) == &msg_a);
    CHECK(OSQPend(q, 0u, &err) == &msg_b);
    CHECK(OSQAccept(q, &err) == &msg_c);
    CHECK(OSQAccept(q, &err) == &msg_d);
    CHECK_ERR(err, OS_ERR_NONE);
    CHECK_ERR(OSQQuery(q, &data), OS_ERR_NONE);
    CHECK_EQ(data.OSNMsgs, 0u);
    CHECK(data.OSMsg == (void *)0);

    conf_case("q: post front (LIFO) and wrap-around");
    CHECK_ERR(OSQPost(q, &msg_a), OS_ERR_NONE);
    CHECK_ERR(OSQPostFront(q, &msg_b), OS_ERR_NONE);
    CHECK_ERR(OSQPostOpt(q, &msg_c, OS_POST_OPT_FRONT), OS_ERR_NONE);
    CHECK_ERR(OSQPostOpt(q, &msg_d, OS_POST_OPT_NONE), OS_ERR_NONE);
    CHECK(OSQAccept(q, &err) == &msg_c);
    CHECK(OSQAccept(q, &err) == &msg_b);
    CHECK(OSQAccept(q, &err) == &msg_a);
    CHECK(OSQAccept(q, &err) == &msg_d);
    CHECK(OSQAccept(q, &err) == (void *)0);

    conf_case("q: flush");
    CHECK_ERR(OSQPost(q, &msg_a), OS_ERR_NONE);
    CHECK_ERR(OSQPost(q, &msg_b), OS_ERR_NONE);
    CHECK_ERR(OSQFlush(q), OS_ERR_NONE);
    CHECK(OSQAccept(q, &err) == (void *)0);
    CHECK_ERR(err, OS_ERR_Q_EMPTY);
    CHECK_ERR(OSQFlush((OS_EVENT *)0), OS_ERR_PEVENT_NULL);

    conf_case("q: timeout and hand-over");
    t0 = OSTimeGet();
    msg = OSQPend(q, 6u, &err);
    CHECK_ERR(err, OS_ERR_TIMEOUT);
    CHECK(msg == (void *)0);
    CHECK_EQ(OSTimeGet() - t0, 6u);
    conf_job_reset(&job1);
    job1.ev = q;
    CHECK_ERR(conf_spawn(7u, job_q_pend, &job1), OS_ERR_NONE);
    CHECK_ERR(OSQQuery(q, &data), OS_ERR_NONE);
    CHECK_EQ(data.OSEventGrp, 1u);
    CHECK_EQ(data.OSEventTbl[0], 1u << 7);
    CHECK_ERR(OSQPost(q, &msg_c), OS_ERR_NONE);
    CHECK_EQ(job1.state, 2);
    CHECK(job1.msg == &msg_c);
    CHECK_EQ(((OS_Q *)q->OSEventPtr)->OSQEntries, 0u);
    conf_job_reset(&job1);
    conf_job_reset(&job2);
    job1.ev = q;
    job2.ev = q;
    CHECK_ERR(conf_spawn(7u, job_q_pend, &job1), OS_ERR_NONE);
    CHECK_ERR(conf_spawn(8u, job_q_pend, &job2), OS_ERR_NONE);
    CHECK_ERR(OSQPostOpt(q, &msg_d, OS_POST_OPT_BROADCAST), OS_ERR_NONE);
    CHECK(job1.msg == &msg_d);
    CHECK(job2.msg == &msg_d);

    conf_case("q: pend abort, errors, delete");
    conf_job_reset(&job1);
    job1.ev = q;
    CHECK_ERR(conf_spawn(7u, job_q_pend, &job1), OS_ERR_NONE);
    CHECK_EQ(OSQPendAbort(q, OS_PEND_OPT_NONE, &err), 1u);
    CHECK_ERR(err, OS_ERR_PEND_ABORT);
    CHECK_ERR(job1.err, OS_ERR_PEND_ABORT);
    CONF_ISR_ENTER();
    (void)OSQPend(q, 1u, &err);
    CHECK_ERR(err, OS_ERR_PEND_ISR);
    CHECK(OSQCreate(&slots2[0], 2u) == (OS_EVENT *)0);
    CONF_ISR_EXIT();
    (void)OSQPend((OS_EVENT *)0, 1u, &err);
    CHECK_ERR(err, OS_ERR_PEVENT_NULL);
    CHECK_ERR(OSQPost((OS_EVENT *)0, &msg_a), OS_ERR_PEVENT_NULL);
    CHECK_ERR(OSQQuery(q, (OS_Q_DATA *)0), OS_ERR_PDATA_NULL);
    conf_job_reset(&job1);
    job1.ev = q;
    CHECK_ERR(conf_spawn(7u, job_q_pend, &job1), OS_ERR_NONE);
    CHECK(OSQDel(q, OS_DEL_NO_PEND, &err) == q);
    CHECK_ERR(err, OS_ERR_TASK_WAITING);
    CHECK(OSQDel(q, OS_DEL_ALWAYS, &err) == (OS_EVENT *)0);
    CHECK_ERR(err, OS_ERR_NONE);
    CHECK_ERR(job1.err, OS_ERR_PEND_ABORT);
    CHECK_ERR(OSQPost(q, &msg_a), OS_ERR_EVENT_TYPE);

    conf_case("q: queue control blocks run out");
    for (i = 0u; i <= OS_MAX_QS; i++) {
        qs[i] = OSQCreate(&slots2[0], 2u);
    }
    for (i = 0u; i < OS_MAX_QS; i++) {
        CHECK(qs[i] != (OS_EVENT *)0);
    }
    CHECK(qs[OS_MAX_QS] == (OS_EVENT *)0);
    for (i = 0u; i < OS_MAX_QS; i++) {
        CHECK(OSQDel(qs[i], OS_DEL_NO_PEND, &err) == (OS_EVENT *)0);
    }
    q = OSQCreate(&slots2[0], 2u); /* blocks went back to their free lists */
    CHECK(q != (OS_EVENT *)0);
    CHECK(OSQDel(q, OS_DEL_NO_PEND, &err) == (OS_EVENT *)0);
}

/* ---------------------------------------------------------------------------
 * Mutexes
 * ------------------------------------------------------------------------- */
void conf_test_mutex(void)
{
    OS_EVENT *mtx;
    OS_EVENT *sem;
    OS_MUTEX_DATA data;
    conf_job_t job1;
    conf_job_t job2;
    INT8U err;
    INT32U t0;

    conf_case("mutex: create errors");
    CHECK(OSMutexCreate(OS_LOWEST_PRIO, &err) == (OS_EVENT *)0);
    CHECK_ERR(err, OS_ERR_PRIO_INVALID);
    CHECK(OSMutexCreate(CONF_MAIN_PRIO, &err) == (OS_EVENT *)0);
    CHECK_ERR(err, OS_ERR_PRIO_EXIST);
    CONF_ISR_ENTER();
    CHECK(OSMutexCreate(4u, &err) == (OS_EVENT *)0);
    CHECK_ERR(err, OS_ERR_CREATE_ISR);
    CONF_ISR_EXIT();

    conf_case("mutex: ceiling reserves its priority");
    mtx = OSMutexCreate(4u, &err);
    CHECK_ERR(err, OS_ERR_NONE);
    CHECK(mtx != (OS_EVENT *)0);
    CHECK(OSTCBPrioTbl[4] == OS_TCB_RESERVED);
    CHECK(OSMutexCreate(4u, &err) == (OS_EVENT *)0);
    CHECK_ERR(err, OS_ERR_PRIO_EXIST);
    CHECK_ERR(conf_spawn(4u, job_delay, &job1), OS_ERR_PRIO_EXIST);
    CHECK_ERR(OSTaskChangePrio(4u, 20u), OS_ERR_TASK_NOT_EXIST);
    CHECK_ERR(OSTaskDel(4u), OS_ERR_TASK_DEL);
    CHECK_ERR(OSMutexQuery(mtx, &data), OS_ERR_NONE);
    CHECK_EQ(data.OSValue, OS_TRUE);
    CHECK_EQ(data.OSMutexPCP, 4u);
    CHECK_EQ(data.OSOwnerPrio, 0xFFu);

    conf_case("mutex: ceiling raise and restore");
    OSMutexPend(mtx, 0u, &err);
    CHECK_ERR(err, OS_ERR_NONE);
    CHECK_ERR(OSMutexQuery(mtx, &data), OS_ERR_NONE);
    CHECK_EQ(data.OSValue, OS_FALSE);
    CHECK_EQ(data.OSOwnerPrio, CONF_MAIN_PRIO);
    CHECK(mtx->OSEventPtr == (void *)OSTCBCur);
    conf_job_reset(&job1);
    job1.ev = mtx;
    CHECK_ERR(conf_spawn(6u, job_mutex_pend, &job1), OS_ERR_NONE);
    CHECK_EQ(job1.state, 1);
    CHECK_EQ(OSTCBCur->OSTCBPrio, 4u); /* raised to the ceiling */
    CHECK(OSTCBPrioTbl[4] == OSTCBCur);
    CHECK(OSTCBPrioTbl[CONF_MAIN_PRIO] == OSTCBCur);
    CHECK_ERR(OSMutexQuery(mtx, &data), OS_ERR_NONE);
    CHECK_EQ(data.OSEventGrp, 1u);
    CHECK_EQ(data.OSEventTbl[0], 1u << 6);
    CHECK_ERR(OSMutexPost(mtx), OS_ERR_NONE);
    CHECK_EQ(OSTCBCur->OSTCBPrio, CONF_MAIN_PRIO); /* back down */
    CHECK_EQ(OSPrioCur, CONF_MAIN_PRIO);
    CHECK_EQ(job1.state, 2); /* it got the mutex and ran */
    CHECK_ERR(job1.err, OS_ERR_NONE);
    CHECK_ERR(job1.err2, OS_ERR_NONE);
    CHECK_EQ(job1.prio_seen, 6u);
    CHECK(OSTCBPrioTbl[4] == OS_TCB_RESERVED);
    CHECK_ERR(OSMutexQuery(mtx, &data), OS_ERR_NONE);
    CHECK_EQ(data.OSValue, OS_TRUE);

    conf_case("mutex: raise of a delayed low-priority owner");
    conf_job_reset(&job2);
    job2.ev = mtx;
    CHECK_ERR(conf_spawn(20u, job_mutex_pend_hold, &job2), OS_ERR_NONE);
    OSTimeDly(1u);
    CHECK_EQ(job2.state, 2);
    CHECK_EQ(job2.prio_seen, 20u);
    CHECK_ERR(OSTaskDelReq(20u), OS_ERR_NONE);
    t0 = OSTimeGet();
    OSMutexPend(mtx, 0u, &err); /* owner raised to 4, wakes, sees the request, posts */
    CHECK_ERR(err, OS_ERR_NONE);
    CHECK_EQ(job2.state, 2); /* handed over: we preempted it inside its post */
    CHECK(mtx->OSEventPtr == (void *)OSTCBCur);
    CHECK_ERR(OSMutexPost(mtx), OS_ERR_NONE);
    conf_wait_gone(20u);
    CHECK_EQ(job2.state, 3);
    CHECK_ERR(job2.err2, OS_ERR_NONE);
    (void)t0;

    conf_case("mutex: not owner, ISR, accept");
    conf_job_reset(&job2);
    job2.ev = mtx;
    CHECK_ERR(conf_spawn(7u, job_mutex_pend_hold, &job2), OS_ERR_NONE);
    CHECK_EQ(job2.state, 2);
    CHECK_ERR(OSMutexPost(mtx), OS_ERR_NOT_MUTEX_OWNER);
    CHECK_EQ(OSMutexAccept(mtx, &err), OS_FALSE);
    CHECK_ERR(err, OS_ERR_NONE);
    t0 = OSTimeGet();
    OSMutexPend(mtx, 5u, &err);
    CHECK_ERR(err, OS_ERR_TIMEOUT);
    CHECK_EQ(OSTimeGet() - t0, 5u);
    CHECK_EQ(mtx->OSEventGrp, 0u);
    CHECK_ERR(OSTaskDelReq(7u), OS_ERR_NONE);
    conf_wait_gone(7u);
    CHECK_ERR(job2.err2, OS_ERR_NONE);
    CONF_ISR_ENTER();
    CHECK_ERR(OSMutexPost(mtx), OS_ERR_POST_ISR);
    OSMutexPend(mtx, 0u, &err);
    CHECK_ERR(err, OS_ERR_PEND_ISR);
    CHECK_EQ(OSMutexAccept(mtx, &err), OS_FALSE);
    CHECK_ERR(err, OS_ERR_PEND_ISR);
    CHECK_ERR(OSMutexQuery(mtx, &data), OS_ERR_QUERY_ISR);
    CONF_ISR_EXIT();
    CHECK_EQ(OSMutexAccept(mtx, &err), OS_TRUE);
    CHECK_ERR(err, OS_ERR_NONE);
    CHECK_ERR(OSMutexPost(mtx), OS_ERR_NONE);

    conf_case("mutex: ceiling not above the owner (PCP_LOWER)");
    OSMutexPend((OS_EVENT *)0, 0u, &err);
    CHECK_ERR(err, OS_ERR_PEVENT_NULL);
    sem = OSSemCreate(1u);
    OSMutexPend(sem, 0u, &err);
    CHECK_ERR(err, OS_ERR_EVENT_TYPE);
    CHECK_ERR(OSMutexPost(sem), OS_ERR_EVENT_TYPE);
    CHECK(OSMutexDel(mtx, OS_DEL_NO_PEND, &err) == (OS_EVENT *)0);
    CHECK_ERR(err, OS_ERR_NONE);
    CHECK(OSTCBPrioTbl[4] == (OS_TCB *)0); /* ceiling released */
    mtx = OSMutexCreate(12u, &err);
    CHECK_ERR(err, OS_ERR_NONE);
    OSMutexPend(mtx, 0u, &err);
    CHECK_ERR(err, OS_ERR_PCP_LOWER); /* still acquired */
    CHECK(mtx->OSEventPtr == (void *)OSTCBCur);
    CHECK_EQ(OSTCBCur->OSTCBPrio, CONF_MAIN_PRIO);
    CHECK_ERR(OSMutexPost(mtx), OS_ERR_NONE);
    CHECK_EQ(OSMutexAccept(mtx, &err), OS_TRUE);
    CHECK_ERR(err, OS_ERR_PCP_LOWER);
    CHECK_ERR(OSMutexPost(mtx), OS_ERR_NONE);
    CHECK(OSMutexDel(mtx, OS_DEL_NO_PEND, &err) == (OS_EVENT *)0);

    conf_case("mutex: ceiling disabled");
    mtx = OSMutexCreate(OS_PRIO_MUTEX_CEIL_DIS, &err);
    CHECK_ERR(err, OS_ERR_NONE);
    OSMutexPend(mtx, 0u, &err);
    CHECK_ERR(err, OS_ERR_NONE);
    conf_job_reset(&job1);
    job1.ev = mtx;
    CHECK_ERR(conf_spawn(6u, job_mutex_pend, &job1), OS_ERR_NONE);
    CHECK_EQ(OSTCBCur->OSTCBPrio, CONF_MAIN_PRIO); /* no raise */
    CHECK_ERR(OSMutexQuery(mtx, &data), OS_ERR_NONE);
    CHECK_EQ(data.OSMutexPCP, OS_PRIO_MUTEX_CEIL_DIS);
    CHECK_ERR(OSMutexPost(mtx), OS_ERR_NONE);
    CHECK_EQ(job1.state, 2);
    CHECK_ERR(job1.err, OS_ERR_NONE);

    conf_case("mutex: delete");
    OSMutexPend(mtx, 0u, &err);
    conf_job_reset(&job1);
    job1.ev = mtx;
    CHECK_ERR(conf_spawn(6u, job_mutex_pend, &job1), OS_ERR_NONE);
    CHECK(OSMutexDel(mtx, OS_DEL_NO_PEND, &err) == mtx);
    CHECK_ERR(err, OS_ERR_TASK_WAITING);
    CHECK(OSMutexDel(mtx, 9u, &err) == mtx);
    CHECK_ERR(err, OS_ERR_INVALID_OPT);
    CONF_ISR_ENTER();
    CHECK(OSMutexDel(mtx, OS_DEL_ALWAYS, &err) == mtx);
    CHECK_ERR(err, OS_ERR_DEL_ISR);
    CONF_ISR_EXIT();
    CHECK(OSMutexDel(mtx, OS_DEL_ALWAYS, &err) == (OS_EVENT *)0);
    CHECK_ERR(err, OS_ERR_NONE);
    CHECK_EQ(job1.state, 2);
    CHECK_ERR(job1.err, OS_ERR_PEND_ABORT);
    mtx = OSMutexCreate(5u, &err);
    OSMutexPend(mtx, 0u, &err);
    conf_job_reset(&job1);
    job1.ev = mtx;
    CHECK_ERR(conf_spawn(7u, job_mutex_pend, &job1), OS_ERR_NONE);
    CHECK_EQ(OSTCBCur->OSTCBPrio, 5u);
    CHECK(OSMutexDel(mtx, OS_DEL_ALWAYS, &err) == (OS_EVENT *)0);
    CHECK_EQ(OSTCBCur->OSTCBPrio, CONF_MAIN_PRIO); /* raise undone */
    CHECK(OSTCBPrioTbl[5] == (OS_TCB *)0);
    CHECK_ERR(job1.err, OS_ERR_PEND_ABORT);
    CHECK(OSSemDel(sem, OS_DEL_NO_PEND, &err) == (OS_EVENT *)0);
}

/* ---------------------------------------------------------------------------
 * OSEventPendMulti
 * ------------------------------------------------------------------------- */
void conf_test_multi(void)
{
    void *slots[4];
    OS_EVENT *sem;
    OS_EVENT *mbox;
    OS_EVENT *q;
    OS_EVENT *mtx;
    OS_EVENT *list[4];
    OS_EVENT *bad[3];
    OS_EVENT *rdy[4];
    void *msgs[4];
    conf_job_t job;
    INT8U err;
    INT16U n;
    INT32U t0;

    sem = OSSemCreate(0u);
    mbox = OSMboxCreate((void *)0);
    q = OSQCreate(&slots[0], 4u);
    list[0] = sem;
    list[1] = mbox;
    list[2] = q;
    list[3] = (OS_EVENT *)0;

    conf_case("multi: events already available");
    CHECK_ERR(OSMboxPost(mbox, &msg_a), OS_ERR_NONE);
    n = OSEventPendMulti(list, rdy, msgs, 0u, &err);
    CHECK_ERR(err, OS_ERR_NONE);
    CHECK_EQ(n, 1u);
    CHECK(rdy[0] == mbox);
    CHECK(msgs[0] == &msg_a);
    CHECK(rdy[1] == (OS_EVENT *)0);
    CHECK_ERR(OSSemPost(sem), OS_ERR_NONE);
    CHECK_ERR(OSQPost(q, &msg_b), OS_ERR_NONE);
    n = OSEventPendMulti(list, rdy, msgs, 0u, &err);
    CHECK_EQ(n, 2u);
    CHECK(rdy[0] == sem);
    CHECK(msgs[0] == (void *)0);
    CHECK(rdy[1] == q);
    CHECK(msgs[1] == &msg_b);
    CHECK(rdy[2] == (OS_EVENT *)0);
    CHECK_EQ(sem->OSEventCnt, 0u);

    conf_case("multi: timeout");
    t0 = OSTimeGet();
    n = OSEventPendMulti(list, rdy, msgs, 8u, &err);
    CHECK_ERR(err, OS_ERR_TIMEOUT);
    CHECK_EQ(n, 0u);
    CHECK_EQ(OSTimeGet() - t0, 8u);
    CHECK(rdy[0] == (OS_EVENT *)0);
    CHECK_EQ(sem->OSEventGrp, 0u);
    CHECK_EQ(mbox->OSEventGrp, 0u);
    CHECK_EQ(q->OSEventGrp, 0u);

    conf_case("multi: woken by one event");
    conf_job_reset(&job);
    job.evs = list;
    CHECK_ERR(conf_spawn(6u, job_multi_pend, &job), OS_ERR_NONE);
    CHECK_EQ(job.state, 1);
    CHECK_EQ(OSTCBPrioTbl[6]->OSTCBStat, OS_STAT_SEM | OS_STAT_MBOX | OS_STAT_Q | OS_STAT_MULTI);
    CHECK(sem->OSEventGrp != 0u);
    CHECK(q->OSEventGrp != 0u);
    CHECK_ERR(OSQPost(q, &msg_c), OS_ERR_NONE);
    CHECK_EQ(job.state, 2);
    CHECK_ERR(job.err, OS_ERR_NONE);
    CHECK_EQ(job.count, 1u);
    CHECK(job.rdy[0] == q);
    CHECK(job.msgs[0] == &msg_c);
    CHECK(job.rdy[1] == (OS_EVENT *)0);
    CHECK_EQ(sem->OSEventGrp, 0u); /* removed from every list */
    CHECK_EQ(mbox->OSEventGrp, 0u);
    conf_job_reset(&job);
    job.evs = list;
    CHECK_ERR(conf_spawn(6u, job_multi_pend, &job), OS_ERR_NONE);
    CHECK_ERR(OSSemPost(sem), OS_ERR_NONE);
    CHECK_EQ(job.count, 1u);
    CHECK(job.rdy[0] == sem);
    CHECK(job.msgs[0] == (void *)0);
    CHECK_EQ(sem->OSEventCnt, 0u);

    conf_case("multi: pend abort");
    conf_job_reset(&job);
    job.evs = list;
    CHECK_ERR(conf_spawn(6u, job_multi_pend, &job), OS_ERR_NONE);
    CHECK_EQ(OSMboxPendAbort(mbox, OS_PEND_OPT_NONE, &err), 1u);
    CHECK_EQ(job.state, 2);
    CHECK_ERR(job.err, OS_ERR_PEND_ABORT);
    CHECK_EQ(job.count, 1u);
    CHECK(job.rdy[0] == mbox);
    CHECK(job.msgs[0] == (void *)0);
    CHECK_EQ(q->OSEventGrp, 0u);

    conf_case("multi: errors");
    mtx = OSMutexCreate(OS_PRIO_MUTEX_CEIL_DIS, &err);
    bad[0] = sem;
    bad[1] = mtx;
    bad[2] = (OS_EVENT *)0;
    n = OSEventPendMulti(bad, rdy, msgs, 1u, &err);
    CHECK_ERR(err, OS_ERR_EVENT_TYPE);
    CHECK_EQ(n, 0u);
    (void)OSEventPendMulti((OS_EVENT **)0, rdy, msgs, 1u, &err);
    CHECK_ERR(err, OS_ERR_PEVENT_NULL);
    (void)OSEventPendMulti(list, (OS_EVENT **)0, msgs, 1u, &err);
    CHECK_ERR(err, OS_ERR_PEVENT_NULL);
    (void)OSEventPendMulti(list, rdy, (void **)0, 1u, &err);
    CHECK_ERR(err, OS_ERR_PEVENT_NULL);
    CONF_ISR_ENTER();
    (void)OSEventPendMulti(list, rdy, msgs, 1u, &err);
    CHECK_ERR(err, OS_ERR_PEND_ISR);
    CONF_ISR_EXIT();
    OSSchedLock();
    (void)OSEventPendMulti(list, rdy, msgs, 1u, &err);
    CHECK_ERR(err, OS_ERR_PEND_LOCKED);
    OSSchedUnlock();

    (void)OSMutexDel(mtx, OS_DEL_ALWAYS, &err);
    (void)OSSemDel(sem, OS_DEL_ALWAYS, &err);
    (void)OSMboxDel(mbox, OS_DEL_ALWAYS, &err);
    (void)OSQDel(q, OS_DEL_ALWAYS, &err);
    CHECK_ERR(err, OS_ERR_NONE);
}

/* ---------------------------------------------------------------------------
 * Event names
 * ------------------------------------------------------------------------- */
void conf_test_event_names(void)
{
    OS_EVENT *sem;
    INT8U *name;
    INT8U err;
    INT8U len;

    conf_case("event names");
    sem = OSSemCreate(0u);
    len = OSEventNameGet(sem, &name, &err);
    CHECK_ERR(err, OS_ERR_NONE);
    CHECK_EQ(len, 1u);
    CHECK(conf_streq(name, "?"));
    OSEventNameSet(sem, (INT8U *)(void *)"lock sem", &err);
    CHECK_ERR(err, OS_ERR_NONE);
    len = OSEventNameGet(sem, &name, &err);
    CHECK_EQ(len, 8u);
    CHECK(conf_streq(name, "lock sem"));
    OSEventNameSet((OS_EVENT *)0, (INT8U *)(void *)"x", &err);
    CHECK_ERR(err, OS_ERR_PEVENT_NULL);
    OSEventNameSet(sem, (INT8U *)0, &err);
    CHECK_ERR(err, OS_ERR_PNAME_NULL);
    (void)OSEventNameGet(sem, (INT8U **)0, &err);
    CHECK_ERR(err, OS_ERR_PNAME_NULL);
    CONF_ISR_ENTER();
    OSEventNameSet(sem, (INT8U *)(void *)"x", &err);
    CHECK_ERR(err, OS_ERR_NAME_SET_ISR);
    (void)OSEventNameGet(sem, &name, &err);
    CHECK_ERR(err, OS_ERR_NAME_GET_ISR);
    CONF_ISR_EXIT();
    CHECK(OSSemDel(sem, OS_DEL_NO_PEND, &err) == (OS_EVENT *)0);
    (void)OSEventNameGet(sem, &name, &err);
    CHECK_ERR(err, OS_ERR_EVENT_TYPE); /* unused block */
}
