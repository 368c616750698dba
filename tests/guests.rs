// SPDX-License-Identifier: MIT OR Apache-2.0
//! QEMU tests of µC/OS-II guests that compute with what a guest printed (the
//! tick counts, the order of a guest's lines, how long a restart took), and
//! checks of built images that are not boots (the hard-float ELF, stripped
//! modules). What each example must print and how it must end is in the
//! `expect.toml` beside its description, which the generic driver
//! (`tests/expectations.rs`) checks; the examples whose `expect.toml` says
//! `checked_in = "tests/guests.rs"` are booted here, through that same file,
//! and then checked further.

mod harness;

use harness::expect::Expectation;
use harness::{Boot, Outcome, boot, deterministic_time, example};
use std::collections::BTreeMap;
use std::path::Path;
use std::process::Command;

/// Lines the guests wrote (their console tags taken off) that start with
/// `prefix`, in order.
fn lines<'a>(outcome: &'a Outcome, prefix: &str) -> Vec<&'a str> {
    outcome.untagged_lines().into_iter().filter(|line| line.starts_with(prefix)).collect()
}

#[test]
fn plain_cargo_run_boots_hello() {
    let outcome = boot(
        &harness::image("ucvisor"),
        &Boot { qemu_args: deterministic_time(), stop_after: Some("hello: task A tick 3 ".into()), ..Boot::default() },
    );
    outcome.assert_success().assert_contains("[root] guest `hello` started");
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
    assert_exact_ticks(&Expectation::boot_example("ticks"));
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
    let outcome = Expectation::boot_example("two_guests");
    assert_lines_whole(&outcome, "hello", "hello: ");
    assert_lines_whole(&outcome, "smallstack", "smallstack: ");
    let ticks_of_a = lines(&outcome, "hello: task A tick ");
    for (index, line) in ticks_of_a.iter().enumerate() {
        assert!(line.starts_with(&format!("hello: task A tick {} at OSTime ", index + 1)), "{line}");
    }
    assert!(ticks_of_a.len() >= 40, "{}", outcome.output);
}

#[test]
fn a_faulting_guest_restarts_until_its_limit_beside_a_guest_with_an_exact_tick() {
    let outcome = Expectation::boot_example("fault_restart");
    let restarts: Vec<&str> =
        outcome.output.lines().filter(|l| l.starts_with("[root] guest `crash` restarted (restart ")).collect();
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
    assert_exact_ticks(&outcome);
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
    let outcome = Expectation::boot_example(&format!("tickrate_{rate}"));
    let (reported_rate, frequency, elapsed, derived, difference) = tick_rate_result(&outcome);
    assert_eq!((reported_rate, frequency), (rate, 62_500_000), "{}", outcome.output);
    assert!(elapsed >= ticks, "{}", outcome.output);
    assert!(elapsed.abs_diff(derived) <= 1 && difference.abs() <= 1, "{}", outcome.output);
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
fn images_embed_stripped_modules_and_keep_the_full_elfs_beside_them() {
    let build = harness::image_build("hello");
    let sections = |file: &Path| binutils("readelf", &["-S", "-W"], file);
    let embedded = sections(&build.join("hello"));
    assert!(!embedded.contains(".debug_info"), "embedded module:\n{embedded}");
    // The symbol table stays (the root server reads `_Start`, the running
    // task's words and, for fault reports, the function at the pc): no debug
    // information, which stays in the full ELF beside it.
    let symbols = binutils("nm", &[], &build.join("hello"));
    for name in ["_Start", "ucvisor_current_task_name", "ucvisor_current_task_prio", "OSTimeTick", "main"] {
        assert!(symbols.lines().any(|line| line.ends_with(&format!(" {name}"))), "{name} missing:\n{symbols}");
    }
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
    let outcome = Expectation::boot_example("hostile_memory");
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
    }
    assert_exact_ticks(&outcome);
}
