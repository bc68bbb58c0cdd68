//! Rendering the survey to HTML on the server (feature `ssr`): the very components, and the
//! very reducer state, that the browser runs; no second template of any screen.

use std::rc::Rc;
use std::sync::Arc;

use crate::app::{App, AppProps};
use crate::headings::Headings;
use crate::state::SurveyState;

/// The widget's markup for `state`, as [`App`] renders it (the language picker, the screen
/// and the announcer), for a page at `collector`'s hosted page. No effects run: nothing is
/// read from or kept on any device, and focus is the page's to set.
pub async fn render(
    state: SurveyState,
    collector: String,
    headings: Headings,
    whole_page: bool,
    outcomes: Option<voices_shared::outcomes::Outcomes>,
) -> String {
    let focus = state.focus_target();
    let outcomes = outcomes.filter(voices_shared::outcomes::Outcomes::has_published);
    let html = yew::ServerRenderer::<App>::with_props(move || AppProps {
        outcomes: outcomes.map(Rc::new),
        closed: false,
        // The collect page's widget runs in the browser only.
        collect: None,
        survey: Arc::clone(state.survey()),
        locale: state.locale.clone().into(),
        collector: collector.into(),
        channel: state.channel,
        submission_id: state.submission_id,
        headings,
        whole_page,
        initial: Some(Rc::new(state)),
    })
    .hydratable(false)
    .render()
    .await;
    match focus {
        Some(id) => with_autofocus(html, &id),
        None => html,
    }
}

/// Where the widget would move focus after this step (the new heading, the error summary,
/// the answer to change, the row changed), a page without JavaScript says with `autofocus`:
/// the browser puts focus there as the page loads, as the widget would have. The id is one
/// of the widget's own (`ids`), which are plain `[a-z0-9_-]`.
fn with_autofocus(html: String, id: &str) -> String {
    let marker = format!(" id=\"{id}\"");
    match html.find(&marker) {
        Some(at) => {
            let end = at + marker.len();
            format!("{} autofocus{}", &html[..end], &html[end..])
        }
        None => html,
    }
}

/// Why a survey cannot be answered now, rendered as the widget's own notice (its title as
/// the heading) for a page that is only that survey.
pub async fn render_closed(
    survey: &voices_shared::Survey,
    locale: String,
    not_open_yet: bool,
    headings: Headings,
    outcomes: Option<voices_shared::outcomes::Outcomes>,
) -> String {
    use crate::notice::{Notice, NoticeKind, NoticeProps, NoticeUpdates};
    let link = crate::updates_view::updates_address("", survey, &locale);
    let survey_for_updates = Arc::new(survey.clone());
    let outcomes = outcomes.filter(voices_shared::outcomes::Outcomes::has_published);
    let title = survey.title().get(&locale).to_owned();
    let kind = if not_open_yet {
        NoticeKind::NotOpenYet
    } else {
        NoticeKind::Closed
    };
    yew::ServerRenderer::<Notice>::with_props(move || NoticeProps {
        kind,
        locale: locale.into(),
        title: Some(title.into()),
        on_retry: None,
        headings,
        updates: outcomes.map(|outcomes| NoticeUpdates {
            survey: survey_for_updates,
            outcomes: Rc::new(outcomes),
            link: link.into(),
        }),
    })
    .hydratable(false)
    .render()
    .await
}

/// What came of a survey (its published updates, newest first), as the widget shows it,
/// for the hosted page `/s/{id}/updates`.
pub async fn render_updates(
    survey: Arc<voices_shared::Survey>,
    outcomes: voices_shared::outcomes::Outcomes,
    locale: String,
    headings: Headings,
) -> String {
    use crate::updates_view::{Updates, UpdatesProps};
    yew::ServerRenderer::<Updates>::with_props(move || UpdatesProps {
        survey: Rc::new(voices_shared::Survey::clone(&survey)),
        outcomes: Rc::new(outcomes),
        locale: locale.into(),
        headings,
    })
    .hydratable(false)
    .render()
    .await
}

/// A stored response as its receipt's page shows it.
pub struct StoredFacts {
    pub survey: Arc<voices_shared::Survey>,
    pub sent_on: voices_shared::CalendarDate,
    pub receipt: String,
    pub open: bool,
    pub outcomes: Option<voices_shared::outcomes::Outcomes>,
}

/// The page `/r/{receipt}`: what became of a response (`None`: there is none with that
/// receipt, which is all anyone is told of a wrong or withdrawn one).
pub async fn render_response_page(
    facts: Option<StoredFacts>,
    locale: String,
    headings: Headings,
) -> String {
    use crate::response_view::page::{Found, ResponsePage, ResponsePageProps};
    yew::ServerRenderer::<ResponsePage>::with_props(move || ResponsePageProps {
        found: facts.map(|facts| Found {
            updates_link: crate::updates_view::updates_address("", &facts.survey, &locale).into(),
            survey: facts.survey,
            sent_on: facts.sent_on,
            receipt: facts.receipt.into(),
            open: facts.open,
            outcomes: facts
                .outcomes
                .filter(voices_shared::outcomes::Outcomes::has_published)
                .map(Rc::new),
        }),
        locale: locale.into(),
        headings,
    })
    .hydratable(false)
    .render()
    .await
}

/// The page `/s/{id}/email` (the offer of updates by email, without JavaScript) with the
/// offer as it stands: open, the address wrong, or kept.
pub async fn render_email_page(
    survey: Arc<voices_shared::Survey>,
    locale: String,
    offer: crate::email_offer::EmailOffer,
    action: String,
) -> String {
    use crate::email_offer::page::{EmailPage, EmailPageProps};
    yew::ServerRenderer::<EmailPage>::with_props(move || EmailPageProps {
        survey,
        locale: locale.into(),
        offer,
        action: action.into(),
    })
    .hydratable(false)
    .render()
    .await
}

#[cfg(test)]
mod tests {
    use super::with_autofocus;

    #[test]
    fn autofocus_goes_on_the_element_with_that_id_only() {
        let html = r#"<h1 class="voices-title" id="voices-heading" tabindex="-1">A</h1><p id="voices-heading-x">"#;
        assert_eq!(
            with_autofocus(html.to_owned(), "voices-heading"),
            r#"<h1 class="voices-title" id="voices-heading" autofocus tabindex="-1">A</h1><p id="voices-heading-x">"#
        );
        assert_eq!(with_autofocus(html.to_owned(), "elsewhere"), html);
    }
}
