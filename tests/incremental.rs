//! Incremental builds: the parse cache beside the registry changes nothing in the output.
//! Built twice, a registry is byte for byte the same; with one file edited, the rebuild
//! equals a clean build of the edited folder; a damaged cache is ignored with a warning.

mod common;

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// Every file under `dir` (or the file itself), relative path → bytes.
fn contents(path: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut files = BTreeMap::new();
    if path.is_file() {
        files.insert(String::new(), fs::read(path).unwrap());
        return files;
    }
    let mut stack = vec![path.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in fs::read_dir(&dir).unwrap() {
            let entry = entry.unwrap().path();
            if entry.is_dir() {
                stack.push(entry);
            } else {
                let rel = entry.strip_prefix(path).unwrap().display().to_string();
                files.insert(rel, fs::read(&entry).unwrap());
            }
        }
    }
    files
}

fn build(input: &Path, out: &Path) -> Output {
    build_with(None, input, out)
}

/// `vanban [--rules RULES] build INPUT --out OUT -q`, which must succeed.
fn build_with(rules: Option<&Path>, input: &Path, out: &Path) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_vanban"));
    if let Some(rules) = rules {
        command.arg("--rules").arg(rules);
    }
    let output = command
        .arg("build")
        .arg(input)
        .arg("--out")
        .arg(out)
        .arg("-q")
        .output()
        .expect("vanban runs");
    assert!(
        output.status.success(),
        "build failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    output
}

/// A copy of the bundled corpus to edit.
fn corpus_copy(dir: &Path) -> PathBuf {
    let copy = dir.join("corpus");
    fs::create_dir(&copy).unwrap();
    for entry in fs::read_dir(common::root().join("corpus")).unwrap() {
        let entry = entry.unwrap();
        if entry.path().is_file() {
            fs::copy(entry.path(), copy.join(entry.file_name())).unwrap();
        }
    }
    copy
}

/// The first file of the corpus with an obligation-bearing line to change.
fn edit_one_file(corpus: &Path) -> PathBuf {
    let mut files: Vec<PathBuf> = fs::read_dir(corpus)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .collect();
    files.sort();
    let file = files.first().expect("a .txt file in the corpus").clone();
    let text = fs::read_to_string(&file).unwrap();
    let mut lines: Vec<&str> = text.lines().collect();
    let middle = lines.len() / 2;
    lines.insert(
        middle,
        "- Sở Tư pháp chủ trì rà soát văn bản, hoàn thành trước ngày 30/9/2025.",
    );
    let edited = lines.join("\n") + "\n";
    fs::write(&file, edited).unwrap();
    file
}

fn check(name: &str) {
    let dir = tempfile::tempdir().unwrap();
    let corpus = corpus_copy(dir.path());
    let out = dir.path().join(name);
    build(&corpus, &out);
    let cache = dir.path().join(format!(".{name}.cache"));
    assert!(cache.is_file(), "the parse cache is beside the registry");
    let first = contents(&out);
    build(&corpus, &out);
    assert!(
        contents(&out) == first,
        "{name}: a rebuild from the cache differs"
    );

    edit_one_file(&corpus);
    build(&corpus, &out);
    let clean_dir = tempfile::tempdir().unwrap();
    let clean = clean_dir.path().join(name);
    build(&corpus, &clean);
    let rebuilt = contents(&out);
    assert!(rebuilt != first, "{name}: the edit changed nothing");
    assert!(
        rebuilt == contents(&clean),
        "{name}: a rebuild after an edit differs from a clean build"
    );

    // A damaged cache: a warning, and the same registry.
    let mut bytes = fs::read(&cache).unwrap();
    let half = bytes.len() / 2;
    bytes.truncate(half);
    bytes[..16].copy_from_slice(b"not a database!!");
    fs::write(&cache, bytes).unwrap();
    let output = build(&corpus, &out);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("warning:") && stderr.contains("parse cache"),
        "no warning about the damaged cache: {stderr}"
    );
    assert!(
        contents(&out) == rebuilt,
        "{name}: a damaged cache changed the output"
    );
    // It was written anew: the next build has no warning.
    let output = build(&corpus, &out);
    assert!(!String::from_utf8_lossy(&output.stderr).contains("warning:"));
}

#[test]
fn a_folder_registry_rebuilt_from_the_cache_is_byte_identical() {
    check("registry");
}

#[test]
fn an_sqlite_registry_rebuilt_from_the_cache_is_byte_identical() {
    check("registry.sqlite");
}

#[test]
fn a_change_of_rules_parses_again() {
    let dir = tempfile::tempdir().unwrap();
    let corpus = corpus_copy(dir.path());
    let out = dir.path().join("registry");
    build(&corpus, &out);
    let before = contents(&out);
    // Rules that no longer know Sở Y tế's alias change what documents parse to.
    let rules = dir.path().join("rules");
    fs::create_dir(&rules).unwrap();
    let agencies = fs::read_to_string(common::root().join("rules/agencies.yaml")).unwrap();
    fs::write(
        rules.join("agencies.yaml"),
        agencies.replacen("Sở Y tế", "Sở Y tế (đổi tên)", 1),
    )
    .unwrap();
    build_with(Some(&rules), &corpus, &out);
    let clean_dir = tempfile::tempdir().unwrap();
    let clean = clean_dir.path().join("registry");
    build_with(Some(&rules), &corpus, &clean);
    let after = contents(&out);
    assert!(after != before, "the edited rules changed nothing");
    assert!(after == contents(&clean), "a stale cache entry was used");
}

#[test]
fn an_unchanged_file_is_not_parsed_again() {
    let dir = tempfile::tempdir().unwrap();
    let corpus = corpus_copy(dir.path());
    let out = dir.path().join("registry");
    let rules = common::rules();
    let options = vanban::link::BuildOptions::default();
    let first = vanban::link::build(&corpus, &out, &rules, &options).unwrap();
    assert_eq!(first.cached, 0, "nothing is cached before the first build");
    let again = vanban::link::build(&corpus, &out, &rules, &options).unwrap();
    assert!(again.documents > 0);
    assert_eq!(again.cached, again.documents, "every file from the cache");
    edit_one_file(&corpus);
    let edited = vanban::link::build(&corpus, &out, &rules, &options).unwrap();
    assert_eq!(
        edited.cached,
        edited.documents - 1,
        "only the edited file parsed"
    );
}

/// Gives every file under `dir` a second name under `keep`, the same folders (hard links:
/// the same files, not copies).
fn link_tree(dir: &Path, keep: &Path) {
    for (rel, _) in contents(dir) {
        let target = keep.join(&rel);
        fs::create_dir_all(target.parent().unwrap()).unwrap();
        fs::hard_link(dir.join(&rel), target).unwrap();
    }
}

#[cfg(unix)]
fn same_file(a: &Path, b: &Path) -> bool {
    use std::os::unix::fs::MetadataExt;
    let (a, b) = (fs::metadata(a).unwrap(), fs::metadata(b).unwrap());
    (a.dev(), a.ino()) == (b.dev(), b.ino())
}

/// A rebuild links the files that did not change from the registry it replaces, and never
/// writes into a file in place: each file of the previous registry, held by a second name,
/// still has its bytes after the rebuild, so nothing that edits the old files could reach the
/// new registry through a write of vanban's, and the old registry itself is gone.
#[test]
fn a_rebuild_after_one_edit_links_unchanged_files_and_writes_into_none() {
    let dir = tempfile::tempdir().unwrap();
    let corpus = corpus_copy(dir.path());
    let out = dir.path().join("registry");
    build(&corpus, &out);
    let keep = dir.path().join("kept");
    link_tree(&out, &keep);
    let kept = contents(&keep);
    edit_one_file(&corpus);
    build(&corpus, &out);

    let clean_dir = tempfile::tempdir().unwrap();
    let clean = clean_dir.path().join("registry");
    build(&corpus, &clean);
    let rebuilt = contents(&out);
    assert!(rebuilt != kept, "the edit changed nothing");
    assert!(
        rebuilt == contents(&clean),
        "a rebuild after an edit differs from a clean build"
    );
    assert!(
        contents(&keep) == kept,
        "the rebuild wrote into a file of the previous registry"
    );
    let leftovers: Vec<String> = fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains(".registry.old-") || n.contains(".registry.tmp-"))
        .collect();
    assert!(leftovers.is_empty(), "left beside OUT: {leftovers:?}");

    #[cfg(unix)]
    {
        let (linked, changed): (Vec<&String>, Vec<&String>) = rebuilt
            .keys()
            .filter(|rel| kept.contains_key(*rel))
            .partition(|rel| same_file(&out.join(rel), &keep.join(rel)));
        assert!(
            linked.iter().all(|rel| rebuilt[*rel] == kept[*rel]),
            "a linked file whose bytes changed"
        );
        assert!(
            changed.iter().all(|rel| rebuilt[*rel] != kept[*rel]),
            "an unchanged file written again instead of linked: {changed:?}"
        );
        assert!(changed.iter().any(|rel| rel.starts_with("index.")));
        assert!(
            linked.len() > changed.len(),
            "few files linked: {changed:?}"
        );
    }
}

/// The cache says which bytes a record file (or an agency file, or the citation graph) had
/// when it was written; a rebuild links the previous registry's file only when it still has
/// them. A file edited or removed in the registry since, or a registry written in another
/// format, is written again (a record from the cache): the rebuild equals a clean build, and
/// nothing is parsed again.
#[test]
fn a_record_file_changed_since_it_was_written_is_written_again_not_linked() {
    let dir = tempfile::tempdir().unwrap();
    let corpus = corpus_copy(dir.path());
    let out = dir.path().join("registry");
    // Built by the library throughout: the cache is of the vanban that wrote it.
    let rules = common::rules();
    let options = vanban::link::BuildOptions::default();
    vanban::link::build(&corpus, &out, &rules, &options).unwrap();
    let clean_dir = tempfile::tempdir().unwrap();
    let clean = clean_dir.path().join("registry");
    vanban::link::build(&corpus, &clean, &rules, &options).unwrap();
    let expected = contents(&clean);

    let mut records: Vec<PathBuf> = fs::read_dir(out.join("documents"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    records.sort();
    assert!(records.len() >= 2, "the corpus has at least two records");
    // Replaced (not written into: the file may be shared), and removed.
    fs::remove_file(&records[0]).unwrap();
    fs::write(&records[0], b"id: edited by hand\n").unwrap();
    fs::remove_file(&records[1]).unwrap();
    // And the files made from the whole corpus: an agency's, and the citation graph.
    let agency = fs::read_dir(out.join("agencies"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .min()
        .expect("the corpus has an agency");
    for made in [agency, out.join("citations.yaml")] {
        fs::remove_file(&made).unwrap();
        fs::write(&made, b"edited: by hand\n").unwrap();
    }
    let report = vanban::link::build(&corpus, &out, &rules, &options).unwrap();
    assert_eq!(report.cached, report.documents, "nothing parsed again");
    assert!(report.warnings.is_empty(), "{:?}", report.warnings);
    assert!(
        contents(&out) == expected,
        "a rebuild over edited record files differs from a clean build"
    );

    let json = vanban::link::BuildOptions {
        format: vanban::link::Format::Json,
        ..Default::default()
    };
    let report = vanban::link::build(&corpus, &out, &rules, &json).unwrap();
    assert_eq!(report.cached, report.documents, "nothing parsed again");
    let clean_json = clean_dir.path().join("registry-json");
    vanban::link::build(&corpus, &clean_json, &rules, &json).unwrap();
    assert!(
        contents(&out) == contents(&clean_json),
        "a JSON rebuild over a YAML registry differs from a clean JSON build"
    );
}

/// Two files of one document (the same number and date, different bytes) get keys that
/// the whole corpus decides, not the ones their records are first written with; a rebuild
/// places their cached records once those are known (linked when unchanged), and equals a
/// clean build, before and after an edit that makes one of them unique again.
#[test]
fn records_whose_key_the_corpus_decides_are_rebuilt_from_the_cache() {
    let dir = tempfile::tempdir().unwrap();
    let corpus = corpus_copy(dir.path());
    let original = edit_one_file(&corpus);
    let text = fs::read_to_string(&original).unwrap();
    let twin = corpus.join("twin-of-an-edited-file.txt");
    fs::write(&twin, format!("{text}\nMột dòng thêm ở cuối bản sao.\n")).unwrap();
    let out = dir.path().join("registry");
    let rules = common::rules();
    let options = vanban::link::BuildOptions::default();
    vanban::link::build(&corpus, &out, &rules, &options).unwrap();
    let first = contents(&out);
    // Their ids make the same file name: each record is named after its key instead.
    let named_by_key = first
        .keys()
        .filter(|rel| rel.starts_with("documents/") && rel.contains('~'))
        .count();
    assert!(named_by_key >= 2, "the twins' records: {:?}", first.keys());
    let report = vanban::link::build(&corpus, &out, &rules, &options).unwrap();
    assert_eq!(report.cached, report.documents, "nothing parsed again");
    assert!(contents(&out) == first, "a rebuild from the cache differs");

    fs::write(&twin, "Một văn bản khác hẳn, không số, không ngày.\n").unwrap();
    vanban::link::build(&corpus, &out, &rules, &options).unwrap();
    let clean_dir = tempfile::tempdir().unwrap();
    let clean = clean_dir.path().join("registry");
    vanban::link::build(&corpus, &clean, &rules, &options).unwrap();
    assert!(
        contents(&out) == contents(&clean),
        "a rebuild after the twin changed differs from a clean build"
    );
}
