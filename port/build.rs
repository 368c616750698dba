// SPDX-License-Identifier: MIT OR Apache-2.0
//! Generates Rust bindings for the µC/OS-II types, globals and functions the
//! port uses, with bindgen over `ucos_ii.h` exactly as an ARM guest compiles it
//! (`--target=armv7a-none-eabi -fshort-enums`, newlib headers, the port's
//! `os_cpu.h`, the SDK's default `os_cfg.h`). Only the configuration-independent
//! parts are used (OS_TCB is reached only through `OSTCBStkPtr` at offset 0);
//! everything that depends on an application's `os_cfg.h` lives in
//! `src/os_cpu_cfg.c`, compiled with each application.

use std::path::PathBuf;

#[path = "src/imports.rs"]
#[allow(dead_code)]
mod imports;

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    if std::env::var("CARGO_CFG_TARGET_OS").as_deref() != Ok("none") {
        return;
    }
    let manifest = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").expect("set by cargo"));
    let ucos = manifest.join("../ucos-ii-c");
    for path in ["src/imports.rs", "include/os_cpu.h", "../ucos-ii-c/src/ucos_ii.h", "../ucos-ii-c/cfg/os_cfg.h"] {
        println!("cargo:rerun-if-changed={}", manifest.join(path).display());
    }
    let bindings = bindgen::Builder::default()
        .header(ucos.join("src/ucos_ii.h").display().to_string())
        .clang_args(["--target=armv7a-none-eabi", "-fshort-enums", "-I/usr/lib/arm-none-eabi/include"])
        .clang_arg(format!("-I{}", ucos.join("cfg").display()))
        .clang_arg(format!("-I{}", manifest.join("include").display()))
        .clang_arg(format!("-I{}", ucos.join("src").display()))
        .use_core()
        .ctypes_prefix("core::ffi")
        .layout_tests(false)
        .allowlist_function(imports::KERNEL_FUNCTIONS.join("|"))
        .allowlist_var(imports::KERNEL_VARIABLES.join("|"))
        .allowlist_type("OS_TCB|OS_STK|OS_EVENT|OS_CPU_SR|INT8U|INT16U|INT32U|BOOLEAN")
        .generate()
        .unwrap_or_else(|error| {
            panic!("bindgen over ucos_ii.h failed (is libclang-dev installed? run tools/setup): {error}")
        });
    let out = PathBuf::from(std::env::var("OUT_DIR").expect("set by cargo")).join("ucos_ii.rs");
    bindings.write_to_file(&out).expect("write bindings");
}
