//! Links the test images with the kernel layout, like the product image, and
//! builds the user test programs (`tests/user-programs`) that they embed as root tasks.

/// User programs embedded by the bins of this package.
const PROGRAMS: &[&str] = &[
    "ipc_pingpong",
    "preemption",
    "timeouts",
    "interrupt_ipc",
    "exchange_registers",
    "context_resume",
    "thread_registers",
    "fpu",
    "privilege",
    "faults",
    "hostile",
    "c_tests",
];

fn main() {
    let manifest =
        std::path::PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR"));
    let workspace = manifest.join("../..");
    if std::env::var("CARGO_CFG_TARGET_OS").as_deref() != Ok("none") {
        return;
    }
    xtask::link_kernel_images(&workspace, false);
    xtask::build_user_programs(
        &workspace,
        &["user-programs"],
        PROGRAMS,
        &["tests/user-programs", "tests/c", "include"],
    );
}
