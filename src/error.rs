//! Typed build errors that carry their source position; the binary formats them.

use std::fmt;
use std::path::{Path, PathBuf};

use serde::Serialize;

/// What stage or rule a diagnostic comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ErrorKind {
    /// Reading or writing a file failed.
    Io,
    /// `site.yaml` is invalid.
    Config,
    /// Front matter is missing, unterminated or not valid YAML.
    FrontMatter,
    /// A front matter field is unknown, missing or of the wrong type.
    Field,
    /// A typed reference does not resolve to a page of the right kind.
    Reference,
    /// An internal link points to a page that does not exist.
    Link,
    /// An internal link points to a heading that does not exist.
    Anchor,
    /// Two sources produce the same output URL.
    Duplicate,
    /// A template is missing or fails to parse.
    Template,
    /// A template fails while rendering a page.
    Render,
    /// An external link that does not answer (`check --external`).
    External,
}

impl ErrorKind {
    /// A stable code for the kind, shown as `error[E0xx]`.
    pub fn code(self) -> &'static str {
        match self {
            ErrorKind::Io => "E001",
            ErrorKind::Config => "E002",
            ErrorKind::FrontMatter => "E003",
            ErrorKind::Field => "E004",
            ErrorKind::Reference => "E005",
            ErrorKind::Link => "E006",
            ErrorKind::Anchor => "E007",
            ErrorKind::Duplicate => "E008",
            ErrorKind::Template => "E009",
            ErrorKind::Render => "E010",
            ErrorKind::External => "E011",
        }
    }
}

/// A position in a source file: 1-based line and column (in characters).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Location {
    /// Path relative to the site root, e.g. `content/drills/x.md`.
    pub file: PathBuf,
    /// 1-based line.
    pub line: usize,
    /// 1-based column, counted in characters.
    pub column: usize,
}

impl Location {
    /// The location of byte `offset` within `text`, which is the whole of `file`.
    pub fn at_offset(file: &Path, text: &str, offset: usize) -> Location {
        let offset = floor_char_boundary(text, offset.min(text.len()));
        let before = &text[..offset];
        let line = before.bytes().filter(|&b| b == b'\n').count() + 1;
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
        let column = text[line_start..offset].chars().count() + 1;
        Location {
            file: file.to_path_buf(),
            line,
            column,
        }
    }
}

fn floor_char_boundary(text: &str, mut offset: usize) -> usize {
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

/// The text of 1-based `line` in `text`, without its line ending.
pub fn line_text(text: &str, line: usize) -> Option<String> {
    text.split('\n')
        .nth(line.checked_sub(1)?)
        .map(|l| l.trim_end_matches('\r').to_string())
}

/// One problem found while building, with where it is and how to fix it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, thiserror::Error)]
pub struct Diagnostic {
    /// Which rule was broken.
    pub kind: ErrorKind,
    /// What is wrong, in one sentence.
    pub message: String,
    /// Where it is, when it is in a file.
    pub location: Option<Location>,
    /// The offending source line, for display under the location.
    pub source_line: Option<String>,
    /// How to fix it.
    pub hint: Option<String>,
}

impl Diagnostic {
    /// A diagnostic with no location yet.
    pub fn new(kind: ErrorKind, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            kind,
            message: message.into(),
            location: None,
            source_line: None,
            hint: None,
        }
    }

    /// Places the diagnostic at `location`, keeping the line of `text` it points to.
    pub fn at(mut self, location: Location, text: Option<&str>) -> Diagnostic {
        self.source_line = text.and_then(|t| line_text(t, location.line));
        self.location = Some(location);
        self
    }

    /// Places the diagnostic at byte `offset` of `text`, the contents of `file`.
    pub fn at_offset(self, file: &Path, text: &str, offset: usize) -> Diagnostic {
        let location = Location::at_offset(file, text, offset);
        self.at(location, Some(text))
    }

    /// Adds a hint.
    pub fn hint(mut self, hint: impl Into<String>) -> Diagnostic {
        self.hint = Some(hint.into());
        self
    }

    /// An I/O failure on `path`.
    pub fn io(path: &Path, err: &std::io::Error) -> Diagnostic {
        Diagnostic::new(ErrorKind::Io, format!("{}: {err}", path.display()))
            .hint("check that the path exists and is readable and writable")
    }
}

impl fmt::Display for Diagnostic {
    /// Laid out as rustc does: the gutter is as wide as the line number.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "error[{}]: {}", self.kind.code(), self.message)?;
        let width = self
            .location
            .as_ref()
            .map_or(1, |l| l.line.to_string().len());
        let pad = " ".repeat(width);
        if let Some(loc) = &self.location {
            let file = loc.file.display();
            write!(f, "\n{pad}--> {file}:{}:{}", loc.line, loc.column)?;
            if let Some(src) = &self.source_line {
                let caret_pad: String = src
                    .chars()
                    .take(loc.column.saturating_sub(1))
                    .map(|c| if c == '\t' { '\t' } else { ' ' })
                    .collect();
                write!(f, "\n{pad} |\n{} | {src}\n{pad} | {caret_pad}^", loc.line)?;
            }
        }
        if let Some(hint) = &self.hint {
            write!(f, "\n{pad} = help: {hint}")?;
        }
        Ok(())
    }
}

/// Every problem of a failed build, reported together.
#[derive(Debug, Default, thiserror::Error)]
pub struct BuildErrors(pub Vec<Diagnostic>);

impl fmt::Display for BuildErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, d) in self.0.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            writeln!(f, "{d}")?;
        }
        let n = self.0.len();
        write!(f, "{n} error{}", if n == 1 { "" } else { "s" })
    }
}

/// The closest of `candidates` to `word`, if any is close enough to be a likely typo.
pub fn closest<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    candidates
        .into_iter()
        .map(|c| (strsim::jaro_winkler(word, c), c))
        .filter(|(score, _)| *score > 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, c)| c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn location_counts_lines_and_characters() {
        let text = "ab\nцd\nx";
        let loc = Location::at_offset(Path::new("f.md"), text, "ab\nц".len());
        assert_eq!((loc.line, loc.column), (2, 2));
        let loc = Location::at_offset(Path::new("f.md"), text, 0);
        assert_eq!((loc.line, loc.column), (1, 1));
    }

    #[test]
    fn closest_finds_typos_only() {
        let c = ["participants", "host", "commander"];
        assert_eq!(closest("partcipants", c), Some("participants"));
        assert_eq!(closest("zzz", c), None);
    }

    #[test]
    fn display_shows_caret_under_column() {
        let d = Diagnostic::new(ErrorKind::Field, "bad")
            .at_offset(Path::new("a.md"), "x: 1\nkey: v\n", 5 + 5)
            .hint("fix it");
        let s = d.to_string();
        assert!(
            s.contains("\n --> a.md:2:6\n  |\n2 | key: v\n  |      ^\n  = help: fix it"),
            "{s}"
        );
        assert!(s.contains("help: fix it"), "{s}");
    }
}
