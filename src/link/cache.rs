//! The parse cache of incremental builds: the record each input file parsed to, kept beside
//! the registry (`P/.N.cache`, an SQLite file) so that a rebuild parses only the files that
//! changed.
//!
//! A record is found by a key that digests everything its parse depends on: the file's bytes
//! and its path in the folder (the extension says how it is read), the rules in force
//! ([`Rules::digest`](crate::Rules)), the parse options, and the vanban that parsed it (its
//! version and its executable's size and time, so that a rebuilt binary parses again). A
//! record is therefore never stale; the only way it can be wrong is a damaged file, and a
//! cache that cannot be read is ignored with a warning and written anew.
//!
//! The cache sits beside OUT rather than inside it: a folder registry's files are the output
//! contract (and the registry digest lists every one of them), and the same place serves the
//! SQLite registry. It is changed only under the build lock, in one transaction, after the
//! registry was written; a build killed before that leaves the previous cache, which is still
//! right for every key it has.
//!
//! The records parsed now do not wait in memory for that: each goes, as soon as it is
//! parsed, into a new file beside the cache (`P/.N.cache.tmp-PID`), which the end of the
//! build merges into the cache, or renames over it when the cache is written anew.
//!
//! A row holds a record three ways, so that a rebuild reads little for an unchanged file:
//! the whole record (read only when its file must be written again), what linking reads of
//! it ([`Hit`]: the document without its text, read on every hit), and how its record file
//! was last written ([`Written`], which lets `store.rs` link the previous registry's file
//! instead of writing it). The `derived` table does the same for the files made from the
//! whole corpus (agencies, citations): a fingerprint of what each was made of, and the
//! digest of its bytes.

use std::collections::{HashMap, HashSet};
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use rusqlite::{params, Connection, OptionalExtension};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::assemble::{Parsed, Written};
use super::outdir::OutPaths;
use super::registry::DocumentCounts;
use crate::pipeline::Rules;
use crate::record::Document;
use crate::ParseOptions;

/// The layout of the cache file; a file of another layout is ignored and written anew.
const CACHE_LAYOUT: i64 = 5;

/// What the cache keeps of a parsed document: the record, and the fields the record does not
/// write but the registry's assembly reads.
#[derive(Serialize, Deserialize)]
struct Cached {
    document: Document,
    /// [`Document::source_digest`] (tells exact duplicates apart in the registry's keys).
    source_digest: String,
    /// The citations with an unlisted law name ([`crate::record::Citation::unlisted_name`]).
    unlisted: Vec<usize>,
    /// [`Document::header_line`] (where the registry's document-level diagnostics point).
    header_line: u32,
}

impl Cached {
    fn of(document: &Document) -> Cached {
        Cached {
            document: document.clone(),
            source_digest: document.source_digest.clone(),
            header_line: document.header_line,
            unlisted: (document.citations.iter().enumerate())
                .filter(|(_, c)| c.unlisted_name)
                .map(|(i, _)| i)
                .collect(),
        }
    }

    fn into_document(self) -> Document {
        let mut document = self.document;
        document.source_digest = self.source_digest;
        document.header_line = self.header_line;
        for i in self.unlisted {
            if let Some(citation) = document.citations.get_mut(i) {
                citation.unlisted_name = true;
            }
        }
        document
    }
}

/// What linking keeps of a cached document ([`Parsed`] without where it is written): read
/// on every hit, so it leaves out the text (sections, targets...) that the whole record holds.
#[derive(Serialize, Deserialize)]
struct Linked {
    cached: Cached,
    counts: DocumentCounts,
}

impl Linked {
    fn of(parsed: &Parsed) -> Linked {
        let mut cached = Cached::of(&parsed.document);
        // The key is the registry's, given when the record is written, not the parse's.
        cached.document.key = String::new();
        Linked {
            cached,
            counts: parsed.counts.clone(),
        }
    }
}

/// A file the cache has: its key, what linking keeps of its document (as [`Parsed::of`]
/// leaves it, without a key), and the record file last written from it.
pub(crate) struct Hit {
    key: String,
    pub(crate) document: Document,
    pub(crate) counts: DocumentCounts,
    pub(crate) written: Option<Written>,
}

impl Hit {
    /// The key its record is stored under.
    pub(crate) fn key(&self) -> &str {
        &self.key
    }
}

/// What [`Cache::find`] found.
pub(crate) enum Lookup {
    Hit(Hit),
    /// Not cached: the key to store its record under, or `None` when it cannot be cached.
    Miss(Option<String>),
}

/// A registry file made from the whole corpus, as a build wrote it.
struct Derived {
    /// [`Cache::fingerprint`] of what it was made of.
    fingerprint: String,
    /// The SHA-256 of its bytes.
    digest: String,
}

/// One record this build used: its key, and whether it was read from the cache (else it was
/// parsed now, and is in the file of new records).
struct Used {
    key: String,
    hit: bool,
}

/// The parse cache of one build.
pub(crate) struct Cache {
    path: PathBuf,
    /// The digest of everything but the file: vanban, the rules, the options.
    salt: String,
    connection: Option<Mutex<Connection>>,
    /// The file of the records parsed now, opened at the first one.
    fresh: Mutex<Option<Connection>>,
    used: Mutex<Vec<Used>>,
    /// The key of each input (by its number) this build found or stored a record under.
    inputs: Mutex<HashMap<usize, String>>,
    /// The record files that were written under another name or key than when their record
    /// was stored: kept for the next build.
    placed: Mutex<Vec<(String, Written)>>,
    /// The files of the registry made from the whole corpus (agencies, citations) that the
    /// last build wrote, by name: what they were made of, and their bytes' digest.
    derived_before: HashMap<String, Derived>,
    /// Those this build wrote.
    derived_now: Mutex<Vec<(String, Derived)>>,
    /// Why (part of) the cache could not be used; each reason once.
    problems: Mutex<Vec<String>>,
}

impl Cache {
    /// Opens the cache beside `target`; a missing one is empty, an unreadable one is
    /// ignored (and reported by [`Cache::save`]).
    pub(crate) fn open(target: &OutPaths, rules: &Rules, options: &ParseOptions) -> Cache {
        let path = target.parent.join(format!(".{}.cache", target.name));
        remove_leftovers(&path);
        let mut cache = Cache {
            salt: salt(rules, options),
            connection: None,
            fresh: Mutex::new(None),
            used: Mutex::new(Vec::new()),
            inputs: Mutex::new(HashMap::new()),
            placed: Mutex::new(Vec::new()),
            derived_before: HashMap::new(),
            derived_now: Mutex::new(Vec::new()),
            problems: Mutex::new(Vec::new()),
            path,
        };
        if cache.path.exists() {
            match open_existing(&cache.path) {
                Ok((connection, derived)) => {
                    cache.connection = Some(Mutex::new(connection));
                    cache.derived_before = derived;
                }
                Err(problem) => cache.problem(problem),
            }
        }
        cache
    }

    /// The fingerprint of a registry file made from `value`: the digest of this build's
    /// salt (vanban, rules, options), the file's format and `value` itself. Equal
    /// fingerprints give equal bytes.
    pub(crate) fn fingerprint<T: Serialize + ?Sized>(
        &self,
        format: &str,
        value: &T,
    ) -> Option<String> {
        let prefix = format!("{}\n{format}\n", self.salt);
        crate::digest::sha256_of_json(prefix.as_bytes(), value).ok()
    }

    /// The digest of the file `name` the last build wrote, when it was made of what
    /// `fingerprint` says.
    pub(crate) fn derived(&self, name: &str, fingerprint: &str) -> Option<&str> {
        let before = self.derived_before.get(name)?;
        (before.fingerprint == fingerprint).then_some(before.digest.as_str())
    }

    /// Keeps, for the next build, what the file `name` this build wrote was made of and the
    /// digest of its bytes.
    pub(crate) fn keep_derived(&self, name: &str, fingerprint: String, digest: String) {
        let derived = Derived {
            fingerprint,
            digest,
        };
        let mut now = self.derived_now.lock().unwrap_or_else(|e| e.into_inner());
        now.push((name.to_string(), derived));
    }

    /// Looks `path` (input number `seq`, called `rel` in the folder) up: a [`Hit`] when its key is in the cache,
    /// else the key its record is to be stored under ([`Cache::store`]), or `None` when the
    /// file is too large or unreadable (its parse gives the reason, and nothing is cached).
    pub(crate) fn find(&self, seq: usize, path: &Path, rel: &str, max_bytes: u64) -> Lookup {
        let small = fs::metadata(path).is_ok_and(|m| m.len() <= max_bytes);
        let Some(bytes) = small.then(|| fs::read(path).ok()).flatten() else {
            return Lookup::Miss(None);
        };
        let key = self.key(rel, &bytes);
        (self.inputs.lock().unwrap_or_else(|e| e.into_inner())).insert(seq, key.clone());
        match self.lookup(&key) {
            Some(hit) => {
                self.keep(key, true);
                Lookup::Hit(hit)
            }
            None => Lookup::Miss(Some(key)),
        }
    }

    /// What the cache keeps of `document`, parsed now: its whole record, to be stored once
    /// the record is written ([`Cache::store`]).
    pub(crate) fn record_of(&self, document: &Document, rel: &str) -> Option<Vec<u8>> {
        match serde_json::to_vec(&Cached::of(document)) {
            Ok(record) => Some(record),
            Err(error) => {
                self.problem(format!("cannot serialise the record of {rel}: {error}"));
                None
            }
        }
    }

    /// Keeps the document parsed now under `key` for the next build: its whole `record`
    /// ([`Cache::record_of`]), what linking keeps of it (`parsed`), and the fingerprint of the
    /// record file written from it.
    pub(crate) fn store(
        &self,
        key: String,
        rel: &str,
        record: &[u8],
        parsed: &Parsed,
        written: Option<Written>,
    ) {
        let link = serde_json::to_vec(&Linked::of(parsed));
        let written = written.map(|w| serde_json::to_string(&w)).transpose();
        let (link, written) = match (link, written) {
            (Ok(link), Ok(written)) => (link, written),
            (Err(error), _) | (_, Err(error)) => {
                return self.problem(format!("cannot serialise the record of {rel}: {error}"))
            }
        };
        match self.write_fresh(&key, rel, record, &link, written.as_deref()) {
            Ok(()) => self.keep(key, false),
            Err(error) => self.problem(format!("cannot write it: {error}")),
        }
    }

    /// Whether the cache still has the whole record of `hit` (without reading it).
    pub(crate) fn has_record(&self, hit: &Hit) -> bool {
        let sql = "SELECT length(record) FROM parse_cache WHERE key = ?1";
        self.row(sql, &hit.key, |row| row.get::<_, i64>(0))
            .is_some_and(|found| found.is_some())
    }

    /// The whole document of `hit`; `None` (and a warning) when the cache no longer gives it.
    pub(crate) fn document(&self, hit: &Hit) -> Option<Document> {
        self.document_of(&hit.key)
    }

    /// The whole document of input number `seq`, as found or stored by this build.
    pub(crate) fn input_document(&self, seq: usize) -> Option<Document> {
        self.document_of(&self.input_key(seq)?)
    }

    /// Keeps, for the next build, where and how the record of input number `seq` was
    /// finally written, when that is not how it was first written (see `store.rs`).
    pub(crate) fn placed(&self, seq: usize, written: Written) {
        if let Some(key) = self.input_key(seq) {
            let mut placed = self.placed.lock().unwrap_or_else(|e| e.into_inner());
            placed.push((key, written));
        }
    }

    /// The whole document stored under `key`; `None` (and a warning) when the cache does not
    /// give it.
    pub(crate) fn document_of(&self, key: &str) -> Option<Document> {
        let sql = "SELECT record FROM parse_cache WHERE key = ?1";
        let Some(record) = self.row(sql, key, |row| row.get::<_, Vec<u8>>(0))? else {
            self.problem("a record went missing while it was read".into());
            return None;
        };
        match serde_json::from_slice::<Cached>(&record) {
            Ok(cached) => Some(cached.into_document()),
            Err(error) => {
                self.problem(format!("a damaged record ({error})"));
                None
            }
        }
    }

    /// How many records came from the cache.
    pub(crate) fn hits(&self) -> usize {
        let used = self.used.lock().unwrap_or_else(|e| e.into_inner());
        used.iter().filter(|u| u.hit).count()
    }

    /// Writes what this build parsed and drops what it no longer uses. Returns the warnings
    /// of the build about the cache: it was damaged, or could not be written.
    pub(crate) fn save(self) -> Vec<String> {
        let used = self.used.into_inner().unwrap_or_else(|e| e.into_inner());
        let mut problems = self
            .problems
            .into_inner()
            .unwrap_or_else(|e| e.into_inner());
        let connection = self
            .connection
            .map(|c| c.into_inner().unwrap_or_else(|e| e.into_inner()));
        let derived = self
            .derived_now
            .into_inner()
            .unwrap_or_else(|e| e.into_inner());
        let placed = self.placed.into_inner().unwrap_or_else(|e| e.into_inner());
        let finally = Finally {
            placed: &placed,
            derived: &derived,
        };
        let fresh_path = fresh_path(&self.path);
        let fresh = self.fresh.into_inner().unwrap_or_else(|e| e.into_inner());
        let closed = fresh.map(close_fresh).transpose();
        let anew = !problems.is_empty() || connection.is_none();
        let written = match (closed, connection) {
            (Err(error), _) => Err(error),
            (Ok(had_fresh), Some(mut connection)) if !anew => update(
                &mut connection,
                &used,
                &finally,
                had_fresh.is_some().then_some(fresh_path.as_path()),
            )
            .map_err(|e| e.to_string()),
            (Ok(_), _) => rewrite(&self.path, &used, &finally),
        };
        let _ = fs::remove_file(&fresh_path);
        if let Err(error) = written {
            problems.push(format!("cannot write it: {error}"));
        }
        let shown = self.path.display();
        problems
            .into_iter()
            .map(|p| format!("{shown}: parse cache: {p}; files it lacked were parsed again"))
            .collect()
    }

    fn key(&self, rel: &str, bytes: &[u8]) -> String {
        let mut hasher = Sha256::new();
        hasher.update(self.salt.as_bytes());
        hasher.update((rel.len() as u64).to_le_bytes());
        hasher.update(rel.as_bytes());
        hasher.update(Sha256::digest(bytes));
        crate::digest::hex(&hasher.finalize())
    }

    /// What the cache keeps for linking of the document of `key`.
    fn lookup(&self, key: &str) -> Option<Hit> {
        let sql = "SELECT link, written FROM parse_cache WHERE key = ?1";
        let (link, written) = self.row(sql, key, |row| {
            Ok((row.get::<_, Vec<u8>>(0)?, row.get::<_, Option<String>>(1)?))
        })??;
        let linked = serde_json::from_slice::<Linked>(&link);
        let written = written
            .map(|w| serde_json::from_str::<Written>(&w))
            .transpose();
        match (linked, written) {
            (Ok(linked), Ok(written)) => Some(Hit {
                key: key.to_string(),
                document: linked.cached.into_document(),
                counts: linked.counts,
                written,
            }),
            (Err(error), _) | (_, Err(error)) => {
                self.problem(format!("a damaged record ({error})"));
                None
            }
        }
    }

    /// Writes a record parsed now into the file of new records (created at the first).
    fn write_fresh(
        &self,
        key: &str,
        rel: &str,
        record: &[u8],
        link: &[u8],
        written: Option<&str>,
    ) -> rusqlite::Result<()> {
        let mut fresh = self.fresh.lock().unwrap_or_else(|e| e.into_inner());
        if fresh.is_none() {
            *fresh = Some(create_fresh(&fresh_path(&self.path))?);
        }
        let Some(connection) = fresh.as_ref() else {
            return Ok(());
        };
        connection
            .prepare_cached(
                "INSERT OR REPLACE INTO parse_cache (key, file, record, link, written)
                 VALUES (?1, ?2, ?3, ?4, ?5)",
            )?
            .execute(params![key, rel, record, link, written])?;
        Ok(())
    }

    /// The row of `key` read by `sql` (a query with the key as its one parameter): `None`
    /// (and a warning) when the cache cannot be read, `Some(None)` when it lacks the key.
    fn row<T>(
        &self,
        sql: &str,
        key: &str,
        read: impl FnOnce(&rusqlite::Row<'_>) -> rusqlite::Result<T>,
    ) -> Option<Option<T>> {
        let connection = self.connection.as_ref()?;
        let connection = connection.lock().unwrap_or_else(|e| e.into_inner());
        match connection.query_row(sql, [key], read).optional() {
            Ok(found) => Some(found),
            Err(error) => {
                self.problem(format!("cannot be read ({error})"));
                None
            }
        }
    }

    /// The key this build found or stored the record of input number `seq` under.
    fn input_key(&self, seq: usize) -> Option<String> {
        let inputs = self.inputs.lock().unwrap_or_else(|e| e.into_inner());
        inputs.get(&seq).cloned()
    }

    fn keep(&self, key: String, hit: bool) {
        let used = Used { key, hit };
        self.used
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push(used);
    }

    fn problem(&self, problem: String) {
        let mut problems = self.problems.lock().unwrap_or_else(|e| e.into_inner());
        if !problems.contains(&problem) {
            problems.push(problem);
        }
    }
}

/// What every key of this build shares: vanban's version and executable, the rules in force,
/// and the options that change what a file parses to.
fn salt(rules: &Rules, options: &ParseOptions) -> String {
    let executable = std::env::current_exe()
        .and_then(fs::metadata)
        .map(|m| {
            let time = m
                .modified()
                .ok()
                .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
                .map_or(0, |d| d.as_nanos());
            format!("{}:{time}", m.len())
        })
        .unwrap_or_default();
    let text = format!(
        "vanban {} ({executable})\nrules {}\nencoding {:?}\n",
        env!("CARGO_PKG_VERSION"),
        rules.digest,
        options.encoding,
    );
    crate::digest::sha256_hex(text.as_bytes())
}

/// Opens a cache file and checks that it is one: its layout and its table.
fn open_existing(path: &Path) -> Result<(Connection, HashMap<String, Derived>), String> {
    let connection = Connection::open(path).map_err(|e| format!("cannot be opened ({e})"))?;
    let layout: i64 = connection
        .query_row("PRAGMA user_version", [], |row| row.get(0))
        .map_err(|e| format!("not a cache file ({e})"))?;
    if layout != CACHE_LAYOUT {
        return Err(format!(
            "layout {layout}, not {CACHE_LAYOUT}: it is written anew"
        ));
    }
    connection
        .query_row("SELECT count(*) FROM parse_cache", [], |row| {
            row.get::<_, i64>(0)
        })
        .map_err(|e| format!("not a cache file ({e})"))?;
    let derived = read_derived(&connection).map_err(|e| format!("not a cache file ({e})"))?;
    Ok((connection, derived))
}

fn read_derived(connection: &Connection) -> rusqlite::Result<HashMap<String, Derived>> {
    let mut statement = connection.prepare("SELECT name, fingerprint, digest FROM derived")?;
    let rows = statement.query_map([], |row| {
        let derived = Derived {
            fingerprint: row.get(1)?,
            digest: row.get(2)?,
        };
        Ok((row.get::<_, String>(0)?, derived))
    })?;
    rows.collect()
}

/// What a build writes into the cache once the registry is written, besides the records:
/// where records were finally written, and the files made from the whole corpus.
struct Finally<'a> {
    placed: &'a [(String, Written)],
    derived: &'a [(String, Derived)],
}

impl Finally<'_> {
    /// Records the final placements, and replaces the derived files the cache knows by
    /// those of this build.
    fn write(&self, connection: &Connection) -> rusqlite::Result<()> {
        let mut update =
            connection.prepare("UPDATE parse_cache SET written = ?2 WHERE key = ?1")?;
        for (key, written) in self.placed {
            let written = serde_json::to_string(written)
                .map_err(|e| rusqlite::Error::ToSqlConversionFailure(Box::new(e)))?;
            update.execute(params![key, written])?;
        }
        connection.execute("DELETE FROM derived", [])?;
        let mut insert = connection.prepare(
            "INSERT OR REPLACE INTO derived (name, fingerprint, digest) VALUES (?1, ?2, ?3)",
        )?;
        for (name, d) in self.derived {
            insert.execute(params![name, d.fingerprint, d.digest])?;
        }
        Ok(())
    }
}

/// Where the records parsed now wait: `P/.N.cache.tmp-PID`.
fn fresh_path(path: &Path) -> PathBuf {
    path.with_file_name(format!(
        "{}.tmp-{}",
        path.file_name().unwrap_or_default().to_string_lossy(),
        std::process::id()
    ))
}

/// Removes the files of new records that killed builds left (the build lock is held: no
/// other build is writing one).
fn remove_leftovers(path: &Path) {
    let prefix = format!(
        "{}.tmp-",
        path.file_name().unwrap_or_default().to_string_lossy()
    );
    let Some(parent) = path.parent() else {
        return;
    };
    let Ok(entries) = fs::read_dir(parent) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        if name
            .strip_prefix(&prefix)
            .is_some_and(|pid| !pid.is_empty() && pid.bytes().all(|b| b.is_ascii_digit()))
        {
            let _ = fs::remove_file(entry.path());
        }
    }
}

/// A new file of the cache's layout, empty, in an open transaction. It is a scratch file
/// until [`rewrite`] syncs it and renames it into place: no journal, no sync while written.
fn create_fresh(path: &Path) -> rusqlite::Result<Connection> {
    let _ = fs::remove_file(path);
    let connection = Connection::open(path)?;
    connection.execute_batch(&format!(
        "PRAGMA journal_mode = OFF;
         PRAGMA synchronous = OFF;
         PRAGMA user_version = {CACHE_LAYOUT};
         CREATE TABLE parse_cache (
             key TEXT PRIMARY KEY NOT NULL,
             file TEXT NOT NULL,
             record BLOB NOT NULL,
             link BLOB NOT NULL,
             written TEXT
         );
         CREATE TABLE derived (
             name TEXT PRIMARY KEY NOT NULL,
             fingerprint TEXT NOT NULL,
             digest TEXT NOT NULL
         );
         BEGIN;"
    ))?;
    Ok(connection)
}

/// Commits and closes the file of new records; true once done.
fn close_fresh(connection: Connection) -> Result<bool, String> {
    connection
        .execute_batch("COMMIT;")
        .and_then(|()| connection.close().map_err(|(_, e)| e))
        .map(|()| true)
        .map_err(|e| e.to_string())
}

/// Adds the records parsed now (in the file `fresh`, when any was) and removes those this
/// build did not use, in one transaction.
fn update(
    connection: &mut Connection,
    used: &[Used],
    finally: &Finally<'_>,
    fresh: Option<&Path>,
) -> rusqlite::Result<()> {
    if let Some(fresh) = fresh {
        connection.execute(
            "ATTACH DATABASE ?1 AS fresh",
            [fresh.to_string_lossy().as_ref()],
        )?;
    }
    let merged = (|| {
        let transaction = connection.transaction()?;
        let keep: HashSet<&str> = used.iter().map(|u| u.key.as_str()).collect();
        let stale: Vec<String> = {
            let mut statement = transaction.prepare("SELECT key FROM parse_cache")?;
            let keys = statement.query_map([], |row| row.get::<_, String>(0))?;
            keys.filter_map(Result::ok)
                .filter(|k| !keep.contains(k.as_str()))
                .collect()
        };
        for key in stale {
            transaction.execute("DELETE FROM parse_cache WHERE key = ?1", [key])?;
        }
        if fresh.is_some() {
            transaction.execute(
                "INSERT OR REPLACE INTO main.parse_cache (key, file, record, link, written)
                 SELECT key, file, record, link, written FROM fresh.parse_cache",
                [],
            )?;
        }
        finally.write(&transaction)?;
        transaction.commit()
    })();
    if fresh.is_some() {
        let _ = connection.execute("DETACH DATABASE fresh", []);
    }
    merged
}

/// Writes a new cache file with every record this build used: the file of new records, to
/// which the records read from the old cache are copied (those that cannot be are parsed
/// again next time), renamed over the old one.
fn rewrite(path: &Path, used: &[Used], finally: &Finally<'_>) -> Result<(), String> {
    let tmp = fresh_path(path);
    let written = (|| -> rusqlite::Result<()> {
        let connection = if tmp.exists() {
            let connection = Connection::open(&tmp)?;
            connection.execute_batch("PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF;")?;
            connection
        } else {
            let connection = create_fresh(&tmp)?;
            connection.execute_batch("COMMIT;")?;
            connection
        };
        let hits: Vec<&Used> = used.iter().filter(|u| u.hit).collect();
        if !hits.is_empty() && path.exists() {
            let _ = copy_hits(&connection, path, &hits);
        }
        finally.write(&connection)?;
        connection.close().map_err(|(_, e)| e)
    })();
    let renamed = written
        .map_err(|e| e.to_string())
        .and_then(|()| {
            fs::File::open(&tmp)
                .and_then(|f| f.sync_all())
                .map_err(|e| e.to_string())
        })
        .and_then(|()| fs::rename(&tmp, path).map_err(|e| e.to_string()));
    if renamed.is_err() {
        let _ = fs::remove_file(&tmp);
    }
    renamed
}

/// Copies the records of `hits` from the old cache at `old` into `connection`'s.
fn copy_hits(connection: &Connection, old: &Path, hits: &[&Used]) -> rusqlite::Result<()> {
    connection.execute(
        "ATTACH DATABASE ?1 AS old",
        [old.to_string_lossy().as_ref()],
    )?;
    let copied = (|| {
        connection.execute_batch("CREATE TEMP TABLE hits (key TEXT PRIMARY KEY); BEGIN;")?;
        {
            let mut insert = connection.prepare("INSERT OR IGNORE INTO hits (key) VALUES (?1)")?;
            for hit in hits {
                insert.execute([&hit.key])?;
            }
        }
        connection.execute(
            "INSERT OR IGNORE INTO main.parse_cache (key, file, record, link, written)
             SELECT o.key, o.file, o.record, o.link, o.written
             FROM old.parse_cache o JOIN hits h ON h.key = o.key",
            [],
        )?;
        connection.execute_batch("COMMIT;")
    })();
    if copied.is_err() {
        let _ = connection.execute_batch("ROLLBACK;");
    }
    let _ = connection.execute("DETACH DATABASE old", []);
    copied
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cached_record_keeps_the_fields_the_record_does_not_write() {
        let mut document = Document {
            id: "1/KH-UBND".into(),
            source_digest: "00ff".into(),
            header_line: 7,
            ..Document::default()
        };
        document.citations.push(crate::record::Citation {
            unlisted_name: true,
            ..Default::default()
        });
        document.citations.push(crate::record::Citation::default());
        let bytes = serde_json::to_vec(&Cached::of(&document)).unwrap();
        let back = serde_json::from_slice::<Cached>(&bytes)
            .unwrap()
            .into_document();
        assert_eq!(back.source_digest, "00ff");
        assert_eq!(back.header_line, 7);
        assert!(back.citations[0].unlisted_name);
        assert!(!back.citations[1].unlisted_name);
        assert_eq!(back, document);
    }
}
