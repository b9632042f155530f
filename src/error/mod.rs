//! Typed build errors that carry their source position; the binary formats them.

use std::fmt;
use std::path::{Path, PathBuf};

use serde::Serialize;

mod render;
mod suggest;

pub use render::diagnostic_json;
pub(crate) use suggest::{closest, did_you_mean, nearest, some_of};

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
    /// The output folder cannot be used, or holds files muster did not write where the site goes.
    Output,
    /// A content file in a format muster does not render (a warning).
    Unrendered,
    /// A formula (`$…$`, `$$…$$`) that does not parse.
    Math,
    /// An embed (`![[page]]`) that would show itself through other embeds (an error), or
    /// past the limits of what one page shows (a warning).
    Embed,
    /// A shortcode call that is unknown, malformed, given a wrong argument, or whose
    /// template fails.
    Shortcode,
    /// A query names an unknown kind, field, operator or page, or a value of the wrong type.
    Query,
    /// A translation older than its original, or pages not translated (warnings).
    Translation,
}

impl ErrorKind {
    /// A link or anchor that leads nowhere: the page still renders, with the link as text.
    pub(crate) fn is_broken_link(self) -> bool {
        matches!(self, ErrorKind::Link | ErrorKind::Anchor)
    }

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
            ErrorKind::Output => "E012",
            ErrorKind::Unrendered => "E013",
            ErrorKind::Math => "E014",
            ErrorKind::Embed => "E015",
            ErrorKind::Shortcode => "E016",
            ErrorKind::Query => "E017",
            ErrorKind::Translation => "E018",
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
    /// The start of `file`, for problems with the file as a whole.
    pub fn file_start(file: &Path) -> Location {
        Location {
            file: file.to_path_buf(),
            line: 1,
            column: 1,
        }
    }

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

/// Most characters of a source line a diagnostic shows: a line of 200 KB is cut to
/// this many around the column, so that neither memory nor the report grows with it.
pub const SOURCE_WINDOW: usize = 120;

/// The part of `line` shown for a problem at byte `at` of it, which is 1-based
/// `column`: the whole line if short, else at most [`SOURCE_WINDOW`] characters around
/// it, found by walking only those. Returns the part and the column it starts at.
pub(crate) fn source_window(line: &str, at: usize, column: usize) -> (&str, usize) {
    let line = line.strip_suffix('\r').unwrap_or(line);
    if line.len() <= SOURCE_WINDOW {
        return (line, 1);
    }
    let at = floor_char_boundary(line, at.min(line.len()));
    let (before, kept_before) = line[..at]
        .char_indices()
        .rev()
        .take(SOURCE_WINDOW / 3)
        .fold((at, 0), |(_, n), (i, _)| (i, n + 1));
    let end = line[before..]
        .char_indices()
        .nth(SOURCE_WINDOW)
        .map_or(line.len(), |(i, _)| before + i);
    (
        &line[before..end],
        column.saturating_sub(kept_before).max(1),
    )
}

/// The text of 1-based `line` in `text`, without its line ending.
pub(crate) fn line_text(text: &str, line: usize) -> Option<String> {
    text.split('\n')
        .nth(line.checked_sub(1)?)
        .map(|l| l.trim_end_matches('\r').to_string())
}

/// Whether a diagnostic stops the build.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// The build fails.
    #[default]
    Error,
    /// Reported; the build goes on.
    Warning,
}

/// One problem found while building, with where it is and how to fix it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, thiserror::Error)]
pub struct Diagnostic {
    /// Which rule was broken.
    pub kind: ErrorKind,
    /// Whether it stops the build.
    pub severity: Severity,
    /// What is wrong, in one sentence.
    pub message: Box<str>,
    /// Where it is, when it is in a file.
    pub location: Option<Location>,
    /// The offending source line, for display under the location; a long line is cut
    /// to [`SOURCE_WINDOW`] characters around the column.
    pub source_line: Option<Box<str>>,
    /// The 1-based column (in characters) at which `source_line` starts in the file:
    /// 1 unless the start of a long line was cut.
    pub source_column: u32,
    /// How to fix it.
    pub hint: Option<String>,
    /// The file whose error this one follows from (a link to a page that could not be
    /// read): such errors are listed after the causes, marked as consequences.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub caused_by: Option<Box<PathBuf>>,
    /// The kind whose pages the hint should name: known only once every page is read,
    /// so the model stage adds them to the hint then.
    #[serde(skip)]
    #[allow(clippy::box_collection)]
    // a thin pointer keeps every `Result<_, Diagnostic>` small
    pub(crate) names_pages_of: Option<Box<String>>,
}

impl Diagnostic {
    /// A diagnostic with no location yet.
    pub fn new(kind: ErrorKind, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            kind,
            severity: Severity::Error,
            message: message.into().into_boxed_str(),
            location: None,
            source_line: None,
            source_column: 1,
            hint: None,
            caused_by: None,
            names_pages_of: None,
        }
    }

    /// Places the diagnostic at `location`, keeping the line of `text` it points to.
    pub fn at(mut self, location: Location, text: Option<&str>) -> Diagnostic {
        if let Some(line) = text.and_then(|t| line_text(t, location.line)) {
            let at = line
                .char_indices()
                .nth(location.column.saturating_sub(1))
                .map_or(line.len(), |(i, _)| i);
            let (window, first) = source_window(&line, at, location.column);
            self.source_line = Some(window.into());
            self.source_column = u32::try_from(first).unwrap_or(u32::MAX);
        }
        self.location = Some(location);
        self
    }

    /// Shows `window` (starting at 1-based `first_column` of its line) as the source line.
    pub fn with_source(mut self, window: &str, first_column: usize) -> Diagnostic {
        self.source_line = Some(window.into());
        self.source_column = u32::try_from(first_column).unwrap_or(u32::MAX);
        self
    }

    /// Places the diagnostic at byte `offset` of `text`, the contents of `file`.
    pub fn at_offset(self, file: &Path, text: &str, offset: usize) -> Diagnostic {
        let location = Location::at_offset(file, text, offset);
        self.at(location, Some(text))
    }

    /// This diagnostic as a warning, which does not stop the build.
    pub fn warning(mut self) -> Diagnostic {
        self.severity = Severity::Warning;
        self
    }

    /// Whether it stops the build.
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// Marks it as following from the error in `file`.
    pub fn caused_by(mut self, file: &Path) -> Diagnostic {
        self.caused_by = Some(Box::new(file.to_path_buf()));
        self
    }

    /// Asks for the slugs of the pages a `ref` or `refs` field of type `ty` may name to
    /// be added to the hint, once every page is read; other types add nothing.
    pub(crate) fn naming_targets_of(mut self, ty: &crate::config::FieldType) -> Diagnostic {
        self.names_pages_of = ty.target().map(|t| Box::new(t.kind.clone()));
        self
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nearest_names_a_few_in_order() {
        let found = nearest("histroy", ["plan", "history-of-it", "hist", "aims"], 2);
        assert_eq!(found, ["hist", "history-of-it"]);
    }

    #[test]
    fn location_counts_lines_and_characters() {
        let text = "ab\nцd\nx";
        let loc = Location::at_offset(Path::new("f.md"), text, "ab\nц".len());
        assert_eq!((loc.line, loc.column), (2, 2));
        let loc = Location::at_offset(Path::new("f.md"), text, 0);
        assert_eq!((loc.line, loc.column), (1, 1));
    }

    #[test]
    fn long_lines_are_cut_around_the_column() {
        let line = format!("{}[[x]]{}", "а".repeat(500), "b".repeat(500));
        let at = "а".repeat(500).len();
        let (window, first) = source_window(&line, at, 501);
        assert_eq!(window.chars().count(), SOURCE_WINDOW);
        assert_eq!(first, 501 - SOURCE_WINDOW / 3);
        assert!(window[window.find('[').unwrap()..].starts_with("[[x]]"));
        // The caret stays under the link in the rendered report.
        let text = format!("{line}\n");
        let d = Diagnostic::new(ErrorKind::Link, "x").at_offset(Path::new("a.md"), &text, at);
        let shown = d.render(false);
        let source = shown.lines().find(|l| l.starts_with("1 |")).unwrap();
        let caret = shown.lines().find(|l| l.trim_end().ends_with('^')).unwrap();
        assert_eq!(
            source.chars().nth(caret.chars().count() - 1),
            Some('['),
            "{shown}"
        );
        assert!(shown.contains("--> a.md:1:501"), "{shown}");
        assert!(!shown.contains(":::"), "{shown}");
        assert!(!d.render(true).contains(":::"));
        assert_eq!(source_window("short", 2, 3), ("short", 1));
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
        assert_eq!(
            s,
            "error[E004]: bad\n --> a.md:2:6\n  |\n2 | key: v\n  |      ^\n  |\n  = help: fix it"
        );
        // Columns count characters: the caret sits under the right one after Cyrillic text.
        let d = Diagnostic::new(ErrorKind::Link, "x").at_offset(
            Path::new("b.md"),
            "да [[x]]",
            "да ".len(),
        );
        assert!(d.to_string().contains("1 | да [[x]]\n  |    ^"), "{d}");
        // Colour only when asked.
        assert!(!s.contains('\u{1b}'));
        assert!(d.render(true).contains('\u{1b}'));
    }

    #[test]
    fn json_diagnostics_carry_code_and_place() {
        let d = Diagnostic::new(ErrorKind::Field, "bad")
            .at_offset(Path::new("a.md"), "x: 1\nkey: v\n", 10)
            .hint("fix it");
        let v: serde_json::Value = serde_json::from_str(&diagnostic_json(&d)).unwrap();
        assert_eq!(v["code"], "E004");
        assert_eq!(v["location"]["line"], 2);
        assert_eq!(v["location"]["column"], 6);
        assert_eq!(v["hint"], "fix it");
        assert_eq!(v["source_line"], "key: v");
    }
}
