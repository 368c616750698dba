/* SPDX-License-Identifier: MIT OR Apache-2.0 */
/*
 * ucvisor bundled µC/OS-II-compatible kernel — written for this project from the
 * documented V2.93.01 API.
 *
 * os_dbg.c: constants describing the kernel build, for kernel-aware debuggers,
 * and OSDebugInit(), which keeps them from being discarded by the linker.
 */
#include "ucos_ii.h"

INT16U const OSDebugEn = OS_DEBUG_EN;

#if OS_DEBUG_EN > 0u

INT32U const OSEndiannessTest = 0x12345678uL;
INT16U const OSLowestPrio = OS_LOWEST_PRIO;
INT16U const OSPtrSize = (INT16U)sizeof(void *);
INT16U const OSStkWidth = (INT16U)sizeof(OS_STK);
INT16U const OSTaskMax = OS_MAX_TASKS + OS_N_SYS_TASKS;
INT16U const OSTCBSize = (INT16U)sizeof(OS_TCB);
INT16U const OSRdyTblSize = OS_RDY_TBL_SIZE;
INT16U const OSVersionNbr = OS_VERSION;
INT16U const OSEventEn = OS_EVENT_EN;
INT16U const OSEventMax = OS_MAX_EVENTS;
#if (OS_EVENT_EN) && (OS_MAX_EVENTS > 0u)
INT16U const OSEventSize = (INT16U)sizeof(OS_EVENT);
#else
INT16U const OSEventSize = 0u;
#endif
#if (OS_FLAG_EN > 0u) && (OS_MAX_FLAGS > 0u)
INT16U const OSFlagGrpSize = (INT16U)sizeof(OS_FLAG_GRP);
INT16U const OSFlagWidth = (INT16U)sizeof(OS_FLAGS);
#else
INT16U const OSFlagGrpSize = 0u;
INT16U const OSFlagWidth = 0u;
#endif
#if (OS_MEM_EN > 0u) && (OS_MAX_MEM_PART > 0u)
INT16U const OSMemSize = (INT16U)sizeof(OS_MEM);
#else
INT16U const OSMemSize = 0u;
#endif
#if (OS_Q_EN > 0u) && (OS_MAX_QS > 0u)
INT16U const OSQSize = (INT16U)sizeof(OS_Q);
#else
INT16U const OSQSize = 0u;
#endif
#if OS_TMR_EN > 0u
INT16U const OSTmrSize = (INT16U)sizeof(OS_TMR);
#else
INT16U const OSTmrSize = 0u;
#endif

void OSDebugInit(void)
{
    /* Reading every constant through a volatile pointer keeps them all linked in. */
    void const *volatile keep;

    keep = (void const *)&OSDebugEn;
    keep = (void const *)&OSEndiannessTest;
    keep = (void const *)&OSLowestPrio;
    keep = (void const *)&OSPtrSize;
    keep = (void const *)&OSStkWidth;
    keep = (void const *)&OSTaskMax;
    keep = (void const *)&OSTCBSize;
    keep = (void const *)&OSRdyTblSize;
    keep = (void const *)&OSVersionNbr;
    keep = (void const *)&OSEventEn;
    keep = (void const *)&OSEventMax;
    keep = (void const *)&OSEventSize;
    keep = (void const *)&OSFlagGrpSize;
    keep = (void const *)&OSFlagWidth;
    keep = (void const *)&OSMemSize;
    keep = (void const *)&OSQSize;
    keep = (void const *)&OSTmrSize;
    (void)keep;
}

#endif /* OS_DEBUG_EN */
