//! The whole pipeline for one input, and the rules it runs with.
//!
//! ```text
//! bytes ─decode→ Decoded ─read→ Read ─normalise→ Vec<Line> ─lines→ Vec<Paragraph>
//!       ─structure→ Layout ─extract→ Document
//! ```
//!
//! A Word file skips decode (its XML is Unicode) and a web page is decoded as text: the
//! reader stage turns each into text first ([`read::file_kind`] chooses by name and content).

use std::path::Path;

use crate::decode::{self, DecodeError, Encoding};
use crate::extract::citations::CitationRules;
use crate::extract::obligations::ObligationRules;
use crate::lexicon::Lexicon;
use crate::normalise::NormaliseRules;
use crate::read::LayoutRules;
use crate::record::Document;
use crate::rules::{RuleSource, RulesError};
use crate::{extract, lines, normalise, read, record, structure};

/// Every rule, compiled: the shared vocabulary and each stage's own part. Loaded once, before
/// any document is parsed, and shared read-only by every parse.
#[derive(Debug)]
pub struct Rules {
    pub lexicon: Lexicon,
    pub normalise: NormaliseRules,
    pub citations: CitationRules,
    pub obligations: ObligationRules,
    pub layouts: LayoutRules,
    /// A digest of the rules files these were compiled from ([`RuleSource::digest`]).
    pub digest: String,
}

impl Rules {
    /// The rules built into the binary.
    pub fn built_in() -> Result<Rules, RulesError> {
        Rules::from_source(&RuleSource::built_in())
    }

    /// The rules of `dir`, falling back to the built-in file for each one `dir` lacks; with
    /// no `dir`, the built-in rules. A `dir` that is not a folder is an error.
    pub fn load(dir: Option<&Path>) -> Result<Rules, RulesError> {
        match dir {
            Some(dir) => Rules::from_source(&RuleSource::from_dir(dir)?),
            None => Rules::built_in(),
        }
    }

    /// What the extract stage runs with.
    pub fn extractors(&self) -> extract::Extractors<'_> {
        extract::Extractors {
            lexicon: &self.lexicon,
            citations: &self.citations,
            obligations: &self.obligations,
        }
    }

    fn from_source(source: &RuleSource) -> Result<Rules, RulesError> {
        let lexicon = Lexicon::load(source)?;
        Ok(Rules {
            normalise: NormaliseRules::load(source)?,
            citations: CitationRules::load(source)?,
            obligations: ObligationRules::load(source)?,
            layouts: LayoutRules::load(source)?,
            lexicon,
            digest: source.digest()?,
        })
    }
}

/// Inputs larger than this are refused unless the caller raises the limit.
pub const DEFAULT_MAX_BYTES: u64 = 64 * 1024 * 1024;

/// How one input is read.
#[derive(Debug, Clone)]
pub struct ParseOptions {
    /// Decode with this encoding instead of detecting one.
    pub encoding: Option<Encoding>,
    /// Refuse files larger than this many bytes.
    pub max_bytes: u64,
}

impl Default for ParseOptions {
    fn default() -> Self {
        ParseOptions {
            encoding: None,
            max_bytes: DEFAULT_MAX_BYTES,
        }
    }
}

/// Why an input file could not be used at all. Displayed as `FILE: reason`.
///
/// The operating system's error is part of the message and not a [`std::error::Error::source`]
/// as well: a caller that prints an error with its chain of causes (anyhow's `{:#}`) would
/// otherwise print it twice.
#[derive(Debug, thiserror::Error)]
pub enum InputError {
    #[error("{file}: no such file")]
    Missing { file: String },
    #[error("{file}: is a directory, not a file")]
    Directory { file: String },
    #[error("{file}: cannot read: {error}")]
    Unreadable { file: String, error: std::io::Error },
    #[error(
        "{file}: larger than the limit of {limit} bytes ({size} bytes); raise it with --max-bytes"
    )]
    TooLarge { file: String, size: u64, limit: u64 },
    /// A stream (standard input, a pipe, a device) that gave more than the limit: read no
    /// further, so its size is not known.
    #[error("{file}: larger than the limit of {limit} bytes; raise it with --max-bytes")]
    StreamTooLarge { file: String, limit: u64 },
    #[error("{file}: {error}")]
    Undecodable { file: String, error: DecodeError },
    /// A kind of file vanban does not read (yet), or a Word file it cannot open.
    #[error("{file}: {reason}")]
    NotRead { file: String, reason: String },
}

/// Why a folder's file called `name` is not read (`PDF is not read yet`), or `None` when it
/// is a kind the reader stage reads.
pub fn not_read(name: &str) -> Option<String> {
    read::not_read(name)
}

/// Reads, decodes and parses one file.
///
/// The file is read through a reader that stops one byte past `max_bytes`, whatever its
/// metadata says: `/dev/zero`, a pipe or a file that grows while read cost at most the limit.
pub fn parse_path(
    path: &Path,
    rules: &Rules,
    options: &ParseOptions,
) -> Result<Document, InputError> {
    let file = path.display().to_string();
    let unreadable = |error: std::io::Error| match error.kind() {
        std::io::ErrorKind::NotFound => InputError::Missing { file: file.clone() },
        _ => InputError::Unreadable {
            file: file.clone(),
            error,
        },
    };
    let metadata = std::fs::metadata(path).map_err(unreadable)?;
    if metadata.is_dir() {
        return Err(InputError::Directory { file });
    }
    if metadata.is_file() && metadata.len() > options.max_bytes {
        return Err(InputError::TooLarge {
            file,
            size: metadata.len(),
            limit: options.max_bytes,
        });
    }
    let reader = std::fs::File::open(path).map_err(unreadable)?;
    let bytes = read_bounded(reader, &file, options.max_bytes)?;
    parse_bytes(&file, &bytes, rules, options)
}

/// Reads `reader` to its end, or refuses once it gives more than `limit` bytes (reading at
/// most one byte more): the one way vanban reads an input, a file or standard input.
pub fn read_bounded(
    reader: impl std::io::Read,
    file: &str,
    limit: u64,
) -> Result<Vec<u8>, InputError> {
    use std::io::Read;
    let mut bytes = Vec::new();
    reader
        .take(limit.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(|error| InputError::Unreadable {
            file: file.to_string(),
            error,
        })?;
    if bytes.len() as u64 > limit {
        return Err(InputError::StreamTooLarge {
            file: file.to_string(),
            limit,
        });
    }
    Ok(bytes)
}

/// Decodes and parses the bytes of one input; `file` names it in the record and in errors.
pub fn parse_bytes(
    file: &str,
    bytes: &[u8],
    rules: &Rules,
    options: &ParseOptions,
) -> Result<Document, InputError> {
    if bytes.len() as u64 > options.max_bytes {
        return Err(InputError::TooLarge {
            file: file.to_string(),
            size: bytes.len() as u64,
            limit: options.max_bytes,
        });
    }
    let not_read = |reason: String| InputError::NotRead {
        file: file.to_string(),
        reason,
    };
    let kind = read::file_kind(file, bytes).map_err(not_read)?;
    if kind == read::FileKind::Docx {
        let read = read::read_docx(read::docx_text(bytes).map_err(not_read)?);
        return Ok(parse_read(file, read, None, Encoding::Utf8, &[], rules));
    }
    let decoded =
        decode::decode(bytes, options.encoding).map_err(|error| InputError::Undecodable {
            file: file.to_string(),
            error,
        })?;
    let invalid: Vec<record::Diagnostic> = decoded
        .invalid
        .iter()
        .map(|&(line, column)| {
            record::Diagnostic::warning(
                "invalid-utf8",
                format!("bytes that are not UTF-8 at line {line}, column {column}, read as U+FFFD"),
                line,
            )
            .at((line, column))
        })
        .collect();
    if kind == read::FileKind::Html {
        let read = read::read_html(read::html_text(&decoded.text), &rules.layouts);
        // The page's own lines are not the record's: the warnings say where, on line 0.
        let invalid: Vec<_> = invalid
            .into_iter()
            .map(|mut d| {
                d.line = 0;
                d.column = 1;
                d
            })
            .collect();
        return Ok(parse_read(
            file,
            read,
            None,
            decoded.encoding,
            &invalid,
            rules,
        ));
    }
    let read = read::read(&decoded.text, &rules.layouts);
    Ok(parse_read(
        file,
        read,
        Some(&decoded.text),
        decoded.encoding,
        &invalid,
        rules,
    ))
}

/// Parses decoded text. Never fails: what is not understood becomes a diagnostic.
pub fn parse_text(file: &str, text: &str, encoding: Encoding, rules: &Rules) -> Document {
    let read = read::read(text, &rules.layouts);
    parse_read(file, read, Some(text), encoding, &[], rules)
}

/// Parses what the reader stage made of an input; `decoding` holds the decoder's warnings.
/// `input` is the text the reader read, when its lines are the file's (not a Word file's or a
/// web page's blocks): it tells the columns of the lines the reader split.
fn parse_read(
    file: &str,
    read: read::Read,
    input: Option<&str>,
    encoding: Encoding,
    decoding: &[record::Diagnostic],
    rules: &Rules,
) -> Document {
    // Two saves of one directive read to the same text: the registry tells them apart by it.
    let source_digest = digest(&read.text);
    let mut lines = normalise::normalise(&read.text, &rules.normalise);
    if !read.origin.is_empty() {
        // The reader split or added lines: every line is numbered as in the input file, and
        // a piece of a split line starts at its column there.
        let shifts = input
            .map(|input| split_columns(input, &read))
            .unwrap_or_default();
        for line in &mut lines {
            let shift = shifts.get(line.number as usize - 1).copied().unwrap_or(0);
            line.column += shift;
            line.number = read.input_line(line.number);
        }
    }
    // Where a diagnostic about the whole document points: its first line of text.
    let first_line = lines
        .iter()
        .find(|l| !l.text.trim().is_empty())
        .map_or(1, |l| l.number);
    let paragraphs = lines::segment(&lines, &rules.lexicon);
    let layout = structure::recognise(&paragraphs, &rules.lexicon);
    let header_line = header_line(&layout).unwrap_or(first_line);
    let mut document = extract::extract(layout, rules.extractors());
    document.header_line = header_line;
    document.file = file.to_string();
    document.encoding = encoding.name().to_string();
    document.layout = read.layout.to_string();
    document.source_metadata = read.metadata;
    document.source_digest = source_digest;
    let mut diagnostics = Vec::new();
    if encoding != Encoding::Utf8 {
        diagnostics.push(record::Diagnostic::info(
            "encoding",
            format!("decoded from {}", encoding.name()),
            0,
        ));
    }
    diagnostics.extend_from_slice(decoding);
    diagnostics.extend(read.diagnostics);
    diagnostics.append(&mut document.diagnostics);
    diagnostics.extend(read::check_metadata(&document));
    for diagnostic in &mut diagnostics {
        if diagnostic.line == 0 {
            diagnostic.line = first_line;
        }
    }
    diagnostics.sort_by_key(|d| d.line);
    document.diagnostics = diagnostics;
    document
}

/// For each line of the reader's text, how many characters into its input line it starts:
/// 0 for a line the reader kept whole, else where its text is found in the input line,
/// searched after the previous piece of the same line (0 when the reader rewrote it).
fn split_columns(input: &str, read: &read::Read) -> Vec<u32> {
    let inputs: Vec<&str> = input.lines().collect();
    // The byte where the next piece of each input line is searched from.
    let mut cursor: (u32, usize) = (0, 0);
    read.text
        .lines()
        .enumerate()
        .map(|(index, text)| {
            let origin = read.input_line(index as u32 + 1);
            let Some(whole) = inputs.get((origin as usize).wrapping_sub(1)) else {
                return 0;
            };
            if text == *whole || text.trim().is_empty() {
                return 0;
            }
            if cursor.0 != origin {
                cursor = (origin, 0);
            }
            let from = cursor.1.min(whole.len());
            let rest = whole.get(from..).unwrap_or("");
            match rest.find(text.trim_start()) {
                Some(at) => {
                    let start = from + at;
                    cursor.1 = start + text.trim_start().len();
                    let leading = (text.len() - text.trim_start().len()) as u32;
                    (whole[..start].chars().count() as u32).saturating_sub(leading)
                }
                None => 0,
            }
        })
        .collect()
}

/// The line of the Số line, else of the header's first paragraph; None when there is no header.
fn header_line(layout: &structure::Layout) -> Option<u32> {
    layout
        .header
        .iter()
        .find(|e| matches!(e.role, structure::HeaderRole::Number(_)))
        .or(layout.header.first())
        .map(|e| e.paragraph.line)
}

/// FNV-1a (64 bits) of a text, as 16 hex digits: stable across builds and platforms.
fn digest(text: &str) -> String {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for byte in text.bytes() {
        hash ^= u64::from(byte);
        hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
    format!("{hash:016x}")
}
