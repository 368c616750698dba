//! STAND-IN for `description.rs` (being written on another branch): the same
//! API, the least behaviour the image build needs. Delete when the real module
//! lands on main.

use crate::GuestBuild;
use std::fmt;
use std::path::{Path, PathBuf};

/// A description file that cannot be used.
#[derive(Debug)]
pub struct DescriptionError(String);

impl fmt::Display for DescriptionError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for DescriptionError {}

#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSystem {
    name: Option<String>,
    console_input: Option<String>,
    guest: Vec<RawGuest>,
}

#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct RawGuest {
    name: String,
    path: String,
    priority: u32,
    memory_kib: u32,
    on_fault: Option<String>,
    restart_limit: Option<u32>,
    tick_hz: Option<u32>,
    float: Option<String>,
    opt_level: Option<String>,
    #[serde(default)]
    defines: std::collections::BTreeMap<String, String>,
    #[serde(default)]
    flags: Vec<String>,
    #[serde(default)]
    include: Vec<String>,
    #[serde(default)]
    libraries: Vec<String>,
    #[serde(default)]
    sources: Vec<String>,
}

/// A system description.
#[derive(Debug)]
pub struct System {
    /// The description file.
    pub file: PathBuf,
    /// The image name.
    pub name: String,
    /// Index of the guest that takes console input.
    pub console_input: Option<usize>,
    /// The guests.
    pub guests: Vec<Guest>,
}

/// One guest of a description.
#[derive(Debug)]
pub struct Guest {
    /// Name.
    pub name: String,
    /// Application folder.
    pub path: PathBuf,
    /// Priority.
    pub priority: u32,
    /// Memory, KiB.
    pub memory_kib: u32,
    /// Fault policy (`PV_ON_FAULT_*`).
    pub on_fault: u32,
    /// Restarts per minute.
    pub restart_limit: u32,
    /// Tick rate, 0: the application's.
    pub tick_hz: u32,
    /// Hard-float C.
    pub hard_float: bool,
    /// C optimisation level.
    pub opt_level: Option<String>,
    /// C defines.
    pub defines: Vec<(String, Option<String>)>,
    /// C flags.
    pub flags: Vec<String>,
    /// Include folders.
    pub include: Vec<PathBuf>,
    /// Static libraries.
    pub libraries: Vec<PathBuf>,
    /// Listed sources (none: the folder's).
    pub sources: Vec<PathBuf>,
}

impl System {
    /// Reads and checks `path`.
    pub fn load(path: &Path) -> Result<System, DescriptionError> {
        let text = std::fs::read_to_string(path).map_err(|e| DescriptionError(format!("{}: {e}", path.display())))?;
        let raw: RawSystem = toml::from_str(&text).map_err(|e| DescriptionError(format!("{}: {e}", path.display())))?;
        let base = path.parent().unwrap_or(Path::new(".")).to_path_buf();
        let folder = base.canonicalize().unwrap_or(base.clone());
        let name = raw.name.unwrap_or_else(|| {
            folder.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| "system".into())
        });
        let guests: Vec<Guest> = raw
            .guest
            .into_iter()
            .map(|g| Guest {
                path: base.join(&g.path),
                priority: g.priority,
                memory_kib: g.memory_kib,
                on_fault: match g.on_fault.as_deref() {
                    Some("restart") => paravirt_api::PV_ON_FAULT_RESTART,
                    Some("shutdown") => paravirt_api::PV_ON_FAULT_SHUTDOWN,
                    _ => paravirt_api::PV_ON_FAULT_STOP,
                },
                restart_limit: g.restart_limit.unwrap_or(3),
                tick_hz: g.tick_hz.unwrap_or(0),
                hard_float: g.float.as_deref() == Some("hard"),
                opt_level: g.opt_level,
                defines: g
                    .defines
                    .into_iter()
                    .map(|(k, v)| if v.is_empty() { (k, None) } else { (k, Some(v)) })
                    .collect(),
                flags: g.flags,
                include: g.include.iter().map(|p| base.join(p)).collect(),
                libraries: g.libraries.iter().map(|p| base.join(p)).collect(),
                sources: g.sources.iter().map(|p| base.join(p)).collect(),
                name: g.name,
            })
            .collect();
        let console_input =
            match raw.console_input {
                Some(name) => Some(guests.iter().position(|g| g.name == name).ok_or_else(|| {
                    DescriptionError(format!("{}: console_input: no guest `{name}`", path.display()))
                })?),
                None => None,
            };
        Ok(System { file: path.to_path_buf(), name, console_input, guests })
    }

    /// The `system` boot module: a `PvSystemConfig`, little-endian.
    pub fn config_bytes(&self) -> Vec<u8> {
        fn name(bytes: &mut Vec<u8>, text: &str) {
            let mut field = [0u8; 24];
            let n = text.len().min(23);
            field[..n].copy_from_slice(&text.as_bytes()[..n]);
            bytes.extend_from_slice(&field);
        }
        let mut bytes = Vec::new();
        let word = |bytes: &mut Vec<u8>, value: u32| bytes.extend_from_slice(&value.to_le_bytes());
        word(&mut bytes, paravirt_api::PV_SYSTEM_MAGIC);
        word(&mut bytes, paravirt_api::PV_SYSTEM_VERSION);
        word(&mut bytes, self.guests.len() as u32);
        word(&mut bytes, self.console_input.map_or(paravirt_api::PV_NO_GUEST, |i| i as u32));
        name(&mut bytes, &self.name);
        for index in 0..paravirt_api::PV_MAX_GUESTS as usize {
            let Some(guest) = self.guests.get(index) else {
                bytes.extend_from_slice(&[0u8; 80]);
                continue;
            };
            name(&mut bytes, &guest.name);
            name(&mut bytes, &guest.name);
            for value in [guest.priority, guest.memory_kib, guest.on_fault, guest.restart_limit, guest.tick_hz, 0, 0, 0]
            {
                word(&mut bytes, value);
            }
        }
        bytes
    }
}

impl Guest {
    /// Applies the guest's sources and options to `build`.
    pub fn apply(&self, mut build: GuestBuild) -> GuestBuild {
        if self.sources.is_empty() {
            build = build.source_dir(&self.path);
        } else {
            build = build.sources(self.sources.iter().cloned());
        }
        for dir in &self.include {
            build = build.include(dir);
        }
        for library in &self.libraries {
            build = build.library(library);
        }
        for (name, value) in &self.defines {
            build = build.define(name, value.as_deref());
        }
        for flag in &self.flags {
            build = build.flag(flag);
        }
        if let Some(level) = &self.opt_level {
            build = build.opt_level(level);
        }
        build.hard_float(self.hard_float)
    }
}
