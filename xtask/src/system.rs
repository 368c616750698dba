// SPDX-License-Identifier: MIT OR Apache-2.0
//! The image build: from a system description (`system.toml`) to the boot
//! modules of one bootable image, for the image crate's build script.
//!
//! ```text
//! Sdk::build()              once per build script: nested `cargo build --release`
//!                           of the SDK's kernel, servers and guest runtime (the
//!                           SDK's own settings, whatever the image crate's
//!                           profile); the kernel object `kernel.o`
//! Sdk::link_images()        the image crate's link: kernel.ld and kernel.o
//! Sdk::build_system(desc)   per image: each [[guest]] compiled (GuestBuild) and
//!                           linked with the runtime library (rust-lld), stripped;
//!                           the `system` module; the module list for the image
//! system_image!()           in the image crate: includes that list
//! ```
//!
//! Everything lands in `OUT_DIR/ucvisor/`:
//!
//! | path | what |
//! |---|---|
//! | `target/` | the nested cargo build of the SDK |
//! | `sdk/kernel.o` | the kernel, one relocatable object, every symbol local but `_start` |
//! | `sdk/root_server`, `sdk/drivers` | the servers, stripped (`.elf`: with symbols) |
//! | `images/<image>.rs` | the module list `system_image!` includes |
//! | `images/<image>/system` | the `system` boot module (a `PvSystemConfig`) |
//! | `images/<image>/<guest>` | the guest's ELF, stripped: what the image embeds |
//! | `images/<image>/<guest>.elf` | the guest's ELF with its symbols and debug information |
//! | `images/<image>/build/<guest>/` | the guest's objects, C object and fingerprint |
//!
//! and the unstripped ELFs of each image are also copied next to the images,
//! to `target/<target>/<profile>/elf/<image>/`, for debuggers.
//!
//! A guest whose inputs did not change (its sources, configuration, options,
//! the SDK's C, the runtime library and the C compiler: see [`crate::fingerprint`]) is not
//! rebuilt. A guest that fails to build fails its image only: the module list
//! then holds a `compile_error!` that names the description and the guest.

use crate::description::{DescriptionError, System};
use crate::fingerprint::{fingerprint, is_fresh};
use crate::{GuestBuild, GuestError};
use std::fmt;
use std::path::{Path, PathBuf};
use std::process::Command;

/// Why an image cannot be built. Each message names the description file and,
/// where one is concerned, the guest.
#[derive(Debug)]
pub enum BuildError {
    /// The description is not valid.
    Description(DescriptionError),
    /// One guest of the description failed to build.
    Guest {
        /// The description file.
        description: PathBuf,
        /// The guest's name.
        guest: String,
        /// What went wrong.
        error: GuestError,
    },
    /// More boot modules than the kernel hands to the root server.
    TooManyModules {
        /// The description file.
        description: PathBuf,
        /// Modules the image would have.
        count: usize,
    },
    /// The SDK's own programs (kernel, servers, guest runtime) did not build.
    Sdk(String),
    /// A file could not be written or copied.
    Io(String),
}

impl fmt::Display for BuildError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            BuildError::Description(error) => write!(f, "{error}"),
            BuildError::Guest { description, guest, error } => {
                write!(f, "{}: guest `{guest}`: {error}", description.display())
            }
            BuildError::TooManyModules { description, count } => write!(
                f,
                "{}: {count} boot modules (the driver domain, the system description and one per guest); the \
                 kernel hands at most {} to the root server",
                description.display(),
                paravirt_api::PV_MAX_BOOT_MODULES
            ),
            BuildError::Sdk(message) => {
                write!(f, "building the SDK's kernel, servers and guest runtime failed:\n{message}")
            }
            BuildError::Io(message) => f.write_str(message),
        }
    }
}

impl std::error::Error for BuildError {}

impl From<DescriptionError> for BuildError {
    fn from(error: DescriptionError) -> Self {
        BuildError::Description(error)
    }
}

fn io_error(what: &str, path: &Path, error: std::io::Error) -> BuildError {
    BuildError::Io(format!("{what} {}: {error}", path.display()))
}

/// One program an image embeds.
#[derive(Clone, Debug)]
pub struct BuiltModule {
    /// The boot module's name (`drivers`, `system`, a guest's name).
    pub name: String,
    /// What the image embeds (stripped for ELF programs).
    pub embedded: PathBuf,
    /// The ELF with its symbols and debug information (`None` for `system`).
    pub elf: Option<PathBuf>,
}

/// What [`Sdk::build_system`] produced for one image.
#[derive(Debug)]
pub struct BuiltSystem {
    /// The image's key: `system_image!(KEY)` includes its modules.
    pub image: String,
    /// The description file.
    pub description: PathBuf,
    /// The module list (`OUT_DIR/ucvisor/images/<image>.rs`).
    pub module_list: PathBuf,
    /// The root task (the root server).
    pub root_task: BuiltModule,
    /// The boot modules, in the order the image holds them.
    pub modules: Vec<BuiltModule>,
    /// The guests built this time (the others were fresh).
    pub rebuilt: Vec<String>,
}

impl BuiltSystem {
    /// Bytes the image embeds for its user programs (root task and modules).
    pub fn embedded_bytes(&self) -> u64 {
        std::iter::once(&self.root_task).chain(&self.modules).map(|m| file_size(&m.embedded)).sum()
    }

    /// Bytes the same programs take unstripped.
    pub fn unstripped_bytes(&self) -> u64 {
        std::iter::once(&self.root_task)
            .chain(&self.modules)
            .map(|m| file_size(m.elf.as_ref().unwrap_or(&m.embedded)))
            .sum()
    }
}

fn file_size(path: &Path) -> u64 {
    std::fs::metadata(path).map_or(0, |m| m.len())
}

/// The SDK's prebuilt parts, built once per build script by [`Sdk::build`]:
/// the kernel object, the root server and the driver domain (stripped and
/// not), and the guest runtime library every guest is linked with.
#[derive(Debug)]
pub struct Sdk {
    out_dir: PathBuf,
    kernel: PathBuf,
    /// The C compiler and its version, for the guests' fingerprints.
    compiler: String,
    root_server: BuiltModule,
    drivers: BuiltModule,
    runtime: PathBuf,
}

/// The SDK's checkout (the workspace holding this crate).
pub fn sdk_root() -> PathBuf {
    let manifest = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    manifest.parent().map(Path::to_path_buf).unwrap_or(manifest)
}

/// SDK folders (below [`sdk_root`]) whose changes rebuild the kernel, the
/// servers or the runtime, and the environment that changes the guests' C.
const SDK_WATCHED: &[&str] = &["Cargo.toml", "Cargo.lock", "paravirt-api", "hypervisor", "port"];
/// Names an opt-level (one of [`crate::OPT_LEVELS`]) for the kernel's own
/// crates (`hypervisor`, `ucvisor-kernel`) instead of the SDK's release
/// profile: the tests build the kernel at opt-level 0 with it, where nothing
/// optimises large stack frames away.
pub const KERNEL_OPT_LEVEL_VARIABLE: &str = "UCVISOR_KERNEL_OPT_LEVEL";

/// The `--config` arguments that build the kernel's crates at the opt-level
/// `UCVISOR_KERNEL_OPT_LEVEL` names (none when it is not set).
fn kernel_opt_level_arguments() -> Result<Vec<String>, BuildError> {
    let Ok(level) = std::env::var(KERNEL_OPT_LEVEL_VARIABLE) else { return Ok(Vec::new()) };
    if !crate::OPT_LEVELS.contains(&level.as_str()) {
        return Err(BuildError::Sdk(format!(
            "{KERNEL_OPT_LEVEL_VARIABLE}={level:?} is not an opt-level (one of {:?})",
            crate::OPT_LEVELS
        )));
    }
    let value = if level.bytes().all(|b| b.is_ascii_digit()) { level } else { format!("\"{level}\"") };
    let arguments = ["hypervisor", "ucvisor-kernel"]
        .iter()
        .flat_map(|package| ["--config".to_owned(), format!("profile.release.package.{package}.opt-level={value}")]);
    Ok(arguments.collect())
}

/// The kernel's linker script (below [`sdk_root`]): the platform's layout.
pub(crate) const KERNEL_LINKER_SCRIPT: &str = "hypervisor/src/plat/qemu_virt/kernel.ld";
const ENV_WATCHED: &[&str] = &[
    KERNEL_OPT_LEVEL_VARIABLE,
    "UCOS_II_SRC",
    "CC_armv7a_none_eabi",
    "CC_armv7a-none-eabi",
    "TARGET_CC",
    "CFLAGS_armv7a_none_eabi",
    "CFLAGS_armv7a-none-eabi",
    "TARGET_CFLAGS",
    "CFLAGS",
    "CRATE_CC_NO_DEFAULTS",
];

impl Sdk {
    /// Builds the SDK's kernel, servers and guest runtime with a nested
    /// `cargo build --release` in the SDK's workspace (its own profile
    /// settings), into `OUT_DIR/ucvisor/target`; makes the kernel object and
    /// strips the servers. Emits the `cargo:rerun-if-*` lines for the SDK's
    /// sources. `UCVISOR_KERNEL_OPT_LEVEL` builds the kernel at another
    /// opt-level (see [`KERNEL_OPT_LEVEL_VARIABLE`]).
    pub fn build() -> Result<Sdk, BuildError> {
        let out_dir = PathBuf::from(std::env::var("OUT_DIR").expect("called from a build script")).join("ucvisor");
        let root = sdk_root();
        for path in SDK_WATCHED {
            println!("cargo:rerun-if-changed={}", root.join(path).display());
        }
        for variable in ENV_WATCHED {
            println!("cargo:rerun-if-env-changed={variable}");
        }
        Sdk::build_in(out_dir)
    }

    /// [`build`](Self::build) into `out_dir` (the nested cargo build in
    /// `out_dir/target`, the kernel object and servers in `out_dir/sdk`),
    /// without the build script's `cargo:` lines: for `cargo xtask sdk`.
    pub fn build_in(out_dir: PathBuf) -> Result<Sdk, BuildError> {
        let root = sdk_root();
        let packages = ["ucvisor-kernel", "servers", "ucvisor-guest"];
        let extra = kernel_opt_level_arguments()?;
        let built = crate::nested_cargo_build_with(&root, &packages, &out_dir.join("target"), &extra)
            .map_err(BuildError::Sdk)?;
        let sdk_dir = out_dir.join("sdk");
        std::fs::create_dir_all(&sdk_dir).map_err(|e| io_error("creating", &sdk_dir, e))?;
        let server = |name: &str| -> Result<BuiltModule, BuildError> {
            let elf = sdk_dir.join(format!("{name}.elf"));
            let embedded = sdk_dir.join(name);
            link_or_copy(&built.join(name), &elf)?;
            strip(&elf, &embedded, &[])?;
            Ok(BuiltModule { name: name.into(), embedded, elf: Some(elf) })
        };
        let kernel = sdk_dir.join("kernel.o");
        kernel_object(&built.join("libucvisor_kernel.a"), &kernel)?;
        let compiler = std::env::var("CC_armv7a_none_eabi").unwrap_or_else(|_| "arm-none-eabi-gcc".into());
        let version = Command::new(&compiler).arg("--version").output().ok();
        let version = version.map(|o| String::from_utf8_lossy(&o.stdout).lines().next().unwrap_or("").to_owned());
        Ok(Sdk {
            kernel,
            compiler: format!("{compiler}: {}", version.unwrap_or_default()),
            root_server: server("root_server")?,
            drivers: server("drivers")?,
            runtime: built.join("libucvisor_guest.a"),
            out_dir,
        })
    }

    /// The guest runtime library (`libucvisor_guest.a`).
    pub fn runtime_library(&self) -> &Path {
        &self.runtime
    }

    /// The root server (the root task): stripped, and with its symbols.
    pub fn root_server(&self) -> &BuiltModule {
        &self.root_server
    }

    /// The driver domain (boot module `drivers`): stripped, and with its symbols.
    pub fn drivers(&self) -> &BuiltModule {
        &self.drivers
    }

    /// The kernel object (`kernel.o`): see [`Sdk::link_images`].
    pub fn kernel_object(&self) -> &Path {
        &self.kernel
    }

    /// Links the calling package's binaries and examples as bootable images:
    /// the platform's kernel layout (`kernel.ld`) and the kernel object, to
    /// which each image adds its configuration (`system_image!`). The image
    /// crate itself then holds data only; its profile does not reach the
    /// kernel, which was compiled with the SDK's settings.
    ///
    /// `cargo:rustc-link-arg`, for every target cargo links (binaries,
    /// examples, tests): `-bins` and `-examples` are errors in a package
    /// without such targets, and a build script cannot tell which it has.
    pub fn link_images(&self) {
        let script = sdk_root().join(KERNEL_LINKER_SCRIPT);
        println!("cargo:rerun-if-changed={}", script.display());
        println!("cargo:rustc-link-arg=-T{}", script.display());
        println!("cargo:rustc-link-arg={}", self.kernel.display());
    }

    /// Builds the image that `description` describes, under the key
    /// `image` (`system_image!(image)` includes it; by default the system's
    /// name with `-` made `_`, as cargo names crates). On failure, the module
    /// list holds a `compile_error!` with the message, so that only the images
    /// that include it fail.
    pub fn build_system(&self, description: &Path, image: Option<&str>) -> Result<BuiltSystem, BuildError> {
        println!("cargo:rerun-if-changed={}", description.display());
        let fallback_key = image.map(str::to_owned).unwrap_or_else(|| image_key_of_file(description));
        match System::load(description) {
            Err(error) => Err(self.fail(&fallback_key, error.into())),
            Ok(system) => {
                let key = image.map(str::to_owned).unwrap_or_else(|| crate_name(&system.name));
                self.build_loaded(&system, &key).map_err(|error| self.fail(&key, error))
            }
        }
    }

    /// Writes the failing module list for `image` and hands `error` back.
    fn fail(&self, image: &str, error: BuildError) -> BuildError {
        let list = self.out_dir.join("images").join(format!("{image}.rs"));
        let _ = std::fs::create_dir_all(self.out_dir.join("images"));
        let _ = write_if_changed(&list, failure_text(&error).as_bytes());
        error
    }

    fn build_loaded(&self, system: &System, image: &str) -> Result<BuiltSystem, BuildError> {
        let count = system.guests.len() + 2;
        if count > paravirt_api::PV_MAX_BOOT_MODULES as usize {
            return Err(BuildError::TooManyModules { description: system.file.clone(), count });
        }
        let dir = self.out_dir.join("images").join(image);
        std::fs::create_dir_all(&dir).map_err(|e| io_error("creating", &dir, e))?;

        let mut modules = vec![self.drivers.clone()];
        let config = dir.join("system");
        write_if_changed(&config, &system.config_bytes())?;
        modules.push(BuiltModule { name: paravirt_api::PV_SYSTEM_MODULE.into(), embedded: config, elf: None });

        let mut rebuilt = Vec::new();
        let addresses = system.link_addresses();
        for (guest, &address) in system.guests.iter().zip(&addresses) {
            let work = dir.join("build").join(&guest.name);
            let guest_error =
                |error| BuildError::Guest { description: system.file.clone(), guest: guest.name.clone(), error };
            let mut build =
                guest.apply(GuestBuild::new(&guest.name, &guest.path)).work_dir(&work).link_address(address);
            for (number, package) in guest.packages.iter().enumerate() {
                let library = self.fetch_package(package).map_err(|problem| {
                    guest_error(GuestError::Tool(format!(
                        "`packages[{}]` ({}): {problem}",
                        number + 1,
                        package.id.name
                    )))
                })?;
                build = build.source_library(library);
            }
            let (module, fresh) = self.build_guest(&build, &dir).map_err(guest_error)?;
            if !fresh {
                rebuilt.push(guest.name.clone());
            }
            modules.push(module);
        }
        let guest_elfs: Vec<&Path> = modules[2..].iter().filter_map(|m| m.elf.as_deref()).collect();
        check_layout(system, &addresses, &linked_extents(&guest_elfs)?)?;

        let module_list = self.out_dir.join("images").join(format!("{image}.rs"));
        write_if_changed(&module_list, module_list_text(system, image, &self.root_server, &modules)?.as_bytes())?;
        let built = BuiltSystem {
            image: image.into(),
            description: system.file.clone(),
            module_list,
            root_task: self.root_server.clone(),
            modules,
            rebuilt,
        };
        copy_next_to_images(&built);
        Ok(built)
    }

    /// Has cargo fetch a `[[guest.packages]]` package and checks that the
    /// files it names are there: the library to build from it.
    fn fetch_package(&self, package: &crate::description::Package) -> Result<crate::SourceLibrary, String> {
        let root = crate::registry::fetch(&package.id, &self.out_dir.join("registry"))?;
        let located = |relative: &PathBuf, what: &str, exists: fn(&Path) -> bool| {
            let full = root.join(relative);
            if exists(&full) {
                Ok(full)
            } else {
                Err(format!(
                    "{what} {} is not in {} {} (its files are in {})",
                    relative.display(),
                    package.id.name,
                    package.id.version,
                    root.display()
                ))
            }
        };
        let sources =
            package.sources.iter().map(|file| located(file, "source", Path::is_file)).collect::<Result<_, _>>()?;
        let include =
            package.include.iter().map(|dir| located(dir, "include folder", Path::is_dir)).collect::<Result<_, _>>()?;
        Ok(crate::SourceLibrary {
            name: package.id.name.replace('-', "_"),
            sources,
            include,
            defines: package.defines.clone(),
        })
    }

    /// Builds one guest unless its fingerprint says it is fresh; returns its
    /// module and whether it was fresh.
    fn build_guest(&self, build: &GuestBuild, dir: &Path) -> Result<(BuiltModule, bool), GuestError> {
        let name = build.name();
        let elf = dir.join(format!("{name}.elf"));
        let embedded = dir.join(name);
        let mut inputs = build.inputs();
        for input in &inputs {
            println!("cargo:rerun-if-changed={}", input.display());
        }
        inputs.push(self.runtime.clone());
        let mut options = build.options_text();
        options.push_str(&format!("compiler {}\n", self.compiler));
        for variable in ENV_WATCHED {
            options.push_str(&format!("env {variable}={:?}\n", std::env::var_os(variable)));
        }
        // A new build script (a changed xtask) may build differently.
        if let Ok(exe) = std::env::current_exe() {
            inputs.push(exe);
        }
        // With the files the compiler read last time (headers beside a
        // source, relative includes): what a build reads is known after it.
        let current = fingerprint(&options, &inputs);
        let with_included = |current: &str| format!("{current}{}", fingerprint("included\n", &build.included_files()));
        let stamp = dir.join("build").join(name).join("fingerprint");
        let fresh = is_fresh(&stamp, &with_included(&current), &elf) && embedded.is_file();
        if !fresh {
            let _ = std::fs::remove_file(&stamp);
            build.link_elf(&self.runtime, &elf)?;
            strip_guest(&elf, &embedded).map_err(|e| GuestError::Tool(e.to_string()))?;
            std::fs::write(&stamp, with_included(&current))
                .map_err(|e| GuestError::Tool(format!("writing {}: {e}", stamp.display())))?;
        }
        Ok((BuiltModule { name: name.into(), embedded, elf: Some(elf) }, fresh))
    }
}

/// The whole build script of an image crate: builds the [`Sdk`], links the
/// package's binaries and examples as images ([`Sdk::link_images`]) and
/// builds the image that `description` describes ([`Sdk::build_system`])
/// under the package's name as a crate name (`CARGO_PKG_NAME`, `-` made
/// `_`), so that `system_image!()` in the package's binary (named after the
/// package, as cargo names it by default) includes it.
///
/// The build script of an image package (`build.rs`, in its `fn main`):
///
/// ```no_run
/// if std::env::var("CARGO_CFG_TARGET_OS").as_deref() == Ok("none") {
///     xtask::build_system("system.toml".as_ref()).unwrap_or_else(|error| panic!("{error}"));
/// }
/// ```
pub fn build_system(description: &Path) -> Result<BuiltSystem, BuildError> {
    let image = std::env::var("CARGO_PKG_NAME").ok().map(|name| crate_name(&name));
    build_systems(&[(description, image.as_deref())])?.remove(0)
}

/// Like [`build_system`] for several descriptions of one package, each under
/// its image key (`None`: the package's name), building the SDK once. The
/// application template builds its image and its C unit-test image
/// (`tests/unit/system.toml` as `unit`, which the `[[test]]` target `unit`
/// includes with `system_image!("unit")`) this way.
///
/// Every description is built, and one that fails fails only the target
/// that includes its image: its module list is a `compile_error!` with the
/// message, which is also printed as a cargo warning. So a broken unit-test
/// image does not stop `cargo run` of the application, nor the other way
/// round. `Err` only when the SDK itself cannot be built.
pub fn build_systems(
    descriptions: &[(&Path, Option<&str>)],
) -> Result<Vec<Result<BuiltSystem, BuildError>>, BuildError> {
    rerun_at_every_build();
    let sdk = Sdk::build()?;
    sdk.link_images();
    let package = std::env::var("CARGO_PKG_NAME").ok().map(|name| crate_name(&name));
    let build = |&(description, image): &(&Path, Option<&str>)| {
        let result = sdk.build_system(description, image.or(package.as_deref()));
        if let Err(error) = &result {
            warn(error);
        }
        result
    };
    Ok(descriptions.iter().map(build).collect())
}

/// Makes cargo run the calling build script at every build, so that the
/// fingerprints decide what is rebuilt.
///
/// Cargo reruns a build script only when a `rerun-if-changed` path's
/// modification time is newer than the script's last run. A source put back
/// with an older time — another project's `main.c` copied with `cp -p`,
/// `rsync -a` or from an archive, an edit undone from a backup — is newer
/// than nothing, so the image kept what the other source built. The
/// fingerprints ([`crate::fingerprint`]: the size and time of every input,
/// compared whole with the ones an output was built from) see any change,
/// older or newer, but only if the script runs. Cargo always reruns a
/// script that names a path that does not exist (rust-lang/cargo#4076):
/// this names one in `OUT_DIR`, which nothing creates. A build with nothing
/// changed then costs the fingerprints' stat calls (some 0.2 s for an
/// application), and cargo compiles nothing again.
pub fn rerun_at_every_build() {
    let out_dir = std::env::var_os("OUT_DIR").map(PathBuf::from).unwrap_or_default();
    println!("cargo:rerun-if-changed={}", out_dir.join("ucvisor-never-created").display());
}

/// Builds every `DIR/*/system.toml` as the image of its folder's name (the
/// cargo example `examples/<name>/main.rs` includes it with
/// `system_image!()`), several at a time. A failing image is reported
/// (`cargo:warning`) and fails only itself. Returns each description's
/// outcome, sorted by folder.
pub fn build_examples(sdk: &Sdk, dir: &Path) -> Vec<(PathBuf, Result<BuiltSystem, BuildError>)> {
    rerun_at_every_build();
    println!("cargo:rerun-if-changed={}", dir.display());
    let mut descriptions: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|entries| entries.filter_map(|e| e.ok()).map(|e| e.path().join("system.toml")).collect())
        .unwrap_or_default();
    descriptions.retain(|path| path.is_file());
    descriptions.sort();

    let jobs = std::env::var("NUM_JOBS").ok().and_then(|n| n.parse::<usize>().ok()).unwrap_or(1).max(1);
    let next = std::sync::atomic::AtomicUsize::new(0);
    let results = std::sync::Mutex::new(Vec::new());
    std::thread::scope(|scope| {
        for _ in 0..jobs.min(descriptions.len()) {
            scope.spawn(|| {
                loop {
                    let index = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                    let Some(description) = descriptions.get(index) else { break };
                    let image = image_key_of_file(description);
                    let result = sdk.build_system(description, Some(&image));
                    results.lock().expect("no panics while locked").push((description.clone(), result));
                }
            });
        }
    });
    let mut results = results.into_inner().expect("no panics while locked");
    results.sort_by(|a, b| a.0.cmp(&b.0));
    for (_, result) in &results {
        if let Err(error) = result {
            warn(error);
        }
    }
    results
}

/// Reports an image that could not be built as a cargo warning, a line each.
fn warn(error: &BuildError) {
    for line in error.to_string().lines() {
        println!("cargo:warning={line}");
    }
}

/// The extent (lowest, one past the highest address) of each linked ELF.
pub(crate) fn linked_extents(elfs: &[&Path]) -> Result<Vec<(u32, u32)>, BuildError> {
    elfs.iter()
        .map(|elf| {
            let bytes = std::fs::read(elf).map_err(|e| io_error("reading", elf, e))?;
            let image = ucvisor_elf::Image::parse(&bytes)
                .map_err(|e| BuildError::Io(format!("{}: not an ARM executable: {e:?}", elf.display())))?;
            image.extent().map_err(|e| BuildError::Io(format!("{}: no loadable segment: {e:?}", elf.display())))
        })
        .collect()
}

/// Checks the linked guests of `system` (at `addresses`, the
/// [`System::link_addresses`], spanning `extents`) against the layout of a
/// domain and of the image: each image starts at its link address and ends
/// below `PV_IMAGE_WINDOW_END` (the stack and memory sections), a guest
/// whose address the build gave spans at most `PV_GUEST_LINK_STRIDE`, and no
/// two images share a section (their symbols would collide in a debugger).
/// An error names the description, the guest's `link_address` key and what
/// to change.
pub fn check_layout(system: &System, addresses: &[u32], extents: &[(u32, u32)]) -> Result<(), BuildError> {
    use paravirt_api::{PV_GUEST_LINK_STRIDE, PV_IMAGE_WINDOW_END, PV_SECTION_SIZE};
    let problem = |index: usize, problem: String| {
        BuildError::Description(DescriptionError {
            file: system.file.clone(),
            line: None,
            key: format!("guest[{}].link_address", index + 1),
            problem,
        })
    };
    let end = |high: u32| high.div_ceil(PV_SECTION_SIZE).saturating_mul(PV_SECTION_SIZE);
    let guests = system.guests.iter().zip(addresses).zip(extents).enumerate();
    for (index, ((guest, &address), &(low, high))) in guests.clone() {
        let name = &guest.name;
        if low != address {
            return Err(problem(
                index,
                format!(
                    "guest `{name}` was linked at {low:#010x}, not at its link address {address:#010x}: link it again \
                     for this description"
                ),
            ));
        }
        if high > PV_IMAGE_WINDOW_END {
            return Err(problem(
                index,
                format!(
                    "guest `{name}`'s image {address:#010x}..{high:#010x} reaches above {PV_IMAGE_WINDOW_END:#010x} \
                     (PV_IMAGE_WINDOW_END), where its stack and memory sections are mapped: give it a lower \
                     `link_address`"
                ),
            ));
        }
        if guest.link_address.is_none() && high - address > PV_GUEST_LINK_STRIDE {
            return Err(problem(
                index,
                format!(
                    "guest `{name}`'s image spans {} KiB, more than the {} MiB the build leaves between guests: give \
                     the guests `link_address`es (doc/system-description.md)",
                    (high - address).div_ceil(1024),
                    PV_GUEST_LINK_STRIDE >> 20
                ),
            ));
        }
        for (other, ((other_guest, &other_address), &(_, other_high))) in guests.clone().take(index) {
            if address < end(other_high) && other_address < end(high) {
                return Err(problem(
                    index,
                    format!(
                        "guest `{name}`'s image {address:#010x}..{:#010x} shares sections with guest[{}] `{}`'s, \
                         {other_address:#010x}..{:#010x}: give them `link_address`es further apart (every program \
                         of an image has addresses of its own)",
                        end(high),
                        other + 1,
                        other_guest.name,
                        end(other_high)
                    ),
                ));
            }
        }
    }
    Ok(())
}

/// `name` as cargo names crates (`-` becomes `_`): the key
/// `system_image!()` looks up with `CARGO_CRATE_NAME`.
pub fn crate_name(name: &str) -> String {
    name.replace('-', "_")
}

/// The image key of a description file: its folder's name, as a crate name.
fn image_key_of_file(description: &Path) -> String {
    let folder = description.parent().and_then(Path::file_name).map(|n| n.to_string_lossy().into_owned());
    crate_name(&folder.unwrap_or_else(|| "system".into()))
}

/// The module list of an image that could not be built: a `compile_error!`
/// with the message, so that the image (only) fails with it.
fn failure_text(error: &BuildError) -> String {
    format!(
        "// Generated by xtask::build_system: the image could not be built.\ncompile_error!({:?});\n",
        error.to_string()
    )
}

/// The module list of an image: Rust items that `system_image!` includes.
fn module_list_text(
    system: &System,
    image: &str,
    root_task: &BuiltModule,
    modules: &[BuiltModule],
) -> Result<String, BuildError> {
    let literal = |path: &Path| -> Result<String, BuildError> {
        path.to_str().map(|text| format!("{text:?}")).ok_or_else(|| {
            BuildError::Io(format!(
                "{}: the build folder's path is not UTF-8: {}",
                system.file.display(),
                path.display()
            ))
        })
    };
    let mut text = format!(
        "// Generated by xtask::build_system from {}: edit that file, not this one.\n\
         /// The image's name (boot banner).\npub const NAME: &str = {:?};\n\
         /// The root task: the root server.\npub const ROOT_TASK: &[u8] = include_bytes!({});\n\
         /// The boot modules: the driver domain, the system description, the guests.\n\
         pub const MODULES: [(&str, &[u8]); {}] = [\n",
        system.file.display(),
        image,
        literal(&root_task.embedded)?,
        modules.len()
    );
    for module in modules {
        text.push_str(&format!("    ({:?}, include_bytes!({})),\n", module.name, literal(&module.embedded)?));
    }
    text.push_str("];\n");
    Ok(text)
}

/// Copies the unstripped ELFs of `built` to `<profile dir>/elf/<image>/`
/// (beside the images cargo links), when `OUT_DIR` has cargo's usual shape.
fn copy_next_to_images(built: &BuiltSystem) {
    let Ok(out_dir) = std::env::var("OUT_DIR") else { return };
    let out_dir = PathBuf::from(out_dir);
    // OUT_DIR = <target>/<triple>/<profile>/build/<package>-<hash>/out
    let Some(profile_dir) = out_dir.ancestors().nth(3) else { return };
    if out_dir.ancestors().nth(2).and_then(Path::file_name).is_none_or(|n| n != "build") {
        return;
    }
    let dir = profile_dir.join("elf").join(&built.image);
    if std::fs::create_dir_all(&dir).is_err() {
        return;
    }
    for module in std::iter::once(&built.root_task).chain(&built.modules) {
        if let Some(elf) = &module.elf {
            let _ = link_or_copy(elf, &dir.join(format!("{}.elf", module.name)));
        }
    }
}

/// The kernel object: the kernel's static library `library` linked whole
/// into one relocatable object (rust-lld `-r`), then every symbol made local
/// but the entry, `_start` (objcopy). The kernel's `core`, `compiler_builtins`
/// and dependencies are then invisible to the image crate's link, which has
/// its own; the kernel's reference to the image's `UCVISOR_BOOT_CONFIG` stays
/// undefined and global. Nothing is done when `object` was made from this
/// very `library` (see [`made_from`]).
fn kernel_object(library: &Path, object: &Path) -> Result<(), BuildError> {
    let Some(stamp) = made_from(library, object) else { return Ok(()) };
    let tool_error = |error: GuestError| BuildError::Sdk(error.to_string());
    let whole = object.with_extension("whole.o");
    let lld = crate::rust_lld().map_err(tool_error)?;
    crate::guest::run_tool(
        "linking the kernel into one object",
        Command::new(lld).args(["-flavor", "gnu", "-r", "-o"]).arg(&whole).arg("--whole-archive").arg(library),
    )
    .map_err(tool_error)?;
    let objcopy = crate::guest::objcopy().map_err(tool_error)?;
    crate::guest::run_tool(
        "making the kernel's symbols local",
        Command::new(objcopy).arg("--keep-global-symbol=_start").arg(&whole).arg(object),
    )
    .map_err(tool_error)?;
    let _ = std::fs::remove_file(&whole);
    stamp.keep()
}

/// A derived file to remake: the stamp to keep beside it once it is made.
struct Stamp {
    path: PathBuf,
    text: String,
}

impl Stamp {
    fn keep(self) -> Result<(), BuildError> {
        std::fs::write(&self.path, self.text).map_err(|e| io_error("writing", &self.path, e))
    }
}

/// `None` when `output` was made from `source` as it is now (the stamp
/// `<output>.from` holds `source`'s fingerprint: size and modification
/// time); else the stamp to keep once `output` is remade. Not "output newer
/// than source": cargo's artifact of an earlier profile or setting, back in
/// place, is older than an output made from another one since, and would
/// have left that output in use (the servers' opt-level tried and reverted
/// did exactly that).
fn made_from(source: &Path, output: &Path) -> Option<Stamp> {
    let path = output.with_extension(match output.extension() {
        Some(extension) => format!("{}.from", extension.to_string_lossy()),
        None => "from".to_owned(),
    });
    let text = crate::fingerprint::fingerprint("", &[source.to_path_buf()]);
    (!crate::fingerprint::is_fresh(&path, &text, output)).then_some(Stamp { path, text })
}

/// Makes `to` a hard link to `from` (a copy where links do not work).
pub(crate) fn link_or_copy(from: &Path, to: &Path) -> Result<(), BuildError> {
    if std::fs::metadata(from).is_err() {
        return Err(BuildError::Io(format!("{} was not built", from.display())));
    }
    let _ = std::fs::remove_file(to);
    if std::fs::hard_link(from, to).is_ok() {
        return Ok(());
    }
    std::fs::copy(from, to).map(|_| ()).map_err(|e| io_error("copying to", to, e))
}

/// Writes `bytes` to `path` unless it already holds them (keeping its time,
/// so that cargo does not rebuild what includes it).
fn write_if_changed(path: &Path, bytes: &[u8]) -> Result<(), BuildError> {
    if std::fs::read(path).is_ok_and(|old| old == bytes) {
        return Ok(());
    }
    std::fs::write(path, bytes).map_err(|e| io_error("writing", path, e))
}

/// `objcopy --strip-all ELF OUTPUT` (GNU binutils of the guest toolchain),
/// keeping the symbols `keep`, unless OUTPUT was made from this ELF: what the
/// image embeds of a server needs no debug information and no symbols (a
/// guest's keeps its symbols: [`strip_guest`]).
pub(crate) fn strip(elf: &Path, output: &Path, keep: &[&str]) -> Result<(), BuildError> {
    let keep: Vec<String> = keep.iter().map(|symbol| format!("--keep-symbol={symbol}")).collect();
    let mut arguments = vec!["--strip-all".to_owned()];
    arguments.extend(keep);
    objcopy_to(elf, output, &arguments)
}

/// A guest's embedded module: `elf` without its debug information but with
/// its symbol table, from which the root server reads `_Start`, the running
/// task's words and, for a fault report, the function at the faulting pc.
pub(crate) fn strip_guest(elf: &Path, output: &Path) -> Result<(), BuildError> {
    objcopy_to(elf, output, &["--strip-debug".to_owned()])
}

/// `objcopy ARGUMENTS elf output`, unless `output` was made from this very
/// `elf` (see [`made_from`]). An output whose bytes come out the same keeps
/// its time, so that cargo does not rebuild what includes it.
fn objcopy_to(elf: &Path, output: &Path, arguments: &[String]) -> Result<(), BuildError> {
    let Some(stamp) = made_from(elf, output) else { return Ok(()) };
    let objcopy = crate::guest::objcopy().map_err(|e| BuildError::Io(e.to_string()))?;
    let temporary = output.with_extension("strip-tmp");
    crate::guest::run_tool(
        &format!("stripping {}", elf.display()),
        Command::new(objcopy).args(arguments).arg(elf).arg(&temporary),
    )
    .map_err(|e| BuildError::Io(e.to_string()))?;
    let same = std::fs::read(&temporary).ok().is_some_and(|new| std::fs::read(output).is_ok_and(|old| old == new));
    if same {
        let _ = std::fs::remove_file(&temporary);
    } else {
        std::fs::rename(&temporary, output).map_err(|e| io_error("renaming to", output, e))?;
    }
    stamp.keep()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn module(name: &str, path: &str) -> BuiltModule {
        BuiltModule { name: name.into(), embedded: PathBuf::from(path), elf: None }
    }

    #[test]
    fn an_output_is_remade_when_an_older_source_comes_back() {
        let dir = std::env::temp_dir().join(format!("xtask-made-from-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let (source, output) = (dir.join("drivers"), dir.join("drivers.stripped"));
        let set_time = |path: &Path, seconds: u64| {
            let file = std::fs::File::options().write(true).open(path).unwrap();
            file.set_modified(std::time::UNIX_EPOCH + std::time::Duration::from_secs(seconds)).unwrap();
        };
        // Built at opt-level s (time 1000), stripped, stamped.
        std::fs::write(&source, b"opt-level s").unwrap();
        set_time(&source, 1_000);
        let stamp = made_from(&source, &output).expect("nothing made yet");
        std::fs::write(&output, b"stripped s").unwrap();
        stamp.keep().unwrap();
        assert!(made_from(&source, &output).is_none(), "made from this very source");
        // Another setting builds a new artifact (time 2000), stripped again.
        std::fs::write(&source, b"opt-level 2, longer").unwrap();
        set_time(&source, 2_000);
        let stamp = made_from(&source, &output).expect("a new source");
        std::fs::write(&output, b"stripped 2").unwrap();
        set_time(&output, 3_000);
        stamp.keep().unwrap();
        // The setting reverted: cargo puts the opt-level-s artifact back,
        // older than the output. The output must be remade all the same.
        std::fs::write(&source, b"opt-level s").unwrap();
        set_time(&source, 1_000);
        assert!(made_from(&source, &output).is_some(), "an older source back in place is a change");
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn the_module_list_includes_each_module_as_a_literal_path() {
        let system = System {
            file: PathBuf::from("/apps/plant/system.toml"),
            name: "plant".into(),
            console_input: None,
            guests: Vec::new(),
        };
        let modules = [module("drivers", "/out/sdk/drivers"), module("control", "/out/images/plant/con\"trol")];
        let text =
            module_list_text(&system, "plant", &module("root_server", "/out/sdk/root_server"), &modules).unwrap();
        assert!(text.starts_with("// Generated by xtask::build_system from /apps/plant/system.toml"), "{text}");
        assert!(text.contains("pub const NAME: &str = \"plant\";"), "{text}");
        assert!(text.contains("pub const ROOT_TASK: &[u8] = include_bytes!(\"/out/sdk/root_server\");"), "{text}");
        assert!(text.contains("pub const MODULES: [(&str, &[u8]); 2] = [\n"), "{text}");
        assert!(text.contains("    (\"drivers\", include_bytes!(\"/out/sdk/drivers\")),\n"), "{text}");
        // Quotes in a path are escaped: the literal stays one literal.
        assert!(text.contains(r#"("control", include_bytes!("/out/images/plant/con\"trol")),"#), "{text}");
    }

    #[test]
    fn a_failed_image_becomes_a_compile_error_naming_the_description_and_guest() {
        let error = BuildError::Guest {
            description: PathBuf::from("/apps/plant/system.toml"),
            guest: "control".into(),
            error: GuestError::NoMain { origin: "/apps/plant/control".into(), is_static: false },
        };
        let text = failure_text(&error);
        let message = error.to_string();
        assert!(message.starts_with("/apps/plant/system.toml: guest `control`: "), "{message}");
        assert!(text.contains(&format!("compile_error!({message:?});")), "{text}");
    }

    /// A system of guests `a`, `b`, `c`, `b` placed at `b_address` by the description.
    fn layout_system(b_address: Option<u32>) -> System {
        let dir = std::env::temp_dir().join(format!("xtask-layout-{}", std::process::id()));
        std::fs::create_dir_all(dir.join("app")).unwrap();
        std::fs::write(dir.join("app/os_cfg.h"), "").unwrap();
        std::fs::write(dir.join("app/app_cfg.h"), "").unwrap();
        std::fs::write(dir.join("app/main.c"), "int main(void) { return 0; }\n").unwrap();
        let guest = |name: &str, extra: String| {
            format!("[[guest]]\nname = \"{name}\"\npath = \"app\"\npriority = 50\nmemory_kib = 6144\n{extra}")
        };
        let b_line = b_address.map(|a| format!("link_address = {a}\n")).unwrap_or_default();
        let text = format!("{}{}{}", guest("a", String::new()), guest("b", b_line), guest("c", String::new()));
        System::parse(&text, &dir.join("system.toml")).unwrap()
    }

    fn layout_error(system: &System, extents: &[(u32, u32)]) -> String {
        check_layout(system, &system.link_addresses(), extents).expect_err("a bad layout").to_string()
    }

    #[test]
    fn linked_guests_must_keep_to_their_addresses_and_apart() {
        use paravirt_api::{PV_GUEST_LINK_BASE as BASE, PV_GUEST_LINK_STRIDE as STRIDE};
        let system = layout_system(None);
        let fits =
            [(BASE, BASE + 0x2_0000), (BASE + STRIDE, BASE + 2 * STRIDE), (BASE + 2 * STRIDE, BASE + 2 * STRIDE + 1)];
        check_layout(&system, &system.link_addresses(), &fits).unwrap();

        let mut linked_elsewhere = fits;
        linked_elsewhere[1].0 = 0x0010_0000;
        let message = layout_error(&system, &linked_elsewhere);
        assert!(message.contains("`guest[2].link_address`: guest `b` was linked at 0x00100000, not at"), "{message}");

        let mut too_big = fits;
        too_big[0].1 = BASE + STRIDE + 1;
        let message = layout_error(&system, &too_big);
        assert!(message.contains("guest `a`'s image spans 16385 KiB, more than the 16 MiB"), "{message}");

        // `b` placed by the description may be bigger, but not into `c`'s sections.
        let system = layout_system(Some(0x0800_0000));
        let addresses = system.link_addresses();
        assert_eq!(addresses, [BASE, 0x0800_0000, BASE + STRIDE]);
        let big = [(BASE, BASE + 1), (0x0800_0000, 0x0a00_0000), (BASE + STRIDE, BASE + STRIDE + 1)];
        check_layout(&system, &addresses, &big).unwrap();
        // `b` at 0x0300_0000 reaching into `c`'s slot, 0x0400_0000.
        let system = layout_system(Some(0x0300_0000));
        let addresses = system.link_addresses();
        assert_eq!(addresses, [BASE, 0x0300_0000, 0x0400_0000]);
        let overlapping = [(BASE, BASE + 1), (0x0300_0000, 0x0480_0000), (0x0400_0000, 0x0400_0010)];
        let message = layout_error(&system, &overlapping);
        assert!(
            message.contains(
                "`guest[3].link_address`: guest `c`'s image 0x04000000..0x04100000 shares sections with \
                              guest[2] `b`'s, 0x03000000..0x04800000"
            ),
            "{message}"
        );
        let above = [(BASE, BASE + 1), (0x0300_0000, 0x2000_1000), (0x0400_0000, 0x0400_0010)];
        assert!(layout_error(&system, &above).contains("reaches above 0x20000000 (PV_IMAGE_WINDOW_END)"));
    }

    #[test]
    fn image_keys_are_crate_names() {
        assert_eq!(crate_name("my-plant"), "my_plant");
        assert_eq!(image_key_of_file(Path::new("/sdk/examples/tick-rate/system.toml")), "tick_rate");
    }
}
