//! `rating_scale`: a rating as a row of radios (never a drag-only slider), end labels in the names.

use voices_shared::QuestionKind;
use yew::prelude::*;

use crate::ids;
use crate::locale::survey_text;
use crate::state::{Action, SurveyState};

pub struct RatingScaleProps {
    pub state: UseReducerHandle<SurveyState>,
    pub question: AttrValue,
}

/// A plain function rather than a component: it has no hooks, and each component costs
/// the widget about 2 kB of Yew lifecycle code.
pub fn rating_scale(props: &RatingScaleProps) -> Html {
    let state = &props.state;
    let survey = state.survey();
    let Some(question) = survey.question(&props.question) else {
        return Html::default();
    };
    let QuestionKind::Rating {
        min,
        max,
        min_label,
        max_label,
    } = question.kind()
    else {
        return Html::default();
    };
    let id = question.id();
    let locale = state.locale.as_str();
    let chosen = state.answers.get(id).and_then(|v| v.as_i64());
    let invalid = state.problem_for(id).is_some().then_some("true");
    let points = (i64::from(*min)..=i64::from(*max)).enumerate().map(|(index, point)| {
        let input_id = ids::option(id, index, &point.to_string());
        let end_label = if point == i64::from(*min) {
            min_label.as_ref()
        } else if point == i64::from(*max) {
            max_label.as_ref()
        } else {
            None
        };
        let onchange = {
            let state = state.clone();
            let question = id.to_owned();
            Callback::from(move |_: Event| state.dispatch(Action::Rate { question: question.clone(), value: point }))
        };
        html! {
            <div class="voices-rating-point">
                <input class="voices-choice-input" type="radio" id={input_id.clone()} name={id.to_owned()}
                    value={point.to_string()} checked={chosen == Some(point)} {onchange} aria-invalid={invalid} />
                <label class="voices-choice-label" for={input_id}>
                    <span class="voices-rating-number">{ point }</span>
                    { end_label.map(|l| html! { <span class="voices-rating-end">{ survey_text(l, locale, survey.default_locale()) }</span> }) }
                </label>
            </div>
        }
    });
    // A long scale needs more room before it can be a row (see the stylesheet).
    let long = (i64::from(*max) - i64::from(*min)) >= 7;
    html! { <div class={classes!("voices-rating", long.then_some("voices-rating--long"))}>{ for points }</div> }
}
