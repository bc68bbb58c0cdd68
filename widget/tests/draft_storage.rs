//! The draft against a real browser's `localStorage`: kept, restored, forgotten once sent,
//! and no harm done when the device will not keep it.
#![cfg(target_arch = "wasm32")]

mod broken_storage;

use broken_storage::{block_storage, fill_storage, fresh_storage, refuse_writes};
use voices_shared::serde_json::json;
use voices_shared::uuid::Uuid;
use voices_widget::draft_storage;
use voices_widget::state::{DateParts, Draft};
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};

wasm_bindgen_test_configure!(run_in_browser);

const KEY: &str = "voices:http://127.0.0.1:8080:engagement-2026:v1";

fn draft() -> Draft {
    Draft {
        submission_id: Uuid::from_u128(3),
        locale: "gd".into(),
        answers: [
            ("locality".to_owned(), json!("lochee")),
            ("ways".to_owned(), json!(["letter", "other"])),
        ]
        .into_iter()
        .collect(),
        specify: [("ways".to_owned(), "By carrier pigeon".to_owned())]
            .into_iter()
            .collect(),
        numbers: [("age".to_owned(), "1,5".to_owned())].into_iter().collect(),
        dates: [(
            "born".to_owned(),
            DateParts {
                day: "31".into(),
                month: "2".into(),
                year: "".into(),
            },
        )]
        .into(),
        page: Some(2),
    }
}

#[wasm_bindgen_test]
fn a_saved_draft_comes_back_whole_and_goes_once_sent() {
    let storage = fresh_storage();
    draft_storage::save(KEY, Some(&draft()));
    assert_eq!(draft_storage::load(KEY), Some(draft()));
    assert_eq!(draft_storage::load("voices:another-survey"), None);

    draft_storage::save(KEY, None);
    assert_eq!(draft_storage::load(KEY), None);
    assert_eq!(storage.length().unwrap(), 0, "nothing is left behind");
}

#[wasm_bindgen_test]
fn an_unreadable_draft_is_no_draft() {
    let storage = fresh_storage();
    storage.set_item(KEY, "{\"submission_id\": 12").unwrap();
    assert_eq!(draft_storage::load(KEY), None);
}

/// Storage full, refusing writes or blocked: the survey goes on without the safety net.
#[wasm_bindgen_test]
fn a_device_that_will_not_keep_the_draft_does_no_harm() {
    fresh_storage();
    {
        let _full = fill_storage();
        draft_storage::save(KEY, Some(&draft()));
        assert_eq!(draft_storage::load(KEY), None);
    }
    {
        let _refused = refuse_writes();
        draft_storage::save(KEY, Some(&draft()));
        assert_eq!(draft_storage::load(KEY), None);
    }
    {
        let _blocked = block_storage();
        draft_storage::save(KEY, Some(&draft()));
        draft_storage::save(KEY, None);
        assert_eq!(draft_storage::load(KEY), None);
    }
    draft_storage::save(KEY, Some(&draft()));
    assert_eq!(
        draft_storage::load(KEY),
        Some(draft()),
        "kept again once storage works"
    );
}
