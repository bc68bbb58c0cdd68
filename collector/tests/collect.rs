//! Responses recorded with people: sealed on the collecting device to its credential's
//! key, sent with that credential rather than a session, stored with the credential's
//! channel and account, and refused when the credential is revoked, expired, another
//! survey's or its account's no longer; and the public API refusing the channels only
//! staff record.

mod common;

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use common::*;
use serde_json::{Value, json};
use time::OffsetDateTime;
use uuid::Uuid;
use voices_collector::Config;
use voices_collector::sealed::{public_key, seal};
use voices_collector::staff::actions::{revoke_collection, start_collecting};
use voices_collector::staff::credentials::hash_password;
use voices_collector::store::{AuditEvent, Collection, Role, StaffUser};
use voices_shared::Channel;

fn add_interviewer(h: &Harness, name: &str, surveys: &[&str]) -> StaffUser {
    let user = StaffUser {
        name: name.to_owned(),
        role: Role::Interviewer,
        password_hash: hash_password("correct horse battery").unwrap(),
        created_at: OffsetDateTime::now_utc(),
        surveys: surveys.iter().map(|s| (*s).to_owned()).collect(),
    };
    h.store.put_user(&user).unwrap();
    user
}

/// What a device sends: `submission` sealed to `collection`'s key.
fn sealed(collection: &Collection, submission: &Value) -> String {
    let key = public_key(&collection.private_key).unwrap();
    let id = submission["submission_id"].as_str().unwrap();
    seal(&key, &collection.id, id, submission.to_string().as_bytes())
}

fn send(survey: &str, secret: &str, body: String) -> Request<Body> {
    Request::post(format!("/api/surveys/{survey}/collected"))
        .header(header::CONTENT_TYPE, "application/json")
        .header(header::AUTHORIZATION, format!("Bearer {secret}"))
        .body(Body::from(body))
        .unwrap()
}

fn download(secret: &str, format: &str) -> Request<Body> {
    Request::get(format!(
        "/api/admin/surveys/{ENGAGEMENT}/responses?format={format}"
    ))
    .header(header::AUTHORIZATION, format!("Bearer {secret}"))
    .body(Body::empty())
    .unwrap()
}

#[tokio::test]
async fn a_sealed_response_is_stored_once_as_recorded_face_to_face_by_its_interviewer() {
    let h = Harness::new(Config::default());
    let ailsa = add_interviewer(&h, "ailsa", &[ENGAGEMENT]);
    let (secret, collection) =
        start_collecting(h.store.as_ref(), &ailsa, ENGAGEMENT, Channel::FaceToFace).unwrap();

    // The device says online; the credential says face to face, and it decides.
    let mut submission = engagement_submission();
    submission["channel"] = json!("online");
    let body = sealed(&collection, &submission);
    assert!(
        !body.contains("uses_services"),
        "nothing of the answers is readable in what the device keeps: {body}"
    );
    let first = call(h.app(), send(ENGAGEMENT, &secret, body.clone())).await;
    assert_eq!(first.status, StatusCode::CREATED, "{}", first.text());
    let receipt = first.json()["receipt"].as_str().unwrap().to_owned();
    // Sent again (the answer was lost on a poor signal): the same receipt, nothing doubled.
    let again = call(h.app(), send(ENGAGEMENT, &secret, body)).await;
    assert_eq!(again.status, StatusCode::OK);
    assert_eq!(again.json()["receipt"], receipt.as_str());
    assert_eq!(h.count(ENGAGEMENT), 1);

    let stored = h.store.find_receipt(&receipt).unwrap().unwrap();
    assert_eq!(stored.channel, Channel::FaceToFace);
    assert_eq!(stored.collected_by.as_deref(), Some("ailsa"));
    let audit = h.store.audit(10).unwrap();
    assert!(
        audit.iter().any(|entry| entry.actor == "ailsa"
            && entry.event
                == AuditEvent::Collected {
                    survey: ENGAGEMENT.into(),
                    receipt: receipt.clone(),
                    channel: Channel::FaceToFace,
                }),
        "{audit:?}"
    );
    assert!(audit.iter().any(|entry| matches!(
        &entry.event,
        AuditEvent::CollectionStarted { credential, .. } if *credential == collection.id
    )));

    // Admins see who collected it; analysts do not.
    let admin = add_token(&h, "admin-report", Role::Admin);
    let analyst = add_token(&h, "analyst-report", Role::Analyst);
    let csv = call(h.app(), download(&admin, "csv")).await.text();
    let mut rows = csv.lines();
    let header: Vec<&str> = rows.next().unwrap().split(',').collect();
    // Last, so that scripts reading columns by position find the others where they were.
    assert_eq!(header.last(), Some(&"collected_by"), "{csv}");
    let column = header.len() - 1;
    let row: Vec<&str> = rows.next().unwrap().split(',').collect();
    assert_eq!(row[column], "ailsa");
    assert_eq!(
        row[header.iter().position(|c| *c == "channel").unwrap()],
        "face_to_face"
    );
    let theirs = call(h.app(), download(&analyst, "csv")).await.text();
    assert!(!theirs.contains("collected_by"), "{theirs}");
    assert!(!theirs.contains("ailsa"), "{theirs}");
    let json = call(h.app(), download(&analyst, "json")).await.text();
    assert!(!json.contains("ailsa"), "{json}");
    let json = call(h.app(), download(&admin, "json")).await.json();
    assert_eq!(json[0]["collected_by"], "ailsa");
}

#[tokio::test]
async fn the_public_api_cannot_claim_a_channel_staff_record() {
    let h = Harness::new(Config::default());
    for channel in ["face_to_face", "phone", "paper"] {
        let mut submission = engagement_submission();
        submission["channel"] = json!(channel);
        let reply = call(h.app(), post_response(ENGAGEMENT, &submission)).await;
        assert_eq!(reply.status, StatusCode::FORBIDDEN, "{channel}");
        let body = reply.json();
        assert_error_body(&body, "channel_not_public");
        assert!(
            body["message"].as_str().unwrap().contains(channel)
                && body["message"].as_str().unwrap().contains("/admin/collect"),
            "{body}"
        );
    }
    assert_eq!(h.count(ENGAGEMENT), 0);
    let mut qr = engagement_submission();
    qr["channel"] = json!("qr");
    let reply = call(h.app(), post_response(ENGAGEMENT, &qr)).await;
    assert_eq!(reply.status, StatusCode::CREATED);
}

/// Refused with `status`, a message containing `words`, and nothing stored.
async fn assert_refused(h: &Harness, request: Request<Body>, status: StatusCode, words: &str) {
    let before = h.count(ENGAGEMENT);
    let reply = call(h.app(), request).await;
    assert_eq!(reply.status, status, "{}", reply.text());
    let message = reply.json()["message"].as_str().unwrap().to_owned();
    assert!(message.contains(words), "{message}");
    assert_eq!(h.count(ENGAGEMENT), before);
}

#[tokio::test]
async fn a_credential_sends_only_while_it_is_good_and_only_for_its_survey() {
    let h = Harness::new(Config::default());
    let ailsa = add_interviewer(&h, "ailsa", &[ENGAGEMENT]);
    let (secret, collection) =
        start_collecting(h.store.as_ref(), &ailsa, ENGAGEMENT, Channel::Paper).unwrap();
    let fresh = || sealed(&collection, &engagement_submission());

    // Without it, or with a made-up one.
    let mut bare = send(ENGAGEMENT, "", fresh());
    bare.headers_mut().remove(header::AUTHORIZATION);
    assert_refused(&h, bare, StatusCode::UNAUTHORIZED, "Authorization").await;
    assert_refused(
        &h,
        send(ENGAGEMENT, &"0".repeat(64), fresh()),
        StatusCode::UNAUTHORIZED,
        "not known",
    )
    .await;
    // For another survey.
    assert_refused(
        &h,
        send(TRANSPORT, &secret, fresh()),
        StatusCode::FORBIDDEN,
        "is for survey",
    )
    .await;
    // Changed on the way, or sealed under one id and sent under another.
    let mut changed: Value = serde_json::from_str(&fresh()).unwrap();
    changed["submission_id"] = json!(Uuid::new_v4().to_string());
    assert_refused(
        &h,
        send(ENGAGEMENT, &secret, changed.to_string()),
        StatusCode::BAD_REQUEST,
        "does not open",
    )
    .await;
    assert_refused(
        &h,
        send(ENGAGEMENT, &secret, "{\"answers\": {}}".into()),
        StatusCode::BAD_REQUEST,
        "not a sealed response",
    )
    .await;

    // A device that started again sends what its earlier credential sealed; the channel
    // and account are the sealer's.
    let (second, _) =
        start_collecting(h.store.as_ref(), &ailsa, ENGAGEMENT, Channel::Phone).unwrap();
    let reply = call(h.app(), send(ENGAGEMENT, &second, fresh())).await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.text());
    let receipt = reply.json()["receipt"].as_str().unwrap().to_owned();
    let stored = h.store.find_receipt(&receipt).unwrap().unwrap();
    assert_eq!(stored.channel, Channel::Paper);

    // Sealed to another person's credential: not theirs to send, nor to credit.
    let morag = add_interviewer(&h, "morag", &[ENGAGEMENT]);
    let (morags, _) =
        start_collecting(h.store.as_ref(), &morag, ENGAGEMENT, Channel::Phone).unwrap();
    assert_refused(
        &h,
        send(ENGAGEMENT, &morags, fresh()),
        StatusCode::FORBIDDEN,
        "credential: the response was sealed with a credential",
    )
    .await;

    // Revoked by an admin: neither it nor what was sealed to it gets in.
    assert!(revoke_collection(h.store.as_ref(), "morag", &collection.id).unwrap());
    assert_refused(
        &h,
        send(ENGAGEMENT, &second, fresh()),
        StatusCode::FORBIDDEN,
        "which an admin revoked",
    )
    .await;
    assert_refused(
        &h,
        send(ENGAGEMENT, &secret, fresh()),
        StatusCode::UNAUTHORIZED,
        "revoked",
    )
    .await;
    assert!(!revoke_collection(h.store.as_ref(), "morag", &collection.id).unwrap());

    // Expired.
    let mut old = h
        .store
        .collection_by_hash(&voices_collector::staff::credentials::digest(&second))
        .unwrap()
        .unwrap();
    old.expires_at = OffsetDateTime::now_utc() - time::Duration::minutes(1);
    h.store.put_collection(&old).unwrap();
    assert_refused(
        &h,
        send(ENGAGEMENT, &second, fresh()),
        StatusCode::UNAUTHORIZED,
        "expired",
    )
    .await;

    // Its account taken off the survey, or removed.
    let (third, _) =
        start_collecting(h.store.as_ref(), &ailsa, ENGAGEMENT, Channel::FaceToFace).unwrap();
    let moved = StaffUser {
        surveys: vec![TRANSPORT.into()],
        ..ailsa.clone()
    };
    h.store.put_user(&moved).unwrap();
    assert_refused(
        &h,
        send(ENGAGEMENT, &third, fresh()),
        StatusCode::FORBIDDEN,
        "may no longer collect",
    )
    .await;
    h.store.remove_user("ailsa").unwrap();
    assert_refused(
        &h,
        send(ENGAGEMENT, &third, fresh()),
        StatusCode::UNAUTHORIZED,
        "was removed",
    )
    .await;
}

#[tokio::test]
async fn an_interviewer_collects_only_for_the_surveys_given_and_only_as_staff_channels() {
    let h = Harness::new(Config::default());
    let ailsa = add_interviewer(&h, "ailsa", &[ENGAGEMENT]);
    let refused = start_collecting(h.store.as_ref(), &ailsa, TRANSPORT, Channel::FaceToFace)
        .unwrap_err()
        .to_string();
    assert!(refused.contains("is not given survey"), "{refused}");
    let refused = start_collecting(h.store.as_ref(), &ailsa, ENGAGEMENT, Channel::Online)
        .unwrap_err()
        .to_string();
    assert!(refused.contains("own device"), "{refused}");
    assert!(h.store.collections().unwrap().is_empty());
}

#[tokio::test]
async fn removing_an_account_revokes_its_devices() {
    let h = Harness::new(Config::default());
    let ailsa = add_interviewer(&h, "ailsa", &[ENGAGEMENT]);
    let (secret, collection) =
        start_collecting(h.store.as_ref(), &ailsa, ENGAGEMENT, Channel::FaceToFace).unwrap();
    assert!(
        voices_collector::staff::actions::remove_user(h.store.as_ref(), "morag", "ailsa").unwrap()
    );
    // Added again by the same name, the old device stays out.
    h.store.put_user(&ailsa).unwrap();
    assert!(
        h.store
            .collection(&collection.id)
            .unwrap()
            .unwrap()
            .revoked_at
            .is_some()
    );
    assert_refused(
        &h,
        send(
            ENGAGEMENT,
            &secret,
            sealed(&collection, &engagement_submission()),
        ),
        StatusCode::UNAUTHORIZED,
        "revoked",
    )
    .await;
}

#[tokio::test]
async fn a_retry_of_a_response_stored_under_a_staff_channel_before_still_gets_its_receipt() {
    let h = Harness::new(Config::default());
    let ailsa = add_interviewer(&h, "ailsa", &[ENGAGEMENT]);
    let (secret, collection) =
        start_collecting(h.store.as_ref(), &ailsa, ENGAGEMENT, Channel::Phone).unwrap();
    let mut submission = engagement_submission();
    submission["channel"] = json!("phone");
    let stored = call(
        h.app(),
        send(ENGAGEMENT, &secret, sealed(&collection, &submission)),
    )
    .await;
    assert_eq!(stored.status, StatusCode::CREATED);
    // A device that kept it in its outbox from before sends it again, plainly.
    let retry = call(h.app(), post_response(ENGAGEMENT, &submission)).await;
    assert_eq!(retry.status, StatusCode::OK, "{}", retry.text());
    assert_eq!(retry.json()["receipt"], stored.json()["receipt"]);
    assert_eq!(h.count(ENGAGEMENT), 1);
}

#[tokio::test]
async fn what_was_recorded_while_a_survey_was_open_is_taken_for_a_few_days_after_it_closes() {
    use time::format_description::well_known::Rfc3339;
    let h = Harness::new(Config::default());
    let now = OffsetDateTime::now_utc();
    let at = |days: i64| (now + time::Duration::days(days)).format(&Rfc3339).unwrap();
    // Closed yesterday; another closed ten days ago; a third not open until tomorrow.
    h.publish(small_survey(
        "closed-yesterday",
        1,
        json!({"opens_at": at(-30), "closes_at": at(-1)}),
    ));
    h.publish(small_survey(
        "closed-long-ago",
        1,
        json!({"opens_at": at(-40), "closes_at": at(-10)}),
    ));
    h.publish(small_survey(
        "opens-tomorrow",
        1,
        json!({"opens_at": at(1)}),
    ));
    let ailsa = add_interviewer(
        &h,
        "ailsa",
        &["closed-yesterday", "closed-long-ago", "opens-tomorrow"],
    );
    // Started while it was open (the tablet went out three days ago), sent now.
    let started_on = |survey: &str, days: i64| {
        let (secret, mut collection) =
            start_collecting(h.store.as_ref(), &ailsa, survey, Channel::FaceToFace).unwrap();
        collection.issued_at = now + time::Duration::days(days);
        h.store.put_collection(&collection).unwrap();
        (secret, collection)
    };
    let mut answer = small_submission(1);
    answer["channel"] = json!("face_to_face");
    let send_to = |survey: &str, (secret, collection): &(String, Collection), body: &Value| {
        send(survey, secret, sealed(collection, body))
    };

    let in_time = started_on("closed-yesterday", -3);
    let reply = call(h.app(), send_to("closed-yesterday", &in_time, &answer)).await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.text());
    // Started after it closed: nothing recorded then was recorded in time.
    let late = started_on("closed-yesterday", 0);
    let reply = call(
        h.app(),
        send_to("closed-yesterday", &late, &small_submission(1)),
    )
    .await;
    assert_eq!(reply.status, StatusCode::GONE, "{}", reply.text());
    // Closed longer ago than a credential lasts.
    let old = started_on("closed-long-ago", -12);
    let reply = call(
        h.app(),
        send_to("closed-long-ago", &old, &small_submission(1)),
    )
    .await;
    assert_eq!(reply.status, StatusCode::GONE, "{}", reply.text());
    // Not open yet: refused, whenever the tablet was started.
    let early = started_on("opens-tomorrow", 0);
    let reply = call(
        h.app(),
        send_to("opens-tomorrow", &early, &small_submission(1)),
    )
    .await;
    assert_eq!(reply.status, StatusCode::GONE, "{}", reply.text());
    assert!(
        reply.text().contains("not open for responses yet"),
        "{}",
        reply.text()
    );
}
