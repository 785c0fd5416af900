//! Quốc hội and Ủy ban Thường vụ Quốc hội texts: no header and no signature; the type and
//! the title come first, then the issuer line (`QUỐC HỘI`), `Căn cứ ...`, and the date only in
//! the adoption formula (`... thông qua ngày ... tháng ... năm ...`). They often arrive
//! flattened too (one paragraph per line), and are then re-split as the flat layout is.

use super::flat::{one_paragraph_per_line, reread};
use super::{Input, LayoutRules, Reader, Reading};

pub const LAYOUT: &str = "assembly";

/// The issuer line stands within this many lines of text from the top.
const HEAD_LINES: usize = 8;

pub struct Assembly;

impl Reader for Assembly {
    fn layout(&self) -> &'static str {
        LAYOUT
    }

    fn detect(&self, input: &Input, rules: &LayoutRules) -> bool {
        let head = input.first_text_lines(HEAD_LINES);
        let issuer = head.iter().skip(1).any(|(_, l)| {
            rules
                .assembly_issuers
                .iter()
                .any(|i| l.trim_end_matches([':', '.']).trim() == i.as_str())
        });
        let dated = head
            .iter()
            .any(|(_, l)| crate::text::fold(l).contains(" ngay ") && l.contains(','));
        issuer && !dated
    }

    fn read(&self, input: &Input, _rules: &LayoutRules) -> Reading {
        if one_paragraph_per_line(input) {
            reread(input)
        } else {
            Reading::unchanged()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::read::test_rules;

    #[test]
    fn a_quoc_hoi_text_without_header() {
        let text = "**NGHỊ QUYẾT**\n\n**Về việc thử**\n\n**QUỐC HỘI**\n\n*Căn cứ Hiến pháp;*\n";
        assert!(Assembly.detect(&Input::new(text), test_rules()));
        let headed = "QUỐC HỘI\n\nSố: 1/2025/QH15\n\nHà Nội, ngày 1 tháng 1 năm 2025\n";
        assert!(!Assembly.detect(&Input::new(headed), test_rules()));
    }
}
