// SPDX-License-Identifier: MIT OR Apache-2.0
//! `cargo xtask bench`: the benchmark table of the README, measured.
//!
//! Every figure is a count of instructions: the images run under QEMU with
//! `-icount shift=0,sleep=off`, where virtual time advances one nanosecond per
//! instruction, so the nanoseconds the programs print are instructions — exact
//! and the same on every run and every host. The command builds what it boots
//! (the kernel test image `ipc_pingpong` and the kernel-only `panic` image in
//! release, the `tickrate_1024` example, whose guests run on the SDK's
//! release kernel), boots each once, reads the lines the programs print and
//! writes the table as Markdown.

use std::path::Path;
use std::process::Command;

/// One row: what, how many instructions (or bytes), where it comes from.
#[derive(Debug, PartialEq, Eq)]
pub struct Figure {
    /// What is measured.
    pub what: &'static str,
    /// The number.
    pub value: u64,
    /// Its unit.
    pub unit: &'static str,
    /// The image and line it comes from.
    pub source: &'static str,
}

/// The number just before `marker` on the first line of `output` that holds
/// it (`"... 401 ns each"` with `" ns each"` gives 401).
pub fn number_before(output: &str, marker: &str) -> Option<u64> {
    let line = output.lines().find(|line| line.contains(marker))?;
    let before = &line[..line.find(marker)?];
    let digits: String = before.chars().rev().take_while(char::is_ascii_digit).collect();
    digits.chars().rev().collect::<String>().parse().ok()
}

/// Runs a command in `sdk`, failing with its output.
fn run(sdk: &Path, program: &str, arguments: &[&str]) -> Result<String, String> {
    let output = Command::new(program)
        .current_dir(sdk)
        .args(arguments)
        .output()
        .map_err(|error| format!("cannot run {program}: {error}"))?;
    let text = format!("{}{}", String::from_utf8_lossy(&output.stdout), String::from_utf8_lossy(&output.stderr));
    // QEMU exits with the image's own code; a benchmark image exits 0.
    if !output.status.success() {
        return Err(format!("`{program} {}` failed:\n{text}", arguments.join(" ")));
    }
    Ok(text.replace('\r', ""))
}

/// Boots `image` under `-icount shift=0,sleep=off` (bounded to two minutes).
fn boot(sdk: &Path, image: &Path) -> Result<String, String> {
    let image = image.to_str().ok_or("image path is not UTF-8")?;
    run(
        sdk,
        "timeout",
        &[
            "120",
            "qemu-system-arm",
            "-M",
            "virt",
            "-cpu",
            "cortex-a15",
            "-m",
            "128M",
            "-nographic",
            "-net",
            "none",
            "-semihosting-config",
            "enable=on,target=native",
            "-icount",
            "shift=0,sleep=off",
            "-kernel",
            image,
        ],
    )
}

/// Builds, boots and reads every figure (see the module documentation).
pub fn measure(sdk: &Path) -> Result<Vec<Figure>, String> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let target = std::env::var_os("CARGO_TARGET_DIR").map_or_else(|| sdk.join("target"), Into::into);
    let release = ["build", "--release", "--target", crate::TARGET, "-p", "test-images"];
    run(sdk, &cargo, &[&release[..], &["--bin", "ipc_pingpong", "--bin", "panic"]].concat())?;
    run(sdk, &cargo, &["build", "--target", crate::TARGET, "--example", "tickrate_1024"])?;
    let images = target.join(crate::TARGET);
    let ipc = boot(sdk, &images.join("release/ipc_pingpong"))?;
    let tick = boot(sdk, &images.join("debug/examples/tickrate_1024"))?;
    let missing = |what: &str, output: &str| format!("no {what} in the output:\n{output}");
    let null = number_before(&ipc, " ns each").ok_or_else(|| missing("null system call", &ipc))?;
    let round_trip = number_before(&ipc, " ns per round trip").ok_or_else(|| missing("round trip", &ipc))?;
    let per_tick = number_before(&tick, " ns per tick").ok_or_else(|| missing("tick cost", &tick))?;
    let sizes = run(sdk, "arm-none-eabi-size", &["-A", images.join("release/panic").to_str().unwrap_or_default()])?;
    let text = sizes
        .lines()
        .find(|line| line.starts_with(".text "))
        .and_then(|line| line.split_whitespace().nth(1)?.parse().ok())
        .ok_or_else(|| missing(".text", &sizes))?;
    Ok(vec![
        Figure {
            what: "null system call (`pv_thread_self`), one way",
            value: null,
            unit: "instructions",
            source: "`ipc_pingpong` (release)",
        },
        Figure {
            what: "IPC call + reply-wait round trip, 8 words, two spaces, through `pv_*`",
            value: round_trip,
            unit: "instructions",
            source: "`ipc_pingpong` (release)",
        },
        Figure {
            what: "virtual tick at 1024 Hz: timer interrupt to the guest's tick handled",
            value: per_tick,
            unit: "instructions",
            source: "`tickrate_1024`",
        },
        Figure {
            what: "microkernel `.text`",
            value: text,
            unit: "bytes",
            source: "release `panic` image (the kernel alone)",
        },
    ])
}

/// The figures as the README's Markdown table.
pub fn table(figures: &[Figure]) -> String {
    let mut table = String::from("| figure | value | measured by |\n|---|---|---|\n");
    for figure in figures {
        table.push_str(&format!("| {} | {} {} | {} |\n", figure.what, figure.value, figure.unit, figure.source));
    }
    table
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_read_from_the_lines_the_images_print() {
        let ipc = "x\nipc_pingpong: null system call (thread_self): 401 ns each (instructions under -icount)\n\
                   ipc_pingpong: 10000 calls took 1513257 counter ticks: 2421 ns per round trip (instructions)\n";
        assert_eq!(number_before(ipc, " ns each"), Some(401));
        assert_eq!(number_before(ipc, " ns per round trip"), Some(2421));
        let tick = "[t] tickrate: the tick took 0.7% of a busy guest's time: 7646 ns per tick (instructions)";
        assert_eq!(number_before(tick, " ns per tick"), Some(7646));
        assert_eq!(number_before(tick, " ns per second"), None);
        assert_eq!(number_before("took ns each", " ns each"), None);
    }

    #[test]
    fn the_table_has_a_row_per_figure() {
        let figures = [Figure { what: "a", value: 7, unit: "instructions", source: "b" }];
        assert_eq!(table(&figures), "| figure | value | measured by |\n|---|---|---|\n| a | 7 instructions | b |\n");
    }
}
