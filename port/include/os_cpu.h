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

/*
 * Critical sections: method 3, the previous mask state kept in a local.
 *
 * Inline, as on a native port where they are two instructions: entering saves
 * the mask word and sets it; leaving stores the saved state back and calls out
 * (OS_CPU_SR_Restore, which takes the pending interrupts at once) only when that
 * unmasked with a virtual interrupt pending. The store comes before the check:
 * an interrupt raised while masked was left pending by Interrupt_loop and is
 * seen by the check; one raised after the store finds the guest unmasked and
 * is injected by Interrupt_loop itself. The empty asm statements keep the
 * compiler from moving the section's memory accesses across the mask writes
 * (one core: no hardware barrier is needed between a thread and the threads
 * that preempt it).
 *
 * Any nonzero mask means masked (the kernel, Interrupt_loop and the port test
 * for zero), so entering stores the words' own address, already in a register,
 * rather than a constant 1; and the pending word is reached from the same
 * register (the two words are adjacent, `ucvisor_virq`).
 */
#define OS_CRITICAL_METHOD 3u

/* The virtual-interrupt words (port/src/arch, `PV_SYS_VIRQ_BIND` takes them). */
typedef struct {
    volatile unsigned int mask;     /* nonzero = virtual interrupts masked */
    volatile unsigned int pending;  /* one bit per pending vIRQ            */
} UCVISOR_VIRQ_WORDS;
extern UCVISOR_VIRQ_WORDS ucvisor_virq;
/* The same two words by their own names. */
extern volatile unsigned int ucvisor_virq_mask;
extern volatile unsigned int ucvisor_virq_pending;

#define OS_ENTER_CRITICAL()                                                     \
    do {                                                                        \
        cpu_sr = ucvisor_virq.mask;                                             \
        ucvisor_virq.mask = (unsigned int)&ucvisor_virq;                        \
        __asm__ volatile("" ::: "memory");                                      \
    } while (0)
#define OS_EXIT_CRITICAL()                                                      \
    do {                                                                        \
        __asm__ volatile("" ::: "memory");                                      \
        ucvisor_virq.mask = cpu_sr;                                             \
        if (cpu_sr == 0u && ucvisor_virq.pending != 0u) {                       \
            OS_CPU_SR_Restore(0u);                                              \
        }                                                                       \
    } while (0)

/* Stacks grow from high to low memory on ARM. */
#define OS_STK_GROWTH 1u

/* A task-level context switch is a plain call: no kernel entry. */
#define OS_TASK_SW() OSCtxSw()

/* The same as functions (for code that wants a call; the macros use Restore
 * only to take pending interrupts). */
OS_CPU_SR OS_CPU_SR_Save(void);
void      OS_CPU_SR_Restore(OS_CPU_SR cpu_sr);

void      OSCtxSw(void);
void      OSIntCtxSw(void);
void      OSStartHighRdy(void);

#endif /* OS_CPU_H */
