//! The command line as a user meets it: refusals with exit 2 and one line naming the file,
//! output to a file, check's diagnostics.

mod common;

use std::path::PathBuf;
use std::process::{Command, Output};

fn vanban(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_vanban"))
        .args(args)
        .output()
        .expect("vanban runs")
}

fn scratch(name: &str, bytes: &[u8]) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("vanban-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(name);
    std::fs::write(&path, bytes).unwrap();
    path
}

fn assert_refused(output: &Output, file: &str, reason: &str) {
    assert_eq!(output.status.code(), Some(2), "exit status");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(stderr.lines().count(), 1, "one line on stderr: {stderr}");
    assert!(stderr.contains(file), "names the file: {stderr}");
    assert!(stderr.contains(reason), "says why ({reason}): {stderr}");
    assert!(output.stdout.is_empty());
}

#[test]
fn empty_file_is_refused() {
    let path = scratch("empty.txt", b"");
    assert_refused(
        &vanban(&["parse", path.to_str().unwrap()]),
        "empty.txt",
        "empty",
    );
}

#[test]
fn binary_file_is_refused() {
    let path = scratch("image.png", b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x10");
    assert_refused(
        &vanban(&["parse", path.to_str().unwrap()]),
        "image.png",
        "binary",
    );
}

#[test]
fn missing_path_is_refused() {
    assert_refused(
        &vanban(&["parse", "no/such/directive.txt"]),
        "no/such/directive.txt",
        "no such file",
    );
}

#[test]
fn directory_is_refused() {
    let dir = std::env::temp_dir();
    let output = vanban(&["parse", dir.to_str().unwrap()]);
    assert_refused(&output, dir.to_str().unwrap(), "directory");
}

#[test]
fn too_large_is_refused() {
    let path = scratch("large.txt", "Số: 1/KH-UBND\n".repeat(100).as_bytes());
    let output = vanban(&["parse", path.to_str().unwrap(), "--max-bytes", "100"]);
    assert_refused(&output, "large.txt", "larger than the limit");
}

#[test]
fn parse_writes_to_a_file() {
    let seed = common::root().join("corpus/000_f13dcb22fb0d6dd6.txt");
    let out = std::env::temp_dir().join(format!("vanban-cli-out-{}.yaml", std::process::id()));
    let output = vanban(&[
        "parse",
        seed.to_str().unwrap(),
        "--format",
        "yaml",
        "--output",
        out.to_str().unwrap(),
    ]);
    assert!(output.status.success());
    let written = std::fs::read_to_string(&out).unwrap();
    assert!(written.starts_with("id: 1790/CV-BCĐ"), "{written:.200}");
    std::fs::remove_file(out).ok();
}

#[test]
fn several_files_give_an_array_or_lines() {
    let a = common::root().join("corpus/000_f13dcb22fb0d6dd6.txt");
    let b = common::root().join("corpus/002_711db2a21855934a.txt");
    let json = vanban(&["parse", a.to_str().unwrap(), b.to_str().unwrap()]);
    let value: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    assert_eq!(value.as_array().map(Vec::len), Some(2));
    let jsonl = vanban(&[
        "parse",
        a.to_str().unwrap(),
        b.to_str().unwrap(),
        "--format",
        "jsonl",
    ]);
    assert_eq!(String::from_utf8_lossy(&jsonl.stdout).lines().count(), 2);
}

#[test]
fn check_prints_file_line_column() {
    let path = scratch(
        "no-number.txt",
        "KẾ HOẠCH\n\nTăng cường công tác\n\n1. Sở Y tế\n\na) Việc một\n\nc) Việc ba\n".as_bytes(),
    );
    let output = vanban(&["check", path.to_str().unwrap()]);
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert_eq!(
        output.status.code(),
        Some(1),
        "a missing Số line is an error: {stdout}"
    );
    assert!(
        stdout
            .lines()
            .any(|l| l.contains("no-number.txt:1:1: error: missing-number")),
        "{stdout}"
    );
    assert!(
        stdout
            .lines()
            .any(|l| l.contains(":9:1: warning: clause-skipped")),
        "{stdout}"
    );
}

#[test]
fn help_is_readable() {
    let output = vanban(&["--help"]);
    let help = String::from_utf8_lossy(&output.stdout);
    for command in ["parse", "check"] {
        assert!(help.contains(command), "{help}");
    }
}

#[test]
fn build_skips_an_unusable_file_and_exits_1() {
    let dir = std::env::temp_dir().join(format!("vanban-cli-build-{}", std::process::id()));
    let out = std::env::temp_dir().join(format!("vanban-cli-reg-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::copy(
        common::root().join("corpus/000_f13dcb22fb0d6dd6.txt"),
        dir.join("000.txt"),
    )
    .unwrap();
    std::fs::write(dir.join("broken.txt"), b"\x00\x01\x02binary\x00").unwrap();
    let output = vanban(&[
        "build",
        dir.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ]);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(
        stderr
            .lines()
            .any(|l| l.contains("broken.txt") && l.contains("binary")),
        "{stderr}"
    );
    assert!(
        stderr.contains("1 files skipped") || stderr.contains("1 file skipped"),
        "{stderr}"
    );
    assert!(out.join("index.yaml").is_file());
    std::fs::remove_dir_all(&dir).ok();
    std::fs::remove_dir_all(&out).ok();
}
