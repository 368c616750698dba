/* SPDX-License-Identifier: MIT OR Apache-2.0 */
/*
 * ucvisor bundled µC/OS-II-compatible kernel — written for this project from the
 * documented V2.93.01 API.
 *
 * api_check.c — compile-only check of the public API against the V2.93.01
 * checklist: every service and hook with its exact prototype (assigned to a
 * pointer of the documented type, so a mismatch is a compile error under
 * -Werror), and every constant and error code value. Needs the default
 * configuration.
 */
#include <stddef.h>

#include "ucos_ii.h"
#include "os.h"

#define SA(expr) _Static_assert(expr, #expr)

/* ---- Types ---- */
SA(sizeof(INT8U) == 1 && sizeof(INT16U) == 2 && sizeof(INT32U) == 4);
SA(sizeof(OS_PRIO) == 1); /* OS_LOWEST_PRIO <= 63 */
SA(sizeof(OS_FLAGS) == 2); /* OS_FLAGS_NBITS 16 */
SA(sizeof(OS_ERR) == 1);
SA(offsetof(OS_TCB, OSTCBStkPtr) == 0);
SA(sizeof(((OS_STK_DATA *)0)->OSFree) == 4 && sizeof(((OS_STK_DATA *)0)->OSUsed) == 4);
SA(sizeof(((OS_MEM_DATA *)0)->OSNUsed) == 4);

static void check_type_fields(OS_TCB *t, OS_MEM_DATA *m, OS_Q_DATA *q, OS_SEM_DATA *s, OS_MBOX_DATA *mb,
                              OS_MUTEX_DATA *mx, OS_EVENT *e, OS_FLAG_GRP *g, OS_FLAG_NODE *n, OS_MEM *pm,
                              OS_Q *pq, OS_TMR *tm)
{
    /* Field names applications use (a missing one fails to compile). */
    (void)t->OSTCBStkPtr; (void)t->OSTCBExtPtr; (void)t->OSTCBStkBottom; (void)t->OSTCBStkSize;
    (void)t->OSTCBOpt; (void)t->OSTCBId; (void)t->OSTCBNext; (void)t->OSTCBPrev; (void)t->OSTCBEventPtr;
    (void)t->OSTCBEventMultiPtr; (void)t->OSTCBMsg; (void)t->OSTCBFlagNode; (void)t->OSTCBFlagsRdy;
    (void)t->OSTCBDly; (void)t->OSTCBStat; (void)t->OSTCBStatPend; (void)t->OSTCBPrio; (void)t->OSTCBX;
    (void)t->OSTCBY; (void)t->OSTCBBitX; (void)t->OSTCBBitY; (void)t->OSTCBDelReq; (void)t->OSTCBCtxSwCtr;
    (void)t->OSTCBCyclesTot; (void)t->OSTCBCyclesStart; (void)t->OSTCBStkBase; (void)t->OSTCBStkUsed;
    (void)t->OSTCBTaskName; (void)t->OSTCBRegTbl[0];
    (void)m->OSAddr; (void)m->OSFreeList; (void)m->OSBlkSize; (void)m->OSNBlks; (void)m->OSNFree; (void)m->OSNUsed;
    (void)q->OSMsg; (void)q->OSNMsgs; (void)q->OSQSize; (void)q->OSEventTbl[0]; (void)q->OSEventGrp;
    (void)s->OSCnt; (void)s->OSEventTbl[0]; (void)s->OSEventGrp;
    (void)mb->OSMsg; (void)mb->OSEventTbl[0]; (void)mb->OSEventGrp;
    (void)mx->OSEventTbl[0]; (void)mx->OSEventGrp; (void)mx->OSValue; (void)mx->OSOwnerPrio; (void)mx->OSMutexPCP;
    (void)e->OSEventType; (void)e->OSEventPtr; (void)e->OSEventCnt; (void)e->OSEventGrp; (void)e->OSEventTbl[0];
    (void)e->OSEventName;
    (void)g->OSFlagType; (void)g->OSFlagWaitList; (void)g->OSFlagFlags; (void)g->OSFlagName;
    (void)n->OSFlagNodeNext; (void)n->OSFlagNodePrev; (void)n->OSFlagNodeTCB; (void)n->OSFlagNodeFlagGrp;
    (void)n->OSFlagNodeFlags; (void)n->OSFlagNodeWaitType;
    (void)pm->OSMemAddr; (void)pm->OSMemFreeList; (void)pm->OSMemBlkSize; (void)pm->OSMemNBlks;
    (void)pm->OSMemNFree; (void)pm->OSMemName;
    (void)pq->OSQPtr; (void)pq->OSQStart; (void)pq->OSQEnd; (void)pq->OSQIn; (void)pq->OSQOut; (void)pq->OSQSize;
    (void)pq->OSQEntries;
    (void)tm->OSTmrType; (void)tm->OSTmrCallback; (void)tm->OSTmrCallbackArg; (void)tm->OSTmrNext;
    (void)tm->OSTmrPrev; (void)tm->OSTmrMatch; (void)tm->OSTmrDly; (void)tm->OSTmrPeriod; (void)tm->OSTmrName;
    (void)tm->OSTmrOpt; (void)tm->OSTmrState;
}

/* ---- Globals applications read, with their types ---- */
static void check_globals(void)
{
    INT8U *p8;
    INT32U *p32;
    BOOLEAN *pb;
    OS_TCB **ptcb;
    OS_PRIO *pp;
    OS_STK *ps;
    INT8U const *pc;
    volatile INT32U *pv;

    p8 = &OSCPUUsage; p32 = &OSCtxSwCtr; pv = &OSIdleCtr; p32 = &OSIdleCtrMax; p32 = &OSIdleCtrRun;
    pb = &OSStatRdy; p8 = &OSTaskCtr; pv = &OSTime; pb = &OSRunning; p8 = &OSIntNesting; p8 = &OSLockNesting;
    p8 = &OSPrioCur; p8 = &OSPrioHighRdy; ptcb = &OSTCBCur; ptcb = &OSTCBHighRdy; ptcb = &OSTCBList;
    ptcb = &OSTCBPrioTbl[0]; pp = &OSRdyGrp; pp = &OSRdyTbl[0]; ps = &OSTaskIdleStk[0]; ps = &OSTaskStatStk[0];
    pc = &OSUnMapTbl[0];
    (void)p8; (void)p32; (void)pb; (void)ptcb; (void)pp; (void)ps; (void)pc; (void)pv;
}

/* ---- Every service and hook, with its documented prototype ---- */
typedef void (*task_fn)(void *p_arg);

/* Typed pointers: assigning a function of a different type is a constraint
 * violation the compiler reports. */
INT8U (*const api_OSEventNameGet)(OS_EVENT *, INT8U **, INT8U *) = OSEventNameGet;
void (*const api_OSEventNameSet)(OS_EVENT *, INT8U *, INT8U *) = OSEventNameSet;
INT16U (*const api_OSEventPendMulti)(OS_EVENT **, OS_EVENT **, void **, INT32U, INT8U *) = OSEventPendMulti;
void (*const api_OSInit)(void) = OSInit;
void (*const api_OSStart)(void) = OSStart;
void (*const api_OSIntEnter)(void) = OSIntEnter;
void (*const api_OSIntExit)(void) = OSIntExit;
void (*const api_OSSchedLock)(void) = OSSchedLock;
void (*const api_OSSchedUnlock)(void) = OSSchedUnlock;
void (*const api_OSStatInit)(void) = OSStatInit;
void (*const api_OSTimeTick)(void) = OSTimeTick;
INT16U (*const api_OSVersion)(void) = OSVersion;

INT8U (*const api_OSTaskCreate)(task_fn, void *, OS_STK *, INT8U) = OSTaskCreate;
INT8U (*const api_OSTaskCreateExt)(task_fn, void *, OS_STK *, INT8U, INT16U, OS_STK *, INT32U, void *,
                                   INT16U) = OSTaskCreateExt;
INT8U (*const api_OSTaskDel)(INT8U) = OSTaskDel;
INT8U (*const api_OSTaskDelReq)(INT8U) = OSTaskDelReq;
INT8U (*const api_OSTaskChangePrio)(INT8U, INT8U) = OSTaskChangePrio;
INT8U (*const api_OSTaskSuspend)(INT8U) = OSTaskSuspend;
INT8U (*const api_OSTaskResume)(INT8U) = OSTaskResume;
INT8U (*const api_OSTaskQuery)(INT8U, OS_TCB *) = OSTaskQuery;
INT8U (*const api_OSTaskStkChk)(INT8U, OS_STK_DATA *) = OSTaskStkChk;
INT8U (*const api_OSTaskNameGet)(INT8U, INT8U **, INT8U *) = OSTaskNameGet;
void (*const api_OSTaskNameSet)(INT8U, INT8U *, INT8U *) = OSTaskNameSet;
INT32U (*const api_OSTaskRegGet)(INT8U, INT8U, INT8U *) = OSTaskRegGet;
INT8U (*const api_OSTaskRegGetID)(INT8U *) = OSTaskRegGetID;
void (*const api_OSTaskRegSet)(INT8U, INT8U, INT32U, INT8U *) = OSTaskRegSet;

void (*const api_OSTimeDly)(INT32U) = OSTimeDly;
INT8U (*const api_OSTimeDlyHMSM)(INT8U, INT8U, INT8U, INT16U) = OSTimeDlyHMSM;
INT8U (*const api_OSTimeDlyResume)(INT8U) = OSTimeDlyResume;
INT32U (*const api_OSTimeGet)(void) = OSTimeGet;
void (*const api_OSTimeSet)(INT32U) = OSTimeSet;

OS_EVENT *(*const api_OSSemCreate)(INT16U) = OSSemCreate;
void (*const api_OSSemPend)(OS_EVENT *, INT32U, INT8U *) = OSSemPend;
INT8U (*const api_OSSemPost)(OS_EVENT *) = OSSemPost;
INT16U (*const api_OSSemAccept)(OS_EVENT *) = OSSemAccept;
OS_EVENT *(*const api_OSSemDel)(OS_EVENT *, INT8U, INT8U *) = OSSemDel;
INT8U (*const api_OSSemPendAbort)(OS_EVENT *, INT8U, INT8U *) = OSSemPendAbort;
INT8U (*const api_OSSemQuery)(OS_EVENT *, OS_SEM_DATA *) = OSSemQuery;
void (*const api_OSSemSet)(OS_EVENT *, INT16U, INT8U *) = OSSemSet;

OS_EVENT *(*const api_OSMutexCreate)(INT8U, INT8U *) = OSMutexCreate;
void (*const api_OSMutexPend)(OS_EVENT *, INT32U, INT8U *) = OSMutexPend;
INT8U (*const api_OSMutexPost)(OS_EVENT *) = OSMutexPost;
BOOLEAN (*const api_OSMutexAccept)(OS_EVENT *, INT8U *) = OSMutexAccept;
OS_EVENT *(*const api_OSMutexDel)(OS_EVENT *, INT8U, INT8U *) = OSMutexDel;
INT8U (*const api_OSMutexQuery)(OS_EVENT *, OS_MUTEX_DATA *) = OSMutexQuery;

OS_EVENT *(*const api_OSMboxCreate)(void *) = OSMboxCreate;
void *(*const api_OSMboxPend)(OS_EVENT *, INT32U, INT8U *) = OSMboxPend;
INT8U (*const api_OSMboxPost)(OS_EVENT *, void *) = OSMboxPost;
INT8U (*const api_OSMboxPostOpt)(OS_EVENT *, void *, INT8U) = OSMboxPostOpt;
void *(*const api_OSMboxAccept)(OS_EVENT *) = OSMboxAccept;
OS_EVENT *(*const api_OSMboxDel)(OS_EVENT *, INT8U, INT8U *) = OSMboxDel;
INT8U (*const api_OSMboxPendAbort)(OS_EVENT *, INT8U, INT8U *) = OSMboxPendAbort;
INT8U (*const api_OSMboxQuery)(OS_EVENT *, OS_MBOX_DATA *) = OSMboxQuery;

OS_EVENT *(*const api_OSQCreate)(void **, INT16U) = OSQCreate;
void *(*const api_OSQPend)(OS_EVENT *, INT32U, INT8U *) = OSQPend;
INT8U (*const api_OSQPost)(OS_EVENT *, void *) = OSQPost;
INT8U (*const api_OSQPostFront)(OS_EVENT *, void *) = OSQPostFront;
INT8U (*const api_OSQPostOpt)(OS_EVENT *, void *, INT8U) = OSQPostOpt;
void *(*const api_OSQAccept)(OS_EVENT *, INT8U *) = OSQAccept;
INT8U (*const api_OSQFlush)(OS_EVENT *) = OSQFlush;
OS_EVENT *(*const api_OSQDel)(OS_EVENT *, INT8U, INT8U *) = OSQDel;
INT8U (*const api_OSQPendAbort)(OS_EVENT *, INT8U, INT8U *) = OSQPendAbort;
INT8U (*const api_OSQQuery)(OS_EVENT *, OS_Q_DATA *) = OSQQuery;

OS_FLAG_GRP *(*const api_OSFlagCreate)(OS_FLAGS, INT8U *) = OSFlagCreate;
OS_FLAGS (*const api_OSFlagPend)(OS_FLAG_GRP *, OS_FLAGS, INT8U, INT32U, INT8U *) = OSFlagPend;
OS_FLAGS (*const api_OSFlagPost)(OS_FLAG_GRP *, OS_FLAGS, INT8U, INT8U *) = OSFlagPost;
OS_FLAGS (*const api_OSFlagPendGetFlagsRdy)(void) = OSFlagPendGetFlagsRdy;
OS_FLAGS (*const api_OSFlagAccept)(OS_FLAG_GRP *, OS_FLAGS, INT8U, INT8U *) = OSFlagAccept;
OS_FLAG_GRP *(*const api_OSFlagDel)(OS_FLAG_GRP *, INT8U, INT8U *) = OSFlagDel;
OS_FLAGS (*const api_OSFlagQuery)(OS_FLAG_GRP *, INT8U *) = OSFlagQuery;
INT8U (*const api_OSFlagNameGet)(OS_FLAG_GRP *, INT8U **, INT8U *) = OSFlagNameGet;
void (*const api_OSFlagNameSet)(OS_FLAG_GRP *, INT8U *, INT8U *) = OSFlagNameSet;

OS_MEM *(*const api_OSMemCreate)(void *, INT32U, INT32U, INT8U *) = OSMemCreate;
void *(*const api_OSMemGet)(OS_MEM *, INT8U *) = OSMemGet;
INT8U (*const api_OSMemPut)(OS_MEM *, void *) = OSMemPut;
INT8U (*const api_OSMemQuery)(OS_MEM *, OS_MEM_DATA *) = OSMemQuery;
INT8U (*const api_OSMemNameGet)(OS_MEM *, INT8U **, INT8U *) = OSMemNameGet;
void (*const api_OSMemNameSet)(OS_MEM *, INT8U *, INT8U *) = OSMemNameSet;

OS_TMR *(*const api_OSTmrCreate)(INT32U, INT32U, INT8U, OS_TMR_CALLBACK, void *, INT8U *, INT8U *) = OSTmrCreate;
BOOLEAN (*const api_OSTmrDel)(OS_TMR *, INT8U *) = OSTmrDel;
BOOLEAN (*const api_OSTmrStart)(OS_TMR *, INT8U *) = OSTmrStart;
BOOLEAN (*const api_OSTmrStop)(OS_TMR *, INT8U, void *, INT8U *) = OSTmrStop;
INT32U (*const api_OSTmrRemainGet)(OS_TMR *, INT8U *) = OSTmrRemainGet;
INT8U (*const api_OSTmrStateGet)(OS_TMR *, INT8U *) = OSTmrStateGet;
INT8U (*const api_OSTmrNameGet)(OS_TMR *, INT8U **, INT8U *) = OSTmrNameGet;
INT8U (*const api_OSTmrSignal)(void) = OSTmrSignal;
void (*const api_tmr_callback_type)(void *, void *) = (OS_TMR_CALLBACK)0;

/* Hooks and port functions the kernel calls */
void (*const api_OSInitHookBegin)(void) = OSInitHookBegin;
void (*const api_OSInitHookEnd)(void) = OSInitHookEnd;
void (*const api_OSTaskCreateHook)(OS_TCB *) = OSTaskCreateHook;
void (*const api_OSTaskDelHook)(OS_TCB *) = OSTaskDelHook;
void (*const api_OSTaskIdleHook)(void) = OSTaskIdleHook;
void (*const api_OSTaskReturnHook)(OS_TCB *) = OSTaskReturnHook;
void (*const api_OSTaskStatHook)(void) = OSTaskStatHook;
void (*const api_OSTCBInitHook)(OS_TCB *) = OSTCBInitHook;
void (*const api_OSTimeTickHook)(void) = OSTimeTickHook;
void (*const api_OSTaskSwHook)(void) = OSTaskSwHook;
OS_STK *(*const api_OSTaskStkInit)(task_fn, void *, OS_STK *, INT16U) = OSTaskStkInit;
void (*const api_OSDebugInit)(void) = OSDebugInit;
void (*const api_OS_TaskReturn)(void) = OS_TaskReturn;
#if OS_APP_HOOKS_EN > 0u /* declared only then (the SDK default is 0) */
void (*const api_App_TaskCreateHook)(OS_TCB *) = App_TaskCreateHook;
void (*const api_App_TaskDelHook)(OS_TCB *) = App_TaskDelHook;
void (*const api_App_TaskIdleHook)(void) = App_TaskIdleHook;
void (*const api_App_TaskReturnHook)(OS_TCB *) = App_TaskReturnHook;
void (*const api_App_TaskStatHook)(void) = App_TaskStatHook;
void (*const api_App_TaskSwHook)(void) = App_TaskSwHook;
void (*const api_App_TCBInitHook)(OS_TCB *) = App_TCBInitHook;
void (*const api_App_TimeTickHook)(void) = App_TimeTickHook;
#endif

/* Port functions declared by os_cpu.h */
void (*const api_OSCtxSw)(void) = OSCtxSw;
void (*const api_OSIntCtxSw)(void) = OSIntCtxSw;
void (*const api_OSStartHighRdy)(void) = OSStartHighRdy;

/* ---- Constants ---- */
SA(OS_VERSION == 29300u);
SA(OS_TRUE == 1u && OS_FALSE == 0u);
SA(OS_PRIO_SELF == 0xFFu && OS_PRIO_MUTEX_CEIL_DIS == 0xFFu);
SA(OS_TASK_IDLE_PRIO == OS_LOWEST_PRIO && OS_TASK_STAT_PRIO == OS_LOWEST_PRIO - 1u);
SA(OS_N_SYS_TASKS == 2u);
SA(OS_TASK_IDLE_ID == 65535u && OS_TASK_STAT_ID == 65534u && OS_TASK_TMR_ID == 65533u);
SA(OS_DEL_NO_PEND == 0u && OS_DEL_ALWAYS == 1u);
SA(OS_PEND_OPT_NONE == 0u && OS_PEND_OPT_BROADCAST == 1u);
SA(OS_POST_OPT_NONE == 0x00u && OS_POST_OPT_BROADCAST == 0x01u && OS_POST_OPT_FRONT == 0x02u &&
   OS_POST_OPT_NO_SCHED == 0x04u);
SA(OS_TASK_OPT_NONE == 0x0000u && OS_TASK_OPT_STK_CHK == 0x0001u && OS_TASK_OPT_STK_CLR == 0x0002u &&
   OS_TASK_OPT_SAVE_FP == 0x0004u && OS_TASK_OPT_NO_TLS == 0x0008u);
SA(OS_FLAG_WAIT_CLR_ALL == 0u && OS_FLAG_WAIT_CLR_AND == 0u && OS_FLAG_WAIT_CLR_ANY == 1u &&
   OS_FLAG_WAIT_CLR_OR == 1u && OS_FLAG_WAIT_SET_ALL == 2u && OS_FLAG_WAIT_SET_AND == 2u &&
   OS_FLAG_WAIT_SET_ANY == 3u && OS_FLAG_WAIT_SET_OR == 3u);
SA(OS_FLAG_CONSUME == 0x80u && OS_FLAG_CLR == 0u && OS_FLAG_SET == 1u);
SA(OS_TMR_OPT_NONE == 0u && OS_TMR_OPT_ONE_SHOT == 1u && OS_TMR_OPT_PERIODIC == 2u && OS_TMR_OPT_CALLBACK == 3u &&
   OS_TMR_OPT_CALLBACK_ARG == 4u);
SA(OS_TMR_STATE_UNUSED == 0u && OS_TMR_STATE_STOPPED == 1u && OS_TMR_STATE_COMPLETED == 2u &&
   OS_TMR_STATE_RUNNING == 3u);
SA(OS_TMR_TYPE == 100u);
SA(OS_STAT_RDY == 0x00u && OS_STAT_SEM == 0x01u && OS_STAT_MBOX == 0x02u && OS_STAT_Q == 0x04u &&
   OS_STAT_SUSPEND == 0x08u && OS_STAT_MUTEX == 0x10u && OS_STAT_FLAG == 0x20u && OS_STAT_MULTI == 0x80u);
SA(OS_STAT_PEND_ANY == (OS_STAT_SEM | OS_STAT_MBOX | OS_STAT_Q | OS_STAT_MUTEX | OS_STAT_FLAG));
SA(OS_STAT_PEND_OK == 0u && OS_STAT_PEND_TO == 1u && OS_STAT_PEND_ABORT == 2u);
SA(OS_EVENT_TYPE_UNUSED == 0u && OS_EVENT_TYPE_MBOX == 1u && OS_EVENT_TYPE_Q == 2u && OS_EVENT_TYPE_SEM == 3u &&
   OS_EVENT_TYPE_MUTEX == 4u && OS_EVENT_TYPE_FLAG == 5u);

/* ---- Error codes ---- */
SA(OS_ERR_NONE == 0u);
SA(OS_ERR_EVENT_TYPE == 1u);
SA(OS_ERR_PEND_ISR == 2u);
SA(OS_ERR_POST_NULL_PTR == 3u);
SA(OS_ERR_PEVENT_NULL == 4u);
SA(OS_ERR_POST_ISR == 5u);
SA(OS_ERR_QUERY_ISR == 6u);
SA(OS_ERR_INVALID_OPT == 7u);
SA(OS_ERR_ID_INVALID == 8u);
SA(OS_ERR_PDATA_NULL == 9u);
SA(OS_ERR_TIMEOUT == 10u);
SA(OS_ERR_EVENT_NAME_TOO_LONG == 11u);
SA(OS_ERR_PNAME_NULL == 12u);
SA(OS_ERR_PEND_LOCKED == 13u);
SA(OS_ERR_PEND_ABORT == 14u);
SA(OS_ERR_DEL_ISR == 15u);
SA(OS_ERR_CREATE_ISR == 16u);
SA(OS_ERR_NAME_GET_ISR == 17u);
SA(OS_ERR_NAME_SET_ISR == 18u);
SA(OS_ERR_ILLEGAL_CREATE_RUN_TIME == 19u);
SA(OS_ERR_MBOX_FULL == 20u);
SA(OS_ERR_ILLEGAL_DEL_RUN_TIME == 21u);
SA(OS_ERR_Q_FULL == 30u);
SA(OS_ERR_Q_EMPTY == 31u);
SA(OS_ERR_PRIO_EXIST == 40u);
SA(OS_ERR_PRIO == 41u);
SA(OS_ERR_PRIO_INVALID == 42u);
SA(OS_ERR_SCHED_LOCKED == 50u);
SA(OS_ERR_SEM_OVF == 51u);
SA(OS_ERR_TASK_CREATE_ISR == 60u);
SA(OS_ERR_TASK_DEL == 61u);
SA(OS_ERR_TASK_DEL_IDLE == 62u);
SA(OS_ERR_TASK_DEL_REQ == 63u);
SA(OS_ERR_TASK_DEL_ISR == 64u);
SA(OS_ERR_TASK_NAME_TOO_LONG == 65u);
SA(OS_ERR_TASK_NO_MORE_TCB == 66u);
SA(OS_ERR_TASK_NOT_EXIST == 67u);
SA(OS_ERR_TASK_NOT_SUSPENDED == 68u);
SA(OS_ERR_TASK_OPT == 69u);
SA(OS_ERR_TASK_RESUME_PRIO == 70u);
SA(OS_ERR_TASK_SUSPEND_IDLE == 71u);
SA(OS_ERR_TASK_SUSPEND_PRIO == 72u);
SA(OS_ERR_TASK_WAITING == 73u);
SA(OS_ERR_TIME_NOT_DLY == 80u);
SA(OS_ERR_TIME_INVALID_MINUTES == 81u);
SA(OS_ERR_TIME_INVALID_SECONDS == 82u);
SA(OS_ERR_TIME_INVALID_MS == 83u);
SA(OS_ERR_TIME_ZERO_DLY == 84u);
SA(OS_ERR_TIME_DLY_ISR == 85u);
SA(OS_ERR_MEM_INVALID_PART == 90u);
SA(OS_ERR_MEM_INVALID_BLKS == 91u);
SA(OS_ERR_MEM_INVALID_SIZE == 92u);
SA(OS_ERR_MEM_NO_FREE_BLKS == 93u);
SA(OS_ERR_MEM_FULL == 94u);
SA(OS_ERR_MEM_INVALID_PBLK == 95u);
SA(OS_ERR_MEM_INVALID_PMEM == 96u);
SA(OS_ERR_MEM_INVALID_PDATA == 97u);
SA(OS_ERR_MEM_INVALID_ADDR == 98u);
SA(OS_ERR_MEM_NAME_TOO_LONG == 99u);
SA(OS_ERR_NOT_MUTEX_OWNER == 100u);
SA(OS_ERR_FLAG_INVALID_PGRP == 110u);
SA(OS_ERR_FLAG_WAIT_TYPE == 111u);
SA(OS_ERR_FLAG_NOT_RDY == 112u);
SA(OS_ERR_FLAG_INVALID_OPT == 113u);
SA(OS_ERR_FLAG_GRP_DEPLETED == 114u);
SA(OS_ERR_FLAG_NAME_TOO_LONG == 115u);
SA(OS_ERR_PCP_LOWER == 120u);
SA(OS_ERR_TMR_INVALID_DLY == 130u);
SA(OS_ERR_TMR_INVALID_PERIOD == 131u);
SA(OS_ERR_TMR_INVALID_OPT == 132u);
SA(OS_ERR_TMR_INVALID_NAME == 133u);
SA(OS_ERR_TMR_NON_AVAIL == 134u);
SA(OS_ERR_TMR_INACTIVE == 135u);
SA(OS_ERR_TMR_INVALID_DEST == 136u);
SA(OS_ERR_TMR_INVALID_TYPE == 137u);
SA(OS_ERR_TMR_INVALID == 138u);
SA(OS_ERR_TMR_ISR == 139u);
SA(OS_ERR_TMR_NAME_TOO_LONG == 140u);
SA(OS_ERR_TMR_INVALID_STATE == 141u);
SA(OS_ERR_TMR_STOPPED == 142u);
SA(OS_ERR_TMR_NO_CALLBACK == 143u);
SA(OS_ERR_NO_MORE_ID_AVAIL == 150u);
SA(OS_ERR_TLS_NO_MORE_AVAIL == 160u);
SA(OS_ERR_TLS_ID_INVALID == 161u);
SA(OS_ERR_TLS_NOT_EN == 162u);
SA(OS_ERR_TLS_DESTRUCT_ASSIGNED == 163u);
SA(OS_ERR_OS_NOT_RUNNING == 164u);

/* Keep the static helpers referenced. */
void api_check_anchor(void);
void api_check_anchor(void)
{
    check_globals();
    (void)check_type_fields;
}
