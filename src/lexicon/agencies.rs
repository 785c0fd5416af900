//! Agency names, aliases and abbreviations, from `rules/agencies.yaml`.
//!
//! Names are compared in a *key* form: [`fold`] (no case, no diacritics, one tone placement),
//! then every run of characters other than letters and digits as one space, so
//! `Sở LĐTB&XH`, `Sở LĐTB-XH` and `so ldtb xh` are one key. Aliases are searched all at once
//! with Aho-Corasick over the key form of a text; a map from key bytes back to the text gives
//! each mention its place in the original.

use std::collections::{HashMap, HashSet};

use aho_corasick::{AhoCorasick, MatchKind};
use serde::{Deserialize, Serialize};

use unicode_normalization::UnicodeNormalization;

use crate::rules::{RuleSource, RulesError};
use crate::text::{fold, key_char, KeyChar};

/// Whether the issuer commands the agency or can only ask it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Hash)]
#[serde(rename_all = "lowercase")]
pub enum Category {
    /// A state body under the issuing authority's command: it receives directives.
    State,
    /// A body outside it (Mặt trận, courts, procuracy, Party bodies, mass organisations).
    Outside,
    /// A ministry or a state group: commanded by the Government, outside a province's command.
    Central,
}

/// One canonical agency.
#[derive(Debug, Clone, Serialize)]
pub struct Agency {
    /// Canonical name without locality (`Công an`, `Sở Y tế`).
    pub name: String,
    /// ASCII kebab-case of the name: `so-y-te`.
    pub slug: String,
    pub aliases: Vec<String>,
    pub category: Category,
    /// The name carries the locality: `Công an thành phố Hà Nội`.
    pub local: bool,
    /// A group of agencies addressed together (`Các Sở, ban, ngành`).
    pub collective: bool,
    /// The name carries only the level word, not the place: `Ban Chỉ đạo 138 thành phố`.
    pub level_only: bool,
    /// The letter's addressees whoever they are (`Quý Cơ quan`): no locality is added.
    #[serde(skip)]
    pub placeless: bool,
}

impl Agency {
    /// The canonical name in a document of `locality` (`thành phố Hà Nội`).
    pub fn name_in(&self, locality: Option<&str>) -> String {
        match (self.local, locality) {
            (true, Some(locality)) if self.level_only => {
                let level = if locality.starts_with("tỉnh") {
                    "tỉnh"
                } else {
                    "thành phố"
                };
                format!("{} {}", self.name, level)
            }
            (true, Some(locality)) if !locality.is_empty() => format!("{} {}", self.name, locality),
            _ => self.name.clone(),
        }
    }
}

/// An agency named in a text.
#[derive(Debug, Clone, PartialEq)]
pub struct Mention {
    /// Byte range in the text searched.
    pub start: usize,
    pub end: usize,
    /// Canonical name, with locality for local agencies.
    pub name: String,
    /// Index into [`AgencyRules::agencies`]; `None` for a name not in the rules.
    pub agency: Option<usize>,
    pub category: Category,
}

impl Mention {
    pub fn known(&self) -> bool {
        self.agency.is_some()
    }
}

/// Compiled rules of `rules/agencies.yaml`.
#[derive(Debug)]
pub struct AgencyRules {
    pub agencies: Vec<Agency>,
    matcher: AhoCorasick,
    /// Pattern index → (agency index, the alias has a level word).
    patterns: Vec<(usize, bool)>,
    /// Alias key → agency, for [`AgencyRules::resolve`].
    by_key: HashMap<String, usize>,
    /// Alias without spaces → agency (`syt`, `soldtbxh`).
    by_compact: HashMap<String, usize>,
    /// Key of each canonical name → the first agency of that name, for
    /// [`AgencyRules::resolve_index`], which would otherwise fold every name at each call.
    by_name_key: HashMap<String, usize>,
    /// Level words, as keys (`thanh pho`, `tinh`, `tp`).
    levels: Vec<String>,
    /// Locality keys and their display names, longest first.
    localities: Vec<(String, String)>,
    cities: HashSet<String>,
    /// Keys of the issuers that command `central` bodies.
    central_issuers: Vec<String>,
    /// Head words of agency names, as keys, longest first.
    heads: Vec<String>,
    /// The length of the longest head (bytes).
    heads_longest: usize,
    /// The same, lower case with their diacritics (`sở` is a head, `số` is not).
    heads_lower: Vec<String>,
    /// Keys of the words after a local body that make it a collective of several localities
    /// (`Sở Tài chính các tỉnh, thành phố`), longest first.
    collective_localities: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct AgenciesFile {
    #[serde(default)]
    levels: Vec<String>,
    #[serde(default)]
    cities: Vec<String>,
    #[serde(default)]
    localities: Vec<String>,
    #[serde(default)]
    heads: Vec<String>,
    #[serde(default)]
    central_issuers: Vec<String>,
    #[serde(default)]
    local_heads: Vec<String>,
    #[serde(default)]
    collective_localities: Vec<String>,
    agencies: Vec<AgencyEntry>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct AgencyEntry {
    name: String,
    #[serde(default)]
    aliases: Vec<String>,
    category: Category,
    #[serde(default)]
    local: bool,
    #[serde(default)]
    collective: bool,
    #[serde(default)]
    level_only: bool,
    #[serde(default)]
    placeless: bool,
}

/// An alias found in a key: its key bytes, its agency, and whether it has a level word.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Candidate {
    pub start: usize,
    pub end: usize,
    agency: usize,
    with_level: bool,
}

/// Known names of a range of a text, leftmost-longest at word boundaries, in text order
/// (see [`AgencyRules::finder`]).
pub(crate) struct Finder<'a> {
    rules: &'a AgencyRules,
    text: &'a str,
    keyed: &'a Keyed,
    candidates: &'a [Candidate],
    /// The next candidate to consider.
    next: usize,
    /// The range's key bytes.
    ks: usize,
    ke: usize,
    /// Where the last mention ended: a candidate before it overlaps it.
    pos: usize,
    locality: Option<&'a str>,
}

impl Iterator for Finder<'_> {
    type Item = Mention;

    fn next(&mut self) -> Option<Mention> {
        let bytes = self.keyed.key.as_bytes();
        while let Some(c) = self.candidates.get(self.next) {
            if c.start >= self.ke {
                return None;
            }
            self.next += 1;
            // Inside the range, at its word boundaries, after the last mention.
            let inside = c.end <= self.ke && c.start >= self.pos;
            if !inside
                || !(c.start == self.ks || bytes[c.start - 1] == b' ')
                || !(c.end == self.ke || bytes[c.end] == b' ')
            {
                continue;
            }
            let (m, end) = self.rules.mention_of(self, c);
            self.pos = end;
            return Some(m);
        }
        None
    }
}

/// The key form of a text, and for each key byte the byte range of the character it came from.
pub(crate) struct Keyed {
    pub key: String,
    map: Vec<(usize, usize)>,
}

impl Keyed {
    pub fn new(text: &str) -> Keyed {
        Keyed::build(text, false)
    }

    /// Like [`Keyed::new`] but punctuation is kept (`15/12/2025`, `17.700`, `95%`); only
    /// whitespace runs together as one space.
    pub fn with_punctuation(text: &str) -> Keyed {
        Keyed::build(text, true)
    }

    fn build(text: &str, keep_punctuation: bool) -> Keyed {
        let mut map = Vec::with_capacity(text.len());
        let key = key_form(text, keep_punctuation, Some(&mut map));
        Keyed { key, map }
    }

    /// Start byte in the original text of key byte `i`.
    pub fn start(&self, i: usize) -> usize {
        self.map
            .get(i)
            .map(|r| r.0)
            .unwrap_or_else(|| self.map.last().map(|r| r.1).unwrap_or(0))
    }

    /// End byte in the original text of the key range ending at `i` (exclusive).
    pub fn end(&self, i: usize) -> usize {
        if i == 0 {
            return 0;
        }
        self.map.get(i - 1).map(|r| r.1).unwrap_or(0)
    }

    /// The [`KeyHead`] of `text[range]`, where `text` is the text this key was made of (or a
    /// part of it that starts it): a slice of this key, with nothing folded again. Its
    /// answers are those of `KeyHead::new(&text[range], _)`, as [`Keyed::key_range`] says.
    pub fn head<'t>(&'t self, text: &'t str, range: std::ops::Range<usize>) -> KeyHead<'t> {
        let keys = self.key_range(range.clone());
        KeyHead {
            text: &text[range.clone()],
            key: std::borrow::Cow::Borrowed(&self.key[keys.clone()]),
            longest: usize::MAX,
            sliced_from: Some((self, keys.start, range.start)),
        }
    }

    /// The key range of the text's bytes `range`: what [`Keyed::new`] of that slice of the
    /// text would give, as a range of this key (key bytes depend on their character only).
    pub fn key_range(&self, range: std::ops::Range<usize>) -> std::ops::Range<usize> {
        let at = |byte: usize| self.map.partition_point(|r| r.0 < byte);
        let end = at(range.end);
        let mut start = at(range.start).min(end);
        // The space before the first word belongs to that word's character; a slice's key
        // does not start with it.
        if start < end && self.key.as_bytes()[start] == b' ' {
            start += 1;
        }
        start..end
    }
}

/// The key form of a name: folded, punctuation as spaces.
pub fn key(text: &str) -> String {
    key_form(text, false, None)
}

/// The key form of `text`; with a `map`, the byte range of the character each key byte came
/// from is pushed to it.
fn key_form(
    text: &str,
    keep_punctuation: bool,
    mut map: Option<&mut Vec<(usize, usize)>>,
) -> String {
    // Built as bytes, whole UTF-8 pieces only, and checked once at the end rather than piece
    // by piece.
    let mut key: Vec<u8> = Vec::with_capacity(text.len());
    let mut pending_space = false;
    let mut push = |key: &mut Vec<u8>, piece: &[u8], range: (usize, usize), space: bool| {
        let before = key.len();
        if space && !key.is_empty() {
            key.push(b' ');
        }
        key.extend_from_slice(piece);
        if let Some(map) = map.as_deref_mut() {
            map.extend(std::iter::repeat_n(range, key.len() - before));
        }
    };
    for (offset, c) in text.char_indices() {
        let range = (offset, offset + c.len_utf8());
        // Most of a Vietnamese text is ASCII letters: their key is the lower-case byte, with
        // no table entry to copy.
        if c.is_ascii_alphanumeric() {
            push(
                &mut key,
                &[c.to_ascii_lowercase() as u8],
                range,
                pending_space,
            );
            pending_space = false;
            continue;
        }
        match key_char(c) {
            KeyChar::Mark => {}
            KeyChar::Punct if keep_punctuation => {
                push(
                    &mut key,
                    c.encode_utf8(&mut [0; 4]).as_bytes(),
                    range,
                    pending_space,
                );
                pending_space = false;
            }
            KeyChar::Space | KeyChar::Punct => pending_space = true,
            alnum @ KeyChar::Alnum { .. } => {
                push(&mut key, alnum.alnum_bytes(), range, pending_space);
                pending_space = false;
            }
        }
    }
    String::from_utf8(key).expect("a key is made of whole UTF-8 characters")
}

/// Whether `key(text) == target`, reading `text` only as far as the key still agrees: a gap of
/// a whole window between two names is rejected at its first words, not folded entire.
pub fn key_is(text: &str, target: &str) -> bool {
    key_agrees(text, target) == Some(target.len())
}

/// The length of `key(text)` when it is a prefix of `target` (reading `text` only as far as
/// it agrees); `None` once it is not. A longer text's key extends a shorter one's, so a text
/// that fails fails with anything after it.
pub fn key_prefix_of(text: &str, target: &str) -> bool {
    key_agrees(text, target).is_some()
}

/// Where `key(text)` agrees with `word` over all of `word`: the key form of `text` opens with
/// it. Read lazily, without building the key, for the many checks of a window's first words
/// against a list of phrases (office titles, head words, address words), which fail at their
/// first letters.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct KeyOpening {
    /// The end in `text` of the character the last byte of `word` came from (0 for an empty
    /// `word`): what [`Keyed::end`] of `word.len()` gives on `Keyed::new(text)`.
    pub end: usize,
    /// The key byte after `word`, `None` at the end of the key.
    pub next: Option<u8>,
}

impl KeyOpening {
    /// The key is `word` and a space after it, or `word` alone: `word` is a whole word (or a
    /// run of whole words) there.
    pub fn is_word(&self) -> bool {
        matches!(self.next, None | Some(b' '))
    }

    /// The key goes on after `word` with a space and more words
    /// ([`crate::text::starts_with_word`] on the key).
    pub fn is_followed(&self) -> bool {
        self.next == Some(b' ')
    }
}

/// The opening of a text's key, folded once and only as far as a list of phrases needs
/// (`longest` bytes and one more, for the space after a phrase), so that each phrase of the
/// list costs a byte comparison: the way to ask which of many phrases a window opens with.
pub(crate) struct KeyHead<'t> {
    text: &'t str,
    /// A prefix of `key(text)`: all of it, or more than `longest` bytes of it.
    key: std::borrow::Cow<'t, str>,
    longest: usize,
    /// For a head sliced from the key of a whole text ([`Keyed::head`]): that key, where the
    /// slice starts in it, and where `text` starts in the whole text.
    sliced_from: Option<(&'t Keyed, usize, usize)>,
}

impl<'t> KeyHead<'t> {
    pub fn new(text: &'t str, longest: usize) -> KeyHead<'t> {
        KeyHead {
            text,
            key: std::borrow::Cow::Owned(key_prefix(text, longest + 1)),
            longest,
            sliced_from: None,
        }
    }

    /// The text's key is empty: it has no letter or digit.
    pub fn is_empty(&self) -> bool {
        self.key.is_empty()
    }

    /// [`key_opening`] of the text and `word`, which is at most `longest` bytes long.
    pub fn opening(&self, word: &str) -> Option<KeyOpening> {
        debug_assert!(word.len() <= self.longest, "{word} is longer than the head");
        if !crate::text::opens_with(&self.key, word) {
            return None;
        }
        // Where `word` ends in the text is read again only for a match (a rare event).
        let end = match self.sliced_from {
            _ if word.is_empty() => 0,
            Some((keyed, key_start, text_start)) => keyed.end(key_start + word.len()) - text_start,
            None => key_opening(self.text, word).map_or(0, |o| o.end),
        };
        Some(KeyOpening {
            end,
            next: self.key.as_bytes().get(word.len()).copied(),
        })
    }
}

/// The longest of `phrases` (bytes), for [`KeyHead::new`].
pub(crate) fn longest<S: AsRef<str>>(phrases: impl IntoIterator<Item = S>) -> usize {
    phrases
        .into_iter()
        .map(|p| p.as_ref().len())
        .max()
        .unwrap_or(0)
}

/// `key(text)` up to at least `len` bytes (whole pieces), or all of it when shorter: the
/// text is read no further.
fn key_prefix(text: &str, len: usize) -> String {
    let mut key: Vec<u8> = Vec::with_capacity(len + 8);
    for (space, piece, _) in key_pieces(text) {
        if key.len() >= len {
            break;
        }
        if space {
            key.push(b' ');
        }
        key.extend_from_slice(piece.alnum_bytes());
    }
    String::from_utf8(key).expect("a key is made of whole UTF-8 characters")
}

/// The key pieces of `text` in order, as [`key_form`] without punctuation makes them: a space
/// before a piece where one is due, then the piece, each with the end of the character that
/// gave it.
fn key_pieces(text: &str) -> impl Iterator<Item = (bool, KeyChar, usize)> + '_ {
    let mut pending_space = false;
    let mut started = false;
    text.char_indices()
        .filter_map(move |(offset, c)| match key_char(c) {
            KeyChar::Mark => None,
            KeyChar::Space | KeyChar::Punct => {
                pending_space = true;
                None
            }
            alnum @ KeyChar::Alnum { .. } => {
                let space = pending_space && started;
                pending_space = false;
                started = true;
                Some((space, alnum, offset + c.len_utf8()))
            }
        })
}

/// Whether `key(text)` starts with `word`, and if so where `word` ends in `text` and what
/// follows it in the key; see [`KeyOpening`]. Same answers as `Keyed::new(text)` and a
/// comparison of its key, with no allocation.
pub(crate) fn key_opening(text: &str, word: &str) -> Option<KeyOpening> {
    let word = word.as_bytes();
    let mut matched = 0;
    let mut end = 0;
    for (space, piece, piece_end) in key_pieces(text) {
        let bytes = piece.alnum_bytes();
        for &b in std::iter::once(&b' ').filter(|_| space).chain(bytes) {
            if matched == word.len() {
                return Some(KeyOpening { end, next: Some(b) });
            }
            if word[matched] != b {
                return None;
            }
            matched += 1;
            end = piece_end;
        }
    }
    (matched == word.len()).then_some(KeyOpening { end, next: None })
}

fn key_agrees(text: &str, target: &str) -> Option<usize> {
    let target = target.as_bytes();
    let mut len = 0;
    let mut pending_space = false;
    let piece = |bytes: &[u8], len: &mut usize| {
        let end = *len + bytes.len();
        let same = target.get(*len..end) == Some(bytes);
        *len = end;
        same
    };
    for c in text.chars() {
        match key_char(c) {
            KeyChar::Mark => {}
            KeyChar::Space | KeyChar::Punct => pending_space = true,
            alnum @ KeyChar::Alnum { .. } => {
                if pending_space && len > 0 && !piece(b" ", &mut len) {
                    return None;
                }
                pending_space = false;
                if !piece(alnum.alnum_bytes(), &mut len) {
                    return None;
                }
            }
        }
    }
    Some(len)
}

/// ASCII kebab-case: `Sở Y tế` → `so-y-te`.
pub fn slug(name: &str) -> String {
    key(name).replace(' ', "-")
}

impl AgencyRules {
    pub fn load(source: &RuleSource) -> Result<Self, RulesError> {
        let (origin, file): (_, AgenciesFile) = source.yaml("agencies.yaml")?;
        let levels: Vec<String> = dedup(file.levels.iter().map(|l| key(l)).collect());
        let mut localities: Vec<(String, String)> = file
            .localities
            .iter()
            .map(|l| (key(l), l.clone()))
            .collect();
        localities.sort_by_key(|(k, _)| std::cmp::Reverse(k.len()));
        let cities = file.cities.iter().map(|c| key(c)).collect();
        let heads_lower: Vec<String> = dedup(
            file.heads
                .iter()
                .map(|h| h.nfc().collect::<String>().to_lowercase())
                .collect(),
        );
        let mut heads: Vec<String> = dedup(file.heads.iter().map(|h| key(h)).collect());
        heads.sort_by_key(|h| std::cmp::Reverse(h.len()));

        let mut agencies = Vec::new();
        let mut pattern_keys: Vec<String> = Vec::new();
        let mut patterns = Vec::new();
        let mut by_key = HashMap::new();
        let mut by_compact = HashMap::new();
        let mut seen = HashSet::new();
        let local_heads: Vec<String> = file.local_heads.iter().map(|h| key(h)).collect();
        let mut collective_localities: Vec<String> =
            dedup(file.collective_localities.iter().map(|c| key(c)).collect());
        collective_localities.sort_by_key(|c| std::cmp::Reverse(c.len()));
        for (index, entry) in file.agencies.into_iter().enumerate() {
            // A department of a province (`Sở Y tế`) carries its locality, and its bare name is
            // specific enough to be searched.
            let head_local = !entry.collective
                && local_heads
                    .iter()
                    .any(|h| crate::text::starts_with_word(&key(&entry.name), h));
            let mut spellings = vec![entry.name.clone()];
            spellings.extend(entry.aliases.iter().cloned());
            for spelling in &spellings {
                let variants: Vec<(String, bool)> = if spelling.contains("{level}") {
                    levels
                        .iter()
                        .map(|level| (key(&spelling.replace("{level}", level)), true))
                        .collect()
                } else {
                    vec![(key(spelling), false)]
                };
                for (k, with_level) in variants {
                    if k.is_empty() {
                        continue;
                    }
                    by_key.entry(k.clone()).or_insert(index);
                    by_compact.entry(k.replace(' ', "")).or_insert(index);
                    // The bare name of a local body (`Công an`, `Báo`) is too common a word to
                    // search for; it is found with its level (`Công an Thành phố`).
                    let bare_local = entry.local && spelling == &entry.name;
                    if !bare_local && seen.insert(k.clone()) {
                        pattern_keys.push(k);
                        patterns.push((index, with_level));
                    }
                }
            }
            agencies.push(Agency {
                slug: slug(&entry.name),
                name: entry.name,
                aliases: entry.aliases,
                category: entry.category,
                local: entry.local || head_local,
                collective: entry.collective,
                level_only: entry.level_only,
                placeless: entry.placeless,
            });
        }
        let matcher = AhoCorasick::builder()
            .match_kind(MatchKind::Standard)
            .build(&pattern_keys)
            .map_err(|e| RulesError::invalid(&origin, e))?;
        let central_issuers = file.central_issuers.iter().map(|c| key(c)).collect();
        let mut by_name_key = HashMap::new();
        for (i, a) in agencies.iter().enumerate() {
            by_name_key.entry(key(&a.name)).or_insert(i);
        }
        Ok(AgencyRules {
            by_name_key,
            heads_longest: longest(&heads),
            collective_localities,
            heads_lower,
            central_issuers,
            agencies,
            matcher,
            patterns,
            by_key,
            by_compact,
            levels,
            localities,
            cities,
            heads,
        })
    }

    /// True when a document of this issuer (as printed) or ký hiệu code commands the central
    /// bodies: the Government, the Prime Minister, their office.
    pub fn is_central_issuer(&self, issuer: Option<&str>, symbol: &str) -> bool {
        let code = symbol.rsplit(['-', '/']).next().unwrap_or("");
        let code_key = key(code);
        issuer.is_some_and(|i| self.central_issuers.contains(&key(i)))
            || self.central_issuers.contains(&code_key)
    }

    /// The locality phrase of a place name: `Hà Nội` → `thành phố Hà Nội`, `Bắc Ninh` → `tỉnh Bắc Ninh`.
    pub fn locality_of_place(&self, place: &str) -> Option<String> {
        let k = key(place);
        let (lk, name) = self.localities.iter().find(|(lk, _)| *lk == k)?;
        Some(if self.cities.contains(lk) {
            format!("thành phố {name}")
        } else {
            format!("tỉnh {name}")
        })
    }

    /// The locality named in a text such as `ỦY BAN NHÂN DÂN THÀNH PHỐ HÀ NỘI` or `UBND TỈNH BẮC NINH`.
    pub fn locality_in(&self, text: &str) -> Option<String> {
        let k = format!(" {} ", key(text));
        for (lk, name) in &self.localities {
            if k.contains(&format!(" {lk} ")) {
                return Some(if self.cities.contains(lk) {
                    format!("thành phố {name}")
                } else {
                    format!("tỉnh {name}")
                });
            }
        }
        None
    }

    /// Every known agency named in `text`, leftmost-longest, at word boundaries. A locality
    /// written after a name (`Sở Nội vụ thành phố Hà Nội`) is taken into the mention.
    pub fn find(&self, text: &str, locality: Option<&str>) -> Vec<Mention> {
        let keyed = Keyed::new(text);
        self.find_in(text, &keyed, 0..text.len(), locality)
    }

    /// Like [`AgencyRules::find`] on `text[range]`, but searching `keyed`, the key form of the
    /// whole `text` made once, so that a caller reading many windows of one text does not
    /// fold each again. Mentions are placed in `text`, not in the range.
    pub(crate) fn find_in(
        &self,
        text: &str,
        keyed: &Keyed,
        range: std::ops::Range<usize>,
        locality: Option<&str>,
    ) -> Vec<Mention> {
        let std::ops::Range { start: ks, end: ke } = keyed.key_range(range.clone());
        let mut candidates = self.candidates(&keyed.key[ks..ke]);
        for c in &mut candidates {
            c.start += ks;
            c.end += ks;
        }
        self.finder(text, keyed, &candidates, range, locality)
            .collect()
    }

    /// Every alias in `key`, overlapping ones too, by start and then longest first: what
    /// [`AgencyRules::finder`] chooses from. Made once for a whole text, it serves every
    /// window of it.
    pub(crate) fn candidates(&self, key: &str) -> Vec<Candidate> {
        let mut out: Vec<Candidate> = self
            .matcher
            .find_overlapping_iter(key)
            .map(|m| {
                let (agency, with_level) = self.patterns[m.pattern().as_usize()];
                Candidate {
                    start: m.start(),
                    end: m.end(),
                    agency,
                    with_level,
                }
            })
            .collect();
        out.sort_by(|a, b| a.start.cmp(&b.start).then(b.end.cmp(&a.end)));
        out
    }

    /// The mentions of [`AgencyRules::find_in`], one at a time, chosen from `candidates` (those
    /// of all of `keyed`): a reader that wants only the first names of a window finds only
    /// those.
    pub(crate) fn finder<'a>(
        &'a self,
        text: &'a str,
        keyed: &'a Keyed,
        candidates: &'a [Candidate],
        range: std::ops::Range<usize>,
        locality: Option<&'a str>,
    ) -> Finder<'a> {
        let std::ops::Range { start: ks, end: ke } = keyed.key_range(range);
        Finder {
            rules: self,
            text,
            keyed,
            next: candidates.partition_point(|c| c.start < ks),
            candidates,
            ks,
            ke,
            pos: ks,
            locality,
        }
    }

    /// The mention of `candidate`, which [`Finder`] chose, and the key byte it ends at.
    fn mention_of(&self, finder: &Finder, candidate: &Candidate) -> (Mention, usize) {
        let Candidate {
            start: s,
            end: e,
            agency,
            with_level,
        } = *candidate;
        let (keyed, text) = (finder.keyed, finder.text);
        // Everything past the range is out of sight, as if the slice had been keyed alone.
        let key = &keyed.key[..finder.ke];
        let level_written = if with_level {
            self.level_at_end(&key[s..e])
        } else {
            None
        };
        let (e, written) = self.extend_locality(key, e);
        let a = &self.agencies[agency];
        // `Sở Tài chính các tỉnh, thành phố`: the body of every locality, a collective of
        // its own, named as written.
        if a.local && written.is_none() && level_written.is_none() {
            if let Some(c) = self.collective_localities.iter().find(|c| {
                let rest = &key[e..];
                rest.strip_prefix(' ').is_some_and(|r| {
                    r.starts_with(c.as_str())
                        && (r.len() == c.len() || r.as_bytes()[c.len()] == b' ')
                })
            }) {
                let e = e + 1 + c.len();
                let (start, end) = (keyed.start(s), keyed.end(e));
                let m = Mention {
                    start,
                    end,
                    name: text[start..end].to_string(),
                    agency: Some(agency),
                    category: a.category,
                };
                return (m, e);
            }
        }
        let place = written
            .or_else(|| finder.locality.map(str::to_string))
            .or(level_written);
        let m = Mention {
            start: keyed.start(s),
            end: keyed.end(e),
            name: a.name_in(place.as_deref()),
            agency: Some(agency),
            category: a.category,
        };
        (m, e)
    }

    /// The level word a matched alias ends with, spelled out: `thành phố` or `tỉnh`.
    fn level_at_end(&self, matched: &str) -> Option<String> {
        let level = self
            .levels
            .iter()
            .find(|l| matched.ends_with(&format!(" {l}")))?;
        Some(if level == "tinh" {
            "tỉnh".to_string()
        } else {
            "thành phố".to_string()
        })
    }

    /// After a name ending at key byte `end`: an optional level word and a locality name.
    fn extend_locality(&self, key: &str, end: usize) -> (usize, Option<String>) {
        let rest = &key[end..];
        // `rest` opens with ` word` and the word ends there (no allocation: this runs for
        // every name found).
        let opens_with = |rest: &str, word: &str| {
            rest.strip_prefix(' ').is_some_and(|r| {
                r.starts_with(word) && (r.len() == word.len() || r.as_bytes()[word.len()] == b' ')
            })
        };
        let mut skip = 0;
        let mut level: Option<&str> = None;
        for l in &self.levels {
            if opens_with(rest, l) {
                skip = 1 + l.len();
                level = Some(l);
                break;
            }
        }
        let after = &rest[skip..];
        for (lk, name) in &self.localities {
            if opens_with(after, lk) {
                let with_len = 1 + lk.len();
                let written = match level {
                    Some("tinh") => format!("tỉnh {name}"),
                    Some(_) => format!("thành phố {name}"),
                    None if self.cities.contains(lk) => format!("thành phố {name}"),
                    None => format!("tỉnh {name}"),
                };
                return (end + skip + with_len, Some(written));
            }
        }
        (end, None)
    }

    /// The agency any spelling of a name stands for: `So Y te`, `sở y tế`, `SYT`,
    /// `Công an thành phố Hà Nội`. `locality` is not needed to resolve; it is accepted so a
    /// caller can pass the document's.
    pub fn resolve(&self, name: &str, locality: Option<&str>) -> Option<&Agency> {
        let _ = locality;
        self.resolve_index(name).map(|i| &self.agencies[i])
    }

    /// Like [`AgencyRules::resolve`], the index into [`AgencyRules::agencies`].
    pub fn resolve_index(&self, name: &str) -> Option<usize> {
        let whole = key(name);
        let mut k = whole.as_str();
        if let Some(i) = self.lookup(k) {
            return Some(i);
        }
        // Drop a locality at the end (`... thành phố Hà Nội`, `... Hà Nội`).
        for (lk, _) in &self.localities {
            if let Some(stripped) = strip_word_suffix(k, lk) {
                k = stripped;
                if let Some(i) = self.lookup(k) {
                    return Some(i);
                }
                break;
            }
        }
        // A bare local name (`Công an`), or one with a leading `các`: the first agency whose
        // name has either key.
        let bare = k.strip_prefix("cac ").unwrap_or(k);
        let first_named = |k: &str| self.by_name_key.get(k).copied();
        match (first_named(bare), first_named(k)) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        }
        .or_else(|| self.lookup(bare))
    }

    fn lookup(&self, k: &str) -> Option<usize> {
        self.by_key
            .get(k)
            .or_else(|| {
                // Most keys have spaces; one without is its own compact form.
                if k.contains(' ') {
                    self.by_compact.get(&k.replace(' ', ""))
                } else {
                    self.by_compact.get(k)
                }
            })
            .copied()
    }

    /// True when the key form of a text opens with an agency head word followed by a word
    /// (`Trung tâm Phục vụ ...`, `Cục Xuất nhập khẩu`).
    pub fn starts_with_head(&self, text: &str) -> bool {
        // Head words are short: only the opening of the text is folded, once for all heads.
        let head = KeyHead::new(
            &text[..crate::text::floor_boundary(text, 80)],
            self.heads_longest,
        );
        self.opens_with_head(&head)
    }

    /// [`AgencyRules::starts_with_head`] of `text[at..]`, read in `keyed`, the key of a text
    /// that `text` starts, where the caller has it.
    pub(crate) fn starts_with_head_at(&self, text: &str, at: usize, keyed: Option<&Keyed>) -> bool {
        match keyed {
            Some(keyed) => {
                let end = at + crate::text::floor_boundary(&text[at..], 80);
                self.opens_with_head(&keyed.head(text, at..end))
            }
            None => self.starts_with_head(&text[at..]),
        }
    }

    /// Whether `head`, the opening of a text's key, is a head word and a word after it.
    fn opens_with_head(&self, head: &KeyHead) -> bool {
        self.heads
            .iter()
            .any(|h| head.opening(h).is_some_and(|o| o.is_followed()))
    }

    /// A name not in the rules, as written: an agency head word followed by a capitalised
    /// word. Returns the name with trailing filler (`liên quan`) removed.
    pub fn unknown_name(&self, text: &str) -> Option<String> {
        let text = text
            .trim()
            .trim_matches(|c: char| c.is_ascii_punctuation() || c.is_whitespace());
        let text = strip_prefix_ci(text, "các ").unwrap_or(text);
        if !self.starts_with_head(text) || !text.starts_with(|c: char| c.is_uppercase()) {
            return None;
        }
        // The head as written, diacritics included (`Số Giấy` is no `Sở`), and not a title
        // in capitals (`HỘI ĐỒNG ...`).
        let lower = text.nfc().collect::<String>().to_lowercase();
        if !self
            .heads_lower
            .iter()
            .any(|h| crate::text::starts_with_word(&lower, h))
        {
            return None;
        }
        if text.split_whitespace().take(2).all(crate::text::is_upper) {
            return None;
        }
        let words: Vec<&str> = text.split_whitespace().collect();
        if words.len() < 2 || words.len() > 16 {
            return None;
        }
        let head_words = self
            .heads
            .iter()
            .find(|h| crate::text::starts_with_word(&key(text), h))
            .map(|h| h.split(' ').count())
            .unwrap_or(1);
        let next = words.get(head_words)?;
        let first = next.chars().find(|c| c.is_alphanumeric())?;
        if !(first.is_uppercase() || first.is_ascii_digit()) {
            return None;
        }
        let mut name = text.to_string();
        for filler in [" có liên quan", " liên quan"] {
            if fold(&name).ends_with(&fold(filler)) {
                let cut = name.len() - filler.len();
                if name.is_char_boundary(cut) {
                    name.truncate(cut);
                }
            }
        }
        Some(name.trim().to_string())
    }
}

/// `k` without ` word` at its end: `k.strip_suffix(&format!(" {word}"))` without the
/// allocation, for a check made for every locality at each resolution.
fn strip_word_suffix<'a>(k: &'a str, word: &str) -> Option<&'a str> {
    k.strip_suffix(word)?.strip_suffix(' ')
}

fn strip_prefix_ci<'a>(text: &'a str, prefix: &str) -> Option<&'a str> {
    let (first, rest) = text.split_once(char::is_whitespace)?;

    (fold(first) == fold(prefix.trim())).then_some(rest)
}

fn dedup(mut v: Vec<String>) -> Vec<String> {
    let mut seen = HashSet::new();
    v.retain(|x| !x.is_empty() && seen.insert(x.clone()));
    v
}

/// The agencies of a set of obligations that are not in `rules/agencies.yaml`, each once,
/// sorted: the build reports them so a user can add them.
#[cfg(test)]
pub fn unknown_agencies(obligations: &[crate::record::Obligation]) -> Vec<String> {
    let mut names: Vec<String> = obligations
        .iter()
        .filter(|o| !o.known_agency)
        .map(|o| o.agency.clone())
        .collect();
    names.sort();
    names.dedup();
    names
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lexicon::Lexicon;

    fn rules() -> Lexicon {
        Lexicon::built_in().unwrap()
    }

    fn names(text: &str, locality: Option<&str>) -> Vec<String> {
        rules()
            .agencies
            .find(text, locality)
            .into_iter()
            .map(|m| m.name)
            .collect()
    }

    #[test]
    fn keys_fold_punctuation_and_tones() {
        assert_eq!(key("Sở LĐTB&XH"), "so ldtb xh");
        assert_eq!(
            key("Sở Lao động - Thương binh và Xã hội"),
            key("SỞ LAO ĐỘNG THƯƠNG BINH VÀ XÃ HỘI")
        );
        assert_eq!(key("Uỷ ban"), key("Ủy ban"));
        assert_eq!(slug("Sở Y tế"), "so-y-te");
        for (text, target) in [
            ("Các ", "cac"),
            (" các,", "cac"),
            ("các Sở", "cac"),
            ("", ""),
            ("Ca", "cac"),
            ("Sở Y tế", "so y te"),
        ] {
            assert_eq!(key_is(text, target), key(text) == target, "{text}");
        }
        assert_eq!(
            slug("Sở Văn hóa, Thể thao và Du lịch"),
            "so-van-hoa-the-thao-va-du-lich"
        );
    }

    #[test]
    fn key_opening_agrees_with_the_key() {
        let texts = [
            "Giám đốc Sở Y tế",
            "  các đồng chí, Chủ tịch",
            "Ủy ban nhân dân",
            "UBND; tỉnh",
            "",
            "đ",
            "Cộng\u{301} hòa ß",
        ];
        for text in texts {
            let keyed = Keyed::new(text);
            let k = &keyed.key;
            for len in 0..=k.len() {
                if !k.is_char_boundary(len) {
                    continue;
                }
                let word = &k[..len];
                let expected = KeyOpening {
                    end: keyed.end(len),
                    next: k.as_bytes().get(len).copied(),
                };
                assert_eq!(key_opening(text, word), Some(expected), "{text:?} {word:?}");
                let other = format!("{word}x");
                assert_eq!(
                    key_opening(text, &other).is_some(),
                    k.starts_with(&other),
                    "{text:?} {other:?}"
                );
            }
        }
    }

    #[test]
    fn a_sliced_head_answers_as_a_folded_one() {
        let text = "Giao  các đồng chí Giám đốc Sở Y tế, Ủy ban nhân dân; Công an tỉnh.";
        let keyed = Keyed::new(text);
        let words = [
            "giam doc",
            "cac dong chi",
            "so",
            "so y te",
            "uy ban",
            "cong an tinh",
        ];
        let longest = longest(words);
        let boundaries = (0..=text.len()).filter(|&i| text.is_char_boundary(i));
        for start in boundaries.clone() {
            for end in boundaries.clone().filter(|&e| e >= start) {
                let sliced = keyed.head(text, start..end);
                let folded = KeyHead::new(&text[start..end], longest);
                for word in words {
                    assert_eq!(
                        sliced.opening(word),
                        folded.opening(word),
                        "{:?} {word}",
                        &text[start..end]
                    );
                }
            }
        }
    }

    #[test]
    fn keyed_maps_back_to_the_text() {
        let text = "Giao Sở Y tế chủ trì";
        let keyed = Keyed::new(text);
        let s = keyed.key.find("so y te").unwrap();
        assert_eq!(
            &text[keyed.start(s)..keyed.end(s + "so y te".len())],
            "Sở Y tế"
        );
    }

    #[test]
    fn resolves_any_spelling() {
        let r = rules();
        for spelling in ["So Y te", "sở y tế", "Sở Y Tế", "SYT", "SỞ Y TẾ"] {
            assert_eq!(
                r.agencies.resolve(spelling, None).unwrap().name,
                "Sở Y tế",
                "{spelling}"
            );
        }
        assert_eq!(
            r.agencies.resolve("Sở LĐTB&XH", None).unwrap().slug,
            "so-lao-dong-thuong-binh-va-xa-hoi"
        );
        assert_eq!(
            r.agencies
                .resolve("Công an thành phố Hà Nội", None)
                .unwrap()
                .name,
            "Công an"
        );
        assert_eq!(r.agencies.resolve("cong an", None).unwrap().name, "Công an");
        assert_eq!(
            r.agencies
                .resolve("Ủy ban MTTQ Thành phố", None)
                .unwrap()
                .category,
            Category::Outside
        );
        assert!(r.agencies.resolve("Sở Không Có", None).is_none());
    }

    #[test]
    fn local_agencies_carry_the_locality() {
        let hn = Some("thành phố Hà Nội");
        assert_eq!(
            names("Giao Công an Thành phố theo dõi", hn),
            ["Công an thành phố Hà Nội"]
        );
        assert_eq!(
            names("Công an tỉnh Lạng Sơn", hn),
            ["Công an tỉnh Lạng Sơn"]
        );
        assert_eq!(names("Công an Thành phố", None), ["Công an thành phố"]);
        assert_eq!(
            names("Đề nghị Ủy ban Mặt trận Tổ quốc thành phố Hà Nội", hn),
            ["Ủy ban Mặt trận Tổ quốc Việt Nam thành phố Hà Nội"]
        );
        assert_eq!(
            names("Sở Nội vụ thành phố Hà Nội", hn),
            ["Sở Nội vụ thành phố Hà Nội"]
        );
    }

    #[test]
    fn finds_lists_leftmost_longest() {
        let hn = Some("thành phố Hà Nội");
        assert_eq!(
            names(
                "yêu cầu các Sở, ban, ngành, Ban Chỉ đạo 138 các quận, huyện, thị xã tăng cường",
                hn
            ),
            [
                "Các Sở, ban, ngành",
                "Ban Chỉ đạo 138 các quận, huyện, thị xã"
            ]
        );
        assert_eq!(
            names("7. Các Sở, ban, ngành, đoàn thể Thành phố: Chỉ đạo", hn),
            ["Các Sở, ban, ngành, đoàn thể thành phố Hà Nội"]
        );
        assert_eq!(
            names(
                "Phối hợp Sở Lao động Thương binh và Xã hội, Công an thành phố Hà Nội",
                hn
            )
            .len(),
            2
        );
        // `lực lượng Công an` names no body.
        assert_eq!(
            names("Chỉ đạo lực lượng Công an: tiếp tục", hn),
            Vec::<String>::new()
        );
    }

    #[test]
    fn unknown_names_need_a_head_and_a_capital() {
        let r = rules();
        assert_eq!(
            r.agencies
                .unknown_name("Trung tâm Phục vụ hành chính công tỉnh")
                .as_deref(),
            Some("Trung tâm Phục vụ hành chính công tỉnh")
        );
        assert_eq!(
            r.agencies.unknown_name("Cục Xuất nhập khẩu").as_deref(),
            Some("Cục Xuất nhập khẩu")
        );
        assert_eq!(r.agencies.unknown_name("Phòng, chống ma túy"), None);
        assert_eq!(r.agencies.unknown_name("đơn vị"), None);
    }

    #[test]
    fn locality_from_issuer_or_place() {
        let r = rules();
        assert_eq!(
            r.agencies
                .locality_in("ỦY BAN NHÂN DÂN THÀNH PHỐ HÀ NỘI")
                .as_deref(),
            Some("thành phố Hà Nội")
        );
        assert_eq!(
            r.agencies.locality_in("UBND TỈNH BẮC NINH").as_deref(),
            Some("tỉnh Bắc Ninh")
        );
        assert_eq!(
            r.agencies.locality_of_place("Hà Nội").as_deref(),
            Some("thành phố Hà Nội")
        );
        assert_eq!(
            r.agencies.locality_of_place("Lạng Sơn").as_deref(),
            Some("tỉnh Lạng Sơn")
        );
    }
}
