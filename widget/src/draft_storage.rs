//! Keeping the draft in `localStorage`, so a reload or a lost tab loses nothing typed.
//!
//! Storage may be unavailable (private browsing, blocked by the page): the
//! survey then works as before, only without the safety net.

use crate::state::Draft;

fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

pub fn load(key: &str) -> Option<Draft> {
    let text = storage()?.get_item(key).ok().flatten()?;
    voices_shared::serde_json::from_str(&text)
        .ok()
        .and_then(Draft::from_json)
}

/// Saves the draft, or removes it once there is none (the response was sent).
pub fn save(key: &str, draft: Option<&Draft>) {
    let Some(storage) = storage() else { return };
    match draft.and_then(|d| voices_shared::serde_json::to_string(d).ok()) {
        Some(text) => {
            let _ = storage.set_item(key, &text);
        }
        None => {
            let _ = storage.remove_item(key);
        }
    }
}
