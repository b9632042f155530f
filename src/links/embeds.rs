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
        let root = (PageId(i), None);
        if !state.contains_key(&root) && page.body.internal_links.iter().any(|l| l.embed.is_some())
        {
            visit(site, graph, root, &mut state, &mut errors);
        }
    }
    errors
}

/// A part being visited: the embeds in it, and how many of them were followed.
struct Frame<'a> {
    part: Part<'a>,
    embeds: Vec<(usize, Part<'a>)>,
    followed: usize,
}

/// Depth first over the parts embeds show, from `root`, with a stack of its own (a chain
/// of embeds may be as long as the site).
fn visit<'a>(
    site: &'a Site,
    graph: &'a LinkGraph,
    root: Part<'a>,
    state: &mut HashMap<Part<'a>, Visit>,
    errors: &mut Vec<Diagnostic>,
) {
    state.insert(root, Visit::Open);
    let mut stack = vec![Frame {
        part: root,
        embeds: embeds_in(site, graph, root),
        followed: 0,
    }];
    while let Some(frame) = stack.last_mut() {
        let Some(&(n, next)) = frame.embeds.get(frame.followed) else {
            state.insert(frame.part, Visit::Done);
            stack.pop();
            continue;
        };
        frame.followed += 1;
        match state.get(&next) {
            Some(Visit::Done) => {}
            Some(Visit::Open) => errors.push(cycle_error(site, &stack, n, next)),
            None => {
                state.insert(next, Visit::Open);
                stack.push(Frame {
                    part: next,
                    embeds: embeds_in(site, graph, next),
                    followed: 0,
                });
            }
        }
    }
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

/// The error at embed `n` of the part on top of `stack`, which leads back to `next`.
fn cycle_error(site: &Site, stack: &[Frame<'_>], n: usize, next: Part<'_>) -> Diagnostic {
    let start = stack.iter().position(|f| f.part == next).unwrap_or(0);
    let mut names: Vec<&str> = stack[start..]
        .iter()
        .map(|f| site.page(f.part.0).source_path.as_str())
        .collect();
    names.push(site.page(next.0).source_path.as_str());
    let here = stack.last().map_or(next, |f| f.part);
    let message = format!("embeds form a cycle: {}", names.join(" → "));
    site.page(here.0)
        .diagnostic_at_link(ErrorKind::Embed, message, n)
        .hint("make one embed on the cycle a link ([[…]] without `!`), or embed a part that does not embed back")
}
