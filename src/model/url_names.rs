//! How file and folder names (and `slug:`) become parts of URLs: site.yaml
//! `url_names:`, as Zola's `slugify.paths` (`on`, `safe`, `off`).

use serde::Deserialize;

/// How names become URL parts.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum UrlNames {
    /// Lower-case ASCII letters, digits and `-` ("Нерушимое братство" →
    /// `nerushimoe-bratstvo`): the default.
    #[default]
    Slugified,
    /// Case, dots, underscores and letters of any script kept; spaces become `-`;
    /// only what is unsafe in a URL or a file name on any system is removed.
    Safe,
    /// Exactly as written, once checked to be one plain name.
    AsWritten,
}

/// Characters removed by [`UrlNames::Safe`]: unsafe in a URL path (`?`, `#`, `%`,
/// quotes, brackets) or in a file name on Windows (`<>:"/\|?*`).
const UNSAFE: &[char] = &[
    '<', '>', ':', '"', '/', '\\', '|', '?', '*', '#', '%', '[', ']', '{', '}', '^', '`', '\'',
];

impl UrlNames {
    /// The URL part for `name`; `None` when nothing usable is left (a name of dots,
    /// slashes or punctuation would be the folder itself or leave it).
    pub(crate) fn part(self, name: &str) -> Option<String> {
        let part = match self {
            UrlNames::Slugified => slug::slugify(name),
            UrlNames::Safe => {
                let kept: String = name
                    .chars()
                    .filter(|c| !UNSAFE.contains(c) && !c.is_control())
                    .collect();
                kept.split_whitespace().collect::<Vec<_>>().join("-")
            }
            UrlNames::AsWritten => name.to_string(),
        };
        crate::output::path::check_component(&part)
            .is_ok()
            .then_some(part)
    }
}

#[cfg(test)]
mod tests {
    use super::UrlNames::{self, *};

    #[test]
    fn names_become_url_parts_as_the_site_chooses() {
        let part = |style: UrlNames, name: &str| style.part(name);
        assert_eq!(
            part(Slugified, "Нерушимое братство").as_deref(),
            Some("nerushimoe-bratstvo")
        );
        assert_eq!(
            part(Safe, "Release_Notes v1.2").as_deref(),
            Some("Release_Notes-v1.2")
        );
        assert_eq!(part(Safe, "What? #1 <x>").as_deref(), Some("What-1-x"));
        assert_eq!(part(Safe, "Братство").as_deref(), Some("Братство"));
        assert_eq!(part(AsWritten, "My Page").as_deref(), Some("My Page"));
        for bad in ["..", ".", "", "?#"] {
            assert_eq!(part(Slugified, bad), None, "{bad}");
            assert_eq!(part(Safe, bad), None, "{bad}");
        }
        for bad in ["a/b", "..", "", "a\u{7}"] {
            assert_eq!(part(AsWritten, bad), None, "{bad}");
        }
        assert_eq!(part(Safe, "a/b").as_deref(), Some("ab"));
        assert_eq!(part(Slugified, "a/b").as_deref(), Some("a-b"));
    }
}
