//! Helpers shared by the integration tests.
#![allow(dead_code)]

use std::collections::HashMap;
use std::path::PathBuf;
use std::process::Command;

/// The repository root.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// `../shared` beside the repository, when it is there. Tests that need it call this and
/// skip, with a note on stderr, when it is absent (a user's machine); CI always has it.
pub fn shared() -> Option<PathBuf> {
    let shared = root().join("../shared");
    if shared.join("corpus-ext").is_dir() {
        Some(shared)
    } else {
        eprintln!("note: ../shared is absent; skipping a test that needs ../shared/corpus-ext or ../shared/gold");
        None
    }
}

/// The rules built into the binary.
pub fn rules() -> vanban::Rules {
    vanban::Rules::built_in().expect("built-in rules load")
}

/// Parses one file with the default options; panics with the error otherwise.
pub fn parse(path: &std::path::Path) -> vanban::Document {
    let mut document = vanban::parse_path(path, &rules(), &vanban::ParseOptions::default())
        .unwrap_or_else(|e| panic!("{e}"));
    // Snapshots must not depend on where the repository is checked out.
    document.file = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    document
}

/// The `overall:` figures of one scoring run.
pub fn score(args: &[&str]) -> Option<HashMap<String, f64>> {
    let shared = shared()?;
    let output = Command::new("python3")
        .arg(shared.join("eval/score.py"))
        .args(["--bin", env!("CARGO_BIN_EXE_vanban")])
        .args(args)
        .output();
    let output = match output {
        Ok(output) if output.status.success() => output,
        other => {
            eprintln!("note: cannot run python3 ../shared/eval/score.py ({other:?}); skipping");
            return None;
        }
    };
    let stdout = String::from_utf8_lossy(&output.stdout);
    eprintln!("{stdout}");
    let overall = stdout.lines().find(|l| l.starts_with("overall:"))?;
    Some(
        overall["overall:".len()..]
            .split_whitespace()
            .filter_map(|pair| pair.split_once('='))
            .filter_map(|(k, v)| Some((k.to_string(), v.parse().ok()?)))
            .collect(),
    )
}

/// Whether the command-line tool `name` runs (`name ARGS` succeeds). When it does not, the
/// test that needs it skips with a note, or fails under `VANBAN_REQUIRE_TOOLS=1` (CI).
pub fn tool(name: &str, args: &[&str]) -> bool {
    let ran = Command::new(name)
        .args(args)
        .output()
        .is_ok_and(|o| o.status.success());
    if !ran {
        assert!(
            std::env::var_os("VANBAN_REQUIRE_TOOLS").is_none(),
            "{name} is required (VANBAN_REQUIRE_TOOLS is set) but does not run"
        );
        eprintln!("note: {name} is absent; skipping a test that needs it");
    }
    ran
}

/// Runs the vanban binary; panics, with its stderr, when it fails.
pub fn vanban_ok(args: &[&std::ffi::OsStr]) -> Vec<u8> {
    let output = Command::new(env!("CARGO_BIN_EXE_vanban"))
        .args(args)
        .output()
        .expect("vanban runs");
    assert!(
        output.status.success(),
        "vanban {args:?} failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    output.stdout
}

/// `vanban build CORPUS --out OUT -q`, which must succeed.
pub fn build_registry(corpus: &std::path::Path, out: &std::path::Path) {
    use std::ffi::OsStr;
    vanban_ok(&[
        OsStr::new("build"),
        corpus.as_os_str(),
        OsStr::new("--out"),
        out.as_os_str(),
        OsStr::new("-q"),
    ]);
}
