//! Phrase patterns that must start and end at word edges, searched at DFA speed.
//!
//! The natural way to write "this phrase as whole words" is `\b(?:...)\b`. On Vietnamese text
//! a Unicode `\b` is costly: the regex crate's lazy DFA understands word boundaries only over
//! ASCII, so on the first letter with a diacritic it gives up and the search falls back to the
//! backtracker or the PikeVM, several times slower. [`WordRegex`] searches without the `\b`
//! (the DFA keeps the whole search) and checks the edges of each match in code. Only when a
//! match fails its end edge, which is rare, does it ask the exact `\b` pattern, so the result is
//! always the match the `\b` pattern would give.

use regex::{Match, Regex};

/// Which edges of a match must fall on a word boundary.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Edges {
    Both,
    Start,
    End,
}

/// A pattern whose matches are those of `\b(?:BODY)\b` (or with `\b` on one side only).
#[derive(Debug, Clone)]
pub struct WordRegex {
    /// `BODY` alone: finds every candidate, on the DFA.
    fast: Regex,
    /// `BODY` with its `\b`: the reference, asked only when a candidate's end edge fails.
    exact: Regex,
    edges: Edges,
}

impl WordRegex {
    pub fn new(body: &str, edges: Edges) -> Result<Self, regex::Error> {
        let (before, after) = match edges {
            Edges::Both => (r"\b", r"\b"),
            Edges::Start => (r"\b", ""),
            Edges::End => ("", r"\b"),
        };
        Ok(WordRegex {
            fast: Regex::new(&format!("(?:{body})"))?,
            exact: Regex::new(&format!("{before}(?:{body}){after}"))?,
            edges,
        })
    }

    /// The leftmost match at or after byte `from`, as `exact.find_at` would return it.
    ///
    /// Every match of `exact` is a match of `fast` at the same start, and the two engines try
    /// the alternatives in the same order; so a `fast` match whose edges hold is the `exact`
    /// match, and no `exact` match can start before the leftmost `fast` one.
    pub fn find_at<'h>(&self, haystack: &'h str, mut from: usize) -> Option<Match<'h>> {
        loop {
            let candidate = self.fast.find_at(haystack, from)?;
            let start = candidate.start();
            if self.checks_start() && !is_boundary(haystack, start) {
                from = next_char(haystack, start)?;
                continue;
            }
            if !self.checks_end() || is_boundary(haystack, candidate.end()) {
                return Some(candidate);
            }
            return self.exact.find_at(haystack, start);
        }
    }

    pub fn find<'h>(&self, haystack: &'h str) -> Option<Match<'h>> {
        self.find_at(haystack, 0)
    }

    pub fn is_match(&self, haystack: &str) -> bool {
        self.find(haystack).is_some()
    }

    /// Successive non-overlapping matches, left to right.
    pub fn find_iter<'r, 'h>(&'r self, haystack: &'h str) -> impl Iterator<Item = Match<'h>> + 'r
    where
        'h: 'r,
    {
        let mut from = Some(0);
        std::iter::from_fn(move || {
            let found = self.find_at(haystack, from?)?;
            from = if found.is_empty() {
                next_char(haystack, found.end())
            } else {
                Some(found.end())
            };
            Some(found)
        })
    }

    fn checks_start(&self) -> bool {
        self.edges != Edges::End
    }

    fn checks_end(&self) -> bool {
        self.edges != Edges::Start
    }
}

/// Whether `\b` holds at byte `at`: a word character on exactly one side.
fn is_boundary(text: &str, at: usize) -> bool {
    let before = text[..at].chars().next_back().is_some_and(is_word);
    let after = text[at..].chars().next().is_some_and(is_word);
    before != after
}

/// The regex crate's own definition of a word character, so the edges agree with `\b`.
fn is_word(c: char) -> bool {
    regex_syntax::try_is_word_character(c).unwrap_or(c.is_alphanumeric() || c == '_')
}

/// The byte after the character at `at`, or None at the end.
fn next_char(text: &str, at: usize) -> Option<usize> {
    text[at..].chars().next().map(|c| at + c.len_utf8())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn same_as_exact(body: &str, edges: Edges, haystack: &str) {
        let word = WordRegex::new(body, edges).unwrap();
        let found: Vec<_> = word.find_iter(haystack).map(|m| m.range()).collect();
        let expected: Vec<_> = word.exact.find_iter(haystack).map(|m| m.range()).collect();
        assert_eq!(found, expected, "{body:?} on {haystack:?}");
    }

    #[test]
    fn agrees_with_the_exact_pattern_on_vietnamese_words() {
        let body = "(?i:quyết định|nghị định|luật|số)";
        for haystack in [
            "Căn cứ Nghị định số 30/2020/NĐ-CP và Luật Đất đai",
            "quyết địnhx nghị định, LUẬT",
            "Luậtsư luật",
            "",
            "số",
        ] {
            same_as_exact(body, Edges::Both, haystack);
            same_as_exact(body, Edges::Start, haystack);
            same_as_exact(body, Edges::End, haystack);
        }
    }

    #[test]
    fn falls_back_when_a_shorter_alternative_ends_inside_a_word() {
        // `a` matches first but ends inside `ab`; the `\b` pattern then prefers `ab c`.
        same_as_exact("a|ab c", Edges::Both, "xx ab c d");
        same_as_exact("số|số a", Edges::Both, "theo số ab");
        same_as_exact(
            "thực hiện|thực hiện theo",
            Edges::Both,
            "thực hiệnx thực hiện theo",
        );
    }

    #[test]
    fn a_bad_start_edge_moves_the_search_on() {
        let word = WordRegex::new("(?i:định)", Edges::Both).unwrap();
        let found: Vec<_> = word
            .find_iter("quyếtđịnh định")
            .map(|m| m.start())
            .collect();
        assert_eq!(found, vec!["quyếtđịnh ".len()]);
    }

    #[test]
    fn leading_non_word_characters_are_judged_like_the_regex_crate() {
        same_as_exact(r"^[\s\-]*(?i:căn cứ)", Edges::End, "- Căn cứ Luật");
        same_as_exact(r"^[\s\-]*(?i:căn cứ)", Edges::End, "- Căn cứu");
        same_as_exact(r"(?i:số)\s*:?\s*$", Edges::Start, "Quyết định số ");
        same_as_exact(r"(?i:số)\s*:?\s*$", Edges::Start, "hồsố");
    }
}
