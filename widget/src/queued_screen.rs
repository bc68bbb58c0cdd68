//! `queued_screen`: the answers are safe on this device and will be sent when the connection is back.

use yew::prelude::*;

use crate::headings::Headings;
use crate::state::SurveyState;

pub struct QueuedScreenProps {
    pub state: UseReducerHandle<SurveyState>,
    pub headings: Headings,
}

/// Nothing here claims to be sending while the device waits: attempts go on quietly. The
/// status line (there, empty, from the start) says "Sending" only once the connection is
/// back and an attempt is under way; the widget's announcer says when the answers have gone.
///
/// A plain function rather than a component: it has no hooks, and each component costs
/// the widget about 2 kB of Yew lifecycle code.
pub fn queued_screen(props: &QueuedScreenProps) -> Html {
    let catalogue = voices_shared::catalogue(&props.state.locale);
    html! {
        <>
            { props.headings.title(html! { { catalogue.queued_heading } }) }
            <p>{ props.state.queued_message() }</p>
            <p class="voices-status" role="status">{ if props.state.sending_again { catalogue.sending } else { "" } }</p>
        </>
    }
}
