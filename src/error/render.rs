//! A diagnostic shown: as rustc shows one (with `annotate-snippets`), styled for a
//! terminal or not, and as a line of JSON for editors and CI.

use std::fmt;

use super::{Diagnostic, Location, Severity};

impl Diagnostic {
    /// The diagnostic as rustc shows one: `error[E004]: …`, ` --> file:line:col`, the
    /// source line with a caret, and `= help: …`. `styled` adds terminal colours.
    pub fn render(&self, styled: bool) -> String {
        use annotate_snippets::{Group, Level, Renderer};
        let level = match self.severity {
            Severity::Error => Level::ERROR,
            Severity::Warning => Level::WARNING,
        };
        let title = level.primary_title(&*self.message).id(self.kind.code());
        let mut group = Group::with_title(title);
        if let Some(loc) = &self.location {
            group = self.place(group, loc);
        }
        if let Some(hint) = &self.hint {
            group = group.element(Level::HELP.message(hint.as_str()));
        }
        if let Some(cause) = &self.caused_by {
            let note = format!(
                "this follows from the error in {}: fix that one first",
                cause.display()
            );
            group = group.element(Level::NOTE.message(note));
        }
        let renderer = if styled {
            Renderer::styled()
        } else {
            Renderer::plain()
        };
        let rendered = renderer.render(&[group]);
        if self.source_column > 1 {
            // The cut line's snippet has no path of its own (the origin above names the
            // file and the true column); drop the empty "other file" marker it gets.
            return rendered
                .lines()
                .filter(|l| without_styles(l).trim() != ":::")
                .collect::<Vec<_>>()
                .join("\n");
        }
        rendered
    }

    /// `group` with where the diagnostic is: the source line with a caret under its
    /// column when it has one, else the file, line and column.
    fn place<'a>(
        &'a self,
        group: annotate_snippets::Group<'a>,
        loc: &'a Location,
    ) -> annotate_snippets::Group<'a> {
        use annotate_snippets::{AnnotationKind, Origin, Snippet};
        let path = loc.file.to_string_lossy();
        let Some(src) = &self.source_line else {
            return group.element(Origin::path(path).line(loc.line).char_column(loc.column));
        };
        // The caret goes under the column's character (columns count characters).
        let start = src
            .char_indices()
            .nth(loc.column.saturating_sub(self.source_column as usize))
            .map_or(src.len(), |(i, _)| i);
        let end = src[start..]
            .chars()
            .next()
            .map_or(start, |c| start + c.len_utf8());
        let snippet = Snippet::source(&**src)
            .line_start(loc.line)
            .annotation(AnnotationKind::Primary.span(start..end));
        if self.source_column > 1 {
            // A cut line: the snippet's own column would count from the cut.
            group
                .element(
                    Origin::path(path.clone())
                        .line(loc.line)
                        .char_column(loc.column),
                )
                .element(snippet)
        } else {
            group.element(snippet.path(path))
        }
    }
}

/// `line` without its terminal colour sequences.
fn without_styles(line: &str) -> String {
    let mut out = String::new();
    let mut chars = line.chars();
    while let Some(c) = chars.next() {
        if c == '\u{1b}' {
            chars.by_ref().find(|c| c.is_ascii_alphabetic());
        } else {
            out.push(c);
        }
    }
    out
}

/// One diagnostic as a line of JSON for editors and CI: `code`, `kind`, `message`,
/// `location` (`file`, `line`, `column`), `source_line`, `hint` and the `rendered` text.
pub fn diagnostic_json(d: &Diagnostic) -> String {
    let mut v = serde_json::to_value(d).expect("a diagnostic is strings and numbers");
    if let Some(map) = v.as_object_mut() {
        map.insert("code".into(), d.kind.code().into());
        map.insert("rendered".into(), d.render(false).into());
    }
    v.to_string()
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.render(false))
    }
}
