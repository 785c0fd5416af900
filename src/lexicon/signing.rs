//! The signature block's vocabulary, from `rules/signing.yaml`: signing prefixes (`TM.`,
//! `KT.`, `Q.`, `TL.`, `TUQ.`, and their Party spellings `T/M`, `K/T`, `T/L`), title openings
//! (`PHÓ CHỦ TỊCH`), and ranks printed before a name.

use regex::Regex;
use serde::Deserialize;

use crate::rules::{RuleSource, RulesError};
use crate::text::fold;

/// On whose behalf a document is signed (Nghị định 30/2020, Phụ lục I).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize)]
pub enum Authority {
    /// `TM.`, thay mặt: for a collective body.
    #[serde(rename = "TM.")]
    Tm,
    /// `KT.`, ký thay: a deputy for the head.
    #[serde(rename = "KT.")]
    Kt,
    /// `Q.`, quyền: an acting head.
    #[serde(rename = "Q.")]
    Q,
    /// `TL.`, thừa lệnh: by order of the head.
    #[serde(rename = "TL.")]
    Tl,
    /// `TUQ.`, thừa ủy quyền: by delegation.
    #[serde(rename = "TUQ.")]
    Tuq,
}

impl Authority {
    /// As the record writes it: `TM.`, `KT.`, `Q.`, `TL.`, `TUQ.`.
    pub fn as_str(self) -> &'static str {
        match self {
            Authority::Tm => "TM.",
            Authority::Kt => "KT.",
            Authority::Q => "Q.",
            Authority::Tl => "TL.",
            Authority::Tuq => "TUQ.",
        }
    }
}

/// A signing prefix at the start of a line, and the words after it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Prefixed<'a> {
    pub authority: Authority,
    /// What follows the prefix: `ỦY BAN NHÂN DÂN`, `CHỦ TỊCH,`.
    pub rest: &'a str,
}

/// Compiled signing vocabulary.
#[derive(Debug)]
pub struct SigningRules {
    /// Each spelling, without its dot, and the authority it stands for.
    spellings: Vec<(String, Authority)>,
    /// A prefix, dotted or followed by a space, and an upper-case word: `^(KT)\s*\.\s*(CHỦ..)`.
    /// None when the rules list no prefix.
    at_start: Option<Regex>,
    /// A prefix as a block opens with it: a dotted spelling with its dot, a slashed one
    /// (`K/T`) followed by a space. None when the rules list no prefix.
    opener: Option<Regex>,
    /// Dotted prefixes of two letters or more, where a signature block run together into one
    /// line (`TM. CHÍNH PHỦKT. THỦ TƯỚNG`) is split. One-letter `Q.` is left alone: in a run
    /// of capitals it may be the end of a word.
    run_together: Option<Regex>,
    /// Folded title openings, longest first.
    pub titles: Vec<String>,
    /// Ranks and degrees printed before a name, longest first.
    pub name_prefixes: Vec<String>,
    /// Folded words that open the body's closing paragraph (`Trên đây là ...`).
    closing_openers: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SigningFile {
    authorities: Vec<AuthorityEntry>,
    titles: Vec<String>,
    #[serde(default)]
    name_prefixes: Vec<String>,
    #[serde(default)]
    closing_openers: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct AuthorityEntry {
    /// The authority, as the record writes it.
    prefix: Authority,
    /// Other spellings of it: `T/M`, `TM` without its dot.
    #[serde(default)]
    also: Vec<String>,
}

impl SigningRules {
    pub(crate) fn load(source: &RuleSource) -> Result<Self, RulesError> {
        let (origin, file): (_, SigningFile) = source.yaml("signing.yaml")?;
        let mut spellings: Vec<(String, Authority, bool)> = Vec::new();
        for entry in &file.authorities {
            let own = entry.prefix.as_str().trim_end_matches('.').to_string();
            spellings.push((own, entry.prefix, true));
            for other in &entry.also {
                let dotted = other.ends_with('.');
                spellings.push((
                    other.trim_end_matches('.').to_string(),
                    entry.prefix,
                    dotted,
                ));
            }
        }
        // Longest first, so that `TUQ` is not read as `TU` + `Q`.
        spellings.sort_by_key(|(s, _, _)| std::cmp::Reverse(s.len()));
        spellings.dedup_by(|a, b| a.0 == b.0);
        let compile = |pattern: String| {
            Regex::new(&pattern).map_err(|e| RulesError::rule(&origin, "authorities", e))
        };
        let alternation = |keep: &dyn Fn(&(String, Authority, bool)) -> bool| -> Option<String> {
            let kept: Vec<String> = spellings
                .iter()
                .filter(|s| keep(s))
                .map(|(s, _, _)| regex::escape(s))
                .collect();
            (!kept.is_empty()).then(|| kept.join("|"))
        };
        let at_start = alternation(&|_| true)
            .map(|all| compile(format!(r"^({all})(?:\s*\.\s*|\s+)(\p{{Lu}}.*)$")))
            .transpose()?;
        let dotted = alternation(&|s| s.2);
        let slashed = alternation(&|s| !s.2 && s.0.contains('/'));
        let opener = match (dotted, slashed) {
            (None, None) => None,
            (Some(d), None) => Some(compile(format!(r"^(?:{d})\s*\.\s*\p{{Lu}}"))?),
            (None, Some(s)) => Some(compile(format!(r"^(?:{s})\s"))?),
            (Some(d), Some(s)) => {
                Some(compile(format!(r"^(?:(?:{d})\s*\.\s*\p{{Lu}}|(?:{s})\s)"))?)
            }
        };
        let run_together = alternation(&|s| s.2 && s.0.chars().count() > 1)
            .map(|d| compile(format!(r"\((?i:đã ký)[^)]*\)|(?:{d})\.")))
            .transpose()?;
        let mut titles: Vec<String> = file.titles.iter().map(|t| fold(t)).collect();
        titles.sort_by_key(|t| std::cmp::Reverse(t.len()));
        let mut name_prefixes = file.name_prefixes;
        name_prefixes.sort_by_key(|p| std::cmp::Reverse(p.len()));
        Ok(SigningRules {
            spellings: spellings.into_iter().map(|(s, a, _)| (s, a)).collect(),
            at_start,
            opener,
            run_together,
            titles,
            name_prefixes,
            closing_openers: file.closing_openers.iter().map(|o| fold(o)).collect(),
        })
    }

    /// `KT. CHỦ TỊCH` → `KT.` and `CHỦ TỊCH`; `K/T BÍ THƯ` → `KT.` and `BÍ THƯ`.
    pub fn prefix<'a>(&self, line: &'a str) -> Option<Prefixed<'a>> {
        let caps = self.at_start.as_ref()?.captures(line)?;
        let written = caps.get(1)?.as_str();
        let authority = self
            .spellings
            .iter()
            .find(|(s, _)| s == written)
            .map(|(_, a)| *a)?;
        Some(Prefixed {
            authority,
            rest: caps.get(2)?.as_str(),
        })
    }

    /// True when `text` opens with a signing prefix as a signature block's line does.
    pub fn opens_block(&self, text: &str) -> bool {
        self.opener.as_ref().is_some_and(|re| re.is_match(text))
    }

    /// True when `text` opens, in capitals, with words that open the closing paragraph
    /// before the signature (`Trên đây là Kế hoạch ...`).
    pub fn opens_closing(&self, text: &str) -> bool {
        if !text.chars().next().is_some_and(char::is_uppercase) {
            return false;
        }
        let folded = fold(text);
        self.closing_openers.iter().any(|opener| {
            folded
                .strip_prefix(opener.as_str())
                .is_some_and(|rest| rest.is_empty() || rest.starts_with(' '))
        })
    }

    /// Where a signature block exported as one run of text breaks: before each signing
    /// prefix (`(start, start)`), and around `(Đã ký)` (`(start, end)`: the note is dropped).
    pub fn run_together_breaks(&self, line: &str) -> Vec<(usize, usize)> {
        let Some(re) = &self.run_together else {
            return Vec::new();
        };
        re.find_iter(line)
            .map(|m| {
                if m.as_str().starts_with('(') {
                    (m.start(), m.end())
                } else {
                    (m.start(), m.start())
                }
            })
            .collect()
    }

    /// How many words the longest title that opens `line` has (`TRƯỞNG BAN BAN CHÍNH SÁCH`
    /// → 2), or None when it opens with none.
    pub fn leading_title_words(&self, line: &str) -> Option<usize> {
        let folded = fold(line);
        self.titles
            .iter()
            .filter(|t| opens_with(&folded, t))
            .map(|t| t.split(' ').count())
            .max()
    }

    /// True when the line opens with a signer's title (`PHÓ CHỦ TỊCH`, `Bộ trưởng`).
    pub fn starts_with_title(&self, line: &str) -> bool {
        let folded = fold(line);
        self.titles.iter().any(|t| opens_with(&folded, t))
    }
}

/// `folded` is `title` or starts with it and a space.
fn opens_with(folded: &str, title: &str) -> bool {
    folded
        .strip_prefix(title)
        .is_some_and(|rest| rest.is_empty() || rest.starts_with(' '))
}

fn name_pattern() -> &'static Regex {
    static PATTERN: std::sync::OnceLock<Regex> = std::sync::OnceLock::new();
    PATTERN.get_or_init(|| {
        Regex::new(r"^\p{Lu}\p{Ll}*(?:\s+\p{Lu}\p{Ll}*){1,5}$").expect("name pattern compiles")
    })
}

/// A person's name as signed: two to six capitalised words (`Lê Hồng Sơn`).
pub fn is_person_name(line: &str) -> bool {
    name_pattern().is_match(line)
}

fn signed_note_pattern() -> &'static Regex {
    static PATTERN: std::sync::OnceLock<Regex> = std::sync::OnceLock::new();
    PATTERN.get_or_init(|| {
        Regex::new(r"^\(?\s*(?i:đã ký|chữ ký|ký,|ký tên|họ và tên|đã ký và đóng dấu)")
            .expect("signed note pattern compiles")
    })
}

/// The note a copy prints where the signature was: `(Đã ký)`, `(ký, ghi rõ họ tên)`.
pub fn is_signed_note(line: &str) -> bool {
    signed_note_pattern().is_match(line)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rules() -> SigningRules {
        SigningRules::load(&RuleSource::built_in()).unwrap()
    }

    #[test]
    fn prefixes_in_every_spelling() {
        let r = rules();
        let p = r.prefix("KT. CHỦ TỊCH").unwrap();
        assert_eq!((p.authority, p.rest), (Authority::Kt, "CHỦ TỊCH"));
        assert_eq!(
            r.prefix("T/M BAN THƯỜNG VỤ").unwrap().authority,
            Authority::Tm
        );
        assert_eq!(
            r.prefix("TUQ. BỘ TRƯỞNG").unwrap().authority,
            Authority::Tuq
        );
        assert_eq!(r.prefix("Q.GIÁM ĐỐC").unwrap().authority, Authority::Q);
        assert!(r.prefix("TRƯỞNG BAN").is_none());
    }

    #[test]
    fn block_openers_need_their_dot_or_slash() {
        let r = rules();
        assert!(r.opens_block("TM. ỦY BAN NHÂN DÂN"));
        assert!(r.opens_block("K/T BÍ THƯ"));
        assert!(!r.opens_block("TM ỦY BAN"));
        assert!(!r.opens_block("Quy định"));
    }

    #[test]
    fn no_prefixes_in_the_rules_recognise_none() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("signing.yaml"),
            "authorities: []\ntitles: []\n",
        )
        .unwrap();
        let r = SigningRules::load(&RuleSource::from_dir(dir.path()).unwrap()).unwrap();
        assert!(r.prefix("KT. CHỦ TỊCH").is_none());
        assert!(!r.opens_block("KT. CHỦ TỊCH"));
        assert!(r
            .run_together_breaks("TM. CHÍNH PHỦKT. THỦ TƯỚNG")
            .is_empty());
    }

    #[test]
    fn names_and_signed_notes() {
        assert!(is_person_name("Lê Hồng Sơn"));
        assert!(is_person_name("Nguyễn Lộc Hà"));
        assert!(!is_person_name("PHÓ CHỦ TỊCH"));
        assert!(!is_person_name("Như trên;"));
        assert!(is_signed_note("(Đã ký)"));
        assert!(!is_signed_note("Đặng Quốc Khánh"));
    }

    #[test]
    fn titles_in_any_case() {
        let r = rules();
        assert!(r.starts_with_title("PHÓ CHỦ TỊCH"));
        assert!(r.starts_with_title("Trưởng ban"));
        assert!(!r.starts_with_title("Lê Hồng Sơn"));
        assert_eq!(r.leading_title_words("TRƯỞNG BAN BAN CHÍNH SÁCH"), Some(2));
    }
}
