//! Calendar dates written `YYYY-MM-DD`, as in `date` questions and their answers.

use std::fmt;

use serde::{Serialize, Serializer};
use time::{Date, Month};

/// A real calendar date (no 31 April, 29 February only in leap years).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct CalendarDate(Date);

impl CalendarDate {
    /// Parses exactly `YYYY-MM-DD` (four-digit year, two-digit month and day).
    pub fn parse(text: &str) -> Option<CalendarDate> {
        let bytes = text.as_bytes();
        if bytes.len() != 10 || bytes[4] != b'-' || bytes[7] != b'-' {
            return None;
        }
        let year: i32 = digits(&text[0..4])?.try_into().ok()?;
        let month = digits(&text[5..7])?;
        let day = digits(&text[8..10])?;
        CalendarDate::from_parts(year, month, day)
    }

    /// A date from a year, a month (1–12) and a day, if it exists.
    pub fn from_parts(year: i32, month: u32, day: u32) -> Option<CalendarDate> {
        if !(1..=9999).contains(&year) {
            return None;
        }
        let month = Month::try_from(u8::try_from(month).ok()?).ok()?;
        let day = u8::try_from(day).ok()?;
        Date::from_calendar_date(year, month, day)
            .ok()
            .map(CalendarDate)
    }

    pub fn year(self) -> i32 {
        self.0.year()
    }
    pub fn month(self) -> u32 {
        u8::from(self.0.month()).into()
    }
    pub fn day(self) -> u32 {
        self.0.day().into()
    }
}

fn digits(text: &str) -> Option<u32> {
    if text.bytes().all(|b| b.is_ascii_digit()) {
        text.parse().ok()
    } else {
        None
    }
}

impl fmt::Display for CalendarDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{:04}-{:02}-{:02}",
            self.year(),
            self.month(),
            self.day()
        )
    }
}

impl Serialize for CalendarDate {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_real_dates_only() {
        assert_eq!(
            CalendarDate::parse("2024-03-27").unwrap().to_string(),
            "2024-03-27"
        );
        assert!(CalendarDate::parse("2024-02-29").is_some());
        for bad in [
            "2023-02-29",
            "2024-04-31",
            "2024-13-01",
            "2024-00-10",
            "24-03-27",
            "2024-3-27",
            "2024/03/27",
            "",
            "+024-03-27",
        ] {
            assert!(CalendarDate::parse(bad).is_none(), "{bad}");
        }
    }

    #[test]
    fn orders_by_time() {
        assert!(CalendarDate::parse("2023-12-31") < CalendarDate::parse("2024-01-01"));
    }
}
