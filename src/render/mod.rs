//! Render: turns the model into HTML files through Tera templates.

pub(crate) mod bodies;
pub(crate) mod calls;
pub(crate) mod collisions;
mod date_filter;
pub(crate) mod graph;
mod graph_page;
pub(crate) mod guide;
pub(crate) mod labels;
pub(crate) mod languages;
mod months;
mod numbers;
pub(crate) mod plan;
pub(crate) mod post;
pub(crate) mod queries;
pub(crate) mod query_function;
pub(crate) mod reads;
pub(crate) mod relations;
mod strings;
pub(crate) mod summaries;
pub(crate) mod templates;
pub(crate) mod timeline;
pub(crate) mod urls;
pub(crate) mod values;

use std::path::Path;

use rayon::prelude::*;
use tera::{Context, Value};

pub(crate) use plan::{OutputTarget, PlannedOutput, RenderPlan, pager_path, plan};
pub(crate) use templates::Templates;
pub(crate) use urls::Urls;

use crate::assets::StaticNames;
use crate::config::SiteConfig;
use crate::error::Diagnostic;
use crate::links::LinkGraph;
use crate::model::Site;
use crate::output::OutputSink;
use crate::taxonomy::Taxonomy;
pub(crate) use values::PageValues;
use values::object;

/// What rendering needs, all computed by earlier stages.
pub(crate) struct RenderInput<'a> {
    /// Site config.
    pub config: &'a SiteConfig,
    /// Pages.
    pub site: &'a Site,
    /// Relations.
    pub graph: &'a LinkGraph,
    /// Taxonomies.
    pub taxonomies: &'a [Taxonomy],
    /// Templates.
    pub templates: &'a Templates,
    /// URL maker.
    pub urls: &'a Urls,
    /// Output paths of stylesheets and scripts, by template name.
    pub static_names: &'a StaticNames,
    /// The writer's guide, if the site has one.
    pub guide: Option<&'a guide::Guide>,
    /// The shortcodes among the templates.
    pub shortcodes: &'a crate::shortcodes::Shortcodes,
    /// What the templates' `query()` calls read.
    pub template_queries: &'a query_function::TemplateQueryReads,
}

impl<'a> RenderInput<'a> {
    /// What rendering shortcode calls needs.
    pub(crate) fn call_templates(&self) -> Option<calls::CallTemplates<'a>> {
        Some(calls::CallTemplates {
            config: self.config,
            templates: self.templates,
            shortcodes: self.shortcodes,
        })
    }
}

/// What rendering some outputs gave besides their files; `R` is what is kept of each
/// output's reads (`serve` keeps them as they are, a build encoded for its cache).
#[derive(Debug, Default)]
pub(crate) struct RenderReport<R = reads::Reads> {
    /// The errors, of every output.
    pub errors: Vec<Diagnostic>,
    /// Per output rendered (by its number in the plan): what it read.
    pub reads: Vec<(usize, R)>,
    /// What the site-wide values every output sees (`site.recent`…) read.
    pub site_reads: reads::Reads,
}

/// Renders the planned outputs `outputs` (numbered as in the plan) into `sink`, in
/// parallel, with page values made beforehand (once per build; `serve` keeps them and
/// re-renders only the outputs whose recorded reads a change touched).
#[cfg_attr(not(feature = "serve"), allow(dead_code))]
pub(crate) fn render_outputs<'o>(
    input: &RenderInput<'_>,
    values: &PageValues<'_>,
    outputs: impl ParallelIterator<Item = (usize, &'o PlannedOutput)>,
    sink: &dyn OutputSink,
) -> RenderReport {
    render_outputs_keeping(input, values, outputs, sink, |reads| reads)
}

/// [`render_outputs`], keeping of each output's reads what `keep` makes of them as soon
/// as the output is rendered: a build that keeps no cache would hold them all for
/// nothing (0.14 GB at 100,000 pages), and one that does needs them only encoded.
pub(crate) fn render_outputs_keeping<'o, R: Send>(
    input: &RenderInput<'_>,
    values: &PageValues<'_>,
    outputs: impl ParallelIterator<Item = (usize, &'o PlannedOutput)>,
    sink: &dyn OutputSink,
    keep: impl Fn(reads::Reads) -> R + Sync,
) -> RenderReport<R> {
    let site_recorder = reads::Recorder::default();
    let mut tera_globals = Context::new();
    tera_globals.insert_value("site", site_value(input, values, &site_recorder));
    let (errors, reads): (Vec<Vec<Diagnostic>>, Vec<(usize, R)>) = outputs
        .map(|(n, output)| {
            // A page's shortcode errors come with the page's own output.
            let mut errors = match output.target {
                // An untranslated copy's calls are its original's, whose errors they are.
                OutputTarget::Page(id) if input.site.page(id).untranslated => Vec::new(),
                OutputTarget::Page(id) => values.targets.call_errors_of(id),
                _ => Vec::new(),
            };
            let recorder = reads::Recorder::default();
            recorder.read(reads::Read::template(output.template.as_str()));
            let rendered = render_output(input, values, output, &tera_globals, sink, &recorder);
            errors.extend(rendered);
            (errors, (n, keep(recorder.finish())))
        })
        .unzip();
    // A query run from a template is read by every output (the function cannot tell
    // which output called it).
    site_recorder.read_all(&input.template_queries.reads());
    RenderReport {
        errors: errors.into_iter().flatten().collect(),
        reads,
        site_reads: site_recorder.finish(),
    }
}

/// Renders one planned output into `sink`; its error, if it fails.
fn render_output(
    input: &RenderInput<'_>,
    values: &PageValues<'_>,
    output: &PlannedOutput,
    tera_globals: &Context,
    sink: &dyn OutputSink,
    recorder: &reads::Recorder,
) -> Option<Diagnostic> {
    let (context, page_file) = match output.target {
        OutputTarget::Redirect { page, .. } => {
            let url = input.urls.path(&input.site.page(page).path);
            let html = redirect_html(&url, &input.config.language);
            return sink
                .write(&output.path, html.as_bytes())
                .err()
                .map(|e| Diagnostic::io(Path::new(&output.path), &e));
        }
        target => context_for(target, input, values, recorder),
    };
    let mut context = context;
    context.extend(tera_globals.clone());
    // A page of the default theme is 20 to 40 KB: room for it at once spares copying it
    // as the buffer doubles (the sinks copy what they keep, so the room is not kept).
    let mut buffer = crate::output::PieceBuffer::with_capacity(64 * 1024);
    if let Err(e) = input
        .templates
        .tera
        .render_to(&output.template, &context, &mut buffer)
    {
        return Some(templates::template_error(
            &e,
            &input.templates.sources,
            page_file,
        ));
    }
    buffer
        .store(sink, &output.path)
        .err()
        .map(|e| Diagnostic::io(Path::new(&output.path), &e))
}

/// Taxonomy `t` as templates see it: `{name, label, url}`, and its `terms` on its list.
fn taxonomy_value(input: &RenderInput<'_>, t: usize, terms: Option<tera::Value>) -> tera::Value {
    let tax = &input.taxonomies[t];
    let mut map = tera::Map::new();
    map.insert("name".into(), tax.name.as_str().into());
    map.insert("label".into(), tax.label(input.config).into());
    map.insert("url".into(), input.urls.path(&tax.path()).into());
    if let Some(terms) = terms {
        map.insert("terms".into(), terms);
    }
    map.into()
}

fn context_for<'a>(
    target: OutputTarget,
    input: &'a RenderInput<'_>,
    values: &PageValues<'_>,
    recorder: &reads::Recorder,
) -> (Context, Option<&'a Path>) {
    let mut context = Context::new();
    let mut file = None;
    // The reader's language, for the theme's words and the pages listed in another.
    let lang = target_language(target, input);
    let code = input.config.language_code(lang);
    input.templates.strings.set_language(&mut context, code);
    match target {
        OutputTarget::Page(id) => {
            file = input.site.page(id).file.as_deref();
            context.insert_value("page", values.page(id, recorder));
        }
        OutputTarget::Paged { section, number } => {
            file = input.site.page(section).file.as_deref();
            context.insert_value("page", values.listing_page(section, number, recorder));
        }
        OutputTarget::TaxonomyList(t) => {
            let terms = values.terms[t].clone().into();
            let taxonomy = taxonomy_value(input, t, Some(terms));
            context.insert_value("taxonomy", taxonomy);
        }
        OutputTarget::Term { taxonomy, term } => {
            context.insert_value("taxonomy", taxonomy_value(input, taxonomy, None));
            let tax = &input.taxonomies[taxonomy];
            let t = &tax.terms[term];
            let term = object([
                ("name", t.name.as_str().into()),
                ("url", input.urls.path(&tax.term_path(t)).into()),
                ("pages", values.list(Some(&t.pages), recorder)),
            ]);
            context.insert_value("term", term);
        }
        OutputTarget::Timeline { .. } => {
            context.insert_value(
                "timeline",
                timeline::timeline_value((input.site, lang), values, recorder),
            );
            context.insert_value(
                "undated",
                timeline::undated_value(input.config, (input.site, lang), values, recorder),
            );
        }
        OutputTarget::Graph { .. } => {
            context.insert_value(
                "graph",
                graph_page::graph_value(input, values, lang, recorder),
            );
        }
        OutputTarget::Guide => {
            if let Some(g) = input.guide {
                context.insert_value("guide", guide::guide_value(g));
            }
        }
        // `language` says all: its header's words and the index it searches.
        OutputTarget::Search { .. } | OutputTarget::NotFound | OutputTarget::Redirect { .. } => {}
    }
    (context, file)
}

/// The language an output is in (`None`: the default): its page's, its taxonomy's, or
/// the one it is made for.
fn target_language<'a>(target: OutputTarget, input: &'a RenderInput<'_>) -> Option<&'a str> {
    match target {
        OutputTarget::Page(id) | OutputTarget::Paged { section: id, .. } => {
            input.site.page(id).lang.as_deref()
        }
        OutputTarget::TaxonomyList(t) | OutputTarget::Term { taxonomy: t, .. } => {
            input.taxonomies[t].lang.as_deref()
        }
        OutputTarget::Timeline { language }
        | OutputTarget::Graph { language }
        | OutputTarget::Search { language } => language_at(input, language),
        OutputTarget::Guide | OutputTarget::NotFound | OutputTarget::Redirect { .. } => None,
    }
}

/// The code of language number `language` of `Site::languages` (`None`: the default).
fn language_at<'a>(input: &'a RenderInput<'_>, language: Option<usize>) -> Option<&'a str> {
    language
        .and_then(|n| input.site.languages.get(n))
        .map(|(code, _)| code.as_str())
}

/// Site-wide values, built once and shared by every page.
fn site_value(
    input: &RenderInput<'_>,
    values: &PageValues<'_>,
    recorder: &reads::Recorder,
) -> Value {
    let config = input.config;
    let home = input.site.by_path.get("").copied();
    let newest = timeline::newest_per_language(input.site, timeline::RECENT);
    let sections = home.and_then(|h| input.site.subsections.get(&h));
    object([
        ("title", config.title.as_str().into()),
        ("description", config.description.as_str().into()),
        ("base_url", config.base_url.as_str().into()),
        ("base_path", input.urls.base_path().into()),
        ("language", config.language.as_str().into()),
        ("languages", languages::languages_value(input)),
        (
            "menus",
            languages::menus_value(input, values, &newest, recorder),
        ),
        ("sections", values.list(sections, recorder)),
        ("recent", values.list(newest.get(&None), recorder)),
        ("taxonomies", languages::taxonomy_links(input, None)),
        ("static", static_value(input)),
        ("feed_url", input.urls.file("atom.xml").into()),
        (
            "code_css",
            input.urls.file(crate::publish::CODE_STYLESHEET).into(),
        ),
        ("copy_button", config.markdown.copy_button.into()),
        ("search_url", input.urls.path("search").into()),
        (
            "guide_url",
            input.guide.map(|_| input.urls.path("guide")).into(),
        ),
    ])
}

/// `{style: "/style.3f2a9c1b7e.css", search: …}`: where each stylesheet and script is.
fn static_value(input: &RenderInput<'_>) -> Value {
    let mut map = tera::Map::new();
    for (name, rel) in &input.static_names.0 {
        map.insert(name.clone().into(), input.urls.file(rel).into());
    }
    Value::from(map)
}

fn redirect_html(url: &str, language: &str) -> String {
    let url = values::escape_html(url);
    let language = values::escape_html(language);
    format!(
        "<!doctype html>\n<html lang=\"{language}\"><head><meta charset=\"utf-8\"><title>Redirect</title>\
         <link rel=\"canonical\" href=\"{url}\"><meta http-equiv=\"refresh\" content=\"0; url={url}\"></head>\
         <body><p>This page has moved to <a href=\"{url}\">{url}</a>.</p></body></html>\n"
    )
}
