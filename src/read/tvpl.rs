//! Thư viện Pháp luật portal pages: the copyright banner, "Đang tải văn bản...", the metadata
//! table (`Số hiệu`, `Loại văn bản`, ... `Tình trạng`), sometimes an editorial summary (a
//! `## ` heading and its paragraphs up to the table bar that opens the document), then the
//! document in the corpus-ext layout, then the footer: the portal's title line, "Văn bản này
//! chưa cập nhật nội dung Tiếng Anh" or the portal's English translation, "Văn bản liên
//! quan", notices and login text. The banner, table, summary and footer are blanked out; the
//! table is kept as `source_metadata`.

use std::collections::BTreeMap;

use super::{contains_any, Input, LayoutRules, Reader, Reading};
use crate::record::{Diagnostic, Document};
use crate::text::fold;

pub const LAYOUT: &str = "tvpl-portal";

/// How far into the page the banner and the loading notice may stand.
const BANNER_LINES: usize = 40;
const LOADING_LINES: usize = 80;
/// How many lines the metadata table may take.
const TABLE_LINES: usize = 120;

pub struct TvplPortal;

impl Reader for TvplPortal {
    fn layout(&self) -> &'static str {
        LAYOUT
    }

    fn detect(&self, input: &Input, rules: &LayoutRules) -> bool {
        let banner = input
            .lines
            .iter()
            .take(BANNER_LINES)
            .any(|l| contains_any(l, &rules.tvpl.banner));
        banner && loading_line(input, rules).is_some()
    }

    fn read(&self, input: &Input, rules: &LayoutRules) -> Reading {
        let Some(loading) = loading_line(input, rules) else {
            return Reading::unchanged();
        };
        let (metadata, table_end) = metadata_table(input, loading, rules);
        let start = skip_summary(input, table_end);
        let footer = footer_start(input, start, &metadata, rules);
        let mut reading = Reading::blanked(input, &[(0, start), (footer, input.lines.len())]);
        reading.metadata = (!metadata.is_empty()).then_some(metadata);
        if let Some(lines) = reading.lines.take() {
            let (lines, origin) = restore_paragraphs(lines, start, footer, rules);
            reading.lines = Some(lines);
            reading.origin = origin;
        }
        reading
    }
}

fn loading_line(input: &Input, rules: &LayoutRules) -> Option<usize> {
    input
        .lines
        .iter()
        .take(LOADING_LINES)
        .position(|l| contains_any(l, &rules.tvpl.loading))
}

/// The table after the loading notice: label lines (`**Số hiệu:**`) each followed by the
/// value's line. Returns the table and the index of the line after it.
fn metadata_table(
    input: &Input,
    loading: usize,
    rules: &LayoutRules,
) -> (BTreeMap<String, String>, usize) {
    let labels = &rules.tvpl.metadata_labels;
    let label_of = |text: &str| -> Option<&String> {
        let text = text.trim_end_matches([':', ' ']);
        labels.iter().find(|l| l.as_str() == text)
    };
    let mut table = BTreeMap::new();
    let mut pending: Option<&String> = None;
    let mut end = loading + 1;
    let limit = input.lines.len().min(loading + 1 + TABLE_LINES);
    for index in loading + 1..limit {
        let text = input.bare(index);
        if text.is_empty() {
            continue;
        }
        if let Some(label) = label_of(&text).filter(|_| text.ends_with(':')) {
            pending = Some(label);
            end = index + 1;
            continue;
        }
        if let Some(label) = pending.take() {
            table.insert(label.clone(), text);
            end = index + 1;
            if *label == rules.tvpl.metadata_last {
                return (table, end);
            }
        }
    }
    if table.is_empty() {
        // No table: only the banner and the loading notice are the portal's.
        return (table, loading + 1);
    }
    (table, end)
}

/// An editorial summary after the table: a `## ` heading in ordinary case, and its
/// paragraphs, up to the bare table bar that opens the document.
fn skip_summary(input: &Input, table_end: usize) -> usize {
    let Some(first) = (table_end..input.lines.len()).find(|&i| !input.bare(i).is_empty()) else {
        return table_end;
    };
    let line = input.lines[first].trim();
    let heading = line.trim_start_matches('#');
    if !line.starts_with("## ") || crate::text::is_upper(heading) {
        return table_end;
    }
    (first..input.lines.len())
        .find(|&i| input.lines[i].trim() == "|")
        .unwrap_or(table_end)
}

/// The first line of the footer at or after `start`, or the end of the input.
fn footer_start(
    input: &Input,
    start: usize,
    metadata: &BTreeMap<String, String>,
    rules: &LayoutRules,
) -> usize {
    // The portal's title line: `Công văn 11654/VPCP-CN năm 2025 ...`.
    let title = match (metadata.get("Loại văn bản"), metadata.get("Số hiệu")) {
        (Some(kind), Some(number)) if !kind.is_empty() && !number.is_empty() => {
            Some(fold(&format!("{kind} {number}")))
        }
        _ => None,
    };
    for index in start..input.lines.len() {
        let text = input.bare(index);
        if text.is_empty() {
            continue;
        }
        let folded = fold(&text);
        let is_title = title
            .as_deref()
            .is_some_and(|t| folded.starts_with(t) && folded.len() > t.len() + 8);
        let is_marker = rules
            .tvpl
            .footer_lines
            .iter()
            .any(|m| folded.starts_with(m.as_str()));
        if is_title || is_marker || rules.tvpl.translation_title.is_match(&text) {
            return index;
        }
    }
    input.lines.len()
}

/// Puts back the paragraph breaks the portal collapsed, between `start` and `end` (0-based
/// line indexes): a blank line, numbered as the line before it, ahead of a line that opens a
/// paragraph (see `paragraph_openers` in rules/layouts.yaml), after a title in capitals, and
/// after an italic block.
fn restore_paragraphs(
    lines: Vec<String>,
    start: usize,
    end: usize,
    rules: &LayoutRules,
) -> (Vec<String>, Vec<u32>) {
    let mut out = Vec::with_capacity(lines.len() + lines.len() / 4);
    let mut origin = Vec::with_capacity(lines.len() + lines.len() / 4);
    // Within a Kính gửi line and its continuation: its entry ends at a full stop.
    let mut in_addressee = false;
    for (index, line) in lines.iter().enumerate() {
        let bare = super::bare(line);
        let ends_addressee = in_addressee
            && lines[index - 1].trim_end_matches(['*', ' ']).ends_with('.')
            && bare
                .chars()
                .next()
                .is_some_and(|c| c.is_uppercase() || c == '(');
        if index > start
            && index < end
            && (ends_addressee || breaks_before(&lines[index - 1], line, rules))
        {
            out.push(String::new());
            origin.push(index as u32);
            in_addressee = false;
        }
        if bare.is_empty() {
            in_addressee = false;
        } else {
            let folded = fold(&bare);
            let opens = rules.tvpl.addressee_openers.iter();
            in_addressee |= opens.into_iter().any(|o| folded.starts_with(o.as_str()));
        }
        out.push(line.clone());
        origin.push(index as u32 + 1);
    }
    (out, origin)
}

/// True when `line` starts a paragraph of its own after `previous`.
fn breaks_before(previous: &str, line: &str, rules: &LayoutRules) -> bool {
    let (prev, cur) = (previous.trim(), line.trim());
    let (prev_bare, cur_bare) = (super::bare(prev), super::bare(cur));
    if prev_bare.is_empty() || cur_bare.is_empty() || prev.starts_with('|') || cur.starts_with('|')
    {
        return false;
    }
    let capital = cur_bare.chars().next().is_some_and(char::is_uppercase);
    // An italic block ends: `*V/v ... Thái Bình*`, `*Căn cứ ...;*`.
    let italic_end =
        prev.ends_with('*') && !prev.ends_with("**") && (capital || cur.starts_with('*'));
    // A title in capitals, then the text under it.
    let words = prev_bare.split_whitespace().count();
    let title_end = words >= 3
        && crate::text::is_upper(&prev_bare)
        && cur_bare.chars().any(char::is_lowercase)
        && capital
        && !is_name(&cur_bare);
    let opener = capital && {
        let folded = fold(&cur_bare);
        rules.tvpl.paragraph_openers.iter().any(|o| {
            folded.starts_with(o.as_str())
                && folded[o.len()..].chars().next().is_none_or(|c| c == ' ')
        })
    };
    italic_end || title_end || opener
}

/// A person's name: two to six capitalised words (the signer under the title).
fn is_name(text: &str) -> bool {
    let words: Vec<&str> = text.split_whitespace().collect();
    (2..=6).contains(&words.len())
        && words.iter().all(|w| {
            w.chars().next().is_some_and(char::is_uppercase)
                && w.chars().skip(1).all(char::is_lowercase)
        })
}

/// `metadata-mismatch` warnings where the portal's table disagrees with the document's own
/// header (the header still wins).
pub fn check_metadata(doc: &Document) -> Vec<Diagnostic> {
    let Some(metadata) = &doc.source_metadata else {
        return Vec::new();
    };
    let mut out = Vec::new();
    let mut mismatch = |field: &str, portal: &str, own: &str| {
        out.push(Diagnostic::warning(
            "metadata-mismatch",
            format!("the portal's {field} is `{portal}`, the document's own header says `{own}`"),
            0,
        ));
    };
    if let Some(number) = metadata.get("Số hiệu") {
        let portal: String = number.split_whitespace().collect();
        if !doc.id.is_empty() && !portal.is_empty() && fold(&portal) != fold(&doc.id) {
            mismatch("Số hiệu", number, &doc.id);
        }
    }
    if let (Some(date), Some(own)) = (metadata.get("Ngày ban hành"), &doc.date) {
        let parts: Vec<&str> = date.split('/').map(str::trim).collect();
        if let [d, m, y] = parts[..] {
            let iso = format!("{y:0>4}-{m:0>2}-{d:0>2}");
            if iso.len() == 10 && iso != *own {
                mismatch("Ngày ban hành", date, own);
            }
        }
    }
    if let Some(kind) = metadata.get("Loại văn bản") {
        if !doc.doc_type.is_empty() && !kind.is_empty() && fold(kind) != fold(&doc.doc_type) {
            mismatch("Loại văn bản", kind, &doc.doc_type);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::read::{read, test_rules};

    const PAGE: &str = "|\nBản dịch này thuộc quyền sở hữu của **\nTHƯ VIỆN PHÁP LUẬT**.\n|\n\
Đang tải văn bản...\n#\n**Số hiệu:**\n|\n12/UBND-VX\n|\n**Loại văn bản:**\n|\nCông văn\n|\n\
**\nNgày ban hành:**\n|\n03/12/2025\n|\n**Tình trạng:**\n|\nĐã biết\n|\n\
## Tin mới về văn bản\nNgày 3/12/2025, UBND ban hành Công văn 12/UBND-VX theo Nghị định 1/2020/NĐ-CP.\n|\n\
**ỦY BAN NHÂN DÂN**\n|\nSố: 12/UBND-VX\n|\nNội dung.\n|\n\
Công văn 12/UBND-VX năm 2025 về việc thử do Ủy ban nhân dân ban hành\n\
Văn bản này chưa cập nhật nội dung Tiếng Anh\n## Văn bản liên quan\nKính gửi: Quý Thành viên\n";

    #[test]
    fn a_portal_page_is_recognised() {
        let read = read(PAGE, test_rules());
        assert_eq!(read.layout, LAYOUT);
        assert!(read.diagnostics.iter().any(|d| d.code == "layout"));
    }

    #[test]
    fn the_metadata_table_is_kept_as_written() {
        let read = read(PAGE, test_rules());
        let metadata = read.metadata.expect("a table");
        assert_eq!(metadata["Số hiệu"], "12/UBND-VX");
        assert_eq!(metadata["Loại văn bản"], "Công văn");
        assert_eq!(metadata["Ngày ban hành"], "03/12/2025");
        assert_eq!(metadata["Tình trạng"], "Đã biết");
    }

    #[test]
    fn banner_table_summary_and_footer_are_blanked_and_lines_kept() {
        let read = read(PAGE, test_rules());
        let lines: Vec<&str> = read.text.split('\n').collect();
        assert_eq!(lines.len(), PAGE.split('\n').count());
        let kept: Vec<&str> = lines.iter().copied().filter(|l| !l.is_empty()).collect();
        assert!(kept.contains(&"Số: 12/UBND-VX"));
        assert!(kept.contains(&"Nội dung."));
        for gone in [
            "THƯ VIỆN",
            "Số hiệu",
            "Nghị định 1/2020",
            "Văn bản liên quan",
            "Quý Thành viên",
        ] {
            assert!(kept.iter().all(|l| !l.contains(gone)), "{gone} in {kept:?}");
        }
        assert!(read.chrome.iter().any(|&(s, _)| s == 1));
    }

    #[test]
    fn a_page_without_the_banner_is_not_claimed() {
        let text = "Đang tải văn bản...\n|\nSố: 1/UBND\n";
        assert!(!TvplPortal.detect(&Input::new(text), test_rules()));
    }

    #[test]
    fn metadata_disagreeing_with_the_header_is_a_warning() {
        let mut metadata = BTreeMap::new();
        metadata.insert("Số hiệu".to_string(), "12/UBND-VX".to_string());
        metadata.insert("Ngày ban hành".to_string(), "03/12/2025".to_string());
        let doc = Document {
            id: "21/UBND-VX".to_string(),
            date: Some("2025-12-03".to_string()),
            source_metadata: Some(metadata),
            ..Document::default()
        };
        let warnings = check_metadata(&doc);
        assert_eq!(warnings.len(), 1);
        assert_eq!(warnings[0].code, "metadata-mismatch");
    }
}
