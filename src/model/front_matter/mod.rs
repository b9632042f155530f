//! Front matter: YAML keys read into a page's common metadata and typed kind fields
//! (the text made a mapping first by `parse.rs`).

use serde_yaml::{Mapping, Value as Yaml};

use super::fields::{self, FieldError};
use super::keys::{Applies, COMMON_KEYS, FOREIGN_KEYS, common_key};
use super::page::{Page, Role};
use crate::config::SiteConfig;
use crate::error::{Diagnostic, ErrorKind, closest};

mod parse;
pub(super) use parse::parse;

/// Reads every key of the front matter into `page`, checking kind fields against
/// their declared types; returns all problems found.
pub(super) fn read_front_matter(
    config: &SiteConfig,
    page: &mut Page,
    mapping: Mapping,
) -> Vec<Diagnostic> {
    let mut errors = Vec::new();
    let kind_def = page.kind.as_ref().and_then(|k| config.kinds.get(k));
    for (key, value) in &mapping {
        let Some(key) = key.as_str() else {
            errors.push(key_not_a_string(page, key));
            continue;
        };
        if let Err(e) = read_entry(config, page, kind_def, key, value) {
            errors.push(misplaced_at(page, key, e));
        }
    }
    // A `title:` that is there but not usable was reported above. Pages of no kind
    // take their title from their first heading or file name (see `page_load::load`).
    if !mapping.contains_key("title") && kind_def.is_some() {
        errors.push(
            page.diagnostic_at(
                ErrorKind::Field,
                "missing required field `title`".into(),
                page.matter_offset,
            )
            .hint("add `title: ...` to the front matter"),
        );
    }
    if kind_def.is_none() && !page.meta.seldom().inferred.is_empty() && page.role == Role::Page {
        // Without declared fields it would mark nothing, silently.
        errors.push(
            page.diagnostic_at_key(
                ErrorKind::Field,
                "`inferred` marks declared fields, and this page has no kind".into(),
                "inferred",
            )
            .hint("say in the text what is inferred, with the `inferred` shortcode"),
        );
    }
    if let Some(def) = kind_def {
        errors.extend(unknown_inferred(page, def));
        errors.extend(missing_required(page, def, &mapping));
    }
    errors
}

/// The error of a key that is no string (`7:`, `true:`), at the key if written plainly.
fn key_not_a_string(page: &Page, key: &Yaml) -> Diagnostic {
    let msg = format!(
        "front matter keys must be strings, found {}",
        fields::yaml_type(key)
    );
    // A number or `true` as a key is usually a typo in a name; point at it if written plainly.
    let d = match fields::scalar_text(key) {
        Some(written) => page.diagnostic_at_key(ErrorKind::Field, msg, &written),
        None => page.diagnostic_at(ErrorKind::Field, msg, page.matter_offset),
    };
    d.hint("keys are field names such as `title:`; put quotes around a key that is meant to be a number")
}

/// Reads the entry `key: value` into `page`: a common key, a taxonomy's terms, a field
/// of its kind (`kind_def`), or, on a page of no kind, an `extra` value.
fn read_entry(
    config: &SiteConfig,
    page: &mut Page,
    kind_def: Option<&crate::config::KindDef>,
    key: &str,
    value: &Yaml,
) -> Result<(), Misplaced> {
    match common_key(key) {
        Some(common) => match (common.applies, page.role) {
            (Applies::PagesOnly(hint), Role::Section) => Err(Misplaced::Key(FieldError::new(
                format!("`{key}` applies to pages, not to sections"),
                hint,
            ))),
            (Applies::SectionsOnly, Role::Page) => Err(Misplaced::Key(FieldError::new(
                format!("`{key}` applies to sections, not to pages"),
                "set it in the section's _index.md",
            ))),
            _ => (common.read)(value, &mut page.meta).map_err(Misplaced::Value),
        },
        None if config.taxonomies.iter().any(|t| t == key) => {
            read_terms(key, value, &mut page.meta).map_err(Misplaced::Value)
        }
        // Zola writes terms in a table: `[taxonomies] tags = ["a"]`.
        None if key == "taxonomies" => read_taxonomies_table(config, value, &mut page.meta),
        None if let Some((_, hint)) = FOREIGN_KEYS.iter().find(|(k, _)| *k == key) => {
            Err(Misplaced::Key(FieldError::new(
                format!("`{key}` is another tool's key; muster does not read it"),
                *hint,
            )))
        }
        None => match kind_def {
            Some(def) => match def.fields.get(key) {
                // An empty value is no value (`sources: []`); a required one is reported below.
                Some(_) if is_empty(value) => Ok(()),
                Some(field) => fields::convert(field, value)
                    .map(|v| {
                        page.fields.insert(key.to_string(), v);
                    })
                    .map_err(Misplaced::Value),
                None => Err(Misplaced::Key(unknown_field(config, page, def, key))),
            },
            None => match near_miss(config, key) {
                // `draftt`, `sortby`, `titel`: a common key misspelt would be lost silently.
                Some(meant) => Err(Misplaced::Key(FieldError::new(
                    format!("unknown key `{key}`"),
                    format!(
                        "did you mean `{meant}`? (other keys of a page without a kind are kept as `page.extra`)"
                    ),
                ))),
                None => {
                    let json = serde_json::to_value(value).unwrap_or(serde_json::Value::Null);
                    page.meta.extra.insert(key.to_string(), json);
                    Ok(())
                }
            },
        },
    }
}

/// The error of the entry `key`, at its key or at its value.
fn misplaced_at(page: &Page, key: &str, misplaced: Misplaced) -> Diagnostic {
    match misplaced {
        Misplaced::Key(e) => {
            let message = format!("{}{}", field_prefix(key, &e), e.message);
            page.diagnostic_at_key(ErrorKind::Field, message, key)
                .hint(e.hint)
        }
        Misplaced::Value(e) => {
            let message = format!("{}{}", field_prefix(key, &e), e.message);
            page.diagnostic_at_value(ErrorKind::Field, message, key, e.item.as_deref())
                .hint(e.hint)
        }
    }
}

/// The required fields of kind `def` that `mapping` leaves out or leaves empty.
fn missing_required(
    page: &Page,
    def: &crate::config::KindDef,
    mapping: &Mapping,
) -> Vec<Diagnostic> {
    let mut errors = Vec::new();
    // A misspelt key is reported with "did you mean" the field: the field it meant is
    // not also reported missing (one cause, one error). Looked for only when a field is
    // missing: most pages have every field they need.
    let misspelt = std::cell::OnceCell::new();
    let misspelt = || {
        misspelt.get_or_init(|| {
            mapping
                .keys()
                .filter_map(|k| k.as_str())
                .filter(|k| !def.fields.contains_key(*k) && common_key(k).is_none())
                .filter_map(|k| closest(k, def.fields.keys().map(String::as_str)))
                .collect::<Vec<&str>>()
        })
    };
    for (name, field) in def.fields.iter().filter(|(_, f)| f.required) {
        match mapping.get(name.as_str()) {
            None if misspelt().contains(&name.as_str()) => continue,
            None => {}
            // Present but empty (`sources: []`, `host: ""`) is not there either.
            Some(v) if is_empty(v) => {
                errors.push(
                    page.diagnostic_at_value(
                        ErrorKind::Field,
                        format!("required field `{name}` is empty"),
                        name,
                        None,
                    )
                    .hint(format!("give `{name}:` {}", field.ty.shape()))
                    .naming_targets_of(&field.ty),
                );
                continue;
            }
            Some(_) => continue,
        }
        let kind = page.kind.as_deref().unwrap_or_default();
        let d = page
            .diagnostic_at(
                ErrorKind::Field,
                format!("missing required field `{name}` for a page of kind `{kind}`"),
                page.matter_offset,
            )
            .hint(format!("add `{name}:` with {}", field.ty.shape()))
            .naming_targets_of(&field.ty);
        errors.push(d);
    }
    errors
}

/// Whether a value says nothing: null, an empty string, list or mapping.
fn is_empty(v: &Yaml) -> bool {
    match v {
        Yaml::Null => true,
        Yaml::String(s) => s.trim().is_empty(),
        Yaml::Sequence(items) => items.is_empty(),
        Yaml::Mapping(m) => m.is_empty(),
        _ => false,
    }
}

/// Keys writers bring from Hugo and Zola sites that are no typo of muster's, however
/// close they look (`author` is not `authors` misspelt).
const KNOWN_EXTRAS: &[&str] = &[
    "author",
    "authors",
    "categories",
    "keywords",
    "lastmod",
    "publishDate",
    "expiryDate",
    "images",
    "image",
    "layout",
    "type",
    "series",
    "toc",
    "params",
    "linkTitle",
    "tag",
];

/// The common key or taxonomy `key` is probably a misspelling of, on a page of no kind.
fn near_miss<'c>(config: &'c SiteConfig, key: &str) -> Option<&'c str> {
    if KNOWN_EXTRAS.contains(&key) {
        return None;
    }
    let known = COMMON_KEYS
        .iter()
        .map(|k| k.name)
        .chain(config.taxonomies.iter().map(String::as_str));
    closest(key, known).filter(|meant| *meant != key)
}

/// Zola's `[taxonomies]` table: the terms of each taxonomy site.yaml declares.
fn read_taxonomies_table(
    config: &SiteConfig,
    value: &Yaml,
    meta: &mut super::Meta,
) -> Result<(), Misplaced> {
    let Yaml::Mapping(table) = value else {
        return Err(Misplaced::Value(FieldError::new(
            format!(
                "`taxonomies` must be a mapping, found {}",
                fields::yaml_type(value)
            ),
            "write `taxonomies:` with indented `tags: [a, b]` lines (Zola's `[taxonomies]` table)",
        )));
    };
    for (name, terms) in table {
        let name = name.as_str().unwrap_or_default();
        if !config.taxonomies.iter().any(|t| t == name) {
            return Err(Misplaced::Value(FieldError {
                item: Some(name.to_string()),
                ..FieldError::new(
                    format!("`{name}` is not a taxonomy of this site"),
                    format!(
                        "declare it in site.yaml (`taxonomies: [{}]`), or remove it",
                        config
                            .taxonomies
                            .iter()
                            .map(String::as_str)
                            .chain([name])
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                )
            }));
        }
        read_terms(name, terms, meta).map_err(Misplaced::Value)?;
    }
    Ok(())
}

/// What is wrong with a front matter entry: its key, or its value.
enum Misplaced {
    /// The key is unknown, or not allowed on this page: the error points at the key.
    Key(FieldError),
    /// The value does not fit: the error points at it.
    Value(FieldError),
}

/// Reads the terms of taxonomy `name`; a term with nothing to make a URL from is refused.
fn read_terms(name: &str, value: &Yaml, meta: &mut super::Meta) -> Result<(), FieldError> {
    let terms = fields::parse_string_list(value)?;
    if let Some(term) = terms
        .iter()
        .find(|t| crate::taxonomy::term_slug(t).is_none())
    {
        return Err(FieldError {
            item: Some(term.clone()),
            ..FieldError::new(
                format!(
                    "the term `{}` {}",
                    term.escape_debug(),
                    super::page::NO_SLUG
                ),
                format!("write a word, e.g. `{name}: [exercises]`"),
            )
        });
    }
    meta.taxonomies.insert(name.to_string(), terms);
    Ok(())
}

/// Errors for the names under `inferred:` that are no field of the page's kind, or
/// fields the page leaves empty.
fn unknown_inferred(page: &Page, def: &crate::config::KindDef) -> Vec<Diagnostic> {
    page.meta
        .seldom()
        .inferred
        .keys()
        .filter(|name| !page.fields.contains_key(name.as_str()))
        .map(|name| {
            let fields = def.fields.keys().map(String::as_str);
            let hint = if def.fields.contains_key(name.as_str()) {
                format!("give `{name}:` a value, or remove it from `inferred`")
            } else if let Some(meant) = closest(name, fields.clone()) {
                format!("did you mean `{meant}`?")
            } else {
                let kind = page.kind.as_deref().unwrap_or_default();
                format!(
                    "fields of kind {kind}: {}",
                    fields.collect::<Vec<_>>().join(", ")
                )
            };
            page.diagnostic_at_value(
                ErrorKind::Field,
                format!("`inferred` names `{name}`, which the page has no value for"),
                "inferred",
                Some(name),
            )
            .hint(hint)
        })
        .collect()
}

/// The error for `key`, which the page's kind does not declare.
fn unknown_field(
    config: &SiteConfig,
    page: &Page,
    def: &crate::config::KindDef,
    key: &str,
) -> FieldError {
    let kind = page.kind.as_deref().unwrap_or_default();
    let known = def
        .fields
        .keys()
        .map(String::as_str)
        .chain(COMMON_KEYS.iter().map(|k| k.name))
        .chain(config.taxonomies.iter().map(String::as_str));
    let hint = match closest(key, known) {
        Some(c) => format!("did you mean `{c}`?"),
        None => format!(
            "fields of kind {kind}: {}",
            def.fields
                .keys()
                .map(String::as_str)
                .collect::<Vec<_>>()
                .join(", ")
        ),
    };
    FieldError::new(
        format!("unknown field `{key}` for a page of kind `{kind}`"),
        hint,
    )
}

fn field_prefix(key: &str, e: &FieldError) -> String {
    if e.message.contains(&format!("`{key}`")) {
        String::new()
    } else {
        format!("field `{key}`: ")
    }
}
