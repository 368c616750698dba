/* SPDX-License-Identifier: MIT OR Apache-2.0 */
/*
 * ucvisor bundled µC/OS-II-compatible kernel — written for this project from the
 * documented V2.93.01 API.
 *
 * conf_tests_misc.c — event flags, memory partitions, timers and statistics.
 */
#include "conf_internal.h"

/* ---------------------------------------------------------------------------
 * Event flags
 * ------------------------------------------------------------------------- */
void conf_test_flag(void)
{
    OS_FLAG_GRP *grp;
    OS_FLAG_GRP *grps[OS_MAX_FLAGS + 1u];
    conf_job_t job1;
    conf_job_t job2;
    INT8U *name;
    INT8U err;
    OS_FLAGS f;
    INT32U t0;
    unsigned i;

    conf_case("flag: create, post, query");
    grp = OSFlagCreate(0x0000u, &err);
    CHECK_ERR(err, OS_ERR_NONE);
    CHECK(grp != (OS_FLAG_GRP *)0);
    CHECK_EQ(grp->OSFlagType, OS_EVENT_TYPE_FLAG);
    CHECK_EQ(OSFlagPost(grp, 0x0003u, OS_FLAG_SET, &err), 0x0003u);
    CHECK_ERR(err, OS_ERR_NONE);
    CHECK_EQ(OSFlagPost(grp, 0x0104u, OS_FLAG_SET, &err), 0x0107u);
    CHECK_EQ(OSFlagPost(grp, 0x0100u, OS_FLAG_CLR, &err), 0x0007u);
    CHECK_EQ(OSFlagQuery(grp, &err), 0x0007u);
    CHECK_ERR(err, OS_ERR_NONE);
    (void)OSFlagPost(grp, 0x0001u, 2u, &err);
    CHECK_ERR(err, OS_ERR_FLAG_INVALID_OPT);

    conf_case("flag: accept with every wait type");
    f = OSFlagAccept(grp, 0x0003u, OS_FLAG_WAIT_SET_ALL, &err);
    CHECK_ERR(err, OS_ERR_NONE);
    CHECK_EQ(f, 0x0003u);
    f = OSFlagAccept(grp, 0x000Fu, OS_FLAG_WAIT_SET_ALL, &err);
    CHECK_ERR(err, OS_ERR_FLAG_NOT_RDY);
    CHECK_EQ(f, 0x0007u);
    f = OSFlagAccept(grp, 0x0018u, OS_FLAG_WAIT_SET_ANY, &err);
    CHECK_ERR(err, OS_ERR_FLAG_NOT_RDY);
    CHECK_EQ(f, 0u);
    f = OSFlagAccept(grp, 0x0011u, OS_FLAG_WAIT_SET_ANY | OS_FLAG_CONSUME, &err);
    CHECK_ERR(err, OS_ERR_NONE);
    CHECK_EQ(f, 0x0001u);
    CHECK_EQ(OSFlagQuery(grp, &err), 0x0006u); /* consumed */
    f = OSFlagAccept(grp, 0x0018u, OS_FLAG_WAIT_CLR_ALL, &err);
    CHECK_ERR(err, OS_ERR_NONE);
    CHECK_EQ(f, 0x0018u);
    f = OSFlagAccept(grp, 0x000Cu, OS_FLAG_WAIT_CLR_ALL, &err);
    CHECK_ERR(err, OS_ERR_FLAG_NOT_RDY);
    f = OSFlagAccept(grp, 0x000Cu, OS_FLAG_WAIT_CLR_ANY | OS_FLAG_CONSUME, &err);
    CHECK_ERR(err, OS_ERR_NONE);
    CHECK_EQ(f, 0x0008u);
    CHECK_EQ(OSFlagQuery(grp, &err), 0x000Eu); /* consuming a CLR wait sets the bits */
    (void)OSFlagAccept(grp, 0x0001u, 7u, &err);
    CHECK_ERR(err, OS_ERR_FLAG_WAIT_TYPE);

    conf_case("flag: pend SET_ALL with consume");
    (void)OSFlagPost(grp, 0xFFFFu, OS_FLAG_CLR, &err);
    conf_job_reset(&job1);
    job1.grp = grp;
    job1.flags = 0x0030u;
    job1.wait_type = OS_FLAG_WAIT_SET_ALL | OS_FLAG_CONSUME;
    CHECK_ERR(conf_spawn(6u, job_flag_pend, &job1), OS_ERR_NONE);
    CHECK_EQ(job1.state, 1);
    CHECK_EQ(OSTCBPrioTbl[6]->OSTCBStat, OS_STAT_FLAG);
    CHECK_EQ(OSFlagPost(grp, 0x0010u, OS_FLAG_SET, &err), 0x0010u);
    CHECK_EQ(job1.state, 1);
    CHECK_EQ(OSFlagPost(grp, 0x0020u, OS_FLAG_SET, &err), 0x0000u); /* the waiter ran and consumed */
    CHECK_EQ(job1.state, 2);
    CHECK_ERR(job1.err, OS_ERR_NONE);
    CHECK_EQ(job1.result, 0x0030u);
    CHECK_EQ(job1.flags, 0x0030u); /* OSFlagPendGetFlagsRdy */

    conf_case("flag: pend SET_ANY, CLR_ALL, CLR_ANY");
    conf_job_reset(&job1);
    job1.grp = grp;
    job1.flags = 0x0300u;
    job1.wait_type = OS_FLAG_WAIT_SET_ANY;
    CHECK_ERR(conf_spawn(6u, job_flag_pend, &job1), OS_ERR_NONE);
    (void)OSFlagPost(grp, 0x0200u, OS_FLAG_SET, &err);
    CHECK_EQ(job1.state, 2);
    CHECK_EQ(job1.result, 0x0200u);
    CHECK_EQ(OSFlagQuery(grp, &err), 0x0200u); /* not consumed */
    (void)OSFlagPost(grp, 0x00FFu, OS_FLAG_SET, &err);
    conf_job_reset(&job1);
    job1.grp = grp;
    job1.flags = 0x0003u;
    job1.wait_type = OS_FLAG_WAIT_CLR_ALL;
    CHECK_ERR(conf_spawn(6u, job_flag_pend, &job1), OS_ERR_NONE);
    (void)OSFlagPost(grp, 0x0001u, OS_FLAG_CLR, &err);
    CHECK_EQ(job1.state, 1);
    (void)OSFlagPost(grp, 0x0002u, OS_FLAG_CLR, &err);
    CHECK_EQ(job1.state, 2);
    CHECK_EQ(job1.result, 0x0003u);
    conf_job_reset(&job1);
    job1.grp = grp;
    job1.flags = 0x00F0u;
    job1.wait_type = OS_FLAG_WAIT_CLR_ANY | OS_FLAG_CONSUME;
    CHECK_ERR(conf_spawn(6u, job_flag_pend, &job1), OS_ERR_NONE);
    CHECK_EQ(OSFlagPost(grp, 0x0040u, OS_FLAG_CLR, &err), 0x02FCu); /* consumed: set again */
    CHECK_EQ(job1.state, 2);
    CHECK_EQ(job1.result, 0x0040u);

    conf_case("flag: two waiters, one post");
    (void)OSFlagPost(grp, 0xFFFFu, OS_FLAG_CLR, &err);
    conf_job_reset(&job1);
    conf_job_reset(&job2);
    job1.grp = grp;
    job1.flags = 0x0001u;
    job1.wait_type = OS_FLAG_WAIT_SET_ALL;
    job2.grp = grp;
    job2.flags = 0x0003u;
    job2.wait_type = OS_FLAG_WAIT_SET_ANY;
    CHECK_ERR(conf_spawn(6u, job_flag_pend, &job1), OS_ERR_NONE);
    CHECK_ERR(conf_spawn(7u, job_flag_pend, &job2), OS_ERR_NONE);
    (void)OSFlagPost(grp, 0x0001u, OS_FLAG_SET, &err);
    CHECK_EQ(job1.state, 2);
    CHECK_EQ(job2.state, 2);
    CHECK_EQ(job2.result, 0x0001u);
    CHECK(grp->OSFlagWaitList == (void *)0);

    conf_case("flag: timeout and errors");
    t0 = OSTimeGet();
    f = OSFlagPend(grp, 0x8000u, OS_FLAG_WAIT_SET_ALL, 9u, &err);
    CHECK_ERR(err, OS_ERR_TIMEOUT);
    CHECK_EQ(f, 0u);
    CHECK_EQ(OSTimeGet() - t0, 9u);
    CHECK(grp->OSFlagWaitList == (void *)0);
    f = OSFlagPend(grp, 0x0001u, 9u, 0u, &err);
    CHECK_ERR(err, OS_ERR_FLAG_WAIT_TYPE);
    CONF_ISR_ENTER();
    (void)OSFlagPend(grp, 0x0001u, OS_FLAG_WAIT_SET_ALL, 0u, &err);
    CHECK_ERR(err, OS_ERR_PEND_ISR);
    CHECK_EQ(OSFlagPost(grp, 0x0100u, OS_FLAG_SET, &err), 0x0101u); /* posting is fine */
    CHECK(OSFlagCreate(0u, &err) == (OS_FLAG_GRP *)0);
    CHECK_ERR(err, OS_ERR_CREATE_ISR);
    (void)OSFlagDel(grp, OS_DEL_ALWAYS, &err);
    CHECK_ERR(err, OS_ERR_DEL_ISR);
    CONF_ISR_EXIT();
    OSSchedLock();
    (void)OSFlagPend(grp, 0x0001u, OS_FLAG_WAIT_SET_ALL, 0u, &err);
    CHECK_ERR(err, OS_ERR_PEND_LOCKED);
    OSSchedUnlock();
    (void)OSFlagPend((OS_FLAG_GRP *)0, 1u, OS_FLAG_WAIT_SET_ALL, 0u, &err);
    CHECK_ERR(err, OS_ERR_FLAG_INVALID_PGRP);
    (void)OSFlagPost((OS_FLAG_GRP *)0, 1u, OS_FLAG_SET, &err);
    CHECK_ERR(err, OS_ERR_FLAG_INVALID_PGRP);
    (void)OSFlagQuery((OS_FLAG_GRP *)0, &err);
    CHECK_ERR(err, OS_ERR_FLAG_INVALID_PGRP);
    (void)OSFlagAccept((OS_FLAG_GRP *)0, 1u, OS_FLAG_WAIT_SET_ALL, &err);
    CHECK_ERR(err, OS_ERR_FLAG_INVALID_PGRP);
    CHECK(OSFlagDel(grp, OS_DEL_NO_PEND, &err) == (OS_FLAG_GRP *)0);
    CHECK_ERR(err, OS_ERR_NONE);

    conf_case("flag: names and running out of groups");
    grp = OSFlagCreate(0u, &err);
    CHECK_EQ(OSFlagNameGet(grp, &name, &err), 1u);
    CHECK(conf_streq(name, "?"));
    OSFlagNameSet(grp, (INT8U *)(void *)"events", &err);
    CHECK_ERR(err, OS_ERR_NONE);
    CHECK_EQ(OSFlagNameGet(grp, &name, &err), 6u);
    CHECK(conf_streq(name, "events"));
    OSFlagNameSet(grp, (INT8U *)0, &err);
    CHECK_ERR(err, OS_ERR_PNAME_NULL);
    (void)OSFlagNameGet((OS_FLAG_GRP *)0, &name, &err);
    CHECK_ERR(err, OS_ERR_FLAG_INVALID_PGRP);
    CONF_ISR_ENTER();
    (void)OSFlagNameGet(grp, &name, &err);
    CHECK_ERR(err, OS_ERR_NAME_GET_ISR);
    OSFlagNameSet(grp, (INT8U *)(void *)"x", &err);
    CHECK_ERR(err, OS_ERR_NAME_SET_ISR);
    CONF_ISR_EXIT();
    (void)OSFlagDel(grp, OS_DEL_NO_PEND, &err);
    for (i = 0u; i <= OS_MAX_FLAGS; i++) {
        grps[i] = OSFlagCreate(0u, &err);
    }
    CHECK_ERR(err, OS_ERR_FLAG_GRP_DEPLETED);
    CHECK(grps[OS_MAX_FLAGS] == (OS_FLAG_GRP *)0);
    for (i = 0u; i < OS_MAX_FLAGS; i++) {
        CHECK(grps[i] != (OS_FLAG_GRP *)0);
        (void)OSFlagDel(grps[i], OS_DEL_NO_PEND, &err);
    }

    /* Last, because V2.93.01 itself unlinks the aborted waiter's node a second
     * time after the group went back to the free list, truncating that list. */
    conf_case("flag: delete with a waiter");
    grp = OSFlagCreate(0u, &err);
    CHECK_ERR(err, OS_ERR_NONE);
    conf_job_reset(&job1);
    job1.grp = grp;
    job1.flags = 0x8000u;
    job1.wait_type = OS_FLAG_WAIT_SET_ALL;
    CHECK_ERR(conf_spawn(6u, job_flag_pend, &job1), OS_ERR_NONE);
    CHECK(OSFlagDel(grp, OS_DEL_NO_PEND, &err) == grp);
    CHECK_ERR(err, OS_ERR_TASK_WAITING);
    CHECK(OSFlagDel(grp, 5u, &err) == grp);
    CHECK_ERR(err, OS_ERR_INVALID_OPT);
    CHECK(OSFlagDel(grp, OS_DEL_ALWAYS, &err) == (OS_FLAG_GRP *)0);
    CHECK_ERR(err, OS_ERR_NONE);
    CHECK_EQ(job1.state, 2);
    CHECK_ERR(job1.err, OS_ERR_PEND_ABORT);
    CHECK_EQ(job1.result, 0u);
    (void)OSFlagPost(grp, 1u, OS_FLAG_SET, &err);
    CHECK_ERR(err, OS_ERR_EVENT_TYPE); /* deleted group */
    (void)OSFlagQuery(grp, &err);
    CHECK_ERR(err, OS_ERR_EVENT_TYPE);
}

/* ---------------------------------------------------------------------------
 * Memory partitions (OS_MAX_MEM_PART of them exist, and they cannot be
 * deleted, so this suite creates exactly that many).
 * ------------------------------------------------------------------------- */
static void *mem_area[8][4];      /* 8 blocks of 4 pointers, pointer-aligned */
static void *mem_small[OS_MAX_MEM_PART][2][1];

void conf_test_mem(void)
{
    OS_MEM *part;
    OS_MEM *extra;
    OS_MEM_DATA data;
    void *blk[9];
    INT8U *name;
    INT8U err;
    unsigned i;
    unsigned j;
    int distinct;

    conf_case("mem: create errors");
    CHECK(OSMemCreate((void *)0, 8u, sizeof(mem_area[0]), &err) == (OS_MEM *)0);
    CHECK_ERR(err, OS_ERR_MEM_INVALID_ADDR);
    CHECK(OSMemCreate((INT8U *)&mem_area[0][0] + 1, 4u, sizeof(mem_area[0]), &err) == (OS_MEM *)0);
    CHECK_ERR(err, OS_ERR_MEM_INVALID_ADDR);
    CHECK(OSMemCreate(&mem_area[0][0], 1u, sizeof(mem_area[0]), &err) == (OS_MEM *)0);
    CHECK_ERR(err, OS_ERR_MEM_INVALID_BLKS);
    CHECK(OSMemCreate(&mem_area[0][0], 8u, sizeof(void *) - 1u, &err) == (OS_MEM *)0);
    CHECK_ERR(err, OS_ERR_MEM_INVALID_SIZE);

    conf_case("mem: get and put");
    part = OSMemCreate(&mem_area[0][0], 8u, sizeof(mem_area[0]), &err);
    CHECK_ERR(err, OS_ERR_NONE);
    CHECK(part != (OS_MEM *)0);
    CHECK_ERR(OSMemQuery(part, &data), OS_ERR_NONE);
    CHECK(data.OSAddr == (void *)&mem_area[0][0]);
    CHECK(data.OSFreeList == (void *)&mem_area[0][0]);
    CHECK_EQ(data.OSBlkSize, sizeof(mem_area[0]));
    CHECK_EQ(data.OSNBlks, 8u);
    CHECK_EQ(data.OSNFree, 8u);
    CHECK_EQ(data.OSNUsed, 0u);
    for (i = 0u; i < 8u; i++) {
        blk[i] = OSMemGet(part, &err);
        CHECK_ERR(err, OS_ERR_NONE);
    }
    CHECK(blk[0] == (void *)&mem_area[0][0]);
    CHECK(blk[7] == (void *)&mem_area[7][0]);
    distinct = 1;
    for (i = 0u; i < 8u; i++) {
        for (j = i + 1u; j < 8u; j++) {
            if (blk[i] == blk[j]) {
                distinct = 0;
            }
        }
    }
    CHECK(distinct);
    blk[8] = OSMemGet(part, &err);
    CHECK_ERR(err, OS_ERR_MEM_NO_FREE_BLKS);
    CHECK(blk[8] == (void *)0);
    CHECK_ERR(OSMemQuery(part, &data), OS_ERR_NONE);
    CHECK_EQ(data.OSNFree, 0u);
    CHECK_EQ(data.OSNUsed, 8u);
    CHECK_ERR(OSMemPut(part, blk[3]), OS_ERR_NONE);
    CHECK(OSMemGet(part, &err) == blk[3]); /* last in, first out */
    for (i = 0u; i < 8u; i++) {
        CHECK_ERR(OSMemPut(part, blk[i]), OS_ERR_NONE);
    }
    CHECK_ERR(OSMemPut(part, blk[0]), OS_ERR_MEM_FULL);
    CHECK_ERR(OSMemPut((OS_MEM *)0, blk[0]), OS_ERR_MEM_INVALID_PMEM);
    CHECK_ERR(OSMemPut(part, (void *)0), OS_ERR_MEM_INVALID_PBLK);
    CHECK(OSMemGet((OS_MEM *)0, &err) == (void *)0);
    CHECK_ERR(err, OS_ERR_MEM_INVALID_PMEM);
    CHECK_ERR(OSMemQuery(part, (OS_MEM_DATA *)0), OS_ERR_MEM_INVALID_PDATA);
    CHECK_ERR(OSMemQuery((OS_MEM *)0, &data), OS_ERR_MEM_INVALID_PMEM);
    CONF_ISR_ENTER();
    blk[0] = OSMemGet(part, &err); /* allowed from an ISR */
    CHECK_ERR(err, OS_ERR_NONE);
    CHECK_ERR(OSMemPut(part, blk[0]), OS_ERR_NONE);
    CONF_ISR_EXIT();

    conf_case("mem: names");
    CHECK_EQ(OSMemNameGet(part, &name, &err), 1u);
    CHECK(conf_streq(name, "?"));
    OSMemNameSet(part, (INT8U *)(void *)"pool", &err);
    CHECK_ERR(err, OS_ERR_NONE);
    CHECK_EQ(OSMemNameGet(part, &name, &err), 4u);
    CHECK(conf_streq(name, "pool"));
    OSMemNameSet(part, (INT8U *)0, &err);
    CHECK_ERR(err, OS_ERR_PNAME_NULL);
    (void)OSMemNameGet((OS_MEM *)0, &name, &err);
    CHECK_ERR(err, OS_ERR_MEM_INVALID_PMEM);
    CONF_ISR_ENTER();
    OSMemNameSet(part, (INT8U *)(void *)"x", &err);
    CHECK_ERR(err, OS_ERR_NAME_SET_ISR);
    (void)OSMemNameGet(part, &name, &err);
    CHECK_ERR(err, OS_ERR_NAME_GET_ISR);
    CONF_ISR_EXIT();

    conf_case("mem: partitions run out");
    for (i = 1u; i < OS_MAX_MEM_PART; i++) {
        extra = OSMemCreate(&mem_small[i][0][0], 2u, sizeof(mem_small[i][0]), &err);
        CHECK(extra != (OS_MEM *)0);
    }
    CHECK(OSMemCreate(&mem_small[0][0][0], 2u, sizeof(mem_small[0][0]), &err) == (OS_MEM *)0);
    CHECK_ERR(err, OS_ERR_MEM_INVALID_PART);
}

/* ---------------------------------------------------------------------------
 * Timers
 * ------------------------------------------------------------------------- */
static volatile unsigned tmr_calls;
static void *volatile tmr_last_arg;
static void *volatile tmr_last_tmr;
static volatile INT32U tmr_last_time;

static void tmr_callback(void *ptmr, void *parg)
{
    tmr_calls++;
    tmr_last_arg = parg;
    tmr_last_tmr = ptmr;
    tmr_last_time = OSTmrTime;
}

#define TMR_TICKS(n) ((INT32U)(n) * (OS_TICKS_PER_SEC / OS_TMR_CFG_TICKS_PER_SEC))

/* Waits until the timer task has just processed a timer tick, so that a delay of
 * a whole number of timer ticks plus a half starts at a known phase. Needed on a
 * real (or virtual) clock, where the test's own code takes time; on the host
 * port, whose ticks only advance while the test sleeps, it costs one tick. */
static void tmr_sync(void)
{
    INT32U now = OSTmrTime;

    while (OSTmrTime == now) {
        OSTimeDly(1u);
    }
}

void conf_test_tmr(void)
{
    OS_TMR *t1;
    OS_TMR *t2;
    OS_TMR *all[OS_TMR_CFG_MAX + 1u];
    OS_TMR fake;
    INT8U *name;
    INT8U err;
    INT32U start;
    unsigned calls;
    unsigned i;
    unsigned made;
    static int arg1;
    static int arg2;

    conf_case("tmr: create errors");
    CHECK(OSTmrCreate(0u, 5u, OS_TMR_OPT_ONE_SHOT, tmr_callback, &arg1, (INT8U *)(void *)"t", &err) ==
          (OS_TMR *)0);
    CHECK_ERR(err, OS_ERR_TMR_INVALID_DLY);
    CHECK(OSTmrCreate(5u, 0u, OS_TMR_OPT_PERIODIC, tmr_callback, &arg1, (INT8U *)(void *)"t", &err) ==
          (OS_TMR *)0);
    CHECK_ERR(err, OS_ERR_TMR_INVALID_PERIOD);
    CHECK(OSTmrCreate(5u, 5u, 9u, tmr_callback, &arg1, (INT8U *)(void *)"t", &err) == (OS_TMR *)0);
    CHECK_ERR(err, OS_ERR_TMR_INVALID_OPT);
    CONF_ISR_ENTER();
    CHECK(OSTmrCreate(5u, 0u, OS_TMR_OPT_ONE_SHOT, tmr_callback, &arg1, (INT8U *)(void *)"t", &err) ==
          (OS_TMR *)0);
    CHECK_ERR(err, OS_ERR_TMR_ISR);
    CONF_ISR_EXIT();

    conf_case("tmr: one-shot");
    tmr_calls = 0u;
    t1 = OSTmrCreate(3u, 0u, OS_TMR_OPT_ONE_SHOT, tmr_callback, &arg1, (INT8U *)(void *)"one shot", &err);
    CHECK_ERR(err, OS_ERR_NONE);
    CHECK(t1 != (OS_TMR *)0);
    CHECK_EQ(OSTmrStateGet(t1, &err), OS_TMR_STATE_STOPPED);
    CHECK_ERR(err, OS_ERR_NONE);
    CHECK_EQ(OSTmrRemainGet(t1, &err), 3u);
    CHECK_EQ(OSTmrNameGet(t1, &name, &err), 8u);
    CHECK(conf_streq(name, "one shot"));
    CHECK(OSTmrStart(t1, &err) == OS_TRUE);
    CHECK_ERR(err, OS_ERR_NONE);
    start = OSTmrTime;
    CHECK_EQ(OSTmrStateGet(t1, &err), OS_TMR_STATE_RUNNING);
    CHECK_EQ(OSTmrRemainGet(t1, &err), 3u);
    OSTimeDly(TMR_TICKS(1));
    CHECK_EQ(OSTmrRemainGet(t1, &err), 2u);
    CHECK_EQ(tmr_calls, 0u);
    OSTimeDly(TMR_TICKS(3));
    CHECK_EQ(tmr_calls, 1u);
    CHECK(tmr_last_arg == (void *)&arg1);
    CHECK(tmr_last_tmr == (void *)t1);
    CHECK_EQ(tmr_last_time - start, 3u);
    CHECK_EQ(OSTmrStateGet(t1, &err), OS_TMR_STATE_COMPLETED);
    CHECK_EQ(OSTmrRemainGet(t1, &err), 0u);
    OSTimeDly(TMR_TICKS(4));
    CHECK_EQ(tmr_calls, 1u); /* fired once */
    CHECK(OSTmrStop(t1, OS_TMR_OPT_NONE, (void *)0, &err) == OS_TRUE);
    CHECK_ERR(err, OS_ERR_TMR_STOPPED);
    CHECK(OSTmrStart(t1, &err) == OS_TRUE); /* restart a completed timer */
    OSTimeDly(TMR_TICKS(4));
    CHECK_EQ(tmr_calls, 2u);

    conf_case("tmr: periodic");
    tmr_calls = 0u;
    t2 = OSTmrCreate(0u, 2u, OS_TMR_OPT_PERIODIC, tmr_callback, &arg2, (INT8U *)(void *)"periodic", &err);
    CHECK_ERR(err, OS_ERR_NONE);
    CHECK_EQ(OSTmrRemainGet(t2, &err), 2u);
    tmr_sync();
    CHECK(OSTmrStart(t2, &err) == OS_TRUE);
    OSTimeDly(TMR_TICKS(10) + TMR_TICKS(1) / 2u);
    calls = tmr_calls;
    CHECK_EQ(calls, 5u);
    CHECK(tmr_last_arg == (void *)&arg2);
    CHECK_EQ(OSTmrStateGet(t2, &err), OS_TMR_STATE_RUNNING);
    CHECK(OSTmrStop(t2, OS_TMR_OPT_CALLBACK_ARG, &arg1, &err) == OS_TRUE);
    CHECK_ERR(err, OS_ERR_NONE);
    CHECK_EQ(tmr_calls, calls + 1u); /* stop ran the callback with our argument */
    CHECK(tmr_last_arg == (void *)&arg1);
    CHECK_EQ(OSTmrStateGet(t2, &err), OS_TMR_STATE_STOPPED);
    OSTimeDly(TMR_TICKS(4));
    CHECK_EQ(tmr_calls, calls + 1u);
    CHECK(OSTmrStart(t2, &err) == OS_TRUE);
    CHECK(OSTmrStop(t2, OS_TMR_OPT_CALLBACK, (void *)0, &err) == OS_TRUE);
    CHECK_ERR(err, OS_ERR_NONE);
    CHECK(tmr_last_arg == (void *)&arg2);
    CHECK(OSTmrStart(t2, &err) == OS_TRUE);
    CHECK(OSTmrStop(t2, 9u, (void *)0, &err) == OS_TRUE);
    CHECK_ERR(err, OS_ERR_TMR_INVALID_OPT);
    CHECK_EQ(OSTmrStateGet(t2, &err), OS_TMR_STATE_STOPPED);

    conf_case("tmr: periodic with initial delay, no callback");
    CHECK(OSTmrDel(t2, &err) == OS_TRUE);
    t2 = OSTmrCreate(5u, 2u, OS_TMR_OPT_PERIODIC, (OS_TMR_CALLBACK)0, (void *)0, (INT8U *)(void *)"p2", &err);
    CHECK_EQ(OSTmrRemainGet(t2, &err), 5u);
    tmr_sync();
    CHECK(OSTmrStart(t2, &err) == OS_TRUE);
    OSTimeDly(TMR_TICKS(5) + TMR_TICKS(1) / 2u);
    CHECK_EQ(OSTmrRemainGet(t2, &err), 2u); /* first expiry after 5, then every 2 */
    CHECK(OSTmrStop(t2, OS_TMR_OPT_CALLBACK, (void *)0, &err) == OS_TRUE);
    CHECK_ERR(err, OS_ERR_TMR_NO_CALLBACK);

    conf_case("tmr: delete and errors");
    CHECK(OSTmrDel(t1, &err) == OS_TRUE);
    CHECK_ERR(err, OS_ERR_NONE);
    CHECK(OSTmrDel(t1, &err) == OS_FALSE);
    CHECK_ERR(err, OS_ERR_TMR_INACTIVE);
    CHECK(OSTmrStart(t1, &err) == OS_FALSE);
    CHECK_ERR(err, OS_ERR_TMR_INACTIVE);
    CHECK(OSTmrStop(t1, OS_TMR_OPT_NONE, (void *)0, &err) == OS_FALSE);
    CHECK_ERR(err, OS_ERR_TMR_INACTIVE);
    CHECK_EQ(OSTmrStateGet(t1, &err), OS_TMR_STATE_UNUSED);
    (void)OSTmrRemainGet(t1, &err);
    CHECK_ERR(err, OS_ERR_TMR_INACTIVE);
    (void)OSTmrNameGet(t1, &name, &err);
    CHECK_ERR(err, OS_ERR_TMR_INACTIVE);
    CHECK(OSTmrStart((OS_TMR *)0, &err) == OS_FALSE);
    CHECK_ERR(err, OS_ERR_TMR_INVALID);
    (void)OSTmrNameGet(t2, (INT8U **)0, &err);
    CHECK_ERR(err, OS_ERR_TMR_INVALID_DEST);
    fake.OSTmrType = 0u;
    CHECK(OSTmrStart(&fake, &err) == OS_FALSE);
    CHECK_ERR(err, OS_ERR_TMR_INVALID_TYPE);
    CONF_ISR_ENTER();
    CHECK(OSTmrStart(t2, &err) == OS_FALSE);
    CHECK_ERR(err, OS_ERR_TMR_ISR);
    (void)OSTmrStateGet(t2, &err);
    CHECK_ERR(err, OS_ERR_TMR_ISR);
    (void)OSTmrNameGet(t2, &name, &err);
    CHECK_ERR(err, OS_ERR_NAME_GET_ISR);
    CONF_ISR_EXIT();
    CHECK(OSTmrDel(t2, &err) == OS_TRUE);

    conf_case("tmr: timers run out");
    made = 0u;
    for (i = 0u; i <= OS_TMR_CFG_MAX; i++) {
        all[i] = OSTmrCreate(1u, 0u, OS_TMR_OPT_ONE_SHOT, tmr_callback, (void *)0, (INT8U *)(void *)"n", &err);
        if (all[i] != (OS_TMR *)0) {
            made++;
        }
    }
    CHECK_EQ(made, OS_TMR_CFG_MAX);
    CHECK_ERR(err, OS_ERR_TMR_NON_AVAIL);
    CHECK_EQ(OSTmrFree, 0u);
    CHECK_EQ(OSTmrUsed, OS_TMR_CFG_MAX);
    for (i = 0u; i < OS_TMR_CFG_MAX; i++) {
        (void)OSTmrDel(all[i], &err);
    }
    CHECK_EQ(OSTmrFree, OS_TMR_CFG_MAX);
}

/* ---------------------------------------------------------------------------
 * Statistics
 * ------------------------------------------------------------------------- */
void conf_test_stat(void)
{
    OS_STK_DATA stk;

    conf_case("stat: CPU usage and stack checking by the statistics task");
    CHECK_EQ(OSStatRdy, OS_TRUE);
    CHECK(OSIdleCtrMax > 0u);
    OSTimeDly(OS_TICKS_PER_SEC / 2u);
    CHECK(OSCPUUsage <= 100u);
    CHECK(OSIdleCtrRun > 0u);
    CHECK(OSIdleCtr > 0u);
    CHECK(OSTCBPrioTbl[OS_TASK_IDLE_PRIO]->OSTCBStkUsed > 0u); /* filled in by the statistics task */
    CHECK(OSTCBPrioTbl[OS_TASK_IDLE_PRIO]->OSTCBStkBase ==
          &OSTaskIdleStk[0] + OS_TASK_IDLE_STK_SIZE);
    CHECK_ERR(OSTaskStkChk(OS_TASK_STAT_PRIO, &stk), OS_ERR_NONE);
    CHECK(stk.OSUsed > 0u);
    CHECK_EQ(OSTCBPrioTbl[OS_TASK_STAT_PRIO]->OSTCBStkUsed, stk.OSUsed);
}
