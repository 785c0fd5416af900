//! Diagnostics about matched text point at its real column: the character column of the input
//! line, as an editor shows it, past indentation, markdown and squashed spaces. The expected
//! columns are computed from the fixture's own text, so the test cannot pass by accident. On
//! `../shared`'s corpora (skipped with a note when absent), every such column stands inside
//! its line.

mod common;

use std::ffi::OsStr;
use std::path::{Path, PathBuf};

use serde_json::Value;

/// The codes whose diagnostics are about matched text, so carry its column.
const MATCHED_TEXT_CODES: &[&str] = &[
    "agency-fragment",
    "citation-after-document",
    "citation-date-conflict",
    "citation-year-mismatch",
    "clause-letter",
    "clause-skipped",
    "deadline-before-date",
    "invalid-date",
    "invalid-utf8",
    "look-alike-letters",
    "unlisted-law",
    "unreadable-number",
];

/// `vanban check --format json FILES`: one object per diagnostic. `check` exits 1 when a
/// document has an error, which is not a failure here.
fn check(files: &[PathBuf]) -> Vec<Value> {
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_vanban"))
        .arg("check")
        .args(["--format", "json"])
        .args(files)
        .output()
        .expect("vanban runs");
    assert!(
        output.status.code().is_some_and(|code| code <= 1),
        "vanban check failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout)
        .unwrap()
        .lines()
        .map(|line| serde_json::from_str(line).unwrap())
        .collect()
}

/// The (line, column) an editor shows for the first `word` written after `after` in `text`.
fn editor_position(text: &str, after: &str, word: &str) -> (u64, u64) {
    let from = text.find(after).expect("the fixture holds the context");
    let at = from + text[from..].find(word).expect("the fixture holds the word");
    let line_start = text[..at].rfind('\n').map_or(0, |i| i + 1);
    let line = text[..at].matches('\n').count() + 1;
    let column = text[line_start..at].chars().count() + 1;
    (line as u64, column as u64)
}

fn position(diagnostic: &Value) -> (u64, u64) {
    (
        diagnostic["line"].as_u64().unwrap(),
        diagnostic["column"].as_u64().unwrap(),
    )
}

fn find<'a>(diagnostics: &'a [Value], code: &str, message_part: &str) -> &'a Value {
    diagnostics
        .iter()
        .find(|d| d["code"] == code && d["message"].as_str().unwrap().contains(message_part))
        .unwrap_or_else(|| panic!("no {code} about {message_part} in {diagnostics:#?}"))
}

#[test]
fn check_gives_the_column_an_editor_shows() {
    let fixture = common::root().join("tests/fixtures/columns/plan.md");
    let text = std::fs::read_to_string(&fixture).unwrap();
    let diagnostics = check(std::slice::from_ref(&fixture));

    // The second mention's date, in the middle of an indented line with bold before it.
    let conflict = find(&diagnostics, "citation-date-conflict", "57-NQ/TW");
    assert_eq!(
        position(conflict),
        editor_position(&text, "Để triển khai", "23/12/2024")
    );
    // A fragment in the middle of a line, after a run of spaces normalise squashed.
    let fragment = find(&diagnostics, "agency-fragment", "Vụ Công tác");
    assert_eq!(
        position(fragment),
        editor_position(&text, "Ngoại giao;", "Vụ Công tác")
    );
    // A fragment after a bullet and emphasis that normalise removed.
    let fragment = find(
        &diagnostics,
        "agency-fragment",
        "Ủy ban nhân dân Quyết định",
    );
    assert_eq!(
        position(fragment),
        editor_position(&text, "*Chủ tịch*", "Ủy ban nhân dân Quyết định")
    );
    // The header's diagnostics about the document as a whole keep column 1.
    assert!(diagnostics
        .iter()
        .filter(|d| !MATCHED_TEXT_CODES.contains(&d["code"].as_str().unwrap()))
        .all(|d| d["column"] == 1));
}

fn corpus_files(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension() == Some(OsStr::new("md")))
        .collect();
    files.sort();
    files
}

/// Every diagnostic about matched text in `corpus` has a column within its input line, and
/// some have a column past 1 (the columns are not all the default).
fn columns_stand_inside_their_lines(corpus: &Path) {
    let files = corpus_files(corpus);
    assert!(!files.is_empty(), "{} has no files", corpus.display());
    let diagnostics = check(&files);
    let mut past_one = 0;
    let mut checked = 0;
    for d in diagnostics
        .iter()
        .filter(|d| MATCHED_TEXT_CODES.contains(&d["code"].as_str().unwrap()))
    {
        let file = d["file"].as_str().unwrap();
        let text = String::from_utf8_lossy(&std::fs::read(file).unwrap()).into_owned();
        let (line, column) = position(d);
        let length = text
            .split('\n')
            .nth(line as usize - 1)
            .map_or(0, |l| l.trim_end_matches('\r').chars().count()) as u64;
        assert!(
            (1..=length + 1).contains(&column),
            "{file}:{line}: column {column} outside a line of {length} characters: {d}"
        );
        checked += 1;
        past_one += usize::from(column > 1);
    }
    assert!(
        checked > 0,
        "no diagnostic about matched text in {}",
        corpus.display()
    );
    assert!(past_one > 0, "every column in {} is 1", corpus.display());
}

#[test]
fn shared_corpora_columns_stand_inside_their_lines() {
    let Some(shared) = common::shared() else {
        return;
    };
    for corpus in ["corpus-ext", "corpus-layouts"] {
        let dir = shared.join(corpus);
        if dir.is_dir() {
            columns_stand_inside_their_lines(&dir);
        } else {
            eprintln!("note: ../shared/{corpus} is absent; skipping its columns");
        }
    }
}
