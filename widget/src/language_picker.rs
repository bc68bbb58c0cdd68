//! `language_picker`: a labelled select of the survey's languages, each named in itself.

use yew::prelude::*;

use crate::locale::{direction, endonym};
use crate::state::{Action, SurveyState};

pub struct LanguagePickerProps {
    pub state: UseReducerHandle<SurveyState>,
}

/// A plain function rather than a component: it has no hooks, and each component costs
/// the widget about 2 kB of Yew lifecycle code.
pub fn language_picker(props: &LanguagePickerProps) -> Html {
    let state = &props.state;
    let locales = state.survey().locales().to_vec();
    if locales.len() < 2 {
        return Html::default();
    }
    let catalogue = voices_shared::catalogue(&state.locale);
    let onchange = {
        let state = state.clone();
        Callback::from(move |event: Event| {
            let select: web_sys::HtmlSelectElement = event.target_unchecked_into();
            state.dispatch(Action::SetLocale(select.value()));
        })
    };
    html! {
        <div class="voices-language">
            <label for="voices-language">{ catalogue.language }</label>
            <select id="voices-language" {onchange}>
                { for locales.iter().map(|locale| html! {
                    <option value={locale.clone()} lang={locale.clone()} dir={direction(locale)}
                        selected={*locale == state.locale}>{ endonym(locale) }</option>
                }) }
            </select>
        </div>
    }
}
