//! `error_summary`: "There is a problem" with one link per error, focused when it appears.

use yew::prelude::*;

use crate::headings::Headings;
use crate::ids;
use crate::locale::problem_message;
use crate::state::SurveyState;

pub struct ErrorSummaryProps {
    pub state: UseReducerHandle<SurveyState>,
    /// Moves focus to an element by id (links inside a shadow root cannot use `#fragment` navigation).
    pub on_focus: Callback<String>,
    pub headings: Headings,
}

/// A plain function rather than a component: it has no hooks, and each component costs
/// the widget about 2 kB of Yew lifecycle code.
pub fn error_summary(props: &ErrorSummaryProps) -> Html {
    let state = &props.state;
    if state.problems.is_empty() {
        return Html::default();
    }
    let catalogue = voices_shared::catalogue(&state.locale);
    let survey = state.survey();
    let items = state.problems.iter().filter_map(|problem| {
        let question_id = problem.question()?;
        let question = survey.question(question_id)?;
        let message = problem_message(question, problem, &state.locale, survey.default_locale());
        let target = if problem.in_specify() {
            ids::specify(question_id)
        } else {
            ids::field(question_id)
        };
        let href = format!("#{target}");
        let onclick = {
            let on_focus = props.on_focus.clone();
            Callback::from(move |event: MouseEvent| {
                event.prevent_default();
                on_focus.emit(target.clone());
            })
        };
        Some(html! { <li><a {href} {onclick}>{ message }</a></li> })
    });
    html! {
        <div class="voices-error-summary" id={ids::ERROR_SUMMARY} role="alert" tabindex="-1"
            aria-labelledby="voices-error-summary-title">
            { props.headings.subtitle(Some("voices-error-summary-title"), html! { { catalogue.there_is_a_problem } }) }
            <ul>{ for items }</ul>
        </div>
    }
}

/// The summary for one problem that belongs to no field (a send or a withdrawal that
/// failed): the same box, focused the same way, saying `message`, in `locale`.
pub fn message_summary(message: &str, locale: &str, headings: Headings) -> Html {
    let catalogue = voices_shared::catalogue(locale);
    html! {
        <div class="voices-error-summary" id={ids::ERROR_SUMMARY} role="alert" tabindex="-1"
            aria-labelledby="voices-error-summary-title">
            { headings.subtitle(Some("voices-error-summary-title"), html! { { catalogue.there_is_a_problem } }) }
            <p>{ message.to_owned() }</p>
        </div>
    }
}
