//! What a person's browser gets where a script gets JSON: the collector's home page, a
//! page for an address with nothing at it, and the survey's staff page again (its problem
//! marked at its field) when a download is refused.

mod common;

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use common::{ENGAGEMENT, Harness, add_token, call};
use voices_collector::Config;
use voices_collector::store::Role;

const BROWSER: &str = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8";

fn from_browser(path: &str, token: Option<&str>) -> Request<Body> {
    let mut request = Request::get(path).header(header::ACCEPT, BROWSER);
    if let Some(token) = token {
        request = request.header(header::AUTHORIZATION, format!("Bearer {token}"));
    }
    request.body(Body::empty()).unwrap()
}

#[tokio::test]
async fn the_home_page_says_what_this_server_is_and_where_to_go() {
    let h = Harness::new(Config::default());
    let home = call(h.app(), from_browser("/", None)).await;
    assert_eq!(home.status, StatusCode::OK);
    assert!(
        home.header("content-type")
            .unwrap()
            .starts_with("text/html")
    );
    let html = home.text();
    assert!(html.contains("<h1>Voices survey collector</h1>"), "{html}");
    assert!(
        html.contains(
            r#"<a href="/s/engagement-2026" lang="en">Have your say on how we involve you</a>"#
        ),
        "{html}"
    );
    assert!(html.contains(r#"<a href="/admin">"#), "{html}");
}

#[tokio::test]
async fn an_address_with_nothing_at_it_is_a_page_for_browsers_and_json_for_scripts() {
    let h = Harness::new(Config::default());
    let page = call(h.app(), from_browser("/surveys/old-link", None)).await;
    assert_eq!(page.status, StatusCode::NOT_FOUND);
    let html = page.text();
    assert!(
        html.contains("<h1>Page not found</h1>") && html.contains("/surveys/old-link"),
        "{html}"
    );
    let script = call(h.app(), common::get("/surveys/old-link")).await;
    assert_eq!(script.status, StatusCode::NOT_FOUND);
    assert_eq!(script.json()["error"], "not_found");
    // Under /api/ a browser gets JSON too: it is the API.
    let api = call(h.app(), from_browser("/api/nothing", None)).await;
    assert_eq!(api.json()["error"], "not_found");
}

#[tokio::test]
async fn a_refused_download_shows_the_survey_page_again_with_the_problem_at_its_field() {
    let h = Harness::new(Config::default());
    let token = add_token(&h, "analysis", Role::Analyst);
    let path = format!(
        "/api/admin/surveys/{ENGAGEMENT}/responses?format=xlsx&from=2026-03-31&to=2026-03-01&labels=true"
    );
    let page = call(h.app(), from_browser(&path, Some(&token))).await;
    assert_eq!(page.status, StatusCode::BAD_REQUEST);
    assert!(
        page.header("content-type")
            .unwrap()
            .starts_with("text/html")
    );
    let html = page.text();
    assert!(
        html.contains("<title>Error: Have your say on how we involve you"),
        "{html}"
    );
    assert!(html.contains("There is a problem"), "{html}");
    assert!(
        html.contains(
            r##"<a href="#from">The From date must be the same as or before the To date</a>"##
        ),
        "{html}"
    );
    // What was sent is still there, and the field says what is wrong with it.
    assert!(
        html.contains(r#"value="2026-03-31""#) && html.contains(r#"value="2026-03-01""#),
        "{html}"
    );
    assert!(html.contains(r#"id="from" type="date" name="from" value="2026-03-31" aria-invalid="true" aria-describedby="from-hint from-error""#), "{html}");
    assert!(
        html.contains(r#"id="format-xlsx" value="xlsx" checked"#),
        "{html}"
    );
    // A script gets the API's answer.
    let script = call(
        h.app(),
        Request::get(&path)
            .header(header::AUTHORIZATION, format!("Bearer {token}"))
            .body(Body::empty())
            .unwrap(),
    )
    .await;
    assert_eq!(script.status, StatusCode::BAD_REQUEST);
    assert!(
        script.json()["message"]
            .as_str()
            .unwrap()
            .contains("swap them")
    );
}
