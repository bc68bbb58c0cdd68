//! `check_screen`: every answer with a Change link, what happens next, and Send.

use voices_shared::serde_json::Value;
use voices_shared::{Question, QuestionKind};
use yew::prelude::*;

use crate::error_summary::message_summary;
use crate::form_post::{ACTION_FIELD, HONEYPOT_FIELD, back_form, hidden_state};
use crate::headings::Headings;
use crate::ids;
use crate::locale::{fallback, survey_text};
use crate::question_field::paragraphs;
use crate::state::{Action, Screen, SurveyState, describe_answer};

/// One answer as lines (one per chosen option). Option labels and units the survey has
/// not translated are marked with the language they are in, like everywhere else. What the
/// person typed (a text answer, "please specify" details) is isolated in a `<bdi>`, so
/// English typed into an Arabic survey keeps its order, and so does the Arabic around it.
fn answer_lines(state: &SurveyState, question: &Question, text: &str) -> Html {
    let survey = state.survey();
    let (locale, default_locale) = (state.locale.as_str(), survey.default_locale());
    let chosen: Vec<&str> = match state.answers.get(question.id()) {
        Some(Value::String(value)) => vec![value.as_str()],
        Some(Value::Array(items)) => items.iter().filter_map(Value::as_str).collect(),
        _ => Vec::new(),
    };
    text.split('\n')
        .enumerate()
        .map(|(index, line)| {
            let option = chosen.get(index).and_then(|value| question.option(value));
            let marked = option.and_then(|option| {
                let rest = line.strip_prefix(option.label().get(locale))?;
                let details = rest.strip_prefix(" – ").map(|typed| html! { <>{ " – " }<bdi>{ typed.to_owned() }</bdi></> });
                Some(html! { <>{ survey_text(option.label(), locale, default_locale) }{ details.unwrap_or_else(|| html! { { rest.to_owned() } }) }</> })
            });
            let typed = matches!(question.kind(), QuestionKind::Text { .. });
            let unit_lang = match question.kind() {
                QuestionKind::Number { unit: Some(unit), .. } => fallback(unit, locale, default_locale),
                _ => None,
            };
            let (lang, dir) = unit_lang.unzip();
            html! {
                <span class="voices-summary-line" {lang} {dir}>
                    { marked.unwrap_or_else(|| if typed {
                        html! { <bdi>{ line.to_owned() }</bdi> }
                    } else {
                        html! { { line.to_owned() } }
                    }) }
                </span>
            }
        })
        .collect()
}

pub struct CheckScreenProps {
    pub state: UseReducerHandle<SurveyState>,
    pub headings: Headings,
    /// Where the screen's forms post without JavaScript: the survey's hosted page.
    pub action: AttrValue,
}

/// A plain function rather than a component: it has no hooks, and each component costs
/// the widget about 2 kB of Yew lifecycle code.
pub fn check_screen(props: &CheckScreenProps) -> Html {
    let state = &props.state;
    let survey = state.survey();
    let locale = state.locale.as_str();
    let default_locale = survey.default_locale();
    let catalogue = voices_shared::catalogue(locale);
    let visibility = survey.visibility(&state.answers);
    let sending = state.screen == Screen::Sending;

    // Easy Read shows a page's questions one to a screen, each under the page's title;
    // here they are one list again, the title said once.
    let mut previous_title = None;
    let sections = visibility.visible_pages().into_iter().map(|p| {
        let page = &survey.pages()[p];
        let title = page
            .title()
            .filter(|title| !voices_shared::is_easy_read(locale) || previous_title != Some(*title));
        previous_title = page.title();
        let rows = page
            .questions()
            .iter()
            .enumerate()
            .filter(|(q, question)| visibility.question_visible(p, *q) && question.is_answerable())
            .map(|(_, question)| {
                let label = survey_text(question.label(), locale, default_locale);
                let answer = describe_answer(survey, question.id(), &state.answers, &state.specify, locale);
                let onclick = {
                    let state = state.clone();
                    let question = question.id().to_owned();
                    Callback::from(move |event: MouseEvent| {
                        event.prevent_default();
                        state.dispatch(Action::Change { question: question.clone() });
                    })
                };
                html! {
                    <div class="voices-summary-row">
                        <dt class="voices-summary-key">{ label.clone() }</dt>
                        <dd class="voices-summary-value">
                            { match answer {
                                Some(text) => answer_lines(state, question, &text),
                                None => html! { <span class="voices-secondary">{ catalogue.not_answered }</span> },
                            } }
                        </dd>
                        // A button in the screen's form, not a link: without JavaScript it
                        // posts the answers so far, which a link could not carry.
                        <dd class="voices-summary-action">
                            <button type="submit" name={ACTION_FIELD} value={format!("change:{}", question.id())}
                                id={ids::change(question.id())} class="voices-change" {onclick}
                                aria-disabled={sending.then_some("true")}>
                                { catalogue.change }<span class="voices-visually-hidden">{ " " }{ label }</span>
                            </button>
                        </dd>
                    </div>
                }
            });
        html! {
            <>
                { title.map(|t| props.headings.subtitle(None, html! { { survey_text(t, locale, default_locale) } })) }
                <dl class="voices-summary">{ for rows }</dl>
            </>
        }
    });

    let on_send = {
        let state = state.clone();
        Callback::from(move |event: MouseEvent| {
            event.prevent_default();
            state.dispatch(Action::Send);
        })
    };
    html! {
        <>
            { back_form(state, &props.action, sending) }
            { props.headings.title(html! { { catalogue.check_heading } }) }
            { state.send_error.as_deref().map(|message| message_summary(message, &state.locale, props.headings)) }
            <form method="post" action={props.action.clone()} class="voices-check-form">
            { hidden_state(state) }
            // Never seen or heard by people (`hidden`); programs that fill in every field
            // fill this one too, and the collector then stores nothing (see form_post).
            <div hidden=true>
                <label for="voices-website">{ "Website" }</label>
                <input type="text" id="voices-website" name={HONEYPOT_FIELD} autocomplete="off" tabindex="-1" />
            </div>
            { for sections }
            { survey.what_happens_next().map(|next| html! {
                <section class="voices-next" aria-labelledby="voices-next-heading">
                    { props.headings.subtitle(Some("voices-next-heading"), html! { { catalogue.what_happens_next } }) }
                    { paragraphs(next, locale, default_locale) }
                </section>
            }) }
            <button type="submit" name={ACTION_FIELD} value="send" class="voices-button" onclick={on_send}
                aria-disabled={sending.then_some("true")}>
                { if state.send_error.is_some() { catalogue.try_again } else { catalogue.send } }
            </button>
            </form>
            <p class="voices-status" role="status">{ if sending { catalogue.sending } else { "" } }</p>
        </>
    }
}
