//! What the person who sent a response can know of it: that it was stored and on which
//! day, its receipt, and whether the survey still takes answers; nothing of the answers.
//! The hosted page `/r/{receipt}` shows it (rendered by the collector), and so does the
//! widget for a response sent from this device.

use voices_shared::{CalendarDate, fill};
use yew::prelude::*;

/// The facts of one stored response.
pub fn response_summary(sent_on: CalendarDate, receipt: &str, open: bool, locale: &str) -> Html {
    let catalogue = voices_shared::catalogue(locale);
    html! {
        <div class="voices-your-response">
            <p>{ fill(catalogue.stored_on, &[("date", &catalogue.date(sent_on))]) }</p>
            <p>{ catalogue.receipt_intro }{ " " }<strong class="voices-receipt">{ receipt.to_owned() }</strong></p>
            <p>{ if open { catalogue.survey_open } else { catalogue.closed } }</p>
        </div>
    }
}

/// The page `/r/{receipt}` for a response that is stored: the survey's title, the facts,
/// and what came of the survey so far.
#[cfg(feature = "ssr")]
pub mod page {
    use std::rc::Rc;
    use std::sync::Arc;

    use voices_shared::outcomes::Outcomes;
    use voices_shared::{CalendarDate, Survey};
    use yew::prelude::*;

    use crate::headings::Headings;
    use crate::locale::{direction, survey_text};

    #[derive(Properties, PartialEq)]
    pub struct ResponsePageProps {
        /// The survey answered, when the receipt names a stored response.
        pub found: Option<Found>,
        pub locale: AttrValue,
        pub headings: Headings,
    }

    #[derive(Debug, Clone, PartialEq)]
    pub struct Found {
        pub survey: Arc<Survey>,
        pub sent_on: CalendarDate,
        pub receipt: AttrValue,
        pub open: bool,
        /// The survey's published updates, when there are any.
        pub outcomes: Option<Rc<Outcomes>>,
        pub updates_link: AttrValue,
    }

    #[function_component]
    pub fn ResponsePage(props: &ResponsePageProps) -> Html {
        let locale = props.locale.as_str();
        let catalogue = voices_shared::catalogue(locale);
        let body = match &props.found {
            Some(found) => html! {
                <>
                    { props.headings.plain_title(html! {
                        <>{ catalogue.your_response }<span class="voices-visually-hidden">{ ": " }</span>
                          <span class="voices-title-survey">{ survey_text(found.survey.title(), locale, found.survey.default_locale()) }</span></>
                    }) }
                    { super::response_summary(found.sent_on, &found.receipt, found.open, locale) }
                    { found.outcomes.as_ref().map(|outcomes| crate::updates_view::latest_updates(
                        &found.survey, outcomes, locale, props.headings, &found.updates_link,
                    )) }
                </>
            },
            None => html! {
                <>
                    { props.headings.plain_title(html! { { catalogue.no_such_response } }) }
                    <p>{ catalogue.no_such_response_hint }</p>
                </>
            },
        };
        html! {
            <div class="voices" lang={props.locale.clone()} dir={direction(locale)}>{ body }</div>
        }
    }
}
