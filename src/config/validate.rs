//! Checks of `site.yaml` beyond its types: addresses, kinds and their fields, labels, and
//! the settings that name files and folders, every problem reported together.

use std::path::Path;

use super::{FieldDef, FieldType, KindDef, SiteConfig, valid_base_url};
use crate::error::{Diagnostic, ErrorKind, did_you_mean};
use crate::yaml_pos;

impl SiteConfig {
    /// Every problem of the settings in `text`, together.
    pub(super) fn validate(&self, text: &str) -> Vec<Diagnostic> {
        let mut errors = Vec::new();
        if !valid_base_url(&self.base_url) {
            let at = yaml_pos::locate_key(text, &["base_url"]).unwrap_or(0);
            errors.push(
                Diagnostic::new(ErrorKind::Config, format!("`{}` is not a valid base_url", self.base_url))
                    .at_offset(Path::new(Self::FILE), text, at)
                    .hint("write the public address of the site, e.g. https://example.org/ or https://user.github.io/kb/"),
            );
        }
        errors.extend(self.validate_paths(text));
        errors.extend(self.validate_languages(text));
        errors.extend(
            self.label_problems(text)
                .into_iter()
                .filter(Diagnostic::is_error),
        );
        for (kind_name, kind) in &self.kinds {
            errors.extend(self.validate_kind(text, kind_name, kind));
            errors.extend(validate_columns(text, kind_name, kind));
            for (field_name, field) in &kind.fields {
                errors.extend(self.validate_field(text, kind_name, field_name, field));
            }
        }
        errors
    }

    /// A kind's section: a folder name, and no other kind's.
    fn validate_kind(&self, text: &str, kind_name: &str, kind: &KindDef) -> Vec<Diagnostic> {
        let file = Path::new(Self::FILE);
        let at = |path: &[&str]| yaml_pos::locate_key(text, path).unwrap_or(0);
        let mut errors = Vec::new();
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
            .find(|(n, k)| n.as_str() != kind_name && k.section == kind.section)
            .filter(|(n, _)| n.as_str() > kind_name)
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
        errors
    }

    /// A field: no common key's name, readable labels, and a ref to a kind that exists.
    fn validate_field(
        &self,
        text: &str,
        kind_name: &str,
        field_name: &str,
        field: &FieldDef,
    ) -> Vec<Diagnostic> {
        let file = Path::new(Self::FILE);
        let at = |path: &[&str]| yaml_pos::locate_key(text, path).unwrap_or(0);
        let kind_names = || self.kinds.keys().map(String::as_str);
        let mut errors = Vec::new();
        if crate::model::keys::common_key(field_name).is_some()
            || self.taxonomies.iter().any(|t| t == field_name)
        {
            let common: Vec<&str> = crate::model::keys::COMMON_KEYS
                .iter()
                .map(|k| k.name)
                .chain(self.taxonomies.iter().map(String::as_str))
                .collect();
            errors.push(
                Diagnostic::new(
                    ErrorKind::Config,
                    format!("field `{field_name}` of kind `{kind_name}` shadows a common front matter key"),
                )
                .at_offset(file, text, at(&["kinds", kind_name, "fields", field_name]))
                .hint(format!("common keys are {}; rename the field", common.join(", "))),
            );
        }
        errors.extend(self.validate_labels(text, kind_name, field_name, &field.ty));
        // Whether a ref names a kind that exists; serde saw that it names one.
        if let Some(target) = field.ty.target()
            && !self.kinds.contains_key(&target.kind)
        {
            let d = Diagnostic::new(
                ErrorKind::Config,
                format!(
                    "field `{field_name}` of kind `{kind_name}` refers to unknown kind `{}`",
                    target.kind
                ),
            )
            .at_offset(
                file,
                text,
                at(&["kinds", kind_name, "fields", field_name, "kind"]),
            );
            errors.push(d.hint(did_you_mean(&target.kind, kind_names(), "declared kinds: ")));
        }
        errors
    }

    /// Checks a field's labels for readers: an inverse label needs an inverse, and an
    /// enum's labels must name its values.
    fn validate_labels(
        &self,
        text: &str,
        kind_name: &str,
        field_name: &str,
        ty: &FieldType,
    ) -> Vec<Diagnostic> {
        let file = Path::new(Self::FILE);
        let at = |key: &str| {
            yaml_pos::locate_key(text, &["kinds", kind_name, "fields", field_name, key])
                .unwrap_or(0)
        };
        let mut errors = Vec::new();
        match ty {
            FieldType::Ref(t) | FieldType::Refs(t)
                if t.inverse_label.is_some() && t.inverse.is_none() =>
            {
                errors.push(
                    Diagnostic::new(
                        ErrorKind::Config,
                        format!("field `{field_name}` of kind `{kind_name}` has an inverse_label but no inverse"),
                    )
                    .at_offset(file, text, at("inverse_label"))
                    .hint("name the relation on the target pages too, e.g. `inverse: hosted_drills, inverse_label: Hosted`"),
                );
            }
            FieldType::Enum { values, labels } => {
                for value in labels.keys().filter(|v| !values.contains(v)) {
                    let at = yaml_pos::locate_key(
                        text,
                        &["kinds", kind_name, "fields", field_name, "labels", value],
                    )
                    .unwrap_or_else(|| at("labels"));
                    let d = Diagnostic::new(
                        ErrorKind::Config,
                        format!("`labels` of field `{field_name}` names `{value}`, which is not one of its values"),
                    )
                    .at_offset(file, text, at);
                    let values = values.iter().map(String::as_str);
                    errors.push(d.hint(did_you_mean(value, values, "its values are ")));
                }
            }
            _ => {}
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
}

/// A kind's `columns:` must name its fields.
fn validate_columns(text: &str, kind_name: &str, kind: &KindDef) -> Vec<Diagnostic> {
    let mut errors = Vec::new();
    for column in kind
        .columns
        .iter()
        .filter(|c| !kind.fields.contains_key(*c))
    {
        // The name on the `columns:` line, else the key.
        let key = yaml_pos::locate_key(text, &["kinds", kind_name, "columns"]).unwrap_or(0);
        let line_end = text[key..].find('\n').map_or(text.len(), |i| key + i);
        let at = text[key..line_end]
            .find(column.as_str())
            .map_or(key, |i| key + i);
        let d = Diagnostic::new(
            ErrorKind::Config,
            format!("column `{column}` of kind `{kind_name}` is not one of its fields"),
        )
        .at_offset(Path::new(SiteConfig::FILE), text, at);
        let names = kind.fields.keys().map(String::as_str);
        errors.push(d.hint(did_you_mean(column, names, "its fields are ")));
    }
    errors
}
