//! How a document names itself: an annex caption (`(Kèm theo Công văn số 123/UBND-KT ngày
//! 05/11/2025 của ...)`) and a Quốc hội text's adoption formula (`Luật này được Quốc hội ...
//! thông qua ngày 25 tháng 6 năm 2025`). CONTRACT.md lets them stand for the header's Số and
//! date lines when an export lost those; the phrases are in `rules/doctypes.yaml`.

use regex::Regex;
use serde::Deserialize;

use crate::lexicon::date::{self, CalendarDate};
use crate::lexicon::doc_number::{self, DocNumber};
use crate::lexicon::Lexicon;
use crate::rules::RulesError;

/// What a self-reference says of the document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SelfReference {
    /// The type it names (`Công văn`), as in `rules/doctypes.yaml`.
    pub doc_type: String,
    /// Its số/ký hiệu; one left blank (`số /2025/NQ-CP`) has an empty `number` and `id`.
    pub number: Option<DocNumber>,
    pub date: Option<CalendarDate>,
    /// True for an adoption formula, false for an annex caption.
    pub adoption: bool,
}

/// The `self_reference:` part of `rules/doctypes.yaml`.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SelfReferenceFile {
    #[serde(default)]
    caption: Vec<String>,
    #[serde(default)]
    adopters: Vec<String>,
    #[serde(default)]
    adoption: Option<String>,
}

/// The compiled recognisers; None where the rules give no phrases.
#[derive(Debug, Default)]
pub struct SelfReferenceRules {
    caption: Option<Regex>,
    adoption: Option<Adoption>,
}

/// The adoption formula, and the same pattern without its captures and word boundary.
///
/// The formula's Unicode `\b` keeps the regex crate off its DFA, so searching every
/// paragraph with it cost a sixth of a parse. The prefilter matches a superset and runs on
/// the DFA; only a paragraph it matches is searched with the formula.
#[derive(Debug)]
struct Adoption {
    prefilter: Regex,
    formula: Regex,
}

fn alternation(phrases: &[&str]) -> String {
    phrases
        .iter()
        .map(|p| regex::escape(p).replace(' ', r"\s+"))
        .collect::<Vec<_>>()
        .join("|")
}

impl SelfReferenceRules {
    pub(crate) fn compile(
        file: SelfReferenceFile,
        type_names: &[&str],
        origin: &str,
    ) -> Result<Self, RulesError> {
        let mut names: Vec<&str> = type_names.to_vec();
        names.sort_by_key(|n| std::cmp::Reverse(n.chars().count()));
        let types = alternation(&names);
        let compile = |p: String| Regex::new(&p).map_err(|e| RulesError::invalid(origin, e));
        let caption = (!file.caption.is_empty())
            .then(|| {
                let openers: Vec<&str> = file.caption.iter().map(String::as_str).collect();
                compile(format!(
                    r"(?i)^[\s(\[]*(?:{})\s+(?P<type>{types})\s+số\s*[:.]?\s*(?P<rest>.*)$",
                    alternation(&openers)
                ))
            })
            .transpose()?;
        let adoption = match (&file.adoption, file.adopters.is_empty()) {
            (Some(verb), false) => {
                let adopters: Vec<&str> = file.adopters.iter().map(String::as_str).collect();
                // The prefilter drops the captures (a DFA gives none) and the `\b`.
                let pattern = |capture: bool| {
                    let group = |name: &str, p: &str| match capture {
                        true => format!("(?P<{name}>{p})"),
                        false => format!("(?:{p})"),
                    };
                    format!(
                        r"(?i){}\s+này\s+(?:đã\s+)?được\s+(?:{}){}[^.;]*?{}\s+(?:vào\s+)?ngày\s*{}\s*tháng\s*{}\s*năm\s*{}",
                        group("type", &types),
                        alternation(&adopters),
                        if capture { r"\b" } else { "" },
                        alternation(&[verb.as_str()]),
                        group("d", r"\d{1,2}"),
                        group("m", r"\d{1,2}"),
                        group("y", r"\d{4}"),
                    )
                };
                Some(Adoption {
                    prefilter: compile(pattern(false))?,
                    formula: compile(pattern(true))?,
                })
            }
            _ => None,
        };
        Ok(SelfReferenceRules { caption, adoption })
    }
}

/// The self-reference `text` (one paragraph) makes, if it is one: a caption opens the
/// paragraph; an adoption formula may stand anywhere in it.
#[cfg(test)]
pub fn recognise(text: &str, lexicon: &Lexicon) -> Option<SelfReference> {
    caption(text, lexicon).or_else(|| adoption(text, lexicon))
}

/// An annex caption opening `text`: `(Kèm theo Công văn số 174/CV-BCĐ ngày ...)`.
pub fn caption(text: &str, lexicon: &Lexicon) -> Option<SelfReference> {
    let rules = &lexicon.doctypes.self_reference;
    if let Some(caps) = rules.caption.as_ref().and_then(|r| r.captures(text)) {
        let doc_type = lexicon.doctypes.by_name(&caps["type"])?.name.clone();
        let rest = &caps["rest"];
        let (token, after) = number_token(rest);
        let number = if token.starts_with('/') {
            doc_number::parse_unnumbered(&token, lexicon)
        } else {
            doc_number::parse(&token, lexicon)
        };
        return Some(SelfReference {
            doc_type,
            number,
            date: date::cited_date(after).map(|(d, ..)| d),
            adoption: false,
        });
    }
    None
}

/// An adoption formula anywhere in `text`: `Nghị quyết này được Ủy ban Thường vụ Quốc hội
/// ... thông qua ngày 07 tháng 02 năm 2025`.
pub fn adoption(text: &str, lexicon: &Lexicon) -> Option<SelfReference> {
    let rules = &lexicon.doctypes.self_reference;
    let adoption = rules.adoption.as_ref()?;
    if !adoption.prefilter.is_match(text) {
        return None;
    }
    let caps = adoption.formula.captures(text)?;
    let number = |name: &str| caps[name].parse::<u32>().ok();
    Some(SelfReference {
        doc_type: lexicon.doctypes.by_name(&caps["type"])?.name.clone(),
        number: None,
        date: CalendarDate::new(number("y")?, number("m")?, number("d")?),
        adoption: true,
    })
}

/// The số/ký hiệu at the start of `rest` (a space before its `/` allowed, as OCR writes
/// `1790 /CV-BCĐ`), and the text after it.
fn number_token(rest: &str) -> (String, &str) {
    let rest = rest.trim_start();
    let first_end = rest.find(char::is_whitespace).unwrap_or(rest.len());
    let mut token = rest[..first_end].to_string();
    let mut end = first_end;
    let next = rest[first_end..].trim_start();
    if next.starts_with('/') && !token.contains('/') {
        let skipped = rest.len() - next.len();
        let next_end = next.find(char::is_whitespace).unwrap_or(next.len());
        token.push_str(&next[..next_end]);
        end = skipped + next_end;
    }
    let token = token.trim_end_matches([')', ',', ';', '.']).to_string();
    (token, &rest[end..])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_annex_caption_names_the_document() {
        let lexicon = Lexicon::built_in().unwrap();
        let r = recognise(
            "(Kèm theo Công văn số 174/CV-BCĐ ngày 02 tháng 12 năm 2025 của Ban Chỉ đạo)",
            &lexicon,
        )
        .unwrap();
        assert_eq!(r.doc_type, "Công văn");
        assert_eq!(r.number.unwrap().id, "174/CV-BCĐ");
        assert_eq!(r.date.unwrap().iso(), "2025-12-02");
        let r = recognise(
            "Ban hành kèm theo Quyết định số 12 /QĐ-UBND ngày 5/11/2025)",
            &lexicon,
        )
        .unwrap();
        assert_eq!(r.number.unwrap().id, "12/QĐ-UBND");
        assert_eq!(r.date.unwrap().iso(), "2025-11-05");
        assert!(recognise("quy định tại Phụ lục I kèm theo Nghị định này.", &lexicon).is_none());
    }

    #[test]
    fn a_caption_with_the_number_left_blank_keeps_year_and_symbol() {
        let lexicon = Lexicon::built_in().unwrap();
        let r = recognise(
            "(Kèm theo Nghị quyết số /2025/NQ-CP ngày tháng năm 2025 của Chính phủ)",
            &lexicon,
        )
        .unwrap();
        let number = r.number.unwrap();
        assert_eq!((number.id.as_str(), number.number.as_str()), ("", ""));
        assert_eq!(number.year.as_deref(), Some("2025"));
        assert_eq!(number.symbol, "NQ-CP");
        assert!(r.date.is_none());
    }

    #[test]
    fn an_adoption_formula_dates_the_text() {
        let lexicon = Lexicon::built_in().unwrap();
        let r = recognise("Nghị quyết này được Ủy ban Thường vụ Quốc hội nước Cộng hòa xã hội chủ nghĩa Việt Nam khóa XV, phiên họp thứ 42 thông qua ngày 07 tháng 02 năm 2025.", &lexicon).unwrap();
        assert!(r.adoption);
        assert_eq!(r.doc_type, "Nghị quyết");
        assert_eq!(r.date.unwrap().iso(), "2025-02-07");
        assert!(recognise(
            "Nghị quyết này có hiệu lực thi hành từ ngày được thông qua.",
            &lexicon
        )
        .is_none());
    }
}
