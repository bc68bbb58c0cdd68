//! The hand-written readers of the widget's own records (`read_back.rs`) against serde's derived readers they replaced.
//!
//! The derived readers are declared here once more, with the attributes the records had
//! (`Shape` types), so that every record the widget ever wrote, and every record altered
//! field by field on the device or in a posted form, is read as it was before: the same
//! records read, to the same values, and the same ones refused. The JSON compared is read
//! from text, as the widget reads it. The four kinds of text where the two differ on
//! purpose (`read_back.rs`) are pinned one by one.

use std::collections::BTreeMap;

use proptest::prelude::*;
use serde::Deserialize;
use voices_shared::serde_json::{self, Value, json};
use voices_shared::uuid::Uuid;
use voices_shared::{Answers, Channel};

use crate::form_post::{Carried, STATE_FIELD, carried_version};
use crate::outbox::Pending;
use crate::sent_records::SentRecord;
use crate::state::{DateParts, Draft};

/// `submission_id::read` as it was: the id as text, then `Uuid::try_parse`.
fn kept_id<'de, D: serde::Deserializer<'de>>(deserializer: D) -> Result<Uuid, D::Error> {
    let text = <std::borrow::Cow<'de, str>>::deserialize(deserializer)?;
    Uuid::try_parse(&text).map_err(|_| serde::de::Error::custom("not a submission id"))
}

/// `form_post::channel_named` as it was.
fn channel_named<'de, D: serde::Deserializer<'de>>(deserializer: D) -> Result<Channel, D::Error> {
    let name = <std::borrow::Cow<'de, str>>::deserialize(deserializer)?;
    Channel::parse(&name).ok_or_else(|| serde::de::Error::custom("not a channel"))
}

#[derive(Deserialize)]
struct DatePartsShape {
    day: String,
    month: String,
    year: String,
}

#[derive(Deserialize)]
struct DraftShape {
    #[serde(deserialize_with = "kept_id")]
    submission_id: Uuid,
    locale: String,
    answers: Answers,
    // `BTreeMap`s, as the derived reader this stands in for had them: a key written twice
    // keeps its last value (`SortedMap`'s own reader refuses it).
    #[serde(default)]
    specify: BTreeMap<String, String>,
    #[serde(default)]
    numbers: BTreeMap<String, String>,
    #[serde(default)]
    dates: BTreeMap<String, DatePartsShape>,
    #[serde(default)]
    page: Option<usize>,
}

#[derive(Deserialize)]
struct PendingShape {
    survey_id: String,
    #[serde(deserialize_with = "kept_id")]
    submission_id: Uuid,
    body: String,
    #[serde(default)]
    draft: Option<DraftShape>,
    #[serde(default)]
    withdrawal_key: Option<String>,
}

#[derive(Deserialize)]
struct CarriedShape {
    draft: DraftShape,
    #[serde(default)]
    version: u32,
    #[serde(default)]
    check: bool,
    #[serde(default)]
    returning_to_check: bool,
    #[serde(default)]
    changing: Option<String>,
    #[serde(default)]
    started_ms: u64,
    #[serde(default, deserialize_with = "channel_named")]
    channel: Channel,
}

#[derive(Deserialize)]
struct SentRecordShape {
    receipt: String,
    key: String,
    sent_on: String,
}

#[derive(Deserialize)]
struct VersionShape {
    #[serde(default)]
    version: u32,
}

impl From<DraftShape> for Draft {
    fn from(d: DraftShape) -> Draft {
        Draft {
            submission_id: d.submission_id,
            locale: d.locale,
            answers: d.answers,
            specify: d.specify.into_iter().collect(),
            numbers: d.numbers.into_iter().collect(),
            dates: d
                .dates
                .into_iter()
                .map(|(k, p)| {
                    let parts = DateParts {
                        day: p.day,
                        month: p.month,
                        year: p.year,
                    };
                    (k, parts)
                })
                .collect(),
            page: d.page,
        }
    }
}

impl From<PendingShape> for Pending {
    fn from(p: PendingShape) -> Pending {
        Pending {
            survey_id: p.survey_id,
            submission_id: p.submission_id,
            body: p.body,
            draft: p.draft.map(Draft::from),
            withdrawal_key: p.withdrawal_key,
        }
    }
}

impl From<CarriedShape> for Carried {
    fn from(c: CarriedShape) -> Carried {
        Carried {
            draft: c.draft.into(),
            version: c.version,
            check: c.check,
            returning_to_check: c.returning_to_check,
            changing: c.changing,
            started_ms: c.started_ms,
            channel: c.channel,
        }
    }
}

impl From<SentRecordShape> for SentRecord {
    fn from(s: SentRecordShape) -> SentRecord {
        SentRecord {
            receipt: s.receipt,
            key: s.key,
            sent_on: s.sent_on,
        }
    }
}

/// The one record type's two readers, on the same JSON text.
fn both<T, Shape: serde::de::DeserializeOwned>(
    value: &Value,
    hand: impl Fn(Value) -> Option<T>,
    from_shape: impl Fn(Shape) -> T,
) -> (Option<T>, Option<T>) {
    let text = value.to_string();
    let derived = serde_json::from_str::<Shape>(&text).ok().map(from_shape);
    let by_hand = serde_json::from_str(&text).ok().and_then(hand);
    (by_hand, derived)
}

fn sent_list(value: Value) -> Option<Vec<SentRecord>> {
    crate::read_back::list_of(value, SentRecord::from_json)
}

fn version_of(value: &Value) -> (Option<u32>, Option<u32>) {
    let fields = vec![(STATE_FIELD.to_owned(), value.to_string())];
    let derived = serde_json::from_str::<VersionShape>(&value.to_string())
        .ok()
        .and_then(|v| (v.version > 0).then_some(v.version));
    (carried_version(&fields), derived)
}

fn a_draft() -> Draft {
    Draft {
        submission_id: Uuid::from_u128(0x0b7a4a4e_4d53_4f8e_9a8c_1f2e3d4c5b6a),
        locale: "en".into(),
        answers: [
            ("locality".to_owned(), json!("lochee")),
            ("connection".to_owned(), json!(["carer", "other"])),
            ("times_taken_part".to_owned(), json!(5)),
        ]
        .into(),
        specify: [("connection".to_owned(), "a neighbour".to_owned())].into(),
        numbers: [("times_taken_part".to_owned(), " 5 ".to_owned())].into(),
        dates: [(
            "event_date".to_owned(),
            DateParts {
                day: "1".into(),
                month: "12".into(),
                year: "2026".into(),
            },
        )]
        .into(),
        page: Some(2),
    }
}

#[test]
fn records_written_before_later_fields_were_kept_read_with_their_defaults() {
    let draft = Draft::from_json(json!({
        "submission_id": "0b7a4a4e-4d53-4f8e-9a8c-1f2e3d4c5b6a",
        "locale": "gd",
        "answers": {"locality": "lochee"},
    }))
    .expect("a draft from before specify, numbers, dates and pages were kept");
    assert_eq!(draft.locale, "gd");
    assert!(draft.specify.is_empty() && draft.numbers.is_empty() && draft.dates.is_empty());
    assert_eq!(draft.page, None);

    let carried = Carried::from_json(json!({"draft": serde_json::to_value(a_draft()).unwrap()}))
        .expect("a form from before versions and channels were carried");
    assert_eq!(carried.version, 0);
    assert_eq!(carried.channel, Channel::Online);
    assert!(!carried.check && carried.changing.is_none() && carried.started_ms == 0);

    let pending = Pending::from_json(json!({
        "survey_id": "engagement-2026",
        "submission_id": "0b7a4a4e4d534f8e9a8c1f2e3d4c5b6a",
        "body": "{}",
    }))
    .expect("an outbox entry from before drafts and withdrawal keys were kept");
    assert_eq!(pending.draft, None);
    assert_eq!(pending.withdrawal_key, None);
}

#[test]
fn a_field_of_the_wrong_kind_makes_the_record_unreadable() {
    let draft = serde_json::to_value(a_draft()).unwrap();
    for (field, odd) in [
        ("locale", json!(7)),
        ("answers", json!([])),
        ("page", json!(-1)),
        ("page", json!(1.0)),
        ("numbers", json!({"times_taken_part": 5})),
        ("dates", json!({"event_date": {"day": "1", "month": "2"}})),
        ("submission_id", json!("yesterday")),
    ] {
        let mut altered = draft.clone();
        altered[field] = odd.clone();
        assert_eq!(Draft::from_json(altered), None, "{field}: {odd}");
    }
    let carried = json!({"draft": draft});
    for (field, odd) in [
        ("channel", json!("staff")),
        ("channel", Value::Null),
        ("version", json!(4_294_967_296_u64)),
        ("check", json!("true")),
        ("started_ms", json!(-5)),
    ] {
        let mut altered = carried.clone();
        altered[field] = odd.clone();
        assert_eq!(Carried::from_json(altered), None, "{field}: {odd}");
    }
    assert_eq!(Draft::from_json(json!("a draft")), None);
}

/// The text a device or a form could hold where the hand-written readers differ from the
/// derived ones (see `read_back.rs`), each pinned: what `Serialize` writes never looks
/// like this.
#[test]
fn the_four_differences_from_the_derived_readers_are_as_documented() {
    let id = "0b7a4a4e-4d53-4f8e-9a8c-1f2e3d4c5b6a";
    let by_hand = |text: &str| serde_json::from_str(text).ok().and_then(Draft::from_json);
    let derived = |text: &str| {
        serde_json::from_str::<DraftShape>(text)
            .ok()
            .map(Draft::from)
    };

    let as_array = format!(r#"["{id}","en",{{}}]"#);
    assert!(derived(&as_array).is_some() && by_hand(&as_array).is_none());

    let twice = format!(r#"{{"submission_id":"{id}","locale":"en","locale":"fr","answers":{{}}}}"#);
    assert!(derived(&twice).is_none());
    assert_eq!(by_hand(&twice).map(|d| d.locale), Some("fr".to_owned()));

    for unread in [r#"1e400"#, r#""\ud800""#] {
        let text =
            format!(r#"{{"submission_id":"{id}","locale":"en","answers":{{}},"x":{unread}}}"#);
        assert!(
            derived(&text).is_some() && by_hand(&text).is_none(),
            "{text}"
        );
    }
    // The form's version alone, read from the same kinds of text.
    let fields = |text: &str| vec![(STATE_FIELD.to_owned(), text.to_owned())];
    assert_eq!(carried_version(&fields("[7]")), None);
    assert_eq!(
        carried_version(&fields(r#"{"version":1,"version":2}"#)),
        Some(2)
    );
}

/// Field names the records have, and one they never had.
fn field_name() -> impl Strategy<Value = &'static str> {
    prop::sample::select(vec![
        "submission_id",
        "locale",
        "answers",
        "specify",
        "numbers",
        "dates",
        "page",
        "survey_id",
        "body",
        "draft",
        "withdrawal_key",
        "version",
        "check",
        "returning_to_check",
        "changing",
        "started_ms",
        "channel",
        "receipt",
        "key",
        "sent_on",
        "day",
        "month",
        "year",
        "unheard_of",
    ])
}

/// Values of every JSON kind, including the near misses of each field's own kind.
fn odd_value() -> impl Strategy<Value = Value> {
    prop::sample::select(vec![
        Value::Null,
        json!(true),
        json!(0),
        json!(3),
        json!(-1),
        json!(1.5),
        json!(2.0),
        json!(4_294_967_296_u64),
        json!(u64::MAX),
        json!(""),
        json!("en"),
        json!("qr"),
        json!("face_to_face"),
        json!("staff"),
        json!("0b7a4a4e-4d53-4f8e-9a8c-1f2e3d4c5b6a"),
        json!("urn:uuid:0b7a4a4e-4d53-4f8e-9a8c-1f2e3d4c5b6a"),
        json!([]),
        json!(["x"]),
        json!({}),
        json!({"x": "y"}),
        json!({"x": 1}),
        json!({"d": {"day": "1", "month": "2", "year": "3"}}),
        json!({"day": "1", "month": "2", "year": "3"}),
    ])
}

/// How one object somewhere in a record is altered.
#[derive(Debug, Clone)]
enum Change {
    Remove(&'static str),
    Set(&'static str, Value),
}

fn change() -> impl Strategy<Value = Change> {
    prop_oneof![
        field_name().prop_map(Change::Remove),
        (field_name(), odd_value()).prop_map(|(name, value)| Change::Set(name, value)),
    ]
}

/// Applies each change to one of the objects in `value` (itself or any nested one).
fn alter(mut value: Value, changes: &[(usize, Change)]) -> Value {
    for (which, change) in changes {
        let mut pointers = Vec::new();
        objects_in(&value, String::new(), &mut pointers);
        let Some(pointer) = pointers.get(which % pointers.len().max(1)) else {
            return value;
        };
        let Some(Value::Object(object)) = value.pointer_mut(pointer) else {
            continue;
        };
        match change {
            Change::Remove(name) => {
                object.remove(*name);
            }
            Change::Set(name, odd) => {
                object.insert((*name).to_owned(), odd.clone());
            }
        }
    }
    value
}

fn objects_in(value: &Value, at: String, out: &mut Vec<String>) {
    match value {
        Value::Object(map) => {
            for (key, inner) in map {
                objects_in(
                    inner,
                    format!("{at}/{}", key.replace('~', "~0").replace('/', "~1")),
                    out,
                );
            }
            out.push(at);
        }
        Value::Array(items) => {
            for (index, inner) in items.iter().enumerate() {
                objects_in(inner, format!("{at}/{index}"), out);
            }
        }
        _ => {}
    }
}

fn words() -> impl Strategy<Value = String> {
    "[a-z0-9 ]{0,6}|\\PC{0,4}"
}

fn answer() -> impl Strategy<Value = Value> {
    prop_oneof![
        words().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        prop::collection::vec(words(), 0..3).prop_map(Value::from),
        Just(Value::Null),
    ]
}

fn draft() -> impl Strategy<Value = Draft> {
    let parts =
        (words(), words(), words()).prop_map(|(day, month, year)| DateParts { day, month, year });
    (
        any::<u128>(),
        words(),
        prop::collection::btree_map(words(), answer(), 0..4),
        prop::collection::btree_map(words(), words(), 0..3),
        prop::collection::btree_map(words(), words(), 0..3),
        prop::collection::btree_map(words(), parts, 0..3),
        prop::option::of(0usize..40),
    )
        .prop_map(
            |(id, locale, answers, specify, numbers, dates, page)| Draft {
                submission_id: Uuid::from_u128(id),
                locale,
                answers,
                specify: specify.into_iter().collect(),
                numbers: numbers.into_iter().collect(),
                dates: dates.into_iter().collect(),
                page,
            },
        )
}

fn pending() -> impl Strategy<Value = Pending> {
    (
        words(),
        any::<u128>(),
        words(),
        prop::option::of(draft()),
        prop::option::of("[0-9a-f]{32}"),
    )
        .prop_map(|(survey_id, id, body, draft, withdrawal_key)| Pending {
            survey_id,
            submission_id: Uuid::from_u128(id),
            body,
            draft,
            withdrawal_key,
        })
}

fn carried() -> impl Strategy<Value = Carried> {
    (
        draft(),
        any::<u32>(),
        any::<bool>(),
        any::<bool>(),
        prop::option::of(words()),
        any::<u64>(),
        prop::sample::select(Channel::ALL.to_vec()),
    )
        .prop_map(
            |(draft, version, check, returning_to_check, changing, started_ms, channel)| Carried {
                draft,
                version,
                check,
                returning_to_check,
                changing,
                started_ms,
                channel,
            },
        )
}

fn sent() -> impl Strategy<Value = Vec<SentRecord>> {
    prop::collection::vec(
        (words(), words(), words()).prop_map(|(receipt, key, sent_on)| SentRecord {
            receipt,
            key,
            sent_on,
        }),
        0..3,
    )
}

fn changes() -> impl Strategy<Value = Vec<(usize, Change)>> {
    prop::collection::vec((any::<usize>(), change()), 0..3)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn every_record_reads_back_as_it_was_written(
        draft in draft(), pending in pending(), carried in carried(), sent in sent()
    ) {
        prop_assert_eq!(Draft::from_json(serde_json::to_value(&draft).unwrap()), Some(draft));
        prop_assert_eq!(Pending::from_json(serde_json::to_value(&pending).unwrap()), Some(pending));
        prop_assert_eq!(Carried::from_json(serde_json::to_value(&carried).unwrap()), Some(carried));
        prop_assert_eq!(sent_list(serde_json::to_value(&sent).unwrap()), Some(sent));
    }

    #[test]
    fn an_altered_draft_reads_as_the_derived_reader_read_it(draft in draft(), changes in changes()) {
        let value = alter(serde_json::to_value(&draft).unwrap(), &changes);
        let (by_hand, derived) = both(&value, Draft::from_json, <Draft as From<DraftShape>>::from);
        prop_assert_eq!(by_hand, derived, "{}", value);
    }

    #[test]
    fn an_altered_outbox_entry_reads_as_the_derived_reader_read_it(pending in pending(), changes in changes()) {
        let value = alter(serde_json::to_value(&pending).unwrap(), &changes);
        let (by_hand, derived) = both(&value, Pending::from_json, <Pending as From<PendingShape>>::from);
        prop_assert_eq!(by_hand, derived, "{}", value);
    }

    #[test]
    fn an_altered_carried_state_reads_as_the_derived_reader_read_it(carried in carried(), changes in changes()) {
        let value = alter(serde_json::to_value(&carried).unwrap(), &changes);
        let (by_hand, derived) = both(&value, Carried::from_json, <Carried as From<CarriedShape>>::from);
        prop_assert_eq!(by_hand, derived, "{}", value);
        let (by_hand, derived) = version_of(&value);
        prop_assert_eq!(by_hand, derived, "{}", value);
    }

    #[test]
    fn an_altered_list_of_sent_records_reads_as_the_derived_reader_read_it(sent in sent(), changes in changes()) {
        let value = alter(serde_json::to_value(&sent).unwrap(), &changes);
        let (by_hand, derived) = both(&value, sent_list, |list: Vec<SentRecordShape>| {
            list.into_iter().map(SentRecord::from).collect::<Vec<_>>()
        });
        prop_assert_eq!(by_hand, derived, "{}", value);
    }
}
