//! End-to-end QEMU tests of µC/OS-II as a paravirtualized guest: every example
//! boots (root server, driver domain, guest) and prints what it should; the tick
//! accuracy, preemption-from-interrupt and conformance checks run inside the
//! guest. Guest timing is made deterministic with `-icount` (see the harness).
//! The C side of guests: libgcc's semantics for C arithmetic (`cdiv`), the
//! hard-float build (`hardfloat`, checked in its ELF, not run).

mod harness;

use harness::{Boot, Outcome, boot, deterministic_time, example};
use std::collections::BTreeMap;
use std::path::Path;
use std::process::Command;
use std::time::Duration;

fn run(name: &str, stop_after: Option<&str>) -> Outcome {
    let options = Boot {
        timeout: Duration::from_secs(90),
        qemu_args: deterministic_time(),
        stop_after: stop_after.map(Into::into),
        ..Boot::default()
    };
    let outcome = boot(&example(name), &options);
    outcome.assert_success();
    outcome.assert_contains(&format!("[root] guest `{name}` started"));
    outcome.assert_tagged(name, &format!("{name}: "));
    outcome
}

/// Lines the guests wrote (their console tags taken off) that start with
/// `prefix`, in order.
fn lines<'a>(outcome: &'a Outcome, prefix: &str) -> Vec<&'a str> {
    outcome.untagged_lines().into_iter().filter(|line| line.starts_with(prefix)).collect()
}

#[test]
fn hello_runs_tasks_at_their_rates() {
    let outcome = run("hello", Some("hello: task C tick 3 "));
    outcome.assert_contains("hello: starting µC/OS-II V29300");
    for task in ["A", "B", "C"] {
        let count = outcome.count(&format!("hello: task {task} tick"));
        assert!(count >= 3, "task {task} printed {count} lines:\n{}", outcome.output);
    }
    // A runs every 100 ms, C every 500 ms: A has ticked about five times as often.
    let a = outcome.count("hello: task A tick");
    assert!(a >= 12, "task A ticked {a} times by C's third tick:\n{}", outcome.output);
}

#[test]
fn plain_cargo_run_boots_hello() {
    let outcome = boot(
        &harness::image("ucvisor"),
        &Boot { qemu_args: deterministic_time(), stop_after: Some("hello: task A tick 3 ".into()), ..Boot::default() },
    );
    outcome.assert_success().assert_contains("[root] guest `hello` started");
}

#[test]
fn pingpong_exchanges_through_semaphores_and_mailboxes() {
    let outcome = run("pingpong", Some("pingpong: 10 rounds done"));
    let pings = lines(&outcome, "ping: ");
    let pongs = lines(&outcome, "pong: got ");
    assert_eq!(pings[..10], (1..=10).map(|n| format!("ping: {n}")).collect::<Vec<_>>(), "{}", outcome.output);
    assert_eq!(pongs[..10], (1..=10).map(|n| format!("pong: got {n}")).collect::<Vec<_>>(), "{}", outcome.output);
}

#[test]
fn queue_delivers_in_order() {
    let outcome = run("queue", Some("queue: OSQQuery at the end"));
    let consumed = lines(&outcome, "queue: consumed ");
    assert_eq!(consumed, (1..=20).map(|n| format!("queue: consumed {n}")).collect::<Vec<_>>());
    outcome.assert_contains("queue: 20 messages in order");
    outcome.assert_contains("queue: OSQQuery with the queue full: 8 of 8 entries used, next message 1");
}

#[test]
fn timers_fire_one_shot_and_periodic_callbacks() {
    let outcome = run("timers", Some("timers: done"));
    let events: Vec<&str> = lines(&outcome, "timers: ").into_iter().filter(|l| !l.contains("starting")).collect();
    let expected = [
        "timers: periodic fired 1",
        "timers: periodic fired 2",
        "timers: one-shot fired",
        "timers: periodic fired 3",
        "timers: periodic fired 4",
        "timers: periodic fired 5",
        "timers: done",
    ];
    let fired: Vec<&str> = events.iter().copied().filter(|l| expected.contains(l)).collect();
    assert_eq!(fired, expected, "{}", outcome.output);
}

#[test]
fn echo_reads_the_serial_console() {
    let options = Boot {
        timeout: Duration::from_secs(60),
        qemu_args: deterministic_time(),
        input: b"hello ucvisor\rsecond line\rquit\r".to_vec(),
        input_after: Some("echo: ready".into()),
        ..Boot::default()
    };
    let outcome = boot(&example("echo"), &options);
    outcome.assert_success();
    outcome.assert_contains("echo: hello ucvisor").assert_contains("echo: second line").assert_contains("echo: bye");
    outcome.assert_contains("[root] guest `echo` exited with code 0");
}

/// The `ticks` guest counted 10,000 ticks and every tick v_timer generated for
/// it reached µC/OS-II: none lost, none doubled.
fn assert_exact_ticks(outcome: &Outcome) {
    outcome.assert_contains("ticks: MATCH");
    let line = lines(outcome, "ticks: OSTimeGet=").first().copied().unwrap_or_else(|| panic!("{}", outcome.output));
    let numbers: Vec<u32> = line
        .split(|c: char| !c.is_ascii_digit())
        .filter(|s| !s.is_empty())
        .map(|s| s.parse().expect("number"))
        .collect();
    assert!(numbers[0] >= 10_000 && numbers[0] == numbers[1], "{line}");
}

#[test]
fn ten_thousand_ticks_none_lost_none_doubled() {
    let outcome = run("ticks", None);
    assert_exact_ticks(&outcome);
}

#[test]
fn interrupt_readied_task_runs_before_the_interrupted_one_resumes() {
    let outcome = run("preempt", None);
    outcome.assert_contains("preempt: PASS");
    outcome.assert_contains("each followed by the high task before the low task resumed");
}

#[test]
fn conformance_suite_passes_inside_the_guest() {
    let outcome = run("conformance", None);
    let summary = outcome.output.lines().rev().find(|l| l.ends_with(" failed")).unwrap_or_default();
    assert!(
        summary.ends_with(" passed, 0 failed") && !summary.starts_with("0 passed"),
        "{summary}\n{}",
        outcome.output
    );
    outcome.assert_contains("[root] guest `conformance` exited with code 0");
}

#[test]
fn c_handler_attached_to_a_virtual_interrupt() {
    let outcome = run("virq", None);
    outcome.assert_contains("virq: 10 raises, 10 handler runs, 10 waiter wake-ups, 10 in order");
    outcome.assert_contains("virq: PASS");
}

#[test]
fn a_faulting_guest_and_a_corrupt_image_do_not_disturb_a_healthy_guest() {
    let options = Boot { timeout: Duration::from_secs(90), qemu_args: deterministic_time(), ..Boot::default() };
    let outcome = boot(&example("isolation"), &options);
    // The image's `system` module, from examples/isolation/system.toml.
    outcome.assert_contains("[root] system `isolation`: 3 guests, from the `system` module");
    outcome.assert_contains("[root] guest `corrupt` not started: not a loadable ARM ELF image");
    outcome.assert_contains("[root] guest `crash` faulted: data abort at 0x0, pc 0x");
    outcome.assert_contains("[root] guest `crash` stopped (on_fault stop)");
    // The healthy guest keeps its exact tick and finishes.
    outcome.assert_contains("ticks: MATCH").assert_contains("[root] guest `ticks` exited with code 0");
    // The run as a whole reports the failure.
    assert_eq!(outcome.exit_code, Some(3), "{}", outcome.output);
    outcome.assert_contains("shutting down with exit code 3");
}

/// Boots a multi-guest example image (it has its own `system` module) under
/// `-icount`; the run must end by itself.
fn boot_system(name: &str) -> Outcome {
    let options = Boot { timeout: Duration::from_secs(120), qemu_args: deterministic_time(), ..Boot::default() };
    let outcome = boot(&example(name), &options);
    assert!(!outcome.timed_out, "{name} did not finish:\n{}", outcome.output);
    outcome
}

/// Fails unless every line that holds `prefix` (text only guest `name`
/// writes) is one whole line of that guest: tagged, nothing before the tag.
fn assert_lines_whole(outcome: &Outcome, name: &str, prefix: &str) {
    let tagged = format!("[{name}] {prefix}");
    for line in outcome.output.lines().filter(|line| line.contains(prefix)) {
        assert!(line.starts_with(&tagged), "a line of `{name}` mixed with other output: {line:?}\n{}", outcome.output);
    }
}

#[test]
fn two_guests_write_tagged_lines_that_never_mix() {
    let outcome = boot_system("two_guests");
    outcome.assert_success();
    outcome.assert_contains("[root] system `two_guests`: 2 guests, from the `system` module");
    // The boot log: domains, threads and priorities, memory, interrupts, devices.
    outcome.assert_contains("[root]   thread 0x1002 v_timer at priority 200, interrupt 27");
    outcome.assert_contains("[root]   device: UART 0x09000000 mapped at 0x10000000 (4 KiB, device memory)");
    outcome.assert_contains("[root] domain `hello`: space 3, priority 40, RAM 0x");
    outcome.assert_contains("[root] domain `smallstack`: space 4, priority 45, RAM 0x");
    outcome.assert_contains("(6144 KiB), on_fault stop");
    assert_eq!(outcome.count("(Interrupt_loop) at priority 41"), 1, "{}", outcome.output);
    assert_eq!(outcome.count("(Interrupt_loop) at priority 46"), 1, "{}", outcome.output);
    assert_eq!(outcome.count("[root] guest `hello`: thread 0x"), 1, "{}", outcome.output);
    outcome.assert_contains("at priority 40\n").assert_contains("at priority 45\n");
    // Both guests' output, every line tagged and whole.
    outcome.assert_tagged("hello", "hello: ").assert_tagged("smallstack", "smallstack: ");
    assert_lines_whole(&outcome, "hello", "hello: ");
    assert_lines_whole(&outcome, "smallstack", "smallstack: ");
    outcome.assert_contains("[hello] hello: task A tick 1 at OSTime 100\n");
    let ticks_of_a = lines(&outcome, "hello: task A tick ");
    for (index, line) in ticks_of_a.iter().enumerate() {
        assert!(line.starts_with(&format!("hello: task A tick {} at OSTime ", index + 1)), "{line}");
    }
    assert!(ticks_of_a.len() >= 40, "{}", outcome.output);
    outcome.assert_contains("[smallstack] smallstack: task 1 line 5: text -5  5000 left  |bef4");
    outcome.assert_contains("[root] guest `hello` exited with code 0");
    outcome.assert_contains("[root] guest `smallstack` exited with code 0");
    outcome.assert_contains("[root] all guests finished; shutting down with exit code 0");
}

/// The fault report of `crash`: guest, kind, address, pc and instruction set,
/// thread, and the µC/OS-II task that ran (priority 10, `crasher`).
const CRASH_REPORT: &str = "[root] guest `crash` faulted: data abort at 0x0, pc 0x";
const CRASH_TASK: &str = " (ARM), thread 0x";

fn assert_crash_reports(outcome: &Outcome, count: usize) {
    let reports: Vec<&str> = outcome.output.lines().filter(|l| l.starts_with(CRASH_REPORT)).collect();
    assert_eq!(reports.len(), count, "{}", outcome.output);
    for report in reports {
        assert!(report.contains(CRASH_TASK) && report.ends_with(", task 10 `crasher`"), "{report}");
    }
    assert_eq!(
        outcome.count("[crash] crash: writing through a NULL pointer at OSTime 50"),
        count,
        "{}",
        outcome.output
    );
}

#[test]
fn a_faulting_guest_restarts_until_its_limit_beside_a_guest_with_an_exact_tick() {
    let outcome = boot_system("fault_restart");
    outcome.assert_contains("[root] domain `crash`: space 4, priority 60, RAM 0x");
    outcome.assert_contains("(6144 KiB), on_fault restart");
    // Three faults: two restarts (its restart_limit), then stopped.
    assert_crash_reports(&outcome, 3);
    assert_eq!(outcome.count("[root] guest `crash`: on_fault restart: clearing and reloading its RAM"), 2);
    let restarts: Vec<&str> =
        outcome.output.lines().filter(|l| l.starts_with("[root] guest `crash` restarted (restart ")).collect();
    assert_eq!(restarts.len(), 2, "{}", outcome.output);
    for (index, line) in restarts.iter().enumerate() {
        let expected =
            format!("[root] guest `crash` restarted (restart {}): 6144 KiB cleared and reloaded in ", index + 1);
        assert!(line.starts_with(&expected), "{line}");
        // Reloading runs above the guests in steps: the longest delays the
        // others' ticks by well under a tenth of a 1 kHz tick.
        let longest: u64 =
            line.rsplit("the longest ").next().and_then(|t| t.strip_suffix(" us")).unwrap().parse().unwrap();
        assert!(longest < 100, "{line}");
    }
    outcome.assert_contains("[root] guest `crash` stopped: it restarted 2 times within 60 s, its restart_limit");
    // The restarted guest ran in a fresh domain with fresh threads, and took
    // its memory again from its own region.
    assert_eq!(outcome.count("[root] guest `crash`: thread 0x"), 3, "{}", outcome.output);
    assert_eq!(outcome.count("[root] guest `crash`: memory section 0x21100000..0x21300000"), 3, "{}", outcome.output);
    // The other guest kept its exact tick throughout and finished.
    assert_exact_ticks(&outcome);
    outcome.assert_contains("[root] guest `ticks` exited with code 0");
    outcome.assert_contains("[root] all guests finished; shutting down with exit code 3");
    assert_eq!(outcome.exit_code, Some(3), "{}", outcome.output);
}

#[test]
fn a_faulting_guest_with_on_fault_stop_stays_stopped() {
    let outcome = boot_system("fault_stop");
    assert_crash_reports(&outcome, 1);
    outcome.assert_contains("[root] guest `crash` stopped (on_fault stop)");
    assert_eq!(outcome.count("restarted"), 0, "{}", outcome.output);
    assert_exact_ticks(&outcome);
    outcome.assert_contains("[root] guest `ticks` exited with code 0");
    // The last guest that failed was `crash` (a fault: exit code 3).
    outcome.assert_contains("[root] all guests finished; shutting down with exit code 3");
    assert_eq!(outcome.exit_code, Some(3), "{}", outcome.output);
}

#[test]
fn a_faulting_guest_with_on_fault_shutdown_ends_the_system() {
    let outcome = boot_system("fault_shutdown");
    assert_crash_reports(&outcome, 1);
    outcome.assert_contains("[root] guest `crash` has on_fault shutdown: the system ends");
    outcome.assert_contains("[root] shutting down with exit code 3");
    outcome.assert_contains("[ticks] ticks: waiting for OSTimeGet() to reach 10000");
    assert_eq!(outcome.count("ticks: MATCH"), 0, "{}", outcome.output);
    assert_eq!(outcome.exit_code, Some(3), "{}", outcome.output);
}

#[test]
fn a_guest_gets_no_thread_above_its_ceiling_no_memory_beyond_its_own_and_no_console_input() {
    let outcome = boot_system("limits");
    for (check, code) in [
        ("thread one above the ceiling", 5),
        ("thread at 0xFFFFFFFF", 5),
        ("thread at 255", 5),
        ("its result", 3),
        ("thread at the ceiling", 0),
        ("a fifth thread", 9),
        ("2 MiB beyond its memory", 9),
        ("its last MiB", 0),
        ("one byte more", 9),
        ("console input", 5),
    ] {
        outcome.assert_contains(&format!("[limits] limits: PASS: {check}: {code}\n"));
    }
    outcome.assert_contains("[limits] limits: priority 30, ceiling 31");
    outcome
        .assert_contains("[root] guest `limits`: thread at priority 0xffffffff refused (error 5): its ceiling is 31");
    outcome.assert_contains(
        "[root] guest `limits`: memory section of 2097152 bytes refused (error 9): 1024 KiB of its 6144",
    );
    assert_all_passed(&outcome, "limits");
    assert_eq!(outcome.exit_code, Some(0), "{}", outcome.output);
}

#[test]
fn a_bad_system_description_stops_the_boot_with_one_clear_line() {
    let outcome = boot_system("bad_system");
    outcome.assert_contains(
        "[root] bad `system` module: guest 1 `ghost`: module: the boot image has no module of that name",
    );
    assert_eq!(outcome.count("started"), 0, "{}", outcome.output);
    assert_eq!(outcome.exit_code, Some(2), "{}", outcome.output);
}

#[test]
fn a_guest_for_which_ram_runs_out_is_not_started() {
    let outcome = boot_system("no_ram");
    outcome.assert_contains("[root] guest `big` not started: not enough RAM left for its memory_kib: ");
    outcome.assert_contains("[root] guest `hello` exited with code 0");
    outcome.assert_contains("[root] all guests finished; shutting down with exit code 3");
    assert_eq!(outcome.exit_code, Some(3), "{}", outcome.output);
}

#[test]
fn vendor_static_library_links_into_a_guest() {
    let outcome = run("vendor", None);
    outcome.assert_contains("vendor: crc32(\"123456789\") = 0xCBF43926 from libvendor_crc.a");
    outcome.assert_contains("vendor: PASS");
}

/// The `N passed, N failed` summary of a self-checking guest must report no failure.
fn assert_all_passed(outcome: &Outcome, name: &str) {
    let summary = lines(outcome, &format!("{name}: ")).into_iter().rev().find(|l| l.ends_with(" failed"));
    let summary = summary.unwrap_or_else(|| panic!("no summary line:\n{}", outcome.output));
    assert!(summary.ends_with(" passed, 0 failed") && !summary.contains(": 0 passed"), "{}", outcome.output);
    outcome.assert_contains(&format!("[root] guest `{name}` exited with code 0"));
}

#[test]
fn no_cpu_state_is_lost_when_virtual_interrupts_land_anywhere() {
    // Thumb-2 IT blocks, the E bit, GE, Q and TPIDRURW, each under about a
    // thousand interrupts landing at exact instruction boundaries.
    let outcome = run("cpustate", None);
    for check in ["thumb-it", "endian", "ge", "q", "tpidrurw"] {
        outcome.assert_contains(&format!("cpustate: {check}: PASS"));
    }
    assert_all_passed(&outcome, "cpustate");
}

#[test]
fn newlib_is_reentrant_across_tasks() {
    let outcome = run("newlib", None);
    outcome.assert_contains("newlib: PASS: errno after a task switch = 34");
    assert_all_passed(&outcome, "newlib");
    // Three tasks printed concurrently: every line arrived whole.
    let progress = lines(&outcome, "newlib: worker ");
    assert_eq!(progress.len(), 18, "{}", outcome.output);
    for line in progress {
        assert!(line.ends_with(": a line that must arrive whole, not mixed with another"), "{line}");
    }
}

#[test]
fn statistics_measure_cpu_usage_with_application_defined_hooks() {
    // OS_CPU_HOOKS_EN 0 (the application defines the OS*Hook functions),
    // OS_SEM_EN 0, OS_TMR_EN 0, 256-entry stacks.
    let outcome = run("stats", None);
    for check in ["statistics hook calls in 1 s", "OSCPUUsage idle", "OSCPUUsage with a task busy 30 %"] {
        outcome.assert_contains(&format!("stats: {check}: PASS"));
    }
    assert_all_passed(&outcome, "stats");
}

#[test]
fn printf_works_on_256_entry_stacks_and_in_timer_callbacks() {
    let outcome = run("smallstack", Some("smallstack: done"));
    for task in 0..2 {
        for line in 1..=5 {
            let expected = format!(
                "smallstack: task {task} line {line}: text -{line} {:>5} left  |{:x}",
                line * 1000,
                0xBEEF + line
            );
            outcome.assert_contains(&expected);
        }
    }
    outcome.assert_contains("smallstack: timer periodic call 3 at OSTime");
    outcome.assert_contains("[root] guest `smallstack` exited with code 0");
}

#[test]
fn a_stack_overflow_is_reported_with_the_task_and_stops_the_guest() {
    let options = Boot { timeout: Duration::from_secs(60), qemu_args: deterministic_time(), ..Boot::default() };
    let outcome = boot(&example("overflow"), &options);
    outcome.assert_contains("[root] guest `overflow`: task 11 `digger` overflowed its stack");
    outcome.assert_contains("[root] guest `overflow` stopped (on_fault stop)");
    // The quiet task, whose stack lies below, never ran on corrupted state.
    assert!(!outcome.output.contains("overflow: FAIL"), "{}", outcome.output);
    assert_eq!(outcome.exit_code, Some(3), "{}", outcome.output);
}

/// The numbers of the `tickrate:` result line: rate, counter frequency, ticks
/// µC/OS-II counted, ticks the counter says passed, and their difference.
fn tick_rate_result(outcome: &Outcome) -> (u64, u64, u64, u64, i64) {
    let line = lines(outcome, "tickrate: ").into_iter().find(|l| l.contains(" Hz, counter ")).unwrap_or_else(|| {
        panic!("no tickrate result line:\n{}", outcome.output);
    });
    let numbers: Vec<i64> =
        line.split(|c: char| !c.is_ascii_digit() && c != '-').filter_map(|s| s.parse().ok()).collect();
    let [rate, frequency, elapsed, derived, difference, ..] = numbers[..] else { panic!("{line}") };
    (rate as u64, frequency as u64, elapsed as u64, derived as u64, difference)
}

/// Boots `tickrate_<rate>` and checks that µC/OS-II's clock kept to the counter.
fn tick_rate_is_exact(rate: u64, ticks: u64) {
    let name = format!("tickrate_{rate}");
    let options = Boot { timeout: Duration::from_secs(60), qemu_args: deterministic_time(), ..Boot::default() };
    let outcome = boot(&example(&name), &options);
    outcome.assert_contains(&format!("[root] guest `{name}` started"));
    let (reported_rate, frequency, elapsed, derived, difference) = tick_rate_result(&outcome);
    assert_eq!((reported_rate, frequency), (rate, 62_500_000), "{}", outcome.output);
    assert!(elapsed >= ticks, "{}", outcome.output);
    assert!(elapsed.abs_diff(derived) <= 1 && difference.abs() <= 1, "{}", outcome.output);
    outcome.assert_contains("tickrate: the tick took ").assert_contains("tickrate: PASS").assert_success();
    outcome.assert_contains(&format!("[root] guest `{name}` exited with code 0"));
}

#[test]
fn tick_rate_is_exact_at_100_hz() {
    tick_rate_is_exact(100, 1_000);
}

/// 1024 Hz is not a whole number of microseconds: the old microsecond period ran
/// 576 ppm fast, 9 ticks over these 16,384.
#[test]
fn tick_rate_is_exact_at_1024_hz() {
    tick_rate_is_exact(1024, 16_384);
}

/// The highest rate served; the old protocol refused it and left the guest tickless.
#[test]
fn tick_rate_is_exact_at_32768_hz() {
    assert_eq!(paravirt_api::PV_TIMER_RATE_MAX, 32_768, "tickrate_32768 is meant to run at the highest rate");
    tick_rate_is_exact(32_768, 32_768);
}

/// A rate above the highest served never gives a guest without a tick: the
/// runtime names the rate and the limit and ends the guest before `main()`.
#[test]
fn a_tick_rate_above_the_limit_ends_the_guest_before_it_starts() {
    let options = Boot { timeout: Duration::from_secs(60), qemu_args: deterministic_time(), ..Boot::default() };
    let outcome = boot(&example("tickrate_refused"), &options);
    let limit = paravirt_api::PV_TIMER_RATE_MAX;
    outcome.assert_contains(&format!("[v_timer] refused {} ticks per second: the highest rate is {limit}", limit + 1));
    outcome.assert_contains(&format!(
        "[guest] v_timer refused OS_TICKS_PER_SEC {} (error 3): the highest rate served is {limit} ticks per second; \
         the guest does not start",
        limit + 1
    ));
    outcome.assert_contains("[root] guest `tickrate_refused` exited with code 78");
    assert_eq!(outcome.exit_code, Some(78), "{}", outcome.output);
    assert_eq!(outcome.count("tickrate: "), 0, "main() must not run:\n{}", outcome.output);
}

#[test]
fn c_division_by_zero_calls_the_applications_handlers_and_returns() {
    // The handlers (main.c) return their argument: libgcc's saturated quotient.
    let outcome = run("cdiv", None);
    assert_all_passed(&outcome, "cdiv");
    outcome.assert_contains("cdiv: int 7/0=2147483647 -7/0=-2147483648 0/0=0 7%0=");
    outcome.assert_contains("unsigned 7/0=4294967295 0/0=0 7%0=");
    outcome.assert_contains(", __aeabi_idiv0 calls 7\n").assert_contains(", __aeabi_ldiv0 calls 7\n");
    outcome.assert_contains("cdiv: long long big/0=0x7fffffffffffffff -big/0=0x8000000000000000 0/0=0 big%0=");
}

#[test]
fn c_division_by_zero_with_libgcc_default_handlers() {
    // libgcc's weak defaults, reached through --wrap: they return at once, so
    // the quotient is libgcc's saturated value and the remainder the divisor.
    let outcome = run("cdiv_default", None);
    assert_all_passed(&outcome, "cdiv_default");
    outcome.assert_contains(
        "cdiv_default: int 7/0=2147483647 -7/0=-2147483648 0/0=0 7%0=0, unsigned 7/0=4294967295 0/0=0 7%0=0, \
         __aeabi_idiv0 calls 7\n",
    );
    outcome.assert_contains(
        "cdiv_default: long long big/0=0x7fffffffffffffff -big/0=0x8000000000000000 0/0=0 big%0=0, unsigned \
         big/0=0xffffffffffffffff 0/0=0 big%0=0, __aeabi_ldiv0 calls 7\n",
    );
}

/// `#define NAME VALUE` integer constants of a C header (hex or decimal, with
/// `u`/`l` suffixes, parenthesised negatives), as their 64-bit two's complement.
fn c_constants(header: &str) -> BTreeMap<String, u64> {
    let mut constants = BTreeMap::new();
    for line in header.lines() {
        let mut words = line.split_whitespace();
        let (Some("#define"), Some(name), Some(value)) = (words.next(), words.next(), words.next()) else { continue };
        let value = value.trim_start_matches('(').trim_end_matches(')').trim_end_matches(['u', 'U', 'l', 'L']);
        let (negative, digits) = value.strip_prefix('-').map_or((false, value), |rest| (true, rest));
        let magnitude = match digits.strip_prefix("0x") {
            Some(hex) => u64::from_str_radix(hex, 16),
            None => digits.parse(),
        };
        let Ok(magnitude) = magnitude else { continue };
        constants.insert(name.to_owned(), if negative { magnitude.wrapping_neg() } else { magnitude });
    }
    constants
}

#[test]
fn cdiv_expected_values_match_the_host() {
    use std::hint::black_box as b;
    let header = std::fs::read_to_string(harness::workspace_root().join("examples/cdiv/expected.h")).unwrap();
    let constants = c_constants(&header);
    let x: u64 = 0x0123_4567_89AB_CDEF;
    let host: BTreeMap<&str, u64> = BTreeMap::from([
        ("CDIV_F32_ADD", (b(1.1f32) + b(2.2f32)).to_bits().into()),
        ("CDIV_F32_MUL", (b(1.1f32) * b(2.2f32)).to_bits().into()),
        ("CDIV_F32_DIV", (b(1.0f32) / b(3.0f32)).to_bits().into()),
        ("CDIV_F32_SQRT", b(2.0f32).sqrt().to_bits().into()),
        ("CDIV_F64_ADD", (b(0.1f64) + b(0.2f64)).to_bits()),
        ("CDIV_F64_MUL", (b(1.1f64) * b(2.2f64)).to_bits()),
        ("CDIV_F64_DIV", (b(1.0f64) / b(3.0f64)).to_bits()),
        ("CDIV_F64_SQRT", b(2.0f64).sqrt().to_bits()),
        ("CDIV_F32_FROM_I32", (b(16_777_217i32) as f32).to_bits().into()),
        ("CDIV_F64_FROM_U64", (b(u64::MAX) as f64).to_bits()),
        ("CDIV_F64_FROM_I64", (b(-9_007_199_254_740_993i64) as f64).to_bits()),
        ("CDIV_F64_FROM_F32", f64::from(b(0.1f32)).to_bits()),
        ("CDIV_F32_FROM_F64", (b(0.1f64) as f32).to_bits().into()),
        ("CDIV_I32_FROM_F32", i64::from(b(-2.75f32) as i32) as u64),
        ("CDIV_U32_FROM_F64", (b(3.99f64) as u32).into()),
        ("CDIV_I64_FROM_F64", (b(-1e18f64) as i64) as u64),
        ("CDIV_U64_FROM_F32", b(1e19f32) as u64),
        ("CDIV_U32_DIV", (b(u32::MAX) / 3).into()),
        ("CDIV_U32_MOD", (b(100u32) % 7).into()),
        ("CDIV_U64_DIV", b(x) / 1000),
        ("CDIV_U64_MOD", b(x) % 1000),
        ("CDIV_I64_DIV", (-b(x as i64) / 7) as u64),
        ("CDIV_I64_MOD", (-b(x as i64) % 7) as u64),
    ]);
    for (name, value) in &host {
        assert_eq!(constants.get(*name), Some(value), "{name} in examples/cdiv/expected.h");
    }
    let unchecked: Vec<&String> = constants.keys().filter(|name| !host.contains_key(name.as_str())).collect();
    assert!(unchecked.is_empty(), "constants of expected.h the host does not check: {unchecked:?}");
}

/// Runs an ARM binutils program (`arm-none-eabi-NAME`) and returns its output.
fn binutils(name: &str, args: &[&str], file: &Path) -> String {
    let program = format!("arm-none-eabi-{name}");
    let output = Command::new(&program).args(args).arg(file).output().unwrap_or_else(|e| panic!("{program}: {e}"));
    assert!(
        output.status.success(),
        "{program} {args:?} {}: {}",
        file.display(),
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// The instruction mnemonics of each function of an `objdump -d` listing.
fn mnemonics_by_function(disassembly: &str) -> BTreeMap<String, Vec<String>> {
    let mut functions: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut current = None;
    for line in disassembly.lines() {
        if let Some(name) = line.split_once(" <").and_then(|(_, rest)| rest.strip_suffix(">:")) {
            current = Some(name.to_owned());
            functions.entry(name.to_owned()).or_default();
        } else if let (Some(name), Some(mnemonic)) = (&current, line.split('\t').nth(2)) {
            functions.get_mut(name).expect("entered above").push(mnemonic.trim().to_owned());
        }
    }
    functions
}

#[test]
fn hard_float_guest_passes_vfp_arguments_in_c_only() {
    let build = harness::image_build("hardfloat");
    let elf = build.join("hardfloat.elf");
    let functions = mnemonics_by_function(&binutils("objdump", &["-d"], &elf));
    let uses_vfp = |name: &str| functions[name].iter().any(|m| m.starts_with('v'));
    // C: VFP arithmetic, no soft-float calls; `x` arrives in d0.
    let step = functions["biquad_step"].join(" ");
    assert!(step.contains("vmul.f64") && step.contains("vmla.f64"), "biquad_step: {step}");
    assert!(!step.contains("__aeabi_d"), "biquad_step calls soft-float helpers: {step}");
    assert!(functions["dot3"].iter().any(|m| m == "vmul.f32"), "dot3 (dsp/dot3.s): {:?}", functions["dot3"]);
    // The Rust runtime stays soft-float.
    for rust in ["_Start", "OSTaskStkInit", "ucvisor_virq_dispatch", "ucvisor_console_write"] {
        assert!(!uses_vfp(rust), "{rust} (Rust runtime) uses VFP instructions: {:?}", functions[rust]);
    }
    // vfpv3-d16: nothing touches d16-d31 (the kernel saves d0-d15).
    let listing = binutils("objdump", &["-d"], &elf);
    let is_high_d = |word: &str| word.strip_prefix('d').and_then(|n| n.parse::<u32>().ok()).is_some_and(|n| n >= 16);
    fn operands(line: &str) -> Option<&str> {
        line.split('\t').nth(3).map(|o| o.split(['@', ';', '<']).next().unwrap_or_default())
    }
    let high: Vec<&str> = listing
        .lines()
        .filter(|line| operands(line).is_some_and(|o| o.split(|c: char| !c.is_ascii_alphanumeric()).any(is_high_d)))
        .collect();
    assert!(high.is_empty(), "instructions using d16-d31: {high:?}");
    // dsp/biquad.C was compiled as C (an unmangled name).
    assert!(binutils("nm", &[], &elf).lines().any(|l| l.ends_with(" T biquad_step")), "biquad_step not a C symbol");

    // The ELF attributes of the guest's C (its partial link). The final ELF's
    // attributes are one Rust object's: rust-lld keeps the first input's
    // .ARM.attributes and checks none, so they say nothing about the C.
    let object = build.join("build/hardfloat/hardfloat-c.o");
    let attributes = binutils("readelf", &["-A"], &object);
    assert!(attributes.contains("Tag_ABI_VFP_args: VFP registers"), "{}:\n{attributes}", object.display());
    assert!(attributes.contains("Tag_FP_arch: VFPv3-D16"), "{}:\n{attributes}", object.display());
    assert!(!attributes.contains("Tag_Advanced_SIMD_arch"), "{}:\n{attributes}", object.display());
}

#[test]
fn hard_float_tasks_keep_their_vfp_registers_under_preemption() {
    // Doubles computed by three tasks under preemption are bit-identical to the
    // same computation before OSStart; d0-d15 and FPSCR survive ticks and switches.
    let outcome = run("vfp", None);
    for task in 0..3 {
        outcome.assert_contains(&format!("vfp: PASS: task {task}: 6 rounds, 0 wrong results, 0 registers changed"));
    }
    assert_all_passed(&outcome, "vfp");
}

#[test]
fn images_embed_stripped_modules_and_keep_the_full_elfs_beside_them() {
    let build = harness::image_build("hello");
    let sections = |file: &Path| binutils("readelf", &["-S", "-W"], file);
    let embedded = sections(&build.join("hello"));
    assert!(!embedded.contains(".debug_info"), "embedded module:\n{embedded}");
    // Of the symbols, only those the root server reads (entry, current task).
    let mut symbols: Vec<String> = binutils("nm", &[], &build.join("hello"))
        .lines()
        .filter_map(|line| line.split_whitespace().last().map(str::to_owned))
        .collect();
    symbols.sort();
    assert_eq!(symbols, ["_Start", "ucvisor_current_task_name", "ucvisor_current_task_prio"]);
    let full = sections(&build.join("hello.elf"));
    assert!(full.contains(".symtab") && full.contains(".debug_info"), "hello.elf:\n{full}");
    // For debuggers, beside the images: every program of the image with its symbols.
    for program in ["root_server", "drivers", "hello"] {
        let elf = harness::image(&format!("elf/hello/{program}.elf"));
        assert!(sections(&elf).contains(".symtab"), "{} has no symbols", elf.display());
    }
    // What QEMU loads (text and data of the kernel image with its modules) stays
    // far below the 2.9 MB it took with unstripped modules.
    let size = binutils("size", &["-A"], &example("hello"));
    let loaded: u64 = size
        .lines()
        .filter(|line| line.starts_with(".text") || line.starts_with(".rodata") || line.starts_with(".data"))
        .filter_map(|line| line.split_whitespace().nth(1)?.parse::<u64>().ok())
        .sum();
    assert!(loaded < 512 * 1024, "the hello image loads {loaded} bytes:\n{size}");
}

/// Lines of the whole output (console tags kept) that start with `prefix`.
fn starting<'a>(outcome: &'a Outcome, prefix: &str) -> Vec<&'a str> {
    outcome.output.lines().filter(|line| line.starts_with(prefix)).collect()
}

/// The hexadecimal number after `marker` in `line`.
fn hex_after(line: &str, marker: &str) -> u32 {
    let start = line.find(marker).unwrap_or_else(|| panic!("no `{marker}` in {line:?}")) + marker.len();
    let digits: String = line[start..].chars().take_while(char::is_ascii_hexdigit).collect();
    u32::from_str_radix(&digits, 16).unwrap_or_else(|_| panic!("no number after `{marker}` in {line:?}"))
}

#[test]
fn memory_attacks_fault_at_their_target_and_the_victim_keeps_its_exact_tick() {
    let outcome = boot_system("hostile_memory");
    assert_eq!(outcome.count("still running"), 0, "an attack went through:\n{}", outcome.output);
    // (guest, fault kind): each attacker faults once, at the address it attacked.
    let attacks = [
        ("write_code", "data abort"),
        ("run_data", "prefetch abort"),
        ("run_stack", "prefetch abort"),
        ("overflow", "data abort"),
    ];
    for (guest, kind) in attacks {
        let target = starting(&outcome, &format!("[{guest}] hostile: "));
        assert_eq!(target.len(), 1, "{guest}:\n{}", outcome.output);
        let target = hex_after(target[0], " at 0x");
        let faults = starting(&outcome, &format!("[root] guest `{guest}` faulted: "));
        assert_eq!(faults.len(), 1, "{guest} faults once:\n{}", outcome.output);
        assert!(faults[0].contains(&format!("faulted: {kind} at 0x")), "{}", faults[0]);
        let address = hex_after(faults[0], " at 0x");
        if guest == "overflow" {
            // The fault is in the unmapped guard right below the stack's
            // memory section, not anywhere further down (the heap).
            let section = starting(&outcome, &format!("[root] guest `{guest}`: memory section 0x"))
                .into_iter()
                .map(|line| (hex_after(line, "section 0x"), hex_after(line, "..0x")))
                .find(|&(start, end)| (start..end).contains(&target))
                .unwrap_or_else(|| panic!("no memory section holds the stack:\n{}", outcome.output));
            assert!((section.0 - 0x2000..section.0).contains(&address), "{}: stack from {section:x?}", faults[0]);
        } else {
            assert_eq!(address, target, "{}", faults[0]);
        }
        outcome.assert_contains(&format!("[root] guest `{guest}` stopped (on_fault stop)"));
    }
    assert_exact_ticks(&outcome);
    outcome.assert_contains("[root] guest `ticks` exited with code 0");
    assert_eq!(outcome.exit_code, Some(3), "{}", outcome.output);
}
