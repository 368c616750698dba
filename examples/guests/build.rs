//! Builds each example application (`examples/<name>/`: `main.c`, `os_cfg.h`,
//! `app_cfg.h`) into the guest binary of the same name, the way a user's own
//! application is built: see `xtask::GuestBuild`.

use std::path::PathBuf;

/// Example guests, each built from the folder of the same name under `examples/`.
const EXAMPLES: &[&str] = &[
    "hello",
    "pingpong",
    "queue",
    "timers",
    "echo",
    "ticks",
    "preempt",
    "conformance",
    "virq",
    "crash",
    "vendor",
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
    for (binary, folder, defines) in VARIANTS {
        let dir = examples.join(folder);
        let mut guest = xtask::GuestBuild::new(binary, &dir).source_dir(&dir);
        for (name, value) in *defines {
            guest = guest.define(name, value);
        }
        guest.build();
    }
    for name in EXAMPLES {
        let dir = examples.join(name);
        let mut guest = xtask::GuestBuild::new(name, &dir).source_dir(&dir);
        if *name == "conformance" {
            // The ucos-ii-c conformance suite, run inside the guest.
            let suite = manifest.join("../../ucos-ii-c/tests/conformance");
            let files = xtask::c_files(&suite).into_iter().filter(|p| !p.ends_with("host_main.c"));
            guest = guest.sources(files).include(&suite);
            println!("cargo:rerun-if-changed={}", suite.display());
        }
        if *name == "vendor" {
            // Stand-in vendor middleware: archived on its own first, then linked
            // as a prebuilt static library, the way a vendor's .a would be.
            let lib = dir.join("lib");
            cc::Build::new()
                .file(lib.join("vendor_crc.c"))
                .flag("-std=c11")
                .cargo_metadata(false)
                .compile("vendor_crc");
            let out = PathBuf::from(std::env::var("OUT_DIR").expect("set by cargo"));
            println!("cargo:rerun-if-changed={}", lib.display());
            guest = guest.include(&lib).library(out.join("libvendor_crc.a"));
        }
        guest.build();
    }
}
