//! Hostile input: a table of malformed submissions, each answered with the
//! right 4xx and a message that names the problem, and none of them stored.

mod common;

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use common::{
    ENGAGEMENT, Harness, Server, assert_error_body, call, client, engagement_submission, submit,
};
use serde_json::{Value, json};
use voices_collector::Config;

/// One malformed request: what it is, what it sends, what must come back.
struct Case {
    name: &'static str,
    path: String,
    content_type: &'static str,
    body: Vec<u8>,
    status: StatusCode,
    code: &'static str,
    /// A fragment the message must contain: it says what was wrong, and where.
    says: &'static str,
}

fn submit_path() -> String {
    format!("/api/surveys/{ENGAGEMENT}/responses")
}

fn json_case(
    name: &'static str,
    body: Vec<u8>,
    status: StatusCode,
    code: &'static str,
    says: &'static str,
) -> Case {
    Case {
        name,
        path: submit_path(),
        content_type: "application/json",
        body,
        status,
        code,
        says,
    }
}

fn bad_request(name: &'static str, body: impl Into<Vec<u8>>, says: &'static str) -> Case {
    json_case(
        name,
        body.into(),
        StatusCode::BAD_REQUEST,
        "bad_request",
        says,
    )
}

fn invalid(name: &'static str, body: &Value, says: &'static str) -> Case {
    json_case(
        name,
        body.to_string().into_bytes(),
        StatusCode::UNPROCESSABLE_ENTITY,
        "invalid_answers",
        says,
    )
}

/// A valid submission with one change at a JSON pointer (`None` removes it).
fn altered(pointer: &str, value: Option<Value>) -> Value {
    let mut body = engagement_submission();
    let (parent, key) = pointer.rsplit_once('/').expect("a pointer with a parent");
    let target = body.pointer_mut(parent).expect("the parent exists");
    match value {
        Some(value) => {
            target[key] = value;
        }
        None => {
            target.as_object_mut().expect("an object").remove(key);
        }
    }
    body
}

fn with_answer(id: &str, value: Value) -> Value {
    altered(&format!("/answers/{id}"), Some(value))
}

fn cases() -> Vec<Case> {
    let valid = engagement_submission().to_string();
    let deep = format!("{}{}", "[".repeat(10_000), "]".repeat(10_000));
    let huge_text = "x".repeat(5_000);
    let mut cases = vec![
        // Not JSON at all, or not one JSON object.
        bad_request("empty body", "", "not valid JSON"),
        bad_request("truncated", &valid[..valid.len() / 2], "not valid JSON"),
        bad_request(
            "trailing comma",
            valid.replacen('}', ",}", 1),
            "not valid JSON",
        ),
        bad_request("single quotes", "{'submission_id': 1}", "not valid JSON"),
        bad_request("a bare string", "\"hello\"", "not a response"),
        bad_request("an array", "[]", "not a response"),
        bad_request("null", "null", "not a response"),
        bad_request(
            "two objects",
            format!("{valid}{valid}"),
            "trailing characters",
        ),
        bad_request(
            "deep nesting in answers (past serde_json's limit)",
            format!(
                r#"{{"submission_id":"5b1f3a4e-1111-4c3d-9a8b-0123456789ab","survey_version":1,"locale":"en","answers":{{"q":{deep}}}}}"#
            ),
            "recursion limit",
        ),
        bad_request(
            "deep nesting at the top",
            deep.clone(),
            "must be a JSON object",
        ),
        bad_request(
            "invalid UTF-8",
            {
                let mut bytes = valid.clone().into_bytes();
                let at = bytes
                    .iter()
                    .position(|b| *b == b'T')
                    .expect("a capital T in the body");
                bytes[at] = 0xff;
                bytes
            },
            "JSON",
        ),
        bad_request(
            "a lone surrogate escape",
            valid.replacen("The library", "\\ud800 library", 1),
            "JSON",
        ),
        // The shape of a response.
        bad_request(
            "no submission_id",
            altered("/submission_id", None).to_string(),
            "submission_id",
        ),
        bad_request(
            "submission_id not a UUID",
            altered("/submission_id", Some(json!("1234"))).to_string(),
            "submission_id",
        ),
        bad_request(
            "submission_id a number",
            altered("/submission_id", Some(json!(42))).to_string(),
            "submission_id",
        ),
        bad_request(
            "survey_version negative",
            altered("/survey_version", Some(json!(-1))).to_string(),
            "survey_version",
        ),
        bad_request(
            "survey_version enormous",
            altered("/survey_version", Some(json!(1e300))).to_string(),
            "survey_version",
        ),
        bad_request(
            "survey_version a string",
            altered("/survey_version", Some(json!("1"))).to_string(),
            "survey_version",
        ),
        bad_request(
            "survey_version past u32",
            altered("/survey_version", Some(json!(4_294_967_296u64))).to_string(),
            "survey_version",
        ),
        bad_request(
            "no answers",
            altered("/answers", None).to_string(),
            "answers",
        ),
        bad_request(
            "answers an array",
            altered("/answers", Some(json!([]))).to_string(),
            "answers",
        ),
        bad_request(
            "locale a number",
            altered("/locale", Some(json!(7))).to_string(),
            "locale",
        ),
        bad_request(
            "unknown channel",
            altered("/channel", Some(json!("carrier_pigeon"))).to_string(),
            "channel",
        ),
        bad_request(
            "unknown top-level field",
            altered("/ip_address", Some(json!("10.0.0.1"))).to_string(),
            "ip_address",
        ),
        bad_request(
            "started_at not a time",
            altered("/started_at", Some(json!("yesterday"))).to_string(),
            "started_at",
        ),
        bad_request(
            "specify text not a string",
            altered("/specify/ways", Some(json!(5))).to_string(),
            "specify",
        ),
        bad_request(
            "duplicate top-level field",
            valid.replacen(
                "\"locale\":\"en\"",
                "\"locale\":\"en\",\"locale\":\"gd\"",
                1,
            ),
            "duplicate field",
        ),
        bad_request(
            "duplicate answer key",
            valid.replacen("\"agree\":true", "\"agree\":true,\"agree\":false", 1),
            "written twice",
        ),
        bad_request(
            "duplicate specify key",
            valid.replacen("\"specify\":{", "\"specify\":{\"ways\":\"By bus\",", 1),
            "\"ways\" is written twice",
        ),
        // Valid shape, answers that break the survey's rules.
        invalid(
            "unknown question",
            &with_answer("shoe_size", json!(9)),
            "shoe_size",
        ),
        invalid(
            "unicode look-alike question id",
            &with_answer("loc\u{0430}lity", json!("lochee")),
            "loc\u{0430}lity",
        ),
        invalid(
            "zero-width joiner in a question id",
            &with_answer("local\u{200d}ity", json!("lochee")),
            "local\u{200d}ity",
        ),
        invalid(
            "option not offered",
            &with_answer("locality", json!("atlantis")),
            "locality",
        ),
        invalid(
            "choice as a number",
            &with_answer("locality", json!(3)),
            "locality",
        ),
        invalid(
            "multiple choice as a string",
            &with_answer("ways", json!("face_to_face")),
            "ways",
        ),
        invalid(
            "rating out of range",
            &with_answer("informed", json!(99)),
            "informed",
        ),
        invalid(
            "rating a fraction",
            &with_answer("informed", json!(2.5)),
            "informed",
        ),
        invalid(
            "enormous number",
            &with_answer("times_taken_part", json!(1e308)),
            "times_taken_part",
        ),
        invalid(
            "huge text",
            &with_answer("face_to_face_where", json!(huge_text)),
            "face_to_face_where",
        ),
        invalid(
            "NUL in a question id",
            &with_answer("loca\u{0}lity", json!("lochee")),
            "unknown_question",
        ),
        invalid(
            "consent not ticked",
            &with_answer("agree", json!(false)),
            "agree",
        ),
        invalid(
            "started_at in the year 10000 in UTC",
            &altered("/started_at", Some(json!("9999-12-31T23:59:59-01:00"))),
            "started_at",
        ),
        invalid(
            "started_at in the year -1 in UTC",
            &altered("/started_at", Some(json!("0000-01-01T00:00:00+01:00"))),
            "started_at",
        ),
        invalid(
            "unknown locale",
            &altered("/locale", Some(json!("tlh"))),
            "tlh",
        ),
        invalid(
            "right-to-left override in a locale",
            &altered("/locale", Some(json!("en\u{202e}"))),
            "locale",
        ),
    ];
    // Not JSON by its headers, or too big, or for nothing that exists.
    cases.push(Case {
        name: "form-encoded",
        path: submit_path(),
        content_type: "application/x-www-form-urlencoded",
        body: b"answers=1".to_vec(),
        status: StatusCode::UNSUPPORTED_MEDIA_TYPE,
        code: "unsupported_media_type",
        says: "Content-Type: application/json",
    });
    cases.push(Case {
        name: "text/plain JSON",
        path: submit_path(),
        content_type: "text/plain",
        body: valid.clone().into_bytes(),
        status: StatusCode::UNSUPPORTED_MEDIA_TYPE,
        code: "unsupported_media_type",
        says: "application/json",
    });
    cases.push(json_case(
        "body over the limit",
        format!("{{\"pad\":\"{}\"}}", "x".repeat(70 * 1024)).into_bytes(),
        StatusCode::PAYLOAD_TOO_LARGE,
        "too_large",
        "limit",
    ));
    cases.push(Case {
        path: "/api/surveys/no-such-survey/responses".into(),
        ..json_case(
            "unknown survey",
            valid.clone().into_bytes(),
            StatusCode::NOT_FOUND,
            "not_found",
            "no-such-survey",
        )
    });
    cases.push(Case {
        path: "/api/surveys/..%2F..%2Fetc%2Fpasswd/responses".into(),
        ..json_case(
            "path traversal in the survey id",
            valid.clone().into_bytes(),
            StatusCode::NOT_FOUND,
            "not_found",
            "there is no survey",
        )
    });
    cases.push(json_case(
        "unknown version",
        altered("/survey_version", Some(json!(7)))
            .to_string()
            .into_bytes(),
        StatusCode::NOT_FOUND,
        "not_found",
        "no version 7",
    ));
    cases
}

#[tokio::test]
async fn malformed_requests_are_refused_with_a_message_and_nothing_is_stored() {
    let h = Harness::new(Config {
        rate_limit: 0,
        ..Config::default()
    });
    let cases = cases();
    assert!(
        cases.len() >= 40,
        "at least 40 hostile inputs, not {}",
        cases.len()
    );
    let mut failures = Vec::new();
    for case in &cases {
        let request = Request::post(&case.path)
            .header(header::CONTENT_TYPE, case.content_type)
            .body(Body::from(case.body.clone()))
            .expect("a request");
        let reply = call(h.app(), request).await;
        if reply.status != case.status {
            failures.push(format!(
                "{}: expected {}, got {}: {}",
                case.name,
                case.status,
                reply.status,
                String::from_utf8_lossy(&reply.body)
            ));
            continue;
        }
        let body = reply.json();
        assert_error_body(&body, case.code);
        let mut said = body["message"].as_str().unwrap_or_default().to_owned();
        for detail in body["details"].as_array().into_iter().flatten() {
            said.push_str(&format!(" | {detail}"));
        }
        // JSON string escapes: compare what the details say, not how they are written.
        let said_unescaped = said.clone() + &body["details"].to_string();
        if !said.contains(case.says) && !said_unescaped.contains(case.says) {
            failures.push(format!(
                "{}: the message does not say {:?}: {said}",
                case.name, case.says
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert_eq!(h.count(ENGAGEMENT), 0, "nothing refused was stored");
}

#[tokio::test]
async fn control_characters_are_taken_out_of_free_text() {
    let h = Harness::new(Config::default());
    let body = with_answer(
        "face_to_face_where",
        json!("the\u{0}library\u{1b}[31m\ton the\nhigh street"),
    );
    let request = Request::post(submit_path())
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from(body.to_string()))
        .expect("a request");
    assert_eq!(call(h.app(), request).await.status, StatusCode::CREATED);
    let stored = h
        .store
        .responses(ENGAGEMENT)
        .next()
        .expect("one response")
        .expect("it reads back");
    assert_eq!(
        stored.answers["face_to_face_where"],
        json!("thelibrary[31m\ton the\nhigh street"),
        "NUL and ESC are gone; tab and line break stay"
    );
}

/// A started_at whose UTC form is outside the years 0000 to 9999 made the
/// handler panic (`9999-12-31T23:59:59-01:00`: the connection was dropped
/// with no answer) or got past the check and could not be stored
/// (`0000-01-01T00:00:00+01:00`). Over a real socket: each is a 422 naming
/// started_at, and the collector goes on taking responses.
#[tokio::test]
async fn a_started_at_that_cannot_be_written_in_utc_is_refused_over_the_socket() {
    let server = Server::start(Config {
        rate_limit: 0,
        ..Config::default()
    })
    .await;
    let client = client();
    for at in ["9999-12-31T23:59:59-01:00", "0000-01-01T00:00:00+01:00"] {
        let body = altered("/started_at", Some(json!(at)));
        let (status, reply) = submit(&client, &server.base, ENGAGEMENT, &body)
            .await
            .unwrap_or_else(|e| panic!("no answer to started_at {at}: {e:?}"));
        assert_eq!(status, 422, "{at}: {reply}");
        assert_error_body(&reply, "invalid_answers");
        let details = reply["details"].as_array().expect("details");
        assert_eq!(details.len(), 1, "{reply}");
        assert_eq!(details[0]["path"], "started_at", "{reply}");
        assert_eq!(details[0]["code"], "bad_started_at", "{reply}");
        assert!(
            reply["message"]
                .as_str()
                .unwrap_or_default()
                .contains("started_at"),
            "{reply}"
        );
    }
    let (status, reply) = submit(&client, &server.base, ENGAGEMENT, &engagement_submission())
        .await
        .expect("an answer to a normal submission");
    assert_eq!(status, 201, "{reply}");
    assert_eq!(
        server.harness.count(ENGAGEMENT),
        1,
        "only the normal one is stored"
    );
    server.stop().await;
}
