//! Cutting a file's text into its front matter (YAML between `---` lines, TOML between
//! `+++` lines) and its Markdown body.

/// The language of a page's front matter.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MatterFormat {
    /// YAML between `---` lines (muster, Hugo, Jekyll, Obsidian).
    Yaml,
    /// TOML between `+++` lines (Zola, Hugo).
    Toml,
    /// No front matter: the whole file is the body.
    None,
}

/// A file's text cut into its front matter and Markdown body.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FrontMatterSplit<'a> {
    /// The language of the front matter.
    pub format: MatterFormat,
    /// The front matter between its delimiter lines (empty when there is none).
    pub matter: &'a str,
    /// Byte offset of `matter` in the file text.
    pub matter_offset: usize,
    /// The Markdown after the closing delimiter line (the whole text without front matter).
    pub body: &'a str,
    /// Byte offset of `body` in the file text.
    pub body_offset: usize,
}

/// Why a file's front matter could not be cut out.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message} (at byte {offset})")]
pub struct SplitError {
    /// Byte offset the problem is at.
    pub offset: usize,
    /// What is wrong.
    pub message: &'static str,
    /// How to fix it.
    pub hint: &'static str,
}

/// Whether `line` is the delimiter `fence` (`---` or `+++`), trailing blanks allowed.
fn is_fence(line: &str, fence: &str) -> bool {
    line.trim_end_matches(['\r', ' ', '\t']) == fence
}

/// Splits `text` into front matter and body. YAML front matter starts with a `---`
/// line and ends at the next `---` (or `...`) line; TOML front matter is between `+++`
/// lines, as Zola and Hugo write it. Blank lines before the opening line are allowed.
/// A file that starts with neither has no front matter: all of it is the body.
pub fn split_front_matter(text: &str) -> Result<FrontMatterSplit<'_>, SplitError> {
    // Skip blank lines before the opening delimiter.
    let mut start = 0;
    while let Some(end) = text[start..].find('\n').map(|i| start + i) {
        if !text[start..end].trim().is_empty() {
            break;
        }
        start = end + 1;
    }
    let first_end = text[start..].find('\n').map_or(text.len(), |i| start + i);
    let first = &text[start..first_end];
    let (format, fence) = if is_fence(first, "---") {
        (MatterFormat::Yaml, "---")
    } else if is_fence(first, "+++") {
        (MatterFormat::Toml, "+++")
    } else {
        return Ok(FrontMatterSplit {
            format: MatterFormat::None,
            matter: "",
            matter_offset: 0,
            body: text,
            body_offset: 0,
        });
    };
    let matter_offset = (first_end + 1).min(text.len());
    let mut line_start = matter_offset;
    while line_start < text.len() {
        let line_end = text[line_start..]
            .find('\n')
            .map_or(text.len(), |i| line_start + i);
        let line = &text[line_start..line_end];
        let yaml_end = format == MatterFormat::Yaml && is_fence(line, "...");
        if is_fence(line, fence) || yaml_end {
            let body_offset = (line_end + 1).min(text.len());
            return Ok(FrontMatterSplit {
                format,
                matter: &text[matter_offset..line_start],
                matter_offset,
                body: &text[body_offset..],
                body_offset,
            });
        }
        line_start = line_end + 1;
    }
    Err(SplitError {
        offset: start,
        message: "unterminated front matter",
        hint: match format {
            MatterFormat::Toml => "close the front matter with a `+++` line after the last key",
            _ => "close the front matter with a `---` line after the last key",
        },
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_simple() {
        let t = "---\ntitle: A\n---\nBody\n";
        let s = split_front_matter(t).unwrap();
        assert_eq!(s.format, MatterFormat::Yaml);
        assert_eq!(s.matter, "title: A\n");
        assert_eq!(s.body, "Body\n");
        assert_eq!(&t[s.body_offset..], s.body);
        assert_eq!(
            &t[s.matter_offset..s.matter_offset + s.matter.len()],
            s.matter
        );
    }

    #[test]
    fn splits_crlf_and_empty() {
        let s = split_front_matter("---\r\ntitle: A\r\n---\r\nBody").unwrap();
        assert_eq!(s.matter, "title: A\r\n");
        assert_eq!(s.body, "Body");
        let s = split_front_matter("---\n---\n").unwrap();
        assert_eq!(s.matter, "");
        assert_eq!(s.body, "");
        let s = split_front_matter("---\ntitle: A\n---").unwrap();
        assert_eq!(s.body, "");
    }

    #[test]
    fn toml_blank_lines_and_no_front_matter() {
        let t = "+++\ntitle = \"A\"\n[taxonomies]\ntags = [\"x\"]\n+++\nBody\n";
        let s = split_front_matter(t).unwrap();
        assert_eq!(s.format, MatterFormat::Toml);
        assert_eq!(s.matter, "title = \"A\"\n[taxonomies]\ntags = [\"x\"]\n");
        assert_eq!(s.body, "Body\n");
        // A `---` inside TOML is not its end.
        let s = split_front_matter("+++\na = 1\n---\n+++\n").unwrap();
        assert_eq!(s.matter, "a = 1\n---\n");
        let s = split_front_matter("\n  \n---\ntitle: A\n---\nB").unwrap();
        assert_eq!(
            (s.format, s.matter, s.body),
            (MatterFormat::Yaml, "title: A\n", "B")
        );
        assert_eq!(s.matter_offset, "\n  \n---\n".len());
        for text in ["# Hello\n\nText", "", "Text\n---\nmore"] {
            let s = split_front_matter(text).unwrap();
            assert_eq!(
                (s.format, s.body, s.body_offset),
                (MatterFormat::None, text, 0)
            );
        }
    }

    #[test]
    fn rejects_unterminated() {
        assert_eq!(
            split_front_matter("---\ntitle: A\nbody")
                .unwrap_err()
                .message,
            "unterminated front matter"
        );
        assert!(
            split_front_matter("+++\ntitle = 1\n")
                .unwrap_err()
                .hint
                .contains("+++")
        );
    }

    #[test]
    fn dashes_in_body_code_do_not_matter() {
        let s = split_front_matter("---\na: 1\n---\n```\n---\n```\n").unwrap();
        assert_eq!(s.matter, "a: 1\n");
        assert_eq!(s.body, "```\n---\n```\n");
    }

    proptest::proptest! {
        /// Any YAML without fence lines and any body come back exactly.
        #[test]
        fn split_roundtrips(
            yaml_lines in proptest::collection::vec("[a-z:\\[\\] #'-]{0,12}", 0..6),
            body in "(?s).{0,80}",
        ) {
            let yaml: String = yaml_lines
                .iter()
                .filter(|l| !is_fence(l, "---") && l.trim_end() != "...")
                .map(|l| format!("{l}\n"))
                .collect();
            let text = format!("---\n{yaml}---\n{body}");
            let s = split_front_matter(&text).unwrap();
            proptest::prop_assert_eq!(s.matter, yaml.as_str());
            proptest::prop_assert_eq!(s.body, body.as_str());
        }

        /// Arbitrary text never panics, and offsets always match the slices.
        #[test]
        fn split_offsets_are_consistent(text in "(?s)(---\r?\n)?.{0,200}") {
            if let Ok(s) = split_front_matter(&text) {
                proptest::prop_assert_eq!(&text[s.matter_offset..s.matter_offset + s.matter.len()], s.matter);
                proptest::prop_assert_eq!(&text[s.body_offset..], s.body);
            }
        }
    }
}
