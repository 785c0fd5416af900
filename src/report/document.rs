//! `documents/STEM.html`: one document — its header, its structure tree with an anchor per
//! section path (`#IV.1.a`), its obligations highlighted where they stand, its targets, its
//! citations (linked, or marked external or ambiguous), what cites it, and its diagnostics,
//! each linked to the node its line is in.

use std::collections::BTreeSet;

use maud::{html, Markup};

use super::layout::{
    clause_label, date_vi, deadline_text, display_id, page, relation_label, role_label,
};
use super::model::{DocEntry, Links, Site, HEADER_ANCHOR};
use crate::link::registry::{GraphEdge, Resolution};
use crate::record::{Node, Obligation};

/// What the tree of one document needs at each node.
struct Context<'a> {
    site: &'a Site,
    links: Links<'a>,
    doc: &'a DocEntry,
    edges: Vec<&'a GraphEdge>,
}

/// The page of `doc`.
pub(crate) fn render(site: &Site, doc: &DocEntry) -> String {
    let edges = site
        .registry
        .citations
        .edges
        .iter()
        .filter(|e| e.from_key == doc.index.key)
        .collect();
    let cx = Context {
        site,
        links: Links { root: "../" },
        doc,
        edges,
    };
    let mut placed = BTreeSet::new();
    let tree = html! {
        ol.tree { @for node in &doc.document.sections { (node_item(&cx, node, &mut placed)) } }
    };
    let d = &doc.document;
    let unplaced: Vec<&Obligation> = d
        .obligations
        .iter()
        .filter(|ob| !doc.anchors.contains(&ob.path))
        .collect();
    let body = html! {
        (header(&cx))
        section #s-structure {
            h2 { "Nội dung" }
            (tree)
        }
        @if !unplaced.is_empty() {
            section #s-other-tasks {
                h2 { "Nhiệm vụ ngoài các mục" }
                ul { @for ob in unplaced { (obligation(&cx, ob)) } }
            }
        }
        (citations(&cx))
        (cited_by(&cx))
        (diagnostics(&cx))
    };
    let title = format!("{} {}", d.doc_type, display_id(&d.id));
    page(site, &cx.links, &title, body).into_string()
}

fn header(cx: &Context) -> Markup {
    let d = &cx.doc.document;
    let signer = [&d.signer.authority, &d.signer.title, &d.signer.name]
        .iter()
        .filter(|s| !s.is_empty())
        .map(|s| s.as_str())
        .collect::<Vec<_>>()
        .join(" ");
    html! {
        section id=(HEADER_ANCHOR) {
            h1 { (d.doc_type) " " (display_id(&d.id)) }
            p.muted { a href=(cx.links.graph(cx.doc)) { "Đồ thị dẫn chiếu" } }
            dl.facts {
                dt { "Số, ký hiệu" } dd { (display_id(&d.id)) }
                dt { "Loại văn bản" } dd { (d.doc_type) }
                dt { "Ngày ban hành" } dd { (d.date.as_deref().map(date_vi).unwrap_or_else(|| "không rõ".into())) }
                @if let Some(place) = &d.place { dt { "Nơi ban hành" } dd { (place) } }
                @if let Some(issuer) = &d.issuer { dt { "Cơ quan ban hành" } dd { (issuer) } }
                dt { "Trích yếu" } dd { (d.subject) }
                @if !d.addressees.is_empty() { dt { "Kính gửi" } dd { (d.addressees.join("; ")) } }
                @if !signer.is_empty() { dt { "Người ký" } dd { (signer) } }
                @if !d.recipients.is_empty() { dt { "Nơi nhận" } dd { (d.recipients.join("; ")) } }
                dt { "Tệp" } dd { code { (d.file) } " (" (d.layout) ", " (d.encoding) ")" }
                dt { "Mã trong kho" } dd { code { (cx.doc.index.key) } }
            }
        }
    }
}

/// One node and its children; `placed` holds the paths already given as anchors.
fn node_item(cx: &Context, node: &Node, placed: &mut BTreeSet<String>) -> Markup {
    let d = &cx.doc.document;
    let obligations: Vec<&Obligation> = d
        .obligations
        .iter()
        .filter(|o| o.path == node.path)
        .collect();
    let targets: Vec<_> = d.targets.iter().filter(|t| t.path == node.path).collect();
    let edges: Vec<&GraphEdge> = cx
        .edges
        .iter()
        .copied()
        .filter(|e| e.path == node.path)
        .collect();
    let id = placed.insert(node.path.clone()).then(|| node.path.clone());
    let class = if obligations.is_empty() {
        "node"
    } else {
        "node has-task"
    };
    let needles: Vec<&str> = obligations.iter().map(|o| o.text.as_str()).collect();
    let children = html! { @for child in &node.children { (node_item(cx, child, placed)) } };
    html! {
        li class=(class) id=[id] data-line=(node.line) {
            span.label { (node.label) }
            @if !node.title.is_empty() { span.title { (marked(&node.title, &needles, false)) } }
            a.path href={ "#" (super::model::encode(&node.path)) } title={ "dòng " (node.line) } { (node.path) }
            @if !node.text.is_empty() {
                div.body { (marked(&node.text, &needles, !obligations.is_empty() && !contains_any(&node.content(), &needles))) }
            }
            @if !obligations.is_empty() || !targets.is_empty() || !edges.is_empty() {
                ul.notes {
                    @for ob in &obligations { (obligation(cx, ob)) }
                    @for t in &targets { li { span.badge { "Chỉ tiêu" } (t.text) } }
                    @for e in &edges { li { span.badge { (relation_label(e.relation)) } (citation_target(cx, e)) } }
                }
            }
            @if !node.children.is_empty() { ol { (children) } }
        }
    }
}

fn contains_any(text: &str, needles: &[&str]) -> bool {
    needles
        .iter()
        .any(|n| !n.trim().is_empty() && text.contains(n.trim()))
}

/// `text` with every occurrence of the obligations' texts in `<mark>`; all of it when
/// `whole` (the obligation is this node's, worded otherwise).
fn marked(text: &str, needles: &[&str], whole: bool) -> Markup {
    if whole {
        return html! { mark { (text) } };
    }
    let mut ranges: Vec<(usize, usize)> = needles
        .iter()
        .map(|n| n.trim())
        .filter(|n| !n.is_empty())
        .filter_map(|n| text.find(n).map(|start| (start, start + n.len())))
        .collect();
    ranges.sort();
    let mut merged: Vec<(usize, usize)> = Vec::new();
    for (start, end) in ranges {
        match merged.last_mut() {
            Some(last) if start <= last.1 => last.1 = last.1.max(end),
            _ => merged.push((start, end)),
        }
    }
    let mut pieces: Vec<(&str, bool)> = Vec::new();
    let mut at = 0;
    for (start, end) in merged {
        pieces.push((&text[at..start], false));
        pieces.push((&text[start..end], true));
        at = end;
    }
    pieces.push((&text[at..], false));
    html! {
        @for (piece, hit) in pieces {
            @if hit { mark { (piece) } } @else { (piece) }
        }
    }
}

/// An obligation under its node: role, agency (linked to its task), deadline, partners.
fn obligation(cx: &Context, ob: &Obligation) -> Markup {
    let place = cx.site.task_place(cx.doc, ob);
    html! {
        li {
            span.badge.(if ob.role == crate::record::Role::Lead { "lead" } else { "support" }) { (role_label(ob.role)) }
            @match place {
                Some((slug, anchor)) => a href=(cx.links.agency(slug, Some(anchor))) { (ob.agency) },
                None => strong { (ob.agency) },
            }
            " · Thời hạn: " (deadline_text(ob.deadline.as_ref()))
            @if !ob.partners.is_empty() { " · Phối hợp: " (ob.partners.join("; ")) }
        }
    }
}

/// Where a citation leads: the cited document's page, or why there is none.
fn citation_target(cx: &Context, edge: &GraphEdge) -> Markup {
    let date = edge.date.as_deref().map(date_vi);
    html! {
        @match (edge.resolution, cx.site.document_by_key(&edge.to_key)) {
            (Resolution::Resolved, Some(doc)) => a href=(cx.links.document(doc, None)) { (display_id(&edge.to)) },
            (Resolution::Ambiguous, _) => {
                strong { (edge.to) } " " span.badge.ambiguous { "không xác định được" }
                " có thể là: "
                @for (i, c) in edge.candidates.iter().enumerate() {
                    @if i > 0 { "; " }
                    @match cx.site.document_by_record(&c.record) {
                        Some(doc) => a href=(cx.links.document(doc, None)) { (c.id) " (" (c.date.as_deref().map(date_vi).unwrap_or_default()) ")" },
                        None => span { (c.id) },
                    }
                    span.muted { " — " (c.reason) }
                }
            },
            _ => { strong { (edge.to) } " " span.badge.external { "ngoài kho" } },
        }
        @if let Some(date) = date { span.muted { " ngày " (date) } }
    }
}

fn citations(cx: &Context) -> Markup {
    html! {
        section #s-citations {
            h2 { "Văn bản được dẫn chiếu" }
            @if cx.edges.is_empty() { p.muted { "Không dẫn chiếu văn bản nào." } }
            @else {
                table {
                    thead { tr { th { "Quan hệ" } th { "Văn bản" } th { "Tại" } th { "Nguyên văn" } } }
                    tbody { @for e in &cx.edges { tr {
                        td { (relation_label(e.relation)) }
                        td { (citation_target(cx, e)) }
                        td { a href=(cx.links.document(cx.doc, Some(&e.path))) { (clause_label(&e.path)) } " (dòng " (e.line) ")" }
                        td { (e.text) }
                    } } }
                }
            }
        }
    }
}

fn cited_by(cx: &Context) -> Markup {
    let incoming: Vec<&GraphEdge> = cx
        .site
        .registry
        .citations
        .edges
        .iter()
        .filter(|e| e.to_key == cx.doc.index.key)
        .collect();
    html! {
        section #s-cited-by {
            h2 { "Được dẫn chiếu bởi" }
            @if incoming.is_empty() { p.muted { "Chưa văn bản nào trong kho dẫn chiếu văn bản này." } }
            ul { @for e in incoming {
                li {
                    span.badge { (relation_label(e.relation)) }
                    @match cx.site.document_by_key(&e.from_key) {
                        Some(doc) => a href=(cx.links.document(doc, Some(&e.path))) { (display_id(&e.from)) ", " (clause_label(&e.path)) },
                        None => span { (e.from) },
                    }
                    span.muted { " — “" (e.text) "”" }
                }
            } }
        }
    }
}

fn diagnostics(cx: &Context) -> Markup {
    let d = &cx.doc.document;
    html! {
        section #s-diagnostics {
            h2 { "Ghi chú khi đọc văn bản" }
            @if d.diagnostics.is_empty() { p.muted { "Không có." } }
            ul.diag { @for diag in &d.diagnostics {
                li {
                    span.badge { (diag.severity.as_str()) }
                    code { (diag.code) } " "
                    a href=(cx.links.document(cx.doc, Some(&cx.doc.line_anchor(diag.line)))) { "dòng " (diag.line) }
                    ": " (diag.message)
                }
            } }
        }
    }
}
