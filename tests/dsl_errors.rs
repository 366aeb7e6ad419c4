//! DSL mistakes are compile errors that say what is wrong and what is
//! expected: every `tests/ui/<case>.rs` must fail to compile, and what rustc
//! says must be exactly `tests/ui/<case>.stderr`.
//!
//! The cases are checked by `rustc` directly against the library this test
//! was built with (found with `cargo test --no-run --message-format=json`,
//! which is a no-op here), so no dependency is compiled a second time: a
//! harness that builds its own project (trybuild did) checked the AWS SDK
//! and every other dependency again, about three minutes of a fresh clone's
//! test run on two cores.
//!
//! rustc's output is normalised as trybuild normalised it, so the `.stderr`
//! files stay readable and stable: inside the crate's own sources (`src/`)
//! line numbers are dropped (an edit elsewhere in a file must not change a
//! case), the "aborting" and "For more information" trailers go, and the
//! gutter is as wide as the remaining line numbers need.
//!
//! `UI_BLESS=1 cargo test --test dsl_errors` writes the `.stderr` files
//! from what rustc says (review the diff before committing it).

use std::path::{Path, PathBuf};
use std::process::Command;

const CASES: &str = "tests/ui";

/// The library's rlib and the folder of its dependencies, from cargo's own
/// account of the build this test belongs to.
fn library() -> (PathBuf, PathBuf) {
    let exe = std::env::current_exe().expect("the test binary's path");
    let deps = exe.parent().expect("the test binary's folder").to_path_buf();
    let mut cargo = Command::new(env!("CARGO"));
    cargo.args([
        "test",
        "--no-run",
        "--test",
        "dsl_errors",
        "--message-format=json",
        "--quiet",
    ]);
    match deps.parent().and_then(|p| p.file_name()).and_then(|n| n.to_str()) {
        Some("debug") | None => {}
        Some("release") => {
            cargo.arg("--release");
        }
        Some(profile) => {
            cargo.args(["--profile", profile]);
        }
    }
    let out = cargo
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("cargo runs");
    assert!(
        out.status.success(),
        "cargo test --no-run failed:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let rlib = String::from_utf8_lossy(&out.stdout)
        .lines()
        .filter_map(|line| serde_json::from_str::<serde_json::Value>(line).ok())
        .filter(|msg| msg["reason"] == "compiler-artifact" && msg["target"]["name"] == "dynamo_objects")
        .filter(|msg| {
            msg["target"]["kind"]
                .as_array()
                .is_some_and(|k| k.iter().any(|k| k == "lib"))
        })
        .flat_map(|msg| msg["filenames"].as_array().cloned().unwrap_or_default())
        .filter_map(|f| f.as_str().map(PathBuf::from))
        .find(|f| f.extension().is_some_and(|e| e == "rlib"))
        .expect("cargo names the library's rlib");
    (rlib, deps)
}

/// What rustc says about one case, or `None` if it compiled.
fn check(case: &Path, rlib: &Path, deps: &Path, out_dir: &Path) -> Option<String> {
    let rustc = std::env::var_os("RUSTC").unwrap_or_else(|| "rustc".into());
    let name = case.file_stem().and_then(|s| s.to_str()).expect("a case's name");
    let out = Command::new(rustc)
        .args([
            "--edition",
            "2024",
            "--crate-type",
            "bin",
            "--emit=metadata",
            "--crate-name",
            name,
        ])
        .args([
            "--error-format=human",
            "--color=never",
            "--diagnostic-width=140",
            "-A",
            "dead_code",
        ])
        .arg("-o")
        .arg(out_dir.join(format!("{name}.rmeta")))
        .arg("-L")
        .arg(format!("dependency={}", deps.display()))
        .arg("--extern")
        .arg(format!("dynamo_objects={}", rlib.display()))
        .arg(case)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("rustc runs");
    (!out.status.success()).then(|| normalise(&String::from_utf8_lossy(&out.stderr)))
}

/// One line of rustc's output, as far as the gutter is concerned.
enum Line<'a> {
    /// `  12 | code` (`number` is empty on a blank gutter line).
    Gutter {
        number: &'a str,
        rest: &'a str,
    },
    /// `   --> file:line:col` or `   ::: file:line:col`.
    Location {
        mark: &'a str,
        place: String,
    },
    /// `   = note: …`.
    Note(&'a str),
    Other(&'a str),
}

/// Splits `line` by the gutter width `width` of the diagnostic it is in.
fn classify(line: &str, width: usize) -> Line<'_> {
    let (head, tail) = line.split_at(line.len().min(width));
    if head.trim_start().chars().all(|c| c.is_ascii_digit())
        && head.len() == width
        && let Some(rest) = tail.strip_prefix(" |")
    {
        return Line::Gutter {
            number: head.trim_start(),
            rest,
        };
    }
    if head.trim().is_empty() && head.len() == width {
        for mark in ["-->", ":::"] {
            if let Some(place) = tail.strip_prefix(&format!("{mark} ")) {
                return Line::Location {
                    mark,
                    place: place.to_string(),
                };
            }
        }
        if let Some(note) = tail.strip_prefix(" = ") {
            return Line::Note(note);
        }
    }
    Line::Other(line)
}

/// rustc's "and 15 others" at the end of a list of implementations: the
/// count changes whenever an implementation is added, so it is `$N`.
fn others(text: &str) -> String {
    match text.trim_start().strip_prefix("and ").and_then(|t| t.split_once(' ')) {
        Some((count, "others")) if count.chars().all(|c| c.is_ascii_digit()) => {
            let indent = &text[..text.len() - text.trim_start().len()];
            format!("{indent}and $N others")
        }
        _ => text.to_string(),
    }
}

/// rustc's gutter width in one diagnostic: the indentation of its first
/// `-->` line (its line numbers are right-aligned in that many columns).
fn gutter_width(lines: &[&str]) -> usize {
    lines
        .iter()
        .find_map(|l| l.find("--> ").filter(|&i| l[..i].trim().is_empty()))
        .unwrap_or(0)
}

/// trybuild's normalisation of rustc's output (see the module's docs).
fn normalise(stderr: &str) -> String {
    let mut out = String::new();
    let mut diagnostic: Vec<&str> = Vec::new();
    let flush = |diagnostic: &mut Vec<&str>, out: &mut String| {
        if diagnostic.is_empty() {
            return;
        }
        let width = gutter_width(diagnostic);
        let mut in_library = false;
        let mut lines = Vec::new();
        for line in diagnostic.drain(..) {
            let mut line = classify(line, width);
            match &mut line {
                Line::Location { place, .. } => {
                    in_library = !place.starts_with(CASES);
                    if in_library {
                        // Drop `:line:col` from places in the crate's sources.
                        let file_end = place.find(".rs:").map_or(place.len(), |i| i + 3);
                        place.truncate(file_end);
                    }
                }
                Line::Gutter { number, .. } if in_library => *number = "",
                _ => {}
            }
            lines.push(line);
        }
        let new_width = lines
            .iter()
            .filter_map(|l| match l {
                Line::Gutter { number, .. } => Some(number.len()),
                _ => None,
            })
            .max()
            .unwrap_or(0)
            .max(1);
        // A note's continuation lines (`= help: … implement it:` lists) are
        // indented past the gutter: they move with it.
        let mut in_note = false;
        for line in lines {
            let next_in_note = matches!(line, Line::Note(_)) || (in_note && matches!(line, Line::Other(_)));
            match line {
                Line::Gutter { number, rest } => out.push_str(&format!("{number:>new_width$} |{rest}")),
                Line::Location { mark, place } => out.push_str(&format!("{:new_width$}{mark} {place}", "")),
                Line::Note(note) => out.push_str(&format!("{:new_width$} = {}", "", others(note))),
                Line::Other(text) => match text.strip_prefix(&" ".repeat(width)) {
                    Some(rest) if in_note && rest.starts_with("   ") => {
                        out.push_str(&format!("{:new_width$}{}", "", others(rest)))
                    }
                    _ => out.push_str(text),
                },
            }
            in_note = next_in_note;
            out.push('\n');
        }
    };
    for line in stderr.lines() {
        let trailer = line.starts_with("error: aborting due to")
            || line.starts_with("For more information about")
            || line.starts_with("Some errors have detailed explanations");
        if trailer {
            continue;
        }
        let starts_diagnostic = line.starts_with("error") || line.starts_with("warning");
        if starts_diagnostic && !line.starts_with("error: aborting") {
            flush(&mut diagnostic, &mut out);
        }
        diagnostic.push(line);
    }
    flush(&mut diagnostic, &mut out);
    let trimmed = out.trim_end();
    format!("{trimmed}\n")
}

#[test]
fn dsl_mistakes_do_not_compile() {
    let (rlib, deps) = library();
    let out_dir = std::env::temp_dir().join(format!("dynamo-objects-ui-{}", std::process::id()));
    std::fs::create_dir_all(&out_dir).expect("a scratch folder");
    let bless = std::env::var_os("UI_BLESS").is_some();
    let mut cases: Vec<PathBuf> = std::fs::read_dir(Path::new(env!("CARGO_MANIFEST_DIR")).join(CASES))
        .expect("tests/ui")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "rs"))
        .map(|p| Path::new(CASES).join(p.file_name().expect("a file name")))
        .collect();
    cases.sort();
    assert!(!cases.is_empty(), "no cases in {CASES}");
    let mut failures = Vec::new();
    for case in &cases {
        let expected_path = Path::new(env!("CARGO_MANIFEST_DIR")).join(case.with_extension("stderr"));
        let Some(actual) = check(case, &rlib, &deps, &out_dir) else {
            failures.push(format!("{}: compiled, but must not", case.display()));
            continue;
        };
        if bless {
            std::fs::write(&expected_path, &actual).expect("write the .stderr file");
            continue;
        }
        let expected = std::fs::read_to_string(&expected_path).unwrap_or_default();
        if expected != actual {
            failures.push(format!(
                "{}: rustc's errors differ from {}\n--- expected\n{expected}--- actual\n{actual}",
                case.display(),
                expected_path.display()
            ));
        }
    }
    let _ = std::fs::remove_dir_all(&out_dir);
    assert!(
        failures.is_empty(),
        "{} of {} cases failed:\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n")
    );
}

#[test]
fn normalising_drops_library_line_numbers_and_narrows_the_gutter() {
    let raw = "error[E0277]: bad\n   --> tests/ui/x.rs:8:28\n    |\n  8 |     let _ = a;\n    |             ^\n    |\n    \
               = help: h\nnote: required by a bound\n   --> src/expr.rs:364:12\n    |\n362 |     pub fn at\n...\n364 |         T: I,\n    \
               |            ^\n\nerror: aborting due to 1 previous error\n\nFor more information about this error, try `rustc --explain E0277`.\n";
    let expected = "error[E0277]: bad\n --> tests/ui/x.rs:8:28\n  |\n8 |     let _ = a;\n  |             ^\n  |\n  = help: h\n\
                    note: required by a bound\n --> src/expr.rs\n  |\n  |     pub fn at\n...\n  |         T: I,\n  |            ^\n";
    assert_eq!(normalise(raw), expected);
}
