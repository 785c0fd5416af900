//! Dates, in every form directives write them: the header's `Hà Nội, ngày 14 tháng 02 năm
//! 2017`, a citation's `ngày 14/02/2017`, a user's `2020-06-30` or `30.6.2020`, and a
//! deadline's `tháng 12/2025`, `quý IV/2025` or `năm 2026` (on folded text).
//!
//! One calendar ([`CalendarDate`]) checks every one of them, so that a date the header
//! accepts is one a citation or a deadline accepts too.

use std::ops::Range;
use std::sync::OnceLock;

use regex::Regex;

/// The years a directive's date may fall in; anything else is a misread number.
const YEARS: std::ops::RangeInclusive<u32> = 1900..=2200;

/// A day of the Gregorian calendar that exists (no 31 April, 29 February only in leap years).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct CalendarDate {
    pub year: u32,
    pub month: u32,
    pub day: u32,
}

impl CalendarDate {
    /// The date, when that day exists and the year is plausible for a directive.
    pub fn new(year: u32, month: u32, day: u32) -> Option<Self> {
        let exists = YEARS.contains(&year)
            && (1..=12).contains(&month)
            && day >= 1
            && day <= last_day(year, month);
        exists.then_some(CalendarDate { year, month, day })
    }

    /// The last day of a month: what `tháng 12/2025` means as a deadline.
    pub fn end_of_month(year: u32, month: u32) -> Option<Self> {
        (1..=12)
            .contains(&month)
            .then(|| CalendarDate::new(year, month, last_day(year, month)))
            .flatten()
    }

    /// `YYYY-MM-DD`.
    pub fn iso(&self) -> String {
        format!("{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }

    /// The day `days` days after 1970-01-01 (the civil calendar of a Unix day count).
    pub fn from_unix_days(days: i64) -> Option<Self> {
        // Days since 0000-03-01, in eras of 400 years (146 097 days), as in Hinnant's
        // `civil_from_days`.
        let z = days + 719_468;
        let era = z.div_euclid(146_097);
        let day_of_era = z.rem_euclid(146_097);
        let year_of_era =
            (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
        let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
        let mp = (5 * day_of_year + 2) / 153;
        let day = day_of_year - (153 * mp + 2) / 5 + 1;
        let month = if mp < 10 { mp + 3 } else { mp - 9 };
        let year = year_of_era + era * 400 + i64::from(month <= 2);
        CalendarDate::new(
            u32::try_from(year).ok()?,
            u32::try_from(month).ok()?,
            u32::try_from(day).ok()?,
        )
    }

    /// A date typed by a user: `2020-06-30`, `30/6/2020`, `30-06-2020` or `30.06.2020`.
    pub fn parse(text: &str) -> Option<Self> {
        let parts: Vec<&str> = text.trim().split(['-', '/', '.']).collect();
        let numbers: Vec<u32> = parts
            .iter()
            .map(|p| p.parse::<u32>().ok())
            .collect::<Option<_>>()?;
        match (parts.as_slice(), numbers.as_slice()) {
            ([y, _, _], [year, month, day]) if y.len() == 4 => {
                CalendarDate::new(*year, *month, *day)
            }
            ([_, _, y], [day, month, year]) if y.len() == 4 => {
                CalendarDate::new(*year, *month, *day)
            }
            _ => None,
        }
    }
}

/// Days in a month of a year (28 to 31).
pub fn last_day(year: u32, month: u32) -> u32 {
    match month {
        4 | 6 | 9 | 11 => 30,
        2 if (year.is_multiple_of(4) && !year.is_multiple_of(100)) || year.is_multiple_of(400) => {
            29
        }
        2 => 28,
        _ => 31,
    }
}

/// The header's date line: the place before the comma and the date after it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DateLine {
    /// `Hà Nội`, `Thành phố Hồ Chí Minh`; None when only punctuation stood there.
    pub place: Option<String>,
    /// The date, or the day, month and year as written when they are not a date.
    pub date: Result<CalendarDate, (u32, u32, u32)>,
    /// Where the place and date stand in the text.
    pub span: Range<usize>,
}

fn date_line_pattern() -> &'static Regex {
    static PATTERN: OnceLock<Regex> = OnceLock::new();
    PATTERN.get_or_init(|| {
        Regex::new(r"(?:^|\s|\|)(?P<place>[\p{L}][\p{L}\s.\-]{0,60}?)\s*,\s*(?i:ngày)\s*(?P<d>\d{1,2})\s*(?i:tháng)\s*(?P<m>\d{1,2})\s*(?i:năm)\s*(?P<y>\d{4})")
            .expect("date line pattern compiles")
    })
}

/// `Hà Nội, ngày 14 tháng 02 năm 2017` anywhere in `text`: the first such place and date.
pub fn date_line(text: &str) -> Option<DateLine> {
    let caps = date_line_pattern().captures(text)?;
    let number = |name: &str| caps[name].parse::<u32>().ok();
    let (day, month, year) = (number("d")?, number("m")?, number("y")?);
    let place = caps["place"].trim().trim_start_matches(['-', '.', ' ']);
    let place = crate::text::squash_spaces(place);
    let whole = caps.get(0).expect("group 0");
    Some(DateLine {
        place: (!place.is_empty()).then_some(place),
        date: CalendarDate::new(year, month, day).ok_or((day, month, year)),
        span: whole.range(),
    })
}

/// True when `text` holds a header date line (cheaper than [`date_line`]: no captures).
pub fn has_date_line(text: &str) -> bool {
    date_line_pattern().is_match(text)
}

fn cited_date_pattern() -> &'static Regex {
    static PATTERN: OnceLock<Regex> = OnceLock::new();
    PATTERN.get_or_init(|| {
        Regex::new(r"(?i)^[\s,]*\(?\s*(?:(?:được\s+)?ban\s+hành\s+)?ngày\s*(\d{1,2})\s*(?:/|-|\.|tháng)\s*(\d{1,2})\s*(?:/|-|\.|năm)\s*(\d{4})\b")
            .expect("cited date pattern compiles")
    })
}

/// The date written right after a cited number (`... ngày 14/02/2017`, `(ban hành ngày 14
/// tháng 02 năm 2017)`): the date, where its first digit stands in `tail`, and where it ends.
pub fn cited_date(tail: &str) -> Option<(CalendarDate, usize, usize)> {
    let caps = cited_date_pattern().captures(tail)?;
    let number = |i: usize| caps[i].parse::<u32>().ok();
    let date = CalendarDate::new(number(3)?, number(2)?, number(1)?)?;
    let whole = caps.get(0).expect("group 0");
    let first_digit = whole
        .as_str()
        .find(|c: char| c.is_ascii_digit())
        .unwrap_or(0);
    Some((date, first_digit, whole.end()))
}

/// The forms of a deadline's date on folded text (lower case, no diacritics), as regex
/// fragments for the deadline recogniser to put after its cue words. Groups: day, month, year.
pub(crate) const FOLDED_DAY: &str = r"(\d{1,2})\s*[/.-]\s*(\d{1,2})\s*[/.-]\s*(\d{4})";
/// `14 thang 02 nam 2017`. Groups: day, month, year.
pub(crate) const FOLDED_DAY_WORDS: &str = r"(\d{1,2})\s+thang\s+(\d{1,2})\s+nam\s+(\d{4})";
/// `thang 12/2025`, `thang 12 nam 2025`. Groups: month, year.
pub(crate) const FOLDED_MONTH: &str = r"thang\s+(\d{1,2})\s*(?:/|nam)\s*(\d{4})";
/// `thang 11 - 12/2025`: a span of months, due at the end of the last one (read as a day
/// date it would be 11 December). Groups: first month, last month, year.
pub(crate) const FOLDED_MONTH_RANGE: &str =
    r"thang\s+(\d{1,2})\s*-\s*(\d{1,2})\s*(?:/|nam)\s*(\d{4})";
/// `quy iv/2025`, `quy 4 nam 2025`. Groups: quarter, year.
pub(crate) const FOLDED_QUARTER: &str = r"quy\s+(iv|iii|ii|i|[1-4])\s*(?:/|nam)\s*(\d{4})";
/// `nam 2026`. Group: year.
pub(crate) const FOLDED_YEAR: &str = r"nam\s+(\d{4})\b";

/// The last day of a quarter written in Roman or Arabic figures (`iv`, `4`).
pub fn end_of_quarter(quarter: &str, year: u32) -> Option<CalendarDate> {
    let quarter = match quarter {
        "i" | "1" => 1,
        "ii" | "2" => 2,
        "iii" | "3" => 3,
        "iv" | "4" => 4,
        _ => return None,
    };
    CalendarDate::end_of_month(year, quarter * 3)
}

/// 31 December of a year.
pub fn end_of_year(year: u32) -> Option<CalendarDate> {
    CalendarDate::new(year, 12, 31)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn calendar_knows_month_lengths() {
        assert!(CalendarDate::new(2024, 2, 29).is_some());
        assert!(CalendarDate::new(2025, 2, 29).is_none());
        assert!(CalendarDate::new(2025, 4, 31).is_none());
        assert!(CalendarDate::new(1800, 1, 1).is_none());
        assert_eq!(
            CalendarDate::end_of_month(2025, 2).unwrap().iso(),
            "2025-02-28"
        );
    }

    #[test]
    fn header_date_line_with_place() {
        let line = date_line("Hà Nội, ngày 14 tháng 02 năm 2017").unwrap();
        assert_eq!(line.place.as_deref(), Some("Hà Nội"));
        assert_eq!(line.date.unwrap().iso(), "2017-02-14");
        let line = date_line("Thành phố Hồ Chí Minh, ngày 19 tháng 11 năm 2025").unwrap();
        assert_eq!(line.place.as_deref(), Some("Thành phố Hồ Chí Minh"));
    }

    #[test]
    fn header_date_that_does_not_exist_keeps_its_figures() {
        let line = date_line("Hà Nội, ngày 31 tháng 4 năm 2025").unwrap();
        assert_eq!(line.date, Err((31, 4, 2025)));
    }

    #[test]
    fn unix_days_to_the_calendar() {
        assert_eq!(CalendarDate::from_unix_days(0).unwrap().iso(), "1970-01-01");
        assert_eq!(
            CalendarDate::from_unix_days(19_782).unwrap().iso(),
            "2024-02-29"
        );
        assert_eq!(
            CalendarDate::from_unix_days(20_788).unwrap().iso(),
            "2026-12-01"
        );
    }

    #[test]
    fn user_dates_in_four_forms() {
        for text in ["2020-06-30", "30/6/2020", "30-06-2020", "30.06.2020"] {
            assert_eq!(
                CalendarDate::parse(text).unwrap().iso(),
                "2020-06-30",
                "{text}"
            );
        }
        assert!(CalendarDate::parse("30/02/2020").is_none());
        assert!(CalendarDate::parse("June 30").is_none());
    }

    #[test]
    fn cited_date_after_a_number() {
        let (date, first, end) = cited_date(" ngày 14/02/2017 của Bộ").unwrap();
        assert_eq!((date.iso().as_str(), first, end), ("2017-02-14", 7, 17));
        let (date, ..) = cited_date(" (ban hành ngày 5 tháng 6 năm 2020)").unwrap();
        assert_eq!(date.iso(), "2020-06-05");
        assert!(cited_date(" về việc ngày 14/02/2017").is_none());
    }

    #[test]
    fn quarters_and_years() {
        assert_eq!(end_of_quarter("iv", 2025).unwrap().iso(), "2025-12-31");
        assert_eq!(end_of_quarter("1", 2026).unwrap().iso(), "2026-03-31");
        assert!(end_of_quarter("v", 2026).is_none());
        assert_eq!(end_of_year(2026).unwrap().iso(), "2026-12-31");
    }
}
