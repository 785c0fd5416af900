//! Document types (`KH` is Kế hoạch, `KẾ HOẠCH` heads one) and issuer codes (`TTg`, `QH15`).

use std::collections::HashMap;

use serde::Deserialize;

use crate::rules::{RuleSource, RulesError};
use crate::text::{fold, is_upper};

/// One document type.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
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
    /// How the document names itself in an annex caption or an adoption formula.
    pub self_reference: super::self_reference::SelfReferenceRules,
    /// Upper-cased code → index into `types`.
    by_code: HashMap<String, usize>,
    /// Folded heading or name → index.
    by_name: HashMap<String, usize>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct DocTypesFile {
    types: Vec<DocType>,
    default_type: String,
    #[serde(default)]
    attachment_headings: Vec<String>,
    #[serde(default)]
    self_reference: Option<super::self_reference::SelfReferenceFile>,
}

impl DocTypes {
    pub(crate) fn load(source: &RuleSource) -> Result<Self, RulesError> {
        let (origin, file): (_, DocTypesFile) = source.yaml("doctypes.yaml")?;
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
        let self_reference = super::self_reference::SelfReferenceRules::compile(
            file.self_reference.unwrap_or_default(),
            &file
                .types
                .iter()
                .map(|t| t.name.as_str())
                .collect::<Vec<_>>(),
            &origin,
        )?;
        Ok(DocTypes {
            self_reference,
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
#[serde(deny_unknown_fields)]
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
#[serde(deny_unknown_fields)]
struct IssuersFile {
    issuers: Vec<Issuer>,
}

impl Issuers {
    pub(crate) fn load(source: &RuleSource) -> Result<Self, RulesError> {
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

impl DocTypes {
    /// A heading that names a document type: `KẾ HOẠCH`, `QUYẾT ĐỊNH`, `THÔNG BÁO`.
    pub fn is_type_heading(&self, line: &str) -> bool {
        is_upper(line) && self.by_name(line.trim_end_matches([':', '.'])).is_some()
    }
}
