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

mod assembly;
mod flat;
mod headerless;
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

/// The input as the readers see it: its lines, as split at `\n` (a `\r` stays on its line).
pub struct Input<'a> {
    pub text: &'a str,
    pub lines: Vec<&'a str>,
}

impl<'a> Input<'a> {
    pub fn new(text: &'a str) -> Self {
        Input {
            text,
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
