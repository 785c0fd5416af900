//! What every page shares: the frame (head, navigation, footer), the search box, a task as
//! the agency pages and the task list show it, and the Vietnamese labels of the registry's
//! values. Templates are `maud`'s: every `(text)` is escaped as it is written.

use maud::{html, Markup, DOCTYPE};

use super::model::{Links, Site, Task, When};
use crate::record::{Deadline, Relation, Role};
use crate::text::fold;

/// The stylesheet and the search script, written once into `assets/`.
pub(crate) const STYLE: &str = include_str!("style.css");
pub(crate) const SEARCH: &str = include_str!("search.js");

/// Marks a folder's `index.html` as this command's, so a later report may replace it.
pub(crate) const GENERATOR: &str = "vanban report";

/// A whole page: `title` in the head and as the page's heading is the caller's.
pub(crate) fn page(site: &Site, links: &Links, title: &str, body: Markup) -> Markup {
    html! {
        (DOCTYPE)
        html lang="vi" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                meta name="generator" content=(GENERATOR);
                title { (title) " — Sổ theo dõi văn bản" }
                // No favicon request: the site makes none outside itself.
                link rel="icon" href="data:,";
                link rel="stylesheet" href=(links.asset("style.css"));
                script src=(links.asset("search.js")) defer {}
            }
            body {
                nav.no-print {
                    a href=(links.home()) { "Trang chủ" }
                    a href=(links.tasks()) { "Nhiệm vụ" }
                }
                main { (body) }
                footer {
                    "Số liệu tính đến ngày " (date_vi(&site.as_of)) ". "
                    (site.registry.index.totals.documents) " văn bản, "
                    (site.registry.index.totals.obligations) " nhiệm vụ."
                }
            }
        }
    }
}

/// The box the search script listens to.
pub(crate) fn search_box(placeholder: &str) -> Markup {
    html! {
        div.search.no-print {
            label for="search" { "Tìm kiếm" }
            input #search type="search" autocomplete="off" placeholder=(placeholder);
            span #search-count.muted {}
        }
    }
}

/// The folded words the search script matches against.
pub(crate) fn search_text(parts: &[&str]) -> String {
    fold(&parts.join(" "))
}

/// One task: role, document and clause (linked), deadline, partners, the full text.
pub(crate) fn task_item(site: &Site, links: &Links, task: &Task, with_agency: bool) -> Markup {
    let e = &task.entry;
    let doc = task.document.map(|i| &site.documents[i]);
    let search = search_text(&[&e.agency, &e.document, &e.path, &e.text]);
    html! {
        li.task.(task.when.slug()) id=[(!with_agency).then_some(task.anchor.as_str())] data-search=(search) {
            div.meta {
                span.badge.(role_class(e.role)) { (role_label(e.role)) }
                @if with_agency {
                    a href=(links.agency(&e.agency_slug, Some(&task.anchor))) { (e.agency) }
                    " · "
                }
                @match doc {
                    Some(doc) => a href=(links.document(doc, Some(&e.path))) {
                        (display_id(&e.document)) ", " (clause_label(&e.path))
                    },
                    None => span { (display_id(&e.document)) ", " (clause_label(&e.path)) },
                }
                @if !e.document_subject.is_empty() {
                    span.muted { " — " (e.document_subject) }
                }
            }
            div.meta {
                "Thời hạn: "
                span class=[deadline_class(task.when)] { (deadline_text(e.deadline.as_ref())) }
                @if task.when == When::Overdue { " (Quá hạn)" }
                @if !e.partners.is_empty() {
                    " · Phối hợp: " (e.partners.join("; "))
                }
            }
            div.text { (e.text) }
        }
    }
}

fn deadline_class(when: When) -> Option<&'static str> {
    match when {
        When::Overdue => Some("late"),
        When::Week => Some("soon"),
        _ => None,
    }
}

/// `trước ngày 30/6/2020`, `quý IV/2025 (31/12/2025)`, `hằng tháng`, or that there is none.
/// The date is added only where the words do not already state it.
pub(crate) fn deadline_text(deadline: Option<&Deadline>) -> String {
    let Some(deadline) = deadline else {
        return "không có".to_string();
    };
    match (&deadline.date, &deadline.recurrence) {
        (Some(date), _) if states_date(&deadline.text, date) => deadline.text.clone(),
        (Some(date), _) if deadline.text.is_empty() => date_vi(date),
        (Some(date), _) => format!("{} ({})", deadline.text, date_vi(date)),
        (None, Some(recurrence)) if deadline.text.is_empty() => recurrence_vi(recurrence).into(),
        _ => deadline.text.clone(),
    }
}

/// Whether `text` holds the day, month and year of the ISO `date` as numbers, in whatever form
/// (`30/6/2020`, `30 tháng 6 năm 2020`, `30.06.2020`).
fn states_date(text: &str, date: &str) -> bool {
    let numbers: Vec<u32> = text
        .split(|c: char| !c.is_ascii_digit())
        .filter_map(|n| n.parse().ok())
        .collect();
    let wanted: Vec<u32> = date.split('-').filter_map(|n| n.parse().ok()).collect();
    let [year, month, day] = wanted[..] else {
        return false;
    };
    numbers.windows(3).any(|w| w == [day, month, year])
}

fn recurrence_vi(recurrence: &str) -> &str {
    match recurrence {
        "weekly" => "hằng tuần",
        "monthly" => "hằng tháng",
        "quarterly" => "hằng quý",
        "half-yearly" => "6 tháng một lần",
        "yearly" => "hằng năm",
        other => other,
    }
}

/// `2020-06-30` as `30/06/2020`; anything else as it is.
pub(crate) fn date_vi(iso: &str) -> String {
    let parts: Vec<&str> = iso.split('-').collect();
    match parts.as_slice() {
        [y, m, d] if y.len() == 4 => format!("{d}/{m}/{y}"),
        _ => iso.to_string(),
    }
}

pub(crate) fn role_label(role: Role) -> &'static str {
    match role {
        Role::Lead => "Chủ trì",
        Role::Support => "Phối hợp",
    }
}

fn role_class(role: Role) -> &'static str {
    match role {
        Role::Lead => "lead",
        Role::Support => "support",
    }
}

pub(crate) fn relation_label(relation: Relation) -> &'static str {
    match relation {
        Relation::Basis => "Căn cứ",
        Relation::Implements => "Triển khai",
        Relation::Amends => "Sửa đổi",
        Relation::Replaces => "Thay thế",
        Relation::Repeals => "Bãi bỏ",
        Relation::Guides => "Hướng dẫn",
        Relation::Refers => "Dẫn chiếu",
    }
}

/// A document's id, or what stands for it when it has none.
pub(crate) fn display_id(id: &str) -> &str {
    if id.is_empty() {
        "(không số)"
    } else {
        id
    }
}

/// `IV.1.a` → `mục IV.1.a`; the preamble and the closing by their names.
pub(crate) fn clause_label(path: &str) -> String {
    match path {
        "" => "toàn văn".to_string(),
        "preamble" => "phần mở đầu".to_string(),
        "closing" => "phần kết".to_string(),
        path => format!("mục {path}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels() {
        assert_eq!(date_vi("2020-06-30"), "30/06/2020");
        assert_eq!(clause_label("IV.1.a"), "mục IV.1.a");
        assert_eq!(
            search_text(&["Sở Y tế", "101/KH-UBND"]),
            "so y te 101/kh ubnd"
        );
        let weekly = Deadline {
            text: String::new(),
            date: None,
            recurrence: Some("weekly".into()),
        };
        assert_eq!(deadline_text(Some(&weekly)), "hằng tuần");
        assert_eq!(deadline_text(None), "không có");
    }

    fn dated(text: &str, date: &str) -> Deadline {
        Deadline {
            text: text.into(),
            date: Some(date.into()),
            recurrence: None,
        }
    }

    #[test]
    fn a_date_the_words_state_is_not_repeated() {
        for text in [
            "trước ngày 30/6/2020",
            "trước ngày 30 tháng 6 năm 2020",
            "30.06.2020",
        ] {
            assert_eq!(deadline_text(Some(&dated(text, "2020-06-30"))), text);
        }
    }

    #[test]
    fn a_date_the_words_imply_is_added() {
        assert_eq!(
            deadline_text(Some(&dated("quý IV/2025", "2025-12-31"))),
            "quý IV/2025 (31/12/2025)"
        );
        assert_eq!(
            deadline_text(Some(&dated("tháng 6/2020", "2020-06-30"))),
            "tháng 6/2020 (30/06/2020)"
        );
        assert_eq!(deadline_text(Some(&dated("", "2020-06-30"))), "30/06/2020");
    }
}
