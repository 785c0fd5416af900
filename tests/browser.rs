//! The site of the bundled corpus in a real browser: headless Chromium, driven through
//! chromedriver by `tests/browser/check_site.py` (Python's selenium), loads each kind of
//! page with no error in the console, and its search box filters `so y te` down to Sở Y
//! tế's tasks. Skips with a note when Chromium, chromedriver or selenium is absent (Debian's
//! `chromium chromium-driver`, PyPI's `selenium`); under VANBAN_REQUIRE_TOOLS=1 that fails.

mod common;
#[path = "browser/site.rs"]
mod site;

use std::path::PathBuf;
use std::process::Command;

/// The first of `names` on the PATH.
fn which(names: &[&str]) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .flat_map(|dir| names.iter().map(move |name| dir.join(name)))
        .find(|candidate| candidate.is_file())
}

/// What is missing to run the browser, if anything.
fn missing_tools() -> Vec<&'static str> {
    let mut missing = Vec::new();
    if which(&["chromium", "chromium-browser"]).is_none() {
        missing.push("chromium");
    }
    if which(&["chromedriver"]).is_none() {
        missing.push("chromedriver (Debian's chromium-driver)");
    }
    let selenium = Command::new("python3")
        .args(["-c", "import selenium"])
        .output()
        .is_ok_and(|o| o.status.success());
    if !selenium {
        missing.push("python3 with selenium");
    }
    missing
}

#[test]
fn chromium_shows_the_site_and_its_search_works() {
    let missing = missing_tools();
    if !missing.is_empty() {
        let note = format!("{} absent; skipping the browser test", missing.join(", "));
        assert!(
            std::env::var_os("VANBAN_REQUIRE_TOOLS").is_none(),
            "{note} (VANBAN_REQUIRE_TOOLS is set: .ci/run installs them)"
        );
        eprintln!("note: {note}");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let corpus = common::root().join("corpus");
    let (_, site) = site::build_and_report(&corpus, dir.path(), "2020-07-01");
    let script = common::root().join("tests/browser/check_site.py");
    let output = Command::new("python3")
        .arg(&script)
        .arg(&site)
        .output()
        .expect("python3 runs");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    eprintln!("{stdout}");
    assert!(
        output.status.success(),
        "the browser checks failed:\n{stdout}\n{stderr}"
    );
    assert!(stdout.contains("5 pages loaded"), "{stdout}");
    assert!(stdout.contains("search `so y te`: "), "{stdout}");
}
