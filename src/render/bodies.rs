//! Page bodies as HTML: the link slots of each parsed body filled with the
//! URLs and titles of their resolved targets, page by page when rendered.

use std::cell::Cell;

use crate::links::embeds::{MAX_EMBED_DEPTH, MAX_EMBEDDED_PARTS};
use crate::links::{BodyTarget, LinkGraph};
use crate::markdown::LinkTarget;
use crate::model::{PageId, Site};

use super::Urls;

/// Where every page's internal links go, with target URLs made once per build.
pub(crate) struct LinkTargets<'a> {
    site: &'a Site,
    graph: &'a LinkGraph,
    page_urls: Vec<String>,
    urls: Urls,
}

impl<'a> LinkTargets<'a> {
    /// Makes the URL of every page once.
    pub(crate) fn new(site: &'a Site, graph: &'a LinkGraph, urls: &Urls) -> LinkTargets<'a> {
        let page_urls = site.pages.iter().map(|p| urls.path(&p.path)).collect();
        LinkTargets {
            site,
            graph,
            page_urls,
            urls: urls.clone(),
        }
    }

    /// The URL of page `id`.
    pub(crate) fn url(&self, id: PageId) -> &str {
        &self.page_urls[id.0]
    }

    /// Where the `link`th internal link of page `id` goes, if it resolved, `depth` embeds
    /// deep: an embed of a page carries the part it shows, up to [`MAX_EMBED_DEPTH`] and
    /// while `budget` (the parts the page may still embed, nested ones included) lasts;
    /// past them, and on a cycle (which the links stage reports), it is a link.
    fn target_within(
        &self,
        id: PageId,
        link: usize,
        depth: usize,
        budget: &Cell<usize>,
    ) -> Option<LinkTarget<'a>> {
        let written = &self.site.page(id).body.internal_links[link];
        let (to, anchor_id) = match self.graph.body_targets[id.0].get(link)?.as_ref()? {
            BodyTarget::Page { page, anchor_id } => (*page, anchor_id),
            BodyTarget::File(path) => {
                return Some(LinkTarget {
                    url: self.urls.file(path),
                    title: &written.target,
                    file: true,
                    embedded: None,
                });
            }
        };
        let anchor = anchor_id.as_deref().or(written.anchor.as_deref());
        let target = self.site.page(to);
        // A bare `[[#heading]]` on its own page reads as the heading, not the page.
        let heading_title = match anchor {
            Some(a) if to == id => target
                .body
                .headings
                .iter()
                .find(|h| h.id == a)
                .map(|h| h.title.as_str()),
            _ => None,
        };
        let url = &self.page_urls[to.0];
        let embeds = written.embed.is_some() && depth < MAX_EMBED_DEPTH && budget.get() > 0;
        let embedded = embeds.then(|| {
            budget.set(budget.get() - 1);
            self.embedded(to, anchor, depth + 1, budget)
        });
        Some(LinkTarget {
            url: match anchor {
                Some(a) => format!("{url}#{a}"),
                None => url.clone(),
            },
            title: heading_title.unwrap_or(&target.meta.title),
            file: false,
            embedded,
        })
    }

    /// The part of page `to` that an embed with `anchor` shows, its own embeds filled
    /// `depth` deep.
    fn embedded(
        &self,
        to: PageId,
        anchor: Option<&str>,
        depth: usize,
        budget: &Cell<usize>,
    ) -> String {
        let body = self
            .site
            .page(to)
            .body
            .html(|link| self.target_within(to, link, depth, budget));
        let part = crate::markdown::embedded_part(&body, anchor);
        crate::markdown::shown_elsewhere(&part, &self.page_urls[to.0])
    }

    /// The body of page `id` as HTML.
    pub(crate) fn body_html(&self, id: PageId) -> String {
        let budget = Cell::new(MAX_EMBEDDED_PARTS);
        self.site
            .page(id)
            .body
            .html(|link| self.target_within(id, link, 0, &budget))
    }

    /// The summary of page `id` as HTML.
    pub(crate) fn summary_html(&self, id: PageId) -> String {
        // One budget for the whole summary, as for the body: not one per link.
        let budget = Cell::new(MAX_EMBEDDED_PARTS);
        self.site
            .page(id)
            .body
            .summary_html(|link| self.target_within(id, link, 0, &budget))
    }
}
