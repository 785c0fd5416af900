//! vanban: Vietnamese administrative directives in, structured records out.
//!
//! The pipeline, one module per stage, with a data type between each:
//!
//! ```text
//! bytes ─decode→ Decoded ─normalise→ Vec<Line> ─lines→ Vec<Paragraph>
//!       ─structure→ Layout ─extract→ Document ─link→ Registry ─write→ files
//! ```
//!
//! Parsing never fails once the bytes are decoded: what is not understood becomes a
//! [`record::Diagnostic`] with a line. Only decoding, and reading the file, refuse input.

pub mod decode;
pub mod docnumber;
pub mod extract;
pub mod record;
pub mod rules;
pub mod text;

pub use record::Document;
pub use rules::Rules;
