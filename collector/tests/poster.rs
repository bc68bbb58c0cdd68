//! Posters and flyers: a QR code to the hosted page marked `channel=qr`, in any of the
//! survey's languages, at the collector's public address; and the hosted page carrying
//! that channel through its forms to the stored response, but never a staff channel.

mod common;

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use common::*;
use voices_collector::Config;
use voices_collector::store::Role;

async fn poster(h: &Harness, secret: &str, query: &str, host: &str) -> Reply {
    let request = Request::get(format!("/admin/surveys/{TRANSPORT}/poster{query}"))
        .header(header::AUTHORIZATION, format!("Bearer {secret}"))
        .header(header::HOST, host)
        .body(Body::empty())
        .unwrap();
    call(h.app(), request).await
}

#[tokio::test]
async fn the_poster_s_code_opens_the_survey_marked_as_come_from_a_qr_code() {
    let h = Harness::new(Config::default());
    let analyst = add_token(&h, "reader", Role::Analyst);
    let page = poster(&h, &analyst, "", "voices.example.org").await;
    assert_eq!(page.status, StatusCode::OK);
    let text = page.text();
    assert!(
        text.contains(
            r#"aria-label="QR code: http://voices.example.org/s/community-transport?channel=qr""#
        ),
        "{text}"
    );
    assert!(
        text.contains("<svg aria-hidden=\"true\" focusable=\"false\""),
        "{text}"
    );
    assert!(!text.contains("<?xml"), "{text}");
    assert!(
        text.contains("voices.example.org/s/community-transport</span>"),
        "{text}"
    );
    assert!(text.contains("Have your say"), "{text}");

    // In Arabic: right to left, its own words, and the code opens the Arabic survey.
    let arabic = poster(&h, &analyst, "?lang=ar&size=flyer", "voices.example.org")
        .await
        .text();
    assert!(arabic.contains(r#"lang="ar" dir="rtl""#), "{arabic}");
    assert!(arabic.contains("شارك برأيك"), "{arabic}");
    assert!(arabic.contains("class=\"poster flyer\""), "{arabic}");
    assert!(
        arabic.contains("s/community-transport?lang=ar&amp;channel=qr"),
        "{arabic}"
    );
    // A language the survey does not offer is shown as its first.
    let other = poster(&h, &analyst, "?lang=xx", "voices.example.org")
        .await
        .text();
    assert!(other.contains(r#"lang="en" dir="ltr""#), "{other}");
    // Without --public-url, staff are told which address is printed.
    assert!(
        text.contains("The address on the poster is the one you opened this page at: <strong>http://voices.example.org</strong>"),
        "{text}"
    );
}

#[tokio::test]
async fn words_a_language_lacks_are_english_and_marked_so() {
    let h = Harness::new(Config::default());
    let mut survey = small_survey("welsh", 1, serde_json::json!({}));
    survey["locales"] = serde_json::json!(["en", "cy"]);
    survey["title"] = serde_json::json!({"en": "A small poll", "cy": "Arolwg bach"});
    survey["privacy"] =
        serde_json::json!({"text": {"en": "Kept for a month.", "cy": "Yn cael ei gadw am fis."}});
    survey["pages"][0]["questions"][0]["label"] =
        serde_json::json!({"en": "Which colour?", "cy": "Pa liw?"});
    h.publish(survey);
    let analyst = add_token(&h, "reader", Role::Analyst);
    let request = Request::get("/admin/surveys/welsh/poster?lang=cy")
        .header(header::AUTHORIZATION, format!("Bearer {analyst}"))
        .body(Body::empty())
        .unwrap();
    let text = call(h.app(), request).await.text();
    assert!(text.contains(r#"lang="cy" dir="ltr""#), "{text}");
    assert!(text.contains("Arolwg bach"), "{text}");
    assert!(
        text.contains(r#"<span lang="en" dir="ltr">Have your say</span>"#),
        "{text}"
    );
    // The paper version does the same.
    let paper = call(h.app(), get("/s/welsh/print?lang=cy")).await.text();
    assert!(paper.contains("Pa liw?"), "{paper}");
    assert!(
        paper.contains(r#"<span lang="en" dir="ltr">Tick one box.</span>"#),
        "{paper}"
    );
}

#[test]
fn a_public_address_that_is_not_one_stops_the_collector_at_start_up() {
    let dir = tempfile::tempdir().unwrap();
    let out = run(&[
        "serve",
        "--addr",
        "127.0.0.1:0",
        "--data",
        dir.path().to_str().unwrap(),
        "--public-url",
        "voices.hscp.example",
    ]);
    assert_eq!(out.status.code(), Some(1), "{}", out.stderr);
    assert!(
        out.stderr
            .contains("--public-url \"voices.hscp.example\" is not a web address"),
        "{}",
        out.stderr
    );
}

#[tokio::test]
async fn a_public_address_set_for_the_collector_is_the_one_printed() {
    let h = Harness::new(Config {
        public_url: Some("https://voices.hscp.example/".into()),
        ..Config::default()
    });
    let analyst = add_token(&h, "reader", Role::Analyst);
    let text = poster(&h, &analyst, "", "127.0.0.1:8080").await.text();
    assert!(
        text.contains("QR code: https://voices.hscp.example/s/community-transport?channel=qr"),
        "{text}"
    );
    assert!(!text.contains("127.0.0.1"), "{text}");
}

/// The hosted page's hidden field, as JSON.
fn carried(page: &str) -> serde_json::Value {
    let at = page
        .find("name=\"voices-state\"")
        .expect("a hidden state field");
    let value = &page[page[..at].rfind("<input").unwrap()..];
    let start = value.find("value=\"").unwrap() + "value=\"".len();
    let end = start + value[start..].find('"').unwrap();
    let json = value[start..end]
        .replace("&quot;", "\"")
        .replace("&amp;", "&")
        .replace("&lt;", "<")
        .replace("&gt;", ">");
    serde_json::from_str(&json).unwrap()
}

#[tokio::test]
async fn the_hosted_page_carries_a_qr_code_s_channel_but_not_a_staff_one() {
    let h = Harness::new(Config::default());
    let from_code = call(h.app(), get(&format!("/s/{TRANSPORT}?channel=qr")))
        .await
        .text();
    assert_eq!(carried(&from_code)["channel"], "qr");
    // And the element, for the widget when it starts afresh.
    assert!(
        from_code.contains("whole-page channel=\"qr\">"),
        "{from_code}"
    );
    let claimed = call(
        h.app(),
        get(&format!("/s/{TRANSPORT}?channel=face_to_face")),
    )
    .await
    .text();
    assert!(
        carried(&claimed).get("channel").is_none(),
        "online is not written"
    );
    assert!(!claimed.contains("channel=\""), "{claimed}");
    // A partner page's first screen, for an element that names a channel, likewise.
    let first = |channel: &str| {
        let path = format!("/api/surveys/{TRANSPORT}/first-screen?channel={channel}");
        let app = h.app();
        async move { call(app, get(&path)).await.text() }
    };
    assert_eq!(carried(&first("qr").await)["channel"], "qr");
    assert!(carried(&first("paper").await).get("channel").is_none());
}
