//! `index.html`: the documents by date, the agencies with their counts of tasks, and what a
//! clerk should look at (date conflicts, ambiguous citations, unknown agencies, files not read).

use maud::{html, Markup};

use super::layout::{date_vi, display_id, page, search_box, search_text};
use super::model::{Links, Site, When};
use crate::link::registry::Resolution;

/// The home page.
pub(crate) fn render(site: &Site) -> String {
    let links = Links { root: "" };
    let totals = &site.registry.index.totals;
    let body = html! {
        h1 { "Sổ theo dõi văn bản chỉ đạo" }
        p {
            (totals.documents) " văn bản, " (totals.agencies) " cơ quan, "
            (totals.obligations) " nhiệm vụ, " (totals.citations) " dẫn chiếu. "
            "Thời hạn tính đến ngày " strong { (date_vi(&site.as_of)) } "."
        }
        (search_box("Tìm văn bản hoặc cơ quan, ví dụ: so y te"))
        (agencies(site, &links))
        (documents(site, &links))
        (diagnostics(site, &links))
    };
    page(site, &links, "Trang chủ", body).into_string()
}

fn agencies(site: &Site, links: &Links) -> Markup {
    html! {
        section #s-agencies data-search-group {
            h2 { "Cơ quan và nhiệm vụ" }
            table {
                thead { tr {
                    th { "Cơ quan" }
                    th.num { "Chủ trì" }
                    th.num { "Phối hợp" }
                    th.num { "Đến hạn trong 7 ngày" }
                    th.num { "Quá hạn" }
                } }
                tbody {
                    @for agency in &site.agencies {
                        @let names: Vec<&str> = std::iter::once(agency.index.name.as_str())
                            .chain(agency.aliases.iter().map(String::as_str)).collect();
                        tr data-search=(search_text(&names)) {
                            td {
                                a href=(links.agency(&agency.index.slug, None)) { (agency.index.name) }
                                @if !agency.index.known { " " span.badge.ambiguous { "chưa có trong danh mục" } }
                            }
                            td.num { (agency.index.counts.lead) }
                            td.num { (agency.index.counts.support) }
                            td.num.soon { (count(agency.count(When::Week))) }
                            td.num.late { (count(agency.count(When::Overdue))) }
                        }
                    }
                }
            }
        }
    }
}

/// A count, blank when zero so the ones that matter stand out.
fn count(n: usize) -> String {
    if n == 0 {
        String::new()
    } else {
        n.to_string()
    }
}

fn documents(site: &Site, links: &Links) -> Markup {
    let mut order: Vec<&super::model::DocEntry> = site.documents.iter().collect();
    // The newest first; undated ones last; the index's order between equals.
    order.sort_by(|a, b| {
        b.index
            .date
            .is_some()
            .cmp(&a.index.date.is_some())
            .then(b.index.date.cmp(&a.index.date))
    });
    html! {
        section #s-documents data-search-group {
            h2 { "Văn bản theo ngày ban hành" }
            table {
                thead { tr {
                    th { "Ngày" } th { "Số, ký hiệu" } th { "Loại" } th { "Cơ quan ban hành" }
                    th { "Trích yếu" } th.num { "Nhiệm vụ" } th { "Đồ thị" }
                } }
                tbody {
                    @for doc in order {
                        @let issuer = doc.document.issuer.clone().unwrap_or_default();
                        tr data-search=(search_text(&[&doc.index.id, &doc.index.doc_type, &issuer, &doc.index.subject])) {
                            td { (doc.index.date.as_deref().map(date_vi).unwrap_or_default()) }
                            td { a href=(links.document(doc, None)) { (display_id(&doc.index.id)) } }
                            td { (doc.index.doc_type) }
                            td { (issuer) }
                            td { (doc.index.subject) }
                            td.num { (doc.index.counts.obligations) }
                            td { a href=(links.graph(doc)) { "Xem" } }
                        }
                    }
                }
            }
        }
    }
}

fn diagnostics(site: &Site, links: &Links) -> Markup {
    let index = &site.registry.index;
    let ambiguous: Vec<_> = site
        .registry
        .citations
        .edges
        .iter()
        .filter(|e| e.resolution == Resolution::Ambiguous)
        .collect();
    html! {
        section #s-diagnostics {
            h2 { "Cần xem lại" }
            @if index.diagnostics.is_empty() && ambiguous.is_empty() && index.unknown_agencies.is_empty() && index.skipped.is_empty() {
                p.muted { "Không có vấn đề nào." }
            }
            @if !index.diagnostics.is_empty() {
                h3 { "Xung đột giữa các văn bản" }
                ul.diag { @for d in &index.diagnostics {
                    @let doc = site.documents.iter().find(|doc| doc.index.file == d.file);
                    li {
                        code { (d.code) } " "
                        @match doc {
                            Some(doc) => a href=(links.document(doc, Some(&doc.line_anchor(d.line)))) { (d.file) ", dòng " (d.line) },
                            None => span { (d.file) ", dòng " (d.line) },
                        }
                        ": " (d.message)
                    }
                } }
            }
            @if !ambiguous.is_empty() {
                h3 { "Dẫn chiếu không xác định được văn bản" }
                ul.diag { @for edge in &ambiguous {
                    li {
                        @match site.document_by_key(&edge.from_key) {
                            Some(doc) => a href=(links.document(doc, Some(&edge.path))) { (display_id(&edge.from)) ", " (super::layout::clause_label(&edge.path)) },
                            None => span { (edge.from) },
                        }
                        " dẫn chiếu " strong { (edge.to) } ": “" (edge.text) "”; "
                        (edge.candidates.len()) " văn bản cùng số trong kho, không văn bản nào khớp"
                    }
                } }
            }
            @if !index.unknown_agencies.is_empty() {
                h3 { "Cơ quan chưa có trong danh mục (rules/agencies.yaml)" }
                ul.diag { @for u in &index.unknown_agencies {
                    @let page = site.agencies.iter().find(|a| a.index.name == u.name);
                    li {
                        @match page {
                            Some(agency) => a href=(links.agency(&agency.index.slug, None)) { (u.name) },
                            None => span { (u.name) },
                        }
                        ": " (u.obligations) " nhiệm vụ, trong " (u.documents.join(", "))
                    }
                } }
            }
            @if !index.skipped.is_empty() {
                h3 { "Tệp không đọc được" }
                ul.diag { @for s in &index.skipped { li { (s.file) ": " (s.reason) } } }
            }
        }
    }
}
