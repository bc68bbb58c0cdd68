//! `number_field`: a number typed as text with a numeric keyboard (`inputmode`), never a spinner.

use voices_shared::QuestionKind;
use voices_shared::serde_json::Value;
use yew::prelude::*;

use crate::ids;
use crate::locale::survey_text;
use crate::state::{Action, SurveyState};

pub struct NumberFieldProps {
    pub state: UseReducerHandle<SurveyState>,
    pub question: AttrValue,
    pub described_by: Option<AttrValue>,
    pub has_error: bool,
}

/// A plain function rather than a component: it has no hooks, and each component costs
/// the widget about 2 kB of Yew lifecycle code.
pub fn number_field(props: &NumberFieldProps) -> Html {
    let state = &props.state;
    let survey = state.survey();
    let Some(question) = survey.question(&props.question) else {
        return Html::default();
    };
    let QuestionKind::Number {
        integer, unit, min, ..
    } = question.kind()
    else {
        return Html::default();
    };
    let id = question.id();
    let value = state.numbers.get(id).cloned().unwrap_or_else(|| {
        state
            .answers
            .get(id)
            // The number's own `Display`, not the `Value`'s (see `sender::json_object`).
            .and_then(Value::as_number)
            .map(|n| n.to_string())
            .unwrap_or_default()
    });
    // A numeric keypad has no minus sign on many phones: only offer it when negatives are impossible.
    let inputmode = if *integer && min.is_some_and(|m| m >= 0.0) {
        "numeric"
    } else {
        "decimal"
    };
    let oninput = {
        let state = state.clone();
        let question = id.to_owned();
        Callback::from(move |event: InputEvent| {
            let input: web_sys::HtmlInputElement = event.target_unchecked_into();
            state.dispatch(Action::Number {
                question: question.clone(),
                text: input.value(),
            });
        })
    };
    html! {
        <div class="voices-number">
            <input class={classes!("voices-input", "voices-input--short", props.has_error.then_some("voices-input--error"))}
                type="text" id={ids::field(id)} name={id.to_owned()} {inputmode} {value} {oninput} spellcheck="false"
                aria-describedby={props.described_by.clone()} aria-invalid={props.has_error.then_some("true")} />
            { unit.as_ref().map(|u| html! { <span class="voices-unit" aria-hidden="true">{ survey_text(u, &state.locale, survey.default_locale()) }</span> }) }
        </div>
    }
}
