//! Responses this device has sent and the collector stored, kept in `localStorage` with
//! their withdrawal keys, so that the person can see them and withdraw them later from
//! this device (and from no other: nobody else holds the key).
//!
//! One key per survey (`voices-sent:{collector}:{survey}`), holding a list: a device may
//! answer a survey more than once (a shared tablet, say). Forgotten when withdrawn.

use serde::Serialize;
use voices_shared::serde_json::Value;

use crate::read_back::{Fields, list_of, text};

/// One response sent from this device.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SentRecord {
    pub receipt: String,
    pub key: String,
    /// The day it was stored, `YYYY-MM-DD` (UTC), by this device's clock.
    pub sent_on: String,
}

impl SentRecord {
    /// Reads back a record as `Serialize` wrote it (see [`crate::read_back`]).
    pub fn from_json(value: Value) -> Option<SentRecord> {
        let mut fields = Fields::of(value)?;
        Some(SentRecord {
            receipt: fields.required("receipt", text)?,
            key: fields.required("key", text)?,
            sent_on: fields.required("sent_on", text)?,
        })
    }
}

fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

fn key(collector: &str, survey_id: &str) -> String {
    format!("voices-sent:{collector}:{survey_id}")
}

/// The responses to `survey_id` this device has sent, oldest first.
pub fn list(collector: &str, survey_id: &str) -> Vec<SentRecord> {
    storage()
        .and_then(|s| s.get_item(&key(collector, survey_id)).ok().flatten())
        .and_then(|text| voices_shared::serde_json::from_str(&text).ok())
        .and_then(|list| list_of(list, SentRecord::from_json))
        .unwrap_or_default()
}

fn write(collector: &str, survey_id: &str, records: &[SentRecord]) {
    let Some(storage) = storage() else { return };
    let key = key(collector, survey_id);
    if records.is_empty() {
        let _ = storage.remove_item(&key);
    } else if let Ok(text) = voices_shared::serde_json::to_string(records) {
        // Best effort: a device that cannot keep it can still withdraw by asking the
        // people who run the survey, with the receipt.
        let _ = storage.set_item(&key, &text);
    }
}

/// Keeps `record`, unless this receipt is kept already (a retry answered with it).
pub fn keep(collector: &str, survey_id: &str, record: SentRecord) {
    let mut records = list(collector, survey_id);
    if records.iter().all(|r| r.receipt != record.receipt) {
        records.push(record);
        write(collector, survey_id, &records);
    }
}

/// The record of the response with `receipt`, if this device sent it.
pub fn find(collector: &str, survey_id: &str, receipt: &str) -> Option<SentRecord> {
    list(collector, survey_id)
        .into_iter()
        .find(|r| r.receipt == receipt)
}

/// Forgets the response with `receipt` (withdrawn).
pub fn forget(collector: &str, survey_id: &str, receipt: &str) {
    let mut records = list(collector, survey_id);
    records.retain(|r| r.receipt != receipt);
    write(collector, survey_id, &records);
}

/// Today's date in UTC, `YYYY-MM-DD`, by this device's clock.
pub fn today() -> String {
    let now = js_sys::Date::new_0();
    format!(
        "{:04}-{:02}-{:02}",
        now.get_utc_full_year(),
        now.get_utc_month() + 1,
        now.get_utc_date()
    )
}
