//! Citation resolution: the citation graph of a corpus, with each cited id resolved to the
//! corpus document carrying it (by [`id_key`], so `291/QD-TTG` is `291/QĐ-TTg`), and the
//! `citation-date-conflict` diagnostics of citations whose date no such document has.
//!
//! A node is every corpus document with an id and every id cited; what the corpus says of
//! a node (its spellings, types, dates, titles, issuers) is gathered from the document
//! itself and from every citation of it, and the commonest value stands for a cited
//! document the corpus does not hold.

use std::collections::{BTreeMap, BTreeSet};

use super::registry::{BuildDiagnostic, CitationGraph, GraphEdge, GraphNode};
use crate::lexicon::doc_number::id_key;
use crate::pipeline::Rules;
use crate::record::{Citation, Document};

/// The corpus documents under each id key, as indexes into the sorted documents; the first
/// is the one citations resolve to when their date does not pick another.
pub(crate) type ByKey = BTreeMap<String, Vec<usize>>;

/// What the citations of the corpus say about one cited or corpus document.
#[derive(Default)]
struct NodeAcc {
    spellings: BTreeMap<String, usize>,
    types: BTreeMap<String, usize>,
    dates: BTreeMap<String, usize>,
    titles: BTreeSet<String>,
    issuers: BTreeSet<String>,
    /// The corpus document carrying this id (the first one when several do).
    corpus: Option<usize>,
}

/// The citation graph of `documents` (sorted as [`super::assemble::assemble`] sorts them,
/// `records` their record files) and the date conflicts found while resolving it.
pub(crate) fn resolve(
    documents: &[Document],
    by_key: &ByKey,
    records: &[String],
    rules: &Rules,
) -> (CitationGraph, Vec<BuildDiagnostic>) {
    let mut nodes = corpus_nodes(documents, by_key);
    let mut diagnostics = Vec::new();
    let mut keyed_edges = Vec::new();
    for doc in documents.iter().filter(|d| !d.id.trim().is_empty()) {
        let from_key = id_key(&doc.id);
        for citation in &doc.citations {
            let key = id_key(&citation.id);
            if key.is_empty() || key == from_key {
                continue;
            }
            note_citation(nodes.entry(key.clone()).or_default(), citation, &key, rules);
            if let Some(conflict) = date_conflict(doc, citation, by_key.get(&key), documents) {
                diagnostics.push(conflict);
            }
            keyed_edges.push((key, edge(doc, citation)));
        }
    }
    let canonical = canonical_ids(&nodes, documents);
    let graph = CitationGraph {
        nodes: graph_nodes(&nodes, &canonical, documents, records),
        edges: sorted_edges(keyed_edges, &canonical),
    };
    (graph, diagnostics)
}

/// A node for every corpus document with an id, with what the documents say of themselves.
fn corpus_nodes(documents: &[Document], by_key: &ByKey) -> BTreeMap<String, NodeAcc> {
    let mut nodes: BTreeMap<String, NodeAcc> = BTreeMap::new();
    for (key, indexes) in by_key {
        let acc = nodes.entry(key.clone()).or_default();
        acc.corpus = Some(indexes[0]);
        for &i in indexes {
            let doc = &documents[i];
            *acc.spellings.entry(doc.id.clone()).or_default() += 1;
            if !doc.doc_type.is_empty() {
                *acc.types.entry(doc.doc_type.clone()).or_default() += 1;
            }
            if let Some(date) = &doc.date {
                *acc.dates.entry(date.clone()).or_default() += 1;
            }
            if !doc.subject.is_empty() {
                acc.titles.insert(doc.subject.clone());
            }
            if let Some(issuer) = doc.issuer.as_ref().filter(|s| !s.is_empty()) {
                acc.issuers.insert(issuer.clone());
            }
        }
    }
    nodes
}

/// Adds what one citation says of the document it cites (key `key`) to that node.
fn note_citation(acc: &mut NodeAcc, citation: &Citation, key: &str, rules: &Rules) {
    // The canonical capitalisation of known codes (`QĐ-TTG` → `QĐ-TTg`).
    let spelling = crate::lexicon::doc_number::parse(&citation.id, &rules.lexicon)
        .map(|n| n.id)
        .filter(|id| id_key(id) == key)
        .unwrap_or_else(|| citation.id.clone());
    *acc.spellings.entry(spelling).or_default() += 1;
    if !citation.doc_type.is_empty() {
        *acc.types.entry(citation.doc_type.clone()).or_default() += 1;
    }
    if let Some(date) = &citation.date {
        *acc.dates.entry(date.clone()).or_default() += 1;
    }
    if let Some(issuer) = citation.issuer.as_ref().filter(|s| !s.is_empty()) {
        acc.issuers.insert(issuer.clone());
    }
}

/// A `citation-date-conflict` when `citation` gives a date and none of the dated corpus
/// documents with its id (`indexes`) has that date.
fn date_conflict(
    doc: &Document,
    citation: &Citation,
    indexes: Option<&Vec<usize>>,
    documents: &[Document],
) -> Option<BuildDiagnostic> {
    let (indexes, cited_date) = (indexes?, citation.date.as_ref()?);
    let dated: Vec<&Document> = indexes
        .iter()
        .map(|&i| &documents[i])
        .filter(|d| d.date.is_some())
        .collect();
    if dated.is_empty() || dated.iter().any(|d| d.date.as_ref() == Some(cited_date)) {
        return None;
    }
    let target = dated[0];
    Some(BuildDiagnostic {
        code: "citation-date-conflict".into(),
        document: doc.id.clone(),
        file: doc.file.clone(),
        line: citation.line,
        message: format!(
            "{} cites {} as of {} (at {}), but {} in the corpus ({}) is dated {}; \
             one of the dates is wrong, or the number was reused in another year",
            doc.id,
            citation.id,
            cited_date,
            if citation.path.is_empty() {
                "?"
            } else {
                &citation.path
            },
            target.id,
            target.file,
            target.date.as_deref().unwrap_or("?")
        ),
    })
}

/// The edge of one citation, its `to` left empty until the canonical ids are known.
fn edge(doc: &Document, citation: &Citation) -> GraphEdge {
    GraphEdge {
        from: doc.id.clone(),
        to: String::new(),
        relation: citation.relation,
        path: citation.path.clone(),
        line: citation.line,
        date: citation.date.clone(),
        text: citation.text.clone(),
    }
}

/// The spelling each node goes by: the corpus document's own id, else the commonest.
fn canonical_ids(
    nodes: &BTreeMap<String, NodeAcc>,
    documents: &[Document],
) -> BTreeMap<String, String> {
    nodes
        .iter()
        .map(|(key, acc)| {
            let id = match acc.corpus {
                Some(i) => documents[i].id.clone(),
                None => most_common(&acc.spellings).unwrap_or_default(),
            };
            (key.clone(), id)
        })
        .collect()
}

/// The edges with their canonical `to`, sorted by citing document, line and cited id, each
/// once.
fn sorted_edges(
    keyed_edges: Vec<(String, GraphEdge)>,
    canonical: &BTreeMap<String, String>,
) -> Vec<GraphEdge> {
    let mut edges: Vec<GraphEdge> = keyed_edges
        .into_iter()
        .map(|(key, mut edge)| {
            edge.to = canonical[&key].clone();
            edge
        })
        .collect();
    edges.sort_by(|a, b| {
        (
            id_key(&a.from),
            a.line,
            &a.path,
            id_key(&a.to),
            a.relation.as_str(),
            &a.text,
        )
            .cmp(&(
                id_key(&b.from),
                b.line,
                &b.path,
                id_key(&b.to),
                b.relation.as_str(),
                &b.text,
            ))
    });
    edges.dedup();
    edges
}

/// The nodes of `citations`: a corpus document's own type and date, else the commonest
/// its citations give.
fn graph_nodes(
    nodes: &BTreeMap<String, NodeAcc>,
    canonical: &BTreeMap<String, String>,
    documents: &[Document],
    records: &[String],
) -> Vec<GraphNode> {
    nodes
        .iter()
        .map(|(key, acc)| {
            let own = acc.corpus.map(|i| &documents[i]);
            GraphNode {
                id: canonical[key].clone(),
                in_corpus: own.is_some(),
                doc_type: own
                    .map(|d| d.doc_type.clone())
                    .filter(|t| !t.is_empty())
                    .or_else(|| most_common(&acc.types)),
                date: own
                    .and_then(|d| d.date.clone())
                    .or_else(|| most_common(&acc.dates)),
                types: acc.types.keys().cloned().collect(),
                dates: acc.dates.keys().cloned().collect(),
                titles: acc.titles.iter().cloned().collect(),
                issuers: acc.issuers.iter().cloned().collect(),
                record: acc.corpus.map(|i| records[i].clone()),
            }
        })
        .collect()
}

fn most_common(counts: &BTreeMap<String, usize>) -> Option<String> {
    // Highest count; ties go to the first in sort order, so the choice is stable.
    let mut best: Option<(&String, usize)> = None;
    for (value, &count) in counts {
        if best.is_none_or(|(_, c)| count > c) {
            best = Some((value, count));
        }
    }
    best.map(|(value, _)| value.clone())
}
