//! The theme's own words per language ("Search", "Linked from"): `i18n/<code>.yaml` in
//! the theme maps keys to text, as Hugo's `i18n/` files do, and the site's own
//! `i18n/<code>.yaml` overrides them key by key. Templates write `{{ words.search }}`,
//! or `{{ t(key="pages", count=n) }}` for a word with arguments; the text is the page's
//! language's, else the default language's (a warning names what a language lacks, so a
//! label is never empty); a key the default language lacks too is an error at the
//! template that asks for it.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use tera::{Kwargs, State, Tera, TeraResult, Value};

use super::numbers::{Grouping, LanguageNumbers};
use crate::config::SiteConfig;
use crate::error::{Diagnostic, ErrorKind, Location};

/// Most keys a warning about missing words names.
const NAMED: usize = 8;

/// Key → text, per language code.
#[derive(Debug, Default)]
pub(crate) struct ThemeStrings {
    by_language: HashMap<String, HashMap<String, String>>,
    default: String,
    /// Per language code, its words as the template value `words`, the default
    /// language's where it has none: made once, shared by every output and call.
    words: HashMap<String, Value>,
}

impl ThemeStrings {
    /// The text of `key` in `lang`, else in the default language; with a plural
    /// `form` (`one`, `few`, `many`: what the language's rule chooses for a count), the
    /// text of `key.<form>`, else of `key.other`.
    fn text(&self, lang: &str, key: &str, form: Option<&str>) -> Option<&str> {
        let find = |code: &str| {
            let words = self.by_language.get(code)?;
            match form {
                None => words.get(key),
                Some(form) => words
                    .get(&format!("{key}.{form}"))
                    .or_else(|| words.get(&format!("{key}.other"))),
            }
            .map(String::as_str)
        };
        find(lang).or_else(|| find(&self.default))
    }

    /// Sets what is rendered in language `code`: `language`, which `t()` and the
    /// filters read, and `words`, every word of it: `{{ words.search }}` says what
    /// `{{ t(key="search") }}` does, as an attribute rather than a function call (a
    /// tenth of the cost, and a page asks for some thirty words).
    pub(crate) fn set_language(&self, context: &mut tera::Context, code: &str) {
        context.insert("language", code);
        let words = self
            .words
            .get(code)
            .or_else(|| self.words.get(&self.default));
        // A theme with no words at all: every `words.x` is a located error.
        let words = words.cloned();
        context.insert_value("words", words.unwrap_or_else(|| tera::Map::new().into()));
    }

    /// Makes `words` for every language with words, over the default language's.
    fn make_words(&mut self) {
        let words = self
            .by_language
            .keys()
            .map(|lang| {
                let mut map = tera::Map::new();
                for code in [self.default.as_str(), lang] {
                    for (key, text) in self.by_language.get(code).into_iter().flatten() {
                        map.insert(key.clone().into(), text.as_str().into());
                    }
                }
                (lang.clone(), Value::from(map))
            })
            .collect();
        self.words = words;
    }

    /// The text of `key` in `lang` (see `text`) with each `{name}` of `args` filled in,
    /// for what muster writes itself (the graph's title).
    pub(crate) fn say(&self, lang: &str, key: &str, args: &[(&str, String)]) -> Option<String> {
        let mut text = self.text(lang, key, None)?.to_string();
        for (name, value) in args {
            text = text.replace(&format!("{{{name}}}"), value);
        }
        Some(text)
    }

    /// Every word as (language, key, text), sorted.
    pub(crate) fn sorted(&self) -> Vec<(String, String, String)> {
        let mut all: Vec<(String, String, String)> = self
            .by_language
            .iter()
            .flat_map(|(code, words)| {
                words
                    .iter()
                    .map(move |(k, v)| (code.clone(), k.clone(), v.clone()))
            })
            .collect();
        all.sort_unstable();
        all
    }

    /// Every key of the default language, plural forms named by their key.
    fn default_keys(&self) -> impl Iterator<Item = &str> {
        self.by_language
            .get(&self.default)
            .into_iter()
            .flat_map(|words| words.keys().map(String::as_str))
    }
}

/// Reads `i18n/*.yaml` of the theme at `theme` and of the site at `root` (the site's
/// words win); returns them with the errors (files that are no map of text) and the
/// warnings (a language of the site with no words, or lacking some the default has).
pub(crate) fn load(
    root: &Path,
    theme: &Path,
    config: &SiteConfig,
) -> (ThemeStrings, Vec<Diagnostic>) {
    let mut strings = ThemeStrings {
        default: config.language.clone(),
        ..ThemeStrings::default()
    };
    let mut found = Vec::new();
    // Which file gave each language's words, for warnings.
    let mut files: HashMap<String, PathBuf> = HashMap::new();
    for dir in [theme.join("i18n"), root.join("i18n")] {
        let (entries, walk_errors) = crate::source::walk(root, &dir);
        found.extend(walk_errors);
        for (name, path) in entries {
            let Some(code) = name.strip_suffix(".yaml").filter(|c| !c.contains('/')) else {
                continue;
            };
            let rel = path.strip_prefix(root).unwrap_or(&path).to_path_buf();
            match read_words(&path, &rel) {
                Ok(words) => {
                    strings
                        .by_language
                        .entry(code.to_string())
                        .or_default()
                        .extend(words);
                    files.insert(code.to_string(), rel);
                }
                Err(d) => found.push(d),
            }
        }
    }
    if !config.languages.is_empty() {
        found.extend(gaps(config, &strings, &files));
    }
    strings.make_words();
    (strings, found)
}

/// One `i18n/<code>.yaml`: a map of keys to text.
fn read_words(path: &Path, rel: &Path) -> Result<HashMap<String, String>, Diagnostic> {
    let bytes = std::fs::read(path).map_err(|e| Diagnostic::io(rel, &e))?;
    let text = crate::source::decode(rel, bytes)?;
    serde_yaml::from_str::<HashMap<String, String>>(&text).map_err(|e| {
        let offset = e.location().map_or(0, |l| l.index());
        crate::yaml_errors::yaml_error(&e.to_string(), rel, &text, offset)
            .hint("write one `key: text` line a word, e.g. `search: Поиск`")
    })
}

/// Warnings for each language of the site with no words, or fewer than the default's.
fn gaps(
    config: &SiteConfig,
    strings: &ThemeStrings,
    files: &HashMap<String, PathBuf>,
) -> Vec<Diagnostic> {
    if !strings.by_language.contains_key(&config.language) {
        return Vec::new();
    }
    let mut found = Vec::new();
    for code in config.all_languages().flatten() {
        let Some(words) = strings.by_language.get(code) else {
            let message = format!(
                "theme `{}` has no words in {} ({code}): its own labels stay in {}",
                config.theme,
                config.language_name(code),
                config.language_name(&config.language)
            );
            let d = config
                .diagnostic_at_key(ErrorKind::Template, message, &["languages", code])
                .hint(format!(
                    "translate themes/{}/i18n/{}.yaml into i18n/{code}.yaml",
                    config.theme, config.language
                ));
            found.push(d.warning());
            continue;
        };
        // Languages have other plural forms (English no `few`): a word with some is there.
        fn base(k: &str) -> &str {
            k.rsplit_once('.').map_or(k, |(b, _)| b)
        }
        let has = |k: &str| words.keys().any(|w| base(w) == base(k));
        let mut missing: Vec<&str> = strings
            .default_keys()
            .filter(|k| !has(k))
            .map(base)
            .collect();
        if missing.is_empty() {
            continue;
        }
        missing.sort_unstable();
        missing.dedup();
        let file = files.get(code).cloned().unwrap_or_default();
        let d = Diagnostic::new(
            ErrorKind::Template,
            format!(
                "{} words of the theme have no {} here: {}",
                missing.len(),
                config.language_name(code),
                crate::error::some_of(missing.iter().copied(), NAMED)
            ),
        )
        .at(Location::file_start(&file), None)
        .hint(format!(
            "add them (they show in {} until then)",
            config.language_name(&config.language)
        ));
        found.push(d.warning());
    }
    found
}

/// Registers `t(key=…, lang=…)`, the text of `key` in `lang` (by default the page's
/// language, the search page's, or the site's), with `count=` choosing its plural form
/// and every number among the arguments written as `numbers` write it in that language.
pub(crate) fn register(tera: &mut Tera, strings: Arc<ThemeStrings>, numbers: Arc<LanguageNumbers>) {
    tera.register_function(
        "t",
        move |kwargs: Kwargs, state: &State| -> TeraResult<String> {
            let key: String = kwargs.must_get("key")?;
            let lang = match kwargs.get::<String>("lang")? {
                Some(lang) => lang,
                None => language_of(state)?.unwrap_or_else(|| strings.default.clone()),
            };
            // A plural form, by the count's rule or named (for scripts that count later).
            let form = match (kwargs.get::<i64>("count")?, kwargs.get::<String>("form")?) {
                (_, Some(form)) => Some(form),
                (Some(n), None) => Some(numbers.plural_form(&lang, n).to_string()),
                (None, None) => None,
            };
            let text = strings.text(&lang, &key, form.as_deref()).ok_or_else(|| {
                tera::Error::message(format!(
                    "no theme word `{key}`: add `{key}: …` to i18n/{}.yaml",
                    strings.default
                ))
            })?;
            let mut text = text.to_string();
            if !text.contains('{') {
                return Ok(text);
            }
            // `{name}` takes the value of the call's argument `name`.
            let args: HashMap<String, serde_json::Value> = kwargs.deserialize()?;
            for (name, value) in args {
                let shown = match value {
                    serde_json::Value::String(s) => s,
                    serde_json::Value::Number(n) => {
                        let n = n.to_string();
                        numbers.format(&lang, &n, Grouping::Auto).unwrap_or(n)
                    }
                    other => other.to_string(),
                };
                text = text.replace(&format!("{{{name}}}"), &shown);
            }
            Ok(text)
        },
    );
}

/// The language of what is being rendered: `language`, which every output and shortcode
/// call sets, else (a context made elsewhere) the page's.
pub(crate) fn language_of(state: &State) -> TeraResult<Option<String>> {
    // Read as a value, not as `String`: Tera makes a `String` argument with `format!`,
    // which cost more than the rest of a `date` filter's call.
    if let Some(code) = state.get::<Value>("language")?
        && let Some(code) = code.as_str()
    {
        return Ok(Some(code.to_string()));
    }
    Ok(state.get::<Value>("page")?.and_then(|page| {
        page.as_map()?
            .get(&"lang".into())?
            .as_str()
            .map(str::to_string)
    }))
}
