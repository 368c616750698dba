// SPDX-License-Identifier: MIT OR Apache-2.0
//! Links the test images with the kernel layout, like the product image, and
//! builds the user test programs that kernel test images embed as root tasks:
//! every `tests/user-programs/src/bin/<name>.rs` (see `kernel_test_image!`).

fn main() {
    let manifest =
        std::path::PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR"));
    let workspace = manifest.join("../..");
    if std::env::var("CARGO_CFG_TARGET_OS").as_deref() != Ok("none") {
        return;
    }
    let programs_folder = workspace.join("tests/user-programs/src/bin");
    let mut programs: Vec<String> = std::fs::read_dir(&programs_folder)
        .unwrap_or_else(|error| panic!("{}: {error}", programs_folder.display()))
        .filter_map(|entry| entry.ok()?.file_name().into_string().ok()?.strip_suffix(".rs").map(str::to_owned))
        .collect();
    programs.sort();
    let programs: Vec<&str> = programs.iter().map(String::as_str).collect();
    xtask::link_kernel_images(&workspace, false);
    xtask::build_user_programs(
        &workspace,
        &["user-programs"],
        &programs,
        &["tests/user-programs", "tests/c", "include"],
    );
}
