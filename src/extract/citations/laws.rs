//! Known law names (`rules/laws.yaml`): where a law cited by name ends, and how it is written.
//!
//! A law's name has no closing mark, so the words after it are easily taken for part of it
//! (`Luật Bảo hiểm xã hội đóng ...`). A name found in this list ends where the listed name ends
//! and takes the listed spelling; names not listed fall back to the rules of citations.yaml.

use std::collections::HashSet;

use serde::Deserialize;

use crate::rules::{RuleSource, RulesError};
use crate::text::fold;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct LawsFile {
    laws: Vec<Entry>,
}

#[derive(Deserialize)]
#[serde(untagged)]
enum Entry {
    Name(String),
    WithAliases(WithAliases),
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct WithAliases {
    name: String,
    #[serde(default)]
    aliases: Vec<String>,
    /// The law's số/ký hiệu, where one is known (`31/2024/QH15`): a citation by name alone
    /// and one by number are then one node of the registry.
    #[serde(default)]
    number: Option<String>,
}

/// One spelling of a known law, as folded words, with the name it stands for.
#[derive(Debug)]
struct Spelling {
    words: Vec<String>,
    canonical: usize,
}

/// The known names, compiled.
#[derive(Debug, Default)]
pub struct LawNames {
    names: Vec<String>,
    /// The number of each name, where the rules give one.
    numbers: Vec<Option<String>>,
    /// Longest first, so the first spelling that matches is the longest.
    spellings: Vec<Spelling>,
}

/// A known law found at the start of a text.
#[derive(Debug, PartialEq, Eq)]
pub struct KnownLaw<'a> {
    /// The name as listed in the rules.
    pub name: &'a str,
    /// Byte length of the words it covers in the text.
    pub len: usize,
}

/// The most words a listed name may have.
const MAX_WORDS: usize = 40;

impl LawNames {
    pub fn load(source: &RuleSource) -> Result<Self, RulesError> {
        let (origin, file): (_, LawsFile) = source.yaml("laws.yaml")?;
        let mut laws = LawNames::default();
        let mut seen = HashSet::new();
        for entry in file.laws {
            let (name, aliases, number) = match entry {
                Entry::Name(name) => (name, Vec::new(), None),
                Entry::WithAliases(WithAliases {
                    name,
                    aliases,
                    number,
                }) => (name, aliases, number),
            };
            let canonical = laws.names.len();
            for spelling in std::iter::once(&name).chain(&aliases) {
                let words: Vec<String> = leading_words(spelling, MAX_WORDS)
                    .into_iter()
                    .map(|(word, _)| word)
                    .collect();
                if words.len() < 2 || words.len() >= MAX_WORDS {
                    return Err(RulesError::invalid(
                        &origin,
                        format!(
                            "`{spelling}`: a law's name is a type word and 1 to {} words",
                            MAX_WORDS - 2
                        ),
                    ));
                }
                if !seen.insert(words.join(" ")) {
                    return Err(RulesError::invalid(
                        &origin,
                        format!(
                            "`{spelling}` is listed twice (case, accents and punctuation \
                             aside); give each law once, with its aliases"
                        ),
                    ));
                }
                laws.spellings.push(Spelling { words, canonical });
            }
            laws.names.push(name);
            laws.numbers.push(number.filter(|n| !n.trim().is_empty()));
        }
        laws.spellings
            .sort_by_key(|s| std::cmp::Reverse(s.words.len()));
        Ok(laws)
    }

    /// The longest known name that `text` starts with, word for word, ignoring case,
    /// diacritics and punctuation between words. Stops at the end of a sentence or clause.
    pub fn at_start(&self, text: &str) -> Option<KnownLaw<'_>> {
        let longest = self.spellings.first()?.words.len();
        let words = leading_words(text, longest);
        let spelling = self.spellings.iter().find(|s| {
            s.words.len() <= words.len()
                && s.words
                    .iter()
                    .zip(&words)
                    .all(|(known, (word, _))| known == word)
        })?;
        Some(KnownLaw {
            name: &self.names[spelling.canonical],
            len: words[spelling.words.len() - 1].1,
        })
    }
}

impl LawNames {
    /// The số/ký hiệu the rules give a law, by its name as a citation writes it (any of its
    /// listed spellings, the whole name and nothing after it).
    pub fn number_of(&self, name: &str) -> Option<&str> {
        let words: Vec<String> = leading_words(name, MAX_WORDS)
            .into_iter()
            .map(|(word, _)| word)
            .collect();
        let spelling = self.spellings.iter().find(|s| s.words == words)?;
        self.numbers[spelling.canonical].as_deref()
    }
}

/// The first `max` folded words of `text`, each with the byte offset where it ends, up to a
/// `;`, `:`, a line break or a full stop.
fn leading_words(text: &str, max: usize) -> Vec<(String, usize)> {
    let mut words = Vec::new();
    let mut start = None;
    for (i, c) in text
        .char_indices()
        .chain(std::iter::once((text.len(), ' ')))
    {
        if c.is_alphanumeric() {
            start.get_or_insert(i);
            continue;
        }
        if let Some(from) = start.take() {
            words.push((fold(&text[from..i]), i));
            if words.len() == max {
                break;
            }
        }
        let full_stop = c == '.' && !text[i + 1..].starts_with(|c: char| c.is_alphanumeric());
        if matches!(c, ';' | ':' | '\n') || full_stop {
            break;
        }
    }
    words
}

#[cfg(test)]
mod tests {
    use super::*;

    fn laws(yaml: &str) -> LawNames {
        let dir = tempdir_with("laws.yaml", yaml);
        LawNames::load(&RuleSource::from_dir(dir.path()).unwrap()).unwrap()
    }

    fn tempdir_with(name: &str, text: &str) -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join(name), text).unwrap();
        dir
    }

    const LIST: &str = "laws:\n  - Luật Đầu tư\n  - Luật Đầu tư công\n  - Luật Phòng, chống ma túy\n  - {name: Luật Thuế thu nhập cá nhân, aliases: [Luật thuế TNCN]}\n";

    #[test]
    fn the_longest_known_name_wins() {
        let laws = laws(LIST);
        let text = "Luật Đầu tư công năm 2019";
        let found = laws.at_start(text).unwrap();
        assert_eq!(found.name, "Luật Đầu tư công");
        assert_eq!(&text[..found.len], "Luật Đầu tư công");
    }

    #[test]
    fn case_accents_and_commas_do_not_matter_and_the_listed_spelling_is_kept() {
        let laws = laws(LIST);
        let text = "Luật phòng,chống ma tuý bảo đảm kịp thời";
        let found = laws.at_start(text).unwrap();
        assert_eq!(found.name, "Luật Phòng, chống ma túy");
        assert_eq!(&text[..found.len], "Luật phòng,chống ma tuý");
        assert_eq!(
            laws.at_start("Luật thuế TNCN năm 2025").unwrap().name,
            "Luật Thuế thu nhập cá nhân"
        );
    }

    #[test]
    fn a_name_does_not_run_over_a_clause_end_or_into_a_longer_word() {
        let laws = laws(LIST);
        assert_eq!(
            laws.at_start("Luật Đầu tư; công trình"),
            laws.at_start("Luật Đầu tư")
        );
        assert_eq!(laws.at_start("Luật Đầu tưx"), None);
        assert_eq!(laws.at_start("Luật Phòng. Chống ma túy"), None);
    }

    #[test]
    fn a_name_listed_twice_is_refused() {
        let dir = tempdir_with(
            "laws.yaml",
            "laws:\n  - Luật Cán bộ, công chức\n  - Luật cán bộ công chức\n",
        );
        let error = LawNames::load(&RuleSource::from_dir(dir.path()).unwrap()).unwrap_err();
        assert!(error.to_string().contains("listed twice"), "{error}");
    }

    #[test]
    fn the_built_in_list_loads() {
        let laws = LawNames::load(&RuleSource::built_in()).unwrap();
        assert!(laws.at_start("Luật Đất đai năm 2024").is_some());
    }
}
