// SPDX-License-Identifier: MIT OR Apache-2.0
//! Build support shared by the image crates' build scripts. A bootable image
//! embeds user programs (the root task, servers, guests) that are separate ELF
//! programs linked at user addresses; since cargo cannot depend on another
//! package's binary on stable, the image's build script runs a nested
//! `cargo build` of the SDK's programs with its own target directory (sharing
//! the outer one would deadlock on its lock).
//!
//! - [`build_system`] (`system.rs`): the whole build of an image from its
//!   system description (`system.toml`); [`Sdk`] and [`build_examples`] for
//!   build scripts that build several images.
//! - [`GuestBuild`] (`guest.rs`): compiles a µC/OS-II application's C and
//!   links it with the guest runtime into a guest's ELF.
//! - [`build_user_programs`]: nested builds of other user programs (the
//!   kernel's test programs).
//! - [`System`] (`description.rs`): reads and checks the `system.toml` that
//!   describes an image.
//! - [`registry`]: the C sources of a package of the Rust registry, fetched
//!   by cargo, for a guest's `[[guest.packages]]`.
//! - [`bench`]: `cargo xtask bench`, the README's benchmark table measured.
//! - [`soak`]: `cargo xtask soak`, the soak of issue 10 run and judged.
//! - [`debug`]: `cargo xtask debug`, an image under QEMU's gdbstub with
//!   gdb-multiarch and every program's symbols.
//! - [`make_flow`]: the SDK for make users (`cargo xtask sdk DIR`) and its
//!   host tool `ucvisor-image`.

#![cfg_attr(target_os = "none", no_std)]

#[cfg(not(target_os = "none"))]
mod host {
    use std::path::{Path, PathBuf};
    use std::process::Command;

    /// The target every user program is built for.
    pub const TARGET: &str = "armv7a-none-eabi";

    /// Environment variables cargo sets for build scripts that must not leak into the
    /// nested build (they would retarget it or mask its own configuration).
    const LEAKING: &[&str] = &[
        "RUSTFLAGS",
        "CARGO_ENCODED_RUSTFLAGS",
        "TARGET",
        "HOST",
        "OUT_DIR",
        "PROFILE",
        "OPT_LEVEL",
        "DEBUG",
        "NUM_JOBS",
        "RUSTC_LINKER",
        "RUSTC_WORKSPACE_WRAPPER",
        "CLIPPY_ARGS",
    ];

    /// The `*.c` files of `dir`, sorted (none if it does not exist).
    pub fn c_files(dir: impl AsRef<Path>) -> Vec<PathBuf> {
        let mut files: Vec<PathBuf> = std::fs::read_dir(dir.as_ref())
            .map(|entries| {
                entries
                    .filter_map(|e| e.ok())
                    .map(|e| e.path())
                    .filter(|p| p.extension().is_some_and(|x| x == "c"))
                    .collect()
            })
            .unwrap_or_default();
        files.sort();
        files
    }

    /// Links the calling package's binaries (and, with `examples`, its examples)
    /// as bootable kernel images (the platform's kernel layout), for image
    /// crates that depend on the `hypervisor` crate itself (the kernel's test
    /// images); images of system descriptions use `Sdk::link_images`.
    pub fn link_kernel_images(workspace: &Path, examples: bool) {
        let linker_script = workspace.join("hypervisor/src/plat/qemu_virt/kernel.ld");
        println!("cargo:rerun-if-changed={}", linker_script.display());
        println!("cargo:rustc-link-arg-bins=-T{}", linker_script.display());
        if examples {
            println!("cargo:rustc-link-arg-examples=-T{}", linker_script.display());
        }
    }

    /// Removes from `command` the environment cargo gives a build script
    /// (`CARGO_*` but `CARGO`, `CARGO_HOME` and the jobserver's
    /// `CARGO_MAKEFLAGS`, [`LEAKING`], `DEP_*`), so that a cargo it runs
    /// behaves as in a developer's shell.
    pub(crate) fn without_build_script_environment(command: &mut Command) {
        for (key, _) in std::env::vars_os() {
            let Some(key) = key.to_str() else { continue };
            let keep = matches!(key, "CARGO" | "CARGO_HOME" | "CARGO_MAKEFLAGS");
            if (key.starts_with("CARGO_") && !keep) || LEAKING.contains(&key) || key.starts_with("DEP_") {
                command.env_remove(key);
            }
        }
    }

    /// Runs `cargo build --release --target` [`TARGET`] of `packages` (all
    /// their targets) in `workspace`, with `target_dir`, without the
    /// environment cargo gave the calling build script; returns the folder
    /// of the artifacts, or cargo's messages when it failed.
    pub fn nested_cargo_build(workspace: &Path, packages: &[&str], target_dir: &Path) -> Result<PathBuf, String> {
        nested_cargo_build_with(workspace, packages, target_dir, &[])
    }

    /// [`nested_cargo_build`] with extra arguments for cargo (`--config ...`).
    pub fn nested_cargo_build_with(
        workspace: &Path,
        packages: &[&str],
        target_dir: &Path,
        extra: &[String],
    ) -> Result<PathBuf, String> {
        let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
        let mut command = Command::new(cargo);
        command.current_dir(workspace).args(["build", "--release", "--target", TARGET, "--target-dir"]).arg(target_dir);
        command.args(extra);
        for package in packages {
            command.args(["-p", package]);
        }
        without_build_script_environment(&mut command);
        let output = command.output().map_err(|error| format!("running the nested cargo build: {error}"))?;
        if !output.status.success() {
            return Err(format!(
                "`cargo build --release` of {packages:?} in {} failed:\n{}",
                workspace.display(),
                String::from_utf8_lossy(&output.stderr)
            ));
        }
        Ok(target_dir.join(TARGET).join("release"))
    }

    /// Builds every binary of `packages` (workspace members) in release mode for
    /// [`TARGET`] and copies each listed binary to `OUT_DIR/<name>`. Emits the
    /// `rerun-if-changed` lines for `watched` paths (relative to the workspace).
    pub fn build_user_programs(workspace: &Path, packages: &[&str], binaries: &[&str], watched: &[&str]) -> PathBuf {
        let out_dir = PathBuf::from(std::env::var("OUT_DIR").expect("called from a build script"));
        let built = nested_cargo_build(workspace, packages, &out_dir.join("user-target"))
            .unwrap_or_else(|message| panic!("{message}"));
        for binary in binaries {
            std::fs::copy(built.join(binary), out_dir.join(binary))
                .unwrap_or_else(|error| panic!("user program `{binary}` was not built: {error}"));
        }
        // The guests' kernel sources are chosen by UCOS_II_SRC (see ucos-ii-c).
        println!("cargo:rerun-if-env-changed=UCOS_II_SRC");
        for path in watched {
            println!("cargo:rerun-if-changed={}", workspace.join(path).display());
        }
        for path in ["Cargo.toml", "Cargo.lock", ".cargo/config.toml", "paravirt-api", "hypervisor/rt", "port"] {
            println!("cargo:rerun-if-changed={}", workspace.join(path).display());
        }
        out_dir
    }
}

#[cfg(not(target_os = "none"))]
pub use host::*;

#[cfg(not(target_os = "none"))]
pub mod bench;
#[cfg(not(target_os = "none"))]
pub mod debug;
#[cfg(not(target_os = "none"))]
pub mod description;
#[cfg(not(target_os = "none"))]
pub use description::{DescriptionError, Guest, OnFault, System};

#[cfg(not(target_os = "none"))]
pub mod fingerprint;
#[cfg(not(target_os = "none"))]
mod guest;
#[cfg(not(target_os = "none"))]
pub mod make_flow;
#[cfg(not(target_os = "none"))]
pub mod new_app;
#[cfg(not(target_os = "none"))]
pub mod registry;
#[cfg(not(target_os = "none"))]
pub use guest::*;
#[cfg(not(target_os = "none"))]
pub mod soak;
#[cfg(not(target_os = "none"))]
mod system;
#[cfg(not(target_os = "none"))]
pub use system::*;
