//! Front matter: YAML keys read into a page's common metadata and typed kind fields.

use serde_yaml::{Mapping, Value as Yaml};

use super::fields::{self, FieldError};
use super::page::{Page, Role, SortBy};
use crate::config::{COMMON_KEYS, SiteConfig};
use crate::error::{Diagnostic, ErrorKind, closest};

/// Parses front matter YAML into a mapping; empty front matter is an empty mapping.
pub(super) fn parse_mapping(yaml: &str) -> Result<Mapping, (String, usize)> {
    if let Some(at) = crate::yaml_guard::too_deep(yaml) {
        return Err((
            format!(
                "front matter nests `[` or `{{` more than {} levels deep",
                crate::yaml_guard::MAX_FLOW_DEPTH
            ),
            at,
        ));
    }
    match serde_yaml::from_str::<Yaml>(yaml) {
        Ok(Yaml::Mapping(mut m)) => {
            // `"\x01"` and `"\uFFFE"` are valid YAML escapes for characters no feed may hold.
            m.iter_mut().for_each(|(_, v)| scrub_strings(v));
            Ok(m)
        }
        Ok(Yaml::Null) => Ok(Mapping::new()),
        Ok(other) => Err((
            format!(
                "front matter must be `key: value` lines, found {}",
                fields::yaml_type(&other)
            ),
            0,
        )),
        Err(e) => Err((e.to_string(), e.location().map_or(0, |l| l.index()))),
    }
}

/// Replaces the characters XML 1.0 forbids in every string of `value` (see `source::scrub`).
fn scrub_strings(value: &mut Yaml) {
    match value {
        Yaml::String(s) => {
            if let std::borrow::Cow::Owned(clean) = crate::source::scrub(s) {
                *s = clean;
            }
        }
        Yaml::Sequence(items) => items.iter_mut().for_each(scrub_strings),
        Yaml::Mapping(m) => m.iter_mut().for_each(|(_, v)| scrub_strings(v)),
        Yaml::Tagged(t) => scrub_strings(&mut t.value),
        Yaml::Null | Yaml::Bool(_) | Yaml::Number(_) => {}
    }
}

/// Reads every key of the front matter into `page`, checking kind fields against
/// their declared types; returns all problems found.
pub(super) fn read_front_matter(
    config: &SiteConfig,
    page: &mut Page,
    mapping: Mapping,
) -> Vec<Diagnostic> {
    let mut errors = Vec::new();
    let kind_def = page.kind.as_ref().and_then(|k| config.kinds.get(k));
    let mut title = None;
    for (key, value) in &mapping {
        let Some(key) = key.as_str() else {
            let msg = format!(
                "front matter keys must be strings, found {}",
                fields::yaml_type(key)
            );
            // A number or `true` as a key is usually a typo in a name; point at it if written plainly.
            let d = match fields::scalar_text(key) {
                Some(written) => page.diagnostic_at_key(ErrorKind::Field, msg, &written),
                None => page.diagnostic_at(ErrorKind::Field, msg, page.yaml_offset),
            };
            errors.push(d.hint("keys are field names such as `title:`; put quotes around a key that is meant to be a number"));
            continue;
        };
        // Whether the key itself is wrong (unknown, or not allowed here) rather than its value.
        let mut about_key = false;
        let result = match key {
            "title" => match fields::scalar_text(value) {
                Some(t) if !t.trim().is_empty() => {
                    title = Some(t);
                    Ok(())
                }
                _ => Err(FieldError {
                    message: "`title` must be a non-empty string".into(),
                    hint: "write `title: Your page title`".into(),
                    item: None,
                }),
            },
            "date" => fields::parse_date(value).map(|d| page.meta.date = Some(d)),
            "updated" => fields::parse_date(value).map(|d| page.meta.updated = Some(d)),
            "draft" => as_bool(value).map(|b| page.meta.draft = b),
            "summary" => as_string(value).map(|s| page.meta.summary = Some(s)),
            "template" => as_string(value).map(|s| page.meta.template = Some(s)),
            "slug" if page.role == Role::Section => Err({
                about_key = true;
                FieldError {
                    message: "`slug` cannot rename a section".into(),
                    hint: "rename the section's folder instead".into(),
                    item: None,
                }
            }),
            "slug" => as_string(value).and_then(|s| {
                if super::page::url_slug(&s).is_none() {
                    return Err(FieldError {
                        message: format!("`slug` `{}` {}", s.escape_debug(), super::page::NO_SLUG),
                        hint: "write the last part of the page's URL, e.g. `slug: annual-review`"
                            .into(),
                        item: None,
                    });
                }
                page.meta.slug = Some(s);
                Ok(())
            }),
            "aliases" => fields::parse_string_list(value).and_then(|list| {
                if let Some((alias, bad)) = list
                    .iter()
                    .find_map(|a| alias_path(a).err().map(|bad| (a, bad)))
                {
                    return Err(FieldError {
                        message: format!("alias `{}` {}", alias.escape_debug(), bad.describe()),
                        hint: "an alias is an old URL path of this page below the site, e.g. `old/name`"
                            .into(),
                        item: Some(alias.clone()),
                    });
                }
                page.meta.aliases = list;
                Ok(())
            }),
            "weight" => match value.as_i64() {
                Some(w) => {
                    page.meta.weight = Some(w);
                    Ok(())
                }
                None => Err(FieldError {
                    message: format!(
                        "`weight` must be a whole number, found {}",
                        fields::yaml_type(value)
                    ),
                    hint: "write e.g. `weight: 10`".into(),
                    item: None,
                }),
            },
            "paginate_by" | "sort_by" if page.role == Role::Page => Err({
                about_key = true;
                FieldError {
                    message: format!("`{key}` applies to sections, not to pages"),
                    hint: "set it in the section's _index.md".into(),
                    item: None,
                }
            }),
            "sort_by" => parse_sort_by(value).map(|s| page.meta.sort_by = s),
            "paginate_by" => match value.as_u64().filter(|n| *n > 0) {
                Some(n) => {
                    page.meta.paginate_by = Some(n as usize);
                    Ok(())
                }
                None => Err(FieldError {
                    message: "`paginate_by` must be a whole number above zero".into(),
                    hint: "e.g. `paginate_by: 20` lists twenty pages per listing page".into(),
                    item: None,
                }),
            },
            k if config.taxonomies.iter().any(|t| t == k) => {
                fields::parse_string_list(value).and_then(|terms| {
                    if let Some(term) = terms
                        .iter()
                        .find(|t| crate::taxonomy::term_slug(t).is_none())
                    {
                        return Err(FieldError {
                            message: format!(
                                "the term `{}` {}",
                                term.escape_debug(),
                                super::page::NO_SLUG
                            ),
                            hint: format!("write a word, e.g. `{k}: [exercises]`"),
                            item: Some(term.clone()),
                        });
                    }
                    page.meta.taxonomies.insert(k.to_string(), terms);
                    Ok(())
                })
            }
            k => match kind_def {
                Some(def) => match def.fields.get(k) {
                    Some(field) => fields::convert(field, value).map(|v| {
                        page.fields.insert(k.to_string(), v);
                    }),
                    None => {
                        let kind = page.kind.as_deref().unwrap_or_default();
                        let known = def
                            .fields
                            .keys()
                            .map(String::as_str)
                            .chain(COMMON_KEYS.iter().copied())
                            .chain(config.taxonomies.iter().map(String::as_str));
                        let hint = match closest(k, known) {
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
                        about_key = true;
                        Err(FieldError {
                            message: format!("unknown field `{k}` for a page of kind `{kind}`"),
                            hint,
                            item: None,
                        })
                    }
                },
                None => {
                    let json = serde_json::to_value(value).unwrap_or(serde_json::Value::Null);
                    page.extra.insert(k.to_string(), json);
                    Ok(())
                }
            },
        };
        if let Err(e) = result {
            let message = format!("{}{}", field_prefix(key, &e), e.message);
            let d = if about_key {
                page.diagnostic_at_key(ErrorKind::Field, message, key)
            } else {
                page.diagnostic_at_value(ErrorKind::Field, message, key, e.item.as_deref())
            }
            .hint(e.hint);
            errors.push(d);
        }
    }
    match title {
        Some(t) => page.meta.title = t,
        // A `title:` that is there but not usable was reported above.
        None if mapping.contains_key("title") => {}
        None => errors.push(
            page.diagnostic_at(
                ErrorKind::Field,
                "missing required field `title`".into(),
                page.yaml_offset,
            )
            .hint("add `title: ...` to the front matter"),
        ),
    }
    if let Some(def) = kind_def {
        for (name, field) in def
            .fields
            .iter()
            .filter(|(n, f)| f.required && !mapping.contains_key(n.as_str()))
        {
            let kind = page.kind.as_deref().unwrap_or_default();
            let d = page
                .diagnostic_at(
                    ErrorKind::Field,
                    format!("missing required field `{name}` for a page of kind `{kind}`"),
                    page.yaml_offset,
                )
                .hint(format!("add `{name}:` ({})", field.ty.name()));
            errors.push(d);
        }
    }
    errors
}

/// The output path of an alias as written (`/old/name/` → `old/name`), if it is one.
pub(crate) fn alias_path(written: &str) -> Result<&str, crate::output::path::BadComponent> {
    let path = written.trim_matches('/');
    crate::output::path::check_relative(path).map(|()| path)
}

fn field_prefix(key: &str, e: &FieldError) -> String {
    if e.message.contains(&format!("`{key}`")) {
        String::new()
    } else {
        format!("field `{key}`: ")
    }
}

fn as_bool(v: &Yaml) -> Result<bool, FieldError> {
    v.as_bool().ok_or_else(|| FieldError {
        message: format!("expected true or false, found {}", fields::yaml_type(v)),
        hint: "write `true` or `false` without quotes".into(),
        item: None,
    })
}

fn as_string(v: &Yaml) -> Result<String, FieldError> {
    fields::scalar_text(v).ok_or_else(|| FieldError {
        message: format!("expected a string, found {}", fields::yaml_type(v)),
        hint: "write a plain value or quote it".into(),
        item: None,
    })
}

fn parse_sort_by(v: &Yaml) -> Result<SortBy, FieldError> {
    match v.as_str() {
        Some("weight") => Ok(SortBy::Weight),
        Some("date") => Ok(SortBy::Date),
        Some("title") => Ok(SortBy::Title),
        _ => Err(FieldError {
            message: "`sort_by` must be `weight`, `date` or `title`".into(),
            hint: "e.g. `sort_by: date` lists the newest first".into(),
            item: None,
        }),
    }
}
