//! `start_screen`: the survey's title, introduction and privacy notice, before any question.

use yew::prelude::*;

use crate::form_post::{ACTION_FIELD, hidden_state};
use crate::headings::Headings;
use crate::locale::survey_text;
use crate::question_field::paragraphs;
use crate::state::{Action, SurveyState};

pub struct StartScreenProps {
    pub state: UseReducerHandle<SurveyState>,
    pub headings: Headings,
    /// Where the screen's forms post without JavaScript: the survey's hosted page.
    pub action: AttrValue,
    /// The survey's updates page, once it has published updates.
    pub updates: Option<AttrValue>,
    /// Responses this device sent to the survey, each with its page.
    pub sent: Vec<(crate::sent_records::SentRecord, AttrValue)>,
    /// The survey has closed (shown for the responses above): no Start.
    pub closed: bool,
    /// Its latest updates, for someone who has answered (or a closed survey), in place of
    /// the link to them.
    pub latest: Option<Html>,
}

/// A plain function rather than a component: it has no hooks, and each component costs
/// the widget about 2 kB of Yew lifecycle code.
pub fn start_screen(props: &StartScreenProps) -> Html {
    let state = &props.state;
    let survey = state.survey();
    let locale = state.locale.as_str();
    let default_locale = survey.default_locale();
    let catalogue = voices_shared::catalogue(locale);
    let privacy = survey.privacy();
    let onclick = {
        let state = state.clone();
        Callback::from(move |event: MouseEvent| {
            event.prevent_default();
            state.dispatch(Action::Start);
        })
    };
    let sent = props.sent.iter().filter_map(|(record, page)| {
        let sent_on = voices_shared::CalendarDate::parse(&record.sent_on)?;
        let onclick = {
            let state = state.clone();
            let receipt = record.receipt.clone();
            Callback::from(move |_: MouseEvent| {
                state.dispatch(Action::AskWithdraw {
                    receipt: receipt.clone(),
                })
            })
        };
        // The link and the button say which response they are for (several may be listed).
        let summary = format!("voices-sent-{}", record.receipt);
        Some(html! {
            <section class="voices-sent-before" id={summary.clone()}>
                { crate::response_view::response_summary(sent_on, &record.receipt, !props.closed, locale) }
                <p><a href={page.clone()} aria-describedby={summary.clone()}>{ catalogue.see_response }</a></p>
                <p><button type="button" class="voices-button voices-button--secondary"
                    aria-describedby={summary} {onclick}>{ catalogue.withdraw }</button></p>
            </section>
        })
    });
    if props.closed {
        return html! {
            <>
                { props.headings.title(html! { { survey_text(survey.title(), locale, default_locale) } }) }
                <p class="voices-notice">{ catalogue.closed }</p>
                { for sent }
                { props.latest.clone().unwrap_or_default() }
            </>
        };
    }
    let run_by = survey.organisation().map(|organisation| {
        let (before, after) = catalogue
            .run_by
            .split_once("{organisation}")
            .unwrap_or((catalogue.run_by, ""));
        html! {
            <p class="voices-run-by">{ before }<strong>{ survey_text(organisation, locale, default_locale) }</strong>{ after }</p>
        }
    });
    html! {
        <>
            { props.headings.title(html! { { survey_text(survey.title(), locale, default_locale) } }) }
            { run_by }
            { for sent }
            { props.latest.clone().unwrap_or_default() }
            { survey.intro().map(|intro| html! { <div class="voices-intro">{ paragraphs(intro, locale, default_locale) }</div> }) }
            <section class="voices-privacy" aria-labelledby="voices-privacy-heading">
                { props.headings.subtitle(Some("voices-privacy-heading"), html! { { catalogue.privacy_heading } }) }
                { paragraphs(privacy.text(), locale, default_locale) }
                { privacy.url().map(|url| html! {
                    <p><a href={url.to_owned()} target="_blank" rel="noopener noreferrer">
                        { catalogue.privacy_link }{ " " }{ catalogue.opens_in_new_tab }
                    </a></p>
                }) }
            </section>
            <form method="post" action={props.action.clone()}>
                { hidden_state(state) }
                <button type="submit" name={ACTION_FIELD} value="start" class="voices-button voices-button--start" {onclick}>{ catalogue.start }</button>
            </form>
            { props.updates.clone().filter(|_| props.latest.is_none()).map(|href| html! {
                <p class="voices-updates-link"><a {href}>{ catalogue.updates_link }</a></p>
            }) }
        </>
    }
}
