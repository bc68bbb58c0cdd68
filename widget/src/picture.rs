//! `picture`: the picture beside a question or an option, which Easy Read shows, served by the collector from the survey's own address.

use voices_shared::Picture;
use yew::prelude::*;

use crate::locale::fallback;

/// `picture` as an image, in Easy Read only (`locale`), from the survey's pictures at
/// `address` (its hosted page: `/s/{id}`, the collector's origin on a partner's page).
/// Beside its text, not inside a label, so that an option's name stays its label, and the
/// picture is read as a picture of its own, by what it shows.
pub fn picture(
    picture: Option<&Picture>,
    locale: &str,
    default_locale: &str,
    address: &str,
    class: &'static str,
) -> Html {
    let Some(picture) = picture.filter(|_| voices_shared::is_easy_read(locale)) else {
        return Html::default();
    };
    let (lang, dir) = fallback(picture.alt(), locale, default_locale).unzip();
    html! {
        <img {class} src={format!("{address}/pictures/{}", picture.file())}
            alt={picture.alt().get(locale).to_owned()} {lang} {dir} width="96" height="96" />
    }
}
