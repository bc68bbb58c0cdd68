//! What came of a survey, told publicly: its updates (open, closed, looking at what you
//! said, what we did), each valid by construction against the survey it belongs to.
//!
//! Staff write the whole list at once (a JSON document, or the admin pages, which build
//! one); only [`Outcomes::parse`] makes a value, so every rule below holds for every
//! [`Outcomes`]: ids unique, real dates, a known stage, text in the survey's languages,
//! "you said / we did" pairs only on a "what we did" update.

use serde::Serialize;
use serde_json::Value;

use crate::date::CalendarDate;
use crate::definition::{Parser, SurveyProblems};
use crate::survey::Survey;
use crate::text::Text;

/// Where a survey has got to, as an update tells it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Stage {
    /// Taking answers.
    Open,
    /// No longer taking answers.
    Closed,
    /// Reading and weighing what people said.
    Reviewing,
    /// What was done because of it.
    WhatWeDid,
}

impl Stage {
    pub const ALL: [Stage; 4] = [
        Stage::Open,
        Stage::Closed,
        Stage::Reviewing,
        Stage::WhatWeDid,
    ];

    /// The name used in JSON and in form fields.
    pub fn as_str(self) -> &'static str {
        match self {
            Stage::Open => "open",
            Stage::Closed => "closed",
            Stage::Reviewing => "reviewing",
            Stage::WhatWeDid => "what_we_did",
        }
    }

    pub fn from_name(name: &str) -> Option<Stage> {
        Stage::ALL.into_iter().find(|s| s.as_str() == name)
    }
}

/// One "you said / we did" pair.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct YouSaidWeDid {
    pub(crate) you_said: Text,
    pub(crate) we_did: Text,
}

impl YouSaidWeDid {
    pub fn you_said(&self) -> &Text {
        &self.you_said
    }
    pub fn we_did(&self) -> &Text {
        &self.we_did
    }
}

/// One update on a survey's progress.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Update {
    pub(crate) id: String,
    pub(crate) stage: Stage,
    pub(crate) date: CalendarDate,
    /// Drafts are kept for staff and shown to nobody else.
    pub(crate) published: bool,
    pub(crate) headline: Text,
    pub(crate) body: Text,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) link: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub(crate) you_said_we_did: Vec<YouSaidWeDid>,
}

impl Update {
    pub fn id(&self) -> &str {
        &self.id
    }
    pub fn stage(&self) -> Stage {
        self.stage
    }
    pub fn date(&self) -> CalendarDate {
        self.date
    }
    pub fn is_published(&self) -> bool {
        self.published
    }
    pub fn headline(&self) -> &Text {
        &self.headline
    }
    pub fn body(&self) -> &Text {
        &self.body
    }
    /// The full report, a web address.
    pub fn link(&self) -> Option<&str> {
        self.link.as_deref()
    }
    pub fn you_said_we_did(&self) -> &[YouSaidWeDid] {
        &self.you_said_we_did
    }
}

/// A survey's updates, in the order staff wrote them.
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
pub struct Outcomes {
    pub(crate) updates: Vec<Update>,
}

/// The most updates one survey keeps: years of monthly news, and a bound on what a
/// phone is asked to read.
pub const MAX_UPDATES: usize = 100;
/// The most "you said / we did" pairs on one update.
pub const MAX_PAIRS: usize = 50;
/// The longest headline, body or pair text, in characters.
pub const MAX_HEADLINE_LENGTH: usize = 200;
pub const MAX_BODY_LENGTH: usize = 10_000;

impl Outcomes {
    /// Reads an outcomes document written for `survey` (its languages decide which
    /// translations may be given): every problem found, each with its JSON path.
    pub fn parse(json: &str, survey: &Survey) -> Result<Outcomes, SurveyProblems> {
        let value: Value = serde_json::from_str(json)
            .map_err(|error| SurveyProblems::one("", format!("not valid JSON: {error}")))?;
        Outcomes::from_value(&value, survey)
    }

    pub fn from_value(value: &Value, survey: &Survey) -> Result<Outcomes, SurveyProblems> {
        let mut parser = Parser::for_texts_of(survey);
        let outcomes = parser.outcomes(value);
        parser.finish(outcomes)
    }

    /// Every update, drafts included.
    pub fn updates(&self) -> &[Update] {
        &self.updates
    }

    /// The update with this id.
    pub fn update(&self, id: &str) -> Option<&Update> {
        self.updates.iter().find(|u| u.id == id)
    }

    /// Only what the public may see: the published updates.
    pub fn published(&self) -> Outcomes {
        Outcomes {
            updates: self
                .updates
                .iter()
                .filter(|u| u.published)
                .cloned()
                .collect(),
        }
    }

    /// The published updates, newest first (by date; of two on one day, the one written
    /// later first).
    pub fn newest_first(&self) -> Vec<&Update> {
        // Each goes before the first already placed that is not newer, found by halves
        // (those placed are newest first): a sort would cost the widget's wasm 0.5 KiB.
        let mut newest: Vec<&Update> = Vec::new();
        for update in self.updates.iter().filter(|u| u.published) {
            let at = newest.partition_point(|placed| placed.date > update.date);
            newest.insert(at, update);
        }
        newest
    }

    /// The newest published update.
    pub fn latest(&self) -> Option<&Update> {
        self.newest(|_| true)
    }

    /// The newest published "what we did".
    pub fn what_we_did(&self) -> Option<&Update> {
        self.newest(|u| u.stage == Stage::WhatWeDid)
    }

    /// The newest published update that `fits`, found without sorting (a sort is
    /// kilobytes of code in the widget, which shows only these).
    fn newest(&self, fits: impl Fn(&Update) -> bool) -> Option<&Update> {
        self.updates
            .iter()
            .enumerate()
            .filter(|(_, u)| u.published && fits(u))
            .max_by_key(|(i, u)| (u.date, *i))
            .map(|(_, u)| u)
    }

    /// Whether any update is published.
    pub fn has_published(&self) -> bool {
        self.updates.iter().any(|u| u.published)
    }
}

impl Parser {
    fn outcomes(&mut self, value: &Value) -> Option<Outcomes> {
        let root = self.object(value, "", &["updates"], "a JSON object with \"updates\"")?;
        let list = self.required(&root, "updates")?;
        let Value::Array(items) = list else {
            self.problem("updates", "must be a list of updates");
            return None;
        };
        if items.len() > MAX_UPDATES {
            self.problem(
                "updates",
                format!("has {} updates; keep at most {MAX_UPDATES}", items.len()),
            );
        }
        let mut updates = Vec::new();
        for (i, item) in items.iter().enumerate() {
            let path = format!("updates[{i}]");
            if let Some(update) = self.update(item, &path) {
                if updates.iter().any(|u: &Update| u.id == update.id) {
                    self.problem(
                        &format!("{path}.id"),
                        format!(
                            "\"{}\" is used by an earlier update; give each its own id",
                            update.id
                        ),
                    );
                }
                updates.push(update);
            }
        }
        Some(Outcomes { updates })
    }

    fn update(&mut self, value: &Value, path: &str) -> Option<Update> {
        let object = self.object(
            value,
            path,
            &[
                "id",
                "stage",
                "date",
                "published",
                "headline",
                "body",
                "link",
                "you_said_we_did",
            ],
            "an update (a JSON object)",
        )?;
        let id = self
            .required(&object, "id")
            .and_then(|v| self.item_id(v, &object.path("id")))
            .filter(|id| {
                // `/admin/surveys/{id}/updates/new` is where a new update is written.
                let free = id != "new";
                if !free {
                    self.problem(
                        &object.path("id"),
                        "\"new\" is kept for the staff pages' address of a new update; choose another id",
                    );
                }
                free
            });
        let stage = self.required(&object, "stage").and_then(|v| {
            let path = object.path("stage");
            let name = self.string(v, &path)?;
            let stage = Stage::from_name(name);
            if stage.is_none() {
                self.problem(
                    &path,
                    format!(
                        "\"{name}\" is not a stage; use \"open\", \"closed\", \"reviewing\" or \"what_we_did\""
                    ),
                );
            }
            stage
        });
        let date = self
            .required(&object, "date")
            .and_then(|v| self.date(v, &object.path("date")));
        let published = match object.get("published") {
            Some(v) => self.boolean(v, &object.path("published")),
            None => Some(false),
        };
        let headline = self
            .required(&object, "headline")
            .and_then(|v| self.limited_text(v, &object.path("headline"), MAX_HEADLINE_LENGTH));
        let body = self
            .required(&object, "body")
            .and_then(|v| self.limited_text(v, &object.path("body"), MAX_BODY_LENGTH));
        let link = match object.get("link") {
            Some(v) => {
                let path = object.path("link");
                let url = self.string(v, &path)?;
                if !crate::definition::is_web_address(url) {
                    self.problem(
                        &path,
                        format!("\"{url}\" is not a web address starting https:// or http://"),
                    );
                }
                Some(url.to_owned())
            }
            None => None,
        };
        let pairs = match object.get("you_said_we_did") {
            Some(v) => self.pairs(v, &object.path("you_said_we_did"), stage)?,
            None => Vec::new(),
        };
        Some(Update {
            id: id?,
            stage: stage?,
            date: date?,
            published: published?,
            headline: headline?,
            body: body?,
            link,
            you_said_we_did: pairs,
        })
    }

    fn pairs(
        &mut self,
        value: &Value,
        path: &str,
        stage: Option<Stage>,
    ) -> Option<Vec<YouSaidWeDid>> {
        if stage.is_some_and(|s| s != Stage::WhatWeDid) {
            self.problem(
                path,
                "belongs on a \"what_we_did\" update only; change the stage or move the pairs",
            );
            return None;
        }
        let Value::Array(items) = value else {
            self.problem(path, "must be a list of {\"you_said\", \"we_did\"} pairs");
            return None;
        };
        if items.len() > MAX_PAIRS {
            self.problem(
                path,
                format!("has {} pairs; keep at most {MAX_PAIRS}", items.len()),
            );
        }
        let mut pairs = Vec::new();
        for (i, item) in items.iter().enumerate() {
            let path = format!("{path}[{i}]");
            let Some(object) = self.object(
                item,
                &path,
                &["you_said", "we_did"],
                "a {\"you_said\", \"we_did\"} pair",
            ) else {
                continue;
            };
            let you_said = self
                .required(&object, "you_said")
                .and_then(|v| self.limited_text(v, &object.path("you_said"), MAX_BODY_LENGTH));
            let we_did = self
                .required(&object, "we_did")
                .and_then(|v| self.limited_text(v, &object.path("we_did"), MAX_BODY_LENGTH));
            if let (Some(you_said), Some(we_did)) = (you_said, we_did) {
                pairs.push(YouSaidWeDid { you_said, we_did });
            }
        }
        Some(pairs)
    }

    /// Text no longer than `limit` characters in any language.
    fn limited_text(&mut self, value: &Value, path: &str, limit: usize) -> Option<Text> {
        let text = self.text(value, path)?;
        for (locale, string) in text.translations() {
            let length = string.chars().count();
            if length > limit {
                self.problem(
                    path,
                    format!("is {length} characters long in \"{locale}\"; keep it to {limit}"),
                );
                return None;
            }
        }
        Some(text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SURVEY: &str = r#"{
        "format": 1, "id": "transport", "version": 1, "default_locale": "en",
        "locales": ["en", "gd", "ar"],
        "title": "Transport", "allowed_origins": ["*"],
        "privacy": {"text": "We keep your answers for a year."},
        "pages": [{"id": "p", "questions": [{"id": "q", "type": "text", "label": "Why?"}]}]
    }"#;

    fn survey() -> Survey {
        Survey::parse(SURVEY).expect("the test survey parses")
    }

    fn problems(json: &str) -> Vec<String> {
        match Outcomes::parse(json, &survey()) {
            Ok(_) => Vec::new(),
            Err(problems) => problems.iter().map(|p| p.to_string()).collect(),
        }
    }

    #[test]
    fn reads_updates_and_keeps_drafts_from_the_public() {
        let outcomes = Outcomes::parse(
            r#"{"updates": [
                {"id": "closed", "stage": "closed", "date": "2026-10-01", "published": true,
                 "headline": {"en": "Closed", "gd": "Dùinte"}, "body": "Thank you."},
                {"id": "did", "stage": "what_we_did", "date": "2026-11-20", "published": true,
                 "headline": "What we did", "body": "Here it is.", "link": "https://example.org/report",
                 "you_said_we_did": [{"you_said": "Buses are late", "we_did": "New timetable"}]},
                {"id": "draft", "stage": "what_we_did", "date": "2026-12-01",
                 "headline": "Not yet", "body": "Draft."}
            ]}"#,
            &survey(),
        )
        .expect("valid");
        assert_eq!(outcomes.updates().len(), 3);
        let public = outcomes.published();
        assert_eq!(public.updates().len(), 2);
        assert_eq!(public.latest().map(Update::id), Some("did"));
        assert_eq!(outcomes.latest().map(Update::id), Some("did"));
        assert_eq!(
            outcomes.what_we_did().unwrap().you_said_we_did()[0]
                .we_did()
                .get("gd"),
            "New timetable"
        );
        assert_eq!(outcomes.updates()[0].headline().get("gd"), "Dùinte");
        // What it serialises to reads back as the same value.
        let json = serde_json::to_string(&outcomes).unwrap();
        assert_eq!(Outcomes::parse(&json, &survey()).unwrap(), outcomes);
    }

    #[test]
    fn says_what_is_wrong_and_where() {
        assert_eq!(
            problems(
                r#"{"updates": [
                    {"id": "a", "stage": "done", "date": "2026-02-30", "headline": "", "body": {"fr": "Merci"},
                     "link": "example.org"},
                    {"id": "a", "stage": "closed", "date": "2026-10-01", "headline": "H", "body": "B",
                     "you_said_we_did": []}
                ]}"#
            ),
            [
                "updates[0].stage: \"done\" is not a stage; use \"open\", \"closed\", \"reviewing\" or \"what_we_did\"",
                "updates[0].date: \"2026-02-30\" is not a real date written YYYY-MM-DD",
                "updates[0].headline: must not be empty",
                "updates[0].body.fr: \"fr\" is not one of the survey's locales (\"en\", \"gd\", \"ar\"); add it to \"locales\" or remove this translation",
                "updates[0].body: has no \"en\" text; the default locale's text is required everywhere",
                "updates[0].link: \"example.org\" is not a web address starting https:// or http://",
                "updates[1].you_said_we_did: belongs on a \"what_we_did\" update only; change the stage or move the pairs",
            ]
        );
        assert_eq!(
            problems(
                r#"{"updates": [{"id": "x", "stage": "open", "date": "2026-01-01", "headline": "H", "body": "B"},
                                     {"id": "x", "stage": "open", "date": "2026-01-02", "headline": "H", "body": "B"}]}"#
            ),
            ["updates[1].id: \"x\" is used by an earlier update; give each its own id"]
        );
        assert_eq!(
            problems(
                r#"{"updates": [{"id": "new", "stage": "open", "date": "2026-01-01", "headline": "H", "body": "B"}]}"#
            ),
            [
                "updates[0].id: \"new\" is kept for the staff pages' address of a new update; choose another id"
            ]
        );
        assert_eq!(
            problems(r#"{"updaets": []}"#),
            [
                "updaets: unknown field; did you mean \"updates\"?",
                "updates: is required but missing"
            ]
        );
        assert_eq!(
            problems("[1"),
            ["not valid JSON: EOF while parsing a list at line 1 column 2"]
        );
    }

    #[test]
    fn the_newest_of_one_day_is_the_one_written_later() {
        let outcomes = Outcomes::parse(
            r#"{"updates": [
                {"id": "first", "stage": "closed", "date": "2026-10-01", "published": true, "headline": "H", "body": "B"},
                {"id": "second", "stage": "reviewing", "date": "2026-10-01", "published": true, "headline": "H", "body": "B"},
                {"id": "older", "stage": "open", "date": "2026-09-01", "published": true, "headline": "H", "body": "B"}
            ]}"#,
            &survey(),
        )
        .unwrap();
        let order: Vec<&str> = outcomes.newest_first().iter().map(|u| u.id()).collect();
        assert_eq!(order, ["second", "first", "older"]);
    }
}
