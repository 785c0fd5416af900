//! Citation resolution: the citation graph of a corpus, each citation resolved to the corpus
//! document it names, or left unresolved, or reported ambiguous with its candidates; and the
//! `citation-date-conflict` diagnostics of citations whose date no such document has.
//!
//! A citation resolves to a corpus document only when the number and symbol match (its id,
//! or the `Số hiệu` of a portal's metadata), the issuer is compatible and the date or year
//! agrees (`identity::mismatches`). When corpus documents carry the number but none fits, or
//! several different ones fit, the citation is `ambiguous`: its edge goes to the cited
//! document as a node of its own, not in the corpus, and lists the candidates and why none
//! was chosen. A law cited by name alone is the law of the number `rules/laws.yaml` gives it.
//!
//! A node is every corpus document with an id and every cited document not in the corpus;
//! what the corpus says of a node (its spellings, types, dates, titles, issuers) is gathered
//! from the document itself and from every citation of it, and the commonest value stands
//! for a cited document the corpus does not hold.

use std::collections::{BTreeMap, BTreeSet};

use super::identity::{mismatches, refine, Issuer};
use super::registry::{
    BuildDiagnostic, Candidate, CitationGraph, GraphEdge, GraphNode, Resolution,
};
use crate::lexicon::doc_number::id_key;
use crate::lexicon::issuing::Scope;
use crate::pipeline::Rules;
use crate::record::{Citation, Document};

/// The corpus documents under each id key (their own id, and the `Số hiệu` of a portal's
/// metadata), as indexes into the sorted documents.
pub(crate) type ByKey = BTreeMap<String, Vec<usize>>;

/// The documents of a corpus with what resolution needs of each.
pub(crate) struct Corpus<'a> {
    pub(crate) documents: &'a [Document],
    pub(crate) keys: &'a [String],
    /// The key without a digest or a file: exact duplicates share it.
    pub(crate) base_keys: &'a [String],
    pub(crate) records: &'a [String],
    pub(crate) issuers: &'a [Issuer],
    pub(crate) by_key: &'a ByKey,
}

/// What the citations of the corpus say about one cited or corpus document.
#[derive(Default)]
struct NodeAcc {
    spellings: BTreeMap<String, usize>,
    types: BTreeMap<String, usize>,
    dates: BTreeMap<String, usize>,
    titles: BTreeSet<String>,
    issuers: BTreeSet<String>,
    /// The corpus document of this node.
    corpus: Option<usize>,
}

/// The corpus documents under each id key: their id, and a portal's metadata number.
pub(crate) fn by_number(documents: &[Document]) -> ByKey {
    let mut by_key: ByKey = BTreeMap::new();
    for (i, doc) in documents.iter().enumerate() {
        let mut keys = BTreeSet::new();
        if !doc.id.trim().is_empty() {
            keys.insert(id_key(&doc.id));
        }
        if let Some(number) = doc.source_metadata.as_ref().and_then(|m| m.get("Số hiệu")) {
            if !number.trim().is_empty() {
                keys.insert(id_key(number.trim()));
            }
        }
        for key in keys {
            by_key.entry(key).or_default().push(i);
        }
    }
    by_key
}

/// How one citation resolved: to a corpus document, or to a node not in the corpus.
struct Outcome {
    resolution: Resolution,
    target: Option<usize>,
    candidates: Vec<Candidate>,
}

/// The citation graph of the corpus and the date conflicts found while resolving it.
pub(crate) fn resolve(corpus: &Corpus, rules: &Rules) -> (CitationGraph, Vec<BuildDiagnostic>) {
    let documents = corpus.documents;
    let mut nodes = corpus_nodes(corpus);
    let mut diagnostics = Vec::new();
    let mut keyed_edges = Vec::new();
    for (d, doc) in documents.iter().enumerate() {
        if doc.id.trim().is_empty() {
            continue;
        }
        let own = id_key(&doc.id);
        for citation in &doc.citations {
            let (number, key) = cited_number(citation, rules);
            if key.is_empty() || key == own {
                continue;
            }
            let outcome = choose(corpus, d, citation, corpus.by_key.get(&key), rules);
            let to_key = match outcome.target {
                Some(t) => corpus.keys[t].clone(),
                None => external_key(citation, &corpus.issuers[d], &key, rules),
            };
            let acc = nodes.entry(to_key.clone()).or_default();
            note_citation(acc, citation, number.as_deref(), &key, rules);
            if let Some(conflict) = date_conflict(doc, citation, corpus.by_key.get(&key), documents)
            {
                diagnostics.push(conflict);
            }
            let mut edge = edge(doc, citation);
            edge.from_key = corpus.keys[d].clone();
            edge.to_key = to_key;
            edge.resolution = outcome.resolution;
            edge.candidates = outcome.candidates;
            keyed_edges.push(edge);
        }
    }
    let canonical = canonical_ids(&nodes, documents);
    let graph = CitationGraph {
        nodes: graph_nodes(&nodes, &canonical, corpus),
        edges: sorted_edges(keyed_edges, &canonical),
    };
    (graph, diagnostics)
}

/// The number a citation cites and its id key: its own, or for a law cited by name alone
/// the number `rules/laws.yaml` gives that law.
fn cited_number(citation: &Citation, rules: &Rules) -> (Option<String>, String) {
    if citation.number.is_empty() {
        if let Some(number) = rules.citations.law_number(&citation.id) {
            return (Some(number.to_string()), id_key(number));
        }
    }
    (None, id_key(&citation.id))
}

/// The key of a cited document not in the corpus: `ext:ID-KEY` for a central or unknown
/// ký hiệu, `ext:LOCALITY:ID-KEY` for a local one (each locality has its own `N/KH-UBND`:
/// the one `của ...` names, else the citing document's), `ext:name:NAME` for a law cited by
/// a name `rules/laws.yaml` gives no number.
fn external_key(citation: &Citation, citing: &Issuer, key: &str, rules: &Rules) -> String {
    let number = if citation.number.is_empty() {
        match rules.citations.law_number(&citation.id) {
            Some(number) => number,
            None => return format!("ext:name:{key}"),
        }
    } else {
        citation.id.as_str()
    };
    let (_, scope) = rules.lexicon.issuing.code_of(number);
    if scope != Scope::Local {
        return format!("ext:{key}");
    }
    let (cited, _) = Issuer::of_citation(citation, citing, &rules.lexicon);
    let locality = cited
        .locality
        .as_deref()
        .map(super::names::agency_slug)
        .unwrap_or_else(|| "unknown".to_string());
    format!("ext:{locality}:{key}")
}

/// Resolves `citation` of document `d` among the corpus documents with its number.
fn choose(
    corpus: &Corpus,
    d: usize,
    citation: &Citation,
    candidates: Option<&Vec<usize>>,
    rules: &Rules,
) -> Outcome {
    let mut fits: Vec<usize> = Vec::new();
    let mut rejected: Vec<(usize, String)> = Vec::new();
    for &t in candidates.into_iter().flatten().filter(|&&t| t != d) {
        let reasons = mismatches(
            citation,
            (&corpus.documents[d], &corpus.issuers[d]),
            (&corpus.documents[t], &corpus.issuers[t]),
            &rules.lexicon,
        );
        if reasons.is_empty() {
            fits.push(t);
        } else {
            rejected.push((t, reasons.join("; ")));
        }
    }
    fits.sort_by(|&a, &b| corpus.keys[a].cmp(&corpus.keys[b]));
    let distinct: BTreeSet<&str> = fits.iter().map(|&t| corpus.base_keys[t].as_str()).collect();
    if distinct.len() == 1 {
        // One document, perhaps saved more than once: the first by key.
        return Outcome {
            resolution: Resolution::Resolved,
            target: Some(fits[0]),
            candidates: Vec::new(),
        };
    }
    let listed: Vec<(usize, String)> = if distinct.len() > 1 {
        fits.iter()
            .map(|&t| {
                (
                    t,
                    "fits as well as another document with this number".to_string(),
                )
            })
            .collect()
    } else {
        rejected
    };
    let mut candidates: Vec<Candidate> = listed
        .into_iter()
        .map(|(t, reason)| Candidate {
            key: corpus.keys[t].clone(),
            id: corpus.documents[t].id.clone(),
            date: corpus.documents[t].date.clone(),
            issuer: corpus.documents[t].issuer.clone(),
            record: corpus.records[t].clone(),
            reason,
        })
        .collect();
    candidates.sort();
    Outcome {
        resolution: if candidates.is_empty() {
            Resolution::Unresolved
        } else {
            Resolution::Ambiguous
        },
        target: None,
        candidates,
    }
}

/// A node for every corpus document with an id, with what the document says of itself.
fn corpus_nodes(corpus: &Corpus) -> BTreeMap<String, NodeAcc> {
    let mut nodes: BTreeMap<String, NodeAcc> = BTreeMap::new();
    for (i, doc) in corpus.documents.iter().enumerate() {
        if doc.id.trim().is_empty() {
            continue;
        }
        let acc = nodes.entry(corpus.keys[i].clone()).or_default();
        acc.corpus = Some(i);
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
    nodes
}

/// Adds what one citation says of the document it cites (key `key`) to that node.
fn note_citation(
    acc: &mut NodeAcc,
    citation: &Citation,
    number: Option<&str>,
    key: &str,
    rules: &Rules,
) {
    if let Some(number) = number {
        // A law cited by name: the node goes by the number, and the name is a title.
        *acc.spellings.entry(number.to_string()).or_default() += 1;
        acc.titles.insert(citation.id.clone());
    }
    // The canonical capitalisation of known codes (`QĐ-TTG` → `QĐ-TTg`).
    let spelling = number
        .is_none()
        .then_some(&citation.id)
        .and_then(|id| crate::lexicon::doc_number::parse(id, &rules.lexicon))
        .map(|n| n.id)
        .filter(|id| id_key(id) == key);
    if number.is_none() {
        let spelling = spelling.unwrap_or_else(|| citation.id.clone());
        *acc.spellings.entry(spelling).or_default() += 1;
    }
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
        key: String::new(),
        from: doc.id.clone(),
        to: String::new(),
        from_key: String::new(),
        to_key: String::new(),
        resolution: Resolution::Unresolved,
        candidates: Vec::new(),
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
/// once, each with its key (`FROM-KEY>TO-KEY@PATH`, with the line, then the relation, when
/// that is not unique).
fn sorted_edges(edges: Vec<GraphEdge>, canonical: &BTreeMap<String, String>) -> Vec<GraphEdge> {
    let mut edges: Vec<GraphEdge> = edges
        .into_iter()
        .map(|mut edge| {
            edge.to = canonical[&edge.to_key].clone();
            edge
        })
        .collect();
    let order = |e: &GraphEdge| {
        (
            id_key(&e.from),
            e.line,
            e.path.clone(),
            id_key(&e.to),
            e.relation.as_str(),
            e.text.clone(),
            e.from_key.clone(),
            e.to_key.clone(),
        )
    };
    edges.sort_by_cached_key(order);
    edges.dedup();
    let keys: Vec<String> = edges
        .iter()
        .map(|e| format!("{}>{}@{}", e.from_key, e.to_key, e.path))
        .collect();
    let keys = refine(keys, |i, key| format!("{key}:{}", edges[i].line));
    let keys = refine(keys, |i, key| {
        format!("{key}:{}", edges[i].relation.as_str())
    });
    let keys = refine(keys, |i, key| {
        format!("{key}:{}", crate::text::fold_compact(&edges[i].text))
    });
    for (edge, key) in edges.iter_mut().zip(keys) {
        edge.key = key;
    }
    edges
}

/// The nodes of `citations`, sorted by id then key: a corpus document's own type and date,
/// else the commonest its citations give.
fn graph_nodes(
    nodes: &BTreeMap<String, NodeAcc>,
    canonical: &BTreeMap<String, String>,
    corpus: &Corpus,
) -> Vec<GraphNode> {
    let mut out: Vec<GraphNode> = nodes
        .iter()
        .map(|(key, acc)| {
            let own = acc.corpus.map(|i| &corpus.documents[i]);
            GraphNode {
                id: canonical[key].clone(),
                key: key.clone(),
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
                record: acc.corpus.map(|i| corpus.records[i].clone()),
            }
        })
        .collect();
    out.sort_by_cached_key(|n| (id_key(&n.id), !n.in_corpus, n.key.clone()));
    out
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
