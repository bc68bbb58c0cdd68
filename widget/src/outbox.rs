//! The outbox: responses that could not be sent yet, kept in `localStorage` until the
//! collector has stored them.
//!
//! A response goes in before the first attempt, so a tab closed mid-request
//! still has it. It leaves only on a 2xx (stored) or a final refusal. Each
//! keeps its `submission_id`, so however often it is sent, the collector
//! stores it once.
//!
//! Each response has a key of its own (`voices-outbox:{collector}:{submission_id}`):
//! two tabs of one page share the storage, and with one key per response
//! neither can overwrite, or drop, the other's while saving its own. An entry
//! that cannot be read (written by another version of the widget, say) is
//! left alone rather than taking the rest with it.

use serde::Serialize;
use voices_shared::serde_json::Value;
use voices_shared::uuid::Uuid;
use wasm_bindgen::JsValue;

use crate::read_back::{Fields, text};
use crate::state::Draft;

/// One response waiting to be sent.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Pending {
    pub survey_id: String,
    pub submission_id: Uuid,
    /// The submission's JSON, exactly as it will be sent.
    pub body: String,
    /// What the person typed, to show again if the collector refuses it for good.
    pub draft: Option<Draft>,
    /// The key sent with it, which lets this device withdraw it once stored.
    pub withdrawal_key: Option<String>,
}

impl Pending {
    /// Reads back an entry as `Serialize` wrote it (see [`crate::read_back`]); entries
    /// written before drafts or withdrawal keys were kept read too.
    pub fn from_json(value: Value) -> Option<Pending> {
        let mut fields = Fields::of(value)?;
        Some(Pending {
            survey_id: fields.required("survey_id", text)?,
            submission_id: fields.required("submission_id", crate::submission_id::from_json)?,
            body: fields.required("body", text)?,
            draft: fields.optional("draft", Draft::from_json)?,
            withdrawal_key: fields.optional("withdrawal_key", text)?,
        })
    }
}

fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

/// Every response for one collector shares this prefix, whichever survey it answers.
fn prefix(collector: &str) -> String {
    format!("voices-outbox:{collector}:")
}

fn key(collector: &str, submission_id: Uuid) -> String {
    format!("{}{submission_id}", prefix(collector))
}

fn read(storage: &web_sys::Storage, key: &str) -> Option<Pending> {
    let text = storage.get_item(key).ok().flatten()?;
    voices_shared::serde_json::from_str(&text)
        .ok()
        .and_then(Pending::from_json)
}

/// The response waiting for `survey_id`, if one is.
pub fn waiting(collector: &str, survey_id: &str) -> Option<Pending> {
    let storage = storage()?;
    let prefix = prefix(collector);
    (0..storage.length().unwrap_or(0))
        .filter_map(|index| storage.key(index).ok().flatten())
        // Another collector's prefix may begin like this one ("http://a" and "http://a:8080"):
        // only a submission id may follow.
        .filter(|key| {
            key.strip_prefix(&prefix)
                .is_some_and(|rest| Uuid::try_parse(rest).is_ok())
        })
        .filter_map(|key| read(&storage, &key))
        .find(|pending| pending.survey_id == survey_id)
}

/// The response kept under `submission_id`, if it is still waiting.
pub fn get(collector: &str, submission_id: Uuid) -> Option<Pending> {
    read(&storage()?, &key(collector, submission_id))
}

/// Keeps `pending` until [`remove`] (replacing an older copy of the same submission).
///
/// Fails when the device will not keep it: storage turned off or blocked,
/// full (`QuotaExceededError`), or Safari's private mode. The caller must then
/// not tell the person it will be sent later.
pub fn put(collector: &str, pending: &Pending) -> Result<(), JsValue> {
    let storage = storage().ok_or_else(|| JsValue::from_str("localStorage is not available"))?;
    // serde_json's own message is left out: it cannot fail on these fields, and
    // formatting it would bring serde_json's error messages into the wasm.
    let text = voices_shared::serde_json::to_string(pending)
        .map_err(|_| JsValue::from_str("the response could not be written as JSON"))?;
    storage.set_item(&key(collector, pending.submission_id), &text)
}

/// Forgets the response: stored, or refused for good.
pub fn remove(collector: &str, submission_id: Uuid) {
    if let Some(storage) = storage() {
        let _ = storage.remove_item(&key(collector, submission_id));
    }
}
