//! Inputs the fuzz targets (fuzz/, `cargo xtask fuzz`) found to break a rule, sent through the router so each stays fixed.

mod common;

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use common::*;
use serde_json::json;
use voices_collector::Config;
use voices_shared::uuid::Uuid;

/// fuzz target `submission`, crash-2778f10713c8233d50a9592c32ebd374169fe16e:
/// a number that serde_json's default (not correctly rounded) float parser
/// read as one f64, wrote back as text that it then read as another. The
/// stored response, read back from disk, then differed from the same body
/// sent again, so a retry was answered 409 `submission_conflict` instead of
/// 200 with its receipt. The first number is the fuzzer's; the second is an
/// ordinary decimal with more digits than an f64 holds.
#[tokio::test]
async fn a_retry_with_a_long_number_is_still_a_retry() {
    let h = Harness::new(Config {
        rate_limit: 0,
        ..Config::default()
    });
    h.publish(small_survey(
        "measure",
        1,
        json!({"pages": [{"id": "p1", "questions": [
            {"id": "amount", "type": "number", "label": "How much?"}
        ]}]}),
    ));
    for number in ["400000000000516341551", "452.792681765716848686"] {
        let body = format!(
            r#"{{"submission_id": "{}", "survey_version": 1, "locale": "en", "answers": {{"amount": {number}}}}}"#,
            Uuid::new_v4()
        );
        let send = || {
            Request::post("/api/surveys/measure/responses")
                .header(header::CONTENT_TYPE, "application/json")
                .body(Body::from(body.clone()))
                .expect("a request")
        };
        let first = call(h.app(), send()).await;
        assert_eq!(first.status, StatusCode::CREATED, "{}", first.text());
        let again = call(h.app(), send()).await;
        assert_eq!(
            again.status,
            StatusCode::OK,
            "{number}: a retry, not a conflict: {}",
            again.text()
        );
        assert_eq!(again.json()["receipt"], first.json()["receipt"]);
    }
    assert_eq!(h.count("measure"), 2);
}
