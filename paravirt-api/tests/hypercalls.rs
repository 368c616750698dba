// SPDX-License-Identifier: MIT OR Apache-2.0
//! The hypercall table (`paravirt-api/src/hypercalls.rs`) against everything
//! that restates it: the `PV_SYS_*`/`PV_ERR_*` constants of `lib.rs`, the C
//! prototypes of the generated `include/paravirt.h`, the user-side stubs of
//! `guest.rs` and the call tables of `doc/hypercalls.md`, which are generated
//! from the table: `UCVISOR_BLESS=1 cargo test -p paravirt-api --test
//! hypercalls` rewrites them, and without it the test fails when they drift.
//! (The kernel's decoder is checked against the table by the host tests of
//! `hypervisor/src/kernel/tests.rs`.)

use paravirt_api::PV_SYS_COUNT;
use paravirt_api::hypercalls::{CFunction, ERROR_NAMES, HYPERCALLS, Hypercall, Register, error_name, hypercall};
use std::path::{Path, PathBuf};

fn path(relative: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(relative)
}

fn read(relative: &str) -> String {
    let file = path(relative);
    std::fs::read_to_string(&file).unwrap_or_else(|e| panic!("cannot read {}: {e}", file.display()))
}

fn bless_requested() -> bool {
    std::env::var("UCVISOR_BLESS").is_ok_and(|value| value == "1")
}

/// `(name, value)` of every `pub const NAME: u32 = VALUE;` of lib.rs whose
/// name starts with `prefix` and whose value is a plain number.
fn lib_constants(prefix: &str) -> Vec<(String, u32)> {
    read("src/lib.rs")
        .lines()
        .filter_map(|line| line.strip_prefix("pub const "))
        .filter(|rest| rest.starts_with(prefix))
        .filter_map(|rest| {
            let (name, value) = rest.split_once(": u32 = ")?;
            let value = value.trim_end_matches(';').trim_end_matches("_u32").replace('_', "");
            let value = match value.strip_prefix("0x") {
                Some(hex) => u32::from_str_radix(hex, 16).ok()?,
                None => value.parse().ok()?,
            };
            Some((name.to_string(), value))
        })
        .collect()
}

#[test]
fn the_table_names_every_system_call_constant() {
    let constants = lib_constants("PV_SYS_");
    let calls: Vec<&(String, u32)> = constants.iter().filter(|(name, _)| name != "PV_SYS_COUNT").collect();
    assert_eq!(calls.len(), HYPERCALLS.len(), "PV_SYS_* constants in lib.rs vs the hypercall table");
    for (name, value) in calls {
        let call = hypercall(*value).unwrap_or_else(|| panic!("{name} = {value} has no entry in the hypercall table"));
        assert_eq!(call.constant, name, "call {value}");
    }
    assert!(hypercall(0).is_none() && hypercall(PV_SYS_COUNT).is_none());
}

#[test]
fn error_names_are_the_error_constants() {
    let constants = lib_constants("PV_ERR_");
    assert_eq!(constants.len(), ERROR_NAMES.len(), "PV_ERR_* constants in lib.rs vs ERROR_NAMES");
    for (name, value) in &constants {
        assert_eq!(error_name(*value), Some(name.as_str()), "{name} = {value:#x}");
    }
}

fn register_start(register: &Register) -> u32 {
    let first = register.register.split("..").next().unwrap();
    first.strip_prefix('r').and_then(|n| n.parse().ok()).unwrap_or_else(|| panic!("bad register {first}"))
}

#[test]
fn every_entry_is_well_formed() {
    for call in HYPERCALLS {
        let name = call.constant;
        for registers in [call.arguments, call.results] {
            let starts: Vec<u32> = registers.iter().map(register_start).collect();
            assert!(starts.windows(2).all(|pair| pair[0] < pair[1]), "{name}: registers out of order");
            assert!(starts.iter().all(|&start| start <= 11), "{name}: only r0..r11 carry arguments and results");
        }
        assert_eq!(call.results.first().map(|r| r.register), Some("r0"), "{name}: r0 holds the result code");
        for error in call.errors {
            assert!(error_name(*error).is_some(), "{name}: unknown error code {error}");
            assert_ne!(*error, paravirt_api::PV_ERR_INVALID_SYSCALL, "{name}: a decoded call is never invalid");
        }
        let unique: std::collections::BTreeSet<_> = call.errors.iter().collect();
        assert_eq!(unique.len(), call.errors.len(), "{name}: an error listed twice");
        assert!(!call.c_functions.is_empty(), "{name}: no C function makes it");
        assert!(call.summary.ends_with('.'), "{name}: the summary is a sentence");
    }
}

// ----- the C prototypes -------------------------------------------------------------------

/// The header without comments.
fn header_code() -> String {
    let header = read("../include/paravirt.h");
    let mut code = String::new();
    let mut rest = header.as_str();
    while let Some(start) = rest.find("/*") {
        code.push_str(&rest[..start]);
        let end = rest[start..].find("*/").expect("an unterminated comment in paravirt.h");
        rest = &rest[start + end + 2..];
    }
    code.push_str(rest);
    code.lines().map(|line| line.split("//").next().unwrap()).collect::<Vec<_>>().join("\n")
}

/// One space between tokens, none inside parentheses' edges, no `struct`.
fn normalize(declaration: &str) -> String {
    // `(struct T *x` is a struct keyword too: parentheses become their own words first.
    let spaced = declaration.replace('(', "( ");
    let words: Vec<&str> = spaced.split_whitespace().filter(|&word| word != "struct").collect();
    words.join(" ").replace("( ", "(").replace(" )", ")").replace(" ,", ",")
}

/// The declaration of function `name` in the header, normalized; None if absent.
fn header_prototype(code: &str, name: &str) -> Option<String> {
    let call = format!("{name}(");
    let line_start = code.lines().position(|line| {
        line.split([' ', '*']).any(|token| token.starts_with(&call)) && !line.trim_start().starts_with('#')
    })?;
    let declaration: String = code.lines().skip(line_start).collect::<Vec<_>>().join(" ");
    let end = declaration.find(';')?;
    Some(normalize(&declaration[..end]))
}

#[test]
fn every_c_function_is_declared_in_paravirt_h_as_documented() {
    let code = header_code();
    for call in HYPERCALLS {
        for function in call.c_functions {
            let name = function.name();
            assert!(name.starts_with("pv_"), "{}: {name} is not a pv_* function", call.constant);
            let declared = header_prototype(&code, name)
                .unwrap_or_else(|| panic!("{} lists {name}, which include/paravirt.h does not declare", call.constant));
            assert_eq!(
                declared,
                normalize(function.prototype),
                "{}: include/paravirt.h declares {name} differently from the table",
                call.constant
            );
        }
    }
}

// ----- the user-side stubs ----------------------------------------------------------------

/// `(name, body)` of every `extern "C" fn` of guest.rs (the body up to the
/// function's closing brace at column 0).
fn guest_functions() -> Vec<(String, String)> {
    let source = read("src/guest.rs");
    let mut functions = Vec::new();
    let mut rest = source.as_str();
    while let Some(start) = rest.find("extern \"C\" fn ") {
        let after = &rest[start + "extern \"C\" fn ".len()..];
        let name = after.split('(').next().unwrap().to_string();
        let end = after.find("\n}\n").map_or(after.len(), |end| end + 3);
        functions.push((name, after[..end].to_string()));
        rest = &after[end..];
    }
    functions
}

#[test]
fn every_stub_traps_with_its_calls_number() {
    let functions = guest_functions();
    assert!(functions.len() >= 20, "found only {} extern \"C\" functions in guest.rs", functions.len());
    for call in HYPERCALLS {
        let siblings: Vec<&str> = call.c_functions.iter().map(CFunction::name).collect();
        for function in call.c_functions {
            let name = function.name();
            let (_, body) = functions
                .iter()
                .find(|(candidate, _)| candidate == name)
                .unwrap_or_else(|| panic!("{}: {name} is not an extern \"C\" function of guest.rs", call.constant));
            // The number itself, the UTCB IPC stub or the Rust IPC helper (which
            // traps with `PV_SYS_IPC`), or another function of the same call.
            let traps = body.contains(call.constant)
                || (call.number == paravirt_api::PV_SYS_IPC
                    && ["trap_utcb(", " ipc(", "trap_register_message("].iter().any(|stub| body.contains(stub)))
                || siblings.iter().any(|&sibling| sibling != name && body.contains(&format!("{sibling}(")));
            assert!(traps, "{name} does not make {} (neither its constant nor a sibling appears)", call.constant);
        }
    }
    // And every stub that names a system call other than IPC is in the table
    // under that call (IPC also carries the server protocols' helpers).
    for (name, body) in &functions {
        for call in HYPERCALLS.iter().filter(|call| call.number != paravirt_api::PV_SYS_IPC) {
            if body.contains(call.constant) && name != "pv_raw_syscall" {
                assert!(
                    call.c_functions.iter().any(|function| function.name() == name),
                    "guest.rs: {name} makes {}, but the table does not list it there",
                    call.constant
                );
            }
        }
    }
}

// ----- doc/hypercalls.md --------------------------------------------------------------------

const DOC: &str = "../doc/hypercalls.md";

fn begin_marker(key: &str) -> String {
    format!(
        "<!-- BEGIN GENERATED {key}: from paravirt-api/src/hypercalls.rs; UCVISOR_BLESS=1 cargo test -p paravirt-api --test hypercalls -->\n"
    )
}

fn end_marker(key: &str) -> String {
    format!("<!-- END GENERATED {key} -->")
}

fn code_list(items: impl Iterator<Item = String>) -> String {
    let items: Vec<String> = items.collect();
    if items.is_empty() { "—".to_string() } else { items.join(", ") }
}

fn error_list(call: &Hypercall) -> String {
    code_list(call.errors.iter().map(|&code| format!("`{}`", error_name(code).unwrap())))
}

fn registers_inline(registers: &[Register]) -> String {
    code_list(registers.iter().map(|r| format!("{} `{}`", r.register, r.name)))
}

/// The summary table of every call.
fn overview() -> String {
    let mut out = String::from(
        "| nr | call | arguments | results | who may call | errors | C |\n|---|---|---|---|---|---|---|\n",
    );
    for call in HYPERCALLS {
        out.push_str(&format!(
            "| {} | `{}` ({}) | {} | {} | {} | {} | {} |\n",
            call.number,
            call.constant,
            call.name,
            registers_inline(call.arguments),
            registers_inline(call.results),
            call.caller.describe(),
            error_list(call),
            code_list(call.c_functions.iter().map(|f| format!("`{}`", f.name()))),
        ));
    }
    out
}

fn cell(register: Option<&Register>) -> String {
    register.map_or("—".to_string(), |r| format!("`{}`: {}", r.name, r.meaning))
}

/// The register table, caller, errors and C functions of one call.
fn call_section(call: &Hypercall) -> String {
    let mut out = format!("{}\n\n| reg | in | out |\n|---|---|---|\n", call.summary);
    let mut rows: Vec<&str> = call.arguments.iter().chain(call.results).map(|r| r.register).collect();
    rows.sort_by_key(|label| label.split("..").next().unwrap()[1..].parse::<u32>().unwrap());
    rows.dedup();
    for row in rows {
        let argument = call.arguments.iter().find(|r| r.register == row);
        let result = call.results.iter().find(|r| r.register == row);
        out.push_str(&format!("| {row} | {} | {} |\n", cell(argument), cell(result)));
    }
    out.push_str(&format!("\nWho may call: {}. Errors: {}.\n\n", call.caller.describe(), error_list(call)));
    for function in call.c_functions {
        let note = if function.note.is_empty() { String::new() } else { format!(": {}", function.note) };
        out.push_str(&format!("- C: `{}`{note}\n", function.prototype));
    }
    out
}

/// Every generated region of the document: (key, content).
fn regions() -> Vec<(String, String)> {
    let mut regions = vec![("calls".to_string(), overview())];
    regions.extend(HYPERCALLS.iter().map(|call| (call.constant.to_string(), call_section(call))));
    regions
}

/// `document` with every region's content replaced by its generated text;
/// Err names a region whose markers are missing.
fn regenerate(document: &str) -> Result<String, String> {
    let mut out = document.to_string();
    for (key, content) in regions() {
        let (begin, end) = (begin_marker(&key), end_marker(&key));
        let start = out.find(&begin).ok_or_else(|| format!("no `{}` line", begin.trim_end()))? + begin.len();
        let stop = out[start..].find(&end).ok_or_else(|| format!("no `{end}` line"))? + start;
        out.replace_range(start..stop, &content);
    }
    Ok(out)
}

#[test]
fn doc_call_tables_are_generated_from_the_table() {
    let document = read(DOC);
    let generated = regenerate(&document).unwrap_or_else(|problem| {
        panic!("doc/hypercalls.md: {problem}: every call needs its BEGIN/END GENERATED markers")
    });
    if bless_requested() {
        std::fs::write(path(DOC), &generated).expect("write doc/hypercalls.md");
        eprintln!("wrote doc/hypercalls.md");
        return;
    }
    if generated != document {
        let first = document.lines().zip(generated.lines()).position(|(a, b)| a != b).unwrap_or(0);
        panic!(
            "doc/hypercalls.md has drifted from paravirt-api/src/hypercalls.rs (first difference at line {}):\n  \
             committed: {:?}\n  generated: {:?}\nRegenerate it with:\n    \
             UCVISOR_BLESS=1 cargo test -p paravirt-api --test hypercalls",
            first + 1,
            document.lines().nth(first).unwrap_or("<end of file>"),
            generated.lines().nth(first).unwrap_or("<end of file>"),
        );
    }
}
