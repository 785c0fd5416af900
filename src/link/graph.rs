//! `vanban graph`: the citation graph as Graphviz DOT or Mermaid source.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use serde::{Deserialize, Serialize};

use super::error::RegistryError;
use super::registry::{GraphNode, Registry, Resolution};
use super::trace::Adjacency;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum GraphFormat {
    Dot,
    Mermaid,
}

/// Reads the registry and renders its citation graph; with `root`, only the documents
/// `root` rests on (transitively), those resting on it, and `root` itself.
pub fn graph(
    registry: &Path,
    format: GraphFormat,
    root: Option<&str>,
) -> Result<String, RegistryError> {
    let registry = Registry::open(registry)?;
    render_graph(&registry, format, root)
}

/// [`graph`] on a registry already read or assembled.
pub fn render_graph(
    registry: &Registry,
    format: GraphFormat,
    root: Option<&str>,
) -> Result<String, RegistryError> {
    let root_key = match root {
        Some(id) => Some(registry.find_node(id)?.key.clone()),
        None => None,
    };
    let keep: Option<BTreeSet<String>> = root_key.as_ref().map(|key| {
        let adjacency = Adjacency::new(registry);
        let mut keep = adjacency.reachable(key, true);
        keep.extend(adjacency.reachable(key, false));
        keep.insert(key.clone());
        keep
    });
    let included = |key: &str| keep.as_ref().is_none_or(|k| k.contains(key));
    let mut pairs: Vec<((String, String), Vec<String>)> = Vec::new();
    let mut candidates: Vec<((String, String), String)> = Vec::new();
    let mut shown: BTreeSet<String> = BTreeSet::new();
    // One arrow per pair of documents, labelled with every relation between them.
    let mut position: BTreeMap<(String, String), usize> = BTreeMap::new();
    for edge in &registry.citations.edges {
        if !included(&edge.from_key) || !included(&edge.to_key) {
            continue;
        }
        let pair = (edge.from_key.clone(), edge.to_key.clone());
        let index = *position.entry(pair.clone()).or_insert_with(|| {
            pairs.push((pair, Vec::new()));
            pairs.len() - 1
        });
        let relation = if edge.resolution == Resolution::Ambiguous {
            format!("{} (ambiguous)", edge.relation.as_str())
        } else {
            edge.relation.as_str().to_string()
        };
        if !pairs[index].1.contains(&relation) {
            pairs[index].1.push(relation);
        }
        // An ambiguous citation: a dotted arrow to each candidate, with why it was not chosen.
        for c in &edge.candidates {
            let link = (
                (edge.to_key.clone(), c.key.clone()),
                format!("not chosen: {}", c.reason),
            );
            if !candidates.contains(&link) {
                candidates.push(link);
                shown.insert(c.key.clone());
            }
        }
    }
    let nodes: Vec<&GraphNode> = registry
        .citations
        .nodes
        .iter()
        .filter(|n| included(&n.key) || shown.contains(&n.key))
        .collect();
    let graph = Shape {
        nodes,
        pairs,
        candidates,
        root: root_key,
    };
    Ok(match format {
        GraphFormat::Dot => graph.dot(),
        GraphFormat::Mermaid => graph.mermaid(),
    })
}

struct Shape<'a> {
    nodes: Vec<&'a GraphNode>,
    /// (from key, to key) and the relations between them.
    pairs: Vec<((String, String), Vec<String>)>,
    /// (cited node key, candidate key) of ambiguous citations, and why it was not chosen.
    candidates: Vec<((String, String), String)>,
    root: Option<String>,
}

fn label_lines(node: &GraphNode) -> Vec<&str> {
    [
        Some(node.id.as_str()),
        node.doc_type.as_deref(),
        node.date.as_deref(),
    ]
    .into_iter()
    .flatten()
    .collect()
}

/// A DOT double-quoted string: `"` and `\` escaped, line breaks as `\n`.
fn dot_string(text: &str) -> String {
    let mut out = String::from("\"");
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => {}
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Text inside a quoted Mermaid label: the characters Mermaid gives a meaning as entities.
fn mermaid_text(text: &str) -> String {
    let mut out = String::new();
    for c in text.chars() {
        match c {
            '#' => out.push_str("#35;"),
            '"' => out.push_str("#quot;"),
            '<' => out.push_str("#lt;"),
            '>' => out.push_str("#gt;"),
            '\n' | '\r' => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

impl Shape<'_> {
    /// The DOT name of each node: its id, unless another node has it too; then the corpus
    /// document keeps it when it is the only one in the corpus, and the others go by key.
    fn dot_ids(&self) -> BTreeMap<String, String> {
        let mut count: BTreeMap<&str, (usize, usize)> = BTreeMap::new();
        for node in &self.nodes {
            let entry = count.entry(node.id.as_str()).or_default();
            entry.0 += 1;
            entry.1 += usize::from(node.in_corpus);
        }
        self.nodes
            .iter()
            .map(|n| {
                let (all, corpus) = count[n.id.as_str()];
                let by_id = all == 1 || (n.in_corpus && corpus == 1);
                let name = if by_id { &n.id } else { &n.key };
                (n.key.clone(), name.clone())
            })
            .collect()
    }

    fn dot(&self) -> String {
        let ids = self.dot_ids();
        let mut out = String::from("digraph vanban {\n");
        out.push_str("  rankdir=LR;\n");
        out.push_str("  node [shape=box, fontname=\"Helvetica\", fontsize=10];\n");
        out.push_str("  edge [fontname=\"Helvetica\", fontsize=9];\n");
        for node in &self.nodes {
            let label = label_lines(node)
                .iter()
                .map(|l| dot_string(l))
                .collect::<Vec<_>>();
            // Join the quoted lines into one string with `\n` between them.
            let label = format!(
                "\"{}\"",
                label
                    .iter()
                    .map(|l| &l[1..l.len() - 1])
                    .collect::<Vec<_>>()
                    .join("\\n")
            );
            let mut attributes = vec![format!("label={label}")];
            if node.in_corpus {
                attributes.push("style=filled, fillcolor=\"#e8f0fe\"".into());
            } else {
                attributes.push("style=dashed".into());
            }
            if self.root.as_deref() == Some(node.key.as_str()) {
                attributes.push("penwidth=2".into());
            }
            out.push_str(&format!(
                "  {} [{}];\n",
                dot_string(&ids[&node.key]),
                attributes.join(", ")
            ));
        }
        for ((from, to), relations) in &self.pairs {
            let (Some(from), Some(to)) = (ids.get(from), ids.get(to)) else {
                continue;
            };
            out.push_str(&format!(
                "  {} -> {} [label={}];\n",
                dot_string(from),
                dot_string(to),
                dot_string(&relations.join(", "))
            ));
        }
        for ((from, to), reason) in &self.candidates {
            let (Some(from), Some(to)) = (ids.get(from), ids.get(to)) else {
                continue;
            };
            out.push_str(&format!(
                "  {} -> {} [label={}, style=dotted, arrowhead=none];\n",
                dot_string(from),
                dot_string(to),
                dot_string(reason)
            ));
        }
        out.push_str("}\n");
        out
    }

    fn mermaid(&self) -> String {
        let mut out = String::from("flowchart LR\n");
        // Node ids: `d_` and the folded id, letters and digits only; unique.
        let mut names: BTreeMap<String, String> = BTreeMap::new();
        let mut used = BTreeSet::new();
        for node in &self.nodes {
            let mut base = String::from("d_");
            for c in crate::text::fold(&node.id).chars() {
                if c.is_ascii_alphanumeric() {
                    base.push(c);
                } else if !base.ends_with('_') {
                    base.push('_');
                }
            }
            let base = base.trim_end_matches('_').to_string();
            let mut name = base.clone();
            let mut n = 1;
            while !used.insert(name.clone()) {
                n += 1;
                name = format!("{base}_{n}");
            }
            names.insert(node.key.clone(), name);
        }
        if self.nodes.is_empty() {
            out.push_str("  %% no citations in the registry\n");
        }
        for node in &self.nodes {
            let label = label_lines(node)
                .iter()
                .map(|l| mermaid_text(l))
                .collect::<Vec<_>>()
                .join("<br/>");
            let class = if node.in_corpus { "corpus" } else { "external" };
            out.push_str(&format!(
                "  {}[\"{}\"]:::{}\n",
                names[&node.key], label, class
            ));
        }
        for ((from, to), relations) in &self.pairs {
            let (Some(from), Some(to)) = (names.get(from), names.get(to)) else {
                continue;
            };
            out.push_str(&format!(
                "  {} -->|\"{}\"| {}\n",
                from,
                mermaid_text(&relations.join(", ")),
                to
            ));
        }
        for ((from, to), reason) in &self.candidates {
            let (Some(from), Some(to)) = (names.get(from), names.get(to)) else {
                continue;
            };
            out.push_str(&format!(
                "  {} -.-|\"{}\"| {}\n",
                from,
                mermaid_text(reason),
                to
            ));
        }
        out.push_str("  classDef corpus fill:#e8f0fe,stroke:#1a56db\n");
        out.push_str("  classDef external stroke-dasharray:5 5\n");
        if let Some(root) = self.root.as_ref().and_then(|r| names.get(r)) {
            out.push_str(&format!("  style {root} stroke-width:3px\n"));
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes() {
        assert_eq!(dot_string("a\"b\\c"), "\"a\\\"b\\\\c\"");
        assert_eq!(
            mermaid_text("Luật \"A\" #1 <b>"),
            "Luật #quot;A#quot; #35;1 #lt;b#gt;"
        );
    }
}
