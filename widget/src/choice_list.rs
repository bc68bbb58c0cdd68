//! `choice_list`: radios or checkboxes for a choice question, with the "or" divider before
//! exclusive options and a text box revealed under a "please specify" option.

use voices_shared::QuestionKind;
use yew::prelude::*;

use crate::ids;
use crate::locale::{problem_message, survey_text};
use crate::state::{Action, SurveyState};

pub struct ChoiceListProps {
    pub state: UseReducerHandle<SurveyState>,
    pub question: AttrValue,
    /// The survey's hosted page, whose `pictures/` Easy Read's pictures come from.
    pub address: AttrValue,
}

/// A plain function rather than a component: it has no hooks, and each component costs
/// the widget about 2 kB of Yew lifecycle code.
pub fn choice_list(props: &ChoiceListProps) -> Html {
    let state = &props.state;
    let survey = state.survey();
    let Some(question) = survey.question(&props.question) else {
        return Html::default();
    };
    let id = question.id();
    let locale = state.locale.as_str();
    let catalogue = voices_shared::catalogue(locale);
    let default_locale = survey.default_locale();
    let multiple = matches!(question.kind(), QuestionKind::MultipleChoice { .. });
    let answer = state.answers.get(id);
    let is_chosen = |value: &str| voices_shared::is_chosen(answer, value);
    let invalid = state.problem_for(id).is_some().then_some("true");

    let options = question.options().iter().enumerate().map(|(index, option)| {
        let value = option.value().to_owned();
        let input_id = ids::option(id, index, &value);
        let checked = is_chosen(&value);
        let onchange = {
            let state = state.clone();
            let question = id.to_owned();
            let value = value.clone();
            Callback::from(move |event: Event| {
                let input: web_sys::HtmlInputElement = event.target_unchecked_into();
                let action = if multiple {
                    Action::Toggle { question: question.clone(), value: value.clone(), on: input.checked() }
                } else {
                    Action::Choose { question: question.clone(), value: value.clone() }
                };
                state.dispatch(action);
            })
        };
        let hint_id = option.hint().map(|_| ids::option_hint(id, &value));
        let divider = (multiple && option.exclusive() && index > 0)
            .then(|| html! { <div class="voices-or">{ catalogue.or }</div> });
        let specify = option.specify().then(|| specify_block(state, id, checked));
        // `aria-expanded` says whether the revealed field is showing. ARIA allows it on a
        // checkbox but not on a radio (axe's aria-allowed-attr), so radios carry only
        // `aria-controls`.
        html! {
            <>
                { divider }
                <div class="voices-choice">
                    <input class="voices-choice-input" type={if multiple { "checkbox" } else { "radio" }}
                        id={input_id.clone()} name={id.to_owned()} value={value.clone()} {checked} {onchange}
                        aria-describedby={hint_id.clone()} aria-invalid={invalid}
                        aria-controls={option.specify().then(|| ids::specify_block(id))}
                        aria-expanded={(option.specify() && multiple).then_some(if checked { "true" } else { "false" })} />
                    { crate::picture::picture(option.picture(), locale, default_locale, &props.address, "voices-picture voices-choice-picture") }
                    <label class="voices-choice-label" for={input_id}>{ survey_text(option.label(), locale, default_locale) }</label>
                    { option.hint().map(|h| html! {
                        <div class="voices-hint voices-choice-hint" id={hint_id.clone()}>{ survey_text(h, locale, default_locale) }</div>
                    }) }
                </div>
                { specify }
            </>
        }
    });
    html! { <div class="voices-choices">{ for options }</div> }
}

/// The text box under a "please specify" option: always in the page (so
/// `aria-controls` points at something), hidden until its option is chosen.
fn specify_block(state: &UseReducerHandle<SurveyState>, question: &str, shown: bool) -> Html {
    let catalogue = voices_shared::catalogue(&state.locale);
    let survey = state.survey();
    let message = state.specify_problem_for(question).and_then(|p| {
        let q = survey.question(question)?;
        Some(problem_message(
            q,
            p,
            &state.locale,
            survey.default_locale(),
        ))
    });
    let error_id = message.as_ref().map(|_| ids::specify_error(question));
    let oninput = {
        let state = state.clone();
        let question = question.to_owned();
        Callback::from(move |event: InputEvent| {
            let input: web_sys::HtmlInputElement = event.target_unchecked_into();
            state.dispatch(Action::Specify {
                question: question.clone(),
                text: input.value(),
            });
        })
    };
    let value = state.specify.get(question).cloned().unwrap_or_default();
    html! {
        <div class={classes!("voices-specify", error_id.as_ref().map(|_| "voices-question--error"))}
            id={ids::specify_block(question)} hidden={!shown}>
            <label class="voices-label" for={ids::specify(question)}>{ catalogue.specify_label }</label>
            { message.map(|text| html! {
                <p class="voices-error" id={ids::specify_error(question)}>
                    <span class="voices-visually-hidden">{ catalogue.error_prefix }{ " " }</span>{ text }
                </p>
            }) }
            <input class={classes!("voices-input", error_id.as_ref().map(|_| "voices-input--error"))} type="text"
                id={ids::specify(question)} name={crate::form_post::specify_field(question)} {value} {oninput} aria-describedby={error_id.clone()} spellcheck="true"
                dir="auto" aria-invalid={error_id.as_ref().map(|_| "true")} />
        </div>
    }
}
