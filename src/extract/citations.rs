//! Cited documents: every số/ký hiệu and every law cited by name, with its date, issuer and
//! what this document does with it (`relation`).
//!
//! One pass per node over its content, in three steps, each linear in the length of the text
//! (every look-behind and look-ahead is bounded to a small window):
//!
//! 1. numbers: each `số/ký hiệu` token, with what stands before it (`Nghị định số`, `số` in a
//!    list, `Luật Đất đai số`) deciding whether it is a citation and of what type;
//! 2. names: `Luật ...`, `Bộ luật ...`, `Pháp lệnh ...` cited without a number;
//! 3. for each mention, the date and issuer that follow it and the relation word that governs
//!    it (an opener such as `Căn cứ` for its whole sentence, or an inline word such as
//!    `bãi bỏ` for the list it introduces).
//!
//! All mentions are kept for the diagnostics; the output lists each id once (first mention).

use std::collections::{BTreeMap, HashMap, HashSet};

use regex::Regex;
use serde::Deserialize;

use crate::extract::{Context, Header};
use crate::lexicon::doc_number::{self, DocNumber};
use crate::lexicon::{date, Lexicon};
use crate::record::{Citation, Diagnostic, Locator, Node, Relation};
use crate::rules::{RuleSource, RulesError};
use crate::text::{floor_boundary, fold, squash_spaces};
use crate::word_regex::{Edges, WordRegex};

/// How far back from a number we look for the words that introduce it, in bytes.
const LEAD_WINDOW: usize = 400;
/// How far after a number we look for its date and issuer, in bytes.
const TAIL_WINDOW: usize = 400;
/// Words allowed between a type word and `số` (`Luật Tổ chức chính quyền địa phương số`).
const TYPE_CHAIN_WORDS: usize = 14;

/// Compiled rules of `rules/citations.yaml`.
#[derive(Debug)]
pub struct CitationRules {
    /// Citing type words, case-sensitive, capitalised or in capitals, longest first.
    type_word: WordRegex,
    /// Lower-cased type word → output type (None: the code decides).
    type_of_word: HashMap<String, Option<String>>,
    named_start: WordRegex,
    /// Types cited by name only under a name rules/laws.yaml lists (`Hiến pháp`).
    listed_only: Vec<String>,
    name_not_after: HashSet<String>,
    name_not_before: Vec<String>,
    /// Known laws' names: where a name ends and how it is written.
    laws: laws::LawNames,
    /// Words that end a law's name, all searched at once.
    name_stops: aho_corasick::AhoCorasick,
    amending: Vec<String>,
    name_max_words: usize,
    name_run_on_words: usize,
    /// The `name_stops` that also end an amending law's name.
    amending_name_stops: aho_corasick::AhoCorasick,
    /// Words after a comma that end a name (`Luật Thủ đô, các văn bản ...`).
    name_comma_stops: Vec<String>,
    /// A number right after a name, without `số` (`Luật Quản lý thuế 38/2019/QH14`).
    bare_number_in_name: Regex,
    /// `... số` at the end of a text, with the word before it.
    so_at_end: WordRegex,
    not_citing: Vec<String>,
    number_token: Regex,
    article_before: Regex,
    issuer_after: Regex,
    /// Words that end an issuer's name, all searched at once.
    issuer_stops: aho_corasick::AhoCorasick,
    issuer_max_words: usize,
    opener: WordRegex,
    inline: WordRegex,
    after: WordRegex,
    relation_of: HashMap<(Kind, String), Relation>,
    inline_reach: usize,
    /// Words between an inline relation word and a citation that cut the link
    /// (`thực hiện theo quy định tại Luật ...` is a reference).
    gap_blocker: WordRegex,
    /// Words in that gap that neither count nor block (`của Quy định kèm theo Nghị quyết`).
    gap_neutral: WordRegex,
    /// Lower-case words that introduce what a task follows (`theo quy định của`).
    rule_lead_ins: Vec<String>,
    /// Lower-case words before a document type that say it is being written (`xây dựng`).
    drafting_words: Vec<String>,
    /// Words before an inline relation word in its clause that make it someone else's
    /// (`đề nghị ... sửa đổi, bổ sung Nghị quyết ...`).
    phrase_blocker: WordRegex,
    abbreviations: HashSet<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Kind {
    Opener,
    Inline,
    After,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CitationsFile {
    citing_types: BTreeMap<String, Option<String>>,
    named_types: Vec<String>,
    #[serde(default)]
    listed_only: Vec<String>,
    #[serde(default)]
    name_not_after: Vec<String>,
    #[serde(default)]
    name_not_before: Vec<String>,
    #[serde(default)]
    name_stops: Vec<String>,
    #[serde(default)]
    amending_names: Vec<String>,
    #[serde(default = "default_name_max_words")]
    name_max_words: usize,
    #[serde(default = "default_name_run_on_words")]
    name_run_on_words: usize,
    #[serde(default)]
    name_comma_stops: Vec<String>,
    #[serde(default)]
    amending_name_stops: Vec<String>,
    #[serde(default)]
    not_citing: Vec<String>,
    #[serde(default)]
    issuer_stops: Vec<String>,
    #[serde(default = "default_issuer_max_words")]
    issuer_max_words: usize,
    relations: RelationsFile,
    #[serde(default = "default_inline_reach")]
    inline_reach: usize,
    #[serde(default)]
    inline_gap_blockers: Vec<String>,
    #[serde(default)]
    inline_gap_neutral: Vec<String>,
    #[serde(default)]
    rule_lead_ins: Vec<String>,
    #[serde(default)]
    drafting_words: Vec<String>,
    #[serde(default)]
    inline_not_after: Vec<String>,
    #[serde(default)]
    abbreviations: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RelationsFile {
    #[serde(default)]
    opener: BTreeMap<String, Relation>,
    #[serde(default)]
    inline: BTreeMap<String, Relation>,
    #[serde(default)]
    after: BTreeMap<String, Relation>,
}

fn default_name_max_words() -> usize {
    30
}
fn default_name_run_on_words() -> usize {
    3
}
fn default_issuer_max_words() -> usize {
    10
}
fn default_inline_reach() -> usize {
    6
}

/// `a b` as a pattern that allows any run of spaces between words.
fn phrase_pattern(phrase: &str) -> String {
    phrase
        .split_whitespace()
        .map(regex::escape)
        .collect::<Vec<_>>()
        .join(r"\s+")
}

/// An alternation of phrases, longest first.
fn alternation<'a>(phrases: impl Iterator<Item = &'a String>) -> String {
    let mut list: Vec<&String> = phrases.collect();
    list.sort_by_key(|p| std::cmp::Reverse(p.chars().count()));
    list.dedup();
    list.iter()
        .map(|p| phrase_pattern(p))
        .collect::<Vec<_>>()
        .join("|")
}

fn lowercase_all(words: &[String]) -> Vec<String> {
    words.iter().map(|w| w.to_lowercase()).collect()
}

/// The phrase in its capitalised and its all-capitals form.
fn cased_forms(phrase: &str) -> Vec<String> {
    let mut chars = phrase.chars();
    let capital: String = match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    };
    vec![capital, phrase.to_uppercase()]
}

impl CitationRules {
    /// The số/ký hiệu `rules/laws.yaml` gives the law of this name, if any.
    pub fn law_number(&self, name: &str) -> Option<&str> {
        self.laws.number_of(name)
    }
}

impl CitationRules {
    pub fn load(source: &RuleSource) -> Result<Self, RulesError> {
        let (origin, file): (_, CitationsFile) = source.yaml("citations.yaml")?;
        let compile =
            |pattern: &str| Regex::new(pattern).map_err(|e| RulesError::invalid(&origin, e));
        let stops = |words: &mut dyn Iterator<Item = &String>| {
            aho_corasick::AhoCorasick::builder()
                .match_kind(aho_corasick::MatchKind::LeftmostFirst)
                .build(words)
                .map_err(|e| RulesError::invalid(&origin, e))
        };
        let words = |body: &str, edges: Edges| {
            WordRegex::new(body, edges).map_err(|e| RulesError::invalid(&origin, e))
        };

        let mut type_of_word = HashMap::new();
        let mut forms = Vec::new();
        for (word, doc_type) in &file.citing_types {
            type_of_word.insert(word.to_lowercase(), doc_type.clone());
            forms.extend(cased_forms(word));
        }
        for named in &file.named_types {
            type_of_word
                .entry(named.to_lowercase())
                .or_insert_with(|| Some(named.clone()));
            forms.extend(cased_forms(named));
        }
        let types = alternation(forms.iter());
        let named = alternation(file.named_types.iter());

        let mut relation_of = HashMap::new();
        let mut add = |kind: Kind, list: &BTreeMap<String, Relation>| {
            for (phrase, relation) in list {
                relation_of.insert((kind, squash_spaces(&phrase.to_lowercase())), *relation);
            }
            alternation(list.keys())
        };
        let opener = add(Kind::Opener, &file.relations.opener);
        let inline = add(Kind::Inline, &file.relations.inline);
        let after = add(Kind::After, &file.relations.after);
        let never = r"[^\s\S]";
        let or_never = |p: String| if p.is_empty() { never.to_string() } else { p };

        Ok(CitationRules {
            listed_only: file.listed_only.clone(),
            type_word: words(&format!(r"(?i:{types})"), Edges::Both)?,
            type_of_word,
            named_start: words(&format!(r"(?:{})\s+", or_never(named)), Edges::Start)?,
            name_not_after: file.name_not_after.into_iter().collect(),
            laws: laws::LawNames::load(source)?,
            name_not_before: lowercase_all(&file.name_not_before),
            name_stops: stops(&mut file.name_stops.iter())?,
            amending: lowercase_all(&file.amending_names),
            name_max_words: file.name_max_words.max(1),
            name_run_on_words: file.name_run_on_words.max(1),
            name_comma_stops: file.name_comma_stops,
            amending_name_stops: stops(
                &mut file
                    .name_stops
                    .iter()
                    .filter(|stop| file.amending_name_stops.contains(stop)),
            )?,
            bare_number_in_name: compile(r"\s\d{1,6}(?:\.\d{1,3})?\s?/\s?(?:19|20)\d\d/")?,
            so_at_end: words(r"(?i:số)\s*:?\s*$", Edges::Start)?,
            not_citing: lowercase_all(&file.not_citing),
            number_token: compile(r"\d{1,6}(?:\.\d{1,3})?[a-z]?(?:(?: [-/]|[-/] ?)[\p{L}\d&]+)+")?,
            article_before: compile(
                r"(?i)((?:điểm\s+[\p{L}\d]{1,3},?\s+)?(?:khoản\s+\d+[\p{L}]?,?\s+)?Điều\s+\d+[\p{L}]?)\s*(?:của\s+)?(?:các\s+)?$",
            )?,
            issuer_after: compile(r"^[\s,]*của\s+")?,
            issuer_stops: aho_corasick::AhoCorasick::builder()
                .match_kind(aho_corasick::MatchKind::LeftmostFirst)
                .build(&file.issuer_stops)
                .map_err(|e| RulesError::invalid(&origin, e))?,
            issuer_max_words: file.issuer_max_words.max(1),
            opener: words(
                &format!(r"^[\s\-+•*]*(?i:{})", or_never(opener)),
                Edges::End,
            )?,
            inline: words(&format!(r"(?i:{})", or_never(inline)), Edges::Both)?,
            after: words(&format!(r"(?i:{})", or_never(after)), Edges::Both)?,
            relation_of,
            inline_reach: file.inline_reach,
            gap_blocker: words(
                &format!(
                    r"(?i:{})",
                    or_never(alternation(file.inline_gap_blockers.iter()))
                ),
                Edges::Both,
            )?,
            gap_neutral: words(
                &format!(
                    r"(?i:{})",
                    or_never(alternation(file.inline_gap_neutral.iter()))
                ),
                Edges::Both,
            )?,
            phrase_blocker: words(
                &format!(
                    r"(?i:{})",
                    or_never(alternation(file.inline_not_after.iter()))
                ),
                Edges::Both,
            )?,
            rule_lead_ins: lowercase_all(&file.rule_lead_ins),
            drafting_words: lowercase_all(&file.drafting_words),
            abbreviations: file.abbreviations.into_iter().collect(),
        })
    }

    /// Whether `text` opens with an amending law's words (`sửa đổi, bổ sung ...`).
    fn opens_amending(&self, text: &str) -> bool {
        let lower = text[..floor_boundary(text, 64)].to_lowercase();
        self.amending.iter().any(|w| lower.starts_with(w.as_str()))
    }

    fn relation(&self, kind: Kind, phrase: &str) -> Relation {
        let key = squash_spaces(
            &phrase
                .trim_start_matches(['-', '+', '•', '*', ' '])
                .to_lowercase(),
        );
        self.relation_of
            .get(&(kind, key))
            .copied()
            .unwrap_or_default()
    }

    /// The output type for a type word as written; None when the word leaves it to the code.
    fn type_for_word(&self, word: &str) -> Option<String> {
        self.type_of_word
            .get(&squash_spaces(&word.to_lowercase()))
            .cloned()
            .flatten()
    }
}

/// Where a mention's type came from, best last.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum TypeSource {
    Default,
    Code,
    List,
    Word,
}

/// One mention of a cited document, before mentions of one id are merged.
#[derive(Debug, Clone)]
struct Mention {
    /// Dedup key: `id_key` of the number, or the folded name.
    key: String,
    citation: Citation,
    type_source: TypeSource,
    /// Issuer named in the text (not derived from the code).
    issuer_written: bool,
    /// Byte offsets in the node content: start of the cited words, end of the number or name,
    /// end of the date, end of the issuer.
    start: usize,
    /// Where the number (or the name) itself starts.
    number_at: usize,
    end: usize,
    date_end: usize,
    tail_end: usize,
    /// Input line and column of the cited words (set by [`locate_mentions`]).
    at: (u32, u32),
    /// Where the date's first digit is, if the mention has a date.
    date_offset: Option<usize>,
    /// Input line and column of the date's first digit; the cited words' when it has none.
    date_at: (u32, u32),
    /// For a law named with its number: the folded name, to link mentions by name alone.
    law_name: Option<String>,
}

/// What the citation recogniser reads: the shared vocabulary and its own phrases.
struct Vocabulary<'a> {
    lexicon: &'a Lexicon,
    citations: &'a CitationRules,
}

/// The citations of a document whose header and sections are already recognised.
pub fn extract(cx: &Context, citations: &CitationRules) -> (Vec<Citation>, Vec<Diagnostic>) {
    let rules = &Vocabulary {
        lexicon: cx.lexicon,
        citations,
    };
    let doc = cx.header;
    let own_key = (!doc.id.trim().is_empty()).then(|| doc_number::id_key(&doc.id));
    let mut mentions = Vec::new();
    if !doc.subject.trim().is_empty() {
        // The trích yếu (`Kế hoạch triển khai Quyết định số ...`) is not in the tree.
        let subject = Node {
            path: "subject".into(),
            label: String::new(),
            kind: crate::record::NodeKind::Preamble,
            title: String::new(),
            text: doc.subject.clone(),
            line: doc.subject_line,
            children: Vec::new(),
            spans: Vec::new(),
        };
        mentions.extend(scan_node(&subject, &doc.subject, rules));
    }
    for node in cx.sections {
        scan_tree(node, None, rules, &mut mentions);
    }
    mentions.retain(|m| own_key.as_deref() != Some(m.key.as_str()));
    // `Tuân thủ Hiến pháp, ...`, `Hiến pháp quy định`: the legal order, not a citation.
    mentions.retain(|m| {
        let c = &m.citation;
        !(c.number.is_empty() && c.unlisted_name && citations.listed_only.contains(&c.doc_type))
    });
    cut_run_on_names(&mut mentions, rules.citations.name_run_on_words);
    link_names(&mut mentions);
    let mut diagnostics = diagnose(doc, &mentions);
    let columns: HashMap<(String, u32), u32> = mentions
        .iter()
        .filter(|m| m.citation.unlisted_name)
        .map(|m| ((m.citation.id.clone(), m.at.0), m.at.1))
        .rev()
        .collect();
    let citations = merge(mentions);
    diagnostics.extend(unlisted_names(&citations, &columns));
    (citations, diagnostics)
}

/// An info for each law cited by a name that rules/laws.yaml does not list, since its end was
/// found by rule and may take in words of the sentence. `columns` holds the column of each
/// unlisted name's first mention on a line, by id and line.
fn unlisted_names<'a>(
    citations: &'a [Citation],
    columns: &'a HashMap<(String, u32), u32>,
) -> impl Iterator<Item = Diagnostic> + 'a {
    citations
        .iter()
        .filter(|c| c.unlisted_name && c.number.is_empty())
        .map(|c| {
            Diagnostic::info(
                "unlisted-law",
                format!(
                    "`{}` is not in rules/laws.yaml, so where its name ends was guessed; \
                     add it there if it is a law's name",
                    c.id
                ),
                c.line,
            )
            .at((
                c.line,
                columns.get(&(c.id.clone(), c.line)).copied().unwrap_or(1),
            ))
        })
}

/// Scans a node and its children. A heading that repeals, replaces or amends (`Điều 1. Bãi
/// bỏ toàn bộ một số văn bản ...`, `... thay thế các văn bản sau:`) governs the items under it
/// that are nothing but a citation (`1. Quyết định số 104/2000/QĐ-TTg ...`).
fn scan_tree(node: &Node, inherited: Option<Relation>, rules: &Vocabulary, out: &mut Vec<Mention>) {
    let content = node.content();
    let mut found = scan_node(node, &content, rules);
    let heading = heading_relation(node, &content, &found, rules.citations);
    // The node's own heading governs its text; an ancestor's, the whole node.
    let text_from = if node.title.is_empty() {
        0
    } else {
        node.title.len() + 1
    };
    for m in found.iter_mut() {
        let relation = match (heading, inherited) {
            (Some(r), _) if m.start >= text_from => r,
            (_, Some(r)) => r,
            _ => continue,
        };
        let from = content[..m.start]
            .rfind([';', '\n'])
            .map_or(0, |i| i + 1)
            .max(text_from.min(m.start));
        let before = &content[from..m.start];
        if m.citation.relation == Relation::Refers && !before.chars().any(char::is_alphanumeric) {
            m.citation.relation = relation;
        }
    }
    let heading = heading.or(inherited);
    out.extend(found);
    for child in &node.children {
        scan_tree(child, heading, rules, out);
    }
}

fn heading_relation(
    node: &Node,
    content: &str,
    found: &[Mention],
    cr: &CitationRules,
) -> Option<Relation> {
    let passes_down =
        |r: Relation| matches!(r, Relation::Amends | Relation::Replaces | Relation::Repeals);
    if !node.title.is_empty() {
        // `Điều 1. Bãi bỏ toàn bộ ...`, `Nghị định này thay thế các Nghị định sau`.
        let title = &node.title;
        let first_mention = found.iter().map(|m| m.start).min().unwrap_or(usize::MAX);
        let phrase = cr.inline.find_iter(title).find(|m| {
            passes_down(cr.relation(Kind::Inline, m.as_str())) && m.start() < first_mention
        });
        if let Some(m) = phrase {
            if !cr.phrase_blocker.is_match(&title[..m.start()]) {
                return Some(cr.relation(Kind::Inline, m.as_str()));
            }
        }
    }
    // `Nghị định này thay thế các Nghị định sau:` closing the node's text.
    let trimmed = content.trim_end();
    if trimmed.ends_with(':') {
        let line_start = trimmed.rfind('\n').map_or(0, |i| i + 1);
        if found.iter().all(|m| m.end <= line_start) {
            let line = &trimmed[line_start..];
            // `... thay thế các Nghị định sau:`, `Các Quyết định sau hết hiệu lực ...:`
            let passing_down = |words: &WordRegex, kind: Kind| {
                let m = words
                    .find_iter(line)
                    .find(|m| passes_down(cr.relation(kind, m.as_str())))?;
                (!cr.phrase_blocker.is_match(&line[..m.start()]))
                    .then(|| cr.relation(kind, m.as_str()))
            };
            if let Some(relation) = passing_down(&cr.inline, Kind::Inline)
                .or_else(|| passing_down(&cr.after, Kind::After))
            {
                return Some(relation);
            }
        }
    }
    None
}

/// A name that runs on into the sentence (`Luật Việc làm bảo đảm kịp thời, toàn diện`) is cut
/// back to a name cited elsewhere in the document that it starts with (`Luật Việc làm`).
fn cut_run_on_names(mentions: &mut [Mention], min_extra: usize) {
    let mut known: HashMap<String, String> = HashMap::new();
    for m in mentions.iter() {
        if let Some(name) = &m.law_name {
            known.entry(name.clone()).or_default();
        } else if m.citation.number.is_empty() {
            known
                .entry(m.key.clone())
                .or_insert_with(|| m.citation.id.clone());
        }
    }
    for m in mentions.iter_mut().filter(|m| m.citation.number.is_empty()) {
        let words: Vec<&str> = m.key.split(' ').collect();
        // The words of the name as written, to see whether a comma follows the prefix.
        let written: Vec<&str> = m.citation.id.split_whitespace().skip(1).collect();
        let comma_after = |n: usize| written.get(n - 1).is_some_and(|w| w.ends_with(','));
        let shorter = (1..words.len())
            .rev()
            .filter(|&n| {
                words.len() - n >= min_extra || (written.len() == words.len() && comma_after(n))
            })
            .map(|n| words[..n].join(" "))
            .find(|prefix| known.contains_key(prefix));
        let Some(prefix) = shorter else { continue };
        let display = &known[&prefix];
        if display.is_empty() {
            m.key = prefix; // linked to its number by `link_names`
        } else {
            m.citation.id = display.clone();
            m.citation.text = display.clone();
            m.key = prefix;
        }
    }
}

/// A law cited by name in one place and by name and number in another is one law.
fn link_names(mentions: &mut [Mention]) {
    let by_name: HashMap<String, Mention> = mentions
        .iter()
        .filter_map(|m| m.law_name.clone().map(|name| (name, m.clone())))
        .collect();
    for mention in mentions.iter_mut() {
        if !mention.citation.number.is_empty() {
            continue;
        }
        if let Some(numbered) = by_name.get(&mention.key) {
            mention.key = numbered.key.clone();
            let c = &mut mention.citation;
            c.id = numbered.citation.id.clone();
            c.number = numbered.citation.number.clone();
            c.symbol = numbered.citation.symbol.clone();
            c.year = numbered.citation.year.clone();
            if !mention.issuer_written {
                c.issuer = numbered.citation.issuer.clone();
            }
        }
    }
}

/// One citation per id, in order of first mention, with the first date given and the most
/// reliable type.
fn merge(mentions: Vec<Mention>) -> Vec<Citation> {
    let mut order: Vec<String> = Vec::new();
    let mut groups: HashMap<String, Vec<Mention>> = HashMap::new();
    for m in mentions {
        if !groups.contains_key(&m.key) {
            order.push(m.key.clone());
        }
        groups.entry(m.key.clone()).or_default().push(m);
    }
    order
        .into_iter()
        .filter_map(|key| {
            let group = groups.remove(&key)?;
            let first = &group[0];
            let mut citation = first.citation.clone();
            if citation.date.is_none() {
                citation.date = group.iter().find_map(|m| m.citation.date.clone());
            }
            let best = group.iter().max_by_key(|m| m.type_source).unwrap_or(first);
            if best.type_source > first.type_source {
                citation.doc_type = best.citation.doc_type.clone();
            }
            if !first.issuer_written {
                if let Some(m) = group.iter().find(|m| m.issuer_written) {
                    citation.issuer = m.citation.issuer.clone();
                }
            }
            if citation.relation == Relation::Refers {
                // A later mention may say what the document does with it (`... hết hiệu lực`).
                if let Some(m) = group
                    .iter()
                    .find(|m| m.citation.relation != Relation::Refers)
                {
                    citation.relation = m.citation.relation;
                }
            }
            if citation.article.is_none() {
                citation.article = group.iter().find_map(|m| m.citation.article.clone());
            }
            Some(citation)
        })
        .collect()
}

/// Same id with two dates; a ký hiệu year that disagrees with the date; a date after the
/// citing document's own.
fn diagnose(doc: &Header, mentions: &[Mention]) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let mut first_date: HashMap<&str, (&str, u32)> = HashMap::new();
    let mut reported: HashSet<(String, &'static str, String)> = HashSet::new();
    for m in mentions {
        let c = &m.citation;
        let Some(date) = c.date.as_deref() else {
            continue;
        };
        match first_date.get(m.key.as_str()) {
            None => {
                first_date.insert(&m.key, (date, m.date_at.0));
            }
            Some(&(earlier, line)) if earlier != date => {
                if reported.insert((m.key.clone(), "conflict", date.to_string())) {
                    out.push(Diagnostic::warning_at(
                        "citation-date-conflict",
                        format!(
                            "{} is dated {} here but {} on line {}",
                            c.id, date, earlier, line
                        ),
                        m.date_at,
                    ));
                }
            }
            Some(_) => {}
        }
        if let Some(year) = c.year.as_deref() {
            if !date.starts_with(year) && reported.insert((m.key.clone(), "year", date.to_string()))
            {
                out.push(Diagnostic::warning_at(
                    "citation-year-mismatch",
                    format!("{} carries the year {} but is dated {}", c.id, year, date),
                    m.at,
                ));
            }
        }
        if let Some(own) = doc.date.as_deref() {
            if date > own && reported.insert((m.key.clone(), "after", date.to_string())) {
                out.push(Diagnostic::warning_at(
                    "citation-after-document",
                    format!("{} is dated {}, after this document ({})", c.id, date, own),
                    m.date_at,
                ));
            }
        }
    }
    out
}

/// The list a mention stands in: `các Quyết định của Thủ tướng Chính phủ: số ...; số ...`.
#[derive(Debug, Clone)]
struct ListContext {
    doc_type: Option<String>,
    issuer: Option<String>,
    sentence: usize,
}

/// Sentence starts of a text: after a newline, or after `.`, `!`, `?` that is not an
/// abbreviation's dot and is followed by a space.
/// Whether `text` may hold a số/ký hiệu: a `/` or `-` after a digit, with at most a letter
/// and a space between (`291/QĐ`, `36-CT`, `12a/`, `30 /`). A byte search, far cheaper than
/// running `number_token` over every node, most of which cite nothing.
fn may_hold_number(text: &str) -> bool {
    let bytes = text.as_bytes();
    memchr::memchr2_iter(b'/', b'-', bytes).any(|at| {
        let mut before = bytes[..at].iter().rev().peekable();
        before.next_if_eq(&&b' ');
        before.next_if(|b| b.is_ascii_lowercase());
        before.next().is_some_and(u8::is_ascii_digit)
    })
}

fn sentence_starts(text: &str, rules: &CitationRules) -> Vec<usize> {
    let mut starts = vec![0];
    let bytes = text.as_bytes();
    for (i, &b) in bytes.iter().enumerate() {
        match b {
            b'\n' => starts.push(i + 1),
            b'.' | b'!' | b'?' => {
                let next = bytes.get(i + 1).copied();
                if !matches!(next, Some(b' ') | Some(b'\t') | None) {
                    continue;
                }
                if b == b'.' {
                    let word_start = text[..i]
                        .rfind(|c: char| c.is_whitespace() || c == '(')
                        .map_or(0, |p| p + 1);
                    if rules.abbreviations.contains(&text[word_start..i]) {
                        continue;
                    }
                }
                starts.push(i + 1);
            }
            _ => {}
        }
    }
    starts.dedup();
    starts
}

fn sentence_of(starts: &[usize], offset: usize) -> usize {
    starts.partition_point(|&s| s <= offset).saturating_sub(1)
}

/// Clause starts where a relation opener may stand: sentence starts and, for capitalised
/// openers, after `;`.
fn openers(text: &str, starts: &[usize], rules: &CitationRules) -> Vec<(usize, Relation)> {
    let mut out = Vec::new();
    let mut try_at = |at: usize, capital_only: bool| {
        let rest = &text[at..];
        if let Some(m) = rules.opener.find(rest) {
            let phrase = m
                .as_str()
                .trim_start_matches(|c: char| c.is_whitespace() || "-+•*".contains(c));
            if capital_only && !phrase.chars().next().is_some_and(char::is_uppercase) {
                return;
            }
            out.push((at, rules.relation(Kind::Opener, phrase)));
        }
    };
    for &start in starts {
        try_at(start, false);
    }
    for (i, _) in text.match_indices(';') {
        try_at(i + 1, true);
    }
    out.sort_by_key(|&(at, _)| at);
    out
}

/// The mentions in one node; `text` is its [`Node::content`], which the caller already holds.
fn scan_node(node: &Node, text: &str, rules: &Vocabulary) -> Vec<Mention> {
    let cr = &rules.citations;
    // Most nodes cite nothing: no number and no law's name, no further work.
    if !may_hold_number(text) && !cr.named_start.is_match(text) {
        return Vec::new();
    }
    let starts = sentence_starts(text, cr);
    let mut mentions = numbered_mentions(node, text, &starts, rules);
    let named = named_mentions(node, text, &mut mentions, rules);
    mentions.extend(named);
    mentions.sort_by_key(|m| m.start);
    locate_mentions(node, text, &mut mentions);
    // A node that cites nothing has no relations to find.
    if !mentions.is_empty() {
        // In the trích yếu, `Kế hoạch triển khai ...` is this document's own act.
        let own_title = node.path == "subject";
        assign_relations(text, &starts, &mut mentions, own_title, cr);
    }
    mentions
}

/// The line and column of each mention's words and date, in one pass over the text: mentions
/// are sorted by start, so their offsets mostly increase.
fn locate_mentions(node: &Node, text: &str, mentions: &mut [Mention]) {
    let mut locator = Locator::new(text, &node.spans, (node.line, 1));
    for mention in mentions {
        mention.at = locator.locate(mention.start);
        mention.date_at = match mention.date_offset {
            Some(offset) => locator.locate(offset),
            None => mention.at,
        };
    }
}

/// The type a numbered mention gets, where it was read from, and the issuer its list gives.
struct TypeChoice {
    doc_type: String,
    source: TypeSource,
    issuer_hint: Option<String>,
}

/// Documents cited by number (`Quyết định số 291/QĐ-TTg ngày ...`), in order.
fn numbered_mentions(
    node: &Node,
    text: &str,
    starts: &[usize],
    rules: &Vocabulary,
) -> Vec<Mention> {
    let cr = &rules.citations;
    let mut mentions: Vec<Mention> = Vec::new();

    let mut list: Option<ListContext> = None;
    let mut prev_end = 0usize;
    for token in cr.number_token.find_iter(text) {
        let before = text[..token.start()].chars().next_back();
        if before.is_some_and(|c| c.is_alphanumeric() || matches!(c, '/' | '-' | '.' | '&')) {
            continue;
        }
        let Some((number, end)) = parse_number(token.as_str(), token.start(), rules) else {
            continue;
        };
        let lead_from =
            floor_boundary(text, token.start().saturating_sub(LEAD_WINDOW)).max(prev_end);
        let lead = &text[lead_from..token.start()];
        let sentence = sentence_of(starts, token.start());
        if list.as_ref().is_some_and(|l| l.sentence != sentence) {
            list = None;
        }
        let Some(head) = read_head(lead, lead_from, cr) else {
            continue;
        };
        let bare = !head.has_so && head.type_word.is_none();
        if bare
            && (!head.in_list && !is_code_like(&number, rules) || looks_like_year(&number.number))
        {
            continue;
        }
        let choice = number_type(
            &head, &number, &mut list, sentence, &mentions, starts, rules,
        );
        let citation = Citation {
            id: number.id.clone(),
            doc_type: choice.doc_type,
            number: number.number.clone(),
            symbol: number.symbol.clone(),
            year: number.year.clone(),
            ..Citation::default()
        };
        let mut mention = Mention {
            key: doc_number::id_key(&number.id),
            citation,
            type_source: choice.source,
            issuer_written: false,
            start: head.start,
            number_at: token.start(),
            end,
            date_end: end,
            tail_end: end,
            at: (0, 0),
            date_offset: None,
            date_at: (0, 0),
            law_name: None,
        };
        finish(&mut mention, node, text, &number, choice.issuer_hint, rules);
        prev_end = end;
        mentions.push(mention);
    }
    mentions
}

/// The type of a numbered mention: the type word before it, the list it stands in, the
/// typed mention before it in the sentence, or its code, in that order; the default otherwise.
fn number_type(
    head: &Head,
    number: &DocNumber,
    list: &mut Option<ListContext>,
    sentence: usize,
    mentions: &[Mention],
    starts: &[usize],
    rules: &Vocabulary,
) -> TypeChoice {
    let cr = &rules.citations;
    let code_type = number
        .type_code
        .as_deref()
        .and_then(|code| rules.lexicon.doctypes.by_code(code))
        .map(|t| t.name.clone());
    let mut doc_type = None;
    let mut type_source = TypeSource::Default;
    let mut issuer_hint = None;
    if let Some(t) = head
        .type_word
        .as_deref()
        .and_then(|word| cr.type_for_word(word))
    {
        doc_type = Some(t);
        type_source = TypeSource::Word;
    }
    if let Some(intro) = &head.list_intro {
        *list = Some(ListContext {
            doc_type: intro.0.clone(),
            issuer: intro.1.clone(),
            sentence,
        });
    }
    // A number in a list takes the list's type, unless its own code says otherwise.
    let agrees = |t: &str| code_type.as_deref().is_none_or(|c| c == t);
    if head.in_list || head.list_intro.is_some() {
        match list.as_ref() {
            Some(ctx) => {
                if head.type_word.is_none() {
                    if let Some(t) = ctx.doc_type.as_deref().filter(|t| agrees(t)) {
                        doc_type = Some(t.to_string());
                        type_source = TypeSource::List;
                    }
                }
                if ctx.doc_type.is_none() || ctx.doc_type == doc_type {
                    issuer_hint = ctx.issuer.clone();
                }
            }
            None if head.type_word.is_none() => {
                // `..., số 55/KH-UBND` after a typed mention of the same sentence.
                let prev = mentions
                    .last()
                    .filter(|m| sentence_of(starts, m.start) == sentence);
                if let Some(t) = prev
                    .map(|m| m.citation.doc_type.as_str())
                    .filter(|t| agrees(t))
                {
                    doc_type = Some(t.to_string());
                    type_source = TypeSource::List;
                }
            }
            None => {}
        }
    }
    if doc_type.is_none() {
        match code_type {
            Some(t) => {
                doc_type = Some(t);
                type_source = TypeSource::Code;
            }
            None => doc_type = Some(rules.lexicon.doctypes.default_type.clone()),
        }
    }
    TypeChoice {
        doc_type: doc_type.unwrap_or_default(),
        source: type_source,
        issuer_hint,
    }
}

/// Laws cited by name (`Luật Phòng, chống ma túy`); a name written with its number gives
/// that numbered mention its name and type instead.
fn named_mentions(
    node: &Node,
    text: &str,
    mentions: &mut [Mention],
    rules: &Vocabulary,
) -> Vec<Mention> {
    let cr = &rules.citations;
    let by_number: HashMap<usize, usize> = mentions
        .iter()
        .enumerate()
        .map(|(i, m)| (m.number_at, i))
        .collect();
    // `Luật số 97/2025/QH15 ... sửa đổi, bổ sung một số điều của Luật A, Luật B`: the laws
    // after the number are the title of the numbered law, not citations of their own.
    let titles: Vec<(usize, usize)> = mentions
        .iter()
        .filter_map(|m| amending_title_after(text, m.tail_end.max(m.date_end), cr))
        .collect();
    let mut named = Vec::new();
    let mut covered = 0usize;
    for m in cr.named_start.find_iter(text) {
        if m.start() < covered || titles.iter().any(|t| (t.0..t.1).contains(&m.start())) {
            continue;
        }
        let Some(name) = read_name(text, m.start(), m.end(), cr) else {
            continue;
        };
        covered = name.end;
        if let Some(at) = name.number {
            // Named and numbered: the number makes the citation; remember its name.
            if let Some(&i) = by_number.get(&at) {
                let m = &mut mentions[i];
                m.law_name = Some(name.key);
                if m.type_source < TypeSource::Word {
                    m.citation.doc_type =
                        cr.type_for_word(&name.type_word).unwrap_or(name.type_word);
                    m.type_source = TypeSource::Word;
                }
            }
            continue;
        }
        let citation = Citation {
            id: name.name.clone(),
            doc_type: cr
                .type_for_word(&name.type_word)
                .unwrap_or_else(|| name.type_word.clone()),
            unlisted_name: !name.listed,
            year: name.year.clone(),
            ..Citation::default()
        };
        let mut mention = Mention {
            key: name.key,
            citation,
            type_source: TypeSource::Word,
            issuer_written: false,
            start: m.start(),
            number_at: m.start(),
            end: name.end,
            date_end: name.end,
            tail_end: name.end,
            at: (0, 0),
            date_offset: None,
            date_at: (0, 0),
            law_name: None,
        };
        let none = DocNumber {
            id: String::new(),
            number: String::new(),
            year: None,
            symbol: String::new(),
            type_code: None,
            party: false,
        };
        finish(&mut mention, node, text, &none, None, rules);
        named.push(mention);
    }
    named
}

/// Parses the number token; returns it and the byte offset in `text` where it ends.
fn parse_number(raw: &str, at: usize, rules: &Vocabulary) -> Option<(DocNumber, usize)> {
    let number = doc_number::parse(raw, rules.lexicon)?;
    if !number.symbol.chars().any(char::is_alphabetic) {
        return None;
    }
    // The parser reads the text without spaces; find where its id ends in the raw text.
    let want = number.id.len();
    let mut seen = 0usize;
    let mut end = raw.len();
    for (i, c) in raw.char_indices() {
        if seen >= want {
            end = i;
            break;
        }
        if !c.is_whitespace() && c != '*' {
            seen += c.len_utf8();
        }
    }
    let end = raw[..end].trim_end().len();
    Some((number, at + end))
}

/// A bare number (no `số`, no type word) is a citation only when it looks like a ký hiệu:
/// a year, or a known type or issuer code, or a code in capitals with a hyphen.
fn is_code_like(number: &DocNumber, rules: &Vocabulary) -> bool {
    if number.year.is_some() || number.party || number.type_code.is_some() {
        return true;
    }
    let parts: Vec<&str> = number.symbol.split(['-', '/']).collect();
    if parts
        .iter()
        .any(|p| rules.lexicon.issuers.by_code(p).is_some())
        && parts.len() > 1
    {
        return true;
    }
    parts.len() > 1
        && parts.iter().all(|p| {
            p.chars().any(char::is_alphabetic) && !p.chars().any(char::is_lowercase)
                || p.chars().all(|c| c.is_ascii_digit())
        })
}

/// `2018` in `Tiêu chuẩn cơ sở 661: 2018/BVTV`: a year, not a document's number.
fn looks_like_year(number: &str) -> bool {
    number.len() == 4 && (number.starts_with("19") || number.starts_with("20"))
}

/// What stands before a number.
#[derive(Debug, Default)]
struct Head {
    /// Start of the cited words (the type word, or `số`, or the number).
    start: usize,
    has_so: bool,
    type_word: Option<String>,
    /// The number follows a list separator (`;`, `,`, `và`, `:`).
    in_list: bool,
    /// A list introduction before `:` (`các Quyết định của Thủ tướng Chính phủ:`): its type
    /// and issuer.
    list_intro: Option<(Option<String>, Option<String>)>,
}

/// Reads the words before a number. None when the number is not a citation (`mẫu số 01/BC`).
fn read_head(lead: &str, lead_from: usize, cr: &CitationRules) -> Option<Head> {
    let mut head = Head {
        start: lead_from + lead.len(),
        ..Head::default()
    };
    let mut before = lead.trim_end();
    // `số` must end the lead: only its last few characters need searching.
    let tail_start = floor_boundary(before, before.len().saturating_sub(16));
    if let Some(so) = cr.so_at_end.find_at(before, tail_start) {
        let prefix = before[..so.start()].trim_end();
        let prefix_lower = prefix.to_lowercase();
        let not_citing = cr.not_citing.iter().any(|w| {
            prefix_lower.ends_with(w.as_str())
                && prefix_lower[..prefix_lower.len() - w.len()]
                    .chars()
                    .next_back()
                    .is_none_or(|c| !c.is_alphanumeric())
        });
        if not_citing {
            return None;
        }
        head.has_so = true;
        head.start = lead_from + so.start();
        before = prefix;
    }
    if matches!(before.chars().next_back(), Some(';' | ',' | ':'))
        || ends_with_word(before, "và")
        || ends_with_word(before, "hoặc")
    {
        head.in_list = true;
        if let Some(intro) = before.strip_suffix(':') {
            head.list_intro = Some(read_intro(intro.trim_end(), cr));
        }
        return Some(head);
    }
    // The type word: right before, or (`Luật Đất đai số`, `Báo cáo thẩm tra số`) a few words
    // before, with no punctuation that ends a clause between.
    let chain_from = chain_start(before);
    let chain = &before[chain_from..];
    // Capitalised words win over lower-case ones after them (`Luật Ban hành văn bản ... số`).
    let mut found = None;
    for m in cr.type_word.find_iter(chain) {
        let capital = m.as_str().starts_with(char::is_uppercase);
        if capital
            || found.is_none_or(|f: regex::Match| !f.as_str().starts_with(char::is_uppercase))
        {
            found = Some(m);
        }
    }
    if let Some(m) = found {
        let adjacent = chain[m.end()..].trim().is_empty();
        if head.has_so || adjacent {
            head.type_word = Some(m.as_str().to_string());
            head.start = lead_from + chain_from + m.start();
            // `...: Quyết định số`, `...; Quyết định số`: the list still gives the issuer.
            let before_type = before[..chain_from + m.start()].trim_end();
            if let Some(intro) = before_type.strip_suffix(':') {
                head.list_intro = Some(read_intro(intro.trim_end(), cr));
            } else if matches!(before_type.chars().next_back(), Some(';' | ','))
                || ends_with_word(before_type, "và")
            {
                head.in_list = true;
            }
        }
    }
    Some(head)
}

/// True when `text` ends with the word `word` (ignoring case).
fn ends_with_word(text: &str, word: &str) -> bool {
    let Some(cut) = text.len().checked_sub(word.len()) else {
        return false;
    };
    text.is_char_boundary(cut)
        && text[cut..].to_lowercase() == word
        && text[..cut]
            .chars()
            .next_back()
            .is_none_or(|c| !c.is_alphanumeric())
}

/// Where the words that may name a number's type begin: after the last clause punctuation,
/// at most `TYPE_CHAIN_WORDS` words back.
fn chain_start(before: &str) -> usize {
    let mut words = 0;
    let mut in_word = false;
    for (i, c) in before.char_indices().rev() {
        if matches!(c, ';' | ':' | '(' | ')' | '.' | '\n' | '“' | '”' | '"') {
            return i + c.len_utf8();
        }
        if c.is_whitespace() {
            if in_word {
                words += 1;
                if words >= TYPE_CHAIN_WORDS {
                    return i + 1;
                }
            }
            in_word = false;
        } else {
            in_word = true;
        }
    }
    0
}

/// The type and issuer of a list introduction: `các Quyết định của Thủ tướng Chính phủ`.
fn read_intro(intro: &str, cr: &CitationRules) -> (Option<String>, Option<String>) {
    let from = chain_start(intro);
    let chain = &intro[from..];
    let Some(m) = cr.type_word.find_iter(chain).last() else {
        return (None, None);
    };
    let doc_type = cr.type_for_word(m.as_str());
    let rest = &chain[m.end()..];
    let issuer = rest
        .find("của ")
        .map(|i| cut_issuer(&rest[i + "của ".len()..], cr))
        .filter(|s| !s.is_empty());
    (doc_type, issuer)
}

/// The issuer's words, up to the first stop.
fn cut_issuer(text: &str, cr: &CitationRules) -> String {
    let text = &text[..floor_boundary(text, TAIL_WINDOW)];
    let mut end = text.len();
    if let Some(stop) = cr.issuer_stops.find(text) {
        end = end.min(stop.start());
    }
    if let Some(i) = text.find('\n') {
        end = end.min(i);
    }
    let words: Vec<&str> = text[..end]
        .split_whitespace()
        .take(cr.issuer_max_words)
        .collect();
    words.join(" ")
}

/// A law cited by name.
struct Name {
    type_word: String,
    name: String,
    key: String,
    end: usize,
    /// Where its number starts, when the name is followed by ` số <number>`.
    number: Option<usize>,
    /// Listed in rules/laws.yaml, or an amending law (named after the laws it amends).
    listed: bool,
    /// A year written right after the name (`Luật Nhà ở 2023`): kept out of the id, so the
    /// law is one citation however it is written, and kept in the citation's `year`.
    year: Option<String>,
}

fn read_name(text: &str, start: usize, words_at: usize, cr: &CitationRules) -> Option<Name> {
    let type_word = text[start..words_at].trim_end();
    let window = &text[words_at..floor_boundary(text, words_at + LEAD_WINDOW)];
    if !may_open_name(text, start, window, cr) {
        return None;
    }
    let amending = cr.opens_amending(window);
    let type_word = squash_spaces(type_word);
    // A listed law ends where its name ends: none of the rules below are needed.
    if !amending {
        if let Some(known) = known_law(text, start, &type_word, cr) {
            let number = number_right_after(text, known.end);
            return Some(Name { number, ..known });
        }
    }
    let end = name_end(window, amending, cr);
    let (end, number) = number_in_name(window, end, words_at, cr);
    let kept = name_kept(window, end, amending, cr);
    let mut rest = squash_spaces(&window[..kept]);
    if amending {
        // `Luật Sửa đổi, bổ sung ...` is written `Luật sửa đổi, bổ sung ...` in its title.
        rest = with_listed_names(&lowercase_first(&rest), cr);
    }
    let (rest, year) = split_year(&rest);
    if rest.is_empty() {
        return None;
    }
    Some(Name {
        key: fold(rest),
        name: format!("{type_word} {rest}"),
        type_word,
        end: words_at + kept,
        number,
        listed: amending,
        year,
    })
}

/// False where the type word at `start` opens no name: a word after it that no name starts
/// with (`Luật sư`), a number, or a word before it that makes it no citation.
fn may_open_name(text: &str, start: usize, window: &str, cr: &CitationRules) -> bool {
    let first_word: String = window.chars().take_while(|c| c.is_alphanumeric()).collect();
    if first_word.is_empty()
        || cr.name_not_after.contains(&first_word)
        || first_word.chars().all(|c| c.is_ascii_digit())
    {
        return false;
    }
    let back = &text[floor_boundary(text, start.saturating_sub(40))..start];
    let back = back.trim_end().to_lowercase();
    !cr.name_not_before
        .iter()
        .any(|w| back.ends_with(w.as_str()))
}

/// Where a name not listed in the rules ends in `window`: at punctuation that ends names, a
/// stop word, or ` và Luật ...` (two laws), unless it is an amending law's name.
fn name_end(window: &str, amending: bool, cr: &CitationRules) -> usize {
    let mut end = window.len();
    // Punctuation that always ends a name.
    for (i, c) in window.char_indices() {
        let stop = match c {
            ';' | '(' | ')' | ':' | '“' | '”' | '"' | '\n' | '[' | '…' | '?' | '!' => true,
            '.' => window[i + 1..]
                .chars()
                .next()
                .is_none_or(|c| !c.is_alphanumeric()),
            ',' => {
                let rest = window[i + 1..].trim_start();
                let next_is_type = cr.type_word.find(rest).is_some_and(|m| m.start() == 0);
                // An amending law's name runs over `, Luật ...` and `, luật ...`.
                (next_is_type && !(amending && starts_law_name(rest)))
                    || cr
                        .name_comma_stops
                        .iter()
                        .any(|w| starts_with_word(rest, &[w.as_str()]))
            }
            _ => false,
        };
        if stop {
            end = i;
            break;
        }
    }
    // An amending law's name runs over the names of the laws it amends.
    let stops = if amending {
        &cr.amending_name_stops
    } else {
        &cr.name_stops
    };
    if let Some(stop) = stops.find(&window[..end]) {
        end = stop.start();
    }
    // ` và Luật ...`: two laws, unless the name is an amending law's.
    if let Some(i) = find_and_type(&window[..end], cr) {
        if !amending {
            end = i;
        }
    }
    end
}

/// ` số 18/2023/QH15` or a bare number inside the name: the name ends before it, and the
/// number's offset in the text is returned with the new end.
fn number_in_name(
    window: &str,
    mut end: usize,
    words_at: usize,
    cr: &CitationRules,
) -> (usize, Option<usize>) {
    let mut number = None;
    let mut search = 0;
    while let Some(i) = window[search..end].find(" số") {
        let at = search + i;
        let rest = window[at + " số".len()..].trim_start_matches([' ', ':']);
        if rest.starts_with(|c: char| c.is_ascii_digit()) {
            end = at;
            number = Some(words_at + window.len() - rest.len());
            break;
        }
        search = at + " số".len();
    }
    if number.is_none() {
        if let Some(m) = cr.bare_number_in_name.find(&window[..end]) {
            end = m.start();
            number = Some(words_at + m.start() + 1);
        }
    }
    (end, number)
}

/// How much of the name up to `end` is kept: at most `name_max_words` words, without the
/// punctuation and connectives (`Luật Thủ đô và` at a line's end) that trail it.
fn name_kept(window: &str, end: usize, amending: bool, cr: &CitationRules) -> usize {
    // At most `name_max_words` words, without the punctuation that ends them.
    let mut kept = end;
    let mut count = 0;
    let mut in_word = false;
    for (i, c) in window[..end].char_indices() {
        if c.is_whitespace() {
            if in_word {
                count += 1;
                if count == cr.name_max_words && !amending {
                    kept = i;
                    break;
                }
            }
            in_word = false;
        } else {
            in_word = true;
        }
    }
    let mut kept = window[..kept]
        .trim_end_matches([',', ' ', '-', '–', '\t'])
        .len();
    // Without a trailing connective (`Luật Thủ đô và` at a line's end).
    while let Some(space) = window[..kept].rfind(' ') {
        let last = &window[space + 1..kept];
        if !cr.name_comma_stops.iter().any(|w| w == last)
            && !matches!(last, "và" | "hoặc" | "của" | "cho" | "về")
        {
            break;
        }
        kept = window[..space]
            .trim_end_matches([',', ' ', '-', '–', '\t'])
            .len();
    }
    kept
}

/// The span of an amending title right after a cited number (`sửa đổi, bổ sung một số điều
/// của Luật A, Luật B;`), up to the end of its clause.
fn amending_title_after(text: &str, from: usize, cr: &CitationRules) -> Option<(usize, usize)> {
    let rest = &text[from..];
    let title = rest.trim_start_matches([' ', ',']);
    if !cr.opens_amending(title) {
        return None;
    }
    let start = from + rest.len() - title.len();
    let end = title
        .find([';', '\n'])
        .or_else(|| title.find(". "))
        .unwrap_or(title.len());
    Some((start, start + end))
}

fn lowercase_first(text: &str) -> String {
    let mut chars = text.chars();
    chars
        .next()
        .map(|first| first.to_lowercase().chain(chars).collect())
        .unwrap_or_default()
}

/// `Luật ...`, `luật ...`, `Bộ luật ...`, `Pháp lệnh ...` at the start of `text`.
fn starts_law_name(text: &str) -> bool {
    let lower = text[..floor_boundary(text, 16)].to_lowercase();
    ["luật ", "bộ luật ", "pháp lệnh "]
        .iter()
        .any(|w| lower.starts_with(w))
}

/// An amending law's name with each law it names written as rules/laws.yaml lists it
/// (`... của luật chứng khoán, luật kế toán` → `... của Luật Chứng khoán, Luật Kế toán`).
fn with_listed_names(name: &str, cr: &CitationRules) -> String {
    let mut out = String::with_capacity(name.len());
    let mut pos = 0;
    while pos < name.len() {
        let at_word = pos == 0 || name[..pos].ends_with([' ', ',']);
        if at_word && starts_law_name(&name[pos..]) {
            if let Some(known) = cr.laws.at_start(&name[pos..]) {
                out.push_str(known.name);
                pos += known.len;
                continue;
            }
        }
        let c = name[pos..].chars().next().expect("pos is a char boundary");
        out.push(c);
        pos += c.len_utf8();
    }
    out
}

/// A name and the year written after it (`Nhà ở 2023` → `Nhà ở`, `2023`).
fn split_year(name: &str) -> (&str, Option<String>) {
    match name.rsplit_once(' ') {
        Some((head, year)) if year_right_after(&format!(" {year}")).is_some() => {
            (head, Some(year.to_string()))
        }
        _ => (name, None),
    }
}

/// A law of `rules/laws.yaml` named at `start`: its listed name, and the year written right
/// after it (`Luật Nhà ở 2023`).
fn known_law(text: &str, start: usize, type_word: &str, cr: &CitationRules) -> Option<Name> {
    let known = cr.laws.at_start(&text[start..])?;
    let mut end = start + known.len;
    let name = known.name.to_string();
    let year = year_right_after(&text[end..]).map(str::to_string);
    if let Some(year) = &year {
        end += 1 + year.len();
    }
    let rest = name
        .get(type_word.len()..)
        .filter(|_| fold(&name).starts_with(&fold(type_word)))
        .unwrap_or(&name);
    Some(Name {
        key: fold(rest),
        name,
        type_word: type_word.to_string(),
        end,
        number: None,
        listed: true,
        year,
    })
}

/// Where the number of a law starts when it follows the name at once: ` số 18/2023/QH15`,
/// ` số: 18/2023/QH15` or ` 18/2023/QH15`.
fn number_right_after(text: &str, end: usize) -> Option<usize> {
    let rest = &text[end..];
    let after_space = rest.trim_start_matches(' ');
    let number = after_space
        .strip_prefix("số")
        .map_or(after_space, |r| r.trim_start_matches([' ', ':']));
    let moved = number.len() < rest.len();
    (moved && number.starts_with(|c: char| c.is_ascii_digit()) && year_right_after(rest).is_none())
        .then(|| end + rest.len() - number.len())
}

/// ` 2023` (a space and a year of 19xx or 20xx, as a whole word) at the start of `text`.
fn year_right_after(text: &str) -> Option<&str> {
    let year = text.strip_prefix(' ')?.get(..4)?;
    let rest = &text[1 + 4..];
    let is_year = (year.starts_with("19") || year.starts_with("20"))
        && year.bytes().all(|b| b.is_ascii_digit());
    (is_year && !rest.starts_with(|c: char| c.is_alphanumeric() || c == '/')).then_some(year)
}

fn starts_with_word(text: &str, words: &[&str]) -> bool {
    words.iter().any(|w| {
        text.starts_with(w)
            && text[w.len()..]
                .chars()
                .next()
                .is_none_or(|c| !c.is_alphanumeric())
    })
}

/// The offset of ` và <type word>` in a name.
fn find_and_type(name: &str, cr: &CitationRules) -> Option<usize> {
    let mut search = 0;
    while let Some(i) = name[search..].find(" và ") {
        let at = search + i;
        let rest = &name[at + " và ".len()..];
        let rest_trim = rest.strip_prefix("các ").unwrap_or(rest);
        if cr.type_word.find(rest_trim).is_some_and(|m| m.start() == 0) {
            return Some(at);
        }
        search = at + " và ".len();
    }
    None
}

/// Date, issuer, article, text and line of a mention.
fn finish(
    mention: &mut Mention,
    node: &Node,
    text: &str,
    number: &DocNumber,
    issuer_hint: Option<String>,
    rules: &Vocabulary,
) {
    let cr = &rules.citations;
    let tail = &text[mention.end..floor_boundary(text, mention.end + TAIL_WINDOW)];
    let mut after = mention.end;
    if let Some((date, first_digit, end)) = date::cited_date(tail) {
        mention.citation.date = Some(date.iso());
        mention.date_offset = Some(mention.end + first_digit);
        after = mention.end + end;
        mention.date_end = after;
    }
    let rest = &text[after..floor_boundary(text, after + TAIL_WINDOW)];
    if let Some(m) = cr.issuer_after.find(rest) {
        let issuer = cut_issuer(&rest[m.end()..], cr);
        if !issuer.is_empty() {
            let end = rest[m.end()..]
                .find(issuer.split_whitespace().last().unwrap_or(""))
                .map_or(0, |i| {
                    i + issuer.split_whitespace().last().unwrap_or("").len()
                });
            mention.tail_end = after + m.end() + end;
            mention.citation.issuer = Some(issuer);
            mention.issuer_written = true;
        }
    }
    if mention.tail_end < after {
        mention.tail_end = after;
    }
    if mention.citation.issuer.is_none() {
        if let Some(hint) = issuer_hint {
            mention.citation.issuer = Some(hint);
            mention.issuer_written = true;
        } else {
            mention.citation.issuer = issuer_from_code(number, rules);
        }
    }
    let back = &text[floor_boundary(text, mention.start.saturating_sub(80))..mention.start];
    if let Some(caps) = cr.article_before.captures(back) {
        mention.citation.article = Some(squash_spaces(&caps[1]));
    }
    mention.citation.text = squash_spaces(&text[mention.start..mention.date_end]);
    mention.citation.line = node.line_at(mention.start);
    mention.citation.path = node.path.clone();
}

/// The issuer a ký hiệu names: the first part after the type code that is a known issuer code.
fn issuer_from_code(number: &DocNumber, rules: &Vocabulary) -> Option<String> {
    number
        .symbol
        .split(['-', '/'])
        .filter(|part| number.type_code.as_deref() != Some(*part))
        .find_map(|part| rules.lexicon.issuers.by_code(part))
        .map(|issuer| issuer.name.clone())
}

/// Each mention's relation: an opener of its sentence; else a word after it (`hết hiệu
/// lực`); else an inline word close before it or before the list it stands in; else refers.
fn assign_relations(
    text: &str,
    starts: &[usize],
    mentions: &mut [Mention],
    own_title: bool,
    cr: &CitationRules,
) {
    let openers = openers(text, starts, cr);
    let inline = inline_phrases(text, starts, mentions, own_title, cr);
    // For each mention: the inline word that governs it, by its start offset.
    let mut governed_by: Vec<Option<usize>> = vec![None; mentions.len()];
    for i in 0..mentions.len() {
        let (start, sentence) = (mentions[i].start, sentence_of(starts, mentions[i].start));
        let sentence_start = starts[sentence];
        let sentence_end = starts.get(sentence + 1).copied().unwrap_or(text.len());

        let opener = openers[..openers.partition_point(|&(at, _)| at <= start)]
            .last()
            .filter(|&&(at, _)| at >= sentence_start);
        let relation = if let Some(&(_, relation)) = opener {
            if relation == Relation::Implements
                && introduced_as_rule(text, mentions, i, sentence_start, cr)
            {
                Relation::Refers
            } else {
                relation
            }
        } else if let Some(relation) =
            relation_after(text, &mentions[i], mentions.get(i + 1), sentence_end, cr)
        {
            relation
        } else {
            let prev_end = if i > 0 && mentions[i - 1].start >= sentence_start {
                mentions[i - 1].end
            } else {
                sentence_start
            };
            let candidate = inline[..inline.partition_point(|p| p.start < start)]
                .last()
                .filter(|p| p.start >= sentence_start && p.end <= start);
            match candidate {
                Some(p) if p.start >= prev_end => {
                    let gap = without_neutral_words(&text[p.end..start], cr);
                    let gap = gap.as_str();
                    if p.valid
                        && !gap.contains(';')
                        && gap_words(gap) <= cr.inline_reach
                        && !cr.gap_blocker.is_match(gap)
                    {
                        governed_by[i] = Some(p.start);
                        run_relation(text, &inline, p)
                    } else {
                        Relation::Refers
                    }
                }
                // `(Thực hiện ... Luật Thủ đô); Báo cáo số ...`: a word opened inside brackets
                // governs nothing after them.
                Some(p)
                    if i > 0
                        && governed_by[i - 1] == Some(p.start)
                        && !closes_bracket_of(text, p.start, mentions[i - 1].end, start) =>
                {
                    governed_by[i] = Some(p.start);
                    p.relation
                }
                _ => Relation::Refers,
            }
        };
        mentions[i].citation.relation = relation;
    }
}

/// Whether the phrase at `phrase_start` opens a bracket (`(Thực hiện`) that closes between
/// `from` and `to`.
fn closes_bracket_of(text: &str, phrase_start: usize, from: usize, to: usize) -> bool {
    text[..phrase_start].trim_end().ends_with('(') && text[from.min(to)..to].contains(')')
}

/// Whether mention `i`, or the list it ends (`Luật A, Luật B và Luật C`), is introduced by
/// `theo quy định của`: under `Thực hiện đúng chức trách ... theo quy định của Luật Thanh tra`
/// the document does not implement the law, it refers to it.
fn introduced_as_rule(
    text: &str,
    mentions: &[Mention],
    i: usize,
    from: usize,
    cr: &CitationRules,
) -> bool {
    let mut lead_end = mentions[i].start;
    for previous in mentions[..i].iter().rev() {
        let previous_end = previous.end.max(previous.date_end).max(previous.tail_end);
        if previous.start < from || previous_end > lead_end {
            break;
        }
        let gap = text[previous_end..lead_end].trim();
        if !matches!(gap, "" | "," | "và" | ", và") {
            break;
        }
        lead_end = previous.start;
    }
    let near = floor_boundary(text, lead_end.saturating_sub(40)).max(from);
    let before = text[near..lead_end].trim_end().to_lowercase();
    cr.rule_lead_ins
        .iter()
        .any(|w| before.ends_with(w.as_str()))
}

/// The relation of the run of relation words that ends with `last` (`Sửa đổi, bãi bỏ, thay
/// thế một số điều của Thông tư ...`): its own, or `amends` when the run mixes kinds of change,
/// since a document that changes, strikes out and replaces parts of another amends it.
fn run_relation(text: &str, inline: &[Phrase], last: &Phrase) -> Relation {
    let changes =
        |r: Relation| matches!(r, Relation::Amends | Relation::Replaces | Relation::Repeals);
    let end = inline.partition_point(|p| p.start <= last.start);
    let mut next_start = last.start;
    let mut mixed = false;
    for p in inline[..end.saturating_sub(1)].iter().rev() {
        let between = text[p.end.min(next_start)..next_start].trim();
        if !matches!(between, "," | "và" | ", và") {
            break;
        }
        mixed |= changes(p.relation) && p.relation != last.relation;
        next_start = p.start;
    }
    if mixed && changes(last.relation) {
        Relation::Amends
    } else {
        last.relation
    }
}

/// The gap between a relation word and a citation with its neutral words blanked out.
fn without_neutral_words(gap: &str, cr: &CitationRules) -> String {
    let mut out = String::with_capacity(gap.len());
    let mut last = 0;
    for m in cr.gap_neutral.find_iter(gap) {
        out.push_str(&gap[last..m.start()]);
        out.push(' ');
        last = m.end();
    }
    out.push_str(&gap[last..]);
    out
}

/// Words between a relation word and a citation, not counting the article references
/// (`bãi bỏ điểm b, điểm d khoản 2 Điều 2, điểm d khoản 4 Điều 7 Nghị định số ...`).
fn gap_words(gap: &str) -> usize {
    gap.split_whitespace()
        .map(|w| w.trim_matches(|c: char| !c.is_alphanumeric()))
        .filter(|w| {
            let lower = w.to_lowercase();
            !(w.chars().count() <= 2
                || w.chars().all(|c| c.is_ascii_digit())
                || matches!(
                    lower.as_str(),
                    "điểm" | "khoản" | "điều" | "và" | "của" | "các" | "tại"
                ))
        })
        .count()
}

/// An inline relation word in a text.
struct Phrase {
    start: usize,
    end: usize,
    relation: Relation,
    /// False when the word is not this document's doing: proposed (`đề nghị ... sửa đổi`), or
    /// said of another document cited before it in its clause (`Nghị định số X sửa đổi ...`).
    valid: bool,
}

fn inline_phrases(
    text: &str,
    starts: &[usize],
    mentions: &[Mention],
    own_title: bool,
    cr: &CitationRules,
) -> Vec<Phrase> {
    let mut out = Vec::new();
    // Only a word before a mention, in its sentence, can govern it.
    let (Some(first), Some(last)) = (mentions.first(), mentions.iter().map(|m| m.start).max())
    else {
        return out;
    };
    let mut from = starts[sentence_of(starts, first.start)];
    let mut quotes = Quotes::default();
    while let Some(m) = cr.inline.find_at(text, from).filter(|m| m.start() < last) {
        from = m.end();
        let relation = cr.relation(Kind::Inline, m.as_str());
        let sentence_start = starts[sentence_of(starts, m.start())];
        let clause_start = text[sentence_start..m.start()]
            .rfind(';')
            .map_or(sentence_start, |i| sentence_start + i + 1);
        let clause_start =
            clause_start.max(floor_boundary(text, m.start().saturating_sub(LEAD_WINDOW)));
        let clause = &text[clause_start..m.start()];
        let mut valid = !cr.phrase_blocker.is_match(clause)
            && !quotes.inside(text, m.start())
            && (own_title || !another_documents_act(text, m.start(), sentence_start, mentions, cr));
        if valid && !matches!(relation, Relation::Basis | Relation::Implements) {
            let first_after = mentions.partition_point(|n| n.end <= clause_start);
            valid = mentions.get(first_after).is_none_or(|n| n.end > m.start());
        }
        out.push(Phrase {
            start: m.start(),
            end: m.end(),
            relation,
            valid,
        });
    }
    out
}

/// Whether the relation word at `at` is another document's: a document type stands right
/// before it (`Nghị định hướng dẫn Luật số ...`, `Kế hoạch thực hiện Kết luận số ...`) and that
/// document is itself cited or described earlier in the sentence (`Quyết định số 1745/QĐ-TTg
/// về việc ban hành Kế hoạch thực hiện ...`) or being drafted (`xây dựng Nghị định hướng
/// dẫn ...`). `Kế hoạch triển khai Quyết định số ...` alone, or in the trích yếu, is this
/// document's act.
fn another_documents_act(
    text: &str,
    at: usize,
    sentence_start: usize,
    mentions: &[Mention],
    cr: &CitationRules,
) -> bool {
    let before = text[..at].trim_end();
    let window_start = floor_boundary(before, before.len().saturating_sub(48));
    let Some(type_at) = cr
        .type_word
        .find_iter(&before[window_start..])
        .find(|m| window_start + m.end() == before.len())
        .map(|m| window_start + m.start())
    else {
        return false;
    };
    let cited_before = mentions
        .iter()
        .any(|n| n.start >= sentence_start && n.end <= type_at);
    let lead = text[..type_at].trim_end().to_lowercase();
    cited_before || cr.drafting_words.iter().any(|w| lead.ends_with(w.as_str()))
}

/// Quotation marks counted from the start of a text, for offsets asked in increasing order.
/// Words inside quotation marks are another text's (`Luật ... quy định: “9. Bãi bỏ các điều 3,
/// 4 của Nghị quyết số 193/2025/QH15”` is that law's act).
#[derive(Default)]
struct Quotes {
    counted_to: usize,
    open: usize,
    close: usize,
    straight: usize,
}

impl Quotes {
    fn inside(&mut self, text: &str, at: usize) -> bool {
        for c in text[self.counted_to..at].chars() {
            match c {
                '“' => self.open += 1,
                '”' => self.close += 1,
                '"' => self.straight += 1,
                _ => {}
            }
        }
        self.counted_to = at;
        self.open > self.close || self.straight % 2 == 1
    }
}

/// `Quyết định số ... hết hiệu lực`: a relation word after the mention, in its clause.
fn relation_after(
    text: &str,
    mention: &Mention,
    next: Option<&Mention>,
    sentence_end: usize,
    cr: &CitationRules,
) -> Option<Relation> {
    let from = mention.tail_end.max(mention.date_end);
    let mut to = floor_boundary(text, (from + TAIL_WINDOW).min(sentence_end));
    if let Some(next) = next {
        to = to.min(next.start.max(from));
    }
    if from >= to {
        return None;
    }
    let window = &text[from..to];
    let window = &window[..window.find(';').unwrap_or(window.len())];
    let m = cr.after.find(window)?;
    Some(cr.relation(Kind::After, m.as_str()))
}

#[cfg(test)]
mod tests;

pub mod laws;
