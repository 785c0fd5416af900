//! Tables of tasks: `STT | Nhiệm vụ | Cơ quan chủ trì | Cơ quan phối hợp | Thời gian hoàn thành`.
//!
//! Normalise turns each cell of an exported table into a line of its own, so a table reaches
//! the section tree as the lines of a node's text: the column headings (the recognition data of
//! `table_columns` in `rules/obligations.yaml`), then per row a line holding only its STT and one
//! line per cell. The headings may stand in a node and the rows in the nodes under it (the parts
//! `I.`, `II.` of a table cut it into sections). Each row is a task unit, pathed by its STT under
//! the node that holds it, with its lead, its supports and its deadline.

use serde::Deserialize;

use super::{Context, Mention};
use crate::lexicon::agencies::{key, longest, KeyHead};
use crate::record::{Node, Obligation, Role};

/// What a column of a table of tasks holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Column {
    Number,
    Task,
    Lead,
    Support,
    Deadline,
    Other,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct ColumnHeading {
    pub heading: String,
    pub column: Column,
}

/// The columns of a table whose headings are found in a text, and where the headings end.
#[derive(Debug, Clone)]
pub(super) struct Table {
    pub columns: Vec<Column>,
}

/// Compiled `table_columns`: (heading key, column), longest first.
pub(super) fn compile(headings: &[ColumnHeading]) -> Vec<(String, Column)> {
    let mut out: Vec<(String, Column)> = headings
        .iter()
        .map(|h| (key(&h.heading), h.column))
        .filter(|(k, _)| !k.is_empty())
        .collect();
    out.sort_by_key(|(k, _)| std::cmp::Reverse(k.len()));
    out
}

/// Lines of a text with their byte offsets.
fn lines(text: &str) -> Vec<(usize, &str)> {
    let mut out = Vec::new();
    let mut at = 0;
    for line in text.split('\n') {
        out.push((at, line));
        at += line.len() + 1;
    }
    out
}

/// The column a heading line names: the heading as written, or a heading it opens with.
fn column_of(rules: &[(String, Column)], line: &str) -> Option<Column> {
    // Headings are a few words: a line is folded only as far as the longest of them, not
    // whole (this runs for every line of every node).
    let line = line.trim().trim_matches(|c: char| c == '*' || c == '_');
    let head = KeyHead::new(line, longest(rules.iter().map(|(h, _)| h)));
    if head.is_empty() {
        return None;
    }
    rules
        .iter()
        .find(|(h, _)| head.opening(h).is_some_and(|o| o.next.is_none()))
        .or_else(|| {
            rules.iter().find(|(h, c)| {
                *c != Column::Number && head.opening(h).is_some_and(|o| o.is_followed())
            })
        })
        .map(|(_, c)| *c)
}

/// The headings of a table of tasks in `text`: (table, byte offset where its rows may start).
pub(super) fn header(rules: &[(String, Column)], text: &str) -> Option<(Table, usize)> {
    let lines = lines(text);
    for (i, (_, line)) in lines.iter().enumerate() {
        if column_of(rules, line) != Some(Column::Number) {
            continue;
        }
        let mut columns = vec![Column::Number];
        let mut end = lines.get(i + 1).map(|l| l.0).unwrap_or(text.len());
        for (off, l) in &lines[i + 1..] {
            match column_of(rules, l) {
                Some(c) if c != Column::Number => {
                    columns.push(c);
                    end = (off + l.len() + 1).min(text.len());
                }
                _ => break,
            }
        }
        if columns.contains(&Column::Lead) {
            return Some((Table { columns }, end));
        }
    }
    None
}

/// The STT of a row: a line holding only a number (`3`, `3.`).
fn row_number(line: &str) -> Option<&str> {
    let t = line.trim().trim_matches(|c: char| c == '*' || c == '_');
    let n = t.strip_suffix('.').unwrap_or(t);
    (!n.is_empty() && n.len() <= 3 && n.bytes().all(|b| b.is_ascii_digit())).then_some(n)
}

/// One row: its STT, its offset in the text, and its cells after the STT.
struct Row<'t> {
    number: &'t str,
    offset: usize,
    cells: Vec<&'t str>,
}

fn rows(text: &str, from: usize) -> Vec<Row<'_>> {
    let mut out: Vec<Row> = Vec::new();
    for (off, line) in lines(text) {
        if off < from {
            continue;
        }
        if let Some(number) = row_number(line) {
            out.push(Row {
                number,
                offset: off,
                cells: Vec::new(),
            });
        } else if let Some(row) = out.last_mut() {
            // An empty line is an empty cell: dropping it would shift the columns after it.
            row.cells.push(line.trim());
        }
    }
    for row in &mut out {
        while row.cells.last().is_some_and(|c| c.is_empty()) {
            row.cells.pop();
        }
    }
    out
}

impl Context<'_> {
    /// The obligations of the rows of `table` in the text of `node` (from byte `from` of its
    /// text): one per agency of each row's lead and support cells.
    pub(super) fn table_rows(&self, node: &Node, table: &Table, from: usize) -> Vec<Obligation> {
        let text_start = if node.title.is_empty() {
            0
        } else {
            node.title.len() + 1
        };
        let mut out = Vec::new();
        for row in rows(&node.text, from) {
            let cell = |want: Column| -> &str {
                table.columns[1..]
                    .iter()
                    .zip(&row.cells)
                    .find(|(c, _)| **c == want)
                    .map(|(_, v)| *v)
                    .unwrap_or("")
            };
            let lead = self.names_in_list(cell(Column::Lead));
            let support = self.names_in_list(cell(Column::Support));
            if lead.is_empty() && support.is_empty() {
                continue;
            }
            let task = crate::text::squash_spaces(cell(Column::Task));
            let deadline = crate::text::trim_entry_end(cell(Column::Deadline).trim());
            let deadline = (!deadline.is_empty()).then(|| self.rules.deadlines.of_value(deadline));
            let path = format!("{}.{}", node.path, row.number);
            let line = node.line_at(text_start + row.offset);
            let names = |ms: &[Mention]| ms.iter().map(|m| m.name.clone()).collect::<Vec<_>>();
            let (lead_names, support_names) = (names(&lead), names(&support));
            for (members, role, others) in [
                (&lead, Role::Lead, &support_names),
                (&support, Role::Support, &lead_names),
            ] {
                for m in members {
                    let partners = others.iter().filter(|n| **n != m.name).cloned().collect();
                    let mut o = self.obligation(
                        node,
                        m,
                        role,
                        self.modality_of(m, None),
                        &task,
                        partners,
                        deadline.clone(),
                        line,
                    );
                    o.id = format!("{}#{path}", self.doc.id);
                    o.path.clone_from(&path);
                    out.push(o);
                }
            }
        }
        out
    }

    /// Walks a node where a table of tasks may stand: rows in its text are its tasks; headings
    /// in its text hold for the nodes under it.
    pub(super) fn walk_tables(
        &self,
        node: &Node,
        heading: Option<&super::Heading>,
        inherited: Option<&super::Assignment>,
        out: &mut Vec<Obligation>,
    ) {
        let own = header(&self.rules.table_columns, &node.text);
        let outer = self.table.borrow().clone();
        let (table, from) = match (&own, &outer) {
            (Some((t, end)), _) => (Some(t.clone()), *end),
            (None, Some(t)) => (Some(t.clone()), 0),
            (None, None) => (None, 0),
        };
        let found = table
            .as_ref()
            .map(|t| self.table_rows(node, t, from))
            .unwrap_or_default();
        if table.is_none() {
            self.walk_node(node, heading, inherited, out);
            return;
        }
        self.table.replace(table);
        if found.is_empty() {
            self.walk_node(node, heading, inherited, out);
        } else {
            out.extend(found);
            for child in &node.children {
                self.walk_tables(child, heading, inherited, out);
            }
        }
        self.table.replace(outer);
    }
}
