//! The knowledge graph drawn at build time: a force-directed layout of the pages
//! and their relations, as an SVG whose nodes link to their pages (no JavaScript).

use std::collections::HashMap;
use std::fmt::Write;

use crate::links::{LinkGraph, Relation};
use crate::model::{PageId, Role, Site};
use crate::text::xml_escape;

/// At most this many pages are drawn (those with the most relations), so that the
/// layout's cost and the page's size stay bounded on large sites.
pub(crate) const MAX_NODES: usize = 300;

const WIDTH: f64 = 1000.0;
const HEIGHT: f64 = 700.0;
const MARGIN: f64 = 60.0;
const ITERATIONS: usize = 300;

/// Colours given to kinds in order of appearance; readable on light and dark backgrounds.
const PALETTE: [&str; 8] = [
    "#d9480f", "#1971c2", "#2f9e44", "#9c36b5", "#e67700", "#0c8599", "#c2255c", "#5c940d",
];

/// The drawn graph.
#[derive(Debug, Clone)]
pub(crate) struct GraphDrawing {
    /// The `<svg>` element.
    pub svg: String,
    /// Pages drawn.
    pub shown: usize,
    /// Pages in all.
    pub total: usize,
    /// `(kind label, colour)` for a legend.
    pub legend: Vec<(String, String)>,
}

/// Lays out the regular pages and their relations and draws them.
pub(crate) fn draw(
    site: &Site,
    graph: &LinkGraph,
    url: impl Fn(PageId) -> String,
    kind_label: impl Fn(&str) -> String,
) -> GraphDrawing {
    let pages: Vec<PageId> = site
        .iter()
        .filter(|(_, p)| p.role == Role::Page)
        .map(|(id, _)| id)
        .collect();
    let mut degree: HashMap<PageId, usize> = HashMap::new();
    for e in &graph.edges {
        *degree.entry(e.from).or_default() += 1;
        *degree.entry(e.to).or_default() += 1;
    }
    let mut shown = pages.clone();
    if shown.len() > MAX_NODES {
        shown.sort_by_key(|id| std::cmp::Reverse(degree.get(id).copied().unwrap_or(0)));
        shown.truncate(MAX_NODES);
        shown.sort();
    }
    let index: HashMap<PageId, usize> = shown.iter().enumerate().map(|(i, id)| (*id, i)).collect();
    // One line per related pair, typed by its first relation.
    let mut pairs: Vec<(usize, usize, &Relation)> = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for e in &graph.edges {
        if let (Some(&a), Some(&b)) = (index.get(&e.from), index.get(&e.to))
            && a != b
            && seen.insert((a.min(b), a.max(b)))
        {
            pairs.push((a, b, &e.relation));
        }
    }
    let positions = layout(shown.len(), &pairs);

    let mut kinds: Vec<&str> = Vec::new();
    for id in &shown {
        let kind = site.page(*id).kind.as_deref().unwrap_or("page");
        if !kinds.contains(&kind) {
            kinds.push(kind);
        }
    }
    let colour = |kind: &str| {
        let i = kinds.iter().position(|k| *k == kind).unwrap_or(0);
        PALETTE[i % PALETTE.len()]
    };

    let mut svg = String::with_capacity(256 * (shown.len() + pairs.len()) + 256);
    let _ = write!(
        svg,
        "<svg class=\"graph\" viewBox=\"0 0 {WIDTH} {HEIGHT}\" role=\"img\" aria-labelledby=\"graph-title\" xmlns=\"http://www.w3.org/2000/svg\">\
         <title id=\"graph-title\">Knowledge graph: {} pages, {} relations</title><g class=\"edges\">",
        shown.len(),
        pairs.len()
    );
    for (a, b, relation) in &pairs {
        let ((x1, y1), (x2, y2)) = (positions[*a], positions[*b]);
        let (class, label) = match relation {
            Relation::Ref { field } => ("edge ref", field.as_str()),
            Relation::Link { .. } => ("edge link", "link"),
            Relation::Embed => ("edge embed", "embed"),
        };
        let _ = write!(
            svg,
            "<line class=\"{class}\" x1=\"{x1:.1}\" y1=\"{y1:.1}\" x2=\"{x2:.1}\" y2=\"{y2:.1}\"><title>{} — {} ({})</title></line>",
            xml_escape(&site.page(shown[*a]).meta.title),
            xml_escape(&site.page(shown[*b]).meta.title),
            xml_escape(label),
        );
    }
    svg.push_str("</g><g class=\"nodes\">");
    for (i, id) in shown.iter().enumerate() {
        let page = site.page(*id);
        let (x, y) = positions[i];
        let kind = page.kind.as_deref().unwrap_or("page");
        let r = 6.0
            + (degree.get(id).copied().unwrap_or(0) as f64)
                .sqrt()
                .min(6.0);
        let _ = write!(
            svg,
            "<a class=\"node\" href=\"{}\" data-kind=\"{}\"><circle cx=\"{x:.1}\" cy=\"{y:.1}\" r=\"{r:.1}\" fill=\"{}\"/>\
             <text x=\"{:.1}\" y=\"{:.1}\">{}</text></a>",
            xml_escape(&url(*id)),
            xml_escape(kind),
            colour(kind),
            x + r + 3.0,
            y + 4.0,
            xml_escape(&page.meta.title),
        );
    }
    svg.push_str("</g></svg>");
    GraphDrawing {
        svg,
        shown: shown.len(),
        total: pages.len(),
        legend: kinds
            .iter()
            .map(|k| (kind_label(k), colour(k).to_string()))
            .collect(),
    }
}

/// Fruchterman–Reingold: related nodes attract, all nodes repel, the step cools.
/// Deterministic: nodes start on a circle in page order.
fn layout(n: usize, pairs: &[(usize, usize, &Relation)]) -> Vec<(f64, f64)> {
    let (w, h) = (WIDTH - 2.0 * MARGIN, HEIGHT - 2.0 * MARGIN);
    let mut pos: Vec<(f64, f64)> = (0..n)
        .map(|i| {
            let angle = i as f64 / n.max(1) as f64 * std::f64::consts::TAU;
            (
                w / 2.0 + w / 2.5 * angle.cos(),
                h / 2.0 + h / 2.5 * angle.sin(),
            )
        })
        .collect();
    if n < 2 {
        return pos
            .into_iter()
            .map(|(x, y)| (x + MARGIN, y + MARGIN))
            .collect();
    }
    let k = (w * h / n as f64).sqrt() * 0.8;
    let mut temperature = w / 8.0;
    let cooling = temperature / ITERATIONS as f64;
    let mut shift = vec![(0.0, 0.0); n];
    for _ in 0..ITERATIONS {
        shift.iter_mut().for_each(|s| *s = (0.0, 0.0));
        for i in 0..n {
            for j in (i + 1)..n {
                let (dx, dy) = (pos[i].0 - pos[j].0, pos[i].1 - pos[j].1);
                let d2 = (dx * dx + dy * dy).max(0.01);
                let f = k * k / d2;
                shift[i].0 += dx * f;
                shift[i].1 += dy * f;
                shift[j].0 -= dx * f;
                shift[j].1 -= dy * f;
            }
        }
        for (a, b, _) in pairs {
            let (dx, dy) = (pos[*a].0 - pos[*b].0, pos[*a].1 - pos[*b].1);
            let d = (dx * dx + dy * dy).sqrt().max(0.1);
            let f = d / k;
            shift[*a].0 -= dx * f;
            shift[*a].1 -= dy * f;
            shift[*b].0 += dx * f;
            shift[*b].1 += dy * f;
        }
        for i in 0..n {
            let (sx, sy) = shift[i];
            let len = (sx * sx + sy * sy).sqrt().max(0.01);
            let step = len.min(temperature);
            pos[i].0 = (pos[i].0 + sx / len * step).clamp(0.0, w);
            pos[i].1 = (pos[i].1 + sy / len * step).clamp(0.0, h);
        }
        temperature = (temperature - cooling).max(1.0);
    }
    pos.into_iter()
        .map(|(x, y)| (x + MARGIN, y + MARGIN))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn layout_keeps_nodes_inside_and_apart() {
        let rel = Relation::Ref { field: "x".into() };
        let pairs: Vec<(usize, usize, &Relation)> = (0..9).map(|i| (i, i + 1, &rel)).collect();
        let pos = layout(10, &pairs);
        for &(x, y) in &pos {
            assert!((MARGIN..=WIDTH - MARGIN).contains(&x), "{x}");
            assert!((MARGIN..=HEIGHT - MARGIN).contains(&y), "{y}");
        }
        for i in 0..pos.len() {
            for j in (i + 1)..pos.len() {
                let d = ((pos[i].0 - pos[j].0).powi(2) + (pos[i].1 - pos[j].1).powi(2)).sqrt();
                assert!(d > 5.0, "nodes {i} and {j} overlap");
            }
        }
        assert_eq!(layout(10, &pairs), pos, "deterministic");
    }
}
