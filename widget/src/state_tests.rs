//! Native tests of the survey reducer, driven through the example survey like a respondent would.

use std::sync::Arc;

use voices_shared::serde_json::{Value, json};
use voices_shared::uuid::Uuid;
use voices_shared::{Channel, Survey};

use crate::state::{
    Action, DatePart, DateParts, Draft, Focus, Screen, SurveyState, date_value, number_value,
};

const ENGAGEMENT: &str = include_str!("../../examples/surveys/engagement-2026.json");

fn start() -> SurveyState {
    let survey = Arc::new(Survey::parse(ENGAGEMENT).expect("the example parses"));
    SurveyState::new(survey, "en".into(), Channel::Online, Uuid::nil()).apply(Action::Start)
}

fn act(state: SurveyState, actions: Vec<Action>) -> SurveyState {
    actions.into_iter().fold(state, |s, a| s.apply(a))
}

fn toggle(q: &str, v: &str, on: bool) -> Action {
    Action::Toggle {
        question: q.into(),
        value: v.into(),
        on,
    }
}

/// Answers the first two pages of engagement-2026 and chooses on page 3's
/// first question, leaving page 3 showing.
fn through_page_two() -> Vec<Action> {
    vec![
        toggle("connection", "carer", true),
        choose("locality", "lochee"),
        Action::Continue,
        toggle("ways", "email", true),
        Action::Continue,
        choose("heard_back", "never"),
    ]
}

fn choose(q: &str, v: &str) -> Action {
    Action::Choose {
        question: q.into(),
        value: v.into(),
    }
}

#[test]
fn start_shows_the_first_page_and_focuses_its_heading() {
    let state = start();
    assert_eq!(state.screen, Screen::Page(0));
    assert_eq!(state.focus, Some(Focus::Heading));
    assert_eq!(state.progress(0), (1, 4));
}

#[test]
fn continue_with_missing_answers_stays_and_focuses_the_error_summary() {
    let state = start().apply(Action::Continue);
    assert_eq!(state.screen, Screen::Page(0));
    assert_eq!(state.focus, Some(Focus::ErrorSummary));
    let codes: Vec<_> = state
        .problems
        .iter()
        .map(|p| (p.question().unwrap(), p.code()))
        .collect();
    assert_eq!(
        codes,
        [("connection", "required"), ("locality", "required")]
    );
}

#[test]
fn specify_text_is_needed_when_its_option_is_ticked() {
    let state = act(
        start(),
        vec![
            toggle("connection", "other", true),
            choose("locality", "lochee"),
            Action::Continue,
        ],
    );
    assert_eq!(
        state.specify_problem_for("connection").map(|p| p.code()),
        Some("specify_missing")
    );
    let state = act(
        state,
        vec![
            Action::Specify {
                question: "connection".into(),
                text: "Neighbour".into(),
            },
            Action::Continue,
        ],
    );
    assert_eq!(state.screen, Screen::Page(1));
    assert!(state.problems.is_empty());
}

/// Details typed for "Something else", then that option unticked: the box is hidden and
/// the details go with it, so the page is not refused for words the person cannot see.
#[test]
fn details_for_an_option_not_chosen_are_dropped() {
    let state = act(
        start(),
        vec![
            toggle("connection", "other", true),
            Action::Specify {
                question: "connection".into(),
                text: "Neighbour".into(),
            },
            toggle("connection", "other", false),
            toggle("connection", "carer", true),
            choose("locality", "lochee"),
            Action::Continue,
        ],
    );
    assert!(state.problems.is_empty(), "{:?}", state.problems);
    assert_eq!(state.screen, Screen::Page(1));
    let submission = state.submission(None);
    assert!(submission.specify.is_empty(), "{:?}", submission.specify);
}

#[test]
fn exclusive_option_clears_the_others_and_the_others_clear_it() {
    let state = act(
        start(),
        vec![
            toggle("barriers", "cost", true),
            toggle("barriers", "transport", true),
        ],
    );
    assert_eq!(
        state.answers["barriers"],
        json!(["transport", "cost"]),
        "kept in the options' order"
    );
    let state = state.apply(toggle("barriers", "none", true));
    assert_eq!(state.answers["barriers"], json!(["none"]));
    let state = state.apply(toggle("barriers", "times", true));
    assert_eq!(state.answers["barriers"], json!(["times"]));
    let state = state.apply(toggle("barriers", "times", false));
    assert!(!state.answers.contains_key("barriers"));
}

#[test]
fn hidden_pages_are_skipped_and_back_returns_through_visible_ones() {
    let survey = Arc::new(
        Survey::parse(include_str!(
            "../../examples/surveys/community-transport.json"
        ))
        .unwrap(),
    );
    let state = SurveyState::new(survey, "en".into(), Channel::Online, Uuid::nil());
    let state = act(
        state,
        vec![
            Action::Start,
            choose("mode", "walk"),
            Action::Continue,
            choose("missed_any", "no"),
            Action::Continue,
        ],
    );
    assert_eq!(
        state.screen,
        Screen::Check,
        "the contact page is hidden for people who walk"
    );
    assert_eq!(state.progress(1), (2, 2));
    let state = state.apply(Action::Back);
    assert_eq!(state.screen, Screen::Page(1));
    let state = act(state, vec![Action::Back, Action::Back]);
    assert_eq!(state.screen, Screen::Start);
}

#[test]
fn change_returns_to_check_answers_after_continue() {
    let state = at_check().apply(Action::Change {
        question: "locality".into(),
    });
    assert_eq!(state.screen, Screen::Page(0));
    assert_eq!(state.focus, Some(Focus::Answer("locality".into())));
    // The checked radio, Lochee (the third option), not the first.
    assert_eq!(
        state.focus_target().as_deref(),
        Some("q-locality-opt-lochee")
    );
    let state = act(
        state,
        vec![choose("locality", "west_end"), Action::Continue],
    );
    assert_eq!(state.screen, Screen::Check);
    assert_eq!(state.focus, Some(Focus::ChangeLink("locality".into())));
    assert_eq!(state.focus_target().as_deref(), Some("change-locality"));
    let state = state.apply(Action::Send);
    assert_eq!(state.screen, Screen::Sending);
    let submission = state.submission(None);
    assert_eq!(submission.answers["locality"], json!("west_end"));
    assert_eq!(submission.answers["agree"], json!(true));
    assert!(!submission.answers.contains_key("face_to_face_where"));
}

#[test]
fn hidden_answers_are_not_sent() {
    let state = act(
        start(),
        vec![
            toggle("ways", "face_to_face", true),
            Action::Text {
                question: "face_to_face_where".into(),
                text: "Library".into(),
            },
            toggle("ways", "face_to_face", false),
            toggle("ways", "phone", true),
        ],
    );
    assert!(
        state.answers.contains_key("face_to_face_where"),
        "kept while the person might change back"
    );
    assert!(
        !state
            .submission(None)
            .answers
            .contains_key("face_to_face_where")
    );
}

#[test]
fn numbers_are_read_in_the_shapes_people_type_them() {
    let number = |text: &str| number_value(text).and_then(|v| v.as_f64());
    for (typed, read) in [
        ("+2.5", 2.5),
        (".5", 0.5),
        ("-.5", -0.5),
        ("5.", 5.0),
        ("007.5", 7.5),
        ("-0.25", -0.25),
        ("1e3", 1000.0),
        ("2.5E-1", 0.25),
        ("1 234.5", 1234.5),
    ] {
        assert_eq!(number(typed), Some(read), "{typed:?}");
    }
    // Whole numbers stay whole, up to u64 (before, "5." was 5.0 and 2^63 a float).
    assert_eq!(number_value("5."), Some(json!(5)));
    assert_eq!(number_value("-0012"), Some(json!(-12)));
    assert_eq!(
        number_value("12345678901234567890"),
        Some(json!(12345678901234567890u64))
    );
    // Not numbers: kept as typed, for `shared` to say so.
    for typed in [
        "1.2.3", "-", ".", "e5", "1e", "1e+", "--1", "+-1", "inf", "NaN", "1e400", "0x10", "½",
    ] {
        assert_eq!(
            number_value(typed),
            Some(Value::String(typed.into())),
            "{typed:?}"
        );
    }
}

#[test]
fn numbers_and_dates_are_read_as_typed() {
    assert_eq!(number_value(" 12 "), Some(json!(12)));
    assert_eq!(number_value("1,200"), Some(json!(1200)));
    assert_eq!(number_value("2.5"), Some(json!(2.5)));
    assert_eq!(number_value("twelve"), Some(Value::String("twelve".into())));
    assert_eq!(number_value("  "), None);
    let parts = |d: &str, m: &str, y: &str| DateParts {
        day: d.into(),
        month: m.into(),
        year: y.into(),
    };
    assert_eq!(
        date_value(&parts("3", "3", "2024")),
        Some(json!("2024-03-03"))
    );
    assert_eq!(
        date_value(&parts("03", "11", "2024")),
        Some(json!("2024-11-03"))
    );
    assert_eq!(date_value(&parts("", "", "")), None);
    for bad in [
        parts("31", "4", "2024"),
        parts("3", "3", "24"),
        parts("x", "3", "2024"),
        parts("3", "", "2024"),
    ] {
        let value = date_value(&bad).unwrap();
        assert!(
            voices_shared::CalendarDate::parse(value.as_str().unwrap()).is_none(),
            "{bad:?}"
        );
    }
}

#[test]
fn a_bad_number_and_date_are_reported_on_continue() {
    let state = act(
        start(),
        [
            through_page_two(),
            vec![
                Action::Number {
                    question: "times_taken_part".into(),
                    text: "lots".into(),
                },
                Action::DatePart {
                    question: "event_date".into(),
                    part: DatePart::Day,
                    text: "31".into(),
                },
                Action::DatePart {
                    question: "event_date".into(),
                    part: DatePart::Month,
                    text: "2".into(),
                },
                Action::DatePart {
                    question: "event_date".into(),
                    part: DatePart::Year,
                    text: "2025".into(),
                },
                Action::Continue,
            ],
        ]
        .concat(),
    );
    let codes: Vec<_> = state
        .problems
        .iter()
        .map(|p| (p.question().unwrap(), p.code()))
        .collect();
    assert_eq!(
        codes,
        [
            ("times_taken_part", "wrong_type"),
            ("event_date", "bad_date")
        ]
    );
    assert_eq!(
        state.numbers.get("times_taken_part").unwrap(),
        "lots",
        "what was typed stays on screen"
    );
}

#[test]
fn a_draft_restores_answers_and_page() {
    let state = act(
        start(),
        vec![
            toggle("connection", "carer", true),
            choose("locality", "lochee"),
            Action::Continue,
        ],
    );
    let draft = state.draft().expect("a draft while answering");
    let text = voices_shared::serde_json::to_string(&draft).unwrap();
    let restored = SurveyState::new(
        Arc::clone(state.survey()),
        "en".into(),
        Channel::Online,
        Uuid::max(),
    )
    .restore(
        Draft::from_json(voices_shared::serde_json::from_str(&text).unwrap())
            .expect("it reads back"),
    );
    assert_eq!(restored.answers, state.answers);
    assert_eq!(restored.screen, Screen::Page(1));
    assert_eq!(
        restored.submission_id,
        Uuid::nil(),
        "the same submission id, so a resend is a retry"
    );
}

#[test]
fn a_sent_response_leaves_no_draft() {
    let state = start().apply(Action::Sent {
        receipt: "K7QF-3MXD".into(),
    });
    assert_eq!(state.draft(), None);
}

#[test]
fn a_failed_send_returns_to_check_with_the_reason() {
    let state = start().apply(Action::SendFailed {
        message: "offline".into(),
    });
    assert_eq!(state.screen, Screen::Check);
    assert_eq!(state.send_error.as_deref(), Some("offline"));
    assert_eq!(state.focus, Some(Focus::ErrorSummary));
}

#[test]
fn a_queued_response_leaves_the_draft_to_the_outbox() {
    let state = act(
        start(),
        vec![
            toggle("connection", "carer", true),
            Action::Queued { offline: true },
        ],
    );
    assert_eq!(state.screen, Screen::Queued);
    assert_eq!(state.focus, Some(Focus::Heading));
    assert_eq!(state.draft(), None);
    let state = state.apply(Action::Sent {
        receipt: "K7QF-3MXD".into(),
    });
    assert_eq!(
        state.screen,
        Screen::Sent {
            receipt: "K7QF-3MXD".into()
        }
    );
}

#[test]
fn an_erased_response_forgets_its_answers_and_leaves_no_draft() {
    let waiting = act(start(), through_page_two()).apply(Action::Queued { offline: true });
    let erased = waiting.apply(Action::Erased);
    assert_eq!(erased.screen, Screen::Erased);
    assert_eq!(erased.focus, Some(Focus::Heading));
    assert_eq!(erased.draft(), None);
    assert!(erased.answers.is_empty(), "{:?}", erased.answers);
    assert!(erased.specify.is_empty() && erased.numbers.is_empty() && erased.dates.is_empty());
    assert_eq!(erased.send_error, None);
}

#[test]
fn a_response_waiting_in_the_outbox_resumes_with_its_submission_id() {
    let survey = Arc::new(Survey::parse(ENGAGEMENT).unwrap());
    let id = Uuid::from_u128(42);
    let state = SurveyState::new(survey, "en".into(), Channel::Online, Uuid::nil())
        .resume_queued(id, false);
    assert_eq!(state.screen, Screen::Queued);
    assert_eq!(state.submission_id, id);
}

#[test]
fn a_resumed_response_keeps_its_answers_for_a_refusal() {
    let answered = act(
        start(),
        vec![
            toggle("connection", "carer", true),
            choose("locality", "lochee"),
        ],
    );
    let snapshot = answered.snapshot();
    let survey = Arc::clone(answered.survey());
    let resumed = SurveyState::new(survey, "en".into(), Channel::Online, Uuid::max())
        .restore(snapshot)
        .resume_queued(answered.submission_id, false);
    assert_eq!(resumed.screen, Screen::Queued);
    let refused = resumed.apply(Action::SendFailed {
        message: "closed".into(),
    });
    assert_eq!(refused.screen, Screen::Check);
    assert_eq!(refused.answers, answered.answers);
    assert!(
        refused.draft().is_some(),
        "back in the draft, so nothing is lost"
    );
}

#[test]
fn another_tabs_answers_under_the_same_id_send_these_under_a_new_one() {
    let sending = act(start(), through_page_two()).apply(Action::Send);
    let id = Uuid::from_u128(9);
    let rekeyed = sending.apply(Action::NewSubmissionId(id));
    assert_eq!(rekeyed.submission_id, id);
    assert_eq!(rekeyed.submission(None).submission_id, id);
    assert_eq!(rekeyed.draft().map(|d| d.submission_id), Some(id));
    assert_eq!(rekeyed.answers, sending.answers);
    assert_eq!(rekeyed.screen, sending.screen);
}

/// engagement-2026 answered through to "Check your answers".
fn at_check() -> SurveyState {
    let state = act(
        start(),
        [
            through_page_two(),
            vec![
                Action::Continue,
                Action::Consent {
                    question: "agree".into(),
                    on: true,
                },
                Action::Continue,
            ],
        ]
        .concat(),
    );
    assert_eq!(state.screen, Screen::Check);
    state
}

#[test]
fn change_focuses_the_answer_given_and_back_returns_to_its_row() {
    // A multiple choice: the first ticked box ("carer", the second option).
    let state = at_check().apply(Action::Change {
        question: "connection".into(),
    });
    assert_eq!(
        state.focus_target().as_deref(),
        Some("q-connection-opt-carer")
    );
    // Back after Change goes back to check-your-answers, to the row, not to the start.
    let state = state.apply(Action::Back);
    assert_eq!(state.screen, Screen::Check);
    assert_eq!(state.focus_target().as_deref(), Some("change-connection"));
    // And Back from check-your-answers itself still goes to the last page.
    let state = state.apply(Action::Back);
    assert_eq!(state.screen, Screen::Page(3));
    assert!(!state.returning_to_check);

    // A rating, once rated: the chosen point.
    let state = at_check()
        .apply(Action::Change {
            question: "informed".into(),
        })
        .apply(Action::Rate {
            question: "informed".into(),
            value: 4,
        });
    let state = state.apply(Action::Change {
        question: "informed".into(),
    });
    assert_eq!(state.focus_target().as_deref(), Some("q-informed-opt-4"));
    // Unanswered questions and typed answers: the field itself (a date's day box).
    for question in ["event_date", "comments", "times_taken_part"] {
        let state = at_check().apply(Action::Change {
            question: question.into(),
        });
        assert_eq!(state.focus_target(), Some(format!("q-{question}")));
    }
}

#[test]
fn an_outcome_while_focus_is_elsewhere_is_announced_instead_of_moving_focus() {
    let sending = at_check().apply(Action::Send);
    let queued = sending.apply(Action::Background {
        outcome: Box::new(Action::Queued { offline: true }),
        focus_inside: true,
    });
    assert_eq!(queued.screen, Screen::Queued);
    assert_eq!(queued.focus, Some(Focus::Heading));
    assert_eq!(queued.announcement, "");

    // Waiting says nothing about sending, until the connection is back and it is true.
    assert!(!queued.sending_again);
    let again = queued.apply(Action::SendingAgain);
    assert!(again.sending_again);
    assert!(
        !again
            .apply(Action::StillQueued { offline: true })
            .sending_again
    );
    // Why it waits is said as it is: no connection, or the survey unable to take it.
    assert!(
        queued
            .queued_message()
            .starts_with("Waiting for a connection")
    );
    let busy = again.apply(Action::StillQueued { offline: false });
    assert!(
        busy.queued_message()
            .starts_with("The survey cannot take them just now")
    );
    assert_eq!(
        again.focus_count, queued.focus_count,
        "no focus move for either"
    );

    let sent = again.apply(Action::Background {
        outcome: Box::new(Action::Sent {
            receipt: "ABCD-EFGH".into(),
        }),
        focus_inside: false,
    });
    assert!(matches!(sent.screen, Screen::Sent { .. }));
    assert_eq!(sent.focus, None);
    assert_eq!(sent.focus_target(), None);
    assert_eq!(sent.announcement, "Thank you, your answers have been sent");
    assert!(!sent.sending_again);

    let refused = sending.apply(Action::Background {
        outcome: Box::new(Action::SendFailed {
            message: "This survey has closed.".into(),
        }),
        focus_inside: false,
    });
    assert_eq!(refused.screen, Screen::Check);
    // The error summary (an alert) says it: the announcer does not say it twice.
    assert_eq!(refused.announcement, "");
    assert_eq!(
        refused.send_error.as_deref(),
        Some("This survey has closed.")
    );

    // Anything the person does next clears what was announced, so the same words said
    // again later are announced again.
    assert_eq!(sent.apply(Action::SetLocale("pl".into())).announcement, "");
    let queued_away = sending.apply(Action::Background {
        outcome: Box::new(Action::Queued { offline: true }),
        focus_inside: false,
    });
    assert_eq!(
        queued_away.announcement,
        "Your answers are kept on this device. Waiting for a connection. Your answers will be \
         sent as soon as it is back: keep this page open, or open it again later."
    );
}

#[test]
fn the_character_count_speaks_only_after_the_last_keystroke_pauses() {
    let mut state = act(
        start(),
        vec![
            toggle("connection", "carer", true),
            choose("locality", "lochee"),
            Action::Continue,
        ],
    );
    for text in ["B", "Bu", "Bus", "Buse", "Buses"] {
        state = state.apply(Action::Text {
            question: "support".into(),
            text: text.into(),
        });
    }
    // A pause after an earlier keystroke is stale: more typing followed it.
    let stale = state.apply(Action::TypingPaused {
        typing: state.typing - 1,
    });
    assert_eq!(stale.spoken_count, None);
    let paused = state.apply(Action::TypingPaused {
        typing: state.typing,
    });
    assert_eq!(paused.spoken_count, Some(("support".to_owned(), 5)));
    // A new screen starts with nothing said.
    let moved = act(
        paused,
        vec![toggle("ways", "email", true), Action::Continue],
    );
    assert_eq!(moved.screen, Screen::Page(2));
    assert_eq!(moved.spoken_count, None);
}

#[test]
fn the_document_title_names_the_step_and_says_error_first() {
    let state = start();
    assert_eq!(
        state.document_title(),
        "Page 1 of 4: About your connection to our services – Have your say on how we involve you"
    );
    let errors = state.apply(Action::Continue);
    assert_eq!(
        errors.document_title(),
        "Error: Page 1 of 4: About your connection to our services – Have your say on how we involve you"
    );
    assert_eq!(
        at_check().document_title(),
        "Check your answers before sending them – Have your say on how we involve you"
    );
    let polish = at_check().apply(Action::SetLocale("pl".into()));
    assert!(
        polish
            .document_title()
            .ends_with("Wyraź swoją opinię o tym, jak Cię angażujemy")
    );
    let before = SurveyState::new(
        Arc::clone(state.survey()),
        "ar".into(),
        Channel::Online,
        Uuid::nil(),
    );
    assert_eq!(before.document_title(), "شاركنا رأيك في طريقة إشراكك");
}

#[test]
fn returning_from_change_to_a_row_the_new_answer_hides_focuses_the_heading() {
    // "What would help you take part?" shows only while a barrier other than "none" is ticked.
    let state = act(
        at_check(),
        vec![
            Action::Change {
                question: "barriers".into(),
            },
            toggle("barriers", "transport", true),
            Action::Continue,
            Action::Change {
                question: "support".into(),
            },
        ],
    );
    assert_eq!(state.focus, Some(Focus::Answer("support".into())));
    // Ticking "None of these" hides the very question being changed.
    let state = act(
        state,
        vec![toggle("barriers", "none", true), Action::Continue],
    );
    assert_eq!(state.screen, Screen::Check);
    assert_eq!(state.focus, Some(Focus::Heading));
    // The same on Back.
    let state = act(
        state,
        vec![
            Action::Change {
                question: "barriers".into(),
            },
            toggle("barriers", "transport", true),
            Action::Continue,
            Action::Change {
                question: "support".into(),
            },
            toggle("barriers", "none", true),
            Action::Back,
        ],
    );
    assert_eq!(state.screen, Screen::Check);
    assert_eq!(state.focus, Some(Focus::Heading));
}

#[test]
fn back_from_a_page_that_send_sent_back_to_returns_to_check_at_its_row() {
    // Send finds page 3's required answer gone (changed elsewhere since), and shows page 3.
    let mut state = at_check();
    state.answers.remove("heard_back");
    let state = state.apply(Action::Send);
    assert_eq!(state.screen, Screen::Page(2));
    let state = state.apply(Action::Back);
    assert_eq!(state.screen, Screen::Check);
    assert_eq!(state.focus_target().as_deref(), Some("change-heard_back"));
}

#[test]
fn change_is_ignored_while_sending_and_typing_pauses_are_not_said_twice() {
    let sending = at_check().apply(Action::Send);
    let still = sending.apply(Action::Change {
        question: "locality".into(),
    });
    assert_eq!(still.screen, Screen::Sending);
    // A language change does not repeat a count in the new language.
    let mut typed = start();
    typed = typed.apply(Action::Text {
        question: "support".into(),
        text: "Bus".into(),
    });
    let paused = typed.apply(Action::TypingPaused {
        typing: typed.typing,
    });
    assert!(paused.spoken_count.is_some());
    assert_eq!(
        paused.apply(Action::SetLocale("pl".into())).spoken_count,
        None
    );
}

#[test]
fn a_language_press_moves_focus_to_the_heading() {
    let polish = start().apply(Action::SetLocale("pl".into()));
    assert_eq!(polish.focus_target().as_deref(), Some(crate::ids::HEADING));
    assert_ne!(polish.focus_count, start().focus_count);
}

#[test]
fn text_read_from_a_posted_form_is_not_counted_aloud() {
    use crate::form_post::{SHOWN_FIELD, STATE_FIELD};
    let page_two = start().apply(toggle("connection", "carer", true));
    let page_two = act(
        page_two,
        vec![choose("locality", "lochee"), Action::Continue],
    );
    let fields = vec![
        (STATE_FIELD.to_owned(), page_two.carried()),
        (SHOWN_FIELD.to_owned(), "ways barriers support".to_owned()),
        ("barriers".to_owned(), "times".to_owned()),
        ("support".to_owned(), "More buses".to_owned()),
    ];
    let (read, _) =
        SurveyState::from_post(Arc::clone(page_two.survey()), &fields).expect("a form of ours");
    assert_eq!(
        read.answers.get("support"),
        Some(&Value::String("More buses".into()))
    );
    // Mounted from this, the widget's typing-pause timer has nothing to say.
    let paused = read.apply(Action::TypingPaused {
        typing: read.typing,
    });
    assert_eq!(paused.spoken_count, None);
}

#[test]
fn withdrawing_asks_first_goes_back_where_it_came_from_and_forgets_the_answers() {
    let sent = at_check().apply(Action::Send).apply(Action::Sent {
        receipt: "K7QF-3MXD".into(),
    });
    let asked = sent.apply(Action::AskWithdraw {
        receipt: "K7QF-3MXD".into(),
    });
    assert_eq!(
        asked.screen,
        Screen::Withdraw {
            receipt: "K7QF-3MXD".into(),
            from_sent: true,
            withdrawing: false
        }
    );
    assert_eq!(asked.focus_target().as_deref(), Some(crate::ids::HEADING));
    // "No, keep my response": back to the thank-you screen, or to the first screen.
    assert_eq!(
        asked.apply(Action::KeepResponse).screen,
        Screen::Sent {
            receipt: "K7QF-3MXD".into()
        }
    );
    let from_start = start().apply(Action::Back).apply(Action::AskWithdraw {
        receipt: "AAAA-BBBB".into(),
    });
    assert!(matches!(
        from_start.screen,
        Screen::Withdraw {
            from_sent: false,
            ..
        }
    ));
    assert_eq!(from_start.apply(Action::KeepResponse).screen, Screen::Start);

    // Confirmed (twice is once), refused, confirmed again, done.
    let going = asked.apply(Action::ConfirmWithdraw);
    assert_eq!(going.announcement, "Withdrawing your response…");
    let going = going.apply(Action::ConfirmWithdraw);
    assert!(matches!(
        going.screen,
        Screen::Withdraw {
            withdrawing: true,
            ..
        }
    ));
    let failed = going.apply(Action::WithdrawFailed {
        message: "offline".into(),
    });
    assert!(matches!(
        failed.screen,
        Screen::Withdraw {
            withdrawing: false,
            ..
        }
    ));
    assert_eq!(failed.send_error.as_deref(), Some("offline"));
    assert_eq!(
        failed.focus_target().as_deref(),
        Some(crate::ids::ERROR_SUMMARY)
    );
    let done = failed
        .apply(Action::ConfirmWithdraw)
        .apply(Action::Withdrew);
    assert_eq!(done.screen, Screen::Withdrawn);
    assert!(done.answers.is_empty() && done.specify.is_empty());
    assert!(done.draft().is_none());
    // An outcome that arrives after the person moved on changes nothing.
    assert_eq!(sent.apply(Action::Withdrew).screen, sent.screen);
}

/// A posted form is input from anyone: whatever its fields, reading it never panics, and a
/// form the survey rendered reads back as the very state it was rendered from. (Native
/// only: proptest is not built for wasm.)
#[cfg(not(target_arch = "wasm32"))]
mod posted_forms {
    use proptest::prelude::*;

    use super::*;
    use crate::form_post::{ACTION_FIELD, HONEYPOT_FIELD, SHOWN_FIELD, STATE_FIELD};

    fn survey() -> Arc<Survey> {
        Arc::new(Survey::parse(ENGAGEMENT).expect("the example parses"))
    }

    /// Field names a form of engagement-2026 has, and some it never has.
    fn name() -> impl Strategy<Value = String> {
        prop_oneof![
            Just(STATE_FIELD.to_owned()),
            Just(ACTION_FIELD.to_owned()),
            Just(SHOWN_FIELD.to_owned()),
            Just(HONEYPOT_FIELD.to_owned()),
            Just("voices-lang".to_owned()),
            Just("connection".to_owned()),
            Just("connection-specify".to_owned()),
            Just("locality".to_owned()),
            Just("informed".to_owned()),
            Just("times_taken_part".to_owned()),
            Just("event_date-day".to_owned()),
            Just("event_date-year".to_owned()),
            Just("agree".to_owned()),
            ".{0,12}",
        ]
    }

    /// Values that are sometimes a carried state (whole, cut short or tampered with).
    fn value(carried: String) -> impl Strategy<Value = String> {
        let cut = carried.clone();
        prop_oneof![
            Just(carried),
            (0..cut.len()).prop_map(move |at| cut.chars().take(at).collect()),
            Just(r#"{"draft":{"submission_id":"00000000-0000-0000-0000-000000000000","locale":"xx","answers":{"locality":[1,2]},"page":99},"check":true,"changing":"nope"}"#.to_owned()),
            Just("-9223372036854775808".to_owned()),
            Just("change:agree".to_owned()),
            ".{0,40}",
        ]
    }

    fn carried_after(actions: Vec<Action>) -> String {
        act(start(), actions).carried()
    }

    proptest! {
        #[test]
        fn any_fields_are_read_without_panicking(
            fields in proptest::collection::vec((name(), value(carried_after(through_page_two()))), 0..12)
        ) {
            let _ = SurveyState::from_post(survey(), &fields);
        }

        #[test]
        fn a_screen_reads_back_as_the_state_it_was_rendered_from(
            steps in 0usize..=8,
        ) {
            let actions: Vec<Action> = through_page_two().into_iter().take(steps).collect();
            let shown = act(start(), actions);
            let fields = vec![(STATE_FIELD.to_owned(), shown.carried())];
            let (read, _) = SurveyState::from_post(survey(), &fields).expect("a form of ours");
            prop_assert_eq!(read.carried(), shown.carried());
            prop_assert_eq!(read.screen, shown.screen);
        }
    }
}

#[test]
fn an_address_for_updates_is_checked_here_sent_once_and_its_outcome_takes_focus() {
    use crate::email_offer::{EmailOffer, FIELD_ID, KEPT_ID};
    let sent = at_check().apply(Action::Send).apply(Action::Sent {
        receipt: "K7QF-3MXD".into(),
    });
    assert_eq!(sent.email, EmailOffer::Open);
    // Not an address: said at the field, which takes focus; nothing is sent.
    let wrong = sent.apply(Action::OfferEmail {
        address: "ana at example".into(),
    });
    assert_eq!(
        wrong.email,
        EmailOffer::Wrong {
            address: "ana at example".into(),
            message: "Enter an email address in the correct format, like name@example.com".into()
        }
    );
    assert_eq!(wrong.focus_target().as_deref(), Some(FIELD_ID));
    // An address, trimmed, on its way; a second press meanwhile does nothing.
    let sending = wrong.apply(Action::OfferEmail {
        address: " ana@example.org ".into(),
    });
    assert_eq!(
        sending.email,
        EmailOffer::Sending {
            address: "ana@example.org".into()
        }
    );
    let pressed_again = sending.apply(Action::OfferEmail {
        address: "other@example.org".into(),
    });
    assert!(
        pressed_again.email == sending.email && pressed_again.focus_count == sending.focus_count
    );
    // Not kept: the address stays typed, with the reason; kept: the message takes focus.
    assert_eq!(sending.announcement, "Saving your email address…");
    let failed = sending.apply(Action::EmailNotKept {
        message: "Try again".into(),
    });
    assert_eq!(
        failed.email,
        EmailOffer::Wrong {
            address: "ana@example.org".into(),
            message: "Try again".into()
        }
    );
    assert_eq!(failed.focus_target().as_deref(), Some(FIELD_ID));
    let kept = sending.apply(Action::EmailKept);
    assert_eq!(kept.email, EmailOffer::Kept);
    assert_eq!(kept.focus_target().as_deref(), Some(KEPT_ID));
    // Only after Send: there is no offer on any other screen.
    let early = at_check().apply(Action::OfferEmail {
        address: "ana@example.org".into(),
    });
    assert_eq!(early.email, EmailOffer::Open);
}

#[test]
fn a_form_carries_a_qr_code_s_channel_but_never_a_staff_one() {
    use crate::form_post::STATE_FIELD;
    let read_back = |channel: Channel| {
        let mut shown = start();
        shown.channel = channel;
        let fields = vec![(STATE_FIELD.to_owned(), shown.carried())];
        let (read, _) =
            SurveyState::from_post(Arc::clone(shown.survey()), &fields).expect("a form of ours");
        read.channel
    };
    assert_eq!(read_back(Channel::Qr), Channel::Qr);
    assert_eq!(read_back(Channel::Online), Channel::Online);
    // A form anyone can post cannot say that staff recorded the answers.
    for staff in [Channel::FaceToFace, Channel::Phone, Channel::Paper] {
        assert_eq!(read_back(staff), Channel::Online, "{staff:?}");
    }
}

#[test]
fn a_recorded_response_leaves_nothing_of_the_person_for_the_next() {
    let next = Uuid::from_u128(7);
    let mut answered = act(start(), through_page_two());
    answered.set_locale("pl".into());
    let focus_before = answered.focus_count;
    let recorded = answered.apply(Action::Recorded {
        submission_id: next,
    });
    assert_eq!(recorded.screen, Screen::Recorded);
    assert!(recorded.answers.is_empty());
    assert_eq!(recorded.submission_id, next);
    assert_eq!(recorded.draft(), None, "nothing to keep as a draft");
    // The language stays for the next person; focus moves, and is seen to move.
    assert_eq!(recorded.locale, "pl");
    assert_eq!(recorded.focus, Some(Focus::Heading));
    assert!(recorded.focus_count > focus_before);
    let fresh = recorded.apply(Action::NextPerson);
    assert_eq!(fresh.screen, Screen::Start);
    assert_eq!(fresh.submission_id, next);
    // Only from the recorded screen.
    let still = act(start(), through_page_two()).apply(Action::NextPerson);
    assert_eq!(still.screen, Screen::Page(2));
}

#[test]
fn stop_and_clear_forgets_every_answer_and_says_so() {
    let cleared = act(start(), through_page_two()).apply(Action::Cleared {
        submission_id: Uuid::from_u128(9),
    });
    assert_eq!(cleared.screen, Screen::Start);
    assert!(cleared.answers.is_empty() && cleared.specify.is_empty());
    assert_eq!(cleared.submission_id, Uuid::from_u128(9));
    assert_eq!(cleared.announcement, "Your answers have been cleared.");
    assert_eq!(cleared.focus, Some(Focus::Heading));
}

/// engagement-2026 offered in Easy Read too (its text falls back to English).
fn with_easy_read() -> SurveyState {
    let mut definition: Value = voices_shared::serde_json::from_str(ENGAGEMENT).unwrap();
    definition["locales"]
        .as_array_mut()
        .unwrap()
        .push(json!("en-x-easy"));
    let survey = Arc::new(Survey::from_value(&definition).expect("it parses"));
    SurveyState::new(survey, "en".into(), Channel::Online, Uuid::nil()).apply(Action::Start)
}

/// Easy Read lays the survey out a question to a page; switching keeps the reader on the
/// first question showing, keeps only the errors on screen, and shows no page for a
/// question its own condition hides.
#[test]
fn switching_to_easy_read_keeps_the_place_and_only_the_errors_on_screen() {
    let state = act(with_easy_read(), vec![Action::Continue]);
    assert_eq!(state.screen, Screen::Page(0));
    let standard: Vec<&str> = state.problems.iter().filter_map(|p| p.question()).collect();
    assert_eq!(standard, ["connection", "locality"]);

    let easy = state.apply(Action::SetLocale("en-x-easy".into()));
    let Screen::Page(page) = easy.screen else {
        panic!("a page shows: {:?}", easy.screen)
    };
    assert_eq!(easy.survey().pages()[page].questions().len(), 1);
    assert_eq!(
        easy.survey().pages()[page].questions()[0].id(),
        "connection"
    );
    let shown: Vec<&str> = easy.problems.iter().filter_map(|p| p.question()).collect();
    assert_eq!(
        shown,
        ["connection"],
        "the other page's error is not said here"
    );

    // Through page 2 in Easy Read without choosing "Face to face": the conditional
    // questions get no screen of their own.
    let mut easy = act(
        easy,
        vec![
            toggle("connection", "carer", true),
            Action::Continue,
            choose("locality", "lochee"),
            Action::Continue,
            toggle("ways", "email", true),
            Action::Continue,
        ],
    );
    let mut seen = Vec::new();
    while let Screen::Page(page) = easy.screen {
        let id = easy.survey().pages()[page].questions()[0].id().to_owned();
        assert_ne!(id, "face_to_face_where", "a hidden question has no screen");
        if seen.contains(&id) {
            break;
        }
        seen.push(id);
        easy = easy.apply(Action::Continue);
    }
    assert!(!seen.is_empty());

    // Back to standard English from a question's own page: the page that holds it.
    let easy = act(
        with_easy_read(),
        vec![Action::SetLocale("en-x-easy".into())],
    );
    let easy = act(
        easy,
        vec![toggle("connection", "carer", true), Action::Continue],
    );
    let back = easy.apply(Action::SetLocale("en".into()));
    assert_eq!(back.screen, Screen::Page(0));
    assert!(back.answers.contains_key("connection"));
}

mod typed_numbers {
    use proptest::prelude::*;

    use super::*;

    /// A number as a person might type it, within what serde_json reads exactly with or
    /// without `float_roundtrip`: a sign, at most 15 digits around a decimal point, and
    /// an exponent that keeps the power of ten within ±22.
    fn typed_number() -> impl Strategy<Value = String> {
        (
            prop_oneof![Just(""), Just("-"), Just("+")],
            "[0-9]{0,9}",
            proptest::option::of("[0-9]{0,6}"),
            proptest::option::of((prop_oneof![Just("e"), Just("E")], -16i32..=16)),
        )
            .prop_map(|(sign, whole, fraction, exponent)| {
                let mut typed = format!("{sign}{whole}");
                if let Some(fraction) = fraction {
                    typed = format!("{typed}.{fraction}");
                }
                if let Some((e, power)) = exponent {
                    typed = format!("{typed}{e}{power}");
                }
                typed
            })
    }

    proptest! {
        #[test]
        fn a_typed_number_is_read_as_rust_reads_it(typed in typed_number()) {
            let read = number_value(&typed).and_then(|value| value.as_f64());
            let rust = typed.parse::<f64>().ok();
            prop_assert_eq!(read, rust);
        }
    }
}

/// Ticked boxes are kept in the options' own order, whatever order they were ticked in; a
/// value no option has (only ever in an altered draft) stays first, and stays.
#[test]
fn ticked_boxes_keep_the_options_order_and_an_unknown_value_stays_first() {
    let ticked = act(
        start(),
        vec![
            toggle("connection", "resident", true),
            toggle("connection", "carer", true),
            toggle("connection", "uses_services", true),
        ],
    );
    assert_eq!(
        ticked.answers.get("connection"),
        Some(&json!(["uses_services", "carer", "resident"]))
    );

    let mut draft = start().snapshot();
    draft
        .answers
        .insert("connection".into(), json!(["works", "nonsense"]));
    let restored = start().restore(draft);
    let toggled = restored.apply(toggle("connection", "carer", true));
    assert_eq!(
        toggled.answers.get("connection"),
        Some(&json!(["nonsense", "carer", "works"]))
    );
}
