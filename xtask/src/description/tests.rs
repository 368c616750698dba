// SPDX-License-Identifier: MIT OR Apache-2.0
//! Unit tests of the system description: a full description and its boot
//! module, the defaults, and one test per kind of error, checking the message.

use super::*;
use paravirt_api::pv_guest_interrupt_granted;
use std::fs;

const OS_CFG: &str =
    "#ifndef OS_CFG_H\n#define OS_CFG_H\n#define OS_TICKS_PER_SEC       1000u   /* Clock ticks per second */\n#endif\n";

/// A fresh description folder `.../<test>/demo` holding two applications
/// (`control`, `logger`: `main.c`, `os_cfg.h` at 1000 Hz, `app_cfg.h`), an
/// include folder `bsp` and a library `vendor/libcrc.a`.
fn fixture(test: &str) -> PathBuf {
    let root = std::env::temp_dir().join(format!("xtask-description-{}-{test}", std::process::id()));
    let _ = fs::remove_dir_all(&root);
    let dir = root.join("demo");
    for app in ["control", "logger"] {
        write(&dir, &format!("{app}/main.c"), "int main(void) { return 0; }\n");
        write(&dir, &format!("{app}/os_cfg.h"), OS_CFG);
        write(&dir, &format!("{app}/app_cfg.h"), "");
    }
    write(&dir, "control/util.c", "");
    write(&dir, "bsp/board.h", "");
    write(&dir, "vendor/libcrc.a", "!<arch>\n");
    dir
}

fn write(dir: &Path, relative: &str, text: &str) {
    let path = dir.join(relative);
    fs::create_dir_all(path.parent().unwrap()).unwrap();
    fs::write(path, text).unwrap();
}

fn parse(dir: &Path, text: &str) -> Result<System, DescriptionError> {
    System::parse(text, &dir.join("system.toml"))
}

/// The error `text` gives, after checking that its message names the file.
fn error(dir: &Path, text: &str) -> DescriptionError {
    let error = parse(dir, text).expect_err("the description must be refused");
    let message = error.to_string();
    assert!(message.starts_with(&dir.join("system.toml").display().to_string()), "{message}");
    error
}

/// Asserts that `error` is at `line`, about `key`, and that its message says each of `says`.
fn assert_error(error: &DescriptionError, line: Option<usize>, key: &str, says: &[&str]) {
    let message = error.to_string();
    assert_eq!(error.line, line, "{message}");
    assert_eq!(error.key, key, "{message}");
    if !key.is_empty() {
        assert!(message.contains(&format!("`{key}`")), "{message}");
    }
    for text in says {
        assert!(message.contains(text), "`{text}` missing from: {message}");
    }
}

const ONE_GUEST: &str = "[[guest]]\nname = \"control\"\npath = \"control\"\npriority = 50\nmemory_kib = 8192\n";

/// `ONE_GUEST` with `line` added to its table (line 6).
fn one_guest_with(line: &str) -> String {
    format!("{ONE_GUEST}{line}\n")
}

const FULL: &str = r#"# A two-guest image
[system]
name = "plant"
console_input = "logger"

[[guest]]
name = "control"
path = "control"
priority = 50
memory_kib = 8192
on_fault = "restart"
restart_limit = 5
tick_hz = 1000
threads = 6
virq = "paper"
float = "hard"
opt_level = "2"
defines = { BOARD_REV = "3", NDEBUG = true, COUNT = 7 }
flags = ["-Wno-unused-parameter"]
include = ["bsp"]
libraries = ["vendor/libcrc.a"]
sources = ["main.c", "util.c"]

[[guest.packages]]
crate = "littlefs2-sys"
version = "0.3.2"
sources = ["littlefs/lfs.c"]
include = ["littlefs"]
defines = { LFS_NO_MALLOC = true }

[[guest]]
name = "logger"
path = "logger"
priority = 40
memory_kib = 6144
on_fault = "shutdown"
"#;

#[test]
fn a_full_description_is_read_with_every_key() {
    let dir = fixture("full");
    let system = parse(&dir, FULL).unwrap();
    assert_eq!(system.file, dir.join("system.toml"));
    assert_eq!(system.name, "plant");
    assert_eq!(system.console_input, Some(1));
    assert_eq!(system.guests.len(), 2);
    let control = &system.guests[0];
    assert_eq!(
        *control,
        Guest {
            name: "control".into(),
            path: dir.join("control"),
            priority: 50,
            memory_kib: 8192,
            on_fault: OnFault::Restart,
            restart_limit: 5,
            tick_hz: Some(1000),
            threads: 6,
            virq: Virq::Paper,
            hard_float: true,
            opt_level: "2".into(),
            defines: vec![
                ("BOARD_REV".into(), Some("3".into())),
                ("COUNT".into(), Some("7".into())),
                ("NDEBUG".into(), None),
            ],
            flags: vec!["-Wno-unused-parameter".into()],
            include: vec![dir.join("bsp")],
            libraries: vec![dir.join("vendor/libcrc.a")],
            sources: vec![dir.join("control/main.c"), dir.join("control/util.c")],
            interrupts: vec![],
            packages: vec![Package {
                id: crate::registry::PackageId { name: "littlefs2-sys".into(), version: "0.3.2".into() },
                sources: vec!["littlefs/lfs.c".into()],
                include: vec!["littlefs".into()],
                defines: vec![("LFS_NO_MALLOC".into(), None)],
            }],
            link_address: None,
        }
    );
    let logger = &system.guests[1];
    assert_eq!((logger.name.as_str(), logger.priority, logger.memory_kib), ("logger", 40, 6144));
    assert_eq!(logger.on_fault, OnFault::Shutdown);
    assert_eq!(logger.virq, Virq::Direct, "the default path");
}

#[test]
fn the_virtual_interrupt_path_is_direct_or_paper() {
    let dir = fixture("virq");
    let config = |text: &str| parse(&dir, text).unwrap().config().guests[0].virq;
    assert_eq!(config(ONE_GUEST), PV_VIRQ_DIRECT);
    assert_eq!(config(&one_guest_with("virq = \"direct\"")), PV_VIRQ_DIRECT);
    assert_eq!(config(&one_guest_with("virq = \"paper\"")), PV_VIRQ_PAPER);
    let wrong = error(&dir, &one_guest_with("virq = \"kernel\""));
    assert_error(
        &wrong,
        Some(6),
        "guest[1].virq",
        &["\"kernel\" is not a virtual-interrupt path", "\"direct\"", "\"paper\""],
    );
}

#[test]
fn the_boot_module_is_the_abi_struct_little_endian() {
    let dir = fixture("bytes");
    let system = parse(&dir, FULL).unwrap();
    let config = system.config();
    assert_eq!((config.magic, config.version), (PV_SYSTEM_MAGIC, PV_SYSTEM_VERSION));
    assert_eq!((config.guest_count, config.console_input), (2, 1));
    assert_eq!(&config.name[..6], b"plant\0");
    let control = config.guests[0];
    assert_eq!(&control.name[..8], b"control\0");
    assert_eq!(control.module, control.name, "module names are guest names");
    assert_eq!(
        (control.priority, control.memory_kib, control.on_fault, control.restart_limit, control.tick_hz),
        (50, 8192, PV_ON_FAULT_RESTART, 5, 1000)
    );
    let logger = config.guests[1];
    assert_eq!((logger.on_fault, logger.restart_limit, logger.tick_hz), (PV_ON_FAULT_SHUTDOWN, 3, 1000));
    assert_eq!((control.virq, logger.virq), (PV_VIRQ_PAPER, PV_VIRQ_DIRECT));
    assert_eq!(config.guests[2], PvGuestConfig::default(), "unused slots are zero");

    let bytes = system.config_bytes();
    assert_eq!(bytes.len(), std::mem::size_of::<PvSystemConfig>());
    assert_eq!(&bytes[0..4], b"UCVS");
    assert_eq!(&bytes[8..16], &[2, 0, 0, 0, 1, 0, 0, 0]);
    let guests = std::mem::offset_of!(PvSystemConfig, guests);
    let priority = guests + std::mem::offset_of!(PvGuestConfig, priority);
    assert_eq!(&bytes[priority..priority + 4], &50u32.to_le_bytes());
    let second = guests + std::mem::size_of::<PvGuestConfig>();
    assert_eq!(&bytes[second..second + 7], b"logger\0");
    if cfg!(target_endian = "little") {
        // SAFETY: `config` is a live `repr(C)` value of u32s and byte arrays
        // whose size is the sum of its fields (checked above through
        // `config_bytes`, which writes every field): it has no padding, so all
        // of its bytes are initialised.
        let raw = unsafe {
            std::slice::from_raw_parts((&raw const config).cast::<u8>(), std::mem::size_of::<PvSystemConfig>())
        };
        assert_eq!(bytes, raw);
    }
}

#[test]
fn defaults() {
    let dir = fixture("defaults");
    let system = parse(&dir, ONE_GUEST).unwrap();
    assert_eq!(system.name, "demo", "the description's folder name");
    assert_eq!(system.console_input, Some(0), "the first guest");
    let guest = &system.guests[0];
    assert_eq!(guest.on_fault, OnFault::Stop);
    assert_eq!(guest.restart_limit, RESTART_LIMIT_DEFAULT);
    assert_eq!(guest.tick_hz, Some(1000), "OS_TICKS_PER_SEC of os_cfg.h");
    assert_eq!(guest.threads, PV_GUEST_THREADS_DEFAULT);
    assert_eq!(system.config().guests[0].threads, 4);
    assert!(!guest.hard_float);
    assert_eq!(guest.opt_level, "s");
    assert!(guest.defines.is_empty() && guest.flags.is_empty());
    assert!(guest.include.is_empty() && guest.libraries.is_empty());
    assert!(guest.sources.is_empty(), "the whole folder");
    assert_eq!(system.config().guests[0].on_fault, PV_ON_FAULT_STOP);

    let none = parse(&dir, &format!("[system]\nconsole_input = \"none\"\n{ONE_GUEST}")).unwrap();
    assert_eq!(none.console_input, None);
    assert_eq!(none.config().console_input, PV_NO_GUEST);
}

#[test]
fn a_tick_rate_os_cfg_does_not_state_literally_is_left_to_the_runtime() {
    let dir = fixture("tick-macro");
    write(&dir, "control/os_cfg.h", "#define OS_TICKS_PER_SEC  APP_TICK_RATE /* from the build */\n");
    let system = parse(&dir, ONE_GUEST).unwrap();
    assert_eq!(system.guests[0].tick_hz, None);
    assert_eq!(system.config().guests[0].tick_hz, 0);
    let given = parse(&dir, &one_guest_with("tick_hz = 100")).unwrap();
    assert_eq!(given.guests[0].tick_hz, Some(100));
}

#[test]
fn guest_apply_sets_the_build_options() {
    let dir = fixture("apply");
    let system = parse(&dir, FULL).unwrap();
    let [control, logger] = &system.guests[..] else { panic!("two guests") };
    let applied = control.apply(GuestBuild::new("control", &control.path));
    let expected = GuestBuild::new("control", &control.path)
        .sources([dir.join("control/main.c"), dir.join("control/util.c")])
        .define("BOARD_REV", "3")
        .define("COUNT", "7")
        .define("NDEBUG", None)
        .flag("-Wno-unused-parameter")
        .include(dir.join("bsp"))
        .library(dir.join("vendor/libcrc.a"))
        .opt_level("2")
        .hard_float(true);
    assert_eq!(format!("{applied:?}"), format!("{expected:?}"));
    let applied = logger.apply(GuestBuild::new("logger", &logger.path));
    let expected = GuestBuild::new("logger", &logger.path).source_dir(&logger.path);
    assert_eq!(format!("{applied:?}"), format!("{expected:?}"), "the whole folder, -Os, soft float");
}

#[test]
fn load_reads_the_file_and_names_it_when_it_cannot() {
    let dir = fixture("load");
    write(&dir, "system.toml", ONE_GUEST);
    assert_eq!(System::load(&dir.join("system.toml")).unwrap().guests[0].name, "control");
    let missing = System::load(&dir.join("nothing.toml")).unwrap_err();
    assert_error(&missing, None, "", &["nothing.toml", "cannot read the system description"]);
}

// ---------------------------------------------------------------------------
// One test per kind of error
// ---------------------------------------------------------------------------

#[test]
fn unknown_keys_are_refused_with_the_keys_allowed() {
    let dir = fixture("unknown");
    let guest = error(&dir, &one_guest_with("prio = 3"));
    assert_error(&guest, Some(6), "guest[1].prio", &["unknown key `prio`", "`priority`", "`memory_kib`", "`sources`"]);
    let system = error(&dir, &format!("[system]\nnam = \"x\"\n{ONE_GUEST}"));
    assert_error(&system, Some(2), "system.nam", &["unknown key `nam`", "`name`", "`console_input`"]);
    let top = error(&dir, &format!("[board]\nram = 1\n{ONE_GUEST}"));
    assert_error(&top, Some(1), "board", &["unknown key `board`", "`system`", "`guest`"]);
    let second = error(&dir, &format!("{ONE_GUEST}\n[[guest]]\nname = \"b\"\nmemory = 2\n"));
    assert_error(&second, Some(9), "guest[2].memory", &["unknown key `memory`"]);
}

#[test]
fn a_missing_required_key_is_named() {
    let dir = fixture("missing");
    let text = "[[guest]]\nname = \"control\"\npath = \"control\"\nmemory_kib = 8192\n";
    assert_error(&error(&dir, text), Some(1), "guest[1].priority", &["required key `priority` is missing"]);
    let second = format!("{ONE_GUEST}[[guest]]\nname = \"logger\"\npriority = 3\nmemory_kib = 6144\n");
    assert_error(&error(&dir, &second), Some(6), "guest[2].path", &["required key `path` is missing"]);
}

#[test]
fn a_value_of_the_wrong_type_is_named() {
    let dir = fixture("type");
    let text = "[[guest]]\nname = \"control\"\npath = \"control\"\npriority = \"high\"\nmemory_kib = 8192\n";
    assert_error(&error(&dir, text), Some(4), "guest[1].priority", &["invalid type: string \"high\""]);
    let negative = "[[guest]]\nname = \"control\"\npath = \"control\"\npriority = 5\nmemory_kib = -1\n";
    assert_error(&error(&dir, negative), Some(5), "guest[1].memory_kib", &["expected a whole number"]);
    let flags = error(&dir, &one_guest_with("flags = \"-Wall\""));
    assert_error(&flags, Some(6), "guest[1].flags", &["invalid type"]);
    let table = error(&dir, "[guest]\nname = \"control\"\n");
    assert_error(&table, Some(1), "guest", &["`[[guest]]`"]);
    let define = error(&dir, &one_guest_with("defines = { RATE = 1.5 }"));
    assert_error(&define, Some(6), "guest[1].defines.RATE", &["string, an integer or true", "float"]);
    let undefined = error(&dir, &one_guest_with("defines = { NDEBUG = false }"));
    assert_error(&undefined, Some(6), "guest[1].defines.NDEBUG", &["leave the macro out"]);
    let bad_macro = error(&dir, &one_guest_with("defines = { \"2X\" = true }"));
    assert_error(&bad_macro, Some(6), "guest[1].defines.2X", &["not a C macro name"]);
}

#[test]
fn toml_syntax_errors_keep_the_line() {
    let dir = fixture("syntax");
    let broken = error(&dir, &one_guest_with("on_fault = restart"));
    assert_error(&broken, Some(6), "guest[1].on_fault", &[]);
    let twice = error(&dir, &one_guest_with("priority = 51"));
    assert_error(&twice, Some(6), "guest[1].priority", &["given twice"]);
}

#[test]
fn a_duplicate_guest_name_names_both_places() {
    let dir = fixture("duplicate");
    let text =
        format!("{ONE_GUEST}\n[[guest]]\nname = \"control\"\npath = \"logger\"\npriority = 40\nmemory_kib = 6144\n");
    let duplicate = error(&dir, &text);
    assert_error(
        &duplicate,
        Some(8),
        "guest[2].name",
        &["`control` is used twice", "guest[1] (line 2)", "guest[2] (line 8)"],
    );
}

#[test]
fn bad_names_are_refused() {
    let dir = fixture("names");
    let long = error(&dir, &ONE_GUEST.replace("\"control\"\npath", "\"a_name_of_twenty_four_ch\"\npath"));
    assert_error(&long, Some(2), "guest[1].name", &["24 characters", "1 to 23"]);
    let space = error(&dir, &ONE_GUEST.replace("\"control\"\npath", "\"my app\"\npath"));
    assert_error(&space, Some(2), "guest[1].name", &["' '", "A-Z, a-z, 0-9"]);
    for (name, why) in [("none", "means no guest"), ("system", "boot module"), ("drivers", "boot module")] {
        let reserved = error(&dir, &ONE_GUEST.replace("\"control\"\npath", &format!("\"{name}\"\npath")));
        assert_error(&reserved, Some(2), "guest[1].name", &[&format!("`{name}` is reserved"), why]);
    }
    let image = error(&dir, &format!("[system]\nname = \"\"\n{ONE_GUEST}"));
    assert_error(&image, Some(2), "system.name", &["1 to 23"]);
    let folder = dir.parent().unwrap().join("bad folder");
    fs::create_dir_all(&folder).unwrap();
    let text = ONE_GUEST.replace("\"control\"\nprio", "\"../demo/control\"\nprio");
    let default = System::parse(&text, &folder.join("system.toml")).unwrap_err();
    assert_error(&default, None, "system.name", &["folder name, `bad folder`", "set `name` in `[system]`"]);
}

#[test]
fn missing_folders_and_files_print_the_path_tried() {
    let dir = fixture("paths");
    let folder = error(&dir, &ONE_GUEST.replace("path = \"control\"", "path = \"contrl\""));
    let tried = dir.join("contrl").display().to_string();
    assert_error(&folder, Some(3), "guest[1].path", &["folder", &tried, "does not exist"]);

    fs::remove_file(dir.join("logger/app_cfg.h")).unwrap();
    let config = error(&dir, &ONE_GUEST.replace("path = \"control\"", "path = \"logger\""));
    assert_error(&config, Some(3), "guest[1].path", &["has no app_cfg.h"]);

    let include = error(&dir, &one_guest_with("include = [\"bsp\", \"hal\"]"));
    assert_error(&include, Some(6), "guest[1].include", &[&dir.join("hal").display().to_string(), "does not exist"]);
    let library = error(&dir, &one_guest_with("libraries = [\"vendor/libfoo.a\"]"));
    let tried = dir.join("vendor/libfoo.a").display().to_string();
    assert_error(&library, Some(6), "guest[1].libraries", &[&tried, "does not exist"]);
    fs::create_dir_all(dir.join("vendor/empty")).unwrap();
    let empty = error(&dir, &one_guest_with("libraries = [\"vendor/empty\"]"));
    let tried = dir.join("vendor/empty").display().to_string();
    assert_error(&empty, Some(6), "guest[1].libraries", &[&tried, "no sources"]);
    let source = error(&dir, &one_guest_with("sources = [\"main.c\", \"extra.c\"]"));
    let tried = dir.join("control/extra.c").display().to_string();
    assert_error(&source, Some(6), "guest[1].sources", &[&tried, "does not exist"]);
    let header = error(&dir, &one_guest_with("sources = [\"os_cfg.h\"]"));
    assert_error(&header, Some(6), "guest[1].sources", &["not a source"]);
    let empty = error(&dir, &one_guest_with("sources = []"));
    assert_error(&empty, Some(6), "guest[1].sources", &["empty list"]);

    write(&dir, "nosrc/os_cfg.h", OS_CFG);
    write(&dir, "nosrc/app_cfg.h", "");
    let no_sources = error(&dir, &ONE_GUEST.replace("path = \"control\"", "path = \"nosrc\""));
    assert_error(&no_sources, Some(3), "guest[1].path", &["no sources"]);
}

#[test]
fn memory_beyond_the_board_states_the_sum_and_the_limit() {
    let dir = fixture("memory");
    let text = format!(
        "{}\n[[guest]]\nname = \"logger\"\npath = \"logger\"\npriority = 40\nmemory_kib = 8192\n",
        ONE_GUEST.replace("8192", "92160")
    );
    let too_much = error(&dir, &text);
    assert_error(
        &too_much,
        Some(11),
        "guest[2].memory_kib",
        &["add up to 100352 KiB", "control 92160 + logger 8192", "99328 KiB", "97 MiB"],
    );
    let exact = text.replace(
        "logger\"\npriority = 40\nmemory_kib = 8192",
        &format!("logger\"\npriority = 40\nmemory_kib = {}", BOARD_GUEST_RAM_KIB - 92160),
    );
    assert!(parse(&dir, &exact).is_ok(), "the whole budget may be used");

    let odd = error(&dir, &ONE_GUEST.replace("8192", "7000"));
    assert_error(&odd, Some(5), "guest[1].memory_kib", &["7000 KiB", "multiple of 1024"]);
    let small = error(&dir, &ONE_GUEST.replace("8192", "4096"));
    assert_error(&small, Some(5), "guest[1].memory_kib", &["at least 6144"]);
}

#[test]
fn a_thread_quota_outside_its_range_is_refused() {
    let dir = fixture("threads");
    for threads in [0, 1, 17, 1000] {
        let refused = error(&dir, &one_guest_with(&format!("threads = {threads}")));
        assert_error(&refused, Some(6), "guest[1].threads", &[&format!("{threads} threads"), "2..=16"]);
    }
    for threads in [2, 16] {
        let system = parse(&dir, &one_guest_with(&format!("threads = {threads}"))).unwrap();
        assert_eq!(system.config().guests[0].threads, threads);
        let bytes = system.config_bytes();
        let offset = std::mem::offset_of!(PvSystemConfig, guests) + std::mem::offset_of!(PvGuestConfig, threads);
        assert_eq!(&bytes[offset..offset + 4], &threads.to_le_bytes());
    }
}

#[test]
fn threads_beyond_the_kernels_pool_state_the_sum_and_the_limit() {
    let dir = fixture("thread_sum");
    let guest = |n: usize, threads: u32| {
        format!(
            "[[guest]]\nname = \"g{n}\"\npath = \"control\"\npriority = 50\nmemory_kib = 6144\nthreads = {threads}\n"
        )
    };
    // Six guests of 10 fill the 60 threads the kernel has for guests.
    let full: String = (1..=6).map(|n| guest(n, 10)).collect();
    assert!(parse(&dir, &full).is_ok(), "the whole pool may be used");
    let over: String = (1..=6).map(|n| guest(n, if n == 4 { 16 } else { 10 })).collect();
    // It names the guest whose threads pass the budget (the sixth: 66 > 60).
    let refused = error(&dir, &over);
    assert_error(
        &refused,
        Some(36),
        "guest[6].threads",
        &["add up to 66", "g1 10 + g2 10 + g3 10 + g4 16 + g5 10 + g6 10", "60 threads for guests"],
    );
    // A guest that says nothing takes the default, and counts with it.
    let defaults: String = (1..=6).map(|n| guest(n, 16).replace("threads = 16\n", "")).collect();
    assert!(parse(&dir, &defaults).is_ok(), "6 × 4 fits");
}

#[test]
fn the_thread_budget_follows_the_kernel() {
    assert_eq!(PV_MAX_THREADS as usize, hypervisor::kernel::MAX_THREADS);
    assert_eq!(BOARD_GUEST_THREADS, 60);
    const { assert!(PV_GUEST_THREADS_MAX * PV_MAX_GUESTS > BOARD_GUEST_THREADS, "so the sum must be checked") };
}

#[test]
fn the_budget_follows_the_kernel_and_the_board() {
    assert_eq!(BOARD_RAM_MIB as usize * 1024 * 1024, hypervisor::plat::RAM_SIZE);
    assert_eq!(UTCB_POOL_MIB as usize, hypervisor::kernel::MAX_SPACES);
    assert_eq!(BOARD_GUEST_RAM_KIB, 97 * 1024);
}

#[test]
fn a_priority_outside_the_band_is_refused() {
    let dir = fixture("priority");
    for priority in [0, 99, 150] {
        let text = ONE_GUEST.replace("priority = 50", &format!("priority = {priority}"));
        let outside = error(&dir, &text);
        assert_error(
            &outside,
            Some(4),
            "guest[1].priority",
            &[&format!("{priority} is outside the guest band 1..=98")],
        );
    }
    for priority in [1, 98] {
        assert!(parse(&dir, &ONE_GUEST.replace("priority = 50", &format!("priority = {priority}"))).is_ok());
    }
}

#[test]
fn a_tick_rate_that_cannot_be_served_is_refused() {
    let dir = fixture("tick");
    let fast = error(&dir, &one_guest_with("tick_hz = 40000"));
    assert_error(&fast, Some(6), "guest[1].tick_hz", &["40000 Hz cannot be served", "1..=32768"]);
    let zero = error(&dir, &one_guest_with("tick_hz = 0"));
    assert_error(&zero, Some(6), "guest[1].tick_hz", &["0 Hz cannot be served"]);

    let differs = error(&dir, &one_guest_with("tick_hz = 100"));
    let header = dir.join("control/os_cfg.h").display().to_string();
    assert_error(&differs, Some(6), "guest[1].tick_hz", &["tick_hz = 100", "OS_TICKS_PER_SEC 1000", &header]);

    write(&dir, "control/os_cfg.h", "#define OS_TICKS_PER_SEC 65536u\n");
    let compiled = error(&dir, ONE_GUEST);
    assert_error(&compiled, Some(3), "guest[1].tick_hz", &["OS_TICKS_PER_SEC 65536", &header, "1..=32768"]);
}

#[test]
fn only_shared_peripheral_interrupts_no_device_server_owns_are_granted() {
    let dir = fixture("interrupts");
    let system = parse(&dir, &one_guest_with("interrupts = [80, 34, 127, 32]")).unwrap();
    assert_eq!(system.guests[0].interrupts, [32, 34, 80, 127]);
    let set = system.config().guests[0].interrupts;
    assert_eq!(set, [(1 << 0) | (1 << 2), 1 << 16, 1 << 31]);
    for irq in [32, 34, 80, 127] {
        assert!(pv_guest_interrupt_granted(&set, irq), "{irq}");
    }
    for irq in [0, 27, 30, 31, 33, 35, 128, u32::MAX] {
        assert!(!pv_guest_interrupt_granted(&set, irq), "{irq}");
    }
    assert_eq!(parse(&dir, ONE_GUEST).unwrap().config().guests[0].interrupts, [0; 3], "none by default");
    for (irq, says) in [
        (1, "is a software-generated interrupt (SGI 0..15)"),
        (27, "is a private peripheral interrupt (PPI 16..31"),
        (30, "is a private peripheral interrupt"),
        (33, "is the console UART's, which v_serial owns"),
        (128, "is above 127"),
    ] {
        let refused = error(&dir, &one_guest_with(&format!("interrupts = [40, {irq}]")));
        assert_error(&refused, Some(6), "guest[1].interrupts", &[&format!("interrupt {irq} {says}"), "32..=127"]);
    }
    let twice = error(&dir, &one_guest_with("interrupts = [40, 40]"));
    assert_error(&twice, Some(6), "guest[1].interrupts", &["interrupt 40 is listed twice"]);
}

#[test]
fn an_interrupt_line_has_one_owner() {
    let dir = fixture("interrupts-shared");
    let guest = |name: &str, lines: &str| {
        format!(
            "[[guest]]\nname = \"{name}\"\npath = \"control\"\npriority = 50\nmemory_kib = 6144\ninterrupts = {lines}\n"
        )
    };
    let apart = format!("{}{}", guest("a", "[40, 41]"), guest("b", "[42]"));
    assert!(parse(&dir, &apart).is_ok());
    let shared = format!("{}{}", guest("a", "[40, 41]"), guest("b", "[42, 41]"));
    let refused = error(&dir, &shared);
    assert_error(&refused, Some(12), "guest[2].interrupts", &["interrupt 41 is already granted to guest[1] `a`"]);
}

#[test]
fn no_guest_or_too_many_guests_are_refused() {
    let dir = fixture("count");
    assert_error(&error(&dir, ""), None, "guest", &["no guest"]);
    assert_error(&error(&dir, "[system]\nname = \"x\"\n"), None, "guest", &["no guest"]);
    let guests: String = (0..7)
        .map(|i| format!("[[guest]]\nname = \"g{i}\"\npath = \"control\"\npriority = 10\nmemory_kib = 6144\n"))
        .collect();
    assert_error(&error(&dir, &guests), Some(31), "guest[7]", &["7 guests", "at most 6"]);
    let six: String = guests.split("[[guest]]").skip(1).take(6).map(|g| format!("[[guest]]{g}")).collect();
    assert_eq!(parse(&dir, &six).unwrap().guests.len(), 6);
}

#[test]
fn console_input_must_name_a_guest() {
    let dir = fixture("console");
    let text = format!("[system]\nconsole_input = \"logger\"\n{ONE_GUEST}");
    let nobody = error(&dir, &text);
    assert_error(&nobody, Some(2), "system.console_input", &["\"logger\" names no guest", "\"control\"", "\"none\""]);
}

#[test]
fn bad_enumerated_values_list_the_good_ones() {
    let dir = fixture("values");
    let fault = error(&dir, &one_guest_with("on_fault = \"reboot\""));
    assert_error(&fault, Some(6), "guest[1].on_fault", &["unknown value `reboot`", "`stop`, `restart`, `shutdown`"]);
    let float = error(&dir, &one_guest_with("float = \"double\""));
    assert_error(&float, Some(6), "guest[1].float", &["`double`", "`soft`", "`hard`"]);
    let level = error(&dir, &one_guest_with("opt_level = \"4\""));
    assert_error(&level, Some(6), "guest[1].opt_level", &["\"4\" is not an optimisation level", "\"s\", \"g\""]);
    let limit = error(&dir, &one_guest_with("restart_limit = 0"));
    assert_error(&limit, Some(6), "guest[1].restart_limit", &["1..=60"]);
    let flag = error(&dir, &one_guest_with("flags = [\"-O0\"]"));
    assert_error(&flag, Some(6), "guest[1].flags", &["use `opt_level`"]);
    let abi = error(&dir, &one_guest_with("flags = [\"-mfloat-abi=hard\"]"));
    assert_error(&abi, Some(6), "guest[1].flags", &["use `float`"]);
}

// ---------------------------------------------------------------------------
// OS_TICKS_PER_SEC
// ---------------------------------------------------------------------------

#[test]
fn os_ticks_per_sec_is_read_when_it_is_a_literal() {
    assert_eq!(os_ticks_per_sec(OS_CFG), Some(1000));
    assert_eq!(os_ticks_per_sec("#define OS_TICKS_PER_SEC 100"), Some(100));
    assert_eq!(os_ticks_per_sec("  #  define\tOS_TICKS_PER_SEC\t(1024UL) // comment"), Some(1024));
    assert_eq!(os_ticks_per_sec("#define OS_TICKS_PER_SEC 0x8000u"), Some(32768));
    assert_eq!(os_ticks_per_sec("#define OS_TICKS_PER_SEC APP_TICK_RATE"), None);
    assert_eq!(os_ticks_per_sec("#define OS_TICKS_PER_SEC (10 * 100)"), None);
    assert_eq!(os_ticks_per_sec("#define OS_TICKS_PER_SECOND 10"), None);
    assert_eq!(os_ticks_per_sec("#define OS_TICKS_PER_SEC(x) 10"), None);
    assert_eq!(os_ticks_per_sec("/*\n#define OS_TICKS_PER_SEC 10\n*/\n#define OS_TICKS_PER_SEC 20u"), Some(20));
    assert_eq!(
        os_ticks_per_sec("#if A\n#define OS_TICKS_PER_SEC 10\n#else\n#define OS_TICKS_PER_SEC 20\n#endif"),
        None
    );
    assert_eq!(
        os_ticks_per_sec("#if A\n#define OS_TICKS_PER_SEC 10\n#else\n#define OS_TICKS_PER_SEC 10u\n#endif"),
        Some(10)
    );
    assert_eq!(os_ticks_per_sec("#define NAME \"/* not a comment\"\n#define OS_TICKS_PER_SEC 5"), Some(5));
    assert_eq!(os_ticks_per_sec(""), None);
}

#[test]
fn registry_packages_name_an_exact_version_and_files_inside_the_package() {
    let dir = fixture("packages");
    let package = |body: &str| one_guest_with(&format!("[[guest.packages]]\n{body}"));
    let good = "crate = \"littlefs2-sys\"\nversion = \"0.3.2\"\nsources = [\"littlefs/lfs.c\"]";
    assert_eq!(parse(&dir, &package(good)).unwrap().guests[0].packages.len(), 1);
    let cases: &[(&str, &str, &str)] = &[
        ("crate = \"2fast\"\nversion = \"1.0.0\"\nsources = [\"a.c\"]", "crate", "not a package name"),
        ("crate = \"zlib\"\nversion = \"^1.2\"\nsources = [\"a.c\"]", "version", "the exact version"),
        ("crate = \"zlib\"\nversion = \"1.2.3\"\nsources = []", "sources", "empty list"),
        ("crate = \"zlib\"\nversion = \"1.2.3\"\nsources = [\"../x.c\"]", "sources", "stay inside it"),
        ("crate = \"zlib\"\nversion = \"1.2.3\"\nsources = [\"/etc/x.c\"]", "sources", "stay inside it"),
        ("crate = \"zlib\"\nversion = \"1.2.3\"\nsources = [\"README.md\"]", "sources", "not a C or assembly"),
        ("crate = \"zlib\"\nversion = \"1.2.3\"\nsources = [\"a.c\"]\ninclude = [\"..\"]", "include", "stay inside"),
        ("crate = \"zlib\"\nversion = \"1.2.3\"\nsources = [\"a.c\"]\ndefines = { 1X = 1 }", "defines.1X", "C macro"),
    ];
    for (body, key, says) in cases {
        let error = error(&dir, &package(body));
        assert_eq!(error.key, format!("guest[1].packages[1].{key}"), "{error}");
        assert!(error.to_string().contains(says), "{says:?} not in {error}");
    }
    let unknown = error(&dir, &package(&format!("{good}\nbranch = \"main\"")));
    assert!(unknown.to_string().contains("unknown key `branch`"), "{unknown}");
    let twice = error(&dir, &format!("{}[[guest.packages]]\n{good}\n", package(good)));
    assert!(twice.to_string().contains("listed twice"), "{twice}");
}

/// Three guests `a`, `b`, `c` (each in `control`), `b` with `b_line` added.
fn three_guests(b_line: &str) -> String {
    let guest = |name: &str, extra: &str| {
        format!("[[guest]]\nname = \"{name}\"\npath = \"control\"\npriority = 50\nmemory_kib = 6144\n{extra}")
    };
    format!("{}{}{}", guest("a", ""), guest("b", &format!("{b_line}\n")), guest("c", ""))
}

#[test]
fn guests_get_distinct_link_addresses_around_the_ones_the_description_gives() {
    let dir = fixture("link-addresses");
    let stride = PV_GUEST_LINK_STRIDE;
    let system = parse(&dir, &three_guests("")).unwrap();
    assert!(system.guests.iter().all(|g| g.link_address.is_none()));
    let base = PV_GUEST_LINK_BASE;
    assert_eq!(system.link_addresses(), [base, base + stride, base + 2 * stride], "in the description's order");

    // `b` takes the first slot: `a` and `c` go around it.
    let system = parse(&dir, &three_guests("link_address = 0x0200_0000")).unwrap();
    assert_eq!(system.guests[1].link_address, Some(base));
    assert_eq!(system.link_addresses(), [base + stride, base, base + 2 * stride]);

    // An address between slots keeps both neighbouring slots free for it.
    let system = parse(&dir, &three_guests("link_address = 0x0250_0000")).unwrap();
    assert_eq!(system.link_addresses(), [base + 2 * stride, 0x0250_0000, base + 3 * stride]);

    // The highest an image may start: one section below the window's end.
    let system = parse(&dir, &three_guests("link_address = 0x1FF0_0000")).unwrap();
    assert_eq!(system.link_addresses()[1], PV_IMAGE_WINDOW_END - PV_SECTION_SIZE);
}

#[test]
fn a_link_address_must_be_an_aligned_section_of_the_guest_window() {
    let dir = fixture("link-address-errors");
    for (value, says) in [
        ("0x0210_1000", "is not a multiple of 0x100000"),
        ("0x0010_0000", "the root server and the driver domain are linked there"),
        ("0x0100_0000", "below 0x02000000"),
        ("0x2000_0000", "where the guest's stack section and memory sections are mapped"),
        ("0x3000_0000", "leaves no room below 0x20000000"),
    ] {
        let error = error(&dir, &one_guest_with(&format!("link_address = {value}")));
        assert_error(&error, Some(6), "guest[1].link_address", &[says, "a link address is a multiple of 0x100000"]);
    }
    let error = error(&dir, &one_guest_with("link_address = -1"));
    assert_eq!((error.line, error.key.as_str()), (Some(6), "guest[1].link_address"), "{error}");
}

#[test]
fn two_guests_cannot_have_the_same_link_address() {
    let dir = fixture("link-address-twice");
    // `b` (lines 6..11) and `c` (from line 12) both at 0x0300_0000: `c`'s line is reported.
    let text = three_guests("link_address = 0x0300_0000").replacen(
        "name = \"c\"",
        "name = \"c\"\nlink_address = 0x0300_0000",
        1,
    );
    let error = error(&dir, &text);
    assert_error(&error, Some(14), "guest[3].link_address", &["0x03000000 is guest[2]'s (`b`) link address too"]);
}
