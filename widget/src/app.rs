//! `App`: the survey's title, introduction and privacy notice (the questions come later).

use std::rc::Rc;

use voices_shared::{Survey, Text};
use yew::prelude::*;

use crate::locale::direction;

#[derive(Properties, PartialEq)]
pub struct AppProps {
    pub survey: Rc<Survey>,
    /// A locale the survey offers, already negotiated by `mount`.
    pub locale: AttrValue,
}

#[function_component]
pub fn App(props: &AppProps) -> Html {
    let survey = &props.survey;
    let locale = props.locale.as_str();
    let default = survey.default_locale();

    // A text without a translation is shown in the default locale; marking that span
    // with its real language lets screen readers pronounce it properly.
    let text_lang = |text: &Text| -> (Option<AttrValue>, Option<AttrValue>) {
        if locale == default || text.has_translation(locale) {
            (None, None)
        } else {
            (
                Some(AttrValue::from(default.to_owned())),
                Some(AttrValue::Static(direction(default))),
            )
        }
    };
    let paragraphs = |text: &Text| -> Html {
        text.paragraphs(locale)
            .map(|paragraph| html! { <p>{ paragraph }</p> })
            .collect()
    };

    let title = survey.title();
    let (title_lang, title_dir) = text_lang(title);
    let intro = survey.intro().map(|intro| {
        let (lang, dir) = text_lang(intro);
        html! { <div class="voices-intro" {lang} {dir}>{ paragraphs(intro) }</div> }
    });
    let privacy = survey.privacy().text();
    let (privacy_lang, privacy_dir) = text_lang(privacy);

    html! {
        <div class="voices" lang={props.locale.clone()} dir={direction(locale)}>
            <h2 class="voices-title" lang={title_lang} dir={title_dir}>{ title.get(locale) }</h2>
            { intro }
            <div class="voices-privacy" lang={privacy_lang} dir={privacy_dir}>
                { paragraphs(privacy) }
            </div>
        </div>
    }
}
