//! `show_unavailable`: what a respondent sees when the survey definition cannot be used.

/// Shown instead of the survey when its definition does not parse. The wording is fixed
/// English, so it is marked as such whatever language the page is in.
///
/// Written as markup rather than rendered by Yew: a component of its own costs the widget
/// about 2 kB for a message that never changes. Nothing in it comes from the survey.
pub fn show_unavailable(root: &web_sys::Element) {
    root.set_inner_html(concat!(
        r#"<div class="voices" lang="en" dir="ltr" role="alert">"#,
        r#"<h2 class="voices-title">Sorry, this survey is not available</h2>"#,
        "<p>There is a problem with how this survey was set up, so it cannot be shown.</p>",
        "<p>Please try again later, or tell the organisation that runs it.</p>",
        "</div>",
    ));
}
