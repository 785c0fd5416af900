//! The normalise stage's own rules, from `rules/normalise.yaml`: tone placement, OCR noise,
//! page stamps and portal boilerplate.

use serde::Deserialize;

use crate::rules::{RuleSource, RulesError};

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
#[serde(deny_unknown_fields)]
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
    pub(crate) fn load(source: &RuleSource) -> Result<Self, RulesError> {
        let (origin, file): (_, NormaliseFile) = source.yaml("normalise.yaml")?;
        let compile = |patterns: &[String], case_insensitive: bool, key: &str| {
            regex::RegexSetBuilder::new(patterns)
                .case_insensitive(case_insensitive)
                .build()
                .map_err(|e| RulesError::rule(&origin, key, e))
        };
        Ok(NormaliseRules {
            tone_style: file.tone_style,
            noise_tokens: noise_token_pattern(&file.ocr_noise_tokens)
                .map_err(|e| RulesError::rule(&origin, "ocr_noise_tokens", e))?,
            noise_lines: compile(&file.noise_lines, false, "noise_lines")?,
            boilerplate_lines: compile(&file.boilerplate_lines, true, "boilerplate_lines")?,
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
