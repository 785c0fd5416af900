//! File names inside a registry: one per document record and per agency, unique even on
//! case-insensitive file systems, and safe whatever an id or a name holds.

use std::collections::BTreeSet;

use crate::text::fold;

/// The file name of an agency: its name folded (no diacritics, lower case), words joined by
/// `-`: `Sở Y tế` → `so-y-te`. Unlike `agencies::slug`, safe as a file name whatever the
/// name holds: ASCII only, bounded length, never empty.
pub fn agency_slug(name: &str) -> String {
    let mut slug = String::new();
    for c in fold(name).chars() {
        if c.is_ascii_alphanumeric() {
            slug.push(c);
        } else if !slug.is_empty() && !slug.ends_with('-') {
            slug.push('-');
        }
    }
    let slug = truncate_bytes(slug.trim_end_matches('-'), 120)
        .trim_end_matches('-')
        .to_string();
    if slug.is_empty() {
        "agency".to_string()
    } else {
        slug
    }
}

/// A file name for an id: `/` becomes `_`, and whatever a file system refuses or treats
/// specially (`\ : * ? " < > |`, control characters, a leading dot) becomes `_` too.
pub fn record_stem(id: &str) -> String {
    let mut stem: String = id
        .chars()
        .map(|c| match c {
            '/' | '\\' | ':' | '*' | '?' | '"' | '<' | '>' | '|' | '#' | '%' => '_',
            c if c.is_control() || c.is_whitespace() => '_',
            c => c,
        })
        .collect();
    if stem.starts_with('.') || stem.starts_with('-') {
        stem.replace_range(0..1, "_");
    }
    let stem = truncate_bytes(&stem, 150).to_string();
    if stem.is_empty() {
        "_".to_string()
    } else {
        stem
    }
}

fn truncate_bytes(text: &str, max: usize) -> &str {
    &text[..crate::text::floor_boundary(text, max)]
}

/// Gives each stem a unique file name, also on case-insensitive file systems: `X`, `X~2`...
pub(crate) fn unique_name(used: &mut BTreeSet<String>, stem: &str) -> String {
    let mut candidate = stem.to_string();
    let mut n = 1;
    while !used.insert(candidate.to_lowercase()) {
        n += 1;
        candidate = format!("{stem}~{n}");
    }
    candidate
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_and_stems() {
        assert_eq!(agency_slug("Sở Y tế"), "so-y-te");
        assert_eq!(
            agency_slug("Sở Lao động - Thương binh và Xã hội"),
            "so-lao-dong-thuong-binh-va-xa-hoi"
        );
        assert_eq!(
            agency_slug("Đoàn TNCS Hồ Chí Minh"),
            "doan-tncs-ho-chi-minh"
        );
        assert_eq!(agency_slug("???"), "agency");
        assert_eq!(record_stem("1790/CV-BCĐ"), "1790_CV-BCĐ");
        assert_eq!(record_stem("36-CT/TW"), "36-CT_TW");
        assert_eq!(record_stem("../x"), "_._x");
        assert_eq!(
            record_stem("Luật Phòng, chống ma túy"),
            "Luật_Phòng,_chống_ma_túy"
        );
    }

    #[test]
    fn unique_names_ignore_case() {
        let mut used = BTreeSet::new();
        assert_eq!(unique_name(&mut used, "A"), "A");
        assert_eq!(unique_name(&mut used, "a"), "a~2");
        assert_eq!(unique_name(&mut used, "A"), "A~3");
    }
}
