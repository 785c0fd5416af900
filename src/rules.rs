//! Recognition data that is not code: the files under `rules/`.
//!
//! Every file is read and compiled once, into [`Rules`], before any document is parsed.
//! The copies in the repository are built into the binary, so `vanban` works from any folder;
//! `--rules DIR` (or `VANBAN_RULES`) points it at an edited copy instead, file by file: a file
//! missing from DIR falls back to the built-in one.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::extract::agencies::AgencyRules;
use crate::extract::citations::CitationRules;
use crate::extract::obligations::ObligationRules;
use crate::text::fold;

/// The built-in rule files, by name.
const BUILT_IN: &[(&str, &str)] = &[
    ("doctypes.yaml", include_str!("../rules/doctypes.yaml")),
    ("issuers.yaml", include_str!("../rules/issuers.yaml")),
    ("normalise.yaml", include_str!("../rules/normalise.yaml")),
    ("signing.yaml", include_str!("../rules/signing.yaml")),
    ("citations.yaml", include_str!("../rules/citations.yaml")),
    ("laws.yaml", include_str!("../rules/laws.yaml")),
    ("agencies.yaml", include_str!("../rules/agencies.yaml")),
    (
        "obligations.yaml",
        include_str!("../rules/obligations.yaml"),
    ),
    ("layouts.yaml", include_str!("../rules/layouts.yaml")),
];

/// A rules file that could not be read or understood.
#[derive(Debug, thiserror::Error)]
pub enum RulesError {
    #[error("{path}: cannot read rules file: {source}")]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{file}: not a valid rules file: {message}")]
    Invalid { file: String, message: String },
}

impl RulesError {
    pub fn invalid(file: &str, message: impl std::fmt::Display) -> Self {
        RulesError::Invalid {
            file: file.to_string(),
            message: message.to_string(),
        }
    }
}

/// All recognition data, compiled.
#[derive(Debug)]
pub struct Rules {
    pub doctypes: DocTypes,
    pub issuers: Issuers,
    pub normalise: NormaliseRules,
    pub signing: SigningRules,
    pub citations: CitationRules,
    pub agencies: AgencyRules,
    pub obligations: ObligationRules,
    pub layouts: crate::read::LayoutRules,
}

/// Where rule files are read from.
pub struct RuleSource {
    dir: Option<PathBuf>,
}

impl RuleSource {
    /// The files built into the binary.
    pub fn built_in() -> Self {
        RuleSource { dir: None }
    }

    /// The files of `dir`, falling back to the built-in file for each one `dir` lacks.
    pub fn from_dir(dir: &Path) -> Self {
        RuleSource {
            dir: Some(dir.to_path_buf()),
        }
    }

    /// The text of one rules file: from the folder when it has the file, else built in.
    pub fn read(&self, name: &str) -> Result<(String, String), RulesError> {
        if let Some(dir) = &self.dir {
            let path = dir.join(name);
            if path.exists() {
                let text = std::fs::read_to_string(&path).map_err(|source| RulesError::Read {
                    path: path.clone(),
                    source,
                })?;
                return Ok((path.display().to_string(), text));
            }
        }
        let text = BUILT_IN
            .iter()
            .find(|(file, _)| *file == name)
            .map(|(_, text)| text.to_string())
            .ok_or_else(|| RulesError::invalid(name, "no such rules file"))?;
        Ok((format!("rules/{name} (built in)"), text))
    }

    /// Reads and deserialises one YAML rules file.
    pub fn yaml<T: serde::de::DeserializeOwned>(
        &self,
        name: &str,
    ) -> Result<(String, T), RulesError> {
        let (origin, text) = self.read(name)?;
        let value = serde_yaml::from_str(&text).map_err(|e| RulesError::invalid(&origin, e))?;
        Ok((origin, value))
    }
}

impl Rules {
    /// The rules built into the binary.
    pub fn built_in() -> Result<Rules, RulesError> {
        Rules::load(None)
    }

    /// The rules of `dir`, falling back to the built-in file for each one `dir` lacks.
    pub fn load(dir: Option<&Path>) -> Result<Rules, RulesError> {
        let source = dir.map_or_else(RuleSource::built_in, RuleSource::from_dir);
        Ok(Rules {
            doctypes: DocTypes::load(&source)?,
            issuers: Issuers::load(&source)?,
            normalise: NormaliseRules::load(&source)?,
            signing: SigningRules::load(&source)?,
            citations: CitationRules::load(&source)?,
            agencies: AgencyRules::load(&source)?,
            obligations: ObligationRules::load(&source)?,
            layouts: crate::read::LayoutRules::load(&source)?,
        })
    }
}

/// One document type.
#[derive(Debug, Clone, Deserialize)]
pub struct DocType {
    pub name: String,
    #[serde(default)]
    pub codes: Vec<String>,
    #[serde(default)]
    pub heading: Option<String>,
    #[serde(default)]
    pub normative: bool,
    #[serde(default)]
    pub overrides_heading: bool,
}

/// Document types by code and by heading.
#[derive(Debug)]
pub struct DocTypes {
    pub types: Vec<DocType>,
    pub default_type: String,
    /// Folded headings that open an attachment (`phu luc`, `danh muc`).
    pub attachment_headings: Vec<String>,
    /// Upper-cased code → index into `types`.
    by_code: HashMap<String, usize>,
    /// Folded heading or name → index.
    by_name: HashMap<String, usize>,
}

#[derive(Deserialize)]
struct DocTypesFile {
    types: Vec<DocType>,
    default_type: String,
    #[serde(default)]
    attachment_headings: Vec<String>,
}

impl DocTypes {
    fn load(source: &RuleSource) -> Result<Self, RulesError> {
        let (_, file): (_, DocTypesFile) = source.yaml("doctypes.yaml")?;
        let mut by_code = HashMap::new();
        let mut by_name = HashMap::new();
        for (index, doc_type) in file.types.iter().enumerate() {
            for code in &doc_type.codes {
                by_code.insert(code.to_uppercase(), index);
            }
            by_name.insert(fold(&doc_type.name), index);
            if let Some(heading) = &doc_type.heading {
                by_name.insert(fold(heading), index);
            }
        }
        Ok(DocTypes {
            types: file.types,
            default_type: file.default_type,
            attachment_headings: file.attachment_headings.iter().map(|h| fold(h)).collect(),
            by_code,
            by_name,
        })
    }

    /// The type a ký hiệu code stands for, ignoring case (`qđ`, `QĐ`).
    pub fn by_code(&self, code: &str) -> Option<&DocType> {
        self.by_code
            .get(&code.to_uppercase())
            .map(|&i| &self.types[i])
    }

    /// The type named by a heading or a word in running text (`KẾ HOẠCH`, `Quyết định`).
    pub fn by_name(&self, name: &str) -> Option<&DocType> {
        self.by_name.get(&fold(name)).map(|&i| &self.types[i])
    }

    /// The code in its canonical capitalisation, when it is a known type code.
    pub fn canonical_code(&self, code: &str) -> Option<&str> {
        let doc_type = self.by_code(code)?;
        doc_type
            .codes
            .iter()
            .find(|known| known.to_uppercase() == code.to_uppercase())
            .map(String::as_str)
    }

    /// Every type name, longest first, for building alternations in patterns.
    pub fn names_longest_first(&self) -> Vec<&str> {
        let mut names: Vec<&str> = self.types.iter().map(|t| t.name.as_str()).collect();
        names.sort_by_key(|name| std::cmp::Reverse(name.chars().count()));
        names
    }
}

/// One issuer code.
#[derive(Debug, Clone, Deserialize)]
pub struct Issuer {
    pub code: String,
    pub name: String,
    /// The code may carry a term number (QH15).
    #[serde(default)]
    pub numbered: bool,
}

/// Issuing bodies by their ký hiệu code.
#[derive(Debug)]
pub struct Issuers {
    pub issuers: Vec<Issuer>,
    by_code: HashMap<String, usize>,
}

#[derive(Deserialize)]
struct IssuersFile {
    issuers: Vec<Issuer>,
}

impl Issuers {
    fn load(source: &RuleSource) -> Result<Self, RulesError> {
        let (_, file): (_, IssuersFile) = source.yaml("issuers.yaml")?;
        let by_code = file
            .issuers
            .iter()
            .enumerate()
            .map(|(i, issuer)| (issuer.code.to_uppercase(), i))
            .collect();
        Ok(Issuers {
            issuers: file.issuers,
            by_code,
        })
    }

    /// The issuer a code stands for, ignoring case and, for numbered codes, the term (`QH15`).
    pub fn by_code(&self, code: &str) -> Option<&Issuer> {
        let upper = code.to_uppercase();
        if let Some(&i) = self.by_code.get(&upper) {
            return Some(&self.issuers[i]);
        }
        let stem = upper.trim_end_matches(|c: char| c.is_ascii_digit());
        if stem.len() < upper.len() {
            if let Some(&i) = self.by_code.get(stem) {
                if self.issuers[i].numbered {
                    return Some(&self.issuers[i]);
                }
            }
        }
        None
    }

    /// The code in canonical capitalisation (`TTG` → `TTg`, `qh15` → `QH15`).
    pub fn canonical_code(&self, code: &str) -> Option<String> {
        let issuer = self.by_code(code)?;
        let digits = &code[code.trim_end_matches(|c: char| c.is_ascii_digit()).len()..];
        if issuer.code.to_uppercase() == code.to_uppercase() {
            Some(issuer.code.clone())
        } else {
            Some(format!("{}{}", issuer.code, digits))
        }
    }
}

/// Where the tone mark goes in oa, oe, uy.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ToneStyle {
    /// hòa, khỏe, thủy (Nghị định 30/2020).
    New,
    /// hoà, khoẻ, thuỷ.
    Old,
}

/// Rules of the normalise stage.
#[derive(Debug)]
pub struct NormaliseRules {
    pub tone_style: ToneStyle,
    /// Emphasised OCR noise tokens (`*hu*`, `*[Signature]*`), all in one pattern.
    pub noise_tokens: Option<regex::Regex>,
    pub noise_lines: regex::RegexSet,
    pub boilerplate_lines: regex::RegexSet,
}

#[derive(Deserialize)]
struct NormaliseFile {
    tone_style: ToneStyle,
    #[serde(default)]
    ocr_noise_tokens: Vec<String>,
    #[serde(default)]
    noise_lines: Vec<String>,
    #[serde(default)]
    boilerplate_lines: Vec<String>,
}

impl NormaliseRules {
    fn load(source: &RuleSource) -> Result<Self, RulesError> {
        let (origin, file): (_, NormaliseFile) = source.yaml("normalise.yaml")?;
        let compile = |patterns: &[String], case_insensitive: bool| {
            regex::RegexSetBuilder::new(patterns)
                .case_insensitive(case_insensitive)
                .build()
                .map_err(|e| RulesError::invalid(&origin, e))
        };
        Ok(NormaliseRules {
            tone_style: file.tone_style,
            noise_tokens: noise_token_pattern(&file.ocr_noise_tokens)
                .map_err(|e| RulesError::invalid(&origin, e))?,
            noise_lines: compile(&file.noise_lines, false)?,
            boilerplate_lines: compile(&file.boilerplate_lines, true)?,
        })
    }
}

/// One pattern for every noise token, with the emphasis around it: `*hu*`, `**www**`.
fn noise_token_pattern(tokens: &[String]) -> Result<Option<regex::Regex>, regex::Error> {
    if tokens.is_empty() {
        return Ok(None);
    }
    let alternatives: Vec<String> = tokens.iter().map(|t| regex::escape(t)).collect();
    let pattern = format!(
        r"[*_]{{1,2}}\s*(?:{})\s*[*_]{{1,2}}",
        alternatives.join("|")
    );
    regex::Regex::new(&pattern).map(Some)
}

/// Rules of the signature block.
#[derive(Debug)]
pub struct SigningRules {
    /// Prefixes without their dot, upper case: `TM`, `KT`, `Q`, `TL`, `TUQ`.
    pub authorities: Vec<String>,
    /// Folded title openings, longest first.
    pub titles: Vec<String>,
    /// Ranks and degrees printed before a name, longest first.
    pub name_prefixes: Vec<String>,
}

#[derive(Deserialize)]
struct SigningFile {
    authorities: Vec<String>,
    titles: Vec<String>,
    #[serde(default)]
    name_prefixes: Vec<String>,
}

impl SigningRules {
    fn load(source: &RuleSource) -> Result<Self, RulesError> {
        let (_, file): (_, SigningFile) = source.yaml("signing.yaml")?;
        let mut authorities: Vec<String> = file
            .authorities
            .iter()
            .map(|a| a.trim_end_matches('.').to_uppercase())
            .collect();
        authorities.sort();
        authorities.dedup();
        let mut titles: Vec<String> = file.titles.iter().map(|t| fold(t)).collect();
        titles.sort_by_key(|t| std::cmp::Reverse(t.len()));
        let mut name_prefixes = file.name_prefixes;
        name_prefixes.sort_by_key(|p| std::cmp::Reverse(p.len()));
        Ok(SigningRules {
            authorities,
            titles,
            name_prefixes,
        })
    }

    /// How many words the longest title that opens `line` has (`TRƯỞNG BAN BAN CHÍNH SÁCH`
    /// → 2), or None when it opens with none.
    pub fn leading_title_words(&self, line: &str) -> Option<usize> {
        let folded = fold(line);
        self.titles
            .iter()
            .filter(|t| folded == **t || folded.starts_with(&format!("{t} ")))
            .map(|t| t.split(' ').count())
            .max()
    }

    /// True when the line opens with a signer's title (`PHÓ CHỦ TỊCH`, `Bộ trưởng`).
    pub fn starts_with_title(&self, line: &str) -> bool {
        let folded = fold(line);
        self.titles
            .iter()
            .any(|t| folded == *t || folded.starts_with(&format!("{t} ")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn built_in_rules_load() {
        let rules = Rules::built_in().expect("built-in rules load");
        assert_eq!(rules.doctypes.by_code("kh").unwrap().name, "Kế hoạch");
        assert_eq!(
            rules.doctypes.by_name("QUYẾT ĐỊNH").unwrap().name,
            "Quyết định"
        );
        assert_eq!(rules.doctypes.canonical_code("QĐ"), Some("QĐ"));
        assert_eq!(rules.issuers.canonical_code("TTG").as_deref(), Some("TTg"));
        assert_eq!(
            rules.issuers.canonical_code("qh15").as_deref(),
            Some("QH15")
        );
        assert_eq!(rules.issuers.by_code("QH15").unwrap().name, "Quốc hội");
    }

    #[test]
    fn doc_type_codes_distinguish_d_and_dd() {
        let rules = Rules::built_in().unwrap();
        assert_eq!(rules.doctypes.by_code("ĐA").unwrap().name, "Đề án");
        assert_eq!(rules.doctypes.by_code("DA").unwrap().name, "Dự án");
    }

    #[test]
    fn signer_titles_are_recognised_in_any_case() {
        let rules = Rules::built_in().unwrap();
        assert!(rules.signing.starts_with_title("PHÓ CHỦ TỊCH"));
        assert!(rules.signing.starts_with_title("Trưởng ban"));
        assert!(!rules.signing.starts_with_title("Lê Hồng Sơn"));
    }
}
