// SPDX-License-Identifier: MIT OR Apache-2.0
//! `cargo xtask soak [--ticks N] [--calls N] [--seed S]`: the soak of the
//! `soak` example (`examples/soak/`), run and judged.
//!
//! Two workload guests (ping-pong between µC/OS-II tasks, a message queue)
//! run for `ticks` ticks at 10 kHz and check that their tick count is exact
//! (µC/OS-II's count against the ticks v_timer delivered and against the
//! generic timer's counter, as the `ticks` example does), while a hostile
//! guest makes `calls` seeded random system calls and malformed server
//! messages spread over the run. The image is built once with the short
//! soak's parameters (those of `cargo test --test soak`); this command copies
//! it to `target/soak/` and overwrites the parameter block of each guest (the
//! words after the magic "SOAK" "PRMS", see
//! `examples/soak/include/soak_parameters.h`) before booting it under QEMU
//! with `-icount shift=0,sleep=off` (virtual time follows the instruction
//! count, so the tick checks do not depend on how busy the host is).
//!
//! The run passes ([`verdict`]) when: QEMU exits 0; both workload guests
//! print MATCH (no tick lost, doubled or late at the end, no workload error);
//! the hostile guest made every call and did not fault; the kernel never
//! panicked nor reported an exception of its own; the root server's kernel
//! counters at the end equal those after boot (the hostile guest's failed
//! requests kept nothing); and output kept coming: no gap longer than
//! [`STALL_SECONDS`] between two lines (the workloads print a progress line
//! every 10,000 ticks, the hostile guest every tenth of its calls).

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

/// The parameters of one run.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Parameters {
    /// Ticks each workload guest runs for (at 10 kHz).
    pub ticks: u32,
    /// Random calls and messages of the hostile guest.
    pub calls: u32,
    /// Seed of its generator (xorshift: not 0).
    pub seed: u32,
    /// `--spare-timer`: the hostile guest never makes one of its own threads
    /// that never receives v_timer's client. Such a client delays every
    /// guest's tick while v_timer delivers ticks with a blocking send (issue
    /// 10 §4); with asynchronous notification it must not matter, and the
    /// soak runs without this.
    pub spare_timer: bool,
}

/// The acceptance soak of issue 10: 10⁶ calls over 10⁶ ticks.
pub const FULL: Parameters = Parameters { ticks: 1_000_000, calls: 1_000_000, seed: 1, spare_timer: false };

/// The parameters the image is built with (`examples/soak/system.toml`): the
/// short soak that `cargo test` runs.
pub const SHORT: Parameters = Parameters { ticks: 20_000, calls: 10_000, seed: 1, spare_timer: false };

/// Longest time without a line of output before the run counts as stalled.
pub const STALL_SECONDS: u64 = 120;

/// The two magic words before the parameters, as they lie in memory.
const MAGIC: &[u8; 8] = b"SOAKPRMS";
/// `SOAK_SPARE_TIMER` of `soak_parameters.h`.
const SPARE_TIMER: u32 = 1;
/// Guests whose parameter block must be found: the two workloads and the hostile guest.
const GUESTS: usize = 3;

/// Parses `--ticks N --calls N --seed S --spare-timer` (each optional; the
/// default is [`FULL`]).
pub fn parse_arguments(arguments: &[&str]) -> Result<Parameters, String> {
    let mut parameters = FULL;
    let mut rest = arguments.iter();
    while let Some(&option) = rest.next() {
        if option == "--spare-timer" {
            parameters.spare_timer = true;
            continue;
        }
        let value = rest.next().ok_or_else(|| format!("`{option}` needs a value"))?;
        let number = parse_number(value).ok_or_else(|| format!("`{option} {value}`: not a number below 2^32"))?;
        match option {
            "--ticks" => parameters.ticks = number,
            "--calls" => parameters.calls = number,
            "--seed" => parameters.seed = number,
            _ => {
                return Err(format!("unknown option `{option}`: use --ticks N, --calls N, --seed S, --spare-timer"));
            }
        }
    }
    if parameters.seed == 0 {
        return Err("--seed 0: the generator (xorshift32) needs a seed other than 0".into());
    }
    if parameters.ticks < 200 {
        return Err(format!("--ticks {}: at least 200 (the checker samples every 100 ticks)", parameters.ticks));
    }
    Ok(parameters)
}

fn parse_number(text: &str) -> Option<u32> {
    let text = text.replace('_', "");
    match text.strip_prefix("0x") {
        Some(hex) => u32::from_str_radix(hex, 16).ok(),
        None => text.parse().ok(),
    }
}

/// Overwrites every parameter block of `image` with `parameters`; returns how
/// many it found (an error unless it is one per guest).
pub fn patch(image: &mut [u8], parameters: Parameters) -> Result<usize, String> {
    let mut found = 0;
    let mut at = 0;
    while let Some(offset) = image[at..].windows(MAGIC.len()).position(|window| window == MAGIC) {
        let start = at + offset + MAGIC.len();
        let block = image.get_mut(start..start + 16).ok_or("a parameter block at the end of the image")?;
        let flags = if parameters.spare_timer { SPARE_TIMER } else { 0 };
        let values = [parameters.ticks, parameters.calls, parameters.seed, flags];
        for (word, value) in block.chunks_exact_mut(4).zip(values) {
            word.copy_from_slice(&value.to_le_bytes());
        }
        found += 1;
        at = start + 16;
    }
    if found != GUESTS {
        return Err(format!("found {found} parameter blocks in the image, not {GUESTS} (one per guest)"));
    }
    Ok(found)
}

/// What a run showed.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Figures {
    /// The hostile guest's summary lines (calls made, results by code).
    pub hostile: Vec<String>,
    /// Each workload guest's tick and round lines.
    pub workloads: Vec<String>,
    /// The kernel's counters after boot and at the end.
    pub kernel_pools: Vec<String>,
}

/// The lines of `output`, control characters at their start taken off (the
/// kernel's console and v_serial share the UART: a kernel debug write of raw
/// bytes may run into the next line).
fn clean_lines(output: &str) -> impl Iterator<Item = &str> {
    output.lines().map(|line| line.trim_start_matches(|c: char| c.is_control()))
}

/// The lines of `output` written by guest `name` (its console tag taken off).
fn guest_lines<'a>(output: &'a str, name: &str) -> impl Iterator<Item = &'a str> {
    let tag = format!("[{name}] ");
    clean_lines(output).filter_map(move |line| line.strip_prefix(tag.as_str()))
}

/// Judges a run's output and QEMU's exit code against the pass criteria of
/// the module documentation (all but the stall, which [`run`] watches).
pub fn verdict(output: &str, exit_code: Option<i32>, parameters: Parameters) -> Result<Figures, String> {
    let mut problems = Vec::new();
    if exit_code != Some(0) {
        problems.push(format!("QEMU exited with {exit_code:?}, not 0"));
    }
    for marker in ["KERNEL PANIC", "kernel exception", "[kernel] thread"] {
        if let Some(line) = output.lines().find(|line| line.contains(marker)) {
            problems.push(format!("the kernel reported: {line}"));
        }
    }
    if let Some(line) = clean_lines(output).find(|line| line.starts_with("[root]") && line.contains("faulted")) {
        problems.push(format!("a thread faulted: {line}"));
    }
    let mut figures = Figures::default();
    for name in ["pingpong", "queue"] {
        let lines: Vec<&str> = guest_lines(output, name).collect();
        let mine = |prefix: &str| lines.iter().find(|line| line.starts_with(&format!("{name}: {prefix}"))).copied();
        match mine("MATCH") {
            Some(_) => {}
            None => {
                problems.push(format!("{name} did not print MATCH (lost, doubled or late ticks, or a workload error)"))
            }
        }
        for prefix in ["OSTimeGet=", "counter says", ""] {
            if let Some(line) = lines.iter().find(|line| {
                line.starts_with(&format!("{name}: {prefix}")) && (!prefix.is_empty() || line.contains(" rounds, "))
            }) {
                figures.workloads.push(format!("[{name}] {line}"));
            }
        }
        let target = format!("{name}: {} ticks at 10000 Hz", parameters.ticks);
        if !lines.contains(&target.as_str()) {
            problems.push(format!("{name} did not run the {} ticks asked for (no `{target}`)", parameters.ticks));
        }
    }
    let hostile: Vec<&str> = guest_lines(output, "hostile").collect();
    let made = format!("hostile: {} calls (seed {:#x})", parameters.calls, parameters.seed);
    if !hostile.iter().any(|line| line.starts_with(&made)) {
        problems.push(format!("the hostile guest did not finish its calls (no `{made}`)"));
    }
    if !hostile.contains(&"hostile: done") {
        problems.push("the hostile guest did not finish (no `hostile: done`)".into());
    }
    figures.hostile = hostile
        .iter()
        .filter(|line| line.contains(" calls (seed ") || line.starts_with("hostile: result"))
        .map(|line| line.to_string())
        .collect();
    let pools = |prefix: &str| clean_lines(output).find_map(|line| line.strip_prefix(prefix)).map(str::to_owned);
    match (pools("[root] kernel pools after boot: "), pools("[root] kernel pools at the end: ")) {
        (Some(boot), Some(end)) => {
            if end != format!("{boot} (as after boot)") {
                problems.push(format!("kernel memory changed: after boot {boot}; at the end {end}"));
            }
            figures.kernel_pools = vec![format!("after boot: {boot}"), format!("at the end: {end}")];
        }
        _ => problems.push("the root server did not print the kernel's counters after boot and at the end".into()),
    }
    if problems.is_empty() { Ok(figures) } else { Err(problems.join("\n")) }
}

/// How a run went.
#[derive(Debug)]
pub struct Run {
    /// Everything QEMU printed.
    pub output: String,
    /// QEMU's exit code (`None`: killed).
    pub exit_code: Option<i32>,
    /// Wall time of the QEMU run.
    pub wall: Duration,
    /// The longest gap between two lines of output.
    pub longest_gap: Duration,
    /// Set when no line came for [`STALL_SECONDS`] and QEMU was killed.
    pub stalled: bool,
}

/// Boots `image` under `-icount shift=0,sleep=off`, echoing every line with
/// `echo` as it comes; kills QEMU when no line came for [`STALL_SECONDS`].
pub fn boot(image: &Path, echo: &mut dyn FnMut(&str)) -> Result<Run, String> {
    let mut child = Command::new("qemu-system-arm")
        .args(["-M", "virt", "-cpu", "cortex-a15", "-m", "128M", "-nographic", "-net", "none"])
        .args(["-semihosting-config", "enable=on,target=native", "-monitor", "none", "-serial", "stdio"])
        .args(["-icount", "shift=0,sleep=off", "-kernel"])
        .arg(image)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .map_err(|error| format!("cannot run qemu-system-arm: {error}"))?;
    let stdout = child.stdout.take().ok_or("no QEMU output")?;
    let (lines, received) = mpsc::channel::<String>();
    let reader = std::thread::spawn(move || {
        for line in BufReader::new(stdout).split(b'\n').map_while(Result::ok) {
            if lines.send(String::from_utf8_lossy(&line).replace('\r', "")).is_err() {
                break;
            }
        }
    });
    let start = Instant::now();
    let mut last = start;
    let mut longest_gap = Duration::ZERO;
    let mut output = String::new();
    let mut stalled = false;
    loop {
        match received.recv_timeout(Duration::from_secs(1)) {
            Ok(line) => {
                longest_gap = longest_gap.max(last.elapsed());
                last = Instant::now();
                echo(&line);
                output.push_str(&line);
                output.push('\n');
            }
            Err(mpsc::RecvTimeoutError::Disconnected) => break,
            Err(mpsc::RecvTimeoutError::Timeout) => {
                if last.elapsed() > Duration::from_secs(STALL_SECONDS) {
                    stalled = true;
                    let _ = child.kill();
                    break;
                }
            }
        }
    }
    let status = child.wait().map_err(|error| format!("waiting for QEMU: {error}"))?;
    let _ = reader.join();
    let exit_code = if stalled { None } else { status.code() };
    Ok(Run { output, exit_code, wall: start.elapsed(), longest_gap, stalled })
}

/// Builds the `soak` example, copies it to `target/soak/` with `parameters`
/// patched in, and returns the copy's path.
pub fn prepare(sdk: &Path, parameters: Parameters) -> Result<PathBuf, String> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let target = std::env::var_os("CARGO_TARGET_DIR").map_or_else(|| sdk.join("target"), PathBuf::from);
    let status = Command::new(cargo)
        .current_dir(sdk)
        .args(["build", "--target", crate::TARGET, "--example", "soak"])
        .status()
        .map_err(|error| format!("cannot run cargo: {error}"))?;
    if !status.success() {
        return Err("building the `soak` example failed".into());
    }
    let built = target.join(crate::TARGET).join("debug/examples/soak");
    let mut image = std::fs::read(&built).map_err(|error| format!("{}: {error}", built.display()))?;
    patch(&mut image, parameters)?;
    let dir = target.join("soak");
    std::fs::create_dir_all(&dir).map_err(|error| format!("{}: {error}", dir.display()))?;
    let copy = dir.join(format!("soak-{}-{}-{:#x}", parameters.ticks, parameters.calls, parameters.seed));
    std::fs::write(&copy, &image).map_err(|error| format!("{}: {error}", copy.display()))?;
    Ok(copy)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arguments_default_to_the_full_soak_and_take_hex_seeds() {
        assert_eq!(parse_arguments(&[]), Ok(FULL));
        assert_eq!(
            parse_arguments(&["--ticks", "20000", "--calls", "1_000", "--seed", "0x2a"]),
            Ok(Parameters { ticks: 20_000, calls: 1000, seed: 42, spare_timer: false })
        );
        assert!(parse_arguments(&["--ticks"]).unwrap_err().contains("needs a value"));
        assert!(parse_arguments(&["--tick", "5"]).unwrap_err().contains("unknown option"));
        assert!(parse_arguments(&["--calls", "-1"]).unwrap_err().contains("not a number"));
        assert!(parse_arguments(&["--ticks", "100"]).unwrap_err().contains("at least 200"));
        assert!(parse_arguments(&["--seed", "0"]).unwrap_err().contains("other than 0"));
        assert_eq!(parse_arguments(&["--spare-timer"]), Ok(Parameters { spare_timer: true, ..FULL }));
    }

    #[test]
    fn every_guests_parameter_block_is_patched() {
        let mut image = Vec::new();
        for filler in [&b"elf header"[..], b"code", b"more code"] {
            image.extend_from_slice(filler);
            image.extend_from_slice(MAGIC);
            for word in [20_000u32, 10_000, 1, 0] {
                image.extend_from_slice(&word.to_le_bytes());
            }
        }
        let parameters = Parameters { ticks: 7, calls: 8, seed: 9, spare_timer: true };
        assert_eq!(patch(&mut image, parameters), Ok(3));
        let words: Vec<u32> = image
            .windows(8)
            .enumerate()
            .filter(|(_, window)| window == MAGIC)
            .flat_map(|(at, _)| (0..4).map(move |n| at + 8 + 4 * n).collect::<Vec<_>>())
            .map(|at| u32::from_le_bytes(image[at..at + 4].try_into().unwrap()))
            .collect();
        assert_eq!(words, [7, 8, 9, 1, 7, 8, 9, 1, 7, 8, 9, 1]);
        assert!(patch(&mut image[..40].to_vec(), parameters).unwrap_err().contains("found 1 parameter blocks"));
    }

    const GOOD: &str = "\
[root] kernel pools after boot: threads 3/63, spaces 2/15, L2 tables 6/64, interrupt lines 2/128
[pingpong] pingpong: 20000 ticks at 10000 Hz
[queue] queue: 20000 ticks at 10000 Hz
[hostile] hostile: 10000 calls over 20000 ticks, seed 0x1
[pingpong] pingpong: progress 10000 of 20000 ticks, 9000 rounds
[pingpong] pingpong: OSTimeGet=20003 delivered=20003
[pingpong] pingpong: counter says 20000 ticks passed, OSTimeGet advanced 20000
[pingpong] pingpong: 19990 rounds, 0 errors
[pingpong] pingpong: MATCH
[queue] queue: OSTimeGet=20003 delivered=20003
[queue] queue: counter says 20000 ticks passed, OSTimeGet advanced 20000
[queue] queue: 19990 rounds, 0 errors
[queue] queue: MATCH
[hostile] hostile: 10000 calls (seed 0x1): 3000 system calls, 3000 server messages, 4000 on guessed threads
[hostile] hostile: result PV_OK: 10
[hostile] hostile: result PV_ERR_INVALID_THREAD: 9990
[hostile] hostile: results in a receive phase: 3
[hostile] hostile: done
[root] kernel pools at the end: threads 3/63, spaces 2/15, L2 tables 6/64, interrupt lines 2/128 (as after boot)
";

    #[test]
    fn a_clean_run_passes_with_its_figures() {
        let figures = verdict(GOOD, Some(0), SHORT).unwrap();
        assert_eq!(figures.hostile.len(), 4);
        assert_eq!(figures.workloads.len(), 6);
        assert_eq!(
            figures.kernel_pools[1],
            "at the end: threads 3/63, spaces 2/15, L2 tables 6/64, interrupt lines 2/128 (as after boot)"
        );
    }

    #[test]
    fn raw_bytes_of_a_kernel_debug_write_before_a_line_do_not_hide_it() {
        let noisy = GOOD.replace("[queue] queue: MATCH", "\0\0\x01[queue] queue: MATCH");
        assert!(verdict(&noisy, Some(0), SHORT).is_ok());
    }

    #[test]
    fn every_failure_is_named() {
        let fails = |output: &str, code: Option<i32>, why: &str| {
            let problem = verdict(output, code, SHORT).unwrap_err();
            assert!(problem.contains(why), "{why:?} not in {problem:?}");
        };
        fails(GOOD, Some(1), "QEMU exited with Some(1)");
        fails(GOOD, None, "QEMU exited with None");
        fails(&GOOD.replace("[queue] queue: MATCH", "[queue] queue: MISMATCH"), Some(0), "queue did not print MATCH");
        fails(&format!("{GOOD}\n*** KERNEL PANIC: x\n"), Some(0), "the kernel reported: *** KERNEL PANIC");
        fails(&format!("{GOOD}[kernel] thread 0x5 faulted: ...\n"), Some(0), "the kernel reported");
        fails(&format!("{GOOD}[root] guest `hostile` faulted: data abort\n"), Some(0), "a thread faulted");
        fails(&GOOD.replace("(as after boot)", "(LEAKED: not as after boot)"), Some(0), "kernel memory changed");
        fails(&GOOD.replace("[hostile] hostile: done\n", ""), Some(0), "no `hostile: done`");
        fails(&GOOD.replace("10000 calls (seed", "9999 calls (seed"), Some(0), "did not finish its calls");
        fails(&GOOD.replace("pingpong: 20000 ticks at", "pingpong: 100 ticks at"), Some(0), "did not run the 20000");
        fails(&GOOD.replace("[root] kernel pools after boot", "[root] nothing"), Some(0), "kernel's counters");
    }
}
