//! The knowledge graph drawn at build time: a force-directed layout of the pages
//! and their relations, as an SVG whose nodes link to their pages (no JavaScript).
//! Kinds differ by shape as well as colour (a colour-blind-safe palette), lines by
//! style as well as title; the template lets readers hide kinds with CSS alone.

use std::collections::HashMap;
use std::fmt::Write;

use crate::links::{LinkGraph, Relation};
use crate::model::{PageId, Role, Site};
use crate::text::xml_escape;

mod labels;
mod layout;
pub(crate) mod local;
mod marks;
mod svg;

use layout::layout;
pub(crate) use marks::Mark;

/// At most this many pages are drawn (those with the most relations), so that the
/// layout's cost and the page's size stay bounded on large sites.
pub(crate) const MAX_NODES: usize = 300;

const WIDTH: f64 = 1000.0;
const HEIGHT: f64 = 700.0;
const MARGIN: f64 = 60.0;

/// The drawn graph.
#[derive(Debug, Clone)]
pub(crate) struct GraphDrawing {
    /// The `<svg>` element.
    pub svg: String,
    /// Pages drawn.
    pub shown: usize,
    /// Pages in all.
    pub total: usize,
    /// Per kind drawn, in order of appearance: `(kind, label, mark)` for a legend.
    pub legend: Vec<(String, String, Mark)>,
    /// Every relation between pages drawn: `(from, relation's name, to)`, for a table.
    pub relations: Vec<(PageId, String, PageId)>,
}

/// What the drawing calls its pages, kinds and relations, in the language drawn.
pub(crate) trait GraphNames {
    /// The page's URL.
    fn url(&self, id: PageId) -> String;
    /// What readers call a kind.
    fn kind_label(&self, kind: &str) -> String;
    /// What readers of page `from` call `relation`.
    fn relation_name(&self, from: PageId, relation: &Relation) -> String;
    /// The mark of a kind (`None`: pages of no kind).
    fn mark(&self, kind: Option<&str>) -> Mark;
    /// The drawing's title, naming how many pages and lines it shows.
    fn title(&self, pages: usize, relations: usize) -> String;
    /// The legend's name for pages of no kind.
    fn other_pages(&self) -> String;
}

/// The pages of a language's graph: all of them, those drawn, how many relations each
/// has, and one line per related pair of those drawn (indexes into `shown`), typed by
/// its first relation.
struct Selection<'g> {
    pages: Vec<PageId>,
    shown: Vec<PageId>,
    /// Per page (by index): its relations within its language, both ways.
    degree: &'g [u32],
    pairs: Vec<(usize, usize, &'g Relation)>,
}

/// The regular pages of language `lang` (`None`: the default; each language has its own
/// graph, so no page is drawn twice), the most related drawn.
fn select<'g>(site: &Site, lang: Option<&str>, graph: &'g LinkGraph) -> Selection<'g> {
    let pages: Vec<PageId> = site
        .iter()
        // Untranslated copies have no relations of their own: their originals do.
        .filter(|(_, p)| p.role == Role::Page && p.written_in(lang))
        .map(|(id, _)| id)
        .collect();
    let degree = &graph.degree;
    let mut shown = pages.clone();
    if shown.len() > MAX_NODES {
        shown.sort_by_key(|id| std::cmp::Reverse(degree[id.0]));
        shown.truncate(MAX_NODES);
        shown.sort();
    }
    let mut index: Vec<Option<usize>> = vec![None; site.pages.len()];
    for (i, id) in shown.iter().enumerate() {
        index[id.0] = Some(i);
    }
    let mut pairs = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for e in &graph.edges {
        if let (Some(a), Some(b)) = (index[e.from.0], index[e.to.0])
            && a != b
            && seen.insert((a.min(b), a.max(b)))
        {
            pairs.push((a, b, &e.relation));
        }
    }
    Selection {
        pages,
        shown,
        degree,
        pairs,
    }
}

/// Where the default language's graph puts each page it draws.
#[derive(Debug, Default)]
pub(crate) struct GraphLayout(HashMap<PageId, (f64, f64)>);

impl GraphLayout {
    /// Lays out the default language's graph.
    pub(crate) fn of_default(site: &Site, graph: &LinkGraph) -> GraphLayout {
        let selection = select(site, None, graph);
        let positions = layout(selection.shown.len(), &selection.pairs);
        GraphLayout(selection.shown.into_iter().zip(positions).collect())
    }

    /// The places of `shown` where the default language's graph puts them or their
    /// originals: a translation's graph is then the same map, laid out once. None when
    /// one of them is not drawn there (a language that translated other pages).
    fn places_of(&self, site: &Site, shown: &[PageId]) -> Option<Vec<(f64, f64)>> {
        shown
            .iter()
            .map(|id| self.0.get(&site.translation(*id, None)?).copied())
            .collect()
    }
}

/// Draws the graph of language `lang`, named by `names`, each page where `base` (the
/// default language's layout) puts it or its original, else laid out anew.
pub(crate) fn draw(
    site: &Site,
    lang: Option<&str>,
    graph: &LinkGraph,
    names: &impl GraphNames,
    base: &GraphLayout,
) -> GraphDrawing {
    let Selection {
        pages,
        shown,
        degree,
        pairs,
    } = select(site, lang, graph);
    // Every relation between pages drawn, for the table.
    let mut drawn = vec![false; site.pages.len()];
    for id in &shown {
        drawn[id.0] = true;
    }
    let relations: Vec<(PageId, String, PageId)> = graph
        .edges
        .iter()
        .filter(|e| e.from != e.to && drawn[e.from.0] && drawn[e.to.0])
        .map(|e| (e.from, names.relation_name(e.from, &e.relation), e.to))
        .collect();
    let positions = base
        .places_of(site, &shown)
        .unwrap_or_else(|| layout(shown.len(), &pairs));

    let kind_of = |id: PageId| site.page(id).kind.as_deref().unwrap_or("page");
    let mut kinds: Vec<&str> = Vec::new();
    for id in &shown {
        if !kinds.contains(&kind_of(*id)) {
            kinds.push(kind_of(*id));
        }
    }
    let mark = |kind: &str| names.mark(Some(kind).filter(|k| *k != "page"));

    let mut svg = String::with_capacity(256 * (shown.len() + pairs.len()) + 256);
    // A group, not an image: its nodes are links a reader can reach.
    let _ = write!(
        svg,
        "<svg class=\"graph\" viewBox=\"0 0 {WIDTH} {HEIGHT}\" role=\"group\" aria-labelledby=\"graph-title\" xmlns=\"http://www.w3.org/2000/svg\">\
         <title id=\"graph-title\">{}</title><g class=\"edges\">",
        xml_escape(&names.title(shown.len(), pairs.len())),
    );
    let drawn = Drawn {
        site,
        names,
        shown: &shown,
        positions: &positions,
    };
    drawn.write_edges(&mut svg, &pairs);
    svg.push_str("</g><g class=\"nodes\">");
    let degree_of = |id: &PageId| degree[id.0] as usize;
    let radius: Vec<f64> = shown
        .iter()
        .map(|id| 6.0 + (degree_of(id) as f64).sqrt().min(6.0))
        .collect();
    drawn.write_nodes(&mut svg, &radius);
    // Labels above every mark, in the nodes' order; the links are named by their titles.
    svg.push_str("</g><g class=\"labels\" aria-hidden=\"true\">");
    let placed = place_labels(site, &shown, &positions, &radius, degree_of);
    drawn.write_labels(&mut svg, &radius, &placed);
    svg.push_str("</g></svg>");
    GraphDrawing {
        svg,
        shown: shown.len(),
        total: pages.len(),
        legend: kinds
            .iter()
            .map(|k| {
                // Pages of no kind are drawn as the kind "page".
                let label = if *k == "page" {
                    names.other_pages()
                } else {
                    names.kind_label(k)
                };
                (k.to_string(), label, mark(k))
            })
            .collect(),
        relations,
    }
}

/// The pages drawn and where: what writing each part of the drawing reads.
struct Drawn<'a, N> {
    site: &'a Site,
    names: &'a N,
    shown: &'a [PageId],
    positions: &'a [(f64, f64)],
}

impl<N: GraphNames> Drawn<'_, N> {
    /// The kind of page `id`, "page" for a page of no kind.
    fn kind_of(&self, id: PageId) -> &str {
        self.site.page(id).kind.as_deref().unwrap_or("page")
    }

    /// A line for each pair of the pages shown (by their places in `shown`) related.
    fn write_edges(&self, svg: &mut String, pairs: &[(usize, usize, &Relation)]) {
        for (a, b, relation) in pairs {
            let ((x1, y1), (x2, y2)) = (self.positions[*a], self.positions[*b]);
            let (from, to) = (self.shown[*a], self.shown[*b]);
            let class = match relation {
                Relation::Ref { .. } => "ref",
                Relation::Link { .. } => "link",
                Relation::Embed => "embed",
            };
            // `data-a`/`data-b`: the nodes' places, for the script's highlighting.
            let _ = write!(
                svg,
                "<line class=\"edge edge-{class} k-{} k-{}\" data-a=\"{a}\" data-b=\"{b}\" x1=\"{x1:.1}\" y1=\"{y1:.1}\" x2=\"{x2:.1}\" y2=\"{y2:.1}\"><title>{} — {} ({})</title></line>",
                self.kind_of(from),
                self.kind_of(to),
                xml_escape(&self.site.page(from).meta.title),
                xml_escape(&self.site.page(to).meta.title),
                xml_escape(&self.names.relation_name(from, relation)),
            );
        }
    }

    /// A link for each page shown, around its kind's mark of `radius`.
    fn write_nodes(&self, svg: &mut String, radius: &[f64]) {
        for (i, id) in self.shown.iter().enumerate() {
            let kind = self.kind_of(*id);
            let (x, y) = self.positions[i];
            let mark = self.names.mark(Some(kind).filter(|k| *k != "page"));
            let _ = write!(
                svg,
                "<a class=\"node k-{kind}\" href=\"{}\" data-kind=\"{}\"><title>{}</title>{}</a>",
                xml_escape(&self.names.url(*id)),
                xml_escape(kind),
                xml_escape(&self.site.page(*id).meta.title),
                mark.svg(x, y, radius[i]),
            );
        }
    }

    /// Each page's title beside its mark, where `placed` puts it.
    fn write_labels(&self, svg: &mut String, radius: &[f64], placed: &[labels::Placed]) {
        for (i, id) in self.shown.iter().enumerate() {
            let (x, y) = self.positions[i];
            let (dx, dy) = placed[i].side.offset(radius[i]);
            let level = placed[i]
                .level
                .map_or("lh".to_string(), |l| format!("l{l}"));
            // `--dx`/`--dy`: the label's place beside its mark, which the style sheet
            // shrinks with the zoom as it does the mark.
            let _ = write!(
                svg,
                "<text class=\"label k-{} {level}\" x=\"{x:.1}\" y=\"{y:.1}\" style=\"--dx:{dx:.1};--dy:{dy:.1}\" dominant-baseline=\"central\" text-anchor=\"{}\">{}</text>",
                self.kind_of(*id),
                placed[i].side.anchor(),
                xml_escape(&self.site.page(*id).meta.title),
            );
        }
    }
}

/// Where each drawn page's label goes and from which zoom it is shown, the most
/// connected pages' labels placed first (see `labels`).
fn place_labels(
    site: &Site,
    shown: &[PageId],
    positions: &[(f64, f64)],
    radius: &[f64],
    degree: impl Fn(&PageId) -> usize,
) -> Vec<labels::Placed> {
    let boxes: Vec<labels::Label> = shown
        .iter()
        .enumerate()
        .map(|(i, id)| {
            let (x, y) = positions[i];
            labels::Label {
                x,
                y,
                r: radius[i],
                // Away from the nearer side, so that none runs out of the box.
                preferred: if x > WIDTH / 2.0 {
                    labels::Side::Left
                } else {
                    labels::Side::Right
                },
                chars: site.page(*id).meta.title.chars().count(),
            }
        })
        .collect();
    let mut order: Vec<usize> = (0..shown.len()).collect();
    order.sort_by_key(|i| (std::cmp::Reverse(degree(&shown[*i])), *i));
    labels::place(&boxes, &order, (0.0, 0.0, WIDTH, HEIGHT))
}
