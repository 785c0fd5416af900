//! A corpus built and reported by the binary, for `tests/report.rs` and `tests/browser.rs`
//! (included by both with `#[path]`).

use std::path::{Path, PathBuf};

/// Runs `vanban ARGS`; panics with its stderr when it fails.
pub fn vanban(args: &[&std::ffi::OsStr]) {
    crate::common::vanban_ok(args);
}

/// Builds `corpus` into `DIR/registry` and writes its site as of `as_of` to `DIR/site`;
/// returns (registry, site).
pub fn build_and_report(corpus: &Path, dir: &Path, as_of: &str) -> (PathBuf, PathBuf) {
    let registry = dir.join("registry");
    let site = dir.join("site");
    vanban(&[
        "build".as_ref(),
        corpus.as_os_str(),
        "--out".as_ref(),
        registry.as_os_str(),
    ]);
    vanban(&[
        "report".as_ref(),
        "--registry".as_ref(),
        registry.as_os_str(),
        "--out".as_ref(),
        site.as_os_str(),
        "--as-of".as_ref(),
        as_of.as_ref(),
    ]);
    (registry, site)
}
