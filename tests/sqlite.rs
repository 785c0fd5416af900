//! The SQLite registry, loaded with the `sqlite3` command-line tool: the same rows as the
//! folder registry, foreign keys that hold, a file that SQLite itself finds sound, and the
//! same `trace`, `tasks` and `graph` output from both forms.

mod common;

use std::ffi::OsStr;
use std::path::Path;
use std::process::Command;

use common::vanban_ok;

/// `sqlite3 DB SQL`, its output.
fn sqlite3(db: &Path, sql: &str) -> String {
    let output = Command::new("sqlite3")
        .arg(db)
        .arg(sql)
        .output()
        .expect("sqlite3 runs");
    assert!(
        output.status.success(),
        "sqlite3 {sql}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).unwrap()
}

fn count(db: &Path, table: &str) -> usize {
    sqlite3(db, &format!("SELECT count(*) FROM {table}"))
        .trim()
        .parse()
        .unwrap()
}

/// Builds `corpus` as a folder and as an SQLite file under `dir`.
fn build_both(corpus: &Path, dir: &Path) -> (std::path::PathBuf, std::path::PathBuf) {
    let folder = dir.join("registry");
    let db = dir.join("registry.sqlite");
    for out in [&folder, &db] {
        common::build_registry(corpus, out);
    }
    (folder, db)
}

fn check_database(corpus: &Path) {
    if !common::tool("sqlite3", &["-version"]) {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let (folder, db) = build_both(corpus, dir.path());
    let mut registry = vanban::link::Registry::open(&folder).unwrap();
    registry.load_agencies().unwrap();
    let obligations: usize = registry.agencies.iter().map(|a| a.obligations.len()).sum();
    assert!(
        obligations > 0,
        "{}: no obligations to compare",
        corpus.display()
    );
    assert_eq!(count(&db, "documents"), registry.index.documents.len());
    assert_eq!(count(&db, "obligations"), obligations);
    assert_eq!(count(&db, "citations"), registry.citations.edges.len());
    assert_eq!(count(&db, "nodes"), registry.citations.nodes.len());
    assert_eq!(count(&db, "agencies"), registry.index.agencies.len());
    assert_eq!(
        sqlite3(&db, "SELECT version FROM schema_version").trim(),
        "1"
    );
    let tasks = vanban_ok(&[
        OsStr::new("tasks"),
        OsStr::new("--registry"),
        folder.as_os_str(),
        OsStr::new("--format"),
        OsStr::new("json"),
    ]);
    let tasks: Vec<serde_json::Value> = serde_json::from_slice(&tasks).unwrap();
    assert_eq!(count(&db, "obligations"), tasks.len());
    assert_eq!(sqlite3(&db, "PRAGMA foreign_key_check"), "");
    assert_eq!(sqlite3(&db, "PRAGMA integrity_check").trim(), "ok");
    // The keys join: every obligation's document and agency is there.
    assert_eq!(
        sqlite3(
            &db,
            "SELECT count(*) FROM obligations o JOIN documents d ON d.key = o.document \
             JOIN agencies a ON a.slug = o.agency"
        )
        .trim(),
        obligations.to_string()
    );
    same_views(&folder, &db, &registry);
}

/// `trace`, `tasks` and `graph` print the same from the folder and from the SQLite file.
fn same_views(folder: &Path, db: &Path, registry: &vanban::link::Registry) {
    let cited = registry
        .citations
        .edges
        .first()
        .map(|e| e.from.clone())
        .expect("a citation to trace");
    let agency = registry.index.agencies[0].name.clone();
    let views: Vec<Vec<&str>> = vec![
        vec!["trace", &cited, "--format", "json"],
        vec!["trace", &cited],
        vec!["tasks", "--format", "json", "--as-of", "2025-06-01"],
        vec![
            "tasks",
            "--agency",
            &agency,
            "--sort",
            "document",
            "--as-of",
            "2025-06-01",
        ],
        vec!["tasks", "--format", "csv", "--as-of", "2025-06-01"],
        vec!["graph"],
        vec!["graph", "--format", "mermaid", "--root", &cited],
    ];
    for view in views {
        let run = |registry: &Path| {
            let mut args: Vec<&OsStr> = view.iter().map(OsStr::new).collect();
            args.extend([OsStr::new("--registry"), registry.as_os_str()]);
            vanban_ok(&args)
        };
        let (from_folder, from_db) = (run(folder), run(db));
        assert!(!from_folder.is_empty(), "{view:?} printed nothing");
        assert!(
            from_folder == from_db,
            "{view:?} differs between the folder and the SQLite registry"
        );
    }
}

#[test]
fn bundled_corpus_database_matches_the_folder() {
    check_database(&common::root().join("corpus"));
}

#[test]
fn corpus_ext_database_matches_the_folder() {
    let Some(shared) = common::shared() else {
        return;
    };
    check_database(&shared.join("corpus-ext"));
}

#[test]
fn an_sqlite_rebuild_replaces_the_file_and_refuses_other_files() {
    let dir = tempfile::tempdir().unwrap();
    let corpus = common::root().join("corpus");
    let db = dir.path().join("r.db");
    let build = |out: &Path| {
        Command::new(env!("CARGO_BIN_EXE_vanban"))
            .arg("build")
            .arg(&corpus)
            .arg("--out")
            .arg(out)
            .arg("-q")
            .output()
            .unwrap()
    };
    assert!(build(&db).status.success());
    let first = std::fs::read(&db).unwrap();
    assert!(build(&db).status.success(), "a registry is replaced");
    assert_eq!(std::fs::read(&db).unwrap(), first, "the same bytes again");
    // Nothing is left beside it but the parse cache.
    let mut beside: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    beside.sort();
    assert_eq!(beside, [".r.db.cache", "r.db"]);

    let other = dir.path().join("notes.sqlite");
    std::fs::write(&other, "not a registry").unwrap();
    let refused = build(&other);
    assert_eq!(refused.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&refused.stderr).contains("not a vanban SQLite registry"));
    assert_eq!(std::fs::read(&other).unwrap(), b"not a registry");

    // `--format sqlite` writes SQLite whatever the name.
    let named = dir.path().join("registry-file");
    let output = Command::new(env!("CARGO_BIN_EXE_vanban"))
        .arg("build")
        .arg(&corpus)
        .args(["--format", "sqlite", "--out"])
        .arg(&named)
        .arg("-q")
        .output()
        .unwrap();
    assert!(output.status.success());
    assert!(std::fs::read(&named)
        .unwrap()
        .starts_with(b"SQLite format 3\0"));
}
