// SPDX-License-Identifier: MIT OR Apache-2.0
//! The system description as the root server reads it: the `system` boot
//! module (a [`PvSystemConfig`], written by the image build from the image's
//! `system.toml`), checked field by field before anything is created, and the
//! description the root server falls back to for images built without one.
//!
//! Every refusal is a [`SystemError`] whose text names the guest and the field
//! and says what is wrong, so that a bad image fails at boot with one clear line.

use core::fmt;
use paravirt_api::*;

/// Name of the driver domain's boot module.
pub const DRIVERS_MODULE: &str = "drivers";
/// Priority of every guest of the fallback description.
pub const FALLBACK_PRIORITY: u32 = 50;
/// RAM of every guest of the fallback description, KiB.
pub const FALLBACK_MEMORY_KIB: u32 = 8192;

/// What is wrong with a description.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Problem {
    /// The module is shorter than the magic and version.
    TooShort {
        /// Its size in bytes.
        size: u32,
    },
    /// The first word is not `PV_SYSTEM_MAGIC`.
    Magic {
        /// The word found.
        magic: u32,
    },
    /// A version this root server does not read.
    Version {
        /// The version found.
        version: u32,
    },
    /// The size does not match the version.
    Size {
        /// Its size in bytes.
        size: u32,
    },
    /// No guest, or more than `PV_MAX_GUESTS`.
    GuestCount {
        /// The count found.
        count: u32,
    },
    /// The image's name is not a valid name.
    ImageName,
    /// The guest's name is empty or has characters other than letters,
    /// digits, `_`, `-`, `.` (it is the console tag).
    GuestName,
    /// Another guest has the same name.
    DuplicateName {
        /// Index of the first guest with that name.
        first: u32,
    },
    /// The module name is empty, not a name, or names the driver domain or the description.
    ModuleName,
    /// No boot module of the image has the guest's module name.
    MissingModule,
    /// The priority is outside the guest band.
    Priority {
        /// The priority found.
        priority: u32,
    },
    /// The memory is zero or not whole MiB.
    Memory {
        /// The value found, KiB.
        memory_kib: u32,
    },
    /// An unknown fault policy.
    OnFault {
        /// The value found.
        on_fault: u32,
    },
    /// More restarts per minute than the root server keeps count of.
    RestartLimit {
        /// The value found.
        restart_limit: u32,
    },
    /// A tick rate v_timer does not serve.
    TickRate {
        /// The value found, Hz.
        tick_hz: u32,
    },
    /// A thread quota outside `PV_GUEST_THREADS_MIN..=PV_GUEST_THREADS_MAX`.
    Threads {
        /// The value found.
        threads: u32,
    },
    /// A virtual-interrupt path other than `PV_VIRQ_DIRECT` or `PV_VIRQ_PAPER`.
    Virq {
        /// The value found.
        virq: u32,
    },
    /// An interrupt line granted to an earlier guest too: a line has one
    /// owner, else the later guest could take it from the first.
    SharedInterrupt {
        /// The line.
        irq: u32,
        /// Index of the first guest granted it.
        first: u32,
    },
    /// The console-input guest index names no guest.
    ConsoleInput {
        /// The index found.
        index: u32,
        /// The number of guests.
        count: u32,
    },
}

/// Why the root server refused a description: the problem, and the guest it
/// concerns (index and name) if it concerns one.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SystemError {
    /// Index and name of the guest concerned.
    pub guest: Option<(u32, [u8; 24])>,
    /// What is wrong.
    pub problem: Problem,
}

impl SystemError {
    fn whole(problem: Problem) -> Self {
        Self { guest: None, problem }
    }
}

/// Writes a name as it stands in the description: printable ASCII as itself,
/// anything else as `\xNN`.
struct Shown<'a>(&'a [u8; 24]);

impl fmt::Display for Shown<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let end = self.0.iter().rposition(|&b| b != 0).map_or(0, |last| last + 1);
        for &byte in &self.0[..end] {
            if byte.is_ascii_graphic() || byte == b' ' {
                write!(f, "{}", byte as char)?;
            } else {
                write!(f, "\\x{byte:02x}")?;
            }
        }
        Ok(())
    }
}

impl fmt::Display for SystemError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some((index, name)) = &self.guest {
            write!(f, "guest {index} `{}`: ", Shown(name))?;
        }
        match self.problem {
            Problem::TooShort { size } => write!(f, "{size} bytes, too short for a magic number and a version"),
            Problem::Magic { magic } => {
                write!(
                    f,
                    "magic {magic:#010x} is not PV_SYSTEM_MAGIC {PV_SYSTEM_MAGIC:#010x}: not a system description"
                )
            }
            Problem::Version { version } => {
                write!(f, "version {version}; this root server reads version {PV_SYSTEM_VERSION}")
            }
            Problem::Size { size } => {
                write!(f, "{size} bytes; a version {PV_SYSTEM_VERSION} description has {PV_SYSTEM_CONFIG_SIZE}")
            }
            Problem::GuestCount { count } => write!(f, "guest_count {count} is outside 1..={PV_MAX_GUESTS}"),
            Problem::ImageName => write!(f, "the image name is not letters, digits, `_`, `-`, `.`"),
            Problem::GuestName => write!(f, "name: 1 to 24 letters, digits, `_`, `-`, `.` expected"),
            Problem::DuplicateName { first } => write!(f, "name: guest {first} has the same name"),
            Problem::SharedInterrupt { irq, first } => {
                write!(f, "interrupts: line {irq} is granted to guest {first} too (a line has one owner)")
            }
            Problem::ModuleName => write!(
                f,
                "module: 1 to 23 letters, digits, `_`, `-`, `.` expected, not `{DRIVERS_MODULE}` or \
                 `{PV_SYSTEM_MODULE}`"
            ),
            Problem::MissingModule => write!(f, "module: the boot image has no module of that name"),
            Problem::Priority { priority } => write!(
                f,
                "priority {priority} is outside {PV_GUEST_PRIORITY_MIN}..={PV_GUEST_PRIORITY_MAX} (the guest band, \
                 below the root server and the device servers)"
            ),
            Problem::Memory { memory_kib } => {
                write!(
                    f,
                    "memory_kib {memory_kib} is not a whole number of MiB below 4 GiB (a non-zero multiple of 1024)"
                )
            }
            Problem::OnFault { on_fault } => {
                write!(
                    f,
                    "on_fault {on_fault} is not stop ({PV_ON_FAULT_STOP}), restart ({PV_ON_FAULT_RESTART}) or shutdown ({PV_ON_FAULT_SHUTDOWN})"
                )
            }
            Problem::RestartLimit { restart_limit } => {
                write!(f, "restart_limit {restart_limit} is above {PV_RESTART_LIMIT_MAX} restarts per minute")
            }
            Problem::TickRate { tick_hz } => {
                write!(f, "tick_hz {tick_hz} is outside 1..={PV_TIMER_RATE_MAX} (0: the application's own rate)")
            }
            Problem::Threads { threads } => {
                write!(f, "threads {threads} is outside {PV_GUEST_THREADS_MIN}..={PV_GUEST_THREADS_MAX}")
            }
            Problem::Virq { virq } => {
                write!(f, "virq {virq} is neither {PV_VIRQ_DIRECT} (direct) nor {PV_VIRQ_PAPER} (paper)")
            }
            Problem::ConsoleInput { index, count } => {
                write!(f, "console_input {index} names no guest (there are {count}; {PV_NO_GUEST:#x} for none)")
            }
        }
    }
}

/// Characters a name may have: it is a console tag and appears in messages.
fn is_name_byte(byte: u8) -> bool {
    byte.is_ascii_alphanumeric() || matches!(byte, b'_' | b'-' | b'.')
}

/// The name's length if it is 0..=`max` name characters, NUL-padded.
fn name_length(name: &[u8; 24], max: usize) -> Option<usize> {
    let length = name.iter().position(|&b| b == 0).unwrap_or(name.len());
    let valid =
        length <= max && name[..length].iter().all(|&b| is_name_byte(b)) && name[length..].iter().all(|&b| b == 0);
    valid.then_some(length)
}

/// The guest name as text (valid descriptions only have valid names).
pub fn guest_name(guest: &PvGuestConfig) -> &str {
    crate::name_text(&guest.name).unwrap_or("?")
}

/// The module name as text.
pub fn module_name(guest: &PvGuestConfig) -> &str {
    crate::name_text(&guest.module).unwrap_or("?")
}

/// Reads the bytes of a `system` module: magic, version and size checked;
/// the contents are checked by [`validate`].
pub fn decode(bytes: &[u8]) -> Result<PvSystemConfig, SystemError> {
    let size = bytes.len() as u32;
    let word =
        |offset: usize| u32::from_le_bytes([bytes[offset], bytes[offset + 1], bytes[offset + 2], bytes[offset + 3]]);
    if bytes.len() < 8 {
        return Err(SystemError::whole(Problem::TooShort { size }));
    }
    if word(0) != PV_SYSTEM_MAGIC {
        return Err(SystemError::whole(Problem::Magic { magic: word(0) }));
    }
    if word(4) != PV_SYSTEM_VERSION {
        return Err(SystemError::whole(Problem::Version { version: word(4) }));
    }
    let exact: &[u8; PV_SYSTEM_CONFIG_SIZE as usize] =
        bytes.try_into().map_err(|_| SystemError::whole(Problem::Size { size }))?;
    Ok(PvSystemConfig::from_bytes(exact))
}

/// Checks a description against the rules of `PvSystemConfig` and the boot
/// image's module names: counts, names (unique guest names), every guest's
/// module present, priority band, memory in whole MiB, fault policy, restart
/// limit, tick rate, the console-input guest. Guest slots past
/// `guest_count` are not looked at.
pub fn validate(config: &PvSystemConfig, modules: &[&str]) -> Result<(), SystemError> {
    if config.magic != PV_SYSTEM_MAGIC {
        return Err(SystemError::whole(Problem::Magic { magic: config.magic }));
    }
    if config.version != PV_SYSTEM_VERSION {
        return Err(SystemError::whole(Problem::Version { version: config.version }));
    }
    let count = config.guest_count;
    if count == 0 || count > PV_MAX_GUESTS {
        return Err(SystemError::whole(Problem::GuestCount { count }));
    }
    if name_length(&config.name, 24).is_none() {
        return Err(SystemError::whole(Problem::ImageName));
    }
    let guests = &config.guests[..count as usize];
    for (index, guest) in guests.iter().enumerate() {
        let error = |problem| Err(SystemError { guest: Some((index as u32, guest.name)), problem });
        if name_length(&guest.name, 24).is_none_or(|length| length == 0) {
            return error(Problem::GuestName);
        }
        if let Some(first) = guests[..index].iter().position(|other| other.name == guest.name) {
            return error(Problem::DuplicateName { first: first as u32 });
        }
        let module = module_name(guest);
        let module_valid = name_length(&guest.module, 23).is_some_and(|length| length > 0)
            && module != DRIVERS_MODULE
            && module != PV_SYSTEM_MODULE;
        if !module_valid {
            return error(Problem::ModuleName);
        }
        if !modules.contains(&module) {
            return error(Problem::MissingModule);
        }
        if !(PV_GUEST_PRIORITY_MIN..=PV_GUEST_PRIORITY_MAX).contains(&guest.priority) {
            return error(Problem::Priority { priority: guest.priority });
        }
        if guest.memory_kib == 0
            || !guest.memory_kib.is_multiple_of(1024)
            || guest.memory_kib.checked_mul(1024).is_none()
        {
            return error(Problem::Memory { memory_kib: guest.memory_kib });
        }
        if guest.on_fault > PV_ON_FAULT_SHUTDOWN {
            return error(Problem::OnFault { on_fault: guest.on_fault });
        }
        if guest.restart_limit > PV_RESTART_LIMIT_MAX {
            return error(Problem::RestartLimit { restart_limit: guest.restart_limit });
        }
        if guest.tick_hz > PV_TIMER_RATE_MAX {
            return error(Problem::TickRate { tick_hz: guest.tick_hz });
        }
        if !(PV_GUEST_THREADS_MIN..=PV_GUEST_THREADS_MAX).contains(&guest.threads) {
            return error(Problem::Threads { threads: guest.threads });
        }
        if guest.virq != PV_VIRQ_DIRECT && guest.virq != PV_VIRQ_PAPER {
            return error(Problem::Virq { virq: guest.virq });
        }
        if let Some((first, irq)) = guests[..index].iter().enumerate().find_map(|(first, other)| {
            (PV_GUEST_INTERRUPT_FIRST..=PV_GUEST_INTERRUPT_LAST)
                .find(|&irq| {
                    pv_guest_interrupt_granted(&guest.interrupts, irq)
                        && pv_guest_interrupt_granted(&other.interrupts, irq)
                })
                .map(|irq| (first, irq))
        }) {
            return error(Problem::SharedInterrupt { irq, first: first as u32 });
        }
    }
    if config.console_input != PV_NO_GUEST && config.console_input >= count {
        return Err(SystemError::whole(Problem::ConsoleInput { index: config.console_input, count }));
    }
    Ok(())
}

/// The description of an image built without a `system` module.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Fallback {
    /// Every boot module after `drivers` as a guest named after its module:
    /// priority [`FALLBACK_PRIORITY`], [`FALLBACK_MEMORY_KIB`], on_fault stop,
    /// console input to the first.
    pub config: PvSystemConfig,
    /// Modules left out because there were more than `PV_MAX_GUESTS`.
    pub left_out: u32,
}

/// The fallback for images without a description (the SDK's images before the
/// image build writes a `system` module for each): every boot module after
/// `drivers` is a guest. `modules` are the boot modules' names in order.
pub fn fallback(image_name: &str, modules: &[&str]) -> Fallback {
    let after_drivers = modules.iter().position(|&m| m == DRIVERS_MODULE).map_or(0, |index| index + 1);
    let mut config = PvSystemConfig::new("", &[], 0);
    config.name = truncated_name(image_name);
    let mut left_out = 0;
    for module in &modules[after_drivers..] {
        if config.guest_count == PV_MAX_GUESTS {
            left_out += 1;
            continue;
        }
        let name = truncated_name(module);
        config.guests[config.guest_count as usize] =
            PvGuestConfig { name, module: name, ..PvGuestConfig::new("", "", FALLBACK_PRIORITY, FALLBACK_MEMORY_KIB) };
        config.guest_count += 1;
    }
    Fallback { config, left_out }
}

fn truncated_name(text: &str) -> [u8; 24] {
    let mut name = [0u8; 24];
    let length = text.len().min(24);
    name[..length].copy_from_slice(&text.as_bytes()[..length]);
    name
}

#[cfg(test)]
mod tests {
    use super::*;

    const MODULES: &[&str] = &["drivers", "system", "ticks", "crash"];

    fn good() -> PvSystemConfig {
        PvSystemConfig::new(
            "two",
            &[
                PvGuestConfig::new("ticks", "ticks", 40, 8192),
                PvGuestConfig::new("crash", "crash", 60, 6144).on_fault(PV_ON_FAULT_RESTART, 2),
            ],
            0,
        )
    }

    fn refused(config: &PvSystemConfig) -> String {
        validate(config, MODULES).expect_err("must be refused").to_string()
    }

    #[test]
    fn a_good_description_is_read_and_accepted() {
        let config = good();
        let bytes = config.to_bytes();
        assert_eq!(decode(&bytes), Ok(config));
        assert_eq!(validate(&config, MODULES), Ok(()));
        assert_eq!(guest_name(&config.guests[1]), "crash");
        assert_eq!(module_name(&config.guests[1]), "crash");
        let mut none = config;
        none.console_input = PV_NO_GUEST;
        assert_eq!(validate(&none, MODULES), Ok(()));
    }

    #[test]
    fn a_module_that_is_no_description_is_refused() {
        let bytes = good().to_bytes();
        assert_eq!(decode(&bytes[..4]).unwrap_err().to_string(), "4 bytes, too short for a magic number and a version");
        let mut elf = bytes;
        elf[..4].copy_from_slice(b"\x7fELF");
        assert_eq!(
            decode(&elf).unwrap_err().to_string(),
            "magic 0x464c457f is not PV_SYSTEM_MAGIC 0x53564355: not a system description"
        );
        let mut future = bytes;
        future[4] = 4;
        assert_eq!(decode(&future).unwrap_err().to_string(), "version 4; this root server reads version 3");
        let mut old = bytes;
        old[4] = 2;
        assert_eq!(decode(&old).unwrap_err().to_string(), "version 2; this root server reads version 3");
        assert_eq!(decode(&bytes[..567]).unwrap_err().to_string(), "567 bytes; a version 3 description has 568");
        let mut longer = bytes.to_vec();
        longer.push(0);
        assert!(decode(&longer).is_err());
    }

    #[test]
    fn counts_and_console_input_are_checked() {
        let mut config = good();
        config.guest_count = 0;
        assert_eq!(refused(&config), "guest_count 0 is outside 1..=6");
        config.guest_count = 7;
        assert_eq!(refused(&config), "guest_count 7 is outside 1..=6");
        let mut config = good();
        config.console_input = 2;
        assert_eq!(refused(&config), "console_input 2 names no guest (there are 2; 0xffffffff for none)");
        // Slots past the count are not looked at.
        let mut config = good();
        config.guests[4].priority = 1000;
        assert_eq!(validate(&config, MODULES), Ok(()));
    }

    #[test]
    fn names_are_checked() {
        let mut config = good();
        config.guests[1].name = paravirt_api::pv_name("");
        assert_eq!(refused(&config), "guest 1 ``: name: 1 to 24 letters, digits, `_`, `-`, `.` expected");
        config.guests[1].name = paravirt_api::pv_name("two words");
        assert_eq!(refused(&config), "guest 1 `two words`: name: 1 to 24 letters, digits, `_`, `-`, `.` expected");
        config.guests[1].name = paravirt_api::pv_name("a[b]");
        assert!(refused(&config).contains("name: 1 to 24"));
        // Bytes after the NUL must be NUL too; non-ASCII shows as escapes.
        config.guests[1].name = paravirt_api::pv_name("ab\0c");
        assert_eq!(refused(&config), "guest 1 `ab\\x00c`: name: 1 to 24 letters, digits, `_`, `-`, `.` expected");
        config.guests[1].name = paravirt_api::pv_name("ticks");
        assert_eq!(refused(&config), "guest 1 `ticks`: name: guest 0 has the same name");
        let mut config = good();
        config.name = paravirt_api::pv_name("bad name");
        assert_eq!(refused(&config), "the image name is not letters, digits, `_`, `-`, `.`");
        config.name = [0; 24];
        assert_eq!(validate(&config, MODULES), Ok(()), "an unnamed image is fine");
        let mut config = good();
        config.guests[0].name = *b"a_name_of_24_characters_";
        assert_eq!(validate(&config, MODULES), Ok(()));
    }

    #[test]
    fn every_guest_module_must_exist() {
        let mut config = good();
        config.guests[1].module = paravirt_api::pv_name("ghost");
        assert_eq!(refused(&config), "guest 1 `crash`: module: the boot image has no module of that name");
        for reserved in ["drivers", "system", ""] {
            config.guests[1].module = paravirt_api::pv_name(reserved);
            assert!(refused(&config).starts_with("guest 1 `crash`: module: 1 to 23"), "{reserved}");
        }
        config.guests[1].module = *b"a_name_of_24_characters_";
        assert!(refused(&config).contains("module: 1 to 23"));
        // Two guests may run the same module.
        let mut config = good();
        config.guests[1].module = paravirt_api::pv_name("ticks");
        assert_eq!(validate(&config, MODULES), Ok(()));
    }

    #[test]
    fn ranges_are_checked() {
        let check = |change: fn(&mut PvGuestConfig), expected: &str| {
            let mut config = good();
            change(&mut config.guests[1]);
            assert_eq!(refused(&config), format!("guest 1 `crash`: {expected}"));
        };
        let band = "(the guest band, below the root server and the device servers)";
        check(|g| g.priority = 0, &format!("priority 0 is outside 1..=98 {band}"));
        check(|g| g.priority = 99, &format!("priority 99 is outside 1..=98 {band}"));
        let memory = "is not a whole number of MiB below 4 GiB (a non-zero multiple of 1024)";
        check(|g| g.memory_kib = 0, &format!("memory_kib 0 {memory}"));
        check(|g| g.memory_kib = 1000, &format!("memory_kib 1000 {memory}"));
        check(|g| g.memory_kib = 4 * 1024 * 1024, &format!("memory_kib 4194304 {memory}"));
        check(|g| g.on_fault = 3, "on_fault 3 is not stop (0), restart (1) or shutdown (2)");
        check(|g| g.restart_limit = 33, "restart_limit 33 is above 32 restarts per minute");
        check(|g| g.tick_hz = 32_769, "tick_hz 32769 is outside 1..=32768 (0: the application's own rate)");
        check(|g| g.threads = 1, "threads 1 is outside 2..=16");
        check(|g| g.threads = 17, "threads 17 is outside 2..=16");
        check(|g| g.virq = 2, "virq 2 is neither 0 (direct) nor 1 (paper)");
        // A line granted to two guests: the later could take it from the first.
        let mut config = good();
        config.guests[0].interrupts = [1 << 8, 0, 0];
        config.guests[1].interrupts = [1 << 8, 0, 0];
        assert_eq!(
            refused(&config),
            "guest 1 `crash`: interrupts: line 40 is granted to guest 0 too (a line has one owner)"
        );
        config.guests[1].interrupts = [1 << 9, 0, 0];
        assert_eq!(validate(&config, MODULES), Ok(()));
        for good_one in [1, 98] {
            let mut config = good();
            config.guests[0].priority = good_one;
            config.guests[0].tick_hz = 32_768;
            config.guests[0].restart_limit = 32;
            assert_eq!(validate(&config, MODULES), Ok(()));
        }
    }

    #[test]
    fn images_without_a_description_run_every_module_after_drivers() {
        let fallback = fallback("isolation", &["drivers", "ticks", "crash", "corrupt"]);
        let config = fallback.config;
        assert_eq!(fallback.left_out, 0);
        assert_eq!(config.guest_count, 3);
        assert_eq!(config.console_input, 0);
        assert_eq!(crate::name_text(&config.name), Some("isolation"));
        for (guest, name) in config.guests.iter().zip(["ticks", "crash", "corrupt"]) {
            assert_eq!((guest_name(guest), module_name(guest)), (name, name));
            assert_eq!((guest.priority, guest.memory_kib), (FALLBACK_PRIORITY, FALLBACK_MEMORY_KIB));
            assert_eq!((guest.on_fault, guest.restart_limit, guest.tick_hz), (PV_ON_FAULT_STOP, 0, 0));
        }
        assert_eq!(validate(&config, &["drivers", "ticks", "crash", "corrupt"]), Ok(()));
        // Modules before `drivers` are not guests; more than six are left out.
        let many = ["early", "drivers", "a", "b", "c", "d", "e", "f", "g"];
        let fallback = super::fallback("many", &many);
        assert_eq!((fallback.config.guest_count, fallback.left_out), (6, 1));
        assert_eq!(guest_name(&fallback.config.guests[0]), "a");
    }
}
