//! `vanban trace ID`: what a document rests on (upstream), and what rests on it (downstream).

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet, VecDeque};
use std::path::Path;

use serde::{Deserialize, Serialize};

use super::error::RegistryError;
use super::registry::{Candidate, GraphEdge, GraphNode, Registry, Resolution};
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
///
/// Each way is a flat list, in the order a tree is read (depth first, each document right
/// after the one above it): a document is expanded once, where it is nearest to the traced
/// one, and only named with a back-reference (`expanded_at`) wherever else it appears. So
/// the list, the JSON and YAML, and the text are all linear in the size of the graph, and no
/// reader or writer has to recurse (a chain of 20,000 documents is 20,000 entries).
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
    /// What it rests on: the documents it cites, and what those cite, in tree order.
    pub upstream: Vec<TraceBranch>,
    /// What rests on it: the documents citing it, and what cites those, in tree order.
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
    /// Citation steps from the traced document: 1 for the documents it cites (or that cite it).
    pub level: usize,
    /// The entry of the document above this one in the same list; null at level 1 (the
    /// traced document is above).
    pub parent: Option<usize>,
    /// Every citation between this document and the one above it in the tree.
    pub citations: Vec<TraceCitation>,
    /// True when the document is shown elsewhere in the tree: its title and branch are not
    /// repeated here.
    pub repeated: bool,
    /// For a repeated document: the entry of the list where it is shown (null when that is
    /// the traced document itself).
    #[serde(default)]
    pub expanded_at: Option<usize>,
}

/// The entries directly under entry `parent` of a trace list (`None`: the traced document).
pub fn children(list: &[TraceBranch], parent: Option<usize>) -> Vec<&TraceBranch> {
    list.iter().filter(|b| b.parent == parent).collect()
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
        let mut groups: Vec<(String, Vec<&GraphEdge>)> = Vec::new();
        // Where each neighbour's group is: a document citing 100,000 others stays linear.
        let mut position: HashMap<&str, usize> = HashMap::new();
        for edge in self.edges(key, upstream) {
            let other = if upstream {
                &edge.to_key
            } else {
                &edge.from_key
            };
            match position.get(other.as_str()) {
                Some(&i) => groups[i].1.push(edge),
                None => {
                    position.insert(other, groups.len());
                    groups.push((other.clone(), vec![edge]));
                }
            }
        }
        groups
    }

    fn edges(&self, key: &str, upstream: bool) -> &[&'a GraphEdge] {
        let map = if upstream { &self.out } else { &self.into };
        map.get(key).map_or(&[], Vec::as_slice)
    }

    /// Every key reachable from `key` one way (without `key` itself unless on a cycle).
    pub(crate) fn reachable(&self, key: &str, upstream: bool) -> BTreeSet<String> {
        let mut seen = BTreeSet::new();
        let mut queue = VecDeque::from([key.to_string()]);
        while let Some(current) = queue.pop_front() {
            for edge in self.edges(&current, upstream) {
                let next = if upstream {
                    &edge.to_key
                } else {
                    &edge.from_key
                };
                if seen.insert(next.clone()) {
                    queue.push_back(next.clone());
                }
            }
        }
        seen
    }

    /// The tree one way from `root`, as a list in tree order (see [`Trace`]).
    fn tree(
        &self,
        registry: &Registry,
        root: &str,
        depth: Option<usize>,
        upstream: bool,
    ) -> Vec<TraceBranch> {
        let (arena, top) = self.expand(root, depth, upstream);
        let nodes: HashMap<&str, &GraphNode> = registry
            .citations
            .nodes
            .iter()
            .map(|n| (n.key.as_str(), n))
            .collect();
        // Depth first, without recursion: the stack holds (slot, level, parent entry).
        let mut list: Vec<TraceBranch> = Vec::with_capacity(arena.len());
        let mut entry_of_slot = vec![usize::MAX; arena.len()];
        let mut stack: Vec<(usize, usize, Option<usize>)> =
            top.iter().rev().map(|&i| (i, 1, None)).collect();
        while let Some((index, level, parent)) = stack.pop() {
            let slot = &arena[index];
            entry_of_slot[index] = list.len();
            list.push(branch(slot, nodes.get(slot.key.as_str()), level, parent));
            let me = Some(list.len() - 1);
            stack.extend(slot.children.iter().rev().map(|&c| (c, level + 1, me)));
        }
        for (index, slot) in arena.iter().enumerate() {
            if let Some(expanded) = slot.expanded_by {
                list[entry_of_slot[index]].expanded_at = Some(entry_of_slot[expanded]);
            }
        }
        list
    }

    /// Breadth first from `root`: each document is expanded where it is nearest to the root,
    /// and marked `repeated` wherever else it appears. The slots, and those of level 1.
    fn expand(
        &self,
        root: &str,
        depth: Option<usize>,
        upstream: bool,
    ) -> (Vec<Slot<'a>>, Vec<usize>) {
        let mut arena: Vec<Slot> = Vec::new();
        let mut top: Vec<usize> = Vec::new();
        // The slot where each document is expanded (None for the root).
        let mut expanded: HashMap<String, Option<usize>> =
            HashMap::from([(root.to_string(), None)]);
        let mut queue = VecDeque::from([(root.to_string(), None::<usize>, 0usize)]);
        while let Some((key, parent, level)) = queue.pop_front() {
            if depth.is_some_and(|d| level >= d) {
                continue;
            }
            for (next, edges) in self.neighbours(&key, upstream) {
                let index = arena.len();
                let earlier = expanded.get(&next).copied();
                let repeated = earlier.is_some();
                arena.push(Slot {
                    key: next.clone(),
                    edges,
                    repeated,
                    expanded_by: earlier.flatten().filter(|_| repeated),
                    children: Vec::new(),
                });
                match parent {
                    Some(p) => arena[p].children.push(index),
                    None => top.push(index),
                }
                if earlier.is_none() {
                    expanded.insert(next.clone(), Some(index));
                    queue.push_back((next, Some(index), level + 1));
                }
            }
        }
        (arena, top)
    }
}

/// A document in the tree being built: its edges from the one above, its children.
struct Slot<'e> {
    key: String,
    edges: Vec<&'e GraphEdge>,
    repeated: bool,
    /// The slot where a repeated document is shown (None when that is the root).
    expanded_by: Option<usize>,
    children: Vec<usize>,
}

fn branch(
    slot: &Slot,
    node: Option<&&GraphNode>,
    level: usize,
    parent: Option<usize>,
) -> TraceBranch {
    TraceBranch {
        id: node.map_or_else(|| slot.key.clone(), |n| n.id.clone()),
        key: slot.key.clone(),
        doc_type: node.and_then(|n| n.doc_type.clone()),
        date: node.and_then(|n| n.date.clone()),
        title: node.and_then(|n| n.titles.first().cloned()),
        in_corpus: node.is_some_and(|n| n.in_corpus),
        level,
        parent,
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
        expanded_at: None,
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
        render_list(&mut out, branches);
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

/// Levels drawn as indentation; deeper ones are drawn at this indentation with their
/// level written out, so that no line is longer than a constant plus its own text and a
/// chain of any length prints in linear size.
const DRAWN_LEVELS: usize = 16;

/// One way of the trace as a tree, each document once (see [`Trace`]), without recursion.
fn render_list(out: &mut String, list: &[TraceBranch]) {
    let mut last = vec![false; list.len()];
    let mut has_children = vec![false; list.len()];
    let mut later_parents = HashSet::new();
    for (i, branch) in list.iter().enumerate().rev() {
        last[i] = later_parents.insert(branch.parent);
        if let Some(p) = branch.parent.filter(|&p| p < list.len()) {
            has_children[p] = true;
        }
    }
    let referenced: HashSet<usize> = list.iter().filter_map(|b| b.expanded_at).collect();
    // Whether each drawn ancestor of the current entry was the last of its siblings.
    let mut ancestors: Vec<bool> = Vec::new();
    for (i, branch) in list.iter().enumerate() {
        let above = branch.level.saturating_sub(1);
        ancestors.truncate(above.min(DRAWN_LEVELS));
        let mut prefix = String::from("  ");
        for &was_last in &ancestors {
            prefix.push_str(if was_last { "    " } else { "│   " });
        }
        let deep = above >= DRAWN_LEVELS;
        if !deep {
            ancestors.push(last[i]);
        }
        let mut head = String::new();
        if deep {
            head.push_str(&format!("[level {}] ", branch.level));
        }
        head.push_str(&describe(
            &branch.id,
            &branch.doc_type,
            &branch.date,
            branch.in_corpus,
        ));
        if referenced.contains(&i) {
            head.push_str(&format!("  [#{}]", i + 1));
        }
        if branch.repeated {
            head.push_str(&match branch.expanded_at {
                Some(at) if at < i => format!("  (shown above at [#{}])", at + 1),
                Some(at) => format!("  (shown below at [#{}])", at + 1),
                None => "  (the traced document)".to_string(),
            });
        }
        render_entry(
            out,
            branch,
            &prefix,
            &head,
            (last[i] || deep, has_children[i]),
        );
    }
}

/// One document of the tree: its line, title and citations under `prefix`; `shape` says
/// whether it is the last of its siblings and whether children follow.
fn render_entry(
    out: &mut String,
    branch: &TraceBranch,
    prefix: &str,
    head: &str,
    shape: (bool, bool),
) {
    let (last, has_children) = shape;
    let connector = if last { "└── " } else { "├── " };
    let inner = format!("{prefix}{}", if last { "    " } else { "│   " });
    out.push_str(prefix);
    out.push_str(connector);
    out.push_str(head);
    out.push('\n');
    let detail = if has_children {
        format!("{inner}│ ")
    } else {
        format!("{inner}  ")
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
