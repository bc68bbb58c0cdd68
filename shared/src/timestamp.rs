//! RFC 3339 dates and times (`2026-11-22T09:00:00Z`) read and written on `time`'s types, but not by `time`'s text formats.
//!
//! The widget reads them in a survey's `opens_at` and `closes_at` and writes and reads
//! a response's `started_at`. `time`'s own parser and formatter cost its wasm 4.7 KiB
//! brotli, these lines 1.4 KiB. They read and write exactly as `time`'s
//! `Rfc3339` does, quirks included (any one byte between the date and the time, digits
//! past nanoseconds ignored, a leap second read as the nanosecond before it): the tests
//! hold them to it, so a time written by either reads back the same by the other.

use std::fmt::Write as _;

use time::{Date, Month, OffsetDateTime, Time, UtcOffset};

/// Reads `text` as an RFC 3339 date and time, or `None` when it is not one.
pub fn parse(text: &str) -> Option<OffsetDateTime> {
    let mut reader = Reader(text.as_bytes());
    let year = reader.digits(4)?;
    reader.literal(b'-')?;
    let month = Month::try_from(u8::try_from(reader.digits(2)?).ok()?).ok()?;
    reader.literal(b'-')?;
    let day = reader.digits(2)?;
    // Any one byte: RFC 3339 lets applications write a space instead of "T".
    reader.0 = reader.0.get(1..)?;
    let hour = reader.digits(2)?;
    reader.literal(b':')?;
    let minute = reader.digits(2)?;
    reader.literal(b':')?;
    let mut second = reader.digits(2)?;
    let mut nanosecond = 0;
    if reader.literal(b'.').is_some() {
        // At least one digit; those past the ninth count for nothing.
        let mut unit = 100_000_000;
        nanosecond = reader.digits(1)? * unit;
        while let Some(digit) = reader.digits(1) {
            unit /= 10;
            nanosecond += digit * unit;
        }
    }
    let offset = match reader.0.first()? {
        b'Z' | b'z' => {
            reader.0 = &reader.0[1..];
            UtcOffset::UTC
        }
        sign @ (b'+' | b'-') => {
            let sign = if *sign == b'-' { -1 } else { 1 };
            reader.0 = &reader.0[1..];
            let hours = reader.digits(2).filter(|hours| *hours <= 23)?;
            reader.literal(b':')?;
            let minutes = reader.digits(2)?;
            UtcOffset::from_hms(
                sign * i8::try_from(hours).ok()?,
                sign * i8::try_from(minutes).ok()?,
                0,
            )
            .ok()?
        }
        _ => return None,
    };
    if !reader.0.is_empty() {
        return None;
    }
    // A leap second stands as the last nanosecond before it, and only where one can be:
    // the last second of a month, in UTC.
    let leap_second = second == 60;
    if leap_second {
        second = 59;
        nanosecond = 999_999_999;
    }
    let date =
        Date::from_calendar_date(i32::try_from(year).ok()?, month, u8::try_from(day).ok()?).ok()?;
    let time = Time::from_hms_nano(
        u8::try_from(hour).ok()?,
        u8::try_from(minute).ok()?,
        u8::try_from(second).ok()?,
        nanosecond,
    )
    .ok()?;
    let at = OffsetDateTime::new_in_offset(date, time, offset);
    if leap_second {
        let utc = at.checked_to_offset(UtcOffset::UTC)?;
        let last_day = utc.month().length(utc.year());
        if (utc.hour(), utc.minute(), utc.second()) != (23, 59, 59) || utc.day() != last_day {
            return None;
        }
    }
    Some(at)
}

/// Writes `at` in RFC 3339, or `None` when it cannot be: a year outside 0000 to 9999 as
/// written, or an offset of 24 hours or more, or with seconds.
pub fn write(at: OffsetDateTime) -> Option<String> {
    let offset = at.offset();
    if !(0..10_000).contains(&at.year())
        || offset.whole_hours().unsigned_abs() > 23
        || offset.seconds_past_minute() != 0
    {
        return None;
    }
    let mut text = format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}",
        at.year(),
        u8::from(at.month()),
        at.day(),
        at.hour(),
        at.minute(),
        at.second()
    );
    if at.nanosecond() != 0 {
        let digits = format!("{:09}", at.nanosecond());
        let _ = write!(text, ".{}", digits.trim_end_matches('0'));
    }
    if offset.is_utc() {
        text.push('Z');
    } else {
        let sign = if offset.is_negative() { '-' } else { '+' };
        let (hours, minutes) = (offset.whole_hours(), offset.minutes_past_hour());
        let _ = write!(
            text,
            "{sign}{:02}:{:02}",
            hours.unsigned_abs(),
            minutes.unsigned_abs()
        );
    }
    Some(text)
}

/// Bytes still to read.
struct Reader<'a>(&'a [u8]);

impl Reader<'_> {
    /// Exactly `count` ASCII digits, as a number.
    fn digits(&mut self, count: usize) -> Option<u32> {
        let (digits, rest) = self.0.split_at_checked(count)?;
        let mut value = 0;
        for digit in digits {
            value = value * 10 + u32::from(digit.checked_sub(b'0').filter(|d| *d <= 9)?);
        }
        self.0 = rest;
        Some(value)
    }

    fn literal(&mut self, byte: u8) -> Option<()> {
        self.0 = self.0.strip_prefix(&[byte])?;
        Some(())
    }
}

/// `#[serde(with = "crate::timestamp::option")]`: an optional date and time, as RFC 3339
/// text.
pub mod option {
    use serde::{Deserialize, Deserializer, Serializer, de, ser};
    use time::OffsetDateTime;

    pub fn serialize<S: Serializer>(
        at: &Option<OffsetDateTime>,
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        match at {
            None => serializer.serialize_none(),
            Some(at) => match super::write(*at) {
                Some(text) => serializer.serialize_some(&text),
                None => Err(ser::Error::custom(
                    "cannot be written in RFC 3339: its year is outside 0000 to 9999, or its \
                     offset is 24 hours or more or has seconds",
                )),
            },
        }
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<Option<OffsetDateTime>, D::Error> {
        match Option::<String>::deserialize(deserializer)? {
            None => Ok(None),
            Some(text) => super::parse(&text).map(Some).ok_or_else(|| {
                de::Error::custom("not an RFC 3339 date and time like \"2026-11-22T09:00:00Z\"")
            }),
        }
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;
    use time::format_description::well_known::Rfc3339;

    use super::*;

    /// What `time` itself reads, with its offset: `OffsetDateTime`'s `==` compares
    /// only the moment.
    fn by_time(text: &str) -> Option<(OffsetDateTime, UtcOffset)> {
        OffsetDateTime::parse(text, &Rfc3339)
            .ok()
            .map(|at| (at, at.offset()))
    }

    fn by_us(text: &str) -> Option<(OffsetDateTime, UtcOffset)> {
        parse(text).map(|at| (at, at.offset()))
    }

    #[test]
    fn edge_cases_read_as_time_reads_them() {
        for text in [
            "2026-11-22T09:00:00Z",
            "2026-11-22t09:00:00z",
            "2026-11-22 09:00:00Z",
            "2026-11-22X09:00:00Z",
            "2026-11-22é09:00:00Z",
            "2026-11-22T09:00:00.5Z",
            "2026-11-22T09:00:00.123456789123Z",
            "2026-11-22T09:00:00.Z",
            "2026-11-22T09:00:00-00:00",
            "2026-11-22T09:00:00+23:59",
            "2026-11-22T09:00:00+24:00",
            "2026-11-22T09:00:00+01:60",
            "2026-11-22T09:00:00+0100",
            "2026-12-31T23:59:60Z",
            "2026-11-30T23:59:60Z",
            "2026-11-22T23:59:60Z",
            "2026-12-31T22:59:60-01:00",
            "2027-01-01T00:59:60+01:00",
            "0000-01-01T00:59:60+01:00",
            "2026-12-31T23:59:60.5Z",
            "2026-11-22T09:00:00-00:30",
            "2026-11-22T09:00:00+05:30",
            "9999-12-31T23:59:60Z",
            "9999-12-31T23:00:00-01:00",
            "0000-01-01T00:00:00+01:00",
            "2026-02-29T00:00:00Z",
            "2024-02-29T00:00:00Z",
            "2026-13-01T00:00:00Z",
            "2026-11-22T24:00:00Z",
            "2026-11-22T09:00:00Z ",
            "+2026-11-22T09:00:00Z",
            "2026-11-22",
            "",
        ] {
            assert_eq!(by_us(text), by_time(text), "{text:?}");
        }
    }

    fn any_time() -> impl Strategy<Value = OffsetDateTime> {
        (
            0i32..=9999,
            1u16..=366,
            0u8..24,
            0u8..60,
            0u8..60,
            prop_oneof![
                Just(0u32),
                (0u32..1000).prop_map(|ms| ms * 1_000_000),
                0u32..1_000_000_000
            ],
            prop_oneof![Just(-1i8), Just(1)],
            0i8..=25,
            0i8..60,
            prop_oneof![3 => Just(0i8), 1 => 0i8..60],
        )
            .prop_filter_map(
                "a real date",
                |(year, day, h, m, s, nanos, sign, oh, om, os)| {
                    let date = Date::from_ordinal_date(year, day).ok()?;
                    let time = Time::from_hms_nano(h, m, s, nanos).ok()?;
                    let offset = UtcOffset::from_hms(sign * oh, sign * om, sign * os).ok()?;
                    Some(OffsetDateTime::new_in_offset(date, time, offset))
                },
            )
    }

    proptest! {
        #[test]
        fn a_time_is_written_as_time_writes_it_and_reads_back(at in any_time()) {
            let written = write(at);
            prop_assert_eq!(&written, &at.format(&Rfc3339).ok());
            if let Some(text) = written {
                prop_assert_eq!(by_us(&text), Some((at, at.offset())));
            }
        }

        #[test]
        fn any_text_near_a_time_reads_as_time_reads_it(
            at in any_time(),
            at_byte in 0usize..40,
            byte in prop_oneof![Just(b'0'), Just(b'9'), Just(b'6'), Just(b':'), Just(b'-'), Just(b'+'), Just(b'.'), Just(b'Z'), Just(b'T'), Just(b' '), any::<u8>()],
            change in 0u8..3,
        ) {
            let Ok(text) = at.format(&Rfc3339) else { return Ok(()) };
            let mut bytes = text.into_bytes();
            let at_byte = at_byte.min(bytes.len());
            match change {
                0 if at_byte < bytes.len() => bytes[at_byte] = byte,
                1 => bytes.insert(at_byte, byte),
                _ => bytes.truncate(at_byte),
            }
            let Ok(text) = String::from_utf8(bytes) else { return Ok(()) };
            prop_assert_eq!(by_us(&text), by_time(&text), "{:?}", text);
        }
    }
}
