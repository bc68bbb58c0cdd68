//! Easy Read pictures: published with their survey (from its folder, or one by one through the staff API), checked, and served from the collector's own origin.

mod common;

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use common::*;
use voices_collector::Config;
use voices_collector::store::{Role, Store};

const HELP: &str = "help-at-home";

fn put_picture(secret: &str, survey: &str, file: &str, bytes: &[u8]) -> Request<Body> {
    Request::put(format!("/api/admin/surveys/{survey}/pictures/{file}"))
        .header(header::AUTHORIZATION, format!("Bearer {secret}"))
        .body(Body::from(bytes.to_vec()))
        .unwrap()
}

/// The example survey with Easy Read pictures, published with them from its folder by the
/// command line, as `--surveys` does at start-up; then served.
#[test]
fn a_survey_s_pictures_are_published_from_its_folder_and_served_from_the_collector() {
    let data = tempfile::tempdir().unwrap();
    let data_dir = data.path().to_str().unwrap();
    let published = run(&[
        "survey",
        "publish",
        "--data",
        data_dir,
        example_file(HELP).to_str().unwrap(),
    ]);
    assert!(published.status.success(), "{}", published.stderr);

    let store = voices_collector::store::open(data.path()).unwrap();
    let survey = example_survey(HELP);
    assert!(
        survey.pictures().len() >= 10,
        "the example shows its pictures"
    );
    for picture in survey.pictures() {
        let on_disk = std::fs::read(examples_dir().join(HELP).join(picture.file())).unwrap();
        assert_eq!(
            store.picture(HELP, picture.file()).unwrap().as_deref(),
            Some(on_disk.as_slice()),
            "{}",
            picture.file()
        );
    }
}

#[tokio::test]
async fn pictures_are_served_as_what_they_are_and_run_nothing_opened_alone() {
    let h = Harness::new(Config::default());
    h.state
        .catalog()
        .publish(h.store.as_ref(), example_survey(HELP))
        .unwrap();
    let admin = add_token(&h, "admin", Role::Admin);
    let drawing = std::fs::read(examples_dir().join(HELP).join("who.svg")).unwrap();
    let stored = call(h.app(), put_picture(&admin, HELP, "who.svg", &drawing)).await;
    assert_eq!(stored.status, StatusCode::OK, "{}", stored.text());

    let served = call(h.app(), get(&format!("/s/{HELP}/pictures/who.svg"))).await;
    assert_eq!(served.status, StatusCode::OK);
    assert_eq!(served.body, drawing);
    let header = |name: &str| {
        served
            .headers
            .get(name)
            .map(|v| v.to_str().unwrap().to_owned())
    };
    assert_eq!(header("content-type").as_deref(), Some("image/svg+xml"));
    assert!(
        header("content-security-policy")
            .unwrap()
            .contains("sandbox")
    );
    assert_eq!(header("x-content-type-options").as_deref(), Some("nosniff"));
    assert_eq!(
        header("cross-origin-resource-policy").as_deref(),
        Some("cross-origin")
    );

    // Not published yet, not a picture's name, no such survey: not found, all alike.
    for path in [
        format!("/s/{HELP}/pictures/carer.svg"),
        format!("/s/{HELP}/pictures/..%2Fsecret.svg"),
        format!("/s/{HELP}/pictures/WHO.SVG"),
        "/s/no-such-survey/pictures/who.svg".to_owned(),
    ] {
        assert_eq!(
            call(h.app(), get(&path)).await.status,
            StatusCode::NOT_FOUND,
            "{path}"
        );
    }
}

#[tokio::test]
async fn the_staff_api_refuses_a_picture_the_survey_does_not_show_or_that_is_not_a_drawing() {
    let h = Harness::new(Config::default());
    h.state
        .catalog()
        .publish(h.store.as_ref(), example_survey(HELP))
        .unwrap();
    let admin = add_token(&h, "admin", Role::Admin);
    let analyst = add_token(&h, "analyst", Role::Analyst);
    let svg = b"<svg xmlns=\"http://www.w3.org/2000/svg\"><circle r=\"3\"/></svg>";

    let refused = |reply: &Reply, says: &str| {
        assert_eq!(reply.status, StatusCode::BAD_REQUEST, "{}", reply.text());
        assert!(reply.text().contains(says), "{}", reply.text());
    };
    refused(
        &call(h.app(), put_picture(&admin, HELP, "unused.svg", svg)).await,
        "shows no picture called \\\"unused.svg\\\"",
    );
    refused(
        &call(h.app(), put_picture(&admin, HELP, "Who.svg", svg)).await,
        "is not a picture's file name",
    );
    refused(
        &call(
            h.app(),
            put_picture(
                &admin,
                HELP,
                "who.svg",
                b"<svg xmlns=\"http://www.w3.org/2000/svg\"><script>alert(1)</script></svg>",
            ),
        )
        .await,
        "is an SVG with <script> in it",
    );
    refused(
        &call(h.app(), put_picture(&admin, HELP, "who.svg", b"GIF89a")).await,
        "not an SVG",
    );
    let not_admin = call(h.app(), put_picture(&analyst, HELP, "who.svg", svg)).await;
    assert_eq!(not_admin.status, StatusCode::FORBIDDEN);
    let no_survey = call(
        h.app(),
        put_picture(&admin, "no-such-survey", "who.svg", svg),
    )
    .await;
    assert_eq!(no_survey.status, StatusCode::NOT_FOUND);
    assert_eq!(
        h.store.picture(HELP, "who.svg").unwrap(),
        None,
        "nothing refused is kept"
    );
}

/// `survey check` says which pictures are missing or unfit, and where they should be.
#[test]
fn survey_check_says_which_pictures_are_missing_or_not_drawings() {
    let dir = tempfile::tempdir().unwrap();
    let definition = dir.path().join("help-at-home.json");
    std::fs::copy(example_file(HELP), &definition).unwrap();
    let folder = dir.path().join(HELP);
    std::fs::create_dir(&folder).unwrap();
    for entry in std::fs::read_dir(examples_dir().join(HELP)).unwrap() {
        let entry = entry.unwrap();
        std::fs::copy(entry.path(), folder.join(entry.file_name())).unwrap();
    }
    let checked = run(&["survey", "check", definition.to_str().unwrap()]);
    assert!(checked.status.success(), "{}", checked.stderr);

    std::fs::remove_file(folder.join("carer.svg")).unwrap();
    std::fs::write(
        folder.join("who.svg"),
        "<svg xmlns=\"http://www.w3.org/2000/svg\" onload=\"alert(1)\"/>",
    )
    .unwrap();
    let checked = run(&["survey", "check", definition.to_str().unwrap()]);
    assert_eq!(checked.status.code(), Some(1));
    let said = &checked.stderr;
    assert!(
        said.contains("carer.svg: cannot read this picture"),
        "{said}"
    );
    assert!(
        said.contains("who.svg: is an SVG with the attribute onload in it"),
        "{said}"
    );
}
