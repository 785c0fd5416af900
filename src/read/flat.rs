//! Flattened exports: one paragraph per line (blank lines between), the header table squashed
//! onto a line or two (`CHÍNH PHỦ------- | CỘNG HÒA ... NAMĐộc lập ...`, `Số: 170/2025/NĐ-CP`
//! glued to the motto), bold headings run together (`**Chương I****QUY ĐỊNH CHUNG**`, the
//! type heading and the title), each title doubled, and the Nơi nhận written as one line of
//! `- ...; - ...` items, its label lost. The reader splits the squashed lines back into the
//! lines the corpus-ext layout has (each piece keeps the line it came from), drops the
//! doubled title and restores the lost `Nơi nhận:` label before such a line.

use std::sync::OnceLock;

use regex::Regex;

use super::headerless::{is_number_line, opens_body};
use super::{bare, Input, LayoutRules, Reader, Reading};

pub const LAYOUT: &str = "flat";

/// The header is looked for in this many lines of text.
const HEADER_LINES: usize = 6;
/// How many lines of text show whether each paragraph is a line of its own.
const SAMPLE_LINES: usize = 60;

pub struct Flat;

impl Reader for Flat {
    fn layout(&self) -> &'static str {
        LAYOUT
    }

    fn detect(&self, input: &Input, _rules: &LayoutRules) -> bool {
        let head = input.first_text_lines(HEADER_LINES);
        let squashed = head.iter().any(|(i, l)| {
            squashed_header(l) || (is_number_line(l) && input.lines[*i].trim_end().ends_with('|'))
        });
        squashed && one_paragraph_per_line(input)
    }

    fn read(&self, input: &Input, _rules: &LayoutRules) -> Reading {
        reread(input)
    }
}

/// The motto glued to its second line or to the Số line, or header cells run together.
fn squashed_header(line: &str) -> bool {
    let folded = crate::text::fold(line);
    (folded.contains("cong hoa xa hoi chu nghia viet nam") && folded.contains("doc lap"))
        || (line.contains('|') && is_number_line(line) && line.chars().count() > 40)
}

/// Paragraphs are lines: nearly every line of text is followed by a blank line.
pub fn one_paragraph_per_line(input: &Input) -> bool {
    let mut text = 0;
    let mut alone = 0;
    for (i, line) in input.lines.iter().enumerate() {
        if line.trim().is_empty() || line.trim() == "|" {
            continue;
        }
        text += 1;
        if input
            .lines
            .get(i + 1)
            .is_none_or(|next| next.trim().is_empty())
        {
            alone += 1;
        }
        if text >= SAMPLE_LINES {
            break;
        }
    }
    text >= 4 && alone * 10 >= text * 7
}

fn patterns() -> &'static (Regex, Regex, Regex) {
    static PATTERNS: OnceLock<(Regex, Regex, Regex)> = OnceLock::new();
    PATTERNS.get_or_init(|| {
        let re = |p: &str| Regex::new(p).expect("flat pattern compiles");
        (
            // `**Chương I****QUY ĐỊNH CHUNG**`, `**NGHỊ ĐỊNH****Về ...**`
            re(r"^\s*\*\*([^*]+)\*\*\*\*(.+?)\s*$"),
            // a run of rule characters between header cells
            re(r"[_\-–—]{3,}"),
            // the items of a one-line Nơi nhận
            re(r"^\s*-\s+[^;]+;(?:\s*-\s+[^;]+;?){2,}"),
        )
    })
}

/// A heading that may stand glued before its title: the type heading, a Phần/Chương/Mục.
fn glued_heading(text: &str) -> bool {
    let text = text.trim();
    if opens_body(text) {
        return true;
    }
    let folded = crate::text::fold(text);
    ["chuong ", "phan ", "muc "]
        .iter()
        .any(|p| folded.starts_with(p) && folded.split(' ').count() <= 3)
}

/// Re-splits a flattened export. Shared with the readers of layouts that arrive flattened.
pub fn reread(input: &Input) -> Reading {
    let (glued, rule, recipients) = patterns();
    let mut lines: Vec<String> = Vec::with_capacity(input.lines.len() + 32);
    let mut origin: Vec<u32> = Vec::with_capacity(input.lines.len() + 32);
    let push = |lines: &mut Vec<String>, origin: &mut Vec<u32>, text: String, at: usize| {
        lines.push(text);
        origin.push(at as u32 + 1);
    };
    let header_end = input
        .first_text_lines(HEADER_LINES)
        .last()
        .map_or(0, |(i, _)| i + 1);
    let mut doubled: Option<String> = None;
    let mut recipients_seen = false;
    let total = input.lines.len();
    for (index, &line) in input.lines.iter().enumerate() {
        let text = bare(line);
        if !text.is_empty() && crate::text::fold(&text).starts_with("noi nhan") {
            recipients_seen = true;
        }
        // The title written a second time, right after the heading that held it.
        if let Some(title) = &doubled {
            if !text.is_empty() {
                let same = crate::text::fold(&text) == crate::text::fold(title);
                if same {
                    push(&mut lines, &mut origin, String::new(), index);
                    doubled = None;
                    continue;
                }
                if !text.chars().all(|c| "_-–— ".contains(c)) {
                    doubled = None;
                }
            }
        }
        if index < header_end && (squashed_header(line) || line.contains('|')) {
            for piece in split_header(line, rule) {
                push(&mut lines, &mut origin, piece, index);
            }
            continue;
        }
        if let Some(c) = glued.captures(line) {
            if glued_heading(&c[1]) {
                let title = c[2].trim_end_matches('*').trim().to_string();
                push(
                    &mut lines,
                    &mut origin,
                    format!("**{}**", c[1].trim()),
                    index,
                );
                push(&mut lines, &mut origin, format!("**{title}**"), index);
                doubled = Some(title);
                continue;
            }
        }
        if index * 4 >= total * 3 && recipients.is_match(line) {
            if !recipients_seen {
                push(&mut lines, &mut origin, "Nơi nhận:".to_string(), index);
                recipients_seen = true;
            }
            for item in split_items(line) {
                push(&mut lines, &mut origin, item, index);
            }
            continue;
        }
        push(&mut lines, &mut origin, line.to_string(), index);
    }
    Reading {
        lines: Some(lines),
        origin,
        ..Reading::default()
    }
}

/// `CHÍNH PHỦ_______ Số: 172/2025/NĐ-CP | CỘNG HÒA ... NAMĐộc lập – Tự do – Hạnh phúc____ Hà
/// Nội, ngày 30 tháng 6 năm 2025 |` → its cells and lines, with the frames as `|` lines.
fn split_header(line: &str, rule: &Regex) -> Vec<String> {
    let mut out = Vec::new();
    let cells: Vec<&str> = line.split('|').collect();
    for (i, cell) in cells.iter().enumerate() {
        if i > 0 {
            out.push("|".to_string());
        }
        for part in rule.split(cell) {
            let part = part.trim();
            if part.is_empty() {
                continue;
            }
            // `... VIỆT NAMĐộc lập`, `... PHỦ Số: 1/2025/NĐ-CP`
            let mut cuts: Vec<usize> = Vec::new();
            for marker in ["Độc lập", "Luật số:", "Số:"] {
                for (at, _) in part.match_indices(marker) {
                    let inside_law = marker == "Số:" && part[..at].ends_with("Luật ");
                    if at > 0 && !inside_law {
                        cuts.push(at);
                    }
                }
            }
            cuts.sort_unstable();
            let mut last = 0;
            for at in cuts.into_iter().chain([part.len()]) {
                let piece = part[last..at].trim();
                if !piece.is_empty() {
                    out.push(piece.to_string());
                }
                last = at;
            }
        }
    }
    out
}

/// `- A; - B; - Lưu: VT. |` → `- A;`, `- B;`, `- Lưu: VT.`, `|`.
fn split_items(line: &str) -> Vec<String> {
    let mut text = line.trim();
    let mut bar = false;
    if let Some(stripped) = text.strip_suffix('|') {
        text = stripped.trim_end();
        bar = true;
    }
    let mut out: Vec<String> = Vec::new();
    for piece in text.split("; - ") {
        let piece = piece.trim();
        let piece = piece.strip_prefix("- ").unwrap_or(piece);
        out.push(format!("- {piece}"));
    }
    let last = out.len().saturating_sub(1);
    for (i, item) in out.iter_mut().enumerate() {
        if i < last {
            item.push(';');
        }
    }
    if bar {
        out.push("|".to_string());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::read::test_rules;

    const FLAT: &str = "CHÍNH PHỦ_______ Số: 17/2025/NĐ-CP | CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAMĐộc lập – Tự do – Hạnh phúc______ Hà Nội, ngày 30 tháng 6 năm 2025 |\n\n\
**NGHỊ ĐỊNH****Quy định về thử**\n\n**Quy định về thử**\n\n*Căn cứ Luật Tổ chức Chính phủ;*\n\n\
**Chương I****QUY ĐỊNH CHUNG**\n\n**QUY ĐỊNH CHUNG**\n\n**Điều 1. Phạm vi**\n\nNghị định này quy định.\n\n\
- Ban Bí thư; - Thủ tướng; - Lưu: VT. |\n|\n";

    #[test]
    fn a_flattened_export_is_recognised() {
        assert!(Flat.detect(&Input::new(FLAT), test_rules()));
        assert!(!Flat.detect(
            &Input::new("|\n**ỦY BAN**\n|\nSố: 1/UBND\nHà Nội\n"),
            test_rules()
        ));
    }

    #[test]
    fn the_squashed_header_is_split_into_its_lines() {
        let reading = reread(&Input::new(FLAT));
        let lines = reading.lines.unwrap();
        let first: Vec<&str> = lines
            .iter()
            .zip(&reading.origin)
            .filter(|(_, &o)| o == 1)
            .map(|(l, _)| l.as_str())
            .collect();
        assert_eq!(
            first,
            [
                "CHÍNH PHỦ",
                "Số: 17/2025/NĐ-CP",
                "|",
                "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
                "Độc lập – Tự do – Hạnh phúc",
                "Hà Nội, ngày 30 tháng 6 năm 2025",
                "|"
            ]
        );
    }

    #[test]
    fn glued_headings_are_split_and_doubled_titles_dropped() {
        let reading = reread(&Input::new(FLAT));
        let lines = reading.lines.unwrap();
        let at = |l: &str| lines.iter().position(|x| x == l).map(|i| reading.origin[i]);
        assert_eq!(at("**NGHỊ ĐỊNH**"), Some(3));
        assert_eq!(at("**Quy định về thử**"), Some(3));
        assert_eq!(at("**Chương I**"), Some(9));
        assert_eq!(
            lines
                .iter()
                .filter(|l| l.contains("QUY ĐỊNH CHUNG"))
                .count(),
            1
        );
        assert_eq!(
            lines
                .iter()
                .filter(|l| l.contains("Quy định về thử"))
                .count(),
            1
        );
    }

    #[test]
    fn a_one_line_recipient_list_gets_its_label_back() {
        let reading = reread(&Input::new(FLAT));
        let lines = reading.lines.unwrap();
        let label = lines.iter().position(|l| l == "Nơi nhận:").expect("label");
        assert_eq!(
            &lines[label + 1..label + 4],
            ["- Ban Bí thư;", "- Thủ tướng;", "- Lưu: VT."]
        );
        assert_eq!(reading.origin[label], 17);
    }
}
