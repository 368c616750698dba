/* SPDX-License-Identifier: MIT OR Apache-2.0 */
/*
 * ucvisor bundled µC/OS-II-compatible kernel — written for this project from the
 * documented V2.93.01 API.
 *
 * layout_check.c — compile-only check, for armv7-a with the default
 * configuration, of the structure sizes and OS_TCB offsets the ports' assembly
 * and kernel-aware tools rely on.
 */
#include <stddef.h>

#include "ucos_ii.h"

#define SA(expr) _Static_assert(expr, #expr)

SA(sizeof(OS_TCB) == 92u);
SA(sizeof(OS_EVENT) == 24u);
SA(sizeof(OS_FLAG_GRP) == 16u);
SA(sizeof(OS_MEM) == 24u);
SA(sizeof(OS_Q) == 24u);
SA(sizeof(OS_TMR) == 40u);
SA(offsetof(OS_TCB, OSTCBStkPtr) == 0u);
SA(offsetof(OS_TCB, OSTCBExtPtr) == 4u);
SA(offsetof(OS_TCB, OSTCBStkBottom) == 8u);
SA(offsetof(OS_TCB, OSTCBStkSize) == 12u);
SA(offsetof(OS_TCB, OSTCBOpt) == 16u);
SA(offsetof(OS_TCB, OSTCBId) == 18u);
SA(offsetof(OS_TCB, OSTCBNext) == 20u);
SA(offsetof(OS_TCB, OSTCBPrev) == 24u);
SA(offsetof(OS_TCB, OSTCBEventPtr) == 28u);
SA(offsetof(OS_TCB, OSTCBDly) == 52u);
SA(offsetof(OS_TCB, OSTCBStat) == 56u);
SA(offsetof(OS_TCB, OSTCBPrio) == 58u);
SA(offsetof(OS_TCB, OSTCBTaskName) == 84u);
SA(offsetof(OS_TCB, OSTCBRegTbl) == 88u);
