//! Choosing the language to show: the one the page asked for, as near as the survey offers.

use voices_shared::Text;
use yew::prelude::*;

/// The survey locale closest to `requested`: an exact match, else the nearest broader tag
/// (`pt-BR` falls back to `pt`), else `default`. Tags compare case-insensitively, as
/// BCP 47 says, and the survey's own spelling is returned.
pub fn negotiate(requested: Option<&str>, offered: &[String], default: &str) -> String {
    let mut candidate = requested.unwrap_or_default().trim();
    while !candidate.is_empty() {
        if let Some(found) = offered.iter().find(|l| l.eq_ignore_ascii_case(candidate)) {
            return found.clone();
        }
        candidate = candidate
            .rsplit_once('-')
            .map_or("", |(broader, _)| broader);
    }
    default.to_owned()
}

/// The `dir` attribute for text in `locale`.
pub fn direction(locale: &str) -> &'static str {
    if voices_shared::is_right_to_left(locale) {
        "rtl"
    } else {
        "ltr"
    }
}

/// Where survey text is shown in another language than the one asked for: the `lang` and
/// `dir` to mark it with, or `None` when it is in `locale` itself.
///
/// A survey need not translate every string into every locale it offers; an untranslated
/// string falls back to the survey's default language. Marking it lets screen readers
/// switch voice (WCAG 3.1.2) and keeps English punctuation in place on a right-to-left page.
pub fn fallback(
    text: &Text,
    locale: &str,
    default_locale: &str,
) -> Option<(AttrValue, &'static str)> {
    // Easy Read without wording of its own shows its language's (see `Text::get`).
    let shown = text.shown_locale(locale);
    (locale != default_locale && shown != locale)
        .then(|| (AttrValue::from(shown.to_owned()), direction(shown)))
}

/// Survey text in `locale`, wrapped in a `<span lang dir>` when it is a fallback (see [`fallback`]).
pub fn survey_text(text: &Text, locale: &str, default_locale: &str) -> Html {
    let shown = text.get(locale).to_owned();
    match fallback(text, locale, default_locale) {
        Some((lang, dir)) => html! { <span {lang} {dir}>{ shown }</span> },
        None => html! { { shown } },
    }
}

/// A problem's message (see `Catalogue::message_parts`): the pieces taken from survey text
/// that fall back to the survey's default language are marked with it, as any survey text is.
pub fn problem_message(
    question: &voices_shared::Question,
    problem: &voices_shared::AnswerProblem,
    locale: &str,
    default_locale: &str,
) -> Html {
    let parts = voices_shared::catalogue(locale).message_parts(question, problem, locale);
    let parts = parts.into_iter().map(|(part, text)| {
        match text.and_then(|text| fallback(text, locale, default_locale)) {
            Some((lang, dir)) => html! { <span {lang} {dir}>{ part }</span> },
            None => html! { { part } },
        }
    });
    html! { <>{ for parts }</> }
}

/// A language's name in that language, for the language picker.
pub fn endonym(locale: &str) -> String {
    // Easy Read is a way of reading a language: English's is "Easy Read", another's is
    // that language's name with it.
    if let Some(language) = voices_shared::easy_read_language(locale) {
        return match language.split('-').next() {
            Some(english) if english.eq_ignore_ascii_case("en") => "Easy Read".to_owned(),
            _ => format!("{} (Easy Read)", endonym(language)),
        };
    }
    // Chinese is named by its script, which is what a reader chooses between.
    match voices_shared::words_locale(locale) {
        "zh-Hans" => return "简体中文".to_owned(),
        "zh-Hant" => return "繁體中文".to_owned(),
        _ => {}
    }
    let name = match locale
        .split('-')
        .next()
        .unwrap_or_default()
        .to_ascii_lowercase()
        .as_str()
    {
        "en" => "English",
        "gd" => "Gàidhlig",
        "sco" => "Scots",
        "cy" => "Cymraeg",
        "ga" => "Gaeilge",
        "pl" => "Polski",
        "ar" => "العربية",
        "ur" => "اردو",
        "pa" => "ਪੰਜਾਬੀ",
        "bn" => "বাংলা",
        "zh" => "中文",
        "ro" => "Română",
        "bg" => "Български",
        "uk" => "Українська",
        "ru" => "Русский",
        "lt" => "Lietuvių",
        "lv" => "Latviešu",
        "fa" => "فارسی",
        "ps" => "پښتو",
        "so" => "Soomaali",
        "ti" => "ትግርኛ",
        "ku" => "Kurdî",
        "es" => "Español",
        "fr" => "Français",
        "pt" => "Português",
        "it" => "Italiano",
        "de" => "Deutsch",
        "sq" => "Shqip",
        "tr" => "Türkçe",
        "bsl" => "British Sign Language",
        _ => return locale.to_owned(),
    };
    name.to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn offered() -> Vec<String> {
        ["en", "pl", "ar", "zh-Hans"].map(String::from).to_vec()
    }

    #[test]
    fn exact_match_wins() {
        assert_eq!(negotiate(Some("pl"), &offered(), "en"), "pl");
        assert_eq!(negotiate(Some("zh-Hans"), &offered(), "en"), "zh-Hans");
    }

    #[test]
    fn broader_tags_and_case_are_tolerated() {
        assert_eq!(negotiate(Some("PL-pl"), &offered(), "en"), "pl");
        assert_eq!(negotiate(Some("zh-hans-CN"), &offered(), "en"), "zh-Hans");
        assert_eq!(negotiate(Some("ar-EG"), &offered(), "en"), "ar");
    }

    #[test]
    fn unknown_or_missing_falls_back_to_the_default() {
        assert_eq!(negotiate(Some("gd"), &offered(), "en"), "en");
        assert_eq!(negotiate(Some(""), &offered(), "en"), "en");
        assert_eq!(negotiate(None, &offered(), "en"), "en");
    }

    #[test]
    fn arabic_reads_right_to_left() {
        assert_eq!(direction("ar"), "rtl");
        assert_eq!(direction("en"), "ltr");
    }
}
