//! Obligations per agency, their deadlines, and numeric targets. (Filled in by the obligations work.)

use serde::Deserialize;

use crate::record::{Diagnostic, Document, Obligation, Target};
use crate::rules::{RuleSource, Rules, RulesError};

/// Compiled rules of `rules/obligations.yaml`.
#[derive(Debug)]
pub struct ObligationRules {}

#[derive(Deserialize)]
struct ObligationsFile {}

impl ObligationRules {
    pub fn load(source: &RuleSource) -> Result<Self, RulesError> {
        let (_, _file): (_, ObligationsFile) = source.yaml("obligations.yaml")?;
        Ok(ObligationRules {})
    }
}

/// Obligations, targets and diagnostics of a document whose header, sections and
/// citations are already recognised.
pub fn extract(doc: &Document, rules: &Rules) -> (Vec<Obligation>, Vec<Target>, Vec<Diagnostic>) {
    let _ = (doc, rules);
    (Vec::new(), Vec::new(), Vec::new())
}
