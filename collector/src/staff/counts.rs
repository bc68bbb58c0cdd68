//! How many responses a survey has: in all, in the last seven days, by channel and by version.

use std::collections::BTreeMap;

use serde::Serialize;
use time::{Duration, OffsetDateTime};
use voices_shared::Channel;

use crate::store::{Store, StoreError};

#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct ResponseCounts {
    pub total: u64,
    /// Submitted today or on the six days before (UTC days): the store counts
    /// by day, so this reads a handful of counts instead of every response.
    pub last_7_days: u64,
    /// Every channel, with 0 for those with no responses, so tables line up.
    pub by_channel: BTreeMap<&'static str, u64>,
    pub by_version: BTreeMap<u32, u64>,
}

/// Counts a survey's responses from the store's tallies (a few per day,
/// however many responses there are; blocking: call off the async threads).
pub fn count(
    store: &dyn Store,
    survey_id: &str,
    now: OffsetDateTime,
) -> Result<ResponseCounts, StoreError> {
    let week_starts = (now - Duration::days(6)).date();
    let mut counts = ResponseCounts {
        by_channel: Channel::ALL.iter().map(|c| (c.as_str(), 0)).collect(),
        ..ResponseCounts::default()
    };
    for tally in store.tallies(survey_id)? {
        counts.total += tally.count;
        if tally.day >= week_starts {
            counts.last_7_days += tally.count;
        }
        *counts.by_channel.entry(tally.channel.as_str()).or_default() += tally.count;
        *counts.by_version.entry(tally.version).or_default() += tally.count;
    }
    Ok(counts)
}
