//! Parsed documents into the in-memory registry: sorted documents with their record file
//! names, the citation graph (`resolve.rs`), the agencies (`agencies.rs`) and
//! the index over all of them.
//!
//! Everything here is deterministic: lists are sorted, maps are `BTreeMap`s, no clock and
//! no absolute path goes into a file.

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;

use super::agencies::{agencies, Agencies};
use super::names::{record_stem, unique_name};
use super::registry::{
    BuildDiagnostic, CitationGraph, DocumentCounts, DocumentFile, Format, Index, IndexDocument,
    Registry, Skipped, Totals, UnlistedLaw, REGISTRY_VERSION,
};
use super::resolve::{resolve, ByKey};
use crate::lexicon::doc_number::id_key;
use crate::pipeline::Rules;
use crate::record::{walk_all, Document};

/// Builds the registry of `documents` (their `file` already relative to the built folder).
pub fn assemble(
    mut documents: Vec<Document>,
    mut skipped: Vec<Skipped>,
    rules: &Rules,
    format: Format,
) -> Registry {
    documents.sort_by(|a, b| {
        (id_key(&a.id), &a.date, &a.file, &a.id).cmp(&(id_key(&b.id), &b.date, &b.file, &b.id))
    });
    skipped.sort();
    skipped.dedup();
    let (records, by_key, mut diagnostics) = record_names(&documents, format);
    diagnostics.extend(duplicate_ids(&documents, &by_key));
    let (citations, conflicts) = resolve(&documents, &by_key, &records, rules);
    diagnostics.extend(conflicts);
    diagnostics.sort();
    diagnostics.dedup();
    let agencies = agencies(&documents, &records, rules, format);
    let index = index(
        &documents,
        &records,
        skipped,
        &citations,
        diagnostics,
        &agencies,
        format,
    );
    let documents = documents
        .into_iter()
        .zip(records)
        .map(|(document, record)| DocumentFile { record, document })
        .collect();
    Registry {
        root: PathBuf::new(),
        format,
        index,
        citations,
        agencies: agencies.files,
        documents,
    }
}

/// The record file of each document (`documents/31_KH-UBND.yaml`, unique), the corpus
/// documents under each id key, and a `missing-id` diagnostic for each document without one.
fn record_names(
    documents: &[Document],
    format: Format,
) -> (Vec<String>, ByKey, Vec<BuildDiagnostic>) {
    let ext = format.extension();
    let mut used = BTreeSet::new();
    let mut records = Vec::with_capacity(documents.len());
    let mut by_key: ByKey = BTreeMap::new();
    let mut diagnostics = Vec::new();
    for (i, doc) in documents.iter().enumerate() {
        let stem = if doc.id.trim().is_empty() {
            diagnostics.push(BuildDiagnostic {
                code: "missing-id".into(),
                document: String::new(),
                file: doc.file.clone(),
                line: 0,
                message:
                    "no số/ký hiệu found; the document is in the registry but nothing can cite it"
                        .into(),
            });
            format!("unnumbered_{}", record_stem(&doc.file))
        } else {
            by_key.entry(id_key(&doc.id)).or_default().push(i);
            record_stem(&doc.id)
        };
        records.push(format!("documents/{}.{ext}", unique_name(&mut used, &stem)));
    }
    (records, by_key, diagnostics)
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
            code: "duplicate-id".into(),
            document: first.id.clone(),
            file: first.file.clone(),
            line: 0,
            message: format!(
                "{} ({}) is also the id of {}; citations resolve by date, else to this file",
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
    documents: &[Document],
    records: &[String],
    skipped: Vec<Skipped>,
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
        documents: index_documents(documents, records),
        agencies: agencies.index.clone(),
        unknown_agencies: agencies.unknown.clone(),
        unlisted_laws: unlisted_laws(documents),
        diagnostics,
        skipped,
    }
}

/// One index entry per document, with the counts of what it holds.
fn index_documents(documents: &[Document], records: &[String]) -> Vec<IndexDocument> {
    documents
        .iter()
        .zip(records)
        .map(|(doc, record)| IndexDocument {
            id: doc.id.clone(),
            doc_type: doc.doc_type.clone(),
            date: doc.date.clone(),
            subject: doc.subject.clone(),
            file: doc.file.clone(),
            record: record.clone(),
            counts: DocumentCounts {
                sections: walk_all(&doc.sections).len(),
                citations: doc.citations.len(),
                obligations: doc.obligations.len(),
                targets: doc.targets.len(),
                diagnostics: doc.diagnostics.len(),
            },
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
