// SPDX-License-Identifier: MIT OR Apache-2.0
//! Compiling the µC/OS-II kernel from a build script.
//!
//! Shared by the library (for guest images' build scripts) and by this crate's own
//! `build.rs` (through `#[path]`), so it only uses std and `cc`.

use std::env;
use std::error::Error;
use std::fmt;
use std::path::{Path, PathBuf};

/// Environment variable naming a checkout of the original µC/OS-II sources (the
/// repository root, with `Source/` below it). When set and non-empty, it replaces
/// the bundled kernel.
pub const UCOS_II_SRC_ENV: &str = "UCOS_II_SRC";

/// Kernel C files of the bundled kernel, in `src/`.
pub const BUNDLED_SOURCES: &[&str] = &[
    "os_core.c",
    "os_dbg.c",
    "os_flag.c",
    "os_mbox.c",
    "os_mem.c",
    "os_mutex.c",
    "os_q.c",
    "os_sem.c",
    "os_task.c",
    "os_time.c",
    "os_tmr.c",
];

/// Kernel C files compiled from the original's `Source/`. `ucos_ii.c` is left out:
/// it `#include`s every `os_*.c` (a single-file build), so compiling it as well
/// would define everything twice. `os_dbg_r.c` is in: it supplies `OSDebugInit()`
/// and the debug constants.
pub const ORIGINAL_SOURCES: &[&str] = &[
    "os_core.c",
    "os_dbg_r.c",
    "os_flag.c",
    "os_mbox.c",
    "os_mem.c",
    "os_mutex.c",
    "os_q.c",
    "os_sem.c",
    "os_task.c",
    "os_time.c",
    "os_tmr.c",
];

/// Headers the original's `Source/` must also contain.
pub const ORIGINAL_HEADERS: &[&str] = &["ucos_ii.h", "os_trace.h"];

fn manifest_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Directory holding the bundled kernel's sources and its `ucos_ii.h`/`os_trace.h`.
pub fn bundled_include_dir() -> PathBuf {
    manifest_dir().join("src")
}

/// Directory holding the default `os_cfg.h` and `app_cfg.h`.
pub fn default_cfg_dir() -> PathBuf {
    manifest_dir().join("cfg")
}

/// Directory of the host (x86_64 Linux) test port: `os_cpu.h` and `os_cpu_c.c`.
pub fn host_port_dir() -> PathBuf {
    manifest_dir().join("test-port").join("host")
}

/// Which kernel sources to compile.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum KernelSource {
    /// The kernel shipped in this crate.
    Bundled,
    /// The original sources: the checkout root, with `Source/` below it.
    Original(PathBuf),
}

impl KernelSource {
    /// The original sources if `UCOS_II_SRC` is set and non-empty, otherwise the
    /// bundled kernel.
    pub fn from_env() -> Self {
        match env::var_os(UCOS_II_SRC_ENV) {
            Some(root) if !root.is_empty() => KernelSource::Original(PathBuf::from(root)),
            _ => KernelSource::Bundled,
        }
    }

    /// Whether this is the bundled kernel.
    pub fn is_bundled(&self) -> bool {
        matches!(self, KernelSource::Bundled)
    }

    /// Directory holding the kernel's C files and `ucos_ii.h`.
    pub fn source_dir(&self) -> PathBuf {
        match self {
            KernelSource::Bundled => bundled_include_dir(),
            KernelSource::Original(root) => root.join("Source"),
        }
    }

    /// The kernel's C files. For the original, checks that every expected file
    /// (sources and headers) exists and names the missing ones otherwise.
    pub fn c_files(&self) -> Result<Vec<PathBuf>, KernelBuildError> {
        let dir = self.source_dir();
        match self {
            KernelSource::Bundled => Ok(BUNDLED_SOURCES.iter().map(|f| dir.join(f)).collect()),
            KernelSource::Original(root) => {
                let missing: Vec<String> = ORIGINAL_SOURCES
                    .iter()
                    .chain(ORIGINAL_HEADERS)
                    .filter(|f| !dir.join(f).is_file())
                    .map(|f| format!("Source/{f}"))
                    .collect();
                if missing.is_empty() {
                    Ok(ORIGINAL_SOURCES.iter().map(|f| dir.join(f)).collect())
                } else {
                    Err(KernelBuildError::MissingOriginalFiles { root: root.clone(), missing })
                }
            }
        }
    }
}

/// Why the kernel could not be built.
#[derive(Debug)]
pub enum KernelBuildError {
    /// `UCOS_II_SRC` points at a directory without the expected original files.
    MissingOriginalFiles {
        /// The directory `UCOS_II_SRC` named.
        root: PathBuf,
        /// The files not found, relative to `root`.
        missing: Vec<String>,
    },
    /// The C compiler failed.
    Compile(String),
}

impl fmt::Display for KernelBuildError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            KernelBuildError::MissingOriginalFiles { root, missing } => write!(
                f,
                "{UCOS_II_SRC_ENV}={} is not a µC/OS-II V2.93.01 checkout: missing {}",
                root.display(),
                missing.join(", ")
            ),
            KernelBuildError::Compile(msg) => {
                write!(f, "compiling the µC/OS-II kernel failed: {msg}")
            }
        }
    }
}

impl Error for KernelBuildError {}

/// Builder that compiles the kernel into a static library with `cc`, for use in
/// build scripts.
///
/// ```no_run
/// ucos_ii_c::KernelBuild::new()
///     .cfg_dir("cfg")
///     .port_include("../port/include")
///     .compile("ucos_ii")
///     .unwrap();
/// ```
#[derive(Clone, Debug)]
pub struct KernelBuild {
    source: Option<KernelSource>,
    cfg_dir: PathBuf,
    port_includes: Vec<PathBuf>,
    includes: Vec<PathBuf>,
    defines: Vec<(String, Option<String>)>,
    flags: Vec<String>,
    opt_level: Option<String>,
    link: bool,
    out_dir: Option<PathBuf>,
}

impl Default for KernelBuild {
    fn default() -> Self {
        Self::new()
    }
}

impl KernelBuild {
    /// The default configuration directory, no port, the source chosen by
    /// `UCOS_II_SRC` (bundled when unset), linked into the calling crate.
    pub fn new() -> Self {
        KernelBuild {
            source: None,
            cfg_dir: default_cfg_dir(),
            port_includes: Vec::new(),
            includes: Vec::new(),
            defines: Vec::new(),
            flags: Vec::new(),
            opt_level: None,
            link: true,
            out_dir: None,
        }
    }

    /// Directory holding the application's `os_cfg.h` and `app_cfg.h`.
    pub fn cfg_dir(&mut self, dir: impl AsRef<Path>) -> &mut Self {
        self.cfg_dir = dir.as_ref().to_path_buf();
        self
    }

    /// Adds a directory searched for the port's `os_cpu.h` (and anything it includes).
    pub fn port_include(&mut self, dir: impl AsRef<Path>) -> &mut Self {
        self.port_includes.push(dir.as_ref().to_path_buf());
        self
    }

    /// Adds a directory searched after the kernel's own (for headers that the
    /// application's `os_cfg.h`/`app_cfg.h` include).
    pub fn include(&mut self, dir: impl AsRef<Path>) -> &mut Self {
        self.includes.push(dir.as_ref().to_path_buf());
        self
    }

    /// Adds a preprocessor definition (`-DNAME` or `-DNAME=VALUE`).
    pub fn define(&mut self, name: &str, value: Option<&str>) -> &mut Self {
        self.defines.push((name.to_owned(), value.map(str::to_owned)));
        self
    }

    /// Adds a compiler flag.
    pub fn flag(&mut self, flag: &str) -> &mut Self {
        self.flags.push(flag.to_owned());
        self
    }

    /// The optimisation level (`-O<level>`: `0`..`3`, `s`, `z`, `g`); by default
    /// the one cargo's profile gives build scripts.
    pub fn opt_level(&mut self, level: &str) -> &mut Self {
        self.opt_level = Some(level.to_owned());
        self
    }

    /// Chooses the kernel sources explicitly instead of from `UCOS_II_SRC`.
    pub fn source(&mut self, source: KernelSource) -> &mut Self {
        self.source = Some(source);
        self
    }

    /// Whether `compile` tells cargo to link the library (default `true`). With
    /// `false` the library is only built, e.g. to prove that the kernel compiles.
    pub fn link(&mut self, link: bool) -> &mut Self {
        self.link = link;
        self
    }

    /// Where the objects and the library go (default: the build script's
    /// `OUT_DIR`). Builds of several configurations at once need one each.
    pub fn out_dir(&mut self, dir: impl AsRef<Path>) -> &mut Self {
        self.out_dir = Some(dir.as_ref().to_path_buf());
        self
    }

    /// The kernel sources this build uses.
    pub fn resolved_source(&self) -> KernelSource {
        self.source.clone().unwrap_or_else(KernelSource::from_env)
    }

    /// Include directories in search order: configuration, port, kernel, then
    /// those added with [`KernelBuild::include`].
    pub fn include_dirs(&self) -> Vec<PathBuf> {
        let mut dirs = vec![self.cfg_dir.clone()];
        dirs.extend(self.port_includes.iter().cloned());
        dirs.push(self.resolved_source().source_dir());
        dirs.extend(self.includes.iter().cloned());
        dirs
    }

    /// The kernel C files this build compiles.
    pub fn sources(&self) -> Result<Vec<PathBuf>, KernelBuildError> {
        self.resolved_source().c_files()
    }

    /// The compiler configuration of the kernel's C files for `target` (no
    /// files, no output folder): the optimisation level, the include folders
    /// ([`include_dirs`](Self::include_dirs)), the defines and the flags that
    /// [`compile`](Self::compile) uses. The SDK's make flow writes the flags
    /// from here into its makefile fragment.
    pub fn cc_build(&self, target: &str) -> cc::Build {
        let source = self.resolved_source();
        let mut build = cc::Build::new();
        build.warnings(false);
        if let Some(level) = &self.opt_level {
            build.opt_level_str(level);
        }
        for dir in self.include_dirs() {
            build.include(dir);
        }
        for (name, value) in &self.defines {
            build.define(name, value.as_deref());
        }
        build.flag("-Wall").flag("-Wextra");
        if source.is_bundled() {
            build.flag("-Werror");
        }
        if target.contains("-none") {
            build.flag("-ffreestanding");
        }
        if target.starts_with("arm") {
            build.flag("-mno-unaligned-access");
        }
        for flag in &self.flags {
            build.flag(flag);
        }
        build
    }

    /// Compiles the kernel into the static library `lib_name`, emitting the
    /// `cargo:rerun-if-*` lines for the sources, headers and configuration.
    ///
    /// Flags: `-Wall -Wextra`, plus `-Werror` for the bundled kernel only (the
    /// original may warn), `-ffreestanding` on `*-none-*` targets and
    /// `-mno-unaligned-access` on ARM.
    pub fn compile(&self, lib_name: &str) -> Result<(), KernelBuildError> {
        println!("cargo:rerun-if-env-changed={UCOS_II_SRC_ENV}");
        let source = self.resolved_source();
        let files = source.c_files()?;
        let src_dir = source.source_dir();

        for file in &files {
            println!("cargo:rerun-if-changed={}", file.display());
        }
        for header in ORIGINAL_HEADERS {
            println!("cargo:rerun-if-changed={}", src_dir.join(header).display());
        }
        for cfg in ["os_cfg.h", "app_cfg.h"] {
            println!("cargo:rerun-if-changed={}", self.cfg_dir.join(cfg).display());
        }
        for dir in &self.port_includes {
            println!("cargo:rerun-if-changed={}", dir.display());
        }

        let target = env::var("TARGET").unwrap_or_default();
        let mut build = self.cc_build(&target);
        build.files(&files).cargo_metadata(self.link).warnings(false);
        if let Some(dir) = &self.out_dir {
            build.out_dir(dir);
        }
        build.try_compile(lib_name).map_err(|e| KernelBuildError::Compile(e.to_string()))
    }
}
