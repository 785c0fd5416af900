//! One tone-mark placement for the open syllables oa, oe, uy (hòa/hoà, khỏe/khoẻ, thủy/thuỷ).
//!
//! Both placements are in use; matching and output need one. The tone moves between the two
//! vowels only when they end the word: in `hoàng` or `khuyến` the mark's place is fixed.

use unicode_normalization::UnicodeNormalization;

use crate::rules::ToneStyle;

const TONES: [char; 5] = ['\u{300}', '\u{301}', '\u{303}', '\u{309}', '\u{323}'];

/// Splits a letter into its base (with any non-tone diacritics) and its tone mark.
fn split_tone(letter: char) -> (String, Option<char>) {
    let mut base = String::new();
    let mut tone = None;
    for c in std::iter::once(letter).nfd() {
        if TONES.contains(&c) {
            tone = Some(c);
        } else {
            base.push(c);
        }
    }
    (base.nfc().collect(), tone)
}

fn with_tone(base: &str, tone: char) -> String {
    let mut decomposed: String = base.nfd().collect();
    decomposed.push(tone);
    decomposed.nfc().collect()
}

fn base_is(letter: char, bases: &[char]) -> bool {
    let (base, _) = split_tone(letter);
    let mut chars = base.chars();
    matches!((chars.next(), chars.next()), (Some(c), None) if bases.contains(&c))
}

/// Rewrites every oa/oe/uy at the end of a word to the given style.
pub fn place_tones(text: &str, style: ToneStyle) -> String {
    if text.is_ascii() {
        return text.to_string();
    }
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < chars.len() {
        if let Some((first, second)) = rewrite_pair(&chars, i, style) {
            out.push_str(&first);
            out.push_str(&second);
            i += 2;
        } else {
            out.push(chars[i]);
            i += 1;
        }
    }
    out
}

/// The rewritten pair at `i` when `chars[i]`, `chars[i + 1]` is an open oa/oe/uy ending a word.
fn rewrite_pair(chars: &[char], i: usize, style: ToneStyle) -> Option<(String, String)> {
    let (first, second) = (*chars.get(i)?, *chars.get(i + 1)?);
    if chars.get(i + 2).is_some_and(|c| c.is_alphabetic()) {
        return None;
    }
    let is_uy = base_is(first, &['u', 'U']) && base_is(second, &['y', 'Y']);
    let is_oa_oe = base_is(first, &['o', 'O']) && base_is(second, &['a', 'e', 'A', 'E']);
    if !(is_uy || is_oa_oe) {
        return None;
    }
    if is_uy && i > 0 && matches!(chars[i - 1], 'q' | 'Q') {
        return None; // quý: u belongs to the consonant qu
    }
    let (first_base, first_tone) = split_tone(first);
    let (second_base, second_tone) = split_tone(second);
    match (style, first_tone, second_tone) {
        (ToneStyle::New, None, Some(tone)) => Some((with_tone(&first_base, tone), second_base)),
        (ToneStyle::Old, Some(tone), None) => Some((first_base, with_tone(&second_base, tone))),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn new_style_moves_tone_to_first_vowel() {
        assert_eq!(place_tones("hoà", ToneStyle::New), "hòa");
        assert_eq!(place_tones("Uỷ ban", ToneStyle::New), "Ủy ban");
        assert_eq!(place_tones("UỶ BAN", ToneStyle::New), "ỦY BAN");
        assert_eq!(place_tones("thuỷ lợi, khoẻ mạnh", ToneStyle::New), "thủy lợi, khỏe mạnh");
        assert_eq!(place_tones("tái hoà nhập", ToneStyle::New), "tái hòa nhập");
    }

    #[test]
    fn closed_syllables_and_qu_are_left_alone() {
        assert_eq!(place_tones("hoàng", ToneStyle::New), "hoàng");
        assert_eq!(place_tones("quý", ToneStyle::New), "quý");
        assert_eq!(place_tones("khuyến", ToneStyle::New), "khuyến");
        assert_eq!(place_tones("ngoài", ToneStyle::New), "ngoài");
    }

    #[test]
    fn old_style_moves_tone_to_second_vowel() {
        assert_eq!(place_tones("hòa", ToneStyle::Old), "hoà");
        assert_eq!(place_tones("Ủy", ToneStyle::Old), "Uỷ");
    }
}
