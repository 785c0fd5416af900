//! Parsed documents into the in-memory registry: sorted documents with their record file
//! names, the citation graph (`resolve.rs`), the agencies (`agencies.rs`) and
//! the index over all of them.
//!
//! A build writes each record as soon as its document is parsed (`store.rs`, `sqlite.rs`)
//! and keeps of it only a [`Parsed`]: the document without its text, which is all that
//! linking reads. A record's file name and key depend on the whole corpus (documents that
//! share an id or a key are told apart), so it is first written under the name and key it
//! has when nothing else shares them ([`provisional`]); [`assemble`] returns the final ones
//! ([`Placed`]) and the writer moves or rewrites the few records that differ.
//!
//! Everything here is deterministic: lists are sorted, maps are `BTreeMap`s, no clock and
//! no absolute path goes into a file.

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;

use super::agencies::{agencies, Agencies};
use super::identity::{document_keys, Issuer};
use super::names::{record_stem, unique_name};
use super::registry::{
    BuildDiagnostic, CitationGraph, DocumentCounts, Format, Index, IndexDocument, Registry,
    Skipped, Totals, UnlistedLaw, REGISTRY_VERSION,
};
use super::resolve::{by_number, resolve, ByKey, Corpus};
use crate::codes;
use crate::lexicon::doc_number::id_key;
use crate::pipeline::Rules;
use crate::record::{walk_all, Document};

/// What a build keeps of a document once its record is written: the document without the
/// parts only the record holds (its sections, targets, diagnostics, addressees and
/// recipients, which are most of its text), the counts of those parts for the index, and
/// where the record was written. Memory then grows with the corpus's citations and
/// obligations, not with its text.
#[derive(Debug, Clone)]
pub(crate) struct Parsed {
    pub(crate) document: Document,
    pub(crate) counts: DocumentCounts,
    pub(crate) spooled: Spooled,
}

/// Where and how a record was first written.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct Spooled {
    /// The document's number among the build's inputs: names its spooled record.
    pub(crate) seq: usize,
    /// The file it was written to in a folder registry (`documents/31_KH-UBND.yaml`, or a
    /// hidden `documents/.SEQ.yaml` when another document had claimed that name first).
    pub(crate) record: String,
    /// The key written into it ([`provisional`]).
    pub(crate) key: String,
    /// The SHA-256 of the bytes written (for the index's `files`).
    pub(crate) digest: String,
    /// Not written yet: the parse cache has the document, and its record was last written
    /// under another name or key than the provisional ones (see `store.rs`); `record` is
    /// then empty.
    pub(crate) deferred: Option<Written>,
}

/// A record file written from a cached document: in which format, under which name, with
/// which key, and the SHA-256 of its bytes. A rebuild that would write the same (format,
/// name, key) links the previous registry's file when it has those bytes, without writing
/// the record again.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub(crate) struct Written {
    pub(crate) format: String,
    /// Its name in the registry (`documents/31_KH-UBND.yaml`).
    pub(crate) record: String,
    pub(crate) key: String,
    pub(crate) digest: String,
}

impl Parsed {
    /// Keeps what linking needs of `document`, whose record was written as `spooled`.
    pub(crate) fn of(mut document: Document, spooled: Spooled) -> Parsed {
        let counts = DocumentCounts {
            sections: walk_all(&document.sections).len(),
            citations: document.citations.len(),
            obligations: document.obligations.len(),
            targets: document.targets.len(),
            diagnostics: document.diagnostics.len(),
        };
        for dropped in [&mut document.addressees, &mut document.recipients] {
            *dropped = Vec::new();
        }
        document.sections = Vec::new();
        document.targets = Vec::new();
        document.diagnostics = Vec::new();
        Parsed {
            document,
            counts,
            spooled,
        }
    }
}

/// The record file stem and the key a document has when no other document of the corpus
/// shares its id or its key: what its record is first written with.
pub(crate) fn provisional(document: &Document, rules: &Rules) -> (String, String) {
    let issuer = Issuer::of_document(document, &rules.lexicon);
    let mut key = base_key(document, &issuer);
    // As `document_keys` does: an unnumbered document always carries its digest.
    if document.id.trim().is_empty() && !document.source_digest.is_empty() {
        key = format!("{key}:{}", document.source_digest);
    }
    (record_stem_of(document), key)
}

/// Where a record belongs in the registry: its final file name and key, with where it was
/// first written.
#[derive(Debug, Clone)]
pub(crate) struct Placed {
    pub(crate) spooled: Spooled,
    /// `documents/31_KH-UBND.yaml`.
    pub(crate) record: String,
    pub(crate) key: String,
}

impl Placed {
    /// The record was written where and as it belongs.
    pub(crate) fn in_place(&self) -> bool {
        self.spooled.record == self.record && self.spooled.key == self.key
    }
}

/// An assembled registry and where each of its documents' records belongs, in the order of
/// the index's documents.
pub(crate) struct Assembled {
    pub(crate) registry: Registry,
    pub(crate) placed: Vec<Placed>,
}

/// Builds the registry of `documents` (their `file` already relative to the built folder).
pub(crate) fn assemble(
    mut parsed: Vec<Parsed>,
    mut skipped: Vec<Skipped>,
    rules: &Rules,
    format: Format,
) -> Assembled {
    parsed.sort_by_cached_key(|p| {
        let d = &p.document;
        (id_key(&d.id), d.date.clone(), d.file.clone(), d.id.clone())
    });
    skipped.sort();
    skipped.dedup();
    let (mut documents, rest): (Vec<Document>, Vec<(DocumentCounts, Spooled)>) = parsed
        .into_iter()
        .map(|p| (p.document, (p.counts, p.spooled)))
        .unzip();
    let (counts, spooled): (Vec<DocumentCounts>, Vec<Spooled>) = rest.into_iter().unzip();
    let issuers: Vec<Issuer> = documents
        .iter()
        .map(|d| Issuer::of_document(d, &rules.lexicon))
        .collect();
    let keys = document_keys(&documents, &issuers);
    let base_keys: Vec<String> = documents
        .iter()
        .zip(&issuers)
        .map(|(d, i)| base_key(d, i))
        .collect();
    let (records, mut diagnostics) = record_names(&documents, &keys, format);
    let by_key = by_number(&documents);
    diagnostics.extend(duplicate_ids(&documents, &ids_only(&documents)));
    let corpus = Corpus {
        documents: &documents,
        keys: &keys,
        base_keys: &base_keys,
        records: &records,
        issuers: &issuers,
        by_key: &by_key,
    };
    let (citations, conflicts) = resolve(&corpus, rules);
    diagnostics.extend(conflicts);
    diagnostics.sort();
    diagnostics.dedup();
    // What the index needs of the citations and obligations, before they are dropped: the
    // graph and the agency files hold them now.
    let unlisted = unlisted_laws(&documents);
    for doc in &mut documents {
        doc.citations = Vec::new();
    }
    let agencies = agencies(&documents, &records, &keys, rules, format);
    for doc in &mut documents {
        doc.obligations = Vec::new();
    }
    for (doc, key) in documents.iter_mut().zip(&keys) {
        doc.key = key.clone();
    }
    let index = index(
        (&documents, &counts),
        &records,
        (skipped, unlisted),
        &citations,
        diagnostics,
        &agencies,
        format,
    );
    let placed = spooled
        .into_iter()
        .zip(records)
        .zip(keys)
        .map(|((spooled, record), key)| Placed {
            spooled,
            record,
            key,
        })
        .collect();
    let registry = Registry {
        root: PathBuf::new(),
        format,
        index,
        citations,
        agencies: agencies.files,
    };
    Assembled { registry, placed }
}

/// `ISSUER:ID:DATE`, the key of a document that no other shares (see `identity.rs`).
fn base_key(document: &Document, issuer: &Issuer) -> String {
    format!(
        "{}:{}:{}",
        issuer.slug(),
        document.id.trim(),
        document.date.as_deref().unwrap_or("nodate")
    )
}

/// The stem of a document's record file when no other document's makes the same name.
fn record_stem_of(document: &Document) -> String {
    if document.id.trim().is_empty() {
        format!("unnumbered_{}", record_stem(&document.file))
    } else {
        record_stem(&document.id)
    }
}

/// The record file of each document (`documents/31_KH-UBND.yaml`): its id when no other
/// document's id makes the same file name (case aside), else a name derived from its key
/// (`556_KH-UBND~ubnd-tinh-dong-thap_2025-11-19`), never from the order of the inputs; and a
/// `missing-id` diagnostic for each document without an id.
fn record_names(
    documents: &[Document],
    keys: &[String],
    format: Format,
) -> (Vec<String>, Vec<BuildDiagnostic>) {
    let ext = format.extension();
    let mut diagnostics = Vec::new();
    let stems: Vec<String> = documents
        .iter()
        .map(|doc| {
            if doc.id.trim().is_empty() {
                diagnostics.push(BuildDiagnostic {
                    code: codes::MISSING_ID.into(),
                    document: String::new(),
                    file: doc.file.clone(),
                    line: whole_document_line(doc),
                    message:
                        "no số/ký hiệu found; the document is in the registry but nothing can cite it"
                            .into(),
                });
            }
            record_stem_of(doc)
        })
        .collect();
    let mut count: BTreeMap<String, usize> = BTreeMap::new();
    for stem in &stems {
        *count.entry(stem.to_lowercase()).or_default() += 1;
    }
    let mut used = BTreeSet::new();
    let records = stems
        .iter()
        .zip(keys)
        .zip(documents)
        .map(|((stem, key), doc)| {
            let name = if count[&stem.to_lowercase()] > 1 {
                // The key after the id: `ISSUER:ID:DATE[:DIGEST[:FILE]]` without the id.
                let rest = key.replacen(&format!(":{}:", doc.id.trim()), ":", 1);
                record_stem(&format!("{stem}~{}", rest.replace(':', "_")))
            } else {
                stem.clone()
            };
            format!("documents/{}.{ext}", unique_name(&mut used, &name))
        })
        .collect();
    (records, diagnostics)
}

/// Where a diagnostic about a whole document points: its Số line or header (set by the
/// pipeline), and line 1 for a document assembled by hand without one, never line 0.
fn whole_document_line(doc: &Document) -> u32 {
    doc.header_line.max(1)
}

/// The documents under each id key (their own id only).
fn ids_only(documents: &[Document]) -> ByKey {
    let mut by_key: ByKey = BTreeMap::new();
    for (i, doc) in documents.iter().enumerate() {
        if !doc.id.trim().is_empty() {
            by_key.entry(id_key(&doc.id)).or_default().push(i);
        }
    }
    by_key
}

/// A `duplicate-id` diagnostic for each id that several corpus documents carry.
fn duplicate_ids(documents: &[Document], by_key: &ByKey) -> Vec<BuildDiagnostic> {
    let mut diagnostics = Vec::new();
    for indexes in by_key.values().filter(|v| v.len() > 1) {
        let first = &documents[indexes[0]];
        let others: Vec<String> = indexes[1..]
            .iter()
            .map(|&i| {
                format!(
                    "{} ({})",
                    documents[i].file,
                    documents[i].date.as_deref().unwrap_or("no date")
                )
            })
            .collect();
        diagnostics.push(BuildDiagnostic {
            code: codes::DUPLICATE_ID.into(),
            document: first.id.clone(),
            file: first.file.clone(),
            line: whole_document_line(first),
            message: format!(
                "{} ({}) is also the id of {}; citations resolve by issuer and date, and the records are named by key",
                first.id,
                first.date.as_deref().unwrap_or("no date"),
                others.join(", ")
            ),
        });
    }
    diagnostics
}

/// The index of the registry: its documents, agencies, totals and problems (`diagnostics`
/// sorted, each once).
fn index(
    (documents, counts): (&[Document], &[DocumentCounts]),
    records: &[String],
    (skipped, unlisted_laws): (Vec<Skipped>, Vec<UnlistedLaw>),
    citations: &CitationGraph,
    diagnostics: Vec<BuildDiagnostic>,
    agencies: &Agencies,
    format: Format,
) -> Index {
    let totals = Totals {
        documents: documents.len(),
        skipped: skipped.len(),
        agencies: agencies.files.len(),
        obligations: agencies.files.iter().map(|a| a.obligations.len()).sum(),
        citations: citations.edges.len(),
        external_documents: citations.nodes.iter().filter(|n| !n.in_corpus).count(),
        diagnostics: diagnostics.len(),
    };
    Index {
        registry: "vanban".into(),
        version: REGISTRY_VERSION,
        format,
        totals,
        documents: index_documents(documents, counts, records),
        agencies: agencies.index.clone(),
        unknown_agencies: agencies.unknown.clone(),
        unlisted_laws,
        diagnostics,
        skipped,
    }
}

/// One index entry per document, with the counts of what it holds.
fn index_documents(
    documents: &[Document],
    counts: &[DocumentCounts],
    records: &[String],
) -> Vec<IndexDocument> {
    documents
        .iter()
        .zip(counts)
        .zip(records)
        .map(|((doc, counts), record)| IndexDocument {
            id: doc.id.clone(),
            key: doc.key.clone(),
            doc_type: doc.doc_type.clone(),
            date: doc.date.clone(),
            subject: doc.subject.clone(),
            file: doc.file.clone(),
            record: record.clone(),
            counts: counts.clone(),
        })
        .collect()
}

/// Laws cited by a name that `rules/laws.yaml` does not list, with the documents citing
/// each (by id, or by file when a document has none).
fn unlisted_laws(documents: &[Document]) -> Vec<UnlistedLaw> {
    let mut unlisted: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
    for doc in documents {
        let cited_by = if doc.id.is_empty() {
            &doc.file
        } else {
            &doc.id
        };
        for c in doc
            .citations
            .iter()
            .filter(|c| c.unlisted_name && c.number.is_empty())
        {
            unlisted.entry(&c.id).or_default().insert(cited_by);
        }
    }
    unlisted
        .into_iter()
        .map(|(name, docs)| UnlistedLaw {
            name: name.to_string(),
            documents: docs.into_iter().map(str::to_string).collect(),
        })
        .collect()
}
