//! `consent_box`: a single checkbox whose label is the consent statement.

use yew::prelude::*;

use crate::ids;
use crate::state::{Action, SurveyState};

pub struct ConsentBoxProps {
    pub state: UseReducerHandle<SurveyState>,
    pub question: AttrValue,
    pub described_by: Option<AttrValue>,
    /// The consent statement (survey text, marked when untranslated).
    pub label: Html,
}

/// A plain function rather than a component: it has no hooks, and each component costs
/// the widget about 2 kB of Yew lifecycle code.
pub fn consent_box(props: &ConsentBoxProps) -> Html {
    let state = &props.state;
    let id = props.question.to_string();
    let checked = state
        .answers
        .get(&id)
        .and_then(|v| v.as_bool())
        .unwrap_or(false);
    let onchange = {
        let state = state.clone();
        let question = id.clone();
        Callback::from(move |event: Event| {
            let input: web_sys::HtmlInputElement = event.target_unchecked_into();
            state.dispatch(Action::Consent {
                question: question.clone(),
                on: input.checked(),
            });
        })
    };
    html! {
        <div class="voices-choice">
            <input class="voices-choice-input" type="checkbox" id={ids::field(&id)} name={id.clone()} value="true"
                {checked} {onchange} aria-describedby={props.described_by.clone()}
                aria-invalid={state.problem_for(&id).is_some().then_some("true")} />
            <label class="voices-choice-label voices-label" for={ids::field(&id)}>{ props.label.clone() }</label>
        </div>
    }
}
