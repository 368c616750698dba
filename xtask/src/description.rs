// SPDX-License-Identifier: MIT OR Apache-2.0
//! The system description: one `system.toml` describes an image — its name and
//! its guests, each an application folder with a priority, an amount of RAM, a
//! tick rate, a fault policy and C build options. This module reads it (`toml`
//! and `serde`, every table `deny_unknown_fields`), checks it against the ABI's
//! limits, the board's RAM and the application folders, and turns it into what
//! the image build needs: each guest's [`GuestBuild`] options
//! ([`Guest::apply`]) and the `system` boot module the root server follows
//! ([`System::config_bytes`]).
//!
//! Every problem is a [`DescriptionError`] naming the description file, the
//! line (where toml gives a span), the key and the problem. The first problem
//! found is reported. The user's reference is `doc/system-description.md`.
//!
//! Keys inside a guest are named `guest[N].KEY`, N counting the `[[guest]]`
//! tables from 1 in the order of the file. Messages about toml's own errors
//! (syntax, types, unknown and missing keys) find that name by looking at the
//! table headers above the error's position: a heuristic that only shapes the
//! message, the line number is toml's.

use crate::{GuestBuild, OPT_LEVELS, check_config_dir, source_files, source_kind};
use paravirt_api::{
    PV_GUEST_INTERRUPT_FIRST, PV_GUEST_INTERRUPT_LAST, PV_GUEST_LINK_BASE, PV_GUEST_LINK_STRIDE, PV_GUEST_PRIORITY_MAX,
    PV_GUEST_PRIORITY_MIN, PV_GUEST_THREADS_DEFAULT, PV_GUEST_THREADS_MAX, PV_GUEST_THREADS_MIN, PV_IMAGE_WINDOW_END,
    PV_MAX_GUESTS, PV_MAX_THREADS, PV_NO_GUEST, PV_ON_FAULT_RESTART, PV_ON_FAULT_SHUTDOWN, PV_ON_FAULT_STOP,
    PV_SECTION_SIZE, PV_SYSTEM_MAGIC, PV_SYSTEM_MODULE, PV_SYSTEM_VERSION, PV_TIMER_RATE_MAX, PV_VIRQ_DIRECT,
    PV_VIRQ_PAPER, PvGuestConfig, PvSystemConfig,
};
use serde::Deserialize;
use std::collections::BTreeMap;
use std::fmt;
use std::ops::Range;
use std::path::{Path, PathBuf};
use toml::Spanned;

// ---------------------------------------------------------------------------
// The board's RAM for guests
// ---------------------------------------------------------------------------

/// RAM of the board, MiB: QEMU `virt`'s default (`hypervisor::plat::RAM_SIZE`).
const BOARD_RAM_MIB: u32 = 128;
/// The kernel image, MiB: `kernel.ld` ends it on a 1 MiB boundary. Its own
/// code, data, the translation tables (`MAX_SPACES` × 16 KiB in `.bss`) and
/// its stacks (36 KiB) measured 0.4 MiB; the rest holds the embedded boot
/// modules, stripped (root server 21 KB, drivers 17 KB, guests 60–135 KB each).
const KERNEL_IMAGE_MIB: u32 = 2;
/// The kernel's UTCB pool: one section per address space
/// (`hypervisor::kernel::MAX_SPACES`, taken at boot in `hypervisor/src/runtime.rs`).
const UTCB_POOL_MIB: u32 = 16;
/// The root server: its image (one section), its stack and the boot
/// information page (one section each), as `load_root_task` takes them.
const ROOT_SERVER_MIB: u32 = 3;
/// The boot modules, copied to RAM a whole section each: `drivers`, `system`
/// and one per guest (a stripped guest image is well below 1 MiB), counted for
/// the most guests an image may have. They stay: a restart reloads from them.
const BOOT_MODULES_MIB: u32 = 2 + PV_MAX_GUESTS;
/// The driver domain the root server creates: its image and its stack
/// section (`start_drivers` in `hypervisor/servers/src/bin/root_server.rs`).
const DRIVER_DOMAIN_MIB: u32 = 2;

/// RAM the guests of one image may have in total (the sum of their
/// `memory_kib`), KiB: 97 MiB. QEMU `virt`'s 128 MiB less what is taken before
/// the first guest: the kernel image (2 MiB, with the embedded boot modules),
/// the kernel's UTCB pool (16 MiB), the root server's image, stack and boot
/// information (3 MiB), the boot modules copied to RAM (8 MiB: `drivers`,
/// `system`, up to six guests) and the driver domain (2 MiB).
///
/// Cross-checked against the boot log of the `hello` image before its boot
/// modules were stripped ("102 MiB free for the root"): 128 MiB less a 4 MiB
/// kernel image (the unstripped modules: 2.9 MB), 16 MiB UTCBs, 3 MiB for the
/// root server, 1 MiB for `drivers` and 2 MiB for `hello` (1.2 MB unstripped).
/// With unstripped modules (1.2 MB a guest) each guest costs about 2 MiB more
/// than this budget assumes.
pub const BOARD_GUEST_RAM_KIB: u32 =
    (BOARD_RAM_MIB - KERNEL_IMAGE_MIB - UTCB_POOL_MIB - ROOT_SERVER_MIB - BOOT_MODULES_MIB - DRIVER_DOMAIN_MIB) * 1024;

/// Threads the kernel has for all guests together: its thread slots
/// (`PV_MAX_THREADS`) less the nil thread's slot, the root server's thread and
/// the driver domain's two (v_timer, v_serial). The guests' `threads` must fit
/// in them, so that no guest can find the kernel's thread pool empty because
/// of another (the root server checks the same against the kernel's counters
/// at boot).
pub const BOARD_GUEST_THREADS: u32 = PV_MAX_THREADS - 1 - 1 - 2;

/// Least RAM of a guest, KiB: the root server maps its image (at least one
/// section) and its first thread's stack section, and the guest runtime takes
/// a 2 MiB heap and a 1 MiB stack for the µC/OS-II thread (port/src/runtime.rs):
/// 5 MiB with the smallest image, so 6 MiB leaves room for the image to grow.
pub const GUEST_MEMORY_MIN_KIB: u32 = 6144;
/// Granule of a guest's RAM, KiB: the root server hands out 1 MiB sections.
pub const GUEST_MEMORY_GRANULE_KIB: u32 = 1024;
/// Longest guest or image name, bytes (the ABI's 24-byte fields end with a NUL).
pub const NAME_MAX: usize = 23;
/// Restarts per minute a description may allow a guest.
pub const RESTART_LIMIT_MAX: u32 = 60;
/// Restarts per minute allowed when the description does not say.
pub const RESTART_LIMIT_DEFAULT: u32 = 3;
/// `console_input` value that gives console input to no guest.
pub const NO_CONSOLE_INPUT: &str = "none";
/// Names a guest cannot have, and why: a guest's name is also its boot
/// module's name and its console tag.
pub const RESERVED_NAMES: &[(&str, &str)] = &[
    (NO_CONSOLE_INPUT, "`console_input = \"none\"` means no guest"),
    (PV_SYSTEM_MODULE, "the boot module of the system description has this name"),
    ("drivers", "the driver domain's boot module has this name"),
    ("root", "the root server's console tag"),
    ("kernel", "the kernel's console tag"),
    ("v_timer", "the timer server's console tag"),
    ("v_serial", "the serial server's console tag"),
];

// ---------------------------------------------------------------------------
// The checked description
// ---------------------------------------------------------------------------

/// A checked system description: one image.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct System {
    /// The description file, absolute.
    pub file: PathBuf,
    /// Image name (boot log): `[system] name`, or the description's folder name.
    pub name: String,
    /// Index in `guests` of the guest that receives console input; `None`: no guest.
    pub console_input: Option<usize>,
    /// The guests, in the order of the file (start order).
    pub guests: Vec<Guest>,
}

/// A guest's virtual-interrupt path (`virq`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Virq {
    /// The kernel injects virtual interrupts into the µC/OS-II thread itself
    /// (`PV_SYS_VIRQ_BIND`): no thread switch per tick.
    #[default]
    Direct,
    /// The paper's path: the guest's Interrupt_loop thread takes the device
    /// servers' notifications and injects them with ExchangeRegisters.
    Paper,
}

impl Virq {
    /// The value of `PvGuestConfig::virq`.
    pub fn abi(self) -> u32 {
        match self {
            Virq::Direct => PV_VIRQ_DIRECT,
            Virq::Paper => PV_VIRQ_PAPER,
        }
    }
}

/// What a guest does when it faults (`on_fault`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum OnFault {
    /// Leave it stopped and reported; the other guests keep running.
    #[default]
    Stop,
    /// Reload it from its image into a fresh domain and start it again.
    Restart,
    /// End the whole system with a failure exit code.
    Shutdown,
}

impl OnFault {
    /// The ABI's `PV_ON_FAULT_*` value.
    pub fn abi(self) -> u32 {
        match self {
            OnFault::Stop => PV_ON_FAULT_STOP,
            OnFault::Restart => PV_ON_FAULT_RESTART,
            OnFault::Shutdown => PV_ON_FAULT_SHUTDOWN,
        }
    }
}

/// One checked guest.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Guest {
    /// Identity, console tag, boot module name: 1..=23 of `[A-Za-z0-9_-]`.
    pub name: String,
    /// The application folder (sources, `os_cfg.h`, `app_cfg.h`), absolute.
    pub path: PathBuf,
    /// Priority of the guest's µC/OS-II thread (its Interrupt_loop runs one above).
    pub priority: u32,
    /// RAM for the guest (code, data, heap, stacks), KiB.
    pub memory_kib: u32,
    /// Fault policy.
    pub on_fault: OnFault,
    /// Restarts per minute before a restarting guest is stopped.
    pub restart_limit: u32,
    /// Tick rate, Hz: `tick_hz`, or a literal `OS_TICKS_PER_SEC` of `os_cfg.h`;
    /// `None` when neither says (the runtime uses the compiled value).
    pub tick_hz: Option<u32>,
    /// Threads the guest may have at once (`threads`), its Interrupt_loop and
    /// µC/OS-II thread included.
    pub threads: u32,
    /// The virtual-interrupt path (`virq`): kernel-direct (the default) or the paper's.
    pub virq: Virq,
    /// Hard-float ABI (`float = "hard"`).
    pub hard_float: bool,
    /// Optimisation level, one of [`OPT_LEVELS`].
    pub opt_level: String,
    /// C defines: (macro, value); `None` defines the macro without a value.
    pub defines: Vec<(String, Option<String>)>,
    /// Extra compiler flags for the application's sources.
    pub flags: Vec<String>,
    /// Include folders, absolute.
    pub include: Vec<PathBuf>,
    /// Static libraries to link (`.a` files, or folders of sources to
    /// archive first), absolute.
    pub libraries: Vec<PathBuf>,
    /// Source files, absolute; empty: every source below `path`.
    pub sources: Vec<PathBuf>,
    /// Interrupt lines (INTIDs) the guest may associate with its threads
    /// (`interrupts = [..]`): shared peripheral interrupts only, none a device
    /// server owns; ascending, no duplicates.
    pub interrupts: Vec<u32>,
    /// C libraries from packages of the Rust registry (`[[guest.packages]]`).
    pub packages: Vec<Package>,
    /// Link address the description gives (`link_address`): section
    /// aligned, from `PV_GUEST_LINK_BASE`, below `PV_IMAGE_WINDOW_END`, no
    /// other guest's. `None`: the build assigns one
    /// ([`System::link_addresses`]).
    pub link_address: Option<u32>,
}

/// A C library whose sources a package of the Rust registry ships
/// (`[[guest.packages]]`): fetched by cargo at build time
/// ([`crate::registry::fetch`]), the listed files compiled for the guest and
/// linked as a static library.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Package {
    /// Package name and exact version.
    pub id: crate::registry::PackageId,
    /// The C files to compile, relative to the package's root.
    pub sources: Vec<PathBuf>,
    /// Include folders, relative to the package's root: for its sources and
    /// the guest's.
    pub include: Vec<PathBuf>,
    /// C defines for the package's sources (the guest's own also apply).
    pub defines: Vec<(String, Option<String>)>,
}

/// A problem of a system description.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DescriptionError {
    /// The description file.
    pub file: PathBuf,
    /// Line of the problem, from 1, where known.
    pub line: Option<usize>,
    /// The key concerned (`guest[2].priority`, `system.name`), empty for the file as a whole.
    pub key: String,
    /// What is wrong, and where it helps, what to do.
    pub problem: String,
}

impl fmt::Display for DescriptionError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file.display())?;
        if let Some(line) = self.line {
            write!(f, ":{line}")?;
        }
        if !self.key.is_empty() {
            write!(f, ": `{}`", self.key)?;
        }
        write!(f, ": {}", self.problem)
    }
}

impl std::error::Error for DescriptionError {}

impl System {
    /// Reads and checks the description at `path`.
    pub fn load(path: &Path) -> Result<System, DescriptionError> {
        let text = std::fs::read_to_string(path).map_err(|error| DescriptionError {
            file: absolute(path),
            line: None,
            key: String::new(),
            problem: format!("cannot read the system description: {error}"),
        })?;
        System::parse(&text, path)
    }

    /// Checks the description `text`, read from `file` (relative paths in it
    /// are relative to `file`'s folder, which must exist for them to be found).
    pub fn parse(text: &str, file: &Path) -> Result<System, DescriptionError> {
        let file = absolute(file);
        let base = file.parent().map(Path::to_path_buf).unwrap_or_default();
        let reader = Reader { text, file: &file, base: &base };
        let raw: RawDescription = toml::from_str(text).map_err(|error| reader.toml_error(&error))?;
        reader.check(raw)
    }

    /// The link address of each guest, in the order of `guests`: its
    /// `link_address`, or else the first free address of the sequence
    /// `PV_GUEST_LINK_BASE + k * PV_GUEST_LINK_STRIDE` (k = 0, 1, ...), a slot
    /// being free when no other guest has it and no `link_address` lies
    /// within a stride of it. Distinct, so that every program of the image
    /// has symbols of its own in a debugger; whether the images really stay
    /// apart is checked once they are linked ([`check_layout`]).
    pub fn link_addresses(&self) -> Vec<u32> {
        let explicit: Vec<u32> = self.guests.iter().filter_map(|g| g.link_address).collect();
        let near_explicit = |slot: u32| {
            explicit.iter().any(|&address| {
                address < slot.saturating_add(PV_GUEST_LINK_STRIDE) && slot < address + PV_GUEST_LINK_STRIDE
            })
        };
        let mut next = PV_GUEST_LINK_BASE;
        let mut addresses = Vec::with_capacity(self.guests.len());
        for guest in &self.guests {
            let address = match guest.link_address {
                Some(address) => address,
                None => {
                    while near_explicit(next) {
                        next += PV_GUEST_LINK_STRIDE;
                    }
                    let address = next;
                    next += PV_GUEST_LINK_STRIDE;
                    address
                }
            };
            addresses.push(address);
        }
        addresses
    }

    /// The description as the root server reads it: module names are the guest names.
    pub fn config(&self) -> PvSystemConfig {
        let mut guests = [PvGuestConfig::default(); PV_MAX_GUESTS as usize];
        for (slot, guest) in guests.iter_mut().zip(&self.guests) {
            *slot = PvGuestConfig {
                name: padded(&guest.name),
                module: padded(&guest.name),
                priority: guest.priority,
                memory_kib: guest.memory_kib,
                on_fault: guest.on_fault.abi(),
                restart_limit: guest.restart_limit,
                tick_hz: guest.tick_hz.unwrap_or(0),
                interrupts: interrupt_set(&guest.interrupts),
                threads: guest.threads,
                virq: guest.virq.abi(),
            };
        }
        PvSystemConfig {
            magic: PV_SYSTEM_MAGIC,
            version: PV_SYSTEM_VERSION,
            guest_count: self.guests.len() as u32,
            console_input: self.console_input.map_or(PV_NO_GUEST, |index| index as u32),
            name: padded(&self.name),
            guests,
        }
    }

    /// The `system` boot module: [`config`](Self::config) as the bytes of the
    /// `repr(C)` struct on the ARM target (little-endian, no padding), written
    /// field by field so that the host's byte order does not matter.
    pub fn config_bytes(&self) -> Vec<u8> {
        let config = self.config();
        let mut bytes = Vec::with_capacity(std::mem::size_of::<PvSystemConfig>());
        for word in [config.magic, config.version, config.guest_count, config.console_input] {
            bytes.extend(word.to_le_bytes());
        }
        bytes.extend(config.name);
        for guest in &config.guests {
            bytes.extend(guest.name);
            bytes.extend(guest.module);
            let words = [guest.priority, guest.memory_kib, guest.on_fault, guest.restart_limit, guest.tick_hz];
            for word in words.into_iter().chain(guest.interrupts).chain([guest.threads, guest.virq]) {
                bytes.extend(word.to_le_bytes());
            }
        }
        bytes
    }
}

impl Guest {
    /// Sets this guest's sources (its whole folder unless `sources` lists
    /// files), defines, flags, include folders, libraries, optimisation level
    /// and float ABI on `build` (made with `GuestBuild::new(name, &guest.path)`).
    /// Not its `packages`: they are fetched first (see `Sdk::build_system`),
    /// then given with [`GuestBuild::source_library`].
    pub fn apply(&self, build: GuestBuild) -> GuestBuild {
        let mut build = if self.sources.is_empty() {
            build.source_dir(&self.path)
        } else {
            build.sources(self.sources.iter().cloned())
        };
        for (name, value) in &self.defines {
            build = build.define(name, value.as_deref());
        }
        for flag in &self.flags {
            build = build.flag(flag);
        }
        for dir in &self.include {
            build = build.include(dir);
        }
        for library in &self.libraries {
            build = build.library(library);
        }
        build.opt_level(&self.opt_level).hard_float(self.hard_float)
    }
}

// ---------------------------------------------------------------------------
// The file as toml gives it
// ---------------------------------------------------------------------------

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawDescription {
    system: Option<RawSystem>,
    #[serde(default)]
    guest: Vec<Spanned<RawGuest>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSystem {
    name: Option<Spanned<String>>,
    console_input: Option<Spanned<String>>,
}

#[derive(Clone, Copy, Deserialize)]
#[serde(rename_all = "lowercase")]
enum Float {
    Soft,
    Hard,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawGuest {
    name: Spanned<String>,
    path: Spanned<String>,
    priority: Spanned<u32>,
    memory_kib: Spanned<u32>,
    on_fault: Option<OnFault>,
    restart_limit: Option<Spanned<u32>>,
    tick_hz: Option<Spanned<u32>>,
    threads: Option<Spanned<u32>>,
    virq: Option<Spanned<String>>,
    float: Option<Float>,
    opt_level: Option<Spanned<String>>,
    #[serde(default)]
    defines: BTreeMap<String, Spanned<toml::Value>>,
    #[serde(default)]
    flags: Vec<Spanned<String>>,
    #[serde(default)]
    include: Vec<Spanned<String>>,
    #[serde(default)]
    libraries: Vec<Spanned<String>>,
    sources: Option<Spanned<Vec<Spanned<String>>>>,
    #[serde(default)]
    packages: Vec<Spanned<RawPackage>>,
    #[serde(default)]
    interrupts: Vec<Spanned<u32>>,
    link_address: Option<Spanned<u32>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPackage {
    #[serde(rename = "crate")]
    name: Spanned<String>,
    version: Spanned<String>,
    sources: Spanned<Vec<Spanned<String>>>,
    #[serde(default)]
    include: Vec<Spanned<String>>,
    #[serde(default)]
    defines: BTreeMap<String, Spanned<toml::Value>>,
}

/// The console UART's interrupt (PL011, SPI 1 on QEMU `virt`): v_serial's.
pub const CONSOLE_UART_INTERRUPT: u32 = 33;

/// The `PvGuestConfig::interrupts` bits of `lines` (each checked to lie in
/// `PV_GUEST_INTERRUPT_FIRST..=PV_GUEST_INTERRUPT_LAST`).
fn interrupt_set(lines: &[u32]) -> [u32; 3] {
    let mut set = [0u32; 3];
    for &line in lines {
        let bit = line - PV_GUEST_INTERRUPT_FIRST;
        set[(bit / 32) as usize] |= 1 << (bit % 32);
    }
    set
}

// ---------------------------------------------------------------------------
// Checking
// ---------------------------------------------------------------------------

/// The description being checked: its text for line numbers, its file and folder.
struct Reader<'a> {
    text: &'a str,
    file: &'a Path,
    base: &'a Path,
}

/// The key of field `field` of the guest at `index` (from 0).
fn guest_key(index: usize, field: &str) -> String {
    format!("guest[{}].{field}", index + 1)
}

impl Reader<'_> {
    fn error(
        &self,
        span: Option<Range<usize>>,
        key: impl Into<String>,
        problem: impl Into<String>,
    ) -> DescriptionError {
        DescriptionError {
            file: self.file.to_path_buf(),
            line: span.map(|span| self.line_of(span.start)),
            key: key.into(),
            problem: problem.into(),
        }
    }

    /// Line (from 1) of byte `offset`.
    fn line_of(&self, offset: usize) -> usize {
        let offset = offset.min(self.text.len());
        self.text.as_bytes()[..offset].iter().filter(|&&b| b == b'\n').count() + 1
    }

    /// toml's error, with the key named and serde's wording made a user's.
    fn toml_error(&self, error: &toml::de::Error) -> DescriptionError {
        let message = error.message();
        let span = error.span();
        let offset = span.as_ref().map_or(0, |span| span.start);
        let field = first_quoted(message)
            .filter(|_| message.starts_with("unknown field") || message.starts_with("missing field"))
            .map(str::to_owned)
            .or_else(|| span.as_ref().and_then(|_| key_near(self.text, offset)));
        let table = span.as_ref().map(|_| table_at(self.text, offset)).unwrap_or_default();
        // An unknown table's own header is where toml points: its name is the key.
        let key = match field {
            Some(field) if table.is_empty() => field,
            Some(field) if table != field && !table.ends_with(&format!(".{field}")) => format!("{table}.{field}"),
            _ => table,
        };
        let listed = |rest: &str, what: &str| {
            let (name, allowed) = rest.split_once(", expected ").unwrap_or((rest, ""));
            let allowed = allowed.strip_prefix("one of ").unwrap_or(allowed);
            format!("unknown {what} {name}; allowed here: {allowed}")
        };
        let problem = if let Some(rest) = message.strip_prefix("unknown field ") {
            listed(rest, "key")
        } else if let Some(rest) = message.strip_prefix("unknown variant ") {
            listed(rest, "value")
        } else if let Some(name) = message.strip_prefix("missing field ") {
            format!("required key {name} is missing")
        } else if message == "duplicate key" {
            "the key is given twice in this table".to_owned()
        } else if message.contains("expected a sequence") && key == "guest" {
            format!("{message}: write each guest as an array table, `[[guest]]`")
        } else {
            message.replace("expected u32", "expected a whole number from 0 to 4294967295")
        };
        self.error(span, key, problem)
    }

    fn check(&self, raw: RawDescription) -> Result<System, DescriptionError> {
        if raw.guest.is_empty() {
            return Err(self.error(None, "guest", "no guest: describe at least one with a `[[guest]]` table"));
        }
        if let Some(extra) = raw.guest.get(PV_MAX_GUESTS as usize) {
            return Err(self.error(
                Some(extra.span()),
                format!("guest[{}]", PV_MAX_GUESTS + 1),
                format!(
                    "{} guests; an image has at most {PV_MAX_GUESTS} (PV_MAX_GUESTS, paravirt-api)",
                    raw.guest.len()
                ),
            ));
        }
        let mut guests: Vec<Guest> = Vec::new();
        for (index, raw_guest) in raw.guest.iter().enumerate() {
            let guest = self.guest(index, raw_guest.get_ref())?;
            let name_span = raw_guest.get_ref().name.span();
            if let Some(first) = guests.iter().position(|other| other.name == guest.name) {
                let first_line = self.line_of(raw.guest[first].get_ref().name.span().start);
                let line = self.line_of(name_span.start);
                return Err(self.error(
                    Some(name_span),
                    guest_key(index, "name"),
                    format!(
                        "guest name `{}` is used twice: by guest[{}] (line {first_line}) and guest[{}] (line {}); \
                         names must be unique",
                        guest.name,
                        first + 1,
                        index + 1,
                        line
                    ),
                ));
            }
            // A line has one owner: granted to two guests, the later could take it from the first.
            for line in &raw_guest.get_ref().interrupts {
                let irq = *line.get_ref();
                if let Some(first) = guests.iter().position(|other| other.interrupts.contains(&irq)) {
                    return Err(self.error(
                        Some(line.span()),
                        guest_key(index, "interrupts"),
                        format!(
                            "interrupt {irq} is already granted to guest[{}] `{}`; a line has one owner",
                            first + 1,
                            guests[first].name
                        ),
                    ));
                }
            }
            if let (Some(address), Some(span)) = (guest.link_address, raw_guest.get_ref().link_address.as_ref())
                && let Some(first) = guests.iter().position(|other| other.link_address == Some(address))
            {
                return Err(self.error(
                    Some(span.span()),
                    guest_key(index, "link_address"),
                    format!(
                        "{address:#010x} is guest[{}]'s (`{}`) link address too; each program of an image has its own",
                        first + 1,
                        guests[first].name
                    ),
                ));
            }
            guests.push(guest);
        }
        self.check_memory(&raw, &guests)?;
        self.check_threads(&raw, &guests)?;

        let system = raw.system.unwrap_or(RawSystem { name: None, console_input: None });
        let name = match &system.name {
            Some(name) => {
                check_name(name.get_ref()).map_err(|why| self.error(Some(name.span()), "system.name", why))?;
                name.get_ref().clone()
            }
            None => {
                let folder = self.base.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
                check_name(&folder).map_err(|why| {
                    self.error(
                        None,
                        "system.name",
                        format!(
                            "the image name defaults to the description's folder name, `{folder}`, which is not a \
                             valid name ({why}): set `name` in `[system]`"
                        ),
                    )
                })?;
                folder
            }
        };
        let console_input = match &system.console_input {
            None => Some(0),
            Some(wanted) if wanted.get_ref() == NO_CONSOLE_INPUT => None,
            Some(wanted) => match guests.iter().position(|g| &g.name == wanted.get_ref()) {
                Some(index) => Some(index),
                None => {
                    let names: Vec<String> = guests.iter().map(|g| format!("\"{}\"", g.name)).collect();
                    return Err(self.error(
                        Some(wanted.span()),
                        "system.console_input",
                        format!(
                            "\"{}\" names no guest; it must be one of {} or \"{NO_CONSOLE_INPUT}\"",
                            wanted.get_ref(),
                            names.join(", ")
                        ),
                    ));
                }
            },
        };
        Ok(System { file: self.file.to_path_buf(), name, console_input, guests })
    }

    /// The sum of the guests' RAM fits the board.
    fn check_memory(&self, raw: &RawDescription, guests: &[Guest]) -> Result<(), DescriptionError> {
        let mut sum: u64 = 0;
        for (index, guest) in guests.iter().enumerate() {
            sum += u64::from(guest.memory_kib);
            if sum > u64::from(BOARD_GUEST_RAM_KIB) {
                let total: u64 = guests.iter().map(|g| u64::from(g.memory_kib)).sum();
                let parts: Vec<String> = guests.iter().map(|g| format!("{} {}", g.name, g.memory_kib)).collect();
                return Err(self.error(
                    Some(raw.guest[index].get_ref().memory_kib.span()),
                    guest_key(index, "memory_kib"),
                    format!(
                        "the guests' memory_kib add up to {total} KiB ({}), more than the board's RAM for guests, \
                         {BOARD_GUEST_RAM_KIB} KiB ({} MiB: QEMU virt's 128 MiB less the kernel and its UTCB pool, the \
                         root server, the driver domain and the boot modules)",
                        parts.join(" + "),
                        BOARD_GUEST_RAM_KIB / 1024
                    ),
                ));
            }
        }
        Ok(())
    }

    /// The sum of the guests' threads fits the kernel's thread slots.
    fn check_threads(&self, raw: &RawDescription, guests: &[Guest]) -> Result<(), DescriptionError> {
        let total: u32 = guests.iter().map(|g| g.threads).sum();
        if total <= BOARD_GUEST_THREADS {
            return Ok(());
        }
        // The error points at the guest whose threads pass the budget.
        let mut sum = 0;
        let index = guests.iter().position(|g| {
            sum += g.threads;
            sum > BOARD_GUEST_THREADS
        });
        let index = index.unwrap_or(guests.len() - 1);
        let parts: Vec<String> = guests.iter().map(|g| format!("{} {}", g.name, g.threads)).collect();
        let span = raw.guest[index].get_ref().threads.as_ref().map(Spanned::span);
        let span = span.or(Some(raw.guest[index].span()));
        Err(self.error(
            span,
            guest_key(index, "threads"),
            format!(
                "the guests' threads add up to {total} ({}), more than the kernel's {BOARD_GUEST_THREADS} threads for \
                 guests ({PV_MAX_THREADS} thread slots less the nil slot, the root server and the two device servers)",
                parts.join(" + ")
            ),
        ))
    }

    /// Checks a `defines` table (at `key`): C macro names; values a string, an
    /// integer or `true` (defined without a value).
    fn defines(
        &self,
        raw: &BTreeMap<String, Spanned<toml::Value>>,
        key: &str,
    ) -> Result<Vec<(String, Option<String>)>, DescriptionError> {
        let mut defines = Vec::new();
        for (macro_name, value) in raw {
            let error = |why: String| self.error(Some(value.span()), format!("{key}.{macro_name}"), why);
            if crate::check_symbol_name(macro_name).is_err() {
                return Err(error(format!("`{macro_name}` is not a C macro name")));
            }
            defines.push((
                macro_name.clone(),
                match value.get_ref() {
                    toml::Value::String(text) => Some(text.clone()),
                    toml::Value::Integer(number) => Some(number.to_string()),
                    toml::Value::Boolean(true) => None,
                    toml::Value::Boolean(false) => {
                        return Err(error(
                            "false: leave the macro out to keep it undefined (true defines it without a value)".into(),
                        ));
                    }
                    other => {
                        return Err(error(format!(
                            "a define's value is a string, an integer or true (defined without a value), not a {}",
                            other.type_str()
                        )));
                    }
                },
            ));
        }
        Ok(defines)
    }

    /// Checks the `[[guest.packages]]` of the guest at `index`.
    fn packages(&self, index: usize, raw: &[Spanned<RawPackage>]) -> Result<Vec<Package>, DescriptionError> {
        let mut packages: Vec<Package> = Vec::new();
        for (number, package) in raw.iter().enumerate() {
            let key = |field: &str| guest_key(index, &format!("packages[{}].{field}", number + 1));
            let package = package.get_ref();
            let name = package.name.get_ref();
            if !crate::registry::valid_name(name) {
                return Err(self.error(
                    Some(package.name.span()),
                    key("crate"),
                    format!("\"{name}\" is not a package name of the registry"),
                ));
            }
            let version = package.version.get_ref();
            if !crate::registry::valid_version(version) {
                return Err(self.error(
                    Some(package.version.span()),
                    key("version"),
                    format!(
                        "\"{version}\": give the exact version, MAJOR.MINOR.PATCH (the sources must not change under \
                         the guest)"
                    ),
                ));
            }
            if packages.iter().any(|other| &other.id.name == name) {
                return Err(self.error(
                    Some(package.name.span()),
                    key("crate"),
                    format!("\"{name}\" is listed twice for this guest"),
                ));
            }
            let relative = |field: &str, path: &Spanned<String>| -> Result<PathBuf, DescriptionError> {
                let text = path.get_ref();
                let inside = !text.is_empty()
                    && Path::new(text).components().all(|part| matches!(part, std::path::Component::Normal(_)));
                if inside {
                    Ok(PathBuf::from(text))
                } else {
                    Err(self.error(
                        Some(path.span()),
                        key(field),
                        format!("\"{text}\": paths are relative to the package's root and stay inside it"),
                    ))
                }
            };
            if package.sources.get_ref().is_empty() {
                return Err(self.error(
                    Some(package.sources.span()),
                    key("sources"),
                    "empty list: name the C files of the package to compile",
                ));
            }
            let mut sources = Vec::new();
            for source in package.sources.get_ref() {
                let path = relative("sources", source)?;
                if !matches!(path.extension().and_then(|e| e.to_str()), Some("c" | "C" | "S" | "s")) {
                    return Err(self.error(
                        Some(source.span()),
                        key("sources"),
                        format!("\"{}\" is not a C or assembly source (.c, .C, .S, .s)", source.get_ref()),
                    ));
                }
                sources.push(path);
            }
            let include = package.include.iter().map(|dir| relative("include", dir)).collect::<Result<_, _>>()?;
            let defines = self.defines(&package.defines, &key("defines"))?;
            let id = crate::registry::PackageId { name: name.clone(), version: version.clone() };
            packages.push(Package { id, sources, include, defines });
        }
        Ok(packages)
    }

    fn guest(&self, index: usize, raw: &RawGuest) -> Result<Guest, DescriptionError> {
        let key = |field: &str| guest_key(index, field);
        let name = raw.name.get_ref().clone();
        check_name(&name).map_err(|why| self.error(Some(raw.name.span()), key("name"), why))?;
        if let Some((_, why)) = RESERVED_NAMES.iter().find(|(reserved, _)| *reserved == name) {
            return Err(self.error(Some(raw.name.span()), key("name"), format!("`{name}` is reserved: {why}")));
        }

        let path = self.base.join(raw.path.get_ref());
        let path_error = |why: String| self.error(Some(raw.path.span()), key("path"), why);
        if !path.is_dir() {
            return Err(path_error(if path.exists() {
                format!("{} is not a folder (the guest's application folder)", path.display())
            } else {
                format!("folder {} does not exist (the guest's application folder)", path.display())
            }));
        }
        check_config_dir(&path).map_err(|error| path_error(error.to_string()))?;

        let sources = match &raw.sources {
            None => {
                source_files(&path).map_err(|error| path_error(error.to_string()))?;
                Vec::new()
            }
            Some(list) if list.get_ref().is_empty() => {
                return Err(self.error(
                    Some(list.span()),
                    key("sources"),
                    "empty list: name at least one file, or leave `sources` out to build every source below `path`",
                ));
            }
            Some(list) => {
                let mut files = Vec::new();
                for file in list.get_ref() {
                    let full = path.join(file.get_ref());
                    let error = |why: String| self.error(Some(file.span()), key("sources"), why);
                    if !full.is_file() {
                        return Err(error(format!(
                            "file {} does not exist (sources are relative to `path`)",
                            full.display()
                        )));
                    }
                    if source_kind(&full).is_none() {
                        return Err(error(format!(
                            "{} is not a source the guest build compiles (*.c, *.C, *.S, *.s)",
                            full.display()
                        )));
                    }
                    files.push(full);
                }
                files
            }
        };

        let priority = *raw.priority.get_ref();
        if !(PV_GUEST_PRIORITY_MIN..=PV_GUEST_PRIORITY_MAX).contains(&priority) {
            return Err(self.error(
                Some(raw.priority.span()),
                key("priority"),
                format!(
                    "{priority} is outside the guest band {PV_GUEST_PRIORITY_MIN}..={PV_GUEST_PRIORITY_MAX} (the \
                     guest's Interrupt_loop runs one above its priority; the root server and the device servers run \
                     above every guest)"
                ),
            ));
        }

        let memory_kib = *raw.memory_kib.get_ref();
        if memory_kib < GUEST_MEMORY_MIN_KIB || !memory_kib.is_multiple_of(GUEST_MEMORY_GRANULE_KIB) {
            return Err(self.error(
                Some(raw.memory_kib.span()),
                key("memory_kib"),
                format!(
                    "{memory_kib} KiB: a guest's RAM is a multiple of {GUEST_MEMORY_GRANULE_KIB} KiB (whole 1 MiB \
                     sections) and at least {GUEST_MEMORY_MIN_KIB} KiB (its image and its stack section)"
                ),
            ));
        }

        let restart_limit = match &raw.restart_limit {
            None => RESTART_LIMIT_DEFAULT,
            Some(limit) if (1..=RESTART_LIMIT_MAX).contains(limit.get_ref()) => *limit.get_ref(),
            Some(limit) => {
                return Err(self.error(
                    Some(limit.span()),
                    key("restart_limit"),
                    format!("{}: restarts per minute must be 1..={RESTART_LIMIT_MAX}", limit.get_ref()),
                ));
            }
        };

        let tick_hz = self.tick_hz(index, raw, &path)?;

        let threads = match &raw.threads {
            None => PV_GUEST_THREADS_DEFAULT,
            Some(threads) if (PV_GUEST_THREADS_MIN..=PV_GUEST_THREADS_MAX).contains(threads.get_ref()) => {
                *threads.get_ref()
            }
            Some(threads) => {
                return Err(self.error(
                    Some(threads.span()),
                    key("threads"),
                    format!(
                        "{} threads: a guest has {PV_GUEST_THREADS_MIN}..={PV_GUEST_THREADS_MAX} (its Interrupt_loop \
                         and µC/OS-II thread, and what it asks the root server for)",
                        threads.get_ref()
                    ),
                ));
            }
        };

        let virq = match raw.virq.as_ref().map(|virq| (virq, virq.get_ref().as_str())) {
            None | Some((_, "direct")) => Virq::Direct,
            Some((_, "paper")) => Virq::Paper,
            Some((virq, other)) => {
                return Err(self.error(
                    Some(virq.span()),
                    key("virq"),
                    format!(
                        "\"{other}\" is not a virtual-interrupt path; use \"direct\" (the kernel injects them, the \
                         default) or \"paper\" (the guest's Interrupt_loop injects them)"
                    ),
                ));
            }
        };

        let mut interrupts = Vec::new();
        for line in &raw.interrupts {
            let irq = *line.get_ref();
            let why = match irq {
                0..=15 => Some("is a software-generated interrupt (SGI 0..15): per CPU, never a guest's"),
                16..=31 => {
                    Some("is a private peripheral interrupt (PPI 16..31, the timers' among them): never a guest's")
                }
                CONSOLE_UART_INTERRUPT => Some("is the console UART's, which v_serial owns"),
                _ if irq > PV_GUEST_INTERRUPT_LAST => Some("is above 127, the highest line the kernel manages"),
                _ if interrupts.contains(&irq) => Some("is listed twice"),
                _ => None,
            };
            if let Some(why) = why {
                return Err(self.error(
                    Some(line.span()),
                    key("interrupts"),
                    format!(
                        "interrupt {irq} {why}; a guest may be granted shared peripheral interrupts \
                         {PV_GUEST_INTERRUPT_FIRST}..={PV_GUEST_INTERRUPT_LAST} that no device server owns"
                    ),
                ));
            }
            interrupts.push(irq);
        }
        interrupts.sort_unstable();

        let opt_level = match &raw.opt_level {
            None => "s".to_owned(),
            Some(level) if OPT_LEVELS.contains(&level.get_ref().as_str()) => level.get_ref().clone(),
            Some(level) => {
                let allowed: Vec<String> = OPT_LEVELS.iter().map(|l| format!("\"{l}\"")).collect();
                return Err(self.error(
                    Some(level.span()),
                    key("opt_level"),
                    format!("\"{}\" is not an optimisation level; use one of {}", level.get_ref(), allowed.join(", ")),
                ));
            }
        };

        let defines = self.defines(&raw.defines, &key("defines"))?;

        let mut flags = Vec::new();
        for flag in &raw.flags {
            let text = flag.get_ref();
            let instead = if text.trim().is_empty() {
                Some("an empty flag")
            } else if text.starts_with("-O") {
                Some("use `opt_level` for the optimisation level")
            } else if text.starts_with("-mfloat-abi") || text.starts_with("-mfpu") {
                Some("use `float` for the float ABI (the libraries linked must match it)")
            } else {
                None
            };
            if let Some(why) = instead {
                return Err(self.error(Some(flag.span()), key("flags"), format!("\"{text}\": {why}")));
            }
            flags.push(text.clone());
        }

        let mut include = Vec::new();
        for dir in &raw.include {
            let full = self.base.join(dir.get_ref());
            if !full.is_dir() {
                return Err(self.error(
                    Some(dir.span()),
                    key("include"),
                    format!(
                        "folder {} does not exist (include folders are relative to the description)",
                        full.display()
                    ),
                ));
            }
            include.push(full);
        }
        let mut libraries = Vec::new();
        for library in &raw.libraries {
            let full = self.base.join(library.get_ref());
            let error = |why: String| self.error(Some(library.span()), key("libraries"), why);
            if full.is_dir() {
                // A library delivered as sources: GuestBuild::library archives it.
                source_files(&full).map_err(|problem| error(problem.to_string()))?;
            } else if !full.is_file() {
                return Err(error(format!(
                    "file {} does not exist (libraries are relative to the description)",
                    full.display()
                )));
            }
            libraries.push(full);
        }

        let link_address = match &raw.link_address {
            None => None,
            Some(address) => Some(self.link_address(index, address)?),
        };

        Ok(Guest {
            link_address,
            name,
            path,
            priority,
            memory_kib,
            on_fault: raw.on_fault.unwrap_or_default(),
            restart_limit,
            tick_hz,
            threads,
            virq,
            hard_float: matches!(raw.float, Some(Float::Hard)),
            opt_level,
            defines,
            flags,
            include,
            libraries,
            sources,
            interrupts,
            packages: self.packages(index, &raw.packages)?,
        })
    }

    /// Checks a guest's `link_address`: section aligned (the root server maps
    /// images from a section boundary), from `PV_GUEST_LINK_BASE` (below it
    /// the root server and the driver domain are linked) and with at least a
    /// section below `PV_IMAGE_WINDOW_END` (where the guest's stack section
    /// and memory sections are mapped).
    fn link_address(&self, index: usize, address: &Spanned<u32>) -> Result<u32, DescriptionError> {
        let value = *address.get_ref();
        let why = if !value.is_multiple_of(PV_SECTION_SIZE) {
            Some(format!(
                "{value:#010x} is not a multiple of {PV_SECTION_SIZE:#x} (1 MiB: images are mapped in whole sections)"
            ))
        } else if value < PV_GUEST_LINK_BASE {
            Some(format!(
                "{value:#010x} is below {PV_GUEST_LINK_BASE:#010x} (PV_GUEST_LINK_BASE): the root server and the \
                 driver domain are linked there"
            ))
        } else if value > PV_IMAGE_WINDOW_END - PV_SECTION_SIZE {
            Some(format!(
                "{value:#010x} leaves no room below {PV_IMAGE_WINDOW_END:#010x} (PV_IMAGE_WINDOW_END), where the \
                 guest's stack section and memory sections are mapped"
            ))
        } else {
            None
        };
        match why {
            Some(why) => Err(self.error(
                Some(address.span()),
                guest_key(index, "link_address"),
                format!(
                    "{why}; a link address is a multiple of 0x100000 from {PV_GUEST_LINK_BASE:#010x} to {:#010x}",
                    PV_IMAGE_WINDOW_END - PV_SECTION_SIZE
                ),
            )),
            None => Ok(value),
        }
    }

    /// The guest's tick rate: `tick_hz` if given, else a literal
    /// `OS_TICKS_PER_SEC`; the two must agree, and v_timer must serve it.
    fn tick_hz(&self, index: usize, raw: &RawGuest, path: &Path) -> Result<Option<u32>, DescriptionError> {
        let header = path.join("os_cfg.h");
        let text = std::fs::read_to_string(&header).map_err(|error| {
            self.error(
                Some(raw.path.span()),
                guest_key(index, "path"),
                format!("cannot read {}: {error}", header.display()),
            )
        })?;
        let compiled = os_ticks_per_sec(&text);
        let served = 1..=u64::from(PV_TIMER_RATE_MAX);
        let limit = format!("v_timer serves 1..={PV_TIMER_RATE_MAX} ticks per second (PV_TIMER_RATE_MAX)");
        match (&raw.tick_hz, compiled) {
            (Some(wanted), _) if !served.contains(&u64::from(*wanted.get_ref())) => Err(self.error(
                Some(wanted.span()),
                guest_key(index, "tick_hz"),
                format!("{} Hz cannot be served: {limit}", wanted.get_ref()),
            )),
            (Some(wanted), Some(compiled)) if u64::from(*wanted.get_ref()) != compiled => Err(self.error(
                Some(wanted.span()),
                guest_key(index, "tick_hz"),
                format!(
                    "tick_hz = {} but {} defines OS_TICKS_PER_SEC {compiled}: µC/OS-II counts time at its compiled \
                     rate, so the two must agree (change one, or leave tick_hz out to use OS_TICKS_PER_SEC)",
                    wanted.get_ref(),
                    header.display()
                ),
            )),
            (Some(wanted), _) => Ok(Some(*wanted.get_ref())),
            (None, Some(compiled)) if !served.contains(&compiled) => Err(self.error(
                Some(raw.path.span()),
                guest_key(index, "tick_hz"),
                format!("the default, OS_TICKS_PER_SEC {compiled} in {}, cannot be served: {limit}", header.display()),
            )),
            (None, Some(compiled)) => Ok(Some(compiled as u32)),
            (None, None) => Ok(None),
        }
    }
}

/// Checks a guest or image name: 1..=[`NAME_MAX`] of `[A-Za-z0-9_-]`.
fn check_name(name: &str) -> Result<(), String> {
    if let Some(bad) = name.chars().find(|c| !(c.is_ascii_alphanumeric() || *c == '_' || *c == '-')) {
        return Err(format!("\"{name}\" contains {bad:?}; a name is made of A-Z, a-z, 0-9, `_` and `-`"));
    }
    if name.is_empty() || name.len() > NAME_MAX {
        return Err(format!("\"{name}\" has {} characters; a name has 1 to {NAME_MAX}", name.len()));
    }
    Ok(())
}

/// `name` NUL-padded into an ABI name field (checked to fit with its NUL).
fn padded(name: &str) -> [u8; 24] {
    let mut field = [0u8; 24];
    let length = name.len().min(NAME_MAX);
    field[..length].copy_from_slice(&name.as_bytes()[..length]);
    field
}

/// `path` made absolute against the current folder (not resolving links).
fn absolute(path: &Path) -> PathBuf {
    std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf())
}

/// The first `quoted` name of a serde message.
fn first_quoted(message: &str) -> Option<&str> {
    let (_, rest) = message.split_once('`')?;
    rest.split_once('`').map(|(name, _)| name)
}

/// The key whose value is at `offset`, or the key that starts there: on the
/// line of `offset`, the last bare key before an `=` that comes before it.
fn key_near(text: &str, offset: usize) -> Option<String> {
    let offset = offset.min(text.len());
    let line_start = text[..offset].rfind('\n').map_or(0, |i| i + 1);
    let line_end = text[offset..].find('\n').map_or(text.len(), |i| offset + i);
    let line = &text[line_start..line_end];
    let column = offset - line_start;
    let is_key_char = |c: char| c.is_ascii_alphanumeric() || c == '_' || c == '-' || c == '"';
    let before = match line[..column].rfind('=') {
        Some(equals) => &line[..equals],
        // The offset is at a key: take it whole.
        None => line[..line[column..].find('=').map_or(line.len(), |i| column + i)].trim_end(),
    };
    let key: String = before.trim_end().chars().rev().take_while(|&c| is_key_char(c)).collect();
    let key: String = key.chars().rev().filter(|&c| c != '"').collect();
    (!key.is_empty()).then_some(key)
}

/// The table `offset` lies in, as a key prefix: `guest[N]` for the N-th
/// `[[guest]]`, `system`, or empty for the top level.
fn table_at(text: &str, offset: usize) -> String {
    let mut table = String::new();
    let mut guests = 0;
    let mut line_start = 0;
    for line in text.split_inclusive('\n') {
        if line_start > offset {
            break;
        }
        line_start += line.len();
        let header = line.trim();
        let Some(inner) = header.strip_prefix('[') else { continue };
        let array = inner.starts_with('[');
        let name: String = inner
            .trim_start_matches('[')
            .split(']')
            .next()
            .unwrap_or("")
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect();
        if name.is_empty() || name.contains(['"', '=', ',']) {
            continue; // an array value, not a header
        }
        if array && name == "guest" {
            guests += 1;
        }
        table = match name.split_once('.') {
            Some(("guest", rest)) if guests > 0 => format!("guest[{guests}].{rest}"),
            _ if name == "guest" && array => format!("guest[{guests}]"),
            _ => name,
        };
    }
    table
}

// ---------------------------------------------------------------------------
// OS_TICKS_PER_SEC
// ---------------------------------------------------------------------------

/// The value of `#define OS_TICKS_PER_SEC <integer>[uUlL]*` in a C header
/// (`os_cfg.h`), decimal or hexadecimal, optionally in parentheses; comments
/// are ignored. `None` if it is not defined as one literal (another macro, an
/// expression, or different values under `#if`s): the build cannot know the
/// rate, the runtime uses the compiled one. A preprocessor would be exact, but
/// gcc for the guest target may not exist where descriptions are checked, and
/// µC/OS-II configurations write this line literally.
pub fn os_ticks_per_sec(header: &str) -> Option<u64> {
    let mut found: Option<Option<u64>> = None;
    for line in strip_comments(header).lines() {
        let Some(directive) = line.trim_start().strip_prefix('#') else { continue };
        let Some(rest) = directive.trim_start().strip_prefix("define") else { continue };
        if !rest.starts_with(char::is_whitespace) {
            continue;
        }
        let rest = rest.trim_start();
        let Some(value) = rest.strip_prefix("OS_TICKS_PER_SEC") else { continue };
        if !value.is_empty() && !value.starts_with(char::is_whitespace) {
            continue; // a longer name, or a function-like macro
        }
        let literal = integer_literal(value.trim());
        found = match found {
            None => Some(literal),
            Some(earlier) if earlier == literal => Some(earlier),
            Some(_) => Some(None),
        };
    }
    found.flatten()
}

/// A C integer literal with optional `u`/`l` suffixes and parentheses.
fn integer_literal(text: &str) -> Option<u64> {
    let mut text = text.trim();
    while let Some(inner) = text.strip_prefix('(').and_then(|t| t.strip_suffix(')')) {
        text = inner.trim();
    }
    let digits = text.trim_end_matches(['u', 'U', 'l', 'L']);
    if let Some(hex) = digits.strip_prefix("0x").or_else(|| digits.strip_prefix("0X")) {
        return u64::from_str_radix(hex, 16).ok();
    }
    if digits.is_empty() || !digits.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    digits.parse().ok()
}

/// `text` with its C comments replaced by a space (newlines kept, so lines stay
/// lines); string and character literals are skipped over.
fn strip_comments(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '/' if chars.peek() == Some(&'*') => {
                chars.next();
                let mut last = ' ';
                for c in chars.by_ref() {
                    if c == '\n' {
                        out.push('\n');
                    }
                    if last == '*' && c == '/' {
                        break;
                    }
                    last = c;
                }
                out.push(' ');
            }
            '/' if chars.peek() == Some(&'/') => {
                for c in chars.by_ref() {
                    if c == '\n' {
                        out.push('\n');
                        break;
                    }
                }
            }
            '"' | '\'' => {
                out.push(c);
                while let Some(inner) = chars.next() {
                    out.push(inner);
                    if inner == '\\' {
                        if let Some(escaped) = chars.next() {
                            out.push(escaped);
                        }
                    } else if inner == c || inner == '\n' {
                        break;
                    }
                }
            }
            _ => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests;
