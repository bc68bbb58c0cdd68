//! `email_offer`: "tell me what happened", the offer after Send of a survey's updates by email.
//!
//! A form of its own, posted apart from the response and carrying nothing of it (no
//! receipt), so the address cannot be linked to the answers. With JavaScript the widget
//! sends it to `/api/surveys/{id}/subscriptions`; without, it posts to `/s/{id}/email`,
//! which answers with this same markup.

use yew::prelude::*;

use crate::headings::Headings;

/// Where the offer stands.
#[derive(Debug, Clone, Default, PartialEq)]
pub enum EmailOffer {
    #[default]
    Open,
    /// Not kept: the address as typed, and why (not an address, or it could not be sent).
    Wrong { address: String, message: String },
    /// On its way to the collector.
    Sending { address: String },
    /// Kept: the person will hear when there is news.
    Kept,
}

/// The id of the message that replaces the form once the address is kept (focus goes
/// there, so a screen reader says it).
pub const KEPT_ID: &str = "voices-email-kept";
/// The address field (focus goes there when the address is wrong).
pub const FIELD_ID: &str = "voices-email";
const ERROR_ID: &str = "voices-email-error";
const HEADING_ID: &str = "voices-email-heading";

pub struct EmailOfferProps<'a> {
    pub locale: &'a str,
    pub offer: &'a EmailOffer,
    pub headings: Headings,
    /// Where the form posts without JavaScript: `{collector}/s/{id}/email`.
    pub action: AttrValue,
    /// With JavaScript: the address typed, on submit (the form is not posted then).
    pub on_submit: Option<Callback<String>>,
}

pub fn email_offer(props: &EmailOfferProps) -> Html {
    let catalogue = voices_shared::catalogue(props.locale);
    let heading = props
        .headings
        .subtitle(Some(HEADING_ID), html! { { catalogue.email_heading } });
    if *props.offer == EmailOffer::Kept {
        return html! {
            <section class="voices-email" aria-labelledby={HEADING_ID}>
                { heading }
                <p class="voices-notice" id={KEPT_ID} tabindex="-1">{ catalogue.email_kept }</p>
            </section>
        };
    }
    let (address, message) = match props.offer {
        EmailOffer::Wrong { address, message } => (address.as_str(), Some(message.as_str())),
        EmailOffer::Sending { address } => (address.as_str(), None),
        _ => ("", None),
    };
    let onsubmit = props.on_submit.clone().map(|on_submit| {
        Callback::from(move |event: SubmitEvent| {
            event.prevent_default();
            let typed = event
                .target_dyn_into::<web_sys::Element>()
                .and_then(|form| form.query_selector(&format!("#{FIELD_ID}")).ok().flatten())
                .and_then(|field| {
                    wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlInputElement>(field).ok()
                })
                .map(|field| field.value())
                .unwrap_or_default();
            on_submit.emit(typed);
        })
    });
    let error = message.map(|text| {
        html! {
            <p class="voices-error" id={ERROR_ID}>
                <span class="voices-visually-hidden">{ catalogue.error_prefix }{ " " }</span>{ text.to_owned() }
            </p>
        }
    });
    let has_error = message.is_some();
    html! {
        <section class="voices-email" aria-labelledby={HEADING_ID}>
            { heading }
            <form method="post" action={props.action.clone()} novalidate=true {onsubmit}>
                <input type="hidden" name="lang" value={props.locale.to_owned()} />
                <div class={classes!("voices-question", has_error.then_some("voices-question--error"))}>
                    <label class="voices-label" for={FIELD_ID}>{ catalogue.email_label }</label>
                    <div class="voices-hint" id="voices-email-hint">{ catalogue.email_hint }</div>
                    { error }
                    <input class={classes!("voices-input", "voices-input--wide", has_error.then_some("voices-input--error"))}
                        type="email" id={FIELD_ID} name="email" autocomplete="email" spellcheck="false"
                        value={address.to_owned()} dir="ltr"
                        aria-describedby={if has_error { "voices-email-hint voices-email-error" } else { "voices-email-hint" }}
                        aria-invalid={has_error.then_some("true")} />
                </div>
                <button type="submit" class="voices-button voices-button--secondary">
                    { catalogue.email_button }
                </button>
            </form>
        </section>
    }
}

/// The page `/s/{id}/email`, for a person without JavaScript: the offer on its own under
/// the survey's title, or the message that it is kept.
#[cfg(feature = "ssr")]
pub mod page {
    use std::sync::Arc;

    use voices_shared::Survey;
    use yew::prelude::*;

    use super::{EmailOffer, EmailOfferProps, email_offer};
    use crate::headings::Headings;
    use crate::locale::{direction, survey_text};

    #[derive(Properties, PartialEq)]
    pub struct EmailPageProps {
        pub survey: Arc<Survey>,
        pub locale: AttrValue,
        pub offer: EmailOffer,
        pub action: AttrValue,
    }

    #[function_component]
    pub fn EmailPage(props: &EmailPageProps) -> Html {
        let locale = props.locale.as_str();
        let headings = Headings::parse(Some("1"));
        html! {
            <div class="voices" lang={props.locale.clone()} dir={direction(locale)}>
                { headings.plain_title(html! {
                    <span class="voices-title-survey">{ survey_text(props.survey.title(), locale, props.survey.default_locale()) }</span>
                }) }
                { email_offer(&EmailOfferProps {
                    locale,
                    offer: &props.offer,
                    headings,
                    action: props.action.clone(),
                    on_submit: None,
                }) }
            </div>
        }
    }
}
