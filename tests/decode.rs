//! The decode stage from the outside: committed fixtures in every encoding (made by our encoder
//! and by glibc iconv), re-encoded corpus files, and properties over random input.

use std::path::{Path, PathBuf};

use proptest::prelude::*;
use unicode_normalization::UnicodeNormalization;
use vanban::decode::{decode, encode, DecodeError, Encoding};

const SEEDS: [&str; 2] = ["000_f13dcb22fb0d6dd6", "002_711db2a21855934a"];

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/encodings")
}

/// `../shared` beside the project, or `None` with a note on stderr.
fn shared() -> Option<PathBuf> {
    let shared = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared");
    if shared.is_dir() {
        Some(shared)
    } else {
        eprintln!(
            "note: {} is absent; skipping the test that reads it",
            shared.display()
        );
        None
    }
}

/// The closest ASCII for characters of the seeds that a legacy encoding may lack. The fixtures
/// README lists the same table.
fn ascii_substitute(c: char) -> &'static str {
    match c {
        '⁽' => "(",
        '⁾' => ")",
        '¹' => "1",
        '²' => "2",
        '³' => "3",
        '“' | '”' => "\"",
        '‘' | '’' => "'",
        '–' | '—' => "-",
        '…' => "...",
        '✓' => "v",
        '≤' => "<=",
        '≥' => ">=",
        _ => "?",
    }
}

/// The text as it can be written in `encoding`: characters it lacks replaced by ASCII.
fn writable(text: &str, encoding: Encoding) -> String {
    let mut known = std::collections::HashMap::new();
    text.nfc()
        .map(|c| {
            let fits = *known
                .entry(c)
                .or_insert_with(|| c.is_ascii() || encode(&c.to_string(), encoding).is_ok());
            if fits {
                c.to_string()
            } else {
                ascii_substitute(c).to_string()
            }
        })
        .collect()
}

/// `000_x.tcvn3.iconv.txt` → (`000_x`, tcvn3); `000_x.utf-8-nfd.txt` → (`000_x`, utf-8).
fn fixture_name(path: &Path) -> Option<(String, Encoding)> {
    let name = path.file_name()?.to_str()?.strip_suffix(".txt")?;
    let name = name.strip_suffix(".iconv").unwrap_or(name);
    let name = name.strip_suffix("-nfd").unwrap_or(name);
    let (seed, encoding) = name.split_once('.')?;
    Some((seed.to_string(), encoding.parse().ok()?))
}

fn read(path: &Path) -> Vec<u8> {
    std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn original(seed: &str) -> String {
    let bytes = read(&fixtures().join(format!("{seed}.utf-8.txt")));
    String::from_utf8(bytes).expect("the utf-8 fixture is UTF-8")
}

#[test]
fn every_fixture_decodes_to_its_original_with_its_encoding() {
    let mut checked = 0;
    for entry in std::fs::read_dir(fixtures()).expect("fixtures folder") {
        let path = entry.expect("entry").path();
        let Some((seed, encoding)) = fixture_name(&path) else {
            continue;
        };
        let decoded =
            decode(&read(&path), None).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        assert_eq!(decoded.encoding, encoding, "{}", path.display());
        let expected = writable(&original(&seed), encoding);
        assert!(
            decoded.text == expected,
            "{}: text differs from the original",
            path.display()
        );
        checked += 1;
    }
    // 2 seeds × (utf-8, utf-8 NFD, utf-16le, utf-16be, windows-1258, tcvn3, vni, 2 iconv files)
    assert_eq!(checked, 18);
}

#[test]
fn fixtures_match_the_seeds() {
    let Some(shared) = shared() else { return };
    for seed in SEEDS {
        let path = shared.join(format!("seeds/{seed}.txt"));
        assert_eq!(
            read(&path),
            original(seed).into_bytes(),
            "{seed}: regenerate the fixtures"
        );
    }
}

/// Writes the fixtures from the seeds. Run with `cargo test --test decode -- --ignored`; the
/// glibc iconv fixtures are made separately (see the fixtures README).
#[test]
#[ignore]
fn regenerate_fixtures() {
    let Some(shared) = shared() else { return };
    for seed in SEEDS {
        let text =
            String::from_utf8(read(&shared.join(format!("seeds/{seed}.txt")))).expect("UTF-8 seed");
        let write = |suffix: &str, bytes: &[u8]| {
            std::fs::write(fixtures().join(format!("{seed}.{suffix}.txt")), bytes)
                .expect("write fixture");
        };
        write("utf-8", text.as_bytes());
        write("utf-8-nfd", text.nfd().collect::<String>().as_bytes());
        for encoding in Encoding::ALL.into_iter().filter(|&e| e != Encoding::Utf8) {
            let bytes =
                encode(&writable(&text, encoding), encoding).expect("writable text encodes");
            write(encoding.name(), &bytes);
        }
    }
}

/// The legacy encodings, where detection has to score.
const LEGACY: [Encoding; 3] = [Encoding::Windows1258, Encoding::Tcvn3, Encoding::Vni];

#[test]
fn corpus_files_re_encoded_are_detected() {
    let Some(shared) = shared() else { return };
    let Ok(entries) = std::fs::read_dir(shared.join("corpus-ext")) else {
        eprintln!("note: no corpus-ext; skipping");
        return;
    };
    let (mut total, mut wrong) = (0, Vec::new());
    for entry in entries {
        let path = entry.expect("entry").path();
        let Ok(text) = String::from_utf8(read(&path)) else {
            continue;
        };
        for encoding in LEGACY {
            let expected = writable(&text, encoding);
            let bytes = encode(&expected, encoding).expect("writable text encodes");
            total += 1;
            match decode(&bytes, None) {
                Ok(d) if d.encoding == encoding && d.text == expected => {}
                Ok(d) => wrong.push(format!(
                    "{} {encoding}: read as {}",
                    path.display(),
                    d.encoding
                )),
                Err(e) => wrong.push(format!("{} {encoding}: {e}", path.display())),
            }
        }
    }
    eprintln!(
        "corpus-ext re-encoded: {}/{total} decoded right",
        total - wrong.len()
    );
    assert!(wrong.is_empty(), "{wrong:#?}");
}

/// A syllable built from the rules: onset, rhyme, and a tone on one of its vowels (acute or
/// dot below on a rhyme closed by c, ch, p, t; on the vowel with a circumflex, breve or horn
/// if there is one).
fn syllable() -> impl Strategy<Value = String> {
    const ONSETS: &[&str] = &[
        "", "b", "c", "ch", "d", "đ", "g", "gi", "h", "kh", "l", "m", "n", "ng", "nh", "ph", "qu",
        "r", "s", "t", "th", "tr", "v", "x",
    ];
    const RHYMES: &[&str] = &[
        "a", "ac", "ai", "an", "ang", "anh", "ao", "at", "ay", "ăc", "ăm", "ăn", "ăng", "ân",
        "âng", "âu", "ây", "e", "em", "en", "eo", "ê", "ên", "ênh", "êt", "i", "ia", "inh", "iêc",
        "iên", "iêt", "iêu", "y", "o", "oc", "oi", "ong", "oa", "oan", "oăn", "oe", "ô", "ôi",
        "ông", "ơ", "ơi", "ơn", "u", "ui", "ung", "ua", "uân", "uê", "uôc", "uôn", "uông", "uy",
        "uyên", "uyêt", "ư", "ưc", "ưng", "ưa", "ươc", "ươi", "ương", "ươt", "ưu",
    ];
    const TONES: &[&str] = &["", "\u{300}", "\u{301}", "\u{303}", "\u{309}", "\u{323}"];
    (0..ONSETS.len(), 0..RHYMES.len(), 0..TONES.len(), 0usize..4).prop_map(|(o, r, t, v)| {
        let rhyme = RHYMES[r];
        let checked = ["c", "ch", "p", "t"]
            .iter()
            .any(|coda| rhyme.ends_with(coda));
        let tone = if checked {
            ["\u{301}", "\u{323}"][t % 2]
        } else {
            TONES[t]
        };
        let vowels: Vec<usize> = rhyme
            .char_indices()
            .filter(|(_, c)| "aăâeêioôơuưy".contains(*c))
            .map(|(i, _)| i)
            .collect();
        // A vowel with a circumflex, breve or horn carries the tone; otherwise old and new
        // conventions differ, so any vowel may.
        let shaped = rhyme
            .char_indices()
            .filter(|(_, c)| "ăâêôơư".contains(*c))
            .map(|(i, _)| i)
            .next_back();
        let at = shaped.unwrap_or(vowels[v % vowels.len()]);
        let vowel_end = at + rhyme[at..].chars().next().map_or(1, char::len_utf8);
        let onset = ONSETS[o];
        // `gi` + a rhyme in i, and `qu` + a rhyme in u, are not how the words are written.
        let onset = match (onset, rhyme.chars().next()) {
            ("gi", Some('i')) | ("qu", Some('u' | 'ư')) => "",
            _ => onset,
        };
        format!(
            "{onset}{}{tone}{}",
            &rhyme[..vowel_end],
            &rhyme[vowel_end..]
        )
        .nfc()
        .collect()
    })
}

/// A word as it appears in a document: lowercase, capitalised or in capitals.
fn word() -> impl Strategy<Value = String> {
    (syllable(), 0u8..10).prop_map(|(s, case)| match case {
        0 => s.to_uppercase(),
        1 | 2 => {
            let mut chars = s.chars();
            chars
                .next()
                .map(|first| first.to_uppercase().chain(chars).collect())
                .unwrap_or_default()
        }
        _ => s,
    })
}

/// Real-looking Vietnamese: sentences of syllables with punctuation, numbers and line breaks.
fn vietnamese_text() -> impl Strategy<Value = String> {
    prop::collection::vec((word(), 0u8..20), 40..120).prop_map(|words| {
        let mut text = String::new();
        for (word, separator) in words {
            text.push_str(&word);
            text.push_str(match separator {
                0 => ", ",
                1 => ".\n",
                2 => " 2020 ",
                3 => "; ",
                _ => " ",
            });
        }
        text
    })
}

/// Bytes that reach the legacy decoders more often than uniform random bytes do.
fn texty_bytes() -> impl Strategy<Value = Vec<u8>> {
    let byte = prop_oneof![
        any::<u8>(),
        0x80u8..=0xff,
        Just(b' '),
        b'a'..=b'z',
        0x01u8..=0x17
    ];
    prop::collection::vec(byte, 0..600)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn decode_never_panics(bytes in texty_bytes()) {
        let _ = decode(&bytes, None);
        for encoding in Encoding::ALL {
            let _ = decode(&bytes, Some(encoding));
        }
    }

    #[test]
    fn decoded_text_is_nfc(bytes in texty_bytes()) {
        if let Ok(decoded) = decode(&bytes, None) {
            prop_assert!(unicode_normalization::is_nfc(&decoded.text));
        }
    }

    #[test]
    fn encode_never_panics(text in any::<String>()) {
        for encoding in Encoding::ALL {
            let _ = encode(&text, encoding);
        }
    }

    #[test]
    fn vietnamese_round_trips_in_every_encoding(text in vietnamese_text()) {
        // Real-looking means marked: a text of bare syllables (`A, ban, ...`) is plain ASCII.
        prop_assume!(text.split_whitespace().filter(|w| !w.is_ascii()).count() >= 20);
        let expected: String = text.nfc().collect();
        for encoding in Encoding::ALL {
            let bytes = encode(&text, encoding).map_err(|e| TestCaseError::fail(e.to_string()))?;
            let decoded = decode(&bytes, None).map_err(|e| TestCaseError::fail(format!("{encoding}: {e}")))?;
            prop_assert_eq!(decoded.encoding, encoding);
            prop_assert_eq!(&decoded.text, &expected);
        }
    }
}

#[test]
fn unknown_is_refused_with_the_contract_message() {
    let error = decode(b"caf\xe9 cr\xe8me br\xfbl\xe9e, na\xefve fa\xe7ade", None)
        .expect_err("Latin-1 French");
    assert_eq!(error, DecodeError::Unknown);
    assert_eq!(
        error.to_string(),
        "not UTF-8 and not a known Vietnamese legacy encoding"
    );
}

/// Measures detection on short snippets of the corpus files that `frequent-syllables.txt` was
/// not made from (the second half by name): how many are read right, refused, or read wrong.
/// Run with `cargo test --release --test decode -- --ignored --nocapture snippet`.
#[test]
#[ignore]
fn snippet_detection_accuracy() {
    let Some(shared) = shared() else { return };
    let mut names: Vec<PathBuf> = std::fs::read_dir(shared.join("corpus-ext"))
        .expect("corpus-ext")
        .map(|e| e.expect("entry").path())
        .collect();
    names.sort();
    let documents: Vec<Vec<String>> = names
        .iter()
        .skip(63)
        .map(|path| {
            let text = String::from_utf8(read(path)).expect("UTF-8 corpus");
            let lines: Vec<&str> = text.lines().filter(|l| !l.is_ascii()).collect();
            lines
                .join(" ")
                .split_whitespace()
                .map(str::to_string)
                .collect()
        })
        .collect();
    for n in [3usize, 5, 8, 12, 20, 40] {
        let (mut right, mut refused, mut wrong) = (0, 0, 0);
        for words in &documents {
            for start in (0..words.len().saturating_sub(n)).step_by(97).take(30) {
                let text = words[start..start + n].join(" ");
                for encoding in LEGACY {
                    let expected = writable(&text, encoding);
                    let bytes = encode(&expected, encoding).expect("writable text encodes");
                    if bytes.is_ascii() {
                        continue; // plain ASCII is UTF-8, and rightly read so
                    }
                    match decode(&bytes, None) {
                        Ok(d) if d.encoding == encoding && d.text == expected => right += 1,
                        Ok(d) => {
                            wrong += 1;
                            eprintln!(
                                "wrong: {encoding} read as {}: {expected:?} -> {:?}",
                                d.encoding, d.text
                            );
                        }
                        Err(_) => refused += 1,
                    }
                }
            }
        }
        eprintln!("{n:>2} words: {right} right, {refused} refused, {wrong} wrong");
    }
}
