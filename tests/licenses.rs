// SPDX-License-Identifier: MIT OR Apache-2.0
//! Every source file of the repository says its license in an SPDX line at its
//! top (`MIT OR Apache-2.0`, the manifests' and `LICENSE-*`'s), except the
//! application template's files, which become the user's.

use std::path::Path;
use std::process::Command;

const LINE: &str = "SPDX-License-Identifier: MIT OR Apache-2.0";

/// True for files that need the line: sources, headers, assembly, linker
/// scripts, makefiles and the scripts in `tools/` and `.ci/`.
fn is_source(path: &str) -> bool {
    let name = Path::new(path).file_name().and_then(|n| n.to_str()).unwrap_or_default();
    let extension = Path::new(path).extension().and_then(|e| e.to_str()).unwrap_or_default();
    let script = extension.is_empty() && (path.starts_with("tools/") || path.starts_with(".ci/"));
    !path.starts_with("xtask/templates/")
        && (matches!(extension, "rs" | "c" | "h" | "C" | "S" | "s" | "ld" | "mk" | "sh")
            || name == "Makefile"
            || script)
}

#[test]
fn every_source_file_has_an_spdx_line_at_its_top() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let output = Command::new("git").current_dir(root).args(["ls-files"]).output().expect("git ls-files");
    let files = String::from_utf8_lossy(&output.stdout).into_owned();
    let sources: Vec<&str> = files.lines().filter(|path| is_source(path)).collect();
    assert!(sources.len() > 200, "only {} source files found", sources.len());
    let missing: Vec<&str> = sources
        .iter()
        .copied()
        .filter(|path| {
            let text = std::fs::read_to_string(root.join(path)).unwrap_or_default();
            !text.lines().take(3).any(|line| line.contains(LINE))
        })
        .collect();
    assert!(missing.is_empty(), "source files without `{LINE}` in their first lines: {missing:?}");
}
