//! QEMU tests of the microkernel core: each image's root task is a user-level
//! test program (`tests/user-programs`) that prints one line per check and a
//! closing `N passed, N failed`; the image exits with the number of failures.

mod harness;

use harness::boot_image;

/// Boots `name`, requires exit 0, `expected` checks all passed, and each of `lines` printed.
fn run(name: &str, expected: usize, lines: &[&str]) -> harness::Outcome {
    // Deterministic guest time (instruction count, idle skipped): the timeout and
    // round-robin checks do not depend on how busy the host is.
    let outcome = harness::boot(
        &harness::image(name),
        &harness::Boot { qemu_args: harness::deterministic_time(), ..Default::default() },
    );
    outcome.assert_success();
    outcome.assert_contains(&format!("\n{expected} passed, 0 failed\n"));
    assert_eq!(outcome.count("[FAIL]"), 0, "{}", outcome.output);
    for line in lines {
        outcome.assert_contains(line);
    }
    outcome
}

#[test]
fn ipc_ping_pong_between_spaces() {
    let outcome = harness::boot(
        &harness::image("ipc_pingpong"),
        &harness::Boot { qemu_args: harness::deterministic_time(), ..harness::Boot::default() },
    );
    outcome.assert_success().assert_contains("\n3 passed, 0 failed\n");
    outcome
        .assert_contains("10000 round trips with 8 words: values and order correct")
        .assert_contains("40-word message");
    outcome.assert_contains("ns per round trip");
}

#[test]
fn priority_preemption_and_round_robin() {
    run("preemption", 4, &["ordered trace [1, 2, 3]", "round robin"]);
}

#[test]
fn ipc_timeouts_zero_finite_never() {
    run("timeouts", 6, &["zero receive timeout", "30 ms receive timeout expires", "never-timeout receive still waits"]);
}

#[test]
fn interrupt_delivered_as_ipc_and_acknowledged() {
    run("interrupt_ipc", 8, &["3 timer interrupts arrived as IPC"]);
}

#[test]
fn exchange_registers_redirects_a_running_thread() {
    run("exchange_registers", 10, &["it now runs the new function on the new stack", "PV_ERR_ABORTED"]);
}

#[test]
fn context_resume_restores_it_and_endianness_state() {
    run(
        "context_resume",
        18,
        &[
            "E set: the load is big-endian",
            "ITTTT EQ 1 left, IT 0x08, Z clear: the moves are skipped",
            "device memory frame",
        ],
    );
}

#[test]
fn every_thread_keeps_its_own_user_rw_thread_register() {
    run("thread_registers", 6, &["starts with 0, not the root's value", "after each of 200 round trips"]);
}

#[test]
fn fpu_registers_belong_to_each_thread() {
    run(
        "fpu",
        9,
        &["survived 300 round trips (0 lost)", "gets zeros, not its registers", "udf before ever using the FPU"],
    );
}

#[test]
fn non_root_thread_is_refused_privileged_calls() {
    run("privilege", 10, &["non-root thread create refused with PV_ERR_NO_PRIVILEGE"]);
}

#[test]
fn user_faults_are_reported_and_the_system_keeps_running() {
    let outcome = run(
        "faults",
        9,
        &[
            "read of kernel memory: exception IPC kind 1 address 0x40000000",
            "write to another space's memory",
            "read of a device not given: exception IPC kind 1 address 0x9000000",
            "undefined instruction: exception IPC kind 3",
        ],
    );
    assert_eq!(outcome.count("no exception handler, thread halted"), 1, "{}", outcome.output);
}

#[test]
fn hostile_program_cannot_bring_the_kernel_down() {
    run("hostile", 4, &["completed 100000 system calls", "watchdog kept running"]);
}

#[test]
fn c_side_unit_tests_through_the_sdk_headers() {
    let outcome = boot_image("c_tests");
    let summary = outcome.output.lines().rev().find(|l| l.ends_with(" failed")).unwrap_or_default().to_string();
    assert!(summary.ends_with(" passed, 0 failed"), "{summary}\n{}", outcome.output);
    let passed: u32 = summary.split(' ').next().and_then(|n| n.parse().ok()).unwrap_or(0);
    assert!(passed >= 30, "only {passed} C test cases ran:\n{}", outcome.output);
    outcome.assert_success();
}
