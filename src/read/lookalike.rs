//! Look-alike letters: a Cyrillic or Greek letter that looks Latin inside a số/ký hiệu
//! (`16495/BТС-PTHT` typed with a Cyrillic Т and С) is read as the Latin letter, with an info
//! diagnostic. Only inside a token shaped like a số/ký hiệu (digits, `/` or `-`, then letters
//! among which a Latin one), so a formula's `λ` or a Russian name stays as written.

use std::sync::OnceLock;

use regex::Regex;

use crate::record::Diagnostic;

/// The Latin letter a Cyrillic or Greek capital (or small) letter is indistinguishable from.
fn latin(c: char) -> Option<char> {
    Some(match c {
        'А' | 'Α' => 'A',
        'В' | 'Β' => 'B',
        'С' | 'Ϲ' => 'C',
        'Е' | 'Ε' => 'E',
        'Н' | 'Η' => 'H',
        'І' | 'Ι' => 'I',
        'Ј' => 'J',
        'К' | 'Κ' => 'K',
        'М' | 'Μ' => 'M',
        'Ν' => 'N',
        'О' | 'Ο' => 'O',
        'Р' | 'Ρ' => 'P',
        'Ѕ' => 'S',
        'Т' | 'Τ' => 'T',
        'Х' | 'Χ' => 'X',
        'У' | 'Υ' => 'Y',
        'Ζ' => 'Z',
        'а' => 'a',
        'е' => 'e',
        'о' | 'ο' => 'o',
        'р' => 'p',
        'с' => 'c',
        'х' => 'x',
        _ => return None,
    })
}

fn token() -> &'static Regex {
    static PATTERN: OnceLock<Regex> = OnceLock::new();
    PATTERN.get_or_init(|| {
        Regex::new(r"\d{1,6}(?:/\d{2,4})?[/-][\p{L}\d.&/-]*[\p{Cyrillic}\p{Greek}][\p{L}\d.&/-]*")
            .expect("look-alike pattern compiles")
    })
}

/// Rewrites look-alike letters in every số/ký hiệu of `lines`; true when any changed.
/// `origin` maps a line index to its input line (empty: the same).
pub fn fix(lines: &mut [String], origin: &[u32], diagnostics: &mut Vec<Diagnostic>) -> bool {
    let mut changed = false;
    for (index, line) in lines.iter_mut().enumerate() {
        if line.is_ascii() || !token().is_match(line) {
            continue;
        }
        let mut out = String::with_capacity(line.len());
        let mut last = 0;
        for m in token().find_iter(line) {
            let word = m.as_str();
            let has_latin = word.chars().any(|c| c.is_ascii_alphabetic());
            let fixed: Option<String> = has_latin
                .then(|| word.chars().map(|c| latin(c).unwrap_or(c)).collect())
                .filter(|fixed: &String| fixed.chars().all(|c| !is_foreign(c)));
            out.push_str(&line[last..m.start()]);
            match fixed {
                Some(fixed) => {
                    let number = origin.get(index).copied().unwrap_or(index as u32 + 1);
                    // The column of the first look-alike letter, in the line as read.
                    let before = line[..m.start()].chars().count();
                    let into = word.chars().take_while(|&c| latin(c).is_none()).count();
                    let column = (before + into) as u32 + 1;
                    diagnostics.push(
                        Diagnostic::info(
                            "look-alike-letters",
                            format!("`{word}` has Cyrillic or Greek letters that look Latin: read as `{fixed}`"),
                            number,
                        )
                        .at((number, column)),
                    );
                    out.push_str(&fixed);
                    changed = true;
                }
                None => out.push_str(word),
            }
            last = m.end();
        }
        out.push_str(&line[last..]);
        *line = out;
    }
    changed
}

fn is_foreign(c: char) -> bool {
    matches!(c as u32, 0x0370..=0x04FF)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(text: &str) -> (String, usize) {
        let mut lines = vec![text.to_string()];
        let mut diagnostics = Vec::new();
        fix(&mut lines, &[], &mut diagnostics);
        (lines.remove(0), diagnostics.len())
    }

    #[test]
    fn the_diagnostic_points_at_the_first_look_alike_letter() {
        // Т and С below are Cyrillic; the line is indented as a file may be.
        let text = "   Căn cứ Công văn số 16495/BТС-PTHT ngày 3/11/2025";
        let mut lines = vec![text.to_string()];
        let mut diagnostics = Vec::new();
        fix(&mut lines, &[7], &mut diagnostics);
        let expected = text[..text.find('Т').unwrap()].chars().count() as u32 + 1;
        assert_eq!((diagnostics[0].line, diagnostics[0].column), (7, expected));
    }

    #[test]
    fn cyrillic_letters_in_a_number_become_latin() {
        // Т and С below are Cyrillic.
        let (text, n) = run("Công văn số 16495/BТС-PTHT ngày 3/11/2025");
        assert_eq!(text, "Công văn số 16495/BTC-PTHT ngày 3/11/2025");
        assert_eq!(n, 1);
        let (text, _) = run("Nghị định số 137/2020/NĐ-СР ngày 27/11/2020");
        assert_eq!(text, "Nghị định số 137/2020/NĐ-CP ngày 27/11/2020");
    }

    #[test]
    fn other_text_is_left_alone() {
        assert_eq!(run("λi,j: Tỷ giá quy đổi").1, 0);
        assert_eq!(run("Москва 12/ДЖ").1, 0);
        assert_eq!(run("Số: 12/KH-UBND").1, 0);
    }
}
