//! Hover: what a ref or link leads to, what a key means, and on a page's title what
//! points at the page.

use std::fmt::Write as _;
use std::path::Path;

use lsp_types::{Hover, HoverContents, MarkupContent, MarkupKind};

use super::analysis::Analysis;
use super::completion::{field_detail, field_doc, kind_of};
use super::spot::{Spot, Token, spot_at};
use super::text::range_of;
use crate::model::keys::COMMON_KEYS;
use crate::model::{FieldValue, PageId};

/// What to show for byte `offset` of `text`, the source of `file`.
pub(super) fn hover(analysis: &Analysis, file: &Path, text: &str, offset: usize) -> Option<Hover> {
    let spot = spot_at(text, offset);
    if let Some((shown, token)) = super::calls::hover(analysis, &spot) {
        return Some(markdown_hover(text, &token, shown));
    }
    let (shown, token) = match spot {
        Spot::Key(token) if token.text == "title" => (title_hover(analysis, file)?, token),
        Spot::Key(token) => (key_hover(analysis, file, &token.text)?, token),
        Spot::Value { key, value } => (value_hover(analysis, file, &key, &value.text)?, value),
        Spot::LinkPage(_, token) => (
            page_summary(analysis, analysis.find_page(&token.text)?),
            token,
        ),
        Spot::LinkHeading { page, heading, .. } => {
            let target = match page.is_empty() {
                true => analysis.page_of_file(file)?.0,
                false => analysis.find_page(&page)?,
            };
            let page = analysis.site.page(target);
            let found =
                page.body.headings.iter().find(|h| {
                    *h.id == *heading.text || h.title.eq_ignore_ascii_case(&heading.text)
                })?;
            let shown = format!(
                "**{}** (`#{}`) in {}",
                found.title, found.id, page.meta.title
            );
            (shown, heading)
        }
        _ => return None,
    };
    Some(markdown_hover(text, &token, shown))
}

fn markdown_hover(text: &str, token: &Token, value: String) -> Hover {
    Hover {
        contents: HoverContents::Markup(MarkupContent {
            kind: MarkupKind::Markdown,
            value,
        }),
        range: Some(range_of(text, token.start, token.end)),
    }
}

/// A key's declared type, label and description.
fn key_hover(analysis: &Analysis, file: &Path, key: &str) -> Option<String> {
    let (kind, _) = kind_of(analysis, file);
    if let Some((kind, def)) = kind.and_then(|(n, k)| Some((n, k.fields.get(key)?))) {
        let doc = field_doc(def).unwrap_or_default();
        return Some(format!(
            "`{key}`: {} (kind `{kind}`)\n\n{doc}",
            field_detail(def)
        ));
    }
    if let Some(common) = COMMON_KEYS.iter().find(|k| k.name == key) {
        return Some(format!("`{key}`: {}", common.description));
    }
    analysis
        .taxonomies
        .iter()
        .any(|t| t.name == key)
        .then(|| format!("`{key}`: taxonomy; its terms, as a list"))
}

/// On a ref or a link's value: the page it names; on an enum's: the value's label.
fn value_hover(analysis: &Analysis, file: &Path, key: &str, value: &str) -> Option<String> {
    let (kind, _) = kind_of(analysis, file);
    let def = kind.and_then(|(_, k)| k.fields.get(key))?;
    if def.ty.target().is_some() {
        return Some(page_summary(analysis, analysis.find_page(value)?));
    }
    let label = def.ty.value_label(value)?;
    Some(format!("`{value}`: {label}"))
}

/// The page's inverse relations and how many pages link to it.
fn title_hover(analysis: &Analysis, file: &Path) -> Option<String> {
    let (id, page) = analysis.page_of_file(file)?;
    let mut shown = format!("**{}**\n\n", page.meta.title);
    let incoming = &analysis.graph.incoming[id.0];
    let from: std::collections::BTreeSet<usize> = incoming
        .iter()
        .map(|&e| analysis.graph.edges[e].from.0)
        .collect();
    let _ = match from.len() {
        1 => writeln!(shown, "1 page links or refers here."),
        n => writeln!(shown, "{n} pages link or refer here."),
    };
    for (name, pages) in analysis.graph.inverse[id.0].iter() {
        let titles: Vec<&str> = pages
            .iter()
            .map(|p| analysis.site.page(*p).meta.title.as_str())
            .collect();
        let label = match &analysis.config {
            Some(config) => {
                crate::render::labels::inverse_shown(config, page.kind.as_deref(), name)
            }
            None => name.to_string(),
        };
        let _ = writeln!(shown, "\n- {label}: {}", titles.join(", "));
    }
    Some(shown)
}

/// A page's title, kind, summary and fields, in Markdown.
pub(super) fn page_summary(analysis: &Analysis, id: PageId) -> String {
    let page = analysis.site.page(id);
    let mut shown = format!("**{}**", page.meta.title);
    let kind = page.kind.as_deref().and_then(|k| {
        let config = analysis.config.as_ref()?;
        Some((k, config.kinds.get(k)?))
    });
    if let Some((name, def)) = kind {
        let _ = write!(shown, " — {}", def.label.as_deref().unwrap_or(name));
    }
    if let Some(summary) = page.meta.description() {
        let _ = write!(shown, "\n\n{summary}");
    }
    shown.push('\n');
    for (name, value) in &page.fields {
        let label = kind
            .and_then(|(_, def)| def.fields.get(name)?.label.as_deref())
            .unwrap_or(name);
        let _ = write!(shown, "\n- {label}: {}", field_text(value));
    }
    if let Some(file) = &page.file {
        let _ = write!(shown, "\n\n`{}`", file.display());
    }
    shown
}

fn field_text(value: &FieldValue) -> String {
    match value {
        FieldValue::Str(s) | FieldValue::Ref(s) => s.clone(),
        FieldValue::Date(d) => d.to_string(),
        FieldValue::DateRange { start, end } => format!("{start} to {end}"),
        FieldValue::Integer(n) => n.to_string(),
        FieldValue::Bool(b) => b.to_string(),
        FieldValue::List(items) | FieldValue::Refs(items) => items.join(", "),
    }
}
