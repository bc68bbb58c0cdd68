//! The HTTP contract of interfaces.md, request by request through the router (no socket): every status of a submission, CORS, definitions, pages and the health check.

mod common;

use std::sync::Arc;
use std::sync::atomic::Ordering;

use axum::body::Body;
use axum::http::{Method, Request, StatusCode, header};
use common::*;
use serde_json::{Value, json};
use voices_collector::Config;
use voices_collector::assets::{Asset, Assets};
use voices_collector::store::{PublishOutcome, StoreError, StoredResponse};

fn no_limit() -> Config {
    Config {
        rate_limit: 0,
        ..Config::default()
    }
}

async fn post(h: &Harness, survey: &str, body: &Value) -> Reply {
    call(h.app(), post_response(survey, body)).await
}

/// Posts raw bytes with the given content type (and no Content-Length unless given).
async fn post_raw(
    h: &Harness,
    survey: &str,
    content_type: Option<&str>,
    length: Option<usize>,
    body: Vec<u8>,
) -> Reply {
    let mut request = Request::post(format!("/api/surveys/{survey}/responses"));
    if let Some(content_type) = content_type {
        request = request.header(header::CONTENT_TYPE, content_type);
    }
    if let Some(length) = length {
        request = request.header(header::CONTENT_LENGTH, length);
    }
    call(h.app(), request.body(Body::from(body)).unwrap()).await
}

fn assert_refused(reply: &Reply, status: StatusCode, code: &str) -> Value {
    assert_eq!(
        reply.status,
        status,
        "body: {}",
        String::from_utf8_lossy(&reply.body)
    );
    assert_eq!(reply.header("content-type"), Some("application/json"));
    let body = reply.json();
    assert_error_body(&body, code);
    body
}

#[tokio::test]
async fn a_valid_response_is_stored_with_a_receipt() {
    let h = Harness::new(no_limit());
    let reply = post(&h, ENGAGEMENT, &engagement_submission()).await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.text());
    assert_eq!(reply.header("cache-control"), Some("no-store"));
    let body = reply.json();
    let receipt = body["receipt"].as_str().expect("a receipt");
    assert!(is_receipt(receipt), "{receipt:?} looks like XXXX-XXXX");
    assert_eq!(
        body.as_object().unwrap().len(),
        1,
        "only the receipt: {body}"
    );
    assert_eq!(h.count(ENGAGEMENT), 1);
    assert_eq!(h.count(TRANSPORT), 0);

    let stored: Vec<StoredResponse> = h
        .store
        .responses(ENGAGEMENT)
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(stored[0].receipt.as_str(), receipt);
    assert_eq!(stored[0].answers["ways"], json!(["face_to_face", "other"]));
    assert_eq!(
        *stored[0].specify.get("ways").unwrap(),
        "At the carers centre coffee morning"
    );
}

#[tokio::test]
async fn a_retry_gets_the_same_receipt_and_stores_nothing() {
    let h = Harness::new(no_limit());
    let submission = engagement_submission();
    let first = post(&h, ENGAGEMENT, &submission).await;
    assert_eq!(first.status, StatusCode::CREATED);
    let receipt = first.json()["receipt"].clone();

    let again = post(&h, ENGAGEMENT, &submission).await;
    assert_eq!(again.status, StatusCode::OK, "{}", again.text());
    assert_eq!(again.json()["receipt"], receipt);

    // The same meaning written differently is still a retry: text is
    // trimmed, and when it was started is not part of the answers.
    let mut respelled = submission.clone();
    respelled["answers"]["face_to_face_where"] = json!("  The library on the high street \n");
    respelled["started_at"] = json!("2026-11-22T11:00:00Z");
    let third = post(&h, ENGAGEMENT, &respelled).await;
    assert_eq!(third.status, StatusCode::OK, "{}", third.text());
    assert_eq!(third.json()["receipt"], receipt);
    assert_eq!(h.count(ENGAGEMENT), 1);
}

#[tokio::test]
async fn the_same_submission_id_with_other_answers_is_a_conflict() {
    let h = Harness::new(no_limit());
    let submission = engagement_submission();
    assert_eq!(
        post(&h, ENGAGEMENT, &submission).await.status,
        StatusCode::CREATED
    );
    let stored_before: Vec<StoredResponse> = h
        .store
        .responses(ENGAGEMENT)
        .collect::<Result<_, _>>()
        .unwrap();

    let mut changed = submission.clone();
    changed["answers"]["locality"] = json!("west_end");
    let reply = post(&h, ENGAGEMENT, &changed).await;
    let body = assert_refused(&reply, StatusCode::CONFLICT, "submission_conflict");
    assert!(
        body["message"].as_str().unwrap().contains("submission_id"),
        "{body}"
    );

    let mut other_channel = submission.clone();
    other_channel["channel"] = json!("qr");
    assert_refused(
        &post(&h, ENGAGEMENT, &other_channel).await,
        StatusCode::CONFLICT,
        "submission_conflict",
    );

    let stored_after: Vec<StoredResponse> = h
        .store
        .responses(ENGAGEMENT)
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(stored_after, stored_before, "the first answers stand");
}

#[tokio::test]
async fn a_body_that_is_not_a_response_is_a_bad_request() {
    let h = Harness::new(no_limit());
    let json = Some("application/json");

    let reply = post_raw(&h, ENGAGEMENT, json, None, b"this is not json".to_vec()).await;
    let body = assert_refused(&reply, StatusCode::BAD_REQUEST, "bad_request");
    assert!(
        body["message"].as_str().unwrap().contains("not valid JSON"),
        "{body}"
    );

    let reply = post_raw(&h, ENGAGEMENT, json, None, b"[1, 2, 3]".to_vec()).await;
    assert_refused(&reply, StatusCode::BAD_REQUEST, "bad_request");

    let mut wrong_type = engagement_submission();
    wrong_type["survey_version"] = json!("one");
    let body = assert_refused(
        &post(&h, ENGAGEMENT, &wrong_type).await,
        StatusCode::BAD_REQUEST,
        "bad_request",
    );
    assert!(
        body["message"].as_str().unwrap().contains("survey_version"),
        "{body}"
    );

    let mut no_id = engagement_submission();
    no_id.as_object_mut().unwrap().remove("submission_id");
    let body = assert_refused(
        &post(&h, ENGAGEMENT, &no_id).await,
        StatusCode::BAD_REQUEST,
        "bad_request",
    );
    assert!(
        body["message"].as_str().unwrap().contains("submission_id"),
        "{body}"
    );

    let mut bad_uuid = engagement_submission();
    bad_uuid["submission_id"] = json!("not-a-uuid");
    let body = assert_refused(
        &post(&h, ENGAGEMENT, &bad_uuid).await,
        StatusCode::BAD_REQUEST,
        "bad_request",
    );
    assert!(
        body["message"].as_str().unwrap().contains("submission_id"),
        "{body}"
    );

    let mut unknown_field = engagement_submission();
    unknown_field["ip_address"] = json!("192.0.2.1");
    let body = assert_refused(
        &post(&h, ENGAGEMENT, &unknown_field).await,
        StatusCode::BAD_REQUEST,
        "bad_request",
    );
    assert!(
        body["message"].as_str().unwrap().contains("ip_address"),
        "the message names the field: {body}"
    );

    let mut bad_channel = engagement_submission();
    bad_channel["channel"] = json!("carrier_pigeon");
    let body = assert_refused(
        &post(&h, ENGAGEMENT, &bad_channel).await,
        StatusCode::BAD_REQUEST,
        "bad_request",
    );
    assert!(
        body["message"].as_str().unwrap().contains("channel"),
        "{body}"
    );

    let mut answers_list = engagement_submission();
    answers_list["answers"] = json!([]);
    let body = assert_refused(
        &post(&h, ENGAGEMENT, &answers_list).await,
        StatusCode::BAD_REQUEST,
        "bad_request",
    );
    assert!(
        body["message"].as_str().unwrap().contains("answers"),
        "{body}"
    );

    let mut trailing = serde_json::to_vec(&engagement_submission()).unwrap();
    trailing.extend_from_slice(b" {}");
    assert_refused(
        &post_raw(&h, ENGAGEMENT, json, None, trailing).await,
        StatusCode::BAD_REQUEST,
        "bad_request",
    );

    assert_eq!(h.count(ENGAGEMENT), 0);
}

#[tokio::test]
async fn only_json_is_accepted() {
    let h = Harness::new(no_limit());
    let body = serde_json::to_vec(&engagement_submission()).unwrap();
    for content_type in [
        Some("text/plain"),
        Some("application/x-www-form-urlencoded"),
        None,
    ] {
        let reply = post_raw(&h, ENGAGEMENT, content_type, None, body.clone()).await;
        let refusal = assert_refused(
            &reply,
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "unsupported_media_type",
        );
        assert!(
            refusal["message"]
                .as_str()
                .unwrap()
                .contains("application/json"),
            "{refusal}"
        );
    }
    assert_eq!(h.count(ENGAGEMENT), 0);
    // A charset parameter is fine.
    let reply = post_raw(
        &h,
        ENGAGEMENT,
        Some("application/json; charset=utf-8"),
        None,
        body,
    )
    .await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.text());
}

#[tokio::test]
async fn a_body_over_64_kib_is_refused_before_it_is_read() {
    let h = Harness::new(no_limit());
    assert_eq!(
        h.state.config().body_limit,
        64 * 1024,
        "the documented default"
    );
    // Valid JSON whose only fault is its size.
    let mut big = engagement_submission();
    big["answers"]["comments"] = json!("x".repeat(70 * 1024));
    let bytes = serde_json::to_vec(&big).unwrap();
    let length = bytes.len();
    // Announced by Content-Length...
    let reply = post_raw(
        &h,
        ENGAGEMENT,
        Some("application/json"),
        Some(length),
        bytes.clone(),
    )
    .await;
    let body = assert_refused(&reply, StatusCode::PAYLOAD_TOO_LARGE, "too_large");
    assert!(
        body["message"].as_str().unwrap().contains("65536"),
        "{body}"
    );
    // ...or found while reading.
    let reply = post_raw(&h, ENGAGEMENT, Some("application/json"), None, bytes).await;
    assert_refused(&reply, StatusCode::PAYLOAD_TOO_LARGE, "too_large");
    assert_eq!(h.count(ENGAGEMENT), 0);

    // Just under the limit is read (and judged on its answers).
    let mut fits = engagement_submission();
    fits["answers"]["comments"] = json!("x".repeat(1000));
    assert_eq!(
        post(&h, ENGAGEMENT, &fits).await.status,
        StatusCode::CREATED
    );
}

#[tokio::test]
async fn broken_rules_are_listed_with_question_ids_and_codes() {
    let h = Harness::new(no_limit());
    let mut submission = engagement_submission();
    let answers = submission["answers"].as_object_mut().unwrap();
    answers.remove("agree"); // required
    answers.insert("locality".into(), json!("atlantis")); // not an option
    answers.insert("informed".into(), json!(9)); // rating 1..=5
    answers.insert("connection".into(), json!(["carer", "carer"])); // duplicate
    answers.insert("shoe_size".into(), json!(9)); // no such question
    answers.insert("barriers".into(), json!(["none", "cost"])); // exclusive with another
    answers.insert("event_date".into(), json!("2026-02-30")); // no such day
    let reply = post(&h, ENGAGEMENT, &submission).await;
    let body = assert_refused(&reply, StatusCode::UNPROCESSABLE_ENTITY, "invalid_answers");
    let details = body["details"].as_array().unwrap();
    let found: Vec<(String, String)> = details
        .iter()
        .map(|d| {
            assert!(
                d["message"].as_str().is_some_and(|m| !m.is_empty()),
                "each problem has a message: {d}"
            );
            (
                d["question"].as_str().unwrap_or("").to_owned(),
                d["code"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    for (question, code) in [
        ("agree", "required"),
        ("locality", "not_an_option"),
        ("informed", "out_of_range"),
        ("connection", "duplicate"),
        ("shoe_size", "unknown_question"),
        ("barriers", "exclusive"),
        ("event_date", "bad_date"),
    ] {
        assert!(
            found.contains(&(question.to_owned(), code.to_owned())),
            "{question}/{code} is among {found:?}"
        );
    }
    assert_eq!(found.len(), 7, "one problem each, nothing else: {found:?}");

    // Specify text missing for a chosen "other", and given where not asked for.
    let mut specify = engagement_submission();
    specify["specify"] = json!({"locality": "somewhere"});
    let body = assert_refused(
        &post(&h, ENGAGEMENT, &specify).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "invalid_answers",
    );
    let codes: Vec<(&str, &str)> = body["details"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| (d["question"].as_str().unwrap(), d["code"].as_str().unwrap()))
        .collect();
    assert!(codes.contains(&("ways", "specify_missing")), "{codes:?}");
    assert!(
        codes.contains(&("locality", "specify_unexpected")),
        "{codes:?}"
    );

    // An answer to a question the earlier answers hide.
    let mut hidden = engagement_submission();
    hidden["answers"]["ways"] = json!(["phone"]);
    hidden.as_object_mut().unwrap().remove("specify");
    let body = assert_refused(
        &post(&h, ENGAGEMENT, &hidden).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "invalid_answers",
    );
    assert_eq!(body["details"][0]["question"], "face_to_face_where");
    assert_eq!(body["details"][0]["code"], "hidden");

    // A locale the survey does not offer is a problem of the response, not a question.
    let mut locale = engagement_submission();
    locale["locale"] = json!("fr");
    let body = assert_refused(
        &post(&h, ENGAGEMENT, &locale).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "invalid_answers",
    );
    assert_eq!(body["details"][0]["code"], "unknown_locale");
    assert!(body["details"][0]["question"].is_null(), "{body}");

    assert_eq!(h.count(ENGAGEMENT), 0);
}

#[tokio::test]
async fn unknown_surveys_and_versions_are_not_found() {
    let h = Harness::new(no_limit());
    let reply = post(&h, "no-such-survey", &engagement_submission()).await;
    let body = assert_refused(&reply, StatusCode::NOT_FOUND, "not_found");
    assert!(
        body["message"].as_str().unwrap().contains("no-such-survey"),
        "{body}"
    );

    let mut future = engagement_submission();
    future["survey_version"] = json!(7);
    let body = assert_refused(
        &post(&h, ENGAGEMENT, &future).await,
        StatusCode::NOT_FOUND,
        "not_found",
    );
    assert!(
        body["message"].as_str().unwrap().contains("version 7"),
        "{body}"
    );

    assert_refused(
        &call(h.app(), get("/api/surveys/no-such-survey")).await,
        StatusCode::NOT_FOUND,
        "not_found",
    );
    for path in [
        "/api/surveys/engagement-2026/versions/7",
        "/api/surveys/engagement-2026/versions/latest",
    ] {
        assert_refused(
            &call(h.app(), get(path)).await,
            StatusCode::NOT_FOUND,
            "not_found",
        );
    }
    let reply = call(h.app(), get("/no/such/page")).await;
    assert_refused(&reply, StatusCode::NOT_FOUND, "not_found");
    assert_eq!(reply.header("cache-control"), Some("no-store"));
    assert_eq!(h.count(ENGAGEMENT), 0);
}

#[tokio::test]
async fn a_response_stored_before_the_survey_closed_is_still_acknowledged_when_retried() {
    let h = Harness::new(no_limit());
    h.publish(small_survey("poll", 1, json!({})));
    let sent = small_submission(1);
    let first = post(&h, "poll", &sent).await;
    assert_eq!(first.status, StatusCode::CREATED, "{:?}", first.json());
    // Version 2 closes the survey; the phone that sent version 1 never saw the answer.
    h.publish(small_survey(
        "poll",
        2,
        json!({"closes_at": "2020-01-31T17:00:00Z"}),
    ));
    let retry = post(&h, "poll", &sent).await;
    assert_eq!(retry.status, StatusCode::OK, "{:?}", retry.json());
    assert_eq!(retry.json()["receipt"], first.json()["receipt"]);
    // A new response is refused, and nothing more is stored.
    let mut new = small_submission(1);
    new["submission_id"] = json!(uuid::Uuid::new_v4());
    assert_refused(&post(&h, "poll", &new).await, StatusCode::GONE, "closed");
    assert_eq!(h.count("poll"), 1);
}

#[tokio::test]
async fn a_survey_outside_its_window_is_gone() {
    let h = Harness::new(no_limit());
    h.publish(small_survey(
        "closed-poll",
        1,
        json!({"closes_at": "2020-01-31T17:00:00Z"}),
    ));
    h.publish(small_survey(
        "future-poll",
        1,
        json!({"opens_at": "2999-01-01T09:00:00Z"}),
    ));
    h.publish(small_survey(
        "open-poll",
        1,
        json!({"opens_at": "2020-01-01T00:00:00Z", "closes_at": "2999-01-01T00:00:00Z"}),
    ));

    let body = assert_refused(
        &post(&h, "closed-poll", &small_submission(1)).await,
        StatusCode::GONE,
        "closed",
    );
    assert!(
        body["message"].as_str().unwrap().contains("closed"),
        "{body}"
    );
    let body = assert_refused(
        &post(&h, "future-poll", &small_submission(1)).await,
        StatusCode::GONE,
        "closed",
    );
    assert!(
        body["message"].as_str().unwrap().contains("not open"),
        "{body}"
    );
    assert_eq!(h.count("closed-poll"), 0);
    assert_eq!(h.count("future-poll"), 0);

    // The definition is still served, so the widget can say it is closed.
    let reply = call(h.app(), get("/api/surveys/closed-poll")).await;
    assert_eq!(reply.status, StatusCode::OK);
    assert_eq!(reply.json()["closes_at"], "2020-01-31T17:00:00Z");

    assert_eq!(
        post(&h, "open-poll", &small_submission(1)).await.status,
        StatusCode::CREATED
    );
}

#[tokio::test]
async fn too_many_submissions_from_one_client_are_refused_with_retry_after() {
    let h = Harness::new(Config {
        rate_limit: 2,
        ..Config::default()
    });
    for _ in 0..2 {
        assert_eq!(
            post(&h, ENGAGEMENT, &engagement_submission()).await.status,
            StatusCode::CREATED
        );
    }
    let reply = post(&h, ENGAGEMENT, &engagement_submission()).await;
    let body = assert_refused(&reply, StatusCode::TOO_MANY_REQUESTS, "rate_limited");
    let retry_after: u64 = reply
        .header("retry-after")
        .expect("Retry-After is set")
        .parse()
        .expect("Retry-After is whole seconds");
    // Two a minute: the next token is about 30 s away.
    assert!(
        (1..=31).contains(&retry_after),
        "Retry-After: {retry_after}"
    );
    assert!(
        body["message"].as_str().unwrap().contains("try again"),
        "{body}"
    );
    assert_eq!(h.count(ENGAGEMENT), 2);
}

#[tokio::test]
async fn behind_a_proxy_each_forwarded_client_has_its_own_limit() {
    let h = Harness::new(Config {
        rate_limit: 1,
        behind_proxy: true,
        ..Config::default()
    });
    let from = |client: &str| {
        let mut request = post_response(ENGAGEMENT, &engagement_submission());
        request.headers_mut().insert(
            "x-forwarded-for",
            format!("203.0.113.9, {client}").parse().unwrap(),
        );
        request
    };
    assert_eq!(
        call(h.app(), from("192.0.2.1")).await.status,
        StatusCode::CREATED
    );
    assert_eq!(
        call(h.app(), from("192.0.2.1")).await.status,
        StatusCode::TOO_MANY_REQUESTS
    );
    assert_eq!(
        call(h.app(), from("192.0.2.2")).await.status,
        StatusCode::CREATED
    );
    assert_eq!(h.count(ENGAGEMENT), 2);
}

#[tokio::test]
async fn behind_a_proxy_a_last_entry_that_is_not_an_address_falls_back_to_the_peer() {
    let h = Harness::new(Config {
        rate_limit: 1,
        behind_proxy: true,
        ..Config::default()
    });
    // The client wrote the first entry; the proxy appended something unreadable.
    let spoofed = |client: &str| {
        let mut request = post_response(ENGAGEMENT, &engagement_submission());
        request.headers_mut().insert(
            "x-forwarded-for",
            format!("{client}, unknown").parse().unwrap(),
        );
        request
    };
    assert_eq!(
        call(h.app(), spoofed("198.51.100.1")).await.status,
        StatusCode::CREATED
    );
    // A different made-up address is the same client (the peer): still limited.
    assert_eq!(
        call(h.app(), spoofed("198.51.100.2")).await.status,
        StatusCode::TOO_MANY_REQUESTS
    );
}

#[tokio::test]
async fn every_response_says_nosniff_and_behind_tls_hsts() {
    let plain = Harness::new(no_limit());
    for path in [
        "/api/surveys/no-such-survey",
        "/nothing-here",
        "/healthz",
        "/s/engagement-2026",
    ] {
        let reply = call(plain.app(), get(path)).await;
        assert_eq!(
            reply.header("x-content-type-options"),
            Some("nosniff"),
            "{path}"
        );
        assert_eq!(reply.header("strict-transport-security"), None, "{path}");
    }
    let tls = Harness::new(Config {
        secure_cookies: true,
        ..no_limit()
    });
    for path in [
        "/api/surveys/engagement-2026",
        "/admin/sign-in",
        "/nothing-here",
    ] {
        let reply = call(tls.app(), get(path)).await;
        assert_eq!(
            reply.header("strict-transport-security"),
            Some("max-age=31536000"),
            "{path}"
        );
    }
}

#[tokio::test]
async fn the_collector_s_own_pages_cannot_be_framed() {
    let h = Harness::new(Config {
        demo: true,
        ..no_limit()
    });
    for path in ["/s/engagement-2026", "/s/no-such-survey", "/demo"] {
        let reply = call(h.app(), get(path)).await;
        let policy = reply.header("content-security-policy").unwrap_or_default();
        assert!(
            policy.contains("frame-ancestors 'none'"),
            "{path}: {policy}"
        );
        assert_eq!(reply.header("x-frame-options"), Some("DENY"), "{path}");
    }
}

#[tokio::test]
async fn the_hosted_page_carries_its_stylesheets_and_allows_exactly_those() {
    use base64ct::Encoding;
    use sha2::Digest;
    let h = Harness::new(no_limit());
    let reply = call(h.app(), get("/s/engagement-2026")).await;
    let page = reply.text();
    let policy = reply.header("content-security-policy").unwrap().to_owned();
    // No stylesheet to wait for before the first screen shows.
    assert!(
        !page.contains("rel=\"stylesheet\" href=\"/page.css\""),
        "{page}"
    );
    let styles: Vec<&str> = page
        .split("<style>")
        .skip(1)
        .map(|rest| rest.split("</style>").next().unwrap())
        .collect();
    assert!(!styles.is_empty(), "{page}");
    let style_src = policy
        .split(';')
        .find(|d| d.trim().starts_with("style-src"))
        .unwrap();
    for css in &styles {
        let hash = base64ct::Base64::encode_string(&sha2::Sha256::digest(css));
        assert!(style_src.contains(&format!("'sha256-{hash}'")), "{policy}");
    }
    assert_eq!(
        style_src.matches("'sha256-").count(),
        styles.len(),
        "nothing else inline: {policy}"
    );
    assert!(!style_src.contains("unsafe-inline"), "{policy}");
}

/// Partner-only survey for the CORS tests.
fn partner_only(h: &Harness) {
    h.publish(small_survey(
        "partner-poll",
        1,
        json!({"allowed_origins": ["https://partner.example"]}),
    ));
}

fn with_origin(mut request: Request<Body>, origin: &str) -> Request<Body> {
    request
        .headers_mut()
        .insert(header::ORIGIN, origin.parse().unwrap());
    request
}

fn varies_on_origin(reply: &Reply) -> bool {
    reply.headers.get_all(header::VARY).iter().any(|v| {
        v.to_str()
            .unwrap()
            .split(',')
            .any(|item| item.trim().eq_ignore_ascii_case("origin"))
    })
}

#[tokio::test]
async fn an_origin_not_allowed_is_forbidden() {
    let h = Harness::new(no_limit());
    partner_only(&h);
    let request = with_origin(
        post_response("partner-poll", &small_submission(1)),
        "https://elsewhere.example",
    );
    let reply = call(h.app(), request).await;
    let body = assert_refused(&reply, StatusCode::FORBIDDEN, "origin_not_allowed");
    assert!(
        body["message"]
            .as_str()
            .unwrap()
            .contains("https://elsewhere.example"),
        "{body}"
    );
    assert_eq!(reply.header("access-control-allow-origin"), None);
    assert!(varies_on_origin(&reply));

    // A preflight from there is refused too.
    let preflight = Request::builder()
        .method(Method::OPTIONS)
        .uri("/api/surveys/partner-poll/responses")
        .header(header::ORIGIN, "https://elsewhere.example")
        .header(header::ACCESS_CONTROL_REQUEST_METHOD, "POST")
        .body(Body::empty())
        .unwrap();
    let reply = call(h.app(), preflight).await;
    assert_refused(&reply, StatusCode::FORBIDDEN, "origin_not_allowed");
    assert_eq!(reply.header("access-control-allow-origin"), None);

    // Reading the definition is not a write, but the browser gets no CORS grant.
    let reply = call(
        h.app(),
        with_origin(
            get("/api/surveys/partner-poll"),
            "https://elsewhere.example",
        ),
    )
    .await;
    assert_eq!(reply.header("access-control-allow-origin"), None);
    assert_eq!(h.count("partner-poll"), 0);
}

#[tokio::test]
async fn behind_a_proxy_the_collector_s_own_pages_may_submit() {
    // The operator's proxy takes https://surveys.example.org and passes it on
    // to 127.0.0.1:8080, saying which host it was asked for.
    let proxied = |request: Request<Body>, origin: &str| {
        let mut request = with_origin(request, origin);
        let headers = request.headers_mut();
        headers.insert(header::HOST, "127.0.0.1:8080".parse().unwrap());
        headers.insert("x-forwarded-host", "surveys.example.org".parse().unwrap());
        headers.insert("x-forwarded-for", "203.0.113.9".parse().unwrap());
        request
    };
    let h = Harness::new(Config {
        behind_proxy: true,
        ..no_limit()
    });
    partner_only(&h);
    // The hosted page /s/partner-poll, as the browser reached it.
    let own = "https://surveys.example.org";
    let reply = call(
        h.app(),
        proxied(post_response("partner-poll", &small_submission(1)), own),
    )
    .await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.text());
    assert_eq!(reply.header("access-control-allow-origin"), Some(own));
    // Another site is still refused, whatever the proxy says.
    let reply = call(
        h.app(),
        proxied(
            post_response("partner-poll", &small_submission(1)),
            "https://elsewhere.example",
        ),
    )
    .await;
    assert_refused(&reply, StatusCode::FORBIDDEN, "origin_not_allowed");
    assert_eq!(h.count("partner-poll"), 1);

    // Without --behind-proxy, X-Forwarded-Host is anyone's to send: not trusted.
    let direct = Harness::new(no_limit());
    partner_only(&direct);
    let reply = call(
        direct.app(),
        proxied(post_response("partner-poll", &small_submission(1)), own),
    )
    .await;
    assert_refused(&reply, StatusCode::FORBIDDEN, "origin_not_allowed");
}

#[tokio::test]
async fn an_allowed_origin_gets_cors_headers_and_its_preflight_answered() {
    let h = Harness::new(no_limit());
    partner_only(&h);
    let origin = "https://partner.example";

    let preflight = Request::builder()
        .method(Method::OPTIONS)
        .uri("/api/surveys/partner-poll/responses")
        .header(header::ORIGIN, origin)
        .header(header::ACCESS_CONTROL_REQUEST_METHOD, "POST")
        .header(header::ACCESS_CONTROL_REQUEST_HEADERS, "content-type")
        .body(Body::empty())
        .unwrap();
    let reply = call(h.app(), preflight).await;
    assert!(reply.status.is_success(), "preflight: {}", reply.status);
    assert_eq!(reply.header("access-control-allow-origin"), Some(origin));
    assert!(
        reply
            .header("access-control-allow-methods")
            .unwrap()
            .contains("POST")
    );
    assert!(
        reply
            .header("access-control-allow-headers")
            .unwrap()
            .to_ascii_lowercase()
            .contains("content-type"),
        "the JSON content type may be sent"
    );
    assert!(varies_on_origin(&reply));
    assert_eq!(h.count("partner-poll"), 0, "a preflight stores nothing");

    let reply = call(
        h.app(),
        with_origin(post_response("partner-poll", &small_submission(1)), origin),
    )
    .await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.text());
    assert_eq!(reply.header("access-control-allow-origin"), Some(origin));
    assert!(varies_on_origin(&reply));
    assert!(
        reply.header("access-control-allow-credentials").is_none(),
        "no cookies, so no credentials"
    );

    let reply = call(
        h.app(),
        with_origin(get("/api/surveys/partner-poll"), origin),
    )
    .await;
    assert_eq!(reply.status, StatusCode::OK);
    assert_eq!(reply.header("access-control-allow-origin"), Some(origin));
    assert!(
        reply
            .header("access-control-expose-headers")
            .unwrap()
            .to_ascii_lowercase()
            .contains("etag"),
        "the widget can read the ETag"
    );

    // A survey open to every origin echoes whichever asks.
    let any = "https://any.example";
    let reply = call(
        h.app(),
        with_origin(post_response(ENGAGEMENT, &engagement_submission()), any),
    )
    .await;
    assert_eq!(reply.status, StatusCode::CREATED);
    assert_eq!(reply.header("access-control-allow-origin"), Some(any));

    // The collector's own hosted page (/s/{id}) is same-origin, whatever the list says.
    let mut own = with_origin(
        post_response("partner-poll", &small_submission(1)),
        "https://voices.council.example",
    );
    own.headers_mut()
        .insert(header::HOST, "voices.council.example".parse().unwrap());
    let reply = call(h.app(), own).await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.text());

    // A refusal to an allowed origin is still readable by its page.
    let reply = call(
        h.app(),
        with_origin(post_response("partner-poll", &json!({})), origin),
    )
    .await;
    assert_eq!(reply.status, StatusCode::BAD_REQUEST);
    assert_eq!(reply.header("access-control-allow-origin"), Some(origin));
    assert_eq!(h.count("partner-poll"), 2);
}

#[tokio::test]
async fn definitions_are_served_with_validators() {
    let h = Harness::new(no_limit());
    let reply = call(h.app(), get("/api/surveys/engagement-2026")).await;
    assert_eq!(reply.status, StatusCode::OK);
    assert_eq!(reply.header("content-type"), Some("application/json"));
    let cache = reply
        .header("cache-control")
        .expect("Cache-Control")
        .to_owned();
    let max_age: u64 = cache
        .split(',')
        .find_map(|d| d.trim().strip_prefix("max-age="))
        .expect("a max-age")
        .parse()
        .unwrap();
    assert!(max_age > 0 && max_age <= 300, "short: {cache}");
    assert!(
        varies_on_origin(&reply),
        "a shared cache must not give this copy, without CORS headers, to a partner page"
    );
    let etag = reply.header("etag").expect("an ETag").to_owned();
    assert!(
        etag.starts_with("W/\"") && etag.ends_with('"'),
        "a weak ETag, as the body is compressed or not by what the browser accepts: {etag}"
    );
    let definition = reply.json();
    assert_eq!(definition["id"], ENGAGEMENT);
    assert_eq!(definition["version"], 1);
    assert_eq!(definition["pages"][0]["questions"][0]["id"], "connection");

    let conditional = Request::get("/api/surveys/engagement-2026")
        .header(header::IF_NONE_MATCH, &etag)
        .body(Body::empty())
        .unwrap();
    let reply = call(h.app(), conditional).await;
    assert_eq!(reply.status, StatusCode::NOT_MODIFIED);
    assert!(reply.body.is_empty());
    assert_eq!(reply.header("etag"), Some(etag.as_str()));

    // A proxy that compresses may weaken the tag; If-None-Match compares weakly.
    let weakened = Request::get("/api/surveys/engagement-2026")
        .header(header::IF_NONE_MATCH, format!("\"other\", W/{etag}"))
        .body(Body::empty())
        .unwrap();
    assert_eq!(
        call(h.app(), weakened).await.status,
        StatusCode::NOT_MODIFIED
    );

    let stale = Request::get("/api/surveys/engagement-2026")
        .header(header::IF_NONE_MATCH, "\"something-else\"")
        .body(Body::empty())
        .unwrap();
    assert_eq!(call(h.app(), stale).await.status, StatusCode::OK);

    let reply = call(h.app(), get("/api/surveys/engagement-2026/versions/1")).await;
    assert_eq!(reply.status, StatusCode::OK);
    assert_eq!(reply.header("etag"), Some(etag.as_str()));
    assert_eq!(reply.json(), definition);
}

#[tokio::test]
async fn an_older_version_stays_answerable_after_a_new_one() {
    let h = Harness::new(no_limit());
    let v1 = small_survey("poll", 1, json!({}));
    h.publish(v1.clone());
    let v1_etag = call(h.app(), get("/api/surveys/poll"))
        .await
        .header("etag")
        .unwrap()
        .to_owned();

    let mut v2 = small_survey("poll", 2, json!({}));
    v2["pages"][0]["questions"]
        .as_array_mut()
        .unwrap()
        .push(json!({"id": "why", "type": "text", "label": "Why?", "required": true}));
    h.publish(v2);

    let latest = call(h.app(), get("/api/surveys/poll")).await;
    assert_eq!(latest.json()["version"], 2);
    assert_ne!(
        latest.header("etag").unwrap(),
        v1_etag,
        "a new version, a new ETag"
    );
    let older = call(h.app(), get("/api/surveys/poll/versions/1")).await;
    assert_eq!(older.status, StatusCode::OK);
    assert_eq!(older.json()["version"], 1);
    assert_eq!(older.header("etag"), Some(v1_etag.as_str()));

    // Someone who started on version 1 finishes on version 1.
    let reply = post(&h, "poll", &small_submission(1)).await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.text());

    // Version 2 has its own rules.
    let body = assert_refused(
        &post(&h, "poll", &small_submission(2)).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "invalid_answers",
    );
    assert_eq!(body["details"][0]["question"], "why");
    assert_eq!(body["details"][0]["code"], "required");
    let mut v2_answer = small_submission(2);
    v2_answer["answers"]["why"] = json!("Because");
    assert_eq!(
        post(&h, "poll", &v2_answer).await.status,
        StatusCode::CREATED
    );

    // And version 1 does not take version 2's question.
    let mut v1_extra = small_submission(1);
    v1_extra["answers"]["why"] = json!("Because");
    let body = assert_refused(
        &post(&h, "poll", &v1_extra).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "invalid_answers",
    );
    assert_eq!(body["details"][0]["code"], "unknown_question");

    let versions: Vec<u32> = h
        .store
        .responses("poll")
        .map(|r| r.unwrap().survey_version)
        .collect();
    assert_eq!(versions, vec![1, 2]);

    // Publishing the same definition again is harmless; changing a published version is refused.
    let survey = voices_shared::Survey::from_value(&v1).unwrap();
    assert_eq!(
        h.state.catalog().publish(h.store.as_ref(), survey).unwrap(),
        PublishOutcome::AlreadyPublished
    );
    let changed =
        voices_shared::Survey::from_value(&small_survey("poll", 1, json!({"title": "Changed"})))
            .unwrap();
    let error = h
        .state
        .catalog()
        .publish(h.store.as_ref(), changed)
        .unwrap_err();
    assert!(
        matches!(error, StoreError::VersionConflict { .. }),
        "{error}"
    );
    assert_eq!(
        call(h.app(), get("/api/surveys/poll/versions/1"))
            .await
            .json()["title"],
        "A small poll"
    );
}

#[tokio::test]
async fn the_health_check_writes_to_the_store() {
    let h = Harness::new(no_limit());
    let reply = call(h.app(), get("/healthz")).await;
    assert_eq!(reply.status, StatusCode::OK);
    assert_eq!(reply.json()["status"], "ok");
    assert_eq!(reply.header("cache-control"), Some("no-store"));
}

#[tokio::test]
async fn the_hosted_page_names_the_survey_and_escapes_its_title() {
    let h = Harness::new(no_limit());
    h.publish(small_survey(
        "buses",
        1,
        json!({"title": "Buses & <b>trains</b> \"now\""}),
    ));
    let reply = call(h.app(), get("/s/buses")).await;
    assert_eq!(reply.status, StatusCode::OK);
    assert!(
        reply
            .header("content-type")
            .unwrap()
            .starts_with("text/html")
    );
    assert!(reply.header("content-security-policy").is_some());
    let html = reply.text();
    // Level 1: on its own page the survey is the page, with the one h1 and the title.
    assert!(
        html.contains("<voices-survey survey=\"buses\" heading-level=\"1\" whole-page>"),
        "{html}"
    );
    assert!(
        html.contains("<title>Buses &amp; &lt;b&gt;trains&lt;/b&gt; &quot;now&quot;</title>"),
        "{html}"
    );
    assert!(
        !html.contains("<b>trains"),
        "the title is text, never markup"
    );
    assert!(html.contains("src=\"/embed.js\""));

    let reply = call(h.app(), get("/s/engagement-2026")).await;
    assert_eq!(reply.status, StatusCode::OK);
    let html = reply.text();
    assert!(html.contains("survey=\"engagement-2026\""));
    assert!(html.contains("Have your say on how we involve you"));
    assert!(html.contains("lang=\"en\""));

    let reply = call(h.app(), get("/s/%3Cscript%3Ealert(1)%3C%2Fscript%3E")).await;
    assert_eq!(reply.status, StatusCode::NOT_FOUND);
    assert!(
        reply
            .header("content-type")
            .unwrap()
            .starts_with("text/html")
    );
    let html = reply.text();
    assert!(html.contains("&lt;script&gt;"), "{html}");
    assert!(!html.contains("<script>alert"), "{html}");
}

#[tokio::test]
async fn the_demo_page_is_served_only_when_asked_for() {
    let h = Harness::new(no_limit());
    assert_eq!(
        call(h.app(), get("/demo")).await.status,
        StatusCode::NOT_FOUND
    );
    let demo = Harness::new(Config {
        demo: true,
        ..no_limit()
    });
    let reply = call(demo.app(), get("/demo")).await;
    assert_eq!(reply.status, StatusCode::OK);
    let html = reply.text();
    assert!(
        html.contains("<voices-survey survey=\"engagement-2026\">"),
        "{html}"
    );
    assert!(
        html.contains("&lt;script type=&quot;module&quot;"),
        "the snippet is shown as text: {html}"
    );
}

#[tokio::test]
async fn widget_files_are_served_compressed_and_a_missing_widget_says_how_to_build_it() {
    // Without a widget build: 503 with a way forward, not a bare 404.
    let h = Harness::new(no_limit());
    let reply = call(h.app(), get("/embed.js")).await;
    let body = assert_refused(&reply, StatusCode::SERVICE_UNAVAILABLE, "unavailable");
    assert!(
        body["message"].as_str().unwrap().contains("build-widget"),
        "{body}"
    );

    // With one (a fixture standing in for the build).
    let mut assets = Assets::default();
    assets.insert(
        "embed.js",
        Asset {
            content_type: "text/javascript; charset=utf-8".into(),
            immutable: false,
            raw: b"export {};".as_slice().into(),
            br: None,
            gz: Some(b"gzipped bytes".as_slice().into()),
        },
    );
    let state = voices_collector::AppState::new(
        no_limit(),
        Arc::clone(&h.store),
        voices_collector::catalog::Catalog::default(),
        assets,
    );
    let app = voices_collector::app(state);
    let request = Request::get("/embed.js")
        .header(header::ACCEPT_ENCODING, "gzip, br")
        .body(Body::empty())
        .unwrap();
    let reply = call(app.clone(), request).await;
    assert_eq!(reply.status, StatusCode::OK);
    assert_eq!(reply.header("content-encoding"), Some("gzip"));
    assert_eq!(&reply.body[..], b"gzipped bytes");
    assert_eq!(reply.header("access-control-allow-origin"), Some("*"));
    assert!(reply.header("cache-control").unwrap().contains("max-age"));
    let reply = call(app, get("/embed.js")).await;
    assert_eq!(reply.header("content-encoding"), None);
    assert_eq!(&reply.body[..], b"export {};");
}

#[tokio::test]
async fn a_store_that_cannot_write_answers_503_and_a_retry_later_succeeds() {
    let (h, faulty) = Harness::faulty(no_limit());
    faulty.fail_writes.store(true, Ordering::SeqCst);
    let submission = engagement_submission();
    let reply = post(&h, ENGAGEMENT, &submission).await;
    let body = assert_refused(&reply, StatusCode::SERVICE_UNAVAILABLE, "unavailable");
    assert!(
        reply.header("retry-after").is_some(),
        "the widget knows when to retry"
    );
    assert!(body["message"].as_str().unwrap().contains("safe"), "{body}");
    assert_eq!(h.count(ENGAGEMENT), 0);
    assert_refused(
        &call(h.app(), get("/healthz")).await,
        StatusCode::SERVICE_UNAVAILABLE,
        "unavailable",
    );

    faulty.fail_writes.store(false, Ordering::SeqCst);
    let reply = post(&h, ENGAGEMENT, &submission).await;
    assert_eq!(reply.status, StatusCode::CREATED);
    assert_eq!(h.count(ENGAGEMENT), 1);
    assert_eq!(call(h.app(), get("/healthz")).await.status, StatusCode::OK);
}

#[tokio::test]
async fn nothing_is_acknowledged_until_a_flush_succeeds() {
    let (h, faulty) = Harness::faulty(no_limit());
    faulty.fail_flush.store(true, Ordering::SeqCst);
    let submission = engagement_submission();
    let reply = post(&h, ENGAGEMENT, &submission).await;
    assert_refused(&reply, StatusCode::SERVICE_UNAVAILABLE, "unavailable");
    assert!(reply.header("retry-after").is_some());
    // A retry while the disk is still failing is not acknowledged either.
    assert_refused(
        &post(&h, ENGAGEMENT, &submission).await,
        StatusCode::SERVICE_UNAVAILABLE,
        "unavailable",
    );

    faulty.fail_flush.store(false, Ordering::SeqCst);
    let reply = post(&h, ENGAGEMENT, &submission).await;
    assert!(
        reply.status.is_success(),
        "{}: {}",
        reply.status,
        reply.text()
    );
    assert!(is_receipt(reply.json()["receipt"].as_str().unwrap()));
    assert_eq!(h.count(ENGAGEMENT), 1, "the retries stored one response");
}

/// The value of the hidden `voices-state` field in a server-rendered screen, unescaped.
fn carried_state(html: &str) -> String {
    let start = html
        .find("<input value=\"")
        .map(|at| at + "<input value=\"".len())
        .expect("a hidden field");
    let end = start + html[start..].find('"').unwrap();
    html[start..end]
        .replace("&quot;", "\"")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

fn screen_post(survey: &str, origin: &str, fields: &[(&str, &str)]) -> Request<Body> {
    let body = fields
        .iter()
        .map(|(k, v)| {
            format!(
                "{}={}",
                k,
                url_encode(v) // form encoding of the value
            )
        })
        .collect::<Vec<_>>()
        .join("&");
    Request::post(format!("/api/surveys/{survey}/screen?heading-level=3"))
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(header::ORIGIN, origin)
        .header("sec-fetch-site", "cross-site")
        .body(Body::from(body))
        .unwrap()
}

fn url_encode(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

#[tokio::test]
async fn a_screen_posted_by_embed_js_is_answered_with_the_next_screen_alone() {
    let h = Harness::new(no_limit());
    partner_only(&h);
    let first = call(h.app(), get("/api/surveys/partner-poll/first-screen")).await;
    assert_eq!(first.status, StatusCode::OK);
    let html = first.text();
    // "Start now" leads to the first page, sent along in a template.
    assert!(
        html.contains("<template data-voices-after=\"start\" hidden>"),
        "{html}"
    );
    assert!(html.contains("Which colour?"), "{html}");
    let state = carried_state(&html);

    let on = |fields: &[(&str, &str)], origin: &str| {
        call(h.app(), screen_post("partner-poll", origin, fields))
    };
    let started = on(
        &[("voices-state", &state), ("voices-action", "start")],
        "https://partner.example",
    )
    .await;
    assert_eq!(started.status, StatusCode::OK);
    assert_eq!(
        started.header("access-control-allow-origin"),
        Some("https://partner.example")
    );
    assert_eq!(started.header("cache-control"), Some("no-store"));
    let page = started.text();
    assert!(!page.contains("<html"), "a fragment, not a page: {page}");
    // The element's heading level is kept, and focus goes to the new heading.
    assert!(page.contains("<h3"), "{page}");
    assert!(page.contains("autofocus"), "{page}");
    assert!(page.contains("Which colour?"), "{page}");

    // Continue without an answer: the same page, with the error.
    let page_state = carried_state(&page);
    let unanswered = on(
        &[
            ("voices-state", &page_state),
            ("voices-shown", "colour"),
            ("voices-action", "continue"),
        ],
        "https://partner.example",
    )
    .await;
    assert_eq!(unanswered.status, StatusCode::OK);
    assert!(unanswered.text().contains("There is a problem"));

    // Another site's page cannot post; a form that is not one of ours is refused plainly.
    let elsewhere = on(
        &[("voices-state", &state), ("voices-action", "start")],
        "https://elsewhere.example",
    )
    .await;
    assert_eq!(elsewhere.status, StatusCode::FORBIDDEN);
    let garbled = on(
        &[
            ("voices-state", "{\"submission_id\": 12"),
            ("voices-action", "start"),
        ],
        "https://partner.example",
    )
    .await;
    assert_eq!(garbled.status, StatusCode::BAD_REQUEST);
    assert!(garbled.text().contains("post it to /s/partner-poll"));

    // The collector's own page, in a browser that does not say `Sec-Fetch-Site` (Safari
    // before 16.4): its origin is its own. Another origin saying nothing more is not.
    for (origin, allowed) in [
        ("http://collector.example", true),
        ("http://else.example", false),
    ] {
        let request = Request::post("/s/partner-poll")
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .header(header::HOST, "collector.example")
            .header(header::ORIGIN, origin)
            .body(Body::from(format!(
                "voices-state={}&voices-action=start",
                url_encode(&state)
            )))
            .unwrap();
        let reply = call(h.app(), request).await;
        let expected = if allowed {
            StatusCode::OK
        } else {
            StatusCode::FORBIDDEN
        };
        assert_eq!(reply.status, expected, "{origin}");
    }
    assert_eq!(h.count("partner-poll"), 0, "nothing is stored before Send");
}

#[tokio::test]
async fn pages_and_definitions_are_compressed_for_browsers_that_accept_it() {
    let h = Harness::new(no_limit());
    for path in ["/s/engagement-2026", "/api/surveys/engagement-2026"] {
        let mut request = get(path);
        request
            .headers_mut()
            .insert(header::ACCEPT_ENCODING, "br, gzip".parse().unwrap());
        let reply = call(h.app(), request).await;
        assert_eq!(reply.status, StatusCode::OK, "{path}");
        assert_eq!(reply.header("content-encoding"), Some("br"), "{path}");
        let plain = call(h.app(), get(path)).await;
        assert_eq!(plain.header("content-encoding"), None, "{path}");
        assert!(
            reply.body.len() * 2 < plain.body.len(),
            "{path}: {} bytes compressed, {} plain",
            reply.body.len(),
            plain.body.len()
        );
    }
}

#[tokio::test]
async fn embed_js_for_a_survey_carries_its_first_screen_and_is_never_cached() {
    let h = Harness::new(no_limit());
    let mut assets = Assets::default();
    assets.insert(
        "embed.js",
        Asset {
            content_type: "text/javascript; charset=utf-8".into(),
            immutable: false,
            raw: b"export {};".as_slice().into(),
            br: None,
            gz: None,
        },
    );
    let catalog = voices_collector::catalog::Catalog::default();
    let state = voices_collector::AppState::new(no_limit(), Arc::clone(&h.store), catalog, assets);
    let poll = small_survey(
        "poll",
        1,
        json!({"locales": ["en", "pl"], "title": {"en": "A small poll", "pl": "Mała ankieta"}}),
    );
    state
        .catalog()
        .publish(
            h.store.as_ref(),
            voices_shared::Survey::from_value(&poll).unwrap(),
        )
        .unwrap();
    let app = voices_collector::app(state);

    let mut request = get("/embed.js?survey=poll&heading-level=3");
    request
        .headers_mut()
        .insert(header::ACCEPT_LANGUAGE, "pl-PL,en;q=0.5".parse().unwrap());
    let reply = call(app.clone(), request).await;
    assert_eq!(reply.status, StatusCode::OK);
    assert_eq!(reply.header("cache-control"), Some("no-store"));
    assert_eq!(reply.header("access-control-allow-origin"), Some("*"));
    assert!(
        reply
            .header("content-type")
            .unwrap()
            .starts_with("text/javascript")
    );
    let script = reply.text();
    let json = script
        .strip_prefix(
            "globalThis.voicesFirstScreens=Object.assign(globalThis.voicesFirstScreens||{},",
        )
        .and_then(|rest| rest.strip_suffix(");\nexport {};"))
        .unwrap_or_else(|| panic!("the screens come first, then the script: {script}"));
    let screens: Value = serde_json::from_str(json).unwrap();
    assert_eq!(screens["poll"]["lang"], "pl");
    assert_eq!(screens["poll"]["level"], "3");
    let html = screens["poll"]["html"].as_str().unwrap();
    assert!(html.contains("<h3"), "{html}");
    assert!(html.contains("Mała ankieta"), "{html}");
    assert!(html.contains("data-voices-after=\"start\""), "{html}");

    // Each copy draws its own submission id: never shared between two people.
    let again = call(app.clone(), get("/embed.js?survey=poll")).await.text();
    let id = |text: &str| {
        let at = text.find("submission_id").expect("a submission id");
        text[at..at + 60].to_owned()
    };
    assert_ne!(id(&script), id(&again));

    // An unknown survey, or none: the script as built.
    for path in ["/embed.js?survey=nope", "/embed.js"] {
        let reply = call(app.clone(), get(path)).await;
        assert_eq!(reply.text(), "export {};", "{path}");
    }
}
