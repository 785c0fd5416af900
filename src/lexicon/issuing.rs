//! Issuing bodies, from `rules/identity.yaml`: which body a header or a citation's `của ...`
//! names (`ỦY BAN NHÂN DÂN TỈNH ĐỒNG THÁP` and `UBND tỉnh` are both `UBND`), and whether a
//! ký hiệu code is of a central body (`TTg`, `QH15`) or of one that every locality has
//! (`UBND`, `HĐND`, `TU`, the sở codes).
//!
//! Names compare in the [`key`] form of `agencies.rs` (folded, punctuation as spaces). The
//! locality is not part of a body here; [`AgencyRules::locality_in`](super::AgencyRules::locality_in)
//! finds it.

use std::collections::HashSet;

use serde::Deserialize;

use super::agencies::key;
use crate::rules::{RuleSource, RulesError};

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct IdentityFile {
    bodies: Vec<BodyEntry>,
    titles: Vec<String>,
    central: Vec<String>,
    local: Vec<String>,
    #[serde(default)]
    central_heads: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct BodyEntry {
    code: String,
    names: Vec<String>,
}

/// Whether a ký hiệu code is of a central body, of a body each locality has, or neither.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    Central,
    Local,
    Unknown,
}

/// The issuing bodies, compiled.
#[derive(Debug, Default)]
pub struct IssuingBodies {
    /// (key of a name, its body's code), longest name first.
    names: Vec<(String, String)>,
    titles: Vec<String>,
    central: HashSet<String>,
    local: HashSet<String>,
    central_heads: Vec<String>,
}

/// A code as compared: its key without a trailing term number (`QH15` → `qh`).
fn code_key(code: &str) -> String {
    let k = key(code).replace(' ', "");
    let stem = k.trim_end_matches(|c: char| c.is_ascii_digit());
    if stem.is_empty() {
        k
    } else {
        stem.to_string()
    }
}

impl IssuingBodies {
    pub fn load(source: &RuleSource) -> Result<Self, RulesError> {
        let (origin, file): (_, IdentityFile) = source.yaml("identity.yaml")?;
        let mut names = Vec::new();
        for body in &file.bodies {
            if body.code.trim().is_empty() {
                return Err(RulesError::rule(&origin, "bodies", "a body without a code"));
            }
            for name in &body.names {
                names.push((key(name), body.code.clone()));
            }
        }
        names.sort_by(|a, b| b.0.len().cmp(&a.0.len()).then_with(|| a.0.cmp(&b.0)));
        Ok(IssuingBodies {
            names,
            titles: file.titles.iter().map(|t| key(t)).collect(),
            central: file.central.iter().map(|c| code_key(c)).collect(),
            local: file.local.iter().map(|c| code_key(c)).collect(),
            central_heads: file.central_heads.iter().map(|h| key(h)).collect(),
        })
    }

    /// The body a name stands for, with the locality still in it when not listed: a listed
    /// body's code (`UBND`), else the name's key after its head's title (`bo tai chinh`).
    /// `None` for an empty name.
    pub fn body(&self, name: &str) -> Option<String> {
        let mut k = key(name);
        loop {
            let stripped = self
                .titles
                .iter()
                .find_map(|t| k.strip_prefix(t.as_str()).filter(|r| r.starts_with(' ')));
            match stripped {
                Some(rest) if !rest.trim().is_empty() => k = rest.trim().to_string(),
                _ => break,
            }
        }
        if k.is_empty() {
            return None;
        }
        for (listed, code) in &self.names {
            let at_start = k.starts_with(listed.as_str())
                && k[listed.len()..].chars().next().is_none_or(|c| c == ' ');
            if at_start {
                return Some(code.clone());
            }
        }
        Some(k)
    }

    /// Whether a body (as [`IssuingBodies::body`] gives it) is central: its code is, or its
    /// name opens with a central head (`Bộ`) and `local` is false.
    pub fn is_central_body(&self, body: &str, has_locality: bool) -> bool {
        if self.central.contains(&code_key(body)) {
            return true;
        }
        !has_locality
            && self
                .central_heads
                .iter()
                .any(|h| body.starts_with(h.as_str()) && body[h.len()..].starts_with(' '))
    }

    /// The issuer code a ký hiệu carries and its scope: the last part (split at `-` and `/`)
    /// that `identity.yaml` lists, else [`Scope::Unknown`] with the last part that is not a
    /// number. `KH-UBND` → `UBND`, local; `36-CT/TW` → `TW`, central; `UBND-VHXH` → `UBND`.
    pub fn code_of(&self, symbol: &str) -> (Option<String>, Scope) {
        let parts: Vec<&str> = symbol
            .split(['-', '/'])
            .map(str::trim)
            .filter(|p| !p.is_empty() && !p.chars().all(|c| c.is_ascii_digit()))
            .collect();
        for part in parts.iter().rev() {
            let k = code_key(part);
            if self.central.contains(&k) {
                return (Some(part.to_string()), Scope::Central);
            }
            if self.local.contains(&k) {
                return (Some(part.to_string()), Scope::Local);
            }
        }
        (parts.last().map(|p| p.to_string()), Scope::Unknown)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bodies() -> IssuingBodies {
        IssuingBodies::load(&RuleSource::built_in()).unwrap()
    }

    #[test]
    fn a_header_and_a_citation_name_one_body() {
        let b = bodies();
        assert_eq!(b.body("ỦY BAN NHÂN DÂN TỈNH ĐỒNG THÁP").unwrap(), "UBND");
        assert_eq!(b.body("UBND tỉnh").unwrap(), "UBND");
        assert_eq!(
            b.body("Chủ tịch Ủy ban nhân dân thành phố").unwrap(),
            "UBND"
        );
        assert_eq!(b.body("HĐND Thành phố").unwrap(), "HĐND");
        assert_eq!(b.body("Ban Thường vụ Tỉnh ủy").unwrap(), "TU");
        assert_eq!(b.body("Bộ trưởng Bộ Tài chính").unwrap(), "bo tai chinh");
        assert_eq!(b.body("Thủ tướng Chính phủ").unwrap(), "TTg");
        assert!(b.is_central_body("bo tai chinh", false));
        assert!(!b.is_central_body("UBND", false));
    }

    #[test]
    fn codes_and_their_scope() {
        let b = bodies();
        assert_eq!(b.code_of("KH-UBND"), (Some("UBND".into()), Scope::Local));
        assert_eq!(b.code_of("UBND-VHXH"), (Some("UBND".into()), Scope::Local));
        assert_eq!(
            b.code_of("2024/QH15"),
            (Some("QH15".into()), Scope::Central)
        );
        assert_eq!(b.code_of("CT/TW"), (Some("TW".into()), Scope::Central));
        assert_eq!(b.code_of("CV-BCĐ"), (Some("BCĐ".into()), Scope::Unknown));
    }
}
