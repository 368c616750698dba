// SPDX-License-Identifier: MIT OR Apache-2.0
//! `cargo xtask COMMAND`: the SDK's commands for its users (the alias is in the
//! SDK's `.cargo/config.toml`).
//!
//! - `new-app PATH`: create an application package at PATH, outside the SDK
//!   (see `doc/porting.md`).
//! - `bench`: build and boot the benchmark images under `-icount` and print
//!   the README's table (`xtask::bench`).
//! - `soak [--ticks N] [--calls N] [--seed S]`: the soak of the `soak`
//!   example, run and judged (`xtask::soak`).
//! - `debug TARGET`: boot an image paused under QEMU's gdbstub and attach
//!   gdb-multiarch with the symbols of the kernel and every user program
//!   (`xtask::debug`).
//! - `sdk DIR`: export the SDK for make and arm-none-eabi-gcc to DIR
//!   (`xtask::make_flow`). The same binary, copied there as
//!   `DIR/bin/ucvisor-image`, is that SDK's host tool.
#![cfg_attr(target_os = "none", no_std, no_main)]

#[cfg(target_os = "none")]
#[panic_handler]
fn panic(_: &core::panic::PanicInfo<'_>) -> ! {
    // The commands are host programs; this only lets the workspace check on ARM.
    loop {}
}

#[cfg(not(target_os = "none"))]
const USAGE: &str = "usage:
  cargo xtask new-app PATH              create an application package at PATH (see doc/porting.md)
  cargo xtask bench                     build and boot the benchmark images under QEMU -icount and
                                        print the README's table (instructions, exact; medians of
                                        1,000 runs each also in target/bench/bench.json)
  cargo xtask soak [--ticks N] [--calls N] [--seed S] [--spare-timer]
                                        two workload guests checking their exact tick at 10 kHz for
                                        N ticks beside a hostile guest making N seeded random system
                                        calls and server messages (default 10^6 and 10^6, seed 1);
                                        fails on a lost tick, a stall, a kernel panic or kernel
                                        memory that changed (see examples/soak/README.md);
                                        --spare-timer: the hostile guest never makes a thread that
                                        never receives v_timer's client
  cargo xtask debug TARGET [--port N] [--timeout SECONDS] [-- GDB ARGUMENTS]
                                        build the image TARGET names (an example, a system.toml or
                                        an application folder), boot it paused under QEMU's gdbstub
                                        and attach gdb-multiarch with the symbols of the kernel and
                                        of every user program (doc/porting.md, \"Debugging\")
  cargo xtask sdk DIR [--build-dir B]   export the SDK for make and arm-none-eabi-gcc to DIR:
                                        headers, µC/OS-II, the prebuilt kernel, servers and guest
                                        runtime, ucvisor.mk and the host tool bin/ucvisor-image
                                        (doc/porting.md, \"A plain make flow\"); the kernel, servers
                                        and runtime are built in B (default: $UCVISOR_SDK_BUILD_DIR,
                                        else target/ucvisor-sdk)";

#[cfg(not(target_os = "none"))]
fn main() -> std::process::ExitCode {
    let mut arguments: Vec<String> = std::env::args().collect();
    let invoked = arguments.remove(0);
    // The same binary is the exported SDK's host tool, `DIR/bin/ucvisor-image`.
    if std::path::Path::new(&invoked).file_name().is_some_and(|name| name == xtask::make_flow::HOST_TOOL) {
        return match xtask::make_flow::host_tool(&arguments) {
            Ok(()) => std::process::ExitCode::SUCCESS,
            Err(message) => {
                eprintln!("ucvisor-image: {message}");
                std::process::ExitCode::FAILURE
            }
        };
    }
    let sdk = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    match arguments.iter().map(String::as_str).collect::<Vec<_>>().as_slice() {
        ["new-app", path] => match xtask::new_app::create(std::path::Path::new(path), &sdk) {
            Ok(app) => {
                println!("created {}", app.display());
                println!("next: cd {} && cargo run --target armv7a-none-eabi", app.display());
                std::process::ExitCode::SUCCESS
            }
            Err(error) => {
                eprintln!("cargo xtask new-app: {error}");
                std::process::ExitCode::FAILURE
            }
        },
        ["bench"] => match xtask::bench::measure(&sdk).and_then(|figures| {
            let file = xtask::bench::write_json(&sdk, &figures)?;
            Ok((figures, file))
        }) {
            Ok((figures, file)) => {
                print!("{}", xtask::bench::table(&figures));
                println!("\n(medians written to {})", file.display());
                std::process::ExitCode::SUCCESS
            }
            Err(error) => {
                eprintln!("cargo xtask bench: {error}");
                std::process::ExitCode::FAILURE
            }
        },
        ["soak", rest @ ..] => soak(&sdk, rest),
        ["debug", rest @ ..] => {
            let session = xtask::debug::parse_arguments(rest).and_then(|(target, options)| {
                let image = xtask::debug::build(&target, &sdk)?;
                xtask::debug::run(&image, &options)
            });
            match session {
                Ok(status) => std::process::ExitCode::from(status.code().map_or(1, |code| code.clamp(0, 255) as u8)),
                Err(error) => {
                    eprintln!("cargo xtask debug: {error}");
                    std::process::ExitCode::FAILURE
                }
            }
        }
        ["sdk", dir, rest @ ..] => {
            let build_dir = match rest {
                [] => default_build_dir(&sdk),
                ["--build-dir", build_dir] => std::path::PathBuf::from(build_dir),
                _ => {
                    eprintln!("{USAGE}");
                    return std::process::ExitCode::from(2);
                }
            };
            let exported = std::env::current_exe()
                .map_err(|e| format!("finding this program: {e}"))
                .and_then(|exe| xtask::make_flow::export(std::path::Path::new(dir), &build_dir, &exe));
            match exported {
                Ok(()) => {
                    println!("exported the SDK to {dir}");
                    println!("next: make -C path/to/app UCVISOR_SDK={dir} run   (see doc/porting.md)");
                    std::process::ExitCode::SUCCESS
                }
                Err(error) => {
                    eprintln!("cargo xtask sdk: {error}");
                    std::process::ExitCode::FAILURE
                }
            }
        }
        _ => {
            eprintln!("{USAGE}");
            std::process::ExitCode::from(2)
        }
    }
}

/// `cargo xtask soak`: prepares the image, boots it echoing its output, and
/// prints the verdict with the run's figures.
#[cfg(not(target_os = "none"))]
fn soak(sdk: &std::path::Path, arguments: &[&str]) -> std::process::ExitCode {
    use xtask::soak;
    let parameters = match soak::parse_arguments(arguments) {
        Ok(parameters) => parameters,
        Err(error) => {
            eprintln!(
                "cargo xtask soak: {error}
{USAGE}"
            );
            return std::process::ExitCode::from(2);
        }
    };
    let image = match soak::prepare(sdk, parameters) {
        Ok(image) => image,
        Err(error) => {
            eprintln!("cargo xtask soak: {error}");
            return std::process::ExitCode::FAILURE;
        }
    };
    println!(
        "soak: {} ticks at 10 kHz, {} hostile calls, seed {:#x}{}: {}",
        parameters.ticks,
        parameters.calls,
        parameters.seed,
        if parameters.spare_timer { ", sparing v_timer" } else { "" },
        image.display()
    );
    let run = match soak::boot(&image, &mut |line| println!("{line}")) {
        Ok(run) => run,
        Err(error) => {
            eprintln!("cargo xtask soak: {error}");
            return std::process::ExitCode::FAILURE;
        }
    };
    let verdict = soak::verdict(&run.output, run.exit_code, parameters);
    println!(
        "soak: wall time {:.1} s, longest gap between two lines {:.1} s",
        run.wall.as_secs_f64(),
        run.longest_gap.as_secs_f64()
    );
    if run.stalled {
        println!("soak: FAIL: no output for {} s: stalled", soak::STALL_SECONDS);
        return std::process::ExitCode::FAILURE;
    }
    match verdict {
        Ok(figures) => {
            for line in figures.workloads.iter().chain(&figures.hostile).chain(&figures.kernel_pools) {
                println!("soak: {line}");
            }
            println!("soak: PASS");
            std::process::ExitCode::SUCCESS
        }
        Err(problems) => {
            for problem in problems.lines() {
                println!("soak: FAIL: {problem}");
            }
            std::process::ExitCode::FAILURE
        }
    }
}

/// Where `cargo xtask sdk` builds the kernel, servers and runtime by
/// default: `UCVISOR_SDK_BUILD_DIR`, else `ucvisor-sdk` in the workspace's
/// target folder. (The SDK's test points it at the images' own build of
/// them, which is then fresh.)
#[cfg(not(target_os = "none"))]
fn default_build_dir(sdk: &std::path::Path) -> std::path::PathBuf {
    if let Some(dir) = std::env::var_os("UCVISOR_SDK_BUILD_DIR").filter(|d| !d.is_empty()) {
        return std::path::PathBuf::from(dir);
    }
    let target =
        std::env::var_os("CARGO_TARGET_DIR").map(std::path::PathBuf::from).unwrap_or_else(|| sdk.join("target"));
    target.join("ucvisor-sdk")
}
