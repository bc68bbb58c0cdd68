//! Translatable text: a string in the survey's default locale, optionally with translations.

use serde::{Serialize, Serializer};

use crate::SortedMap;

/// Text shown to respondents. The default locale's string is always present, so
/// [`Text::get`] never fails: a missing translation falls back to it.
///
/// Text is plain text. Nothing here or downstream interprets it as HTML.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Text {
    default_locale: String,
    strings: SortedMap<String>,
    /// Written as a bare string in the definition; kept so a definition
    /// serialises back the way its author wrote it.
    written_plain: bool,
}

impl Text {
    pub(crate) fn plain(default_locale: &str, text: &str) -> Text {
        Text {
            default_locale: default_locale.to_owned(),
            strings: {
                let mut strings = SortedMap::new();
                strings.insert(default_locale.to_owned(), text.to_owned());
                strings
            },
            written_plain: true,
        }
    }

    /// `strings` must contain `default_locale`; the parser guarantees it.
    pub(crate) fn localised(default_locale: &str, strings: SortedMap<String>) -> Text {
        debug_assert!(strings.contains_key(default_locale));
        Text {
            default_locale: default_locale.to_owned(),
            strings,
            written_plain: false,
        }
    }

    /// The text in `locale`, or in the survey's default locale when there is
    /// no translation. Easy Read without its own wording (`en-x-easy`) reads its
    /// language's (`en`) before the default's.
    pub fn get(&self, locale: &str) -> &str {
        self.strings
            .get(self.shown_locale(locale))
            .map(String::as_str)
            .unwrap_or_default()
    }

    /// The language [`Text::get`] shows for `locale`: `locale` itself, its language for
    /// Easy Read without wording of its own, else the survey's default.
    pub fn shown_locale<'a>(&'a self, locale: &'a str) -> &'a str {
        if self.strings.contains_key(locale) {
            return locale;
        }
        match easy_read_language(locale) {
            Some(language) if self.strings.contains_key(language) => language,
            _ => &self.default_locale,
        }
    }

    /// The text in the survey's default locale.
    pub fn default_text(&self) -> &str {
        self.get(&self.default_locale)
    }

    /// Whether this text has its own translation for `locale`.
    pub fn has_translation(&self, locale: &str) -> bool {
        self.strings.contains_key(locale)
    }

    /// Every language the text is written in, with its string.
    pub fn translations(&self) -> impl Iterator<Item = (&str, &str)> {
        self.strings.iter().map(|(l, s)| (l.as_str(), s.as_str()))
    }

    /// The paragraphs of the text in `locale`: a blank line separates paragraphs.
    pub fn paragraphs<'a>(&'a self, locale: &str) -> impl Iterator<Item = &'a str> + 'a {
        split_paragraphs(self.get(locale))
    }
}

/// Splits plain text into paragraphs at blank lines, dropping empty ones.
pub fn split_paragraphs(text: &str) -> impl Iterator<Item = &str> {
    text.split("\n\n")
        .flat_map(|chunk| chunk.split("\r\n\r\n"))
        .map(str::trim)
        .filter(|p| !p.is_empty())
}

impl Serialize for Text {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        if self.written_plain {
            serializer.serialize_str(self.default_text())
        } else {
            self.strings.serialize(serializer)
        }
    }
}

/// Whether `tag` has the shape of a BCP 47 language tag: a 2–3 letter language,
/// then subtags of 1–8 letters or digits (`en`, `gd`, `zh-Hans`, `pt-BR`).
pub fn is_locale_tag(tag: &str) -> bool {
    let mut parts = tag.split('-');
    let language = parts.next().unwrap_or_default();
    (2..=3).contains(&language.len())
        && language.bytes().all(|b| b.is_ascii_alphabetic())
        && parts.all(|p| (1..=8).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_alphanumeric()))
}

/// Whether `locale` is Easy Read: short sentences, everyday words, larger text and one
/// question to a screen, for people with learning disabilities among others. It is
/// a language's tag with the private-use subtag `x-easy` (`en-x-easy`).
pub fn is_easy_read(locale: &str) -> bool {
    easy_read_language(locale).is_some()
}

/// The language an Easy Read locale is written in (`en-x-easy` → `en`).
pub fn easy_read_language(locale: &str) -> Option<&str> {
    let cut = locale.len().checked_sub("-x-easy".len())?;
    let (language, suffix) = (locale.get(..cut)?, locale.get(cut..)?);
    (suffix.eq_ignore_ascii_case("-x-easy") && !language.is_empty()).then_some(language)
}

/// Whether text in `locale` is written right to left (Arabic, Urdu, Persian,
/// Hebrew, ...), so the widget sets `dir="rtl"`.
pub fn is_right_to_left(locale: &str) -> bool {
    let language = locale
        .split('-')
        .next()
        .unwrap_or_default()
        .to_ascii_lowercase();
    let script = locale
        .split('-')
        .nth(1)
        .unwrap_or_default()
        .to_ascii_lowercase();
    matches!(
        language.as_str(),
        "ar" | "ur" | "fa" | "he" | "ps" | "sd" | "ug" | "yi" | "dv" | "ckb"
    ) || matches!(script.as_str(), "arab" | "hebr" | "thaa" | "syrc")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn falls_back_to_the_default_locale() {
        let text = Text::localised(
            "en",
            SortedMap::from([("en".into(), "Hello".into()), ("pl".into(), "Cześć".into())]),
        );
        assert_eq!(text.get("pl"), "Cześć");
        assert_eq!(text.get("gd"), "Hello");
        assert!(!text.has_translation("gd"));
    }

    #[test]
    fn easy_read_falls_back_to_its_own_language_first() {
        let text = Text::localised(
            "gd",
            SortedMap::from([
                ("gd".into(), "Halò".into()),
                ("en".into(), "Hello".into()),
                ("pl-x-easy".into(), "Cześć!".into()),
            ]),
        );
        assert_eq!(text.get("en-x-easy"), "Hello");
        assert_eq!(text.shown_locale("en-x-easy"), "en");
        assert_eq!(text.get("pl-x-easy"), "Cześć!");
        assert_eq!(text.get("ur-x-easy"), "Halò");
        assert!(is_easy_read("en-x-easy") && is_easy_read("EN-X-Easy"));
        assert!(!is_easy_read("en") && !is_easy_read("-x-easy") && !is_easy_read("x-easy"));
        assert_eq!(easy_read_language("zh-Hant-x-easy"), Some("zh-Hant"));
    }

    #[test]
    fn splits_paragraphs_at_blank_lines() {
        let text = Text::plain("en", "One\nstill one.\n\nTwo\n\n\n\nThree ");
        let paragraphs: Vec<_> = text.paragraphs("en").collect();
        assert_eq!(paragraphs, ["One\nstill one.", "Two", "Three"]);
    }

    #[test]
    fn recognises_locale_tags() {
        for good in ["en", "gd", "zh-Hans", "pt-BR", "ckb"] {
            assert!(is_locale_tag(good), "{good}");
        }
        for bad in ["", "e", "english", "en_GB", "en-", "1n", "en-toolongsubtag"] {
            assert!(!is_locale_tag(bad), "{bad}");
        }
    }

    #[test]
    fn knows_right_to_left_languages() {
        assert!(is_right_to_left("ar"));
        assert!(is_right_to_left("ur"));
        assert!(is_right_to_left("pa-Arab"));
        assert!(!is_right_to_left("en"));
        assert!(!is_right_to_left("pl"));
    }
}
