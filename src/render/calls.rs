//! Shortcode calls rendered with their templates, once per page and build, whichever
//! output (the page, a listing's summary, an embed, the search index) fills the body first.

use tera::{Context, Value};

use super::queries::SiteView;
use crate::error::{Diagnostic, ErrorKind};
use crate::links::BodyTarget;
use crate::markdown::CallOutput;
use crate::model::{Page, PageId};
use crate::shortcodes::{ArgValue, Call, CallBody, Shortcodes};

use super::Templates;
use super::reads::{Read, Reads, Recorder};
use super::values::object;

/// Where a template puts the Markdown body of its call: `{{ body }}` gives this, and
/// the output is cut there (a private-use character no page has reason to hold).
const BODY_MARKER: &str = "\u{E000}muster-body\u{E001}";

/// What rendering calls needs besides the page: the templates and their declarations.
#[derive(Clone, Copy)]
pub(crate) struct CallTemplates<'a> {
    /// The site's settings, for labels.
    pub config: &'a crate::config::SiteConfig,
    /// The compiled templates.
    pub templates: &'a Templates,
    /// The shortcodes among them.
    pub shortcodes: &'a Shortcodes,
}

/// The outputs of one page's calls, numbered as its calls, and what failed.
#[derive(Debug, Default)]
pub(crate) struct RenderedCalls {
    /// One per call; a call inside code or one that failed renders as nothing.
    pub outputs: Vec<CallOutput>,
    /// The templates' errors, located at the calls.
    pub errors: Vec<Diagnostic>,
    /// For each query that ran: its call's number and the pages it found, in order.
    pub found: Vec<(usize, Vec<PageId>)>,
    /// What rendering them read: templates, the facts of pages linked, queried fields.
    pub reads: Reads,
}

/// What a page argument shows of its page: (page, URL with anchor).
pub(crate) type PageArg<'a> = Option<(&'a Page, String)>;

impl CallTemplates<'_> {
    /// Renders the live calls of `page`; `page_arg(link)` is where internal link `link`
    /// of the page goes, for arguments of type `page`.
    pub(crate) fn render<'p>(
        &self,
        (id, page): (PageId, &Page),
        view: &SiteView<'_>,
        page_arg: impl Fn(usize) -> PageArg<'p>,
        recorder: &Recorder,
    ) -> RenderedCalls {
        let page_url = view.page_urls[id.0].as_str();
        let mut rendered = RenderedCalls::default();
        let mut nth: std::collections::HashMap<&str, usize> = std::collections::HashMap::new();
        for (n, call) in page.body.calls.iter().enumerate() {
            // Calls inside code are not calls: `nth` counts those applied.
            let count = nth.entry(call.name.as_str()).or_default();
            *count += usize::from(call.live);
            let shortcode = self.shortcodes.get(&call.name);
            if let Some(shortcode) = shortcode.filter(|_| call.live) {
                recorder.read(Read::template(shortcode.template.as_str()));
            }
            if let Some(query) = &call.query {
                let output = self.query(
                    page,
                    n,
                    query,
                    (id, view),
                    shortcode.map(|s| s.template.as_str()),
                    recorder,
                );
                match output {
                    Ok((output, found)) => {
                        rendered.outputs.push(output);
                        rendered.found.push((n, found));
                    }
                    Err(e) => {
                        rendered.errors.push(e);
                        rendered.outputs.push(CallOutput::default());
                    }
                }
                continue;
            }
            let output = match shortcode {
                Some(shortcode) if call.live && call.problems.is_empty() => {
                    // A page argument that leads nowhere is a link error already.
                    let Some(context) = self.context(page, page_url, call, *count, &page_arg)
                    else {
                        rendered.outputs.push(CallOutput::default());
                        continue;
                    };
                    match self.templates.tera.render(&shortcode.template, &context) {
                        Ok(out) if shortcode.markdown_output => split(&markdown_html(&out)),
                        Ok(out) => split(&out),
                        Err(e) => {
                            rendered.errors.push(self.failed(page, n, &e));
                            CallOutput::default()
                        }
                    }
                }
                _ => CallOutput::default(),
            };
            rendered.outputs.push(output);
        }
        rendered
    }

    /// Query `n` of `page` run and shown with the theme's `query` template.
    fn query(
        &self,
        page: &Page,
        n: usize,
        query: &crate::query::Query,
        (id, view): (PageId, &SiteView<'_>),
        template: Option<&str>,
        recorder: &Recorder,
    ) -> Result<(CallOutput, Vec<PageId>), Diagnostic> {
        let place = page.call_place(n);
        let Some(template) = template else {
            return Err(page
                .diagnostic_at_link(ErrorKind::Query, "no template shows queries".into(), place)
                .hint("add templates/shortcodes/query.html (the default theme has one)"));
        };
        let (mut context, found) = super::queries::context(self.config, view, query, id, recorder)
            .map_err(|message| {
                page.diagnostic_at_link(ErrorKind::Query, message, place)
                    .hint("name an existing page by its slug or path, or `this`")
            })?;
        // Its dates and words in the language of the page it is on.
        self.set_language(&mut context, page);
        match self.templates.tera.render(template, &context) {
            Ok(out) => Ok((split(&out), found)),
            Err(e) => Err(self.failed(page, n, &e)),
        }
    }

    /// Sets `language` and `words` of a call's context to those of `page`.
    fn set_language(&self, context: &mut Context, page: &Page) {
        let code = self.config.language_code(page.lang.as_deref());
        self.templates.strings.set_language(context, code);
    }

    /// The error of a template that failed on `call`, at the call, naming where in the
    /// template it failed.
    fn failed(&self, page: &Page, n: usize, e: &tera::Error) -> Diagnostic {
        let call = &page.body.calls[n];
        let in_template = super::templates::template_error(e, &self.templates.sources, None);
        let place = in_template
            .location
            .as_ref()
            .map(|l| format!(" ({}:{}:{})", l.file.display(), l.line, l.column))
            .unwrap_or_default();
        let message = format!(
            "shortcode `{}` failed: {}{place}",
            call.name, in_template.message
        );
        page.diagnostic_at_link(ErrorKind::Shortcode, message, page.call_place(n))
            .hint("check the call's arguments against the template; a missing optional one is `none` there")
    }
}

impl CallTemplates<'_> {
    /// The template context of `call`, the `nth` of its name on `page`: `page`, `nth`,
    /// `body`, then its arguments by name (declared ones not given are `none`); `None`
    /// if a page argument does not resolve.
    fn context<'p>(
        &self,
        page: &Page,
        page_url: &str,
        call: &Call,
        nth: usize,
        page_arg: &impl Fn(usize) -> PageArg<'p>,
    ) -> Option<Context> {
        let mut context = base_context(page, page_url, call, nth);
        // Its words and dates in the language of the page it is on.
        self.set_language(&mut context, page);
        if let Some(declared) = self
            .shortcodes
            .get(&call.name)
            .and_then(|s| s.declaration.args.as_ref())
        {
            for name in declared.keys() {
                context.insert_value(name.clone(), Value::none());
            }
        }
        for (i, arg) in call.args.iter().enumerate() {
            let linked = call
                .page_args
                .iter()
                .position(|&a| a == i)
                .map(|n| call.page_links.get(n));
            let value = match linked {
                Some(link) => {
                    let (target, url) = page_arg(*link?)?;
                    page_map(self.config, target, &url)
                }
                None => arg_value(&arg.value),
            };
            context.insert_value(arg.name.clone(), value);
        }
        Some(context)
    }
}

/// What every call's template sees besides its arguments.
fn base_context(page: &Page, page_url: &str, call: &Call, nth: usize) -> Context {
    let mut context = Context::new();
    match &call.body {
        CallBody::Markdown => context.insert_value("body", Value::safe_string(BODY_MARKER)),
        CallBody::Raw(text) => context.insert_value("body", text.as_str().into()),
        CallBody::None => {}
    }
    context.insert_value("nth", nth.into());
    context.insert_value(
        "page",
        object([
            ("title", page.meta.title.as_str().into()),
            ("url", page_url.into()),
            ("path", page.path.as_str().into()),
            ("kind", page.kind.as_deref().into()),
        ]),
    );
    context
}

/// A page as a shortcode's page argument shows it: [`listed_page`] with its kind's label
/// (in the page's language).
fn page_map(config: &crate::config::SiteConfig, page: &Page, url: &str) -> Value {
    let label = page
        .kind
        .as_deref()
        .map(|k| super::labels::kind_label_in(config, page.lang.as_deref(), k));
    listed_page(config, (page, url), ("kind_label", label.into()))
}

/// A page as a page argument and a query's row show it: title, URL, the language of its
/// text, kind, description, date, and `last` (a page argument's kind label, a row's
/// cells). Seven keys, the most a map holds in its smallest table of eight slots: a
/// section's table holds a row per page of its kind at once.
pub(super) fn listed_page(
    config: &crate::config::SiteConfig,
    (page, url): (&Page, &str),
    last: (&'static str, Value),
) -> Value {
    object([
        ("title", page.meta.title.as_str().into()),
        ("url", url.into()),
        ("text_lang", config.language_code(page.text_lang()).into()),
        ("kind", page.kind.as_deref().into()),
        ("description", page.meta.description().into()),
        ("date", page.meta.date.map(|d| d.to_string()).into()),
        last,
    ])
}

/// An argument's value as templates see it.
fn arg_value(value: &ArgValue) -> Value {
    match value {
        ArgValue::Str(s) => s.as_str().into(),
        ArgValue::Int(n) => (*n).into(),
        ArgValue::Float(f) => (*f).into(),
        ArgValue::Bool(b) => (*b).into(),
        ArgValue::Array(items) => Value::from(items.iter().map(arg_value).collect::<Vec<_>>()),
    }
}

/// A template's output cut where the body goes, if it shows it (Zola's templates write
/// `{{ body | markdown | safe }}`, which wraps it in a paragraph: that goes too).
fn split(output: &str) -> CallOutput {
    let wrapped = format!("<p>{BODY_MARKER}</p>");
    let found = output
        .find(&wrapped)
        .map(|at| {
            let newline = output[at + wrapped.len()..].starts_with('\n');
            (at, wrapped.len() + usize::from(newline))
        })
        .or_else(|| output.find(BODY_MARKER).map(|at| (at, BODY_MARKER.len())));
    match found {
        Some((at, len)) => CallOutput {
            before: output[..at].to_string(),
            after: output[at + len..].replace(BODY_MARKER, ""),
            shows_body: true,
        },
        None => CallOutput {
            // A call inside a sentence: the template file's last newline is not text.
            before: output.trim_end_matches('\n').to_string(),
            after: String::new(),
            shows_body: false,
        },
    }
}

/// Markdown (a `.md` shortcode's output, a `markdown` filter's input) as HTML.
pub(crate) fn markdown_html(text: &str) -> String {
    use pulldown_cmark::{Options, Parser, html};
    let options = Options::ENABLE_TABLES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_SMART_PUNCTUATION
        | Options::ENABLE_TASKLISTS;
    let mut out = String::with_capacity(text.len() + text.len() / 4);
    html::push_html(&mut out, Parser::new_ext(text, options));
    out
}

/// The page a page argument links to, from the links stage's targets.
pub(crate) fn linked_page(target: Option<&BodyTarget>) -> Option<(PageId, Option<&str>)> {
    match target? {
        BodyTarget::Page { page, anchor_id } => Some((*page, anchor_id.as_deref())),
        BodyTarget::File(_) => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cuts_the_output_where_the_body_goes() {
        let out = split(&format!("<aside>\n<p>{BODY_MARKER}</p>\n</aside>"));
        assert_eq!(
            (out.before.as_str(), out.after.as_str()),
            ("<aside>\n", "</aside>")
        );
        assert!(out.shows_body);
        let out = split(&format!("<b>{BODY_MARKER}</b>"));
        assert_eq!((out.before.as_str(), out.after.as_str()), ("<b>", "</b>"));
        let out = split("<hr>");
        assert!(!out.shows_body);
        assert_eq!(out.before, "<hr>");
    }
}
