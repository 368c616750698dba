//! The µC/OS-II port for ucvisor guests: `os_cpu.h` (in `include/`) and, in Rust
//! with `global_asm!`, the context switch (`OSCtxSw`, `OSIntCtxSw`,
//! `OSStartHighRdy`), `OSTaskStkInit`, the virtual-interrupt critical sections
//! (`OS_CPU_SR_Save`/`OS_CPU_SR_Restore`), the virtual IRQ entry and the kernel
//! hooks. µC/OS-II and all its tasks run in one L4 thread in ARM user mode; task
//! switches happen in user mode without entering the microkernel.
#![no_std]

/// Directory holding the port's C headers (`os_cpu.h`), for build scripts.
pub const INCLUDE_DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/include");
