/* SPDX-License-Identifier: MIT OR Apache-2.0 */
/*
 * ucvisor bundled µC/OS-II-compatible kernel — written for this project from the
 * documented V2.93.01 API.
 *
 * os_cpu.h — host test port (x86_64 Linux, user level).
 *
 * Tasks run on their own OS_STK arrays; a context switch pushes the callee-saved
 * registers on the current task's stack, stores the stack pointer in
 * OSTCBCur->OSTCBStkPtr (offset 0 of OS_TCB, as on a real port) and loads the
 * next task's. There are no real interrupts: the critical-section "mask" is a
 * flag, and the clock tick is produced deterministically by the idle hook (an
 * ISR-protocol call of OSIntEnter(), OSTimeTick(), OSIntExit()), so time only
 * advances while every task is blocked.
 */
#ifndef OS_CPU_H
#define OS_CPU_H

typedef unsigned char  BOOLEAN;
typedef unsigned char  INT8U;
typedef signed   char  INT8S;
typedef unsigned short INT16U;
typedef signed   short INT16S;
typedef unsigned int   INT32U;
typedef signed   int   INT32S;
typedef float          FP32;
typedef double         FP64;

typedef unsigned long  OS_STK;     /* 64-bit stack entries                      */
typedef unsigned int   OS_CPU_SR;  /* previous value of the mask flag           */

#define OS_CRITICAL_METHOD 3u

#define OS_ENTER_CRITICAL() do { cpu_sr = OS_CPU_SR_Save(); } while (0)
#define OS_EXIT_CRITICAL()  do { OS_CPU_SR_Restore(cpu_sr); } while (0)

#define OS_STK_GROWTH 1u

#define OS_TASK_SW() OSCtxSw()

OS_CPU_SR OS_CPU_SR_Save(void);
void      OS_CPU_SR_Restore(OS_CPU_SR cpu_sr);

void      OSCtxSw(void);
void      OSIntCtxSw(void);
void      OSStartHighRdy(void);

/* Host-port extras for test harnesses. */
void      HostPort_Tick(void);          /* one tick through the ISR protocol     */
INT32U    HostPort_TickCount(void);     /* ticks produced so far                 */
INT32U    HostPort_CtxSwCount(void);    /* context switches performed so far     */
BOOLEAN   HostPort_IntMasked(void);     /* OS_TRUE inside a critical section     */

#endif /* OS_CPU_H */
