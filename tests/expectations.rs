// SPDX-License-Identifier: MIT OR Apache-2.0
//! The generic test driver: boots every image that has an `expect.toml` beside
//! its description (every example, every kernel test image) and checks what it
//! printed and how it ended (see `harness/expect.rs` for the keys). Adding a
//! test image is adding a folder with its `expect.toml`; nothing here names one.
//!
//! Images run two at a time (each QEMU under `-icount` uses one host core).
//! `UCVISOR_IMAGES=hello,kernel/fpu cargo test --test expectations` boots only
//! the images whose names contain one of the given texts.

mod harness;

use harness::expect::{Expectation, TestImage, discover, summary};
use harness::{Outcome, build_images};
use std::sync::Mutex;

/// How many QEMUs run at once.
fn parallel_runs() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get()).clamp(1, 2)
}

#[test]
fn every_image_meets_the_expectation_beside_its_description() {
    let filter: Option<Vec<String>> =
        std::env::var("UCVISOR_IMAGES").ok().map(|list| list.split(',').map(str::to_owned).collect());
    let images: Vec<TestImage> = discover()
        .into_iter()
        .filter(|image| filter.as_ref().is_none_or(|wanted| wanted.iter().any(|w| image.name.contains(w.as_str()))))
        .collect();
    assert!(filter.is_some() || images.len() >= 20, "found only {} images with an expect.toml", images.len());
    if let Err(message) = build_images() {
        panic!("{message}");
    }
    let queue = Mutex::new(images.iter());
    let failures = Mutex::new(Vec::new());
    std::thread::scope(|scope| {
        for _ in 0..parallel_runs() {
            scope.spawn(|| {
                while let Some(image) = queue.lock().expect("queue").next() {
                    if let Err(failure) = run(image) {
                        failures.lock().expect("failures").push(failure);
                    }
                }
            });
        }
    });
    let failures = failures.into_inner().expect("failures");
    assert!(failures.is_empty(), "{} of {} images failed:\n\n{}", failures.len(), images.len(), failures.join("\n\n"));
}

/// Boots one image and checks it; the error holds the problems and the output.
fn run(image: &TestImage) -> Result<(), String> {
    let expectation = Expectation::read(&image.file)?;
    if let Some(test) = &expectation.checked_in {
        println!("{}: booted and checked by {test}", image.name);
        return Ok(());
    }
    match expectation.boot(&image.image) {
        Ok(outcome) => {
            println!("{}: ok ({})", image.name, outcome.describe());
            Ok(())
        }
        Err((problems, outcome)) => {
            println!("{}: FAILED", image.name);
            Err(format!("== {} ({}):\n{problems}\n-- output:\n{}", image.name, image.file.display(), outcome.output))
        }
    }
}

fn outcome(output: &str, exit_code: i32) -> Outcome {
    Outcome { output: output.into(), exit_code: Some(exit_code), timed_out: false, stopped_on_marker: false }
}

#[test]
fn every_kind_of_difference_is_reported() {
    let expectation: Expectation = toml::from_str(
        "exit_code = 3\ncontains = [\"b\"]\nin_order = [\"y\", \"x\"]\nabsent = [\"z\"]\n\
         tagged = [\"g\"]\npassed_at_least = 2\n[count]\n\"q\" = 1\n",
    )
    .unwrap();
    let problems = expectation.check(&outcome("x y z\ng: untagged\n1 passed, 1 failed\n", 0)).unwrap_err();
    for expected in [
        "exit code 0, expected exit code 3",
        "missing \"b\"",
        "\"x\" missing or out of order",
        "\"z\" must not appear",
        "0 lines contain \"q\", expected 1",
        "no line tagged \"[g] \"",
        "a line of `g` without its tag",
        "1 passed, 1 failed",
    ] {
        assert!(problems.contains(expected), "{expected:?} not in:\n{problems}");
    }
    let good = "y\nx b q\n[g] g: tagged\n[g] g: 2 passed, 0 failed\n";
    assert_eq!(expectation.check(&outcome(good, 3)), Ok(()));
}

#[test]
fn a_timeout_fails_even_when_everything_was_printed() {
    let expectation: Expectation = toml::from_str("contains = [\"done\"]\n").unwrap();
    let timed_out = Outcome { output: "done".into(), exit_code: None, timed_out: true, stopped_on_marker: false };
    assert!(expectation.check(&timed_out).unwrap_err().contains("timed out"));
}

#[test]
fn unknown_keys_are_errors() {
    assert!(toml::from_str::<Expectation>("contain = [\"a\"]\n").is_err());
}

#[test]
fn summaries_tagged_or_not() {
    assert_eq!(summary("a\n12 passed, 0 failed\n"), Some((12, 0)));
    assert_eq!(summary("[limits] limits: 10 passed, 2 failed"), Some((10, 2)));
    assert_eq!(summary("nothing"), None);
}

#[test]
fn every_expect_toml_parses() {
    for image in discover() {
        if let Err(error) = Expectation::read(&image.file) {
            panic!("{error}");
        }
    }
}

#[test]
fn every_image_folder_has_an_expect_toml() {
    let root = harness::workspace_root();
    let mut missing = Vec::new();
    for (folder, marker) in [("examples", "system.toml"), ("tests/images/src/bin", "main.rs")] {
        for entry in std::fs::read_dir(root.join(folder)).expect("the folder exists").flatten() {
            let path = entry.path();
            if path.join(marker).is_file() && !path.join("expect.toml").is_file() {
                missing.push(path.display().to_string());
            }
        }
    }
    assert!(missing.is_empty(), "image folders without an expect.toml: {missing:?}");
}
