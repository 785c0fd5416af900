//! Deadlines of a task: a date (`trước ngày 15/12/2025`, `trong quý I/2026`, `năm 2026`), a
//! recurrence (`hằng tháng`, `định kỳ 6 tháng`), or only words (`Thường xuyên`).

use regex::Regex;

use crate::lexicon::agencies::Keyed;
use crate::lexicon::date::{
    self, CalendarDate, FOLDED_DAY, FOLDED_DAY_WORDS, FOLDED_MONTH, FOLDED_MONTH_RANGE,
    FOLDED_QUARTER, FOLDED_YEAR,
};
use crate::record::Deadline;

/// Compiled deadline patterns.
#[derive(Debug)]
pub struct DeadlineRules {
    /// A cue and a date after it, on the folded text with punctuation.
    dated: Vec<(Regex, DateShape)>,
    /// The same date shapes without a cue, for the value of a `Thời gian thực hiện:` line.
    bare: Vec<(Regex, DateShape)>,
    recurrences: Vec<(Regex, String)>,
    /// A start cue and a date after it (`từ ngày 01/7/2025`, `kể từ ngày ...`, `từ tháng
    /// 7/2025`, `từ năm 2026`), on the folded text.
    starts: Option<Regex>,
    /// The start cues as written, in lower case: a folded match counts only where the text
    /// has one of them (`từ`, not the `tư` of `Thứ Tư ngày 03/12/2025`).
    start_written: Vec<String>,
    /// The words that join a start to the end of its span (`đến`, `đến hết`), folded, as a
    /// pattern anchored after the start's date.
    range_ends: Option<Regex>,
    /// Folded words that make a date part of a legal condition, not a deadline
    /// (`đối với hồ sơ nộp trước ngày 01/7/2004`), when they open its clause.
    conditions: Vec<String>,
}

#[derive(Debug, Clone, Copy)]
enum DateShape {
    /// day, month, year
    Day,
    /// day of every month: `trước ngày 20 hằng tháng`
    DayMonthly,
    /// month, year: the last day of the month
    Month,
    /// first month, last month, year: the last day of the last month
    MonthRange,
    /// quarter (roman or arabic), year: the last day of the quarter
    Quarter,
    /// year: 31 December
    Year,
}

impl DeadlineRules {
    /// `cues`: alternation of folded cue words; `recurrences`: (folded pattern, name).
    pub fn new(cues: &str, recurrences: &[(String, String)]) -> Result<Self, regex::Error> {
        let cue = format!(r"\b(?:{cues})\s+");
        let shapes: [(String, DateShape); 7] = [
            (FOLDED_MONTH_RANGE.to_string(), DateShape::MonthRange),
            (format!(r"(?:ngay\s+)?{FOLDED_DAY}"), DateShape::Day),
            (format!(r"(?:ngay\s+)?{FOLDED_DAY_WORDS}"), DateShape::Day),
            (
                r"ngay\s+(\d{1,2})\s+(?:hang|hang)\s+thang".to_string(),
                DateShape::DayMonthly,
            ),
            (FOLDED_MONTH.to_string(), DateShape::Month),
            (FOLDED_QUARTER.to_string(), DateShape::Quarter),
            (FOLDED_YEAR.to_string(), DateShape::Year),
        ];
        let mut dated = Vec::new();
        let mut bare = Vec::new();
        for (pattern, shape) in shapes.iter() {
            dated.push((Regex::new(&format!("{cue}{pattern}"))?, *shape));
            bare.push((Regex::new(&format!(r"\b{pattern}"))?, *shape));
        }
        let recurrences = recurrences
            .iter()
            .map(|(p, r)| Ok((Regex::new(&format!(r"\b(?:{p})\b"))?, r.clone())))
            .collect::<Result<_, regex::Error>>()?;
        Ok(DeadlineRules {
            dated,
            bare,
            recurrences,
            starts: None,
            start_written: Vec::new(),
            range_ends: None,
            conditions: Vec::new(),
        })
    }

    /// With the start cues (as written), the words that join a start to an end (folded, as a
    /// regex alternation) and the condition words.
    pub fn with_starts(
        mut self,
        cues: &[String],
        ends: &str,
        conditions: Vec<String>,
    ) -> Result<Self, regex::Error> {
        let mut folded: Vec<String> = cues
            .iter()
            .map(|c| regex::escape(&crate::lexicon::agencies::key(c)))
            .filter(|c| !c.is_empty())
            .collect();
        folded.sort_by_key(|c| std::cmp::Reverse(c.len()));
        if !folded.is_empty() {
            self.starts = Some(Regex::new(&format!(
                r"\b(?:{})\s+(?:(?:ngay\s+)?(?:{FOLDED_DAY}|{FOLDED_DAY_WORDS})|{FOLDED_MONTH}|{FOLDED_YEAR})",
                folded.join("|")
            ))?);
        }
        self.start_written = cues.iter().map(|c| c.to_lowercase()).collect();
        if !ends.is_empty() {
            self.range_ends = Some(Regex::new(&format!(r"^\s*[),]?\s*((?:{ends}))\s+"))?);
        }
        self.conditions = conditions;
        Ok(self)
    }

    /// The start cues with their dates in `keyed`, where the text has a cue as written.
    fn start_matches<'k>(
        &'k self,
        text: &'k str,
        keyed: &'k Keyed,
    ) -> impl Iterator<Item = regex::Captures<'k>> + 'k {
        self.starts
            .iter()
            .flat_map(move |re| re.captures_iter(&keyed.key))
            .filter(move |c| {
                let at = keyed.start(c.get(0).map_or(0, |m| m.start()));
                let rest = text.get(at..).unwrap_or("");
                // The longest cue is a few words: its first bytes are enough to compare.
                let written = rest[..crate::text::floor_boundary(rest, 48)].to_lowercase();
                self.start_written
                    .iter()
                    .any(|cue| written.starts_with(cue.as_str()))
            })
    }

    /// The date from which a task runs: `Từ ngày 01/7/2025`, `kể từ ngày 01 tháng 7 năm 2026`,
    /// `từ tháng 7/2025` (its first day), `từ năm 2026` (1 January).
    pub fn start(&self, text: &str) -> Option<String> {
        let keyed = Keyed::with_punctuation(text);
        let c = self.start_matches(text, &keyed).next()?;
        let num = |i: usize| c.get(i).and_then(|m| m.as_str().parse::<u32>().ok());
        let (d, m, y) = match (num(1), num(2), num(3)) {
            (Some(d), Some(m), Some(y)) => (d, m, y),
            _ => match (num(4), num(5), num(6)) {
                (Some(d), Some(m), Some(y)) => (d, m, y),
                _ => match (num(7), num(8)) {
                    (Some(m), Some(y)) => (1, m, y),
                    _ => (1, 1, num(9)?),
                },
            },
        };
        CalendarDate::new(y, m, d).map(|date| date.iso())
    }

    /// The end of a span that a start opens (`từ ngày 01/7/2025 đến ngày 31/12/2025`, `từ
    /// tháng 7/2025 đến hết năm 2025`): the deadline is its second date.
    fn range_end(&self, text: &str, keyed: &Keyed) -> Option<Deadline> {
        let ends = self.range_ends.as_ref()?;
        let k = &keyed.key;
        self.start_matches(text, keyed).find_map(|c| {
            let after = c.get(0)?.end();
            let joint = ends.captures(&k[after..])?;
            let words = after + joint.get(1)?.start();
            let from = after + joint.get(0)?.end();
            self.bare.iter().find_map(|(re, shape)| {
                let d = re
                    .captures(&k[from..])
                    .filter(|d| d.get(0).is_some_and(|m| m.start() == 0))?;
                let (date, recurrence) = date_of(&d, *shape);
                date.as_ref()?;
                let end = from + d.get(0)?.end();
                Some(Deadline {
                    text: text[keyed.start(words)..keyed.end(end)].trim().to_string(),
                    date,
                    recurrence,
                })
            })
        })
    }

    /// True when the match at key byte `at` is a start (`từ ngày`) or stands in a clause that
    /// a condition opens (`đối với hồ sơ nộp trước ngày ...`).
    fn blocked(&self, k: &str, at: usize, end: usize) -> bool {
        let clause_start = k[..at]
            .rfind([',', ';', '.', ':', '('])
            .map(|i| i + 1)
            .unwrap_or(0);
        let clause = format!(" {} ", k[clause_start..at].trim());
        if self
            .conditions
            .iter()
            .any(|c| clause.contains(&format!(" {c} ")))
        {
            return true;
        }
        // The date of a start cue is no deadline.
        self.starts.as_ref().is_some_and(|re| {
            re.find_iter(k)
                .any(|m| m.start() <= at && m.end() >= end.min(m.end()) && m.end() > at)
        })
    }

    /// The deadline stated in a task's text, if any: the end of a span a start opens, else the
    /// first cued date, else the first recurrence.
    pub fn find(&self, text: &str) -> Option<Deadline> {
        let keyed = Keyed::with_punctuation(text);
        if let Some(end) = self.range_end(text, &keyed) {
            return Some(end);
        }
        let k = &keyed.key;
        let mut best: Option<(usize, usize, Option<String>, Option<String>)> = None;
        for (re, shape) in &self.dated {
            if let Some(c) = re.captures_iter(k).find(|c| {
                let m = c.get(0).unwrap();
                !self.blocked(k, m.start(), m.end())
            }) {
                let m = c.get(0).unwrap();
                if best.as_ref().is_none_or(|b| m.start() < b.0) {
                    let (date, rec) = date_of(&c, *shape);
                    if date.is_some() || rec.is_some() {
                        best = Some((m.start(), m.end(), date, rec));
                    }
                }
            }
        }
        if best.is_none() {
            for (re, name) in &self.recurrences {
                if let Some(m) = re.find(k) {
                    if best.as_ref().is_none_or(|b| m.start() < b.0) {
                        best = Some((m.start(), m.end(), None, Some(name.clone())));
                    }
                }
            }
        }
        let (s, e, date, recurrence) = best?;
        Some(Deadline {
            text: text[keyed.start(s)..keyed.end(e)].trim().to_string(),
            date,
            recurrence,
        })
    }

    /// The deadline of a `Thời gian thực hiện: ...` value: the words as written, with a date
    /// or recurrence where they state one.
    ///
    /// A span's end is its date (`Từ ngày 01/01/2026 đến ngày 31/3/2026`); the date of a start
    /// is not (`Từ tháng 11/2025 đến khi kết thúc Tổng kiểm kê` has none).
    pub fn of_value(&self, value: &str) -> Deadline {
        let keyed = Keyed::with_punctuation(value);
        if let Some(end) = self.range_end(value, &keyed) {
            return Deadline {
                text: value.trim().to_string(),
                ..end
            };
        }
        let k = &keyed.key;
        let after_start = self
            .start_matches(value, &keyed)
            .last()
            .and_then(|c| c.get(0).map(|m| m.end()))
            .unwrap_or(0);
        let mut date = None;
        let mut recurrence = None;
        let mut first = usize::MAX;
        for (re, shape) in &self.bare {
            if let Some(c) = re.captures_at(k, after_start) {
                let start = c.get(0).unwrap().start();
                if start < first {
                    let (d, r) = date_of(&c, *shape);
                    if d.is_some() || r.is_some() {
                        first = start;
                        date = d;
                        recurrence = r;
                    }
                }
            }
        }
        if date.is_none() && recurrence.is_none() {
            recurrence = self
                .recurrences
                .iter()
                .filter_map(|(re, name)| re.find(k).map(|m| (m.start(), name)))
                .min_by_key(|(start, _)| *start)
                .map(|(_, name)| name.clone());
        }
        Deadline {
            text: value.trim().to_string(),
            date,
            recurrence,
        }
    }
}

fn date_of(c: &regex::Captures, shape: DateShape) -> (Option<String>, Option<String>) {
    let num = |i: usize| c.get(i).and_then(|m| m.as_str().parse::<u32>().ok());
    let date = match shape {
        DateShape::DayMonthly => return (None, Some("monthly".to_string())),
        DateShape::Day => num(3)
            .zip(num(2))
            .zip(num(1))
            .and_then(|((y, m), d)| CalendarDate::new(y, m, d)),
        DateShape::Month => num(2)
            .zip(num(1))
            .and_then(|(y, m)| CalendarDate::end_of_month(y, m)),
        DateShape::MonthRange => num(3)
            .zip(num(2))
            .and_then(|(y, m)| CalendarDate::end_of_month(y, m)),
        DateShape::Quarter => c
            .get(1)
            .zip(num(2))
            .and_then(|(q, y)| date::end_of_quarter(q.as_str(), y)),
        DateShape::Year => num(1).and_then(date::end_of_year),
    };
    (date.map(|d| d.iso()), None)
}

#[cfg(test)]
mod tests {
    use crate::Rules;

    fn find(text: &str) -> Option<(String, Option<String>, Option<String>)> {
        let rules = Rules::built_in().unwrap();
        rules
            .obligations
            .deadlines
            .find(text)
            .map(|d| (d.text, d.date, d.recurrence))
    }

    #[test]
    fn dates_with_a_cue() {
        assert_eq!(
            find("báo cáo UBND Thành phố trước ngày 15/12/2025."),
            Some((
                "trước ngày 15/12/2025".into(),
                Some("2025-12-15".into()),
                None
            ))
        );
        assert_eq!(
            find("Hoàn thành trong quý I/2026"),
            Some(("trong quý I/2026".into(), Some("2026-03-31".into()), None))
        );
        assert_eq!(
            find("hoàn thành xong trong năm 2026").unwrap().1.as_deref(),
            Some("2026-12-31")
        );
        assert_eq!(
            find("gửi báo cáo trước ngày 20 hằng tháng"),
            Some((
                "trước ngày 20 hằng tháng".into(),
                None,
                Some("monthly".into())
            ))
        );
    }

    #[test]
    fn cited_dates_are_not_deadlines() {
        assert_eq!(
            find("theo Kế hoạch số 30/KH-UBND ngày 12/02/2020 của UBND Thành phố"),
            None
        );
    }

    #[test]
    fn recurrences() {
        let r = |t: &str| find(t).and_then(|d| d.2);
        assert_eq!(
            r("i) Định kỳ hàng tháng, quý, năm đánh giá tình hình").as_deref(),
            Some("monthly")
        );
        assert_eq!(
            r("định kỳ hàng quý tổ chức các đoàn bác sĩ").as_deref(),
            Some("quarterly")
        );
        assert_eq!(
            r("8. Sở Công Thương: Định kỳ hàng năm phối hợp").as_deref(),
            Some("yearly")
        );
        assert_eq!(r("báo cáo định kỳ 6 tháng").as_deref(), Some("semiannual"));
        assert_eq!(r("Thực hiện tốt công tác"), None);
    }

    #[test]
    fn time_line_values() {
        let rules = Rules::built_in().unwrap();
        let d = rules.obligations.deadlines.of_value("Thường xuyên");
        assert_eq!((d.text.as_str(), d.date), ("Thường xuyên", None));
        // 1627/QĐ-UBND, corpus-ext/4e39af96b6891368.md line 216: a span of months, not 11/12.
        let d = rules.obligations.deadlines.of_value("Tháng 11 - 12/2025");
        assert_eq!(d.date.as_deref(), Some("2025-12-31"));
        let d = rules.obligations.deadlines.of_value("Năm 2026");
        assert_eq!(d.date.as_deref(), Some("2026-12-31"));
        let d = rules.obligations.deadlines.of_value("Quý IV/2025");
        assert_eq!(d.date.as_deref(), Some("2025-12-31"));
    }

    fn start(text: &str) -> Option<String> {
        Rules::built_in().unwrap().obligations.deadlines.start(text)
    }

    #[test]
    fn a_span_s_start_is_its_start_and_its_end_the_deadline() {
        // corpus-layouts/5cbddd8946f41ee1.md lines 83-85.
        let text = "quy định từ ngày Nghị định này có hiệu lực thi hành (từ ngày 01/7/2025) đến hết ngày 31/12/2025, trường hợp UBND tỉnh chưa ban hành Bảng giá";
        assert_eq!(start(text).as_deref(), Some("2025-07-01"));
        assert_eq!(
            find(text),
            Some((
                "đến hết ngày 31/12/2025".to_string(),
                Some("2025-12-31".to_string()),
                None
            ))
        );
        let text = "Các Sở triển khai từ tháng 7/2025 đến hết năm 2025.";
        assert_eq!(start(text).as_deref(), Some("2025-07-01"));
        assert_eq!(find(text).and_then(|d| d.1).as_deref(), Some("2025-12-31"));
    }

    #[test]
    fn starts_of_every_shape() {
        for (text, iso) in [
            // corpus-ext/1a434d0a7e14dc93.md line 76.
            (
                "tham mưu tổ chức thực hiện chấm điểm từ năm 2026.",
                "2026-01-01",
            ),
            ("Từ 01/7/2025, các xã thực hiện", "2025-07-01"),
            ("bắt đầu từ ngày 01 tháng 7 năm 2026", "2026-07-01"),
        ] {
            assert_eq!(start(text).as_deref(), Some(iso), "{text}");
        }
        assert_eq!(find("Từ 01/7/2025, các xã thực hiện"), None);
    }

    #[test]
    fn a_folded_cue_needs_its_diacritics() {
        // corpus-layouts/e42103d7f815212d.md line 109: `Thứ Tư ngày 03/12/2025` is a weekday;
        // `43-CV/TU ngày 12/11/2025` a document's symbol.
        assert_eq!(start("trước Thứ Tư ngày 03/12/2025 và hằng tuần"), None);
        assert_eq!(start("Văn bản số 43-CV/TU ngày 12/11/2025 về việc"), None);
    }

    #[test]
    fn time_line_spans() {
        let rules = Rules::built_in().unwrap();
        // corpus-ext/4e39af96b6891368.md line 380.
        let d = rules
            .obligations
            .deadlines
            .of_value("Từ ngày 01/01/2026 đến ngày 31/3/2026");
        assert_eq!(d.date.as_deref(), Some("2026-03-31"));
        assert_eq!(d.text, "Từ ngày 01/01/2026 đến ngày 31/3/2026");
        // Line 209: a start and an event, no date to meet.
        let d = rules
            .obligations
            .deadlines
            .of_value("Từ tháng 11/2025 đến khi kết thúc Tổng kiểm kê");
        assert_eq!(d.date, None);
    }
}
