//! `App`: one survey on a page. Owns the reducer, moves focus, keeps the draft, and sends.

use std::rc::Rc;
use std::sync::Arc;

use voices_shared::uuid::Uuid;
use voices_shared::{Channel, Survey};
use wasm_bindgen::JsCast;
use yew::prelude::*;

use crate::check_screen::{CheckScreenProps, check_screen};
use crate::draft_storage;
use crate::erased_screen::{ErasedScreenProps, erased_screen};
use crate::headings::Headings;
use crate::ids;
use crate::language_picker::{LanguagePickerProps, language_picker};
use crate::locale::direction;
use crate::outbox::{self, Pending};
use crate::page_screen::{PageScreenProps, page_screen};
use crate::queued_screen::{QueuedScreenProps, queued_screen};
use crate::recorded_screen::recorded_screen;
use crate::sender::{self, SendOutcome};
use crate::sent_records;
use crate::sent_screen::{SentScreenProps, sent_screen};
use crate::start_screen::{StartScreenProps, start_screen};
use crate::state::{Action, Screen, SurveyState};
use crate::submission_id;
use crate::withdraw_screen::{WithdrawScreenProps, withdraw_screen, withdrawn_screen};

#[derive(Properties, PartialEq)]
pub struct AppProps {
    pub survey: Arc<Survey>,
    /// A locale the survey offers, already negotiated by `mount`.
    pub locale: AttrValue,
    /// The collector's origin, where responses go.
    pub collector: AttrValue,
    pub channel: Channel,
    /// Drawn at random by `mount` (see `submission_id::draw`): a fresh response starts
    /// under it.
    pub submission_id: Uuid,
    /// The heading levels the page asked for.
    pub headings: Headings,
    /// The survey is the whole page (the hosted page, or a partner's page given to it
    /// with the `whole-page` attribute): it names each step in the document title and
    /// sets the document's language.
    pub whole_page: bool,
    /// The state to start from, instead of a fresh one or what this device kept: the
    /// screen the collector rendered (server-side, and when the browser takes over).
    pub initial: Option<Rc<SurveyState>>,
    /// The survey's published updates, when there are any: its first screen links to them.
    pub outcomes: Option<Rc<voices_shared::outcomes::Outcomes>>,
    /// The survey has closed, and is shown only for the responses this device sent to it
    /// (to see or withdraw them): its first screen says so and offers no Start.
    pub closed: bool,
    /// On the collect page: where Send hands the response (see [`Collecting`]).
    pub collect: Option<Collecting>,
}

/// The collect page's hand for responses recorded with someone: called with the
/// submission's JSON, it answers a promise of true once it has sealed and kept it (false if
/// it could not). Only then does the widget forget it.
#[derive(Clone)]
pub struct Collecting(pub Rc<js_sys::Function>);

impl PartialEq for Collecting {
    fn eq(&self, other: &Collecting) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}

impl Collecting {
    /// Hands `body` over; false when the page did not keep it (its script failed, or the
    /// device would not seal or store it).
    async fn hand_over(&self, body: &str) -> bool {
        let Ok(answer) = self.0.call1(&wasm_bindgen::JsValue::NULL, &body.into()) else {
            return false;
        };
        let promise = js_sys::Promise::resolve(&answer);
        wasm_bindgen_futures::JsFuture::from(promise)
            .await
            .ok()
            .and_then(|kept| kept.as_bool())
            .unwrap_or(false)
    }
}

fn draft_key(props: &AppProps) -> String {
    draft_key_for(&props.collector, &props.survey)
}

/// Where this device keeps the draft of `survey` sent to `collector`.
pub(crate) fn draft_key_for(collector: &str, survey: &voices_shared::Survey) -> String {
    format!("voices:{}:{}:v{}", collector, survey.id(), survey.version())
}

#[function_component]
pub fn App(props: &AppProps) -> Html {
    let key = draft_key(props);
    let state = {
        let survey = Arc::clone(&props.survey);
        let locale = props.locale.to_string();
        let channel = props.channel;
        let key = key.clone();
        let collector = props.collector.to_string();
        let submission_id = props.submission_id;
        let initial = props.initial.clone();
        let collecting = props.collect.is_some();
        use_reducer(move || {
            if let Some(initial) = initial {
                return (*initial).clone();
            }
            // A device staff collect with keeps nothing of one person for the next.
            if collecting {
                return SurveyState::new(survey, locale, channel, submission_id);
            }
            let waiting = outbox::waiting(&collector, survey.id());
            let fresh = SurveyState::new(survey, locale, channel, submission_id);
            if let Some(pending) = waiting {
                let with_answers = match pending.draft {
                    Some(draft) => fresh.restore(draft),
                    None => fresh,
                };
                return with_answers.resume_queued(pending.submission_id, !is_online());
            }
            match draft_storage::load(&key) {
                Some(draft) => fresh.restore(draft),
                None => fresh,
            }
        })
    };
    let root = use_node_ref();

    // A language whose words are not here yet (a draft kept in it, restored) shows in
    // English words until they come, then again in its own.
    {
        let redraw = use_force_update();
        use_effect_with(state.locale.clone(), move |locale| {
            if !voices_shared::has_words(locale) {
                let locale = locale.clone();
                yew::platform::spawn_local(async move {
                    crate::words::ensure(&locale).await;
                    redraw.force_update();
                });
            }
        });
    }

    // The responses this device sent to this survey, read again whenever the screen
    // changes (one was just stored, or withdrawn). Only in the browser: the server has no
    // device to read.
    let sent = {
        let collector = props.collector.to_string();
        let id = props.survey.id().to_owned();
        let collecting = props.collect.is_some();
        let read = move || {
            if cfg!(target_arch = "wasm32") && !collecting {
                sent_records::list(&collector, &id)
            } else {
                Vec::new()
            }
        };
        let sent = use_state({
            let read = read.clone();
            move || read()
        });
        let setter = sent.clone();
        use_effect_with(state.screen.clone(), move |_| setter.set(read()));
        sent
    };

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

    // Focus follows the person: to the new heading, the error summary, the answer to
    // change, or the row they changed. Outcomes that arrive while they are elsewhere on
    // the page come as `Action::Background`, which announces rather than moves focus.
    {
        let target = state.focus_target();
        let focus_by_id = focus_by_id.clone();
        use_effect_with(state.focus_count, move |_| {
            if let Some(target) = target {
                focus_by_id.emit(target);
            }
        });
    }

    // On the hosted page the survey is the page: the title names the step, in the
    // reader's language, and the document's language is the survey's.
    {
        // Embedded, the partner's page keeps its own title and language.
        let page = props
            .whole_page
            .then(|| (state.document_title(), state.locale.clone()));
        use_effect_with(page, |page| {
            let Some((title, locale)) = page else {
                return;
            };
            if let Some(document) = web_sys::window().and_then(|w| w.document()) {
                document.set_title(title);
                if let Some(html) = document.document_element() {
                    let _ = html.set_attribute("lang", locale);
                    let _ = html.set_attribute("dir", direction(locale));
                }
            }
        });
    }

    // The character count speaks once typing pauses: a second after the last keystroke.
    {
        let state = state.clone();
        use_effect_with(state.typing, move |&typing| {
            if typing > 0 {
                yew::platform::spawn_local(async move {
                    yew::platform::time::sleep(std::time::Duration::from_millis(1000)).await;
                    state.dispatch(Action::TypingPaused { typing });
                });
            }
        });
    }

    // Every change is kept on the device until the response is stored; but not where staff
    // collect, where the next person must find nothing of the last.
    {
        let draft = state.draft().filter(|_| props.collect.is_none());
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
        let root = root.clone();
        let collect = props.collect.clone();
        use_effect_with(sending, move |&sending| {
            if sending && let Some(collect) = collect {
                // The collect page seals it, keeps it and sends it; once it has, nothing of
                // it stays here. The next person's id is drawn first: without one, nothing
                // is handed over.
                let pending = pending_now(&state, state.submission_id, None);
                let next = submission_id::draw();
                yew::platform::spawn_local(async move {
                    let action = match next {
                        Ok(next) if collect.hand_over(&pending.body).await => Action::Recorded {
                            submission_id: next,
                        },
                        Ok(_) => {
                            web_sys::console::error_1(
                                &"voices-survey: the collect page did not keep the response".into(),
                            );
                            Action::SendFailed {
                                message: voices_shared::catalogue(&state.locale)
                                    .not_recorded
                                    .to_owned(),
                            }
                        }
                        Err(_) => Action::SendFailed {
                            message: voices_shared::catalogue(&state.locale)
                                .no_random_ids
                                .to_owned(),
                        },
                    };
                    state.dispatch(action);
                });
            } else if sending {
                // The same key for every attempt at this response, including one another
                // tab already keeps.
                // Only for a person answering for themselves: a device on which staff
                // record other people's answers (face to face, by phone, from paper) keeps
                // no way to withdraw them, nor a list of them for the next person to see.
                let key = if state.channel.is_own_device() {
                    outbox::get(&collector, state.submission_id)
                        .and_then(|p| p.withdrawal_key)
                        .or_else(|| submission_id::draw_key().ok())
                } else {
                    None
                };
                let mut pending = pending_now(&state, state.submission_id, key.clone());
                let other_tab = outbox::get(&collector, pending.submission_id);
                if other_tab.is_some_and(|other| other.body != pending.body) {
                    // Tabs restored from one draft share its submission id. Keeping
                    // this one under that id would replace the other tab's answers.
                    match submission_id::draw() {
                        Ok(id) => {
                            pending = pending_now(&state, id, key);
                            state.dispatch(Action::NewSubmissionId(id));
                        }
                        // Only if the page took the random source away after `mount`
                        // drew the first id: never send under a made-up one.
                        Err(reason) => {
                            web_sys::console::error_1(
                                &format!(
                                    "voices-survey: not sent, no random submission id: {reason}"
                                )
                                .into(),
                            );
                            state.dispatch(Action::SendFailed {
                                message: voices_shared::catalogue(&state.locale)
                                    .no_random_ids
                                    .to_owned(),
                            });
                            return;
                        }
                    }
                }
                let kept = outbox::put(&collector, &pending);
                if let Err(error) = &kept {
                    web_sys::console::warn_1(
                        &format!(
                            "voices-survey: cannot keep the response on this device: {error:?}"
                        )
                        .into(),
                    );
                }
                yew::platform::spawn_local(async move {
                    let outcome = sender::send(&url, &pending.body).await;
                    let action = match outcome {
                        // Nothing will send it later: say so, with the answers still on
                        // screen, rather than promise what cannot happen.
                        SendOutcome::NotYet(reason) if kept.is_err() => {
                            web_sys::console::warn_1(
                                &format!("voices-survey: not sent: {reason}").into(),
                            );
                            Action::SendFailed {
                                message: not_kept_message(&state.locale).to_owned(),
                            }
                        }
                        outcome => settle(&collector, &pending, outcome, &state.locale),
                    };
                    state.dispatch(Action::Background {
                        outcome: Box::new(action),
                        focus_inside: focus_is_inside(&root),
                    });
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
        let root = root.clone();
        use_effect_with(queued, move |&queued| {
            if queued {
                let id = state.submission_id;
                // The very bytes kept in the outbox. If another tab has sent them
                // already, the entry is gone, but sending the same response again is
                // safe: the collector answers a retry with the receipt it gave.
                // Not with a fresh key: the collector may have stored the response
                // with the key another tab sent, and answers this one with that receipt.
                let pending =
                    outbox::get(&collector, id).unwrap_or_else(|| pending_now(&state, id, None));
                let body = pending.body.clone();
                yew::platform::spawn_local(async move {
                    let mut attempt = 0;
                    let mut failed_offline = !is_online();
                    loop {
                        let back_online =
                            pause_before_retry(attempt, || outbox::get(&collector, id).is_some())
                                .await;
                        // Waiting turned into sending: say so. Also when the connection
                        // came back during the last attempt rather than during the pause.
                        if back_online || (failed_offline && is_online()) {
                            state.dispatch(Action::SendingAgain);
                        }
                        let outcome = sender::send(&url, &body).await;
                        if let SendOutcome::NotYet(reason) = &outcome {
                            web_sys::console::warn_1(
                                &format!("voices-survey: not sent yet: {reason}").into(),
                            );
                            failed_offline = !is_online();
                            state.dispatch(Action::StillQueued {
                                offline: failed_offline,
                            });
                            attempt += 1;
                            continue;
                        }
                        state.dispatch(Action::Background {
                            outcome: Box::new(settle(&collector, &pending, outcome, &state.locale)),
                            focus_inside: focus_is_inside(&root),
                        });
                        return;
                    }
                });
            }
        });
    }

    // Withdrawing, once the person has confirmed it: the key this device kept goes to the
    // collector, which deletes the response. A response already gone (withdrawn from
    // another tab, or erased) counts as withdrawn: either way it is not there.
    {
        let state = state.clone();
        let withdrawing = match &state.screen {
            Screen::Withdraw {
                receipt,
                withdrawing: true,
                ..
            } => Some(receipt.clone()),
            _ => None,
        };
        let collector = props.collector.to_string();
        let survey_id = props.survey.id().to_owned();
        let root = root.clone();
        use_effect_with(withdrawing, move |withdrawing| {
            if let Some(receipt) = withdrawing.clone() {
                yew::platform::spawn_local(async move {
                    let record = sent_records::find(&collector, &survey_id, &receipt);
                    let outcome = match record {
                        Some(record) => {
                            let url = format!(
                                "{}/api/surveys/{survey_id}/withdrawals",
                                collector.trim_end_matches('/')
                            );
                            let body =
                                sender::json_object(&[("receipt", &receipt), ("key", &record.key)]);
                            sender::post(&url, &body).await
                        }
                        None => Err("this device holds no key for that response".to_owned()),
                    };
                    let action = match outcome {
                        // Withdrawn now, or gone already (from another tab, or erased by
                        // staff): either way it is not there, and nothing is left to keep.
                        Ok(204 | 404) => {
                            sent_records::forget(&collector, &survey_id, &receipt);
                            Action::Withdrew
                        }
                        // Stored, but this device's key does not withdraw it.
                        Ok(403) => Action::WithdrawFailed {
                            message: voices_shared::catalogue(&state.locale)
                                .withdraw_refused
                                .to_owned(),
                        },
                        other => {
                            web_sys::console::warn_1(
                                &format!("voices-survey: not withdrawn: {other:?}").into(),
                            );
                            Action::WithdrawFailed {
                                message: voices_shared::catalogue(&state.locale)
                                    .withdraw_failed
                                    .to_owned(),
                            }
                        }
                    };
                    state.dispatch(Action::Background {
                        outcome: Box::new(action),
                        focus_inside: focus_is_inside(&root),
                    });
                });
            }
        });
    }

    // An address for the survey's updates, once the person has asked: sent on its own,
    // with nothing of the response, so that it cannot be linked to the answers.
    {
        let state = state.clone();
        let sending = match &state.email {
            crate::email_offer::EmailOffer::Sending { address } => Some(address.clone()),
            _ => None,
        };
        let collector = props.collector.to_string();
        let survey_id = props.survey.id().to_owned();
        let root = root.clone();
        use_effect_with(sending, move |sending| {
            if let Some(address) = sending.clone() {
                yew::platform::spawn_local(async move {
                    let url = format!(
                        "{}/api/surveys/{survey_id}/subscriptions",
                        collector.trim_end_matches('/')
                    );
                    let body =
                        sender::json_object(&[("email", &address), ("locale", &state.locale)]);
                    let catalogue = voices_shared::catalogue(&state.locale);
                    let action = match sender::post(&url, &body).await {
                        Ok(204) => Action::EmailKept,
                        other => {
                            web_sys::console::warn_1(
                                &format!("voices-survey: email address not kept: {other:?}").into(),
                            );
                            let message = match other {
                                Ok(422) => catalogue.bad_email,
                                Ok(429) => catalogue.email_too_many,
                                _ => catalogue.email_not_kept,
                            };
                            Action::EmailNotKept {
                                message: message.to_owned(),
                            }
                        }
                    };
                    state.dispatch(Action::Background {
                        outcome: Box::new(action),
                        focus_inside: focus_is_inside(&root),
                    });
                });
            }
        });
    }

    let locale = state.locale.clone();
    let headings = props.headings;
    // Without JavaScript every screen is a form that posts to the survey's hosted page.
    let action = AttrValue::from(format!(
        "{}/s/{}",
        props.collector.trim_end_matches('/'),
        props.survey.id()
    ));
    let screen = match &state.screen {
        Screen::Start => start_screen(&StartScreenProps {
            state: state.clone(),
            headings,
            action: action.clone(),
            sent: sent
                .iter()
                .map(|record| {
                    (
                        record.clone(),
                        response_page(&props.collector, &record.receipt, &state.locale),
                    )
                })
                .collect(),
            closed: props.closed,
            // Someone who has answered, back on this device (or a closed survey): what
            // came of it shows here, not only behind a link.
            latest: props
                .outcomes
                .as_ref()
                .filter(|_| props.closed || !sent.is_empty())
                .map(|outcomes| {
                    crate::updates_view::latest_updates(
                        &props.survey,
                        outcomes,
                        &state.locale,
                        headings,
                        &crate::updates_view::updates_address(
                            &props.collector,
                            &props.survey,
                            &state.locale,
                        ),
                    )
                }),
            updates: props.outcomes.as_ref().map(|_| {
                crate::updates_view::updates_address(&props.collector, &props.survey, &state.locale)
                    .into()
            }),
        }),
        Screen::Page(page) => page_screen(&PageScreenProps {
            state: state.clone(),
            page: *page,
            on_focus: focus_by_id.clone(),
            headings,
            action: action.clone(),
        }),
        Screen::Check | Screen::Sending => check_screen(&CheckScreenProps {
            state: state.clone(),
            headings,
            action: action.clone(),
        }),
        Screen::Queued => queued_screen(&QueuedScreenProps {
            state: state.clone(),
            headings,
        }),
        Screen::Sent { receipt } => sent_screen(&SentScreenProps {
            state: state.clone(),
            receipt: AttrValue::from(receipt.clone()),
            headings,
            response_page: response_page(&props.collector, receipt, &state.locale),
            can_withdraw: sent.iter().any(|r| r.receipt == *receipt),
            email_action: format!("{action}/email").into(),
            // Once the final update is out there is nothing more to send.
            offer_email: props.survey.updates_by_email()
                && props
                    .outcomes
                    .as_ref()
                    .is_none_or(|o| o.what_we_did().is_none()),
            on_email: cfg!(target_arch = "wasm32").then(|| {
                let state = state.clone();
                Callback::from(move |address: String| {
                    state.dispatch(Action::OfferEmail { address })
                })
            }),
        }),
        Screen::Erased => erased_screen(&ErasedScreenProps {
            state: state.clone(),
            headings,
        }),
        Screen::Withdraw { .. } => withdraw_screen(&WithdrawScreenProps {
            state: state.clone(),
            headings,
        }),
        Screen::Withdrawn => withdrawn_screen(&state, headings),
        Screen::Recorded => recorded_screen(&state, headings),
    };
    // Where staff collect: the respondent can hand the device back at any moment, with
    // nothing of theirs left on it (also pressed by the collect page when it is left idle).
    let stop = (props.collect.is_some()
        && matches!(state.screen, Screen::Page(_) | Screen::Check))
    .then(|| {
        let state = state.clone();
        let on_stop = Callback::from(move |_: MouseEvent| {
            if let Ok(id) = submission_id::draw() {
                state.dispatch(Action::Cleared { submission_id: id });
            }
        });
        html! {
            <p class="voices-stop">
                <button type="button" class="voices-button voices-button--secondary" onclick={on_stop}>
                    { voices_shared::catalogue(&locale).stop_and_clear }
                </button>
            </p>
        }
    });
    // The announcer is there, empty, from the first screen: a live region inserted already
    // holding its words is often not read out. Always the last child, so no screen
    // change replaces it.
    html! {
        <div class={if voices_shared::is_easy_read(&locale) { "voices voices-easy-read" } else { "voices" }}
            lang={locale.clone()} dir={direction(&locale)} ref={root}>
            { language_picker(&LanguagePickerProps { state: state.clone(), action: action.clone() }) }
            { screen }
            { stop }
            <p id={ids::ANNOUNCER} class="voices-visually-hidden" role="status">{ state.announcement.clone() }</p>
        </div>
    }
}

/// Whether keyboard focus is inside this widget now (through its shadow root, where
/// `document.activeElement` is only the host element).
fn focus_is_inside(root: &NodeRef) -> bool {
    let Some(root) = root.cast::<web_sys::Element>() else {
        return false;
    };
    let scope = root.get_root_node();
    let active = match scope.dyn_ref::<web_sys::ShadowRoot>() {
        Some(shadow) => shadow.active_element(),
        None => web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.active_element()),
    };
    active.is_some_and(|active| root.contains(Some(&active)))
}

/// The page about the response with `receipt` at `collector`, in `locale`.
fn response_page(collector: &str, receipt: &str, locale: &str) -> AttrValue {
    format!(
        "{}/r/{receipt}?lang={locale}",
        collector.trim_end_matches('/')
    )
    .into()
}

/// The response as it stands, to send under `submission_id` with `withdrawal_key`.
fn pending_now(
    state: &SurveyState,
    submission_id: Uuid,
    withdrawal_key: Option<String>,
) -> Pending {
    let mut submission = state.submission(None);
    submission.submission_id = submission_id;
    submission.withdrawal_key = withdrawal_key.clone();
    let mut draft = state.snapshot();
    draft.submission_id = submission_id;
    Pending {
        survey_id: state.survey().id().to_owned(),
        submission_id,
        body: voices_shared::serde_json::to_string(&submission).unwrap_or_default(),
        draft: Some(draft),
        withdrawal_key,
    }
}

/// What one attempt's outcome means for the person, and for the outbox.
fn settle(collector: &str, pending: &Pending, outcome: SendOutcome, locale: &str) -> Action {
    let submission_id = pending.submission_id;
    match outcome {
        SendOutcome::Stored(receipt) => {
            // Kept before the outbox lets go of it, so that the key is never lost.
            if let Some(key) = pending.withdrawal_key.clone() {
                sent_records::keep(
                    collector,
                    &pending.survey_id,
                    sent_records::SentRecord {
                        receipt: receipt.clone(),
                        key,
                        sent_on: sent_records::today(),
                    },
                );
            }
            outbox::remove(collector, submission_id);
            Action::Sent { receipt }
        }
        SendOutcome::Erased => {
            // Staff erased it, at the person's request or their own: sending it again
            // would be refused again, and nothing of it is kept here either.
            outbox::remove(collector, submission_id);
            web_sys::console::warn_1(
                &"voices-survey: the collector erased this response; it is not sent again".into(),
            );
            Action::Erased
        }
        SendOutcome::Refused { status, message } => {
            // Sending it again would be refused again: the person is shown the
            // check-answers screen with the problem, answers intact.
            outbox::remove(collector, submission_id);
            web_sys::console::error_1(
                &format!("voices-survey: the collector refused the response ({status}): {message}")
                    .into(),
            );
            Action::SendFailed {
                message: refusal_message(locale, status).to_owned(),
            }
        }
        SendOutcome::NotYet(reason) => {
            web_sys::console::warn_1(&format!("voices-survey: not sent yet: {reason}").into());
            Action::Queued {
                offline: !is_online(),
            }
        }
    }
}

/// Why the collector refused, in words the person can act on.
fn refusal_message(locale: &str, status: u16) -> &'static str {
    let catalogue = voices_shared::catalogue(locale);
    match status {
        // `closed` (an `erased` 410 is its own outcome): the survey closed before the
        // response reached it (the device's clock may have thought otherwise).
        410 => catalogue.closed,
        // This submission id is stored already with other answers: sent earlier,
        // from another tab that shared the draft. Sending again cannot help.
        409 => catalogue.already_sent,
        _ => catalogue.send_failed,
    }
}

/// Said when a response could be neither sent nor kept on the device (storage full,
/// turned off, or private browsing): never "it will be sent".
fn not_kept_message(locale: &str) -> &'static str {
    voices_shared::catalogue(locale).not_kept
}

fn is_online() -> bool {
    web_sys::window().is_none_or(|w| w.navigator().on_line())
}

/// Waits 1 s before the first retry, then about 2, 4, 8 ... up to 60 s, each
/// with random spread so that many phones coming back at once do not all
/// knock together; returns early when the connection comes back, or when
/// `still_waiting` turns false (another tab has sent the response, so the
/// next attempt only collects its receipt). Says whether it was the connection coming
/// back that ended the wait.
async fn pause_before_retry(attempt: u32, still_waiting: impl Fn() -> bool) -> bool {
    let base_seconds = if attempt == 0 {
        1.0
    } else {
        f64::from((2u32 << attempt.min(5)).min(60))
    };
    let wait_ms = base_seconds * 1000.0 * (0.5 + js_sys::Math::random() * 0.5);
    let was_online = is_online();
    let was_waiting = still_waiting();
    let mut waited = 0.0;
    while waited < wait_ms {
        yew::platform::time::sleep(std::time::Duration::from_millis(500)).await;
        waited += 500.0;
        if !was_online && is_online() {
            return true;
        }
        if was_waiting && !still_waiting() {
            return false;
        }
    }
    false
}
