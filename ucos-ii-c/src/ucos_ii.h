/* SPDX-License-Identifier: MIT OR Apache-2.0 */
/*
 * ucvisor bundled µC/OS-II-compatible kernel — written for this project from the
 * documented V2.93.01 API.
 *
 * ucos_ii.h: the one public header. Constants, error codes, types, kernel
 * objects, globals and every service prototype, shaped by the os_cfg.h switches
 * exactly as applications and ports written for µC/OS-II V2.93.01 expect.
 */
#ifndef OS_uCOS_II_H
#define OS_uCOS_II_H

#ifdef __cplusplus
extern "C" {
#endif

/* Version: 2.93.01 */
#define OS_VERSION 29300u

/* Include chain required by the port contract: configuration, then the port, then
 * the trace hooks. */
#include <app_cfg.h>
#include <os_cfg.h>
#include <os_cpu.h>
#include "os_trace.h"

/* ---------------------------------------------------------------------------
 * Configuration completeness: stop with the name of a missing os_cfg.h switch.
 * ------------------------------------------------------------------------- */
#ifndef OS_APP_HOOKS_EN
#error "os_cfg.h: OS_APP_HOOKS_EN is not defined"
#endif
#ifndef OS_ARG_CHK_EN
#error "os_cfg.h: OS_ARG_CHK_EN is not defined"
#endif
#ifndef OS_CPU_HOOKS_EN
#error "os_cfg.h: OS_CPU_HOOKS_EN is not defined"
#endif
#ifndef OS_DEBUG_EN
#error "os_cfg.h: OS_DEBUG_EN is not defined"
#endif
#ifndef OS_EVENT_MULTI_EN
#error "os_cfg.h: OS_EVENT_MULTI_EN is not defined"
#endif
#ifndef OS_EVENT_NAME_EN
#error "os_cfg.h: OS_EVENT_NAME_EN is not defined"
#endif
#ifndef OS_LOWEST_PRIO
#error "os_cfg.h: OS_LOWEST_PRIO is not defined"
#endif
#ifndef OS_MAX_EVENTS
#error "os_cfg.h: OS_MAX_EVENTS is not defined"
#endif
#ifndef OS_MAX_TASKS
#error "os_cfg.h: OS_MAX_TASKS is not defined"
#endif
#ifndef OS_SCHED_LOCK_EN
#error "os_cfg.h: OS_SCHED_LOCK_EN is not defined"
#endif
#ifndef OS_TICK_STEP_EN
#error "os_cfg.h: OS_TICK_STEP_EN is not defined"
#endif
#ifndef OS_TICKS_PER_SEC
#error "os_cfg.h: OS_TICKS_PER_SEC is not defined"
#endif
#ifndef OS_TASK_IDLE_STK_SIZE
#error "os_cfg.h: OS_TASK_IDLE_STK_SIZE is not defined"
#endif
#ifndef OS_TASK_CHANGE_PRIO_EN
#error "os_cfg.h: OS_TASK_CHANGE_PRIO_EN is not defined"
#endif
#ifndef OS_TASK_CREATE_EN
#error "os_cfg.h: OS_TASK_CREATE_EN is not defined"
#endif
#ifndef OS_TASK_CREATE_EXT_EN
#error "os_cfg.h: OS_TASK_CREATE_EXT_EN is not defined"
#endif
#ifndef OS_TASK_DEL_EN
#error "os_cfg.h: OS_TASK_DEL_EN is not defined"
#endif
#ifndef OS_TASK_NAME_EN
#error "os_cfg.h: OS_TASK_NAME_EN is not defined"
#endif
#ifndef OS_TASK_PROFILE_EN
#error "os_cfg.h: OS_TASK_PROFILE_EN is not defined"
#endif
#ifndef OS_TASK_QUERY_EN
#error "os_cfg.h: OS_TASK_QUERY_EN is not defined"
#endif
#ifndef OS_TASK_REG_TBL_SIZE
#error "os_cfg.h: OS_TASK_REG_TBL_SIZE is not defined"
#endif
#ifndef OS_TASK_STAT_EN
#error "os_cfg.h: OS_TASK_STAT_EN is not defined"
#endif
#ifndef OS_TASK_STAT_STK_CHK_EN
#error "os_cfg.h: OS_TASK_STAT_STK_CHK_EN is not defined"
#endif
#ifndef OS_TASK_SUSPEND_EN
#error "os_cfg.h: OS_TASK_SUSPEND_EN is not defined"
#endif
#ifndef OS_TASK_SW_HOOK_EN
#error "os_cfg.h: OS_TASK_SW_HOOK_EN is not defined"
#endif
#ifndef OS_TIME_DLY_HMSM_EN
#error "os_cfg.h: OS_TIME_DLY_HMSM_EN is not defined"
#endif
#ifndef OS_TIME_DLY_RESUME_EN
#error "os_cfg.h: OS_TIME_DLY_RESUME_EN is not defined"
#endif
#ifndef OS_TIME_GET_SET_EN
#error "os_cfg.h: OS_TIME_GET_SET_EN is not defined"
#endif
#ifndef OS_TIME_TICK_HOOK_EN
#error "os_cfg.h: OS_TIME_TICK_HOOK_EN is not defined"
#endif
#ifndef OS_FLAG_EN
#error "os_cfg.h: OS_FLAG_EN is not defined"
#endif
#ifndef OS_MBOX_EN
#error "os_cfg.h: OS_MBOX_EN is not defined"
#endif
#ifndef OS_MEM_EN
#error "os_cfg.h: OS_MEM_EN is not defined"
#endif
#ifndef OS_MUTEX_EN
#error "os_cfg.h: OS_MUTEX_EN is not defined"
#endif
#ifndef OS_Q_EN
#error "os_cfg.h: OS_Q_EN is not defined"
#endif
#ifndef OS_SEM_EN
#error "os_cfg.h: OS_SEM_EN is not defined"
#endif
#ifndef OS_TMR_EN
#error "os_cfg.h: OS_TMR_EN is not defined"
#endif

#if OS_TASK_STAT_EN > 0u
#ifndef OS_TASK_STAT_STK_SIZE
#error "os_cfg.h: OS_TASK_STAT_STK_SIZE is not defined"
#endif
#endif

#if OS_FLAG_EN > 0u
#ifndef OS_MAX_FLAGS
#error "os_cfg.h: OS_MAX_FLAGS is not defined"
#endif
#ifndef OS_FLAG_WAIT_CLR_EN
#error "os_cfg.h: OS_FLAG_WAIT_CLR_EN is not defined"
#endif
#ifndef OS_FLAG_ACCEPT_EN
#error "os_cfg.h: OS_FLAG_ACCEPT_EN is not defined"
#endif
#ifndef OS_FLAG_DEL_EN
#error "os_cfg.h: OS_FLAG_DEL_EN is not defined"
#endif
#ifndef OS_FLAG_NAME_EN
#error "os_cfg.h: OS_FLAG_NAME_EN is not defined"
#endif
#ifndef OS_FLAG_QUERY_EN
#error "os_cfg.h: OS_FLAG_QUERY_EN is not defined"
#endif
#ifndef OS_FLAGS_NBITS
#error "os_cfg.h: OS_FLAGS_NBITS is not defined"
#endif
#endif

#if OS_MBOX_EN > 0u
#ifndef OS_MBOX_ACCEPT_EN
#error "os_cfg.h: OS_MBOX_ACCEPT_EN is not defined"
#endif
#ifndef OS_MBOX_DEL_EN
#error "os_cfg.h: OS_MBOX_DEL_EN is not defined"
#endif
#ifndef OS_MBOX_PEND_ABORT_EN
#error "os_cfg.h: OS_MBOX_PEND_ABORT_EN is not defined"
#endif
#ifndef OS_MBOX_POST_EN
#error "os_cfg.h: OS_MBOX_POST_EN is not defined"
#endif
#ifndef OS_MBOX_POST_OPT_EN
#error "os_cfg.h: OS_MBOX_POST_OPT_EN is not defined"
#endif
#ifndef OS_MBOX_QUERY_EN
#error "os_cfg.h: OS_MBOX_QUERY_EN is not defined"
#endif
#endif

#if OS_MEM_EN > 0u
#ifndef OS_MAX_MEM_PART
#error "os_cfg.h: OS_MAX_MEM_PART is not defined"
#endif
#ifndef OS_MEM_NAME_EN
#error "os_cfg.h: OS_MEM_NAME_EN is not defined"
#endif
#ifndef OS_MEM_QUERY_EN
#error "os_cfg.h: OS_MEM_QUERY_EN is not defined"
#endif
#endif

#if OS_MUTEX_EN > 0u
#ifndef OS_MUTEX_ACCEPT_EN
#error "os_cfg.h: OS_MUTEX_ACCEPT_EN is not defined"
#endif
#ifndef OS_MUTEX_DEL_EN
#error "os_cfg.h: OS_MUTEX_DEL_EN is not defined"
#endif
#ifndef OS_MUTEX_QUERY_EN
#error "os_cfg.h: OS_MUTEX_QUERY_EN is not defined"
#endif
#endif

#if OS_Q_EN > 0u
#ifndef OS_MAX_QS
#error "os_cfg.h: OS_MAX_QS is not defined"
#endif
#ifndef OS_Q_ACCEPT_EN
#error "os_cfg.h: OS_Q_ACCEPT_EN is not defined"
#endif
#ifndef OS_Q_DEL_EN
#error "os_cfg.h: OS_Q_DEL_EN is not defined"
#endif
#ifndef OS_Q_FLUSH_EN
#error "os_cfg.h: OS_Q_FLUSH_EN is not defined"
#endif
#ifndef OS_Q_PEND_ABORT_EN
#error "os_cfg.h: OS_Q_PEND_ABORT_EN is not defined"
#endif
#ifndef OS_Q_POST_EN
#error "os_cfg.h: OS_Q_POST_EN is not defined"
#endif
#ifndef OS_Q_POST_FRONT_EN
#error "os_cfg.h: OS_Q_POST_FRONT_EN is not defined"
#endif
#ifndef OS_Q_POST_OPT_EN
#error "os_cfg.h: OS_Q_POST_OPT_EN is not defined"
#endif
#ifndef OS_Q_QUERY_EN
#error "os_cfg.h: OS_Q_QUERY_EN is not defined"
#endif
#endif

#if OS_SEM_EN > 0u
#ifndef OS_SEM_ACCEPT_EN
#error "os_cfg.h: OS_SEM_ACCEPT_EN is not defined"
#endif
#ifndef OS_SEM_DEL_EN
#error "os_cfg.h: OS_SEM_DEL_EN is not defined"
#endif
#ifndef OS_SEM_PEND_ABORT_EN
#error "os_cfg.h: OS_SEM_PEND_ABORT_EN is not defined"
#endif
#ifndef OS_SEM_QUERY_EN
#error "os_cfg.h: OS_SEM_QUERY_EN is not defined"
#endif
#ifndef OS_SEM_SET_EN
#error "os_cfg.h: OS_SEM_SET_EN is not defined"
#endif
#endif

#if OS_TMR_EN > 0u
#ifndef OS_TMR_CFG_MAX
#error "os_cfg.h: OS_TMR_CFG_MAX is not defined"
#endif
#ifndef OS_TMR_CFG_NAME_EN
#error "os_cfg.h: OS_TMR_CFG_NAME_EN is not defined"
#endif
#ifndef OS_TMR_CFG_WHEEL_SIZE
#error "os_cfg.h: OS_TMR_CFG_WHEEL_SIZE is not defined"
#endif
#ifndef OS_TMR_CFG_TICKS_PER_SEC
#error "os_cfg.h: OS_TMR_CFG_TICKS_PER_SEC is not defined"
#endif
#ifndef OS_TASK_TMR_STK_SIZE
#error "os_cfg.h: OS_TASK_TMR_STK_SIZE is not defined"
#endif
#ifndef OS_TASK_TMR_PRIO
#error "app_cfg.h: OS_TASK_TMR_PRIO is not defined"
#endif
#if OS_SEM_EN == 0u
#error "os_cfg.h: OS_TMR_EN needs OS_SEM_EN > 0"
#endif
#if OS_TMR_CFG_MAX < 2u
#error "os_cfg.h: OS_TMR_CFG_MAX must be at least 2"
#endif
#if OS_TMR_CFG_WHEEL_SIZE < 2u
#error "os_cfg.h: OS_TMR_CFG_WHEEL_SIZE must be at least 2"
#endif
#endif

#if OS_LOWEST_PRIO > 254u
#error "os_cfg.h: OS_LOWEST_PRIO must be at most 254"
#endif
#if OS_MAX_TASKS < 2u
#error "os_cfg.h: OS_MAX_TASKS must be at least 2"
#endif

#ifndef OS_CRITICAL_METHOD
#error "os_cpu.h: OS_CRITICAL_METHOD is not defined"
#endif
#ifndef OS_STK_GROWTH
#error "os_cpu.h: OS_STK_GROWTH is not defined"
#endif

#ifdef SAFETY_CRITICAL_RELEASE
#if OS_ARG_CHK_EN < 1u
#error "os_cfg.h: SAFETY_CRITICAL_RELEASE needs OS_ARG_CHK_EN > 0"
#endif
#if OS_APP_HOOKS_EN > 0u
#error "os_cfg.h: SAFETY_CRITICAL_RELEASE needs OS_APP_HOOKS_EN == 0"
#endif
#if OS_DEBUG_EN > 0u
#error "os_cfg.h: SAFETY_CRITICAL_RELEASE needs OS_DEBUG_EN == 0"
#endif
#if OS_TASK_DEL_EN > 0u
#error "os_cfg.h: SAFETY_CRITICAL_RELEASE needs OS_TASK_DEL_EN == 0"
#endif
#if OS_CRITICAL_METHOD != 3u
#error "os_cpu.h: SAFETY_CRITICAL_RELEASE needs OS_CRITICAL_METHOD == 3"
#endif
#endif

/* ---------------------------------------------------------------------------
 * Miscellaneous constants
 * ------------------------------------------------------------------------- */
#ifdef OS_GLOBALS
#define OS_EXT
#else
#define OS_EXT extern
#endif

#ifndef OS_FALSE
#define OS_FALSE 0u
#endif
#ifndef OS_TRUE
#define OS_TRUE 1u
#endif

#define OS_ASCII_NUL ((INT8U)0)

#define OS_PRIO_SELF 0xFFu

#if OS_TASK_STAT_EN > 0u
#define OS_N_SYS_TASKS 2u
#else
#define OS_N_SYS_TASKS 1u
#endif

#define OS_TASK_STAT_PRIO (OS_LOWEST_PRIO - 1u)
#define OS_TASK_IDLE_PRIO (OS_LOWEST_PRIO)

#if OS_LOWEST_PRIO <= 63u
#define OS_EVENT_TBL_SIZE ((OS_LOWEST_PRIO) / 8u + 1u)
#define OS_RDY_TBL_SIZE   ((OS_LOWEST_PRIO) / 8u + 1u)
#else
#define OS_EVENT_TBL_SIZE ((OS_LOWEST_PRIO) / 16u + 1u)
#define OS_RDY_TBL_SIZE   ((OS_LOWEST_PRIO) / 16u + 1u)
#endif

#define OS_TASK_IDLE_ID 65535u
#define OS_TASK_STAT_ID 65534u
#define OS_TASK_TMR_ID  65533u

/* Whether any event-control-block based service is compiled in. */
#define OS_EVENT_EN (((OS_Q_EN > 0u) && (OS_MAX_QS > 0u)) || (OS_MBOX_EN > 0u) || (OS_SEM_EN > 0u) || (OS_MUTEX_EN > 0u))

/* Placeholder in OSTCBPrioTbl[] for a priority claimed but not yet owned. */
#define OS_TCB_RESERVED ((OS_TCB *)1)

/* Task status bits (OSTCBStat) */
#define OS_STAT_RDY      0x00u
#define OS_STAT_SEM      0x01u
#define OS_STAT_MBOX     0x02u
#define OS_STAT_Q        0x04u
#define OS_STAT_SUSPEND  0x08u
#define OS_STAT_MUTEX    0x10u
#define OS_STAT_FLAG     0x20u
#define OS_STAT_MULTI    0x80u
#define OS_STAT_PEND_ANY (OS_STAT_SEM | OS_STAT_MBOX | OS_STAT_Q | OS_STAT_MUTEX | OS_STAT_FLAG)

/* Pend outcome (OSTCBStatPend) */
#define OS_STAT_PEND_OK    0u
#define OS_STAT_PEND_TO    1u
#define OS_STAT_PEND_ABORT 2u

/* Event control block types */
#define OS_EVENT_TYPE_UNUSED 0u
#define OS_EVENT_TYPE_MBOX   1u
#define OS_EVENT_TYPE_Q      2u
#define OS_EVENT_TYPE_SEM    3u
#define OS_EVENT_TYPE_MUTEX  4u
#define OS_EVENT_TYPE_FLAG   5u

#define OS_TMR_TYPE 100u

/* Event flag wait types and options */
#define OS_FLAG_WAIT_CLR_ALL 0u
#define OS_FLAG_WAIT_CLR_AND 0u
#define OS_FLAG_WAIT_CLR_ANY 1u
#define OS_FLAG_WAIT_CLR_OR  1u
#define OS_FLAG_WAIT_SET_ALL 2u
#define OS_FLAG_WAIT_SET_AND 2u
#define OS_FLAG_WAIT_SET_ANY 3u
#define OS_FLAG_WAIT_SET_OR  3u
#define OS_FLAG_CONSUME      0x80u
#define OS_FLAG_CLR          0u
#define OS_FLAG_SET          1u

/* Tick stepping (debugger support) */
#if OS_TICK_STEP_EN > 0u
#define OS_TICK_STEP_DIS  0u
#define OS_TICK_STEP_WAIT 1u
#define OS_TICK_STEP_ONCE 2u
#endif

/* Delete options */
#define OS_DEL_NO_PEND 0u
#define OS_DEL_ALWAYS  1u

/* Pend-abort options */
#define OS_PEND_OPT_NONE      0u
#define OS_PEND_OPT_BROADCAST 1u

/* Post options */
#define OS_POST_OPT_NONE      0x00u
#define OS_POST_OPT_BROADCAST 0x01u
#define OS_POST_OPT_FRONT     0x02u
#define OS_POST_OPT_NO_SCHED  0x04u

/* OSTaskCreateExt() options */
#define OS_TASK_OPT_NONE    0x0000u
#define OS_TASK_OPT_STK_CHK 0x0001u
#define OS_TASK_OPT_STK_CLR 0x0002u
#define OS_TASK_OPT_SAVE_FP 0x0004u
#define OS_TASK_OPT_NO_TLS  0x0008u

/* Mutex ceiling */
#define OS_PRIO_MUTEX_CEIL_DIS 0xFFu

/* Timer options, states and internal link kinds */
#define OS_TMR_OPT_NONE         0u
#define OS_TMR_OPT_ONE_SHOT     1u
#define OS_TMR_OPT_PERIODIC     2u
#define OS_TMR_OPT_CALLBACK     3u
#define OS_TMR_OPT_CALLBACK_ARG 4u

#define OS_TMR_STATE_UNUSED    0u
#define OS_TMR_STATE_STOPPED   1u
#define OS_TMR_STATE_COMPLETED 2u
#define OS_TMR_STATE_RUNNING   3u

#define OS_TMR_LINK_DLY      0u
#define OS_TMR_LINK_PERIODIC 1u

/* ---------------------------------------------------------------------------
 * Error codes
 * ------------------------------------------------------------------------- */
#define OS_ERR_NONE                     0u
#define OS_ERR_EVENT_TYPE               1u
#define OS_ERR_PEND_ISR                 2u
#define OS_ERR_POST_NULL_PTR            3u
#define OS_ERR_PEVENT_NULL              4u
#define OS_ERR_POST_ISR                 5u
#define OS_ERR_QUERY_ISR                6u
#define OS_ERR_INVALID_OPT              7u
#define OS_ERR_ID_INVALID               8u
#define OS_ERR_PDATA_NULL               9u
#define OS_ERR_TIMEOUT                 10u
#define OS_ERR_EVENT_NAME_TOO_LONG     11u
#define OS_ERR_PNAME_NULL              12u
#define OS_ERR_PEND_LOCKED             13u
#define OS_ERR_PEND_ABORT              14u
#define OS_ERR_DEL_ISR                 15u
#define OS_ERR_CREATE_ISR              16u
#define OS_ERR_NAME_GET_ISR            17u
#define OS_ERR_NAME_SET_ISR            18u
#define OS_ERR_ILLEGAL_CREATE_RUN_TIME 19u
#define OS_ERR_MBOX_FULL               20u
#define OS_ERR_ILLEGAL_DEL_RUN_TIME    21u
#define OS_ERR_Q_FULL                  30u
#define OS_ERR_Q_EMPTY                 31u
#define OS_ERR_PRIO_EXIST              40u
#define OS_ERR_PRIO                    41u
#define OS_ERR_PRIO_INVALID            42u
#define OS_ERR_SCHED_LOCKED            50u
#define OS_ERR_SEM_OVF                 51u
#define OS_ERR_TASK_CREATE_ISR         60u
#define OS_ERR_TASK_DEL                61u
#define OS_ERR_TASK_DEL_IDLE           62u
#define OS_ERR_TASK_DEL_REQ            63u
#define OS_ERR_TASK_DEL_ISR            64u
#define OS_ERR_TASK_NAME_TOO_LONG      65u
#define OS_ERR_TASK_NO_MORE_TCB        66u
#define OS_ERR_TASK_NOT_EXIST          67u
#define OS_ERR_TASK_NOT_SUSPENDED      68u
#define OS_ERR_TASK_OPT                69u
#define OS_ERR_TASK_RESUME_PRIO        70u
#define OS_ERR_TASK_SUSPEND_IDLE       71u
#define OS_ERR_TASK_SUSPEND_PRIO       72u
#define OS_ERR_TASK_WAITING            73u
#define OS_ERR_TIME_NOT_DLY            80u
#define OS_ERR_TIME_INVALID_MINUTES    81u
#define OS_ERR_TIME_INVALID_SECONDS    82u
#define OS_ERR_TIME_INVALID_MS         83u
#define OS_ERR_TIME_ZERO_DLY           84u
#define OS_ERR_TIME_DLY_ISR            85u
#define OS_ERR_MEM_INVALID_PART        90u
#define OS_ERR_MEM_INVALID_BLKS        91u
#define OS_ERR_MEM_INVALID_SIZE        92u
#define OS_ERR_MEM_NO_FREE_BLKS        93u
#define OS_ERR_MEM_FULL                94u
#define OS_ERR_MEM_INVALID_PBLK        95u
#define OS_ERR_MEM_INVALID_PMEM        96u
#define OS_ERR_MEM_INVALID_PDATA       97u
#define OS_ERR_MEM_INVALID_ADDR        98u
#define OS_ERR_MEM_NAME_TOO_LONG       99u
#define OS_ERR_NOT_MUTEX_OWNER        100u
#define OS_ERR_FLAG_INVALID_PGRP      110u
#define OS_ERR_FLAG_WAIT_TYPE         111u
#define OS_ERR_FLAG_NOT_RDY           112u
#define OS_ERR_FLAG_INVALID_OPT       113u
#define OS_ERR_FLAG_GRP_DEPLETED      114u
#define OS_ERR_FLAG_NAME_TOO_LONG     115u
#define OS_ERR_PCP_LOWER              120u
#define OS_ERR_TMR_INVALID_DLY        130u
#define OS_ERR_TMR_INVALID_PERIOD     131u
#define OS_ERR_TMR_INVALID_OPT        132u
#define OS_ERR_TMR_INVALID_NAME       133u
#define OS_ERR_TMR_NON_AVAIL          134u
#define OS_ERR_TMR_INACTIVE           135u
#define OS_ERR_TMR_INVALID_DEST       136u
#define OS_ERR_TMR_INVALID_TYPE       137u
#define OS_ERR_TMR_INVALID            138u
#define OS_ERR_TMR_ISR                139u
#define OS_ERR_TMR_NAME_TOO_LONG      140u
#define OS_ERR_TMR_INVALID_STATE      141u
#define OS_ERR_TMR_STOPPED            142u
#define OS_ERR_TMR_NO_CALLBACK        143u
#define OS_ERR_NO_MORE_ID_AVAIL       150u
#define OS_ERR_TLS_NO_MORE_AVAIL      160u
#define OS_ERR_TLS_ID_INVALID         161u
#define OS_ERR_TLS_NOT_EN             162u
#define OS_ERR_TLS_DESTRUCT_ASSIGNED  163u
#define OS_ERR_OS_NOT_RUNNING         164u

/* ---------------------------------------------------------------------------
 * Types
 * ------------------------------------------------------------------------- */
#if OS_LOWEST_PRIO <= 63u
typedef INT8U OS_PRIO;
#else
typedef INT16U OS_PRIO;
#endif

/* Task-local storage (only with OS_TLS_TBL_SIZE > 0; bodies come from a TLS module). */
#if (OS_TASK_CREATE_EXT_EN > 0u) && defined(OS_TLS_TBL_SIZE) && (OS_TLS_TBL_SIZE > 0u)
#define OS_TLS_EN 1u
typedef void *OS_TLS;
typedef INT8U OS_TLS_ID;
#else
#define OS_TLS_EN 0u
#endif

/* Event control block: semaphores, mutexes, mailboxes and queues. */
#if (OS_EVENT_EN) && (OS_MAX_EVENTS > 0u)
typedef struct os_event {
    INT8U    OSEventType;                    /* OS_EVENT_TYPE_*                       */
    void    *OSEventPtr;                     /* Message, queue, owner or free link    */
    INT16U   OSEventCnt;                     /* Semaphore count / mutex prio packing  */
    OS_PRIO  OSEventGrp;                     /* Group bits of the wait list           */
    OS_PRIO  OSEventTbl[OS_EVENT_TBL_SIZE];  /* Wait list, one bit per priority       */
#if OS_EVENT_NAME_EN > 0u
    INT8U   *OSEventName;
#endif
} OS_EVENT;
#endif

/* Event flags */
#if (OS_FLAG_EN > 0u) && (OS_MAX_FLAGS > 0u)
#if OS_FLAGS_NBITS == 8u
typedef INT8U OS_FLAGS;
#elif OS_FLAGS_NBITS == 16u
typedef INT16U OS_FLAGS;
#elif OS_FLAGS_NBITS == 32u
typedef INT32U OS_FLAGS;
#else
#error "os_cfg.h: OS_FLAGS_NBITS must be 8, 16 or 32"
#endif

typedef struct os_flag_grp {
    INT8U     OSFlagType;                    /* OS_EVENT_TYPE_FLAG when in use        */
    void     *OSFlagWaitList;                /* First OS_FLAG_NODE, or free link      */
    OS_FLAGS  OSFlagFlags;                   /* Current flags                         */
#if OS_FLAG_NAME_EN > 0u
    INT8U    *OSFlagName;
#endif
} OS_FLAG_GRP;

typedef struct os_flag_node {
    void     *OSFlagNodeNext;                /* Next node waiting on the same group   */
    void     *OSFlagNodePrev;                /* Previous node                         */
    void     *OSFlagNodeTCB;                 /* Waiting task                          */
    void     *OSFlagNodeFlagGrp;             /* Group waited on                       */
    OS_FLAGS  OSFlagNodeFlags;               /* Flags waited for                      */
    INT8U     OSFlagNodeWaitType;            /* OS_FLAG_WAIT_*                        */
} OS_FLAG_NODE;
#endif

/* Mailbox query data */
#if OS_MBOX_EN > 0u
typedef struct os_mbox_data {
    void    *OSMsg;
    OS_PRIO  OSEventTbl[OS_EVENT_TBL_SIZE];
    OS_PRIO  OSEventGrp;
} OS_MBOX_DATA;
#endif

/* Memory partitions */
#if (OS_MEM_EN > 0u) && (OS_MAX_MEM_PART > 0u)
typedef struct os_mem {
    void   *OSMemAddr;                       /* Start of the partition                */
    void   *OSMemFreeList;                   /* First free block, or free link        */
    INT32U  OSMemBlkSize;                    /* Block size in bytes                   */
    INT32U  OSMemNBlks;                      /* Total blocks                          */
    INT32U  OSMemNFree;                      /* Free blocks                           */
#if OS_MEM_NAME_EN > 0u
    INT8U  *OSMemName;
#endif
} OS_MEM;

typedef struct os_mem_data {
    void   *OSAddr;
    void   *OSFreeList;
    INT32U  OSBlkSize;
    INT32U  OSNBlks;
    INT32U  OSNFree;
    INT32U  OSNUsed;
} OS_MEM_DATA;
#endif

/* Mutex query data */
#if OS_MUTEX_EN > 0u
typedef struct os_mutex_data {
    OS_PRIO  OSEventTbl[OS_EVENT_TBL_SIZE];
    OS_PRIO  OSEventGrp;
    BOOLEAN  OSValue;                        /* OS_TRUE when available                */
    INT8U    OSOwnerPrio;                    /* Owner's priority, 0xFF when free      */
    INT8U    OSMutexPCP;                     /* Ceiling, or OS_PRIO_MUTEX_CEIL_DIS    */
} OS_MUTEX_DATA;
#endif

/* Message queues */
#if OS_Q_EN > 0u
typedef struct os_q {
    struct os_q *OSQPtr;                     /* Free-list link                        */
    void       **OSQStart;                   /* First slot                            */
    void       **OSQEnd;                     /* One past the last slot                */
    void       **OSQIn;                      /* Where the next message goes           */
    void       **OSQOut;                     /* Where the next message comes from     */
    INT16U       OSQSize;                    /* Number of slots                       */
    INT16U       OSQEntries;                 /* Messages held                         */
} OS_Q;

typedef struct os_q_data {
    void    *OSMsg;                          /* Next message, if any                  */
    INT16U   OSNMsgs;
    INT16U   OSQSize;
    OS_PRIO  OSEventTbl[OS_EVENT_TBL_SIZE];
    OS_PRIO  OSEventGrp;
} OS_Q_DATA;
#endif

/* Semaphore query data */
#if OS_SEM_EN > 0u
typedef struct os_sem_data {
    INT16U   OSCnt;
    OS_PRIO  OSEventTbl[OS_EVENT_TBL_SIZE];
    OS_PRIO  OSEventGrp;
} OS_SEM_DATA;
#endif

/* Stack check data (OS_STK entries) */
#if OS_TASK_CREATE_EXT_EN > 0u
typedef struct os_stk_data {
    INT32U OSFree;
    INT32U OSUsed;
} OS_STK_DATA;
#endif

/* Task control block. OSTCBStkPtr must stay first: ports load and store the
 * stack pointer through it at offset 0. */
typedef struct os_tcb {
    OS_STK          *OSTCBStkPtr;            /* Saved stack pointer                   */

#if OS_TASK_CREATE_EXT_EN > 0u
    void            *OSTCBExtPtr;            /* User extension                        */
    OS_STK          *OSTCBStkBottom;         /* Lowest stack entry                    */
    INT32U           OSTCBStkSize;           /* Stack size in OS_STK entries          */
    INT16U           OSTCBOpt;               /* OS_TASK_OPT_*                         */
    INT16U           OSTCBId;                /* User task ID                          */
#endif

    struct os_tcb   *OSTCBNext;              /* OSTCBList / free-list link            */
    struct os_tcb   *OSTCBPrev;

#if OS_TLS_EN > 0u
    OS_TLS           OSTCBTLSTbl[OS_TLS_TBL_SIZE];
#endif

#if (OS_EVENT_EN) && (OS_MAX_EVENTS > 0u)
    OS_EVENT        *OSTCBEventPtr;          /* Event waited on                       */
#endif

#if (OS_EVENT_EN) && (OS_EVENT_MULTI_EN > 0u)
    OS_EVENT       **OSTCBEventMultiPtr;     /* NULL-terminated list for PendMulti    */
    OS_EVENT        *OSTCBEventMultiRdy;     /* Event that readied a PendMulti        */
#endif

#if ((OS_Q_EN > 0u) && (OS_MAX_QS > 0u)) || (OS_MBOX_EN > 0u)
    void            *OSTCBMsg;               /* Message handed over by a post         */
#endif

#if (OS_FLAG_EN > 0u) && (OS_MAX_FLAGS > 0u)
#if OS_TASK_DEL_EN > 0u
    OS_FLAG_NODE    *OSTCBFlagNode;          /* Node while waiting on flags           */
#endif
    OS_FLAGS         OSTCBFlagsRdy;          /* Flags that readied the task           */
#endif

    INT32U           OSTCBDly;               /* Ticks left to wait, 0 = forever/none  */
    INT8U            OSTCBStat;              /* OS_STAT_*                             */
    INT8U            OSTCBStatPend;          /* OS_STAT_PEND_*                        */
    INT8U            OSTCBPrio;              /* Priority                              */

    INT8U            OSTCBX;                 /* Ready-table position                  */
    INT8U            OSTCBY;
    OS_PRIO          OSTCBBitX;
    OS_PRIO          OSTCBBitY;

#if OS_TASK_DEL_EN > 0u
    INT8U            OSTCBDelReq;            /* OS_ERR_TASK_DEL_REQ when asked to go  */
#endif

#if OS_TASK_PROFILE_EN > 0u
    INT32U           OSTCBCtxSwCtr;          /* Times switched in                     */
    INT32U           OSTCBCyclesTot;
    INT32U           OSTCBCyclesStart;
    OS_STK          *OSTCBStkBase;           /* Stack start (top for down growth)     */
    INT32U           OSTCBStkUsed;           /* Entries used, from the statistics task */
#endif

#if OS_TASK_NAME_EN > 0u
    INT8U           *OSTCBTaskName;
#endif

#if OS_TASK_REG_TBL_SIZE > 0u
    INT32U           OSTCBRegTbl[OS_TASK_REG_TBL_SIZE];
#endif
} OS_TCB;

/* Software timers */
#if OS_TMR_EN > 0u
typedef void (*OS_TMR_CALLBACK)(void *ptmr, void *parg);

typedef struct os_tmr {
    INT8U            OSTmrType;              /* OS_TMR_TYPE                           */
    OS_TMR_CALLBACK  OSTmrCallback;
    void            *OSTmrCallbackArg;
    void            *OSTmrNext;              /* Wheel spoke / free-list links         */
    void            *OSTmrPrev;
    INT32U           OSTmrMatch;             /* OSTmrTime at which it expires         */
    INT32U           OSTmrDly;               /* Initial delay (timer ticks)           */
    INT32U           OSTmrPeriod;            /* Period (timer ticks)                  */
#if OS_TMR_CFG_NAME_EN > 0u
    INT8U           *OSTmrName;
#endif
    INT8U            OSTmrOpt;               /* OS_TMR_OPT_*                          */
    INT8U            OSTmrState;             /* OS_TMR_STATE_*                        */
} OS_TMR;

typedef struct os_tmr_wheel {
    OS_TMR *OSTmrFirst;
    INT16U  OSTmrEntries;
} OS_TMR_WHEEL;
#endif

/* ---------------------------------------------------------------------------
 * Globals
 * ------------------------------------------------------------------------- */
OS_EXT INT32U            OSCtxSwCtr;

#if (OS_EVENT_EN) && (OS_MAX_EVENTS > 0u)
OS_EXT OS_EVENT         *OSEventFreeList;
OS_EXT OS_EVENT          OSEventTbl[OS_MAX_EVENTS];
#endif

#if (OS_FLAG_EN > 0u) && (OS_MAX_FLAGS > 0u)
OS_EXT OS_FLAG_GRP       OSFlagTbl[OS_MAX_FLAGS];
OS_EXT OS_FLAG_GRP      *OSFlagFreeList;
#endif

#if OS_TASK_STAT_EN > 0u
OS_EXT INT8U             OSCPUUsage;
OS_EXT INT32U            OSIdleCtrMax;
OS_EXT INT32U            OSIdleCtrRun;
OS_EXT BOOLEAN           OSStatRdy;
OS_EXT OS_STK            OSTaskStatStk[OS_TASK_STAT_STK_SIZE];
#endif

OS_EXT INT8U             OSIntNesting;
OS_EXT INT8U             OSLockNesting;

OS_EXT INT8U             OSPrioCur;
OS_EXT INT8U             OSPrioHighRdy;

OS_EXT OS_PRIO           OSRdyGrp;
OS_EXT OS_PRIO           OSRdyTbl[OS_RDY_TBL_SIZE];

OS_EXT BOOLEAN           OSRunning;

OS_EXT INT8U             OSTaskCtr;

OS_EXT volatile INT32U   OSIdleCtr;

#ifdef OS_SAFETY_CRITICAL_IEC61508
OS_EXT BOOLEAN           OSSafetyCriticalStartFlag;
#endif

OS_EXT OS_STK            OSTaskIdleStk[OS_TASK_IDLE_STK_SIZE];

OS_EXT OS_TCB           *OSTCBCur;
OS_EXT OS_TCB           *OSTCBFreeList;
OS_EXT OS_TCB           *OSTCBHighRdy;
OS_EXT OS_TCB           *OSTCBList;
OS_EXT OS_TCB           *OSTCBPrioTbl[OS_LOWEST_PRIO + 1u];
OS_EXT OS_TCB            OSTCBTbl[OS_MAX_TASKS + OS_N_SYS_TASKS];

#if OS_TICK_STEP_EN > 0u
OS_EXT INT8U             OSTickStepState;
#endif

#if (OS_MEM_EN > 0u) && (OS_MAX_MEM_PART > 0u)
OS_EXT OS_MEM           *OSMemFreeList;
OS_EXT OS_MEM            OSMemTbl[OS_MAX_MEM_PART];
#endif

#if (OS_Q_EN > 0u) && (OS_MAX_QS > 0u)
OS_EXT OS_Q             *OSQFreeList;
OS_EXT OS_Q              OSQTbl[OS_MAX_QS];
#endif

#if OS_TASK_REG_TBL_SIZE > 0u
OS_EXT INT8U             OSTaskRegNextAvailID;
#endif

#if OS_TIME_GET_SET_EN > 0u
OS_EXT volatile INT32U   OSTime;
#endif

#if OS_TMR_EN > 0u
OS_EXT INT16U            OSTmrFree;
OS_EXT INT16U            OSTmrUsed;
OS_EXT INT32U            OSTmrTime;

OS_EXT OS_EVENT         *OSTmrSem;
OS_EXT OS_EVENT         *OSTmrSemSignal;

OS_EXT OS_TMR            OSTmrTbl[OS_TMR_CFG_MAX];
OS_EXT OS_TMR           *OSTmrFreeList;
OS_EXT OS_STK            OSTmrTaskStk[OS_TASK_TMR_STK_SIZE];

OS_EXT OS_TMR_WHEEL      OSTmrWheelTbl[OS_TMR_CFG_WHEEL_SIZE];
#endif

/* Position of the lowest set bit of a byte (OSUnMapTbl[0] is 0). */
extern INT8U const OSUnMapTbl[256];

/* ---------------------------------------------------------------------------
 * Services
 * ------------------------------------------------------------------------- */

/* Miscellaneous */
#if (OS_EVENT_EN)
#if (OS_EVENT_NAME_EN > 0u)
INT8U         OSEventNameGet(OS_EVENT *pevent, INT8U **pname, INT8U *perr);
void          OSEventNameSet(OS_EVENT *pevent, INT8U *pname, INT8U *perr);
#endif
#if (OS_EVENT_MULTI_EN > 0u)
INT16U        OSEventPendMulti(OS_EVENT **pevents_pend, OS_EVENT **pevents_rdy, void **pmsgs_rdy,
                               INT32U timeout, INT8U *perr);
#endif
#endif

void          OSInit(void);
void          OSIntEnter(void);
void          OSIntExit(void);

#ifdef OS_SAFETY_CRITICAL_IEC61508
void          OSSafetyCriticalStart(void);
#endif

#if OS_SCHED_LOCK_EN > 0u
void          OSSchedLock(void);
void          OSSchedUnlock(void);
#endif

void          OSStart(void);
void          OSStatInit(void);
INT16U        OSVersion(void);

/* Event flags */
#if (OS_FLAG_EN > 0u) && (OS_MAX_FLAGS > 0u)
#if OS_FLAG_ACCEPT_EN > 0u
OS_FLAGS      OSFlagAccept(OS_FLAG_GRP *pgrp, OS_FLAGS flags, INT8U wait_type, INT8U *perr);
#endif
OS_FLAG_GRP  *OSFlagCreate(OS_FLAGS flags, INT8U *perr);
#if OS_FLAG_DEL_EN > 0u
OS_FLAG_GRP  *OSFlagDel(OS_FLAG_GRP *pgrp, INT8U opt, INT8U *perr);
#endif
#if OS_FLAG_NAME_EN > 0u
INT8U         OSFlagNameGet(OS_FLAG_GRP *pgrp, INT8U **pname, INT8U *perr);
void          OSFlagNameSet(OS_FLAG_GRP *pgrp, INT8U *pname, INT8U *perr);
#endif
OS_FLAGS      OSFlagPend(OS_FLAG_GRP *pgrp, OS_FLAGS flags, INT8U wait_type, INT32U timeout, INT8U *perr);
OS_FLAGS      OSFlagPendGetFlagsRdy(void);
OS_FLAGS      OSFlagPost(OS_FLAG_GRP *pgrp, OS_FLAGS flags, INT8U opt, INT8U *perr);
#if OS_FLAG_QUERY_EN > 0u
OS_FLAGS      OSFlagQuery(OS_FLAG_GRP *pgrp, INT8U *perr);
#endif
#endif

/* Mailboxes */
#if OS_MBOX_EN > 0u
#if OS_MBOX_ACCEPT_EN > 0u
void         *OSMboxAccept(OS_EVENT *pevent);
#endif
OS_EVENT     *OSMboxCreate(void *pmsg);
#if OS_MBOX_DEL_EN > 0u
OS_EVENT     *OSMboxDel(OS_EVENT *pevent, INT8U opt, INT8U *perr);
#endif
void         *OSMboxPend(OS_EVENT *pevent, INT32U timeout, INT8U *perr);
#if OS_MBOX_PEND_ABORT_EN > 0u
INT8U         OSMboxPendAbort(OS_EVENT *pevent, INT8U opt, INT8U *perr);
#endif
#if OS_MBOX_POST_EN > 0u
INT8U         OSMboxPost(OS_EVENT *pevent, void *pmsg);
#endif
#if OS_MBOX_POST_OPT_EN > 0u
INT8U         OSMboxPostOpt(OS_EVENT *pevent, void *pmsg, INT8U opt);
#endif
#if OS_MBOX_QUERY_EN > 0u
INT8U         OSMboxQuery(OS_EVENT *pevent, OS_MBOX_DATA *p_mbox_data);
#endif
#endif

/* Memory partitions */
#if (OS_MEM_EN > 0u) && (OS_MAX_MEM_PART > 0u)
OS_MEM       *OSMemCreate(void *addr, INT32U nblks, INT32U blksize, INT8U *perr);
void         *OSMemGet(OS_MEM *pmem, INT8U *perr);
#if OS_MEM_NAME_EN > 0u
INT8U         OSMemNameGet(OS_MEM *pmem, INT8U **pname, INT8U *perr);
void          OSMemNameSet(OS_MEM *pmem, INT8U *pname, INT8U *perr);
#endif
INT8U         OSMemPut(OS_MEM *pmem, void *pblk);
#if OS_MEM_QUERY_EN > 0u
INT8U         OSMemQuery(OS_MEM *pmem, OS_MEM_DATA *p_mem_data);
#endif
#endif

/* Mutexes */
#if OS_MUTEX_EN > 0u
#if OS_MUTEX_ACCEPT_EN > 0u
BOOLEAN       OSMutexAccept(OS_EVENT *pevent, INT8U *perr);
#endif
OS_EVENT     *OSMutexCreate(INT8U prio, INT8U *perr);
#if OS_MUTEX_DEL_EN > 0u
OS_EVENT     *OSMutexDel(OS_EVENT *pevent, INT8U opt, INT8U *perr);
#endif
void          OSMutexPend(OS_EVENT *pevent, INT32U timeout, INT8U *perr);
INT8U         OSMutexPost(OS_EVENT *pevent);
#if OS_MUTEX_QUERY_EN > 0u
INT8U         OSMutexQuery(OS_EVENT *pevent, OS_MUTEX_DATA *p_mutex_data);
#endif
#endif

/* Message queues */
#if (OS_Q_EN > 0u) && (OS_MAX_QS > 0u)
#if OS_Q_ACCEPT_EN > 0u
void         *OSQAccept(OS_EVENT *pevent, INT8U *perr);
#endif
OS_EVENT     *OSQCreate(void **start, INT16U size);
#if OS_Q_DEL_EN > 0u
OS_EVENT     *OSQDel(OS_EVENT *pevent, INT8U opt, INT8U *perr);
#endif
#if OS_Q_FLUSH_EN > 0u
INT8U         OSQFlush(OS_EVENT *pevent);
#endif
void         *OSQPend(OS_EVENT *pevent, INT32U timeout, INT8U *perr);
#if OS_Q_PEND_ABORT_EN > 0u
INT8U         OSQPendAbort(OS_EVENT *pevent, INT8U opt, INT8U *perr);
#endif
#if OS_Q_POST_EN > 0u
INT8U         OSQPost(OS_EVENT *pevent, void *pmsg);
#endif
#if OS_Q_POST_FRONT_EN > 0u
INT8U         OSQPostFront(OS_EVENT *pevent, void *pmsg);
#endif
#if OS_Q_POST_OPT_EN > 0u
INT8U         OSQPostOpt(OS_EVENT *pevent, void *pmsg, INT8U opt);
#endif
#if OS_Q_QUERY_EN > 0u
INT8U         OSQQuery(OS_EVENT *pevent, OS_Q_DATA *p_q_data);
#endif
#endif

/* Semaphores */
#if OS_SEM_EN > 0u
#if OS_SEM_ACCEPT_EN > 0u
INT16U        OSSemAccept(OS_EVENT *pevent);
#endif
OS_EVENT     *OSSemCreate(INT16U cnt);
#if OS_SEM_DEL_EN > 0u
OS_EVENT     *OSSemDel(OS_EVENT *pevent, INT8U opt, INT8U *perr);
#endif
void          OSSemPend(OS_EVENT *pevent, INT32U timeout, INT8U *perr);
#if OS_SEM_PEND_ABORT_EN > 0u
INT8U         OSSemPendAbort(OS_EVENT *pevent, INT8U opt, INT8U *perr);
#endif
INT8U         OSSemPost(OS_EVENT *pevent);
#if OS_SEM_QUERY_EN > 0u
INT8U         OSSemQuery(OS_EVENT *pevent, OS_SEM_DATA *p_sem_data);
#endif
#if OS_SEM_SET_EN > 0u
void          OSSemSet(OS_EVENT *pevent, INT16U cnt, INT8U *perr);
#endif
#endif

/* Tasks */
#if OS_TASK_CHANGE_PRIO_EN > 0u
INT8U         OSTaskChangePrio(INT8U oldprio, INT8U newprio);
#endif
#if OS_TASK_CREATE_EN > 0u
INT8U         OSTaskCreate(void (*task)(void *p_arg), void *p_arg, OS_STK *ptos, INT8U prio);
#endif
#if OS_TASK_CREATE_EXT_EN > 0u
INT8U         OSTaskCreateExt(void (*task)(void *p_arg), void *p_arg, OS_STK *ptos, INT8U prio, INT16U id,
                              OS_STK *pbos, INT32U stk_size, void *pext, INT16U opt);
#endif
#if OS_TASK_DEL_EN > 0u
INT8U         OSTaskDel(INT8U prio);
INT8U         OSTaskDelReq(INT8U prio);
#endif
#if OS_TASK_NAME_EN > 0u
INT8U         OSTaskNameGet(INT8U prio, INT8U **pname, INT8U *perr);
void          OSTaskNameSet(INT8U prio, INT8U *pname, INT8U *perr);
#endif
#if OS_TASK_SUSPEND_EN > 0u
INT8U         OSTaskResume(INT8U prio);
INT8U         OSTaskSuspend(INT8U prio);
#endif
#if (OS_TASK_STAT_STK_CHK_EN > 0u) && (OS_TASK_CREATE_EXT_EN > 0u)
INT8U         OSTaskStkChk(INT8U prio, OS_STK_DATA *p_stk_data);
#endif
#if OS_TASK_QUERY_EN > 0u
INT8U         OSTaskQuery(INT8U prio, OS_TCB *p_task_data);
#endif
#if OS_TASK_REG_TBL_SIZE > 0u
INT32U        OSTaskRegGet(INT8U prio, INT8U id, INT8U *perr);
INT8U         OSTaskRegGetID(INT8U *perr);
void          OSTaskRegSet(INT8U prio, INT8U id, INT32U value, INT8U *perr);
#endif

/* Task-local storage (implemented by a TLS module, not by the kernel) */
#if OS_TLS_EN > 0u
OS_TLS_ID     OS_TLS_GetID(INT8U *perr);
OS_TLS        OS_TLS_GetValue(OS_TCB *ptcb, OS_TLS_ID id, INT8U *perr);
void          OS_TLS_Init(INT8U *perr);
void          OS_TLS_SetValue(OS_TCB *ptcb, OS_TLS_ID id, OS_TLS value, INT8U *perr);
void          OS_TLS_SetDestruct(OS_TLS_ID id, void (*pdestruct)(OS_TCB *ptcb, OS_TLS_ID id, OS_TLS value),
                                 INT8U *perr);
void          OS_TLS_TaskCreate(OS_TCB *ptcb);
void          OS_TLS_TaskDel(OS_TCB *ptcb);
void          OS_TLS_TaskSw(void);
#endif

/* Time */
void          OSTimeDly(INT32U ticks);
#if OS_TIME_DLY_HMSM_EN > 0u
INT8U         OSTimeDlyHMSM(INT8U hours, INT8U minutes, INT8U seconds, INT16U ms);
#endif
#if OS_TIME_DLY_RESUME_EN > 0u
INT8U         OSTimeDlyResume(INT8U prio);
#endif
#if OS_TIME_GET_SET_EN > 0u
INT32U        OSTimeGet(void);
void          OSTimeSet(INT32U ticks);
#endif
void          OSTimeTick(void);

/* Timers */
#if OS_TMR_EN > 0u
OS_TMR       *OSTmrCreate(INT32U dly, INT32U period, INT8U opt, OS_TMR_CALLBACK callback, void *callback_arg,
                          INT8U *pname, INT8U *perr);
BOOLEAN       OSTmrDel(OS_TMR *ptmr, INT8U *perr);
#if OS_TMR_CFG_NAME_EN > 0u
INT8U         OSTmrNameGet(OS_TMR *ptmr, INT8U **pdest, INT8U *perr);
#endif
INT32U        OSTmrRemainGet(OS_TMR *ptmr, INT8U *perr);
INT8U         OSTmrStateGet(OS_TMR *ptmr, INT8U *perr);
BOOLEAN       OSTmrStart(OS_TMR *ptmr, INT8U *perr);
BOOLEAN       OSTmrStop(OS_TMR *ptmr, INT8U opt, void *callback_arg, INT8U *perr);
INT8U         OSTmrSignal(void);
#endif

/* ---------------------------------------------------------------------------
 * Kernel-internal functions (shared between the kernel files; ports may use
 * OS_TaskReturn as the return address of a new task)
 * ------------------------------------------------------------------------- */
#if OS_TASK_DEL_EN > 0u
void          OS_Dummy(void);
#endif

#if (OS_EVENT_EN)
INT8U         OS_EventTaskRdy(OS_EVENT *pevent, void *pmsg, INT8U msk, INT8U pend_stat);
void          OS_EventTaskWait(OS_EVENT *pevent);
void          OS_EventTaskRemove(OS_TCB *ptcb, OS_EVENT *pevent);
#if (OS_EVENT_MULTI_EN > 0u)
void          OS_EventTaskWaitMulti(OS_EVENT **pevents_wait);
void          OS_EventTaskRemoveMulti(OS_TCB *ptcb, OS_EVENT **pevents_multi);
#endif
void          OS_EventWaitListInit(OS_EVENT *pevent);
#endif

#if (OS_FLAG_EN > 0u) && (OS_MAX_FLAGS > 0u)
void          OS_FlagInit(void);
void          OS_FlagUnlink(OS_FLAG_NODE *pnode);
#endif

void          OS_MemClr(INT8U *pdest, INT16U size);
void          OS_MemCopy(INT8U *pdest, INT8U *psrc, INT16U size);

#if (OS_MEM_EN > 0u) && (OS_MAX_MEM_PART > 0u)
void          OS_MemInit(void);
#endif

#if OS_Q_EN > 0u
void          OS_QInit(void);
#endif

void          OS_Sched(void);

INT8U         OS_StrLen(INT8U *psrc);

void          OS_TaskIdle(void *p_arg);
void          OS_TaskReturn(void);

#if OS_TASK_STAT_EN > 0u
void          OS_TaskStat(void *p_arg);
#endif

#if OS_TASK_CREATE_EXT_EN > 0u
void          OS_TaskStkClr(OS_STK *pbos, INT32U size, INT16U opt);
#endif

#if (OS_TASK_STAT_STK_CHK_EN > 0u) && (OS_TASK_CREATE_EXT_EN > 0u)
void          OS_TaskStatStkChk(void);
#endif

#if OS_TMR_EN > 0u
void          OSTmr_Init(void);
#endif

INT8U         OS_TCBInit(INT8U prio, OS_STK *ptos, OS_STK *pbos, INT16U id, INT32U stk_size, void *pext,
                         INT16U opt);

/* ---------------------------------------------------------------------------
 * Functions the port or the application supplies
 * ------------------------------------------------------------------------- */
#if OS_DEBUG_EN > 0u
void          OSDebugInit(void);
#endif

void          OSInitHookBegin(void);
void          OSInitHookEnd(void);
void          OSTaskCreateHook(OS_TCB *ptcb);
void          OSTaskDelHook(OS_TCB *ptcb);
void          OSTaskIdleHook(void);
void          OSTaskReturnHook(OS_TCB *ptcb);
void          OSTaskStatHook(void);
OS_STK       *OSTaskStkInit(void (*task)(void *p_arg), void *p_arg, OS_STK *ptos, INT16U opt);
#if OS_TASK_SW_HOOK_EN > 0u
void          OSTaskSwHook(void);
#endif
void          OSTCBInitHook(OS_TCB *ptcb);
#if OS_TIME_TICK_HOOK_EN > 0u
void          OSTimeTickHook(void);
#endif

/* Application hooks, called by ports when OS_APP_HOOKS_EN > 0 */
#if OS_APP_HOOKS_EN > 0u
void          App_TaskCreateHook(OS_TCB *ptcb);
void          App_TaskDelHook(OS_TCB *ptcb);
void          App_TaskIdleHook(void);
void          App_TaskReturnHook(OS_TCB *ptcb);
void          App_TaskStatHook(void);
#if OS_TASK_SW_HOOK_EN > 0u
void          App_TaskSwHook(void);
#endif
void          App_TCBInitHook(OS_TCB *ptcb);
#if OS_TIME_TICK_HOOK_EN > 0u
void          App_TimeTickHook(void);
#endif
#endif

/* OSStartHighRdy(), OSCtxSw() and OSIntCtxSw() are declared by os_cpu.h. */

#ifdef __cplusplus
}
#endif

#endif /* OS_uCOS_II_H */
