//! The rules folder as a user edits it: every file is read for real, a misspelt key is an
//! error naming the file, the line and the key, and a folder that is not there is refused.

mod common;

use std::fs;
use std::path::Path;
use std::process::{Command, Output};

fn vanban(args: &[&str], rules: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_vanban"))
        .args(args)
        .arg("--rules")
        .arg(rules)
        .output()
        .expect("vanban runs")
}

/// A copy of the repository's rules in a fresh folder, with `signing.yaml` replaced.
fn rules_with_signing(signing: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for entry in fs::read_dir(common::root().join("rules")).unwrap() {
        let path = entry.unwrap().path();
        if path.is_file() {
            fs::copy(&path, dir.path().join(path.file_name().unwrap())).unwrap();
        }
    }
    fs::write(dir.path().join("signing.yaml"), signing).unwrap();
    dir
}

fn seed() -> String {
    common::root()
        .join("corpus/000_f13dcb22fb0d6dd6.txt")
        .display()
        .to_string()
}

#[test]
fn no_signing_prefixes_in_the_rules_leave_the_authority_empty() {
    let builtin = fs::read_to_string(common::root().join("rules/signing.yaml")).unwrap();
    let mut signing = String::new();
    let mut in_authorities = false;
    for line in builtin.lines() {
        if line.starts_with("authorities:") {
            signing.push_str("authorities: []\n");
            in_authorities = true;
        } else if in_authorities && (line.starts_with("  ") || line.is_empty()) {
            continue;
        } else {
            in_authorities = false;
            signing.push_str(line);
            signing.push('\n');
        }
    }
    let rules = rules_with_signing(&signing);
    let output = vanban(&["parse", &seed(), "--format", "json"], rules.path());
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let record: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(record["signer"]["authority"], "");

    let builtin_output = Command::new(env!("CARGO_BIN_EXE_vanban"))
        .args(["parse", &seed(), "--format", "json"])
        .output()
        .unwrap();
    let record: serde_json::Value = serde_json::from_slice(&builtin_output.stdout).unwrap();
    assert_eq!(record["signer"]["authority"], "TM.");
}

#[test]
fn an_unknown_key_names_the_file_the_line_and_the_key() {
    let rules = rules_with_signing("authorities: []\ntitles: []\nname_stop: []\n");
    let output = vanban(&["parse", &seed()], rules.path());
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("signing.yaml:3: unknown key 'name_stop'"),
        "{stderr}"
    );
    assert!(
        stderr.contains("expected one of 'authorities', 'titles', 'name_prefixes'"),
        "{stderr}"
    );
}

#[test]
fn a_rules_folder_that_is_not_there_is_refused() {
    let output = vanban(&["parse", &seed()], Path::new("nosuchdir-for-vanban"));
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("nosuchdir-for-vanban: no such rules folder"),
        "{stderr}"
    );
}

#[test]
fn a_rule_that_does_not_compile_names_its_file_and_key() {
    let dir =
        rules_with_signing(&fs::read_to_string(common::root().join("rules/signing.yaml")).unwrap());
    let normalise = fs::read_to_string(dir.path().join("normalise.yaml")).unwrap();
    let broken = normalise.replacen("noise_lines:", "noise_lines:\n  - '(unclosed'", 1);
    assert_ne!(normalise, broken, "normalise.yaml has a noise_lines key");
    fs::write(dir.path().join("normalise.yaml"), broken).unwrap();
    let output = vanban(&["parse", &seed()], dir.path());
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("normalise.yaml: key 'noise_lines'"),
        "{stderr}"
    );
}
