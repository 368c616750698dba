//! QEMU boot tests of the foundation: the product image boots, takes timer
//! interrupts with the MMU on and exits 0; a panicking image and a hanging image
//! are reported as failures by the harness.

mod harness;

use harness::{Boot, boot, boot_image, image};
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
fn panicking_image_is_a_failure() {
    let outcome = boot_image("panic");
    assert!(!outcome.passed(), "a panicking image must fail:\n{}", outcome.output);
    assert_eq!(outcome.exit_code, Some(101), "panic exits with 101:\n{}", outcome.output);
    outcome.assert_contains("KERNEL PANIC: deliberate panic from the boot hook");
    outcome.assert_contains("tests/images/src/bin/panic.rs");
}

#[test]
fn a_kernel_stack_overflow_hits_the_guard_page_and_is_reported() {
    let outcome = boot_image("stack_overflow");
    assert_eq!(outcome.exit_code, Some(101), "a kernel panic:\n{}", outcome.output);
    outcome
        .assert_contains("KERNEL PANIC: kernel stack overflow: the kernel (SVC) stack ran into its guard page at 0x");
    assert_eq!(outcome.count("without a fault"), 0, "{}", outcome.output);
}

#[test]
fn hanging_image_times_out_as_a_failure() {
    let outcome = boot(&image("hang"), &Boot { timeout: Duration::from_secs(3), ..Boot::default() });
    assert!(outcome.timed_out, "the hang image must be killed at the deadline:\n{}", outcome.output);
    assert!(!outcome.passed());
    outcome.assert_contains("hanging on purpose");
}
