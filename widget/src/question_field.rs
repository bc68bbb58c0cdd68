//! `question_field`: one question with its label or legend, hint and error, around the right control.

use voices_shared::{QuestionKind, Text};
use yew::prelude::*;

use crate::choice_list::{ChoiceListProps, choice_list};
use crate::consent_box::{ConsentBoxProps, consent_box};
use crate::date_field::{DateFieldProps, date_field};
use crate::headings::Headings;
use crate::ids;
use crate::locale::{fallback, problem_message, survey_text};
use crate::number_field::{NumberFieldProps, number_field};
use crate::rating_scale::{RatingScaleProps, rating_scale};
use crate::state::SurveyState;
use crate::text_field::{TextFieldProps, text_field};

pub struct QuestionFieldProps {
    pub state: UseReducerHandle<SurveyState>,
    pub question: AttrValue,
    pub headings: Headings,
    /// The survey's hosted page, whose `pictures/` Easy Read's pictures come from.
    pub address: AttrValue,
}

/// Paragraphs of plain text: survey text is never HTML. Untranslated text is marked with
/// the language it is in (see [`fallback`]).
pub fn paragraphs(text: &Text, locale: &str, default_locale: &str) -> Html {
    let (lang, dir) = fallback(text, locale, default_locale).unzip();
    text.paragraphs(locale)
        .map(|p| html! { <p lang={lang.clone()} {dir}>{ p }</p> })
        .collect()
}

/// A plain function rather than a component: it has no hooks, and each component costs
/// the widget about 2 kB of Yew lifecycle code. Its outer element is keyed by the
/// question's id, so that a question shown or hidden by a condition never takes over
/// another's inputs.
pub fn question_field(props: &QuestionFieldProps) -> Html {
    let state = &props.state;
    let survey = state.survey();
    let Some(question) = survey.question(&props.question) else {
        return Html::default();
    };
    let id = question.id();
    let key = id.to_owned();
    let locale = state.locale.as_str();
    let catalogue = voices_shared::catalogue(locale);
    let default_locale = survey.default_locale();
    let label = survey_text(question.label(), locale, default_locale);

    let picture = crate::picture::picture(
        question.picture(),
        locale,
        default_locale,
        &props.address,
        "voices-picture",
    );
    if let QuestionKind::Info { body } = question.kind() {
        return html! {
            <div class="voices-info" {key}>
                { props.headings.subtitle(None, html! { { label } }) }
                { picture }
                { paragraphs(body, locale, default_locale) }
            </div>
        };
    }

    let is_date = matches!(question.kind(), QuestionKind::Date { .. });
    let hint_text = question
        .hint()
        .map(|h| survey_text(h, locale, default_locale))
        .or_else(|| is_date.then(|| html! { { catalogue.date_hint } }));
    let hint_id = hint_text.as_ref().map(|_| ids::hint(id));
    let message = state
        .problem_for(id)
        .map(|p| problem_message(question, p, locale, default_locale));
    let error_id = message.as_ref().map(|_| ids::error(id));
    let described_by = ids::described_by(&[hint_id.clone(), error_id.clone()]);
    let optional = (!question.required())
        .then(|| html! { <span class="voices-optional">{ " " }{ catalogue.optional }</span> });

    let hint =
        hint_text.map(|text| html! { <div class="voices-hint" id={ids::hint(id)}>{ text }</div> });
    let error = message.map(|text| html! {
        <p class="voices-error" id={ids::error(id)}>
            <span class="voices-visually-hidden">{ catalogue.error_prefix }{ " " }</span>{ text }
        </p>
    });
    let class = classes!(
        "voices-question",
        error_id.as_ref().map(|_| "voices-question--error")
    );
    let question_id: AttrValue = id.to_owned().into();

    match question.kind() {
        QuestionKind::SingleChoice { .. }
        | QuestionKind::MultipleChoice { .. }
        | QuestionKind::Rating { .. } => {
            let control = if let QuestionKind::Rating { .. } = question.kind() {
                rating_scale(&RatingScaleProps {
                    state: state.clone(),
                    question: question_id,
                })
            } else {
                choice_list(&ChoiceListProps {
                    state: state.clone(),
                    question: question_id,
                    address: props.address.clone(),
                })
            };
            html! {
                <div {class} {key}>
                    { picture }
                    <fieldset class="voices-fieldset" aria-describedby={described_by}>
                        <legend class="voices-label">{ label }{ optional }</legend>
                        { hint }
                        { error }
                        { control }
                    </fieldset>
                </div>
            }
        }
        QuestionKind::Date { .. } => html! {
            <div {class} {key}>
                { picture }
                <fieldset class="voices-fieldset" role="group" aria-describedby={described_by}>
                    <legend class="voices-label">{ label }{ optional }</legend>
                    { hint }
                    { error }
                    { date_field(&DateFieldProps { state: state.clone(), question: question_id, has_error: error_id.is_some() }) }
                </fieldset>
            </div>
        },
        QuestionKind::Consent => html! {
            <div {class} {key}>
                { picture }
                { hint }
                { error }
                { consent_box(&ConsentBoxProps { state: state.clone(), question: question_id, described_by, label }) }
            </div>
        },
        QuestionKind::Number { unit, .. } => {
            let unit_text = unit
                .as_ref()
                .map(|u| survey_text(u, locale, default_locale));
            html! {
                <div {class} {key}>
                    { picture }
                    <label class="voices-label" for={ids::field(id)}>
                        { label }
                        { unit_text.map(|u| html! { <span class="voices-visually-hidden">{ " (" }{ u }{ ")" }</span> }) }
                        { optional }
                    </label>
                    { hint }
                    { error }
                    { number_field(&NumberFieldProps { state: state.clone(), question: question_id, described_by, has_error: error_id.is_some() }) }
                </div>
            }
        }
        QuestionKind::Text { .. } => html! {
            <div {class} {key}>
                { picture }
                <label class="voices-label" for={ids::field(id)}>{ label }{ optional }</label>
                { hint }
                { error }
                { text_field(&TextFieldProps {
                    state: state.clone(),
                    question: question_id,
                    hint: hint_id.map(AttrValue::from),
                    error: error_id.map(AttrValue::from),
                }) }
            </div>
        },
        QuestionKind::Info { .. } => Html::default(),
    }
}
