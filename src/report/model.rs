//! The registry as the pages see it: every document with its record, every agency with its
//! tasks in the deadline order of `link::select_tasks` and grouped by when they fall due,
//! and the names and links of the pages, so that every page links the same way.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use super::error::ReportError;
use crate::link::registry::{AgencyFile, IndexAgency, IndexDocument};
use crate::link::{select_tasks, Registry, TaskEntry, TaskFilter, TaskSort};
use crate::record::{walk_all, Document, Role};
use crate::CalendarDate;

/// When a task falls due, seen from the report's day: the groups of an agency's page.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum When {
    /// A dated deadline before the day (`TaskEntry::overdue`).
    Overdue,
    /// Dated within the next 7 days, or weekly.
    Week,
    /// Dated within the next 30 days, or monthly.
    Month,
    /// Dated later, or recurring less often than monthly.
    Later,
    /// No deadline, or one in words only (`Thường xuyên`).
    Undated,
}

impl When {
    pub(crate) const ALL: [When; 5] = [
        When::Overdue,
        When::Week,
        When::Month,
        When::Later,
        When::Undated,
    ];

    /// The group's heading, for the user.
    pub(crate) fn label(self) -> &'static str {
        match self {
            When::Overdue => "Quá hạn",
            When::Week => "Đến hạn trong 7 ngày",
            When::Month => "Đến hạn trong 30 ngày",
            When::Later => "Thời hạn sau đó",
            When::Undated => "Không có thời hạn cụ thể",
        }
    }

    /// A stable name for anchors and CSS classes.
    pub(crate) fn slug(self) -> &'static str {
        match self {
            When::Overdue => "overdue",
            When::Week => "week",
            When::Month => "month",
            When::Later => "later",
            When::Undated => "undated",
        }
    }
}

/// One document of the registry and the name of its pages.
pub(crate) struct DocEntry {
    pub(crate) index: IndexDocument,
    pub(crate) document: Document,
    /// The record's file stem: `documents/STEM.html`, `graphs/STEM.html`.
    pub(crate) stem: String,
    /// The anchors of its page: one per section path (the first node with the path), and
    /// the header's.
    pub(crate) anchors: BTreeSet<String>,
    /// (line, path) of every node, by line: where a line of the input is on the page.
    lines: Vec<(u32, String)>,
}

/// The anchor of the document's header (its facts, the trích yếu): taken by no section
/// path, which never starts with `s-`.
pub(crate) const HEADER_ANCHOR: &str = "s-header";

impl DocEntry {
    fn new(index: &IndexDocument, document: Document) -> DocEntry {
        let mut anchors = BTreeSet::from([HEADER_ANCHOR.to_string()]);
        let mut lines = Vec::new();
        for node in walk_all(&document.sections) {
            anchors.insert(node.path.clone());
            lines.push((node.line, node.path.clone()));
        }
        lines.sort_by_key(|(line, _)| *line);
        DocEntry {
            stem: record_stem(&index.record),
            index: index.clone(),
            document,
            anchors,
            lines,
        }
    }

    /// The anchor of a path on the page, when the page has one (a citation in the
    /// trích yếu stands at `subject`, which is in the header).
    pub(crate) fn fragment<'a>(&self, path: &'a str) -> Option<&'a str> {
        if self.anchors.contains(path) {
            Some(path)
        } else if path == "subject" || path == "header" {
            Some(HEADER_ANCHOR)
        } else {
            None
        }
    }

    /// The anchor of the node a line of the input stands in: the last to start at or
    /// before it; the header for the lines before the first node.
    pub(crate) fn line_anchor(&self, line: u32) -> String {
        let before = self.lines.partition_point(|(start, _)| *start <= line);
        match before.checked_sub(1) {
            Some(i) if line > 0 => self.lines[i].1.clone(),
            _ => HEADER_ANCHOR.to_string(),
        }
    }
}

/// One task on an agency's page.
pub(crate) struct Task {
    pub(crate) entry: TaskEntry,
    /// The document of the task, an index into [`Site::documents`].
    pub(crate) document: Option<usize>,
    /// The task's anchor on its agency's page (`t-3`).
    pub(crate) anchor: String,
    pub(crate) when: When,
}

/// One agency and its tasks, the most urgent first.
pub(crate) struct AgencyTasks {
    pub(crate) index: IndexAgency,
    pub(crate) aliases: Vec<String>,
    pub(crate) tasks: Vec<Task>,
    /// Where its first task stands in `select_tasks`'s list of all tasks: the agency with
    /// the most urgent task first.
    pub(crate) rank: usize,
}

impl AgencyTasks {
    pub(crate) fn count(&self, when: When) -> usize {
        self.tasks.iter().filter(|t| t.when == when).count()
    }
}

/// Where the task of a document's obligation is: (agency slug, anchor).
type TaskPlace = (String, String);
/// An obligation as both a record and an agency file name it.
/// (record, path, line, lead?, agency).
type ObligationKey = (String, String, u32, bool, String);

/// Everything the pages show.
pub(crate) struct Site {
    pub(crate) registry: Registry,
    /// The day that decides what is overdue.
    pub(crate) as_of: String,
    pub(crate) documents: Vec<DocEntry>,
    pub(crate) agencies: Vec<AgencyTasks>,
    by_record: BTreeMap<String, usize>,
    by_key: BTreeMap<String, usize>,
    places: BTreeMap<ObligationKey, TaskPlace>,
}

impl Site {
    /// Reads the registry at `dir` whole and orders its tasks as of `as_of`.
    pub(crate) fn load(dir: &Path, as_of: &str) -> Result<Site, ReportError> {
        let day = CalendarDate::parse(as_of).ok_or_else(|| ReportError::InvalidDate {
            value: as_of.to_string(),
        })?;
        let mut registry = Registry::open(dir)?;
        registry.load_agencies()?;
        let mut documents = Vec::with_capacity(registry.index.documents.len());
        for index in &registry.index.documents {
            documents.push(DocEntry::new(index, registry.read_record(&index.record)?));
        }
        let by_record = documents
            .iter()
            .enumerate()
            .map(|(i, d)| (d.index.record.clone(), i))
            .collect();
        let by_key = documents
            .iter()
            .enumerate()
            .map(|(i, d)| (d.index.key.clone(), i))
            .collect();
        let mut site = Site {
            as_of: day.iso(),
            documents,
            agencies: Vec::new(),
            by_record,
            by_key,
            places: BTreeMap::new(),
            registry,
        };
        site.agencies = site.agency_tasks(day)?;
        site.places = site.task_places();
        Ok(site)
    }

    /// Every agency's tasks, in `select_tasks`'s deadline order, each paired with its
    /// obligation in the agency file (for its document record and its anchor).
    fn agency_tasks(&self, day: CalendarDate) -> Result<Vec<AgencyTasks>, ReportError> {
        let filter = TaskFilter {
            as_of: Some(day.iso()),
            sort: TaskSort::Deadline,
            ..TaskFilter::default()
        };
        let mut by_slug: BTreeMap<String, (usize, Vec<TaskEntry>)> = BTreeMap::new();
        for (rank, entry) in select_tasks(&self.registry, &filter)?
            .into_iter()
            .enumerate()
        {
            by_slug
                .entry(entry.agency_slug.clone())
                .or_insert_with(|| (rank, Vec::new()))
                .1
                .push(entry);
        }
        let week = days_after(day, 7);
        let month = days_after(day, 30);
        let mut agencies = Vec::new();
        for (index, file) in self
            .registry
            .index
            .agencies
            .iter()
            .zip(&self.registry.agencies)
        {
            let (rank, entries) = by_slug
                .remove(&index.slug)
                .unwrap_or((usize::MAX, Vec::new()));
            let mut used = vec![false; file.obligations.len()];
            let tasks = entries
                .into_iter()
                .map(|entry| {
                    let found = pair(file, &entry, &mut used);
                    let record = found.map(|i| file.obligations[i].record.as_str());
                    Task {
                        document: record.and_then(|r| self.by_record.get(r).copied()),
                        anchor: format!("t-{}", found.map_or(0, |i| i + 1)),
                        when: when(&entry, &week, &month),
                        entry,
                    }
                })
                .collect();
            agencies.push(AgencyTasks {
                index: index.clone(),
                aliases: file.aliases.clone(),
                tasks,
                rank,
            });
        }
        Ok(agencies)
    }

    fn task_places(&self) -> BTreeMap<ObligationKey, TaskPlace> {
        let mut places = BTreeMap::new();
        for agency in &self.agencies {
            for task in &agency.tasks {
                let Some(doc) = task.document else { continue };
                let e = &task.entry;
                let key = (
                    self.documents[doc].index.record.clone(),
                    e.path.clone(),
                    e.line,
                    e.role == Role::Lead,
                    e.agency.clone(),
                );
                places
                    .entry(key)
                    .or_insert_with(|| (agency.index.slug.clone(), task.anchor.clone()));
            }
        }
        places
    }

    /// The document whose graph node has `key`, when it is in the corpus.
    pub(crate) fn document_by_key(&self, key: &str) -> Option<&DocEntry> {
        self.by_key.get(key).map(|&i| &self.documents[i])
    }

    /// The document a record file is of.
    pub(crate) fn document_by_record(&self, record: &str) -> Option<&DocEntry> {
        self.by_record.get(record).map(|&i| &self.documents[i])
    }

    /// The agency page and anchor of an obligation of `doc`.
    pub(crate) fn task_place(
        &self,
        doc: &DocEntry,
        ob: &crate::record::Obligation,
    ) -> Option<&TaskPlace> {
        let key = (
            doc.index.record.clone(),
            ob.path.clone(),
            ob.line,
            ob.role == Role::Lead,
            crate::text::squash_spaces(&ob.agency),
        );
        self.places.get(&key)
    }
}

/// The first obligation of `file` not yet paired that is the task `entry`.
fn pair(file: &AgencyFile, entry: &TaskEntry, used: &mut [bool]) -> Option<usize> {
    let found = file.obligations.iter().enumerate().position(|(i, ob)| {
        !used[i]
            && ob.id == entry.id
            && ob.path == entry.path
            && ob.line == entry.line
            && ob.role == entry.role
            && ob.text == entry.text
    })?;
    used[found] = true;
    Some(found)
}

/// The group of a task; `week` and `month` are the ISO days 7 and 30 days after the report's.
fn when(entry: &TaskEntry, week: &str, month: &str) -> When {
    if entry.overdue {
        return When::Overdue;
    }
    let Some(deadline) = &entry.deadline else {
        return When::Undated;
    };
    if let Some(date) = &deadline.date {
        return if date.as_str() < week {
            When::Week
        } else if date.as_str() < month {
            When::Month
        } else {
            When::Later
        };
    }
    match deadline.recurrence.as_deref() {
        Some("weekly") => When::Week,
        Some("monthly") => When::Month,
        Some(_) => When::Later,
        None => When::Undated,
    }
}

/// The ISO day `days` after `day`.
pub(crate) fn days_after(day: CalendarDate, days: i64) -> String {
    CalendarDate::from_unix_days(unix_days(day) + days)
        .map(|d| d.iso())
        .unwrap_or_else(|| "9999-12-31".to_string())
}

/// Days since 1970-01-01: the inverse of `CalendarDate::from_unix_days` (Hinnant's
/// `days_from_civil`).
fn unix_days(day: CalendarDate) -> i64 {
    let (month, day_of_month) = (i64::from(day.month), i64::from(day.day));
    let year = i64::from(day.year) - i64::from(month <= 2);
    let era = year.div_euclid(400);
    let year_of_era = year.rem_euclid(400);
    let mp = (month + 9) % 12;
    let day_of_year = (153 * mp + 2) / 5 + day_of_month - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    era * 146_097 + day_of_era - 719_468
}

/// `documents/31_KH-UBND.yaml` → `31_KH-UBND`.
fn record_stem(record: &str) -> String {
    let name = record.rsplit('/').next().unwrap_or(record);
    match name.rsplit_once('.') {
        Some((stem, _)) if !stem.is_empty() => stem.to_string(),
        _ => name.to_string(),
    }
}

/// A path or a fragment as it goes into an href: every byte but the unreserved ASCII
/// ones percent-encoded, so ids with `/`, `(` or Vietnamese letters link safely.
pub(crate) fn encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~') {
            out.push(byte as char);
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

/// Links between pages; `root` is the way from the page to the site's top (`""` or `../`).
pub(crate) struct Links<'a> {
    pub(crate) root: &'a str,
}

impl Links<'_> {
    pub(crate) fn home(&self) -> String {
        format!("{}index.html", self.root)
    }

    pub(crate) fn tasks(&self) -> String {
        format!("{}tasks.html", self.root)
    }

    pub(crate) fn asset(&self, name: &str) -> String {
        format!("{}assets/{name}", self.root)
    }

    /// The page of a document, at the anchor of `path` when the page has one.
    pub(crate) fn document(&self, doc: &DocEntry, path: Option<&str>) -> String {
        let mut href = format!("{}documents/{}.html", self.root, encode(&doc.stem));
        if let Some(fragment) = path.and_then(|p| doc.fragment(p)) {
            href.push('#');
            href.push_str(&encode(fragment));
        }
        href
    }

    pub(crate) fn graph(&self, doc: &DocEntry) -> String {
        format!("{}graphs/{}.html", self.root, encode(&doc.stem))
    }

    pub(crate) fn agency(&self, slug: &str, fragment: Option<&str>) -> String {
        let mut href = format!("{}agencies/{}.html", self.root, encode(slug));
        if let Some(fragment) = fragment {
            href.push('#');
            href.push_str(&encode(fragment));
        }
        href
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn days_round_trip_across_months_and_leap_years() {
        let day = |y, m, d| CalendarDate::new(y, m, d).unwrap();
        assert_eq!(days_after(day(2025, 12, 28), 7), "2026-01-04");
        assert_eq!(days_after(day(2024, 2, 25), 7), "2024-03-03");
        assert_eq!(days_after(day(2025, 2, 25), 7), "2025-03-04");
        assert_eq!(days_after(day(2025, 1, 31), 30), "2025-03-02");
        assert_eq!(unix_days(day(1970, 1, 1)), 0);
    }

    #[test]
    fn hrefs_are_encoded() {
        assert_eq!(encode("IV.1.a"), "IV.1.a");
        assert_eq!(encode("5.-2.(1)"), "5.-2.%281%29");
        assert_eq!(encode("1790_CV-BCĐ"), "1790_CV-BC%C4%90");
        assert_eq!(record_stem("documents/31_KH-UBND.yaml"), "31_KH-UBND");
    }
}
