//! The header fields: số/ký hiệu, date and place, type, trích yếu, addressees, issuer.

use crate::lexicon::date::DateLine;
use crate::lexicon::doc_number::DocNumber;
use crate::lexicon::self_reference::SelfReference;
use crate::lexicon::Lexicon;
use crate::lines::Paragraph;
use crate::record::Diagnostic;
use crate::structure::{HeaderEntry, HeaderRole};
use crate::text::{squash_spaces, trim_entry_end};

/// The header's part of the record, and what the body extractors need of it.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Header {
    pub id: String,
    pub number: String,
    pub year: Option<String>,
    pub symbol: String,
    pub doc_type: String,
    pub date: Option<String>,
    pub place: Option<String>,
    pub subject: String,
    /// The input line where the trích yếu starts (citations in it are placed there).
    pub subject_line: u32,
    pub addressees: Vec<String>,
    /// The issuing body as printed in the header, when it prints one.
    pub issuer: Option<String>,
    pub diagnostics: Vec<Diagnostic>,
}

/// What the header paragraphs say, in the order they say it.
#[derive(Default)]
struct Reading {
    header: Header,
    heading_type: Option<String>,
    type_code: Option<String>,
    has_vv: bool,
    subject_parts: Vec<String>,
    issuer_parts: Vec<String>,
}

impl Reading {
    fn read(&mut self, entry: &HeaderEntry) {
        let paragraph = &entry.paragraph;
        match &entry.role {
            HeaderRole::Number(number) if self.header.id.is_empty() => {
                self.number(number.as_ref().ok(), paragraph)
            }
            HeaderRole::TypeHeading(heading) if self.heading_type.is_none() => {
                self.heading_type = heading.doc_type.clone();
                if let Some((line, title)) = &heading.title {
                    self.header.subject_line = *line;
                    self.subject_parts.push(title.clone());
                }
            }
            HeaderRole::Subject { text, vv } => {
                if self.header.subject_line == 0 {
                    self.header.subject_line = paragraph.line;
                }
                self.has_vv |= *vv;
                self.subject_parts.push(text.clone());
            }
            HeaderRole::AddresseeHeading { inline } if !inline.is_empty() => {
                self.header.addressees.extend(split_entries(inline));
            }
            HeaderRole::Addressee => self
                .header
                .addressees
                .extend(split_entries(&paragraph.text)),
            HeaderRole::Issuer => self
                .issuer_parts
                .push(paragraph.text.trim_end_matches(['-', '–', ' ']).to_string()),
            _ => {}
        }
        if let Some(date) = &entry.date {
            if self.header.date.is_none() {
                self.date(date, paragraph);
            }
        }
    }

    /// `Số: **1790** /CV-BCĐ` → id `1790/CV-BCĐ`, number `1790`, symbol `CV-BCĐ`, and the
    /// type code the symbol carries (`KH` in `31/KH-UBND`), for the type.
    fn number(&mut self, number: Option<&DocNumber>, paragraph: &Paragraph) {
        match number {
            Some(parsed) => {
                self.header.id = parsed.id.clone();
                self.header.number = parsed.number.clone();
                self.header.year = parsed.year.clone();
                self.header.symbol = parsed.symbol.clone();
                self.type_code = parsed.type_code.clone();
            }
            None => self.header.diagnostics.push(
                Diagnostic::warning(
                    "unreadable-number",
                    format!(
                        "the Số line `{}` has no số/ký hiệu of the form 123/KH-UBND or 36-CT/TW",
                        paragraph.text
                    ),
                    paragraph.line,
                )
                .at(paragraph.position_at(0)),
            ),
        }
    }

    /// `Hà Nội, ngày 14 tháng 02 năm 2017` → date `2017-02-14`, place `Hà Nội`.
    fn date(&mut self, date: &DateLine, paragraph: &Paragraph) {
        match date.date {
            Ok(day) => {
                self.header.date = Some(day.iso());
                self.header.place = date.place.clone();
            }
            Err((day, month, year)) => self.header.diagnostics.push(
                Diagnostic::warning(
                    "invalid-date",
                    format!(
                    "the date line gives day {day}, month {month}, year {year}, which is not a date"
                ),
                    paragraph.line,
                )
                .at(paragraph.position_at(date_start(&paragraph.text, date))),
            ),
        }
    }
}

/// Where a date line's words start in `text`: its match less the space or `|` before them.
fn date_start(text: &str, date: &DateLine) -> usize {
    let matched = text.get(date.span.clone()).unwrap_or("");
    date.span.start + (matched.len() - matched.trim_start_matches([' ', '|']).len())
}

/// The header fields from the header paragraphs, and from the document's own
/// self-references (`self_references`, found after the header) where those lost the Số or
/// the date line.
pub fn extract(
    entries: &[HeaderEntry],
    self_references: &[(SelfReference, u32)],
    lexicon: &Lexicon,
) -> Header {
    let mut reading = Reading::default();
    for entry in entries {
        reading.read(entry);
    }
    reading.self_references(self_references);
    let mut header = reading.header;
    // `V/v thuế TNCN từ tiền lương, tiền công.`: the full stop is not part of the trích yếu.
    header.subject = squash_spaces(&reading.subject_parts.join(" "))
        .trim_end_matches('.')
        .trim_end()
        .to_string();
    if !reading.issuer_parts.is_empty() {
        header.issuer = Some(squash_spaces(&reading.issuer_parts.join(" ")));
    }
    header.doc_type = document_type(
        reading.type_code.as_deref(),
        reading.heading_type,
        reading.has_vv,
        lexicon,
    );
    report_missing(&mut header, entries);
    header
}

impl Reading {
    /// What the header lacks, from the first self-reference to a document of its type: the
    /// số/ký hiệu (or, when its number is blank, the year and symbol) and the date. A date
    /// is taken only from a self-reference that names no other number than the header's.
    fn self_references(&mut self, references: &[(SelfReference, u32)]) {
        let same_type = |r: &&(SelfReference, u32)| {
            self.heading_type
                .as_ref()
                .is_none_or(|t| *t == r.0.doc_type)
        };
        let candidates: Vec<&(SelfReference, u32)> = references.iter().filter(same_type).collect();
        if self.header.id.is_empty() && self.header.symbol.is_empty() {
            if let Some((reference, line)) = candidates.iter().find(|(r, _)| r.number.is_some()) {
                let number = reference.number.as_ref().expect("filtered on a number");
                self.header.id = number.id.clone();
                self.header.number = number.number.clone();
                self.header.year = number.year.clone();
                self.header.symbol = number.symbol.clone();
                self.type_code = number.type_code.clone();
                self.header.diagnostics.push(Diagnostic::info(
                    "number-from-self-reference",
                    format!(
                        "no Số line: the số/ký hiệu `{}` is the document's own, from line {line}",
                        if number.id.is_empty() {
                            &number.symbol
                        } else {
                            &number.id
                        }
                    ),
                    *line,
                ));
            }
        }
        if self.header.date.is_none() {
            let own = |r: &SelfReference| {
                r.number
                    .as_ref()
                    .is_none_or(|n| n.id.is_empty() || n.id == self.header.id)
            };
            if let Some((reference, line)) =
                candidates.iter().find(|(r, _)| r.date.is_some() && own(r))
            {
                let date = reference.date.expect("filtered on a date");
                self.header.date = Some(date.iso());
                self.header.diagnostics.push(Diagnostic::info(
                    "date-from-self-reference",
                    format!("no date line: the date {} is from line {line}", date.iso()),
                    *line,
                ));
            }
        }
        if self.heading_type.is_none() && !self.has_vv {
            // The type it names, when it is the document's own number (or no number at all).
            let own = |r: &SelfReference| {
                r.number
                    .as_ref()
                    .is_none_or(|n| n.id == self.header.id && n.symbol == self.header.symbol)
            };
            self.heading_type = candidates
                .iter()
                .find(|(r, _)| own(r))
                .map(|(r, _)| r.doc_type.clone());
        }
    }
}

/// The type from the heading; for a công văn (V/v, no heading) Công văn; else from the
/// symbol's type code; else the default (Công văn). A code marked `overrides_heading` (VBHN)
/// wins over the heading, which then names the consolidated document's type.
fn document_type(
    type_code: Option<&str>,
    heading_type: Option<String>,
    has_vv: bool,
    lexicon: &Lexicon,
) -> String {
    let code_type = type_code.and_then(|code| lexicon.doctypes.by_code(code));
    if let Some(code_type) = code_type.filter(|t| t.overrides_heading) {
        return code_type.name.clone();
    }
    if let Some(heading) = heading_type {
        return heading;
    }
    if has_vv {
        return lexicon.doctypes.default_type.clone();
    }
    code_type.map_or_else(|| lexicon.doctypes.default_type.clone(), |t| t.name.clone())
}

/// `- Lãnh đạo các Sở ...;` → `Lãnh đạo các Sở ...`; an inline list is split at `;`.
pub fn split_entries(text: &str) -> Vec<String> {
    text.split(';')
        .map(|entry| entry.trim().trim_start_matches(['-', '+', '•', '–']).trim())
        .map(|entry| trim_entry_end(entry).to_string())
        .filter(|entry| !entry.is_empty())
        .collect()
}

fn report_missing(doc: &mut Header, entries: &[HeaderEntry]) {
    let first_line = entries.first().map_or(1, |e| e.paragraph.line);
    if doc.id.is_empty()
        && !doc
            .diagnostics
            .iter()
            .any(|d| d.code == "unreadable-number")
    {
        doc.diagnostics.push(Diagnostic::error(
            "missing-number",
            "no Số line (số/ký hiệu such as `Số: 123/KH-UBND`) in the header",
            first_line,
        ));
    }
    if doc.date.is_none() && !doc.diagnostics.iter().any(|d| d.code == "invalid-date") {
        doc.diagnostics.push(Diagnostic::warning(
            "missing-date",
            "no date line (such as `Hà Nội, ngày 14 tháng 02 năm 2017`) in the header",
            first_line,
        ));
    }
    if doc.subject.is_empty() {
        doc.diagnostics.push(Diagnostic::info(
            "missing-subject",
            "no trích yếu (`V/v ...` or a title under the type heading)",
            first_line,
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entries_are_cleaned() {
        assert_eq!(
            split_entries("- Lãnh đạo các Sở, ban, ngành;"),
            vec!["Lãnh đạo các Sở, ban, ngành"]
        );
        assert_eq!(
            split_entries("Bộ Y tế; Bộ Công an."),
            vec!["Bộ Y tế", "Bộ Công an"]
        );
    }
}
