//! Publish: the site-wide data files beside the rendered pages — sitemap, robots.txt,
//! Atom feeds, the JSON data export and graph, and the sharded search index.

pub(crate) mod data;
pub(crate) mod feeds;
pub(crate) mod fold;
mod json_string;
mod postings;
pub(crate) mod search;
pub(crate) mod stem;
mod words;

use std::path::Path;

use crate::error::Diagnostic;
use crate::incremental::fingerprint::SiteFingerprints;
use crate::incremental::kept::KeptLog;
use crate::output::OutputSink;
use crate::render::{PageValues, RenderInput, RenderPlan};

/// Where the stylesheet of highlighted code goes (`site.code_css` in templates).
pub(crate) const CODE_STYLESHEET: &str = "highlight.css";

/// What the data files may take from the last build, in the build cache's logs.
#[derive(Clone, Copy, Default)]
pub(crate) struct Kept<'a> {
    /// Search documents' terms.
    pub terms: Option<&'a KeptLog>,
    /// Pages' entries of `pages.json` and `graph.json`'s edges ([`data::ENTRIES_FILE`]).
    pub entries: Option<&'a KeptLog>,
    /// This build's fingerprints: with them, what is kept of a page is found by what it
    /// was made of, without making it first.
    pub fingerprints: Option<&'a SiteFingerprints>,
    /// The last build's search indexes, and this build's to keep.
    pub index: Option<&'a search::state::IndexKeeping<'a>>,
}

/// One generated file: its output path and bytes.
pub(crate) type DataFile = (String, Vec<u8>);

/// The data files [`write()`] will write, named for messages, as far as they are known
/// before rendering: all but the search index's shards, which live in `search/` too.
pub(crate) fn planned_files(
    site: &crate::model::Site,
    has_static_robots: bool,
) -> Vec<(String, &'static str)> {
    let mut files: Vec<(String, &'static str)> = vec![
        ("sitemap.xml".into(), "the sitemap"),
        ("api/pages.json".into(), "the page data"),
        ("graph.json".into(), "the graph data"),
        ("atom.xml".into(), "the site's feed"),
        ("search/meta.json".into(), "the search index"),
        (CODE_STYLESHEET.into(), "the code stylesheet"),
    ];
    if !has_static_robots {
        files.push(("robots.txt".into(), "robots.txt"));
    }
    for (_, folder) in &site.languages {
        files.push((format!("{folder}/search/meta.json"), "the search index"));
        files.push((format!("{folder}/graph.json"), "the graph data"));
        files.push((format!("{folder}/api/pages.json"), "the page data"));
    }
    files.extend(
        feeds::sections_with_feeds(site)
            .into_iter()
            .map(|id| (feeds::feed_path(&site.page(id).path), "a section's feed")),
    );
    files
}

/// The colours of highlighted code, from site.yaml's `markdown:` themes.
fn code_stylesheet(config: &crate::config::SiteConfig) -> String {
    crate::markdown::code_stylesheet(config.markdown.code_colours())
}

/// Writes every site-wide data file into `sink`; returns how many, or the failures. The
/// search index takes unchanged documents' terms from `kept` and keeps all there;
/// `pages.json` does the same with pages' entries.
/// Each file is written as soon as it is made, so that the large ones (`pages.json`,
/// the search shards) are not all held in memory at once. The search index is made beside
/// the files made on one thread (sitemap, graphs, feeds), and `pages.json`, itself made in
/// parallel, after them: at 100,000 pages it is 150 MB, as much as the index holds.
pub(crate) fn write(
    input: &RenderInput<'_>,
    plan: &RenderPlan,
    values: &PageValues<'_>,
    has_static_robots: bool,
    kept: Kept<'_>,
    sink: &dyn OutputSink,
) -> Result<usize, Vec<Diagnostic>> {
    let entries = kept
        .entries
        .zip(kept.fingerprints)
        .map(|(log, fingerprints)| data::KeptEntries { log, fingerprints });
    let outcome = |path: &str, result: std::io::Result<()>| {
        result.err().map(|e| Diagnostic::io(Path::new(path), &e))
    };
    let put = |path: &str, bytes: Vec<u8>| outcome(path, sink.write(path, &bytes));
    let (mut written, search) = rayon::join(
        || {
            let graph = |path: &str, lang: Option<&str>| {
                let mut parts = data::graph_json(input, values, lang, entries);
                outcome(path, sink.write_parts(path, &mut parts))
            };
            let mut written: Vec<Option<Diagnostic>> = vec![
                outcome(
                    "sitemap.xml",
                    feeds::sitemap(input, plan).store(sink, "sitemap.xml"),
                ),
                graph("graph.json", None),
                put(CODE_STYLESHEET, code_stylesheet(input.config).into_bytes()),
            ];
            // A site's own robots.txt in static/ wins.
            if !has_static_robots {
                written.push(put("robots.txt", feeds::robots(input).into_bytes()));
            }
            for (code, folder) in &input.site.languages {
                written.push(graph(&format!("{folder}/graph.json"), Some(code)));
            }
            for (path, bytes) in feeds::atom_feeds(input, values) {
                written.push(put(&path, bytes));
            }
            written
        },
        || search::write_index(input, values, kept, sink),
    );
    written.extend(search);
    let languages = std::iter::once((None, "api/pages.json".to_string())).chain(
        input
            .site
            .languages
            .iter()
            .map(|(code, folder)| (Some(code.as_str()), format!("{folder}/api/pages.json"))),
    );
    for (lang, path) in languages {
        let mut parts = data::pages_json(input, values, lang, entries);
        written.push(outcome(&path, sink.write_parts(&path, &mut parts)));
    }
    let count = written.len();
    let errors: Vec<Diagnostic> = written.into_iter().flatten().collect();
    if errors.is_empty() {
        Ok(count)
    } else {
        Err(errors)
    }
}
