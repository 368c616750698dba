// SPDX-License-Identifier: MIT OR Apache-2.0
//! Links the user test programs at user addresses and compiles the C-side tests
//! (`tests/c/*.c` with the SDK headers) into the `c_tests` program.

fn main() {
    let manifest = std::path::PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").expect("set by cargo"));
    let workspace = manifest.join("../..");
    if std::env::var("CARGO_CFG_TARGET_OS").as_deref() != Ok("none") {
        return;
    }
    println!("cargo:rustc-link-arg-bins=-T{}", workspace.join("hypervisor/rt/user.ld").display());
    println!("cargo:rustc-link-arg-bins=-zmax-page-size=4096");
    // Each is the root task of its image: linked where the root server is.
    println!(
        "cargo:rustc-link-arg-bins=--defsym=__ucvisor_link_address={:#x}",
        paravirt_api::PV_ROOT_SERVER_LINK_ADDRESS
    );
    let c_dir = workspace.join("tests/c");
    let mut sources = xtask::c_files(&c_dir);
    println!("cargo:rerun-if-changed={}", c_dir.display());
    println!("cargo:rerun-if-changed={}", workspace.join("include").display());
    if sources.is_empty() {
        // No C tests checked in: the program says so and fails rather than passing empty.
        let out = std::path::PathBuf::from(std::env::var("OUT_DIR").expect("set by cargo"));
        let stub = out.join("no_c_tests.c");
        std::fs::write(&stub, "extern unsigned pv_debug_write(const char *, unsigned);\nint main(void) { pv_debug_write(\"no C tests found in tests/c\\n\", 27); return 1; }\n").expect("write stub");
        sources.push(stub);
    }
    cc::Build::new()
        .files(&sources)
        .include(workspace.join("include"))
        .define("main", "c_tests_main")
        .flag("-std=c11")
        .flag("-ffreestanding")
        .flag("-marm")
        .warnings_into_errors(true)
        .extra_warnings(true)
        .compile("c_tests");
}
