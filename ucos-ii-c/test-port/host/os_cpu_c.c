/* SPDX-License-Identifier: MIT OR Apache-2.0 */
/*
 * ucvisor bundled µC/OS-II-compatible kernel — written for this project from the
 * documented V2.93.01 API.
 *
 * os_cpu_c.c — host test port (x86_64 Linux, user level): stack frames,
 * context switches, critical sections, hooks and the deterministic tick.
 * Works with the bundled kernel and with the original sources alike.
 */
#include <stdio.h>
#include <stdlib.h>

#include "ucos_ii.h"

#if !defined(__x86_64__)
#error "the host test port supports x86_64 only"
#endif

/* Give up when time runs away (a test that waits forever). */
#ifndef HOST_PORT_MAX_TICKS
#define HOST_PORT_MAX_TICKS 20000000u
#endif

static volatile unsigned host_masked;   /* the "interrupt mask" */
static INT32U host_ticks;
static INT32U host_ctx_sw;

/* ---------------------------------------------------------------------------
 * Register save/restore (System V x86_64: rbx, rbp, r12-r15 are callee-saved)
 * ------------------------------------------------------------------------- */
void host_switch(OS_STK **save_sp, OS_STK **load_sp);
void host_load(OS_STK *load_sp);
void host_task_trampoline(void);

__asm__(
    ".text\n"
    ".globl host_switch\n"
    ".type host_switch,@function\n"
    "host_switch:\n"
    "    pushq %rbp\n"
    "    pushq %rbx\n"
    "    pushq %r12\n"
    "    pushq %r13\n"
    "    pushq %r14\n"
    "    pushq %r15\n"
    "    movq %rsp, (%rdi)\n"
    "    movq (%rsi), %rsp\n"
    "    popq %r15\n"
    "    popq %r14\n"
    "    popq %r13\n"
    "    popq %r12\n"
    "    popq %rbx\n"
    "    popq %rbp\n"
    "    ret\n"
    ".size host_switch, .-host_switch\n"
    ".globl host_load\n"
    ".type host_load,@function\n"
    "host_load:\n"
    "    movq %rdi, %rsp\n"
    "    popq %r15\n"
    "    popq %r14\n"
    "    popq %r13\n"
    "    popq %r12\n"
    "    popq %rbx\n"
    "    popq %rbp\n"
    "    ret\n"
    ".size host_load, .-host_load\n"
    ".globl host_task_trampoline\n"
    ".type host_task_trampoline,@function\n"
    "host_task_trampoline:\n"
    "    movq %r12, %rdi\n"
    "    movq %r13, %rsi\n"
    "    call host_task_entry\n"
    "    ud2\n"
    ".size host_task_trampoline, .-host_task_trampoline\n");

void host_task_entry(void (*task)(void *p_arg), void *p_arg);

/* First code of every task: interrupts are enabled in a fresh task. */
void host_task_entry(void (*task)(void *p_arg), void *p_arg)
{
    host_masked = 0u;
    task(p_arg);
    OS_TaskReturn(); /* a task that returns is deleted */
    fprintf(stderr, "host port: task returned past OS_TaskReturn\n");
    abort();
}

/* ---------------------------------------------------------------------------
 * Critical sections
 * ------------------------------------------------------------------------- */
OS_CPU_SR OS_CPU_SR_Save(void)
{
    OS_CPU_SR prev = host_masked;

    host_masked = 1u;
    return prev;
}

void OS_CPU_SR_Restore(OS_CPU_SR cpu_sr)
{
    host_masked = cpu_sr;
}

BOOLEAN HostPort_IntMasked(void)
{
    return (host_masked != 0u) ? OS_TRUE : OS_FALSE;
}

/* ---------------------------------------------------------------------------
 * Stack frame of a new task: six callee-saved registers (task and argument in
 * r12/r13) and the trampoline as return address, 16-byte aligned at entry.
 * ------------------------------------------------------------------------- */
OS_STK *OSTaskStkInit(void (*task)(void *p_arg), void *p_arg, OS_STK *ptos, INT16U opt)
{
    unsigned long top = ((unsigned long)(ptos + 1)) & ~15uL;
    OS_STK *sp = (OS_STK *)top - 7;

    (void)opt;
    sp[0] = 0u;                                    /* r15 */
    sp[1] = 0u;                                    /* r14 */
    sp[2] = (OS_STK)p_arg;                         /* r13 */
    sp[3] = (OS_STK)task;                          /* r12 */
    sp[4] = 0u;                                    /* rbx */
    sp[5] = 0u;                                    /* rbp */
    sp[6] = (OS_STK)&host_task_trampoline;         /* return address */
    return sp;
}

/* ---------------------------------------------------------------------------
 * Context switches
 * ------------------------------------------------------------------------- */
static void host_switch_to_high_rdy(void)
{
    OS_TCB *from = OSTCBCur;

    if (host_masked == 0u) {
        fprintf(stderr, "host port: context switch outside a critical section\n");
        abort();
    }
#if OS_TASK_SW_HOOK_EN > 0u
    OSTaskSwHook();
#endif
    host_ctx_sw++;
    OSPrioCur = OSPrioHighRdy;
    OSTCBCur = OSTCBHighRdy;
    /* Save first, then load: switching to oneself must reload what was just saved. */
    host_switch(&from->OSTCBStkPtr, &OSTCBHighRdy->OSTCBStkPtr);
}

void OSCtxSw(void)
{
    host_switch_to_high_rdy();
}

/* On this port an "interrupt" runs on the interrupted task's stack as ordinary
 * calls, so the switch from OSIntExit() saves the context the same way. */
void OSIntCtxSw(void)
{
    host_switch_to_high_rdy();
}

void OSStartHighRdy(void)
{
#if OS_TASK_SW_HOOK_EN > 0u
    OSTaskSwHook();
#endif
    OSRunning = OS_TRUE;
    host_masked = 1u;
    host_load(OSTCBHighRdy->OSTCBStkPtr);
}

/* ---------------------------------------------------------------------------
 * The tick
 * ------------------------------------------------------------------------- */
void HostPort_Tick(void)
{
    host_ticks++;
    if (host_ticks > HOST_PORT_MAX_TICKS) {
        printf("host port: tick limit (%u) reached: a task waits forever\n", (unsigned)HOST_PORT_MAX_TICKS);
        fflush(stdout);
        exit(3);
    }
    OSIntEnter();
    OSTimeTick();
    OSIntExit();
}

INT32U HostPort_TickCount(void)
{
    return host_ticks;
}

INT32U HostPort_CtxSwCount(void)
{
    return host_ctx_sw;
}

/* ---------------------------------------------------------------------------
 * Hooks
 * ------------------------------------------------------------------------- */
#if OS_CPU_HOOKS_EN > 0u
void OSInitHookBegin(void)
{
    host_masked = 0u;
    host_ticks = 0u;
    host_ctx_sw = 0u;
}

void OSInitHookEnd(void)
{
}

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
    HostPort_Tick(); /* nothing else can run: let time pass */
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

#if OS_TASK_SW_HOOK_EN > 0u
void OSTaskSwHook(void)
{
#if OS_APP_HOOKS_EN > 0u
    App_TaskSwHook();
#endif
}
#endif

void OSTCBInitHook(OS_TCB *ptcb)
{
#if OS_APP_HOOKS_EN > 0u
    App_TCBInitHook(ptcb);
#else
    (void)ptcb;
#endif
}

#if OS_TIME_TICK_HOOK_EN > 0u
void OSTimeTickHook(void)
{
#if OS_APP_HOOKS_EN > 0u
    App_TimeTickHook();
#endif
#if OS_TMR_EN > 0u
    {
        static INT16U tmr_div;

        tmr_div++;
        if (tmr_div >= (OS_TICKS_PER_SEC / OS_TMR_CFG_TICKS_PER_SEC)) {
            tmr_div = 0u;
            (void)OSTmrSignal();
        }
    }
#endif
}
#endif
#endif /* OS_CPU_HOOKS_EN */
