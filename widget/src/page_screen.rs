//! `page_screen`: one page of questions with its progress, error summary, Back and Continue.

use yew::prelude::*;

use crate::error_summary::{ErrorSummaryProps, error_summary};
use crate::form_post::{ACTION_FIELD, SHOWN_FIELD, back_form, hidden_state};
use crate::headings::Headings;
use crate::locale::survey_text;
use crate::question_field::{QuestionFieldProps, question_field};
use crate::state::{Action, SurveyState};

pub struct PageScreenProps {
    pub state: UseReducerHandle<SurveyState>,
    pub page: usize,
    pub on_focus: Callback<String>,
    pub headings: Headings,
    /// Where the screen's forms post without JavaScript: the survey's hosted page.
    pub action: AttrValue,
}

/// A plain function rather than a component: it has no hooks, and each component costs
/// the widget about 2 kB of Yew lifecycle code.
pub fn page_screen(props: &PageScreenProps) -> Html {
    let state = &props.state;
    let survey = state.survey();
    let Some(page) = survey.pages().get(props.page) else {
        return Html::default();
    };
    let locale = state.locale.as_str();
    let catalogue = voices_shared::catalogue(locale);
    let (position, total) = state.progress(props.page);
    let visibility = survey.visibility(&state.answers);
    let title = survey_text(
        page.title().unwrap_or(survey.title()),
        locale,
        survey.default_locale(),
    );

    let onsubmit = {
        let state = state.clone();
        Callback::from(move |event: SubmitEvent| {
            event.prevent_default();
            state.dispatch(Action::Continue);
        })
    };
    let shown: Vec<&voices_shared::Question> = page
        .questions()
        .iter()
        .enumerate()
        .filter(|(q, _)| visibility.question_visible(props.page, *q))
        .map(|(_, question)| question)
        .collect();
    let shown_ids = shown.iter().map(|q| q.id()).collect::<Vec<_>>().join(" ");
    let questions = shown.iter().map(|question| {
        question_field(&QuestionFieldProps {
            state: state.clone(),
            question: question.id().to_owned().into(),
            headings: props.headings,
            address: props.action.clone(),
        })
    });
    html! {
        <>
            { back_form(state, &props.action, false) }
            // The colon is for the accessible name ("Page 2 of 4: Your views"); on screen
            // the progress is a line of its own.
            { props.headings.title(html! {
                <>
                    <span class="voices-caption">{ catalogue.page_of(position, total) }<span class="voices-separator">{ ": " }</span></span>
                    { title }
                </>
            }) }
            { error_summary(&ErrorSummaryProps { state: state.clone(), on_focus: props.on_focus.clone(), headings: props.headings }) }
            <form method="post" action={props.action.clone()} novalidate=true {onsubmit}>
                { hidden_state(state) }
                <input type="hidden" name={SHOWN_FIELD} value={shown_ids} />
                { for questions }
                <button type="submit" name={ACTION_FIELD} value="continue" class="voices-button">{ catalogue.continue_ }</button>
            </form>
        </>
    }
}
