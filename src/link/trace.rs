//! `vanban trace ID`: what a document rests on (upstream), and what rests on it (downstream).

use std::collections::{BTreeMap, BTreeSet, VecDeque};
use std::path::Path;

use serde::{Deserialize, Serialize};

use super::error::RegistryError;
use super::registry::{Candidate, GraphEdge, Registry, Resolution};
use crate::record::Relation;

/// Which way to follow citations.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Direction {
    /// What the document cites, and what those cite.
    Up,
    /// What cites the document, and what cites those.
    Down,
    #[default]
    Both,
}

/// The citation chain of one document.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Trace {
    pub id: String,
    /// The node's key in the registry.
    #[serde(default)]
    pub key: String,
    #[serde(rename = "type")]
    pub doc_type: Option<String>,
    pub date: Option<String>,
    pub title: Option<String>,
    pub in_corpus: bool,
    pub direction: Direction,
    /// The depth limit, null for none.
    pub depth: Option<usize>,
    /// What it rests on: each branch a document it cites, with that document's own upstream.
    pub upstream: Vec<TraceBranch>,
    /// What rests on it: each branch a document citing it, with that document's downstream.
    pub downstream: Vec<TraceBranch>,
}

/// A document reached in the chain, and the citations that link it to the one above.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct TraceBranch {
    pub id: String,
    #[serde(default)]
    pub key: String,
    #[serde(rename = "type")]
    pub doc_type: Option<String>,
    pub date: Option<String>,
    pub title: Option<String>,
    pub in_corpus: bool,
    /// Every citation between this document and the one above it in the tree.
    pub citations: Vec<TraceCitation>,
    /// True when the document is expanded elsewhere in the tree (and has something to
    /// expand): its branch is not repeated here.
    pub repeated: bool,
    pub children: Vec<TraceBranch>,
}

/// One citation: `from` cites `to` at `path`, `line` of `from`.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct TraceCitation {
    pub from: String,
    pub to: String,
    #[serde(default)]
    pub from_key: String,
    #[serde(default)]
    pub to_key: String,
    #[serde(default)]
    pub resolution: Resolution,
    /// For an ambiguous citation: the corpus documents it might mean, and why none was chosen.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub candidates: Vec<Candidate>,
    pub relation: Relation,
    pub path: String,
    pub line: u32,
}

/// Reads the registry at `registry` and traces `id` (any capitalisation, with or without
/// diacritics). `depth` limits the number of citation steps; `None` follows them all.
pub fn trace(
    registry: &Path,
    id: &str,
    depth: Option<usize>,
    direction: Direction,
) -> Result<Trace, RegistryError> {
    let registry = Registry::open(registry)?;
    trace_in(&registry, id, depth, direction)
}

/// [`trace`] on a registry already read or assembled.
pub fn trace_in(
    registry: &Registry,
    id: &str,
    depth: Option<usize>,
    direction: Direction,
) -> Result<Trace, RegistryError> {
    let root = registry.find_node(id)?;
    let graph = Adjacency::new(registry);
    let root_key = root.key.clone();
    let up = matches!(direction, Direction::Up | Direction::Both);
    let down = matches!(direction, Direction::Down | Direction::Both);
    Ok(Trace {
        id: root.id.clone(),
        key: root.key.clone(),
        doc_type: root.doc_type.clone(),
        date: root.date.clone(),
        title: root.titles.first().cloned(),
        in_corpus: root.in_corpus,
        direction,
        depth,
        upstream: if up {
            graph.tree(registry, &root_key, depth, true)
        } else {
            Vec::new()
        },
        downstream: if down {
            graph.tree(registry, &root_key, depth, false)
        } else {
            Vec::new()
        },
    })
}

/// Edges by node key, both ways, in the graph's (sorted) order.
pub(crate) struct Adjacency<'a> {
    pub(crate) out: BTreeMap<String, Vec<&'a GraphEdge>>,
    pub(crate) into: BTreeMap<String, Vec<&'a GraphEdge>>,
}

impl<'a> Adjacency<'a> {
    pub(crate) fn new(registry: &'a Registry) -> Self {
        let mut out: BTreeMap<String, Vec<&GraphEdge>> = BTreeMap::new();
        let mut into: BTreeMap<String, Vec<&GraphEdge>> = BTreeMap::new();
        for edge in &registry.citations.edges {
            out.entry(edge.from_key.clone()).or_default().push(edge);
            into.entry(edge.to_key.clone()).or_default().push(edge);
        }
        Adjacency { out, into }
    }

    /// The neighbours of `key` one way, each with the edges to it, in order of first edge.
    pub(crate) fn neighbours(
        &self,
        key: &str,
        upstream: bool,
    ) -> Vec<(String, Vec<&'a GraphEdge>)> {
        let edges = if upstream {
            self.out.get(key)
        } else {
            self.into.get(key)
        };
        let mut groups: Vec<(String, Vec<&GraphEdge>)> = Vec::new();
        for edge in edges.into_iter().flatten() {
            let other = if upstream {
                edge.to_key.clone()
            } else {
                edge.from_key.clone()
            };
            match groups.iter_mut().find(|(k, _)| *k == other) {
                Some((_, list)) => list.push(edge),
                None => groups.push((other, vec![edge])),
            }
        }
        groups
    }

    /// Every key reachable from `key` one way (without `key` itself unless on a cycle).
    pub(crate) fn reachable(&self, key: &str, upstream: bool) -> BTreeSet<String> {
        let mut seen = BTreeSet::new();
        let mut queue = VecDeque::from([key.to_string()]);
        while let Some(current) = queue.pop_front() {
            for (next, _) in self.neighbours(&current, upstream) {
                if seen.insert(next.clone()) {
                    queue.push_back(next);
                }
            }
        }
        seen
    }

    /// The tree one way from `root`, breadth first: each document is expanded where it is
    /// nearest to the root, and marked `repeated` wherever else it appears.
    fn tree(
        &self,
        registry: &Registry,
        root: &str,
        depth: Option<usize>,
        upstream: bool,
    ) -> Vec<TraceBranch> {
        struct Slot<'e> {
            key: String,
            edges: Vec<&'e GraphEdge>,
            repeated: bool,
            children: Vec<usize>,
        }
        let mut arena: Vec<Slot> = Vec::new();
        let mut top: Vec<usize> = Vec::new();
        let mut visited = BTreeSet::from([root.to_string()]);
        let mut queue = VecDeque::from([(root.to_string(), None::<usize>, 0usize)]);
        while let Some((key, parent, level)) = queue.pop_front() {
            if depth.is_some_and(|d| level >= d) {
                continue;
            }
            for (next, edges) in self.neighbours(&key, upstream) {
                let index = arena.len();
                let fresh = visited.insert(next.clone());
                // Only a document with something under it is worth marking as repeated.
                let repeated = !fresh && !self.neighbours(&next, upstream).is_empty();
                arena.push(Slot {
                    key: next.clone(),
                    edges,
                    repeated,
                    children: Vec::new(),
                });
                match parent {
                    Some(p) => arena[p].children.push(index),
                    None => top.push(index),
                }
                if fresh {
                    queue.push_back((next, Some(index), level + 1));
                }
            }
        }
        let nodes: BTreeMap<String, &super::registry::GraphNode> = registry
            .citations
            .nodes
            .iter()
            .map(|n| (n.key.clone(), n))
            .collect();
        fn materialise(
            index: usize,
            arena: &[Slot],
            nodes: &BTreeMap<String, &super::registry::GraphNode>,
        ) -> TraceBranch {
            let slot = &arena[index];
            let node = nodes.get(&slot.key);
            TraceBranch {
                id: node
                    .map(|n| n.id.clone())
                    .unwrap_or_else(|| slot.key.clone()),
                key: slot.key.clone(),
                doc_type: node.and_then(|n| n.doc_type.clone()),
                date: node.and_then(|n| n.date.clone()),
                title: node.and_then(|n| n.titles.first().cloned()),
                in_corpus: node.is_some_and(|n| n.in_corpus),
                citations: slot
                    .edges
                    .iter()
                    .map(|e| TraceCitation {
                        from: e.from.clone(),
                        to: e.to.clone(),
                        from_key: e.from_key.clone(),
                        to_key: e.to_key.clone(),
                        resolution: e.resolution,
                        candidates: e.candidates.clone(),
                        relation: e.relation,
                        path: e.path.clone(),
                        line: e.line,
                    })
                    .collect(),
                repeated: slot.repeated,
                children: slot
                    .children
                    .iter()
                    .map(|&c| materialise(c, arena, nodes))
                    .collect(),
            }
        }
        top.iter()
            .map(|&i| materialise(i, &arena, &nodes))
            .collect()
    }
}

/// The trace as an indented tree, for a person.
pub fn render_trace_text(trace: &Trace) -> String {
    let mut out = String::new();
    out.push_str(&describe(
        &trace.id,
        &trace.doc_type,
        &trace.date,
        trace.in_corpus,
    ));
    out.push('\n');
    if let Some(title) = &trace.title {
        out.push_str(&format!("  {}\n", shorten(title, 100)));
    }
    let sections = [
        (
            Direction::Up,
            "Rests on (upstream, what it cites):",
            &trace.upstream,
        ),
        (
            Direction::Down,
            "Cited by (downstream, what rests on it):",
            &trace.downstream,
        ),
    ];
    for (direction, heading, branches) in sections {
        if trace.direction != Direction::Both && trace.direction != direction {
            continue;
        }
        out.push('\n');
        out.push_str(heading);
        out.push('\n');
        if trace.depth == Some(0) {
            out.push_str("  (not followed: --depth 0 shows the document alone)\n");
        } else if branches.is_empty() {
            out.push_str("  (nothing in the registry)\n");
        }
        for (i, branch) in branches.iter().enumerate() {
            render_branch(&mut out, branch, "  ", i + 1 == branches.len());
        }
    }
    out
}

fn describe(id: &str, doc_type: &Option<String>, date: &Option<String>, in_corpus: bool) -> String {
    let mut line = id.to_string();
    let facts: Vec<&str> = [doc_type.as_deref(), date.as_deref()]
        .into_iter()
        .flatten()
        .collect();
    if !facts.is_empty() {
        line.push_str("  ");
        line.push_str(&facts.join(", "));
    }
    if !in_corpus {
        line.push_str("  (not in the corpus)");
    }
    line
}

fn render_branch(out: &mut String, branch: &TraceBranch, prefix: &str, last: bool) {
    let connector = if last { "└── " } else { "├── " };
    let inner = format!("{prefix}{}", if last { "    " } else { "│   " });
    out.push_str(prefix);
    out.push_str(connector);
    out.push_str(&describe(
        &branch.id,
        &branch.doc_type,
        &branch.date,
        branch.in_corpus,
    ));
    if branch.repeated {
        out.push_str("  (expanded elsewhere in this tree)");
    }
    out.push('\n');
    let detail = if branch.children.is_empty() {
        format!("{inner}  ")
    } else {
        format!("{inner}│ ")
    };
    if let Some(title) = branch.title.as_ref().filter(|_| !branch.repeated) {
        out.push_str(&format!("{detail}{}\n", shorten(title, 90)));
    }
    const SHOWN: usize = 4;
    for citation in branch.citations.iter().take(SHOWN) {
        let path = if citation.path.is_empty() {
            "?"
        } else {
            &citation.path
        };
        out.push_str(&format!(
            "{detail}{} {} at {} (line {})\n",
            citation.from,
            citation.relation.as_str(),
            path,
            citation.line
        ));
        render_candidates(out, &detail, citation);
    }
    if branch.citations.len() > SHOWN {
        out.push_str(&format!(
            "{detail}... and {} more citations\n",
            branch.citations.len() - SHOWN
        ));
    }
    for (i, child) in branch.children.iter().enumerate() {
        render_branch(out, child, &inner, i + 1 == branch.children.len());
    }
}

/// Under an ambiguous citation: each corpus document it might mean, and why it was not chosen.
fn render_candidates(out: &mut String, detail: &str, citation: &TraceCitation) {
    if citation.resolution != Resolution::Ambiguous {
        return;
    }
    out.push_str(&format!(
        "{detail}  ambiguous: not linked to a corpus document with this number\n"
    ));
    for c in &citation.candidates {
        out.push_str(&format!(
            "{detail}    {} {} ({}): {}\n",
            c.id,
            c.date.as_deref().unwrap_or("no date"),
            c.issuer.as_deref().unwrap_or("issuer unknown"),
            c.reason
        ));
    }
}

/// The text cut to `max` characters, with `…` when cut.
pub(crate) fn shorten(text: &str, max: usize) -> String {
    let text = crate::text::squash_spaces(text);
    if text.chars().count() <= max {
        return text;
    }
    let mut cut: String = text.chars().take(max.saturating_sub(1)).collect();
    if let Some(space) = cut.rfind(' ').filter(|&i| i > max / 2) {
        cut.truncate(space);
    }
    cut.push('…');
    cut
}
