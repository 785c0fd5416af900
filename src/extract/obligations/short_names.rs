//! Short forms a text gives a name: `Ban Chỉ đạo Nhà nước về Du lịch (gọi tắt là Ban Chỉ
//! đạo)`, `Ban Quản lý các khu công nghệ cao ... (sau đây gọi tắt là “Ban Quản lý”)`. Later in
//! the text the bare `Ban Chỉ đạo` is that body, not a name cut before its object.

use std::collections::HashMap;

use crate::lexicon::agencies::{key, Keyed};
use crate::record::Node;

/// Most words a short form may have: more is a description, not a name.
const SHORT_WORDS: usize = 6;
/// Most words the full name before it may have.
const FULL_WORDS: usize = 24;

/// Every short form defined in the nodes (and their children): key of the short form → the
/// full name as written. `cues` are keys, longest first (`sau day goi tat la`).
pub(super) fn defined(nodes: &[Node], cues: &[String]) -> HashMap<String, String> {
    let mut out = HashMap::new();
    if cues.is_empty() {
        return out;
    }
    let mut stack: Vec<&Node> = nodes.iter().collect();
    while let Some(node) = stack.pop() {
        for text in [&node.title, &node.text] {
            in_text(text, cues, &mut out);
        }
        stack.extend(node.children.iter());
    }
    out
}

/// The short forms defined in one text.
fn in_text(text: &str, cues: &[String], out: &mut HashMap<String, String>) {
    if !text.contains('(') {
        return;
    }
    let keyed = Keyed::new(text);
    let k = &keyed.key;
    for cue in cues {
        for (i, _) in k.match_indices(cue.as_str()) {
            if i > 0 && k.as_bytes()[i - 1] != b' ' {
                continue;
            }
            let (cue_start, cue_end) = (keyed.start(i), keyed.end(i + cue.len()));
            if let Some((short, full)) = definition(text, cue_start, cue_end) {
                out.entry(key(&short)).or_insert(full);
            }
        }
    }
}

/// The short form after a cue at `cue_start..cue_end` and the full name before its bracket.
fn definition(text: &str, cue_start: usize, cue_end: usize) -> Option<(String, String)> {
    let open = text[..cue_start].trim_end();
    let open = open.strip_suffix('(')?;
    let after = &text[cue_end..];
    let close = after.find(')')?;
    let short = after[..close]
        .trim()
        .trim_matches(|c: char| matches!(c, '“' | '”' | '"' | '*' | '_'))
        .trim();
    let words = short.split_whitespace().count();
    if words < 2 || words > SHORT_WORDS || !short.starts_with(|c: char| c.is_uppercase()) {
        return None;
    }
    // The full name opens with the short form: its last occurrence before the bracket.
    let before = open.trim_end();
    let keyed = Keyed::new(before);
    let short_key = key(short);
    let at = keyed
        .key
        .match_indices(short_key.as_str())
        .map(|(j, _)| j)
        .filter(|&j| j == 0 || keyed.key.as_bytes()[j - 1] == b' ')
        .last()?;
    let full = crate::text::squash_spaces(before[keyed.start(at)..].trim());
    let full_words = full.split_whitespace().count();
    (full_words > words && full_words <= FULL_WORDS).then(|| (short.to_string(), full))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cues() -> Vec<String> {
        vec![
            key("sau đây gọi tắt là"),
            key("gọi tắt là"),
            key("sau đây gọi là"),
        ]
    }

    #[test]
    fn a_short_form_stands_for_the_name_before_its_bracket() {
        let mut out = HashMap::new();
        // corpus-ext/322358d6040a153b.md lines 91-93 (170/QĐ-BCĐNNDL).
        in_text(
            "Quy chế này quy định về nguyên tắc làm việc của Ban Chỉ đạo Nhà nước về\nDu lịch (gọi tắt là Ban Chỉ đạo).",
            &cues(),
            &mut out,
        );
        assert_eq!(
            out.get(&key("Ban Chỉ đạo")).map(String::as_str),
            Some("Ban Chỉ đạo Nhà nước về Du lịch")
        );
    }

    #[test]
    fn quotes_are_not_part_of_the_short_form() {
        let mut out = HashMap::new();
        // corpus-ext/06c6f91f5c3b4c21.md lines 532-533 (73/2025/NQ-HĐND).
        in_text(
            "2. Ban Quản lý các khu công nghệ cao và khu công nghiệp thành phố Hà Nội (sau đây gọi tắt là “Ban Quản lý”) có trách nhiệm:",
            &cues(),
            &mut out,
        );
        assert_eq!(
            out.get(&key("Ban Quản lý")).map(String::as_str),
            Some("Ban Quản lý các khu công nghệ cao và khu công nghiệp thành phố Hà Nội")
        );
    }

    #[test]
    fn a_short_form_that_opens_no_name_before_it_is_none() {
        let mut out = HashMap::new();
        in_text(
            "Các tổ chức, cá nhân tham gia (sau đây gọi tắt là Người tham gia) có trách nhiệm.",
            &cues(),
            &mut out,
        );
        assert!(out.is_empty());
    }
}
