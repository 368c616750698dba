//! Builds each example application (`examples/<name>/`: its sources, `os_cfg.h`,
//! `app_cfg.h`) into the guest binary of the same name, the way a user's own
//! application is built: see `xtask::GuestBuild`.

use std::path::PathBuf;

/// Example guests built from their whole folder with the default options:
/// (binary, folder under `examples/`).
const EXAMPLES: &[&str] = &[
    "hello",
    "pingpong",
    "queue",
    "timers",
    "echo",
    "ticks",
    "preempt",
    "virq",
    "crash",
    "limits",
    "cdiv",
    "cpustate",
    "newlib",
    "stats",
    "smallstack",
    "overflow",
];

/// C defines of a guest: (macro, value).
type Defines = &'static [(&'static str, &'static str)];

/// Guests built from one folder with different C defines: (binary, folder, defines).
/// `tickrate` once per tick rate (rate, ticks to measure); `tickrate_refused` asks
/// for one tick per second more than v_timer serves, with the build-time check
/// off, to test the check at boot.
const VARIANTS: &[(&str, &str, Defines)] = &[
    ("tickrate_100", "tickrate", &[("APP_TICK_RATE", "100u"), ("APP_TICK_COUNT", "1000u")]),
    ("tickrate_1024", "tickrate", &[("APP_TICK_RATE", "1024u"), ("APP_TICK_COUNT", "16384u")]),
    ("tickrate_32768", "tickrate", &[("APP_TICK_RATE", "32768u"), ("APP_TICK_COUNT", "32768u")]),
    (
        "tickrate_refused",
        "tickrate",
        &[("APP_TICK_RATE", "32769u"), ("APP_TICK_COUNT", "1u"), ("UCVISOR_SKIP_TICK_RATE_CHECK", "1")],
    ),
];

fn main() {
    if std::env::var("CARGO_CFG_TARGET_OS").as_deref() != Ok("none") {
        return;
    }
    let manifest = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").expect("set by cargo"));
    let examples = manifest.join("..");
    for name in EXAMPLES {
        let dir = examples.join(name);
        xtask::GuestBuild::new(name, &dir).source_dir(&dir).build();
    }
    for (binary, folder, defines) in VARIANTS {
        let dir = examples.join(folder);
        let mut guest = xtask::GuestBuild::new(binary, &dir).source_dir(&dir);
        for (name, value) in *defines {
            guest = guest.define(name, *value);
        }
        guest.build();
    }

    // The ucos-ii-c conformance suite, run inside the guest.
    let dir = examples.join("conformance");
    let suite = manifest.join("../../ucos-ii-c/tests/conformance");
    let files = xtask::c_files(&suite).into_iter().filter(|p| !p.ends_with("host_main.c"));
    println!("cargo:rerun-if-changed={}", suite.display());
    xtask::GuestBuild::new("conformance", &dir).source_dir(&dir).sources(files).include(&suite).build();

    // `cdiv` again, with libgcc's own division-by-zero handlers wrapped (counted
    // by div0_wrap.S) instead of overridden.
    let dir = examples.join("cdiv");
    xtask::GuestBuild::new("cdiv_default", &dir)
        .source_dir(&dir)
        .define("CDIV_WRAP_DIV0", None)
        .wrap("__aeabi_idiv0")
        .wrap("__aeabi_ldiv0")
        .build();

    // Stand-in vendor middleware: archived on its own first, then linked as a
    // prebuilt static library, the way a vendor's .a would be. Its sources sit
    // in `lib/` below the application, so the application's own file is listed
    // rather than taken with source_dir (which would compile lib/ into it).
    let dir = examples.join("vendor");
    let lib = dir.join("lib");
    cc::Build::new()
        .file(lib.join("vendor_crc.c"))
        .flags(xtask::guest_target_flags(false))
        .flag("-std=c11")
        .cargo_metadata(false)
        .compile("vendor_crc");
    let out = PathBuf::from(std::env::var("OUT_DIR").expect("set by cargo"));
    println!("cargo:rerun-if-changed={}", lib.display());
    xtask::GuestBuild::new("vendor", &dir)
        .sources([dir.join("main.c")])
        .include(&lib)
        .library(out.join("libvendor_crc.a"))
        .build();

    // Hard-float build check (built, not run: the kernel's VFP support comes
    // separately). tests/guests.rs reads the ELF's attributes and code.
    let dir = examples.join("hardfloat");
    xtask::GuestBuild::new("hardfloat", &dir).source_dir(&dir).hard_float(true).opt_level("2").build();

    // A hard-float guest that runs: tasks computing with doubles and holding
    // values in every VFP register under preemption.
    let dir = examples.join("vfp");
    xtask::GuestBuild::new("vfp", &dir).source_dir(&dir).hard_float(true).build();
}
