//! Who issued a document, who a citation says issued what it cites, and the keys built from
//! them: every document, cited document, obligation and edge of a registry has a `key` of its
//! own, stable across rebuilds and independent of the order of the inputs.
//!
//! * a document: `ISSUER:ID:DATE` (`ubnd-tinh-dong-thap:556/KH-UBND:2025-11-19`), with
//!   `:DIGEST` (of the source text) when several documents share it, and `:FILE` after
//!   that when even the texts are the same;
//! * a cited document not in the corpus: `ext:ID-KEY` (`ext:291/qd-ttg`), and for a local
//!   ký hiệu `ext:LOCALITY:ID-KEY` (`ext:tinh-dong-thap:310/kh-ubnd`), the locality the
//!   citation's `của ...` names, else the citing document's; a law cited by name only, that
//!   `rules/laws.yaml` gives no number: `ext:name:NAME`;
//! * an obligation: `DOCUMENT-KEY#PATH#AGENCY-SLUG`; an edge: `FROM-KEY>TO-KEY@PATH`.

use std::collections::HashMap;

use super::names::agency_slug;
use crate::lexicon::agencies::key as name_key;
use crate::lexicon::issuing::Scope;
use crate::lexicon::Lexicon;
use crate::record::{Citation, Document};

/// An issuing body and its locality, as far as they are known.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Issuer {
    /// A listed body's code (`UBND`), else the body's name in key form (`bo tai chinh`).
    pub(crate) body: Option<String>,
    /// `tỉnh Đồng Tháp`; none for a central body.
    pub(crate) locality: Option<String>,
}

impl Issuer {
    /// The issuer of a corpus document: the body printed above the Số line (else the one its
    /// ký hiệu names) and its locality (else that of the place on the date line).
    pub(crate) fn of_document(doc: &Document, lexicon: &Lexicon) -> Issuer {
        let printed = doc.issuer.as_deref().unwrap_or("").trim();
        let (code, scope) = lexicon.issuing.code_of(&doc.symbol);
        let locality_in_name = lexicon.agencies.locality_in(printed);
        let mut body = lexicon.issuing.body(printed).or(code);
        // `UBND THÀNH PHỐ HÀ NỘI SỞ LAO ĐỘNG ...`: the body under its parent's name.
        let under_parent = locality_in_name.as_ref().and_then(|loc| {
            let (k, lk) = (name_key(printed), name_key(loc));
            let rest = k[k.find(&lk)? + lk.len()..].trim().to_string();
            (rest.split(' ').count() >= 2).then_some(rest)
        });
        if let Some(rest) = under_parent {
            body = lexicon.issuing.body(&rest);
        } else if let (Some(b), Some(loc)) = (&body, &locality_in_name) {
            // `so y te tinh bac ninh` is the Sở Y tế of tỉnh Bắc Ninh.
            let stripped = b.replace(&name_key(loc), "").trim().to_string();
            if !stripped.is_empty() {
                body = Some(crate::text::squash_spaces(&stripped));
            }
        }
        let central = scope == Scope::Central
            || body.as_deref().is_some_and(|b| {
                lexicon
                    .issuing
                    .is_central_body(b, locality_in_name.is_some())
            });
        let locality = if central {
            None
        } else {
            locality_in_name.or_else(|| {
                let place = doc.place.as_deref()?;
                lexicon
                    .agencies
                    .locality_in(place)
                    .or_else(|| lexicon.agencies.locality_of_place(place))
            })
        };
        Issuer { body, locality }
    }

    /// The issuer a citation gives what it cites, and whether it wrote one (`của ...`): a
    /// relative name (`của HĐND Thành phố`, `của UBND tỉnh`) takes the citing document's
    /// locality, and so does a local ký hiệu cited without `của`.
    pub(crate) fn of_citation(
        citation: &Citation,
        citing: &Issuer,
        lexicon: &Lexicon,
    ) -> (Issuer, bool) {
        let written = citation.issuer.as_deref().unwrap_or("").trim();
        if let Some(body) = lexicon.issuing.body(written) {
            let locality = lexicon.agencies.locality_in(written);
            let central = lexicon.issuing.is_central_body(&body, locality.is_some());
            let locality = if central {
                None
            } else {
                locality.or_else(|| citing.locality.clone())
            };
            let body = match &locality {
                Some(loc) => {
                    let stripped = body.replace(&name_key(loc), "");
                    Some(crate::text::squash_spaces(stripped.trim())).filter(|b| !b.is_empty())
                }
                None => Some(body),
            };
            return (Issuer { body, locality }, true);
        }
        let (code, scope) = lexicon.issuing.code_of(&citation.symbol);
        let locality = (scope == Scope::Local)
            .then(|| citing.locality.clone())
            .flatten();
        (
            Issuer {
                body: code,
                locality,
            },
            false,
        )
    }

    /// `ubnd-tinh-dong-thap`, `ttg`, `bo-tai-chinh`; `unknown` when nothing is known.
    pub(crate) fn slug(&self) -> String {
        let parts: Vec<String> = [self.body.as_deref(), self.locality.as_deref()]
            .into_iter()
            .flatten()
            .map(agency_slug)
            .collect();
        if parts.is_empty() {
            "unknown".to_string()
        } else {
            parts.join("-")
        }
    }

    /// The issuer for a person: `UBND tỉnh Đồng Tháp`.
    pub(crate) fn shown(&self) -> String {
        let parts: Vec<&str> = [self.body.as_deref(), self.locality.as_deref()]
            .into_iter()
            .flatten()
            .collect();
        if parts.is_empty() {
            "an unknown issuer".to_string()
        } else {
            parts.join(" ")
        }
    }
}

/// One body named two ways: equal keys (a term number aside: `QH15` is `QH`), or one name
/// the start of the other (`Bộ Tài chính` of `Bộ Tài chính Cục Thuế`).
fn same_body(a: &str, b: &str) -> bool {
    let norm = |s: &str| {
        let k = name_key(s);
        if k.contains(' ') {
            k
        } else {
            k.trim_end_matches(|c: char| c.is_ascii_digit()).to_string()
        }
    };
    let (a, b) = (norm(a), norm(b));
    a == b || a.starts_with(&format!("{b} ")) || b.starts_with(&format!("{a} "))
}

fn same_locality(a: Option<&str>, b: Option<&str>) -> bool {
    match (a, b) {
        (Some(a), Some(b)) => name_key(a) == name_key(b),
        _ => true,
    }
}

/// Why `candidate` (issued by `candidate_issuer`) is not the document `citation` of `citing`
/// cites: its issuer, its date or its year disagree, or it was issued after the citing
/// document. Empty when it may be.
pub(crate) fn mismatches(
    citation: &Citation,
    citing: (&Document, &Issuer),
    candidate: (&Document, &Issuer),
    lexicon: &Lexicon,
) -> Vec<String> {
    let (doc, doc_issuer) = citing;
    let (target, target_issuer) = candidate;
    let mut reasons = Vec::new();
    let (cited, written) = Issuer::of_citation(citation, doc_issuer, lexicon);
    let (_, scope) = lexicon.issuing.code_of(&citation.symbol);
    let body_differs = written
        && matches!((&cited.body, &target_issuer.body), (Some(a), Some(b)) if !same_body(a, b));
    let locality_differs = (written || scope != Scope::Central)
        && !same_locality(cited.locality.as_deref(), target_issuer.locality.as_deref());
    if body_differs || locality_differs {
        let cited_as = if written {
            format!(
                "`của {}` ({})",
                citation.issuer.as_deref().unwrap_or(""),
                cited.shown()
            )
        } else {
            format!(
                "of {} (a local ký hiệu without `của`: the citing document's own)",
                cited.shown()
            )
        };
        reasons.push(format!(
            "issued by {}, cited as {cited_as}",
            target_issuer.shown()
        ));
    }
    let year_of = |date: &str| date.get(..4).map(str::to_string);
    match (&citation.date, &target.date) {
        (Some(cited), Some(own)) if cited != own => {
            reasons.push(format!("dated {own}, cited as of {cited}"));
        }
        (None, own) => {
            let cited_year = citation.year.clone();
            let own_year = target
                .year
                .clone()
                .or_else(|| own.as_deref().and_then(year_of));
            if let (Some(c), Some(o)) = (cited_year, own_year) {
                if c != o {
                    reasons.push(format!("of {o}, cited as of {c}"));
                }
            }
        }
        _ => {}
    }
    if let (Some(own), Some(citing_date)) = (&target.date, &doc.date) {
        if own > citing_date {
            reasons.push(format!(
                "issued {own}, after the citing document ({citing_date})"
            ));
        }
    }
    reasons
}

/// The key of each document (see the module documentation): `ISSUER:ID:DATE`, then the
/// digest of the source text for those that share one, then the file for those that still do.
pub(crate) fn document_keys(documents: &[Document], issuers: &[Issuer]) -> Vec<String> {
    let base: Vec<String> = documents
        .iter()
        .zip(issuers)
        .map(|(doc, issuer)| {
            format!(
                "{}:{}:{}",
                issuer.slug(),
                doc.id.trim(),
                doc.date.as_deref().unwrap_or("nodate")
            )
        })
        .collect();
    let with_digest = refine(base, |i, key| {
        let digest = &documents[i].source_digest;
        if digest.is_empty() {
            key.to_string()
        } else {
            format!("{key}:{digest}")
        }
    });
    // An unnumbered document always carries its digest: it has nothing else of its own.
    let with_digest: Vec<String> = with_digest
        .into_iter()
        .zip(documents)
        .map(|(key, doc)| {
            if doc.id.trim().is_empty()
                && !doc.source_digest.is_empty()
                && !key.ends_with(&doc.source_digest)
            {
                format!("{key}:{}", doc.source_digest)
            } else {
                key
            }
        })
        .collect();
    refine(with_digest, |i, key| format!("{key}:{}", documents[i].file))
}

/// Keys made unique: those that several items share (case aside) are extended by `extend`;
/// the others are kept.
pub(crate) fn refine(keys: Vec<String>, extend: impl Fn(usize, &str) -> String) -> Vec<String> {
    let lowered: Vec<String> = keys.iter().map(|key| key.to_lowercase()).collect();
    let mut count: HashMap<&str, usize> = HashMap::with_capacity(keys.len());
    for key in &lowered {
        *count.entry(key.as_str()).or_default() += 1;
    }
    let shared: Vec<bool> = lowered.iter().map(|key| count[key.as_str()] > 1).collect();
    keys.into_iter()
        .enumerate()
        .map(|(i, key)| if shared[i] { extend(i, &key) } else { key })
        .collect()
}
