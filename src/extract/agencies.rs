//! Agency names, aliases and abbreviations. (Filled in by the obligations work.)

use serde::Deserialize;

use crate::rules::{RuleSource, RulesError};

/// Compiled rules of `rules/agencies.yaml`.
#[derive(Debug)]
pub struct AgencyRules {}

#[derive(Deserialize)]
struct AgenciesFile {}

impl AgencyRules {
    pub fn load(source: &RuleSource) -> Result<Self, RulesError> {
        let (_, _file): (_, AgenciesFile) = source.yaml("agencies.yaml")?;
        Ok(AgencyRules {})
    }
}
