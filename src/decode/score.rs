//! How Vietnamese a decoded text looks.
//!
//! Legacy encodings carry no label, and every byte decodes to *something* in every one of them.
//! What tells the right decoding from the wrong ones is that only the right one yields Vietnamese
//! syllables: a wrong table puts marks where no syllable has them (`Th¾ng`, `chaøo`, `Mỹller`).
//! So each candidate decoding is split into words and every word that has a non-ASCII letter is
//! checked against the syllable rules of `rules/encodings/vietnamese.txt`.

use std::collections::{HashMap, HashSet};
use std::sync::OnceLock;

use unicode_normalization::UnicodeNormalization;

use super::table::is_tone_mark;

const RULES: &str = include_str!("../../rules/encodings/vietnamese.txt");
const FREQUENT: &str = include_str!("../../rules/encodings/frequent-syllables.txt");

/// The syllable rules and the list of common syllables.
struct Syllables {
    onsets: Vec<String>,
    rhymes: HashSet<String>,
    common: HashSet<String>,
}

fn syllables() -> &'static Syllables {
    static CELL: OnceLock<Syllables> = OnceLock::new();
    CELL.get_or_init(|| {
        let mut syllables = Syllables {
            onsets: vec![String::new()],
            rhymes: HashSet::new(),
            common: HashSet::new(),
        };
        for line in RULES.lines().filter(|l| !l.starts_with('#')) {
            let Some((key, words)) = line.split_once(':') else {
                continue;
            };
            let words = words
                .split_whitespace()
                .map(|w| w.nfc().collect::<String>());
            match key.trim() {
                "onsets" => syllables.onsets.extend(words),
                "rhymes" => syllables.rhymes.extend(words),
                "common" => syllables.common.extend(words),
                _ => {}
            }
        }
        let frequent = FREQUENT
            .lines()
            .filter(|l| !l.starts_with('#') && !l.trim().is_empty());
        syllables
            .common
            .extend(frequent.map(|w| w.trim().nfc().collect::<String>()));
        syllables
    })
}

/// What the words of one candidate decoding say about it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct Assessment {
    /// Words with a non-ASCII letter that are Vietnamese syllables.
    pub marked_good: usize,
    /// Words with a non-ASCII letter that are not, plus stray symbols no Vietnamese text uses.
    pub marked_bad: usize,
    /// ASCII words (not acronyms) that are Vietnamese syllables.
    pub ascii_good: usize,
    /// ASCII words that are not (English, French, garbage split by symbols).
    pub ascii_bad: usize,
    /// Marked words from the list of very common syllables.
    pub common: usize,
}

impl Assessment {
    /// Whether the text is plausibly Vietnamese: enough marked syllables (never a guess from
    /// one word), hardly any marked non-syllables, and words that are mostly syllables.
    pub(crate) fn is_vietnamese(&self) -> bool {
        let marked = self.marked_good + self.marked_bad;
        let words = marked + self.ascii_good + self.ascii_bad;
        // Many valid marked syllables are strong evidence by themselves: then English names,
        // e-mail addresses or chemistry in between may outnumber the Vietnamese ASCII words.
        let ascii_share = if self.marked_good >= 8 { 4 } else { 7 };
        self.marked_good >= 2
            && self.marked_good * 10 >= marked * 9
            && (self.marked_good + self.ascii_good) * 10 >= words * ascii_share
    }

    /// Ranks the candidates that pass [`Assessment::is_vietnamese`].
    pub(crate) fn score(&self) -> i64 {
        let good = i64::try_from(self.marked_good + self.common).unwrap_or(i64::MAX / 4);
        let bad = i64::try_from(self.marked_bad).unwrap_or(i64::MAX / 4);
        good - 5 * bad
    }
}

/// Assesses a decoded text. Linear in its length.
pub(crate) fn assess(text: &str) -> Assessment {
    let mut assessor = Assessor::default();
    let mut word = String::new();
    for c in text.chars() {
        if c.is_alphabetic() || is_combining(c) {
            word.push(c);
            continue;
        }
        assessor.word(&word);
        word.clear();
        if !c.is_ascii() && !is_common_symbol(c) {
            assessor.assessment.marked_bad += 1;
        }
    }
    assessor.word(&word);
    assessor.assessment
}

/// Counts words, remembering the verdict on each distinct word: a document repeats a few
/// thousand syllables, so most words are looked up, not analysed.
#[derive(Default)]
struct Assessor {
    assessment: Assessment,
    /// Word → (is a syllable, is a common syllable).
    seen: HashMap<String, (bool, bool)>,
}

impl Assessor {
    fn word(&mut self, word: &str) {
        if word.is_empty() || is_acronym(word) {
            return;
        }
        let (good, common) = match self.seen.get(word) {
            Some(&verdict) => verdict,
            None => {
                let verdict = judge(word);
                self.seen.insert(word.to_string(), verdict);
                verdict
            }
        };
        let a = &mut self.assessment;
        match (word.is_ascii(), good) {
            (true, true) => a.ascii_good += 1,
            (true, false) => a.ascii_bad += 1,
            (false, true) => {
                a.marked_good += 1;
                a.common += usize::from(common);
            }
            (false, false) => a.marked_bad += 1,
        }
    }
}

/// Whether a word is a syllable, and a common one.
fn judge(word: &str) -> (bool, bool) {
    let lower: String = word.chars().flat_map(char::to_lowercase).collect();
    let good = is_cased_like_a_word(word) && is_syllable(&lower);
    (good, good && syllables().common.contains(&lower))
}

/// Abbreviations such as `UBND`, `HĐND`, `QĐ` (all capitals without tone marks) and single
/// ASCII letters or `đ` (clause labels `b)`, `đ)`, `b/c`). They are neither evidence for nor against a
/// decoding.
fn is_acronym(word: &str) -> bool {
    let mut chars = word.chars();
    let label = chars
        .next()
        .is_some_and(|c| c.is_ascii() || c == 'đ' || c == 'Đ')
        && chars.next().is_none();
    label || word.chars().all(|c| c.is_ascii_uppercase() || c == 'Đ')
}

/// Words are lowercase, capitalised or in capitals; a wrong table often yields a capital in the
/// middle of a word (`phuỊ` for `phủ`, `HỔng` for `Hàng`).
fn is_cased_like_a_word(word: &str) -> bool {
    let mut rest = word.chars().skip(1);
    let tail_upper = word.chars().skip(1).all(|c| !c.is_lowercase());
    let tail_lower = rest.all(|c| !c.is_uppercase());
    tail_lower || tail_upper && word.chars().next().is_some_and(|c| !c.is_lowercase())
}

/// Whether a lowercase word is one Vietnamese syllable.
pub(crate) fn is_syllable(word: &str) -> bool {
    let Some((toneless, tone)) = split_tone(word) else {
        return false;
    };
    let rules = syllables();
    rules.onsets.iter().any(|onset| {
        toneless
            .strip_prefix(onset.as_str())
            .is_some_and(|rhyme| rules.rhymes.contains(rhyme) && tone_fits_coda(rhyme, tone))
    })
}

/// Removes the tone mark, giving the word without it and the mark. `None` when the word has
/// two tone marks, a mark on a letter that is not a vowel (`ñ` is not `n` with a tone), or a
/// mark beside a vowel with a circumflex, breve or horn instead of on it: that vowel carries the
/// tone in every spelling convention (`sơì` is not a word, `sời` is).
fn split_tone(word: &str) -> Option<(String, Option<char>)> {
    let mut tone = None;
    let mut letters = 0;
    let mut toned_letter = None;
    let mut last_shaped = None;
    let mut base = None;
    let mut rest = String::with_capacity(word.len());
    for c in word.nfd() {
        if is_tone_mark(c) {
            if tone.is_some() || !base.is_some_and(is_vowel) {
                return None;
            }
            tone = Some(c);
            toned_letter = Some(letters);
            continue;
        }
        if is_combining(c) {
            if matches!(c, '\u{302}' | '\u{306}' | '\u{31b}') {
                last_shaped = Some(letters);
            }
        } else {
            base = Some(c);
            letters += 1;
        }
        rest.push(c);
    }
    if tone.is_some() && last_shaped.is_some() && toned_letter != last_shaped {
        return None;
    }
    Some((rest.nfc().collect(), tone))
}

/// Syllables closed by c, ch, k, p or t take only the acute or the dot-below tone.
fn tone_fits_coda(rhyme: &str, tone: Option<char>) -> bool {
    let checked = ["c", "ch", "k", "p", "t"]
        .iter()
        .any(|coda| rhyme.ends_with(coda));
    !checked || matches!(tone, Some('\u{301}' | '\u{323}'))
}

fn is_vowel(c: char) -> bool {
    matches!(c, 'a' | 'e' | 'i' | 'o' | 'u' | 'y')
}

/// Combining diacritical marks (the ones NFD produces for Latin letters).
fn is_combining(c: char) -> bool {
    ('\u{300}'..='\u{36f}').contains(&c)
}

/// Non-ASCII punctuation and symbols that Vietnamese documents do use; anything else outside
/// the alphabet counts against a decoding.
fn is_common_symbol(c: char) -> bool {
    c.is_whitespace()
        || matches!(
            c,
            '“' | '”'
                | '‘'
                | '’'
                | '–'
                | '—'
                | '…'
                | '•'
                | '·'
                | '«'
                | '»'
                | '°'
                | '€'
                | '₫'
                | '§'
                | '№'
                | '×'
                | '÷'
                | '±'
                | '≤'
                | '≥'
                | '□'
                | '✓'
                | '⁽'
                | '⁾'
                | '¹'
                | '²'
                | '³'
                | '\u{a0}'
                | '\u{feff}'
        )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn syllables() {
        for word in [
            "bảo", "thắng", "mường", "người", "được", "quyết", "nghĩa", "giữ", "gì", "khuyến",
            "thuở", "ủy", "việt", "xin", "chào", "các", "bạn", "rượu", "khuya", "hoàng", "quốc",
            "đắk", "lắk", "krông", "búk",
        ] {
            assert!(is_syllable(word), "{word}");
        }
        for word in [
            "chaøo",
            "café",
            "mỹller",
            "ñame",
            "hàc",
            "aáa",
            "très",
            "église",
            "ộứờ",
            "thắngg",
        ] {
            assert!(!is_syllable(word), "{word}");
        }
    }

    #[test]
    fn vietnamese_sentence_passes_and_french_fails() {
        assert!(assess("Ủy ban nhân dân tỉnh Lào Cai thực hiện kế hoạch").is_vietnamese());
        assert!(!assess("Je vais à Paris et à Lyon avec ma sœur").is_vietnamese());
        assert!(
            !assess("Le ministre a présenté à l'Assemblée un projet très ambitieux")
                .is_vietnamese()
        );
    }

    #[test]
    fn acronyms_are_neutral() {
        let a = assess("UBND HĐND QĐ b/c a) đ");
        assert_eq!(a, Assessment::default());
    }
}
