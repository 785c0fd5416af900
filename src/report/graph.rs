//! `graphs/STEM.html`: a document's citation neighbourhood (two steps up and down, as
//! `link::trace_in` follows them) drawn as inline SVG by `layout-rs`, with the documents
//! listed and linked below it (SVG text is not a link a keyboard can reach).

use std::collections::{BTreeMap, BTreeSet};

use layout::backends::svg::SVGWriter;
use layout::core::base::Orientation;
use layout::core::color::Color;
use layout::core::style::{LineStyleKind, StyleAttr};
use layout::std_shapes::render::get_shape_size;
use layout::std_shapes::shapes::{Arrow, Element, LineEndKind, ShapeKind};
use layout::topo::layout::VisualGraph;
use maud::{html, PreEscaped};

use super::layout::{date_vi, display_id, page, relation_label};
use super::model::{DocEntry, Links, Site};
use crate::link::registry::{GraphEdge, GraphNode, Resolution};
use crate::link::trace::TraceBranch;
use crate::link::{trace_in, Direction};

/// How many citation steps the page follows each way.
const DEPTH: usize = 2;

/// One font size for nodes and arrows: `layout-rs` writes one CSS class per size from a
/// hash map, whose order would change from run to run with two.
const FONT: usize = 12;

/// The graph page of `doc`.
pub(crate) fn render(site: &Site, doc: &DocEntry) -> String {
    let links = Links { root: "../" };
    let (nodes, edges) = neighbourhood(site, doc);
    let svg = draw(&nodes, &edges, &doc.index.key);
    let title = format!("Đồ thị dẫn chiếu {}", display_id(&doc.index.id));
    let body = html! {
        h1 { (title) }
        p {
            "Các văn bản mà " a href=(links.document(doc, None)) { (display_id(&doc.index.id)) }
            " dẫn chiếu và được dẫn chiếu, trong phạm vi " (DEPTH) " bước. "
            "Nét đứt: dẫn chiếu không xác định được văn bản."
        }
        @match svg {
            Some(svg) => div.graph role="img" aria-label=(title) { (PreEscaped(svg)) },
            None => p.muted { "Không vẽ được đồ thị này." },
        }
        h2 { "Văn bản trong đồ thị" }
        ul { @for node in &nodes {
            li {
                @match site.document_by_key(&node.key) {
                    Some(d) => a href=(links.document(d, None)) { (display_id(&node.id)) },
                    None => { strong { (node.id) } " " span.badge.external { "ngoài kho" } },
                }
                " " (node.doc_type.clone().unwrap_or_default())
                @if let Some(date) = &node.date { ", " (date_vi(date)) }
                @if let Some(title) = node.titles.first() { span.muted { " — " (title) } }
            }
        } }
        h2 { "Dẫn chiếu" }
        ul { @for e in &edges {
            li { (display_id(&e.from)) " → " (e.to) ": " (relation_label(e.relation)) span.muted { " (" (e.path) ")" } }
        } }
    };
    page(site, &links, &title, body).into_string()
}

/// The nodes within `DEPTH` steps of `doc` (itself first) and the edges between them.
fn neighbourhood<'a>(site: &'a Site, doc: &DocEntry) -> (Vec<&'a GraphNode>, Vec<&'a GraphEdge>) {
    let mut keys = BTreeSet::from([doc.index.key.clone()]);
    if let Ok(trace) = trace_in(&site.registry, &doc.index.key, Some(DEPTH), Direction::Both) {
        collect(&trace.upstream, &mut keys);
        collect(&trace.downstream, &mut keys);
    }
    let mut nodes: Vec<&GraphNode> = site
        .registry
        .citations
        .nodes
        .iter()
        .filter(|n| keys.contains(&n.key))
        .collect();
    nodes.sort_by_key(|n| (n.key != doc.index.key, n.date.clone(), n.key.clone()));
    let edges = site
        .registry
        .citations
        .edges
        .iter()
        .filter(|e| {
            e.from_key != e.to_key && keys.contains(&e.from_key) && keys.contains(&e.to_key)
        })
        .collect();
    (nodes, edges)
}

fn collect(branches: &[TraceBranch], keys: &mut BTreeSet<String>) {
    // A trace's lists are flat: every document of the neighbourhood is one entry.
    keys.extend(branches.iter().map(|b| b.key.clone()));
}

/// The SVG of the graph, without the XML declaration (it is inline); None if the layout
/// failed (`layout-rs` may panic on a shape it does not expect: the page says so instead).
fn draw(nodes: &[&GraphNode], edges: &[&GraphEdge], root: &str) -> Option<String> {
    let mut graph = VisualGraph::new(Orientation::TopToBottom);
    let mut handles = BTreeMap::new();
    for node in nodes {
        let label = node_label(node);
        let shape = ShapeKind::new_box(&label);
        let fill = match (node.key == root, node.in_corpus) {
            (true, _) => "#fff2a8",
            (false, true) => "#ffffff",
            (false, false) => "#eceff1",
        };
        let look = StyleAttr::new(
            Color::fast("black"),
            1,
            Color::from_name(fill).or(Some(Color::new(0xffffffff))),
            4,
            FONT,
        );
        let size = get_shape_size(Orientation::TopToBottom, &shape, look.font_size, false);
        handles.insert(
            node.key.clone(),
            graph.add_node(Element::create(shape, look, Orientation::TopToBottom, size)),
        );
    }
    // One arrow per pair, labelled with every relation between the two.
    let mut pairs: BTreeMap<(&str, &str), (BTreeSet<&str>, bool)> = BTreeMap::new();
    for e in edges {
        let pair = pairs
            .entry((e.from_key.as_str(), e.to_key.as_str()))
            .or_default();
        pair.0.insert(relation_label(e.relation));
        pair.1 |= e.resolution == Resolution::Ambiguous;
    }
    for ((from, to), (relations, ambiguous)) in pairs {
        let (Some(&a), Some(&b)) = (handles.get(from), handles.get(to)) else {
            continue;
        };
        let style = if ambiguous {
            LineStyleKind::Dashed
        } else {
            LineStyleKind::Normal
        };
        let label = relations.into_iter().collect::<Vec<_>>().join(", ");
        let look = StyleAttr::new(Color::fast("black"), 1, None, 0, FONT);
        graph.add_edge(
            Arrow::new(
                LineEndKind::None,
                LineEndKind::Arrow,
                style,
                &label,
                &look,
                &None,
                &None,
            ),
            a,
            b,
        );
    }
    let svg = std::panic::catch_unwind(std::panic::AssertUnwindSafe(move || {
        let mut writer = SVGWriter::new();
        graph.do_it(false, false, false, &mut writer);
        writer.finalize()
    }))
    .ok()?;
    let start = svg.find("<svg")?;
    Some(svg[start..].to_string())
}

/// `101/KH-UBND`, then type and date, on lines of their own.
fn node_label(node: &GraphNode) -> String {
    let mut label = display_id(&node.id).to_string();
    let facts: Vec<String> = [node.doc_type.clone(), node.date.as_deref().map(date_vi)]
        .into_iter()
        .flatten()
        .collect();
    if !facts.is_empty() {
        label.push('\n');
        label.push_str(&facts.join(", "));
    }
    label
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_small_graph_is_drawn_with_escaped_labels() {
        let node = |key: &str, id: &str| GraphNode {
            id: id.into(),
            key: key.into(),
            in_corpus: true,
            ..GraphNode::default()
        };
        let a = node("a", "1/KH-UBND");
        let b = node("b", "<script>x</script>");
        let edge = GraphEdge {
            from_key: "a".into(),
            to_key: "b".into(),
            from: "1/KH-UBND".into(),
            to: "<script>x</script>".into(),
            ..GraphEdge::default()
        };
        let svg = draw(&[&a, &b], &[&edge], "a").expect("drawn");
        assert!(svg.starts_with("<svg"));
        assert!(svg.contains("1/KH-UBND"));
        assert!(svg.contains("&lt;script&gt;"));
        assert!(!svg.contains("<script>"));
    }
}
