/* SPDX-License-Identifier: MIT OR Apache-2.0 */
/*
 * os_cpu_cfg.c — the configuration-dependent half of the ucvisor µC/OS-II port.
 *
 * Compiled with each application, against its own os_cfg.h/app_cfg.h, so that the
 * port follows the application's configuration: the tick rates, the OS*Hook
 * functions (defined here only when OS_CPU_HOOKS_EN > 0, as on Micrium ports;
 * they call the App_* hooks when OS_APP_HOOKS_EN > 0), newlib's per-task
 * reentrancy and locks, stack bounds, idle-time accounting and console input.
 * Applications do not call the ucvisor_cfg_* functions.
 */
#include <ucos_ii.h>
#include <paravirt.h>
#include <reent.h>
#include <string.h>
#include <stddef.h>

/*
 * The tick rate must be one v_timer serves: 1..PV_TIMER_RATE_MAX ticks per
 * second. Checked here at build time; v_timer checks again at boot (against the
 * counter it finds), and the guest runtime ends a guest whose rate it refuses.
 * Defining UCVISOR_SKIP_TICK_RATE_CHECK leaves the check to boot time only (the
 * test of that path uses it).
 */
#ifndef UCVISOR_SKIP_TICK_RATE_CHECK
#define UCVISOR_STRINGIFY_(x) #x
#define UCVISOR_STRINGIFY(x)  UCVISOR_STRINGIFY_(x)
#if (OS_TICKS_PER_SEC) < 1 || (OS_TICKS_PER_SEC) > PV_TIMER_RATE_MAX
#pragma message("OS_TICKS_PER_SEC is " UCVISOR_STRINGIFY(OS_TICKS_PER_SEC) "; v_timer serves 1.." \
                UCVISOR_STRINGIFY(PV_TIMER_RATE_MAX) " ticks per second")
#error "OS_TICKS_PER_SEC is outside 1..PV_TIMER_RATE_MAX, the tick rates v_timer serves (see the message above)"
#endif
#endif

#ifndef OS_CPU_HOOKS_EN
#define OS_CPU_HOOKS_EN 1u
#endif

const INT32U ucvisor_cfg_ticks_per_sec = OS_TICKS_PER_SEC;
#if OS_TMR_EN > 0u
const INT32U ucvisor_cfg_tmr_ticks_per_sec = OS_TMR_CFG_TICKS_PER_SEC;
#else
const INT32U ucvisor_cfg_tmr_ticks_per_sec = 0u;
#endif

/* Hard-float guests: the port saves d0-d15 and FPSCR with every task context. */
#if defined(__ARM_PCS_VFP)
const INT32U ucvisor_cfg_vfp = 1u;
#else
const INT32U ucvisor_cfg_vfp = 0u;
#endif

void ucvisor_cfg_tmr_signal(void)
{
#if OS_TMR_EN > 0u
    (void)OSTmrSignal();
#endif
}

/* Reports a task that ran past its stack (port/src/runtime.rs); does not return. */
extern void ucvisor_stack_overflow(INT32U prio, const char *name, INT32U sp, INT32U bottom)
    __attribute__((noreturn));

/* ----- per-task state: newlib reentrancy and stack bounds ---------------------------- */

/*
 * One entry per OS_TCB (indexed by its place in OSTCBTbl, so it follows a task
 * through OSTaskChangePrio). newlib keeps errno, strtok's state, the stdio
 * streams and their buffers in a `struct _reent`; each task gets its own, and the
 * port points `_impure_ptr` at the running task's on every switch.
 */
#define UCVISOR_TASKS (OS_MAX_TASKS + OS_N_SYS_TASKS)

typedef struct {
    /* Read by the port's context switch (port/src/arch), which knows a task's
     * record by the address of `reent`: keep these four words just below it. */
    INT8U        **name_at;    /* its TCB's OSTCBTaskName (or a "?" name)                   */
    OS_STK        *bottom;     /* lowest entry the task may use; NULL while unknown         */
    OS_STK        *guard_at;   /* `bottom` with exact bounds, else &guard                    */
    OS_STK         guard;      /* value of *guard_at when the task started                   */
    struct _reent  reent;      /* the task's newlib state                                   */
    /* The C half's own. */
    OS_STK        *top;        /* one past the task's highest stack entry                    */
    INT8U          exact;      /* bounds from OSTaskCreateExt (else: the next stack below)  */
    INT8U          reent_used;
} UCVISOR_TASK;

_Static_assert(offsetof(UCVISOR_TASK, reent) - offsetof(UCVISOR_TASK, name_at) == 16 &&
                   offsetof(UCVISOR_TASK, reent) - offsetof(UCVISOR_TASK, bottom) == 12 &&
                   offsetof(UCVISOR_TASK, reent) - offsetof(UCVISOR_TASK, guard_at) == 8 &&
                   offsetof(UCVISOR_TASK, reent) - offsetof(UCVISOR_TASK, guard) == 4,
               "port/src/arch reads UCVISOR_TASK at these offsets below `reent`");

/* The port's words (port/src/arch): the running task's record (its own
 * "no task" record before the first task), and the running task's priority and
 * name for the root server's fault reports. */
extern struct _reent *volatile ucvisor_current_record;  /* &record->reent */
extern volatile INT32U ucvisor_current_task_prio;
extern const char *volatile ucvisor_current_task_name;

void ucvisor_cfg_sw_hook(void);
void ucvisor_cfg_start(void);
void ucvisor_cfg_task_in(void);

static UCVISOR_TASK ucvisor_task[UCVISOR_TASKS];

static INT32U ucvisor_task_index(const OS_TCB *ptcb)
{
    return (INT32U)(ptcb - &OSTCBTbl[0]);
}

static const char *ucvisor_task_name(const OS_TCB *ptcb)
{
#if OS_TASK_NAME_EN > 0u
    if (ptcb->OSTCBTaskName != (INT8U *)0) {
        return (const char *)ptcb->OSTCBTaskName;
    }
#else
    (void)ptcb;
#endif
    return "?";
}

/*
 * A task created with OSTaskCreate tells the kernel only its stack top. Stacks
 * are disjoint arrays, so no task's stack may reach below the highest stack top
 * of another task that lies under its own: that top is a sound (if not always
 * tight) bottom. Tasks created with OSTaskCreateExt have exact bounds.
 */
static void ucvisor_update_bounds(void)
{
    INT32U i;
    INT32U j;

    for (i = 0u; i < UCVISOR_TASKS; i++) {
        OS_STK *best = (OS_STK *)0;
        if (ucvisor_task[i].top == (OS_STK *)0 || ucvisor_task[i].exact != 0u) {
            continue;
        }
        for (j = 0u; j < UCVISOR_TASKS; j++) {
            OS_STK *other = ucvisor_task[j].top;
            if (j != i && other != (OS_STK *)0 && other < ucvisor_task[i].top && other > best) {
                best = other;
            }
        }
        ucvisor_task[i].bottom   = best;
        ucvisor_task[i].guard_at = &ucvisor_task[i].guard;
    }
}

/*
 * First code of every task, on its own stack (called by the port's task entry
 * with the `ptos` OSTaskStkInit was given): a fresh newlib reentrancy structure
 * (the previous owner's of this TCB is reclaimed, its stdio buffers freed) and
 * the task's stack bounds.
 */
void ucvisor_cfg_task_start(OS_STK *ptos)
{
#if OS_CRITICAL_METHOD == 3u
    OS_CPU_SR cpu_sr = 0u;
#endif
    OS_TCB       *ptcb  = OSTCBCur;
    INT32U        index = ucvisor_task_index(ptcb);
    UCVISOR_TASK *task  = &ucvisor_task[index];
    struct _reent *reent = &task->reent;

    OS_ENTER_CRITICAL();
    if (task->reent_used != 0u) {
        /* _reclaim_reent skips the structure _impure_ptr points at. */
        _impure_ptr = _global_impure_ptr;
        _reclaim_reent(reent);
    }
    _REENT_INIT_PTR(reent);
    task->reent_used = 1u;
    _impure_ptr = reent;

    task->top      = ptos + 1;
    task->bottom   = (OS_STK *)0;
    task->guard_at = &task->guard;
    task->exact    = 0u;
#if OS_TASK_CREATE_EXT_EN > 0u
    if (ptcb->OSTCBStkBottom != (OS_STK *)0) {
        task->bottom   = ptcb->OSTCBStkBottom;
        task->guard    = *task->bottom;
        task->guard_at = task->bottom;
        task->exact    = 1u;
    }
#endif
    ucvisor_update_bounds();
    OS_EXIT_CRITICAL();
}

/* Checks that `sp` (a saved context of task `ptcb`) lies inside its stack. */
void ucvisor_cfg_check_stack(const OS_TCB *ptcb, INT32U sp)
{
    const UCVISOR_TASK *task;

    if (ptcb == (OS_TCB *)0 || OSRunning == OS_FALSE) {
        return;
    }
    task = &ucvisor_task[ucvisor_task_index(ptcb)];
    if (task->bottom == (OS_STK *)0) {
        return;
    }
    if (sp < (INT32U)task->bottom || (task->exact != 0u && *task->bottom != task->guard)) {
        ucvisor_stack_overflow(ptcb->OSTCBPrio, ucvisor_task_name(ptcb), sp, (INT32U)task->bottom);
    }
}

/* A task's name for fault reports when the kernel keeps none. */
#if OS_TASK_NAME_EN == 0u
static INT8U *ucvisor_no_task_name = (INT8U *)"?";
#endif

/*
 * Called once by OSStartHighRdy, masked, before the first task runs: fills in
 * what the port's context switch reads from each task's record (its newlib
 * state, where its TCB keeps its name, a guard that holds), then the switch
 * hook, as for every switch.
 */
void ucvisor_cfg_start(void)
{
    INT32U i;

    for (i = 0u; i < UCVISOR_TASKS; i++) {
        UCVISOR_TASK *task = &ucvisor_task[i];
#if OS_TASK_NAME_EN > 0u
        task->name_at = &OSTCBTbl[i].OSTCBTaskName;
#else
        task->name_at = &ucvisor_no_task_name;
#endif
        if (task->guard_at == (OS_STK *)0) {
            task->guard_at = &task->guard;
        }
    }
    ucvisor_cfg_sw_hook();
}

/*
 * Called by the port's context switch, masked, when the task it switched to
 * (OSTCBCur, already updated) resumes from an interrupt's frame or starts:
 * frames of task-level switches carry the task's record, these do not.
 * Makes it the running task: its record, its newlib state, its priority and
 * name for fault reports.
 */
void ucvisor_cfg_task_in(void)
{
    OS_TCB       *ptcb = OSTCBCur;
    UCVISOR_TASK *task = &ucvisor_task[ucvisor_task_index(ptcb)];

    ucvisor_current_record    = &task->reent;
    ucvisor_current_task_prio = ptcb->OSTCBPrio;
    ucvisor_current_task_name = (const char *)*task->name_at;
    _impure_ptr               = &task->reent;
}

/*
 * The switch hook, called by the port's context switches (OSStartHighRdy,
 * OSCtxSw, OSIntCtxSw) where the contract calls OSTaskSwHook: the application's
 * OSTaskSwHook, or this file's (which only calls App_TaskSwHook, so that is
 * called directly), or nothing when the configuration has no switch hook.
 * Without a frame pointer, so that the call is a branch.
 */
__attribute__((optimize("omit-frame-pointer"))) void ucvisor_cfg_sw_hook(void)
{
#if OS_TASK_SW_HOOK_EN > 0u
#if OS_CPU_HOOKS_EN > 0u
#if OS_APP_HOOKS_EN > 0u
    App_TaskSwHook();
#endif
#else
    OSTaskSwHook();
#endif
#endif
}

/*
 * OSCtxSw, OSIntCtxSw and OSStartHighRdy: the port's (port/src/arch) for this
 * configuration, without the VFP area unless the guest is hard-float, without
 * the switch hook unless it has one.
 */
#if defined(__ARM_PCS_VFP)
#define UCVISOR_SW_VFP "_vfp"
#else
#define UCVISOR_SW_VFP "_soft"
#endif
#if OS_TASK_SW_HOOK_EN > 0u && (OS_CPU_HOOKS_EN == 0u || OS_APP_HOOKS_EN > 0u)
#define UCVISOR_SW_HOOK "_hook"
#else
#define UCVISOR_SW_HOOK ""
#endif
#define UCVISOR_SW(name) "b ucvisor_" name UCVISOR_SW_VFP UCVISOR_SW_HOOK

__attribute__((naked)) void OSCtxSw(void)
{
    __asm__ volatile(UCVISOR_SW("ctxsw"));
}

__attribute__((naked)) void OSIntCtxSw(void)
{
    __asm__ volatile(UCVISOR_SW("intctxsw"));
}

__attribute__((naked)) void OSStartHighRdy(void)
{
    __asm__ volatile(UCVISOR_SW("start"));
}

/* ----- newlib locks -------------------------------------------------------------------- */

/*
 * newlib (built without retargetable locking) serializes malloc/free and the
 * environment through these four functions. None of them blocks, so holding the
 * µC/OS-II scheduler lock is enough: interrupts keep running, other tasks wait
 * until the call returns. Without OSSchedLock the lock masks virtual interrupts.
 * Both nest, as newlib requires.
 */
#if OS_SCHED_LOCK_EN == 0u
static OS_CPU_SR ucvisor_lock_sr;
static INT32U    ucvisor_lock_depth;
#endif

static void ucvisor_lock(void)
{
#if OS_SCHED_LOCK_EN > 0u
    OSSchedLock();
#else
    OS_CPU_SR sr = OS_CPU_SR_Save();
    if (ucvisor_lock_depth++ == 0u) {
        ucvisor_lock_sr = sr;
    }
#endif
}

static void ucvisor_unlock(void)
{
#if OS_SCHED_LOCK_EN > 0u
    OSSchedUnlock();
#else
    if (ucvisor_lock_depth != 0u && --ucvisor_lock_depth == 0u) {
        OS_CPU_SR_Restore(ucvisor_lock_sr);
    }
#endif
}

void __malloc_lock(struct _reent *reent)   { (void)reent; ucvisor_lock(); }
void __malloc_unlock(struct _reent *reent) { (void)reent; ucvisor_unlock(); }
void __env_lock(struct _reent *reent)      { (void)reent; ucvisor_lock(); }
void __env_unlock(struct _reent *reent)    { (void)reent; ucvisor_unlock(); }

/* ----- idle time and console input ------------------------------------------------------- */

/*
 * The idle task blocks in the kernel until the next virtual interrupt, so one
 * pass of its loop can last a whole tick. The port adds the time it waited, in
 * microseconds, so that OSIdleCtr measures idle time as on a bare board and
 * OSStatInit/OSCPUUsage mean what they mean there.
 */
void ucvisor_cfg_idle_account(INT32U microseconds)
{
#if OS_CRITICAL_METHOD == 3u
    OS_CPU_SR cpu_sr = 0u;
#endif
    OS_ENTER_CRITICAL();
    OSIdleCtr += microseconds;
    OS_EXIT_CRITICAL();
}

/*
 * Console input wait: a task blocks until the console's virtual interrupt
 * signals input. With semaphores, on one created at first use (it takes one of
 * the application's OS_MAX_EVENTS); without them, by sleeping a tick at a time.
 */
#if OS_SEM_EN > 0u
static OS_EVENT *ucvisor_input_sem;
#endif

void ucvisor_cfg_input_wait(void)
{
#if OS_SEM_EN > 0u
    INT8U err;
#if OS_CRITICAL_METHOD == 3u
    OS_CPU_SR cpu_sr = 0u;
#endif
    OS_ENTER_CRITICAL();
    if (ucvisor_input_sem == (OS_EVENT *)0) {
        ucvisor_input_sem = OSSemCreate(0u);
    }
    OS_EXIT_CRITICAL();
    if (ucvisor_input_sem != (OS_EVENT *)0) {
        OSSemPend(ucvisor_input_sem, 0u, &err);
        return;
    }
#endif
    OSTimeDly(1u);
}

/* From the console's virtual interrupt (ISR context). */
void ucvisor_cfg_input_signal(void)
{
#if OS_SEM_EN > 0u
    if (ucvisor_input_sem != (OS_EVENT *)0) {
        (void)OSSemPost(ucvisor_input_sem);
    }
#endif
}

/* ----- the OS*Hook functions (unless the application defines them) ---------------------- */

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
#if OS_APP_HOOKS_EN > 0u && OS_TASK_DEL_EN > 0u
    App_TaskDelHook(ptcb);
#else
    (void)ptcb;
#endif
}

/* The port wraps this hook (link option --wrap=OSTaskIdleHook): after it returns,
 * the port's idle wait blocks the idle task until the next virtual interrupt. */
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
#if OS_APP_HOOKS_EN > 0u && OS_TASK_STAT_EN > 0u
    App_TaskStatHook();
#endif
}

void OSTaskSwHook(void)
{
#if OS_APP_HOOKS_EN > 0u && OS_TASK_SW_HOOK_EN > 0u
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
#if OS_APP_HOOKS_EN > 0u && OS_TIME_TICK_HOOK_EN > 0u
    App_TimeTickHook();
#endif
}
#endif
