//! Root build script. For the ARM target it links the bootable images with the
//! platform's kernel layout and builds, with a nested cargo build, the user
//! programs they embed: the root server and driver domain (`hypervisor/servers`)
//! and the example guests (`examples/guests`).

/// User programs the images embed.
const PROGRAMS: &[&str] = &[
    "root_server",
    "drivers",
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
    "limits",
    "vendor",
    "cpustate",
    "newlib",
    "stats",
    "smallstack",
    "overflow",
    "tickrate_100",
    "tickrate_1024",
    "tickrate_32768",
    "tickrate_refused",
    "cdiv",
    "cdiv_default",
    "hardfloat",
    "vfp",
];

fn main() {
    let manifest =
        std::path::PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR"));
    println!("cargo:rerun-if-changed=build.rs");
    if std::env::var("CARGO_CFG_TARGET_OS").as_deref() != Ok("none") {
        return;
    }
    xtask::link_kernel_images(&manifest, true);
    xtask::build_user_programs(
        &manifest,
        &["servers", "example-guests"],
        PROGRAMS,
        &[
            "hypervisor/servers",
            "hypervisor/elf",
            "examples",
            "port",
            "ucos-ii-c/src",
            "ucos-ii-c/cfg",
            "ucos-ii-c/tests/conformance",
        ],
    );
}
