//! The signature block: `TM. ỦY BAN NHÂN DÂN / KT. CHỦ TỊCH / PHÓ CHỦ TỊCH / Nguyễn Văn A`.

use crate::lines::Paragraph;
use crate::record::Signer;
use crate::rules::Rules;
use crate::structure::regions::patterns;
use crate::structure::TailRole;
use crate::text::{is_upper, squash_spaces};

/// The signer from the signature lines of the closing block. A caption printed under the
/// name (`PHÓ CHỦ TỊCH UBND THÀNH PHỐ` / the name again) is not read: the first name wins.
pub fn extract(tail: &[(TailRole, Paragraph)], rules: &Rules) -> Signer {
    let lines: Vec<&str> = tail
        .iter()
        .filter(|(role, _)| *role == TailRole::Signature)
        .flat_map(|(_, p)| p.lines.iter().map(|(_, l)| l.as_str()))
        .filter(|l| !patterns().signed_note.is_match(l))
        .collect();
    let mut signer = Signer::default();
    let mut title_from_authority = None;
    let mut after_authority = 0;
    for (index, line) in lines.iter().enumerate() {
        let Some(caps) = patterns().authority.captures(line) else { continue };
        if signer.name.is_empty() && index >= after_authority {
            let prefix = format!("{}.", &caps[1]);
            let rest = squash_spaces(&caps[2]);
            if prefix == "TM." {
                signer.body = rest;
            } else {
                title_from_authority = Some(rest);
            }
            signer.authority = prefix;
            after_authority = index + 1;
        }
    }
    let rest = &lines[after_authority.min(lines.len())..];
    let title_index = rest.iter().position(|l| is_upper(l) && !patterns().authority.is_match(l));
    let title_index = title_index.filter(|&i| rules.signing.starts_with_title(rest[i]) || after_authority > 0 || i == 0);
    if let Some(i) = title_index {
        signer.title = squash_spaces(rest[i]);
    } else if let Some(title) = title_from_authority {
        signer.title = title;
    }
    let name_from = title_index.map_or(0, |i| i + 1);
    signer.name = rest[name_from.min(rest.len())..]
        .iter()
        .find(|l| patterns().name.is_match(l))
        .or_else(|| rest[name_from.min(rest.len())..].iter().find(|l| is_caps_name(l, rules)))
        .map(|l| squash_spaces(l))
        .unwrap_or_default();
    signer
}

/// A name printed in capitals: two to six words, no digits, not a title.
fn is_caps_name(line: &str, rules: &Rules) -> bool {
    let words = line.split_whitespace().count();
    is_upper(line) && (2..=6).contains(&words) && !line.chars().any(|c| c.is_ascii_digit()) && !rules.signing.starts_with_title(line)
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
                lines: lines.iter().enumerate().map(|(i, l)| (i as u32 + 1, l.to_string())).collect(),
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
        let s = signer(&["TM. BAN CHỈ ĐẠO", "TRƯỞNG BAN", "Lê Hồng Sơn", "PHÓ CHỦ TỊCH UBND THÀNH PHỐ", "Lê Hồng Sơn"]);
        assert_eq!((s.authority.as_str(), s.body.as_str(), s.title.as_str(), s.name.as_str()), ("TM.", "BAN CHỈ ĐẠO", "TRƯỞNG BAN", "Lê Hồng Sơn"));
    }

    #[test]
    fn stacked_tm_and_kt() {
        let s = signer(&["TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH", "Nguyễn Lộc Hà"]);
        assert_eq!((s.authority.as_str(), s.body.as_str(), s.title.as_str(), s.name.as_str()), ("KT.", "ỦY BAN NHÂN DÂN", "PHÓ CHỦ TỊCH", "Nguyễn Lộc Hà"));
    }

    #[test]
    fn no_prefix() {
        let s = signer(&["BỘ TRƯỞNG", "Nguyễn Văn Thắng"]);
        assert_eq!((s.authority.as_str(), s.title.as_str(), s.name.as_str()), ("", "BỘ TRƯỞNG", "Nguyễn Văn Thắng"));
    }
}
