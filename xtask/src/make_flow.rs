// SPDX-License-Identifier: MIT OR Apache-2.0
//! The SDK for teams that build their application with make and
//! arm-none-eabi-gcc instead of cargo: `cargo xtask sdk DIR` ([`export`])
//! writes a self-contained folder, and its host tool `DIR/bin/ucvisor-image`
//! ([`host_tool`]) links guests and assembles bootable images without cargo
//! or rustc (see `doc/porting.md`, "A plain make flow").
//!
//! ```text
//! DIR/ucvisor.mk              the makefile fragment: compiler flags (written
//!                             from GuestBuild's, the cargo flow's own) and the
//!                             `ucvisor_guest` template
//! DIR/bin/ucvisor-image       the host tool: this crate's `xtask` binary
//! DIR/bin/qemu-run            boots an image in QEMU (tools/qemu-run)
//! DIR/include/                paravirt.h, l4/, ucvisor_guest.h, ucvisor_test.h
//! DIR/port/include/, port/src/  the port's header and per-application C
//! DIR/ucos-ii-c/              the bundled µC/OS-II sources
//! DIR/lib/                    kernel.o, kernel.ld, root_server, drivers (and
//!                             their `.elf` with symbols), libucvisor_guest.a,
//!                             user.ld (the guests' linker script)
//! ```
//!
//! # Who does what
//!
//! make compiles: the application's sources, the port's C and µC/OS-II (with
//! the application's `os_cfg.h`), with the flags of `ucvisor.mk`, and
//! archives the kernel's objects. The host tool links: `ucvisor-image guest`
//! runs [`GuestBuild::link_objects`], the cargo flow's partial link and checks
//! (libgcc bound to the C, the runtime's needs, the float ABI: the same error
//! messages) and its final link by GNU ld; `ucvisor-image image` checks the
//! system description ([`System::load`]: the cargo flow's messages), strips the
//! guests as the cargo flow does and links the image: the prebuilt kernel
//! object, the platform's `kernel.ld` and an assembly file it generates that
//! holds the boot modules (`.incbin`) and the `ucvisor_boot::BootConfig` the
//! kernel reads by its symbol `UCVISOR_BOOT_CONFIG` ([`boot_config_assembly`]).

use crate::description::{DescriptionError, System};
use crate::guest::Toolchain;
use crate::system::{BuildError, Sdk, link_or_copy, strip_guest};
use crate::{GuestBuild, TARGET};
use std::path::{Path, PathBuf};
use std::process::Command;

/// The host tool's file name below `DIR/bin`.
pub const HOST_TOOL: &str = "ucvisor-image";

/// The file that marks a folder as an exported SDK (an export replaces only
/// such a folder, or an empty one).
const MARKER: &str = "ucvisor.mk";

/// Placeholder of the application's configuration folder in the flags.
const CONFIG_MARK: &str = "/@UCVISOR_CONFIG@";

/// Writes the make flow's SDK into `dir` (see the module documentation). The
/// kernel, servers and runtime are built with [`Sdk::build_in`]`(build_dir)`
/// (a nested `cargo build --release`, fresh when nothing changed); `host_tool`
/// is copied to `dir/bin/ucvisor-image`.
pub fn export(dir: &Path, build_dir: &Path, host_tool: &Path) -> Result<(), String> {
    let sdk = Sdk::build_in(build_dir.to_path_buf()).map_err(|e| e.to_string())?;
    prepare(dir)?;
    let root = crate::sdk_root();
    let lib = dir.join("lib");
    let copy = |from: &Path, to: &Path| -> Result<(), String> {
        if let Some(parent) = to.parent() {
            std::fs::create_dir_all(parent).map_err(|e| format!("creating {}: {e}", parent.display()))?;
        }
        std::fs::copy(from, to).map(|_| ()).map_err(|e| format!("copying {} to {}: {e}", from.display(), to.display()))
    };
    copy(sdk.kernel_object(), &lib.join("kernel.o"))?;
    copy(&root.join(crate::system::KERNEL_LINKER_SCRIPT), &lib.join("kernel.ld"))?;
    for module in [sdk.root_server(), sdk.drivers()] {
        copy(&module.embedded, &lib.join(&module.name))?;
        if let Some(elf) = &module.elf {
            copy(elf, &lib.join(format!("{}.elf", module.name)))?;
        }
    }
    copy(sdk.runtime_library(), &lib.join("libucvisor_guest.a"))?;
    copy(Path::new(port::LINKER_SCRIPT), &lib.join("user.ld"))?;
    copy_tree(&crate::guest::sdk_include_dir(), &dir.join("include"))?;
    copy_tree(Path::new(port::INCLUDE_DIR), &dir.join("port/include"))?;
    for source in port::C_SOURCES {
        let source = Path::new(source);
        copy(source, &dir.join("port/src").join(source.file_name().unwrap_or_default()))?;
    }
    let bundled = ucos_ii_c::KernelSource::Bundled.source_dir();
    for file in ucos_ii_c::BUNDLED_SOURCES.iter().chain(ucos_ii_c::ORIGINAL_HEADERS).chain(&["os.h"]) {
        copy(&bundled.join(file), &dir.join("ucos-ii-c").join(file))?;
    }
    copy(&root.join("tools/qemu-run"), &dir.join("bin/qemu-run"))?;
    copy(host_tool, &dir.join("bin").join(HOST_TOOL))?;
    let makefile = makefile_fragment()?;
    std::fs::write(dir.join(MARKER), makefile).map_err(|e| format!("writing {}: {e}", dir.join(MARKER).display()))?;
    std::fs::write(dir.join("README.md"), README).map_err(|e| format!("writing the README: {e}"))?;
    Ok(())
}

/// Makes `dir` an empty folder: it must not exist, be empty or be an
/// earlier export (holding `ucvisor.mk`), which is replaced.
fn prepare(dir: &Path) -> Result<(), String> {
    if dir.exists() {
        let empty = std::fs::read_dir(dir).map_err(|e| format!("reading {}: {e}", dir.display()))?.next().is_none();
        if !empty && !dir.join(MARKER).is_file() {
            return Err(format!(
                "{} exists and is no exported SDK (no {MARKER}): give a new or empty folder",
                dir.display()
            ));
        }
        std::fs::remove_dir_all(dir).map_err(|e| format!("removing the old export {}: {e}", dir.display()))?;
    }
    std::fs::create_dir_all(dir).map_err(|e| format!("creating {}: {e}", dir.display()))
}

/// Copies the files below `from` to `to`, subfolders included.
fn copy_tree(from: &Path, to: &Path) -> Result<(), String> {
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry.map_err(|e| format!("reading {}: {e}", from.display()))?;
        let relative = entry.path().strip_prefix(from).map_err(|e| e.to_string())?;
        let target = to.join(relative);
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&target).map_err(|e| format!("creating {}: {e}", target.display()))?;
        } else {
            std::fs::copy(entry.path(), &target).map_err(|e| format!("copying {}: {e}", entry.path().display()))?;
        }
    }
    Ok(())
}

/// The host's target triple (cc asks it to pick the compiler).
fn host_triple() -> String {
    let output = Command::new(std::env::var("RUSTC").unwrap_or_else(|_| "rustc".into())).arg("-vV").output();
    output
        .ok()
        .and_then(|o| {
            String::from_utf8_lossy(&o.stdout).lines().find_map(|l| l.strip_prefix("host: ").map(String::from))
        })
        .unwrap_or_else(|| "x86_64-unknown-linux-gnu".into())
}

/// The arguments `build` gives the C compiler, as make text: the SDK's
/// folders become `$(UCVISOR_SDK)/...`, the kernel's `$(UCOS_II_DIR)`, the
/// configuration folder `$(1)` and `-Os` `-O$(2)` (the arguments of the make
/// function the fragment defines). A path of this checkout left over is an
/// error: the export must not refer to it.
fn make_flags(build: &cc::Build) -> Result<String, String> {
    let compiler = build.try_get_compiler().map_err(|e| format!("asking cc for the guest's flags: {e}"))?;
    let sdk_include = crate::guest::sdk_include_dir();
    let replacements = [
        (CONFIG_MARK.to_owned(), "$(1)".to_owned()),
        (port::INCLUDE_DIR.to_owned(), "$(UCVISOR_SDK)/port/include".to_owned()),
        (sdk_include.display().to_string(), "$(UCVISOR_SDK)/include".to_owned()),
        (ucos_ii_c::KernelSource::Bundled.source_dir().display().to_string(), "$(UCOS_II_DIR)".to_owned()),
    ];
    let root = crate::sdk_root().display().to_string();
    let mut words = Vec::new();
    for argument in compiler.args() {
        let mut text = argument.to_string_lossy().into_owned();
        if text == "-Os" {
            text = "-O$(2)".into();
        }
        for (from, to) in &replacements {
            text = text.replace(from, to);
        }
        if text.contains(&root) || text.contains(char::is_whitespace) {
            return Err(format!("the guest's compiler flag `{text}` names this checkout or has a space"));
        }
        words.push(text);
    }
    Ok(words.join(" "))
}

/// `ucvisor.mk`: the flags of [`GuestBuild::c_build`] and
/// [`ucos_ii_c::KernelBuild::cc_build`] for each float ABI, made text by
/// [`make_flags`], and the static rest ([`MAKEFILE_TEMPLATE`]).
fn makefile_fragment() -> Result<String, String> {
    let host = host_triple();
    let mut flags = String::new();
    for (abi, hard) in [("soft", false), ("hard", true)] {
        let guest = GuestBuild::new("guest", CONFIG_MARK).opt_level("s").hard_float(hard);
        let mut kernel = guest.kernel_build();
        kernel.source(ucos_ii_c::KernelSource::Bundled);
        let mut application = guest.c_build(&kernel);
        application.target(TARGET).host(&host);
        let mut kernel_cc = kernel.cc_build(TARGET);
        // As in the cargo flow's build scripts, whose profiles keep debug
        // information (cc then adds `-g -fno-omit-frame-pointer`).
        kernel_cc.target(TARGET).host(&host).debug(true).cargo_metadata(false);
        flags.push_str(&format!("ucvisor_cflags_{abi} = {}\n", make_flags(&application)?));
        flags.push_str(&format!("ucvisor_kernel_cflags_{abi} = {}\n", make_flags(&kernel_cc)?));
    }
    let list = |files: &[&str]| files.iter().map(|f| f.trim_end_matches(".c")).collect::<Vec<_>>().join(" ");
    Ok(MAKEFILE_TEMPLATE
        .replace("@FLAGS@", flags.trim_end())
        .replace("@BUNDLED@", &list(ucos_ii_c::BUNDLED_SOURCES))
        .replace("@ORIGINAL@", &list(ucos_ii_c::ORIGINAL_SOURCES))
        .replace("@PORT@", &list(&port::C_SOURCES.map(|p| p.rsplit('/').next().unwrap_or(p)))))
}

/// The makefile fragment; `@FLAGS@`, `@BUNDLED@`, `@ORIGINAL@` and `@PORT@`
/// are filled in by [`makefile_fragment`].
const MAKEFILE_TEMPLATE: &str = r#"# ucvisor.mk: the ucvisor SDK for make (written by `cargo xtask sdk`; do not edit).
#
#   include $(UCVISOR_SDK)/ucvisor.mk
#   NAME_CONFIG  := folder     # os_cfg.h and app_cfg.h (default: .)
#   NAME_SOURCES := a.c b.S    # the application's sources, below the Makefile's folder
#   NAME_FLOAT   := soft       # soft (default) or hard; NAME_OPT := s (default), 0..3, g
#   NAME_CFLAGS, NAME_LIBRARIES (vendor .a), NAME_WRAP (symbols to --wrap)
#   $(eval $(call ucvisor_guest,NAME))
#
# (guest NAME of the system description $(UCVISOR_SYSTEM), default
# system.toml, which gives its link address) gives $(UCVISOR_BUILD)/NAME.elf (objects in $(UCVISOR_BUILD)/NAME/): the
# application's sources, the port's C and µC/OS-II compiled with NAME's
# os_cfg.h, linked by `ucvisor-image guest` with the guest runtime. Then
# `$(UCVISOR_IMAGE) image system.toml --guest NAME=$(UCVISOR_BUILD)/NAME.elf ... -o IMAGE`
# makes the bootable image, `$(UCVISOR_RUN) IMAGE` boots it in QEMU.
# µC/OS-II: the bundled sources, or the original's checkout (with Source/) in
# UCOS_II_SRC (environment or make variable).

UCVISOR_SDK := $(patsubst %/,%,$(dir $(abspath $(lastword $(MAKEFILE_LIST)))))
UCVISOR_CC ?= arm-none-eabi-gcc
UCVISOR_AR ?= arm-none-eabi-ar
UCVISOR_BUILD ?= build
UCVISOR_SYSTEM ?= system.toml
UCVISOR_IMAGE := $(UCVISOR_SDK)/bin/ucvisor-image
UCVISOR_RUN := $(UCVISOR_SDK)/bin/qemu-run
UCVISOR_RUNTIME := $(UCVISOR_SDK)/lib/libucvisor_guest.a

UCOS_II_SRC ?=
UCOS_II_DIR = $(if $(UCOS_II_SRC),$(UCOS_II_SRC)/Source,$(UCVISOR_SDK)/ucos-ii-c)
UCOS_II_NAMES = $(if $(UCOS_II_SRC),@ORIGINAL@,@BUNDLED@)
UCVISOR_PORT_NAMES := @PORT@

# The cargo flow's flags (xtask::GuestBuild): $(call ucvisor_cflags_ABI,CONFIG,OPT)
# for the application and the port, ucvisor_kernel_cflags_ABI for µC/OS-II
# (-Werror for the bundled kernel only: the original may warn).
@FLAGS@
ucvisor_kernel_flags = $(if $(UCOS_II_SRC),$(filter-out -Werror,$(call ucvisor_kernel_cflags_$(1),$(2),$(3))),$(call ucvisor_kernel_cflags_$(1),$(2),$(3)))

UCVISOR_GUEST_ELFS :=

define ucvisor_guest
ucvisor_goal_before := $$(.DEFAULT_GOAL)
$(1)_CONFIG ?= .
$(1)_FLOAT ?= soft
$(1)_OPT ?= s
$(1)_DIR := $$(UCVISOR_BUILD)/$(1)
$(1)_APP_OBJS := $$(addprefix $$($(1)_DIR)/app/,$$(addsuffix .o,$$(basename $$($(1)_SOURCES))))
$(1)_PORT_OBJS := $$(patsubst %,$$($(1)_DIR)/port/%.o,$$(UCVISOR_PORT_NAMES))
$(1)_KERNEL_OBJS := $$(patsubst %,$$($(1)_DIR)/ucos/%.o,$$(UCOS_II_NAMES))
$(1)_APP_FLAGS = $$(call ucvisor_cflags_$$($(1)_FLOAT),$$($(1)_CONFIG),$$($(1)_OPT))
$(1)_KERNEL_FLAGS = $$(call ucvisor_kernel_flags,$$($(1)_FLOAT),$$($(1)_CONFIG),$$($(1)_OPT))

$$($(1)_DIR)/app/%.o: %.c
	@mkdir -p $$(@D)
	$$(UCVISOR_CC) $$($(1)_APP_FLAGS) $$($(1)_CFLAGS) -MMD -MP -c $$< -o $$@
$$($(1)_DIR)/app/%.o: %.S
	@mkdir -p $$(@D)
	$$(UCVISOR_CC) $$($(1)_APP_FLAGS) $$($(1)_CFLAGS) -MMD -MP -c $$< -o $$@
$$($(1)_DIR)/app/%.o: %.s
	@mkdir -p $$(@D)
	$$(UCVISOR_CC) $$($(1)_APP_FLAGS) $$($(1)_CFLAGS) -c $$< -o $$@
$$($(1)_DIR)/port/%.o: $$(UCVISOR_SDK)/port/src/%.c
	@mkdir -p $$(@D)
	$$(UCVISOR_CC) $$($(1)_APP_FLAGS) -MMD -MP -c $$< -o $$@
$$($(1)_DIR)/ucos/%.o: $$(UCOS_II_DIR)/%.c
	@mkdir -p $$(@D)
	$$(UCVISOR_CC) $$($(1)_KERNEL_FLAGS) -MMD -MP -c $$< -o $$@
$$($(1)_DIR)/libucos_ii.a: $$($(1)_KERNEL_OBJS)
	@rm -f $$@
	$$(UCVISOR_AR) rcs $$@ $$^

$$(UCVISOR_BUILD)/$(1).elf: $$($(1)_APP_OBJS) $$($(1)_PORT_OBJS) $$($(1)_DIR)/libucos_ii.a $$($(1)_LIBRARIES) $$(UCVISOR_RUNTIME) $$(UCVISOR_SYSTEM)
	$$(UCVISOR_IMAGE) guest $(1) --system $$(UCVISOR_SYSTEM) --config $$($(1)_CONFIG) --float $$($(1)_FLOAT) \
	    --kernel $$($(1)_DIR)/libucos_ii.a --work $$($(1)_DIR)/link \
	    $$(addprefix --library ,$$($(1)_LIBRARIES)) $$(addprefix --wrap ,$$($(1)_WRAP)) \
	    -o $$@ $$($(1)_APP_OBJS) $$($(1)_PORT_OBJS)

UCVISOR_GUEST_ELFS += $$(UCVISOR_BUILD)/$(1).elf
-include $$($(1)_APP_OBJS:.o=.d) $$($(1)_PORT_OBJS:.o=.d) $$($(1)_KERNEL_OBJS:.o=.d)
# The Makefile's first target stays the default goal.
.DEFAULT_GOAL := $$(ucvisor_goal_before)
endef
"#;

/// The exported folder's README.
const README: &str = "# ucvisor SDK for make (written by `cargo xtask sdk`)\n\n\
`ucvisor.mk` says how to use it; the ucvisor repository's `doc/porting.md`,\n\
\"A plain make flow\", walks through an application. `bin/ucvisor-image`\n\
links guests and images (run it without arguments for its usage),\n\
`bin/qemu-run IMAGE` boots an image in QEMU.\n";

/// The host tool's usage text.
pub const HOST_TOOL_USAGE: &str = "usage:
  ucvisor-image guest NAME --system SYSTEM.toml --config DIR --kernel LIBUCOS.a -o GUEST.elf
                [--float soft|hard] [--library LIB.a]... [--wrap SYMBOL]... [--work DIR] OBJECT...
      link a guest: the objects (the application's and the port's C), the
      µC/OS-II archive and vendor libraries with newlib, libgcc and the guest
      runtime (the cargo flow's partial link, checks and linker script), at
      the link address the description gives guest NAME
  ucvisor-image image SYSTEM.toml --guest NAME=GUEST.elf... -o IMAGE.elf [--work DIR]
      check the system description and link the bootable image: the prebuilt
      kernel, root server and driver domain, the `system` module and the guests
  ucvisor-image debug SYSTEM.toml IMAGE.elf [--port N] [--work DIR] [-- GDB ARGUMENTS]
      boot the image paused under QEMU's gdbstub and attach gdb-multiarch with
      the symbols of the kernel and of every program (doc/porting.md, \"Debugging\")";

/// The SDK folder of the running host tool: `DIR` of `DIR/bin/ucvisor-image`.
fn exported_sdk() -> Result<PathBuf, String> {
    let exe = std::env::current_exe().map_err(|e| format!("finding the SDK folder: {e}"))?;
    let dir = exe.parent().and_then(Path::parent).map(Path::to_path_buf).unwrap_or_default();
    if dir.join(MARKER).is_file() {
        Ok(dir)
    } else {
        Err(format!("{} is not in the bin/ folder of an SDK exported by `cargo xtask sdk`", exe.display()))
    }
}

/// The host tool (`DIR/bin/ucvisor-image ARGS`): [`HOST_TOOL_USAGE`].
/// Returns the message of what failed.
pub fn host_tool(arguments: &[String]) -> Result<(), String> {
    match arguments.first().map(String::as_str) {
        Some("guest") => link_guest(&exported_sdk()?, &arguments[1..]),
        Some("image") => link_image(&exported_sdk()?, &arguments[1..]).map(|_| ()),
        Some("debug") => debug_image(&exported_sdk()?, &arguments[1..]),
        _ => Err(HOST_TOOL_USAGE.into()),
    }
}

/// Command-line options with a value: (`key` of `--key`, value), in order.
type Options = Vec<(String, String)>;

/// Splits `arguments` into options with a value (`--key value`) and the
/// rest, checking that every option is one of `known`.
fn options(arguments: &[String], known: &[&str]) -> Result<(Options, Vec<String>), String> {
    let mut pairs = Vec::new();
    let mut rest = Vec::new();
    let mut iter = arguments.iter();
    while let Some(argument) = iter.next() {
        if argument.starts_with('-') && argument.len() > 1 {
            let key = argument.trim_start_matches('-');
            if !known.contains(&key) {
                return Err(format!("unknown option `{argument}`\n{HOST_TOOL_USAGE}"));
            }
            let value = iter.next().ok_or_else(|| format!("option `{argument}` needs a value"))?;
            pairs.push((key.to_owned(), value.clone()));
        } else {
            rest.push(argument.clone());
        }
    }
    Ok((pairs, rest))
}

fn one<'a>(pairs: &'a [(String, String)], key: &str) -> Result<Option<&'a str>, String> {
    let mut values = pairs.iter().filter(|(k, _)| k == key).map(|(_, v)| v.as_str());
    let first = values.next();
    if values.next().is_some() {
        return Err(format!("option `--{key}` is given twice"));
    }
    Ok(first)
}

fn required<'a>(pairs: &'a [(String, String)], key: &str) -> Result<&'a str, String> {
    one(pairs, key)?.ok_or_else(|| format!("option `--{key}` is required\n{HOST_TOOL_USAGE}"))
}

/// `ucvisor-image guest`: [`GuestBuild::link_objects`] with the SDK's
/// runtime and linker script.
fn link_guest(sdk: &Path, arguments: &[String]) -> Result<(), String> {
    let (pairs, rest) = options(arguments, &["system", "config", "kernel", "o", "float", "library", "wrap", "work"])?;
    let [name, objects @ ..] = rest.as_slice() else { return Err(HOST_TOOL_USAGE.into()) };
    if objects.is_empty() {
        return Err(format!("guest `{name}`: no object files given"));
    }
    // The guest's link address: the description's, as the cargo flow gives it.
    let description = required(&pairs, "system")?;
    let system = System::load(Path::new(description)).map_err(|e| e.to_string())?;
    let Some(index) = system.guests.iter().position(|g| &g.name == name) else {
        let names: Vec<&str> = system.guests.iter().map(|g| g.name.as_str()).collect();
        return Err(format!("guest `{name}`: {description} has no such guest (its guests: {})", names.join(", ")));
    };
    let address = system.link_addresses()[index];
    let hard_float = match one(&pairs, "float")?.unwrap_or("soft") {
        "soft" => false,
        "hard" => true,
        other => return Err(format!("--float {other}: it is `soft` or `hard`")),
    };
    let elf = PathBuf::from(required(&pairs, "o")?);
    let work = one(&pairs, "work")?.map(PathBuf::from).unwrap_or_else(|| elf.with_extension("link"));
    let mut build =
        GuestBuild::new(name, required(&pairs, "config")?).hard_float(hard_float).work_dir(&work).link_address(address);
    for (key, value) in &pairs {
        match key.as_str() {
            "library" => build = build.library(value),
            "wrap" => build = build.wrap(value),
            _ => {}
        }
    }
    let objects: Vec<PathBuf> = objects.iter().map(PathBuf::from).collect();
    build
        .link_objects(
            &objects,
            Path::new(required(&pairs, "kernel")?),
            &sdk.join("lib/libucvisor_guest.a"),
            &sdk.join("lib/user.ld"),
            &elf,
        )
        .map_err(|error| format!("guest `{name}`: {error}"))
}

/// `ucvisor-image debug SYSTEM.toml IMAGE.elf [--port N] [--work DIR] [-- GDB ARGUMENTS]`:
/// the image `ucvisor-image image` made, booted paused under QEMU's gdbstub
/// with gdb-multiarch and the symbols of the kernel, the SDK's root server
/// and driver domain and the guests (their ELFs `image` copied to its work
/// folder), as `cargo xtask debug` does.
fn debug_image(sdk: &Path, arguments: &[String]) -> Result<(), String> {
    let split = arguments.iter().position(|a| a == "--").unwrap_or(arguments.len());
    let (pairs, rest) = options(&arguments[..split], &["port", "work"])?;
    let [description, image] = rest.as_slice() else { return Err(HOST_TOOL_USAGE.into()) };
    let system = System::load(Path::new(description)).map_err(|e| e.to_string())?;
    let image = PathBuf::from(image);
    let work = one(&pairs, "work")?.map(PathBuf::from).unwrap_or_else(|| image.with_extension("parts"));
    let lib = sdk.join("lib");
    let mut elfs =
        vec![("root_server".to_owned(), lib.join("root_server.elf")), ("drivers".into(), lib.join("drivers.elf"))];
    elfs.extend(system.guests.iter().map(|g| (g.name.clone(), work.join(format!("{}.elf", g.name)))));
    let programs = elfs
        .into_iter()
        .map(|(name, elf)| {
            let link_address = crate::debug::link_address(&elf)?;
            Ok(crate::debug::Program { name, elf, link_address })
        })
        .collect::<Result<_, String>>()?;
    let mut options = crate::debug::Options::default();
    if let Some(port) = one(&pairs, "port")? {
        options.port = Some(port.parse().map_err(|_| format!("--port {port}: not a TCP port"))?);
    }
    options.gdb_arguments = arguments.get(split + 1..).unwrap_or_default().to_vec();
    let status = crate::debug::run(&crate::debug::DebugImage { image, programs }, &options)?;
    if status.success() { Ok(()) } else { Err(format!("gdb ended with {status}")) }
}

/// Keys of a `[[guest]]` that say how to build it: in the make flow the
/// Makefile says that, so the image step refuses a description that sets
/// them (the values it can tell from their defaults).
fn build_keys_set(guest: &crate::Guest) -> Vec<&'static str> {
    let mut keys = Vec::new();
    let checks: [(&str, bool); 7] = [
        ("float", guest.hard_float),
        ("opt_level", guest.opt_level != "s"),
        ("defines", !guest.defines.is_empty()),
        ("flags", !guest.flags.is_empty()),
        ("include", !guest.include.is_empty()),
        ("libraries", !guest.libraries.is_empty()),
        ("sources", !guest.sources.is_empty()),
    ];
    for (key, set) in checks {
        if set {
            keys.push(key);
        }
    }
    keys
}

/// `ucvisor-image image`: checks the description, strips the guests, writes
/// the `system` module and the boot configuration's assembly, and links the
/// image. Returns the image's path.
fn link_image(sdk: &Path, arguments: &[String]) -> Result<PathBuf, String> {
    let (pairs, rest) = options(arguments, &["guest", "o", "work"])?;
    let [description] = rest.as_slice() else { return Err(HOST_TOOL_USAGE.into()) };
    let image = PathBuf::from(required(&pairs, "o")?);
    let work = one(&pairs, "work")?.map(PathBuf::from).unwrap_or_else(|| image.with_extension("parts"));
    let system = System::load(Path::new(description)).map_err(|e| e.to_string())?;
    for (index, guest) in system.guests.iter().enumerate() {
        if let Some(key) = build_keys_set(guest).first() {
            return Err(DescriptionError {
                file: system.file.clone(),
                line: None,
                key: format!("guest[{}].{key}", index + 1),
                problem: format!(
                    "the make flow builds guest `{}` as its Makefile says: set this in the Makefile \
                     (NAME_FLOAT, NAME_OPT, NAME_CFLAGS, NAME_LIBRARIES, NAME_SOURCES), not here",
                    guest.name
                ),
            }
            .to_string());
        }
    }
    let mut given: Vec<(String, PathBuf)> = Vec::new();
    for (key, value) in &pairs {
        if key != "guest" {
            continue;
        }
        let (name, elf) = value.split_once('=').ok_or_else(|| format!("--guest {value}: write NAME=GUEST.elf"))?;
        if given.iter().any(|(n, _)| n == name) {
            return Err(format!("--guest {name}: given twice"));
        }
        if !system.guests.iter().any(|g| g.name == name) {
            let names: Vec<&str> = system.guests.iter().map(|g| g.name.as_str()).collect();
            return Err(format!(
                "--guest {name}: {} has no guest `{name}` (its guests: {})",
                description,
                names.join(", ")
            ));
        }
        given.push((name.to_owned(), PathBuf::from(elf)));
    }
    let count = system.guests.len() + 2;
    if count > paravirt_api::PV_MAX_BOOT_MODULES as usize {
        return Err(BuildError::TooManyModules { description: system.file.clone(), count }.to_string());
    }
    let mut elfs = Vec::new();
    for guest in &system.guests {
        let (_, elf) = given.iter().find(|(n, _)| *n == guest.name).ok_or_else(|| {
            format!("{}: guest `{}` has no ELF file: give --guest {}=GUEST.elf", description, guest.name, guest.name)
        })?;
        if !elf.is_file() {
            return Err(format!("--guest {}={}: no such file", guest.name, elf.display()));
        }
        elfs.push(elf.as_path());
    }
    let extents = crate::system::linked_extents(&elfs).map_err(|e| e.to_string())?;
    crate::system::check_layout(&system, &system.link_addresses(), &extents).map_err(|e| e.to_string())?;
    std::fs::create_dir_all(&work).map_err(|e| format!("creating {}: {e}", work.display()))?;
    let lib = sdk.join("lib");
    let mut modules = vec![("drivers".to_owned(), lib.join("drivers"))];
    let config = work.join("system");
    std::fs::write(&config, system.config_bytes()).map_err(|e| format!("writing {}: {e}", config.display()))?;
    modules.push((paravirt_api::PV_SYSTEM_MODULE.to_owned(), config));
    // The ELF files found and checked above, in the guests' order.
    for (guest, elf) in system.guests.iter().zip(&elfs) {
        let stripped = work.join(&guest.name);
        // The image embeds what the cargo flow embeds: the guest stripped but
        // for the symbols the root server reads.
        let _ = std::fs::remove_file(&stripped);
        strip_guest(elf, &stripped).map_err(|e| e.to_string())?;
        modules.push((guest.name.clone(), stripped));
    }
    let assembly = work.join("boot_config.S");
    let text = boot_config_assembly(&system.name, &lib.join("root_server"), &modules)?;
    std::fs::write(&assembly, text).map_err(|e| format!("writing {}: {e}", assembly.display()))?;
    let toolchain = Toolchain::find(false).map_err(|e| e.to_string())?;
    let object = work.join("boot_config.o");
    let tool = |what: &str, command: &mut Command| crate::guest::run_tool(what, command).map_err(|e| e.to_string());
    tool(
        "assembling the boot configuration",
        Command::new(&toolchain.cc)
            .args(crate::guest_target_flags(false))
            .arg("-c")
            .arg(&assembly)
            .arg("-o")
            .arg(&object),
    )?;
    let linked = image.with_extension("linking");
    tool(
        "linking the image",
        Command::new(&toolchain.ld)
            .arg("--gc-sections")
            .arg(format!("-T{}", lib.join("kernel.ld").display()))
            .arg("-o")
            .arg(&linked)
            .arg(lib.join("kernel.o"))
            .arg(&object),
    )?;
    std::fs::rename(&linked, &image).map_err(|e| format!("renaming to {}: {e}", image.display()))?;
    // The guests' ELFs with their symbols beside the image, for debuggers.
    for (name, elf) in &given {
        let _ = link_or_copy(elf, &work.join(format!("{name}.elf")));
    }
    Ok(image)
}

/// The assembly of an image's `ucvisor_boot::BootConfig`: the symbol
/// `UCVISOR_BOOT_CONFIG` with the layout rustc gives the struct on the
/// 32-bit target (checked on the host by a test of this module: every field
/// a pointer-sized word, a `&str`/`&[u8]` its data then its length, a `None`
/// function pointer 0, each module a `(&str, &[u8])` of four words), the
/// root task's and modules' bytes included with `.incbin`.
pub fn boot_config_assembly(name: &str, root_task: &Path, modules: &[(String, PathBuf)]) -> Result<String, String> {
    let quoted = |path: &Path| -> Result<String, String> {
        let text = path.to_str().ok_or_else(|| format!("{} is not UTF-8", path.display()))?;
        if text.contains(['"', '\\', '\n']) {
            return Err(format!("{text}: the path may not hold quotes, backslashes or line breaks"));
        }
        Ok(format!("\"{text}\""))
    };
    let string = |text: &str| -> String { text.bytes().map(|b| b.to_string()).collect::<Vec<_>>().join(", ") };
    let mut out = String::from(
        "/* Generated by ucvisor-image: the image's boot configuration (ucvisor_boot::BootConfig). */\n\
         \t.section .rodata.ucvisor_boot_config, \"a\"\n\t.balign 4\n\t.global UCVISOR_BOOT_CONFIG\n\
         \t.type UCVISOR_BOOT_CONFIG, %object\nUCVISOR_BOOT_CONFIG:\n",
    );
    out.push_str(&format!("\t.word ucvisor_name, {}\t/* name: &str */\n", name.len()));
    out.push_str("\t.word 0\t/* boot_hook: None */\n");
    out.push_str(
        "\t.word ucvisor_root_task, ucvisor_root_task_end - ucvisor_root_task\t/* root_task: Some(&[u8]) */\n",
    );
    out.push_str(&format!("\t.word ucvisor_modules, {}\t/* modules: &[(&str, &[u8])] */\n", modules.len()));
    out.push_str("\t.size UCVISOR_BOOT_CONFIG, . - UCVISOR_BOOT_CONFIG\nucvisor_modules:\n");
    for (index, (module, _)) in modules.iter().enumerate() {
        out.push_str(&format!(
            "\t.word ucvisor_module_name_{index}, {}, ucvisor_module_{index}, ucvisor_module_{index}_end - ucvisor_module_{index}\n",
            module.len()
        ));
    }
    out.push_str(&format!("ucvisor_name:\n\t.byte {}\n", string(name)));
    for (index, (module, _)) in modules.iter().enumerate() {
        out.push_str(&format!("ucvisor_module_name_{index}:\n\t.byte {}\n", string(module)));
    }
    out.push_str(&format!(
        "\t.balign 4\nucvisor_root_task:\n\t.incbin {}\nucvisor_root_task_end:\n",
        quoted(root_task)?
    ));
    for (index, (_, path)) in modules.iter().enumerate() {
        out.push_str(&format!(
            "\t.balign 4\nucvisor_module_{index}:\n\t.incbin {}\nucvisor_module_{index}_end:\n",
            quoted(path)?
        ));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The assembly's words are the layout rustc gives `BootConfig` and a
    /// module entry: data pointer then length for `&str` and `&[u8]`, 0 for
    /// `None`, the fields in declaration order (`repr(C)`), a tuple's fields
    /// in order. Checked with this rustc on the host (pointer-sized words,
    /// the same layout rules as on the ARM target).
    #[test]
    fn boot_config_words_are_in_the_order_the_assembly_writes_them() {
        static ROOT: [u8; 3] = [1, 2, 3];
        static DATA: [u8; 5] = [0; 5];
        static MODULES: [(&str, &[u8]); 1] = [("drivers", &DATA)];
        let config =
            ucvisor_boot::BootConfig { name: "plant", boot_hook: None, root_task: Some(&ROOT), modules: &MODULES };
        assert_eq!(std::mem::size_of::<ucvisor_boot::BootConfig>(), 7 * std::mem::size_of::<usize>());
        // SAFETY: BootConfig is seven pointer-sized words (asserted above), all initialised.
        let words: [usize; 7] = unsafe { std::mem::transmute_copy(&config) };
        let expected = ["plant".as_ptr() as usize, 5, 0, ROOT.as_ptr() as usize, 3, MODULES.as_ptr() as usize, 1];
        assert_eq!(words[0], config.name.as_ptr() as usize);
        assert_eq!(words[1..], expected[1..]);
        assert_eq!(std::mem::size_of::<(&str, &[u8])>(), 4 * std::mem::size_of::<usize>());
        // SAFETY: the tuple is four pointer-sized words (asserted above).
        let module: [usize; 4] = unsafe { std::mem::transmute_copy(&MODULES[0]) };
        assert_eq!(module, [MODULES[0].0.as_ptr() as usize, 7, DATA.as_ptr() as usize, 5]);
    }

    #[test]
    fn the_assembly_defines_the_symbol_and_includes_each_module() {
        let modules =
            [("drivers".to_owned(), PathBuf::from("/sdk/lib/drivers")), ("hi".to_owned(), PathBuf::from("/w/hi"))];
        let text = boot_config_assembly("demo", Path::new("/sdk/lib/root_server"), &modules).unwrap();
        assert!(text.contains(".global UCVISOR_BOOT_CONFIG"), "{text}");
        assert!(text.contains("\t.word ucvisor_name, 4\t"), "{text}");
        assert!(text.contains("\t.word ucvisor_modules, 2\t"), "{text}");
        assert!(text.contains("ucvisor_name:\n\t.byte 100, 101, 109, 111\n"), "{text}");
        assert!(text.contains(".incbin \"/sdk/lib/root_server\""), "{text}");
        assert!(text.contains("ucvisor_module_1:\n\t.incbin \"/w/hi\"\nucvisor_module_1_end:"), "{text}");
        assert!(boot_config_assembly("demo", Path::new("/a\"b"), &modules).is_err());
    }
}
