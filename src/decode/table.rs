//! Byte tables of the 8-bit legacy encodings, read from `rules/encodings/*.tsv`.
//!
//! The tables are data, not code, so that a wrong byte is fixed by editing one line that can be
//! checked against the standard. A table maps a sequence of one or two bytes to one or more code
//! points; decoding takes the longest sequence that matches, which is how VNI (`a` + mark byte)
//! and the two-byte TCVN3 capitals are read.

use std::collections::HashMap;
use std::sync::OnceLock;

use unicode_normalization::UnicodeNormalization;

use super::{EncodeError, Encoding};

const WINDOWS_1258: &str = include_str!("../../rules/encodings/windows-1258.tsv");
const TCVN3: &str = include_str!("../../rules/encodings/tcvn3.tsv");
const VNI: &str = include_str!("../../rules/encodings/vni.tsv");

/// One legacy encoding: how its bytes decode and how characters encode.
#[derive(Debug)]
pub(crate) struct Table {
    encoding: Encoding,
    /// What each single byte decodes to; `None` for bytes the encoding does not define.
    single: Vec<Option<String>>,
    /// Two-byte sequences that decode to one letter (VNI base + mark, TCVN3 capitals).
    pairs: HashMap<[u8; 2], String>,
    /// Whether a byte can start a two-byte sequence, so the common case skips the map.
    starts_pair: [bool; 256],
    /// The bytes the encoder writes for a character.
    reverse: HashMap<char, Vec<u8>>,
    /// Combining tone marks that have a byte of their own (Windows-1258, TCVN 5712 VN1), used
    /// to encode a letter that has no precomposed byte as base letter + mark.
    marks: Vec<char>,
}

/// The table of a legacy encoding, loaded once; `None` for the Unicode encodings.
pub(crate) fn table(encoding: Encoding) -> Option<&'static Table> {
    static W1258: OnceLock<Table> = OnceLock::new();
    static T3: OnceLock<Table> = OnceLock::new();
    static V: OnceLock<Table> = OnceLock::new();
    let (cell, source) = match encoding {
        Encoding::Windows1258 => (&W1258, WINDOWS_1258),
        Encoding::Tcvn3 => (&T3, TCVN3),
        Encoding::Vni => (&V, VNI),
        Encoding::Utf8 | Encoding::Utf16Le | Encoding::Utf16Be => return None,
    };
    // The sources are compiled in and parsed by a unit test, so a failure here is a bug in
    // the shipped data, never something an input file can cause.
    Some(cell.get_or_init(|| {
        Table::parse(encoding, source)
            .unwrap_or_else(|e| panic!("rules/encodings table for {encoding} is malformed: {e}"))
    }))
}

impl Table {
    /// Parses the TSV format described in `rules/encodings/README.md`.
    pub(crate) fn parse(encoding: Encoding, source: &str) -> Result<Table, String> {
        let mut table = Table {
            encoding,
            single: (0u8..=255)
                .map(|b| b.is_ascii().then(|| char::from(b).to_string()))
                .collect(),
            pairs: HashMap::new(),
            starts_pair: [false; 256],
            reverse: HashMap::new(),
            marks: Vec::new(),
        };
        for (index, line) in source.lines().enumerate() {
            let line = line.trim_end();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            table
                .add_line(line)
                .map_err(|e| format!("line {}: {e}", index + 1))?;
        }
        table.add_ascii_reverse();
        Ok(table)
    }

    /// Adds one `bytes<TAB>code points<TAB>use<TAB>comment` row.
    fn add_line(&mut self, line: &str) -> Result<(), String> {
        let mut columns = line.split('\t');
        let bytes = parse_bytes(columns.next().unwrap_or(""))?;
        let text = columns.next().ok_or("missing code points")?;
        let usage = columns.next().ok_or("missing use column")?;
        if text == "-" {
            let [byte] = bytes[..] else {
                return Err("only a single byte can be undefined".into());
            };
            self.single[usize::from(byte)] = None;
            return Ok(());
        }
        let text = parse_code_points(text)?;
        match bytes[..] {
            [byte] => self.single[usize::from(byte)] = Some(text.clone()),
            [first, second] => {
                self.starts_pair[usize::from(first)] = true;
                self.pairs.insert([first, second], text.clone());
            }
            _ => return Err("sequences are one or two bytes".into()),
        }
        match usage {
            "both" => self.add_reverse(&text, bytes)?,
            "decode" => {}
            other => return Err(format!("unknown use `{other}` (both, decode)")),
        }
        Ok(())
    }

    /// Records the bytes the encoder writes for a one-character entry.
    fn add_reverse(&mut self, text: &str, bytes: Vec<u8>) -> Result<(), String> {
        let mut chars = text.chars();
        let (Some(c), None) = (chars.next(), chars.next()) else {
            return Err("an encodable entry is one character".into());
        };
        if is_tone_mark(c) {
            self.marks.push(c);
        }
        if self.reverse.insert(c, bytes).is_some() {
            return Err(format!("U+{:04X} is encoded twice", u32::from(c)));
        }
        Ok(())
    }

    /// ASCII characters encode as themselves unless the encoding reuses their byte.
    fn add_ascii_reverse(&mut self) {
        for byte in 0u8..0x80 {
            let c = char::from(byte);
            if self.single[usize::from(byte)].as_deref() == Some(c.encode_utf8(&mut [0; 4])) {
                self.reverse.entry(c).or_insert_with(|| vec![byte]);
            }
        }
    }

    /// Whether the byte decodes to a letter although it is a C0 control in ASCII
    /// (glibc's TCVN5712-1 capitals in 0x01-0x17).
    pub(crate) fn is_letter_byte(&self, byte: u8) -> bool {
        byte < 0x20
            && self.single[usize::from(byte)]
                .as_deref()
                .is_some_and(|s| s.chars().all(char::is_alphabetic))
    }

    /// Decodes bytes, taking the longest sequence that matches at each position.
    /// Returns the offset of the first byte the encoding does not define.
    pub(crate) fn decode(&self, bytes: &[u8]) -> Result<String, usize> {
        let mut text = String::with_capacity(bytes.len() + bytes.len() / 2);
        let mut i = 0;
        while let Some(&byte) = bytes.get(i) {
            if self.starts_pair[usize::from(byte)] {
                if let Some(pair) = bytes
                    .get(i + 1)
                    .and_then(|&next| self.pairs.get(&[byte, next]))
                {
                    text.push_str(pair);
                    i += 2;
                    continue;
                }
            }
            match &self.single[usize::from(byte)] {
                Some(s) => text.push_str(s),
                None => return Err(i),
            }
            i += 1;
        }
        Ok(text)
    }

    /// Encodes NFC text; a character with no bytes is an error that names it.
    pub(crate) fn encode(&self, text: &str) -> Result<Vec<u8>, EncodeError> {
        let mut out = Vec::with_capacity(text.len());
        for (offset, c) in text.nfc().enumerate() {
            if let Some(bytes) = self.reverse.get(&c) {
                out.extend_from_slice(bytes);
            } else if let Some((base, mark)) = self.base_and_mark(c) {
                out.extend_from_slice(base);
                out.extend_from_slice(mark);
            } else {
                return Err(EncodeError::Unrepresentable {
                    character: c,
                    offset,
                    encoding: self.encoding,
                });
            }
        }
        Ok(out)
    }

    /// Splits a letter into a base the table has and a tone mark the table has, the way
    /// Windows-1258 writes `ấ` as `â` + combining acute.
    fn base_and_mark(&self, c: char) -> Option<(&[u8], &[u8])> {
        let decomposed: String = c.to_string().nfd().collect();
        self.marks.iter().find_map(|&mark| {
            if !decomposed.contains(mark) {
                return None;
            }
            let rest: String = decomposed.chars().filter(|&d| d != mark).nfc().collect();
            let mut rest_chars = rest.chars();
            let (Some(base), None) = (rest_chars.next(), rest_chars.next()) else {
                return None;
            };
            Some((
                self.reverse.get(&base)?.as_slice(),
                self.reverse.get(&mark)?.as_slice(),
            ))
        })
    }
}

/// The five Vietnamese tone marks as combining characters.
pub(crate) fn is_tone_mark(c: char) -> bool {
    matches!(c, '\u{300}' | '\u{301}' | '\u{303}' | '\u{309}' | '\u{323}')
}

/// `41 b5` → `[0x41, 0xb5]`.
fn parse_bytes(column: &str) -> Result<Vec<u8>, String> {
    let bytes = column
        .split(' ')
        .map(|hex| u8::from_str_radix(hex, 16).map_err(|_| format!("bad byte `{hex}`")))
        .collect::<Result<Vec<u8>, String>>()?;
    if bytes.is_empty() {
        return Err("no bytes".into());
    }
    Ok(bytes)
}

/// `U+00C0 U+0300` → `"À\u{300}"`.
fn parse_code_points(column: &str) -> Result<String, String> {
    column
        .split(' ')
        .map(|cp| {
            cp.strip_prefix("U+")
                .and_then(|hex| u32::from_str_radix(hex, 16).ok())
                .and_then(char::from_u32)
                .ok_or_else(|| format!("bad code point `{cp}`"))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_table_parses() {
        for encoding in [Encoding::Windows1258, Encoding::Tcvn3, Encoding::Vni] {
            assert!(table(encoding).is_some());
        }
    }

    #[test]
    fn windows_1258_has_every_upper_byte_and_its_undefined_ones() {
        let t = table(Encoding::Windows1258).expect("table");
        assert_eq!(t.single.iter().filter(|s| s.is_none()).count(), 9);
        assert_eq!(t.decode(&[0xcc]), Ok("\u{300}".to_string()));
        assert_eq!(t.decode(&[0x81]), Err(0));
    }

    #[test]
    fn pairs_take_precedence_over_single_bytes() {
        let t = table(Encoding::Vni).expect("table");
        assert_eq!(t.decode(b"a\xf8"), Ok("à".to_string()));
        assert_eq!(t.decode(b"\xd4\xd9\xd4"), Ok("ỚƠ".to_string()));
    }

    #[test]
    fn encoding_splits_tone_marks_where_needed() {
        let t = table(Encoding::Windows1258).expect("table");
        assert_eq!(t.encode("ấ"), Ok(vec![0xe2, 0xec]));
        assert_eq!(t.encode("ặ"), Ok(vec![0xe3, 0xf2]));
        assert_eq!(t.encode("à"), Ok(vec![0xe0]));
    }
}
