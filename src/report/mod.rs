//! Stage 7 (after `link`): the registry as a static HTML site for the people who act on it.
//!
//! ```text
//! OUT ─Registry::open→ Site ─pages→ [(path, html)] ─site::write_site→ SITE/
//! ```
//!
//! * `model`: the registry read whole, tasks in `link::select_tasks`'s deadline order and
//!   grouped by when they fall due as of a day; the pages' names and links.
//! * `layout`: the frame of every page, a task, the Vietnamese labels.
//! * `home` (`index.html`), `task_list` (`tasks.html`), `agency` (`agencies/SLUG.html`),
//!   `document` (`documents/STEM.html`), `graph` (`graphs/STEM.html`): one file per kind of page.
//! * `site`: the folder written atomically, as a registry is.
//!
//! The site is self-contained: its stylesheet and its search script are in `assets/`, and
//! it loads nothing from elsewhere, so it opens from the file system or any web server.
//! Pages are `maud` templates: the text of a directive is escaped wherever it is written.

mod agency;
mod document;
mod error;
mod graph;
mod home;
mod layout;
mod model;
mod site;
mod task_list;

use std::path::Path;

use rayon::prelude::*;

pub use error::ReportError;
use model::Site;

/// How `report` runs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReportOptions {
    /// The day that decides what is overdue and due soon (`YYYY-MM-DD` or `DD/MM/YYYY`).
    pub as_of: String,
}

/// What a report wrote.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ReportSummary {
    pub pages: usize,
    pub documents: usize,
    pub agencies: usize,
    pub tasks: usize,
    /// What was recovered from an interrupted report.
    pub notes: Vec<String>,
}

impl ReportSummary {
    /// One line for the end of `vanban report`.
    pub fn summary(&self, out: &Path) -> String {
        format!(
            "{}: {} pages ({} documents, {} agencies, {} tasks); open {}",
            out.display(),
            self.pages,
            self.documents,
            self.agencies,
            self.tasks,
            out.join("index.html").display()
        )
    }
}

/// Reads the registry at `registry` and writes its site to `out`, replacing the site there
/// only once the new one is whole. `out` must be absent, empty, or a site this wrote.
pub fn report(
    registry: &Path,
    out: &Path,
    options: &ReportOptions,
) -> Result<ReportSummary, ReportError> {
    let site = Site::load(registry, &options.as_of)?;
    let pages = pages(&site);
    let notes = site::write_site(out, &pages)?;
    Ok(ReportSummary {
        pages: pages.len(),
        documents: site.documents.len(),
        agencies: site.agencies.len(),
        tasks: site.agencies.iter().map(|a| a.tasks.len()).sum(),
        notes,
    })
}

/// What `vanban report` does: [`report`] as of `as_of`, then, unless `quiet`, what it
/// recovered and what it wrote, on stderr.
pub fn run(
    registry: &Path,
    out: &Path,
    as_of: &str,
    quiet: bool,
) -> Result<std::process::ExitCode, ReportError> {
    let options = ReportOptions {
        as_of: as_of.to_string(),
    };
    let summary = report(registry, out, &options)?;
    if !quiet {
        for note in &summary.notes {
            eprintln!("{note}");
        }
        eprintln!("{}", summary.summary(out));
    }
    Ok(std::process::ExitCode::SUCCESS)
}

/// Every file of the site of the registry at `registry`, by its path in the site, without
/// writing them: what `report` writes.
pub fn render(
    registry: &Path,
    options: &ReportOptions,
) -> Result<Vec<(String, String)>, ReportError> {
    Ok(pages(&Site::load(registry, &options.as_of)?))
}

fn pages(site: &Site) -> Vec<(String, String)> {
    let mut pages = vec![
        ("assets/style.css".to_string(), layout::STYLE.to_string()),
        ("assets/search.js".to_string(), layout::SEARCH.to_string()),
        ("index.html".to_string(), home::render(site)),
        ("tasks.html".to_string(), task_list::render(site)),
    ];
    pages.par_extend(site.agencies.par_iter().map(|agency| {
        (
            format!("agencies/{}.html", agency.index.slug),
            agency::render(site, agency),
        )
    }));
    pages.par_extend(site.documents.par_iter().flat_map_iter(|doc| {
        [
            (
                format!("documents/{}.html", doc.stem),
                document::render(site, doc),
            ),
            (
                format!("graphs/{}.html", doc.stem),
                graph::render(site, doc),
            ),
        ]
    }));
    pages
}

#[cfg(test)]
mod tests;
