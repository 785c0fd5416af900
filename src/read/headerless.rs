//! A body whose header was lost in the export: the text starts at the type heading
//! (`NGHỊ ĐỊNH`, `QUYẾT ĐỊNH`) or at `Kính gửi`, in the corpus-ext layout otherwise. The
//! text is read as it is; the header fields come from what the text still says of itself.

use std::sync::OnceLock;

use regex::Regex;

use super::{Input, LayoutRules, Reader, Reading};

pub const LAYOUT: &str = "headerless";

pub struct Headerless;

/// `Số: 12/UBND`, `Số 07-KL/VPTW`, `Luật số: 60/2024/QH15`.
pub fn is_number_line(line: &str) -> bool {
    static PATTERN: OnceLock<Regex> = OnceLock::new();
    PATTERN
        .get_or_init(|| Regex::new(r"^(?:Luật\s+)?(?:Số|SỐ|số)\s*[:.]?\s*\d").expect("compiles"))
        .is_match(line.trim_start_matches(['|', ' ', '-', '_', '–']))
}

/// A heading naming a document type in capitals (`NGHỊ ĐỊNH`, `CÔNG ĐIỆN`), or `Kính gửi`.
pub fn opens_body(line: &str) -> bool {
    let folded = crate::text::fold(line);
    if folded.starts_with("kinh gui") {
        return true;
    }
    crate::text::is_upper(line) && TYPE_HEADINGS.iter().any(|h| folded == *h)
}

/// Folded type headings a body may open with. (The type list itself is in
/// rules/doctypes.yaml; these are the ones a directive's export starts with.)
const TYPE_HEADINGS: &[&str] = &[
    "nghi dinh",
    "nghi quyet",
    "nghi quyet lien tich",
    "quyet dinh",
    "thong tu",
    "thong tu lien tich",
    "chi thi",
    "cong dien",
    "thong bao",
    "ke hoach",
    "huong dan",
    "ket luan",
    "quy dinh",
    "luat",
    "cong van",
    "bao cao",
    "to trinh",
    "chuong trinh",
];

impl Reader for Headerless {
    fn layout(&self) -> &'static str {
        LAYOUT
    }

    fn detect(&self, input: &Input, _rules: &LayoutRules) -> bool {
        let head = input.first_text_lines(8);
        let Some((_, line)) = head.first() else {
            return false;
        };
        // `**Kính\ngửi:**`: the opening word may be wrapped onto the next line.
        let joined = head.get(1).map(|(_, next)| format!("{line} {next}"));
        let opens = opens_body(line)
            || joined.is_some_and(|j| crate::text::fold(&j).starts_with("kinh gui"));
        opens && !head.iter().any(|(_, l)| is_number_line(l))
    }

    fn read(&self, _input: &Input, _rules: &LayoutRules) -> Reading {
        Reading::unchanged()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::read::test_rules;

    #[test]
    fn a_body_at_the_type_heading_or_kinh_gui() {
        let rules = test_rules();
        assert!(Headerless.detect(&Input::new("**NGHỊ ĐỊNH**\n\nQUY ĐỊNH VỀ X\n"), rules));
        assert!(Headerless.detect(&Input::new("|\n**Kính gửi:**\n|\n- Sở Y tế;\n"), rules));
        assert!(Headerless.detect(&Input::new("|\n**Kính\ngửi:**\n|\n- Sở Y tế;\n"), rules));
        assert!(!Headerless.detect(
            &Input::new("|\n**ỦY BAN NHÂN DÂN**\n|\nSố: 1/UBND\n"),
            rules
        ));
        assert!(!Headerless.detect(&Input::new("**NGHỊ ĐỊNH**\nSố: 1/2025/NĐ-CP\n"), rules));
    }

    #[test]
    fn number_lines() {
        assert!(is_number_line("Số: 12/UBND"));
        assert!(is_number_line("Số 07-KL/VPTW"));
        assert!(is_number_line("Luật số: 60/2024/QH15"));
        assert!(!is_number_line("Số lượng 12 người"));
    }
}
