/* SPDX-License-Identifier: MIT OR Apache-2.0 */
/*
 * ucvisor bundled µC/OS-II-compatible kernel — written for this project from the
 * documented V2.93.01 API.
 *
 * conf_tests_task.c — core, time and task services.
 */
#include <stddef.h>

#include "conf_internal.h"

static volatile int flag_ran;
static OS_STK ext_stk[CONF_STK_SIZE];
static int ext_data;
static volatile INT32U reg_seen;

static void task_set_flag(void *p_arg)
{
    (void)p_arg;
    flag_ran++;
}

static void task_suspend_self(void *p_arg)
{
    (void)p_arg;
    flag_ran = 1;
    (void)OSTaskSuspend(OS_PRIO_SELF);
    flag_ran = 2;
}

static void task_loop_delay(void *p_arg)
{
    (void)p_arg;
    for (;;) {
        flag_ran++;
        OSTimeDly(1u);
    }
}

static void task_del_req(void *p_arg)
{
    (void)p_arg;
    flag_ran = 1;
    while (OSTaskDelReq(OS_PRIO_SELF) != OS_ERR_TASK_DEL_REQ) {
        OSTimeDly(1u);
    }
    flag_ran = 2;
    (void)OSTaskDel(OS_PRIO_SELF);
    flag_ran = 3; /* never reached */
}

static void task_reg(void *p_arg)
{
    INT8U err;

    (void)p_arg;
    OSTaskRegSet(OS_PRIO_SELF, 0u, 0x1234u, &err);
    reg_seen = OSTaskRegGet(OS_PRIO_SELF, 0u, &err);
    OSTimeDly(1000u);
}

/* ---------------------------------------------------------------------------
 * Core
 * ------------------------------------------------------------------------- */
void conf_test_core(void)
{
    INT8U *name;
    INT8U err;
    INT8U len;
    INT32U sw;

    conf_case("core: version, running state, globals");
    CHECK_EQ(OSVersion(), 29300u);
    CHECK_EQ(OS_VERSION, 29300u);
    CHECK_EQ(OSRunning, OS_TRUE);
    CHECK_EQ(OSIntNesting, 0u);
    CHECK_EQ(OSLockNesting, 0u);
    CHECK_EQ(OSPrioCur, CONF_MAIN_PRIO);
    CHECK_EQ(OSTCBCur->OSTCBPrio, CONF_MAIN_PRIO);
    CHECK(OSTCBCur == OSTCBPrioTbl[CONF_MAIN_PRIO]);
    CHECK_EQ(offsetof(OS_TCB, OSTCBStkPtr), 0u);
    CHECK(OSTaskCtr >= 4u); /* idle, statistics, timer and this task */
    CHECK(OSTCBPrioTbl[OS_TASK_IDLE_PRIO] != (OS_TCB *)0);
    CHECK(OSTCBPrioTbl[OS_TASK_STAT_PRIO] != (OS_TCB *)0);
    CHECK(OSTCBPrioTbl[OS_TASK_TMR_PRIO] != (OS_TCB *)0);
    CHECK_EQ(OSTCBPrioTbl[OS_TASK_IDLE_PRIO]->OSTCBId, OS_TASK_IDLE_ID);
    CHECK_EQ(OSTCBPrioTbl[OS_TASK_STAT_PRIO]->OSTCBId, OS_TASK_STAT_ID);
    CHECK_EQ(OSTCBPrioTbl[OS_TASK_TMR_PRIO]->OSTCBId, OS_TASK_TMR_ID);
    CHECK_EQ(OSUnMapTbl[0x00], 0u);
    CHECK_EQ(OSUnMapTbl[0x80], 7u);
    CHECK_EQ(OSUnMapTbl[0x0C], 2u);
    CHECK_EQ(OSUnMapTbl[0xFF], 0u);
    CHECK((OSRdyGrp & OSTCBCur->OSTCBBitY) != 0u);
    CHECK((OSRdyTbl[OSTCBCur->OSTCBY] & OSTCBCur->OSTCBBitX) != 0u);
    CHECK_EQ(OSTCBCur->OSTCBY, CONF_MAIN_PRIO >> 3u);
    CHECK_EQ(OSTCBCur->OSTCBX, CONF_MAIN_PRIO & 7u);

    conf_case("core: system task names");
    len = OSTaskNameGet(OS_TASK_IDLE_PRIO, &name, &err);
    CHECK_ERR(err, OS_ERR_NONE);
    CHECK(conf_streq(name, "uC/OS-II Idle"));
    CHECK_EQ(len, 13u);
    (void)OSTaskNameGet(OS_TASK_STAT_PRIO, &name, &err);
    CHECK(conf_streq(name, "uC/OS-II Stat"));
    (void)OSTaskNameGet(OS_TASK_TMR_PRIO, &name, &err);
    CHECK(conf_streq(name, "uC/OS-II Tmr"));

    conf_case("core: interrupt nesting");
    CONF_ISR_ENTER();
    CHECK_EQ(OSIntNesting, 1u);
    CONF_ISR_ENTER();
    CHECK_EQ(OSIntNesting, 2u);
    OSSchedLock(); /* ignored inside an ISR */
    CHECK_EQ(OSLockNesting, 0u);
    CONF_ISR_EXIT();
    CHECK_EQ(OSIntNesting, 1u);
    CONF_ISR_EXIT();
    CHECK_EQ(OSIntNesting, 0u);

    conf_case("core: scheduler lock");
    flag_ran = 0;
    OSSchedLock();
    CHECK_EQ(OSLockNesting, 1u);
    OSSchedLock();
    CHECK_EQ(OSLockNesting, 2u);
    CHECK_ERR(conf_spawn(5u, task_set_flag, (void *)0), OS_ERR_NONE);
    CHECK_EQ(flag_ran, 0); /* higher priority, but the scheduler is locked */
    OSTimeDly(5u);         /* ignored while locked */
    CHECK_EQ(flag_ran, 0);
    CHECK_ERR(OSTimeDlyHMSM(0u, 0u, 0u, 5u), OS_ERR_SCHED_LOCKED);
    OSSchedUnlock();
    CHECK_EQ(OSLockNesting, 1u);
    CHECK_EQ(flag_ran, 0);
    OSSchedUnlock();
    CHECK_EQ(OSLockNesting, 0u);
    CHECK_EQ(flag_ran, 1); /* ran as soon as the lock dropped */
    CHECK(!conf_task_exists(5u));

    conf_case("core: context switch counter");
    sw = OSCtxSwCtr;
    OSTimeDly(1u);
    CHECK(OSCtxSwCtr >= sw + 2u);
}

/* ---------------------------------------------------------------------------
 * Time
 * ------------------------------------------------------------------------- */
void conf_test_time(void)
{
    INT32U t0;
    INT32U t1;
    conf_job_t job;
    OS_EVENT *sem;
    INT8U err;

    conf_case("time: OSTimeDly and OSTimeGet/Set");
    t0 = OSTimeGet();
    OSTimeDly(5u);
    CHECK_EQ(OSTimeGet() - t0, 5u);
    t0 = OSTimeGet();
    OSTimeDly(0u);
    CHECK_EQ(OSTimeGet(), t0);
    OSTimeSet(100000u);
    CHECK_EQ(OSTimeGet(), 100000u);
    OSTimeDly(3u);
    CHECK_EQ(OSTimeGet(), 100003u);
    OSTimeSet(t0);

    conf_case("time: OSTimeDlyHMSM");
    CHECK_ERR(OSTimeDlyHMSM(0u, 0u, 0u, 0u), OS_ERR_TIME_ZERO_DLY);
    CHECK_ERR(OSTimeDlyHMSM(0u, 60u, 0u, 0u), OS_ERR_TIME_INVALID_MINUTES);
    CHECK_ERR(OSTimeDlyHMSM(0u, 0u, 60u, 0u), OS_ERR_TIME_INVALID_SECONDS);
    CHECK_ERR(OSTimeDlyHMSM(0u, 0u, 0u, 1000u), OS_ERR_TIME_INVALID_MS);
    t0 = OSTimeGet();
    CHECK_ERR(OSTimeDlyHMSM(0u, 0u, 0u, 12u), OS_ERR_NONE);
    CHECK_EQ(OSTimeGet() - t0, 12u * OS_TICKS_PER_SEC / 1000u);
    t0 = OSTimeGet();
    CHECK_ERR(OSTimeDlyHMSM(0u, 0u, 1u, 0u), OS_ERR_NONE);
    CHECK_EQ(OSTimeGet() - t0, OS_TICKS_PER_SEC);
    CONF_ISR_ENTER();
    CHECK_ERR(OSTimeDlyHMSM(0u, 0u, 0u, 5u), OS_ERR_TIME_DLY_ISR);
    t1 = OSTimeGet();
    OSTimeDly(5u); /* ignored in an ISR */
    CHECK_EQ(OSTimeGet(), t1);
    CONF_ISR_EXIT();

    conf_case("time: OSTimeDlyResume");
    conf_job_reset(&job);
    job.timeout = 1000u;
    CHECK_ERR(conf_spawn(12u, job_delay, &job), OS_ERR_NONE);
    OSTimeDly(2u); /* let it start its delay */
    CHECK_EQ(job.state, 1);
    CHECK_EQ(OSTCBPrioTbl[12]->OSTCBDly > 0u, 1u);
    t0 = OSTimeGet();
    CHECK_ERR(OSTimeDlyResume(12u), OS_ERR_NONE);
    OSTimeDly(1u);
    CHECK_EQ(job.state, 2);
    CHECK(job.t_end - t0 <= 1u);
    CHECK_ERR(OSTimeDlyResume(12u), OS_ERR_TASK_NOT_EXIST);
    CHECK_ERR(OSTimeDlyResume(CONF_MAIN_PRIO), OS_ERR_TIME_NOT_DLY);
    CHECK_ERR(OSTimeDlyResume(OS_LOWEST_PRIO), OS_ERR_PRIO_INVALID);
    CHECK_ERR(OSTimeDlyResume(OS_PRIO_SELF), OS_ERR_PRIO_INVALID);

    conf_case("time: OSTimeDlyResume ends a pend with timeout");
    sem = OSSemCreate(0u);
    conf_job_reset(&job);
    job.ev = sem;
    job.timeout = 500u;
    CHECK_ERR(conf_spawn(7u, job_sem_pend, &job), OS_ERR_NONE);
    CHECK_EQ(job.state, 1);
    CHECK_ERR(OSTimeDlyResume(7u), OS_ERR_NONE);
    CHECK_EQ(job.state, 2);
    CHECK_ERR(job.err, OS_ERR_TIMEOUT);
    CHECK_EQ(sem->OSEventGrp, 0u);
    conf_job_reset(&job);
    job.ev = sem;
    CHECK_ERR(conf_spawn(7u, job_sem_pend, &job), OS_ERR_NONE); /* no timeout */
    CHECK_ERR(OSTimeDlyResume(7u), OS_ERR_TIME_NOT_DLY);
    CHECK(OSSemDel(sem, OS_DEL_ALWAYS, &err) == (OS_EVENT *)0);
    CHECK_ERR(job.err, OS_ERR_PEND_ABORT);
}

/* ---------------------------------------------------------------------------
 * Tasks
 * ------------------------------------------------------------------------- */
void conf_test_task(void)
{
    OS_TCB tcb;
    OS_STK_DATA stk;
    INT8U err;
    INT8U *name;
    INT8U ctr;
    INT8U id;
    conf_job_t job;
    OS_EVENT *sem;
    OS_FLAG_GRP *grp;

    conf_case("task: create errors");
    CHECK_ERR(conf_spawn((INT8U)(OS_LOWEST_PRIO + 1u), task_set_flag, (void *)0), OS_ERR_PRIO_INVALID);
    CHECK_ERR(conf_spawn_plain(CONF_MAIN_PRIO, task_set_flag, (void *)0), OS_ERR_PRIO_EXIST);
    CHECK_ERR(conf_spawn(CONF_MAIN_PRIO, task_set_flag, (void *)0), OS_ERR_PRIO_EXIST);
    CONF_ISR_ENTER();
    CHECK_ERR(conf_spawn(12u, task_set_flag, (void *)0), OS_ERR_TASK_CREATE_ISR);
    CHECK_ERR(conf_spawn_plain(12u, task_set_flag, (void *)0), OS_ERR_TASK_CREATE_ISR);
    CONF_ISR_EXIT();
    CHECK(!conf_task_exists(12u));

    conf_case("task: preemption order on create");
    flag_ran = 0;
    ctr = OSTaskCtr;
    CHECK_ERR(conf_spawn_plain(12u, task_set_flag, (void *)0), OS_ERR_NONE);
    CHECK_EQ(OSTaskCtr, ctr + 1u);
    CHECK_EQ(flag_ran, 0); /* lower priority: waits for us to block */
    OSTimeDly(1u);
    CHECK_EQ(flag_ran, 1);
    CHECK(!conf_task_exists(12u)); /* returned, so deleted */
    CHECK_EQ(OSTaskCtr, ctr);
    CHECK_ERR(conf_spawn(6u, task_set_flag, (void *)0), OS_ERR_NONE);
    CHECK_EQ(flag_ran, 2); /* higher priority: ran before create returned */
    CHECK(!conf_task_exists(6u));

    conf_case("task: OSTaskCreateExt fields and OSTaskQuery");
    CHECK_ERR(OSTaskQuery(12u, (OS_TCB *)0), OS_ERR_PDATA_NULL);
    CHECK_ERR(OSTaskQuery(12u, &tcb), OS_ERR_PRIO);
    CHECK_ERR(OSTaskQuery((INT8U)(OS_LOWEST_PRIO + 1u), &tcb), OS_ERR_PRIO_INVALID);
    conf_job_reset(&job);
    job.timeout = 10000u;
    CHECK_ERR(conf_spawn(13u, job_delay, &job), OS_ERR_NONE);
    OSTimeDly(1u);
    CHECK_ERR(OSTaskQuery(13u, &tcb), OS_ERR_NONE);
    CHECK_EQ(tcb.OSTCBPrio, 13u);
    CHECK_EQ(tcb.OSTCBId, 113u);
    CHECK_EQ(tcb.OSTCBStkSize, CONF_STK_SIZE);
    CHECK_EQ(tcb.OSTCBOpt, OS_TASK_OPT_STK_CHK | OS_TASK_OPT_STK_CLR);
    CHECK(tcb.OSTCBDly > 0u && tcb.OSTCBDly <= 10000u);
    CHECK_EQ(tcb.OSTCBStat, OS_STAT_RDY);
    CHECK_ERR(OSTaskQuery(OS_PRIO_SELF, &tcb), OS_ERR_NONE);
    CHECK_EQ(tcb.OSTCBPrio, CONF_MAIN_PRIO);
    CHECK(tcb.OSTCBStkPtr == OSTCBCur->OSTCBStkPtr);
    flag_ran = 0;
    CHECK_ERR(OSTaskCreateExt(task_loop_delay, (void *)0, &ext_stk[CONF_STK_SIZE - 1u], 16u, 7u, &ext_stk[0],
                              CONF_STK_SIZE, &ext_data, OS_TASK_OPT_NONE),
              OS_ERR_NONE);
    CHECK_ERR(OSTaskQuery(16u, &tcb), OS_ERR_NONE);
    CHECK(tcb.OSTCBExtPtr == (void *)&ext_data);
    CHECK(tcb.OSTCBStkBottom == &ext_stk[0]);
    CHECK_EQ(tcb.OSTCBId, 7u);
    CHECK_ERR(OSTaskStkChk(16u, &stk), OS_ERR_TASK_OPT);
    OSTimeDly(2u);
    CHECK(flag_ran > 0);
    CHECK_ERR(OSTaskDel(16u), OS_ERR_NONE);

    conf_case("task: OSTaskStkChk");
    CHECK_ERR(OSTaskStkChk(13u, &stk), OS_ERR_NONE);
    CHECK_EQ(stk.OSFree + stk.OSUsed, CONF_STK_SIZE); /* in entries */
    CHECK(stk.OSUsed > 0u);
    CHECK(stk.OSFree > stk.OSUsed);
    CHECK_ERR(OSTaskStkChk(13u, (OS_STK_DATA *)0), OS_ERR_PDATA_NULL);
    CHECK_ERR(OSTaskStkChk(14u, &stk), OS_ERR_TASK_NOT_EXIST);
    CHECK_ERR(OSTaskStkChk((INT8U)(OS_LOWEST_PRIO + 1u), &stk), OS_ERR_PRIO_INVALID);
    CHECK_ERR(OSTaskStkChk(OS_TASK_IDLE_PRIO, &stk), OS_ERR_NONE);
    CHECK_EQ(stk.OSFree + stk.OSUsed, OS_TASK_IDLE_STK_SIZE);
    CHECK_ERR(OSTaskStkChk(OS_PRIO_SELF, &stk), OS_ERR_NONE);
    CHECK(stk.OSUsed > 0u);
    flag_ran = 0;
    CHECK_ERR(conf_spawn_plain(14u, task_loop_delay, (void *)0), OS_ERR_NONE);
    CHECK_ERR(OSTaskStkChk(14u, &stk), OS_ERR_TASK_OPT); /* no OS_TASK_OPT_STK_CHK */

    conf_case("task: suspend and resume");
    CHECK_ERR(OSTaskSuspend(OS_TASK_IDLE_PRIO), OS_ERR_TASK_SUSPEND_IDLE);
    CHECK_ERR(OSTaskSuspend(15u), OS_ERR_TASK_SUSPEND_PRIO);
    CHECK_ERR(OSTaskSuspend((INT8U)(OS_LOWEST_PRIO + 1u)), OS_ERR_PRIO_INVALID);
    CHECK_ERR(OSTaskResume(15u), OS_ERR_TASK_RESUME_PRIO);
    CHECK_ERR(OSTaskResume(OS_LOWEST_PRIO), OS_ERR_PRIO_INVALID);
    CHECK_ERR(OSTaskResume(14u), OS_ERR_TASK_NOT_SUSPENDED);
    OSTimeDly(2u);
    CHECK(flag_ran > 0);
    CHECK_ERR(OSTaskSuspend(14u), OS_ERR_NONE);
    CHECK((OSTCBPrioTbl[14]->OSTCBStat & OS_STAT_SUSPEND) != 0u);
    flag_ran = 0;
    OSTimeDly(5u);
    CHECK_EQ(flag_ran, 0); /* suspended: its delay ran out but it stays put */
    CHECK_ERR(OSTaskResume(14u), OS_ERR_NONE);
    OSTimeDly(2u);
    CHECK(flag_ran > 0);
    CHECK_ERR(OSTaskResume(14u), OS_ERR_TASK_NOT_SUSPENDED);
    flag_ran = 0;
    CHECK_ERR(conf_spawn(6u, task_suspend_self, (void *)0), OS_ERR_NONE);
    CHECK_EQ(flag_ran, 1); /* ran until it suspended itself */
    CHECK_EQ(OSTCBPrioTbl[6]->OSTCBStat, OS_STAT_SUSPEND);
    CHECK_ERR(OSTaskResume(6u), OS_ERR_NONE);
    CHECK_EQ(flag_ran, 2); /* higher priority: resumed at once */
    CHECK(!conf_task_exists(6u));

    conf_case("task: suspended while pending");
    sem = OSSemCreate(0u);
    CHECK(sem != (OS_EVENT *)0);
    conf_job_reset(&job);
    job.ev = sem;
    CHECK_ERR(conf_spawn(7u, job_sem_pend, &job), OS_ERR_NONE);
    CHECK_EQ(job.state, 1);
    CHECK_EQ(OSTCBPrioTbl[7]->OSTCBStat, OS_STAT_SEM);
    CHECK_ERR(OSTaskSuspend(7u), OS_ERR_NONE);
    CHECK_EQ(OSTCBPrioTbl[7]->OSTCBStat, OS_STAT_SEM | OS_STAT_SUSPEND);
    CHECK_ERR(OSSemPost(sem), OS_ERR_NONE);
    CHECK_EQ(job.state, 1); /* got the semaphore but is still suspended */
    CHECK_EQ(OSTCBPrioTbl[7]->OSTCBStat, OS_STAT_SUSPEND);
    CHECK_ERR(OSTaskResume(7u), OS_ERR_NONE);
    CHECK_EQ(job.state, 2);
    CHECK_ERR(job.err, OS_ERR_NONE);

    conf_case("task: change priority");
    CHECK_ERR(OSTaskChangePrio(14u, CONF_MAIN_PRIO), OS_ERR_PRIO_EXIST);
    CHECK_ERR(OSTaskChangePrio(15u, 16u), OS_ERR_PRIO);
    CHECK_ERR(OSTaskChangePrio(14u, OS_LOWEST_PRIO), OS_ERR_PRIO_INVALID);
    CHECK_ERR(OSTaskChangePrio(OS_LOWEST_PRIO, 16u), OS_ERR_PRIO_INVALID);
    CHECK_ERR(OSTaskChangePrio(OS_PRIO_SELF, 11u), OS_ERR_NONE);
    CHECK_EQ(OSTCBCur->OSTCBPrio, 11u);
    CHECK(OSTCBPrioTbl[CONF_MAIN_PRIO] == (OS_TCB *)0);
    CHECK(OSTCBPrioTbl[11] == OSTCBCur);
    CHECK_ERR(OSTaskChangePrio(11u, CONF_MAIN_PRIO), OS_ERR_NONE);
    CHECK_EQ(OSTCBCur->OSTCBPrio, CONF_MAIN_PRIO);
    conf_job_reset(&job);
    job.ev = sem;
    CHECK_ERR(conf_spawn(15u, job_sem_pend, &job), OS_ERR_NONE);
    OSTimeDly(1u);
    CHECK_EQ(job.state, 1);
    CHECK_ERR(OSTaskChangePrio(15u, 7u), OS_ERR_NONE); /* moves its wait-list entry too */
    CHECK_ERR(OSSemPost(sem), OS_ERR_NONE);
    CHECK_EQ(job.state, 2); /* now higher than us: ran at once */
    CHECK_ERR(job.err, OS_ERR_NONE);
    CHECK(!conf_task_exists(7u));
    CHECK(!conf_task_exists(15u));

    conf_case("task: delete");
    CHECK_ERR(OSTaskDel(OS_TASK_IDLE_PRIO), OS_ERR_TASK_DEL_IDLE);
    CHECK_ERR(OSTaskDel((INT8U)(OS_LOWEST_PRIO + 1u)), OS_ERR_PRIO_INVALID);
    CHECK_ERR(OSTaskDel(15u), OS_ERR_TASK_NOT_EXIST);
    CONF_ISR_ENTER();
    CHECK_ERR(OSTaskDel(14u), OS_ERR_TASK_DEL_ISR);
    CONF_ISR_EXIT();
    ctr = OSTaskCtr;
    CHECK_ERR(OSTaskDel(14u), OS_ERR_NONE);
    CHECK_EQ(OSTaskCtr, ctr - 1u);
    CHECK(!conf_task_exists(14u));
    CHECK_ERR(OSTaskDel(13u), OS_ERR_NONE); /* delayed task */
    /* a task deleted while pending leaves the wait list clean */
    conf_job_reset(&job);
    job.ev = sem;
    CHECK_ERR(conf_spawn(7u, job_sem_pend, &job), OS_ERR_NONE);
    CHECK(sem->OSEventGrp != 0u);
    CHECK_ERR(OSTaskDel(7u), OS_ERR_NONE);
    CHECK_EQ(sem->OSEventGrp, 0u);
    CHECK(OSSemDel(sem, OS_DEL_NO_PEND, &err) == (OS_EVENT *)0);
    CHECK_ERR(err, OS_ERR_NONE);
    grp = OSFlagCreate(0u, &err);
    conf_job_reset(&job);
    job.grp = grp;
    job.flags = 0x01u;
    job.wait_type = OS_FLAG_WAIT_SET_ALL;
    CHECK_ERR(conf_spawn(7u, job_flag_pend, &job), OS_ERR_NONE);
    CHECK(grp->OSFlagWaitList != (void *)0);
    CHECK_ERR(OSTaskDel(7u), OS_ERR_NONE);
    CHECK(grp->OSFlagWaitList == (void *)0);
    CHECK(OSFlagDel(grp, OS_DEL_NO_PEND, &err) == (OS_FLAG_GRP *)0);
    CHECK_ERR(err, OS_ERR_NONE);

    conf_case("task: delete request");
    CHECK_ERR(OSTaskDelReq(OS_TASK_IDLE_PRIO), OS_ERR_TASK_DEL_IDLE);
    CHECK_ERR(OSTaskDelReq((INT8U)(OS_LOWEST_PRIO + 1u)), OS_ERR_PRIO_INVALID);
    CHECK_ERR(OSTaskDelReq(15u), OS_ERR_TASK_NOT_EXIST);
    CHECK_ERR(OSTaskDelReq(OS_PRIO_SELF), OS_ERR_NONE);
    flag_ran = 0;
    CHECK_ERR(conf_spawn(15u, task_del_req, (void *)0), OS_ERR_NONE);
    OSTimeDly(3u);
    CHECK_EQ(flag_ran, 1);
    CHECK_ERR(OSTaskDelReq(15u), OS_ERR_NONE);
    CHECK_EQ(OSTCBPrioTbl[15]->OSTCBDelReq, OS_ERR_TASK_DEL_REQ);
    conf_wait_gone(15u);
    CHECK_EQ(flag_ran, 2);
    CHECK(!conf_task_exists(15u));

    conf_case("task: names");
    CHECK_ERR((OSTaskNameSet(OS_PRIO_SELF, (INT8U *)(void *)"conformance", &err), err), OS_ERR_NONE);
    CHECK_EQ(OSTaskNameGet(OS_PRIO_SELF, &name, &err), 11u);
    CHECK_ERR(err, OS_ERR_NONE);
    CHECK(conf_streq(name, "conformance"));
    CHECK_EQ(OSTaskNameGet(CONF_MAIN_PRIO, &name, &err), 11u);
    OSTaskNameSet(OS_PRIO_SELF, (INT8U *)0, &err);
    CHECK_ERR(err, OS_ERR_PNAME_NULL);
    (void)OSTaskNameGet(OS_PRIO_SELF, (INT8U **)0, &err);
    CHECK_ERR(err, OS_ERR_PNAME_NULL);
    (void)OSTaskNameGet(15u, &name, &err);
    CHECK_ERR(err, OS_ERR_TASK_NOT_EXIST);
    OSTaskNameSet(15u, (INT8U *)(void *)"x", &err);
    CHECK_ERR(err, OS_ERR_TASK_NOT_EXIST);
    (void)OSTaskNameGet((INT8U)(OS_LOWEST_PRIO + 1u), &name, &err);
    CHECK_ERR(err, OS_ERR_PRIO_INVALID);
    CONF_ISR_ENTER();
    (void)OSTaskNameGet(OS_PRIO_SELF, &name, &err);
    CHECK_ERR(err, OS_ERR_NAME_GET_ISR);
    OSTaskNameSet(OS_PRIO_SELF, (INT8U *)(void *)"x", &err);
    CHECK_ERR(err, OS_ERR_NAME_SET_ISR);
    CONF_ISR_EXIT();
    CHECK_ERR(conf_spawn_plain(15u, task_loop_delay, (void *)0), OS_ERR_NONE);
    CHECK_EQ(OSTaskNameGet(15u, &name, &err), 1u);
    CHECK(conf_streq(name, "?"));
    CHECK_ERR(OSTaskDel(15u), OS_ERR_NONE);

    conf_case("task: registers");
    id = OSTaskRegGetID(&err);
    CHECK_ERR(err, OS_ERR_NONE);
    CHECK_EQ(id, 0u);
    id = OSTaskRegGetID(&err);
    CHECK_ERR(err, OS_ERR_NO_MORE_ID_AVAIL);
    CHECK_EQ(id, OS_TASK_REG_TBL_SIZE);
    OSTaskRegSet(OS_PRIO_SELF, 0u, 0xCAFEF00Du, &err);
    CHECK_ERR(err, OS_ERR_NONE);
    CHECK_EQ(OSTaskRegGet(OS_PRIO_SELF, 0u, &err), 0xCAFEF00Du);
    CHECK_ERR(err, OS_ERR_NONE);
    CHECK_EQ(OSTaskRegGet(CONF_MAIN_PRIO, 0u, &err), 0xCAFEF00Du);
    (void)OSTaskRegGet(OS_PRIO_SELF, 1u, &err);
    CHECK_ERR(err, OS_ERR_ID_INVALID);
    OSTaskRegSet(OS_PRIO_SELF, 1u, 1u, &err);
    CHECK_ERR(err, OS_ERR_ID_INVALID);
    (void)OSTaskRegGet(OS_LOWEST_PRIO, 0u, &err);
    CHECK_ERR(err, OS_ERR_PRIO_INVALID);
    reg_seen = 0u;
    CHECK_ERR(conf_spawn(6u, task_reg, (void *)0), OS_ERR_NONE);
    CHECK_EQ(reg_seen, 0x1234u);
    CHECK_EQ(OSTaskRegGet(6u, 0u, &err), 0x1234u); /* per task */
    CHECK_EQ(OSTaskRegGet(OS_PRIO_SELF, 0u, &err), 0xCAFEF00Du);
    CHECK_ERR(OSTaskDel(6u), OS_ERR_NONE);
}
