//! The `Nơi nhận` entries.

use crate::lines::Paragraph;
use crate::structure::TailRole;

use super::header::split_entries;

/// Each entry without its leading `- ` and trailing `;`/`.`, continuation lines joined.
pub fn extract(tail: &[(TailRole, Paragraph)]) -> Vec<String> {
    let mut recipients = Vec::new();
    for (role, paragraph) in tail {
        match role {
            TailRole::RecipientHeading { inline } if !inline.trim().is_empty() => {
                recipients.extend(split_entries(inline));
            }
            TailRole::Recipient => recipients.extend(entry(&paragraph.text)),
            TailRole::RecipientHeading { .. } | TailRole::Signature { .. } => {}
        }
    }
    recipients
}

/// One entry; a `;` inside it (`VPUB: CVP, PCVP; các Phòng`) does not split it, since the
/// author kept it on one bullet.
fn entry(text: &str) -> Option<String> {
    let entry = text.trim().trim_start_matches(['-', '+', '•', '–']).trim();
    let entry = crate::text::trim_entry_end(entry);
    (!entry.is_empty()).then(|| entry.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn paragraph(text: &str) -> Paragraph {
        Paragraph {
            line: 1,
            text: text.to_string(),
            lines: vec![(1, text.to_string())],
            spans: vec![crate::record::Span::new(0, 1, 1)],
            after_frame: false,
        }
    }

    #[test]
    fn entries_from_seed() {
        let tail = vec![
            (
                TailRole::RecipientHeading {
                    inline: String::new(),
                },
                paragraph("Nơi nhận:"),
            ),
            (
                TailRole::Recipient,
                paragraph("- Phó Chủ tịch UBND Thành phố: Lê Hồng Sơn, Ngô Văn Quý;"),
            ),
            (TailRole::Recipient, paragraph("- Lưu: VT, KGVX_(Tuệ).")),
        ];
        assert_eq!(
            extract(&tail),
            vec![
                "Phó Chủ tịch UBND Thành phố: Lê Hồng Sơn, Ngô Văn Quý",
                "Lưu: VT, KGVX_(Tuệ)"
            ]
        );
    }

    #[test]
    fn inline_entries() {
        let tail = vec![(
            TailRole::RecipientHeading {
                inline: "- Như trên; - Lưu: VT.".to_string(),
            },
            paragraph("Nơi nhận: - Như trên; - Lưu: VT."),
        )];
        assert_eq!(extract(&tail), vec!["Như trên", "Lưu: VT"]);
    }
}
