// SPDX-License-Identifier: MIT OR Apache-2.0
//! Debugging in one command, driven without a terminal: `cargo xtask debug`
//! boots an example paused under QEMU's gdbstub and runs gdb-multiarch in
//! batch mode with the symbols of the kernel and of every user program.
//!
//! - `ticks`: `break OSTimeTick` resolves in the guest only (one location,
//!   inside the guest's link range), the guest stops there, and `bt` shows
//!   the guest's frames: `OSTimeTick` and its caller in the port.
//! - `two_guests`: two guests, both with µC/OS-II's `OSTimeTick`, each at its
//!   own link address; a breakpoint at the first guest's `OSTimeTick`
//!   stops in that guest (its own memory, read through the current address
//!   space, holds its priority), twice in a row.
//!
//! Skipped with a message when gdb-multiarch is missing, except in CI
//! (`CI` set), where `tools/setup` installs it and a missing debugger fails.

mod harness;

use std::path::{Path, PathBuf};
use std::process::Command;

/// The session's bound (QEMU and gdb are ended after it: a failure).
const TIMEOUT_SECONDS: &str = "240";

/// True when gdb-multiarch is missing outside CI (the test is skipped).
fn skip_without_gdb() -> bool {
    if xtask::debug::which(xtask::debug::GDB).is_some() {
        return false;
    }
    assert!(
        std::env::var_os("CI").is_none(),
        "gdb-multiarch is missing in CI: tools/setup installs it (apt-get install --no-install-recommends gdb-multiarch)"
    );
    eprintln!("SKIPPED: gdb-multiarch is not installed (tools/setup installs it); the debug session is not tested");
    true
}

/// Runs `cargo xtask debug TARGET --timeout .. -- -batch -ex COMMAND...` in
/// the SDK and returns its whole output (cargo's, QEMU's and gdb's), after
/// checking that it succeeded.
fn debug_session(target: &str, commands: &[&str]) -> String {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let mut command = Command::new(cargo);
    command.current_dir(harness::workspace_root()).args(["xtask", "debug", target, "--timeout", TIMEOUT_SECONDS]);
    command.args(["--", "-batch", "-nx"]);
    for gdb_command in commands {
        command.args(["-ex", gdb_command]);
    }
    command.env_remove("RUSTFLAGS").env_remove("CARGO_ENCODED_RUSTFLAGS");
    let output = command.output().expect("running cargo xtask debug");
    let text = format!("{}{}", String::from_utf8_lossy(&output.stdout), String::from_utf8_lossy(&output.stderr));
    eprintln!("---- cargo xtask debug {target} ----\n{text}");
    assert!(output.status.success(), "cargo xtask debug {target} failed:\n{text}");
    text
}

/// The unstripped ELF of program `name` of example `image`.
fn program_elf(image: &str, name: &str) -> PathBuf {
    harness::build_images().as_ref().expect("the images build");
    harness::target_dir().join(harness::TARGET).join("debug/elf").join(image).join(format!("{name}.elf"))
}

/// The symbol `wanted` of `elf` (a C name, or the last part of a Rust
/// path): (address, size).
fn symbol(elf: &Path, wanted: &str) -> (u32, u32) {
    let output = Command::new("arm-none-eabi-nm").args(["-C", "-S"]).arg(elf).output().expect("arm-none-eabi-nm");
    let text = String::from_utf8_lossy(&output.stdout);
    let found: Vec<(u32, u32)> = text
        .lines()
        .filter_map(|line| {
            let fields: Vec<&str> = line.split_whitespace().collect();
            match fields.as_slice() {
                [address, size, _, name] if *name == wanted || name.ends_with(&format!("::{wanted}")) => Some((
                    u32::from_str_radix(address, 16).expect("hex address"),
                    u32::from_str_radix(size, 16).expect("hex size"),
                )),
                _ => None,
            }
        })
        .collect();
    assert_eq!(found.len(), 1, "one symbol `{wanted}` in {}:\n{found:x?}", elf.display());
    found[0]
}

/// The extent of `elf`'s loadable segments.
fn extent(elf: &Path) -> (u32, u32) {
    let output = Command::new("arm-none-eabi-readelf").args(["-l", "-W"]).arg(elf).output().expect("readelf");
    let text = String::from_utf8_lossy(&output.stdout);
    let (mut low, mut high) = (u32::MAX, 0);
    for line in text.lines().filter(|l| l.trim_start().starts_with("LOAD")) {
        let fields: Vec<&str> = line.split_whitespace().collect();
        let number = |text: &str| u32::from_str_radix(text.trim_start_matches("0x"), 16).expect("hex");
        let (address, memory_size) = (number(fields[2]), number(fields[5]));
        low = low.min(address);
        high = high.max(address + memory_size);
    }
    (low, high)
}

/// The first hexadecimal number after `marker` in `text`.
fn hex_after(text: &str, marker: &str) -> Option<u32> {
    let rest = &text[text.find(marker)? + marker.len()..];
    let digits: String =
        rest.trim_start().trim_start_matches("0x").chars().take_while(char::is_ascii_hexdigit).collect();
    u32::from_str_radix(&digits, 16).ok()
}

#[test]
fn a_breakpoint_in_the_guests_os_time_tick_stops_there_with_the_guests_frames() {
    if skip_without_gdb() {
        return;
    }
    let output = debug_session("ticks", &["break OSTimeTick", "continue", "bt", "print/x $pc", "info symbol $pc"]);
    let guest = program_elf("ticks", "ticks");
    let (low, high) = extent(&guest);
    let (tick, tick_size) = symbol(&guest, "OSTimeTick");
    assert_ne!(low, paravirt_api::PV_ROOT_SERVER_LINK_ADDRESS, "the guest has a link address of its own");

    // One location, in the guest's code: no other program has the function.
    let breakpoint = hex_after(&output, "Breakpoint 1 at ").unwrap_or_else(|| panic!("no breakpoint set:\n{output}"));
    assert!(!output.contains("locations"), "one location only:\n{output}");
    assert!((low..high).contains(&breakpoint), "breakpoint {breakpoint:#x} outside the guest's {low:#x}..{high:#x}");
    assert!((tick..tick + tick_size).contains(&breakpoint), "breakpoint {breakpoint:#x} not in OSTimeTick:\n{output}");

    // Stopped there, in the guest's address space.
    assert!(output.contains("Breakpoint 1, OSTimeTick"), "the guest did not stop at OSTimeTick:\n{output}");
    let pc = hex_after(&output, "$1 = ").unwrap_or_else(|| panic!("no pc printed:\n{output}"));
    assert_eq!(pc, breakpoint, "{output}");
    assert!(output.contains(&format!("OSTimeTick in section .text of {}", guest.display())), "{output}");

    // The guest's frames: OSTimeTick, then its caller in the port.
    let frames: Vec<&str> = output.lines().filter(|l| l.starts_with('#')).collect();
    assert!(frames.first().is_some_and(|f| f.starts_with("#0  OSTimeTick")), "{output}");
    let caller = frames.get(1).unwrap_or_else(|| panic!("no caller frame:\n{output}"));
    let caller_pc = hex_after(caller, "#1  ").unwrap_or_else(|| panic!("no caller address: {caller}"));
    assert!((low..high).contains(&caller_pc), "caller {caller_pc:#x} outside the guest: {caller}");
    assert!(caller.contains("port/src/"), "the caller is the port's: {caller}\n{output}");
}

#[test]
fn a_breakpoint_at_one_guests_address_stops_in_that_guest_only() {
    if skip_without_gdb() {
        return;
    }
    let first = program_elf("two_guests", "hello");
    let second = program_elf("two_guests", "smallstack");
    let (first_tick, _) = symbol(&first, "OSTimeTick");
    let (second_tick, _) = symbol(&second, "OSTimeTick");
    let (first_low, first_high) = extent(&first);
    let (second_low, second_high) = extent(&second);
    assert!(first_high <= second_low || second_high <= first_low, "the two guests' images share addresses");
    assert_ne!(first_tick, second_tick);
    // A word only the first guest's memory holds at this address: its
    // µC/OS-II thread's priority (40 in the description; the second's is 45).
    let (priority, _) = symbol(&first, "UCOS_PRIORITY");
    let (second_priority, _) = symbol(&second, "UCOS_PRIORITY");

    let output = debug_session(
        "two_guests",
        &[
            &format!("break *{first_tick:#x}"),
            "continue",
            "print/x $pc",
            &format!("print *(unsigned int *){priority:#x}"),
            "continue",
            "print/x $pc",
            &format!("print *(unsigned int *){priority:#x}"),
            // Then the second guest's: it stops there, in the second guest's
            // space, where the first guest's addresses are not mapped.
            "delete",
            &format!("break *{second_tick:#x}"),
            "continue",
            "print/x $pc",
            &format!("print *(unsigned int *){second_priority:#x}"),
            &format!("print *(unsigned int *){priority:#x}"),
            // (gdb's exit status is its last command's: not the error above.)
            "echo session ended\\n",
        ],
    );
    assert!(output.contains(&format!("Breakpoint 1 at {first_tick:#x}")), "{output}");
    for (number, stop) in [(1, "$1"), (2, "$3")] {
        let pc = hex_after(&output, &format!("{stop} = ")).unwrap_or_else(|| panic!("stop {number}: no pc\n{output}"));
        assert_eq!(pc, first_tick, "stop {number} is at the first guest's OSTimeTick:\n{output}");
    }
    assert!(
        output.contains("$2 = 40\n") && output.contains("$4 = 40\n"),
        "stopped in the first guest's space:\n{output}"
    );
    assert!(output.contains(&format!("Breakpoint 2 at {second_tick:#x}")), "{output}");
    assert_eq!(hex_after(&output, "$5 = "), Some(second_tick), "stopped at the second guest's OSTimeTick:\n{output}");
    assert!(output.contains("$6 = 45\n"), "stopped in the second guest's space:\n{output}");
    assert!(
        output.contains(&format!("Cannot access memory at address {priority:#x}")),
        "the first guest's memory is not mapped in the second's space:\n{output}"
    );
}
