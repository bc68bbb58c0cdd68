//! The counts the summary and reach pages read, kept in memory: always equal to counting
//! every response again, through new responses, erasure, a new version and
//! retention; and the reach page's filters, which narrow the comparison with the area.

mod common;

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use common::*;
use serde_json::{Value, json};
use voices_collector::Config;
use voices_collector::receipt::Receipt;
use voices_collector::running_counts::Filter;
use voices_collector::store::{Role, StoredResponse};
use voices_collector::summary::{
    Summary, summarise, summarise_answers_filtered, summarise_counted, summarise_filtered,
};

fn poll(version: u32) -> Value {
    let mut survey = small_survey("poll", version, json!({}));
    let mut colours = vec![
        json!({"value": "red", "label": "Red"}),
        json!({"value": "blue", "label": "Blue"}),
        json!({"value": "other", "label": "Other", "specify": true}),
    ];
    if version > 1 {
        // The new version drops blue: its answers are no longer counted.
        colours.remove(1);
    }
    survey["pages"][0]["questions"] = json!([
        {"id": "colour", "type": "single_choice", "label": "Which colour?", "options": colours},
        {"id": "ways", "type": "multiple_choice", "label": "How would you tell us?", "options": [
            {"value": "email", "label": "Email"}, {"value": "phone", "label": "Phone"}
        ]},
        {"id": "score", "type": "rating", "min": 1, "max": 3, "label": "How good?"}
    ]);
    survey
}

/// A pseudo-random number below `below`, from `seed`.
fn next(seed: &mut u64, below: u64) -> u64 {
    *seed = seed
        .wrapping_mul(6364136223846793005)
        .wrapping_add(1442695040888963407);
    (*seed >> 33) % below
}

/// Stores `n` varied responses on varied days and channels; returns their receipts.
fn store_responses(h: &Harness, n: usize, seed: &mut u64) -> Vec<Receipt> {
    let survey = h.state.catalog().latest("poll").unwrap().survey.clone();
    let mut receipts = Vec::new();
    for _ in 0..n {
        let colour = ["red", "blue", "other", ""][next(seed, 4) as usize];
        let mut answers = serde_json::Map::new();
        if !colour.is_empty()
            && survey
                .question("colour")
                .unwrap()
                .options()
                .iter()
                .any(|o| o.value() == colour)
        {
            answers.insert("colour".into(), json!(colour));
        }
        let ways: Vec<&str> = ["email", "phone"]
            .into_iter()
            .filter(|_| next(seed, 2) == 0)
            .collect();
        if !ways.is_empty() {
            answers.insert("ways".into(), json!(ways));
        }
        if next(seed, 3) > 0 {
            answers.insert("score".into(), json!(1 + next(seed, 3)));
        }
        let mut body = json!({
            "submission_id": uuid::Uuid::new_v4(), "survey_version": survey.version(),
            "locale": "en", "answers": answers,
        });
        if answers_has(&body, "colour", "other") {
            body["specify"] = json!({"colour": format!("colour {}", next(seed, 1000))});
        }
        body["channel"] = json!(["online", "face_to_face", "paper"][next(seed, 3) as usize]);
        let submission: voices_shared::Submission = serde_json::from_value(body).unwrap();
        let valid = survey.accept(submission).unwrap();
        let day =
            time::Date::from_calendar_date(2026, time::Month::November, 1 + next(seed, 20) as u8)
                .unwrap();
        let at = day.with_hms(9, 0, 0).unwrap().assume_utc();
        let response = StoredResponse::new("poll", valid, Receipt::generate(), at);
        h.store.insert_response(&response).unwrap();
        receipts.push(response.receipt);
    }
    h.store.flush().unwrap();
    receipts
}

fn answers_has(body: &Value, question: &str, value: &str) -> bool {
    body["answers"][question] == json!(value)
}

/// The summary from the kept counts, brought up to date.
fn kept(h: &Harness) -> Summary {
    let survey = h.state.catalog().latest("poll").unwrap().survey.clone();
    h.state
        .counts()
        .read(h.store.as_ref(), &survey, summarise_counted)
        .unwrap()
}

/// The summary from every response read again.
fn recounted(h: &Harness) -> Summary {
    let survey = h.state.catalog().latest("poll").unwrap().survey.clone();
    summarise(h.store.as_ref(), &survey).unwrap()
}

/// Details are listed in the order they were written either way; compared as sets, since
/// an erased one's place is not refilled from the rest.
fn same(kept: &Summary, recounted: &Summary, when: &str) {
    let mut kept = kept.clone();
    let mut recounted = recounted.clone();
    for q in kept
        .questions
        .iter_mut()
        .chain(recounted.questions.iter_mut())
    {
        q.details.sort();
    }
    assert_eq!(kept, recounted, "{when}");
}

#[tokio::test]
async fn the_kept_counts_equal_counting_every_response_again() {
    let h = Harness::new(Config::default());
    h.publish(poll(1));
    let mut seed = 7;
    let receipts = store_responses(&h, 60, &mut seed);
    same(&kept(&h), &recounted(&h), "first count");
    assert_eq!(
        kept(&h).respondents,
        voices_collector::summary::Shown::Count(60)
    );

    store_responses(&h, 25, &mut seed);
    same(&kept(&h), &recounted(&h), "after 25 more");

    // Staff erase two, through the API's own path.
    let secret = add_token(&h, "admin", Role::Admin);
    for receipt in &receipts[..2] {
        let request = Request::delete(format!("/api/admin/responses/{}", receipt.as_str()))
            .header(header::AUTHORIZATION, format!("Bearer {secret}"))
            .body(Body::empty())
            .unwrap();
        let reply = call(h.app(), request).await;
        assert!(reply.status.is_success(), "{}", reply.text());
    }
    same(&kept(&h), &recounted(&h), "after two erasures");
    assert_eq!(
        kept(&h).respondents,
        voices_collector::summary::Shown::Count(83)
    );

    // A new version counts against its own questions.
    h.publish(poll(2));
    store_responses(&h, 10, &mut seed);
    same(&kept(&h), &recounted(&h), "after a new version");
}

#[tokio::test]
async fn an_erasure_before_the_counts_read_it_is_not_taken_off_twice() {
    let h = Harness::new(Config::default());
    h.publish(poll(1));
    let mut seed = 11;
    store_responses(&h, 20, &mut seed);
    same(&kept(&h), &recounted(&h), "first count");
    // Stored after the counts were read, and erased before they read again.
    let late = store_responses(&h, 3, &mut seed);
    h.state
        .counts()
        .erase(h.store.as_ref(), late[0].as_str())
        .unwrap()
        .expect("it was stored");
    same(
        &kept(&h),
        &recounted(&h),
        "after erasing one the counts had not read",
    );
    // Retention's purge forgets the counts; they are counted again.
    let cutoff = time::Date::from_calendar_date(2026, time::Month::November, 10)
        .unwrap()
        .midnight()
        .assume_utc();
    while h
        .store
        .purge_chunk_before("poll", cutoff)
        .unwrap()
        .is_some()
    {}
    h.state.counts().forget("poll");
    same(&kept(&h), &recounted(&h), "after retention");
}

/// The reach page filtered by a channel, read beside its own table of channels and the
/// unfiltered summary: random surveys with a follow-up shown only by one answer, solved
/// exactly for anything hidden or never shown.
#[test]
fn a_filtered_view_beside_the_whole_gives_nothing_away() {
    use common::exact::solvable_exactly;
    use voices_collector::summary::{Shown, protect_one_way, sum_can_show};
    let mut definition = small_survey("random", 1, json!({}));
    let options = |values: &[&str]| -> Value {
        values
            .iter()
            .map(|v| json!({"value": v, "label": v}))
            .collect()
    };
    definition["pages"][0]["questions"] = json!([
        {"id": "a", "type": "single_choice", "label": "A", "options": options(&["x", "y", "z"])},
        {"id": "b", "type": "single_choice", "label": "B", "options": options(&["p", "q"])},
        {"id": "r", "type": "rating", "label": "R", "min": 1, "max": 2, "required": true,
         "visible_if": {"question": "a", "equals": "x"}}
    ]);
    let survey = voices_shared::Survey::from_value(&definition).unwrap();
    let questions = ["a", "b", "r"];
    let values = [
        vec!["x", "y", "z", ""],
        vec!["p", "q", ""],
        vec!["1", "2", ""],
    ];
    let mut seed: u64 = 0xf117e2;
    let (mut tested, mut matched_hidden) = (0, 0);
    for case in 0..1500 {
        let people = 5 + next(&mut seed, 30);
        // Each person: their answers to a, b, r, and their channel (0, 1 or 2).
        let mut rows: Vec<([&str; 3], u64)> = Vec::new();
        for _ in 0..people {
            let a = values[0][(next(&mut seed, 6) as usize).min(3)];
            let b = values[1][(next(&mut seed, 4) as usize).min(2)];
            let r = if a == "x" {
                values[2][next(&mut seed, 2) as usize]
            } else {
                ""
            };
            let channel = [0, 0, 0, 1, 1, 2][next(&mut seed, 6) as usize];
            rows.push(([a, b, r], channel));
        }
        let picked = next(&mut seed, 3);
        let answers: Vec<(voices_shared::Answers, bool)> = rows
            .iter()
            .map(|(r, channel)| {
                let mut map = serde_json::Map::new();
                for (q, v) in questions.iter().zip(r) {
                    if !v.is_empty() {
                        let value = if *q == "r" {
                            json!(v.parse::<u64>().unwrap())
                        } else {
                            json!(v)
                        };
                        map.insert((*q).into(), value);
                    }
                }
                (
                    serde_json::from_value(Value::Object(map)).unwrap(),
                    *channel == picked,
                )
            })
            .collect();
        // The page: its table of channels, and whether it may show how many the filter
        // matches beside it, as the reach page works it out.
        let channel_counts: Vec<u64> = (0..3)
            .map(|c| rows.iter().filter(|(_, ch)| *ch == c).count() as u64)
            .collect();
        let channel_table =
            protect_one_way(channel_counts.iter().copied().enumerate().collect(), 5);
        let channel_shown: Vec<Shown> = channel_table.iter().map(|(_, s)| *s).collect();
        let seen = sum_can_show(
            &channel_shown,
            &channel_counts
                .iter()
                .enumerate()
                .map(|(c, n)| (*n, c as u64 == picked))
                .collect::<Vec<_>>(),
            5,
        );
        let summary =
            summarise_answers_filtered(&survey, answers.iter().map(|(a, m)| (a, *m)), Some(seen));
        if summary.questions.is_empty() {
            continue;
        }
        tested += 1;
        let mut vars: Vec<(u64, Option<bool>)> = Vec::new();
        let mut sums: Vec<(usize, Vec<usize>)> = Vec::new();
        let mut var = |value: u64, shown: Option<Shown>| {
            vars.push((value, shown.map(|s| s != Shown::Hidden)));
            vars.len() - 1
        };
        let everyone = var(people, Some(summary.respondents));
        let channels: Vec<usize> = (0..3)
            .map(|c| var(channel_counts[c], Some(channel_shown[c])))
            .collect();
        sums.push((everyone, channels.clone()));
        let matching_total = channel_counts[picked as usize];
        let first = summary.questions[0].breakdown.as_ref().unwrap();
        if first.totals[0] == Shown::Hidden {
            matched_hidden += 1;
        }
        let matching_at = var(matching_total, Some(first.totals[0]));
        sums.push((matching_at, vec![channels[picked as usize]]));
        let rest_at = var(people - matching_total, None);
        sums.push((everyone, vec![matching_at, rest_at]));
        // Per question: its cells in all, among those matching, and among the rest.
        let mut cells: Vec<[Vec<usize>; 3]> = Vec::new();
        let mut answered_at: Vec<[usize; 3]> = Vec::new();
        for (qi, question) in questions.iter().enumerate() {
            let shown = summary
                .questions
                .iter()
                .find(|q| q.id == *question)
                .unwrap();
            let breakdown = shown.breakdown.as_ref().unwrap();
            let (mut whole, mut part, mut rest) = (Vec::new(), Vec::new(), Vec::new());
            for (k, v) in values[qi].iter().enumerate() {
                let n = |filter: Option<bool>| {
                    rows.iter()
                        .filter(|(r, ch)| {
                            r[qi] == *v && filter.is_none_or(|f| f == (*ch == picked))
                        })
                        .count() as u64
                };
                let w = var(n(None), Some(shown.answers[k].count));
                let p = var(n(Some(true)), Some(breakdown.rows[k][0]));
                let r = var(n(Some(false)), None);
                sums.push((w, vec![p, r]));
                whole.push(w);
                part.push(p);
                rest.push(r);
            }
            let answered = |filter: Option<bool>| {
                rows.iter()
                    .filter(|(r, ch)| {
                        !r[qi].is_empty() && filter.is_none_or(|f| f == (*ch == picked))
                    })
                    .count() as u64
            };
            let w_answered = var(answered(None), Some(shown.answered));
            let p_answered = var(answered(Some(true)), Some(breakdown.answered[0]));
            let r_answered = var(answered(Some(false)), None);
            let n = whole.len() - 1;
            sums.push((w_answered, whole[..n].to_vec()));
            sums.push((p_answered, part[..n].to_vec()));
            sums.push((r_answered, rest[..n].to_vec()));
            sums.push((everyone, vec![w_answered, whole[n]]));
            sums.push((matching_at, vec![p_answered, part[n]]));
            sums.push((rest_at, vec![r_answered, rest[n]]));
            cells.push([whole, part, rest]);
            answered_at.push([w_answered, p_answered, r_answered]);
        }
        // The follow-up: r is answered by exactly those who chose x, in every group.
        for g in 0..3 {
            sums.push((answered_at[2][g], vec![cells[0][g][0]]));
        }
        let hidden: Vec<bool> = vars.iter().map(|(_, s)| *s != Some(true)).collect();
        for (i, (value, shown)) in vars.iter().enumerate() {
            if *shown == Some(true) {
                assert!(
                    *value == 0 || *value >= 5,
                    "case {case}: count {i} = {value} shows"
                );
            }
        }
        for i in solvable_exactly(vars.len(), &sums, &hidden) {
            // How many the filter leaves out is everyone less those it matches: like the
            // sum of a table's hidden rows, known whenever both show.
            if i == rest_at {
                continue;
            }
            let (value, _) = vars[i];
            assert!(
                value == 0 || value >= 5,
                "case {case}: count {i} = {value}, hidden or never shown, can be worked out"
            );
        }
    }
    assert!(tested > 1000, "enough cases had a summary: {tested}");
    assert!(matched_hidden > 0, "some filters matched too few to show");
}

async fn reach_page(h: &Harness, secret: &str, query: &str) -> Reply {
    let request = Request::get(format!("/admin/surveys/poll/reach?{query}"))
        .header(header::AUTHORIZATION, format!("Bearer {secret}"))
        .body(Body::empty())
        .unwrap();
    call(h.app(), request).await
}

#[tokio::test]
async fn the_reach_page_compares_the_responses_its_filters_choose() {
    let h = Harness::new(Config::default());
    h.publish(poll(1));
    let mut seed = 3;
    store_responses(&h, 400, &mut seed);
    let admin = add_token(&h, "admin", Role::Admin);
    let put = Request::put("/api/admin/surveys/poll/population")
        .header(header::AUTHORIZATION, format!("Bearer {admin}"))
        .header(header::CONTENT_TYPE, "text/csv")
        .body(Body::from(
            "question,answer,people\ncolour,red,500\ncolour,blue,300\ncolour,other,200\n",
        ))
        .unwrap();
    let reply = call(h.app(), put).await;
    assert!(reply.status.is_success(), "{}", reply.text());

    // The filter's count of red, worked out from every response.
    let survey = h.state.catalog().latest("poll").unwrap().survey.clone();
    let filter = Filter {
        from: Some(time::Date::from_calendar_date(2026, time::Month::November, 5).unwrap()),
        to: Some(time::Date::from_calendar_date(2026, time::Month::November, 12).unwrap()),
        channel: Some(voices_shared::Channel::FaceToFace),
        version: Some(1),
    };
    let mut matching = 0;
    let mut red = 0;
    for response in h.store.responses("poll") {
        let response = response.unwrap();
        let day = response.submitted_at.date();
        if filter.from.unwrap() <= day
            && day <= filter.to.unwrap()
            && response.channel == voices_shared::Channel::FaceToFace
        {
            matching += 1;
            if response.answers.get("colour") == Some(&json!("red")) {
                red += 1;
            }
        }
    }
    assert!(
        red >= 5 && matching > red,
        "the seed gives a useful mix: {red} of {matching}"
    );
    let _ = survey;
    let page = reach_page(
        &h,
        &admin,
        "from=2026-11-05&to=2026-11-12&channel=face_to_face&version=1",
    )
    .await;
    assert_eq!(page.status, StatusCode::OK);
    let text = page.text();
    assert!(
        text.contains(&format!(
            "Responses matching these choices: <strong>{matching}</strong>"
        )),
        "{text}"
    );
    let table = &text[text
        .find("Responses and the area by group: Which colour?")
        .unwrap()..];
    let red_row = &table[table.find(">Red<").unwrap()..];
    let red_row = &red_row[..red_row.find("</tr>").unwrap()];
    assert!(red_row.contains(&format!(">{red}<")), "{red_row}");
    // The choices stay chosen.
    assert!(text.contains(r#"value="2026-11-05""#), "{text}");
    assert!(
        text.contains(r#"<option value="face_to_face" selected>"#),
        "{text}"
    );

    // Each problem is said at its field, and nothing is filtered.
    let page = reach_page(
        &h,
        &admin,
        "from=2026-11-31&to=2026-11-02&channel=carrier_pigeon&version=9",
    )
    .await;
    assert_eq!(page.status, StatusCode::OK);
    let text = page.text();
    for (field, message) in [
        ("from", "Enter the first day as a real date"),
        ("channel", "Choose a channel from the list"),
        ("version", "Choose a version from the list"),
    ] {
        assert!(
            text.contains(&format!(r##"<a href="#{field}">{message}"##)),
            "{field}: {text}"
        );
        assert!(
            text.contains(&format!(r#"id="{field}-error""#)),
            "{field}: {text}"
        );
    }
    assert!(!text.contains("Responses matching these choices"), "{text}");
    let page = reach_page(&h, &admin, "from=2026-11-12&to=2026-11-05").await;
    assert!(
        page.text()
            .contains("The last day must be the same as or after the first day")
    );
}

/// A survey whose questions with answers to count sit between questions with none (a
/// text, an information block, a number), with a rating from 0: the kept counts lay
/// every question's numbers out one after another, so a question counted in the wrong
/// place would shift every count after it.
fn mixed(version: u32) -> Value {
    let mut survey = small_survey("mixed", version, json!({}));
    let mut colours = vec![
        json!({"value": "red", "label": "Red"}),
        json!({"value": "blue", "label": "Blue"}),
        json!({"value": "green", "label": "Green"}),
    ];
    if version > 1 {
        // The new version drops red: "blue" moves to the first place.
        colours.remove(0);
    }
    survey["pages"][0]["questions"] = json!([
        {"id": "colour", "type": "single_choice", "label": "Which colour?", "options": colours},
        {"id": "note", "type": "text", "label": "Anything else?"},
        {"id": "about", "type": "info", "label": "About the next questions", "body": "Two more."},
        {"id": "zero", "type": "rating", "min": 0, "max": 10, "label": "From 0 to 10?"},
        {"id": "ways", "type": "multiple_choice", "label": "How would you tell us?", "options": [
            {"value": "email", "label": "Email"}, {"value": "phone", "label": "Phone"}
        ]},
        {"id": "visits", "type": "number", "label": "How many visits?"},
        {"id": "shade", "type": "single_choice", "label": "Which shade?", "options": [
            {"value": "light", "label": "Light"}, {"value": "dark", "label": "Dark"}
        ]}
    ]);
    survey
}

/// Stores one response to `mixed` with exactly these answers, as they might lie in a
/// store (not checked: an older collector, or a version the newest no longer matches).
fn store_raw(h: &Harness, answers: Value, day: u8, channel: &str, version: u32) -> Receipt {
    let survey = h.state.catalog().latest("mixed").unwrap().survey.clone();
    let body = json!({
        "submission_id": uuid::Uuid::new_v4(), "survey_version": survey.version(),
        "locale": "en", "answers": {}, "channel": channel,
    });
    let submission: voices_shared::Submission = serde_json::from_value(body).unwrap();
    let valid = survey.accept(submission).unwrap();
    let at = time::Date::from_calendar_date(2026, time::Month::November, day)
        .unwrap()
        .with_hms(9, 0, 0)
        .unwrap()
        .assume_utc();
    let mut response = StoredResponse::new("mixed", valid, Receipt::generate(), at);
    response.survey_version = version;
    response.answers = serde_json::from_value(answers).unwrap();
    h.store.insert_response(&response).unwrap();
    h.store.flush().unwrap();
    response.receipt
}

fn kept_mixed(h: &Harness, filter: &Filter) -> (Summary, Summary) {
    let survey = h.state.catalog().latest("mixed").unwrap().survey.clone();
    h.state
        .counts()
        .read(h.store.as_ref(), &survey, |counted| {
            summarise_filtered(counted, filter, None)
        })
        .unwrap()
}

/// Every stored response to `mixed` read again: the whole summary, and the split by
/// `filter` as the reach page shows it.
fn recounted_mixed(h: &Harness, filter: &Filter) -> (Summary, Summary) {
    let survey = h.state.catalog().latest("mixed").unwrap().survey.clone();
    let responses: Vec<StoredResponse> = h
        .store
        .responses("mixed")
        .collect::<Result<_, _>>()
        .unwrap();
    let matches = |r: &StoredResponse| {
        filter.from.is_none_or(|from| r.day() >= from)
            && filter.to.is_none_or(|to| r.day() <= to)
            && filter.channel.is_none_or(|c| r.channel == c)
            && filter.version.is_none_or(|v| r.survey_version == v)
    };
    (
        summarise(h.store.as_ref(), &survey).unwrap(),
        summarise_answers_filtered(
            &survey,
            responses.iter().map(|r| (&r.answers, matches(r))),
            None,
        ),
    )
}

/// The split tables carry no "please specify" texts when recounted from answers alone.
fn without_details(mut summary: Summary) -> Summary {
    for q in &mut summary.questions {
        q.details.clear();
        q.more_details = 0;
    }
    summary
}

fn november(day: u8) -> time::Date {
    time::Date::from_calendar_date(2026, time::Month::November, day).unwrap()
}

#[tokio::test]
async fn every_kind_of_question_and_stored_answer_is_counted_as_a_recount_counts_it() {
    let h = Harness::new(Config::default());
    // The lowest threshold hides least, so a count in the wrong place shows.
    let mut definition = mixed(1);
    definition["suppress_below"] = json!(3);
    h.publish(definition.clone());
    let mut seed = 5;
    let colours = ["red", "blue", "green"];
    let shades = ["light", "dark"];
    for n in 0..60 {
        let mut answers = serde_json::Map::new();
        if next(&mut seed, 4) > 0 {
            answers.insert("colour".into(), json!(colours[next(&mut seed, 3) as usize]));
        }
        if next(&mut seed, 2) == 0 {
            answers.insert("note".into(), json!(format!("note {n}")));
        }
        // Both ends of the scale, and the middle.
        answers.insert("zero".into(), json!([0, 10, 5][n % 3]));
        if next(&mut seed, 2) == 0 {
            answers.insert("ways".into(), json!(["phone", "email"]));
        }
        answers.insert("visits".into(), json!(next(&mut seed, 9)));
        answers.insert("shade".into(), json!(shades[next(&mut seed, 2) as usize]));
        store_raw(&h, Value::Object(answers), 1 + (n % 5) as u8, "online", 1);
    }
    // Answers as they might lie in a store, none of which `accept` would let in now.
    let odd = [
        json!({"zero": "7", "ways": ["email", "email", "nope"]}),
        json!({"zero": " 3 ", "ways": "email", "colour": 3}),
        json!({"zero": 11, "colour": ["red"], "note": null}),
        json!({"zero": -1, "ghost": 1, "shade": "dark"}),
        json!({"zero": 2.0, "shade": "purple", "visits": "many"}),
    ];
    let mut odd_receipts = Vec::new();
    for (n, answers) in odd.into_iter().enumerate() {
        odd_receipts.push(store_raw(&h, answers, 6 + n as u8, "paper", 1));
    }
    let everything = Filter::default();
    let (kept, _) = kept_mixed(&h, &everything);
    let (recounted, _) = recounted_mixed(&h, &everything);
    same(&kept, &recounted, "first count");
    assert_eq!(
        kept.respondents,
        voices_collector::summary::Shown::Count(65)
    );
    let zero = kept.questions.iter().find(|q| q.id == "zero").unwrap();
    let count_of = |value: &str| {
        zero.answers
            .iter()
            .find(|a| a.value == value)
            .unwrap()
            .count
    };
    // 20 each of 0, 10 and 5 from the first 60 (the odd ones' "7", " 3 " and 2.0, one
    // each, are too few to show).
    assert_eq!(count_of("0"), voices_collector::summary::Shown::Count(20));
    assert_eq!(count_of("10"), voices_collector::summary::Shown::Count(20));

    // Erased through the counts: two odd ones, each the only response of its day.
    for receipt in &odd_receipts[..2] {
        h.state
            .counts()
            .erase(h.store.as_ref(), receipt.as_str())
            .unwrap()
            .expect("it was stored");
    }
    let (kept, _) = kept_mixed(&h, &everything);
    same(
        &kept,
        &recounted_mixed(&h, &everything).0,
        "after erasing two",
    );
    let survey = h.state.catalog().latest("mixed").unwrap().survey.clone();
    let days: Vec<time::Date> = h
        .state
        .counts()
        .read(h.store.as_ref(), &survey, |c| c.slice_counts())
        .unwrap()
        .into_iter()
        .map(|(slice, _)| slice.day)
        .collect();
    assert!(!days.contains(&november(6)) && !days.contains(&november(7)));
    assert!(days.contains(&november(8)), "{days:?}");

    // A new version drops red, so every answer after it moves a place; an erasure of a
    // response to the old version that chose red takes nothing from the new counts.
    let mut definition = mixed(2);
    definition["suppress_below"] = json!(3);
    h.publish(definition);
    let red = store_raw(
        &h,
        json!({"colour": "red", "shade": "light"}),
        12,
        "online",
        1,
    );
    for n in 0..10u8 {
        let colour = ["blue", "green"][usize::from(n % 2)];
        store_raw(
            &h,
            json!({"colour": colour, "zero": n, "shade": "dark"}),
            12 + n % 3,
            ["online", "face_to_face"][usize::from(n % 2)],
            2,
        );
    }
    same(
        &kept_mixed(&h, &everything).0,
        &recounted_mixed(&h, &everything).0,
        "after a new version",
    );
    h.state
        .counts()
        .erase(h.store.as_ref(), red.as_str())
        .unwrap()
        .expect("it was stored");
    same(
        &kept_mixed(&h, &everything).0,
        &recounted_mixed(&h, &everything).0,
        "after erasing an old version's answer",
    );

    // Filters add up the slices they match, exactly as a recount of what they match.
    let filters = [
        Filter {
            version: Some(1),
            ..Filter::default()
        },
        Filter {
            version: Some(2),
            ..Filter::default()
        },
        Filter {
            channel: Some(voices_shared::Channel::Paper),
            ..Filter::default()
        },
        Filter {
            channel: Some(voices_shared::Channel::FaceToFace),
            ..Filter::default()
        },
        Filter {
            from: Some(november(2)),
            to: Some(november(4)),
            ..Filter::default()
        },
        Filter {
            from: Some(november(20)),
            to: Some(november(21)),
            ..Filter::default()
        },
    ];
    for filter in filters {
        let (_, kept) = kept_mixed(&h, &filter);
        let (_, recounted) = recounted_mixed(&h, &filter);
        assert_eq!(
            without_details(kept),
            without_details(recounted),
            "{filter:?}"
        );
    }
}
