//! Stage 5: the record's fields, from the recognised layout.
//!
//! Header, recipients and signer come from the header and closing blocks; citations and
//! obligations read the finished section tree.

pub mod agencies;
pub mod citations;
pub mod header;
pub mod obligations;
pub mod recipients;
pub mod signer;

use crate::record::Document;
use crate::rules::Rules;
use crate::structure::Layout;

/// Fills `doc` from the layout.
pub fn extract(doc: &mut Document, layout: Layout, rules: &Rules) {
    header::extract(doc, &layout.header, rules);
    doc.sections = layout.sections;
    doc.recipients = recipients::extract(&layout.tail);
    doc.signer = signer::extract(&layout.tail, rules);
    if doc.issuer.is_none() && !doc.signer.body.is_empty() {
        doc.issuer = Some(doc.signer.body.clone());
    }
    doc.diagnostics.extend(layout.diagnostics);
    if doc.signer.name.is_empty() {
        let line = layout.tail.first().map_or(0, |(_, p)| p.line);
        doc.diagnostics.push(crate::record::Diagnostic::info(
            "missing-signer",
            "no signer's name found in the signature block",
            line,
        ));
    }
    let (citations, diagnostics) = citations::extract(doc, rules);
    doc.citations = citations;
    doc.diagnostics.extend(diagnostics);
    let (obligations, targets, diagnostics) = obligations::extract(doc, rules);
    doc.obligations = obligations;
    doc.targets = targets;
    doc.diagnostics.extend(diagnostics);
    doc.diagnostics.sort_by_key(|d| d.line);
}
