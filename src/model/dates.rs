//! A page's `date:` and `updated:` as written: a day, or a day with a time of day and
//! perhaps an offset from UTC (`2024-10-01T10:00:00+03:00`, TOML's datetimes, RFC 2822
//! dates from older blogs). The time is kept for sorting, display, Atom and sitemaps.

use std::fmt;

use jiff::civil::{Date, Time};
use jiff::tz::Offset;

use super::fields::FieldError;

/// A day, or a moment of a day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) struct PageDate {
    /// The day.
    pub(crate) day: Date,
    /// The time of day, if written.
    pub(crate) time: Option<Time>,
    /// The offset from UTC, if written with the time.
    pub(crate) offset: Option<Offset>,
}

impl PartialOrd for PageDate {
    fn partial_cmp(&self, other: &PageDate) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

/// Earlier first; a day without a time counts as its midnight. Offsets are not applied:
/// pages of one site are written in one zone.
impl Ord for PageDate {
    fn cmp(&self, other: &PageDate) -> std::cmp::Ordering {
        (self.day, self.time.unwrap_or(Time::midnight()))
            .cmp(&(other.day, other.time.unwrap_or(Time::midnight())))
    }
}

impl PageDate {
    /// A day without a time.
    pub(crate) fn day(day: Date) -> PageDate {
        PageDate {
            day,
            time: None,
            offset: None,
        }
    }

    /// An RFC 3339 timestamp, as Atom and sitemaps want: midnight for a day, UTC when
    /// no offset was written.
    pub(crate) fn rfc3339(&self) -> String {
        let time = self.time.unwrap_or(Time::midnight());
        let offset = self.offset.map_or_else(|| "Z".to_string(), offset_text);
        format!("{}T{}{offset}", self.day, time.strftime("%H:%M:%S"))
    }

    /// A W3C datetime, as sitemaps take it: the day alone for a day, else as
    /// [`PageDate::rfc3339`].
    pub(crate) fn w3c(&self) -> String {
        match self.time {
            None => self.day.to_string(),
            Some(_) => self.rfc3339(),
        }
    }

    /// Reads a date as writers write it: `2024-09-26`, `2024-09-26T10:00`,
    /// `2024-09-26 10:00:00`, with `Z` or `+03:00`, or as RFC 2822
    /// (`Thu, 26 Sep 2024 10:00:00 +0300`).
    pub(crate) fn parse(text: &str) -> Result<PageDate, FieldError> {
        let text = text.trim();
        let hint = "write a date as YYYY-MM-DD, with a time if you like: 2024-09-26 or 2024-09-26T10:00:00+03:00";
        let wrong = |why: String| FieldError {
            item: Some(text.to_string()),
            ..FieldError::new(format!("`{text}` is not a valid date: {why}"), hint)
        };
        if text.len() > 10 && text.as_bytes()[0].is_ascii_alphabetic() {
            let zoned = jiff::fmt::rfc2822::parse(text).map_err(|e| wrong(e.to_string()))?;
            return Ok(PageDate {
                day: zoned.date(),
                time: Some(zoned.time()),
                offset: Some(zoned.offset()),
            });
        }
        let (day, rest) = match text.get(..10) {
            Some(day) if text.len() > 10 => (day, Some(&text[10..])),
            _ => (text, None),
        };
        let day = parse_day(day).map_err(wrong)?;
        let Some(rest) = rest else {
            return Ok(PageDate::day(day));
        };
        let Some(clock) = rest.strip_prefix(['T', 't', ' ']) else {
            return Err(wrong(
                "a time must follow the day after `T` or a space".into(),
            ));
        };
        let (clock, offset) = split_offset(clock).map_err(wrong)?;
        let time: Time = clock
            .parse()
            .map_err(|e: jiff::Error| wrong(e.to_string()))?;
        Ok(PageDate {
            day,
            time: Some(time),
            offset,
        })
    }
}

/// `10:00:00+03:00` → (`10:00:00`, +03:00); `10:00Z` → UTC; no offset → `None`.
/// Reads `YYYY-MM-DD`, saying in a writer's words what is wrong: the form, or the month
/// or day that does not exist (not the date library's words).
pub(crate) fn parse_day(text: &str) -> Result<Date, String> {
    const FORM: &str = "a date is written YYYY-MM-DD";
    // Read by hand, with no list of parts made: templates format dates many times a page.
    let number = |part: Option<&str>, digits: usize| {
        let part = part.filter(|p| p.len() == digits && p.bytes().all(|b| b.is_ascii_digit()))?;
        Some(part.bytes().fold(0i16, |n, b| n * 10 + i16::from(b - b'0')))
    };
    let mut parts = text.splitn(4, '-');
    let (Some(year), Some(month), Some(day), None) = (
        number(parts.next(), 4),
        number(parts.next(), 2),
        number(parts.next(), 2),
        parts.next(),
    ) else {
        return Err(FORM.into());
    };
    if !(1..=12).contains(&month) {
        return Err(format!(
            "there is no month {month}; months go from 01 to 12"
        ));
    }
    let first = Date::new(year, month as i8, 1).map_err(|_| FORM.to_string())?;
    let last = first.days_in_month();
    if day < 1 || day > i16::from(last) {
        return Err(format!("{} {year} has {last} days", first.strftime("%B")));
    }
    Date::new(year, month as i8, day as i8).map_err(|_| FORM.into())
}

fn split_offset(clock: &str) -> Result<(&str, Option<Offset>), String> {
    if let Some(clock) = clock.strip_suffix(['Z', 'z']) {
        return Ok((clock, Some(Offset::UTC)));
    }
    let Some(at) = clock.rfind(['+', '-']) else {
        return Ok((clock, None));
    };
    let (clock, offset) = clock.split_at(at);
    let sign: i32 = if offset.starts_with('-') { -1 } else { 1 };
    let digits: String = offset[1..].chars().filter(char::is_ascii_digit).collect();
    let (hours, minutes) = match digits.len() {
        2 => (&digits[..2], "0"),
        4 => (&digits[..2], &digits[2..]),
        _ => return Err(format!("`{offset}` is not an offset such as +03:00")),
    };
    let seconds = sign
        * (hours.parse::<i32>().unwrap_or(99) * 3600 + minutes.parse::<i32>().unwrap_or(99) * 60);
    Offset::from_seconds(seconds)
        .map(|o| (clock, Some(o)))
        .map_err(|e| e.to_string())
}

fn offset_text(offset: Offset) -> String {
    if offset == Offset::UTC {
        return "Z".to_string();
    }
    let total = offset.seconds();
    let sign = if total < 0 { '-' } else { '+' };
    let total = total.unsigned_abs();
    format!("{sign}{:02}:{:02}", total / 3600, total % 3600 / 60)
}

/// As written, normalised: `2024-09-26`, or `2024-09-26T10:00:00` and its offset.
impl fmt::Display for PageDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.time {
            None => write!(f, "{}", self.day),
            Some(time) => {
                let offset = self.offset.map(offset_text).unwrap_or_default();
                write!(f, "{}T{}{offset}", self.day, time.strftime("%H:%M:%S"))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_day_that_does_not_exist_is_named_in_a_writers_words() {
        assert_eq!(parse_day("2024-02-29").unwrap().to_string(), "2024-02-29");
        assert_eq!(
            parse_day("2024-13-01").unwrap_err(),
            "there is no month 13; months go from 01 to 12"
        );
        assert_eq!(
            parse_day("2023-02-29").unwrap_err(),
            "February 2023 has 28 days"
        );
        assert_eq!(
            parse_day("2024-09-31").unwrap_err(),
            "September 2024 has 30 days"
        );
        for form in [
            "2024-9-26",
            "26.09.2024",
            "2024-09",
            "yesterday",
            "2024-09-26-01",
        ] {
            assert_eq!(
                parse_day(form).unwrap_err(),
                "a date is written YYYY-MM-DD",
                "{form}"
            );
        }
    }

    #[test]
    fn days_times_offsets_and_rfc2822() {
        for (written, shown, rfc3339) in [
            ("2024-09-26", "2024-09-26", "2024-09-26T00:00:00Z"),
            (
                "2024-09-26T10:00",
                "2024-09-26T10:00:00",
                "2024-09-26T10:00:00Z",
            ),
            (
                "2024-09-26 10:00:05",
                "2024-09-26T10:00:05",
                "2024-09-26T10:00:05Z",
            ),
            (
                "2024-09-26T10:00:00Z",
                "2024-09-26T10:00:00Z",
                "2024-09-26T10:00:00Z",
            ),
            (
                "2024-09-26T10:00:00+03:00",
                "2024-09-26T10:00:00+03:00",
                "2024-09-26T10:00:00+03:00",
            ),
            (
                "2024-09-26T10:00:00-0530",
                "2024-09-26T10:00:00-05:30",
                "2024-09-26T10:00:00-05:30",
            ),
            (
                "Thu, 26 Sep 2024 10:00:00 +0300",
                "2024-09-26T10:00:00+03:00",
                "2024-09-26T10:00:00+03:00",
            ),
        ] {
            let d = PageDate::parse(written).unwrap_or_else(|e| panic!("{written}: {e}"));
            assert_eq!(
                (d.to_string(), d.rfc3339()),
                (shown.into(), rfc3339.into()),
                "{written}"
            );
        }
        for bad in [
            "2024-13-01",
            "2024-09-26X10:00",
            "Someday, 26 Sep",
            "2024-09-26T25:00",
            "26.09.2024",
        ] {
            let e = PageDate::parse(bad).unwrap_err();
            assert!(e.hint.contains("YYYY-MM-DD"), "{bad}");
        }
    }

    #[test]
    fn a_day_sorts_as_its_midnight() {
        let day = PageDate::parse("2024-09-26").unwrap();
        let morning = PageDate::parse("2024-09-26T09:00").unwrap();
        let next = PageDate::parse("2024-09-27").unwrap();
        assert!(day < morning && morning < next);
    }
}
