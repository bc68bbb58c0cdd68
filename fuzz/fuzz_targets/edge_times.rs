//! Times at both ends of the years RFC 3339 writes, at the widest offsets: what the `submission` and `survey_definition` targets try in place of each time they read.

use time::format_description::well_known::Rfc3339;
use time::{Date, Month, OffsetDateTime, UtcOffset};

/// `at`'s time of day on the last and the first day RFC 3339 writes
/// (9999-12-31 and 0000-01-01), at the widest offsets either way (+23:59,
/// -23:59), written as RFC 3339, as a definition or a submission carries
/// them. 9999-12-31 at -23:59 and 0000-01-01 at +23:59 leave the years 0000 to 9999 once converted to UTC
/// (for most times of day); the other two stay just inside. The time of day
/// is the input's, so the fuzzer still chooses how far past either end they go.
pub fn edge_times(at: OffsetDateTime) -> impl Iterator<Item = String> {
    let first = Date::from_calendar_date(0, Month::January, 1).expect("a real date");
    let last = Date::from_calendar_date(9999, Month::December, 31).expect("a real date");
    let widest = [
        UtcOffset::from_hms(23, 59, 0).expect("a real offset"),
        UtcOffset::from_hms(-23, -59, 0).expect("a real offset"),
    ];
    [last, first].into_iter().flat_map(move |date| {
        widest.into_iter().map(move |offset| {
            date.with_time(at.time())
                .assume_offset(offset)
                .format(&Rfc3339)
                .expect("the written years and offsets format")
        })
    })
}
