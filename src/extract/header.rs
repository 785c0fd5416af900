//! The header fields: số/ký hiệu, date and place, type, trích yếu, addressees, issuer.

use crate::docnumber;
use crate::lines::Paragraph;
use crate::record::{Diagnostic, Document};
use crate::rules::Rules;
use crate::structure::regions::patterns;
use crate::structure::HeaderRole;
use crate::text::{squash_spaces, trim_entry_end};

/// Fills the header fields of `doc` from the header paragraphs.
pub fn extract(doc: &mut Document, header: &[(HeaderRole, Paragraph)], rules: &Rules) {
    let mut heading_type = None;
    let mut type_code = None;
    let mut has_vv = false;
    let mut subject_parts: Vec<String> = Vec::new();
    let mut issuer_parts: Vec<String> = Vec::new();
    for (role, paragraph) in header {
        match role {
            HeaderRole::Number if doc.id.is_empty() => type_code = number(doc, paragraph, rules),
            HeaderRole::Date if doc.date.is_none() => date(doc, paragraph),
            HeaderRole::TypeHeading if heading_type.is_none() => {
                // `**NGHỊ` / `QUYẾT**`: the heading broken over two lines, with no title.
                let whole = rules
                    .doctypes
                    .by_name(paragraph.text.trim_end_matches([':', '.']));
                if let Some(t) = whole {
                    heading_type = Some(t.name.clone());
                    continue;
                }
                let heading = paragraph.lines[0].1.trim_end_matches([':', '.']);
                heading_type = rules.doctypes.by_name(heading).map(|t| t.name.clone());
                let title: Vec<&str> = paragraph.lines[1..]
                    .iter()
                    .map(|(_, l)| l.as_str())
                    .collect();
                if !title.is_empty() {
                    doc.subject_line = paragraph.lines[1].0;
                    subject_parts.push(title.join(" "));
                }
            }
            HeaderRole::Subject => {
                if doc.subject_line == 0 {
                    doc.subject_line = paragraph.line;
                }
                let caps = patterns().subject.captures(&paragraph.text);
                has_vv |= caps.is_some();
                let text = caps
                    .and_then(|c| c.get(1))
                    .map_or(paragraph.text.as_str(), |m| m.as_str());
                subject_parts.push(text.to_string());
            }
            HeaderRole::AddresseeHeading => {
                let inline = patterns()
                    .addressee
                    .captures(&paragraph.text)
                    .and_then(|c| c.get(1));
                if let Some(inline) = inline.filter(|m| !m.as_str().is_empty()) {
                    doc.addressees.extend(split_entries(inline.as_str()));
                }
            }
            HeaderRole::Addressee => doc.addressees.extend(split_entries(&paragraph.text)),
            HeaderRole::Issuer => {
                issuer_parts.push(paragraph.text.trim_end_matches(['-', '–', ' ']).to_string())
            }
            _ => {}
        }
        if doc.date.is_none() && !matches!(role, HeaderRole::Subject | HeaderRole::TypeHeading) {
            date(doc, paragraph);
        }
    }
    // `V/v thuế TNCN từ tiền lương, tiền công.`: the full stop is not part of the trích yếu.
    doc.subject = squash_spaces(&subject_parts.join(" "))
        .trim_end_matches('.')
        .trim_end()
        .to_string();
    if !issuer_parts.is_empty() {
        doc.issuer = Some(squash_spaces(&issuer_parts.join(" ")));
    }
    doc.doc_type = document_type(type_code.as_deref(), heading_type, has_vv, rules);
    report_missing(doc, header);
}

/// `Số: **1790** /CV-BCĐ` → id `1790/CV-BCĐ`, number `1790`, symbol `CV-BCĐ`.
/// Returns the type code the symbol carries (`KH` in `31/KH-UBND`), for the type.
fn number(doc: &mut Document, paragraph: &Paragraph, rules: &Rules) -> Option<String> {
    let caps = patterns().number.captures(&paragraph.text)?;
    match docnumber::parse(&caps[1], rules) {
        Some(parsed) => {
            doc.id = parsed.id;
            doc.number = parsed.number;
            doc.year = parsed.year;
            doc.symbol = parsed.symbol;
            parsed.type_code
        }
        None => {
            doc.diagnostics.push(Diagnostic::warning(
                "unreadable-number",
                format!(
                    "the Số line `{}` has no số/ký hiệu of the form 123/KH-UBND or 36-CT/TW",
                    paragraph.text
                ),
                paragraph.line,
            ));
            None
        }
    }
}

/// `Hà Nội, ngày 14 tháng 02 năm 2017` → date `2017-02-14`, place `Hà Nội`.
fn date(doc: &mut Document, paragraph: &Paragraph) {
    let Some(caps) = patterns().date.captures(&paragraph.text) else {
        return;
    };
    let (Ok(day), Ok(month), Ok(year)) = (
        caps["d"].parse::<u32>(),
        caps["m"].parse::<u32>(),
        caps["y"].parse::<u32>(),
    ) else {
        return;
    };
    match iso_date(year, month, day) {
        Some(iso) => {
            doc.date = Some(iso);
            let place = caps["place"].trim().trim_start_matches(['-', '.', ' ']);
            doc.place = Some(squash_spaces(place)).filter(|p| !p.is_empty());
        }
        None => doc.diagnostics.push(Diagnostic::warning(
            "invalid-date",
            format!(
                "the date line gives day {day}, month {month}, year {year}, which is not a date"
            ),
            paragraph.line,
        )),
    }
}

/// `YYYY-MM-DD` when the day exists in that month.
pub fn iso_date(year: u32, month: u32, day: u32) -> Option<String> {
    let leap = (year.is_multiple_of(4) && !year.is_multiple_of(100)) || year.is_multiple_of(400);
    let days_in_month = match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return None,
    };
    (day >= 1 && day <= days_in_month && (1900..=2100).contains(&year))
        .then(|| format!("{year:04}-{month:02}-{day:02}"))
}

/// The type from the heading; for a công văn (V/v, no heading) Công văn; else from the
/// symbol's type code; else the default (Công văn). A code marked `overrides_heading` (VBHN)
/// wins over the heading, which then names the consolidated document's type.
fn document_type(
    type_code: Option<&str>,
    heading_type: Option<String>,
    has_vv: bool,
    rules: &Rules,
) -> String {
    let code_type = type_code.and_then(|code| rules.doctypes.by_code(code));
    if let Some(code_type) = code_type.filter(|t| t.overrides_heading) {
        return code_type.name.clone();
    }
    if let Some(heading) = heading_type {
        return heading;
    }
    if has_vv {
        return rules.doctypes.default_type.clone();
    }
    code_type.map_or_else(|| rules.doctypes.default_type.clone(), |t| t.name.clone())
}

/// `- Lãnh đạo các Sở ...;` → `Lãnh đạo các Sở ...`; an inline list is split at `;`.
pub fn split_entries(text: &str) -> Vec<String> {
    text.split(';')
        .map(|entry| entry.trim().trim_start_matches(['-', '+', '•', '–']).trim())
        .map(|entry| trim_entry_end(entry).to_string())
        .filter(|entry| !entry.is_empty())
        .collect()
}

fn report_missing(doc: &mut Document, header: &[(HeaderRole, Paragraph)]) {
    let first_line = header.first().map_or(1, |(_, p)| p.line);
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

    #[test]
    fn dates_are_validated() {
        assert_eq!(iso_date(2020, 5, 13).as_deref(), Some("2020-05-13"));
        assert_eq!(iso_date(2024, 2, 29).as_deref(), Some("2024-02-29"));
        assert_eq!(iso_date(2025, 2, 29), None);
        assert_eq!(iso_date(2025, 13, 1), None);
    }
}
