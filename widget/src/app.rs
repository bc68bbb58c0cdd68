//! `App`: one survey on a page. Owns the reducer, moves focus, keeps the draft, and sends.

use std::rc::Rc;

use voices_shared::uuid::Uuid;
use voices_shared::{Channel, Survey};
use wasm_bindgen::JsCast;
use yew::prelude::*;

use crate::check_screen::CheckScreen;
use crate::draft_storage;
use crate::ids;
use crate::language_picker::{LanguagePickerProps, language_picker};
use crate::locale::direction;
use crate::outbox::{self, Pending};
use crate::page_screen::PageScreen;
use crate::queued_screen::QueuedScreen;
use crate::sender::{self, SendOutcome};
use crate::sent_screen::SentScreen;
use crate::start_screen::StartScreen;
use crate::state::{Action, Focus, Screen, SurveyState};

#[derive(Properties, PartialEq)]
pub struct AppProps {
    pub survey: Rc<Survey>,
    /// A locale the survey offers, already negotiated by `mount`.
    pub locale: AttrValue,
    /// The collector's origin, where responses go.
    pub collector: AttrValue,
    pub channel: Channel,
}

/// A fresh random submission id from the browser's `crypto.getRandomValues`
/// (available on plain http too, unlike `randomUUID`).
fn new_submission_id() -> Uuid {
    let mut bytes = [0u8; 16];
    if let Some(crypto) = web_sys::window().and_then(|w| w.crypto().ok()) {
        let _ = crypto.get_random_values_with_u8_array(&mut bytes);
    }
    voices_shared::uuid::Builder::from_random_bytes(bytes).into_uuid()
}

fn draft_key(props: &AppProps) -> String {
    format!(
        "voices:{}:{}:v{}",
        props.collector,
        props.survey.id(),
        props.survey.version()
    )
}

#[function_component]
pub fn App(props: &AppProps) -> Html {
    let key = draft_key(props);
    let state = {
        let survey = Rc::clone(&props.survey);
        let locale = props.locale.to_string();
        let channel = props.channel;
        let key = key.clone();
        let collector = props.collector.to_string();
        use_reducer(move || {
            let waiting = outbox::waiting(&collector, survey.id());
            let fresh = SurveyState::new(survey, locale, channel, new_submission_id());
            if let Some(pending) = waiting {
                let with_answers = match pending.draft {
                    Some(draft) => fresh.restore(draft),
                    None => fresh,
                };
                return with_answers.resume_queued(pending.submission_id);
            }
            match draft_storage::load(&key) {
                Some(draft) => fresh.restore(draft),
                None => fresh,
            }
        })
    };
    let root = use_node_ref();

    let focus_by_id = {
        let root = root.clone();
        Callback::from(move |id: String| {
            let target = root
                .cast::<web_sys::Element>()
                .and_then(|r| r.query_selector(&format!("#{id}")).ok().flatten())
                .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok());
            if let Some(target) = target {
                let _ = target.focus();
            }
        })
    };

    // Focus follows the person: to the new heading, the error summary, or the question to change.
    {
        let focus = state.focus.clone();
        let focus_by_id = focus_by_id.clone();
        use_effect_with(state.focus_count, move |_| {
            let target = match focus {
                Some(Focus::Heading) => Some(ids::HEADING.to_owned()),
                Some(Focus::ErrorSummary) => Some(ids::ERROR_SUMMARY.to_owned()),
                Some(Focus::Question(question)) => Some(ids::field(&question)),
                None => None,
            };
            if let Some(target) = target {
                focus_by_id.emit(target);
            }
        });
    }

    // Every change is kept on the device until the response is stored.
    {
        let draft = state.draft();
        use_effect_with(draft, move |draft| {
            draft_storage::save(&key, draft.as_ref())
        });
    }

    let url = format!(
        "{}/api/surveys/{}/responses",
        props.collector.trim_end_matches('/'),
        props.survey.id()
    );

    // Sending happens here, outside the pure reducer. The response goes into the
    // outbox first, so that closing the tab mid-request loses nothing.
    {
        let state = state.clone();
        let sending = state.screen == Screen::Sending;
        let url = url.clone();
        let collector = props.collector.to_string();
        use_effect_with(sending, move |&sending| {
            if sending {
                let submission = state.submission(None);
                let pending = Pending {
                    survey_id: state.survey().id().to_owned(),
                    submission_id: submission.submission_id,
                    body: voices_shared::serde_json::to_string(&submission).unwrap_or_default(),
                    draft: Some(state.snapshot()),
                };
                outbox::put(&collector, pending.clone());
                yew::platform::spawn_local(async move {
                    let outcome = sender::send(&url, &pending.body).await;
                    state.dispatch(settle(&collector, &pending, outcome, &state.locale));
                });
            }
        });
    }

    // Waiting in the outbox: try again with growing pauses, and at once when the
    // connection comes back, until the collector answers for good.
    {
        let state = state.clone();
        let queued = state.screen == Screen::Queued;
        let collector = props.collector.to_string();
        let survey_id = props.survey.id().to_owned();
        use_effect_with(queued, move |&queued| {
            if queued {
                yew::platform::spawn_local(async move {
                    let mut attempt = 0;
                    loop {
                        pause_before_retry(attempt).await;
                        let Some(pending) = outbox::waiting(&collector, &survey_id) else {
                            return;
                        };
                        let outcome = sender::send(&url, &pending.body).await;
                        if let SendOutcome::NotYet(reason) = &outcome {
                            web_sys::console::warn_1(
                                &format!("voices-survey: not sent yet: {reason}").into(),
                            );
                            attempt += 1;
                            continue;
                        }
                        state.dispatch(settle(&collector, &pending, outcome, &state.locale));
                        return;
                    }
                });
            }
        });
    }

    let locale = state.locale.clone();
    let screen = match &state.screen {
        Screen::Start => html! { <StartScreen state={state.clone()} /> },
        Screen::Page(page) => {
            html! { <PageScreen state={state.clone()} page={*page} on_focus={focus_by_id.clone()} /> }
        }
        Screen::Check | Screen::Sending => html! { <CheckScreen state={state.clone()} /> },
        Screen::Queued => html! { <QueuedScreen state={state.clone()} /> },
        Screen::Sent { receipt } => {
            html! { <SentScreen state={state.clone()} receipt={AttrValue::from(receipt.clone())} /> }
        }
    };
    html! {
        <div class="voices" lang={locale.clone()} dir={direction(&locale)} ref={root}>
            { language_picker(&LanguagePickerProps { state: state.clone() }) }
            { screen }
        </div>
    }
}

/// What one attempt's outcome means for the person, and for the outbox.
fn settle(collector: &str, pending: &Pending, outcome: SendOutcome, locale: &str) -> Action {
    let catalogue = voices_shared::catalogue(locale);
    match outcome {
        SendOutcome::Stored(receipt) => {
            outbox::remove(collector, pending.submission_id);
            Action::Sent { receipt }
        }
        SendOutcome::Refused(message) => {
            // Sending it again would be refused again: the person is shown the
            // check-answers screen with the problem, answers intact.
            outbox::remove(collector, pending.submission_id);
            web_sys::console::error_1(
                &format!("voices-survey: the collector refused the response: {message}").into(),
            );
            Action::SendFailed {
                message: catalogue.send_failed.to_owned(),
            }
        }
        SendOutcome::NotYet(reason) => {
            web_sys::console::warn_1(&format!("voices-survey: not sent yet: {reason}").into());
            Action::Queued
        }
    }
}

fn is_online() -> bool {
    web_sys::window().is_none_or(|w| w.navigator().on_line())
}

/// Waits 1 s before the first retry, then about 2, 4, 8 ... up to 60 s, each
/// with random spread so that many phones coming back at once do not all
/// knock together; returns early when the connection comes back.
async fn pause_before_retry(attempt: u32) {
    let base_seconds = if attempt == 0 {
        1.0
    } else {
        f64::from((2u32 << attempt.min(5)).min(60))
    };
    let wait_ms = base_seconds * 1000.0 * (0.5 + js_sys::Math::random() * 0.5);
    let was_online = is_online();
    let mut waited = 0.0;
    while waited < wait_ms {
        yew::platform::time::sleep(std::time::Duration::from_millis(500)).await;
        waited += 500.0;
        if !was_online && is_online() {
            return;
        }
    }
}
