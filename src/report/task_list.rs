//! `tasks.html`: every task of the registry under its agency, the agency with the most
//! urgent task first, for the search box to narrow down (`so y te` leaves Sở Y tế's).

use maud::html;

use super::layout::{date_vi, page, search_box, task_item};
use super::model::{Links, Site};

/// The page of all tasks.
pub(crate) fn render(site: &Site) -> String {
    let links = Links { root: "" };
    let mut agencies: Vec<_> = site
        .agencies
        .iter()
        .filter(|a| !a.tasks.is_empty())
        .collect();
    agencies.sort_by_key(|a| a.rank);
    let body = html! {
        h1 { "Nhiệm vụ" }
        p {
            (site.registry.index.totals.obligations) " nhiệm vụ của " (agencies.len()) " cơ quan, "
            "thời hạn tính đến ngày " strong { (date_vi(&site.as_of)) } "."
        }
        (search_box("Tìm theo cơ quan, văn bản hoặc nội dung, ví dụ: so y te"))
        @for agency in agencies {
            section data-search-group {
                h2 { a href=(links.agency(&agency.index.slug, None)) { (agency.index.name) } " (" (agency.tasks.len()) ")" }
                ol.tasks { @for task in &agency.tasks { (task_item(site, &links, task, true)) } }
            }
        }
    };
    page(site, &links, "Nhiệm vụ", body).into_string()
}
