//! Where the header ends, where the body ends (Nơi nhận and signature), and where attached
//! documents (a plan issued with a Quyết định, an appendix) begin.

use std::sync::OnceLock;

use regex::Regex;

use crate::lines::Paragraph;
use crate::rules::Rules;
use crate::text::{fold, is_upper};

/// What a header paragraph is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HeaderRole {
    /// The issuing body, printed top left (`ỦY BAN NHÂN DÂN THÀNH PHỐ HÀ NỘI`).
    Issuer,
    /// `CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM / Độc lập - Tự do - Hạnh phúc`.
    Motto,
    Number,
    Date,
    /// The type heading (`KẾ HOẠCH`), possibly followed in the same paragraph by the title.
    TypeHeading,
    /// The trích yếu: `V/v ...`, or the title under the type heading.
    Subject,
    /// `Kính gửi:` and, when written on one line, its entries.
    AddresseeHeading,
    Addressee,
    /// Anything else before the body (portal titles, blank cells).
    Other,
}

/// What a paragraph of the closing block is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TailRole {
    RecipientHeading,
    Recipient,
    Signature,
}

pub(crate) struct Patterns {
    pub number: Regex,
    pub date: Regex,
    pub subject: Regex,
    pub addressee: Regex,
    pub recipients: Regex,
    pub authority: Regex,
    pub motto: Regex,
    pub name: Regex,
    pub signed_note: Regex,
}

pub(crate) fn patterns() -> &'static Patterns {
    static PATTERNS: OnceLock<Patterns> = OnceLock::new();
    PATTERNS.get_or_init(|| {
        let re = |p: &str| Regex::new(p).expect("region pattern compiles");
        Patterns {
            number: re(r"^(?:Số|SỐ|số)\s*[:.]?\s*(\d.*)$"),
            date: re(r"(?:^|\s|\|)(?P<place>[\p{L}][\p{L}\s.\-]{0,60}?)\s*,\s*(?i:ngày)\s*(?P<d>\d{1,2})\s*(?i:tháng)\s*(?P<m>\d{1,2})\s*(?i:năm)\s*(?P<y>\d{4})"),
            subject: re(r"^(?:V/v|V/V|v/v)\s*[:.]?\s*(.*)$"),
            addressee: re(r"^(?:(?i:kính gửi)\s*[:.]?|[\p{Lu}\s]{4,60}\s(?i:điện)\s*:)\s*(.*)$"),
            recipients: re(r"^(?i:nơi nhận)\s*[:.]?\s*(.*)$"),
            authority: re(r"^(TM|KT|TL|TUQ|Q|T/M|K/T|T/L)(?:\s*\.\s*|\s+)(\p{Lu}.*)$"),
            motto: re(r"(?i)cộng hòa xã hội chủ nghĩa|độc lập\s*-\s*tự do|đảng cộng sản việt nam"),
            name: re(r"^\p{Lu}\p{Ll}*(?:\s+\p{Lu}\p{Ll}*){1,5}$"),
            signed_note: re(r"^\(?\s*(?i:đã ký|chữ ký|ký,|ký tên|họ và tên|đã ký và đóng dấu)"),
        }
    })
}

/// Header paragraphs with their roles, and the index of the first body paragraph.
pub fn header(paragraphs: &[Paragraph], rules: &Rules) -> (Vec<(HeaderRole, usize)>, usize) {
    let p = patterns();
    let mut roles = Vec::new();
    let mut end = 0;
    let mut anchors = 0;
    let mut expect_subject = false;
    let mut in_addressees = false;
    let limit = paragraphs.len().min(80);
    let mut i = 0;
    while i < limit {
        let text = paragraphs[i].text.as_str();
        let first_line = paragraphs[i].lines[0].1.as_str();
        if !text.chars().any(char::is_alphanumeric) {
            i += 1;
            continue;
        }
        let role = if p.number.is_match(text) && anchors < 6 {
            Some(HeaderRole::Number)
        } else if p.subject.is_match(text) && !expect_subject {
            Some(HeaderRole::Subject)
        } else if p.addressee.is_match(text) {
            Some(HeaderRole::AddresseeHeading)
        } else if in_addressees
            && crate::structure::markers::recognise(text)
                .is_some_and(|m| m.kind == crate::record::NodeKind::Bullet)
        {
            Some(HeaderRole::Addressee)
        } else if p.motto.is_match(text) {
            Some(HeaderRole::Motto)
        } else if (is_type_heading(first_line, rules) || is_type_heading(text, rules))
            && !text.trim_end().ends_with(':')
        {
            // `**NGHỊ` / `QUYẾT**`: a heading broken over two lines is whole in the paragraph.
            Some(HeaderRole::TypeHeading)
        } else if expect_subject
            && crate::structure::markers::recognise(text).is_none()
            && !p.number.is_match(text)
            && !p.addressee.is_match(text)
        {
            Some(HeaderRole::Subject)
        } else if p.date.is_match(text) && text.chars().count() < 160 {
            Some(HeaderRole::Date)
        } else if anchors == 0 && is_upper(text) && text.chars().count() < 160 {
            Some(HeaderRole::Issuer)
        } else if anchors == 0 && i < 12 {
            Some(HeaderRole::Other)
        } else {
            None
        };
        let Some(role) = role else { break };
        in_addressees = matches!(role, HeaderRole::AddresseeHeading | HeaderRole::Addressee);
        expect_subject =
            role == HeaderRole::TypeHeading && !heading_has_title(&paragraphs[i], rules);
        if !matches!(role, HeaderRole::Other | HeaderRole::Issuer) {
            anchors += 1;
        }
        roles.push((role, i));
        end = i + 1;
        // A title wrapped over two paragraphs: the second starts in lower case.
        if role == HeaderRole::Subject
            && paragraphs
                .get(i + 1)
                .is_some_and(|next| next.text.chars().next().is_some_and(char::is_lowercase))
        {
            roles.push((HeaderRole::Subject, i + 1));
            end = i + 2;
            i += 1;
        }
        i += 1;
    }
    if anchors == 0 {
        return (Vec::new(), 0);
    }
    roles.retain(|&(_, index)| index < end);
    (roles, end)
}

/// A heading that names a document type: `KẾ HOẠCH`, `QUYẾT ĐỊNH`, `THÔNG BÁO`.
pub fn is_type_heading(line: &str, rules: &Rules) -> bool {
    is_upper(line)
        && rules
            .doctypes
            .by_name(line.trim_end_matches([':', '.']))
            .is_some()
}

/// The type heading's paragraph goes on with the title (`THÔNG BÁO Kết luận của ...`).
fn heading_has_title(paragraph: &Paragraph, rules: &Rules) -> bool {
    paragraph.lines.len() > 1 && is_type_heading(&paragraph.lines[0].1, rules)
}

/// True for a paragraph that opens the closing block: `Nơi nhận`, or a signature.
pub fn opens_tail(paragraphs: &[Paragraph], index: usize, rules: &Rules) -> bool {
    let p = patterns();
    let paragraph = &paragraphs[index];
    let first = paragraph.lines[0].1.as_str();
    if p.recipients.is_match(first) {
        return true;
    }
    if p.authority.is_match(first) {
        return true;
    }
    is_upper(first)
        && first.chars().count() <= 60
        && rules.signing.starts_with_title(first)
        && name_follows(paragraphs, index)
}

/// A person's name within the next lines of a title line (the signature is below it).
fn name_follows(paragraphs: &[Paragraph], index: usize) -> bool {
    let p = patterns();
    let within_paragraph = paragraphs[index]
        .lines
        .iter()
        .skip(1)
        .any(|(_, l)| p.name.is_match(l));
    within_paragraph
        || paragraphs[index + 1..]
            .iter()
            .take(3)
            .any(|next| p.name.is_match(&next.lines[0].1))
}

/// Roles of the closing block that starts at `start`, and the index after it.
pub fn tail(
    paragraphs: &[Paragraph],
    start: usize,
    rules: &Rules,
) -> (Vec<(TailRole, usize)>, usize) {
    let p = patterns();
    let mut roles = Vec::new();
    let mut in_recipients = false;
    let mut index = start;
    while index < paragraphs.len() {
        let paragraph = &paragraphs[index];
        let first = paragraph.lines[0].1.as_str();
        let role = if p.recipients.is_match(first) {
            Some(TailRole::RecipientHeading)
        } else if in_recipients
            && (first.starts_with(['-', '+', '•', '–'])
                || (paragraph.text.ends_with(';') && paragraph.text.len() < 300))
        {
            Some(TailRole::Recipient)
        } else if index > start && opens_attachment(paragraphs, index, rules) {
            None
        } else if is_signature_line(paragraph, rules) {
            Some(TailRole::Signature)
        } else {
            None
        };
        let Some(role) = role else { break };
        in_recipients = matches!(role, TailRole::RecipientHeading | TailRole::Recipient);
        roles.push((role, index));
        index += 1;
    }
    (roles, index)
}

fn is_signature_line(paragraph: &Paragraph, rules: &Rules) -> bool {
    let p = patterns();
    let first = paragraph.lines[0].1.as_str();
    p.authority.is_match(first)
        || (is_upper(first) && first.chars().count() <= 80)
        || p.name.is_match(first)
        || p.signed_note.is_match(first)
        || rules.signing.starts_with_title(first)
}

/// The start of a document issued with this one: `KẾ HOẠCH` / `QUY CHẾ` / `PHỤ LỤC I`.
pub fn opens_attachment(paragraphs: &[Paragraph], index: usize, rules: &Rules) -> bool {
    let first = paragraphs[index].lines[0].1.as_str();
    if !is_upper(first) {
        return false;
    }
    let folded = fold(first);
    if rules
        .doctypes
        .attachment_headings
        .iter()
        .any(|h| folded.starts_with(h.as_str()))
    {
        return true;
    }
    is_type_heading(first, rules)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn date_line_with_place() {
        let c = patterns()
            .date
            .captures("Hà Nội, ngày 14 tháng 02 năm 2017")
            .unwrap();
        assert_eq!(
            (&c["place"], &c["d"], &c["m"], &c["y"]),
            ("Hà Nội", "14", "02", "2017")
        );
        let c = patterns()
            .date
            .captures("Thành phố Hồ Chí Minh, ngày 19 tháng 11 năm 2025")
            .unwrap();
        assert_eq!(&c["place"], "Thành phố Hồ Chí Minh");
    }

    #[test]
    fn name_pattern() {
        assert!(patterns().name.is_match("Lê Hồng Sơn"));
        assert!(patterns().name.is_match("Nguyễn Lộc Hà"));
        assert!(!patterns().name.is_match("PHÓ CHỦ TỊCH"));
        assert!(!patterns().name.is_match("Như trên;"));
    }
}
