// SPDX-License-Identifier: MIT OR Apache-2.0
//! Root build script. For the ARM target it builds the SDK's kernel, servers
//! and guest runtime once (a nested cargo build with the SDK's settings), links
//! the bootable images (this package's binary and examples) with the kernel,
//! and builds what they embed: every example, each a folder `examples/<name>/`
//! with a system description `system.toml` (see `xtask::build_examples`).
//! Adding an example is adding a folder.
//!
//! All of this only with the `examples` feature (a default one): a package
//! that uses the SDK as a dependency (`default-features = false`) builds its
//! own image with `xtask::build_system` and none of the SDK's.

fn main() {
    let manifest =
        std::path::PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR"));
    println!("cargo:rerun-if-changed=build.rs");
    if std::env::var("CARGO_CFG_TARGET_OS").as_deref() != Ok("none")
        || std::env::var_os("CARGO_FEATURE_EXAMPLES").is_none()
    {
        return;
    }
    let sdk = xtask::Sdk::build().unwrap_or_else(|error| panic!("{error}"));
    sdk.link_images();
    // A broken example fails only its own image (and warns here).
    xtask::build_examples(&sdk, &manifest.join("examples"));
}
