//! Stage 4: paragraphs to the document's layout — header, body tree, closing block,
//! attachments.
//!
//! Recognition never fails: a paragraph that is not a marker is text of the node above it,
//! and irregular numbering (a skipped letter, a repeated number) becomes a diagnostic.

mod regions;
mod tree;

use crate::lexicon::self_reference::{self, SelfReference};
use crate::lexicon::Lexicon;
use crate::lines::Paragraph;
use crate::record::{Diagnostic, Node};

pub use regions::{HeaderEntry, HeaderRole, TailRole, TypeHeading};

/// The recognised layout of one document.
#[derive(Debug, Clone)]
pub struct Layout {
    /// Header paragraphs, what each is and what it says.
    pub header: Vec<HeaderEntry>,
    /// Preamble, body nodes, closing, then attachments (`A1`, `A2`...).
    pub sections: Vec<Node>,
    /// The closing block of the main document: Nơi nhận and signature, with what each
    /// paragraph is.
    pub tail: Vec<(TailRole, Paragraph)>,
    /// The document naming itself after its header (an annex caption, an adoption
    /// formula), with the input line, in the order they stand.
    pub self_references: Vec<(SelfReference, u32)>,
    pub diagnostics: Vec<Diagnostic>,
}

/// Recognises the layout of a document from its paragraphs.
pub fn recognise(paragraphs: &[Paragraph], lexicon: &Lexicon) -> Layout {
    let (header_roles, body_start) = regions::header(paragraphs, lexicon);
    let tail_start = (body_start..paragraphs.len())
        .find(|&i| regions::opens_tail(paragraphs, i, lexicon))
        .unwrap_or(paragraphs.len());
    let (tail_roles, tail_end) = regions::tail(paragraphs, tail_start, lexicon);

    let mut builder = tree::TreeBuilder::default();
    builder.body(&paragraphs[body_start..tail_start]);
    for (index, block) in attachment_blocks(&paragraphs[tail_end..], lexicon)
        .into_iter()
        .enumerate()
    {
        builder.attachment(index + 1, block);
    }
    let (sections, diagnostics) = builder.finish();

    let self_references = paragraphs[body_start..]
        .iter()
        .filter_map(|p| self_reference_in(p, lexicon))
        .collect();
    Layout {
        header: header_roles,
        self_references,
        sections,
        tail: tail_roles
            .into_iter()
            .map(|(role, i)| (role, paragraphs[i].clone()))
            .collect(),
        diagnostics,
    }
}

/// The self-reference a paragraph makes: a caption may open any of its lines (a heading
/// and its caption are often one paragraph), and the caption may wrap onto the next lines.
fn self_reference_in(paragraph: &Paragraph, lexicon: &Lexicon) -> Option<(SelfReference, u32)> {
    // Each physical line starts one space after the one before ends (`Paragraph::join`).
    let mut offset = 0;
    let caption = paragraph.lines.iter().find_map(|(line, physical)| {
        let start = offset;
        offset += physical.len() + 1;
        let text = paragraph.text.get(start..)?;
        self_reference::caption(text, lexicon).map(|r| (r, *line))
    });
    caption
        .or_else(|| self_reference::adoption(&paragraph.text, lexicon).map(|r| (r, paragraph.line)))
}

/// Splits what follows the closing block into attached documents, each opening with its
/// heading (`KẾ HOẠCH`, `QUY CHẾ`, `PHỤ LỤC I`).
fn attachment_blocks<'a>(paragraphs: &'a [Paragraph], lexicon: &Lexicon) -> Vec<&'a [Paragraph]> {
    let mut starts: Vec<usize> = Vec::new();
    for index in 0..paragraphs.len() {
        let opens = regions::opens_attachment(paragraphs, index, lexicon);
        // A heading directly after another heading is the same attachment's title.
        let follows_heading = starts.last().is_some_and(|&s| index <= s + 1);
        if index == 0 || (opens && !follows_heading) {
            starts.push(index);
        }
    }
    starts
        .iter()
        .enumerate()
        .map(|(i, &start)| {
            &paragraphs[start..starts.get(i + 1).copied().unwrap_or(paragraphs.len())]
        })
        .collect()
}
