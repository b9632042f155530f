//! Code actions: for an error, the fix its hint names ("did you mean `kazakhstan`?") and,
//! for a ref or link to a page that does not exist, that page made from its kind's
//! scaffold (as `muster new`); anywhere, a footnote citing one of the page's sources.

use std::path::{Path, PathBuf};

use lsp_types::{
    CodeAction, CodeActionKind, CodeActionOrCommand, CreateFile, CreateFileOptions,
    DocumentChangeOperation, DocumentChanges, OneOf, OptionalVersionedTextDocumentIdentifier,
    Position, Range, ResourceOp, TextDocumentEdit, TextEdit, WorkspaceEdit,
};

use super::analysis::Analysis;
use super::completion::kind_of;
use super::rename::{Part, link_part};
use super::spot::{Spot, Token, spot_at};
use super::text::{offset_of, offset_of_place, position_at, range_of, uri_of};
use crate::config::KindDef;
use crate::error::Diagnostic;
use crate::model::FieldValue;

/// The actions for `range` of `file` (relative to `root`), whose text is `text`.
pub(super) fn actions(
    analysis: &Analysis,
    (root, file): (&Path, &Path),
    text: &str,
    range: Range,
) -> Vec<CodeActionOrCommand> {
    let mut found = Vec::new();
    for d in errors_in(analysis, file, text, range) {
        let at = d
            .location
            .as_ref()
            .map_or(0, |l| offset_of_place(text, l.line, l.column));
        let Some(written) = written_name(text, at) else {
            continue;
        };
        if let Some(better) = d.hint.as_deref().and_then(suggested) {
            let edit = TextEdit::new(range_of(text, written.start, written.end), better.into());
            found.push(quick_fix(
                format!("Change to `{better}`"),
                d,
                one_file(root, file, vec![edit]),
                true,
            ));
        }
        let names_a_page = d.kind.is_broken_link() || d.kind == crate::error::ErrorKind::Reference;
        if names_a_page
            && let Some(action) = create_page(analysis, (root, file), text, at, &written, d)
        {
            found.push(action);
        }
    }
    found.extend(citations(analysis, (root, file), text, range.end));
    found
        .into_iter()
        .map(CodeActionOrCommand::CodeAction)
        .collect()
}

/// The build's errors in `file` that start within `range`.
fn errors_in<'a>(
    analysis: &'a Analysis,
    file: &Path,
    text: &str,
    range: Range,
) -> Vec<&'a Diagnostic> {
    let (from, to) = (offset_of(text, range.start), offset_of(text, range.end));
    analysis
        .diagnostics
        .iter()
        .filter(|d| {
            d.location.as_ref().is_some_and(|l| {
                let at = offset_of_place(text, l.line, l.column);
                let on_line = l.line == range.start.line as usize + 1;
                l.file == file && (on_line || (from..=to.max(from)).contains(&at))
            })
        })
        .collect()
}

/// The name an error at byte `at` is about: a ref's value, or a link's page part.
fn written_name(text: &str, at: usize) -> Option<Token> {
    if let Spot::Value { value, .. } | Spot::Key(value) = spot_at(text, at) {
        return Some(value);
    }
    link_part(text, at, Part::Page).filter(|t| !t.text.is_empty())
}

/// What a hint suggests writing instead: "did you mean `X`?".
fn suggested(hint: &str) -> Option<&str> {
    let rest = &hint[hint.find("did you mean `")? + "did you mean `".len()..];
    Some(&rest[..rest.find('`')?])
}

fn quick_fix(title: String, d: &Diagnostic, edit: WorkspaceEdit, preferred: bool) -> CodeAction {
    CodeAction {
        title,
        kind: Some(CodeActionKind::QUICKFIX),
        diagnostics: None,
        edit: Some(edit),
        is_preferred: Some(preferred),
        disabled: None,
        command: None,
        data: Some(serde_json::json!({ "code": d.kind.code() })),
    }
}

fn one_file(root: &Path, file: &Path, edits: Vec<TextEdit>) -> WorkspaceEdit {
    WorkspaceEdit {
        document_changes: Some(DocumentChanges::Edits(vec![text_edit(root, file, edits)])),
        ..Default::default()
    }
}

fn text_edit(root: &Path, file: &Path, edits: Vec<TextEdit>) -> TextDocumentEdit {
    TextDocumentEdit {
        text_document: OptionalVersionedTextDocumentIdentifier {
            uri: uri_of(&root.join(file)),
            version: None,
        },
        edits: edits.into_iter().map(OneOf::Left).collect(),
    }
}

/// Creating the page `written` names, of the kind the field wants (a ref) or in the
/// folder the link names, else beside this page.
fn create_page(
    analysis: &Analysis,
    (root, file): (&Path, &Path),
    text: &str,
    at: usize,
    written: &Token,
    d: &Diagnostic,
) -> Option<CodeAction> {
    let config = analysis.config.as_ref()?;
    let name = written
        .text
        .trim_start_matches("@/")
        .trim_end_matches(".md");
    let (folder, slug) = name
        .rsplit_once('/')
        .map_or((None, name), |(f, s)| (Some(f), s));
    let slug = slug::slugify(slug);
    if slug.is_empty() || analysis.find_page(&written.text).is_some() {
        return None;
    }
    let section = section_for(analysis, file, (text, at), folder)?;
    let new_file = Path::new(crate::source::CONTENT_DIR)
        .join(&section)
        .join(format!("{slug}.md"));
    if root.join(&new_file).exists() {
        return None;
    }
    let section_name = section.to_string_lossy().replace('\\', "/");
    let kind: Option<&KindDef> = config.kind_for_section(&section_name).map(|(_, k)| k);
    let title = crate::render::labels::humanize(&slug);
    let page = match kind {
        Some(kind) => crate::scaffold::page_text(root, config, kind, &title),
        None => format!("---\ntitle: {title}\n---\n"),
    };
    let uri = uri_of(&root.join(&new_file));
    let operations = vec![
        DocumentChangeOperation::Op(ResourceOp::Create(CreateFile {
            uri,
            options: Some(CreateFileOptions {
                overwrite: Some(false),
                ignore_if_exists: Some(false),
            }),
            annotation_id: None,
        })),
        DocumentChangeOperation::Edit(text_edit(
            root,
            &new_file,
            vec![TextEdit::new(Range::default(), page)],
        )),
    ];
    let edit = WorkspaceEdit {
        document_changes: Some(DocumentChanges::Operations(operations)),
        ..Default::default()
    };
    let title = format!("Create {}", new_file.display());
    Some(quick_fix(title, d, edit, false))
}

/// The section (below `content/`) a missing page named at byte `at` of `text` (the
/// source of `file`) belongs in: its field's kind's, for a ref; the folder a link names;
/// else the linking page's own.
fn section_for(
    analysis: &Analysis,
    file: &Path,
    (text, at): (&str, usize),
    folder: Option<&str>,
) -> Option<PathBuf> {
    let config = analysis.config.as_ref()?;
    Some(match (spot_at(text, at), folder) {
        (Spot::Value { key, .. }, _) => {
            let (_, kind) = kind_of(analysis, file).0?;
            let target = kind.fields.get(&key)?.ty.target()?;
            PathBuf::from(&config.kinds.get(&target.kind)?.section)
        }
        // Only plain folder names: a link written `[[../../x]]` creates nothing outside
        // content/.
        (_, Some(folder)) => {
            let folder = PathBuf::from(folder);
            let plain = folder
                .components()
                .all(|c| matches!(c, std::path::Component::Normal(_)));
            plain.then_some(folder)?
        }
        (_, None) => file
            .parent()?
            .strip_prefix(crate::source::CONTENT_DIR)
            .ok()?
            .to_path_buf(),
    })
}

/// For each page the page lists as a source (`sources:` or `source:`), a footnote at
/// `at` citing it, with its text to fill in at the end of the page.
fn citations(
    analysis: &Analysis,
    (root, file): (&Path, &Path),
    text: &str,
    at: Position,
) -> Vec<CodeAction> {
    let Some((_, page)) = analysis.page_of_file(file) else {
        return Vec::new();
    };
    // The knowledge base's kinds name the pages they cite in a `sources:` field (site.yaml);
    // a field of that name (or `source:`) is taken as the page's citations.
    let cited: Vec<&str> = ["sources", "source"]
        .iter()
        .filter_map(|key| page.fields.get(*key))
        .flat_map(|value| match value {
            FieldValue::Ref(one) => vec![one.as_str()],
            FieldValue::Refs(many) => many.iter().map(String::as_str).collect(),
            _ => Vec::new(),
        })
        .collect();
    let label = (1..)
        .map(|n| {
            if n == 1 {
                "cite".to_string()
            } else {
                format!("cite-{n}")
            }
        })
        .find(|l| !text.contains(&format!("[^{l}]")))
        .unwrap_or_default();
    let end = position_at(text, text.len());
    let newline = if text.ends_with('\n') { "" } else { "\n" };
    cited
        .into_iter()
        .filter_map(|written| {
            let source = analysis.site.page(analysis.find_page(written)?);
            let note = format!("{newline}\n[^{label}]: [[{written}]]: \"\"\n");
            let edits = vec![
                TextEdit::new(Range::new(at, at), format!("[^{label}]")),
                TextEdit::new(Range::new(end, end), note),
            ];
            Some(CodeAction {
                title: format!("Cite {}", source.meta.title),
                kind: Some(CodeActionKind::REFACTOR),
                edit: Some(one_file(root, file, edits)),
                ..Default::default()
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hints_name_their_fix() {
        assert_eq!(suggested("did you mean `kazakhstan`?"), Some("kazakhstan"));
        assert_eq!(suggested("pages of kind `member`: `a`"), None);
    }
}
