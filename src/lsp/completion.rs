//! Completion: front matter keys of the page's kind, enum values, pages of the right kind
//! for refs, taxonomy terms, and pages then their headings inside links.

use std::path::Path;

use lsp_types::{
    CompletionItem, CompletionItemKind, CompletionTextEdit, Documentation, MarkupContent,
    MarkupKind, TextEdit,
};

use super::analysis::Analysis;
use super::spot::{LinkSyntax, Spot, Token, spot_at};
use super::text::range_of;
use crate::config::{FieldDef, FieldType, KindDef};
use crate::model::keys::{Applies, COMMON_KEYS};
use crate::model::{Page, Role};

/// What may be written at byte `offset` of `text`, the source of `file` (relative to
/// the site root).
pub(super) fn complete(
    analysis: &Analysis,
    file: &Path,
    text: &str,
    offset: usize,
) -> Vec<CompletionItem> {
    let spot = spot_at(text, offset);
    if let Some(items) = super::calls::complete(analysis, text, &spot) {
        return items;
    }
    match spot {
        Spot::Key(token) => keys(analysis, file, text)
            .into_iter()
            .map(|(name, detail, doc)| CompletionItem {
                kind: Some(CompletionItemKind::FIELD),
                detail: Some(detail),
                documentation: doc.map(markdown),
                ..replacing(text, &token, name.clone(), format!("{name}: "))
            })
            .collect(),
        Spot::Value { key, value } => values(analysis, file, &key)
            .into_iter()
            .map(|v| CompletionItem {
                kind: Some(v.kind),
                detail: v.detail,
                filter_text: Some(v.insert.clone()),
                ..replacing(text, &value, v.label, v.insert)
            })
            .collect(),
        Spot::LinkPage(syntax, token) => pages(analysis, file, text, syntax, &token),
        Spot::LinkHeading {
            syntax,
            page,
            heading,
        } => {
            let target = match page.is_empty() {
                true => analysis.page_of_file(file).map(|(_, p)| p),
                // The headings of the version in the file's language, which the link reaches.
                false => analysis.find_page(&page).map(|id| {
                    let lang = language_of(analysis, file);
                    let site = &analysis.site;
                    site.page(site.translation(id, lang.as_deref()).unwrap_or(id))
                }),
            };
            target.map_or_else(Vec::new, |t| headings(t, text, syntax, &heading))
        }
        _ => Vec::new(),
    }
}

/// An item shown as `label` that replaces `token` of `text` by `insert`.
fn replacing(text: &str, token: &Token, label: String, insert: String) -> CompletionItem {
    CompletionItem {
        text_edit: Some(CompletionTextEdit::Edit(TextEdit::new(
            range_of(text, token.start, token.end),
            insert,
        ))),
        label,
        ..Default::default()
    }
}

/// The language of the page in `file` (`None`: the default, or no page yet).
fn language_of(analysis: &Analysis, file: &Path) -> Option<String> {
    analysis
        .page_of_file(file)
        .and_then(|(_, p)| p.lang.clone())
}

/// Each page that may be named, with the version a reader of `file` is led to: a
/// translation is named by its original's names, so it is offered once, as the
/// original, but titled in the file's language where it is translated.
fn nameable<'a>(analysis: &'a Analysis, file: &Path) -> impl Iterator<Item = (&'a Page, &'a Page)> {
    let site = &analysis.site;
    let lang = language_of(analysis, file);
    site.iter()
        .filter(|(id, _)| !site.originals.contains_key(id))
        .map(move |(id, page)| {
            let shown = site.translation(id, lang.as_deref()).unwrap_or(id);
            (page, site.page(shown))
        })
}

/// Every page, as a link of `syntax` names it, to replace `token`.
fn pages(
    analysis: &Analysis,
    file: &Path,
    text: &str,
    syntax: LinkSyntax,
    token: &Token,
) -> Vec<CompletionItem> {
    nameable(analysis, file)
        .filter_map(|(page, shown)| {
            let insert = link_name(page, syntax)?;
            let title = &shown.meta.title;
            Some(CompletionItem {
                kind: Some(CompletionItemKind::FILE),
                detail: Some(title.clone()),
                filter_text: Some(format!("{insert} {title}")),
                ..replacing(text, token, insert.clone(), insert)
            })
        })
        .collect()
}

/// The headings of `page`, as a link of `syntax` names them, to replace `token`.
fn headings(page: &Page, text: &str, syntax: LinkSyntax, token: &Token) -> Vec<CompletionItem> {
    page.body
        .headings
        .iter()
        .map(|h| {
            // Obsidian names a heading by its text; `@/` links by its id.
            let insert = match syntax {
                LinkSyntax::Wiki => h.title.to_string(),
                LinkSyntax::At => h.id.to_string(),
            };
            CompletionItem {
                kind: Some(CompletionItemKind::REFERENCE),
                detail: Some(format!("#{}", h.id)),
                filter_text: Some(format!("{} {}", h.title, h.id)),
                ..replacing(text, token, h.title.to_string(), insert)
            }
        })
        .collect()
}

/// How a link of `syntax` names `page`, if it can.
fn link_name(page: &Page, syntax: LinkSyntax) -> Option<String> {
    match syntax {
        LinkSyntax::Wiki => Some(page.slug.clone()).filter(|s| !s.is_empty()),
        LinkSyntax::At => {
            let file = page.file.as_ref()?;
            let below = file.strip_prefix(crate::source::CONTENT_DIR).ok()?;
            Some(format!("@/{}", below.to_string_lossy().replace('\\', "/")))
        }
    }
}

fn markdown(text: String) -> Documentation {
    Documentation::MarkupContent(MarkupContent {
        kind: MarkupKind::Markdown,
        value: text,
    })
}

/// The kind of the page in `file`, and whether it is a section page.
pub(super) fn kind_of<'a>(
    analysis: &'a Analysis,
    file: &Path,
) -> (Option<(&'a str, &'a KindDef)>, bool) {
    let Some(config) = &analysis.config else {
        return (None, false);
    };
    if let Some((_, page)) = analysis.page_of_file(file) {
        let kind = page
            .kind
            .as_deref()
            .and_then(|k| config.kinds.get_key_value(k));
        return (
            kind.map(|(n, k)| (n.as_str(), k)),
            page.role == Role::Section,
        );
    }
    // A page not in the site (a draft, or one that does not load yet): by its folder.
    let below = file
        .strip_prefix(crate::source::CONTENT_DIR)
        .unwrap_or(file);
    let is_section = below
        .file_stem()
        .is_some_and(|s| s.to_string_lossy() == "_index");
    let section: Vec<String> = below
        .parent()
        .into_iter()
        .flat_map(|p| p.iter())
        .map(|c| c.to_string_lossy().into_owned())
        .collect();
    match is_section {
        true => (None, true),
        false => (config.kind_for_section(&section.join("/")), false),
    }
}

/// The keys a page in `file` may set and does not yet: (name, detail, documentation).
fn keys(analysis: &Analysis, file: &Path, text: &str) -> Vec<(String, String, Option<String>)> {
    let written: Vec<&str> = crate::split_front_matter(text)
        .map(|s| {
            s.matter
                .lines()
                .filter(|l| !l.starts_with([' ', '\t', '-', '#']))
                .filter_map(|l| l.split([':', '=']).next())
                .map(str::trim)
                .collect()
        })
        .unwrap_or_default();
    let (kind, is_section) = kind_of(analysis, file);
    let mut keys = Vec::new();
    for (name, def) in kind.iter().flat_map(|(_, k)| &k.fields) {
        keys.push((name.clone(), field_detail(def), field_doc(def)));
    }
    for key in COMMON_KEYS {
        let applies = match key.applies {
            Applies::Everywhere => true,
            Applies::PagesOnly(_) => !is_section,
            Applies::SectionsOnly => is_section,
        };
        if applies {
            keys.push((
                key.name.into(),
                "common key".into(),
                Some(key.description.into()),
            ));
        }
    }
    for taxonomy in &analysis.taxonomies {
        let detail = "taxonomy: terms, as a list".to_string();
        keys.push((taxonomy.name.clone(), detail, None));
    }
    keys.retain(|(name, ..)| !written.contains(&name.as_str()));
    keys
}

/// `type — label`, as completion and hover show a field.
pub(super) fn field_detail(def: &FieldDef) -> String {
    let required = if def.required { ", required" } else { "" };
    match &def.label {
        Some(label) => format!("{}{required} — {label}", def.ty.name()),
        None => format!("{}{required}", def.ty.name()),
    }
}

/// What a field is and what its values look like, in Markdown.
pub(super) fn field_doc(def: &FieldDef) -> Option<String> {
    let shape = format!("Value: {}.", def.ty.shape());
    Some(match &def.description {
        Some(description) => format!("{description}\n\n{shape}"),
        None => shape,
    })
}

/// One value offered for a key.
struct Value {
    label: String,
    insert: String,
    detail: Option<String>,
    kind: CompletionItemKind,
}

/// The values `key` may take on the page in `file`.
fn values(analysis: &Analysis, file: &Path, key: &str) -> Vec<Value> {
    // The terms in use in the file's language: each language has its own.
    let lang = language_of(analysis, file);
    let taxonomy = analysis.taxonomies.iter();
    if let Some(taxonomy) = taxonomy.filter(|t| t.lang == lang).find(|t| t.name == key) {
        return taxonomy
            .terms
            .iter()
            .map(|term| Value {
                label: term.name.clone(),
                insert: term.name.clone(),
                detail: Some(format!("{} pages", term.pages.len())),
                kind: CompletionItemKind::VALUE,
            })
            .collect();
    }
    let (kind, _) = kind_of(analysis, file);
    let Some(def) = kind.and_then(|(_, k)| k.fields.get(key)) else {
        return match key {
            "draft" | "headless" => booleans(),
            _ => Vec::new(),
        };
    };
    match &def.ty {
        FieldType::Enum { values, labels } => values
            .iter()
            .map(|v| Value {
                label: v.clone(),
                insert: v.clone(),
                detail: labels.get(v).cloned(),
                kind: CompletionItemKind::ENUM_MEMBER,
            })
            .collect(),
        FieldType::Bool => booleans(),
        FieldType::Ref(target) | FieldType::Refs(target) => nameable(analysis, file)
            .filter(|(p, _)| {
                p.role == Role::Page && p.kind.as_deref() == Some(target.kind.as_str())
            })
            .map(|(p, shown)| Value {
                // The title shows, in the file's language; the slug is what is written.
                label: shown.meta.title.clone(),
                insert: p.slug.clone(),
                detail: Some(format!("{} · {}", p.slug, target.kind)),
                kind: CompletionItemKind::REFERENCE,
            })
            .collect(),
        _ => Vec::new(),
    }
}

fn booleans() -> Vec<Value> {
    ["true", "false"]
        .map(|b| Value {
            label: b.into(),
            insert: b.into(),
            detail: None,
            kind: CompletionItemKind::VALUE,
        })
        .into()
}
