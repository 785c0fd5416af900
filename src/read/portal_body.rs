//! The corpus-ext layout: a portal's export with its page cut off. The header is a table
//! (`|` frames) of the issuer, the motto, the Số line and the date line; lines are
//! hard-wrapped. The later stages were written for it: it is read as it is.

use super::{Input, LayoutRules, Reader, Reading};

pub const LAYOUT: &str = "portal-body";

/// How many lines of text the header table must show its Số line within.
const HEADER_LINES: usize = 16;

pub struct PortalBody;

impl Reader for PortalBody {
    fn layout(&self) -> &'static str {
        LAYOUT
    }

    fn detect(&self, input: &Input, _rules: &LayoutRules) -> bool {
        let first = input.lines.iter().find(|l| !l.trim().is_empty());
        if first.is_none_or(|l| !l.trim().starts_with('|')) {
            return false;
        }
        input.first_text_lines(HEADER_LINES).iter().any(|(_, l)| {
            let folded = crate::text::fold(l);
            super::headerless::is_number_line(l)
                || folded == "so"
                || folded.contains("cong hoa xa hoi")
                || folded.contains("dang cong san viet nam")
        })
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
    fn a_framed_header_is_portal_body() {
        let text = "|\n**ỦY BAN NHÂN DÂN**\nTỈNH A\n|\n**CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM**\n|\nSố: 1/UBND\n|";
        assert!(PortalBody.detect(&Input::new(text), test_rules()));
    }

    #[test]
    fn plain_text_is_not() {
        let text = "ỦY BAN NHÂN DÂN\n\nSố: 1/UBND\n";
        assert!(!PortalBody.detect(&Input::new(text), test_rules()));
    }
}
