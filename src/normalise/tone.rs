//! One tone-mark placement for the open syllables oa, oe, uy (hòa/hoà, khỏe/khoẻ, thủy/thuỷ).
//!
//! Both placements are in use; matching and output need one. The tone moves between the two
//! vowels only when they end the word: in `hoàng` or `khuyến` the mark's place is fixed.

use super::ToneStyle;

/// The vowels whose tone may move, each with its five toned forms in the order
/// huyền, sắc, hỏi, ngã, nặng.
const TONED: [(char, [char; 5]); 10] = [
    ('a', ['à', 'á', 'ả', 'ã', 'ạ']),
    ('e', ['è', 'é', 'ẻ', 'ẽ', 'ẹ']),
    ('y', ['ỳ', 'ý', 'ỷ', 'ỹ', 'ỵ']),
    ('o', ['ò', 'ó', 'ỏ', 'õ', 'ọ']),
    ('u', ['ù', 'ú', 'ủ', 'ũ', 'ụ']),
    ('A', ['À', 'Á', 'Ả', 'Ã', 'Ạ']),
    ('E', ['È', 'É', 'Ẻ', 'Ẽ', 'Ẹ']),
    ('Y', ['Ỳ', 'Ý', 'Ỷ', 'Ỹ', 'Ỵ']),
    ('O', ['Ò', 'Ó', 'Ỏ', 'Õ', 'Ọ']),
    ('U', ['Ù', 'Ú', 'Ủ', 'Ũ', 'Ụ']),
];

/// A letter as (base vowel, tone): `ỏ` → (`o`, Some(2)), `o` → (`o`, None).
fn split_tone(letter: char) -> Option<(char, Option<usize>)> {
    // Most letters are none of these: answer without searching the table.
    let candidate = match letter {
        'a' | 'e' | 'y' | 'o' | 'u' | 'A' | 'E' | 'Y' | 'O' | 'U' => true,
        c => ('\u{c0}'..='\u{1ef9}').contains(&c),
    };
    if !candidate {
        return None;
    }
    TONED.iter().find_map(|(base, toned)| {
        if letter == *base {
            Some((*base, None))
        } else {
            toned
                .iter()
                .position(|&t| t == letter)
                .map(|tone| (*base, Some(tone)))
        }
    })
}

fn with_tone(base: char, tone: usize) -> char {
    TONED
        .iter()
        .find(|(b, _)| *b == base)
        .map_or(base, |(_, toned)| toned[tone])
}

/// Rewrites every oa/oe/uy at the end of a word to the given style.
pub fn place_tones(text: &str, style: ToneStyle) -> std::borrow::Cow<'_, str> {
    if text.is_ascii() || !has_movable_pair(text, style) {
        return std::borrow::Cow::Borrowed(text);
    }
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < chars.len() {
        if let Some((first, second)) = rewrite_pair(&chars, i, style) {
            out.push(first);
            out.push(second);
            i += 2;
        } else {
            out.push(chars[i]);
            i += 1;
        }
    }
    std::borrow::Cow::Owned(out)
}

/// Whether some o or u is followed by the vowel whose tone `style` moves: a toned a, e or y
/// (new style), or a plain one after a toned o or u (old style). Most lines have none, and
/// are then returned as they are without being split into characters.
fn has_movable_pair(text: &str, style: ToneStyle) -> bool {
    let mut previous: Option<(char, Option<usize>)> = None;
    for c in text.chars() {
        let current = split_tone(c);
        if let (Some((first, first_tone)), Some((second, second_tone))) = (previous, current) {
            let opens = matches!(first, 'o' | 'O' | 'u' | 'U');
            let moves = match style {
                ToneStyle::New => first_tone.is_none() && second_tone.is_some(),
                ToneStyle::Old => first_tone.is_some() && second_tone.is_none(),
            };
            if opens && moves && matches!(second, 'a' | 'e' | 'y' | 'A' | 'E' | 'Y') {
                return true;
            }
        }
        previous = current;
    }
    false
}

/// The rewritten pair at `i` when `chars[i]`, `chars[i + 1]` is an open oa/oe/uy ending a word.
fn rewrite_pair(chars: &[char], i: usize, style: ToneStyle) -> Option<(char, char)> {
    let (first, second) = (*chars.get(i)?, *chars.get(i + 1)?);
    let (first_base, first_tone) = split_tone(first)?;
    let (second_base, second_tone) = split_tone(second)?;
    let is_uy = matches!(first_base, 'u' | 'U') && matches!(second_base, 'y' | 'Y');
    let is_oa_oe = matches!(first_base, 'o' | 'O') && matches!(second_base, 'a' | 'e' | 'A' | 'E');
    if !(is_uy || is_oa_oe) || chars.get(i + 2).is_some_and(|c| c.is_alphabetic()) {
        return None;
    }
    if is_uy && i > 0 && matches!(chars[i - 1], 'q' | 'Q') {
        return None; // quý: u belongs to the consonant qu
    }
    match (style, first_tone, second_tone) {
        (ToneStyle::New, None, Some(tone)) => Some((with_tone(first_base, tone), second_base)),
        (ToneStyle::Old, Some(tone), None) => Some((first_base, with_tone(second_base, tone))),
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
        assert_eq!(
            place_tones("thuỷ lợi, khoẻ mạnh", ToneStyle::New),
            "thủy lợi, khỏe mạnh"
        );
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
