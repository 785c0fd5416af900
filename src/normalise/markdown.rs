//! Markdown to plain text, line by line, with pulldown-cmark.
//!
//! Inputs exported from OCR and portals are markdown: emphasis (`**1790**`, bold split over
//! lines), headings, list markers, setext underlines and thematic breaks. The text of each
//! input line is kept on that line so every later stage can name the original line.

use pulldown_cmark::{Event, Options, Parser, Tag};

/// The plain text of each input line (index 0 is line 1).
pub fn to_plain_lines(source: &str) -> Vec<String> {
    let line_starts = line_starts(source);
    let mut lines = vec![String::new(); line_starts.len()];
    let parser = Parser::new_ext(source, Options::empty()).into_offset_iter();
    for (event, range) in parser {
        match event {
            Event::Text(text) | Event::Code(text) | Event::Html(text) | Event::InlineHtml(text) => {
                place_text(&mut lines, &line_starts, range.start, &text);
            }
            Event::Start(Tag::Item) => {
                let line = line_of(&line_starts, range.start);
                let marker = list_marker(&source[range.start..]);
                lines[line].push_str(&marker);
                lines[line].push(' ');
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

/// Text that spans several lines (code blocks, HTML blocks) is spread over them.
fn place_text(lines: &mut [String], line_starts: &[usize], offset: usize, text: &str) {
    let mut line = line_of(line_starts, offset);
    for (i, piece) in text.split('\n').enumerate() {
        if i > 0 {
            line += 1;
        }
        if let Some(target) = lines.get_mut(line) {
            target.push_str(piece);
        }
    }
}

/// The list marker at the start of an item, as written: `-`, `+`, `1.`, `2)`; `*` becomes `•`.
fn list_marker(item_source: &str) -> String {
    let trimmed = item_source.trim_start_matches([' ', '\t', '>']);
    let marker: String = trimmed.chars().take_while(|c| c.is_ascii_digit()).collect();
    if !marker.is_empty() {
        let delimiter = trimmed[marker.len()..].chars().next().unwrap_or('.');
        return format!("{marker}{delimiter}");
    }
    match trimmed.chars().next() {
        Some('*') => "•".to_string(),
        Some(c) => c.to_string(),
        None => "-".to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emphasis_is_removed_and_lines_kept() {
        let lines =
            to_plain_lines("Số: **1790** /CV-BCĐ\n\nHà Nội, ngày **13** tháng **5** năm 2020");
        assert_eq!(lines[0], "Số: 1790 /CV-BCĐ");
        assert_eq!(lines[2], "Hà Nội, ngày 13 tháng 5 năm 2020");
    }

    #[test]
    fn bold_split_over_lines() {
        let lines = to_plain_lines("**CỘNG HÒA XÃ\nHỘI CHỦ NGHĨA VIỆT NAM**\nĐộc lập");
        assert_eq!(
            lines,
            vec!["CỘNG HÒA XÃ", "HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập"]
        );
    }

    #[test]
    fn list_markers_are_kept() {
        let lines = to_plain_lines("1. Về phòng, chống\n\n- Duy trì\n+ Mở rộng\n* Khác");
        assert_eq!(lines[0], "1. Về phòng, chống");
        assert_eq!(lines[2], "- Duy trì");
        assert_eq!(lines[3], "+ Mở rộng");
        assert_eq!(lines[4], "• Khác");
    }

    #[test]
    fn setext_underline_and_rules_vanish() {
        let lines = to_plain_lines("THÀNH PHỐ HỒ CHÍ MINH\n--------\n\n---------------");
        assert_eq!(lines[0], "THÀNH PHỐ HỒ CHÍ MINH");
        assert_eq!(lines[1], "");
        assert_eq!(lines[3], "");
    }

    #[test]
    fn unpaired_bold_is_left_for_the_cleaner() {
        let lines = to_plain_lines("**Điều 1. **Ban\nhành kèm theo");
        assert_eq!(lines[0], "**Điều 1. **Ban");
        assert_eq!(lines[1], "hành kèm theo");
    }
}
