//! `vanban build DIR --out OUT`: parse a folder in parallel and write the registry safely.
//!
//! # How OUT is replaced
//!
//! A directory cannot be swapped atomically with plain renames, so the build works in steps
//! that each leave a state a later build (or reader) can recognise and finish. With `P` the
//! parent of OUT, `N` its name and `PID` the builder's process id:
//!
//! 1. take the lock `P/.N.lock`: the operating system's advisory lock on that file, held
//!    until the build ends (released by the kernel when a builder dies), then the file
//!    removed; a second build waits (`--wait`) or refuses, naming the holder's PID;
//! 2. recover from an earlier build that was killed (see below);
//! 3. write the whole new registry into `P/.N.tmp-PID`, `fsync` every file and folder,
//!    the index last (each document record as soon as its document is parsed, see
//!    `link/store.rs`; a file whose bytes OUT already has is hard-linked from it);
//! 4. if OUT exists: rename OUT → `P/.N.old-PID`, `fsync` P;
//! 5. rename `P/.N.tmp-PID` → OUT, `fsync` P;
//! 6. remove `P/.N.old-PID`, then the lock.
//!
//! A kill -9 before step 5 leaves the old registry untouched at OUT (before 4) or whole at
//! `.N.old-PID` (between 4 and 5, the only window in which OUT is absent); after step 5 the
//! new registry is whole at OUT. Recovery, at the start of every build: when OUT is absent
//! and a `.N.old-*` with an index exists, it is renamed back to OUT (the old registry
//! returns; the new one of the killed build was never complete at OUT); then every other
//! `.N.tmp-*` and `.N.old-*` is removed. Readers ([`Registry::open`]) that find OUT
//! absent read the `.N.old-*` in place without moving anything, so even the window of
//! step 4–5 shows the old registry to `trace`, `graph` and `tasks`.
//!
//! Each step lives with what it handles: the lock in `link/lock.rs`, OUT and what lies
//! beside it (recovery included) in `link/outdir.rs`, writing and the swap in
//! `link/store.rs`; this file parses the inputs and runs the steps in order.
//!
//! # Memory
//!
//! Parsing hands each document to the registry being written ([`Sink`]) and keeps only what
//! linking reads ([`Parsed`]: ids, citations, obligations, what the index lists), so a
//! build's memory grows with the corpus's citations and obligations, not with its text.

use std::fs;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;

use super::assemble::{assemble, Assembled, Parsed, Written};
use super::cache::{Cache, Hit, Lookup};
use super::error::{io, BuildError};
use super::lock::Lock;
use super::outdir::{recover, OutPaths};
use super::registry::{Format, Registry, Skipped};
use super::sqlite::Spool;
use super::store::Folder;
use crate::pipeline::Rules;
use crate::record::Document;
use crate::ParseOptions;

/// Told how parsing advances, so a caller can draw a progress bar (the command line does,
/// with indicatif, when stderr is a terminal); the library draws nothing itself.
///
/// `advance` is called from the parsing threads, once per file, in no particular order.
pub trait Progress: Send + Sync {
    /// Parsing starts, with `total` files to parse.
    fn start(&self, total: usize);
    /// One more file is parsed (or skipped).
    fn advance(&self);
    /// Parsing is over; assembling and writing the registry follow.
    fn finish(&self);
}

/// How `build` runs.
#[derive(Clone, Default)]
pub struct BuildOptions {
    /// `yaml` (default) or `json` files.
    pub format: Format,
    /// Told how parsing advances; none by default.
    pub progress: Option<Arc<dyn Progress>>,
    /// How each input file is read.
    pub parse: ParseOptions,
    /// Write one SQLite file instead of a folder (also chosen by OUT's extension `.sqlite`,
    /// `.sqlite3` or `.db`); see `link/sqlite.rs`.
    pub sqlite: bool,
    /// When another build of the registry runs: wait for it to end (true), or refuse with
    /// [`BuildError::Locked`] (false, the default).
    pub wait: bool,
}

impl std::fmt::Debug for BuildOptions {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("BuildOptions")
            .field("format", &self.format)
            .field("progress", &self.progress.is_some())
            .field("parse", &self.parse)
            .field("sqlite", &self.sqlite)
            .field("wait", &self.wait)
            .finish()
    }
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
    /// What went wrong without failing the build: a damaged parse cache, ignored.
    pub warnings: Vec<String>,
    /// Files whose record came from the parse cache, not parsed again.
    pub cached: usize,
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
            line.push_str(&format!(
                "; {} files skipped ({})",
                self.skipped.len(),
                self.skipped.join("; ")
            ));
        }
        line
    }
}

impl BuildReport {
    /// What the build of `registry` reports, before the skipped files and notes are added.
    fn of(registry: &Registry) -> BuildReport {
        let index = &registry.index;
        BuildReport {
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
            warnings: Vec::new(),
            cached: 0,
        }
    }
}

/// Parses every document under `input` and writes the registry at `out`.
///
/// Files: every file, recursively, hidden files and folders skipped, in sorted order of
/// their path relative to `input` (which is what the records and the index store). The
/// kinds the reader stage reads (text, markdown, Word, HTML, by extension) are parsed; every
/// other entry is listed in [`BuildReport::skipped`] with the reason, never dropped
/// silently, and the others are built: a file of another kind (`x.pdf: PDF is not read
/// yet`) or without an extension, a link leading out of `input` or to nothing (not
/// followed), a FIFO, socket or device, a folder or file that cannot be read.
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
    let _lock = Lock::acquire(&target, options.wait)?;
    let notes = recover(&target)?;
    let sqlite = super::sqlite::wanted(out, options.sqlite);
    check_out(&target, sqlite)?;

    let walk = if meta.is_dir() {
        let skip = fs::canonicalize(out).ok();
        collect_files(input, skip.as_deref())?
    } else {
        // One file: its name is its path relative to the "folder".
        let name = input
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        Walk {
            files: vec![(input.to_path_buf(), name)],
            skipped: Vec::new(),
        }
    };
    let (files, unread): (Vec<_>, Vec<_>) = walk
        .files
        .into_iter()
        .partition(|(_, rel)| crate::pipeline::not_read(rel).is_none());
    let cache = Cache::open(&target, rules, &options.parse);
    let sink = Sink::create(&target, sqlite, options.format)?;
    let results = parse_all(&files, rules, options, &cache, &sink)?;

    let mut documents = Vec::new();
    let mut skipped = Vec::new();
    let mut skipped_lines = Vec::new();
    let unread = unread.into_iter().map(|(path, rel)| {
        let reason = crate::pipeline::not_read(&rel).unwrap_or_default();
        (path, rel, reason)
    });
    for (path, rel, reason) in unread.chain(walk.skipped) {
        skipped_lines.push(format!("{}: {reason}", path.display()));
        skipped.push(Skipped { file: rel, reason });
    }
    for ((path, _), result) in files.iter().zip(results) {
        match result {
            Ok(doc) => documents.push(doc),
            Err(skip) => {
                skipped_lines.push(format!("{}: {}", path.display(), skip.reason));
                skipped.push(skip);
            }
        }
    }
    skipped.sort();
    skipped_lines.sort();
    let assembled = assemble(documents, skipped, rules, options.format);
    sink.finish(&assembled, &target, Some(&cache))?;
    let mut report = BuildReport::of(&assembled.registry);
    report.skipped = skipped_lines;
    report.notes = notes;
    report.cached = cache.hits();
    report.warnings = cache.save();
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
    let _lock = Lock::acquire(&target, options.wait)?;
    let notes = recover(&target)?;
    let sqlite = super::sqlite::wanted(out, options.sqlite);
    check_out(&target, sqlite)?;
    let sink = Sink::create(&target, sqlite, options.format)?;
    let parsed = documents
        .into_par_iter()
        .enumerate()
        .map(|(seq, document)| sink.put(seq, document, rules))
        .collect::<Result<Vec<_>, BuildError>>()?;
    let assembled = assemble(parsed, Vec::new(), rules, options.format);
    sink.finish(&assembled, &target, None)?;
    let mut report = BuildReport::of(&assembled.registry);
    report.notes = notes;
    Ok(report)
}

/// OUT may be replaced: by a folder registry, or by an SQLite one.
fn check_out(target: &OutPaths, sqlite: bool) -> Result<(), BuildError> {
    if sqlite {
        super::sqlite::check_replaceable(target)
    } else {
        target.check_replaceable()
    }
}

/// The registry being written: a folder, or one SQLite file.
enum Sink {
    Folder(Folder),
    Sqlite(Spool),
}

impl Sink {
    fn create(target: &OutPaths, sqlite: bool, format: Format) -> Result<Sink, BuildError> {
        Ok(if sqlite {
            Sink::Sqlite(Spool::create(target)?)
        } else {
            Sink::Folder(Folder::create(target, format)?)
        })
    }

    /// Writes (or spools) the record of `document`, input number `seq`; returns what linking
    /// keeps of it. Called from the parsing threads.
    fn put(&self, seq: usize, document: Document, rules: &Rules) -> Result<Parsed, BuildError> {
        match self {
            Sink::Folder(folder) => folder.put(seq, document, rules),
            Sink::Sqlite(spool) => spool.put(seq, document),
        }
    }

    /// Links or spools the record of a cached document without writing it again; gives the
    /// hit back when that cannot be done (it is then written in full by [`Sink::put`]).
    fn put_cached(
        &self,
        seq: usize,
        hit: Hit,
        rules: &Rules,
        cache: &Cache,
    ) -> Result<Result<Parsed, Hit>, BuildError> {
        match self {
            Sink::Folder(folder) => folder.link_cached(seq, hit, rules),
            Sink::Sqlite(spool) => spool.put_cached(seq, hit, cache),
        }
    }

    /// The fingerprint of the record file `parsed` was written to (none for SQLite, which
    /// writes no record file).
    fn written(&self, parsed: &Parsed) -> Option<Written> {
        match self {
            Sink::Folder(folder) => Some(folder.written(parsed)),
            Sink::Sqlite(_) => None,
        }
    }

    /// Writes the rest of the registry and puts it at OUT.
    fn finish(
        self,
        assembled: &Assembled,
        target: &OutPaths,
        cache: Option<&Cache>,
    ) -> Result<(), BuildError> {
        match self {
            Sink::Folder(folder) => folder.finish(assembled, target, cache),
            Sink::Sqlite(spool) => spool.finish(assembled, target, cache),
        }
    }
}

/// Parses `files` in parallel, in their order, telling `options.progress` as it goes, and
/// hands each document to `sink` as soon as it is parsed; a file whose record `cache` has is
/// not parsed again.
fn parse_all(
    files: &[(PathBuf, String)],
    rules: &Rules,
    options: &BuildOptions,
    cache: &Cache,
    sink: &Sink,
) -> Result<Vec<Result<Parsed, Skipped>>, BuildError> {
    let progress = options.progress.as_deref();
    if let Some(progress) = progress {
        progress.start(files.len());
    }
    let results = files
        .par_iter()
        .enumerate()
        .map(|(seq, (path, rel))| {
            let result = parse_cached(seq, path, rel, rules, options, cache, sink);
            if let Some(progress) = progress {
                progress.advance();
            }
            result
        })
        .collect();
    if let Some(progress) = progress {
        progress.finish();
    }
    results
}

/// The record of input number `seq`: linked or spooled from the cache when it has the file,
/// else parsed (and kept in the cache), and handed to `sink`.
fn parse_cached(
    seq: usize,
    path: &Path,
    rel: &str,
    rules: &Rules,
    options: &BuildOptions,
    cache: &Cache,
    sink: &Sink,
) -> Result<Result<Parsed, Skipped>, BuildError> {
    let key = match cache.find(seq, path, rel, options.parse.max_bytes) {
        Lookup::Hit(hit) => {
            let hit = match sink.put_cached(seq, hit, rules, cache)? {
                Ok(parsed) => return Ok(Ok(parsed)),
                Err(hit) => hit,
            };
            let document = cache
                .document(&hit)
                .map_or_else(|| parse_one(path, rel, rules, &options.parse), Ok);
            return match document {
                Ok(document) => sink.put(seq, document, rules).map(Ok),
                Err(skipped) => Ok(Err(skipped)),
            };
        }
        Lookup::Miss(key) => key,
    };
    let document = match parse_one(path, rel, rules, &options.parse) {
        Ok(document) => document,
        Err(skipped) => return Ok(Err(skipped)),
    };
    let Some((key, record)) = key.and_then(|key| Some((key, cache.record_of(&document, rel)?)))
    else {
        return sink.put(seq, document, rules).map(Ok);
    };
    let parsed = sink.put(seq, document, rules)?;
    cache.store(key, rel, &record, &parsed, sink.written(&parsed));
    Ok(Ok(parsed))
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

/// What the walk of a corpus folder found: the files to read, and the entries it will not
/// read with the reason, each by its path relative to the folder.
#[derive(Default)]
struct Walk {
    files: Vec<(PathBuf, String)>,
    skipped: Vec<(PathBuf, String, String)>,
}

/// The document files under `dir`, sorted by relative path (`/`-separated), and every entry
/// that is not used, named with the reason: a link leading out of `dir` or to nothing, a
/// FIFO, socket or device, a file without an extension, a folder that cannot be read.
///
/// Links are followed only to files and folders inside `dir` (a folder once, so a link loop
/// ends); `skip` (the registry being written, when inside `dir`) is not entered.
fn collect_files(dir: &Path, skip: Option<&Path>) -> Result<Walk, BuildError> {
    let real_dir = fs::canonicalize(dir).map_err(io(dir, "resolve"))?;
    let mut walk = Walk::default();
    let mut entered = std::collections::HashSet::from([real_dir.clone()]);
    let mut stack = vec![(dir.to_path_buf(), String::new())];
    while let Some((folder, prefix)) = stack.pop() {
        let entries = match fs::read_dir(&folder) {
            Ok(entries) => entries,
            Err(e) if prefix.is_empty() => return Err(io(&folder, "read folder")(e)),
            Err(e) => {
                walk.skipped
                    .push((folder, prefix, format!("cannot read folder: {e}")));
                continue;
            }
        };
        for entry in entries {
            let entry = match entry {
                Ok(entry) => entry,
                Err(e) => {
                    let rel = prefix.clone();
                    walk.skipped
                        .push((folder.clone(), rel, format!("cannot read folder: {e}")));
                    break;
                }
            };
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
            match classify(&path, &real_dir) {
                Entry::Folder(real) => {
                    if skip != Some(real.as_path()) && entered.insert(real) {
                        stack.push((path, rel));
                    }
                }
                Entry::File if Path::new(&name).extension().is_none() => walk.skipped.push((
                    path,
                    rel,
                    "no extension: vanban reads .txt, .md, .docx, .html and .htm files (rename it to say which it is)".into(),
                )),
                Entry::File => walk.files.push((path, rel)),
                Entry::Unusable(reason) => walk.skipped.push((path, rel, reason)),
            }
        }
    }
    walk.files.sort_by(|a, b| a.1.cmp(&b.1));
    Ok(walk)
}

/// What one entry of a corpus folder is to the walk.
enum Entry {
    /// A folder inside the corpus, by its real path.
    Folder(PathBuf),
    /// A regular file inside the corpus.
    File,
    /// Anything else, with why it is not read.
    Unusable(String),
}

fn classify(path: &Path, real_dir: &Path) -> Entry {
    let meta = match fs::symlink_metadata(path) {
        Ok(meta) => meta,
        Err(e) => return Entry::Unusable(format!("cannot read: {e}")),
    };
    if meta.file_type().is_symlink() {
        let Ok(real) = fs::canonicalize(path) else {
            return Entry::Unusable("a link to nothing (its target does not exist)".into());
        };
        if !real.starts_with(real_dir) {
            return Entry::Unusable(format!(
                "a link to {}, outside the corpus folder: not followed",
                real.display()
            ));
        }
        return match fs::metadata(&real) {
            Ok(target) => kind_of(&target, real),
            Err(e) => Entry::Unusable(format!("cannot read: {e}")),
        };
    }
    kind_of(&meta, path.to_path_buf())
}

/// A folder or a regular file; anything else (FIFO, socket, device) is not read: it may
/// never end, or never start.
fn kind_of(meta: &fs::Metadata, real: PathBuf) -> Entry {
    if meta.is_dir() {
        return match fs::canonicalize(&real) {
            Ok(real) => Entry::Folder(real),
            Err(e) => Entry::Unusable(format!("cannot read folder: {e}")),
        };
    }
    if meta.is_file() {
        return Entry::File;
    }
    Entry::Unusable(format!("{}: not read", special_kind(meta)))
}

#[cfg(unix)]
fn special_kind(meta: &fs::Metadata) -> &'static str {
    use std::os::unix::fs::FileTypeExt;
    let kind = meta.file_type();
    if kind.is_fifo() {
        "a FIFO (named pipe)"
    } else if kind.is_socket() {
        "a socket"
    } else if kind.is_block_device() || kind.is_char_device() {
        "a device"
    } else {
        "not a regular file"
    }
}

#[cfg(not(unix))]
fn special_kind(_meta: &fs::Metadata) -> &'static str {
    "not a regular file"
}
