//! `languages:` in site.yaml: the languages a site is written in besides its default
//! (`language:`), each with its name and the URL folder its pages live under.
//!
//! A translation sits beside its original as `page.ru.md` (`_index.ru.md`), Zola's
//! convention; its URL is the original's below the language's folder (`/ru/members/x/`).

use std::path::Path;

use serde::Deserialize;

use super::SiteConfig;
use crate::error::{Diagnostic, ErrorKind};
use crate::yaml_pos;

/// One language of the site.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LanguageDef {
    /// Its name in itself, as the language switcher shows it ("Русский").
    #[serde(default)]
    pub name: Option<String>,
    /// The URL folder of its pages (`ru` puts them under `/ru/`); by default its code.
    /// The default language's pages have none.
    #[serde(default)]
    pub path: Option<String>,
    /// The site's title in this language (Zola's `languages.<code>.title`); by default
    /// the site's `title:`.
    #[serde(default)]
    pub title: Option<String>,
    /// The site's description in this language; by default the site's `description:`.
    #[serde(default)]
    pub description: Option<String>,
    /// What becomes of the pages this language has no translation of: left out of it
    /// (`omit`, the default), or shown in it with a notice (`notice`).
    #[serde(default)]
    pub untranslated: Untranslated,
    /// What readers of this language see for the schema's names, by what they name:
    /// `member` (a kind), `drill.host` (a field, or an inverse relation onto the kind),
    /// `drill.format.field` (an enum value).
    #[serde(default)]
    pub labels: indexmap::IndexMap<String, String>,
}

/// What a language shows of the pages it has no translation of.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Untranslated {
    /// Left out: its sections, listings and search have only its own pages; links fall
    /// back to the original, marked as in another language.
    #[default]
    Omit,
    /// Shown with a notice: each untranslated page also lives under the language's
    /// folder with the original's text and a notice that it is not translated yet, as
    /// Starlight's fallback pages do, so readers stay in their language's site.
    Notice,
}

impl SiteConfig {
    /// Whether `code` is one of the site's languages other than the default: the
    /// languages a file name's `.ru.md` may give.
    pub(crate) fn is_translation_language(&self, code: &str) -> bool {
        code != self.language && self.languages.contains_key(code)
    }

    /// The URL folder of the pages in `lang` (`None`: the default language, which has none).
    pub(crate) fn language_folder(&self, lang: Option<&str>) -> &str {
        match lang.and_then(|code| self.languages.get_key_value(code)) {
            Some((code, def)) => def.path.as_deref().unwrap_or(code),
            None => "",
        }
    }

    /// The languages whose untranslated pages are shown with a notice.
    pub(crate) fn notice_languages(&self) -> impl Iterator<Item = &str> {
        self.languages
            .iter()
            .filter(|(code, def)| {
                def.untranslated == Untranslated::Notice && self.is_translation_language(code)
            })
            .map(|(code, _)| code.as_str())
    }

    /// The site's title for readers of `lang`: the language's `title:`, else the site's.
    pub(crate) fn title_in(&self, lang: Option<&str>) -> &str {
        lang.and_then(|code| self.languages.get(code)?.title.as_deref())
            .unwrap_or(&self.title)
    }

    /// The site's description for readers of `lang`: the language's, else the site's.
    pub(crate) fn description_in(&self, lang: Option<&str>) -> &str {
        lang.and_then(|code| self.languages.get(code)?.description.as_deref())
            .unwrap_or(&self.description)
    }

    /// The code of language `lang` (`None`: the default language).
    pub(crate) fn language_code<'a>(&'a self, lang: Option<&'a str>) -> &'a str {
        lang.unwrap_or(&self.language)
    }

    /// The name a reader knows language `code` by, as `languages:` gives it; its code
    /// when it gives none.
    pub(crate) fn language_name<'a>(&'a self, code: &'a str) -> &'a str {
        self.languages
            .get(code)
            .and_then(|def| def.name.as_deref())
            .unwrap_or(code)
    }

    /// The label of `name` (`member`, `drill.host`, `drill.format.field`, `tags`) in language
    /// `lang`, if `languages:` gives one; `None` for the default language, whose labels
    /// are the kinds' own.
    pub(crate) fn label_in(&self, lang: Option<&str>, name: &str) -> Option<&str> {
        let def = self.languages.get(lang?)?;
        def.labels.get(name).map(String::as_str)
    }

    /// Every name a language's `labels:` may give, with whether site.yaml labels it in
    /// the default language (a language should then too).
    fn labelled_names(&self) -> Vec<(String, bool)> {
        // Taxonomies have no label of their own: one in a language is welcome, not due.
        let mut names: Vec<(String, bool)> =
            self.taxonomies.iter().map(|t| (t.clone(), false)).collect();
        for (kind_name, kind) in &self.kinds {
            names.push((kind_name.clone(), kind.label.is_some()));
            for (field_name, field) in &kind.fields {
                names.push((format!("{kind_name}.{field_name}"), field.label.is_some()));
                if let super::FieldType::Enum { values, labels } = &field.ty {
                    for value in values {
                        let name = format!("{kind_name}.{field_name}.{value}");
                        names.push((name, labels.contains_key(value)));
                    }
                }
                if let Some(target) = field.ty.target()
                    && let Some(inverse) = &target.inverse
                {
                    names.push((
                        format!("{}.{inverse}", target.kind),
                        target.inverse_label.is_some(),
                    ));
                }
            }
        }
        names
    }

    /// Labels naming nothing of the schema (errors), and labels the default language
    /// has that a language lacks (a warning per language: they show in the default
    /// language meanwhile).
    pub(crate) fn label_problems(&self, text: &str) -> Vec<Diagnostic> {
        let names = self.labelled_names();
        let mut found = Vec::new();
        for (code, def) in &self.languages {
            for name in def.labels.keys() {
                if names.iter().any(|(n, _)| n == name) {
                    continue;
                }
                let offset =
                    yaml_pos::locate_key(text, &["languages", code, "labels", name]).unwrap_or(0);
                let meant = crate::error::closest(name, names.iter().map(|(n, _)| n.as_str()));
                let hint = match meant {
                    Some(m) => format!("did you mean `{m}`?"),
                    None => "name a kind (`member`), a field or inverse relation (`drill.host`) or an enum value (`drill.format.field`)".into(),
                };
                found.push(
                    Diagnostic::new(
                        ErrorKind::Config,
                        format!("`{name}` names nothing site.yaml declares"),
                    )
                    .at_offset(Path::new(Self::FILE), text, offset)
                    .hint(hint),
                );
            }
            if *code == self.language {
                continue;
            }
            let missing: Vec<&str> = names
                .iter()
                .filter(|(n, labelled)| *labelled && !def.labels.contains_key(n))
                .map(|(n, _)| n.as_str())
                .collect();
            if missing.is_empty() {
                continue;
            }
            let offset = yaml_pos::locate_key(text, &["languages", code]).unwrap_or(0);
            found.push(
                Diagnostic::new(
                    ErrorKind::Config,
                    format!(
                        "{} labels have no {} in `labels:`: {}",
                        missing.len(),
                        self.language_name(code),
                        crate::error::some_of(missing.iter().copied(), 8)
                    ),
                )
                .at_offset(Path::new(Self::FILE), text, offset)
                .hint(format!("add them under `languages: {{ {code}: {{ labels: … }} }}`; they show in {} meanwhile", self.language_name(&self.language)))
                .warning(),
            );
        }
        found
    }

    /// Every language of the site, the default first, then in the order `languages:`
    /// lists them; `None` stands for the default.
    pub(crate) fn all_languages(&self) -> impl Iterator<Item = Option<&str>> {
        std::iter::once(None).chain(
            self.languages
                .keys()
                .filter(|code| **code != self.language)
                .map(|code| Some(code.as_str())),
        )
    }

    /// The problems of `languages:`: codes that are no language tag, folders that are no
    /// plain URL name, a folder given to the default language, two languages in one folder.
    pub(super) fn validate_languages(&self, text: &str) -> Vec<Diagnostic> {
        let mut errors = Vec::new();
        let at = |path: &[&str]| {
            let offset = yaml_pos::locate_key(text, path).unwrap_or(0);
            move |d: Diagnostic| d.at_offset(Path::new(Self::FILE), text, offset)
        };
        let mut folders: Vec<(&str, &str)> = Vec::new();
        for (code, def) in &self.languages {
            if !is_language_tag(code) {
                errors.push(at(&["languages", code])(
                    Diagnostic::new(
                        ErrorKind::Config,
                        format!("`{code}` is not a language code"),
                    )
                    .hint("write a lower-case language tag, such as `ru`, `kk` or `pt-br`"),
                ));
                continue;
            }
            let Some(path) = &def.path else {
                if *code != self.language {
                    folders.push((code, code));
                }
                continue;
            };
            if *code == self.language {
                errors.push(at(&["languages", code, "path"])(
                    Diagnostic::new(
                        ErrorKind::Config,
                        format!("`{code}` is the default language, whose pages have no folder"),
                    )
                    .hint("remove `path:` here, or make another language the default with `language:`"),
                ));
            } else if !is_language_tag(path) {
                errors.push(at(&["languages", code, "path"])(
                    Diagnostic::new(
                        ErrorKind::Config,
                        format!("`{path}` is not a folder name for the pages in `{code}`"),
                    )
                    .hint("write one lower-case name of letters, digits and `-`, such as `ru`"),
                ));
            } else {
                folders.push((path, code));
            }
        }
        for (n, (folder, code)) in folders.iter().enumerate() {
            if let Some((_, other)) = folders[..n].iter().find(|(f, _)| f == folder) {
                errors.push(at(&["languages", code])(
                    Diagnostic::new(
                        ErrorKind::Config,
                        format!("`{code}` and `{other}` both put their pages under `/{folder}/`"),
                    )
                    .hint("give one of them another `path:`"),
                ));
            }
        }
        errors
    }
}

/// A lower-case language tag: letters, then parts of letters and digits after `-`.
fn is_language_tag(code: &str) -> bool {
    let mut parts = code.split('-');
    let first = parts.next().unwrap_or_default();
    (2..=8).contains(&first.len())
        && first.bytes().all(|b| b.is_ascii_lowercase())
        && parts.all(|p| {
            (1..=8).contains(&p.len())
                && p.bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(languages: &str) -> Result<SiteConfig, Vec<Diagnostic>> {
        SiteConfig::parse(&format!("title: T\nlanguage: en\nlanguages:\n{languages}"))
    }

    #[test]
    fn languages_give_folders_and_names() {
        let config =
            parse("  en: { name: English }\n  ru: { name: Русский }\n  kk: { path: qaz }\n")
                .unwrap();
        assert!(config.is_translation_language("ru"));
        assert!(!config.is_translation_language("en"));
        assert!(!config.is_translation_language("de"));
        assert_eq!(config.language_folder(Some("ru")), "ru");
        assert_eq!(config.language_folder(Some("kk")), "qaz");
        assert_eq!(config.language_folder(None), "");
        assert_eq!(config.language_name("ru"), "Русский");
        assert_eq!(config.language_name("kk"), "kk");
        let all: Vec<_> = config.all_languages().collect();
        assert_eq!(all, [None, Some("ru"), Some("kk")]);
    }

    #[test]
    fn bad_codes_and_folders_are_located() {
        let errors =
            parse("  en: { path: en }\n  Russian: {}\n  ru: { path: x/y }\n  kk: { path: ru }\n  be: { path: qaz }\n  uk: { path: qaz }\n")
                .unwrap_err();
        let shown: Vec<String> = errors.iter().map(|d| d.render(false)).collect();
        let all = shown.join("\n");
        assert!(all.contains("site.yaml:4:"), "{all}");
        assert!(all.contains("the default language"), "{all}");
        assert!(all.contains("`Russian` is not a language code"), "{all}");
        assert!(all.contains("`x/y` is not a folder name"), "{all}");
        assert!(
            all.contains("`uk` and `be` both put their pages under `/qaz/`"),
            "{all}"
        );
        assert_eq!(errors.len(), 4, "{all}");
    }
}
