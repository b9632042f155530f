//! Publish: the site-wide data files beside the rendered pages — sitemap, robots.txt,
//! Atom feeds, the JSON data export and graph, and the sharded search index.

pub mod data;
pub mod feeds;
pub mod search;
pub mod text;

use std::path::Path;

use rayon::prelude::*;

use crate::error::Diagnostic;
use crate::output::OutputSink;
use crate::render::{PageValues, RenderInput, RenderPlan};

/// One generated file: its output path and bytes.
pub type DataFile = (String, Vec<u8>);

/// Writes every site-wide data file into `sink`; returns how many, or the failures.
pub fn write(
    input: &RenderInput<'_>,
    plan: &RenderPlan,
    values: &PageValues<'_>,
    has_static_robots: bool,
    sink: &dyn OutputSink,
) -> Result<usize, Vec<Diagnostic>> {
    let (mut files, search) = rayon::join(
        || {
            let mut files = vec![
                (
                    "sitemap.xml".to_string(),
                    feeds::sitemap(input, plan).into_bytes(),
                ),
                (
                    "api/pages.json".to_string(),
                    data::pages_json(input, values),
                ),
                ("graph.json".to_string(), data::graph_json(input, values)),
            ];
            // A site's own robots.txt in static/ wins.
            if !has_static_robots {
                files.push(("robots.txt".to_string(), feeds::robots(input).into_bytes()));
            }
            files.extend(feeds::atom_feeds(input, values));
            files
        },
        || search::index_files(input, values),
    );
    files.extend(search);
    let errors: Vec<Diagnostic> = files
        .par_iter()
        .filter_map(|(path, bytes)| {
            sink.write(path, bytes)
                .err()
                .map(|e| Diagnostic::io(Path::new(path), &e))
        })
        .collect();
    if errors.is_empty() {
        Ok(files.len())
    } else {
        Err(errors)
    }
}
