//! Where the header ends, where the body ends (Nơi nhận and signature), and where attached
//! documents (a plan issued with a Quyết định, an appendix) begin.

use std::sync::OnceLock;

use regex::Regex;

use crate::lexicon::date::{self, DateLine};
use crate::lexicon::doc_number::{self, DocNumber};
use crate::lexicon::signing::{self, Authority};
use crate::lexicon::{marker, Lexicon};
use crate::lines::Paragraph;
use crate::record::NodeKind;
use crate::text::{fold, is_upper};

/// What a header paragraph is, with what it says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HeaderRole {
    /// The issuing body, printed top left (`ỦY BAN NHÂN DÂN THÀNH PHỐ HÀ NỘI`).
    Issuer,
    /// `CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM / Độc lập - Tự do - Hạnh phúc`.
    Motto,
    /// `Số: 1790/CV-BCĐ`: the số/ký hiệu, or the words after `Số:` when they are none.
    Number(Result<DocNumber, String>),
    /// `Hà Nội, ngày 14 tháng 02 năm 2017` (the value is the entry's `date`).
    Date,
    /// The type heading (`KẾ HOẠCH`), possibly followed in the same paragraph by the title.
    TypeHeading(TypeHeading),
    /// The trích yếu: `V/v ...` (`vv`), or the title under the type heading.
    Subject {
        text: String,
        vv: bool,
    },
    /// `Kính gửi:` and, when written on one line, its entries (`inline`).
    AddresseeHeading {
        inline: String,
    },
    Addressee,
    /// Anything else before the body (portal titles, blank cells).
    Other,
}

/// A type heading: the type it names and the title printed on its following lines.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TypeHeading {
    /// The type's name (`Kế hoạch`), None when the heading is no known type after all.
    pub doc_type: Option<String>,
    /// The title's input line and words, when the heading's paragraph goes on with it.
    pub title: Option<(u32, String)>,
}

/// One header paragraph: its role, and the header date line it holds, if any.
#[derive(Debug, Clone)]
pub struct HeaderEntry {
    pub role: HeaderRole,
    pub paragraph: Paragraph,
    /// A date line found in this paragraph (a type heading and the trích yếu are not read
    /// for one).
    pub date: Option<DateLine>,
}

/// What a paragraph of the closing block is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TailRole {
    /// `Nơi nhận:` and, when written on one line, its entries (`inline`).
    RecipientHeading {
        inline: String,
    },
    Recipient,
    /// A line of the signature block, with the signing prefix it opens with.
    Signature {
        authority: Option<Authority>,
    },
}

struct Patterns {
    number: Regex,
    subject: Regex,
    addressee: Regex,
    recipients: Regex,
    motto: Regex,
}

fn patterns() -> &'static Patterns {
    static PATTERNS: OnceLock<Patterns> = OnceLock::new();
    PATTERNS.get_or_init(|| {
        let re = |p: &str| Regex::new(p).expect("region pattern compiles");
        Patterns {
            number: re(
                r"^(?:(\p{L}+(?:\s\p{L}+){0,2})\s+(?:Số|SỐ|số)\s*:|(?:Số|SỐ|số)\s*[:.]?)\s*(\d.*)$",
            ),
            subject: re(r"^(?:V/v|V/V|v/v)\s*[:.]?\s*(.*)$"),
            addressee: re(r"^(?:(?i:kính gửi)\s*[:.]?|[\p{Lu}\s]{4,60}\s(?i:điện)\s*:)\s*(.*)$"),
            recipients: re(r"^(?i:nơi nhận)\s*[:.]?\s*(.*)$"),
            motto: re(r"(?i)cộng hòa xã hội chủ nghĩa|độc lập\s*-\s*tự do|đảng cộng sản việt nam"),
        }
    })
}

/// The words after `Số:` when `text` is a Số line: `Số: 12/KH-UBND`, or with the type
/// before it, as laws print it (`Luật số: 74/2025/QH15`).
fn number_line(text: &str, lexicon: &Lexicon) -> Option<String> {
    let caps = patterns().number.captures(text)?;
    // With the type before it, only `Luật số: 74/2025/QH15` alone on its line: `Thông tư số
    // 09/2025/TT-BCT ngày ...` opening a sentence is a citation.
    if let Some(prefix) = caps.get(1) {
        lexicon.doctypes.by_name(prefix.as_str())?;
        if caps[2].split_whitespace().filter(|w| *w != "|").count() > 1 {
            return None;
        }
    }
    Some(caps[2].to_string())
}

/// The words after a pattern's opening (its group 1), when `text` opens with it.
fn after(pattern: &Regex, text: &str) -> Option<String> {
    pattern
        .captures(text)
        .map(|c| c.get(1).map_or("", |m| m.as_str()).to_string())
}

/// Where the header is read: the state of the scan over its paragraphs.
#[derive(Default)]
struct HeaderScan {
    anchors: usize,
    expect_subject: bool,
    in_addressees: bool,
    /// `Kính gửi:` stood alone: its entry may follow in the next cell with no bullet.
    addressee_pending: bool,
}

impl HeaderScan {
    /// The role of a header paragraph, or None where the header has ended.
    fn role(&self, paragraph: &Paragraph, index: usize, lexicon: &Lexicon) -> Option<HeaderRole> {
        let p = patterns();
        let text = paragraph.text.as_str();
        let first_line = paragraph.lines[0].1.as_str();
        if self.anchors < 6 {
            if let Some(raw) = number_line(text, lexicon) {
                return Some(HeaderRole::Number(
                    doc_number::parse(&raw, lexicon).ok_or(raw),
                ));
            }
        }
        if !self.expect_subject {
            if let Some(rest) = after(&p.subject, text) {
                return Some(HeaderRole::Subject {
                    text: rest,
                    vv: true,
                });
            }
        }
        if let Some(inline) = after(&p.addressee, text) {
            return Some(HeaderRole::AddresseeHeading { inline });
        }
        if self.in_addressees && marker::recognise(text).is_some_and(|m| m.kind == NodeKind::Bullet)
        {
            return Some(HeaderRole::Addressee);
        }
        if self.addressee_pending
            && marker::recognise(text).is_none()
            && text.chars().count() < 300
            && !date::has_date_line(text)
        {
            return Some(HeaderRole::Addressee);
        }
        if p.motto.is_match(text) {
            return Some(HeaderRole::Motto);
        }
        if (lexicon.doctypes.is_type_heading(first_line) || lexicon.doctypes.is_type_heading(text))
            && !text.trim_end().ends_with(':')
        {
            return Some(HeaderRole::TypeHeading(type_heading(paragraph, lexicon)));
        }
        if self.expect_subject
            && marker::recognise(text).is_none()
            && number_line(text, lexicon).is_none()
            && !p.addressee.is_match(text)
        {
            return Some(subject_of(text));
        }
        if date::has_date_line(text) && text.chars().count() < 160 {
            return Some(HeaderRole::Date);
        }
        if self.anchors == 0 && is_upper(text) && text.chars().count() < 160 {
            return Some(HeaderRole::Issuer);
        }
        (self.anchors == 0 && index < 12).then_some(HeaderRole::Other)
    }

    fn record(&mut self, role: &HeaderRole, paragraph: &Paragraph, lexicon: &Lexicon) {
        self.addressee_pending =
            matches!(role, HeaderRole::AddresseeHeading { inline } if inline.trim().is_empty());
        self.in_addressees = matches!(
            role,
            HeaderRole::AddresseeHeading { .. } | HeaderRole::Addressee
        );
        self.expect_subject =
            matches!(role, HeaderRole::TypeHeading(_)) && !heading_has_title(paragraph, lexicon);
        if !matches!(role, HeaderRole::Other | HeaderRole::Issuer) {
            self.anchors += 1;
        }
    }
}

/// A trích yếu paragraph: after `V/v` when it opens with one, else the whole text.
fn subject_of(text: &str) -> HeaderRole {
    match after(&patterns().subject, text) {
        Some(rest) => HeaderRole::Subject {
            text: rest,
            vv: true,
        },
        None => HeaderRole::Subject {
            text: text.to_string(),
            vv: false,
        },
    }
}

/// The type a heading names and the title after it: `**NGHỊ` / `QUYẾT**` is a heading broken
/// over two lines, with no title; `THÔNG BÁO` / `Kết luận của ...` has its title below.
fn type_heading(paragraph: &Paragraph, lexicon: &Lexicon) -> TypeHeading {
    let types = &lexicon.doctypes;
    if let Some(whole) = types.by_name(paragraph.text.trim_end_matches([':', '.'])) {
        return TypeHeading {
            doc_type: Some(whole.name.clone()),
            title: None,
        };
    }
    let heading = paragraph.lines[0].1.trim_end_matches([':', '.']);
    let title: Vec<&str> = paragraph.lines[1..]
        .iter()
        .map(|(_, l)| l.as_str())
        .collect();
    TypeHeading {
        doc_type: types.by_name(heading).map(|t| t.name.clone()),
        title: (!title.is_empty()).then(|| (paragraph.lines[1].0, title.join(" "))),
    }
}

/// The date line a header paragraph holds; a type heading and the trích yếu hold none.
fn date_in(role: &HeaderRole, paragraph: &Paragraph) -> Option<DateLine> {
    if matches!(
        role,
        HeaderRole::Subject { .. } | HeaderRole::TypeHeading(_)
    ) {
        return None;
    }
    date::date_line(&paragraph.text)
}

/// Header paragraphs with their roles, and the index of the first body paragraph.
pub fn header(paragraphs: &[Paragraph], lexicon: &Lexicon) -> (Vec<HeaderEntry>, usize) {
    let mut scan = HeaderScan::default();
    let mut entries: Vec<(HeaderRole, usize)> = Vec::new();
    let mut end = 0;
    let limit = paragraphs.len().min(80);
    let mut i = 0;
    while i < limit {
        let paragraph = &paragraphs[i];
        if !paragraph.text.chars().any(char::is_alphanumeric) {
            i += 1;
            continue;
        }
        let Some(role) = scan.role(paragraph, i, lexicon) else {
            break;
        };
        scan.record(&role, paragraph, lexicon);
        let is_subject = matches!(role, HeaderRole::Subject { .. });
        entries.push((role, i));
        end = i + 1;
        // A title wrapped over two paragraphs: the second starts in lower case.
        let wrapped = paragraphs
            .get(i + 1)
            .is_some_and(|next| next.text.chars().next().is_some_and(char::is_lowercase));
        if is_subject && wrapped {
            entries.push((subject_of(&paragraphs[i + 1].text), i + 1));
            end = i + 2;
            i += 1;
        }
        i += 1;
    }
    if scan.anchors == 0 {
        return (Vec::new(), 0);
    }
    let entries = entries
        .into_iter()
        .filter(|&(_, index)| index < end)
        .map(|(role, index)| {
            let paragraph = paragraphs[index].clone();
            HeaderEntry {
                date: date_in(&role, &paragraph),
                role,
                paragraph,
            }
        })
        .collect();
    (entries, end)
}

/// The type heading's paragraph goes on with the title (`THÔNG BÁO Kết luận của ...`).
fn heading_has_title(paragraph: &Paragraph, lexicon: &Lexicon) -> bool {
    paragraph.lines.len() > 1 && lexicon.doctypes.is_type_heading(&paragraph.lines[0].1)
}

/// True for a paragraph that opens the closing block: `Nơi nhận`, or a signature.
pub fn opens_tail(paragraphs: &[Paragraph], index: usize, lexicon: &Lexicon) -> bool {
    let paragraph = &paragraphs[index];
    let first = paragraph.lines[0].1.as_str();
    if patterns().recipients.is_match(first) || lexicon.signing.prefix(first).is_some() {
        return true;
    }
    is_upper(first)
        && first.chars().count() <= 60
        && lexicon.signing.starts_with_title(first)
        && name_follows(paragraphs, index)
}

/// A person's name within the next lines of a title line (the signature is below it).
fn name_follows(paragraphs: &[Paragraph], index: usize) -> bool {
    let within_paragraph = paragraphs[index]
        .lines
        .iter()
        .skip(1)
        .any(|(_, l)| signing::is_person_name(l));
    within_paragraph
        || paragraphs[index + 1..]
            .iter()
            .take(3)
            .any(|next| signing::is_person_name(&next.lines[0].1))
}

/// Roles of the closing block that starts at `start`, and the index after it.
pub fn tail(
    paragraphs: &[Paragraph],
    start: usize,
    lexicon: &Lexicon,
) -> (Vec<(TailRole, usize)>, usize) {
    let mut roles = Vec::new();
    let mut in_recipients = false;
    let mut index = start;
    while index < paragraphs.len() {
        let paragraph = &paragraphs[index];
        let first = paragraph.lines[0].1.as_str();
        let role = if let Some(inline) = after(&patterns().recipients, first) {
            let inline = after(&patterns().recipients, &paragraph.text).unwrap_or(inline);
            Some(TailRole::RecipientHeading { inline })
        } else if in_recipients
            && (first.starts_with(['-', '+', '•', '–'])
                || (paragraph.text.ends_with(';') && paragraph.text.len() < 300))
        {
            Some(TailRole::Recipient)
        } else if index > start && opens_attachment(paragraphs, index, lexicon) {
            None
        } else if is_signature_line(paragraph, lexicon) {
            Some(TailRole::Signature {
                authority: lexicon.signing.prefix(first).map(|p| p.authority),
            })
        } else {
            None
        };
        let Some(role) = role else { break };
        in_recipients = matches!(
            role,
            TailRole::RecipientHeading { .. } | TailRole::Recipient
        );
        roles.push((role, index));
        index += 1;
    }
    (roles, index)
}

fn is_signature_line(paragraph: &Paragraph, lexicon: &Lexicon) -> bool {
    let first = paragraph.lines[0].1.as_str();
    lexicon.signing.prefix(first).is_some()
        || (is_upper(first) && first.chars().count() <= 80)
        || signing::is_person_name(first)
        || signing::is_signed_note(first)
        || lexicon.signing.starts_with_title(first)
}

/// The start of a document issued with this one: `KẾ HOẠCH` / `QUY CHẾ` / `PHỤ LỤC I`.
pub fn opens_attachment(paragraphs: &[Paragraph], index: usize, lexicon: &Lexicon) -> bool {
    let first = paragraphs[index].lines[0].1.as_str();
    if !is_upper(first) {
        return false;
    }
    let folded = fold(first);
    if lexicon
        .doctypes
        .attachment_headings
        .iter()
        .any(|h| folded.starts_with(h.as_str()))
    {
        return true;
    }
    lexicon.doctypes.is_type_heading(first)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn paragraph(lines: &[&str]) -> Paragraph {
        Paragraph {
            line: 1,
            text: lines.join(" "),
            lines: lines
                .iter()
                .enumerate()
                .map(|(i, l)| (i as u32 + 1, l.to_string()))
                .collect(),
            spans: vec![crate::record::Span::new(0, 1, 1)],
            after_frame: false,
        }
    }

    fn roles(paragraphs: &[&[&str]]) -> Vec<HeaderRole> {
        let lexicon = Lexicon::built_in().unwrap();
        let paragraphs: Vec<Paragraph> = paragraphs.iter().map(|p| paragraph(p)).collect();
        header(&paragraphs, &lexicon)
            .0
            .into_iter()
            .map(|e| e.role)
            .collect()
    }

    #[test]
    fn header_roles_carry_what_they_say() {
        let roles = roles(&[
            &["ỦY BAN NHÂN DÂN THÀNH PHỐ HÀ NỘI"],
            &["Số: 31/KH-UBND"],
            &["Hà Nội, ngày 14 tháng 02 năm 2017"],
            &["KẾ HOẠCH", "Phòng, chống dịch bệnh năm 2017"],
        ]);
        assert_eq!(roles[0], HeaderRole::Issuer);
        assert!(matches!(&roles[1], HeaderRole::Number(Ok(n)) if n.id == "31/KH-UBND"));
        assert_eq!(roles[2], HeaderRole::Date);
        assert_eq!(
            roles[3],
            HeaderRole::TypeHeading(TypeHeading {
                doc_type: Some("Kế hoạch".to_string()),
                title: Some((2, "Phòng, chống dịch bệnh năm 2017".to_string())),
            })
        );
    }

    #[test]
    fn a_number_line_that_is_no_number_keeps_its_words() {
        let roles = roles(&[&["Số: 12 ngày"], &["V/v: phòng chống dịch"]]);
        assert_eq!(roles[0], HeaderRole::Number(Err("12 ngày".to_string())));
        assert_eq!(
            roles[1],
            HeaderRole::Subject {
                text: "phòng chống dịch".to_string(),
                vv: true
            }
        );
    }

    #[test]
    fn signature_lines_carry_their_authority() {
        let lexicon = Lexicon::built_in().unwrap();
        let paragraphs = vec![
            paragraph(&["Nơi nhận: - Như trên;"]),
            paragraph(&["KT. CHỦ TỊCH"]),
            paragraph(&["Lê Hồng Sơn"]),
        ];
        let (roles, end) = tail(&paragraphs, 0, &lexicon);
        assert_eq!(end, 3);
        assert_eq!(
            roles[0].0,
            TailRole::RecipientHeading {
                inline: "- Như trên;".to_string()
            }
        );
        assert_eq!(
            roles[1].0,
            TailRole::Signature {
                authority: Some(Authority::Kt)
            }
        );
        assert_eq!(roles[2].0, TailRole::Signature { authority: None });
    }
}
