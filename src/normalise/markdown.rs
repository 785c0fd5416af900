//! Markdown to plain text, line by line, with pulldown-cmark.
//!
//! Inputs exported from OCR and portals are markdown: emphasis (`**1790**`, bold split over
//! lines), headings, list markers, setext underlines and thematic breaks. The text of each
//! input line is kept on that line so every later stage can name the original line.

use pulldown_cmark::{Event, Options, Parser, Tag};

/// The plain text of one input line, and where its pieces stand in that line.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PlainLine {
    pub text: String,
    /// (byte offset in `text`, 1-based character column in the source line) of each piece
    /// markdown kept: the text between the markup it removed (`**`, `#`, `> `, indentation).
    pieces: Vec<(usize, u32)>,
}

impl PlainLine {
    /// The source column of every character of `text`, and one more for its end.
    pub fn char_columns(&self) -> Vec<u32> {
        let mut columns = Vec::with_capacity(self.text.len() + 1);
        let mut pieces = self.pieces.iter().peekable();
        let mut column = 1;
        for (offset, _) in self.text.char_indices() {
            if let Some(&(_, start)) = pieces.next_if(|&&(at, _)| at <= offset) {
                column = start;
            }
            columns.push(column);
            column += 1;
        }
        columns.push(column);
        columns
    }

    /// Whether every character stands where the one before it ends (no markup between).
    pub fn is_contiguous(&self) -> bool {
        self.pieces.len() <= 1
    }

    fn push(&mut self, text: &str, column: u32) {
        if text.is_empty() {
            return;
        }
        self.pieces.push((self.text.len(), column));
        self.text.push_str(text);
    }
}

/// The plain text of each input line (index 0 is line 1).
pub fn to_plain_lines(source: &str) -> Vec<PlainLine> {
    let line_starts = line_starts(source);
    let mut lines = vec![PlainLine::default(); line_starts.len()];
    let mut columns = Columns::new(source, &line_starts);
    let parser = Parser::new_ext(source, Options::empty()).into_offset_iter();
    for (event, range) in parser {
        match event {
            Event::Text(text) | Event::Code(text) | Event::Html(text) | Event::InlineHtml(text) => {
                place_text(&mut lines, &mut columns, range.start, &text);
            }
            Event::Start(Tag::Item) => {
                let item = &source[range.start..];
                let (marker, skipped) = list_marker(item);
                let (line, column) = columns.of(range.start + skipped);
                lines[line].push(&marker, column);
                lines[line].text.push(' ');
            }
            _ => {}
        }
    }
    lines
}

/// Byte offset where each line starts.
fn line_starts(source: &str) -> Vec<usize> {
    let mut starts = vec![0];
    starts.extend(source.match_indices('\n').map(|(i, _)| i + 1));
    if starts.len() > 1 && *starts.last().unwrap_or(&0) == source.len() {
        starts.pop();
    }
    starts
}

fn line_of(line_starts: &[usize], offset: usize) -> usize {
    line_starts
        .partition_point(|&start| start <= offset)
        .saturating_sub(1)
}

/// Turns source byte offsets into (line index, 1-based character column). Events come in
/// source order, so counting resumes from the last offset asked on the same line: a long
/// line with many pieces is counted once, not once per piece.
struct Columns<'a> {
    source: &'a str,
    line_starts: &'a [usize],
    /// The last (line, byte offset, column) answered.
    last: (usize, usize, u32),
}

impl<'a> Columns<'a> {
    fn new(source: &'a str, line_starts: &'a [usize]) -> Self {
        Columns {
            source,
            line_starts,
            last: (0, 0, 1),
        }
    }

    fn of(&mut self, offset: usize) -> (usize, u32) {
        let line = line_of(self.line_starts, offset);
        let (last_line, last_offset, last_column) = self.last;
        let (from, column) = if last_line == line && last_offset <= offset {
            (last_offset, last_column)
        } else {
            (self.line_starts[line], 1)
        };
        let column = column
            + self
                .source
                .get(from..offset)
                .map_or(0, |s| s.chars().count() as u32);
        self.last = (line, offset, column);
        (line, column)
    }
}

/// Text that spans several lines (code blocks, HTML blocks) is spread over them; each later
/// piece starts its line, at the column after that line's indentation.
fn place_text(lines: &mut [PlainLine], columns: &mut Columns, offset: usize, text: &str) {
    let (mut line, column) = columns.of(offset);
    for (i, piece) in text.split('\n').enumerate() {
        let column = match i {
            0 => column,
            _ => {
                line += 1;
                let start = columns.line_starts.get(line).copied().unwrap_or(0);
                let source_line = columns.source.get(start..).unwrap_or("");
                1 + indentation(source_line).saturating_sub(indentation(piece))
            }
        };
        if let Some(target) = lines.get_mut(line) {
            target.push(piece, column);
        }
    }
}

/// The spaces and tabs a line starts with.
fn indentation(line: &str) -> u32 {
    line.chars().take_while(|&c| c == ' ' || c == '\t').count() as u32
}

/// The list marker at the start of an item, as written: `-`, `+`, `1.`, `2)`; `*` becomes `•`.
/// Also the bytes of the item's source before the marker (indentation, `>`).
fn list_marker(item_source: &str) -> (String, usize) {
    let trimmed = item_source.trim_start_matches([' ', '\t', '>']);
    let skipped = item_source.len() - trimmed.len();
    let marker: String = trimmed.chars().take_while(|c| c.is_ascii_digit()).collect();
    if !marker.is_empty() {
        let delimiter = trimmed[marker.len()..].chars().next().unwrap_or('.');
        return (format!("{marker}{delimiter}"), skipped);
    }
    let marker = match trimmed.chars().next() {
        Some('*') => "•".to_string(),
        Some(c) => c.to_string(),
        None => "-".to_string(),
    };
    (marker, skipped)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(source: &str) -> Vec<String> {
        to_plain_lines(source).into_iter().map(|l| l.text).collect()
    }

    /// The source column `to_plain_lines` gives the first character of `word` on `line`.
    fn column_of(source: &str, line: usize, word: &str) -> u32 {
        let plain = &to_plain_lines(source)[line];
        let chars = plain.text[..plain.text.find(word).unwrap()].chars().count();
        plain.char_columns()[chars]
    }

    /// Where `word` stands in the source line, as an editor counts it.
    fn expected(source: &str, line: usize, word: &str) -> u32 {
        let text = source.lines().nth(line).unwrap();
        text[..text.find(word).unwrap()].chars().count() as u32 + 1
    }

    #[test]
    fn columns_skip_markup() {
        for (source, line, word) in [
            ("# Điều 1. Phạm vi", 0, "Phạm"),
            ("Số: **1790** /CV-BCĐ", 0, "/CV"),
            ("Số: **1790** /CV-BCĐ", 0, "1790"),
            ("- Duy trì chế độ", 0, "Duy"),
            ("x\n\n   - Sở Y tế phối hợp", 2, "Sở"),
            ("* Bộ Công an", 0, "Bộ"),
            ("> trích dẫn **Bộ Y tế**", 0, "Bộ"),
            ("| **TT** | Nội dung    | Sở Tài chính |", 0, "Sở"),
            ("ngày **24** tháng ** 11** năm", 0, "năm"),
        ] {
            assert_eq!(
                column_of(source, line, word),
                expected(source, line, word),
                "{source}"
            );
        }
    }

    #[test]
    fn a_marker_stands_where_it_is_written() {
        let plain = &to_plain_lines("  1. Về phòng")[0];
        assert_eq!(plain.text, "1. Về phòng");
        assert_eq!(plain.char_columns()[0], 3);
    }

    #[test]
    fn emphasis_is_removed_and_lines_kept() {
        let lines = texts("Số: **1790** /CV-BCĐ\n\nHà Nội, ngày **13** tháng **5** năm 2020");
        assert_eq!(lines[0], "Số: 1790 /CV-BCĐ");
        assert_eq!(lines[2], "Hà Nội, ngày 13 tháng 5 năm 2020");
    }

    #[test]
    fn bold_split_over_lines() {
        let lines = texts("**CỘNG HÒA XÃ\nHỘI CHỦ NGHĨA VIỆT NAM**\nĐộc lập");
        assert_eq!(
            lines,
            vec!["CỘNG HÒA XÃ", "HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập"]
        );
    }

    #[test]
    fn list_markers_are_kept() {
        let lines = texts("1. Về phòng, chống\n\n- Duy trì\n+ Mở rộng\n* Khác");
        assert_eq!(lines[0], "1. Về phòng, chống");
        assert_eq!(lines[2], "- Duy trì");
        assert_eq!(lines[3], "+ Mở rộng");
        assert_eq!(lines[4], "• Khác");
    }

    #[test]
    fn setext_underline_and_rules_vanish() {
        let lines = texts("THÀNH PHỐ HỒ CHÍ MINH\n--------\n\n---------------");
        assert_eq!(lines[0], "THÀNH PHỐ HỒ CHÍ MINH");
        assert_eq!(lines[1], "");
        assert_eq!(lines[3], "");
    }

    #[test]
    fn unpaired_bold_is_left_for_the_cleaner() {
        let lines = texts("**Điều 1. **Ban\nhành kèm theo");
        assert_eq!(lines[0], "**Điều 1. **Ban");
        assert_eq!(lines[1], "hành kèm theo");
    }
}
