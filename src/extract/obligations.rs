//! Obligations per agency, their deadlines, and numeric targets.
//!
//! A task unit is the smallest node that states a task: a lettered clause, a bullet, an
//! enumeration, or a section with no children. Its agencies come, in order of precedence, from
//!
//! 1. assignment lines under it (`Đơn vị chủ trì: Sở Khoa học và Công nghệ.`), or under the
//!    next sibling task that has them;
//! 2. the subject its text opens with (`UBND các quận, huyện, thị xã chỉ đạo ...`), or the
//!    agencies named after an assigning verb (`Giao Công an Thành phố ...`) where no heading
//!    names an agency;
//! 3. the nearest heading that names agencies (`3. Sở Y tế`, `11. Đề nghị Ủy ban MTTQ ...`).
//!
//! The preamble, the closing and the text of nodes with children give tasks only through
//! explicit subjects and assigning verbs; the execution article of a decision
//! (`... chịu trách nhiệm thi hành Quyết định này`) gives one to each body it lists.

pub mod deadlines;
mod lead_in;
mod scan;
mod short_names;
mod tables;
pub mod targets;

use regex::Regex;
use serde::Deserialize;

/// How far past its start a list of agencies is searched (bytes).
const LIST_WINDOW: usize = 3000;

/// Where a list that starts at `pos` must end: at the end of its sentence or line, and at most
/// [`LIST_WINDOW`] bytes on.
fn list_window_end(text: &str, pos: usize) -> usize {
    let limit = crate::text::floor_boundary(text, pos + LIST_WINDOW);
    let window = &text.as_bytes()[pos..limit];
    // One pass over the bytes: whichever of a line break and `. ` comes first ends the list.
    for (i, &b) in window.iter().enumerate() {
        if b == b'\n' {
            return pos + i;
        }
        if b == b'.' && window.get(i + 1) == Some(&b' ') {
            return pos + i + 1;
        }
    }
    pos + window.len()
}

use crate::extract::header::Header;
use crate::lexicon::agencies::{
    key, key_is, longest, AgencyRules, Candidate, Category, Finder, KeyHead, Keyed, Mention,
};
use crate::record::{
    Deadline, Diagnostic, Modality, Node, NodeKind, Obligation, Role, Signer, Target,
};
use crate::rules::{RuleSource, RulesError};
use scan::Scan;

/// Compiled rules of `rules/obligations.yaml`.
#[derive(Debug)]
pub struct ObligationRules {
    /// (key, modality), longest first.
    assigners: Vec<(String, Modality)>,
    heading_prefixes: Vec<(String, Option<Modality>)>,
    heading_suffixes: Vec<String>,
    heading_qualifiers: Vec<String>,
    separators: Vec<String>,
    name_enders: Vec<String>,
    /// The enders as written, lower case: a folded match is confirmed on the tones, since
    /// folding makes a name's own word look like an ender (`cổ` of `Đô thị cổ Hội An` is `có`).
    name_enders_written: Vec<String>,
    /// Keys of nouns made of a word and an ender (`công trình`): the ender does not end a name.
    name_compounds: Vec<String>,
    subject_blockers: Vec<String>,
    /// Generic words closing a list of agencies (`và các cơ quan, tổ chức có liên quan`).
    generic_tails: Vec<String>,
    clause_openers: Vec<String>,
    support_openers: Vec<String>,
    support_skip: Vec<String>,
    partner_markers: Vec<String>,
    /// (label key, role), longest first.
    assignment_lines: Vec<(String, Role)>,
    time_labels: Vec<String>,
    execution: Regex,
    /// (title key, body replacing it), longest first.
    office_titles: Vec<(String, String)>,
    /// Words after a subject that name it the one responsible (`có trách nhiệm`).
    responsibility_cues: Vec<String>,
    /// Words that give a name its short form (`(sau đây gọi tắt là Ban Chỉ đạo)`), longest first.
    short_name_cues: Vec<String>,
    /// What may close a lead-in after its cue (`sau đây`, `các nội dung sau`).
    lead_in_tails: Vec<String>,
    /// Qualifiers kept in a collective's name (`có liên quan`), longest first.
    collective_qualifiers: Vec<String>,
    /// (written key, head): `Ủy ban nhân dân các xã:` + names, longest first.
    group_prefixes: Vec<(String, String)>,
    /// Words that no agency name holds (`có trách nhiệm`, `chủ trì`, `trước ngày`).
    name_fragments: Vec<String>,
    /// Words, as written (lower case, diacritics kept), that no agency name holds: `sẽ`, `nội
    /// dung`. Kept with their diacritics because their keys are words of names (`đã`, `Đà`).
    name_fragment_words: Vec<String>,
    /// Words, as written (case kept), that no agency name ends with: a function word or the
    /// first half of a compound (`Cục Quản lý Y`, `Văn phòng Ban Chỉ`): the name was cut.
    name_cut_ends: Vec<String>,
    /// Forms of address before an office title (`các đồng chí`), longest first.
    address_words: Vec<String>,
    /// (heading key, column) of tables of tasks, longest first.
    table_columns: Vec<(String, tables::Column)>,
    pub deadlines: deadlines::DeadlineRules,
    pub targets: targets::TargetRules,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PhraseModality {
    phrase: String,
    #[serde(default)]
    modality: Option<Modality>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct AssignmentLine {
    label: String,
    role: Role,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct OfficeTitle {
    title: String,
    body: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct GroupPrefix {
    written: String,
    head: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Recurrence {
    pattern: String,
    recurrence: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ObligationsFile {
    assigners: Vec<PhraseModality>,
    heading_prefixes: Vec<PhraseModality>,
    heading_suffixes: Vec<String>,
    heading_qualifiers: Vec<String>,
    list_separators: Vec<String>,
    name_enders: Vec<String>,
    #[serde(default)]
    name_compounds: Vec<String>,
    subject_blockers: Vec<String>,
    #[serde(default)]
    generic_tails: Vec<String>,
    clause_openers: Vec<String>,
    support_openers: Vec<String>,
    support_skip: Vec<String>,
    partner_markers: Vec<String>,
    assignment_lines: Vec<AssignmentLine>,
    time_labels: Vec<String>,
    execution: String,
    office_titles: Vec<OfficeTitle>,
    #[serde(default)]
    responsibility_cues: Vec<String>,
    #[serde(default)]
    short_name_cues: Vec<String>,
    #[serde(default)]
    lead_in_tails: Vec<String>,
    #[serde(default)]
    name_fragments: Vec<String>,
    #[serde(default)]
    name_fragment_words: Vec<String>,
    #[serde(default)]
    name_cut_ends: Vec<String>,
    #[serde(default)]
    address_words: Vec<String>,
    #[serde(default)]
    collective_qualifiers: Vec<String>,
    #[serde(default)]
    group_prefixes: Vec<GroupPrefix>,
    #[serde(default)]
    table_columns: Vec<tables::ColumnHeading>,
    #[serde(default)]
    start_cues: Vec<String>,
    #[serde(default)]
    start_range_ends: Vec<String>,
    #[serde(default)]
    deadline_conditions: Vec<String>,
    deadline_cues: Vec<String>,
    recurrences: Vec<Recurrence>,
    target_units: Vec<String>,
    money_units: Vec<String>,
    target_cues: Vec<String>,
    target_blockers: Vec<String>,
}

fn longest_first<T>(mut v: Vec<(String, T)>) -> Vec<(String, T)> {
    v.sort_by_key(|(k, _)| std::cmp::Reverse(k.len()));
    v
}

/// A phrase as written, in composed form, words (letters and digits) separated by one space.
fn composed(text: &str) -> String {
    use unicode_normalization::UnicodeNormalization;
    let words: String = text
        .nfc()
        .map(|c| if c.is_alphanumeric() { c } else { ' ' })
        .collect();
    words.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// A phrase as written, lower case: see [`composed`].
fn written(text: &str) -> String {
    composed(text).to_lowercase()
}

fn keys_longest_first(v: &[String]) -> Vec<String> {
    let mut out: Vec<String> = v.iter().map(|s| key(s)).filter(|s| !s.is_empty()).collect();
    out.sort_by_key(|k| std::cmp::Reverse(k.len()));
    out
}

impl ObligationRules {
    pub fn load(source: &RuleSource) -> Result<Self, RulesError> {
        let (origin, file): (_, ObligationsFile) = source.yaml("obligations.yaml")?;
        let bad = |e: regex::Error| RulesError::invalid(&origin, e);
        let recurrences: Vec<(String, String)> = file
            .recurrences
            .iter()
            .map(|r| (r.pattern.clone(), r.recurrence.clone()))
            .collect();
        Ok(ObligationRules {
            assigners: longest_first(
                file.assigners
                    .iter()
                    .map(|a| (key(&a.phrase), a.modality.unwrap_or_default()))
                    .collect(),
            ),
            heading_prefixes: longest_first(
                file.heading_prefixes
                    .iter()
                    .map(|a| (key(&a.phrase), a.modality))
                    .collect(),
            ),
            heading_suffixes: keys_longest_first(&file.heading_suffixes),
            heading_qualifiers: keys_longest_first(&file.heading_qualifiers),
            separators: file
                .list_separators
                .iter()
                .map(|s| s.trim().to_lowercase())
                .collect(),
            name_enders: keys_longest_first(&file.name_enders),
            name_enders_written: file.name_enders.iter().map(|e| written(e)).collect(),
            name_compounds: keys_longest_first(&file.name_compounds),
            subject_blockers: keys_longest_first(&file.subject_blockers),
            generic_tails: keys_longest_first(&file.generic_tails),
            clause_openers: keys_longest_first(&file.clause_openers),
            support_openers: keys_longest_first(&file.support_openers),
            support_skip: keys_longest_first(&file.support_skip),
            partner_markers: keys_longest_first(&file.partner_markers),
            assignment_lines: longest_first(
                file.assignment_lines
                    .iter()
                    .map(|a| (key(&a.label), a.role))
                    .collect(),
            ),
            time_labels: keys_longest_first(&file.time_labels),
            execution: Regex::new(&file.execution).map_err(bad)?,
            office_titles: longest_first(
                file.office_titles
                    .iter()
                    .map(|t| (key(&t.title), t.body.clone()))
                    .collect(),
            ),
            responsibility_cues: keys_longest_first(&file.responsibility_cues),
            short_name_cues: keys_longest_first(&file.short_name_cues),
            lead_in_tails: keys_longest_first(&file.lead_in_tails),
            name_fragments: keys_longest_first(&file.name_fragments),
            name_fragment_words: file
                .name_fragment_words
                .iter()
                .map(|w| written(w))
                .collect(),
            name_cut_ends: file.name_cut_ends.iter().map(|w| composed(w)).collect(),
            address_words: keys_longest_first(&file.address_words),
            collective_qualifiers: keys_longest_first(&file.collective_qualifiers),
            group_prefixes: longest_first(
                file.group_prefixes
                    .iter()
                    .map(|g| (key(&g.written), g.head.clone()))
                    .collect(),
            ),
            table_columns: tables::compile(&file.table_columns),
            deadlines: deadlines::DeadlineRules::new(
                &keys_longest_first(&file.deadline_cues)
                    .iter()
                    .map(|c| regex::escape(c))
                    .collect::<Vec<_>>()
                    .join("|"),
                &recurrences,
            )
            .map_err(bad)?
            .with_starts(
                &file.start_cues,
                &keys_longest_first(&file.start_range_ends)
                    .iter()
                    .map(|c| regex::escape(c))
                    .collect::<Vec<_>>()
                    .join("|"),
                keys_longest_first(&file.deadline_conditions),
            )
            .map_err(bad)?,
            targets: targets::TargetRules::new(
                &file.target_units,
                &file.money_units,
                &file.target_cues,
                &file.target_blockers,
            )
            .map_err(bad)?,
        })
    }
}

/// Obligations, targets and diagnostics of a document whose header, sections and
/// citations are already recognised.
pub fn extract(
    document: &super::Context,
    rules: &ObligationRules,
) -> (Vec<Obligation>, Vec<Target>, Vec<Diagnostic>) {
    let cx = Context::new(document, rules);
    let mut out = Vec::new();
    // `... yêu cầu các Bộ trưởng ... thực hiện các nội dung sau:` closing the preamble.
    let mut preamble_lead: Option<Heading> = None;
    for node in document.sections {
        cx.walk(node, preamble_lead.as_ref(), None, &mut out);
        if node.kind == NodeKind::Preamble {
            preamble_lead = cx.preamble_lead_in(node);
        }
    }
    let mut seen = std::collections::HashSet::new();
    out.retain(|o: &Obligation| seen.insert((o.path.clone(), o.agency.clone())));
    // A candidate name holding a verb phrase, a date or a deadline word is not an agency.
    let mut diagnostics = Vec::new();
    let mut reported = std::collections::HashSet::new();
    // Asked once per name: a long list of tasks names the same few agencies.
    let mut fragments: std::collections::HashMap<String, bool> = std::collections::HashMap::new();
    out.retain(|o: &Obligation| {
        let fragment = match fragments.get(&o.agency) {
            Some(&f) => f,
            None => {
                let f = cx.is_fragment(&o.agency);
                fragments.insert(o.agency.clone(), f);
                f
            }
        };
        if !fragment {
            return true;
        }
        if reported.insert((o.line, o.agency.clone())) {
            let at = crate::record::locate(document.sections, &o.path, o.line, &o.agency);
            diagnostics.push(Diagnostic {
                severity: crate::record::Severity::Info,
                code: "agency-fragment".to_string(),
                message: format!(
                    "not taken as an agency (a phrase, not a name): {}",
                    o.agency
                ),
                line: at.0,
                column: at.1,
            });
        }
        false
    });
    // A deadline before the document's own date.
    if let Some(date) = document.header.date.as_deref() {
        let mut warned = std::collections::HashSet::new();
        for o in &out {
            if let Some(d) = o.deadline.as_ref().and_then(|d| d.date.as_deref()) {
                if d < date && warned.insert((o.line, d.to_string())) {
                    let deadline = o.deadline.as_ref().map_or("", |d| d.text.as_str());
                    let at = crate::record::locate(document.sections, &o.path, o.line, deadline);
                    diagnostics.push(Diagnostic {
                        severity: crate::record::Severity::Warning,
                        code: "deadline-before-date".to_string(),
                        message: format!(
                            "deadline {d} ({}) is earlier than the document's date {date}",
                            o.deadline.as_ref().map(|d| d.text.as_str()).unwrap_or("")
                        ),
                        line: at.0,
                        column: at.1,
                    });
                }
            }
        }
    }
    let targets = find_targets(document, rules);
    (out, targets, diagnostics)
}

/// The heading a node makes for what is under it, and how much of its text is that heading.
struct NodeHeading {
    heading: Option<Heading>,
    /// The whole text is the heading: it holds no task of its own.
    text_is_heading: bool,
    /// Where the node's own tasks end in its content (before a closing lead-in).
    text_end: usize,
}

/// Agencies named by a heading, with the modality its wording gives.
#[derive(Debug, Clone, Default)]
struct Heading {
    agencies: Vec<Mention>,
    modality: Option<Modality>,
    /// Given by the preamble's closing lead-in to the numbered tasks: a task that names its
    /// own agencies anywhere in its text keeps them; only a task that names none takes these.
    weak: bool,
}

/// What a task unit's own text says about who does it.
struct Given {
    mention: Mention,
    modality: Option<Modality>,
    /// Offset in the unit text where the agency's part of the task starts.
    from: usize,
    role: Option<Role>,
    partners: Vec<String>,
    deadline: Option<Deadline>,
}

/// An assignment block (`Đơn vị chủ trì: ...`, `Đơn vị phối hợp: ...`, `Thời gian thực hiện: ...`).
#[derive(Debug, Clone, Default)]
struct Assignment {
    lead: Vec<Mention>,
    support: Vec<Mention>,
    deadline: Option<Deadline>,
    /// Offset where the block starts in the text it was found in.
    start: usize,
}

impl Assignment {
    fn is_empty(&self) -> bool {
        self.lead.is_empty() && self.support.is_empty()
    }
}

struct Context<'a> {
    doc: &'a Header,
    agencies: &'a AgencyRules,
    rules: &'a ObligationRules,
    locality: Option<String>,
    /// The issuer as an agency, so it is not given its own tasks.
    issuer: Option<usize>,
    /// The issuer commands ministries and state groups (the Government, the Prime Minister).
    /// Set too when the issuer's own lead-in orders a central body (`yêu cầu các Bộ ...`).
    central: std::cell::Cell<bool>,
    /// The columns of the table of tasks whose headings stand in the node being walked or above.
    table: std::cell::RefCell<Option<tables::Table>>,
    /// Short forms the text gives names (`Ban Chỉ đạo` for `Ban Chỉ đạo Nhà nước về Du lịch`),
    /// by key of the short form.
    short_names: std::collections::HashMap<String, String>,
    /// The key of each node text read whole, by that text: a leaf's text is read by its
    /// parent's assignment scans, by the execution check, by its own assignment scan and by
    /// the subject search, and is folded once for all of them.
    keys: std::cell::RefCell<std::collections::HashMap<String, std::rc::Rc<Keyed>>>,
}

impl<'a> Context<'a> {
    fn new(document: &super::Context<'a>, rules: &'a ObligationRules) -> Self {
        let agencies = &document.lexicon.agencies;
        let (doc, signer): (&Header, &Signer) = (document.header, document.signer);
        let locality = doc
            .issuer
            .as_deref()
            .and_then(|i| agencies.locality_in(i))
            .or_else(|| agencies.locality_in(&signer.body))
            .or_else(|| {
                doc.place
                    .as_deref()
                    .and_then(|p| agencies.locality_of_place(p))
            });
        let issuer = doc
            .issuer
            .as_deref()
            .map(|i| agencies.find(i, locality.as_deref()))
            .and_then(|m| m.first().and_then(|m| m.agency))
            .or_else(|| {
                // A document of the people's committee (`KH-UBND`, `QĐ-UBND`) is issued by it.
                (doc.symbol.ends_with("UBND") || key(&signer.body) == "uy ban nhan dan")
                    .then(|| agencies.resolve("Ủy ban nhân dân", None))
                    .flatten()
                    .and_then(|a| agencies.agencies.iter().position(|b| b.name == a.name))
            });
        let central = agencies.is_central_issuer(doc.issuer.as_deref(), &doc.symbol);
        let short_names = short_names::defined(document.sections, &rules.short_name_cues);
        Context {
            doc,
            agencies,
            rules,
            locality,
            issuer,
            central: std::cell::Cell::new(central),
            table: std::cell::RefCell::new(None),
            short_names,
            keys: std::cell::RefCell::new(std::collections::HashMap::new()),
        }
    }

    /// `Keyed::new(text)`, made once per text (see [`Context::keys`]).
    fn keyed(&self, text: &str) -> std::rc::Rc<Keyed> {
        if let Some(keyed) = self.keys.borrow().get(text) {
            return keyed.clone();
        }
        let keyed = std::rc::Rc::new(Keyed::new(text));
        self.keys
            .borrow_mut()
            .insert(text.to_string(), keyed.clone());
        keyed
    }

    fn find(&self, text: &str) -> Vec<Mention> {
        self.agencies
            .find(text, self.locality.as_deref())
            .into_iter()
            .filter(|m| m.agency.is_none() || m.agency != self.issuer)
            .map(|m| self.as_written(text, m))
            .collect()
    }

    /// A name read where a subject or a list item stands, not found by the lexicon's search: the
    /// agency the rules know by that spelling (a local body's bare name, `Trung tâm Chuyển đổi
    /// số`, is not searched in texts but resolves), else a name the rules do not know.
    fn named(&self, start: usize, end: usize, name: String) -> Mention {
        // A short form stands for the full name the text gave it.
        let name = self.short_names.get(&key(&name)).cloned().unwrap_or(name);
        match self.agencies.resolve_index(&name) {
            Some(i) => {
                let a = &self.agencies.agencies[i];
                Mention {
                    start,
                    end,
                    name: a.name_in(self.locality.as_deref()),
                    agency: Some(i),
                    category: a.category,
                }
            }
            None => Mention {
                start,
                end,
                name,
                agency: None,
                category: Category::State,
            },
        }
    }

    /// `Hội đồng nhân dân, Ủy ban nhân dân cấp tỉnh có trách nhiệm`: a subject that is a list
    /// of names, each capitalised, read as those names, not as one (`start` is where `name`
    /// stands in the text). `None` when it is one name (`Cơ quan, tổ chức, cá nhân`).
    fn subject_list(&self, name: &str, start: usize) -> Option<Vec<Mention>> {
        let pieces = split_list(name, |piece, rest| self.continues_name(piece, rest));
        if pieces.len() < 2
            || !pieces
                .iter()
                .all(|p| p.starts_with(|c: char| c.is_uppercase()))
        {
            return None;
        }
        // Each piece a name: known as written, or opening with an agency head.
        pieces
            .into_iter()
            .map(|piece| {
                let at = start + (piece.as_ptr() as usize - name.as_ptr() as usize);
                let known = self.find(piece);
                match known.as_slice() {
                    [m] if m.start == 0 && m.end == piece.len() => Some(Mention {
                        start: at,
                        end: at + piece.len(),
                        ..m.clone()
                    }),
                    _ => {
                        let m = self.named(at, at + piece.len(), piece.to_string());
                        (m.known() || self.agencies.starts_with_head(strip_cac(piece))).then_some(m)
                    }
                }
            })
            .collect()
    }

    /// True when `rest`, the text after a comma or a `và` inside a list, goes on with the name
    /// `piece` before it rather than opening the next one: `piece` is a name (an agency head,
    /// maybe after an office title) and `rest` opens with a capitalised word that is neither an
    /// agency head nor an office title (`Cục Hạ tầng và Thiết bị y tế`, `Vụ Kế hoạch, Tài chính`).
    fn continues_name(&self, piece: &str, rest: &str) -> bool {
        let piece = self.strip_office_title(piece);
        if !self.agencies.starts_with_head(strip_cac(&piece)) {
            return false;
        }
        let rest = rest.trim_start_matches(|c: char| c.is_whitespace() || c == '*' || c == '_');
        if !rest.starts_with(|c: char| c.is_uppercase()) || self.agencies.starts_with_head(rest) {
            return false;
        }
        let titles = self.rules.office_titles.iter().map(|(t, _)| t);
        let head = KeyHead::new(
            &rest[..crate::text::floor_boundary(rest, 40)],
            longest(titles).max("cac".len()),
        );
        let opens = |w: &str| head.opening(w).is_some_and(|o| o.is_word());
        !(opens("cac") || self.rules.office_titles.iter().any(|(t, _)| opens(t)))
    }

    /// A collective body is kept as written (`các cơ quan, đơn vị có liên quan` is not
    /// `Các cơ quan, đơn vị, địa phương`), without the office title before it, and in a local
    /// document with the issuer's locality.
    fn as_written(&self, text: &str, mut m: Mention) -> Mention {
        let Some(i) = m.agency else { return m };
        let a = &self.agencies.agencies[i];
        if !a.collective || a.category == Category::Central || a.placeless || m.end > text.len() {
            return m;
        }
        let mut written = text[m.start..m.end].trim();
        // `Giám đốc, Thủ trưởng các sở, ban, ngành`: the body, not the office.
        loop {
            let head = KeyHead::new(written, self.titles_longest());
            let Some(title_end) = self.rules.office_titles.iter().find_map(|(t, body)| {
                let o = head
                    .opening(t)
                    .filter(|o| body.is_empty() && o.is_followed())?;
                Some(o.end)
            }) else {
                break;
            };
            written = written[title_end..]
                .trim_start_matches([' ', ',', '/'])
                .trim_start();
        }
        let mut written = written.trim_end_matches([',', ';', ':', '.', ' ']);
        if written.is_empty() {
            return m;
        }
        // `Giám đốc các sở, Thủ trưởng các ban, ngành`: an office title inside the written
        // name leaves no name as written; the canonical one stands.
        let inner = format!(" {} ", key(written));
        if self
            .rules
            .office_titles
            .iter()
            .any(|(t, body)| body.is_empty() && inner.contains(&format!(" {t} ")))
        {
            written = a.name.as_str();
        }
        let mut name = String::new();
        let mut chars = written.chars();
        if let Some(c) = chars.next() {
            name.extend(c.to_uppercase());
            name.push_str(chars.as_str());
        }
        if let Some(loc) = self.locality.as_deref() {
            let k = key(&name);
            let has_place = self.agencies.locality_in(&name).is_some();
            let level_end = ["thanh pho", "tinh", "tp"]
                .iter()
                .find(|l| k.ends_with(&format!(" {l}")))
                .map(|l| l.split(' ').count());
            let by_level = ["cap tinh", "cap thanh pho"]
                .iter()
                .any(|l| k.ends_with(&format!(" {l}")));
            if !has_place && !by_level {
                if let Some(n) = level_end {
                    let words: Vec<&str> = name.split_whitespace().collect();
                    name = format!("{} {loc}", words[..words.len() - n].join(" "));
                } else {
                    name = format!("{name} {loc}");
                }
            }
        }
        m.name = name;
        m
    }

    /// A collective with the qualifier written after it (`các sở, ngành` + `có liên quan`).
    fn with_qualifier(&self, text: &str, m: Mention, keyed: Option<&Keyed>) -> Mention {
        let Some(i) = m.agency else { return m };
        if !self.agencies.agencies[i].collective || m.end >= text.len() {
            return m;
        }
        let after = skip_space(text, m.end);
        let window = crate::text::floor_boundary(text, after + 60);
        let qualifiers = &self.rules.collective_qualifiers;
        let head = head_of(text, keyed, after..window, longest(qualifiers));
        for q in qualifiers {
            if let Some(o) = head.opening(q).filter(|o| o.is_word()) {
                let end = after + o.end;
                let wider = Mention { end, ..m.clone() };
                return self.as_written(text, wider);
            }
        }
        m
    }

    /// The length of the longest office title's key, for a [`KeyHead`] that checks them all.
    fn titles_longest(&self) -> usize {
        longest(self.rules.office_titles.iter().map(|(t, _)| t))
    }

    /// True when an unknown name holds a verb phrase, a date or a deadline word.
    fn is_fragment(&self, name: &str) -> bool {
        if name.contains([';', ':']) || name.matches('(').count() != name.matches(')').count() {
            return true;
        }
        if self.is_cut_or_verb_phrase(name) {
            return true;
        }
        let k = format!(" {} ", key(name));
        if self
            .rules
            .name_fragments
            .iter()
            .any(|f| k.contains(&format!(" {f} ")))
        {
            return true;
        }
        // A date: `01/7/2025`, `ngày 15`.
        let b = name.as_bytes();
        b.windows(3)
            .any(|w| w[0].is_ascii_digit() && w[1] == b'/' && w[2].is_ascii_digit())
            || k.contains(" ngay 0")
            || k.split(' ')
                .collect::<Vec<_>>()
                .windows(2)
                .any(|w| w[0] == "ngay" && w[1].starts_with(|c: char| c.is_ascii_digit()))
    }

    /// A name holding a word no name holds (`Sở AH sẽ`), or ending where no name ends
    /// (`Cục Quản lý Y`): compared as written, since keys fold `đã` into `Đà`.
    fn is_cut_or_verb_phrase(&self, name: &str) -> bool {
        let as_written = format!(" {} ", composed(name));
        let lower = as_written.to_lowercase();
        self.rules
            .name_fragment_words
            .iter()
            .any(|f| lower.contains(&format!(" {f} ")))
            || self
                .rules
                .name_cut_ends
                .iter()
                .any(|e| as_written.ends_with(&format!(" {e} ")))
    }

    fn walk(
        &self,
        node: &Node,
        heading: Option<&Heading>,
        inherited: Option<&Assignment>,
        out: &mut Vec<Obligation>,
    ) {
        self.walk_tables(node, heading, inherited, out);
        // The node is read: its key is not asked for again, and the keys kept are only those
        // of the nodes being walked and of their children.
        self.keys.borrow_mut().remove(node.content().as_str());
    }

    fn walk_node(
        &self,
        node: &Node,
        heading: Option<&Heading>,
        inherited: Option<&Assignment>,
        out: &mut Vec<Obligation>,
    ) {
        let content = node.content();
        if let Some(found) = self.execution(node, &content) {
            out.extend(found);
            return;
        }
        let free = matches!(node.kind, NodeKind::Preamble | NodeKind::Closing);
        // Text of a node with children, the preamble and the closing: explicit subjects only.
        let text_start = if node.title.is_empty() {
            0
        } else {
            node.title.len() + 1
        };
        let NodeHeading {
            heading: own_heading,
            text_is_heading,
            text_end,
        } = self.node_heading(node, free, text_start);
        let heading = own_heading.as_ref().or(heading);
        if node.children.is_empty() && !free {
            self.unit(node, heading, own_heading.is_some(), inherited, out);
            return;
        }
        if !node.text.is_empty() && !text_is_heading {
            let strong = heading.is_some_and(|h| !h.weak);
            self.explicit(node, &content[..text_end], text_start, strong, out);
        }
        // Assignment nodes among the children (`Cơ quan thực hiện:` with `Đơn vị chủ trì: X`
        // under it, `Thời gian thực hiện: ...`) apply to every task of this node.
        let mut block: Option<Assignment> = None;
        let mut is_assignment_node = vec![false; node.children.len()];
        for (i, child) in node.children.iter().enumerate() {
            if let Some(a) = self.assignment_node(child) {
                is_assignment_node[i] = true;
                let b = block.get_or_insert_with(Assignment::default);
                b.lead.extend(a.lead);
                b.support.extend(a.support);
                if a.deadline.is_some() {
                    b.deadline = a.deadline;
                }
            }
        }
        let block = match (block, inherited) {
            (Some(b), _) if !b.is_empty() => Some(b),
            (Some(b), Some(i)) => Some(Assignment {
                deadline: b.deadline.or_else(|| i.deadline.clone()),
                ..i.clone()
            }),
            (_, i) => i.cloned(),
        };
        // Assignment lines at the end of a task's text apply to the tasks before it too.
        let mut pending: Vec<usize> = Vec::new();
        let mut assignments: Vec<Option<Assignment>> = vec![None; node.children.len()];
        for (i, child) in node.children.iter().enumerate() {
            if is_assignment_node[i] || !child.children.is_empty() {
                continue;
            }
            match self.assignment(&child.content()).filter(|a| !a.is_empty()) {
                Some(a) => {
                    for p in pending.drain(..) {
                        assignments[p] = Some(a.clone());
                    }
                    assignments[i] = Some(a);
                }
                None => pending.push(i),
            }
        }
        let mut tasks = 0;
        for (i, child) in node.children.iter().enumerate() {
            if is_assignment_node[i] {
                continue;
            }
            tasks += 1;
            let inherited = assignments[i].as_ref().or(block.as_ref());
            self.walk(child, heading, inherited, out);
        }
        // Only assignment nodes under a titled node: the node is the task.
        if tasks == 0 && !free {
            if let Some(b) = block.as_ref().filter(|b| !b.is_empty()) {
                self.unit(node, None, false, Some(b), out);
            }
        }
    }

    /// The assignment of a node that is only assignment lines (and of its children).
    fn assignment_node(&self, node: &Node) -> Option<Assignment> {
        let mut a = self.assignment(&node.content()).filter(|a| a.start == 0)?;
        for child in &node.children {
            if let Some(c) = self.assignment_node(child) {
                a.lead.extend(c.lead);
                a.support.extend(c.support);
                if c.deadline.is_some() {
                    a.deadline = c.deadline;
                }
            }
        }
        Some(a)
    }

    /// The agencies a heading names, when it names nothing else.
    fn heading(&self, title: &str) -> Option<Heading> {
        let keyed = Keyed::new(title);
        let mut pos = 0;
        let mut modality = None;
        for (prefix, m) in &self.rules.heading_prefixes {
            if keyed.key.starts_with(prefix.as_str())
                && (keyed.key.len() == prefix.len() || keyed.key.as_bytes()[prefix.len()] == b' ')
            {
                pos = keyed.end(prefix.len());
                let rest = &title[pos..];
                pos += rest.len() - rest.trim_start_matches([' ', ':']).len();
                modality = *m;
                break;
            }
        }
        let allow_unknown = !crate::text::is_upper(title);
        let list = self.list_at(title, pos, allow_unknown);
        if let Some(last) = list.last() {
            let rest = key(&title[last.end..]);
            if self.is_lead_in_rest(&rest) {
                return Some(Heading {
                    agencies: list,
                    modality,
                    weak: false,
                });
            }
            // One collective narrowed down: `Ủy ban nhân dân các tỉnh, thành phố từ Hà Tĩnh
            // đến Khánh Hòa`: the agency is the whole name as written.
            if list.len() == 1
                && self
                    .rules
                    .heading_qualifiers
                    .iter()
                    .any(|q| crate::text::starts_with_word(&rest, q))
            {
                let name = self
                    .strip_lead_in(title[list[0].start..].trim())
                    .trim_end_matches([':', '.', ';', ','])
                    .trim()
                    .to_string();
                let mut m = list[0].clone();
                m.end = m.start + name.len();
                m.name = name;
                return Some(Heading {
                    agencies: vec![m],
                    modality,
                    weak: false,
                });
            }
        }
        // `Các đơn vị cấp nước sạch trên địa bàn thành phố có trách nhiệm (sau đây)`: whatever
        // names itself responsible is an agency.
        if allow_unknown {
            let k = &keyed.key;
            for cue in &self.rules.responsibility_cues {
                let Some(idx) = find_word(k, cue) else {
                    continue;
                };
                if idx <= pos_key(&keyed, pos) || !self.is_lead_in_rest(&k[idx + cue.len()..]) {
                    continue;
                }
                let end = keyed.end(k[..idx].trim_end().len());
                let name = title[pos..end].trim().trim_end_matches([',', ':']).trim();
                let words = name.split_whitespace().count();
                if (2..=14).contains(&words) && name.starts_with(|c: char| c.is_uppercase()) {
                    let known = self.find(name);
                    let agencies =
                        if known.len() == 1 && known[0].end - known[0].start == name.len() {
                            known
                        } else if let Some(list) = self.subject_list(name, pos) {
                            list
                        } else if is_list_of_names(name) {
                            // Names the rules do not take for agencies, listed: no one name.
                            continue;
                        } else {
                            vec![self.named(pos, end, name.to_string())]
                        };
                    return Some(Heading {
                        agencies,
                        modality,
                        weak: false,
                    });
                }
            }
        }
        None
    }

    /// A name without the lead-in words closing it (`... trực thuộc Trung ương có trách nhiệm`).
    fn strip_lead_in<'t>(&self, name: &'t str) -> &'t str {
        let keyed = Keyed::new(name);
        let k = &keyed.key;
        for (i, _) in k.match_indices(' ') {
            if self.is_lead_in_rest(&k[i + 1..]) {
                return name[..keyed.end(i)].trim_end();
            }
        }
        name
    }

    /// True when what follows the agencies of a heading leaves it a heading: nothing, a
    /// suffix (`có trách nhiệm`, `thực hiện`), a lead-in tail (`các nội dung sau`), or a chain
    /// of them (`có trách nhiệm thực hiện các nhiệm vụ sau đây`).
    fn is_lead_in_rest(&self, rest: &str) -> bool {
        let rest = rest.trim();
        if rest.is_empty() || self.rules.lead_in_tails.iter().any(|t| t == rest) {
            return true;
        }
        self.rules
            .heading_suffixes
            .iter()
            .chain(&self.rules.responsibility_cues)
            .any(|s| {
                rest == s
                    || rest
                        .strip_prefix(s.as_str())
                        .and_then(|r| r.strip_prefix(' '))
                        .is_some_and(|r| r.len() < rest.len() && self.is_lead_in_rest(r))
            })
    }

    /// `Cơ quan lập đề án có trách nhiệm hoàn thiện ...`: a subject the rules do not know,
    /// named responsible at the start of a clause.
    fn responsible_subject(&self, scan: &Scan, s: usize) -> Option<Given> {
        let content = scan.text;
        let limit = crate::text::floor_boundary(content, s + 300);
        let seg_end = content[s..limit]
            .find(['.', ';', '\n', ':'])
            .map(|i| s + i)
            .unwrap_or(limit);
        let seg = &content[s..seg_end];
        if !seg.starts_with(|c: char| c.is_uppercase()) {
            return None;
        }
        // The segment's key, read in the key of the whole text.
        let keys = scan.keyed.key_range(s..seg_end);
        let k = &scan.keyed.key[keys.clone()];
        // Where the segment's key bytes before `i` end in the segment (`Keyed::end` of them).
        let end_of = |i: usize| {
            if i == 0 {
                0
            } else {
                scan.keyed.end(keys.start + i) - s
            }
        };
        let (idx, cue) = self
            .rules
            .responsibility_cues
            .iter()
            .filter_map(|c| find_word(k, c).map(|i| (i, c)))
            .min_by_key(|(i, _)| *i)?;
        if idx == 0 {
            return None;
        }
        let end = end_of(k[..idx].trim_end().len());
        let stem = seg[..end].trim().trim_end_matches(',').trim();
        let words = stem.split_whitespace().count();
        if !(2..=14).contains(&words) || stem.contains(['(', ')', '"']) {
            return None;
        }
        let known = self.find(stem);
        let mention = if known.len() == 1 && known[0].start == 0 && known[0].end == stem.len() {
            let mut m = known[0].clone();
            m.start += s;
            m.end += s;
            m
        } else if known.is_empty()
            && self.agencies.starts_with_head(strip_cac(stem))
            && !self.holds_office_title(stem)
            && !is_list_of_names(stem)
        {
            self.named(s, s + stem.len(), stem.to_string())
        } else {
            return None;
        };
        let task_from = s + end_of(idx + cue.len());
        Some(self.given_one(scan, mention, None, task_from))
    }

    /// True when `name` holds an office title as a word (`Bộ trưởng Bộ Quốc phòng và Thủ
    /// trưởng các cơ quan`): a list of office holders, not one body's name.
    fn holds_office_title(&self, name: &str) -> bool {
        let k = format!(" {} ", key(name));
        self.rules
            .office_titles
            .iter()
            .any(|(t, body)| body.is_empty() && k.contains(&format!(" {t} ")))
    }

    /// The agencies listed from byte `pos` of `text`: known names, and where allowed unknown
    /// ones (a head word and a capitalised word), separated by commas, semicolons or `và`.
    fn list_at(&self, text: &str, pos: usize, allow_unknown: bool) -> Vec<Mention> {
        // A list is read from `pos` on; searching a bounded window, not the whole text, keeps a
        // node with many sentences linear (this runs once per sentence and per verb).
        let window_end = list_window_end(text, pos);
        let known: Vec<Mention> = self
            .agencies
            .find(&text[pos..window_end], self.locality.as_deref())
            .into_iter()
            .map(|mut m| {
                m.start += pos;
                m.end += pos;
                m
            })
            .collect();
        self.list_of(text, pos, Known::all(known), allow_unknown)
    }

    /// [`Context::list_at`] for a caller that holds `keyed`, the key form of a text that
    /// `text` starts, and `candidates`, the aliases in it: its window is searched in them, not
    /// folded and searched again, and only as far as the list reads (a sentence with many
    /// `phối hợp với` or clauses reads many lists).
    fn list_at_keyed(
        &self,
        text: &str,
        keyed: &Keyed,
        candidates: &[Candidate],
        pos: usize,
        allow_unknown: bool,
    ) -> Vec<Mention> {
        let window_end = list_window_end(text, pos);
        let finder = self.agencies.finder(
            text,
            keyed,
            candidates,
            pos..window_end,
            self.locality.as_deref(),
        );
        self.list_of(text, pos, Known::lazy(finder, keyed), allow_unknown)
    }

    /// The list read from `pos`, given the `known` names of its window as the lexicon found
    /// them: only those taken into the list are put [`Context::as_written`] (a window holds
    /// many more names than the list that opens it).
    fn list_of(
        &self,
        text: &str,
        pos: usize,
        mut known: Known,
        allow_unknown: bool,
    ) -> Vec<Mention> {
        let mut out: Vec<Mention> = Vec::new();
        let mut pos = skip_space(text, pos);
        loop {
            // `các đồng chí Bộ trưởng`: the form of address is not part of the name.
            let keyed = known.keyed;
            let pos_title = self.skip_address(text, pos, keyed);
            // `Giám đốc Sở X`, `Chủ tịch UBND ...`: the office holder stands for the body.
            let item = self.skip_office_title(text, pos_title, keyed);
            if let Some(group) = self.group_list(text, item, keyed) {
                pos = group.last().map(|m| m.end).unwrap_or(pos);
                out.extend(group);
            } else if let Some(m) = known.starting_at(item, pos_title) {
                let m = self.with_qualifier(text, self.as_written(text, m), keyed);
                pos = m.end;
                out.push(m);
            } else if let Some(m) = known.after_cac(text, item) {
                let m = self.with_qualifier(text, self.as_written(text, m), keyed);
                pos = m.end;
                out.push(m);
            } else if let Some(m) = self.bare_office_title(text, pos_title, keyed) {
                pos = m.end;
                out.push(m);
            } else if allow_unknown {
                match self.unknown_at(text, item, &mut known) {
                    Some(m) => {
                        pos = m.end;
                        out.push(m);
                    }
                    None => break,
                }
            } else {
                break;
            }
            // A separator, then the next name.
            let after = skip_space(text, pos);
            let rest = &text[after..];
            let mut next = None;
            if rest.starts_with(',') || rest.starts_with(';') {
                let p = skip_space(text, after + 1);
                next = Some(self.skip_word_separator(text, p));
            } else {
                let p = self.skip_word_separator(text, after);
                if p != after {
                    next = Some(p);
                }
            }
            match next {
                Some(p) => pos = p,
                None => break,
            }
        }
        out.retain(|m| m.agency.is_none() || m.agency != self.issuer);
        out
    }

    /// Past the generic words that may close a list of agencies (`và các cơ quan, tổ chức có
    /// liên quan`), so that the verb after them is found; else `pos`.
    fn skip_generic_tail(&self, text: &str, pos: usize) -> usize {
        let window = crate::text::floor_boundary(text, pos + 120);
        let tails = &self.rules.generic_tails;
        let head = KeyHead::new(&text[pos..window], longest(tails));
        for tail in tails {
            if let Some(o) = head.opening(tail).filter(|o| o.is_word()) {
                return skip_space(text, pos + o.end);
            }
        }
        pos
    }

    /// Past a form of address at `pos` (`các đồng chí`, `đồng chí`); else `pos`.
    fn skip_address(&self, text: &str, pos: usize, keyed: Option<&Keyed>) -> usize {
        let window = crate::text::floor_boundary(text, pos + 40);
        let words = &self.rules.address_words;
        let head = head_of(text, keyed, pos..window, longest(words));
        words
            .iter()
            .find_map(|w| head.opening(w).filter(|o| o.is_followed()))
            .map(|o| skip_space(text, pos + o.end))
            .unwrap_or(pos)
    }

    /// An office title standing alone in a list (`Bộ trưởng, Thủ trưởng cơ quan ngang Bộ`):
    /// the collective of the bodies it heads, when the rules know it (`các Bộ trưởng`).
    fn bare_office_title(&self, text: &str, pos: usize, keyed: Option<&Keyed>) -> Option<Mention> {
        let window = crate::text::floor_boundary(text, pos + 60);
        let head = head_of(text, keyed, pos..window, self.titles_longest());
        let title = self
            .rules
            .office_titles
            .iter()
            .filter(|(_, body)| body.is_empty())
            .find_map(|(t, _)| head.opening(t).filter(|o| o.is_followed()))?;
        let end = pos + title.end;
        let after = skip_space(text, end);
        let alone =
            text[after..].starts_with([',', ';']) || self.skip_word_separator(text, after) != after;
        if !alone {
            return None;
        }
        let i = self
            .agencies
            .resolve_index(&format!("các {}", &text[pos..end]))?;
        let agency = &self.agencies.agencies[i];
        Some(Mention {
            start: pos,
            end,
            name: agency.name_in(self.locality.as_deref()),
            agency: Some(i),
            category: agency.category,
        })
    }

    /// After an office title at `pos` (`Giám đốc`, `Chủ tịch`, `Chánh` of `Chánh Văn phòng`),
    /// the position of the body it heads; else `pos`.
    fn skip_office_title(&self, text: &str, pos: usize, keyed: Option<&Keyed>) -> usize {
        // Office titles are a few words: a bounded window keeps long lists linear.
        let window = crate::text::floor_boundary(text, pos + 160);
        let head = head_of(text, keyed, pos..window, self.titles_longest());
        for (title, body) in &self.rules.office_titles {
            if head.opening(title).is_some_and(|o| o.is_followed()) {
                let body_words = key(body).split(' ').filter(|w| !w.is_empty()).count();
                let title_words = title.split(' ').count();
                let skip_words = title_words - body_words.min(title_words);
                if skip_words == 0 {
                    return pos;
                }
                let skip_key: usize = title.split(' ').take(skip_words).map(|w| w.len() + 1).sum();
                // The skipped words are a prefix of the title, which the opening holds.
                let skipped = head.opening(&title[..skip_key - 1]).map_or(0, |o| o.end);
                return skip_space(text, pos + skipped);
            }
        }
        pos
    }

    /// `Các Bộ, cơ quan liên quan và các Tập đoàn: Bưu chính Viễn thông Việt Nam, ...`: agencies
    /// named before a group list (within the first `title_len` bytes), then the group's.
    fn group_after_heading(&self, text: &str, title_len: usize) -> Option<Vec<Mention>> {
        let title = &text[..title_len];
        let at = title.rfind(" các ").map(|i| i + 1)?;
        let before = title[..at]
            .trim_end()
            .trim_end_matches(" và")
            .trim_end_matches(',');
        let mut agencies = self.heading(before)?.agencies;
        agencies.extend(self.group_list(text, at, None)?);
        Some(agencies)
    }

    /// `các Tập đoàn: Bưu chính Viễn thông Việt Nam, Công nghiệp - Viễn thông Quân đội`,
    /// `các Sở: Tư pháp, Nội vụ`: one agency per name, the head word put before it.
    fn group_list(&self, text: &str, pos: usize, keyed: Option<&Keyed>) -> Option<Vec<Mention>> {
        let rest = &text[pos..list_window_end(text, pos)];
        // Only the first three words are read: the window may hold thousands.
        let words: Vec<(usize, &str)> = words_of(rest).take(3).collect();
        // `Ủy ban nhân dân các xã: Gia Thuận, ...`: a written head the rules complete.
        let prefixed = {
            let prefixes = &self.rules.group_prefixes;
            let opening = head_of(
                text,
                keyed,
                pos..pos + crate::text::floor_boundary(rest, 80),
                longest(prefixes.iter().map(|(w, _)| w)),
            );
            prefixes.iter().find_map(|(w, head)| {
                let end = opening.opening(w)?.end;
                let after = rest[end..].trim_start();
                after
                    .starts_with(':')
                    .then(|| (head.clone(), rest.len() - after.len() + 1))
            })
        };
        if prefixed.is_none() && (words.len() < 3 || !key_is(words[0].1, "cac")) {
            return None;
        }
        // The head: one or two words, followed by a colon or by the end of a title line.
        let (head, colon) = prefixed.or_else(|| {
            (1..=2).find_map(|n| {
                let (off, w) = words.get(n)?;
                let end = off + w.len();
                if w.ends_with(':') {
                    Some((rest[words[1].0..end - 1].trim().to_string(), end))
                } else if rest[end..].starts_with('\n') {
                    Some((rest[words[1].0..end].trim().to_string(), end + 1))
                } else {
                    None
                }
            })
        })?;
        if !self.agencies.starts_with_head(&format!("{head} X")) {
            return None;
        }
        let mut out = Vec::new();
        let mut p = pos + colon;
        let mut after_semicolon = false;
        loop {
            let s = skip_space(text, p);
            let item = &text[s..];
            if !item.starts_with(|c: char| c.is_uppercase()) {
                break;
            }
            // The longest run of words that names a known agency with the head before it
            // (`Văn hóa, Thể thao và Du lịch`), else the name up to a verb.
            let item_words = word_offsets(&item[..crate::text::floor_boundary(item, 160)]);
            let known_len = item_words
                .iter()
                .take(12)
                .map(|(off, w)| off + w.trim_end_matches([',', ';', '.', ':']).len())
                .filter(|&end| {
                    self.agencies
                        .resolve_index(&format!("{head} {}", &item[..end]))
                        .is_some()
                })
                .max();
            // After a semicolon only a name the rules know with the head goes on with the group
            // (`các Bộ: Nông nghiệp và Môi trường; Xây dựng`).
            if after_semicolon && known_len.is_none() {
                break;
            }
            // A name with a head of its own (`Nội vụ và UBND các xã`) is no member of the group.
            if known_len.is_none() && self.agencies.starts_with_head_at(text, s, keyed) {
                break;
            }
            let len = known_len.unwrap_or_else(|| self.name_extent(item, 0));
            if len == 0 {
                break;
            }
            let name = format!("{head} {}", item[..len].trim());
            let m = match self.agencies.resolve_index(&name) {
                Some(i) => Mention {
                    start: s,
                    end: s + len,
                    name: self.agencies.agencies[i].name_in(self.locality.as_deref()),
                    agency: Some(i),
                    category: self.agencies.agencies[i].category,
                },
                None => Mention {
                    start: s,
                    end: s + len,
                    name,
                    agency: None,
                    category: Category::State,
                },
            };
            out.push(m);
            let after = skip_space(text, s + len);
            after_semicolon = text[after..].starts_with(';');
            if text[after..].starts_with([',', ';']) {
                p = after + 1;
            } else {
                let q = self.skip_word_separator(text, after);
                if q == after {
                    break;
                }
                p = q;
            }
        }
        (!out.is_empty()).then_some(out)
    }

    /// Length of the name that starts `text` after `skip` bytes: up to a punctuation mark,
    /// ` và `, a verb, or a lower-case word after a capitalised proper name (`... Việt Nam làm`).
    fn name_extent(&self, text: &str, skip: usize) -> usize {
        let end = name_punctuation_end(text);
        let mut capitals = 0;
        let mut previous = "";
        // Read word by word: the name ends long before a long text does.
        for (i, (off, w)) in words_of(&text[..end]).enumerate() {
            let off = &off;
            let before = std::mem::replace(&mut previous, w);
            let upper = w.starts_with(|c: char| c.is_uppercase() || c.is_ascii_digit());
            if i > 0 && *off >= skip {
                let is_va = key_is(w, "va");
                // `và` inside a name (`Ủy ban Kinh tế và Tài chính`) does not end it.
                let joins = is_va && self.continues_name(&text[..*off], &text[*off + w.len()..end]);
                if (is_va && !joins) || key_is(w, "cung") || key_is(w, "voi") {
                    return text[..*off].trim_end().len();
                }
                // Name enders are a few words: a bounded window keeps long phrases linear.
                let tail = &text[*off..crate::text::floor_boundary(text, (*off + 80).min(end))];
                // `Ban chỉ đạo` is a name, not a verb.
                let after_ban = i > 0 && key_is(before, "ban");
                if !after_ban
                    && self.ends_name(tail, &text[*off..end])
                    && !self.is_compound(before, tail)
                {
                    return text[..*off].trim_end().len();
                }
                if !upper && capitals >= 2 {
                    return text[..*off].trim_end().len();
                }
            }
            // The head word does not count: `Ban Quản lý` goes on, `... Việt Nam làm` stops.
            capitals = if upper && i > 0 { capitals + 1 } else { 0 };
        }
        text[..end].trim_end().len()
    }

    /// Whether the word `before` and the text after it (`tail`, as written over a bounded
    /// window) open a compound noun whose second word is an ender (`Công` + `trình Đô thị Phú
    /// Thành`).
    fn is_compound(&self, before: &str, tail: &str) -> bool {
        let joined = format!("{} {}", key(before), key(tail));
        self.rules
            .name_compounds
            .iter()
            .any(|c| joined == *c || crate::text::starts_with_word(&joined, c))
    }

    /// Whether the text at a word (`tail`, over a bounded window; `rest`, to the name's end)
    /// opens with a word that ends a name: the key finds it (read only as far as each ender
    /// agrees), the written form confirms it.
    fn ends_name(&self, tail: &str, rest: &str) -> bool {
        let opens_with =
            |text: &str, ender: &str| text == ender || crate::text::starts_with_word(text, ender);
        let enders = &self.rules.name_enders;
        let head = KeyHead::new(tail, longest(enders));
        if !enders
            .iter()
            .any(|e| head.opening(e).is_some_and(|o| o.is_word()))
        {
            return false;
        }
        let window = crate::text::floor_boundary(rest, rest.len().min(80));
        let rest = written(&rest[..window]);
        self.rules
            .name_enders_written
            .iter()
            .any(|e| opens_with(&rest, e))
    }

    fn skip_word_separator(&self, text: &str, pos: usize) -> usize {
        for sep in &self.rules.separators {
            if sep.chars().all(char::is_alphabetic) {
                let rest = &text[pos..];
                if rest.len() > sep.len()
                    && rest.is_char_boundary(sep.len())
                    && rest[..sep.len()].to_lowercase() == *sep
                    && rest[sep.len()..].starts_with(' ')
                {
                    return skip_space(text, pos + sep.len());
                }
            }
        }
        pos
    }

    /// An agency not in the rules at `pos`: from a head word to a verb, a punctuation mark or
    /// the next known agency.
    fn unknown_at(&self, text: &str, pos: usize, known: &mut Known) -> Option<Mention> {
        let rest = &text[pos..];
        let body = strip_cac(rest);
        let skip = rest.len() - body.len();
        if !self
            .agencies
            .starts_with_head_at(text, pos + skip, known.keyed)
        {
            return None;
        }
        let mut end = self.name_extent(rest, skip);
        if let Some(m) = known.first_after(pos).filter(|m| m.start < pos + end) {
            end = text[pos..m.start].trim_end().len();
        }
        let candidate = rest[..end].trim_end();
        let name = self.agencies.unknown_name(candidate)?;
        let start = pos + rest.find(name.as_str()).unwrap_or(0);
        Some(self.named(start, start + name.len(), name))
    }

    /// Assignment lines in a text: `Đơn vị chủ trì: X.` `Đơn vị phối hợp: Y.` `Thời gian thực hiện: Z.`
    fn assignment(&self, text: &str) -> Option<Assignment> {
        // Every label is followed by a colon: a text without one has none, and is not folded.
        if !text.contains(':') {
            return None;
        }
        let keyed = self.keyed(text);
        let k = &keyed.key;
        // Every label occurrence followed by a colon: (start, value start, role or time).
        let mut labels: Vec<(usize, usize, Option<Role>)> = Vec::new();
        let mut i = 0;
        while i < k.len() {
            if i == 0 || k.as_bytes()[i - 1] == b' ' {
                let rest = &k[i..];
                let hit = self
                    .rules
                    .assignment_lines
                    .iter()
                    .map(|(l, r)| (l, Some(*r)))
                    .chain(self.rules.time_labels.iter().map(|l| (l, None)))
                    .filter(|(l, _)| crate::text::opens_with(rest, l))
                    .max_by_key(|(l, _)| l.len());
                if let Some((label, role)) = hit {
                    let orig_end = keyed.end(i + label.len());
                    let after = text[orig_end..].trim_start_matches(['*', '_', ' ']);
                    if after.starts_with(':') {
                        let value_start = text.len() - after.len() + 1;
                        labels.push((keyed.start(i), value_start, role));
                        i += label.len();
                        continue;
                    }
                }
            }
            i += 1;
            while i < k.len() && !k.is_char_boundary(i) {
                i += 1;
            }
        }
        if labels.is_empty() {
            return None;
        }
        let mut a = Assignment {
            start: labels[0].0,
            ..Default::default()
        };
        // The block starts the text when only markup comes before it.
        if text[..a.start]
            .trim_matches(|c: char| c.is_whitespace() || c == '*' || c == '_')
            .is_empty()
        {
            a.start = 0;
        }
        for (n, (_, value_start, role)) in labels.iter().enumerate() {
            let value_end = labels.get(n + 1).map(|l| l.0).unwrap_or(text.len());
            let mut value = &text[*value_start..value_end];
            if let Some(nl) = value.find('\n') {
                if !value[..nl].trim().is_empty() {
                    value = &value[..nl];
                }
            }
            let value = value
                .trim()
                .trim_matches(|c: char| c == '*' || c == '_')
                .trim();
            match role {
                Some(role) => {
                    let names = self.names_in_list(value);
                    match role {
                        Role::Lead => a.lead.extend(names),
                        Role::Support => a.support.extend(names),
                    }
                }
                None => {
                    let v = crate::text::trim_entry_end(value);
                    if !v.is_empty() {
                        a.deadline = Some(self.rules.deadlines.of_value(v));
                    }
                }
            }
        }
        Some(a)
    }

    /// Every agency in a list value: known names anywhere, and unknown ones between them.
    fn names_in_list(&self, value: &str) -> Vec<Mention> {
        let known = self.find(value);
        let mut out = Vec::new();
        let mut pos = 0;
        let mut gaps = Vec::new();
        for m in &known {
            gaps.push((pos, m.start));
            pos = m.end;
        }
        gaps.push((pos, value.len()));
        let mut unknown = Vec::new();
        for (s, e) in gaps {
            let gap = &value[s..e];
            for piece in split_list(gap, |piece, rest| self.continues_name(piece, rest)) {
                if let Some(name) = self.agencies.unknown_name(piece) {
                    let start = s + gap.find(name.as_str()).unwrap_or(0);
                    unknown.push(self.named(start, start + name.len(), name));
                }
            }
        }
        out.extend(known);
        out.extend(unknown);
        out.sort_by_key(|m| m.start);
        out
    }

    /// The execution article: one obligation per body it lists.
    fn execution(&self, node: &Node, content: &str) -> Option<Vec<Obligation>> {
        let folded_plain = self.keyed(content);
        let m = self.rules.execution.find(&folded_plain.key)?;
        let end = folded_plain.start(m.start());
        // From the start of the sentence (after the last full stop or colon before it).
        let before = &content[..end];
        let start = before.rfind(['.', '\n']).map(|i| i + 1).unwrap_or(0);
        let span = &content[start..end];
        let span =
            expand_department_lists(span, |name| self.agencies.resolve_index(name).is_some());
        let mut mentions = self.find(&span);
        // Office holders: `Chánh Văn phòng Bộ`, `Cục trưởng Cục X`, `Giám đốc Trung tâm Y`.
        let mut pos = 0;
        let mut gaps = Vec::new();
        for m in &mentions {
            gaps.push((pos, m.start));
            pos = m.end;
        }
        gaps.push((pos, span.len()));
        for (s, e) in gaps {
            for piece in split_list(&span[s..e], |piece, rest| self.continues_name(piece, rest)) {
                let piece = self.strip_office_title(piece);
                if let Some(name) = self.agencies.unknown_name(&piece) {
                    mentions.push(self.named(s, s, name));
                }
            }
        }
        // As written: a name the rules do not know comes where it stands, not after the known.
        mentions.sort_by_key(|m| m.start);
        // A body named only to place another (`trực thuộc Ủy ban nhân dân tỉnh`) is not listed.
        mentions.retain(|m| {
            let before = key(&span[..m.start.min(span.len())]);
            !(before.ends_with("thuoc") || before.ends_with("cua") || before.ends_with("tai"))
        });
        if mentions.is_empty() {
            return None;
        }
        let text = crate::text::squash_spaces(content[start..].trim());
        let line = node.line_at(start);
        let mut out = Vec::new();
        for m in mentions {
            out.push(self.obligation(
                node,
                &m,
                Role::Lead,
                self.modality_of(&m, None),
                &text,
                Vec::new(),
                None,
                line,
            ));
        }
        Some(out)
    }

    fn strip_office_title(&self, piece: &str) -> String {
        let piece = piece.trim();
        let piece_key = key(piece);
        let piece_key = piece_key.strip_prefix("cac ").unwrap_or(&piece_key);
        for (title, body) in &self.rules.office_titles {
            if crate::text::starts_with_word(piece_key, title) {
                let words = title.split(' ').count();
                let rest: Vec<&str> = piece.split_whitespace().collect();
                let skip = words + usize::from(key(rest.first().copied().unwrap_or("")) == "cac");
                let rest = rest.get(skip..).unwrap_or(&[]).join(" ");
                return if body.is_empty() {
                    rest
                } else {
                    format!("{body} {rest}")
                };
            }
        }
        piece.to_string()
    }

    /// Explicit subjects and assigning verbs in the text of the preamble, the closing, or a
    /// node with children.
    fn explicit(
        &self,
        node: &Node,
        content: &str,
        from: usize,
        headed: bool,
        out: &mut Vec<Obligation>,
    ) {
        let unknown_subjects = node.kind != NodeKind::Preamble;
        let scan = Scan::new(content, self.keyed(content), self.agencies);
        let given = self.given(&scan, from, !headed, unknown_subjects);
        // In text order (`given` sorts them), so that a sentence is asked in O(log n).
        let starts: Vec<usize> = given.iter().map(|g| g.mention.start).collect();
        let names_a_subject = |s: usize, e: usize| {
            let first = starts.partition_point(|&g| g < s);
            starts.get(first).is_some_and(|&g| g < e)
        };
        for given in given {
            let sentence = scan.sentence_around(given.mention.start);
            let text = crate::text::squash_spaces(content[sentence.0..sentence.1].trim());
            let line = node.line_at(sentence.0);
            // `Đề nghị các cơ quan, đơn vị triển khai. Định kỳ hằng năm báo cáo ...`: a sentence
            // with no subject of its own goes on with the task of the one before it.
            let next = (sentence.1 < content.len())
                .then(|| scan.sentence_around(skip_space(content, sentence.1)))
                .filter(|&(s, e)| s >= sentence.1 && !names_a_subject(s, e));
            let deadline = given
                .deadline
                .clone()
                .or_else(|| self.rules.deadlines.find(&content[sentence.0..sentence.1]))
                .or_else(|| next.and_then(|(s, e)| self.rules.deadlines.find(&content[s..e])));
            let role = given.role.unwrap_or(Role::Lead);
            out.push(self.obligation(
                node,
                &given.mention,
                role,
                self.modality_of(&given.mention, given.modality),
                &text,
                given.partners.clone(),
                deadline,
                line,
            ));
        }
    }

    /// Agencies a text names as doing a task: subjects at the start of a sentence or clause
    /// and lists after an assigning verb. With `whole` false, only a subject or an assigning
    /// verb at `from` counts (a task under a heading that names its agency).
    fn given(&self, scan: &Scan, from: usize, whole: bool, unknown_subjects: bool) -> Vec<Given> {
        let content = scan.text;
        let mut out: Vec<Given> = Vec::new();
        // Folded once: every list below is searched in it.
        let keyed_all = &scan.keyed;
        // Only where known names stand is asked of them (not how they are written).
        let known: Vec<Mention> = self
            .agencies
            .finder(
                content,
                keyed_all,
                scan.candidates(),
                0..content.len(),
                self.locality.as_deref(),
            )
            .filter(|m| m.agency.is_none() || m.agency != self.issuer)
            .collect();
        // Subjects at the start of sentences and clauses.
        let mut starts = vec![from];
        if whole {
            starts.extend(self.clause_starts(content, from, &known));
        }
        // Clauses whose subject is named: an assigning verb inside one is the subject's act
        // (`Cơ quan lập đề án ... đề nghị UBND Thành phố trình ...`), not the issuer's.
        let mut subject_clauses: Vec<(usize, usize)> = Vec::new();
        let clause_end = |s: usize| scan.clause_end(s);
        for s in starts {
            let s = skip_space(content, s);
            let list =
                self.list_at_keyed(content, keyed_all, scan.candidates(), s, unknown_subjects);
            let Some(last) = list.last() else {
                if unknown_subjects || whole {
                    if let Some(g) = self.responsible_subject(scan, s) {
                        subject_clauses.push((s, clause_end(g.from)));
                        out.push(g);
                    }
                }
                continue;
            };
            let after = self.skip_generic_tail(content, skip_space(content, last.end));
            if self.is_issuer_speaking(content, last.end) {
                continue; // the issuer speaking: `UBND Thành phố đề nghị ...`
            }
            // The list must be the subject of what follows: a colon or a verb, not `của`.
            let follow = &content[after..];
            let task_from = if follow.starts_with(':') {
                skip_space(content, after + 1)
            } else {
                let next_word = follow.split_whitespace().next().unwrap_or("");
                if !next_word.starts_with(|c: char| c.is_lowercase()) {
                    continue;
                }
                let (enders, blockers) = (&self.rules.name_enders, &self.rules.subject_blockers);
                let head = KeyHead::new(
                    &follow[..crate::text::floor_boundary(follow, 30)],
                    longest(enders.iter().chain(blockers)),
                );
                let starts_with = |p: &String| head.opening(p).is_some_and(|o| o.is_word());
                let verb = self.rules.name_enders.iter().any(starts_with);
                if !verb && self.rules.subject_blockers.iter().any(starts_with) {
                    continue;
                }
                after
            };
            subject_clauses.push((s, clause_end(task_from)));
            for m in list {
                out.push(self.given_one(scan, m, None, task_from));
            }
        }
        // Clauses start in text order: whether one holds a byte is whether the farthest end
        // of those starting before it lies past it.
        let mut farthest: Vec<usize> = Vec::with_capacity(subject_clauses.len());
        for &(_, e) in &subject_clauses {
            farthest.push(farthest.last().map_or(e, |&f: &usize| f.max(e)));
        }
        let in_subject_clause = |at: usize| {
            let before = subject_clauses.partition_point(|&(s, _)| s < at);
            before > 0 && farthest[before - 1] > at
        };
        // Lists after an assigning verb, read in the key of `content[from..]`.
        let base = keyed_all.key_range(from..content.len()).start;
        let k = scan.key_of(from..content.len());
        let mut i = 0;
        while i < k.len() && (whole || i == 0) {
            if i == 0 || k.as_bytes()[i - 1] == b' ' {
                if let Some((a, modality)) = self.rules.assigners.iter().find(|(a, _)| {
                    crate::text::opens_with(&k[i..], a)
                        && (k.len() == i + a.len() || k.as_bytes()[i + a.len()] == b' ')
                }) {
                    let at = keyed_all.start(base + i);
                    if in_subject_clause(at) {
                        i += a.len();
                        continue;
                    }
                    let after = keyed_all.end(base + i + a.len());
                    let list =
                        self.list_at_keyed(content, keyed_all, scan.candidates(), after, true);
                    if let Some(last) = list.last() {
                        let task_from = last.end;
                        for m in list {
                            out.push(self.given_one(scan, m, Some(*modality), task_from));
                        }
                    }
                    i += a.len();
                    continue;
                }
            }
            i += 1;
            while i < k.len() && !k.is_char_boundary(i) {
                i += 1;
            }
        }
        out.sort_by_key(|g| g.mention.start);
        let mut seen = std::collections::HashSet::new();
        out.retain(|g| seen.insert(g.mention.name.clone()));
        out
    }

    /// Where sentences and clauses start in `content` after `from`: after a full stop, a line
    /// break, a semicolon or a colon, and after the comma that closes an adverbial clause
    /// (`Để xác định ..., UBND tỉnh phối hợp ...`), not one inside a list or a name.
    fn clause_starts(&self, content: &str, from: usize, known: &[Mention]) -> Vec<usize> {
        let mut starts = Vec::new();
        // Ends of known names, so a comma right after one is seen in constant time.
        let known_ends: std::collections::HashSet<usize> = known.iter().map(|m| m.end).collect();
        // Where the current clause starts, and whether it opens with an adverbial opener:
        // kept as the text is read, so that each comma costs O(1), not a search back.
        let mut clause_start = content[..from]
            .rfind(['.', '\n', ';', ':'])
            .map(|i| i + 1)
            .unwrap_or(0);
        let mut opened: Option<bool> = None;
        // The first known name not ending before the character read (names are in order).
        let mut next_known = 0;
        for (i, c) in content[from..].char_indices() {
            let at = from + i;
            while known.get(next_known).is_some_and(|m| m.end <= at) {
                next_known += 1;
            }
            // A comma inside a collective's name (`các Bộ, cơ quan ngang Bộ`) starts nothing.
            let in_name = known.get(next_known).is_some_and(|m| {
                m.start < at
                    && at < m.end
                    && m.agency
                        .is_some_and(|i| self.agencies.agencies[i].collective)
            });
            let boundary = match c {
                '.' | '\n' | ';' | ':' => {
                    clause_start = at + 1;
                    opened = None;
                    true
                }
                // After a comma that closes an adverbial clause (`Để xác định ..., UBND
                // tỉnh phối hợp ...`), not one inside a list.
                ',' => {
                    let opener = *opened.get_or_insert_with(|| {
                        let opening = crate::text::floor_boundary(
                            content,
                            (clause_start + 80).min(content.len()),
                        );
                        let openers = &self.rules.clause_openers;
                        let head = KeyHead::new(&content[clause_start..opening], longest(openers));
                        openers
                            .iter()
                            .any(|o| head.opening(o).is_some_and(|o| o.is_followed()))
                    });
                    opener && !in_name && !known_ends.contains(&content[..at].trim_end().len())
                }
                _ => false,
            };
            if boundary {
                starts.push(at + c.len_utf8());
            }
        }
        starts
    }

    /// The agency `mention` given the task that runs from `task_from` to its sentence's end.
    fn given_one(
        &self,
        scan: &Scan,
        mention: Mention,
        modality: Option<Modality>,
        task_from: usize,
    ) -> Given {
        let end = scan.sentence_around(task_from).1.max(task_from);
        let role = self.role_of_key(scan.key_of(task_from..end));
        // The members of one list share their task: its partners are read once.
        let known = scan.partners.borrow().get(&task_from).cloned();
        let all = known.unwrap_or_else(|| {
            let all =
                self.partners_in(&scan.text[..end], &scan.keyed, scan.candidates(), task_from);
            let all = std::rc::Rc::new(all);
            scan.partners.borrow_mut().insert(task_from, all.clone());
            all
        });
        let partners = without(&all, &mention.name);
        Given {
            mention,
            modality,
            from: task_from,
            role: Some(role),
            partners,
            deadline: None,
        }
    }

    /// `support` when the task opens with `Phối hợp`, else `lead`.
    fn role(&self, task: &str) -> Role {
        self.role_of_key(&key(task))
    }

    /// [`Context::role`] of the task whose key is `k`.
    fn role_of_key(&self, mut k: &str) -> Role {
        loop {
            let before = k.len();
            for skip in &self.rules.support_skip {
                if let Some(rest) = k
                    .strip_prefix(skip.as_str())
                    .and_then(|r| r.strip_prefix(' '))
                {
                    k = rest;
                }
            }
            if k.len() == before {
                break;
            }
        }
        if self.rules.support_openers.iter().any(|o| {
            k == o
                || k.strip_prefix(o.as_str())
                    .is_some_and(|r| r.starts_with(' '))
        }) {
            Role::Support
        } else {
            Role::Lead
        }
    }

    /// Agencies named right after `phối hợp (với)`, `chủ trì, phối hợp` and the like in
    /// `text[from..]`, each once (a caller drops the agency whose partners they are);
    /// `keyed` is the key form of a text that `text` starts.
    fn partners_in(
        &self,
        text: &str,
        keyed: &Keyed,
        candidates: &[Candidate],
        from: usize,
    ) -> Vec<String> {
        let range = keyed.key_range(from..text.len());
        let base = range.start;
        let k = &keyed.key[range];
        let mut out: Vec<String> = Vec::new();
        for marker in &self.rules.partner_markers {
            let mut from = 0;
            while let Some(found) = k[from..].find(marker.as_str()) {
                let s = from + found;
                let e = s + marker.len();
                from = e;
                if !(s == 0 || k.as_bytes()[s - 1] == b' ')
                    || !(e == k.len() || k.as_bytes()[e] == b' ')
                {
                    continue;
                }
                for m in self.list_at_keyed(text, keyed, candidates, keyed.end(base + e), false) {
                    if !out.contains(&m.name) {
                        out.push(m.name);
                    }
                }
            }
        }
        out
    }

    /// One task unit.
    fn unit(
        &self,
        node: &Node,
        heading: Option<&Heading>,
        titled_by_heading: bool,
        assignment: Option<&Assignment>,
        out: &mut Vec<Obligation>,
    ) {
        let content = node.content();
        // The task's words: without the heading title, without the assignment lines.
        let mut from = if titled_by_heading {
            node.title.len() + 1
        } else {
            0
        };
        from = from.min(content.len());
        let own_assignment = self.assignment(&content);
        let mut to = content.len();
        if let Some(a) = &own_assignment {
            if a.start > from {
                to = a.start;
            }
        }
        let task = content[from..to].trim();
        if task.is_empty()
            && assignment.is_none()
            && own_assignment.as_ref().is_none_or(|a| a.is_empty())
        {
            return;
        }
        let text = crate::text::squash_spaces(task);
        let line =
            node.line_at(from + (content[from..].len() - content[from..].trim_start().len()));
        let assignment = own_assignment
            .as_ref()
            .filter(|a| !a.is_empty())
            .or(assignment);
        let time_deadline = own_assignment
            .as_ref()
            .and_then(|a| a.deadline.clone())
            .or_else(|| assignment.and_then(|a| a.deadline.clone()));
        let deadline = time_deadline.or_else(|| self.rules.deadlines.find(task));

        if let Some(a) = assignment {
            let lead_names: Vec<String> = a.lead.iter().map(|m| m.name.clone()).collect();
            let support_names: Vec<String> = a.support.iter().map(|m| m.name.clone()).collect();
            // Each lead works with the supports, each support under the leads.
            let groups = [
                (&a.lead, Role::Lead, &support_names),
                (&a.support, Role::Support, &lead_names),
            ];
            for (members, role, others) in groups {
                for m in members {
                    let partners = others.iter().filter(|n| **n != m.name).cloned().collect();
                    let modality = self.modality_of(m, None);
                    out.push(self.obligation(
                        node,
                        m,
                        role,
                        modality,
                        &text,
                        partners,
                        deadline.clone(),
                        line,
                    ));
                }
            }
            return;
        }

        // The unit's own subject or assigning verb: at its start under a heading that names
        // the agency, anywhere in it otherwise.
        let task_start = from + (content[from..].len() - content[from..].trim_start().len());
        let whole = heading.is_none_or(|h| h.weak);
        let scan = Scan::new(&content, self.keyed(&content), self.agencies);
        let given: Vec<Given> = self.given(&scan, task_start, whole, true);
        if !given.is_empty() {
            for g in given {
                let task_part = &content[g.from.min(content.len())..];
                let role = g.role.unwrap_or_else(|| self.role(task_part));
                // An agency the heading names keeps the heading's wording when its own
                // sentence has none (`yêu cầu các Bộ ...:` + `các Bộ khẩn trương ...`).
                let stated = g.modality.or_else(|| {
                    heading
                        .filter(|h| h.agencies.iter().any(|m| m.name == g.mention.name))
                        .and_then(|h| h.modality)
                });
                out.push(self.obligation(
                    node,
                    &g.mention,
                    role,
                    self.modality_of(&g.mention, stated),
                    &text,
                    g.partners,
                    deadline.clone(),
                    line,
                ));
            }
            return;
        }
        let Some(heading) = heading else { return };
        let role = self.role(task);
        // Read once for all the heading's agencies.
        let keyed = Keyed::new(task);
        let all = self.partners_in(task, &keyed, &self.agencies.candidates(&keyed.key), 0);
        for m in &heading.agencies {
            let partners = without(&all, &m.name);
            out.push(self.obligation(
                node,
                m,
                role,
                self.modality_of(m, heading.modality),
                &text,
                partners,
                deadline.clone(),
                line,
            ));
        }
    }

    /// `request` where the wording asks (đề nghị) or the body is outside the issuer's command.
    fn modality_of(&self, m: &Mention, stated: Option<Modality>) -> Modality {
        match (stated, m.category) {
            (Some(modality), _) => modality,
            (None, Category::Outside) => Modality::Request,
            (None, Category::Central) if !self.central.get() => Modality::Request,
            (None, _) => Modality::Directive,
        }
    }

    fn is_issuer_speaking(&self, content: &str, end: usize) -> bool {
        let after = skip_space(content, end);
        let assigners = &self.rules.assigners;
        let head = KeyHead::new(
            &content[after..crate::text::floor_boundary(content, after + 40)],
            longest(assigners.iter().map(|(a, _)| a)),
        );
        assigners
            .iter()
            .any(|(a, _)| head.opening(a).is_some_and(|o| o.is_word()))
    }

    #[allow(clippy::too_many_arguments)]
    fn obligation(
        &self,
        node: &Node,
        m: &Mention,
        role: Role,
        modality: Modality,
        text: &str,
        partners: Vec<String>,
        deadline: Option<Deadline>,
        line: u32,
    ) -> Obligation {
        Obligation {
            id: format!("{}#{}", self.doc.id, node.path),
            agency: m.name.clone(),
            role,
            modality,
            path: node.path.clone(),
            text: text.to_string(),
            partners,
            // A time line's value may hold the start (`Từ tháng 11/2025 đến khi ...`).
            start: self.rules.deadlines.start(text).or_else(|| {
                let written = &deadline.as_ref()?.text;
                self.rules.deadlines.start(written)
            }),
            deadline,
            line,
            known_agency: m.known(),
        }
    }
}

/// The known names of a list's window, found as the list reads them: a list reads the few
/// names at its head, not every name of its window.
struct Known<'a> {
    /// Found so far, in text order.
    found: Vec<Mention>,
    rest: Option<Finder<'a>>,
    /// The key of a text that the list's text starts, when the caller made it: the list's
    /// checks of phrases at a position read it rather than fold the text there again.
    keyed: Option<&'a Keyed>,
}

impl<'a> Known<'a> {
    fn all(found: Vec<Mention>) -> Self {
        Known {
            found,
            rest: None,
            keyed: None,
        }
    }

    fn lazy(finder: Finder<'a>, keyed: &'a Keyed) -> Self {
        Known {
            found: Vec::new(),
            rest: Some(finder),
            keyed: Some(keyed),
        }
    }

    /// Finds one more name; false when there is none.
    fn pull(&mut self) -> bool {
        match self.rest.as_mut().and_then(Iterator::next) {
            Some(m) => {
                self.found.push(m);
                true
            }
            None => {
                self.rest = None;
                false
            }
        }
    }

    /// Finds names until one starts after byte `at` (names start in text order).
    fn read_past(&mut self, at: usize) {
        while self.found.last().is_none_or(|m| m.start <= at) && self.pull() {}
    }

    /// The first name starting at `a` or at `b`.
    fn starting_at(&mut self, a: usize, b: usize) -> Option<Mention> {
        self.read_past(a.max(b));
        self.found
            .iter()
            .find(|m| m.start == a || m.start == b)
            .cloned()
    }

    /// The first name starting after `at`.
    fn first_after(&mut self, at: usize) -> Option<Mention> {
        self.read_past(at);
        self.found.iter().find(|m| m.start > at).cloned()
    }

    /// The first name after `item` with only `các` before it; the search ends at the first
    /// name whose gap already holds more than `các`, as every later gap holds it too.
    fn after_cac(&mut self, text: &str, item: usize) -> Option<Mention> {
        self.read_past(item);
        let mut i = self.found.partition_point(|m| m.start <= item);
        loop {
            if i == self.found.len() && !self.pull() {
                return None;
            }
            let gap = &text[item..self.found[i].start];
            if is_cac(gap) {
                return Some(self.found[i].clone());
            }
            if !crate::lexicon::agencies::key_prefix_of(gap, "cac") {
                return None;
            }
            i += 1;
        }
    }
}

/// Where the punctuation that ends a name stands in `text` (or its length). A slash ends it
/// (`Trung tâm Phục vụ hành chính công/Bộ phận Một cửa` names two bodies), and so does a line
/// break, unless the next line goes on in lower case: that is a name wrapped across lines
/// (`Phòng Bảo tàng Di sản Đô thị` / `cổ Hội An`), where a list puts each name on a line of
/// its own with a capital.
fn name_punctuation_end(text: &str) -> usize {
    let mut chars = text.char_indices().peekable();
    while let Some((at, c)) = chars.next() {
        let ends = match c {
            ',' | ';' | ':' | '.' | '(' | ')' | '"' | '“' | '”' | '/' => true,
            '\n' => !chars.peek().is_some_and(|&(_, next)| next.is_lowercase()),
            _ => false,
        };
        if ends {
            return at;
        }
    }
    text.len()
}

/// True when `stem` is a list of capitalised names (`Chính phủ, Thủ tướng Chính phủ`), not
/// one name: every piece between commas opens with a capital. A collective goes on in lower
/// case (`Cơ quan, tổ chức, cá nhân`) and stays one name.
fn is_list_of_names(stem: &str) -> bool {
    let mut after_first = stem.split([',', ';']).skip(1).map(str::trim).peekable();
    after_first.peek().is_some()
        && after_first.all(|piece| piece.starts_with(|c: char| c.is_uppercase()))
}

/// `names` without `own`.
fn without(names: &[String], own: &str) -> Vec<String> {
    names.iter().filter(|n| *n != own).cloned().collect()
}

fn skip_space(text: &str, pos: usize) -> usize {
    let pos = pos.min(text.len());
    let rest = &text[pos..];
    pos + (rest.len()
        - rest
            .trim_start_matches(|c: char| c.is_whitespace() || c == '*' || c == '_')
            .len())
}

/// True when a gap before a name is only `các` (the rules list most names without it).
fn is_cac(gap: &str) -> bool {
    crate::lexicon::agencies::key_is(gap, "cac")
}

fn strip_cac(text: &str) -> &str {
    let t = text.trim_start();
    let mut words = t.splitn(2, char::is_whitespace);
    match (words.next(), words.next()) {
        (Some(w), Some(rest)) if key_is(w, "cac") => rest,
        _ => t,
    }
}

fn word_offsets(text: &str) -> Vec<(usize, &str)> {
    words_of(text).collect()
}

/// The words of `text` (runs of non-whitespace) with their offsets, as they are read.
fn words_of(text: &str) -> impl Iterator<Item = (usize, &str)> {
    let mut chars = text.char_indices();
    std::iter::from_fn(move || {
        let (start, _) = chars.by_ref().find(|(_, c)| !c.is_whitespace())?;
        let end = chars
            .by_ref()
            .find(|(_, c)| c.is_whitespace())
            .map_or(text.len(), |(i, _)| i);
        Some((start, &text[start..end]))
    })
}

/// Pieces of a list: split on commas, semicolons, colons and ` và `. A comma or a `và` that
/// `continues(piece so far, rest)` says goes on with the name before it (`Cục Văn hóa cơ sở, Gia đình và Thư viện`)
/// splits nothing: the piece runs on over it.
fn split_list<'t>(text: &'t str, continues: impl Fn(&str, &str) -> bool) -> Vec<&'t str> {
    let mut out = Vec::new();
    let mut offset = 0;
    for part in text.split([';', ':', '(', ')']) {
        let base = offset;
        offset += part.len() + 1;
        // Separators inside the part: (start, end) byte ranges, in order.
        let lower = part.to_lowercase();
        let mut seps: Vec<(usize, usize)> =
            part.match_indices(',').map(|(i, _)| (i, i + 1)).collect();
        if lower.len() == part.len() {
            seps.extend(lower.match_indices(" và ").map(|(i, m)| (i, i + m.len())));
        }
        seps.sort_unstable();
        let mut from = 0;
        for (s, e) in seps {
            if s < from || continues(&part[from..s], &part[e..]) && !part[from..s].trim().is_empty()
            {
                continue;
            }
            out.push(text[base + from..base + s].trim());
            from = e;
        }
        out.push(text[base + from..base + part.len()].trim());
    }
    out.retain(|p| !p.is_empty());
    out
}

/// `Giám đốc các Sở: Tư pháp, Nội vụ` → `Giám đốc Sở Tư pháp, Sở Nội vụ`. A name that `known`
/// holds with `và` in it (`Nông nghiệp và Môi trường`) is one department, not two.
fn expand_department_lists(span: &str, known: impl Fn(&str) -> bool) -> String {
    let lower = span.to_lowercase();
    let Some(i) = lower.find("các sở:").or_else(|| lower.find("các sở :")) else {
        return span.to_string();
    };
    if !span.is_char_boundary(i) {
        return span.to_string();
    }
    let colon = i + span[i..].find(':').unwrap_or(0);
    let list_end = span[colon..]
        .find(';')
        .map(|j| colon + j)
        .unwrap_or(span.len());
    let names: Vec<String> = span[colon + 1..list_end]
        .split([',', '/'])
        .flat_map(|p| {
            if known(&format!("Sở {}", p.trim())) {
                vec![p]
            } else {
                p.split(" và ").collect()
            }
        })
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .map(|p| format!("Sở {p}"))
        .collect();
    format!("{}{}{}", &span[..i], names.join(", "), &span[list_end..])
}

/// The key opening of `text[range]`, to be compared with phrases of at most `longest` bytes:
/// sliced from `keyed` (the key of a text that `text` starts) where the caller has it, else
/// folded from the window.
fn head_of<'t>(
    text: &'t str,
    keyed: Option<&'t Keyed>,
    range: std::ops::Range<usize>,
    longest: usize,
) -> KeyHead<'t> {
    match keyed {
        Some(keyed) => keyed.head(text, range),
        None => KeyHead::new(&text[range], longest),
    }
}

/// Key byte offset of the word `w` in the key `k`, at word boundaries.
fn find_word(k: &str, w: &str) -> Option<usize> {
    let mut from = 0;
    while let Some(i) = k[from..].find(w) {
        let at = from + i;
        let end = at + w.len();
        if (at == 0 || k.as_bytes()[at - 1] == b' ')
            && (end == k.len() || k.as_bytes()[end] == b' ')
        {
            return Some(at);
        }
        from = at + 1;
        while from < k.len() && !k.is_char_boundary(from) {
            from += 1;
        }
    }
    None
}

/// The key offset that corresponds to byte `pos` of the keyed text (0 when it is the start).
fn pos_key(keyed: &Keyed, pos: usize) -> usize {
    if pos == 0 {
        return 0;
    }
    (0..=keyed.key.len())
        .find(|&i| keyed.key.is_char_boundary(i) && keyed.end(i) >= pos)
        .unwrap_or(0)
}

/// Targets of every node.
fn find_targets(document: &super::Context, rules: &ObligationRules) -> Vec<Target> {
    let normative = matches!(
        document.header.doc_type.as_str(),
        "Luật" | "Nghị định" | "Thông tư" | "Pháp lệnh" | "Bộ luật"
    );
    let mut out = Vec::new();
    for node in crate::record::walk_all(document.sections) {
        if node.kind == NodeKind::Preamble {
            continue;
        }
        let content = node.content();
        for (offset, mut t) in rules.targets.find(&content, !normative) {
            t.path = node.path.clone();
            t.line = node.line_at(offset);
            out.push(t);
        }
    }
    out
}

#[cfg(test)]
mod tests;
