//! `site.yaml`: the site's settings and the typed kinds of its content.

use std::path::{Path, PathBuf};

use indexmap::IndexMap;
use serde::Deserialize;

use crate::error::{Diagnostic, ErrorKind};
use crate::yaml_errors::yaml_error;
use crate::yaml_pos;

mod fields;
mod languages;
mod validate;
pub(crate) use fields::{FieldDef, FieldType, RefTarget};
pub(crate) use languages::LanguageDef;

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
    /// The code of the site's default language, for `<html lang>`.
    #[serde(default = "default_language")]
    pub language: String,
    /// The languages of translations (`page.ru.md`), by code, with their names and URL
    /// folders; an entry for `language` names the default one.
    #[serde(default)]
    pub languages: IndexMap<String, LanguageDef>,
    /// Who the site is by, named in its feeds; defaults to the title.
    #[serde(default)]
    pub author: Option<String>,
    /// A Markdown file outside `content/` published at `/guide/` (e.g. `docs/WRITING.md`).
    #[serde(default)]
    pub guide: Option<PathBuf>,
    /// Theme folder name under `themes/`.
    #[serde(default = "default_theme")]
    pub theme: String,
    /// A page's "updated" date is its file's last commit when the site is a git
    /// checkout and the page gives no `updated:` (as Hugo's `enableGitInfo`).
    #[serde(default = "default_true")]
    pub git_dates: bool,
    /// Taxonomy names, e.g. `tags`.
    #[serde(default = "default_taxonomies")]
    pub taxonomies: Vec<String>,
    /// How heading text becomes anchor ids: `github` (the default) or `zola`.
    #[serde(default)]
    pub heading_ids: crate::markdown::IdScheme,
    /// How file and folder names (and `slug:`) become URL parts: `slugified` (the
    /// default), `safe` or `as_written`, as Zola's `slugify.paths`.
    #[serde(default)]
    pub url_names: crate::model::UrlNames,
    /// Switches for Markdown extensions (`smart_punctuation`, `math`, `math_errors`).
    #[serde(default)]
    pub markdown: crate::markdown::MarkdownConfig,
    /// Whether broken links stop the build (the default) or are warnings, for links to
    /// pages, to anchors and to files, as Zola's `internal_level`.
    #[serde(default)]
    pub broken_links: BrokenLinks,
    /// The path of `base_url` as site.yaml writes it (`/kb/`), before a `--base-url`
    /// override: root-relative links written for it still work.
    #[serde(skip)]
    pub declared_base_path: String,
    /// Typed kinds of content, by name.
    #[serde(default)]
    pub kinds: IndexMap<String, KindDef>,
    /// The text of `site.yaml`, to point later errors at a key.
    #[serde(skip)]
    pub source: String,
}

/// What a broken link is, by what it points to.
#[derive(Debug, Clone, Copy, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BrokenLinks {
    /// Links to pages that do not exist.
    #[serde(default)]
    pub pages: LinkLevel,
    /// Links to anchors a page does not have.
    #[serde(default)]
    pub anchors: LinkLevel,
    /// Links and images to paths and files the site does not have.
    #[serde(default)]
    pub files: LinkLevel,
}

/// Whether a broken link stops the build.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum LinkLevel {
    /// It does (the default).
    #[default]
    Error,
    /// It is reported and the build goes on: for a site half-way through a move.
    Warning,
}

impl LinkLevel {
    /// `d` as this level says.
    pub(crate) fn apply(self, d: Diagnostic) -> Diagnostic {
        match self {
            LinkLevel::Error => d,
            LinkLevel::Warning => d.warning(),
        }
    }
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
    /// The fields its section page shows as the columns of a table of its pages (after
    /// the title); empty: a plain list.
    #[serde(default)]
    pub columns: Vec<String>,
}

fn default_base_url() -> String {
    "/".to_string()
}
fn default_language() -> String {
    "en".to_string()
}
fn default_true() -> bool {
    true
}
fn default_theme() -> String {
    "default".to_string()
}
fn default_taxonomies() -> Vec<String> {
    vec!["tags".to_string()]
}

impl SiteConfig {
    /// The config file name inside the site root.
    pub const FILE: &'static str = "site.yaml";

    /// The `inverse_label` of inverse relation `name` onto pages of kind `kind`, from the
    /// first ref field that declares one.
    pub fn inverse_label(&self, kind: &str, name: &str) -> Option<&str> {
        self.kinds
            .values()
            .flat_map(|k| k.fields.values())
            .filter_map(|f| f.ty.target())
            .filter(|t| t.kind == kind && t.inverse.as_deref() == Some(name))
            .find_map(|t| t.inverse_label.as_deref())
    }

    /// Loads and validates `site.yaml` under `root`.
    pub fn load(root: &Path) -> Result<SiteConfig, Vec<Diagnostic>> {
        Self::load_with(root, &crate::source::Overlay::new())
    }

    /// Loads and validates `site.yaml` under `root`, or its text in `overlay` (an
    /// editor's unsaved buffer) if it has one.
    pub(crate) fn load_with(
        root: &Path,
        overlay: &crate::source::Overlay,
    ) -> Result<SiteConfig, Vec<Diagnostic>> {
        if let Some(text) = overlay.get(Path::new(Self::FILE)) {
            return Self::parse(text);
        }
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
                declared_base_path: base_path(&config.base_url).to_string(),
                ..config
            })
        } else {
            Err(errors)
        }
    }

    /// What in the settings works but deserves a word: a `base_url` with no host, which
    /// leaves the sitemap's and feeds' URLs and the Atom ids relative.
    pub(crate) fn warnings(&self) -> Vec<Diagnostic> {
        let mut found: Vec<Diagnostic> = self
            .label_problems(&self.source)
            .into_iter()
            .filter(|d| !d.is_error())
            .collect();
        if self.base_url.contains("://") {
            return found;
        }
        let at = yaml_pos::locate_key(&self.source, &["base_url"]).unwrap_or(0);
        found.push(
            Diagnostic::new(
                ErrorKind::Config,
                format!(
                    "base_url `{}` has no host: the sitemap, the Atom feeds and their ids need absolute URLs",
                    self.base_url
                ),
            )
            .at_offset(Path::new(Self::FILE), &self.source, at)
            .hint("write the public address, e.g. https://example.org/kb/, or pass --base-url when you publish")
            .warning(),
        );
        found
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

/// The path part of a base URL: `/kb/` of `https://host/kb/`, `/` of `https://host`.
pub(crate) fn base_path(base_url: &str) -> &str {
    let rest = ["https://", "http://"]
        .iter()
        .find_map(|scheme| base_url.strip_prefix(scheme))
        .map_or(base_url, |rest| rest.find('/').map_or("/", |i| &rest[i..]));
    if rest.is_empty() { "/" } else { rest }
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

    /// A site.yaml whose one kind, `member`, declares `fields` (lines indented six spaces).
    fn parse(fields: &str) -> Result<SiteConfig, Vec<Diagnostic>> {
        SiteConfig::parse(&format!(
            "title: T\nkinds:\n  member:\n    section: members\n    fields:\n{fields}"
        ))
    }

    #[test]
    fn each_field_type_takes_its_own_keys_only() {
        let config = parse(
            "      host: { type: ref, kind: member, inverse: hosted }\n      format: { type: enum, values: [a, b], required: true }\n      d: { type: date_range }\n",
        )
        .unwrap();
        let fields = &config.kinds["member"].fields;
        assert_eq!(
            fields["host"].ty,
            FieldType::Ref(RefTarget {
                kind: "member".into(),
                inverse: Some("hosted".into()),
                inverse_label: None,
            })
        );
        assert_eq!(
            fields["format"].ty,
            FieldType::Enum {
                values: vec!["a".into(), "b".into()],
                labels: IndexMap::new(),
            }
        );
        assert!(fields["format"].required);
        assert_eq!(fields["d"].ty, FieldType::DateRange);
        for (bad, line, column, hint) in [
            ("      host: { type: ref }\n", 6, 7, "add `kind:`"),
            (
                "      host: { type: refs, values: [a] }\n",
                6,
                27,
                "only `enum`",
            ),
            (
                "      f: { type: enum, values: [] }\n",
                6,
                7,
                "values: [a, b]",
            ),
            ("      f: { type: enum }\n", 6, 7, "values: [a, b]"),
            (
                "      f:\n        type: string\n        kind: member\n",
                8,
                9,
                "only `ref`",
            ),
            ("      f: { type: list, inverse: x }\n", 6, 24, "only `ref`"),
            (
                "      f: { type: string, values: [a] }\n",
                6,
                26,
                "only `enum`",
            ),
            (
                "      f: { type: strng }\n",
                6,
                18,
                "did you mean `string`?",
            ),
        ] {
            let errors = parse(bad).unwrap_err();
            let loc = errors[0].location.as_ref().unwrap();
            assert_eq!((loc.line, loc.column), (line, column), "{bad}: {errors:?}");
            assert!(
                errors[0].hint.as_deref().unwrap().contains(hint),
                "{bad}: {errors:?}"
            );
        }
    }

    #[test]
    fn labels_for_readers_are_checked_against_what_they_label() {
        let config = parse(
            "      host: { type: ref, kind: member, inverse: hosted, inverse_label: Hosted }\n      format:\n        type: enum\n        values: [command-staff, field]\n        labels: { command-staff: Command and staff }\n",
        )
        .unwrap();
        let fields = &config.kinds["member"].fields;
        assert_eq!(
            fields["host"].ty.target().unwrap().inverse_label.as_deref(),
            Some("Hosted")
        );
        let FieldType::Enum { labels, .. } = &fields["format"].ty else {
            panic!("an enum: {:?}", fields["format"].ty)
        };
        assert_eq!(labels["command-staff"], "Command and staff");
        for (bad, line, column, words) in [
            (
                "      host: { type: ref, kind: member, inverse_label: Hosted }\n",
                6,
                40,
                "but no inverse",
            ),
            (
                "      format:\n        type: enum\n        values: [command-staff, field]\n        labels: { command-staf: Command and staff }\n",
                9,
                19,
                "did you mean `command-staff`?",
            ),
        ] {
            let errors = parse(bad).unwrap_err();
            let loc = errors[0].location.as_ref().unwrap();
            assert_eq!((loc.line, loc.column), (line, column), "{bad}: {errors:?}");
            let said = format!(
                "{} {}",
                errors[0].message,
                errors[0].hint.as_deref().unwrap()
            );
            assert!(said.contains(words), "{bad}: {errors:?}");
        }
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
