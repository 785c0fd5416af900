//! The registry's shapes: the four kinds of file of the contract (`index`, `documents/ID`,
//! `agencies/SLUG`, `citations`) and [`Registry`], which holds them in memory.
//!
//! Only types live here, so every phase can use them without importing another phase:
//! [`assemble`](super::assemble::assemble) fills them from parsed documents, `store.rs`
//! writes them, [`Registry::open`] reads them back, and `trace`, `graph` and `tasks` query
//! them.

use std::path::PathBuf;

use schemars::JsonSchema;
use serde::{de::DeserializeOwned, Deserialize, Serialize};

use crate::record::{Deadline, Modality, Relation, Role};

/// Written into `index` so a reader knows the folder is a registry and which layout it has.
/// Version 3 added `files` to the index: the SHA-256 of every other file, checked on read.
pub const REGISTRY_VERSION: u32 = 3;

/// The file format of a registry.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
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

    /// Reads a value back from the text of a registry file.
    pub(crate) fn parse_text<T: DeserializeOwned>(self, text: &str) -> Result<T, String> {
        match self {
            Format::Yaml => serde_yaml::from_str(text).map_err(|e| e.to_string()),
            Format::Json => serde_json::from_str(text).map_err(|e| e.to_string()),
        }
    }
}

/// `index.yaml`: the entry point of a registry.
#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema, PartialEq)]
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

#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema, PartialEq)]
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

#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema, PartialEq)]
pub struct IndexDocument {
    pub id: String,
    /// Unique in the registry: `ISSUER:ID:DATE`, see the README.
    #[serde(default)]
    pub key: String,
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

#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema, PartialEq)]
pub struct DocumentCounts {
    pub sections: usize,
    pub citations: usize,
    pub obligations: usize,
    pub targets: usize,
    pub diagnostics: usize,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema, PartialEq)]
pub struct IndexAgency {
    pub name: String,
    pub slug: String,
    /// `agencies/so-y-te.yaml`.
    pub record: String,
    pub known: bool,
    pub counts: AgencyCounts,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema, PartialEq)]
pub struct AgencyCounts {
    pub obligations: usize,
    pub lead: usize,
    pub support: usize,
    pub documents: usize,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema, PartialEq)]
pub struct UnlistedLaw {
    pub name: String,
    pub documents: Vec<String>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema, PartialEq)]
pub struct UnknownAgency {
    pub name: String,
    pub obligations: usize,
    pub documents: Vec<String>,
}

/// A problem that only shows across documents.
#[derive(
    Debug, Clone, Default, Serialize, Deserialize, JsonSchema, PartialEq, Eq, PartialOrd, Ord,
)]
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

#[derive(
    Debug, Clone, Default, Serialize, Deserialize, JsonSchema, PartialEq, Eq, PartialOrd, Ord,
)]
pub struct Skipped {
    pub file: String,
    pub reason: String,
}

/// `agencies/SLUG.yaml`: one canonical agency and all its obligations across the corpus.
#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema, PartialEq)]
pub struct AgencyFile {
    pub name: String,
    pub slug: String,
    pub aliases: Vec<String>,
    pub known: bool,
    pub counts: AgencyCounts,
    pub obligations: Vec<AgencyObligation>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema, PartialEq)]
pub struct AgencyObligation {
    /// `DOCID#PATH`.
    pub id: String,
    /// Unique in the registry: `DOCUMENT-KEY#PATH#AGENCY-SLUG`.
    #[serde(default)]
    pub key: String,
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
#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema, PartialEq)]
pub struct CitationGraph {
    pub nodes: Vec<GraphNode>,
    pub edges: Vec<GraphEdge>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema, PartialEq)]
pub struct GraphNode {
    pub id: String,
    /// A corpus document's key; for a cited document not in the corpus, `ext:ID-KEY` or
    /// `ext:LOCALITY:ID-KEY` (see the README).
    #[serde(default)]
    pub key: String,
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

#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema, PartialEq)]
pub struct GraphEdge {
    /// Unique in the registry: `FROM-KEY>TO-KEY@PATH`.
    #[serde(default)]
    pub key: String,
    pub from: String,
    pub to: String,
    #[serde(default)]
    pub from_key: String,
    #[serde(default)]
    pub to_key: String,
    /// `resolved` (to a corpus document), `unresolved` (no corpus document has the number),
    /// or `ambiguous` (corpus documents have it, and none is sure to be the one cited).
    #[serde(default)]
    pub resolution: Resolution,
    /// For an ambiguous citation: the corpus documents with its number, and why none was chosen.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub candidates: Vec<Candidate>,
    pub relation: Relation,
    /// Where in `from` the citation stands.
    pub path: String,
    pub line: u32,
    /// The date the citation gives the cited document.
    pub date: Option<String>,
    /// The cited words as written.
    pub text: String,
}

/// How a citation was resolved.
#[derive(
    Debug, Clone, Copy, Default, Serialize, Deserialize, JsonSchema, PartialEq, Eq, PartialOrd, Ord,
)]
#[serde(rename_all = "lowercase")]
pub enum Resolution {
    Resolved,
    #[default]
    Unresolved,
    Ambiguous,
}

impl Resolution {
    pub fn as_str(self) -> &'static str {
        match self {
            Resolution::Resolved => "resolved",
            Resolution::Unresolved => "unresolved",
            Resolution::Ambiguous => "ambiguous",
        }
    }
}

/// A corpus document an ambiguous citation might mean.
#[derive(
    Debug, Clone, Default, Serialize, Deserialize, JsonSchema, PartialEq, Eq, PartialOrd, Ord,
)]
pub struct Candidate {
    pub key: String,
    pub id: String,
    pub date: Option<String>,
    pub issuer: Option<String>,
    pub record: String,
    /// Why it was not chosen: `dated 2025-11-24, cited as of 2024-08-21`; or, when several
    /// fit, `fits as well as another`.
    pub reason: String,
}

/// A whole registry, as assembled or as read back; the document records are not in it (a
/// build writes each as soon as it is parsed, a reader reads one with
/// [`Registry::document`]).
#[derive(Debug, Clone, Default)]
pub struct Registry {
    /// Where it was read from (empty when assembled in memory).
    pub root: PathBuf,
    pub format: Format,
    pub index: Index,
    pub citations: CitationGraph,
    /// Filled by [`assemble`](super::assemble::assemble) and by
    /// [`Registry::load_agencies`].
    pub agencies: Vec<AgencyFile>,
}
