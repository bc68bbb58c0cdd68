//! The widget mounted into a real page, where storage, the network and the clock are the
//! browser's own: what the person is told when a response can be neither sent nor kept,
//! a response waiting in the outbox is never hidden behind a "closed" notice, and a
//! definition that cannot be used gets an apology.
#![cfg(target_arch = "wasm32")]

mod broken_storage;

use std::sync::Arc;
use std::time::Duration;

use broken_storage::{fresh_storage, refuse_writes};
use voices_shared::uuid::Uuid;
use voices_shared::{Channel, Survey};
use voices_widget::outbox::{self, Pending};
use voices_widget::{App, AppProps};
use wasm_bindgen::JsCast;
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};

wasm_bindgen_test_configure!(run_in_browser);

/// Nothing listens here (and Chromium will not even try the port): every send fails at
/// once, as it does offline.
const NO_COLLECTOR: &str = "http://127.0.0.1:9";

/// One optional question, so that Start, Continue and Send reach the outbox.
const SURVEY: &str = r#"{
  "format": 1, "id": "dom-test", "version": 1,
  "default_locale": "en", "locales": ["en"],
  "title": {"en": "A test survey"},
  "privacy": {"text": "We keep answers for a year."},
  "allowed_origins": ["*"],
  "pages": [{"id": "p", "questions": [{"id": "q", "type": "text", "label": "Anything?"}]}]
}"#;

/// The same survey, closed long ago by any device's clock.
fn closed_survey() -> String {
    SURVEY.replace(
        r#""allowed_origins""#,
        r#""closes_at": "2025-01-31T17:00:00Z", "allowed_origins""#,
    )
}

fn document() -> web_sys::Document {
    web_sys::window().unwrap().document().unwrap()
}

/// A fresh element in the page's body, for one app.
fn new_root() -> web_sys::Element {
    let root = document().create_element("div").unwrap();
    document().body().unwrap().append_child(&root).unwrap();
    root
}

fn text(root: &web_sys::Element, selector: &str) -> Option<String> {
    let element = root.query_selector(selector).unwrap()?;
    Some(element.text_content().unwrap_or_default().trim().to_owned())
}

/// Waits (up to 10 s) for `condition`: Yew renders, and fetch answers, after a tick or more.
async fn until(what: &str, condition: impl Fn() -> bool) {
    for _ in 0..500 {
        if condition() {
            return;
        }
        yew::platform::time::sleep(Duration::from_millis(20)).await;
    }
    panic!("timed out waiting until {what}");
}

async fn press(root: &web_sys::Element, label: &str) {
    let find = || {
        let buttons = root.query_selector_all("button").unwrap();
        (0..buttons.length())
            .filter_map(|i| buttons.item(i))
            .filter_map(|node| node.dyn_into::<web_sys::HtmlElement>().ok())
            .find(|button| button.text_content().unwrap_or_default().trim() == label)
    };
    until(&format!("a “{label}” button shows"), || {
        find().is_some()
    })
    .await;
    find().unwrap().click();
}

fn heading(root: &web_sys::Element) -> String {
    text(root, "#voices-heading").unwrap_or_default()
}

/// Mounts the survey and goes through to Send, with every send failing.
async fn send_while_offline(root: &web_sys::Element) -> yew::AppHandle<App> {
    let props = AppProps {
        survey: Arc::new(Survey::parse(SURVEY).unwrap()),
        locale: "en".into(),
        collector: NO_COLLECTOR.into(),
        channel: Channel::Online,
        submission_id: Uuid::from_u128(7),
        headings: Default::default(),
        whole_page: false,
        initial: None,
        outcomes: None,
        closed: false,
        collect: None,
    };
    let app = yew::Renderer::<App>::with_root_and_props(root.clone(), props).render();
    press(root, "Start now").await;
    press(root, "Continue").await;
    press(root, "Send my answers").await;
    app
}

fn outbox_keys() -> Vec<String> {
    let storage = web_sys::window().unwrap().local_storage().unwrap().unwrap();
    (0..storage.length().unwrap())
        .filter_map(|i| storage.key(i).unwrap())
        .filter(|key| key.starts_with("voices-outbox:"))
        .collect()
}

#[wasm_bindgen_test]
async fn a_response_that_cannot_be_sent_waits_in_the_outbox_and_says_so() {
    fresh_storage();
    let root = new_root();
    let app = send_while_offline(&root).await;
    until("the queued screen shows", || {
        heading(&root) == "Your answers are kept on this device"
    })
    .await;
    assert_eq!(outbox_keys().len(), 1);
    app.destroy();
}

/// Storage refusing writes and no connection: the person is told the answers could not
/// be sent, with "Try again", never that they are saved and will be sent.
#[wasm_bindgen_test]
async fn a_response_that_can_be_neither_kept_nor_sent_is_not_promised_for_later() {
    fresh_storage();
    let refused = refuse_writes();
    let root = new_root();
    let app = send_while_offline(&root).await;
    until("the error summary shows", || {
        root.query_selector("#voices-error-summary")
            .unwrap()
            .is_some()
    })
    .await;
    assert_eq!(heading(&root), "Check your answers before sending them");
    let summary = text(&root, "#voices-error-summary").unwrap();
    assert!(
        summary.contains("this device cannot save them to send later"),
        "{summary}"
    );
    let focused = document().active_element().map(|e| e.id());
    assert_eq!(focused.as_deref(), Some("voices-error-summary"));
    assert!(outbox_keys().is_empty());
    // Still nothing promised a moment later (no queued screen behind the message).
    yew::platform::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(heading(&root), "Check your answers before sending them");

    // "Try again" once the device can keep it: now it waits in the outbox.
    drop(refused);
    press(&root, "Try again").await;
    until("the queued screen shows", || {
        heading(&root) == "Your answers are kept on this device"
    })
    .await;
    assert_eq!(outbox_keys().len(), 1);
    app.destroy();
}

/// The device's clock says the survey has closed (it may be wrong); a response waiting in
/// the outbox is still sent, and the collector decides.
#[wasm_bindgen_test]
async fn a_waiting_response_is_not_hidden_behind_a_closed_notice() {
    fresh_storage();
    let closed = closed_survey();

    let nothing_waiting = new_root();
    voices_widget::mount(
        nothing_waiting.clone(),
        closed.clone(),
        Some("en".into()),
        NO_COLLECTOR.into(),
        None,
        None,
        false,
        None,
        None,
        None,
        None,
        None,
    );
    until("the closed notice shows", || {
        text(&nothing_waiting, ".voices-notice").is_some()
    })
    .await;
    assert_eq!(
        text(&nothing_waiting, ".voices-notice").unwrap(),
        "This survey has closed and is no longer taking answers."
    );

    let id = Uuid::from_u128(5);
    outbox::put(
        NO_COLLECTOR,
        &Pending {
            survey_id: "dom-test".into(),
            submission_id: id,
            body: format!(r#"{{"submission_id":"{id}"}}"#),
            draft: None,
            withdrawal_key: None,
        },
    )
    .unwrap();
    let waiting = new_root();
    voices_widget::mount(
        waiting.clone(),
        closed,
        Some("en".into()),
        NO_COLLECTOR.into(),
        None,
        None,
        false,
        None,
        None,
        None,
        None,
        None,
    );
    until("the queued screen shows", || {
        heading(&waiting) == "Your answers are kept on this device"
    })
    .await;
    assert_eq!(text(&waiting, ".voices-notice"), None);
    assert!(
        outbox::get(NO_COLLECTOR, id).is_some(),
        "still waiting to be sent"
    );
}

/// A definition that does not parse: a fixed apology in English, marked as English, and
/// announced; the details go to the console for whoever runs the site.
#[wasm_bindgen_test]
fn a_definition_that_cannot_be_used_gets_a_plain_apology() {
    let root = new_root();
    voices_widget::mount(
        root.clone(),
        SURVEY.replace(r#""format": 1"#, r#""format": 99"#),
        Some("pl".into()),
        NO_COLLECTOR.into(),
        None,
        None,
        false,
        None,
        None,
        None,
        None,
        None,
    );
    let apology = root
        .query_selector("[role=alert]")
        .unwrap()
        .expect("an alert");
    assert_eq!(apology.get_attribute("lang").as_deref(), Some("en"));
    assert_eq!(
        text(&root, "h2").as_deref(),
        Some("Sorry, this survey is not available")
    );
    assert!(
        apology
            .text_content()
            .unwrap_or_default()
            .contains("tell the organisation that runs it")
    );
}

/// Published updates, as `GET /api/surveys/{id}/outcomes` gives them.
const OUTCOMES: &str = r#"{"updates": [
  {"id": "did", "stage": "what_we_did", "date": "2026-11-20", "published": true,
   "headline": "Later buses", "body": "Here is what changed.",
   "you_said_we_did": [{"you_said": "Buses stop too early", "we_did": "A later bus from January"}]},
  {"id": "reading", "stage": "reviewing", "date": "2026-12-01", "published": true,
   "headline": "Reading the last answers", "body": "A few came by post."}
]}"#;

/// A closed survey is not a dead end: its latest update shows, and "what we did" (an older
/// one here), with the way to all of them; an open survey's first screen links to them.
#[wasm_bindgen_test]
async fn a_closed_survey_shows_what_came_of_it_and_an_open_one_links_to_it() {
    fresh_storage();
    let closed = new_root();
    voices_widget::mount(
        closed.clone(),
        closed_survey(),
        Some("en".into()),
        NO_COLLECTOR.into(),
        None,
        None,
        false,
        None,
        Some(OUTCOMES.into()),
        None,
        None,
        None,
    );
    until("the closed notice shows", || {
        text(&closed, ".voices-notice").is_some()
    })
    .await;
    let headlines: Vec<String> = {
        let found = closed
            .query_selector_all(".voices-update .voices-subtitle")
            .unwrap();
        (0..found.length())
            .filter_map(|i| found.item(i)?.text_content())
            .collect()
    };
    assert_eq!(headlines, ["Reading the last answers", "Later buses"]);
    assert_eq!(
        text(&closed, ".voices-pairs li p").as_deref(),
        Some("You said: Buses stop too early")
    );
    let link = closed
        .query_selector(".voices-latest-updates a")
        .unwrap()
        .expect("a link to all the updates");
    assert_eq!(
        link.get_attribute("href").as_deref(),
        Some("http://127.0.0.1:9/s/dom-test/updates?lang=en")
    );

    let open = new_root();
    voices_widget::mount(
        open.clone(),
        SURVEY.into(),
        Some("en".into()),
        NO_COLLECTOR.into(),
        None,
        None,
        false,
        None,
        Some(OUTCOMES.into()),
        None,
        None,
        None,
    );
    until("the start screen shows", || {
        text(&open, ".voices-updates-link a").is_some()
    })
    .await;
    assert_eq!(
        text(&open, ".voices-updates-link a").as_deref(),
        Some("Read the updates on this survey")
    );

    // Without updates, or with ones that do not read, nothing is added.
    let plain = new_root();
    voices_widget::mount(
        plain.clone(),
        SURVEY.into(),
        Some("en".into()),
        NO_COLLECTOR.into(),
        None,
        None,
        false,
        None,
        Some(r#"{"updates": "soon"}"#.into()),
        None,
        None,
        None,
    );
    until("the start screen shows", || {
        text(&plain, "button").is_some()
    })
    .await;
    assert_eq!(text(&plain, ".voices-updates-link a"), None);
}

/// A survey that has closed still shows this device's responses, to see and withdraw:
/// saying it has closed, with no Start.
#[wasm_bindgen_test]
async fn a_closed_survey_still_lets_this_device_withdraw_what_it_sent() {
    fresh_storage();
    keep_sent_record("2025-01-20");
    let root = new_root();
    voices_widget::mount(
        root.clone(),
        closed_survey(),
        Some("en".into()),
        NO_COLLECTOR.into(),
        None,
        None,
        false,
        None,
        None,
        None,
        None,
        None,
    );
    until("the response shows", || {
        text(&root, ".voices-sent-before").is_some()
    })
    .await;
    assert_eq!(
        text(&root, ".voices-notice").as_deref(),
        Some("This survey has closed and is no longer taking answers.")
    );
    let summary = text(&root, ".voices-sent-before").unwrap();
    assert!(
        summary.contains("Your answers were stored on 20 January 2025."),
        "{summary}"
    );
    assert!(summary.contains("K7QF-3MXD"), "{summary}");
    assert!(summary.contains("This survey has closed"), "{summary}");
    assert_eq!(
        text(&root, ".voices-sent-before button").as_deref(),
        Some("Withdraw my response")
    );
    assert!(
        root.query_selector("button[value=start]")
            .unwrap()
            .is_none(),
        "no Start on a closed survey"
    );
    press(&root, "Withdraw my response").await;
    until("the confirmation step", || {
        heading(&root) == "Withdraw your response?"
    })
    .await;
}

/// Someone who answered from this device, back on an open survey with news: what came of
/// it shows under their response, not only behind a link.
#[wasm_bindgen_test]
async fn someone_who_answered_sees_the_latest_updates_when_they_come_back() {
    fresh_storage();
    keep_sent_record("2026-10-02");
    let root = new_root();
    voices_widget::mount(
        root.clone(),
        SURVEY.into(),
        Some("en".into()),
        NO_COLLECTOR.into(),
        None,
        None,
        false,
        None,
        Some(OUTCOMES.into()),
        None,
        None,
        None,
    );
    until("the latest updates show", || {
        text(&root, ".voices-latest-updates").is_some()
    })
    .await;
    let latest = text(&root, ".voices-latest-updates").unwrap();
    assert!(latest.contains("Reading the last answers"), "{latest}");
    assert!(
        latest.contains("We did: A later bus from January"),
        "{latest}"
    );
    assert_eq!(text(&root, "p.voices-updates-link"), None);
    assert!(
        root.query_selector("button[value=start]")
            .unwrap()
            .is_some()
    );
}

/// What this device keeps once a response to the test survey is stored: its receipt and
/// withdrawal key, sent on `day`.
fn keep_sent_record(day: &str) {
    web_sys::window()
        .unwrap()
        .local_storage()
        .unwrap()
        .unwrap()
        .set_item(
            &format!("voices-sent:{NO_COLLECTOR}:dom-test"),
            &format!(
                r#"[{{"receipt": "K7QF-3MXD", "key": "0123456789abcdef0123456789abcdef", "sent_on": "{day}"}}]"#
            ),
        )
        .unwrap();
}
