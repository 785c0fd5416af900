//! Finding a document by any spelling of its id, and the "did you mean" lists of the errors
//! when there is none.

use super::error::RegistryError;
use super::registry::{GraphNode, IndexDocument, Registry};
use crate::lexicon::doc_number::id_key;

impl Registry {
    /// The index entry of a document, by its key or by any spelling of its id (the first by
    /// key when several documents have it).
    pub fn find_document(&self, id: &str) -> Result<&IndexDocument, RegistryError> {
        if let Some(doc) = self.index.documents.iter().find(|d| d.key == id) {
            return Ok(doc);
        }
        let key = id_key(id);
        self.index
            .documents
            .iter()
            .find(|d| !d.id.is_empty() && id_key(&d.id) == key)
            .ok_or_else(|| RegistryError::UnknownDocument {
                id: id.to_string(),
                registry: self.root.display().to_string(),
                suggestions: suggest(id, self.index.documents.iter().map(|d| d.id.as_str())),
            })
    }

    /// The graph node of a key, or of an id (corpus or cited) by any spelling of it: a
    /// corpus document first, then the first by key, when several nodes have the id.
    pub fn find_node(&self, id: &str) -> Result<&GraphNode, RegistryError> {
        if let Some(node) = self.citations.nodes.iter().find(|n| n.key == id) {
            return Ok(node);
        }
        let key = id_key(id);
        let mut matching: Vec<&GraphNode> = self
            .citations
            .nodes
            .iter()
            .filter(|n| id_key(&n.id) == key)
            .collect();
        matching.sort_by_key(|n| (!n.in_corpus, n.key.clone()));
        matching
            .first()
            .copied()
            .ok_or_else(|| RegistryError::UnknownDocument {
                id: id.to_string(),
                registry: self.root.display().to_string(),
                suggestions: suggest(id, self.citations.nodes.iter().map(|n| n.id.as_str())),
            })
    }
}

/// Up to five ids close to `query`: same number, one containing the other, or a small
/// edit distance, compared folded.
pub(crate) fn suggest<'a>(query: &str, candidates: impl Iterator<Item = &'a str>) -> Vec<String> {
    let q = crate::text::fold_compact(query);
    let q_number: String = query.chars().take_while(|c| c.is_ascii_digit()).collect();
    let mut scored: Vec<(usize, String)> = Vec::new();
    for candidate in candidates.filter(|c| !c.is_empty()) {
        let c = crate::text::fold_compact(candidate);
        let distance = levenshtein(&q, &c);
        let c_number: String = candidate
            .chars()
            .take_while(|ch| ch.is_ascii_digit())
            .collect();
        let close = distance <= 2.max(q.chars().count() / 3)
            || (!q_number.is_empty() && q_number == c_number)
            || (q.len() >= 3 && (c.contains(&q) || q.contains(&c)));
        if close {
            scored.push((distance, candidate.to_string()));
        }
    }
    scored.sort();
    scored.dedup();
    scored.into_iter().take(5).map(|(_, id)| id).collect()
}

fn levenshtein(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut previous = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let current = row[j + 1];
            row[j + 1] = (previous + usize::from(ca != *cb))
                .min(row[j] + 1)
                .min(row[j + 1] + 1);
            previous = current;
        }
    }
    row[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggestions() {
        let ids = ["291/QĐ-TTg", "1790/CV-BCĐ", "31/KH-UBND"];
        assert_eq!(suggest("291/QĐ-TT", ids.into_iter()), vec!["291/QĐ-TTg"]);
        assert_eq!(suggest("32/KH-UBND", ids.into_iter()), vec!["31/KH-UBND"]);
    }
}
