//! The example surveys in examples/surveys/ parse, and realistic responses to them are accepted or rejected as they should be.

mod support;

use serde_json::json;
use support::{assert_accepted, submission_with};
use voices_shared::{Channel, Submission, Survey, is_right_to_left};

const ENGAGEMENT: &str = include_str!("../../examples/surveys/engagement-2026.json");
const TRANSPORT: &str = include_str!("../../examples/surveys/community-transport.json");

fn engagement() -> Survey {
    Survey::parse(ENGAGEMENT).unwrap_or_else(|problems| panic!("engagement-2026:\n{problems}"))
}

fn transport() -> Survey {
    Survey::parse(TRANSPORT).unwrap_or_else(|problems| panic!("community-transport:\n{problems}"))
}

fn ids(survey: &Survey) -> Vec<&str> {
    survey.questions().map(|q| q.id()).collect()
}

#[test]
fn engagement_2026_parses() {
    let survey = engagement();
    assert_eq!(survey.id(), "engagement-2026");
    assert_eq!(survey.version(), 1);
    assert_eq!(survey.locales(), ["en", "pl", "ar"]);
    assert!(is_right_to_left("ar") && !is_right_to_left("pl"));
    assert_eq!(
        survey.title().get("pl"),
        "Wyraź swoją opinię o tym, jak Cię angażujemy"
    );
    assert_eq!(survey.title().get("ar"), "شاركنا رأيك في طريقة إشراكك");
    assert_eq!(survey.intro().unwrap().paragraphs("en").count(), 2);
    // Every text is written in each language offered (fallback: definition_rules.rs).
    assert_ne!(
        survey.what_happens_next().unwrap().get("ar"),
        survey.what_happens_next().unwrap().default_text()
    );
    assert_eq!(
        survey.privacy().url(),
        Some("https://partnership.example/privacy")
    );
    assert!(survey.allows_origin("https://anyone.example"));
    assert_eq!(survey.pages().len(), 4);
    assert_eq!(
        ids(&survey),
        [
            "connection",
            "locality",
            "ways",
            "face_to_face_where",
            "barriers",
            "support",
            "heard_back",
            "informed",
            "times_taken_part",
            "event_date",
            "hear_back_how",
            "comments",
            "age_band",
            "agree"
        ]
    );
    assert_eq!(
        survey
            .question("ways")
            .unwrap()
            .specify_option()
            .unwrap()
            .value(),
        "other"
    );
    assert!(
        survey
            .question("barriers")
            .unwrap()
            .option("none")
            .unwrap()
            .exclusive()
    );
    assert_eq!(survey.page_of("agree"), Some(3));
}

#[test]
fn community_transport_parses() {
    let survey = transport();
    assert_eq!(survey.id(), "community-transport");
    assert_eq!(survey.locales(), ["en", "gd", "ur", "ar"]);
    assert!(is_right_to_left("ur"));
    assert_eq!(survey.questions().count(), 11);
    assert!(!survey.question("about").unwrap().is_answerable());
    assert_eq!(
        survey.question("mode").unwrap().label().get("gd"),
        "Ciamar a ràinig thu do choinneamh mu dheireadh?"
    );
    assert_eq!(
        survey.question("mode").unwrap().label().get("ur"),
        "آپ اپنی پچھلی اپائنٹمنٹ تک کیسے پہنچے؟"
    );
    assert!(survey.pages()[2].visible_if().is_some());
}

fn full_engagement_response() -> Submission {
    let mut submission = submission_with(
        json!({
            "connection": ["carer", "other"],
            "locality": "lochee",
            "ways": ["face_to_face", "online", "other"],
            "face_to_face_where": "  The library on the high street ",
            "barriers": ["transport", "times"],
            "support": "Evening sessions, and somewhere step-free.\n\nA quiet room.",
            "heard_back": "sometimes",
            "informed": 3,
            "times_taken_part": 2,
            "event_date": "2024-03-27",
            "hear_back_how": ["email", "newsletter"],
            "comments": "Thank you for asking.",
            "age_band": "45_64",
            "agree": true
        }),
        json!({"connection": "Befriending volunteer", "ways": "At the carers centre coffee morning"}),
    );
    submission.locale = "pl".into();
    submission.channel = Channel::FaceToFace;
    submission
}

#[test]
fn a_full_response_to_engagement_2026_is_accepted() {
    let survey = engagement();
    let submission = full_engagement_response();
    let valid = survey
        .accept(submission.clone())
        .unwrap_or_else(|problems| panic!("{problems:#?}"));
    assert_eq!(
        valid.answers().len(),
        14,
        "every question is visible and answered"
    );
    assert_eq!(
        valid.answers()["face_to_face_where"],
        "The library on the high street"
    );
    assert_eq!(valid.specify().len(), 2);
    assert_eq!(valid.submission().locale, "pl");
    assert_eq!(valid.submission().channel, Channel::FaceToFace);
    assert_eq!(valid.submission_id(), submission.submission_id);
    // Each page passes the widget's check too.
    for page in 0..survey.pages().len() {
        assert!(
            survey
                .check_page(page, &submission.answers, &submission.specify)
                .is_empty(),
            "page {page}"
        );
    }
}

#[test]
fn a_short_response_to_engagement_2026_is_accepted() {
    // Only the required questions, and "nothing makes it harder" hiding "support".
    let survey = engagement();
    let answers = assert_accepted(
        &survey,
        submission_with(
            json!({
                "connection": ["resident"], "locality": "prefer_not", "ways": ["letter"], "barriers": ["none"],
                "heard_back": "not_given", "agree": true
            }),
            json!({}),
        ),
    );
    assert_eq!(answers.as_object().unwrap().len(), 6);
    let visible: Vec<&str> = {
        let answers = serde_json::from_value(answers).unwrap();
        survey
            .questions()
            .filter(|q| survey.is_question_visible(q.id(), &answers))
            .map(|q| q.id())
            .collect()
    };
    assert!(!visible.contains(&"face_to_face_where"));
    assert!(!visible.contains(&"support"));
    assert!(!visible.contains(&"informed"));
}

#[test]
fn a_realistic_invalid_response_to_engagement_2026_lists_every_problem() {
    let survey = engagement();
    let mut submission = submission_with(
        json!({
            "connection": [],
            "locality": "Lochee",
            "ways": ["phone", "other"],
            "face_to_face_where": "The library",
            "barriers": ["none", "cost"],
            "informed": 6,
            "times_taken_part": 2.5,
            "event_date": "31/02/2024",
            "hear_back_how": ["email", "email"],
            "comments": "x".repeat(2001),
            "age_band": 34,
            "agree": false,
            "email_me": "yes"
        }),
        json!({"locality": "Lochee, near the park"}),
    );
    submission.locale = "de".into();
    let problems = survey.accept(submission).unwrap_err();
    let found: Vec<(Option<&str>, &str, String)> = problems
        .iter()
        .map(|p| (p.question(), p.code(), p.path()))
        .collect();
    let expected = [
        (None, "unknown_locale", "locale"),
        (Some("email_me"), "unknown_question", "answers.email_me"),
        (Some("connection"), "required", "answers.connection"),
        (Some("locality"), "not_an_option", "answers.locality"),
        (Some("locality"), "specify_unexpected", "specify.locality"),
        (Some("ways"), "specify_missing", "specify.ways"),
        (
            Some("face_to_face_where"),
            "hidden",
            "answers.face_to_face_where",
        ),
        (Some("barriers"), "exclusive", "answers.barriers"),
        (Some("heard_back"), "required", "answers.heard_back"),
        (Some("informed"), "out_of_range", "answers.informed"),
        (
            Some("times_taken_part"),
            "not_integer",
            "answers.times_taken_part",
        ),
        (Some("event_date"), "bad_date", "answers.event_date"),
        (Some("hear_back_how"), "duplicate", "answers.hear_back_how"),
        (Some("comments"), "too_long", "answers.comments"),
        (Some("age_band"), "wrong_type", "answers.age_band"),
        (Some("agree"), "required", "answers.agree"),
    ];
    let expected: Vec<(Option<&str>, &str, String)> = expected
        .iter()
        .map(|(q, c, p)| (*q, *c, p.to_string()))
        .collect();
    assert_eq!(found, expected, "{problems:#?}");
    // Every problem has a message a person can act on.
    for problem in &problems {
        assert!(problem.message().len() > 10, "{problem:?}");
    }
}

#[test]
fn a_response_to_community_transport_is_accepted_in_urdu() {
    let survey = transport();
    let mut submission = submission_with(
        json!({
            "mode": "other", "minutes": 45, "ease": 0, "missed_any": "yes", "missed_date": "2026-02-03",
            "reasons": ["prefer_not"], "postcode": "dd1 1ab", "email": "me@example.org", "ideas": "A minibus", "agree": true
        }),
        json!({"mode": "My neighbour drove me"}),
    );
    submission.locale = "ur".into();
    let valid = survey
        .accept(submission)
        .unwrap_or_else(|problems| panic!("{problems:#?}"));
    assert_eq!(valid.answers().len(), 10);
    // Walking hides the contact page, so its required consent is not needed.
    let walked = submission_with(json!({"mode": "walk", "missed_any": "no"}), json!({}));
    assert_accepted(&survey, walked);
}

/// The widget marks the questions a person may leave out, "(optional)", as GOV.UK does:
/// an introduction that explains it names that same mark, in each language it is written
/// in, and never speaks of questions "marked as required", which nothing marks.
#[test]
fn an_introduction_names_the_mark_the_widget_shows() {
    for survey in [engagement(), transport()] {
        let Some(intro) = survey.intro() else {
            continue;
        };
        for (locale, text) in intro.translations() {
            assert!(
                !text.contains("required"),
                "{} ({locale}) speaks of questions marked as required: {text}",
                survey.id()
            );
            let speaks_of_leaving_out = ["left out", "skip", "pominąć"]
                .iter()
                .any(|words| text.contains(words));
            if speaks_of_leaving_out {
                let mark = voices_shared::catalogue(locale).optional;
                assert!(
                    text.contains(mark),
                    "{} ({locale}) explains leaving questions out without the mark {mark}: {text}",
                    survey.id()
                );
            }
        }
    }
}

/// `survey check --strict` passes the examples: every text in every language they offer,
/// so a reader of Polish, Arabic, Gaelic or Urdu meets no English in them.
#[test]
fn every_example_is_written_in_every_language_it_offers() {
    for survey in [engagement(), transport()] {
        for gap in survey.translation_gaps() {
            assert!(
                gap.missing.is_empty(),
                "{} lacks {} of {} texts in {}: {:?}",
                survey.id(),
                gap.missing.len(),
                gap.total,
                gap.locale,
                gap.missing
            );
        }
        assert!(
            survey.locales().len() > 1,
            "{} offers several languages",
            survey.id()
        );
    }
}

/// What the privacy text promises about keeping answers is what the collector does.
#[test]
fn each_example_keeps_answers_as_long_as_its_privacy_text_says() {
    let engagement = engagement();
    assert!(
        engagement
            .privacy()
            .text()
            .default_text()
            .contains("kept for 2 years")
    );
    assert_eq!(engagement.retention_days(), Some(730));
    let transport = transport();
    assert!(
        transport
            .privacy()
            .text()
            .default_text()
            .contains("one year")
    );
    assert_eq!(transport.retention_days(), Some(365));
}
