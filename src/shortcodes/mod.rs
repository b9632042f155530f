//! Shortcodes, in Zola's syntax: small templates a page calls with arguments, as
//! `{{ name(arg="v") }}` or with a body as `{% name() %}…{% end %}`. Their templates are
//! `templates/shortcodes/NAME.html` (or `.md`, whose output is Markdown) in the site or
//! the theme, the site's winning; a header comment may declare typed arguments (see
//! `declare.rs`), which calls are checked against.

use std::collections::{BTreeMap, HashMap};
use std::path::PathBuf;

mod call;
mod check;
mod declare;
mod extract;
mod include;
mod syntax;

pub(crate) use call::{Call, CallBody, Problem};
pub(crate) use check::{check_call, page_args};
pub(crate) use declare::{ArgSpec, ArgType, BodyMode, Declaration};
pub(crate) use extract::{
    PLACEHOLDER_END, PLACEHOLDER_START, Placed, Role, extract, may_have_tags,
};
#[cfg(any(feature = "serve", feature = "lsp"))]
pub(crate) use include::INCLUDE;
pub(crate) use include::{Includable, Includes};
pub(crate) use syntax::{Arg, ArgValue};

use crate::error::{Diagnostic, ErrorKind};

/// Where shortcode templates are, under a templates folder.
pub(crate) const FOLDER: &str = "shortcodes/";

/// What reading a page's shortcode calls needs of the site.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct SiteShortcodes<'a> {
    /// The shortcodes declared, if the templates loaded.
    pub known: Option<&'a Shortcodes>,
    /// The pages an include may name, by path under `content/`.
    pub pages: Option<&'a Includable<'a>>,
}

/// One shortcode: its template and what it declares.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Shortcode {
    /// The Tera name of its template (`shortcodes/figure.html`).
    pub template: String,
    /// Its output is Markdown (a `.md` template, as Zola's), rendered to HTML.
    pub markdown_output: bool,
    /// Its arguments and body.
    pub declaration: Declaration,
}

/// Every shortcode the site can call, by name.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct Shortcodes {
    by_name: BTreeMap<String, Shortcode>,
}

impl Shortcodes {
    /// The shortcodes among the templates `sources` (name → file and text), with the
    /// errors of their declarations.
    pub(crate) fn from_templates(
        sources: &HashMap<String, (PathBuf, String)>,
    ) -> (Shortcodes, Vec<Diagnostic>) {
        let mut by_name = BTreeMap::new();
        let mut errors = Vec::new();
        let mut names: Vec<&String> = sources.keys().collect();
        names.sort();
        for template in names {
            let Some(file) = template.strip_prefix(FOLDER) else {
                continue;
            };
            let (name, markdown_output) =
                match (file.strip_suffix(".html"), file.strip_suffix(".md")) {
                    (Some(n), _) => (n, false),
                    (None, Some(n)) => (n, true),
                    _ => continue,
                };
            // `x.html` wins over `x.md`, whichever comes first.
            if markdown_output && by_name.contains_key(name) {
                continue;
            }
            let (path, text) = &sources[template];
            match declare::declaration(text) {
                Ok(declaration) => {
                    by_name.insert(
                        name.to_string(),
                        Shortcode {
                            template: template.clone(),
                            markdown_output,
                            declaration,
                        },
                    );
                }
                Err((message, at)) => errors.push(
                    Diagnostic::new(
                        ErrorKind::Template,
                        format!("the declaration of shortcode `{name}` is not valid: {message}"),
                    )
                    .at_offset(path, text, at)
                    .hint("args: NAME: TYPE (string, number, bool, array, page, any) or { type: …, required: true, doc: … }; body: none, markdown or raw"),
                ),
            }
        }
        (Shortcodes { by_name }, errors)
    }

    /// The shortcode called `name`.
    pub(crate) fn get(&self, name: &str) -> Option<&Shortcode> {
        self.by_name.get(name)
    }

    /// Every shortcode, by name.
    pub(crate) fn iter(&self) -> impl Iterator<Item = (&str, &Shortcode)> {
        self.by_name.iter().map(|(n, s)| (n.as_str(), s))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn site_with(templates: &[(&str, &str)]) -> Shortcodes {
        let sources = templates
            .iter()
            .map(|(n, t)| {
                (
                    n.to_string(),
                    (PathBuf::from(format!("templates/{n}")), t.to_string()),
                )
            })
            .collect();
        let (shortcodes, errors) = Shortcodes::from_templates(&sources);
        assert!(errors.is_empty(), "{errors:?}");
        shortcodes
    }

    fn problems(known: &Shortcodes, body: &str) -> Vec<String> {
        let e = extract(body, Some(known), None);
        e.calls
            .into_iter()
            .flat_map(|c| c.problems)
            .map(|p| format!("{} @{}: {}", p.message, p.offset, p.hint))
            .collect()
    }

    #[test]
    fn checks_names_arguments_types_and_bodies() {
        let known = site_with(&[
            (
                "shortcodes/figure.html",
                "{# shortcode\nargs:\n  src: { type: string, required: true }\n  width: number\n#}<img>",
            ),
            ("shortcodes/legacy.html", "{{ anything }}"),
            ("page.html", "not a shortcode"),
        ]);
        assert!(problems(&known, "{{ figure(src=\"a.png\", width=3) }}").is_empty());
        assert!(problems(&known, "{{ legacy(whatever=1) }}").is_empty());
        let found = problems(&known, "{{ figur(src=\"a\") }}");
        assert_eq!(
            found,
            ["unknown shortcode `figur` @0: did you mean `figure`?"]
        );
        let found = problems(&known, "{{ figure(src=\"a\", widht=3) }}");
        assert_eq!(
            found,
            ["shortcode `figure` has no argument `widht` @19: did you mean `width`?"]
        );
        let found = problems(&known, "{{ figure(src=\"a\", width=\"3\") }}");
        assert!(
            found[0].starts_with("argument `width` of `figure` must be a number, not a string")
        );
        let found = problems(&known, "{{ figure(width=3) }}");
        assert!(found[0].starts_with("shortcode `figure` needs argument `src`"));
        let found = problems(&known, "{% figure(src=\"a\") %}x{% end %}");
        assert!(found[0].starts_with("shortcode `figure` takes no body"));
    }
}
