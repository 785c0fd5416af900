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
    /// `text` (as if joined by `\n`), and the input line and column it starts at. Lets later
    /// stages give the exact line and column of a phrase inside a paragraph that was wrapped
    /// over several lines.
    #[serde(skip)]
    pub spans: Vec<Span>,
}

/// A piece of node or paragraph content and where in the input it starts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Span {
    /// Byte offset of the piece in the content.
    pub offset: usize,
    /// 1-based input line the piece starts on.
    pub line: u32,
    /// 1-based column, in characters of the input line, of the piece's first character:
    /// past what normalise strips before the text (indentation, `#`, `**`, `> `, a table's
    /// `|`) and, in a node, past its marker (`1.`, `a)`).
    pub column: u32,
}

impl Span {
    pub fn new(offset: usize, line: u32, column: u32) -> Self {
        Span {
            offset,
            line,
            column,
        }
    }

    /// The same piece `by` bytes further into the content.
    pub fn shifted(self, by: usize) -> Self {
        Span {
            offset: self.offset + by,
            ..self
        }
    }
}

impl Span {
    /// The same piece on input line `line` (a reader's line renumbered as the file's).
    pub fn on_line(self, line: u32) -> Self {
        Span { line, ..self }
    }
}

impl Default for Span {
    fn default() -> Self {
        Span::new(0, 1, 1)
    }
}

/// The input line and column of the byte at `offset` of `text`, whose pieces start at `spans`
/// (sorted by offset). Before the first span, `before` (line, column) is the answer. Columns
/// count characters from the piece's start, so they are exact where normalise kept the
/// piece's text as written, and approximate past a character it changed (see [`Diagnostic`]).
pub fn position_in(text: &str, spans: &[Span], offset: usize, before: (u32, u32)) -> (u32, u32) {
    let index = spans.partition_point(|span| span.offset <= offset);
    let Some(span) = index.checked_sub(1).map(|i| spans[i]) else {
        return before;
    };
    let end = floor_char_boundary(text, offset.min(text.len()));
    let start = floor_char_boundary(text, span.offset.min(end));
    let chars = text[start..end].chars().count() as u32;
    (span.line, span.column.saturating_add(chars))
}

/// [`position_in`] for many offsets of one text asked in increasing order: characters are
/// counted on from the previous answer rather than from the piece's start, so locating every
/// mention of a long paragraph stays linear in its length. An offset before the previous one
/// is answered from scratch.
pub struct Locator<'a> {
    text: &'a str,
    spans: &'a [Span],
    before: (u32, u32),
    /// The span of the previous answer, the byte it reached and the characters counted to it.
    last: Option<(usize, usize, u32)>,
}

impl<'a> Locator<'a> {
    pub fn new(text: &'a str, spans: &'a [Span], before: (u32, u32)) -> Self {
        Locator {
            text,
            spans,
            before,
            last: None,
        }
    }

    /// The input line and column of the byte at `offset`, as [`position_in`] gives it.
    pub fn locate(&mut self, offset: usize) -> (u32, u32) {
        let index = self.spans.partition_point(|span| span.offset <= offset);
        let Some(span_index) = index.checked_sub(1) else {
            return self.before;
        };
        let span = self.spans[span_index];
        let end = floor_char_boundary(self.text, offset.min(self.text.len()));
        let (from, counted) = match self.last {
            Some((last_span, reached, counted)) if last_span == span_index && reached <= end => {
                (reached, counted)
            }
            _ => (floor_char_boundary(self.text, span.offset.min(end)), 0),
        };
        let chars = counted + self.text[from..end].chars().count() as u32;
        self.last = Some((span_index, end, chars));
        (span.line, span.column.saturating_add(chars))
    }
}

/// The largest char boundary of `text` at or before `index` (`index` ≤ `text.len()`).
fn floor_char_boundary(text: &str, mut index: usize) -> usize {
    while !text.is_char_boundary(index) {
        index -= 1;
    }
    index
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

    /// The input line and column of the byte at `offset` of [`Node::content`].
    pub fn position_at(&self, offset: usize) -> (u32, u32) {
        let before = (self.line, 1);
        if self.title.is_empty() {
            position_in(&self.text, &self.spans, offset, before)
        } else {
            position_in(&self.content(), &self.spans, offset, before)
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

/// Where `needle` is written on input line `line` of the node at `path` (or of the nearest node
/// above it: a table row's path `NODE.STT` names no node of its own): the first occurrence
/// on that line; `(line, 1)` when it is not found there. For diagnostics about text that an
/// extractor kept only with its path and line (an obligation's agency, a deadline).
pub fn locate(nodes: &[Node], path: &str, line: u32, needle: &str) -> (u32, u32) {
    let all = walk_all(nodes);
    let node = all.iter().find(|n| n.path == path).or_else(|| {
        all.iter()
            .filter(|n| path.starts_with(&format!("{}.", n.path)))
            .max_by_key(|n| n.path.len())
    });
    let Some(node) = node.filter(|_| !needle.is_empty()) else {
        return (line, 1);
    };
    node.content()
        .match_indices(needle)
        .map(|(offset, _)| node.position_at(offset))
        .find(|&(at, _)| at == line)
        .unwrap_or((line, 1))
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
///
/// The column is the character column, in the input line as an editor shows it, of the
/// matched text the diagnostic is about (a citation, a date, an agency's name, a marker, a
/// character); a diagnostic about the document as a whole has column 1. It is counted as the
/// column where normalise's piece of text starts (past indentation, markdown and table frames;
/// a new piece starts wherever markup or a run of spaces was removed mid-line) plus the
/// characters into the normalised text. Where normalise changed the text itself within a line
/// before the match (NFC recomposition of decomposed letters, an OCR noise token removed
/// mid-line), the column is approximate by the characters added or removed there.
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
    /// 1-based column (in characters of the input line) of the matched text; 1 for the
    /// document as a whole.
    #[serde(default = "one")]
    #[schemars(range(min = 1))]
    pub column: u32,
}

fn one() -> u32 {
    1
}

impl Diagnostic {
    /// A diagnostic at `line`, column 1; [`Diagnostic::at`] gives it a column.
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

    /// A warning at `(line, column)`, as [`Node::position_at`] gives it.
    pub fn warning_at(code: &str, message: impl Into<String>, at: (u32, u32)) -> Self {
        Self::warning(code, message, at.0).at(at)
    }

    /// The same diagnostic at `(line, column)`, as [`Node::position_at`] gives it.
    pub fn at(self, (line, column): (u32, u32)) -> Self {
        Diagnostic {
            line,
            column: column.max(1),
            ..self
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Two pieces: `Sở Y tế phối hợp` from column 3 of line 4, `với Bộ Tài chính` from column 1
    /// of line 5.
    fn wrapped() -> (String, Vec<Span>) {
        let text = "Sở Y tế phối hợp với Bộ Tài chính".to_string();
        let second = text.find("với").unwrap();
        (text, vec![Span::new(0, 4, 3), Span::new(second, 5, 1)])
    }

    #[test]
    fn a_locator_answers_as_position_in_whatever_the_order() {
        let (text, spans) = wrapped();
        let offsets: Vec<usize> = text.char_indices().map(|(i, _)| i).collect();
        let mut locator = Locator::new(&text, &spans, (4, 1));
        let backwards: Vec<usize> = offsets.iter().rev().copied().collect();
        for &offset in offsets.iter().chain(&backwards).chain(&offsets) {
            assert_eq!(
                locator.locate(offset),
                position_in(&text, &spans, offset, (4, 1)),
                "offset {offset}"
            );
        }
    }

    #[test]
    fn a_locator_counts_characters_not_bytes() {
        let (text, spans) = wrapped();
        let mut locator = Locator::new(&text, &spans, (4, 1));
        assert_eq!(locator.locate(text.find("phối").unwrap()), (4, 3 + 8));
        assert_eq!(locator.locate(text.find("Bộ").unwrap()), (5, 5));
    }
}
