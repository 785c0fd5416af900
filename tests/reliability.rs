//! Reliability under hostile corpora and registries (issue 17): one test per defect, named
//! after what broke. Each builds what the probe built, in a throwaway folder, and checks that
//! vanban answers or refuses with a clear message: no panic, no hang, nothing read or written
//! outside the corpus or the registry.

mod common;

use std::path::Path;
use std::process::{Command, Output};

use vanban::link::{build_documents, trace, BuildOptions, Direction};
use vanban::record::{Citation, Document, Relation};

fn vanban(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_vanban"))
        .args(args)
        .output()
        .expect("vanban runs")
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

fn document(id: &str, cites: &[&str]) -> Document {
    Document {
        id: id.into(),
        doc_type: "Kế hoạch".into(),
        date: Some("2024-01-02".into()),
        subject: format!("Kế hoạch {id}"),
        file: format!("{}.txt", id.replace('/', "_")),
        encoding: "utf-8".into(),
        citations: cites
            .iter()
            .enumerate()
            .map(|(i, cited)| Citation {
                id: (*cited).into(),
                doc_type: "Kế hoạch".into(),
                relation: Relation::Implements,
                path: "preamble".into(),
                line: i as u32 + 1,
                text: format!("Kế hoạch số {cited}"),
                ..Citation::default()
            })
            .collect(),
        ..Document::default()
    }
}

fn build_registry(documents: Vec<Document>, out: &Path) {
    build_documents(documents, out, &common::rules(), &BuildOptions::default())
        .expect("the registry builds");
}

/// Defect 1: `trace` on a chain of 20,000 documents overflowed the stack (exit 134), and
/// its text grew with the square of the depth.
#[test]
fn trace_of_a_twenty_thousand_long_chain_neither_overflows_nor_grows_quadratically() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("reg");
    let n = 20_000;
    let documents = (1..=n)
        .map(|i| {
            let cited = format!("{}/KH-UBND", i - 1);
            let cites: Vec<&str> = if i > 1 { vec![cited.as_str()] } else { vec![] };
            document(&format!("{i}/KH-UBND"), &cites)
        })
        .collect();
    build_registry(documents, &out);
    // In a test thread (2 MB of stack, less than a main thread's 8 MB).
    let up = trace(&out, &format!("{n}/KH-UBND"), None, Direction::Up).unwrap();
    assert_eq!(up.upstream.len(), n - 1);
    assert_eq!(up.upstream.last().unwrap().level, n - 1);
    let out = out.to_str().unwrap();
    for format in ["text", "json", "yaml"] {
        let output = vanban(&[
            "trace",
            &format!("{n}/KH-UBND"),
            "--registry",
            out,
            "--format",
            format,
        ]);
        assert!(output.status.success(), "{format}: {}", stderr(&output));
        // Linear: a few hundred bytes per document, however deep it stands.
        assert!(
            output.stdout.len() < n * 1_000,
            "{format}: {} bytes for {n} documents",
            output.stdout.len()
        );
    }
}

/// A small corpus of two directives citing each other, written under `dir`.
fn small_corpus(dir: &Path) {
    std::fs::create_dir_all(dir).unwrap();
    std::fs::write(
        dir.join("a.txt"),
        "ỦY BAN NHÂN DÂN\nTHÀNH PHỐ HÀ NỘI\nSố: 1/KH-UBND\n\nKẾ HOẠCH\nPhòng, chống dịch\n\nCăn cứ Kế hoạch số 2/KH-UBND ngày 01/01/2024;\n1. Sở Y tế chủ trì thực hiện.\n",
    )
    .unwrap();
    std::fs::write(
        dir.join("b.txt"),
        "ỦY BAN NHÂN DÂN\nTHÀNH PHỐ HÀ NỘI\nSố: 2/KH-UBND\n\nKẾ HOẠCH\nTiêm chủng\n\n1. Sở Tài chính bảo đảm kinh phí.\n",
    )
    .unwrap();
}

/// `rounds` rounds of two builds of one OUT started at once: each builds, or refuses because
/// the other holds the lock (with `--wait` in odd rounds, both build); at least one builds,
/// and nothing but OUT is left beside it.
fn concurrent_builds(rounds: usize) {
    let tmp = tempfile::tempdir().unwrap();
    let corpus = tmp.path().join("corpus");
    small_corpus(&corpus);
    let space = tmp.path().join("space");
    std::fs::create_dir(&space).unwrap();
    let out = space.join("reg");
    for round in 0..rounds {
        let mut args = vec![
            "build",
            corpus.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
            "-q",
        ];
        if round % 2 == 1 {
            args.push("--wait");
        }
        let spawn = || {
            Command::new(env!("CARGO_BIN_EXE_vanban"))
                .args(&args)
                .stdout(std::process::Stdio::null())
                .stderr(std::process::Stdio::piped())
                .spawn()
                .unwrap()
        };
        let (first, second) = (spawn(), spawn());
        let outputs = [
            first.wait_with_output().unwrap(),
            second.wait_with_output().unwrap(),
        ];
        let mut built = 0;
        for output in &outputs {
            if output.status.success() {
                built += 1;
            } else {
                let message = stderr(output);
                assert!(
                    round % 2 == 0 && message.contains("another build of this registry is running"),
                    "round {round}: {:?} {message}",
                    output.status
                );
            }
        }
        assert!(built >= 1, "round {round}: neither build ended well");
        if round % 2 == 1 {
            assert_eq!(built, 2, "round {round}: with --wait both build");
        }
        // The parse cache (`.reg.cache`, beside OUT) is the build's, not a leftover.
        let left: Vec<String> = std::fs::read_dir(&space)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|name| name != ".reg.cache")
            .collect();
        assert_eq!(left, ["reg"], "round {round}: left behind");
        vanban::link::Registry::open(&out).expect("the registry reads");
    }
}

/// Defect 2: the lock was a file whose emptiness counted as stale, so two builds could both
/// take it; concurrent builds failed to rename, left `.N.old-PID` behind, or removed each
/// other's temporary folder.
#[test]
fn two_builds_at_once_into_one_out_both_end_well() {
    concurrent_builds(6);
}

/// Defect 2, the 200 rounds of the issue (a minute or more: `cargo test --release --test
/// reliability -- --ignored`).
#[test]
#[ignore]
fn two_hundred_rounds_of_two_builds_at_once_into_one_out() {
    concurrent_builds(200);
}

/// Defect 2: an empty lock file (what a live builder's lock looked like before it wrote its
/// PID, and what a crash may leave) neither blocks a build nor is taken for a lock.
#[test]
fn an_empty_or_stale_lock_file_does_not_block_a_build() {
    let tmp = tempfile::tempdir().unwrap();
    let corpus = tmp.path().join("corpus");
    small_corpus(&corpus);
    let out = tmp.path().join("reg");
    std::fs::write(tmp.path().join(".reg.lock"), "").unwrap();
    let output = vanban(&[
        "build",
        corpus.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
        "-q",
    ]);
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(!tmp.path().join(".reg.lock").exists());
}

/// Defect 7: a leftover of an interrupted build that cannot be removed blocked every later
/// build (`cannot remove the leftover of an interrupted build: Permission denied`).
#[test]
fn a_leftover_that_cannot_be_removed_is_a_warning() {
    let tmp = tempfile::tempdir().unwrap();
    let corpus = tmp.path().join("corpus");
    small_corpus(&corpus);
    let space = tmp.path().join("space");
    let out = space.join("reg");
    std::fs::create_dir_all(&space).unwrap();
    // A leftover's name on something that is not a folder cannot be removed as one, even by
    // root; for another user, a folder it may not empty does as well.
    std::fs::write(space.join(".reg.old-999999"), "not a folder").unwrap();
    let denied = read_only_leftover(&space.join(".reg.tmp-999998"));
    let output = vanban(&[
        "build",
        corpus.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ]);
    assert!(output.status.success(), "{}", stderr(&output));
    let message = stderr(&output);
    assert!(
        message.contains(".reg.old-999999: cannot remove the previous registry kept aside"),
        "{message}"
    );
    if denied {
        assert!(
            message.contains(".reg.tmp-999998: cannot remove the unfinished registry"),
            "{message}"
        );
        make_writable(&space.join(".reg.tmp-999998"));
    }
    assert!(out.join("index.yaml").is_file());
}

/// A leftover folder this process may not empty; false when it may anyway (root).
#[cfg(unix)]
fn read_only_leftover(dir: &Path) -> bool {
    use std::os::unix::fs::PermissionsExt;
    std::fs::create_dir_all(dir.join("documents")).unwrap();
    std::fs::write(dir.join("documents/x.yaml"), "x").unwrap();
    std::fs::set_permissions(
        dir.join("documents"),
        std::fs::Permissions::from_mode(0o500),
    )
    .unwrap();
    let denied = std::fs::remove_file(dir.join("documents/x.yaml")).is_err();
    if !denied {
        eprintln!(
            "note: running as root, a read-only folder can be emptied; that case is not tested"
        );
        std::fs::remove_dir_all(dir).unwrap();
    }
    denied
}

#[cfg(not(unix))]
fn read_only_leftover(_dir: &Path) -> bool {
    false
}

#[cfg(unix)]
fn make_writable(dir: &Path) {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(
        dir.join("documents"),
        std::fs::Permissions::from_mode(0o700),
    )
    .unwrap();
}

#[cfg(not(unix))]
fn make_writable(_dir: &Path) {}

/// A registry of the small corpus at `dir/reg`, built through the command line.
fn small_registry(dir: &Path) -> std::path::PathBuf {
    let corpus = dir.join("corpus");
    small_corpus(&corpus);
    let out = dir.join("reg");
    let output = vanban(&[
        "build",
        corpus.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
        "-q",
    ]);
    assert!(output.status.success(), "{}", stderr(&output));
    out
}

fn tasks_of(registry: &Path) -> Output {
    vanban(&["tasks", "--registry", registry.to_str().unwrap()])
}

/// Defect 3: a link out of the corpus was followed (`ln -s /etc/passwd c/passwd` put the
/// password file into the registry); files without an extension were read as text.
#[cfg(unix)]
#[test]
fn links_out_of_the_corpus_are_not_followed_and_files_without_extension_not_read() {
    let tmp = tempfile::tempdir().unwrap();
    let corpus = tmp.path().join("corpus");
    small_corpus(&corpus);
    let secret = tmp.path().join("secret.txt");
    std::fs::write(&secret, "Số: 9/KH-UBND\nroot:x:0:0:secret\n").unwrap();
    std::os::unix::fs::symlink(&secret, corpus.join("passwd.txt")).unwrap();
    std::os::unix::fs::symlink(tmp.path(), corpus.join("up")).unwrap();
    std::os::unix::fs::symlink(corpus.join("a.txt"), corpus.join("inside.txt")).unwrap();
    std::fs::write(corpus.join("NOTES"), "Số: 10/KH-UBND\n").unwrap();
    let out = tmp.path().join("reg");
    let output = vanban(&[
        "build",
        corpus.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ]);
    let message = stderr(&output);
    assert_eq!(output.status.code(), Some(1), "{message}");
    assert!(
        message.contains("passwd.txt: a link to")
            && message.contains("outside the corpus folder: not followed"),
        "{message}"
    );
    assert!(message.contains("up: a link to"), "{message}");
    assert!(message.contains("NOTES: no extension"), "{message}");
    let mut all = String::new();
    for entry in std::fs::read_dir(out.join("documents")).unwrap() {
        all.push_str(&std::fs::read_to_string(entry.unwrap().path()).unwrap());
    }
    assert!(
        !all.contains("secret") && !all.contains("10/KH-UBND"),
        "{all}"
    );
    // A link inside the corpus is read.
    assert_eq!(std::fs::read_dir(out.join("documents")).unwrap().count(), 3);
}

/// Defect 4: registry readers read whatever path the index gave (`/etc/passwd`, `../..`,
/// `/dev/zero`, a FIFO that hangs).
#[cfg(unix)]
#[test]
fn registry_paths_must_be_regular_files_inside_the_registry() {
    let tmp = tempfile::tempdir().unwrap();
    let reg = small_registry(tmp.path());
    let index = std::fs::read_to_string(reg.join("index.yaml")).unwrap();
    let agency = index
        .lines()
        .find_map(|l| l.trim().strip_prefix("record: agencies/"))
        .expect("an agency record")
        .to_string();
    for (path, expected) in [
        ("/etc/passwd", "not inside the registry"),
        ("../../../../../etc/passwd", "not inside the registry"),
        (
            "agencies/zero.yaml",
            "a link to /dev/zero, outside the registry",
        ),
        ("agencies", "not a regular file"),
        ("agencies/fifo.yaml", "not a regular file"),
        ("agencies/out.yaml", "outside the registry"),
    ] {
        std::os::unix::fs::symlink("/dev/zero", reg.join("agencies/zero.yaml")).ok();
        std::os::unix::fs::symlink("/etc/passwd", reg.join("agencies/out.yaml")).ok();
        if !reg.join("agencies/fifo.yaml").exists() {
            let made = Command::new("mkfifo")
                .arg(reg.join("agencies/fifo.yaml"))
                .status();
            if !made.is_ok_and(|s| s.success()) {
                eprintln!("note: no mkfifo; the FIFO case is not tested");
                continue;
            }
        }
        let edited = index.replace(
            &format!("record: agencies/{agency}"),
            &format!("record: {path}"),
        );
        std::fs::write(reg.join("index.yaml"), edited).unwrap();
        let output = tasks_of(&reg);
        assert_eq!(output.status.code(), Some(2), "{path}");
        assert!(
            stderr(&output).contains(expected),
            "{path}: {}",
            stderr(&output)
        );
        assert!(
            !String::from_utf8_lossy(&output.stdout).contains("root:"),
            "{path}"
        );
    }
}

/// Defect 5: `--max-bytes` was checked against metadata only: `/dev/zero` grew without bound.
#[cfg(unix)]
#[test]
fn max_bytes_bounds_devices_and_pipes() {
    let output = vanban(&["parse", "/dev/zero", "--max-bytes", "1000"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("/dev/zero: larger than the limit of 1000 bytes"),
        "{}",
        stderr(&output)
    );
    // A pipe on standard input, longer than the limit and never ending.
    let mut child = Command::new(env!("CARGO_BIN_EXE_vanban"))
        .args(["parse", "-", "--max-bytes", "1000"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let writer = std::thread::spawn(move || {
        use std::io::Write;
        let block = [b'a'; 4096];
        // Ends when vanban closes the pipe; bounded in case it never does.
        for _ in 0..100_000 {
            if stdin.write_all(&block).is_err() {
                return true;
            }
        }
        false
    });
    let output = child.wait_with_output().unwrap();
    assert!(writer.join().unwrap(), "vanban read 400 MB of a pipe");
    assert!(
        stderr(&output).contains("-: larger than the limit of 1000 bytes"),
        "{}",
        stderr(&output)
    );
}

/// Defect 8: one unreadable subfolder (`lost+found`) aborted the whole build.
#[cfg(unix)]
#[test]
fn an_unreadable_subfolder_is_skipped_and_named() {
    use std::os::unix::fs::PermissionsExt;
    let tmp = tempfile::tempdir().unwrap();
    let corpus = tmp.path().join("corpus");
    small_corpus(&corpus);
    let lost = corpus.join("lost+found");
    std::fs::create_dir(&lost).unwrap();
    std::fs::write(lost.join("x.txt"), "x").unwrap();
    std::fs::set_permissions(&lost, std::fs::Permissions::from_mode(0o000)).unwrap();
    if std::fs::read_dir(&lost).is_ok() {
        std::fs::set_permissions(&lost, std::fs::Permissions::from_mode(0o700)).unwrap();
        eprintln!("note: running as root, every folder is readable; defect 8 is not tested here");
        return;
    }
    let out = tmp.path().join("reg");
    let output = vanban(&[
        "build",
        corpus.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ]);
    std::fs::set_permissions(&lost, std::fs::Permissions::from_mode(0o700)).unwrap();
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    assert!(
        stderr(&output).contains("lost+found: cannot read folder"),
        "{}",
        stderr(&output)
    );
    assert!(out.join("index.yaml").is_file());
}

/// Defect 9: the registry's `version` was never checked.
#[test]
fn a_registry_of_another_version_is_refused_with_both_versions() {
    let tmp = tempfile::tempdir().unwrap();
    let reg = small_registry(tmp.path());
    let index = std::fs::read_to_string(reg.join("index.yaml")).unwrap();
    let ours = vanban::link::registry::REGISTRY_VERSION;
    for other in ["1", "99", "'drei'"] {
        let edited = index.replacen(&format!("version: {ours}"), &format!("version: {other}"), 1);
        std::fs::write(reg.join("index.yaml"), edited).unwrap();
        let output = tasks_of(&reg);
        assert_eq!(output.status.code(), Some(2));
        let shown = other.trim_matches('\'');
        assert!(
            stderr(&output).contains(&format!(
                "registry version {shown} is not supported; this vanban reads {ours}"
            )),
            "{}",
            stderr(&output)
        );
    }
}

/// Defect 10: an agency file cut in half was read, and `tasks` listed half its tasks with
/// exit 0; the index had no digests.
#[test]
fn a_truncated_agency_file_is_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let reg = small_registry(tmp.path());
    let agency = std::fs::read_dir(reg.join("agencies"))
        .unwrap()
        .next()
        .unwrap()
        .unwrap()
        .path();
    let text = std::fs::read_to_string(&agency).unwrap();
    // Cut at a line boundary, so that what is left is still valid YAML.
    let half: String = text
        .lines()
        .take(text.lines().count() / 2)
        .map(|l| format!("{l}\n"))
        .collect();
    std::fs::write(&agency, half).unwrap();
    let output = tasks_of(&reg);
    assert_eq!(
        output.status.code(),
        Some(2),
        "{}",
        String::from_utf8_lossy(&output.stdout)
    );
    assert!(
        stderr(&output).contains("does not agree with the index"),
        "{}",
        stderr(&output)
    );
    // Its digest fixed up by hand, the counts still tell.
    let index = std::fs::read_to_string(reg.join("index.yaml")).unwrap();
    let name = format!("agencies/{}", agency.file_name().unwrap().to_string_lossy());
    let bytes = std::fs::read(&agency).unwrap();
    let fixed: String = index
        .lines()
        .map(|l| match l.trim().strip_prefix(&format!("{name}: ")) {
            Some(_) => format!("  {name}: {}\n", vanban::digest::sha256_hex(&bytes)),
            None => format!("{l}\n"),
        })
        .collect();
    std::fs::write(reg.join("index.yaml"), fixed).unwrap();
    let output = tasks_of(&reg);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("the index counts"),
        "{}",
        stderr(&output)
    );
}

/// Defect 11: dangling links, FIFOs and devices in a corpus were skipped without a word.
#[cfg(unix)]
#[test]
fn unusable_corpus_entries_are_each_named() {
    let tmp = tempfile::tempdir().unwrap();
    let corpus = tmp.path().join("corpus");
    small_corpus(&corpus);
    std::os::unix::fs::symlink(corpus.join("gone.txt"), corpus.join("dangling.txt")).unwrap();
    let fifo = Command::new("mkfifo")
        .arg(corpus.join("pipe.txt"))
        .status()
        .is_ok_and(|s| s.success());
    let out = tmp.path().join("reg");
    let output = vanban(&[
        "build",
        corpus.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ]);
    let message = stderr(&output);
    assert_eq!(output.status.code(), Some(1), "{message}");
    assert!(
        message.contains("dangling.txt: a link to nothing"),
        "{message}"
    );
    if fifo {
        assert!(
            message.contains("pipe.txt: a FIFO (named pipe): not read"),
            "{message}"
        );
    } else {
        eprintln!("note: no mkfifo; the FIFO case is not tested");
    }
    let index = std::fs::read_to_string(out.join("index.yaml")).unwrap();
    assert!(index.contains("file: dangling.txt"), "{index}");
}

/// Defect 12: 100,000 `[` in a registry file took 20 s before the error.
#[test]
fn deeply_nested_yaml_in_a_registry_is_refused_at_once() {
    let tmp = tempfile::tempdir().unwrap();
    let reg = small_registry(tmp.path());
    let ours = vanban::link::registry::REGISTRY_VERSION;
    let nested = format!(
        "registry: vanban\nversion: {ours}\nfiles: {}\n",
        "[".repeat(100_000)
    );
    std::fs::write(reg.join("index.yaml"), nested).unwrap();
    let started = std::time::Instant::now();
    let output = tasks_of(&reg);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("nested more than"),
        "{}",
        stderr(&output)
    );
    // Generous: the error takes milliseconds; the quadratic parse took 20 s.
    assert!(started.elapsed().as_secs() < 10, "{:?}", started.elapsed());
}

/// Defect 13: every I/O error was printed twice (`… (os error 13): Permission denied (os error
/// 13)`): the library put the operating system's error in its message and in its chain.
#[test]
fn an_io_error_is_printed_once() {
    let tmp = tempfile::tempdir().unwrap();
    let reg = small_registry(tmp.path());
    std::fs::remove_file(reg.join("citations.yaml")).unwrap();
    let error = vanban::link::Registry::open(&reg).unwrap_err();
    let chained = format!("{:#}", anyhow::Error::from(error));
    assert_eq!(chained.matches("os error").count(), 1, "{chained}");
    let output = vanban(&["trace", "1/KH-UBND", "--registry", reg.to_str().unwrap()]);
    assert_eq!(
        stderr(&output).matches("os error").count(),
        1,
        "{}",
        stderr(&output)
    );
    let missing = tmp.path().join("none.txt");
    let error = vanban::parse_path(&missing, &common::rules(), &vanban::ParseOptions::default())
        .unwrap_err();
    assert_eq!(
        format!("{:#}", anyhow::Error::from(error))
            .matches("none.txt")
            .count(),
        1
    );
}

mod random_corpora {
    use super::*;
    use proptest::prelude::*;
    use std::collections::HashSet;

    /// Up to 12 documents; each cites up to 5 of the ids `1/KH-UBND` to `14/KH-UBND`
    /// (some outside the corpus, itself sometimes), each possibly twice.
    fn corpus() -> impl Strategy<Value = Vec<Vec<usize>>> {
        prop::collection::vec(prop::collection::vec(1usize..=14, 0..6), 1..12)
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

        /// Build, then trace every id both ways: no panic, and every citation a trace shows
        /// is an edge of the citation graph.
        #[test]
        fn every_trace_edge_is_a_citation(cites in corpus()) {
            let tmp = tempfile::tempdir().unwrap();
            let out = tmp.path().join("reg");
            let ids: Vec<String> = (1..=cites.len()).map(|i| format!("{i}/KH-UBND")).collect();
            let documents = cites
                .iter()
                .zip(&ids)
                .map(|(cited, id)| {
                    let cited: Vec<String> = cited.iter().map(|c| format!("{c}/KH-UBND")).collect();
                    let cited: Vec<&str> = cited.iter().map(String::as_str).collect();
                    document(id, &cited)
                })
                .collect();
            build_registry(documents, &out);
            let registry = vanban::link::Registry::open(&out).unwrap();
            let edges: HashSet<(String, String, String, u32)> = registry
                .citations
                .edges
                .iter()
                .map(|e| (e.from_key.clone(), e.to_key.clone(), e.path.clone(), e.line))
                .collect();
            let mut all_ids: Vec<String> = registry.citations.nodes.iter().map(|n| n.id.clone()).collect();
            all_ids.dedup();
            for id in &all_ids {
                for depth in [None, Some(1)] {
                    let found = vanban::link::trace_in(&registry, id, depth, Direction::Both).unwrap();
                    for (list, up) in [(&found.upstream, true), (&found.downstream, false)] {
                        for (i, branch) in list.iter().enumerate() {
                            prop_assert!(branch.parent.is_none_or(|p| p < i), "parent after child");
                            prop_assert!(depth.is_none_or(|d| branch.level <= d));
                            let above = match branch.parent {
                                Some(p) => list[p].key.clone(),
                                None => found.key.clone(),
                            };
                            prop_assert!(!branch.citations.is_empty());
                            for c in &branch.citations {
                                let edge = (c.from_key.clone(), c.to_key.clone(), c.path.clone(), c.line);
                                prop_assert!(edges.contains(&edge), "{edge:?} is not in citations");
                                let (from, to) = if up { (&above, &branch.key) } else { (&branch.key, &above) };
                                prop_assert_eq!((&c.from_key, &c.to_key), (from, to));
                            }
                        }
                    }
                    let _ = vanban::link::render_trace_text(&found);
                }
            }
        }
    }
}
