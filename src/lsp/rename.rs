//! Rename: a page (its file moves, every link and ref to it is rewritten, and an alias
//! keeps its old URL working) or a heading (its text, and every link to it), as one
//! workspace edit the editor applies and can undo.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use lsp_types::{
    DocumentChangeOperation, DocumentChanges, OneOf, OptionalVersionedTextDocumentIdentifier,
    PrepareRenameResponse, RenameFile, RenameFileOptions, ResourceOp, TextDocumentEdit, TextEdit,
    WorkspaceEdit,
};

use super::analysis::Analysis;
use super::navigation::{Mention, Sources, Target, mentions, target_at};
use super::spot::{Spot, Token, spot_at};
use super::text::{range_of, uri_of};
use crate::model::Role;

/// What the name at `offset` would rename, with its range and current text; `None` if
/// nothing there can be renamed.
pub(super) fn prepare(
    analysis: &Analysis,
    file: &Path,
    text: &str,
    offset: usize,
) -> Option<PrepareRenameResponse> {
    let (token, placeholder) = match spot_at(text, offset) {
        Spot::Heading(token) => (token.clone(), token.text),
        Spot::LinkHeading { heading, .. } => (heading.clone(), heading.text),
        Spot::LinkPage(_, token) | Spot::Value { value: token, .. } => {
            let target = target_at(analysis, file, text, offset)?;
            (token, analysis.site.page(target.page).slug.clone())
        }
        _ => return None,
    };
    target_at(analysis, file, text, offset)?;
    Some(PrepareRenameResponse::RangeWithPlaceholder {
        range: range_of(text, token.start, token.end),
        placeholder,
    })
}

/// The edit that renames what stands at `offset` to `new_name`, or why it cannot.
pub(super) fn rename(
    analysis: &Analysis,
    (root, file): (&Path, &Path),
    (text, offset): (&str, usize),
    new_name: &str,
    sources: Sources<'_>,
) -> Result<WorkspaceEdit, String> {
    let target = target_at(analysis, file, text, offset).ok_or("nothing to rename here")?;
    match spot_at(text, offset) {
        Spot::Heading(_) | Spot::LinkHeading { .. } if target.heading.is_some() => {
            rename_heading(analysis, root, &target, new_name, sources)
        }
        Spot::LinkPage(..) | Spot::Value { .. } => {
            rename_page(analysis, root, &target, new_name, sources)
        }
        _ => Err("put the cursor on a heading, a link or a ref to rename it".into()),
    }
}

/// Text edits by file (relative to the site root).
type Edits = BTreeMap<PathBuf, Vec<TextEdit>>;

fn rename_heading(
    analysis: &Analysis,
    root: &Path,
    target: &Target,
    new_title: &str,
    sources: Sources<'_>,
) -> Result<WorkspaceEdit, String> {
    let new_title = new_title.trim();
    if new_title.is_empty() || new_title.contains('\n') {
        return Err("a heading is one line of text".into());
    }
    let id = target.heading.as_deref().unwrap_or_default();
    let (file, title_edit, explicit_id) = heading_edit(analysis, target, new_title, sources)?;
    // An id written out (`## History {#past}`) stays; else it follows the text.
    let scheme = analysis
        .config
        .as_ref()
        .map(|c| c.heading_ids)
        .unwrap_or_default();
    let new_id = match explicit_id {
        true => id.to_string(),
        false => scheme.id(new_title),
    };
    let mut edits = Edits::new();
    edits.entry(file).or_default().push(title_edit);
    for (source, text, found) in mentions(analysis, target, sources) {
        for m in found {
            let Some(anchor) = link_part(&text, m.offset, Part::Anchor) else {
                continue;
            };
            // Written as the id, or as the heading's text (as Obsidian writes it).
            let new_text = match anchor.text == id {
                true => new_id.clone(),
                false => new_title.to_string(),
            };
            if anchor.text != new_text {
                let range = range_of(&text, anchor.start, anchor.end);
                edits
                    .entry(source.clone())
                    .or_default()
                    .push(TextEdit::new(range, new_text));
            }
        }
    }
    Ok(workspace_edit(root, edits, None))
}

/// The edit of the heading `target` names to `new_title`, in its page's file; and
/// whether the heading's id is written out (`{#id}`).
fn heading_edit(
    analysis: &Analysis,
    target: &Target,
    new_title: &str,
    sources: Sources<'_>,
) -> Result<(PathBuf, TextEdit, bool), String> {
    let page = analysis.site.page(target.page);
    let id = target.heading.as_deref().unwrap_or_default();
    let heading = page
        .body
        .headings
        .iter()
        .find(|h| *h.id == *id)
        .ok_or("no such heading")?;
    let file = page.file.as_ref().ok_or("the page has no file")?;
    let text = sources(file).ok_or("the page's file cannot be read")?;
    let at = page.body_offset + heading.offset;
    let line = &text[at..text[at..].find('\n').map_or(text.len(), |i| at + i)];
    let title_at = at
        + line
            .find(&*heading.title)
            .ok_or("the heading's text is not on its line")?;
    let range = range_of(&text, title_at, title_at + heading.title.len());
    Ok((
        file.clone(),
        TextEdit::new(range, new_title.into()),
        line.contains("{#"),
    ))
}

fn rename_page(
    analysis: &Analysis,
    root: &Path,
    target: &Target,
    new_slug: &str,
    sources: Sources<'_>,
) -> Result<WorkspaceEdit, String> {
    let new_slug = new_slug.trim();
    let page = analysis.site.page(target.page);
    if page.role == Role::Section {
        return Err("a section is renamed by renaming its folder".into());
    }
    let file = page.file.as_ref().ok_or("the page has no file")?;
    let moved = Moved::new(file, new_slug)?;
    if root.join(&moved.to).exists() {
        return Err(format!("{} exists already", moved.to.display()));
    }
    let mut edits = Edits::new();
    for (source, text, found) in mentions(analysis, target, sources) {
        for m in found {
            let Some(written) = written_page(&text, m) else {
                continue;
            };
            let new_text = renamed(&written.text, &moved.old_stem, &page.slug, new_slug);
            if new_text != written.text {
                let range = range_of(&text, written.start, written.end);
                edits
                    .entry(source.clone())
                    .or_default()
                    .push(TextEdit::new(range, new_text));
            }
        }
    }
    let page_text = sources(file).ok_or("the page's file cannot be read")?;
    if let Some(alias) = alias_edit(&page_text, page.matter_format, &page.path) {
        edits.entry(file.clone()).or_default().push(alias);
    }
    Ok(workspace_edit(root, edits, Some((&moved.from, &moved.to))))
}

/// What renaming a page moves: its file, or for a bundle (`russia/index.md`) its folder.
struct Moved {
    from: PathBuf,
    to: PathBuf,
    /// The name it had, without `.md`: what links by file name wrote.
    old_stem: String,
}

impl Moved {
    /// The move of the page in `file` to the name `new_slug`, if that is a name.
    fn new(file: &Path, new_slug: &str) -> Result<Moved, String> {
        let valid = !new_slug.is_empty()
            && !new_slug.starts_with('.')
            && !new_slug.contains(['/', '\\', '#', '|', '[', ']', '\n'])
            && new_slug.trim_end_matches(".md") == new_slug;
        if !valid {
            let why = "write it without folders or `.md`";
            return Err(format!("`{new_slug}` cannot be a page's name: {why}"));
        }
        let bundle = file.file_stem().is_some_and(|s| s == "index");
        let from = match bundle {
            true => file.parent().ok_or("no folder")?,
            false => file,
        };
        let new_name = match (bundle, from.extension()) {
            (false, Some(ext)) => format!("{new_slug}.{}", ext.to_string_lossy()),
            _ => new_slug.to_string(),
        };
        let old_stem = match bundle {
            true => from.file_name(),
            false => from.file_stem(),
        };
        Ok(Moved {
            to: from.with_file_name(new_name),
            old_stem: old_stem
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_default(),
            from: from.to_path_buf(),
        })
    }
}

/// How a link or ref that wrote `written` names the page once renamed: the last part's
/// stem replaced, the rest (folders, `.md`, `@/`) kept; a slug or Obsidian file name
/// becomes the new slug.
fn renamed(written: &str, old_stem: &str, old_slug: &str, new_slug: &str) -> String {
    let (folder, last) = written
        .rsplit_once('/')
        .map_or(("", written), |(f, l)| (f, l));
    let (stem, ext) = last
        .rsplit_once('.')
        .filter(|(_, e)| e.eq_ignore_ascii_case("md"))
        .map_or((last, ""), |(s, e)| (s, e));
    let matches = stem == old_stem || stem == old_slug || stem.eq_ignore_ascii_case(old_stem);
    if !matches {
        return new_slug.to_string();
    }
    let folder = if written.contains('/') {
        format!("{folder}/")
    } else {
        String::new()
    };
    let ext = if ext.is_empty() {
        String::new()
    } else {
        format!(".{ext}")
    };
    format!("{folder}{new_slug}{ext}")
}

/// Which part of a link.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Part {
    /// What names the page.
    Page,
    /// What names the heading, after `#`.
    Anchor,
}

/// The page part of what names the target at `m`: a ref's value, or a link's page part.
fn written_page(text: &str, m: Mention) -> Option<Token> {
    if m.is_ref {
        let rest = &text[m.offset..];
        let len = rest
            .find([',', ']', '\n', '"', '\'', ' ', '#'])
            .unwrap_or(rest.len());
        return Some(Token {
            start: m.offset,
            end: m.offset + len,
            text: rest[..len].to_string(),
        });
    }
    link_part(text, m.offset, Part::Page)
}

/// The page or anchor part of the link that starts at byte `at` of `text`.
pub(super) fn link_part(text: &str, at: usize, part: Part) -> Option<Token> {
    let line_end = text[at..].find('\n').map_or(text.len(), |i| at + i);
    let line = &text[at..line_end];
    let (inner_start, ends): (usize, &[char]) =
        if let Some(rest) = line.strip_prefix("![[").or(line.strip_prefix("[[")) {
            (line.len() - rest.len(), &['|', ']'])
        } else {
            (line.find("](")? + 2, &[')', ' '])
        };
    let inner_end = line[inner_start..]
        .find(ends)
        .map_or(line.len(), |i| inner_start + i);
    let inner = &line[inner_start..inner_end];
    let (start, end) = match (part, inner.find('#')) {
        (Part::Page, Some(hash)) => (inner_start, inner_start + hash),
        (Part::Page, None) => (inner_start, inner_end),
        (Part::Anchor, Some(hash)) => (inner_start + hash + 1, inner_end),
        (Part::Anchor, None) => return None,
    };
    Some(Token {
        start: at + start,
        end: at + end,
        text: line[start..end].to_string(),
    })
}

/// The edit that adds the page's current URL path to its `aliases`, so links from
/// elsewhere keep working: into a flow list `aliases: [...]` if there is one, else as a
/// new key at the end of the front matter.
fn alias_edit(text: &str, format: crate::source::MatterFormat, path: &str) -> Option<TextEdit> {
    use crate::source::MatterFormat;
    let split = crate::split_front_matter(text).ok()?;
    let alias = format!("\"/{path}/\"");
    let matter_start = split.matter_offset;
    let matter = split.matter;
    let mut at = matter_start;
    for line in matter.split_inclusive('\n') {
        let key = line.split([':', '=']).next().unwrap_or("").trim();
        if key == "aliases" && !line.starts_with([' ', '\t']) {
            let Some(open) = line.find('[') else {
                // A block list: the new item first, under the key.
                let next = at + line.len();
                return Some(TextEdit::new(
                    range_of(text, next, next),
                    format!("  - {alias}\n"),
                ));
            };
            let inside_empty = line[open + 1..].trim_start().starts_with(']');
            let insert = if inside_empty {
                alias.clone()
            } else {
                format!("{alias}, ")
            };
            let range = range_of(text, at + open + 1, at + open + 1);
            return Some(TextEdit::new(range, insert));
        }
        at += line.len();
    }
    let line = match format {
        MatterFormat::Toml => format!("aliases = [{alias}]\n"),
        MatterFormat::Yaml => format!("aliases: [{alias}]\n"),
        MatterFormat::None => return None,
    };
    let end = matter_start + matter.len();
    let newline = if matter.is_empty() || matter.ends_with('\n') {
        ""
    } else {
        "\n"
    };
    Some(TextEdit::new(
        range_of(text, end, end),
        format!("{newline}{line}"),
    ))
}

/// The edits as one workspace edit: the text edits first (on the files' old names),
/// then the move of `moved` to its new path, if any.
fn workspace_edit(root: &Path, edits: Edits, moved: Option<(&Path, &Path)>) -> WorkspaceEdit {
    let mut operations: Vec<DocumentChangeOperation> = edits
        .into_iter()
        .map(|(file, mut edits)| {
            // Last first is what the protocol asks of no one, but keeps older clients right.
            edits.sort_by(|a, b| {
                (b.range.start.line, b.range.start.character)
                    .cmp(&(a.range.start.line, a.range.start.character))
            });
            DocumentChangeOperation::Edit(TextDocumentEdit {
                text_document: OptionalVersionedTextDocumentIdentifier {
                    uri: uri_of(&root.join(file)),
                    version: None,
                },
                edits: edits.into_iter().map(OneOf::Left).collect(),
            })
        })
        .collect();
    if let Some((from, to)) = moved {
        operations.push(DocumentChangeOperation::Op(ResourceOp::Rename(
            RenameFile {
                old_uri: uri_of(&root.join(from)),
                new_uri: uri_of(&root.join(to)),
                options: Some(RenameFileOptions {
                    overwrite: Some(false),
                    ignore_if_exists: Some(false),
                }),
                annotation_id: None,
            },
        )));
    }
    WorkspaceEdit {
        document_changes: Some(DocumentChanges::Operations(operations)),
        ..Default::default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn written_names_keep_their_form() {
        assert_eq!(renamed("russia", "russia", "russia", "rf"), "rf");
        assert_eq!(
            renamed("members/russia.md", "russia", "russia", "rf"),
            "members/rf.md"
        );
        assert_eq!(
            renamed("@/members/russia.md", "russia", "russia", "rf"),
            "@/members/rf.md"
        );
        assert_eq!(renamed("Russia", "russia", "russia", "rf"), "rf");
    }

    #[test]
    fn parts_of_links() {
        let text = "x [[members/russia#History|R]] y [t](@/a/b.md#top) z";
        let at = text.find("[[").unwrap();
        assert_eq!(
            link_part(text, at, Part::Page).unwrap().text,
            "members/russia"
        );
        assert_eq!(link_part(text, at, Part::Anchor).unwrap().text, "History");
        let at = text.find("[t]").unwrap();
        assert_eq!(link_part(text, at, Part::Page).unwrap().text, "@/a/b.md");
        assert_eq!(link_part(text, at, Part::Anchor).unwrap().text, "top");
    }

    #[test]
    fn the_old_path_becomes_an_alias() {
        use crate::source::MatterFormat;
        let text = "---\ntitle: R\n---\nBody\n";
        let edit = alias_edit(text, MatterFormat::Yaml, "members/russia").unwrap();
        assert_eq!(edit.new_text, "aliases: [\"/members/russia/\"]\n");
        assert_eq!(edit.range.start, lsp_types::Position::new(2, 0));
        let text = "---\ntitle: R\naliases: [/old/]\n---\n";
        let edit = alias_edit(text, MatterFormat::Yaml, "members/russia").unwrap();
        assert_eq!(edit.new_text, "\"/members/russia/\", ");
        assert_eq!(edit.range.start, lsp_types::Position::new(2, 10));
        let text = "---\ntitle: R\naliases:\n  - /old/\n---\n";
        let edit = alias_edit(text, MatterFormat::Yaml, "members/russia").unwrap();
        assert_eq!(edit.new_text, "  - \"/members/russia/\"\n");
        assert_eq!(edit.range.start, lsp_types::Position::new(3, 0));
    }
}
