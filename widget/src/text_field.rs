//! `text_field`: a one-line input or a textarea, with a character count that speaks when typing pauses.

use voices_shared::serde_json::Value;
use voices_shared::{QuestionKind, TextFormat};
use yew::prelude::*;

use crate::ids;
use crate::state::{Action, SurveyState};

pub struct TextFieldProps {
    pub state: UseReducerHandle<SurveyState>,
    pub question: AttrValue,
    pub hint: Option<AttrValue>,
    pub error: Option<AttrValue>,
}

/// A plain function rather than a component: it has no hooks, and each component costs
/// the widget about 2 kB of Yew lifecycle code.
pub fn text_field(props: &TextFieldProps) -> Html {
    let state = &props.state;
    let survey = state.survey();
    let Some(question) = survey.question(&props.question) else {
        return Html::default();
    };
    let QuestionKind::Text {
        multiline,
        max_length,
        format,
    } = question.kind()
    else {
        return Html::default();
    };
    let id = question.id();
    let catalogue = voices_shared::catalogue(&state.locale);
    let value = match state.answers.get(id) {
        Some(Value::String(text)) => text.clone(),
        _ => String::new(),
    };
    let has_error = props.error.is_some();
    let oninput = {
        let state = state.clone();
        let question = id.to_owned();
        Callback::from(move |event: InputEvent| {
            let text = if let Some(area) = event.target_dyn_into::<web_sys::HtmlTextAreaElement>() {
                area.value()
            } else {
                event
                    .target_unchecked_into::<web_sys::HtmlInputElement>()
                    .value()
            };
            state.dispatch(Action::Text {
                question: question.clone(),
                text,
            });
        })
    };

    if *multiline {
        // No `maxlength`: people may paste and then trim. The count says where they are.
        let max = *max_length as usize;
        let length = value.trim().chars().count();
        let over = length > max;
        let count_hint = ids::count_hint(id);
        let described_by = ids::described_by(&[
            props.hint.as_ref().map(|h| h.to_string()),
            Some(count_hint.clone()),
            props.error.as_ref().map(|e| e.to_string()),
        ]);
        let limit = catalogue.counted(catalogue.chars_limit, max);
        // As GOV.UK's character count: the count on screen follows every keystroke but is
        // hidden from screen readers, which hear the count in a live region of its own once
        // typing pauses (the app sends `TypingPaused`), not once per character.
        let spoken = match &state.spoken_count {
            Some((field, length)) if field == id => catalogue.characters_left(*length, max),
            _ => String::new(),
        };
        html! {
            <div class="voices-character-count">
                <textarea class={classes!("voices-textarea", (has_error || over).then_some("voices-input--error"))}
                    id={ids::field(id)} name={id.to_owned()} rows="5" {value} {oninput} aria-describedby={described_by} spellcheck="true"
                    dir="auto" aria-invalid={has_error.then_some("true")} />
                <div class="voices-visually-hidden" id={count_hint}>{ limit }</div>
                <div class={classes!("voices-count", over.then_some("voices-count--over"))} aria-hidden="true">
                    { catalogue.characters_left(length, max) }
                </div>
                <div class="voices-visually-hidden" id={ids::count_status(id)} aria-live="polite">{ spoken }</div>
            </div>
        }
    } else {
        let (kind, autocomplete, inputmode, width) = match format {
            Some(TextFormat::Email) => {
                ("email", Some("email"), Some("email"), "voices-input--wide")
            }
            Some(TextFormat::Phone) => ("tel", Some("tel"), Some("tel"), "voices-input--medium"),
            Some(TextFormat::UkPostcode) => {
                ("text", Some("postal-code"), None, "voices-input--short")
            }
            None => ("text", None, None, "voices-input--wide"),
        };
        let described_by = ids::described_by(&[
            props.hint.as_ref().map(|h| h.to_string()),
            props.error.as_ref().map(|e| e.to_string()),
        ]);
        html! {
            <input class={classes!("voices-input", width, has_error.then_some("voices-input--error"))}
                type={kind} id={ids::field(id)} name={id.to_owned()} {value} {oninput} {autocomplete} {inputmode}
                spellcheck={if format.is_some() { "false" } else { "true" }}
                aria-describedby={described_by} dir="auto" aria-invalid={has_error.then_some("true")} />
        }
    }
}
