//! `Unavailable`: what a respondent sees when the survey definition cannot be used.

use yew::prelude::*;

/// Shown instead of the survey when its definition does not parse. The wording is fixed
/// English, so it is marked as such whatever language the page is in.
#[function_component]
pub fn Unavailable() -> Html {
    html! {
        <div class="voices" lang="en" dir="ltr" role="alert">
            <h2 class="voices-title">{ "Sorry, this survey is not available" }</h2>
            <p>{ "There is a problem with how this survey was set up, so it cannot be shown." }</p>
            <p>{ "Please try again later, or tell the organisation that runs it." }</p>
        </div>
    }
}
