// SPDX-License-Identifier: MIT OR Apache-2.0
//! Links the servers as user programs.

fn main() {
    let manifest = std::path::PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").expect("set by cargo"));
    if std::env::var("CARGO_CFG_TARGET_OS").as_deref() == Ok("none") {
        println!("cargo:rustc-link-arg-bins=-T{}", manifest.join("../rt/user.ld").display());
        println!("cargo:rustc-link-arg-bins=-zmax-page-size=4096");
    }
}
