//! The document record: what `vanban parse` prints and what the registry stores.
//!
//! Field names and order are fixed by `../shared/CONTRACT.md`; other systems read them.
//! Fields may be added, never renamed or removed.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize, Serializer};

/// One parsed directive.
#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema, PartialEq)]
pub struct Document {
    /// The whole số/ký hiệu: `1790/CV-BCĐ`, `94/2010/NĐ-CP`, `36-CT/TW`.
    pub id: String,
    pub number: String,
    pub year: Option<String>,
    pub symbol: String,
    #[serde(rename = "type")]
    pub doc_type: String,
    /// ISO date, null when the date line was not found.
    pub date: Option<String>,
    pub place: Option<String>,
    pub subject: String,
    pub addressees: Vec<String>,
    pub sections: Vec<Node>,
    pub citations: Vec<Citation>,
    pub recipients: Vec<String>,
    pub signer: Signer,
    pub obligations: Vec<Obligation>,
    pub targets: Vec<Target>,
    /// The layout the input was read as: `plain`, `portal-body`, `tvpl-portal`,
    /// `headerless`, `flat`, `assembly`, `news` (see `src/read/`).
    #[serde(default)]
    pub layout: String,
    /// A portal page's own metadata table (`Số hiệu`, `Loại văn bản`, ...), as written; null
    /// when the input has none. The header fields still come from the document's text.
    #[serde(default)]
    pub source_metadata: Option<std::collections::BTreeMap<String, String>>,
    pub encoding: String,
    pub diagnostics: Vec<Diagnostic>,
    /// The issuing body as printed in the header (`ỦY BAN NHÂN DÂN THÀNH PHỐ HÀ NỘI`), or
    /// derived from the signature block or the symbol when the header does not print it.
    #[serde(default)]
    pub issuer: Option<String>,
    /// The input file as given on the command line.
    #[serde(default)]
    pub file: String,
    /// In a registry, the document's key there: issuer, id and date
    /// (`ubnd-tinh-dong-thap:556/KH-UBND:2025-11-19`), with a digest of the source text when
    /// that is not unique. Empty, and not written, outside a registry.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub key: String,
    /// A digest of the decoded source text (FNV-1a, 64 bits, in hex); tells exact duplicates
    /// apart in a registry. Not written.
    #[serde(skip)]
    pub source_digest: String,
    /// The input line a diagnostic about the document as a whole points at: its Số line, else
    /// the header's first line, else its first line of text. Not written; set by the pipeline
    /// so that registry-level diagnostics (`missing-id`, `duplicate-id`) have a real line.
    #[serde(skip)]
    pub header_line: u32,
}

/// The kind of a node in the structure tree.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, JsonSchema, PartialEq, Eq, Hash)]
#[serde(rename_all = "lowercase")]
pub enum NodeKind {
    Preamble,
    Part,
    Chapter,
    Division,
    Article,
    Section,
    Clause,
    Bullet,
    Item,
    Attachment,
    Closing,
}

/// A node of the structure tree: a Phần, Chương, Điều, numbered section, clause, bullet...
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema, PartialEq)]
pub struct Node {
    /// How legal staff cite it: `IV.1.a`, `D3.2`, `5.-2.(1)`, `preamble`, `closing`.
    pub path: String,
    /// The marker as written: `IV.`, `1.`, `a)`, `-`, `(1)`, `Điều 3.`.
    pub label: String,
    pub kind: NodeKind,
    pub title: String,
    pub text: String,
    /// 1-based line in the original input where the node starts.
    pub line: u32,
    pub children: Vec<Node>,
    /// Where each piece of `title` + `text` came from: byte offset into `title` followed by
    /// `text` (as if joined by `\n`) and the input line it starts on. Lets later stages give
    /// the exact line of a phrase inside a paragraph that was wrapped over several lines.
    #[serde(skip)]
    pub spans: Vec<Span>,
}

/// A piece of node content and the input line it starts on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Span {
    pub offset: usize,
    pub line: u32,
}

impl Node {
    /// The title and text as one string; offsets in `spans` index into it.
    pub fn content(&self) -> String {
        match (self.title.is_empty(), self.text.is_empty()) {
            (true, _) => self.text.clone(),
            (false, true) => self.title.clone(),
            (false, false) => format!("{}\n{}", self.title, self.text),
        }
    }

    /// The input line on which the byte at `offset` of [`Node::content`] stands.
    pub fn line_at(&self, offset: usize) -> u32 {
        let index = self.spans.partition_point(|span| span.offset <= offset);
        if index == 0 {
            self.line
        } else {
            self.spans[index - 1].line
        }
    }

    /// This node and everything under it, depth first.
    pub fn walk(&self) -> Vec<&Node> {
        let mut out = Vec::new();
        let mut stack = vec![self];
        while let Some(node) = stack.pop() {
            out.push(node);
            stack.extend(node.children.iter().rev());
        }
        out
    }
}

/// Every node of a tree, depth first, outermost first.
pub fn walk_all(nodes: &[Node]) -> Vec<&Node> {
    nodes.iter().flat_map(Node::walk).collect()
}

/// A document cited by this one.
#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema, PartialEq)]
pub struct Citation {
    pub id: String,
    #[serde(rename = "type")]
    pub doc_type: String,
    pub number: String,
    pub symbol: String,
    pub date: Option<String>,
    pub issuer: Option<String>,
    pub relation: Relation,
    /// The cited words as written.
    pub text: String,
    pub line: u32,
    pub path: String,
    /// The year carried in the ký hiệu (`2010` in `94/2010/NĐ-CP`).
    #[serde(default)]
    pub year: Option<String>,
    /// The article or clause cited inside the document (`Điều 26`), when one is named.
    #[serde(default)]
    pub article: Option<String>,
    /// A law cited by a name that `rules/laws.yaml` does not list: its end was found by rule.
    /// Not written; `vanban build` reports these names so they can be added to the list.
    #[serde(skip)]
    pub unlisted_name: bool,
}

/// What this document does with the cited one.
#[derive(Debug, Clone, Copy, Default, Serialize, Deserialize, JsonSchema, PartialEq, Eq, Hash)]
#[serde(rename_all = "lowercase")]
pub enum Relation {
    Basis,
    Implements,
    Amends,
    Replaces,
    Repeals,
    Guides,
    #[default]
    Refers,
}

impl Relation {
    pub fn as_str(self) -> &'static str {
        match self {
            Relation::Basis => "basis",
            Relation::Implements => "implements",
            Relation::Amends => "amends",
            Relation::Replaces => "replaces",
            Relation::Repeals => "repeals",
            Relation::Guides => "guides",
            Relation::Refers => "refers",
        }
    }
}

/// Who signed, and in what capacity.
#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema, PartialEq)]
pub struct Signer {
    /// `TM.`, `KT.`, `Q.`, `TL.`, `TUQ.` or empty.
    pub authority: String,
    /// The body signed for (`ỦY BAN NHÂN DÂN`), from the `TM.` line where there is one.
    pub body: String,
    pub title: String,
    pub name: String,
}

/// A task given to one agency by one node of the document.
#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema, PartialEq)]
pub struct Obligation {
    /// `DOCID#PATH`.
    pub id: String,
    /// Canonical agency name.
    pub agency: String,
    pub role: Role,
    pub modality: Modality,
    pub path: String,
    pub text: String,
    pub partners: Vec<String>,
    pub deadline: Option<Deadline>,
    /// ISO date from which the task runs (`Từ ngày 01/7/2025`, `kể từ ngày ...`), or null.
    #[serde(default)]
    pub start: Option<String>,
    pub line: u32,
    /// False when the agency is not in `rules/agencies.yaml` (reported so a user can add it).
    #[serde(default = "default_true")]
    pub known_agency: bool,
}

fn default_true() -> bool {
    true
}

#[derive(Debug, Clone, Copy, Default, Serialize, Deserialize, JsonSchema, PartialEq, Eq, Hash)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    #[default]
    Lead,
    Support,
}

#[derive(Debug, Clone, Copy, Default, Serialize, Deserialize, JsonSchema, PartialEq, Eq, Hash)]
#[serde(rename_all = "lowercase")]
pub enum Modality {
    #[default]
    Directive,
    Request,
}

/// When a task is due: a date, a recurrence, or only words (`Thường xuyên`).
#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema, PartialEq)]
pub struct Deadline {
    pub text: String,
    pub date: Option<String>,
    pub recurrence: Option<String>,
}

/// A numeric target (chỉ tiêu).
#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema, PartialEq)]
pub struct Target {
    pub path: String,
    #[serde(serialize_with = "serialize_number")]
    pub value: f64,
    pub unit: String,
    pub text: String,
    pub line: u32,
}

/// Whole numbers are written without a fraction (`17700`, not `17700.0`).
fn serialize_number<S: Serializer>(value: &f64, serializer: S) -> Result<S::Ok, S::Error> {
    if value.fract() == 0.0 && value.abs() < 9.0e15 {
        serializer.serialize_i64(*value as i64)
    } else {
        serializer.serialize_f64(*value)
    }
}

#[derive(
    Debug, Clone, Copy, Serialize, Deserialize, JsonSchema, PartialEq, Eq, PartialOrd, Ord, Hash,
)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
    Info,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "info",
        }
    }
}

/// Something the parser did not understand or found suspicious, at a line of the input.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema, PartialEq)]
pub struct Diagnostic {
    pub severity: Severity,
    /// Stable, kebab-case: `missing-number`, `clause-skipped`, `citation-date-conflict`.
    pub code: String,
    pub message: String,
    /// 1-based input line; a diagnostic about the whole document points at its header's
    /// first line (or its first line of text), never at line 0.
    #[schemars(range(min = 1))]
    pub line: u32,
    /// 1-based column (in characters) where known, else 1.
    #[serde(default = "one")]
    #[schemars(range(min = 1))]
    pub column: u32,
}

fn one() -> u32 {
    1
}

impl Diagnostic {
    pub fn new(severity: Severity, code: &str, message: impl Into<String>, line: u32) -> Self {
        Diagnostic {
            severity,
            code: code.to_string(),
            message: message.into(),
            line,
            column: 1,
        }
    }

    pub fn warning(code: &str, message: impl Into<String>, line: u32) -> Self {
        Self::new(Severity::Warning, code, message, line)
    }

    pub fn info(code: &str, message: impl Into<String>, line: u32) -> Self {
        Self::new(Severity::Info, code, message, line)
    }

    pub fn error(code: &str, message: impl Into<String>, line: u32) -> Self {
        Self::new(Severity::Error, code, message, line)
    }
}
