//! `PageScreen`: one page of questions with its progress, error summary, Back and Continue.

use yew::prelude::*;

use crate::error_summary::{ErrorSummaryProps, error_summary};
use crate::ids;
use crate::locale::survey_text;
use crate::question_field::QuestionField;
use crate::state::{Action, SurveyState};

#[derive(Properties, PartialEq)]
pub struct PageScreenProps {
    pub state: UseReducerHandle<SurveyState>,
    pub page: usize,
    pub on_focus: Callback<String>,
}

#[function_component]
pub fn PageScreen(props: &PageScreenProps) -> Html {
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
    let on_back = {
        let state = state.clone();
        Callback::from(move |_: MouseEvent| state.dispatch(Action::Back))
    };
    let questions = page
        .questions()
        .iter()
        .enumerate()
        .filter(|(q, _)| visibility.question_visible(props.page, *q))
        .map(|(_, question)| {
            let id: AttrValue = question.id().to_owned().into();
            html! { <QuestionField key={question.id().to_owned()} state={state.clone()} question={id} /> }
        });
    html! {
        <>
            <button type="button" class="voices-back" onclick={on_back}>{ catalogue.back }</button>
            <h2 id={ids::HEADING} tabindex="-1">
                <span class="voices-caption">{ catalogue.page_of(position, total) }</span>
                { title }
            </h2>
            { error_summary(&ErrorSummaryProps { state: state.clone(), on_focus: props.on_focus.clone() }) }
            <form novalidate=true {onsubmit}>
                { for questions }
                <button type="submit" class="voices-button">{ catalogue.continue_ }</button>
            </form>
        </>
    }
}
