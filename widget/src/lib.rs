//! The Voices survey widget: a Yew app that embed.js mounts inside each `<voices-survey>` element's shadow root.

mod app;
mod check_screen;
mod choice_list;
mod consent_box;
mod date_field;
mod draft_storage;
mod error_summary;
mod ids;
mod language_picker;
mod locale;
mod number_field;
mod page_screen;
mod question_field;
mod rating_scale;
mod sender;
mod sent_screen;
mod start_screen;
pub mod state;
mod text_field;
mod unavailable;

#[cfg(test)]
mod state_tests;

use std::rc::Rc;

use voices_shared::{Channel, Survey};
use wasm_bindgen::prelude::wasm_bindgen;

pub use app::{App, AppProps};
pub use unavailable::Unavailable;

/// Renders the survey defined by `survey_json` into `root`.
///
/// `locale` is the language the page asked for (the element's or the page's `lang`);
/// the survey is shown in the closest language it offers, else in its default one.
/// `collector` is the origin responses are sent to; `channel` is set by staff
/// entering answers for someone (`face_to_face`, `phone`, `paper`).
/// Called once per `<voices-survey>` element; each call is an independent app.
#[wasm_bindgen]
pub fn mount(
    root: web_sys::Element,
    survey_json: String,
    locale: Option<String>,
    collector: String,
    channel: Option<String>,
) {
    match Survey::parse(&survey_json) {
        Ok(survey) => {
            let locale =
                locale::negotiate(locale.as_deref(), survey.locales(), survey.default_locale());
            let props = AppProps {
                survey: Rc::new(survey),
                locale: locale.into(),
                collector: collector.into(),
                channel: channel
                    .as_deref()
                    .and_then(Channel::parse)
                    .unwrap_or_default(),
            };
            yew::Renderer::<App>::with_root_and_props(root, props).render();
        }
        Err(problems) => {
            // The respondent cannot act on the details, but whoever runs the site can:
            // they go to the console, and the page gets a plain apology.
            web_sys::console::error_1(
                &format!("voices-survey: the survey definition is not valid: {problems}").into(),
            );
            yew::Renderer::<Unavailable>::with_root(root).render();
        }
    }
}
