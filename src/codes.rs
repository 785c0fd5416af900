//! Every diagnostic code vanban emits, with what it means and what to do about it: the
//! table `vanban explain` prints and the README points to.
//!
//! The codes are written where the diagnostics are made (the stage that found the problem);
//! this table is the one place that says what they mean. `tests/explain.rs` reads the
//! sources and fails when a code is emitted that the table does not explain, or explained
//! and never emitted, so the two cannot drift apart.

use crate::record::Severity;

/// Where a diagnostic is reported.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// In the document's record (`diagnostics`) and in `vanban check`.
    Record,
    /// In a registry's `index` (`diagnostics`) and in `vanban build`'s report: it shows only
    /// across documents.
    Registry,
    /// Both: the same problem seen inside one document and across the corpus.
    Both,
}

/// One diagnostic code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Code {
    /// Stable, kebab-case: what `code` holds in a diagnostic.
    pub code: &'static str,
    /// The severity it is reported with in a record (registry diagnostics carry none).
    pub severity: Option<Severity>,
    pub scope: Scope,
    /// One line: what it means.
    pub summary: &'static str,
    /// A paragraph: why it is reported and what to do.
    pub explanation: &'static str,
}

const fn code(
    code: &'static str,
    severity: Option<Severity>,
    scope: Scope,
    summary: &'static str,
    explanation: &'static str,
) -> Code {
    Code {
        code,
        severity,
        scope,
        summary,
        explanation,
    }
}

const ERROR: Option<Severity> = Some(Severity::Error);
const WARNING: Option<Severity> = Some(Severity::Warning);
const INFO: Option<Severity> = Some(Severity::Info);

pub const MISSING_ID: &str = "missing-id";
pub const DUPLICATE_ID: &str = "duplicate-id";

/// Every code, in alphabetical order.
pub const CODES: &[Code] = &[
    code(
        "agency-fragment",
        INFO,
        Scope::Record,
        "a phrase that stood where an agency's name should was not taken as an agency",
        "An obligation's agency is cut from the text before a task (`Sở Y tế chủ trì ...`). When \
         the words cut out hold a verb phrase, a date or a deadline word (`có trách nhiệm`, \
         `trước ngày`), they are a fragment of a sentence, not a body's name, and no task is \
         given to them. Read the line: if a real agency is named there, the sentence has a shape \
         the obligation rules do not follow yet (add a case under tests/cases/obligations/); if \
         not, nothing is lost.",
    ),
    code(
        "citation-after-document",
        WARNING,
        Scope::Record,
        "a cited document is dated after the document citing it",
        "A document can only cite what was issued before it, so one of the two dates is wrong: \
         the citation's `ngày ...` (often a typo in the source or an OCR misreading) or the \
         document's own date line. Check both in the original; the record keeps the dates as \
         written.",
    ),
    code(
        "citation-date-conflict",
        WARNING,
        Scope::Both,
        "one cited document is given two dates, or a date its corpus copy does not have",
        "In a record: the same số/ký hiệu is cited with different dates in one document. In a \
         registry: a citation gives a date that the corpus document with that number does not \
         have, so the citation is not linked to it (it may be another year's document with a \
         reused number). Check the dates in the original text; if the citing text is wrong \
         there is nothing to fix in vanban, and the edge stays ambiguous or unresolved.",
    ),
    code(
        "citation-year-mismatch",
        WARNING,
        Scope::Record,
        "a cited document's ký hiệu carries one year and its date another",
        "A normative document's số/ký hiệu carries its year (`94/2010/NĐ-CP`), and its date should \
         fall in that year. When they differ the source has a typo in one of them; check the \
         original and the document cited.",
    ),
    code(
        "clause-letter",
        WARNING,
        Scope::Record,
        "a lettered clause's letter is not one of the Vietnamese clause letters",
        "Điểm are lettered in Vietnamese alphabet order (a, b, c, d, đ, e, g, h, i, k, ...: no f, \
         j, w, z). A letter outside it is kept as written but its order cannot be checked; it is \
         usually an OCR misreading or a list that is not clauses.",
    ),
    code(
        "clause-skipped",
        WARNING,
        Scope::Record,
        "a lettered clause follows a skipped letter",
        "The clause letters under one node jump (`a)`, `c)`): either a clause was lost (a page \
         missing from the export, a line joined to the one before) or the source skips it. The \
         paths keep the letters as written; check the original for the missing clause.",
    ),
    code(
        "date-from-self-reference",
        INFO,
        Scope::Record,
        "no date line: the date was taken from the document naming itself",
        "The header has no date line, and the date comes from the document's own mention of \
         itself after the header (an annex caption `Kèm theo Công văn số ... ngày ...`, an \
         adoption formula `... thông qua ngày ...`). This is right for exports that lost the \
         date line; check the original if the date looks wrong.",
    ),
    code(
        "deadline-before-date",
        WARNING,
        Scope::Record,
        "a task's deadline is earlier than the document's own date",
        "A deadline before the day the document was issued cannot be met, so either the deadline \
         (often the year) or the date line is mistyped, or the date read as a deadline is \
         something else (a date the task refers to). Check the line in the original.",
    ),
    code(
        DUPLICATE_ID,
        None,
        Scope::Registry,
        "several corpus documents carry the same số/ký hiệu",
        "Every province numbers its own documents, so one id can belong to several documents, or \
         the corpus holds two copies of one. They are all kept: their records are named by their \
         keys (issuer, id, date), and a citation of the id is resolved by issuer and date. \
         Remove a file only if it is an exact copy; otherwise nothing needs doing.",
    ),
    code(
        "encoding",
        INFO,
        Scope::Record,
        "the file was decoded from a legacy encoding",
        "The input was not UTF-8 and was decoded from the encoding named (TCVN3, VNI-Windows, \
         Windows-1258, UTF-16). If the text reads wrong, force the right one with `--encoding \
         NAME`.",
    ),
    code(
        "invalid-date",
        WARNING,
        Scope::Record,
        "the date line names a day that does not exist",
        "The header's date line was found, but its day, month and year make no date (`ngày 31 \
         tháng 02`). The record's date is null; check the original, the numbers are usually \
         misread or mistyped.",
    ),
    code(
        "invalid-utf8",
        WARNING,
        Scope::Record,
        "bytes that are not UTF-8 were read as U+FFFD",
        "The file is UTF-8 with a few invalid bytes (a truncated download, a stray byte), at the \
         line and column given. They are read as the replacement character and the rest is \
         parsed; re-save or re-download the file to recover the lost letters.",
    ),
    code(
        "layout",
        INFO,
        Scope::Record,
        "the input was read in a layout other than plain text",
        "The reader recognised a special layout (a whole portal page, text with one paragraph \
         per line, a Quốc hội text, a news article...) and read it as such before parsing; the \
         record's `layout` field names it. Nothing to do unless the layout is wrong for the \
         file.",
    ),
    code(
        "look-alike-letters",
        INFO,
        Scope::Record,
        "a word mixed Cyrillic or Greek letters that look Latin; read as Latin",
        "Copies made through OCR or some editors put Cyrillic or Greek letters that look like \
         Latin ones into words (`Сông văn`), which would stop names and numbers from matching. \
         The word is read with the Latin letters; the original file is not changed.",
    ),
    code(
        "metadata-mismatch",
        WARNING,
        Scope::Record,
        "a portal's metadata table disagrees with the document's own header",
        "Portal pages carry a table (`Số hiệu`, `Ngày ban hành`, ...) beside the text. The record's \
         fields come from the document's own header, and this warning names the field where the \
         portal says otherwise; the portal's values are kept in `source_metadata`. One of them \
         has a mistake: check the original document.",
    ),
    code(
        "missing-date",
        WARNING,
        Scope::Record,
        "no date line in the header",
        "No line such as `Hà Nội, ngày 14 tháng 02 năm 2017` was found, and the document does not \
         name its own date elsewhere, so `date` is null and the registry cannot check the dates \
         citations give it. Often the export lost the line; add it to the file if you have it.",
    ),
    code(
        MISSING_ID,
        None,
        Scope::Registry,
        "a corpus document has no số/ký hiệu, so nothing can cite it",
        "The document is in the registry, under a record named after its file, but without an \
         id no citation can resolve to it. Its record has `missing-number` or \
         `unreadable-number` at its header: fix the Số line in the file if the export lost it.",
    ),
    code(
        "missing-number",
        ERROR,
        Scope::Record,
        "no Số line (số/ký hiệu) in the header",
        "No `Số: 123/KH-UBND` line was found in the header, and the document does not name its \
         own number elsewhere, so `id`, `number` and `symbol` are empty. This is the one error: \
         `vanban check` exits 1. Add the Số line to the file, or check that it is a directive at \
         all.",
    ),
    code(
        "missing-signer",
        INFO,
        Scope::Record,
        "no signer's name in the signature block",
        "The signature block (after `Nơi nhận`, or at the end) gives no person's name, so \
         `signer.name` is empty. Exports often drop the name or the whole block; nothing else \
         in the record depends on it.",
    ),
    code(
        "missing-subject",
        INFO,
        Scope::Record,
        "no trích yếu (`V/v ...` or a title under the type heading)",
        "The header gives no subject line, so `subject` is empty. Common in exports that lost the \
         header's second column; add the line to the file if you have it.",
    ),
    code(
        "number-from-self-reference",
        INFO,
        Scope::Record,
        "no Số line: the số/ký hiệu was taken from the document naming itself",
        "The header has no Số line, and the id comes from the document's own mention of itself \
         after the header (an annex caption `Kèm theo Quyết định số ...`). This is right for \
         exports that lost the Số line; check the original if the id looks wrong.",
    ),
    code(
        "repeated-number",
        INFO,
        Scope::Record,
        "two nodes at one level carry the same number; the repeat's path gets `~2`",
        "Paths must be unique, so a repeated marker (two `2.` under one Mục, often after a deleted \
         item or a copy-paste) gets a suffix: `II.2~2`. Citations and tasks use that path. Check \
         the original's numbering.",
    ),
    code(
        "unlisted-law",
        INFO,
        Scope::Record,
        "a law cited by a name that rules/laws.yaml does not list",
        "Laws are often cited by name alone (`Luật Đất đai`). A name the rules list is cited by its \
         number; one they do not list ends where a rule guesses, and may take in words of the \
         sentence. Add the law's name (and its number) to rules/laws.yaml if it is one.",
    ),
    code(
        "unreadable-number",
        WARNING,
        Scope::Record,
        "a Số line whose words are no số/ký hiệu",
        "The header has a `Số:` line, but what follows is not of the form `123/KH-UBND` or \
         `36-CT/TW` (a misread character, a missing slash, a number left blank in a draft). `id` \
         stays empty; fix the line in the file.",
    ),
];

/// The entry of `code`, or None when vanban emits no such code.
pub fn explain(code: &str) -> Option<&'static Code> {
    CODES.iter().find(|c| c.code == code)
}

/// What `vanban explain CODE` prints: the code and its one-line meaning, where and how it is
/// reported, then the explanation wrapped to `width` columns.
pub fn render(code: &Code, width: usize) -> String {
    let severity = code.severity.map_or("", Severity::as_str);
    let reported = match code.scope {
        Scope::Record => format!("{severity} in a document's record (`vanban check`, `parse`)"),
        Scope::Registry => "in a registry's index (`vanban build`)".to_string(),
        Scope::Both => format!(
            "{severity} in a document's record (`vanban check`, `parse`), and in a registry's \
             index (`vanban build`)"
        ),
    };
    let mut out = format!("{}: {}\nreported: {reported}\n\n", code.code, code.summary);
    for line in crate::text::wrap(code.explanation, width) {
        out.push_str(&line);
        out.push('\n');
    }
    out
}

/// What `vanban explain` prints: every code and its one-line meaning, one per line.
pub fn render_list() -> String {
    let width = CODES.iter().map(|c| c.code.len()).max().unwrap_or(0);
    CODES
        .iter()
        .map(|c| format!("{:width$}  {}\n", c.code, c.summary))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_sorted_unique_and_explained() {
        for pair in CODES.windows(2) {
            assert!(
                pair[0].code < pair[1].code,
                "{} before {}",
                pair[0].code,
                pair[1].code
            );
        }
        for c in CODES {
            assert!(
                !c.summary.is_empty() && !c.explanation.is_empty(),
                "{}",
                c.code
            );
            assert!(!c.summary.contains('\n'), "{}: one line", c.code);
        }
        assert_eq!(explain(MISSING_ID).map(|c| c.scope), Some(Scope::Registry));
        assert!(explain("no-such-code").is_none());
    }
}
