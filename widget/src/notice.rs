//! `Notice`: why there is no survey to answer (not found, closed, not open yet, unreachable,
//! or not from this browser), in the reader's language, with "Try again" where trying again
//! can help.

use yew::prelude::*;

use crate::headings::Headings;
use crate::locale::direction;

/// Why the survey cannot be answered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NoticeKind {
    NotFound,
    Closed,
    NotOpenYet,
    Unreachable,
    /// This browser cannot draw random submission ids, so nothing can be sent from it.
    NoRandomIds,
}

impl NoticeKind {
    /// The kinds embed.js names (`not_found`, `unreachable`).
    pub fn parse(kind: &str) -> NoticeKind {
        match kind {
            "not_found" => NoticeKind::NotFound,
            "closed" => NoticeKind::Closed,
            "not_open_yet" => NoticeKind::NotOpenYet,
            _ => NoticeKind::Unreachable,
        }
    }
}

/// What came of a closed survey, shown under its notice.
#[derive(Debug, Clone, PartialEq)]
pub struct NoticeUpdates {
    pub survey: std::sync::Arc<voices_shared::Survey>,
    /// The published updates; at least one.
    pub outcomes: std::rc::Rc<voices_shared::outcomes::Outcomes>,
    /// The survey's updates page.
    pub link: AttrValue,
}

#[derive(Properties, PartialEq)]
pub struct NoticeProps {
    pub kind: NoticeKind,
    pub locale: AttrValue,
    /// The survey's title, when it is known.
    pub title: Option<AttrValue>,
    /// Loads the survey again; offered only when the collector could not be reached.
    pub on_retry: Option<Callback<()>>,
    pub headings: Headings,
    /// A closed survey's latest updates, when it has some.
    #[prop_or_default]
    pub updates: Option<NoticeUpdates>,
}

#[function_component]
pub fn Notice(props: &NoticeProps) -> Html {
    let catalogue = voices_shared::catalogue(&props.locale);
    let message = match props.kind {
        NoticeKind::NotFound => catalogue.not_found,
        NoticeKind::Closed => catalogue.closed,
        NoticeKind::NotOpenYet => catalogue.not_open_yet,
        NoticeKind::Unreachable => catalogue.unreachable,
        NoticeKind::NoRandomIds => catalogue.no_random_ids,
    };
    let retry = props.on_retry.clone().filter(|_| props.kind == NoticeKind::Unreachable).map(|retry| {
        let onclick = Callback::from(move |_: MouseEvent| retry.emit(()));
        html! { <button type="button" class="voices-button" {onclick}>{ catalogue.try_again }</button> }
    });
    // The words come from the catalogue, which may not speak the page's language.
    let lang = catalogue.locale;
    html! {
        <div class={if voices_shared::is_easy_read(lang) { "voices voices-easy-read" } else { "voices" }}
            lang={lang} dir={direction(lang)}>
            { props.title.clone().map(|title| props.headings.plain_title(html! { { title } })) }
            <p class="voices-notice" role="status">{ message }</p>
            { retry }
            { props.updates.as_ref().filter(|_| props.kind == NoticeKind::Closed).map(|u| {
                crate::updates_view::latest_updates(&u.survey, &u.outcomes, lang, props.headings, &u.link)
            }) }
        </div>
    }
}
