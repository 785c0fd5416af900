//! Stage 1½: the reader. Between decode and normalise, it recognises the layout a directive
//! arrives in (a Thư viện Pháp luật page, a flattened export, a Quốc hội text, ...) and turns
//! it into the text the later stages understand: the layout the corpus-ext exports have.
//!
//! One module per layout, each a [`Reader`]; [`READERS`] lists them, most specific first.
//! Adding a layout is adding a module and a line there. A reader never moves text to another
//! line of the input: it blanks out lines that are not the document's (a portal's banner and
//! footer), splits squashed lines and adds blank lines, and says for every line it returns
//! which line of the input it came from ([`Reading::origin`]), so that every later line number
//! is still a line of the input file.
//!
//! Before the layouts, the file kinds: a file that is not text (a Word file, a web page) is
//! first turned into text by its [`FileKind`] reader (`docx`, `html`), one block (paragraph
//! or table row) per numbered line; [`file_kind`] chooses it by extension, and by content
//! where the extension says nothing. [`UNREAD`] names the kinds that are not read yet.

mod assembly;
mod docx;
mod flat;
mod headerless;
mod html;
mod lookalike;
mod news;
mod portal_body;
mod tvpl;

use std::collections::BTreeMap;

use regex::Regex;
use serde::Deserialize;

use crate::record::Diagnostic;
use crate::rules::{RuleSource, RulesError};
use crate::text::fold;

pub use tvpl::check_metadata;

/// What a file-kind reader made of a file: its text, one block after another, and for each
/// line the block (1-based paragraph or table row) it came from.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct Extracted {
    pub lines: Vec<String>,
    pub origin: Vec<u32>,
}

impl Extracted {
    fn push(&mut self, line: &str, block: u32) {
        self.lines.push(line.to_string());
        self.origin.push(block);
    }

    /// The text of the blocks a Word file or a web page holds: each paragraph's lines, each
    /// table row as its cells between `|` frames (the cell breaks normalise knows), a blank
    /// line after each block; every line numbered with its block.
    fn from_blocks(blocks: &[Block], paragraph_trim: LineTrim) -> Extracted {
        let mut out = Extracted::default();
        for (index, block) in blocks.iter().enumerate() {
            let number = index as u32 + 1;
            match block {
                Block::Paragraph(text) => {
                    for line in text.split('\n') {
                        out.push(paragraph_trim.apply(line), number);
                    }
                }
                Block::Row(cells) => {
                    out.push("|", number);
                    for cell in cells {
                        for line in cell.iter().flat_map(|p| p.split('\n')) {
                            if !line.trim().is_empty() {
                                out.push(line.trim(), number);
                            }
                        }
                        out.push("|", number);
                    }
                }
            }
            out.push("", number);
        }
        out
    }
}

/// A paragraph or a table row (its cells, each a list of paragraphs) of a Word file or a web
/// page.
#[derive(Debug, PartialEq)]
enum Block {
    Paragraph(String),
    Row(Vec<Vec<String>>),
}

/// What is trimmed from a paragraph's lines: a Word paragraph's leading spaces are its own
/// (an indented line), a web page's come from the markup's layout.
#[derive(Debug, Clone, Copy)]
enum LineTrim {
    End,
    Both,
}

impl LineTrim {
    fn apply(self, line: &str) -> &str {
        match self {
            LineTrim::End => line.trim_end(),
            LineTrim::Both => line.trim(),
        }
    }
}

/// The kinds of file vanban reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileKind {
    /// Text in any of the encodings `decode` knows, markdown included.
    Text,
    /// A Word file (`.docx`).
    Docx,
    /// A web page (`.html`, `.htm`).
    Html,
}

/// The extensions read as text.
const TEXT_EXTENSIONS: &[&str] = &["txt", "md", "markdown", "text"];

/// Kinds of file that directives come in and vanban does not read yet: the extension, and why.
pub const UNREAD: &[(&str, &str)] = &[
    ("pdf", "PDF is not read yet"),
    (
        "doc",
        "Word 97-2003 (.doc) is not read yet; save it as .docx",
    ),
    ("rtf", "RTF is not read yet; save it as .docx"),
    (
        "odt",
        "OpenDocument (.odt) is not read yet; save it as .docx",
    ),
];

/// The kind of the file called `name`, by its extension, or by what its first bytes look
/// like when the extension is not one of the kinds'. `Err` says why it is not read.
pub fn file_kind(name: &str, bytes: &[u8]) -> Result<FileKind, String> {
    let extension = extension(name);
    match extension.as_deref() {
        Some("docx") => return Ok(FileKind::Docx),
        Some("html" | "htm" | "xhtml") => return Ok(FileKind::Html),
        Some(ext) if TEXT_EXTENSIONS.contains(&ext) => return Ok(FileKind::Text),
        Some(ext) => {
            if let Some((_, why)) = UNREAD.iter().find(|(e, _)| *e == ext) {
                return Err(why.to_string());
            }
        }
        None => {}
    }
    if bytes.starts_with(b"%PDF") {
        return Err("PDF is not read yet".to_string());
    }
    if docx::looks_like(bytes) {
        return Ok(FileKind::Docx);
    }
    if html::looks_like(bytes) {
        return Ok(FileKind::Html);
    }
    Ok(FileKind::Text)
}

/// Why `vanban build` does not read the file called `name`: a kind in [`UNREAD`], or an
/// extension that is not a document's. `None` for the kinds it reads and for files without
/// an extension (read as text).
pub fn not_read(name: &str) -> Option<String> {
    let ext = extension(name)?;
    if ext == "docx"
        || ext == "html"
        || ext == "htm"
        || ext == "xhtml"
        || TEXT_EXTENSIONS.contains(&ext.as_str())
    {
        return None;
    }
    Some(match UNREAD.iter().find(|(e, _)| *e == ext) {
        Some((_, why)) => why.to_string(),
        None => format!(
            ".{ext} is not a kind of file vanban reads (it reads .txt, .md, .docx, .html, .htm)"
        ),
    })
}

fn extension(name: &str) -> Option<String> {
    std::path::Path::new(name)
        .extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase())
}

/// The text of a Word file, or why it cannot be read.
pub fn docx_text(bytes: &[u8]) -> Result<Extracted, String> {
    docx::extract(bytes)
}

/// The text of a web page.
pub fn html_text(page: &str) -> Extracted {
    html::extract(page)
}

/// The record's `layout` of a Word file.
pub const DOCX: &str = docx::LAYOUT;

/// A Word file's text, read: its blocks are already the document's paragraphs, so no layout
/// reader runs on it; its lines are block numbers.
pub fn read_docx(extracted: Extracted) -> Read {
    Read {
        layout: DOCX,
        text: extracted.lines.join("\n"),
        origin: extracted.origin,
        metadata: None,
        chrome: Vec::new(),
        diagnostics: Vec::new(),
    }
}

/// A web page's text, read by the layout readers: the layout is theirs when they recognise
/// one (a Thư viện Pháp luật page is `tvpl-portal`), else `html`; lines are block numbers.
pub fn read_html(extracted: Extracted, rules: &LayoutRules) -> Read {
    let text = extracted.lines.join("\n");
    let mut read = read(&text, rules);
    let block = |line: u32| -> u32 {
        let index = (line as usize)
            .saturating_sub(1)
            .min(extracted.origin.len().saturating_sub(1));
        extracted.origin.get(index).copied().unwrap_or(line)
    };
    read.origin = match read.origin.is_empty() {
        true => extracted.origin.clone(),
        false => read.origin.iter().map(|&l| block(l)).collect(),
    };
    for diagnostic in &mut read.diagnostics {
        diagnostic.line = if diagnostic.line == 0 {
            0
        } else {
            block(diagnostic.line)
        };
    }
    read.chrome = read
        .chrome
        .iter()
        .map(|&(s, e)| (block(s), block(e)))
        .collect();
    if read.layout == PLAIN || read.layout == portal_body::LAYOUT {
        read.layout = html::LAYOUT;
    }
    read
}

/// The input as the readers see it: its lines, as split at `\n` (a `\r` stays on its line).
pub struct Input<'a> {
    pub lines: Vec<&'a str>,
}

impl<'a> Input<'a> {
    pub fn new(text: &'a str) -> Self {
        Input {
            lines: text.split('\n').collect(),
        }
    }

    /// Line `index` (0-based) with markdown emphasis and heading marks removed, trimmed.
    pub fn bare(&self, index: usize) -> String {
        bare(self.lines.get(index).copied().unwrap_or(""))
    }

    /// The first `n` lines that hold any letter or digit, as (index, bare text).
    pub fn first_text_lines(&self, n: usize) -> Vec<(usize, String)> {
        self.lines
            .iter()
            .enumerate()
            .map(|(i, l)| (i, bare(l)))
            .filter(|(_, l)| l.chars().any(char::is_alphanumeric))
            .take(n)
            .collect()
    }
}

/// A line without markdown emphasis, heading marks or table bars at its ends, trimmed.
pub fn bare(line: &str) -> String {
    let text: String = line.chars().filter(|&c| c != '*').collect();
    let text = text.trim().trim_start_matches('#').trim();
    text.trim_matches('|').trim().to_string()
}

/// What a reader made of its input.
#[derive(Debug, Default)]
pub struct Reading {
    /// The lines to parse; `None` when the input is parsed as it is.
    pub lines: Option<Vec<String>>,
    /// For each line of `lines`, the 1-based line of the input it comes from.
    pub origin: Vec<u32>,
    /// A portal's metadata table, as written.
    pub metadata: Option<BTreeMap<String, String>>,
    /// Lines of the input that are the portal's, not the document's (1-based), as ranges.
    pub chrome: Vec<(u32, u32)>,
    pub diagnostics: Vec<Diagnostic>,
}

impl Reading {
    /// The input unchanged.
    pub fn unchanged() -> Self {
        Reading::default()
    }

    /// The input's lines with the lines in `drop` (0-based indexes) blanked out.
    pub fn blanked(input: &Input, drop: &[(usize, usize)]) -> Self {
        let mut lines: Vec<String> = input.lines.iter().map(|l| l.to_string()).collect();
        for &(start, end) in drop {
            for line in lines.iter_mut().take(end).skip(start) {
                line.clear();
            }
        }
        Reading {
            origin: (1..=lines.len() as u32).collect(),
            lines: Some(lines),
            chrome: drop
                .iter()
                .filter(|(s, e)| e > s)
                .map(|&(s, e)| (s as u32 + 1, e as u32))
                .collect(),
            ..Reading::default()
        }
    }
}

/// One layout: how to recognise it and how to read it.
pub trait Reader: Sync {
    /// The record's `layout` value.
    fn layout(&self) -> &'static str;
    /// True when the input is in this layout. Must be cheap: it looks at a few lines.
    fn detect(&self, input: &Input, rules: &LayoutRules) -> bool;
    /// The input turned into the text the later stages expect.
    fn read(&self, input: &Input, rules: &LayoutRules) -> Reading;
}

/// The readers, most specific first; the first whose `detect` is true reads the input.
/// An input none of them claims is `plain`, read as it is.
pub const READERS: &[&dyn Reader] = &[
    &tvpl::TvplPortal,
    &news::News,
    &assembly::Assembly,
    &flat::Flat,
    &headerless::Headerless,
    &portal_body::PortalBody,
];

/// The layout of an input no reader claims.
pub const PLAIN: &str = "plain";

/// The result of the reader stage.
#[derive(Debug)]
pub struct Read {
    pub layout: &'static str,
    /// The text to normalise (the input itself when the reader changed nothing).
    pub text: String,
    /// Input line of each line of `text`; empty when they are the same.
    pub origin: Vec<u32>,
    pub metadata: Option<BTreeMap<String, String>>,
    /// Portal lines (1-based, inclusive ranges) that are not the document's.
    pub chrome: Vec<(u32, u32)>,
    pub diagnostics: Vec<Diagnostic>,
}

impl Read {
    /// The input line of line `number` (1-based) of `text`.
    pub fn input_line(&self, number: u32) -> u32 {
        if self.origin.is_empty() || number == 0 {
            return number;
        }
        let index = (number as usize - 1).min(self.origin.len() - 1);
        self.origin[index]
    }
}

/// Recognises the layout of `text` and reads it.
pub fn read(text: &str, rules: &LayoutRules) -> Read {
    let input = Input::new(text);
    let reader = READERS.iter().find(|r| r.detect(&input, rules));
    let layout = reader.map_or(PLAIN, |r| r.layout());
    let mut reading = reader.map_or_else(Reading::unchanged, |r| r.read(&input, rules));
    let mut lines = reading
        .lines
        .take()
        .unwrap_or_else(|| input.lines.iter().map(|l| l.to_string()).collect());
    if !lookalike::fix(&mut lines, &reading.origin, &mut reading.diagnostics)
        && reading.origin.is_empty()
    {
        // Nothing changed: the input is parsed byte for byte as it came.
        return Read {
            layout,
            text: text.to_string(),
            origin: Vec::new(),
            metadata: reading.metadata,
            chrome: reading.chrome,
            diagnostics: finish(layout, reading.diagnostics),
        };
    }
    Read {
        layout,
        text: lines.join("\n"),
        origin: reading.origin,
        metadata: reading.metadata,
        chrome: reading.chrome,
        diagnostics: finish(layout, reading.diagnostics),
    }
}

fn finish(layout: &'static str, mut diagnostics: Vec<Diagnostic>) -> Vec<Diagnostic> {
    if layout != PLAIN && layout != portal_body::LAYOUT {
        diagnostics.push(Diagnostic::info(
            "layout",
            format!("read as the `{layout}` layout"),
            0,
        ));
    }
    diagnostics
}

/// The readers' recognition data: `rules/layouts.yaml`.
#[derive(Debug)]
pub struct LayoutRules {
    pub tvpl: TvplRules,
    pub news_lede: Vec<String>,
    pub assembly_issuers: Vec<String>,
    pub assembly_symbols: Vec<String>,
    pub assembly_adoption: Vec<String>,
}

#[derive(Debug)]
pub struct TvplRules {
    pub banner: Vec<String>,
    pub loading: Vec<String>,
    pub metadata_labels: Vec<String>,
    pub metadata_last: String,
    pub footer_lines: Vec<String>,
    pub translation_title: Regex,
    pub paragraph_openers: Vec<String>,
    /// Folded openings of a Kính gửi line, whose entry ends at the first full stop.
    pub addressee_openers: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct LayoutsFile {
    tvpl: TvplFile,
    paragraph_openers: Vec<String>,
    news: NewsFile,
    assembly: AssemblyFile,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct TvplFile {
    banner: Vec<String>,
    loading: Vec<String>,
    metadata_labels: Vec<String>,
    metadata_last: String,
    footer_lines: Vec<String>,
    translation_title: String,
    #[serde(default)]
    addressee_openers: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct NewsFile {
    lede: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct AssemblyFile {
    issuers: Vec<String>,
    symbols: Vec<String>,
    adoption: Vec<String>,
}

impl LayoutRules {
    pub fn load(source: &RuleSource) -> Result<Self, RulesError> {
        let (origin, file): (_, LayoutsFile) = source.yaml("layouts.yaml")?;
        let folded = |v: Vec<String>| v.iter().map(|s| fold(s)).collect::<Vec<_>>();
        Ok(LayoutRules {
            tvpl: TvplRules {
                banner: folded(file.tvpl.banner),
                loading: folded(file.tvpl.loading),
                metadata_labels: file.tvpl.metadata_labels,
                metadata_last: file.tvpl.metadata_last,
                footer_lines: folded(file.tvpl.footer_lines),
                translation_title: Regex::new(&file.tvpl.translation_title)
                    .map_err(|e| RulesError::invalid(&origin, e))?,
                paragraph_openers: folded(file.paragraph_openers),
                addressee_openers: folded(file.tvpl.addressee_openers),
            },
            news_lede: folded(file.news.lede),
            assembly_issuers: file.assembly.issuers,
            assembly_symbols: file.assembly.symbols,
            assembly_adoption: folded(file.assembly.adoption),
        })
    }
}

/// True when the folded `text` contains any of the folded `phrases`.
pub fn contains_any(text: &str, phrases: &[String]) -> bool {
    let folded = fold(text);
    phrases.iter().any(|p| folded.contains(p.as_str()))
}

#[cfg(test)]
pub(crate) fn test_rules() -> &'static LayoutRules {
    use std::sync::OnceLock;
    static RULES: OnceLock<LayoutRules> = OnceLock::new();
    RULES.get_or_init(|| LayoutRules::load(&RuleSource::built_in()).expect("rules load"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_unclaimed_input_is_plain_and_unchanged() {
        let text = "Số: 12/KH-UBND\n\nHà Nội, ngày 1 tháng 2 năm 2025\n";
        let read = read(text, test_rules());
        assert_eq!(read.layout, PLAIN);
        assert_eq!(read.text, text);
        assert!(read.diagnostics.is_empty());
        assert_eq!(read.input_line(3), 3);
    }
}
