//! A page's neighbourhood: the pages it relates to, drawn around it at build time as a
//! small SVG whose marks link to them (no JavaScript), as Quartz's local graph shows.

use std::f64::consts::{FRAC_PI_2, TAU};
use std::fmt::Write;

use super::Mark;
use super::svg::Piece::{Int, Text};
use super::svg::push;
use crate::links::{LinkGraph, Relation};
use crate::model::{PageId, Site};
use crate::text::xml_escape;

/// At most this many neighbours are drawn (the most connected); the caption counts all.
pub(crate) const MAX_NEIGHBOURS: usize = 12;
/// Labels longer than this are cut (the full title is the mark's tooltip).
const LABEL_CHARS: usize = 26;
const WIDTH: f64 = 680.0;
const HEIGHT: f64 = 320.0;

/// A page's neighbourhood, drawn.
pub(crate) struct LocalGraph {
    /// The `<svg>` element.
    pub svg: String,
    /// Neighbours drawn.
    pub shown: usize,
    /// Neighbours in all.
    pub total: usize,
}

/// How a page and a neighbour relate, for the line's style.
fn line_class(relation: &Relation) -> &'static str {
    match relation {
        Relation::Ref { .. } => "ref",
        Relation::Link { .. } => "link",
        Relation::Embed => "embed",
    }
}

/// The [`MAX_NEIGHBOURS`] most connected pages page `id` relates to either way, each
/// once (by its first relation), most connected first, and how many there are in all.
fn neighbours(site: &Site, graph: &LinkGraph, id: PageId) -> (Vec<(PageId, &'static str)>, usize) {
    let out = graph.outgoing.get(id.0).cloned().unwrap_or_default();
    let outgoing = graph.edges[out].iter().map(|e| (e.to, &e.relation));
    // Pages of other languages that link here (translations falling back to this
    // original) stay out, as of its backlinks.
    let lang = &site.pages[id.0].lang;
    let incoming = graph.incoming[id.0]
        .iter()
        .map(|&e| (graph.edges[e].from, &graph.edges[e].relation))
        .filter(|(from, _)| site.pages[from.0].lang == *lang);
    let mut found: Vec<(PageId, &'static str)> = Vec::new();
    // A hub (a source cited by every page) has thousands: a set keeps this linear.
    let mut seen = rustc_hash::FxHashSet::default();
    for (page, relation) in outgoing.chain(incoming) {
        if page != id && site.pages[page.0].role == crate::model::Role::Page && seen.insert(page) {
            found.push((page, line_class(relation)));
        }
    }
    let key = |&(p, _): &(PageId, &str)| (std::cmp::Reverse(graph.degree[p.0]), p);
    let total = found.len();
    // Only the first few are drawn: pick them in linear time, then order those.
    if total > MAX_NEIGHBOURS {
        found.select_nth_unstable_by_key(MAX_NEIGHBOURS - 1, key);
        found.truncate(MAX_NEIGHBOURS);
    }
    found.sort_by_key(key);
    (found, total)
}

/// Draws page `id` with its neighbours around it, named `label` for screen readers;
/// `url` and `mark` give each page's address and its kind's mark.
pub(crate) fn draw(
    (site, graph): (&Site, &LinkGraph),
    id: PageId,
    label: &str,
    url: impl Fn(PageId) -> String,
    mark: impl Fn(Option<&str>) -> Mark,
) -> Option<LocalGraph> {
    let (shown, total) = neighbours(site, graph, id);
    if shown.is_empty() {
        return None;
    }
    let (cx, cy) = (WIDTH / 2.0, HEIGHT / 2.0);
    let (rx, ry) = (WIDTH * 0.22, HEIGHT * 0.36);
    let place = |i: usize| {
        let angle = i as f64 / shown.len() as f64 * TAU - FRAC_PI_2;
        (angle.cos(), angle.sin())
    };
    let mut svg = String::with_capacity(400 * (shown.len() + 1));
    let _ = write!(
        svg,
        "<svg class=\"local-graph\" viewBox=\"0 0 {WIDTH} {HEIGHT}\" role=\"group\" aria-label=\"{}\" xmlns=\"http://www.w3.org/2000/svg\"><g class=\"edges\">",
        xml_escape(label)
    );
    let (x1, y1) = (px(cx), px(cy));
    for (i, (_, class)) in shown.iter().enumerate() {
        let (dx, dy) = place(i);
        push(
            &mut svg,
            &[
                Text("<line class=\"edge edge-"),
                Text(class),
                Text("\" x1=\""),
                Int(x1),
                Text("\" y1=\""),
                Int(y1),
                Text("\" x2=\""),
                Int(px(cx + rx * dx)),
                Text("\" y2=\""),
                Int(px(cy + ry * dy)),
                Text("\"/>"),
            ],
        );
    }
    svg.push_str("</g>");
    let node = |svg: &mut String,
                page: PageId,
                (x, y): (f64, f64),
                r: f64,
                (lx, ly, anchor): (f64, f64, &str),
                class: &str| {
        let p = site.page(page);
        let title = xml_escape(&p.meta.title);
        push(
            svg,
            &[
                Text("<a class=\""),
                Text(class),
                Text("\" href=\""),
                Text(&xml_escape(&url(page))),
                Text("\"><title>"),
                Text(&title),
                Text("</title>"),
            ],
        );
        mark(p.kind.as_deref()).write_svg(svg, x, y, r);
        // The label is the title when it is short enough: escaped once.
        let label = match cut(&p.meta.title) {
            std::borrow::Cow::Borrowed(_) => title.clone(),
            std::borrow::Cow::Owned(cut) => xml_escape(&cut).into_owned().into(),
        };
        push(
            svg,
            &[
                Text("<text x=\""),
                Int(px(lx)),
                Text("\" y=\""),
                Int(px(ly)),
                Text("\" text-anchor=\""),
                Text(anchor),
                Text("\">"),
                Text(&label),
                Text("</text></a>"),
            ],
        );
    };
    for (i, (page, _)) in shown.iter().enumerate() {
        let (dx, dy) = place(i);
        let (x, y) = (cx + rx * dx, cy + ry * dy);
        // Labels point outwards; those at the top and bottom sit above or below.
        let label = if dx > 0.3 {
            (x + 10.0, y + 4.5, "start")
        } else if dx < -0.3 {
            (x - 10.0, y + 4.5, "end")
        } else if dy < 0.0 {
            (x, y - 11.0, "middle")
        } else {
            (x, y + 20.0, "middle")
        };
        node(&mut svg, *page, (x, y), 6.5, label, "node");
    }
    node(
        &mut svg,
        id,
        (cx, cy),
        9.0,
        (cx, cy + 24.0, "middle"),
        "node this",
    );
    svg.push_str("</svg>");
    Some(LocalGraph {
        svg,
        shown: shown.len(),
        total,
    })
}

/// A coordinate in whole pixels, rounded as `{:.0}` rounds (ties to even), without
/// formatting a float: a tenth of the cost, on every page.
fn px(v: f64) -> i64 {
    v.round_ties_even() as i64
}

/// A title cut to [`LABEL_CHARS`] at a word, with `…`.
fn cut(title: &str) -> std::borrow::Cow<'_, str> {
    match title.char_indices().nth(LABEL_CHARS) {
        None => title.into(),
        Some((end, _)) => {
            let end = title[..end].rfind(' ').filter(|&i| i > 0).unwrap_or(end);
            [title[..end].trim_end(), "…"].concat().into()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pixels_round_as_the_float_format_did() {
        for v in [
            0.0,
            0.4,
            0.5,
            1.5,
            2.5,
            164.5,
            165.5,
            44.8,
            190.4,
            339.999_999_9,
            680.0,
        ] {
            assert_eq!(px(v).to_string(), format!("{v:.0}"), "{v}");
        }
    }

    #[test]
    fn long_titles_are_cut_at_a_word() {
        assert_eq!(cut("Kazakhstan"), "Kazakhstan");
        assert_eq!(
            cut("Agreement of 6 October 2007 on a CSTO peacekeeping force"),
            "Agreement of 6 October…"
        );
    }
}
