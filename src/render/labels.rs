//! What readers see as the name of a kind, an enum value or an inverse relation:
//! site.yaml's label (in the reader's language where `languages:` gives one), else the
//! name as words.

use crate::config::SiteConfig;

/// The human label of a page's kind.
pub(crate) fn kind_label<'a>(config: &'a SiteConfig, kind: &'a str) -> &'a str {
    config
        .kinds
        .get(kind)
        .and_then(|k| k.label.as_deref())
        .unwrap_or(kind)
}

/// The label of kind `kind` for readers of language `lang`: `languages:`'s, else the
/// kind's own.
pub(crate) fn kind_label_in<'a>(
    config: &'a SiteConfig,
    lang: Option<&str>,
    kind: &'a str,
) -> &'a str {
    config
        .label_in(lang, kind)
        .unwrap_or_else(|| kind_label(config, kind))
}

/// What readers see for enum value `value` of a field of type `ty`: its label in
/// site.yaml, else the value as words.
pub(crate) fn enum_shown(ty: &crate::config::FieldType, value: &str) -> String {
    ty.value_label(value)
        .map_or_else(|| humanize(value), str::to_string)
}

/// What readers see as the name of inverse relation `name` on a page of kind `kind`.
pub(crate) fn inverse_shown(config: &SiteConfig, kind: Option<&str>, name: &str) -> String {
    kind.and_then(|k| config.inverse_label(k, name))
        .map_or_else(|| humanize(name), str::to_string)
}

/// [`inverse_shown`] for readers of language `lang`: `languages:`'s label first.
pub(crate) fn inverse_shown_in(
    config: &SiteConfig,
    lang: Option<&str>,
    kind: Option<&str>,
    name: &str,
) -> String {
    kind.and_then(|k| config.label_in(lang, &format!("{k}.{name}")))
        .map_or_else(|| inverse_shown(config, kind, name), str::to_string)
}

/// `drill_participants` → `Drill participants`.
pub(crate) fn humanize(name: &str) -> String {
    let words = name.replace(['_', '-'], " ");
    let mut chars = words.chars();
    chars
        .next()
        .map_or(String::new(), |c| c.to_uppercase().chain(chars).collect())
}
