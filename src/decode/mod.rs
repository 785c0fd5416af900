//! Stage 1: bytes to text.
//!
//! Vietnamese directives come as UTF-8, as UTF-16 from Windows tools, and as files from the years
//! before Unicode in the 8-bit encodings of the Vietnamese fonts: TCVN3/ABC (`.VnTime`),
//! VNI-Windows (`VNI-Times`) and Windows-1258. None of the legacy ones carries a label, and every
//! byte means something in each of them, so the encoding is chosen by decoding with each and
//! keeping the one whose text is made of Vietnamese syllables (`score`). Anything that no
//! encoding turns into Vietnamese is refused rather than passed on as mojibake.
//!
//! The byte tables are data in `rules/encodings/` (`table`); the same tables drive [`encode`],
//! which writes the round-trip fixtures.

mod score;
mod table;

use unicode_normalization::UnicodeNormalization;

/// The encodings vanban can read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Encoding {
    Utf8,
    Utf16Le,
    Utf16Be,
    Windows1258,
    Tcvn3,
    Vni,
}

impl Encoding {
    /// Every encoding, in the order of [`Encoding::name`]'s documentation.
    pub const ALL: [Encoding; 6] = [
        Encoding::Utf8,
        Encoding::Utf16Le,
        Encoding::Utf16Be,
        Encoding::Windows1258,
        Encoding::Tcvn3,
        Encoding::Vni,
    ];

    /// The name used in the record and on the command line.
    pub fn name(self) -> &'static str {
        match self {
            Encoding::Utf8 => "utf-8",
            Encoding::Utf16Le => "utf-16le",
            Encoding::Utf16Be => "utf-16be",
            Encoding::Windows1258 => "windows-1258",
            Encoding::Tcvn3 => "tcvn3",
            Encoding::Vni => "vni",
        }
    }

    /// Other names users and tools give the encoding (iconv, Python, font vendors).
    fn aliases(self) -> &'static [&'static str] {
        match self {
            Encoding::Utf8 => &["utf8"],
            Encoding::Utf16Le => &["utf16le", "utf-16-le", "utf16-le"],
            Encoding::Utf16Be => &["utf16be", "utf-16-be", "utf16-be"],
            Encoding::Windows1258 => &["cp1258", "windows1258", "win1258", "win-1258", "ms1258"],
            Encoding::Tcvn3 => &[
                "tcvn",
                "tcvn-3",
                "tcvn5712",
                "tcvn5712-1",
                "tcvn-5712",
                "tcvn5712:1993",
                "abc",
                "vn3",
                "vntime",
            ],
            Encoding::Vni => &["vni-windows", "vni-win", "vniwin", "vni-times"],
        }
    }
}

impl std::fmt::Display for Encoding {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// An encoding name that [`Encoding::from_str`](std::str::FromStr) does not know.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown encoding `{0}`; known: utf-8, utf-16le, utf-16be, windows-1258 (cp1258), tcvn3 (tcvn, abc, tcvn5712-1), vni (vni-windows)")]
pub struct UnknownEncoding(pub String);

impl std::str::FromStr for Encoding {
    type Err = UnknownEncoding;
    fn from_str(name: &str) -> Result<Self, Self::Err> {
        let wanted = name.trim().to_ascii_lowercase().replace('_', "-");
        Encoding::ALL
            .into_iter()
            .find(|e| e.name() == wanted || e.aliases().contains(&wanted.as_str()))
            .ok_or_else(|| UnknownEncoding(name.to_string()))
    }
}

/// Decoded text and the encoding it was read in.
#[derive(Debug, Clone)]
pub struct Decoded {
    /// The text in Unicode NFC, without a byte order mark.
    pub text: String,
    pub encoding: Encoding,
    /// Where UTF-8 that had a few invalid bytes was read with U+FFFD in their place: the
    /// (1-based line, 1-based column in characters) of each replacement, in the file.
    pub invalid: Vec<(u32, u32)>,
}

/// Why a file's bytes cannot be used as text.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DecodeError {
    #[error("empty file")]
    Empty,
    #[error("binary data, not text (NUL or control bytes at byte {offset})")]
    Binary { offset: usize },
    #[error("not UTF-8 and not a known Vietnamese legacy encoding")]
    Unknown,
    #[error("not valid {encoding}: bytes at byte {offset} cannot be decoded")]
    Invalid { encoding: Encoding, offset: usize },
    #[error("not valid {encoding}: odd number of bytes ({len})")]
    OddLength { encoding: Encoding, len: usize },
}

/// Why a text cannot be written in an encoding.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EncodeError {
    #[error("character `{character}` (U+{:04X}) at character {offset} cannot be written in {encoding}", u32::from(*character))]
    Unrepresentable {
        character: char,
        offset: usize,
        encoding: Encoding,
    },
}

/// Decodes the bytes of one input file, detecting the encoding unless `forced` names one.
///
/// Detection: a byte order mark decides; then valid UTF-8 wins; otherwise each legacy encoding is
/// tried and the one whose text is most Vietnamese, if any is Vietnamese enough, is taken.
pub fn decode(bytes: &[u8], forced: Option<Encoding>) -> Result<Decoded, DecodeError> {
    let bytes = strip_dos_eof(bytes);
    let decoded = match forced {
        Some(encoding) => decode_as(bytes, encoding).map(|text| (encoding, text)),
        None => detect(bytes),
    };
    let (encoding, text, invalid) = match decoded {
        Ok((encoding, text)) => (encoding, text, Vec::new()),
        Err(
            error @ DecodeError::Invalid {
                encoding: Encoding::Utf8,
                ..
            },
        ) => match lossy_utf8(bytes) {
            Some((text, invalid)) => (Encoding::Utf8, text, invalid),
            None => return Err(error),
        },
        Err(error) => return Err(error),
    };
    if text.chars().all(|c| c.is_whitespace() || c == '\u{feff}') {
        return Err(DecodeError::Empty);
    }
    let text = into_nfc(text);
    Ok(Decoded {
        text,
        encoding,
        invalid,
    })
}

/// UTF-8 with a few invalid bytes (see [`damaged_utf8`]) read with U+FFFD for each invalid
/// sequence, and where each stands; `None` when the text is mostly not UTF-8, or binary.
fn lossy_utf8(bytes: &[u8]) -> Option<(String, Vec<(u32, u32)>)> {
    damaged_utf8(bytes)?;
    let bytes = bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(bytes);
    let mut text = String::with_capacity(bytes.len());
    let mut invalid = Vec::new();
    let (mut line, mut column) = (1u32, 1u32);
    for chunk in bytes.utf8_chunks() {
        for c in chunk.valid().chars() {
            text.push(c);
            if c == '\n' {
                (line, column) = (line + 1, 1);
            } else {
                column += 1;
            }
        }
        if !chunk.invalid().is_empty() {
            text.push(char::REPLACEMENT_CHARACTER);
            invalid.push((line, column));
            column += 1;
        }
    }
    refuse_binary(text.char_indices().map(|(i, c)| (i, u32::from(c)))).ok()?;
    Some((text, invalid))
}

/// Writes text in an encoding, from the same tables the decoder reads. UTF-16 gets a byte order
/// mark, since without one the decoder does not recognise it; the legacy encodings get NFC text.
pub fn encode(text: &str, encoding: Encoding) -> Result<Vec<u8>, EncodeError> {
    match encoding {
        Encoding::Utf8 => Ok(text.as_bytes().to_vec()),
        Encoding::Utf16Le => Ok(std::iter::once(0xfeff)
            .chain(text.encode_utf16())
            .flat_map(u16::to_le_bytes)
            .collect()),
        Encoding::Utf16Be => Ok(std::iter::once(0xfeff)
            .chain(text.encode_utf16())
            .flat_map(u16::to_be_bytes)
            .collect()),
        Encoding::Windows1258 | Encoding::Tcvn3 | Encoding::Vni => match table::table(encoding) {
            Some(table) => table.encode(text),
            None => unreachable!("every legacy encoding has a table"),
        },
    }
}

/// Old DOS editors end a file with Ctrl-Z (0x1A); it is not part of the text.
fn strip_dos_eof(bytes: &[u8]) -> &[u8] {
    let end = bytes.iter().rposition(|&b| b != 0x1a).map_or(0, |i| i + 1);
    &bytes[..end]
}

/// The text without its byte order mark, in NFC. Most input already is NFC, and the quick
/// check that says so is several times faster than composing it again; a text that passes it
/// keeps its buffer, with no copy.
fn into_nfc(mut text: String) -> String {
    if text.starts_with('\u{feff}') {
        text.drain(..'\u{feff}'.len_utf8());
    }
    match unicode_normalization::is_nfc_quick(text.chars()) {
        unicode_normalization::IsNormalized::Yes => text,
        _ => text.nfc().collect(),
    }
}

/// Detects the encoding and decodes.
fn detect(bytes: &[u8]) -> Result<(Encoding, String), DecodeError> {
    if let Some(encoding) = bom_encoding(bytes) {
        return Ok((encoding, decode_as(bytes, encoding)?));
    }
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(DecodeError::Empty);
    }
    if let Some(offset) = bytes.iter().position(|&b| b == 0) {
        return Err(DecodeError::Binary { offset });
    }
    let controls = Controls::scan(bytes, |_| false);
    if let Ok(text) = std::str::from_utf8(bytes) {
        if controls.count == 0 {
            return Ok((Encoding::Utf8, text.to_string()));
        }
        // Plain ASCII with glibc's TCVN5712-1 capitals in the C0 range is valid UTF-8 too.
        if let Some(found) = best_legacy(bytes, &[Encoding::Tcvn3]) {
            return Ok(found);
        }
        controls.check()?;
        return Ok((Encoding::Utf8, text.to_string()));
    }
    let legacy = [Encoding::Tcvn3, Encoding::Vni, Encoding::Windows1258];
    best_legacy(bytes, &legacy).ok_or_else(|| match (controls.check(), damaged_utf8(bytes)) {
        (Err(binary), _) => binary,
        (Ok(()), Some(offset)) => DecodeError::Invalid {
            encoding: Encoding::Utf8,
            offset,
        },
        (Ok(()), None) => DecodeError::Unknown,
    })
}

/// UTF-8 with a few broken bytes (a truncated copy, one bad sector) is damaged UTF-8, not an
/// unknown encoding: [`decode`] then reads it with U+FFFD ([`lossy_utf8`]). Returns the offset
/// of the first bad byte when multi-byte characters outnumber bad bytes ten to one.
fn damaged_utf8(bytes: &[u8]) -> Option<usize> {
    let (mut multibyte, mut invalid, mut offset) = (0usize, 0usize, 0usize);
    let mut first_invalid = None;
    for chunk in bytes.utf8_chunks() {
        multibyte += chunk.valid().chars().filter(|c| !c.is_ascii()).count();
        offset += chunk.valid().len();
        if !chunk.invalid().is_empty() {
            invalid += chunk.invalid().len();
            first_invalid.get_or_insert(offset);
        }
        offset += chunk.invalid().len();
    }
    first_invalid.filter(|_| multibyte >= 10 * invalid)
}

/// The encoding a byte order mark declares.
fn bom_encoding(bytes: &[u8]) -> Option<Encoding> {
    if bytes.starts_with(b"\xef\xbb\xbf") {
        Some(Encoding::Utf8)
    } else if bytes.starts_with(b"\xff\xfe") {
        Some(Encoding::Utf16Le)
    } else if bytes.starts_with(b"\xfe\xff") {
        Some(Encoding::Utf16Be)
    } else {
        None
    }
}

/// How much of a file the candidates are scored on. A directive shows its encoding in its first
/// lines; scoring a bounded prefix keeps detection cheap on large files.
const SAMPLE_BYTES: usize = 256 * 1024;

/// Decodes each candidate and returns the most Vietnamese one that is Vietnamese enough.
fn best_legacy(bytes: &[u8], candidates: &[Encoding]) -> Option<(Encoding, String)> {
    let sample = sample(bytes);
    let whole = sample.len() == bytes.len();
    let mut ranked: Vec<(i64, Encoding, String)> = candidates
        .iter()
        .filter_map(|&encoding| {
            let text = decode_legacy(sample, encoding).ok()?;
            let assessment = score::assess(&text);
            assessment
                .is_vietnamese()
                .then(|| (assessment.score(), encoding, text))
        })
        .collect();
    ranked.sort_by_key(|&(score, _, _)| std::cmp::Reverse(score));
    // Past the sample the file may hold a byte the winner does not define: then the next one.
    ranked
        .into_iter()
        .find_map(|(_, encoding, text)| match whole {
            true => Some((encoding, text)),
            false => decode_legacy(bytes, encoding)
                .ok()
                .map(|text| (encoding, text)),
        })
}

/// The first [`SAMPLE_BYTES`] of a file, cut at a line break or space so that no two-byte
/// letter is split.
fn sample(bytes: &[u8]) -> &[u8] {
    if bytes.len() <= SAMPLE_BYTES {
        return bytes;
    }
    let head = &bytes[..SAMPLE_BYTES];
    let cut = head
        .iter()
        .rposition(|&b| b == b'\n')
        .or_else(|| head.iter().rposition(|&b| b == b' '));
    &bytes[..cut.unwrap_or(SAMPLE_BYTES)]
}

/// Decodes with a known encoding, refusing binary data and bytes the encoding does not define.
fn decode_as(bytes: &[u8], encoding: Encoding) -> Result<String, DecodeError> {
    match encoding {
        Encoding::Utf8 => decode_utf8(bytes),
        Encoding::Utf16Le => decode_utf16(bytes, encoding, u16::from_le_bytes, b"\xff\xfe"),
        Encoding::Utf16Be => decode_utf16(bytes, encoding, u16::from_be_bytes, b"\xfe\xff"),
        Encoding::Windows1258 | Encoding::Tcvn3 | Encoding::Vni => decode_legacy(bytes, encoding),
    }
}

fn decode_utf8(bytes: &[u8]) -> Result<String, DecodeError> {
    let bytes = bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(bytes);
    let text = std::str::from_utf8(bytes).map_err(|e| DecodeError::Invalid {
        encoding: Encoding::Utf8,
        offset: e.valid_up_to(),
    })?;
    refuse_binary(text.char_indices().map(|(i, c)| (i, u32::from(c))))?;
    Ok(text.to_string())
}

/// Decodes UTF-16 in the byte order `unit` reads, after an optional byte order mark.
fn decode_utf16(
    bytes: &[u8],
    encoding: Encoding,
    unit: fn([u8; 2]) -> u16,
    bom: &[u8],
) -> Result<String, DecodeError> {
    let start = if bytes.starts_with(bom) { 2 } else { 0 };
    let body = &bytes[start..];
    if !body.len().is_multiple_of(2) {
        return Err(DecodeError::OddLength {
            encoding,
            len: bytes.len(),
        });
    }
    let units: Vec<u16> = body
        .chunks_exact(2)
        .map(|pair| unit([pair[0], pair[1]]))
        .collect();
    refuse_binary(
        units
            .iter()
            .enumerate()
            .map(|(i, &u)| (start + 2 * i, u32::from(u))),
    )?;
    if let Some(i) = first_unpaired(&units) {
        return Err(DecodeError::Invalid {
            encoding,
            offset: start + 2 * i,
        });
    }
    Ok(char::decode_utf16(units)
        .map(|c| c.unwrap_or(char::REPLACEMENT_CHARACTER))
        .collect())
}

/// Index of the first unpaired surrogate, if any.
fn first_unpaired(units: &[u16]) -> Option<usize> {
    let mut i = 0;
    while let Some(&u) = units.get(i) {
        match u {
            0xd800..=0xdbff
                if units
                    .get(i + 1)
                    .is_some_and(|n| (0xdc00..=0xdfff).contains(n)) =>
            {
                i += 2
            }
            0xd800..=0xdfff => return Some(i),
            _ => i += 1,
        }
    }
    None
}

/// Decodes with a legacy table. Bytes in the C0 range that the table makes letters (TCVN3
/// capitals) are not control characters.
fn decode_legacy(bytes: &[u8], encoding: Encoding) -> Result<String, DecodeError> {
    let Some(table) = table::table(encoding) else {
        return decode_as(bytes, encoding);
    };
    if let Some(offset) = bytes.iter().position(|&b| b == 0) {
        return Err(DecodeError::Binary { offset });
    }
    Controls::scan(bytes, |b| table.is_letter_byte(b)).check()?;
    let text = table
        .decode(bytes)
        .map_err(|offset| DecodeError::Invalid { encoding, offset })?;
    Ok(match encoding {
        Encoding::Tcvn3 => capitalise_vntimeh_words(&text),
        _ => text,
    })
}

/// Refuses text with a NUL or with many control characters.
fn refuse_binary(chars: impl Iterator<Item = (usize, u32)>) -> Result<(), DecodeError> {
    let mut controls = Controls::default();
    for (offset, c) in chars {
        if c == 0 {
            return Err(DecodeError::Binary { offset });
        }
        controls.add(offset, c, |_| false);
    }
    controls.check()
}

/// The control characters of a text, other than tab, line feed, carriage return and form feed.
/// A few are tolerated (Word leaves vertical tabs and bell characters in exported text); many
/// mean the file is not text.
#[derive(Debug, Default)]
struct Controls {
    count: usize,
    first: Option<usize>,
    total: usize,
}

impl Controls {
    /// Scans bytes; `is_letter` exempts bytes that the encoding at hand makes letters.
    fn scan(bytes: &[u8], is_letter: impl Fn(u8) -> bool) -> Controls {
        let mut controls = Controls::default();
        for (offset, &b) in bytes.iter().enumerate() {
            controls.add(offset, u32::from(b), |c| {
                u8::try_from(c).is_ok_and(&is_letter)
            });
        }
        controls
    }

    fn add(&mut self, offset: usize, c: u32, is_letter: impl Fn(u32) -> bool) {
        self.total += 1;
        let control = (c < 0x20 && !matches!(c, 0x09 | 0x0a | 0x0c | 0x0d)) || c == 0x7f;
        if control && !is_letter(c) {
            self.count += 1;
            self.first.get_or_insert(offset);
        }
    }

    /// More than one control character in 200 is binary data.
    fn check(&self) -> Result<(), DecodeError> {
        match self.first {
            Some(offset) if self.count * 200 > self.total => Err(DecodeError::Binary { offset }),
            _ => Ok(()),
        }
    }
}

/// Real `.VnTimeH` files write capitals with the lowercase codes and let the font show them as
/// capitals (`QUYÕT §ÞNH` for QUYẾT ĐỊNH). In a word whose ASCII letters are all capitals, and at
/// least two, the lowercase Vietnamese letters are therefore capitals too.
fn capitalise_vntimeh_words(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut word = String::new();
    for c in text.chars() {
        if c.is_alphabetic() {
            word.push(c);
        } else {
            push_word(&mut out, &word);
            word.clear();
            out.push(c);
        }
    }
    push_word(&mut out, &word);
    out
}

fn push_word(out: &mut String, word: &str) {
    let ascii_capitals = word.chars().filter(char::is_ascii_uppercase).count();
    let ascii_lowercase = word.chars().any(|c| c.is_ascii_lowercase());
    let vietnamese_lowercase = word.chars().any(|c| !c.is_ascii() && c.is_lowercase());
    if ascii_capitals >= 2 && !ascii_lowercase && vietnamese_lowercase {
        out.extend(word.chars().flat_map(char::to_uppercase));
    } else {
        out.push_str(word);
    }
}

#[cfg(test)]
mod tests;
