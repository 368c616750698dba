// SPDX-License-Identifier: MIT OR Apache-2.0
//! Host tests of the bundled µC/OS-II kernel: the conformance suite on the host
//! test port (and, with `UCOS_II_SRC`, the same suite on the original sources with
//! identical output), the API check, the configuration checks and ARM builds.

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};
use std::{env, fs, thread};

use ucos_ii_c::{KernelBuildError, KernelSource, UCOS_II_SRC_ENV, bundled_include_dir, default_cfg_dir, host_port_dir};

const RUN_TIMEOUT: Duration = Duration::from_secs(60);
const ARM_GCC: &str = "arm-none-eabi-gcc";

fn crate_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn tmp_dir(name: &str) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("ucos-ii-c").join(name);
    fs::create_dir_all(&dir).expect("create temp dir");
    dir
}

fn host_cc() -> String {
    env::var("CC").unwrap_or_else(|_| "cc".to_owned())
}

fn run_checked(cmd: &mut Command, what: &str) -> Output {
    let out = cmd.output().unwrap_or_else(|e| panic!("{what}: cannot run {cmd:?}: {e}"));
    assert!(
        out.status.success(),
        "{what} failed ({}):\n{}{}",
        out.status,
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

fn conformance_sources() -> Vec<PathBuf> {
    let dir = crate_dir().join("tests").join("conformance");
    let mut files: Vec<PathBuf> = fs::read_dir(&dir)
        .expect("tests/conformance")
        .map(|e| e.expect("dir entry").path())
        .filter(|p| p.extension().is_some_and(|x| x == "c"))
        .collect();
    files.sort();
    files
}

/// Compiles kernel + host port + suite into an executable.
fn build_suite(source: &KernelSource, name: &str) -> PathBuf {
    let exe = tmp_dir(name).join("conformance");
    let mut cmd = Command::new(host_cc());
    cmd.args(["-O1", "-g", "-fcf-protection=none", "-Wall", "-Wextra"]);
    if source.is_bundled() {
        cmd.arg("-Werror");
    }
    cmd.arg("-I")
        .arg(default_cfg_dir())
        .arg("-I")
        .arg(host_port_dir())
        .arg("-I")
        .arg(source.source_dir())
        .arg("-I")
        .arg(crate_dir().join("tests").join("conformance"));
    cmd.args(source.c_files().expect("kernel sources"));
    cmd.arg(host_port_dir().join("os_cpu_c.c"));
    cmd.args(conformance_sources());
    cmd.arg("-o").arg(&exe);
    run_checked(&mut cmd, "compiling the conformance suite");
    exe
}

/// Runs the suite, killing it after RUN_TIMEOUT; returns its stdout.
fn run_suite(exe: &Path) -> String {
    let mut child = Command::new(exe)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start the conformance executable");
    let start = Instant::now();
    loop {
        if child.try_wait().expect("wait").is_some() {
            break;
        }
        if start.elapsed() > RUN_TIMEOUT {
            child.kill().expect("kill");
            let out = child.wait_with_output().expect("collect output");
            panic!("conformance suite timed out after {RUN_TIMEOUT:?}:\n{}", String::from_utf8_lossy(&out.stdout));
        }
        thread::sleep(Duration::from_millis(20));
    }
    let out = child.wait_with_output().expect("collect output");
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    println!("{stdout}");
    eprint!("{}", String::from_utf8_lossy(&out.stderr));
    stdout
}

/// The last line must be "N passed, 0 failed" with N > 0; returns N.
fn assert_all_passed(output: &str) -> u32 {
    let last = output.lines().last().expect("no output");
    let (passed, failed) = last
        .split_once(" passed, ")
        .and_then(|(p, rest)| Some((p.parse::<u32>().ok()?, rest.strip_suffix(" failed")?.parse::<u32>().ok()?)))
        .unwrap_or_else(|| panic!("unexpected last line: {last:?}"));
    assert_eq!(failed, 0, "conformance failures:\n{output}");
    assert!(passed > 0, "no checks ran");
    passed
}

#[test]
fn conformance_suite_passes_on_bundled_kernel() {
    let exe = build_suite(&KernelSource::Bundled, "bundled");
    let bundled = run_suite(&exe);
    let n = assert_all_passed(&bundled);
    assert!(n >= 100, "only {n} checks");

    match KernelSource::from_env() {
        KernelSource::Bundled => {
            println!("{UCOS_II_SRC_ENV} not set: not comparing with the original sources");
        }
        original => {
            let exe = build_suite(&original, "original");
            let reference = run_suite(&exe);
            assert_all_passed(&reference);
            assert_eq!(bundled, reference, "bundled and original kernels disagree");
        }
    }
}

#[test]
fn api_check_compiles_against_bundled_headers() {
    let obj = tmp_dir("api-check").join("api_check.o");
    let mut cmd = Command::new(host_cc());
    cmd.args(["-c", "-std=c11", "-Wall", "-Wextra", "-Werror"])
        .arg("-I")
        .arg(default_cfg_dir())
        .arg("-I")
        .arg(host_port_dir())
        .arg("-I")
        .arg(bundled_include_dir())
        .arg(crate_dir().join("tests").join("api_check.c"))
        .arg("-o")
        .arg(&obj);
    run_checked(&mut cmd, "compiling tests/api_check.c");
}

/// Writes a copy of the default configuration without the line defining `macro_name`.
fn cfg_without(macro_name: &str) -> PathBuf {
    let dir = tmp_dir(&format!("cfg-without-{macro_name}"));
    let os_cfg = fs::read_to_string(default_cfg_dir().join("os_cfg.h")).expect("os_cfg.h");
    let needle = format!("#define {macro_name} ");
    let kept: Vec<&str> = os_cfg.lines().filter(|l| !l.starts_with(&needle)).collect();
    assert_ne!(kept.len(), os_cfg.lines().count(), "{macro_name} not in os_cfg.h");
    fs::write(dir.join("os_cfg.h"), kept.join("\n") + "\n").expect("write os_cfg.h");
    fs::copy(default_cfg_dir().join("app_cfg.h"), dir.join("app_cfg.h")).expect("copy app_cfg.h");
    dir
}

#[test]
fn missing_cfg_macro_is_a_named_error() {
    for name in ["OS_TICK_STEP_EN", "OS_MAX_EVENTS", "OS_SEM_SET_EN", "OS_TMR_CFG_WHEEL_SIZE"] {
        let cfg = cfg_without(name);
        let out = Command::new(host_cc())
            .args(["-c", "-Wall"])
            .arg("-I")
            .arg(&cfg)
            .arg("-I")
            .arg(host_port_dir())
            .arg("-I")
            .arg(bundled_include_dir())
            .arg(bundled_include_dir().join("os_core.c"))
            .arg("-o")
            .arg(cfg.join("os_core.o"))
            .output()
            .expect("run the C compiler");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(!out.status.success(), "compiled without {name}");
        assert!(
            stderr.contains(&format!("#error \"os_cfg.h: {name} is not defined\"")),
            "no #error naming {name}:\n{stderr}"
        );
    }
}

#[test]
fn original_checkout_without_sources_is_rejected() {
    let root = tmp_dir("not-a-checkout");
    fs::create_dir_all(root.join("Source")).expect("mkdir");
    fs::write(root.join("Source").join("os_core.c"), "/* empty */\n").expect("write");
    match KernelSource::Original(root.clone()).c_files() {
        Err(e @ KernelBuildError::MissingOriginalFiles { .. }) => {
            let msg = e.to_string();
            assert!(msg.contains("Source/os_task.c"), "{msg}");
            assert!(msg.contains("Source/ucos_ii.h"), "{msg}");
            assert!(!msg.contains("Source/os_core.c"), "{msg}");
        }
        other => panic!("expected MissingOriginalFiles, got {other:?}"),
    }
}

fn have_arm_gcc() -> bool {
    Command::new(ARM_GCC).arg("--version").output().is_ok_and(|o| o.status.success())
}

fn arm_build(cfg: &Path, name: &str) {
    let out_dir = tmp_dir(name);
    for file in KernelSource::Bundled.c_files().expect("bundled sources") {
        let obj = out_dir.join(file.file_name().expect("file name")).with_extension("o");
        let mut cmd = Command::new(ARM_GCC);
        cmd.args([
            "-march=armv7-a",
            "-marm",
            "-mno-unaligned-access",
            "-ffreestanding",
            "-O2",
            "-Wall",
            "-Wextra",
            "-Werror",
            "-c",
        ])
        .arg("-I")
        .arg(cfg)
        .arg("-I")
        .arg(crate_dir().join("..").join("port").join("include"))
        .arg("-I")
        .arg(bundled_include_dir())
        .arg(&file)
        .arg("-o")
        .arg(&obj);
        run_checked(&mut cmd, &format!("{ARM_GCC} {} ({name})", file.display()));
    }
}

#[test]
fn arm_builds_with_default_and_minimal_config() {
    if !have_arm_gcc() {
        println!("SKIPPED: {ARM_GCC} is not installed; ARM builds not checked");
        return;
    }
    arm_build(&default_cfg_dir(), "arm-default");
    arm_build(&crate_dir().join("tests").join("cfg-minimal"), "arm-minimal");
}

#[test]
fn arm_layout_matches_v2_93_01() {
    if !have_arm_gcc() {
        println!("SKIPPED: {ARM_GCC} is not installed; OS_TCB layout not checked");
        return;
    }
    let obj = tmp_dir("arm-layout").join("layout_check.o");
    let mut cmd = Command::new(ARM_GCC);
    cmd.args(["-march=armv7-a", "-ffreestanding", "-std=c11", "-Wall", "-Wextra", "-Werror", "-c"])
        .arg("-I")
        .arg(default_cfg_dir())
        .arg("-I")
        .arg(crate_dir().join("..").join("port").join("include"))
        .arg("-I")
        .arg(bundled_include_dir())
        .arg(crate_dir().join("tests").join("layout_check.c"))
        .arg("-o")
        .arg(&obj);
    run_checked(&mut cmd, "tests/layout_check.c for armv7-a");
}
