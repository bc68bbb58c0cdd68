//! Realistic, distinct engagement-2026 submissions for the load generator.
//!
//! A handful of answer sets are rendered to JSON once, each with a marker where the
//! `submission_id` goes; every request then splices in a fresh v4 UUID, so each body
//! is a new response (not a retry) while costing the load generator next to nothing.

use serde_json::{Value, json};
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;
use uuid::Uuid;

/// The survey the bodies answer: examples/surveys/engagement-2026.json, version 1.
pub const SURVEY_ID: &str = "engagement-2026";

/// Stands in for the `submission_id` in a rendered body; a valid UUID, so a body
/// that somehow kept it would still parse (and be caught as a retry, not a 400).
const MARKER: &str = "00000000-0000-4000-8000-000000000000";

/// How many different answer sets to cycle through.
const VARIANTS: usize = 12;

/// Pre-rendered bodies, each split around its `submission_id`.
pub struct Bodies {
    variants: Vec<(String, String)>,
}

impl Bodies {
    pub fn new() -> Bodies {
        // As if each respondent had started the survey a few minutes ago.
        let started_at = (OffsetDateTime::now_utc() - time::Duration::minutes(6))
            .format(&Rfc3339)
            .expect("the current time formats as RFC 3339");
        let variants = (0..VARIANTS)
            .map(|i| {
                let text = answer_set(i, &started_at).to_string();
                let (before, after) = text
                    .split_once(MARKER)
                    .expect("the body holds the submission_id marker");
                (before.to_owned(), after.to_owned())
            })
            .collect();
        Bodies { variants }
    }

    /// The `n`th body: answer set `n` mod the number of variants, with a fresh `submission_id`.
    pub fn body(&self, n: usize) -> String {
        self.body_for(n, Uuid::new_v4())
    }

    /// The `n`th body with `submission_id` `id`.
    pub fn body_for(&self, n: usize, id: Uuid) -> String {
        let (before, after) = &self.variants[n % self.variants.len()];
        let id = id.hyphenated().to_string();
        let mut body = String::with_capacity(before.len() + id.len() + after.len());
        body.push_str(before);
        body.push_str(&id);
        body.push_str(after);
        body
    }

    /// The mean body size in bytes, for the report.
    pub fn mean_len(&self) -> usize {
        let total: usize = self
            .variants
            .iter()
            .map(|(before, after)| before.len() + MARKER.len() + after.len())
            .sum();
        total / self.variants.len()
    }
}

/// Answer set `i`: every page answered as a real respondent might, including a
/// multiple-choice "Something else" with its specify text, the follow-up questions
/// that earlier answers reveal, and a multi-line comment.
fn answer_set(i: usize, started_at: &str) -> Value {
    const LOCALITIES: [&str; 8] = [
        "coldside",
        "east_end",
        "lochee",
        "maryfield",
        "north_east",
        "strathmartine",
        "the_ferry",
        "west_end",
    ];
    const AGES: [&str; 5] = ["25_44", "45_64", "65_74", "75_plus", "16_24"];
    const CONNECTIONS: [&str; 4] = ["uses_services", "carer", "family", "resident"];
    const SPECIFY: [&str; 3] = [
        "I help run a lunch club for older people",
        "Community councillor",
        "I volunteer at the food bank on Saturdays",
    ];
    const COMMENTS: [&str; 3] = [
        "I found out about this survey from the carers' centre.\n\n\
         The evening sessions at the library are the only ones I can get to — \
         please keep them going, and say what changed afterwards.",
        "Thank you for asking.\nLarge print letters would help my mum take part.\n\
         She does not use the internet.",
        "The last consultation felt rushed:\n- the papers arrived the day before\n\
         - there was no time for questions\nMore notice next time, please.",
    ];

    let face_to_face = i % 3 != 2;
    let mut ways = Vec::new();
    if face_to_face {
        ways.push("face_to_face");
    }
    ways.push(if i.is_multiple_of(2) {
        "online"
    } else {
        "group"
    });
    let mut specify = json!({"connection": SPECIFY[i % SPECIFY.len()]});
    if i % 4 == 3 {
        // A second specify text, on a question that caps its selections at 3.
        ways.push("other");
        specify["ways"] = json!("A WhatsApp group run by my GP practice");
    }
    let heard_back = ["sometimes", "never", "always", "not_given"][i % 4];

    let mut answers = json!({
        "connection": [CONNECTIONS[i % CONNECTIONS.len()], "other"],
        "locality": LOCALITIES[i % LOCALITIES.len()],
        "ways": ways,
        "barriers": if i.is_multiple_of(2) { json!(["transport", "times"]) } else { json!(["caring"]) },
        "support": "An evening or weekend session.\nHelp with the bus fare would make a difference.",
        "heard_back": heard_back,
        "times_taken_part": i % 7,
        "event_date": format!("2025-{:02}-{:02}", 1 + i % 12, 1 + (i * 5) % 28),
        "hear_back_how": ["email", "newsletter"],
        "comments": COMMENTS[i % COMMENTS.len()],
        "age_band": AGES[i % AGES.len()],
        "agree": true,
    });
    if face_to_face {
        answers["face_to_face_where"] = json!("The community centre near the shops");
    }
    if heard_back != "not_given" {
        answers["informed"] = json!(1 + i % 5);
    }
    let locale = ["en", "pl", "ar"][i % 3];
    json!({
        "submission_id": MARKER,
        "survey_version": 1,
        "locale": locale,
        "channel": "online",
        "answers": answers,
        "specify": specify,
        "started_at": started_at,
    })
}

#[cfg(test)]
mod tests {
    use std::collections::HashSet;

    use voices_shared::{Submission, Survey};

    use super::*;

    fn survey() -> Survey {
        let path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../examples/surveys/engagement-2026.json"
        );
        let text = std::fs::read_to_string(path).unwrap();
        let survey = Survey::parse(&text).unwrap_or_else(|problems| panic!("{problems:?}"));
        assert_eq!(survey.id(), SURVEY_ID);
        survey
    }

    #[test]
    fn every_body_is_a_valid_response() {
        let survey = survey();
        let bodies = Bodies::new();
        for n in 0..VARIANTS {
            let body = bodies.body(n);
            let submission: Submission = serde_json::from_str(&body).unwrap();
            let valid = survey
                .accept(submission)
                .unwrap_or_else(|problems| panic!("answer set {n}: {problems:?}"));
            assert!(
                !valid.specify().is_empty(),
                "answer set {n} has specify text"
            );
        }
    }

    #[test]
    fn every_body_is_a_new_submission() {
        let bodies = Bodies::new();
        let ids: HashSet<Uuid> = (0..100)
            .map(|n| serde_json::from_str::<Submission>(&bodies.body(n)).unwrap())
            .map(|submission| submission.submission_id)
            .collect();
        assert_eq!(ids.len(), 100);
        assert!(!ids.contains(&Uuid::parse_str(MARKER).unwrap()));
    }
}
