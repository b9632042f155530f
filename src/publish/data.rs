//! The knowledge base as data for other tools, per language: `/api/pages.json` (every
//! page's front matter, URL and relations) and `/graph.json` (nodes and typed edges),
//! and `/ru/api/pages.json`, `/ru/graph.json` for another language's pages.
//!
//! Written through borrowed serde structs, page by page in parallel, rather than
//! through JSON value trees: on large sites these files are most of the data stage.

use indexmap::IndexMap;
use rayon::prelude::*;
use serde::Serialize;

use crate::incremental::fingerprint::SiteFingerprints;
use crate::incremental::kept::KeptLog;
use crate::links::{Edge, LinkGraph, Relation};
use crate::model::{FieldValue, Page, PageId, Role};
use crate::render::{PageValues, RenderInput};

/// The build cache's log of what is made of each page and kept by what it is made of:
/// pages' entries of `pages.json` and `graph.json`'s edges (here), summaries
/// (`render::summaries`).
pub(crate) const ENTRIES_FILE: &str = "page-entries";

/// Changes whenever an entry's layout, or what its key covers, does.
const ENTRIES_FORMAT: u32 = 1;

/// A hash of what every kept entry depends on besides its key: the format and muster.
pub(crate) fn entries_setup() -> u128 {
    let text = format!("{ENTRIES_FORMAT}\u{1f}{}", env!("CARGO_PKG_VERSION"));
    xxhash_rust::xxh3::xxh3_128(text.as_bytes())
}

/// Pages' entries of `pages.json` kept from the last build, found by what they were
/// made of: the site's setup fingerprint (settings, places, relations: every path and
/// URL an entry names), the page's own text and what its queries found; and the edges
/// of `graph.json`, found by the setup fingerprint alone.
#[derive(Clone, Copy)]
pub(crate) struct KeptEntries<'a> {
    /// Where they are kept.
    pub log: &'a KeptLog,
    /// This build's fingerprints.
    pub fingerprints: &'a SiteFingerprints,
}

impl KeptEntries<'_> {
    /// The key of page `id`'s entry, whose queries found `found`.
    fn key(&self, id: PageId, found: &[(usize, Vec<PageId>)]) -> u128 {
        let mut hash = xxhash_rust::xxh3::Xxh3::new();
        // Pages without a file of their own (made-up sections) share a text fingerprint.
        hash.update(&(id.0 as u64).to_le_bytes());
        hash.update(&self.fingerprints.setup.to_le_bytes());
        hash.update(&self.fingerprints.pages[id.0].text.to_le_bytes());
        for (call, pages) in found {
            hash.update(&(*call as u64).to_le_bytes());
            hash.update(&(pages.len() as u64).to_le_bytes());
            for page in pages {
                hash.update(&(page.0 as u64).to_le_bytes());
            }
        }
        hash.digest128()
    }

    /// The key of the run of language `lang`'s `graph.json` edges made of the graph's
    /// edges from number `start` on.
    fn graph_edges_key(&self, lang: Option<&str>, start: usize) -> u128 {
        let mut hash = xxhash_rust::xxh3::Xxh3::new();
        hash.update(b"graph edges\x1f");
        hash.update(&self.fingerprints.setup.to_le_bytes());
        hash.update(&(start as u64).to_le_bytes());
        hash.update(lang.unwrap_or_default().as_bytes());
        hash.digest128()
    }
}

/// A relation as the data files write it.
#[derive(Serialize)]
struct RelationOut<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    to: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    from: Option<&'a str>,
    #[serde(rename = "type")]
    kind: &'static str,
    field: Option<&'a str>,
}

fn relation_parts(relation: &Relation) -> (&'static str, Option<&str>) {
    match relation {
        Relation::Ref { field } => ("ref", Some(&**field)),
        Relation::Link { .. } => ("link", None),
        Relation::Embed => ("embed", None),
    }
}

/// A field value, refs written as the paths of the pages they resolved to.
#[derive(Serialize)]
#[serde(untagged)]
enum FieldOut<'a> {
    Ref(Option<&'a str>),
    Refs(Vec<&'a str>),
    Value(&'a FieldValue),
}

#[derive(Serialize)]
struct Relations<'a> {
    out: Vec<RelationOut<'a>>,
    #[serde(rename = "in")]
    incoming: Vec<RelationOut<'a>>,
}

#[derive(Serialize)]
struct PageOut<'a> {
    path: &'a str,
    url: &'a str,
    permalink: String,
    title: &'a str,
    /// Its language's code.
    lang: &'a str,
    kind: Option<&'a str>,
    section: bool,
    date: Option<String>,
    updated: Option<String>,
    draft: bool,
    summary: Option<&'a str>,
    taxonomies: &'a IndexMap<String, Vec<String>>,
    fields: IndexMap<&'a str, FieldOut<'a>>,
    extra: &'a serde_json::Map<String, serde_json::Value>,
    relations: Relations<'a>,
    /// What the page's queries found, in the order they are written.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    queries: Vec<QueryOut<'a>>,
}

/// One query's result: the kind it lists and the paths of the pages it found, in order.
#[derive(Serialize)]
struct QueryOut<'a> {
    kind: &'a str,
    pages: Vec<&'a str>,
}

/// Pages' entries of `pages.json` made at a time, in parallel: the file is written as
/// they come (150 MB for the generated 100,000 pages, so about 1.5 MB at a time there),
/// not held whole.
const ENTRIES_AT_A_TIME: usize = 1024;

/// `{"pages": [{path, url, permalink, title, lang, kind, date, …, fields, taxonomies, relations}]}`
/// of the pages of language `lang` (`None`: the default), as consecutive parts made as
/// they are asked for (written one after another, never joined in memory); each
/// language's in its own file (`api/pages.json`,
/// `ru/api/pages.json`); untranslated copies are their originals' data again and are
/// left out.
pub(crate) fn pages_json<'a>(
    input: &'a RenderInput<'a>,
    values: &'a PageValues<'a>,
    lang: Option<&str>,
    kept: Option<KeptEntries<'a>>,
) -> impl Iterator<Item = Vec<u8>> + 'a {
    let site = input.site;
    let listed: Vec<PageId> = site
        .iter()
        .filter(|(_, page)| page.written_in(lang))
        .map(|(id, _)| id)
        .collect();
    let entry = move |id: PageId| {
        let found = values.targets.query_results(id);
        let key = kept.map(|kept| (kept, kept.key(id, found)));
        let reused = key.and_then(|(kept, key)| kept.log.find_bytes(key));
        reused.unwrap_or_else(|| {
            let mut made = Vec::new();
            let _ = serde_json::to_writer(&mut made, &page_out(input, values, id));
            if let Some((kept, key)) = key {
                kept.log.add(key, made.clone());
            }
            made
        })
    };
    let starts = (0..listed.len()).step_by(ENTRIES_AT_A_TIME);
    // Each entry is a part of its own: a batch is not copied into one buffer.
    let entries = starts.flat_map(move |start| {
        let end = listed.len().min(start + ENTRIES_AT_A_TIME);
        listed[start..end]
            .par_iter()
            .map(|&id| entry(id))
            .collect::<Vec<Vec<u8>>>()
    });
    let part = |bytes: &[u8]| std::iter::once(bytes.to_vec());
    part(b"{\"pages\":[")
        .chain(separated(entries))
        .chain(part(b"]}"))
}

/// Page `id`'s entry of `pages.json`.
fn page_out<'a>(input: &'a RenderInput<'_>, values: &'a PageValues<'_>, id: PageId) -> PageOut<'a> {
    let (site, graph) = (input.site, input.graph);
    let path_of = |id: PageId| site.page(id).path.as_str();
    let (i, page) = (id.0, site.page(id));
    let edge = |e: usize, outward: bool| {
        let edge: &Edge = &graph.edges[e];
        let (kind, field) = relation_parts(&edge.relation);
        RelationOut {
            to: outward.then(|| path_of(edge.to)),
            from: (!outward).then(|| path_of(edge.from)),
            kind,
            field,
        }
    };
    PageOut {
        path: &page.path,
        url: values.targets.url(id),
        permalink: input.urls.permalink(&page.path),
        title: &page.meta.title,
        lang: input.config.language_code(page.lang.as_deref()),
        kind: page.kind.as_deref(),
        section: page.role == Role::Section,
        date: page.meta.date.map(|d| d.to_string()),
        updated: page.last_change().map(|d| d.to_string()),
        draft: page.meta.draft,
        summary: page.meta.summary.as_deref(),
        taxonomies: &page.meta.taxonomies,
        fields: fields(page, graph, id, &path_of),
        extra: &page.meta.extra,
        relations: Relations {
            out: graph.outgoing[i].clone().map(|e| edge(e, true)).collect(),
            incoming: graph.incoming[i].iter().map(|&e| edge(e, false)).collect(),
        },
        queries: values
            .targets
            .query_results(id)
            .iter()
            .map(|(call, found)| QueryOut {
                kind: page.body.calls[*call]
                    .query
                    .as_ref()
                    .map_or("", |q| q.kind.as_str()),
                pages: found.iter().map(|&p| path_of(p)).collect(),
            })
            .collect(),
    }
}

fn fields<'a>(
    page: &'a Page,
    graph: &'a LinkGraph,
    id: PageId,
    path_of: &impl Fn(PageId) -> &'a str,
) -> IndexMap<&'a str, FieldOut<'a>> {
    page.fields
        .iter()
        .map(|(name, value)| {
            let targets = || {
                graph.refs[id.0]
                    .get(name)
                    .map_or(Vec::new(), |t| t.iter().map(|t| path_of(*t)).collect())
            };
            let v = match value {
                FieldValue::Ref(_) => FieldOut::Ref(targets().first().copied()),
                FieldValue::Refs(_) => FieldOut::Refs(targets()),
                other => FieldOut::Value(other),
            };
            (name.as_str(), v)
        })
        .collect()
}

#[derive(Serialize)]
struct NodeOut<'a> {
    id: &'a str,
    title: &'a str,
    kind: Option<&'a str>,
    url: &'a str,
}

#[derive(Serialize)]
struct EdgeOut<'a> {
    source: &'a str,
    target: &'a str,
    #[serde(rename = "type")]
    kind: &'static str,
    field: Option<&'a str>,
}

/// Nodes and edges of `graph.json` made (or edges taken from the build cache) at a time:
/// the file is written as they come (90 MB at 100,000 pages), not held whole.
const GRAPH_ITEMS_AT_A_TIME: usize = 16_384;

/// `{nodes: [{id, title, kind, url}], edges: [{source, target, type, field}]}` of the
/// pages of language `lang` (`None`: the default) and the relations between them, as
/// consecutive parts made as they are asked for. The edges, which name only paths and
/// relations (all in the setup fingerprint), are taken from `kept` when the setup is
/// unchanged, a run of them at a time.
pub(crate) fn graph_json<'a>(
    input: &'a RenderInput<'a>,
    values: &'a PageValues<'a>,
    lang: Option<&'a str>,
    kept: Option<KeptEntries<'a>>,
) -> impl Iterator<Item = Vec<u8>> + 'a {
    let site = input.site;
    let in_lang = move |id: PageId| site.page(id).written_in(lang);
    let nodes = (0..site.pages.len())
        .step_by(GRAPH_ITEMS_AT_A_TIME)
        .map(move |start| {
            let end = site.pages.len().min(start + GRAPH_ITEMS_AT_A_TIME);
            json_items(
                (start..end)
                    .map(PageId)
                    .filter(|id| in_lang(*id))
                    .map(|id| {
                        let page = site.page(id);
                        NodeOut {
                            id: &page.path,
                            title: &page.meta.title,
                            kind: page.kind.as_deref(),
                            url: values.targets.url(id),
                        }
                    }),
            )
        });
    let all_edges = &input.graph.edges;
    let edges = (0..all_edges.len())
        .step_by(GRAPH_ITEMS_AT_A_TIME)
        .map(move |start| {
            let end = all_edges.len().min(start + GRAPH_ITEMS_AT_A_TIME);
            let make = || {
                let edges = all_edges[start..end].iter();
                json_items(edges.filter(|e| in_lang(e.from) && in_lang(e.to)).map(|e| {
                    let (kind, field) = relation_parts(&e.relation);
                    EdgeOut {
                        source: &site.page(e.from).path,
                        target: &site.page(e.to).path,
                        kind,
                        field,
                    }
                }))
            };
            let Some(kept) = kept else {
                return make();
            };
            let key = kept.graph_edges_key(lang, start);
            kept.log
                .find(key, |bytes| Some(bytes.to_vec()))
                .unwrap_or_else(|| {
                    let made = make();
                    kept.log.add(key, made.clone());
                    made
                })
        });
    // Written as serde writes `{"nodes": […], "edges": […]}`.
    let part = |bytes: &[u8]| std::iter::once(bytes.to_vec());
    part(b"{\"nodes\":[")
        .chain(separated(nodes))
        .chain(part(b"],\"edges\":["))
        .chain(separated(edges))
        .chain(part(b"]}"))
}

/// `items` as JSON, separated by commas (a run of a JSON list's items).
fn json_items<T: Serialize>(items: impl Iterator<Item = T>) -> Vec<u8> {
    let mut out = Vec::new();
    for (n, item) in items.enumerate() {
        if n > 0 {
            out.push(b',');
        }
        serde_json::to_writer(&mut out, &item).expect("strings and numbers: they serialize");
    }
    out
}

/// Runs of a JSON list's items, with a comma part between each two that are not empty.
fn separated(runs: impl Iterator<Item = Vec<u8>>) -> impl Iterator<Item = Vec<u8>> {
    let mut first = true;
    runs.filter(|run| !run.is_empty()).flat_map(move |run| {
        let comma = (!std::mem::take(&mut first)).then(|| b",".to_vec());
        comma.into_iter().chain(std::iter::once(run))
    })
}
