//! `recorded_screen`: collect mode's thank-you: the answers are with the collect page, kept
//! sealed on the device until it sends them, and nothing of them is left on screen.

use yew::prelude::*;

use crate::headings::Headings;
use crate::state::{Action, SurveyState};

/// The person is thanked and asked to hand the device back; staff start the next response.
/// No receipt: the response is not stored yet, and the receipt is not the next person's to
/// see.
pub fn recorded_screen(state: &UseReducerHandle<SurveyState>, headings: Headings) -> Html {
    let catalogue = voices_shared::catalogue(&state.locale);
    let next = {
        let state = state.clone();
        Callback::from(move |_: MouseEvent| state.dispatch(Action::NextPerson))
    };
    html! {
        <>
            { headings.title(html! { { catalogue.recorded_heading } }) }
            <p>{ catalogue.recorded_body }</p>
            <p><button type="button" class="voices-button" onclick={next}>{ catalogue.next_person }</button></p>
        </>
    }
}
