//! The số/ký hiệu of a document: `1790/CV-BCĐ`, `94/2010/NĐ-CP`, `36-CT/TW`.
//!
//! Shared by the header (the document's own number) and the citations (numbers it cites).

use std::sync::OnceLock;

use regex::Regex;

use crate::lexicon::Lexicon;

/// A parsed số/ký hiệu.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DocNumber {
    /// Number, year and symbol rejoined, canonical capitalisation, no spaces.
    pub id: String,
    /// As written, leading zeros kept: `0129`.
    pub number: String,
    /// The year a normative document carries: `2010` in `94/2010/NĐ-CP`.
    pub year: Option<String>,
    /// `CV-BCĐ`, `NĐ-CP`, `CT/TW`.
    pub symbol: String,
    /// The type code when the symbol has a known one (`KH`, `QĐ`, `CT`), canonical case.
    pub type_code: Option<String>,
    /// True for Party documents (`36-CT/TW`): number, hyphen, code, slash, organ.
    pub party: bool,
}

fn pattern() -> &'static Regex {
    static PATTERN: OnceLock<Regex> = OnceLock::new();
    PATTERN.get_or_init(|| {
        // A symbol part: letters (with Vietnamese ones), digits, &, and one trailing digit run.
        let part = r"[\p{L}&][\p{L}\d&]*|\d+[\p{L}][\p{L}\d&]*";
        Regex::new(&format!(
            r"^(?P<number>\d{{1,6}}(?:\.\d{{1,3}})?[a-z]?)(?:-(?P<pcode>(?:{part})(?:-(?:{part}))*)/(?P<porg>(?:{part})(?:[-.](?:{part}|\d+))*)|/(?:(?P<year>(?:19|20)\d\d)/)?(?P<symbol>(?:{part})(?:[-/](?:{part}|\d+))*))"
        ))
        .expect("số/ký hiệu pattern compiles")
    })
}

/// Parses a số/ký hiệu at the start of `raw`. Spaces inside (OCR: `1790 /CV-BCĐ`) are
/// ignored. Returns the parsed number and how many bytes of the space-free text it used.
pub fn parse(raw: &str, rules: &Lexicon) -> Option<DocNumber> {
    let compact: String = raw
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '*')
        .collect();
    let caps = pattern().captures(&compact)?;
    let number = caps["number"].to_string();
    if let (Some(code), Some(org)) = (caps.name("pcode"), caps.name("porg")) {
        let code = canonical_part(code.as_str(), rules);
        let org = canonical_symbol(org.as_str(), rules);
        let symbol = format!("{code}/{org}");
        let type_code = type_code_of(&code, rules);
        return Some(DocNumber {
            id: format!("{number}-{symbol}"),
            number,
            year: None,
            symbol,
            type_code,
            party: true,
        });
    }
    let year = caps.name("year").map(|m| m.as_str().to_string());
    let symbol = canonical_symbol(caps.name("symbol")?.as_str(), rules);
    let first = symbol.split(['-', '/']).next().unwrap_or("");
    let type_code = type_code_of(first, rules);
    let id = match &year {
        Some(year) => format!("{number}/{year}/{symbol}"),
        None => format!("{number}/{symbol}"),
    };
    Some(DocNumber {
        id,
        number,
        year,
        symbol,
        type_code,
        party: false,
    })
}

/// A số/ký hiệu with its number left blank, as a draft or a caption prints it
/// (`/2025/NQ-CP`): the year and symbol, with `number` and `id` empty.
pub fn parse_unnumbered(raw: &str, rules: &Lexicon) -> Option<DocNumber> {
    let rest = raw.trim_start().strip_prefix('/')?;
    let mut parsed = parse(&format!("0/{rest}"), rules)?;
    parsed.number.clear();
    parsed.id.clear();
    (!parsed.party).then_some(parsed)
}

fn type_code_of(code: &str, rules: &Lexicon) -> Option<String> {
    rules.doctypes.canonical_code(code).map(str::to_string)
}

/// Each hyphen- or slash-separated part in its canonical capitalisation when it is a known
/// type or issuer code (`QĐ-TTG` → `QĐ-TTg`); unknown parts as written.
pub fn canonical_symbol(symbol: &str, rules: &Lexicon) -> String {
    let mut out = String::with_capacity(symbol.len());
    let mut part = String::new();
    for c in symbol.chars() {
        if matches!(c, '-' | '/' | '.') {
            out.push_str(&canonical_part(&part, rules));
            out.push(c);
            part.clear();
        } else {
            part.push(c);
        }
    }
    out.push_str(&canonical_part(&part, rules));
    out
}

fn canonical_part(part: &str, rules: &Lexicon) -> String {
    if let Some(code) = rules.doctypes.canonical_code(part) {
        return code.to_string();
    }
    if let Some(code) = rules.issuers.canonical_code(part) {
        return code;
    }
    part.to_string()
}

/// The key under which two spellings of one id compare equal: case, diacritics and spaces
/// ignored (`291/QD-TTG` finds `291/QĐ-TTg`).
pub fn id_key(id: &str) -> String {
    crate::text::fold(id).replace(' ', "")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rules() -> Lexicon {
        Lexicon::built_in().unwrap()
    }

    #[test]
    fn ocr_space_before_slash() {
        let n = parse("1790 /CV-BCĐ", &rules()).unwrap();
        assert_eq!(
            (n.id.as_str(), n.number.as_str(), n.symbol.as_str()),
            ("1790/CV-BCĐ", "1790", "CV-BCĐ")
        );
        assert_eq!(n.type_code.as_deref(), Some("CV"));
    }

    #[test]
    fn leading_zero_is_kept() {
        let n = parse("0129/KH-UBND", &rules()).unwrap();
        assert_eq!(n.number, "0129");
        assert_eq!(n.id, "0129/KH-UBND");
    }

    #[test]
    fn party_document() {
        let n = parse("36-CT/TW", &rules()).unwrap();
        assert_eq!((n.number.as_str(), n.symbol.as_str()), ("36", "CT/TW"));
        assert!(n.party);
        assert_eq!(
            parse("459-KHHĐ/TU", &rules()).unwrap().type_code.as_deref(),
            Some("KHHĐ")
        );
        assert_eq!(
            parse("1147-QĐ/BTGDVTW", &rules()).unwrap().id,
            "1147-QĐ/BTGDVTW"
        );
    }

    #[test]
    fn normative_document_with_year() {
        let n = parse("94/2010/NĐ-CP", &rules()).unwrap();
        assert_eq!(
            (n.year.as_deref(), n.symbol.as_str()),
            (Some("2010"), "NĐ-CP")
        );
        let n = parse("202/2025/QH15", &rules()).unwrap();
        assert_eq!(
            (n.id.as_str(), n.symbol.as_str(), n.type_code),
            ("202/2025/QH15", "QH15", None)
        );
        let n = parse("144/2025/QĐ-CTUBND", &rules()).unwrap();
        assert_eq!(n.id, "144/2025/QĐ-CTUBND");
        assert_eq!(parse("66.2/2025/NQ-CP", &rules()).unwrap().number, "66.2");
    }

    #[test]
    fn canonical_capitalisation() {
        assert_eq!(parse("291/QĐ-TTG", &rules()).unwrap().id, "291/QĐ-TTg");
        assert_eq!(parse("03/nq-cp", &rules()).unwrap().id, "03/NQ-CP");
    }

    #[test]
    fn cong_van_symbol_has_no_type_code() {
        let n = parse("2420/VPCP-KGVX", &rules()).unwrap();
        assert_eq!(n.type_code, None);
        assert_eq!(
            parse("1539/VLO-QLDN3", &rules()).unwrap().id,
            "1539/VLO-QLDN3"
        );
    }

    #[test]
    fn id_key_ignores_case_and_diacritics() {
        assert_eq!(id_key("291/QD-TTG"), id_key("291/QĐ-TTg"));
    }
}
