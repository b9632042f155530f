//! The stages one by one, for the benchmarks (`benches/stages.rs`): each function runs
//! one stage on given input, so that it can be timed alone. Not a stable interface:
//! behind the `stages` feature, which this crate's own tests and benchmarks turn on.

use crate::build::LoadedSite;
use crate::config::SiteConfig;
use crate::error::Diagnostic;
use crate::markdown::{LinkTarget, ParsedBody};
use crate::output::OutputSink;
use crate::source::SourceFile;

/// Loads one page from `text` as the file `content/<rel>` (split, YAML, typed fields,
/// Markdown scan); returns how many errors it had.
pub fn load_page(config: &SiteConfig, rel: &str, text: String) -> usize {
    let source = SourceFile {
        section_index: false,
        rel: rel.to_string(),
        file: format!("content/{rel}").into(),
        text,
    };
    let (page, errors) = crate::model::page_load::load(config, Default::default(), None, source);
    std::hint::black_box(page);
    errors.len()
}

/// A Markdown body scanned once, to be rendered again and again.
pub struct ScannedBody(ParsedBody);

/// Scans a Markdown body: HTML with link slots, headings, internal links.
pub fn scan(body: &str) -> ScannedBody {
    ScannedBody(crate::markdown::scan(
        body,
        crate::markdown::Settings::defaults(),
    ))
}

impl ScannedBody {
    /// Fills the link slots, every internal link going to `/members/page-<n>/`; the HTML.
    pub fn render(&self) -> String {
        self.0.html(|i| {
            Some(LinkTarget {
                url: format!("/members/page-{i}/"),
                title: "Target",
                file: false,
                embedded: None,
                hreflang: None,
            })
        })
    }
}

/// Calls `measure` with a function that renders the output file at `path` of `loaded`
/// (its template, with the page values of the whole site made once beforehand), so
/// that a benchmark times one page's render alone. `None` if no output has that path.
pub fn with_one_page_render<R>(
    loaded: &LoadedSite,
    path: &str,
    sink: &dyn OutputSink,
    measure: impl FnOnce(&dyn Fn() -> Vec<Diagnostic>) -> R,
) -> Option<R> {
    let (plan, errors) = loaded.plan(&loaded.templates);
    assert!(
        !errors.iter().any(crate::error::Diagnostic::is_error),
        "the site plans: {errors:?}"
    );
    let urls = crate::render::Urls::new(&loaded.config.base_url);
    let input = loaded.render_input(&urls);
    let values = crate::render::PageValues::new(&input);
    let output = plan.outputs.iter().find(|o| o.path == path)?;
    let render = || {
        crate::render::render_outputs(
            &input,
            &values,
            rayon::iter::IntoParallelIterator::into_par_iter(vec![(0, output)]),
            sink,
        )
        .errors
    };
    Some(measure(&render))
}
