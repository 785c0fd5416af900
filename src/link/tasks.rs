//! `vanban tasks`: obligations from the registry, by agency (any spelling), role, deadline
//! and document.

use std::collections::BTreeMap;
use std::path::Path;

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
    pub role: Option<Role>,
    /// Only tasks with a dated deadline strictly before this date (`YYYY-MM-DD` or `DD/MM/YYYY`).
    pub due_before: Option<String>,
    /// Only tasks of this document (any spelling of its id).
    pub document: Option<String>,
}

/// One task: an obligation with its agency and document.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct TaskEntry {
    /// `DOCID#PATH`.
    pub id: String,
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
}

/// Reads the registry and lists the tasks `filter` selects, by document (in the index
/// order), then line.
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
    let document = match &filter.document {
        Some(id) => Some(id_key(&registry.find_document(id)?.id)),
        None => None,
    };
    let agencies: Vec<&AgencyFile> = match &filter.agency {
        Some(name) => match_agencies(registry, name)?,
        None => registry.agencies.iter().collect(),
    };
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
            if let Some(limit) = &due_before {
                match ob.deadline.as_ref().and_then(|d| d.date.as_ref()) {
                    Some(date) if date < limit => {}
                    _ => continue,
                }
            }
            let doc = registry
                .index
                .documents
                .iter()
                .find(|d| d.record == ob.record);
            entries.push(TaskEntry {
                id: ob.id.clone(),
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
            });
        }
    }
    entries.sort_by(|a, b| {
        let rank = |e: &TaskEntry| {
            order
                .get(&id_key(&e.document))
                .copied()
                .unwrap_or(usize::MAX)
        };
        (rank(a), &a.document, a.line, &a.path, fold(&a.agency)).cmp(&(
            rank(b),
            &b.document,
            b.line,
            &b.path,
            fold(&b.agency),
        ))
    });
    Ok(entries)
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

/// `2020-06-30`, `30/6/2020`, `30-06-2020` or `30.06.2020` as ISO.
fn parse_date(text: &str) -> Result<String, RegistryError> {
    CalendarDate::parse(text)
        .map(|date| date.iso())
        .ok_or_else(|| RegistryError::InvalidDate {
            value: text.to_string(),
        })
}

/// The tasks grouped by document: a heading per document, then one line per task with the
/// clause path, role, agency, deadline and the text shortened.
pub fn render_tasks_text(tasks: &[TaskEntry]) -> String {
    if tasks.is_empty() {
        return "no tasks match\n".to_string();
    }
    let mut out = String::new();
    let mut documents = 0;
    let mut start = 0;
    while start < tasks.len() {
        let document = &tasks[start].document;
        let end = start
            + tasks[start..]
                .iter()
                .take_while(|t| &t.document == document)
                .count();
        let group = &tasks[start..end];
        documents += 1;
        if !out.is_empty() {
            out.push('\n');
        }
        let first = &group[0];
        let mut heading = if first.document.is_empty() {
            "(no number)".to_string()
        } else {
            first.document.clone()
        };
        let facts: Vec<&str> = [
            Some(first.document_type.as_str()).filter(|t| !t.is_empty()),
            first.document_date.as_deref(),
        ]
        .into_iter()
        .flatten()
        .collect();
        if !facts.is_empty() {
            heading.push_str(&format!("  {}", facts.join(", ")));
        }
        if !first.document_subject.is_empty() {
            heading.push_str(&format!(" — {}", shorten(&first.document_subject, 80)));
        }
        out.push_str(&heading);
        out.push('\n');
        let path_width = group
            .iter()
            .map(|t| t.path.chars().count())
            .max()
            .unwrap_or(0);
        for task in group {
            let role = match task.role {
                Role::Lead => "lead   ",
                Role::Support => "support",
            };
            let mut line = format!(
                "  {}{}  {}  {}",
                task.path,
                " ".repeat(path_width - task.path.chars().count()),
                role,
                task.agency
            );
            if let Some(deadline) = &task.deadline {
                let when = deadline
                    .date
                    .clone()
                    .or_else(|| deadline.recurrence.clone())
                    .unwrap_or_else(|| deadline.text.clone());
                line.push_str(&format!("  [due {when}]"));
            }
            line.push_str(&format!(": {}", shorten(&task.text, 100)));
            out.push_str(&line);
            out.push('\n');
        }
        start = end;
    }
    out.push_str(&format!(
        "\n{} tasks in {} documents\n",
        tasks.len(),
        documents
    ));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates() {
        assert_eq!(parse_date("2020-06-30").unwrap(), "2020-06-30");
        assert_eq!(parse_date("30/6/2020").unwrap(), "2020-06-30");
        assert!(parse_date("31/6/2020").is_err());
        assert!(parse_date("tomorrow").is_err());
        assert_eq!(parse_date("29/02/2024").unwrap(), "2024-02-29");
    }
}
