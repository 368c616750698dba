// SPDX-License-Identifier: MIT OR Apache-2.0
//! QEMU boot tests of the foundation: the product image boots, takes timer
//! interrupts with the MMU on and exits 0; a hanging image is reported as a
//! failure by the harness (the panicking image: its `expect.toml`); the
//! kernel works when built at opt-level 0.

mod harness;

use harness::expect::Expectation;
use harness::{Boot, boot, image};
use std::time::Duration;

#[test]
fn product_image_boots_and_takes_timer_interrupts() {
    // What `cargo run --target armv7a-none-eabi` boots: the kernel and its boot
    // self-check, then the root server, the drivers and the `hello` guest, which
    // exits 0 after a few seconds.
    let outcome = boot(&image("ucvisor"), &Boot { qemu_args: harness::deterministic_time(), ..Boot::default() });
    outcome.assert_success().assert_contains("ucvisor microkernel").assert_contains("MMU on");
    let ticks = outcome.count("timer interrupt");
    assert!(ticks >= 3, "expected at least 3 timer interrupts, saw {ticks}:\n{}", outcome.output);
    outcome.assert_contains("boot self-check passed: 3 timer interrupts taken, MMU on");
    outcome.assert_contains("hello: done after").assert_contains("[root] guest `hello` exited with code 0");
}

#[test]
fn hanging_image_times_out_as_a_failure() {
    // The deadline is wall time while this file's other tests build and boot
    // beside it on the same cores: 3 s once passed with nothing printed yet
    // (a clean-clone CI run on 2 cores). The image prints its line within
    // milliseconds of starting, so 10 s only waits longer for a starved QEMU.
    let outcome = boot(&image("hang"), &Boot { timeout: Duration::from_secs(10), ..Boot::default() });
    assert!(outcome.timed_out, "the hang image must be killed at the deadline:\n{}", outcome.output);
    assert!(!outcome.passed());
    outcome.assert_contains("hanging on purpose");
}

/// The kernel at opt-level 0, where no optimisation removes a large stack
/// frame or a copy of the kernel object (the SDK builds it at "s", the test
/// images at 1): its 32 KiB stack must hold. Builds kernel test images with
/// every crate of the image (the kernel's) at opt-level 0, in a target folder
/// of their own, boots them and checks each against its `expect.toml`. (The
/// product image's kernel at opt-level 0: `tests/out_of_tree.rs`, with
/// `UCVISOR_KERNEL_OPT_LEVEL`.)
#[test]
fn the_kernel_works_at_opt_level_0() {
    let images = ["ipc_pingpong", "preemption", "interrupt_ipc", "faults", "hostile"];
    let target = harness::target_dir().join("opt-level-0");
    let mut command = std::process::Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()));
    command.current_dir(harness::workspace_root()).args(["build", "--target", harness::TARGET, "-p", "test-images"]);
    for name in images {
        command.args(["--bin", name]);
    }
    command.args(["--config", "profile.dev.opt-level=0", "--target-dir"]).arg(&target);
    let output = command.env_remove("RUSTFLAGS").env_remove("CARGO_ENCODED_RUSTFLAGS").output().expect("running cargo");
    assert!(output.status.success(), "building at opt-level 0 failed:\n{}", String::from_utf8_lossy(&output.stderr));
    for name in images {
        let file = harness::workspace_root().join("tests/images/src/bin").join(name).join("expect.toml");
        let expectation = Expectation::read(&file).unwrap_or_else(|error| panic!("{error}"));
        let outcome = boot(&target.join(harness::TARGET).join("debug").join(name), &expectation.boot_options());
        if let Err(problems) = expectation.check(&outcome) {
            panic!("{name} at opt-level 0: {problems}\n{}", outcome.output);
        }
    }
}
