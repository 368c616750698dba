// SPDX-License-Identifier: MIT OR Apache-2.0
//! The SDK as an application developer meets it, in a temporary folder outside
//! the SDK and without touching any file of the SDK: `cargo xtask new-app`, then
//! `cargo run --target armv7a-none-eabi` boots the template; its `main.c`,
//! `os_cfg.h` and `app_cfg.h` replaced by another application's and its
//! `system.toml` by a two-guest description, the same command builds and boots
//! both guests, their lines tagged; `cargo test` runs the template's C unit
//! tests in QEMU and fails when a check fails, and passes again when the right
//! check comes back with its older modification time, and sees a header
//! beside the tests change, and a unit-test image that cannot be built fails
//! `cargo test` but not `cargo run`; and the package builds and boots at
//! opt-level 0, 1, s and 3 (the kernel, servers and runtime keep the SDK's
//! settings); and with the SDK's kernel itself built at opt-level 0
//! (`UCVISOR_KERNEL_OPT_LEVEL`).

mod harness;

use harness::{Boot, boot, deterministic_time, workspace_root};
use std::path::Path;
use std::process::{Command, Output};
use std::time::Duration;

/// `cargo ARGS` in `dir`, with the environment a developer's shell has: none of
/// the variables cargo sets for this test, one target folder for every step.
fn cargo(dir: &Path, target: &Path, args: &[&str], env: &[(&str, &str)]) -> Output {
    // Bounded: a system that never shuts down fails the test instead of hanging it.
    let mut command = Command::new("timeout");
    command.current_dir(dir).arg("900").arg(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into())).args(args);
    without_cargo_test_environment(&mut command);
    command.env("CARGO_TARGET_DIR", target).envs(env.iter().copied());
    command.output().expect("running cargo")
}

/// Removes what cargo set for this test (its `CARGO_*` variables, rustc
/// wrappers, flags) so that commands run as in a developer's shell.
fn without_cargo_test_environment(command: &mut Command) {
    for (key, _) in std::env::vars_os() {
        let Some(key) = key.to_str() else { continue };
        let keep = matches!(key, "CARGO_HOME" | "CARGO_MAKEFLAGS");
        if (key.starts_with("CARGO_") && !keep) || key.starts_with("RUSTC") || key.contains("RUSTFLAGS") {
            command.env_remove(key);
        }
    }
}

/// What a command printed, stdout then stderr, with QEMU's `\r\n` made `\n`.
fn text(output: &Output) -> String {
    let text = format!("{}{}", String::from_utf8_lossy(&output.stdout), String::from_utf8_lossy(&output.stderr));
    text.replace("\r\n", "\n")
}

fn copy_application(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("create the folder");
    for file in ["main.c", "os_cfg.h", "app_cfg.h"] {
        std::fs::copy(from.join(file), to.join(file)).unwrap_or_else(|e| panic!("copying {file}: {e}"));
    }
}

/// Writes `text` to `path` and sets its modification time to `time`.
fn write_with_time(path: &Path, text: &str, time: std::time::SystemTime) {
    std::fs::write(path, text).unwrap_or_else(|e| panic!("writing {}: {e}", path.display()));
    let file = std::fs::File::options().write(true).open(path).expect("open for the time");
    file.set_modified(time).unwrap_or_else(|e| panic!("setting the time of {}: {e}", path.display()));
}

fn sdk_status() -> String {
    let output = Command::new("git").current_dir(workspace_root()).args(["status", "--porcelain"]).output();
    output.map(|o| String::from_utf8_lossy(&o.stdout).into_owned()).unwrap_or_default()
}

#[test]
fn an_application_outside_the_sdk_builds_and_boots_one_then_two_guests_at_every_opt_level() {
    let sdk = workspace_root();
    let before = sdk_status();
    // Outside the SDK (its target folder is inside it).
    let root = std::env::temp_dir().join(format!("ucvisor-out-of-tree-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&root);
    std::fs::create_dir_all(&root).expect("temporary folder");
    let app = root.join("work/motor");
    let target = root.join("target");
    let icount = deterministic_time().join(" ");
    let run_env = [("UCVISOR_QEMU_ARGS", icount.as_str())];

    // 1. doc/porting.md's five commands, as they are written there (with `~` the
    // temporary folder and the SDK's path for `path/to/ucvisor`).
    let guide = std::fs::read_to_string(sdk.join("doc/porting.md")).expect("doc/porting.md");
    let block = guide.split("<!-- porting-guide-commands").nth(1).expect("the porting guide's command block");
    let block = block.split("```sh\n").nth(1).and_then(|b| b.split("```").next()).expect("a ```sh block");
    assert!(block.contains("cargo xtask new-app ~/work/motor"), "{block}");
    let script = block.replace("path/to/ucvisor", sdk.to_str().expect("UTF-8 path"));
    let home = std::env::var("HOME").unwrap_or_default();
    let cargo_home = std::env::var("CARGO_HOME").unwrap_or_else(|_| format!("{home}/.cargo"));
    let rustup_home = std::env::var("RUSTUP_HOME").unwrap_or_else(|_| format!("{home}/.rustup"));
    let mut command = Command::new("timeout");
    command.args(["1200", "bash", "-euo", "pipefail", "-c", &script]);
    without_cargo_test_environment(&mut command);
    command.env("HOME", &root).env("CARGO_HOME", cargo_home).env("RUSTUP_HOME", rustup_home);
    command.env("CARGO_TARGET_DIR", &target).envs(run_env.iter().copied());
    let run = command.output().expect("running the porting guide's commands");
    let output = text(&run);
    assert!(run.status.success(), "the porting guide's commands failed:\n{script}\n{output}");
    assert!(output.contains("[motor] blink 5 at OSTime") && output.contains("[motor] done"), "{output}");
    assert!(output.contains("[root] guest `motor` exited with code 0"), "{output}");

    // 2. The template's C unit tests: `cargo test` boots them and passes; with
    // one check made wrong it fails, naming the check (the test of the test).
    let unit = cargo(&app, &target, &["test"], &[]);
    let output = text(&unit);
    assert!(unit.status.success(), "cargo test of the template failed:\n{output}");
    assert!(output.contains("\n4 passed, 0 failed\n"), "{output}");
    let test_file = app.join("tests/unit/test_average.c");
    let tests = std::fs::read_to_string(&test_file).expect("tests/unit/test_average.c");
    let tests_time = std::fs::metadata(&test_file).and_then(|m| m.modified()).expect("the test's time");
    let wrong = tests.replace("UT_CHECK_EQ(average_add(&a, 20), 15);", "UT_CHECK_EQ(average_add(&a, 20), 16);");
    assert_ne!(wrong, tests, "the check to break is not in the template");
    std::fs::write(&test_file, wrong).expect("write the broken test");
    let unit = cargo(&app, &target, &["test"], &[]);
    let output = text(&unit);
    assert!(!unit.status.success(), "cargo test passed with a wrong check:\n{output}");
    assert!(output.contains("test_average.c:20: CHECK failed: average_add(&a, 20) == 16"), "{output}");
    assert!(output.contains("[FAIL] average_before_the_window_is_full_uses_the_samples_so_far"), "{output}");
    assert!(output.contains("\n3 passed, 1 failed\n"), "{output}");

    // The right check put back with the time it had (as `cp -p` or an archive
    // would): older than the wrong one's build, yet that build is not kept.
    write_with_time(&test_file, &tests, tests_time);
    let unit = cargo(&app, &target, &["test"], &[]);
    let output = text(&unit);
    assert!(unit.status.success(), "cargo test kept the wrong check's build:\n{output}");
    assert!(output.contains("\n4 passed, 0 failed\n"), "{output}");

    // A header beside the test, in no folder the description names: a change
    // to it alone (the test's file untouched) is built.
    let header = app.join("tests/unit/expected.h");
    std::fs::write(&header, "#define EXPECTED_AVERAGE 15\n").expect("write the header");
    let with_header = format!("#include \"expected.h\"\n{tests}")
        .replace("UT_CHECK_EQ(average_add(&a, 20), 15);", "UT_CHECK_EQ(average_add(&a, 20), EXPECTED_AVERAGE);");
    std::fs::write(&test_file, &with_header).expect("write the test with the header");
    let unit = cargo(&app, &target, &["test"], &[]);
    assert!(unit.status.success(), "cargo test with the header failed:\n{}", text(&unit));
    std::fs::write(&header, "#define EXPECTED_AVERAGE 16\n").expect("change the header");
    let unit = cargo(&app, &target, &["test"], &[]);
    let output = text(&unit);
    assert!(!unit.status.success(), "a changed header was not built:\n{output}");
    assert!(output.contains("\n3 passed, 1 failed\n"), "{output}");
    std::fs::remove_file(&header).expect("remove the header");

    // A unit-test image that cannot be built fails `cargo test`, with the
    // compiler's message, and not `cargo run` of the application.
    std::fs::write(&test_file, "#error the unit tests are broken on purpose\n").expect("break the tests");
    let run = cargo(&app, &target, &["run", "--target", "armv7a-none-eabi"], &run_env);
    let output = text(&run);
    assert!(run.status.success(), "a broken unit-test image stopped cargo run:\n{output}");
    assert!(output.contains("[motor] done"), "{output}");
    let unit = cargo(&app, &target, &["test"], &[]);
    let output = text(&unit);
    assert!(!unit.status.success(), "cargo test passed with broken tests:\n{output}");
    assert!(output.contains("the unit tests are broken on purpose"), "{output}");
    std::fs::write(&test_file, tests).expect("restore the test");

    // 3. Another application and a second guest, described in system.toml.
    copy_application(&sdk.join("examples/hello"), &app.join("app"));
    copy_application(&sdk.join("examples/smallstack"), &app.join("logger"));
    let description = "[system]\nname = \"motor\"\n\n\
        [[guest]]\nname = \"control\"\npath = \"app\"\npriority = 50\nmemory_kib = 8192\n\n\
        [[guest]]\nname = \"logger\"\npath = \"logger\"\npriority = 40\nmemory_kib = 8192\n";
    std::fs::write(app.join("system.toml"), description).expect("write system.toml");
    let run = cargo(&app, &target, &["run", "--target", "armv7a-none-eabi"], &run_env);
    let output = text(&run);
    assert!(run.status.success(), "cargo run of two guests failed:\n{output}");
    assert!(output.contains("[control] hello: task A tick 1 "), "{output}");
    assert!(output.contains("[control] hello: done"), "{output}");
    assert!(output.contains("[logger] smallstack: done"), "{output}");
    assert!(output.contains("[root] guest `control` exited with code 0"), "{output}");
    assert!(output.contains("[root] guest `logger` exited with code 0"), "{output}");

    // 4. Whatever the package's profile: the image crate holds data only.
    // Builds the two-guest package with `env` and boots it.
    let build_and_boot = |env: &[(&str, &str)]| {
        let build = cargo(&app, &target, &["build", "--target", "armv7a-none-eabi"], env);
        assert!(build.status.success(), "build with {env:?} failed:\n{}", text(&build));
        let image = target.join("armv7a-none-eabi/debug/motor");
        let options = Boot { timeout: Duration::from_secs(90), qemu_args: deterministic_time(), ..Boot::default() };
        let outcome = boot(&image, &options);
        outcome.assert_success();
        outcome
    };
    for level in ["0", "1", "s", "3"] {
        let outcome = build_and_boot(&[("CARGO_PROFILE_DEV_OPT_LEVEL", level)]);
        outcome.assert_contains("[root] guest `logger` exited with code 0");
    }

    // 5. The kernel itself at opt-level 0, where no optimisation removes a large
    // stack frame: its 32 KiB stack holds and both guests run to the end.
    let outcome = build_and_boot(&[("UCVISOR_KERNEL_OPT_LEVEL", "0")]);
    outcome.assert_contains("[control] hello: done").assert_contains("[root] guest `logger` exited with code 0");

    // No file of the SDK was touched.
    assert_eq!(sdk_status(), before, "the SDK's files changed");
    let _ = std::fs::remove_dir_all(&root);
}
