//! Links: resolves typed references and internal links, and builds the graph
//! of relations between pages with backlinks and inverse relations.

use std::sync::Arc;

use indexmap::IndexMap;
use rayon::prelude::*;
use rustc_hash::FxHashSet;
use serde::Serialize;

use crate::config::SiteConfig;
use crate::error::{Diagnostic, ErrorKind};
use crate::markdown::{InternalLink, LinkSyntax};
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
mod resolver;

pub(crate) use attachments::Attachments;
use attachments::NotFound;
pub(crate) use backlinks::Backlinks;
pub(crate) use named::NamedPages;
use named::RelationNames;
#[cfg(any(feature = "serve", feature = "lsp"))]
pub(crate) use one::resolve_one;
#[cfg(feature = "lsp")]
pub(crate) use one::resolve_one_as;
#[cfg(feature = "lsp")]
pub(crate) use one::{find_page, linking_to_headings};
pub(crate) use resolver::PageNames;
use resolver::{Resolver, Suggester, Unresolved};

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

/// What one page's references and links resolve to, before merging into the graph.
struct PageLinks {
    from: PageId,
    /// Relations already recorded, so a page linking twice makes one edge.
    seen: FxHashSet<(PageId, Relation)>,
    body_targets: Vec<Option<BodyTarget>>,
    /// Resolved ref fields, by field name.
    refs: Vec<(Arc<str>, Vec<PageId>)>,
    /// Relations from this page, without duplicates, in source order.
    edges: Vec<Edge>,
    /// `(target, inverse name)` for ref fields that declare an inverse.
    inverse: Vec<(PageId, Arc<str>)>,
    errors: Vec<Diagnostic>,
    /// Errors (by index) about missing pages whose hint a [`Suggester`] works out later,
    /// with what was written and the kind wanted.
    to_suggest: Vec<(usize, String, Option<String>)>,
}

impl PageLinks {
    fn new(from: PageId) -> PageLinks {
        PageLinks {
            from,
            seen: FxHashSet::default(),
            body_targets: Vec::new(),
            refs: Vec::new(),
            edges: Vec::new(),
            inverse: Vec::new(),
            errors: Vec::new(),
            to_suggest: Vec::new(),
        }
    }

    /// Records an error about `written`, which did not resolve for `why`.
    fn unresolved(
        &mut self,
        resolver: &Resolver<'_>,
        error: Diagnostic,
        written: &str,
        why: &Unresolved,
        kind: Option<&str>,
    ) {
        let error = match resolver.cause(written) {
            Some(file) => error.caused_by(file),
            None => error,
        };
        match resolver.hint(written, why) {
            Some(hint) => self.errors.push(error.hint(hint)),
            None => {
                self.to_suggest.push((
                    self.errors.len(),
                    written.to_string(),
                    kind.map(str::to_string),
                ));
                self.errors.push(error);
            }
        }
    }

    /// The errors, with "did you mean" hints from `suggester`.
    fn take_errors(&mut self, suggester: &mut Suggester<'_>) -> Vec<Diagnostic> {
        for (i, written, kind) in self.to_suggest.drain(..) {
            let hint = suggester.hint(&written, kind.as_deref());
            self.errors[i].hint = Some(hint);
        }
        std::mem::take(&mut self.errors)
    }

    fn add_edge(&mut self, to: PageId, relation: Relation) {
        if self.seen.insert((to, relation.clone())) {
            self.edges.push(Edge {
                from: self.from,
                to,
                relation,
            });
        }
    }
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

fn resolve_page(
    (config, names): (&SiteConfig, &RelationNames),
    resolver: &Resolver<'_>,
    id: PageId,
    page: &Page,
) -> PageLinks {
    let mut out = PageLinks::new(id);
    resolve_refs((config, names), resolver, page, &mut out);
    let targets = (0..page.body.internal_links.len())
        .map(|n| resolve_link(config, resolver, id, page, n, &mut out))
        .collect();
    out.body_targets = targets;
    // Only merging needs it; every page's set would otherwise wait for the merge.
    out.seen = FxHashSet::default();
    out.refs.shrink_to_fit();
    if page.untranslated {
        // Its original's text, resolved as the original's: its relations and errors are
        // the original's already, and would show twice.
        out.edges.clear();
        out.inverse.clear();
        out.errors.clear();
        out.to_suggest.clear();
    }
    out
}

/// The page the internal link `link` of page `id` (`page`) names, in the page's language.
fn link_target(
    resolver: &Resolver<'_>,
    id: PageId,
    page: &Page,
    link: &InternalLink,
) -> Result<PageId, Unresolved> {
    // `[[#history]]` points at a heading of the same page.
    let same_page = link.target.is_empty() && link.anchor.is_some();
    if same_page {
        Ok(id)
    } else if link.syntax == LinkSyntax::Relative {
        match join_relative(&page.source_dir, &link.target) {
            Some(path) => resolver.resolve_in(&path, page.text_lang()),
            None => Err(Unresolved::Invalid("the link climbs above content/")),
        }
    } else {
        resolver.resolve_in(&link.target, page.text_lang())
    }
}

/// The anchor link `n` of `page` names in `target_page`: none when the page has it as
/// written, the heading's id when a wikilink names it by its text (as Obsidian does),
/// else the error.
fn anchor_in(
    config: &SiteConfig,
    (page, n): (&Page, usize),
    target_page: &Page,
    anchor: &str,
) -> Result<Option<Box<str>>, Diagnostic> {
    if local::has_anchor(target_page, anchor) {
        return Ok(None);
    }
    let link = &page.body.internal_links[n];
    match heading_by_text(target_page, anchor, config.heading_ids) {
        // `[[page#Heading Text]]`: Obsidian names headings by their text.
        Some(id) if link.syntax == LinkSyntax::Wiki => Ok(Some(id.into())),
        _ => {
            let msg = format!(
                "link to a heading that does not exist: `{}#{anchor}`",
                link.target
            );
            let d = page
                .diagnostic_at_link(ErrorKind::Anchor, msg, n)
                .hint(local::anchor_hint(target_page, anchor));
            Err(config.broken_links.anchors.apply(d))
        }
    }
}

/// Where the `n`th internal link of `page` goes, recording its edge or its error in `out`.
fn resolve_link(
    config: &SiteConfig,
    resolver: &Resolver<'_>,
    id: PageId,
    page: &Page,
    n: usize,
    out: &mut PageLinks,
) -> Option<BodyTarget> {
    let link = &page.body.internal_links[n];
    let resolved = link_target(resolver, id, page, link);
    if let Err(Unresolved::Missing) = resolved
        && link.syntax == LinkSyntax::Wiki
        && Attachments::is_file_name(&link.target)
        && crate::source::markdown_stem(&link.target).is_none()
    {
        return attachment(config, resolver, page, n, out);
    }
    let target = match resolved {
        Ok(t) => t,
        Err(why) => {
            let msg = match why {
                Unresolved::Ambiguous(_) => {
                    format!("link to `{}` is ambiguous", link.target)
                }
                _ => format!("link to a page that does not exist: `{}`", link.target),
            };
            let error =
                config
                    .broken_links
                    .pages
                    .apply(page.diagnostic_at_link(ErrorKind::Link, msg, n));
            out.unresolved(resolver, error, &link.target, &why, None);
            return None;
        }
    };
    let anchor_id = match &link.anchor {
        Some(anchor) => {
            // The page itself as given, which the site may hold as it was before an edit.
            let target_page = match target == id {
                true => page,
                false => resolver.site.page(target),
            };
            match anchor_in(config, (page, n), target_page, anchor) {
                Ok(id) => id,
                Err(d) => {
                    out.errors.push(d);
                    return None;
                }
            }
        }
        None => None,
    };
    let relation = match link.embed {
        Some(_) => Relation::Embed,
        None => Relation::Link {
            syntax: link.syntax,
        },
    };
    out.add_edge(target, relation);
    Some(BodyTarget::Page {
        page: target,
        anchor_id,
    })
}

/// The warning for embed `n` of `page`, a file browsers do not show inline: it is
/// written as a link (markdown's `push_embed`).
fn shown_as_link(page: &Page, n: usize) -> Diagnostic {
    let target = &page.body.internal_links[n].target;
    let msg = format!(
        "`![[{target}]]` embeds a file that browsers do not show inline: it is shown as a link"
    );
    page.diagnostic_at_link(ErrorKind::Link, msg, n)
        .hint("write [[…]] for a link; images, audio, video and PDF files are embedded")
        .warning()
}

/// The attachment the `n`th link of `page` names (`[[report.pdf]]`, `![[map.png]]`).
fn attachment(
    config: &SiteConfig,
    resolver: &Resolver<'_>,
    page: &Page,
    n: usize,
    out: &mut PageLinks,
) -> Option<BodyTarget> {
    let link = &page.body.internal_links[n];
    let (msg, hint) = match resolver.attachments.find(&link.target) {
        Ok(path) => {
            if link.embed.is_some() && !crate::markdown::is_embeddable(path) {
                out.errors.push(shown_as_link(page, n));
            }
            return Some(BodyTarget::File(path.into()));
        }
        Err(NotFound::Missing) => (
            format!("link to a file that does not exist: `{}`", link.target),
            resolver.attachments.hint(&link.target),
        ),
        Err(NotFound::Ambiguous(paths)) => (
            format!("link to `{}` is ambiguous", link.target),
            format!(
                "`{}` names several files; write enough of the path to tell them apart: {}",
                link.target,
                paths.join(", ")
            ),
        ),
    };
    let d = page.diagnostic_at_link(ErrorKind::Link, msg, n).hint(hint);
    out.errors.push(config.broken_links.files.apply(d));
    None
}

/// The id of the heading of `page` whose text is `text` (compared ignoring case, or
/// through the site's id scheme), for links that name a heading by its text.
fn heading_by_text<'p>(
    page: &'p Page,
    text: &str,
    scheme: crate::markdown::IdScheme,
) -> Option<&'p str> {
    let as_id = scheme.id(text);
    page.body
        .headings
        .iter()
        .find(|h| *h.id == *as_id || h.title.to_lowercase() == text.to_lowercase())
        .map(|h| &*h.id)
}

/// `target` (which may use `.` and `..`) joined to the folder `dir`, both below
/// `content/`; `None` if it climbs above it.
fn join_relative(dir: &str, target: &str) -> Option<String> {
    crate::url_path::join(dir, target).map(|parts| parts.join("/"))
}

fn resolve_refs(
    (config, names): (&SiteConfig, &RelationNames),
    resolver: &Resolver<'_>,
    page: &Page,
    out: &mut PageLinks,
) {
    let Some(kind_def) = page.kind.as_ref().and_then(|k| config.kinds.get(k)) else {
        return;
    };
    for (field, value) in &page.fields {
        let written: Vec<&str> = match value {
            FieldValue::Ref(r) => vec![r.as_str()],
            FieldValue::Refs(rs) => rs.iter().map(String::as_str).collect(),
            _ => continue,
        };
        let def = &kind_def.fields[field];
        // Only ref fields hold references (`FieldValue::Ref`/`Refs` come from them).
        let points_to = def.ty.target();
        let want = points_to.map(|t| t.kind.as_str());
        let mut targets = Vec::with_capacity(written.len());
        for w in written {
            let target = match resolver.resolve_in(w, page.text_lang()) {
                Ok(t) => t,
                Err(why) => {
                    let msg = match why {
                        Unresolved::Ambiguous(_) => format!("field `{field}`: `{w}` is ambiguous"),
                        Unresolved::Invalid(_) => {
                            format!("field `{field}`: `{w}` is not a valid reference")
                        }
                        Unresolved::Missing => format!("field `{field}`: no page `{w}`"),
                    };
                    let error = page.diagnostic_at_value(ErrorKind::Reference, msg, field, Some(w));
                    out.unresolved(resolver, error, w, &why, want);
                    continue;
                }
            };
            let target_page = resolver.site.page(target);
            if let Some(want) = want
                && target_page.kind.as_deref() != Some(want)
            {
                let found = target_page
                    .kind
                    .as_deref()
                    .map_or("a page with no kind".to_string(), |k| {
                        format!("a page of kind `{k}`")
                    });
                let msg = format!("field `{field}`: `{w}` is {found}, expected kind `{want}`");
                let hint = resolver.list_of_kind(want);
                out.errors.push(
                    page.diagnostic_at_value(ErrorKind::Reference, msg, field, Some(w))
                        .hint(hint),
                );
                continue;
            }
            targets.push(target);
            out.add_edge(
                target,
                Relation::Ref {
                    field: names.get(field),
                },
            );
            if let Some(inverse) = points_to.and_then(|t| t.inverse.as_deref()) {
                out.inverse.push((target, names.get(inverse)));
            }
        }
        out.refs.push((names.get(field), targets));
    }
}

#[cfg(test)]
mod tests {
    use super::join_relative;
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
