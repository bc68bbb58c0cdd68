//! How many responses a survey has: in all, in the last seven days, by channel and by version.

use std::collections::BTreeMap;

use serde::Serialize;
use time::{Duration, OffsetDateTime};
use voices_shared::Channel;

use crate::store::{Store, StoreError};

#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct ResponseCounts {
    pub total: u64,
    pub last_7_days: u64,
    /// Every channel, with 0 for those with no responses, so tables line up.
    pub by_channel: BTreeMap<&'static str, u64>,
    pub by_version: BTreeMap<u32, u64>,
}

/// Counts a survey's responses by reading them all (blocking: call off the async threads).
pub fn count(
    store: &dyn Store,
    survey_id: &str,
    now: OffsetDateTime,
) -> Result<ResponseCounts, StoreError> {
    let week_ago = now - Duration::days(7);
    let mut counts = ResponseCounts {
        by_channel: Channel::ALL.iter().map(|c| (c.as_str(), 0)).collect(),
        ..ResponseCounts::default()
    };
    for response in store.responses(survey_id) {
        let response = response?;
        counts.total += 1;
        if response.submitted_at >= week_ago {
            counts.last_7_days += 1;
        }
        *counts
            .by_channel
            .entry(response.channel.as_str())
            .or_default() += 1;
        *counts
            .by_version
            .entry(response.survey_version)
            .or_default() += 1;
    }
    Ok(counts)
}
