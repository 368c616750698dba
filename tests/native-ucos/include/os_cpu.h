/* SPDX-License-Identifier: MIT OR Apache-2.0 */
/*
 * os_cpu.h — the native baseline's µC/OS-II port: bare metal, ARMv7-A, every
 * task in SVC mode, IRQs masked in the CPSR for a critical section (method 3),
 * contexts switched in SVC mode (tests/native-ucos/src/arch.rs). Only the
 * benchmarks use it, to compare a guest with µC/OS-II on the bare machine.
 */
#ifndef OS_CPU_H
#define OS_CPU_H

#ifdef OS_CPU_GLOBALS
#define OS_CPU_EXT
#else
#define OS_CPU_EXT extern
#endif

typedef unsigned char  BOOLEAN;
typedef unsigned char  INT8U;
typedef signed   char  INT8S;
typedef unsigned short INT16U;
typedef signed   short INT16S;
typedef unsigned int   INT32U;
typedef signed   int   INT32S;
typedef float          FP32;
typedef double         FP64;

typedef unsigned int   OS_STK;
typedef unsigned int   OS_CPU_SR;  /* the CPSR before masking IRQs */

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

#endif /* OS_CPU_H */
