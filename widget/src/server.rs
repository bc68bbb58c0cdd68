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
) -> String {
    yew::ServerRenderer::<App>::with_props(move || AppProps {
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
    .await
}

/// Why a survey cannot be answered now, rendered as the widget's own notice (its title as
/// the heading) for a page that is only that survey.
pub async fn render_closed(
    survey: &voices_shared::Survey,
    locale: String,
    not_open_yet: bool,
    headings: Headings,
) -> String {
    use crate::notice::{Notice, NoticeKind, NoticeProps};
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
    })
    .hydratable(false)
    .render()
    .await
}
