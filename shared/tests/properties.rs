//! Properties over random valid surveys: they parse, valid responses are accepted, one broken rule is caught with its code, a stray field is reported at its path, and they round-trip.

mod generator;

use generator::{Dice, answer, dice, selection, survey_definition};
use proptest::prelude::*;
use proptest::strategy::ValueTree;
use proptest::test_runner::TestRunner;
use serde_json::{Value, json};
use voices_shared::{Question, QuestionKind, Submission, Survey};

fn config() -> ProptestConfig {
    ProptestConfig {
        cases: 256,
        ..ProptestConfig::default()
    }
}

fn parse(definition: &Value) -> Result<Survey, TestCaseError> {
    Survey::from_value(definition)
        .map_err(|problems| TestCaseError::fail(format!("{problems}\n{definition:#}")))
}

/// One rule broken on purpose: the submission, and the problem it must cause.
struct Mutation {
    name: &'static str,
    submission: Submission,
    question: Option<String>,
    code: &'static str,
}

/// Every rule-breaking change that applies to `valid` (a submission `survey` accepts).
fn mutations(survey: &Survey, valid: &Submission, dice: &mut Dice) -> Vec<Mutation> {
    let visibility = survey.visibility(&valid.answers);
    let mut visible = Vec::new();
    let mut hidden = Vec::new();
    for (p, page) in survey.pages().iter().enumerate() {
        for (q, question) in page.questions().iter().enumerate() {
            if !question.is_answerable() {
                continue;
            }
            if visibility.question_visible(p, q) {
                visible.push(question);
            } else {
                hidden.push(question);
            }
        }
    }
    let mut out = Vec::new();
    let mut add = |name, question: Option<&str>, code, change: &mut dyn FnMut(&mut Submission)| {
        let mut submission = valid.clone();
        change(&mut submission);
        out.push(Mutation {
            name,
            submission,
            question: question.map(str::to_owned),
            code,
        });
    };

    let required: Vec<_> = visible.iter().copied().filter(|q| q.required()).collect();
    if let Some(q) = pick(required, dice) {
        add(
            "drop a required answer",
            Some(q.id()),
            "required",
            &mut |s| {
                s.answers.remove(q.id());
            },
        );
    }
    add(
        "unknown key",
        Some("zz_unknown"),
        "unknown_question",
        &mut |s| {
            s.answers.insert("zz_unknown".into(), json!("x"));
        },
    );
    let choices: Vec<_> = visible
        .iter()
        .copied()
        .filter(|q| !q.options().is_empty())
        .collect();
    if let Some(q) = pick(choices, dice) {
        let value = match q.kind() {
            QuestionKind::SingleChoice { .. } => json!("zz_not_an_option"),
            _ => json!(["zz_not_an_option"]),
        };
        add("not an option", Some(q.id()), "not_an_option", &mut |s| {
            s.answers.insert(q.id().into(), value.clone());
        });
    }
    let texts: Vec<_> = visible
        .iter()
        .copied()
        .filter(|q| matches!(q.kind(), QuestionKind::Text { .. }))
        .collect();
    if let Some(q) = pick(texts, dice) {
        let QuestionKind::Text { max_length, .. } = q.kind() else {
            unreachable!()
        };
        let long = "a".repeat(*max_length as usize + 1);
        add("text too long", Some(q.id()), "too_long", &mut |s| {
            s.answers.insert(q.id().into(), json!(long));
        });
    }
    let ranged: Vec<_> = visible
        .iter()
        .copied()
        .filter(|q| {
            matches!(
                q.kind(),
                QuestionKind::Rating { .. }
                    | QuestionKind::Number { min: Some(_), .. }
                    | QuestionKind::Number { max: Some(_), .. }
            )
        })
        .collect();
    if let Some(q) = pick(ranged, dice) {
        let value = match q.kind() {
            QuestionKind::Rating { min, max, .. } => {
                if dice.chance(50) {
                    json!(max + 1)
                } else {
                    json!(i64::from(*min) - 1)
                }
            }
            QuestionKind::Number {
                max: Some(max),
                integer: true,
                ..
            } => json!(max.floor() as i64 + 1),
            QuestionKind::Number { max: Some(max), .. } => json!(max + 0.25),
            QuestionKind::Number {
                min: Some(min),
                integer: true,
                ..
            } => json!(min.ceil() as i64 - 1),
            QuestionKind::Number { min: Some(min), .. } => json!(min - 0.25),
            other => unreachable!("{other:?}"),
        };
        add("out of range", Some(q.id()), "out_of_range", &mut |s| {
            s.answers.insert(q.id().into(), value.clone());
        });
    }
    let whole: Vec<_> = visible
        .iter()
        .copied()
        .filter(|q| {
            matches!(
                q.kind(),
                QuestionKind::Rating { .. } | QuestionKind::Number { integer: true, .. }
            )
        })
        .collect();
    if let Some(q) = pick(whole, dice) {
        add("not an integer", Some(q.id()), "not_integer", &mut |s| {
            s.answers.insert(q.id().into(), json!(0.5));
        });
    }
    let dates: Vec<_> = visible
        .iter()
        .copied()
        .filter(|q| matches!(q.kind(), QuestionKind::Date { .. }))
        .collect();
    if let Some(q) = pick(dates, dice) {
        let bad = *dice.pick(&["2023-02-29", "2024-04-31", "31/12/2024", "2024-1-1"]);
        add("bad date", Some(q.id()), "bad_date", &mut |s| {
            s.answers.insert(q.id().into(), json!(bad));
        });
    }
    let with_exclusive: Vec<_> = visible
        .iter()
        .copied()
        .filter(|q| q.options().len() >= 2 && q.options().iter().any(|o| o.exclusive()))
        .collect();
    if let Some(q) = pick(with_exclusive, dice) {
        let exclusive = q.options().iter().find(|o| o.exclusive()).unwrap().value();
        let other = q
            .options()
            .iter()
            .find(|o| o.value() != exclusive)
            .unwrap()
            .value();
        let value = if dice.chance(50) {
            json!([exclusive, other])
        } else {
            json!([other, exclusive])
        };
        add("exclusive combined", Some(q.id()), "exclusive", &mut |s| {
            s.answers.insert(q.id().into(), value.clone());
        });
    }
    let mut specifying = Vec::new();
    for q in visible.iter().copied() {
        let Some(option) = q.specify_option() else {
            continue;
        };
        let value = match q.kind() {
            QuestionKind::SingleChoice { .. } => json!(option.value()),
            QuestionKind::MultipleChoice {
                options,
                min_selected,
                max_selected,
            } => {
                let options = options.iter().map(|o| (o.value(), o.exclusive())).collect();
                match selection(
                    options,
                    *min_selected,
                    *max_selected,
                    Some(option.value()),
                    dice,
                ) {
                    Some(chosen) => json!(chosen),
                    None => continue,
                }
            }
            _ => continue,
        };
        specifying.push((q, value));
    }
    if !specifying.is_empty() {
        let (q, value) = specifying.swap_remove(dice.below(specifying.len()));
        add(
            "specify text missing",
            Some(q.id()),
            "specify_missing",
            &mut |s| {
                s.answers.insert(q.id().into(), value.clone());
                s.specify.remove(q.id());
            },
        );
    }
    if let Some(q) = pick(hidden, dice) {
        let (value, _) = answer(q, dice);
        add(
            "answer a hidden question",
            Some(q.id()),
            "hidden",
            &mut |s| {
                s.answers.insert(q.id().into(), value.clone());
            },
        );
    }
    add("wrong version", None, "wrong_version", &mut |s| {
        s.survey_version += 1;
    });
    add("unknown locale", None, "unknown_locale", &mut |s| {
        s.locale = "xx".into();
    });
    out
}

/// One of `candidates`, if there are any.
fn pick<'a>(candidates: Vec<&'a Question>, dice: &mut Dice) -> Option<&'a Question> {
    (!candidates.is_empty()).then(|| candidates[dice.below(candidates.len())])
}

/// A survey, a valid response to it, and more dice for mutating it.
fn case() -> impl Strategy<Value = (Value, Dice, Dice)> {
    (survey_definition(), dice(), dice())
}

proptest! {
    #![proptest_config(config())]

    /// A: every generated definition is valid.
    #[test]
    fn generated_definitions_parse(definition in survey_definition()) {
        let survey = parse(&definition)?;
        prop_assert!(survey.questions().count() >= 1);
    }

    /// B: a response made by answering what is visible, within limits, is accepted,
    /// and the widget's own checks and clean-up agree with the collector's.
    #[test]
    fn valid_responses_are_accepted((definition, mut dice, _) in case()) {
        let survey = parse(&definition)?;
        let submission = generator::valid_submission(&survey, &mut dice);
        let valid = survey
            .accept(submission.clone())
            .map_err(|problems| TestCaseError::fail(format!("{problems:#?}\n{submission:#?}\n{definition:#}")))?;
        let visibility = survey.visibility(&submission.answers);
        for page in visibility.visible_pages() {
            let problems = survey.check_page(page, &submission.answers, &submission.specify);
            prop_assert!(problems.is_empty(), "page {}: {:?}", page, problems);
        }
        let (answers, specify) = survey.answers_to_submit(&submission.answers, &submission.specify);
        prop_assert_eq!(&answers, valid.answers());
        prop_assert_eq!(&specify, valid.specify());
        // A normalised response is accepted as it is.
        let again = survey.accept(valid.submission().clone()).map_err(|p| TestCaseError::fail(format!("{p:#?}")))?;
        prop_assert_eq!(&again, &valid);
    }

    /// C: breaking one rule is caught, with that rule's code and question.
    #[test]
    fn one_broken_rule_is_caught((definition, mut dice, mut more_dice) in case()) {
        let survey = parse(&definition)?;
        let valid = generator::valid_submission(&survey, &mut dice);
        prop_assert!(survey.accept(valid.clone()).is_ok());
        for mutation in mutations(&survey, &valid, &mut more_dice) {
            let problems = match survey.accept(mutation.submission.clone()) {
                Ok(_) => return Err(TestCaseError::fail(format!("{}: accepted {:#?}", mutation.name, mutation.submission))),
                Err(problems) => problems,
            };
            prop_assert!(
                problems.iter().any(|p| p.code() == mutation.code && p.question().map(str::to_owned) == mutation.question),
                "{}: expected {} for {:?}, got {:?}",
                mutation.name,
                mutation.code,
                mutation.question,
                problems.iter().map(|p| (p.question(), p.code())).collect::<Vec<_>>()
            );
        }
    }

    /// D: parse, write, parse again gives the same survey.
    #[test]
    fn generated_definitions_round_trip(definition in survey_definition()) {
        let survey = parse(&definition)?;
        let again = Survey::parse(&survey.to_json()).map_err(|problems| TestCaseError::fail(format!("{problems}")))?;
        prop_assert_eq!(again, survey);
    }
}

/// Every object in `value` as (JSON pointer, path as the parser writes it, whether it is Text).
fn objects(
    value: &Value,
    pointer: &str,
    path: &str,
    is_text: bool,
    out: &mut Vec<(String, String, bool)>,
) {
    const TEXT_KEYS: [&str; 12] = [
        "title",
        "intro",
        "text",
        "what_happens_next",
        "label",
        "hint",
        "short_label",
        "error",
        "min_label",
        "max_label",
        "unit",
        "body",
    ];
    match value {
        Value::Object(map) => {
            out.push((pointer.to_owned(), path.to_owned(), is_text));
            for (key, item) in map {
                let path = if path.is_empty() {
                    key.clone()
                } else {
                    format!("{path}.{key}")
                };
                objects(
                    item,
                    &format!("{pointer}/{key}"),
                    &path,
                    TEXT_KEYS.contains(&key.as_str()),
                    out,
                );
            }
        }
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                objects(
                    item,
                    &format!("{pointer}/{i}"),
                    &format!("{path}[{i}]"),
                    false,
                    out,
                );
            }
        }
        _ => {}
    }
}

proptest! {
    #![proptest_config(config())]

    /// E: an unknown field anywhere (or a stray key in translated text) is the one problem reported, at its path.
    #[test]
    fn an_unknown_field_anywhere_is_reported_at_its_path((definition, mut dice, _) in case()) {
        let mut all = Vec::new();
        objects(&definition, "", "", false, &mut all);
        for _ in 0..4 {
            let (pointer, path, is_text) = &all[dice.below(all.len())];
            let mut broken = definition.clone();
            broken.pointer_mut(pointer).unwrap().as_object_mut().unwrap().insert("zz_unknown".into(), json!("x"));
            let problems = match Survey::from_value(&broken) {
                Ok(_) => return Err(TestCaseError::fail(format!("accepted a stray field at {path}"))),
                Err(problems) => problems,
            };
            let found: Vec<(&str, &str)> = problems.iter().map(|p| (p.path(), p.message())).collect();
            let expected_path = if path.is_empty() { "zz_unknown".to_owned() } else { format!("{path}.zz_unknown") };
            prop_assert_eq!(found.len(), 1, "{:?}", found);
            prop_assert_eq!(found[0].0, expected_path.as_str());
            let fragment = if *is_text { "is not a language tag" } else { "unknown field" };
            prop_assert!(found[0].1.contains(fragment), "{:?}", found);
        }
    }
}

/// The properties above are only as good as the generator: check that it
/// makes every kind of question and condition, and that every mutation of
/// property C gets applied, often enough to matter.
#[test]
fn the_generator_covers_every_feature_and_mutation() {
    let mut runner = TestRunner::deterministic();
    let strategy = case();
    let mut features: std::collections::BTreeMap<String, usize> = Default::default();
    let mut count = |key: &str| *features.entry(key.to_owned()).or_default() += 1;
    for _ in 0..300 {
        let (definition, mut dice, mut more_dice) =
            strategy.new_tree(&mut runner).unwrap().current();
        let survey = Survey::from_value(&definition).unwrap();
        let text = definition.to_string();
        for key in [
            "\"visible_if\":{\"all\"",
            "\"any\":",
            "\"not\":",
            "\"any_of\":",
            "\"equals\":",
            "\"answered\":",
            "\"exclusive\":true",
            "\"specify\":true",
            "\"min_selected\"",
            "\"max_selected\"",
            "\"locales\"",
            "\"format\":\"email\"",
            "\"multiline\":true",
            "\"opens_at\"",
            "\"gd\":",
        ] {
            if text.contains(key) {
                count(key);
            }
        }
        for page in survey.pages() {
            if page.visible_if().is_some() {
                count("page condition");
            }
        }
        for question in survey.questions() {
            count(question.type_name());
        }
        let valid = generator::valid_submission(&survey, &mut dice);
        for mutation in mutations(&survey, &valid, &mut more_dice) {
            count(mutation.name);
        }
    }
    for expected in [
        "single_choice",
        "multiple_choice",
        "text",
        "rating",
        "number",
        "date",
        "consent",
        "info",
        "page condition",
        "drop a required answer",
        "unknown key",
        "not an option",
        "text too long",
        "out of range",
        "not an integer",
        "bad date",
        "exclusive combined",
        "specify text missing",
        "answer a hidden question",
        "wrong version",
    ] {
        let seen = features.get(expected).copied().unwrap_or(0);
        assert!(
            seen >= 20,
            "{expected}: only {seen} times in 300 cases; {features:#?}"
        );
    }
    for (key, seen) in &features {
        assert!(*seen >= 10, "{key}: only {seen} times in 300 cases");
    }
}
