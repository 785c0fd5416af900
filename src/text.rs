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

/// What one character contributes to a name's key form (see `lexicon::agencies::Keyed`).
///
/// Computing it means decomposing the character, dropping its marks and lower-casing what is
/// left; that was a fifth of a build's time when done for every character of every sentence
/// checked. [`key_char`] answers from a table for the characters directives are written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum KeyChar {
    /// The lower-cased letters and digits of its decomposition, as UTF-8 (`Ế` → `e`).
    Alnum {
        bytes: [u8; KEY_CHAR_BYTES],
        len: u8,
    },
    /// A combining mark: it contributes nothing.
    Mark,
    /// Whitespace.
    Space,
    /// Anything else: punctuation or a symbol.
    Punct,
}

const KEY_CHAR_BYTES: usize = 12;

/// The characters answered from the table: Latin with all its Vietnamese letters (which end at
/// U+1EF9), Greek, Cyrillic and the general punctuation below U+2000.
const KEY_TABLE_END: u32 = 0x2000;

impl KeyChar {
    /// The UTF-8 bytes of the letters and digits it gives (none for a mark, a space or
    /// punctuation), unchecked: a caller compares bytes, or checks a whole key at once.
    pub fn alnum_bytes(&self) -> &[u8] {
        match self {
            KeyChar::Alnum { bytes, len } => &bytes[..*len as usize],
            _ => &[],
        }
    }

    /// The letters and digits it gives, if any, checked as UTF-8 (the tests' view of a piece).
    #[cfg(test)]
    pub fn alnum(&self) -> Option<&str> {
        match self {
            KeyChar::Alnum { bytes, len } => std::str::from_utf8(&bytes[..*len as usize]).ok(),
            _ => None,
        }
    }
}

/// What `c` contributes to a key form; see [`KeyChar`].
pub(crate) fn key_char(c: char) -> KeyChar {
    if c.is_ascii() {
        return match c {
            'A'..='Z' => ascii_key(c.to_ascii_lowercase()),
            'a'..='z' | '0'..='9' => ascii_key(c),
            _ if c.is_ascii_whitespace() || c == '\u{b}' => KeyChar::Space,
            _ => KeyChar::Punct,
        };
    }
    if (c as u32) < KEY_TABLE_END {
        return key_table()[c as usize];
    }
    key_char_computed(c)
}

fn ascii_key(c: char) -> KeyChar {
    let mut bytes = [0; KEY_CHAR_BYTES];
    bytes[0] = c as u8;
    KeyChar::Alnum { bytes, len: 1 }
}

fn key_table() -> &'static [KeyChar] {
    static TABLE: std::sync::OnceLock<Vec<KeyChar>> = std::sync::OnceLock::new();
    TABLE.get_or_init(|| {
        (0..KEY_TABLE_END)
            .map(|u| char::from_u32(u).map_or(KeyChar::Punct, key_char_computed))
            .collect()
    })
}

/// The definition [`key_char`]'s table is built from: decompose, drop marks, `đ` as `d`,
/// lower-case the letters and digits.
fn key_char_computed(c: char) -> KeyChar {
    let mut alnum = String::new();
    for d in std::iter::once(c).nfd() {
        if is_combining_mark(d) {
            continue;
        }
        let d = if d == 'đ' || d == 'Đ' { 'd' } else { d };
        if d.is_alphanumeric() {
            alnum.extend(d.to_lowercase());
        }
    }
    if !alnum.is_empty() {
        let mut bytes = [0; KEY_CHAR_BYTES];
        // No character lower-cases to more than three characters of four bytes each.
        let len = alnum.len().min(KEY_CHAR_BYTES);
        bytes[..len].copy_from_slice(&alnum.as_bytes()[..len]);
        KeyChar::Alnum {
            bytes,
            len: len as u8,
        }
    } else if is_combining_mark(c) {
        KeyChar::Mark
    } else if c.is_whitespace() {
        KeyChar::Space
    } else {
        KeyChar::Punct
    }
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

/// Whether `text` opens with `word` and a space after it: `starts_with(&format!("{word} "))`
/// without the allocation, for checks made once per word of a text.
pub fn starts_with_word(text: &str, word: &str) -> bool {
    text.strip_prefix(word).is_some_and(|r| r.starts_with(' '))
}

/// `text.starts_with(phrase)`, with the first bytes compared before the rest: checked for each
/// phrase of a list at each word of a text, most fail there, without a call to compare.
pub fn opens_with(text: &str, phrase: &str) -> bool {
    let (t, p) = (text.as_bytes(), phrase.as_bytes());
    p.first().is_none_or(|first| t.first() == Some(first)) && t.starts_with(p)
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
    fn key_char_table_agrees_with_its_definition_for_every_character() {
        for u in 0..=0x10ffff_u32 {
            if let Some(c) = char::from_u32(u) {
                assert_eq!(key_char(c), key_char_computed(c), "U+{u:04X}");
                let whole: String = std::iter::once(c)
                    .nfd()
                    .filter(|d| !is_combining_mark(*d) && d.is_alphanumeric())
                    .flat_map(|d| if d == 'Đ' { 'đ' } else { d }.to_lowercase())
                    .map(|d| if d == 'đ' { 'd' } else { d })
                    .collect();
                assert_eq!(key_char(c).alnum().unwrap_or(""), whole, "U+{u:04X}");
            }
        }
    }

    #[test]
    fn key_char_folds_vietnamese_letters() {
        assert_eq!(key_char('Ế').alnum(), Some("e"));
        assert_eq!(key_char('đ').alnum(), Some("d"));
        assert_eq!(key_char('\u{301}'), KeyChar::Mark);
        assert_eq!(key_char('\u{a0}'), KeyChar::Space);
        assert_eq!(key_char('/'), KeyChar::Punct);
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
