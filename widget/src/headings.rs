//! `Headings`: which heading levels the widget uses, set by the page it sits in.

/// A survey on a partner's page sits under the partner's own headings (its screens' headings
/// are `h2` by default, or the level the `heading-level` attribute asks for). On the hosted
/// page the survey is the page: its headings start at `h1`, and it names each step in the
/// document title.
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

    /// Whether the survey is the whole page, so it may name each step in the document title.
    pub fn owns_page(self) -> bool {
        self.level == 1
    }
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
        assert!(Headings::parse(Some(" 1 ")).owns_page());
        assert_eq!(Headings::parse(Some("5")).section(), "h6");
        for odd in ["0", "6", "-1", "h3", "", "2.5"] {
            assert_eq!(Headings::parse(Some(odd)), Headings::default(), "{odd}");
        }
        assert!(!Headings::default().owns_page());
    }
}
