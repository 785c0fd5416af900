//! The signature block: `TM. ỦY BAN NHÂN DÂN / KT. CHỦ TỊCH / PHÓ CHỦ TỊCH / Nguyễn Văn A`.

use crate::lexicon::signing::{is_person_name, is_signed_note, Authority};
use crate::lexicon::Lexicon;
use crate::lines::Paragraph;
use crate::record::Signer;
use crate::structure::TailRole;
use crate::text::{is_upper, squash_spaces};

/// The signer from the signature lines of the closing block: the first name, the capitals
/// line just above it as the title, the signing prefixes above that. A caption printed under
/// the name (`PHÓ CHỦ TỊCH UBND THÀNH PHỐ` / the name again) is not read.
pub fn extract(tail: &[(TailRole, Paragraph)], lexicon: &Lexicon) -> Signer {
    let rules = lexicon;
    let lines: Vec<String> = tail
        .iter()
        .filter(|(role, _)| matches!(role, TailRole::Signature { .. }))
        .flat_map(|(_, p)| {
            p.lines
                .iter()
                .flat_map(|(_, l)| split_run_together(l, lexicon))
        })
        .filter(|l| !is_signed_note(l))
        .collect();
    let lines = join_name_prefixes(join_broken_lines(lines, rules), rules);
    let lines: Vec<&str> = lines.iter().map(String::as_str).collect();
    let name_index = lines
        .iter()
        .position(|l| is_person_name(l))
        .or_else(|| first_caps_name(&lines, rules));
    let above_name = &lines[..name_index.unwrap_or(lines.len())];
    let mut signer = Signer {
        name: name_index
            .map(|i| squash_spaces(lines[i]))
            .unwrap_or_default(),
        ..Signer::default()
    };
    // After a TM. line, or a prefix line ending in a comma, a capitals line that is not a
    // title is the rest of that line (`TM. ỦY BAN NHÂN` / `DÂN`, `KT. TRƯỞNG BAN BAN CHÍNH
    // SÁCH,` / `THUẾ QUỐC TẾ`).
    let mut prefix_goes_on = false;
    // The title is the last prefix's own words: no title line was printed under it.
    let mut title_from_prefix = false;
    // The title line under a KT./TL. line is the one signed in; a title line below it is the
    // signer's other office (`PHÓ TRƯỞNG BAN THƯỜNG TRỰC` / `PHÓ THỦ TƯỚNG`).
    let mut title_under_prefix = false;
    for line in above_name {
        let continues = std::mem::take(&mut prefix_goes_on);
        let after_prefix = std::mem::take(&mut title_from_prefix);
        if title_under_prefix && rules.signing.starts_with_title(line) {
            continue;
        }
        title_from_prefix = after_prefix;
        if let Some(prefixed) = lexicon.signing.prefix(line) {
            let prefix = prefixed.authority;
            let rest = squash_spaces(prefixed.rest.trim_end_matches(','));
            if prefix == Authority::Tm {
                signer.body = rest.clone();
            }
            prefix_goes_on = prefix == Authority::Tm || prefixed.rest.trim_end().ends_with(',');
            signer.authority = prefix.as_str().to_string();
            signer.title = rest;
            title_from_prefix = true;
        } else if continues && is_upper(line) && !rules.signing.starts_with_title(line) {
            let more = line.trim_end_matches(',');
            if signer.authority == Authority::Tm.as_str() {
                signer.body = squash_spaces(&format!("{} {more}", signer.body));
            }
            signer.title = squash_spaces(&format!("{} {more}", signer.title));
            prefix_goes_on =
                line.trim_end().ends_with(',') || signer.authority == Authority::Tm.as_str();
        } else if is_upper(line) {
            signer.title = squash_spaces(line.trim_end_matches(','));
            title_under_prefix = after_prefix
                && signer.authority != Authority::Tm.as_str()
                && rules.signing.starts_with_title(line);
            title_from_prefix = false;
        }
    }
    if signer.authority == Authority::Kt.as_str() && title_from_prefix {
        signer.title = deputy_title(&signer.title, rules).unwrap_or(signer.title);
    }
    if signer.authority == Authority::Tm.as_str() && signer.title == signer.body {
        signer.title.clear();
    }
    signer
}

/// `KT. TRƯỞNG BAN ...` with no title line under it: the signer signs for the head, as the
/// deputy (`PHÓ TRƯỞNG BAN`).
fn deputy_title(head: &str, rules: &Lexicon) -> Option<String> {
    if crate::text::fold(head).starts_with("pho ") {
        return None;
    }
    let words = rules.signing.leading_title_words(head)?;
    let title: Vec<&str> = head.split_whitespace().take(words).collect();
    Some(format!("PHÓ {}", title.join(" ")))
}

/// A signature block exported as one run of text (`TM. CHÍNH PHỦKT. THỦ TƯỚNGPHÓ THỦ
/// TƯỚNG(Đã ký)Hồ Đức Phớc`) is split before each signing prefix and around `(Đã ký)`.
fn split_run_together(line: &str, lexicon: &Lexicon) -> Vec<String> {
    let mut pieces = Vec::new();
    let mut start = 0;
    for (cut, resume) in lexicon.signing.run_together_breaks(line) {
        pieces.push(line[start..cut].to_string());
        start = resume;
    }
    pieces.push(line[start..].to_string());
    pieces
        .into_iter()
        .map(|p| p.trim().to_string())
        .filter(|p| !p.is_empty())
        .collect()
}

/// A line the export broke inside bold: `KT.` / `CỤC TRƯỞNG` (a signing prefix alone on its
/// line) and `THỨ` / `TRƯỞNG`, `PHÓ` / `TRƯỞNG BAN` (a title cut after a word or two) are
/// joined into one line.
fn join_broken_lines(lines: Vec<String>, rules: &Lexicon) -> Vec<String> {
    let signing = &rules.signing;
    let mut out: Vec<String> = Vec::with_capacity(lines.len());
    for line in lines {
        if let Some(last) = out.last_mut() {
            let joined = format!("{last} {line}");
            let bare_prefix = signing
                .prefix(last)
                .is_none_or(|p| p.rest.trim().is_empty())
                && signing
                    .prefix(&joined)
                    .is_some_and(|p| !p.rest.trim().is_empty());
            let cut_title = is_upper(last)
                && is_upper(&line)
                && signing.prefix(last).is_none()
                && signing.prefix(&line).is_none()
                && last.split_whitespace().count() <= 2
                && !signing.starts_with_title(last)
                && signing.starts_with_title(&joined);
            if bare_prefix || cut_title {
                *last = joined;
                continue;
            }
        }
        out.push(line);
    }
    out
}

/// `Đại` / `tướng Nguyễn Tân Cương` → `Nguyễn Tân Cương`: a rank or degree before the name,
/// even when it was wrapped, is dropped.
fn join_name_prefixes(lines: Vec<String>, rules: &Lexicon) -> Vec<String> {
    let mut out: Vec<String> = Vec::with_capacity(lines.len());
    let mut index = 0;
    while index < lines.len() {
        match name_after_prefix(&lines, index, rules) {
            Some((name, width)) => {
                out.push(name);
                index += width;
            }
            None => {
                out.push(lines[index].clone());
                index += 1;
            }
        }
    }
    out
}

/// The name at `index` once a rank or degree before it is dropped, and how many lines it took.
fn name_after_prefix(lines: &[String], index: usize, rules: &Lexicon) -> Option<(String, usize)> {
    let joined = lines
        .get(index + 1)
        .map(|next| format!("{} {}", lines[index], next));
    let candidates = std::iter::once((lines[index].clone(), 1)).chain(joined.map(|j| (j, 2)));
    for (candidate, width) in candidates {
        for prefix in &rules.signing.name_prefixes {
            if let Some(rest) = candidate.strip_prefix(prefix.as_str()) {
                let rest = rest.trim();
                if is_person_name(rest) {
                    return Some((rest.to_string(), width));
                }
            }
        }
    }
    None
}

/// The first name printed in capitals after a title line.
fn first_caps_name(lines: &[&str], rules: &Lexicon) -> Option<usize> {
    let title = lines
        .iter()
        .position(|l| rules.signing.starts_with_title(l) || rules.signing.prefix(l).is_some())?;
    (title + 1..lines.len())
        .find(|&i| is_caps_name(lines[i], rules) && rules.signing.prefix(lines[i]).is_none())
}

/// A name printed in capitals: two to six words, no digits, not a title.
fn is_caps_name(line: &str, rules: &Lexicon) -> bool {
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
            TailRole::Signature { authority: None },
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
            },
        )]
    }

    fn signer(lines: &[&str]) -> Signer {
        extract(&tail(lines), &Lexicon::built_in().unwrap())
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
    fn collective_name_wrapped_after_tm() {
        // Regression (150d48a05ed57aa3): the body was cut to `ỦY BAN NHÂN`.
        let s = signer(&[
            "TM. ỦY BAN NHÂN",
            "DÂN",
            "KT. CHỦ TỊCH",
            "PHÓ CHỦ TỊCH",
            "Nguyễn Ngọc Sâm",
        ]);
        assert_eq!(
            (s.authority.as_str(), s.body.as_str(), s.title.as_str()),
            ("KT.", "ỦY BAN NHÂN DÂN", "PHÓ CHỦ TỊCH")
        );
    }

    #[test]
    fn kt_without_a_title_line_is_the_deputy() {
        // Regression (e3cc96834c0a575f): the wrapped end of the KT. line was read as the title.
        let s = signer(&[
            "TL. CỤC TRƯỞNG",
            "KT. TRƯỞNG BAN BAN CHÍNH SÁCH,",
            "THUẾ QUỐC TẾ",
            "Nguyễn Thị Thanh Hằng",
        ]);
        assert_eq!(
            (s.authority.as_str(), s.title.as_str()),
            ("KT.", "PHÓ TRƯỞNG BAN")
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
    fn rank_before_the_name() {
        let s = signer(&[
            "KT. BỘ TRƯỞNG",
            "THỨ TRƯỞNG",
            "Đại",
            "tướng Nguyễn Tân Cương",
        ]);
        assert_eq!(
            (s.title.as_str(), s.name.as_str()),
            ("THỨ TRƯỞNG", "Nguyễn Tân Cương")
        );
    }

    #[test]
    fn block_run_together() {
        let s = signer(&["TM. CHÍNH PHỦKT. THỦ TƯỚNGPHÓ THỦ TƯỚNG(Đã ký)Hồ Đức Phớc"]);
        assert_eq!(
            (s.authority.as_str(), s.body.as_str(), s.name.as_str()),
            ("KT.", "CHÍNH PHỦ", "Hồ Đức Phớc")
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

    #[test]
    fn prefix_and_title_broken_inside_bold() {
        let s = signer(&["KT. BỘ TRƯỞNG", "THỨ", "TRƯỞNG", "Nguyễn Thị Bích Ngọc"]);
        assert_eq!(
            (s.authority.as_str(), s.title.as_str()),
            ("KT.", "THỨ TRƯỞNG")
        );
        let s = signer(&["KT.", "CỤC TRƯỞNG", "PHÓ CỤC TRƯỞNG", "Lương Thanh Quảng"]);
        assert_eq!(
            (s.authority.as_str(), s.title.as_str()),
            ("KT.", "PHÓ CỤC TRƯỞNG")
        );
    }

    #[test]
    fn a_second_office_under_the_title_is_not_the_title() {
        let s = signer(&[
            "KT. TRƯỞNG BAN",
            "PHÓ TRƯỞNG BAN THƯỜNG TRỰC",
            "PHÓ THỦ TƯỚNG",
            "Phạm Thị Thanh Trà",
        ]);
        assert_eq!(
            (s.authority.as_str(), s.title.as_str()),
            ("KT.", "PHÓ TRƯỞNG BAN THƯỜNG TRỰC")
        );
        let s = signer(&["TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH", "Trần Sỹ Thanh"]);
        assert_eq!(s.title, "CHỦ TỊCH");
    }
}
