//! The widget's own words in the reader's language: English is built in, any other comes from its words file.
//!
//! The wasm carries only the English catalogue, so that a language costs a phone nothing
//! unless its reader uses it. `embed.js` knows where each language's words file is (a
//! long-cached file of `widget/dist`, written by `cargo xtask build-widget`), fetches the
//! one the page's language needs beside the wasm and hands it to `mount`, with a function
//! that fetches any other: the language picker waits for a language's words before it
//! switches, and a language shown without them (a draft kept in it, a guess that missed)
//! shows the English words until they come. On the server every language is built in
//! and nothing is fetched.

use std::cell::RefCell;

thread_local! {
    /// `embed.js`'s `(language) => Promise<string | null>`: a language's words file.
    static LOADER: RefCell<Option<js_sys::Function>> = const { RefCell::new(None) };
    /// How many languages have been picked: a language whose words arrive after another
    /// was picked is not switched to.
    static PICKED: std::cell::Cell<u32> = const { std::cell::Cell::new(0) };
}

/// Notes that a language was picked; the number [`still_picked`] checks.
pub fn picked() -> u32 {
    PICKED.with(|picked| {
        picked.set(picked.get().wrapping_add(1));
        picked.get()
    })
}

/// Whether no other language has been picked since pick number `pick`.
pub fn still_picked(pick: u32) -> bool {
    PICKED.with(|picked| picked.get() == pick)
}

/// Keeps the words file `embed.js` fetched for the page, and the function that fetches
/// the others (the latest mount's; they are all alike).
pub fn arrived(file: Option<String>, loader: Option<js_sys::Function>) {
    if let Some(loader) = loader {
        LOADER.with(|slot| *slot.borrow_mut() = Some(loader));
    }
    if let Some(file) = file
        && let Err(problem) = voices_shared::add_words(file)
    {
        warn("the page's language", &problem.to_string());
    }
}

fn warn(language: &str, problem: &str) {
    web_sys::console::warn_1(
        &format!(
            "voices-survey: the widget's words in {language} are not here ({problem}): it \
             shows its own words in English meanwhile"
        )
        .into(),
    );
}

/// Makes sure the words for `locale` are here, fetching them if need be. Should they not
/// come (offline, say), the widget goes on in English words, the survey's own text still in
/// `locale`, and says why in the console.
pub async fn ensure(locale: &str) {
    if voices_shared::has_words(locale) {
        return;
    }
    let language = voices_shared::words_locale(locale);
    let Some(loader) = LOADER.with(|slot| slot.borrow().clone()) else {
        return;
    };
    let text = match loader.call1(&wasm_bindgen::JsValue::NULL, &language.into()) {
        Ok(promise) => wasm_bindgen_futures::JsFuture::from(js_sys::Promise::from(promise))
            .await
            .ok()
            .and_then(|text| text.as_string()),
        Err(_) => None,
    };
    let problem = match text {
        Some(text) => match voices_shared::add_words(text) {
            Ok(_) => return,
            Err(problem) => problem.to_string(),
        },
        None => "it could not be fetched".to_owned(),
    };
    warn(&format!("\"{language}\""), &problem);
}
