//! Embeds of pages that would show themselves: `![[a]]` in b and `![[b]]` in a, or a
//! longer ring, counting only the embeds inside the part each embed shows.

use std::collections::HashMap;

use super::{BodyTarget, LinkGraph};
use crate::error::{Diagnostic, ErrorKind};
use crate::model::{Page, PageId, Site};

/// What an embed shows: a page, or the part of it an anchor names.
type Part<'a> = (PageId, Option<&'a str>);

#[derive(Clone, Copy, PartialEq, Eq)]
enum Visit {
    Open,
    Done,
}

/// One error per embed that closes a cycle, at that embed.
pub(super) fn cycles(site: &Site, graph: &LinkGraph) -> Vec<Diagnostic> {
    let mut state: HashMap<Part<'_>, Visit> = HashMap::new();
    let mut errors = Vec::new();
    for (i, page) in site.pages.iter().enumerate() {
        if page.body.internal_links.iter().any(|l| l.embed.is_some()) {
            let mut path = Vec::new();
            visit(
                site,
                graph,
                (PageId(i), None),
                &mut state,
                &mut path,
                &mut errors,
            );
        }
    }
    errors
}

/// Depth first over the parts embeds show; `path` holds the parts open and the embed
/// (page, link) that led to each next one.
fn visit<'a>(
    site: &'a Site,
    graph: &'a LinkGraph,
    part: Part<'a>,
    state: &mut HashMap<Part<'a>, Visit>,
    path: &mut Vec<(Part<'a>, usize)>,
    errors: &mut Vec<Diagnostic>,
) {
    state.insert(part, Visit::Open);
    for (n, next) in embeds_in(site, graph, part) {
        match state.get(&next) {
            Some(Visit::Done) => {}
            Some(Visit::Open) => errors.push(cycle_error(site, path, part, n, next)),
            None => {
                path.push((part, n));
                visit(site, graph, next, state, path, errors);
                path.pop();
            }
        }
    }
    state.insert(part, Visit::Done);
}

/// The embeds of pages inside `part`: (link number, the part it shows).
fn embeds_in<'a>(
    site: &'a Site,
    graph: &'a LinkGraph,
    (id, anchor): Part<'a>,
) -> Vec<(usize, Part<'a>)> {
    let page = site.page(id);
    let range = source_range(page, anchor);
    page.body
        .internal_links
        .iter()
        .enumerate()
        .filter(|(_, link)| link.embed.is_some() && range.contains(&link.offset))
        .filter_map(
            |(n, link)| match graph.body_targets[id.0].get(n)?.as_ref()? {
                BodyTarget::Page { page, anchor_id } => {
                    Some((n, (*page, anchor_id.as_deref().or(link.anchor.as_deref()))))
                }
                BodyTarget::File(_) => None,
            },
        )
        .collect()
}

/// Where in `page`'s body the part `anchor` names lies: a heading's section, a block, or
/// (for no anchor, or one naming neither) the whole body.
fn source_range(page: &Page, anchor: Option<&str>) -> std::ops::Range<usize> {
    let whole = 0..usize::MAX;
    let Some(anchor) = anchor else { return whole };
    if let Some(id) = anchor.strip_prefix('^') {
        return page
            .body
            .blocks
            .iter()
            .find(|(b, _)| b == id)
            .map_or(whole, |(_, range)| range.clone());
    }
    let headings = &page.body.headings;
    let Some(i) = headings.iter().position(|h| h.id == anchor) else {
        return whole;
    };
    let end = headings[i + 1..]
        .iter()
        .find(|h| h.level <= headings[i].level)
        .map_or(usize::MAX, |h| h.offset);
    headings[i].offset..end
}

fn cycle_error(
    site: &Site,
    path: &[(Part<'_>, usize)],
    part: Part<'_>,
    n: usize,
    next: Part<'_>,
) -> Diagnostic {
    let start = path
        .iter()
        .position(|(p, _)| *p == next)
        .unwrap_or(path.len());
    let mut names: Vec<String> = path[start..]
        .iter()
        .map(|((id, _), _)| site.page(*id).source_path.clone())
        .collect();
    names.push(site.page(part.0).source_path.clone());
    names.push(site.page(next.0).source_path.clone());
    let page = site.page(part.0);
    let message = format!("embeds form a cycle: {}", names.join(" → "));
    page.diagnostic_at_link(ErrorKind::Embed, message, n)
        .hint("make one embed on the cycle a link ([[…]] without `!`), or embed a part that does not embed back")
}
