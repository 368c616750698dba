/*
 * os_cpu_cfg.c — the configuration-dependent half of the ucvisor µC/OS-II port.
 *
 * Compiled with each application, against its own os_cfg.h/app_cfg.h, so that the
 * Rust half of the port (hooks, tick dispatch) can follow the application's
 * configuration: the tick rates, whether the App_* hooks exist, and the timer
 * signal. Applications do not call these functions.
 */
#include <ucos_ii.h>
#include <paravirt.h>

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

const INT32U ucvisor_cfg_ticks_per_sec = OS_TICKS_PER_SEC;
#if OS_TMR_EN > 0u
const INT32U ucvisor_cfg_tmr_ticks_per_sec = OS_TMR_CFG_TICKS_PER_SEC;
#else
const INT32U ucvisor_cfg_tmr_ticks_per_sec = 0u;
#endif

void ucvisor_cfg_tmr_signal(void)
{
#if OS_TMR_EN > 0u
    (void)OSTmrSignal();
#endif
}

void ucvisor_cfg_task_create_hook(OS_TCB *ptcb)
{
#if OS_APP_HOOKS_EN > 0u
    App_TaskCreateHook(ptcb);
#else
    (void)ptcb;
#endif
}

void ucvisor_cfg_task_del_hook(OS_TCB *ptcb)
{
#if OS_APP_HOOKS_EN > 0u && OS_TASK_DEL_EN > 0u
    App_TaskDelHook(ptcb);
#else
    (void)ptcb;
#endif
}

void ucvisor_cfg_task_idle_hook(void)
{
#if OS_APP_HOOKS_EN > 0u
    App_TaskIdleHook();
#endif
}

void ucvisor_cfg_task_return_hook(OS_TCB *ptcb)
{
#if OS_APP_HOOKS_EN > 0u
    App_TaskReturnHook(ptcb);
#else
    (void)ptcb;
#endif
}

void ucvisor_cfg_task_stat_hook(void)
{
#if OS_APP_HOOKS_EN > 0u && OS_TASK_STAT_EN > 0u
    App_TaskStatHook();
#endif
}

void ucvisor_cfg_task_sw_hook(void)
{
#if OS_APP_HOOKS_EN > 0u && OS_TASK_SW_HOOK_EN > 0u
    App_TaskSwHook();
#endif
}

void ucvisor_cfg_tcb_init_hook(OS_TCB *ptcb)
{
#if OS_APP_HOOKS_EN > 0u
    App_TCBInitHook(ptcb);
#else
    (void)ptcb;
#endif
}

void ucvisor_cfg_time_tick_hook(void)
{
#if OS_APP_HOOKS_EN > 0u && OS_TIME_TICK_HOOK_EN > 0u
    App_TimeTickHook();
#endif
}
