//! The signature block: `TM. ỦY BAN NHÂN DÂN / KT. CHỦ TỊCH / PHÓ CHỦ TỊCH / Nguyễn Văn A`.

use crate::lines::Paragraph;
use crate::record::Signer;
use crate::rules::Rules;
use crate::structure::regions::patterns;
use crate::structure::TailRole;
use crate::text::{is_upper, squash_spaces};

/// The signer from the signature lines of the closing block: the first name, the capitals
/// line just above it as the title, the signing prefixes above that. A caption printed under
/// the name (`PHÓ CHỦ TỊCH UBND THÀNH PHỐ` / the name again) is not read.
pub fn extract(tail: &[(TailRole, Paragraph)], rules: &Rules) -> Signer {
    let lines: Vec<&str> = tail
        .iter()
        .filter(|(role, _)| *role == TailRole::Signature)
        .flat_map(|(_, p)| p.lines.iter().map(|(_, l)| l.as_str()))
        .filter(|l| !patterns().signed_note.is_match(l))
        .collect();
    let name_index = lines
        .iter()
        .position(|l| patterns().name.is_match(l))
        .or_else(|| first_caps_name(&lines, rules));
    let above_name = &lines[..name_index.unwrap_or(lines.len())];
    let mut signer = Signer {
        name: name_index
            .map(|i| squash_spaces(lines[i]))
            .unwrap_or_default(),
        ..Signer::default()
    };
    for line in above_name {
        if let Some(caps) = patterns().authority.captures(line) {
            let prefix = canonical_prefix(&caps[1]);
            let rest = squash_spaces(caps[2].trim_end_matches(','));
            if prefix == "TM." {
                signer.body = rest.clone();
            }
            signer.authority = prefix.to_string();
            signer.title = rest;
        } else if is_upper(line) {
            signer.title = squash_spaces(line.trim_end_matches(','));
        }
    }
    if signer.authority == "TM." && signer.title == signer.body {
        signer.title.clear();
    }
    signer
}

/// `K/T` and `T/M` (Party documents) are `KT.` and `TM.`.
fn canonical_prefix(prefix: &str) -> &'static str {
    match prefix {
        "TM" | "T/M" => "TM.",
        "KT" | "K/T" => "KT.",
        "TL" | "T/L" => "TL.",
        "TUQ" => "TUQ.",
        _ => "Q.",
    }
}

/// The first name printed in capitals after a title line.
fn first_caps_name(lines: &[&str], rules: &Rules) -> Option<usize> {
    let title = lines
        .iter()
        .position(|l| rules.signing.starts_with_title(l) || patterns().authority.is_match(l))?;
    (title + 1..lines.len())
        .find(|&i| is_caps_name(lines[i], rules) && !patterns().authority.is_match(lines[i]))
}

/// A name printed in capitals: two to six words, no digits, not a title.
fn is_caps_name(line: &str, rules: &Rules) -> bool {
    let words = line.split_whitespace().count();
    is_upper(line)
        && (2..=6).contains(&words)
        && !line.chars().any(|c| c.is_ascii_digit())
        && !rules.signing.starts_with_title(line)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tail(lines: &[&str]) -> Vec<(TailRole, Paragraph)> {
        vec![(
            TailRole::Signature,
            Paragraph {
                line: 1,
                text: lines.join(" "),
                lines: lines
                    .iter()
                    .enumerate()
                    .map(|(i, l)| (i as u32 + 1, l.to_string()))
                    .collect(),
                spans: vec![crate::record::Span { offset: 0, line: 1 }],
                after_frame: false,
            },
        )]
    }

    fn signer(lines: &[&str]) -> Signer {
        extract(&tail(lines), &Rules::built_in().unwrap())
    }

    #[test]
    fn caption_under_the_name_is_not_the_name() {
        let s = signer(&[
            "TM. BAN CHỈ ĐẠO",
            "TRƯỞNG BAN",
            "Lê Hồng Sơn",
            "PHÓ CHỦ TỊCH UBND THÀNH PHỐ",
            "Lê Hồng Sơn",
        ]);
        assert_eq!(
            (
                s.authority.as_str(),
                s.body.as_str(),
                s.title.as_str(),
                s.name.as_str()
            ),
            ("TM.", "BAN CHỈ ĐẠO", "TRƯỞNG BAN", "Lê Hồng Sơn")
        );
    }

    #[test]
    fn stacked_tm_and_kt() {
        let s = signer(&[
            "TM. ỦY BAN NHÂN DÂN",
            "KT. CHỦ TỊCH",
            "PHÓ CHỦ TỊCH",
            "Nguyễn Lộc Hà",
        ]);
        assert_eq!(
            (
                s.authority.as_str(),
                s.body.as_str(),
                s.title.as_str(),
                s.name.as_str()
            ),
            ("KT.", "ỦY BAN NHÂN DÂN", "PHÓ CHỦ TỊCH", "Nguyễn Lộc Hà")
        );
    }

    #[test]
    fn title_is_the_line_above_the_name() {
        let s = signer(&[
            "KT. BỘ TRƯỞNG,",
            "CHỦ NHIỆM",
            "PHÓ CHỦ NHIỆM",
            "Trịnh Mạnh Linh",
        ]);
        assert_eq!(
            (s.authority.as_str(), s.title.as_str()),
            ("KT.", "PHÓ CHỦ NHIỆM")
        );
        let s = signer(&[
            "XÁC THỰC VĂN BẢN HỢP NHẤT",
            "KT. BỘ TRƯỞNG",
            "THỨ TRƯỞNG",
            "Nguyễn Hoàng Long",
        ]);
        assert_eq!(
            (s.authority.as_str(), s.title.as_str()),
            ("KT.", "THỨ TRƯỞNG")
        );
    }

    #[test]
    fn party_prefix_with_slash() {
        let s = signer(&["K/T TRƯỞNG BAN", "PHÓ TRƯỞNG BAN", "Ngô Đông Hải"]);
        assert_eq!(
            (s.authority.as_str(), s.title.as_str(), s.name.as_str()),
            ("KT.", "PHÓ TRƯỞNG BAN", "Ngô Đông Hải")
        );
    }

    #[test]
    fn no_prefix() {
        let s = signer(&["BỘ TRƯỞNG", "Nguyễn Văn Thắng"]);
        assert_eq!(
            (s.authority.as_str(), s.title.as_str(), s.name.as_str()),
            ("", "BỘ TRƯỞNG", "Nguyễn Văn Thắng")
        );
    }
}
