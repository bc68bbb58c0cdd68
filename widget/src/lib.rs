//! The Voices survey widget: a Yew app that embed.js mounts inside each `<voices-survey>` element's shadow root.

mod allocator;
mod app;
mod check_screen;
mod choice_list;
mod consent_box;
mod date_field;
pub mod draft_storage;
pub mod email_offer;
mod erased_screen;
mod error_summary;
pub mod form_post;
pub mod headings;
mod ids;
mod language_picker;
pub mod locale;
pub(crate) mod notice;
mod number_field;
pub mod outbox;
mod page_screen;
mod picture;
mod question_field;
mod queued_screen;
mod rating_scale;
mod read_back;
mod recorded_screen;
mod response_view;
mod sender;
mod sent_records;
mod sent_screen;
#[cfg(feature = "ssr")]
pub mod server;
mod start_screen;
pub mod state;
mod submission_id;
mod text_field;
mod unavailable;
mod updates_view;
mod withdraw_screen;
mod words;

#[cfg(all(test, not(target_arch = "wasm32")))]
mod read_back_tests;
#[cfg(test)]
mod state_tests;

use std::sync::Arc;

use headings::Headings;
use notice::{Notice, NoticeKind, NoticeProps};
use voices_shared::{Channel, Survey, Window};
use wasm_bindgen::prelude::wasm_bindgen;
use yew::Callback;

pub use app::{App, AppProps};

/// Renders the survey defined by `survey_json` into `root`.
///
/// `locale` is the language the page asked for (the element's or the page's `lang`);
/// the survey is shown in the closest language it offers, else in its default one.
/// `collector` is the origin responses are sent to; `channel` is set by a page a poster's
/// QR code leads to (`qr`), or on the collect page (`face_to_face`, `phone`, `paper`; an
/// embed naming one of those without `collect` is warned and counted online); without it, a
/// screen taken over keeps the channel it carries.
/// `heading_level` is the element's `heading-level` (see [`Headings::parse`]);
/// `whole_page` whether it has the `whole-page` attribute (see [`AppProps::whole_page`]).
/// `fields` are the form fields of a screen the collector rendered, which the person may
/// have been answering while the code was on its way (name and value pairs, as the form
/// would post them): the widget takes over from exactly there, with what was typed,
/// ticked and chosen. Without them it starts afresh, or where this device left off.
/// `collect` is given on the collect page (staff recording answers with someone): Send
/// hands the response to it (true when it took it), and the widget keeps nothing of it, no
/// draft, no outbox entry, no sent record, and starts afresh for the next person.
/// The widget's own words other than English come from words files (see `words`):
/// `words` is the one `embed.js` fetched for the page's language, if any, and
/// `load_words` fetches any language's (`(language) => Promise<string | null>`).
/// Called once per `<voices-survey>` element; each call is an independent app, which the
/// returned handle can take down again (`undefined` when `fields` are not a form of this
/// survey's: nothing is rendered then).
#[wasm_bindgen]
#[allow(clippy::too_many_arguments)]
pub fn mount(
    root: web_sys::Element,
    survey_json: String,
    locale: Option<String>,
    collector: String,
    channel: Option<String>,
    heading_level: Option<String>,
    whole_page: bool,
    fields: Option<js_sys::Array>,
    outcomes_json: Option<String>,
    collect: Option<js_sys::Function>,
    words: Option<String>,
    load_words: Option<js_sys::Function>,
) -> Option<Mounted> {
    words::arrived(words, load_words);
    let collect = collect.map(|handler| app::Collecting(std::rc::Rc::new(handler)));
    let headings = Headings::parse(heading_level.as_deref());
    // Read to a `Value` here rather than by `Survey::parse`, whose message for text that is
    // not JSON (serde_json's, with line and column) would bring serde_json's error
    // formatting into the wasm, 0.8 KiB. The collector checked this definition when it
    // loaded it, so only an address that is not a collector's gives anything but JSON.
    let survey = voices_shared::serde_json::from_str(&survey_json)
        .map_err(|_| "it is not JSON (is the collector's address right?)".to_owned())
        .and_then(|value| Survey::from_value(&value).map_err(|problems| problems.to_string()));
    match survey {
        Ok(survey) => {
            let survey = Arc::new(survey);
            // What came of the survey, when it has published updates (anything unreadable
            // is left out: the survey itself does not depend on it).
            let outcomes = outcomes_json
                .and_then(|json| voices_shared::serde_json::from_str(&json).ok())
                .and_then(|value| {
                    voices_shared::outcomes::Outcomes::from_value(&value, &survey).ok()
                })
                .map(|outcomes| outcomes.published())
                .filter(voices_shared::outcomes::Outcomes::has_published)
                .map(std::rc::Rc::new);
            let taken_over = match fields {
                Some(fields) => {
                    let fields = form_fields(&fields);
                    // A form of another version than this definition's (one was published
                    // meanwhile) stays a form: the collector answers it with its own version.
                    if form_post::carried_version(&fields)
                        .is_some_and(|version| version != survey.version())
                    {
                        return None;
                    }
                    match state::SurveyState::from_post(Arc::clone(&survey), &fields) {
                        Ok((state, _button)) => Some(state),
                        // Not a form this survey rendered: the screen stays as it is.
                        Err(_) => return None,
                    }
                }
                None => None,
            };
            // What this device kept comes first, as it would have had the widget been in
            // before "Start now" was pressed: a response waiting in the outbox (sending it
            // again would store it twice), or a draft with answers, when the screen being
            // taken over has none yet.
            let taken_over = taken_over.filter(|state| {
                collect.is_none()
                    && outbox::waiting(&collector, survey.id()).is_none()
                    && (!state.answers.is_empty()
                        || draft_storage::load(&app::draft_key_for(&collector, &survey))
                            .is_none_or(|draft| draft.answers.is_empty()))
            });
            let locale =
                locale::negotiate(locale.as_deref(), survey.locales(), survey.default_locale());
            // A response already waiting in the outbox is still sent, whatever this
            // device's clock says: the collector decides whether the survey had closed,
            // and takes a retry of one it stored in time.
            // (Not over a screen the collector has just served as open: it decides at Send.)
            let closed = closed_now(&survey);
            // Closed, with responses this device sent: they are still its to withdraw, so
            // the survey's own screens show (saying it has closed), not the bare notice.
            let closed_with_mine = closed == Some(NoticeKind::Closed)
                && collect.is_none()
                && !sent_records::list(&collector, survey.id()).is_empty();
            if taken_over.is_none()
                && !closed_with_mine
                && let Some(kind) = closed
                && (collect.is_some() || outbox::waiting(&collector, survey.id()).is_none())
            {
                let updates = outcomes.map(|outcomes| notice::NoticeUpdates {
                    link: updates_view::updates_address(&collector, &survey, &locale).into(),
                    survey: Arc::clone(&survey),
                    outcomes,
                });
                return Some(show_notice(root, kind, &survey, locale, headings, updates));
            }
            // Checked before anyone starts, so that nobody fills in a survey that cannot
            // be sent. Also when a response waits in the outbox under an id drawn here
            // earlier: a browser whose random source has gone since then is too rare to
            // keep a second way in for.
            let submission_id = match submission_id::draw() {
                Ok(id) => id,
                Err(reason) => {
                    web_sys::console::error_1(
                        &format!(
                            "voices-survey: the survey is not shown: this browser cannot draw a \
                             random submission id ({reason}). Without one, responses from different \
                             devices could be mistaken for each other. Every current browser has \
                             crypto.getRandomValues, unless a script on the page or an extension \
                             replaces it."
                        )
                        .into(),
                    );
                    return Some(show_notice(
                        root,
                        NoticeKind::NoRandomIds,
                        &survey,
                        locale,
                        headings,
                        None,
                    ));
                }
            };
            let asked_channel = channel.as_deref().and_then(Channel::parse);
            let asked_channel = match (asked_channel, &collect) {
                // Staff record these on the collect page, whose credential the collector
                // takes the channel from; an embed cannot claim them.
                (Some(asked), None) if !asked.is_own_device() => {
                    web_sys::console::warn_1(
                        &format!(
                            "voices-survey: channel=\"{}\" is ignored: responses recorded with \
                             someone (face_to_face, phone, paper) are collected by staff signed in \
                             on the collector's /admin/collect page, and the collector refuses them \
                             from a web page. Responses from this page are counted as online.",
                            asked.as_str()
                        )
                        .into(),
                    );
                    Some(Channel::Online)
                }
                (asked, Some(_)) => Some(
                    asked
                        .filter(|c| !c.is_own_device())
                        .unwrap_or(Channel::FaceToFace),
                ),
                (asked, None) => asked,
            };
            let channel = asked_channel.unwrap_or_default();
            let props = match taken_over {
                Some(mut state) => {
                    // The page's own channel (a poster's QR code, carried in its form) stays
                    // unless the element names one.
                    let channel = asked_channel.unwrap_or(state.channel);
                    state.channel = channel;
                    AppProps {
                        survey,
                        locale: state.locale.clone().into(),
                        collector: collector.into(),
                        channel,
                        submission_id: state.submission_id,
                        headings,
                        whole_page,
                        initial: Some(std::rc::Rc::new(state)),
                        outcomes,
                        closed: false,
                        collect: None,
                    }
                }
                None => AppProps {
                    survey,
                    locale: locale.into(),
                    collector: collector.into(),
                    channel,
                    submission_id,
                    headings,
                    whole_page,
                    initial: None,
                    outcomes,
                    closed: closed_with_mine,
                    collect,
                },
            };
            Some(Mounted(Shown::Survey(
                yew::Renderer::<App>::with_root_and_props(root, props).render(),
            )))
        }
        Err(problems) => {
            // The respondent cannot act on the details, but whoever runs the site can:
            // they go to the console, and the page gets a plain apology.
            web_sys::console::error_1(
                &format!("voices-survey: the survey definition is not valid: {problems}").into(),
            );
            unavailable::show_unavailable(&root);
            Some(Mounted(Shown::Markup))
        }
    }
}

/// What `mount` put in its element, which `embed.js` takes down if the screen it took over
/// from changed under it before the first render (it then mounts again from the screen as
/// it is now).
#[wasm_bindgen]
pub struct Mounted(Shown);

enum Shown {
    Survey(yew::AppHandle<App>),
    Notice(yew::AppHandle<Notice>),
    /// Plain markup, with nothing running.
    Markup,
}

#[wasm_bindgen]
impl Mounted {
    pub fn destroy(self) {
        match self.0 {
            Shown::Survey(app) => app.destroy(),
            Shown::Notice(notice) => notice.destroy(),
            Shown::Markup => {}
        }
    }
}

/// `[[name, value], ...]` from JavaScript; anything else in the array is skipped.
fn form_fields(fields: &js_sys::Array) -> Vec<(String, String)> {
    fields
        .iter()
        .filter_map(|pair| {
            let pair = js_sys::Array::from(&pair);
            Some((pair.get(0).as_string()?, pair.get(1).as_string()?))
        })
        .collect()
}

/// Shows why `survey` cannot be answered here, under its title, in `locale`.
fn show_notice(
    root: web_sys::Element,
    kind: NoticeKind,
    survey: &Survey,
    locale: String,
    headings: Headings,
    updates: Option<notice::NoticeUpdates>,
) -> Mounted {
    let props = NoticeProps {
        kind,
        title: Some(survey.title().get(&locale).to_owned().into()),
        locale: locale.into(),
        on_retry: None,
        headings,
        updates,
    };
    Mounted(Shown::Notice(
        yew::Renderer::<Notice>::with_root_and_props(root, props).render(),
    ))
}

/// Whether the survey is outside its `opens_at`..`closes_at` window right now.
fn closed_now(survey: &Survey) -> Option<NoticeKind> {
    // Seconds and milliseconds apart: `from_unix_timestamp_nanos` takes an i128, whose
    // division is 1 KiB of code in the wasm.
    let now_ms = js_sys::Date::now() as i64;
    let now = voices_shared::time::OffsetDateTime::from_unix_timestamp(now_ms.div_euclid(1000))
        .ok()?
        .replace_millisecond(now_ms.rem_euclid(1000) as u16)
        .ok()?;
    match survey.window_at(now) {
        Window::Open => None,
        Window::NotYetOpen => Some(NoticeKind::NotOpenYet),
        Window::Closed => Some(NoticeKind::Closed),
    }
}

/// Renders why a survey could not be loaded: `kind` is `not_found` or
/// `unreachable`; `locale` the page's language; `retry` loads it again; `words` as for
/// [`mount`].
#[wasm_bindgen]
pub fn mount_problem(
    root: web_sys::Element,
    kind: String,
    locale: Option<String>,
    retry: Option<js_sys::Function>,
    heading_level: Option<String>,
    words: Option<String>,
) {
    words::arrived(words, None);
    let on_retry = retry.map(|retry| {
        Callback::from(move |()| {
            let _ = retry.call0(&wasm_bindgen::JsValue::NULL);
        })
    });
    let props = NoticeProps {
        kind: NoticeKind::parse(&kind),
        locale: locale.unwrap_or_default().into(),
        title: None,
        on_retry,
        headings: Headings::parse(heading_level.as_deref()),
        updates: None,
    };
    yew::Renderer::<Notice>::with_root_and_props(root, props).render();
}
