//! `agencies/SLUG.html`: one agency's tasks grouped by when they fall due (overdue, within 7
//! days, within 30, later, no deadline), each with its role, partners, full text and a link
//! to its clause. Printed and handed out, so the stylesheet has a print layout.

use maud::html;

use super::layout::{date_vi, page, search_box, task_item};
use super::model::{AgencyTasks, Links, Site, When};

/// The page of one agency.
pub(crate) fn render(site: &Site, agency: &AgencyTasks) -> String {
    let links = Links { root: "../" };
    let counts = &agency.index.counts;
    let body = html! {
        h1 { (agency.index.name) }
        @if !agency.aliases.is_empty() {
            p.muted { "Còn gọi là: " (agency.aliases.join("; ")) }
        }
        p {
            (counts.obligations) " nhiệm vụ trong " (counts.documents) " văn bản: "
            (counts.lead) " chủ trì, " (counts.support) " phối hợp. "
            "Tính đến ngày " strong { (date_vi(&site.as_of)) } ": "
            span.late { (agency.count(When::Overdue)) " quá hạn" } ", "
            span.soon { (agency.count(When::Week)) " đến hạn trong 7 ngày" } "."
        }
        @if !agency.index.known {
            p.muted { "Cơ quan này chưa có trong danh mục (rules/agencies.yaml)." }
        }
        (search_box("Lọc nhiệm vụ, ví dụ: bao cao"))
        @for when in When::ALL {
            @let tasks: Vec<_> = agency.tasks.iter().filter(|t| t.when == when).collect();
            @if !tasks.is_empty() {
                section id={ "s-" (when.slug()) } data-search-group {
                    h2 { (when.label()) " (" (tasks.len()) ")" }
                    ol.tasks { @for task in tasks { (task_item(site, &links, task, false)) } }
                }
            }
        }
        @if agency.tasks.is_empty() { p.muted { "Không có nhiệm vụ." } }
    };
    page(site, &links, &agency.index.name, body).into_string()
}
