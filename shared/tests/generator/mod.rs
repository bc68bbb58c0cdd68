//! Proptest strategies for random valid survey definitions (as JSON) and for valid responses to them.
#![allow(dead_code)]

use proptest::prelude::*;
use serde_json::{Map, Value, json};
use voices_shared::uuid::Uuid;
use voices_shared::{
    Answers, Channel, Question, QuestionKind, SpecifyTexts, Submission, Survey, TextFormat,
};

/// Random choices, drawn in order from numbers proptest made (and can shrink
/// towards 0, which every choice below treats as the simplest).
#[derive(Debug, Clone)]
pub struct Dice {
    rolls: Vec<u32>,
    next: usize,
}

impl Dice {
    pub fn new(rolls: Vec<u32>) -> Dice {
        assert!(!rolls.is_empty());
        Dice { rolls, next: 0 }
    }
    fn roll(&mut self) -> u32 {
        let roll = self.rolls[self.next % self.rolls.len()];
        // Mix in the position so that a short, shrunk list still varies.
        let mixed = roll ^ (self.next as u32 / self.rolls.len() as u32).wrapping_mul(0x9E37_79B9);
        self.next += 1;
        mixed
    }
    /// 0..n
    pub fn below(&mut self, n: usize) -> usize {
        assert!(n > 0);
        self.roll() as usize % n
    }
    /// lo..=hi
    pub fn range(&mut self, lo: i64, hi: i64) -> i64 {
        assert!(lo <= hi);
        lo + (u64::from(self.roll()) % ((hi - lo) as u64 + 1)) as i64
    }
    /// True `percent` times in 100 (never when the roll is 0).
    pub fn chance(&mut self, percent: u32) -> bool {
        let roll = self.roll();
        roll != 0 && roll % 100 < percent
    }
    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

pub fn dice() -> impl Strategy<Value = Dice> {
    prop::collection::vec(any::<u32>(), 1..300).prop_map(Dice::new)
}

/// The question types, in the order the strategy's type numbers name them.
pub const TYPES: [&str; 8] = [
    "single_choice",
    "multiple_choice",
    "text",
    "rating",
    "number",
    "date",
    "consent",
    "info",
];

/// Random valid survey definitions: 1–4 pages of 1–5 questions of every type,
/// with options, limits, translations and conditions on earlier questions.
pub fn survey_definition() -> impl Strategy<Value = Value> {
    (
        prop::collection::vec(prop::collection::vec(0..TYPES.len(), 1..=5), 1..=4),
        dice(),
    )
        .prop_map(|(layout, mut dice)| build_survey(&layout, &mut dice))
}

const EXTRA_LOCALES: [&str; 4] = ["gd", "pl", "ar", "zh-Hans"];

struct Builder<'d> {
    dice: &'d mut Dice,
    locales: Vec<&'static str>,
    /// Answerable questions so far, as written, with the page they are on.
    earlier: Vec<(usize, Value)>,
    next_text: usize,
}

fn build_survey(layout: &[Vec<usize>], dice: &mut Dice) -> Value {
    let extra: Vec<&'static str> = EXTRA_LOCALES
        .iter()
        .copied()
        .filter(|_| dice.chance(30))
        .collect();
    let mut b = Builder {
        dice,
        locales: extra,
        earlier: Vec::new(),
        next_text: 0,
    };
    let mut survey = Map::new();
    survey.insert("format".into(), json!(1));
    let id = match b.dice.below(3) {
        0 => "s".to_owned(),
        1 => format!("survey-{}", b.dice.below(10_000)),
        _ => format!("{}-consultation-2026", b.dice.below(100)),
    };
    survey.insert("id".into(), json!(id));
    survey.insert("version".into(), json!(1 + b.dice.below(1000)));
    survey.insert("default_locale".into(), json!("en"));
    if !b.locales.is_empty() || b.dice.chance(30) {
        let mut locales: Vec<&str> = b.locales.clone();
        let at = b.dice.below(locales.len() + 1);
        locales.insert(at, "en");
        survey.insert("locales".into(), json!(locales));
    }
    survey.insert("title".into(), b.text());
    if b.dice.chance(50) {
        survey.insert("intro".into(), b.text());
    }
    let mut privacy = Map::new();
    privacy.insert("text".into(), b.text());
    if b.dice.chance(50) {
        privacy.insert("url".into(), json!("https://council.example/privacy"));
    }
    survey.insert("privacy".into(), Value::Object(privacy));
    if b.dice.chance(50) {
        survey.insert("what_happens_next".into(), b.text());
    }
    let offsets = ["Z", "+01:00", "-05:30", ".250Z"];
    if b.dice.chance(30) {
        let month = b.dice.range(1, 12);
        let offset = b.dice.pick(&offsets);
        survey.insert(
            "opens_at".into(),
            json!(format!("2025-{month:02}-10T09:00:00{offset}")),
        );
    }
    if b.dice.chance(30) {
        let month = b.dice.range(1, 12);
        let offset = b.dice.pick(&offsets);
        survey.insert(
            "closes_at".into(),
            json!(format!("2026-{month:02}-20T17:30:00{offset}")),
        );
    }
    let origins = match b.dice.below(3) {
        0 => json!(["*"]),
        1 => json!(["https://partner.example"]),
        _ => json!([
            "https://partner.example",
            "http://localhost:8080",
            "https://council.example.org:8443"
        ]),
    };
    survey.insert("allowed_origins".into(), origins);

    let mut pages = Vec::new();
    let mut position = 0;
    for (p, types) in layout.iter().enumerate() {
        let mut page = Map::new();
        page.insert("id".into(), json!(format!("page_{p}")));
        if b.dice.chance(50) {
            page.insert("title".into(), b.text());
        }
        let on_earlier_pages: Vec<Value> = b
            .earlier
            .iter()
            .filter(|(page, _)| *page < p)
            .map(|(_, q)| q.clone())
            .collect();
        if !on_earlier_pages.is_empty() && b.dice.chance(30) {
            let condition = b.condition(&on_earlier_pages, 0);
            page.insert("visible_if".into(), condition);
        }
        let mut questions = Vec::new();
        for &type_number in types {
            let question = b.question(position, TYPES[type_number]);
            if type_number != 7 {
                b.earlier.push((p, question.clone()));
            }
            questions.push(question);
            position += 1;
        }
        page.insert("questions".into(), Value::Array(questions));
        pages.push(Value::Object(page));
    }
    survey.insert("pages".into(), Value::Array(pages));
    Value::Object(survey)
}

impl Builder<'_> {
    /// Text: a plain string, or the default locale plus some translations.
    fn text(&mut self) -> Value {
        self.next_text += 1;
        let english = match self.dice.below(4) {
            0 => format!("Text {}", self.next_text),
            1 => format!("Paragraph {}.\n\nAnother paragraph.", self.next_text),
            2 => format!("  Spaced <b>not HTML</b> {}  ", self.next_text),
            _ => format!("Ŵelsh-ish ✓ {}", self.next_text),
        };
        if self.locales.is_empty() || self.dice.chance(40) {
            return json!(english);
        }
        let mut text = Map::new();
        text.insert("en".into(), json!(english));
        for locale in self.locales.clone() {
            if self.dice.chance(60) {
                text.insert(locale.into(), json!(format!("{locale} {}", self.next_text)));
            }
        }
        Value::Object(text)
    }

    fn maybe_text(&mut self, question: &mut Map<String, Value>, key: &str, percent: u32) {
        if self.dice.chance(percent) {
            let text = self.text();
            question.insert(key.into(), text);
        }
    }

    fn question(&mut self, position: usize, kind: &str) -> Value {
        let mut q = Map::new();
        q.insert("id".into(), json!(format!("q{position}")));
        q.insert("type".into(), json!(kind));
        q.insert("label".into(), self.text());
        self.maybe_text(&mut q, "hint", 30);
        if kind != "info" {
            self.maybe_text(&mut q, "short_label", 20);
            self.maybe_text(&mut q, "error", 20);
        }
        if kind != "info" && self.dice.chance(40) {
            q.insert("required".into(), json!(true));
        } else if self.dice.chance(10) {
            q.insert("required".into(), json!(false));
        }
        if !self.earlier.is_empty() && self.dice.chance(40) {
            let earlier: Vec<Value> = self.earlier.iter().map(|(_, q)| q.clone()).collect();
            let condition = self.condition(&earlier, 0);
            q.insert("visible_if".into(), condition);
        }
        match kind {
            "single_choice" => {
                let count = 2 + self.dice.below(4);
                q.insert("options".into(), self.options(count, false));
            }
            "multiple_choice" => {
                let count = 1 + self.dice.below(5);
                let options = self.options(count, true);
                q.insert("options".into(), options);
                let min = self.dice.chance(30).then(|| self.dice.below(count + 1));
                let max = self.dice.chance(30).then(|| {
                    let lowest = min.unwrap_or(0).max(1);
                    self.dice.range(lowest as i64, count as i64) as usize
                });
                // Any min_selected up to the option count can be met: by that many
                // options, or, when too many are exclusive, by an exclusive one alone.
                if let Some(min) = min {
                    q.insert("min_selected".into(), json!(min));
                }
                if let Some(max) = max {
                    q.insert("max_selected".into(), json!(max));
                }
            }
            "text" => {
                let multiline = self.dice.chance(30);
                if multiline {
                    q.insert("multiline".into(), json!(true));
                } else if self.dice.chance(10) {
                    q.insert("multiline".into(), json!(false));
                }
                let format = (!multiline && self.dice.chance(40))
                    .then(|| *self.dice.pick(&["email", "phone", "uk_postcode"]));
                if let Some(format) = format {
                    q.insert("format".into(), json!(format));
                }
                if self.dice.chance(50) {
                    let max_length = match (format, self.dice.below(3)) {
                        (Some(_), _) => self.dice.range(30, 300),
                        (None, 0) => self.dice.range(1, 10),
                        (None, 1) => self.dice.range(11, 300),
                        (None, _) => self.dice.range(301, 10_000),
                    };
                    q.insert("max_length".into(), json!(max_length));
                }
            }
            "rating" => {
                let min = self.dice.range(0, 1);
                let max = self.dice.range(min + 1, 10);
                q.insert("min".into(), json!(min));
                q.insert("max".into(), json!(max));
                self.maybe_text(&mut q, "min_label", 50);
                self.maybe_text(&mut q, "max_label", 50);
            }
            "number" => {
                let integer = self.dice.chance(50);
                if integer {
                    q.insert("integer".into(), json!(true));
                }
                // Whole limits for integer questions; halves otherwise.
                let scale = if integer { 1.0 } else { 0.5 };
                let low = self.dice.range(-100, 100) as f64 * scale;
                let span = self.dice.range(0, 200) as f64 * scale;
                let as_json = |n: f64| {
                    if n.fract() == 0.0 {
                        json!(n as i64)
                    } else {
                        json!(n)
                    }
                };
                match self.dice.below(4) {
                    0 => {}
                    1 => {
                        q.insert("min".into(), as_json(low));
                    }
                    2 => {
                        q.insert("max".into(), as_json(low));
                    }
                    _ => {
                        q.insert("min".into(), as_json(low));
                        q.insert("max".into(), as_json(low + span));
                    }
                }
                self.maybe_text(&mut q, "unit", 30);
            }
            "date" => {
                let mut dates = [self.date(), self.date()];
                dates.sort();
                match self.dice.below(4) {
                    0 => {}
                    1 => {
                        q.insert("min".into(), json!(dates[0]));
                    }
                    2 => {
                        q.insert("max".into(), json!(dates[1]));
                    }
                    _ => {
                        q.insert("min".into(), json!(dates[0]));
                        q.insert("max".into(), json!(dates[1]));
                    }
                }
            }
            "consent" => {}
            "info" => {
                q.insert("body".into(), self.text());
            }
            other => unreachable!("{other}"),
        }
        Value::Object(q)
    }

    fn date(&mut self) -> String {
        let year = self.dice.range(2020, 2030);
        let month = self.dice.range(1, 12);
        let day = match (month, self.dice.below(3)) {
            (2, 0) if year % 4 == 0 => 29,
            (4 | 6 | 9 | 11, 0) => 30,
            (1 | 3 | 5 | 7 | 8 | 10 | 12, 0) => 31,
            _ => self.dice.range(1, 28),
        };
        format!("{year}-{month:02}-{day:02}")
    }

    fn options(&mut self, count: usize, multiple: bool) -> Value {
        let specify_at = self.dice.chance(40).then(|| self.dice.below(count));
        let options: Vec<Value> = (0..count)
            .map(|i| {
                let mut option = Map::new();
                option.insert("value".into(), json!(format!("o{i}")));
                option.insert("label".into(), self.text());
                self.maybe_text(&mut option, "hint", 20);
                if multiple && self.dice.chance(20) {
                    option.insert("exclusive".into(), json!(true));
                } else if self.dice.chance(5) {
                    option.insert("exclusive".into(), json!(false));
                }
                if specify_at == Some(i) {
                    option.insert("specify".into(), json!(true));
                }
                Value::Object(option)
            })
            .collect();
        Value::Array(options)
    }

    /// A condition on `earlier` (answerable questions as written), with values they can take.
    fn condition(&mut self, earlier: &[Value], depth: usize) -> Value {
        let shape = if depth < 2 { self.dice.below(10) } else { 9 };
        match shape {
            0 | 1 => {
                let count = 1 + self.dice.below(3);
                let all: Vec<Value> = (0..count)
                    .map(|_| self.condition(earlier, depth + 1))
                    .collect();
                json!({if shape == 0 { "all" } else { "any" }: all})
            }
            2 => json!({"not": self.condition(earlier, depth + 1)}),
            _ => {
                let question = self.dice.pick(earlier).clone();
                let id = question["id"].clone();
                if self.dice.chance(25) {
                    let answered = self.dice.chance(50);
                    return json!({"question": id, "answered": answered});
                }
                match question["type"].as_str().unwrap() {
                    "single_choice" | "multiple_choice" => {
                        let values: Vec<Value> = question["options"]
                            .as_array()
                            .unwrap()
                            .iter()
                            .map(|o| o["value"].clone())
                            .collect();
                        if question["type"] == "single_choice" && self.dice.chance(50) {
                            json!({"question": id, "equals": self.dice.pick(&values)})
                        } else {
                            let chosen: Vec<Value> = values
                                .iter()
                                .filter(|_| self.dice.chance(50))
                                .cloned()
                                .collect();
                            let chosen = if chosen.is_empty() {
                                vec![values[0].clone()]
                            } else {
                                chosen
                            };
                            json!({"question": id, "any_of": chosen})
                        }
                    }
                    "rating" => {
                        let value = self.dice.range(
                            question["min"].as_i64().unwrap(),
                            question["max"].as_i64().unwrap(),
                        );
                        json!({"question": id, "equals": value})
                    }
                    "number" => {
                        let value = question
                            .get("min")
                            .or(question.get("max"))
                            .cloned()
                            .unwrap_or(json!(3));
                        json!({"question": id, "equals": value})
                    }
                    "text" => json!({"question": id, "equals": "yes"}),
                    "date" => {
                        let value = question
                            .get("min")
                            .or(question.get("max"))
                            .cloned()
                            .unwrap_or(json!("2024-02-29"));
                        json!({"question": id, "equals": value})
                    }
                    "consent" => json!({"question": id, "equals": true}),
                    other => unreachable!("{other} is not answerable"),
                }
            }
        }
    }
}

// ---------------------------------------------------------------- responses

/// A valid response to `survey`: questions are walked in order, the answers
/// so far decide which are visible, and visible ones are answered within
/// their limits (always, when required).
pub fn valid_submission(survey: &Survey, dice: &mut Dice) -> Submission {
    let mut answers = Answers::new();
    let mut specify = SpecifyTexts::new();
    for (p, page) in survey.pages().iter().enumerate() {
        for (q, question) in page.questions().iter().enumerate() {
            if !question.is_answerable() || !survey.visibility(&answers).question_visible(p, q) {
                continue;
            }
            if !question.required() && dice.chance(30) {
                // Leave it out, or send something that counts as unanswered.
                if let Some(blank) = blank_answer(question, dice) {
                    answers.insert(question.id().to_owned(), blank);
                }
                continue;
            }
            let (value, wants_specify) = answer(question, dice);
            answers.insert(question.id().to_owned(), value);
            if wants_specify {
                specify.insert(question.id().to_owned(), specify_text(dice));
            }
        }
    }
    let locale = dice.pick(survey.locales()).clone();
    Submission {
        submission_id: Uuid::from_u128(u128::from(dice.roll()) << 64 | u128::from(dice.roll())),
        survey_version: survey.version(),
        locale,
        channel: *dice.pick(&Channel::ALL),
        answers,
        specify,
        started_at: None,
        withdrawal_key: None,
    }
}

fn blank_answer(question: &Question, dice: &mut Dice) -> Option<Value> {
    if dice.chance(50) {
        return None;
    }
    Some(match question.kind() {
        QuestionKind::MultipleChoice { .. } => json!([]),
        QuestionKind::Text { .. } | QuestionKind::Date { .. } => {
            json!(*dice.pick(&["", "   ", "\n\t"]))
        }
        QuestionKind::Consent => json!(false),
        _ => Value::Null,
    })
}

/// Free text for a "please specify" option, up to 500 characters.
pub fn specify_text(dice: &mut Dice) -> String {
    match dice.below(3) {
        0 => "By community bus".to_owned(),
        1 => format!("  {}  ", "ż".repeat(500)),
        _ => "x".repeat(1 + dice.below(500)),
    }
}

/// A valid, answered value for `question`, and whether it chooses the option that asks to specify.
pub fn answer(question: &Question, dice: &mut Dice) -> (Value, bool) {
    let specify = question.specify_option().map(|o| o.value().to_owned());
    match question.kind() {
        QuestionKind::SingleChoice { options } => {
            let chosen = dice.pick(options).value().to_owned();
            let wants = specify.as_deref() == Some(chosen.as_str());
            (json!(chosen), wants)
        }
        QuestionKind::MultipleChoice {
            options,
            min_selected,
            max_selected,
        } => {
            let chosen = selection(
                options.iter().map(|o| (o.value(), o.exclusive())).collect(),
                *min_selected,
                *max_selected,
                None,
                dice,
            )
            .expect("a valid survey's multiple choice can always be answered");
            let wants = specify.as_ref().is_some_and(|s| chosen.contains(s));
            (json!(chosen), wants)
        }
        QuestionKind::Text {
            max_length, format, ..
        } => {
            let text = match format {
                Some(TextFormat::Email) => dice
                    .pick(&["a@b.example", "name.surname@council.gov.uk"])
                    .to_string(),
                Some(TextFormat::Phone) => dice
                    .pick(&["01632 960 001", "+44 7700 900982", "(01632) 960-001"])
                    .to_string(),
                Some(TextFormat::UkPostcode) => dice
                    .pick(&["EH1 1YZ", "g2 3aa", "DD11AB", "SW1A 1AA"])
                    .to_string(),
                None => {
                    let max = *max_length as usize;
                    match dice.below(4) {
                        0 if max >= 3 => "yes".to_owned(),
                        1 => "ż".repeat(max),
                        _ => "a".repeat(1 + dice.below(max.min(60))),
                    }
                }
            };
            let padded = if dice.chance(30) {
                format!("  {text}\n")
            } else {
                text
            };
            (json!(padded), false)
        }
        QuestionKind::Rating { min, max, .. } => {
            (json!(dice.range(i64::from(*min), i64::from(*max))), false)
        }
        QuestionKind::Number {
            min, max, integer, ..
        } => (number_within(*min, *max, *integer, dice), false),
        QuestionKind::Date { min, max } => {
            let date = match (min, max, dice.below(2)) {
                (Some(min), _, 0) => min.to_string(),
                (_, Some(max), _) => max.to_string(),
                (Some(min), None, _) => min.to_string(),
                (None, None, _) => "2024-02-29".to_owned(),
            };
            (json!(date), false)
        }
        QuestionKind::Consent => (json!(true), false),
        QuestionKind::Info { .. } => unreachable!("info blocks are not answered"),
    }
}

/// Option values making a valid selection (exclusive alone, or min..=max
/// others), including `including` when given; `None` when there is none.
pub fn selection(
    options: Vec<(&str, bool)>,
    min: Option<u32>,
    max: Option<u32>,
    including: Option<&str>,
    dice: &mut Dice,
) -> Option<Vec<String>> {
    let exclusive: Vec<&str> = options
        .iter()
        .filter(|(v, e)| *e && including.is_none_or(|i| i == *v))
        .map(|(v, _)| *v)
        .collect();
    let mut others: Vec<&str> = options
        .iter()
        .filter(|(_, e)| !*e)
        .map(|(v, _)| *v)
        .collect();
    let lowest = min.unwrap_or(0).max(1) as usize;
    let highest = (max.unwrap_or(u32::MAX) as usize).min(others.len());
    let others_can = lowest <= highest && including.is_none_or(|i| others.contains(&i));
    if !exclusive.is_empty() && (!others_can || dice.chance(25)) {
        return Some(vec![dice.pick(&exclusive).to_string()]);
    }
    if !others_can {
        return None;
    }
    let count = dice.range(lowest as i64, highest as i64) as usize;
    let mut chosen = Vec::new();
    if let Some(including) = including {
        others.retain(|v| *v != including);
        chosen.push(including.to_owned());
    }
    while chosen.len() < count {
        let at = dice.below(others.len());
        chosen.push(others.remove(at).to_owned());
    }
    // Any order will do.
    if dice.chance(50) {
        chosen.reverse();
    }
    Some(chosen)
}

fn number_within(min: Option<f64>, max: Option<f64>, integer: bool, dice: &mut Dice) -> Value {
    let low = min.unwrap_or_else(|| max.map_or(-50.0, |m| m - 50.0));
    let high = max.unwrap_or(low + 100.0);
    if integer {
        let n = dice.range(low.ceil() as i64, high.floor() as i64);
        if dice.chance(20) {
            json!(n as f64)
        } else {
            json!(n)
        }
    } else {
        let quarters = ((high - low) * 4.0).floor() as i64;
        json!(low + dice.range(0, quarters) as f64 / 4.0)
    }
}
