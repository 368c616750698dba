// SPDX-License-Identifier: MIT OR Apache-2.0
//! The make flow (doc/porting.md, "A plain make flow") as a make user meets
//! it, in a temporary folder: the guide's commands as they are written
//! (`cargo xtask sdk`, then `make` and `make run` of a copy of
//! `tools/make-example/`), the guest's output and exit code checked; then,
//! with the same SDK folder, µC/OS-II recompiled after an edit of the
//! application's `os_cfg.h` (the kernel's task table follows it), the kernel
//! compiled from a checkout given in `UCOS_II_SRC`, a hard-float guest, a
//! guest without `main` refused by the guest link's check, and a description
//! error reported with the cargo flow's message. Neither the exported SDK
//! folder nor the checkout changes.
//!
//! The example lives in `tools/make-example/`, not `examples/`: every folder of
//! `examples/` is a cargo example image (`examples/<name>/main.rs`, built by the
//! root build script), and this one has no `main.rs` and is built by make.

mod harness;

use harness::{build_images, deterministic_time, workspace_root};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// What a command printed, its line ends made `\n` (QEMU's console sends `\r\n`).
fn text(output: &Output) -> String {
    let text = format!("{}{}", String::from_utf8_lossy(&output.stdout), String::from_utf8_lossy(&output.stderr));
    text.replace("\r\n", "\n")
}

/// A command with the environment of a developer's shell: none of the
/// variables cargo sets for this test.
fn shell_command(program: &str) -> Command {
    let mut command = Command::new("timeout");
    command.args(["300", program]);
    for (key, _) in std::env::vars_os() {
        let Some(key) = key.to_str() else { continue };
        let keep = matches!(key, "CARGO_HOME" | "CARGO_TARGET_DIR");
        if (key.starts_with("CARGO_") && !keep) || key.starts_with("RUSTC") || key.contains("RUSTFLAGS") {
            command.env_remove(key);
        }
    }
    command
}

/// Every file below `dir` with its bytes.
fn snapshot(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let mut files = BTreeMap::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(folder) = pending.pop() {
        for entry in std::fs::read_dir(&folder).expect("read a folder of the SDK").flatten() {
            let path = entry.path();
            if path.is_dir() {
                pending.push(path);
            } else {
                files.insert(path.clone(), std::fs::read(&path).expect("read a file of the SDK"));
            }
        }
    }
    files
}

fn git_status() -> String {
    let output = Command::new("git").current_dir(workspace_root()).args(["status", "--porcelain"]).output();
    output.map(|o| String::from_utf8_lossy(&o.stdout).into_owned()).unwrap_or_default()
}

/// The compiler and flags gcc recorded in `object`'s debug information.
fn producer(object: &Path) -> String {
    let output = Command::new("arm-none-eabi-readelf").arg("--debug-dump=info").arg(object).output();
    let output = output.expect("running arm-none-eabi-readelf");
    let info = String::from_utf8_lossy(&output.stdout).into_owned();
    let line = info.lines().find(|line| line.contains("DW_AT_producer")).unwrap_or_default();
    line.split("): ").nth(1).unwrap_or_else(|| panic!("no DW_AT_producer in {}", object.display())).to_owned()
}

fn make(app: &Path, args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut command = shell_command("make");
    command.current_dir(app).args(args).envs(env.iter().copied());
    command.output().expect("running make")
}

#[test]
fn the_make_example_builds_against_an_exported_sdk_and_boots() {
    let checkout = workspace_root();
    let before = git_status();
    // The SDK export reuses the images' build of the kernel, servers and
    // runtime (the same nested cargo build, so it is fresh).
    let built = build_images().as_ref().unwrap_or_else(|message| panic!("{message}"));
    let build_dir = built.programs.join("ucvisor");
    let root = std::env::temp_dir().join(format!("ucvisor-make-flow-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&root);
    std::fs::create_dir_all(&root).expect("temporary folder");
    let icount = deterministic_time().join(" ");

    // 1. The guide's commands as they are written, `~` the temporary folder.
    let guide = std::fs::read_to_string(checkout.join("doc/porting.md")).expect("doc/porting.md");
    let block = guide.split("<!-- make-flow-commands").nth(1).expect("the make flow's command block");
    let block = block.split("```sh\n").nth(1).and_then(|b| b.split("```").next()).expect("a ```sh block");
    assert!(block.contains("cargo xtask sdk ~/ucvisor-sdk") && block.contains("make UCVISOR_SDK=~/ucvisor-sdk run"));
    let script = block.replace("path/to/ucvisor", checkout.to_str().expect("UTF-8 path"));
    let home = std::env::var("HOME").unwrap_or_default();
    let mut command = shell_command("bash");
    command.args(["-euo", "pipefail", "-c", &script]);
    command.env("HOME", &root);
    command.env("CARGO_HOME", std::env::var("CARGO_HOME").unwrap_or_else(|_| format!("{home}/.cargo")));
    command.env("RUSTUP_HOME", std::env::var("RUSTUP_HOME").unwrap_or_else(|_| format!("{home}/.rustup")));
    command.env("UCVISOR_SDK_BUILD_DIR", &build_dir).env("UCVISOR_QEMU_ARGS", &icount);
    let run = command.output().expect("running the make flow's commands");
    let output = text(&run);
    assert!(run.status.success(), "the make flow's commands failed:\n{script}\n{output}");
    let sdk = root.join("ucvisor-sdk");
    let app = root.join("counter");
    // make compiled µC/OS-II from the SDK folder, with the application's os_cfg.h.
    let kernel_compile = format!("-I . -I {0}/port/include -I {0}/ucos-ii-c", sdk.display());
    assert!(output.contains(&kernel_compile) && output.contains("ucos-ii-c/os_task.c -o build/counter/ucos/os_task.o"));
    for line in [
        "[counter] counter: built with make, µC/OS-II V29300\n",
        "[counter] counter: got 5 at OSTime ",
        "[counter] counter: task table full at 10 tasks (os_cfg.h: OS_MAX_TASKS 8 + 2 system tasks)\n",
        "[counter] counter: sum 15, kernel configuration MATCH\n",
        "[root] guest `counter` exited with code 0\n",
        "[root] all guests finished; shutting down with exit code 0\n",
    ] {
        assert!(output.contains(line), "no `{}` in:\n{output}", line.trim_end());
    }
    // The same compiler flags as the cargo flow's build of the `hello`
    // example, as gcc records them in each object (DW_AT_producer): the port's
    // C and a µC/OS-II file.
    let cargo_flow = harness::image_build("hello").join("build/hello");
    let object_in = |dir: &Path, suffix: &str| -> PathBuf {
        let found = std::fs::read_dir(dir)
            .ok()
            .and_then(|entries| entries.flatten().map(|e| e.path()).find(|p| p.to_string_lossy().ends_with(suffix)));
        found.unwrap_or_else(|| panic!("no *{suffix} in {}", dir.display()))
    };
    for (cargo_object, make_object) in [
        (object_in(&cargo_flow.join("obj"), "os_cpu_cfg.o"), app.join("build/counter/port/os_cpu_cfg.o")),
        (object_in(&cargo_flow.join("kernel"), "os_core.o"), app.join("build/counter/ucos/os_core.o")),
    ] {
        assert_eq!(producer(&make_object), producer(&cargo_object), "flags of {}", make_object.display());
    }
    let sdk_files = snapshot(&sdk);
    assert!(
        sdk_files.contains_key(&sdk.join("lib/kernel.o")) && sdk_files.contains_key(&sdk.join("bin/ucvisor-image"))
    );
    let run_env = [("UCVISOR_QEMU_ARGS", icount.as_str())];
    let sdk_arg = format!("UCVISOR_SDK={}", sdk.display());

    // 2. The kernel follows the application's os_cfg.h: an edit recompiles it.
    let config = app.join("os_cfg.h");
    let original = std::fs::read_to_string(&config).expect("os_cfg.h");
    let edited = original.replace("#define OS_MAX_TASKS              8u", "#define OS_MAX_TASKS              5u");
    assert_ne!(edited, original, "OS_MAX_TASKS 8u is not in the example's os_cfg.h");
    std::fs::write(&config, edited).expect("edit os_cfg.h");
    let run = make(&app, &[&sdk_arg, "run"], &run_env);
    let output = text(&run);
    assert!(run.status.success(), "make run after editing os_cfg.h failed:\n{output}");
    assert!(
        output.contains("-c ") && output.contains("ucos-ii-c/os_core.c -o build/counter/ucos/os_core.o"),
        "{output}"
    );
    assert!(output.contains("task table full at 7 tasks (os_cfg.h: OS_MAX_TASKS 5 + 2 system tasks)\n"), "{output}");
    assert!(output.contains("kernel configuration MATCH\n"), "{output}");
    std::fs::write(&config, original).expect("restore os_cfg.h");

    // 3. UCOS_II_SRC: the kernel from a checkout with the original's layout
    // (here the bundled sources arranged so: Source/, os_dbg_r.c).
    let checkout_dir = root.join("uC-OS2");
    std::fs::create_dir_all(checkout_dir.join("Source")).expect("Source/");
    for entry in std::fs::read_dir(sdk.join("ucos-ii-c")).expect("the SDK's µC/OS-II").flatten() {
        let name = entry.file_name().to_string_lossy().replace("os_dbg.c", "os_dbg_r.c");
        std::fs::copy(entry.path(), checkout_dir.join("Source").join(name)).expect("copy a kernel source");
    }
    let source = format!("UCOS_II_SRC={}", checkout_dir.display());
    let run = make(&app, &[&sdk_arg, &source, "UCVISOR_BUILD=build-original", "run"], &run_env);
    let output = text(&run);
    assert!(run.status.success(), "make run with UCOS_II_SRC failed:\n{output}");
    assert!(output.contains("uC-OS2/Source/os_dbg_r.c -o build-original/counter/ucos/os_dbg_r.o"), "{output}");
    assert!(output.contains("[counter] counter: sum 15, kernel configuration MATCH\n"), "{output}");

    // 4. A hard-float guest: its C, µC/OS-II included, for VFP registers,
    // beside the soft-float runtime (GNU ld's final link must accept them).
    let run = make(&app, &[&sdk_arg, "counter_FLOAT=hard", "UCVISOR_BUILD=build-hard", "run"], &run_env);
    let output = text(&run);
    assert!(run.status.success(), "make run of a hard-float guest failed:\n{output}");
    for object in ["build-hard/counter/app/main.o", "build-hard/counter/ucos/os_core.o"] {
        let compile = output.lines().find(|line| line.ends_with(object)).unwrap_or_default();
        assert!(compile.contains("-mfloat-abi=hard -mfpu=vfpv3-d16"), "{object} not hard-float:\n{output}");
    }
    assert!(output.contains("[counter] counter: sum 15, kernel configuration MATCH\n"), "{output}");

    // 5. A description error: the cargo flow's message, and make fails.
    let description = app.join("system.toml");
    let good = std::fs::read_to_string(&description).expect("system.toml");
    std::fs::write(&description, good.replace("priority = 50", "priority = 99")).expect("edit system.toml");
    let build = make(&app, &[&sdk_arg], &[]);
    let output = text(&build);
    assert!(!build.status.success(), "make accepted priority 99:\n{output}");
    let expected = match xtask::System::load(&description) {
        Err(error) => error.to_string(),
        Ok(_) => panic!("the cargo flow accepted priority 99"),
    };
    assert!(output.contains(&format!("ucvisor-image: {expected}")), "want `{expected}` in:\n{output}");
    std::fs::write(&description, good).expect("restore system.toml");

    // 6. A guest the runtime cannot run: the guest link's check names it.
    let main_c = app.join("main.c");
    let source = std::fs::read_to_string(&main_c).expect("main.c");
    std::fs::write(&main_c, source.replace("int main(void)", "int not_main(void)")).expect("edit main.c");
    let build = make(&app, &[&sdk_arg], &[]);
    let output = text(&build);
    assert!(!build.status.success(), "make linked a guest without main:\n{output}");
    assert!(
        output.contains("ucvisor-image: guest `counter`: no `main` function in the application's sources"),
        "{output}"
    );
    std::fs::write(&main_c, source).expect("restore main.c");

    // Nothing of the SDK folder or of the checkout changed.
    assert!(snapshot(&sdk) == sdk_files, "the exported SDK folder changed");
    assert_eq!(git_status(), before, "the checkout changed");
    let _ = std::fs::remove_dir_all(&root);
}
