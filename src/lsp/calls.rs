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
    let named = |token: &Token, names: Vec<(&str, Option<String>)>, kind| {
        let items = names.into_iter().map(|(name, detail)| CompletionItem {
            label: name.to_string(),
            kind: Some(kind),
            detail,
            text_edit: Some(CompletionTextEdit::Edit(TextEdit::new(
                range_of(text, token.start, token.end),
                name.to_string(),
            ))),
            ..Default::default()
        });
        items.collect()
    };
    let config = analysis.config.as_ref();
    Some(match spot {
        Spot::ShortcodeName(token) => {
            let known = analysis.shortcodes.iter().flat_map(|known| known.iter());
            let names = known.map(|(name, s)| (name, s.declaration.description.clone()));
            named(token, names.collect(), CompletionItemKind::FUNCTION)
        }
        Spot::ShortcodeArg { shortcode, arg } => {
            let shortcode = analysis.shortcodes.as_ref()?.get(shortcode)?;
            named(arg, arguments(shortcode), CompletionItemKind::PROPERTY)
        }
        Spot::QueryKey(token) => {
            let keys = crate::query::KEYS.iter().map(|k| (*k, None));
            named(token, keys.collect(), CompletionItemKind::PROPERTY)
        }
        Spot::QueryKind(token) => {
            let kinds = config?
                .kinds
                .iter()
                .map(|(n, def)| (n.as_str(), def.label.clone()));
            named(token, kinds.collect(), CompletionItemKind::CLASS)
        }
        Spot::QueryField { kind, field } => {
            let fields = crate::query::field_names(config?, kind.as_deref()?);
            named(
                field,
                fields.into_iter().map(|f| (f, None)).collect(),
                CompletionItemKind::FIELD,
            )
        }
        _ => return None,
    })
}

/// The arguments `shortcode` declares, each with its type.
fn arguments(shortcode: &Shortcode) -> Vec<(&str, Option<String>)> {
    let declared = shortcode.declaration.args.iter().flatten();
    declared
        .map(|(name, spec)| {
            let required = if spec.required { ", required" } else { "" };
            (
                name.as_str(),
                Some(format!("{}{required}", spec.ty.describe())),
            )
        })
        .collect()
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
