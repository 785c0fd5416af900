//! `vanban build DIR --out OUT`: parse a folder in parallel and write the registry safely.
//!
//! # How OUT is replaced
//!
//! A directory cannot be swapped atomically with plain renames, so the build works in steps
//! that each leave a state a later build (or reader) can recognise and finish. With `P` the
//! parent of OUT, `N` its name and `PID` the builder's process id:
//!
//! 1. take the lock `P/.N.lock` (created exclusively; holds the PID; a lock whose process
//!    is gone is stale and taken over);
//! 2. recover from an earlier build that was killed (see below);
//! 3. write the whole new registry into `P/.N.tmp-PID`, `fsync` every file and folder,
//!    the index last;
//! 4. if OUT exists: rename OUT → `P/.N.old-PID`, `fsync` P;
//! 5. rename `P/.N.tmp-PID` → OUT, `fsync` P;
//! 6. remove `P/.N.old-PID`, then the lock.
//!
//! A kill -9 before step 5 leaves the old registry untouched at OUT (before 4) or whole at
//! `.N.old-PID` (between 4 and 5, the only window in which OUT is absent); after step 5 the
//! new registry is whole at OUT. Recovery, at the start of every build: when OUT is absent
//! and a `.N.old-*` with an index exists, it is renamed back to OUT (the old registry
//! returns; the new one of the killed build was never complete at OUT); then every other
//! `.N.tmp-*` and `.N.old-*` is removed. Readers ([`super::Registry::open`]) that find OUT
//! absent read the `.N.old-*` in place without moving anything, so even the window of
//! step 4–5 shows the old registry to `trace`, `graph` and `tasks`.

use std::fs::{self, File};
use std::io::Write;
use std::path::{Path, PathBuf};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use rayon::prelude::*;

pub use super::registry::Format;
use super::registry::{assemble, index_file, Registry, Skipped};
use crate::pipeline::Rules;
use crate::record::Document;
use crate::ParseOptions;

/// How `build` runs.
#[derive(Debug, Clone, Default)]
pub struct BuildOptions {
    /// `yaml` (default) or `json` files.
    pub format: Format,
    /// Draw a progress bar on stderr (main sets it when stderr is a terminal).
    pub progress: bool,
    /// How each input file is read.
    pub parse: ParseOptions,
}

/// What a build did; `main` exits 1 when `skipped` is not empty.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct BuildReport {
    /// Documents written to the registry.
    pub documents: usize,
    /// `FILE: reason`, one per input that could not be parsed.
    pub skipped: Vec<String>,
    /// `FILE:LINE: code: message`, problems across documents (also in the index).
    pub diagnostics: Vec<String>,
    /// Agencies of obligations not in `rules/agencies.yaml`, each once.
    pub unknown_agencies: Vec<String>,
    /// Laws cited by a name not in `rules/laws.yaml`, each once.
    pub unlisted_laws: Vec<String>,
    pub agencies: usize,
    /// Citation edges in the graph.
    pub citations: usize,
    /// What the build did besides building: a registry recovered from an interrupted build.
    pub notes: Vec<String>,
}

impl BuildReport {
    /// One line for the end of `vanban build`.
    pub fn summary(&self, out: &Path) -> String {
        let mut line = format!(
            "{}: {} documents, {} agencies, {} citations",
            out.display(),
            self.documents,
            self.agencies,
            self.citations
        );
        if !self.diagnostics.is_empty() {
            line.push_str(&format!(", {} diagnostics", self.diagnostics.len()));
        }
        if !self.unknown_agencies.is_empty() {
            line.push_str(&format!(
                ", {} unknown agencies",
                self.unknown_agencies.len()
            ));
        }
        if !self.unlisted_laws.is_empty() {
            line.push_str(&format!(
                ", {} unlisted law names",
                self.unlisted_laws.len()
            ));
        }
        if !self.skipped.is_empty() {
            line.push_str(&format!("; {} files skipped", self.skipped.len()));
        }
        line
    }
}

/// Why a build wrote nothing (the registry at OUT, if any, is left as it was).
#[derive(Debug, thiserror::Error)]
pub enum BuildError {
    #[error("{dir}: no such folder")]
    InputMissing { dir: String },
    #[error("{out}: exists and is not a vanban registry (no index.yaml or index.json); refusing to overwrite it: choose another --out, or remove it yourself")]
    NotARegistry { out: String },
    #[error("{out}: cannot be the registry folder: {reason}")]
    BadOut { out: String, reason: String },
    #[error("{lock}: another build of this registry is running (pid {pid}); wait for it, or remove the lock file if that process is gone")]
    Locked { lock: String, pid: String },
    #[error("{path}: cannot {action}: {source}")]
    Io {
        path: String,
        action: &'static str,
        source: std::io::Error,
    },
    #[error("cannot write {what}: {message}")]
    Serialise { what: String, message: String },
}

fn io(path: &Path, action: &'static str) -> impl FnOnce(std::io::Error) -> BuildError {
    let path = path.display().to_string();
    move |source| BuildError::Io {
        path,
        action,
        source,
    }
}

/// Parses every document under `input` and writes the registry at `out`.
///
/// Files: `.txt`, `.md` (any case) and files without extension, recursively, hidden files
/// and folders skipped, in sorted order of their path relative to `input` (which is what
/// the records and the index store). A file that cannot be used is listed in
/// [`BuildReport::skipped`] and the others are built.
pub fn build(
    input: &Path,
    out: &Path,
    rules: &Rules,
    options: &BuildOptions,
) -> Result<BuildReport, BuildError> {
    let meta = fs::metadata(input).map_err(|_| BuildError::InputMissing {
        dir: input.display().to_string(),
    })?;
    let target = OutPaths::new(out)?;
    let _lock = Lock::acquire(&target)?;
    let notes = recover(&target)?;
    target.check_replaceable()?;

    let files = if meta.is_dir() {
        let skip = fs::canonicalize(out).ok();
        collect_files(input, skip.as_deref())?
    } else {
        // One file: its name is its path relative to the "folder".
        let name = input
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        vec![(input.to_path_buf(), name)]
    };

    let bar = progress_bar(options.progress, files.len());
    let results: Vec<Result<Document, Skipped>> = files
        .par_iter()
        .map(|(path, rel)| {
            let result = parse_one(path, rel, rules, &options.parse);
            bar.inc(1);
            result
        })
        .collect();
    bar.finish_and_clear();

    let mut documents = Vec::new();
    let mut skipped = Vec::new();
    let mut skipped_lines = Vec::new();
    for ((path, _), result) in files.iter().zip(results) {
        match result {
            Ok(doc) => documents.push(doc),
            Err(skip) => {
                skipped_lines.push(format!("{}: {}", path.display(), skip.reason));
                skipped.push(skip);
            }
        }
    }
    let registry = assemble(documents, skipped, rules, options.format);
    let mut report = write(&registry, &target)?;
    report.skipped = skipped_lines;
    report.notes = notes;
    Ok(report)
}

/// Writes the registry of documents already parsed (their `file` as it should be stored),
/// with the same safety as [`build`]. For tests and for callers that parse themselves.
pub fn build_documents(
    documents: Vec<Document>,
    out: &Path,
    rules: &Rules,
    options: &BuildOptions,
) -> Result<BuildReport, BuildError> {
    let target = OutPaths::new(out)?;
    let _lock = Lock::acquire(&target)?;
    let notes = recover(&target)?;
    target.check_replaceable()?;
    let registry = assemble(documents, Vec::new(), rules, options.format);
    let mut report = write(&registry, &target)?;
    report.notes = notes;
    Ok(report)
}

fn parse_one(
    path: &Path,
    rel: &str,
    rules: &Rules,
    options: &ParseOptions,
) -> Result<Document, Skipped> {
    let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        crate::parse_path(path, rules, options)
    }));
    match outcome {
        Ok(Ok(mut doc)) => {
            doc.file = rel.to_string();
            Ok(doc)
        }
        Ok(Err(error)) => {
            let message = error.to_string();
            let prefix = format!("{}: ", path.display());
            let reason = message
                .strip_prefix(&prefix)
                .unwrap_or(&message)
                .to_string();
            Err(Skipped {
                file: rel.to_string(),
                reason,
            })
        }
        Err(panic) => {
            let what = panic
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| panic.downcast_ref::<String>().cloned())
                .unwrap_or_default();
            Err(Skipped {
                file: rel.to_string(),
                reason: format!("internal error while parsing (please report): {what}"),
            })
        }
    }
}

fn progress_bar(enabled: bool, len: usize) -> ProgressBar {
    if !enabled {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::with_draw_target(Some(len as u64), ProgressDrawTarget::stderr());
    if let Ok(style) = ProgressStyle::with_template("parsing {bar:40} {pos}/{len} [{elapsed}]") {
        bar.set_style(style);
    }
    bar
}

/// The document files under `dir`, sorted by relative path (`/`-separated).
fn collect_files(dir: &Path, skip: Option<&Path>) -> Result<Vec<(PathBuf, String)>, BuildError> {
    let mut files = Vec::new();
    let mut stack = vec![(dir.to_path_buf(), String::new())];
    while let Some((folder, prefix)) = stack.pop() {
        let entries = fs::read_dir(&folder).map_err(io(&folder, "read folder"))?;
        for entry in entries {
            let entry = entry.map_err(io(&folder, "read folder"))?;
            let name = entry.file_name().to_string_lossy().into_owned();
            if name.starts_with('.') {
                continue;
            }
            let path = entry.path();
            let rel = if prefix.is_empty() {
                name.clone()
            } else {
                format!("{prefix}/{name}")
            };
            let Ok(kind) = entry.file_type() else {
                continue;
            };
            if kind.is_dir() {
                if skip.is_some_and(|s| fs::canonicalize(&path).ok().as_deref() == Some(s)) {
                    continue;
                }
                stack.push((path, rel));
            } else if kind.is_file() || (kind.is_symlink() && path.is_file()) {
                let wanted = match Path::new(&name).extension() {
                    None => true,
                    Some(ext) => {
                        let ext = ext.to_string_lossy().to_ascii_lowercase();
                        ext == "txt" || ext == "md"
                    }
                };
                if wanted {
                    files.push((path, rel));
                }
            }
        }
    }
    files.sort_by(|a, b| a.1.cmp(&b.1));
    Ok(files)
}

/// OUT, its parent and the names of the files beside it that a build uses.
struct OutPaths {
    out: PathBuf,
    parent: PathBuf,
    name: String,
}

impl OutPaths {
    fn new(out: &Path) -> Result<OutPaths, BuildError> {
        let shown = out.display().to_string();
        let named = match out.file_name() {
            Some(name) if name != ".." => {
                Some((out.to_path_buf(), name.to_string_lossy().into_owned()))
            }
            _ => None,
        };
        let (out, name) = match named {
            Some(pair) => pair,
            None => {
                let abs = fs::canonicalize(out).map_err(io(out, "resolve"))?;
                let name = abs
                    .file_name()
                    .map(|n| n.to_string_lossy().into_owned())
                    .ok_or_else(|| BuildError::BadOut {
                        out: shown.clone(),
                        reason: "it has no name (a root folder)".into(),
                    })?;
                (abs, name)
            }
        };
        let parent = match out.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
            _ => PathBuf::from("."),
        };
        if !parent.is_dir() {
            return Err(BuildError::BadOut {
                out: shown,
                reason: format!("{} is not a folder", parent.display()),
            });
        }
        Ok(OutPaths { out, parent, name })
    }

    fn tmp(&self) -> PathBuf {
        self.parent
            .join(format!(".{}.tmp-{}", self.name, std::process::id()))
    }

    fn backup(&self) -> PathBuf {
        self.parent
            .join(format!(".{}.old-{}", self.name, std::process::id()))
    }

    fn lock(&self) -> PathBuf {
        self.parent.join(format!(".{}.lock", self.name))
    }

    /// OUT may be replaced when it is absent, an empty folder, or a registry.
    fn check_replaceable(&self) -> Result<(), BuildError> {
        let shown = self.out.display().to_string();
        let Ok(meta) = fs::symlink_metadata(&self.out) else {
            return Ok(());
        };
        if !meta.is_dir() {
            return Err(BuildError::BadOut {
                out: shown,
                reason: "it exists and is not a folder".into(),
            });
        }
        if is_registry(&self.out) {
            return Ok(());
        }
        let empty = fs::read_dir(&self.out)
            .map_err(io(&self.out, "read folder"))?
            .next()
            .is_none();
        if empty {
            Ok(())
        } else {
            Err(BuildError::NotARegistry { out: shown })
        }
    }

    /// `.N.tmp-*` and `.N.old-*` beside OUT, sorted by name.
    fn leftovers(&self) -> Vec<(PathBuf, bool)> {
        let tmp = format!(".{}.tmp-", self.name);
        let old = format!(".{}.old-", self.name);
        let mut found = Vec::new();
        if let Ok(entries) = fs::read_dir(&self.parent) {
            for entry in entries.flatten() {
                let name = entry.file_name().to_string_lossy().into_owned();
                // Only `PREFIX` + a process id: a registry named `reg.tmp-x` beside `reg`
                // has leftovers `.reg.tmp-x.tmp-PID`, which are not `reg`'s.
                let pid_after = |prefix: &str| {
                    name.strip_prefix(prefix).is_some_and(|rest| {
                        !rest.is_empty() && rest.bytes().all(|b| b.is_ascii_digit())
                    })
                };
                if pid_after(&tmp) {
                    found.push((entry.path(), false));
                } else if pid_after(&old) {
                    found.push((entry.path(), true));
                }
            }
        }
        found.sort();
        found
    }
}

/// A folder with an index that says `registry: vanban`.
fn is_registry(dir: &Path) -> bool {
    let Some((path, _)) = index_file(dir) else {
        return false;
    };
    let Ok(text) = fs::read_to_string(path) else {
        return false;
    };
    text.contains("registry: vanban") || text.contains("\"registry\": \"vanban\"")
}

/// The old registry a killed build left beside `out` while `out` is absent, if any: the
/// `.NAME.old-*` with the newest index.
pub(crate) fn leftover_backup(out: &Path) -> Option<PathBuf> {
    let paths = OutPaths::new(out).ok()?;
    paths
        .leftovers()
        .into_iter()
        .filter(|(path, is_backup)| *is_backup && is_registry(path))
        .map(|(path, _)| {
            let modified = index_file(&path)
                .and_then(|(i, _)| fs::metadata(i).ok())
                .and_then(|m| m.modified().ok());
            (modified, path)
        })
        .max()
        .map(|(_, path)| path)
}

/// Puts back a registry a killed build left aside, and removes what it left half written.
fn recover(target: &OutPaths) -> Result<Vec<String>, BuildError> {
    let mut notes = Vec::new();
    if fs::symlink_metadata(&target.out).is_err() {
        if let Some(backup) = leftover_backup(&target.out) {
            fs::rename(&backup, &target.out)
                .map_err(io(&backup, "restore the previous registry from"))?;
            sync_dir(&target.parent)?;
            notes.push(format!(
                "{}: restored the previous registry that an interrupted build had left at {}",
                target.out.display(),
                backup.display()
            ));
        }
    }
    for (path, is_backup) in target.leftovers() {
        fs::remove_dir_all(&path)
            .map_err(io(&path, "remove the leftover of an interrupted build"))?;
        notes.push(format!(
            "{}: removed the {} of an interrupted build",
            path.display(),
            if is_backup {
                "previous registry kept aside"
            } else {
                "unfinished registry"
            }
        ));
    }
    Ok(notes)
}

/// The build lock; removed when dropped.
struct Lock {
    path: PathBuf,
}

impl Lock {
    fn acquire(target: &OutPaths) -> Result<Lock, BuildError> {
        let path = target.lock();
        for _ in 0..3 {
            match fs::OpenOptions::new()
                .write(true)
                .create_new(true)
                .open(&path)
            {
                Ok(mut file) => {
                    file.write_all(std::process::id().to_string().as_bytes())
                        .map_err(io(&path, "write"))?;
                    return Ok(Lock { path });
                }
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
                    let pid = fs::read_to_string(&path)
                        .unwrap_or_default()
                        .trim()
                        .to_string();
                    if process_alive(&pid) {
                        return Err(BuildError::Locked {
                            lock: path.display().to_string(),
                            pid,
                        });
                    }
                    // Stale: its build was killed. Take it over.
                    let _ = fs::remove_file(&path);
                }
                Err(e) => return Err(io(&path, "create the build lock")(e)),
            }
        }
        Err(BuildError::Locked {
            lock: path.display().to_string(),
            pid: "?".into(),
        })
    }
}

impl Drop for Lock {
    fn drop(&mut self) {
        let _ = fs::remove_file(&self.path);
    }
}

/// Whether the process of a lock still runs. Only Linux tells (through /proc); elsewhere
/// a lock is considered stale, which only matters for two builds started at once.
fn process_alive(pid: &str) -> bool {
    if pid.is_empty() || !pid.chars().all(|c| c.is_ascii_digit()) {
        return false;
    }
    if pid == std::process::id().to_string() {
        return false;
    }
    Path::new("/proc/self").exists() && Path::new("/proc").join(pid).exists()
}

/// Writes the registry into the temporary folder and moves it to OUT.
fn write(registry: &Registry, target: &OutPaths) -> Result<BuildReport, BuildError> {
    let tmp = target.tmp();
    if fs::symlink_metadata(&tmp).is_ok() {
        fs::remove_dir_all(&tmp).map_err(io(&tmp, "remove"))?;
    }
    let result = write_tree(registry, &tmp).and_then(|()| replace(&tmp, target));
    if result.is_err() {
        let _ = fs::remove_dir_all(&tmp);
    }
    result?;
    let index = &registry.index;
    Ok(BuildReport {
        documents: index.documents.len(),
        skipped: Vec::new(),
        diagnostics: index.diagnostics.iter().map(|d| d.display()).collect(),
        unknown_agencies: index
            .unknown_agencies
            .iter()
            .map(|a| a.name.clone())
            .collect(),
        unlisted_laws: index.unlisted_laws.iter().map(|l| l.name.clone()).collect(),
        agencies: index.agencies.len(),
        citations: registry.citations.edges.len(),
        notes: Vec::new(),
    })
}

fn serialise<T: serde::Serialize>(
    format: Format,
    value: &T,
    what: &str,
) -> Result<String, BuildError> {
    format
        .to_text(value)
        .map_err(|message| BuildError::Serialise {
            what: what.to_string(),
            message,
        })
}

fn write_tree(registry: &Registry, dir: &Path) -> Result<(), BuildError> {
    let format = registry.format;
    let ext = format.extension();
    for sub in [
        dir.to_path_buf(),
        dir.join("documents"),
        dir.join("agencies"),
    ] {
        fs::create_dir(&sub).map_err(io(&sub, "create folder"))?;
    }
    registry.documents.par_iter().try_for_each(|file| {
        let text = serialise(format, &file.document, &file.record)?;
        write_synced(&dir.join(&file.record), text.as_bytes())
    })?;
    registry
        .agencies
        .par_iter()
        .zip(&registry.index.agencies)
        .try_for_each(|(agency, entry)| {
            let text = serialise(format, agency, &entry.record)?;
            write_synced(&dir.join(&entry.record), text.as_bytes())
        })?;
    let citations = serialise(format, &registry.citations, "citations")?;
    write_synced(&dir.join(format!("citations.{ext}")), citations.as_bytes())?;
    sync_dir(&dir.join("documents"))?;
    sync_dir(&dir.join("agencies"))?;
    // The index last: a folder with an index is a complete registry.
    let index = serialise(format, &registry.index, "index")?;
    write_synced(&dir.join(format!("index.{ext}")), index.as_bytes())?;
    sync_dir(dir)
}

fn write_synced(path: &Path, bytes: &[u8]) -> Result<(), BuildError> {
    let mut file = File::create(path).map_err(io(path, "create"))?;
    file.write_all(bytes).map_err(io(path, "write"))?;
    file.sync_all().map_err(io(path, "sync"))
}

/// Makes the entries of a folder (creations, renames) durable.
fn sync_dir(dir: &Path) -> Result<(), BuildError> {
    #[cfg(unix)]
    {
        File::open(dir)
            .and_then(|f| f.sync_all())
            .map_err(io(dir, "sync folder"))?;
    }
    #[cfg(not(unix))]
    {
        let _ = dir;
    }
    Ok(())
}

/// Steps 4 to 6 of the module documentation.
fn replace(tmp: &Path, target: &OutPaths) -> Result<(), BuildError> {
    let out = &target.out;
    if fs::symlink_metadata(out).is_err() {
        fs::rename(tmp, out).map_err(io(out, "move the new registry to"))?;
        return sync_dir(&target.parent);
    }
    let backup = target.backup();
    fs::rename(out, &backup).map_err(io(out, "move the previous registry aside from"))?;
    sync_dir(&target.parent)?;
    if let Err(e) = fs::rename(tmp, out) {
        // Put the old one back; if even that fails the next build restores it.
        let _ = fs::rename(&backup, out);
        return Err(io(out, "move the new registry to")(e));
    }
    sync_dir(&target.parent)?;
    // A failure here leaves only a leftover the next build removes.
    let _ = fs::remove_dir_all(&backup);
    Ok(())
}
