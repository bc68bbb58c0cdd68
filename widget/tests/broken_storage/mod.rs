//! Making the browser's `localStorage` fail the ways real ones do: full, refusing writes
//! (Safari's private mode), or blocked outright (storage turned off for the site).
//!
//! Every helper returns a guard that puts things back when dropped, and every test starts
//! from [`fresh_storage`], so a failed test cannot leave the next one with broken storage.

// Each test file uses the part it needs.
#![allow(dead_code)]

use wasm_bindgen::JsValue;

fn run(script: &str) {
    js_sys::eval(script).expect("the test's own script runs");
}

/// The page's storage, emptied, with anything an earlier test broke put back.
pub fn fresh_storage() -> web_sys::Storage {
    run("if (window.__voicesSetItem) { Storage.prototype.setItem = window.__voicesSetItem; }
         if (window.__voicesStorage) { Object.defineProperty(window, 'localStorage', window.__voicesStorage); }");
    let storage = web_sys::window()
        .and_then(|w| w.local_storage().ok().flatten())
        .expect("the test browser has localStorage");
    storage.clear().expect("localStorage can be cleared");
    storage
}

/// Storage filled to its quota, whatever it holds already: every further `setItem` throws
/// `QuotaExceededError`.
pub struct Full {
    fillers: Vec<String>,
}

pub fn fill_storage() -> Full {
    let storage = web_sys::window()
        .and_then(|w| w.local_storage().ok().flatten())
        .expect("the test browser has localStorage");
    let mut fillers = Vec::new();
    // Big pieces first, then smaller ones, until not even one character fits.
    for size in [1 << 20, 1 << 16, 1 << 12, 1 << 8, 1 << 4, 1] {
        let chunk = "x".repeat(size);
        loop {
            let key = format!("filler-{}", fillers.len());
            if storage.set_item(&key, &chunk).is_err() {
                break;
            }
            fillers.push(key);
        }
    }
    assert!(
        storage.set_item("one-more", "x").is_err(),
        "storage should be full"
    );
    Full { fillers }
}

impl Drop for Full {
    fn drop(&mut self) {
        if let Some(storage) = web_sys::window().and_then(|w| w.local_storage().ok().flatten()) {
            for key in &self.fillers {
                let _ = storage.remove_item(key);
            }
        }
    }
}

/// Until dropped, `setItem` throws the way Safari's private mode did (a quota of 0);
/// reading and removing still work.
pub struct WritesRefused;

pub fn refuse_writes() -> WritesRefused {
    run("window.__voicesSetItem ??= Storage.prototype.setItem;
         Storage.prototype.setItem = function () {
           throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
         };");
    WritesRefused
}

impl Drop for WritesRefused {
    fn drop(&mut self) {
        run("Storage.prototype.setItem = window.__voicesSetItem;");
    }
}

/// Until dropped, `window.localStorage` itself throws, as when a browser blocks storage
/// for the site.
pub struct Blocked;

pub fn block_storage() -> Blocked {
    run("window.__voicesStorage ??= Object.getOwnPropertyDescriptor(window, 'localStorage')
           ?? Object.getOwnPropertyDescriptor(Window.prototype, 'localStorage');
         Object.defineProperty(window, 'localStorage', {
           configurable: true,
           get() { throw new DOMException('Access is denied for this document.', 'SecurityError'); },
         });");
    let blocked = web_sys::window().map(|w| w.local_storage());
    assert!(
        matches!(blocked, Some(Err(_))),
        "localStorage should now throw"
    );
    Blocked
}

impl Drop for Blocked {
    fn drop(&mut self) {
        run("Object.defineProperty(window, 'localStorage', window.__voicesStorage);");
    }
}

/// A JS error's name (`QuotaExceededError`, `SecurityError`), for messages.
pub fn error_name(error: &JsValue) -> String {
    js_sys::Reflect::get(error, &"name".into())
        .ok()
        .and_then(|name| name.as_string())
        .unwrap_or_else(|| format!("{error:?}"))
}
