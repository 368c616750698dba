// SPDX-License-Identifier: MIT OR Apache-2.0
//! The guest build's checks that need no compiler: finding and checking the
//! application's sources and configuration headers, the option values, and the
//! symbol tables (`nm` output) of libgcc and of the partially linked C.
//! Unit-tested on the host.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::path::{Path, PathBuf};

/// File name extensions of application sources: C (`.c`, and `.C` as older
/// µC/OS-II projects name their C files; compiled as C, not as C++) and
/// assembly (`.S` preprocessed, `.s` not).
pub const SOURCE_EXTENSIONS: &[&str] = &["c", "C", "S", "s"];

/// The configuration headers every guest needs, by their exact names: the
/// kernel includes them in lower case and file names are case-sensitive.
pub const CONFIG_HEADERS: &[&str] = &["os_cfg.h", "app_cfg.h"];

/// Optimisation levels a guest accepts (`-O<level>`).
pub const OPT_LEVELS: &[&str] = &["0", "1", "2", "3", "s", "g"];

/// How a source file is compiled.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SourceKind {
    /// `*.c`.
    C,
    /// `*.C`: C, which gcc would otherwise compile as C++ (by the extension).
    UpperC,
    /// `*.S` (preprocessed) or `*.s` assembly.
    Assembly,
}

/// The kind of `path` by its extension, `None` if it is not a source.
pub fn source_kind(path: &Path) -> Option<SourceKind> {
    match path.extension()?.to_str()? {
        "c" => Some(SourceKind::C),
        "C" => Some(SourceKind::UpperC),
        "S" | "s" => Some(SourceKind::Assembly),
        _ => None,
    }
}

/// Why a guest cannot be built. Every message names the folder or file
/// concerned.
#[derive(Debug, PartialEq, Eq)]
pub enum GuestError {
    /// A folder given to `source_dir` does not exist (or is not a folder).
    SourceDirMissing(PathBuf),
    /// A folder given to `source_dir` holds no source, in no subfolder.
    NoSources(PathBuf),
    /// Neither `source_dir` nor `sources` gave any source.
    EmptySourceList {
        /// The guest's configuration folder.
        config_dir: PathBuf,
    },
    /// A file given to `sources` does not exist.
    MissingSource(PathBuf),
    /// A file given to `sources` has an extension that is not a source's.
    UnsupportedSource(PathBuf),
    /// A folder could not be read.
    Unreadable {
        /// The folder or file.
        path: PathBuf,
        /// What the system said.
        error: String,
    },
    /// `os_cfg.h` or `app_cfg.h` is missing from the configuration folder.
    MissingConfig {
        /// The configuration folder.
        dir: PathBuf,
        /// The header that must be there.
        name: &'static str,
        /// Files whose names differ from it only in case.
        found: Vec<String>,
    },
    /// The configuration folder does not exist.
    ConfigDirMissing(PathBuf),
    /// `opt_level` got a value gcc does not take.
    BadOptLevel(String),
    /// `wrap` got something that is not a C symbol name.
    BadSymbol(String),
    /// The application defines no global `main`.
    NoMain {
        /// Where the application's sources came from.
        origin: String,
        /// `main` is there but `static`.
        is_static: bool,
    },
    /// Symbols the guest runtime needs are missing from the guest's C.
    MissingRuntimeImports {
        /// The missing names.
        names: Vec<String>,
        /// The configuration folder (µC/OS-II services are switched there).
        config_dir: PathBuf,
    },
    /// libgcc helpers the C code references were not linked in: they would
    /// bind to the Rust runtime's compiler-builtins.
    UnresolvedLibgcc(Vec<String>),
    /// `wrap(symbol)` without a `__wrap_<symbol>` in the guest's C.
    MissingWrapper(String),
    /// The guest's C object does not have the float ABI the guest was built
    /// for (`Tag_ABI_VFP_args`).
    FloatAbi {
        /// The object.
        object: PathBuf,
        /// Whether the guest is hard-float.
        hard_float: bool,
    },
    /// Hard-float C that uses the VFP/NEON registers d16-d31.
    Needs32Registers {
        /// The object.
        object: PathBuf,
        /// The attributes that say so.
        attributes: String,
    },
    /// A tool failed (compiler, linker, objcopy, nm).
    Tool(String),
}

impl fmt::Display for GuestError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let kinds = "*.c, *.C, *.S, *.s";
        match self {
            GuestError::SourceDirMissing(dir) => write!(f, "source folder {} does not exist", dir.display()),
            GuestError::NoSources(dir) => {
                write!(f, "no sources ({kinds}) in {} or any folder below it", dir.display())
            }
            GuestError::EmptySourceList { config_dir } => write!(
                f,
                "no application sources for the guest configured in {}: add a folder with source_dir() or files \
                 with sources()",
                config_dir.display()
            ),
            GuestError::MissingSource(file) => write!(f, "source file {} does not exist", file.display()),
            GuestError::UnsupportedSource(file) => {
                write!(f, "{} is not a source file the guest build compiles ({kinds})", file.display())
            }
            GuestError::Unreadable { path, error } => write!(f, "cannot read {}: {error}", path.display()),
            GuestError::ConfigDirMissing(dir) => {
                write!(f, "configuration folder {} does not exist (it must hold os_cfg.h and app_cfg.h)", dir.display())
            }
            GuestError::MissingConfig { dir, name, found } => {
                write!(f, "{} has no {name}", dir.display())?;
                match found.as_slice() {
                    [] => write!(f, " (every guest needs os_cfg.h and app_cfg.h; start from ucos-ii-c/cfg/)"),
                    names => write!(
                        f,
                        "; found {} instead: rename it to {name} (the kernel includes \"{name}\" and file names are \
                         case-sensitive)",
                        names.iter().map(|n| format!("`{n}`")).collect::<Vec<_>>().join(" and ")
                    ),
                }
            }
            GuestError::BadOptLevel(level) => {
                write!(f, "optimisation level `{level}` is not one of {}", OPT_LEVELS.join(", "))
            }
            GuestError::BadSymbol(name) => write!(f, "wrap(\"{name}\"): not a C symbol name"),
            GuestError::NoMain { origin, is_static } if *is_static => write!(
                f,
                "`main` in the application's sources ({origin}) is static: the guest runtime calls \
                 `int main(void)`, which must be global"
            ),
            GuestError::NoMain { origin, .. } => write!(
                f,
                "no `main` function in the application's sources ({origin}): the guest runtime calls \
                 `int main(void)`"
            ),
            GuestError::MissingRuntimeImports { names, config_dir } => write!(
                f,
                "the guest runtime needs {} from the µC/OS-II kernel, which the configuration in {} leaves out \
                 (OS_SEM_EN must be 1 in os_cfg.h)",
                names.join(", "),
                config_dir.display()
            ),
            GuestError::UnresolvedLibgcc(names) => write!(
                f,
                "libgcc helpers referenced by the guest's C stayed undefined after the partial link: {} (they would \
                 bind to the Rust runtime's compiler-builtins)",
                names.join(", ")
            ),
            GuestError::MissingWrapper(symbol) => write!(
                f,
                "wrap(\"{symbol}\") needs a definition of __wrap_{symbol} in the guest's C (calls to {symbol} from \
                 the guest's C go there; __real_{symbol} is the original)"
            ),
            GuestError::FloatAbi { object, hard_float: true } => write!(
                f,
                "{} does not pass floating-point arguments in VFP registers (no `Tag_ABI_VFP_args: VFP registers`) \
                 although the guest is hard-float",
                object.display()
            ),
            GuestError::FloatAbi { object, hard_float: false } => write!(
                f,
                "{} passes floating-point arguments in VFP registers although the guest is soft-float: build vendor \
                 code with xtask::guest_target_flags(false)",
                object.display()
            ),
            GuestError::Needs32Registers { object, attributes } => write!(
                f,
                "{} uses the VFP/NEON registers d16-d31 ({attributes}): hard-float guests are built for vfpv3-d16 \
                 (d0-d15, what the kernel saves); build vendor code with xtask::guest_target_flags(true)",
                object.display()
            ),
            GuestError::Tool(message) => f.write_str(message),
        }
    }
}

impl std::error::Error for GuestError {}

/// Every source below `dir` (subfolders included), in a deterministic order:
/// each folder's entries sorted by name, a subfolder's files where the
/// subfolder sorts. An error if `dir` does not exist or holds no source.
pub fn source_files(dir: &Path) -> Result<Vec<PathBuf>, GuestError> {
    if !dir.is_dir() {
        return Err(GuestError::SourceDirMissing(dir.to_path_buf()));
    }
    let mut files = Vec::new();
    for entry in walkdir::WalkDir::new(dir).follow_links(true).sort_by_file_name() {
        let entry = entry.map_err(|error| GuestError::Unreadable {
            path: error.path().unwrap_or(dir).to_path_buf(),
            error: error.to_string(),
        })?;
        if entry.file_type().is_file() && source_kind(entry.path()).is_some() {
            files.push(entry.into_path());
        }
    }
    if files.is_empty() {
        return Err(GuestError::NoSources(dir.to_path_buf()));
    }
    Ok(files)
}

/// Checks files listed one by one: each exists and is a source. Returns them
/// without duplicates (first occurrence kept), as the same file compiled twice
/// would define everything twice.
pub fn check_sources(files: &[PathBuf], config_dir: &Path) -> Result<Vec<PathBuf>, GuestError> {
    let mut seen = BTreeSet::new();
    let mut unique = Vec::new();
    for file in files {
        if !file.is_file() {
            return Err(GuestError::MissingSource(file.clone()));
        }
        if source_kind(file).is_none() {
            return Err(GuestError::UnsupportedSource(file.clone()));
        }
        let key = file.canonicalize().unwrap_or_else(|_| file.clone());
        if seen.insert(key) {
            unique.push(file.clone());
        }
    }
    if unique.is_empty() {
        return Err(GuestError::EmptySourceList { config_dir: config_dir.to_path_buf() });
    }
    Ok(unique)
}

/// Checks that `dir` holds `os_cfg.h` and `app_cfg.h` under exactly those
/// names. Compares the names in the folder listing, not `exists()`, which is
/// true for `OS_CFG.H` too on a case-insensitive file system.
pub fn check_config_dir(dir: &Path) -> Result<(), GuestError> {
    if !dir.is_dir() {
        return Err(GuestError::ConfigDirMissing(dir.to_path_buf()));
    }
    let entries = std::fs::read_dir(dir)
        .map_err(|error| GuestError::Unreadable { path: dir.to_path_buf(), error: error.to_string() })?;
    let mut names: Vec<String> =
        entries.filter_map(|e| e.ok()).map(|e| e.file_name().to_string_lossy().into()).collect();
    names.sort();
    for &name in CONFIG_HEADERS {
        if names.iter().any(|n| n == name) {
            continue;
        }
        let found = names.iter().filter(|n| n.eq_ignore_ascii_case(name)).cloned().collect();
        return Err(GuestError::MissingConfig { dir: dir.to_path_buf(), name, found });
    }
    Ok(())
}

/// Checks an optimisation level for `-O<level>`.
pub fn check_opt_level(level: &str) -> Result<(), GuestError> {
    if OPT_LEVELS.contains(&level) { Ok(()) } else { Err(GuestError::BadOptLevel(level.into())) }
}

/// Checks that `name` is a C identifier (what `--wrap` can usefully take).
pub fn check_symbol_name(name: &str) -> Result<(), GuestError> {
    let mut chars = name.chars();
    let first_ok = chars.next().is_some_and(|c| c == '_' || c.is_ascii_alphabetic());
    if first_ok && chars.all(|c| c == '_' || c.is_ascii_alphanumeric()) {
        Ok(())
    } else {
        Err(GuestError::BadSymbol(name.into()))
    }
}

/// A symbol table as `nm` prints it.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Symbols {
    /// Defined symbols and their `nm` type letter (`T` global text, `t` local, `W` weak, ...).
    pub defined: BTreeMap<String, char>,
    /// Undefined symbols (`U`, and weak undefined `w`/`v`).
    pub undefined: BTreeSet<String>,
}

impl Symbols {
    /// Parses `nm` output: `VALUE TYPE NAME` for defined symbols, `TYPE NAME`
    /// for undefined ones; archive member headers (`name.o:`) and blank lines
    /// are skipped. A name both defined and undefined (two archive members)
    /// counts as defined.
    pub fn parse(nm_output: &str) -> Self {
        let mut symbols = Symbols::default();
        for line in nm_output.lines() {
            let fields: Vec<&str> = line.split_whitespace().collect();
            let (kind, name) = match fields.as_slice() {
                [_, kind, name] => (*kind, *name),
                [kind, name] => (*kind, *name),
                _ => continue,
            };
            let Some(letter) = kind.chars().next().filter(|_| kind.len() == 1) else { continue };
            if matches!(letter, 'U' | 'w' | 'v') && fields.len() == 2 {
                symbols.undefined.insert(name.into());
            } else {
                symbols.defined.insert(name.into(), letter);
            }
        }
        let defined = &symbols.defined;
        symbols.undefined.retain(|name| !defined.contains_key(name));
        symbols
    }

    /// Whether `name` is defined and global (upper-case `nm` letter).
    pub fn is_global(&self, name: &str) -> bool {
        self.defined.get(name).is_some_and(|kind| kind.is_ascii_uppercase())
    }
}

/// What the partial link of a guest's C must provide.
pub struct PartialLinkNeeds<'a> {
    /// Where the application's sources came from, for messages.
    pub origin: &'a str,
    /// The configuration folder, for messages.
    pub config_dir: &'a Path,
    /// Kernel symbols the runtime uses (global definitions needed).
    pub kernel: &'a [&'a str],
    /// Application symbols the runtime uses (`main`, the port's C).
    pub application: &'a [&'a str],
    /// Every symbol libgcc defines.
    pub libgcc: &'a BTreeSet<String>,
    /// Symbols given to `wrap`.
    pub wrapped: &'a [String],
}

/// Checks the symbol table of the partially linked, localized C object: `main`
/// and every other symbol the runtime needs is defined and global, no libgcc
/// helper is left undefined, and every wrapped symbol has its `__wrap_`
/// definition.
pub fn check_partial_link(symbols: &Symbols, needs: &PartialLinkNeeds<'_>) -> Result<(), GuestError> {
    if !symbols.is_global("main") {
        return Err(GuestError::NoMain {
            origin: needs.origin.into(),
            is_static: symbols.defined.contains_key("main"),
        });
    }
    let missing: Vec<String> =
        needs.application.iter().chain(needs.kernel).filter(|n| !symbols.is_global(n)).map(|n| n.to_string()).collect();
    if !missing.is_empty() {
        return Err(GuestError::MissingRuntimeImports { names: missing, config_dir: needs.config_dir.into() });
    }
    let unresolved: Vec<String> = symbols.undefined.intersection(needs.libgcc).cloned().collect();
    if !unresolved.is_empty() {
        return Err(GuestError::UnresolvedLibgcc(unresolved));
    }
    for symbol in needs.wrapped {
        if !symbols.defined.contains_key(&format!("__wrap_{symbol}")) {
            return Err(GuestError::MissingWrapper(symbol.clone()));
        }
    }
    Ok(())
}

/// The build attributes `readelf -A` prints (`Tag_FP_arch` -> `VFPv3-D16`, ...).
pub fn parse_attributes(readelf_output: &str) -> BTreeMap<String, String> {
    readelf_output
        .lines()
        .filter_map(|line| line.trim().split_once(": "))
        .filter(|(tag, _)| tag.starts_with("Tag_"))
        .map(|(tag, value)| (tag.to_owned(), value.trim().to_owned()))
        .collect()
}

/// Checks the float ABI of the guest's C object from its `readelf -A`
/// output: hard-float objects pass VFP arguments in registers and use no more
/// than d0-d15 (no NEON, no D32 VFP); soft-float ones pass none in registers
/// (VFP code with soft-float arguments, `-mfloat-abi=softfp`, is left alone).
pub fn check_float_abi(readelf_output: &str, hard_float: bool, object: &Path) -> Result<(), GuestError> {
    let attributes = parse_attributes(readelf_output);
    let vfp_args = attributes.get("Tag_ABI_VFP_args").is_some_and(|v| v == "VFP registers");
    if vfp_args != hard_float {
        return Err(GuestError::FloatAbi { object: object.into(), hard_float });
    }
    if !hard_float {
        return Ok(());
    }
    let fp_arch = attributes.get("Tag_FP_arch").map(String::as_str).unwrap_or("");
    // VFPv3/VFPv4 without "-D16" and the ARMv8 FP have 32 double registers;
    // VFPv2 and the -D16 variants have 16.
    let d32 = !fp_arch.is_empty() && !fp_arch.ends_with("-D16") && fp_arch != "VFPv2" && fp_arch != "VFPv1";
    if let Some(simd) = attributes.get("Tag_Advanced_SIMD_arch") {
        return Err(GuestError::Needs32Registers {
            object: object.into(),
            attributes: format!("Tag_FP_arch: {fp_arch}, Tag_Advanced_SIMD_arch: {simd}"),
        });
    }
    if d32 {
        return Err(GuestError::Needs32Registers {
            object: object.into(),
            attributes: format!("Tag_FP_arch: {fp_arch}"),
        });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::fs;

    /// A fresh folder under the system's temporary directory.
    fn scratch(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("xtask-guest-{}-{name}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(&dir).unwrap();
        dir
    }

    fn touch(dir: &Path, relative: &str) -> PathBuf {
        let path = dir.join(relative);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(&path, "").unwrap();
        path
    }

    #[test]
    fn sources_are_found_recursively_in_a_fixed_order() {
        let dir = scratch("tree");
        for file in ["main.c", "b/z.C", "b/a.S", "a/start.s", "notes.txt", "cfg/os_cfg.h", "b/c/deep.c"] {
            touch(&dir, file);
        }
        let found: Vec<String> = source_files(&dir)
            .unwrap()
            .iter()
            .map(|p| p.strip_prefix(&dir).unwrap().to_string_lossy().into_owned())
            .collect();
        assert_eq!(found, ["a/start.s", "b/a.S", "b/c/deep.c", "b/z.C", "main.c"]);
    }

    #[test]
    fn a_folder_without_sources_is_an_error_naming_it() {
        let dir = scratch("empty");
        touch(&dir, "README.md");
        let error = source_files(&dir).unwrap_err();
        assert_eq!(error, GuestError::NoSources(dir.clone()));
        assert!(error.to_string().contains(&dir.display().to_string()), "{error}");
        let missing = dir.join("nowhere");
        assert!(source_files(&missing).unwrap_err().to_string().contains("nowhere"));
    }

    #[test]
    fn listed_sources_must_exist_and_be_sources() {
        let dir = scratch("listed");
        let main = touch(&dir, "main.c");
        let text = touch(&dir, "notes.txt");
        let ghost = dir.join("ghost.c");
        let error = check_sources(&[main.clone(), ghost.clone()], &dir).unwrap_err();
        assert_eq!(error, GuestError::MissingSource(ghost.clone()));
        assert!(error.to_string().contains("ghost.c does not exist"), "{error}");
        assert_eq!(check_sources(std::slice::from_ref(&text), &dir).unwrap_err(), GuestError::UnsupportedSource(text));
        let empty = check_sources(&[], &dir).unwrap_err();
        assert!(empty.to_string().contains(&dir.display().to_string()), "{empty}");
        assert_eq!(check_sources(&[main.clone(), main.clone()], &dir).unwrap(), [main]);
    }

    #[test]
    fn source_kinds_follow_the_extension_case() {
        assert_eq!(source_kind(Path::new("os_core.C")), Some(SourceKind::UpperC));
        assert_eq!(source_kind(Path::new("main.c")), Some(SourceKind::C));
        assert_eq!(source_kind(Path::new("start.S")), Some(SourceKind::Assembly));
        assert_eq!(source_kind(Path::new("start.s")), Some(SourceKind::Assembly));
        assert_eq!(source_kind(Path::new("main.cpp")), None);
        assert_eq!(source_kind(Path::new("Makefile")), None);
    }

    #[test]
    fn configuration_headers_need_their_exact_names() {
        let dir = scratch("cfg");
        touch(&dir, "os_cfg.h");
        touch(&dir, "app_cfg.h");
        assert_eq!(check_config_dir(&dir), Ok(()));

        let dir = scratch("cfg-upper");
        touch(&dir, "OS_CFG.H");
        touch(&dir, "app_cfg.h");
        let error = check_config_dir(&dir).unwrap_err();
        let message = error.to_string();
        assert!(message.contains("has no os_cfg.h") && message.contains("found `OS_CFG.H`"), "{message}");
        assert!(message.contains(&dir.display().to_string()), "{message}");

        let dir = scratch("cfg-mixed");
        touch(&dir, "os_cfg.h");
        touch(&dir, "app_cfg.H");
        let message = check_config_dir(&dir).unwrap_err().to_string();
        assert!(message.contains("has no app_cfg.h") && message.contains("found `app_cfg.H`"), "{message}");

        let dir = scratch("cfg-none");
        touch(&dir, "app_cfg.h");
        let message = check_config_dir(&dir).unwrap_err().to_string();
        assert!(message.contains("has no os_cfg.h") && !message.contains("found"), "{message}");
        assert!(matches!(check_config_dir(&dir.join("absent")), Err(GuestError::ConfigDirMissing(_))));
    }

    #[test]
    fn option_values_are_checked() {
        for level in OPT_LEVELS {
            assert_eq!(check_opt_level(level), Ok(()));
        }
        assert!(check_opt_level("-O2").unwrap_err().to_string().contains("`-O2`"));
        assert!(check_opt_level("4").is_err());
        assert_eq!(check_symbol_name("OSTaskIdleHook"), Ok(()));
        assert_eq!(check_symbol_name("__aeabi_idiv0"), Ok(()));
        for bad in ["", "1abc", "a-b", "--wrap=x", "a b"] {
            assert!(check_symbol_name(bad).is_err(), "{bad}");
        }
    }

    const NM_OBJECT: &str = "\
00000000 T main
00000010 t helper
         U OSTaskIdleHook
         w __aeabi_unwind_cpp_pr0
00000020 W __aeabi_idiv0
00000000 B counter
         U printf
00000040 T printf
";

    #[test]
    fn nm_output_is_parsed() {
        let symbols = Symbols::parse(NM_OBJECT);
        assert_eq!(symbols.defined.get("main"), Some(&'T'));
        assert_eq!(symbols.defined.get("helper"), Some(&'t'));
        assert_eq!(symbols.defined.get("__aeabi_idiv0"), Some(&'W'));
        assert!(symbols.is_global("main") && !symbols.is_global("helper"));
        let undefined: Vec<&str> = symbols.undefined.iter().map(String::as_str).collect();
        assert_eq!(undefined, ["OSTaskIdleHook", "__aeabi_unwind_cpp_pr0"]);
        // Archive listings have member headers and blank lines.
        let archive = Symbols::parse("\n_udivsi3.o:\n00000000 T __udivsi3\n\n_dvmd_tls.o:\n00000000 W __aeabi_idiv0\n");
        assert_eq!(archive.defined.keys().collect::<Vec<_>>(), ["__aeabi_idiv0", "__udivsi3"]);
    }

    #[test]
    fn float_abi_attributes_are_checked() {
        let object = Path::new("guest-c.o");
        let hard = "Attribute Section: aeabi\nFile Attributes\n  Tag_CPU_arch: v7\n  Tag_FP_arch: VFPv3-D16\n  \
                    Tag_ABI_VFP_args: VFP registers\n";
        assert_eq!(parse_attributes(hard).get("Tag_FP_arch").map(String::as_str), Some("VFPv3-D16"));
        assert_eq!(check_float_abi(hard, true, object), Ok(()));
        let message = check_float_abi(hard, false, object).unwrap_err().to_string();
        assert!(message.contains("guest-c.o") && message.contains("soft-float"), "{message}");

        let soft = "File Attributes\n  Tag_CPU_arch: v7\n  Tag_ABI_FP_denormal: Needed\n";
        assert_eq!(check_float_abi(soft, false, object), Ok(()));
        assert!(matches!(check_float_abi(soft, true, object), Err(GuestError::FloatAbi { hard_float: true, .. })));

        let neon = "  Tag_FP_arch: VFPv3\n  Tag_Advanced_SIMD_arch: NEONv1\n  Tag_ABI_VFP_args: VFP registers\n";
        let message = check_float_abi(neon, true, object).unwrap_err().to_string();
        assert!(message.contains("d16-d31") && message.contains("NEONv1"), "{message}");
        let d32 = "  Tag_FP_arch: VFPv4\n  Tag_ABI_VFP_args: VFP registers\n";
        assert!(matches!(check_float_abi(d32, true, object), Err(GuestError::Needs32Registers { .. })));
        let vfpv4_d16 = "  Tag_FP_arch: VFPv4-D16\n  Tag_ABI_VFP_args: VFP registers\n";
        assert_eq!(check_float_abi(vfpv4_d16, true, object), Ok(()));
    }

    fn needs<'a>(libgcc: &'a BTreeSet<String>, wrapped: &'a [String]) -> PartialLinkNeeds<'a> {
        PartialLinkNeeds {
            origin: "examples/app",
            config_dir: Path::new("examples/app"),
            kernel: &["OSSemPost"],
            application: &["main"],
            libgcc,
            wrapped,
        }
    }

    #[test]
    fn the_partial_link_is_checked() {
        let libgcc: BTreeSet<String> = ["__aeabi_idiv", "__aeabi_ldivmod"].map(String::from).into();
        let good = Symbols::parse("00000000 T main\n00000000 T OSSemPost\n00000000 t __aeabi_idiv\n");
        assert_eq!(check_partial_link(&good, &needs(&libgcc, &[])), Ok(()));

        let no_main = Symbols::parse("00000000 T OSSemPost\n");
        let message = check_partial_link(&no_main, &needs(&libgcc, &[])).unwrap_err().to_string();
        assert!(message.contains("no `main`") && message.contains("examples/app"), "{message}");
        let static_main = Symbols::parse("00000000 t main\n00000000 T OSSemPost\n");
        let message = check_partial_link(&static_main, &needs(&libgcc, &[])).unwrap_err().to_string();
        assert!(message.contains("static"), "{message}");

        let no_semaphores = Symbols::parse("00000000 T main\n");
        let message = check_partial_link(&no_semaphores, &needs(&libgcc, &[])).unwrap_err().to_string();
        assert!(message.contains("OSSemPost") && message.contains("OS_SEM_EN"), "{message}");

        let unresolved = Symbols::parse("00000000 T main\n00000000 T OSSemPost\n         U __aeabi_ldivmod\n");
        let error = check_partial_link(&unresolved, &needs(&libgcc, &[])).unwrap_err();
        assert_eq!(error, GuestError::UnresolvedLibgcc(vec!["__aeabi_ldivmod".into()]));

        let wrapped = ["OSTaskIdleHook".to_string()];
        let message = check_partial_link(&good, &needs(&libgcc, &wrapped)).unwrap_err().to_string();
        assert!(message.contains("__wrap_OSTaskIdleHook"), "{message}");
        let with_wrapper = Symbols::parse("00000000 T main\n00000000 T OSSemPost\n00000000 T __wrap_OSTaskIdleHook\n");
        assert_eq!(check_partial_link(&with_wrapper, &needs(&libgcc, &wrapped)), Ok(()));
    }
}
