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
        self.marked_good >= 2
            && self.marked_good * 10 >= marked * 9
            && (self.marked_good + self.ascii_good) * 10 >= words * 7
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
    let good = is_syllable(&lower);
    (good, good && syllables().common.contains(&lower))
}

/// Abbreviations such as `UBND`, `HĐND`, `QĐ`: all capitals without tone marks. They are
/// neither evidence for nor against a decoding.
fn is_acronym(word: &str) -> bool {
    word.chars().count() >= 2 && word.chars().all(|c| c.is_ascii_uppercase() || c == 'Đ')
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
/// two tone marks or a mark on a letter that is not a vowel (`ñ` is not `n` with a tone).
fn split_tone(word: &str) -> Option<(String, Option<char>)> {
    let mut tone = None;
    let mut base = None;
    let mut rest = String::with_capacity(word.len());
    for c in word.nfd() {
        if is_tone_mark(c) {
            if tone.is_some() || !base.is_some_and(is_vowel) {
                return None;
            }
            tone = Some(c);
        } else {
            if !is_combining(c) {
                base = Some(c);
            }
            rest.push(c);
        }
    }
    Some((rest.nfc().collect(), tone))
}

/// Syllables closed by c, ch, p or t take only the acute or the dot-below tone.
fn tone_fits_coda(rhyme: &str, tone: Option<char>) -> bool {
    let checked = ["c", "ch", "p", "t"]
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
        let a = assess("UBND HĐND QĐ");
        assert_eq!(a, Assessment::default());
    }
}
