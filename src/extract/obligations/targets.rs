//! Numeric targets (chỉ tiêu): `17.700 lượt người`, `100%`, `95% trở lên`, `từ 15 - 40 Câu lạc
//! bộ`, `1,5 lần`. A number counts only with a unit after it, so dates, years, document
//! numbers and article numbers are left alone.

use regex::Regex;

use crate::lexicon::agencies::Keyed;
use crate::record::Target;
use crate::text::fold;

/// Compiled target patterns.
#[derive(Debug)]
pub struct TargetRules {
    pattern: Regex,
    /// Folded unit → unit as the rules write it.
    units: Vec<(String, String)>,
    money: Vec<String>,
    cues: Vec<String>,
    blockers: Vec<String>,
}

const NUMBER: &str = r"\d{1,3}(?:\.\d{3})+|\d+(?:,\d+)?";

impl TargetRules {
    pub fn new(
        units: &[String],
        money: &[String],
        cues: &[String],
        blockers: &[String],
    ) -> Result<Self, regex::Error> {
        let mut folded: Vec<(String, String)> =
            units.iter().map(|u| (fold(u), u.clone())).collect();
        folded.sort_by_key(|(f, _)| std::cmp::Reverse(f.len()));
        let alternation = folded
            .iter()
            .map(|(f, _)| regex::escape(f))
            .collect::<Vec<_>>()
            .join("|");
        let pattern = Regex::new(&format!(
            r"(?:tu\s+)?({NUMBER})(?:\s*(?:-|–|den)\s*({NUMBER}))?\s*(%|(?:{alternation})\b)(?:\s*(?:tro len|tro xuong))?"
        ))?;
        Ok(TargetRules {
            pattern,
            units: folded,
            money: money.iter().map(|m| fold(m)).collect(),
            cues: cues.iter().map(|c| fold(c)).collect(),
            blockers: blockers.iter().map(|b| fold(b)).collect(),
        })
    }

    /// The targets in one node's content, with the byte offset of each in `text`.
    pub fn find(&self, text: &str, allow_money: bool) -> Vec<(usize, Target)> {
        let keyed = Keyed::with_punctuation(text);
        let k = &keyed.key;
        let mut out = Vec::new();
        for c in self.pattern.captures_iter(k) {
            let whole = c.get(0).unwrap();
            let first = c.get(1).unwrap();
            // Not part of a code, a date or a longer number (`B93`, `12/2020`, `1.5.3`).
            let before = k[..first.start()].chars().next_back();
            if before.is_some_and(|b| b.is_alphanumeric() || matches!(b, '/' | '.' | ',' | '-'))
                && !k[..first.start()].ends_with(' ')
            {
                continue;
            }
            let after_number = k[first.end()..].chars().next();
            if matches!(after_number, Some('/')) {
                continue;
            }
            let preceding: Vec<&str> = k[..whole.start()]
                .split_whitespace()
                .rev()
                .take(2)
                .collect();
            let last_word = preceding.first().copied().unwrap_or("");
            let last_two = if preceding.len() == 2 {
                format!("{} {}", preceding[1], preceding[0])
            } else {
                String::new()
            };
            if self
                .blockers
                .iter()
                .any(|b| b == last_word || *b == last_two)
            {
                continue;
            }
            let unit_key = c.get(3).unwrap().as_str();
            let unit = if unit_key == "%" {
                "%".to_string()
            } else {
                self.units
                    .iter()
                    .find(|(f, _)| f == unit_key)
                    .map(|(_, u)| u.clone())
                    .unwrap_or_else(|| unit_key.to_string())
            };
            if self.money.iter().any(|m| m == unit_key) {
                let window_start = whole.start().saturating_sub(80);
                let window = &k[floor(k, window_start)..whole.start()];
                if !allow_money || !self.cues.iter().any(|cue| window.contains(cue.as_str())) {
                    continue;
                }
            }
            let written = text[keyed.start(whole.start())..keyed.end(whole.end())]
                .trim()
                .to_string();
            let offset = keyed.start(whole.start());
            for number in [c.get(1), c.get(2)].into_iter().flatten() {
                if let Some(value) = parse_number(number.as_str()) {
                    out.push((
                        offset,
                        Target {
                            path: String::new(),
                            value,
                            unit: unit.clone(),
                            text: written.clone(),
                            line: 0,
                        },
                    ));
                }
            }
        }
        out
    }
}

fn floor(text: &str, mut i: usize) -> usize {
    while i > 0 && !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// `17.700` → 17700, `1,5` → 1.5, `01` → 1.
pub fn parse_number(written: &str) -> Option<f64> {
    let plain = if written.contains('.') && !written.contains(',') {
        written.replace('.', "")
    } else {
        written.replace('.', "").replace(',', ".")
    };
    plain.parse::<f64>().ok()
}

#[cfg(test)]
mod tests {
    use crate::Rules;

    fn values(text: &str) -> Vec<(f64, String)> {
        let rules = Rules::built_in().unwrap();
        rules
            .obligations
            .targets
            .find(text, true)
            .into_iter()
            .map(|(_, t)| (t.value, t.unit))
            .collect()
    }

    #[test]
    fn counts_and_percentages() {
        let v = values("Phấn đấu đến năm 2020, tổ chức cai nghiện cho 100% người nghiện ma túy có hồ sơ quản lý. Cụ thể: Tổ chức điều trị, cai nghiện cho 17.700 lượt người nghiện ma túy: Cai nghiện ma túy bắt buộc cho 2.500 người; cai nghiện tự nguyện tại các cơ sở cai nghiện cho 8.000 lượt người");
        assert_eq!(
            v,
            vec![
                (100.0, "%".to_string()),
                (17700.0, "lượt người".to_string()),
                (2500.0, "người".to_string()),
                (8000.0, "lượt người".to_string())
            ]
        );
    }

    #[test]
    fn ranges_decimals_and_suffixes() {
        let v = values("c) Duy trì hoạt động từ 15 - 40 Câu lạc bộ quản lý sau cai (B93) phấn đấu 80% Câu lạc bộ");
        assert_eq!(
            v.iter().map(|x| x.0).collect::<Vec<_>>(),
            vec![15.0, 40.0, 80.0]
        );
        assert_eq!(v[0].1, "câu lạc bộ");
        assert_eq!(
            values("tăng 1,5 lần so với năm 2020"),
            vec![(1.5, "lần".to_string())]
        );
        let rules = Rules::built_in().unwrap();
        let t = rules
            .obligations
            .targets
            .find("tải lượng vi rút dưới ngưỡng đạt 95% trở lên.", true);
        assert_eq!(t[0].1.text, "95% trở lên");
    }

    #[test]
    fn dates_codes_and_articles_are_not_targets() {
        assert!(
            values("Quyết định số 1640/QĐ-TTg ngày 18/8/2016 của Thủ tướng Chính phủ").is_empty()
        );
        assert!(values("theo quy định tại Điều 26 Luật sửa đổi, khoản 2 Điều 3").is_empty());
        assert!(values("Câu lạc bộ B93 tại 30 quận, huyện").is_empty());
        assert!(values("phạt tiền từ 5.000.000 đồng đến 10.000.000 đồng").is_empty());
    }
}
