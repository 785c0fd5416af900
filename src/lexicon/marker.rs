//! Recognisers for the markers that open a node: `Phần I`, `Chương II`, `Mục 1`, `Điều 3.`,
//! `IV.`, `1.`, `1.2.`, `a)`, `-`, `(1)`.

use std::sync::OnceLock;

use regex::Regex;

use crate::record::NodeKind;

/// A recognised marker at the start of a paragraph.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Marker {
    pub kind: NodeKind,
    /// The path segment it contributes: `P1`, `C2`, `M1`, `D3`, `IV`, `1`, `a`, `(1)`; bullets
    /// get theirs (`-N`) from their position, so this holds the bullet character.
    pub segment: String,
    /// The marker as written (`Điều 3.`, `IV.`, `a)`, `-`).
    pub label: String,
    /// Byte offset in the paragraph where the marker's content starts.
    pub content_start: usize,
    /// For decimal sections (`1.2.`): the numbers, outermost first.
    pub decimal: Vec<u32>,
}

impl Marker {
    /// Nesting order: a marker closes every open node of the same or a deeper rank.
    /// Bullets and enumerations nest by character instead (see the tree builder).
    pub fn rank(&self) -> u8 {
        match self.kind {
            NodeKind::Part if self.segment.starts_with('P') => 0,
            NodeKind::Chapter => 1,
            NodeKind::Division => 2,
            NodeKind::Article => 3,
            NodeKind::Part => 4, // a Roman part of a plan or letter
            NodeKind::Section => 5 + self.decimal.len().saturating_sub(1).min(3) as u8,
            NodeKind::Clause => 9,
            NodeKind::Bullet => 10,
            NodeKind::Item => 11,
            NodeKind::Attachment | NodeKind::Preamble | NodeKind::Closing => 0,
        }
    }
}

/// The Vietnamese order of lettered clauses (no f, j, w, z).
pub const CLAUSE_LETTERS: &str = "abcdđeghiklmnopqrstuvxy";

/// Position of a clause letter in the Vietnamese order.
pub fn clause_index(letter: &str) -> Option<usize> {
    CLAUSE_LETTERS.chars().position(|c| c.to_string() == letter)
}

struct Patterns {
    part: Regex,
    chapter: Regex,
    division: Regex,
    article: Regex,
    roman: Regex,
    decimal: Regex,
    section: Regex,
    clause: Regex,
    item: Regex,
    bullet: Regex,
}

fn patterns() -> &'static Patterns {
    static PATTERNS: OnceLock<Patterns> = OnceLock::new();
    PATTERNS.get_or_init(|| {
        let re = |p: &str| Regex::new(p).expect("marker pattern compiles");
        Patterns {
            part: re(
                r"^(?:PHẦN|Phần)\s+(THỨ\s+\p{L}+|[Tt]hứ\s+\p{L}+|[IVXLC]+|\d+)\b\s*[.:\-–]?\s*",
            ),
            chapter: re(r"^(?:CHƯƠNG|Chương)\s+([IVXLC]+|\d+)\b\s*[.:\-–]?\s*"),
            division: re(r"^(?:MỤC|Mục)\s+(\d+|[IVXLC]+)\b\s*[.:\-–]?\s*"),
            // `Điều 3.`, and `Điều 3` standing alone (a heading with no period).
            article: re(r"^(?:Điều|ĐIỀU)\s+(\d+[a-z]?)(?:\s*[.:]\s*|\s*$)"),
            roman: re(r"^([IVX]{1,6})\s*[.\-–]\s*"),
            decimal: re(r"^(\d{1,2}(?:\.\d{1,2}){1,3})\.?\s+"),
            section: re(r"^(\d{1,3})\.\s*"),
            clause: re(r"^([a-zđ])\)\s*"),
            item: re(r"^(?:\((\d{1,3})\)|(\d{1,3})\))\s*"),
            bullet: re(r"^([-+•–−])\s*"),
        }
    })
}

/// The marker at the start of `text`, if any.
pub fn recognise(text: &str) -> Option<Marker> {
    let p = patterns();
    if let Some(c) = p.part.captures(text) {
        let number = part_number(&c[1])?;
        return Some(marker(
            NodeKind::Part,
            format!("P{number}"),
            text,
            c.get(0)?.end(),
        ));
    }
    if let Some(c) = p.chapter.captures(text) {
        let number = number_of(&c[1])?;
        return Some(marker(
            NodeKind::Chapter,
            format!("C{number}"),
            text,
            c.get(0)?.end(),
        ));
    }
    if let Some(c) = p.division.captures(text) {
        let number = number_of(&c[1])?;
        return Some(marker(
            NodeKind::Division,
            format!("M{number}"),
            text,
            c.get(0)?.end(),
        ));
    }
    if let Some(c) = p.article.captures(text) {
        return Some(marker(
            NodeKind::Article,
            format!("D{}", &c[1]),
            text,
            c.get(0)?.end(),
        ));
    }
    if let Some(c) = p.roman.captures(text) {
        if roman_value(&c[1]).is_some() && has_content_after(text, c.get(0)?.end()) {
            return Some(marker(
                NodeKind::Part,
                c[1].to_string(),
                text,
                c.get(0)?.end(),
            ));
        }
    }
    if let Some(c) = p.decimal.captures(text) {
        let numbers: Vec<u32> = c[1].split('.').filter_map(|n| n.parse().ok()).collect();
        if has_content_after(text, c.get(0)?.end()) && starts_like_text(&text[c.get(0)?.end()..]) {
            let last = numbers.last()?.to_string();
            let mut m = marker(NodeKind::Section, last, text, c.get(0)?.end());
            m.decimal = numbers;
            return Some(m);
        }
    }
    if let Some(c) = p.section.captures(text) {
        let end = c.get(0)?.end();
        if has_content_after(text, end) && starts_like_text(&text[end..]) {
            let mut m = marker(
                NodeKind::Section,
                c[1].trim_start_matches('0').to_string(),
                text,
                end,
            );
            if m.segment.is_empty() {
                m.segment = "0".to_string();
            }
            m.decimal = vec![c[1].parse().ok()?];
            return Some(m);
        }
    }
    if let Some(c) = p.clause.captures(text) {
        return Some(marker(
            NodeKind::Clause,
            c[1].to_string(),
            text,
            c.get(0)?.end(),
        ));
    }
    if let Some(c) = p.item.captures(text) {
        let number = c
            .get(1)
            .or(c.get(2))?
            .as_str()
            .trim_start_matches('0')
            .to_string();
        return Some(marker(
            NodeKind::Item,
            format!("({number})"),
            text,
            c.get(0)?.end(),
        ));
    }
    if let Some(c) = p.bullet.captures(text) {
        let end = c.get(0)?.end();
        let spaced = end > c.get(1)?.end();
        let next_upper = text[end..].chars().next().is_some_and(char::is_uppercase);
        if (spaced || next_upper) && has_content_after(text, end) {
            let bullet = match &c[1] {
                "–" | "−" => "-".to_string(),
                other => other.to_string(),
            };
            return Some(marker(NodeKind::Bullet, bullet, text, end));
        }
    }
    None
}

fn marker(kind: NodeKind, segment: String, text: &str, content_start: usize) -> Marker {
    Marker {
        kind,
        segment,
        label: text[..content_start].trim_end().to_string(),
        content_start,
        decimal: Vec::new(),
    }
}

fn has_content_after(text: &str, end: usize) -> bool {
    text[end..].chars().any(char::is_alphanumeric)
}

/// A numbered section's content starts with a letter, a quote or a parenthesis, not with a
/// digit or unit (`1.200 người`, `2. 500 tỷ` are numbers, not sections).
fn starts_like_text(rest: &str) -> bool {
    rest.chars()
        .next()
        .is_some_and(|c| c.is_alphabetic() || matches!(c, '"' | '“' | '(' | '['))
}

fn number_of(text: &str) -> Option<u32> {
    text.parse().ok().or_else(|| roman_value(text))
}

/// Value of a Roman numeral up to 399, validated (no `IIII`, `VX`).
pub fn roman_value(text: &str) -> Option<u32> {
    let value_of = |c: char| match c {
        'I' => Some(1),
        'V' => Some(5),
        'X' => Some(10),
        'L' => Some(50),
        'C' => Some(100),
        _ => None,
    };
    let values: Vec<u32> = text.chars().map(value_of).collect::<Option<_>>()?;
    let mut total = 0;
    for (i, &v) in values.iter().enumerate() {
        if values.get(i + 1).is_some_and(|&next| next > v) {
            total -= v as i32;
        } else {
            total += v as i32;
        }
    }
    let total = u32::try_from(total).ok().filter(|&t| t > 0)?;
    (to_roman(total) == text).then_some(total)
}

/// `n` in Roman figures (`1` → `I`, `14` → `XIV`), as parts and numbered lists write it.
pub(crate) fn to_roman(mut value: u32) -> String {
    const TABLE: [(u32, &str); 13] = [
        (1000, "M"),
        (900, "CM"),
        (500, "D"),
        (400, "CD"),
        (100, "C"),
        (90, "XC"),
        (50, "L"),
        (40, "XL"),
        (10, "X"),
        (9, "IX"),
        (5, "V"),
        (4, "IV"),
        (1, "I"),
    ];
    let mut out = String::new();
    for (n, s) in TABLE {
        while value >= n {
            out.push_str(s);
            value -= n;
        }
    }
    out
}

/// `THỨ NHẤT` → 1 … `THỨ MƯỜI` → 10; Roman and Arabic numerals as they are.
fn part_number(text: &str) -> Option<u32> {
    let folded = crate::text::fold(text);
    let ordinal = folded.strip_prefix("thu ").map(str::trim);
    match ordinal {
        Some(word) => {
            const WORDS: [&str; 10] = [
                "nhat", "hai", "ba", "tu", "nam", "sau", "bay", "tam", "chin", "muoi",
            ];
            if word == "bon" {
                return Some(4);
            }
            WORDS.iter().position(|w| *w == word).map(|i| i as u32 + 1)
        }
        None => number_of(text),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn seg(text: &str) -> Option<(NodeKind, String)> {
        recognise(text).map(|m| (m.kind, m.segment))
    }

    #[test]
    fn legal_units() {
        assert_eq!(seg("PHẦN THỨ NHẤT"), Some((NodeKind::Part, "P1".into())));
        assert_eq!(seg("Phần II. Tổ chức"), Some((NodeKind::Part, "P2".into())));
        assert_eq!(seg("Chương II"), Some((NodeKind::Chapter, "C2".into())));
        assert_eq!(
            seg("Mục 1. Quy định chung"),
            Some((NodeKind::Division, "M1".into()))
        );
        assert_eq!(
            seg("Điều 3. Chánh Văn phòng"),
            Some((NodeKind::Article, "D3".into()))
        );
        assert_eq!(seg("Mục tiêu cụ thể"), None);
    }

    #[test]
    fn plan_units() {
        assert_eq!(
            seg("IV. TỔ CHỨC THỰC HIỆN"),
            Some((NodeKind::Part, "IV".into()))
        );
        assert_eq!(seg("1. Sở Y tế"), Some((NodeKind::Section, "1".into())));
        assert_eq!(seg("1.2. Nhiệm vụ"), Some((NodeKind::Section, "2".into())));
        assert_eq!(seg("đ) Phối hợp"), Some((NodeKind::Clause, "đ".into())));
        assert_eq!(seg("- Duy trì"), Some((NodeKind::Bullet, "-".into())));
        assert_eq!(seg("+ Chi phí"), Some((NodeKind::Bullet, "+".into())));
        assert_eq!(seg("(1) Tiếp tục"), Some((NodeKind::Item, "(1)".into())));
        assert_eq!(seg("2) Triển khai"), Some((NodeKind::Item, "(2)".into())));
    }

    #[test]
    fn numbers_that_are_not_markers() {
        assert_eq!(seg("1.200 người cai nghiện"), None);
        assert_eq!(seg("2020 - 2025"), None);
        assert_eq!(seg("V/v triển khai"), None);
        assert_eq!(seg("-"), None);
    }

    #[test]
    fn roman_numerals_are_validated() {
        assert_eq!(roman_value("IV"), Some(4));
        assert_eq!(roman_value("XIV"), Some(14));
        assert_eq!(roman_value("IIII"), None);
        assert_eq!(roman_value("VX"), None);
    }
}
