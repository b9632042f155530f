//! `site.yaml`: the site's settings and the typed kinds of its content.

use std::path::{Path, PathBuf};

use indexmap::IndexMap;
use serde::Deserialize;

use crate::error::{Diagnostic, ErrorKind, closest};
use crate::yaml_pos;

/// The parsed `site.yaml`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SiteConfig {
    /// Site title.
    pub title: String,
    /// One-line description, used in `<meta>`.
    #[serde(default)]
    pub description: String,
    /// Public URL of the site root, e.g. `https://host/kb/`.
    #[serde(default = "default_base_url")]
    pub base_url: String,
    /// Language code for `<html lang>`.
    #[serde(default = "default_language")]
    pub language: String,
    /// Who the site is by, named in its feeds; defaults to the title.
    #[serde(default)]
    pub author: Option<String>,
    /// A Markdown file outside `content/` published at `/guide/` (e.g. `docs/WRITING.md`).
    #[serde(default)]
    pub guide: Option<PathBuf>,
    /// Theme folder name under `themes/`.
    #[serde(default = "default_theme")]
    pub theme: String,
    /// Taxonomy names, e.g. `tags`.
    #[serde(default = "default_taxonomies")]
    pub taxonomies: Vec<String>,
    /// Typed kinds of content, by name.
    #[serde(default)]
    pub kinds: IndexMap<String, KindDef>,
    /// The text of `site.yaml`, to point later errors at a key.
    #[serde(skip)]
    pub source: String,
}

/// A kind of content: the section it lives in and its fields.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct KindDef {
    /// Section folder under `content/` whose pages have this kind.
    pub section: String,
    /// Human name, e.g. "Member state"; defaults to the kind name.
    #[serde(default)]
    pub label: Option<String>,
    /// Declared fields, in display order.
    #[serde(default)]
    pub fields: IndexMap<String, FieldDef>,
}

/// One declared field of a kind.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FieldDef {
    /// The value's type.
    #[serde(rename = "type")]
    pub ty: FieldType,
    /// Whether a page of the kind must set it.
    #[serde(default)]
    pub required: bool,
    /// Display label; defaults to the field name.
    #[serde(default)]
    pub label: Option<String>,
    /// For `ref`/`refs`: the kind the target pages must have.
    #[serde(default)]
    pub kind: Option<String>,
    /// For `enum`: the allowed values.
    #[serde(default)]
    pub values: Vec<String>,
    /// For `ref`/`refs`: the name under which targets list the pages referring to them.
    #[serde(default)]
    pub inverse: Option<String>,
    /// A sentence for writers and editor tooling.
    #[serde(default)]
    pub description: Option<String>,
}

/// The type of a declared field.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum FieldType {
    /// A one-line string.
    String,
    /// Markdown-free long text.
    Text,
    /// A calendar date, `YYYY-MM-DD`.
    Date,
    /// `{start: date, end: date}`.
    #[serde(alias = "date_range")]
    DateRange,
    /// A whole number.
    Integer,
    /// `true` or `false`.
    Bool,
    /// An absolute `http(s)` URL.
    Url,
    /// A list of strings.
    List,
    /// One of the declared `values`.
    Enum,
    /// A reference to one page of `kind`.
    Ref,
    /// A list of references to pages of `kind`.
    Refs,
}

impl FieldType {
    /// The name used in `site.yaml`.
    pub fn name(self) -> &'static str {
        match self {
            FieldType::String => "string",
            FieldType::Text => "text",
            FieldType::Date => "date",
            FieldType::DateRange => "daterange",
            FieldType::Integer => "integer",
            FieldType::Bool => "bool",
            FieldType::Url => "url",
            FieldType::List => "list",
            FieldType::Enum => "enum",
            FieldType::Ref => "ref",
            FieldType::Refs => "refs",
        }
    }
}

fn default_base_url() -> String {
    "/".to_string()
}
fn default_language() -> String {
    "en".to_string()
}
fn default_theme() -> String {
    "default".to_string()
}
fn default_taxonomies() -> Vec<String> {
    vec!["tags".to_string()]
}

/// The front matter keys every page may use, whatever its kind.
pub const COMMON_KEYS: &[&str] = &[
    "title",
    "date",
    "updated",
    "draft",
    "summary",
    "weight",
    "aliases",
    "template",
    "slug",
    "sort_by",
    "paginate_by",
];

impl SiteConfig {
    /// The config file name inside the site root.
    pub const FILE: &'static str = "site.yaml";

    /// Loads and validates `site.yaml` under `root`.
    pub fn load(root: &Path) -> Result<SiteConfig, Vec<Diagnostic>> {
        let path = root.join(Self::FILE);
        let text = std::fs::read_to_string(&path).map_err(|e| {
            vec![
                Diagnostic::io(Path::new(Self::FILE), &e)
                    .hint("run muster from the site folder, or pass --root DIR"),
            ]
        })?;
        Self::parse(&text)
    }

    /// Parses and validates the text of `site.yaml`.
    pub fn parse(text: &str) -> Result<SiteConfig, Vec<Diagnostic>> {
        let file = PathBuf::from(Self::FILE);
        if let Some(at) = crate::yaml_guard::too_deep(text) {
            let message = format!(
                "site.yaml nests `[` or `{{` more than {} levels deep",
                crate::yaml_guard::MAX_FLOW_DEPTH
            );
            return Err(vec![yaml_error(&message, &file, text, at)]);
        }
        let config: SiteConfig = serde_yaml::from_str(text).map_err(|e| {
            let offset = e.location().map_or(0, |l| l.index());
            vec![yaml_error(&e.to_string(), &file, text, offset)]
        })?;
        let errors = config.validate(text);
        if errors.is_empty() {
            Ok(SiteConfig {
                source: text.to_string(),
                ..config
            })
        } else {
            Err(errors)
        }
    }

    fn validate(&self, text: &str) -> Vec<Diagnostic> {
        let file = Path::new(Self::FILE);
        let mut errors = Vec::new();
        let at = |path: &[&str]| yaml_pos::locate_key(text, path).unwrap_or(0);
        let kind_names = || self.kinds.keys().map(String::as_str);
        if !valid_base_url(&self.base_url) {
            errors.push(
                Diagnostic::new(ErrorKind::Config, format!("`{}` is not a valid base_url", self.base_url))
                    .at_offset(file, text, at(&["base_url"]))
                    .hint("write the public address of the site, e.g. https://example.org/ or https://user.github.io/kb/"),
            );
        }
        errors.extend(self.validate_paths(text));
        for (kind_name, kind) in &self.kinds {
            if crate::output::path::check_relative(&kind.section).is_err() {
                errors.push(
                    Diagnostic::new(
                        ErrorKind::Config,
                        format!("kind `{kind_name}` has an invalid section"),
                    )
                    .at_offset(file, text, at(&["kinds", kind_name, "section"]))
                    .hint("give the folder name under content/, e.g. `section: drills`"),
                );
            }
            if let Some((other, _)) = self
                .kinds
                .iter()
                .find(|(n, k)| *n != kind_name && k.section == kind.section)
                .filter(|(n, _)| n.as_str() > kind_name.as_str())
            {
                errors.push(
                    Diagnostic::new(
                        ErrorKind::Config,
                        format!(
                            "kinds `{kind_name}` and `{other}` share the section `{}`",
                            kind.section
                        ),
                    )
                    .at_offset(file, text, at(&["kinds", other, "section"]))
                    .hint("each kind needs its own section folder"),
                );
            }
            for (field_name, field) in &kind.fields {
                let here = |key: &str| at(&["kinds", kind_name, "fields", field_name, key]);
                if COMMON_KEYS.contains(&field_name.as_str())
                    || self.taxonomies.contains(field_name)
                {
                    errors.push(
                        Diagnostic::new(
                            ErrorKind::Config,
                            format!("field `{field_name}` of kind `{kind_name}` shadows a common front matter key"),
                        )
                        .at_offset(file, text, at(&["kinds", kind_name, "fields", field_name]))
                        .hint(format!("common keys are {}; rename the field", COMMON_KEYS.join(", "))),
                    );
                }
                let is_ref = matches!(field.ty, FieldType::Ref | FieldType::Refs);
                match (&field.kind, is_ref) {
                    (None, true) => errors.push(
                        Diagnostic::new(
                            ErrorKind::Config,
                            format!("field `{field_name}` of kind `{kind_name}` is a {} but names no target kind", field.ty.name()),
                        )
                        .at_offset(file, text, here("type"))
                        .hint(format!("add `kind:` with one of: {}", kind_names().collect::<Vec<_>>().join(", "))),
                    ),
                    (Some(target), true) if !self.kinds.contains_key(target) => {
                        let mut d = Diagnostic::new(
                            ErrorKind::Config,
                            format!("field `{field_name}` of kind `{kind_name}` refers to unknown kind `{target}`"),
                        )
                        .at_offset(file, text, here("kind"));
                        d = match closest(target, kind_names()) {
                            Some(c) => d.hint(format!("did you mean `{c}`?")),
                            None => d.hint(format!("declared kinds: {}", kind_names().collect::<Vec<_>>().join(", "))),
                        };
                        errors.push(d);
                    }
                    (Some(_), false) => errors.push(
                        Diagnostic::new(
                            ErrorKind::Config,
                            format!("field `{field_name}` of kind `{kind_name}` has `kind:` but is a {}", field.ty.name()),
                        )
                        .at_offset(file, text, here("kind"))
                        .hint("only `ref` and `refs` fields point to a kind"),
                    ),
                    _ => {}
                }
                if field.inverse.is_some() && !is_ref {
                    errors.push(
                        Diagnostic::new(
                            ErrorKind::Config,
                            format!("field `{field_name}` has `inverse:` but is not a ref"),
                        )
                        .at_offset(file, text, here("inverse"))
                        .hint("only `ref` and `refs` fields have inverses"),
                    );
                }
                if field.ty == FieldType::Enum && field.values.is_empty() {
                    errors.push(
                        Diagnostic::new(
                            ErrorKind::Config,
                            format!("enum field `{field_name}` declares no values"),
                        )
                        .at_offset(file, text, here("type"))
                        .hint("add `values: [a, b]`"),
                    );
                }
            }
        }
        errors
    }

    /// Checks the settings that name files and folders: the theme, the guide, kind
    /// names (which name schema files) and taxonomy names (which name output folders)
    /// must stay inside the site.
    fn validate_paths(&self, text: &str) -> Vec<Diagnostic> {
        use crate::output::path::check_component;
        let file = Path::new(Self::FILE);
        let mut errors = Vec::new();
        let at_key = |path: &[&str]| yaml_pos::locate_key(text, path).unwrap_or(0);
        let error = |message: String, offset: usize, hint: &str| {
            Diagnostic::new(ErrorKind::Config, message)
                .at_offset(file, text, offset)
                .hint(hint.to_string())
        };
        if let Err(bad) = check_component(&self.theme) {
            errors.push(error(
                format!("theme `{}` {}", self.theme.escape_debug(), bad.describe()),
                at_key(&["theme"]),
                "name a folder under themes/, e.g. `theme: default`",
            ));
        }
        if let Some(guide) = &self.guide {
            let inside = guide
                .components()
                .all(|c| matches!(c, std::path::Component::Normal(_)));
            if !inside || guide.as_os_str().is_empty() {
                errors.push(error(
                    format!("guide `{}` is not a path inside the site", guide.display()),
                    yaml_pos::locate_value_start(text, "guide").unwrap_or(0),
                    "give the path of a Markdown file relative to the site root, e.g. `guide: docs/WRITING.md`",
                ));
            }
        }
        for name in self.kinds.keys() {
            let plain = !name.is_empty()
                && name
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
            if !plain {
                errors.push(error(
                    format!("kind name `{}` is not a plain name", name.escape_debug()),
                    at_key(&["kinds", name]),
                    "use letters, digits, `_` and `-`, e.g. `member-state`",
                ));
            }
        }
        let mut slugs: Vec<(String, &str)> = Vec::new();
        for name in &self.taxonomies {
            let at = yaml_pos::locate_value(text, "taxonomies", name)
                .unwrap_or_else(|| at_key(&["taxonomies"]));
            match crate::model::page::url_slug(name) {
                None => errors.push(error(
                    format!(
                        "taxonomy `{}` {}",
                        name.escape_debug(),
                        crate::model::page::NO_SLUG
                    ),
                    at,
                    "name taxonomies with words, e.g. `taxonomies: [tags, regions]`",
                )),
                Some(slug) => match slugs.iter().find(|(s, _)| *s == slug) {
                    Some((_, other)) => errors.push(error(
                        format!("taxonomies `{other}` and `{name}` have the same URL /{slug}/"),
                        at,
                        "give each taxonomy its own name",
                    )),
                    None => slugs.push((slug, name)),
                },
            }
        }
        errors
    }

    /// A diagnostic pointing at the key at `path` in `site.yaml` (at its start if absent).
    pub fn diagnostic_at_key(&self, kind: ErrorKind, message: String, path: &[&str]) -> Diagnostic {
        let offset = yaml_pos::locate_key(&self.source, path).unwrap_or(0);
        Diagnostic::new(kind, message).at_offset(Path::new(Self::FILE), &self.source, offset)
    }

    /// The kind whose pages live in `section`, if any.
    /// Folders below a kind's section (`drills/2024/`) belong to the same kind.
    pub fn kind_for_section(&self, section: &str) -> Option<(&str, &KindDef)> {
        self.kinds
            .iter()
            .find(|(_, k)| {
                section
                    .strip_prefix(k.section.as_str())
                    .is_some_and(|rest| rest.is_empty() || rest.starts_with('/'))
            })
            .map(|(n, k)| (n.as_str(), k))
    }
}

/// An absolute `http(s)` URL with a host, or a path from the server root.
pub fn valid_base_url(url: &str) -> bool {
    let ok_chars = !url.contains(char::is_whitespace) && !url.contains(['?', '#', '"', '<', '>']);
    let absolute = ["https://", "http://"]
        .iter()
        .find_map(|scheme| url.strip_prefix(scheme))
        .is_some_and(|rest| !rest.is_empty() && !rest.starts_with('/'));
    ok_chars && (absolute || url.starts_with('/'))
}

/// Turns a YAML error message into a diagnostic, adding a "did you mean" for unknown fields.
pub fn yaml_error(message: &str, file: &Path, text: &str, offset: usize) -> Diagnostic {
    // yaml_serde appends " at line X column Y"; the location is shown separately.
    let message = match message.find(" at line ") {
        Some(i) => &message[..i],
        None => message,
    };
    // yaml_serde points a duplicate key at its mapping; point at the repeat instead.
    let duplicate = message
        .strip_prefix("duplicate entry with key \"")
        .and_then(|rest| rest.strip_suffix('"'));
    let offset = duplicate
        .and_then(|key| second_key_line(text, offset, key))
        .unwrap_or(offset);
    let d = Diagnostic::new(
        if file.ends_with(SiteConfig::FILE) {
            ErrorKind::Config
        } else {
            ErrorKind::FrontMatter
        },
        message.to_string(),
    )
    .at_offset(file, text, offset);
    if let Some(key) = duplicate {
        d.hint(format!(
            "`{key}` may appear only once: remove or merge the repeated key"
        ))
    } else if message.contains("levels deep") {
        d.hint("write the value with fewer brackets inside brackets: front matter values rarely need more than two levels")
    } else if let Some(hint) = unknown_field_hint(message) {
        d.hint(hint)
    } else if message.contains("tab") || text.get(offset..).is_some_and(|t| t.starts_with('\t')) {
        d.hint("YAML indentation must use spaces, not tabs")
    } else if text
        .get(offset..)
        .is_some_and(|t| t.starts_with("```") || t.starts_with("~~~"))
    {
        // The front matter was never closed, so a `---` inside the body's code block closed it.
        d.hint("the front matter ends at the first `---` line: close it with `---` before the body")
    } else {
        d.hint("check the YAML syntax: `key: value`, lists as `- item` or `[a, b]`, indentation with spaces")
    }
}

/// The offset of the second line at the indentation of `from` that starts with `key:`.
fn second_key_line(text: &str, from: usize, key: &str) -> Option<usize> {
    let line_start = text.get(..from)?.rfind('\n').map_or(0, |i| i + 1);
    let indent = &text[line_start..from];
    let needle = format!("\n{indent}{key}:");
    let mut starts = std::iter::once(line_start)
        .filter(|&s| text[s..].starts_with(&format!("{indent}{key}:")))
        .chain(
            text[line_start..]
                .match_indices(&needle)
                .map(|(i, _)| line_start + i + 1),
        );
    starts.nth(1).map(|s| s + indent.len())
}

/// From serde's "unknown field `x`, expected one of `a`, `b`", a "did you mean" hint.
fn unknown_field_hint(message: &str) -> Option<String> {
    let rest = message.split("unknown field `").nth(1)?;
    let (field, rest) = rest.split_once('`')?;
    let expected: Vec<&str> = rest.split('`').skip(1).step_by(2).collect();
    Some(match closest(field, expected.iter().copied()) {
        Some(c) => format!("did you mean `{c}`?"),
        None => format!("known keys: {}", expected.join(", ")),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_config_key_has_position_and_hint() {
        let errs = SiteConfig::parse("title: T\ntitel: x\n").unwrap_err();
        let e = &errs[0];
        assert_eq!(e.kind, ErrorKind::Config);
        let loc = e.location.as_ref().unwrap();
        assert_eq!(loc.line, 2);
        assert_eq!(e.hint.as_deref(), Some("did you mean `title`?"));
    }

    #[test]
    fn base_url_must_be_absolute_or_a_root_path() {
        for good in ["https://example.org/", "http://host/kb", "/", "/kb/"] {
            assert!(valid_base_url(good), "{good}");
        }
        for bad in [
            "example.org",
            "htp:/x",
            "https://",
            "https:///x",
            "https://a b/",
            "",
        ] {
            assert!(!valid_base_url(bad), "{bad}");
        }
        let errs = SiteConfig::parse("title: T\nbase_url: example.org\n").unwrap_err();
        assert_eq!(errs[0].location.as_ref().unwrap().line, 2);
    }

    #[test]
    fn ref_to_unknown_kind_is_reported() {
        let yaml = "title: T\nkinds:\n  drill:\n    section: drills\n    fields:\n      host: { type: ref, kind: membr }\n  member:\n    section: members\n";
        let errs = SiteConfig::parse(yaml).unwrap_err();
        assert_eq!(errs.len(), 1);
        assert_eq!(errs[0].location.as_ref().unwrap().line, 6);
        assert_eq!(errs[0].hint.as_deref(), Some("did you mean `member`?"));
    }
}
