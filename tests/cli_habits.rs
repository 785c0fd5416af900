//! The command line as users of ripgrep, cargo and git expect it: a closed pipe ends a command
//! quietly, one bad file does not hide the good ones, diagnostics come as JSON for machines,
//! and the shell gets completions from the same definition as `--help`.

mod common;

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Command, Stdio};

fn vanban() -> Command {
    Command::new(env!("CARGO_BIN_EXE_vanban"))
}

/// Runs `vanban ARGS`, reads one line of its output and closes the pipe; returns vanban's own
/// exit status and what it wrote on stderr.
fn first_line_then_close(args: &[&str]) -> (Option<i32>, String) {
    let mut child = vanban()
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("vanban runs");
    let stdout = child.stdout.take().unwrap();
    let mut line = String::new();
    BufReader::new(stdout).read_line(&mut line).unwrap();
    // The reader is dropped here: the pipe is closed with most of the output unread.
    let output = child.wait_with_output().unwrap();
    assert!(!line.is_empty(), "vanban {args:?} printed nothing");
    (
        output.status.code(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

#[test]
fn a_closed_pipe_ends_every_command_quietly() {
    let Some(shared) = common::shared() else {
        return;
    };
    let registry = tempfile::tempdir().unwrap();
    let out = registry.path().join("r");
    let status = vanban()
        .args(["build", "--quiet"])
        .arg(shared.join("corpus-ext"))
        .arg("--out")
        .arg(&out)
        .status()
        .unwrap();
    assert!(status.success());
    let out = out.to_str().unwrap();
    let files: Vec<String> = std::fs::read_dir(shared.join("corpus-ext"))
        .unwrap()
        .map(|e| e.unwrap().path().display().to_string())
        .collect();
    let mut parse = vec!["parse"];
    parse.extend(files.iter().map(String::as_str));
    let runs: Vec<Vec<&str>> = vec![
        vec!["graph", "--registry", out, "--format", "mermaid"],
        vec!["graph", "--registry", out],
        vec!["tasks", "--registry", out],
        vec!["tasks", "--registry", out, "--format", "json"],
        vec!["trace", "556/KH-UBND", "--registry", out],
        parse,
    ];
    for args in runs {
        let (code, stderr) = first_line_then_close(&args);
        assert_eq!(code, Some(0), "vanban {:?}: {stderr}", &args[..2]);
        assert!(
            stderr.is_empty(),
            "vanban {:?} wrote on stderr: {stderr}",
            &args[..2]
        );
    }
}

fn seed() -> String {
    common::root()
        .join("corpus/000_f13dcb22fb0d6dd6.txt")
        .display()
        .to_string()
}

#[test]
fn a_missing_file_does_not_hide_the_good_one() {
    let output = vanban()
        .args(["parse", "nosuch.txt", &seed(), "--format", "json"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(stderr.trim(), "vanban: nosuch.txt: no such file");
    let records: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let records = records.as_array().expect("several inputs give an array");
    assert_eq!(records.len(), 1);
    assert_eq!(records[0]["id"], "1790/CV-BCĐ");
}

#[test]
fn check_writes_one_json_object_per_diagnostic() {
    let output = vanban()
        .args(["check", "--format", "json", &seed()])
        .output()
        .unwrap();
    let text = String::from_utf8(output.stdout).unwrap();
    assert!(!text.is_empty());
    for line in text.lines() {
        let d: serde_json::Value = serde_json::from_str(line).unwrap();
        for key in ["file", "line", "column", "severity", "code", "message"] {
            assert!(d.get(key).is_some(), "{key} in {line}");
        }
        assert!(d["line"].as_u64().unwrap() > 0, "{line}");
    }
}

#[test]
fn an_output_file_that_cannot_be_written_is_named_not_its_temporary() {
    let output = vanban()
        .args(["parse", &seed(), "-o", "/nonexistent-folder-vanban/o.json"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.starts_with("vanban: /nonexistent-folder-vanban/o.json: cannot write"),
        "{stderr}"
    );
    assert!(!stderr.contains("vanban-tmp"), "{stderr}");
    assert_eq!(
        stderr.matches("os error").count(),
        1,
        "the cause once: {stderr}"
    );
}

#[test]
fn bash_accepts_the_completion_script() {
    let output = vanban().args(["completions", "bash"]).output().unwrap();
    assert!(output.status.success());
    let script = tempfile::NamedTempFile::new().unwrap();
    std::fs::write(script.path(), &output.stdout).unwrap();
    match Command::new("bash").arg("-n").arg(script.path()).status() {
        Ok(status) => assert!(status.success(), "bash -n rejects the script"),
        Err(_) if std::env::var_os("VANBAN_REQUIRE_TOOLS").is_none() => {
            eprintln!("note: bash is absent; skipping the syntax check of the completion script")
        }
        Err(error) => panic!("bash is required (VANBAN_REQUIRE_TOOLS): {error}"),
    }
    assert!(String::from_utf8_lossy(&output.stdout).contains("vanban"));
}

#[test]
fn the_man_page_lists_every_command() {
    let output = vanban().arg("man").output().unwrap();
    assert!(output.status.success());
    let page = String::from_utf8_lossy(&output.stdout);
    assert!(
        page.starts_with(".ie") || page.contains(".TH vanban 1"),
        "{}",
        &page[..80.min(page.len())]
    );
    for command in ["parse", "check", "build", "trace", "graph", "tasks"] {
        assert!(page.contains(command), "{command} in the man page");
    }
}

#[test]
fn quiet_silences_the_build_summary() {
    let out = tempfile::tempdir().unwrap();
    let registry = out.path().join("r");
    let output = vanban()
        .args(["build", "--quiet"])
        .arg(common::root().join("corpus"))
        .arg("--out")
        .arg(&registry)
        .output()
        .unwrap();
    assert!(output.status.success());
    assert!(
        output.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(Path::new(&registry).join("index.yaml").is_file());
}
