// SPDX-License-Identifier: MIT OR Apache-2.0
//! Host-side QEMU test harness: builds the ARM images once per test binary, boots
//! one in QEMU with a timeout, captures its serial output and exit code.
//!
//! A hang is a failed test that shows the output so far, never a stuck run: the
//! harness kills QEMU when the deadline passes.
#![allow(dead_code)]

pub mod expect;

use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::{Duration, Instant};

/// The ARM target all images are built for.
pub const TARGET: &str = "armv7a-none-eabi";

/// Root of the workspace.
pub fn workspace_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The target folder of this workspace's builds.
pub fn target_dir() -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR").map(PathBuf::from).unwrap_or_else(|| workspace_root().join("target"))
}

/// What building the images produced.
pub struct Built {
    /// Where the images are (`target/armv7a-none-eabi/debug`).
    pub images: PathBuf,
    /// The `OUT_DIR` of the `ucvisor` package's build script, which holds
    /// what the images embed (`ucvisor/`: see `xtask::build_system`).
    pub programs: PathBuf,
}

/// Builds every bootable image (the product image and the test images) once.
pub fn build_images() -> &'static Result<Built, String> {
    static BUILT: OnceLock<Result<Built, String>> = OnceLock::new();
    BUILT.get_or_init(|| {
        let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
        let output = Command::new(cargo)
            .current_dir(workspace_root())
            .args(["build", "--target", TARGET, "-p", "ucvisor", "-p", "test-images", "--bins", "--examples"])
            .arg("--message-format=json-render-diagnostics")
            .env_remove("RUSTFLAGS")
            .env_remove("CARGO_ENCODED_RUSTFLAGS")
            .output()
            .map_err(|error| format!("could not run cargo: {error}"))?;
        if !output.status.success() {
            return Err(format!("building the ARM images failed:\n{}", String::from_utf8_lossy(&output.stderr)));
        }
        let programs = build_script_out_dir(&String::from_utf8_lossy(&output.stdout), &workspace_root())
            .ok_or("cargo reported no build script output folder for the `ucvisor` package")?;
        Ok(Built { images: target_dir().join(TARGET).join("debug"), programs })
    })
}

/// The `OUT_DIR` of the build script of the package whose manifest is
/// `package_dir/Cargo.toml`, from cargo's JSON messages: the package's id comes
/// from one of its `compiler-artifact` messages, the folder from its
/// `build-script-executed` message (cargo sends both for fresh units too).
fn build_script_out_dir(messages: &str, package_dir: &Path) -> Option<PathBuf> {
    let messages: Vec<serde_json::Value> = messages.lines().filter_map(|l| serde_json::from_str(l).ok()).collect();
    let manifest = package_dir.join("Cargo.toml");
    let id = messages.iter().find_map(|m| {
        let artifact = m["reason"] == "compiler-artifact";
        let ours = m["manifest_path"].as_str().is_some_and(|p| Path::new(p) == manifest);
        if artifact && ours { m["package_id"].as_str() } else { None }
    })?;
    messages.iter().find_map(|m| {
        let executed = m["reason"] == "build-script-executed" && m["package_id"] == id;
        if executed { m["out_dir"].as_str().map(PathBuf::from) } else { None }
    })
}

/// The folder where the image build (`xtask::build_system`) put what the
/// image `name` embeds, building all images first if needed:
/// `<guest>.elf` (with symbols), `<guest>` (stripped, embedded), `system`,
/// and `build/<guest>/` (objects, the guest's partially linked C object
/// `<guest>-c.o`).
pub fn image_build(name: &str) -> PathBuf {
    match build_images() {
        Ok(built) => built.programs.join("ucvisor/images").join(name),
        Err(message) => panic!("{message}"),
    }
}

/// Path of a built image, building all images first if needed.
pub fn image(name: &str) -> PathBuf {
    match build_images() {
        Ok(built) => built.images.join(name),
        Err(message) => panic!("{message}"),
    }
}

/// How one QEMU run ended.
#[derive(Debug)]
pub struct Outcome {
    /// Everything the image wrote to the serial console (and QEMU to stderr).
    pub output: String,
    /// QEMU's exit code; `None` if it was killed.
    pub exit_code: Option<i32>,
    /// True if the deadline passed and QEMU was killed.
    pub timed_out: bool,
    /// True if QEMU was stopped because the output showed `Boot::stop_after`.
    pub stopped_on_marker: bool,
}

impl Outcome {
    /// The harness's verdict: passed if QEMU exited 0 within the deadline.
    pub fn passed(&self) -> bool {
        self.stopped_on_marker || (!self.timed_out && self.exit_code == Some(0))
    }

    /// Fails the test (showing the output) unless the run passed.
    pub fn assert_success(&self) -> &Self {
        assert!(self.passed(), "image did not exit 0 ({}):\n{}", self.describe(), self.output);
        self
    }

    /// Fails the test unless the output contains `needle`.
    pub fn assert_contains(&self, needle: &str) -> &Self {
        assert!(self.output.contains(needle), "expected {needle:?} in the output:\n{}", self.output);
        self
    }

    /// Number of lines containing `needle`.
    pub fn count(&self, needle: &str) -> usize {
        self.output.lines().filter(|line| line.contains(needle)).count()
    }

    /// The guests the root server started (its `[root] guest `NAME` started` lines).
    pub fn guests(&self) -> Vec<&str> {
        let mut names = Vec::new();
        for line in self.output.lines() {
            let name = line.strip_prefix("[root] guest `").and_then(|rest| rest.split_once("` started"));
            if let Some((name, _)) = name
                && !names.contains(&name)
            {
                names.push(name);
            }
        }
        names
    }

    /// The console's lines with the tag v_serial puts before every line of a
    /// guest (`[NAME] `, for each guest the root server started) taken off:
    /// what the guests themselves wrote, for checks of whole lines.
    pub fn untagged_lines(&self) -> Vec<&str> {
        let tags: Vec<String> = self.guests().iter().map(|name| format!("[{name}] ")).collect();
        self.output
            .lines()
            .map(|line| tags.iter().find_map(|tag| line.strip_prefix(tag.as_str())).unwrap_or(line))
            .collect()
    }

    /// Fails the test unless guest `name` wrote lines, tagged `[name] `, and
    /// no line begins with `prefix` (text only `name` writes, such as
    /// `hello: `) without the tag before it.
    pub fn assert_tagged(&self, name: &str, prefix: &str) -> &Self {
        let tag = format!("[{name}] ");
        assert!(self.output.lines().any(|line| line.starts_with(&tag)), "no line tagged {tag:?}:\n{}", self.output);
        let untagged: Vec<&str> = self.output.lines().filter(|line| line.starts_with(prefix)).collect();
        assert!(untagged.is_empty(), "lines of `{name}` without its tag: {untagged:?}\n{}", self.output);
        self
    }

    /// A one-line description of how the run ended.
    pub fn describe(&self) -> String {
        if self.stopped_on_marker {
            "stopped after the expected output".into()
        } else if self.timed_out {
            "timed out: killed".into()
        } else {
            match self.exit_code {
                Some(code) => format!("exit code {code}"),
                None => "killed by a signal".into(),
            }
        }
    }
}

/// Options for one boot.
#[derive(Clone, Debug)]
pub struct Boot {
    /// Kill QEMU after this long.
    pub timeout: Duration,
    /// Bytes written to the serial console (after `input_delay`).
    pub input: Vec<u8>,
    /// Wait for this text in the output before writing `input`.
    pub input_after: Option<String>,
    /// Extra QEMU arguments.
    pub qemu_args: Vec<String>,
    /// For images that run forever: stop QEMU (a pass) once the output contains this.
    pub stop_after: Option<String>,
}

impl Default for Boot {
    fn default() -> Self {
        Self {
            timeout: Duration::from_secs(60),
            input: Vec::new(),
            input_after: None,
            qemu_args: Vec::new(),
            stop_after: None,
        }
    }
}

/// Boots `image` in QEMU and collects the outcome.
pub fn boot(image: &Path, options: &Boot) -> Outcome {
    let mut child = Command::new("qemu-system-arm")
        .args(["-M", "virt", "-cpu", "cortex-a15", "-m", "128M", "-nographic", "-net", "none"])
        .args(["-semihosting-config", "enable=on,target=native", "-monitor", "none", "-serial", "stdio"])
        .args(&options.qemu_args)
        .arg("-kernel")
        .arg(image)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("qemu-system-arm must be installed (see README)");
    let output = Arc::new(Mutex::new(Vec::<u8>::new()));
    let readers: Vec<_> = [
        Box::new(child.stdout.take().expect("piped")) as Box<dyn Read + Send>,
        Box::new(child.stderr.take().expect("piped")),
    ]
    .into_iter()
    .map(|mut stream| {
        let output = Arc::clone(&output);
        std::thread::spawn(move || {
            let mut buffer = [0u8; 4096];
            while let Ok(count) = stream.read(&mut buffer) {
                if count == 0 {
                    break;
                }
                output.lock().expect("output lock").extend_from_slice(&buffer[..count]);
            }
        })
    })
    .collect();
    let mut stdin = child.stdin.take();
    let mut input_sent = options.input.is_empty();
    let deadline = Instant::now() + options.timeout;
    let mut timed_out = false;
    let mut stopped_on_marker = false;
    let status = loop {
        if let Some(status) = child.try_wait().expect("waiting for qemu") {
            break Some(status);
        }
        if !input_sent {
            let ready = match &options.input_after {
                Some(marker) => String::from_utf8_lossy(&output.lock().expect("output lock")).contains(marker.as_str()),
                None => true,
            };
            if ready {
                if let Some(stdin) = stdin.as_mut() {
                    // Typed one byte at a time, as a person (or a UART FIFO) would.
                    for byte in &options.input {
                        let _ = stdin.write_all(&[*byte]);
                        let _ = stdin.flush();
                        std::thread::sleep(Duration::from_millis(2));
                    }
                }
                input_sent = true;
            }
        }
        if let Some(marker) = &options.stop_after
            && String::from_utf8_lossy(&output.lock().expect("output lock")).contains(marker.as_str())
        {
            stopped_on_marker = true;
            let _ = child.kill();
            break child.wait().ok();
        }
        if Instant::now() >= deadline {
            timed_out = true;
            let _ = child.kill();
            break child.wait().ok();
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    drop(stdin);
    for reader in readers {
        let _ = reader.join();
    }
    let output = String::from_utf8_lossy(&output.lock().expect("output lock")).replace('\r', "");
    let exit_code = if timed_out || stopped_on_marker { None } else { status.and_then(|s| s.code()) };
    Outcome { output, exit_code, timed_out, stopped_on_marker }
}

/// Path of a built example image (`cargo build --examples`).
pub fn example(name: &str) -> PathBuf {
    match build_images() {
        Ok(built) => built.images.join("examples").join(name),
        Err(message) => panic!("{message}"),
    }
}

/// QEMU arguments for deterministic guest timing: virtual time follows the
/// instruction count (one per ns) and skips idle periods, so tick-accuracy and
/// preemption checks do not depend on how busy the host is.
pub fn deterministic_time() -> Vec<String> {
    vec!["-icount".into(), "shift=0,sleep=off".into()]
}

/// Boots the named image with default options.
pub fn boot_image(name: &str) -> Outcome {
    boot(&image(name), &Boot::default())
}
