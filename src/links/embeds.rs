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

/// How many levels of embeds inside embeds a page shows; deeper, an embed is a link.
pub(crate) const MAX_EMBED_DEPTH: usize = 8;

/// How many parts one page shows through embeds, nested ones included: pages that each
/// embed the next several times would otherwise multiply into an output of any size.
/// Past it, an embed is a link.
pub(crate) const MAX_EMBEDDED_PARTS: usize = 256;

/// Warnings at the embeds from which a page shows links instead of parts, because of
/// [`MAX_EMBEDDED_PARTS`] or [`MAX_EMBED_DEPTH`]. Only for a site without cycles.
pub(super) fn beyond_limits(site: &Site, graph: &LinkGraph) -> Vec<Diagnostic> {
    let mut sizes: HashMap<Part<'_>, Size> = HashMap::new();
    let mut warnings = Vec::new();
    for (i, page) in site.pages.iter().enumerate() {
        if !page.body.internal_links.iter().any(|l| l.embed.is_some()) {
            continue;
        }
        let mut parts = 0usize;
        for (n, next) in embeds_in(site, graph, (PageId(i), None)) {
            let inner = size(site, graph, next, &mut sizes);
            parts = parts.saturating_add(1 + inner.parts);
            let why = if inner.depth >= MAX_EMBED_DEPTH {
                format!("embeds nest more than {MAX_EMBED_DEPTH} levels deep from this one")
            } else if parts > MAX_EMBEDDED_PARTS {
                format!(
                    "this page shows more than {MAX_EMBEDDED_PARTS} embedded parts, nested ones included, by this embed"
                )
            } else {
                continue;
            };
            warnings.push(
                page.diagnostic_at_link(
                    ErrorKind::Embed,
                    format!("{why}: past that, embeds are shown as links"),
                    n,
                )
                .hint("embed fewer or smaller parts, or link to some with [[…]]")
                .warning(),
            );
            break;
        }
    }
    warnings
}

/// What a part shows through its embeds: how many parts, and how many levels deep.
#[derive(Clone, Copy, Default)]
struct Size {
    parts: usize,
    depth: usize,
}

/// The size of `part`, from the sizes of the parts it embeds (worked out first, with a
/// stack of our own), kept in `sizes`.
fn size<'a>(
    site: &'a Site,
    graph: &'a LinkGraph,
    part: Part<'a>,
    sizes: &mut HashMap<Part<'a>, Size>,
) -> Size {
    if let Some(known) = sizes.get(&part) {
        return *known;
    }
    // A part is in `sizes` from when it is first visited, so that even a cycle (reported
    // apart, and then this is not called) could not make this loop forever.
    sizes.insert(part, Size::default());
    let mut stack = vec![(part, embeds_in(site, graph, part), 0usize, Size::default())];
    while let Some((current, embeds, followed, total)) = stack.last_mut() {
        let Some(&(_, next)) = embeds.get(*followed) else {
            let (current, total) = (*current, *total);
            sizes.insert(current, total);
            stack.pop();
            continue;
        };
        let Some(inner) = sizes.get(&next).copied() else {
            sizes.insert(next, Size::default());
            let embeds = embeds_in(site, graph, next);
            stack.push((next, embeds, 0, Size::default()));
            continue;
        };
        *followed += 1;
        total.parts = total
            .parts
            .saturating_add(1 + inner.parts)
            .min(MAX_EMBEDDED_PARTS + 1);
        total.depth = total.depth.max(1 + inner.depth).min(MAX_EMBED_DEPTH + 1);
    }
    sizes.get(&part).copied().unwrap_or_default()
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
    let Some(i) = headings.iter().position(|h| *h.id == *anchor) else {
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
