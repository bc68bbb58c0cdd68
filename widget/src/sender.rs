//! Sending a response to the collector with `fetch`, and reading its answer.

use voices_shared::serde_json::{Map, Value};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

/// What became of one attempt to send.
#[derive(Debug, Clone, PartialEq)]
pub enum SendOutcome {
    /// Stored (201) or already stored (200): the receipt.
    Stored(String),
    /// Refused for good (4xx other than 429): the status, which decides what the
    /// person is told, and the collector's message, for the console.
    Refused { status: u16, message: String },
    /// Refused for good because staff have erased this very response (410 with the
    /// error code `erased`, where a closed survey says `closed`): it was stored once,
    /// and must be neither stored again nor kept on the device.
    Erased,
    /// Not stored this time (offline, timeout, 429, 5xx); safe to send again.
    NotYet(String),
}

fn text_of(error: JsValue) -> String {
    error.as_string().unwrap_or_else(|| format!("{error:?}"))
}

/// How long one attempt may take before it is abandoned (and retried later):
/// on a weak signal a request can hang far longer than anyone waits.
const TIMEOUT_MS: i32 = 20_000;

/// POSTs `body` (a submission's JSON) to `url`.
pub async fn send(url: &str, body: &str) -> SendOutcome {
    match try_send(url, body).await {
        Ok(outcome) => outcome,
        Err(error) => SendOutcome::NotYet(text_of(error)),
    }
}

/// Aborts the request after [`TIMEOUT_MS`] unless it is dropped first.
struct Deadline {
    window: web_sys::Window,
    handle: i32,
    _abort: wasm_bindgen::closure::Closure<dyn FnMut()>,
}

impl Deadline {
    fn start(
        window: &web_sys::Window,
        controller: web_sys::AbortController,
    ) -> Result<Deadline, JsValue> {
        let abort = wasm_bindgen::closure::Closure::<dyn FnMut()>::new(move || controller.abort());
        let handle = window.set_timeout_with_callback_and_timeout_and_arguments_0(
            abort.as_ref().unchecked_ref(),
            TIMEOUT_MS,
        )?;
        Ok(Deadline {
            window: window.clone(),
            handle,
            _abort: abort,
        })
    }
}

impl Drop for Deadline {
    fn drop(&mut self) {
        self.window.clear_timeout_with_handle(self.handle);
    }
}

/// A JSON object of text fields, as a request body. Built by hand rather than with
/// `json!`, which unwraps each value's conversion and so brings serde_json's error
/// formatting into the wasm.
pub fn json_object(fields: &[(&str, &str)]) -> String {
    // Inserted one by one: collecting into a map sorts, and a sort is code of its own.
    let mut object = Map::new();
    for (name, value) in fields {
        object.insert((*name).to_owned(), Value::String((*value).to_owned()));
    }
    // Not `Value`'s `Display` (`to_string`), which is serde_json's writer into a formatter,
    // compact and pretty: two more copies in the wasm of the writer into bytes that every
    // other body is written with. Writing a `Value` cannot fail.
    voices_shared::serde_json::to_string(&Value::Object(object)).unwrap_or_default()
}

/// POSTs `body` (JSON) to `url`: the status, or why nothing came back.
pub async fn post(url: &str, body: &str) -> Result<u16, String> {
    match request(url, body).await {
        Ok((status, _)) => Ok(status),
        Err(error) => Err(text_of(error)),
    }
}

/// One JSON POST with a deadline: its status and body.
async fn request(url: &str, body: &str) -> Result<(u16, String), JsValue> {
    let window = web_sys::window().ok_or_else(|| JsValue::from_str("no window"))?;
    let headers = web_sys::Headers::new()?;
    headers.set("content-type", "application/json")?;
    let init = web_sys::RequestInit::new();
    init.set_method("POST");
    init.set_headers(&headers);
    init.set_body(&JsValue::from_str(body));
    init.set_mode(web_sys::RequestMode::Cors);
    init.set_credentials(web_sys::RequestCredentials::Omit);
    let controller = web_sys::AbortController::new()?;
    init.set_signal(Some(&controller.signal()));
    let _deadline = Deadline::start(&window, controller)?;
    let response: web_sys::Response = JsFuture::from(window.fetch_with_str_and_init(url, &init))
        .await?
        .dyn_into()?;
    let status = response.status();
    let text = JsFuture::from(response.text()?)
        .await?
        .as_string()
        .unwrap_or_default();
    Ok((status, text))
}

async fn try_send(url: &str, body: &str) -> Result<SendOutcome, JsValue> {
    let (status, text) = request(url, body).await?;
    let json = voices_shared::serde_json::from_str::<voices_shared::serde_json::Value>(&text).ok();
    let field = |name: &str| {
        json.as_ref()
            .and_then(|v| v.get(name).and_then(|f| f.as_str()).map(str::to_owned))
    };
    Ok(match status {
        200 | 201 => match field("receipt") {
            Some(receipt) => SendOutcome::Stored(receipt),
            None => {
                SendOutcome::NotYet(format!("the collector answered {status} without a receipt"))
            }
        },
        429 | 500..=599 => {
            SendOutcome::NotYet(field("message").unwrap_or_else(|| format!("status {status}")))
        }
        // The machine-readable `error` code, not the status, tells an erased response
        // from a closed survey: both are 410.
        _ if field("error").as_deref() == Some("erased") => SendOutcome::Erased,
        _ => SendOutcome::Refused {
            status,
            message: field("message").unwrap_or_else(|| format!("status {status}")),
        },
    })
}
