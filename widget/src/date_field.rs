//! `date_field`: a date as three labelled boxes (day, month, year); "3" and "03" both work.

use yew::prelude::*;

use crate::ids;
use crate::state::{Action, DatePart, SurveyState};

pub struct DateFieldProps {
    pub state: UseReducerHandle<SurveyState>,
    pub question: AttrValue,
    pub has_error: bool,
}

/// A plain function rather than a component: it has no hooks, and each component costs
/// the widget about 2 kB of Yew lifecycle code.
pub fn date_field(props: &DateFieldProps) -> Html {
    let state = &props.state;
    let id = props.question.to_string();
    let catalogue = voices_shared::catalogue(&state.locale);
    let parts = state.dates.get(&id).cloned().unwrap_or_default();
    let item = |part: DatePart,
                label: &'static str,
                value: String,
                input_id: String,
                width: &'static str| {
        let name = crate::form_post::date_field(&id, part);
        let oninput = {
            let state = state.clone();
            let question = id.clone();
            Callback::from(move |event: InputEvent| {
                let input: web_sys::HtmlInputElement = event.target_unchecked_into();
                state.dispatch(Action::DatePart {
                    question: question.clone(),
                    part,
                    text: input.value(),
                });
            })
        };
        html! {
            <div class="voices-date-item">
                <label class="voices-date-label" for={input_id.clone()}>{ label }</label>
                <input class={classes!("voices-input", width, props.has_error.then_some("voices-input--error"))}
                    type="text" inputmode="numeric" id={input_id} {name} {value} {oninput} spellcheck="false"
                    aria-invalid={props.has_error.then_some("true")} />
            </div>
        }
    };
    html! {
        <div class="voices-date">
            { item(DatePart::Day, catalogue.day, parts.day, ids::field(&id), "voices-input--2") }
            { item(DatePart::Month, catalogue.month, parts.month, format!("{}-month", ids::field(&id)), "voices-input--2") }
            { item(DatePart::Year, catalogue.year, parts.year, format!("{}-year", ids::field(&id)), "voices-input--4") }
        </div>
    }
}
