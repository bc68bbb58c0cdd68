//! The area's figures a survey's reach is compared with: read against the survey with
//! every problem at its row and column, loaded by an admin only, and on disk before 200.

mod common;

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use common::*;
use serde_json::json;
use voices_collector::Config;
use voices_collector::population::Population;
use voices_collector::store::Role;

fn survey_value() -> serde_json::Value {
    let mut definition = small_survey("reach", 1, json!({}));
    definition["pages"]
        .as_array_mut()
        .unwrap()
        .push(json!({"id": "about_you", "include": "equality/scotland-2026"}));
    definition
}

fn survey() -> voices_shared::Survey {
    voices_shared::Survey::from_value(&survey_value()).unwrap()
}

#[test]
fn figures_are_read_against_the_survey() {
    let population = Population::read(
        "\u{feff}question,answer,people\nage,16_24,1500\nage,25_34+35_49,4000\ncolour,red,10\n",
        &survey(),
    )
    .unwrap();
    assert_eq!(population.questions(), ["age", "colour"]);
    assert_eq!(population.groups[1].answers, ["25_34", "35_49"]);
    assert_eq!(population.groups[1].people, 4000);
}

#[test]
fn every_problem_is_named_with_its_row_and_column() {
    let problems = Population::read(
        "question,answer,people\nage,16-24,1500\nwho,x,3\nage,prefer_not_to_say,2\nage,25_34,many\nage,16_24+16_24,5\nsexual_orientation_other,x,1\n",
        &survey(),
    )
    .unwrap_err();
    assert_eq!(
        problems,
        [
            "row 2, answer: \"16-24\" is not an answer to \"age\"; its answers are under_16, 16_24, 25_34, 35_49, 50_64, 65_74, 75_plus, prefer_not_to_say",
            "row 3, question: the survey has no question \"who\"",
            "row 4, answer: \"prefer_not_to_say\" is not a group of the area's people",
            "row 5, people: must be a whole number of people, not \"many\"",
            "row 6, answer: \"16_24\" is in this row twice",
            "row 7, question: \"sexual_orientation_other\" is not a single choice or a rating, so it does not split people into groups",
        ]
    );
    assert_eq!(
        Population::read("area,group,n\n", &survey()).unwrap_err(),
        ["row 1: the columns must be question,answer,people, not area,group,n"]
    );
    assert_eq!(
        Population::read("question,answer,people\n", &survey()).unwrap_err(),
        ["the file has no rows of figures under its header"]
    );
}

#[tokio::test]
async fn an_admin_loads_the_figures_and_an_analyst_cannot() {
    let h = Harness::new(Config::default());
    let mut definition = small_survey("reach", 1, json!({}));
    definition["pages"]
        .as_array_mut()
        .unwrap()
        .push(json!({"id": "about_you", "include": "equality/scotland-2026"}));
    h.publish(definition);
    let put = |secret: String, body: &'static str| {
        Request::put("/api/admin/surveys/reach/population")
            .header(header::AUTHORIZATION, format!("Bearer {secret}"))
            .header(header::CONTENT_TYPE, "text/csv")
            .body(Body::from(body))
            .unwrap()
    };
    let analyst = add_token(&h, "reader", Role::Analyst);
    let refused = call(
        h.app(),
        put(analyst, "question,answer,people\nage,16_24,1\n"),
    )
    .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    assert_eq!(h.store.population("reach").unwrap(), None);

    let admin = add_token(&h, "owner", Role::Admin);
    let bad = call(
        h.app(),
        put(admin.clone(), "question,answer,people\nage,old,1\n"),
    )
    .await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    assert!(
        bad.text().contains("row 2, answer: \\\"old\\\""),
        "{}",
        bad.text()
    );
    assert_eq!(h.store.population("reach").unwrap(), None);

    let csv = "question,answer,people\nage,16_24,1500\nage,25_34,1500\n";
    let loaded = call(h.app(), put(admin, csv)).await;
    assert_eq!(loaded.status, StatusCode::OK, "{}", loaded.text());
    assert_eq!(loaded.json(), json!({"groups": 2, "questions": ["age"]}));
    assert_eq!(h.store.population("reach").unwrap().as_deref(), Some(csv));
}

/// The same through the staff page's form, a file upload: each problem at the field.
#[tokio::test]
async fn the_figures_load_from_a_file_on_their_page() {
    let h = Harness::new(Config::default());
    h.publish(survey_value());
    let upload = |secret: &str, csv: &str| {
        let body = format!(
            "--XyZ\r\nContent-Disposition: form-data; name=\"figures\"; filename=\"area.csv\"\r\nContent-Type: text/csv\r\n\r\n{csv}\r\n--XyZ--\r\n"
        );
        Request::post("/admin/surveys/reach/population")
            .header(header::AUTHORIZATION, format!("Bearer {secret}"))
            .header(header::CONTENT_TYPE, "multipart/form-data; boundary=XyZ")
            .body(Body::from(body))
            .unwrap()
    };
    let analyst = add_token(&h, "reader", Role::Analyst);
    let refused = call(
        h.app(),
        upload(&analyst, "question,answer,people\nage,16_24,1\n"),
    )
    .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);

    let admin = add_token(&h, "owner", Role::Admin);
    let bad = call(
        h.app(),
        upload(&admin, "question,answer,people\nage,old,1\nwho,x,2\n"),
    )
    .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    let text = bad.text();
    assert!(
        text.contains(r##"<a href="#figures">row 2, answer: &quot;old&quot;"##),
        "{text}"
    );
    assert!(
        text.contains(
            r##"<a href="#figures">row 3, question: the survey has no question &quot;who&quot;"##
        ),
        "{text}"
    );
    assert!(
        text.contains(r#"aria-describedby="figures-hint figures-error-0 figures-error-1""#),
        "{text}"
    );
    assert_eq!(h.store.population("reach").unwrap(), None);

    let empty = call(h.app(), upload(&admin, "")).await;
    assert_eq!(empty.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        empty
            .text()
            .contains("Choose a CSV file of the area's figures"),
        "{}",
        empty.text()
    );

    let csv = "question,answer,people\nage,16_24,1500\nage,25_34,1500";
    let loaded = call(h.app(), upload(&admin, csv)).await;
    assert_eq!(loaded.status, StatusCode::OK, "{}", loaded.text());
    assert!(
        loaded.text().contains("Loaded 2 groups of age."),
        "{}",
        loaded.text()
    );
    assert_eq!(h.store.population("reach").unwrap().as_deref(), Some(csv));
    // The audit log says who loaded them.
    let audit = h.store.audit(10).unwrap();
    assert!(
        audit
            .iter()
            .any(|e| e.actor == "owner" && format!("{:?}", e.event).contains("PopulationLoaded")),
        "{audit:?}"
    );
}

#[test]
fn more_people_than_any_area_holds_is_a_slip() {
    let problems = Population::read(
        "question,answer,people\nage,16_24,1000000000000\n",
        &survey(),
    )
    .unwrap_err();
    assert_eq!(
        problems,
        ["row 2, people: 1000000000000 is more people than any area holds (at most 100000000)"]
    );
}

#[tokio::test]
async fn the_page_says_what_is_wrong_with_a_margin_and_with_figures_that_no_longer_fit() {
    let h = Harness::new(Config::default());
    h.publish(small_survey("reach", 1, json!({})));
    let admin = add_token(&h, "owner", Role::Admin);
    let bearer = format!("Bearer {admin}");
    let load = Request::put("/api/admin/surveys/reach/population")
        .header(header::AUTHORIZATION, &bearer)
        .body(Body::from(
            "question,answer,people\ncolour,red,60\ncolour,blue,40\n",
        ))
        .unwrap();
    assert_eq!(call(h.app(), load).await.status, StatusCode::OK);
    // The audit log says who loaded them.
    let audit = h.store.audit(10).unwrap();
    assert!(
        audit.iter().any(|e| e.actor == "owner"
            && matches!(&e.event, voices_collector::store::AuditEvent::PopulationLoaded { survey, groups: 2 } if survey == "reach")),
        "{audit:?}"
    );

    let page = |query: &str| {
        Request::get(format!("/admin/surveys/reach/reach{query}"))
            .header(header::AUTHORIZATION, &bearer)
            .body(Body::empty())
            .unwrap()
    };
    let bad = call(h.app(), page("?margin=lots")).await;
    assert_eq!(bad.status, StatusCode::OK);
    let text = bad.text();
    assert!(
        text.contains("Enter the margin as a whole number of percentage points from 1 to 50"),
        "{text}"
    );
    assert!(
        text.contains(r##"href="#margin""##),
        "the error summary links to the field: {text}"
    );
    assert!(text.contains(r#"aria-invalid="true""#), "{text}");

    // Version 2 renames red: the figures no longer fit, and the page says why.
    let mut v2 = small_survey("reach", 2, json!({}));
    v2["pages"][0]["questions"][0]["options"][0] = json!({"value": "crimson", "label": "Crimson"});
    h.publish(v2);
    let text = call(h.app(), page("")).await.text();
    assert!(text.contains("no longer fit its newest version"), "{text}");
    assert!(
        text.contains("row 2, answer: &quot;red&quot; is not an answer to &quot;colour&quot;"),
        "{text}"
    );
}

/// Responses by day, newest first, small days hidden with what would give them away.
#[tokio::test]
async fn responses_by_day_hide_a_small_day() {
    use voices_collector::receipt::Receipt;
    use voices_collector::store::StoredResponse;
    let h = Harness::new(Config::default());
    h.publish(small_survey("reach", 1, json!({})));
    let survey = h.state.catalog().latest("reach").unwrap().survey.clone();
    let day = |d: u8| time::Date::from_calendar_date(2026, time::Month::November, d).unwrap();
    for (d, n) in [(2u8, 12), (3, 2), (4, 9)] {
        for _ in 0..n {
            let submission: voices_shared::Submission =
                serde_json::from_value(small_submission(1)).unwrap();
            let valid = survey.accept(submission).unwrap();
            let at = day(d).with_hms(10, 0, 0).unwrap().assume_utc();
            let response = StoredResponse::new("reach", valid, Receipt::generate(), at);
            h.store.insert_response(&response).unwrap();
        }
    }
    h.store.flush().unwrap();
    let secret = add_token(&h, "reader", Role::Analyst);
    let request = Request::get("/admin/surveys/reach/reach")
        .header(header::AUTHORIZATION, format!("Bearer {secret}"))
        .body(Body::empty())
        .unwrap();
    let text = call(h.app(), request).await.text();
    let table = &text[text.find("Responses by day, newest first").unwrap()..];
    let table = &table[..table.find("</table>").unwrap()];
    let cells: Vec<&str> = table
        .split("<tr>")
        .skip(2)
        .map(|row| {
            row.split("</th>")
                .next()
                .unwrap()
                .rsplit('>')
                .next()
                .unwrap()
        })
        .collect();
    assert_eq!(cells, ["2026-11-04", "2026-11-03", "2026-11-02"], "{table}");
    // The 3rd's 2 is hidden, and so is the 4th's 9 beside it; the 2nd's 12 shows.
    assert_eq!(table.matches(">hidden<").count(), 2, "{table}");
    assert!(table.contains(">12<"), "{table}");
}

/// Easy Read is counted as a language of its own, beside each other language the survey
/// offers, small counts hidden as everywhere on the page.
#[tokio::test]
async fn responses_by_language_count_easy_read_and_hide_a_small_language() {
    let h = Harness::new(Config::default());
    h.publish(small_survey(
        "reach",
        1,
        json!({"locales": ["en", "en-x-easy", "pl", "gd"]}),
    ));
    for (locale, n) in [("en", 14), ("en-x-easy", 13), ("pl", 12), ("gd", 2)] {
        for _ in 0..n {
            let mut submission = small_submission(1);
            submission["locale"] = json!(locale);
            let stored = call(h.app(), post_response("reach", &submission)).await;
            assert_eq!(stored.status, StatusCode::CREATED, "{}", stored.text());
        }
    }
    let secret = add_token(&h, "reader", Role::Analyst);
    let request = Request::get("/admin/surveys/reach/reach")
        .header(header::AUTHORIZATION, format!("Bearer {secret}"))
        .body(Body::empty())
        .unwrap();
    let text = call(h.app(), request).await.text();
    let table = &text[text.find("Responses by language").unwrap()..];
    let table = &table[..table.find("</table>").unwrap()];
    let rows: Vec<(&str, &str)> = table
        .split("<tr>")
        .skip(2)
        .map(|row| {
            let name = row
                .split("</th>")
                .next()
                .unwrap()
                .rsplit('>')
                .next()
                .unwrap();
            let cell = row.split("</td>").next().unwrap();
            let count = if cell.contains(">hidden<") {
                "hidden"
            } else {
                cell.rsplit('>').next().unwrap()
            };
            (name, count)
        })
        .collect();
    // Gaelic's 2 is hidden, and so is the smallest count beside it (or the total would
    // give the 2 away); English and Easy Read show.
    assert_eq!(
        rows,
        [
            ("English", "14"),
            ("Easy Read English", "13"),
            ("Polish", "hidden"),
            ("Gaelic", "hidden"),
        ],
        "{table}"
    );
}
