//! Cited documents. (Filled in by the citations work.)

use serde::Deserialize;

use crate::record::{Citation, Diagnostic, Document};
use crate::rules::{RuleSource, Rules, RulesError};

/// Compiled rules of `rules/citations.yaml`.
#[derive(Debug)]
pub struct CitationRules {}

#[derive(Deserialize)]
struct CitationsFile {}

impl CitationRules {
    pub fn load(source: &RuleSource) -> Result<Self, RulesError> {
        let (_, _file): (_, CitationsFile) = source.yaml("citations.yaml")?;
        Ok(CitationRules {})
    }
}

/// The citations of a document whose header and sections are already recognised.
pub fn extract(doc: &Document, rules: &Rules) -> (Vec<Citation>, Vec<Diagnostic>) {
    let _ = (doc, rules);
    (Vec::new(), Vec::new())
}
