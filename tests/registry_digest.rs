//! The registry of `../shared/corpus-ext`, file by file, against the digests committed in
//! `tests/registry-digest.txt`.
//!
//! Refactors and speed work must leave every output byte as it was; a change that means to
//! alter outputs updates the listing in the same commit and says which outputs changed and
//! why. `VANBAN_UPDATE_DIGEST=1 cargo test --release --test registry_digest` rewrites it.

mod common;

use std::fmt::Write as _;
use std::fs;
use std::path::Path;
use std::process::Command;

use sha2::{Digest, Sha256};

/// One line per file of the registry: its SHA-256 and its path inside the registry.
fn listing(registry: &Path) -> String {
    let mut files = Vec::new();
    collect(registry, registry, &mut files);
    files.sort();
    let mut out = String::new();
    for relative in files {
        let bytes = fs::read(registry.join(&relative)).expect("registry file readable");
        let digest = Sha256::digest(&bytes);
        let hex: String = digest.iter().map(|b| format!("{b:02x}")).collect();
        writeln!(out, "{hex}  {relative}").unwrap();
    }
    out
}

fn collect(root: &Path, dir: &Path, files: &mut Vec<String>) {
    for entry in fs::read_dir(dir).expect("registry folder readable") {
        let path = entry.expect("registry entry").path();
        if path.is_dir() {
            collect(root, &path, files);
        } else {
            let relative = path.strip_prefix(root).unwrap();
            files.push(relative.to_string_lossy().replace('\\', "/"));
        }
    }
}

#[test]
fn corpus_ext_registry_is_unchanged() {
    let Some(shared) = common::shared() else {
        return;
    };
    let out = tempfile::tempdir().unwrap();
    let registry = out.path().join("registry");
    let status = Command::new(env!("CARGO_BIN_EXE_vanban"))
        .arg("build")
        .arg(shared.join("corpus-ext"))
        .arg("--out")
        .arg(&registry)
        .output()
        .expect("vanban runs");
    assert!(
        status.status.success(),
        "build of corpus-ext failed: {}",
        String::from_utf8_lossy(&status.stderr)
    );
    let actual = listing(&registry);
    let committed_path = common::root().join("tests/registry-digest.txt");
    if std::env::var_os("VANBAN_UPDATE_DIGEST").is_some() {
        fs::write(&committed_path, &actual).unwrap();
        eprintln!("note: rewrote {}", committed_path.display());
        return;
    }
    let committed = fs::read_to_string(&committed_path).unwrap_or_default();
    if actual != committed {
        let changed: Vec<&str> = actual
            .lines()
            .filter(|line| !committed.lines().any(|c| c == *line))
            .chain(
                committed
                    .lines()
                    .filter(|line| !actual.lines().any(|a| a == *line)),
            )
            .take(40)
            .collect();
        panic!(
            "the corpus-ext registry differs from tests/registry-digest.txt; lines that differ \
             (new, then old):\n{}\nIf the change is meant, rerun with VANBAN_UPDATE_DIGEST=1 and \
             say in the commit which outputs changed and why.",
            changed.join("\n")
        );
    }
}
