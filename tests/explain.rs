//! Every diagnostic code the library can emit is explained by `vanban explain`, and every
//! code explained is one it emits.
//!
//! The codes are written where each stage makes its diagnostics, so they are collected from
//! the sources: the code given to `Diagnostic::warning/info/error/new` (or `warning_at`) and the `code` of a
//! `Diagnostic { .. }` or `BuildDiagnostic { .. }` literal, as a string or as a constant of
//! `src/codes.rs`. A code made any other way (a variable, `format!`) fails the test, since it
//! could not be checked.

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::Command;

use regex::Regex;

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// A file's code without its unit tests (a `tests.rs` file, or what follows a top-level
/// `#[cfg(test)]`), whose diagnostics are made up.
fn code_without_tests(path: &Path) -> String {
    if path.file_name().is_some_and(|n| n == "tests.rs") {
        return String::new();
    }
    let text = std::fs::read_to_string(path).unwrap();
    // Comments go too: `FILE:LINE: code: message` in a doc comment is no code.
    text.lines()
        .take_while(|line| !line.starts_with("#[cfg(test)]"))
        .map(|line| line.split("//").next().unwrap_or_default())
        .collect::<Vec<_>>()
        .join("\n")
}

/// The constants of `src/codes.rs`: `MISSING_ID` → `missing-id`.
fn code_constants(codes_rs: &str) -> BTreeMap<String, String> {
    let constant = Regex::new(r#"pub const ([A-Z_]+): &str = "([a-z0-9-]+)";"#).unwrap();
    constant
        .captures_iter(codes_rs)
        .map(|c| (c[1].to_string(), c[2].to_string()))
        .collect()
}

/// Every code emitted in `src/`, with a place that emits it; panics on a code that is not a
/// literal or a constant.
fn emitted_codes() -> BTreeMap<String, String> {
    let src = common::root().join("src");
    let constants = code_constants(&std::fs::read_to_string(src.join("codes.rs")).unwrap());
    let constructor = Regex::new(
        r"\bDiagnostic::(?:warning|info|error|new)(?:_at)?\(\s*(?:[\w:]*Severity::\w+\s*,\s*)?([^,]+),",
    )
    .unwrap();
    let literal =
        Regex::new(r"(?:^|[^\w])(?:Build)?Diagnostic\s*\{[^}]*?\bcode:\s*([^,\n]+)").unwrap();
    let value = Regex::new(
        r#"^(?:"([a-z0-9-]+)"|(?:crate::)?codes::([A-Z_]+))(?:\.into\(\)|\.to_string\(\)|\.to_owned\(\))?$"#,
    )
    .unwrap();
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    files.sort();
    let mut codes = BTreeMap::new();
    for path in &files {
        // The record's own constructors, the table itself and the SQLite registry's reader
        // (which reads stored diagnostics back) hand a code on, they make none.
        let name = path.strip_prefix(&src).unwrap().display().to_string();
        if ["record.rs", "codes.rs", "link/sqlite.rs"].contains(&name.as_str()) {
            continue;
        }
        let code = code_without_tests(path);
        let found = constructor
            .captures_iter(&code)
            .chain(literal.captures_iter(&code));
        for capture in found {
            let given = capture[1].trim();
            let before = code[..capture.get(0).unwrap().start()].trim_end();
            if given.starts_with("String") || before.ends_with("impl") || before.ends_with("struct")
            {
                continue; // a type's declaration, not a literal
            }
            let Some(parts) = value.captures(given) else {
                panic!("{name}: a diagnostic code that is not a literal or a codes:: constant: {given}");
            };
            let code = match (parts.get(1), parts.get(2)) {
                (Some(literal), _) => literal.as_str().to_string(),
                (None, Some(constant)) => constants
                    .get(constant.as_str())
                    .unwrap_or_else(|| {
                        panic!("{name}: codes::{} is not in src/codes.rs", &parts[2])
                    })
                    .clone(),
                (None, None) => unreachable!("the pattern has one of the two"),
            };
            codes.entry(code).or_insert_with(|| name.clone());
        }
    }
    codes
}

fn vanban(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_vanban"))
        .args(args)
        .output()
        .expect("vanban runs")
}

#[test]
fn every_code_emitted_is_explained_and_every_code_explained_is_emitted() {
    let emitted = emitted_codes();
    // A few codes the scanner must find, or it finds nothing at all.
    for code in [
        "missing-number",
        "clause-skipped",
        "duplicate-id",
        "agency-fragment",
    ] {
        assert!(
            emitted.contains_key(code),
            "{code} not found in src/: {emitted:?}"
        );
    }
    let explained: BTreeSet<&str> = vanban::codes::CODES.iter().map(|c| c.code).collect();
    let unexplained: Vec<String> = emitted
        .iter()
        .filter(|(code, _)| !explained.contains(code.as_str()))
        .map(|(code, file)| format!("{code} (src/{file})"))
        .collect();
    assert!(
        unexplained.is_empty(),
        "emitted but not in src/codes.rs: {}",
        unexplained.join(", ")
    );
    let stale: Vec<&&str> = explained
        .iter()
        .filter(|code| !emitted.contains_key(**code))
        .collect();
    assert!(
        stale.is_empty(),
        "in src/codes.rs but never emitted: {stale:?}"
    );
}

#[test]
fn explain_lists_every_code_and_explains_each() {
    let output = vanban(&["explain"]);
    assert!(output.status.success());
    let list = String::from_utf8(output.stdout).unwrap();
    assert_eq!(list.lines().count(), vanban::codes::CODES.len(), "{list}");
    for code in vanban::codes::CODES {
        assert!(
            list.lines()
                .any(|l| l.starts_with(code.code) && l.ends_with(code.summary)),
            "{} in the list",
            code.code
        );
        let output = vanban(&["explain", code.code]);
        assert!(output.status.success(), "explain {}", code.code);
        let text = String::from_utf8(output.stdout).unwrap();
        assert!(
            text.starts_with(&format!("{}: {}\n", code.code, code.summary)),
            "{text}"
        );
        let words: Vec<&str> = code.explanation.split_whitespace().collect();
        assert_eq!(
            text.split("\n\n")
                .nth(1)
                .unwrap()
                .split_whitespace()
                .collect::<Vec<_>>(),
            words,
            "the whole explanation of {}",
            code.code
        );
    }
}

#[test]
fn an_unknown_code_says_how_to_list_them() {
    let output = vanban(&["explain", "no-such-code"]);
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(
        stderr.trim(),
        "vanban: no-such-code: no such diagnostic code; `vanban explain` lists them all"
    );
    assert!(output.stdout.is_empty());
}
