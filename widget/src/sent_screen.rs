//! `sent_screen`: thanks, the receipt to keep, what happens next, and the offer to hear of it by email.

use yew::prelude::*;

use crate::email_offer::{EmailOfferProps, email_offer};
use crate::headings::Headings;
use crate::question_field::paragraphs;
use crate::state::{Action, SurveyState};

pub struct SentScreenProps {
    pub state: UseReducerHandle<SurveyState>,
    pub receipt: AttrValue,
    pub headings: Headings,
    /// The page about this response (`/r/{receipt}`).
    pub response_page: AttrValue,
    /// This device holds the response's withdrawal key.
    pub can_withdraw: bool,
    /// The survey offers its updates by email, and has some still to come.
    pub offer_email: bool,
    /// Where the offer of updates by email posts without JavaScript.
    pub email_action: AttrValue,
    /// With JavaScript: the address the person typed, to send.
    pub on_email: Option<Callback<String>>,
}

/// A plain function rather than a component: it has no hooks, and each component costs
/// the widget about 2 kB of Yew lifecycle code.
pub fn sent_screen(props: &SentScreenProps) -> Html {
    let state = &props.state;
    let locale = state.locale.as_str();
    let catalogue = voices_shared::catalogue(locale);
    html! {
        <>
            <div class="voices-panel">
                { props.headings.title(html! { { catalogue.thank_you } }) }
                <p>{ catalogue.receipt_intro }<br /><strong class="voices-receipt">{ props.receipt.clone() }</strong></p>
            </div>
            <p>{ catalogue.receipt_hint }</p>
            <p><a href={props.response_page.clone()}>{ catalogue.see_response }</a></p>
            { state.survey().what_happens_next().map(|next| html! {
                <section class="voices-next" aria-labelledby="voices-next-heading">
                    { props.headings.subtitle(Some("voices-next-heading"), html! { { catalogue.what_happens_next } }) }
                    { paragraphs(next, locale, state.survey().default_locale()) }
                </section>
            }) }
            if props.offer_email {
                { email_offer(&EmailOfferProps {
                    locale,
                    offer: &state.email,
                    headings: props.headings,
                    action: props.email_action.clone(),
                    on_submit: props.on_email.clone(),
                }) }
            }
            if props.can_withdraw {
                <p>
                    <button type="button" class="voices-button voices-button--secondary" onclick={{
                        let state = state.clone();
                        let receipt = props.receipt.to_string();
                        Callback::from(move |_: MouseEvent| state.dispatch(Action::AskWithdraw { receipt: receipt.clone() }))
                    }}>{ catalogue.withdraw }</button>
                </p>
            }
        </>
    }
}
