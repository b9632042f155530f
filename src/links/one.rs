//! One page's references and links resolved again against a site whose names did not
//! change: for `serve`, which re-renders the page an edit touched, and `muster lsp`,
//! which checks it as the writer types.

#[cfg(feature = "lsp")]
use super::page::join_relative;
use super::resolver::{Resolver, Suggester};
use super::{Attachments, BodyTarget, Edge, LinkGraph, resolve_page};
use crate::config::SiteConfig;
use crate::error::Diagnostic;
#[cfg(feature = "lsp")]
use crate::markdown::LinkSyntax;
use crate::model::{Page, PageId, Site};

/// What one page's links and references resolve to, against the rest of `site`:
/// for `serve`, which re-resolves only the page that changed.
#[derive(Debug)]
pub(crate) struct PageResolution {
    /// Per internal link of the body: its target, if it resolved.
    pub body_targets: Vec<Option<BodyTarget>>,
    /// Relations from the page, without duplicates, in source order.
    #[cfg_attr(not(feature = "serve"), allow(dead_code))]
    pub edges: Vec<Edge>,
    /// What failed to resolve.
    pub errors: Vec<Diagnostic>,
}

/// Resolves the references and links of page `id` alone, with the names of `graph`'s
/// pages (an edit that keeps the page's place keeps every name).
pub(crate) fn resolve_one(
    config: &SiteConfig,
    site: &Site,
    attachments: &Attachments,
    (graph, id): (&LinkGraph, PageId),
) -> PageResolution {
    resolve_one_as(config, site, attachments, (graph, id), site.page(id))
}

/// [`resolve_one`] for `page` standing as page `id`, which `site` may hold as it was
/// before an edit (for `muster lsp`, which answers an edit while a check reads the site).
pub(crate) fn resolve_one_as(
    config: &SiteConfig,
    site: &Site,
    attachments: &Attachments,
    (graph, id): (&LinkGraph, PageId),
    page: &Page,
) -> PageResolution {
    let resolver = Resolver::new(site, attachments, &graph.names);
    let mut page = resolve_page((config, &graph.relation_names), &resolver, id, page);
    // A hint scans every page: only for a page with a missing one.
    let errors = match page.to_suggest.is_empty() {
        true => std::mem::take(&mut page.errors),
        false => page.take_errors(&mut Suggester::new(&resolver)),
    };
    PageResolution {
        body_targets: page.body_targets,
        edges: page.edges,
        errors,
    }
}

/// The page that `written` (a slug, or a path below `content/`, as links and refs name
/// pages) resolves to, with the names of `graph`'s pages (for `muster lsp`).
#[cfg(feature = "lsp")]
pub(crate) fn find_page(
    site: &Site,
    graph: &LinkGraph,
    attachments: &Attachments,
    written: &str,
) -> Option<PageId> {
    Resolver::new(site, attachments, &graph.names)
        .resolve(written)
        .ok()
}

/// The pages other than `to` with a link to one of `to`'s headings, whether the heading
/// exists or not (for `muster lsp`: headings renamed break or mend them).
#[cfg(feature = "lsp")]
pub(crate) fn linking_to_headings(
    site: &Site,
    graph: &LinkGraph,
    attachments: &Attachments,
    to: PageId,
) -> Vec<PageId> {
    let resolver = Resolver::new(site, attachments, &graph.names);
    let goes_to_target = |page: &Page, link: &crate::markdown::InternalLink| {
        let resolved = match link.syntax {
            LinkSyntax::Relative => join_relative(&page.source_dir, &link.target)
                .and_then(|path| resolver.resolve_in(&path, page.text_lang()).ok()),
            _ => resolver.resolve_in(&link.target, page.text_lang()).ok(),
        };
        resolved == Some(to)
    };
    site.iter()
        .filter(|(id, page)| {
            *id != to
                && page
                    .body
                    .internal_links
                    .iter()
                    .any(|l| l.anchor.is_some() && !l.target.is_empty() && goes_to_target(page, l))
        })
        .map(|(id, _)| id)
        .collect()
}
