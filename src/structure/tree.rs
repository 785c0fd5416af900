//! Builds the node tree from body paragraphs, one marker at a time, with a stack of open
//! nodes. Paths are given as nodes open, made unique within the document.

use std::collections::{HashMap, HashSet};
use std::sync::OnceLock;

use regex::Regex;

use crate::lexicon::marker::{self, clause_index, Marker};
use crate::lines::Paragraph;
use crate::record::{Diagnostic, Node, NodeKind, Span};
use crate::text::is_upper;

/// A node still taking children and text.
struct Open {
    node: Node,
    rank: u8,
    /// For bullets and enumerations: the marker character, which decides nesting.
    bullet: Option<String>,
    /// How many of `node.children` are bullets: the next bullet's number, kept as children
    /// are added so that 100,000 bullets under one node cost O(1) each, not a count.
    bullets: usize,
}

#[derive(Default)]
pub struct TreeBuilder {
    roots: Vec<Node>,
    stack: Vec<Open>,
    paths: HashSet<String>,
    /// The last `~N` suffix given to each repeated path.
    repeats: HashMap<String, usize>,
    diagnostics: Vec<Diagnostic>,
    /// Prefix of paths in the current attachment (`A1.`), empty in the main body.
    prefix: String,
    /// How many of `roots` are bullets (see [`Open::bullets`]).
    root_bullets: usize,
}

impl TreeBuilder {
    /// The main body: preamble, numbered nodes, closing.
    pub fn body(&mut self, paragraphs: &[Paragraph]) {
        let last_marker = paragraphs
            .iter()
            .rposition(|p| marker::recognise(&p.text).is_some());
        let Some(last_marker) = last_marker else {
            if !paragraphs.is_empty() {
                let preamble = plain_node("preamble", NodeKind::Preamble, paragraphs);
                self.add_root(preamble);
            }
            return;
        };
        let first_marker = paragraphs
            .iter()
            .position(|p| marker::recognise(&p.text).is_some())
            .unwrap_or(0);
        if first_marker > 0 {
            self.add_root(plain_node(
                "preamble",
                NodeKind::Preamble,
                &paragraphs[..first_marker],
            ));
        }
        let closing_start = self.closing_start(paragraphs, last_marker);
        let mut index = first_marker;
        while index < closing_start {
            index = self.paragraph(paragraphs, index, closing_start);
        }
        self.close_all();
        if closing_start < paragraphs.len() {
            self.add_root(plain_node(
                "closing",
                NodeKind::Closing,
                &paragraphs[closing_start..],
            ));
        }
    }

    /// An attached document: its heading and title form the `A{n}` node, its content the tree
    /// below it.
    pub fn attachment(&mut self, number: usize, paragraphs: &[Paragraph]) {
        self.close_all();
        let path = self.unique(
            format!("A{number}"),
            paragraphs.first().map_or(0, |p| p.line),
        );
        let first_marker = paragraphs
            .iter()
            .position(|p| marker::recognise(&p.text).is_some())
            .unwrap_or(paragraphs.len());
        let (label, intro) = match paragraphs.first() {
            Some(first) if is_upper(&first.lines[0].1) && first_marker > 0 => {
                (first.text.clone(), &paragraphs[1..first_marker])
            }
            _ => (String::new(), &paragraphs[..first_marker]),
        };
        let mut node = plain_node(&path, NodeKind::Attachment, intro);
        node.label = label;
        node.line = paragraphs.first().map_or(0, |p| p.line);
        if let Some((title, rest)) = node.text.split_once('\n') {
            if is_upper(title) {
                let title = title.to_string();
                node.text = rest.to_string();
                node.title = title;
            }
        } else if is_upper(&node.text) {
            node.title = std::mem::take(&mut node.text);
        }
        self.stack.push(Open {
            node,
            rank: 0,
            bullet: None,
            bullets: 0,
        });
        self.prefix = format!("{path}.");
        let mut index = first_marker;
        while index < paragraphs.len() {
            index = self.paragraph(paragraphs, index, paragraphs.len());
        }
        self.close_all();
        self.prefix.clear();
    }

    pub fn finish(mut self) -> (Vec<Node>, Vec<Diagnostic>) {
        self.close_all();
        (self.roots, self.diagnostics)
    }

    /// Where the closing starts: at the plain paragraphs after the last marker, when that
    /// marker's node already has its text. A heading's paragraphs are its own, and so are an
    /// article's: a document written in Điều has no closing (`Điều 4. Hiệu lực` / `Quyết định
    /// này có hiệu lực ...` / `Chánh Văn phòng ... chịu trách nhiệm thi hành` is all Điều 4).
    fn closing_start(&self, paragraphs: &[Paragraph], last_marker: usize) -> usize {
        let Some(marker) = marker::recognise(&paragraphs[last_marker].text) else {
            return paragraphs.len();
        };
        let rest = &paragraphs[last_marker].text[marker.content_start..];
        let heading_only = matches!(
            marker.kind,
            NodeKind::Part | NodeKind::Chapter | NodeKind::Division | NodeKind::Section
        ) && looks_like_title(rest);
        let in_articles = paragraphs[..=last_marker]
            .iter()
            .any(|p| marker::recognise(&p.text).is_some_and(|m| m.kind == NodeKind::Article));
        if heading_only || in_articles {
            paragraphs.len()
        } else {
            last_marker + 1
        }
    }

    /// Handles the paragraph at `index`; returns the index of the next one to handle.
    fn paragraph(&mut self, paragraphs: &[Paragraph], index: usize, end: usize) -> usize {
        let paragraph = &paragraphs[index];
        let Some(marker) = marker::recognise(&paragraph.text) else {
            self.append_text(paragraph, 0);
            return index + 1;
        };
        self.open(&marker, paragraph);
        // Phần, Chương, Mục print their title on the next line, in capitals.
        let next = index + 1;
        if matches!(
            marker.kind,
            NodeKind::Part | NodeKind::Chapter | NodeKind::Division
        ) && self.top_title_is_empty()
            && next < end
            && is_upper(&paragraphs[next].text)
            && marker::recognise(&paragraphs[next].text).is_none()
        {
            self.set_top_title(&paragraphs[next]);
            return next + 1;
        }
        next
    }

    fn open(&mut self, marker: &Marker, paragraph: &Paragraph) {
        let bullet =
            matches!(marker.kind, NodeKind::Bullet | NodeKind::Item).then(|| bullet_key(marker));
        self.close_for(marker, bullet.as_deref());
        self.check_clause_order(marker, paragraph.position_at(0));
        let segment = match marker.kind {
            NodeKind::Bullet => format!("-{}", self.bullet_count() + 1),
            _ => marker.segment.clone(),
        };
        let parent_path = self.stack.last().map(|open| open.node.path.clone());
        let path = match parent_path {
            Some(parent) => format!("{parent}.{segment}"),
            None => format!("{}{segment}", self.prefix),
        };
        let path = self.unique(path, paragraph.line);
        let rest = &paragraph.text[marker.content_start..];
        let (title, text, text_start) = split_title(marker.kind, rest);
        let mut node = Node {
            path,
            label: marker.label.clone(),
            kind: marker.kind,
            title: title.to_string(),
            text: String::new(),
            line: paragraph.line,
            children: Vec::new(),
            spans: paragraph.spans_from(marker.content_start),
        };
        if !text.is_empty() {
            let start = marker.content_start + text_start;
            if !node.title.is_empty() {
                node.spans.retain(|s| s.offset < node.title.len());
                node.spans
                    .extend(shift(&paragraph.spans_from(start), node.title.len() + 1));
            }
            node.text = text.to_string();
        }
        let enumerations = split_enumerations(&node);
        let rank = marker.rank();
        self.stack.push(Open {
            node,
            rank,
            bullet,
            bullets: 0,
        });
        if let Some((head, items)) = enumerations {
            self.replace_top_text(head);
            for (label, number, text, spans) in items {
                let item_marker = Marker {
                    kind: NodeKind::Item,
                    segment: format!("({number})"),
                    label,
                    content_start: 0,
                    decimal: Vec::new(),
                };
                self.push_item(&item_marker, text, spans, paragraph.line);
            }
        }
    }

    /// Closes the open nodes that the new marker is not inside of.
    fn close_for(&mut self, marker: &Marker, bullet: Option<&str>) {
        match bullet {
            Some(key) => {
                // A bullet or enumeration is a sibling of the open one with the same mark,
                // else a child of whatever is open.
                if let Some(position) = self
                    .stack
                    .iter()
                    .rposition(|open| open.bullet.as_deref() == Some(key))
                {
                    self.close_to(position);
                }
            }
            None => {
                let rank = marker.rank();
                while self
                    .stack
                    .last()
                    .is_some_and(|open| open.rank >= rank && open.node.kind != NodeKind::Attachment)
                {
                    self.close_top();
                }
            }
        }
    }

    fn close_to(&mut self, length: usize) {
        while self.stack.len() > length {
            self.close_top();
        }
    }

    fn close_top(&mut self) {
        if let Some(open) = self.stack.pop() {
            let bullet = usize::from(open.node.kind == NodeKind::Bullet);
            match self.stack.last_mut() {
                Some(parent) => {
                    parent.bullets += bullet;
                    parent.node.children.push(open.node);
                }
                None => {
                    self.root_bullets += bullet;
                    self.roots.push(open.node);
                }
            }
        }
    }

    fn close_all(&mut self) {
        self.close_to(0);
    }

    fn add_root(&mut self, node: Node) {
        let mut node = node;
        node.path = self.unique(format!("{}{}", self.prefix, node.path), node.line);
        self.root_bullets += usize::from(node.kind == NodeKind::Bullet);
        self.roots.push(node);
    }

    /// How many bullets the node being opened has as elder siblings.
    fn bullet_count(&self) -> usize {
        match self.stack.last() {
            Some(open) => open.bullets,
            None => self.root_bullets,
        }
    }

    /// Warns of a lettered clause out of order; `at` is where its marker stands.
    fn check_clause_order(&mut self, marker: &Marker, at: (u32, u32)) {
        if marker.kind != NodeKind::Clause {
            return;
        }
        let Some(index) = clause_index(&marker.segment) else {
            self.diagnostics.push(Diagnostic::warning_at(
                "clause-letter",
                format!("lettered clause `{}` is not in the Vietnamese alphabet order (a b c d đ e g h i k ...)", marker.label),
                at,
            ));
            return;
        };
        // The new clause is not open yet, and its elder sibling is already closed.
        let siblings = match self.stack.last() {
            Some(open) => &open.node.children,
            None => &self.roots,
        };
        let previous_index = siblings
            .iter()
            .rev()
            .find(|n| n.kind == NodeKind::Clause)
            .and_then(|n| n.path.rsplit('.').next())
            .and_then(|last| clause_index(last.split('~').next().unwrap_or(last)));
        let expected = previous_index.map_or(0, |p| p + 1);
        if index > expected {
            let skipped: String = marker::CLAUSE_LETTERS
                .chars()
                .skip(expected)
                .take(index - expected)
                .map(|c| format!("{c}) "))
                .collect();
            self.diagnostics.push(Diagnostic::warning_at(
                "clause-skipped",
                format!(
                    "lettered clause `{}` follows a skipped letter: expected {}",
                    marker.label,
                    skipped.trim_end()
                ),
                at,
            ));
        }
    }

    fn top_title_is_empty(&self) -> bool {
        self.stack
            .last()
            .is_some_and(|open| open.node.title.is_empty() && open.node.text.is_empty())
    }

    fn set_top_title(&mut self, paragraph: &Paragraph) {
        if let Some(open) = self.stack.last_mut() {
            open.node.title = paragraph.text.clone();
            open.node.spans = paragraph.spans.clone();
        }
    }

    fn replace_top_text(&mut self, head: String) {
        if let Some(open) = self.stack.last_mut() {
            open.node.text = head;
        }
    }

    fn push_item(&mut self, marker: &Marker, text: String, spans: Vec<Span>, line: u32) {
        let parent = self
            .stack
            .last()
            .map(|o| o.node.path.clone())
            .unwrap_or_default();
        let path = self.unique(format!("{parent}.{}", marker.segment), line);
        let node = Node {
            path,
            label: marker.label.clone(),
            kind: NodeKind::Item,
            title: String::new(),
            text,
            line: spans.first().map_or(line, |s| s.line),
            children: Vec::new(),
            spans,
        };
        if let Some(open) = self.stack.last_mut() {
            open.bullets += usize::from(node.kind == NodeKind::Bullet);
            open.node.children.push(node);
        }
    }

    /// A plain paragraph: more text of the innermost open node (or the preamble).
    fn append_text(&mut self, paragraph: &Paragraph, start: usize) {
        let Some(open) = self.stack.last_mut() else {
            let node = plain_node(
                "preamble",
                NodeKind::Preamble,
                std::slice::from_ref(paragraph),
            );
            self.add_root(node);
            return;
        };
        let node = &mut open.node;
        let content_len = node.content().len();
        let offset = if content_len == 0 { 0 } else { content_len + 1 };
        if node.text.is_empty() {
            if node.title.is_empty() {
                node.spans.clear();
            }
        } else {
            node.text.push('\n');
        }
        node.text.push_str(&paragraph.text[start..]);
        node.spans
            .extend(shift(&paragraph.spans_from(start), offset));
    }

    /// The path, or the path with `~2`, `~3`... when a repeated number already took it.
    fn unique(&mut self, path: String, line: u32) -> String {
        if self.paths.insert(path.clone()) {
            return path;
        }
        // Remembering the last suffix per path keeps 200,000 repeats of `a)` linear.
        let mut n = self.repeats.get(&path).copied().unwrap_or(1) + 1;
        loop {
            let candidate = format!("{path}~{n}");
            if self.paths.insert(candidate.clone()) {
                self.repeats.insert(path.clone(), n);
                self.diagnostics.push(Diagnostic::info(
                    "repeated-number",
                    format!("`{path}` is numbered twice; the repeat is `{candidate}`"),
                    line,
                ));
                return candidate;
            }
            n += 1;
        }
    }
}

/// Bullets nest by their character; enumerations `(1)` and `1)` are one family.
fn bullet_key(marker: &Marker) -> String {
    match marker.kind {
        NodeKind::Item => "()".to_string(),
        _ => marker.segment.clone(),
    }
}

fn shift(spans: &[Span], by: usize) -> Vec<Span> {
    spans.iter().map(|s| s.shifted(by)).collect()
}

/// A node made of plain paragraphs (preamble, closing, attachment introduction).
fn plain_node(path: &str, kind: NodeKind, paragraphs: &[Paragraph]) -> Node {
    let mut text = String::new();
    let mut spans = Vec::new();
    for paragraph in paragraphs {
        if !text.is_empty() {
            text.push('\n');
        }
        spans.extend(shift(&paragraph.spans, text.len()));
        text.push_str(&paragraph.text);
    }
    Node {
        path: path.to_string(),
        label: String::new(),
        kind,
        title: String::new(),
        text,
        line: paragraphs.first().map_or(0, |p| p.line),
        children: Vec::new(),
        spans,
    }
}

/// A heading's words, not a sentence: short, and not ending like one.
fn looks_like_title(text: &str) -> bool {
    let text = text.trim();
    !text.is_empty()
        && text.chars().count() <= 200
        && !text.ends_with(['.', ';', ','])
        && !text.ends_with("./.")
}

/// Splits a numbered node's content into title and text. `4. Sở Kế hoạch và Đầu tư: Phối
/// hợp ...` has the title `Sở Kế hoạch và Đầu tư`; `1. Mục tiêu` is all title; a sentence is
/// all text. Returns (title, text, byte offset of text in `rest`).
fn split_title(kind: NodeKind, rest: &str) -> (&str, &str, usize) {
    let headed = matches!(
        kind,
        NodeKind::Part
            | NodeKind::Chapter
            | NodeKind::Division
            | NodeKind::Article
            | NodeKind::Section
    );
    if !headed {
        return ("", rest, 0);
    }
    if let Some(colon) = rest.find(':') {
        let head = rest[..colon].trim();
        let tail = &rest[colon + 1..];
        let tail_start = colon + 1 + (tail.len() - tail.trim_start().len());
        if !head.is_empty()
            && head.chars().count() <= 100
            && !head.contains(". ")
            && !tail.trim().is_empty()
            && !head.contains('(')
        {
            return (head, rest[tail_start..].trim_end(), tail_start);
        }
    }
    if looks_like_title(rest) {
        return (rest.trim(), "", rest.len());
    }
    ("", rest, 0)
}

type Enumerated = (String, Vec<(String, String, String, Vec<Span>)>);

/// Enumerations written inside a node's text (`Chỉ đạo lực lượng Công an: (1) Tiếp tục ...
/// (2) Triển khai ...`): the text before `(1)` and each item with its label, number, text and
/// spans. Only a run that starts at (1) and counts up is taken as an enumeration.
fn split_enumerations(node: &Node) -> Option<Enumerated> {
    static PATTERN: OnceLock<Regex> = OnceLock::new();
    let pattern =
        PATTERN.get_or_init(|| Regex::new(r"(?:^|\s)\((\d{1,2})\)\s").expect("pattern compiles"));
    if node.text.is_empty() || node.kind == NodeKind::Item {
        return None;
    }
    let text_offset = if node.title.is_empty() {
        0
    } else {
        node.title.len() + 1
    };
    let mut starts = Vec::new();
    let mut expected = 1;
    for caps in pattern.captures_iter(&node.text) {
        let number: usize = caps[1].parse().ok()?;
        if number == expected {
            let whole = caps.get(0)?;
            let open_paren = whole.start() + whole.as_str().find('(')?;
            starts.push((open_paren, whole.end(), number));
            expected += 1;
        }
    }
    if starts.len() < 2 {
        return None;
    }
    let head = node.text[..starts[0].0].trim_end().to_string();
    let items = starts
        .iter()
        .enumerate()
        .map(|(i, &(label_start, content_start, number))| {
            let end = starts.get(i + 1).map_or(node.text.len(), |next| next.0);
            let text = node.text[content_start..end].trim_end().to_string();
            let (line, column) = node.position_at(text_offset + content_start);
            let spans = node
                .spans
                .iter()
                .filter(|s| s.offset > text_offset + content_start && s.offset < text_offset + end)
                .map(|s| Span::new(s.offset - text_offset - content_start, s.line, s.column));
            let spans = std::iter::once(Span::new(0, line, column))
                .chain(spans)
                .collect();
            (
                node.text[label_start..content_start].trim().to_string(),
                number.to_string(),
                text,
                spans,
            )
        })
        .collect();
    Some((head, items))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lexicon::Lexicon;
    use crate::normalise::{normalise, NormaliseRules};
    use crate::record::walk_all;
    use crate::rules::RuleSource;

    fn tree(source: &str) -> (Vec<Node>, Vec<Diagnostic>) {
        let rules = NormaliseRules::load(&RuleSource::built_in()).unwrap();
        let paragraphs =
            crate::lines::segment(&normalise(source, &rules), &Lexicon::built_in().unwrap());
        let mut builder = TreeBuilder::default();
        builder.body(&paragraphs);
        builder.finish()
    }

    /// The (line, column) an editor shows for the first `word` in `source`.
    fn editor(source: &str, word: &str) -> (u32, u32) {
        let (index, line) = source
            .split('\n')
            .enumerate()
            .find(|(_, l)| l.contains(word))
            .unwrap();
        let column = line[..line.find(word).unwrap()].chars().count() as u32 + 1;
        (index as u32 + 1, column)
    }

    /// Where the node holding `word` says it stands.
    fn node_position(nodes: &[Node], word: &str) -> (u32, u32) {
        let node = walk_all(nodes)
            .into_iter()
            .rev()
            .find(|n| n.content().contains(word))
            .unwrap();
        node.position_at(node.content().find(word).unwrap())
    }

    #[test]
    fn a_node_s_text_starts_past_its_marker_where_it_is_written() {
        let source = "Căn cứ Luật.\n\n1. Sở Kế hoạch và Đầu tư: Phối hợp với các sở\n\n   a) **Sở Y tế** chủ trì, thực hiện các nhiệm vụ được giao\n      theo Quyết định số 12/QĐ-UBND\n\n- Cục Thuế: (1) Rà soát hồ sơ; (2) Báo cáo kết quả";
        let (nodes, _) = tree(source);
        for word in [
            "Sở Kế",
            "Phối",
            "Sở Y",
            "chủ trì",
            "theo",
            "12/QĐ",
            "Rà soát",
            "Báo cáo",
        ] {
            assert_eq!(node_position(&nodes, word), editor(source, word), "{word}");
        }
    }

    #[test]
    fn a_skipped_clause_points_at_its_marker() {
        let source = "1. Nhiệm vụ\n\n  a) Rà soát\n\n  c) Báo cáo";
        let (_, diagnostics) = tree(source);
        let skipped = diagnostics
            .iter()
            .find(|d| d.code == "clause-skipped")
            .unwrap();
        assert_eq!((skipped.line, skipped.column), editor(source, "c)"));
    }
}
