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
//!
//! The rules are compiled once and shared by every parse:
//!
//! ```
//! use vanban::decode::Encoding;
//!
//! let rules = vanban::Rules::built_in()?;
//! let text = "ỦY BAN NHÂN DÂN\nTHÀNH PHỐ HÀ NỘI\n\nSố: 31/KH-UBND\n\n\
//!             Hà Nội, ngày 14 tháng 02 năm 2017\n\nKẾ HOẠCH\n\
//!             Phòng, chống dịch bệnh năm 2017\n\n1. Sở Y tế chủ trì tổ chức tiêm chủng.\n";
//! let record = vanban::parse_text("31-kh.txt", text, Encoding::Utf8, &rules);
//! assert_eq!(record.id, "31/KH-UBND");
//! assert_eq!(record.date.as_deref(), Some("2017-02-14"));
//! assert_eq!(record.doc_type, "Kế hoạch");
//! assert_eq!(record.subject, "Phòng, chống dịch bệnh năm 2017");
//! assert_eq!(record.obligations[0].agency, "Sở Y tế thành phố Hà Nội");
//! # Ok::<(), vanban::rules::RulesError>(())
//! ```
//!
//! A folder of directives becomes a registry with [`link::build()`]; [`link::Registry::open`]
//! reads one back for [`link::trace()`], [`link::tasks()`] and [`link::graph()`]. The stages can be
//! run one at a time through [`stages`].

#![deny(clippy::too_many_lines)]

pub mod codes;
pub mod decode;
pub mod digest;
mod extract;
mod lexicon;
mod lines;
pub mod link;
mod normalise;
mod pipeline;
mod read;
pub mod record;
pub mod report;
pub mod rules;
pub mod stages;
mod structure;
mod text;
mod word_regex;
pub mod write;

pub use lexicon::date::CalendarDate;
pub use pipeline::{
    parse_bytes, parse_path, parse_text, read_bounded, InputError, ParseOptions, Rules,
    DEFAULT_MAX_BYTES,
};
pub use record::Document;
