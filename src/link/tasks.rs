//! `vanban tasks`: obligations from the registry, by agency (any spelling), role, deadline
//! and document.

use std::collections::BTreeMap;
use std::path::Path;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::error::RegistryError;
use super::lookup::suggest;
use super::registry::{AgencyFile, Registry};
use super::trace::shorten;
use crate::lexicon::date::CalendarDate;
use crate::lexicon::doc_number::id_key;
use crate::record::{Deadline, Modality, Role};
use crate::text::fold;

/// Which tasks to list; every field narrows the list, `None` keeps all.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct TaskFilter {
    /// The agency, by canonical name, alias or slug, in any capitalisation, with or
    /// without diacritics. When no name matches exactly, every agency whose name contains
    /// the words given (`Công an` → `Công an thành phố Hà Nội`, `Công an các quận...`).
    pub agency: Option<String>,
    /// Only agencies of this locality, in any capitalisation, with or without diacritics and
    /// the level word (`Đồng Tháp`, `tỉnh Đồng Tháp`, `dong thap`): those whose name ends with
    /// it after `tỉnh` or `thành phố`, as a local body's canonical name does.
    pub locality: Option<String>,
    pub role: Option<Role>,
    /// Only tasks with a dated deadline strictly before this date (`YYYY-MM-DD` or `DD/MM/YYYY`).
    pub due_before: Option<String>,
    /// Only tasks of this document (any spelling of its id).
    pub document: Option<String>,
    /// The order of the list.
    pub sort: TaskSort,
    /// The day that decides what is overdue (`YYYY-MM-DD` or `DD/MM/YYYY`); None: nothing is.
    pub as_of: Option<String>,
    /// Only tasks whose dated deadline is before `as_of`.
    pub overdue: bool,
}

/// The order of a task list.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum TaskSort {
    /// The most urgent first: dated deadlines by date, then recurring tasks (weekly before
    /// monthly, quarterly, half-yearly, yearly), then tasks with no deadline.
    #[default]
    Deadline,
    /// By document, in the registry's order, then by line.
    Document,
    /// By agency, then the most urgent first.
    Agency,
}

/// One task: an obligation with its agency and document.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema, PartialEq)]
pub struct TaskEntry {
    /// `DOCID#PATH`.
    pub id: String,
    /// The obligation's registry key, unique in the registry: `DOCUMENT-KEY#PATH#AGENCY-SLUG`.
    #[serde(default)]
    pub key: String,
    /// The registry key of the document.
    #[serde(default)]
    pub document_key: String,
    pub agency: String,
    /// The agency file: `agencies/SLUG.yaml`.
    pub agency_slug: String,
    pub document: String,
    pub document_type: String,
    pub document_date: Option<String>,
    pub document_subject: String,
    pub path: String,
    pub role: Role,
    pub modality: Modality,
    pub deadline: Option<Deadline>,
    pub partners: Vec<String>,
    pub text: String,
    pub line: u32,
    /// The deadline's date is before the filter's `as_of` day.
    #[serde(default)]
    pub overdue: bool,
}

/// Reads the registry and lists the tasks `filter` selects, in the filter's order.
pub fn tasks(registry: &Path, filter: &TaskFilter) -> Result<Vec<TaskEntry>, RegistryError> {
    let mut registry = Registry::open(registry)?;
    registry.load_agencies()?;
    select_tasks(&registry, filter)
}

/// [`tasks`] on a registry already read (with its agencies) or assembled.
pub fn select_tasks(
    registry: &Registry,
    filter: &TaskFilter,
) -> Result<Vec<TaskEntry>, RegistryError> {
    let due_before = filter.due_before.as_deref().map(parse_date).transpose()?;
    let as_of = filter.as_of.as_deref().map(parse_date).transpose()?;
    let document = match &filter.document {
        Some(id) => Some(id_key(&registry.find_document(id)?.id)),
        None => None,
    };
    let mut agencies: Vec<&AgencyFile> = match &filter.agency {
        Some(name) => match_agencies(registry, name)?,
        None => registry.agencies.iter().collect(),
    };
    if let Some(locality) = &filter.locality {
        agencies = of_locality(registry, agencies, locality, filter.agency.as_deref())?;
    }
    let order: BTreeMap<String, usize> = registry
        .index
        .documents
        .iter()
        .enumerate()
        .map(|(i, d)| (id_key(&d.id), i))
        .rev()
        .collect();
    let mut entries = Vec::new();
    for agency in agencies {
        for ob in &agency.obligations {
            if filter.role.is_some_and(|role| role != ob.role) {
                continue;
            }
            if document
                .as_ref()
                .is_some_and(|key| *key != id_key(&ob.document))
            {
                continue;
            }
            let dated = ob.deadline.as_ref().and_then(|d| d.date.as_ref());
            if let Some(limit) = &due_before {
                if dated.is_none_or(|date| date >= limit) {
                    continue;
                }
            }
            let overdue = as_of
                .as_ref()
                .is_some_and(|today| dated.is_some_and(|date| date < today));
            if filter.overdue && !overdue {
                continue;
            }
            let doc = registry
                .index
                .documents
                .iter()
                .find(|d| d.record == ob.record);
            entries.push(TaskEntry {
                id: ob.id.clone(),
                key: ob.key.clone(),
                document_key: doc.map(|d| d.key.clone()).unwrap_or_default(),
                agency: agency.name.clone(),
                agency_slug: agency.slug.clone(),
                document: ob.document.clone(),
                document_type: doc.map(|d| d.doc_type.clone()).unwrap_or_default(),
                document_date: doc.and_then(|d| d.date.clone()),
                document_subject: doc.map(|d| d.subject.clone()).unwrap_or_default(),
                path: ob.path.clone(),
                role: ob.role,
                modality: ob.modality,
                deadline: ob.deadline.clone(),
                partners: ob.partners.clone(),
                text: ob.text.clone(),
                line: ob.line,
                overdue,
            });
        }
    }
    sort_tasks(&mut entries, filter.sort, &order);
    Ok(entries)
}

/// Orders tasks; `order` is each document's rank in the registry's index.
fn sort_tasks(entries: &mut [TaskEntry], sort: TaskSort, order: &BTreeMap<String, usize>) {
    let rank = |e: &TaskEntry| {
        order
            .get(&id_key(&e.document))
            .copied()
            .unwrap_or(usize::MAX)
    };
    let by_document = |e: &TaskEntry| (rank(e), e.document.clone(), e.line, e.path.clone());
    match sort {
        TaskSort::Document => entries.sort_by_cached_key(|e| (by_document(e), fold(&e.agency))),
        TaskSort::Deadline => {
            // Each agency's tasks together, the agency with the most urgent task first, so
            // that the most urgent task of all opens the list.
            let mut first: BTreeMap<String, (u8, String)> = BTreeMap::new();
            for e in entries.iter() {
                let best = first.entry(e.agency.clone()).or_insert_with(|| urgency(e));
                *best = (*best).clone().min(urgency(e));
            }
            entries.sort_by_cached_key(|e| {
                (
                    first[&e.agency].clone(),
                    fold(&e.agency),
                    urgency(e),
                    by_document(e),
                )
            })
        }
        TaskSort::Agency => {
            entries.sort_by_cached_key(|e| (fold(&e.agency), urgency(e), by_document(e)))
        }
    }
}

/// How urgent a task is, most urgent least: a dated deadline by its date, then recurring
/// tasks from the most to the least frequent, then tasks with no deadline.
fn urgency(task: &TaskEntry) -> (u8, String) {
    let Some(deadline) = &task.deadline else {
        return (3, String::new());
    };
    if let Some(date) = &deadline.date {
        return (0, date.clone());
    }
    let frequency = match deadline.recurrence.as_deref() {
        Some("weekly") => "1",
        Some("monthly") => "2",
        Some("quarterly") => "3",
        Some("half-yearly") => "4",
        Some("yearly") => "5",
        _ => return (3, String::new()),
    };
    (1, frequency.to_string())
}

/// The agencies a name given by a user stands for.
fn match_agencies<'a>(
    registry: &'a Registry,
    query: &str,
) -> Result<Vec<&'a AgencyFile>, RegistryError> {
    let wanted = fold(query);
    let slug = wanted.replace(' ', "-");
    let exact: Vec<&AgencyFile> = registry
        .agencies
        .iter()
        .filter(|a| {
            a.slug == slug
                || fold(&a.name) == wanted
                || a.aliases.iter().any(|alias| fold(alias) == wanted)
        })
        .collect();
    if !exact.is_empty() {
        return Ok(exact);
    }
    let words = format!(" {wanted} ");
    let partial: Vec<&AgencyFile> = registry
        .agencies
        .iter()
        .filter(|a| {
            !wanted.is_empty()
                && std::iter::once(&a.name)
                    .chain(&a.aliases)
                    .any(|n| format!(" {} ", fold(n)).contains(&words))
        })
        .collect();
    if !partial.is_empty() {
        return Ok(partial);
    }
    let names = registry
        .agencies
        .iter()
        .flat_map(|a| std::iter::once(a.name.as_str()));
    Err(RegistryError::UnknownAgency {
        name: query.to_string(),
        registry: registry.root.display().to_string(),
        suggestions: suggest(query, names),
    })
}

/// The locality a local body's canonical name ends with, folded: `dong thap` for `Sở Tài
/// chính tỉnh Đồng Tháp`, `ha noi` for `Công an thành phố Hà Nội`; None for a central body, a
/// collective of every province's (`Sở Tư pháp các tỉnh, thành phố`: what follows the level
/// word is no place's name, and the caller compares it with one) or a name with the level
/// word alone (`Ban Chỉ đạo 138 thành phố`).
fn locality_of(name: &str) -> Option<String> {
    let name = format!(" {}", fold(name));
    let at = ["tinh", "thanh pho"]
        .iter()
        .filter_map(|level| {
            let marker = format!(" {level} ");
            name.rfind(&marker).map(|at| at + marker.len())
        })
        .max()?;
    Some(name[at..].trim().to_string()).filter(|place| !place.is_empty())
}

/// The agencies of `locality` among `agencies`; none is an error that names the localities
/// the agencies asked for do have, closest first.
fn of_locality<'a>(
    registry: &Registry,
    agencies: Vec<&'a AgencyFile>,
    locality: &str,
    agency: Option<&str>,
) -> Result<Vec<&'a AgencyFile>, RegistryError> {
    let wanted = fold(locality);
    let wanted = ["tinh ", "thanh pho "]
        .iter()
        .find_map(|level| wanted.strip_prefix(level))
        .unwrap_or(&wanted)
        .trim()
        .to_string();
    let (of, others): (Vec<&AgencyFile>, Vec<&AgencyFile>) = agencies
        .into_iter()
        .partition(|a| locality_of(&a.name).is_some_and(|place| place == wanted));
    if !of.is_empty() {
        return Ok(of);
    }
    let mut candidates: Vec<&str> = others.iter().map(|a| a.name.as_str()).collect();
    candidates.sort_by_key(|name| {
        locality_of(name).map_or(usize::MAX, |place| {
            let close = suggest(&wanted, std::iter::once(place.as_str()));
            usize::from(close.is_empty())
        })
    });
    candidates.truncate(5);
    Err(RegistryError::UnknownAgency {
        name: format!("{} of {locality}", agency.unwrap_or("any agency")),
        registry: registry.root.display().to_string(),
        suggestions: candidates.into_iter().map(str::to_string).collect(),
    })
}

/// `2020-06-30`, `30/6/2020`, `30-06-2020` or `30.06.2020` as ISO.
fn parse_date(text: &str) -> Result<String, RegistryError> {
    CalendarDate::parse(text)
        .map(|date| date.iso())
        .ok_or_else(|| RegistryError::InvalidDate {
            value: text.to_string(),
        })
}

/// How `tasks` prints for people.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct TaskView {
    /// Tasks under a heading per document (`Document`), else per agency.
    pub sort: TaskSort,
    /// Wrap each task's text to this many columns (a terminal's width); None prints it whole
    /// on one line, as a file or a pipe wants it.
    pub width: Option<usize>,
}

/// The tasks as text: a heading per document or agency, then one entry per task with its
/// clause, role, deadline and text.
pub fn render_tasks_text(tasks: &[TaskEntry], view: &TaskView) -> String {
    if tasks.is_empty() {
        return "no tasks match\n".to_string();
    }
    let by_document = view.sort == TaskSort::Document;
    let group_key = |t: &TaskEntry| {
        if by_document {
            t.document.clone()
        } else {
            t.agency.clone()
        }
    };
    let mut out = String::new();
    let mut start = 0;
    while start < tasks.len() {
        let key = group_key(&tasks[start]);
        let end = start
            + tasks[start..]
                .iter()
                .take_while(|t| group_key(t) == key)
                .count();
        let group = &tasks[start..end];
        if !out.is_empty() {
            out.push('\n');
        }
        out.push_str(&if by_document {
            document_heading(&group[0])
        } else {
            group[0].agency.clone()
        });
        out.push('\n');
        for task in group {
            out.push_str(&task_entry(task, by_document, view.width));
        }
        start = end;
    }
    let documents: std::collections::BTreeSet<&str> =
        tasks.iter().map(|t| t.document.as_str()).collect();
    out.push_str(&format!(
        "\n{} tasks in {} documents\n",
        tasks.len(),
        documents.len()
    ));
    out
}

/// `101/KH-UBND  Kế hoạch, 2020-06-10 — Triển khai thực hiện ...`.
fn document_heading(task: &TaskEntry) -> String {
    let mut heading = if task.document.is_empty() {
        "(no number)".to_string()
    } else {
        task.document.clone()
    };
    let facts: Vec<&str> = [
        Some(task.document_type.as_str()).filter(|t| !t.is_empty()),
        task.document_date.as_deref(),
    ]
    .into_iter()
    .flatten()
    .collect();
    if !facts.is_empty() {
        heading.push_str(&format!("  {}", facts.join(", ")));
    }
    if !task.document_subject.is_empty() {
        heading.push_str(&format!(" — {}", shorten(&task.document_subject, 80)));
    }
    heading
}

/// One task: under a document heading, its clause and agency; under an agency heading, its
/// document and clause. Then role, deadline and the text.
fn task_entry(task: &TaskEntry, under_document: bool, width: Option<usize>) -> String {
    let role = match task.role {
        Role::Lead => "lead   ",
        Role::Support => "support",
    };
    let mut line = if under_document {
        format!("  {}  {}  {}", task.path, role, task.agency)
    } else {
        format!("  {}  {}", role, task.id)
    };
    if let Some(deadline) = &task.deadline {
        let when = deadline
            .date
            .clone()
            .or_else(|| deadline.recurrence.clone())
            .unwrap_or_else(|| deadline.text.clone());
        line.push_str(&format!("  [due {when}]"));
    }
    if task.overdue {
        line.push_str("  OVERDUE");
    }
    let text = crate::text::squash_spaces(&task.text);
    match width {
        None => format!("{line}: {text}\n"),
        Some(width) => {
            let mut entry = format!("{line}\n");
            for wrapped in crate::text::wrap(&text, width.saturating_sub(6).max(20)) {
                entry.push_str(&format!("      {wrapped}\n"));
            }
            entry
        }
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// A task of `1/KH-UBND` for Sở Y tế (also used by `tasks_csv`'s tests).
    pub(crate) fn task(deadline: Option<(&str, Option<&str>, Option<&str>)>) -> TaskEntry {
        TaskEntry {
            id: "1/KH-UBND#1".into(),
            key: "ubnd:1/KH-UBND:#1#so-y-te".into(),
            document_key: "ubnd:1/KH-UBND:".into(),
            agency: "Sở Y tế".into(),
            agency_slug: "so-y-te".into(),
            document: "1/KH-UBND".into(),
            document_type: "Kế hoạch".into(),
            document_date: None,
            document_subject: String::new(),
            path: "1".into(),
            role: Role::Lead,
            modality: Modality::Directive,
            deadline: deadline.map(|(text, date, recurrence)| Deadline {
                text: text.into(),
                date: date.map(str::to_string),
                recurrence: recurrence.map(str::to_string),
            }),
            partners: Vec::new(),
            text: String::new(),
            line: 1,
            overdue: false,
        }
    }

    #[test]
    fn dated_then_recurring_by_frequency_then_none() {
        let none = task(None);
        let yearly = task(Some(("hằng năm", None, Some("yearly"))));
        let weekly = task(Some(("hằng tuần", None, Some("weekly"))));
        let late = task(Some(("trước 31/12/2025", Some("2025-12-31"), None)));
        let soon = task(Some(("trước 01/12/2025", Some("2025-12-01"), None)));
        let mut all = [&none, &yearly, &weekly, &late, &soon];
        all.sort_by_key(|t| urgency(t));
        let order: Vec<&str> = all
            .iter()
            .map(|t| t.deadline.as_ref().map_or("none", |d| d.text.as_str()))
            .collect();
        assert_eq!(
            order,
            [
                "trước 01/12/2025",
                "trước 31/12/2025",
                "hằng tuần",
                "hằng năm",
                "none"
            ]
        );
    }

    #[test]
    fn a_local_body_carries_its_locality_at_the_end() {
        assert_eq!(
            locality_of("Sở Tài chính tỉnh Đồng Tháp").as_deref(),
            Some("dong thap")
        );
        assert_eq!(
            locality_of("Công an thành phố Hà Nội").as_deref(),
            Some("ha noi")
        );
        assert_eq!(locality_of("Bộ Tài chính"), None);
        assert_eq!(locality_of("Ban Chỉ đạo 138 thành phố"), None);
        assert_eq!(
            locality_of("Sở Tư pháp các tỉnh, thành phố trực thuộc Trung ương").as_deref(),
            Some("truc thuoc trung uong")
        );
    }

    #[test]
    fn dates() {
        assert_eq!(parse_date("2020-06-30").unwrap(), "2020-06-30");
        assert_eq!(parse_date("30/6/2020").unwrap(), "2020-06-30");
        assert!(parse_date("31/6/2020").is_err());
        assert!(parse_date("tomorrow").is_err());
        assert_eq!(parse_date("29/02/2024").unwrap(), "2024-02-29");
    }
}
