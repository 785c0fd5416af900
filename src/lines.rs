//! Stage 3: clean lines to paragraphs.
//!
//! Exported documents are hard-wrapped at about 80 columns and scans break paragraphs at page
//! ends (`cộng` / blank line / `đồng`). A paragraph here is what the author wrote as one: its
//! lines are joined with a space, except where a line opens a list item, a heading or a block
//! of the header or signature, which starts a paragraph of its own.
//!
//! One exception: in a hard-wrapped document, a line that starts with a dash right after a
//! full-width line that ends mid-sentence is the rest of that line (`kinh tế` / `- xã hội`,
//! `giai đoạn 2021` / `- 2025`), not a bullet: the wrapper only moves a word as short as `-`
//! to the next line when the line it ends is full.

use std::sync::OnceLock;

use regex::Regex;

use crate::lexicon::{Lexicon, SigningRules};
use crate::normalise::Line;
use crate::record::Span;

/// One paragraph: its lines joined, and where each came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Paragraph {
    /// The line the paragraph starts on.
    pub line: u32,
    /// The lines joined with single spaces.
    pub text: String,
    /// Each physical line's text, as it was before joining (the signature block and Nơi
    /// nhận are read line by line).
    pub lines: Vec<(u32, String)>,
    /// Offset in `text` where each physical line starts, and its input line and column; and
    /// after it, on the same line, where the column jumps (see `normalise::Line::jumps`).
    pub spans: Vec<Span>,
    /// The paragraph follows a table frame (`|`) rather than a blank line or text.
    pub after_frame: bool,
}

impl Paragraph {
    fn start(line: &Line, after_frame: bool) -> Self {
        Paragraph {
            line: line.number,
            text: line.text.clone(),
            lines: vec![(line.number, line.text.clone())],
            spans: std::iter::once(Span::new(0, line.number, line.column))
                .chain(line.jumps.iter().map(|jump| jump.on_line(line.number)))
                .collect(),
            after_frame,
        }
    }

    fn join(&mut self, line: &Line) {
        self.text.push(' ');
        let start = self.text.len();
        self.spans.push(Span::new(start, line.number, line.column));
        self.spans.extend(
            line.jumps
                .iter()
                .map(|jump| jump.on_line(line.number).shifted(start)),
        );
        self.text.push_str(&line.text);
        self.lines.push((line.number, line.text.clone()));
    }

    /// The input line of the byte at `offset` in `text`.
    pub fn line_at(&self, offset: usize) -> u32 {
        let index = self.spans.partition_point(|span| span.offset <= offset);
        self.spans[index.saturating_sub(1)].line
    }

    /// The input line and column of the byte at `offset` in `text`.
    pub fn position_at(&self, offset: usize) -> (u32, u32) {
        crate::record::position_in(&self.text, &self.spans, offset, (self.line, 1))
    }

    /// The spans of `text[start..]`, shifted to start at 0: the first starts where the byte
    /// at `start` stands in the input.
    pub fn spans_from(&self, start: usize) -> Vec<Span> {
        let (line, column) = self.position_at(start);
        let mut spans = vec![Span::new(0, line, column)];
        spans.extend(
            self.spans
                .iter()
                .filter(|span| span.offset > start)
                .map(|span| Span::new(span.offset - start, span.line, span.column)),
        );
        spans
    }
}

/// Groups lines into paragraphs.
pub fn segment(lines: &[Line], lexicon: &Lexicon) -> Vec<Paragraph> {
    let width = wrap_width(lines);
    let mut paragraphs: Vec<Paragraph> = Vec::new();
    let mut open = false; // the last paragraph may still take lines
    let mut blank_since = false; // a blank line since the last paragraph's text
    let mut frame_since = false;
    for line in lines {
        if line.frame {
            open = false;
            frame_since = true;
            continue;
        }
        if line.text.is_empty() {
            blank_since = true;
            continue;
        }
        let wrapped = open && !blank_since && !frame_since;
        let starts_block = (opens_block(&line.text, &lexicon.signing)
            || is_bare_heading_word(&line.text))
            && !(wrapped
                && paragraphs.last().is_some_and(|last| {
                    dash_wrapped_from(last, &line.text, width) || ends_in_bare_heading_word(last)
                }))
            || opens_closing_after_sentence(paragraphs.last(), &line.text, &lexicon.signing);
        let joins = match paragraphs.last() {
            Some(last) if open && !starts_block && !frame_since => {
                !blank_since || continues_over_page_break(&last.text, &line.text)
            }
            _ => false,
        };
        match paragraphs.last_mut() {
            Some(last) if joins => last.join(line),
            _ => paragraphs.push(Paragraph::start(line, frame_since)),
        }
        open = true;
        blank_since = false;
        frame_since = false;
    }
    paragraphs
}

/// A line that starts a paragraph of its own: a list or structure marker, or a line that
/// opens a header, addressee, recipient or signature block.
fn opens_block(text: &str, signing: &SigningRules) -> bool {
    signing.opens_block(text) || opens_marked_block(text)
}

/// A list or structure marker, or the words that open a header, addressee or recipient block.
fn opens_marked_block(text: &str) -> bool {
    static PATTERN: OnceLock<Regex> = OnceLock::new();
    let pattern = PATTERN.get_or_init(|| {
        Regex::new(concat!(
            r"^(?:",
            r"[-+•–−]\s|[-+•–]\p{Lu}|[-+–]$",
            r"|\d{1,3}(?:\.\d{1,3})*[.)]\s",
            r"|[a-zđ]\)\s|\(\d{1,3}\)\s|\([a-zđ]\)\s",
            r"|[IVX]{1,6}\s*[.\-–]\s",
            r"|(?:Điều|ĐIỀU)\s+\d+[a-z]?\s*[.:]",
            r"|(?:Chương|CHƯƠNG|Phần|PHẦN|Mục|MỤC)\s+(?:[IVXLC]+|\d+|THỨ|thứ)\b",
            r"|(?:Số|SỐ)\s*:",
            r"|(?i:kính gửi|nơi nhận|v/v\b|về việc\b)",
            r"|PHỤ LỤC\b",
            r")"
        ))
        .expect("block pattern compiles")
    });
    pattern.is_match(text)
}

/// Whether `text` opens the closing paragraph (`Trên đây là ...`, see `closing_openers` in
/// rules/signing.yaml) right after a sentence's end: hard-wrapped text without blank lines
/// would otherwise join the closing into the last numbered item.
fn opens_closing_after_sentence(
    previous: Option<&Paragraph>,
    text: &str,
    signing: &SigningRules,
) -> bool {
    let after_sentence =
        previous.is_some_and(|paragraph| paragraph.text.trim_end().ends_with(['.', ';', ':']));
    after_sentence && signing.opens_closing(text)
}

/// The words of a heading, when a line holds nothing else (`**Điều` / `1. Phạm vi ...**`:
/// the export broke the heading after its first word).
const HEADING_WORDS: [&str; 8] = [
    "Điều", "ĐIỀU", "Chương", "CHƯƠNG", "Mục", "MỤC", "Phần", "PHẦN",
];

fn is_bare_heading_word(text: &str) -> bool {
    HEADING_WORDS.contains(&text.trim())
}

/// Whether the paragraph's last line is a bare heading word, which the next line completes.
fn ends_in_bare_heading_word(paragraph: &Paragraph) -> bool {
    paragraph
        .lines
        .last()
        .is_some_and(|(_, text)| is_bare_heading_word(text))
}

/// Documents with fewer non-blank lines than this are not judged hard-wrapped.
const MIN_LINES_FOR_WIDTH: usize = 20;
/// A line this many characters short of the wrap width may still have been cut there.
const WRAP_SLACK: usize = 10;

/// The width a hard-wrapped document was cut at, or None when it was not hard-wrapped.
///
/// The width is the 95th percentile of line lengths; a document is hard-wrapped when at
/// least a fifth of its lines come within `WRAP_SLACK` of it and it is at most 120 columns.
/// Documents with one line per paragraph have widths of hundreds and few lines near them.
fn wrap_width(lines: &[Line]) -> Option<usize> {
    let mut lengths: Vec<usize> = lines
        .iter()
        .filter(|line| !line.frame && !line.text.is_empty())
        .map(|line| line.text.chars().count())
        .collect();
    if lengths.len() < MIN_LINES_FOR_WIDTH {
        return None;
    }
    lengths.sort_unstable();
    let width = lengths[lengths.len() * 95 / 100];
    let near = lengths
        .iter()
        .filter(|&&n| n + WRAP_SLACK >= width && n <= width)
        .count();
    (width <= 120 && near * 5 >= lengths.len()).then_some(width)
}

/// Whether `next`, a line starting with a dash, is the wrapped rest of the last line of
/// `paragraph`: that line ends mid-sentence and is too full to have taken the dash.
fn dash_wrapped_from(paragraph: &Paragraph, next: &str, width: Option<usize>) -> bool {
    let Some(width) = width else {
        return false;
    };
    if !next.starts_with(['-', '–']) {
        return false;
    }
    let Some((_, previous)) = paragraph.lines.last() else {
        return false;
    };
    let full = previous.chars().count() + 2 + WRAP_SLACK / 2 > width;
    let previous = previous.trim_end();
    let mid_sentence = !previous.ends_with(['.', ';', ':', '!', '?', ')', '"', '”', '…', ',']);
    full && mid_sentence
}

/// After a blank line, a paragraph continues when the page broke it mid-sentence: the text so
/// far does not end a sentence and the next line starts in lower case.
fn continues_over_page_break(previous: &str, next: &str) -> bool {
    let ends_sentence = previous
        .trim_end()
        .ends_with(['.', ';', ':', '!', '?', ')', '"', '”', '…']);
    let lower_start = next.chars().next().is_some_and(char::is_lowercase);
    !ends_sentence && lower_start
}

#[cfg(test)]
mod tests {
    use super::*;

    fn segment_all(lines: &[Line]) -> Vec<Paragraph> {
        segment(lines, &Lexicon::built_in().unwrap())
    }

    fn lines(texts: &[&str]) -> Vec<Line> {
        texts
            .iter()
            .enumerate()
            .map(|(i, t)| Line {
                number: i as u32 + 1,
                text: if *t == "|" {
                    String::new()
                } else {
                    t.to_string()
                },
                column: 1,
                jumps: Vec::new(),
                frame: *t == "|",
            })
            .collect()
    }

    fn texts(input: &[&str]) -> Vec<String> {
        segment_all(&lines(input))
            .into_iter()
            .map(|p| p.text)
            .collect()
    }

    #[test]
    fn page_break_inside_a_sentence_is_joined() {
        let got = texts(&[
            "1. Tăng cường sự tham gia của cộng",
            "",
            "đồng trong việc thực hiện.",
        ]);
        assert_eq!(
            got,
            vec!["1. Tăng cường sự tham gia của cộng đồng trong việc thực hiện."]
        );
    }

    #[test]
    fn hard_wrapped_lines_are_joined() {
        let got = texts(&[
            "- Quán triệt, triển khai có",
            "hiệu quả Quyết định số 06/QĐ-TTg",
            "",
            "- Hình thành",
        ]);
        assert_eq!(
            got,
            vec![
                "- Quán triệt, triển khai có hiệu quả Quyết định số 06/QĐ-TTg",
                "- Hình thành"
            ]
        );
    }

    #[test]
    fn list_items_are_never_swallowed() {
        let got = texts(&[
            "- Phó Chủ tịch UBND Thành phố:",
            "Lê Hồng Sơn, Ngô Văn Quý;",
            "- Ủy ban MTTQ Thành phố;",
        ]);
        assert_eq!(
            got,
            vec![
                "- Phó Chủ tịch UBND Thành phố: Lê Hồng Sơn, Ngô Văn Quý;",
                "- Ủy ban MTTQ Thành phố;"
            ]
        );
    }

    /// Twenty full lines of wrapped text, so `wrap_width` sees a hard-wrapped document.
    fn wrapped_document(tail: &[&'static str]) -> Vec<String> {
        let full = "Ủy ban nhân dân các xã, phường tổ chức triển khai thực hiện nhiệm vụ kinh tế";
        let mut input = vec![full; 20];
        input.push("");
        input.extend_from_slice(tail);
        texts(&input)
    }

    #[test]
    fn a_dash_after_a_full_line_ending_mid_sentence_is_not_a_bullet() {
        // Regression (24701a1c97c8c368): "Công nghiệp / - Viễn thông Quân đội" became a bullet.
        let got = wrapped_document(&[
            "10. Các Bộ, cơ quan liên quan và các Tập đoàn: Bưu chính viễn thông, Công nghiệp",
            "- Viễn thông Quân đội theo chức năng, nhiệm vụ.",
        ]);
        assert_eq!(
            got.last().unwrap(),
            "10. Các Bộ, cơ quan liên quan và các Tập đoàn: Bưu chính viễn thông, Công nghiệp - Viễn thông Quân đội theo chức năng, nhiệm vụ."
        );
    }

    #[test]
    fn a_dash_after_a_short_or_finished_line_is_a_bullet() {
        let got = wrapped_document(&[
            "b) Nhiệm vụ cụ thể",
            "- Tuyên truyền",
            "",
            "Ủy ban nhân dân các xã, phường tổ chức triển khai thực hiện các nhiệm vụ sau;",
            "- Kiểm tra",
        ]);
        assert_eq!(
            got[got.len() - 4..],
            [
                "b) Nhiệm vụ cụ thể",
                "- Tuyên truyền",
                "Ủy ban nhân dân các xã, phường tổ chức triển khai thực hiện các nhiệm vụ sau;",
                "- Kiểm tra"
            ]
        );
    }

    #[test]
    fn a_document_with_a_line_per_paragraph_has_no_wrap_width() {
        let long = "Tiếp tục thực hiện các hình thức và biện pháp cai nghiện ma túy theo quy định tại Điều 26 Luật sửa đổi, bổ sung một số điều của Luật phòng, chống ma túy và các văn bản hướng dẫn";
        let mut input = vec![long; 25];
        input.push("- Ngắn");
        assert_eq!(wrap_width(&lines(&input)), None);
    }

    #[test]
    fn a_heading_broken_after_its_first_word_is_joined() {
        // Regression (ce4ad96dbd9a518d line 107 and 40 other corpus-ext files): `**Điều` /
        // `1. Phạm vi điều chỉnh**` became a bare paragraph and a numbered section.
        let got = texts(&[
            "khuyến khích thực hiện theo Quy chế này.",
            "Điều",
            "2. Giải thích từ ngữ",
            "",
            "Chương",
            "II",
        ]);
        assert_eq!(
            got,
            vec![
                "khuyến khích thực hiện theo Quy chế này.",
                "Điều 2. Giải thích từ ngữ",
                "Chương II"
            ]
        );
    }

    #[test]
    fn a_closing_after_a_sentence_end_is_a_paragraph_of_its_own() {
        // Regression (corpus-layouts e42103d7f815212d line 106): `Trên đây là ...` was joined
        // into the last numbered item's text.
        let got = texts(&[
            "2.2. Các Bộ giải quyết dứt điểm các kiến nghị, hoàn thành trước ngày 15/12/2025.",
            "Trên đây là một số nội dung trọng tâm cần thực hiện",
            "ngay, đề nghị các đồng chí Bộ trưởng quan tâm chỉ đạo thực hiện.",
        ]);
        assert_eq!(
            got,
            vec![
                "2.2. Các Bộ giải quyết dứt điểm các kiến nghị, hoàn thành trước ngày 15/12/2025.",
                "Trên đây là một số nội dung trọng tâm cần thực hiện ngay, đề nghị các đồng chí Bộ trưởng quan tâm chỉ đạo thực hiện.",
            ]
        );
    }

    #[test]
    fn the_closing_words_mid_sentence_are_joined() {
        let got = texts(&[
            "Tôi xin cam đoan những nội dung kê khai",
            "Trên đây là đúng sự thật.",
        ]);
        assert_eq!(got.len(), 1, "{got:?}");
        let got = texts(&["2. Hoàn thành báo cáo.", "trên đây là đúng sự thật."]);
        assert_eq!(got.len(), 1, "{got:?}");
    }

    #[test]
    fn headings_after_a_page_break_are_not_joined() {
        let got = texts(&["nhiệm vụ sau", "", "a) Tăng cường"]);
        assert_eq!(got.len(), 2);
    }

    #[test]
    fn frames_end_paragraphs() {
        let got = texts(&[
            "Số:",
            "2820/QĐ-UBND",
            "|",
            "Thành phố Hồ",
            "Chí Minh, ngày 19 tháng 11 năm 2025",
        ]);
        assert_eq!(
            got,
            vec![
                "Số: 2820/QĐ-UBND",
                "Thành phố Hồ Chí Minh, ngày 19 tháng 11 năm 2025"
            ]
        );
    }

    #[test]
    fn position_on_a_wrapped_paragraph_s_second_line() {
        let source = "1. Căn cứ Quyết định số\n      749/QĐ-TTg ngày 03/6/2020 của Thủ tướng";
        let rules =
            crate::normalise::NormaliseRules::load(&crate::rules::RuleSource::built_in()).unwrap();
        let paragraphs = segment_all(&crate::normalise::normalise(source, &rules));
        assert_eq!(paragraphs.len(), 1, "{paragraphs:?}");
        let paragraph = &paragraphs[0];
        for word in ["Căn", "749", "03/6", "Thủ"] {
            let (index, input) = source
                .split('\n')
                .enumerate()
                .find(|(_, l)| l.contains(word))
                .unwrap();
            let column = input[..input.find(word).unwrap()].chars().count() as u32 + 1;
            let offset = paragraph.text.find(word).unwrap();
            assert_eq!(
                paragraph.position_at(offset),
                (index as u32 + 1, column),
                "{word}"
            );
            assert_eq!(paragraph.spans_from(offset)[0].column, column, "{word}");
        }
        assert_eq!(paragraph.position_at(0), (1, 1));
    }

    #[test]
    fn line_of_a_wrapped_phrase() {
        let paragraphs = segment_all(&lines(&["Căn cứ Quyết định số", "749/QĐ-TTg ngày 03"]));
        let offset = paragraphs[0].text.find("749").unwrap();
        assert_eq!(paragraphs[0].line_at(offset), 2);
        assert_eq!(paragraphs[0].spans_from(offset)[0].line, 2);
    }
}
