//! `erased_screen`: the response was erased at someone's request, so it is neither sent again nor kept.

use yew::prelude::*;

use crate::headings::Headings;
use crate::state::SurveyState;

pub struct ErasedScreenProps {
    pub state: UseReducerHandle<SurveyState>,
    pub headings: Headings,
}

/// A plain function rather than a component: it has no hooks, and each component costs
/// the widget about 2 kB of Yew lifecycle code.
pub fn erased_screen(props: &ErasedScreenProps) -> Html {
    let catalogue = voices_shared::catalogue(&props.state.locale);
    html! {
        <>
            { props.headings.title(html! { { catalogue.erased_heading } }) }
            <p>{ catalogue.erased }</p>
        </>
    }
}
