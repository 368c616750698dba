// SPDX-License-Identifier: MIT OR Apache-2.0
//! Builds the native baseline for `armv7a-none-eabi` (nothing on other
//! targets): µC/OS-II (the bundled kernel, or the original when `UCOS_II_SRC`
//! names a checkout: `ucos_ii_c::KernelBuild` chooses) with the benchmark's
//! `os_cfg.h`/`app_cfg.h` and this port's `os_cpu.h`, the benchmark
//! application `examples/bench_ucos/main.c` (the very file the guest runs)
//! and the port's C half, all at `-Os` like a guest's C; links with
//! `native.ld`.

use std::path::PathBuf;

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    if std::env::var("CARGO_CFG_TARGET_OS").as_deref() != Ok("none") {
        return;
    }
    let here = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR"));
    let application = here.join("../../examples/bench_ucos");
    let port_include = here.join("include");
    let mut kernel = ucos_ii_c::KernelBuild::new();
    kernel.cfg_dir(&application).port_include(&port_include).opt_level("s").flag("-marm");
    if let Err(error) = kernel.compile("ucos_native") {
        panic!("{error}");
    }
    let target = std::env::var("TARGET").expect("cargo sets TARGET");
    let mut c = kernel.cc_build(&target);
    c.file(application.join("main.c")).file(here.join("src/os_cpu_c.c")).include(&application);
    c.try_compile("native_app").unwrap_or_else(|error| panic!("{error}"));
    for file in ["main.c", "bench.h", "os_cfg.h", "app_cfg.h"] {
        println!("cargo:rerun-if-changed={}", application.join(file).display());
    }
    for file in ["src/os_cpu_c.c", "include/os_cpu.h", "native.ld"] {
        println!("cargo:rerun-if-changed={}", here.join(file).display());
    }
    println!("cargo:rustc-link-arg-bins=-T{}", here.join("native.ld").display());
    println!("cargo:rustc-link-arg-bins=-znoexecstack");
}
