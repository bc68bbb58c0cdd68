//! `Headings`: which heading levels the widget uses, set by the page it sits in.

use yew::Html;
use yew::virtual_dom::VTag;

use crate::ids;

/// A survey on a partner's page sits under the partner's own headings: its screens'
/// headings are `h2` by default, or the level the `heading-level` attribute asks for (the
/// hosted page, where the survey is the page, asks for `h1`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Headings {
    level: u8,
}

impl Default for Headings {
    fn default() -> Headings {
        Headings { level: 2 }
    }
}

impl Headings {
    /// From the `heading-level` attribute: 1 to 5 (a screen's sections are one level
    /// below, and HTML stops at `h6`); anything else keeps the default, 2.
    pub fn parse(attribute: Option<&str>) -> Headings {
        match attribute.map(str::trim).and_then(|a| a.parse::<u8>().ok()) {
            Some(level @ 1..=5) => Headings { level },
            _ => Headings::default(),
        }
    }

    /// The tag of each screen's own heading.
    pub fn screen(self) -> &'static str {
        TAGS[usize::from(self.level) - 1]
    }

    /// The tag of the sections within a screen.
    pub fn section(self) -> &'static str {
        TAGS[usize::from(self.level)]
    }

    /// A screen's own heading, where focus lands after each move.
    pub fn title(self, content: Html) -> Html {
        heading(
            self.screen(),
            "voices-title",
            Some(ids::HEADING),
            true,
            content,
        )
    }

    /// A heading at the screen's level that focus never moves to (a notice's title).
    pub fn plain_title(self, content: Html) -> Html {
        heading(self.screen(), "voices-title", None, false, content)
    }

    /// A section's heading within a screen.
    pub fn subtitle(self, id: Option<&'static str>, content: Html) -> Html {
        heading(self.section(), "voices-subtitle", id, false, content)
    }
}

/// Built here once rather than with `html! { <@{tag}> }` at each heading: a dynamic tag
/// expands to its own checks at every use, which cost the widget about a kilobyte each.
fn heading(
    tag: &'static str,
    class: &'static str,
    id: Option<&'static str>,
    focusable: bool,
    content: Html,
) -> Html {
    let mut element = VTag::new(tag);
    element.add_attribute("class", class);
    if let Some(id) = id {
        element.add_attribute("id", id);
    }
    if focusable {
        element.add_attribute("tabindex", "-1");
    }
    element.add_child(content);
    element.into()
}

const TAGS: [&str; 6] = ["h1", "h2", "h3", "h4", "h5", "h6"];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_attribute_and_keeps_h2_for_anything_else() {
        assert_eq!(Headings::parse(None).screen(), "h2");
        assert_eq!(Headings::parse(Some("1")).screen(), "h1");
        assert_eq!(Headings::parse(Some("1")).section(), "h2");
        assert_eq!(Headings::parse(Some(" 1 ")).screen(), "h1");
        assert_eq!(Headings::parse(Some("5")).section(), "h6");
        for odd in ["0", "6", "-1", "h3", "", "2.5"] {
            assert_eq!(Headings::parse(Some(odd)), Headings::default(), "{odd}");
        }
    }
}
