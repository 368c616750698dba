/* SPDX-License-Identifier: MIT OR Apache-2.0 */
/*
 * hostile_memory — a guest that attacks its own memory layout, one attack per
 * guest (HOSTILE_ATTACK, set by the system description):
 *
 *   1  writes into its own code: code is mapped read-only (W^X), a data abort
 *      at the code address;
 *   2  copies an instruction into its .bss and jumps there: data is never
 *      executable, a prefetch abort at that address;
 *   3  the same on its stack (the µC/OS-II thread's, a memory section): a
 *      prefetch abort;
 *   4  recurses on that stack until it runs off its bottom: the unmapped guard
 *      below the stack stops it with a data abort there, before it writes into
 *      the memory below (the heap).
 *
 * Each prints the address it attacks first; nothing after the attack should
 * ever print ("still running"). The root server reports the fault and stops
 * the guest (on_fault = "stop"); the healthy guest beside it keeps its tick.
 */
#include <stdint.h>
#include <stdio.h>

#include "ucos_ii.h"
#include "app_cfg.h"

#ifndef HOSTILE_ATTACK
#error "the system description sets HOSTILE_ATTACK (1..4)"
#endif

/* ARM `bx lr`: returns at once if it ever runs. */
#define BX_LR 0xE12FFF1Eu

static OS_STK attack_stk[APP_TASK_STK_SIZE];
static volatile INT32U data_code[2];

typedef void (*code_fn)(void);

static void report(const char *what, uintptr_t address)
{
    printf("hostile: %s at 0x%lx\n", what, (unsigned long)address);
    (void)fflush(stdout);
}

/* Runs `code` (an address holding BX_LR). */
static void call(uintptr_t code)
{
    code_fn fn = (code_fn)code;
    fn();
}

static void attack_task(void *p_arg)
{
    (void)p_arg;
    OSTimeDly(20u);
    if (HOSTILE_ATTACK == 1) {
        uintptr_t code = (uintptr_t)&attack_task & ~(uintptr_t)3u;
        report("writing into my own code", code);
        *(volatile INT32U *)code = BX_LR;
        printf("hostile: still running (the write into code did not fault)\n");
    } else if (HOSTILE_ATTACK == 2) {
        data_code[0] = BX_LR;
        report("executing my data", (uintptr_t)data_code);
        call((uintptr_t)data_code);
        printf("hostile: still running (executing data did not fault)\n");
    }
    for (;;) {
        OSTimeDly(1000u);
    }
}

/* One frame of 1 KiB per level, each written, none a tail call. */
static INT32U dive(INT32U depth)
{
    volatile INT32U frame[256];

    frame[0] = depth;
    frame[255] = depth;
    if (depth == 0u) {
        return frame[0];
    }
    return dive(depth - 1u) + frame[255];
}

int main(void)
{
    INT8U err;

    OSInit();
    /* Attacks on the µC/OS-II thread's own stack, before OSStart: main() runs
     * on it (a memory section with an unmapped guard below). */
    if (HOSTILE_ATTACK == 3) {
        volatile INT32U stack_code[2];

        stack_code[0] = BX_LR;
        report("executing my stack", (uintptr_t)stack_code);
        call((uintptr_t)stack_code);
        printf("hostile: still running (executing the stack did not fault)\n");
    } else if (HOSTILE_ATTACK == 4) {
        volatile INT32U here = 0u;

        report("recursing 4 MiB deep from my stack", (uintptr_t)&here);
        here = dive(4096u);
        printf("hostile: still running (ran off the stack without a fault: %lu)\n", (unsigned long)here);
    }
    (void)OSTaskCreate(attack_task, (void *)0, &attack_stk[APP_TASK_STK_SIZE - 1u], APP_TASK_ATTACK_PRIO);
    OSTaskNameSet(APP_TASK_ATTACK_PRIO, (INT8U *)"attacker", &err);
    OSStart();
    return 1;
}
