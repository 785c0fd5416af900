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

/// One line of clean text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Line {
    /// 1-based line number in the input.
    pub number: u32,
    pub text: String,
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
        let cleaned = clean_line(raw, rules);
        let framed = cleaned.contains('|');
        if !in_table && !framed && rules.boilerplate_lines.is_match(&cleaned) {
            in_boilerplate = true;
        }
        if in_boilerplate && !framed {
            if cleaned.is_empty() {
                in_boilerplate = false;
            }
            lines.push(Line {
                number,
                text: String::new(),
                frame: false,
            });
            continue;
        }
        in_boilerplate = false;
        if framed {
            in_table = true;
        } else if cleaned.is_empty() {
            in_table = false;
        }
        push_cells(&mut lines, number, &cleaned, rules);
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

/// Splits a line at its `|` table frames; each cell is a line of its own, each frame a marker.
fn push_cells(lines: &mut Vec<Line>, number: u32, text: &str, rules: &NormaliseRules) {
    if !text.contains('|') {
        let text = if rules.noise_lines.is_match(text) {
            String::new()
        } else {
            text.to_string()
        };
        lines.push(Line {
            number,
            text,
            frame: false,
        });
        return;
    }
    for (i, cell) in text.split('|').enumerate() {
        if i > 0 {
            lines.push(Line {
                number,
                text: String::new(),
                frame: true,
            });
        }
        let cell = cell.trim();
        if !cell.is_empty() && !rules.noise_lines.is_match(cell) {
            lines.push(Line {
                number,
                text: cell.to_string(),
                frame: false,
            });
        }
    }
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
    let text = crate::text::squash_spaces(&text);
    tone::place_tones(&text, rules.tone_style)
}

/// Removes the `*` and `__` that markdown left unpaired (`**ỦY BAN NHÂN\nDÂN **`,
/// `tháng** 11**`). A footnote mark in parentheses, `(*)` or `(**)`, is text and stays.
fn strip_stray_emphasis(text: &str) -> String {
    if !text.contains('*') && !text.contains("__") {
        return text.to_string();
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
    out
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

    #[test]
    fn line_numbers_follow_the_input() {
        let got = lines("\n\nSố: 1\n\nx");
        assert_eq!(got[2].number, 3);
        assert_eq!(got[2].text, "Số: 1");
    }
}
