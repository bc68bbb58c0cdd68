//! Drawing a response's submission id from the browser's random source, or saying why it cannot be done.

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
