//! Stage 2: decoded text to clean lines, each with its number in the original input.
//!
//! Unicode NFC and one tone placement; OCR noise (`*hu*`, `*[Signature]*`, page stamps);
//! markdown (emphasis, list markers, headings); the `|` frames of exported tables, which
//! become cell breaks; portal boilerplate.

mod markdown;
mod rules;
pub mod tone;

use std::sync::OnceLock;

use regex::Regex;
use unicode_normalization::UnicodeNormalization;

pub use rules::{NormaliseRules, ToneStyle};

use crate::record::{position_in, Span};

/// One line of clean text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Line {
    /// 1-based line number in the input.
    pub number: u32,
    pub text: String,
    /// 1-based column, in characters of the input line, where `text` starts: past the
    /// indentation, markdown (`#`, `**`, `- `'s indentation, `> `) and table frames (`|`)
    /// normalise removed before it. Further into `text`, count characters from here (exact
    /// unless normalise changed the text within the line; see `record::Diagnostic`).
    pub column: u32,
    /// Where the column jumps further into `text`: a span for each later piece that does not
    /// follow on from the character before it (markup such as `**` removed mid-line). Their
    /// `line` is not kept up to date: `number` is the line.
    pub jumps: Vec<Span>,
    /// A table frame (`|`) stood here: a cell or block boundary, not text.
    pub frame: bool,
}

/// Normalises a whole input into lines. Blank lines are kept (as empty text) so that the
/// next stage sees paragraph breaks; a line may yield several cells, each its own `Line`.
pub fn normalise(text: &str, rules: &NormaliseRules) -> Vec<Line> {
    let text = nfc(text);
    let text = remove_noise_tokens(&text, rules);
    let text = superscript_enumerations(&text);
    let plain = markdown::to_plain_lines(&text);
    let mut lines = Vec::with_capacity(plain.len());
    let mut in_boilerplate = false;
    // Inside a table (the line before held a `|` frame), a line is a cell: `Ghi chú` there
    // is a column heading, not a portal's menu.
    let mut in_table = false;
    for (index, raw) in plain.iter().enumerate() {
        let number = index as u32 + 1;
        let cleaned = clean_line(&raw.text, rules);
        let framed = cleaned.contains('|');
        if !in_table && !framed && rules.boilerplate_lines.is_match(&cleaned) {
            in_boilerplate = true;
        }
        if in_boilerplate && !framed {
            if cleaned.is_empty() {
                in_boilerplate = false;
            }
            lines.push(Line::blank(number, false));
            continue;
        }
        in_boilerplate = false;
        if framed {
            in_table = true;
        } else if cleaned.is_empty() {
            in_table = false;
        }
        push_cells(&mut lines, number, raw, &cleaned, rules);
    }
    lines
}

/// The text in NFC. Most input already is, and the quick check that says so is several times
/// faster than composing it again.
fn nfc(text: &str) -> std::borrow::Cow<'_, str> {
    match unicode_normalization::is_nfc_quick(text.chars()) {
        unicode_normalization::IsNormalized::Yes => std::borrow::Cow::Borrowed(text),
        _ => std::borrow::Cow::Owned(text.nfc().collect()),
    }
}

impl Line {
    fn blank(number: u32, frame: bool) -> Line {
        Line {
            number,
            text: String::new(),
            column: 1,
            jumps: Vec::new(),
            frame,
        }
    }

    /// The line holding `text[range]` of a cleaned line whose pieces are `pieces`.
    fn piece(number: u32, text: &str, range: std::ops::Range<usize>, pieces: &[Span]) -> Line {
        let column = position_in(text, pieces, range.start, (number, 1)).1;
        let jumps = pieces
            .iter()
            .filter(|p| p.offset > range.start && p.offset < range.end)
            .map(|p| Span::new(p.offset - range.start, number, p.column))
            .collect();
        Line {
            number,
            text: text[range].to_string(),
            column,
            jumps,
            frame: false,
        }
    }
}

/// Splits a line at its `|` table frames; each cell is a line of its own, each frame a marker.
/// `raw` is the line before cleaning: it tells the column of each piece of `cleaned`.
fn push_cells(
    lines: &mut Vec<Line>,
    number: u32,
    raw: &markdown::PlainLine,
    cleaned: &str,
    rules: &NormaliseRules,
) {
    let pieces = cleaned_pieces(number, raw, cleaned);
    if !cleaned.contains('|') {
        if rules.noise_lines.is_match(cleaned) {
            lines.push(Line::blank(number, false));
        } else {
            lines.push(Line::piece(number, cleaned, 0..cleaned.len(), &pieces));
        }
        return;
    }
    let mut start = 0;
    for (i, cell) in cleaned.split('|').enumerate() {
        if i > 0 {
            lines.push(Line::blank(number, true));
        }
        let cell_start = start + (cell.len() - cell.trim_start().len());
        start += cell.len() + 1;
        let cell = cell.trim();
        if !cell.is_empty() && !rules.noise_lines.is_match(cell) {
            let range = cell_start..cell_start + cell.len();
            lines.push(Line::piece(number, cleaned, range, &pieces));
        }
    }
}

/// Where the pieces of `cleaned` (what [`clean_line`] made of `raw`) stand in the input
/// line: a span at each character whose column does not follow on from the one before.
///
/// The two texts are aligned character by character: a character of `raw` that the cleaner
/// removes (a space of a run, an invisible character, a stray `*`, a `__`) is skipped, one it
/// changed (tone placement moves a mark: `oà` → `òa`) stands for the cleaned one.
fn cleaned_pieces(number: u32, raw: &markdown::PlainLine, cleaned: &str) -> Vec<Span> {
    let columns = raw.char_columns();
    if raw.text == cleaned && raw.is_contiguous() {
        return vec![Span::new(0, number, columns[0])];
    }
    let mut raw_chars = raw.text.chars().enumerate();
    let mut pieces = Vec::new();
    let mut previous = 0;
    for (offset, c) in cleaned.char_indices() {
        let mut index = columns.len() - 1;
        while let Some((at, r)) = raw_chars.next() {
            let same = r == c || (c == ' ' && r.is_whitespace());
            if same || !removed_by_cleaning(r) {
                index = at;
                break;
            }
        }
        let column = columns[index];
        if pieces.is_empty() || column != previous + 1 {
            pieces.push(Span::new(offset, number, column));
        }
        previous = column;
    }
    pieces
}

/// A character [`clean_line`] may remove: whitespace (of a run), invisible and control
/// characters, and the `*` and `_` of stray emphasis.
fn removed_by_cleaning(c: char) -> bool {
    c.is_whitespace()
        || c.is_control()
        || matches!(
            c,
            '\u{200b}' | '\u{200c}' | '\u{200d}' | '\u{feff}' | '\u{ad}' | '*' | '_'
        )
}

/// Whitespace, invisible characters, stray emphasis markers and tone placement.
fn clean_line(raw: &str, rules: &NormaliseRules) -> String {
    let mut text = String::with_capacity(raw.len());
    for c in raw.chars() {
        match c {
            '\u{a0}' | '\t' | '\u{2007}' | '\u{202f}' | '\u{3000}' => text.push(' '),
            '\u{200b}' | '\u{200c}' | '\u{200d}' | '\u{feff}' | '\u{ad}' => {}
            c if c.is_control() => {}
            c => text.push(c),
        }
    }
    let text = strip_stray_emphasis(&text);
    let text = squash_spaces(&text);
    tone::place_tones(&text, rules.tone_style).into_owned()
}

/// [`crate::text::squash_spaces`], without a copy when the spaces are already single.
fn squash_spaces(text: &str) -> std::borrow::Cow<'_, str> {
    let squashed = !text.starts_with(' ')
        && !text.ends_with(' ')
        && !text.contains("  ")
        && !text.chars().any(|c| c.is_whitespace() && c != ' ');
    if squashed {
        std::borrow::Cow::Borrowed(text)
    } else {
        std::borrow::Cow::Owned(crate::text::squash_spaces(text))
    }
}

/// Removes the `*` and `__` that markdown left unpaired (`**ỦY BAN NHÂN\nDÂN **`,
/// `tháng** 11**`). A footnote mark in parentheses, `(*)` or `(**)`, is text and stays.
fn strip_stray_emphasis(text: &str) -> std::borrow::Cow<'_, str> {
    if !text.contains('*') && !text.contains("__") {
        return std::borrow::Cow::Borrowed(text);
    }
    let text = double_underscore().replace_all(text, "");
    let mut out = String::with_capacity(text.len());
    let mut rest = text.as_ref();
    while let Some(start) = rest.find('*') {
        let run = rest[start..].chars().take_while(|&c| c == '*').count();
        let footnote = rest[..start].ends_with('(') && rest[start + run..].starts_with(')');
        out.push_str(&rest[..start]);
        if footnote {
            out.push_str(&rest[start..start + run]);
        }
        rest = &rest[start + run..];
    }
    out.push_str(rest);
    std::borrow::Cow::Owned(out)
}

fn double_underscore() -> &'static Regex {
    static PATTERN: OnceLock<Regex> = OnceLock::new();
    PATTERN.get_or_init(|| Regex::new(r"_{2,}").expect("pattern compiles"))
}

/// Removes emphasised OCR noise such as `*hu*`, `*www*`, `*✓*`, `*[Signature]*`.
fn remove_noise_tokens(text: &str, rules: &NormaliseRules) -> String {
    match &rules.noise_tokens {
        Some(noise) => noise.replace_all(text, "").into_owned(),
        None => text.to_string(),
    }
}

/// `⁽¹⁾` → `(1)`: superscript enumeration markers become ordinary ones.
fn superscript_enumerations(text: &str) -> String {
    if !text.contains('⁽') {
        return text.to_string();
    }
    text.chars()
        .map(|c| match c {
            '⁽' => '(',
            '⁾' => ')',
            '⁰' => '0',
            '¹' => '1',
            '²' => '2',
            '³' => '3',
            '⁴'..='⁹' => char::from_u32(c as u32 - 0x2074 + '4' as u32).unwrap_or(c),
            other => other,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::RuleSource;

    fn lines(text: &str) -> Vec<Line> {
        normalise(
            text,
            &NormaliseRules::load(&RuleSource::built_in()).unwrap(),
        )
    }

    fn texts(text: &str) -> Vec<String> {
        lines(text).into_iter().map(|l| l.text).collect()
    }

    #[test]
    fn ocr_noise_tokens_are_removed() {
        assert_eq!(texts("Nơi nhận: *hu*")[0], "Nơi nhận:");
        assert_eq!(texts("- Lưu: VT, KGVXt. *✓*")[0], "- Lưu: VT, KGVXt.");
        assert_eq!(texts("CHỦ TỊCH *[Signature]*")[0], "CHỦ TỊCH");
        assert_eq!(
            texts("báo cáo UBND Thành phố./. *www*")[0],
            "báo cáo UBND Thành phố./."
        );
    }

    #[test]
    fn portal_menu_lines_are_dropped_up_to_a_blank_line() {
        let got = texts("Điều 3. Hiệu lực.\n\nLưu trữ\nTải về\nVăn bản gốc\n\nb");
        assert_eq!(got, ["Điều 3. Hiệu lực.", "", "", "", "", "", "b"]);
    }

    #[test]
    fn a_table_column_called_ghi_chu_is_kept() {
        // Regression (0eb3b8713cadea8f line 131): the `Ghi chú` heading of a table was taken
        // for a portal menu, and the whole table after it, up to a blank line, was dropped.
        let got = texts(
            "|\n**TT**\n|\n**Ghi chú**\n|\n1\n|\nÁp dụng theo Nghị quyết số 1314/NQ-UBTVQH15\n|",
        );
        assert!(got.contains(&"Ghi chú".to_string()), "{got:?}");
        assert!(
            got.iter().any(|t| t.contains("1314/NQ-UBTVQH15")),
            "{got:?}"
        );
    }

    #[test]
    fn page_stamps_become_blank() {
        assert_eq!(texts("a\n\n16290-14\n\nb")[2], "");
        assert_eq!(texts("a\n\n3567 (430)\n\nb")[2], "");
    }

    #[test]
    fn superscript_enumeration() {
        assert_eq!(
            texts("Công an: ⁽¹⁾ Tiếp tục ⁽²⁾ Triển khai")[0],
            "Công an: (1) Tiếp tục (2) Triển khai"
        );
    }

    #[test]
    fn table_frames_split_cells() {
        let got = lines("Số: 158/2025/NĐ-CP |\n|");
        assert_eq!(got[0].text, "Số: 158/2025/NĐ-CP");
        assert!(got[1].frame);
        assert!(got.iter().all(|l| !l.text.contains('|')));
    }

    #[test]
    fn stray_bold_is_removed() {
        assert_eq!(texts("**ỦY BAN NHÂN\nDÂN **\nTHÀNH PHỐ")[1], "DÂN");
        assert_eq!(
            texts("*Hà Nội, ngày **24** tháng** 11** năm 2025*")[0],
            "Hà Nội, ngày 24 tháng 11 năm 2025"
        );
        assert_eq!(texts("**Điều 1. **Ban")[0], "Điều 1. Ban");
        assert_eq!(texts("Ghi chú (*) và (**)")[0], "Ghi chú (*) và (**)");
    }

    #[test]
    fn tone_placement_is_unified() {
        assert_eq!(
            texts("Uỷ ban nhân dân, hoà nhập")[0],
            "Ủy ban nhân dân, hòa nhập"
        );
    }

    /// The column `normalise` gives `word` in the line whose text holds it, and the column
    /// an editor shows for it in `source`.
    fn columns(source: &str, word: &str) -> (u32, u32) {
        let line = lines(source)
            .into_iter()
            .find(|l| l.text.contains(word))
            .unwrap();
        let offset = line.text.find(word).unwrap();
        let spans: Vec<Span> = std::iter::once(Span::new(0, line.number, line.column))
            .chain(line.jumps.iter().copied())
            .collect();
        let got = position_in(&line.text, &spans, offset, (line.number, 1)).1;
        let input = source.split('\n').nth(line.number as usize - 1).unwrap();
        let expected = input[..input.find(word).unwrap()].chars().count() as u32 + 1;
        (got, expected)
    }

    #[test]
    fn columns_are_the_input_line_s() {
        for (source, word) in [
            ("    Căn cứ Luật Tổ chức chính quyền địa phương", "Luật"),
            ("\t\tSở Y tế chủ trì", "Sở"),
            ("- Sở Tài chính bố trí kinh phí", "Sở"),
            ("  * Bộ Công an phối hợp", "Bộ"),
            ("**Điều 1. **Ban hành Quy chế", "Ban"),
            (
                "*Căn cứ **Luật Bảo hiểm xã hội** ngày 29 tháng 6 năm 2024;*",
                "Luật",
            ),
            (
                "*Căn cứ **Luật Bảo hiểm xã hội** ngày 29 tháng 6 năm 2024;*",
                "29",
            ),
            ("## Điều 2. Trách nhiệm", "Trách"),
            ("> Kính gửi: Sở Nội vụ", "Sở"),
            (
                "| 1 | Rà soát văn bản   |  Sở Tư pháp | Quý IV/2025 |",
                "Sở",
            ),
            (
                "| 1 | Rà soát văn bản   |  Sở Tư pháp | Quý IV/2025 |",
                "Quý",
            ),
            ("|**TT**|**Cơ quan chủ trì**|", "Cơ"),
            ("Ủy ban  nhân   dân tỉnh", "tỉnh"),
        ] {
            let (got, expected) = columns(source, word);
            assert_eq!(got, expected, "`{word}` in {source:?}");
        }
    }

    #[test]
    fn a_table_cell_starts_past_its_frame() {
        let source = "|  STT | Nội dung |";
        let got = lines(source);
        let cells: Vec<(&str, u32)> = got
            .iter()
            .filter(|l| !l.frame && !l.text.is_empty())
            .map(|l| (l.text.as_str(), l.column))
            .collect();
        let column = |word: &str| source[..source.find(word).unwrap()].chars().count() as u32 + 1;
        assert_eq!(cells, [("STT", column("STT")), ("Nội dung", column("Nội"))]);
    }

    #[test]
    fn line_numbers_follow_the_input() {
        let got = lines("\n\nSố: 1\n\nx");
        assert_eq!(got[2].number, 3);
        assert_eq!(got[2].text, "Số: 1");
    }
}
