//! `queued_screen`: the answers are safe on this device and will be sent when the connection is back.

use yew::prelude::*;

use crate::ids;
use crate::state::SurveyState;

pub struct QueuedScreenProps {
    pub state: UseReducerHandle<SurveyState>,
}

/// A plain function rather than a component: it has no hooks, and each component costs
/// the widget about 2 kB of Yew lifecycle code.
pub fn queued_screen(props: &QueuedScreenProps) -> Html {
    let catalogue = voices_shared::catalogue(&props.state.locale);
    html! {
        <>
            <h2 id={ids::HEADING} tabindex="-1">{ catalogue.queued_heading }</h2>
            <p>{ catalogue.queued }</p>
            <p class="voices-status" role="status">{ catalogue.sending }</p>
        </>
    }
}
