//! The C symbols the guest runtime (this crate's Rust and `global_asm!`) uses,
//! in one place: `build.rs` makes its bindgen allowlist from the kernel lists,
//! and the guest build (`xtask::GuestBuild`) forces every name into the
//! partial link of the guest's C and checks that each one is defined there and
//! global, so that a missing one is a build error that names it rather than an
//! undefined symbol in the final link.

/// µC/OS-II functions the runtime calls (tick, ISR protocol, console semaphore,
/// task return).
pub const KERNEL_FUNCTIONS: &[&str] =
    &["OSIntEnter", "OSIntExit", "OSTimeTick", "OS_TaskReturn", "OSSemCreate", "OSSemPend", "OSSemPost"];

/// µC/OS-II globals the context switch and the interrupt entry read and write.
pub const KERNEL_VARIABLES: &[&str] =
    &["OSRunning", "OSIntNesting", "OSTCBCur", "OSPrioCur", "OSPrioHighRdy", "OSTCBHighRdy"];

/// Symbols of the application's C: `main` and what `src/os_cpu_cfg.c` defines.
pub const APPLICATION_SYMBOLS: &[&str] = &[
    "main",
    "ucvisor_cfg_ticks_per_sec",
    "ucvisor_cfg_tmr_ticks_per_sec",
    "ucvisor_cfg_tmr_signal",
    "ucvisor_cfg_task_create_hook",
    "ucvisor_cfg_task_del_hook",
    "ucvisor_cfg_task_idle_hook",
    "ucvisor_cfg_task_return_hook",
    "ucvisor_cfg_task_stat_hook",
    "ucvisor_cfg_task_sw_hook",
    "ucvisor_cfg_tcb_init_hook",
    "ucvisor_cfg_time_tick_hook",
];
