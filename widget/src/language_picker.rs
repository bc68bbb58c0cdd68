//! `language_picker`: the survey's languages, each named in itself, changed by a button.
//!
//! Choosing in the select changes nothing by itself (WCAG 3.2.2): with arrow keys a person
//! passes through every option on the way to theirs, and switching the whole survey under
//! them at each one would lose their place. The label names the picker in every language
//! the survey offers, so that someone who cannot read the current one can still find it.

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
    let onsubmit = {
        let state = state.clone();
        Callback::from(move |event: SubmitEvent| {
            event.prevent_default();
            let form: web_sys::Element = event.target_unchecked_into();
            let chosen = form.query_selector("select").ok().flatten().map(|select| {
                wasm_bindgen::JsCast::unchecked_into::<web_sys::HtmlSelectElement>(select).value()
            });
            if let Some(locale) = chosen {
                state.dispatch(Action::SetLocale(locale));
            }
        })
    };
    html! {
        <form class="voices-language" {onsubmit}>
            <label for="voices-language">{ picker_label(&state.locale, &locales) }</label>
            <span class="voices-language-controls">
                <select id="voices-language" name="lang">
                    { for locales.iter().map(|locale| html! {
                        <option value={locale.clone()} lang={locale.clone()} dir={direction(locale)}
                            selected={*locale == state.locale}>{ endonym(locale) }</option>
                    }) }
                </select>
                <button type="submit" class="voices-button voices-button--secondary">{ catalogue.change_language }</button>
            </span>
        </form>
    }
}

/// "Language / Język / اللغة": the word in the language shown first, then in each other
/// language the survey offers that the widget has words for, each marked with its `lang`.
fn picker_label(current: &str, locales: &[String]) -> Html {
    let first = voices_shared::catalogue(current);
    let mut said = vec![first.language];
    let others = locales.iter().filter_map(|locale| {
        let catalogue = voices_shared::catalogue(locale);
        // A language the widget has no words for falls back to another's: say nothing twice.
        if said.contains(&catalogue.language) {
            return None;
        }
        said.push(catalogue.language);
        Some(html! {
            <>
                { " / " }
                <span lang={catalogue.locale} dir={direction(catalogue.locale)}>{ catalogue.language }</span>
            </>
        })
    });
    let others: Vec<Html> = others.collect();
    html! { <>{ first.language }{ for others }</> }
}
