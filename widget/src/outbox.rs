//! The outbox: responses that could not be sent yet, kept in `localStorage` until the
//! collector has stored them.
//!
//! A response goes in before the first attempt, so a tab closed mid-request
//! still has it. It leaves only on a 2xx (stored) or a final refusal. Each
//! keeps its `submission_id`, so however often it is sent, the collector
//! stores it once.

use serde::{Deserialize, Serialize};
use voices_shared::uuid::Uuid;

use crate::state::Draft;

/// One response waiting to be sent.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Pending {
    pub survey_id: String,
    pub submission_id: Uuid,
    /// The submission's JSON, exactly as it will be sent.
    pub body: String,
    /// What the person typed, to show again if the collector refuses it for good.
    #[serde(default)]
    pub draft: Option<Draft>,
}

fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

/// One outbox per collector, shared by every survey from it on the page.
fn key(collector: &str) -> String {
    format!("voices-outbox:{collector}")
}

fn load(collector: &str) -> Vec<Pending> {
    storage()
        .and_then(|s| s.get_item(&key(collector)).ok().flatten())
        .and_then(|text| voices_shared::serde_json::from_str(&text).ok())
        .unwrap_or_default()
}

fn save(collector: &str, pending: &[Pending]) {
    let Some(storage) = storage() else { return };
    if pending.is_empty() {
        let _ = storage.remove_item(&key(collector));
    } else if let Ok(text) = voices_shared::serde_json::to_string(pending) {
        let _ = storage.set_item(&key(collector), &text);
    }
}

/// The response waiting for `survey_id`, if one is.
pub fn waiting(collector: &str, survey_id: &str) -> Option<Pending> {
    load(collector)
        .into_iter()
        .find(|p| p.survey_id == survey_id)
}

/// Keeps `pending` until [`remove`] (replacing an older copy of the same submission).
pub fn put(collector: &str, pending: Pending) {
    let mut all = load(collector);
    all.retain(|p| p.submission_id != pending.submission_id);
    all.push(pending);
    save(collector, &all);
}

pub fn remove(collector: &str, submission_id: Uuid) {
    let mut all = load(collector);
    all.retain(|p| p.submission_id != submission_id);
    save(collector, &all);
}
