//! `vanban tasks --format csv`: one row per obligation, for task trackers and spreadsheets.
//!
//! The columns are what the Government Office's task tracking records of each task: the
//! source document (id, type, date, issuer), the clause and its text, the lead or supporting
//! agency with its partners, the modality, the deadline and the start date, and an empty
//! `status` for the tracker to fill. RFC 4180 (the `csv` crate quotes what needs quoting),
//! UTF-8, by default with a byte-order mark, without which spreadsheet programs read
//! Vietnamese text in the machine's legacy code page.

use std::collections::HashMap;
use std::path::Path;

use super::error::RegistryError;
use super::registry::Registry;
use super::tasks::{select_tasks, TaskEntry, TaskFilter};
use crate::record::{Document, Role};

/// The header row.
pub const TASK_CSV_COLUMNS: [&str; 15] = [
    "key",
    "document",
    "type",
    "date",
    "issuer",
    "path",
    "text",
    "agency",
    "role",
    "partners",
    "modality",
    "deadline",
    "deadline_text",
    "start",
    "status",
];

/// Why the CSV could not be written.
#[derive(Debug, thiserror::Error)]
pub enum TasksCsvError {
    #[error(transparent)]
    Registry(#[from] RegistryError),
    #[error("cannot write the CSV: {0}")]
    Csv(#[from] csv::Error),
}

/// Reads the registry (a folder or an SQLite file) and writes the tasks `filter` selects as
/// CSV, with a byte-order mark when `bom`.
pub fn tasks_csv(
    registry: &Path,
    filter: &TaskFilter,
    bom: bool,
) -> Result<Vec<u8>, TasksCsvError> {
    let mut registry = Registry::open(registry)?;
    registry.load_agencies()?;
    let tasks = select_tasks(&registry, filter)?;
    render_tasks_csv(&registry, &tasks, bom)
}

/// The tasks of `registry` as CSV. The issuer and the start date are not in the task list:
/// they are read from each document's record, once per document.
pub fn render_tasks_csv(
    registry: &Registry,
    tasks: &[TaskEntry],
    bom: bool,
) -> Result<Vec<u8>, TasksCsvError> {
    let mut out = Vec::new();
    if bom {
        out.extend_from_slice("\u{feff}".as_bytes());
    }
    let mut writer = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(out);
    writer.write_record(TASK_CSV_COLUMNS)?;
    let mut documents: HashMap<String, Document> = HashMap::new();
    for task in tasks {
        if !documents.contains_key(&task.document_key) {
            let document = registry.document(&task.document_key)?;
            documents.insert(task.document_key.clone(), document);
        }
        writer.write_record(row(task, documents.get(&task.document_key)))?;
    }
    writer
        .into_inner()
        .map_err(|e| TasksCsvError::Csv(csv::Error::from(e.into_error())))
}

/// One task's cells, in the order of [`TASK_CSV_COLUMNS`].
fn row(task: &TaskEntry, document: Option<&Document>) -> [String; 15] {
    let deadline = task.deadline.as_ref();
    let start = document
        .and_then(|d| {
            d.obligations
                .iter()
                .find(|o| o.path == task.path && o.agency == task.agency && o.role == task.role)
        })
        .and_then(|o| o.start.clone());
    [
        task.key.clone(),
        task.document.clone(),
        task.document_type.clone(),
        task.document_date.clone().unwrap_or_default(),
        document.and_then(|d| d.issuer.clone()).unwrap_or_default(),
        task.path.clone(),
        crate::text::squash_spaces(&task.text),
        task.agency.clone(),
        match task.role {
            Role::Lead => "lead".into(),
            Role::Support => "support".into(),
        },
        task.partners.join("; "),
        serde_json::to_value(task.modality)
            .ok()
            .and_then(|v| v.as_str().map(str::to_string))
            .unwrap_or_default(),
        deadline
            .and_then(|d| d.date.clone().or_else(|| d.recurrence.clone()))
            .unwrap_or_default(),
        deadline.map(|d| d.text.clone()).unwrap_or_default(),
        start.unwrap_or_default(),
        String::new(),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::record::Modality;

    fn task(text: &str, partners: &[&str]) -> TaskEntry {
        let mut task = crate::link::tasks::tests::task(Some(("hằng quý", None, Some("quarterly"))));
        task.role = Role::Support;
        task.modality = Modality::Request;
        task.partners = partners.iter().map(|p| p.to_string()).collect();
        task.text = text.into();
        task
    }

    #[test]
    fn text_on_one_line_partners_joined_status_empty() {
        let registry = Registry::default();
        let cells = row(
            &task(
                "Báo cáo \"kết quả\",\nđịnh kỳ",
                &["Sở Tài chính", "Công an"],
            ),
            None,
        );
        assert_eq!(cells[6], "Báo cáo \"kết quả\", định kỳ");
        assert_eq!(cells[9], "Sở Tài chính; Công an");
        assert_eq!(cells[8], "support");
        assert_eq!(cells[10], "request");
        assert_eq!(cells[11], "quarterly");
        assert_eq!(cells[14], "");
        // A document the registry lacks is an error naming it, not an empty issuer.
        assert!(render_tasks_csv(&registry, &[task("x", &[])], true).is_err());
        let empty = render_tasks_csv(&registry, &[], true).unwrap();
        assert!(empty.starts_with("\u{feff}key,document,".as_bytes()));
        assert!(empty.ends_with(b"status\r\n"));
        let plain = render_tasks_csv(&registry, &[], false).unwrap();
        assert!(plain.starts_with(b"key,"));
    }
}
