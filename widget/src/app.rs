//! `App`: one survey on a page. Owns the reducer, moves focus, keeps the draft, and sends.

use std::rc::Rc;

use voices_shared::uuid::Uuid;
use voices_shared::{Channel, Survey};
use wasm_bindgen::JsCast;
use yew::prelude::*;

use crate::check_screen::CheckScreen;
use crate::draft_storage;
use crate::ids;
use crate::language_picker::LanguagePicker;
use crate::locale::direction;
use crate::page_screen::PageScreen;
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
        use_reducer(move || {
            let fresh = SurveyState::new(survey, locale, channel, new_submission_id());
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

    // Sending happens here, outside the pure reducer.
    {
        let state = state.clone();
        let sending = state.screen == Screen::Sending;
        let url = format!(
            "{}/api/surveys/{}/responses",
            props.collector.trim_end_matches('/'),
            props.survey.id()
        );
        use_effect_with(sending, move |&sending| {
            if sending {
                let body = voices_shared::serde_json::to_string(&state.submission(None))
                    .unwrap_or_default();
                yew::platform::spawn_local(async move {
                    let catalogue = voices_shared::catalogue(&state.locale);
                    let action = match sender::send(&url, &body).await {
                        SendOutcome::Stored(receipt) => Action::Sent { receipt },
                        SendOutcome::Refused(message) => {
                            web_sys::console::error_1(
                                &format!(
                                    "voices-survey: the collector refused the response: {message}"
                                )
                                .into(),
                            );
                            Action::SendFailed {
                                message: catalogue.send_failed.to_owned(),
                            }
                        }
                        SendOutcome::NotYet(message) => {
                            web_sys::console::warn_1(
                                &format!("voices-survey: not sent yet: {message}").into(),
                            );
                            Action::SendFailed {
                                message: format!(
                                    "{} {}",
                                    catalogue.send_failed, catalogue.unreachable_send
                                ),
                            }
                        }
                    };
                    state.dispatch(action);
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
        Screen::Sent { receipt } => {
            html! { <SentScreen state={state.clone()} receipt={AttrValue::from(receipt.clone())} /> }
        }
    };
    html! {
        <div class="voices" lang={locale.clone()} dir={direction(&locale)} ref={root}>
            <LanguagePicker state={state.clone()} />
            { screen }
        </div>
    }
}
