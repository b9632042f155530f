//! Links: resolves typed references and internal links, and builds the graph
//! of relations between pages with backlinks and inverse relations.

use std::sync::Arc;

use indexmap::IndexMap;
use rayon::prelude::*;
use serde::Serialize;

use crate::config::SiteConfig;
use crate::error::Diagnostic;
use crate::markdown::LinkSyntax;
use crate::model::{FieldValue, Page, PageId, Site};

mod attachments;
mod backlinks;
pub(crate) mod embeds;
#[cfg(feature = "external")]
pub(crate) mod external;
pub(crate) mod local;
mod named;
#[cfg(any(feature = "serve", feature = "lsp"))]
mod one;
mod page;
mod resolver;

pub(crate) use attachments::Attachments;
pub(crate) use backlinks::Backlinks;
pub(crate) use named::NamedPages;
use named::RelationNames;
#[cfg(any(feature = "serve", feature = "lsp"))]
pub(crate) use one::resolve_one;
#[cfg(feature = "lsp")]
pub(crate) use one::resolve_one_as;
#[cfg(feature = "lsp")]
pub(crate) use one::{find_page, linking_to_headings};
use page::{PageLinks, resolve_page};
pub(crate) use resolver::PageNames;
use resolver::{Resolver, Suggester};

/// How one page relates to another.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub(crate) enum Relation {
    /// A typed reference in front matter field `field`.
    Ref {
        /// The field name, shared by every edge of the field.
        field: Arc<str>,
    },
    /// A link in the body.
    Link {
        /// How it was written.
        syntax: LinkSyntax,
    },
    /// An embed in the body (`![[page]]`): the page shows the other's content.
    Embed,
}

/// A directed relation between two pages.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) struct Edge {
    /// The page that refers or links.
    pub from: PageId,
    /// The page referred or linked to.
    pub to: PageId,
    /// How.
    pub relation: Relation,
}

/// Where an internal link of a body goes.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) enum BodyTarget {
    /// A page of the site.
    Page {
        /// The page.
        page: PageId,
        /// The anchor's id when the link named the heading by its text (`[[page#Heading
        /// Text]]`, as Obsidian writes it) rather than by its id; `None` keeps it as written.
        anchor_id: Option<Box<str>>,
    },
    /// An attachment (`[[report.pdf]]`, `![[map.png]]`), by its output path.
    File(Box<str>),
}

/// Every relation of the site, resolved once per build.
#[derive(Debug, Default)]
pub(crate) struct LinkGraph {
    /// All relations, without duplicates, in source order.
    pub edges: Vec<Edge>,
    /// Per page: indexes into `edges` of relations pointing to it (its backlinks),
    /// ordered by source page.
    pub incoming: Backlinks,
    /// Per page: the run of `edges` that start from it (edges are merged page by page).
    pub outgoing: Vec<std::ops::Range<usize>>,
    /// Per page, per internal link in its body: the page it goes to, if it resolved
    /// (its anchor, checked, stays on the link).
    pub body_targets: Vec<Vec<Option<BodyTarget>>>,
    /// Per page: resolved ref fields, by field name.
    pub refs: Vec<NamedPages>,
    /// Per page: inverse relations, by inverse name, e.g. `drills` on a member.
    pub inverse: Vec<NamedPages>,
    /// The names pages are linked by, to resolve one page again (`serve`).
    pub names: PageNames,
    /// The names of ref fields and inverse relations, held once.
    #[cfg_attr(not(any(feature = "serve", feature = "lsp")), allow(dead_code))]
    relation_names: RelationNames,
    /// Per page: its relations with pages of its own language, both ways: how connected
    /// it is, for the graphs, the same whether or not translations link to it.
    pub degree: Vec<u32>,
}

/// Pages resolved at a time: each one's links wait for the merge, and two chunks bound
/// what waits (all 10,000 pages of the generated site at once took 17 MB more).
const CHUNK: usize = if cfg!(test) { 3 } else { 1024 };

/// Resolves every reference and internal link of `site`, reporting all that fail.
/// Pages are resolved in parallel a chunk at a time, each chunk merged in page order (so
/// the graph is deterministic) while the next is resolved.
pub(crate) fn resolve(
    config: &SiteConfig,
    site: &Site,
    attachments: &Attachments,
) -> (LinkGraph, Vec<Diagnostic>) {
    let names = PageNames::new(site);
    let relation_names = RelationNames::new(config);
    let resolver = Resolver::new(site, attachments, &names);
    let n = site.pages.len();
    // Room for every edge the pages could make, taken once (grown by doubling, the
    // site's edges would take up to twice their room); what stays unused is given back.
    let most_edges = site.pages.par_iter().map(most_edges).sum();
    let mut merged = Merged {
        graph: LinkGraph {
            incoming: Backlinks::default(),
            outgoing: Vec::with_capacity(n),
            body_targets: Vec::with_capacity(n),
            refs: Vec::with_capacity(n),
            inverse: Vec::new(),
            edges: Vec::with_capacity(most_edges),
            names: PageNames::default(),
            relation_names: RelationNames::default(),
            degree: vec![0; n],
        },
        inverse: vec![IndexMap::new(); n],
        errors: Vec::new(),
        suggester: Suggester::new(&resolver),
    };
    let resolve_chunk = |start: usize| -> Vec<PageLinks> {
        site.pages[start..n.min(start + CHUNK)]
            .par_iter()
            .enumerate()
            .map(|(i, page)| {
                let id = PageId(start + i);
                resolve_page((config, &relation_names), &resolver, id, page)
            })
            .collect()
    };
    // Each chunk is merged while the next is resolved.
    let mut resolved = resolve_chunk(0);
    for start in (CHUNK..n).step_by(CHUNK) {
        let merged = &mut merged;
        let merge = move || resolved.into_iter().for_each(|page| merged.add(page));
        resolved = rayon::join(merge, || resolve_chunk(start)).1;
    }
    resolved.into_iter().for_each(|page| merged.add(page));
    let Merged {
        mut graph,
        inverse,
        mut errors,
        ..
    } = merged;
    debug_assert!(graph.edges.len() <= most_edges, "room taken for every edge");
    graph.edges.shrink_to_fit();
    graph.relation_names = relation_names;
    graph.inverse = inverse.into_iter().map(NamedPages::new).collect();
    graph.names = names;
    graph.incoming = Backlinks::new(n, &graph.edges);
    // Read in edge order, the languages stay in cache; the pages themselves would not.
    let langs: Vec<Option<&str>> = site.pages.iter().map(|p| p.lang.as_deref()).collect();
    for e in &graph.edges {
        if langs[e.from.0] == langs[e.to.0] {
            graph.degree[e.from.0] += 1;
            graph.degree[e.to.0] += 1;
        }
    }
    let cycles = embeds::cycles(site, &graph);
    if cycles.is_empty() {
        errors.extend(embeds::beyond_limits(site, &graph));
    }
    errors.extend(cycles);
    (graph, errors)
}

/// The most edges `page` can make: one a link, one a reference.
fn most_edges(page: &Page) -> usize {
    let refs: usize = page
        .fields
        .values()
        .map(|value| match value {
            FieldValue::Ref(_) => 1,
            FieldValue::Refs(rs) => rs.len(),
            _ => 0,
        })
        .sum();
    page.body.internal_links.len() + refs
}

/// The graph as the pages resolved so far make it, in page order.
struct Merged<'r> {
    graph: LinkGraph,
    /// Each page's inverse relations, by name.
    inverse: Vec<IndexMap<Arc<str>, Vec<PageId>>>,
    errors: Vec<Diagnostic>,
    suggester: Suggester<'r>,
}

impl Merged<'_> {
    /// Adds the next page's links.
    fn add(&mut self, mut page: PageLinks) {
        let graph = &mut self.graph;
        self.errors.extend(page.take_errors(&mut self.suggester));
        let from = page.from;
        let start = graph.edges.len();
        graph.edges.append(&mut page.edges);
        graph.outgoing.push(start..graph.edges.len());
        for (target, name) in page.inverse {
            let list = self.inverse[target.0].entry(name).or_default();
            // Pages are merged in order, so a repeat can only be the last entry.
            if list.last() != Some(&from) {
                list.push(from);
            }
        }
        graph.body_targets.push(page.body_targets);
        graph.refs.push(NamedPages::new(page.refs));
    }
}

#[cfg(test)]
mod tests {
    use super::page::join_relative;
    use crate::model::PageId;

    /// Eight pages resolved three at a time (`CHUNK` in tests) make the graph and the
    /// errors of one pass: in page order, each edge once, backlinks by source page.
    #[test]
    fn pages_resolved_in_chunks_merge_in_page_order() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        let config = "title: T\nbase_url: https://example.org/\nkinds:\n  member:\n    section: m\n    fields:\n      ally: { type: ref, kind: member, inverse: allies }\n";
        std::fs::write(root.join("site.yaml"), config).unwrap();
        std::fs::create_dir_all(root.join("content/m")).unwrap();
        for n in 0..8 {
            let next = (n + 1) % 8;
            let text = format!(
                "---\ntitle: P{n}\nally: p0\n---\n[[p{next}]], [[p{next}]] again, [[nowhere{n}]].\n"
            );
            std::fs::write(root.join(format!("content/m/p{n}.md")), text).unwrap();
        }
        let options = crate::build::BuildOptions::new(root);
        let stages = match crate::build::run_stages(&options, None, &Default::default()) {
            Ok(stages) => stages,
            Err(errors) => panic!("{:?}", errors.0),
        };
        let (site, graph) = (&stages.site, &stages.graph);
        let id = |n: usize| site.by_path[&format!("m/p{n}")];
        let mut previous = None;
        for n in 0..8 {
            let edges = &graph.edges[graph.outgoing[id(n).0].clone()];
            let to: Vec<PageId> = edges.iter().map(|e| e.to).collect();
            assert_eq!(to, [id(0), id((n + 1) % 8)], "p{n}: the ref, then one link");
            assert!(edges.iter().all(|e| e.from == id(n)));
            assert!(previous < Some(id(n)), "merged in page order");
            previous = Some(id(n));
        }
        let into_first: Vec<PageId> = graph.incoming[id(0).0]
            .iter()
            .map(|&e| graph.edges[e].from)
            .collect();
        let mut by_page: Vec<PageId> = (0..8).map(id).collect();
        by_page.sort();
        assert_eq!(graph.inverse[id(0).0].get("allies"), Some(&by_page[..]));
        // p7 also links to p0: its two edges come last, the ref first.
        by_page.push(id(7));
        assert_eq!(into_first, by_page, "by source page");
        let missing: Vec<&str> = stages
            .errors
            .iter()
            .filter(|d| d.message.contains("nowhere"))
            .map(|d| d.location.as_ref().unwrap().file.to_str().unwrap())
            .collect();
        let mut files: Vec<String> = (0..8).map(|n| format!("content/m/p{n}.md")).collect();
        files.sort();
        assert_eq!(missing, files, "one error a page, in page order");
    }

    #[test]
    fn relative_paths_join_and_may_not_climb_out() {
        assert_eq!(
            join_relative("members", "russia.md").as_deref(),
            Some("members/russia.md")
        );
        assert_eq!(
            join_relative("drills/x", "../../members/./kz.md").as_deref(),
            Some("members/kz.md")
        );
        assert_eq!(join_relative("", "a/b.md").as_deref(), Some("a/b.md"));
        assert_eq!(join_relative("members", "../../etc.md"), None);
    }
}
