//! The Voices survey widget: a Yew app that embed.js mounts inside each `<voices-survey>` element's shadow root.

mod app;
mod locale;
mod unavailable;

use std::rc::Rc;

use voices_shared::Survey;
use wasm_bindgen::prelude::wasm_bindgen;

pub use app::{App, AppProps};
pub use unavailable::Unavailable;

/// Renders the survey defined by `survey_json` into `root`.
///
/// `locale` is the language the page asked for (the element's or the page's `lang`);
/// the survey is shown in the closest language it offers, else in its default one.
/// Called once per `<voices-survey>` element; each call is an independent app.
#[wasm_bindgen]
pub fn mount(root: web_sys::Element, survey_json: String, locale: Option<String>) {
    match Survey::parse(&survey_json) {
        Ok(survey) => {
            let locale =
                locale::negotiate(locale.as_deref(), survey.locales(), survey.default_locale());
            let props = AppProps {
                survey: Rc::new(survey),
                locale: locale.into(),
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
