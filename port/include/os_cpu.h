/* SPDX-License-Identifier: MIT OR Apache-2.0 */
/*
 * os_cpu.h — the ucvisor paravirtual µC/OS-II port for ARMv7-A user mode.
 *
 * µC/OS-II runs inside one L4 thread in ARM user mode. Critical sections mask
 * *virtual* interrupts: a flag in memory shared with the guest's Interrupt_loop
 * thread, so entering and leaving one costs no trap. The functions declared here
 * are implemented in Rust (port/src) with global_asm!.
 */
#ifndef OS_CPU_H
#define OS_CPU_H

#ifdef OS_CPU_GLOBALS
#define OS_CPU_EXT
#else
#define OS_CPU_EXT extern
#endif

/* Data types (compiler specific, fixed width on armv7a-none-eabi). */
typedef unsigned char  BOOLEAN;
typedef unsigned char  INT8U;
typedef signed   char  INT8S;
typedef unsigned short INT16U;
typedef signed   short INT16S;
typedef unsigned int   INT32U;
typedef signed   int   INT32S;
typedef float          FP32;
typedef double         FP64;

typedef unsigned int   OS_STK;     /* each stack entry is 32 bits wide          */
typedef unsigned int   OS_CPU_SR;  /* saved virtual-interrupt mask state        */

/* Critical sections: method 3, the previous mask state kept in a local. */
#define OS_CRITICAL_METHOD 3u

#define OS_ENTER_CRITICAL() do { cpu_sr = OS_CPU_SR_Save(); } while (0)
#define OS_EXIT_CRITICAL()  do { OS_CPU_SR_Restore(cpu_sr); } while (0)

/* Stacks grow from high to low memory on ARM. */
#define OS_STK_GROWTH 1u

/* A task-level context switch is a plain call: no kernel entry. */
#define OS_TASK_SW() OSCtxSw()

OS_CPU_SR OS_CPU_SR_Save(void);
void      OS_CPU_SR_Restore(OS_CPU_SR cpu_sr);

void      OSCtxSw(void);
void      OSIntCtxSw(void);
void      OSStartHighRdy(void);

#endif /* OS_CPU_H */
