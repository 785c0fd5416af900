//! Web pages (`.html`, `.htm`), as saved from a portal: block elements (paragraphs, headings,
//! list items, divisions) and table rows become blocks, each on its lines with a blank line
//! after it; a row is written as `|` frames around its cells, each cell's paragraphs on lines
//! of their own, as the portals' markdown exports have them. Scripts, styles, forms' controls
//! and navigation (`nav`, `role="navigation"`) are dropped. A table that holds another table
//! is a page layout, not data: its cells are read as blocks of their own.
//!
//! The layout readers then run on the text, so a Thư viện Pháp luật page is recognised as in
//! its markdown export. Lines of the record are block numbers (from 1, a table row is one),
//! as for Word files: an HTML file's own lines say nothing about where a paragraph is.

use ego_tree::NodeRef;
use scraper::{Html, Node};

use super::{Block, Extracted, LineTrim};

pub const LAYOUT: &str = "html";

/// Deeper than this, elements are read as inline text: no stack is exhausted by a hostile page.
const MAX_DEPTH: usize = 200;

/// Elements whose content is never the document's.
const DROPPED: &[&str] = &[
    "script", "style", "noscript", "template", "head", "nav", "iframe", "svg", "canvas", "button",
    "select", "option", "input", "textarea", "object", "embed", "audio", "video", "map",
];

/// Elements that start and end a block.
const BLOCKS: &[&str] = &[
    "p",
    "div",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "li",
    "ul",
    "ol",
    "dl",
    "dt",
    "dd",
    "blockquote",
    "section",
    "article",
    "header",
    "footer",
    "main",
    "aside",
    "pre",
    "address",
    "center",
    "figure",
    "figcaption",
    "hr",
    "form",
    "fieldset",
    "legend",
    "caption",
    "body",
    "html",
];

/// True when `bytes` start (after blanks and a byte order mark) like an HTML page.
pub fn looks_like(bytes: &[u8]) -> bool {
    let head: Vec<u8> = bytes
        .strip_prefix(b"\xef\xbb\xbf")
        .unwrap_or(bytes)
        .iter()
        .copied()
        .skip_while(u8::is_ascii_whitespace)
        .take(256)
        .collect();
    let head = String::from_utf8_lossy(&head).to_ascii_lowercase();
    head.starts_with("<!doctype html")
        || head.starts_with("<html")
        || head.starts_with("<?xml") && head.contains("<html")
}

/// The text of an HTML page.
pub fn extract(page: &str) -> Extracted {
    let html = Html::parse_document(page);
    let mut walker = Walker::default();
    walker.node(html.tree.root(), 0);
    walker.flush();
    Extracted::from_blocks(&walker.blocks, LineTrim::Both)
}

/// Walks the tree, gathering inline text into the current block.
#[derive(Default)]
struct Walker {
    blocks: Vec<Block>,
    current: String,
}

impl Walker {
    /// Ends the current block, if it holds text.
    fn flush(&mut self) {
        let text = std::mem::take(&mut self.current);
        let lines: Vec<&str> = text
            .split('\n')
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .collect();
        if !lines.is_empty() {
            self.blocks.push(Block::Paragraph(lines.join("\n")));
        }
    }

    fn text(&mut self, text: &str) {
        let mut space = self.current.is_empty() || self.current.ends_with([' ', '\n']);
        for c in text.chars() {
            if c.is_whitespace() {
                if !space {
                    self.current.push(' ');
                    space = true;
                }
            } else {
                self.current.push(c);
                space = false;
            }
        }
    }

    fn node(&mut self, node: NodeRef<Node>, depth: usize) {
        match node.value() {
            Node::Text(text) => self.text(text),
            Node::Element(element) => {
                let name = element.name();
                if DROPPED.contains(&name)
                    || element.attr("role") == Some("navigation")
                    || element.attr("hidden").is_some()
                {
                    return;
                }
                if depth > MAX_DEPTH {
                    for text in node
                        .descendants()
                        .filter_map(|n| n.value().as_text().map(|t| t.to_string()))
                    {
                        self.text(&text);
                    }
                    return;
                }
                match name {
                    "br" => self.current.push('\n'),
                    "table" if !holds_table(node) => {
                        self.flush();
                        self.table(node, depth);
                    }
                    "li" => {
                        self.flush();
                        let label = list_label(node);
                        self.text(&label);
                        self.children(node, depth);
                        self.flush();
                    }
                    "td" | "th" | "tr" | "table" | "tbody" | "thead" | "tfoot" => {
                        // A layout table: each cell is read as blocks.
                        self.flush();
                        self.children(node, depth);
                        self.flush();
                    }
                    _ if BLOCKS.contains(&name) => {
                        self.flush();
                        self.children(node, depth);
                        self.flush();
                    }
                    _ => self.children(node, depth),
                }
            }
            Node::Document | Node::Fragment => self.children(node, depth),
            _ => {}
        }
    }

    fn children(&mut self, node: NodeRef<Node>, depth: usize) {
        for child in node.children() {
            self.node(child, depth + 1);
        }
    }

    /// A table of data: one block per row, each cell's text as its paragraphs.
    fn table(&mut self, table: NodeRef<Node>, depth: usize) {
        let rows = table
            .descendants()
            .filter(|n| element_name(*n) == Some("tr"));
        for row in rows {
            let mut cells = Vec::new();
            for cell in row
                .children()
                .filter(|n| matches!(element_name(*n), Some("td" | "th")))
            {
                let mut inner = Walker::default();
                inner.children(cell, depth + 1);
                inner.flush();
                let paragraphs = inner
                    .blocks
                    .into_iter()
                    .filter_map(|b| match b {
                        Block::Paragraph(p) => Some(p),
                        Block::Row(_) => None,
                    })
                    .collect();
                cells.push(paragraphs);
            }
            if !cells.is_empty() {
                self.blocks.push(Block::Row(cells));
            }
        }
    }
}

fn element_name(node: NodeRef<'_, Node>) -> Option<&str> {
    node.value().as_element().map(|e| e.name())
}

/// True when a table holds another table: a page's layout rather than a table of data.
fn holds_table(table: NodeRef<Node>) -> bool {
    table
        .descendants()
        .skip(1)
        .any(|n| element_name(n) == Some("table"))
}

/// The marker a browser draws before a list item: its number in an `ol`, a dash in a `ul`.
fn list_label(item: NodeRef<Node>) -> String {
    let Some(list) = item.parent() else {
        return String::new();
    };
    match element_name(list) {
        Some("ol") => {
            let start: usize = list
                .value()
                .as_element()
                .and_then(|e| e.attr("start"))
                .and_then(|s| s.parse().ok())
                .unwrap_or(1);
            let position = item
                .prev_siblings()
                .filter(|n| element_name(*n) == Some("li"))
                .count();
            format!("{}. ", start + position)
        }
        Some("ul") => "- ".to_string(),
        _ => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blocks_and_rows_become_lines_and_the_page_chrome_is_dropped() {
        let page = "<!DOCTYPE html><html><head><title>T</title><style>p{}</style></head><body>\
            <nav><a href='/'>Trang chủ</a></nav><script>var x = 1;</script>\
            <div role='navigation'>Menu</div>\
            <p>Số: 1/KH-UBND</p><h3>I. MỤC   ĐÍCH</h3><p>Dòng một<br>dòng hai</p>\
            <table><tr><td><p>A</p><p>B</p></td><td>C</td></tr></table>\
            <ul><li>Một</li><li>Hai</li></ul></body></html>";
        let out = extract(page);
        assert_eq!(
            out.lines,
            [
                "Số: 1/KH-UBND",
                "",
                "I. MỤC ĐÍCH",
                "",
                "Dòng một",
                "dòng hai",
                "",
                "|",
                "A",
                "B",
                "|",
                "C",
                "|",
                "",
                "- Một",
                "",
                "- Hai",
                ""
            ]
        );
        assert_eq!(
            out.origin,
            [1, 1, 2, 2, 3, 3, 3, 4, 4, 4, 4, 4, 4, 4, 5, 5, 6, 6]
        );
    }

    #[test]
    fn a_layout_table_is_read_as_blocks() {
        let page = "<html><body><table><tr><td><p>Số: 1/KH-UBND</p>\
            <table><tr><td>x</td><td>y</td></tr></table></td></tr></table></body></html>";
        let out = extract(page);
        assert_eq!(
            out.lines,
            ["Số: 1/KH-UBND", "", "|", "x", "|", "y", "|", ""]
        );
    }

    #[test]
    fn pages_are_recognised_by_their_start() {
        assert!(looks_like(b"  <!DOCTYPE html><html>"));
        assert!(looks_like(b"\xef\xbb\xbf<HTML>"));
        assert!(!looks_like("Số: 1/KH-UBND".as_bytes()));
    }
}
