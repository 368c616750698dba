// SPDX-License-Identifier: MIT OR Apache-2.0
//! The guest build: compiles one µC/OS-II application with the kernel and the
//! port's C, links it with newlib and libgcc into one object, and links that
//! with the guest runtime (Rust, a static library) into the guest's ELF.
//!
//! # Why a partial link
//!
//! The final link (rust-lld, [`GuestBuild::link_elf`]) also links Rust's
//! compiler-builtins, which the runtime library holds. Had the guest's C been
//! handed to it as archives,
//! compiler-builtins would already define `__aeabi_idiv`, `__aeabi_ldivmod`,
//! `__aeabi_dadd`, ... by the time libgcc.a was searched, so the C code got
//! Rust's helpers, whose corner cases differ from libgcc's (measured in QEMU
//! before this build: `7 / 0` returned 0 whatever `__aeabi_idiv0` returned,
//! `7 % 0` returned 7, and a 64-bit division by zero never returned). So all of
//! the guest's C (the application's objects whole, the kernel archive, the
//! port's C, vendor libraries, newlib's libc.a and libm.a, libgcc.a) is first
//! linked into ONE relocatable object with `ld -r`, libgcc's symbols are then
//! made local in it (`objcopy --localize-symbols`, the list from `nm` of the
//! same libgcc.a), and that object goes to the final link. The C code's
//! references were bound to libgcc inside the object; the Rust code, which
//! cannot see local symbols, keeps compiler-builtins. Everything else in the
//! object stays global, the symbols the runtime needs from C included
//! (`port::imports`, checked after the link).
//!
//! `--wrap=SYMBOL` works in the `ld -r` step (tried with GNU ld 2.40 before
//! relying on it): a call to SYMBOL from an object of the link is bound to
//! `__wrap_SYMBOL`, and `__real_SYMBOL` is left as a reference to SYMBOL, which
//! the final link resolves, also against the Rust runtime (e.g.
//! `OSTaskIdleHook`). The `cdiv_default` example wraps libgcc's
//! `__aeabi_idiv0` this way and runs in QEMU under `cargo test`.
//!
//! # Float ABI
//!
//! Soft float by default (`-mfloat-abi=soft`), like the Rust target
//! `armv7a-none-eabi`. [`GuestBuild::hard_float`] compiles all of the guest's
//! C with `-mfloat-abi=hard -mfpu=vfpv3-d16` and links the matching newlib and
//! libgcc multilib; the Rust runtime stays soft-float, which is sound because
//! every function between Rust and C passes only integers and pointers.

mod checks;

pub use checks::*;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;

/// Architecture flag of guest C code (the Rust target's architecture).
pub const ARCH_FLAG: &str = "-march=armv7-a";

/// The FPU of hard-float guests. VFPv3-D16 (16 double registers) rather than
/// the Cortex-A15's full VFPv4-D32 with NEON: every ARMv7-A core with an FPU
/// has it (Cortex-A8, A9 without NEON, A15; the design must suit all of
/// them), the kernel then saves 16 double registers plus FPSCR per context
/// instead of 32, and it is the exact match of the toolchain's
/// `thumb/v7-a+fp/hard` newlib and libgcc multilib.
pub const HARD_FLOAT_FPU: &str = "-mfpu=vfpv3-d16";

/// Compiler flags that select a guest's float ABI. Vendor libraries linked
/// into a guest must be built with these (and [`ARCH_FLAG`]): mixing ABIs is an
/// error of the partial link (GNU ld refuses to link VFP-argument objects with
/// soft ones).
pub fn float_abi_flags(hard_float: bool) -> &'static [&'static str] {
    if hard_float { &["-mfloat-abi=hard", HARD_FLOAT_FPU] } else { &["-mfloat-abi=soft"] }
}

/// All target flags of a guest's C code, for vendor libraries: the
/// architecture and the float ABI.
pub fn guest_target_flags(hard_float: bool) -> Vec<&'static str> {
    let mut flags = vec![ARCH_FLAG];
    flags.extend(float_abi_flags(hard_float));
    flags
}

/// A C library compiled from its sources for a guest
/// ([`GuestBuild::source_library`]).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SourceLibrary {
    /// Archive name: `lib<name>.a`; `A-Z a-z 0-9 _`.
    pub name: String,
    /// Its C and assembly files, absolute.
    pub sources: Vec<PathBuf>,
    /// Its include folders, absolute.
    pub include: Vec<PathBuf>,
    /// Its own C defines.
    pub defines: Vec<(String, Option<String>)>,
}

/// Builds one µC/OS-II guest into its ELF file (see the module documentation
/// for how): the kernel
/// (bundled, or the original sources named by `UCOS_II_SRC`) compiled with the
/// application's `os_cfg.h`/`app_cfg.h`, the application's sources, the port's
/// per-application C files, optional vendor static libraries, newlib and
/// libgcc, then the guest runtime. This is how every guest is built, the
/// examples included; `xtask::build_system` makes one from each `[[guest]]` of a
/// system description.
///
/// Options and what they apply to:
///
/// | option | application | kernel, port C |
/// |---|---|---|
/// | [`define`](Self::define), [`opt_level`](Self::opt_level), [`hard_float`](Self::hard_float) | yes | yes |
/// | [`include`](Self::include) | yes | yes, searched after the kernel's own headers |
/// | [`flag`](Self::flag) | yes | no |
#[derive(Debug)]
pub struct GuestBuild {
    binary: String,
    config_dir: PathBuf,
    source_dirs: Vec<PathBuf>,
    sources: Vec<PathBuf>,
    include_dirs: Vec<PathBuf>,
    libraries: Vec<PathBuf>,
    source_libraries: Vec<SourceLibrary>,
    defines: Vec<(String, Option<String>)>,
    flags: Vec<String>,
    opt_level: String,
    hard_float: bool,
    wraps: Vec<String>,
    link_args: Vec<String>,
    link_address: u32,
    work_dir: Option<PathBuf>,
}

impl GuestBuild {
    /// The guest `binary`, configured by `config_dir` (its `os_cfg.h`
    /// and `app_cfg.h`). Optimised for size (`-Os`) unless
    /// [`opt_level`](Self::opt_level) says otherwise.
    pub fn new(binary: &str, config_dir: impl AsRef<Path>) -> Self {
        Self {
            binary: binary.into(),
            config_dir: config_dir.as_ref().into(),
            source_dirs: Vec::new(),
            sources: Vec::new(),
            include_dirs: Vec::new(),
            libraries: Vec::new(),
            source_libraries: Vec::new(),
            defines: Vec::new(),
            flags: Vec::new(),
            opt_level: "s".into(),
            hard_float: false,
            wraps: Vec::new(),
            link_args: Vec::new(),
            link_address: paravirt_api::PV_GUEST_LINK_BASE,
            work_dir: None,
        }
    }

    /// Adds application sources one by one (`*.c`, `*.C`, `*.S`, `*.s`); each
    /// must exist.
    pub fn sources(mut self, files: impl IntoIterator<Item = PathBuf>) -> Self {
        self.sources.extend(files);
        self
    }

    /// Adds every source below `dir`, subfolders included (`*.c`, `*.C`,
    /// `*.S`, `*.s`; sorted by name in each folder). Finding none is an error.
    /// Keep code that must not be compiled into the application (a vendor
    /// library's sources, host-only files) outside `dir`, or list files with
    /// [`sources`](Self::sources).
    pub fn source_dir(mut self, dir: impl AsRef<Path>) -> Self {
        self.source_dirs.push(dir.as_ref().into());
        self
    }

    /// Adds an include directory.
    pub fn include(mut self, dir: impl AsRef<Path>) -> Self {
        self.include_dirs.push(dir.as_ref().into());
        self
    }

    /// Defines a preprocessor macro (`-DNAME` or `-DNAME=VALUE`).
    pub fn define<'a>(mut self, name: &str, value: impl Into<Option<&'a str>>) -> Self {
        self.defines.push((name.into(), value.into().map(Into::into)));
        self
    }

    /// Adds a compiler flag for the application's sources (after the SDK's own
    /// flags, so `-std=c99` or `-Wno-...` override them). As with gcc,
    /// `-Wl,A,B` passes `A` and `B` to the linker instead: to the partial link
    /// of the guest's C, where `--wrap=SYMBOL` is the same as
    /// [`wrap`](Self::wrap) (so a description's `flags` can wrap symbols).
    pub fn flag(mut self, flag: &str) -> Self {
        match flag.strip_prefix("-Wl,") {
            Some(arguments) => {
                for argument in arguments.split(',').filter(|a| !a.is_empty()) {
                    match argument.strip_prefix("--wrap=") {
                        Some(symbol) => self.wraps.push(symbol.into()),
                        None => self.link_args.push(argument.into()),
                    }
                }
            }
            None => self.flags.push(flag.into()),
        }
        self
    }

    /// The optimisation level: `0`, `1`, `2`, `3`, `s` (the default) or `g`.
    pub fn opt_level(mut self, level: &str) -> Self {
        self.opt_level = level.into();
        self
    }

    /// Compiles the guest's C for the hard-float ABI (see [`HARD_FLOAT_FPU`])
    /// and links the hard-float newlib and libgcc. Vendor libraries must then
    /// be hard-float too ([`guest_target_flags`]).
    pub fn hard_float(mut self, hard_float: bool) -> Self {
        self.hard_float = hard_float;
        self
    }

    /// Links the guest's C with `--wrap=SYMBOL`: its calls to `SYMBOL` go to
    /// `__wrap_SYMBOL` (which the guest's C must define), and `__real_SYMBOL`
    /// reaches the original, in C or in the Rust runtime.
    pub fn wrap(mut self, symbol: &str) -> Self {
        self.wraps.push(symbol.into());
        self
    }

    /// Links a vendor static library (`.a`) into the guest. Its members are
    /// taken as a linker takes them from an archive (those something needs).
    /// A folder instead of a `.a` is a library delivered as sources: its
    /// sources (as [`source_dir`](Self::source_dir) finds them) are compiled
    /// with the guest's target flags ([`guest_target_flags`]), optimisation
    /// level and defines, archived as `lib<folder>.a`, and linked the same way.
    pub fn library(mut self, archive: impl AsRef<Path>) -> Self {
        self.libraries.push(archive.as_ref().into());
        self
    }

    /// Links a library built from `library.sources` (a third-party C library
    /// as its own package ships it, e.g. from the registry): compiled with the
    /// guest's target flags, optimisation level and defines plus the library's
    /// own, its include folders searched for its sources and (after the
    /// guest's) for the application's, archived as `lib<name>.a` and linked as
    /// [`library`](Self::library) links an archive.
    pub fn source_library(mut self, library: SourceLibrary) -> Self {
        self.include_dirs.extend(library.include.iter().cloned());
        self.source_libraries.push(library);
        self
    }

    /// The guest's link address (default `PV_GUEST_LINK_BASE`): where its
    /// image starts in its address space and in a debugger. Each program of
    /// an image needs its own (the image build gives them: see
    /// `System::link_addresses`). Section aligned, in the image window.
    pub fn link_address(mut self, address: u32) -> Self {
        self.link_address = address;
        self
    }

    /// The guest's link address ([`link_address`](Self::link_address)).
    pub fn address(&self) -> u32 {
        self.link_address
    }

    /// Where this guest's objects, kernel archive and partially linked C object
    /// go (default: `OUT_DIR/guests/<binary>`). Guests of the same name in
    /// different images need one each.
    pub fn work_dir(mut self, dir: impl AsRef<Path>) -> Self {
        self.work_dir = Some(dir.as_ref().into());
        self
    }

    /// The guest's name (the `binary` given to [`new`](Self::new)).
    pub fn name(&self) -> &str {
        &self.binary
    }

    /// Whether the guest's C is hard-float.
    pub fn is_hard_float(&self) -> bool {
        self.hard_float
    }

    fn work(&self) -> PathBuf {
        self.work_dir.clone().unwrap_or_else(|| {
            PathBuf::from(std::env::var("OUT_DIR").expect("called from a build script"))
                .join("guests")
                .join(&self.binary)
        })
    }

    /// Builds the guest: its C ([`build_c`](Self::build_c)), then the final
    /// link with rust-lld into the ELF file `elf`: the port's linker script
    /// (`port/guest.ld`), `-zmax-page-size=4096` (else rust-lld pads the first
    /// segment to 64 KiB), the runtime's `--wrap` options
    /// ([`port::imports::RUNTIME_WRAPS`]), the C object and `runtime`, the
    /// guest runtime as a static library (`libucvisor_guest.a`, package
    /// `port/staticlib`). No cargo package per guest.
    pub fn link_elf(&self, runtime: &Path, elf: &Path) -> Result<(), GuestError> {
        let object = self.build_c()?;
        let mut lld = Command::new(rust_lld()?);
        lld.args(["-flavor", "gnu"]);
        self.final_link(lld, &object, runtime, Path::new(port::LINKER_SCRIPT), elf)
    }

    /// Links the guest from C compiled elsewhere, for the SDK's make flow
    /// (`ucvisor-image guest`): `objects` (the application's and the port's,
    /// compiled with the flags of the SDK's `ucvisor.mk`) and
    /// `kernel_archive` (µC/OS-II compiled with the application's `os_cfg.h`)
    /// go through the same partial link and checks as
    /// [`build_c`](Self::build_c), then the final link as in
    /// [`link_elf`](Self::link_elf), by GNU ld (the guest toolchain's: a make
    /// user has no rust-lld) with `linker_script` and `runtime`. Vendor
    /// libraries are [`library`](Self::library) archives; sources, include
    /// folders, defines and flags do not apply.
    pub fn link_objects(
        &self,
        objects: &[PathBuf],
        kernel_archive: &Path,
        runtime: &Path,
        linker_script: &Path,
        elf: &Path,
    ) -> Result<(), GuestError> {
        let work = self.work();
        std::fs::create_dir_all(&work).map_err(|e| GuestError::Tool(format!("creating {}: {e}", work.display())))?;
        check_config_dir(&self.config_dir)?;
        for symbol in &self.wraps {
            check_symbol_name(symbol)?;
        }
        for file in objects.iter().map(PathBuf::as_path).chain([kernel_archive, runtime, linker_script]) {
            if !file.is_file() {
                return Err(GuestError::Tool(format!("{} does not exist", file.display())));
            }
        }
        let toolchain = Toolchain::find(self.hard_float)?;
        let combined = work.join(format!("{}-c.o", self.binary));
        self.link_c(&toolchain, objects, kernel_archive, &combined)?;
        // GNU ld, unlike rust-lld, refuses hard-float C beside the soft-float
        // runtime; the pair is sound (see "Float ABI" above) and the C
        // object's float ABI was checked.
        let mut ld = Command::new(&toolchain.ld);
        ld.arg("--no-warn-mismatch");
        self.final_link(ld, &combined, runtime, linker_script, elf)
    }

    /// The final link by `linker` (rust-lld or GNU ld, which take the same
    /// options): `--gc-sections`, `-zmax-page-size=4096` (else rust-lld pads
    /// the first segment to 64 KiB), the link address (`--defsym` of
    /// `__ucvisor_link_address`, before the script: GNU ld reads them in
    /// order), the runtime's `--wrap` options, the linker script, the C
    /// object and the runtime library.
    fn final_link(
        &self,
        mut command: Command,
        object: &Path,
        runtime: &Path,
        linker_script: &Path,
        elf: &Path,
    ) -> Result<(), GuestError> {
        if !runtime.is_file() {
            return Err(GuestError::Tool(format!("the guest runtime library {} does not exist", runtime.display())));
        }
        command.args(["--gc-sections", "-znoexecstack", "-zmax-page-size=4096"]);
        command.arg(format!("--defsym=__ucvisor_link_address={:#x}", self.link_address));
        command.arg(format!("-T{}", linker_script.display()));
        // The runtime's own `__real_` references (to the C's hook) resolve here.
        for symbol in port::imports::RUNTIME_WRAPS {
            command.arg(format!("--wrap={symbol}"));
        }
        // The entry is in the runtime library, which nothing in the C refers to.
        command.args(["-u", "_Start", "-o"]).arg(elf).arg(object).arg(runtime);
        run_tool(&format!("final link of guest `{}`", self.binary), &mut command).map(|_| ())
    }

    /// Compiles the guest's C and links it partially into one relocatable
    /// object, checked (see the module documentation); returns its path,
    /// `<work_dir>/<binary>-c.o`. A problem is an error that names it.
    pub fn build_c(&self) -> Result<PathBuf, GuestError> {
        let name = &self.binary;
        let work = self.work();
        std::fs::create_dir_all(&work).map_err(|e| GuestError::Tool(format!("creating {}: {e}", work.display())))?;

        check_config_dir(&self.config_dir)?;
        check_opt_level(&self.opt_level)?;
        for symbol in &self.wraps {
            check_symbol_name(symbol)?;
        }
        let sources = self.application_sources()?;
        let toolchain = Toolchain::find(self.hard_float)?;

        let kernel_lib = format!("ucos_{name}");
        let kernel_dir = work.join("kernel");
        let mut kernel = self.kernel_build();
        kernel.out_dir(&kernel_dir);
        kernel.compile(&kernel_lib).map_err(|error| GuestError::Tool(error.to_string()))?;
        let kernel_archive = kernel_dir.join(format!("lib{kernel_lib}.a"));

        let objects = self.compile(&sources, &kernel, &work.join("obj"))?;
        let combined = work.join(format!("{name}-c.o"));
        self.link_c(&toolchain, &objects, &kernel_archive, &combined)?;
        Ok(combined)
    }

    /// The µC/OS-II kernel's build for this guest: its configuration folder,
    /// the port's header, its optimisation level, include folders, defines
    /// and float ABI, debug information, not linked into a crate.
    pub fn kernel_build(&self) -> ucos_ii_c::KernelBuild {
        let mut kernel = ucos_ii_c::KernelBuild::new();
        kernel
            .cfg_dir(&self.config_dir)
            .port_include(port::INCLUDE_DIR)
            .link(false)
            .opt_level(&self.opt_level)
            .flag("-g");
        for dir in &self.include_dirs {
            kernel.include(dir);
        }
        for (macro_name, value) in &self.defines {
            kernel.define(macro_name, value.as_deref());
        }
        for flag in float_abi_flags(self.hard_float) {
            kernel.flag(flag);
        }
        kernel
    }

    /// The partial link of the guest's C into `combined` (see the module
    /// documentation), libgcc's symbols made local, then the checks: every
    /// symbol the runtime needs defined and global, the float ABI.
    fn link_c(
        &self,
        toolchain: &Toolchain,
        objects: &[PathBuf],
        kernel_archive: &Path,
        combined: &Path,
    ) -> Result<(), GuestError> {
        let work = self.work();
        self.partial_link(toolchain, objects, kernel_archive, combined)?;

        // libgcc's symbols become local: the C code keeps the libgcc helpers it
        // was bound to, and the Rust runtime cannot see them.
        let libgcc = Symbols::parse(&toolchain.run_nm(&["-g", "--defined-only"], &toolchain.libgcc)?);
        let libgcc_names: BTreeSet<String> = libgcc.defined.into_keys().collect();
        let list = work.join("libgcc.symbols");
        let text: String = libgcc_names.iter().map(|n| format!("{n}\n")).collect();
        std::fs::write(&list, text).map_err(|e| GuestError::Tool(format!("writing {}: {e}", list.display())))?;
        toolchain.run(
            "localizing libgcc's symbols",
            Command::new(&toolchain.objcopy).arg(format!("--localize-symbols={}", list.display())).arg(combined),
        )?;

        let symbols = Symbols::parse(&toolchain.run_nm(&[], combined)?);
        let origin = self.origin();
        check_partial_link(
            &symbols,
            &PartialLinkNeeds {
                origin: &origin,
                config_dir: &self.config_dir,
                kernel: &[port::imports::KERNEL_FUNCTIONS, port::imports::KERNEL_VARIABLES].concat(),
                application: port::imports::APPLICATION_SYMBOLS,
                libgcc: &libgcc_names,
                wrapped: &self.wraps,
            },
        )?;

        // The final link neither checks nor keeps the C object's float-ABI
        // attributes, so they are checked here.
        let attributes = toolchain.output(
            &format!("reading the attributes of {}", combined.display()),
            Command::new(&toolchain.readelf).arg("-A").arg(combined),
        )?;
        check_float_abi(&attributes, self.hard_float, combined)
    }

    /// Every file and folder the guest's build reads (besides the toolchain
    /// and the runtime library): the configuration folder, the sources and
    /// their folders, include folders, vendor libraries, the port's C and
    /// headers, the SDK's headers and the µC/OS-II sources in use. A build
    /// script prints them as `cargo:rerun-if-changed`; the image build
    /// fingerprints them.
    pub fn inputs(&self) -> Vec<PathBuf> {
        let mut inputs = vec![self.config_dir.clone()];
        inputs.extend(self.source_dirs.iter().cloned());
        inputs.extend(self.sources.iter().cloned());
        inputs.extend(self.include_dirs.iter().cloned());
        inputs.extend(self.libraries.iter().cloned());
        for library in &self.source_libraries {
            inputs.extend(library.sources.iter().cloned());
        }
        inputs.extend(port::C_SOURCES.iter().map(PathBuf::from));
        inputs.push(PathBuf::from(port::INCLUDE_DIR));
        inputs.push(PathBuf::from(port::LINKER_SCRIPT));
        inputs.push(sdk_include_dir());
        inputs.push(ucos_ii_c::KernelSource::from_env().source_dir());
        inputs
    }

    /// Every file the C compiler read in the guest's last build (its
    /// depfiles, `-MMD`): besides [`inputs`](Self::inputs), headers beside a
    /// source or reached by a relative `#include` or through `flags`. The
    /// image build fingerprints them with the inputs. Empty before a build.
    pub fn included_files(&self) -> Vec<PathBuf> {
        let mut files = BTreeSet::new();
        for path in depfiles(&self.work().join("obj")) {
            if let Ok(text) = std::fs::read_to_string(&path) {
                files.extend(depfile_prerequisites(&text));
            }
        }
        files.into_iter().collect()
    }

    /// The guest's options, one per line, for its fingerprint: everything but
    /// the files of [`inputs`](Self::inputs) that changes what is built.
    pub fn options_text(&self) -> String {
        let mut text = format!(
            "guest {}\nconfig {}\nopt-level {}\nhard-float {}\nlink-address {:#x}\n",
            self.binary,
            self.config_dir.display(),
            self.opt_level,
            self.hard_float,
            self.link_address
        );
        let mut line = |key: &str, value: String| text.push_str(&format!("{key} {value}\n"));
        for dir in &self.source_dirs {
            line("source-dir", dir.display().to_string());
        }
        for file in &self.sources {
            line("source", file.display().to_string());
        }
        for dir in &self.include_dirs {
            line("include", dir.display().to_string());
        }
        for library in &self.libraries {
            line("library", library.display().to_string());
        }
        for library in &self.source_libraries {
            line("source-library", format!("{library:?}"));
        }
        for (name, value) in &self.defines {
            line("define", format!("{name}={value:?}"));
        }
        for flag in &self.flags {
            line("flag", flag.clone());
        }
        for symbol in &self.wraps {
            line("wrap", symbol.clone());
        }
        for argument in &self.link_args {
            line("link-arg", argument.clone());
        }
        text
    }

    /// The application's sources: those of every `source_dir` (in the order
    /// given), then the listed ones, checked, without duplicates.
    fn application_sources(&self) -> Result<Vec<PathBuf>, GuestError> {
        let mut all = Vec::new();
        for dir in &self.source_dirs {
            all.extend(source_files(dir)?);
        }
        all.extend(self.sources.iter().cloned());
        check_sources(&all, &self.config_dir)
    }

    /// Where the application's sources come from, for messages.
    fn origin(&self) -> String {
        let mut places: Vec<String> = self.source_dirs.iter().map(|d| d.display().to_string()).collect();
        if !self.sources.is_empty() {
            places.push(format!("{} listed files", self.sources.len()));
        }
        if places.is_empty() {
            // `link_objects`: compiled elsewhere (the make flow).
            return "the object files given".into();
        }
        places.join(", ")
    }

    /// The compiler configuration of the port's C files and of the
    /// application's sources (without the application's own
    /// [`flag`](Self::flag)s, which only its sources get): the include
    /// folders (configuration, [`include`](Self::include)s, the port's,
    /// the kernel's, the SDK's), `-std=gnu11 -marm -mno-unaligned-access`, the
    /// float ABI, the optimisation level, warnings, debug information and the
    /// defines. The SDK's make flow writes the flags from here into its
    /// makefile fragment.
    pub fn c_build(&self, kernel: &ucos_ii_c::KernelBuild) -> cc::Build {
        let mut base = cc::Build::new();
        base.include(&self.config_dir)
            .includes(&self.include_dirs)
            .include(port::INCLUDE_DIR)
            .includes(kernel.include_dirs())
            .include(sdk_include_dir())
            .flag("-std=gnu11")
            .flag("-marm")
            .flag("-mno-unaligned-access")
            .flags(float_abi_flags(self.hard_float))
            .opt_level_str(&self.opt_level)
            .warnings(true)
            .extra_warnings(true)
            .debug(true)
            .cargo_metadata(false);
        for (name, value) in &self.defines {
            base.define(name, value.as_deref());
        }
        base
    }

    /// Compiles the port's C files and the application's sources into objects
    /// under `obj_dir` (per guest: the port's files are compiled for every
    /// guest with its own configuration).
    fn compile(
        &self,
        sources: &[PathBuf],
        kernel: &ucos_ii_c::KernelBuild,
        obj_dir: &Path,
    ) -> Result<Vec<PathBuf>, GuestError> {
        let mut base = self.c_build(kernel);
        base.out_dir(obj_dir);
        // Each compile also lists the files it read (`-MMD`: a depfile beside
        // its object, `included_files`); the lists of an earlier build go
        // first, so that a source since removed leaves none behind.
        remove_depfiles(obj_dir);
        base.flag("-MMD");

        let compile = |build: &cc::Build, what: &str| {
            build.try_compile_intermediates().map_err(|error| GuestError::Tool(format!("compiling {what}: {error}")))
        };
        let mut objects = compile(base.clone().files(port::C_SOURCES), "the port's C files")?;

        let mut application = base.clone();
        application.flags(&self.flags);
        let (upper_c, others): (Vec<&PathBuf>, Vec<&PathBuf>) =
            sources.iter().partition(|file| source_kind(file) == Some(SourceKind::UpperC));
        if !others.is_empty() {
            objects.extend(compile(application.clone().files(others), "the application's sources")?);
        }
        if !upper_c.is_empty() {
            // gcc takes `*.C` for C++ by the extension; `-x c` (which cc places
            // before the file name) makes it C.
            objects.extend(compile(application.clone().flag("-x").flag("c").files(upper_c), "the *.C sources")?);
        }
        Ok(objects)
    }

    /// `ld -r`: the objects whole, then the archives in one group (they refer
    /// to each other: the kernel to newlib, newlib to libgcc and back), with
    /// the runtime's kernel symbols forced in (`-u`) because only Rust refers
    /// to some of them (`OSSemCreate` for the console, ...).
    fn partial_link(
        &self,
        toolchain: &Toolchain,
        objects: &[PathBuf],
        kernel_archive: &Path,
        output: &Path,
    ) -> Result<(), GuestError> {
        let libraries = self.libraries()?;
        let mut command = Command::new(&toolchain.ld);
        command.arg("-r").arg("-o").arg(output);
        let runtime_wraps = port::imports::RUNTIME_WRAPS.iter().map(|s| s.to_string());
        for symbol in runtime_wraps.chain(self.wraps.iter().cloned()) {
            command.arg(format!("--wrap={symbol}"));
        }
        command.args(&self.link_args);
        for symbol in port::imports::KERNEL_FUNCTIONS.iter().chain(port::imports::KERNEL_VARIABLES) {
            command.arg("-u").arg(symbol);
        }
        command.args(objects).arg("--start-group").arg(kernel_archive).args(&libraries);
        command.arg(&toolchain.libc).arg(&toolchain.libm).arg(&toolchain.libgcc).arg("--end-group");
        run_tool(&format!("partial link of the C of guest `{}`", self.binary), &mut command).map(|_| ())
    }

    /// The vendor libraries as archives: `.a` files as they are, folders of
    /// sources compiled and archived first (see [`library`](Self::library)).
    fn libraries(&self) -> Result<Vec<PathBuf>, GuestError> {
        let mut archives = Vec::new();
        for library in &self.libraries {
            if library.is_file() {
                archives.push(library.clone());
                continue;
            }
            if !library.is_dir() {
                return Err(GuestError::Tool(format!("vendor library {} does not exist", library.display())));
            }
            let name = library
                .file_name()
                .map(|n| n.to_string_lossy().replace(|c: char| !c.is_ascii_alphanumeric() && c != '_', "_"))
                .unwrap_or_else(|| "vendor".into());
            let out = self.work().join("libraries").join(&name);
            let mut build = cc::Build::new();
            build
                .out_dir(&out)
                .files(source_files(library)?)
                .include(library)
                .flags(guest_target_flags(self.hard_float))
                .flag("-std=c11")
                .opt_level_str(&self.opt_level)
                .debug(true)
                .cargo_metadata(false);
            for (macro_name, value) in &self.defines {
                build.define(macro_name, value.as_deref());
            }
            build.try_compile(&name).map_err(|error| {
                GuestError::Tool(format!("compiling the library sources in {}: {error}", library.display()))
            })?;
            archives.push(out.join(format!("lib{name}.a")));
        }
        for library in &self.source_libraries {
            let out = self.work().join("libraries").join(&library.name);
            let mut build = cc::Build::new();
            build
                .out_dir(&out)
                .files(&library.sources)
                .includes(&library.include)
                .flags(guest_target_flags(self.hard_float))
                .flag("-std=c11")
                .opt_level_str(&self.opt_level)
                .debug(true)
                .cargo_metadata(false);
            for (macro_name, value) in self.defines.iter().chain(&library.defines) {
                build.define(macro_name, value.as_deref());
            }
            build
                .try_compile(&library.name)
                .map_err(|error| GuestError::Tool(format!("compiling the library `{}`: {error}", library.name)))?;
            archives.push(out.join(format!("lib{}.a", library.name)));
        }
        Ok(archives)
    }
}

/// Runs `command` and returns its standard output; a failure names `what`,
/// the command and its output.
pub(crate) fn run_tool(what: &str, command: &mut Command) -> Result<String, GuestError> {
    let shown = format!("{command:?}");
    let output = command.output().map_err(|error| GuestError::Tool(format!("{what}: cannot run {shown}: {error}")))?;
    if !output.status.success() {
        let said = format!("{}{}", String::from_utf8_lossy(&output.stdout), String::from_utf8_lossy(&output.stderr));
        let hint = if said.contains("VFP register arguments") {
            "\n(a float-ABI mismatch: build vendor libraries with xtask::guest_target_flags(hard_float))"
        } else {
            ""
        };
        return Err(GuestError::Tool(format!("{what} failed:\n{}{hint}\ncommand: {shown}", said.trim_end())));
    }
    Ok(String::from_utf8_lossy(&output.stdout).into_owned())
}

/// rust-lld of the Rust toolchain that runs the build: `lib/rustlib/<host>/bin/`
/// below `rustc --print sysroot` (`RUSTC` as cargo sets it for build scripts,
/// else `rustc`). The guest's and the kernel's links use it, so no other
/// linker is needed.
pub fn rust_lld() -> Result<PathBuf, GuestError> {
    let rustc = std::env::var("RUSTC").unwrap_or_else(|_| "rustc".into());
    let sysroot = run_tool("asking rustc for its sysroot", Command::new(&rustc).args(["--print", "sysroot"]))?;
    let version = run_tool("asking rustc for its host", Command::new(&rustc).arg("-vV"))?;
    let host = version
        .lines()
        .find_map(|line| line.strip_prefix("host: "))
        .ok_or_else(|| GuestError::Tool(format!("`{rustc} -vV` names no host")))?;
    let lld = PathBuf::from(sysroot.trim()).join("lib/rustlib").join(host.trim()).join("bin/rust-lld");
    if lld.is_file() {
        Ok(lld)
    } else {
        Err(GuestError::Tool(format!("rust-lld not found at {} (it ships with every Rust toolchain)", lld.display())))
    }
}

/// GNU objcopy of the guest toolchain.
pub(crate) fn objcopy() -> Result<PathBuf, GuestError> {
    Ok(Toolchain::find(false)?.objcopy)
}

/// The SDK's C headers (`paravirt.h`, `l4/`).
pub(crate) fn sdk_include_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../include")
}

/// The GNU toolchain of a guest: binutils and the newlib/libgcc multilib of
/// its float ABI.
pub(crate) struct Toolchain {
    /// The C compiler (also the assembler driver).
    pub(crate) cc: PathBuf,
    pub(crate) ld: PathBuf,
    nm: PathBuf,
    objcopy: PathBuf,
    readelf: PathBuf,
    libc: PathBuf,
    libm: PathBuf,
    libgcc: PathBuf,
}

impl Toolchain {
    /// Asks the C compiler (`CC_armv7a_none_eabi`, as cc-rs uses it, or
    /// `arm-none-eabi-gcc`) where its tools and libraries are.
    pub(crate) fn find(hard_float: bool) -> Result<Self, GuestError> {
        let compiler = std::env::var("CC_armv7a_none_eabi").unwrap_or_else(|_| "arm-none-eabi-gcc".into());
        let flags = guest_target_flags(hard_float);
        let ask = |what: &str| -> Result<String, GuestError> {
            let output = Command::new(&compiler).args(&flags).arg(what).output().map_err(|error| {
                GuestError::Tool(format!("running {compiler} (install gcc-arm-none-eabi: tools/setup): {error}"))
            })?;
            Ok(String::from_utf8_lossy(&output.stdout).trim().to_owned())
        };
        let library = |file: &str| -> Result<PathBuf, GuestError> {
            let path = PathBuf::from(ask(&format!("-print-file-name={file}"))?);
            if path.is_absolute() && path.is_file() {
                Ok(path)
            } else {
                Err(GuestError::Tool(format!(
                    "newlib's {file} for {} not found: install libnewlib-arm-none-eabi (tools/setup)",
                    flags.join(" ")
                )))
            }
        };
        // `-print-prog-name` finds binutils next to the compiler; the
        // compiler's prefix (`arm-none-eabi-`) is the fallback.
        let prefix = compiler.strip_suffix("gcc").unwrap_or("arm-none-eabi-").to_owned();
        let tool = |name: &str| -> Result<PathBuf, GuestError> {
            let path = PathBuf::from(ask(&format!("-print-prog-name={name}"))?);
            Ok(if path.is_absolute() { path } else { PathBuf::from(format!("{prefix}{name}")) })
        };
        let libgcc = PathBuf::from(ask("-print-libgcc-file-name")?);
        if !libgcc.is_file() {
            return Err(GuestError::Tool(format!("libgcc.a for {} not found (tools/setup)", flags.join(" "))));
        }
        Ok(Toolchain {
            cc: PathBuf::from(&compiler),
            ld: tool("ld")?,
            nm: tool("nm")?,
            objcopy: tool("objcopy")?,
            readelf: tool("readelf")?,
            libc: library("libc.a")?,
            libm: library("libm.a")?,
            libgcc,
        })
    }

    /// Runs `command`; a failure names `what`, the command and its output.
    fn run(&self, what: &str, command: &mut Command) -> Result<(), GuestError> {
        run_tool(what, command).map(|_| ())
    }

    fn output(&self, what: &str, command: &mut Command) -> Result<String, GuestError> {
        run_tool(what, command)
    }

    /// `nm ARGS FILE`.
    fn run_nm(&self, args: &[&str], file: &Path) -> Result<String, GuestError> {
        self.output(&format!("reading the symbols of {}", file.display()), Command::new(&self.nm).args(args).arg(file))
    }
}

/// The depfiles (`*.d`) in `dir`, if any.
fn depfiles(dir: &Path) -> impl Iterator<Item = PathBuf> {
    let entries = std::fs::read_dir(dir).into_iter().flatten().flatten();
    entries.map(|entry| entry.path()).filter(|path| path.extension().is_some_and(|e| e == "d"))
}

/// Removes the depfiles (`*.d`) in `dir`, if any.
fn remove_depfiles(dir: &Path) {
    for path in depfiles(dir) {
        let _ = std::fs::remove_file(path);
    }
}

/// The prerequisites of the rules in a depfile as GCC writes it (`-MMD`):
/// `target: source header ...`, lines continued with a backslash, a space in
/// a name escaped as `\ ` and a `$` as `$$`.
fn depfile_prerequisites(text: &str) -> Vec<PathBuf> {
    let joined = text.replace("\\\n", " ");
    let mut files = Vec::new();
    for rule in joined.lines() {
        let Some((_, prerequisites)) = rule.split_once(": ") else { continue };
        let mut name = String::new();
        let mut characters = prerequisites.chars().peekable();
        while let Some(character) = characters.next() {
            match character {
                '\\' if characters.peek() == Some(&' ') => name.push(characters.next().unwrap_or(' ')),
                '$' if characters.peek() == Some(&'$') => name.push(characters.next().unwrap_or('$')),
                ' ' | '\t' => files.extend((!name.is_empty()).then(|| PathBuf::from(std::mem::take(&mut name)))),
                other => name.push(other),
            }
        }
        files.extend((!name.is_empty()).then(|| PathBuf::from(name)));
    }
    files
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_depfile_names_every_file_the_compile_read() {
        let text = "/o/1a2b-main.o: /app/main.c /app/average.h \\\n /app/my\\ dir/x.h ../cost$$.h\n";
        let files: Vec<String> = depfile_prerequisites(text).iter().map(|p| p.display().to_string()).collect();
        assert_eq!(files, ["/app/main.c", "/app/average.h", "/app/my dir/x.h", "../cost$.h"]);
        assert!(depfile_prerequisites("").is_empty());
        assert!(depfile_prerequisites("garbage without a rule\n").is_empty());
    }
}
