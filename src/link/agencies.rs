//! The agencies of a registry: every obligation of the corpus under its canonical agency,
//! one `agencies/SLUG` file and one index entry per agency, and the agencies that
//! `rules/agencies.yaml` does not know.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use super::identity::refine;
use super::names::{agency_slug, unique_name};
use super::registry::{
    AgencyCounts, AgencyFile, AgencyObligation, Format, IndexAgency, UnknownAgency,
};
use crate::pipeline::Rules;
use crate::record::{Document, Obligation, Role};
use crate::text::fold;

/// What the agencies of a corpus put into a registry.
pub(crate) struct Agencies {
    /// The `agencies/SLUG` files, in the order of `index`.
    pub(crate) files: Vec<AgencyFile>,
    pub(crate) index: Vec<IndexAgency>,
    pub(crate) unknown: Vec<UnknownAgency>,
}

/// The obligations of one agency, and whether the rules know it (all its spellings did).
struct AgencyAcc {
    known: bool,
    obligations: Vec<AgencyObligation>,
}

/// How often an unknown agency is given a task, and by which documents.
type UnknownAcc = BTreeMap<String, (usize, BTreeSet<String>)>;

/// The agencies of `documents`, whose records are `records`.
pub(crate) fn agencies(
    documents: &[Document],
    records: &[String],
    keys: &[String],
    rules: &Rules,
    format: Format,
) -> Agencies {
    let (grouped, unknown) = group_obligations(documents, records, keys);
    let (files, index) = agency_files(&grouped, rules, format);
    Agencies {
        files,
        index,
        unknown: unknown_agencies(unknown),
    }
}

/// Every obligation under its agency's name (spaces squashed), and the unknown agencies.
fn group_obligations(
    documents: &[Document],
    records: &[String],
    keys: &[String],
) -> (BTreeMap<String, AgencyAcc>, UnknownAcc) {
    let mut agencies: BTreeMap<String, AgencyAcc> = BTreeMap::new();
    let mut unknown: UnknownAcc = BTreeMap::new();
    let mut slugs = HashMap::new();
    for ((doc, record), doc_key) in documents.iter().zip(records).zip(keys) {
        let obligation_keys = obligation_keys(doc, doc_key, &mut slugs);
        for (ob, ob_key) in doc.obligations.iter().zip(obligation_keys) {
            let name = crate::text::squash_spaces(&ob.agency);
            if name.is_empty() {
                continue;
            }
            let acc = agencies.entry(name.clone()).or_insert(AgencyAcc {
                known: true,
                obligations: Vec::new(),
            });
            acc.known &= ob.known_agency;
            if !ob.known_agency {
                let entry = unknown.entry(name.clone()).or_default();
                entry.0 += 1;
                entry.1.insert(if doc.id.is_empty() {
                    doc.file.clone()
                } else {
                    doc.id.clone()
                });
            }
            let mut entry = agency_obligation(doc, ob, record);
            entry.key = ob_key;
            acc.obligations.push(entry);
        }
    }
    (agencies, unknown)
}

/// The key of each obligation of a document: `DOCUMENT-KEY#PATH#AGENCY-SLUG`, then its
/// role, then its line, then its place in the document where that is not unique.
/// `slugs` keeps each agency name's slug, made once per name across the corpus.
fn obligation_keys(
    doc: &Document,
    doc_key: &str,
    slugs: &mut HashMap<String, String>,
) -> Vec<String> {
    let keys: Vec<String> = doc
        .obligations
        .iter()
        .map(|ob| {
            let slug = match slugs.get(&ob.agency) {
                Some(slug) => slug,
                None => slugs
                    .entry(ob.agency.clone())
                    .or_insert_with(|| agency_slug(&ob.agency)),
            };
            format!("{doc_key}#{}#{slug}", ob.path)
        })
        .collect();
    let obs = &doc.obligations;
    let keys = refine(keys, |i, key| format!("{key}#{}", role_name(obs[i].role)));
    let keys = refine(keys, |i, key| format!("{key}#{}", obs[i].line));
    refine(keys, |i, key| format!("{key}#{}", i + 1))
}

fn role_name(role: Role) -> &'static str {
    match role {
        Role::Lead => "lead",
        Role::Support => "support",
    }
}

/// One obligation as an agency file lists it.
fn agency_obligation(doc: &Document, ob: &Obligation, record: &str) -> AgencyObligation {
    AgencyObligation {
        id: if ob.id.is_empty() {
            format!("{}#{}", doc.id, ob.path)
        } else {
            ob.id.clone()
        },
        key: String::new(),
        document: doc.id.clone(),
        path: ob.path.clone(),
        role: ob.role,
        modality: ob.modality,
        deadline: ob.deadline.clone(),
        partners: ob.partners.clone(),
        text: ob.text.clone(),
        line: ob.line,
        record: record.to_string(),
    }
}

/// The agency files and their index entries, sorted by folded name (so `Sở Y tế` and
/// `sở y tế`-like variants sit together), each with a unique slug.
fn agency_files(
    grouped: &BTreeMap<String, AgencyAcc>,
    rules: &Rules,
    format: Format,
) -> (Vec<AgencyFile>, Vec<IndexAgency>) {
    let ext = format.extension();
    let mut used_slugs = BTreeSet::new();
    let mut files = Vec::new();
    let mut index = Vec::new();
    let mut names: Vec<&String> = grouped.keys().collect();
    names.sort_by_cached_key(|name| (fold(name), (*name).clone()));
    for name in names {
        let acc = &grouped[name];
        let slug = unique_name(&mut used_slugs, &agency_slug(name));
        let counts = counts(&acc.obligations);
        let mut aliases = agency_aliases(rules, name);
        aliases.retain(|a| a != name);
        aliases.sort();
        aliases.dedup();
        index.push(IndexAgency {
            name: name.clone(),
            slug: slug.clone(),
            record: format!("agencies/{slug}.{ext}"),
            known: acc.known,
            counts: counts.clone(),
        });
        files.push(AgencyFile {
            name: name.clone(),
            slug,
            aliases,
            known: acc.known,
            counts,
            obligations: acc.obligations.clone(),
        });
    }
    (files, index)
}

fn counts(obligations: &[AgencyObligation]) -> AgencyCounts {
    let documents: BTreeSet<&str> = obligations.iter().map(|o| o.record.as_str()).collect();
    AgencyCounts {
        obligations: obligations.len(),
        lead: obligations.iter().filter(|o| o.role == Role::Lead).count(),
        support: obligations
            .iter()
            .filter(|o| o.role == Role::Support)
            .count(),
        documents: documents.len(),
    }
}

/// Other names of a canonical agency: its aliases and abbreviations in `rules/agencies.yaml`
/// (empty for a name the rules do not know). The name without its locality (`Công an` for
/// `Công an thành phố Hà Nội`) is not one: it would stand for every locality's.
fn agency_aliases(rules: &Rules, name: &str) -> Vec<String> {
    match rules.lexicon.agencies.resolve(name, None) {
        Some(agency) => agency
            .aliases
            .iter()
            .filter(|alias| *alias != name)
            .cloned()
            .collect(),
        None => Vec::new(),
    }
}

fn unknown_agencies(unknown: UnknownAcc) -> Vec<UnknownAgency> {
    unknown
        .into_iter()
        .map(|(name, (obligations, docs))| UnknownAgency {
            name,
            obligations,
            documents: docs.into_iter().collect(),
        })
        .collect()
}
