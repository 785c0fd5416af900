//! Stage 5: the record's fields, from the recognised layout.
//!
//! Each extractor is a function that reads what it needs and returns its own part:
//!
//! ```text
//! Layout.header ─header→ Header      Layout.tail ─recipients→ Vec<String>
//!                                    Layout.tail ─signer→ Signer
//! Context { Header, Signer, sections } ─citations→ Vec<Citation>
//!                                      ─obligations→ Vec<Obligation>, Vec<Target>
//! ```
//!
//! [`extract`] runs them in that order, the only order the types allow, and assembles the
//! [`Document`].

pub mod citations;
pub mod header;
pub mod obligations;
pub mod recipients;
pub mod signer;

use crate::lexicon::Lexicon;
use crate::record::{Diagnostic, Document, Node, Signer};
use crate::structure::Layout;

pub use citations::CitationRules;
pub use header::Header;
pub use obligations::ObligationRules;

/// What the body extractors (citations, obligations) read: the header and signature as
/// already extracted, the section tree, and the vocabulary.
#[derive(Debug, Clone, Copy)]
pub struct Context<'a> {
    pub lexicon: &'a Lexicon,
    pub header: &'a Header,
    pub signer: &'a Signer,
    pub sections: &'a [Node],
}

/// The rules every extractor runs with.
#[derive(Debug, Clone, Copy)]
pub struct Extractors<'a> {
    pub lexicon: &'a Lexicon,
    pub citations: &'a CitationRules,
    pub obligations: &'a ObligationRules,
}

/// The document's record, from its layout. `file` and `encoding` are left for the caller.
pub fn extract(layout: Layout, with: Extractors) -> Document {
    let mut header = header::extract(&layout.header, &layout.self_references, with.lexicon);
    let recipients = recipients::extract(&layout.tail);
    let signer = signer::extract(&layout.tail, with.lexicon);
    if header.issuer.is_none() && !signer.body.is_empty() {
        header.issuer = Some(signer.body.clone());
    }
    let mut diagnostics = std::mem::take(&mut header.diagnostics);
    diagnostics.extend(layout.diagnostics);
    if signer.name.is_empty() {
        let line = layout.tail.first().map_or(0, |(_, p)| p.line);
        diagnostics.push(Diagnostic::info(
            "missing-signer",
            "no signer's name found in the signature block",
            line,
        ));
    }
    let context = Context {
        lexicon: with.lexicon,
        header: &header,
        signer: &signer,
        sections: &layout.sections,
    };
    let (citations, citation_diagnostics) = citations::extract(&context, with.citations);
    let (obligations, targets, obligation_diagnostics) =
        obligations::extract(&context, with.obligations);
    diagnostics.extend(citation_diagnostics);
    diagnostics.extend(obligation_diagnostics);
    diagnostics.sort_by_key(|d| d.line);
    let Header {
        id,
        number,
        year,
        symbol,
        doc_type,
        date,
        place,
        subject,
        addressees,
        issuer,
        ..
    } = header;
    Document {
        id,
        number,
        year,
        symbol,
        doc_type,
        date,
        place,
        subject,
        addressees,
        sections: layout.sections,
        citations,
        recipients,
        signer,
        obligations,
        targets,
        diagnostics,
        issuer,
        ..Document::default()
    }
}

/// Unit tests of the body extractors describe their input as a [`Document`] with the header
/// fields and sections filled by hand; this runs an extractor on such a document.
#[cfg(test)]
pub(crate) fn on_document<T>(doc: &Document, lexicon: &Lexicon, run: impl Fn(&Context) -> T) -> T {
    let header = Header {
        id: doc.id.clone(),
        number: doc.number.clone(),
        year: doc.year.clone(),
        symbol: doc.symbol.clone(),
        doc_type: doc.doc_type.clone(),
        date: doc.date.clone(),
        place: doc.place.clone(),
        subject: doc.subject.clone(),
        addressees: doc.addressees.clone(),
        issuer: doc.issuer.clone(),
        ..Header::default()
    };
    run(&Context {
        lexicon,
        header: &header,
        signer: &doc.signer,
        sections: &doc.sections,
    })
}
