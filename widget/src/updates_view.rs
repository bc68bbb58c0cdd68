//! `Updates`: what came of a survey (its published updates, newest first, with "you said /
//! we did"), in the reader's language; the hosted page `/s/{id}/updates` is this, rendered
//! by the collector.

use std::rc::Rc;

use voices_shared::outcomes::{Outcomes, Update};
use voices_shared::{Survey, Text};
use yew::prelude::*;

use crate::headings::Headings;
use crate::locale::{direction, survey_text};
use crate::question_field::paragraphs;

#[derive(Properties, PartialEq)]
pub struct UpdatesProps {
    pub survey: Rc<Survey>,
    /// The published updates (drafts are never sent to a reader).
    pub outcomes: Rc<Outcomes>,
    pub locale: AttrValue,
    pub headings: Headings,
}

#[function_component]
pub fn Updates(props: &UpdatesProps) -> Html {
    let locale = props.locale.as_str();
    let catalogue = voices_shared::catalogue(locale);
    let survey = &props.survey;
    let default_locale = survey.default_locale();
    let updates = props.outcomes.newest_first();
    html! {
        <div class="voices voices-updates" lang={props.locale.clone()} dir={direction(locale)}>
            { props.headings.plain_title(html! {
                <>{ catalogue.updates }<span class="voices-visually-hidden">{ ": " }</span>
                  <span class="voices-title-survey">{ survey_text(survey.title(), locale, default_locale) }</span></>
            }) }
            if updates.is_empty() {
                <p class="voices-notice">{ catalogue.no_updates }</p>
            }
            { for updates.into_iter().map(|update| update_article(update, locale, default_locale, props.headings)) }
        </div>
    }
}

/// One update: its headline, stage and date, its body, its pairs and its report.
pub fn update_article(
    update: &Update,
    locale: &str,
    default_locale: &str,
    headings: Headings,
) -> Html {
    let catalogue = voices_shared::catalogue(locale);
    let date = update.date();
    let pairs = update.you_said_we_did();
    let text = |t: &Text| survey_text(t, locale, default_locale);
    html! {
        <article class="voices-update" id={format!("update-{}", update.id())}>
            { headings.subtitle(None, text(update.headline())) }
            <p class="voices-update-meta">
                { catalogue.stage(update.stage()) }{ " · " }
                <time datetime={date.to_string()}>{ catalogue.date(date) }</time>
            </p>
            { paragraphs(update.body(), locale, default_locale) }
            if !pairs.is_empty() {
                <ul class="voices-pairs">
                    { for pairs.iter().map(|pair| html! {
                        <li>
                            <p><strong>{ catalogue.you_said }</strong>{ " " }{ text(pair.you_said()) }</p>
                            <p><strong>{ catalogue.we_did }</strong>{ " " }{ text(pair.we_did()) }</p>
                        </li>
                    }) }
                </ul>
            }
            if let Some(link) = update.link() {
                <p><a href={link.to_owned()}>{ catalogue.full_report }</a></p>
            }
        </article>
    }
}
