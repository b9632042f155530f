//! Loading the theme's templates, with the site's `templates/` overriding by name.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use tera::{Kwargs, State, Tera, TeraResult, Value};

use crate::config::SiteConfig;
use crate::error::{Diagnostic, ErrorKind, Location};

/// The compiled templates and the file each came from.
pub(crate) struct Templates {
    /// The Tera instance, filters registered, all templates added.
    pub tera: Tera,
    /// Template name → its file (relative to the site root) and text, for messages.
    pub sources: HashMap<String, (PathBuf, String)>,
    /// What the theme's words lack in a language of the site (see `strings.rs`).
    pub warnings: Vec<Diagnostic>,
    /// The theme's words by language, sorted, as outputs depend on them.
    pub words: Vec<(String, String, String)>,
    /// The theme's words, for the text muster writes itself.
    pub strings: std::sync::Arc<super::strings::ThemeStrings>,
}

impl std::fmt::Debug for Templates {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Templates")
            .field("names", &self.sources.keys())
            .finish_non_exhaustive()
    }
}

/// The folder of the theme named in `config`.
pub(crate) fn theme_dir(root: &Path, config: &SiteConfig) -> PathBuf {
    root.join("themes").join(&config.theme)
}

impl Templates {
    /// Loads `themes/<theme>/templates/` then `templates/` under `root`.
    #[cfg_attr(not(feature = "serve"), allow(dead_code))]
    pub(crate) fn load(root: &Path, config: &SiteConfig) -> Result<Templates, Vec<Diagnostic>> {
        Templates::load_with(root, config, &crate::source::Overlay::new())
    }

    /// Loads the templates as [`Templates::load`], taking the text of those in `overlay`
    /// (an editor's unsaved buffers) from it.
    pub(crate) fn load_with(
        root: &Path,
        config: &SiteConfig,
        overlay: &crate::source::Overlay,
    ) -> Result<Templates, Vec<Diagnostic>> {
        let theme = theme_dir(root, config);
        if !theme.is_dir() {
            return Err(vec![
                config
                    .diagnostic_at_key(
                        ErrorKind::Template,
                        format!("theme `{}` not found", config.theme),
                        &["theme"],
                    )
                    .hint(format!(
                        "create themes/{}/templates/ or set `theme:` in site.yaml",
                        config.theme
                    )),
            ]);
        }
        let mut sources: HashMap<String, (PathBuf, String)> = HashMap::new();
        let mut errors = Vec::new();
        for dir in [theme.join("templates"), root.join("templates")] {
            let (found, walk_errors) = crate::source::walk(root, &dir);
            errors.extend(walk_errors);
            for (name, path) in found {
                let rel = path.strip_prefix(root).unwrap_or(&path).to_path_buf();
                let bytes = match overlay.get(&rel) {
                    Some(text) => Ok(text.as_bytes().to_vec()),
                    None => std::fs::read(&path).map_err(|e| Diagnostic::io(&rel, &e)),
                };
                match bytes.and_then(|b| crate::source::decode(&rel, b)) {
                    Ok(text) => {
                        sources.insert(name, (rel, text));
                    }
                    Err(d) => errors.push(d),
                }
            }
        }
        let (strings, mut warnings) = super::strings::load(root, &theme, config);
        errors.extend(warnings.extract_if(.., |d| d.is_error()));
        if !errors.is_empty() {
            return Err(errors);
        }
        let mut tera = new_tera();
        let words = strings.sorted();
        let strings = std::sync::Arc::new(strings);
        let numbers = std::sync::Arc::new(super::numbers::LanguageNumbers::new(
            &config.language,
            config.languages.keys().map(String::as_str),
        ));
        super::strings::register(&mut tera, strings.clone(), numbers.clone());
        super::numbers::register(&mut tera, numbers);
        if let Err(e) =
            tera.add_raw_templates(sources.iter().map(|(n, (_, t))| (n.as_str(), t.as_str())))
        {
            return Err(all_template_errors(&sources, &e));
        }
        Ok(Templates {
            tera,
            sources,
            warnings,
            words,
            strings,
        })
    }

    /// Whether a template with `name` exists.
    pub(crate) fn has(&self, name: &str) -> bool {
        self.tera.contains_template(name)
    }
}

/// A Tera instance with muster's filters registered (they must be before templates are added).
fn new_tera() -> Tera {
    let mut tera = Tera::new();
    tera.set_escape_fn(escape_html_text);
    super::query_function::register_placeholder(&mut tera);
    super::strings::register(&mut tera, Default::default(), Default::default());
    super::numbers::register(&mut tera, Default::default());
    // Filters that left Tera's core, for theme authors.
    tera.register_filter("striptags", tera_contrib::regex::striptags);
    tera.register_filter("slug", tera_contrib::slug::slug);
    tera.register_filter("urlencode", tera_contrib::urlencode::urlencode);
    tera.register_filter("json_encode", tera_contrib::json::json_encode);
    super::date_filter::register(&mut tera);
    tera.register_filter("plain_text", plain_text_filter);
    tera.register_filter("json_script", json_script_filter);
    tera.register_filter("markdown", markdown_filter);
    tera
}

/// Tera's HTML escaping, which also drops the characters XML 1.0 forbids: source text
/// has them replaced already, but site.yaml's values (`title: "\x01"`) may hold them.
fn escape_html_text(input: &str, out: &mut dyn std::io::Write) -> std::io::Result<()> {
    if crate::source::all_xml_chars(input) {
        return tera::escape_html(input, out);
    }
    let kept: String = input
        .chars()
        .filter(|c| crate::source::is_xml_char(*c))
        .collect();
    tera::escape_html(&kept, out)
}

/// `{{ value | json_script }}`: JSON safe to place inside a `<script>` element. `<`, `>`
/// and `&` become `\u003c`-style escapes, so a value holding `</script>` or `<!--`
/// cannot end the element; U+2028 and U+2029 are escaped for older JavaScript parsers.
fn json_script_filter(value: &Value, _: Kwargs, _: &State) -> TeraResult<Value> {
    // Through serde_json's sorted map: Tera's maps do not keep one key order between runs.
    let json = serde_json::to_value(value)
        .and_then(|v| serde_json::to_string(&v))
        .map_err(|e| tera::Error::message(format!("cannot write as JSON: {e}")))?;
    let mut out = String::with_capacity(json.len());
    for c in json.chars() {
        match c {
            '<' => out.push_str("\\u003c"),
            '>' => out.push_str("\\u003e"),
            '&' => out.push_str("\\u0026"),
            '\u{2028}' => out.push_str("\\u2028"),
            '\u{2029}' => out.push_str("\\u2029"),
            c => out.push(c),
        }
    }
    Ok(Value::safe_string(&out))
}

/// `{{ caption | markdown(inline=true) }}`: Markdown as HTML, as Zola's filter of the
/// name; `inline` drops the paragraph around a single line.
fn markdown_filter(value: &str, kwargs: Kwargs, _: &State) -> TeraResult<Value> {
    let html = super::calls::markdown_html(value);
    let inline = kwargs.get::<bool>("inline")?.unwrap_or(false);
    let html = match html.trim_end().strip_prefix("<p>") {
        Some(inner) if inline => inner.strip_suffix("</p>").unwrap_or(inner).to_string(),
        _ => html,
    };
    Ok(Value::safe_string(&html))
}

/// `{{ html | plain_text }}`: the text of an HTML fragment with entities decoded, for
/// `<meta>` and titles (contrib's `striptags` keeps `&amp;`, which would then be escaped
/// twice). The same function makes the search index's text.
fn plain_text_filter(value: &str, _: Kwargs, _: &State) -> String {
    crate::text::html_to_text(value)
}

/// When adding all templates fails, adds them one by one to find every broken
/// file, not just the first.
fn all_template_errors(
    sources: &HashMap<String, (PathBuf, String)>,
    first: &tera::Error,
) -> Vec<Diagnostic> {
    let mut errors = Vec::new();
    let mut names: Vec<&String> = sources.keys().collect();
    names.sort();
    for name in names {
        let mut alone = new_tera();
        if let Err(e) = alone.add_raw_template(name, &sources[name].1)
            && matches!(e.kind(), tera::ErrorKind::SyntaxError(_))
        {
            errors.push(template_error(&e, sources, None));
        }
    }
    if errors.is_empty()
        && let tera::ErrorKind::Msg(message) = first.kind()
    {
        errors = parse_reports(message, sources);
    }
    if errors.is_empty() {
        errors.push(template_error(first, sources, None));
    }
    errors
}

/// Tera reports validation problems (unknown blocks, filters, includes) of all
/// templates at once as text, each as `error: message` then ` --> name:line:col`;
/// this turns each into a located diagnostic.
fn parse_reports(message: &str, sources: &HashMap<String, (PathBuf, String)>) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let mut pending: Option<&str> = None;
    for line in message.lines() {
        if let Some(m) = line.strip_prefix("error: ") {
            pending = Some(m);
        } else if let (Some(m), Some(at)) = (pending, line.trim_start().strip_prefix("--> ")) {
            pending = None;
            let mut parts = at.rsplitn(3, ':');
            let (Some(col), Some(line_no), Some(name)) = (parts.next(), parts.next(), parts.next())
            else {
                continue;
            };
            let (Ok(line_no), Ok(col)) = (line_no.parse(), col.parse()) else {
                continue;
            };
            let (file, text) = match sources.get(name) {
                Some((file, text)) => (file.clone(), Some(text.as_str())),
                None => (PathBuf::from(name), None),
            };
            let location = Location {
                file,
                line: line_no,
                column: col,
            };
            let hint = if m.contains("Block") {
                "a child template can only fill blocks its parent defines: add the block to the parent or rename it"
            } else if m.contains("template") {
                "add the template to templates/ or the theme, or fix its name"
            } else {
                "check the name; filters, tests and functions must exist"
            };
            out.push(
                Diagnostic::new(ErrorKind::Template, m.to_string())
                    .at(location, text)
                    .hint(hint),
            );
        }
    }
    out
}

/// A diagnostic for a Tera error, located in the template file when Tera knows where.
pub(crate) fn template_error(
    e: &tera::Error,
    sources: &HashMap<String, (PathBuf, String)>,
    page: Option<&Path>,
) -> Diagnostic {
    let while_rendering = page
        .map(|p| format!(" (while rendering {})", p.display()))
        .unwrap_or_default();
    let (kind, report) = match e.kind() {
        tera::ErrorKind::SyntaxError(r) => (ErrorKind::Template, Some(r)),
        tera::ErrorKind::RenderingError(r) => (ErrorKind::Render, Some(r)),
        _ => (ErrorKind::Template, None),
    };
    let Some(report) = report else {
        let message = e.to_string();
        if let Some(first) = parse_reports(&message, sources).into_iter().next() {
            return first;
        }
        let hint = match e.kind() {
            tera::ErrorKind::MissingParent { parent, .. } => {
                format!("add templates/{parent} or fix the `extends`")
            }
            tera::ErrorKind::TemplateNotFound(name) => {
                format!("add templates/{name} or use an existing template")
            }
            _ => "check the template".to_string(),
        };
        let d = Diagnostic::new(kind, format!("{message}{while_rendering}")).hint(hint);
        // Point at the `extends` that names the missing parent.
        if let tera::ErrorKind::MissingParent { current, parent } = e.kind()
            && let Some((file, text)) = sources.get(current)
            && let Some(at) = text
                .find(&format!("\"{parent}\""))
                .or_else(|| text.find(parent.as_str()))
        {
            return d.at_offset(file, text, at);
        }
        return d;
    };
    let span = report.span();
    let (file, text) = match sources.get(report.filename()) {
        Some((file, text)) => (file.clone(), Some(text.as_str())),
        None => (PathBuf::from(report.filename()), None),
    };
    let location = Location {
        file,
        line: span.start_line,
        column: span.start_col + 1,
    };
    let hint = if ["not found", "undefined", "not defined"]
        .iter()
        .any(|m| report.message().contains(m))
    {
        "the value may be missing on some pages: guard it with `{% if x is defined %}` or `| default(value=...)`"
    } else {
        "see the Tera documentation for the template syntax"
    };
    Diagnostic::new(kind, format!("{}{while_rendering}", report.message()))
        .at(location, text)
        .hint(hint)
}
