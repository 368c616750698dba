// SPDX-License-Identifier: MIT OR Apache-2.0
//! The C symbols the guest runtime (this crate's Rust and `global_asm!`) uses,
//! in one place: `build.rs` makes its bindgen allowlist from the kernel lists,
//! and the guest build (`xtask::GuestBuild`) forces every name into the
//! partial link of the guest's C and checks that each one is defined there and
//! global, so that a missing one is a build error that names it rather than an
//! undefined symbol in the final link.

/// µC/OS-II functions the runtime calls (tick, ISR protocol, console semaphore,
/// task return).
pub const KERNEL_FUNCTIONS: &[&str] = &["OSIntExit", "OSTimeTick", "OS_TaskReturn"];

/// µC/OS-II globals the context switch and the interrupt entry read and write.
pub const KERNEL_VARIABLES: &[&str] =
    &["OSRunning", "OSIntNesting", "OSTCBCur", "OSPrioCur", "OSPrioHighRdy", "OSTCBHighRdy"];

/// Symbols of the application's C: `main` and what `src/os_cpu_cfg.c` defines.
pub const APPLICATION_SYMBOLS: &[&str] = &[
    "main",
    "ucvisor_cfg_ticks_per_sec",
    "ucvisor_cfg_tmr_ticks_per_sec",
    "ucvisor_cfg_vfp",
    "ucvisor_cfg_tmr_signal",
    "ucvisor_cfg_task_start",
    "ucvisor_cfg_check_stack",
    "ucvisor_cfg_idle_account",
    "ucvisor_cfg_input_wait",
    "ucvisor_cfg_input_signal",
    "ucvisor_cfg_start",
    "ucvisor_cfg_task_in",
    "ucvisor_cfg_sw_hook",
    // newlib's pointer to the running task's state, which the context switch sets.
    "_impure_ptr",
    // The port's C half defines it with OS_CPU_HOOKS_EN 1, the application with 0;
    // the runtime wraps it (`RUNTIME_WRAPS`).
    "OSTaskIdleHook",
];

/// Symbols the runtime wraps in every guest (`--wrap`): the C's calls to them go
/// to the runtime's `__wrap_` function, which calls the C's own through `__real_`.
/// `OSTaskIdleHook`: the idle task's wait for the next virtual interrupt runs
/// after whichever hook exists.
pub const RUNTIME_WRAPS: &[&str] = &["OSTaskIdleHook"];

/// Symbols the root server reads from a guest's image (`inspect` in
/// `hypervisor/servers/src/bin/root_server.rs`): the entry, and the words that
/// name the µC/OS-II task that ran, for fault reports (with the function at
/// the faulting pc, from the function symbols). The image build strips a
/// guest's debug information and keeps its symbol table (`strip_guest` in
/// xtask), so the root server finds them in the embedded image.
pub const ROOT_SERVER_SYMBOLS: &[&str] = &["_Start", "ucvisor_current_task_prio", "ucvisor_current_task_name"];
