//! The build's diagnostics as LSP's: per file, at the same place, with the hint as
//! related information and the error code.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use lsp_types::{
    DiagnosticRelatedInformation, DiagnosticSeverity, Location, NumberOrString, Position, Range,
};

use super::text::{offset_of_place, range_of, uri_of};
use crate::error::{Diagnostic, ErrorKind, Severity};

/// What each error code means (`muster explain`), as Markdown files an editor opens from
/// a diagnostic's code: written once into a temporary folder of the server's own, which
/// is deleted when it exits.
pub(super) struct Explanations {
    dir: Option<tempfile::TempDir>,
}

impl Explanations {
    /// Writes the explanations; without a temporary folder, codes link nowhere.
    pub(super) fn write() -> Explanations {
        let dir = tempfile::Builder::new()
            .prefix("muster-explain-")
            .tempdir()
            .ok()
            .filter(|dir| {
                crate::explain::ALL.iter().all(|kind| {
                    let (title, text) = crate::explain::explanation(*kind);
                    let page = format!("# {}: {title}\n\n{text}\n", kind.code());
                    std::fs::write(dir.path().join(format!("{}.md", kind.code())), page).is_ok()
                })
            });
        Explanations { dir }
    }

    /// The file explaining `kind`.
    fn href(&self, kind: ErrorKind) -> Option<lsp_types::Uri> {
        let dir = self.dir.as_ref()?;
        Some(uri_of(&dir.path().join(format!("{}.md", kind.code()))))
    }
}

/// The file diagnostics without a place are shown on.
pub(super) const SITE_FILE: &str = "site.yaml";

/// `diagnostics` by file (relative to the site root); those without a file on site.yaml.
pub(super) fn by_file(diagnostics: &[Diagnostic]) -> BTreeMap<PathBuf, Vec<Diagnostic>> {
    let mut grouped: BTreeMap<PathBuf, Vec<Diagnostic>> = BTreeMap::new();
    for d in diagnostics {
        let file = d
            .location
            .as_ref()
            .map_or(Path::new(SITE_FILE), |l| l.file.as_path());
        grouped
            .entry(file.to_path_buf())
            .or_default()
            .push(d.clone());
    }
    grouped
}

/// The diagnostics `found` of the file at absolute `path`, in the site at `root`, as
/// LSP's: placed in `text`, the file's text if it could be read.
pub(super) fn to_lsp(
    found: &[Diagnostic],
    (root, path): (&Path, &Path),
    text: Option<&str>,
    explanations: &Explanations,
) -> Vec<lsp_types::Diagnostic> {
    found
        .iter()
        .map(|d| convert(d, (root, path), text, explanations))
        .collect()
}

/// One diagnostic of the file at `path` in the site at `root`, whose text is `text` if
/// it could be read.
fn convert(
    d: &Diagnostic,
    (root, path): (&Path, &Path),
    text: Option<&str>,
    explanations: &Explanations,
) -> lsp_types::Diagnostic {
    let range = match (&d.location, text) {
        (Some(l), Some(text)) => {
            let start = offset_of_place(text, l.line, l.column);
            range_of(text, start, token_end(text, start))
        }
        (Some(l), None) => {
            let at = Position::new(
                l.line.saturating_sub(1) as u32,
                l.column.saturating_sub(1) as u32,
            );
            Range::new(at, at)
        }
        (None, _) => Range::default(),
    };
    let uri = uri_of(path);
    let mut related = Vec::new();
    if let Some(hint) = &d.hint {
        related.push(DiagnosticRelatedInformation {
            location: Location::new(uri.clone(), range),
            message: format!("hint: {hint}"),
        });
    }
    if let Some(cause) = &d.caused_by {
        related.push(DiagnosticRelatedInformation {
            location: Location::new(uri_of(&root.join(cause.as_path())), Range::default()),
            message: "follows from the error in this file".into(),
        });
    }
    lsp_types::Diagnostic {
        range,
        severity: Some(match d.severity {
            Severity::Error => DiagnosticSeverity::ERROR,
            Severity::Warning => DiagnosticSeverity::WARNING,
        }),
        code: Some(NumberOrString::String(d.kind.code().into())),
        code_description: explanations
            .href(d.kind)
            .map(|href| lsp_types::CodeDescription { href }),
        source: Some("muster".into()),
        message: d.message.to_string(),
        related_information: Some(related).filter(|r| !r.is_empty()),
        tags: None,
        data: None,
    }
}

/// Where what an error points at, from byte `start` of `text`, ends on its line: after
/// the `]]` of a wikilink, the `)` of a Markdown link; else (a value, a key, a word)
/// before the next space or the punctuation that ends a YAML value in a list.
fn token_end(text: &str, start: usize) -> usize {
    let rest = &text[start..];
    let line = &rest[..rest.find(['\n', '\r']).unwrap_or(rest.len())];
    let closing =
        |from: usize, close: &str| line[from..].find(close).map(|i| from + i + close.len());
    let end = if line.starts_with("[[") || line.starts_with("![[") {
        closing(0, "]]")
    } else if line.starts_with('[') || line.starts_with("![") {
        line.find("](").and_then(|open| closing(open, ")"))
    } else {
        line.find(|c: char| c.is_whitespace() || matches!(c, ',' | ']' | '}' | '"' | '\''))
    };
    start + end.unwrap_or(line.len()).max(1).min(line.len())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::{ErrorKind, Location as Place};

    #[test]
    fn placed_with_the_hint_beside() {
        let text = "---\ntitle: A\n---\nSee [[missing page]] now.\n";
        let d = Diagnostic::new(ErrorKind::Link, "no page `missing page`")
            .at(
                Place {
                    file: "content/a.md".into(),
                    line: 4,
                    column: 5,
                },
                None,
            )
            .hint("write an existing slug");
        let root = Path::new("/site");
        let explanations = Explanations::write();
        let files = by_file(&[d]);
        let path = Path::new("/site/content/a.md");
        let mine = &files[Path::new("content/a.md")];
        let found = to_lsp(mine, (root, path), Some(text), &explanations);
        assert_eq!(
            found[0].range,
            Range::new(Position::new(3, 4), Position::new(3, 20))
        );
        assert_eq!(found[0].code, Some(NumberOrString::String("E006".into())));
        let href = &found[0].code_description.as_ref().unwrap().href;
        let explained = std::fs::read_to_string(super::super::text::path_of(href).unwrap());
        assert!(explained.unwrap().starts_with("# E006: "));
        let related = found[0].related_information.as_ref().unwrap();
        // What each kind of place runs to.
        let ends = |line: &str| {
            let end = token_end(line, 0);
            line[..end].to_string()
        };
        assert_eq!(ends("rusia, kazakstan]"), "rusia");
        assert_eq!(
            ends("[the country](@/members/russia.md#x) and"),
            "[the country](@/members/russia.md#x)"
        );
        assert_eq!(ends("![[map.png|300]] x"), "![[map.png|300]]");
        assert_eq!(ends("status: x"), "status:");
        assert_eq!(related[0].message, "hint: write an existing slug");
    }
}
