//! Small text helpers shared by every stage: folding for matching, whitespace, case.

use unicode_normalization::char::is_combining_mark;
use unicode_normalization::UnicodeNormalization;

/// The form used to compare names: lower case, no diacritics, `đ` as `d`, every run of
/// spaces, hyphens and dashes as one space. `Sở Y Tế`, `so y te` and `SỞ Y TẾ` fold alike,
/// as do `hoà` and `hòa`.
pub fn fold(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut pending_space = false;
    for c in text.nfd() {
        if is_combining_mark(c) {
            continue;
        }
        let c = match c {
            'đ' | 'Đ' => 'd',
            other => other,
        };
        if c.is_alphanumeric() {
            if pending_space && !out.is_empty() {
                out.push(' ');
            }
            pending_space = false;
            out.extend(c.to_lowercase());
        } else if c.is_whitespace() || matches!(c, '-' | '–' | '—' | '_') {
            pending_space = true;
        } else {
            if pending_space && !out.is_empty() {
                out.push(' ');
            }
            pending_space = false;
            out.push(c);
        }
    }
    out
}

/// Like [`fold`], but keeps only letters and digits: `TT&TT` and `TT-TT` both give `tttt`.
pub fn fold_compact(text: &str) -> String {
    fold(text).chars().filter(|c| c.is_alphanumeric()).collect()
}

/// Collapses every run of whitespace to one space and trims the ends.
pub fn squash_spaces(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for word in text.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

/// True when the text has letters and none of them is lower case (`KẾ HOẠCH`, `I. MỤC TIÊU`).
pub fn is_upper(text: &str) -> bool {
    let mut letters = 0;
    for c in text.chars() {
        if c.is_lowercase() {
            return false;
        }
        if c.is_alphabetic() {
            letters += 1;
        }
    }
    letters > 0
}

/// Removes the punctuation that ends an entry in a list: `;`, `.`, `,`, `:` and `./.`.
pub fn trim_entry_end(text: &str) -> &str {
    let mut text = text.trim_end();
    loop {
        let trimmed = text
            .trim_end_matches("./.")
            .trim_end_matches("/.")
            .trim_end_matches([';', '.', ',', ':'])
            .trim_end();
        if trimmed.len() == text.len() {
            return text;
        }
        text = trimmed;
    }
}

/// The largest index `<= index` that is a char boundary of `text`.
pub fn floor_boundary(text: &str, mut index: usize) -> usize {
    if index >= text.len() {
        return text.len();
    }
    while !text.is_char_boundary(index) {
        index -= 1;
    }
    index
}

/// `text` in lines of at most `width` characters, broken at spaces (a longer word stands
/// alone on its line).
pub fn wrap(text: &str, width: usize) -> Vec<String> {
    let mut lines = Vec::new();
    let mut current = String::new();
    for word in text.split(' ').filter(|w| !w.is_empty()) {
        let needed =
            current.chars().count() + word.chars().count() + usize::from(!current.is_empty());
        if !current.is_empty() && needed > width {
            lines.push(std::mem::take(&mut current));
        }
        if !current.is_empty() {
            current.push(' ');
        }
        current.push_str(word);
    }
    if !current.is_empty() {
        lines.push(current);
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_wraps_at_spaces() {
        assert_eq!(
            wrap("Sở Y tế chủ trì tổ chức tiêm chủng", 12),
            ["Sở Y tế chủ", "trì tổ chức", "tiêm chủng"]
        );
        assert_eq!(wrap("", 10), Vec::<String>::new());
    }

    #[test]
    fn fold_ignores_case_diacritics_and_tone_placement() {
        assert_eq!(fold("Sở Y Tế"), "so y te");
        assert_eq!(fold("hoà"), fold("hòa"));
        assert_eq!(fold("Ủy ban"), fold("UỶ BAN"));
        assert_eq!(fold("Đoàn TNCS"), "doan tncs");
        assert_eq!(fold("Lao động - Thương binh"), "lao dong thuong binh");
    }

    #[test]
    fn fold_compact_drops_punctuation() {
        assert_eq!(fold_compact("TT&TT"), "tttt");
        assert_eq!(fold_compact("KH&ĐT"), "khdt");
    }

    #[test]
    fn entry_end_is_trimmed() {
        assert_eq!(trim_entry_end("Lưu: VT, KGVXt."), "Lưu: VT, KGVXt");
        assert_eq!(trim_entry_end("báo cáo./."), "báo cáo");
        assert_eq!(trim_entry_end("Như trên;"), "Như trên");
    }

    #[test]
    fn upper_case_needs_letters_all_upper() {
        assert!(is_upper("KẾ HOẠCH"));
        assert!(!is_upper("Kế hoạch"));
        assert!(!is_upper("123"));
    }
}
