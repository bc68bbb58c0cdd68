//! A survey's updates ("you said, we did") end to end through the router: staff write them
//! with the API (admins only, every problem named, audited), and the public reads only
//! what is published, as JSON (cacheable, CORS), as an Atom feed a feed library reads back,
//! and on the hosted page, in the reader's language; a restart keeps them.

mod common;

use std::sync::Arc;

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use common::{Harness, TRANSPORT, add_token, call, get};
use serde_json::{Value, json};
use voices_collector::catalog::Catalog;
use voices_collector::store::{AuditEvent, Role};
use voices_collector::{AppState, Config};

fn put(path: &str, secret: &str, body: &str) -> Request<Body> {
    Request::put(path)
        .header(header::AUTHORIZATION, format!("Bearer {secret}"))
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from(body.to_owned()))
        .expect("a request")
}

fn with_token(path: &str, secret: &str) -> Request<Body> {
    Request::get(path)
        .header(header::AUTHORIZATION, format!("Bearer {secret}"))
        .body(Body::empty())
        .expect("a request")
}

/// Three updates to community-transport: two published (one in every language, with a
/// headline that is markup-like text), one draft.
fn updates() -> Value {
    json!({"updates": [
        {"id": "closed", "stage": "closed", "date": "2026-10-01", "published": true,
         "headline": {"en": "The survey has closed", "gd": "Tha an suirbhidh dùinte", "ar": "أُغلق الاستبيان"},
         "body": "Thank you to the 412 people who answered.\n\nWe are reading every answer."},
        {"id": "what_we_did", "stage": "what_we_did", "date": "2026-11-20", "published": true,
         "headline": "Buses <after> 6pm & at weekends",
         "body": {"en": "Here is what changed.", "gd": "Seo na dh'atharraich."},
         "link": "https://example.org/report.pdf",
         "you_said_we_did": [
            {"you_said": {"en": "The last bus is too early", "gd": "Tha am bus mu dheireadh ro thràth"},
             "we_did": {"en": "A later bus runs from January", "gd": "Bidh bus nas anmoiche ann bhon Fhaoilleach"}}
         ]},
        {"id": "draft", "stage": "what_we_did", "date": "2026-12-01",
         "headline": "Not ready yet", "body": "Secret plans."}
    ]})
}

const ADMIN_OUTCOMES: &str = "/api/admin/surveys/community-transport/outcomes";
const PUBLIC_OUTCOMES: &str = "/api/surveys/community-transport/outcomes";

#[tokio::test]
async fn staff_write_updates_and_the_public_reads_only_what_is_published() {
    let h = Harness::new(Config::default());
    let admin = add_token(&h, "comms", Role::Admin);
    let analyst = add_token(&h, "analysis", Role::Analyst);

    // Before any: an empty list, not an error.
    let none = call(h.app(), get(PUBLIC_OUTCOMES)).await;
    assert_eq!(none.status, StatusCode::OK);
    assert_eq!(none.json(), json!({"updates": []}));

    let refused = call(
        h.app(),
        put(ADMIN_OUTCOMES, &analyst, &updates().to_string()),
    )
    .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);

    let written = call(h.app(), put(ADMIN_OUTCOMES, &admin, &updates().to_string())).await;
    assert_eq!(written.status, StatusCode::OK, "{}", written.text());
    assert_eq!(written.json(), json!({"updates": 3, "published": 2}));

    // Staff (analysts too) read all of them, drafts included.
    let all = call(h.app(), with_token(ADMIN_OUTCOMES, &analyst)).await;
    assert_eq!(all.json()["updates"].as_array().map(Vec::len), Some(3));

    let public = call(h.app(), get(PUBLIC_OUTCOMES)).await;
    assert_eq!(public.status, StatusCode::OK);
    let ids: Vec<String> = public.json()["updates"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u["id"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(ids, ["closed", "what_we_did"]);
    assert!(!public.text().contains("Secret plans"));
    assert_eq!(public.header("cache-control"), Some("public, max-age=60"));

    // Cacheable: the same tag gets 304, and a change gets a new tag.
    let etag = public.header("etag").expect("an ETag").to_owned();
    let again = call(
        h.app(),
        Request::get(PUBLIC_OUTCOMES)
            .header(header::IF_NONE_MATCH, &etag)
            .body(Body::empty())
            .unwrap(),
    )
    .await;
    assert_eq!(again.status, StatusCode::NOT_MODIFIED);

    // CORS like the survey: a partner's page may read it.
    let partner = call(
        h.app(),
        Request::get(PUBLIC_OUTCOMES)
            .header(header::ORIGIN, "https://carers.example.org")
            .body(Body::empty())
            .unwrap(),
    )
    .await;
    assert_eq!(
        partner.header("access-control-allow-origin"),
        Some("https://carers.example.org")
    );

    let mut changed = updates();
    changed["updates"][2]["published"] = json!(true);
    let written = call(h.app(), put(ADMIN_OUTCOMES, &admin, &changed.to_string())).await;
    assert_eq!(written.json(), json!({"updates": 3, "published": 3}));
    let public = call(h.app(), get(PUBLIC_OUTCOMES)).await;
    assert_ne!(public.header("etag"), Some(etag.as_str()));
    assert!(public.text().contains("Secret plans"));

    // Each change is in the audit log, with who made it.
    let audit = h.store.audit(10).unwrap();
    let changes: Vec<(&str, &AuditEvent)> = audit
        .iter()
        .filter(|e| matches!(e.event, AuditEvent::UpdatesChanged { .. }))
        .map(|e| (e.actor.as_str(), &e.event))
        .collect();
    assert_eq!(changes.len(), 2);
    assert_eq!(changes[0].0, "comms");
    assert_eq!(
        changes[0].1,
        &AuditEvent::UpdatesChanged {
            survey: TRANSPORT.to_owned(),
            updates: 3,
            published: 3
        }
    );
}

#[tokio::test]
async fn updates_that_break_the_rules_are_refused_with_every_problem_and_change_nothing() {
    let h = Harness::new(Config::default());
    let admin = add_token(&h, "comms", Role::Admin);
    call(h.app(), put(ADMIN_OUTCOMES, &admin, &updates().to_string())).await;
    let bad = json!({"updates": [
        {"id": "x", "stage": "finished", "date": "2026-13-01", "published": true,
         "headline": {"en": "Fine", "pl": "Dobrze"}, "body": "B",
         "you_said_we_did": [{"you_said": "S", "we_did": "D"}]}
    ]});
    let refused = call(h.app(), put(ADMIN_OUTCOMES, &admin, &bad.to_string())).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    let body = refused.json();
    assert_eq!(body["error"], "invalid_updates");
    let paths: Vec<&str> = body["details"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["path"].as_str().unwrap())
        .collect();
    assert_eq!(
        paths,
        [
            "updates[0].stage",
            "updates[0].date",
            "updates[0].headline.pl",
        ],
        "{body}"
    );
    let broken = call(h.app(), put(ADMIN_OUTCOMES, &admin, "{\"updates\": [")).await;
    assert_eq!(broken.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        broken.json()["message"]
            .as_str()
            .unwrap()
            .contains("not valid JSON")
    );
    // Nothing changed.
    let public = call(h.app(), get(PUBLIC_OUTCOMES)).await;
    assert_eq!(public.json()["updates"].as_array().map(Vec::len), Some(2));
    // A survey that does not exist has no updates to write.
    let missing = call(
        h.app(),
        put(
            "/api/admin/surveys/nope/outcomes",
            &admin,
            &updates().to_string(),
        ),
    )
    .await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn the_feed_carries_each_published_update_once_and_a_feed_reader_reads_it() {
    let h = Harness::new(Config::default());
    let admin = add_token(&h, "comms", Role::Admin);
    call(h.app(), put(ADMIN_OUTCOMES, &admin, &updates().to_string())).await;

    let reply = call(
        h.app(),
        Request::get("/s/community-transport/updates.atom")
            .header(header::HOST, "surveys.example.org")
            .body(Body::empty())
            .unwrap(),
    )
    .await;
    assert_eq!(reply.status, StatusCode::OK);
    assert_eq!(
        reply.header("content-type"),
        Some("application/atom+xml; charset=utf-8")
    );
    let feed = feed_rs::parser::parse(reply.body.as_ref()).expect("a feed a reader can parse");
    assert_eq!(feed.feed_type, feed_rs::model::FeedType::Atom);
    assert_eq!(
        feed.title.map(|t| t.content),
        Some("Updates: Getting to appointments".to_owned())
    );
    let titles: Vec<String> = feed
        .entries
        .iter()
        .map(|e| e.title.clone().unwrap().content)
        .collect();
    // Newest first, each published one once, the draft not at all; text that looks like
    // markup comes back as the same text.
    assert_eq!(
        titles,
        ["Buses <after> 6pm & at weekends", "The survey has closed"]
    );
    let ids: std::collections::BTreeSet<&str> =
        feed.entries.iter().map(|e| e.id.as_str()).collect();
    assert_eq!(ids.len(), 2);
    assert!(ids.iter().all(|id| id.starts_with("urn:uuid:")), "{ids:?}");
    // The same ids whatever address the feed was fetched at.
    let elsewhere = call(
        h.app(),
        Request::get("/s/community-transport/updates.atom")
            .header(header::HOST, "127.0.0.1:8080")
            .body(Body::empty())
            .unwrap(),
    )
    .await;
    let again = feed_rs::parser::parse(elsewhere.body.as_ref()).unwrap();
    let again: std::collections::BTreeSet<&str> =
        again.entries.iter().map(|e| e.id.as_str()).collect();
    assert_eq!(again, ids);
    let first = &feed.entries[0];
    assert_eq!(
        first
            .links
            .iter()
            .map(|l| l.href.as_str())
            .collect::<Vec<_>>(),
        [
            "http://surveys.example.org/s/community-transport/updates#update-what_we_did",
            "https://example.org/report.pdf"
        ]
    );
    let content = first.content.as_ref().and_then(|c| c.body.clone()).unwrap();
    assert!(
        content.contains("A later bus runs from January"),
        "{content}"
    );
    assert!(content.contains("Read the full report"), "{content}");

    // In Gaelic on request, with the English where an update has no Gaelic.
    let gaelic = call(h.app(), get("/s/community-transport/updates.atom?lang=gd")).await;
    let feed = feed_rs::parser::parse(gaelic.body.as_ref()).unwrap();
    let titles: Vec<String> = feed
        .entries
        .iter()
        .map(|e| e.title.clone().unwrap().content)
        .collect();
    assert_eq!(
        titles,
        ["Buses <after> 6pm & at weekends", "Tha an suirbhidh dùinte"]
    );
    let content = feed.entries[0]
        .content
        .as_ref()
        .and_then(|c| c.body.clone())
        .unwrap();
    assert!(content.contains("Bidh bus nas anmoiche ann"), "{content}");

    let missing = call(h.app(), get("/s/nope/updates.atom")).await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn the_hosted_page_shows_the_published_updates_in_the_readers_language() {
    let h = Harness::new(Config::default());
    let admin = add_token(&h, "comms", Role::Admin);
    let empty = call(h.app(), get("/s/community-transport/updates")).await;
    assert_eq!(empty.status, StatusCode::OK);
    assert!(empty.text().contains("There are no updates yet."));

    call(h.app(), put(ADMIN_OUTCOMES, &admin, &updates().to_string())).await;
    let page = call(h.app(), get("/s/community-transport/updates")).await;
    let html = page.text();
    assert!(html.contains("<h1"), "{html}");
    assert!(html.contains("The survey has closed"));
    assert!(html.contains("Buses &lt;after&gt; 6pm &amp; at weekends"));
    assert!(html.contains("<time datetime=\"2026-11-20\">20 November 2026</time>"));
    assert!(html.contains("A later bus runs from January"));
    assert!(!html.contains("Secret plans"));
    assert!(html.contains("href=\"/s/community-transport/updates.atom?lang=en\""));
    assert_eq!(page.header("vary"), Some("Accept-Language"));
    // The newest first.
    assert!(html.find("Buses &lt;after").unwrap() < html.find("The survey has closed").unwrap());

    let gaelic = call(
        h.app(),
        Request::get("/s/community-transport/updates")
            .header(header::ACCEPT_LANGUAGE, "gd, en;q=0.5")
            .body(Body::empty())
            .unwrap(),
    )
    .await;
    let html = gaelic.text();
    assert!(html.contains("<html lang=\"gd\""), "{html}");
    assert!(html.contains("Tha an suirbhidh dùinte"));
    assert!(html.contains("20 Samhain 2026"));
    let arabic = call(h.app(), get("/s/community-transport/updates?lang=ar")).await;
    let html = arabic.text();
    assert!(html.contains("<html lang=\"ar\" dir=\"rtl\""), "{html}");
    assert!(html.contains("أُغلق الاستبيان"));

    let missing = call(h.app(), get("/s/nope/updates")).await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn updates_are_kept_through_a_restart_and_a_new_version_must_still_fit_them() {
    let h = Harness::new(Config::default());
    let admin = add_token(&h, "comms", Role::Admin);
    call(h.app(), put(ADMIN_OUTCOMES, &admin, &updates().to_string())).await;

    // What a restarted collector loads from the same store.
    let catalog = Catalog::load(h.store.as_ref()).expect("the store loads");
    let restarted = AppState::new(
        Config::default(),
        Arc::clone(&h.store),
        catalog,
        Default::default(),
    );
    let public = call(voices_collector::app(restarted), get(PUBLIC_OUTCOMES)).await;
    assert_eq!(public.json()["updates"].as_array().map(Vec::len), Some(2));

    // A version without Gaelic would leave Gaelic updates behind: refused, saying why.
    let mut definition: Value =
        serde_json::from_str(&std::fs::read_to_string(common::example_file(TRANSPORT)).unwrap())
            .unwrap();
    definition["version"] = json!(definition["version"].as_u64().unwrap() + 1);
    definition["locales"] = json!(["en", "ur", "ar"]);
    strip_locale(&mut definition, "gd");
    let refused = call(
        h.app(),
        put(
            "/api/admin/surveys/community-transport",
            &admin,
            &definition.to_string(),
        ),
    )
    .await;
    assert_eq!(
        refused.status,
        StatusCode::BAD_REQUEST,
        "{}",
        refused.text()
    );
    assert!(
        refused.json()["message"]
            .as_str()
            .unwrap()
            .contains("updates[0].headline.gd"),
        "{}",
        refused.text()
    );
    // The command line (`survey publish`, `serve --surveys`) publishes through the catalog
    // too, and is refused the same way.
    let survey = voices_shared::Survey::from_value(&definition).unwrap();
    let error = h
        .state
        .catalog()
        .publish(h.store.as_ref(), survey)
        .expect_err("a version that drops Gaelic is refused");
    assert!(
        error
            .to_string()
            .contains("does not fit the survey's updates"),
        "{error}"
    );
    assert_eq!(
        h.state
            .catalog()
            .latest(TRANSPORT)
            .unwrap()
            .survey
            .version(),
        definition["version"].as_u64().unwrap() as u32 - 1
    );
}

/// Removes every `locale` translation from a definition.
fn strip_locale(value: &mut Value, locale: &str) {
    match value {
        Value::Object(map) => {
            map.remove(locale);
            map.values_mut().for_each(|v| strip_locale(v, locale));
        }
        Value::Array(items) => items.iter_mut().for_each(|v| strip_locale(v, locale)),
        _ => {}
    }
}

#[tokio::test]
async fn the_survey_page_links_to_its_updates_and_a_closed_one_shows_them_without_javascript() {
    let h = Harness::new(Config::default());
    let admin = add_token(&h, "comms", Role::Admin);
    let start = call(h.app(), get("/s/community-transport")).await.text();
    assert!(!start.contains("/s/community-transport/updates"), "{start}");

    call(h.app(), put(ADMIN_OUTCOMES, &admin, &updates().to_string())).await;
    let start = call(h.app(), get("/s/community-transport?lang=gd"))
        .await
        .text();
    assert!(
        start.contains("href=\"/s/community-transport/updates?lang=gd\""),
        "{start}"
    );
    assert!(start.contains("Leugh na naidheachdan mun t-suirbhidh seo"));

    // The same survey, closed: its latest update and "what we did" under the notice.
    let mut definition: Value =
        serde_json::from_str(&std::fs::read_to_string(common::example_file(TRANSPORT)).unwrap())
            .unwrap();
    definition["version"] = json!(definition["version"].as_u64().unwrap() + 1);
    definition["closes_at"] = json!("2026-01-31T17:00:00Z");
    h.publish(definition);
    let closed = call(h.app(), get("/s/community-transport")).await.text();
    assert!(closed.contains("This survey has closed"), "{closed}");
    assert!(closed.contains("Buses &lt;after&gt; 6pm &amp; at weekends"));
    assert!(closed.contains("You said:"));
    assert!(closed.contains("href=\"/s/community-transport/updates?lang=en\""));
    assert!(!closed.contains("Secret plans"));
}

/// With `--public-url`, the feed links to the address people use, not to the one a proxy
/// or a tunnel asked for.
#[tokio::test]
async fn the_feed_links_to_the_public_address_when_one_is_set() {
    let h = Harness::new(Config {
        public_url: Some("https://voices.hscp.example/".into()),
        ..Config::default()
    });
    let admin = add_token(&h, "comms", Role::Admin);
    call(h.app(), put(ADMIN_OUTCOMES, &admin, &updates().to_string())).await;
    let reply = call(
        h.app(),
        Request::get("/s/community-transport/updates.atom")
            .header(header::HOST, "127.0.0.1:8080")
            .body(Body::empty())
            .unwrap(),
    )
    .await;
    let feed = feed_rs::parser::parse(reply.body.as_ref()).expect("a feed");
    assert_eq!(
        feed.entries[0].links[0].href,
        "https://voices.hscp.example/s/community-transport/updates#update-what_we_did"
    );
}
