//! Drawing a response's submission id from the browser's random source, or saying why it cannot be done; reading back one this device kept.

use voices_shared::uuid::{Builder, Uuid};
use wasm_bindgen::{JsCast, JsValue};

/// A fresh random (version 4) submission id from `crypto.getRandomValues`, which pages on
/// plain http have too (unlike `crypto.randomUUID`).
///
/// There is deliberately no fallback. An id made without randomness (zeros, the clock,
/// `Math.random`) could be the same on another device, and the collector would then
/// refuse one person's answers as conflicting with someone else's (409), or take the same
/// answers from two people as one response sent twice, and store it once. The error says
/// why, for the console of whoever runs the page.
pub fn draw() -> Result<Uuid, String> {
    Ok(Builder::from_random_bytes(random_bytes()?).into_uuid())
}

/// A withdrawal key: 128 random bits as 32 lower-case hexadecimal digits, which only this
/// device keeps (the collector keeps a hash).
pub fn draw_key() -> Result<String, String> {
    use std::fmt::Write;
    Ok(random_bytes()?
        .iter()
        .fold(String::with_capacity(32), |mut hex, byte| {
            let _ = write!(hex, "{byte:02x}");
            hex
        }))
}

fn random_bytes() -> Result<[u8; 16], String> {
    let window = web_sys::window().ok_or("there is no window")?;
    let crypto = window
        .crypto()
        .map_err(|error| format!("window.crypto cannot be read: {}", describe(&error)))?;
    // Reading a missing property gives undefined, not an error.
    if crypto.is_undefined() {
        return Err("window.crypto is missing".into());
    }
    let mut bytes = [0u8; 16];
    crypto
        .get_random_values_with_u8_array(&mut bytes)
        .map_err(|error| format!("crypto.getRandomValues failed: {}", describe(&error)))?;
    // A stand-in that returns without filling the array in leaves it as it was. A real
    // source gives sixteen zero bytes once in 2^128 draws.
    if bytes == [0; 16] {
        return Err("crypto.getRandomValues returned without filling the array in".into());
    }
    Ok(bytes)
}

/// An exception as one line (`TypeError: …`), without the stack that `Debug` adds.
fn describe(error: &JsValue) -> String {
    match error.dyn_ref::<js_sys::Error>() {
        Some(error) => format!(
            "{}: {}",
            String::from(error.name()),
            String::from(error.message())
        ),
        None => format!("{error:?}"),
    }
}

/// Reads back a submission id this device kept (in a draft, an outbox entry, a form's
/// carried state), in any form `Uuid::try_parse` takes, as uuid's own `Deserialize` did.
pub fn from_json(value: voices_shared::serde_json::Value) -> Option<Uuid> {
    Uuid::try_parse(value.as_str()?).ok()
}

#[cfg(test)]
mod tests {
    use voices_shared::serde_json::json;

    use crate::state::Draft;

    fn draft_with_id(id: &str) -> Option<Draft> {
        Draft::from_json(json!({"submission_id": id, "locale": "en", "answers": {}}))
    }

    #[test]
    fn a_kept_id_reads_in_every_form_uuid_writes_and_nothing_else_does() {
        let id = "0b7a4a4e-4d53-4f8e-9a8c-1f2e3d4c5b6a";
        for form in [
            id.to_owned(),
            id.replace('-', ""),
            format!("{{{id}}}"),
            format!("urn:uuid:{id}"),
        ] {
            let draft = draft_with_id(&form).unwrap_or_else(|| panic!("{form}"));
            assert_eq!(draft.submission_id.to_string(), id, "{form}");
        }
        for bad in [
            "",
            "0b7a4a4e",
            "0b7a4a4e-4d53-4f8e-9a8c-1f2e3d4c5b6g",
            "yesterday",
        ] {
            assert!(draft_with_id(bad).is_none(), "{bad:?}");
        }
    }
}
