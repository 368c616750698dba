// SPDX-License-Identifier: MIT OR Apache-2.0
//! The µC/OS-II kernel that ucvisor guests run, as C sources plus a small API for
//! build scripts to compile it: a µC/OS-II V2.93.01 source-compatible kernel written
//! for this project from the documented API (`src/*.c`, `src/ucos_ii.h`), its default
//! configuration (`cfg/os_cfg.h`, `cfg/app_cfg.h`), a host test port
//! (`test-port/host/`) and a portable conformance suite (`tests/conformance/`).
//! [`KernelBuild`] compiles either this bundled kernel or, when the environment
//! variable `UCOS_II_SRC` names a checkout of the original sources, the original
//! `Source/os_*.c` files unmodified, against a configuration directory and a port's
//! `os_cpu.h`.

#![cfg_attr(target_os = "none", no_std)]

#[cfg(not(target_os = "none"))]
mod build_support;

#[cfg(not(target_os = "none"))]
pub use build_support::{
    BUNDLED_SOURCES, KernelBuild, KernelBuildError, KernelSource, ORIGINAL_HEADERS, ORIGINAL_SOURCES, UCOS_II_SRC_ENV,
    bundled_include_dir, default_cfg_dir, host_port_dir,
};
