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

#![deny(clippy::too_many_lines)]

pub mod decode;
pub mod extract;
pub mod lexicon;
pub mod lines;
pub mod link;
pub mod normalise;
pub mod pipeline;
pub mod read;
pub mod record;
pub mod rules;
pub mod structure;
pub mod text;
pub mod word_regex;
pub mod write;

pub use pipeline::{
    parse_bytes, parse_path, parse_text, InputError, ParseOptions, Rules, DEFAULT_MAX_BYTES,
};
pub use record::Document;
