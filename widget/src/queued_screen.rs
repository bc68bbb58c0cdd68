//! `QueuedScreen`: the answers are safe on this device and will be sent when the connection is back.

use yew::prelude::*;

use crate::ids;
use crate::state::SurveyState;

#[derive(Properties, PartialEq)]
pub struct QueuedScreenProps {
    pub state: UseReducerHandle<SurveyState>,
}

#[function_component]
pub fn QueuedScreen(props: &QueuedScreenProps) -> Html {
    let catalogue = voices_shared::catalogue(&props.state.locale);
    html! {
        <>
            <h2 id={ids::HEADING} tabindex="-1">{ catalogue.queued_heading }</h2>
            <p>{ catalogue.queued }</p>
            <p class="voices-status" role="status">{ catalogue.sending }</p>
        </>
    }
}
