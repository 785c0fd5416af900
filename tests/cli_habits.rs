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

/// Every diagnostic of a registry, in its index and in each record, with where it is.
fn registry_diagnostics(registry: &Path) -> Vec<(String, serde_json::Value)> {
    let read = |path: &Path| -> serde_json::Value {
        serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
    };
    let index = read(&registry.join("index.json"));
    let mut all: Vec<(String, serde_json::Value)> = index["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| ("index.json".to_string(), d.clone()))
        .collect();
    for entry in std::fs::read_dir(registry.join("documents")).unwrap() {
        let path = entry.unwrap().path();
        let record = read(&path);
        for d in record["diagnostics"].as_array().unwrap() {
            all.push((path.display().to_string(), d.clone()));
        }
    }
    all
}

#[test]
fn no_diagnostic_of_a_shared_corpus_build_is_at_line_0() {
    let Some(shared) = common::shared() else {
        return;
    };
    let out = tempfile::tempdir().unwrap();
    for corpus in ["corpus-ext", "corpus-layouts"] {
        let registry = out.path().join(corpus);
        let status = vanban()
            .args(["build", "--quiet", "--format", "json"])
            .arg(shared.join(corpus))
            .arg("--out")
            .arg(&registry)
            .status()
            .unwrap();
        assert!(status.success(), "{corpus}");
        let diagnostics = registry_diagnostics(&registry);
        assert!(!diagnostics.is_empty(), "{corpus} has diagnostics to check");
        for (place, d) in &diagnostics {
            assert!(d["line"].as_u64().unwrap() > 0, "{corpus} {place}: {d}");
        }
    }
}

#[test]
fn a_registry_diagnostic_points_at_the_header() {
    // Two files with one id: `duplicate-id` at the first one's Số line (line 4), and a file
    // with no Số line: `missing-id` at its first line of text (line 3, after two blank lines).
    let dir = tempfile::tempdir().unwrap();
    let header = |n: &str, day: &str| {
        format!(
            "ỦY BAN NHÂN DÂN\nTỈNH BẮC NINH\n\nSố: {n}/KH-UBND\n\nBắc Ninh, ngày {day} tháng 3 năm 2025\n\nKẾ HOẠCH\nPhát triển thủy sản\n\n1. Sở Tài chính chủ trì thực hiện.\n"
        )
    };
    std::fs::write(dir.path().join("a.txt"), header("7", "10")).unwrap();
    std::fs::write(dir.path().join("b.txt"), header("7", "12")).unwrap();
    std::fs::write(
        dir.path().join("c.txt"),
        "\n\nKẾ HOẠCH\nPhát triển thủy sản\n\n1. Sở Tài chính chủ trì thực hiện.\n",
    )
    .unwrap();
    let registry = dir.path().join("r");
    let output = vanban()
        .args(["build", "--format", "json"])
        .arg(dir.path())
        .arg("--out")
        .arg(&registry)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{stderr}");
    assert!(stderr.contains("a.txt:4: duplicate-id:"), "{stderr}");
    assert!(stderr.contains("c.txt:3: missing-id:"), "{stderr}");
}
