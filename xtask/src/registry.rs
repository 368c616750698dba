// SPDX-License-Identifier: MIT OR Apache-2.0
//! Third-party C libraries from the Rust package registry (crates.io): many
//! `-sys` crates ship the unmodified sources of a well-known C library
//! (littlefs in `littlefs2-sys`, zlib in `libz-sys`). A guest's
//! `[[guest.packages]]` names such a package and version and the C files to
//! take from it; [`fetch`] has cargo download the package into its own cache
//! and returns where its sources are. Nothing is copied into the SDK or the
//! application, and the package's own build script never runs: the guest
//! build compiles the listed files for the guest ([`crate::GuestBuild::source_library`]).
//!
//! How: a throwaway manifest in the build's work folder depends on exactly
//! that version; `cargo metadata` resolves it (downloading what it lacks, as
//! any cargo build would; offline once cached) and reports the package's
//! manifest path, whose folder holds the sources. Cargo's registry cache is
//! read-only by convention and keyed by version, so the sources of a given
//! version never change.

use std::path::{Path, PathBuf};
use std::process::Command;

/// One package of the registry: its name and exact version (`1.2.3`).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct PackageId {
    /// The package's name on the registry.
    pub name: String,
    /// Its exact version.
    pub version: String,
}

/// True if `name` can be a registry package name: 1 to 64 of `A-Z a-z 0-9 _ -`,
/// starting with a letter (cargo's rule for crates.io).
pub fn valid_name(name: &str) -> bool {
    (1..=64).contains(&name.len())
        && name.starts_with(|c: char| c.is_ascii_alphabetic())
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
}

/// True if `version` is an exact release version `MAJOR.MINOR.PATCH` (digits).
pub fn valid_version(version: &str) -> bool {
    let parts: Vec<&str> = version.split('.').collect();
    parts.len() == 3
        && parts.iter().all(|part| !part.is_empty() && part.len() <= 9 && part.bytes().all(|b| b.is_ascii_digit()))
}

/// The manifest of the throwaway package that makes cargo fetch `package`.
fn manifest(package: &PackageId) -> String {
    format!(
        "# Written by the ucvisor image build to have cargo fetch {name} {version}; never built.\n\
         [package]\nname = \"ucvisor-fetch\"\nversion = \"0.0.0\"\nedition = \"2021\"\npublish = false\n\n\
         [lib]\npath = \"lib.rs\"\n\n[dependencies]\n\"{name}\" = \"={version}\"\n\n[workspace]\n",
        name = package.name,
        version = package.version
    )
}

/// Has cargo fetch `package` (work files in `work/<name>-<version>/`) and
/// returns the folder of its sources. The error says what failed, with
/// cargo's own message (an unknown package or version, no network).
pub fn fetch(package: &PackageId, work: &Path) -> Result<PathBuf, String> {
    let what = format!("fetching {} {} from the package registry", package.name, package.version);
    let dir = work.join(format!("{}-{}", package.name, package.version));
    std::fs::create_dir_all(&dir).map_err(|error| format!("{what}: creating {}: {error}", dir.display()))?;
    let manifest_path = dir.join("Cargo.toml");
    for (file, text) in [(&manifest_path, manifest(package)), (&dir.join("lib.rs"), String::new())] {
        std::fs::write(file, text).map_err(|error| format!("{what}: writing {}: {error}", file.display()))?;
    }
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let mut command = Command::new(cargo);
    command.args(["metadata", "--format-version", "1", "--manifest-path"]).arg(&manifest_path);
    crate::without_build_script_environment(&mut command);
    let output = command.output().map_err(|error| format!("{what}: cannot run cargo: {error}"))?;
    if !output.status.success() {
        return Err(format!("{what} failed:\n{}", String::from_utf8_lossy(&output.stderr).trim_end()));
    }
    let metadata: serde_json::Value =
        serde_json::from_slice(&output.stdout).map_err(|error| format!("{what}: cargo's answer: {error}"))?;
    source_folder(&metadata, package).ok_or_else(|| format!("{what}: cargo resolved no such package"))
}

/// The folder of `package` in `cargo metadata`'s answer.
fn source_folder(metadata: &serde_json::Value, package: &PackageId) -> Option<PathBuf> {
    metadata["packages"].as_array()?.iter().find_map(|entry| {
        let ours = entry["name"] == package.name.as_str() && entry["version"] == package.version.as_str();
        let manifest = entry["manifest_path"].as_str().filter(|_| ours)?;
        Path::new(manifest).parent().map(Path::to_path_buf)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_versions() {
        assert!(valid_name("littlefs2-sys") && valid_name("libz_sys"));
        assert!(!valid_name("") && !valid_name("2fast") && !valid_name("a/b") && !valid_name("a b"));
        assert!(valid_version("0.3.2") && valid_version("10.20.30"));
        for bad in ["0.3", "^0.3.2", "0.3.2-rc1", "0.3.x", "", "1..2"] {
            assert!(!valid_version(bad), "{bad}");
        }
    }

    #[test]
    fn the_fetch_manifest_pins_the_exact_version() {
        let id = PackageId { name: "littlefs2-sys".into(), version: "0.3.2".into() };
        let text = manifest(&id);
        assert!(text.contains("\"littlefs2-sys\" = \"=0.3.2\""), "{text}");
        let parsed: toml::Table = toml::from_str(&text).expect("a valid manifest");
        assert!(parsed.contains_key("workspace"), "{text}");
    }

    #[test]
    fn the_source_folder_is_the_manifests_folder() {
        let metadata = serde_json::json!({"packages": [
            {"name": "cc", "version": "1.0.0", "manifest_path": "/r/cc-1.0.0/Cargo.toml"},
            {"name": "littlefs2-sys", "version": "0.3.2", "manifest_path": "/r/littlefs2-sys-0.3.2/Cargo.toml"},
        ]});
        let id = PackageId { name: "littlefs2-sys".into(), version: "0.3.2".into() };
        assert_eq!(source_folder(&metadata, &id), Some(PathBuf::from("/r/littlefs2-sys-0.3.2")));
        let other = PackageId { name: "littlefs2-sys".into(), version: "0.3.1".into() };
        assert_eq!(source_folder(&metadata, &other), None);
    }
}
