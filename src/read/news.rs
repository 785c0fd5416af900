//! A news lede before the full text (`Ngày 9/9/2025, ... đã ký ban hành Nghị quyết số ...`):
//! the lede is not the document (its number, date and signer are the journalist's), so it
//! is blanked out, and what follows is read as the layout it is in.

use super::{contains_any, Input, LayoutRules, Reader, Reading, READERS};

pub const LAYOUT: &str = "news";

/// A lede is one long paragraph.
const LEDE_CHARS: usize = 120;

pub struct News;

/// The index of the lede's line, when the first line of text is one.
fn lede(input: &Input, rules: &LayoutRules) -> Option<usize> {
    let (index, text) = input.first_text_lines(1).into_iter().next()?;
    (text.chars().count() >= LEDE_CHARS && contains_any(&text, &rules.news_lede)).then_some(index)
}

impl Reader for News {
    fn layout(&self) -> &'static str {
        LAYOUT
    }

    fn detect(&self, input: &Input, rules: &LayoutRules) -> bool {
        lede(input, rules).is_some()
    }

    fn read(&self, input: &Input, rules: &LayoutRules) -> Reading {
        let Some(index) = lede(input, rules) else {
            return Reading::unchanged();
        };
        let blanked = Reading::blanked(input, &[(0, index + 1)]);
        let lines = blanked.lines.clone().unwrap_or_default();
        let text = lines.join("\n");
        let rest = Input::new(&text);
        // The text after the lede, in its own layout (not news again).
        let inner = READERS
            .iter()
            .filter(|r| r.layout() != LAYOUT)
            .find(|r| r.detect(&rest, rules));
        let mut reading = match inner {
            Some(reader) => reader.read(&rest, rules),
            None => Reading::unchanged(),
        };
        if reading.lines.is_none() {
            reading.lines = Some(lines);
            reading.origin = blanked.origin;
        }
        // The inner reader numbered the lines of `rest`, which are the input's own.
        reading.chrome.extend(blanked.chrome);
        reading
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::read::{read, test_rules};

    #[test]
    fn a_lede_is_blanked() {
        let text = "Ngày 9/9/2025, thay mặt Chính phủ, Phó Thủ tướng đã ký ban hành Nghị quyết số 5/2025/NQ-CP của Chính phủ về việc thử nghiệm một việc rất dài để đủ độ dài.\n\n**NGHỊ QUYẾT**\n\n**Về việc thử**\n";
        let read = read(text, test_rules());
        assert_eq!(read.layout, LAYOUT);
        assert!(!read.text.contains("5/2025/NQ-CP"));
        assert_eq!(read.text.split('\n').count(), text.split('\n').count());
        assert!(read.text.contains("**NGHỊ QUYẾT**"));
    }
}
