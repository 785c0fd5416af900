//! The registry as one SQLite file (`vanban build DIR --out reg.sqlite`), written and read
//! back.
//!
//! The tables hold what the folder's files hold, keyed by the registry keys (see the README
//! for the schema): systems that query the registry with SQL load it as is, and `trace`,
//! `graph` and `tasks` read it back into the same [`Registry`] as a folder gives, so that
//! their output does not depend on the form. List-valued fields (aliases, partners, the
//! dates a graph node was cited with...) are JSON arrays, which SQLite's `json_each` reads.
//!
//! The file is written like the folder: under the build lock, into `P/.N.sqlite-tmp-PID`
//! beside OUT, synced, then renamed over OUT, so a reader sees the old registry or the new
//! one, never half of one. The documents reach it through a [`Spool`], written as they are
//! parsed.

use std::collections::{HashMap, HashSet};
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use rusqlite::{params, Connection, OpenFlags, Row, Transaction};
use serde::{de::DeserializeOwned, Serialize};

use super::assemble::{Assembled, Parsed, Placed, Spooled};
use super::cache::{Cache, Hit};
use super::error::{io, BuildError, RegistryError};
use super::outdir::{sync_dir, OutPaths};
use super::registry::{
    AgencyCounts, AgencyFile, AgencyObligation, BuildDiagnostic, CitationGraph, DocumentCounts,
    GraphEdge, GraphNode, Index, IndexAgency, IndexDocument, Registry, Resolution, Skipped, Totals,
    UnknownAgency, UnlistedLaw,
};
use crate::record::{Deadline, Document, Modality, Node, Relation, Role};

/// The version of the tables below; a reader refuses a file of another version.
pub const SCHEMA_VERSION: i64 = 1;

/// The tables and their indexes. Positions keep the order of the folder's lists.
const SCHEMA: &str = "
CREATE TABLE schema_version (version INTEGER NOT NULL);
CREATE TABLE registry (
    registry TEXT NOT NULL, version INTEGER NOT NULL, format TEXT NOT NULL,
    documents INTEGER NOT NULL, skipped INTEGER NOT NULL, agencies INTEGER NOT NULL,
    obligations INTEGER NOT NULL, citations INTEGER NOT NULL,
    external_documents INTEGER NOT NULL, diagnostics INTEGER NOT NULL
);
CREATE TABLE documents (
    key TEXT PRIMARY KEY NOT NULL, position INTEGER NOT NULL UNIQUE, id TEXT NOT NULL,
    type TEXT NOT NULL, date TEXT, issuer TEXT, subject TEXT NOT NULL, file TEXT NOT NULL,
    record TEXT NOT NULL UNIQUE, sections INTEGER NOT NULL, citations INTEGER NOT NULL,
    obligations INTEGER NOT NULL, targets INTEGER NOT NULL, diagnostics INTEGER NOT NULL,
    body TEXT NOT NULL
);
CREATE INDEX documents_id ON documents (id);
CREATE TABLE sections (
    document TEXT NOT NULL REFERENCES documents (key), position INTEGER NOT NULL,
    parent INTEGER, path TEXT NOT NULL, label TEXT NOT NULL, kind TEXT NOT NULL,
    title TEXT NOT NULL, text TEXT NOT NULL, line INTEGER NOT NULL,
    PRIMARY KEY (document, position)
);
CREATE INDEX sections_path ON sections (document, path);
CREATE TABLE nodes (
    key TEXT PRIMARY KEY NOT NULL, position INTEGER NOT NULL UNIQUE, id TEXT NOT NULL,
    in_corpus INTEGER NOT NULL, document TEXT REFERENCES documents (key), type TEXT,
    date TEXT, types TEXT NOT NULL, dates TEXT NOT NULL, titles TEXT NOT NULL,
    issuers TEXT NOT NULL, record TEXT
);
CREATE INDEX nodes_id ON nodes (id);
CREATE TABLE citations (
    key TEXT PRIMARY KEY NOT NULL, position INTEGER NOT NULL UNIQUE,
    from_key TEXT NOT NULL REFERENCES documents (key), to_key TEXT NOT NULL REFERENCES nodes (key),
    from_id TEXT NOT NULL, to_id TEXT NOT NULL, resolution TEXT NOT NULL,
    candidates TEXT NOT NULL, relation TEXT NOT NULL, path TEXT NOT NULL,
    line INTEGER NOT NULL, date TEXT, text TEXT NOT NULL
);
CREATE INDEX citations_from ON citations (from_key);
CREATE INDEX citations_to ON citations (to_key);
CREATE INDEX citations_to_id ON citations (to_id);
CREATE TABLE agencies (
    slug TEXT PRIMARY KEY NOT NULL, position INTEGER NOT NULL UNIQUE, name TEXT NOT NULL,
    record TEXT NOT NULL, known INTEGER NOT NULL, aliases TEXT NOT NULL,
    obligations INTEGER NOT NULL, lead INTEGER NOT NULL, support INTEGER NOT NULL,
    documents INTEGER NOT NULL
);
CREATE INDEX agencies_name ON agencies (name);
CREATE TABLE obligations (
    key TEXT PRIMARY KEY NOT NULL, position INTEGER NOT NULL UNIQUE, id TEXT NOT NULL,
    agency TEXT NOT NULL REFERENCES agencies (slug),
    document TEXT REFERENCES documents (key), document_id TEXT NOT NULL,
    path TEXT NOT NULL, role TEXT NOT NULL, modality TEXT NOT NULL,
    deadline_text TEXT, deadline_date TEXT, deadline_recurrence TEXT,
    partners TEXT NOT NULL, text TEXT NOT NULL, line INTEGER NOT NULL, record TEXT NOT NULL
);
CREATE INDEX obligations_id ON obligations (id);
CREATE INDEX obligations_agency ON obligations (agency);
CREATE INDEX obligations_deadline ON obligations (deadline_date);
CREATE INDEX obligations_document ON obligations (document);
CREATE TABLE targets (
    document TEXT NOT NULL REFERENCES documents (key), position INTEGER NOT NULL,
    path TEXT NOT NULL, value REAL NOT NULL, unit TEXT NOT NULL, text TEXT NOT NULL,
    line INTEGER NOT NULL, PRIMARY KEY (document, position)
);
CREATE TABLE diagnostics (
    position INTEGER PRIMARY KEY, scope TEXT NOT NULL,
    document TEXT REFERENCES documents (key), document_id TEXT NOT NULL,
    severity TEXT, code TEXT NOT NULL, message TEXT NOT NULL, file TEXT NOT NULL,
    line INTEGER NOT NULL, column INTEGER
);
CREATE INDEX diagnostics_document ON diagnostics (document);
CREATE TABLE unknown_agencies (
    position INTEGER PRIMARY KEY, name TEXT NOT NULL, obligations INTEGER NOT NULL,
    documents TEXT NOT NULL
);
CREATE TABLE unlisted_laws (position INTEGER PRIMARY KEY, name TEXT NOT NULL, documents TEXT NOT NULL);
CREATE TABLE skipped (position INTEGER PRIMARY KEY, file TEXT NOT NULL, reason TEXT NOT NULL);
";

/// Whether a build writes SQLite: asked for, or OUT named `*.sqlite`, `*.sqlite3`, `*.db`.
pub(crate) fn wanted(out: &Path, asked: bool) -> bool {
    asked
        || out
            .extension()
            .and_then(|e| e.to_str())
            .is_some_and(|e| matches!(e.to_ascii_lowercase().as_str(), "sqlite" | "sqlite3" | "db"))
}

/// A file that starts as SQLite files do (the reader then checks that it is a registry).
pub(crate) fn is_sqlite(path: &Path) -> bool {
    use std::io::Read;
    let mut header = [0u8; 16];
    fs::File::open(path)
        .and_then(|mut f| f.read_exact(&mut header))
        .is_ok_and(|()| &header == b"SQLite format 3\0")
}

/// OUT may be replaced when it is absent, empty, or a vanban SQLite registry.
pub(crate) fn check_replaceable(target: &OutPaths) -> Result<(), BuildError> {
    let Ok(meta) = fs::symlink_metadata(&target.out) else {
        return Ok(());
    };
    let refuse = |reason: &str| BuildError::BadOut {
        out: target.out.display().to_string(),
        reason: reason.to_string(),
    };
    if meta.is_dir() {
        return Err(refuse("it is a folder; an SQLite registry is one file"));
    }
    if meta.len() == 0 || (is_sqlite(&target.out) && schema_version(&target.out).is_ok()) {
        return Ok(());
    }
    Err(refuse(
        "it exists and is not a vanban SQLite registry; refusing to overwrite it: choose another --out, or remove it yourself",
    ))
}

/// The records of an SQLite build, spooled as their documents are parsed: each document as
/// JSON in a scratch file beside OUT (`P/.N.sqlite-spool-PID`), under its input number.
/// The registry's rows are written at the end, in the registry's order (positions and keys
/// depend on the whole corpus), one document read back at a time, so that the file is the
/// one a build that held every document would write, and memory does not hold the text.
/// A document the parse cache has is not spooled: the cache gives it at the end.
pub(crate) struct Spool {
    path: PathBuf,
    connection: Mutex<Connection>,
    /// The input numbers of the documents the cache gives, with their keys in it.
    cached: Mutex<HashMap<usize, String>>,
}

impl Spool {
    /// Creates the spool of a build of `target` (removing leftovers of killed builds).
    pub(crate) fn create(target: &OutPaths) -> Result<Spool, BuildError> {
        remove_leftovers(target);
        let path = target.parent.join(format!(
            ".{}.sqlite-spool-{}",
            target.name,
            std::process::id()
        ));
        let _ = fs::remove_file(&path);
        let connection = Connection::open(&path)
            .and_then(|connection| {
                // A scratch file, read back by this process only: no journal, no sync.
                connection.execute_batch(
                    "PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF;
                     CREATE TABLE spool (seq INTEGER PRIMARY KEY, body BLOB NOT NULL);
                     BEGIN;",
                )?;
                Ok(connection)
            })
            .map_err(spool_error(&path))?;
        Ok(Spool {
            path,
            connection: Mutex::new(connection),
            cached: Mutex::new(HashMap::new()),
        })
    }

    /// Spools the record of `document`, input number `seq`, and returns what linking keeps.
    pub(crate) fn put(&self, seq: usize, document: Document) -> Result<Parsed, BuildError> {
        let body = serde_json::to_vec(&document).map_err(|e| BuildError::Serialise {
            what: document.file.clone(),
            message: e.to_string(),
        })?;
        self.insert(seq, &body)?;
        let spooled = Spooled {
            seq,
            ..Spooled::default()
        };
        Ok(Parsed::of(document, spooled))
    }

    /// Spools a cached document by its key in the cache, whose whole record the end of the
    /// build reads from there; gives the hit back when the cache no longer has it.
    pub(crate) fn put_cached(
        &self,
        seq: usize,
        hit: Hit,
        cache: &Cache,
    ) -> Result<Result<Parsed, Hit>, BuildError> {
        if !cache.has_record(&hit) {
            return Ok(Err(hit));
        }
        (self.cached.lock().unwrap_or_else(|e| e.into_inner())).insert(seq, hit.key().to_string());
        let spooled = Spooled {
            seq,
            ..Spooled::default()
        };
        Ok(Ok(Parsed {
            document: hit.document,
            counts: hit.counts,
            spooled,
        }))
    }

    fn insert(&self, seq: usize, body: &[u8]) -> Result<(), BuildError> {
        let connection = self.connection.lock().unwrap_or_else(|e| e.into_inner());
        connection
            .prepare_cached("INSERT INTO spool (seq, body) VALUES (?1, ?2)")
            .and_then(|mut insert| insert.execute(params![seq, body]))
            .map(drop)
            .map_err(spool_error(&self.path))
    }

    /// Writes the registry into `P/.N.sqlite-tmp-PID` and renames it over OUT.
    pub(crate) fn finish(
        self,
        assembled: &Assembled,
        target: &OutPaths,
        cache: Option<&Cache>,
    ) -> Result<(), BuildError> {
        let tmp = target.parent.join(format!(
            ".{}.sqlite-tmp-{}",
            target.name,
            std::process::id()
        ));
        let _ = fs::remove_file(&tmp);
        let result = write_file(assembled, (&self, cache), &tmp).and_then(|()| {
            fs::rename(&tmp, &target.out).map_err(io(&target.out, "move the new registry to"))?;
            sync_dir(&target.parent)
        });
        if result.is_err() {
            let _ = fs::remove_file(&tmp);
        }
        result
    }

    /// The document of input number `seq`: from the cache when it gives it, else spooled.
    fn document(&self, seq: usize, cache: Option<&Cache>) -> rusqlite::Result<Document> {
        let key = (self.cached.lock().unwrap_or_else(|e| e.into_inner())).remove(&seq);
        if let Some(key) = key {
            let document = cache.and_then(|cache| cache.document_of(&key));
            return document.ok_or_else(|| {
                rusqlite::Error::ToSqlConversionFailure(Box::new(std::io::Error::other(format!(
                    "the parse cache no longer gives the record of input {seq}; build again"
                ))))
            });
        }
        let connection = self.connection.lock().unwrap_or_else(|e| e.into_inner());
        let body: Vec<u8> = connection
            .prepare_cached("SELECT body FROM spool WHERE seq = ?1")?
            .query_row([seq], |r| r.get(0))?;
        serde_json::from_slice(&body).map_err(conversion)
    }
}

impl Drop for Spool {
    fn drop(&mut self) {
        let _ = fs::remove_file(&self.path);
    }
}

fn spool_error(path: &Path) -> impl Fn(rusqlite::Error) -> BuildError + '_ {
    move |e| BuildError::Serialise {
        what: format!("the spool of the SQLite registry {}", path.display()),
        message: e.to_string(),
    }
}

/// `.N.sqlite-tmp-PID` and `.N.sqlite-spool-PID` files of killed builds (the build lock is
/// held: none is being written).
fn remove_leftovers(target: &OutPaths) {
    let prefixes = ["tmp", "spool"].map(|kind| format!(".{}.sqlite-{kind}-", target.name));
    let Ok(entries) = fs::read_dir(&target.parent) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        if prefixes.iter().any(|prefix| {
            name.strip_prefix(prefix.as_str())
                .is_some_and(|pid| !pid.is_empty() && pid.bytes().all(|b| b.is_ascii_digit()))
        }) {
            let _ = fs::remove_file(entry.path());
        }
    }
}

fn write_file(
    assembled: &Assembled,
    spool: (&Spool, Option<&Cache>),
    path: &Path,
) -> Result<(), BuildError> {
    let failed = |e: rusqlite::Error| BuildError::Serialise {
        what: format!("the SQLite registry {}", path.display()),
        message: e.to_string(),
    };
    let mut connection = Connection::open(path).map_err(failed)?;
    // The file is renamed into place only once whole: no journal is needed to recover it.
    // The secondary indexes are built once the rows are in: one sorted pass each, rather
    // than a tree kept up to date through every insert.
    connection
        .execute_batch(
            "PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF; PRAGMA locking_mode = EXCLUSIVE;",
        )
        .map_err(failed)?;
    let (indexes, tables): (Vec<&str>, Vec<&str>) =
        schema_statements().partition(|statement| statement.starts_with("CREATE INDEX"));
    connection
        .execute_batch(&tables.join(";\n"))
        .map_err(failed)?;
    let transaction = connection.transaction().map_err(failed)?;
    insert_registry(&transaction, assembled, spool).map_err(failed)?;
    transaction
        .execute_batch(&indexes.join(";\n"))
        .map_err(failed)?;
    transaction.commit().map_err(failed)?;
    connection.close().map_err(|(_, e)| failed(e))?;
    fs::File::open(path)
        .and_then(|f| f.sync_all())
        .map_err(io(path, "sync"))
}

/// The statements of [`SCHEMA`], one by one.
fn schema_statements() -> impl Iterator<Item = &'static str> {
    SCHEMA.split(';').map(str::trim).filter(|s| !s.is_empty())
}

fn insert_registry(
    tx: &Transaction<'_>,
    assembled: &Assembled,
    spool: (&Spool, Option<&Cache>),
) -> rusqlite::Result<()> {
    let registry = &assembled.registry;
    let index = &registry.index;
    tx.execute(
        "INSERT INTO schema_version (version) VALUES (?1)",
        [SCHEMA_VERSION],
    )?;
    let t = &index.totals;
    tx.execute(
        "INSERT INTO registry VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
        params![
            index.registry,
            index.version,
            index.format.extension(),
            t.documents,
            t.skipped,
            t.agencies,
            t.obligations,
            t.citations,
            t.external_documents,
            t.diagnostics
        ],
    )?;
    insert_documents(tx, &index.documents, &assembled.placed, spool)?;
    insert_graph(tx, &registry.citations, &index.documents)?;
    insert_agencies(tx, registry)?;
    insert_index_lists(tx, index)
}

/// The documents in the index's order, each with its sections, targets and diagnostics,
/// read back from the spool (or the parse cache) one at a time with the key the registry
/// gives it.
fn insert_documents(
    tx: &Transaction<'_>,
    documents: &[IndexDocument],
    placed: &[Placed],
    (spool, cache): (&Spool, Option<&Cache>),
) -> rusqlite::Result<()> {
    let mut statement = tx.prepare(
        "INSERT INTO documents VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)",
    )?;
    let mut diagnostic = 0;
    for (position, (doc, placed)) in documents.iter().zip(placed).enumerate() {
        let mut body = spool.document(placed.spooled.seq, cache)?;
        body.key = placed.key.clone();
        let c = &doc.counts;
        statement.execute(params![
            doc.key,
            position,
            doc.id,
            doc.doc_type,
            doc.date,
            body.issuer,
            doc.subject,
            doc.file,
            doc.record,
            c.sections,
            c.citations,
            c.obligations,
            c.targets,
            c.diagnostics,
            json(&body)?,
        ])?;
        insert_contents(tx, &doc.key, &body, &mut diagnostic)?;
    }
    Ok(())
}

/// A document's sections, targets and diagnostics; `diagnostic` numbers the diagnostics
/// across documents.
fn insert_contents(
    tx: &Transaction<'_>,
    key: &str,
    document: &Document,
    diagnostic: &mut usize,
) -> rusqlite::Result<()> {
    let mut sections =
        tx.prepare_cached("INSERT INTO sections VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)")?;
    let mut flat: Vec<(Option<usize>, &Node)> = Vec::new();
    flatten(&document.sections, None, &mut flat);
    for (position, (parent, node)) in flat.iter().enumerate() {
        sections.execute(params![
            key,
            position,
            parent,
            node.path,
            node.label,
            text_of(&node.kind)?,
            node.title,
            node.text,
            node.line
        ])?;
    }
    let mut targets =
        tx.prepare_cached("INSERT INTO targets VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)")?;
    for (position, t) in document.targets.iter().enumerate() {
        targets.execute(params![
            key, position, t.path, t.value, t.unit, t.text, t.line
        ])?;
    }
    let mut diagnostics = tx.prepare_cached(
        "INSERT INTO diagnostics VALUES (?1, 'document', ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
    )?;
    for d in &document.diagnostics {
        diagnostics.execute(params![
            *diagnostic,
            key,
            document.id,
            d.severity.as_str(),
            d.code,
            d.message,
            document.file,
            d.line,
            d.column
        ])?;
        *diagnostic += 1;
    }
    Ok(())
}

/// The tree in document order, each node with the position of its parent.
fn flatten<'a>(nodes: &'a [Node], parent: Option<usize>, out: &mut Vec<(Option<usize>, &'a Node)>) {
    for node in nodes {
        let position = out.len();
        out.push((parent, node));
        flatten(&node.children, Some(position), out);
    }
}

fn insert_graph(
    tx: &Transaction<'_>,
    graph: &CitationGraph,
    documents: &[IndexDocument],
) -> rusqlite::Result<()> {
    let corpus: HashSet<&str> = documents.iter().map(|d| d.key.as_str()).collect();
    let mut nodes =
        tx.prepare("INSERT INTO nodes VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)")?;
    for (position, n) in graph.nodes.iter().enumerate() {
        let document = (n.in_corpus && corpus.contains(n.key.as_str())).then_some(&n.key);
        nodes.execute(params![
            n.key,
            position,
            n.id,
            n.in_corpus,
            document,
            n.doc_type,
            n.date,
            json(&n.types)?,
            json(&n.dates)?,
            json(&n.titles)?,
            json(&n.issuers)?,
            n.record
        ])?;
    }
    let mut edges = tx.prepare(
        "INSERT INTO citations VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)",
    )?;
    for (position, e) in graph.edges.iter().enumerate() {
        edges.execute(params![
            e.key,
            position,
            e.from_key,
            e.to_key,
            e.from,
            e.to,
            e.resolution.as_str(),
            json(&e.candidates)?,
            e.relation.as_str(),
            e.path,
            e.line,
            e.date,
            e.text
        ])?;
    }
    Ok(())
}

fn insert_agencies(tx: &Transaction<'_>, registry: &Registry) -> rusqlite::Result<()> {
    let document_of: HashMap<&str, &str> = registry
        .index
        .documents
        .iter()
        .map(|d| (d.record.as_str(), d.key.as_str()))
        .collect();
    let mut agencies =
        tx.prepare("INSERT INTO agencies VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)")?;
    let mut obligations = tx.prepare(
        "INSERT INTO obligations VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16)",
    )?;
    let mut position = 0;
    for (rank, (agency, entry)) in registry
        .agencies
        .iter()
        .zip(&registry.index.agencies)
        .enumerate()
    {
        let c = &agency.counts;
        agencies.execute(params![
            agency.slug,
            rank,
            agency.name,
            entry.record,
            agency.known,
            json(&agency.aliases)?,
            c.obligations,
            c.lead,
            c.support,
            c.documents
        ])?;
        for ob in &agency.obligations {
            let deadline = ob.deadline.as_ref();
            obligations.execute(params![
                ob.key,
                position,
                ob.id,
                agency.slug,
                document_of.get(ob.record.as_str()),
                ob.document,
                ob.path,
                text_of(&ob.role)?,
                text_of(&ob.modality)?,
                deadline.map(|d| &d.text),
                deadline.and_then(|d| d.date.as_ref()),
                deadline.and_then(|d| d.recurrence.as_ref()),
                json(&ob.partners)?,
                ob.text,
                ob.line,
                ob.record
            ])?;
            position += 1;
        }
    }
    Ok(())
}

fn insert_index_lists(tx: &Transaction<'_>, index: &Index) -> rusqlite::Result<()> {
    let mut statement = tx.prepare("INSERT INTO unknown_agencies VALUES (?1, ?2, ?3, ?4)")?;
    for (position, a) in index.unknown_agencies.iter().enumerate() {
        statement.execute(params![
            position,
            a.name,
            a.obligations,
            json(&a.documents)?
        ])?;
    }
    let mut statement = tx.prepare("INSERT INTO unlisted_laws VALUES (?1, ?2, ?3)")?;
    for (position, l) in index.unlisted_laws.iter().enumerate() {
        statement.execute(params![position, l.name, json(&l.documents)?])?;
    }
    let mut statement = tx.prepare("INSERT INTO skipped VALUES (?1, ?2, ?3)")?;
    for (position, s) in index.skipped.iter().enumerate() {
        statement.execute(params![position, s.file, s.reason])?;
    }
    // Registry-wide diagnostics after the documents' own, in the index's order.
    let first: i64 = tx.query_row(
        "SELECT coalesce(max(position) + 1, 0) FROM diagnostics",
        [],
        |r| r.get(0),
    )?;
    let mut statement = tx.prepare(
        "INSERT INTO diagnostics VALUES (?1, 'registry', NULL, ?2, NULL, ?3, ?4, ?5, ?6, NULL)",
    )?;
    for (i, d) in index.diagnostics.iter().enumerate() {
        statement.execute(params![
            first + i as i64,
            d.document,
            d.code,
            d.message,
            d.file,
            d.line
        ])?;
    }
    Ok(())
}

fn json<T: Serialize + ?Sized>(value: &T) -> rusqlite::Result<String> {
    serde_json::to_string(value).map_err(|e| rusqlite::Error::ToSqlConversionFailure(Box::new(e)))
}

/// The name a unit enum is written with (`lead`, `directive`, `clause`).
fn text_of<T: Serialize>(value: &T) -> rusqlite::Result<String> {
    match serde_json::to_value(value) {
        Ok(serde_json::Value::String(text)) => Ok(text),
        Ok(other) => Ok(other.to_string()),
        Err(e) => Err(rusqlite::Error::ToSqlConversionFailure(Box::new(e))),
    }
}

// Reading back.

/// Why reading `path` failed, as a registry error naming the file.
fn invalid(path: &Path) -> impl Fn(rusqlite::Error) -> RegistryError + '_ {
    move |e| RegistryError::Invalid {
        file: path.display().to_string(),
        expected: "vanban SQLite registry".into(),
        message: e.to_string(),
    }
}

fn open_read(path: &Path) -> Result<Connection, RegistryError> {
    Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )
    .map_err(invalid(path))
}

/// The schema version of the file at `path`; an error when it is not a registry of ours.
fn schema_version(path: &Path) -> Result<i64, RegistryError> {
    let connection = open_read(path)?;
    connection
        .query_row("SELECT version FROM schema_version", [], |r| r.get(0))
        .map_err(invalid(path))
}

/// Reads the index and the citation graph of the SQLite registry at `path`, as
/// [`Registry::open`] reads a folder's.
pub(crate) fn open(path: &Path) -> Result<Registry, RegistryError> {
    let version = schema_version(path)?;
    if version != SCHEMA_VERSION {
        return Err(RegistryError::Invalid {
            file: path.display().to_string(),
            expected: format!("vanban SQLite registry of schema version {SCHEMA_VERSION}"),
            message: format!("its schema version is {version}; rebuild it with this vanban"),
        });
    }
    let connection = open_read(path)?;
    let index = read_index(&connection).map_err(invalid(path))?;
    let citations = CitationGraph {
        nodes: rows(&connection, "SELECT * FROM nodes ORDER BY position", node)
            .map_err(invalid(path))?,
        edges: rows(
            &connection,
            "SELECT * FROM citations ORDER BY position",
            edge,
        )
        .map_err(invalid(path))?,
    };
    Ok(Registry {
        root: PathBuf::from(path),
        format: index.format,
        index,
        citations,
        agencies: Vec::new(),
    })
}

fn read_index(connection: &Connection) -> rusqlite::Result<Index> {
    let (registry, version, format, totals) =
        connection.query_row("SELECT * FROM registry", [], |r| {
            Ok((
                r.get::<_, String>("registry")?,
                r.get::<_, u32>("version")?,
                r.get::<_, String>("format")?,
                Totals {
                    documents: r.get("documents")?,
                    skipped: r.get("skipped")?,
                    agencies: r.get("agencies")?,
                    obligations: r.get("obligations")?,
                    citations: r.get("citations")?,
                    external_documents: r.get("external_documents")?,
                    diagnostics: r.get("diagnostics")?,
                },
            ))
        })?;
    Ok(Index {
        registry,
        version,
        format: from_text(&format)?,
        totals,
        documents: rows(
            connection,
            "SELECT * FROM documents ORDER BY position",
            index_document,
        )?,
        agencies: rows(
            connection,
            "SELECT * FROM agencies ORDER BY position",
            index_agency,
        )?,
        unknown_agencies: rows(
            connection,
            "SELECT * FROM unknown_agencies ORDER BY position",
            |r| {
                Ok(UnknownAgency {
                    name: r.get("name")?,
                    obligations: r.get("obligations")?,
                    documents: from_json(r, "documents")?,
                })
            },
        )?,
        unlisted_laws: rows(
            connection,
            "SELECT * FROM unlisted_laws ORDER BY position",
            |r| {
                Ok(UnlistedLaw {
                    name: r.get("name")?,
                    documents: from_json(r, "documents")?,
                })
            },
        )?,
        diagnostics: rows(
            connection,
            "SELECT * FROM diagnostics WHERE scope = 'registry' ORDER BY position",
            |r| {
                Ok(BuildDiagnostic {
                    code: r.get("code")?,
                    document: r.get("document_id")?,
                    file: r.get("file")?,
                    line: r.get("line")?,
                    message: r.get("message")?,
                })
            },
        )?,
        skipped: rows(connection, "SELECT * FROM skipped ORDER BY position", |r| {
            Ok(Skipped {
                file: r.get("file")?,
                reason: r.get("reason")?,
            })
        })?,
    })
}

fn rows<T>(
    connection: &Connection,
    sql: &str,
    read: impl FnMut(&Row<'_>) -> rusqlite::Result<T>,
) -> rusqlite::Result<Vec<T>> {
    let mut statement = connection.prepare(sql)?;
    let found = statement.query_map([], read)?;
    found.collect()
}

fn index_document(r: &Row<'_>) -> rusqlite::Result<IndexDocument> {
    Ok(IndexDocument {
        id: r.get("id")?,
        key: r.get("key")?,
        doc_type: r.get("type")?,
        date: r.get("date")?,
        subject: r.get("subject")?,
        file: r.get("file")?,
        record: r.get("record")?,
        counts: DocumentCounts {
            sections: r.get("sections")?,
            citations: r.get("citations")?,
            obligations: r.get("obligations")?,
            targets: r.get("targets")?,
            diagnostics: r.get("diagnostics")?,
        },
    })
}

fn agency_counts(r: &Row<'_>) -> rusqlite::Result<AgencyCounts> {
    Ok(AgencyCounts {
        obligations: r.get("obligations")?,
        lead: r.get("lead")?,
        support: r.get("support")?,
        documents: r.get("documents")?,
    })
}

fn index_agency(r: &Row<'_>) -> rusqlite::Result<IndexAgency> {
    Ok(IndexAgency {
        name: r.get("name")?,
        slug: r.get("slug")?,
        record: r.get("record")?,
        known: r.get("known")?,
        counts: agency_counts(r)?,
    })
}

fn node(r: &Row<'_>) -> rusqlite::Result<GraphNode> {
    Ok(GraphNode {
        id: r.get("id")?,
        key: r.get("key")?,
        in_corpus: r.get("in_corpus")?,
        doc_type: r.get("type")?,
        date: r.get("date")?,
        types: from_json(r, "types")?,
        dates: from_json(r, "dates")?,
        titles: from_json(r, "titles")?,
        issuers: from_json(r, "issuers")?,
        record: r.get("record")?,
    })
}

fn edge(r: &Row<'_>) -> rusqlite::Result<GraphEdge> {
    Ok(GraphEdge {
        key: r.get("key")?,
        from: r.get("from_id")?,
        to: r.get("to_id")?,
        from_key: r.get("from_key")?,
        to_key: r.get("to_key")?,
        resolution: from_text::<Resolution>(&r.get::<_, String>("resolution")?)?,
        candidates: from_json(r, "candidates")?,
        relation: from_text::<Relation>(&r.get::<_, String>("relation")?)?,
        path: r.get("path")?,
        line: r.get("line")?,
        date: r.get("date")?,
        text: r.get("text")?,
    })
}

/// Every agency with its obligations, in the registry's order ([`Registry::load_agencies`]).
pub(crate) fn agencies(path: &Path) -> Result<Vec<AgencyFile>, RegistryError> {
    let connection = open_read(path)?;
    let read = || -> rusqlite::Result<Vec<AgencyFile>> {
        let mut agencies = rows(
            &connection,
            "SELECT * FROM agencies ORDER BY position",
            |r| {
                Ok(AgencyFile {
                    name: r.get("name")?,
                    slug: r.get("slug")?,
                    aliases: from_json(r, "aliases")?,
                    known: r.get("known")?,
                    counts: agency_counts(r)?,
                    obligations: Vec::new(),
                })
            },
        )?;
        let rank: HashMap<String, usize> = (agencies.iter().enumerate())
            .map(|(i, a)| (a.slug.clone(), i))
            .collect();
        let obligations = rows(
            &connection,
            "SELECT * FROM obligations ORDER BY position",
            |r| Ok((r.get::<_, String>("agency")?, obligation(r)?)),
        )?;
        for (slug, ob) in obligations {
            if let Some(&i) = rank.get(&slug) {
                agencies[i].obligations.push(ob);
            }
        }
        Ok(agencies)
    };
    read().map_err(invalid(path))
}

fn obligation(r: &Row<'_>) -> rusqlite::Result<AgencyObligation> {
    let deadline = match r.get::<_, Option<String>>("deadline_text")? {
        Some(text) => Some(Deadline {
            text,
            date: r.get("deadline_date")?,
            recurrence: r.get("deadline_recurrence")?,
        }),
        None => None,
    };
    Ok(AgencyObligation {
        id: r.get("id")?,
        key: r.get("key")?,
        document: r.get("document_id")?,
        path: r.get("path")?,
        role: from_text::<Role>(&r.get::<_, String>("role")?)?,
        modality: from_text::<Modality>(&r.get::<_, String>("modality")?)?,
        deadline,
        partners: from_json(r, "partners")?,
        text: r.get("text")?,
        line: r.get("line")?,
        record: r.get("record")?,
    })
}

/// The document record stored as `record` ([`Registry::document`]).
pub(crate) fn document(path: &Path, record: &str) -> Result<Document, RegistryError> {
    let connection = open_read(path)?;
    let body: String = connection
        .query_row(
            "SELECT body FROM documents WHERE record = ?1",
            [record],
            |r| r.get(0),
        )
        .map_err(invalid(path))?;
    serde_json::from_str(&body).map_err(|e| RegistryError::Invalid {
        file: format!("{}: documents.body of {record}", path.display()),
        expected: "document record".into(),
        message: e.to_string(),
    })
}

fn conversion(e: serde_json::Error) -> rusqlite::Error {
    rusqlite::Error::FromSqlConversionFailure(0, rusqlite::types::Type::Text, Box::new(e))
}

fn from_json<T: DeserializeOwned>(r: &Row<'_>, column: &str) -> rusqlite::Result<T> {
    serde_json::from_str(&r.get::<_, String>(column)?).map_err(conversion)
}

/// A unit enum from the name [`text_of`] wrote.
fn from_text<T: DeserializeOwned>(text: &str) -> rusqlite::Result<T> {
    serde_json::from_value(serde_json::Value::String(text.to_string())).map_err(conversion)
}
