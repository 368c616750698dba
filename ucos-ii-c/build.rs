// SPDX-License-Identifier: MIT OR Apache-2.0
//! Build script: for `armv7a-none-eabi`, compiles the kernel with the default
//! configuration and the ARM port's `os_cpu.h`, only to prove that it builds
//! (nothing is linked). On other targets it does nothing.

#[path = "src/build_support.rs"]
#[allow(dead_code)]
mod build_support;

use build_support::KernelBuild;

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    println!("cargo:rerun-if-changed=src/build_support.rs");
    let target = std::env::var("TARGET").unwrap_or_default();
    if target != "armv7a-none-eabi" {
        return;
    }
    let port_include = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../port/include");
    if let Err(e) = KernelBuild::new().port_include(&port_include).link(false).compile("ucos_ii_kernel_check") {
        panic!("{e}");
    }
}
