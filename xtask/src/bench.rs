// SPDX-License-Identifier: MIT OR Apache-2.0
//! `cargo xtask bench`: the benchmark figures, measured in exact instructions.
//!
//! The benchmark images run under QEMU with `-icount shift=0,sleep=off`, where
//! the PMU's cycle counter (PMCCNTR) counts exactly one per instruction, the
//! same on every run and every host; only benchmark images let user mode read
//! it (`system_image!(benchmark)`, `kernel_test_image!(benchmark)`). Each
//! image measures every figure [`SAMPLES`] times and prints one line per
//! figure, `bench: KEY median M min A max B samples N` (a guest's behind its
//! console tag, `[bench_ucos] `):
//!
//! - [`Image::Kernel`], the kernel test image `bench_kernel` (release kernel):
//!   null system call, yield, IPC call + reply-wait round trips (0 and 8
//!   words, two spaces; register-only `svc` sequences as sel4bench, and
//!   through the SDK's register-only `pv_*` stubs), the kernel's own tick;
//! - [`Image::Guest`], the example `bench_ucos` (µC/OS-II in a guest on the
//!   SDK's release kernel): one-way task switch, critical section, the whole
//!   virtual tick and hardware IRQ → `OSTimeTick` on the paper's path
//!   (v_timer → Interrupt_loop → redirection);
//! - [`Image::GuestDirect`], the example `bench_ucos_direct`: the same guest on
//!   the kernel-direct path (v_timer's notification → the kernel redirects the
//!   µC/OS-II thread), its virtual tick and IRQ → `OSTimeTick`;
//! - [`Image::Native`], `tests/native-ucos`: the same benchmark application on
//!   the bare machine in SVC mode, the native baseline.
//!
//! [`measure`] builds and boots all three and adds the microkernel's `.text`
//! size (the release `panic` image, the kernel alone); [`table`] writes the
//! Markdown table (median, minimum, maximum, target, reference, ratio) and
//! [`json`] the medians that `target/bench/bench.json` holds. A figure no
//! image printed is `null` there and "not built" in the table: never a number
//! nobody measured.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

/// Samples per figure in the benchmark images.
pub const SAMPLES: u64 = 1_000;

/// A benchmark image.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Image {
    /// The kernel test image `bench_kernel`, release build.
    Kernel,
    /// The example `bench_ucos`: µC/OS-II in a guest, paper path.
    Guest,
    /// The example `bench_ucos_direct`: the same on the kernel-direct path.
    GuestDirect,
    /// `tests/native-ucos`: µC/OS-II on the bare machine.
    Native,
}

/// One figure's samples, in instructions.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Sample {
    /// The median.
    pub median: u64,
    /// The least.
    pub min: u64,
    /// The greatest.
    pub max: u64,
    /// How many.
    pub samples: u64,
}

/// What a figure is compared with.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Reference {
    /// Nothing.
    None,
    /// Another figure of the same run (the native baseline).
    Measured(&'static str),
    /// A figure measured elsewhere on this QEMU (seL4), with its name.
    Fixed(&'static str, u64),
}

/// One row of the table.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Figure {
    /// The key in `bench.json` and in the images' lines.
    pub key: &'static str,
    /// What is measured.
    pub what: &'static str,
    /// The issue's target (at most), if it has one.
    pub target: Option<u64>,
    /// What it is compared with.
    pub reference: Reference,
    /// False for a path not built yet: `null`, "not built".
    pub built: bool,
}

const fn figure(key: &'static str, what: &'static str, target: Option<u64>, reference: Reference) -> Figure {
    Figure { key, what, target, reference, built: true }
}

/// Every figure, in table order (targets from issue 12; seL4 references
/// measured on this QEMU, doc/DESIGN).
pub const FIGURES: &[Figure] = &[
    figure(
        "ipc_call_reply_0w",
        "IPC call + reply-wait round trip, 0 words, two spaces (register-only `svc` sequences, as sel4bench)",
        Some(250),
        Reference::Fixed("seL4 fastpath", 339),
    ),
    figure("ipc_call_reply_8w", "same, 8 words", Some(350), Reference::Fixed("seL4, 10 words (slowpath)", 1631)),
    figure(
        "ipc_call_reply_0w_pv",
        "same, 0 words, through the SDK's stubs (`pv_call_registers`/`pv_reply_wait_registers`)",
        None,
        Reference::None,
    ),
    figure("ipc_call_reply_8w_pv", "same, 8 words, through the SDK's stubs", None, Reference::None),
    figure("null_syscall", "null system call (`pv_thread_self`)", Some(100), Reference::None),
    figure(
        "yield",
        "yield (`pv_thread_switch(nil)`), nobody else ready",
        Some(200),
        Reference::Fixed("seL4 yield", 275),
    ),
    figure(
        "ucos_switch_oneway",
        "µC/OS-II task switch one-way in a guest (post wakes a higher-priority task)",
        Some(200),
        Reference::Measured("native_ucos_switch_oneway"),
    ),
    figure(
        "critical_section",
        "OS_ENTER_CRITICAL + OS_EXIT_CRITICAL in a guest",
        Some(9),
        Reference::Measured("native_critical_section"),
    ),
    figure(
        "virtual_tick_direct",
        "whole virtual tick, kernel-direct path (timer IRQ → interrupted task resumes)",
        Some(500),
        Reference::Measured("native_tick"),
    ),
    figure(
        "virtual_tick_paper",
        "whole virtual tick, paper path (v_timer → Interrupt_loop → redirection)",
        Some(1500),
        Reference::Measured("native_tick"),
    ),
    figure(
        "irq_to_ostimetick_direct",
        "hardware IRQ → guest's OSTimeTick, kernel-direct path",
        Some(150),
        Reference::Measured("native_irq_to_ostimetick"),
    ),
    figure(
        "irq_to_ostimetick_paper",
        "hardware IRQ → guest's OSTimeTick, paper path",
        Some(1000),
        Reference::Measured("native_irq_to_ostimetick"),
    ),
    figure(
        "kernel_tick",
        "kernel's own tick, instructions per ms a thread alone at the top priority loses to it (tickless: 0)",
        Some(100),
        Reference::None,
    ),
    figure(
        "kernel_tick_shared",
        "one kernel tick while a peer shares the running thread's priority (timeslices run)",
        None,
        Reference::None,
    ),
    figure("kernel_text_bytes", "microkernel `.text` (release), bytes", Some(32 * 1024), Reference::None),
    figure("native_ucos_switch_oneway", "native µC/OS-II (SVC mode): task switch one-way", None, Reference::None),
    figure("native_critical_section", "native: OS_ENTER_CRITICAL + OS_EXIT_CRITICAL", None, Reference::None),
    figure("native_tick", "native: whole tick (timer IRQ → interrupted task resumes)", None, Reference::None),
    figure("native_irq_to_ostimetick", "native: IRQ → OSTimeTick", None, Reference::None),
];

/// The figures of one image's output: every `bench: KEY median M min A max B
/// samples N` line.
pub fn parse(output: &str) -> BTreeMap<String, Sample> {
    let mut figures = BTreeMap::new();
    for line in output.lines() {
        // A guest's lines carry its console tag: `[bench_ucos] bench: ...`.
        let line = line.trim_end();
        let untagged = match line.strip_prefix('[').and_then(|rest| rest.split_once("] ")) {
            Some((_, rest)) => rest,
            None => line,
        };
        let Some(rest) = untagged.strip_prefix("bench: ") else { continue };
        let words: Vec<&str> = rest.split_whitespace().collect();
        let [key, "median", median, "min", min, "max", max, "samples", samples] = words[..] else { continue };
        let number = |text: &str| text.parse::<u64>().ok();
        if let (Some(median), Some(min), Some(max), Some(samples)) =
            (number(median), number(min), number(max), number(samples))
        {
            figures.insert(key.to_owned(), Sample { median, min, max, samples });
        }
    }
    figures
}

/// Runs a command in `sdk`, failing with its output.
fn run(sdk: &Path, program: &str, arguments: &[&str]) -> Result<String, String> {
    let output = Command::new(program)
        .current_dir(sdk)
        .args(arguments)
        .env_remove("RUSTFLAGS")
        .env_remove("CARGO_ENCODED_RUSTFLAGS")
        .output()
        .map_err(|error| format!("cannot run {program}: {error}"))?;
    let text = format!("{}{}", String::from_utf8_lossy(&output.stdout), String::from_utf8_lossy(&output.stderr));
    // QEMU exits with the image's own code; a benchmark image exits 0.
    if !output.status.success() {
        return Err(format!("`{program} {}` failed:\n{text}", arguments.join(" ")));
    }
    Ok(text.replace('\r', ""))
}

fn images_dir(sdk: &Path) -> PathBuf {
    let target = std::env::var_os("CARGO_TARGET_DIR").map_or_else(|| sdk.join("target"), Into::into);
    target.join(crate::TARGET)
}

/// The bootable file of `image`.
pub fn image_path(sdk: &Path, image: Image) -> PathBuf {
    let images = images_dir(sdk);
    match image {
        Image::Kernel => images.join("release/bench_kernel"),
        Image::Guest => images.join("debug/examples/bench_ucos"),
        Image::GuestDirect => images.join("debug/examples/bench_ucos_direct"),
        Image::Native => images.join("release/native_ucos"),
    }
}

/// Builds `image` (and, for the kernel, the kernel-only `panic` image whose
/// `.text` is measured).
pub fn build(sdk: &Path, image: Image) -> Result<(), String> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let target = crate::TARGET;
    let arguments: &[&str] = match image {
        Image::Kernel => {
            &["build", "--release", "--target", target, "-p", "test-images", "--bin", "bench_kernel", "--bin", "panic"]
        }
        Image::Guest => &["build", "--target", target, "-p", "ucvisor", "--example", "bench_ucos"],
        Image::GuestDirect => &["build", "--target", target, "-p", "ucvisor", "--example", "bench_ucos_direct"],
        Image::Native => &["build", "--release", "--target", target, "-p", "native-ucos"],
    };
    run(sdk, &cargo, arguments).map(|_| ())
}

/// Boots `image` under `-icount shift=0,sleep=off` (bounded to five minutes)
/// and returns what it printed.
pub fn boot(sdk: &Path, image: Image) -> Result<String, String> {
    let path = image_path(sdk, image);
    let path = path.to_str().ok_or("image path is not UTF-8")?;
    #[rustfmt::skip]
    let arguments = [
        "300", "qemu-system-arm", "-M", "virt", "-cpu", "cortex-a15", "-m", "128M", "-nographic",
        "-net", "none", "-semihosting-config", "enable=on,target=native",
        "-icount", "shift=0,sleep=off", "-kernel", path,
    ];
    run(sdk, "timeout", &arguments)
}

/// Builds and boots `images` and returns their figures.
pub fn measure_images(sdk: &Path, images: &[Image]) -> Result<BTreeMap<String, Sample>, String> {
    let mut figures = BTreeMap::new();
    for &image in images {
        build(sdk, image)?;
    }
    for &image in images {
        let output = boot(sdk, image)?;
        let found = parse(&output);
        if found.is_empty() {
            return Err(format!("{image:?}: no figures in the output:\n{output}"));
        }
        figures.extend(found);
    }
    Ok(figures)
}

/// The microkernel's `.text` in bytes: the release `panic` image (the kernel
/// alone), built by [`build`]`(Image::Kernel)`.
pub fn kernel_text_bytes(sdk: &Path) -> Result<u64, String> {
    let panic = images_dir(sdk).join("release/panic");
    let sizes = run(sdk, "arm-none-eabi-size", &["-A", panic.to_str().unwrap_or_default()])?;
    sizes
        .lines()
        .find(|line| line.starts_with(".text "))
        .and_then(|line| line.split_whitespace().nth(1)?.parse().ok())
        .ok_or_else(|| format!("no .text in:\n{sizes}"))
}

/// Builds and boots every image; every figure the images printed, plus
/// `kernel_text_bytes` (one "sample").
pub fn measure(sdk: &Path) -> Result<BTreeMap<String, Sample>, String> {
    // The paper image last: its task-switch and critical-section figures
    // (the same code on both paths) are the ones kept, as before.
    let mut figures = measure_images(sdk, &[Image::Kernel, Image::GuestDirect, Image::Guest, Image::Native])?;
    let text = kernel_text_bytes(sdk)?;
    figures.insert("kernel_text_bytes".into(), Sample { median: text, min: text, max: text, samples: 1 });
    for figure in FIGURES.iter().filter(|figure| figure.built) {
        if !figures.contains_key(figure.key) {
            return Err(format!("no figure `{}` in the images' output", figure.key));
        }
    }
    Ok(figures)
}

/// `value` with thousands separators (1,490).
fn grouped(value: u64) -> String {
    let digits = value.to_string();
    let mut text = String::new();
    for (index, digit) in digits.chars().enumerate() {
        if index > 0 && (digits.len() - index).is_multiple_of(3) {
            text.push(',');
        }
        text.push(digit);
    }
    text
}

/// The figures as a Markdown table.
pub fn table(figures: &BTreeMap<String, Sample>) -> String {
    let mut table = String::from(
        "| figure (instructions) | key | median | min | max | target | reference | ratio |\n|---|---|---|---|---|---|---|---|\n",
    );
    for figure in FIGURES {
        let target = figure.target.map_or_else(|| "–".into(), |target| format!("≤ {}", grouped(target)));
        let reference = match figure.reference {
            Reference::None => None,
            Reference::Measured(key) => {
                figures.get(key).map(|sample| (format!("native {}", grouped(sample.median)), sample.median))
            }
            Reference::Fixed(name, value) => Some((format!("{name} {}", grouped(value)), value)),
        };
        let reference_text = reference.as_ref().map_or_else(|| "–".into(), |(text, _)| text.clone());
        let (median, min, max, ratio) = match figures.get(figure.key).filter(|_| figure.built) {
            Some(sample) => {
                let ratio = reference
                    .as_ref()
                    .filter(|(_, value)| *value > 0)
                    .map_or_else(|| "–".into(), |(_, value)| format!("{:.2}", sample.median as f64 / *value as f64));
                (grouped(sample.median), grouped(sample.min), grouped(sample.max), ratio)
            }
            None => ("not built".into(), "–".into(), "–".into(), "–".into()),
        };
        table.push_str(&format!(
            "| {} | `{}` | {median} | {min} | {max} | {target} | {reference_text} | {ratio} |\n",
            figure.what, figure.key
        ));
    }
    table
}

/// `bench.json`: every figure's median by key (`null` for a path not built),
/// one key per line, in table order.
pub fn json(figures: &BTreeMap<String, Sample>) -> String {
    let lines: Vec<String> = FIGURES
        .iter()
        .map(|figure| {
            let value = figures
                .get(figure.key)
                .filter(|_| figure.built)
                .map_or_else(|| "null".into(), |s| s.median.to_string());
            format!("  \"{}\": {value}", figure.key)
        })
        .collect();
    format!("{{\n{}\n}}\n", lines.join(",\n"))
}

/// Writes [`json`] to `target/bench/bench.json` (or under `CARGO_TARGET_DIR`); returns its path.
pub fn write_json(sdk: &Path, figures: &BTreeMap<String, Sample>) -> Result<PathBuf, String> {
    let target = std::env::var_os("CARGO_TARGET_DIR").map_or_else(|| sdk.join("target"), Into::into);
    let folder = target.join("bench");
    std::fs::create_dir_all(&folder).map_err(|error| format!("{}: {error}", folder.display()))?;
    let file = folder.join("bench.json");
    std::fs::write(&file, json(figures)).map_err(|error| format!("{}: {error}", file.display()))?;
    Ok(file.canonicalize().unwrap_or(file))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn figures_are_read_from_the_lines_the_images_print() {
        let output = "x\nbench: null_syscall median 400 min 399 max 1400 samples 1000\n\
                      bench: yield median 5 min 5\nsay bench: not at the start median 1 min 1 max 1 samples 1\n\
                      bench: ipc_call_reply_0w median 2059 min 2059 max 2934 samples 1000\r\n\
                      [bench_ucos] bench: critical_section median 15 min 15 max 15 samples 1000\n";
        let figures = parse(output);
        assert_eq!(figures.len(), 3, "{figures:?}");
        assert_eq!(figures["critical_section"].median, 15);
        assert_eq!(figures["null_syscall"], Sample { median: 400, min: 399, max: 1400, samples: 1000 });
        assert_eq!(figures["ipc_call_reply_0w"].median, 2059);
    }

    #[test]
    fn every_key_of_the_issue_is_in_the_table_and_the_json() {
        let keys = [
            "ipc_call_reply_0w",
            "ipc_call_reply_8w",
            "null_syscall",
            "yield",
            "ucos_switch_oneway",
            "critical_section",
            "virtual_tick_direct",
            "virtual_tick_paper",
            "irq_to_ostimetick_direct",
            "irq_to_ostimetick_paper",
            "kernel_tick",
            "kernel_text_bytes",
            "native_ucos_switch_oneway",
            "native_critical_section",
            "native_tick",
            "native_irq_to_ostimetick",
        ];
        let json = json(&BTreeMap::new());
        for key in keys {
            assert!(FIGURES.iter().any(|figure| figure.key == key), "{key}");
            assert!(json.contains(&format!("\"{key}\": ")), "{key}");
        }
    }

    #[test]
    fn a_figure_not_measured_is_null_and_not_built_never_a_number() {
        let mut figures = BTreeMap::new();
        let sample = Sample { median: 7, min: 7, max: 7, samples: 1 };
        figures.insert("virtual_tick_paper".to_owned(), sample);
        figures.insert("native_tick".to_owned(), Sample { median: 2, ..sample });
        let json = json(&figures);
        assert!(json.contains("\"virtual_tick_direct\": null"), "{json}");
        assert!(json.contains("\"virtual_tick_paper\": 7"), "{json}");
        let table = table(&figures);
        let direct = table.lines().find(|line| line.contains("`virtual_tick_direct`")).expect("row");
        assert!(direct.contains("| not built |"), "{direct}");
        let paper = table.lines().find(|line| line.contains("`virtual_tick_paper`")).expect("row");
        assert!(paper.contains("| 7 | 7 | 7 | ≤ 1,500 | native 2 | 3.50 |"), "{paper}");
    }

    #[test]
    fn numbers_are_grouped_by_thousands() {
        assert_eq!(grouped(7), "7");
        assert_eq!(grouped(1490), "1,490");
        assert_eq!(grouped(41424), "41,424");
        assert_eq!(grouped(1_000_000), "1,000,000");
    }
}
