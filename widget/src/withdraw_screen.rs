//! `withdraw_screen`: "Withdraw your response?" with what it means, and the person's
//! choice (a confirmation step: withdrawing cannot be undone); then `withdrawn_screen`.

use yew::prelude::*;

use crate::error_summary::message_summary;
use crate::headings::Headings;
use crate::state::{Action, Screen, SurveyState};

pub struct WithdrawScreenProps {
    pub state: UseReducerHandle<SurveyState>,
    pub headings: Headings,
}

/// A plain function rather than a component: it has no hooks, and each component costs
/// the widget about 2 kB of Yew lifecycle code.
pub fn withdraw_screen(props: &WithdrawScreenProps) -> Html {
    let state = &props.state;
    let catalogue = voices_shared::catalogue(&state.locale);
    let withdrawing = matches!(
        state.screen,
        Screen::Withdraw {
            withdrawing: true,
            ..
        }
    );
    let press = |action: fn() -> Action| {
        let state = state.clone();
        Callback::from(move |_: MouseEvent| {
            // Focus stays on the button while it works: a second press does nothing.
            if !matches!(
                state.screen,
                Screen::Withdraw {
                    withdrawing: true,
                    ..
                }
            ) {
                state.dispatch(action());
            }
        })
    };
    html! {
        <>
            { props.headings.title(html! { { catalogue.withdraw_heading } }) }
            { state.send_error.as_deref().map(|message| message_summary(message, &state.locale, props.headings)) }
            <p>{ catalogue.withdraw_explain }</p>
            <div class="voices-actions">
                <button type="button" class="voices-button voices-button--warning"
                    aria-disabled={withdrawing.then_some("true")} onclick={press(|| Action::ConfirmWithdraw)}>
                    { catalogue.withdraw_confirm }
                </button>
                <button type="button" class="voices-button voices-button--secondary"
                    onclick={press(|| Action::KeepResponse)}>{ catalogue.withdraw_cancel }</button>
            </div>
        </>
    }
}

pub fn withdrawn_screen(state: &SurveyState, headings: Headings) -> Html {
    let catalogue = voices_shared::catalogue(&state.locale);
    html! {
        <div class="voices-panel">
            { headings.title(html! { { catalogue.withdrawn_heading } }) }
            <p>{ catalogue.withdrawn }</p>
        </div>
    }
}
