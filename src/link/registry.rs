//! The registry: what `build` writes and `trace`, `graph` and `tasks` read.
//!
//! [`assemble`] turns parsed documents into the four kinds of file of the contract
//! (`index`, `documents/ID`, `agencies/SLUG`, `citations`), resolving citations between
//! corpus documents by [`id_key`]; [`Registry::open`] reads a written registry back.
//! Everything here is deterministic: lists are sorted, maps are `BTreeMap`s, no clock and
//! no absolute path goes into a file.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use serde::{de::DeserializeOwned, Deserialize, Serialize};

use crate::lexicon::doc_number::id_key;
use crate::pipeline::Rules;
use crate::record::{walk_all, Deadline, Document, Modality, Relation, Role};
use crate::text::fold;

/// Written into `index` so a reader knows the folder is a registry and which layout it has.
pub const REGISTRY_VERSION: u32 = 1;

/// The file format of a registry.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, clap::ValueEnum)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    #[default]
    Yaml,
    Json,
}

impl Format {
    /// The file extension, without the dot.
    pub fn extension(self) -> &'static str {
        match self {
            Format::Yaml => "yaml",
            Format::Json => "json",
        }
    }

    /// Serialises a value the way every registry file is written (JSON ends with a newline).
    pub fn to_text<T: Serialize>(self, value: &T) -> Result<String, String> {
        match self {
            Format::Yaml => serde_yaml::to_string(value).map_err(|e| e.to_string()),
            Format::Json => serde_json::to_string_pretty(value)
                .map(|s| s + "\n")
                .map_err(|e| e.to_string()),
        }
    }

    fn parse_text<T: DeserializeOwned>(self, text: &str) -> Result<T, String> {
        match self {
            Format::Yaml => serde_yaml::from_str(text).map_err(|e| e.to_string()),
            Format::Json => serde_json::from_str(text).map_err(|e| e.to_string()),
        }
    }
}

/// `index.yaml`: the entry point of a registry.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct Index {
    /// Always `vanban`: marks the folder as a registry.
    pub registry: String,
    pub version: u32,
    pub format: Format,
    pub totals: Totals,
    pub documents: Vec<IndexDocument>,
    pub agencies: Vec<IndexAgency>,
    /// Agencies of obligations that `rules/agencies.yaml` does not know, once per build.
    pub unknown_agencies: Vec<UnknownAgency>,
    /// Laws cited by a name that `rules/laws.yaml` does not list, once per build.
    #[serde(default)]
    pub unlisted_laws: Vec<UnlistedLaw>,
    /// Problems found across documents (date conflicts, duplicate ids...).
    pub diagnostics: Vec<BuildDiagnostic>,
    /// Files that could not be parsed, and why.
    pub skipped: Vec<Skipped>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct Totals {
    pub documents: usize,
    pub skipped: usize,
    pub agencies: usize,
    pub obligations: usize,
    pub citations: usize,
    /// Cited documents that are not in the corpus.
    pub external_documents: usize,
    pub diagnostics: usize,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct IndexDocument {
    pub id: String,
    #[serde(rename = "type")]
    pub doc_type: String,
    pub date: Option<String>,
    pub subject: String,
    /// The input file, relative to the folder that was built.
    pub file: String,
    /// The record, relative to the registry: `documents/31_KH-UBND.yaml`.
    pub record: String,
    pub counts: DocumentCounts,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct DocumentCounts {
    pub sections: usize,
    pub citations: usize,
    pub obligations: usize,
    pub targets: usize,
    pub diagnostics: usize,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct IndexAgency {
    pub name: String,
    pub slug: String,
    /// `agencies/so-y-te.yaml`.
    pub record: String,
    pub known: bool,
    pub counts: AgencyCounts,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct AgencyCounts {
    pub obligations: usize,
    pub lead: usize,
    pub support: usize,
    pub documents: usize,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct UnlistedLaw {
    pub name: String,
    pub documents: Vec<String>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct UnknownAgency {
    pub name: String,
    pub obligations: usize,
    pub documents: Vec<String>,
}

/// A problem that only shows across documents.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, Eq, PartialOrd, Ord)]
pub struct BuildDiagnostic {
    /// `citation-date-conflict`, `duplicate-id`, `missing-id`.
    pub code: String,
    /// The document it is about (may be empty when the document has no id).
    pub document: String,
    pub file: String,
    pub line: u32,
    pub message: String,
}

impl BuildDiagnostic {
    /// `FILE:LINE: code: message`, as in the build report.
    pub fn display(&self) -> String {
        format!(
            "{}:{}: {}: {}",
            self.file, self.line, self.code, self.message
        )
    }
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, Eq, PartialOrd, Ord)]
pub struct Skipped {
    pub file: String,
    pub reason: String,
}

/// `agencies/SLUG.yaml`: one canonical agency and all its obligations across the corpus.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct AgencyFile {
    pub name: String,
    pub slug: String,
    pub aliases: Vec<String>,
    pub known: bool,
    pub counts: AgencyCounts,
    pub obligations: Vec<AgencyObligation>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct AgencyObligation {
    /// `DOCID#PATH`.
    pub id: String,
    pub document: String,
    pub path: String,
    pub role: Role,
    pub modality: Modality,
    pub deadline: Option<Deadline>,
    pub partners: Vec<String>,
    pub text: String,
    pub line: u32,
    /// The document record, relative to the registry.
    pub record: String,
}

/// `citations.yaml`: the citation graph.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct CitationGraph {
    pub nodes: Vec<GraphNode>,
    pub edges: Vec<GraphEdge>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct GraphNode {
    pub id: String,
    pub in_corpus: bool,
    /// The document's own type when in the corpus, else the one most citations give.
    #[serde(rename = "type")]
    pub doc_type: Option<String>,
    /// The document's own date when in the corpus, else the one most citations give.
    pub date: Option<String>,
    /// Every type seen: the document's own and those its citations give.
    pub types: Vec<String>,
    /// Every date seen.
    pub dates: Vec<String>,
    /// Every title seen (the trích yếu of a corpus document).
    pub titles: Vec<String>,
    /// Every issuer seen.
    pub issuers: Vec<String>,
    /// The record when in the corpus, relative to the registry.
    pub record: Option<String>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct GraphEdge {
    pub from: String,
    pub to: String,
    pub relation: Relation,
    /// Where in `from` the citation stands.
    pub path: String,
    pub line: u32,
    /// The date the citation gives the cited document.
    pub date: Option<String>,
    /// The cited words as written.
    pub text: String,
}

/// One document record and where it is written.
#[derive(Debug, Clone)]
pub struct DocumentFile {
    /// `documents/31_KH-UBND.yaml`.
    pub record: String,
    pub document: Document,
}

/// A whole registry, as assembled or as read back.
#[derive(Debug, Clone, Default)]
pub struct Registry {
    /// Where it was read from (empty when assembled in memory).
    pub root: PathBuf,
    pub format: Format,
    pub index: Index,
    pub citations: CitationGraph,
    /// Filled by [`assemble`] and by [`Registry::load_agencies`].
    pub agencies: Vec<AgencyFile>,
    /// Filled by [`assemble`] only.
    pub documents: Vec<DocumentFile>,
}

/// Why a registry could not be read or a query not answered.
#[derive(Debug, thiserror::Error)]
pub enum RegistryError {
    #[error("{dir}: not a vanban registry (no index.yaml); run vanban build first")]
    NotARegistry { dir: String },
    #[error("{file}: cannot read: {source}")]
    Read {
        file: String,
        source: std::io::Error,
    },
    #[error("{file}: not a valid {expected}: {message}")]
    Invalid {
        file: String,
        expected: String,
        message: String,
    },
    #[error("{}", unknown_message("document", id, registry, suggestions))]
    UnknownDocument {
        id: String,
        registry: String,
        suggestions: Vec<String>,
    },
    #[error("{}", unknown_message("agency", name, registry, suggestions))]
    UnknownAgency {
        name: String,
        registry: String,
        suggestions: Vec<String>,
    },
    #[error("{value}: not a date; write it as YYYY-MM-DD or DD/MM/YYYY")]
    InvalidDate { value: String },
}

fn unknown_message(what: &str, name: &str, registry: &str, suggestions: &[String]) -> String {
    let mut message = format!("no {what} `{name}` in registry {registry}");
    if suggestions.is_empty() {
        message.push_str(&format!(" (see {registry}/index for the list)"));
    } else {
        message.push_str("; did you mean: ");
        message.push_str(&suggestions.join(", "));
        message.push('?');
    }
    message
}

/// The file name of an agency: its name folded (no diacritics, lower case), words joined by
/// `-`: `Sở Y tế` → `so-y-te`. Unlike `agencies::slug`, safe as a file name whatever the
/// name holds: ASCII only, bounded length, never empty.
pub fn agency_slug(name: &str) -> String {
    let mut slug = String::new();
    for c in fold(name).chars() {
        if c.is_ascii_alphanumeric() {
            slug.push(c);
        } else if !slug.is_empty() && !slug.ends_with('-') {
            slug.push('-');
        }
    }
    let slug = truncate_bytes(slug.trim_end_matches('-'), 120)
        .trim_end_matches('-')
        .to_string();
    if slug.is_empty() {
        "agency".to_string()
    } else {
        slug
    }
}

/// Other names of a canonical agency: its aliases and abbreviations in `rules/agencies.yaml`
/// (empty for a name the rules do not know). The name without its locality (`Công an` for
/// `Công an thành phố Hà Nội`) is not one: it would stand for every locality's.
fn agency_aliases(rules: &Rules, name: &str) -> Vec<String> {
    match rules.lexicon.agencies.resolve(name, None) {
        Some(agency) => agency
            .aliases
            .iter()
            .filter(|alias| *alias != name)
            .cloned()
            .collect(),
        None => Vec::new(),
    }
}

/// A file name for an id: `/` becomes `_`, and whatever a file system refuses or treats
/// specially (`\ : * ? " < > |`, control characters, a leading dot) becomes `_` too.
pub fn record_stem(id: &str) -> String {
    let mut stem: String = id
        .chars()
        .map(|c| match c {
            '/' | '\\' | ':' | '*' | '?' | '"' | '<' | '>' | '|' | '#' | '%' => '_',
            c if c.is_control() || c.is_whitespace() => '_',
            c => c,
        })
        .collect();
    if stem.starts_with('.') || stem.starts_with('-') {
        stem.replace_range(0..1, "_");
    }
    let stem = truncate_bytes(&stem, 150).to_string();
    if stem.is_empty() {
        "_".to_string()
    } else {
        stem
    }
}

fn truncate_bytes(text: &str, max: usize) -> &str {
    &text[..crate::text::floor_boundary(text, max)]
}

/// Gives each stem a unique file name, also on case-insensitive file systems: `X`, `X~2`...
fn unique_name(used: &mut BTreeSet<String>, stem: &str) -> String {
    let mut candidate = stem.to_string();
    let mut n = 1;
    while !used.insert(candidate.to_lowercase()) {
        n += 1;
        candidate = format!("{stem}~{n}");
    }
    candidate
}

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

/// Builds the registry of `documents` (their `file` already relative to the built folder).
pub fn assemble(
    mut documents: Vec<Document>,
    mut skipped: Vec<Skipped>,
    rules: &Rules,
    format: Format,
) -> Registry {
    let ext = format.extension();
    documents.sort_by(|a, b| {
        (id_key(&a.id), &a.date, &a.file, &a.id).cmp(&(id_key(&b.id), &b.date, &b.file, &b.id))
    });
    skipped.sort();
    skipped.dedup();
    let mut diagnostics: Vec<BuildDiagnostic> = Vec::new();

    // Record file names, and the corpus documents under each id key.
    let mut used = BTreeSet::new();
    let mut records = Vec::with_capacity(documents.len());
    let mut by_key: BTreeMap<String, Vec<usize>> = BTreeMap::new();
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

    // Graph nodes: every corpus document with an id, and every cited id.
    let mut nodes: BTreeMap<String, NodeAcc> = BTreeMap::new();
    for (key, indexes) in &by_key {
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

    // Edges, resolved to corpus documents by id key (and by date among duplicates).
    let mut edges: Vec<(String, GraphEdge)> = Vec::new();
    for doc in documents.iter().filter(|d| !d.id.trim().is_empty()) {
        let from_key = id_key(&doc.id);
        for citation in &doc.citations {
            let key = id_key(&citation.id);
            if key.is_empty() || key == from_key {
                continue;
            }
            let acc = nodes.entry(key.clone()).or_default();
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
            if let (Some(indexes), Some(cited_date)) = (by_key.get(&key), &citation.date) {
                let dated: Vec<&Document> = indexes
                    .iter()
                    .map(|&i| &documents[i])
                    .filter(|d| d.date.is_some())
                    .collect();
                if !dated.is_empty() && dated.iter().all(|d| d.date.as_ref() != Some(cited_date)) {
                    let target = dated[0];
                    diagnostics.push(BuildDiagnostic {
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
                    });
                }
            }
            edges.push((
                key,
                GraphEdge {
                    from: doc.id.clone(),
                    to: String::new(),
                    relation: citation.relation,
                    path: citation.path.clone(),
                    line: citation.line,
                    date: citation.date.clone(),
                    text: citation.text.clone(),
                },
            ));
        }
    }

    // The spelling each node goes by: the corpus document's own id, else the commonest.
    let canonical: BTreeMap<String, String> = nodes
        .iter()
        .map(|(key, acc)| {
            let id = match acc.corpus {
                Some(i) => documents[i].id.clone(),
                None => most_common(&acc.spellings).unwrap_or_default(),
            };
            (key.clone(), id)
        })
        .collect();
    let mut edges: Vec<GraphEdge> = edges
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

    let graph_nodes: Vec<GraphNode> = nodes
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
        .collect();

    // Agencies: every obligation, under its canonical agency.
    struct AgencyAcc {
        known: bool,
        obligations: Vec<AgencyObligation>,
    }
    let mut agencies: BTreeMap<String, AgencyAcc> = BTreeMap::new();
    let mut unknown: BTreeMap<String, (usize, BTreeSet<String>)> = BTreeMap::new();
    for (doc, record) in documents.iter().zip(&records) {
        for ob in &doc.obligations {
            let name = crate::text::squash_spaces(&ob.agency);
            if name.is_empty() {
                continue;
            }
            let acc = agencies.entry(name.clone()).or_insert(AgencyAcc {
                known: true,
                obligations: Vec::new(),
            });
            acc.known &= ob.known_agency;
            if !ob.known_agency {
                let entry = unknown.entry(name.clone()).or_default();
                entry.0 += 1;
                entry.1.insert(if doc.id.is_empty() {
                    doc.file.clone()
                } else {
                    doc.id.clone()
                });
            }
            acc.obligations.push(AgencyObligation {
                id: if ob.id.is_empty() {
                    format!("{}#{}", doc.id, ob.path)
                } else {
                    ob.id.clone()
                },
                document: doc.id.clone(),
                path: ob.path.clone(),
                role: ob.role,
                modality: ob.modality,
                deadline: ob.deadline.clone(),
                partners: ob.partners.clone(),
                text: ob.text.clone(),
                line: ob.line,
                record: record.clone(),
            });
        }
    }
    let mut used_slugs = BTreeSet::new();
    let mut agency_files = Vec::new();
    let mut index_agencies = Vec::new();
    // Sorted by folded name, so `Sở Y tế` and `sở y tế`-like variants sit together.
    let mut names: Vec<&String> = agencies.keys().collect();
    names.sort_by_key(|name| (fold(name), (*name).clone()));
    for name in names {
        let acc = &agencies[name];
        let slug = unique_name(&mut used_slugs, &agency_slug(name));
        let documents_of: BTreeSet<&str> =
            acc.obligations.iter().map(|o| o.record.as_str()).collect();
        let counts = AgencyCounts {
            obligations: acc.obligations.len(),
            lead: acc
                .obligations
                .iter()
                .filter(|o| o.role == Role::Lead)
                .count(),
            support: acc
                .obligations
                .iter()
                .filter(|o| o.role == Role::Support)
                .count(),
            documents: documents_of.len(),
        };
        let mut aliases = agency_aliases(rules, name);
        aliases.retain(|a| a != name);
        aliases.sort();
        aliases.dedup();
        index_agencies.push(IndexAgency {
            name: name.clone(),
            slug: slug.clone(),
            record: format!("agencies/{slug}.{ext}"),
            known: acc.known,
            counts: counts.clone(),
        });
        agency_files.push(AgencyFile {
            name: name.clone(),
            slug,
            aliases,
            known: acc.known,
            counts,
            obligations: acc.obligations.clone(),
        });
    }

    let index_documents: Vec<IndexDocument> = documents
        .iter()
        .zip(&records)
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
        .collect();

    diagnostics.sort();
    diagnostics.dedup();
    let mut unlisted: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
    for doc in &documents {
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
    let unlisted_laws: Vec<UnlistedLaw> = unlisted
        .into_iter()
        .map(|(name, docs)| UnlistedLaw {
            name: name.to_string(),
            documents: docs.into_iter().map(str::to_string).collect(),
        })
        .collect();
    let unknown_agencies: Vec<UnknownAgency> = unknown
        .into_iter()
        .map(|(name, (obligations, docs))| UnknownAgency {
            name,
            obligations,
            documents: docs.into_iter().collect(),
        })
        .collect();
    let totals = Totals {
        documents: documents.len(),
        skipped: skipped.len(),
        agencies: agency_files.len(),
        obligations: agency_files.iter().map(|a| a.obligations.len()).sum(),
        citations: edges.len(),
        external_documents: graph_nodes.iter().filter(|n| !n.in_corpus).count(),
        diagnostics: diagnostics.len(),
    };
    let index = Index {
        registry: "vanban".into(),
        version: REGISTRY_VERSION,
        format,
        totals,
        documents: index_documents,
        agencies: index_agencies,
        unknown_agencies,
        unlisted_laws,
        diagnostics,
        skipped,
    };
    let documents = documents
        .into_iter()
        .zip(records)
        .map(|(document, record)| DocumentFile { record, document })
        .collect();
    Registry {
        root: PathBuf::new(),
        format,
        index,
        citations: CitationGraph {
            nodes: graph_nodes,
            edges,
        },
        agencies: agency_files,
        documents,
    }
}

/// The index file of a registry folder, when there is one.
pub(crate) fn index_file(dir: &Path) -> Option<(PathBuf, Format)> {
    [Format::Yaml, Format::Json]
        .into_iter()
        .map(|format| (dir.join(format!("index.{}", format.extension())), format))
        .find(|(path, _)| path.is_file())
}

impl Registry {
    /// Reads the index and the citation graph of the registry at `dir`.
    ///
    /// When `dir` is missing but a build was killed between moving the old registry aside
    /// and moving the new one in, the old one (`.NAME.old-PID` beside it) is read instead;
    /// the next build puts it back in place.
    pub fn open(dir: &Path) -> Result<Registry, RegistryError> {
        let shown = dir.display().to_string();
        let (root, index_path, format) = match index_file(dir) {
            Some((path, format)) => (dir.to_path_buf(), path, format),
            None => match (!dir.exists())
                .then(|| crate::link::build::leftover_backup(dir))
                .flatten()
            {
                Some(backup) => {
                    let (path, format) = index_file(&backup)
                        .ok_or_else(|| RegistryError::NotARegistry { dir: shown.clone() })?;
                    (backup, path, format)
                }
                None => return Err(RegistryError::NotARegistry { dir: shown }),
            },
        };
        let index: Index = read_file(&index_path, format, "registry index")?;
        if index.registry != "vanban" {
            return Err(RegistryError::Invalid {
                file: index_path.display().to_string(),
                expected: "registry index".into(),
                message: "`registry: vanban` is missing".into(),
            });
        }
        let citations: CitationGraph = read_file(
            &root.join(format!("citations.{}", format.extension())),
            format,
            "citation graph",
        )?;
        Ok(Registry {
            root,
            format,
            index,
            citations,
            agencies: Vec::new(),
            documents: Vec::new(),
        })
    }

    /// Reads every agency file the index lists.
    pub fn load_agencies(&mut self) -> Result<(), RegistryError> {
        if !self.agencies.is_empty() || self.root.as_os_str().is_empty() {
            return Ok(());
        }
        let mut agencies = Vec::with_capacity(self.index.agencies.len());
        for agency in &self.index.agencies {
            agencies.push(read_file(
                &self.root.join(&agency.record),
                self.format,
                "agency file",
            )?);
        }
        self.agencies = agencies;
        Ok(())
    }

    /// Reads one document record by (any spelling of) its id.
    pub fn document(&self, id: &str) -> Result<Document, RegistryError> {
        let entry = self.find_document(id)?;
        if let Some(file) = self.documents.iter().find(|f| f.record == entry.record) {
            return Ok(file.document.clone());
        }
        read_file(
            &self.root.join(&entry.record),
            self.format,
            "document record",
        )
    }

    /// The index entry of a document, by any spelling of its id.
    pub fn find_document(&self, id: &str) -> Result<&IndexDocument, RegistryError> {
        let key = id_key(id);
        self.index
            .documents
            .iter()
            .find(|d| !d.id.is_empty() && id_key(&d.id) == key)
            .ok_or_else(|| RegistryError::UnknownDocument {
                id: id.to_string(),
                registry: self.root.display().to_string(),
                suggestions: suggest(id, self.index.documents.iter().map(|d| d.id.as_str())),
            })
    }

    /// The graph node of an id (corpus or cited), by any spelling of it.
    pub fn find_node(&self, id: &str) -> Result<&GraphNode, RegistryError> {
        let key = id_key(id);
        self.citations
            .nodes
            .iter()
            .find(|n| id_key(&n.id) == key)
            .ok_or_else(|| RegistryError::UnknownDocument {
                id: id.to_string(),
                registry: self.root.display().to_string(),
                suggestions: suggest(id, self.citations.nodes.iter().map(|n| n.id.as_str())),
            })
    }
}

fn read_file<T: DeserializeOwned>(
    path: &Path,
    format: Format,
    expected: &str,
) -> Result<T, RegistryError> {
    let file = path.display().to_string();
    let text = std::fs::read_to_string(path).map_err(|source| RegistryError::Read {
        file: file.clone(),
        source,
    })?;
    format
        .parse_text(&text)
        .map_err(|message| RegistryError::Invalid {
            file,
            expected: expected.into(),
            message,
        })
}

/// Up to five ids close to `query`: same number, one containing the other, or a small
/// edit distance, compared folded.
pub(crate) fn suggest<'a>(query: &str, candidates: impl Iterator<Item = &'a str>) -> Vec<String> {
    let q = crate::text::fold_compact(query);
    let q_number: String = query.chars().take_while(|c| c.is_ascii_digit()).collect();
    let mut scored: Vec<(usize, String)> = Vec::new();
    for candidate in candidates.filter(|c| !c.is_empty()) {
        let c = crate::text::fold_compact(candidate);
        let distance = levenshtein(&q, &c);
        let c_number: String = candidate
            .chars()
            .take_while(|ch| ch.is_ascii_digit())
            .collect();
        let close = distance <= 2.max(q.chars().count() / 3)
            || (!q_number.is_empty() && q_number == c_number)
            || (q.len() >= 3 && (c.contains(&q) || q.contains(&c)));
        if close {
            scored.push((distance, candidate.to_string()));
        }
    }
    scored.sort();
    scored.dedup();
    scored.into_iter().take(5).map(|(_, id)| id).collect()
}

fn levenshtein(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut previous = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let current = row[j + 1];
            row[j + 1] = (previous + usize::from(ca != *cb))
                .min(row[j] + 1)
                .min(row[j + 1] + 1);
            previous = current;
        }
    }
    row[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_and_stems() {
        assert_eq!(agency_slug("Sở Y tế"), "so-y-te");
        assert_eq!(
            agency_slug("Sở Lao động - Thương binh và Xã hội"),
            "so-lao-dong-thuong-binh-va-xa-hoi"
        );
        assert_eq!(
            agency_slug("Đoàn TNCS Hồ Chí Minh"),
            "doan-tncs-ho-chi-minh"
        );
        assert_eq!(agency_slug("???"), "agency");
        assert_eq!(record_stem("1790/CV-BCĐ"), "1790_CV-BCĐ");
        assert_eq!(record_stem("36-CT/TW"), "36-CT_TW");
        assert_eq!(record_stem("../x"), "_._x");
        assert_eq!(
            record_stem("Luật Phòng, chống ma túy"),
            "Luật_Phòng,_chống_ma_túy"
        );
    }

    #[test]
    fn unique_names_ignore_case() {
        let mut used = BTreeSet::new();
        assert_eq!(unique_name(&mut used, "A"), "A");
        assert_eq!(unique_name(&mut used, "a"), "a~2");
        assert_eq!(unique_name(&mut used, "A"), "A~3");
    }

    #[test]
    fn suggestions() {
        let ids = ["291/QĐ-TTg", "1790/CV-BCĐ", "31/KH-UBND"];
        assert_eq!(suggest("291/QĐ-TT", ids.into_iter()), vec!["291/QĐ-TTg"]);
        assert_eq!(suggest("32/KH-UBND", ids.into_iter()), vec!["31/KH-UBND"]);
    }
}
