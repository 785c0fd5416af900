//! `vanban tasks --format csv`, read back by Python's csv module and by the csv crate: one
//! row per task of `tasks --format json`, a unique key, the columns a tracker loads.

mod common;

use std::ffi::OsStr;
use std::path::Path;
use std::process::Command;

use common::vanban_ok;

const AS_OF: &str = "2025-06-01";

fn tasks(registry: &Path, extra: &[&str]) -> Vec<u8> {
    let mut args: Vec<&OsStr> = vec![
        OsStr::new("tasks"),
        OsStr::new("--registry"),
        registry.as_os_str(),
        OsStr::new("--as-of"),
        OsStr::new(AS_OF),
    ];
    args.extend(extra.iter().map(OsStr::new));
    vanban_ok(&args)
}

/// The rows as the csv crate reads them (header first).
fn crate_rows(csv_bytes: &[u8]) -> Vec<Vec<String>> {
    let body = csv_bytes
        .strip_prefix("\u{feff}".as_bytes())
        .unwrap_or(csv_bytes);
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(body);
    reader
        .records()
        .map(|r| r.unwrap().iter().map(str::to_string).collect())
        .collect()
}

/// The rows as Python's csv module reads them, as JSON; None when python3 is absent.
fn python_rows(file: &Path) -> Option<Vec<Vec<String>>> {
    if !common::tool("python3", &["-c", "import csv"]) {
        return None;
    }
    let script = "import csv, json, sys\n\
        with open(sys.argv[1], encoding='utf-8-sig', newline='') as f:\n\
        \x20   rows = list(csv.reader(f, strict=True))\n\
        json.dump(rows, sys.stdout, ensure_ascii=False)\n";
    let output = Command::new("python3")
        .args(["-c", script])
        .arg(file)
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "python's csv module rejects the file: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    Some(serde_json::from_slice(&output.stdout).unwrap())
}

fn check(corpus: &Path) {
    let dir = tempfile::tempdir().unwrap();
    let registry = dir.path().join("registry");
    common::build_registry(corpus, &registry);
    let csv_bytes = tasks(&registry, &["--format", "csv"]);
    assert!(
        csv_bytes.starts_with("\u{feff}key,".as_bytes()),
        "a BOM by default"
    );
    let json: Vec<serde_json::Value> =
        serde_json::from_slice(&tasks(&registry, &["--format", "json"])).unwrap();
    let rows = crate_rows(&csv_bytes);
    assert_eq!(rows[0], vanban::link::TASK_CSV_COLUMNS);
    assert_eq!(rows.len() - 1, json.len(), "one row per task");
    assert!(!json.is_empty());
    let file = dir.path().join("tasks.csv");
    std::fs::write(&file, &csv_bytes).unwrap();
    if let Some(python) = python_rows(&file) {
        assert_eq!(python, rows, "Python and the csv crate read the same rows");
    }
    let keys: std::collections::HashSet<&str> = rows[1..].iter().map(|r| r[0].as_str()).collect();
    assert_eq!(keys.len(), json.len(), "the key column is unique");
    assert!(!keys.contains(""), "every row has a key");
    for (row, task) in rows[1..].iter().zip(&json) {
        assert_eq!(row.len(), 15);
        assert_eq!(row[0], task["key"].as_str().unwrap());
        assert_eq!(row[1], task["document"].as_str().unwrap());
        assert_eq!(row[7], task["agency"].as_str().unwrap());
        let partners: Vec<&str> = task["partners"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p.as_str().unwrap())
            .collect();
        assert_eq!(row[9], partners.join("; "));
        assert_eq!(row[14], "", "status is left to the tracker");
    }
    assert!(
        rows[1..].iter().any(|r| !r[4].is_empty()),
        "issuers come from the document records"
    );
    let plain = tasks(&registry, &["--format", "csv", "--no-bom"]);
    assert_eq!(plain, csv_bytes["\u{feff}".len()..]);
}

#[test]
fn bundled_corpus_tasks_read_back_as_csv() {
    check(&common::root().join("corpus"));
}

#[test]
fn corpus_ext_tasks_read_back_as_csv() {
    let Some(shared) = common::shared() else {
        return;
    };
    check(&shared.join("corpus-ext"));
}
