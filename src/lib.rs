//! vanban: Vietnamese administrative directives in, structured records out.
//!
//! The pipeline, one module per stage, with a data type between each:
//!
//! ```text
//! bytes ─decode→ Decoded ─read→ Read ─normalise→ Vec<Line> ─lines→ Vec<Paragraph>
//!       ─structure→ Layout ─extract→ Document ─link→ Registry ─write→ files
//! ```
//!
//! Parsing never fails once the bytes are decoded: what is not understood becomes a
//! [`record::Diagnostic`] with a line. Only decoding, and reading the file, refuse input.

pub mod decode;
pub mod docnumber;
pub mod extract;
pub mod lines;
pub mod link;
pub mod normalise;
pub mod read;
pub mod record;
pub mod rules;
pub mod structure;
pub mod text;
pub mod word_regex;
pub mod write;

pub use record::Document;
pub use rules::Rules;

use std::path::Path;

use decode::{DecodeError, Encoding};

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
#[derive(Debug, thiserror::Error)]
pub enum InputError {
    #[error("{file}: no such file")]
    Missing { file: String },
    #[error("{file}: is a directory, not a file")]
    Directory { file: String },
    #[error("{file}: cannot read: {source}")]
    Unreadable {
        file: String,
        source: std::io::Error,
    },
    #[error(
        "{file}: larger than the limit of {limit} bytes ({size} bytes); raise it with --max-bytes"
    )]
    TooLarge { file: String, size: u64, limit: u64 },
    #[error("{file}: {source}")]
    Undecodable { file: String, source: DecodeError },
}

/// Reads, decodes and parses one file.
pub fn parse_path(
    path: &Path,
    rules: &Rules,
    options: &ParseOptions,
) -> Result<Document, InputError> {
    let file = path.display().to_string();
    let metadata = std::fs::metadata(path).map_err(|source| match source.kind() {
        std::io::ErrorKind::NotFound => InputError::Missing { file: file.clone() },
        _ => InputError::Unreadable {
            file: file.clone(),
            source,
        },
    })?;
    if metadata.is_dir() {
        return Err(InputError::Directory { file });
    }
    if metadata.len() > options.max_bytes {
        return Err(InputError::TooLarge {
            file,
            size: metadata.len(),
            limit: options.max_bytes,
        });
    }
    let bytes = std::fs::read(path).map_err(|source| InputError::Unreadable {
        file: file.clone(),
        source,
    })?;
    parse_bytes(&file, &bytes, rules, options)
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
    let decoded =
        decode::decode(bytes, options.encoding).map_err(|source| InputError::Undecodable {
            file: file.to_string(),
            source,
        })?;
    Ok(parse_text(file, &decoded.text, decoded.encoding, rules))
}

/// Parses decoded text. Never fails: what is not understood becomes a diagnostic.
pub fn parse_text(file: &str, text: &str, encoding: Encoding, rules: &Rules) -> Document {
    let read = read::read(text, &rules.layouts);
    let mut lines = normalise::normalise(&read.text, &rules.normalise);
    if !read.origin.is_empty() {
        // The reader split or added lines: every line is numbered as in the input file.
        for line in &mut lines {
            line.number = read.input_line(line.number);
        }
    }
    let paragraphs = lines::segment(&lines);
    let layout = structure::recognise(&paragraphs, rules);
    let mut document = Document {
        file: file.to_string(),
        encoding: encoding.name().to_string(),
        layout: read.layout.to_string(),
        source_metadata: read.metadata,
        ..Document::default()
    };
    if encoding != Encoding::Utf8 {
        document.diagnostics.push(record::Diagnostic::info(
            "encoding",
            format!("decoded from {}", encoding.name()),
            0,
        ));
    }
    document.diagnostics.extend(read.diagnostics);
    extract::extract(&mut document, layout, rules);
    let mismatches = read::check_metadata(&document);
    if !mismatches.is_empty() {
        document.diagnostics.extend(mismatches);
        document.diagnostics.sort_by_key(|d| d.line);
    }
    document
}
