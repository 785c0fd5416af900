//! Word files (`.docx`): the paragraphs of `word/document.xml` in order, and its tables row by
//! row, with Word's automatic numbering rendered as the labels a reader sees (`I.`, `1.`,
//! `a)`, `-`) from `word/numbering.xml` (and the numbering a paragraph style carries, from
//! `word/styles.xml`).
//!
//! The text is the one a plain-text export of the document would be: each paragraph on its
//! line(s) with a blank line after it; a table row as `|` frames around its cells, each cell's
//! paragraphs on lines of their own, the way the corpus-ext exports write the header table.
//! Every line says which block it came from ([`Extracted::origin`]): blocks are the
//! document's paragraphs and table rows, numbered from 1, and these are the record's lines.

use std::collections::HashMap;
use std::io::{Cursor, Read as _};

use quick_xml::events::{BytesStart, Event};
use quick_xml::Reader as XmlReader;

use super::{Block, Extracted, LineTrim};
use crate::lexicon::marker::to_roman;

pub const LAYOUT: &str = "docx";

/// Parts larger than this are refused: a zip bomb would otherwise fill memory.
const MAX_PART_BYTES: u64 = 256 * 1024 * 1024;

/// True when `bytes` are a zip archive (a .docx is one).
pub fn looks_like(bytes: &[u8]) -> bool {
    bytes.starts_with(b"PK\x03\x04")
}

/// The text of a .docx file, or why it cannot be read.
pub fn extract(bytes: &[u8]) -> Result<Extracted, String> {
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes))
        .map_err(|e| format!("not a Word file (.docx): {e}"))?;
    let document = part(&mut archive, "word/document.xml")?
        .ok_or("not a Word file (.docx): it has no word/document.xml")?;
    let mut numbering = match part(&mut archive, "word/numbering.xml")? {
        Some(xml) => Numbering::parse(&xml),
        None => Numbering::default(),
    };
    if let Some(xml) = part(&mut archive, "word/styles.xml")? {
        numbering.styles = style_numbering(&xml);
    }
    let blocks = body_blocks(&document, &mut numbering)?;
    Ok(Extracted::from_blocks(&blocks, LineTrim::End))
}

/// One part of the archive as text, `None` when absent.
fn part(
    archive: &mut zip::ZipArchive<Cursor<&[u8]>>,
    name: &str,
) -> Result<Option<String>, String> {
    let file = match archive.by_name(name) {
        Ok(file) => file,
        Err(zip::result::ZipError::FileNotFound) => return Ok(None),
        Err(e) => return Err(format!("damaged Word file (.docx): {name}: {e}")),
    };
    let mut text = String::new();
    file.take(MAX_PART_BYTES)
        .read_to_string(&mut text)
        .map_err(|e| format!("damaged Word file (.docx): {name}: {e}"))?;
    Ok(Some(text))
}

/// How one level of a list is numbered.
#[derive(Debug, Clone, Default)]
struct Level {
    start: u32,
    format: String,
    text: String,
}

/// `numbering.xml`: the abstract lists and the list instances paragraphs point to, with the
/// counters as the document is read.
#[derive(Debug, Default)]
struct Numbering {
    abstracts: HashMap<String, HashMap<u8, Level>>,
    /// numId → (abstractNumId, level → start override).
    instances: HashMap<String, (String, HashMap<u8, u32>)>,
    /// Paragraph style → (numId, level).
    styles: HashMap<String, (String, u8)>,
    /// abstractNumId → the current count at each level (0: not started).
    counters: HashMap<String, [u32; 10]>,
    /// numIds whose start overrides have been applied.
    started: Vec<String>,
}

fn attr(element: &BytesStart, name: &str) -> Option<String> {
    element
        .attributes()
        .flatten()
        .find(|a| a.key.into_inner() == name)
        .map(|a| {
            let raw = a.value.to_string();
            quick_xml::escape::unescape(&raw).map_or(raw.clone(), |v| v.into_owned())
        })
}

impl Numbering {
    fn parse(xml: &str) -> Numbering {
        let mut numbering = Numbering::default();
        let mut reader = XmlReader::from_str(xml);
        let (mut abstract_id, mut num_id, mut level): (Option<String>, Option<String>, u8) =
            (None, None, 0);
        let mut override_level: Option<u8> = None;
        while let Ok(event) = reader.read_event() {
            let (element, end) = match &event {
                Event::Start(e) | Event::Empty(e) => (e, false),
                Event::End(e) => {
                    match e.name().into_inner() {
                        "w:abstractNum" => abstract_id = None,
                        "w:num" => num_id = None,
                        "w:lvlOverride" => override_level = None,
                        _ => {}
                    }
                    continue;
                }
                Event::Eof => break,
                _ => continue,
            };
            debug_assert!(!end);
            let value = || attr(element, "w:val").unwrap_or_default();
            match element.name().into_inner() {
                "w:abstractNum" => abstract_id = attr(element, "w:abstractNumId"),
                "w:lvl" => {
                    level = attr(element, "w:ilvl")
                        .and_then(|v| v.parse().ok())
                        .unwrap_or(0)
                }
                "w:start" | "w:numFmt" | "w:lvlText" if abstract_id.is_some() => {
                    let id = abstract_id.clone().unwrap_or_default();
                    let entry = numbering.abstracts.entry(id).or_default();
                    let lvl = entry.entry(level).or_insert_with(|| Level {
                        start: 1,
                        ..Level::default()
                    });
                    match element.name().into_inner() {
                        "w:start" => lvl.start = value().parse().unwrap_or(1),
                        "w:numFmt" => lvl.format = value(),
                        _ => lvl.text = value(),
                    }
                }
                "w:num" => num_id = attr(element, "w:numId"),
                "w:abstractNumId" => {
                    if let Some(id) = &num_id {
                        numbering
                            .instances
                            .insert(id.clone(), (value(), HashMap::new()));
                    }
                }
                "w:lvlOverride" => {
                    override_level = attr(element, "w:ilvl").and_then(|v| v.parse().ok());
                }
                "w:startOverride" => {
                    if let (Some(id), Some(lvl)) = (&num_id, override_level) {
                        if let Some((_, overrides)) = numbering.instances.get_mut(id) {
                            overrides.insert(lvl, value().parse().unwrap_or(1));
                        }
                    }
                }
                _ => {}
            }
        }
        numbering
    }

    /// The label of the next paragraph of list `num_id` at `level`, counting it.
    fn label(&mut self, num_id: &str, level: u8) -> String {
        let Some((abstract_id, overrides)) = self.instances.get(num_id).cloned() else {
            return String::new();
        };
        let Some(levels) = self.abstracts.get(&abstract_id) else {
            return String::new();
        };
        let level = level.min(9);
        let counters = self.counters.entry(abstract_id.clone()).or_insert([0; 10]);
        if !self.started.iter().any(|s| s == num_id) {
            self.started.push(num_id.to_string());
            for (&lvl, &start) in &overrides {
                if let Some(c) = counters.get_mut(lvl as usize) {
                    *c = start.saturating_sub(1);
                }
            }
        }
        let start = |l: u8| levels.get(&l).map_or(1, |x| x.start);
        let current = &mut counters[level as usize];
        *current = if *current == 0 {
            start(level)
        } else {
            *current + 1
        };
        for deeper in counters.iter_mut().skip(level as usize + 1) {
            *deeper = 0;
        }
        let counters = *counters;
        let Some(this) = levels.get(&level) else {
            return String::new();
        };
        if this.format == "bullet" {
            return bullet(&this.text);
        }
        if this.format == "none" {
            return this.text.clone();
        }
        let mut label = this.text.clone();
        for l in (0..=level).rev() {
            let placeholder = format!("%{}", l + 1);
            if label.contains(&placeholder) {
                let count = counters[l as usize].max(start(l));
                let format = levels.get(&l).map_or("decimal", |x| x.format.as_str());
                label = label.replace(&placeholder, &number(count, format));
            }
        }
        label
    }
}

/// A bullet's label as typed: Word's symbol-font bullets (private-use characters) and its
/// round bullets are `•`, dashes are `-`, `+` stays.
fn bullet(text: &str) -> String {
    match text.trim() {
        "-" | "–" | "—" | "−" => "-".to_string(),
        "+" => "+".to_string(),
        "" => String::new(),
        _ => "•".to_string(),
    }
}

/// A counter in a numbering format.
fn number(n: u32, format: &str) -> String {
    match format {
        "upperRoman" => to_roman(n),
        "lowerRoman" => to_roman(n).to_lowercase(),
        "upperLetter" => letter(n).to_uppercase(),
        "lowerLetter" => letter(n),
        "decimalZero" => format!("{n:02}"),
        _ => n.to_string(),
    }
}

/// Word's letters: a … z, then aa … zz.
fn letter(n: u32) -> String {
    if n == 0 {
        return String::new();
    }
    let c = char::from(b'a' + ((n - 1) % 26) as u8);
    std::iter::repeat_n(c, (n as usize - 1) / 26 + 1).collect()
}

/// `styles.xml`: the paragraph styles that carry numbering (Word's `List Number`, headings
/// linked to a list), as style id → (numId, level).
fn style_numbering(xml: &str) -> HashMap<String, (String, u8)> {
    let mut styles = HashMap::new();
    let mut reader = XmlReader::from_str(xml);
    let mut style: Option<String> = None;
    let mut num: Option<(String, u8)> = None;
    while let Ok(event) = reader.read_event() {
        match &event {
            Event::Start(e) | Event::Empty(e) => match e.name().into_inner() {
                "w:style" => style = attr(e, "w:styleId"),
                "w:numId" => {
                    let id = attr(e, "w:val").unwrap_or_default();
                    num = Some((id, num.map_or(0, |n| n.1)));
                }
                "w:ilvl" => {
                    let level = attr(e, "w:val").and_then(|v| v.parse().ok()).unwrap_or(0);
                    num = Some((num.map(|n| n.0).unwrap_or_default(), level));
                }
                _ => {}
            },
            Event::End(e) if e.name().into_inner() == "w:style" => {
                if let (Some(id), Some(n)) = (style.take(), num.take()) {
                    if !n.0.is_empty() && n.0 != "0" {
                        styles.insert(id, n);
                    }
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    styles
}

/// A paragraph being read: its text, its numbering and its style.
#[derive(Default)]
struct Paragraph {
    text: String,
    num_id: Option<String>,
    level: Option<u8>,
    style: Option<String>,
}

/// Where the body reader stands.
#[derive(Default)]
struct Body {
    blocks: Vec<Block>,
    paragraphs: Vec<Paragraph>,
    /// The open tables: the rows' cells being filled, innermost last.
    tables: Vec<Vec<Vec<String>>>,
    in_text: bool,
    /// Depth inside content that repeats other content (`mc:Fallback`) or is not text.
    skipping: usize,
}

/// The document's blocks in order.
fn body_blocks(xml: &str, numbering: &mut Numbering) -> Result<Vec<Block>, String> {
    let mut reader = XmlReader::from_str(xml);
    let mut body = Body::default();
    loop {
        let event = reader
            .read_event()
            .map_err(|e| format!("damaged Word file (.docx): word/document.xml: {e}"))?;
        match event {
            Event::Start(e) => body.start(&e, false),
            Event::Empty(e) => body.start(&e, true),
            Event::End(e) => body.end(e.name().into_inner(), numbering),
            Event::Text(t) if body.in_text && body.skipping == 0 => {
                let text = t.xml10_content();
                if let Some(p) = body.paragraphs.last_mut() {
                    p.text.push_str(&text);
                }
            }
            Event::GeneralRef(r) if body.in_text && body.skipping == 0 => {
                let text = match r.as_ref() {
                    "amp" => "&".to_string(),
                    "lt" => "<".to_string(),
                    "gt" => ">".to_string(),
                    "quot" => "\"".to_string(),
                    "apos" => "'".to_string(),
                    _ => r
                        .resolve_char_ref()
                        .ok()
                        .flatten()
                        .map(String::from)
                        .unwrap_or_default(),
                };
                if let Some(p) = body.paragraphs.last_mut() {
                    p.text.push_str(&text);
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    Ok(body.blocks)
}

impl Body {
    fn start(&mut self, e: &BytesStart, empty: bool) {
        let name = e.name().into_inner();
        if self.skipping > 0 {
            if !empty {
                self.skipping += 1;
            }
            return;
        }
        let paragraph = self.paragraphs.last_mut();
        match name {
            "mc:Fallback" | "w:del" | "w:instrText" if !empty => self.skipping = 1,
            "w:p" if !empty => self.paragraphs.push(Paragraph::default()),
            "w:p" => self.finish_paragraph(Paragraph::default(), &mut Numbering::default()),
            "w:tbl" if !empty => self.tables.push(Vec::new()),
            "w:tr" if !empty => {
                if let Some(table) = self.tables.last_mut() {
                    table.clear();
                }
            }
            "w:tc" if !empty => {
                if let Some(table) = self.tables.last_mut() {
                    table.push(Vec::new());
                }
            }
            "w:t" if !empty => self.in_text = true,
            "w:tab" | "w:ptab" => push(paragraph, " "),
            "w:br" | "w:cr" => push(paragraph, "\n"),
            "w:noBreakHyphen" => push(paragraph, "-"),
            "w:numId" => {
                if let Some(p) = paragraph {
                    p.num_id = attr(e, "w:val");
                }
            }
            "w:ilvl" => {
                if let Some(p) = paragraph {
                    p.level = attr(e, "w:val").and_then(|v| v.parse().ok());
                }
            }
            "w:pStyle" => {
                if let Some(p) = paragraph {
                    p.style = attr(e, "w:val");
                }
            }
            _ => {}
        }
    }

    fn end(&mut self, name: &str, numbering: &mut Numbering) {
        if self.skipping > 0 {
            self.skipping -= 1;
            return;
        }
        match name {
            "w:t" => self.in_text = false,
            "w:p" => {
                if let Some(paragraph) = self.paragraphs.pop() {
                    self.finish_paragraph(paragraph, numbering);
                }
            }
            "w:tr" => {
                let depth = self.tables.len();
                if let Some(table) = self.tables.last_mut() {
                    let cells = std::mem::take(table);
                    if depth == 1 {
                        self.blocks.push(Block::Row(cells));
                    } else {
                        // A table inside a cell: its row becomes a paragraph of that cell.
                        let row = cells
                            .iter()
                            .map(|c| c.join(" "))
                            .collect::<Vec<_>>()
                            .join(" | ");
                        if let Some(cell) = self.tables[depth - 2].last_mut() {
                            cell.push(row);
                        }
                    }
                }
            }
            "w:tbl" => {
                self.tables.pop();
            }
            _ => {}
        }
    }

    /// A paragraph ends: its label and text go to the open cell, or become a block.
    fn finish_paragraph(&mut self, paragraph: Paragraph, numbering: &mut Numbering) {
        let styled = paragraph
            .style
            .as_ref()
            .and_then(|s| numbering.styles.get(s).cloned());
        let num = match (&paragraph.num_id, styled) {
            (Some(id), style) => Some((
                id.clone(),
                paragraph.level.or(style.map(|s| s.1)).unwrap_or(0),
            )),
            (None, Some((id, level))) => Some((id, paragraph.level.unwrap_or(level))),
            (None, None) => None,
        };
        let text = paragraph.text.replace('\u{a0}', " ");
        let label = match num {
            Some((id, level)) if id != "0" && !text.trim().is_empty() => {
                numbering.label(&id, level)
            }
            _ => String::new(),
        };
        let text = if label.is_empty() {
            text
        } else {
            format!("{label} {}", text.trim_start())
        };
        match self.tables.last_mut().and_then(|t| t.last_mut()) {
            Some(cell) => cell.push(text),
            None => self.blocks.push(Block::Paragraph(text)),
        }
    }
}

fn push(paragraph: Option<&mut Paragraph>, text: &str) {
    if let Some(p) = paragraph {
        p.text.push_str(text);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const NUMBERING: &str = r#"<w:numbering xmlns:w="w">
      <w:abstractNum w:abstractNumId="1">
        <w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="upperRoman"/><w:lvlText w:val="%1."/></w:lvl>
        <w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%2."/></w:lvl>
        <w:lvl w:ilvl="2"><w:start w:val="1"/><w:numFmt w:val="lowerLetter"/><w:lvlText w:val="%3)"/></w:lvl>
        <w:lvl w:ilvl="3"><w:start w:val="1"/><w:numFmt w:val="bullet"/><w:lvlText w:val="&#61485;"/></w:lvl>
      </w:abstractNum>
      <w:num w:numId="7"><w:abstractNumId w:val="1"/></w:num>
    </w:numbering>"#;

    fn paragraph(level: Option<u8>, text: &str) -> String {
        let num = level.map_or(String::new(), |l| {
            format!(
                r#"<w:pPr><w:numPr><w:ilvl w:val="{l}"/><w:numId w:val="7"/></w:numPr></w:pPr>"#
            )
        });
        format!("<w:p>{num}<w:r><w:t>{text}</w:t></w:r></w:p>")
    }

    fn blocks(body: &str) -> Vec<Block> {
        let xml = format!(r#"<w:document xmlns:w="w"><w:body>{body}</w:body></w:document>"#);
        body_blocks(&xml, &mut Numbering::parse(NUMBERING)).unwrap()
    }

    #[test]
    fn automatic_numbering_becomes_the_labels_a_reader_sees() {
        let body = [
            paragraph(Some(0), "MỤC ĐÍCH"),
            paragraph(Some(1), "Mục đích"),
            paragraph(Some(2), "Tuyên truyền"),
            paragraph(Some(2), "Tiêm chủng"),
            paragraph(Some(3), "Rà soát"),
            paragraph(Some(1), "Yêu cầu"),
            paragraph(Some(0), "NHIỆM VỤ"),
            paragraph(Some(1), "Sở Y tế"),
            paragraph(None, "Văn bản &amp; ghi chú"),
        ]
        .concat();
        let texts: Vec<String> = blocks(&body)
            .into_iter()
            .map(|b| match b {
                Block::Paragraph(p) => p,
                Block::Row(_) => panic!("no table"),
            })
            .collect();
        assert_eq!(
            texts,
            [
                "I. MỤC ĐÍCH",
                "1. Mục đích",
                "a) Tuyên truyền",
                "b) Tiêm chủng",
                "• Rà soát",
                "2. Yêu cầu",
                "II. NHIỆM VỤ",
                "1. Sở Y tế",
                "Văn bản & ghi chú"
            ]
        );
    }

    #[test]
    fn a_table_row_is_one_block_with_its_cells_framed() {
        let body = format!(
            "{}<w:tbl><w:tr><w:tc>{}{}</w:tc><w:tc>{}</w:tc></w:tr><w:tr><w:tc>{}</w:tc></w:tr></w:tbl>{}",
            paragraph(None, "Trước"),
            paragraph(None, "ỦY BAN NHÂN DÂN"),
            paragraph(None, "THÀNH PHỐ HÀ NỘI"),
            paragraph(None, "CỘNG HÒA"),
            paragraph(None, "Số: 1/KH-UBND"),
            paragraph(None, "Sau"),
        );
        let out = Extracted::from_blocks(&blocks(&body), LineTrim::End);
        assert_eq!(
            out.lines,
            [
                "Trước",
                "",
                "|",
                "ỦY BAN NHÂN DÂN",
                "THÀNH PHỐ HÀ NỘI",
                "|",
                "CỘNG HÒA",
                "|",
                "",
                "|",
                "Số: 1/KH-UBND",
                "|",
                "",
                "Sau",
                ""
            ]
        );
        assert_eq!(out.origin, [1, 1, 2, 2, 2, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4]);
    }

    #[test]
    fn counters_in_every_format() {
        assert_eq!(number(4, "upperRoman"), "IV");
        assert_eq!(number(14, "lowerRoman"), "xiv");
        assert_eq!(number(27, "lowerLetter"), "aa");
        assert_eq!(number(3, "upperLetter"), "C");
        assert_eq!(number(7, "decimalZero"), "07");
        assert_eq!(bullet("\u{f0b7}"), "•");
        assert_eq!(bullet("–"), "-");
    }

    #[test]
    fn a_zip_without_a_document_is_refused() {
        assert!(extract(b"PK\x03\x04 not really").is_err());
    }
}
