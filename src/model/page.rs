//! One Markdown file turned into a typed page: front matter checked against its kind.

use std::path::PathBuf;

use indexmap::IndexMap;
use jiff::civil::Date;
use serde_yaml::{Mapping, Value as Yaml};

use super::fields::{self, FieldError, FieldValue, Fields};
use crate::config::{COMMON_KEYS, SiteConfig};
use crate::error::{Diagnostic, ErrorKind, closest};
use crate::markdown::{self, ParsedBody};
use crate::source::{SourceFile, split_front_matter};
use crate::yaml_pos;

/// Whether a page is a leaf page or lists other pages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    /// A regular page.
    Page,
    /// A section's `_index.md` (the home page is the section with an empty path).
    Section,
}

/// How a section orders its pages.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SortBy {
    /// Weight ascending, then title.
    #[default]
    Weight,
    /// Newest first.
    Date,
    /// Alphabetical.
    Title,
}

/// The front matter keys every page understands.
#[derive(Debug, Clone, Default)]
pub struct Meta {
    /// Page title.
    pub title: String,
    /// Publication or event date.
    pub date: Option<Date>,
    /// Last update.
    pub updated: Option<Date>,
    /// Drafts are only built with `--drafts`.
    pub draft: bool,
    /// A summary written by hand, plain text.
    pub summary: Option<String>,
    /// Sort weight within a section.
    pub weight: Option<i64>,
    /// Old URL paths that redirect here.
    pub aliases: Vec<String>,
    /// A template to use instead of the kind's.
    pub template: Option<String>,
    /// Overrides the slug taken from the file name.
    pub slug: Option<String>,
    /// For sections: the order of their pages.
    pub sort_by: SortBy,
    /// Terms per taxonomy, e.g. `tags: [csto]`.
    pub taxonomies: IndexMap<String, Vec<String>>,
}

/// A page or section loaded from `content/`.
#[derive(Debug, Clone)]
pub struct Page {
    /// Leaf page or section.
    pub role: Role,
    /// Source path relative to the site root; `None` for sections with no `_index.md`.
    pub file: Option<PathBuf>,
    /// The source text, kept to point errors at it.
    pub text: String,
    /// Byte offset of the YAML front matter in `text`.
    pub yaml_offset: usize,
    /// Byte length of the YAML front matter.
    pub yaml_len: usize,
    /// Byte offset of the body in `text`.
    pub body_offset: usize,
    /// URL path below the base, e.g. `members/russia`; `""` for home.
    pub path: String,
    /// The source path without `.md` (and without `/index` or `/_index`).
    pub source_path: String,
    /// Last path component.
    pub slug: String,
    /// Path of the section the page belongs to (its parent section, for sections).
    pub section: String,
    /// The declared kind, from the section it lives in.
    pub kind: Option<String>,
    /// Common front matter.
    pub meta: Meta,
    /// Declared fields of its kind.
    pub fields: Fields,
    /// Keys of pages without a kind, kept as they are.
    pub extra: serde_json::Map<String, serde_json::Value>,
    /// The parsed body.
    pub body: ParsedBody,
    /// For a page bundle (`x/index.md`): its folder relative to `content/`.
    pub bundle: Option<String>,
}

impl Page {
    /// The YAML front matter text.
    pub fn yaml(&self) -> &str {
        &self.text[self.yaml_offset..self.yaml_offset + self.yaml_len]
    }

    /// A diagnostic pointing at `key` (or at `value` under it) in the front matter.
    pub fn diagnostic_at_key(
        &self,
        kind: ErrorKind,
        message: String,
        key: &str,
        value: Option<&str>,
    ) -> Diagnostic {
        let yaml = self.yaml();
        let rel = match value {
            Some(v) => yaml_pos::locate_value(yaml, key, v),
            None => yaml_pos::locate_key(yaml, &[key]),
        };
        self.diagnostic_at(kind, message, rel.map_or(0, |r| self.yaml_offset + r))
    }

    /// A diagnostic at byte `offset` of the source.
    pub fn diagnostic_at(&self, kind: ErrorKind, message: String, offset: usize) -> Diagnostic {
        let d = Diagnostic::new(kind, message);
        match &self.file {
            Some(file) => d.at_offset(file, &self.text, offset),
            None => d,
        }
    }
}

/// Where a source file sits in the site, from its path alone.
struct Placement {
    role: Role,
    /// Path components below `content/`, without `.md`, `index` or `_index`.
    components: Vec<String>,
    bundle: Option<String>,
}

fn placement(rel: &str) -> Placement {
    let without_ext = rel.strip_suffix(".md").unwrap_or(rel);
    let mut components: Vec<String> = without_ext.split('/').map(str::to_string).collect();
    let last = components.pop().unwrap_or_default();
    match last.as_str() {
        "_index" => Placement {
            role: Role::Section,
            components,
            bundle: None,
        },
        "index" if !components.is_empty() => Placement {
            role: Role::Page,
            bundle: Some(components.join("/")),
            components,
        },
        _ => {
            components.push(last);
            Placement {
                role: Role::Page,
                components,
                bundle: None,
            }
        }
    }
}

/// Turns a path component into its URL form ("Нерушимое братство" → "nerushimoe-bratstvo").
pub fn slugify_component(c: &str) -> String {
    let s = slug::slugify(c);
    if s.is_empty() { c.to_string() } else { s }
}

/// Loads one Markdown file: splits it, checks its front matter against its kind
/// and scans its body. Every problem in the file is returned together. A page
/// whose fields have errors is still returned, so that its links are checked too;
/// `None` means the front matter could not be read at all.
pub fn load(config: &SiteConfig, source: SourceFile) -> (Option<Page>, Vec<Diagnostic>) {
    let SourceFile { rel, file, text } = source;
    let split = match split_front_matter(&text) {
        Ok(s) => s,
        Err(e) => {
            let d = Diagnostic::new(ErrorKind::FrontMatter, e.message)
                .at_offset(&file, &text, e.offset)
                .hint(e.hint);
            return (None, vec![d]);
        }
    };
    let (yaml_offset, yaml_len, body_offset) =
        (split.yaml_offset, split.yaml.len(), split.body_offset);
    let mapping = match parse_mapping(split.yaml) {
        Ok(m) => m,
        Err((message, rel_offset)) => {
            let d = crate::config::yaml_error(&message, &file, &text, yaml_offset + rel_offset);
            return (None, vec![d]);
        }
    };
    let body = markdown::scan(split.body);
    let place = placement(&rel);
    let source_path = place.components.join("/");
    let mut components: Vec<String> = place
        .components
        .iter()
        .map(|c| slugify_component(c))
        .collect();
    let section = match place.role {
        Role::Page => components[..components.len() - 1].join("/"),
        Role::Section if components.is_empty() => String::new(),
        Role::Section => components[..components.len() - 1].join("/"),
    };
    let kind = match place.role {
        Role::Page => config
            .kind_for_section(&section)
            .map(|(n, _)| n.to_string()),
        Role::Section => None,
    };
    let mut page = Page {
        role: place.role,
        file: Some(file),
        text,
        yaml_offset,
        yaml_len,
        body_offset,
        path: String::new(),
        source_path,
        slug: components.last().cloned().unwrap_or_default(),
        section,
        kind,
        meta: Meta::default(),
        fields: Fields::new(),
        extra: serde_json::Map::new(),
        body,
        bundle: place.bundle,
    };
    let errors = read_front_matter(config, &mut page, mapping);
    if let Some(slug) = &page.meta.slug
        && let Some(last) = components.last_mut()
    {
        *last = slugify_component(slug);
        page.slug = last.clone();
    }
    page.path = components.join("/");
    if page.meta.date.is_none() {
        page.meta.date = page.fields.values().find_map(FieldValue::first_date);
    }
    (Some(page), errors)
}

/// Parses front matter YAML into a mapping; empty front matter is an empty mapping.
fn parse_mapping(yaml: &str) -> Result<Mapping, (String, usize)> {
    match serde_yaml::from_str::<Yaml>(yaml) {
        Ok(Yaml::Mapping(m)) => Ok(m),
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

fn read_front_matter(config: &SiteConfig, page: &mut Page, mapping: Mapping) -> Vec<Diagnostic> {
    let mut errors = Vec::new();
    let kind_def = page.kind.as_ref().and_then(|k| config.kinds.get(k));
    let mut title = None;
    for (key, value) in &mapping {
        let Some(key) = key.as_str() else {
            let msg = format!(
                "front matter keys must be strings, found {}",
                fields::yaml_type(key)
            );
            errors.push(page.diagnostic_at(ErrorKind::Field, msg, page.yaml_offset));
            continue;
        };
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
            "slug" => as_string(value).map(|s| page.meta.slug = Some(s)),
            "aliases" => fields::parse_string_list(value).map(|l| page.meta.aliases = l),
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
            "sort_by" => parse_sort_by(value).map(|s| page.meta.sort_by = s),
            k if config.taxonomies.iter().any(|t| t == k) => {
                fields::parse_string_list(value).map(|terms| {
                    page.meta.taxonomies.insert(k.to_string(), terms);
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
            let d = page
                .diagnostic_at_key(
                    ErrorKind::Field,
                    format!("{}{}", field_prefix(key, &e), e.message),
                    key,
                    e.item.as_deref(),
                )
                .hint(e.hint);
            errors.push(d);
        }
    }
    match title {
        Some(t) => page.meta.title = t,
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placement_from_paths() {
        let p = placement("members/russia.md");
        assert_eq!(
            (p.role, p.components.join("/"), p.bundle),
            (Role::Page, "members/russia".into(), None)
        );
        let p = placement("members/_index.md");
        assert_eq!(
            (p.role, p.components.join("/")),
            (Role::Section, "members".into())
        );
        let p = placement("_index.md");
        assert_eq!((p.role, p.components.len()), (Role::Section, 0));
        let p = placement("drills/x/index.md");
        assert_eq!(
            (p.role, p.components.join("/"), p.bundle.as_deref()),
            (Role::Page, "drills/x".into(), Some("drills/x"))
        );
    }
}
