//! The front matter keys every page understands, whatever its kind: one table that the
//! front matter reader, site.yaml's check of field names, and the JSON Schemas of
//! `muster schema` all read. Adding a key is a field of [`Meta`] and an entry here.

use serde_json::{Value, json};
use serde_yaml::Value as Yaml;

use super::dates::PageDate;
use super::fields::{self, FieldError, parse_string_list, scalar_text, yaml_type};
use super::page::{Meta, SortBy};
use crate::schema::{list_schema, text_schema};

/// Which pages may set a key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Applies {
    /// Pages and sections.
    Everywhere,
    /// Regular pages only; the hint says what to do in a section instead.
    PagesOnly(&'static str),
    /// Sections (`_index.md`) only.
    SectionsOnly,
}

/// One common front matter key.
#[derive(Debug, Clone, Copy)]
pub(crate) struct CommonKey {
    /// The key as written.
    pub name: &'static str,
    /// Which pages may set it.
    pub applies: Applies,
    /// Reads a value into the page's metadata, or says why it does not fit.
    pub read: fn(&Yaml, &mut Meta) -> Result<(), FieldError>,
    /// Its JSON Schema, without the description.
    pub schema: fn() -> Value,
    /// What it does, for the schema and the writer's guide.
    pub description: &'static str,
}

/// Every common key, in the order the writer's guide lists them.
pub(crate) const COMMON_KEYS: &[CommonKey] = &[
    CommonKey {
        name: "title",
        applies: Applies::Everywhere,
        read: |v, meta| match scalar_text(v) {
            Some(t) if !t.trim().is_empty() => {
                meta.title = t;
                Ok(())
            }
            _ => Err(FieldError::new(
                "`title` must be a non-empty string",
                "write `title: Your page title`",
            )),
        },
        schema: || json!({"type": ["string", "number"], "minLength": 1}),
        description: "The page's title (required)",
    },
    CommonKey {
        name: "date",
        applies: Applies::Everywhere,
        read: |v, meta| read_page_date(v).map(|d| meta.date = Some(d)),
        schema: date_time_schema,
        description: "The page's date, YYYY-MM-DD, with a time if you like (2024-09-26T10:00:00+03:00)",
    },
    CommonKey {
        name: "updated",
        applies: Applies::Everywhere,
        read: |v, meta| read_page_date(v).map(|d| meta.updated = Some(d)),
        schema: date_time_schema,
        description: "When the page last changed, YYYY-MM-DD, with a time if you like",
    },
    CommonKey {
        name: "lastmod",
        applies: Applies::Everywhere,
        read: |v, meta| read_page_date(v).map(|d| meta.updated = Some(d)),
        schema: date_time_schema,
        description: "Hugo's name for `updated`",
    },
    CommonKey {
        name: "draft",
        applies: Applies::Everywhere,
        read: |v, meta| as_bool(v).map(|b| meta.draft = b),
        schema: || json!({"type": "boolean"}),
        description: "Left out of `muster build` unless --drafts",
    },
    CommonKey {
        name: "summary",
        applies: Applies::Everywhere,
        read: |v, meta| as_string(v).map(|s| meta.summary = Some(s)),
        schema: text_schema,
        description: "A summary for listings, instead of the first paragraph",
    },
    CommonKey {
        name: "description",
        applies: Applies::Everywhere,
        read: |v, meta| as_string(v).map(|s| meta.description = Some(s)),
        schema: text_schema,
        description: "A description (Zola, Hugo): the summary when `summary` is not given",
    },
    CommonKey {
        name: "weight",
        applies: Applies::Everywhere,
        read: |v, meta| match v.as_i64() {
            Some(w) => {
                meta.seldom_mut().weight = Some(w);
                Ok(())
            }
            None => Err(FieldError::new(
                format!("`weight` must be a whole number, found {}", yaml_type(v)),
                "write e.g. `weight: 10`",
            )),
        },
        schema: || json!({"type": "integer"}),
        description: "Order in listings sorted by weight (lower first)",
    },
    CommonKey {
        name: "aliases",
        applies: Applies::Everywhere,
        read: |v, meta| {
            let list = parse_string_list(v)?;
            if let Some((alias, bad)) = list
                .iter()
                .find_map(|a| alias_path(a).err().map(|bad| (a, bad)))
            {
                return Err(FieldError {
                    item: Some(alias.clone()),
                    ..FieldError::new(
                        format!("alias `{}` {}", alias.escape_debug(), bad.describe()),
                        "an alias is an old URL path of this page below the site, e.g. `old/name`",
                    )
                });
            }
            meta.seldom_mut().aliases = list;
            Ok(())
        },
        schema: list_schema,
        description: "Old URL paths that redirect here",
    },
    CommonKey {
        name: "translated_from",
        applies: Applies::Everywhere,
        read: |v, meta| match scalar_text(v) {
            Some(t) if crate::translations::is_version(&t) => {
                meta.seldom_mut().translated_from = Some(t);
                Ok(())
            }
            _ => Err(FieldError::new(
                "`translated_from` must be the version of the original as `muster translations --mark` writes it",
                "run `muster translations --mark <this file>` once the translation matches its original",
            )),
        },
        schema: || json!({"type": "string", "pattern": "^[0-9a-f]{16}$"}),
        description: "In a translation: the version of its original it was made from, written by `muster translations --mark`",
    },
    CommonKey {
        name: "template",
        applies: Applies::Everywhere,
        read: |v, meta| as_string(v).map(|s| meta.seldom_mut().template = Some(s)),
        schema: || json!({"type": "string"}),
        description: "A template to render this page with",
    },
    CommonKey {
        name: "slug",
        applies: Applies::PagesOnly("rename the section's folder instead"),
        read: |v, meta| {
            let s = as_string(v)?;
            if super::page::url_slug(&s).is_none() {
                return Err(FieldError::new(
                    format!("`slug` `{}` {}", s.escape_debug(), super::page::NO_SLUG),
                    "write the last part of the page's URL, e.g. `slug: annual-review`",
                ));
            }
            meta.seldom_mut().slug = Some(s);
            Ok(())
        },
        schema: || json!({"type": "string", "minLength": 1}),
        description: "The last part of the page's URL",
    },
    CommonKey {
        name: "inferred",
        applies: Applies::PagesOnly("mark inferred fields on the pages that have them"),
        read: read_inferred,
        schema: || json!({"type": "object", "additionalProperties": {"type": "string", "minLength": 1}}),
        description: "Fields whose values are inferred, not stated by the sources, each with what from: `{ dates: \"the year, from the drill's name\" }`",
    },
    CommonKey {
        name: "headless",
        applies: Applies::Everywhere,
        read: |v, meta| as_bool(v).map(|b| meta.headless = b),
        schema: || json!({"type": "boolean"}),
        description: "Not published: no page, not listed, links to it are errors (on a section: all its pages)",
    },
    CommonKey {
        name: "render",
        applies: Applies::Everywhere,
        read: |v, meta| as_bool(v).map(|b| meta.headless |= !b),
        schema: || json!({"type": "boolean"}),
        description: "Zola's `render = false`: the same as `headless: true`",
    },
    CommonKey {
        name: "build",
        applies: Applies::Everywhere,
        read: read_hugo_build,
        schema: || json!({"type": "object"}),
        description: "Hugo's build options: `render: never` is `headless: true`",
    },
    CommonKey {
        name: "_build",
        applies: Applies::Everywhere,
        read: read_hugo_build,
        schema: || json!({"type": "object"}),
        description: "Hugo's build options (older name): `render: never` is `headless: true`",
    },
    CommonKey {
        name: "extra",
        applies: Applies::Everywhere,
        read: |v, meta| read_extra(v, meta, "extra", "Zola's `[extra]` table"),
        schema: || json!({"type": "object"}),
        description: "Free keys for templates (Zola's `[extra]`), as `page.extra`",
    },
    CommonKey {
        name: "params",
        applies: Applies::Everywhere,
        read: |v, meta| read_extra(v, meta, "params", "Hugo's params"),
        schema: || json!({"type": "object"}),
        description: "Hugo's name for `extra`",
    },
    CommonKey {
        name: "sort_by",
        applies: Applies::SectionsOnly,
        read: |v, meta| {
            meta.seldom_mut().sort_by = match v.as_str() {
                Some("weight") => SortBy::Weight,
                Some("date") => SortBy::Date,
                Some("title") => SortBy::Title,
                _ => {
                    return Err(FieldError::new(
                        "`sort_by` must be `weight`, `date` or `title`",
                        "e.g. `sort_by: date` lists the newest first",
                    ));
                }
            };
            Ok(())
        },
        schema: || json!({"enum": ["weight", "date", "title"]}),
        description: "For sections: the order of their pages",
    },
    CommonKey {
        name: "paginate_by",
        applies: Applies::SectionsOnly,
        read: |v, meta| match v.as_u64().filter(|n| *n > 0) {
            Some(n) => {
                meta.seldom_mut().paginate_by = Some(usize::try_from(n).unwrap_or(usize::MAX));
                Ok(())
            }
            None => Err(FieldError::new(
                "`paginate_by` must be a whole number above zero",
                "e.g. `paginate_by: 20` lists twenty pages per listing page",
            )),
        },
        schema: || json!({"type": "integer", "minimum": 1}),
        description: "For sections: how many pages one listing page shows",
    },
];

/// Keys other tools give a meaning muster does not have: a page that sets one would
/// render otherwise than its writer expects, so it is an error naming muster's way.
pub(crate) const FOREIGN_KEYS: &[(&str, &str)] = &[
    (
        "redirect_to",
        "muster has no `redirect_to`: give the page this one should lead to `aliases: [<this page's path>]`",
    ),
    (
        "url",
        "muster takes a page's URL from its folder and file name: set `slug:` for the last part, and keep an old URL working with `aliases:`",
    ),
    (
        "path",
        "muster takes a page's URL from its folder and file name: set `slug:` for the last part, and keep an old URL working with `aliases:`",
    ),
    (
        "page_template",
        "muster picks each page's template by its kind (templates/kinds/<kind>.html), or by `template:` on the page",
    ),
    (
        "transparent",
        "muster lists a section's own pages, and its subsections as such; it has no transparent sections",
    ),
    (
        "layout",
        "muster names a page's template with `template:`, e.g. `template: wide.html`",
    ),
    (
        "publishDate",
        "muster publishes every page that is not a draft: keep `draft: true` until it may be published",
    ),
    (
        "expiryDate",
        "muster publishes every page that is not a draft: set `draft: true` (or remove the page) once it expires",
    ),
];

/// Free keys for templates, under `key` (`extra`, or Hugo's `params`), as `page.extra`.
fn read_extra(v: &Yaml, meta: &mut Meta, key: &str, known_as: &str) -> Result<(), FieldError> {
    match serde_json::to_value(v) {
        Ok(serde_json::Value::Object(map)) => {
            meta.extra.extend(map);
            Ok(())
        }
        _ => Err(FieldError::new(
            format!("`{key}` must be a mapping, found {}", yaml_type(v)),
            format!("write `{key}:` followed by indented `key: value` lines ({known_as})"),
        )),
    }
}

/// Hugo's `build`/`_build`: `render: never` is muster's `headless: true`; the default
/// (`render: always`, `list: always`) changes nothing; anything else has no equivalent.
fn read_hugo_build(v: &Yaml, meta: &mut Meta) -> Result<(), FieldError> {
    let get = |key: &str| v.get(key).and_then(Yaml::as_str);
    let render = get("render").unwrap_or("always");
    let list = get("list").unwrap_or("always");
    match (render, list) {
        ("never" | "false", _) => {
            meta.headless = true;
            Ok(())
        }
        ("always" | "true", "always" | "true") => Ok(()),
        _ => Err(FieldError::new(
            format!("muster has no equivalent of `render: {render}, list: {list}`"),
            "write `headless: true` for a page that is not published, or remove these options",
        )),
    }
}

/// The common key named `name`, if it is one.
pub(crate) fn common_key(name: &str) -> Option<&'static CommonKey> {
    COMMON_KEYS.iter().find(|k| k.name == name)
}

/// The output path of an alias as written (`/old/name/` → `old/name`), if it is one.
pub(crate) fn alias_path(written: &str) -> Result<&str, crate::output::path::BadComponent> {
    let path = written.trim_matches('/');
    crate::output::path::check_relative(path).map(|()| path)
}

/// `date:` and `updated:`, quoted or not.
fn read_page_date(v: &Yaml) -> Result<PageDate, FieldError> {
    match scalar_text(v) {
        Some(text) => PageDate::parse(&text),
        None => Err(FieldError::new(
            format!("expected a date, found {}", yaml_type(v)),
            "write a date as YYYY-MM-DD, e.g. 2024-09-26",
        )),
    }
}

/// A date with an optional time, as `date:` and `updated:` take it.
fn date_time_schema() -> Value {
    json!({"type": "string", "pattern": r"^\d{4}-\d{2}-\d{2}([Tt ].+)?$|^[A-Za-z]"})
}

fn as_bool(v: &Yaml) -> Result<bool, FieldError> {
    v.as_bool().ok_or_else(|| {
        FieldError::new(
            format!("expected true or false, found {}", yaml_type(v)),
            "write `true` or `false` without quotes",
        )
    })
}

/// `inferred:`: a mapping of field names to what each value is inferred from. That the
/// names are fields of the page's kind is checked with the kind (`front_matter`).
fn read_inferred(v: &Yaml, meta: &mut Meta) -> Result<(), FieldError> {
    let shape = || {
        FieldError::new(
            "`inferred` must map field names to what their values are inferred from",
            "write e.g. `inferred: { dates: \"the year, from the drill's name\" }`",
        )
    };
    let mapping = v.as_mapping().ok_or_else(shape)?;
    for (field, from) in mapping {
        let (Some(field), Some(from)) = (field.as_str(), fields::scalar_text(from)) else {
            return Err(shape());
        };
        if from.trim().is_empty() {
            return Err(FieldError {
                item: Some(field.to_string()),
                ..FieldError::new(
                    format!("`inferred` does not say what `{field}` is inferred from"),
                    "write what the value is inferred from, e.g. `the drill's name`",
                )
            });
        }
        meta.seldom_mut().inferred.insert(field.to_string(), from);
    }
    Ok(())
}

fn as_string(v: &Yaml) -> Result<String, FieldError> {
    fields::scalar_text(v).ok_or_else(|| {
        FieldError::new(
            format!("expected a string, found {}", yaml_type(v)),
            "write a plain value or quote it",
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_key_reads_a_good_value_and_has_a_schema() {
        let good = [
            ("title", "T"),
            ("date", "2024-09-26"),
            ("updated", "2024-09-27"),
            ("draft", "true"),
            ("summary", "S"),
            ("weight", "3"),
            ("aliases", "[old/x]"),
            ("template", "page.html"),
            ("slug", "x"),
            ("sort_by", "date"),
            ("paginate_by", "5"),
            ("description", "D"),
            ("headless", "true"),
            ("build", "{render: never}"),
            ("_build", "{render: always, list: always}"),
            ("extra", "{k: 1}"),
            ("lastmod", "2024-09-27"),
            ("params", "{k: 1}"),
            ("render", "false"),
            ("inferred", "{dates: the drill's name}"),
            ("translated_from", "\"0123456789abcdef\""),
        ];
        assert_eq!(good.len(), COMMON_KEYS.len(), "a key without a case here");
        for (name, value) in good {
            let key = common_key(name).unwrap_or_else(|| panic!("{name}"));
            let mut meta = Meta::default();
            (key.read)(&serde_yaml::from_str(value).unwrap(), &mut meta)
                .unwrap_or_else(|e| panic!("{name}: {e}"));
            assert!((key.schema)().is_object(), "{name}");
        }
    }
}
