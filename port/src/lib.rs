// SPDX-License-Identifier: MIT OR Apache-2.0
//! The µC/OS-II port and guest runtime for ucvisor guests.
//!
//! `include/os_cpu.h` is the C header µC/OS-II compiles against. The context
//! switch, critical sections and virtual IRQ entry are ARM code kept under
//! `port/src/arch/armv7a.rs`; this crate adds, in Rust:
//!
//! - the guest boot flow of the paper: `_Start` → `Lib_Init` (startup message and
//!   memory sections from the root server) → the bootstrap (creates the µC/OS-II
//!   thread, asks v_timer for the tick, starts the thread at `Start_kernel` with
//!   Start_SpIp, then becomes `Interrupt_loop`) → the C constructors
//!   (`.init_array`) → the application's `main()`;
//! - two virtual-interrupt paths, chosen per guest by the system description
//!   (`virq`, the startup message's MR5). On both, Interrupt_loop binds the
//!   µC/OS-II thread to the mask and pending words and the virtual IRQ entry
//!   (`PV_SYS_VIRQ_BIND`), so a notification to that thread is a virtual
//!   interrupt the kernel injects. *Direct* (the default): the µC/OS-II thread
//!   registers itself as v_timer's client and v_serial's input thread, and its
//!   dispatch takes the ticks due (the kernel's count, beside the pending word)
//!   and the console input itself;
//!   Interrupt_loop has nothing more to do. *Paper*: `Interrupt_loop` receives
//!   ticks from v_timer and console input from v_serial, marks them pending
//!   (atomically), and notifies the µC/OS-II thread: one kernel call injects
//!   them when the guest has virtual interrupts unmasked and is not inside a
//!   system call (two ExchangeRegisters before). On both, bits that arrive while
//!   the thread is masked or inside a system call are taken when it unmasks
//!   (the runtime's own system calls run masked or poll afterwards; a C task
//!   calling `paravirt.h` itself unmasked gets them at its next unmask or the
//!   next notification);
//! - the virtual interrupt dispatch (`OSTimeTick` per tick, `OSTmrSignal` at the
//!   timer rate, console input, handlers attached from C), `OSTaskStkInit`, the
//!   kernel hooks, and the newlib system calls behind `printf`/`getchar`/`exit`.
//!
//! Everything that depends on the application's `os_cfg.h` is in
//! `src/os_cpu_cfg.c`, which is compiled with each application (see `xtask`).
#![no_std]
#![deny(unsafe_op_in_unsafe_fn)]

/// Directory holding the port's C headers (`os_cpu.h`), for build scripts.
pub const INCLUDE_DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/include");
/// The port's C sources compiled with each application.
pub const C_SOURCES: [&str; 2] =
    [concat!(env!("CARGO_MANIFEST_DIR"), "/src/os_cpu_cfg.c"), concat!(env!("CARGO_MANIFEST_DIR"), "/src/syscalls.c")];
/// Linker script of guest images.
pub const LINKER_SCRIPT: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/guest.ld");

pub mod imports;

/// Virtual interrupt numbers the runtime itself uses.
pub mod virq {
    /// The µC/OS-II tick from v_timer.
    pub const TICK: u32 = 0;
    /// Console input from v_serial.
    pub const CONSOLE: u32 = 1;
    /// First number free for handlers attached from C.
    pub const FIRST_USER: u32 = 2;
    /// Number of virtual interrupts.
    pub const COUNT: u32 = 32;
}

#[cfg(target_os = "none")]
mod runtime;
