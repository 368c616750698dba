//! Build support shared by the image crates' build scripts. A bootable image
//! embeds user programs (the root task, servers, guests) that are separate ELF
//! programs linked at user addresses; since cargo cannot depend on another
//! package's binary on stable, the image's build script runs a nested
//! `cargo build` of the program package with its own target directory (sharing
//! the outer one would deadlock on its lock) and copies the ELFs into `OUT_DIR`.

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

    /// Builds the C side of one µC/OS-II guest and links it into binary `binary`
    /// of the calling package: the kernel (bundled, or the original sources named
    /// by `UCOS_II_SRC`) compiled with the application's `os_cfg.h`/`app_cfg.h`,
    /// the application's C files, the port's per-application C files, optional
    /// vendor static libraries, and newlib. This is how every guest is built, the
    /// examples included.
    pub struct GuestBuild {
        binary: String,
        config_dir: PathBuf,
        sources: Vec<PathBuf>,
        include_dirs: Vec<PathBuf>,
        libraries: Vec<PathBuf>,
        defines: Vec<(String, String)>,
    }

    impl GuestBuild {
        /// A guest linked into `binary`, configured by `config_dir` (its `os_cfg.h`
        /// and `app_cfg.h`).
        pub fn new(binary: &str, config_dir: impl AsRef<Path>) -> Self {
            Self {
                binary: binary.into(),
                config_dir: config_dir.as_ref().into(),
                sources: Vec::new(),
                include_dirs: Vec::new(),
                libraries: Vec::new(),
                defines: Vec::new(),
            }
        }

        /// Adds the application's C files.
        pub fn sources(mut self, files: impl IntoIterator<Item = PathBuf>) -> Self {
            self.sources.extend(files);
            self
        }

        /// Adds every `*.c` file of `dir`.
        pub fn source_dir(self, dir: impl AsRef<Path>) -> Self {
            println!("cargo:rerun-if-changed={}", dir.as_ref().display());
            self.sources(c_files(dir))
        }

        /// Adds an include directory for the application's files.
        pub fn include(mut self, dir: impl AsRef<Path>) -> Self {
            self.include_dirs.push(dir.as_ref().into());
            self
        }

        /// Defines a C macro for the kernel and the application (`-Dname=value`),
        /// e.g. to build one application folder as several guests that differ in
        /// a setting its `os_cfg.h`/`app_cfg.h` takes from the macro.
        pub fn define(mut self, name: &str, value: &str) -> Self {
            self.defines.push((name.into(), value.into()));
            self
        }

        /// Links a vendor static library (`.a`) into the guest.
        pub fn library(mut self, archive: impl AsRef<Path>) -> Self {
            self.libraries.push(archive.as_ref().into());
            self
        }

        /// Compiles everything and emits the link arguments for the binary.
        pub fn build(self) {
            let out_dir = PathBuf::from(std::env::var("OUT_DIR").expect("called from a build script"));
            let name = &self.binary;
            let kernel_lib = format!("ucos_{name}");
            let mut kernel = ucos_ii_c::KernelBuild::new();
            kernel.cfg_dir(&self.config_dir).port_include(port::INCLUDE_DIR).link(false);
            for (macro_name, value) in &self.defines {
                kernel.define(macro_name, Some(value));
            }
            kernel.compile(&kernel_lib).unwrap_or_else(|error| panic!("µC/OS-II kernel for `{name}`: {error}"));

            let app_lib = format!("app_{name}");
            let mut app = cc::Build::new();
            app.files(&self.sources)
                .files(port::C_SOURCES)
                .include(&self.config_dir)
                .includes(&self.include_dirs)
                .include(port::INCLUDE_DIR)
                .includes(kernel.include_dirs())
                .include(sdk_include_dir())
                .flag("-std=gnu11")
                .flag("-marm")
                .flag("-mno-unaligned-access")
                .warnings(true)
                .extra_warnings(true)
                .cargo_metadata(false);
            for (macro_name, value) in &self.defines {
                app.define(macro_name, value.as_str());
            }
            app.try_compile(&app_lib).unwrap_or_else(|error| panic!("C sources of `{name}`: {error}"));
            for file in self.sources.iter().chain(self.include_dirs.iter()) {
                println!("cargo:rerun-if-changed={}", file.display());
            }
            for file in port::C_SOURCES {
                println!("cargo:rerun-if-changed={file}");
            }

            let link = |argument: String| println!("cargo:rustc-link-arg-bin={name}={argument}");
            link(format!("-T{}", port::LINKER_SCRIPT));
            link("-zmax-page-size=4096".into());
            // The port runs its idle wait after whichever OSTaskIdleHook exists
            // (its own C one, or the application's with OS_CPU_HOOKS_EN 0).
            link("--wrap=OSTaskIdleHook".into());
            link(out_dir.join(format!("lib{app_lib}.a")).display().to_string());
            link(out_dir.join(format!("lib{kernel_lib}.a")).display().to_string());
            for library in &self.libraries {
                link(library.display().to_string());
            }
            for library in newlib_archives() {
                link(library.display().to_string());
            }
        }
    }

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

    /// The SDK's C headers (`paravirt.h`, `l4/`).
    fn sdk_include_dir() -> PathBuf {
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../include")
    }

    /// newlib's C library and libgcc for ARMv7-A, soft float (Thumb-2 code, which
    /// interworks with the ARM-state guest).
    fn newlib_archives() -> Vec<PathBuf> {
        let compiler = std::env::var("CC_armv7a_none_eabi").unwrap_or_else(|_| "arm-none-eabi-gcc".into());
        let ask = |what: &str| -> PathBuf {
            let output = Command::new(&compiler)
                .args(["-march=armv7-a", "-mfloat-abi=soft", what])
                .output()
                .unwrap_or_else(|error| panic!("running {compiler} (run tools/setup): {error}"));
            PathBuf::from(String::from_utf8_lossy(&output.stdout).trim())
        };
        let libc = ask("-print-file-name=libc.a");
        if !libc.is_absolute() {
            panic!("newlib's libc.a not found: install libnewlib-arm-none-eabi (tools/setup)");
        }
        vec![libc, ask("-print-libgcc-file-name")]
    }

    /// Links the calling package's binaries (and, with `examples`, its examples)
    /// as bootable kernel images (the platform's kernel layout).
    pub fn link_kernel_images(workspace: &Path, examples: bool) {
        let linker_script = workspace.join("hypervisor/src/plat/qemu_virt/kernel.ld");
        println!("cargo:rerun-if-changed={}", linker_script.display());
        println!("cargo:rustc-link-arg-bins=-T{}", linker_script.display());
        if examples {
            println!("cargo:rustc-link-arg-examples=-T{}", linker_script.display());
        }
    }

    /// Builds every binary of `packages` (workspace members) in release mode for
    /// [`TARGET`] and copies each listed binary to `OUT_DIR/<name>`. Emits the
    /// `rerun-if-changed` lines for `watched` paths (relative to the workspace).
    pub fn build_user_programs(workspace: &Path, packages: &[&str], binaries: &[&str], watched: &[&str]) -> PathBuf {
        let out_dir = PathBuf::from(std::env::var("OUT_DIR").expect("called from a build script"));
        let target_dir = out_dir.join("user-target");
        let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
        let mut command = Command::new(cargo);
        command
            .current_dir(workspace)
            .args(["build", "--release", "--target", TARGET, "--bins", "--target-dir"])
            .arg(&target_dir);
        for package in packages {
            command.args(["-p", package]);
        }
        for (key, _) in std::env::vars_os() {
            let Some(key) = key.to_str() else { continue };
            let keep = matches!(key, "CARGO" | "CARGO_HOME" | "CARGO_MAKEFLAGS");
            if (key.starts_with("CARGO_") && !keep) || LEAKING.contains(&key) || key.starts_with("DEP_") {
                command.env_remove(key);
            }
        }
        let output = command.output().expect("running the nested cargo build");
        if !output.status.success() {
            panic!("building the user programs of {packages:?} failed:\n{}", String::from_utf8_lossy(&output.stderr));
        }
        let built = target_dir.join(TARGET).join("release");
        for binary in binaries {
            std::fs::copy(built.join(binary), out_dir.join(binary))
                .unwrap_or_else(|error| panic!("user program `{binary}` was not built: {error}"));
        }
        // The guests' kernel sources are chosen by UCOS_II_SRC (see ucos-ii-c).
        println!("cargo:rerun-if-env-changed=UCOS_II_SRC");
        for path in watched {
            println!("cargo:rerun-if-changed={}", workspace.join(path).display());
        }
        for path in
            ["Cargo.toml", "Cargo.lock", ".cargo/config.toml", "paravirt-api", "hypervisor/rt", "hypervisor/src/arch"]
        {
            println!("cargo:rerun-if-changed={}", workspace.join(path).display());
        }
        out_dir
    }
}

#[cfg(not(target_os = "none"))]
pub use host::*;
