//! One node's text as the obligation rules read it, prepared once: its key form, and where
//! its sentences and clauses break, so that the many questions asked of a long text (one per
//! subject, verb and `phối hợp với`) are answered by binary search, not by reading it again.

use std::cell::{OnceCell, RefCell};
use std::collections::HashMap;
use std::rc::Rc;

use crate::lexicon::agencies::{AgencyRules, Candidate, Keyed};

pub(super) struct Scan<'c> {
    pub text: &'c str,
    /// The key form of all of `text` (see [`Keyed::key_range`] for reading a slice of it).
    pub keyed: Rc<Keyed>,
    /// Offsets of every `.` and line break: where a sentence may start after.
    stops: OnceCell<Vec<usize>>,
    /// Offsets of every line break and of every full stop that ends a sentence, with the
    /// sentence's end there.
    ends: OnceCell<Vec<(usize, usize)>>,
    /// Offsets of every `.`, `;` and line break: where a clause ends.
    clause_breaks: OnceCell<Vec<usize>>,
    /// The aliases in `keyed`, for [`AgencyRules::finder`].
    candidates: OnceCell<Vec<Candidate>>,
    rules: &'c AgencyRules,
    /// The partners named in a task from a byte to its sentence's end, by that byte.
    pub(super) partners: RefCell<HashMap<usize, std::rc::Rc<Vec<String>>>>,
}

impl<'c> Scan<'c> {
    /// The scan of `text`, whose key form `keyed` is (`Keyed::new(text)`, made by a caller
    /// that reads the text in other ways too).
    pub fn new(text: &'c str, keyed: Rc<Keyed>, rules: &'c AgencyRules) -> Scan<'c> {
        Scan {
            text,
            rules,
            candidates: OnceCell::new(),
            keyed,
            stops: OnceCell::new(),
            ends: OnceCell::new(),
            clause_breaks: OnceCell::new(),
            partners: RefCell::new(HashMap::new()),
        }
    }

    /// Offsets of the bytes of `set` in the text (all ASCII, so never inside a character).
    fn offsets(&self, set: &[u8]) -> Vec<usize> {
        let bytes = self.text.as_bytes();
        (0..bytes.len())
            .filter(|&i| set.contains(&bytes[i]))
            .collect()
    }

    /// The sentence around byte `at`: from after the previous full stop or line break to the
    /// next line break or full stop that ends a sentence (before a space, a line break, `/`
    /// or the end).
    pub fn sentence_around(&self, at: usize) -> (usize, usize) {
        let at = at.min(self.text.len());
        let stops = self.stops.get_or_init(|| self.offsets(b".\n"));
        let before = stops.partition_point(|&p| p < at);
        let start = before.checked_sub(1).map_or(0, |i| stops[i] + 1);
        let ends = self.ends.get_or_init(|| {
            let bytes = self.text.as_bytes();
            let mut ends = Vec::new();
            for (i, &b) in bytes.iter().enumerate() {
                if b == b'\n' {
                    ends.push((i, i));
                } else if b == b'.' {
                    let next = bytes.get(i + 1).copied();
                    if matches!(next, None | Some(b' ' | b'\n' | b'/')) {
                        ends.push((i, i + 1));
                    }
                }
            }
            ends
        });
        let next = ends.partition_point(|&(p, _)| p < at);
        let end = ends.get(next).map_or(self.text.len(), |&(_, e)| e);
        (start, end)
    }

    /// Where the clause holding byte `at` ends: at the next `.`, `;` or line break.
    pub fn clause_end(&self, at: usize) -> usize {
        let breaks = self.clause_breaks.get_or_init(|| self.offsets(b".;\n"));
        let next = breaks.partition_point(|&p| p < at);
        breaks.get(next).copied().unwrap_or(self.text.len())
    }

    /// Every alias in the text's key, found once.
    pub fn candidates(&self) -> &[Candidate] {
        self.candidates
            .get_or_init(|| self.rules.candidates(&self.keyed.key))
    }

    /// The key of `text[range]`, read in the key of the whole text.
    pub fn key_of(&self, range: std::ops::Range<usize>) -> &str {
        &self.keyed.key[self.keyed.key_range(range)]
    }
}
