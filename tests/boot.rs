//! QEMU boot tests of the foundation: the product image boots, takes timer
//! interrupts with the MMU on and exits 0; a hanging image is reported as a
//! failure by the harness (the panicking image: its `expect.toml`).

mod harness;

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
    let outcome = boot(&image("hang"), &Boot { timeout: Duration::from_secs(3), ..Boot::default() });
    assert!(outcome.timed_out, "the hang image must be killed at the deadline:\n{}", outcome.output);
    assert!(!outcome.passed());
    outcome.assert_contains("hanging on purpose");
}
