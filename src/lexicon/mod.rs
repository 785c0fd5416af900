//! The directive's vocabulary, compiled once from `rules/`: the one home of every recogniser
//! that more than one stage needs.
//!
//! * [`date`]: every form a date is written in, checked by one calendar.
//! * [`doc_number`]: a số/ký hiệu (`1790/CV-BCĐ`, `94/2010/NĐ-CP`, `36-CT/TW`).
//! * [`signing`]: signing prefixes as an [`signing::Authority`], signer titles, ranks.
//! * [`doc_types`]: type codes and type headings (`KH`, `KẾ HOẠCH`), issuer codes (`TTg`).
//! * [`marker`]: the markers that open a node (`IV.`, `1.`, `a)`, `-`, `Điều 3.`).
//! * [`agencies`]: agency names, aliases and abbreviations, in one automaton.
//! * [`issuing`]: issuing bodies (`UBND`, `Bộ Tài chính`) and the scope of ký hiệu codes.
//!
//! Lines, structure and extract call these; none keeps a pattern of its own for them.

pub mod agencies;
pub mod date;
pub mod doc_number;
pub mod doc_types;
pub mod issuing;
pub mod marker;
pub mod self_reference;
pub mod signing;

use crate::rules::{RuleSource, RulesError};

pub use agencies::AgencyRules;
pub use doc_types::{DocTypes, Issuers};
pub use signing::SigningRules;

/// The compiled vocabulary shared by the stages.
#[derive(Debug)]
pub struct Lexicon {
    pub doctypes: DocTypes,
    pub issuers: Issuers,
    pub signing: SigningRules,
    pub agencies: AgencyRules,
    pub issuing: issuing::IssuingBodies,
}

impl Lexicon {
    /// Compiles the vocabulary from the rule files of `source`.
    pub fn load(source: &RuleSource) -> Result<Lexicon, RulesError> {
        Ok(Lexicon {
            doctypes: DocTypes::load(source)?,
            issuers: Issuers::load(source)?,
            signing: SigningRules::load(source)?,
            agencies: AgencyRules::load(source)?,
            issuing: issuing::IssuingBodies::load(source)?,
        })
    }

    /// The vocabulary of the rule files built into the binary.
    pub fn built_in() -> Result<Lexicon, RulesError> {
        Lexicon::load(&RuleSource::built_in())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn built_in_vocabulary_loads() {
        let lexicon = Lexicon::built_in().expect("built-in rules load");
        assert_eq!(lexicon.doctypes.by_code("kh").unwrap().name, "Kế hoạch");
        assert_eq!(
            lexicon.doctypes.by_name("QUYẾT ĐỊNH").unwrap().name,
            "Quyết định"
        );
        assert_eq!(lexicon.doctypes.canonical_code("QĐ"), Some("QĐ"));
        assert_eq!(
            lexicon.issuers.canonical_code("TTG").as_deref(),
            Some("TTg")
        );
        assert_eq!(
            lexicon.issuers.canonical_code("qh15").as_deref(),
            Some("QH15")
        );
        assert_eq!(lexicon.issuers.by_code("QH15").unwrap().name, "Quốc hội");
        assert!(lexicon.doctypes.is_type_heading("KẾ HOẠCH"));
        assert!(!lexicon.doctypes.is_type_heading("Kế hoạch"));
    }

    #[test]
    fn doc_type_codes_distinguish_d_and_dd() {
        let lexicon = Lexicon::built_in().unwrap();
        assert_eq!(lexicon.doctypes.by_code("ĐA").unwrap().name, "Đề án");
        assert_eq!(lexicon.doctypes.by_code("DA").unwrap().name, "Dự án");
    }
}
