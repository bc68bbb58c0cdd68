//! The outbox against a real browser's `localStorage`: what goes in comes out, tabs do not
//! overwrite each other, and a device that will not keep a response says so.
#![cfg(target_arch = "wasm32")]

mod broken_storage;

use broken_storage::{block_storage, error_name, fill_storage, fresh_storage, refuse_writes};
use voices_shared::uuid::Uuid;
use voices_widget::outbox::{self, Pending};
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};

wasm_bindgen_test_configure!(run_in_browser);

const COLLECTOR: &str = "http://127.0.0.1:8080";

fn pending(survey: &str, id: u128, body: &str) -> Pending {
    Pending {
        survey_id: survey.to_owned(),
        submission_id: Uuid::from_u128(id),
        body: body.to_owned(),
        draft: None,
        withdrawal_key: None,
    }
}

#[wasm_bindgen_test]
fn a_response_put_in_comes_back_until_it_is_removed() {
    let storage = fresh_storage();
    let response = pending("engagement-2026", 1, r#"{"answers":{"q":"yes"}}"#);
    outbox::put(COLLECTOR, &response).expect("kept");

    assert_eq!(
        outbox::get(COLLECTOR, response.submission_id),
        Some(response.clone())
    );
    assert_eq!(
        outbox::waiting(COLLECTOR, "engagement-2026"),
        Some(response.clone())
    );
    assert_eq!(outbox::waiting(COLLECTOR, "another-survey"), None);
    assert_eq!(
        outbox::waiting("http://127.0.0.1:9090", "engagement-2026"),
        None
    );
    assert_eq!(storage.length().unwrap(), 1, "one key per response");

    outbox::remove(COLLECTOR, response.submission_id);
    assert_eq!(outbox::get(COLLECTOR, response.submission_id), None);
    assert_eq!(outbox::waiting(COLLECTOR, "engagement-2026"), None);
    assert_eq!(storage.length().unwrap(), 0);
}

#[wasm_bindgen_test]
fn putting_the_same_submission_again_replaces_it() {
    fresh_storage();
    outbox::put(COLLECTOR, &pending("s", 1, "first")).unwrap();
    outbox::put(COLLECTOR, &pending("s", 1, "second")).unwrap();
    assert_eq!(
        outbox::get(COLLECTOR, Uuid::from_u128(1)).unwrap().body,
        "second"
    );
}

/// Two tabs of one page each keep a response; neither write, nor either removal, touches
/// the other tab's.
#[wasm_bindgen_test]
fn two_tabs_keep_two_responses() {
    let storage = fresh_storage();
    let first_tab = pending("s", 1, "from the first tab");
    let second_tab = pending("s", 2, "from the second tab");
    outbox::put(COLLECTOR, &first_tab).unwrap();
    outbox::put(COLLECTOR, &second_tab).unwrap();
    assert_eq!(
        outbox::get(COLLECTOR, first_tab.submission_id),
        Some(first_tab.clone())
    );
    assert_eq!(
        outbox::get(COLLECTOR, second_tab.submission_id),
        Some(second_tab.clone())
    );

    // The second tab's response is sent and leaves; the first's stays.
    outbox::remove(COLLECTOR, second_tab.submission_id);
    assert_eq!(outbox::waiting(COLLECTOR, "s"), Some(first_tab));
    assert_eq!(storage.length().unwrap(), 1);
}

/// An entry this version cannot read (another version of the widget in another tab, or
/// a damaged one) costs nobody else their response, and is not thrown away.
#[wasm_bindgen_test]
fn an_unreadable_entry_spoils_nothing_else() {
    let storage = fresh_storage();
    let unreadable = format!("voices-outbox:{COLLECTOR}:{}", Uuid::from_u128(7));
    storage.set_item(&unreadable, "{not json").unwrap();
    let mine = pending("s", 1, "mine");
    outbox::put(COLLECTOR, &mine).unwrap();

    assert_eq!(outbox::waiting(COLLECTOR, "s"), Some(mine.clone()));
    outbox::remove(COLLECTOR, mine.submission_id);
    assert_eq!(outbox::waiting(COLLECTOR, "s"), None);
    assert_eq!(
        storage.get_item(&unreadable).unwrap().as_deref(),
        Some("{not json")
    );
}

/// `http://localhost:8080`'s keys begin with `voices-outbox:http://localhost:`, like
/// those of `http://localhost`: each collector still sees only its own responses.
#[wasm_bindgen_test]
fn collectors_whose_names_begin_alike_keep_apart() {
    fresh_storage();
    outbox::put("http://localhost:8080", &pending("s", 8, "for port 8080")).unwrap();
    assert_eq!(outbox::waiting("http://localhost", "s"), None);
    assert_eq!(
        outbox::waiting("http://localhost:8080", "s").unwrap().body,
        "for port 8080"
    );
}

#[wasm_bindgen_test]
fn full_storage_is_reported_and_keeps_what_it_had() {
    fresh_storage();
    let earlier = pending("s", 1, "queued before the storage filled up");
    outbox::put(COLLECTOR, &earlier).unwrap();
    let full = fill_storage();

    let error = outbox::put(COLLECTOR, &pending("s", 2, "x".repeat(1000).as_str()))
        .expect_err("a full storage cannot keep another response");
    assert_eq!(error_name(&error), "QuotaExceededError");
    assert_eq!(outbox::get(COLLECTOR, Uuid::from_u128(2)), None);
    assert_eq!(outbox::waiting(COLLECTOR, "s"), Some(earlier.clone()));

    drop(full);
    outbox::put(COLLECTOR, &pending("s", 2, "room again")).expect("kept once there is room");
}

#[wasm_bindgen_test]
fn refused_writes_are_reported() {
    fresh_storage();
    let _refused = refuse_writes();
    let error = outbox::put(COLLECTOR, &pending("s", 1, "body")).expect_err("not kept");
    assert_eq!(error_name(&error), "QuotaExceededError");
    assert_eq!(outbox::waiting(COLLECTOR, "s"), None);
}

#[wasm_bindgen_test]
fn blocked_storage_is_reported_and_nothing_panics() {
    fresh_storage();
    let _blocked = block_storage();
    assert!(outbox::put(COLLECTOR, &pending("s", 1, "body")).is_err());
    assert_eq!(outbox::waiting(COLLECTOR, "s"), None);
    assert_eq!(outbox::get(COLLECTOR, Uuid::from_u128(1)), None);
    outbox::remove(COLLECTOR, Uuid::from_u128(1));
}
