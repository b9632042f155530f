//! What pages call: shortcodes (completion of names and arguments, hover, the template as
//! definition) and query blocks (completion of keys, kinds and fields).

use std::fmt::Write as _;
use std::path::Path;

use lsp_types::{
    CompletionItem, CompletionItemKind, CompletionTextEdit, Location, Range, TextEdit,
};

use super::analysis::Analysis;
use super::spot::{Spot, Token};
use super::text::{range_of, uri_of};
use crate::shortcodes::Shortcode;

/// Completion items for a spot in a call; `None` if the spot is not in one.
pub(super) fn complete(
    analysis: &Analysis,
    text: &str,
    spot: &Spot,
) -> Option<Vec<CompletionItem>> {
    let item = |token: &Token, label: &str, detail: Option<String>, kind| CompletionItem {
        label: label.to_string(),
        kind: Some(kind),
        detail,
        text_edit: Some(CompletionTextEdit::Edit(TextEdit::new(
            range_of(text, token.start, token.end),
            label.to_string(),
        ))),
        ..Default::default()
    };
    let items = match spot {
        Spot::ShortcodeName(token) => analysis
            .shortcodes
            .iter()
            .flat_map(|known| known.iter())
            .map(|(name, s)| {
                item(
                    token,
                    name,
                    s.declaration.description.clone(),
                    CompletionItemKind::FUNCTION,
                )
            })
            .collect(),
        Spot::ShortcodeArg { shortcode, arg } => {
            let declared = analysis
                .shortcodes
                .as_ref()?
                .get(shortcode)?
                .declaration
                .args
                .as_ref()?;
            declared
                .iter()
                .map(|(name, spec)| {
                    let required = if spec.required { ", required" } else { "" };
                    let detail = format!("{}{required}", spec.ty.describe());
                    item(arg, name, Some(detail), CompletionItemKind::PROPERTY)
                })
                .collect()
        }
        Spot::QueryKey(token) => crate::query::KEYS
            .iter()
            .map(|key| item(token, key, None, CompletionItemKind::PROPERTY))
            .collect(),
        Spot::QueryKind(token) => {
            let config = analysis.config.as_ref()?;
            config
                .kinds
                .iter()
                .map(|(name, def)| item(token, name, def.label.clone(), CompletionItemKind::CLASS))
                .collect()
        }
        Spot::QueryField { kind, field } => {
            let config = analysis.config.as_ref()?;
            crate::query::field_names(config, kind.as_deref()?)
                .into_iter()
                .map(|name| item(field, name, None, CompletionItemKind::FIELD))
                .collect()
        }
        _ => return None,
    };
    Some(items)
}

/// What a shortcode does and takes, in Markdown.
pub(super) fn hover(analysis: &Analysis, spot: &Spot) -> Option<(String, Token)> {
    let Spot::ShortcodeName(token) = spot else {
        return None;
    };
    let shortcode = analysis.shortcodes.as_ref()?.get(&token.text)?;
    Some((describe(&token.text, shortcode), token.clone()))
}

fn describe(name: &str, shortcode: &Shortcode) -> String {
    let mut shown = format!("**{name}** (shortcode, `{}`)", shortcode.template);
    if let Some(description) = &shortcode.declaration.description {
        let _ = write!(shown, "\n\n{description}");
    }
    for (arg, spec) in shortcode.declaration.args.iter().flatten() {
        let required = if spec.required { ", required" } else { "" };
        let _ = write!(shown, "\n- `{arg}`: {}{required}", spec.ty.describe());
        if let Some(doc) = &spec.doc {
            let _ = write!(shown, " — {doc}");
        }
    }
    shown
}

/// The template of the shortcode named at `spot`.
pub(super) fn definition(analysis: &Analysis, root: &Path, spot: &Spot) -> Option<Location> {
    let Spot::ShortcodeName(token) = spot else {
        return None;
    };
    let template = &analysis.shortcodes.as_ref()?.get(&token.text)?.template;
    let file = analysis.template_files.get(template)?;
    Some(Location::new(uri_of(&root.join(file)), Range::default()))
}
