/* SPDX-License-Identifier: MIT OR Apache-2.0 */
/*
 * os_cpu_c.c — the C half of the native baseline's port: the task's first
 * context frame and the OS*Hook functions (calling the App_* hooks when
 * OS_APP_HOOKS_EN, as Micrium's ports do).
 *
 * A context frame, from the saved stack pointer up (arch.rs saves and loads
 * it): r0-r12, lr, pc, cpsr (16 words; pc and cpsr for RFE).
 */
#include "ucos_ii.h"

#define NATIVE_SVC_MODE_IRQS_ON 0x13u /* SVC mode, ARM state, IRQ and FIQ unmasked */

OS_STK *OSTaskStkInit(void (*task)(void *p_arg), void *p_arg, OS_STK *ptos, INT16U opt)
{
    OS_STK *frame;
    INT32U  i;

    (void)opt;
    frame = (OS_STK *)(((INT32U)ptos + 4u) & ~7u) - 16;
    frame[0] = (OS_STK)p_arg;
    for (i = 1u; i < 13u; i++) {
        frame[i] = 0x01010101u * i;
    }
    frame[13] = (OS_STK)OS_TaskReturn;
    frame[14] = (OS_STK)task;
    frame[15] = NATIVE_SVC_MODE_IRQS_ON;
    return frame;
}

#if OS_CPU_HOOKS_EN > 0u
void OSInitHookBegin(void) {}
void OSInitHookEnd(void) {}

void OSTaskCreateHook(OS_TCB *ptcb)
{
#if OS_APP_HOOKS_EN > 0u
    App_TaskCreateHook(ptcb);
#else
    (void)ptcb;
#endif
}

void OSTaskDelHook(OS_TCB *ptcb)
{
#if OS_APP_HOOKS_EN > 0u
    App_TaskDelHook(ptcb);
#else
    (void)ptcb;
#endif
}

void OSTaskIdleHook(void)
{
#if OS_APP_HOOKS_EN > 0u
    App_TaskIdleHook();
#endif
}

void OSTaskReturnHook(OS_TCB *ptcb)
{
#if OS_APP_HOOKS_EN > 0u
    App_TaskReturnHook(ptcb);
#else
    (void)ptcb;
#endif
}

void OSTaskStatHook(void)
{
#if OS_APP_HOOKS_EN > 0u
    App_TaskStatHook();
#endif
}

void OSTaskSwHook(void)
{
#if OS_APP_HOOKS_EN > 0u
    App_TaskSwHook();
#endif
}

void OSTCBInitHook(OS_TCB *ptcb)
{
#if OS_APP_HOOKS_EN > 0u
    App_TCBInitHook(ptcb);
#else
    (void)ptcb;
#endif
}

void OSTimeTickHook(void)
{
#if OS_APP_HOOKS_EN > 0u
    App_TimeTickHook();
#endif
}
#endif
