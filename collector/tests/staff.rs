//! Staff access end to end through the router: every staff route refuses
//! strangers (walked from the route table itself), sign-in and its brakes,
//! cookies, CSRF, roles, tokens, publishing, erasure, retention and the audit log.

mod common;

use axum::body::Body;
use axum::http::{Method, Request, StatusCode, header};
use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};

use common::{
    ENGAGEMENT, Harness, Reply, TRANSPORT, add_token, call, engagement_submission, get,
    post_response, small_survey,
};
use serde_json::{Value, json};
use time::OffsetDateTime;
use voices_collector::Config;
use voices_collector::receipt::Receipt;
use voices_collector::retention::purge_expired;
use voices_collector::staff::credentials::hash_password;
use voices_collector::staff::guard::Access;
use voices_collector::staff::routes::table;
use voices_collector::store::{AuditEvent, Role, StaffUser, StoredResponse, Submitted};

const PASSWORD: &str = "correct horse battery";

fn add_user(h: &Harness, name: &str, role: Role) {
    add_user_for(h, name, role, &[]);
}

/// An account with surveys to collect for (an interviewer's).
fn add_user_for(h: &Harness, name: &str, role: Role, surveys: &[&str]) {
    h.store
        .put_user(&StaffUser {
            name: name.to_owned(),
            role,
            password_hash: hash_password(PASSWORD).expect("a long password hashes"),
            created_at: OffsetDateTime::now_utc(),
            surveys: surveys.iter().map(|s| (*s).to_owned()).collect(),
        })
        .expect("the user is stored");
}

/// A concrete path for a route pattern.
fn concrete(path: &str) -> String {
    path.replace("{id}", ENGAGEMENT)
        .replace("{receipt}", "ABCD-EFGH")
        .replace("{update}", "closed_20261201")
}

fn request(method: &Method, path: &str) -> Request<Body> {
    Request::builder()
        .method(method.clone())
        .uri(path)
        .body(Body::empty())
        .expect("a request")
}

fn with_header(mut request: Request<Body>, name: &str, value: &str) -> Request<Body> {
    request.headers_mut().insert(
        axum::http::HeaderName::from_bytes(name.as_bytes()).expect("a header name"),
        value.parse().expect("a header value"),
    );
    request
}

/// The value of `name` among a reply's Set-Cookie headers.
fn set_cookie<'a>(reply: &'a Reply, name: &str) -> Option<&'a str> {
    reply
        .headers
        .get_all(header::SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with(&format!("{name}=")))
}

fn cookie_value(set_cookie: &str) -> String {
    set_cookie
        .split(';')
        .next()
        .and_then(|pair| pair.split_once('='))
        .map(|(_, value)| value.to_owned())
        .expect("a name=value cookie")
}

/// The `csrf` hidden field of a page.
fn csrf_of(page: &str) -> String {
    let at = page
        .find("name=\"csrf\" value=\"")
        .expect("the page has a CSRF field")
        + "name=\"csrf\" value=\"".len();
    page[at..at + 64].to_owned()
}

fn form(path: &str, cookie: &str, fields: &[(&str, &str)]) -> Request<Body> {
    let body: String = fields
        .iter()
        .map(|(k, v)| format!("{k}={}", urlencode(v)))
        .collect::<Vec<_>>()
        .join("&");
    Request::post(path)
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(header::COOKIE, cookie)
        .body(Body::from(body))
        .expect("a request")
}

fn urlencode(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// A signed-in browser: its cookie header and the session's CSRF token.
struct Browser {
    cookie: String,
    csrf: String,
}

async fn sign_in(h: &Harness, name: &str, password: &str) -> Result<Browser, Reply> {
    let page = call(h.app(), get("/admin/sign-in")).await;
    assert_eq!(page.status, StatusCode::OK);
    let pre = cookie_value(set_cookie(&page, "voices-sign-in").expect("a sign-in cookie"));
    let token = csrf_of(&page.text());
    let reply = call(
        h.app(),
        form(
            "/admin/sign-in",
            &format!("voices-sign-in={pre}"),
            &[("csrf", &token), ("name", name), ("password", password)],
        ),
    )
    .await;
    if reply.status != StatusCode::SEE_OTHER {
        return Err(reply);
    }
    let session = cookie_value(set_cookie(&reply, "voices-session").expect("a session cookie"));
    let cookie = format!("voices-session={session}");
    // Where the account starts: the dashboard, or an interviewer's surveys to collect for.
    let home = reply.header("location").expect("a redirect").to_owned();
    let dashboard = call(h.app(), with_header(get(&home), "cookie", &cookie)).await;
    assert_eq!(dashboard.status, StatusCode::OK, "{}", dashboard.text());
    Ok(Browser {
        csrf: csrf_of(&dashboard.text()),
        cookie,
    })
}

fn assert_staff_headers(reply: &Reply, what: &str) {
    assert_eq!(reply.header("cache-control"), Some("no-store"), "{what}");
    assert_eq!(
        reply.header("access-control-allow-origin"),
        None,
        "{what}: staff routes are never CORS-enabled"
    );
}

#[tokio::test]
async fn every_staff_route_refuses_strangers() {
    let h = Harness::new(Config::default());
    let routes = table();
    assert!(routes.len() >= 14, "the table lists every staff route");
    for route in &routes {
        let path = concrete(route.path);
        let what = format!("{} {}", route.method, route.path);
        assert!(
            route.path.starts_with("/admin") || route.path.starts_with("/api/admin/"),
            "{what}: staff routes live under /admin or /api/admin"
        );
        if route.access == Access::Public {
            assert!(
                ["/admin/sign-in", "/admin/collect/{id}"].contains(&route.path),
                "{what}: only sign-in and the collect page (which holds no data) are public"
            );
            continue;
        }
        let api = route.path.starts_with("/api/");
        let stranger = call(
            h.app(),
            with_header(
                request(&route.method, &path),
                "origin",
                "https://partner.example",
            ),
        )
        .await;
        assert_staff_headers(&stranger, &what);
        if api {
            assert_eq!(stranger.status, StatusCode::UNAUTHORIZED, "{what}");
            assert_eq!(stranger.json()["error"], "unauthorized", "{what}");
            assert!(stranger.header("www-authenticate").is_some(), "{what}");
        } else {
            assert_eq!(stranger.status, StatusCode::SEE_OTHER, "{what}");
            assert_eq!(
                stranger.header("location"),
                Some("/admin/sign-in"),
                "{what}"
            );
        }
        let forged = call(
            h.app(),
            with_header(
                request(&route.method, &path),
                "authorization",
                "Bearer 0000000000000000000000000000000000000000000000000000000000000000",
            ),
        )
        .await;
        assert_eq!(
            forged.status,
            StatusCode::UNAUTHORIZED,
            "{what}: an unknown token"
        );
        let stale = call(
            h.app(),
            with_header(
                request(&route.method, &path),
                "cookie",
                "voices-session=made-up",
            ),
        )
        .await;
        assert!(
            matches!(
                stale.status,
                StatusCode::UNAUTHORIZED | StatusCode::SEE_OTHER
            ),
            "{what}: an unknown session is no session ({})",
            stale.status
        );
    }
    // A path the table does not list is not answered as if it existed.
    let unknown = call(h.app(), get("/api/admin/backdoor")).await;
    assert_eq!(unknown.status, StatusCode::NOT_FOUND);
}

/// The access policy, written out a second time on purpose: changing who may
/// use a route (or adding one) must be a deliberate edit here as well.
#[test]
fn the_route_table_is_the_reviewed_policy() {
    use Access::{Admin, Public, Signed, Staff};
    let expected: &[(&str, &str, Access)] = &[
        ("GET", "/admin/sign-in", Public),
        ("POST", "/admin/sign-in", Public),
        ("POST", "/admin/sign-out", Signed),
        ("GET", "/admin/collect", Signed),
        ("GET", "/admin/collect/{id}", Public),
        ("POST", "/admin/collect/{id}", Signed),
        ("GET", "/admin", Staff),
        ("GET", "/admin/surveys/{id}", Staff),
        ("GET", "/admin/surveys/{id}/population", Admin),
        ("POST", "/admin/surveys/{id}/population", Admin),
        ("GET", "/admin/surveys/{id}/poster", Staff),
        ("GET", "/admin/surveys/{id}/reach", Staff),
        ("GET", "/admin/surveys/{id}/summary", Staff),
        ("GET", "/admin/surveys/{id}/updates", Staff),
        ("GET", "/admin/surveys/{id}/updates/new", Admin),
        ("POST", "/admin/surveys/{id}/updates/new", Admin),
        ("GET", "/admin/surveys/{id}/updates/{update}", Admin),
        ("POST", "/admin/surveys/{id}/updates/{update}", Admin),
        ("POST", "/admin/surveys/{id}/updates/{update}/delete", Admin),
        ("GET", "/admin/publish", Admin),
        ("POST", "/admin/publish", Admin),
        ("GET", "/admin/erase", Admin),
        ("POST", "/admin/erase", Admin),
        ("GET", "/admin/audit", Admin),
        ("GET", "/admin/accounts", Admin),
        ("POST", "/admin/accounts/users", Admin),
        ("POST", "/admin/accounts/users/remove", Admin),
        ("POST", "/admin/accounts/tokens", Admin),
        ("POST", "/admin/accounts/tokens/revoke", Admin),
        ("POST", "/admin/accounts/collections/revoke", Admin),
        ("GET", "/api/admin/surveys", Staff),
        ("PUT", "/api/admin/surveys/{id}", Admin),
        ("GET", "/api/admin/surveys/{id}/outcomes", Staff),
        ("PUT", "/api/admin/surveys/{id}/outcomes", Admin),
        ("GET", "/api/admin/surveys/{id}/responses", Staff),
        ("PUT", "/api/admin/surveys/{id}/population", Admin),
        ("PUT", "/api/admin/surveys/{id}/pictures/{file}", Admin),
        ("GET", "/api/admin/surveys/{id}/summary", Staff),
        ("DELETE", "/api/admin/responses/{receipt}", Admin),
        ("GET", "/api/admin/audit", Admin),
    ];
    let actual: Vec<(String, &str, Access)> = table()
        .iter()
        .map(|r| (r.method.to_string(), r.path, r.access))
        .collect();
    let expected: Vec<(String, &str, Access)> = expected
        .iter()
        .map(|(m, p, a)| ((*m).to_owned(), *p, *a))
        .collect();
    assert_eq!(actual, expected);
}

#[tokio::test]
async fn analysts_cannot_reach_admin_routes() {
    let h = Harness::new(Config::default());
    let analyst = add_token(&h, "report", Role::Analyst);
    add_user(&h, "morag", Role::Analyst);
    let browser = sign_in(&h, "morag", PASSWORD)
        .await
        .expect("morag signs in");
    for route in table().iter().filter(|r| r.access == Access::Admin) {
        let what = format!("{} {}", route.method, route.path);
        let path = concrete(route.path);
        let by_token = call(
            h.app(),
            with_header(
                request(&route.method, &path),
                "authorization",
                &format!("Bearer {analyst}"),
            ),
        )
        .await;
        assert_eq!(by_token.status, StatusCode::FORBIDDEN, "{what}");
        let by_session = call(
            h.app(),
            with_header(request(&route.method, &path), "cookie", &browser.cookie),
        )
        .await;
        assert_eq!(by_session.status, StatusCode::FORBIDDEN, "{what}");
    }
    // ...but can read what analysts are for.
    let surveys = call(
        h.app(),
        with_header(
            get("/api/admin/surveys"),
            "authorization",
            &format!("Bearer {analyst}"),
        ),
    )
    .await;
    assert_eq!(surveys.status, StatusCode::OK);
}

#[tokio::test]
async fn a_session_must_prove_its_changes_come_from_its_own_pages() {
    let h = Harness::new(Config::default());
    add_user(&h, "ailsa", Role::Admin);
    let browser = sign_in(&h, "ailsa", PASSWORD)
        .await
        .expect("ailsa signs in");
    for route in table()
        .iter()
        .filter(|r| r.access != Access::Public && r.method != Method::GET)
    {
        let what = format!("{} {}", route.method, route.path);
        let path = concrete(route.path);
        // No token at all (a form field for pages, a header for the API), in
        // a body the route can read: a refusal must come from the CSRF check,
        // not from a body the route could not parse.
        let (content_type, body) = if route.path == "/admin/publish" {
            (
                "multipart/form-data; boundary=XyZ",
                "--XyZ\r\nContent-Disposition: form-data; name=\"definition\"; filename=\"s.json\"\r\n\r\n{}\r\n--XyZ--\r\n",
            )
        } else if route.path == "/admin/surveys/{id}/population" {
            (
                "multipart/form-data; boundary=XyZ",
                "--XyZ\r\nContent-Disposition: form-data; name=\"figures\"; filename=\"a.csv\"\r\n\r\nquestion,answer,people\r\n--XyZ--\r\n",
            )
        } else {
            (
                "application/x-www-form-urlencoded",
                "receipt=ABCD-EFGH&confirm=yes",
            )
        };
        let bare = call(
            h.app(),
            Request::builder()
                .method(route.method.clone())
                .uri(&path)
                .header(header::COOKIE, &browser.cookie)
                .header(header::CONTENT_TYPE, content_type)
                .body(Body::from(body))
                .expect("a request"),
        )
        .await;
        assert_eq!(
            bare.status,
            StatusCode::FORBIDDEN,
            "{what}: {}",
            bare.text()
        );
        // The right token, posted from another site.
        let cross_site = call(
            h.app(),
            Request::builder()
                .method(route.method.clone())
                .uri(&path)
                .header(header::COOKIE, &browser.cookie)
                .header(header::HOST, "collector.example")
                .header(header::ORIGIN, "https://evil.example")
                .header("x-csrf-token", &browser.csrf)
                .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                .body(Body::from(format!("csrf={}", browser.csrf)))
                .expect("a request"),
        )
        .await;
        assert_eq!(cross_site.status, StatusCode::FORBIDDEN, "{what}");
    }
}

#[tokio::test]
async fn signing_in_sets_a_strict_cookie_and_signing_out_ends_the_session() {
    let h = Harness::new(Config::default());
    add_user(&h, "ailsa", Role::Admin);
    let page = call(h.app(), get("/admin/sign-in")).await;
    let pre = cookie_value(set_cookie(&page, "voices-sign-in").unwrap());
    let reply = call(
        h.app(),
        form(
            "/admin/sign-in",
            &format!("voices-sign-in={pre}"),
            &[
                ("csrf", &csrf_of(&page.text())),
                ("name", "ailsa"),
                ("password", PASSWORD),
            ],
        ),
    )
    .await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER);
    assert_eq!(reply.header("location"), Some("/admin"));
    let session = set_cookie(&reply, "voices-session").expect("a session cookie");
    for attribute in ["HttpOnly", "SameSite=Strict", "Path=/"] {
        assert!(session.contains(attribute), "{session} has {attribute}");
    }
    assert!(!session.contains("Secure"), "plain HTTP: no Secure flag");

    let browser = sign_in(&h, "ailsa", PASSWORD).await.unwrap();
    let out = call(
        h.app(),
        form(
            "/admin/sign-out",
            &browser.cookie,
            &[("csrf", &browser.csrf)],
        ),
    )
    .await;
    assert_eq!(out.status, StatusCode::SEE_OTHER);
    let after = call(
        h.app(),
        with_header(get("/admin"), "cookie", &browser.cookie),
    )
    .await;
    assert_eq!(after.status, StatusCode::SEE_OTHER, "the session is over");

    // The sign-in form itself cannot be posted from elsewhere (no matching cookie).
    let forged = call(
        h.app(),
        form(
            "/admin/sign-in",
            "",
            &[
                ("csrf", &"0".repeat(64)),
                ("name", "ailsa"),
                ("password", PASSWORD),
            ],
        ),
    )
    .await;
    assert_eq!(forged.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn behind_tls_cookies_are_secure_and_host_prefixed() {
    let h = Harness::new(Config {
        secure_cookies: true,
        ..Config::default()
    });
    add_user(&h, "ailsa", Role::Admin);
    let page = call(h.app(), get("/admin/sign-in")).await;
    let pre_cookie = set_cookie(&page, "__Host-voices-sign-in").expect("a __Host- sign-in cookie");
    assert!(pre_cookie.contains("Secure"));
    let reply = call(
        h.app(),
        form(
            "/admin/sign-in",
            &format!("__Host-voices-sign-in={}", cookie_value(pre_cookie)),
            &[
                ("csrf", &csrf_of(&page.text())),
                ("name", "ailsa"),
                ("password", PASSWORD),
            ],
        ),
    )
    .await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER, "{}", reply.text());
    let session = set_cookie(&reply, "__Host-voices-session").expect("a __Host- session cookie");
    for attribute in ["Secure", "HttpOnly", "SameSite=Strict", "Path=/"] {
        assert!(session.contains(attribute), "{session} has {attribute}");
    }
    assert!(
        !session.contains("Domain"),
        "__Host- cookies have no Domain"
    );
}

#[tokio::test]
async fn wrong_passwords_are_refused_then_slowed_down_and_audited() {
    let h = Harness::new(Config::default());
    add_user(&h, "ailsa", Role::Admin);
    let refused = sign_in(&h, "ailsa", "not the password")
        .await
        .err()
        .unwrap();
    assert_eq!(refused.status, StatusCode::UNAUTHORIZED);
    assert!(
        refused
            .text()
            .contains("The user name or password is not right")
    );
    let nobody = sign_in(&h, "nobody", PASSWORD).await.err().unwrap();
    assert_eq!(
        nobody.status,
        StatusCode::UNAUTHORIZED,
        "an unknown name reads the same"
    );
    for _ in 0..4 {
        let _ = sign_in(&h, "ailsa", "still not it").await;
    }
    // Even the right password must wait now.
    let slowed = sign_in(&h, "ailsa", PASSWORD).await.err().unwrap();
    assert_eq!(slowed.status, StatusCode::TOO_MANY_REQUESTS);
    assert!(
        slowed.text().contains("too many failed sign-ins"),
        "{}",
        slowed.text()
    );
    // All five of ailsa's wrong tries were checked and refused: "nobody"
    // failing from the same address counts against that address's own, looser
    // brake, not against ailsa's from here.
    let log = h.store.audit(100).unwrap();
    let refused = |actor: &str| {
        log.iter()
            .filter(|e| e.event == AuditEvent::SignInRefused && e.actor == actor)
            .count()
    };
    assert_eq!(refused("ailsa"), 5);
    assert_eq!(refused("nobody"), 1);
}

#[tokio::test]
async fn tokens_work_until_revoked() {
    let h = Harness::new(Config::default());
    let secret = add_token(&h, "nightly", Role::Analyst);
    let bearer = format!("Bearer {secret}");
    let ok = call(
        h.app(),
        with_header(get("/api/admin/surveys"), "authorization", &bearer),
    )
    .await;
    assert_eq!(ok.status, StatusCode::OK);
    let surveys = ok.json();
    let engagement = surveys
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["id"] == ENGAGEMENT)
        .expect("the engagement survey is listed");
    assert_eq!(engagement["status"], "open");
    assert_eq!(engagement["responses"]["total"], 0);
    assert!(h.store.revoke_token("nightly").unwrap());
    let revoked = call(
        h.app(),
        with_header(get("/api/admin/surveys"), "authorization", &bearer),
    )
    .await;
    assert_eq!(revoked.status, StatusCode::UNAUTHORIZED);
    assert!(
        revoked.json()["message"]
            .as_str()
            .unwrap()
            .contains("revoked")
    );
}

#[tokio::test]
async fn counts_are_by_channel_and_recent() {
    let h = Harness::new(Config::default());
    let secret = add_token(&h, "nightly", Role::Analyst);
    for channel in ["online", "online", "qr"] {
        let mut body = engagement_submission();
        body["channel"] = json!(channel);
        let reply = call(h.app(), post_response(ENGAGEMENT, &body)).await;
        assert_eq!(reply.status, StatusCode::CREATED);
    }
    let reply = call(
        h.app(),
        with_header(
            get("/api/admin/surveys"),
            "authorization",
            &format!("Bearer {secret}"),
        ),
    )
    .await;
    let all = reply.json();
    let engagement = all
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["id"] == ENGAGEMENT)
        .unwrap();
    assert_eq!(engagement["responses"]["total"], 3);
    assert_eq!(engagement["responses"]["last_7_days"], 3);
    assert_eq!(engagement["responses"]["by_channel"]["online"], 2);
    assert_eq!(engagement["responses"]["by_channel"]["qr"], 1);
    assert_eq!(engagement["responses"]["by_channel"]["paper"], 0);
}

fn put_definition(token: &str, id: &str, definition: &Value) -> Request<Body> {
    Request::put(format!("/api/admin/surveys/{id}"))
        .header(header::AUTHORIZATION, format!("Bearer {token}"))
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from(definition.to_string()))
        .expect("a request")
}

#[tokio::test]
async fn publishing_through_the_api_checks_every_rule() {
    let h = Harness::new(Config::default());
    let admin = add_token(&h, "deploy", Role::Admin);
    let poll = small_survey("poll", 1, json!({}));
    let created = call(h.app(), put_definition(&admin, "poll", &poll)).await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.text());
    assert_eq!(created.json()["outcome"], "published");
    let again = call(h.app(), put_definition(&admin, "poll", &poll)).await;
    assert_eq!(again.status, StatusCode::OK);
    assert_eq!(again.json()["outcome"], "already_published");
    // The public API serves it at once.
    assert_eq!(
        call(h.app(), get("/api/surveys/poll")).await.status,
        StatusCode::OK
    );

    let changed = small_survey("poll", 1, json!({"title": "Another title"}));
    let conflict = call(h.app(), put_definition(&admin, "poll", &changed)).await;
    assert_eq!(conflict.status, StatusCode::CONFLICT);
    assert!(
        conflict.json()["message"]
            .as_str()
            .unwrap()
            .contains("new version")
    );

    let wrong_id = call(h.app(), put_definition(&admin, "other", &poll)).await;
    assert_eq!(wrong_id.status, StatusCode::BAD_REQUEST);

    let broken = json!({"format": 1, "id": "poll", "version": 0});
    let invalid = call(h.app(), put_definition(&admin, "poll", &broken)).await;
    assert_eq!(invalid.status, StatusCode::UNPROCESSABLE_ENTITY);
    let body = invalid.json();
    assert_eq!(body["error"], "invalid_survey");
    let paths: Vec<&str> = body["details"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["path"].as_str().unwrap())
        .collect();
    for expected in ["version", "title", "pages"] {
        assert!(paths.contains(&expected), "{paths:?} names {expected}");
    }
    let published: Vec<AuditEvent> = h
        .store
        .audit(10)
        .unwrap()
        .into_iter()
        .map(|e| e.event)
        .collect();
    assert_eq!(
        published
            .iter()
            .filter(
                |e| matches!(e, AuditEvent::Published { survey, version: 1 } if survey == "poll")
            )
            .count(),
        1,
        "one publication is audited, not the repeat"
    );
}

#[tokio::test]
async fn erasure_removes_a_response_from_exports_and_the_idempotency_index() {
    let h = Harness::new(Config::default());
    let admin = add_token(&h, "dpo", Role::Admin);
    let body = engagement_submission();
    let stored = call(h.app(), post_response(ENGAGEMENT, &body)).await;
    assert_eq!(stored.status, StatusCode::CREATED);
    let receipt = stored.json()["receipt"].as_str().unwrap().to_owned();
    let kept = call(h.app(), post_response(ENGAGEMENT, &engagement_submission())).await;
    let kept_receipt = kept.json()["receipt"].as_str().unwrap().to_owned();

    // Read out over the phone: lower case, no dash.
    let spoken = receipt.replace('-', "").to_lowercase();
    let erase = |receipt: String| {
        Request::delete(format!("/api/admin/responses/{receipt}"))
            .header(header::AUTHORIZATION, format!("Bearer {admin}"))
            .body(Body::empty())
            .expect("a request")
    };
    let erased = call(h.app(), erase(spoken.clone())).await;
    assert_eq!(erased.status, StatusCode::NO_CONTENT, "{}", erased.text());
    assert_eq!(
        call(h.app(), erase(spoken)).await.status,
        StatusCode::NOT_FOUND
    );

    // The same submission again (an outbox retry, a second tab): erased stays
    // erased, and the sender is told why.
    for _ in 0..2 {
        let retry = call(h.app(), post_response(ENGAGEMENT, &body)).await;
        assert_eq!(retry.status, StatusCode::GONE, "{}", retry.text());
        let refusal = retry.json();
        assert_eq!(refusal["error"], "erased", "{refusal}");
        assert!(
            refusal["message"].as_str().unwrap().contains("erased"),
            "{refusal}"
        );
    }
    assert_eq!(h.count(ENGAGEMENT), 1, "only the other response is stored");

    let download = call(
        h.app(),
        with_header(
            get(&format!(
                "/api/admin/surveys/{ENGAGEMENT}/responses?format=ndjson"
            )),
            "authorization",
            &format!("Bearer {admin}"),
        ),
    )
    .await;
    assert_eq!(download.status, StatusCode::OK);
    let text = download.text();
    assert!(!text.contains(&receipt), "the erased response is gone");
    assert!(text.contains(&kept_receipt), "the other one is still there");
    assert!(h.store.find_receipt(&receipt).unwrap().is_none());
    let submission_id = body["submission_id"].as_str().unwrap().parse().unwrap();
    assert_eq!(
        h.store.find_submission(ENGAGEMENT, submission_id).unwrap(),
        Submitted::Erased,
        "only a tombstone is left: no answers, no receipt"
    );
    let log = h.store.audit(10).unwrap();
    assert!(log.iter().any(|e| e.actor == "dpo"
        && e.event
            == AuditEvent::Erased {
                survey: ENGAGEMENT.into(),
                receipt: receipt.clone()
            }));
}

#[tokio::test]
async fn downloads_are_audited_with_their_row_counts() {
    let h = Harness::new(Config::default());
    add_user(&h, "morag", Role::Analyst);
    let browser = sign_in(&h, "morag", PASSWORD).await.unwrap();
    for _ in 0..2 {
        call(h.app(), post_response(ENGAGEMENT, &engagement_submission())).await;
    }
    let csv = call(
        h.app(),
        with_header(
            get(&format!(
                "/api/admin/surveys/{ENGAGEMENT}/responses?format=csv"
            )),
            "cookie",
            &browser.cookie,
        ),
    )
    .await;
    assert_eq!(csv.status, StatusCode::OK);
    assert!(csv.header("content-type").unwrap().starts_with("text/csv"));
    assert!(
        csv.header("content-disposition")
            .unwrap()
            .contains(".csv\"")
    );
    assert!(csv.body.starts_with("\u{feff}receipt,".as_bytes()));
    let bad = call(
        h.app(),
        with_header(
            get(&format!(
                "/api/admin/surveys/{ENGAGEMENT}/responses?format=pdf"
            )),
            "cookie",
            &browser.cookie,
        ),
    )
    .await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    assert!(
        bad.json()["message"]
            .as_str()
            .unwrap()
            .starts_with("format:")
    );
    let missing = call(
        h.app(),
        with_header(
            get(&format!(
                "/api/admin/surveys/{ENGAGEMENT}/responses?version=9"
            )),
            "cookie",
            &browser.cookie,
        ),
    )
    .await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
    // The download is audited once the file is written.
    let log = h.store.audit(10).unwrap();
    assert!(log.iter().any(|e| e.actor == "morag"
        && e.event
            == AuditEvent::Downloaded {
                survey: ENGAGEMENT.into(),
                format: "csv".into(),
                rows: 2
            }));
}

#[tokio::test]
async fn the_pages_show_counts_and_list_a_bad_definitions_problems() {
    let h = Harness::new(Config::default());
    add_user(&h, "ailsa", Role::Admin);
    let browser = sign_in(&h, "ailsa", PASSWORD).await.unwrap();
    call(h.app(), post_response(ENGAGEMENT, &engagement_submission())).await;
    let dashboard = call(
        h.app(),
        with_header(get("/admin"), "cookie", &browser.cookie),
    )
    .await;
    let html = dashboard.text();
    assert!(html.contains("Have your say on how we involve you"));
    assert!(html.contains("<td class=\"num\">1</td>"), "{html}");
    assert_eq!(
        dashboard
            .header("content-security-policy")
            .map(|p| p.contains("frame-ancestors 'none'")),
        Some(true)
    );

    let boundary = "XyZ";
    let upload = |definition: &str| {
        let body = format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n{csrf}\r\n--{boundary}\r\nContent-Disposition: form-data; name=\"definition\"; filename=\"s.json\"\r\nContent-Type: application/json\r\n\r\n{definition}\r\n--{boundary}--\r\n",
            csrf = browser.csrf
        );
        Request::post("/admin/publish")
            .header(header::COOKIE, &browser.cookie)
            .header(
                header::CONTENT_TYPE,
                format!("multipart/form-data; boundary={boundary}"),
            )
            .body(Body::from(body))
            .expect("a request")
    };
    let bad = call(
        h.app(),
        upload(r#"{"format": 1, "id": "Bad Id", "version": 1}"#),
    )
    .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    let page = bad.text();
    assert!(page.contains("<title>Error: Publish a survey"), "{page}");
    assert!(
        page.contains("id: &quot;Bad Id&quot; is not a survey id"),
        "{page}"
    );
    assert!(page.contains("pages: is required but missing"), "{page}");
    let good = call(
        h.app(),
        upload(&small_survey("poll", 1, json!({})).to_string()),
    )
    .await;
    assert_eq!(good.status, StatusCode::OK);
    assert!(good.text().contains("version 1 is published"));
    assert!(h.state.catalog().latest("poll").is_some());
}

#[tokio::test]
async fn free_text_is_never_markup_on_staff_pages() {
    let h = Harness::new(Config::default());
    add_user(&h, "ailsa", Role::Admin);
    let browser = sign_in(&h, "ailsa", PASSWORD).await.unwrap();
    let hostile = small_survey("poll", 1, json!({"title": "<script>alert(1)</script>"}));
    h.publish(hostile);
    let html = call(
        h.app(),
        with_header(get("/admin"), "cookie", &browser.cookie),
    )
    .await
    .text();
    assert!(!html.contains("<script>alert(1)"));
    assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
}

#[tokio::test]
async fn retention_erases_only_responses_older_than_the_survey_allows() {
    let h = Harness::new(Config::default());
    h.publish(small_survey("poll", 1, json!({"retention_days": 30})));
    let survey = h.state.catalog().latest("poll").unwrap();
    let now = OffsetDateTime::now_utc();
    let mut receipts = Vec::new();
    let mut submissions = Vec::new();
    for age_days in [45, 31, 29, 0] {
        let submission: voices_shared::Submission =
            serde_json::from_value(common::small_submission(1)).unwrap();
        submissions.push(submission.submission_id);
        let valid = survey.survey.accept(submission).expect("a valid response");
        let receipt = Receipt::generate();
        let response = StoredResponse::new(
            "poll",
            valid,
            receipt.clone(),
            now - time::Duration::days(age_days),
        );
        h.store.insert_response(&response).unwrap();
        receipts.push(receipt);
    }
    let purged = purge_expired(h.state.catalog(), h.store.as_ref(), now).unwrap();
    assert_eq!(purged.len(), 1);
    assert_eq!(purged[0].rows, 2);
    assert_eq!(h.count("poll"), 2);
    // A phone that kept the oldest in its outbox all along cannot store it again.
    let mut late = common::small_submission(1);
    late["submission_id"] = json!(submissions[0].to_string());
    let retry = call(h.app(), post_response("poll", &late)).await;
    assert_eq!(retry.status, StatusCode::GONE, "{}", retry.text());
    assert_eq!(retry.json()["error"], "erased");
    assert_eq!(h.count("poll"), 2);
    assert!(
        h.store
            .find_receipt(receipts[0].as_str())
            .unwrap()
            .is_none()
    );
    assert!(
        h.store
            .find_receipt(receipts[2].as_str())
            .unwrap()
            .is_some()
    );
    // Surveys without retention_days are untouched.
    h.publish(small_survey("forever", 1, json!({})));
    call(
        h.app(),
        post_response("forever", &common::small_submission(1)),
    )
    .await;
    let again = purge_expired(
        h.state.catalog(),
        h.store.as_ref(),
        now + time::Duration::days(3650),
    )
    .unwrap();
    assert!(again.iter().all(|p| p.survey != "forever"));
    assert_eq!(h.count("forever"), 1);
    assert!(h.store.audit(10).unwrap().iter().any(|e| e.actor == "collector"
        && matches!(&e.event, AuditEvent::Purged { survey, rows: 2, retention_days: 30 } if survey == "poll")));
}

#[tokio::test]
async fn admins_manage_accounts_and_tokens_while_the_collector_runs() {
    let h = Harness::new(Config::default());
    add_user(&h, "ailsa", Role::Admin);
    let admin = sign_in(&h, "ailsa", PASSWORD).await.unwrap();
    let post = |path: &str, fields: &[(&str, &str)]| {
        let mut all = vec![("csrf", admin.csrf.as_str())];
        all.extend_from_slice(fields);
        form(path, &admin.cookie, &all)
    };
    let short = call(
        h.app(),
        post(
            "/admin/accounts/users",
            &[
                ("name", "morag"),
                ("role", "analyst"),
                ("password", "short"),
            ],
        ),
    )
    .await;
    assert_eq!(short.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(short.text().contains("at least 12 characters"));
    let added = call(
        h.app(),
        post(
            "/admin/accounts/users",
            &[
                ("name", "morag"),
                ("role", "analyst"),
                ("password", PASSWORD),
            ],
        ),
    )
    .await;
    assert_eq!(added.status, StatusCode::OK);
    let morag = sign_in(&h, "morag", PASSWORD)
        .await
        .expect("morag signs in");
    // A new password signs her out everywhere.
    let reset = call(
        h.app(),
        post(
            "/admin/accounts/users",
            &[
                ("name", "morag"),
                ("role", "analyst"),
                ("password", "a brand new password"),
            ],
        ),
    )
    .await;
    assert_eq!(reset.status, StatusCode::OK);
    let stale = call(h.app(), with_header(get("/admin"), "cookie", &morag.cookie)).await;
    assert_eq!(stale.status, StatusCode::SEE_OTHER);

    let created = call(
        h.app(),
        post(
            "/admin/accounts/tokens",
            &[("name", "nightly"), ("role", "analyst")],
        ),
    )
    .await;
    let page = created.text();
    let at = page
        .find("<code class=\"token\">")
        .expect("the token is shown")
        + "<code class=\"token\">".len();
    let token = &page[at..at + 64];
    let with_token = call(
        h.app(),
        with_header(
            get("/api/admin/surveys"),
            "authorization",
            &format!("Bearer {token}"),
        ),
    )
    .await;
    assert_eq!(with_token.status, StatusCode::OK);
    let listing = call(
        h.app(),
        with_header(get("/admin/accounts"), "cookie", &admin.cookie),
    )
    .await;
    assert!(
        !listing.text().contains(token),
        "the token is never shown again"
    );
    call(
        h.app(),
        post("/admin/accounts/tokens/revoke", &[("name", "nightly")]),
    )
    .await;
    let revoked = call(
        h.app(),
        with_header(
            get("/api/admin/surveys"),
            "authorization",
            &format!("Bearer {token}"),
        ),
    )
    .await;
    assert_eq!(revoked.status, StatusCode::UNAUTHORIZED);

    let myself = call(
        h.app(),
        post("/admin/accounts/users/remove", &[("name", "ailsa")]),
    )
    .await;
    assert_eq!(myself.status, StatusCode::FORBIDDEN);
    let morag = sign_in(&h, "morag", "a brand new password").await.unwrap();
    call(
        h.app(),
        post("/admin/accounts/users/remove", &[("name", "morag")]),
    )
    .await;
    let gone = call(h.app(), with_header(get("/admin"), "cookie", &morag.cookie)).await;
    assert_eq!(
        gone.status,
        StatusCode::SEE_OTHER,
        "a removed account's session ends"
    );
    assert!(sign_in(&h, "morag", "a brand new password").await.is_err());
}

#[tokio::test]
async fn a_full_disk_refuses_account_changes_with_503_saying_why() {
    let (h, faulty) = Harness::faulty(Config::default());
    add_user(&h, "ailsa", Role::Admin);
    add_user(&h, "morag", Role::Analyst);
    add_token(&h, "nightly", Role::Analyst);
    let admin = sign_in(&h, "ailsa", PASSWORD).await.unwrap();
    faulty.fail_staff_writes.store(true, Ordering::SeqCst);
    for (path, name) in [
        ("/admin/accounts/users/remove", "morag"),
        ("/admin/accounts/tokens/revoke", "nightly"),
        ("/admin/accounts/tokens", "another"),
    ] {
        let reply = call(
            h.app(),
            form(
                path,
                &admin.cookie,
                &[("csrf", &admin.csrf), ("name", name), ("role", "analyst")],
            ),
        )
        .await;
        assert_eq!(
            reply.status,
            StatusCode::SERVICE_UNAVAILABLE,
            "{path}: {}",
            reply.text()
        );
        assert!(
            reply.text().contains("no space left"),
            "{path}: {}",
            reply.text()
        );
    }
    faulty.fail_staff_writes.store(false, Ordering::SeqCst);
    let reply = call(
        h.app(),
        form(
            "/admin/accounts/users/remove",
            &admin.cookie,
            &[("csrf", &admin.csrf), ("name", "morag")],
        ),
    )
    .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text());
}

/// A store that cannot be reached (a database down) while someone is signed in: 503 saying
/// why, not the sign-in page, which would only send them round in a loop; and the session
/// is still there once the store is back.
#[tokio::test]
async fn a_store_that_cannot_be_reached_answers_503_not_the_sign_in_page() {
    let (h, faulty) = Harness::faulty(Config::default());
    add_user(&h, "ailsa", Role::Admin);
    let admin = sign_in(&h, "ailsa", PASSWORD).await.unwrap();
    faulty.fail_sessions.store(true, Ordering::SeqCst);
    for path in ["/admin", "/api/admin/surveys", "/admin/sign-in"] {
        let reply = call(h.app(), with_header(get(path), "cookie", &admin.cookie)).await;
        assert_eq!(
            reply.status,
            StatusCode::SERVICE_UNAVAILABLE,
            "{path}: {}",
            reply.text()
        );
        assert!(
            reply.text().contains("cannot be reached"),
            "{path}: {}",
            reply.text()
        );
    }
    // Signing in needs the brakes, in the store: refused the same way.
    let refused = sign_in(&h, "ailsa", PASSWORD)
        .await
        .err()
        .expect("not signed in");
    assert_eq!(refused.status, StatusCode::SERVICE_UNAVAILABLE);
    faulty.fail_sessions.store(false, Ordering::SeqCst);
    let back = call(h.app(), with_header(get("/admin"), "cookie", &admin.cookie)).await;
    assert_eq!(back.status, StatusCode::OK);
}

/// Serves `h` on a real socket from a runtime with one worker thread, as a
/// small server's would be busy: whatever blocks that thread blocks every request.
fn serve_on_one_worker(h: &Harness) -> String {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("a free port");
    listener.set_nonblocking(true).unwrap();
    let address = listener.local_addr().unwrap();
    let app = h.app();
    std::thread::spawn(move || {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .enable_all()
            .build()
            .unwrap();
        runtime.block_on(async move {
            let listener = tokio::net::TcpListener::from_std(listener).unwrap();
            axum::serve(listener, app).await.unwrap();
        });
    });
    format!("http://{address}")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_slow_store_read_does_not_hold_up_other_requests() {
    let (h, faulty) = Harness::faulty(Config::default());
    let token = add_token(&h, "nightly", Role::Analyst);
    let base = serve_on_one_worker(&h);
    let client = common::client();
    faulty.slow_staff_reads.store(true, Ordering::SeqCst);
    // Three staff requests, each stuck for a second on the store.
    let slow: Vec<_> = (0..3)
        .map(|_| {
            let request = client
                .get(format!("{base}/api/admin/surveys"))
                .bearer_auth(&token)
                .send();
            tokio::spawn(request)
        })
        .collect();
    tokio::time::sleep(Duration::from_millis(200)).await;
    let started = Instant::now();
    let survey = client
        .get(format!("{base}/api/surveys/{ENGAGEMENT}"))
        .send()
        .await
        .unwrap();
    let waited = started.elapsed();
    assert_eq!(survey.status(), StatusCode::OK);
    assert!(
        waited < Duration::from_millis(500),
        "a survey definition waited {waited:?} behind staff requests reading a slow store"
    );
    for request in slow {
        assert_eq!(request.await.unwrap().unwrap().status(), StatusCode::OK);
    }
}

#[tokio::test]
async fn a_purge_that_fails_halfway_records_what_it_erased() {
    let (h, faulty) = Harness::faulty(Config::default());
    h.publish(small_survey("poll", 1, json!({"retention_days": 30})));
    let survey = h.state.catalog().latest("poll").unwrap();
    let old = OffsetDateTime::now_utc() - time::Duration::days(60);
    for _ in 0..1_200 {
        let submission = serde_json::from_value(common::small_submission(1)).unwrap();
        let valid = survey.survey.accept(submission).unwrap();
        let response = StoredResponse::new("poll", valid, Receipt::generate(), old);
        h.store.insert_response(&response).unwrap();
    }
    // The disk fills up after poll's first chunk (the examples, which keep answers for a
    // year and two, come first, each with one look that finds nothing to erase).
    faulty.purge_chunks_left.store(3, Ordering::SeqCst);
    let error = purge_expired(
        h.state.catalog(),
        h.store.as_ref(),
        OffsetDateTime::now_utc(),
    )
    .expect_err("the second chunk fails");
    assert!(error.to_string().contains("no space left"), "{error}");
    let erased = 1_200 - h.count("poll");
    assert!(erased > 0 && erased < 1_200, "{erased}");
    let log = h.store.audit(10).unwrap();
    assert!(
        log.iter().any(|e| matches!(&e.event,
            AuditEvent::Purged { survey, rows, .. } if survey == "poll" && *rows == erased)),
        "the audit log has the {erased} responses erased before the failure: {log:?}"
    );
    // Once there is room again, the next purge finishes the job.
    faulty.purge_chunks_left.store(u32::MAX, Ordering::SeqCst);
    purge_expired(
        h.state.catalog(),
        h.store.as_ref(),
        OffsetDateTime::now_utc(),
    )
    .unwrap();
    assert_eq!(h.count("poll"), 0);
}

#[tokio::test]
async fn a_retry_of_an_erased_response_after_closing_says_erased_not_closed() {
    let h = Harness::new(Config::default());
    h.publish(small_survey(
        "poll",
        1,
        json!({"closes_at": "2020-01-01T00:00:00Z"}),
    ));
    let survey = h.state.catalog().latest("poll").unwrap();
    let body = common::small_submission(1);
    let valid = survey
        .survey
        .accept(serde_json::from_value(body.clone()).unwrap())
        .unwrap();
    let receipt = Receipt::generate();
    let stored = StoredResponse::new(
        "poll",
        valid,
        receipt.clone(),
        OffsetDateTime::now_utc() - time::Duration::days(2000),
    );
    h.store.insert_response(&stored).unwrap();
    // Stored while it was open: a retry gets its receipt.
    let retry = call(h.app(), post_response("poll", &body)).await;
    assert_eq!(retry.status, StatusCode::OK, "{}", retry.text());
    h.store.erase_response(receipt.as_str()).unwrap().unwrap();
    let retry = call(h.app(), post_response("poll", &body)).await;
    assert_eq!(retry.status, StatusCode::GONE, "{}", retry.text());
    assert_eq!(retry.json()["error"], "erased");
    // Another response, never stored, is told the survey has closed.
    let late = call(h.app(), post_response("poll", &common::small_submission(1))).await;
    assert_eq!(late.json()["error"], "closed");
}

#[tokio::test]
async fn an_interviewer_reaches_collecting_for_its_surveys_and_nothing_else() {
    let h = Harness::new(Config::default());
    add_user_for(&h, "ailsa", Role::Interviewer, &[ENGAGEMENT]);
    let browser = sign_in(&h, "ailsa", PASSWORD).await.expect("signed in");

    // Every route but signing out and collecting is refused, whatever it is.
    for route in table() {
        if matches!(route.access, Access::Public | Access::Signed) {
            continue;
        }
        let what = format!("{} {}", route.method, route.path);
        let mut request = request(&route.method, &concrete(route.path));
        request.headers_mut().insert(
            header::COOKIE,
            browser.cookie.parse().expect("a header value"),
        );
        request.headers_mut().insert(
            "x-csrf-token",
            browser.csrf.parse().expect("a header value"),
        );
        let reply = call(h.app(), request).await;
        assert_eq!(reply.status, StatusCode::FORBIDDEN, "{what}");
        assert!(
            reply.text().contains("interviewer role"),
            "{what}: says why: {}",
            reply.text()
        );
    }

    // Its surveys, and only those, to collect for.
    let list = call(
        h.app(),
        with_header(get("/admin/collect"), "cookie", &browser.cookie),
    )
    .await;
    assert_eq!(list.status, StatusCode::OK);
    let text = list.text();
    assert!(
        text.contains(&format!("action=\"/admin/collect/{ENGAGEMENT}\"")),
        "{text}"
    );
    assert!(
        !text.contains(&format!("/admin/collect/{TRANSPORT}")),
        "{text}"
    );
    assert!(
        !text.contains("href=\"/admin\""),
        "no link to pages it cannot open: {text}"
    );
    let other = call(
        h.app(),
        form(
            &format!("/admin/collect/{TRANSPORT}"),
            &browser.cookie,
            &[("csrf", &browser.csrf), ("channel", "phone")],
        ),
    )
    .await;
    assert_eq!(other.status, StatusCode::FORBIDDEN);
    assert!(
        other.text().contains("is not given survey"),
        "{}",
        other.text()
    );
    // Without the form's proof, nothing is issued.
    let forged = call(
        h.app(),
        form(
            &format!("/admin/collect/{ENGAGEMENT}"),
            &browser.cookie,
            &[("csrf", &"0".repeat(64)), ("channel", "phone")],
        ),
    )
    .await;
    assert_eq!(forged.status, StatusCode::FORBIDDEN);
    assert!(h.store.collections().unwrap().is_empty());
    // Nor for a script's token, whoever's name it has.
    let token = add_token(&h, "ailsa", Role::Admin);
    let scripted = call(
        h.app(),
        with_header(
            Request::post(format!("/admin/collect/{ENGAGEMENT}"))
                .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                .body(Body::from("channel=phone"))
                .unwrap(),
            "authorization",
            &format!("Bearer {token}"),
        ),
    )
    .await;
    assert_eq!(scripted.status, StatusCode::FORBIDDEN);
    assert!(
        scripted.text().contains("not a token"),
        "{}",
        scripted.text()
    );

    // Starting on a device gives it a credential, in a page that may run the widget.
    let started = call(
        h.app(),
        form(
            &format!("/admin/collect/{ENGAGEMENT}"),
            &browser.cookie,
            &[
                ("csrf", &browser.csrf),
                ("channel", "phone"),
                ("lang", "pl"),
            ],
        ),
    )
    .await;
    assert_eq!(started.status, StatusCode::OK, "{}", started.text());
    let page = started.text();
    assert!(page.contains("data-credential="), "{page}");
    assert!(
        page.contains("Recording answers with someone: by phone"),
        "{page}"
    );
    assert!(
        page.contains(r#"channel="phone" lang="pl" collect"#),
        "{page}"
    );
    let policy = started.header("content-security-policy").unwrap();
    assert!(
        policy.contains("'wasm-unsafe-eval'") && policy.contains("connect-src 'self'"),
        "{policy}"
    );
    assert!(policy.contains("frame-ancestors 'none'"), "{policy}");
    // Its service worker, for a reload without signal.
    assert!(policy.contains("worker-src 'self'"), "{policy}");
    let worker = call(h.app(), get("/collect-sw.js")).await;
    assert_eq!(worker.status, StatusCode::OK);
    assert!(
        worker
            .header("content-type")
            .unwrap()
            .starts_with("text/javascript")
    );
    assert!(worker.text().contains("/admin/collect/"));
    let collections = h.store.collections().unwrap();
    assert_eq!(collections.len(), 1);
    assert_eq!(collections[0].user, "ailsa");
    assert_eq!(collections[0].channel, voices_shared::Channel::Phone);
    // The device now only collects: its staff session is over, and the page holds no
    // staff navigation.
    assert!(
        started
            .headers
            .get_all(header::SET_COOKIE)
            .iter()
            .any(|c| c.to_str().unwrap().starts_with("voices-session=;")),
        "the session cookie is cleared"
    );
    assert!(!page.contains("Sign out"), "{page}");
    assert!(!page.contains("href=\"/admin/collect\""), "{page}");
    let after = call(
        h.app(),
        with_header(get("/admin/collect"), "cookie", &browser.cookie),
    )
    .await;
    assert_eq!(after.status, StatusCode::SEE_OTHER);
    // The collect page opens again without a session, from what the device keeps.
    let again = call(
        h.app(),
        get(&format!(
            "/admin/collect/{ENGAGEMENT}?channel=phone&lang=pl&idle=5"
        )),
    )
    .await;
    assert_eq!(again.status, StatusCode::OK);
    let text = again.text();
    assert!(!text.contains("data-credential"), "{text}");
    assert!(
        text.contains(r#"data-idle="10""#),
        "idle times are bounded: {text}"
    );
}

#[tokio::test]
async fn admins_give_interviewers_surveys_and_revoke_their_devices() {
    let h = Harness::new(Config::default());
    add_user(&h, "morag", Role::Admin);
    let admin = sign_in(&h, "morag", PASSWORD).await.expect("signed in");
    let save = |fields: Vec<(&'static str, String)>| {
        let mut all = vec![("csrf", admin.csrf.clone())];
        all.extend(fields);
        let pairs: Vec<(&str, &str)> = all.iter().map(|(k, v)| (*k, v.as_str())).collect();
        form("/admin/accounts/users", &admin.cookie, &pairs)
    };
    let password = || ("password", PASSWORD.to_owned());
    // An interviewer needs a survey; an analyst is given none.
    let none = call(
        h.app(),
        save(vec![
            ("name", "ailsa".into()),
            ("role", "interviewer".into()),
            password(),
        ]),
    )
    .await;
    assert_eq!(none.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        none.text().contains("at least one survey"),
        "{}",
        none.text()
    );
    assert!(
        none.text().contains("href=\"#user-surveys\""),
        "{}",
        none.text()
    );
    let analyst = call(
        h.app(),
        save(vec![
            ("name", "ailsa".into()),
            ("role", "analyst".into()),
            ("surveys", ENGAGEMENT.into()),
            password(),
        ]),
    )
    .await;
    assert_eq!(analyst.status, StatusCode::UNPROCESSABLE_ENTITY);
    let saved = call(
        h.app(),
        save(vec![
            ("name", "ailsa".into()),
            ("role", "interviewer".into()),
            ("surveys", ENGAGEMENT.into()),
            ("surveys", TRANSPORT.into()),
            password(),
        ]),
    )
    .await;
    assert_eq!(saved.status, StatusCode::OK, "{}", saved.text());
    let user = h.store.user("ailsa").unwrap().unwrap();
    assert_eq!(user.role, Role::Interviewer);
    assert_eq!(
        user.surveys,
        vec![TRANSPORT.to_owned(), ENGAGEMENT.to_owned()]
    );
    assert!(
        saved
            .text()
            .contains(&format!("interviewer ({TRANSPORT}, {ENGAGEMENT})")),
        "{}",
        saved.text()
    );
    // No token for an interviewer.
    let token = call(
        h.app(),
        form(
            "/admin/accounts/tokens",
            &admin.cookie,
            &[
                ("csrf", &admin.csrf),
                ("name", "tablet"),
                ("role", "interviewer"),
            ],
        ),
    )
    .await;
    assert!(!token.text().contains("is created"), "{}", token.text());

    // A device collecting is listed, and revoked from the page.
    let (_, collection) = voices_collector::staff::actions::start_collecting(
        h.store.as_ref(),
        &user,
        ENGAGEMENT,
        voices_shared::Channel::FaceToFace,
    )
    .unwrap();
    let page = call(
        h.app(),
        with_header(get("/admin/accounts"), "cookie", &admin.cookie),
    )
    .await
    .text();
    assert!(page.contains(&collection.id[..8]), "{page}");
    let revoked = call(
        h.app(),
        form(
            "/admin/accounts/collections/revoke",
            &admin.cookie,
            &[("csrf", &admin.csrf), ("name", &collection.id)],
        ),
    )
    .await;
    assert_eq!(revoked.status, StatusCode::OK);
    assert!(
        revoked.text().contains("can no longer send"),
        "{}",
        revoked.text()
    );
    assert!(
        h.store
            .collection(&collection.id)
            .unwrap()
            .unwrap()
            .revoked_at
            .is_some()
    );
    assert!(h.store.audit(5).unwrap().iter().any(|e| e.event
        == AuditEvent::CollectionRevoked {
            credential: collection.id.clone()
        }));
}
