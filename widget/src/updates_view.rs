//! What came of a survey (its published updates, with "you said / we did"), in the
//! reader's language: all of them newest first (`Updates`, the hosted page
//! `/s/{id}/updates`, rendered by the collector), or the latest under a closed survey's
//! notice (`latest_updates`).

use voices_shared::outcomes::{Outcomes, Update};
use voices_shared::{Survey, Text};
use yew::prelude::*;

use crate::headings::Headings;
use crate::locale::survey_text;
use crate::question_field::paragraphs;

/// The address of a survey's updates page at `collector`, in `locale`.
pub fn updates_address(collector: &str, survey: &Survey, locale: &str) -> String {
    format!("{collector}/s/{}/updates?lang={locale}", survey.id())
}

/// Under a closed survey's notice: its latest update, and the newest "what we did" when
/// that is an older one, then the link to them all.
pub fn latest_updates(
    survey: &Survey,
    outcomes: &Outcomes,
    locale: &str,
    headings: Headings,
    link: &str,
) -> Html {
    let catalogue = voices_shared::catalogue(locale);
    let default_locale = survey.default_locale();
    let latest = outcomes.latest();
    let what_we_did = outcomes
        .what_we_did()
        .filter(|did| latest.is_none_or(|l| l.id() != did.id()));
    html! {
        <div class="voices-latest-updates">
            { for latest.into_iter().chain(what_we_did).map(|update| update_article(update, locale, default_locale, headings)) }
            <p><a href={link.to_owned()} class="voices-updates-link">{ catalogue.all_updates }</a></p>
        </div>
    }
}

#[cfg(feature = "ssr")]
#[derive(Properties, PartialEq)]
pub struct UpdatesProps {
    pub survey: std::rc::Rc<Survey>,
    /// The published updates (drafts are never sent to a reader).
    pub outcomes: std::rc::Rc<Outcomes>,
    pub locale: AttrValue,
    pub headings: Headings,
}

#[cfg(feature = "ssr")]
#[function_component]
pub fn Updates(props: &UpdatesProps) -> Html {
    use crate::locale::direction;
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
                // `list-style: none` takes the list away in Safari's accessibility tree.
                <ul class="voices-pairs" role="list">
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
