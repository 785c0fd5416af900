//! One page of each kind, on the bundled corpus as of a fixed day, against its snapshot in
//! `snapshots/` (`report-*.snap`); and what the pages must hold whatever the snapshots say.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use super::{render, report, ReportOptions};
use crate::link::{build, BuildOptions};
use crate::Rules;

/// The day of the snapshots: 101/KH-UBND's deadline of 30/6/2020 has just passed.
const AS_OF: &str = "2020-07-01";

fn corpus_registry(dir: &Path) -> PathBuf {
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus");
    let registry = dir.join("registry");
    let rules = Rules::built_in().expect("built-in rules");
    build(&corpus, &registry, &rules, &BuildOptions::default()).expect("the corpus builds");
    registry
}

fn corpus_pages() -> BTreeMap<String, String> {
    let dir = tempfile::tempdir().unwrap();
    let registry = corpus_registry(dir.path());
    let options = ReportOptions {
        as_of: AS_OF.into(),
    };
    render(&registry, &options).unwrap().into_iter().collect()
}

/// A page, one tag per line so that a change shows as a readable diff.
fn snapshot(name: &str, page: &str) {
    let page = page.replace("><", ">\n<");
    let mut settings = insta::Settings::clone_current();
    settings.set_snapshot_path("../../snapshots");
    settings.set_prepend_module_to_snapshot(false);
    settings.bind(|| insta::assert_snapshot!(format!("report-{name}"), &page));
}

#[test]
fn one_page_of_each_kind() {
    let pages = corpus_pages();
    for (name, path) in [
        ("home", "index.html"),
        ("agency", "agencies/so-y-te-thanh-pho-ha-noi.html"),
        ("document", "documents/101_KH-UBND.html"),
        ("graph", "graphs/103_UBND-VHXH.html"),
    ] {
        let page = pages.get(path).unwrap_or_else(|| panic!("no page {path}"));
        snapshot(name, page);
    }
}

#[test]
fn every_document_and_agency_has_its_pages() {
    let pages = corpus_pages();
    let count = |prefix: &str| pages.keys().filter(|p| p.starts_with(prefix)).count();
    assert_eq!(count("documents/"), 15);
    assert_eq!(count("graphs/"), 15);
    assert_eq!(count("agencies/"), 33);
    let home = &pages["index.html"];
    for path in pages.keys().filter(|p| p.starts_with("documents/")) {
        let href = format!(
            "href=\"{}\"",
            super::model::encode(path).replace("%2F", "/")
        );
        assert!(home.contains(&href), "the home page links {path}");
    }
}

#[test]
fn an_overdue_task_is_grouped_and_counted() {
    let pages = corpus_pages();
    // 101/KH-UBND gives Sở Lao động - Thương binh và Xã hội a task due by 30/6/2020.
    let agency = &pages["agencies/so-lao-dong-thuong-binh-va-xa-hoi-thanh-pho-ha-noi.html"];
    let overdue = agency.find("id=\"s-overdue\"").expect("an overdue group");
    assert!(agency[overdue..].contains("Quá hạn (1)"));
    assert!(agency[overdue..].contains("trước ngày 30/6/2020"));
}

#[test]
fn a_report_is_written_and_rewritten_whole() {
    let dir = tempfile::tempdir().unwrap();
    let registry = corpus_registry(dir.path());
    let site = dir.path().join("site");
    let options = ReportOptions {
        as_of: "30/6/2020".into(),
    };
    let summary = report(&registry, &site, &options).unwrap();
    assert_eq!(summary.documents, 15);
    assert!(site.join("index.html").is_file() && site.join("assets/search.js").is_file());
    report(&registry, &site, &options).unwrap();
    let bad = ReportOptions {
        as_of: "31/6/2020".into(),
    };
    let error = report(&registry, &site, &bad).unwrap_err().to_string();
    assert!(error.contains("31/6/2020: not a date"), "{error}");
    let error = report(&site, &dir.path().join("x"), &options)
        .unwrap_err()
        .to_string();
    assert!(error.contains("not a vanban registry"), "{error}");
}
