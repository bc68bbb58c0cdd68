//! A person's own response, through the router: its page `/r/{receipt}` (stored on which
//! day, the survey's status and updates, nothing of the answers), and withdrawal with the
//! key only the sending device holds: audited, gone from exports, and every failure
//! answered alike. The key's hash is never exported.

mod common;

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use common::{ENGAGEMENT, Harness, call, engagement_submission, get, post_response};
use serde_json::{Value, json};
use time::OffsetDateTime;
use voices_collector::Config;
use voices_collector::export::{self, ExportOptions, Format};
use voices_collector::store::AuditEvent;

const KEY: &str = "0123456789abcdef0123456789abcdef";

fn open() -> Config {
    Config {
        rate_limit: 0,
        ..Config::default()
    }
}

async fn send_with_key(h: &Harness, key: &str) -> String {
    let mut body = engagement_submission();
    body["withdrawal_key"] = json!(key);
    let reply = call(h.app(), post_response(ENGAGEMENT, &body)).await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.text());
    reply.json()["receipt"].as_str().unwrap().to_owned()
}

fn withdraw(receipt: &str, key: &str) -> Request<Body> {
    Request::post(format!("/api/surveys/{ENGAGEMENT}/withdrawals"))
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from(
            json!({"receipt": receipt, "key": key}).to_string(),
        ))
        .unwrap()
}

fn exported(h: &Harness, format: Format) -> String {
    let mut out = Vec::new();
    let published = h.state.catalog().versions(ENGAGEMENT);
    let versions: Vec<_> = published.iter().map(|p| &p.survey).collect();
    export::write(
        format,
        &mut out,
        &versions,
        &ExportOptions::default(),
        h.store.responses(ENGAGEMENT),
    )
    .expect("the export is written");
    String::from_utf8_lossy(&out).into_owned()
}

#[tokio::test]
async fn the_receipt_page_says_when_it_was_stored_and_nothing_of_the_answers() {
    let h = Harness::new(open());
    let receipt = send_with_key(&h, KEY).await;
    let page = call(h.app(), get(&format!("/r/{receipt}"))).await;
    assert_eq!(page.status, StatusCode::OK);
    assert_eq!(page.header("cache-control"), Some("no-store"));
    let html = page.text();
    let day = OffsetDateTime::now_utc().date();
    let today = voices_shared::CalendarDate::from_parts(
        day.year(),
        u8::from(day.month()).into(),
        day.day().into(),
    )
    .unwrap();
    let stored = format!(
        "Your answers were stored on {}.",
        voices_shared::catalogue("en").date(today)
    );
    assert!(html.contains(&stored), "{html}");
    assert!(html.contains(&receipt));
    assert!(html.contains("This survey is still taking answers."));
    for answer in ["lochee", "The library on the high street", "coffee morning"] {
        assert!(!html.contains(answer), "{answer} is on the page");
    }
    // Written however it is read out: lower case, without the hyphen.
    let loose = receipt.replace('-', "").to_lowercase();
    let page = call(h.app(), get(&format!("/r/{loose}?lang=pl"))).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.text().contains("Twoje odpowiedzi zapisano"));
}

#[tokio::test]
async fn only_the_key_withdraws_and_a_failure_says_no_more_than_the_receipts_page() {
    let h = Harness::new(open());
    let receipt = send_with_key(&h, KEY).await;
    let other = send_with_key(&h, "ffffffffffffffffffffffffffffffff").await;
    let no_key = call(h.app(), post_response(ENGAGEMENT, &engagement_submission())).await;
    let no_key = no_key.json()["receipt"].as_str().unwrap().to_owned();

    // The hash is kept, and never exported.
    for format in [Format::Json, Format::Ndjson, Format::Csv] {
        let text = exported(&h, format);
        assert!(!text.contains("withdrawal"), "{format:?}: {text}");
        assert!(!text.contains(KEY));
        assert!(!text.contains(&voices_collector::staff::credentials::digest(KEY)));
    }

    // A stored response and the wrong key (or a response sent without one): 403, which
    // says no more than the receipt's page does. No response to this survey: 404.
    let wrong = call(
        h.app(),
        withdraw(&receipt, "00000000000000000000000000000000"),
    )
    .await;
    let elsewhere = call(h.app(), withdraw(&other, KEY)).await;
    let keyless = call(h.app(), withdraw(&no_key, KEY)).await;
    for reply in [&wrong, &elsewhere, &keyless] {
        assert_eq!(reply.status, StatusCode::FORBIDDEN, "{}", reply.text());
        assert_eq!(reply.json()["message"], wrong.json()["message"]);
    }
    let unknown = call(h.app(), withdraw("AAAA-AAAA", KEY)).await;
    assert_eq!(unknown.status, StatusCode::NOT_FOUND);
    let not_found_message = unknown.json()["message"].clone();
    let other_survey = call(
        h.app(),
        Request::post("/api/surveys/community-transport/withdrawals")
            .header(header::CONTENT_TYPE, "application/json")
            .body(Body::from(
                json!({"receipt": receipt, "key": KEY}).to_string(),
            ))
            .unwrap(),
    )
    .await;
    assert_eq!(other_survey.status, StatusCode::NOT_FOUND);
    assert_eq!(other_survey.json()["message"], not_found_message);
    let malformed = call(h.app(), withdraw(&receipt, "not a key")).await;
    assert_eq!(malformed.status, StatusCode::BAD_REQUEST);
    assert_eq!(h.count(ENGAGEMENT), 3);

    let done = call(h.app(), withdraw(&receipt, KEY)).await;
    assert_eq!(done.status, StatusCode::NO_CONTENT, "{}", done.text());
    assert_eq!(h.count(ENGAGEMENT), 2);
    assert!(!exported(&h, Format::Ndjson).contains(&receipt));
    // Twice is the same as never.
    let again = call(h.app(), withdraw(&receipt, KEY)).await;
    assert_eq!(again.status, StatusCode::NOT_FOUND);
    assert_eq!(again.json()["message"], not_found_message);

    // Its page now answers as for a receipt that never was.
    let gone = call(h.app(), get(&format!("/r/{receipt}"))).await;
    let never = call(h.app(), get("/r/AAAA-AAAA")).await;
    assert_eq!(gone.status, StatusCode::NOT_FOUND);
    assert_eq!(never.status, StatusCode::NOT_FOUND);
    assert_eq!(
        gone.text().replace(&receipt, ""),
        never.text().replace("AAAA-AAAA", "")
    );
    assert!(
        gone.text()
            .contains("There is no response with this receipt")
    );

    // Audited: who (the respondent), which survey and receipt; nothing of the answers.
    let audit = h.store.audit(10).unwrap();
    let withdrawn: Vec<&AuditEvent> = audit
        .iter()
        .filter(|e| matches!(e.event, AuditEvent::Withdrawn { .. }))
        .map(|e| &e.event)
        .collect();
    assert_eq!(
        withdrawn,
        [&AuditEvent::Withdrawn {
            survey: ENGAGEMENT.to_owned(),
            receipt: receipt.clone()
        }]
    );
}

#[tokio::test]
async fn a_key_that_is_not_128_bits_of_hex_is_refused_at_submission() {
    let h = Harness::new(open());
    let mut body = engagement_submission();
    body["withdrawal_key"] = json!("short");
    let reply = call(h.app(), post_response(ENGAGEMENT, &body)).await;
    assert_eq!(reply.status, StatusCode::BAD_REQUEST);
    let message = reply.json()["message"].as_str().unwrap().to_owned();
    assert!(message.contains("withdrawal_key"), "{message}");
    assert!(
        message.contains("32 lower-case hexadecimal digits"),
        "{message}"
    );
}

#[tokio::test]
async fn lookups_and_withdrawals_are_rate_limited() {
    let h = Harness::new(Config {
        rate_limit: 2,
        ..Config::default()
    });
    let mut replies = Vec::new();
    for _ in 0..3 {
        replies.push(call(h.app(), get("/r/AAAA-AAAA?lang=pl")).await);
    }
    let statuses: Vec<StatusCode> = replies.iter().map(|r| r.status).collect();
    assert_eq!(
        statuses,
        [
            StatusCode::NOT_FOUND,
            StatusCode::NOT_FOUND,
            StatusCode::TOO_MANY_REQUESTS
        ]
    );
    // Said as a page, in the reader's language, with when to try again.
    let limited_page = &replies[2];
    assert!(limited_page.header("retry-after").is_some());
    assert!(
        limited_page
            .text()
            .contains("W krótkim czasie sprawdzono wiele numerów potwierdzenia."),
        "{}",
        limited_page.text()
    );
    let limited = call(h.app(), withdraw("AAAA-AAAA", KEY)).await;
    assert_eq!(limited.status, StatusCode::TOO_MANY_REQUESTS);
    let _: Value = limited.json();
}
