// SPDX-License-Identifier: MIT OR Apache-2.0
//! Fingerprints of a guest's inputs, so that the image build rebuilds a guest
//! only when something it is built from changed.
//!
//! A fingerprint is plain text: the guest's options, then one line per input
//! file (path, size, modification time in nanoseconds), folders walked
//! recursively in a fixed order, a missing path named as missing. Sizes and
//! times rather than content hashes, as cargo itself decides what is fresh:
//! stat calls stay cheap even for a large include folder. The text is kept
//! beside the build's output and compared whole, so a stale entry can be read
//! and a false "fresh" needs an edit that keeps a file's size and time.

use std::path::{Path, PathBuf};
use std::time::UNIX_EPOCH;

/// The fingerprint of `options` (any text that changes what is built) and
/// the files `inputs` (files or folders, walked recursively).
pub fn fingerprint(options: &str, inputs: &[PathBuf]) -> String {
    let mut text = String::from(options);
    if !text.ends_with('\n') {
        text.push('\n');
    }
    for input in inputs {
        if !input.exists() {
            text.push_str(&format!("missing {}\n", input.display()));
            continue;
        }
        for entry in walkdir::WalkDir::new(input).sort_by_file_name() {
            match entry {
                Ok(entry) if entry.file_type().is_dir() => {}
                Ok(entry) => text.push_str(&file_line(entry.path())),
                Err(error) => text.push_str(&format!("unreadable {}: {error}\n", input.display())),
            }
        }
    }
    text
}

/// `file PATH SIZE MTIME_NS` for one file (symbolic links followed).
fn file_line(path: &Path) -> String {
    match std::fs::metadata(path) {
        Ok(metadata) => {
            let modified = metadata
                .modified()
                .ok()
                .and_then(|time| time.duration_since(UNIX_EPOCH).ok())
                .map_or(0, |since| since.as_nanos());
            format!("file {} {} {modified}\n", path.display(), metadata.len())
        }
        Err(error) => format!("unreadable {}: {error}\n", path.display()),
    }
}

/// Whether `output` exists and was built from inputs whose fingerprint was
/// `current` (kept in `stamp`).
pub fn is_fresh(stamp: &Path, current: &str, output: &Path) -> bool {
    output.is_file() && std::fs::read_to_string(stamp).is_ok_and(|kept| kept == current)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scratch(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("xtask-fingerprint-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(dir.join("sub")).unwrap();
        dir
    }

    #[test]
    fn a_change_to_any_input_or_option_changes_the_fingerprint() {
        let dir = scratch("change");
        std::fs::write(dir.join("main.c"), "int main(void) { return 0; }\n").unwrap();
        std::fs::write(dir.join("sub/util.c"), "int x;\n").unwrap();
        let inputs = [dir.clone()];
        let first = fingerprint("opt s", &inputs);
        assert!(first.contains("main.c") && first.contains("util.c"), "{first}");
        assert_eq!(first, fingerprint("opt s", &inputs), "stable when nothing changed");
        assert_ne!(first, fingerprint("opt 2", &inputs), "an option");

        std::fs::write(dir.join("sub/util.c"), "int x = 1;\n").unwrap();
        let edited = fingerprint("opt s", &inputs);
        assert_ne!(first, edited, "an edit in a subfolder");

        std::fs::write(dir.join("sub/new.h"), "").unwrap();
        assert_ne!(edited, fingerprint("opt s", &inputs), "a new file");
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn missing_inputs_are_named_and_freshness_needs_the_output() {
        let dir = scratch("fresh");
        let missing = dir.join("nowhere.a");
        let text = fingerprint("", std::slice::from_ref(&missing));
        assert_eq!(text, format!("\nmissing {}\n", missing.display()));

        let stamp = dir.join("stamp");
        let output = dir.join("guest.elf");
        std::fs::write(&stamp, &text).unwrap();
        assert!(!is_fresh(&stamp, &text, &output), "no output yet");
        std::fs::write(&output, "ELF").unwrap();
        assert!(is_fresh(&stamp, &text, &output));
        assert!(!is_fresh(&stamp, "other", &output));
        let _ = std::fs::remove_dir_all(&dir);
    }
}
