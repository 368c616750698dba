// SPDX-License-Identifier: MIT OR Apache-2.0
//! What an image must print and how it must end, read from the `expect.toml`
//! beside its description: `examples/<name>/expect.toml` for an example (beside
//! its `system.toml`), `tests/images/src/bin/<name>/expect.toml` for a kernel
//! test image. The generic driver (`tests/expectations.rs`) boots every image
//! that has one and checks it; a test that checks more than the file can say
//! (numbers computed from the output) boots the image through [`Expectation::boot`]
//! and names itself in `checked_in`, and the driver leaves that image to it.
//!
//! Every image boots under `-icount shift=0,sleep=off` (see
//! [`super::deterministic_time`]). Keys (all optional, unknown keys are errors):
//!
//! ```toml
//! exit_code = 0              # QEMU's exit code (default 0), unless stop_after ended the run
//! stop_after = "text"        # stop QEMU once this was printed: images that run forever
//! timeout_s = 90             # kill QEMU after this long (default 90): a failure
//! input = "line\r"           # typed on the serial console, one byte every 2 ms
//! input_after = "text"       # ... once this was printed
//! contains = ["text"]        # each must appear
//! in_order = ["a", "b"]      # each must appear, each after the one before
//! absent = ["text"]          # none may appear
//! tagged = ["hello"]         # guests whose lines `NAME: ...` all carry the tag `[NAME] `
//! passed_at_least = 3        # the last `N passed, M failed` line has M = 0 and N at least this
//! checked_in = "tests/x.rs"  # a named test there boots this image and checks more
//! [count]
//! "text" = 2                 # exactly this many lines contain `text`
//! ```
#![allow(dead_code)]

use super::{Boot, Outcome, boot, deterministic_time};
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Duration;

/// The contents of one `expect.toml`.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Expectation {
    exit_code: Option<i32>,
    stop_after: Option<String>,
    timeout_s: Option<u64>,
    input: Option<String>,
    input_after: Option<String>,
    #[serde(default)]
    contains: Vec<String>,
    #[serde(default)]
    in_order: Vec<String>,
    #[serde(default)]
    absent: Vec<String>,
    #[serde(default)]
    tagged: Vec<String>,
    passed_at_least: Option<u32>,
    /// A test that boots the image itself and checks more.
    pub checked_in: Option<String>,
    #[serde(default)]
    count: BTreeMap<String, usize>,
}

/// One image with an expectation file.
#[derive(Debug)]
pub struct TestImage {
    /// `examples/hello`, `kernel/ipc_pingpong`: how reports name it.
    pub name: String,
    /// The bootable image.
    pub image: PathBuf,
    /// Its `expect.toml`.
    pub file: PathBuf,
}

/// Every image with an `expect.toml`: the examples (`examples/*/`) and the
/// kernel test images (`tests/images/src/bin/*/`), in name order. Folders
/// only: building is left to [`TestImage::boot`] (through the harness).
pub fn discover() -> Vec<TestImage> {
    let root = super::workspace_root();
    let mut images = Vec::new();
    for (folder, prefix) in [("examples", "examples"), ("tests/images/src/bin", "kernel")] {
        let Ok(entries) = std::fs::read_dir(root.join(folder)) else { continue };
        let mut names: Vec<String> = entries
            .filter_map(|entry| entry.ok())
            .filter(|entry| entry.path().join("expect.toml").is_file())
            .filter_map(|entry| entry.file_name().into_string().ok())
            .collect();
        names.sort();
        for name in names {
            let file = root.join(folder).join(&name).join("expect.toml");
            let image = if prefix == "examples" { PathBuf::from("examples").join(&name) } else { PathBuf::from(&name) };
            images.push(TestImage { name: format!("{prefix}/{name}"), image, file });
        }
    }
    images
}

impl Expectation {
    /// Reads and parses `file`; the error names the file and the problem.
    pub fn read(file: &Path) -> Result<Self, String> {
        let text = std::fs::read_to_string(file).map_err(|error| format!("{}: {error}", file.display()))?;
        toml::from_str(&text).map_err(|error| format!("{}: {error}", file.display()))
    }

    /// The expectation of example `name` (`examples/<name>/expect.toml`).
    pub fn of_example(name: &str) -> Self {
        let file = super::workspace_root().join("examples").join(name).join("expect.toml");
        Self::read(&file).unwrap_or_else(|error| panic!("{error}"))
    }

    /// The QEMU run this file asks for.
    pub fn boot_options(&self) -> Boot {
        Boot {
            timeout: Duration::from_secs(self.timeout_s.unwrap_or(90)),
            input: self.input.clone().unwrap_or_default().into_bytes(),
            input_after: self.input_after.clone(),
            qemu_args: deterministic_time(),
            stop_after: self.stop_after.clone(),
        }
    }

    /// Boots `image` (a path under the images folder, see [`super::image`])
    /// as this file asks and checks the outcome against it.
    pub fn boot(&self, image: &Path) -> Result<Outcome, (String, Outcome)> {
        let outcome = boot(&super::image(&image.to_string_lossy()), &self.boot_options());
        match self.check(&outcome) {
            Ok(()) => Ok(outcome),
            Err(problem) => Err((problem, outcome)),
        }
    }

    /// Like [`Expectation::boot`] for example `name`, failing the test (with
    /// the output) on any difference.
    pub fn boot_example(name: &str) -> Outcome {
        match Self::of_example(name).boot(&PathBuf::from("examples").join(name)) {
            Ok(outcome) => outcome,
            Err((problem, outcome)) => panic!("examples/{name}: {problem}\n{}", outcome.output),
        }
    }

    /// Every difference between `outcome` and this file, one per line.
    pub fn check(&self, outcome: &Outcome) -> Result<(), String> {
        let mut problems = Vec::new();
        let output = &outcome.output;
        if outcome.timed_out {
            problems.push(format!("timed out after {} s", self.boot_options().timeout.as_secs()));
        } else if !outcome.stopped_on_marker {
            let expected = self.exit_code.unwrap_or(0);
            if outcome.exit_code != Some(expected) {
                problems.push(format!("{}, expected exit code {expected}", outcome.describe()));
            }
        }
        for text in &self.contains {
            if !output.contains(text.as_str()) {
                problems.push(format!("missing {text:?}"));
            }
        }
        let mut rest = output.as_str();
        for text in &self.in_order {
            match rest.find(text.as_str()) {
                Some(at) => rest = &rest[at + text.len()..],
                None => problems.push(format!("{text:?} missing or out of order")),
            }
        }
        for text in &self.absent {
            if output.contains(text.as_str()) {
                problems.push(format!("{text:?} must not appear"));
            }
        }
        for (text, expected) in &self.count {
            let found = outcome.count(text);
            if found != *expected {
                problems.push(format!("{found} lines contain {text:?}, expected {expected}"));
            }
        }
        for name in &self.tagged {
            let (tag, prefix) = (format!("[{name}] "), format!("{name}: "));
            if !output.lines().any(|line| line.starts_with(&tag)) {
                problems.push(format!("no line tagged {tag:?}"));
            }
            if let Some(line) = output.lines().find(|line| line.starts_with(&prefix)) {
                problems.push(format!("a line of `{name}` without its tag: {line:?}"));
            }
        }
        if let Some(minimum) = self.passed_at_least {
            match summary(output) {
                Some((passed, 0)) if passed >= minimum => {}
                Some((passed, failed)) => {
                    problems.push(format!("{passed} passed, {failed} failed; expected at least {minimum}, 0 failed"))
                }
                None => problems.push("no `N passed, N failed` line".into()),
            }
        }
        if problems.is_empty() { Ok(()) } else { Err(problems.join("\n")) }
    }
}

/// The numbers of the last `N passed, M failed` line (tagged or not).
pub fn summary(output: &str) -> Option<(u32, u32)> {
    let line = output.lines().rev().find(|line| line.ends_with(" failed") && line.contains(" passed, "))?;
    let (before, after) = line.rsplit_once(" passed, ")?;
    let passed = before.rsplit([' ', ':', ']']).next()?.parse().ok()?;
    let failed = after.strip_suffix(" failed")?.parse().ok()?;
    Some((passed, failed))
}
