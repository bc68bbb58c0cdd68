//! `language_picker`: the survey's languages as a row of buttons, each named in itself.
//!
//! Nothing changes until a button is pressed (WCAG 3.2.2): a select that switched the
//! survey at each option would do so at every arrow key on the way to the right one. Each
//! button is named in its own language, so a person who cannot read the language showing
//! finds theirs by its own name, with no "Change" word they would need to read first; the
//! group's legend says "Language" in every language the survey offers. They are submit
//! buttons of a form that carries the answers so far, so they work without JavaScript too.

use yew::prelude::*;

use crate::form_post::{LANGUAGE_FIELD, hidden_state};
use crate::locale::{direction, endonym};
use crate::state::{Action, SurveyState};

pub struct LanguagePickerProps {
    pub state: UseReducerHandle<SurveyState>,
    /// Where the form posts without JavaScript: the survey's hosted page.
    pub action: AttrValue,
}

/// A plain function rather than a component: it has no hooks, and each component costs
/// the widget about 2 kB of Yew lifecycle code.
pub fn language_picker(props: &LanguagePickerProps) -> Html {
    let state = &props.state;
    let locales = state.survey().locales().to_vec();
    if locales.len() < 2 {
        return Html::default();
    }
    let choices = locales.iter().map(|locale| {
        let name = endonym(locale);
        if *locale == state.locale {
            return html! {
                <span class="voices-language-current" lang={locale.clone()} dir={direction(locale)}
                    aria-current="true">{ name }</span>
            };
        }
        let onclick = {
            let state = state.clone();
            let locale = locale.clone();
            Callback::from(move |event: MouseEvent| {
                event.prevent_default();
                // The language's words first, so the screen changes language once; and
                // only if it is still the language last picked (another's words may come
                // first).
                let (state, locale) = (state.clone(), locale.clone());
                let pick = crate::words::picked();
                yew::platform::spawn_local(async move {
                    crate::words::ensure(&locale).await;
                    if crate::words::still_picked(pick) {
                        state.dispatch(Action::SetLocale(locale));
                    }
                });
            })
        };
        html! {
            <button type="submit" name={LANGUAGE_FIELD} value={locale.clone()} class="voices-language-choice"
                lang={locale.clone()} dir={direction(locale)} {onclick}>{ name }</button>
        }
    });
    html! {
        <form class="voices-language" method="post" action={props.action.clone()}>
            { hidden_state(state) }
            <fieldset class="voices-language-choices">
                <legend class="voices-language-label">{ picker_label(&state.locale, &locales) }</legend>
                { for choices }
            </fieldset>
        </form>
    }
}

/// "Language / Język / اللغة": the word in the language shown first, then in each other
/// language the survey offers that the widget has words for, each marked with its `lang`.
/// The word comes from a short list in every language, not from their catalogues, which
/// the widget loads only for a language a reader chooses.
fn picker_label(current: &str, locales: &[String]) -> Html {
    let first = voices_shared::language_word(current);
    let mut said = vec![first.1];
    let others = locales.iter().filter_map(|locale| {
        let (language, word) = voices_shared::language_word(locale);
        // A language the widget has no words for falls back to another's: say nothing twice.
        if said.contains(&word) {
            return None;
        }
        said.push(word);
        Some(html! {
            <>
                { " / " }
                <span lang={language} dir={direction(language)}>{ word }</span>
            </>
        })
    });
    let others: Vec<Html> = others.collect();
    html! { <>{ first.1 }{ for others }</> }
}
